/* ziplist.c — ziplist and zipmap blobs turned into listpacks (ziplist.h).
 *
 * Both converters walk the blob once with a cursor that is checked against
 * the end before every read, append each element to a new listpack, and
 * stop at the terminator. Anything out of place — a length running past the
 * end, an unknown encoding, a prevlen that does not match the previous
 * entry, an element count that disagrees with the header, bytes after the
 * terminator — frees the partial listpack and returns NULL.
 */
#include "ziplist.h"

#include <stdint.h>
#include <string.h>

#include "listpack.h"

#define ZIP_END 0xFF
#define ZIP_BIG_PREVLEN 0xFE
#define ZIPLIST_HEADER 10

static uint32_t rd32le(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One decoded ziplist entry. */
typedef struct {
    const unsigned char *str; /* NULL for an integer */
    size_t len;
    long long val;
    size_t total; /* bytes of the whole entry */
} zipEntry;

/* Decodes the integer of encoding enc at p (n bytes available). Returns the
 * data size, or -1. */
static long zipDecodeInt(unsigned char enc, const unsigned char *p, size_t n, long long *v) {
    if (enc >= 0xF1 && enc <= 0xFD) {
        *v = (long long)(enc & 0x0F) - 1;
        return 0;
    }
    size_t need;
    switch (enc) {
    case 0xFE: need = 1; break;
    case 0xC0: need = 2; break;
    case 0xF0: need = 3; break;
    case 0xD0: need = 4; break;
    case 0xE0: need = 8; break;
    default: return -1;
    }
    if (n < need) return -1;
    uint64_t u = 0;
    for (size_t i = need; i > 0; i--) u = (u << 8) | p[i - 1];
    if (need < 8) {
        uint64_t sign = 1ULL << (need * 8 - 1);
        u = (u ^ sign) - sign; /* sign-extend */
    }
    *v = (long long)u;
    return (long)need;
}

/* Decodes the entry at p with n bytes left before the terminator's end.
 * Returns 0 when it does not fit or is malformed. */
static int zipDecodeEntry(const unsigned char *p, size_t n, size_t expect_prev, zipEntry *e) {
    size_t pos, prevlen;
    if (n < 1) return 0;
    if (p[0] < ZIP_BIG_PREVLEN) {
        prevlen = p[0];
        pos = 1;
    } else if (p[0] == ZIP_BIG_PREVLEN) {
        if (n < 5) return 0;
        prevlen = rd32le(p + 1);
        pos = 5;
    } else {
        return 0;
    }
    if (prevlen != expect_prev) return 0;
    if (pos >= n) return 0;
    unsigned char enc = p[pos];
    size_t slen;
    if ((enc & 0xC0) == 0x00) {
        slen = enc & 0x3F;
        pos += 1;
    } else if ((enc & 0xC0) == 0x40) {
        if (pos + 2 > n) return 0;
        slen = ((size_t)(enc & 0x3F) << 8) | p[pos + 1];
        pos += 2;
    } else if (enc == 0x80) {
        if (pos + 5 > n) return 0;
        slen = (size_t)p[pos + 1] << 24 | (size_t)p[pos + 2] << 16 | (size_t)p[pos + 3] << 8 | p[pos + 4];
        pos += 5;
    } else {
        long k = zipDecodeInt(enc, p + pos + 1, n - pos - 1, &e->val);
        if (k < 0) return 0;
        e->str = NULL;
        e->len = 0;
        e->total = pos + 1 + (size_t)k;
        return 1;
    }
    if (slen > n - pos) return 0;
    e->str = p + pos;
    e->len = slen;
    e->total = pos + slen;
    return 1;
}

unsigned char *ziplistToListpack(const unsigned char *zl, size_t size, unsigned long *count) {
    if (size < ZIPLIST_HEADER + 1 || rd32le(zl) != size || zl[size - 1] != ZIP_END) return NULL;
    size_t header_count = (size_t)zl[8] | (size_t)zl[9] << 8;
    size_t tail = rd32le(zl + 4);
    if (tail > size - 1) return NULL;
    unsigned char *lp = lpNew(size);
    size_t pos = ZIPLIST_HEADER, prev = 0, last_start = ZIPLIST_HEADER;
    unsigned long n = 0;
    while (zl[pos] != ZIP_END) {
        zipEntry e;
        if (!zipDecodeEntry(zl + pos, size - 1 - pos, prev, &e)) goto bad;
        if (e.str)
            lp = lpAppend(lp, (unsigned char *)e.str, (uint32_t)e.len);
        else
            lp = lpAppendInteger(lp, e.val);
        if (lp == NULL) return NULL;
        last_start = pos;
        prev = e.total;
        pos += e.total;
        n++;
        if (pos >= size) goto bad;
    }
    if (pos != size - 1) goto bad;
    if (header_count != UINT16_MAX && header_count != n) goto bad;
    if (n > 0 && tail != last_start) goto bad;
    if (count) *count = n;
    return lp;
bad:
    lpFree(lp);
    return NULL;
}

/* Reads a zipmap length at zm[*pos]; returns 0 when it does not fit. */
static int zipmapLen(const unsigned char *zm, size_t size, size_t *pos, size_t *len) {
    if (*pos >= size) return 0;
    unsigned char b = zm[*pos];
    if (b < 254) {
        *len = b;
        *pos += 1;
        return 1;
    }
    if (b != 254 || *pos + 5 > size) return 0;
    *len = rd32le(zm + *pos + 1);
    *pos += 5;
    return 1;
}

unsigned char *zipmapToListpack(const unsigned char *zm, size_t size, unsigned long *pairs) {
    if (size < 2 || zm[size - 1] != ZIP_END) return NULL;
    unsigned char *lp = lpNew(size);
    size_t pos = 1;
    unsigned long n = 0;
    while (pos < size && zm[pos] != ZIP_END) {
        size_t klen, vlen;
        if (!zipmapLen(zm, size, &pos, &klen) || klen > size - pos) goto bad;
        const unsigned char *key = zm + pos;
        pos += klen;
        if (!zipmapLen(zm, size, &pos, &vlen) || pos >= size) goto bad;
        size_t freelen = zm[pos++];
        if (vlen > size - pos || freelen > size - pos - vlen) goto bad;
        lp = lpAppend(lp, (unsigned char *)key, (uint32_t)klen);
        lp = lpAppend(lp, (unsigned char *)zm + pos, (uint32_t)vlen);
        pos += vlen + freelen;
        n++;
    }
    if (pos != size - 1) goto bad;
    if (zm[0] < 254 && zm[0] != n) goto bad;
    if (pairs) *pairs = n;
    return lp;
bad:
    lpFree(lp);
    return NULL;
}
