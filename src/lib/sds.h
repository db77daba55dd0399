/* sds.h -- binary-safe dynamic strings.
 *
 * An sds is a char pointer to the bytes of a string; a small header before
 * the bytes holds the length and the allocated capacity, so an sds can be
 * passed to any function taking a C string and is always NUL-terminated,
 * while still holding arbitrary bytes (including NUL). See sds.c. */
#ifndef EMBER_SDS_H
#define EMBER_SDS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef char *sds;

/* Pass as 'init' to sdsnewlen() to leave the bytes uninitialised. */
extern const char *SDS_NOINIT;

/* Growth policy: double below this size, then add this much each time. */
#define SDS_MAX_PREALLOC (1024 * 1024)

/* Header types, stored in the low bits of the flags byte at s[-1]. */
#define SDS_TYPE_8 0
#define SDS_TYPE_16 1
#define SDS_TYPE_32 2
#define SDS_TYPE_64 3
#define SDS_TYPE_MASK 3

struct __attribute__((__packed__)) sdshdr8 {
    uint8_t len;
    uint8_t alloc;
    unsigned char flags;
    char buf[];
};
struct __attribute__((__packed__)) sdshdr16 {
    uint16_t len;
    uint16_t alloc;
    unsigned char flags;
    char buf[];
};
struct __attribute__((__packed__)) sdshdr32 {
    uint32_t len;
    uint32_t alloc;
    unsigned char flags;
    char buf[];
};
struct __attribute__((__packed__)) sdshdr64 {
    uint64_t len;
    uint64_t alloc;
    unsigned char flags;
    char buf[];
};

#define SDS_HDR(T, s) ((struct sdshdr##T *)((s) - sizeof(struct sdshdr##T)))

/* Length in bytes (not counting the terminator). O(1). */
static inline size_t sdslen(const sds s) {
    switch ((unsigned char)s[-1] & SDS_TYPE_MASK) {
    case SDS_TYPE_8: return SDS_HDR(8, s)->len;
    case SDS_TYPE_16: return SDS_HDR(16, s)->len;
    case SDS_TYPE_32: return SDS_HDR(32, s)->len;
    default: return SDS_HDR(64, s)->len;
    }
}

/* Capacity in bytes for the string (not counting the terminator). */
static inline size_t sdsalloc(const sds s) {
    switch ((unsigned char)s[-1] & SDS_TYPE_MASK) {
    case SDS_TYPE_8: return SDS_HDR(8, s)->alloc;
    case SDS_TYPE_16: return SDS_HDR(16, s)->alloc;
    case SDS_TYPE_32: return SDS_HDR(32, s)->alloc;
    default: return SDS_HDR(64, s)->alloc;
    }
}

/* Bytes that can be appended without reallocating. */
static inline size_t sdsavail(const sds s) {
    return sdsalloc(s) - sdslen(s);
}

/* Set the length field only; newlen must be <= sdsalloc(s). The caller
 * writes the terminator if it needs one. */
static inline void sdssetlen(sds s, size_t newlen) {
    switch ((unsigned char)s[-1] & SDS_TYPE_MASK) {
    case SDS_TYPE_8: SDS_HDR(8, s)->len = (uint8_t)newlen; break;
    case SDS_TYPE_16: SDS_HDR(16, s)->len = (uint16_t)newlen; break;
    case SDS_TYPE_32: SDS_HDR(32, s)->len = (uint32_t)newlen; break;
    default: SDS_HDR(64, s)->len = newlen; break;
    }
}

/* Creation. All return a new sds owned by the caller (free with sdsfree).
 * init may be NULL (zero-filled) or SDS_NOINIT (left uninitialised). */
sds sdsnewlen(const void *init, size_t initlen);
sds sdsnew(const char *init); /* NULL init gives an empty string */
sds sdsempty(void);
sds sdsdup(const sds s);
sds sdsfromlonglong(long long value);
/* Strings laid out inside a bigger allocation (the keyspace's entries):
 * sdsInPlaceSize is the bytes a string of len bytes takes with a header of
 * type (SDS_TYPE_8 holds up to 255 bytes), terminator included;
 * sdsInitInPlace writes such a string at mem (capacity = len) and returns
 * it. The result must never be grown or freed on its own. */
