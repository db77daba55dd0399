/* dict.h -- chained hash table with incremental rehashing.
 *
 * See dict.c for the design. In short: a dict owns up to two bucket arrays
 * (the second exists only while rehashing from the first into it), sizes are
 * powers of two, collisions chain through dictEntry.next, and the type
 * callbacks in dictType decide how keys are hashed, compared, copied and
 * freed. Keys and values are opaque pointers (or inline integers/doubles in
 * the value union); the dict owns them only as far as the type's destructors
 * say so.
 */

#ifndef EMBER_DICT_H
#define EMBER_DICT_H

#include <stddef.h>
#include <stdint.h>

#define DICT_OK 0
#define DICT_ERR 1

typedef struct dictEntry {
    void *key;
    union {
        void *val;
        uint64_t u64;
        int64_t s64;
        double d;
    } v;
    struct dictEntry *next;
} dictEntry;

struct dict;

typedef struct dictType {
    uint64_t (*hashFunction)(const void *key);
    void *(*keyDup)(struct dict *d, const void *key);
    void *(*valDup)(struct dict *d, const void *obj);
    int (*keyCompare)(struct dict *d, const void *key1, const void *key2); /* 1 if equal */
    void (*keyDestructor)(struct dict *d, void *key);
    void (*valDestructor)(struct dict *d, void *obj);
    /* May veto a growth of the table: moreMem is the bytes the new bucket
     * array needs, usedRatio the current elements/buckets. NULL allows all. */
    int (*expandAllowed)(size_t moreMem, double usedRatio);
} dictType;

typedef struct dict {
    dictType *type;
    dictEntry **ht_table[2];
    unsigned long ht_used[2];
    long rehashidx;          /* next bucket of table 0 to move; -1 when not rehashing */
    int16_t pauserehash;     /* >0: incremental rehash steps are suspended */
    signed char ht_size_exp[2]; /* log2 of each table size; -1 when the table is absent */
} dict;

/* Iterator. A safe iterator pauses rehashing so the caller may add, find and
 * delete while iterating; an unsafe one only allows dictNext and asserts on
 * release that the dict was not modified. It may live on the stack (use
 * dictInitIterator / dictResetIterator) or on the heap (dictGetIterator /
 * dictReleaseIterator). */
typedef struct dictIterator {
    dict *d;
    long index;
    int table, safe;
    dictEntry *entry, *nextEntry;
    unsigned long long fingerprint;
} dictIterator;

typedef void dictScanFunction(void *privdata, const dictEntry *de);

#define DICT_HT_INITIAL_EXP 2
#define DICT_HT_INITIAL_SIZE (1UL << DICT_HT_INITIAL_EXP)

/* ---- Accessors (macros: used on hot paths) ---- */
#define DICTHT_SIZE(exp) ((exp) == -1 ? 0 : (1UL << (exp)))
#define DICTHT_SIZE_MASK(exp) ((exp) == -1 ? 0 : (DICTHT_SIZE(exp) - 1))

#define dictFreeVal(d, entry) do { \
    if ((d)->type->valDestructor) (d)->type->valDestructor((d), (entry)->v.val); \
} while (0)

#define dictSetVal(d, entry, _val_) do { \
    if ((d)->type->valDup) (entry)->v.val = (d)->type->valDup((d), _val_); \
    else (entry)->v.val = (_val_); \
} while (0)

#define dictFreeKey(d, entry) do { \
    if ((d)->type->keyDestructor) (d)->type->keyDestructor((d), (entry)->key); \
} while (0)

#define dictSetKey(d, entry, _key_) do { \
    if ((d)->type->keyDup) (entry)->key = (d)->type->keyDup((d), _key_); \
    else (entry)->key = (_key_); \
} while (0)

#define dictCompareKeys(d, key1, key2) \
    (((d)->type->keyCompare) ? (d)->type->keyCompare((d), key1, key2) : (key1) == (key2))

#define dictSetSignedIntegerVal(entry, _val_) do { (entry)->v.s64 = (_val_); } while (0)
#define dictSetUnsignedIntegerVal(entry, _val_) do { (entry)->v.u64 = (_val_); } while (0)
#define dictSetDoubleVal(entry, _val_) do { (entry)->v.d = (_val_); } while (0)

#define dictHashKey(d, key) ((d)->type->hashFunction(key))
#define dictGetKey(he) ((he)->key)
#define dictGetVal(he) ((he)->v.val)
#define dictGetSignedIntegerVal(he) ((he)->v.s64)
#define dictGetUnsignedIntegerVal(he) ((he)->v.u64)
#define dictGetDoubleVal(he) ((he)->v.d)
#define dictSlots(d) (DICTHT_SIZE((d)->ht_size_exp[0]) + DICTHT_SIZE((d)->ht_size_exp[1]))
#define dictSize(d) ((d)->ht_used[0] + (d)->ht_used[1])
#define dictIsRehashing(d) ((d)->rehashidx != -1)
#define dictPauseRehashing(d) ((d)->pauserehash++)
#define dictResumeRehashing(d) ((d)->pauserehash--)

/* ---- API (contracts in dict.c) ---- */
dict *dictCreate(dictType *type);
int dictExpand(dict *d, unsigned long size);
int dictTryExpand(dict *d, unsigned long size);
int dictAdd(dict *d, void *key, void *val);
dictEntry *dictAddRaw(dict *d, void *key, dictEntry **existing);
dictEntry *dictAddOrFind(dict *d, void *key);
int dictReplace(dict *d, void *key, void *val);
int dictDelete(dict *d, const void *key);
dictEntry *dictUnlink(dict *d, const void *key);
void dictFreeUnlinkedEntry(dict *d, dictEntry *he);
void dictRelease(dict *d);
dictEntry *dictFind(dict *d, const void *key);
void *dictFetchValue(dict *d, const void *key);
int dictResize(dict *d);
void dictEmpty(dict *d, void (callback)(dict *));
void dictInitIterator(dictIterator *iter, dict *d);
void dictInitSafeIterator(dictIterator *iter, dict *d);
void dictResetIterator(dictIterator *iter);
dictIterator *dictGetIterator(dict *d);
dictIterator *dictGetSafeIterator(dict *d);
dictEntry *dictNext(dictIterator *iter);
void dictReleaseIterator(dictIterator *iter);
dictEntry *dictGetRandomKey(dict *d);
dictEntry *dictGetFairRandomKey(dict *d);
unsigned int dictGetSomeKeys(dict *d, dictEntry **des, unsigned int count);
unsigned long dictScan(dict *d, unsigned long v, dictScanFunction *fn, void *privdata);
int dictRehash(dict *d, int n);
int dictRehashMilliseconds(dict *d, int ms);
void dictSetResizeEnabled(int enable);
uint64_t dictGetHash(dict *d, const void *key);
void dictGetStats(char *buf, size_t bufsize, dict *d);
size_t dictEntryMemUsage(void);
size_t dictMemUsage(const dict *d);

/* Hashing: SipHash-1-2 under a process-wide 16-byte seed. */
uint64_t dictGenHashFunction(const void *key, size_t len);
uint64_t dictGenCaseHashFunction(const unsigned char *buf, size_t len);
void dictSetHashFunctionSeed(uint8_t *seed);
uint8_t *dictGetHashFunctionSeed(void);

/* siphash.c */
uint64_t siphash(const uint8_t *in, const size_t inlen, const uint8_t *k);
uint64_t siphash_nocase(const uint8_t *in, const size_t inlen, const uint8_t *k);
uint64_t siphash24(const uint8_t *in, const size_t inlen, const uint8_t *k);

#endif
