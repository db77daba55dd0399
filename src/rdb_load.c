/* rdb_load.c — reading the RDB format: values (for RESTORE and files) and
 * whole files, every version from 1 to 12.
 *
 * Every byte read here is untrusted. A length is never believed before the
 * bytes behind it arrive: strings grow as they are read, so a corrupt
 * length fails at the end of the input instead of asking for gigabytes;
 * an LZF block may not claim more than LZF can expand to; a compact
 * encoding (listpack, intset, ziplist, zipmap) is validated entry by entry
 * before anything walks it, and whatever a type's code asserts (pairs in a
 * hash listpack, no NaN score, a known quicklist container) is checked
 * here first. With deep validation (sanitize-dump-payload), duplicates
 * inside compact encodings are looked for too. A value that fails comes
 * back as NULL with a reason; a file that fails is refused with a log line
 * naming the offset, the key and the reason.
 *
 * Old encodings become today's: ziplists and zipmaps are converted to
 * listpacks (ziplist.h), and every value then gets the encoding the type
 * code would give it by the same thresholds (hash-max-listpack-*,
 * set-max-intset-entries, zset-max-listpack-*, list-max-listpack-size).
 * Version 11 (Redis 7.2) adds listpack sets, which become intsets or hash
 * tables. What Ember cannot hold — module values, version 12's
 * hashes with field expiries, function libraries — is refused naming the
 * key and the reason, or skipped with a warning for each when
 * rdb-load-skip-unsupported is on. Module aux fields carry no key and are
 * skipped with a warning.
 */
#include "server.h"
#include "t_stream.h"
#include "rdb.h"
#include "loading.h"
#include "evict.h"
#include "function.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "intset.h"
#include "lzf.h"
#include "ziplist.h"

/* The result of the last whole-file load (INFO rdb_last_load_*). Mutable
 * file state: only a load writes it. */
static rdbLoadInfo last_load;

const rdbLoadInfo *rdbLastLoad(void) {
    return &last_load;
}

/* --------------------------------------------------------- primitives */

int rdbLoadType(rio *r) {
    unsigned char t;
    return rioRead(r, &t, 1) ? t : -1;
}

uint64_t rdbLoadLen(rio *r, int *isencoded) {
    unsigned char buf[8];
    if (isencoded) *isencoded = 0;
    if (!rioRead(r, buf, 1)) return RDB_LENERR;
    int type = (buf[0] & 0xC0) >> 6;
    if (type == RDB_ENCVAL) {
        if (isencoded) *isencoded = 1;
        return buf[0] & 0x3F;
    }
    if (type == RDB_6BITLEN) return buf[0] & 0x3F;
    if (type == RDB_14BITLEN) {
        unsigned char b;
        if (!rioRead(r, &b, 1)) return RDB_LENERR;
        return ((uint64_t)(buf[0] & 0x3F) << 8) | b;
    }
    size_t n = buf[0] == RDB_32BITLEN ? 4 : buf[0] == RDB_64BITLEN ? 8 : 0;
    if (n == 0 || !rioRead(r, buf, n)) return RDB_LENERR;
    uint64_t len = 0;
    for (size_t i = 0; i < n; i++) len = (len << 8) | buf[i];
    return len;
}

/* A length that must not be a string special. */
static int rdbLoadPlainLen(rio *r, uint64_t *len) {
    int enc;
    *len = rdbLoadLen(r, &enc);
    return *len != RDB_LENERR && !enc;
}

static int rdbLoadMillis(rio *r, long long *ms) {
    unsigned char b[8];
    if (!rioRead(r, b, 8)) return 0;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | b[i];
    *ms = (long long)v;
    return 1;
}

