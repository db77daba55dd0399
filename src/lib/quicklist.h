/* quicklist.h — a doubly linked list of listpacks: the list type's storage.
 *
 * A quicklist holds a sequence of byte strings (integers given back as their
 * decimal text are stored compactly by the listpacks). The elements live in
 * nodes; each node is one of:
 *
 *   PACKED  a listpack of up to `fill` elements (fill > 0) or of at most
 *           4/8/16/32/64KB (fill -1..-5), never above 65535 elements;
 *   PLAIN   one element stored as plain bytes, used for elements of at
 *           least the packed threshold (1GB unless changed) so that no
 *           listpack ever has to hold them.
 *
 * With a compress depth d > 0, the d nodes at each end stay as they are and
 * every node between them is kept LZF-compressed when that saves space;
 * a compressed node is expanded while it is read or changed, and
 * compressed again afterwards.
 *
 * Ownership: the quicklist owns its nodes and their bytes. Values handed in
 * are copied. Pointers handed out in a quicklistEntry point into a node and
 * stay valid until the list is next changed (other than through
 * quicklistDelEntry, which keeps the iterator usable).
 *
 * This is a base library: it does not depend on the server. */
#ifndef EMBER_QUICKLIST_H
#define EMBER_QUICKLIST_H

#include <stddef.h>
#include <stdint.h>

#define QUICKLIST_NODE_ENCODING_RAW 1
#define QUICKLIST_NODE_ENCODING_LZF 2

#define QUICKLIST_NODE_CONTAINER_PLAIN 1
#define QUICKLIST_NODE_CONTAINER_PACKED 2

#define QL_NODE_IS_PLAIN(node) ((node)->container == QUICKLIST_NODE_CONTAINER_PLAIN)

/* `where` of quicklistPush / quicklistPop. */
#define QUICKLIST_HEAD 0
#define QUICKLIST_TAIL -1

/* Iteration directions (the same values as adlist.h's). */
#ifndef AL_START_HEAD
#define AL_START_HEAD 0
#define AL_START_TAIL 1
#endif

/* Limits of the options (larger values are clamped). */
#define QUICKLIST_FILL_MAX 32767
#define QUICKLIST_FILL_MIN -5
#define QUICKLIST_COMPRESS_MAX 65535

typedef struct quicklistNode {
    struct quicklistNode *prev, *next;
    unsigned char *entry;    /* listpack, plain bytes, or a quicklistLZF when compressed */
    size_t sz;               /* bytes of the uncompressed entry */
    unsigned int count : 16; /* elements in this node (1 for a plain node) */
    unsigned int encoding : 2;          /* QUICKLIST_NODE_ENCODING_* */
    unsigned int container : 2;         /* QUICKLIST_NODE_CONTAINER_* */
    unsigned int recompress : 1;        /* expanded for a moment; compress again when done */
    unsigned int attempted_compress : 1; /* compression did not pay; unchanged since */
    unsigned int extra : 10;
    uint32_t front; /* free bytes of the block before a raw listpack's start (head pushes/pops use them) */
} quicklistNode;

/* A compressed node's entry: sz bytes of LZF stream. */
typedef struct quicklistLZF {
    size_t sz;
    char compressed[];
} quicklistLZF;

typedef struct quicklist {
    quicklistNode *head, *tail;
    unsigned long count; /* elements in all nodes */
    unsigned long len;   /* nodes */
    int fill;            /* QUICKLIST_FILL_MIN..QUICKLIST_FILL_MAX */
    unsigned int compress; /* nodes left uncompressed at each end; 0: no compression */
} quicklist;

typedef struct quicklistIter {
    quicklist *quicklist;
    quicklistNode *current; /* NULL once past the end */
    unsigned char *zi;      /* the entry last returned in current, NULL before entering it */
    long offset;            /* index in current of the entry returned / to seek (-1: last) */
    int direction;          /* AL_START_HEAD or AL_START_TAIL */
} quicklistIter;

/* One element. When value is NULL the element is the integer longval;
 * otherwise it is value[0..sz). offset is the element's index in node. */
typedef struct quicklistEntry {
    const quicklist *quicklist;
    quicklistNode *node;
    unsigned char *zi;
    unsigned char *value;
    long long longval;
    size_t sz;
    int offset;
} quicklistEntry;

/* ------------------------------------------------------ lists and options */

/* An empty list with fill -2 and no compression. */
quicklist *quicklistCreate(void);
/* An empty list with the given fill and compress depth (clamped). */
quicklist *quicklistNew(int fill, int compress);
void quicklistSetFill(quicklist *ql, int fill);
void quicklistSetCompressDepth(quicklist *ql, int depth);
void quicklistSetOptions(quicklist *ql, int fill, int depth);
/* Frees the list, its nodes and their bytes. */
void quicklistRelease(quicklist *ql);
/* A deep copy with the same options and node layout. */
quicklist *quicklistDup(quicklist *orig);
unsigned long quicklistCount(const quicklist *ql);

