/* listpack.c -- the listpack format: encoding, walking, editing, validating.
 *
 * Layout (see listpack.h): a 6-byte header (total bytes u32 little endian,
 * element count u16 little endian, 65535 = unknown), the entries, and the
 * terminator byte 0xFF. An entry is an encoding byte that may carry a length
 * or a small value, the payload, and a back-length:
 *
 *     0xxxxxxx                    7-bit unsigned integer, 0..127
 *     10xxxxxx <data>             string of 0..63 bytes
 *     110xxxxx yyyyyyyy           13-bit signed integer (two's complement)
 *     1110xxxx yyyyyyyy <data>    string of up to 4095 bytes (length big end first)
 *     11110000 <len:u32le> <data> string of any length
 *     11110001 <i16le>            16-bit signed integer
 *     11110010 <i24le>            24-bit signed integer
 *     11110011 <i32le>            32-bit signed integer
 *     11110100 <i64le>            64-bit signed integer
 *     11111111                    terminator
 *
 * The back-length is the size of <encoding+data>, split in 7-bit groups
 * written most significant group first; every byte but the first has its
 * top bit set, so reading backwards from the byte just before the next entry
 * one collects groups until a byte with the top bit clear. Its size (1..5
 * bytes) is chosen by fixed thresholds so that the bytes we write are the
 * bytes Redis writes.
 *
 * Every edit goes through lpEdit(), which replaces one entry (or nothing)
 * by one new entry (or nothing): grow (with realloc only when the block the
 * allocator gave has no room left) then move the tail, or move the tail then
 * shrink (unless the allocator would give a block as big anyway). Range deletes and merges move the tail once.
 *
 * Walking functions trust the listpack (it was built by us or validated);
 * they still assert that they stay inside it, so a corrupt buffer stops the
 * process with a message instead of reading random memory. Validation code
 * never trusts a byte before checking it is inside the buffer. */
#include "listpack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "zmalloc.h"

#define LP_HDR_NUMELE_UNKNOWN 65535

#define LP_ENC_7BIT_UINT 0x00
#define LP_ENC_6BIT_STR 0x80
#define LP_ENC_13BIT_INT 0xC0
#define LP_ENC_12BIT_STR 0xE0
#define LP_ENC_32BIT_STR 0xF0
#define LP_ENC_16BIT_INT 0xF1
#define LP_ENC_24BIT_INT 0xF2
#define LP_ENC_32BIT_INT 0xF3
#define LP_ENC_64BIT_INT 0xF4

/* Largest encoding+data header of an entry we build (32-bit string). */
#define LP_MAX_HDR 5
/* Largest whole integer entry (encoding + 8 bytes). */
#define LP_MAX_INT_ENTRY 9
#define LP_MAX_BACKLEN 5

static void lpAssertFail(const char *what, const char *file, int line) {
    fprintf(stderr, "listpack assertion failed: %s (%s:%d)\n", what, file, line);
    abort();
}
#define lp_assert(cond) ((cond) ? (void)0 : lpAssertFail(#cond, __FILE__, __LINE__))

/* ------------------------------------------------------------ header access */

static uint32_t lpGetTotalBytes(const unsigned char *lp) {
    return (uint32_t)lp[0] | (uint32_t)lp[1] << 8 | (uint32_t)lp[2] << 16 | (uint32_t)lp[3] << 24;
}

static void lpSetTotalBytes(unsigned char *lp, uint32_t v) {
    lp[0] = v & 0xff;
    lp[1] = (v >> 8) & 0xff;
    lp[2] = (v >> 16) & 0xff;
    lp[3] = (v >> 24) & 0xff;
}

static uint32_t lpGetNumElements(const unsigned char *lp) {
    return (uint32_t)lp[4] | (uint32_t)lp[5] << 8;
}

static void lpSetNumElements(unsigned char *lp, uint32_t v) {
    lp[4] = v & 0xff;
    lp[5] = (v >> 8) & 0xff;
}

/* Add delta (+1 / -1 / -n) to a known count. An unknown count stays
 * unknown (lpLength repairs it later); a count reaching 65535 becomes
 * unknown. */
static void lpAdjustNumElements(unsigned char *lp, long delta) {
    uint32_t n = lpGetNumElements(lp);
    if (n == LP_HDR_NUMELE_UNKNOWN) return;
    long v = (long)n + delta;
    if (v < 0) v = 0;
    if (v >= LP_HDR_NUMELE_UNKNOWN) v = LP_HDR_NUMELE_UNKNOWN;
    lpSetNumElements(lp, (uint32_t)v);
}

/* ---------------------------------------------------------------- encoding */

/* Canonical decimal integer, as the listpack stores strings. */
static int lpStringToInt64(const unsigned char *s, size_t slen, long long *v) {
    if (slen == 0 || slen >= LP_INTBUF_SIZE) return 0;
    return string2ll((const char *)s, slen, v);
}

