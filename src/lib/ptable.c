/* ptable.c -- an open-addressing hash table of pointers.
 *
 * The table is an array of slots whose size is a power of two. A slot is
 * empty (0), a tombstone (1: an element was deleted here) or holds an
 * element pointer. An element's home is its hash masked to the array; it
 * lives at its home or at the first free slot after it (linear probing,
 * wrapping), so a lookup walks from the home until it finds the key or an
 * empty slot. Tombstones keep those walks going past deleted elements.
 *
 * Tags. On 64-bit hosts user-space pointers leave the top 16 bits zero, so
 * a slot keeps the top 16 bits of its element's hash there. A lookup
 * compares the tag first and looks at an element (a cache miss) only when
 * the tag matches: one in 65,536 strangers, instead of every one on the
 * walk. A slot is 8 bytes and there is nothing else per element.
 *
 * Elements never move inside an array: deletion leaves a tombstone (or an
 * empty slot, when the next slot is empty, together with the tombstones
 * just before it), insertion takes the first tombstone or empty slot of
 * the walk. That is what makes a scan cursor possible (below).
 *
 * Resizing. An array is kept at most 3/4 filled, tombstones included (or
 * 15/16 while resizing is disallowed because a fork child shares the
 * pages). Past that, a new array is made for twice the elements, which
 * grows the table, shrinks it, or just sweeps out tombstones at the same
 * size. Moving everything at once would stall a big table, so there are
 * two arrays while rehashing: every add and delete moves a few slots of
 * array 0 into array 1 (and a cron may spend a time budget on it). Moved
 * slots become tombstones in array 0 so the walks through them still
 * reach the elements not moved yet; lookups search both arrays, inserts
 * go to array 1. Lookups and replacements never move anything, so an
 * iterator is safe as long as nobody adds or deletes.
 *
 * Scanning. The cursor names a home slot, visited in reverse-binary order
 * as in dict.c: a home slot at one size corresponds to a contiguous set of
 * cursor values at any other size. A step reports the elements whose home
 * is the cursor's: it walks from that slot to the next empty one,
 * rehashing each element it meets to check its home. Since elements never
 * move inside an array and only go from array 0 to array 1, every element
 * present for a whole walk of the cursor is reported at least once, across
 * any resizes; some may be reported twice.
 *
 * File-scope state: the resize switch, process-wide like dict.c's.
 */
#include "ptable.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zmalloc.h"

#define PT_MIN_EXP 2
#define PT_STEP_MOVES 4   /* elements moved per add/delete while rehashing */
#define PT_STEP_VISITS 40 /* slots looked at per add/delete while rehashing */

static int pt_resize_allowed = 1;

static void ptPanic(const char *what) {
    fprintf(stderr, "ptable: assertion failed: %s\n", what);
    abort();
}
#define ptAssert(c) do { if (!(c)) ptPanic(#c); } while (0)

static inline int isElem(uintptr_t v) {
    return ptSlotIsElem(v);
}
static inline void *elemOf(uintptr_t v) {
    return ptSlotElem(v);
}
static inline size_t sizeOf(const ptable *t, int i) {
    return t->slots[i] ? (size_t)1 << t->exp[i] : 0;
}
static inline size_t maskOf(const ptable *t, int i) {
    return ((size_t)1 << t->exp[i]) - 1;
}

void ptSetResizeAllowed(int allowed) {
    pt_resize_allowed = allowed;
}

ptable *ptCreate(const ptableType *type) {
    ptable *t = zcalloc(sizeof(*t));
    t->type = type;
    return t;
}

/* Calls freefn on every element of both arrays and frees them. */
static void freeArrays(ptable *t, ptFreeFunction *freefn) {
    for (int i = 0; i < 2; i++) {
        if (!t->slots[i]) continue;
        if (freefn) {
            size_t n = sizeOf(t, i);
            for (size_t j = 0; j < n; j++)
                if (isElem(t->slots[i][j])) freefn(elemOf(t->slots[i][j]));
        }
        zfree(t->slots[i]);
        t->slots[i] = NULL;
        t->used[i] = t->filled[i] = 0;
    }
    t->rehash_idx = 0;
    t->changes++;
}

void ptRelease(ptable *t, ptFreeFunction *freefn) {
    freeArrays(t, freefn);
    zfree(t);
}

void ptEmpty(ptable *t, ptFreeFunction *freefn) {
    freeArrays(t, freefn);
}

/* The smallest exponent whose array holds n elements at most half full. */
static unsigned char expFor(size_t n) {
    unsigned char e = PT_MIN_EXP;
    while (((size_t)1 << e) < n * 2) e++;
    return e;
}

