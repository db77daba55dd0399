/* Unit tests of ptable.c: adds, finds, deletes and replacements across
 * growth, shrinking and tombstone sweeps; the scan guarantee while the
 * table changes between steps; random picks, samples and iteration. The
 * elements are small structs holding an integer key; a weak hash (the key
 * itself) makes collisions and long runs on purpose in one test. */
#include <stdlib.h>
#include <string.h>

#include "ptable.h"
#include "test.h"

typedef struct elem {
    unsigned long long key;
} elem;

static uint64_t mix(unsigned long long k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    return k ^ (k >> 33);
}

static uint64_t elemHash(const void *e) {
    return mix(((const elem *)e)->key);
}
static int elemMatch(const void *e, const void *key) {
    return ((const elem *)e)->key == *(const unsigned long long *)key;
}
static const ptableType type = {elemHash, elemMatch};

static uint64_t weakHash(const void *e) {
    return ((const elem *)e)->key;
}
static const ptableType weak_type = {weakHash, elemMatch};

static elem *pool;

static elem *find(ptable *t, unsigned long long k) {
    return ptFind(t, t->type->hash(&pool[k]), &k);
}
static void add(ptable *t, unsigned long long k) {
    ptAdd(t, t->type->hash(&pool[k]), &pool[k]);
}
static elem *del(ptable *t, unsigned long long k) {
    return ptDelete(t, t->type->hash(&pool[k]), &k);
}

typedef struct seen {
    unsigned char *count;
} seen;

static void countSeen(void *privdata, void *e) {
    seen *s = privdata;
    s->count[((elem *)e)->key]++;
}

#define N 20000

