/* t_zset_cmd.c — the sorted set commands.
 *
 * Everything here goes through the type API of t_zset.c and never looks at
 * an encoding.  The shapes of the replies follow Redis 7.0 exactly:
 *
 *  - a score is a double reply (addReplyDouble): a bulk string "%.17g" in
 *    RESP2, a `,` double in RESP3;
 *  - a member with its score (WITHSCORES, pops, ZRANDMEMBER) is two flat
 *    items in RESP2 and a two-element array in RESP3, except for ZPOPMIN /
 *    ZPOPMAX without a count, whose single pair stays flat, and ZMPOP, whose
 *    pairs are nested arrays in both protocols.
 *
 * The ZRANGE family shares one parser and one producer (zrangeGeneric):
 * elements go to a "sink" that either replies them or adds them to a new
 * set for ZRANGESTORE.  The set operations (ZUNION, ZINTER, ZDIFF, their
 * STORE forms and ZINTERCARD) build their result as a skiplist set, which
 * also orders it, and shrink it to a listpack before storing when it fits.
 * Plain sets are accepted as inputs, every member scoring 1.
 *
 * Floating point sums are done in the order Redis does them (inputs sorted
 * by size, smallest first, stable), so a union of scores prints the same
 * digits; a sum that would be NaN (inf + -inf) and a weighted score that
 * would be NaN (0 * inf) count as 0.
 */
#include "server.h"
#include "notify.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ helpers */

/* Replies an element (string or integer) as a bulk string. */
static void addReplyZsetEntry(client *c, const listpackEntry *e) {
    if (e->sval)
        addReplyBulkCBuffer(c, e->sval, e->slen);
    else
        addReplyBulkLongLong(c, e->lval);
}

/* Replies member (and score when withscores), as a pair array in RESP3. */
static void addReplyZsetMember(client *c, const listpackEntry *e, double score, int withscores) {
    if (withscores && c->resp > 2) addReplyArrayLen(c, 2);
    addReplyZsetEntry(c, e);
    if (withscores) addReplyDouble(c, score);
}

/* Normalizes a rank range against a set of llen elements as Redis does
 * (negative ranks count from the end). Returns 0 when empty. */
static int zsetNormalizeRanks(long llen, long *start, long *end) {
    if (*start < 0) *start += llen;
    if (*end < 0) *end += llen;
    if (*start < 0) *start = 0;
    if (*start > *end || *start >= llen) return 0;
    if (*end >= llen) *end = llen - 1;
    return 1;
}

/* After a write that may have emptied zobj: deletes the key if so and
 * announces the deletion ("del"). zobj is freed with the key. */
static void zsetDeleteIfEmpty(client *c, robj *key, robj *zobj) {
    if (zsetLength(zobj) == 0 && dbDelete(c->db, key))
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
}

/* ------------------------------------------------------------ ZADD */

/* ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
 * and ZINCRBY key increment member (flags = ZADD_IN_INCR). */
/* The ZADD flag named by the argument opt (ZADD_IN_NONE with *ch set for
 * CH), or -1 when it names none (the first score, then). Compared as C
 * strings, as Redis does; an argument whose first letter starts no option
 * (any number does not) is a score at once. */
static int zaddOption(const char *opt, int *ch) {
    switch (opt[0] | 0x20) {
    case 'n': return !strcasecmp(opt, "nx") ? ZADD_IN_NX : -1;
    case 'x': return !strcasecmp(opt, "xx") ? ZADD_IN_XX : -1;
    case 'g': return !strcasecmp(opt, "gt") ? ZADD_IN_GT : -1;
    case 'l': return !strcasecmp(opt, "lt") ? ZADD_IN_LT : -1;
    case 'i': return !strcasecmp(opt, "incr") ? ZADD_IN_INCR : -1;
    case 'c':
        if (strcasecmp(opt, "ch")) return -1;
        *ch = 1;
        return ZADD_IN_NONE;
    default: return -1;
    }
}

/* Scores of up to this many pairs are parsed into a buffer on the stack. */
#define ZADD_STACK_SCORES 16

