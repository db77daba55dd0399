/* quicklist.c — a doubly linked list of listpacks (see quicklist.h).
 *
 * Node size. A packed node accepts one more element while the result stays
 * within the list's fill: with fill > 0 at most `fill` elements and at most
 * 8KB (a safety cap so a large fill cannot make huge listpacks), with fill
 * -1..-5 at most 4KB..64KB, and never more than 65535 elements (the width
 * of the count field). A node always accepts its first element, so a single
 * big element may make a node larger than the fill. Elements of at least
 * the packed threshold go to a plain node of their own.
 *
 * Adding. Pushes go into the end node when it has room, otherwise into a
 * new node. An insertion next to an element goes into that element's node
 * when it has room; if not, at a node's edge it tries the neighbour node,
 * and in the middle of a full node it splits the node in two at the
 * insertion point, so both halves have room. After a split or a new node,
 * adjacent nodes that together fit the fill are merged, so inserts do not
 * leave a trail of tiny nodes.
 *
 * Compression. With depth d > 0 the nodes at index d .. len-1-d are kept
 * LZF-compressed (a node is compressed only when it has at least 48 bytes
 * and compression saves at least 8; a node that does not compress is marked
 * and not retried until it changes). After every change qlCompress walks
 * the d nodes at each end, expands any compressed one there, and compresses
 * the first two nodes past each end zone plus the node just changed, which
 * keeps the rule true as the ends move up to two nodes at a time (an insert
 * that splits a node and adds one between the halves). Readers expand a node
 * while they are in it (`recompress` remembers to compress it again when
 * they leave). All of this costs O(d) per operation.
 *
 * Room in front. A raw listpack need not start at the start of its block:
 * `front` bytes before it are free. Pushing at the head writes the new entry
 * into that room and moves only the 6-byte header back (lpPrependInRoom),
 * and popping the head moves the header forward, instead of moving every
 * entry of the node. When the room is too small, the node is moved to the
 * end of its block (if the block has the bytes) or into a new block of the
 * size realloc would have given, with the allocator's rounding as the new
 * room; a pop that leaves the block bigger than a new one would be moves
 * the node to a block of its size. So the blocks are the sizes Redis's
 * would be. Every other change first moves the listpack back to the start
 * of its block (qlNodeFlat), because the listpack functions reallocate
 * from there.
 *
 * Iterators. An iterator holds the node it is in, the listpack entry it
 * last returned and that entry's index in the node. Deleting through the
 * iterator re-seeks by index in the same node (or moves to the next node),
 * so iteration continues correctly; inserting or replacing ends the
 * iteration, because nodes may be split, merged or freed.
 */
#include "quicklist.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listpack.h"
#include "lzf.h"
#include "zmalloc.h"

#define QL_SIZE_SAFETY_LIMIT 8192  /* bytes, for fill > 0 */
#define QL_INSERT_ESTIMATE 8       /* bytes an element adds beyond its own length, at most */
#define QL_MIN_COMPRESS_BYTES 48   /* smaller nodes are not worth compressing */
#define QL_MIN_COMPRESS_IMPROVE 8  /* compression must save at least this */
#define QL_MAX_NODE_COUNT 65535    /* the count field is 16 bits */
#define QL_MERGE_WINDOW 4          /* adjacent pairs looked at after a split */

/* Byte limits of fill -1 .. -5. */
static const size_t ql_size_limits[] = {4096, 8192, 16384, 32768, 65536};

/* Elements of at least this many bytes get a plain node. A process-wide
 * tuning knob (DEBUG QUICKLIST-PACKED-THRESHOLD, tests), hence mutable at
 * file scope; it only changes where future elements go. */
static size_t packed_threshold = (size_t)1 << 30;

static void qlAssertFail(const char *expr, int line) {
    fprintf(stderr, "quicklist.c:%d: assertion failed: %s\n", line, expr);
    abort();
}
#define qlAssert(e) ((e) ? (void)0 : qlAssertFail(#e, __LINE__))

static int isLargeElement(size_t sz) {
    return sz >= packed_threshold;
}

int quicklistSetPackedThreshold(size_t sz) {
    if (sz > ((size_t)1 << 32) - ((size_t)1 << 20)) return 0;
    packed_threshold = sz ? sz : (size_t)1 << 30;
    return 1;
}

/* ------------------------------------------------------------- nodes */

static quicklistNode *qlNodeNew(void) {
    quicklistNode *n = zmalloc(sizeof(*n));
    n->prev = n->next = NULL;
    n->entry = NULL;
    n->sz = 0;
    n->count = 0;
    n->encoding = QUICKLIST_NODE_ENCODING_RAW;
    n->container = QUICKLIST_NODE_CONTAINER_PACKED;
    n->recompress = 0;
    n->attempted_compress = 0;
    n->extra = 0;
    n->front = 0;
    return n;
}

