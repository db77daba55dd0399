/* dict.c -- chained hash table with incremental rehashing.
 *
 * A dict maps opaque keys to values through a bucket array whose size is a
 * power of two, so a hash is reduced to a bucket with a mask. Entries that
 * collide are chained, newest first. The dictType supplies the hash, compare,
 * dup and destructor callbacks; with none set, keys compare by pointer.
 *
 * Growing a big table in one go would stall the server, so a dict has two
 * tables. To grow (or shrink) we allocate table 1 at the new size and set
 * rehashidx to 0; from then on every lookup, insert and delete moves one
 * bucket of table 0 into table 1 (dictRehash), and the server's cron may
 * spend a time budget on it (dictRehashMilliseconds). While rehashing, lookups
 * search both tables and inserts go to table 1 only, so table 0 only shrinks.
 * When table 0 is empty, table 1 takes its place.
 *
 * Steps are suspended while a safe iterator or a scan callback runs
 * (pauserehash), because moving entries under them could skip or repeat ones.
 * An unsafe iterator instead records a fingerprint of the table shape and
 * aborts on release if it changed: cheap detection of misuse.
 *
 * The table grows when it holds as many elements as buckets. Growth can be
 * disabled (dictSetResizeEnabled(0), e.g. while a fork child shares pages),
 * except when elements exceed five times the buckets. Shrinking is never
 * automatic: the owner calls dictResize when the fill drops.
 *
 * dictScan walks buckets with a cursor whose bits are incremented from the
 * most significant end (reverse binary). Because sizes are powers of two, a
 * bucket at one size maps onto a contiguous set of cursor values at any other
 * size, so every element present for the whole scan is returned at least once
 * even if the table grows or shrinks between calls; some may repeat.
 *
 * File-scope state: the resize switch and the hash seed are process-wide
 * settings chosen once at start-up, shared by every dict on purpose.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <limits.h>

#include "dict.h"
#include "zmalloc.h"

#define DICT_FORCE_RESIZE_RATIO 5
#define DICT_EMPTY_CALLBACK_PERIOD 65536
#define DICT_FAIR_SAMPLE 15

static int dict_can_resize = 1;
static uint8_t dict_hash_seed[16];

static void dictPanic(const char *what) {
    fprintf(stderr, "dict: assertion failed: %s\n", what);
    abort();
}
#define dictAssert(c) do { if (!(c)) dictPanic(#c); } while (0)

/* ---------------------------- hashing ---------------------------------- */

/* Set the 16-byte SipHash seed used by every dict. Call before any dict is
 * filled: changing it afterwards makes existing entries unreachable. */
void dictSetHashFunctionSeed(uint8_t *seed) {
    memcpy(dict_hash_seed, seed, sizeof(dict_hash_seed));
}

/* Borrowed pointer to the 16-byte seed (valid for the process lifetime). */
uint8_t *dictGetHashFunctionSeed(void) {
    return dict_hash_seed;
}

/* Keyed hash of len bytes at key. */
uint64_t dictGenHashFunction(const void *key, size_t len) {
    return siphash(key, len, dict_hash_seed);
}

/* Keyed hash ignoring ASCII case. */
uint64_t dictGenCaseHashFunction(const unsigned char *buf, size_t len) {
    return siphash_nocase(buf, len, dict_hash_seed);
}

/* Hash of key with d's hash function. */
uint64_t dictGetHash(dict *d, const void *key) {
    return dictHashKey(d, key);
}

/* Allow (1) or forbid (0) automatic growth short of the forced ratio, and
 * dictResize. Process-wide. */
void dictSetResizeEnabled(int enable) {
    dict_can_resize = enable;
}

/* ------------------------- table management ---------------------------- */

static void resetTable(dict *d, int t) {
    d->ht_table[t] = NULL;
    d->ht_size_exp[t] = -1;
    d->ht_used[t] = 0;
}

/* A new empty dict of the given type (borrowed; must outlive the dict). */
dict *dictCreate(dictType *type) {
    dict *d = zmalloc(sizeof(*d));
    d->type = type;
    resetTable(d, 0);
    resetTable(d, 1);
    d->rehashidx = -1;
    d->pauserehash = 0;
    return d;
}

