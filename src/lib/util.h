/* util.h -- number parsing and formatting, glob matching, clocks, random
 * bytes. Pure functions over caller buffers; see util.c. */
#ifndef EMBER_UTIL_H
#define EMBER_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Bytes needed to print any long long / long double in decimal, with NUL. */
#define LONG_STR_SIZE 21
#define MAX_LONG_DOUBLE_CHARS (5 * 1024)
#define MAX_D2STRING_CHARS 128

/* Modes of ld2string(). */
#define LD_STR_AUTO 0  /* %.17Lg */
#define LD_STR_HUMAN 1 /* %.17Lf with trailing zeros removed */
#define LD_STR_HEX 2   /* %La */

/* Strict integer parsing of s[0..slen): optional '-', digits, no spaces,
 * no '+', no leading zeros ("0" itself is fine, "-0" is not), no overflow.
 * Returns 1 and sets *value (if value is not NULL) on success, 0 otherwise. */
int string2ll(const char *s, size_t slen, long long *value);
int string2l(const char *s, size_t slen, long *value);
/* Same rules without a sign, for the unsigned range. */
int string2ull(const char *s, size_t slen, unsigned long long *value);

/* Decimal form of v into dst (NUL-terminated). Returns the length, or 0 if
 * dst (dstlen bytes, NUL included) is too small. */
int ll2string(char *dst, size_t dstlen, long long v);
int ull2string(char *dst, size_t dstlen, unsigned long long v);

/* Number of decimal digits of v (1 for 0). */
uint32_t digits10(uint64_t v);

/* Floating point parsing of s[0..slen) as strtold/strtod accept it, but
 * rejecting empty input, leading space, trailing bytes, NaN and overflow or
 * underflow to zero. Returns 1 on success (sets *dp if not NULL), else 0. */
int string2ld(const char *s, size_t slen, long double *dp);
int string2d(const char *s, size_t slen, double *dp);

/* Score formatting: "nan", "inf", "-inf", "0"/"-0", integral values in
 * (-2^52, 2^52) as integers, otherwise %.17g. Returns the length, 0 if buf
 * (len bytes) is too small. */
int d2string(char *buf, size_t len, double value);

/* Format a long double in one of the LD_STR_* modes. Returns the length, or
 * 0 if it does not fit, value is NaN, or value is infinite in HUMAN mode
 * (AUTO and HEX print "inf"/"-inf"). */
int ld2string(char *buf, size_t len, long double value, int mode);

/* Glob match: '*' any sequence, '?' one byte, "[abc]" "[^abc]" "[a-z]" sets
 * (reversed ranges allowed, '\' escapes inside), '\x' a literal x. Returns
 * 1 on a whole-string match. Runs in O(patternLen * stringLen) at worst. */
int stringmatchlen(const char *pattern, int patternLen, const char *string, int stringLen, int nocase);
/* The same for NUL-terminated pattern and string. */
int stringmatch(const char *pattern, const char *string, int nocase);

/* A glob pattern prepared once for matching against many strings (a
 * PUBLISH tries every pattern subscription): the length of its literal
 * prefix, the bytes before its first * ? [ or \, and whether nothing but
 * stars follows that prefix. */
typedef struct globPrepared {
    size_t literal;
    int star_tail;
} globPrepared;
void globPrepare(globPrepared *g, const char *pattern, size_t len);
/* The answer of stringmatchlen(pattern, len, s, slen, 0) for a pattern
 * prepared by globPrepare: a memcmp of the prefix, and the matcher only on
 * what follows it (never for "prefix*" or a literal pattern). */
int globMatchPrepared(const globPrepared *g, const char *pattern, size_t len, const char *s, size_t slen);

/* Parse a memory amount such as "100", "1k", "5mb", "2GB" (k=1000,
 * kb=1024, m, mb, g, gb; an optional "b" means bytes). Sets *err (if not
 * NULL) to 1 on bad input or overflow and returns 0, else *err = 0. */
unsigned long long memtoull(const char *p, int *err);

/* Wall-clock time in microseconds / milliseconds since the epoch. */
long long ustime(void);
long long mstime(void);

/* 1 if a[0..len) equals b[0..len). Lengths of 4 to 32 bytes are compared
 * in overlapping 4- or 8-byte loads, inline, shorter ones byte by byte,
 * longer ones by memcmp. For the short keys and members hash tables
 * compare on every lookup, and command names (lookupClientCommand). */
static inline int bytesEqual(const void *a, const void *b, size_t len) {
    const char *x = a, *y = b;
    if (len >= 8 && len <= 32) {
        uint64_t x0, y0, x1, y1, d;
        memcpy(&x0, x, 8);
        memcpy(&y0, y, 8);
        memcpy(&x1, x + len - 8, 8);
        memcpy(&y1, y + len - 8, 8);
        d = (x0 ^ y0) | (x1 ^ y1);
        if (len > 16) {
            memcpy(&x0, x + 8, 8);
            memcpy(&y0, y + 8, 8);
            memcpy(&x1, x + len - 16, 8);
            memcpy(&y1, y + len - 16, 8);
            d |= (x0 ^ y0) | (x1 ^ y1);
        }
        return d == 0;
    }
    if (len >= 4 && len < 8) {
        uint32_t x0, y0, x1, y1;
        memcpy(&x0, x, 4);
        memcpy(&y0, y, 4);
        memcpy(&x1, x + len - 4, 4);
        memcpy(&y1, y + len - 4, 4);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    if (len < 4) {
        for (size_t i = 0; i < len; i++)
            if (x[i] != y[i]) return 0;
        return 1;
    }
    return memcmp(a, b, len) == 0;
}

/* Marsaglia's xorshift64: the next value of a small, fast, deterministic
 * generator whose state (never 0) is *state. Not for secrets. */
static inline uint64_t xorshift64(uint64_t *state) {
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}
/* CLOCK_MONOTONIC in microseconds: for durations, never goes back. */
uint64_t getMonotonicUs(void);

/* Fill p with len random bytes / random lowercase hex characters (no NUL
 * added). Seeded once from /dev/urandom; thread safe; not for secrets. */
void getRandomBytes(unsigned char *p, size_t len);
void getRandomHexChars(char *p, size_t len);

#endif
