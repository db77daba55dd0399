/* Unit tests of quicklist.c: every operation checked against a plain array
 * model at many fill and compress settings, plus structural invariants
 * (links, counts, node limits, compression of the middle nodes), merges
 * of small nodes and plain nodes with a lowered packed threshold. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listpack.h"
#include "quicklist.h"
#include "test.h"
#include "zmalloc.h"

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

static uint32_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

/* ------------------------------------------------------------- model */

typedef struct {
    char *p;
    size_t len;
} item;

typedef struct {
    item *v;
    long n, cap;
} model;

static void modelInsert(model *m, long idx, const char *p, size_t len) {
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->v = realloc(m->v, sizeof(item) * m->cap);
    }
    memmove(m->v + idx + 1, m->v + idx, sizeof(item) * (m->n - idx));
    m->v[idx].p = malloc(len ? len : 1);
    memcpy(m->v[idx].p, p, len);
    m->v[idx].len = len;
    m->n++;
}

static void modelDelete(model *m, long idx, long count) {
    for (long j = idx; j < idx + count; j++) free(m->v[j].p);
    memmove(m->v + idx, m->v + idx + count, sizeof(item) * (m->n - idx - count));
    m->n -= count;
}

static void modelFree(model *m) {
    modelDelete(m, 0, m->n);
    free(m->v);
    m->v = NULL;
    m->cap = 0;
}

/* The element of entry as text (integers formatted). */
static size_t entryText(quicklistEntry *e, char *buf, size_t bufsz, const char **out) {
    if (e->value) {
        *out = (const char *)e->value;
        return e->sz;
    }
    *out = buf;
    return (size_t)snprintf(buf, bufsz, "%lld", e->longval);
}

static int sameItem(quicklistEntry *e, item *it) {
    char buf[32];
    const char *s;
    size_t len = entryText(e, buf, sizeof(buf), &s);
    return len == it->len && memcmp(s, it->p, len) == 0;
}

/* ------------------------------------------------------- invariants */

static const size_t limits[] = {4096, 8192, 16384, 32768, 65536};

/* Checks links, counts, sizes, fill limits and the compression rule.
 * Returns 1 if all hold. */
static int checkStructure(quicklist *ql, int verbose) {
    unsigned long count = 0, len = 0;
    quicklistNode *prev = NULL;
    int ok = 1;
    for (quicklistNode *n = ql->head; n; prev = n, n = n->next) {
        unsigned long idx = len++;
        if (n->prev != prev) ok = 0;
        if (n->count == 0) ok = 0;
        count += n->count;
        if (n->recompress) ok = 0;
        int in_ends = idx < ql->compress || ql->len - 1 - idx < ql->compress;
        if (n->encoding == QUICKLIST_NODE_ENCODING_LZF) {
            if (in_ends || ql->compress == 0) ok = 0;
            quicklistLZF *lzf = (quicklistLZF *)n->entry;
            if (lzf->sz + 8 > n->sz) ok = 0;
        } else if (ql->compress && !in_ends && n->sz >= 48 && !n->attempted_compress) {
            if (verbose) fprintf(stderr, "node %lu of %lu should be compressed\n", idx, ql->len);
            ok = 0;
        }
        if (!QL_NODE_IS_PLAIN(n) && n->encoding == QUICKLIST_NODE_ENCODING_RAW) {
            if (lpLength(n->entry) != n->count || lpBytes(n->entry) != n->sz) ok = 0;
        }
        if (QL_NODE_IS_PLAIN(n) && n->count != 1) ok = 0;
        if (!QL_NODE_IS_PLAIN(n) && n->count > 1) {
            if (ql->fill < 0 && n->sz > limits[-ql->fill - 1]) ok = 0;
            if (ql->fill >= 0 && (n->count > (unsigned)ql->fill || n->sz > 8192)) ok = 0;
        }
    }
    if (prev != ql->tail) ok = 0;
    if (count != ql->count || len != ql->len) ok = 0;
    if (!ok && verbose) fprintf(stderr, "structure broken: fill %d compress %u\n", ql->fill, ql->compress);
    return ok;
}

