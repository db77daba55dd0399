/* test_dict.c -- unit tests of dict.c and siphash.c.
 *
 * Two dict types are exercised: integer keys stored in the key pointer
 * (no ownership, cheap to make by the hundred thousand) and C-string keys
 * duplicated and freed by the dict. The scan test checks the SCAN guarantee
 * by growing and shrinking the table between cursor steps.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "zmalloc.h"
#include "unit/test.h"

/* ------------------------------ types ---------------------------------- */

static uint64_t intHash(const void *key) {
    uintptr_t k = (uintptr_t)key;
    return dictGenHashFunction(&k, sizeof(k));
}

static dictType intType = {intHash, NULL, NULL, NULL, NULL, NULL, NULL};

#define IKEY(i) ((void *)(uintptr_t)((i) + 1))
#define IVAL(k) ((long)(uintptr_t)(k) - 1)

static uint64_t strHash(const void *key) {
    return dictGenHashFunction(key, strlen(key));
}

static int strCompare(dict *d, const void *a, const void *b) {
    return strcmp(a, b) == 0;
}

static void *strDup(dict *d, const void *key) {
    return zstrdup(key);
}

static int freed_vals;

static void strFree(dict *d, void *p) {
    zfree(p);
}

static void valFree(dict *d, void *p) {
    freed_vals++;
    zfree(p);
}

static dictType strType = {strHash, strDup, NULL, strCompare, strFree, valFree, NULL};

static char *numStr(long i) {
    static char buf[32];
    snprintf(buf, sizeof(buf), "key:%ld", i);
    return buf;
}

static long *newLong(long v) {
    long *p = zmalloc(sizeof(*p));
    *p = v;
    return p;
}

/* ------------------------------ siphash -------------------------------- */

static void testSiphash(void) {
    uint8_t key[16], msg[64];
    for (int i = 0; i < 16; i++) key[i] = (uint8_t)i;
    for (int i = 0; i < 64; i++) msg[i] = (uint8_t)i;
    ASSERT(siphash24(msg, 0, key) == 0x726fdb47dd0e0e31ULL);
    ASSERT(siphash24(msg, 15, key) == 0xa129ca6149be45e5ULL);
    ASSERT(siphash(msg, 15, key) != siphash24(msg, 15, key));
    /* Every length of a short tail (loaded in overlapping pieces), against
     * a reference implementation's values for both variants. */
    static const struct {
        size_t len;
        uint64_t h24, h12;
    } tails[] = {
        {1, 0x74f839c593dc67fdULL, 0x94aaf38c34ce7ba6ULL}, {2, 0x0d6c8009d9a94f5aULL, 0xfe7a42c2c5fab434ULL},
        {3, 0x85676696d7fb7e2dULL, 0x1c0d255229c3364cULL}, {4, 0xcf2794e0277187b7ULL, 0x8be7847a474dfdf5ULL},
        {5, 0x18765564cd99a68dULL, 0x2858f0420f752296ULL}, {6, 0xcbc9466e58fee3ceULL, 0xe61a8a7d8ac52626ULL},
        {7, 0xab0200f58b01d137ULL, 0xf03c4cbcf492b05aULL}, {8, 0x93f5f5799a932462ULL, 0x606845b4d093af74ULL},
        {9, 0x9e0082df0ba9e4b0ULL, 0xe304e78271c74a56ULL}, {11, 0xf4b32f46226bada7ULL, 0x226212e5f29ab45cULL},
        {13, 0x14ea5627c0843d90ULL, 0x624317667190806fULL},
    };
    for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
        ASSERT(siphash24(msg, tails[i].len, key) == tails[i].h24);
        ASSERT(siphash(msg, tails[i].len, key) == tails[i].h12);
    }
    /* The case-folding variant reads byte by byte: it agrees on lower case
     * text of every length. */
    const char *text = "abcdefghijklmnopqrstuvwxyz0123456789:_-abcdefghij";
    for (size_t n = 0; n <= strlen(text); n++)
        ASSERT(siphash((const uint8_t *)text, n, key) == siphash_nocase((const uint8_t *)text, n, key));
    ASSERT(siphash((const uint8_t *)"hello world!", 12, key) ==
           siphash_nocase((const uint8_t *)"HeLLo WORLD!", 12, key));
    ASSERT(siphash((const uint8_t *)"hello", 5, key) != siphash((const uint8_t *)"hellp", 5, key));
    ASSERT(dictGenCaseHashFunction((const unsigned char *)"GET", 3) ==
           dictGenCaseHashFunction((const unsigned char *)"get", 3));
    uint8_t seed[16] = {1, 2, 3};
    uint64_t before = dictGenHashFunction("abc", 3);
    dictSetHashFunctionSeed(seed);
    ASSERT(memcmp(dictGetHashFunctionSeed(), seed, 16) == 0);
    ASSERT(dictGenHashFunction("abc", 3) != before);
}

