/* sort.c — SORT and SORT_RO.
 *
 * SORT reads a list, set or sorted set, orders its elements and replies
 * them (or stores them as a list with STORE). The work is done in four
 * steps, each a function below:
 *
 *  1. parse the options into a sortRequest (sortParseOptions);
 *  2. load the elements into a vector of sortItem, each a string object
 *     owned by the vector (sortLoadElements). When nothing is to be sorted
 *     (BY with a pattern lacking '*', e.g. "BY nosort") a list or sorted
 *     set is read in its own order, tail first with DESC, and only the
 *     LIMIT window is loaded;
 *  3. give each item its sort key (sortComputeKeys) — a double parsed with
 *     strtod for numeric sorts, or the string found through the BY pattern
 *     for ALPHA sorts — then qsort the vector;
 *  4. reply, or store, the LIMIT window, expanding each element through
 *     the GET patterns (sortReplyResult / sortStoreResult).
 *
 * Observable details kept as Redis 7.0 has them:
 *  - numeric order breaks ties by comparing the elements byte-wise, so the
 *    result is fully determined; ALPHA order compares as C strings (up to
 *    the first NUL byte, like strcoll in the C locale) unless STORE is
 *    given, where the comparison is binary. Remaining ties keep the load
 *    order in both directions: the sort is stable, DESC only inverts the
 *    comparison;
 *  - an element whose BY key is missing gets score 0 (numeric) or sorts
 *    first (ALPHA). A value that is not a number (trailing characters,
 *    overflow or underflow, NaN) makes the whole command fail with
 *    "One or more scores can't be converted into double", after loading;
 *    leading blanks, hex and "inf" are accepted, as strtod accepts them,
 *    and an empty string is 0;
 *  - an unsorted set (BY nosort) that is stored, or sorted from a script,
 *    is sorted ALPHA anyway so that replicas and AOF see the same result;
 *  - a sorted set given to SORT is converted to the skiplist encoding;
 *  - options are parsed before the key is looked up, so a syntax error
 *    wins over WRONGTYPE.
 *
 * Patterns (BY and GET): "#" is the element itself. Otherwise the first
 * '*' is replaced with the element to form a key name; a "->field" suffix
 * after the '*' names a hash field of that key instead of a string key.
 * A pattern without '*', a missing key or a key of the wrong type gives
 * nothing (nil for GET, an empty string in a stored list). As in Redis the
 * pattern is read as a C string when looking for '*' and "->".
 *
 * Left out on purpose: Redis 7.0 does not clear errno before strtod, so a
 * stale ERANGE left by an earlier command can fail a later numeric SORT;
 * we clear it. Not done yet: keyspace notifications ("sortstore", "del")
 * wait for the notify module, and the cluster-mode and ACL refusals of
 * BY/GET wait for cluster and ACL support.
 */
#include "server.h"
#include "notify.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One element being sorted. */
typedef struct sortItem {
    robj *obj;    /* the element: a string object owned by the vector */
    double score; /* numeric sort key (0 when the BY key is missing) */
    robj *cmpobj; /* ALPHA with BY: the decoded sort key, or NULL */
    size_t pos;   /* load order, the tie breaker that keeps the sort stable */
} sortItem;

/* The parsed options of one SORT command. Pattern objects are borrowed
 * from the client's argv. */
typedef struct sortRequest {
    int desc, alpha, dontsort;
    robj *sortby;       /* BY pattern, or NULL */
    robj *storekey;     /* STORE destination, or NULL */
    long offset, count; /* LIMIT; count -1 means "all" */
    robj **getops;      /* GET patterns, zmalloc'ed, getcount of them */
    int getcount;
} sortRequest;

/* What the comparator needs to know (passed through qsort_r). */
typedef struct sortCompareCtx {
    int desc, alpha, bypattern, binary;
} sortCompareCtx;

/* ---------------------------------------------------------- patterns */

/* Looks up what pattern designates for element elem (see the top of the
 * file). Returns a new reference to a string object (the caller releases
 * it with decrRefCount), or NULL when there is nothing. */