/* Puts the element (slot value v, tag included) at the first free slot of
 * its walk in array i. */
static void placeIn(ptable *t, int i, uint64_t hash, uintptr_t v) {
    uintptr_t *s = t->slots[i];
    size_t mask = maskOf(t, i), pos = hash & mask;
    while (isElem(s[pos])) pos = (pos + 1) & mask;
    if (s[pos] == PT_EMPTY) t->filled[i]++;
    s[pos] = v;
    t->used[i]++;
}

/* Array 1 replaces array 0 once everything has moved. */
static void finishRehash(ptable *t) {
    zfree(t->slots[0]);
    t->slots[0] = t->slots[1];
    t->exp[0] = t->exp[1];
    t->used[0] = t->used[1];
    t->filled[0] = t->filled[1];
    t->slots[1] = NULL;
    t->used[1] = t->filled[1] = 0;
    t->rehash_idx = 0;
}

/* Moves up to `moves` elements of array 0, looking at `visits` slots at
 * most. */
static void rehashStep(ptable *t, int moves, long visits) {
    uintptr_t *s = t->slots[0];
    size_t size = sizeOf(t, 0);
    while (t->used[0] > 0 && t->rehash_idx < size && moves > 0 && visits-- > 0) {
        uintptr_t v = s[t->rehash_idx];
        if (isElem(v)) {
            placeIn(t, 1, t->type->hash(elemOf(v)), v);
            s[t->rehash_idx] = PT_TOMB;
            t->used[0]--;
            moves--;
        }
        t->rehash_idx++;
    }
    if (t->used[0] == 0) finishRehash(t);
    t->changes++;
}

/* Starts moving into an array sized for n elements (or just makes one when
 * the table is empty). */
static void startResize(ptable *t, size_t n) {
    unsigned char e = expFor(n);
    uintptr_t *fresh = zcalloc(((size_t)1 << e) * sizeof(uintptr_t));
    if (t->slots[0] == NULL || t->used[0] == 0) {
        zfree(t->slots[0]);
        t->slots[0] = fresh;
        t->exp[0] = e;
        t->used[0] = t->filled[0] = 0;
        return;
    }
    t->slots[1] = fresh;
    t->exp[1] = e;
    t->rehash_idx = 0;
}

/* 1 if array i has no room for one more filled slot under the limit. */
static int overfilled(const ptable *t, int i, int strict) {
    size_t size = sizeOf(t, i), f = t->filled[i] + 1;
    if (strict) return f * 4 > size * 3;
    return f * 16 > size * 15;
}

/* The slot holding an element with key in array i, or NULL. */
static uintptr_t *findIn(ptable *t, int i, uint64_t hash, const void *key) {
    uintptr_t *s = t->slots[i];
    if (s == NULL) return NULL;
    size_t mask = maskOf(t, i), pos = hash & mask;
    uintptr_t tag = PT_TAG(hash);
    for (;;) {
        uintptr_t v = s[pos];
        if (v == PT_EMPTY) return NULL;
        if (isElem(v) && (v & ~PT_PTR_MASK) == tag && t->type->match(elemOf(v), key)) return &s[pos];
        pos = (pos + 1) & mask;
    }
}

void *ptFind(ptable *t, uint64_t hash, const void *key) {
    return ptFindWith(t, hash, key, t->type->match);
}

void ptAdd(ptable *t, uint64_t hash, void *elem) {
    ptAssert(((uintptr_t)elem & ~PT_PTR_MASK) == 0 && (uintptr_t)elem > PT_TOMB);
    if (ptIsRehashing(t)) {
        rehashStep(t, PT_STEP_MOVES, PT_STEP_VISITS);
        /* Inserts outran the rehash: finish it before array 1 fills up. */
        while (ptIsRehashing(t) && overfilled(t, 1, 1)) rehashStep(t, 1 << 30, 1L << 62);
    }
    if (!ptIsRehashing(t)) {
        if (t->slots[0] == NULL)
            startResize(t, 1);
        else if (overfilled(t, 0, pt_resize_allowed))
            startResize(t, t->used[0] + 1);
    }
    t->changes++;
    placeIn(t, ptIsRehashing(t) ? 1 : 0, hash, (uintptr_t)elem | PT_TAG(hash));
}

/* Frees the slot at pos of array i: a tombstone, or empty (with the
 * tombstones just before it) when the next slot is empty. */
