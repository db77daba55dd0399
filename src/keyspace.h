/* keyspace.h — the key tables of one database, for db.c alone.
 *
 * keyspace.c owns the layout of a keyspace entry (one allocation per key:
 * header, deadline, key, short value; see object.h's robj and the top of
 * keyspace.c) and the tables that find entries: one ptable of entry
 * pointers (one per hash slot in cluster mode) and a dense array of the
 * entries that have a deadline. db.c builds the keyspace API of db.h on
 * these calls; no other file includes this header.
 *
 * Ownership: a keyspace owns its entries; an entry owns its key and
 * either is its value or holds one reference to it (boxed). Entries
 * handed out are borrowed until the key is written, deleted, or its
 * deadline set or removed (ksSetExpire and ksRemoveExpire may move it).
 */
#ifndef EMBER_KEYSPACE_H
#define EMBER_KEYSPACE_H

#include "object.h"
#include "ptable.h"
#include "sds.h"

#include "util.h"

#include "db.h" /* the dbKeyspace typedef */
#include "dict.h"

#define KS_SLOTS 16384

/* The fields are keyspace.c's; they are here so the size tests inline. */
struct dbKeyspace {
    ptable *main;              /* every key (NULL in per-slot mode) */
    ptable **slots;            /* per-slot mode: KS_SLOTS tables, NULL while empty */
    unsigned long long *tree;  /* per-slot mode: Fenwick tree of the slots' sizes */
    uint16_t *rehashing;       /* per-slot mode: slots whose table may be rehashing */
    unsigned char *listed;     /* per-slot mode: 1 if the slot is in `rehashing` */
    size_t nrehashing;
    size_t keys;
    unsigned long long changes; /* entries linked, unlinked or moved (ksChanges) */
    robj **vol;                /* the entries with a deadline */
    size_t vol_len, vol_cap;
};

/* ------------------------------------------------------------ entries */

/* The deadline fields of an entry with has_expire, right after the
 * header; the key follows them (or the header when there are none). */
typedef struct ksEntryExpireFields {
    long long when;
    size_t vol_idx;
} ksEntryExpireFields;

/* Where e's key sds header begins. */
static inline char *ksEntryKeyArea(const robj *e) {
    return (char *)(uintptr_t)e + sizeof(robj) + (e->has_expire ? sizeof(ksEntryExpireFields) : 0);
}
/* The key of entry e: an sds inside the entry. */
static inline sds ksEntryKey(const robj *e) {
    return ksEntryKeyArea(e) + (e->long_key ? sizeof(struct sdshdr64) : sizeof(struct sdshdr8));
}
/* The length of e's key (its header type is known from long_key). */
static inline size_t ksEntryKeyLen(const robj *e) {
    const char *h = ksEntryKeyArea(e);
    return e->long_key ? ((const struct sdshdr64 *)(const void *)h)->len : ((const struct sdshdr8 *)(const void *)h)->len;
}
/* The value object of e: e itself, or the object a boxed entry holds. */
static inline robj *ksEntryValue(robj *e) {
    return e->boxed ? (robj *)e->ptr : e;
}
/* e's deadline in unix ms, or -1. */
long long ksEntryExpire(const robj *e);
/* What to release once e is out of the tables: the value object (e
 * itself when the value is inside it; a boxed entry's shell is freed here
 * and its value returned). The caller releases the result. */
robj *ksEntryDetachValue(robj *e);

/* ------------------------------------------------------------ tables */

/* A keyspace; per_slot keeps one table per cluster hash slot. */
dbKeyspace *ksCreate(int per_slot);
/* Frees the keyspace and every entry (values released). */
void ksRelease(dbKeyspace *ks);
void ksReleaseVoid(void *ks);
static inline size_t ksSize(const dbKeyspace *ks) {
    return ks->main ? ptSize(ks->main) : ks->keys;
}
static inline size_t ksVolatileSize(const dbKeyspace *ks) {
    return ks->vol_len;
}

/* A count that grows whenever an entry is linked, unlinked or moved:
 * while it stays the same, a lookup's result (an entry, or its absence)
 * is still true. */
static inline unsigned long long ksChanges(const dbKeyspace *ks) {
    return ks->changes;
}

/* The hash ksFind and ksAdd use for a key. */
static inline uint64_t ksHash(const char *key, size_t len) {
    return dictGenHashFunction(key, len);
}
/* A key being looked up: its bytes and length (what the table's match
 * callback receives). */