/* Forward and backward iteration match the model. */
static int checkContents(quicklist *ql, model *m) {
    if ((long)quicklistCount(ql) != m->n) return 0;
    quicklistEntry e;
    quicklistIter *it = quicklistGetIterator(ql, AL_START_HEAD);
    long i = 0;
    int ok = 1;
    while (quicklistNext(it, &e)) {
        if (i >= m->n || !sameItem(&e, &m->v[i])) ok = 0;
        i++;
    }
    quicklistReleaseIterator(it);
    if (i != m->n) ok = 0;
    it = quicklistGetIterator(ql, AL_START_TAIL);
    i = m->n - 1;
    while (quicklistNext(it, &e)) {
        if (i < 0 || !sameItem(&e, &m->v[i])) ok = 0;
        i--;
    }
    quicklistReleaseIterator(it);
    if (i != -1) ok = 0;
    return ok && checkStructure(ql, 1);
}

/* 1 if every raw packed node's block holds its listpack and room, and is
 * no bigger than realloc would make it (allowing the 1/8 of the block that
 * shrinking keeps, and rounding), and its bytes are those of a listpack
 * built by appending its elements. */
static int checkBlocks(quicklist *ql) {
    for (quicklistNode *n = ql->head; n; n = n->next) {
        if (QL_NODE_IS_PLAIN(n) || n->encoding != QUICKLIST_NODE_ENCODING_RAW) {
            if (n->front != 0) return 0;
            continue;
        }
        size_t alloc = quicklistNodeEntryAllocSize(n);
        void *probe = zmalloc(n->sz);
        size_t fresh = zmalloc_size(probe);
        zfree(probe);
        /* A kept block may be as big as zmalloc_good_size says a new one
         * would be (bigger than zmalloc gives under valgrind's malloc). */
        size_t good = zmalloc_good_size(n->sz);
        if (good > fresh) fresh = good;
        if (alloc < n->front + n->sz || alloc > fresh + fresh / 7 + 32) return 0;
        unsigned char *lp = lpNew(0);
        for (unsigned char *p = lpFirst(n->entry); p; p = lpNext(n->entry, p)) {
            unsigned char buf[LP_INTBUF_SIZE];
            int64_t len;
            unsigned char *v = lpGet(p, &len, buf);
            lp = lpAppend(lp, v, (uint32_t)len);
        }
        int same = lpBytes(lp) == n->sz && memcmp(lp, n->entry, n->sz) == 0;
        lpFree(lp);
        if (!same) return 0;
    }
    return 1;
}

/* ------------------------------------------------------ random values */

/* A random value in buf: integers, short strings, medium compressible
 * strings, and (rarely) long ones that may exceed the node limits. */
static size_t randomValue(char *buf, int allow_big) {
    int kind = rnd() % 10;
    if (kind < 3) return (size_t)snprintf(buf, 32, "%lld", (long long)(rnd() % 100000) - 500);
    if (kind < 7) {
        size_t len = rnd() % 16;
        for (size_t j = 0; j < len; j++) buf[j] = 'a' + rnd() % 26;
        return len;
    }
    size_t len = (kind < 9 || !allow_big) ? 20 + rnd() % 200 : 1000 + rnd() % 9000;
    for (size_t j = 0; j < len; j++) buf[j] = "xyz"[rnd() % 3];
    return len;
}

/* ------------------------------------------------------ random test */

/* check_every: check the whole list (contents, structure, blocks) after
 * every that many operations. */