static signed char nextExp(unsigned long size) {
    if (size <= DICT_HT_INITIAL_SIZE) return DICT_HT_INITIAL_EXP;
    if (size >= LONG_MAX) return (signed char)(8 * sizeof(long) - 1);
    signed char e = DICT_HT_INITIAL_EXP;
    while ((1UL << e) < size) e++;
    return e;
}

/* Zeroed bucket array; with try, NULL on allocation failure. */
static dictEntry **allocTable(unsigned long n, int try) {
    if (!try) return zcalloc(n * sizeof(dictEntry *));
    dictEntry **t = ztrymalloc(n * sizeof(dictEntry *));
    if (t) memset(t, 0, n * sizeof(dictEntry *));
    return t;
}

static int expandTo(dict *d, unsigned long size, int try) {
    if (dictIsRehashing(d) || d->ht_used[0] > size) return DICT_ERR;
    signed char exp = nextExp(size);
    unsigned long newsize = 1UL << exp;
    if (newsize < size || newsize * sizeof(dictEntry *) < newsize) return DICT_ERR;
    if (exp == d->ht_size_exp[0]) return DICT_ERR;
    dictEntry **table = allocTable(newsize, try);
    if (table == NULL) return DICT_ERR;
    if (d->ht_table[0] == NULL) {
        d->ht_table[0] = table;
        d->ht_size_exp[0] = exp;
        d->ht_used[0] = 0;
        return DICT_OK;
    }
    d->ht_table[1] = table;
    d->ht_size_exp[1] = exp;
    d->ht_used[1] = 0;
    d->rehashidx = 0;
    return DICT_OK;
}

/* Make room for at least size elements: allocate the first table, or start
 * rehashing into a bigger/smaller one. DICT_ERR if already rehashing, if size
 * is below the element count, or if the size would not change. */
int dictExpand(dict *d, unsigned long size) {
    return expandTo(d, size, 0);
}

/* Like dictExpand, but an allocation failure returns DICT_ERR (dict
 * unchanged) instead of running the out-of-memory handler. */
int dictTryExpand(dict *d, unsigned long size) {
    return expandTo(d, size, 1);
}

/* Shrink (or grow) the table to the smallest power of two holding all
 * elements. DICT_ERR while rehashing or when resizing is disabled. */
int dictResize(dict *d) {
    if (!dict_can_resize || dictIsRehashing(d)) return DICT_ERR;
    unsigned long minimal = d->ht_used[0];
    if (minimal < DICT_HT_INITIAL_SIZE) minimal = DICT_HT_INITIAL_SIZE;
    return expandTo(d, minimal, 0);
}

static int expandAllowed(dict *d) {
    if (d->type->expandAllowed == NULL) return 1;
    size_t more = DICTHT_SIZE(nextExp(d->ht_used[0] + 1)) * sizeof(dictEntry *);
    double ratio = (double)d->ht_used[0] / DICTHT_SIZE(d->ht_size_exp[0]);
    return d->type->expandAllowed(more, ratio);
}

static int expandIfNeeded(dict *d) {
    if (dictIsRehashing(d)) return DICT_OK;
    if (d->ht_size_exp[0] == -1) return expandTo(d, DICT_HT_INITIAL_SIZE, 0);
    unsigned long size = DICTHT_SIZE(d->ht_size_exp[0]);
    if (d->ht_used[0] < size) return DICT_OK;
    if (!dict_can_resize && d->ht_used[0] / size <= DICT_FORCE_RESIZE_RATIO) return DICT_OK;
    if (!expandAllowed(d)) return DICT_OK;
    expandTo(d, d->ht_used[0] + 1, 0);
    return DICT_OK;
}

/* ----------------------------- rehashing ------------------------------- */

static void moveBucket(dict *d, unsigned long idx) {
    dictEntry *de = d->ht_table[0][idx];
    unsigned long mask = DICTHT_SIZE_MASK(d->ht_size_exp[1]);
    while (de) {
        dictEntry *next = de->next;
        unsigned long h = dictHashKey(d, de->key) & mask;
        de->next = d->ht_table[1][h];
        d->ht_table[1][h] = de;
        d->ht_used[0]--;
        d->ht_used[1]++;
        de = next;
    }
    d->ht_table[0][idx] = NULL;
}

