/* Unit tests of util.c: number parsing and formatting, glob, units,
 * clocks and random bytes. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test.h"
#include "util.h"

/* string2ll over a C string; returns ok, stores the value in *v. */
static int s2ll(const char *s, long long *v) {
    *v = 12345;
    return string2ll(s, strlen(s), v);
}

static int s2d(const char *s, double *v) {
    return string2d(s, strlen(s), v);
}

static int s2ld(const char *s, long double *v) {
    return string2ld(s, strlen(s), v);
}

static const char *fmt_d(double d) {
    static char buf[MAX_D2STRING_CHARS];
    return d2string(buf, sizeof(buf), d) ? buf : "(fail)";
}

static const char *fmt_ld(long double d, int mode) {
    static char buf[MAX_LONG_DOUBLE_CHARS];
    return ld2string(buf, sizeof(buf), d, mode) ? buf : "(fail)";
}

static int gm(const char *pat, const char *str) {
    return stringmatch(pat, str, 0);
}

static int gmi(const char *pat, const char *str) {
    return stringmatch(pat, str, 1);
}

static void test_string2ll(void) {
    long long v;
    TEST("string2ll accepts canonical integers") {
        ASSERT(s2ll("0", &v) && v == 0);
        ASSERT(s2ll("1", &v) && v == 1);
        ASSERT(s2ll("-1", &v) && v == -1);
        ASSERT(s2ll("99", &v) && v == 99);
        ASSERT(s2ll("-99", &v) && v == -99);
        ASSERT(s2ll("1234567890", &v) && v == 1234567890LL);
        ASSERT(s2ll("9223372036854775807", &v) && v == LLONG_MAX);
        ASSERT(s2ll("-9223372036854775808", &v) && v == LLONG_MIN);
        ASSERT(string2ll("12", 2, NULL) == 1);
    }
    TEST("string2ll rejects non-canonical input") {
        ASSERT(!s2ll("", &v));
        ASSERT(!s2ll("-", &v));
        ASSERT(!s2ll("+1", &v));
        ASSERT(!s2ll("01", &v));
        ASSERT(!s2ll("00", &v));
        ASSERT(!s2ll("-0", &v));
        ASSERT(!s2ll("-01", &v));
        ASSERT(!s2ll(" 1", &v));
        ASSERT(!s2ll("1 ", &v));
        ASSERT(!s2ll("1a", &v));
        ASSERT(!s2ll("a1", &v));
        ASSERT(!s2ll("1.0", &v));
        ASSERT(!s2ll("--1", &v));
        ASSERT(!s2ll("9223372036854775808", &v));
        ASSERT(!s2ll("-9223372036854775809", &v));
        ASSERT(!s2ll("18446744073709551615", &v));
        ASSERT(!s2ll("18446744073709551616", &v));
        ASSERT(!s2ll("99999999999999999999999", &v));
        ASSERT_EQ_INT(v, 12345);
    }
    TEST("string2ll honours the length") {
        ASSERT(string2ll("123456", 3, &v) && v == 123);
        ASSERT(!string2ll("1\0002", 3, &v));
        ASSERT(!string2ll("5", 0, &v));
    }
    TEST("string2l and string2ull") {
        long l;
        unsigned long long u;
        ASSERT(string2l("-42", 3, &l) && l == -42);
        ASSERT(string2l("9223372036854775807", 19, &l) && l == LONG_MAX);
        ASSERT(!string2l("x", 1, &l));
        ASSERT(string2ull("0", 1, &u) && u == 0);
        ASSERT(string2ull("18446744073709551615", 20, &u) && u == ULLONG_MAX);
        ASSERT(!string2ull("18446744073709551616", 20, &u));
        ASSERT(!string2ull("-1", 2, &u));
        ASSERT(!string2ull("+1", 2, &u));
        ASSERT(!string2ull("01", 2, &u));
        ASSERT(!string2ull("", 0, &u));
        ASSERT(!string2ull("1x", 2, &u));
    }
}

