/* test.h -- a tiny header-only unit test framework.
 *
 * A test program is one main() made of blocks:
 *
 *     TEST("sdscatlen appends") { ASSERT(...); ASSERT_EQ_INT(a, b); }
 *     return TEST_REPORT();
 *
 * Assertions do not stop the program: each one is counted as passed or
 * failed, and a failure prints file:line, the test name and the values.
 * TEST_REPORT() prints one line "<program>: N passed, N failed" (the
 * program name is taken from the source file name) and evaluates to the
 * exit status: 0 when nothing failed. Blocks must not be nested. */
#ifndef EMBER_UNIT_TEST_H
#define EMBER_UNIT_TEST_H

#include <stdio.h>
#include <string.h>

static int test_passed, test_failed;
static const char *test_name = "";

static inline int test_check(int ok, const char *file, int line, const char *expr) {
    if (ok) {
        test_passed++;
    } else {
        test_failed++;
        fprintf(stderr, "%s:%d: [%s] FAILED: %s\n", file, line, test_name, expr);
    }
    return ok;
}

static inline void test_check_ll(long long a, long long b, const char *file, int line, const char *expr) {
    if (!test_check(a == b, file, line, expr)) fprintf(stderr, "    got %lld, expected %lld\n", a, b);
}

static inline void test_check_str(const char *a, const char *b, const char *file, int line, const char *expr) {
    int ok = (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
    if (!test_check(ok, file, line, expr))
        fprintf(stderr, "    got \"%s\", expected \"%s\"\n", a ? a : "(null)", b ? b : "(null)");
}

static inline void test_check_mem(const void *a, size_t alen, const void *b, size_t blen, const char *file,
                                  int line, const char *expr) {
    int ok = alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
    if (!test_check(ok, file, line, expr)) fprintf(stderr, "    lengths %zu and %zu\n", alen, blen);
}

static inline int test_report(const char *file) {
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    int n = (int)strcspn(base, ".");
    printf("%.*s: %d passed, %d failed\n", n, base, test_passed, test_failed);
    return test_failed ? 1 : 0;
}

#define TEST(name) for (int test_once_ = (test_name = (name), 1); test_once_; test_once_ = 0)
#define ASSERT(cond) test_check(!!(cond), __FILE__, __LINE__, #cond)
#define ASSERT_EQ_INT(a, b) test_check_ll((long long)(a), (long long)(b), __FILE__, __LINE__, #a " == " #b)
#define ASSERT_STREQ(a, b) test_check_str((a), (b), __FILE__, __LINE__, #a " == " #b)
#define ASSERT_MEMEQ(a, alen, b, blen) \
    test_check_mem((a), (size_t)(alen), (b), (size_t)(blen), __FILE__, __LINE__, #a " == " #b)
#define TEST_REPORT() test_report(__FILE__)

#endif
