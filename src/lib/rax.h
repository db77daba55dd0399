/* rax.h — an ordered map from binary keys to pointers, as a radix tree.
 *
 * Keys are byte strings of any length (including empty), compared as
 * unsigned bytes, shorter-is-smaller on a common prefix: the order memcmp
 * gives, which is why streams store their IDs as 128-bit big-endian keys.
 * Values are borrowed pointers (NULL is a valid value); the tree never frees
 * them except through raxFreeWithCallback.
 *
 * Iteration is by seeking (raxSeek with ">=", ">", "<=", "<", "=", "^" for
 * the first key, "$" for the last) and stepping (raxNext, raxPrev). The
 * iterator keeps a copy of the current key and finds its neighbour from the
 * root at each step, so the tree may be changed between steps: a step always
 * goes to the neighbour of the copied key in the tree as it is then.
 */
#ifndef EMBER_RAX_H
#define EMBER_RAX_H

#include <stddef.h>
#include <stdint.h>

typedef struct raxNode raxNode;

typedef struct rax {
    raxNode *head;
    uint64_t numele;   /* keys stored */
    uint64_t numnodes; /* nodes allocated, the root included */
} rax;

/* Returned by raxFind when the key is absent (a NULL value is a value). */
extern void *raxNotFound;

#define RAX_ITER_STATIC_LEN 128

typedef struct raxIterator {
    rax *rt;
    int flags;          /* RAX_ITER_* below */
    unsigned char *key; /* the current key, owned by the iterator */
    size_t key_len;
    size_t key_cap;
    void *data;         /* the current key's value */
    unsigned char key_static[RAX_ITER_STATIC_LEN];
} raxIterator;

#define RAX_ITER_JUST_SEEKED (1 << 0) /* the next step returns the sought key */
#define RAX_ITER_EOF (1 << 1)         /* no current element */

rax *raxNew(void);
/* Sets key to data. Returns 1 if the key was new, 0 if it replaced a value
 * (the old value then goes to *old when old is not NULL). */
int raxInsert(rax *rt, const unsigned char *key, size_t len, void *data, void **old);
/* Like raxInsert, but an existing key keeps its value: returns 0 and puts
 * the present value in *old. */
int raxTryInsert(rax *rt, const unsigned char *key, size_t len, void *data, void **old);
/* Removes key. Returns 1 if it was there (its value to *old), 0 otherwise. */
int raxRemove(rax *rt, const unsigned char *key, size_t len, void **old);
/* The value of key, or raxNotFound. */
void *raxFind(rax *rt, const unsigned char *key, size_t len);
uint64_t raxSize(rax *rt);
/* The nodes a path-compressed radix tree (Redis's rax) holding the same
 * keys has: a run of keyless nodes with one child each is one node there.
 * XINFO STREAM reports this figure. O(nodes). */
uint64_t raxCompressedNodeCount(rax *rt);
/* Frees the tree; the values are left alone (raxFree) or handed to
 * free_callback one by one. */
void raxFree(rax *rt);
void raxFreeWithCallback(rax *rt, void (*free_callback)(void *));

/* An iterator over rt; no element is current until raxSeek. raxStop frees
 * what the iterator holds (not the tree). */
void raxStart(raxIterator *it, rax *rt);
/* Positions it by op (see the file comment). Returns 0 only on an unknown
 * op. When no key matches, the following raxNext/raxPrev return 0. */
int raxSeek(raxIterator *it, const char *op, const unsigned char *key, size_t len);
/* Steps forward / backward; 1 with it->key, it->key_len and it->data set,
 * or 0 at the end. The first step after raxSeek returns the sought key. */
int raxNext(raxIterator *it);
int raxPrev(raxIterator *it);
int raxEOF(raxIterator *it);
void raxStop(raxIterator *it);

#endif