static void qlNodeFree(quicklistNode *n) {
    zfree(n->entry - n->front);
    zfree(n);
}

/* Moves a raw listpack with room in front back to the start of its block,
 * so it can be given to the listpack functions; *p, a pointer into it
 * (unless p is NULL), follows. Returns the listpack. */
static unsigned char *qlNodeFlatAt(quicklistNode *n, unsigned char **p) {
    if (n->front) {
        unsigned char *base = n->entry - n->front;
        memmove(base, n->entry, n->sz);
        if (p && *p) *p -= n->front;
        n->entry = base;
        n->front = 0;
    }
    return n->entry;
}

static unsigned char *qlNodeFlat(quicklistNode *n) {
    return qlNodeFlatAt(n, NULL);
}

/* Gives the raw listpack of n at least need bytes of room in front: the
 * block's own free bytes, or a new block of the size realloc would give. */
static void qlNodeMakeFront(quicklistNode *n, size_t need) {
    unsigned char *base = n->entry - n->front;
    size_t block = zmalloc_size(base);
    if (block - n->sz < need) {
        unsigned char *grown = zmalloc(n->sz + need);
        block = zmalloc_size(grown);
        memcpy(grown + block - n->sz, n->entry, n->sz);
        zfree(base);
        base = grown;
    } else {
        memmove(base + block - n->sz, n->entry, n->sz);
    }
    n->entry = base + block - n->sz;
    n->front = (uint32_t)(block - n->sz);
}

/* Prepends value to the raw packed node n (counted by the caller). */
static void qlNodePrepend(quicklistNode *n, void *value, size_t sz) {
    unsigned char *lp = lpPrependInRoom(n->entry, n->front, value, (uint32_t)sz);
    if (lp == NULL) {
        qlNodeMakeFront(n, lpEntrySizeString(value, (uint32_t)sz));
        lp = lpPrependInRoom(n->entry, n->front, value, (uint32_t)sz);
        qlAssert(lp != NULL);
    }
    n->front -= (uint32_t)(n->entry - lp);
    n->entry = lp;
}

/* Deletes the first element of the raw packed node n, which has others,
 * leaving its bytes as room; a block bigger than the allocator would now
 * give is replaced by one of the listpack's size (the 1/8 test is the quick
 * answer, as in listpack.c's shrinking). */
static void qlNodeDelFirst(quicklistNode *n) {
    unsigned char *lp = lpDeleteFirstToRoom(n->entry);
    n->front += (uint32_t)(lp - n->entry);
    n->entry = lp;
    n->sz = lpBytes(lp);
    unsigned char *base = lp - n->front;
    size_t block = zmalloc_size(base);
    if (n->sz > block - block / 8 || zmalloc_good_size(n->sz) >= block) return;
    unsigned char *fit = zmalloc(n->sz);
    memcpy(fit, lp, n->sz);
    zfree(base);
    n->entry = fit;
    n->front = 0;
}

/* A node holding a copy of value: plain when large, else a listpack. */
static quicklistNode *qlNodeNewWith(void *value, size_t sz) {
    quicklistNode *n = qlNodeNew();
    if (isLargeElement(sz)) {
        n->container = QUICKLIST_NODE_CONTAINER_PLAIN;
        n->entry = zmalloc(sz);
        memcpy(n->entry, value, sz);
        n->sz = sz;
    } else {
        n->entry = lpAppend(lpNew(0), value, (uint32_t)sz);
        n->sz = lpBytes(n->entry);
    }
    n->count = 1;
    return n;
}

/* To call after the listpack of a raw packed node changed. */
static void qlNodeUpdated(quicklistNode *n) {
    n->sz = lpBytes(n->entry);
    n->attempted_compress = 0;
}

/* Links n after `after`, or at the head when after is NULL. */
static void qlLink(quicklist *ql, quicklistNode *after, quicklistNode *n) {
    n->prev = after;
    n->next = after ? after->next : ql->head;
    if (n->next)
        n->next->prev = n;
    else
        ql->tail = n;
    if (after)
        after->next = n;
    else
        ql->head = n;
    ql->len++;
}

static void qlUnlink(quicklist *ql, quicklistNode *n) {
    if (n->prev)
        n->prev->next = n->next;
    else
        ql->head = n->next;
    if (n->next)
        n->next->prev = n->prev;
    else
        ql->tail = n->prev;
    n->prev = n->next = NULL;
    ql->len--;
}

/* ------------------------------------------------------- compression */