static int randomOps(int fill, int depth, int ops, int allow_big, int check_every) {
    quicklist *ql = quicklistNew(fill, depth);
    model m = {0};
    char *buf = malloc(20000);
    int ok = 1;
    for (int op = 0; op < ops && ok; op++) {
        int what = rnd() % 100;
        size_t len;
        if (what < 30 || m.n == 0) {
            len = randomValue(buf, allow_big);
            if (rnd() % 2) {
                quicklistPushHead(ql, buf, len);
                modelInsert(&m, 0, buf, len);
            } else {
                quicklistPushTail(ql, buf, len);
                modelInsert(&m, m.n, buf, len);
            }
        } else if (what < 40) {
            int head = rnd() % 2;
            unsigned char *data;
            size_t sz;
            long long v;
            int got = quicklistPop(ql, head ? QUICKLIST_HEAD : QUICKLIST_TAIL, &data, &sz, &v);
            item *it = &m.v[head ? 0 : m.n - 1];
            char nb[32];
            if (!got) ok = 0;
            if (data) {
                if (sz != it->len || memcmp(data, it->p, sz)) ok = 0;
                zfree(data);
            } else {
                size_t nl = (size_t)snprintf(nb, sizeof(nb), "%lld", v);
                if (nl != it->len || memcmp(nb, it->p, nl)) ok = 0;
            }
            modelDelete(&m, head ? 0 : m.n - 1, 1);
        } else if (what < 55) {
            long idx = rnd() % m.n;
            int after = rnd() % 2;
            len = randomValue(buf, allow_big);
            quicklistEntry e;
            quicklistIter *it = quicklistGetIteratorEntryAtIdx(ql, idx, &e);
            if (!it || !sameItem(&e, &m.v[idx])) ok = 0;
            if (after)
                quicklistInsertAfter(it, &e, buf, len);
            else
                quicklistInsertBefore(it, &e, buf, len);
            quicklistReleaseIterator(it);
            modelInsert(&m, after ? idx + 1 : idx, buf, len);
        } else if (what < 65) {
            long idx = rnd() % m.n;
            len = randomValue(buf, allow_big);
            if (!quicklistReplaceAtIndex(ql, rnd() % 2 ? idx : idx - m.n, buf, len)) ok = 0;
            free(m.v[idx].p);
            m.v[idx].p = malloc(len ? len : 1);
            memcpy(m.v[idx].p, buf, len);
            m.v[idx].len = len;
        } else if (what < 72) {
            long start = rnd() % m.n, count = 1 + rnd() % 40, extra = 0;
            if (count >= m.n - start) {
                /* A count reaching past the end is clipped. */
                count = m.n - start;
                extra = rnd() % 3;
            }
            long arg = rnd() % 2 ? start : start - m.n;
            if (!quicklistDelRange(ql, arg, count + extra)) ok = 0;
            modelDelete(&m, start, count);
        } else if (what < 82) {
            /* Delete every element whose text starts with a given letter
             * while iterating, in a random direction (like LREM). */
            char letter = 'a' + rnd() % 26;
            int dir = rnd() % 2 ? AL_START_HEAD : AL_START_TAIL;
            quicklistIter *it = quicklistGetIterator(ql, dir);
            quicklistEntry e;
            long i = dir == AL_START_HEAD ? 0 : m.n - 1;
            while (quicklistNext(it, &e)) {
                if (!sameItem(&e, &m.v[i])) ok = 0;
                if (m.v[i].len > 0 && m.v[i].p[0] == letter) {
                    quicklistDelEntry(it, &e);
                    modelDelete(&m, i, 1);
                    if (dir == AL_START_TAIL) i--;
                } else {
                    i += dir == AL_START_HEAD ? 1 : -1;
                }
            }
            quicklistReleaseIterator(it);
        } else if (what < 86) {
            quicklistRotate(ql);
            if (m.n > 1) {
                item last = m.v[m.n - 1];
                memmove(m.v + 1, m.v, sizeof(item) * (m.n - 1));
                m.v[0] = last;
            }
        } else if (what < 88) {
            quicklist *copy = quicklistDup(ql);
            quicklistRelease(ql);
            ql = copy;
        } else if (what < 95) {
            /* Iterator from a random index in a random direction. */
            long idx = rnd() % m.n;
            int dir = rnd() % 2 ? AL_START_HEAD : AL_START_TAIL;
            quicklistIter *it = quicklistGetIteratorAtIdx(ql, dir, rnd() % 2 ? idx : idx - m.n);
            quicklistEntry e;
            long i = idx, seen = 0;
            while (it && quicklistNext(it, &e) && seen < 50) {
                if (!sameItem(&e, &m.v[i]) || !quicklistCompare(&e, (unsigned char *)m.v[i].p, m.v[i].len))
                    ok = 0;
                i += dir == AL_START_HEAD ? 1 : -1;
                seen++;
            }
            if (!it) ok = 0;
            quicklistReleaseIterator(it);
        } else {
            if (quicklistGetIteratorAtIdx(ql, AL_START_HEAD, m.n) != NULL) ok = 0;
            if (quicklistGetIteratorAtIdx(ql, AL_START_HEAD, -m.n - 1) != NULL) ok = 0;
        }
        if (op % check_every == 0 && (!checkContents(ql, &m) || !checkBlocks(ql))) ok = 0;
        if (!ok) fprintf(stderr, "failed at op %d (kind %d), fill %d depth %d\n", op, what, fill, depth);
    }
    if (!checkContents(ql, &m)) ok = 0;
    quicklistRelease(ql);
    modelFree(&m);
    free(buf);
    return ok;
}

