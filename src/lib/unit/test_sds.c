/* Unit tests of sds.c. */
#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include "sds.h"
#include "test.h"
#include "zmalloc.h"

/* s equals the string literal lit, byte for byte, and is NUL-terminated. */
#define ASSERT_SDS(s, lit) \
    do { \
        ASSERT_MEMEQ((s), sdslen(s), (lit), sizeof(lit) - 1); \
        ASSERT((s)[sdslen(s)] == '\0'); \
    } while (0)

static int sds_type(sds s) {
    return (unsigned char)s[-1] & SDS_TYPE_MASK;
}

/* Header consistency: capacity fits in the block the allocator gave. */
static int sds_sane(sds s) {
    return sdslen(s) <= sdsalloc(s) && s[sdslen(s)] == '\0' &&
           sdsAllocSize(s) <= zmalloc_size(sdsAllocPtr(s)) && (char *)sdsAllocPtr(s) < s;
}

static sds vprintf_wrapper(sds s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    s = sdscatvprintf(s, fmt, ap);
    va_end(ap);
    return s;
}

static void test_create(void) {
    TEST("sdsnew / sdsnewlen / sdsempty / sdsdup") {
        sds s = sdsnew("foo");
        ASSERT_SDS(s, "foo");
        ASSERT(sds_sane(s));
        sdsfree(s);
        s = sdsnewlen("foo", 2);
        ASSERT_SDS(s, "fo");
        sds d = sdsdup(s);
        ASSERT(d != s);
        ASSERT_SDS(d, "fo");
        sdsfree(s);
        sdsfree(d);
        s = sdsempty();
        ASSERT_SDS(s, "");
        ASSERT(sds_sane(s));
        sdsfree(s);
        s = sdsnew(NULL);
        ASSERT_SDS(s, "");
        sdsfree(s);
        sdsfree(NULL);
    }
    TEST("sdsnewlen binary, zero-fill and NOINIT") {
        sds s = sdsnewlen("a\0b\0", 4);
        ASSERT_SDS(s, "a\0b\0");
        sdsfree(s);
        s = sdsnewlen(NULL, 5);
        ASSERT_SDS(s, "\0\0\0\0\0");
        sdsfree(s);
        s = sdsnewlen(SDS_NOINIT, 300);
        ASSERT_EQ_INT(sdslen(s), 300);
        ASSERT(s[300] == '\0');
        memset(s, 'z', 300);
        ASSERT(sds_sane(s));
        sdsfree(s);
    }
    TEST("header type follows the size") {
        size_t sizes[] = {0, 1, 200, 255, 256, 65535, 65536, 100000};
        int types[] = {SDS_TYPE_8, SDS_TYPE_8, SDS_TYPE_8, SDS_TYPE_8,
                       SDS_TYPE_16, SDS_TYPE_16, SDS_TYPE_32, SDS_TYPE_32};
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
            sds s = sdsnewlen(NULL, sizes[i]);
            ASSERT_EQ_INT(sds_type(s), types[i]);
            ASSERT_EQ_INT(sdslen(s), sizes[i]);
            ASSERT(sds_sane(s));
            sdsfree(s);
        }
    }
    TEST("sdsfromlonglong") {
        sds s = sdsfromlonglong(0);
        ASSERT_SDS(s, "0");
        sdsfree(s);
        s = sdsfromlonglong(LLONG_MIN);
        ASSERT_SDS(s, "-9223372036854775808");
        sdsfree(s);
        s = sdsfromlonglong(LLONG_MAX);
        ASSERT_SDS(s, "9223372036854775807");
        sdsfree(s);
        s = sdsfromlonglong(-42);
        ASSERT_SDS(s, "-42");
        sdsfree(s);
    }
}

