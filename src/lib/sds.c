/* sds.c -- binary-safe dynamic strings.
 *
 * An sds is a pointer to the bytes of a string. Just before the bytes sits
 * a packed header with the length, the capacity ("alloc", not counting the
 * terminator) and a flags byte at s[-1] whose low bits name the header
 * type. Four header types exist, with 8, 16, 32 and 64-bit fields, and the
 * smallest type that can hold the capacity is used, so a short string pays
 * three bytes of overhead. The whole thing is one zmalloc block:
 *
 *     [len][alloc][flags][bytes ...][\0]
 *                        ^ sds
 *
 * The bytes are always followed by a NUL so an sds works as a C string, but
 * the length field is the truth and the content may hold NULs.
 *
 * Capacity is taken from the allocator's usable size, so the slack that
 * malloc rounds up to is not wasted. Appends grow greedily (double up to
 * 1MB, then 1MB at a time) to make repeated appends amortised O(1);
 * sdsMakeRoomForNonGreedy and sdsResize allocate exact amounts. When a
 * resize needs a different header type the string is copied to a new
 * block, otherwise it is realloc'ed in place.
 *
 * Any function that may grow a string returns the (possibly moved) new
 * pointer; the old one must not be used afterwards. */
#include "sds.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "zmalloc.h"

const char *SDS_NOINIT = "SDS_NOINIT";