/* ------------------------------ basics --------------------------------- */

static void testAddFindDelete(void) {
    const long n = 100000;
    dict *d = dictCreate(&intType);
    int ok = 1;
    for (long i = 0; i < n; i++) ok &= dictAdd(d, IKEY(i), IKEY(i * 2)) == DICT_OK;
    ASSERT(ok);
    ASSERT(dictSize(d) == (unsigned long)n);
    ASSERT(dictAdd(d, IKEY(5), NULL) == DICT_ERR);
    for (long i = 0; i < n && ok; i++) {
        dictEntry *de = dictFind(d, IKEY(i));
        ok = de && dictGetKey(de) == IKEY(i) && dictGetVal(de) == IKEY(i * 2);
    }
    ASSERT(ok);
    ASSERT(dictFind(d, IKEY(n)) == NULL);
    ASSERT(dictFetchValue(d, IKEY(7)) == IKEY(14));
    for (long i = 0; i < n; i += 2) ok &= dictDelete(d, IKEY(i)) == DICT_OK;
    ASSERT(ok);
    ASSERT(dictDelete(d, IKEY(0)) == DICT_ERR);
    ASSERT(dictSize(d) == (unsigned long)n / 2);
    for (long i = 0; i < n; i++) ok &= (dictFind(d, IKEY(i)) != NULL) == (i % 2 == 1);
    ASSERT(ok);
    while (dictIsRehashing(d)) dictRehash(d, 100);
    ASSERT(dictResize(d) == DICT_OK);
    while (dictIsRehashing(d)) dictRehash(d, 100);
    ASSERT(dictSlots(d) == 65536);
    for (long i = 1; i < n; i += 2) ok &= dictFind(d, IKEY(i)) != NULL;
    ASSERT(ok);
    dictRelease(d);
}

static void testStringKeys(void) {
    dict *d = dictCreate(&strType);
    freed_vals = 0;
    for (long i = 0; i < 1000; i++) ASSERT(dictAdd(d, numStr(i), newLong(i)) == DICT_OK);
    /* Keys were duplicated: the static buffer changes but entries stay. */
    ASSERT(*(long *)dictFetchValue(d, "key:10") == 10);
    ASSERT(dictReplace(d, "key:10", newLong(-10)) == 0);
    ASSERT(freed_vals == 1);
    ASSERT(*(long *)dictFetchValue(d, "key:10") == -10);
    ASSERT(dictReplace(d, "new", newLong(99)) == 1);
    ASSERT(dictSize(d) == 1001);
    dictEntry *de = dictUnlink(d, "key:20");
    ASSERT(de && strcmp(dictGetKey(de), "key:20") == 0);
    ASSERT(dictFind(d, "key:20") == NULL);
    ASSERT(dictSize(d) == 1000);
    dictFreeUnlinkedEntry(d, de);
    ASSERT(freed_vals == 2);
    ASSERT(dictUnlink(d, "nope") == NULL);
    dictFreeUnlinkedEntry(d, NULL);
    de = dictAddOrFind(d, "key:30");
    ASSERT(de && *(long *)dictGetVal(de) == 30);
    de = dictAddOrFind(d, "fresh");
    ASSERT(de && dictGetVal(de) == NULL && dictSize(d) == 1001);
    dictSetVal(d, de, newLong(5));
    dictEntry *existing = NULL;
    ASSERT(dictAddRaw(d, "fresh", &existing) == NULL && existing == de);
    ASSERT(dictDelete(d, "key:999") == DICT_OK);
    ASSERT(freed_vals == 3);
    dictRelease(d);
}

