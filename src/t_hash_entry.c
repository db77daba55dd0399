/* t_hash_entry.c — making, changing and hashing the entries of a
 * hashtable-encoded hash (layout in t_hash_entry.h).
 *
 * An entry takes the short form when the field is under 128 bytes and the
 * value under 256, the long form otherwise. Setting a value of another
 * length reallocates the entry (jemalloc keeps it in place while it stays
 * in its size class); a change of form makes a new entry. The table types
 * at the end are what t_hash.c builds its ptables with: the hash is the
 * dicts' seeded siphash, so iteration order is random per process.
 */
#include "t_hash_entry.h"

#include "dict.h"
#include "sds.h"
#include "util.h"
#include "zmalloc.h"

static int isShort(size_t flen, size_t vlen) {
    return flen < HASH_ENTRY_LONG && vlen < 256;
}

static size_t headerLen(size_t flen, size_t vlen) {
    return isShort(flen, vlen) ? 2 : HASH_ENTRY_LONG_HDR;
}

/* Writes the header for flen, vlen at b. */
static void writeHeader(unsigned char *b, size_t flen, size_t vlen) {
    if (isShort(flen, vlen)) {
        b[0] = (unsigned char)flen;
        b[1] = (unsigned char)vlen;
        return;
    }
    uint64_t fl = flen, vl = vlen;
    b[0] = HASH_ENTRY_LONG;
    memcpy(b + 1, &fl, sizeof(fl));
    memcpy(b + 1 + sizeof(fl), &vl, sizeof(vl));
}

hashEntry *hashEntryNew(const char *field, size_t flen, const char *value, size_t vlen) {
    size_t hdr = headerLen(flen, vlen);
    unsigned char *b = zmalloc(hdr + flen + vlen);
    writeHeader(b, flen, vlen);
    if (flen) memcpy(b + hdr, field, flen);
    if (vlen) memcpy(b + hdr + flen, value, vlen);
    return (hashEntry *)(void *)b;
}

hashEntry *hashEntryDup(const hashEntry *e) {
    size_t flen, vlen;
    const char *f = hashEntryField(e, &flen);
    const char *v = hashEntryValue(e, &vlen);
    return hashEntryNew(f, flen, v, vlen);
}

hashEntry *hashEntrySetValue(hashEntry *e, const char *value, size_t vlen) {
    size_t flen, oldvlen;
    const char *f = hashEntryField(e, &flen);
    char *v = (char *)(uintptr_t)hashEntryValue(e, &oldvlen);
    if (vlen == oldvlen) {
        if (vlen) memcpy(v, value, vlen);
        return e;
    }
    if (isShort(flen, vlen) != isShort(flen, oldvlen)) {
        hashEntry *fresh = hashEntryNew(f, flen, value, vlen);
        hashEntryFree(e);
        return fresh;
    }
    size_t hdr = headerLen(flen, vlen);
    unsigned char *b = zrealloc(e, hdr + flen + vlen);
    writeHeader(b, flen, vlen);
    if (vlen) memcpy(b + hdr + flen, value, vlen);
    return (hashEntry *)(void *)b;
}

void hashEntryFree(hashEntry *e) {
    zfree(e);
}

size_t hashEntryMemUsage(const hashEntry *e) {
    return zmalloc_size((void *)(uintptr_t)e);
}

uint64_t hashEntryKeyHash(const char *field, size_t flen) {
    return dictGenHashFunction(field, flen);
}

uint64_t hashEntryHash(const void *e) {
    size_t flen;
    const char *f = hashEntryField(e, &flen);
    return dictGenHashFunction(f, flen);
}

/* 1 if entry e's field is the sds key. */
static int matchSdsField(const void *e, const void *key) {
    size_t flen;
    const char *f = hashEntryField(e, &flen);
    return flen == sdslen((sds)(uintptr_t)key) && bytesEqual(f, key, flen);
}

static int matchSameEntry(const void *e, const void *key) {
    return e == key;
}

const ptableType hashEntryTableType = {hashEntryHash, matchSdsField};
const ptableType hashEntrySetTableType = {hashEntryHash, matchSameEntry};