static void test_ll2string(void) {
    char buf[LONG_STR_SIZE];
    TEST("ll2string formats every digit count") {
        long long p = 1;
        for (int d = 1; d <= 18; d++, p *= 10) {
            char want[32];
            snprintf(want, sizeof(want), "%lld", p);
            ASSERT_EQ_INT(ll2string(buf, sizeof(buf), p), strlen(want));
            ASSERT_STREQ(buf, want);
            snprintf(want, sizeof(want), "%lld", -(p * 9 + 7));
            ll2string(buf, sizeof(buf), -(p * 9 + 7));
            ASSERT_STREQ(buf, want);
        }
    }
    TEST("ll2string extremes") {
        ASSERT_EQ_INT(ll2string(buf, sizeof(buf), 0), 1);
        ASSERT_STREQ(buf, "0");
        ASSERT_EQ_INT(ll2string(buf, sizeof(buf), LLONG_MAX), 19);
        ASSERT_STREQ(buf, "9223372036854775807");
        ASSERT_EQ_INT(ll2string(buf, sizeof(buf), LLONG_MIN), 20);
        ASSERT_STREQ(buf, "-9223372036854775808");
        ASSERT_EQ_INT(ull2string(buf, sizeof(buf), ULLONG_MAX), 20);
        ASSERT_STREQ(buf, "18446744073709551615");
    }
    TEST("ll2string round-trips through string2ll") {
        long long vals[] = {5, -5, 10, 99, 100, -100, 12345678, 1000000007, -999999999999LL};
        for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
            long long back;
            int n = ll2string(buf, sizeof(buf), vals[i]);
            ASSERT(string2ll(buf, (size_t)n, &back) && back == vals[i]);
        }
    }
    TEST("ll2string refuses a short buffer") {
        char small[4];
        ASSERT_EQ_INT(ll2string(small, sizeof(small), 123), 3);
        ASSERT_STREQ(small, "123");
        ASSERT_EQ_INT(ll2string(small, sizeof(small), 1234), 0);
        ASSERT_EQ_INT(ll2string(small, sizeof(small), -123), 0);
        ASSERT_EQ_INT(ll2string(small, 1, 5), 0);
        ASSERT_EQ_INT(ll2string(small, 0, -5), 0);
    }
    TEST("digits10") {
        ASSERT_EQ_INT(digits10(0), 1);
        ASSERT_EQ_INT(digits10(9), 1);
        ASSERT_EQ_INT(digits10(10), 2);
        ASSERT_EQ_INT(digits10(99999), 5);
        ASSERT_EQ_INT(digits10(100000), 6);
        ASSERT_EQ_INT(digits10(UINT64_MAX), 20);
        uint64_t p = 1;
        for (uint32_t d = 1; d < 20; d++, p *= 10) {
            ASSERT_EQ_INT(digits10(p), d);
            ASSERT_EQ_INT(digits10(p * 10 - 1), d);
        }
    }
}

static void test_bytes_equal(void) {
    TEST("bytesEqual at every length and every differing byte") {
        char a[48], b[48];
        for (int i = 0; i < 48; i++) a[i] = b[i] = (char)('a' + i % 26);
        for (size_t len = 0; len <= 40; len++) {
            ASSERT(bytesEqual(a + 3, b + 3, len));
            for (size_t k = 0; k < len; k++) {
                b[3 + k] ^= 0x20;
                ASSERT(!bytesEqual(a + 3, b + 3, len));
                b[3 + k] ^= 0x20;
            }
        }
    }
}