static int rdbLoadSeconds(rio *r, long long *ms) {
    unsigned char b[4];
    if (!rioRead(r, b, 4)) return 0;
    int32_t v = (int32_t)((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);
    *ms = (long long)v * 1000;
    return 1;
}

static int rdbLoadBinaryDouble(rio *r, double *v) {
    return rioRead(r, v, 8);
}

/* A score of the old ZSET type: a length byte (253 nan, 254 +inf, 255
 * -inf) and that many bytes of text. */
static int rdbLoadTextDouble(rio *r, double *v) {
    unsigned char len;
    char buf[256];
    if (!rioRead(r, &len, 1)) return 0;
    if (len == 253) *v = NAN;
    else if (len == 254) *v = INFINITY;
    else if (len == 255) *v = -INFINITY;
    else {
        if (!rioRead(r, buf, len)) return 0;
        buf[len] = '\0';
        char *end;
        *v = strtod(buf, &end);
        if (end != buf + len) return 0;
    }
    return 1;
}

/* ------------------------------------------------------------ strings */

/* Reads len bytes into a zmalloc'ed buffer grown as they arrive (a
 * corrupt length runs out of input, not of memory). NULL on a short read. */
static unsigned char *rdbReadBlock(rio *r, size_t len) {
    size_t cap = len < (1 << 20) ? len : (1 << 20);
    unsigned char *buf = zmalloc(cap ? cap : 1);
    size_t have = 0;
    while (have < len) {
        size_t want = len - have;
        if (have == cap) {
            cap = cap * 2 < len ? cap * 2 : len;
            buf = zrealloc(buf, cap);
        }
        if (want > cap - have) want = cap - have;
        if (!rioRead(r, buf + have, want)) {
            zfree(buf);
            return NULL;
        }
        have += want;
    }
    return buf;
}

/* An LZF block: compressed and original lengths, then the data. */
static unsigned char *rdbLoadLzf(rio *r, size_t *lenptr) {
    uint64_t clen, len;
    if (!rdbLoadPlainLen(r, &clen) || !rdbLoadPlainLen(r, &len)) return NULL;
    /* LZF expands at most about 88 times (264 bytes from a 3-byte item). */
    if (len == 0 || clen == 0 || clen > UINT32_MAX || len > UINT32_MAX || len / 90 > clen + 1) return NULL;
    unsigned char *c = rdbReadBlock(r, clen);
    if (!c) return NULL;
    unsigned char *out = zmalloc(len);
    unsigned int got = lzf_decompress(c, (unsigned int)clen, out, (unsigned int)len);
    zfree(c);
    if (got != len) {
        zfree(out);
        return NULL;
    }
    *lenptr = len;
    return out;
}

/* A string record as a zmalloc'ed buffer of *lenptr bytes (integers as
 * their text). *intval/is_int (when not NULL) report an integer special,
 * so callers may keep it as a number. NULL on error. */
static unsigned char *rdbLoadBuffer(rio *r, size_t *lenptr, long long *intval, int *is_int) {
    int enc;
    uint64_t len = rdbLoadLen(r, &enc);
    if (len == RDB_LENERR) return NULL;
    if (is_int) *is_int = 0;
    if (!enc) {
        *lenptr = len;
        return rdbReadBlock(r, len);
    }
    if (len == RDB_ENC_LZF) return rdbLoadLzf(r, lenptr);
    unsigned char b[4];
    long long v;
    if (len == RDB_ENC_INT8) {
        if (!rioRead(r, b, 1)) return NULL;
        v = (int8_t)b[0];
    } else if (len == RDB_ENC_INT16) {
        if (!rioRead(r, b, 2)) return NULL;
        v = (int16_t)((uint16_t)b[0] | (uint16_t)b[1] << 8);
    } else if (len == RDB_ENC_INT32) {
        if (!rioRead(r, b, 4)) return NULL;
        v = (int32_t)((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);
    } else {
        return NULL;
    }
    if (is_int) *is_int = 1;
    if (intval) *intval = v;
    char txt[LONG_STR_SIZE];
    int n = ll2string(txt, sizeof(txt), v);
    unsigned char *out = zmalloc((size_t)n);
    memcpy(out, txt, (size_t)n);
    *lenptr = (size_t)n;
    return out;
}

/* A string record as a new sds, or NULL. */
static sds rdbLoadSds(rio *r) {
    size_t len;
    unsigned char *buf = rdbLoadBuffer(r, &len, NULL, NULL);
    if (!buf) return NULL;
    sds s = sdsnewlen(buf, len);
    zfree(buf);
    return s;
}

/* A string value, in the encoding the string commands would give it. */
static robj *rdbLoadStringValue(rio *r) {
    size_t len;
    long long v;
    int is_int;
    unsigned char *buf = rdbLoadBuffer(r, &len, &v, &is_int);
    if (!buf) return NULL;
    robj *o;
    if (is_int) {
        o = createStringObjectFromLongLongForValue(v);
    } else {
        o = tryObjectEncoding(createStringObject((char *)buf, len));
    }
    zfree(buf);
    return o;
}

/* -------------------------------------------------- compact encodings */

/* Text of the listpack entry at p into buf (LP_INTBUF_SIZE), as
 * pointer/length. */
static unsigned char *lpEntryText(unsigned char *p, unsigned char *buf, size_t *len) {
    int64_t n;
    unsigned char *s = lpGet(p, &n, buf);
    *len = (size_t)n;
    return s;
}

/* 1 when the listpack has no two equal entries at positions that are
 * multiples of `step` (members of a set, fields of a hash, members of a
 * sorted set). */
static int lpHasNoDuplicates(unsigned char *lp, int step) {
    dict *seen = dictCreate(&sdsSetDictType);
    int ok = 1, pos = 0;
    for (unsigned char *p = lpFirst(lp); p && ok; p = lpNext(lp, p), pos++) {
        if (pos % step) continue;
        unsigned char buf[LP_INTBUF_SIZE];
        size_t len;
        unsigned char *s = lpEntryText(p, buf, &len);
        sds k = sdsnewlen(s, len);
        if (dictAdd(seen, k, NULL) != DICT_OK) {
            sdsfree(k);
            ok = 0;
        }
    }
    dictRelease(seen);
    return ok;
}

/* Checks a listpack read from a record: well formed, and its element count
 * a multiple of `step` (2 for pairs). Returns a reason or NULL. */
static const char *lpCheck(unsigned char *lp, size_t len, int step, int deep) {
    if (!lpValidateIntegrity(lp, len, 1, NULL, NULL)) return "invalid listpack";
    unsigned long n = lpLength(lp);
    if (n == 0) return NULL;
    if (n % (unsigned long)step) return "listpack with an odd number of entries";
    if (deep && !lpHasNoDuplicates(lp, step)) return "listpack with duplicate entries";
    return NULL;
}

/* Every odd entry of a sorted-set listpack must be a score. */
static int lpScoresValid(unsigned char *lp) {
    int pos = 0;
    for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, p), pos++) {
        if (!(pos & 1)) continue;
        unsigned char buf[LP_INTBUF_SIZE];
        size_t len;
        unsigned char *s = lpEntryText(p, buf, &len);
        double d;
        if (len > 0 && len < 128) {
            char txt[128];
            memcpy(txt, s, len);
            txt[len] = '\0';
            char *end;
            d = strtod(txt, &end);
            if (end != txt + len || isnan(d)) return 0;
        } else {
            return 0;
        }
    }
    return 1;
}

/* The state of a value being read, shared by the per-type readers. */
typedef struct {
    rio *r;
    int deep;
    int error;
    const char *reason;
} loadCtx;

static robj *loadFail(loadCtx *ctx, int error, const char *reason) {
    ctx->error = error;
    ctx->reason = reason;
    return NULL;
}

static robj *loadCorrupt(loadCtx *ctx, const char *reason) {
    return loadFail(ctx, RDB_LOAD_ERR_CORRUPT, reason);
}

/* A listpack blob (a string record) checked by lpCheck. */
static unsigned char *loadListpackBlob(loadCtx *ctx, int step, unsigned long *count) {
    size_t len;
    unsigned char *lp = rdbLoadBuffer(ctx->r, &len, NULL, NULL);
    if (!lp) {
        loadCorrupt(ctx, "short read");
        return NULL;
    }
    const char *why = lpCheck(lp, len, step, ctx->deep);
    if (why) {
        zfree(lp);
        loadCorrupt(ctx, why);
        return NULL;
    }
    *count = lpLength(lp);
    return lp;
}

/* A ziplist blob converted to a listpack, then checked like one. */
static unsigned char *loadZiplistBlob(loadCtx *ctx, int step, unsigned long *count) {
    size_t len;
    unsigned char *zl = rdbLoadBuffer(ctx->r, &len, NULL, NULL);
    if (!zl) {
        loadCorrupt(ctx, "short read");
        return NULL;
    }
    unsigned char *lp = ziplistToListpack(zl, len, count);
    zfree(zl);
    if (!lp) {
        loadCorrupt(ctx, "invalid ziplist");
        return NULL;
    }
    const char *why = lpCheck(lp, lpBytes(lp), step, ctx->deep);
    if (why) {
        lpFree(lp);
        loadCorrupt(ctx, why);
        return NULL;
    }
    return lp;
}

/* ---------------------------------------------------------------- lists */

/* A list from the elements of a listpack (taken and freed), pushed one by
 * one so the quicklist's fill applies. */
static robj *listFromListpack(unsigned char *lp) {
    robj *o = createQuicklistObject();
    for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, p)) {
        unsigned char buf[LP_INTBUF_SIZE];
        size_t len;
        unsigned char *s = lpEntryText(p, buf, &len);
        quicklistPushTail(o->ptr, s, len);
    }
    lpFree(lp);
    return o;
}

