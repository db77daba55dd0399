/* t_hash_entry.h — one field of a hashtable-encoded hash: a single
 * allocation holding the field and its value, found through a ptable.
 *
 * Layout (bytes, no alignment inside; the allocation itself comes from
 * zmalloc and so is aligned as ptable requires):
 *
 *   short   [flen < 128] [vlen < 256] field bytes, value bytes
 *   long    [0x80] [flen: 8 bytes] [vlen: 8 bytes] field bytes, value bytes
 *
 * The lengths of the long form are stored in host order with memcpy. No
 * terminator follows either string: readers take (pointer, length), which
 * is what a bulk reply, string2ll and the listpack writers take, so a reply
 * is built straight from the entry. A 12-byte field with a 12-byte value
 * is 26 bytes, one 32-byte allocation; the dict encoding spent a dict
 * entry and two sds allocations (24 + 16 + 16) on it.
 *
 * The entry is addressed through an opaque pointer; the accessors below
 * are inline because every lookup, reply and rehash goes through them.
 */
#ifndef EMBER_T_HASH_ENTRY_H
#define EMBER_T_HASH_ENTRY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ptable.h"

typedef struct hashEntry hashEntry;

#define HASH_ENTRY_LONG 0x80
#define HASH_ENTRY_LONG_HDR (1 + 2 * sizeof(uint64_t))

static inline const unsigned char *hashEntryBytes(const hashEntry *e) {
    return (const unsigned char *)e;
}

/* The field's bytes (not terminated) and their count in *len. Valid while
 * the entry lives and its value is not set. */
static inline const char *hashEntryField(const hashEntry *e, size_t *len) {
    const unsigned char *b = hashEntryBytes(e);
    if (!(b[0] & HASH_ENTRY_LONG)) {
        *len = b[0];
        return (const char *)b + 2;
    }
    uint64_t l;
    memcpy(&l, b + 1, sizeof(l));
    *len = (size_t)l;
    return (const char *)b + HASH_ENTRY_LONG_HDR;
}

/* The value's bytes (not terminated) and their count in *len, valid as
 * hashEntryField's. */
static inline const char *hashEntryValue(const hashEntry *e, size_t *len) {
    const unsigned char *b = hashEntryBytes(e);
    if (!(b[0] & HASH_ENTRY_LONG)) {
        *len = b[1];
        return (const char *)b + 2 + b[0];
    }
    uint64_t fl, vl;
    memcpy(&fl, b + 1, sizeof(fl));
    memcpy(&vl, b + 1 + sizeof(fl), sizeof(vl));
    *len = (size_t)vl;
    return (const char *)b + HASH_ENTRY_LONG_HDR + fl;
}

/* A new entry holding copies of field and value. The caller owns it (free
 * with hashEntryFree, or give it to a table released with that). */
hashEntry *hashEntryNew(const char *field, size_t flen, const char *value, size_t vlen);
/* A copy of e. The caller owns it. */
hashEntry *hashEntryDup(const hashEntry *e);
/* Gives e the value (a copy of it) and returns the entry, which may have
 * moved: then e is freed and the caller must put the result where e was
 * (ptReplace, comparing addresses only). */
hashEntry *hashEntrySetValue(hashEntry *e, const char *value, size_t vlen);
void hashEntryFree(hashEntry *e);
/* Bytes of the allocation. */
size_t hashEntryMemUsage(const hashEntry *e);

/* The seeded siphash of a field (dictGenHashFunction), and of an entry's
 * field: the hash every table of entries uses. */
uint64_t hashEntryKeyHash(const char *field, size_t flen);
uint64_t hashEntryHash(const void *e);

/* The table of a hash: entries looked up by an sds field. */
extern const ptableType hashEntryTableType;
/* A table of borrowed entries looked up by the entry itself (a set of
 * entries, as random sampling builds). */
extern const ptableType hashEntrySetTableType;

#endif /* EMBER_T_HASH_ENTRY_H */