static void test_string2d(void) {
    double d;
    long double ld;
    TEST("string2d accepts what strtod accepts, whole") {
        ASSERT(s2d("1.5", &d) && d == 1.5);
        ASSERT(s2d("-0.25", &d) && d == -0.25);
        ASSERT(s2d("+3", &d) && d == 3);
        ASSERT(s2d("1e3", &d) && d == 1000);
        ASSERT(s2d("10", &d) && d == 10);
        ASSERT(s2d(".5", &d) && d == 0.5);
        ASSERT(s2d("inf", &d) && isinf(d) && d > 0);
        ASSERT(s2d("+inf", &d) && isinf(d) && d > 0);
        ASSERT(s2d("-inf", &d) && isinf(d) && d < 0);
        ASSERT(s2d("-INF", &d) && isinf(d) && d < 0);
        ASSERT(s2d("Infinity", &d) && isinf(d));
        ASSERT(s2d("0", &d) && d == 0);
        ASSERT(s2d("-0", &d) && d == 0 && signbit(d));
    }
    TEST("string2d rejects junk, space, nan, range") {
        ASSERT(!s2d("", &d));
        ASSERT(!s2d(" 1", &d));
        ASSERT(!s2d("\t1", &d));
        ASSERT(!s2d("1 ", &d));
        ASSERT(!s2d("1x", &d));
        ASSERT(!s2d("abc", &d));
        ASSERT(!s2d("nan", &d));
        ASSERT(!s2d("-nan", &d));
        ASSERT(!s2d("NaN", &d));
        ASSERT(!s2d("1e400", &d));
        ASSERT(!s2d("-1e400", &d));
        ASSERT(!s2d("1e-400", &d));
        ASSERT(!string2d("1\0002", 3, &d));
        ASSERT(string2d("2.5xyz", 3, &d) && d == 2.5);
    }
    TEST("string2d of plain integers (no strtod) agrees with strtod") {
        const char *ints[] = {"0", "-0", "+0", "7", "+7", "-7", "007", "-0012", "999999999999999",
                              "-999999999999999", "1000000000000000", "9007199254740993", "123456789012345678"};
        for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
            double want = strtod(ints[i], NULL);
            ASSERT(s2d(ints[i], &d) && d == want && signbit(d) == signbit(want));
        }
        ASSERT(!s2d("-", &d));
        ASSERT(!s2d("+", &d));
        ASSERT(!s2d("--1", &d));
        ASSERT(!s2d("1-", &d));
        ASSERT(!string2d("12", 0, &d));
        ASSERT(string2d("12", 1, &d) && d == 1);
    }
    TEST("string2d with a long input") {
        char big[600];
        memset(big, '0', sizeof(big));
        memcpy(big, "1.5", 3);
        big[sizeof(big) - 1] = '\0';
        ASSERT(s2d(big, &d) && d == 1.5);
        big[sizeof(big) - 2] = 'x';
        ASSERT(!s2d(big, &d));
        memcpy(big, "0.0", 3);
        big[sizeof(big) - 2] = '1';
        ASSERT(!s2d(big, &d)); /* 1e-597 underflows to zero */
    }
    TEST("string2ld") {
        ASSERT(s2ld("1.5", &ld) && ld == 1.5L);
        ASSERT(s2ld("-inf", &ld) && isinf(ld) && ld < 0);
        ASSERT(s2ld("1e400", &ld) && ld > 1e300L);
        ASSERT(!s2ld("", &ld));
        ASSERT(!s2ld(" 1", &ld));
        ASSERT(!s2ld("1 ", &ld));
        ASSERT(!s2ld("nan", &ld));
        ASSERT(!s2ld("1e99999", &ld));
        ASSERT(!s2ld("0x", &ld));
        static char huge[MAX_LONG_DOUBLE_CHARS + 10];
        memset(huge, '1', sizeof(huge) - 1);
        ASSERT(!s2ld(huge, &ld));
    }
}

static void test_d2string(void) {
    TEST("d2string") {
        ASSERT_STREQ(fmt_d(3), "3");
        ASSERT_STREQ(fmt_d(-3), "-3");
        ASSERT_STREQ(fmt_d(0.0), "0");
        ASSERT_STREQ(fmt_d(-0.0), "-0");
        ASSERT_STREQ(fmt_d(1.5), "1.5");
        ASSERT_STREQ(fmt_d(0.1), "0.10000000000000001");
        ASSERT_STREQ(fmt_d(INFINITY), "inf");
        ASSERT_STREQ(fmt_d(-INFINITY), "-inf");
        ASSERT_STREQ(fmt_d(NAN), "nan");
        ASSERT_STREQ(fmt_d(4503599627370495.0), "4503599627370495");
        ASSERT_STREQ(fmt_d(-4503599627370495.0), "-4503599627370495");
        ASSERT_STREQ(fmt_d(4503599627370496.0), "4503599627370496");
        ASSERT_STREQ(fmt_d(1e20), "1e+20");
        ASSERT_STREQ(fmt_d(1e-5), "1.0000000000000001e-05");
    }
    TEST("d2string buffer too small") {
        char b[3];
        ASSERT_EQ_INT(d2string(b, sizeof(b), 12), 2);
        ASSERT_EQ_INT(d2string(b, sizeof(b), 123), 0);
        ASSERT_EQ_INT(d2string(b, sizeof(b), 1.5), 0);
        ASSERT_EQ_INT(d2string(b, sizeof(b), -INFINITY), 0);
        ASSERT_EQ_INT(d2string(b, sizeof(b), NAN), 0);
    }
}