static robj *loadListElements(loadCtx *ctx) {
    uint64_t len;
    if (!rdbLoadPlainLen(ctx->r, &len)) return loadCorrupt(ctx, "short read");
    if (len == 0) return loadFail(ctx, RDB_LOAD_ERR_EMPTY_KEY, "empty list");
    robj *o = createQuicklistObject();
    while (len--) {
        size_t n;
        unsigned char *s = rdbLoadBuffer(ctx->r, &n, NULL, NULL);
        if (!s) {
            decrRefCount(o);
            return loadCorrupt(ctx, "short read");
        }
        quicklistPushTail(o->ptr, s, n);
        zfree(s);
    }
    return o;
}

static robj *loadListZiplist(loadCtx *ctx) {
    unsigned long count;
    unsigned char *lp = loadZiplistBlob(ctx, 1, &count);
    if (!lp) return NULL;
    if (count == 0) {
        lpFree(lp);
        return loadFail(ctx, RDB_LOAD_ERR_EMPTY_KEY, "empty list");
    }
    return listFromListpack(lp);
}

/* RDB_TYPE_LIST_QUICKLIST (nodes are ziplists) and _2 (a container kind,
 * then a listpack or a plain element). */
static robj *loadQuicklist(loadCtx *ctx, int v2) {
    uint64_t nodes;
    if (!rdbLoadPlainLen(ctx->r, &nodes)) return loadCorrupt(ctx, "short read");
    robj *o = createQuicklistObject();
    quicklist *ql = o->ptr;
    while (nodes--) {
        uint64_t container = QUICKLIST_NODE_CONTAINER_PACKED;
        if (v2 && (!rdbLoadPlainLen(ctx->r, &container) ||
                   (container != QUICKLIST_NODE_CONTAINER_PACKED && container != QUICKLIST_NODE_CONTAINER_PLAIN))) {
            decrRefCount(o);
            return loadCorrupt(ctx, "invalid quicklist container");
        }
        if (container == QUICKLIST_NODE_CONTAINER_PLAIN) {
            size_t len;
            unsigned char *data = rdbLoadBuffer(ctx->r, &len, NULL, NULL);
            if (!data) {
                decrRefCount(o);
                return loadCorrupt(ctx, "short read");
            }
            quicklistAppendPlainNode(ql, data, len);
            continue;
        }
        unsigned long count;
        unsigned char *lp = v2 ? loadListpackBlob(ctx, 1, &count) : loadZiplistBlob(ctx, 1, &count);
        if (!lp) {
            decrRefCount(o);
            return NULL;
        }
        if (count > UINT16_MAX) {
            lpFree(lp);
            decrRefCount(o);
            return loadCorrupt(ctx, "quicklist node with too many entries");
        }
        if (count == 0)
            lpFree(lp);
        else
            quicklistAppendListpack(ql, lp);
    }
    if (quicklistCount(ql) == 0) {
        decrRefCount(o);
        return loadFail(ctx, RDB_LOAD_ERR_EMPTY_KEY, "empty list");
    }
    return o;
}

/* ----------------------------------------------------------------- sets */

/* Adds member (taken) to a set being loaded. 0 if it was there already. */
static int loadSetAdd(robj *o, sds member) {
    int added = setTypeAdd(o, member);
    sdsfree(member);
    return added;
}

static robj *loadSetElements(loadCtx *ctx) {
    uint64_t len;
    if (!rdbLoadPlainLen(ctx->r, &len)) return loadCorrupt(ctx, "short read");
    if (len == 0) return loadFail(ctx, RDB_LOAD_ERR_EMPTY_KEY, "empty set");
    robj *o = len <= server.encoding.set_max_intset_entries ? createIntsetObject() : createSetObject();
    if (o->encoding == OBJ_ENCODING_HT && len <= (1 << 20)) setTableExpand(o->ptr, len);
    while (len--) {
        sds m = rdbLoadSds(ctx->r);
        if (!m) {
            decrRefCount(o);
            return loadCorrupt(ctx, "short read");
        }
        if (o->encoding == OBJ_ENCODING_INTSET) {
            long long v;
            if (!string2ll(m, sdslen(m), &v)) setTypeConvert(o, OBJ_ENCODING_HT);
        }
        if (!loadSetAdd(o, m)) {
            decrRefCount(o);
            return loadCorrupt(ctx, "duplicate set members");
        }
    }
    return o;
}

static robj *loadSetIntset(loadCtx *ctx) {
    size_t len;
    unsigned char *blob = rdbLoadBuffer(ctx->r, &len, NULL, NULL);
    if (!blob) return loadCorrupt(ctx, "short read");
    if (!intsetValidateIntegrity(blob, len, 1)) {
        zfree(blob);
        return loadCorrupt(ctx, "invalid intset");
    }
    robj *o = createObject(OBJ_SET, blob);
    o->encoding = OBJ_ENCODING_INTSET;
    if (intsetLen(o->ptr) == 0) {
        decrRefCount(o);
        return loadFail(ctx, RDB_LOAD_ERR_EMPTY_KEY, "empty set");
    }
    if (intsetLen(o->ptr) > server.encoding.set_max_intset_entries) setTypeConvert(o, OBJ_ENCODING_HT);
    return o;
}

/* Version 11's listpack sets: 7.0 keeps an intset or a hash table. */
static robj *loadSetListpack(loadCtx *ctx) {
    unsigned long count;
    unsigned char *lp = loadListpackBlob(ctx, 1, &count);
    if (!lp) return NULL;
    if (count == 0) {
        lpFree(lp);
        return loadFail(ctx, RDB_LOAD_ERR_EMPTY_KEY, "empty set");
    }
    robj *o = count <= server.encoding.set_max_intset_entries ? createIntsetObject() : createSetObject();
    for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, p)) {
        unsigned char buf[LP_INTBUF_SIZE];
        size_t len;
        unsigned char *s = lpEntryText(p, buf, &len);
        sds m = sdsnewlen(s, len);
        long long v;
        if (o->encoding == OBJ_ENCODING_INTSET && !string2ll(m, len, &v)) setTypeConvert(o, OBJ_ENCODING_HT);
        if (!loadSetAdd(o, m)) {
            lpFree(lp);
            decrRefCount(o);
            return loadCorrupt(ctx, "duplicate set members");
        }
    }
    lpFree(lp);
    return o;
}

/* ---------------------------------------------------------- sorted sets */

