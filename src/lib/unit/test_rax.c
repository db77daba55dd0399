/* test_rax.c -- unit tests of rax.c.
 *
 * Covers insert (new and replace, TryInsert keeping the old value), find
 * with NULL values and the empty key, remove with pruning (the node count
 * returns to one), every seek operator on present and absent keys, forward
 * and backward iteration, stepping while the tree changes, and a long
 * random insert/remove run checked against a sorted model array of short
 * keys with every seek operator at random points.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rax.h"
#include "zmalloc.h"
#include "unit/test.h"

#define MODEL_MAX 4096

typedef struct {
    unsigned char k[4];
    size_t len;
} mkey;

static mkey model[MODEL_MAX];
static int model_len;

static int keyCmp(const unsigned char *a, size_t al, const unsigned char *b, size_t bl) {
    size_t m = al < bl ? al : bl;
    int c = memcmp(a, b, m);
    if (c) return c;
    return al < bl ? -1 : al > bl;
}

static int mkeyCmp(const void *a, const void *b) {
    const mkey *x = a, *y = b;
    return keyCmp(x->k, x->len, y->k, y->len);
}

static int modelFind(const mkey *k) {
    for (int i = 0; i < model_len; i++)
        if (!mkeyCmp(&model[i], k)) return i;
    return -1;
}

/* Index in the sorted model answering op for k, or -1. */
static int modelSeek(const char *op, const mkey *k) {
    int best = -1;
    for (int i = 0; i < model_len; i++) {
        int c = mkeyCmp(&model[i], k);
        if (!strcmp(op, ">=") && c >= 0) return i;
        if (!strcmp(op, ">") && c > 0) return i;
        if (!strcmp(op, "<=") && c <= 0) best = i;
        if (!strcmp(op, "<") && c < 0) best = i;
    }
    return best;
}

static void randomKey(mkey *k) {
    k->len = (size_t)(random() % 4);
    for (size_t i = 0; i < k->len; i++) k->k[i] = (unsigned char)("ab\x00\xff"[random() % 4]);
}

static int iterMatches(raxIterator *it, int idx) {
    if (idx < 0) return 0;
    return keyCmp(it->key, it->key_len, model[idx].k, model[idx].len) == 0;
}