static robj *sortLookupByPattern(redisDb *db, robj *pattern, robj *elem) {
    robj *pat = getDecodedObject(pattern);
    const char *spat = pat->ptr;
    size_t patlen = sdslen(pat->ptr);

    if (spat[0] == '#' && spat[1] == '\0') {
        decrRefCount(pat);
        incrRefCount(elem);
        return elem;
    }
    const char *star = strchr(spat, '*');
    if (star == NULL) {
        decrRefCount(pat);
        return NULL;
    }
    const char *arrow = strstr(star + 1, "->");
    if (arrow && arrow[2] == '\0') arrow = NULL; /* "->" with no field: part of the key */

    robj *sub = getDecodedObject(elem);
    size_t prefixlen = (size_t)(star - spat);
    const char *postfix = star + 1;
    size_t postfixlen = (size_t)((arrow ? arrow : spat + patlen) - postfix);
    sds keyname = sdsnewlen(spat, prefixlen);
    keyname = sdscatlen(keyname, sub->ptr, sdslen(sub->ptr));
    keyname = sdscatlen(keyname, postfix, postfixlen);
    decrRefCount(sub);
    robj *keyobj = createObject(OBJ_STRING, keyname);

    robj *o = lookupKeyRead(db, keyobj);
    robj *result = NULL;
    if (o != NULL) {
        if (arrow) {
            if (o->type == OBJ_HASH) {
                sds field = sdsnewlen(arrow + 2, (size_t)(spat + patlen - (arrow + 2)));
                result = hashTypeGetValueObject(o, field);
                sdsfree(field);
            }
        } else if (o->type == OBJ_STRING) {
            incrRefCount(o);
            result = o;
        }
    }
    decrRefCount(keyobj);
    decrRefCount(pat);
    return result;
}

/* ----------------------------------------------------------- options */

/* Parses argv[2..] into req. Replies the error and returns C_ERR on a
 * syntax error or a bad LIMIT number. The caller frees req->getops. */
static int sortParseOptions(client *c, sortRequest *req, int readonly) {
    memset(req, 0, sizeof(*req));
    req->count = -1;
    req->getops = zmalloc(sizeof(robj *) * (size_t)c->argc);
    for (int j = 2; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        int left = c->argc - j - 1;
        if (!strcasecmp(opt, "asc")) {
            req->desc = 0;
        } else if (!strcasecmp(opt, "desc")) {
            req->desc = 1;
        } else if (!strcasecmp(opt, "alpha")) {
            req->alpha = 1;
        } else if (!strcasecmp(opt, "limit") && left >= 2) {
            if (getLongFromObjectOrReply(c, c->argv[j + 1], &req->offset, NULL) != C_OK ||
                getLongFromObjectOrReply(c, c->argv[j + 2], &req->count, NULL) != C_OK)
                return C_ERR;
            j += 2;
        } else if (!readonly && !strcasecmp(opt, "store") && left >= 1) {
            req->storekey = c->argv[++j];
        } else if (!strcasecmp(opt, "by") && left >= 1) {
            req->sortby = c->argv[++j];
            /* A pattern without '*' names no per-element key: nothing to sort. */
            if (!sdsEncodedObject(req->sortby) || strchr(req->sortby->ptr, '*') == NULL) req->dontsort = 1;
        } else if (!strcasecmp(opt, "get") && left >= 1) {
            req->getops[req->getcount++] = c->argv[++j];
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return C_ERR;
        }
    }
    return C_OK;
}

/* Turns LIMIT into the window [*start, *start + *n) of a vector of len
 * elements: a negative offset is 0, a negative count means "to the end",
 * and the window is cut at the end without overflow. */
static void sortLimitWindow(const sortRequest *req, long len, long *start, long *n) {
    long s = req->offset < 0 ? 0 : req->offset;
    if (s >= len) {
        *start = 0;
        *n = 0;
        return;
    }
    long avail = len - s;
    *start = s;
    *n = (req->count < 0 || req->count > avail) ? avail : req->count;
}

/* ----------------------------------------------------------- loading */

/* Appends obj (ownership passes to the vector) as an sds-encoded string,
 * so that the comparator can read its bytes directly. */
static void sortPushItem(sortItem *v, long *n, robj *obj) {
    if (!sdsEncodedObject(obj)) {
        robj *decoded = getDecodedObject(obj);
        decrRefCount(obj);
        obj = decoded;
    }
    v[*n].obj = obj;
    v[*n].score = 0;
    v[*n].cmpobj = NULL;
    v[*n].pos = (size_t)*n;
    (*n)++;
}

/* Loads the elements of sortval into a new vector (the caller frees it
 * with sortFreeVector) and sets *vlen. When ranged is set (nothing to
 * sort and a list or sorted set), only the window [start, start + n) is
 * loaded, in native order, from the tail with DESC; otherwise everything
 * is loaded. */