static robj *loadZsetElements(loadCtx *ctx, int binary) {
    uint64_t len;
    if (!rdbLoadPlainLen(ctx->r, &len)) return loadCorrupt(ctx, "short read");
    if (len == 0) return loadFail(ctx, RDB_LOAD_ERR_EMPTY_KEY, "empty sorted set");
    robj *o = zsetCreate((size_t)-1, 0);
    size_t maxelelen = 0, totelelen = 0;
    while (len--) {
        sds m = rdbLoadSds(ctx->r);
        double score;
        int ok = m && (binary ? rdbLoadBinaryDouble(ctx->r, &score) : rdbLoadTextDouble(ctx->r, &score));
        const char *why = ok ? (isnan(score) ? "sorted set with a NaN score" : NULL) : "short read";
        int out = 0;
        if (!why) {
            zsetAdd(o, score, m, ZADD_IN_NONE, &out, NULL);
            if (!(out & ZADD_OUT_ADDED)) why = "duplicate sorted set members";
        }
        if (why) {
            sdsfree(m);
            decrRefCount(o);
            return loadCorrupt(ctx, why);
        }
        if (sdslen(m) > maxelelen) maxelelen = sdslen(m);
        totelelen += sdslen(m);
        sdsfree(m);
    }
    zsetConvertToListpackIfNeeded(o, maxelelen, totelelen);
    return o;
}

/* A sorted-set listpack (from a listpack or a converted ziplist). */
static robj *zsetFromListpack(loadCtx *ctx, unsigned char *lp, unsigned long count) {
    if (count == 0) {
        lpFree(lp);
        return loadFail(ctx, RDB_LOAD_ERR_EMPTY_KEY, "empty sorted set");
    }
    if (!lpScoresValid(lp)) {
        lpFree(lp);
        return loadCorrupt(ctx, "sorted set listpack with an invalid score");
    }
    robj *o = createObject(OBJ_ZSET, lp);
    o->encoding = OBJ_ENCODING_LISTPACK;
    if (count / 2 > server.encoding.zset_max_listpack_entries) zsetConvert(o, OBJ_ENCODING_SKIPLIST);
    return o;
}

/* --------------------------------------------------------------- hashes */

static robj *loadHashElements(loadCtx *ctx) {
    uint64_t len;
    if (!rdbLoadPlainLen(ctx->r, &len)) return loadCorrupt(ctx, "short read");
    if (len == 0) return loadFail(ctx, RDB_LOAD_ERR_EMPTY_KEY, "empty hash");
    robj *o = createHashObject();
    if (len > server.encoding.hash_max_listpack_entries) {
        hashTypeConvert(o, OBJ_ENCODING_HT);
        if (len <= (1 << 20)) hashTypeExpand(o, len);
    }
    while (len--) {
        sds f = rdbLoadSds(ctx->r);
        sds v = f ? rdbLoadSds(ctx->r) : NULL;
        if (!v) {
            sdsfree(f);
            decrRefCount(o);
            return loadCorrupt(ctx, "short read");
        }
        if (hashTypeSet(o, f, v, HASH_SET_TAKE_FIELD | HASH_SET_TAKE_VALUE)) {
            decrRefCount(o);
            return loadCorrupt(ctx, "duplicate hash fields");
        }
    }
    return o;
}

/* A hash listpack (from a listpack, a ziplist or a zipmap). */
static robj *hashFromListpack(loadCtx *ctx, unsigned char *lp, unsigned long count) {
    if (count == 0) {
        lpFree(lp);
        return loadFail(ctx, RDB_LOAD_ERR_EMPTY_KEY, "empty hash");
    }
    robj *o = createObject(OBJ_HASH, lp);
    o->encoding = OBJ_ENCODING_LISTPACK;
    if (count / 2 > server.encoding.hash_max_listpack_entries) hashTypeConvert(o, OBJ_ENCODING_HT);
    return o;
}

static robj *loadHashZipmap(loadCtx *ctx) {
    size_t len;
    unsigned char *zm = rdbLoadBuffer(ctx->r, &len, NULL, NULL);
    if (!zm) return loadCorrupt(ctx, "short read");
    unsigned long pairs;
    unsigned char *lp = zipmapToListpack(zm, len, &pairs);
    zfree(zm);
    if (!lp) return loadCorrupt(ctx, "invalid zipmap");
    if (!lpHasNoDuplicates(lp, 2)) {
        lpFree(lp);
        return loadCorrupt(ctx, "duplicate hash fields");
    }
    robj *o = hashFromListpack(ctx, lp, pairs * 2);
    if (o && o->encoding == OBJ_ENCODING_LISTPACK) {
        /* A zipmap may hold values longer than a listpack hash may. */
        hashTypeIterator hi;
        int big = 0;
        hashTypeInitIterator(&hi, o);
        while (!big && hashTypeNext(&hi) != C_ERR) {
            unsigned char *s;
            unsigned int l;
            long long v;
            hashTypeCurrentObject(&hi, OBJ_HASH_KEY, &s, &l, &v);
            if (s && l > server.encoding.hash_max_listpack_value) big = 1;
            hashTypeCurrentObject(&hi, OBJ_HASH_VALUE, &s, &l, &v);
            if (s && l > server.encoding.hash_max_listpack_value) big = 1;
        }
        hashTypeReleaseIterator(&hi);
        if (big) hashTypeConvert(o, OBJ_ENCODING_HT);
    }
    return o;
}

/* ---------------------------------------------------- skipping unknowns */

static int skipString(rio *r) {
    size_t len;
    unsigned char *b = rdbLoadBuffer(r, &len, NULL, NULL);
    zfree(b);
    return b != NULL;
}

static int skipLens(rio *r, int n) {
    uint64_t v;
    while (n--)
        if (!rdbLoadPlainLen(r, &v)) return 0;
    return 1;
}

static int skipBytes(rio *r, size_t n) {
    unsigned char buf[64];
    while (n) {
        size_t k = n < sizeof(buf) ? n : sizeof(buf);
        if (!rioRead(r, buf, k)) return 0;
        n -= k;
    }
    return 1;
}

/* The opcodes of a module value or aux field, up to their EOF. */
static int skipModuleValue(rio *r) {
    for (;;) {
        uint64_t op;
        if (!rdbLoadPlainLen(r, &op)) return 0;
        if (op == RDB_MODULE_OPCODE_EOF) return 1;
        int ok;
        switch (op) {
        case RDB_MODULE_OPCODE_SINT:
        case RDB_MODULE_OPCODE_UINT: ok = skipLens(r, 1); break;
        case RDB_MODULE_OPCODE_FLOAT: ok = skipBytes(r, 4); break;
        case RDB_MODULE_OPCODE_DOUBLE: ok = skipBytes(r, 8); break;
        case RDB_MODULE_OPCODE_STRING: ok = skipString(r); break;
        default: return 0;
        }
        if (!ok) return 0;
    }
}

static int loadStreamID(rio *r, streamID *id) {
    return rdbLoadPlainLen(r, &id->ms) && rdbLoadPlainLen(r, &id->seq);
}