static int finishRehashIfDone(dict *d) {
    if (d->ht_used[0] != 0) return 0;
    zfree(d->ht_table[0]);
    d->ht_table[0] = d->ht_table[1];
    d->ht_used[0] = d->ht_used[1];
    d->ht_size_exp[0] = d->ht_size_exp[1];
    resetTable(d, 1);
    d->rehashidx = -1;
    return 1;
}

/* Move up to n non-empty buckets from table 0 to table 1, visiting at most
 * 10*n empty buckets. Returns 1 if rehashing remains to do, 0 if done (or
 * not rehashing). Ignores pauserehash: the caller decides. */
int dictRehash(dict *d, int n) {
    if (!dictIsRehashing(d)) return 0;
    long empty_budget = (long)n * 10;
    unsigned long size0 = DICTHT_SIZE(d->ht_size_exp[0]);
    while (n-- > 0 && d->ht_used[0] != 0) {
        dictAssert((unsigned long)d->rehashidx < size0);
        while (d->ht_table[0][d->rehashidx] == NULL) {
            d->rehashidx++;
            if (--empty_budget == 0) return 1;
        }
        moveBucket(d, (unsigned long)d->rehashidx);
        d->rehashidx++;
    }
    return !finishRehashIfDone(d);
}

static long long monotonicMs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Rehash in batches of 100 buckets for about ms milliseconds. Returns the
 * number of buckets moved (in units of 100); 0 if rehashing is paused. */
int dictRehashMilliseconds(dict *d, int ms) {
    if (d->pauserehash > 0) return 0;
    long long start = monotonicMs();
    int rehashes = 0;
    while (dictRehash(d, 100)) {
        rehashes += 100;
        if (monotonicMs() - start > ms) break;
    }
    return rehashes;
}

static void rehashStep(dict *d) {
    if (d->pauserehash == 0) dictRehash(d, 1);
}

/* --------------------------- add / find -------------------------------- */

/* Bucket index where key would be inserted, or -1 if it exists (then
 * *existing, if given, is set to the entry) or the table cannot be grown. */
static long keyIndex(dict *d, const void *key, uint64_t hash, dictEntry **existing) {
    if (existing) *existing = NULL;
    if (expandIfNeeded(d) == DICT_ERR) return -1;
    unsigned long idx = 0;
    for (int t = 0; t <= 1; t++) {
        idx = hash & DICTHT_SIZE_MASK(d->ht_size_exp[t]);
        for (dictEntry *he = d->ht_table[t][idx]; he; he = he->next) {
            if (key == he->key || dictCompareKeys(d, key, he->key)) {
                if (existing) *existing = he;
                return -1;
            }
        }
        if (!dictIsRehashing(d)) break;
    }
    return (long)idx;
}

/* Insert key with no value set and return the new entry; the caller sets the
 * value (dictSetVal & co). If key exists, returns NULL and sets *existing (if
 * not NULL). The key goes through keyDup when the type has one. */
dictEntry *dictAddRaw(dict *d, void *key, dictEntry **existing) {
    if (dictIsRehashing(d)) rehashStep(d);
    long idx = keyIndex(d, key, dictHashKey(d, key), existing);
    if (idx == -1) return NULL;
    int t = dictIsRehashing(d) ? 1 : 0;
    dictEntry *de = zmalloc(sizeof(*de));
    de->next = d->ht_table[t][idx];
    de->v.u64 = 0;
    d->ht_table[t][idx] = de;
    d->ht_used[t]++;
    dictSetKey(d, de, key);
    return de;
}

/* Add key->val. DICT_OK, or DICT_ERR (nothing changed) if key exists. */
int dictAdd(dict *d, void *key, void *val) {
    dictEntry *de = dictAddRaw(d, key, NULL);
    if (!de) return DICT_ERR;
    dictSetVal(d, de, val);
    return DICT_OK;
}

/* Entry for key: the existing one, or a new one with no value set. */
dictEntry *dictAddOrFind(dict *d, void *key) {
    dictEntry *existing;
    dictEntry *de = dictAddRaw(d, key, &existing);
    return de ? de : existing;
}