/* Encode v as a whole entry (without backlen) into buf; returns its size. */
static size_t lpEncodeInteger(long long v, unsigned char *buf) {
    uint64_t u = (uint64_t)v;
    if (v >= 0 && v <= 127) {
        buf[0] = (unsigned char)v;
        return 1;
    } else if (v >= -4096 && v <= 4095) {
        if (v < 0) u = (uint64_t)((1 << 13) + v);
        buf[0] = (unsigned char)(LP_ENC_13BIT_INT | (u >> 8));
        buf[1] = u & 0xff;
        return 2;
    } else if (v >= -32768 && v <= 32767) {
        buf[0] = LP_ENC_16BIT_INT;
        buf[1] = u & 0xff;
        buf[2] = (u >> 8) & 0xff;
        return 3;
    } else if (v >= -8388608 && v <= 8388607) {
        buf[0] = LP_ENC_24BIT_INT;
        buf[1] = u & 0xff;
        buf[2] = (u >> 8) & 0xff;
        buf[3] = (u >> 16) & 0xff;
        return 4;
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
        buf[0] = LP_ENC_32BIT_INT;
        for (int i = 0; i < 4; i++) buf[1 + i] = (u >> (8 * i)) & 0xff;
        return 5;
    } else {
        buf[0] = LP_ENC_64BIT_INT;
        for (int i = 0; i < 8; i++) buf[1 + i] = (u >> (8 * i)) & 0xff;
        return 9;
    }
}

/* Encode the header of a string of len bytes into buf; returns its size. */
static size_t lpEncodeStringHeader(uint32_t len, unsigned char *buf) {
    if (len < 64) {
        buf[0] = (unsigned char)(LP_ENC_6BIT_STR | len);
        return 1;
    } else if (len < 4096) {
        buf[0] = (unsigned char)(LP_ENC_12BIT_STR | (len >> 8));
        buf[1] = len & 0xff;
        return 2;
    } else {
        buf[0] = LP_ENC_32BIT_STR;
        for (int i = 0; i < 4; i++) buf[1 + i] = (len >> (8 * i)) & 0xff;
        return 5;
    }
}

/* Bytes of the back-length for an entry of l bytes (encoding+data). */
static size_t lpBacklenSize(uint64_t l) {
    if (l <= 127) return 1;
    if (l < 16383) return 2;
    if (l < 2097151) return 3;
    if (l < 268435455) return 4;
    return 5;
}

/* Write the back-length of l into buf (lpBacklenSize(l) bytes). */
static size_t lpEncodeBacklen(unsigned char *buf, uint64_t l) {
    size_t n = lpBacklenSize(l);
    for (size_t i = 0; i < n; i++) {
        size_t shift = 7 * (n - 1 - i);
        buf[i] = (unsigned char)((l >> shift) & 127);
        if (i > 0) buf[i] |= 128;
    }
    return n;
}

/* Decode the back-length whose last byte is at p (reading backwards).
 * Returns UINT64_MAX if it runs over 5 bytes. */
static uint64_t lpDecodeBacklen(const unsigned char *p) {
    uint64_t val = 0;
    unsigned shift = 0;
    for (;;) {
        val |= (uint64_t)(p[0] & 127) << shift;
        if (!(p[0] & 128)) return val;
        shift += 7;
        p--;
        if (shift > 28) return UINT64_MAX;
    }
}