/* A PEL as saved: 16-byte IDs, with (nacks) each NACK's delivery time
 * and count. For a group's PEL the NACKs are created; for a consumer's
 * each ID must be pending in cg and not yet owned, and is given to it.
 * Returns NULL on success, else why the payload is refused. */
static const char *loadPEL(rio *r, streamCG *cg, streamConsumer *consumer) {
    uint64_t n;
    if (!rdbLoadPlainLen(r, &n)) return "short read";
    while (n--) {
        unsigned char key[16];
        if (!rioRead(r, key, 16)) return "short read";
        if (consumer == NULL) {
            long long when;
            uint64_t count;
            if (!rdbLoadMillis(r, &when) || !rdbLoadPlainLen(r, &count)) return "short read";
            streamNACK *nack = streamCreateNACK(NULL, when, count);
            if (!raxTryInsert(cg->pel, key, 16, nack, NULL)) {
                zfree(nack);
                return "duplicate ID in a group's PEL";
            }
            continue;
        }
        streamNACK *nack = raxFind(cg->pel, key, 16);
        if (nack == raxNotFound) return "consumer PEL entry not in its group's PEL";
        if (nack->consumer) return "PEL entry owned by two consumers";
        nack->consumer = consumer;
        raxInsert(consumer->pel, key, 16, nack, NULL);
    }
    return NULL;
}

/* 1 if every pending entry of cg has a consumer. */
static int everyNACKOwned(streamCG *cg) {
    raxIterator it;
    raxStart(&it, cg->pel);
    raxSeek(&it, "^", NULL, 0);
    int ok = 1;
    while (ok && raxNext(&it)) ok = ((streamNACK *)it.data)->consumer != NULL;
    raxStop(&it);
    return ok;
}

static const char *loadConsumers(rio *r, int type, streamCG *cg) {
    uint64_t n;
    if (!rdbLoadPlainLen(r, &n)) return "short read";
    while (n--) {
        size_t len;
        long long seen, active;
        unsigned char *name = rdbLoadBuffer(r, &len, NULL, NULL);
        if (name == NULL) return "short read";
        int ok = rdbLoadMillis(r, &seen) && (type < RDB_TYPE_STREAM_LISTPACKS_3 || rdbLoadMillis(r, &active));
        streamConsumer *consumer = ok ? streamCreateConsumer(cg, (char *)name, len, seen) : NULL;
        zfree(name);
        if (!ok) return "short read";
        if (consumer == NULL) return "duplicate consumer in a group";
        const char *why = loadPEL(r, cg, consumer);
        if (why) return why;
    }
    return everyNACKOwned(cg) ? NULL : "group PEL entry without a consumer";
}

/* The consumer groups of a stream (type 15 has no entries_read: it is
 * estimated as 7.0 does). NULL on success, else why it is refused. */
static const char *loadStreamGroups(rio *r, int type, stream *s) {
    uint64_t n;
    if (!rdbLoadPlainLen(r, &n)) return "short read";
    while (n--) {
        size_t len;
        streamID last;
        uint64_t entries_read;
        unsigned char *name = rdbLoadBuffer(r, &len, NULL, NULL);
        if (name == NULL) return "short read";
        int ok = rdbLoadPlainLen(r, &last.ms) && rdbLoadPlainLen(r, &last.seq);
        if (ok && type >= RDB_TYPE_STREAM_LISTPACKS_2) {
            /* -1 (unknown) is saved as the largest length, which is also
             * what rdbLoadLen returns on errors: tell them apart. */
            int enc;
            entries_read = rdbLoadLen(r, &enc);
            ok = !enc && !rioGetReadError(r);
        } else {
            entries_read = (uint64_t)streamEstimateEntriesRead(s, &last);
        }
        streamCG *cg = ok ? streamCreateCG(s, (char *)name, len, &last, (long long)entries_read) : NULL;
        zfree(name);
        if (!ok) return "short read";
        if (cg == NULL) return "duplicate consumer group";
        const char *why = loadPEL(r, cg, NULL);
        if (!why) why = loadConsumers(r, type, cg);
        if (why) return why;
    }
    return NULL;
}

/* One node of a stream: its 16-byte master ID and its listpack, checked as
 * a listpack and as a stream node. Returns 0 (reason set) when bad. */
static int loadStreamNode(loadCtx *ctx, stream *s, uint64_t *live) {
    size_t klen, len;
    unsigned char *key = rdbLoadBuffer(ctx->r, &klen, NULL, NULL);
    if (!key) return loadCorrupt(ctx, "short read") != NULL;
    if (klen != 16) {
        zfree(key);
        return loadCorrupt(ctx, "stream node key is not a 128-bit ID") != NULL;
    }
    unsigned char *lp = rdbLoadBuffer(ctx->r, &len, NULL, NULL);
    const char *why = !lp ? "short read" : !lpValidateIntegrity(lp, len, 1, NULL, NULL) ? "invalid listpack" : NULL;
    if (!why && !streamValidateNode(lp, live)) why = "stream node with a bad layout";
    if (!why && raxFind(s->rax, key, 16) != raxNotFound) why = "duplicate stream node";
    if (why) {
        zfree(key);
        zfree(lp);
        return loadCorrupt(ctx, why) != NULL;
    }
    raxInsert(s->rax, key, 16, lp, NULL);
    zfree(key);
    return 1;
}

/* A stream of any of the three stream types, with its consumer groups.
 * Its nodes and groups are always checked deeply (a stream node's layout
 * and the PEL links are what every X command trusts). */
static robj *loadStream(loadCtx *ctx, int type) {
    rio *r = ctx->r;
    uint64_t nodes, live = 0;
    if (!rdbLoadPlainLen(r, &nodes)) return loadCorrupt(ctx, "short read");
    robj *o = createStreamObject();
    stream *s = o->ptr;
    for (uint64_t i = 0; i < nodes; i++) {
        uint64_t n;
        if (!loadStreamNode(ctx, s, &n)) {
            decrRefCount(o);
            return NULL;
        }
        live += n;
    }
    int ok = rdbLoadPlainLen(r, &s->length) && loadStreamID(r, &s->last_id);
    if (ok && type >= RDB_TYPE_STREAM_LISTPACKS_2)
        ok = loadStreamID(r, &s->first_id) && loadStreamID(r, &s->max_deleted_entry_id) &&
             rdbLoadPlainLen(r, &s->entries_added);
    if (!ok || s->length != live) {
        decrRefCount(o);
        return loadCorrupt(ctx, ok ? "stream length does not match its nodes" : "short read");
    }
    if (type < RDB_TYPE_STREAM_LISTPACKS_2) {
        /* Files before 7.0 lack these figures: what 7.0 assumes for them. */
        streamIterator si;
        streamIteratorStart(&si, s, NULL, NULL, 0);
        int64_t numfields;
        if (!streamIteratorGetID(&si, &s->first_id, &numfields)) s->first_id = (streamID){0, 0};
        streamIteratorStop(&si);
        s->entries_added = s->length;
    }
    const char *why = loadStreamGroups(r, type, s);
    if (why) {
        decrRefCount(o);
        return loadCorrupt(ctx, why);
    }
    return o;
}

