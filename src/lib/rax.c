/* rax.c — the radix tree of rax.h.
 *
 * Each node stands for the key spelled by the edge bytes on the path from
 * the root to it. A node holds whether that key is stored (iskey) and its
 * value, and its children in one allocation: the edge bytes, sorted, then
 * the child pointers in the same order. A node with no key and no child is
 * never left in the tree (removal prunes upwards), so every leaf is a key.
 *
 * Lookups walk one level per key byte and bisect each node's edges.
 * Ordered queries (the iterator) are four walks: the smallest key at or
 * above a key, and the largest at or below, each strict or not. Each walk
 * follows the key's path as far as it exists, then falls back to the
 * nearest sibling subtree, and collects the key bytes of the answer as it
 * goes.
 */
#include "rax.h"

#include <string.h>

#include "zmalloc.h"

struct raxNode {
    uint32_t iskey : 1;
    uint32_t numchildren : 9; /* 0 .. 256 */
    void *data;
    unsigned char *edges;     /* numchildren sorted bytes, then the pointers */
};

static void *rax_not_found_marker = "rax-not-found";
void *raxNotFound = &rax_not_found_marker;

static raxNode **nodeChildren(raxNode *n) {
    return (raxNode **)(n->edges + ((n->numchildren + sizeof(void *) - 1) & ~(sizeof(void *) - 1)));
}

static size_t edgesAllocSize(unsigned count) {
    return ((count + sizeof(void *) - 1) & ~(sizeof(void *) - 1)) + count * sizeof(raxNode *);
}

static raxNode *nodeNew(rax *rt) {
    raxNode *n = zcalloc(sizeof(*n));
    rt->numnodes++;
    return n;
}