static void test_ld2string(void) {
    TEST("ld2string human") {
        ASSERT_STREQ(fmt_ld(10.5L + 0.1L, LD_STR_HUMAN), "10.6");
        ASSERT_STREQ(fmt_ld(3.0e3L, LD_STR_HUMAN), "3000");
        ASSERT_STREQ(fmt_ld(0, LD_STR_HUMAN), "0");
        ASSERT_STREQ(fmt_ld(-0.0L, LD_STR_HUMAN), "0");
        ASSERT_STREQ(fmt_ld(-1.25L, LD_STR_HUMAN), "-1.25");
        ASSERT_STREQ(fmt_ld(5.0e-18L, LD_STR_HUMAN), "0");
        ASSERT_STREQ(fmt_ld(1e20L, LD_STR_HUMAN), "100000000000000000000");
        ASSERT_STREQ(fmt_ld(INFINITY, LD_STR_HUMAN), "(fail)");
        ASSERT_STREQ(fmt_ld(NAN, LD_STR_HUMAN), "(fail)");
    }
    TEST("ld2string auto and hex") {
        ASSERT_STREQ(fmt_ld(1.5L, LD_STR_AUTO), "1.5");
        ASSERT_STREQ(fmt_ld(1e30L, LD_STR_AUTO), "1e+30");
        ASSERT_STREQ(fmt_ld(0.1L, LD_STR_AUTO), "0.1");
        ASSERT_STREQ(fmt_ld(1.0L / 3, LD_STR_AUTO), "0.33333333333333333");
        ASSERT_STREQ(fmt_ld(INFINITY, LD_STR_AUTO), "inf");
        ASSERT_STREQ(fmt_ld(-INFINITY, LD_STR_AUTO), "-inf");
        ASSERT_STREQ(fmt_ld(NAN, LD_STR_AUTO), "(fail)");
        ASSERT_STREQ(fmt_ld(1.0L, LD_STR_HEX), "0x8p-3");
        long double back;
        const char *h = fmt_ld(0.1L, LD_STR_HEX);
        ASSERT(string2ld(h, strlen(h), &back) && back == 0.1L);
    }
    TEST("ld2string buffer too small") {
        /* HUMAN formats with 17 decimals before trimming: the buffer must
         * hold the untrimmed text. */
        char b[22];
        ASSERT_EQ_INT(ld2string(b, 22, 123, LD_STR_HUMAN), 3);
        ASSERT_STREQ(b, "123");
        ASSERT_EQ_INT(ld2string(b, 21, 123, LD_STR_HUMAN), 0);
        ASSERT_EQ_INT(ld2string(b, 4, 1.5, LD_STR_AUTO), 3);
        ASSERT_EQ_INT(ld2string(b, 3, 1.5, LD_STR_AUTO), 0);
        ASSERT_EQ_INT(ld2string(b, 4, -INFINITY, LD_STR_AUTO), 0);
        ASSERT_EQ_INT(ld2string(b, 5, -INFINITY, LD_STR_AUTO), 4);
    }
}