/* Elements of at least sz bytes go to plain nodes. 0 restores the default
 * (1GB). Returns 0 (and changes nothing) for values too large for a node.
 * Process-wide: it is a tuning knob for DEBUG and tests. */
int quicklistSetPackedThreshold(size_t sz);

/* ---------------------------------------------------------- adding */

/* Copies value[0..sz) to the head / tail. PushHead and PushTail return 1
 * when a new node was created for it. */
int quicklistPushHead(quicklist *ql, void *value, size_t sz);
int quicklistPushTail(quicklist *ql, void *value, size_t sz);
void quicklistPush(quicklist *ql, void *value, size_t sz, int where);
/* Adds a whole listpack (taking ownership) / plain element (taking
 * ownership of data) as a new tail node, as a loader does. An empty
 * listpack is freed and ignored. */
void quicklistAppendListpack(quicklist *ql, unsigned char *lp);
void quicklistAppendPlainNode(quicklist *ql, unsigned char *data, size_t sz);

/* Inserts a copy of value next to the element entry (from quicklistNext
 * on iter). The iterator is exhausted afterwards: release it. */
void quicklistInsertAfter(quicklistIter *iter, quicklistEntry *entry, void *value, size_t sz);
void quicklistInsertBefore(quicklistIter *iter, quicklistEntry *entry, void *value, size_t sz);

/* ------------------------------------------------------- changing */

/* Deletes the element entry (just returned by quicklistNext on iter); the
 * next quicklistNext returns the element that followed it in the
 * iterator's direction. */
void quicklistDelEntry(quicklistIter *iter, quicklistEntry *entry);
/* Replaces the element entry with a copy of data. The iterator is
 * exhausted afterwards: release it. */
void quicklistReplaceEntry(quicklistIter *iter, quicklistEntry *entry, void *data, size_t sz);
/* Replaces the element at index (negative from the tail). Returns 1 if
 * the index exists, 0 (nothing done) otherwise. */
int quicklistReplaceAtIndex(quicklist *ql, long index, void *data, size_t sz);
/* Deletes up to count elements from index start (negative from the tail).
 * Returns 1 if anything was deleted. */
int quicklistDelRange(quicklist *ql, long start, long count);
/* Moves the tail element to the head. */
void quicklistRotate(quicklist *ql);

/* Removes the head / tail element. Returns 0 on an empty list. Otherwise
 * a string element is given to saver (which copies it and returns the
 * copy) and the result stored in *data with its length in *sz, while an
 * integer element sets *data to NULL and *sval. quicklistPop's saver is a
 * zmalloc'ed copy the caller frees with zfree. */
int quicklistPopCustom(quicklist *ql, int where, unsigned char **data, size_t *sz, long long *sval,
                       void *(*saver)(unsigned char *data, size_t sz));
int quicklistPop(quicklist *ql, int where, unsigned char **data, size_t *sz, long long *sval);
/* The consumer of quicklistPopWith: the element about to be removed, as
 * bytes (value, sz), or value NULL and lval for an integer element. The
 * bytes point into the list and are valid only during the call, which must
 * not change the list. */
typedef void quicklistPopFn(void *ctx, const unsigned char *value, size_t sz, long long lval);
/* Removes the head / tail element after handing it to fn (no copy is made).
 * Returns 0, without calling fn, on an empty list. */
int quicklistPopWith(quicklist *ql, int where, quicklistPopFn *fn, void *ctx);

/* ------------------------------------------------------- reading */

/* An iterator from the head (AL_START_HEAD) or the tail (AL_START_TAIL). */
quicklistIter *quicklistGetIterator(quicklist *ql, int direction);
/* An iterator whose first quicklistNext returns the element at idx
 * (negative from the tail), or NULL when idx is out of range. */
quicklistIter *quicklistGetIteratorAtIdx(quicklist *ql, int direction, long long idx);
/* The element at idx in *entry, and the iterator positioned on it (going
 * towards the tail), or NULL when idx is out of range. Release it. */
quicklistIter *quicklistGetIteratorEntryAtIdx(quicklist *ql, long long idx, quicklistEntry *entry);
/* Fills *entry with the next element; returns 0 at the end. */
int quicklistNext(quicklistIter *iter, quicklistEntry *entry);
void quicklistReleaseIterator(quicklistIter *iter);
/* 1 if the element entry equals s[0..slen) byte for byte. */
int quicklistCompare(quicklistEntry *entry, unsigned char *s, size_t slen);

/* For a compressed node: sets *data to the LZF stream and returns its
 * length (the uncompressed length is node->sz). */
size_t quicklistGetLzf(const quicklistNode *node, void **data);
/* 1 if node is compressed. */
int quicklistNodeIsCompressed(const quicklistNode *node);
/* The allocator's bytes of the node's entry (listpack, plain bytes or
 * compressed bytes), free room included. */
size_t quicklistNodeEntryAllocSize(const quicklistNode *node);

#endif