/* Compresses a raw node when that pays. Returns 1 if it is compressed. */
static int qlNodeCompress(quicklistNode *n) {
    n->recompress = 0;
    if (n->encoding == QUICKLIST_NODE_ENCODING_LZF) return 1;
    if (n->attempted_compress || n->sz < QL_MIN_COMPRESS_BYTES || n->sz > UINT_MAX) return 0;
    quicklistLZF *lzf = zmalloc(sizeof(*lzf) + n->sz);
    unsigned int clen = lzf_compress(n->entry, (unsigned int)n->sz, lzf->compressed,
                                     (unsigned int)(n->sz - QL_MIN_COMPRESS_IMPROVE));
    if (clen == 0) {
        zfree(lzf);
        n->attempted_compress = 1;
        return 0;
    }
    lzf = zrealloc(lzf, sizeof(*lzf) + clen);
    lzf->sz = clen;
    zfree(n->entry - n->front);
    n->entry = (unsigned char *)lzf;
    n->front = 0;
    n->encoding = QUICKLIST_NODE_ENCODING_LZF;
    return 1;
}

/* Expands a compressed node (no-op on a raw one). */
static void qlNodeDecompress(quicklistNode *n) {
    if (n->encoding != QUICKLIST_NODE_ENCODING_LZF) return;
    quicklistLZF *lzf = (quicklistLZF *)n->entry;
    unsigned char *raw = zmalloc(n->sz);
    unsigned int got = lzf_decompress(lzf->compressed, (unsigned int)lzf->sz, raw, (unsigned int)n->sz);
    qlAssert(got == n->sz);
    zfree(lzf);
    n->entry = raw;
    n->encoding = QUICKLIST_NODE_ENCODING_RAW;
}

/* Expands n for a moment, remembering to compress it again. */
static void qlNodeUnpack(quicklistNode *n) {
    if (n->encoding == QUICKLIST_NODE_ENCODING_LZF) {
        qlNodeDecompress(n);
        n->recompress = 1;
    }
}

/* 1 if n is among the ql->compress nodes at either end. */
static int qlNodeInEnds(const quicklist *ql, const quicklistNode *n) {
    const quicklistNode *p = n, *q = n;
    for (unsigned int i = 0; i < ql->compress && p; i++) p = p->prev;
    if (p == NULL) return 1;
    for (unsigned int i = 0; i < ql->compress && q; i++) q = q->next;
    return q == NULL;
}

/* Undoes qlNodeUnpack, unless n is now one of the end nodes. */
static void qlNodeRepack(const quicklist *ql, quicklistNode *n) {
    if (!n->recompress) return;
    n->recompress = 0;
    if (ql->compress && !qlNodeInEnds(ql, n)) qlNodeCompress(n);
}

/* Restores the compression rule after a change: end nodes raw, the first
 * node past each end zone compressed, and n (if not NULL and not an end
 * node) compressed. n must not be in use by an iterator. */
static void qlCompress(quicklist *ql, quicklistNode *n) {
    if (ql->compress == 0 || ql->len == 0) return;
    quicklistNode *f = ql->head, *r = ql->tail;
    int n_in_ends = 0;
    for (unsigned int i = 0; i < ql->compress; i++) {
        qlNodeDecompress(f);
        qlNodeDecompress(r);
        f->recompress = r->recompress = 0;
        if (f == n || r == n) n_in_ends = 1;
        if (f == r || f->next == r) return; /* every node is an end node */
        f = f->next;
        r = r->prev;
    }
    qlNodeCompress(f);
    if (r != f) {
        qlNodeCompress(r);
        /* A split plus a new node pushes two nodes out of an end zone. */
        qlNodeCompress(f->next);
        qlNodeCompress(r->prev);
    }
    if (n && !n_in_ends) qlNodeCompress(n);
}

/* ------------------------------------------------------------ limits */

/* 1 if a packed node of sz bytes and count elements is within the fill. */
static int qlFits(const quicklist *ql, size_t sz, unsigned long count) {
    if (count > QL_MAX_NODE_COUNT) return 0;
    if (ql->fill < 0) return sz <= ql_size_limits[-ql->fill - 1];
    return sz <= QL_SIZE_SAFETY_LIMIT && count <= (unsigned long)ql->fill;
}

/* 1 if node n can take value[0..sz) as one more element. The growth is
 * estimated as Redis 7.0 estimates it (the element plus 8 bytes), so nodes
 * split where Redis's do and a list's RDB/DUMP bytes are the same. */
static int qlAllowInsert(const quicklist *ql, const quicklistNode *n, const void *value, size_t sz) {
    (void)value;
    if (n == NULL || QL_NODE_IS_PLAIN(n) || isLargeElement(sz)) return 0;
    return qlFits(ql, n->sz + sz + QL_INSERT_ESTIMATE, (unsigned long)n->count + 1);
}

