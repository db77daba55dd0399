/* ptable.h -- an open-addressing hash table of pointers, with incremental
 * rehashing and a SCAN cursor.
 *
 * A ptable stores pointers to elements that carry their own key (the
 * keyspace stores its entries this way: one pointer per key, no node per
 * element). The ptableType says how to hash a stored element and whether
 * an element has a given key; the caller computes the hash of a key it
 * looks up and passes it in, so a key is hashed once per lookup. See
 * ptable.c for the design (linear probing, tags in the pointers' spare
 * high bits, tombstones, two arrays while rehashing, reverse-binary scan).
 *
 * Elements are never owned: the table does not free them (ptRelease and
 * ptEmpty take a callback for that). An element pointer must be non-NULL,
 * aligned to 2 bytes at least, and (on 64-bit hosts) below 2^48.
 */
#ifndef EMBER_PTABLE_H
#define EMBER_PTABLE_H

#include <stddef.h>
#include <stdint.h>

typedef struct ptableType {
    uint64_t (*hash)(const void *elem);              /* the hash of a stored element's key */
    int (*match)(const void *elem, const void *key); /* 1 if elem has key */
} ptableType;

typedef struct ptable {
    const ptableType *type;
    uintptr_t *slots[2];   /* [1] exists only while rehashing [0] into it */
    size_t used[2];        /* elements in each array */
    size_t filled[2];      /* elements and tombstones in each array */
    size_t rehash_idx;     /* next slot of [0] to move while rehashing */
    unsigned char exp[2];  /* log2 of each array's size (when it exists) */
    unsigned long long changes; /* adds and deletions: iterators check it */
} ptable;

/* An iterator over the elements. No element may be added or deleted while
 * it runs (the release asserts so); finds and replacements are fine. */
typedef struct ptIterator {
    ptable *t;
    int table;
    size_t idx;
    unsigned long long changes;
} ptIterator;

typedef void ptScanFunction(void *privdata, void *elem);
typedef void ptFreeFunction(void *elem);

ptable *ptCreate(const ptableType *type);
/* Frees the table, calling freefn (when not NULL) on each element. */
void ptRelease(ptable *t, ptFreeFunction *freefn);
/* Removes every element (freefn on each when not NULL); the table is empty
 * and small again. */
void ptEmpty(ptable *t, ptFreeFunction *freefn);

static inline size_t ptSize(const ptable *t) {
    return t->used[0] + t->used[1];
}
static inline int ptIsRehashing(const ptable *t) {
    return t->slots[1] != NULL;
}

/* The element with key (hash is type->hash's value for it), or NULL. */
void *ptFind(ptable *t, uint64_t hash, const void *key);

/* The slot encoding, for ptFindWith below. A slot is empty (0), a
 * tombstone (1) or an element pointer; on 64-bit hosts the top 16 bits
 * hold the top 16 bits of the element's hash (the tag). Under
 * AddressSanitizer the leak checker must recognise the slots as
 * pointers, so they carry no tag there. */
#define PT_EMPTY ((uintptr_t)0)
#define PT_TOMB ((uintptr_t)1)
#if UINTPTR_MAX == UINT64_MAX && !defined(__SANITIZE_ADDRESS__)
#define PT_PTR_MASK ((uintptr_t)0x0000FFFFFFFFFFFFULL)
#define PT_TAG(h) ((uintptr_t)((h) >> 48) << 48)
#else
#define PT_PTR_MASK (~(uintptr_t)0)
#define PT_TAG(h) ((uintptr_t)0)
#endif

static inline int ptSlotIsElem(uintptr_t v) {
    return v > PT_TOMB;
}
static inline void *ptSlotElem(uintptr_t v) {
    return (void *)(v & PT_PTR_MASK);
}

/* ptFind with the match function given by the caller, which must be the
 * table type's (or agree with it). Inlined, so a caller passing a static
 * inline match has it compiled into the probe loop: the keyspace's hot
 * lookups pay no indirect call per candidate. */
static inline __attribute__((always_inline)) void *ptFindWith(ptable *t, uint64_t hash, const void *key,
                                                              int (*match)(const void *elem, const void *key)) {
    uintptr_t tag = PT_TAG(hash);
    for (int i = 0; i < 2 && t->slots[i]; i++) {
        uintptr_t *s = t->slots[i];
        size_t mask = ((size_t)1 << t->exp[i]) - 1, pos = hash & mask;
        for (uintptr_t v; (v = s[pos]) != PT_EMPTY; pos = (pos + 1) & mask)
            if ((v & ~PT_PTR_MASK) == tag && ptSlotIsElem(v) && match(ptSlotElem(v), key)) return ptSlotElem(v);
    }
    return NULL;
}
/* Adds elem, whose key must not be in the table yet. May grow the table
 * and does a step of a rehash in progress. */
void ptAdd(ptable *t, uint64_t hash, void *elem);
/* Removes the element with key and returns it (NULL when absent). Does a
 * step of a rehash in progress. */
void *ptDelete(ptable *t, uint64_t hash, const void *key);
/* Puts newelem (with the same key) where elem is. Returns 0 if elem is not
 * in the table. No rehash step: safe under an iterator. */
int ptReplace(ptable *t, uint64_t hash, const void *elem, void *newelem);

/* Sizes the table for n elements (a load announcing its size). Returns 0
 * when it was not done (the table is not empty, or rehashing). */
int ptExpand(ptable *t, size_t n);
/* Starts shrinking when under a tenth of the slots hold elements. Returns
 * 1 if a resize started. */
int ptShrinkIfSparse(ptable *t);
/* Rehash work for about us microseconds. Returns 1 if still rehashing. */
int ptRehashMicroseconds(ptable *t, long long us);
/* While disallowed (a fork child shares the pages), tables grow only when
 * they must and never shrink. Process-wide. */
void ptSetResizeAllowed(int allowed);

/* One element picked uniformly, or NULL when empty. */
void *ptRandom(ptable *t);
/* Up to count elements found from one random place onwards (consecutive
 * slots, wrapping). Returns how many were stored in out. */
unsigned int ptSample(ptable *t, void **out, unsigned int count);
/* One step of a cursor walk: calls fn on the elements whose home slot is
 * the cursor's (in both arrays while rehashing) and returns the next
 * cursor, 0 when the walk is complete. A walk from 0 to 0 returns every
 * element present all along at least once, even across resizes. fn must
 * not add or delete. */
unsigned long ptScan(ptable *t, unsigned long cursor, ptScanFunction *fn, void *privdata);

void ptInitIterator(ptIterator *it, ptable *t);
/* The next element, or NULL at the end. */
void *ptNext(ptIterator *it);
/* Asserts that nothing was added or deleted during the iteration. */
void ptResetIterator(ptIterator *it);

/* Bytes of the slot arrays and the table itself. */
size_t ptMemUsage(const ptable *t);
/* Writes a human-readable description of the table's arrays into buf. */
void ptGetStats(char *buf, size_t bufsize, const ptable *t);

#endif