static sortItem *sortLoadElements(robj *sortval, int ranged, int desc, long start, long n, long *vlen) {
    long len = 0, cap;
    sortItem *v;

    if (sortval->type == OBJ_LIST) {
        long llen = (long)listTypeLength(sortval);
        long first = ranged ? start : 0;
        cap = ranged ? n : llen;
        v = zmalloc(sizeof(sortItem) * (size_t)(cap ? cap : 1));
        if (cap > 0) {
            listTypeIterator *li = listTypeInitIterator(sortval, desc && ranged ? llen - 1 - first : first,
                                                        desc && ranged ? LIST_HEAD : LIST_TAIL);
            listTypeEntry entry;
            while (len < cap && listTypeNext(li, &entry)) sortPushItem(v, &len, listTypeGet(&entry));
            listTypeReleaseIterator(li);
        }
    } else if (sortval->type == OBJ_SET) {
        cap = (long)setTypeSize(sortval);
        v = zmalloc(sizeof(sortItem) * (size_t)(cap ? cap : 1));
        setTypeIterator *si = setTypeInitIterator(sortval);
        sds ele;
        while (len < cap && (ele = setTypeNextObject(si)) != NULL) sortPushItem(v, &len, createObject(OBJ_STRING, ele));
        setTypeReleaseIterator(si);
    } else {
        serverAssert(sortval->type == OBJ_ZSET);
        long zlen = (long)zsetLength(sortval);
        cap = ranged ? n : zlen;
        v = zmalloc(sizeof(sortItem) * (size_t)(cap ? cap : 1));
        if (cap > 0) {
            zsetIterator it;
            listpackEntry ele;
            double score;
            zsetIterInitRank(&it, sortval, ranged ? (unsigned long)start : 0, ranged && desc);
            while (len < cap && zsetIterNext(&it, &ele, &score))
                sortPushItem(v, &len, createObject(OBJ_STRING, zsetEntryToSds(&ele)));
        }
    }
    *vlen = len;
    return v;
}

static void sortFreeVector(sortItem *v, long len) {
    for (long j = 0; j < len; j++) {
        decrRefCount(v[j].obj);
        if (v[j].cmpobj) decrRefCount(v[j].cmpobj);
    }
    zfree(v);
}

/* ----------------------------------------------------------- sorting */

/* Parses a numeric sort key as Redis does: strtod over the whole C
 * string. Returns 0 when the value is not acceptable. */
static int sortParseScore(robj *val, double *score) {
    if (!sdsEncodedObject(val)) {
        *score = (double)(long)val->ptr;
        return 1;
    }
    char *eptr;
    errno = 0;
    *score = strtod(val->ptr, &eptr);
    return !(eptr[0] != '\0' || errno == ERANGE || isnan(*score));
}

/* Gives every item its sort key. Returns 0 when some numeric key could not
 * be parsed (the sort is then pointless: the command fails). */
static int sortComputeKeys(redisDb *db, const sortRequest *req, sortItem *v, long len) {
    int ok = 1;
    for (long j = 0; j < len; j++) {
        robj *byval;
        if (req->sortby) {
            byval = sortLookupByPattern(db, req->sortby, v[j].obj);
            if (byval == NULL) continue;
        } else {
            byval = v[j].obj;
            incrRefCount(byval);
        }
        if (req->alpha) {
            if (req->sortby) v[j].cmpobj = getDecodedObject(byval);
        } else if (!sortParseScore(byval, &v[j].score)) {
            ok = 0;
        }
        decrRefCount(byval);
    }
    return ok;
}

/* Compares two sds-encoded string objects: binary, or as C strings. */
static int sortCompareStrings(robj *a, robj *b, int binary) {
    if (binary) return compareStringObjects(a, b);
    return strcmp(a->ptr, b->ptr);
}

static int sortCompare(const void *pa, const void *pb, void *privdata) {
    const sortItem *a = pa, *b = pb;
    const sortCompareCtx *ctx = privdata;
    int cmp;
    if (!ctx->alpha) {
        if (a->score < b->score)
            cmp = -1;
        else if (a->score > b->score)
            cmp = 1;
        else
            cmp = compareStringObjects(a->obj, b->obj);
    } else if (ctx->bypattern) {
        if (a->cmpobj == NULL || b->cmpobj == NULL)
            cmp = (a->cmpobj == b->cmpobj) ? 0 : (a->cmpobj == NULL ? -1 : 1);
        else
            cmp = sortCompareStrings(a->cmpobj, b->cmpobj, ctx->binary);
    } else {
        cmp = sortCompareStrings(a->obj, b->obj, ctx->binary);
    }
    if (ctx->desc) cmp = -cmp;
    if (cmp == 0) cmp = a->pos < b->pos ? -1 : (a->pos > b->pos ? 1 : 0);
    return cmp;
}

/* ------------------------------------------------------------ output */