static int qlAllowMerge(const quicklist *ql, const quicklistNode *a, const quicklistNode *b) {
    if (a == NULL || b == NULL || QL_NODE_IS_PLAIN(a) || QL_NODE_IS_PLAIN(b)) return 0;
    return qlFits(ql, a->sz + b->sz - (LP_HDR_SIZE + 1), (unsigned long)a->count + b->count);
}

/* Moves the elements of b (which follows a) to the end of a and frees b.
 * Both end up raw; the caller restores compression. Returns a. */
static quicklistNode *qlMerge(quicklist *ql, quicklistNode *a, quicklistNode *b) {
    qlNodeDecompress(a);
    qlNodeDecompress(b);
    unsigned char *la = qlNodeFlat(a), *lb = qlNodeFlat(b);
    unsigned char *merged = lpMerge(&la, &lb);
    qlAssert(merged != NULL);
    a->entry = merged;
    a->count += b->count;
    a->recompress = 0;
    qlNodeUpdated(a);
    b->entry = NULL;
    qlUnlink(ql, b);
    qlNodeFree(b);
    return a;
}

/* Merges adjacent pairs that fit, over up to QL_MERGE_WINDOW pairs from
 * start on, and restores compression on the nodes visited. */
static void qlMergeWindow(quicklist *ql, quicklistNode *start) {
    quicklistNode *x = start;
    for (int steps = 0; x && steps < QL_MERGE_WINDOW; steps++) {
        if (x->next && qlAllowMerge(ql, x, x->next)) {
            x = qlMerge(ql, x, x->next);
        } else {
            quicklistNode *next = x->next;
            qlCompress(ql, x);
            x = next;
        }
    }
    if (x) qlCompress(ql, x);
    qlCompress(ql, NULL);
}

/* Splits the raw packed node n at index k (0 < k < count): n keeps
 * elements [0, k), a new node linked after it gets [k, count). Returns the
 * new node. */
static quicklistNode *qlSplit(quicklist *ql, quicklistNode *n, long k) {
    qlAssert(k > 0 && k < (long)n->count);
    quicklistNode *r = qlNodeNew();
    r->entry = zmalloc(n->sz);
    memcpy(r->entry, n->entry, n->sz);
    r->entry = lpDeleteRange(r->entry, 0, (unsigned long)k);
    r->count = n->count - k;
    qlNodeUpdated(r);
    n->entry = lpDeleteRange(qlNodeFlat(n), k, (unsigned long)(n->count - k));
    n->count = k;
    qlNodeUpdated(n);
    qlLink(ql, n, r);
    return r;
}

/* Adds value between a and b (a->next == b; either may be NULL): at the
 * end of a, at the start of b, or in a new node between them. Returns the
 * node that got it. Counts the element. */
static quicklistNode *qlPlaceBetween(quicklist *ql, quicklistNode *a, quicklistNode *b, void *value, size_t sz) {
    quicklistNode *x;
    if (qlAllowInsert(ql, a, value, sz)) {
        qlNodeDecompress(a);
        a->entry = lpAppend(qlNodeFlat(a), value, (uint32_t)sz);
        a->count++;
        qlNodeUpdated(a);
        x = a;
    } else if (qlAllowInsert(ql, b, value, sz)) {
        qlNodeDecompress(b);
        qlNodePrepend(b, value, sz);
        b->count++;
        qlNodeUpdated(b);
        x = b;
    } else {
        x = qlNodeNewWith(value, sz);
        qlLink(ql, a, x);
    }
    ql->count++;
    return x;
}

/* Deletes the element at p of the raw node n (the element, for a plain
 * node). Returns 1 when n became empty and was freed. */
static int qlDelIndex(quicklist *ql, quicklistNode *n, unsigned char *p) {
    int gone = 0;
    if (QL_NODE_IS_PLAIN(n) || n->count == 1) {
        qlUnlink(ql, n);
        qlNodeFree(n);
        gone = 1;
    } else if (p == n->entry + LP_HDR_SIZE) {
        qlNodeDelFirst(n);
        n->count--;
        qlNodeUpdated(n);
    } else {
        unsigned char *lp = qlNodeFlatAt(n, &p);
        n->entry = lpDelete(lp, p, NULL);
        n->count--;
        qlNodeUpdated(n);
    }
    ql->count--;
    if (gone) qlCompress(ql, NULL);
    return gone;
}

/* The node holding element idx (0 <= idx < count) and its index in it,
 * walking from the nearer end. */