/* Set key->val, adding the key if absent. Returns 1 if added, 0 if the value
 * of an existing key was replaced. The new value is stored before the old
 * one is destroyed, so val may be the same object (refcount safe). */
int dictReplace(dict *d, void *key, void *val) {
    dictEntry *existing;
    dictEntry *de = dictAddRaw(d, key, &existing);
    if (de) {
        dictSetVal(d, de, val);
        return 1;
    }
    dictEntry old = *existing;
    dictSetVal(d, existing, val);
    dictFreeVal(d, &old);
    return 0;
}

/* Entry holding key, or NULL. Borrowed; valid until the dict is modified. */
dictEntry *dictFind(dict *d, const void *key) {
    if (dictSize(d) == 0) return NULL;
    if (dictIsRehashing(d)) rehashStep(d);
    uint64_t h = dictHashKey(d, key);
    for (int t = 0; t <= 1; t++) {
        unsigned long idx = h & DICTHT_SIZE_MASK(d->ht_size_exp[t]);
        for (dictEntry *he = d->ht_table[t] ? d->ht_table[t][idx] : NULL; he; he = he->next)
            if (key == he->key || dictCompareKeys(d, key, he->key)) return he;
        if (!dictIsRehashing(d)) return NULL;
    }
    return NULL;
}

/* Value of key, or NULL if absent. */
void *dictFetchValue(dict *d, const void *key) {
    dictEntry *he = dictFind(d, key);
    return he ? dictGetVal(he) : NULL;
}

/* ------------------------------ delete --------------------------------- */

static dictEntry *unlinkOrDelete(dict *d, const void *key, int nofree) {
    if (dictSize(d) == 0) return NULL;
    if (dictIsRehashing(d)) rehashStep(d);
    uint64_t h = dictHashKey(d, key);
    for (int t = 0; t <= 1; t++) {
        unsigned long idx = h & DICTHT_SIZE_MASK(d->ht_size_exp[t]);
        dictEntry **link = d->ht_table[t] ? &d->ht_table[t][idx] : NULL;
        while (link && *link) {
            dictEntry *he = *link;
            if (key == he->key || dictCompareKeys(d, key, he->key)) {
                *link = he->next;
                d->ht_used[t]--;
                if (!nofree) dictFreeUnlinkedEntry(d, he);
                return he;
            }
            link = &he->next;
        }
        if (!dictIsRehashing(d)) break;
    }
    return NULL;
}

/* Remove key, destroying key and value. DICT_OK, or DICT_ERR if absent. */
int dictDelete(dict *d, const void *key) {
    return unlinkOrDelete(d, key, 0) ? DICT_OK : DICT_ERR;
}

/* Detach the entry of key without freeing it and return it (NULL if absent).
 * The caller owns it and must pass it to dictFreeUnlinkedEntry. */
dictEntry *dictUnlink(dict *d, const void *key) {
    return unlinkOrDelete(d, key, 1);
}

/* Destroy key, value and entry of an unlinked entry. NULL is a no-op. */
void dictFreeUnlinkedEntry(dict *d, dictEntry *he) {
    if (he == NULL) return;
    dictFreeKey(d, he);
    dictFreeVal(d, he);
    zfree(he);
}

static void clearTable(dict *d, int t, void (callback)(dict *)) {
    unsigned long size = DICTHT_SIZE(d->ht_size_exp[t]);
    for (unsigned long i = 0; i < size && d->ht_used[t] > 0; i++) {
        if (callback && (i & (DICT_EMPTY_CALLBACK_PERIOD - 1)) == 0) callback(d);
        dictEntry *he = d->ht_table[t][i];
        while (he) {
            dictEntry *next = he->next;
            dictFreeUnlinkedEntry(d, he);
            d->ht_used[t]--;
            he = next;
        }
    }
    zfree(d->ht_table[t]);
    resetTable(d, t);
}

/* Destroy every element and the dict itself. */
void dictRelease(dict *d) {
    clearTable(d, 0, NULL);
    clearTable(d, 1, NULL);
    zfree(d);
}

