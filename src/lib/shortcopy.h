/* shortcopy.h -- copying a few bytes without a call to memcpy.
 *
 * The request path copies many short strings: every argument into its
 * object, every small reply into the client's buffer. For such lengths the
 * call to memcpy, and its dispatch on the length, cost more than the copy.
 * copyShort moves up to SHORT_COPY_MAX bytes with fixed-size moves the
 * compiler turns into a few loads and stores. Each move stays within
 * [0, n) of both buffers: the moves overlap instead of running past the
 * end, so nothing beyond the n bytes is read or written. */
#ifndef EMBER_SHORTCOPY_H
#define EMBER_SHORTCOPY_H

#include <stddef.h>
#include <string.h>

#define SHORT_COPY_MAX 48

/* Copies n <= SHORT_COPY_MAX bytes from src to dst (not overlapping). */
static inline void copyShort(char *dst, const char *src, size_t n) {
    if (n >= 16) {
        memcpy(dst, src, 16);
        if (n > 32) memcpy(dst + 16, src + 16, 16);
        memcpy(dst + n - 16, src + n - 16, 16);
    } else if (n >= 8) {
        memcpy(dst, src, 8);
        memcpy(dst + n - 8, src + n - 8, 8);
    } else if (n >= 4) {
        memcpy(dst, src, 4);
        memcpy(dst + n - 4, src + n - 4, 4);
    } else if (n > 0) {
        dst[0] = src[0];
        dst[n / 2] = src[n / 2];
        dst[n - 1] = src[n - 1];
    }
}

/* memcpy, with copyShort for short lengths. */
static inline void copyBytes(char *dst, const char *src, size_t n) {
    if (n <= SHORT_COPY_MAX)
        copyShort(dst, src, n);
    else
        memcpy(dst, src, n);
}

#endif