static void zaddGenericCommand(client *c, int flags) {
    robj *key = c->argv[1];
    int ch = 0, scoreidx = 2;
    for (; scoreidx < c->argc; scoreidx++) {
        int flag = zaddOption(c->argv[scoreidx]->ptr, &ch);
        if (flag < 0) break;
        flags |= flag;
    }
    int incr = flags & ZADD_IN_INCR, nx = flags & ZADD_IN_NX, xx = flags & ZADD_IN_XX;
    int gt = flags & ZADD_IN_GT, lt = flags & ZADD_IN_LT;
    int elements = c->argc - scoreidx;
    if (elements == 0 || elements % 2) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    elements /= 2;
    if (nx && xx) {
        addReplyError(c, "XX and NX options at the same time are not compatible");
        return;
    }
    if ((gt && nx) || (lt && nx) || (gt && lt)) {
        addReplyError(c, "GT, LT, and/or NX options at the same time are not compatible");
        return;
    }
    if (incr && elements > 1) {
        addReplyError(c, "INCR option supports a single increment-element pair");
        return;
    }

    double stack_scores[ZADD_STACK_SCORES];
    double *scores = elements <= ZADD_STACK_SCORES ? stack_scores : zmalloc(sizeof(double) * elements);
    robj *zobj = NULL;
    for (int j = 0; j < elements; j++)
        if (getDoubleFromObjectOrReply(c, c->argv[scoreidx + j * 2], &scores[j], NULL) != C_OK) goto out;

    dbKeyRef ref;
    zobj = lookupKeyWriteRef(c->db, key, &ref);
    if (checkType(c, zobj, OBJ_ZSET)) goto out;
    long added = 0, updated = 0, processed = 0;
    double score = 0;
    if (zobj == NULL && !xx) {
        zobj = zsetCreate(1, sdslen(c->argv[scoreidx + 1]->ptr));
        dbAddRef(c->db, key, zobj, &ref);
    }
    for (int j = 0; zobj && j < elements; j++) {
        int outflags;
        double newscore;
        if (!zsetAdd(zobj, scores[j], c->argv[scoreidx + 1 + j * 2]->ptr, flags, &outflags, &newscore)) {
            addReplyError(c, "resulting score is not a number (NaN)");
            goto done;
        }
        if (outflags & ZADD_OUT_ADDED) added++;
        if (outflags & ZADD_OUT_UPDATED) updated++;
        if (!(outflags & ZADD_OUT_NOP)) processed++;
        score = newscore;
    }
    if (incr) {
        if (processed)
            addReplyDouble(c, score);
        else
            addReplyNull(c);
    } else {
        addReplyLongLong(c, ch ? added + updated : added);
    }
done:
    if (added || updated) {
        signalModifiedKey(c, c->db, key);
        notifyKeyspaceEvent(NOTIFY_ZSET, incr ? "zincr" : "zadd", key, c->db->id);
        server.dirty += added + updated;
    }
out:
    if (scores != stack_scores) zfree(scores);
}

void zaddCommand(client *c) {
    zaddGenericCommand(c, ZADD_IN_NONE);
}

void zincrbyCommand(client *c) {
    zaddGenericCommand(c, ZADD_IN_INCR);
}

/* ZREM key member [member ...] */
void zremCommand(client *c) {
    robj *key = c->argv[1];
    robj *zobj = lookupKeyWriteOrReply(c, key, shared.czero);
    if (zobj == NULL || checkType(c, zobj, OBJ_ZSET)) return;
    long deleted = 0;
    int keyremoved = 0;
    for (int j = 2; j < c->argc; j++) {
        if (zsetDel(zobj, c->argv[j]->ptr)) deleted++;
        if (zsetLength(zobj) == 0) {
            dbDelete(c->db, key);
            keyremoved = 1;
            break;
        }
    }
    if (deleted) {
        notifyKeyspaceEvent(NOTIFY_ZSET, "zrem", key, c->db->id);
        if (keyremoved) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
        signalModifiedKey(c, c->db, key);
        server.dirty += deleted;
    }
    addReplyLongLong(c, deleted);
}

/* ------------------------------------------------------------ ZREMRANGEBY* */

#define ZRANGE_RANK 0
#define ZRANGE_SCORE 1
#define ZRANGE_LEX 2

/* ZREMRANGEBYRANK / BYSCORE / BYLEX key min max */
static void zremrangeGenericCommand(client *c, int type) {
    robj *key = c->argv[1];
    long start = 0, end = 0;
    zrangespec range;
    zlexrangespec lexrange;
    if (type == ZRANGE_RANK) {
        if (getLongFromObjectOrReply(c, c->argv[2], &start, NULL) != C_OK ||
            getLongFromObjectOrReply(c, c->argv[3], &end, NULL) != C_OK)
            return;
    } else if (type == ZRANGE_SCORE) {
        if (zslParseRange(c->argv[2], c->argv[3], &range) != C_OK) {
            addReplyError(c, "min or max is not a float");
            return;
        }
    } else if (zslParseLexRange(c->argv[2], c->argv[3], &lexrange) != C_OK) {
        addReplyError(c, "min or max not valid string range item");
        return;
    }

    unsigned long deleted = 0;
    robj *zobj = lookupKeyWriteOrReply(c, key, shared.czero);
    if (zobj == NULL || checkType(c, zobj, OBJ_ZSET)) goto cleanup;
    if (type == ZRANGE_RANK) {
        if (!zsetNormalizeRanks((long)zsetLength(zobj), &start, &end)) {
            addReply(c, shared.czero);
            goto cleanup;
        }
        deleted = zsetDeleteRangeByRank(zobj, (unsigned long)start, (unsigned long)end);
    } else if (type == ZRANGE_SCORE) {
        deleted = zsetDeleteRangeByScore(zobj, &range);
    } else {
        deleted = zsetDeleteRangeByLex(zobj, &lexrange);
    }
    if (deleted) {
        static const char *events[] = {"zremrangebyrank", "zremrangebyscore", "zremrangebylex"};
        notifyKeyspaceEvent(NOTIFY_ZSET, events[type], key, c->db->id);
        zsetDeleteIfEmpty(c, key, zobj);
        signalModifiedKey(c, c->db, key);
        server.dirty += deleted;
    }
    addReplyLongLong(c, (long long)deleted);
cleanup:
    if (type == ZRANGE_LEX) zslFreeLexRange(&lexrange);
}

void zremrangebyrankCommand(client *c) {
    zremrangeGenericCommand(c, ZRANGE_RANK);
}

void zremrangebyscoreCommand(client *c) {
    zremrangeGenericCommand(c, ZRANGE_SCORE);
}

void zremrangebylexCommand(client *c) {
    zremrangeGenericCommand(c, ZRANGE_LEX);
}

/* ------------------------------------------------------------ lookups */

void zcardCommand(client *c) {
    robj *zobj = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (zobj == NULL || checkType(c, zobj, OBJ_ZSET)) return;
    addReplyLongLong(c, (long long)zsetLength(zobj));
}

