/* Unit tests of listpack.c. */
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

#include "listpack.h"
#include "test.h"
#include "util.h"
#include "zmalloc.h"

/* Bytes Redis 7.0.15 produces for a hash (field "f<i>" then value) with the
 * values 0 127 128 -1 4095 -4096 4096 -4097 32767 -32769 8388607 8388608
 * -8388609 2147483647 2147483648 -2147483649 9223372036854775807
 * -9223372036854775808 -0 007 +5 9223372036854775808 x*63 x*64, taken from
 * the payload of DUMP: every integer width, both string headers, strings
 * that look like integers but are not canonical. */
static const char *redis_vector_hex =
    "7b0100003000826630030001826631037f0182663203c0800282663303dfff0282663403cfff0282663503d0000282663603"
    "f100100382663703f1ffef0382663803f1ff7f0382663903f2ff7fff048366313004f2ffff7f048366313104f30000800005"
    "8366313204f3ffff7fff058366313304f3ffffff7f058366313404f40000008000000000098366313504f4ffffff7fffffff"
    "ff098366313604f4ffffffffffffff7f098366313704f40000000000000080098366313804822d3003836631390483303037"
    "048366323004822b350383663231049339323233333732303336383534373735383038148366323204bf7878787878787878"
    "7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
    "7878787878408366323304e04078787878787878787878787878787878787878787878787878787878787878787878787878"
    "78787878787878787878787878787878787878787878787878787842ff";

static const char *vector_values[] = {"0",
                                      "127",
                                      "128",
                                      "-1",
                                      "4095",
                                      "-4096",
                                      "4096",
                                      "-4097",
                                      "32767",
                                      "-32769",
                                      "8388607",
                                      "8388608",
                                      "-8388609",
                                      "2147483647",
                                      "2147483648",
                                      "-2147483649",
                                      "9223372036854775807",
                                      "-9223372036854775808",
                                      "-0",
                                      "007",
                                      "+5",
                                      "9223372036854775808",
                                      NULL,
                                      NULL};

static unsigned char *hex_decode(const char *hex, size_t *len) {
    size_t n = strlen(hex) / 2;
    unsigned char *buf = malloc(n);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        buf[i] = (unsigned char)v;
    }
    *len = n;
    return buf;
}

/* The entry at p as text (integers formatted) into an sds-free buffer. */
static size_t entry_text(unsigned char *p, char *out, size_t outlen) {
    unsigned char intbuf[LP_INTBUF_SIZE];
    int64_t len;
    unsigned char *s = lpGet(p, &len, intbuf);
    size_t n = (size_t)len < outlen ? (size_t)len : outlen;
    memcpy(out, s, n);
    return (size_t)len;
}

static int entry_eq(unsigned char *p, const char *s) {
    char buf[1024];
    size_t n = entry_text(p, buf, sizeof(buf));
    return n <= sizeof(buf) && n == strlen(s) && memcmp(buf, s, n) == 0;
}

static unsigned char *append_str(unsigned char *lp, const char *s) {
    return lpAppend(lp, (unsigned char *)s, (uint32_t)strlen(s));
}

/* A listpack of the given strings. */
static unsigned char *make_lp(const char **items, int n) {
    unsigned char *lp = lpNew(0);
    for (int i = 0; i < n; i++) lp = append_str(lp, items[i]);
    return lp;
}

/* 1 if lp holds exactly items[0..n) walking both ways. */
static int lp_holds(unsigned char *lp, const char **items, int n) {
    if ((int)lpLength(lp) != n) return 0;
    unsigned char *p = lpFirst(lp);
    for (int i = 0; i < n; i++, p = lpNext(lp, p))
        if (!p || !entry_eq(p, items[i])) return 0;
    if (p) return 0;
    p = lpLast(lp);
    for (int i = n - 1; i >= 0; i--, p = lpPrev(lp, p))
        if (!p || !entry_eq(p, items[i])) return 0;
    return p == NULL && lpValidateIntegrity(lp, lpBytes(lp), 1, NULL, NULL);
}