/* Size of <encoding+data> of the entry at p, trusting its bytes. */
static uint32_t lpEncodedSize(const unsigned char *p) {
    unsigned char b = p[0];
    if ((b & 0x80) == 0) return 1;
    if ((b & 0xC0) == LP_ENC_6BIT_STR) return 1 + (b & 0x3F);
    if ((b & 0xE0) == LP_ENC_13BIT_INT) return 2;
    if ((b & 0xF0) == LP_ENC_12BIT_STR) return 2 + (((uint32_t)(b & 0x0F) << 8) | p[1]);
    switch (b) {
    case LP_ENC_16BIT_INT: return 3;
    case LP_ENC_24BIT_INT: return 4;
    case LP_ENC_32BIT_INT: return 5;
    case LP_ENC_64BIT_INT: return 9;
    case LP_ENC_32BIT_STR:
        return 5 + ((uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 24);
    case LP_EOF: return 1;
    default: return 0; /* invalid encoding */
    }
}

/* Bytes of the encoding header needed to know the entry size (1, 2 or 5),
 * or 0 for an invalid first byte. */
static uint32_t lpEncodingHeaderSize(unsigned char b) {
    if ((b & 0x80) == 0 || (b & 0xC0) == LP_ENC_6BIT_STR) return 1;
    if ((b & 0xE0) == LP_ENC_13BIT_INT || (b & 0xF0) == LP_ENC_12BIT_STR) return 2;
    if (b == LP_ENC_32BIT_STR) return 5;
    if (b >= LP_ENC_16BIT_INT && b <= LP_ENC_64BIT_INT) return 1;
    if (b == LP_EOF) return 1;
    return 0;
}

/* Whole size of the entry at p including its back-length. */
static size_t lpEntryTotalSize(const unsigned char *p) {
    uint32_t l = lpEncodedSize(p);
    return l + lpBacklenSize(l);
}

size_t lpEntrySizeInteger(long long v) {
    unsigned char buf[LP_MAX_INT_ENTRY];
    size_t l = lpEncodeInteger(v, buf);
    return l + lpBacklenSize(l);
}

size_t lpEntrySizeString(const unsigned char *s, uint32_t slen) {
    long long v;
    if (lpStringToInt64(s, slen, &v)) return lpEntrySizeInteger(v);
    unsigned char hdr[LP_MAX_HDR];
    size_t l = lpEncodeStringHeader(slen, hdr) + slen;
    return l + lpBacklenSize(l);
}

/* ------------------------------------------------------------- navigation */

unsigned char *lpNew(size_t capacity) {
    unsigned char *lp = zmalloc(capacity > LP_HDR_SIZE + 1 ? capacity : LP_HDR_SIZE + 1);
    lpSetTotalBytes(lp, LP_HDR_SIZE + 1);
    lpSetNumElements(lp, 0);
    lp[LP_HDR_SIZE] = LP_EOF;
    return lp;
}

void lpFree(unsigned char *lp) {
    zfree(lp);
}

unsigned char *lpShrinkToFit(unsigned char *lp) {
    size_t size = lpGetTotalBytes(lp);
    if (zmalloc_size(lp) > size) return zrealloc(lp, size);
    return lp;
}

size_t lpBytes(unsigned char *lp) {
    return lpGetTotalBytes(lp);
}

/* Assert that p (an entry or the terminator) lies inside lp. */
static void lpAssertInside(unsigned char *lp, const unsigned char *p) {
    lp_assert(p >= lp + LP_HDR_SIZE && p < lp + lpGetTotalBytes(lp));
}

/* The entry after p, or the terminator. */
static unsigned char *lpSkip(unsigned char *p) {
    return p + lpEntryTotalSize(p);
}

unsigned char *lpFirst(unsigned char *lp) {
    unsigned char *p = lp + LP_HDR_SIZE;
    if (p[0] == LP_EOF) return NULL;
    lpAssertInside(lp, p);
    return p;
}

unsigned char *lpNext(unsigned char *lp, unsigned char *p) {
    lp_assert(p[0] != LP_EOF);
    p = lpSkip(p);
    /* Forward of an entry, so only the end needs checking. */
    lp_assert(p < lp + lpGetTotalBytes(lp));
    if (p[0] == LP_EOF) return NULL;
    return p;
}

unsigned char *lpPrev(unsigned char *lp, unsigned char *p) {
    lp_assert(p != NULL);
    if (p == lp + LP_HDR_SIZE) return NULL;
    uint64_t prevlen = lpDecodeBacklen(p - 1);
    lp_assert(prevlen != UINT64_MAX);
    p -= prevlen + lpBacklenSize(prevlen);
    lpAssertInside(lp, p);
    return p;
}

unsigned char *lpLast(unsigned char *lp) {
    unsigned char *eof = lp + lpGetTotalBytes(lp) - 1;
    return lpPrev(lp, eof);
}

unsigned long lpLength(unsigned char *lp) {
    uint32_t n = lpGetNumElements(lp);
    if (n != LP_HDR_NUMELE_UNKNOWN) return n;
    unsigned long count = 0;
    unsigned char *p = lpFirst(lp);
    while (p) {
        count++;
        p = lpNext(lp, p);
    }
    if (count < LP_HDR_NUMELE_UNKNOWN) lpSetNumElements(lp, (uint32_t)count);
    return count;
}

unsigned char *lpSeek(unsigned char *lp, long index) {
    int forward = 1;
    uint32_t n = lpGetNumElements(lp);
    if (n != LP_HDR_NUMELE_UNKNOWN) {
        if (index < 0) index += (long)n;
        if (index < 0 || index >= (long)n) return NULL;
        /* Walk from the nearer end. */
        if (index > (long)n / 2) {
            forward = 0;
            index -= (long)n;
        }
    } else if (index < 0) {
        forward = 0;
    }
    unsigned char *p;
    if (forward) {
        p = lpFirst(lp);
        while (index > 0 && p) {
            p = lpNext(lp, p);
            index--;
        }
    } else {
        p = lpLast(lp);
        while (index < -1 && p) {
            p = lpPrev(lp, p);
            index++;
        }
    }
    return p;
}

/* ------------------------------------------------------------------ reading */

/* Value of the integer entry at p, or 0 with *isint = 0 for a string. */
static long long lpDecodeInteger(const unsigned char *p, int *isint) {
    unsigned char b = p[0];
    uint64_t u;
    *isint = 1;
    if ((b & 0x80) == 0) return b;
    if ((b & 0xE0) == LP_ENC_13BIT_INT) {
        u = ((uint64_t)(b & 0x1F) << 8) | p[1];
        return u >= (1 << 12) ? (long long)u - (1 << 13) : (long long)u;
    }
    switch (b) {
    case LP_ENC_16BIT_INT: return (int16_t)(uint16_t)(p[1] | p[2] << 8);
    case LP_ENC_24BIT_INT:
        u = (uint64_t)p[1] | (uint64_t)p[2] << 8 | (uint64_t)p[3] << 16;
        return u >= (1 << 23) ? (long long)u - (1 << 24) : (long long)u;
    case LP_ENC_32BIT_INT:
        return (int32_t)((uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 24);
    case LP_ENC_64BIT_INT:
        u = 0;
        for (int i = 7; i >= 0; i--) u = (u << 8) | p[1 + i];
        return (long long)u;
    default: *isint = 0; return 0;
    }
}

/* String payload of a string entry at p (length in *len), or NULL. */
static unsigned char *lpStringPayload(unsigned char *p, uint32_t *len) {
    unsigned char b = p[0];
    if ((b & 0xC0) == LP_ENC_6BIT_STR) {
        *len = b & 0x3F;
        return p + 1;
    }
    if ((b & 0xF0) == LP_ENC_12BIT_STR) {
        *len = ((uint32_t)(b & 0x0F) << 8) | p[1];
        return p + 2;
    }
    if (b == LP_ENC_32BIT_STR) {
        *len = (uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 24;
        return p + 5;
    }
    return NULL;
}

unsigned char *lpGet(unsigned char *p, int64_t *count, unsigned char *intbuf) {
    uint32_t len;
    unsigned char *s = lpStringPayload(p, &len);
    if (s) {
        *count = len;
        return s;
    }
    int isint;
    long long v = lpDecodeInteger(p, &isint);
    lp_assert(isint);
    if (intbuf) {
        *count = ll2string((char *)intbuf, LP_INTBUF_SIZE, v);
        return intbuf;
    }
    *count = v;
    return NULL;
}

unsigned char *lpGetValue(unsigned char *p, unsigned int *slen, long long *lval) {
    int64_t v;
    unsigned char *s = lpGet(p, &v, NULL);
    if (s)
        *slen = (unsigned int)v;
    else
        *lval = v;
    return s;
}

unsigned int lpCompare(unsigned char *p, unsigned char *s, uint32_t slen) {
    uint32_t len;
    unsigned char *es = lpStringPayload(p, &len);
    if (es) return len == slen && memcmp(es, s, slen) == 0;
    int isint;
    long long v = lpDecodeInteger(p, &isint), sv;
    if (!isint) return 0;
    return lpStringToInt64(s, slen, &sv) && sv == v;
}

unsigned char *lpFind(unsigned char *lp, unsigned char *p, unsigned char *s, uint32_t slen, unsigned int skip) {
    /* Parse s as an integer once, lazily: integer entries compare by value. */
    int sparsed = 0, sisint = 0;
    long long sval = 0;
    unsigned int skipcnt = 0;
    unsigned char *eof = lp + lpGetTotalBytes(lp) - 1;
    while (p && p[0] != LP_EOF) {
        if (skipcnt == 0) {
            uint32_t len;
            unsigned char *es = lpStringPayload(p, &len);
            if (es) {
                if (len == slen && memcmp(es, s, slen) == 0) return p;
            } else {
                if (!sparsed) {
                    sisint = lpStringToInt64(s, slen, &sval);
                    sparsed = 1;
                }
                if (sisint) {
                    int isint;
                    long long v = lpDecodeInteger(p, &isint);
                    if (isint && v == sval) return p;
                }
            }
            skipcnt = skip;
        } else {
            skipcnt--;
        }
        p = lpSkip(p);
        lp_assert(p <= eof);
    }
    return NULL;
}

/* ------------------------------------------------------------------ editing */

/* The encoding of string s as an entry: the header (the whole entry for a
 * canonical integer) into hdr, returning its size, and in *datalen the
 * bytes of s that follow it (0 for an integer). */
static size_t lpEncodeString(const unsigned char *s, uint32_t slen, unsigned char *hdr, size_t *datalen) {
    long long v;
    if (lpStringToInt64(s, slen, &v)) {
        *datalen = 0;
        return lpEncodeInteger(v, hdr);
    }
    *datalen = slen;
    return lpEncodeStringHeader(slen, hdr);
}

/* Writes the entry hdr+data and its back-length at dst. */
static void lpPutEntry(unsigned char *dst, const unsigned char *hdr, size_t hdrlen, const unsigned char *data,
                       size_t datalen) {
    /* Byte by byte: the header is at most 9 bytes, too few for memcpy. */
    for (size_t i = 0; i < hdrlen; i++) dst[i] = hdr[i];
    if (datalen) memcpy(dst + hdrlen, data, datalen);
    lpEncodeBacklen(dst + hdrlen + datalen, hdrlen + datalen);
}

/* Shrinks lp's block to size bytes, unless the allocator would give a
 * block as big anyway (then realloc would only keep it in place). A block
 * less than 1/8 too big is kept without asking: consecutive size classes of
 * jemalloc are at least 1/8 of the larger one apart. */
static unsigned char *lpShrinkBlock(unsigned char *lp, size_t size) {
    size_t have = zmalloc_size(lp);
    if (size > have - have / 8 || zmalloc_good_size(size) >= have) return lp;
    return zrealloc(lp, size);
}

/* Replace `oldlen` bytes at offset `off` with the entry made of hdr[0..hdrlen)
 * followed by data[0..datalen) and its back-length (nothing when hdr is NULL).
 * delta_count is the change of the element count. Returns the new listpack,
 * or NULL if it would exceed UINT32_MAX bytes. */
static unsigned char *lpEdit(unsigned char *lp, size_t off, size_t oldlen, const unsigned char *hdr, size_t hdrlen,
                             const unsigned char *data, size_t datalen, long delta_count) {
    uint32_t total = lpGetTotalBytes(lp);
    size_t enclen = hdr ? hdrlen + datalen : 0;
    size_t newlen = hdr ? enclen + lpBacklenSize(enclen) : 0;
    uint64_t newtotal = (uint64_t)total - oldlen + newlen;
    if (newtotal > UINT32_MAX) return NULL;
    size_t tail = total - off - oldlen; /* bytes after the replaced region */

    if (newlen > oldlen) {
        /* The allocator's block often has room already (its size classes
         * round up); realloc would then keep the block in place anyway. */
        if (newtotal > zmalloc_size(lp)) lp = zrealloc(lp, newtotal);
        memmove(lp + off + newlen, lp + off + oldlen, tail);
    } else if (newlen < oldlen) {
        memmove(lp + off + newlen, lp + off + oldlen, tail);
        lp = lpShrinkBlock(lp, newtotal);
    }
    if (hdr) lpPutEntry(lp + off, hdr, hdrlen, data, datalen);
    lpSetTotalBytes(lp, (uint32_t)newtotal);
    lpAdjustNumElements(lp, delta_count);
    return lp;
}

/* Common path of the inserts: the entry is hdr+data. */
static unsigned char *lpInsertEncoded(unsigned char *lp, const unsigned char *hdr, size_t hdrlen,
                                      const unsigned char *data, size_t datalen, unsigned char *p, int where,
                                      unsigned char **newp) {
    lpAssertInside(lp, p);
    if (where == LP_AFTER) {
        lp_assert(p[0] != LP_EOF);
        p = lpSkip(p);
        where = LP_BEFORE;
    }
    size_t off = (size_t)(p - lp), oldlen = 0;
    long delta = 1;
    if (where == LP_REPLACE) {
        lp_assert(p[0] != LP_EOF);
        oldlen = lpEntryTotalSize(p);
        delta = 0;
    }
    unsigned char *res = lpEdit(lp, off, oldlen, hdr, hdrlen, data, datalen, delta);
    if (res == NULL) return NULL;
    if (newp) *newp = res + off;
    return res;
}

unsigned char *lpInsertString(unsigned char *lp, unsigned char *s, uint32_t slen, unsigned char *p, int where,
                              unsigned char **newp) {
    unsigned char hdr[LP_MAX_INT_ENTRY];
    size_t datalen;
    size_t l = lpEncodeString(s, slen, hdr, &datalen);
    return lpInsertEncoded(lp, hdr, l, s, datalen, p, where, newp);
}

unsigned char *lpInsertInteger(unsigned char *lp, long long lval, unsigned char *p, int where, unsigned char **newp) {
    unsigned char hdr[LP_MAX_INT_ENTRY];
    size_t l = lpEncodeInteger(lval, hdr);
    return lpInsertEncoded(lp, hdr, l, NULL, 0, p, where, newp);
}

static unsigned char *lpEof(unsigned char *lp) {
    return lp + lpGetTotalBytes(lp) - 1;
}

unsigned char *lpAppend(unsigned char *lp, unsigned char *s, uint32_t slen) {
    /* lpEdit's work for the one place that needs no tail moved. */
    unsigned char hdr[LP_MAX_INT_ENTRY];
    size_t datalen;
    size_t hdrlen = lpEncodeString(s, slen, hdr, &datalen);
    size_t enclen = hdrlen + datalen, add = enclen + lpBacklenSize(enclen);
    uint32_t total = lpGetTotalBytes(lp);
    uint64_t newtotal = (uint64_t)total + add;
    if (newtotal > UINT32_MAX) return NULL;
    if (newtotal > zmalloc_size(lp)) lp = zrealloc(lp, newtotal);
    lpPutEntry(lp + total - 1, hdr, hdrlen, s, datalen);
    lp[newtotal - 1] = LP_EOF;
    lpSetTotalBytes(lp, (uint32_t)newtotal);
    lpAdjustNumElements(lp, 1);
    return lp;
}

unsigned char *lpAppendInteger(unsigned char *lp, long long lval) {
    return lpInsertInteger(lp, lval, lpEof(lp), LP_BEFORE, NULL);
}

/* Writes the whole entry e (encoding, data, back-length) at dst, or only
 * measures it when dst is NULL. Returns its size. A string that is a
 * canonical integer is stored as one, as lpAppend does. */
static size_t lpWriteEntry(const listpackEntry *e, unsigned char *dst) {
    unsigned char hdr[LP_MAX_INT_ENTRY];
    long long v = e->lval;
    size_t hl, dl = 0;
    if (e->sval == NULL || lpStringToInt64(e->sval, e->slen, &v)) {
        hl = lpEncodeInteger(v, hdr);
    } else {
        hl = lpEncodeStringHeader(e->slen, hdr);
        dl = e->slen;
    }
    size_t bl = lpBacklenSize(hl + dl);
    if (dst) {
        memcpy(dst, hdr, hl);
        if (dl) memcpy(dst + hl, e->sval, dl);
        lpEncodeBacklen(dst + hl + dl, hl + dl);
    }
    return hl + dl + bl;
}

unsigned char *lpBatchAppend(unsigned char *lp, const listpackEntry *entries, size_t count) {
    uint32_t total = lpGetTotalBytes(lp);
    uint64_t add = 0;
    for (size_t i = 0; i < count; i++) add += lpWriteEntry(&entries[i], NULL);
    if ((uint64_t)total + add > UINT32_MAX) return NULL;
    lp = zrealloc(lp, total + add);
    unsigned char *dst = lp + total - 1; /* over the terminator */
    for (size_t i = 0; i < count; i++) dst += lpWriteEntry(&entries[i], dst);
    *dst = LP_EOF;
    lpSetTotalBytes(lp, (uint32_t)(total + add));
    lpAdjustNumElements(lp, (long)count);
    return lp;
}

unsigned char *lpPrepend(unsigned char *lp, unsigned char *s, uint32_t slen) {
    return lpInsertString(lp, s, slen, lp + LP_HDR_SIZE, LP_BEFORE, NULL);
}

unsigned char *lpPrependInteger(unsigned char *lp, long long lval) {
    return lpInsertInteger(lp, lval, lp + LP_HDR_SIZE, LP_BEFORE, NULL);
}

unsigned char *lpPrependInRoom(unsigned char *lp, size_t room, const unsigned char *s, uint32_t slen) {
    unsigned char hdr[LP_MAX_INT_ENTRY];
    size_t datalen;
    size_t hdrlen = lpEncodeString(s, slen, hdr, &datalen);
    size_t enclen = hdrlen + datalen, add = enclen + lpBacklenSize(enclen);
    uint32_t total = lpGetTotalBytes(lp), count = lpGetNumElements(lp);
    if (add > room || (uint64_t)total + add > UINT32_MAX) return NULL;
    /* The header moves back over the room; the entry goes after it. */
    unsigned char *moved = lp - add;
    lpSetTotalBytes(moved, (uint32_t)(total + add));
    lpSetNumElements(moved, count);
    lpAdjustNumElements(moved, 1);
    lpPutEntry(moved + LP_HDR_SIZE, hdr, hdrlen, s, datalen);
    return moved;
}

unsigned char *lpDeleteFirstToRoom(unsigned char *lp) {
    unsigned char *p = lp + LP_HDR_SIZE;
    lp_assert(p[0] != LP_EOF);
    size_t gone = lpEntryTotalSize(p);
    uint32_t total = lpGetTotalBytes(lp), count = lpGetNumElements(lp);
    /* The header moves forward over the first entry. */
    unsigned char *moved = lp + gone;
    lpSetTotalBytes(moved, (uint32_t)(total - gone));
    lpSetNumElements(moved, count);
    lpAdjustNumElements(moved, -1);
    return moved;
}

unsigned char *lpReplace(unsigned char *lp, unsigned char **p, unsigned char *s, uint32_t slen) {
    return lpInsertString(lp, s, slen, *p, LP_REPLACE, p);
}

unsigned char *lpReplaceInteger(unsigned char *lp, unsigned char **p, long long lval) {
    return lpInsertInteger(lp, lval, *p, LP_REPLACE, p);
}

unsigned char *lpDelete(unsigned char *lp, unsigned char *p, unsigned char **newp) {
    lpAssertInside(lp, p);
    lp_assert(p[0] != LP_EOF);
    size_t off = (size_t)(p - lp);
    lp = lpEdit(lp, off, lpEntryTotalSize(p), NULL, 0, NULL, 0, -1);
    if (newp) *newp = lp[off] == LP_EOF ? NULL : lp + off;
    return lp;
}

unsigned char *lpDeleteRangeWithEntry(unsigned char *lp, unsigned char **p, unsigned long num) {
    unsigned char *first = *p, *end = first;
    lpAssertInside(lp, first);
    unsigned long deleted = 0;
    while (deleted < num && end[0] != LP_EOF) {
        end = lpSkip(end);
        deleted++;
    }
    lpAssertInside(lp, end);
    size_t off = (size_t)(first - lp);
    if (deleted) lp = lpEdit(lp, off, (size_t)(end - first), NULL, 0, NULL, 0, -(long)deleted);
    *p = lp[off] == LP_EOF ? NULL : lp + off;
    return lp;
}

unsigned char *lpDeleteRange(unsigned char *lp, long index, unsigned long num) {
    if (num == 0) return lp;
    unsigned char *p = lpSeek(lp, index);
    if (p == NULL) return lp;
    return lpDeleteRangeWithEntry(lp, &p, num);
}

unsigned char *lpBatchDelete(unsigned char *lp, unsigned char **ps, unsigned long count) {
    if (count == 0) return lp;
    uint32_t total = lpGetTotalBytes(lp);
    unsigned char *dst = ps[0];
    unsigned long deleted = 0;
    for (unsigned long i = 0; i < count; i++) {
        unsigned char *p = ps[i];
        lpAssertInside(lp, p);
        lp_assert(p[0] != LP_EOF);
        lp_assert(i == 0 || p > ps[i - 1]);
        unsigned char *keep = lpSkip(p);
        unsigned char *keep_end = i + 1 < count ? ps[i + 1] : lp + total;
        /* Move the run of kept bytes between this deletion and the next. */
        lp_assert(keep <= keep_end);
        memmove(dst, keep, (size_t)(keep_end - keep));
        dst += keep_end - keep;
        deleted++;
    }
    uint32_t newtotal = (uint32_t)(dst - lp);
    lpSetTotalBytes(lp, newtotal);
    lpAdjustNumElements(lp, -(long)deleted);
    return zrealloc(lp, newtotal);
}

unsigned char *lpMerge(unsigned char **first, unsigned char **second) {
    if (first == NULL || second == NULL || *first == NULL || *second == NULL || *first == *second) return NULL;
    unsigned char *a = *first, *b = *second;
    size_t abytes = lpGetTotalBytes(a), bbytes = lpGetTotalBytes(b);
    size_t apay = abytes - LP_HDR_SIZE - 1, bpay = bbytes - LP_HDR_SIZE - 1;
    uint64_t total = (uint64_t)abytes + bbytes - LP_HDR_SIZE - 1;
    if (total > UINT32_MAX) return NULL;
    uint32_t an = lpGetNumElements(a), bn = lpGetNumElements(b);
    uint32_t n = (an == LP_HDR_NUMELE_UNKNOWN || bn == LP_HDR_NUMELE_UNKNOWN || an + bn >= LP_HDR_NUMELE_UNKNOWN)
                     ? LP_HDR_NUMELE_UNKNOWN
                     : an + bn;
    unsigned char *lp;
    if (abytes >= bbytes) {
        /* Append b's entries to a. */
        lp = zrealloc(a, total);
        memcpy(lp + LP_HDR_SIZE + apay, b + LP_HDR_SIZE, bpay);
        zfree(b);
        *first = lp;
        *second = NULL;
    } else {
        /* Prepend a's entries to b. */
        lp = zrealloc(b, total);
        memmove(lp + LP_HDR_SIZE + apay, lp + LP_HDR_SIZE, bpay);
        memcpy(lp + LP_HDR_SIZE, a + LP_HDR_SIZE, apay);
        zfree(a);
        *first = NULL;
        *second = lp;
    }
    lp[total - 1] = LP_EOF;
    lpSetTotalBytes(lp, (uint32_t)total);
    lpSetNumElements(lp, n);
    return lp;
}

int lpSafeToAdd(unsigned char *lp, size_t add) {
    size_t len = lp ? lpGetTotalBytes(lp) : 0;
    return len + add <= LISTPACK_MAX_SAFETY_SIZE;
}

/* --------------------------------------------------------------- validation */

unsigned char *lpValidateFirst(unsigned char *lp) {
    unsigned char *p = lp + LP_HDR_SIZE;
    return p[0] == LP_EOF ? NULL : p;
}

int lpValidateNext(unsigned char *lp, unsigned char **pp, size_t lpbytes) {
    unsigned char *p = *pp;
    if (p == NULL) return 0;
    unsigned char *end = lp + lpbytes; /* one past the last byte */
    if (p < lp + LP_HDR_SIZE || p >= end) return 0;
    if (p[0] == LP_EOF) {
        *pp = NULL;
        return 1;
    }
    size_t hdr = lpEncodingHeaderSize(p[0]);
    if (hdr == 0 || (size_t)(end - p) < hdr) return 0;
    uint64_t enclen = lpEncodedSize(p);
    if (enclen == 0) return 0;
    size_t blen = lpBacklenSize(enclen);
    /* The entry and its back-length must end before the terminator. */
    if ((uint64_t)(end - p) < enclen + blen + 1) return 0;
    if (lpDecodeBacklen(p + enclen + blen - 1) != enclen) return 0;
    *pp = p + enclen + blen;
    return 1;
}

int lpValidateIntegrity(unsigned char *lp, size_t size, int deep,
                        int (*entry_cb)(unsigned char *p, unsigned int head_count, void *userdata),
                        void *cb_userdata) {
    if (size < LP_HDR_SIZE + 1) return 0;
    if (lpGetTotalBytes(lp) != size) return 0;
    if (lp[size - 1] != LP_EOF) return 0;
    if (!deep) return 1;
    uint32_t head = lpGetNumElements(lp);
    unsigned long count = 0;
    unsigned char *p = lp + LP_HDR_SIZE;
    while (p && p[0] != LP_EOF) {
        unsigned char *cur = p;
        if (!lpValidateNext(lp, &p, size)) return 0;
        if (entry_cb && !entry_cb(cur, head, cb_userdata)) return 0;
        count++;
    }
    /* The walk must end at the real terminator, not at a stray 0xFF. */
    if (p != lp + size - 1) return 0;
    if (head != LP_HDR_NUMELE_UNKNOWN && head != count) return 0;
    return 1;
}

/* ------------------------------------------------------------------- random */

static void lpEntryAt(unsigned char *p, listpackEntry *e) {
    int64_t v;
    e->sval = lpGet(p, &v, NULL);
    if (e->sval)
        e->slen = (uint32_t)v;
    else
        e->lval = v;
}

void lpRandomPair(unsigned char *lp, unsigned long total_count, listpackEntry *key, listpackEntry *val) {
    lp_assert(total_count > 0);
    long r = (long)(((unsigned long)rand() * (unsigned long)RAND_MAX + (unsigned long)rand()) % total_count);
    unsigned char *p = lpSeek(lp, 2 * r);
    lp_assert(p != NULL);
    lpEntryAt(p, key);
    if (val) {
        p = lpNext(lp, p);
        lp_assert(p != NULL);
        lpEntryAt(p, val);
    }
}

/* A pick of lpRandomPairs: pair index and where the result goes. */
typedef struct {
    unsigned long index;
    unsigned int order;
} lpPick;

static int lpPickCompare(const void *a, const void *b) {
    const lpPick *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

void lpRandomPairs(unsigned char *lp, unsigned int count, listpackEntry *keys, listpackEntry *vals) {
    if (count == 0) return;
    unsigned long pairs = lpLength(lp) / 2;
    lp_assert(pairs > 0);
    /* Draw indexes, sort them, then fill results in one forward walk. */
    lpPick *picks = zmalloc(sizeof(lpPick) * count);
    for (unsigned int i = 0; i < count; i++) {
        picks[i].index = ((unsigned long)rand() * (unsigned long)RAND_MAX + (unsigned long)rand()) % pairs;
        picks[i].order = i;
    }
    qsort(picks, count, sizeof(lpPick), lpPickCompare);
    unsigned char *p = lpFirst(lp);
    unsigned long at = 0;
    for (unsigned int i = 0; i < count; i++) {
        while (at < picks[i].index) {
            p = lpNext(lp, p);
            p = lpNext(lp, p);
            at++;
        }
        lpEntryAt(p, &keys[picks[i].order]);
        if (vals) lpEntryAt(lpNext(lp, p), &vals[picks[i].order]);
    }
    zfree(picks);
}

unsigned int lpRandomPairsUnique(unsigned char *lp, unsigned int count, listpackEntry *keys, listpackEntry *vals) {
    unsigned long pairs = lpLength(lp) / 2;
    if (count > pairs) count = (unsigned int)pairs;
    unsigned int picked = 0;
    unsigned long left = pairs;
    unsigned char *p = lpFirst(lp);
    /* Selection sampling: take each pair with probability needed/left. */
    while (picked < count && p) {
        unsigned long needed = count - picked;
        double r = (double)rand() / ((double)RAND_MAX + 1.0);
        if (r * (double)left < (double)needed) {
            lpEntryAt(p, &keys[picked]);
            if (vals) lpEntryAt(lpNext(lp, p), &vals[picked]);
            picked++;
        }
        left--;
        p = lpNext(lp, p);
        if (p) p = lpNext(lp, p);
    }
    return picked;
}