static void sds_panic(const char *what, int line) {
    fprintf(stderr, "sds.c:%d: assertion failed: %s\n", line, what);
    abort();
}
#define SDS_ASSERT(cond) \
    do { \
        if (!(cond)) sds_panic(#cond, __LINE__); \
    } while (0)

/* ---------------------------------------------------------- header helpers */

static int sds_type(const sds s) {
    return (unsigned char)s[-1] & SDS_TYPE_MASK;
}

static size_t hdr_size(int type) {
    switch (type) {
    case SDS_TYPE_8: return sizeof(struct sdshdr8);
    case SDS_TYPE_16: return sizeof(struct sdshdr16);
    case SDS_TYPE_32: return sizeof(struct sdshdr32);
    default: return sizeof(struct sdshdr64);
    }
}

static size_t type_max(int type) {
    switch (type) {
    case SDS_TYPE_8: return UINT8_MAX;
    case SDS_TYPE_16: return UINT16_MAX;
    case SDS_TYPE_32: return UINT32_MAX;
    default: return SIZE_MAX;
    }
}

/* Smallest header type whose fields can hold a capacity of cap bytes. */
static int type_for(size_t cap) {
    if (cap <= UINT8_MAX) return SDS_TYPE_8;
    if (cap <= UINT16_MAX) return SDS_TYPE_16;
    if (cap <= UINT32_MAX) return SDS_TYPE_32;
    return SDS_TYPE_64;
}

static void set_alloc(sds s, size_t cap) {
    switch (sds_type(s)) {
    case SDS_TYPE_8: SDS_HDR(8, s)->alloc = (uint8_t)cap; break;
    case SDS_TYPE_16: SDS_HDR(16, s)->alloc = (uint16_t)cap; break;
    case SDS_TYPE_32: SDS_HDR(32, s)->alloc = (uint32_t)cap; break;
    default: SDS_HDR(64, s)->alloc = cap; break;
    }
}

/* Total block size for a header type and capacity; aborts on overflow. */
static size_t block_len(size_t hl, size_t cap) {
    SDS_ASSERT(cap < SIZE_MAX - hl - 1);
    return hl + cap + 1;
}

/* Record the capacity the allocator really gave mem (capped by type). */
static void set_usable_alloc(sds s, void *mem, size_t hl) {
    size_t usable = zmalloc_size(mem) - hl - 1;
    size_t max = type_max(sds_type(s));
    set_alloc(s, usable > max ? max : usable);
}

/* ---------------------------------------------------------------- creation */

size_t sdsInPlaceSize(int type, size_t len) {
    return hdr_size(type) + len + 1;
}

sds sdsInitInPlace(void *mem, int type, const void *init, size_t len) {
    SDS_ASSERT(len <= type_max(type));
    sds s = (char *)mem + hdr_size(type);
    s[-1] = (char)type;
    sdssetlen(s, len);
    set_alloc(s, len);
    if (len) memcpy(s, init, len);
    s[len] = '\0';
    return s;
}


sds sdsnewlen(const void *init, size_t initlen) {
    int type = type_for(initlen);
    size_t hl = hdr_size(type);
    char *mem = zmalloc(block_len(hl, initlen));
    sds s = mem + hl;
    s[-1] = (char)type;
    sdssetlen(s, initlen);
    set_usable_alloc(s, mem, hl);
    if (init == NULL)
        memset(s, 0, initlen);
    else if (init != SDS_NOINIT && initlen)
        memcpy(s, init, initlen);
    s[initlen] = '\0';
    return s;
}

sds sdsempty(void) {
    return sdsnewlen("", 0);
}

sds sdsnew(const char *init) {
    return init ? sdsnewlen(init, strlen(init)) : sdsempty();
}

sds sdsdup(const sds s) {
    return sdsnewlen(s, sdslen(s));
}

sds sdsfromlonglong(long long value) {
    char buf[LONG_STR_SIZE];
    int len = ll2string(buf, sizeof(buf), value);
    return sdsnewlen(buf, (size_t)len);
}

void sdsfree(sds s) {
    if (s) zfree(sdsAllocPtr(s));
}

/* ---------------------------------------------------------------- capacity */

void *sdsAllocPtr(const sds s) {
    return s - hdr_size(sds_type(s));
}

size_t sdsAllocSize(const sds s) {
    return hdr_size(sds_type(s)) + sdsalloc(s) + 1;
}

/* Move s to a block of capacity cap (>= sdslen(s)), changing the header
 * type if needed. */
static sds sds_set_capacity(sds s, size_t cap) {
    int oldtype = sds_type(s), type = type_for(cap);
    size_t hl = hdr_size(type), len = sdslen(s);
    char *mem;
    if (type == oldtype) {
        mem = zrealloc(sdsAllocPtr(s), block_len(hl, cap));
    } else {
        mem = zmalloc(block_len(hl, cap));
        memcpy(mem + hl, s, len + 1);
        zfree(sdsAllocPtr(s));
        mem[hl - 1] = (char)type;
    }
    s = mem + hl;
    sdssetlen(s, len);
    set_usable_alloc(s, mem, hl);
    return s;
}

static sds sds_grow(sds s, size_t addlen, int greedy) {
    size_t len = sdslen(s);
    if (sdsavail(s) >= addlen) return s;
    SDS_ASSERT(len + addlen > len);
    size_t want = len + addlen;
    if (greedy) {
        if (want < SDS_MAX_PREALLOC)
            want *= 2;
        else if (want < SIZE_MAX / 2)
            want += SDS_MAX_PREALLOC;
    }
    return sds_set_capacity(s, want);
}

sds sdsMakeRoomFor(sds s, size_t addlen) {
    return sds_grow(s, addlen, 1);
}

sds sdsMakeRoomForNonGreedy(sds s, size_t addlen) {
    return sds_grow(s, addlen, 0);
}

void sdsIncrLen(sds s, ssize_t incr) {
    size_t len = sdslen(s);
    if (incr >= 0)
        SDS_ASSERT(sdsavail(s) >= (size_t)incr);
    else
        SDS_ASSERT(len >= (size_t)-incr);
    len += (size_t)incr;
    sdssetlen(s, len);
    s[len] = '\0';
}

sds sdsResize(sds s, size_t size) {
    if (size < sdslen(s)) {
        sdssetlen(s, size);
        s[size] = '\0';
    }
    if (sdsalloc(s) == size) return s;
    return sds_set_capacity(s, size);
}

sds sdsRemoveFreeSpace(sds s) {
    return sdsResize(s, sdslen(s));
}

/* ------------------------------------------------------- append and copy */

sds sdscatlen(sds s, const void *t, size_t len) {
    size_t cur = sdslen(s);
    s = sdsMakeRoomFor(s, len);
    if (len) memcpy(s + cur, t, len);
    sdssetlen(s, cur + len);
    s[cur + len] = '\0';
    return s;
}

sds sdscat(sds s, const char *t) {
    return sdscatlen(s, t, strlen(t));
}

sds sdscatsds(sds s, const sds t) {
    return sdscatlen(s, t, sdslen(t));
}

sds sdscpylen(sds s, const char *t, size_t len) {
    if (sdsalloc(s) < len) s = sdsMakeRoomFor(s, len - sdslen(s));
    if (len) memcpy(s, t, len);
    s[len] = '\0';
    sdssetlen(s, len);
    return s;
}

sds sdscpy(sds s, const char *t) {
    return sdscpylen(s, t, strlen(t));
}

/* Short results are formatted on the stack; long ones straight into s
 * after a second vsnprintf pass once the size is known. */
sds sdscatvprintf(sds s, const char *fmt, va_list ap) {
    char stackbuf[1024];
    va_list cpy;
    va_copy(cpy, ap);
    int n = vsnprintf(stackbuf, sizeof(stackbuf), fmt, cpy);
    va_end(cpy);
    if (n < 0) return s;
    if ((size_t)n < sizeof(stackbuf)) return sdscatlen(s, stackbuf, (size_t)n);
    size_t cur = sdslen(s);
    s = sdsMakeRoomFor(s, (size_t)n);
    va_copy(cpy, ap);
    vsnprintf(s + cur, (size_t)n + 1, fmt, cpy);
    va_end(cpy);
    sdsIncrLen(s, n);
    return s;
}

sds sdscatprintf(sds s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    s = sdscatvprintf(s, fmt, ap);
    va_end(ap);
    return s;
}

/* One conversion of sdscatfmt; spec is the character after '%'. */
static sds fmt_one(sds s, char spec, va_list *ap) {
    char num[LONG_STR_SIZE];
    int n;
    switch (spec) {
    case 's': return sdscat(s, va_arg(*ap, const char *));
    case 'S': {
        sds str = va_arg(*ap, sds);
        return sdscatlen(s, str, sdslen(str));
    }
    case 'i': n = ll2string(num, sizeof(num), va_arg(*ap, int)); break;
    case 'I': n = ll2string(num, sizeof(num), va_arg(*ap, long long)); break;
    case 'u': n = ull2string(num, sizeof(num), va_arg(*ap, unsigned int)); break;
    case 'U': n = ull2string(num, sizeof(num), va_arg(*ap, unsigned long long)); break;
    case '\0': return sdscatlen(s, "%", 1);
    default: return sdscatlen(s, &spec, 1);
    }
    return sdscatlen(s, num, (size_t)n);
}

sds sdscatfmt(sds s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    s = sdsMakeRoomFor(s, strlen(fmt));
    const char *f = fmt;
    while (*f) {
        const char *pct = strchr(f, '%');
        if (pct == NULL) {
            s = sdscat(s, f);
            break;
        }
        s = sdscatlen(s, f, (size_t)(pct - f));
        s = fmt_one(s, pct[1], &ap);
        f = pct[1] ? pct + 2 : pct + 1;
    }
    va_end(ap);
    return s;
}

/* The two-character escape for c, or 0 if c has none. */
static char repr_escape(unsigned char c) {
    switch (c) {
    case '\\': return '\\';
    case '"': return '"';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    case '\a': return 'a';
    case '\b': return 'b';
    default: return 0;
    }
}

sds sdscatrepr(sds s, const char *p, size_t len) {
    static const char hex[] = "0123456789abcdef";
    s = sdsMakeRoomFor(s, len + 2);
    s = sdscatlen(s, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        char esc = repr_escape(c), out[4] = {'\\', esc, 0, 0};
        if (esc) {
            s = sdscatlen(s, out, 2);
        } else if (isprint(c)) {
            s = sdscatlen(s, p + i, 1);
        } else {
            out[1] = 'x';
            out[2] = hex[c >> 4];
            out[3] = hex[c & 15];
            s = sdscatlen(s, out, 4);
        }
    }
    return sdscatlen(s, "\"", 1);
}

/* --------------------------------------------------------- in-place edits */

sds sdstrim(sds s, const char *cset) {
    size_t len = sdslen(s), clen = strlen(cset), b = 0, e = len;
    while (b < e && memchr(cset, s[b], clen)) b++;
    while (e > b && memchr(cset, s[e - 1], clen)) e--;
    if (b) memmove(s, s + b, e - b);
    s[e - b] = '\0';
    sdssetlen(s, e - b);
    return s;
}

void sdssubstr(sds s, size_t start, size_t len) {
    size_t oldlen = sdslen(s);
    if (start >= oldlen) start = len = 0;
    if (len > oldlen - start) len = oldlen - start;
    if (len && start) memmove(s, s + start, len);
    s[len] = '\0';
    sdssetlen(s, len);
}

void sdsrange(sds s, ssize_t start, ssize_t end) {
    ssize_t len = (ssize_t)sdslen(s);
    if (len == 0) return;
    if (start < 0 && (start += len) < 0) start = 0;
    if (end < 0 && (end += len) < 0) end = 0;
    if (end >= len) end = len - 1;
    if (start > end || start >= len) {
        sdssubstr(s, 0, 0);
        return;
    }
    sdssubstr(s, (size_t)start, (size_t)(end - start + 1));
}

void sdsclear(sds s) {
    sdssetlen(s, 0);
    s[0] = '\0';
}

void sdsupdatelen(sds s) {
    sdssetlen(s, strlen(s));
}

void sdstolower(sds s) {
    size_t len = sdslen(s);
    for (size_t i = 0; i < len; i++) s[i] = (char)tolower((unsigned char)s[i]);
}

void sdstoupper(sds s) {
    size_t len = sdslen(s);
    for (size_t i = 0; i < len; i++) s[i] = (char)toupper((unsigned char)s[i]);
}

sds sdsmapchars(sds s, const char *from, const char *to, size_t setlen) {
    size_t len = sdslen(s);
    for (size_t i = 0; i < len; i++) {
        const char *hit = memchr(from, s[i], setlen);
        if (hit) s[i] = to[hit - from];
    }
    return s;
}

/* ------------------------------------------------------------- inspection */

int sdscmp(const sds s1, const sds s2) {
    size_t l1 = sdslen(s1), l2 = sdslen(s2);
    int cmp = memcmp(s1, s2, l1 < l2 ? l1 : l2);
    if (cmp) return cmp;
    return l1 < l2 ? -1 : (l1 > l2);
}

int sdsneedsrepr(const sds s) {
    size_t len = sdslen(s);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' || c == '"' || isspace(c) || !isprint(c)) return 1;
    }
    return 0;
}