static quicklistNode *qlLocate(const quicklist *ql, unsigned long idx, long *off) {
    quicklistNode *n;
    if (idx >= ql->count) return NULL;
    if (idx <= ql->count / 2) {
        unsigned long before = 0;
        for (n = ql->head; n; n = n->next) {
            if (idx < before + n->count) {
                *off = (long)(idx - before);
                return n;
            }
            before += n->count;
        }
    } else {
        unsigned long before = ql->count;
        for (n = ql->tail; n; n = n->prev) {
            before -= n->count;
            if (idx >= before) {
                *off = (long)(idx - before);
                return n;
            }
        }
    }
    return NULL;
}

/* ------------------------------------------------------ lists, options */

quicklist *quicklistNew(int fill, int compress) {
    quicklist *ql = zmalloc(sizeof(*ql));
    ql->head = ql->tail = NULL;
    ql->count = 0;
    ql->len = 0;
    quicklistSetOptions(ql, fill, compress);
    return ql;
}

quicklist *quicklistCreate(void) {
    return quicklistNew(-2, 0);
}

void quicklistSetFill(quicklist *ql, int fill) {
    if (fill > QUICKLIST_FILL_MAX) fill = QUICKLIST_FILL_MAX;
    if (fill < QUICKLIST_FILL_MIN) fill = QUICKLIST_FILL_MIN;
    ql->fill = fill;
}

void quicklistSetCompressDepth(quicklist *ql, int depth) {
    if (depth > QUICKLIST_COMPRESS_MAX) depth = QUICKLIST_COMPRESS_MAX;
    if (depth < 0) depth = 0;
    ql->compress = (unsigned int)depth;
}

void quicklistSetOptions(quicklist *ql, int fill, int depth) {
    quicklistSetFill(ql, fill);
    quicklistSetCompressDepth(ql, depth);
}

void quicklistRelease(quicklist *ql) {
    quicklistNode *n = ql->head;
    while (n) {
        quicklistNode *next = n->next;
        qlNodeFree(n);
        n = next;
    }
    zfree(ql);
}

quicklist *quicklistDup(quicklist *orig) {
    quicklist *copy = quicklistNew(orig->fill, (int)orig->compress);
    for (quicklistNode *n = orig->head; n; n = n->next) {
        quicklistNode *m = qlNodeNew();
        size_t bytes = n->sz;
        if (n->encoding == QUICKLIST_NODE_ENCODING_LZF) bytes = sizeof(quicklistLZF) + ((quicklistLZF *)n->entry)->sz;
        m->entry = zmalloc(bytes);
        memcpy(m->entry, n->entry, bytes);
        m->sz = n->sz;
        m->count = n->count;
        m->encoding = n->encoding;
        m->container = n->container;
        m->attempted_compress = n->attempted_compress;
        qlLink(copy, copy->tail, m);
        /* A node a reader has expanded for a moment is compressed in the copy. */
        if (n->recompress) qlNodeCompress(m);
    }
    copy->count = orig->count;
    return copy;
}

unsigned long quicklistCount(const quicklist *ql) {
    return ql->count;
}

/* ------------------------------------------------------------ adding */

static int qlPushEnd(quicklist *ql, void *value, size_t sz, int at_head) {
    quicklistNode *end = at_head ? ql->head : ql->tail;
    ql->count++;
    if (qlAllowInsert(ql, end, value, sz)) {
        qlNodeDecompress(end);
        if (at_head)
            qlNodePrepend(end, value, sz);
        else
            end->entry = lpAppend(qlNodeFlat(end), value, (uint32_t)sz);
        end->count++;
        qlNodeUpdated(end);
        return 0;
    }
    quicklistNode *n = qlNodeNewWith(value, sz);
    qlLink(ql, at_head ? NULL : ql->tail, n);
    qlCompress(ql, n);
    return 1;
}

int quicklistPushHead(quicklist *ql, void *value, size_t sz) {
    return qlPushEnd(ql, value, sz, 1);
}

int quicklistPushTail(quicklist *ql, void *value, size_t sz) {
    return qlPushEnd(ql, value, sz, 0);
}

void quicklistPush(quicklist *ql, void *value, size_t sz, int where) {
    qlPushEnd(ql, value, sz, where == QUICKLIST_HEAD);
}

void quicklistAppendListpack(quicklist *ql, unsigned char *lp) {
    unsigned long count = lpLength(lp);
    if (count == 0) {
        lpFree(lp);
        return;
    }
    quicklistNode *n = qlNodeNew();
    n->entry = lp;
    n->count = count;
    qlNodeUpdated(n);
    qlLink(ql, ql->tail, n);
    ql->count += count;
    qlCompress(ql, n);
}

void quicklistAppendPlainNode(quicklist *ql, unsigned char *data, size_t sz) {
    quicklistNode *n = qlNodeNew();
    n->container = QUICKLIST_NODE_CONTAINER_PLAIN;
    n->entry = data;
    n->sz = sz;
    n->count = 1;
    qlLink(ql, ql->tail, n);
    ql->count++;
    qlCompress(ql, n);
}