/* Version 12's hashes with field expiries, read and dropped. */
static int skipHashWithTtls(rio *r, int type) {
    long long min;
    if ((type == RDB_TYPE_HASH_METADATA || type == RDB_TYPE_HASH_LISTPACK_EX) && !rdbLoadMillis(r, &min)) return 0;
    if (type == RDB_TYPE_HASH_LISTPACK_EX || type == RDB_TYPE_HASH_LISTPACK_EX_PRE_GA) return skipString(r);
    uint64_t n;
    if (!rdbLoadPlainLen(r, &n)) return 0;
    while (n--) {
        int ok = type == RDB_TYPE_HASH_METADATA ? skipLens(r, 1) : skipBytes(r, 8);
        if (!ok || !skipString(r) || !skipString(r)) return 0;
    }
    return 1;
}

/* A value Ember cannot hold: skipped when it can be, and refused with
 * RDB_LOAD_ERR_UNSUPPORTED either way (the caller decides). */
static robj *loadUnsupported(loadCtx *ctx, int type) {
    int skipped;
    const char *why;
    if (type == RDB_TYPE_MODULE_2 || type == RDB_TYPE_MODULE_PRE_GA) {
        uint64_t id;
        skipped = type == RDB_TYPE_MODULE_2 && rdbLoadPlainLen(ctx->r, &id) && skipModuleValue(ctx->r);
        why = "a module value (Ember loads no modules)";
    } else {
        skipped = skipHashWithTtls(ctx->r, type);
        why = "a hash with field expiries (Redis 7.4), which a 7.0-level server cannot hold";
    }
    if (!skipped) return loadCorrupt(ctx, "malformed value of an unsupported type");
    return loadFail(ctx, RDB_LOAD_ERR_UNSUPPORTED, why);
}

/* ------------------------------------------------------------- values */

int rdbIsObjectType(int type) {
    return (type >= RDB_TYPE_STRING && type <= RDB_TYPE_MODULE_2) ||
           (type >= RDB_TYPE_HASH_ZIPMAP && type <= RDB_TYPE_LAST);
}

robj *rdbLoadObject(int type, rio *r, int deep, int *error, const char **reason) {
    loadCtx ctx = {r, deep, RDB_LOAD_ERR_NONE, NULL};
    unsigned long count;
    unsigned char *lp;
    robj *o = NULL;
    switch (type) {
    case RDB_TYPE_STRING:
        o = rdbLoadStringValue(r);
        if (!o) loadCorrupt(&ctx, "short read");
        break;
    case RDB_TYPE_LIST: o = loadListElements(&ctx); break;
    case RDB_TYPE_LIST_ZIPLIST: o = loadListZiplist(&ctx); break;
    case RDB_TYPE_LIST_QUICKLIST: o = loadQuicklist(&ctx, 0); break;
    case RDB_TYPE_LIST_QUICKLIST_2: o = loadQuicklist(&ctx, 1); break;
    case RDB_TYPE_SET: o = loadSetElements(&ctx); break;
    case RDB_TYPE_SET_INTSET: o = loadSetIntset(&ctx); break;
    case RDB_TYPE_SET_LISTPACK: o = loadSetListpack(&ctx); break;
    case RDB_TYPE_ZSET: o = loadZsetElements(&ctx, 0); break;
    case RDB_TYPE_ZSET_2: o = loadZsetElements(&ctx, 1); break;
    case RDB_TYPE_ZSET_ZIPLIST:
    case RDB_TYPE_ZSET_LISTPACK:
        lp = type == RDB_TYPE_ZSET_LISTPACK ? loadListpackBlob(&ctx, 2, &count) : loadZiplistBlob(&ctx, 2, &count);
        if (lp) o = zsetFromListpack(&ctx, lp, count);
        break;
    case RDB_TYPE_HASH: o = loadHashElements(&ctx); break;
    case RDB_TYPE_HASH_ZIPMAP: o = loadHashZipmap(&ctx); break;
    case RDB_TYPE_HASH_ZIPLIST:
    case RDB_TYPE_HASH_LISTPACK:
        lp = type == RDB_TYPE_HASH_LISTPACK ? loadListpackBlob(&ctx, 2, &count) : loadZiplistBlob(&ctx, 2, &count);
        if (lp) o = hashFromListpack(&ctx, lp, count);
        break;
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2:
    case RDB_TYPE_STREAM_LISTPACKS_3: o = loadStream(&ctx, type); break;
    case RDB_TYPE_MODULE_PRE_GA:
    case RDB_TYPE_MODULE_2:
    case RDB_TYPE_HASH_METADATA_PRE_GA:
    case RDB_TYPE_HASH_LISTPACK_EX_PRE_GA:
    case RDB_TYPE_HASH_METADATA:
    case RDB_TYPE_HASH_LISTPACK_EX: o = loadUnsupported(&ctx, type); break;
    default: loadCorrupt(&ctx, "unknown value type"); break;
    }
    *error = ctx.error;
    *reason = ctx.reason;
    return o;
}

/* -------------------------------------------------------- whole files */

/* The state of one whole-stream load. */
typedef struct {
    rio *r;
    int rdbflags;
    rdbLoadInfo *info;
    redisDb *db;
    long long empty_skipped;
} fileLoad;

/* Logs why a load stopped, with the offset reached. Returns C_ERR. */
static int loadError(fileLoad *fl, const char *key, const char *reason) {
    if (key)
        serverLog(LL_WARNING, "Bad RDB data at offset %llu, key '%s': %s", (unsigned long long)fl->r->processed_bytes,
                  key, reason);
    else
        serverLog(LL_WARNING, "Bad RDB data at offset %llu: %s", (unsigned long long)fl->r->processed_bytes, reason);
    return C_ERR;
}