static void vacate(ptable *t, int i, size_t pos) {
    uintptr_t *s = t->slots[i];
    size_t mask = maskOf(t, i);
    t->used[i]--;
    if (s[(pos + 1) & mask] != PT_EMPTY) {
        s[pos] = PT_TOMB;
        return;
    }
    s[pos] = PT_EMPTY;
    t->filled[i]--;
    for (pos = (pos - 1) & mask; s[pos] == PT_TOMB; pos = (pos - 1) & mask) {
        s[pos] = PT_EMPTY;
        t->filled[i]--;
    }
}

void *ptDelete(ptable *t, uint64_t hash, const void *key) {
    if (ptIsRehashing(t)) rehashStep(t, PT_STEP_MOVES, PT_STEP_VISITS);
    for (int i = 0; i < 2; i++) {
        uintptr_t *ref = findIn(t, i, hash, key);
        if (ref == NULL) continue;
        void *elem = elemOf(*ref);
        vacate(t, i, (size_t)(ref - t->slots[i]));
        t->changes++;
        return elem;
    }
    return NULL;
}

int ptReplace(ptable *t, uint64_t hash, const void *elem, void *newelem) {
    ptAssert(((uintptr_t)newelem & ~PT_PTR_MASK) == 0 && (uintptr_t)newelem > PT_TOMB);
    for (int i = 0; i < 2; i++) {
        uintptr_t *s = t->slots[i];
        if (s == NULL) continue;
        size_t mask = maskOf(t, i), pos = hash & mask;
        for (uintptr_t v; (v = s[pos]) != PT_EMPTY; pos = (pos + 1) & mask) {
            if (isElem(v) && elemOf(v) == elem) {
                s[pos] = (v & ~PT_PTR_MASK) | (uintptr_t)newelem;
                return 1;
            }
        }
    }
    return 0;
}

int ptExpand(ptable *t, size_t n) {
    if (ptSize(t) != 0 || ptIsRehashing(t)) return 0;
    unsigned char e = PT_MIN_EXP;
    while (((size_t)1 << e) * 3 < n * 4) e++;
    zfree(t->slots[0]);
    t->slots[0] = zcalloc(((size_t)1 << e) * sizeof(uintptr_t));
    t->exp[0] = e;
    t->used[0] = t->filled[0] = 0;
    t->changes++;
    return 1;
}

int ptShrinkIfSparse(ptable *t) {
    if (!pt_resize_allowed || ptIsRehashing(t) || t->slots[0] == NULL) return 0;
    size_t size = sizeOf(t, 0);
    if (size <= ((size_t)1 << PT_MIN_EXP) || t->used[0] * 10 >= size) return 0;
    if (t->used[0] == 0) {
        freeArrays(t, NULL);
        return 1;
    }
    startResize(t, t->used[0]);
    return 1;
}

static long long monotonicUs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int ptRehashMicroseconds(ptable *t, long long us) {
    long long start = monotonicUs();
    while (ptIsRehashing(t)) {
        rehashStep(t, 100, 1000);
        if (monotonicUs() - start >= us) break;
    }
    return ptIsRehashing(t);
}

/* ----------------------------------------------------------- sampling */

static uint64_t random64(void) {
    return ((uint64_t)random() << 42) ^ ((uint64_t)random() << 21) ^ (uint64_t)random();
}

/* An array picked with probability proportional to its elements. */
static int randomArray(const ptable *t) {
    if (!ptIsRehashing(t) || t->used[1] == 0) return 0;
    if (t->used[0] == 0) return 1;
    return random64() % ptSize(t) < t->used[0] ? 0 : 1;
}

void *ptRandom(ptable *t) {
    if (ptSize(t) == 0) return NULL;
    int i = randomArray(t);
    uintptr_t *s = t->slots[i];
    size_t mask = maskOf(t, i), pos = 0;
    /* Each element has one slot, so a random slot that holds one gives a
     * uniform pick; a table left sparse falls back to the next element. */
    for (int tries = 0; tries < 100; tries++) {
        pos = random64() & mask;
        if (isElem(s[pos])) return elemOf(s[pos]);
    }
    while (!isElem(s[pos])) pos = (pos + 1) & mask;
    return elemOf(s[pos]);
}

unsigned int ptSample(ptable *t, void **out, unsigned int count) {
    if (ptSize(t) == 0 || count == 0) return 0;
    int i = randomArray(t);
    uintptr_t *s = t->slots[i];
    size_t mask = maskOf(t, i), pos = random64() & mask, size = sizeOf(t, i);
    size_t visits = (size_t)count * 16 + 64;
    if (visits > size) visits = size;
    unsigned int n = 0;
    for (; visits > 0 && n < count; visits--, pos = (pos + 1) & mask)
        if (isElem(s[pos])) out[n++] = elemOf(s[pos]);
    return n;
}