/* ------------------------------------------------------------- splitting */

/* Append item to a zmalloc'ed array of sds, doubling its capacity. */
static sds *push_token(sds *v, int *n, int *cap, sds item) {
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 4;
        v = zrealloc(v, sizeof(sds) * (size_t)*cap);
    }
    v[(*n)++] = item;
    return v;
}

sds *sdssplitlen(const char *s, ssize_t len, const char *sep, int seplen, int *count) {
    int n = 0, cap = 4;
    *count = 0;
    if (len < 0 || seplen < 1) return NULL;
    sds *tokens = zmalloc(sizeof(sds) * (size_t)cap);
    if (len == 0) return tokens;
    const char *cur = s, *end = s + len, *hit;
    while ((hit = memmem(cur, (size_t)(end - cur), sep, (size_t)seplen)) != NULL) {
        tokens = push_token(tokens, &n, &cap, sdsnewlen(cur, (size_t)(hit - cur)));
        cur = hit + seplen;
    }
    tokens = push_token(tokens, &n, &cap, sdsnewlen(cur, (size_t)(end - cur)));
    *count = n;
    return tokens;
}

void sdsfreesplitres(sds *tokens, int count) {
    if (!tokens) return;
    for (int i = 0; i < count; i++) sdsfree(tokens[i]);
    zfree(tokens);
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static char unescape(char c) {
    switch (c) {
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'b': return '\b';
    case 'a': return '\a';
    default: return c;
    }
}

/* Inside "double quotes" at *pp (just after the opening quote): append the
 * content to *cur and leave *pp after the closing quote. 0 if the quote is
 * never closed. */
static int read_dquoted(const char **pp, const char *end, sds *cur) {
    const char *p = *pp;
    while (p < end && *p != '"') {
        char c = *p;
        if (c == '\\' && end - p >= 4 && p[1] == 'x' && hexval(p[2]) >= 0 && hexval(p[3]) >= 0) {
            c = (char)(hexval(p[2]) * 16 + hexval(p[3]));
            p += 3;
        } else if (c == '\\' && end - p >= 2) {
            c = unescape(*++p);
        }
        *cur = sdscatlen(*cur, &c, 1);
        p++;
    }
    if (p == end) return 0;
    *pp = p + 1;
    return 1;
}

/* Same for 'single quotes', where only \' is an escape. */
static int read_squoted(const char **pp, const char *end, sds *cur) {
    const char *p = *pp;
    while (p < end && *p != '\'') {
        if (*p == '\\' && end - p >= 2 && p[1] == '\'') p++;
        *cur = sdscatlen(*cur, p, 1);
        p++;
    }
    if (p == end) return 0;
    *pp = p + 1;
    return 1;
}

/* Whether c ends an unquoted argument. Only these four do, as in Redis:
 * '\v' and '\f' are skipped between arguments but kept inside one. */
static int ends_bare_arg(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Read one argument starting at a non-space byte. A quoted section must be
 * followed by a space or the end of the line. Returns 0 on a syntax error. */
static int read_arg(const char **pp, const char *end, sds *cur) {
    const char *p = *pp;
    while (p < end && !ends_bare_arg(*p)) {
        if (*p == '"' || *p == '\'') {
            p++;
            int ok = p[-1] == '"' ? read_dquoted(&p, end, cur) : read_squoted(&p, end, cur);
            if (!ok || (p < end && !isspace((unsigned char)*p))) return 0;
            break;
        }
        const char *run = p;
        while (p < end && !ends_bare_arg(*p) && *p != '"' && *p != '\'') p++;
        *cur = sdscatlen(*cur, run, (size_t)(p - run));
    }
    *pp = p;
    return 1;
}

sds *sdssplitargslen(const char *line, size_t len, int *argc) {
    const char *p = line, *end = memchr(line, '\0', len);
    if (!end) end = line + len;
    sds *v = NULL;
    int n = 0, cap = 0;
    *argc = 0;
    for (;;) {
        while (p < end && isspace((unsigned char)*p)) p++;
        if (p == end) break;
        sds cur = sdsempty();
        if (!read_arg(&p, end, &cur)) {
            sdsfree(cur);
            sdsfreesplitres(v, n);
            return NULL;
        }
        v = push_token(v, &n, &cap, cur);
    }
    if (v == NULL) v = zmalloc(sizeof(sds));
    *argc = n;
    return v;
}

sds *sdssplitargs(const char *line, int *argc) {
    return sdssplitargslen(line, strlen(line), argc);
}

/* ---------------------------------------------------------------- joining */

sds sdsjoin(char **argv, int argc, char *sep) {
    sds join = sdsempty();
    size_t seplen = strlen(sep);
    for (int i = 0; i < argc; i++) {
        if (i) join = sdscatlen(join, sep, seplen);
        join = sdscat(join, argv[i]);
    }
    return join;
}

sds sdsjoinsds(sds *argv, int argc, const char *sep, size_t seplen) {
    sds join = sdsempty();
    for (int i = 0; i < argc; i++) {
        if (i) join = sdscatlen(join, sep, seplen);
        join = sdscatsds(join, argv[i]);
    }
    return join;
}

/* Grows s to at least len bytes, the new bytes being zero; a shorter or
 * equal len changes nothing. Returns the (possibly moved) sds: the argument
 * is no longer valid. */
sds sdsgrowzero(sds s, size_t len) {
    size_t cur = sdslen(s);
    if (len <= cur) return s;
    s = sdsMakeRoomFor(s, len - cur);
    memset(s + cur, 0, len - cur);
    sdsIncrLen(s, (ssize_t)(len - cur));
    return s;
}