/* ZCOUNT key min max */
void zcountCommand(client *c) {
    zrangespec range;
    if (zslParseRange(c->argv[2], c->argv[3], &range) != C_OK) {
        addReplyError(c, "min or max is not a float");
        return;
    }
    robj *zobj = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (zobj == NULL || checkType(c, zobj, OBJ_ZSET)) return;
    addReplyLongLong(c, (long long)zsetCount(zobj, &range));
}

/* ZLEXCOUNT key min max */
void zlexcountCommand(client *c) {
    zlexrangespec range;
    if (zslParseLexRange(c->argv[2], c->argv[3], &range) != C_OK) {
        addReplyError(c, "min or max not valid string range item");
        return;
    }
    robj *zobj = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (zobj && !checkType(c, zobj, OBJ_ZSET)) addReplyLongLong(c, (long long)zsetLexCount(zobj, &range));
    zslFreeLexRange(&range);
}

void zscoreCommand(client *c) {
    robj *zobj = lookupKeyReadOrReply(c, c->argv[1], shared.null[c->resp]);
    if (zobj == NULL || checkType(c, zobj, OBJ_ZSET)) return;
    double score;
    if (zsetScore(zobj, c->argv[2]->ptr, &score) == C_OK)
        addReplyDouble(c, score);
    else
        addReplyNull(c);
}

/* ZMSCORE key member [member ...]: a score or null per member. */
void zmscoreCommand(client *c) {
    robj *zobj = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, zobj, OBJ_ZSET)) return;
    addReplyArrayLen(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        double score;
        if (zobj && zsetScore(zobj, c->argv[j]->ptr, &score) == C_OK)
            addReplyDouble(c, score);
        else
            addReplyNull(c);
    }
}

static void zrankGenericCommand(client *c, int reverse) {
    robj *zobj = lookupKeyReadOrReply(c, c->argv[1], shared.null[c->resp]);
    if (zobj == NULL || checkType(c, zobj, OBJ_ZSET)) return;
    long rank = zsetRank(zobj, c->argv[2]->ptr, reverse);
    if (rank >= 0)
        addReplyLongLong(c, rank);
    else
        addReplyNull(c);
}

void zrankCommand(client *c) {
    zrankGenericCommand(c, 0);
}

void zrevrankCommand(client *c) {
    zrankGenericCommand(c, 1);
}

/* ------------------------------------------------------------ ZRANGE family */

/* Where ZRANGE-family elements go: the client, or a new set stored at
 * dstkey by zrangeSinkEnd (ZRANGESTORE). */
typedef struct zrangeSink {
    client *c;
    robj *dstkey;
    robj *dstobj;
    int withscores;
    long emitted;
    void *lenptr;
} zrangeSink;

/* Starts the output; hint is the number of elements when known, else -1. */
static void zrangeSinkBegin(zrangeSink *s, long hint) {
    if (s->dstkey) {
        s->dstobj = zsetCreate(hint > 0 ? (size_t)hint : 0, 0);
    } else if (hint >= 0) {
        addReplyArrayLen(s->c, hint * (s->withscores && s->c->resp == 2 ? 2 : 1));
    } else {
        s->lenptr = addReplyDeferredLen(s->c);
    }
}

static void zrangeSinkEmit(zrangeSink *s, const listpackEntry *e, double score) {
    if (s->dstkey) {
        sds ele = zsetEntryToSds(e);
        int outflags;
        zsetAdd(s->dstobj, score, ele, ZADD_IN_NONE, &outflags, NULL);
        sdsfree(ele);
    } else {
        addReplyZsetMember(s->c, e, score, s->withscores);
    }
    s->emitted++;
}

/* Ends the output: sets the deferred length, or stores the new set (an
 * empty result deletes the destination) and replies its size. */
static void zrangeSinkEnd(zrangeSink *s) {
    client *c = s->c;
    if (s->dstkey == NULL) {
        if (s->lenptr) setDeferredArrayLen(c, s->lenptr, s->emitted * (s->withscores && c->resp == 2 ? 2 : 1));
        return;
    }
    if (s->emitted) {
        setKey(c, c->db, s->dstkey, s->dstobj, 0);
        addReplyLongLong(c, s->emitted);
        notifyKeyspaceEvent(NOTIFY_ZSET, "zrangestore", s->dstkey, c->db->id);
        server.dirty++;
    } else {
        addReply(c, shared.czero);
        if (dbDelete(c->db, s->dstkey)) {
            signalModifiedKey(c, c->db, s->dstkey);
            notifyKeyspaceEvent(NOTIFY_GENERIC, "del", s->dstkey, c->db->id);
            server.dirty++;
        }
    }
    if (s->dstobj) decrRefCount(s->dstobj);
}

/* Emits the elements the iterator gives, after skipping offset of them and
 * stopping after limit (negative: no limit; negative offset: none). */
static void zrangeEmitFromIterator(zrangeSink *s, zsetIterator *it, long offset, long limit) {
    listpackEntry e;
    double score;
    if (offset < 0) return;
    while (offset > 0 && zsetIterNext(it, &e, &score)) offset--;
    while (limit != 0 && zsetIterNext(it, &e, &score)) {
        zrangeSinkEmit(s, &e, score);
        if (limit > 0) limit--;
        if (s->dstkey == NULL && clientReplyAbandoned(s->c)) break;
    }
}

#define ZRANGE_AUTO -1