static void testNumericVals(void) {
    dict *d = dictCreate(&intType);
    dictEntry *de = dictAddRaw(d, IKEY(1), NULL);
    dictSetSignedIntegerVal(de, -42);
    ASSERT(dictGetSignedIntegerVal(dictFind(d, IKEY(1))) == -42);
    dictSetUnsignedIntegerVal(de, UINT64_MAX);
    ASSERT(dictGetUnsignedIntegerVal(de) == UINT64_MAX);
    dictSetDoubleVal(de, 3.5);
    ASSERT(dictGetDoubleVal(de) == 3.5);
    ASSERT(dictEntryMemUsage() == sizeof(dictEntry));
    ASSERT(dictMemUsage(d) >= sizeof(dictEntry) + 4 * sizeof(dictEntry *));
    dictRelease(d);
}

/* ------------------------------ rehash --------------------------------- */

static void testRehash(void) {
    dict *d = dictCreate(&intType);
    long i = 0;
    while (!dictIsRehashing(d)) dictAdd(d, IKEY(i), NULL), i++;
    ASSERT(i == 5); /* 4 buckets full, the 5th add grows to 8 */
    ASSERT(dictSlots(d) == 4 + 8);
    for (long j = 0; j < 1000; j++) dictAdd(d, IKEY(i + j), NULL);
    int ok = 1;
    for (long j = 0; j < i + 1000; j++) ok &= dictFind(d, IKEY(j)) != NULL;
    ASSERT(ok);
    ASSERT(dictSize(d) == (unsigned long)(i + 1000));
    /* Explicit expand refused while rehashing; completes later. */
    while (dictIsRehashing(d)) dictRehash(d, 1);
    ASSERT(dictExpand(d, 100000) == DICT_OK);
    ASSERT(dictIsRehashing(d));
    ASSERT(dictExpand(d, 200000) == DICT_ERR);
    dictRehashMilliseconds(d, 1000);
    ASSERT(!dictIsRehashing(d));
    ASSERT(dictSlots(d) == 131072);
    ASSERT(dictExpand(d, 10) == DICT_ERR);        /* below element count */
    ASSERT(dictTryExpand(d, 131072) == DICT_ERR); /* same size */
    /* Paused rehashing does not progress on lookups. */
    ASSERT(dictResize(d) == DICT_OK);
    dictPauseRehashing(d);
    long idx = d->rehashidx;
    for (long j = 0; j < 100; j++) dictFind(d, IKEY(j));
    ASSERT(d->rehashidx == idx);
    ASSERT(dictRehashMilliseconds(d, 10) == 0);
    dictResumeRehashing(d);
    for (long j = 0; j < 100; j++) dictFind(d, IKEY(j));
    ASSERT(d->rehashidx != idx);
    dictRelease(d);
}

static int veto_calls;
static int vetoExpand(size_t moreMem, double usedRatio) {
    veto_calls++;
    return usedRatio >= 3.0;
}

static void testResizePolicy(void) {
    dictSetResizeEnabled(0);
    dict *d = dictCreate(&intType);
    for (long i = 0; i < 20; i++) dictAdd(d, IKEY(i), NULL);
    ASSERT(dictSlots(d) == 4);          /* 20/4 = 5: not above the ratio yet */
    ASSERT(dictResize(d) == DICT_ERR);
    for (long i = 20; i < 30; i++) dictAdd(d, IKEY(i), NULL);
    ASSERT(dictSlots(d) > 4);           /* forced growth past ratio 5 */
    dictSetResizeEnabled(1);
    dictRelease(d);

    dictType vt = intType;
    vt.expandAllowed = vetoExpand;
    d = dictCreate(&vt);
    for (long i = 0; i < 8; i++) dictAdd(d, IKEY(i), NULL);
    ASSERT(veto_calls > 0);
    ASSERT(dictSlots(d) == 4);          /* vetoed until ratio 3 */
    for (long i = 8; i < 13; i++) dictAdd(d, IKEY(i), NULL);
    ASSERT(dictSlots(d) > 4);
    dictRelease(d);
}

/* ------------------------------ iteration ------------------------------ */