static int loadAux(fileLoad *fl) {
    sds name = rdbLoadSds(fl->r);
    sds value = name ? rdbLoadSds(fl->r) : NULL;
    if (!value) {
        sdsfree(name);
        return loadError(fl, NULL, "unexpected end of file in an AUX field");
    }
    if (!strcasecmp(name, "redis-ver")) {
        snprintf(fl->info->redis_ver, sizeof(fl->info->redis_ver), "%s", value);
        serverLog(LL_NOTICE, "Loading RDB produced by version %s", value);
    } else if (!strcasecmp(name, "ctime")) {
        long long ct = strtoll(value, NULL, 10);
        fl->info->ctime = ct;
        long long age = (long long)time(NULL) - ct;
        serverLog(LL_NOTICE, "RDB age %lld seconds", age < 0 ? 0 : age);
    } else if (!strcasecmp(name, "used-mem")) {
        long long used = strtoll(value, NULL, 10);
        serverLog(LL_NOTICE, "RDB memory usage when created %.2f Mb", (double)used / (1024 * 1024));
        loadingSetRdbUsedMem(used);
    } else if (!strcasecmp(name, "repl-id")) {
        if (strlen(value) == 40) memcpy(fl->info->repl_id, value, 41);
    } else if (!strcasecmp(name, "repl-offset")) {
        fl->info->repl_offset = strtoll(value, NULL, 10);
    } else if (!strcasecmp(name, "repl-stream-db")) {
        fl->info->repl_stream_db = (int)strtol(value, NULL, 10);
    } else if (!strcasecmp(name, "aof-preamble") || !strcasecmp(name, "aof-base") ||
               !strcasecmp(name, "redis-bits") || !strcasecmp(name, "lua")) {
        /* Known, nothing to do. */
    } else {
        serverLog(LL_DEBUG, "Unrecognized RDB AUX field: '%s'", name);
    }
    sdsfree(name);
    sdsfree(value);
    return C_OK;
}

/* A module aux field: skipped, as no module can take it. */
static int loadModuleAux(fileLoad *fl) {
    uint64_t id, when_op, when;
    if (!rdbLoadPlainLen(fl->r, &id) || !rdbLoadPlainLen(fl->r, &when_op) || !rdbLoadPlainLen(fl->r, &when))
        return loadError(fl, NULL, "unexpected end of file in a module aux field");
    if (when_op != RDB_MODULE_OPCODE_UINT) return loadError(fl, NULL, "bad when_opcode in a module aux field");
    if (!skipModuleValue(fl->r)) return loadError(fl, NULL, "malformed module aux field");
    serverLog(LL_WARNING, "Skipping module aux data (module id %llu): Ember loads no modules",
              (unsigned long long)id);
    return C_OK;
}

/* A function library (FUNCTION2): loaded as FUNCTION LOAD REPLACE would. */
static int loadFunction(fileLoad *fl) {
    sds err = NULL;
    if (functionsLoadRdbRecord(fl->r, 1, &err) == C_OK) return C_OK;
    sds reason = sdscatprintf(sdsempty(), "cannot load a function library: %s", err);
    loadError(fl, NULL, reason);
    sdsfree(reason);
    sdsfree(err);
    return C_ERR;
}

void rdbApplyAccess(robj *val, long long idle, int freq) {
    if (val->refcount != 1) return;
    if (server.memory.maxmemory_policy & MAXMEMORY_FLAG_LFU) {
        if (freq >= 0) objectSetLFUFrequency(val, (unsigned long)freq);
        return;
    }
    if (idle < 0) return;
    unsigned long long ticks = (unsigned long long)idle * 1000 / LRU_CLOCK_RESOLUTION;
    unsigned long long clock = LRU_CLOCK();
    ticks %= (unsigned long long)LRU_CLOCK_MAX + 1;
    val->lru = (unsigned)(clock >= ticks ? clock - ticks : LRU_CLOCK_MAX - (ticks - clock) + 1);
}

/* One key record, its type byte already read. */
static int loadKey(fileLoad *fl, int type, long long expire, long long idle, int freq) {
    sds key = rdbLoadSds(fl->r);
    if (!key) return loadError(fl, NULL, "unexpected end of file reading a key");
    int error;
    const char *reason;
    robj *val = rdbLoadObject(type, fl->r, server.security.sanitize_dump_payload == 1, &error, &reason);
    if (!val) {
        int ret = C_OK;
        if (error == RDB_LOAD_ERR_EMPTY_KEY) {
            if (fl->empty_skipped++ < 10) serverLog(LL_NOTICE, "rdbLoadObject skipping empty key: %s", key);
        } else if (error == RDB_LOAD_ERR_UNSUPPORTED && server.persist.rdb_skip_unsupported) {
            serverLog(LL_WARNING, "Skipping key '%s' in DB %d: %s", key, fl->db->id, reason);
            fl->info->keys_skipped++;
        } else {
            char msg[160];
            snprintf(msg, sizeof(msg), "%s%s", error == RDB_LOAD_ERR_UNSUPPORTED ? "can't load " : "", reason);
            ret = loadError(fl, key, msg);
        }
        sdsfree(key);
        return ret;
    }
    /* A replica keeps expired keys: its primary's DEL removes them. */
    if (!(fl->rdbflags & RDBFLAGS_AOF_PREAMBLE) && !server.repl.masterhost && expire != -1 && expire < mstime()) {
        fl->info->keys_expired++;
        sdsfree(key);
        decrRefCount(val);
        return C_OK;
    }
    rdbApplyAccess(val, idle, freq);
    if (!dbAddLoaded(fl->db, key, val, expire, fl->rdbflags & RDBFLAGS_ALLOW_DUP)) {
        char msg[64];
        snprintf(msg, sizeof(msg), "duplicated key in DB %d", fl->db->id);
        int ret = loadError(fl, key, msg);
        sdsfree(key);
        decrRefCount(val);
        return ret;
    }
    fl->info->keys_loaded++;
    if (server.persist.key_load_delay > 0) usleep((useconds_t)server.persist.key_load_delay);
    return C_OK;
}

static int loadHeader(fileLoad *fl) {
    char magic[10];
    if (!rioRead(fl->r, magic, 9)) return loadError(fl, NULL, "unexpected end of file in the header");
    magic[9] = '\0';
    if (memcmp(magic, "REDIS", 5) != 0) {
        serverLog(LL_WARNING, "Wrong signature trying to load DB from file");
        return C_ERR;
    }
    int version = atoi(magic + 5);
    if (version < 1 || version > RDB_VERSION_MAX_LOAD) {
        serverLog(LL_WARNING, "Can't handle RDB format version %d", version);
        return C_ERR;
    }
    fl->info->version = version;
    return C_OK;
}

/* The 8-byte trailer after EOF (version 5 and later). */
static int loadTrailer(fileLoad *fl) {
    if (fl->info->version < 5) return C_OK;
    uint64_t expected = fl->r->cksum;
    unsigned char b[8];
    if (!rioRead(fl->r, b, 8)) return loadError(fl, NULL, "unexpected end of file reading the checksum");
    uint64_t got = 0;
    for (int i = 7; i >= 0; i--) got = (got << 8) | b[i];
    if (!server.persist.rdb_checksum || got == 0) return C_OK;
    if (got != expected) {
        serverLog(LL_WARNING, "Wrong RDB checksum expected: (%016llx) got: (%016llx). Aborting now.",
                  (unsigned long long)got, (unsigned long long)expected);
        return C_ERR;
    }
    return C_OK;
}