/* Destroy every element, keep the dict (back to no table). callback, if not
 * NULL, is called every 65536 buckets so long frees can yield to other work. */
void dictEmpty(dict *d, void (callback)(dict *)) {
    clearTable(d, 0, callback);
    clearTable(d, 1, callback);
    d->rehashidx = -1;
    d->pauserehash = 0;
}

/* ----------------------------- iteration ------------------------------- */

static unsigned long long mix64(unsigned long long h, unsigned long long v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdULL;
}

/* A 64-bit summary of the table shape; changes whenever the dict is modified
 * in a way an unsafe iterator cannot tolerate. */
static unsigned long long fingerprint(dict *d) {
    unsigned long long h = 0;
    for (int t = 0; t <= 1; t++) {
        h = mix64(h, (unsigned long long)(uintptr_t)d->ht_table[t]);
        h = mix64(h, (unsigned long long)d->ht_size_exp[t]);
        h = mix64(h, d->ht_used[t]);
    }
    return h;
}

/* Initialise an unsafe iterator in caller storage. */
void dictInitIterator(dictIterator *iter, dict *d) {
    iter->d = d;
    iter->table = 0;
    iter->index = -1;
    iter->safe = 0;
    iter->entry = NULL;
    iter->nextEntry = NULL;
    iter->fingerprint = 0;
}

/* Initialise a safe iterator in caller storage. */
void dictInitSafeIterator(dictIterator *iter, dict *d) {
    dictInitIterator(iter, d);
    iter->safe = 1;
}

/* End an iteration started with dictInit*Iterator: resumes rehashing for a
 * safe iterator, checks the fingerprint for an unsafe one (aborts if the dict
 * was modified). The storage is not freed. */
void dictResetIterator(dictIterator *iter) {
    if (iter->index == -1 && iter->table == 0) return;
    if (iter->safe) dictResumeRehashing(iter->d);
    else dictAssert(iter->fingerprint == fingerprint(iter->d));
}

/* Heap-allocated unsafe iterator; release with dictReleaseIterator. */
dictIterator *dictGetIterator(dict *d) {
    dictIterator *iter = zmalloc(sizeof(*iter));
    dictInitIterator(iter, d);
    return iter;
}

/* Heap-allocated safe iterator; release with dictReleaseIterator. */
dictIterator *dictGetSafeIterator(dict *d) {
    dictIterator *iter = dictGetIterator(d);
    iter->safe = 1;
    return iter;
}

static void iterStart(dictIterator *iter) {
    if (iter->safe) dictPauseRehashing(iter->d);
    else iter->fingerprint = fingerprint(iter->d);
}

/* Next entry, or NULL at the end. Under a safe iterator the returned entry
 * may be deleted before the next call. */
dictEntry *dictNext(dictIterator *iter) {
    for (;;) {
        if (iter->entry == NULL) {
            if (iter->index == -1 && iter->table == 0) iterStart(iter);
            iter->index++;
            if ((unsigned long)iter->index >= DICTHT_SIZE(iter->d->ht_size_exp[iter->table])) {
                if (!dictIsRehashing(iter->d) || iter->table == 1) return NULL;
                iter->table = 1;
                iter->index = 0;
                if (DICTHT_SIZE(iter->d->ht_size_exp[1]) == 0) return NULL;
            }
            iter->entry = iter->d->ht_table[iter->table][iter->index];
        } else {
            iter->entry = iter->nextEntry;
        }
        if (iter->entry) {
            iter->nextEntry = iter->entry->next;
            return iter->entry;
        }
    }
}

/* End the iteration (see dictResetIterator) and free the iterator. */
void dictReleaseIterator(dictIterator *iter) {
    dictResetIterator(iter);
    zfree(iter);
}

/* ---------------------------- sampling --------------------------------- */

static unsigned long randomULong(void) {
    return ((unsigned long)random() << 31) ^ (unsigned long)random();
}