static void testIterators(void) {
    dict *d = dictCreate(&intType);
    const long n = 5000;
    for (long i = 0; i < n; i++) dictAdd(d, IKEY(i), NULL);
    char *seen = zcalloc((size_t)n);
    dictIterator *it = dictGetIterator(d);
    dictEntry *de;
    long count = 0;
    while ((de = dictNext(it)) != NULL) {
        seen[IVAL(dictGetKey(de))]++;
        count++;
    }
    dictReleaseIterator(it);
    ASSERT(count == n);
    int ok = 1;
    for (long i = 0; i < n; i++) ok &= seen[i] == 1;
    ASSERT(ok);

    /* Safe iterator on a rehashing dict: delete odd keys as we go. */
    dictExpand(d, 3 * n);
    ASSERT(dictIsRehashing(d));
    memset(seen, 0, (size_t)n);
    dictIterator sit;
    dictInitSafeIterator(&sit, d);
    count = 0;
    while ((de = dictNext(&sit)) != NULL) {
        long k = IVAL(dictGetKey(de));
        seen[k]++;
        count++;
        if (k % 2) ASSERT(dictDelete(d, dictGetKey(de)) == DICT_OK);
        ASSERT(d->pauserehash == 1);
    }
    dictResetIterator(&sit);
    ASSERT(d->pauserehash == 0);
    ASSERT(count == n);
    ok = 1;
    for (long i = 0; i < n; i++) ok &= seen[i] == 1;
    ASSERT(ok);
    ASSERT(dictSize(d) == (unsigned long)n / 2);

    /* Delete everything through a safe iterator. */
    it = dictGetSafeIterator(d);
    while ((de = dictNext(it)) != NULL) dictDelete(d, dictGetKey(de));
    dictReleaseIterator(it);
    ASSERT(dictSize(d) == 0);

    /* Iterating an empty (table-less) dict. */
    dict *e = dictCreate(&intType);
    it = dictGetIterator(e);
    ASSERT(dictNext(it) == NULL);
    dictReleaseIterator(it);
    dictRelease(e);
    zfree(seen);
    dictRelease(d);
}

/* ------------------------------ sampling ------------------------------- */

static void testRandom(void) {
    dict *d = dictCreate(&intType);
    ASSERT(dictGetRandomKey(d) == NULL);
    ASSERT(dictGetFairRandomKey(d) == NULL);
    const long n = 1000;
    for (long i = 0; i < n; i++) dictAdd(d, IKEY(i), NULL);
    char *hit = zcalloc((size_t)n);
    int ok = 1;
    for (int r = 0; r < 20000; r++) {
        dictEntry *de = r % 2 ? dictGetRandomKey(d) : dictGetFairRandomKey(d);
        ok &= de != NULL && dictFind(d, dictGetKey(de)) == de;
        if (de) hit[IVAL(dictGetKey(de))] = 1;
    }
    ASSERT(ok);
    long distinct = 0;
    for (long i = 0; i < n; i++) distinct += hit[i];
    ASSERT(distinct > n * 9 / 10);

    dictExpand(d, 4 * n); /* sample across both tables too */
    for (int round = 0; round < 2; round++) {
        dictEntry *des[50];
        unsigned int got = dictGetSomeKeys(d, des, 50);
        ASSERT(got > 0 && got <= 50);
        memset(hit, 0, (size_t)n);
        ok = 1;
        for (unsigned int j = 0; j < got; j++) {
            long k = IVAL(dictGetKey(des[j]));
            ok &= k >= 0 && k < n && !hit[k];
            hit[k] = 1;
        }
        ASSERT(ok);
        while (dictIsRehashing(d)) dictRehash(d, 100);
    }
    dictEntry *few[10];
    dict *small = dictCreate(&intType);
    dictAdd(small, IKEY(1), NULL);
    dictAdd(small, IKEY(2), NULL);
    ASSERT(dictGetSomeKeys(small, few, 10) == 2);
    dictRelease(small);
    zfree(hit);
    dictRelease(d);
}

/* -------------------------------- scan --------------------------------- */

typedef struct scanState {
    char *seen;
    long limit;
    long calls;
} scanState;

static void scanCb(void *privdata, const dictEntry *de) {
    scanState *st = privdata;
    long k = IVAL(dictGetKey(de));
    if (k < st->limit) st->seen[k] = 1;
    st->calls++;
}

static int allSeen(scanState *st) {
    for (long i = 0; i < st->limit; i++)
        if (!st->seen[i]) return 0;
    return 1;
}