static void test_glob(void) {
    TEST("glob literals, ? and *") {
        ASSERT(gm("", ""));
        ASSERT(!gm("", "a"));
        ASSERT(!gm("a", ""));
        ASSERT(gm("abc", "abc"));
        ASSERT(!gm("abc", "abd"));
        ASSERT(!gm("abc", "abcd"));
        ASSERT(gm("a?c", "abc"));
        ASSERT(!gm("a?c", "ac"));
        ASSERT(!gm("*", ""));  /* Redis: only "" matches "" */
        ASSERT(!gm("**", ""));
        ASSERT(gm("*", "anything"));
        ASSERT(gm("**", "x"));
        ASSERT(gm("a*", "a"));
        ASSERT(gm("a*", "abc"));
        ASSERT(!gm("a*", "ba"));
        ASSERT(gm("*c", "abc"));
        ASSERT(gm("a*c", "ac"));
        ASSERT(gm("a*c", "abbbc"));
        ASSERT(!gm("a*c", "abbbd"));
        ASSERT(gm("*b*", "abc"));
        ASSERT(gm("h*llo", "heeeello"));
        ASSERT(gm("*a*a*a", "aaaaa"));
        ASSERT(!gm("*a*a*a", "aab"));
        ASSERT(gm("user:*:name", "user:1000:name"));
        ASSERT(gm("a*b*c", "axxbxxbxxc"));
        ASSERT(!gm("a*b*c", "axxcxxbxx"));
    }
    TEST("glob sets") {
        ASSERT(gm("h[ae]llo", "hello"));
        ASSERT(gm("h[ae]llo", "hallo"));
        ASSERT(!gm("h[ae]llo", "hillo"));
        ASSERT(gm("h[^e]llo", "hallo"));
        ASSERT(!gm("h[^e]llo", "hello"));
        ASSERT(gm("h[a-b]llo", "hbllo"));
        ASSERT(!gm("h[a-b]llo", "hcllo"));
        ASSERT(gm("h[b-a]llo", "hallo"));
        ASSERT(gm("[0-9][0-9]", "42"));
        ASSERT(!gm("[0-9]", "x"));
        ASSERT(gm("[^0-9]", "x"));
        ASSERT(gm("[a-cx-z]", "y"));
        ASSERT(!gm("[a-cx-z]", "m"));
        ASSERT(gm("[\\]]", "]"));
        ASSERT(gm("[\\-]", "-"));
        /* "a-]" is the range a..']' (Redis' reading), leaving the set open */
        ASSERT(!gm("[a-]", "-"));
        ASSERT(gm("[a-]", "a"));
        ASSERT(gm("[a-]", "^"));
        ASSERT(!gm("[a-]", "b"));
        ASSERT(gm("[a-]]", "]"));
        ASSERT(!gm("[a-]]x", "a"));
        ASSERT(gm("[\\a-z]", "-"));  /* an escaped byte never starts a range */
        ASSERT(!gm("[\\a-z]", "b"));
        ASSERT(gm("[a-\\]", "^"));
        ASSERT(gm("[a-\\]", "\\"));  /* a..'\\' reversed: 0x5c..0x61 */
        ASSERT(!gm("[]", "a"));
        ASSERT(gm("[]a", "a") == 0);
        ASSERT(gm("[abc", "b"));
        ASSERT(!gm("a[", "a"));
        ASSERT(gm("[*]", "*"));
        ASSERT(!gm("[*]", "x"));
        ASSERT(gm("[?]", "?"));
        ASSERT(!gm("[?]", "a"));
    }
    TEST("glob escapes") {
        ASSERT(gm("\\*", "*"));
        ASSERT(!gm("\\*", "a"));
        ASSERT(gm("\\?", "?"));
        ASSERT(!gm("\\?", "a"));
        ASSERT(gm("a\\[b", "a[b"));
        ASSERT(gm("\\\\", "\\"));
        ASSERT(gm("a\\", "a\\"));
        ASSERT(gm("*\\*", "abc*"));
        ASSERT(!gm("*\\*", "abc"));
    }
    TEST("glob nocase") {
        ASSERT(gmi("HeLLo", "hello"));
        ASSERT(!gm("HeLLo", "hello"));
        ASSERT(gmi("h[A-Z]llo", "hello"));
        ASSERT(gmi("h[a-z]llo", "HELLO"));
        ASSERT(!gm("h[a-z]llo", "hEllo"));
        ASSERT(gmi("*WORLD", "hello world"));
        ASSERT(gmi("[^X]", "y"));
        ASSERT(!gmi("[^X]", "x"));
    }
    TEST("glob decided on the first byte") {
        ASSERT(!gm("nomatch:1:*", "bench:channel"));
        ASSERT(!gm("b", "a"));
        ASSERT(gmi("Bench*", "bench:channel"));
        ASSERT(!gmi("Xench*", "bench:channel"));
        ASSERT(gm("\\bench*", "bench:channel"));
        ASSERT(!gm("\\*", "bench"));
        ASSERT(gm("?ench*", "bench"));
        ASSERT(gm("[ab]ench", "bench"));
        ASSERT(!stringmatchlen("b", 1, "", 0, 0));
        ASSERT(!stringmatchlen("\0x", 2, "\1x", 2, 0));
        ASSERT(stringmatchlen("\0x", 2, "\0x", 2, 0));
    }
    TEST("glob with binary bytes and explicit lengths") {
        ASSERT(stringmatchlen("a*c", 3, "a\0c", 3, 0));
        ASSERT(stringmatchlen("a?c", 3, "a\0c", 3, 0));
        ASSERT(stringmatchlen("a\0c", 3, "a\0c", 3, 0));
        ASSERT(!stringmatchlen("a\0c", 3, "a\0d", 3, 0));
        ASSERT(stringmatchlen("[\x80-\xff]", 5, "\xc3", 1, 0));
        ASSERT(stringmatchlen("abcdef", 3, "abc", 3, 0));
    }
    TEST("glob has no exponential blowup") {
        char str[4001], pat[401];
        memset(str, 'a', 4000);
        str[4000] = '\0';
        for (int i = 0; i < 400; i += 2) {
            pat[i] = 'a';
            pat[i + 1] = '*';
        }
        pat[399] = 'b';
        pat[400] = '\0';
        clock_t t0 = clock();
        ASSERT(!gm(pat, str));
        ASSERT(!gm("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", str));
        ASSERT(gm("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*", str));
        ASSERT((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
    }
    TEST("a prepared glob answers as stringmatchlen") {
        static const char palpha[] = "ab*?[]^-\\";
        static const char salpha[] = "ab-]*";
        unsigned int seed = 12345;
        for (int iter = 0; iter < 200000; iter++) {
            char pat[10], str[8];
            seed = seed * 1103515245u + 12345u;
            int plen = (int)(seed >> 16) % 9, slen = (int)(seed >> 8) % 7;
            for (int i = 0; i < plen; i++) {
                seed = seed * 1103515245u + 12345u;
                pat[i] = palpha[(seed >> 16) % (sizeof(palpha) - 1)];
            }
            for (int i = 0; i < slen; i++) {
                seed = seed * 1103515245u + 12345u;
                str[i] = salpha[(seed >> 16) % (sizeof(salpha) - 1)];
            }
            globPrepared g;
            globPrepare(&g, pat, (size_t)plen);
            ASSERT(globMatchPrepared(&g, pat, (size_t)plen, str, (size_t)slen) ==
                   stringmatchlen(pat, plen, str, slen, 0));
        }
        globPrepared g;
        globPrepare(&g, "news.*", 6);
        ASSERT(g.literal == 5 && g.star_tail);
        ASSERT(globMatchPrepared(&g, "news.*", 6, "news.", 5));
        ASSERT(!globMatchPrepared(&g, "news.*", 6, "news", 4));
        globPrepare(&g, "*", 1);
        ASSERT(!globMatchPrepared(&g, "*", 1, "", 0));
        globPrepare(&g, "", 0);
        ASSERT(globMatchPrepared(&g, "", 0, "", 0));
    }
}

static void test_memtoull(void) {
    int err;
    TEST("memtoull units") {
        ASSERT(memtoull("0", &err) == 0 && err == 0);
        ASSERT(memtoull("100", &err) == 100 && err == 0);
        ASSERT(memtoull("100b", &err) == 100 && err == 0);
        ASSERT(memtoull("1k", &err) == 1000 && err == 0);
        ASSERT(memtoull("1kb", &err) == 1024 && err == 0);
        ASSERT(memtoull("1KB", &err) == 1024 && err == 0);
        ASSERT(memtoull("2m", &err) == 2000000 && err == 0);
        ASSERT(memtoull("2mb", &err) == 2 * 1024 * 1024 && err == 0);
        ASSERT(memtoull("3g", &err) == 3000000000ULL && err == 0);
        ASSERT(memtoull("3Gb", &err) == 3ULL * 1024 * 1024 * 1024 && err == 0);
        ASSERT(memtoull("18446744073709551615", &err) == ULLONG_MAX && err == 0);
        ASSERT(memtoull("5mb", NULL) == 5 * 1024 * 1024);
    }
    TEST("memtoull errors") {
        ASSERT(memtoull("", &err) == 0 && err == 1);
        ASSERT(memtoull("mb", &err) == 0 && err == 1);
        ASSERT(memtoull("-1", &err) == 0 && err == 1);
        ASSERT(memtoull("1tb", &err) == 0 && err == 1);
        ASSERT(memtoull("1 mb", &err) == 0 && err == 1);
        ASSERT(memtoull("1.5mb", &err) == 0 && err == 1);
        ASSERT(memtoull("18446744073709551616", &err) == 0 && err == 1);
        ASSERT(memtoull("17179869184gb", &err) == 0 && err == 1);
    }
}

static void test_clocks(void) {
    TEST("clocks") {
        long long us = ustime(), ms = mstime();
        ASSERT(us > 1600000000LL * 1000000);
        ASSERT(ms - us / 1000 >= 0 && ms - us / 1000 < 1000);
        /* time() reads a coarser clock that may lag a second boundary. */
        long long drift = (long long)time(NULL) - us / 1000000;
        ASSERT(drift >= -1 && drift <= 1);
        uint64_t m1 = getMonotonicUs();
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
        uint64_t m2 = getMonotonicUs();
        ASSERT(m2 >= m1 + 2000);
        ASSERT(m2 - m1 < 1000000);
    }
}

static void test_random(void) {
    TEST("random bytes differ and cover all values") {
        unsigned char a[64], b[64];
        getRandomBytes(a, sizeof(a));
        getRandomBytes(b, sizeof(b));
        ASSERT(memcmp(a, b, sizeof(a)) != 0);
        int seen[256] = {0}, distinct = 0;
        unsigned char big[8192];
        getRandomBytes(big, sizeof(big));
        for (size_t i = 0; i < sizeof(big); i++) seen[big[i]]++;
        for (int i = 0; i < 256; i++) distinct += seen[i] > 0;
        ASSERT_EQ_INT(distinct, 256);
        int maxc = 0;
        for (int i = 0; i < 256; i++) maxc = seen[i] > maxc ? seen[i] : maxc;
        ASSERT(maxc < 80);
    }
    TEST("random bytes respect the length") {
        unsigned char buf[16];
        memset(buf, 0xAA, sizeof(buf));
        getRandomBytes(buf, 5);
        int untouched = 1;
        for (int i = 5; i < 16; i++) untouched &= buf[i] == 0xAA;
        ASSERT(untouched);
        getRandomBytes(buf, 0);
    }
    TEST("random hex chars") {
        char h[41], g[41];
        getRandomHexChars(h, 40);
        getRandomHexChars(g, 40);
        h[40] = g[40] = '\0';
        ASSERT_EQ_INT(strspn(h, "0123456789abcdef"), 40);
        ASSERT(strcmp(h, g) != 0);
    }
    TEST("xorshift64 is Marsaglia's 13/7/17 generator") {
        uint64_t state = 1;
        ASSERT(xorshift64(&state) == 1082269761ULL);
        ASSERT(state == 1082269761ULL);
    }
}

int main(void) {
    test_string2ll();
    test_ll2string();
    test_bytes_equal();
    test_string2d();
    test_d2string();
    test_ld2string();
    test_glob();
    test_memtoull();
    test_clocks();
    test_random();
    return TEST_REPORT();
}