static dictEntry *randomBucketHead(dict *d) {
    dictEntry *he;
    if (dictIsRehashing(d)) {
        unsigned long s0 = DICTHT_SIZE(d->ht_size_exp[0]);
        unsigned long span = dictSlots(d) - (unsigned long)d->rehashidx;
        do {
            unsigned long h = (unsigned long)d->rehashidx + randomULong() % span;
            he = h >= s0 ? d->ht_table[1][h - s0] : d->ht_table[0][h];
        } while (he == NULL);
        return he;
    }
    unsigned long mask = DICTHT_SIZE_MASK(d->ht_size_exp[0]);
    do {
        he = d->ht_table[0][randomULong() & mask];
    } while (he == NULL);
    return he;
}

/* A random entry (NULL if empty). Entries in long chains are less likely. */
dictEntry *dictGetRandomKey(dict *d) {
    if (dictSize(d) == 0) return NULL;
    if (dictIsRehashing(d)) rehashStep(d);
    dictEntry *head = randomBucketHead(d);
    unsigned long len = 0;
    for (dictEntry *he = head; he; he = he->next) len++;
    unsigned long pick = randomULong() % len;
    while (pick--) head = head->next;
    return head;
}

static int sampleBucket(dict *d, int t, unsigned long i, dictEntry **des,
                        unsigned int *stored, unsigned int count) {
    dictEntry *he = d->ht_table[t][i];
    if (he == NULL) return 0;
    while (he && *stored < count) {
        des[(*stored)++] = he;
        he = he->next;
    }
    return 1;
}

/* Store up to count entries sampled from consecutive buckets starting at a
 * random one into des; returns how many were stored (possibly fewer than
 * count; never a duplicate). Fast, not uniform: good for eviction sampling. */
unsigned int dictGetSomeKeys(dict *d, dictEntry **des, unsigned int count) {
    if (dictSize(d) < count) count = (unsigned int)dictSize(d);
    if (count == 0) return 0;
    for (unsigned int j = 0; j < count && dictIsRehashing(d); j++) rehashStep(d);
    int tables = dictIsRehashing(d) ? 2 : 1;
    unsigned long maxmask = DICTHT_SIZE_MASK(d->ht_size_exp[0]);
    if (tables == 2 && DICTHT_SIZE_MASK(d->ht_size_exp[1]) > maxmask)
        maxmask = DICTHT_SIZE_MASK(d->ht_size_exp[1]);
    unsigned long i = randomULong() & maxmask, steps = (unsigned long)count * 10, empty = 0;
    unsigned int stored = 0;
    while (stored < count && steps--) {
        for (int t = 0; t < tables; t++) {
            if (tables == 2 && t == 0 && i < (unsigned long)d->rehashidx) {
                /* Already moved: only table 1 has these. Jump ahead if
                 * table 1 is smaller than the cursor. */
                if (i >= DICTHT_SIZE(d->ht_size_exp[1])) i = (unsigned long)d->rehashidx;
                else continue;
            }
            if (i >= DICTHT_SIZE(d->ht_size_exp[t])) continue;
            if (sampleBucket(d, t, i, des, &stored, count)) {
                empty = 0;
                if (stored == count) return stored;
            } else if (++empty >= 5 && empty > count) {
                i = randomULong() & maxmask;
                empty = 0;
            }
        }
        i = (i + 1) & maxmask;
    }
    return stored;
}

/* A random entry with a distribution closer to uniform than
 * dictGetRandomKey: picks uniformly among a sample of entries. */
dictEntry *dictGetFairRandomKey(dict *d) {
    dictEntry *sample[DICT_FAIR_SAMPLE];
    unsigned int n = dictGetSomeKeys(d, sample, DICT_FAIR_SAMPLE);
    if (n == 0) return dictGetRandomKey(d);
    return sample[randomULong() % n];
}

/* ------------------------------- scan ---------------------------------- */

static unsigned long reverseBits(unsigned long v) {
    unsigned long r = 0;
    for (unsigned i = 0; i < 8 * sizeof(v); i++) {
        r = (r << 1) | (v & 1);
        v >>= 1;
    }
    return r;
}

/* Increment the cursor's bits above mask, counting from the top bit down. */
static unsigned long nextCursor(unsigned long v, unsigned long mask) {
    v |= ~mask;
    v = reverseBits(v);
    v++;
    return reverseBits(v);
}