static void sortReplyResult(client *c, const sortRequest *req, sortItem *v, long start, long n) {
    addReplyArrayLen(c, req->getcount ? (long)req->getcount * n : n);
    for (long j = start; j < start + n; j++) {
        if (req->getcount == 0) {
            addReplyBulk(c, v[j].obj);
            continue;
        }
        for (int g = 0; g < req->getcount; g++) {
            robj *val = sortLookupByPattern(c->db, req->getops[g], v[j].obj);
            if (val == NULL) {
                addReplyNull(c);
            } else {
                addReplyBulk(c, val);
                decrRefCount(val);
            }
        }
    }
}

/* Stores the window as a list at req->storekey (deleting the key when the
 * result is empty) and replies the number of elements stored. */
static void sortStoreResult(client *c, const sortRequest *req, sortItem *v, long start, long n) {
    long outputlen = req->getcount ? (long)req->getcount * n : n;
    if (outputlen > 0) {
        robj *dst = createQuicklistObject();
        for (long j = start; j < start + n; j++) {
            if (req->getcount == 0) {
                listTypePush(dst, v[j].obj, LIST_TAIL);
                continue;
            }
            for (int g = 0; g < req->getcount; g++) {
                robj *val = sortLookupByPattern(c->db, req->getops[g], v[j].obj);
                if (val == NULL) val = createStringObject("", 0);
                listTypePush(dst, val, LIST_TAIL);
                decrRefCount(val);
            }
        }
        setKey(c, c->db, req->storekey, dst, 0);
        decrRefCount(dst);
        notifyKeyspaceEvent(NOTIFY_LIST, "sortstore", req->storekey, c->db->id);
        server.dirty += outputlen;
    } else if (dbDelete(c->db, req->storekey)) {
        signalModifiedKey(c, c->db, req->storekey);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", req->storekey, c->db->id);
        server.dirty++;
    }
    addReplyLongLong(c, outputlen);
}

/* ----------------------------------------------------------- command */

static void sortGenericCommand(client *c, int readonly) {
    sortRequest req;
    if (sortParseOptions(c, &req, readonly) != C_OK) {
        zfree(req.getops);
        return;
    }

    robj *sortval = lookupKeyRead(c->db, c->argv[1]);
    if (sortval && sortval->type != OBJ_LIST && sortval->type != OBJ_SET && sortval->type != OBJ_ZSET) {
        addReplyErrorObject(c, shared.wrongtypeerr);
        zfree(req.getops);
        return;
    }
    /* Hold the value: pattern lookups may expire keys. A missing key sorts
     * like an empty list. */
    if (sortval)
        incrRefCount(sortval);
    else
        sortval = createQuicklistObject();

    /* The order of an unsorted set is an accident of its table: never let
     * it reach a stored key or a script's caller. */
    if (req.dontsort && sortval->type == OBJ_SET && (req.storekey || (c->flags & CLIENT_SCRIPT))) {
        req.dontsort = 0;
        req.alpha = 1;
        req.sortby = NULL;
    }
    if (sortval->type == OBJ_ZSET) zsetConvert(sortval, OBJ_ENCODING_SKIPLIST);

    long total;
    if (sortval->type == OBJ_LIST)
        total = (long)listTypeLength(sortval);
    else if (sortval->type == OBJ_SET)
        total = (long)setTypeSize(sortval);
    else
        total = (long)zsetLength(sortval);

    long start, n, vlen;
    sortLimitWindow(&req, total, &start, &n);
    int ranged = req.dontsort && sortval->type != OBJ_SET;
    sortItem *v = sortLoadElements(sortval, ranged, req.desc, start, n, &vlen);
    if (ranged) {
        start = 0;
        n = vlen;
    }

    int scores_ok = 1;
    if (!req.dontsort) {
        scores_ok = sortComputeKeys(c->db, &req, v, vlen);
        if (scores_ok) {
            sortCompareCtx ctx = {req.desc, req.alpha, req.sortby != NULL, req.storekey != NULL};
            qsort_r(v, (size_t)vlen, sizeof(sortItem), sortCompare, &ctx);
        }
    }

    if (!scores_ok)
        addReplyError(c, "One or more scores can't be converted into double");
    else if (req.storekey == NULL)
        sortReplyResult(c, &req, v, start, n);
    else
        sortStoreResult(c, &req, v, start, n);

    sortFreeVector(v, vlen);
    decrRefCount(sortval);
    zfree(req.getops);
}

/* SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC]
 *      [ALPHA] [STORE destination] */
void sortCommand(client *c) {
    sortGenericCommand(c, 0);
}

/* SORT_RO: SORT without STORE (which is a syntax error here). */
void sortroCommand(client *c) {
    sortGenericCommand(c, 1);
}