/* ------------------------------------------------------------- scan */

/* Calls fn on the elements of array i whose home is h. */
static void scanHome(ptable *t, int i, size_t h, ptScanFunction *fn, void *privdata) {
    uintptr_t *s = t->slots[i];
    size_t mask = maskOf(t, i), pos = h;
    do {
        uintptr_t v = s[pos];
        if (v == PT_EMPTY) return;
        if (isElem(v) && (t->type->hash(elemOf(v)) & mask) == h) fn(privdata, elemOf(v));
        pos = (pos + 1) & mask;
    } while (pos != h);
}

static unsigned long rev(unsigned long v) {
    unsigned long s = 8 * sizeof(v), mask = ~0UL;
    while ((s >>= 1) > 0) {
        mask ^= (mask << s);
        v = ((v >> s) & mask) | ((v << s) & ~mask);
    }
    return v;
}

/* The cursor after v for an array of the given mask. */
static unsigned long nextCursor(unsigned long v, unsigned long mask) {
    v |= ~mask;
    v = rev(v);
    v++;
    return rev(v);
}

unsigned long ptScan(ptable *t, unsigned long cursor, ptScanFunction *fn, void *privdata) {
    if (ptSize(t) == 0) return 0;
    if (!ptIsRehashing(t)) {
        unsigned long m = maskOf(t, 0);
        scanHome(t, 0, cursor & m, fn, privdata);
        return nextCursor(cursor, m);
    }
    int small = t->exp[0] <= t->exp[1] ? 0 : 1, large = 1 - small;
    unsigned long ms = maskOf(t, small), ml = maskOf(t, large);
    scanHome(t, small, cursor & ms, fn, privdata);
    do {
        scanHome(t, large, cursor & ml, fn, privdata);
        cursor = nextCursor(cursor, ml);
    } while (cursor & (ms ^ ml));
    return cursor;
}

/* ---------------------------------------------------------- iterator */

void ptInitIterator(ptIterator *it, ptable *t) {
    it->t = t;
    it->table = 0;
    it->idx = 0;
    it->changes = t->changes;
}

void *ptNext(ptIterator *it) {
    ptable *t = it->t;
    for (; it->table < 2; it->table++, it->idx = 0) {
        size_t size = sizeOf(t, it->table);
        while (it->idx < size) {
            uintptr_t v = t->slots[it->table][it->idx++];
            if (isElem(v)) return elemOf(v);
        }
    }
    return NULL;
}

void ptResetIterator(ptIterator *it) {
    ptAssert(it->changes == it->t->changes);
}

/* ------------------------------------------------------------- stats */

size_t ptMemUsage(const ptable *t) {
    return sizeof(*t) + (sizeOf(t, 0) + sizeOf(t, 1)) * sizeof(uintptr_t);
}

/* Appends one array's figures: size, elements, tombstones, the longest
 * and the mean run of non-empty slots. */
static size_t arrayStats(char *buf, size_t bufsize, const ptable *t, int i) {
    size_t size = sizeOf(t, i), runs = 0, longest = 0, run = 0, inruns = 0;
    for (size_t j = 0; j < size; j++) {
        if (t->slots[i][j] != PT_EMPTY) {
            run++;
            continue;
        }
        if (run) {
            runs++;
            inruns += run;
            if (run > longest) longest = run;
        }
        run = 0;
    }
    if (run) {
        runs++;
        inruns += run;
        if (run > longest) longest = run;
    }
    int n = snprintf(buf, bufsize,
                     "Hash table %d stats (%s):\n"
                     " table size: %zu\n"
                     " number of elements: %zu\n"
                     " tombstones: %zu\n"
                     " longest run of filled slots: %zu\n"
                     " mean run of filled slots: %.02f\n",
                     i, i == 0 ? "main hash table" : "rehashing target", size, t->used[i],
                     t->filled[i] - t->used[i], longest, runs ? (double)inruns / (double)runs : 0.0);
    return n < 0 ? 0 : ((size_t)n < bufsize ? (size_t)n : bufsize - 1);
}

void ptGetStats(char *buf, size_t bufsize, const ptable *t) {
    if (bufsize == 0) return;
    buf[0] = '\0';
    if (ptSize(t) == 0 && t->slots[0] == NULL) {
        snprintf(buf, bufsize, "No stats available for empty dictionaries\n");
        return;
    }
    size_t off = 0;
    for (int i = 0; i < 2 && off < bufsize - 1; i++)
        if (t->slots[i]) off += arrayStats(buf + off, bufsize - off, t, i);
}