/* The window of nodes to look at for merges around x. */
static quicklistNode *qlWindowStart(quicklist *ql, quicklistNode *x) {
    if (x == NULL) return ql->head;
    return x->prev ? x->prev : x;
}

static void qlInsert(quicklistIter *iter, quicklistEntry *entry, void *value, size_t sz, int after) {
    quicklist *ql = iter->quicklist;
    quicklistNode *n = entry->node;
    /* The iteration ends here: nodes may be split, merged or freed. */
    iter->current = NULL;
    iter->zi = NULL;
    if (n == NULL) {
        quicklistPushHead(ql, value, sz);
        return;
    }
    qlAssert(n->encoding == QUICKLIST_NODE_ENCODING_RAW);
    if (qlAllowInsert(ql, n, value, sz)) {
        unsigned char *lp = qlNodeFlatAt(n, &entry->zi);
        n->entry = lpInsertString(lp, value, (uint32_t)sz, entry->zi, after ? LP_AFTER : LP_BEFORE, NULL);
        n->count++;
        qlNodeUpdated(n);
        ql->count++;
        qlCompress(ql, n);
        return;
    }
    quicklistNode *x;
    if (after && entry->offset == (int)n->count - 1) {
        x = qlPlaceBetween(ql, n, n->next, value, sz);
    } else if (!after && entry->offset == 0) {
        x = qlPlaceBetween(ql, n->prev, n, value, sz);
    } else {
        quicklistNode *right = qlSplit(ql, n, after ? entry->offset + 1 : entry->offset);
        x = qlPlaceBetween(ql, n, right, value, sz);
    }
    n->recompress = 0;
    qlMergeWindow(ql, qlWindowStart(ql, x->prev ? x->prev : x));
}

void quicklistInsertAfter(quicklistIter *iter, quicklistEntry *entry, void *value, size_t sz) {
    qlInsert(iter, entry, value, sz, 1);
}

void quicklistInsertBefore(quicklistIter *iter, quicklistEntry *entry, void *value, size_t sz) {
    qlInsert(iter, entry, value, sz, 0);
}

/* ---------------------------------------------------------- changing */

void quicklistDelEntry(quicklistIter *iter, quicklistEntry *entry) {
    quicklist *ql = iter->quicklist;
    quicklistNode *n = entry->node, *prev = n->prev, *next = n->next;
    int gone = qlDelIndex(ql, n, entry->zi);
    iter->zi = NULL;
    if (gone) {
        iter->current = iter->direction == AL_START_HEAD ? next : prev;
        iter->offset = iter->direction == AL_START_HEAD ? 0 : -1;
    } else if (iter->direction == AL_START_HEAD) {
        /* n changed: compress it (again) when the iterator leaves it. */
        if (ql->compress) n->recompress = 1;
        /* The following element now has the deleted one's index. */
        iter->current = n;
        iter->offset = entry->offset;
    } else if (entry->offset > 0) {
        if (ql->compress) n->recompress = 1;
        iter->current = n;
        iter->offset = entry->offset - 1;
    } else {
        if (ql->compress) n->recompress = 1;
        qlNodeRepack(ql, n);
        iter->current = prev;
        iter->offset = -1;
    }
}

void quicklistReplaceEntry(quicklistIter *iter, quicklistEntry *entry, void *data, size_t sz) {
    quicklist *ql = iter->quicklist;
    quicklistNode *n = entry->node;
    iter->current = NULL;
    iter->zi = NULL;
    qlAssert(n->encoding == QUICKLIST_NODE_ENCODING_RAW);
    int large = isLargeElement(sz);
    if (!QL_NODE_IS_PLAIN(n) && !large) {
        size_t oldsz = entry->value ? lpEntrySizeString(entry->value, (uint32_t)entry->sz)
                                    : lpEntrySizeInteger(entry->longval);
        size_t newsz = n->sz - oldsz + lpEntrySizeString(data, (uint32_t)sz);
        if (newsz <= n->sz || qlFits(ql, newsz, n->count)) {
            unsigned char *lp = qlNodeFlatAt(n, &entry->zi);
            n->entry = lpReplace(lp, &entry->zi, data, (uint32_t)sz);
            qlNodeUpdated(n);
            n->recompress = 0;
            qlCompress(ql, n);
            return;
        }
    } else if (QL_NODE_IS_PLAIN(n) && large) {
        zfree(n->entry);
        n->entry = zmalloc(sz);
        memcpy(n->entry, data, sz);
        n->sz = sz;
        n->attempted_compress = 0;
        n->recompress = 0;
        qlCompress(ql, n);
        return;
    }
    /* The new value does not belong where the old one is: take the old
     * one out, then place the new one in the gap. */
    quicklistNode *a, *b;
    if (!QL_NODE_IS_PLAIN(n) && entry->offset < (int)n->count - 1) qlSplit(ql, n, entry->offset + 1);
    /* Now the old element is the last of n. */
    if (QL_NODE_IS_PLAIN(n) || n->count == 1) {
        a = n->prev;
        b = n->next;
        qlUnlink(ql, n);
        qlNodeFree(n);
    } else {
        n->entry = lpDeleteRange(qlNodeFlat(n), -1, 1);
        n->count--;
        n->recompress = 0;
        qlNodeUpdated(n);
        a = n;
        b = n->next;
    }
    ql->count--;
    quicklistNode *x = qlPlaceBetween(ql, a, b, data, sz);
    qlMergeWindow(ql, qlWindowStart(ql, x->prev ? x->prev : x));
}