int main(void) {
    pool = malloc(sizeof(elem) * N);
    for (unsigned long long j = 0; j < N; j++) pool[j].key = j;
    srandom(1);

    TEST("add, find, delete across growth") {
        ptable *t = ptCreate(&type);
        ASSERT(find(t, 1) == NULL);
        for (unsigned long long j = 0; j < N; j++) add(t, j);
        ASSERT_EQ_INT(ptSize(t), N);
        int ok = 1;
        for (unsigned long long j = 0; j < N; j++) ok &= find(t, j) == &pool[j];
        ASSERT(ok);
        for (unsigned long long j = 0; j < N; j += 2) ok &= del(t, j) == &pool[j];
        ASSERT(ok);
        ASSERT(del(t, 0) == NULL);
        ASSERT_EQ_INT(ptSize(t), N / 2);
        for (unsigned long long j = 0; j < N; j++) ok &= (find(t, j) != NULL) == (j % 2 == 1);
        ASSERT(ok);
        ptRelease(t, NULL);
    }

    TEST("tombstones are swept and the table shrinks") {
        ptable *t = ptCreate(&type);
        /* Churn: the table stays small but sees many deletions. */
        for (unsigned long long round = 0; round < 50; round++) {
            for (unsigned long long j = 0; j < 100; j++) add(t, round * 100 + j);
            for (unsigned long long j = 0; j < 100; j++) del(t, round * 100 + j);
        }
        ASSERT_EQ_INT(ptSize(t), 0);
        ASSERT(ptMemUsage(t) <= sizeof(ptable) + 512 * sizeof(uintptr_t));
        for (unsigned long long j = 0; j < 10000; j++) add(t, j);
        for (unsigned long long j = 0; j < 9950; j++) del(t, j);
        while (ptIsRehashing(t)) ptRehashMicroseconds(t, 1000);
        ASSERT(ptShrinkIfSparse(t) == 1);
        while (ptIsRehashing(t)) ptRehashMicroseconds(t, 1000);
        ASSERT(ptMemUsage(t) <= sizeof(ptable) + 128 * sizeof(uintptr_t));
        int ok = 1;
        for (unsigned long long j = 0; j < 10000; j++) ok &= (find(t, j) != NULL) == (j >= 9950);
        ASSERT(ok);
        ptRelease(t, NULL);
    }

    TEST("replace keeps the slot") {
        ptable *t = ptCreate(&type);
        for (unsigned long long j = 0; j < 100; j++) add(t, j);
        elem other = {.key = 7};
        ASSERT(ptReplace(t, elemHash(&pool[7]), &pool[7], &other) == 1);
        ASSERT(find(t, 7) == &other);
        ASSERT(ptReplace(t, elemHash(&pool[7]), &pool[7], &other) == 0);
        ptRelease(t, NULL);
    }

    TEST("collisions: a weak hash gives long runs") {
        ptable *t = ptCreate(&weak_type);
        /* Keys that share their low bits all land on a few homes. */
        for (unsigned long long j = 0; j < 2000; j++) add(t, (j * 1024) % N);
        int ok = 1;
        for (unsigned long long j = 0; j < 2000; j++) ok &= find(t, (j * 1024) % N) != NULL;
        ASSERT(ok);
        ptRelease(t, NULL);
    }

    TEST("scan returns every element present throughout, across resizes") {
        ptable *t = ptCreate(&type);
        for (unsigned long long j = 0; j < 5000; j++) add(t, j);
        seen s = {calloc(N, 1)};
        unsigned long cursor = 0;
        unsigned long long next_add = 5000;
        int steps = 0;
        do {
            cursor = ptScan(t, cursor, countSeen, &s);
            /* Between steps: grow past two doublings, then delete most of
             * the churned keys so it shrinks again; 0..999 stay. */
            if (steps < 3000 && next_add < N) add(t, next_add++);
            if (steps >= 3000 && next_add > 5000) del(t, --next_add);
            if (steps == 3000)
                for (unsigned long long j = 1000; j < 5000; j++) del(t, j);
            if (steps % 100 == 0) ptShrinkIfSparse(t);
            steps++;
        } while (cursor != 0);
        int ok = 1;
        for (unsigned long long j = 0; j < 1000; j++) ok &= s.count[j] >= 1;
        ASSERT(ok);
        free(s.count);
        ptRelease(t, NULL);
    }

    TEST("a full scan of a quiet table returns each element once") {
        ptable *t = ptCreate(&type);
        for (unsigned long long j = 0; j < 3000; j++) add(t, j);
        while (ptIsRehashing(t)) ptRehashMicroseconds(t, 1000);
        seen s = {calloc(N, 1)};
        unsigned long cursor = 0;
        do cursor = ptScan(t, cursor, countSeen, &s);
        while (cursor != 0);
        int ok = 1;
        for (unsigned long long j = 0; j < 3000; j++) ok &= s.count[j] == 1;
        ASSERT(ok);
        free(s.count);
        ptRelease(t, NULL);
    }

    TEST("random picks, samples and iteration") {
        ptable *t = ptCreate(&type);
        ASSERT(ptRandom(t) == NULL);
        for (unsigned long long j = 0; j < 1000; j++) add(t, j);
        int counts[1000] = {0};
        for (int j = 0; j < 100000; j++) counts[((elem *)ptRandom(t))->key]++;
        int lo = 1 << 30, hi = 0;
        for (int j = 0; j < 1000; j++) {
            if (counts[j] < lo) lo = counts[j];
            if (counts[j] > hi) hi = counts[j];
        }
        ASSERT(lo > 40 && hi < 200); /* mean 100 */
        void *out[16];
        ASSERT_EQ_INT(ptSample(t, out, 16), 16);
        ptIterator it;
        ptInitIterator(&it, t);
        size_t n = 0;
        while (ptNext(&it)) n++;
        ptResetIterator(&it);
        ASSERT_EQ_INT(n, 1000);
        char buf[1024];
        ptGetStats(buf, sizeof(buf), t);
        ASSERT(strstr(buf, "number of elements: ") != NULL);
        ptEmpty(t, NULL);
        ASSERT_EQ_INT(ptSize(t), 0);
        ptRelease(t, NULL);
    }

    TEST("expand sizes for a load; resizing can be held back") {
        ptable *t = ptCreate(&type);
        ASSERT(ptExpand(t, 3000) == 1);
        size_t before = ptMemUsage(t);
        for (unsigned long long j = 0; j < 3000; j++) add(t, j);
        ASSERT(!ptIsRehashing(t) && ptMemUsage(t) == before);
        ptSetResizeAllowed(0);
        for (unsigned long long j = 3000; j < 3500; j++) add(t, j); /* over 3/4, under 15/16 */
        ASSERT(ptMemUsage(t) == before);
        ptSetResizeAllowed(1);
        add(t, 3500);
        ASSERT(ptIsRehashing(t));
        ptRelease(t, NULL);
    }

    free(pool);
    return TEST_REPORT();
}
