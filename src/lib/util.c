/* util.c -- numbers, globs, clocks and random bytes.
 *
 * This file owns the small text conversions the protocol depends on. Redis
 * clients see numbers as strings, so the rules here are strict and exact:
 * string2ll() accepts one spelling per integer (no '+', no leading zeros,
 * no "-0"), which lets the server store a string as an integer and print it
 * back byte for byte. The float parsers wrap strtold/strtod and reject
 * what the C library would silently accept (leading space, trailing junk,
 * NaN, out-of-range values). The formatters write into caller buffers and
 * return the length, or 0 when the buffer is too small.
 *
 * The glob matcher is the classic two-pointer algorithm: it remembers only
 * the last '*' and, on a mismatch, retries from one byte further along the
 * string. Every element other than '*' matches exactly one byte, so this
 * is complete, needs no recursion, and costs O(pattern * string) at worst
 * instead of the exponential time of naive recursive backtracking.
 *
 * Random bytes come from a counter passed through a 64-bit mixing function,
 * keyed once from /dev/urandom: fast, thread safe, unpredictable enough
 * for run ids, not meant for cryptography. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- integers */

/* Parse n > 0 digits with no leading zero into *out; 0 on junk/overflow.
 * Up to 19 digits cannot overflow 64 bits, so only a 20th digit is
 * checked against the limit (more digits always overflow). */