/* Reads the next opcode or key. 1 to go on, 0 at EOF, -1 on error. */
static int loadStep(fileLoad *fl, long long *expire, long long *idle, int *freq) {
    int type = rdbLoadType(fl->r);
    uint64_t a, b;
    unsigned char byte;
    switch (type) {
    case -1: return loadError(fl, NULL, "unexpected end of file"), -1;
    case RDB_OPCODE_EOF: return 0;
    case RDB_OPCODE_EXPIRETIME:
        return rdbLoadSeconds(fl->r, expire) ? 1 : (loadError(fl, NULL, "short read of an expire time"), -1);
    case RDB_OPCODE_EXPIRETIME_MS:
        return rdbLoadMillis(fl->r, expire) ? 1 : (loadError(fl, NULL, "short read of an expire time"), -1);
    case RDB_OPCODE_IDLE:
        if (!rdbLoadPlainLen(fl->r, &a)) return loadError(fl, NULL, "short read of an idle time"), -1;
        *idle = (long long)a;
        return 1;
    case RDB_OPCODE_FREQ:
        if (rioRead(fl->r, &byte, 1) == 0) return loadError(fl, NULL, "short read of a frequency"), -1;
        *freq = byte;
        return 1;
    case RDB_OPCODE_SELECTDB:
        if (!rdbLoadPlainLen(fl->r, &a)) return loadError(fl, NULL, "short read of a database number"), -1;
        if (a >= (uint64_t)server.dbnum) {
            serverLog(LL_WARNING, "FATAL: Data file was created with a Redis server configured to handle more than "
                                  "%d databases. Exiting", server.dbnum);
            return -1;
        }
        fl->db = &server.db[a];
        return 1;
    case RDB_OPCODE_RESIZEDB:
        if (!rdbLoadPlainLen(fl->r, &a) || !rdbLoadPlainLen(fl->r, &b))
            return loadError(fl, NULL, "short read of RESIZEDB"), -1;
        /* A hint only; a corrupt one must not ask for a huge table. */
        if (a <= (1ULL << 28) && b <= a) dbExpandForLoad(fl->db, (unsigned long)a, (unsigned long)b);
        return 1;
    case RDB_OPCODE_AUX: return loadAux(fl) == C_OK ? 1 : -1;
    case RDB_OPCODE_MODULE_AUX: return loadModuleAux(fl) == C_OK ? 1 : -1;
    case RDB_OPCODE_FUNCTION2: return loadFunction(fl) == C_OK ? 1 : -1;
    case RDB_OPCODE_FUNCTION_PRE_GA:
        return loadError(fl, NULL, "pre-release function format (Redis 7.0 release candidates) is not supported"), -1;
    default:
        if (!rdbIsObjectType(type)) return loadError(fl, NULL, "unknown opcode or value type"), -1;
        if (loadKey(fl, type, *expire, *idle, *freq) != C_OK) return -1;
        *expire = -1;
        *idle = -1;
        *freq = -1;
        return 1;
    }
}

int rdbLoadRio(rio *r, int rdbflags, rdbLoadInfo *info) {
    memset(info, 0, sizeof(*info));
    fileLoad fl = {r, rdbflags, info, &server.db[0], 0};
    rioEnableChecksum(r);
    if (loadHeader(&fl) != C_OK) return C_ERR;
    long long expire = -1, idle = -1;
    int freq = -1, step;
    while ((step = loadStep(&fl, &expire, &idle, &freq)) == 1) {}
    if (step == -1 || loadTrailer(&fl) != C_OK) return C_ERR;
    if (fl.empty_skipped)
        serverLog(LL_NOTICE, "Done loading RDB, keys loaded: %lld, keys expired: %lld, empty keys skipped: %lld.",
                  info->keys_loaded, info->keys_expired, fl.empty_skipped);
    else
        serverLog(LL_NOTICE, "Done loading RDB, keys loaded: %lld, keys expired: %lld.", info->keys_loaded,
                  info->keys_expired);
    if (info->keys_skipped) serverLog(LL_WARNING, "%lld keys of unsupported types were skipped", info->keys_skipped);
    return C_OK;
}

/* rio's progress callback: the bytes read since the last call go to the
 * loading session (privdata: the count already reported). */
static void reportLoadProgress(rio *r, size_t processed) {
    size_t *reported = r->privdata;
    loadingAdvance((off_t)(processed - *reported));
    *reported = processed;
}

int rdbLoad(const char *filename, int rdbflags, rdbLoadInfo *info) {
    FILE *fp = fopen(filename, "r");
    if (!fp) return C_ERR;
    int ret = rdbLoadFile(fp, rdbflags, info);
    fclose(fp);
    return ret;
}

int rdbLoadStream(rio *r, int rdbflags, rdbLoadInfo *info) {
    size_t reported = 0;
    rioSetProgress(r, reportLoadProgress, (size_t)server.persist.loading_process_events_interval_bytes, &reported);
    int was_loading = server.persist.loading;
    server.persist.loading = 1;
    int ret = rdbLoadRio(r, rdbflags, info);
    server.persist.loading = was_loading;
    loadingAdvance((off_t)(r->processed_bytes - reported));
    rioSetProgress(r, NULL, 0, NULL);
    if (ret == C_OK) last_load = *info;
    if (ret != C_OK) errno = EINVAL;
    return ret;
}

int rdbLoadFile(FILE *fp, int rdbflags, rdbLoadInfo *info) {
    rio r;
    rioInitWithFile(&r, fp);
    return rdbLoadStream(&r, rdbflags, info);
}

void loadDataFromDisk(void) {
    long long start = ustime();
    rdbLoadInfo info;
    const char *file = server.persist.rdb_filename;
    struct stat st;
    loadingBegin(stat(file, &st) == 0 ? st.st_size : 0);
    int ret = rdbLoad(file, RDBFLAGS_NONE, &info);
    loadingEnd();
    if (ret == C_OK) {
        serverLog(LL_NOTICE, "DB loaded from disk: %.3f seconds", (double)(ustime() - start) / 1000000);
        if (info.repl_id[0]) replicationRestoreFromRdb(info.repl_id, info.repl_offset, info.repl_stream_db);
        return;
    }
    if (errno == ENOENT) return;
    serverLog(LL_WARNING, "Fatal error loading the DB from %s: %s. Exiting.", file,
              errno == EINVAL ? "the file is corrupt or of an unsupported kind (see above)" : strerror(errno));
    exit(1);
}