int quicklistReplaceAtIndex(quicklist *ql, long index, void *data, size_t sz) {
    quicklistEntry entry;
    quicklistIter *iter = quicklistGetIteratorEntryAtIdx(ql, index, &entry);
    if (iter == NULL) return 0;
    quicklistReplaceEntry(iter, &entry, data, sz);
    quicklistReleaseIterator(iter);
    return 1;
}

int quicklistDelRange(quicklist *ql, long start, long count) {
    if (count <= 0 || ql->count == 0) return 0;
    long long idx = start < 0 ? (long long)ql->count + start : start;
    if (idx < 0 || (unsigned long long)idx >= ql->count) return 0;
    unsigned long extent = (unsigned long)count;
    if (extent > ql->count - (unsigned long)idx) extent = ql->count - (unsigned long)idx;
    long off;
    quicklistNode *n = qlLocate(ql, (unsigned long)idx, &off);
    while (extent > 0 && n) {
        quicklistNode *next = n->next;
        unsigned long here = n->count - (unsigned long)off;
        if (here > extent) here = extent;
        if (off == 0 && here == n->count) {
            qlUnlink(ql, n);
            qlNodeFree(n);
        } else {
            qlNodeDecompress(n);
            n->entry = lpDeleteRange(qlNodeFlat(n), off, here);
            n->count -= here;
            qlNodeUpdated(n);
            qlCompress(ql, n);
        }
        ql->count -= here;
        extent -= here;
        off = 0;
        n = next;
    }
    qlCompress(ql, NULL);
    return 1;
}

static void *qlSaveCopy(unsigned char *data, size_t sz) {
    unsigned char *copy = zmalloc(sz ? sz : 1);
    memcpy(copy, data, sz);
    return copy;
}

int quicklistPopWith(quicklist *ql, int where, quicklistPopFn *fn, void *ctx) {
    if (ql->count == 0) return 0;
    quicklistNode *n = where == QUICKLIST_HEAD ? ql->head : ql->tail;
    qlNodeDecompress(n);
    unsigned char *p, *value;
    unsigned int slen = 0;
    long long lval = 0;
    size_t len;
    if (QL_NODE_IS_PLAIN(n)) {
        p = value = n->entry;
        len = n->sz;
    } else {
        p = where == QUICKLIST_HEAD ? lpFirst(n->entry) : lpLast(n->entry);
        value = lpGetValue(p, &slen, &lval);
        len = slen;
    }
    fn(ctx, value, len, lval);
    qlDelIndex(ql, n, p);
    return 1;
}

/* Where quicklistPopCustom's consumer puts the element. */
typedef struct {
    void *(*saver)(unsigned char *data, size_t sz);
    unsigned char **data;
    size_t *sz;
    long long *sval;
} qlPopSaved;

static void qlPopSave(void *ctx, const unsigned char *value, size_t sz, long long lval) {
    qlPopSaved *s = ctx;
    if (value) {
        if (s->data) *s->data = s->saver((unsigned char *)value, sz);
        if (s->sz) *s->sz = sz;
    } else if (s->sval) {
        *s->sval = lval;
    }
}

int quicklistPopCustom(quicklist *ql, int where, unsigned char **data, size_t *sz, long long *sval,
                       void *(*saver)(unsigned char *data, size_t sz)) {
    if (data) *data = NULL;
    if (sz) *sz = 0;
    if (sval) *sval = 0;
    qlPopSaved s = {saver, data, sz, sval};
    return quicklistPopWith(ql, where, qlPopSave, &s);
}

int quicklistPop(quicklist *ql, int where, unsigned char **data, size_t *sz, long long *sval) {
    return quicklistPopCustom(ql, where, data, sz, sval, qlSaveCopy);
}