static unsigned long compressedNodes(quicklist *ql) {
    unsigned long c = 0;
    for (quicklistNode *n = ql->head; n; n = n->next) c += quicklistNodeIsCompressed(n);
    return c;
}

/* quicklistPopWith's consumer of the tests: keeps a copy as text. */
typedef struct {
    int calls;
    char text[64];
    size_t len;
    int was_int;
} popSeen;

static void popSeenFn(void *ctx, const unsigned char *value, size_t sz, long long lval) {
    popSeen *s = ctx;
    s->calls++;
    s->was_int = value == NULL;
    if (value) {
        s->len = sz < sizeof(s->text) ? sz : sizeof(s->text);
        memcpy(s->text, value, s->len);
    } else {
        s->len = (size_t)snprintf(s->text, sizeof(s->text), "%lld", lval);
    }
}

int main(void) {
    TEST("empty list") {
        quicklist *ql = quicklistCreate();
        ASSERT_EQ_INT(quicklistCount(ql), 0);
        ASSERT_EQ_INT(ql->len, 0);
        unsigned char *data;
        size_t sz;
        long long v;
        ASSERT_EQ_INT(quicklistPop(ql, QUICKLIST_HEAD, &data, &sz, &v), 0);
        ASSERT(quicklistGetIteratorAtIdx(ql, AL_START_HEAD, 0) == NULL);
        quicklistIter *it = quicklistGetIterator(ql, AL_START_TAIL);
        quicklistEntry e;
        ASSERT_EQ_INT(quicklistNext(it, &e), 0);
        quicklistReleaseIterator(it);
        ASSERT_EQ_INT(quicklistDelRange(ql, 0, 5), 0);
        quicklistRotate(ql);
        quicklistRelease(ql);
    }

    TEST("push, pop and integers come back as text") {
        quicklist *ql = quicklistNew(-2, 0);
        quicklistPushTail(ql, "hello", 5);
        quicklistPushTail(ql, "1234", 4);
        quicklistPushHead(ql, "-7", 2);
        ASSERT_EQ_INT(quicklistCount(ql), 3);
        unsigned char *data;
        size_t sz;
        long long v;
        ASSERT_EQ_INT(quicklistPop(ql, QUICKLIST_HEAD, &data, &sz, &v), 1);
        ASSERT(data == NULL);
        ASSERT_EQ_INT(v, -7);
        ASSERT_EQ_INT(quicklistPop(ql, QUICKLIST_TAIL, &data, &sz, &v), 1);
        ASSERT(data == NULL);
        ASSERT_EQ_INT(v, 1234);
        ASSERT_EQ_INT(quicklistPop(ql, QUICKLIST_TAIL, &data, &sz, &v), 1);
        ASSERT_MEMEQ(data, sz, "hello", 5);
        zfree(data);
        ASSERT_EQ_INT(ql->len, 0);
        quicklistRelease(ql);
    }

    TEST("quicklistPopWith hands each end element over, then removes it") {
        quicklist *ql = quicklistNew(-2, 0);
        popSeen seen = {0};
        ASSERT_EQ_INT(quicklistPopWith(ql, QUICKLIST_HEAD, popSeenFn, &seen), 0);
        ASSERT_EQ_INT(seen.calls, 0);
        quicklistPushTail(ql, "first", 5);
        quicklistPushTail(ql, "42", 2);
        quicklistPushTail(ql, "last", 4);
        ASSERT_EQ_INT(quicklistPopWith(ql, QUICKLIST_TAIL, popSeenFn, &seen), 1);
        ASSERT_MEMEQ(seen.text, seen.len, "last", 4);
        ASSERT(!seen.was_int);
        ASSERT_EQ_INT(quicklistPopWith(ql, QUICKLIST_TAIL, popSeenFn, &seen), 1);
        ASSERT_MEMEQ(seen.text, seen.len, "42", 2);
        ASSERT(seen.was_int);
        ASSERT_EQ_INT(quicklistPopWith(ql, QUICKLIST_HEAD, popSeenFn, &seen), 1);
        ASSERT_MEMEQ(seen.text, seen.len, "first", 5);
        ASSERT_EQ_INT(seen.calls, 3);
        ASSERT_EQ_INT(quicklistCount(ql), 0);
        ASSERT_EQ_INT(ql->len, 0);
        /* A plain node hands over its bytes. */
        ASSERT(quicklistSetPackedThreshold(8));
        quicklistPushHead(ql, "a plain element", 15);
        ASSERT(QL_NODE_IS_PLAIN(ql->head));
        ASSERT_EQ_INT(quicklistPopWith(ql, QUICKLIST_HEAD, popSeenFn, &seen), 1);
        ASSERT_MEMEQ(seen.text, seen.len, "a plain element", 15);
        ASSERT(quicklistSetPackedThreshold(0));
        ASSERT_EQ_INT(ql->len, 0);
        quicklistRelease(ql);
    }

    TEST("head pushes and pops use the room in front of the listpacks") {
        for (int depth = 0; depth <= 1; depth++) {
            quicklist *ql = quicklistNew(-2, depth);
            model m = {0};
            char buf[32];
            int ok = 1;
            for (int i = 0; i < 6000; i++) {
                size_t len = (size_t)(i % 4 ? snprintf(buf, sizeof(buf), "v%d", i)
                                            : snprintf(buf, sizeof(buf), "%d", i * 31 - 5000));
                if (i % 50 == 49) {
                    quicklistPushTail(ql, buf, len);
                    modelInsert(&m, m.n, buf, len);
                } else {
                    quicklistPushHead(ql, buf, len);
                    modelInsert(&m, 0, buf, len);
                }
                if (i % 500 == 0 && !checkBlocks(ql)) ok = 0;
            }
            ASSERT(ok);
            ASSERT(checkBlocks(ql));
            ASSERT(checkStructure(ql, 1));
            ASSERT(checkContents(ql, &m));
            popSeen seen = {0};
            int roomy = 0;
            for (int i = 0; i < 5000; i++) {
                int head = i % 7 != 6;
                long at = head ? 0 : m.n - 1;
                if (!quicklistPopWith(ql, head ? QUICKLIST_HEAD : QUICKLIST_TAIL, popSeenFn, &seen)) ok = 0;
                if (seen.len != m.v[at].len || memcmp(seen.text, m.v[at].p, seen.len) != 0) ok = 0;
                modelDelete(&m, at, 1);
                if (ql->head->front > 0) roomy++;
                if (i % 250 == 0 && (!checkBlocks(ql) || !checkContents(ql, &m))) ok = 0;
            }
            ASSERT(ok);
            ASSERT(roomy > 0); /* the pops did leave room in front */
            ASSERT(checkBlocks(ql));
            ASSERT(checkContents(ql, &m));
            quicklistRelease(ql);
            modelFree(&m);
        }
    }

    TEST("fill by count and by size") {
        quicklist *ql = quicklistNew(5, 0);
        for (int j = 0; j < 23; j++) quicklistPushTail(ql, "abc", 3);
        ASSERT_EQ_INT(ql->len, 5); /* 5+5+5+5+3 */
        ASSERT(checkStructure(ql, 1));
        quicklistRelease(ql);
        ql = quicklistNew(-1, 0); /* 4KB nodes */
        char big[100];
        memset(big, 'q', sizeof(big));
        for (int j = 0; j < 200; j++) quicklistPushHead(ql, big, sizeof(big));
        ASSERT(ql->len >= 5 && ql->len <= 7);
        ASSERT(checkStructure(ql, 1));
        quicklistRelease(ql);
        ql = quicklistNew(0, 0); /* one element per node */
        for (int j = 0; j < 10; j++) quicklistPushTail(ql, "x", 1);
        ASSERT_EQ_INT(ql->len, 10);
        quicklistRelease(ql);
    }

    TEST("a single element larger than the fill gets its own node") {
        quicklist *ql = quicklistNew(-1, 0);
        char *big = malloc(10000);
        memset(big, 'b', 10000);
        quicklistPushTail(ql, "a", 1);
        quicklistPushTail(ql, big, 10000);
        quicklistPushTail(ql, "c", 1);
        ASSERT_EQ_INT(ql->len, 3);
        ASSERT(checkStructure(ql, 1));
        free(big);
        quicklistRelease(ql);
    }

    TEST("middle nodes are compressed, ends are not") {
        quicklist *ql = quicklistNew(16, 1);
        char val[64];
        for (int j = 0; j < 16 * 10; j++) {
            int len = snprintf(val, sizeof(val), "element-element-element-%d", j % 7);
            quicklistPushTail(ql, val, (size_t)len);
        }
        ASSERT_EQ_INT(ql->len, 10);
        ASSERT_EQ_INT(compressedNodes(ql), 8);
        ASSERT(!quicklistNodeIsCompressed(ql->head) && !quicklistNodeIsCompressed(ql->tail));
        ASSERT(checkStructure(ql, 1));
        void *lzf;
        size_t clen = quicklistGetLzf(ql->head->next, &lzf);
        ASSERT(clen > 0 && clen + 8 <= ql->head->next->sz);
        quicklistSetCompressDepth(ql, 2);
        quicklistPushHead(ql, "new", 3);
        quicklistRelease(ql);

        ql = quicklistNew(16, 3);
        for (int j = 0; j < 16 * 10; j++) {
            int len = snprintf(val, sizeof(val), "element-element-element-%d", j % 7);
            quicklistPushHead(ql, val, (size_t)len);
        }
        ASSERT_EQ_INT(compressedNodes(ql), 4);
        /* Reading a middle element expands its node only while it is used. */
        quicklistEntry e;
        quicklistIter *it = quicklistGetIteratorEntryAtIdx(ql, 80, &e);
        ASSERT(it != NULL);
        ASSERT(!quicklistNodeIsCompressed(e.node));
        quicklistReleaseIterator(it);
        ASSERT_EQ_INT(compressedNodes(ql), 4);
        ASSERT(checkStructure(ql, 1));
        /* Popping nodes away moves the ends inwards. */
        for (int j = 0; j < 16 * 3; j++) quicklistPop(ql, QUICKLIST_TAIL, NULL, NULL, NULL);
        ASSERT_EQ_INT(compressedNodes(ql), 1);
        ASSERT(checkStructure(ql, 1));
        quicklistRelease(ql);
    }

    TEST("incompressible nodes are left raw and not retried") {
        quicklist *ql = quicklistNew(4, 1);
        char val[40];
        for (int j = 0; j < 40; j++) {
            for (int k = 0; k < 40; k++) val[k] = (char)rnd();
            quicklistPushTail(ql, val, sizeof(val));
        }
        ASSERT_EQ_INT(compressedNodes(ql), 0);
        int attempted = 1;
        for (quicklistNode *n = ql->head->next; n != ql->tail; n = n->next)
            if (!n->attempted_compress) attempted = 0;
        ASSERT(attempted);
        ASSERT(checkStructure(ql, 1));
        quicklistRelease(ql);
    }

    TEST("inserting into full nodes splits, then small nodes merge") {
        quicklist *ql = quicklistNew(4, 0);
        model m = {0};
        for (int j = 0; j < 12; j++) {
            char v[8];
            int len = snprintf(v, sizeof(v), "v%d", j);
            quicklistPushTail(ql, v, (size_t)len);
            modelInsert(&m, m.n, v, (size_t)len);
        }
        ASSERT_EQ_INT(ql->len, 3);
        quicklistEntry e;
        quicklistIter *it = quicklistGetIteratorEntryAtIdx(ql, 5, &e);
        quicklistInsertAfter(it, &e, "new", 3);
        quicklistReleaseIterator(it);
        modelInsert(&m, 6, "new", 3);
        ASSERT(checkContents(ql, &m));
        ASSERT_EQ_INT(ql->len, 4);
        /* Deleting most elements, then inserting, merges the leftovers. */
        quicklistDelRange(ql, 1, 2);
        modelDelete(&m, 1, 2);
        quicklistDelRange(ql, -3, 2);
        modelDelete(&m, m.n - 3, 2);
        unsigned long before = ql->len;
        it = quicklistGetIteratorEntryAtIdx(ql, 1, &e);
        quicklistInsertBefore(it, &e, "x", 1);
        quicklistReleaseIterator(it);
        modelInsert(&m, 1, "x", 1);
        ASSERT(checkContents(ql, &m));
        ASSERT(ql->len <= before);
        quicklistRelease(ql);
        modelFree(&m);
    }

    TEST("replace keeps order at every size") {
        quicklist *ql = quicklistNew(-1, 1);
        model m = {0};
        char *buf = malloc(5000);
        for (int j = 0; j < 300; j++) {
            size_t len = randomValue(buf, 0);
            quicklistPushTail(ql, buf, len);
            modelInsert(&m, m.n, buf, len);
        }
        int ok = 1;
        for (int j = 0; j < 300; j++) {
            long idx = rnd() % m.n;
            size_t len = rnd() % 4 == 0 ? 3000 + rnd() % 1000 : randomValue(buf, 0);
            memset(buf, 'r', len > 3000 ? len : 0);
            quicklistReplaceAtIndex(ql, idx, buf, len);
            free(m.v[idx].p);
            m.v[idx].p = malloc(len ? len : 1);
            memcpy(m.v[idx].p, buf, len);
            m.v[idx].len = len;
            if (!checkContents(ql, &m)) ok = 0;
        }
        ASSERT(ok);
        ASSERT_EQ_INT(quicklistReplaceAtIndex(ql, m.n, "x", 1), 0);
        free(buf);
        quicklistRelease(ql);
        modelFree(&m);
    }

    TEST("plain nodes with a lowered packed threshold") {
        ASSERT_EQ_INT(quicklistSetPackedThreshold((size_t)1 << 33), 0);
        ASSERT_EQ_INT(quicklistSetPackedThreshold(100), 1);
        quicklist *ql = quicklistNew(-2, 1);
        char big[300];
        memset(big, 'P', sizeof(big));
        quicklistPushTail(ql, "a", 1);
        quicklistPushTail(ql, big, 200);
        quicklistPushTail(ql, "b", 1);
        quicklistPushHead(ql, big, 150);
        ASSERT_EQ_INT(ql->len, 4);
        ASSERT(QL_NODE_IS_PLAIN(ql->head));
        ASSERT(QL_NODE_IS_PLAIN(ql->head->next->next));
        quicklistEntry e;
        quicklistIter *it = quicklistGetIteratorEntryAtIdx(ql, 2, &e);
        ASSERT_EQ_INT(e.sz, 200);
        ASSERT(quicklistCompare(&e, (unsigned char *)big, 200));
        quicklistReleaseIterator(it);
        /* plain -> small and small -> plain replacements */
        quicklistReplaceAtIndex(ql, 2, "small", 5);
        quicklistReplaceAtIndex(ql, 1, big, 250);
        it = quicklistGetIteratorEntryAtIdx(ql, 1, &e);
        ASSERT_EQ_INT(e.sz, 250);
        quicklistReleaseIterator(it);
        it = quicklistGetIteratorEntryAtIdx(ql, 2, &e);
        ASSERT_MEMEQ(e.value, e.sz, "small", 5);
        quicklistReleaseIterator(it);
        ASSERT(checkStructure(ql, 1));
        unsigned char *data;
        size_t sz;
        ASSERT_EQ_INT(quicklistPop(ql, QUICKLIST_HEAD, &data, &sz, NULL), 1);
        ASSERT_EQ_INT(sz, 150);
        zfree(data);
        quicklistRelease(ql);
        int ok = 1;
        for (int depth = 0; depth < 3; depth++)
            for (int fill = -2; fill <= 4; fill += 3)
                if (!randomOps(fill, depth, 3000, 1, 8)) ok = 0;
        ASSERT(ok);
        quicklistSetPackedThreshold(0);
    }

    TEST("a split plus a new node next to an end zone leaves no middle node raw") {
        /* Sequences that once left a middle node uncompressed: inserts
         * that split a node near the head and add a node there push two
         * nodes out of the end zone at once. Checked after every step. */
        static const struct {
            uint64_t seed;
            int fill, depth;
        } cases[] = {{16, 7, 3}, {22, 2, 3}, {28, 7, 3}, {40, 7, 3}};
        int ok = 1;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            rng_state = cases[i].seed;
            if (!randomOps(cases[i].fill, cases[i].depth, 4000, 1, 1)) ok = 0;
        }
        ASSERT(ok);
        rng_state = 0x2545F4914F6CDD1DULL;
    }

    TEST("random operations vs a model at every fill and compress setting") {
        int fills[] = {-5, -4, -3, -2, -1, 0, 1, 2, 3, 7, 32, 128, 1000};
        int depths[] = {0, 1, 2, 3, 8};
        int ok = 1;
        for (size_t f = 0; f < sizeof(fills) / sizeof(fills[0]); f++)
            for (size_t d = 0; d < sizeof(depths) / sizeof(depths[0]); d++)
                if (!randomOps(fills[f], depths[d], 4000, f % 2, 8)) ok = 0;
        ASSERT(ok);
    }

    TEST("dup copies compressed and raw nodes") {
        quicklist *ql = quicklistNew(8, 1);
        model m = {0};
        char val[64];
        for (int j = 0; j < 100; j++) {
            int len = snprintf(val, sizeof(val), "value-value-value-value-%d", j);
            quicklistPushTail(ql, val, (size_t)len);
            modelInsert(&m, m.n, val, (size_t)len);
        }
        quicklist *copy = quicklistDup(ql);
        ASSERT_EQ_INT(compressedNodes(copy), compressedNodes(ql));
        quicklistRelease(ql);
        ASSERT(checkContents(copy, &m));
        quicklistRelease(copy);
        modelFree(&m);
    }

    TEST("options are clamped") {
        quicklist *ql = quicklistNew(100000, 100000);
        ASSERT_EQ_INT(ql->fill, QUICKLIST_FILL_MAX);
        ASSERT_EQ_INT(ql->compress, QUICKLIST_COMPRESS_MAX);
        quicklistSetOptions(ql, -10, -1);
        ASSERT_EQ_INT(ql->fill, -5);
        ASSERT_EQ_INT(ql->compress, 0);
        quicklistRelease(ql);
    }

    TEST("appending whole listpacks and plain nodes") {
        quicklist *ql = quicklistNew(-2, 0);
        unsigned char *lp = lpNew(0);
        lp = lpAppend(lp, (unsigned char *)"a", 1);
        lp = lpAppend(lp, (unsigned char *)"b", 1);
        quicklistAppendListpack(ql, lp);
        quicklistAppendListpack(ql, lpNew(0));
        unsigned char *plain = zmalloc(3);
        memcpy(plain, "xyz", 3);
        quicklistAppendPlainNode(ql, plain, 3);
        ASSERT_EQ_INT(quicklistCount(ql), 3);
        ASSERT_EQ_INT(ql->len, 2);
        ASSERT(checkStructure(ql, 1));
        quicklistRelease(ql);
    }

    return TEST_REPORT();
}