static void test_capacity(void) {
    TEST("sdsMakeRoomFor is greedy below 1MB") {
        sds s = sdsnew("hello");
        s = sdsMakeRoomFor(s, 100);
        ASSERT(sdsavail(s) >= 100);
        ASSERT(sdsalloc(s) >= 2 * 105);
        ASSERT_SDS(s, "hello");
        ASSERT(sds_sane(s));
        size_t alloc = sdsalloc(s);
        sds same = sdsMakeRoomFor(s, 10);
        ASSERT(same == s);
        ASSERT_EQ_INT(sdsalloc(s), alloc);
        sdsfree(s);
    }
    TEST("sdsMakeRoomFor adds 1MB above 1MB") {
        sds s = sdsnewlen(NULL, 2 * 1024 * 1024);
        sdsIncrLen(s, (ssize_t)sdsavail(s)); /* use the allocator's slack too */
        size_t base = sdslen(s);
        s = sdsMakeRoomFor(s, 1);
        ASSERT(sdsalloc(s) >= base + 1 + SDS_MAX_PREALLOC);
        ASSERT(sdsalloc(s) < 2 * base);
        ASSERT_EQ_INT(sdslen(s), base);
        ASSERT(sds_sane(s));
        sdsfree(s);
    }
    TEST("sdsMakeRoomForNonGreedy asks for exactly what is needed") {
        sds s = sdsnewlen(NULL, 100000);
        s = sdsMakeRoomForNonGreedy(s, 50000);
        ASSERT(sdsavail(s) >= 50000);
        ASSERT(zmalloc_size(sdsAllocPtr(s)) < 150000 + 150000 / 4 + 4096);
        ASSERT(sds_sane(s));
        sdsfree(s);
    }
    TEST("growth changes the header type and keeps content") {
        sds s = sdsnew("abc");
        ASSERT_EQ_INT(sds_type(s), SDS_TYPE_8);
        s = sdsMakeRoomFor(s, 1000);
        ASSERT_EQ_INT(sds_type(s), SDS_TYPE_16);
        ASSERT_SDS(s, "abc");
        s = sdsMakeRoomForNonGreedy(s, 70000);
        ASSERT_EQ_INT(sds_type(s), SDS_TYPE_32);
        ASSERT_SDS(s, "abc");
        ASSERT(sds_sane(s));
        sdsfree(s);
    }
    TEST("type 8 capacity never exceeds 255") {
        sds s = sdsnewlen(NULL, 250);
        s = sdsMakeRoomForNonGreedy(s, 5);
        ASSERT(sdsalloc(s) <= 255);
        ASSERT(sdsavail(s) >= 5);
        sdsfree(s);
    }
    TEST("sdsIncrLen after writing into free space") {
        sds s = sdsnew("x");
        s = sdsMakeRoomFor(s, 10);
        memcpy(s + 1, "yz", 2);
        sdsIncrLen(s, 2);
        ASSERT_SDS(s, "xyz");
        sdsIncrLen(s, -2);
        ASSERT_SDS(s, "x");
        sdsIncrLen(s, 0);
        ASSERT_SDS(s, "x");
        sdsfree(s);
    }
    TEST("sdssetlen") {
        sds s = sdsnew("hello");
        sdssetlen(s, 2);
        ASSERT_EQ_INT(sdslen(s), 2);
        s[2] = '\0';
        ASSERT_SDS(s, "he");
        sdsfree(s);
    }
    TEST("sdsRemoveFreeSpace shrinks, also across types") {
        sds s = sdsnewlen(NULL, 70000);
        ASSERT_EQ_INT(sds_type(s), SDS_TYPE_32);
        sdsrange(s, 0, 9);
        memcpy(s, "0123456789", 10);
        s = sdsRemoveFreeSpace(s);
        ASSERT_EQ_INT(sds_type(s), SDS_TYPE_8);
        ASSERT_SDS(s, "0123456789");
        ASSERT(sdsavail(s) < 32);
        ASSERT(sds_sane(s));
        s = sdscat(s, "ab");
        ASSERT_SDS(s, "0123456789ab");
        sdsfree(s);
    }
    TEST("sdsResize") {
        sds s = sdsnew("hello world");
        s = sdsResize(s, 5);
        ASSERT_SDS(s, "hello");
        ASSERT(sdsalloc(s) >= 5);
        s = sdsResize(s, 1000);
        ASSERT_SDS(s, "hello");
        ASSERT(sdsalloc(s) >= 1000);
        ASSERT_EQ_INT(sds_type(s), SDS_TYPE_16);
        s = sdsResize(s, 0);
        ASSERT_SDS(s, "");
        ASSERT_EQ_INT(sds_type(s), SDS_TYPE_8);
        ASSERT(sds_sane(s));
        sdsfree(s);
    }
    TEST("sdsAllocSize and sdsAllocPtr") {
        sds s = sdsnew("abc");
        ASSERT_EQ_INT(sdsAllocSize(s), sizeof(struct sdshdr8) + sdsalloc(s) + 1);
        ASSERT(sdsAllocPtr(s) == (void *)(s - sizeof(struct sdshdr8)));
        ASSERT_EQ_INT(sdsAllocSize(s), zmalloc_size(sdsAllocPtr(s)));
        sdsfree(s);
        s = sdsnewlen(NULL, 1000);
        ASSERT(sdsAllocPtr(s) == (void *)(s - sizeof(struct sdshdr16)));
        ASSERT(sdsAllocSize(s) >= 1000 + sizeof(struct sdshdr16) + 1);
        sdsfree(s);
    }
}