int main(void) {
    srandom(4321);

    TEST("insert, replace, find, TryInsert") {
        rax *r = raxNew();
        void *old = NULL;
        ASSERT_EQ_INT(raxInsert(r, (unsigned char *)"abc", 3, (void *)1, NULL), 1);
        ASSERT_EQ_INT(raxInsert(r, (unsigned char *)"abc", 3, (void *)2, &old), 0);
        ASSERT(old == (void *)1);
        ASSERT(raxFind(r, (unsigned char *)"abc", 3) == (void *)2);
        ASSERT(raxFind(r, (unsigned char *)"ab", 2) == raxNotFound);
        ASSERT(raxFind(r, (unsigned char *)"abcd", 4) == raxNotFound);
        ASSERT_EQ_INT(raxTryInsert(r, (unsigned char *)"abc", 3, (void *)3, &old), 0);
        ASSERT(old == (void *)2);
        ASSERT(raxFind(r, (unsigned char *)"abc", 3) == (void *)2);
        ASSERT_EQ_INT(raxInsert(r, (unsigned char *)"", 0, NULL, NULL), 1);
        ASSERT(raxFind(r, (unsigned char *)"", 0) == NULL);
        ASSERT_EQ_INT(raxSize(r), 2);
        raxFree(r);
    }

    TEST("remove prunes the nodes it leaves empty") {
        rax *r = raxNew();
        raxInsert(r, (unsigned char *)"abcd", 4, (void *)1, NULL);
        raxInsert(r, (unsigned char *)"ab", 2, (void *)2, NULL);
        raxInsert(r, (unsigned char *)"abxy", 4, (void *)3, NULL);
        void *old = NULL;
        ASSERT_EQ_INT(raxRemove(r, (unsigned char *)"abc", 3, &old), 0);
        ASSERT_EQ_INT(raxRemove(r, (unsigned char *)"abcd", 4, &old), 1);
        ASSERT(old == (void *)1);
        ASSERT(raxFind(r, (unsigned char *)"ab", 2) == (void *)2);
        ASSERT(raxFind(r, (unsigned char *)"abxy", 4) == (void *)3);
        raxRemove(r, (unsigned char *)"ab", 2, NULL);
        raxRemove(r, (unsigned char *)"abxy", 4, NULL);
        ASSERT_EQ_INT(raxSize(r), 0);
        ASSERT_EQ_INT(r->numnodes, 1);
        raxFree(r);
    }

    TEST("node count of the path-compressed equivalent") {
        rax *r = raxNew();
        ASSERT_EQ_INT(raxCompressedNodeCount(r), 1);
        raxInsert(r, (unsigned char *)"abcdefghijklmnop", 16, NULL, NULL);
        ASSERT_EQ_INT(raxCompressedNodeCount(r), 2);
        raxInsert(r, (unsigned char *)"abcdefghijklmnoq", 16, NULL, NULL);
        ASSERT_EQ_INT(raxCompressedNodeCount(r), 4);
        raxInsert(r, (unsigned char *)"abc", 3, NULL, NULL);
        ASSERT_EQ_INT(raxCompressedNodeCount(r), 5);
        raxRemove(r, (unsigned char *)"abcdefghijklmnoq", 16, NULL);
        ASSERT_EQ_INT(raxCompressedNodeCount(r), 3);
        raxFree(r);
    }

    TEST("seek operators and both directions") {
        rax *r = raxNew();
        const char *keys[] = {"a", "ab", "abc", "b", "ba", "c"};
        for (int i = 0; i < 6; i++) raxInsert(r, (unsigned char *)keys[i], strlen(keys[i]), (void *)(intptr_t)i, NULL);
        raxIterator it;
        raxStart(&it, r);
        raxSeek(&it, "^", NULL, 0);
        for (int i = 0; i < 6; i++) {
            ASSERT_EQ_INT(raxNext(&it), 1);
            ASSERT(it.key_len == strlen(keys[i]) && !memcmp(it.key, keys[i], it.key_len));
            ASSERT(it.data == (void *)(intptr_t)i);
        }
        ASSERT_EQ_INT(raxNext(&it), 0);
        ASSERT(raxEOF(&it));
        raxSeek(&it, "$", NULL, 0);
        for (int i = 5; i >= 0; i--) {
            ASSERT_EQ_INT(raxPrev(&it), 1);
            ASSERT(it.key_len == strlen(keys[i]) && !memcmp(it.key, keys[i], it.key_len));
        }
        ASSERT_EQ_INT(raxPrev(&it), 0);
        raxSeek(&it, ">=", (unsigned char *)"abd", 3);
        ASSERT(raxNext(&it) && it.key_len == 1 && it.key[0] == 'b');
        raxSeek(&it, ">", (unsigned char *)"b", 1);
        ASSERT(raxNext(&it) && it.key_len == 2 && !memcmp(it.key, "ba", 2));
        raxSeek(&it, "<=", (unsigned char *)"abz", 3);
        ASSERT(raxNext(&it) && it.key_len == 3 && !memcmp(it.key, "abc", 3));
        raxSeek(&it, "<", (unsigned char *)"ab", 2);
        ASSERT(raxPrev(&it) && it.key_len == 1 && it.key[0] == 'a');
        raxSeek(&it, "<", (unsigned char *)"a", 1);
        ASSERT_EQ_INT(raxNext(&it), 0);
        raxSeek(&it, ">", (unsigned char *)"c", 1);
        ASSERT_EQ_INT(raxNext(&it), 0);
        raxSeek(&it, "=", (unsigned char *)"ba", 2);
        ASSERT(raxNext(&it) && it.data == (void *)4);
        ASSERT(raxNext(&it) && it.key_len == 1 && it.key[0] == 'c');
        raxSeek(&it, "=", (unsigned char *)"bb", 2);
        ASSERT_EQ_INT(raxNext(&it), 0);
        ASSERT_EQ_INT(raxSeek(&it, "?", NULL, 0), 0);
        raxStop(&it);
        raxFree(r);
    }

    TEST("stepping while the current key is removed") {
        rax *r = raxNew();
        for (int i = 0; i < 300; i++) {
            unsigned char k[2] = {(unsigned char)(i >> 8), (unsigned char)i};
            raxInsert(r, k, 2, NULL, NULL);
        }
        raxIterator it;
        raxStart(&it, r);
        raxSeek(&it, "^", NULL, 0);
        int seen = 0;
        while (raxNext(&it)) {
            raxRemove(r, it.key, it.key_len, NULL);
            seen++;
        }
        ASSERT_EQ_INT(seen, 300);
        ASSERT_EQ_INT(raxSize(r), 0);
        raxStop(&it);
        raxFree(r);
    }

    TEST("long keys grow the iterator buffer") {
        rax *r = raxNew();
        unsigned char big[500];
        memset(big, 'x', sizeof(big));
        raxInsert(r, big, sizeof(big), (void *)7, NULL);
        raxInsert(r, big, 300, (void *)8, NULL);
        raxIterator it;
        raxStart(&it, r);
        raxSeek(&it, ">", big, 300);
        ASSERT(raxNext(&it) && it.key_len == 500 && it.data == (void *)7);
        ASSERT(raxPrev(&it) && it.key_len == 300);
        raxStop(&it);
        raxRemove(r, big, sizeof(big), NULL);
        raxRemove(r, big, 300, NULL);
        ASSERT_EQ_INT(r->numnodes, 1);
        raxFree(r);
    }

    TEST("random inserts and removes against a model") {
        rax *r = raxNew();
        model_len = 0;
        int bad = 0;
        for (int step = 0; step < 20000 && !bad; step++) {
            mkey k;
            randomKey(&k);
            int at = modelFind(&k);
            if (random() % 3) {
                int isnew = raxInsert(r, k.k, k.len, NULL, NULL);
                if (isnew != (at < 0)) bad = 1;
                if (at < 0) {
                    model[model_len++] = k;
                    qsort(model, model_len, sizeof(mkey), mkeyCmp);
                }
            } else {
                int removed = raxRemove(r, k.k, k.len, NULL);
                if (removed != (at >= 0)) bad = 1;
                if (at >= 0) {
                    memmove(model + at, model + at + 1, (model_len - at - 1) * sizeof(mkey));
                    model_len--;
                }
            }
            if (raxSize(r) != (uint64_t)model_len) bad = 1;
            const char *ops[] = {">=", ">", "<=", "<"};
            mkey probe;
            randomKey(&probe);
            const char *op = ops[random() % 4];
            raxIterator it;
            raxStart(&it, r);
            raxSeek(&it, op, probe.k, probe.len);
            int idx = modelSeek(op, &probe);
            int got = raxNext(&it);
            if (got != (idx >= 0) || (got && !iterMatches(&it, idx))) bad = 1;
            if (got && raxNext(&it) != (idx + 1 < model_len)) bad = 1;
            raxStop(&it);
        }
        ASSERT_EQ_INT(bad, 0);
        raxIterator it;
        raxStart(&it, r);
        raxSeek(&it, "$", NULL, 0);
        int n = model_len - 1, order_ok = 1;
        while (raxPrev(&it)) order_ok &= iterMatches(&it, n--);
        ASSERT(order_ok && n == -1);
        raxStop(&it);
        raxFree(r);
        ASSERT_EQ_INT(zmalloc_used_memory(), 0);
    }

    return TEST_REPORT();
}