static void scanBucket(dictEntry *he, dictScanFunction *fn, void *privdata) {
    while (he) {
        dictEntry *next = he->next;
        fn(privdata, he);
        he = next;
    }
}

/* One step of a full scan: call fn on every entry of the bucket(s) at
 * cursor v and return the next cursor; 0 means the scan is complete (start
 * with 0). Every element present from the first call to the last is passed
 * to fn at least once, even across resizes; some may be passed twice. fn
 * must not modify the dict. */
unsigned long dictScan(dict *d, unsigned long v, dictScanFunction *fn, void *privdata) {
    if (dictSize(d) == 0) return 0;
    dictPauseRehashing(d);
    if (!dictIsRehashing(d)) {
        unsigned long m0 = DICTHT_SIZE_MASK(d->ht_size_exp[0]);
        scanBucket(d->ht_table[0][v & m0], fn, privdata);
        v = nextCursor(v, m0);
    } else {
        int small = d->ht_size_exp[0] <= d->ht_size_exp[1] ? 0 : 1, large = 1 - small;
        unsigned long m0 = DICTHT_SIZE_MASK(d->ht_size_exp[small]);
        unsigned long m1 = DICTHT_SIZE_MASK(d->ht_size_exp[large]);
        scanBucket(d->ht_table[small][v & m0], fn, privdata);
        /* Every bucket of the larger table that folds onto v's small bucket. */
        do {
            scanBucket(d->ht_table[large][v & m1], fn, privdata);
            v = nextCursor(v, m1);
        } while (v & (m0 ^ m1));
    }
    dictResumeRehashing(d);
    return v;
}

/* ----------------------------- reporting ------------------------------- */

#define DICT_STATS_VECLEN 50

static size_t tableStats(char *buf, size_t bufsize, dict *d, int t) {
    unsigned long size = DICTHT_SIZE(d->ht_size_exp[t]), used = d->ht_used[t];
    const char *name = t == 0 ? "main hash table" : "rehashing target";
    if (used == 0)
        return (size_t)snprintf(buf, bufsize, "Hash table %d stats (%s):\nNo stats available for empty dictionaries\n", t, name);
    unsigned long slots = 0, maxchain = 0, totchain = 0, vec[DICT_STATS_VECLEN] = {0};
    for (unsigned long i = 0; i < size; i++) {
        unsigned long len = 0;
        for (dictEntry *he = d->ht_table[t][i]; he; he = he->next) len++;
        vec[len < DICT_STATS_VECLEN ? len : DICT_STATS_VECLEN - 1]++;
        if (len == 0) continue;
        slots++;
        totchain += len;
        if (len > maxchain) maxchain = len;
    }
    size_t l = (size_t)snprintf(buf, bufsize,
        "Hash table %d stats (%s):\n table size: %lu\n number of elements: %lu\n"
        " different slots: %lu\n max chain length: %lu\n avg chain length (counted): %.02f\n"
        " avg chain length (computed): %.02f\n Chain length distribution:\n",
        t, name, size, used, slots, maxchain, (double)totchain / slots, (double)used / slots);
    for (unsigned long i = 0; i < DICT_STATS_VECLEN && l < bufsize; i++) {
        if (vec[i] == 0) continue;
        l += (size_t)snprintf(buf + l, bufsize - l, "   %lu: %lu (%.02f%%)\n",
                              i, vec[i], ((double)vec[i] / size) * 100);
    }
    return l;
}

/* Human-readable statistics of both tables into buf (always terminated). */
void dictGetStats(char *buf, size_t bufsize, dict *d) {
    if (bufsize == 0) return;
    buf[0] = '\0';
    size_t l = tableStats(buf, bufsize, d, 0);
    if (dictIsRehashing(d) && l < bufsize) tableStats(buf + l, bufsize - l, d, 1);
    buf[bufsize - 1] = '\0';
}

/* Bytes used by one entry (excluding what key and value point to). */
size_t dictEntryMemUsage(void) {
    return sizeof(dictEntry);
}

/* Bytes used by the dict's own structures (entries, tables, header). */
size_t dictMemUsage(const dict *d) {
    return sizeof(*d) + dictSize(d) * sizeof(dictEntry) + dictSlots(d) * sizeof(dictEntry *);
}