void quicklistRotate(quicklist *ql) {
    if (ql->count <= 1) return;
    unsigned char *data;
    size_t sz;
    long long v;
    quicklistPop(ql, QUICKLIST_TAIL, &data, &sz, &v);
    if (data) {
        quicklistPushHead(ql, data, sz);
        zfree(data);
    } else {
        char buf[32];
        int len = snprintf(buf, sizeof(buf), "%lld", v);
        quicklistPushHead(ql, buf, (size_t)len);
    }
}

/* ----------------------------------------------------------- reading */

quicklistIter *quicklistGetIterator(quicklist *ql, int direction) {
    quicklistIter *iter = zmalloc(sizeof(*iter));
    iter->quicklist = ql;
    iter->direction = direction;
    iter->zi = NULL;
    if (direction == AL_START_HEAD) {
        iter->current = ql->head;
        iter->offset = 0;
    } else {
        iter->current = ql->tail;
        iter->offset = -1;
    }
    return iter;
}

quicklistIter *quicklistGetIteratorAtIdx(quicklist *ql, int direction, long long idx) {
    long long i = idx < 0 ? (long long)ql->count + idx : idx;
    if (i < 0 || (unsigned long long)i >= ql->count) return NULL;
    quicklistIter *iter = quicklistGetIterator(ql, direction);
    long off;
    iter->current = qlLocate(ql, (unsigned long)i, &off);
    iter->offset = off;
    return iter;
}

quicklistIter *quicklistGetIteratorEntryAtIdx(quicklist *ql, long long idx, quicklistEntry *entry) {
    quicklistIter *iter = quicklistGetIteratorAtIdx(ql, AL_START_HEAD, idx);
    if (iter == NULL) return NULL;
    quicklistNext(iter, entry);
    return iter;
}

int quicklistNext(quicklistIter *iter, quicklistEntry *entry) {
    entry->quicklist = iter->quicklist;
    while (iter->current) {
        quicklistNode *n = iter->current;
        if (iter->zi == NULL) {
            /* Entering n (or re-seeking in it after a deletion). */
            qlNodeUnpack(n);
            if (iter->offset < 0) iter->offset += n->count;
            if (iter->offset < 0 || iter->offset >= (long)n->count)
                iter->zi = NULL;
            else
                iter->zi = QL_NODE_IS_PLAIN(n) ? n->entry : lpSeek(n->entry, iter->offset);
        } else if (QL_NODE_IS_PLAIN(n)) {
            iter->zi = NULL;
        } else if (iter->direction == AL_START_HEAD) {
            iter->zi = lpNext(n->entry, iter->zi);
            iter->offset++;
        } else {
            iter->zi = lpPrev(n->entry, iter->zi);
            iter->offset--;
        }
        if (iter->zi) {
            entry->node = n;
            entry->zi = iter->zi;
            entry->offset = (int)iter->offset;
            entry->longval = 0;
            if (QL_NODE_IS_PLAIN(n)) {
                entry->value = n->entry;
                entry->sz = n->sz;
            } else {
                unsigned int slen = 0;
                long long lval;
                entry->value = lpGetValue(iter->zi, &slen, &lval);
                entry->sz = slen;
                if (entry->value == NULL) entry->longval = lval;
            }
            return 1;
        }
        qlNodeRepack(iter->quicklist, n);
        iter->current = iter->direction == AL_START_HEAD ? n->next : n->prev;
        iter->offset = iter->direction == AL_START_HEAD ? 0 : -1;
    }
    entry->node = NULL;
    entry->zi = NULL;
    entry->value = NULL;
    entry->longval = 0;
    entry->sz = 0;
    entry->offset = 0;
    return 0;
}

void quicklistReleaseIterator(quicklistIter *iter) {
    if (iter == NULL) return;
    if (iter->current) qlNodeRepack(iter->quicklist, iter->current);
    zfree(iter);
}

int quicklistCompare(quicklistEntry *entry, unsigned char *s, size_t slen) {
    if (QL_NODE_IS_PLAIN(entry->node)) return entry->sz == slen && memcmp(entry->value, s, slen) == 0;
    if (slen > UINT32_MAX) return 0;
    return lpCompare(entry->zi, s, (uint32_t)slen) != 0;
}

size_t quicklistGetLzf(const quicklistNode *node, void **data) {
    quicklistLZF *lzf = (quicklistLZF *)node->entry;
    *data = lzf->compressed;
    return lzf->sz;
}

int quicklistNodeIsCompressed(const quicklistNode *node) {
    return node->encoding == QUICKLIST_NODE_ENCODING_LZF;
}

size_t quicklistNodeEntryAllocSize(const quicklistNode *node) {
    return zmalloc_size(node->entry - node->front);
}