/* Index of the first edge >= c in n. */
static unsigned edgeLowerBound(raxNode *n, unsigned char c) {
    unsigned lo = 0, hi = n->numchildren;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (n->edges[mid] < c) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static raxNode *childFor(raxNode *n, unsigned char c) {
    unsigned i = edgeLowerBound(n, c);
    return (i < n->numchildren && n->edges[i] == c) ? nodeChildren(n)[i] : NULL;
}

/* Adds a new child under edge c at position i; returns it. */
static raxNode *addChild(rax *rt, raxNode *n, unsigned i, unsigned char c) {
    unsigned count = n->numchildren;
    unsigned char *edges = zmalloc(edgesAllocSize(count + 1));
    raxNode *child = nodeNew(rt);
    raxNode n2 = {.numchildren = count + 1, .edges = edges};
    raxNode **oldc = count ? nodeChildren(n) : NULL, **newc = nodeChildren(&n2);
    if (count) {
        memcpy(edges, n->edges, i);
        memcpy(edges + i + 1, n->edges + i, count - i);
        memcpy(newc, oldc, i * sizeof(raxNode *));
        memcpy(newc + i + 1, oldc + i, (count - i) * sizeof(raxNode *));
    }
    edges[i] = c;
    newc[i] = child;
    zfree(n->edges);
    n->edges = edges;
    n->numchildren = count + 1;
    return child;
}

static void removeChild(rax *rt, raxNode *n, unsigned i) {
    raxNode **oldc = nodeChildren(n);
    zfree(oldc[i]);
    rt->numnodes--;
    unsigned count = n->numchildren - 1;
    if (count == 0) {
        zfree(n->edges);
        n->edges = NULL;
        n->numchildren = 0;
        return;
    }
    unsigned char *edges = zmalloc(edgesAllocSize(count));
    raxNode n2 = {.numchildren = count, .edges = edges};
    raxNode **newc = nodeChildren(&n2);
    memcpy(edges, n->edges, i);
    memcpy(edges + i, n->edges + i + 1, count - i);
    memcpy(newc, oldc, i * sizeof(raxNode *));
    memcpy(newc + i, oldc + i + 1, (count - i) * sizeof(raxNode *));
    zfree(n->edges);
    n->edges = edges;
    n->numchildren = count;
}

rax *raxNew(void) {
    rax *rt = zmalloc(sizeof(*rt));
    rt->numele = 0;
    rt->numnodes = 0;
    rt->head = nodeNew(rt);
    return rt;
}

static int insertGeneric(rax *rt, const unsigned char *key, size_t len, void *data, void **old, int overwrite) {
    raxNode *n = rt->head;
    for (size_t d = 0; d < len; d++) {
        unsigned i = edgeLowerBound(n, key[d]);
        if (i < n->numchildren && n->edges[i] == key[d]) n = nodeChildren(n)[i];
        else n = addChild(rt, n, i, key[d]);
    }
    if (n->iskey) {
        if (old) *old = n->data;
        if (overwrite) n->data = data;
        return 0;
    }
    n->iskey = 1;
    n->data = data;
    rt->numele++;
    return 1;
}

int raxInsert(rax *rt, const unsigned char *key, size_t len, void *data, void **old) {
    return insertGeneric(rt, key, len, data, old, 1);
}

int raxTryInsert(rax *rt, const unsigned char *key, size_t len, void *data, void **old) {
    return insertGeneric(rt, key, len, data, old, 0);
}

void *raxFind(rax *rt, const unsigned char *key, size_t len) {
    raxNode *n = rt->head;
    for (size_t d = 0; d < len && n; d++) n = childFor(n, key[d]);
    return (n && n->iskey) ? n->data : raxNotFound;
}

/* Removal walks down recording the path, then prunes the nodes left with
 * neither key nor child, from the bottom up. Recursion depth is the key
 * length, so it is done with an explicit path array. */
int raxRemove(rax *rt, const unsigned char *key, size_t len, void **old) {
    raxNode *stackbuf[64];
    raxNode **path = len < 64 ? stackbuf : zmalloc(sizeof(raxNode *) * (len + 1));
    raxNode *n = rt->head;
    size_t d;
    path[0] = n;
    for (d = 0; d < len && n; d++) {
        n = childFor(n, key[d]);
        path[d + 1] = n;
    }
    int found = n && n->iskey;
    if (found) {
        if (old) *old = n->data;
        n->iskey = 0;
        n->data = NULL;
        rt->numele--;
        for (d = len; d > 0; d--) {
            raxNode *cur = path[d];
            if (cur->iskey || cur->numchildren) break;
            raxNode *parent = path[d - 1];
            removeChild(rt, parent, edgeLowerBound(parent, key[d - 1]));
        }
    }
    if (path != stackbuf) zfree(path);
    return found;
}

uint64_t raxSize(rax *rt) {
    return rt->numele;
}

static void freeNode(raxNode *n, void (*free_callback)(void *)) {
    if (n->numchildren) {
        raxNode **ch = nodeChildren(n);
        for (unsigned i = 0; i < n->numchildren; i++) freeNode(ch[i], free_callback);
    }
    if (n->iskey && free_callback) free_callback(n->data);
    zfree(n->edges);
    zfree(n);
}

void raxFreeWithCallback(rax *rt, void (*free_callback)(void *)) {
    freeNode(rt->head, free_callback);
    zfree(rt);
}

void raxFree(rax *rt) {
    raxFreeWithCallback(rt, NULL);
}

/* ---------------------------------------------------------------- iterator */

static void iterReserve(raxIterator *it, size_t len) {
    if (len <= it->key_cap) return;
    size_t cap = len * 2;
    if (it->key == it->key_static) {
        unsigned char *k = zmalloc(cap);
        memcpy(k, it->key, it->key_len);
        it->key = k;
    } else {
        it->key = zrealloc(it->key, cap);
    }
    it->key_cap = cap;
}

static void iterPush(raxIterator *it, unsigned char c) {
    iterReserve(it, it->key_len + 1);
    it->key[it->key_len++] = c;
}

void raxStart(raxIterator *it, rax *rt) {
    it->rt = rt;
    it->flags = RAX_ITER_EOF;
    it->key = it->key_static;
    it->key_len = 0;
    it->key_cap = RAX_ITER_STATIC_LEN;
    it->data = NULL;
}

void raxStop(raxIterator *it) {
    if (it->key != it->key_static) zfree(it->key);
    it->key = it->key_static;
    it->key_cap = RAX_ITER_STATIC_LEN;
}

int raxEOF(raxIterator *it) {
    return (it->flags & RAX_ITER_EOF) != 0;
}

/* The smallest key of the subtree under n (whose path is already in
 * it->key): n itself if it is a key, else down the first edges. */
static raxNode *subtreeMin(raxIterator *it, raxNode *n) {
    while (!n->iskey) {
        iterPush(it, n->edges[0]);
        n = nodeChildren(n)[0];
    }
    return n;
}

static raxNode *subtreeMax(raxIterator *it, raxNode *n) {
    while (n->numchildren) {
        iterPush(it, n->edges[n->numchildren - 1]);
        n = nodeChildren(n)[n->numchildren - 1];
    }
    return n;
}

/* The smallest key >= key (> when strict) under n at depth d, whose path
 * key[0..d) is in it->key; NULL when none (it->key_len is then back at d). */
static raxNode *lowerBound(raxIterator *it, raxNode *n, const unsigned char *key, size_t len, size_t d, int strict) {
    if (d == len) {
        if (n->iskey && !strict) return n;
        if (!n->numchildren) return NULL;
        iterPush(it, n->edges[0]);
        return subtreeMin(it, nodeChildren(n)[0]);
    }
    unsigned i = edgeLowerBound(n, key[d]);
    if (i < n->numchildren && n->edges[i] == key[d]) {
        iterPush(it, key[d]);
        raxNode *r = lowerBound(it, nodeChildren(n)[i], key, len, d + 1, strict);
        if (r) return r;
        it->key_len = d;
        i++;
    }
    if (i >= n->numchildren) return NULL;
    iterPush(it, n->edges[i]);
    return subtreeMin(it, nodeChildren(n)[i]);
}

/* The largest key <= key (< when strict) under n at depth d; as above. */
static raxNode *upperBound(raxIterator *it, raxNode *n, const unsigned char *key, size_t len, size_t d, int strict) {
    if (d == len) return (n->iskey && !strict) ? n : NULL;
    unsigned i = edgeLowerBound(n, key[d]);
    if (i < n->numchildren && n->edges[i] == key[d]) {
        iterPush(it, key[d]);
        raxNode *r = upperBound(it, nodeChildren(n)[i], key, len, d + 1, strict);
        if (r) return r;
        it->key_len = d;
    }
    if (i > 0) {
        iterPush(it, n->edges[i - 1]);
        return subtreeMax(it, nodeChildren(n)[i - 1]);
    }
    return n->iskey ? n : NULL;
}

/* Moves it to the bound of key (copied first: key may be it->key). */
static int iterBound(raxIterator *it, const unsigned char *key, size_t len, int upper, int strict) {
    unsigned char sbuf[RAX_ITER_STATIC_LEN];
    unsigned char *copy = len <= sizeof(sbuf) ? sbuf : zmalloc(len);
    if (len) memcpy(copy, key, len);
    it->key_len = 0;
    raxNode *n = upper ? upperBound(it, it->rt->head, copy, len, 0, strict)
                       : lowerBound(it, it->rt->head, copy, len, 0, strict);
    if (copy != sbuf) zfree(copy);
    if (!n) {
        it->flags |= RAX_ITER_EOF;
        it->key_len = 0;
        it->data = NULL;
        return 0;
    }
    it->flags &= ~RAX_ITER_EOF;
    it->data = n->data;
    return 1;
}

int raxSeek(raxIterator *it, const char *op, const unsigned char *key, size_t len) {
    it->flags = RAX_ITER_JUST_SEEKED;
    if (!strcmp(op, "^")) {
        iterBound(it, NULL, 0, 0, 0);
    } else if (!strcmp(op, "$")) {
        /* The largest key is at the end of the last edges. */
        it->key_len = 0;
        if (it->rt->numele == 0) it->flags |= RAX_ITER_EOF;
        else it->data = subtreeMax(it, it->rt->head)->data;
    } else if (!strcmp(op, ">=")) {
        iterBound(it, key, len, 0, 0);
    } else if (!strcmp(op, ">")) {
        iterBound(it, key, len, 0, 1);
    } else if (!strcmp(op, "<=")) {
        iterBound(it, key, len, 1, 0);
    } else if (!strcmp(op, "<")) {
        iterBound(it, key, len, 1, 1);
    } else if (!strcmp(op, "=")) {
        void *v = raxFind(it->rt, key, len);
        if (v == raxNotFound) {
            it->flags |= RAX_ITER_EOF;
        } else {
            it->key_len = 0;
            iterReserve(it, len);
            memcpy(it->key, key, len);
            it->key_len = len;
            it->data = v;
        }
    } else {
        it->flags = RAX_ITER_EOF;
        return 0;
    }
    return 1;
}

static int iterStep(raxIterator *it, int upper) {
    if (it->flags & RAX_ITER_JUST_SEEKED) {
        it->flags &= ~RAX_ITER_JUST_SEEKED;
        return !(it->flags & RAX_ITER_EOF);
    }
    if (it->flags & RAX_ITER_EOF) return 0;
    return iterBound(it, it->key, it->key_len, upper, 1);
}

int raxNext(raxIterator *it) {
    return iterStep(it, 0);
}

int raxPrev(raxIterator *it) {
    return iterStep(it, 1);
}

/* Counts n's subtree; parent_single says n's parent has exactly one
 * child, so a keyless single-child n continues the parent's run. */
static uint64_t compressedCount(raxNode *n, int parent_single) {
    uint64_t count = (n->iskey || n->numchildren != 1 || !parent_single) ? 1 : 0;
    raxNode **children = nodeChildren(n);
    for (unsigned i = 0; i < n->numchildren; i++) count += compressedCount(children[i], n->numchildren == 1);
    return count;
}

uint64_t raxCompressedNodeCount(rax *rt) {
    return compressedCount(rt->head, 0);
}