typedef struct ksLookupKey {
    const char *buf;
    size_t len;
} ksLookupKey;

/* 1 if entry e (an robj *) has the key k (a ksLookupKey *): the tables'
 * match callback, inline for ksFind. */
static inline int ksEntryMatch(const void *e, const void *k) {
    const ksLookupKey *lk = k;
    return ksEntryKeyLen(e) == lk->len && bytesEqual(ksEntryKey(e), lk->buf, lk->len);
}

robj *ksFindInSlot(dbKeyspace *ks, sds key, uint64_t hash);
/* The entry of key (an sds), or NULL; hash is ksHash(key). */
static inline robj *ksFind(dbKeyspace *ks, sds key, uint64_t hash) {
    if (ks->main == NULL) return ksFindInSlot(ks, key, hash);
    ksLookupKey k = {key, sdslen(key)};
    return ptFindWith(ks->main, hash, &k, ksEntryMatch);
}
/* Adds key (absent) with val and deadline when (-1: none). val is
 * borrowed: the keyspace takes its own reference (boxed) or copies it (a
 * short string or private integer). Returns the value object now stored
 * (val, or the new entry when val was copied into it). */
robj *ksAdd(dbKeyspace *ks, const char *key, size_t len, uint64_t hash, robj *val, long long when);
/* Gives entry e (found in ks) the value val, keeping its deadline when
 * keepttl. val is borrowed as in ksAdd. Stores in *stored the value
 * object now there, and returns the old value object for the caller to
 * release (NULL when the entry was rewritten in place). e is invalid
 * afterwards. */
robj *ksOverwrite(dbKeyspace *ks, robj *e, robj *val, int keepttl, robj **stored);
/* Takes key's entry out of the tables and returns it (NULL if absent). */
robj *ksUnlink(dbKeyspace *ks, sds key, uint64_t hash);
/* Sets e's deadline; returns the entry (maybe moved). */
robj *ksSetExpire(dbKeyspace *ks, robj *e, long long when);
/* Drops e's deadline (it must have one); returns the entry (maybe moved). */
robj *ksRemoveExpire(dbKeyspace *ks, robj *e);

/* One entry picked uniformly (among those with a deadline when
 * volatile_only), or NULL. */
robj *ksRandom(dbKeyspace *ks, int volatile_only);
/* Up to count entries from one random place. Returns how many. */
unsigned int ksSample(dbKeyspace *ks, int volatile_only, robj **out, unsigned int count);

typedef void ksScanFunction(void *privdata, robj *e);
/* One step of a cursor walk over the entries (SCAN): every entry present
 * all along a walk from 0 to 0 is passed to fn at least once. */
unsigned long ksScan(dbKeyspace *ks, unsigned long cursor, ksScanFunction *fn, void *privdata);
/* One step of a cursor walk over the entries with a deadline (one entry a
 * step), with the same guarantee. */
unsigned long ksScanVolatile(dbKeyspace *ks, unsigned long cursor, ksScanFunction *fn, void *privdata);

/* Iteration over every entry; nothing may be added or deleted meanwhile. */
typedef struct ksIterator {
    dbKeyspace *ks;
    int slot;
    ptIterator it;
} ksIterator;
void ksInitIterator(ksIterator *it, dbKeyspace *ks);
robj *ksNext(ksIterator *it);
void ksResetIterator(ksIterator *it);

/* Cluster slots. Counting and listing are O(keys in the slot) with
 * per_slot tables, a full walk otherwise. */
unsigned long long ksSlotSize(dbKeyspace *ks, unsigned int slot);
/* Up to count entries of the slot into out; returns how many. */
unsigned int ksSlotEntries(dbKeyspace *ks, unsigned int slot, robj **out, unsigned int count);

/* Upkeep. */
void ksExpand(dbKeyspace *ks, size_t keys, size_t volatile_keys);
void ksShrinkIfSparse(dbKeyspace *ks);
/* Rehash work for about us microseconds; 1 if there was some to do. */
int ksRehashStep(dbKeyspace *ks, long long us);
/* Bytes of the tables (not the entries): the key tables and the array of
 * entries with a deadline. */
void ksTablesMemUsage(const dbKeyspace *ks, size_t *keys, size_t *expires);
/* Appends DEBUG HTSTATS's text for ks to s and returns it. */
sds ksCatStats(sds s, dbKeyspace *ks);

#endif /* EMBER_KEYSPACE_H */