static char *repeat(char c, size_t n) {
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static int count_cb(unsigned char *p, unsigned int head_count, void *ud) {
    (void)p;
    (void)head_count;
    (*(int *)ud)++;
    return 1;
}

static int reject_cb(unsigned char *p, unsigned int head_count, void *ud) {
    (void)p;
    (void)head_count;
    (void)ud;
    return 0;
}

int main(void) {
    srand(1234);

    TEST("new listpack is 7 bytes and empty") {
        unsigned char *lp = lpNew(0);
        ASSERT_EQ_INT(lpBytes(lp), 7);
        ASSERT_EQ_INT(lpLength(lp), 0);
        ASSERT(lpFirst(lp) == NULL);
        ASSERT(lpLast(lp) == NULL);
        ASSERT(lpSeek(lp, 0) == NULL);
        ASSERT(lpSeek(lp, -1) == NULL);
        ASSERT(lpValidateIntegrity(lp, 7, 1, NULL, NULL));
        lpFree(lp);
    }

    TEST("bytes identical to Redis 7.0 for every encoding") {
        size_t explen;
        unsigned char *expected = hex_decode(redis_vector_hex, &explen);
        unsigned char *lp = lpNew(0);
        char field[16];
        char *x63 = repeat('x', 63), *x64 = repeat('x', 64);
        vector_values[22] = x63;
        vector_values[23] = x64;
        for (int i = 0; i < 24; i++) {
            snprintf(field, sizeof(field), "f%d", i);
            lp = append_str(lp, field);
            lp = append_str(lp, vector_values[i]);
        }
        ASSERT_MEMEQ(lp, lpBytes(lp), expected, explen);
        /* Every value reads back as the same text. */
        unsigned char *p = lpFirst(lp);
        for (int i = 0; i < 24; i++) {
            p = lpNext(lp, p);
            ASSERT(entry_eq(p, vector_values[i]));
            p = lpNext(lp, p);
        }
        ASSERT(p == NULL);
        /* And the Redis bytes validate and read back the same. */
        ASSERT(lpValidateIntegrity(expected, explen, 1, NULL, NULL));
        ASSERT_EQ_INT(lpLength(expected), 48);
        lpFree(lp);
        free(expected);
        free(x63);
        free(x64);
    }

    TEST("integer boundaries round trip and have the expected entry sizes") {
        struct {
            long long v;
            size_t size; /* entry bytes including backlen */
        } cases[] = {{0, 2},         {127, 2},           {128, 3},       {-1, 3},
                     {4095, 3},      {-4096, 3},         {4096, 4},      {-4097, 4},
                     {32767, 4},     {-32768, 4},        {32768, 5},     {-32769, 5},
                     {8388607, 5},   {-8388608, 5},      {8388608, 6},   {-8388609, 6},
                     {2147483647, 6}, {-2147483648LL, 6}, {2147483648LL, 10}, {-2147483649LL, 10},
                     {9223372036854775807LL, 10}, {-9223372036854775807LL - 1, 10}};
        int n = (int)(sizeof(cases) / sizeof(cases[0]));
        unsigned char *lp = lpNew(0);
        for (int i = 0; i < n; i++) {
            ASSERT_EQ_INT(lpEntrySizeInteger(cases[i].v), cases[i].size);
            size_t before = lpBytes(lp);
            lp = lpAppendInteger(lp, cases[i].v);
            ASSERT_EQ_INT(lpBytes(lp) - before, cases[i].size);
        }
        unsigned char *p = lpFirst(lp);
        for (int i = 0; i < n; i++, p = lpNext(lp, p)) {
            long long v = 0;
            unsigned int slen;
            ASSERT(lpGetValue(p, &slen, &v) == NULL);
            ASSERT_EQ_INT(v, cases[i].v);
            int64_t cnt;
            ASSERT(lpGet(p, &cnt, NULL) == NULL);
            ASSERT_EQ_INT(cnt, cases[i].v);
            char buf[32];
            snprintf(buf, sizeof(buf), "%lld", cases[i].v);
            ASSERT(entry_eq(p, buf));
            ASSERT(lpCompare(p, (unsigned char *)buf, (uint32_t)strlen(buf)));
        }
        lpFree(lp);
    }

    TEST("string headers and back-length sizes at their boundaries") {
        /* string length -> entry bytes: header + data + backlen */
        struct {
            size_t len, size;
        } cases[] = {{0, 2},           {1, 3},           {63, 65},
                     {64, 64 + 2 + 1}, {125, 125 + 2 + 1}, {126, 126 + 2 + 2},
                     {4095, 4095 + 2 + 2}, {4096, 4096 + 5 + 2}, {16377, 16377 + 5 + 2},
                     {16378, 16378 + 5 + 3}, {2097145, 2097145 + 5 + 3}, {2097146, 2097146 + 5 + 4}};
        int n = (int)(sizeof(cases) / sizeof(cases[0]));
        unsigned char *lp = lpNew(0);
        char **strs = malloc(sizeof(char *) * n);
        for (int i = 0; i < n; i++) {
            strs[i] = repeat((char)('a' + i), cases[i].len);
            ASSERT_EQ_INT(lpEntrySizeString((unsigned char *)strs[i], (uint32_t)cases[i].len), cases[i].size);
            size_t before = lpBytes(lp);
            lp = lpAppend(lp, (unsigned char *)strs[i], (uint32_t)cases[i].len);
            ASSERT_EQ_INT(lpBytes(lp) - before, cases[i].size);
        }
        /* Walking backwards decodes each back-length. */
        unsigned char *p = lpLast(lp);
        for (int i = n - 1; i >= 0; i--, p = lpPrev(lp, p)) {
            int64_t len;
            unsigned char *s = lpGet(p, &len, NULL);
            ASSERT(s != NULL);
            ASSERT_MEMEQ(s, len, strs[i], cases[i].len);
        }
        ASSERT(p == NULL);
        ASSERT(lpValidateIntegrity(lp, lpBytes(lp), 1, NULL, NULL));
        for (int i = 0; i < n; i++) free(strs[i]);
        free(strs);
        lpFree(lp);
    }

    TEST("strings that are canonical integers are stored as integers") {
        unsigned char *lp = lpNew(0);
        lp = append_str(lp, "12345");
        lp = append_str(lp, "012345");
        lp = append_str(lp, "-0");
        lp = append_str(lp, "12345678901234567890"); /* overflows */
        unsigned char *p = lpFirst(lp);
        int64_t v;
        ASSERT(lpGet(p, &v, NULL) == NULL);
        ASSERT_EQ_INT(v, 12345);
        p = lpNext(lp, p);
        ASSERT(lpGet(p, &v, NULL) != NULL);
        p = lpNext(lp, p);
        ASSERT(lpGet(p, &v, NULL) != NULL);
        p = lpNext(lp, p);
        ASSERT(lpGet(p, &v, NULL) != NULL);
        ASSERT(entry_eq(p, "12345678901234567890"));
        lpFree(lp);
    }

    TEST("prepend, insert before/after, replace, delete in the middle") {
        unsigned char *lp = lpNew(0);
        lp = append_str(lp, "b");
        lp = append_str(lp, "d");
        lp = lpPrepend(lp, (unsigned char *)"a", 1);
        lp = lpPrependInteger(lp, -5);
        lp = lpAppendInteger(lp, 1000000);
        const char *want1[] = {"-5", "a", "b", "d", "1000000"};
        ASSERT(lp_holds(lp, want1, 5));

        unsigned char *p = lpSeek(lp, 2), *np;
        lp = lpInsertString(lp, (unsigned char *)"c", 1, p, LP_AFTER, &np);
        ASSERT(entry_eq(np, "c"));
        p = lpSeek(lp, 0);
        lp = lpInsertInteger(lp, 77, p, LP_BEFORE, &np);
        ASSERT(entry_eq(np, "77"));
        const char *want2[] = {"77", "-5", "a", "b", "c", "d", "1000000"};
        ASSERT(lp_holds(lp, want2, 7));

        /* Replace with bigger and smaller entries. */
        char *big = repeat('z', 300);
        p = lpSeek(lp, 3);
        lp = lpReplace(lp, &p, (unsigned char *)big, 300);
        ASSERT(entry_eq(lpNext(lp, p), "c"));
        p = lpSeek(lp, 3);
        int64_t len;
        ASSERT(lpGet(p, &len, NULL) != NULL && len == 300);
        lp = lpReplaceInteger(lp, &p, 42);
        ASSERT(entry_eq(p, "42"));
        p = lpSeek(lp, -1);
        lp = lpReplace(lp, &p, (unsigned char *)"end", 3);
        const char *want3[] = {"77", "-5", "a", "42", "c", "d", "end"};
        ASSERT(lp_holds(lp, want3, 7));

        /* Delete in the middle, then the last one. */
        p = lpSeek(lp, 3);
        lp = lpDelete(lp, p, &np);
        ASSERT(entry_eq(np, "c"));
        p = lpLast(lp);
        lp = lpDelete(lp, p, &np);
        ASSERT(np == NULL);
        const char *want4[] = {"77", "-5", "a", "c", "d"};
        ASSERT(lp_holds(lp, want4, 5));
        free(big);
        lpFree(lp);
    }

    TEST("seek with positive and negative indexes") {
        const char *items[] = {"0", "one", "2", "three", "4", "five", "6"};
        unsigned char *lp = make_lp(items, 7);
        for (int i = 0; i < 7; i++) {
            ASSERT(entry_eq(lpSeek(lp, i), items[i]));
            ASSERT(entry_eq(lpSeek(lp, i - 7), items[i]));
        }
        ASSERT(lpSeek(lp, 7) == NULL);
        ASSERT(lpSeek(lp, -8) == NULL);
        ASSERT(lpSeek(lp, 1000) == NULL);
        lpFree(lp);
    }

    TEST("find with skip over field/value pairs") {
        const char *items[] = {"k1", "v1", "10", "k1", "k2", "10", "v1", "x"};
        unsigned char *lp = make_lp(items, 8);
        unsigned char *p = lpFind(lp, lpFirst(lp), (unsigned char *)"k1", 2, 1);
        ASSERT(p == lpSeek(lp, 0));
        /* "10" as a field is at index 2, as a value at 5: skip 1 finds index 2. */
        p = lpFind(lp, lpFirst(lp), (unsigned char *)"10", 2, 1);
        ASSERT(p == lpSeek(lp, 2));
        /* "v1" as a field is index 6 (index 1 is a value). */
        p = lpFind(lp, lpFirst(lp), (unsigned char *)"v1", 2, 1);
        ASSERT(p == lpSeek(lp, 6));
        ASSERT(lpFind(lp, lpFirst(lp), (unsigned char *)"x", 1, 1) == NULL);
        ASSERT(lpFind(lp, lpFirst(lp), (unsigned char *)"x", 1, 0) == lpSeek(lp, 7));
        ASSERT(lpFind(lp, lpFirst(lp), (unsigned char *)"010", 3, 0) == NULL);
        ASSERT(lpFind(lp, lpSeek(lp, 1), (unsigned char *)"k1", 2, 0) == lpSeek(lp, 3));
        ASSERT(lpCompare(lpSeek(lp, 2), (unsigned char *)"10", 2));
        ASSERT(!lpCompare(lpSeek(lp, 2), (unsigned char *)"1", 1));
        ASSERT(!lpCompare(lpSeek(lp, 0), (unsigned char *)"k", 1));
        lpFree(lp);
    }

    TEST("delete ranges and batch delete") {
        const char *items[] = {"a", "1", "b", "2", "c", "3", "d", "4"};
        unsigned char *lp = make_lp(items, 8);
        lp = lpDeleteRange(lp, 2, 2);
        const char *w1[] = {"a", "1", "c", "3", "d", "4"};
        ASSERT(lp_holds(lp, w1, 6));
        lp = lpDeleteRange(lp, -2, 10);
        const char *w2[] = {"a", "1", "c", "3"};
        ASSERT(lp_holds(lp, w2, 4));
        lp = lpDeleteRange(lp, 10, 1);
        ASSERT(lp_holds(lp, w2, 4));
        unsigned char *p = lpSeek(lp, 1);
        lp = lpDeleteRangeWithEntry(lp, &p, 2);
        ASSERT(entry_eq(p, "3"));
        p = lpSeek(lp, 1);
        lp = lpDeleteRangeWithEntry(lp, &p, 5);
        ASSERT(p == NULL);
        const char *w3[] = {"a"};
        ASSERT(lp_holds(lp, w3, 1));
        lpFree(lp);

        lp = make_lp(items, 8);
        unsigned char *ps[4] = {lpSeek(lp, 0), lpSeek(lp, 3), lpSeek(lp, 4), lpSeek(lp, 7)};
        lp = lpBatchDelete(lp, ps, 4);
        const char *w4[] = {"1", "b", "3", "d"};
        ASSERT(lp_holds(lp, w4, 4));
        lpFree(lp);
    }

    TEST("merge keeps order whichever side is larger") {
        const char *a[] = {"a1", "a2"};
        const char *b[] = {"b1", "b2", "b3", "b4", "b5"};
        const char *ab[] = {"a1", "a2", "b1", "b2", "b3", "b4", "b5"};
        unsigned char *la = make_lp(a, 2), *lb = make_lp(b, 5);
        unsigned char *m = lpMerge(&la, &lb);
        ASSERT(la == NULL && lb == m);
        ASSERT(lp_holds(m, ab, 7));
        lpFree(m);

        const char *ba[] = {"b1", "b2", "b3", "b4", "b5", "a1", "a2"};
        la = make_lp(a, 2);
        lb = make_lp(b, 5);
        m = lpMerge(&lb, &la);
        ASSERT(la == NULL && lb == m);
        ASSERT(lp_holds(m, ba, 7));
        ASSERT(lpMerge(&m, &m) == NULL);
        unsigned char *none = NULL;
        ASSERT(lpMerge(&m, &none) == NULL);
        lpFree(m);

        unsigned char *e1 = lpNew(0), *e2 = lpNew(0);
        m = lpMerge(&e1, &e2);
        ASSERT(m != NULL && lpLength(m) == 0 && lpBytes(m) == 7);
        lpFree(m);
    }

    TEST("element count saturates at 65535 and is recounted") {
        unsigned char *lp = lpNew(0);
        for (int i = 0; i < 65534; i++) lp = lpAppendInteger(lp, i);
        ASSERT_EQ_INT(lp[4] | lp[5] << 8, 65534);
        lp = lpAppendInteger(lp, 65534);
        ASSERT_EQ_INT(lp[4] | lp[5] << 8, 65535);
        for (int i = 65535; i < 70000; i++) lp = lpAppendInteger(lp, i);
        ASSERT_EQ_INT(lpLength(lp), 70000);
        ASSERT_EQ_INT(lp[4] | lp[5] << 8, 65535);
        int64_t v;
        lpGet(lpSeek(lp, 69999), &v, NULL);
        ASSERT_EQ_INT(v, 69999);
        lpGet(lpSeek(lp, -70000), &v, NULL);
        ASSERT_EQ_INT(v, 0);
        lpGet(lpSeek(lp, 40000), &v, NULL);
        ASSERT_EQ_INT(v, 40000);
        ASSERT(lpSeek(lp, 70000) == NULL);
        int seen = 0;
        ASSERT(lpValidateIntegrity(lp, lpBytes(lp), 1, count_cb, &seen));
        ASSERT_EQ_INT(seen, 70000);
        /* Deleting keeps it unknown; lpLength repairs the header once it fits. */
        lp = lpDeleteRange(lp, 0, 10000);
        ASSERT_EQ_INT(lp[4] | lp[5] << 8, 65535);
        ASSERT_EQ_INT(lpLength(lp), 60000);
        ASSERT_EQ_INT(lp[4] | lp[5] << 8, 60000);
        lpGet(lpFirst(lp), &v, NULL);
        ASSERT_EQ_INT(v, 10000);
        lpFree(lp);
    }

    TEST("validation rejects bad headers and never crashes on corruption") {
        const char *items[] = {"hello", "12", "-70000", "a longer string of more than sixty-four bytes, to get the 12-bit header", "x", "9223372036854775807"};
        unsigned char *lp = make_lp(items, 6);
        size_t n = lpBytes(lp);
        ASSERT(lpValidateIntegrity(lp, n, 1, NULL, NULL));
        ASSERT(!lpValidateIntegrity(lp, n - 1, 0, NULL, NULL));
        ASSERT(!lpValidateIntegrity(lp, 3, 1, NULL, NULL));
        unsigned char *copy = malloc(n);
        int valid_after_flip = 0;
        for (int round = 0; round < 20000; round++) {
            memcpy(copy, lp, n);
            int flips = 1 + rand() % 3;
            for (int f = 0; f < flips; f++) copy[rand() % n] = (unsigned char)rand();
            if (lpValidateIntegrity(copy, n, 1, NULL, NULL)) {
                /* A buffer that passes can be walked safely both ways. */
                valid_after_flip++;
                char buf[256];
                for (unsigned char *p = lpFirst(copy); p; p = lpNext(copy, p)) entry_text(p, buf, sizeof(buf));
                for (unsigned char *p = lpLast(copy); p; p = lpPrev(copy, p)) entry_text(p, buf, sizeof(buf));
            }
        }
        ASSERT(valid_after_flip > 0); /* flips inside string payloads stay valid */
        /* A callback returning 0 fails validation. */
        ASSERT(!lpValidateIntegrity(lp, n, 1, reject_cb, NULL));
        /* Wrong element count in the header. */
        memcpy(copy, lp, n);
        copy[4] = 5;
        ASSERT(!lpValidateIntegrity(copy, n, 1, NULL, NULL));
        ASSERT(lpValidateIntegrity(copy, n, 0, NULL, NULL));
        /* Unknown count is accepted. */
        copy[4] = 0xff;
        copy[5] = 0xff;
        ASSERT(lpValidateIntegrity(copy, n, 1, NULL, NULL));
        /* Truncated buffers with a fixed-up header. */
        for (size_t cut = 7; cut < n; cut++) {
            unsigned char *t = malloc(cut);
            memcpy(t, lp, cut);
            t[0] = cut & 0xff;
            t[1] = (cut >> 8) & 0xff;
            t[2] = t[3] = 0;
            t[cut - 1] = 0xff;
            ASSERT(!lpValidateIntegrity(t, cut, 1, NULL, NULL));
            free(t);
        }
        unsigned char *vp = lpValidateFirst(lp);
        int steps = 0;
        while (vp && lpValidateNext(lp, &vp, n)) steps++;
        ASSERT_EQ_INT(steps, 7); /* six entries, then the terminator */
        free(copy);
        lpFree(lp);
    }

    TEST("random pairs") {
        const char *items[] = {"f1", "v1", "f2", "2", "f3", "v3", "f4", "4"};
        unsigned char *lp = make_lp(items, 8);
        listpackEntry k, v, keys[10], vals[10];
        for (int i = 0; i < 50; i++) {
            lpRandomPair(lp, 4, &k, &v);
            ASSERT(k.sval && k.slen == 2 && k.sval[0] == 'f');
            int idx = k.sval[1] - '0';
            if (idx % 2)
                ASSERT(v.sval && v.sval[1] == k.sval[1]);
            else
                ASSERT(!v.sval && v.lval == idx);
        }
        lpRandomPairs(lp, 10, keys, vals);
        for (int i = 0; i < 10; i++) {
            int idx = keys[i].sval[1] - '0';
            ASSERT(idx % 2 ? vals[i].sval != NULL : vals[i].lval == idx);
        }
        lpRandomPairs(lp, 10, keys, NULL);
        unsigned int got = lpRandomPairsUnique(lp, 3, keys, vals);
        ASSERT_EQ_INT(got, 3);
        ASSERT(keys[0].sval[1] < keys[1].sval[1] && keys[1].sval[1] < keys[2].sval[1]);
        got = lpRandomPairsUnique(lp, 10, keys, NULL);
        ASSERT_EQ_INT(got, 4);
        int seen_all = 1;
        for (int i = 0; i < 4; i++) seen_all &= keys[i].sval[1] == '1' + i;
        ASSERT(seen_all);
        lpFree(lp);
    }

    TEST("randomized edits agree with an array model") {
        enum { MAXN = 300 };
        char *model[MAXN];
        int n = 0, ok = 1;
        unsigned char *lp = lpNew(0);
        for (int round = 0; round < 20000 && ok; round++) {
            int op = rand() % 6;
            char tmp[600];
            int kind = rand() % 4;
            size_t len;
            if (kind == 0) {
                len = (size_t)snprintf(tmp, sizeof(tmp), "%lld", (long long)rand() * (rand() % 2 ? 1 : -1) * (rand() % 3 ? 1 : 100000LL));
            } else {
                len = (size_t)(rand() % (kind == 3 ? 500 : 70));
                for (size_t i = 0; i < len; i++) tmp[i] = (char)('a' + rand() % 26);
                tmp[len] = '\0';
            }
            if ((op <= 2 || n == 0) && n < MAXN) {
                int pos = rand() % (n + 1);
                unsigned char *np;
                if (pos == n)
                    lp = lpInsertString(lp, (unsigned char *)tmp, (uint32_t)len, lp + lpBytes(lp) - 1, LP_BEFORE, &np);
                else
                    lp = lpInsertString(lp, (unsigned char *)tmp, (uint32_t)len, lpSeek(lp, pos), LP_BEFORE, &np);
                memmove(model + pos + 1, model + pos, sizeof(char *) * (n - pos));
                model[pos] = strdup(tmp);
                n++;
                ok &= entry_eq(np, tmp);
            } else if (op == 3 && n > 0) {
                int pos = rand() % n;
                unsigned char *p = lpSeek(lp, pos);
                lp = lpReplace(lp, &p, (unsigned char *)tmp, (uint32_t)len);
                free(model[pos]);
                model[pos] = strdup(tmp);
            } else if (op == 4 && n > 0) {
                int pos = rand() % n;
                lp = lpDelete(lp, lpSeek(lp, pos), NULL);
                free(model[pos]);
                memmove(model + pos, model + pos + 1, sizeof(char *) * (n - pos - 1));
                n--;
            } else if (n > 0) {
                int pos = rand() % n, cnt = rand() % 4;
                lp = lpDeleteRange(lp, pos - n, (unsigned long)cnt);
                if (cnt > n - pos) cnt = n - pos;
                for (int i = 0; i < cnt; i++) free(model[pos + i]);
                memmove(model + pos, model + pos + cnt, sizeof(char *) * (n - pos - cnt));
                n -= cnt;
            }
            if (round % 97 == 0) ok &= lp_holds(lp, (const char **)model, n);
        }
        ASSERT(ok);
        ASSERT(lp_holds(lp, (const char **)model, n));
        lp = lpShrinkToFit(lp);
        ASSERT(lp_holds(lp, (const char **)model, n));
        for (int i = 0; i < n; i++) free(model[i]);
        lpFree(lp);
    }

    TEST("safe-to-add limit") {
        ASSERT(lpSafeToAdd(NULL, 100));
        ASSERT(!lpSafeToAdd(NULL, LISTPACK_MAX_SAFETY_SIZE + 1));
        unsigned char *lp = lpNew(0);
        ASSERT(lpSafeToAdd(lp, LISTPACK_MAX_SAFETY_SIZE - 7));
        ASSERT(!lpSafeToAdd(lp, LISTPACK_MAX_SAFETY_SIZE - 6));
        lpFree(lp);
    }

    TEST("growing in the block's room and shrinking keep the bytes of a fresh build") {
        /* Prepends and appends of strings and integers, then deletes from
         * both ends: after each step the bytes equal a listpack appended
         * in one go from the same items, and the block shrinks as the
         * listpack does. */
        enum { N = 3000 };
        static char text[N][16];
        const char *items[N];
        int first = N / 2, last = N / 2; /* items[first..last) are in lp */
        unsigned char *lp = lpNew(0);
        for (int i = 0; i < N; i++) {
            if (i % 3 == 0)
                snprintf(text[i], sizeof(text[i]), "%d", i * 7919 - 100000);
            else
                snprintf(text[i], sizeof(text[i]), "e%d", i);
        }
        int ok = 1;
        for (int step = 0; step < N; step++) {
            if (step % 2) {
                items[--first] = text[step];
                lp = lpPrepend(lp, (unsigned char *)text[step], (uint32_t)strlen(text[step]));
            } else {
                items[last++] = text[step];
                lp = append_str(lp, text[step]);
            }
            if (step % 97 == 0 || step == N - 1) {
                unsigned char *fresh = make_lp(items + first, last - first);
                if (lpBytes(fresh) != lpBytes(lp) || memcmp(fresh, lp, lpBytes(lp)) != 0) ok = 0;
                lpFree(fresh);
            }
        }
        ASSERT(ok);
        ASSERT(lp_holds(lp, items + first, last - first));
        size_t big = zmalloc_size(lp);
        ASSERT(big >= lpBytes(lp));
        for (int step = 0; last - first > 1; step++) {
            if (step % 2) {
                lp = lpDelete(lp, lpFirst(lp), NULL);
                first++;
            } else {
                lp = lpDelete(lp, lpLast(lp), NULL);
                last--;
            }
            if (step % 89 == 0 || last - first == 1) {
                unsigned char *fresh = make_lp(items + first, last - first);
                if (lpBytes(fresh) != lpBytes(lp) || memcmp(fresh, lp, lpBytes(lp)) != 0) ok = 0;
                lpFree(fresh);
                /* The block follows the listpack down. */
                if (zmalloc_size(lp) > 2 * lpBytes(lp) + 16) ok = 0;
            }
        }
        ASSERT(ok);
        ASSERT(lp_holds(lp, items + first, 1));
        ASSERT(zmalloc_size(lp) < big / 16);
        lpFree(lp);
    }

    TEST("prepending into room and deleting the first entry to room match lpPrepend and lpDelete") {
        static const char *vals[] = {"hello", "12", "-4097", "9223372036854775807", "007", "", "x", "65536"};
        int n = (int)(sizeof(vals) / sizeof(vals[0]));
        size_t cap = 4096;
        unsigned char *block = zmalloc(cap);
        unsigned char *plain = lpNew(0);
        unsigned char *seed = lpNew(0);
        size_t seedlen = lpBytes(seed);
        unsigned char *lp = block + cap - seedlen; /* all the room is in front */
        memcpy(lp, seed, seedlen);
        lpFree(seed);
        size_t room = cap - seedlen;
        int ok = 1;
        for (int i = 0; i < 40; i++) {
            const char *v = vals[i % n];
            plain = lpPrepend(plain, (unsigned char *)v, (uint32_t)strlen(v));
            unsigned char *moved = lpPrependInRoom(lp, room, (unsigned char *)v, (uint32_t)strlen(v));
            if (moved == NULL || moved > lp) {
                ok = 0;
                break;
            }
            room -= (size_t)(lp - moved);
            lp = moved;
            if (lpBytes(lp) != lpBytes(plain) || memcmp(lp, plain, lpBytes(lp)) != 0) ok = 0;
        }
        ASSERT(ok);
        ASSERT(lpValidateIntegrity(lp, lpBytes(lp), 1, NULL, NULL));
        /* Too little room: NULL and nothing changed. */
        unsigned char *copy = malloc(lpBytes(lp));
        memcpy(copy, lp, lpBytes(lp));
        ASSERT(lpPrependInRoom(lp, 2, (unsigned char *)"hello", 5) == NULL);
        ASSERT(lpPrependInRoom(lp, 0, (unsigned char *)"1", 1) == NULL);
        ASSERT(memcmp(copy, lp, lpBytes(lp)) == 0);
        free(copy);
        while (lpLength(plain) > 0) {
            plain = lpDelete(plain, lpFirst(plain), NULL);
            lp = lpDeleteFirstToRoom(lp);
            if (lpBytes(lp) != lpBytes(plain) || memcmp(lp, plain, lpBytes(lp)) != 0) ok = 0;
        }
        ASSERT(ok);
        ASSERT(lp == block + cap - lpBytes(lp));
        ASSERT_EQ_INT(lpLength(lp), 0);
        lpFree(plain);
        zfree(block);
    }

    TEST("lpBatchAppend writes the bytes of the same appends made one by one") {
        static unsigned char big[5000];
        memset(big, 'b', sizeof(big));
        listpackEntry e[] = {
            {NULL, 0, 0},           {NULL, 0, -1},       {NULL, 0, 127},   {NULL, 0, 4095},
            {NULL, 0, -32768},      {NULL, 0, 8388607},  {NULL, 0, INT32_MIN}, {NULL, 0, LLONG_MAX},
            {(unsigned char *)"field", 5, 0}, {(unsigned char *)"12345", 5, 0}, {(unsigned char *)"012", 3, 0},
            {(unsigned char *)"", 0, 0}, {big, 200, 0}, {big, sizeof(big), 0},
        };
        size_t n = sizeof(e) / sizeof(e[0]);
        unsigned char *one = lpAppend(lpNew(0), (unsigned char *)"head", 4);
        unsigned char *batch = lpAppend(lpNew(0), (unsigned char *)"head", 4);
        for (size_t i = 0; i < n; i++)
            one = e[i].sval ? lpAppend(one, e[i].sval, e[i].slen) : lpAppendInteger(one, e[i].lval);
        batch = lpBatchAppend(batch, e, n);
        ASSERT(lpBytes(one) == lpBytes(batch));
        ASSERT(memcmp(one, batch, lpBytes(one)) == 0);
        ASSERT(lpLength(batch) == n + 1);
        ASSERT(lpValidateIntegrity(batch, lpBytes(batch), 1, NULL, NULL));
        batch = lpBatchAppend(batch, e, 0);
        ASSERT(lpBytes(one) == lpBytes(batch));
        lpFree(one);
        lpFree(batch);
    }
    return TEST_REPORT();
}