static void scanWithChurn(long base, int shrinkFirst) {
    dict *d = dictCreate(&intType);
    const long extra = 20000;
    for (long i = 0; i < base; i++) dictAdd(d, IKEY(i), NULL);
    if (shrinkFirst)
        for (long i = 0; i < extra; i++) dictAdd(d, IKEY(base + i), NULL);
    while (dictIsRehashing(d)) dictRehash(d, 100);
    scanState st = {zcalloc((size_t)base), base, 0};
    unsigned long cursor = 0;
    long steps = 0;
    do {
        cursor = dictScan(d, cursor, scanCb, &st);
        steps++;
        if (steps == 3 && !shrinkFirst)          /* grow: rehash begins */
            for (long i = 0; i < extra; i++) dictAdd(d, IKEY(base + i), NULL);
        if (steps == 3 && shrinkFirst) {         /* shrink: delete and resize */
            for (long i = 0; i < extra; i++) dictDelete(d, IKEY(base + i));
            while (dictIsRehashing(d)) dictRehash(d, 100);
            dictResize(d);
        }
        if (steps % 4 == 0) dictRehash(d, 3);    /* keep the rehash mid-way */
        if (steps == 40 && !shrinkFirst) {
            while (dictIsRehashing(d)) dictRehash(d, 100);
            for (long i = 0; i < extra; i++) dictDelete(d, IKEY(base + i));
            dictResize(d);                       /* shrink while scanning */
        }
    } while (cursor != 0 && steps < 10000000);
    ASSERT(cursor == 0);
    ASSERT(allSeen(&st));
    ASSERT(st.calls >= base);
    zfree(st.seen);
    dictRelease(d);
}

static void testScan(void) {
    dict *d = dictCreate(&intType);
    ASSERT(dictScan(d, 0, scanCb, NULL) == 0);
    dictRelease(d);
    scanWithChurn(1000, 0);
    scanWithChurn(1000, 1);
    scanWithChurn(37, 0);
    /* A plain scan of a stable table visits each element exactly once. */
    d = dictCreate(&intType);
    for (long i = 0; i < 3000; i++) dictAdd(d, IKEY(i), NULL);
    while (dictIsRehashing(d)) dictRehash(d, 100);
    scanState st = {zcalloc(3000), 3000, 0};
    unsigned long cursor = 0;
    do cursor = dictScan(d, cursor, scanCb, &st); while (cursor);
    ASSERT(allSeen(&st) && st.calls == 3000);
    zfree(st.seen);
    dictRelease(d);
}

/* ------------------------------ misc ----------------------------------- */

static int empty_cb_calls;
static void emptyCb(dict *d) {
    empty_cb_calls++;
}

static void testEmptyAndStats(void) {
    dict *d = dictCreate(&intType);
    char buf[4096];
    dictGetStats(buf, sizeof(buf), d);
    ASSERT(strstr(buf, "No stats available") != NULL);
    for (long i = 0; i < 200000; i++) dictAdd(d, IKEY(i), NULL);
    while (dictIsRehashing(d)) dictRehash(d, 1000);
    dictGetStats(buf, sizeof(buf), d);
    ASSERT(strstr(buf, "table size: 262144") != NULL);
    ASSERT(strstr(buf, "number of elements: 200000") != NULL);
    ASSERT(strstr(buf, "max chain length: ") != NULL);
    dictExpand(d, 600000);
    dictGetStats(buf, sizeof(buf), d);
    ASSERT(strstr(buf, "Hash table 1 stats") != NULL);
    char tiny[16];
    dictGetStats(tiny, sizeof(tiny), d);
    ASSERT(strlen(tiny) == sizeof(tiny) - 1);
    dictEmpty(d, emptyCb);
    ASSERT(empty_cb_calls >= 4); /* once per 65536 buckets of the 262144 */
    ASSERT(dictSize(d) == 0 && dictSlots(d) == 0 && !dictIsRehashing(d));
    ASSERT(dictAdd(d, IKEY(1), NULL) == DICT_OK && dictSlots(d) == 4);
    dictRelease(d);
}

int main(void) {
    size_t used_at_start = zmalloc_used_memory();
    srandom(1234);
    TEST("siphash: reference SipHash-2-4 vectors and case folding") testSiphash();
    TEST("dict: add/find/delete 100k keys") testAddFindDelete();
    TEST("dict: owned string keys, replace, unlink, add-or-find") testStringKeys();
    TEST("dict: integer and double values") testNumericVals();
    TEST("dict: lookups and inserts while rehashing") testRehash();
    TEST("dict: resize disabled, forced ratio, expandAllowed veto") testResizePolicy();
    TEST("dict: unsafe and safe iterators, deletion while iterating") testIterators();
    TEST("dict: random keys and sampling") testRandom();
    TEST("dict: scan returns every stable element across grow and shrink") testScan();
    TEST("dict: empty with callback, stats text") testEmptyAndStats();
    TEST("dict: every allocation was freed") ASSERT_EQ_INT(zmalloc_used_memory(), used_at_start);
    return TEST_REPORT();
}