/* The body of ZRANGE, ZRANGESTORE, ZREVRANGE, Z[REV]RANGEBYSCORE and
 * Z[REV]RANGEBYLEX. argv[first] is the source key, then min and max, then
 * options. type and reverse are ZRANGE_AUTO when the options may choose
 * them (ZRANGE, ZRANGESTORE). dstkey is set for ZRANGESTORE. */
static void zrangeGeneric(client *c, int first, robj *dstkey, int type, int reverse) {
    robj *key = c->argv[first];
    robj *minarg = c->argv[first + 1], *maxarg = c->argv[first + 2];
    int withscores = 0, can_choose_type = type == ZRANGE_AUTO, can_choose_dir = reverse == ZRANGE_AUTO;
    long offset = 0, limit = -1;
    if (reverse == ZRANGE_AUTO) reverse = 0;
    if (type == ZRANGE_AUTO) type = ZRANGE_RANK;

    for (int j = first + 3; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        int left = c->argc - j - 1;
        if (!dstkey && !strcasecmp(opt, "withscores")) {
            withscores = 1;
        } else if (left >= 2 && !strcasecmp(opt, "limit")) {
            if (getLongFromObjectOrReply(c, c->argv[j + 1], &offset, NULL) != C_OK ||
                getLongFromObjectOrReply(c, c->argv[j + 2], &limit, NULL) != C_OK)
                return;
            j += 2;
        } else if (can_choose_dir && !strcasecmp(opt, "rev")) {
            reverse = 1;
            can_choose_dir = 0;
        } else if (can_choose_type && !strcasecmp(opt, "bylex")) {
            type = ZRANGE_LEX;
            can_choose_type = 0;
        } else if (can_choose_type && !strcasecmp(opt, "byscore")) {
            type = ZRANGE_SCORE;
            can_choose_type = 0;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
    }
    /* Only a count other than -1 conflicts with a rank range: "LIMIT n -1"
     * is accepted and ignored, as Redis does. */
    if (limit != -1 && type == ZRANGE_RANK) {
        addReplyError(c, "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        return;
    }
    if (withscores && type == ZRANGE_LEX) {
        addReplyError(c, "syntax error, WITHSCORES not supported in combination with BYLEX");
        return;
    }
    /* The reversed score and lex forms take max before min. */
    if (reverse && type != ZRANGE_RANK) {
        robj *tmp = minarg;
        minarg = maxarg;
        maxarg = tmp;
    }

    long start = 0, end = 0;
    zrangespec range;
    zlexrangespec lexrange;
    if (type == ZRANGE_RANK) {
        if (getLongFromObjectOrReply(c, minarg, &start, NULL) != C_OK ||
            getLongFromObjectOrReply(c, maxarg, &end, NULL) != C_OK)
            return;
    } else if (type == ZRANGE_SCORE) {
        if (zslParseRange(minarg, maxarg, &range) != C_OK) {
            addReplyError(c, "min or max is not a float");
            return;
        }
    } else if (zslParseLexRange(minarg, maxarg, &lexrange) != C_OK) {
        addReplyError(c, "min or max not valid string range item");
        return;
    }

    zrangeSink sink = {c, dstkey, NULL, withscores, 0, NULL};
    robj *zobj = lookupKeyRead(c->db, key);
    if (checkType(c, zobj, OBJ_ZSET)) goto cleanup;
    if (zobj == NULL) {
        if (dstkey) {
            zrangeSinkBegin(&sink, 0);
            zrangeSinkEnd(&sink);
        } else {
            addReply(c, shared.emptyarray);
        }
        goto cleanup;
    }

    zsetIterator it;
    if (type == ZRANGE_RANK) {
        if (!zsetNormalizeRanks((long)zsetLength(zobj), &start, &end)) {
            zrangeSinkBegin(&sink, 0);
        } else {
            zrangeSinkBegin(&sink, end - start + 1);
            zsetIterInitRank(&it, zobj, (unsigned long)start, reverse);
            zrangeEmitFromIterator(&sink, &it, 0, end - start + 1);
        }
    } else {
        zrangeSinkBegin(&sink, -1);
        int any = type == ZRANGE_SCORE ? zsetIterInitScore(&it, zobj, &range, reverse)
                                       : zsetIterInitLex(&it, zobj, &lexrange, reverse);
        if (any) zrangeEmitFromIterator(&sink, &it, offset, limit);
    }
    zrangeSinkEnd(&sink);
cleanup:
    if (type == ZRANGE_LEX) zslFreeLexRange(&lexrange);
}

void zrangeCommand(client *c) {
    zrangeGeneric(c, 1, NULL, ZRANGE_AUTO, ZRANGE_AUTO);
}

void zrangestoreCommand(client *c) {
    zrangeGeneric(c, 2, c->argv[1], ZRANGE_AUTO, ZRANGE_AUTO);
}

void zrevrangeCommand(client *c) {
    zrangeGeneric(c, 1, NULL, ZRANGE_RANK, 1);
}

void zrangebyscoreCommand(client *c) {
    zrangeGeneric(c, 1, NULL, ZRANGE_SCORE, 0);
}

void zrevrangebyscoreCommand(client *c) {
    zrangeGeneric(c, 1, NULL, ZRANGE_SCORE, 1);
}

void zrangebylexCommand(client *c) {
    zrangeGeneric(c, 1, NULL, ZRANGE_LEX, 0);
}

void zrevrangebylexCommand(client *c) {
    zrangeGeneric(c, 1, NULL, ZRANGE_LEX, 1);
}

/* ------------------------------------------------------------ pops */

/* The blocking pops and ZMPOP (the callers that emit the key) are
 * propagated as ZPOPMIN/ZPOPMAX key [n], n the number popped (-1: none). */
static void propagateZpop(client *c, robj *key, int where, long n) {
    robj *word = where == ZSET_MAX ? propw.zpopmax : propw.zpopmin;
    if (n < 0) {
        rewritePropagatedCommand(c, 2, word, key);
        return;
    }
    robj *count = createStringObjectFromLongLong(n);
    rewritePropagatedCommand(c, 3, word, key, count);
    decrRefCount(count);
}

/* Pops from the first non-empty sorted set among keyv[0..keyc): its lowest
 * (where == ZSET_MIN) or highest members. count < 0 means "no count given":
 * one member, replied flat [member, score] (or [key, member, score] with
 * emitkey, for BZPOPMIN/BZPOPMAX). Otherwise up to count members: with
 * use_nested_array the reply is [key, [[member, score] ...]] (ZMPOP,
 * BZMPOP); else a flat list in RESP2 and pairs in RESP3. When every key is
 * missing the reply is a null array if reply_nil_when_empty, else an empty
 * array. *deleted (if not NULL) is set to 1 when the set was emptied and
 * its key removed. A wrong-typed key replies WRONGTYPE. */
void genericZpopCommand(client *c, robj **keyv, int keyc, int where, int emitkey, long count,
                        int use_nested_array, int reply_nil_when_empty, int *deleted) {
    if (deleted) *deleted = 0;
    robj *key = NULL, *zobj = NULL;
    for (int j = 0; j < keyc; j++) {
        zobj = lookupKeyWrite(c->db, keyv[j]);
        if (zobj == NULL) continue;
        if (checkType(c, zobj, OBJ_ZSET)) return;
        key = keyv[j];
        break;
    }
    if (zobj == NULL) {
        if (reply_nil_when_empty)
            addReplyNullArray(c);
        else
            addReply(c, shared.emptyarray);
        return;
    }

    if (count == 0) {
        addReply(c, shared.emptyarray);
        return;
    }
    int single = count < 0;
    unsigned long len = zsetLength(zobj);
    long n = single ? 1 : (count > (long)len ? (long)len : count);
    int pairs = use_nested_array || (!single && c->resp > 2);
    if (use_nested_array) {
        addReplyArrayLen(c, 2);
        addReplyBulk(c, key);
        addReplyArrayLen(c, n);
    } else if (pairs) {
        addReplyArrayLen(c, n);
    } else {
        addReplyArrayLen(c, n * 2 + (emitkey ? 1 : 0));
        if (emitkey) addReplyBulk(c, key);
    }
    for (long i = 0; i < n; i++) {
        sds ele;
        double score;
        serverAssert(zsetPop(zobj, where == ZSET_MAX, &ele, &score));
        if (pairs) addReplyArrayLen(c, 2);
        addReplyBulkCBuffer(c, ele, sdslen(ele));
        addReplyDouble(c, score);
        sdsfree(ele);
    }
    notifyKeyspaceEvent(NOTIFY_ZSET, where == ZSET_MAX ? "zpopmax" : "zpopmin", key, c->db->id);
    if (zsetLength(zobj) == 0) {
        dbDelete(c->db, key);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
        if (deleted) *deleted = 1;
    }
    signalModifiedKey(c, c->db, key);
    server.dirty += n;
    if (emitkey) propagateZpop(c, key, where, use_nested_array ? n : -1);
}

/* ZPOPMIN / ZPOPMAX key [count] */
static void zpopMinMaxCommand(client *c, int where) {
    if (c->argc > 3) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    long count = -1;
    if (c->argc == 3 && getPositiveLongFromObjectOrReply(c, c->argv[2], &count, NULL) != C_OK) return;
    genericZpopCommand(c, &c->argv[1], 1, where, 0, count, 0, 0, NULL);
}

void zpopminCommand(client *c) {
    zpopMinMaxCommand(c, ZSET_MIN);
}

void zpopmaxCommand(client *c) {
    zpopMinMaxCommand(c, ZSET_MAX);
}

/* ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
void zmpopCommand(client *c) {
    long numkeys, count = -1;
    if (getRangeLongFromObjectOrReply(c, c->argv[1], 1, LONG_MAX, &numkeys, "numkeys should be greater than 0") !=
        C_OK)
        return;
    if (numkeys > c->argc - 3) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    int whereidx = 2 + (int)numkeys, where;
    const char *w = c->argv[whereidx]->ptr;
    if (!strcasecmp(w, "min")) {
        where = ZSET_MIN;
    } else if (!strcasecmp(w, "max")) {
        where = ZSET_MAX;
    } else {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    for (int j = whereidx + 1; j < c->argc; j++) {
        if (count == -1 && j + 1 < c->argc && !strcasecmp(c->argv[j]->ptr, "count")) {
            if (getRangeLongFromObjectOrReply(c, c->argv[j + 1], 1, LONG_MAX, &count,
                                              "count should be greater than 0") != C_OK)
                return;
            j++;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
    }
    genericZpopCommand(c, &c->argv[2], (int)numkeys, where, 1, count == -1 ? 1 : count, 1, 1, NULL);
}

/* ------------------------------------------------------------ ZRANDMEMBER */

#define ZRANDMEMBER_BATCH 1000

/* ZRANDMEMBER key count [WITHSCORES], count already parsed. */
static void zrandmemberWithCount(client *c, long count, int withscores) {
    robj *zobj = lookupKeyReadOrReply(c, c->argv[1], shared.emptyarray);
    if (zobj == NULL || checkType(c, zobj, OBJ_ZSET)) return;
    unsigned long size = zsetLength(zobj);
    int flat = withscores && c->resp == 2;
    if (count == 0) {
        addReply(c, shared.emptyarray);
        return;
    }

    /* Negative count: count picks, repetitions allowed. */
    if (count < 0) {
        unsigned long want = (unsigned long)-count;
        addReplyArrayLen(c, (long)(flat ? want * 2 : want));
        listpackEntry *eles = zmalloc(sizeof(listpackEntry) * ZRANDMEMBER_BATCH);
        double *scores = zmalloc(sizeof(double) * ZRANDMEMBER_BATCH);
        while (want && !clientReplyAbandoned(c)) {
            unsigned int batch = want > ZRANDMEMBER_BATCH ? ZRANDMEMBER_BATCH : (unsigned int)want;
            zsetRandomElements(zobj, batch, eles, scores);
            for (unsigned int i = 0; i < batch; i++) addReplyZsetMember(c, &eles[i], scores[i], withscores);
            want -= batch;
        }
        zfree(eles);
        zfree(scores);
        return;
    }

    /* As many as the set has or more: the whole set, highest score first
     * (the order Redis 7.0 gives). */
    zsetIterator it;
    listpackEntry e;
    double score;
    if ((unsigned long)count >= size) {
        addReplyArrayLen(c, (long)(flat ? size * 2 : size));
        zsetIterInitRank(&it, zobj, 0, 1);
        while (!clientReplyAbandoned(c) && zsetIterNext(&it, &e, &score)) addReplyZsetMember(c, &e, score, withscores);
        return;
    }

    addReplyArrayLen(c, flat ? count * 2 : count);
    if ((unsigned long)count * 3 > size) {
        /* A large share: take all, shuffle the first count into place. */
        listpackEntry *eles = zmalloc(sizeof(listpackEntry) * size);
        double *scores = zmalloc(sizeof(double) * size);
        unsigned long n = 0;
        zsetIterInitRank(&it, zobj, 0, 0);
        while (zsetIterNext(&it, &eles[n], &scores[n])) n++;
        for (unsigned long i = 0; i < (unsigned long)count && !clientReplyAbandoned(c); i++) {
            unsigned long j = i + (unsigned long)random() % (n - i);
            listpackEntry te = eles[i];
            double ts = scores[i];
            eles[i] = eles[j];
            scores[i] = scores[j];
            eles[j] = te;
            scores[j] = ts;
            addReplyZsetMember(c, &eles[i], scores[i], withscores);
        }
        zfree(eles);
        zfree(scores);
        return;
    }

    /* A small share: draw until count distinct members were seen. */
    dict *seen = dictCreate(&sdsSetDictType);
    while (dictSize(seen) < (unsigned long)count && !clientReplyAbandoned(c)) {
        zsetRandomElements(zobj, 1, &e, &score);
        sds ele = zsetEntryToSds(&e);
        if (dictAdd(seen, ele, NULL) != DICT_OK) {
            sdsfree(ele);
            continue;
        }
        addReplyZsetMember(c, &e, score, withscores);
    }
    dictRelease(seen);
}

/* ZRANDMEMBER key [count [WITHSCORES]] */
void zrandmemberCommand(client *c) {
    if (c->argc >= 3) {
        long count;
        int withscores = 0;
        if (getLongFromObjectOrReply(c, c->argv[2], &count, NULL) != C_OK) return;
        if (count < -LONG_MAX) {
            addReplyErrorFormat(c, "value is out of range, value must between %ld and %ld", -LONG_MAX, LONG_MAX);
            return;
        }
        if (c->argc > 4 || (c->argc == 4 && strcasecmp(c->argv[3]->ptr, "withscores"))) {
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
        if (c->argc == 4) {
            withscores = 1;
            if (count > LONG_MAX / 2 || count < -LONG_MAX / 2) {
                addReplyError(c, "value is out of range");
                return;
            }
        }
        zrandmemberWithCount(c, count, withscores);
        return;
    }
    robj *zobj = lookupKeyReadOrReply(c, c->argv[1], shared.null[c->resp]);
    if (zobj == NULL || checkType(c, zobj, OBJ_ZSET)) return;
    listpackEntry e;
    double score;
    zsetRandomElements(zobj, 1, &e, &score);
    addReplyZsetEntry(c, &e);
}

/* ------------------------------------------------------------ set operations */

#define ZSETOP_UNION 0
#define ZSETOP_INTER 1
#define ZSETOP_DIFF 2

#define ZAGG_SUM 0
#define ZAGG_MIN 1
#define ZAGG_MAX 2

/* One input of a set operation: a sorted set, a plain set (every member
 * scores 1) or NULL for a missing key. */
typedef struct zopSource {
    robj *obj;
    double weight;
} zopSource;

static unsigned long zopLength(const zopSource *s) {
    if (s->obj == NULL) return 0;
    return s->obj->type == OBJ_ZSET ? zsetLength(s->obj) : setTypeSize(s->obj);
}

/* The score of ele in the source (unweighted). C_ERR when absent. */
static int zopScore(const zopSource *s, sds ele, double *score) {
    if (s->obj == NULL) return C_ERR;
    if (s->obj->type == OBJ_ZSET) return zsetScore(s->obj, ele, score);
    if (!setTypeIsMember(s->obj, ele)) return C_ERR;
    *score = 1.0;
    return C_OK;
}

typedef void zopVisitFn(void *ctx, sds ele, double score);

/* Calls fn on each member of the source with its unweighted score; ele is
 * a temporary string, valid during the call. */
static void zopForEach(const zopSource *s, zopVisitFn *fn, void *ctx) {
    if (s->obj == NULL) return;
    if (s->obj->type == OBJ_ZSET) {
        zsetIterator it;
        listpackEntry e;
        double score;
        zsetIterInitRank(&it, s->obj, 0, 0);
        while (zsetIterNext(&it, &e, &score)) {
            sds ele = zsetEntryToSds(&e);
            fn(ctx, ele, score);
            sdsfree(ele);
        }
        return;
    }
    setTypeIterator *si = setTypeInitIterator(s->obj);
    sds ele;
    while ((ele = setTypeNextObject(si)) != NULL) {
        fn(ctx, ele, 1.0);
        sdsfree(ele);
    }
    setTypeReleaseIterator(si);
}

/* Weighted score; NaN (0 * inf) counts as 0. */
static double zopWeighted(double score, double weight) {
    double v = score * weight;
    return isnan(v) ? 0 : v;
}

static double zopAggregate(double acc, double v, int aggregate) {
    if (aggregate == ZAGG_SUM) {
        acc += v;
        return isnan(acc) ? 0 : acc; /* inf + -inf */
    }
    if (aggregate == ZAGG_MIN) return v < acc ? v : acc;
    return v > acc ? v : acc;
}

/* The state of one set operation while it runs. */
typedef struct zopState {
    zopSource *src;
    int setnum;
    int aggregate;
    robj *dst;         /* the result, skiplist-encoded */
    dict *acc;         /* union: member -> aggregated score so far */
    size_t maxelelen, totelelen;
    long limit;        /* ZINTERCARD: stop after this many (0: no limit) */
    long card;         /* ZINTERCARD: members found */
    int idx;           /* the source being visited */
} zopState;

/* Adds ele to the result with score (it must not be there yet). */
static void zopAdd(zopState *st, sds ele, double score) {
    int outflags;
    zsetAdd(st->dst, score, ele, ZADD_IN_NONE, &outflags, NULL);
    size_t len = sdslen(ele);
    if (len > st->maxelelen) st->maxelelen = len;
    st->totelelen += len;
}

/* Union scores are aggregated apart (the exact double matters: a sum may
 * turn -0 into 0, which a set update would not record) and inserted into
 * the result at the end. */
static void zopUnionVisit(void *ctx, sds ele, double score) {
    zopState *st = ctx;
    double v = zopWeighted(score, st->src[st->idx].weight);
    dictEntry *existing, *de = dictAddRaw(st->acc, ele, &existing);
    if (de) {
        de->key = sdsdup(ele);
        dictSetDoubleVal(de, v);
    } else {
        dictSetDoubleVal(existing, zopAggregate(dictGetDoubleVal(existing), v, st->aggregate));
    }
}

static void zopInterVisit(void *ctx, sds ele, double score) {
    zopState *st = ctx;
    if (st->limit && st->card >= st->limit) return;
    double acc = zopWeighted(score, st->src[0].weight);
    for (int j = 1; j < st->setnum; j++) {
        /* The set being walked is not looked into: a lookup could take an
         * incremental rehash step under its iterator. */
        double s = score;
        if (st->src[j].obj != st->src[0].obj && zopScore(&st->src[j], ele, &s) != C_OK) return;
        /* As in Redis, only the first input's weighted score is cleaned of
         * NaN here; a NaN sum becomes 0 in zopAggregate. */
        acc = zopAggregate(acc, s * st->src[j].weight, st->aggregate);
    }
    st->card++;
    if (st->dst) zopAdd(st, ele, acc);
}

static void zopDiffVisit(void *ctx, sds ele, double score) {
    zopState *st = ctx;
    double s;
    for (int j = 1; j < st->setnum; j++)
        if (st->src[j].obj == st->src[0].obj || zopScore(&st->src[j], ele, &s) == C_OK) return;
    zopAdd(st, ele, score);
}

/* Stable sort of the sources by size, smallest first (the order decides in
 * which order floating point scores are summed). */
static void zopSortBySize(zopSource *src, int n) {
    for (int i = 1; i < n; i++) {
        zopSource x = src[i];
        unsigned long len = zopLength(&x);
        int j = i - 1;
        while (j >= 0 && zopLength(&src[j]) > len) {
            src[j + 1] = src[j];
            j--;
        }
        src[j + 1] = x;
    }
}

/* The event a STORE form of the set operation op announces. */
static const char *zsetStoreEvent(int op) {
    if (op == ZSETOP_UNION) return "zunionstore";
    return op == ZSETOP_INTER ? "zinterstore" : "zdiffstore";
}

/* Z{UNION,INTER,DIFF}[STORE] and ZINTERCARD. argv[numkeysidx] is the
 * number of input keys, which follow it; then the options. dstkey is set
 * for the STORE forms; cardonly for ZINTERCARD. */
static void zsetOpGeneric(client *c, robj *dstkey, int numkeysidx, int op, int cardonly) {
    long setnum;
    if (getLongFromObjectOrReply(c, c->argv[numkeysidx], &setnum, NULL) != C_OK) return;
    if (setnum < 1) {
        addReplyErrorFormat(c, "at least 1 input key is needed for '%s' command", c->cmd->fullname);
        return;
    }
    if (setnum > c->argc - numkeysidx - 1) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }

    zopSource *src = zcalloc(sizeof(zopSource) * setnum);
    for (long i = 0; i < setnum; i++) {
        robj *key = c->argv[numkeysidx + 1 + i];
        robj *obj = lookupKeyRead(c->db, key);
        if (obj && obj->type != OBJ_ZSET && obj->type != OBJ_SET) {
            addReplyErrorObject(c, shared.wrongtypeerr);
            zfree(src);
            return;
        }
        src[i].obj = obj;
        src[i].weight = 1.0;
    }

    int aggregate = ZAGG_SUM, withscores = 0;
    long limit = 0;
    for (int j = numkeysidx + 1 + (int)setnum; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        int remaining = c->argc - j;
        if (op != ZSETOP_DIFF && !cardonly && remaining >= setnum + 1 && !strcasecmp(opt, "weights")) {
            for (long i = 0; i < setnum; i++) {
                if (getDoubleFromObjectOrReply(c, c->argv[++j], &src[i].weight, "weight value is not a float") !=
                    C_OK) {
                    zfree(src);
                    return;
                }
            }
        } else if (op != ZSETOP_DIFF && !cardonly && remaining >= 2 && !strcasecmp(opt, "aggregate")) {
            const char *agg = c->argv[++j]->ptr;
            if (!strcasecmp(agg, "sum")) aggregate = ZAGG_SUM;
            else if (!strcasecmp(agg, "min")) aggregate = ZAGG_MIN;
            else if (!strcasecmp(agg, "max")) aggregate = ZAGG_MAX;
            else {
                zfree(src);
                addReplyErrorObject(c, shared.syntaxerr);
                return;
            }
        } else if (!dstkey && !cardonly && !strcasecmp(opt, "withscores")) {
            withscores = 1;
        } else if (cardonly && remaining >= 2 && !strcasecmp(opt, "limit")) {
            if (getPositiveLongFromObjectOrReply(c, c->argv[++j], &limit, "LIMIT can't be negative") != C_OK) {
                zfree(src);
                return;
            }
        } else {
            zfree(src);
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
    }

    zopState st = {src, (int)setnum, aggregate, NULL, NULL, 0, 0, limit, 0, 0};
    if (!cardonly) st.dst = zsetCreate(SIZE_MAX, 0);
    if (op != ZSETOP_DIFF) zopSortBySize(src, (int)setnum);
    if (op == ZSETOP_UNION) {
        st.acc = dictCreate(&sdsSetDictType);
        for (st.idx = 0; st.idx < setnum; st.idx++) zopForEach(&src[st.idx], zopUnionVisit, &st);
        dictIterator di;
        dictEntry *de;
        dictInitIterator(&di, st.acc);
        while ((de = dictNext(&di)) != NULL) zopAdd(&st, dictGetKey(de), dictGetDoubleVal(de));
        dictResetIterator(&di);
        dictRelease(st.acc);
    } else if (op == ZSETOP_INTER) {
        if (zopLength(&src[0]) > 0) zopForEach(&src[0], zopInterVisit, &st);
    } else {
        zopForEach(&src[0], zopDiffVisit, &st);
    }
    zfree(src);

    if (cardonly) {
        addReplyLongLong(c, st.card);
        return;
    }
    unsigned long len = zsetLength(st.dst);
    if (dstkey) {
        if (len) {
            zsetConvertToListpackIfNeeded(st.dst, st.maxelelen, st.totelelen);
            setKey(c, c->db, dstkey, st.dst, 0);
            addReplyLongLong(c, (long long)len);
            notifyKeyspaceEvent(NOTIFY_ZSET, zsetStoreEvent(op), dstkey, c->db->id);
            server.dirty++;
        } else {
            addReply(c, shared.czero);
            if (dbDelete(c->db, dstkey)) {
                signalModifiedKey(c, c->db, dstkey);
                notifyKeyspaceEvent(NOTIFY_GENERIC, "del", dstkey, c->db->id);
                server.dirty++;
            }
        }
    } else {
        zsetIterator it;
        listpackEntry e;
        double score;
        addReplyArrayLen(c, (long)(withscores && c->resp == 2 ? len * 2 : len));
        zsetIterInitRank(&it, st.dst, 0, 0);
        while (!clientReplyAbandoned(c) && zsetIterNext(&it, &e, &score)) addReplyZsetMember(c, &e, score, withscores);
    }
    decrRefCount(st.dst);
}

void zunionstoreCommand(client *c) {
    zsetOpGeneric(c, c->argv[1], 2, ZSETOP_UNION, 0);
}

void zinterstoreCommand(client *c) {
    zsetOpGeneric(c, c->argv[1], 2, ZSETOP_INTER, 0);
}

void zdiffstoreCommand(client *c) {
    zsetOpGeneric(c, c->argv[1], 2, ZSETOP_DIFF, 0);
}

void zunionCommand(client *c) {
    zsetOpGeneric(c, NULL, 1, ZSETOP_UNION, 0);
}

void zinterCommand(client *c) {
    zsetOpGeneric(c, NULL, 1, ZSETOP_INTER, 0);
}

void zdiffCommand(client *c) {
    zsetOpGeneric(c, NULL, 1, ZSETOP_DIFF, 0);
}

void zintercardCommand(client *c) {
    zsetOpGeneric(c, NULL, 1, ZSETOP_INTER, 1);
}

/* ------------------------------------------------------------ ZSCAN */

/* ZSCAN key cursor [MATCH pattern] [COUNT count] */
void zscanCommand(client *c) {
    scanCollectionCommand(c, OBJ_ZSET);
}