size_t sdsInPlaceSize(int type, size_t len);
sds sdsInitInPlace(void *mem, int type, const void *init, size_t len);
/* Free s; NULL is accepted. */
void sdsfree(sds s);

/* Functions below that return sds may reallocate: the argument is then
 * invalid and the returned pointer must be used in its place. */

/* Make room for addlen more bytes: grows greedily (doubling up to
 * SDS_MAX_PREALLOC, then +SDS_MAX_PREALLOC). Length unchanged. */
sds sdsMakeRoomFor(sds s, size_t addlen);
/* Same, but allocates exactly what is asked for. */
/* Zero-fill s up to len bytes (no change when already that long). */
sds sdsgrowzero(sds s, size_t len);
sds sdsMakeRoomForNonGreedy(sds s, size_t addlen);
/* Add incr (may be negative) to the length after writing into the free
 * space; writes the terminator. The new length must be in 0..alloc. */
void sdsIncrLen(sds s, ssize_t incr);
/* Shrink the allocation to the length. */
sds sdsRemoveFreeSpace(sds s);
/* Set the capacity to exactly size bytes, truncating the string if it is
 * longer. */
sds sdsResize(sds s, size_t size);
/* Total bytes of the allocation (header, capacity and terminator). */
size_t sdsAllocSize(const sds s);
/* Start of the allocation (the header), e.g. for zmalloc_size(). */
void *sdsAllocPtr(const sds s);

/* Appending and copying (t is borrowed; it may not overlap s). */
sds sdscatlen(sds s, const void *t, size_t len);
sds sdscat(sds s, const char *t);
sds sdscatsds(sds s, const sds t);
sds sdscpylen(sds s, const char *t, size_t len);
sds sdscpy(sds s, const char *t);
sds sdscatvprintf(sds s, const char *fmt, va_list ap);
sds sdscatprintf(sds s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fast formatter: %s (C string) %S (sds) %i (int) %I (long long)
 * %u (unsigned) %U (unsigned long long) %% ; other characters are copied. */
sds sdscatfmt(sds s, const char *fmt, ...);
/* Append a quoted, escaped representation of p[0..len). */
sds sdscatrepr(sds s, const char *p, size_t len);

/* In-place edits; never reallocate. */
sds sdstrim(sds s, const char *cset);
void sdsrange(sds s, ssize_t start, ssize_t end);
void sdssubstr(sds s, size_t start, size_t len);
void sdsclear(sds s);
void sdsupdatelen(sds s);
void sdstolower(sds s);
void sdstoupper(sds s);
sds sdsmapchars(sds s, const char *from, const char *to, size_t setlen);

/* Compare like memcmp, shorter string first when one is a prefix. */
int sdscmp(const sds s1, const sds s2);
/* 1 if s contains bytes that need quoting in a config file. */
int sdsneedsrepr(const sds s);

/* Split s[0..len) on the separator sep[0..seplen). Returns a zmalloc'ed
 * array of *count new sds (free with sdsfreesplitres), NULL on bad
 * arguments. Empty input gives an empty array. */
sds *sdssplitlen(const char *s, ssize_t len, const char *sep, int seplen, int *count);
void sdsfreesplitres(sds *tokens, int count);

/* Split a config or inline-protocol line into arguments (see sds.c for
 * the quoting rules). Returns a zmalloc'ed array of *argc new sds, freed
 * with sdsfreesplitres; NULL with *argc = 0 on unbalanced quotes. A line
 * stops at a NUL byte; sdssplitargslen takes an explicit length. */
sds *sdssplitargs(const char *line, int *argc);
sds *sdssplitargslen(const char *line, size_t len, int *argc);

/* Join strings with a separator into a new sds. */
sds sdsjoin(char **argv, int argc, char *sep);
sds sdsjoinsds(sds *argv, int argc, const char *sep, size_t seplen);

#endif