static void test_append(void) {
    TEST("sdscat / sdscatlen / sdscatsds") {
        sds s = sdsnew("fo");
        s = sdscat(s, "bar");
        ASSERT_SDS(s, "fobar");
        s = sdscatlen(s, "\0x", 2);
        ASSERT_SDS(s, "fobar\0x");
        sds t = sdsnewlen("\0\1", 2);
        s = sdscatsds(s, t);
        ASSERT_SDS(s, "fobar\0x\0\1");
        s = sdscatlen(s, "", 0);
        ASSERT_SDS(s, "fobar\0x\0\1");
        sdsfree(t);
        sdsfree(s);
    }
    TEST("many appends grow correctly") {
        sds s = sdsempty();
        for (int i = 0; i < 100000; i++) s = sdscatlen(s, &"0123456789"[i % 10], 1);
        ASSERT_EQ_INT(sdslen(s), 100000);
        int ok = 1;
        for (int i = 0; i < 100000; i++) ok &= s[i] == '0' + i % 10;
        ASSERT(ok);
        ASSERT(sds_sane(s));
        sdsfree(s);
    }
    TEST("sdscpy / sdscpylen") {
        sds s = sdsnew("short");
        s = sdscpy(s, "a");
        ASSERT_SDS(s, "a");
        s = sdscpy(s, "xyzxxxxxxxxxxyyyyyyyyyykkkkkkkkkk");
        ASSERT_SDS(s, "xyzxxxxxxxxxxyyyyyyyyyykkkkkkkkkk");
        s = sdscpylen(s, "a\0b", 3);
        ASSERT_SDS(s, "a\0b");
        s = sdscpylen(s, "", 0);
        ASSERT_SDS(s, "");
        sdsfree(s);
    }
    TEST("sdscatprintf") {
        sds s = sdscatprintf(sdsempty(), "%d", 123);
        ASSERT_SDS(s, "123");
        s = sdscatprintf(s, " %s=%.2f", "pi", 3.14159);
        ASSERT_SDS(s, "123 pi=3.14");
        sdsfree(s);
        s = sdscatprintf(sdsnew("x"), "%s", "");
        ASSERT_SDS(s, "x");
        sdsfree(s);
        char big[5000];
        memset(big, 'q', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        s = sdscatprintf(sdsnew("<"), "%s>%d", big, 7);
        ASSERT_EQ_INT(sdslen(s), 1 + 4999 + 2);
        ASSERT(s[0] == '<' && s[1] == 'q' && s[4999] == 'q' && s[5000] == '>' && s[5001] == '7');
        ASSERT(sds_sane(s));
        sdsfree(s);
        s = vprintf_wrapper(sdsempty(), "%c%c%lld", 'a', 'b', -5LL);
        ASSERT_SDS(s, "ab-5");
        sdsfree(s);
    }
    TEST("sdscatfmt") {
        sds s = sdsnew("--");
        sds arg = sdsnewlen("S\0s", 3);
        s = sdscatfmt(s, "Hello %s World %I,%I--", "Hi!", LLONG_MIN, LLONG_MAX);
        ASSERT_SDS(s, "--Hello Hi! World -9223372036854775808,9223372036854775807--");
        sdsclear(s);
        s = sdscatfmt(s, "%u,%U--", UINT_MAX, ULLONG_MAX);
        ASSERT_SDS(s, "4294967295,18446744073709551615--");
        sdsclear(s);
        s = sdscatfmt(s, "%i %i [%S] 100%% %", INT_MIN, 0, arg);
        ASSERT_SDS(s, "-2147483648 0 [S\0s] 100% %");
        sdsclear(s);
        s = sdscatfmt(s, "no conversions");
        ASSERT_SDS(s, "no conversions");
        sdsclear(s);
        s = sdscatfmt(s, "%z%i", 4);
        ASSERT_SDS(s, "z4");
        sdsfree(arg);
        sdsfree(s);
    }
    TEST("sdscatrepr") {
        sds s = sdscatrepr(sdsempty(), "\a\n\0foo\r\"\\\t\b\x01\x7f\xff ok", 17);
        ASSERT_SDS(s, "\"\\a\\n\\x00foo\\r\\\"\\\\\\t\\b\\x01\\x7f\\xff ok\"");
        sdsfree(s);
        s = sdscatrepr(sdsnew("k="), "", 0);
        ASSERT_SDS(s, "k=\"\"");
        sdsfree(s);
    }
}

static void test_edit(void) {
    TEST("sdstrim") {
        sds s = sdsnew("xxciaoyyy");
        s = sdstrim(s, "xy");
        ASSERT_SDS(s, "ciao");
        sdsfree(s);
        s = sdsnew("xyxy");
        s = sdstrim(s, "xy");
        ASSERT_SDS(s, "");
        sdsfree(s);
        s = sdsnew("  a b  ");
        s = sdstrim(s, " ");
        ASSERT_SDS(s, "a b");
        s = sdstrim(s, "");
        ASSERT_SDS(s, "a b");
        sdsfree(s);
        s = sdsnewlen("\0a\0", 3);
        s = sdstrim(s, "x");
        ASSERT_SDS(s, "\0a\0");
        sdsfree(s);
        s = sdsempty();
        s = sdstrim(s, "ab");
        ASSERT_SDS(s, "");
        sdsfree(s);
    }
    TEST("sdsrange") {
        struct { ssize_t start, end; const char *want; } cases[] = {
            {1, 1, "i"}, {1, -1, "iao"}, {-2, -1, "ao"}, {2, 1, ""}, {1, 100, "iao"},
            {100, 100, ""}, {0, 0, "c"}, {-100, -1, "ciao"}, {0, -100, "c"}, {-1, -2, ""},
            {3, 3, "o"}, {4, 10, ""}, {-4, 3, "ciao"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            sds s = sdsnew("ciao");
            sdsrange(s, cases[i].start, cases[i].end);
            ASSERT_STREQ(s, cases[i].want);
            ASSERT_EQ_INT(sdslen(s), strlen(cases[i].want));
            sdsfree(s);
        }
        sds e = sdsempty();
        sdsrange(e, 0, -1);
        ASSERT_SDS(e, "");
        sdsfree(e);
    }
    TEST("sdssubstr") {
        struct { size_t start, len; const char *want; } cases[] = {
            {0, 4, "ciao"}, {1, 2, "ia"}, {3, 100, "o"}, {4, 1, ""}, {10, 1, ""}, {0, 0, ""},
            {2, (size_t)-1, "ao"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            sds s = sdsnew("ciao");
            sdssubstr(s, cases[i].start, cases[i].len);
            ASSERT_STREQ(s, cases[i].want);
            ASSERT_EQ_INT(sdslen(s), strlen(cases[i].want));
            sdsfree(s);
        }
    }
    TEST("sdsclear keeps the allocation") {
        sds s = sdsnew("hello");
        size_t alloc = sdsalloc(s);
        sdsclear(s);
        ASSERT_SDS(s, "");
        ASSERT_EQ_INT(sdsalloc(s), alloc);
        sdsfree(s);
    }
    TEST("sdsupdatelen") {
        sds s = sdsnew("foobar");
        s[2] = '\0';
        sdsupdatelen(s);
        ASSERT_SDS(s, "fo");
        sdsfree(s);
    }
    TEST("sdstolower / sdstoupper") {
        sds s = sdsnewlen("Hello\0WORLD-9\xc3", 14);
        sdstolower(s);
        ASSERT_SDS(s, "hello\0world-9\xc3");
        sdstoupper(s);
        ASSERT_SDS(s, "HELLO\0WORLD-9\xc3");
        sdsfree(s);
    }
    TEST("sdsmapchars") {
        sds s = sdsnew("hello");
        s = sdsmapchars(s, "ho", "01", 2);
        ASSERT_SDS(s, "0ell1");
        s = sdsmapchars(s, "", "", 0);
        ASSERT_SDS(s, "0ell1");
        sdsfree(s);
    }
}

static void test_compare(void) {
    TEST("sdscmp") {
        sds a = sdsnew("foo"), b = sdsnew("foa"), c = sdsnew("foo"), d = sdsnew("fo"), e = sdsempty();
        sds hi = sdsnew("\xff"), lo = sdsnew("\x01");
        ASSERT(sdscmp(a, b) > 0);
        ASSERT(sdscmp(b, a) < 0);
        ASSERT(sdscmp(a, c) == 0);
        ASSERT(sdscmp(d, a) < 0);
        ASSERT(sdscmp(a, d) > 0);
        ASSERT(sdscmp(e, e) == 0);
        ASSERT(sdscmp(e, d) < 0);
        ASSERT(sdscmp(hi, lo) > 0);
        sds n1 = sdsnewlen("a\0b", 3), n2 = sdsnewlen("a\0c", 3);
        ASSERT(sdscmp(n1, n2) < 0);
        sdsfree(a), sdsfree(b), sdsfree(c), sdsfree(d), sdsfree(e);
        sdsfree(hi), sdsfree(lo), sdsfree(n1), sdsfree(n2);
    }
    TEST("sdsneedsrepr") {
        const char *plain[] = {"", "abc", "a-b_c:1.2", "x@y#z!"};
        const char *quoted[] = {"a b", "a\"b", "a\\b", "a\nb", "a\rb", "a\tb", "\x01", "\xff", "\a", "\b"};
        for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
            sds s = sdsnew(plain[i]);
            ASSERT_EQ_INT(sdsneedsrepr(s), 0);
            sdsfree(s);
        }
        for (size_t i = 0; i < sizeof(quoted) / sizeof(quoted[0]); i++) {
            sds s = sdsnew(quoted[i]);
            ASSERT_EQ_INT(sdsneedsrepr(s), 1);
            sdsfree(s);
        }
        sds z = sdsnewlen("a\0", 2);
        ASSERT_EQ_INT(sdsneedsrepr(z), 1);
        sdsfree(z);
    }
}

static void test_split(void) {
    TEST("sdssplitlen") {
        int n;
        sds *t = sdssplitlen("a,b,,c,", 7, ",", 1, &n);
        ASSERT_EQ_INT(n, 5);
        if (n == 5) {
            ASSERT_SDS(t[0], "a");
            ASSERT_SDS(t[1], "b");
            ASSERT_SDS(t[2], "");
            ASSERT_SDS(t[3], "c");
            ASSERT_SDS(t[4], "");
        }
        sdsfreesplitres(t, n);
        t = sdssplitlen("foo_-_bar_-_", 12, "_-_", 3, &n);
        ASSERT_EQ_INT(n, 3);
        if (n == 3) {
            ASSERT_SDS(t[0], "foo");
            ASSERT_SDS(t[1], "bar");
            ASSERT_SDS(t[2], "");
        }
        sdsfreesplitres(t, n);
        t = sdssplitlen("nosep", 5, ",", 1, &n);
        ASSERT_EQ_INT(n, 1);
        if (n == 1) ASSERT_SDS(t[0], "nosep");
        sdsfreesplitres(t, n);
        t = sdssplitlen("a\0b\0c", 5, "\0", 1, &n);
        ASSERT_EQ_INT(n, 3);
        if (n == 3) ASSERT_SDS(t[2], "c");
        sdsfreesplitres(t, n);
        t = sdssplitlen("", 0, ",", 1, &n);
        ASSERT(t != NULL);
        ASSERT_EQ_INT(n, 0);
        sdsfreesplitres(t, n);
        ASSERT(sdssplitlen("a", 1, "", 0, &n) == NULL);
        ASSERT(sdssplitlen("a", -1, ",", 1, &n) == NULL);
        t = sdssplitlen("aaa", 3, "aa", 2, &n);
        ASSERT_EQ_INT(n, 2);
        if (n == 2) {
            ASSERT_SDS(t[0], "");
            ASSERT_SDS(t[1], "a");
        }
        sdsfreesplitres(t, n);
        sdsfreesplitres(NULL, 0);
    }
}

/* sdssplitargs of line must give exactly the n strings in want (with their
 * explicit lengths, to allow NULs). */
static void check_args(const char *line, int n, const char *want[], const size_t wantlen[]) {
    int argc = -1;
    sds *v = sdssplitargs(line, &argc);
    ASSERT(v != NULL);
    ASSERT_EQ_INT(argc, n);
    for (int i = 0; v && i < argc && i < n; i++) ASSERT_MEMEQ(v[i], sdslen(v[i]), want[i], wantlen[i]);
    sdsfreesplitres(v, argc);
}

#define ARGS(line, ...) \
    do { \
        const char *w_[] = {__VA_ARGS__}; \
        size_t l_[sizeof(w_) / sizeof(w_[0])]; \
        for (size_t i_ = 0; i_ < sizeof(w_) / sizeof(w_[0]); i_++) l_[i_] = strlen(w_[i_]); \
        check_args(line, (int)(sizeof(w_) / sizeof(w_[0])), w_, l_); \
    } while (0)

static void check_bad_args(const char *line) {
    int argc = -1;
    sds *v = sdssplitargs(line, &argc);
    ASSERT(v == NULL);
    ASSERT_EQ_INT(argc, 0);
    if (v) sdsfreesplitres(v, argc);
}

static void test_splitargs(void) {
    TEST("sdssplitargs plain words") {
        ARGS("set foo bar", "set", "foo", "bar");
        ARGS("  set\tfoo \r\n bar  ", "set", "foo", "bar");
        ARGS("one", "one");
        ARGS("a\vb c\fd", "a\vb", "c\fd");
        ARGS(" \v\f a \v b\v", "a", "b\v");
        ARGS("\"a\"\vb", "a", "b");
        int argc = -1;
        sds *v = sdssplitargs("", &argc);
        ASSERT(v != NULL);
        ASSERT_EQ_INT(argc, 0);
        sdsfreesplitres(v, argc);
        v = sdssplitargs("  \t \n", &argc);
        ASSERT(v != NULL);
        ASSERT_EQ_INT(argc, 0);
        sdsfreesplitres(v, argc);
    }
    TEST("sdssplitargs double quotes") {
        ARGS("set \"foo bar\" x", "set", "foo bar", "x");
        ARGS("\"\"", "");
        ARGS("\"a\\nb\\rc\\td\\be\\af\\\\g\\\"h\"", "a\nb\rc\td\be\af\\g\"h");
        ARGS("\"\\x41\\x7a\\xFF\"", "Az\xff");
        ARGS("\"\\xZZ\"", "xZZ");
        ARGS("\"\\x4\"", "x4");
        ARGS("\"\\q\"", "q");
        ARGS("\"it's\"", "it's");
        ARGS("pre\"fix\" post", "prefix", "post");
        const char *w[] = {"a\0b"};
        size_t l[] = {3};
        check_args("\"a\\x00b\"", 1, w, l);
    }
    TEST("sdssplitargs single quotes") {
        ARGS("'foo bar'", "foo bar");
        ARGS("'a\\'b'", "a'b");
        ARGS("'a\\nb'", "a\\nb");
        ARGS("'say \"hi\"'", "say \"hi\"");
        ARGS("''", "");
        ARGS("'x' 'y'", "x", "y");
    }
    TEST("sdssplitargs errors") {
        check_bad_args("\"foo");
        check_bad_args("'foo");
        check_bad_args("\"foo\"bar");
        check_bad_args("'foo'bar");
        check_bad_args("set \"a\\\"");
        check_bad_args("\"");
        check_bad_args("a 'b");
    }
    TEST("sdssplitargslen stops at the length and at NUL") {
        int argc;
        sds *v = sdssplitargslen("get key trailing", 7, &argc);
        ASSERT_EQ_INT(argc, 2);
        if (argc == 2) ASSERT_SDS(v[1], "key");
        sdsfreesplitres(v, argc);
        v = sdssplitargslen("get a\0b", 7, &argc);
        ASSERT_EQ_INT(argc, 2);
        if (argc == 2) ASSERT_SDS(v[1], "a");
        sdsfreesplitres(v, argc);
        ASSERT(sdssplitargslen("\"abc\"", 4, &argc) == NULL);
    }
}

static void test_join(void) {
    TEST("sdsjoin / sdsjoinsds") {
        char *argv[] = {"a", "bc", "", "d"};
        sds s = sdsjoin(argv, 4, ", ");
        ASSERT_SDS(s, "a, bc, , d");
        sdsfree(s);
        s = sdsjoin(argv, 0, ",");
        ASSERT_SDS(s, "");
        sdsfree(s);
        s = sdsjoin(argv, 1, ",");
        ASSERT_SDS(s, "a");
        sdsfree(s);
        sds parts[3] = {sdsnewlen("x\0", 2), sdsnew("y"), sdsempty()};
        s = sdsjoinsds(parts, 3, "\0|", 2);
        ASSERT_SDS(s, "x\0\0|y\0|");
        sdsfree(s);
        for (int i = 0; i < 3; i++) sdsfree(parts[i]);
    }
}

static void test_growzero(void) {
    TEST("sdsgrowzero") {
        sds s = sdsnew("ab");
        s = sdsgrowzero(s, 1);
        ASSERT_EQ_INT(sdslen(s), 2);
        s = sdsgrowzero(s, 10);
        ASSERT_EQ_INT(sdslen(s), 10);
        ASSERT_MEMEQ(s, 10, "ab\0\0\0\0\0\0\0\0", 10);
        ASSERT(s[10] == '\0');
        sdsfree(s);
    }
}

int main(void) {
    size_t before = zmalloc_used_memory();
    test_create();
    test_growzero();
    test_capacity();
    test_append();
    test_edit();
    test_compare();
    test_split();
    test_splitargs();
    test_join();
    TEST("every sds was freed") {
        ASSERT_EQ_INT(zmalloc_used_memory(), before);
    }
    return TEST_REPORT();
}