static int parse_udigits(const char *p, size_t n, unsigned long long *out) {
    unsigned long long v = 0;
    if (n == 0 || n > 20 || p[0] < '1' || p[0] > '9') return 0;
    size_t safe = n < 19 ? n : 19;
    for (size_t i = 0; i < safe; i++) {
        unsigned d = (unsigned char)p[i] - '0';
        if (d > 9) return 0;
        v = v * 10 + d;
    }
    if (n == 20) {
        unsigned d = (unsigned char)p[19] - '0';
        if (d > 9 || v > (ULLONG_MAX - d) / 10) return 0;
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

int string2ll(const char *s, size_t slen, long long *value) {
    unsigned long long v;
    long long result;
    if (slen == 1 && s[0] == '0') {
        result = 0;
    } else if (slen > 0 && s[0] == '-') {
        if (!parse_udigits(s + 1, slen - 1, &v)) return 0;
        if (v > (unsigned long long)LLONG_MAX + 1) return 0;
        result = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
    } else {
        if (!parse_udigits(s, slen, &v) || v > (unsigned long long)LLONG_MAX) return 0;
        result = (long long)v;
    }
    if (value) *value = result;
    return 1;
}

int string2l(const char *s, size_t slen, long *value) {
    long long ll;
    if (!string2ll(s, slen, &ll) || ll < LONG_MIN || ll > LONG_MAX) return 0;
    if (value) *value = (long)ll;
    return 1;
}

int string2ull(const char *s, size_t slen, unsigned long long *value) {
    unsigned long long v = 0;
    if (!(slen == 1 && s[0] == '0') && !parse_udigits(s, slen, &v)) return 0;
    if (value) *value = v;
    return 1;
}

uint32_t digits10(uint64_t v) {
    uint32_t n = 1;
    for (;;) {
        if (v < 10) return n;
        if (v < 100) return n + 1;
        if (v < 1000) return n + 2;
        if (v < 10000) return n + 3;
        v /= 10000;
        n += 4;
    }
}

static const char digit_pairs[201] =
    "0001020304050607080910111213141516171819"
    "2021222324252627282930313233343536373839"
    "4041424344454647484950515253545556575859"
    "6061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Writes digits from the end backwards, two at a time. */
int ull2string(char *dst, size_t dstlen, unsigned long long v) {
    uint32_t len = digits10(v);
    if (dstlen < (size_t)len + 1) return 0;
    char *p = dst + len;
    *p = '\0';
    while (v >= 100) {
        unsigned i = (unsigned)(v % 100) * 2;
        v /= 100;
        *--p = digit_pairs[i + 1];
        *--p = digit_pairs[i];
    }
    if (v < 10) {
        *--p = (char)('0' + v);
    } else {
        unsigned i = (unsigned)v * 2;
        *--p = digit_pairs[i + 1];
        *--p = digit_pairs[i];
    }
    return (int)len;
}

int ll2string(char *dst, size_t dstlen, long long v) {
    if (v >= 0) return ull2string(dst, dstlen, (unsigned long long)v);
    if (dstlen < 2) return 0;
    unsigned long long uv = 0ULL - (unsigned long long)v;
    int n = ull2string(dst + 1, dstlen - 1, uv);
    if (n == 0) return 0;
    dst[0] = '-';
    return n + 1;
}

/* ------------------------------------------------------------------ floats */

/* strtod needs a NUL-terminated string: copy s into buf (bufsize bytes)
 * or into a malloc'ed block when it does not fit. Returns the copy, which
 * the caller releases with release_copy(), or NULL on allocation failure. */
static char *terminated_copy(const char *s, size_t slen, char *buf, size_t bufsize) {
    char *copy = slen < bufsize ? buf : malloc(slen + 1);
    if (copy) {
        memcpy(copy, s, slen);
        copy[slen] = '\0';
    }
    return copy;
}

static void release_copy(char *copy, char *buf) {
    if (copy != buf) free(copy);
}

/* Checks shared by both float parsers once strto* has run. */
static int float_parse_ok(const char *copy, const char *eptr, size_t slen, int range_err, int is_nan) {
    if (slen == 0 || isspace((unsigned char)copy[0])) return 0;
    if ((size_t)(eptr - copy) != slen) return 0;
    return !range_err && !is_nan;
}

int string2ld(const char *s, size_t slen, long double *dp) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    if (slen >= sizeof(buf)) return 0;
    char *copy = terminated_copy(s, slen, buf, sizeof(buf));
    char *eptr;
    errno = 0;
    long double v = strtold(copy, &eptr);
    int range = errno == ERANGE && (isinf(v) || v == 0);
    if (!float_parse_ok(copy, eptr, slen, range, isnan(v))) return 0;
    if (dp) *dp = v;
    return 1;
}

/* The value of s when it is a sign and up to 15 decimal digits and
 * nothing else: below 2^53, exactly what strtod would give (a "-0" is
 * -0.0 there too). Returns 0 for anything else, left to strtod. */
static int small_integer_double(const char *s, size_t slen, double *dp) {
    size_t i = slen && (s[0] == '-' || s[0] == '+');
    if (slen - i == 0 || slen - i > 15) return 0;
    int64_t v = 0;
    for (size_t j = i; j < slen; j++) {
        unsigned d = (unsigned char)s[j] - '0';
        if (d > 9) return 0;
        v = v * 10 + d;
    }
    *dp = s[0] == '-' ? -(double)v : (double)v;
    return 1;
}

int string2d(const char *s, size_t slen, double *dp) {
    double fast;
    if (small_integer_double(s, slen, &fast)) {
        if (dp) *dp = fast;
        return 1;
    }
    char buf[256];
    char *copy = terminated_copy(s, slen, buf, sizeof(buf));
    if (!copy) return 0;
    char *eptr;
    errno = 0;
    double v = strtod(copy, &eptr);
    int range = errno == ERANGE && (isinf(v) || v == 0);
    int ok = float_parse_ok(copy, eptr, slen, range, isnan(v));
    release_copy(copy, buf);
    if (ok && dp) *dp = v;
    return ok;
}

/* Copy a fixed word into buf; length or 0 if it does not fit. */
static int put_word(char *buf, size_t len, const char *word) {
    size_t l = strlen(word);
    if (len < l + 1) return 0;
    memcpy(buf, word, l + 1);
    return (int)l;
}

/* snprintf result to our convention: length, or 0 on truncation/error. */
static int fitted(int l, size_t len) {
    return (l < 0 || (size_t)l >= len) ? 0 : l;
}

int d2string(char *buf, size_t len, double value) {
    if (isnan(value)) return put_word(buf, len, "nan");
    if (isinf(value)) return put_word(buf, len, value > 0 ? "inf" : "-inf");
    if (value == 0) return put_word(buf, len, signbit(value) ? "-0" : "0");
    /* Integers with |v| < 2^52 are exact in a double: print them as such. */
    if (value > -4503599627370496.0 && value < 4503599627370496.0 && value == (double)(long long)value)
        return ll2string(buf, len, (long long)value);
    return fitted(snprintf(buf, len, "%.17g", value), len);
}

/* Drop trailing zeros after a decimal point, then a bare point; "-0" → "0". */
static int strip_fraction(char *buf, int l) {
    if (memchr(buf, '.', (size_t)l)) {
        while (l > 0 && buf[l - 1] == '0') l--;
        if (l > 0 && buf[l - 1] == '.') l--;
        buf[l] = '\0';
    }
    if (l == 2 && buf[0] == '-' && buf[1] == '0') {
        buf[0] = '0';
        buf[1] = '\0';
        l = 1;
    }
    return l;
}

int ld2string(char *buf, size_t len, long double value, int mode) {
    if (isnan(value)) return 0;
    if (isinf(value)) {
        if (mode == LD_STR_HUMAN) return 0;
        return put_word(buf, len, value > 0 ? "inf" : "-inf");
    }
    switch (mode) {
    case LD_STR_AUTO: return fitted(snprintf(buf, len, "%.17Lg", value), len);
    case LD_STR_HEX: return fitted(snprintf(buf, len, "%La", value), len);
    case LD_STR_HUMAN: {
        int l = fitted(snprintf(buf, len, "%.17Lf", value), len);
        return l ? strip_fraction(buf, l) : 0;
    }
    default: return 0;
    }
}

/* -------------------------------------------------------------------- glob */

static unsigned char fold(unsigned char c, int nocase) {
    return nocase ? (unsigned char)tolower(c) : c;
}

/* Match c against the set that starts after '['; *next is set past the
 * closing ']' (or to the pattern end if the set is unterminated, which
 * then takes the rest of the pattern).  The rules are Redis 7.0's, quirks
 * included, since KEYS and SCAN MATCH answers must be the same:
 *  - "\x" is the literal x (compared case-sensitively) and never starts a
 *    range;
 *  - "x-y" is a range whenever two bytes follow x, even when y is ']' (so
 *    "[a-]" is the range a..']' and is left unterminated) or '\';
 *  - range bounds and the byte are compared as signed chars, so a range
 *    reaching over 0x7f behaves as Redis' does. */
static int match_set(const char *p, const char *pe, unsigned char c, int nocase, const char **next) {
    int negate = 0, hit = 0;
    if (p < pe && *p == '^') {
        negate = 1;
        p++;
    }
    while (p < pe) {
        if (*p == '\\' && pe - p >= 2) {
            if ((unsigned char)p[1] == c) hit = 1;
            p += 2;
        } else if (*p == ']') {
            p++;
            break;
        } else if (pe - p >= 3 && p[1] == '-') {
            int lo = (signed char)p[0], hi = (signed char)p[2], sc = (signed char)c;
            if (nocase) {
                lo = lo >= 0 ? tolower(lo) : lo;
                hi = hi >= 0 ? tolower(hi) : hi;
                sc = sc >= 0 ? tolower(sc) : sc;
            }
            if (lo > hi) {
                int t = lo;
                lo = hi;
                hi = t;
            }
            if (sc >= lo && sc <= hi) hit = 1;
            p += 3;
        } else {
            if (fold((unsigned char)*p, nocase) == fold(c, nocase)) hit = 1;
            p++;
        }
    }
    *next = p;
    return hit != negate;
}

/* Match one non-'*' pattern element at p against byte c. */
static int match_one(const char *p, const char *pe, unsigned char c, int nocase, const char **next) {
    switch (*p) {
    case '?': *next = p + 1; return 1;
    case '[': return match_set(p + 1, pe, c, nocase, next);
    case '\\':
        if (pe - p >= 2) p++;
        /* fall through */
    default: *next = p + 1; return fold((unsigned char)*p, nocase) == fold(c, nocase);
    }
}

/* An empty string matches only the empty pattern, "*" included, as in
 * Redis 7.0 (KEYS * and SCAN without MATCH do not call the matcher, so an
 * empty key is still listed there). */
int stringmatchlen(const char *pattern, int patternLen, const char *string, int stringLen, int nocase) {
    const char *p = pattern, *pe = pattern + (patternLen > 0 ? patternLen : 0);
    const char *s = string, *se = string + (stringLen > 0 ? stringLen : 0);
    const char *star_p = NULL, *star_s = NULL, *next;
    if (s == se) return p == pe;
    /* Most patterns tried against a string (PUBLISH against every pattern
     * subscription, KEYS against every key) fail on their first byte: a
     * literal one that differs is settled without entering the loop. */
    if (p < pe && *p != '*' && *p != '?' && *p != '[' && *p != '\\' &&
        fold((unsigned char)*p, nocase) != fold((unsigned char)*s, nocase))
        return 0;
    while (s < se) {
        if (p < pe && *p == '*') {
            while (p < pe && *p == '*') p++;
            if (p == pe) return 1;
            star_p = p;
            star_s = s;
        } else if (p < pe && match_one(p, pe, (unsigned char)*s, nocase, &next)) {
            p = next;
            s++;
        } else if (star_p) {
            p = star_p;
            s = ++star_s;
        } else {
            return 0;
        }
    }
    while (p < pe && *p == '*') p++;
    return p == pe;
}

int stringmatch(const char *pattern, const char *string, int nocase) {
    return stringmatchlen(pattern, (int)strlen(pattern), string, (int)strlen(string), nocase);
}

void globPrepare(globPrepared *g, const char *pattern, size_t len) {
    size_t i = 0;
    while (i < len && pattern[i] != '*' && pattern[i] != '?' && pattern[i] != '[' && pattern[i] != '\\') i++;
    g->literal = i;
    size_t j = i;
    while (j < len && pattern[j] == '*') j++;
    g->star_tail = j == len && i < len;
}

/* The prefix holds no special byte, so stringmatchlen walks it one literal
 * at a time with no star to go back to: comparing it first and matching
 * the rest alone gives the same answer, except that the rest of the string
 * may be empty, where the whole string was not (an empty string matches
 * only an empty pattern, a rule about the whole string). */
int globMatchPrepared(const globPrepared *g, const char *pattern, size_t len, const char *s, size_t slen) {
    size_t lit = g->literal;
    if (slen < lit || memcmp(pattern, s, lit) != 0) return 0;
    if (lit == len) return slen == len;
    if (g->star_tail) return slen > 0;
    if (slen == lit) return 0;
    return stringmatchlen(pattern + lit, (int)(len - lit), s + lit, (int)(slen - lit), 0);
}

/* ------------------------------------------------------------- memory units */

static unsigned long long unit_multiplier(const char *u) {
    static const struct { const char *name; unsigned long long mul; } units[] = {
        {"", 1}, {"b", 1}, {"k", 1000}, {"kb", 1024}, {"m", 1000 * 1000}, {"mb", 1024 * 1024},
        {"g", 1000ULL * 1000 * 1000}, {"gb", 1024ULL * 1024 * 1024},
    };
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (strcasecmp(u, units[i].name) == 0) return units[i].mul;
    return 0;
}

unsigned long long memtoull(const char *p, int *err) {
    unsigned long long v = 0, mul;
    const char *u = p;
    while (*u >= '0' && *u <= '9') {
        unsigned d = (unsigned)(*u - '0');
        if (v > (ULLONG_MAX - d) / 10) goto bad;
        v = v * 10 + d;
        u++;
    }
    if (u == p || (mul = unit_multiplier(u)) == 0 || v > ULLONG_MAX / mul) goto bad;
    if (err) *err = 0;
    return v * mul;
bad:
    if (err) *err = 1;
    return 0;
}

/* ------------------------------------------------------------------ clocks */

long long ustime(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

long long mstime(void) {
    return ustime() / 1000;
}

uint64_t getMonotonicUs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* ------------------------------------------------------------------ random */

/* Key set once by seed_random(); the counter makes each output block new. */
static uint64_t random_key[2];
static atomic_uint_fast64_t random_counter;
static pthread_once_t random_once = PTHREAD_ONCE_INIT;

static uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int read_urandom(void *buf, size_t len) {
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, buf, len);
    close(fd);
    return n == (ssize_t)len;
}

static void seed_random(void) {
    uint64_t seed[3];
    if (!read_urandom(seed, sizeof(seed))) {
        seed[0] = (uint64_t)ustime();
        seed[1] = ((uint64_t)getpid() << 32) ^ getMonotonicUs();
        seed[2] = (uint64_t)(uintptr_t)&seed;
    }
    random_key[0] = mix64(seed[0]);
    random_key[1] = mix64(seed[1]);
    atomic_store(&random_counter, seed[2]);
}

void getRandomBytes(unsigned char *p, size_t len) {
    pthread_once(&random_once, seed_random);
    size_t blocks = (len + 7) / 8;
    uint64_t ctr = atomic_fetch_add(&random_counter, blocks);
    while (len > 0) {
        uint64_t w = mix64(mix64(ctr++ ^ random_key[0]) + random_key[1]);
        size_t n = len < 8 ? len : 8;
        memcpy(p, &w, n);
        p += n;
        len -= n;
    }
}

void getRandomHexChars(char *p, size_t len) {
    static const char hex[] = "0123456789abcdef";
    getRandomBytes((unsigned char *)p, len);
    for (size_t i = 0; i < len; i++) p[i] = hex[(unsigned char)p[i] & 0x0f];
}
