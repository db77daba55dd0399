/* t_zset.c — the sorted set type: its two encodings and its type API.
 *
 * A sorted set maps members (binary strings) to scores (doubles) and keeps
 * the members ordered by score, ties broken by comparing the member bytes.
 * Two encodings, chosen as Redis 7.0 chooses them so OBJECT ENCODING and
 * the conversion points answer the same:
 *
 *   listpack  One listpack holding member, score, member, score ... in
 *             order.  A score is written as d2string prints it, so integral
 *             scores become listpack integers.  Used while the set has at
 *             most zset-max-listpack-entries members, none longer than
 *             zset-max-listpack-value bytes.  Every operation is a walk.
 *
 *   skiplist  A `zset`: a skiplist ordered by (score, member) whose nodes
 *             carry a span per level (so ranks are O(log N)), plus a
 *             ptable (src/lib/ptable.h) member -> node for O(1) score
 *             lookups.  One allocation per member: the node holds the
 *             score, the backward link, its levels and then the member's
 *             bytes, and the table's elements are the nodes themselves
 *             (hashed with the seeded siphash of the member, as the dicts
 *             are, so the ZSCAN order is random per process).  Replies are
 *             built straight from the node's bytes.  A score change keeps
 *             the node (relinked at its new place, same height), so the
 *             table never needs updating.  Levels are drawn with p = 1/4,
 *             at most 32.  The table shrinks after deletions as a dict
 *             would (ptShrinkIfSparse).
 *
 * A listpack set becomes a skiplist when an insertion would break either
 * limit.  A skiplist never goes back on its own; only the commands that
 * build a whole new set (ZUNIONSTORE and friends) shrink their result with
 * zsetConvertToListpackIfNeeded, as Redis does.
 *
 * Commands (t_zset_cmd.c) never look at the encoding: they use the API in
 * this file — create/length/add/delete/score/rank/pop, range specs and their
 * parsing, an iterator that walks by rank, score range or lex range in
 * either direction, range deletion and counting, random sampling and the
 * ZSCAN step.  Elements cross the API as listpackEntry (a string pointer
 * and length, or an integer when sval is NULL); the pointer is borrowed and
 * valid until the set is next modified.
 */
#include "server.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZSKIPLIST_MAXLEVEL 32

/* ------------------------------------------------------------ helpers */

/* Orders two byte strings as memcmp does, the shorter first on a tie. */
static int zbytesCmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen) {
    size_t min = alen < blen ? alen : blen;
    int cmp = min ? memcmp(a, b, min) : 0;
    if (cmp) return cmp;
    return alen < blen ? -1 : (alen > blen ? 1 : 0);
}

/* The bytes of an element: its string, or its integer printed into buf
 * (LP_INTBUF_SIZE bytes). */
static const unsigned char *zentryBytes(const listpackEntry *e, unsigned char *buf, size_t *len) {
    if (e->sval) {
        *len = e->slen;
        return e->sval;
    }
    *len = (size_t)ll2string((char *)buf, LP_INTBUF_SIZE, e->lval);
    return buf;
}

/* A new sds holding the element's bytes. The caller owns it. */
sds zsetEntryToSds(const listpackEntry *e) {
    if (e->sval) return sdsnewlen(e->sval, e->slen);
    return sdsfromlonglong(e->lval);
}

/* Length in bytes of the element as a string. */
size_t zsetEntryLen(const listpackEntry *e) {
    unsigned char buf[LP_INTBUF_SIZE];
    size_t len;
    zentryBytes(e, buf, &len);
    return len;
}

/* ------------------------------------------------------------ ranges */

static int zrangeGteMin(double v, const zrangespec *r) {
    return r->minex ? v > r->min : v >= r->min;
}

static int zrangeLteMax(double v, const zrangespec *r) {
    return r->maxex ? v < r->max : v <= r->max;
}

/* 1 when no score can satisfy the range. */
static int zrangeIsEmpty(const zrangespec *r) {
    return r->min > r->max || (r->min == r->max && (r->minex || r->maxex));
}

/* One score bound: "(x" is exclusive, anything else inclusive. The text is
 * read by strtod and must be used up entirely and not be NaN (so "(" alone
 * reads as 0, and leading blanks are accepted, as in Redis). */
static int zparseScoreBound(robj *o, double *value, int *exclusive) {
    char buf[LONG_STR_SIZE];
    const char *s;
    if (sdsEncodedObject(o)) {
        s = o->ptr;
    } else {
        ll2string(buf, sizeof(buf), (long)o->ptr);
        s = buf;
    }
    *exclusive = 0;
    if (s[0] == '(') {
        *exclusive = 1;
        s++;
    }
    char *end;
    *value = strtod(s, &end);
    if (*end != '\0' || isnan(*value)) return C_ERR;
    return C_OK;
}

/* Parses the min and max of a score range. C_ERR when either is invalid
 * (the caller replies "min or max is not a float"). */
int zslParseRange(robj *min, robj *max, zrangespec *spec) {
    if (zparseScoreBound(min, &spec->min, &spec->minex) != C_OK) return C_ERR;
    if (zparseScoreBound(max, &spec->max, &spec->maxex) != C_OK) return C_ERR;
    return C_OK;
}

/* One lex bound: "-" and "+" are the infinities, "[x" includes x, "(x"
 * excludes it. Sets *bound to a new sds (NULL for an infinity). */
static int zparseLexBound(robj *o, sds *bound, int *exclusive, int *inf) {
    robj *d = getDecodedObject(o);
    sds s = d->ptr;
    size_t len = sdslen(s);
    int ret = C_OK;
    *bound = NULL;
    *inf = 0;
    *exclusive = 0;
    if (len == 1 && (s[0] == '-' || s[0] == '+')) {
        *inf = s[0] == '-' ? -1 : 1;
        *exclusive = 1;
    } else if (len >= 1 && (s[0] == '(' || s[0] == '[')) {
        *exclusive = s[0] == '(';
        *bound = sdsnewlen(s + 1, len - 1);
    } else {
        ret = C_ERR;
    }
    decrRefCount(d);
    return ret;
}

/* Parses the min and max of a lex range. On success the spec owns two
 * strings to release with zslFreeLexRange. C_ERR when either is invalid
 * (the caller replies "min or max not valid string range item"). */
int zslParseLexRange(robj *min, robj *max, zlexrangespec *spec) {
    spec->min = spec->max = NULL;
    if (zparseLexBound(min, &spec->min, &spec->minex, &spec->mininf) != C_OK ||
        zparseLexBound(max, &spec->max, &spec->maxex, &spec->maxinf) != C_OK) {
        zslFreeLexRange(spec);
        return C_ERR;
    }
    return C_OK;
}

void zslFreeLexRange(zlexrangespec *spec) {
    sdsfree(spec->min);
    sdsfree(spec->max);
    spec->min = spec->max = NULL;
}

/* Compares a value with a lex bound (string or infinity). */
static int zlexCmpBound(const unsigned char *v, size_t vlen, sds bound, int inf) {
    if (inf) return -inf;
    return zbytesCmp(v, vlen, (const unsigned char *)bound, sdslen(bound));
}

static int zlexGteMin(const unsigned char *v, size_t vlen, const zlexrangespec *r) {
    int cmp = zlexCmpBound(v, vlen, r->min, r->mininf);
    return r->minex ? cmp > 0 : cmp >= 0;
}

static int zlexLteMax(const unsigned char *v, size_t vlen, const zlexrangespec *r) {
    int cmp = zlexCmpBound(v, vlen, r->max, r->maxinf);
    return r->maxex ? cmp < 0 : cmp <= 0;
}

/* 1 when no string can satisfy the range. */
static int zlexIsEmpty(const zlexrangespec *r) {
    int cmp;
    if (r->mininf || r->maxinf) {
        /* -inf < any string < +inf; equal infinities compare equal. */
        int a = r->mininf, b = r->maxinf;
        if (a == b) cmp = 0;
        else if (a == -1 || b == 1) cmp = -1;
        else cmp = 1;
    } else {
        cmp = zbytesCmp((unsigned char *)r->min, sdslen(r->min), (unsigned char *)r->max, sdslen(r->max));
    }
    return cmp > 0 || (cmp == 0 && (r->minex || r->maxex));
}

static int zlexEntryGteMin(const listpackEntry *e, const zlexrangespec *r) {
    unsigned char buf[LP_INTBUF_SIZE];
    size_t len;
    const unsigned char *p = zentryBytes(e, buf, &len);
    return zlexGteMin(p, len, r);
}

static int zlexEntryLteMax(const listpackEntry *e, const zlexrangespec *r) {
    unsigned char buf[LP_INTBUF_SIZE];
    size_t len;
    const unsigned char *p = zentryBytes(e, buf, &len);
    return zlexLteMax(p, len, r);
}

/* ------------------------------------------------------------ skiplist */

/* A member looked up in the member table: its bytes and length. */
typedef struct zmemberKey {
    const unsigned char *buf;
    size_t len;
} zmemberKey;

static uint64_t zmemberHash(const void *elem) {
    const zskiplistNode *n = elem;
    return dictGenHashFunction(zslNodeEle(n), zslNodeEleLen(n));
}

static int zmemberMatch(const void *elem, const void *key) {
    const zskiplistNode *n = elem;
    const zmemberKey *k = key;
    return zslNodeEleLen(n) == k->len && bytesEqual(zslNodeEle(n), k->buf, k->len);
}

static const ptableType zmemberTableType = {zmemberHash, zmemberMatch};

/* A node of `level` levels holding score and a copy of ele[0..len). */
static zskiplistNode *zslCreateNode(int level, double score, const unsigned char *ele, size_t len) {
    zskiplistNode *n = zmalloc(sizeof(*n) + (size_t)level * sizeof(struct zskiplistLevel) + len);
    n->score = score;
    n->backward = NULL;
    n->height = (uint64_t)level;
    n->elelen = (uint64_t)len;
    if (len) memcpy(n->level + level, ele, len);
    return n;
}

/* An empty skiplist: a header node with every level present. */
zskiplist *zslCreate(void) {
    zskiplist *zsl = zmalloc(sizeof(*zsl));
    zsl->level = 1;
    zsl->length = 0;
    zsl->header = zslCreateNode(ZSKIPLIST_MAXLEVEL, 0, NULL, 0);
    for (int i = 0; i < ZSKIPLIST_MAXLEVEL; i++) {
        zsl->header->level[i].forward = NULL;
        zsl->header->level[i].span = 0;
    }
    zsl->tail = NULL;
    return zsl;
}

/* Frees the list and its nodes. */
void zslFree(zskiplist *zsl) {
    zskiplistNode *n = zsl->header->level[0].forward;
    zfree(zsl->header);
    while (n) {
        zskiplistNode *next = n->level[0].forward;
        zfree(n);
        n = next;
    }
    zfree(zsl);
}

/* A level in 1..32, each further level with probability 1/4. */
static int zslRandomLevel(void) {
    int level = 1;
    while (level < ZSKIPLIST_MAXLEVEL && (random() & 0xFFFF) < 0x4000) level++;
    return level;
}

/* 1 if node n sorts strictly before (score, ele); the member bytes are
 * only compared on a score tie. */
static inline int zslNodeBefore(const zskiplistNode *n, double score, const unsigned char *ele, size_t len) {
    return n->score < score || (n->score == score && zbytesCmp(zslNodeEle(n), zslNodeEleLen(n), ele, len) < 0);
}

/* 1 if node n sorts before (score, ele) or is it. */
static inline int zslNodeBeforeOrAt(const zskiplistNode *n, double score, const unsigned char *ele, size_t len) {
    return n->score < score || (n->score == score && zbytesCmp(zslNodeEle(n), zslNodeEleLen(n), ele, len) <= 0);
}

/* Fills update[] with the last node before (score, ele) at every level (and
 * rank[] with their ranks when not NULL) and returns the level-0 successor
 * of that position (a node at or after it). */
static zskiplistNode *zslFindPath(zskiplist *zsl, double score, const unsigned char *ele, size_t len,
                                  zskiplistNode **update, unsigned long *rank) {
    zskiplistNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        if (rank) rank[i] = i == zsl->level - 1 ? 0 : rank[i + 1];
        while (x->level[i].forward && zslNodeBefore(x->level[i].forward, score, ele, len)) {
            if (rank) rank[i] += x->level[i].span;
            x = x->level[i].forward;
        }
        update[i] = x;
    }
    return x->level[0].forward;
}

/* Links x (its height, score and member set; not in the list) at its place
 * in the order. */
static void zslLinkNode(zskiplist *zsl, zskiplistNode *x) {
    zskiplistNode *update[ZSKIPLIST_MAXLEVEL];
    unsigned long rank[ZSKIPLIST_MAXLEVEL];
    serverAssert(!isnan(x->score));
    zslFindPath(zsl, x->score, zslNodeEle(x), zslNodeEleLen(x), update, rank);
    int level = (int)x->height;
    if (level > zsl->level) {
        for (int i = zsl->level; i < level; i++) {
            rank[i] = 0;
            update[i] = zsl->header;
            update[i]->level[i].span = zsl->length;
        }
        zsl->level = level;
    }
    for (int i = 0; i < level; i++) {
        unsigned long before = rank[0] - rank[i]; /* nodes between update[i] and x */
        x->level[i].forward = update[i]->level[i].forward;
        update[i]->level[i].forward = x;
        x->level[i].span = update[i]->level[i].span - before;
        update[i]->level[i].span = before + 1;
    }
    for (int i = level; i < zsl->level; i++) update[i]->level[i].span++;
    x->backward = update[0] == zsl->header ? NULL : update[0];
    if (x->level[0].forward)
        x->level[0].forward->backward = x;
    else
        zsl->tail = x;
    zsl->length++;
}

/* Inserts (score, ele), which must not be present; the node gets a copy of
 * the member. Returns the new node. */
zskiplistNode *zslInsert(zskiplist *zsl, double score, const unsigned char *ele, size_t len) {
    zskiplistNode *x = zslCreateNode(zslRandomLevel(), score, ele, len);
    zslLinkNode(zsl, x);
    return x;
}

/* Takes x out of the list; update[] is its predecessor path. */
static void zslUnlinkNode(zskiplist *zsl, zskiplistNode *x, zskiplistNode **update) {
    for (int i = 0; i < zsl->level; i++) {
        if (update[i]->level[i].forward == x) {
            update[i]->level[i].span += x->level[i].span - 1;
            update[i]->level[i].forward = x->level[i].forward;
        } else {
            update[i]->level[i].span--;
        }
    }
    if (x->level[0].forward)
        x->level[0].forward->backward = x->backward;
    else
        zsl->tail = x->backward;
    while (zsl->level > 1 && zsl->header->level[zsl->level - 1].forward == NULL) zsl->level--;
    zsl->length--;
}

/* Takes the node x (which must be in the list) out; the caller frees it. */
static void zslRemoveNode(zskiplist *zsl, zskiplistNode *x) {
    zskiplistNode *update[ZSKIPLIST_MAXLEVEL];
    zskiplistNode *found = zslFindPath(zsl, x->score, zslNodeEle(x), zslNodeEleLen(x), update, NULL);
    serverAssert(found == x);
    zslUnlinkNode(zsl, x, update);
}

/* Changes the score of node x (in the list) to newscore, moving it in the
 * order when needed. The node itself stays the same allocation. */
static void zslUpdateScore(zskiplist *zsl, zskiplistNode *x, double newscore) {
    /* Still strictly between its neighbours: update in place. */
    if ((x->backward == NULL || x->backward->score < newscore) &&
        (x->level[0].forward == NULL || x->level[0].forward->score > newscore)) {
        x->score = newscore;
        return;
    }
    zslRemoveNode(zsl, x);
    x->score = newscore;
    zslLinkNode(zsl, x);
}

/* 1-based rank of (score, ele), 0 when absent. */
unsigned long zslGetRank(zskiplist *zsl, double score, const unsigned char *ele, size_t len) {
    zskiplistNode *x = zsl->header;
    unsigned long rank = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && zslNodeBeforeOrAt(x->level[i].forward, score, ele, len)) {
            rank += x->level[i].span;
            x = x->level[i].forward;
        }
    }
    if (x != zsl->header && x->score == score && zbytesCmp(zslNodeEle(x), zslNodeEleLen(x), ele, len) == 0)
        return rank;
    return 0;
}

/* The node at a 1-based rank, or NULL. */
zskiplistNode *zslGetElementByRank(zskiplist *zsl, unsigned long rank) {
    zskiplistNode *x = zsl->header;
    unsigned long traversed = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && traversed + x->level[i].span <= rank) {
            traversed += x->level[i].span;
            x = x->level[i].forward;
        }
        if (traversed == rank) return x == zsl->header ? NULL : x;
    }
    return NULL;
}

/* First node whose score is in range, or NULL. */
zskiplistNode *zslFirstInRange(zskiplist *zsl, const zrangespec *range) {
    if (zrangeIsEmpty(range) || zsl->tail == NULL || !zrangeGteMin(zsl->tail->score, range)) return NULL;
    zskiplistNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && !zrangeGteMin(x->level[i].forward->score, range)) x = x->level[i].forward;
    x = x->level[0].forward;
    return x && zrangeLteMax(x->score, range) ? x : NULL;
}

/* Last node whose score is in range, or NULL. */
zskiplistNode *zslLastInRange(zskiplist *zsl, const zrangespec *range) {
    zskiplistNode *first = zsl->header->level[0].forward;
    if (zrangeIsEmpty(range) || first == NULL || !zrangeLteMax(first->score, range)) return NULL;
    zskiplistNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && zrangeLteMax(x->level[i].forward->score, range)) x = x->level[i].forward;
    return x != zsl->header && zrangeGteMin(x->score, range) ? x : NULL;
}

static int zslNodeGteMinLex(zskiplistNode *n, const zlexrangespec *r) {
    return zlexGteMin(zslNodeEle(n), zslNodeEleLen(n), r);
}

static int zslNodeLteMaxLex(zskiplistNode *n, const zlexrangespec *r) {
    return zlexLteMax(zslNodeEle(n), zslNodeEleLen(n), r);
}

/* First node whose member is in the lex range, or NULL. Lex ranges assume
 * all scores are equal, as Redis does. */
zskiplistNode *zslFirstInLexRange(zskiplist *zsl, const zlexrangespec *range) {
    if (zlexIsEmpty(range) || zsl->tail == NULL || !zslNodeGteMinLex(zsl->tail, range)) return NULL;
    zskiplistNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && !zslNodeGteMinLex(x->level[i].forward, range)) x = x->level[i].forward;
    x = x->level[0].forward;
    return x && zslNodeLteMaxLex(x, range) ? x : NULL;
}

/* Last node whose member is in the lex range, or NULL. */
zskiplistNode *zslLastInLexRange(zskiplist *zsl, const zlexrangespec *range) {
    zskiplistNode *first = zsl->header->level[0].forward;
    if (zlexIsEmpty(range) || first == NULL || !zslNodeLteMaxLex(first, range)) return NULL;
    zskiplistNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && zslNodeLteMaxLex(x->level[i].forward, range)) x = x->level[i].forward;
    return x != zsl->header && zslNodeGteMinLex(x, range) ? x : NULL;
}

/* Removes nodes from x onwards while keep(x) holds, at most limit of them;
 * update[] is the path to x. Each node also leaves the member table t.
 * Returns how many went. */
typedef int zslKeepFn(zskiplistNode *n, const void *spec);

static unsigned long zslDeleteWhile(zskiplist *zsl, ptable *t, zskiplistNode *x, zskiplistNode **update,
                                    zslKeepFn *keep, const void *spec, unsigned long limit) {
    unsigned long removed = 0;
    while (x && removed < limit && keep(x, spec)) {
        zskiplistNode *next = x->level[0].forward;
        zslUnlinkNode(zsl, x, update);
        zmemberKey k = {zslNodeEle(x), zslNodeEleLen(x)};
        serverAssert(ptDelete(t, zmemberHash(x), &k) == x);
        zfree(x);
        removed++;
        x = next;
    }
    return removed;
}

static int zslKeepScore(zskiplistNode *n, const void *spec) {
    return zrangeLteMax(n->score, spec);
}

static int zslKeepLex(zskiplistNode *n, const void *spec) {
    return zslNodeLteMaxLex(n, spec);
}

static int zslKeepAll(zskiplistNode *n, const void *spec) {
    (void)n;
    (void)spec;
    return 1;
}

/* Deletes every node whose score is in range (and its table entry). */
static unsigned long zslDeleteRangeByScore(zskiplist *zsl, const zrangespec *range, ptable *t) {
    zskiplistNode *update[ZSKIPLIST_MAXLEVEL], *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && !zrangeGteMin(x->level[i].forward->score, range)) x = x->level[i].forward;
        update[i] = x;
    }
    return zslDeleteWhile(zsl, t, x->level[0].forward, update, zslKeepScore, range, ULONG_MAX);
}

/* Deletes every node whose member is in the lex range. */
static unsigned long zslDeleteRangeByLex(zskiplist *zsl, const zlexrangespec *range, ptable *t) {
    if (zlexIsEmpty(range)) return 0;
    zskiplistNode *update[ZSKIPLIST_MAXLEVEL], *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && !zslNodeGteMinLex(x->level[i].forward, range)) x = x->level[i].forward;
        update[i] = x;
    }
    return zslDeleteWhile(zsl, t, x->level[0].forward, update, zslKeepLex, range, ULONG_MAX);
}

/* Deletes the nodes of 1-based ranks start..end (inclusive). */
static unsigned long zslDeleteRangeByRank(zskiplist *zsl, unsigned long start, unsigned long end, ptable *t) {
    zskiplistNode *update[ZSKIPLIST_MAXLEVEL], *x = zsl->header;
    unsigned long traversed = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && traversed + x->level[i].span < start) {
            traversed += x->level[i].span;
            x = x->level[i].forward;
        }
        update[i] = x;
    }
    return zslDeleteWhile(zsl, t, x->level[0].forward, update, zslKeepAll, NULL, end - start + 1);
}

/* ------------------------------------------------------------ listpack */

/* A score stored as text in a listpack. */
static double zzlStrtod(const unsigned char *s, unsigned int slen) {
    char buf[MAX_D2STRING_CHARS];
    if (slen >= sizeof(buf)) slen = sizeof(buf) - 1;
    memcpy(buf, s, slen);
    buf[slen] = '\0';
    return strtod(buf, NULL);
}

static double zzlGetScore(unsigned char *sptr) {
    unsigned int slen;
    long long v;
    unsigned char *s = lpGetValue(sptr, &slen, &v);
    return s ? zzlStrtod(s, slen) : (double)v;
}

static void zzlGetEntry(unsigned char *p, listpackEntry *e) {
    unsigned int slen = 0;
    e->sval = lpGetValue(p, &slen, &e->lval);
    e->slen = slen;
}

/* Compares the member at p with s[0..len). */
static int zzlCompare(unsigned char *p, const unsigned char *s, size_t len) {
    listpackEntry e;
    unsigned char buf[LP_INTBUF_SIZE];
    size_t elen;
    zzlGetEntry(p, &e);
    const unsigned char *ep = zentryBytes(&e, buf, &elen);
    return zbytesCmp(ep, elen, s, len);
}

static unsigned long zzlLength(unsigned char *zl) {
    return lpLength(zl) / 2;
}

/* Moves (eptr, sptr) to the next / previous pair; both NULL at the end. */
static void zzlNext(unsigned char *zl, unsigned char **eptr, unsigned char **sptr) {
    unsigned char *e = lpNext(zl, *sptr);
    *eptr = e;
    *sptr = e ? lpNext(zl, e) : NULL;
}

static void zzlPrev(unsigned char *zl, unsigned char **eptr, unsigned char **sptr) {
    unsigned char *s = lpPrev(zl, *eptr);
    *sptr = s;
    *eptr = s ? lpPrev(zl, s) : NULL;
}

/* The member entry of ele, with its score in *score, or NULL. */
static unsigned char *zzlFind(unsigned char *zl, const unsigned char *ele, size_t len, double *score) {
    unsigned char *eptr = lpFirst(zl);
    if (eptr == NULL) return NULL;
    eptr = lpFind(zl, eptr, (unsigned char *)ele, (uint32_t)len, 1);
    if (eptr && score) *score = zzlGetScore(lpNext(zl, eptr));
    return eptr;
}

/* Deletes the pair whose member is at eptr. */
static unsigned char *zzlDelete(unsigned char *zl, unsigned char *eptr) {
    return lpDeleteRangeWithEntry(zl, &eptr, 2);
}

/* A score as text the way Redis 7.0 writes it into a listpack: an
 * integral value within +-2^62 as an integer (so -0 becomes 0 and e.g.
 * 1.2345678901234568e+17 is kept as 123456789012345680, both then stored
 * as listpack integers), anything else with %.17g ("inf", "-inf"). */
static int zzlFormatScore(char *buf, size_t len, double score) {
    const double limit = 4611686018427387904.0; /* 2^62 */
    if (score >= -limit && score <= limit) {
        long long ll = (long long)score;
        if ((double)ll == score) return ll2string(buf, len, ll);
    }
    return snprintf(buf, len, "%.17g", score);
}

/* Inserts a pair before the member at eptr, or at the end when eptr is
 * NULL. */
static unsigned char *zzlInsertAt(unsigned char *zl, unsigned char *eptr, const unsigned char *ele, size_t len,
                                  double score) {
    char sbuf[MAX_D2STRING_CHARS];
    int slen = zzlFormatScore(sbuf, sizeof(sbuf), score);
    if (eptr == NULL) {
        zl = lpAppend(zl, (unsigned char *)ele, (uint32_t)len);
        return lpAppend(zl, (unsigned char *)sbuf, (uint32_t)slen);
    }
    unsigned char *newe;
    zl = lpInsertString(zl, (unsigned char *)ele, (uint32_t)len, eptr, LP_BEFORE, &newe);
    return lpInsertString(zl, (unsigned char *)sbuf, (uint32_t)slen, newe, LP_AFTER, NULL);
}

/* Inserts a pair at its place in the order. */
static unsigned char *zzlInsert(unsigned char *zl, const unsigned char *ele, size_t len, double score) {
    unsigned char *eptr = lpFirst(zl), *sptr = eptr ? lpNext(zl, eptr) : NULL;
    while (eptr) {
        double s = zzlGetScore(sptr);
        if (s > score || (s == score && zzlCompare(eptr, ele, len) > 0)) break;
        zzlNext(zl, &eptr, &sptr);
    }
    return zzlInsertAt(zl, eptr, ele, len, score);
}

/* The member entry of the first / last pair in range, or NULL. */
static unsigned char *zzlFirstInRange(unsigned char *zl, const zrangespec *range) {
    if (zrangeIsEmpty(range)) return NULL;
    unsigned char *eptr = lpFirst(zl), *sptr = eptr ? lpNext(zl, eptr) : NULL;
    for (; eptr; zzlNext(zl, &eptr, &sptr)) {
        double s = zzlGetScore(sptr);
        if (zrangeGteMin(s, range)) return zrangeLteMax(s, range) ? eptr : NULL;
    }
    return NULL;
}

static unsigned char *zzlLastInRange(unsigned char *zl, const zrangespec *range) {
    if (zrangeIsEmpty(range)) return NULL;
    unsigned char *sptr = lpLast(zl), *eptr = sptr ? lpPrev(zl, sptr) : NULL;
    for (; eptr; zzlPrev(zl, &eptr, &sptr)) {
        double s = zzlGetScore(sptr);
        if (zrangeLteMax(s, range)) return zrangeGteMin(s, range) ? eptr : NULL;
    }
    return NULL;
}

static int zzlGteMinLex(unsigned char *eptr, const zlexrangespec *r) {
    listpackEntry e;
    zzlGetEntry(eptr, &e);
    return zlexEntryGteMin(&e, r);
}

static int zzlLteMaxLex(unsigned char *eptr, const zlexrangespec *r) {
    listpackEntry e;
    zzlGetEntry(eptr, &e);
    return zlexEntryLteMax(&e, r);
}

/* 1 when the range can hold some member: its min is not past the last
 * member and its max not before the first. Lex ranges assume all scores
 * equal; this check (done as Redis does it) keeps the answers identical
 * when they are not. */
static int zzlIsInLexRange(unsigned char *zl, const zlexrangespec *range) {
    if (zlexIsEmpty(range)) return 0;
    unsigned char *last = lpSeek(zl, -2), *first = lpSeek(zl, 0);
    return last && zzlGteMinLex(last, range) && zzlLteMaxLex(first, range);
}

static unsigned char *zzlFirstInLexRange(unsigned char *zl, const zlexrangespec *range) {
    if (!zzlIsInLexRange(zl, range)) return NULL;
    unsigned char *eptr = lpFirst(zl), *sptr = eptr ? lpNext(zl, eptr) : NULL;
    for (; eptr; zzlNext(zl, &eptr, &sptr))
        if (zzlGteMinLex(eptr, range)) return zzlLteMaxLex(eptr, range) ? eptr : NULL;
    return NULL;
}

static unsigned char *zzlLastInLexRange(unsigned char *zl, const zlexrangespec *range) {
    if (!zzlIsInLexRange(zl, range)) return NULL;
    unsigned char *sptr = lpLast(zl), *eptr = sptr ? lpPrev(zl, sptr) : NULL;
    for (; eptr; zzlPrev(zl, &eptr, &sptr))
        if (zzlLteMaxLex(eptr, range)) return zzlGteMinLex(eptr, range) ? eptr : NULL;
    return NULL;
}

/* ------------------------------------------------------------ type API */

/* An empty skiplist-encoding value. */
static zset *zsetCreateSkiplist(void) {
    zset *zs = zmalloc(sizeof(*zs));
    zs->members = ptCreate(&zmemberTableType);
    zs->zsl = zslCreate();
    return zs;
}

static void zsetFreeSkiplist(zset *zs) {
    ptRelease(zs->members, NULL);
    zslFree(zs->zsl);
    zfree(zs);
}

/* The node of member ele[0..len), whose hash is h, or NULL. */
static zskiplistNode *zsetFindNodeHashed(zset *zs, const unsigned char *ele, size_t len, uint64_t h) {
    zmemberKey k = {ele, len};
    return ptFindWith(zs->members, h, &k, zmemberMatch);
}

/* The node of member ele[0..len), or NULL. */
static zskiplistNode *zsetFindNode(zset *zs, const unsigned char *ele, size_t len) {
    return zsetFindNodeHashed(zs, ele, len, dictGenHashFunction(ele, len));
}

/* Inserts a new member (copied), whose hash is h, into the skiplist
 * encoding. */
static void zsetSkiplistInsertHashed(zset *zs, double score, const unsigned char *ele, size_t len, uint64_t h) {
    zskiplistNode *node = zslInsert(zs->zsl, score, ele, len);
    ptAdd(zs->members, h, node);
}

/* Inserts a new member (copied) into the skiplist encoding. */
static void zsetSkiplistInsert(zset *zs, double score, const unsigned char *ele, size_t len) {
    zsetSkiplistInsertHashed(zs, score, ele, len, dictGenHashFunction(ele, len));
}

/* Removes node (in zs) from the list and the table and frees it. */
static void zsetSkiplistRemove(zset *zs, zskiplistNode *node) {
    zmemberKey k = {zslNodeEle(node), zslNodeEleLen(node)};
    serverAssert(ptDelete(zs->members, zmemberHash(node), &k) == node);
    zslRemoveNode(zs->zsl, node);
    zfree(node);
    ptShrinkIfSparse(zs->members);
}

static robj *zsetCreateSkiplistObject(void) {
    robj *o = createObject(OBJ_ZSET, zsetCreateSkiplist());
    o->encoding = OBJ_ENCODING_SKIPLIST;
    return o;
}

static robj *zsetCreateListpackObject(void) {
    robj *o = createObject(OBJ_ZSET, lpNew(0));
    o->encoding = OBJ_ENCODING_LISTPACK;
    return o;
}

/* An empty sorted set, listpack-encoded when size_hint members of up to
 * maxelelen bytes fit the listpack limits, skiplist otherwise. */
robj *zsetCreate(size_t size_hint, size_t maxelelen) {
    if (size_hint <= server.encoding.zset_max_listpack_entries &&
        maxelelen <= server.encoding.zset_max_listpack_value && lpSafeToAdd(NULL, maxelelen))
        return zsetCreateListpackObject();
    return zsetCreateSkiplistObject();
}

void freeZsetObject(robj *o) {
    if (o->encoding == OBJ_ENCODING_SKIPLIST) {
        zsetFreeSkiplist(o->ptr);
    } else if (o->encoding == OBJ_ENCODING_LISTPACK) {
        lpFree(o->ptr);
    } else {
        serverPanic("Unknown sorted set encoding");
    }
}

unsigned long zsetLength(const robj *zobj) {
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) return zzlLength(zobj->ptr);
    if (zobj->encoding == OBJ_ENCODING_SKIPLIST) return ((const zset *)zobj->ptr)->zsl->length;
    serverPanic("Unknown sorted set encoding");
}

/* Converts zobj to the given encoding in place (the content must fit a
 * listpack when converting to one). */
void zsetConvert(robj *zobj, int encoding) {
    if (zobj->encoding == (unsigned)encoding) return;
    if (encoding == OBJ_ENCODING_SKIPLIST) {
        serverAssert(zobj->encoding == OBJ_ENCODING_LISTPACK);
        unsigned char *zl = zobj->ptr;
        zset *zs = zsetCreateSkiplist();
        ptExpand(zs->members, zzlLength(zl));
        unsigned char *eptr = lpFirst(zl), *sptr = eptr ? lpNext(zl, eptr) : NULL;
        for (; eptr; zzlNext(zl, &eptr, &sptr)) {
            listpackEntry e;
            unsigned char buf[LP_INTBUF_SIZE];
            size_t len;
            zzlGetEntry(eptr, &e);
            const unsigned char *ele = zentryBytes(&e, buf, &len);
            zsetSkiplistInsert(zs, zzlGetScore(sptr), ele, len);
        }
        lpFree(zl);
        zobj->ptr = zs;
        zobj->encoding = OBJ_ENCODING_SKIPLIST;
    } else if (encoding == OBJ_ENCODING_LISTPACK) {
        serverAssert(zobj->encoding == OBJ_ENCODING_SKIPLIST);
        zset *zs = zobj->ptr;
        unsigned char *zl = lpNew(0);
        for (zskiplistNode *n = zs->zsl->header->level[0].forward; n; n = n->level[0].forward)
            zl = zzlInsertAt(zl, NULL, zslNodeEle(n), zslNodeEleLen(n), n->score);
        zsetFreeSkiplist(zs);
        zobj->ptr = zl;
        zobj->encoding = OBJ_ENCODING_LISTPACK;
    } else {
        serverPanic("Unknown sorted set encoding");
    }
}

/* Turns a skiplist set back into a listpack when its size (and the longest
 * and total member lengths given) fit the listpack limits. */
void zsetConvertToListpackIfNeeded(robj *zobj, size_t maxelelen, size_t totelelen) {
    if (zobj->encoding != OBJ_ENCODING_SKIPLIST) return;
    zset *zs = zobj->ptr;
    if (zs->zsl->length <= server.encoding.zset_max_listpack_entries &&
        maxelelen <= server.encoding.zset_max_listpack_value && lpSafeToAdd(NULL, totelelen))
        zsetConvert(zobj, OBJ_ENCODING_LISTPACK);
}

/* The score of member in *score. C_ERR when absent. */
int zsetScore(robj *zobj, sds member, double *score) {
    if (zobj == NULL || member == NULL) return C_ERR;
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        return zzlFind(zobj->ptr, (unsigned char *)member, sdslen(member), score) ? C_OK : C_ERR;
    } else if (zobj->encoding == OBJ_ENCODING_SKIPLIST) {
        zskiplistNode *node = zsetFindNode(zobj->ptr, (unsigned char *)member, sdslen(member));
        if (node == NULL) return C_ERR;
        *score = node->score;
        return C_OK;
    }
    serverPanic("Unknown sorted set encoding");
}

/* Adds ele with score, or updates its score, following in_flags
 * (ZADD_IN_INCR adds score to the current one; NX only adds, XX only
 * updates; GT / LT update only to a greater / lesser score). ele is
 * borrowed. *out_flags gets ZADD_OUT_ADDED, _UPDATED, _NOP, or _NAN.
 * *newscore (if not NULL) gets the resulting score when added or updated.
 * Returns 1 on success, 0 (with ZADD_OUT_NAN) when the score is or would
 * become NaN; nothing changes then. */
int zsetAdd(robj *zobj, double score, sds ele, int in_flags, int *out_flags, double *newscore) {
    int incr = in_flags & ZADD_IN_INCR, nx = in_flags & ZADD_IN_NX, xx = in_flags & ZADD_IN_XX;
    int gt = in_flags & ZADD_IN_GT, lt = in_flags & ZADD_IN_LT;
    *out_flags = 0;
    if (isnan(score)) {
        *out_flags = ZADD_OUT_NAN;
        return 0;
    }
    double curscore;
    /* In the skiplist encoding the member is hashed once, for the lookup
     * and then the update or the insertion. */
    size_t len = sdslen(ele);
    int skiplist = zobj->encoding == OBJ_ENCODING_SKIPLIST;
    uint64_t h = skiplist ? dictGenHashFunction(ele, len) : 0;
    zskiplistNode *node = skiplist ? zsetFindNodeHashed(zobj->ptr, (unsigned char *)ele, len, h) : NULL;
    if (node) curscore = node->score;
    if (node || (!skiplist && zsetScore(zobj, ele, &curscore) == C_OK)) {
        if (nx) {
            *out_flags |= ZADD_OUT_NOP;
            return 1;
        }
        if (incr) {
            score += curscore;
            if (isnan(score)) {
                *out_flags |= ZADD_OUT_NAN;
                return 0;
            }
        }
        if ((lt && score >= curscore) || (gt && score <= curscore)) {
            *out_flags |= ZADD_OUT_NOP;
            return 1;
        }
        if (newscore) *newscore = score;
        if (score != curscore) {
            if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
                unsigned char *zl = zobj->ptr;
                unsigned char *eptr = zzlFind(zl, (unsigned char *)ele, sdslen(ele), NULL);
                zl = zzlDelete(zl, eptr);
                zobj->ptr = zzlInsert(zl, (unsigned char *)ele, sdslen(ele), score);
            } else {
                zslUpdateScore(((zset *)zobj->ptr)->zsl, node, score);
            }
            *out_flags |= ZADD_OUT_UPDATED;
        }
        return 1;
    }
    if (xx) {
        *out_flags |= ZADD_OUT_NOP;
        return 1;
    }
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *zl = zobj->ptr;
        if (zzlLength(zl) + 1 > server.encoding.zset_max_listpack_entries ||
            sdslen(ele) > server.encoding.zset_max_listpack_value || !lpSafeToAdd(zl, sdslen(ele))) {
            zsetConvert(zobj, OBJ_ENCODING_SKIPLIST);
            zsetSkiplistInsert(zobj->ptr, score, (unsigned char *)ele, sdslen(ele));
        } else {
            zobj->ptr = zzlInsert(zl, (unsigned char *)ele, sdslen(ele), score);
        }
    } else if (skiplist) {
        zsetSkiplistInsertHashed(zobj->ptr, score, (unsigned char *)ele, len, h);
    } else {
        serverPanic("Unknown sorted set encoding");
    }
    *out_flags |= ZADD_OUT_ADDED;
    if (newscore) *newscore = score;
    return 1;
}

/* Removes ele. Returns 1 if it was there. */
int zsetDel(robj *zobj, sds ele) {
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *eptr = zzlFind(zobj->ptr, (unsigned char *)ele, sdslen(ele), NULL);
        if (eptr == NULL) return 0;
        zobj->ptr = zzlDelete(zobj->ptr, eptr);
        return 1;
    } else if (zobj->encoding == OBJ_ENCODING_SKIPLIST) {
        zset *zs = zobj->ptr;
        zskiplistNode *node = zsetFindNode(zs, (unsigned char *)ele, sdslen(ele));
        if (node == NULL) return 0;
        zsetSkiplistRemove(zs, node);
        return 1;
    }
    serverPanic("Unknown sorted set encoding");
}

/* 0-based rank of ele (from the highest score when reverse), -1 when
 * absent. */
long zsetRank(robj *zobj, sds ele, int reverse) {
    unsigned long len = zsetLength(zobj);
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *zl = zobj->ptr;
        unsigned char *eptr = lpFirst(zl), *sptr = eptr ? lpNext(zl, eptr) : NULL;
        long rank = 0;
        for (; eptr; zzlNext(zl, &eptr, &sptr), rank++)
            if (zzlCompare(eptr, (unsigned char *)ele, sdslen(ele)) == 0)
                return reverse ? (long)len - 1 - rank : rank;
        return -1;
    } else if (zobj->encoding == OBJ_ENCODING_SKIPLIST) {
        zset *zs = zobj->ptr;
        zskiplistNode *node = zsetFindNode(zs, (unsigned char *)ele, sdslen(ele));
        if (node == NULL) return -1;
        unsigned long rank = zslGetRank(zs->zsl, node->score, zslNodeEle(node), zslNodeEleLen(node));
        serverAssert(rank != 0);
        return reverse ? (long)(len - rank) : (long)(rank - 1);
    }
    serverPanic("Unknown sorted set encoding");
}

/* A deep copy of o with the same encoding, for COPY. The caller owns it. */
robj *zsetDup(robj *o) {
    robj *copy;
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        size_t bytes = lpBytes(o->ptr);
        unsigned char *zl = zmalloc(bytes);
        memcpy(zl, o->ptr, bytes);
        copy = createObject(OBJ_ZSET, zl);
        copy->encoding = OBJ_ENCODING_LISTPACK;
    } else if (o->encoding == OBJ_ENCODING_SKIPLIST) {
        zset *zs = o->ptr;
        copy = zsetCreateSkiplistObject();
        zset *dzs = copy->ptr;
        ptExpand(dzs->members, zs->zsl->length);
        /* From the tail, so each insertion lands at the front. */
        for (zskiplistNode *n = zs->zsl->tail; n; n = n->backward)
            zsetSkiplistInsert(dzs, n->score, zslNodeEle(n), zslNodeEleLen(n));
    } else {
        serverPanic("Unknown sorted set encoding");
    }
    return copy;
}

/* Removes the first (or, with reverse, the last) element and hands it to
 * the caller: *ele is a new sds the caller frees. Returns 0 when empty. */
int zsetPop(robj *zobj, int reverse, sds *ele, double *score) {
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *zl = zobj->ptr;
        unsigned char *eptr = lpSeek(zl, reverse ? -2 : 0);
        if (eptr == NULL) return 0;
        listpackEntry e;
        zzlGetEntry(eptr, &e);
        *ele = zsetEntryToSds(&e);
        *score = zzlGetScore(lpNext(zl, eptr));
        zobj->ptr = zzlDelete(zl, eptr);
        return 1;
    } else if (zobj->encoding == OBJ_ENCODING_SKIPLIST) {
        zset *zs = zobj->ptr;
        zskiplistNode *n = reverse ? zs->zsl->tail : zs->zsl->header->level[0].forward;
        if (n == NULL) return 0;
        *ele = sdsnewlen(zslNodeEle(n), zslNodeEleLen(n));
        *score = n->score;
        zsetSkiplistRemove(zs, n);
        return 1;
    }
    serverPanic("Unknown sorted set encoding");
}

/* ------------------------------------------------------------ iteration */

/* Positions it at element `rank` counted from the start of the direction
 * (the highest score first when reverse). */
void zsetIterInitRank(zsetIterator *it, robj *zobj, unsigned long rank, int reverse) {
    memset(it, 0, sizeof(*it));
    it->zobj = zobj;
    it->reverse = reverse;
    unsigned long len = zsetLength(zobj);
    if (rank >= len) return;
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *zl = zobj->ptr;
        it->eptr = lpSeek(zl, reverse ? -2 - 2 * (long)rank : 2 * (long)rank);
        it->sptr = lpNext(zl, it->eptr);
    } else {
        zset *zs = zobj->ptr;
        it->node = zslGetElementByRank(zs->zsl, reverse ? len - rank : rank + 1);
    }
}

/* Positions it at the first element in range in its direction; later
 * elements are given while they stay in range. Returns 0 when none is. The
 * iterator borrows range. */
int zsetIterInitScore(zsetIterator *it, robj *zobj, const zrangespec *range, int reverse) {
    memset(it, 0, sizeof(*it));
    it->zobj = zobj;
    it->reverse = reverse;
    it->range = range;
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *zl = zobj->ptr;
        it->eptr = reverse ? zzlLastInRange(zl, range) : zzlFirstInRange(zl, range);
        if (it->eptr) it->sptr = lpNext(zl, it->eptr);
        return it->eptr != NULL;
    }
    zset *zs = zobj->ptr;
    it->node = reverse ? zslLastInRange(zs->zsl, range) : zslFirstInRange(zs->zsl, range);
    return it->node != NULL;
}

/* The same for a lex range (borrowed). */
int zsetIterInitLex(zsetIterator *it, robj *zobj, const zlexrangespec *range, int reverse) {
    memset(it, 0, sizeof(*it));
    it->zobj = zobj;
    it->reverse = reverse;
    it->lexrange = range;
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *zl = zobj->ptr;
        it->eptr = reverse ? zzlLastInLexRange(zl, range) : zzlFirstInLexRange(zl, range);
        if (it->eptr) it->sptr = lpNext(zl, it->eptr);
        return it->eptr != NULL;
    }
    zset *zs = zobj->ptr;
    it->node = reverse ? zslLastInLexRange(zs->zsl, range) : zslFirstInLexRange(zs->zsl, range);
    return it->node != NULL;
}

/* The next element: *ele borrows from the set (valid until it changes),
 * *score its score. Returns 0 at the end or past the range's far bound. */
int zsetIterNext(zsetIterator *it, listpackEntry *ele, double *score) {
    if (it->zobj->encoding == OBJ_ENCODING_LISTPACK) {
        if (it->eptr == NULL) return 0;
        zzlGetEntry(it->eptr, ele);
        *score = zzlGetScore(it->sptr);
        if (it->reverse)
            zzlPrev(it->zobj->ptr, &it->eptr, &it->sptr);
        else
            zzlNext(it->zobj->ptr, &it->eptr, &it->sptr);
    } else {
        zskiplistNode *n = it->node;
        if (n == NULL) return 0;
        ele->sval = (unsigned char *)zslNodeEle(n);
        ele->slen = (uint32_t)zslNodeEleLen(n);
        ele->lval = 0;
        *score = n->score;
        it->node = it->reverse ? n->backward : n->level[0].forward;
    }
    if (it->range && !(it->reverse ? zrangeGteMin(*score, it->range) : zrangeLteMax(*score, it->range))) {
        it->eptr = NULL;
        it->node = NULL;
        return 0;
    }
    if (it->lexrange && !(it->reverse ? zlexEntryGteMin(ele, it->lexrange) : zlexEntryLteMax(ele, it->lexrange))) {
        it->eptr = NULL;
        it->node = NULL;
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------ ranges */

/* Number of skiplist nodes from first to last inclusive (0 if first is NULL). */
static unsigned long zslSpan(zskiplist *zsl, zskiplistNode *first, zskiplistNode *last) {
    if (first == NULL) return 0;
    return zslGetRank(zsl, last->score, zslNodeEle(last), zslNodeEleLen(last)) -
           zslGetRank(zsl, first->score, zslNodeEle(first), zslNodeEleLen(first)) + 1;
}

/* Number of elements an initialised listpack iterator still yields. */
static unsigned long zsetIterCount(zsetIterator *it) {
    listpackEntry e;
    double score;
    unsigned long count = 0;
    while (zsetIterNext(it, &e, &score)) count++;
    return count;
}

/* Number of elements whose score is in range. */
unsigned long zsetCount(robj *zobj, const zrangespec *range) {
    if (zobj->encoding == OBJ_ENCODING_SKIPLIST) {
        zset *zs = zobj->ptr;
        zskiplistNode *first = zslFirstInRange(zs->zsl, range);
        return zslSpan(zs->zsl, first, first ? zslLastInRange(zs->zsl, range) : NULL);
    }
    zsetIterator it;
    zsetIterInitScore(&it, zobj, range, 0);
    return zsetIterCount(&it);
}

/* Number of elements whose member is in the lex range. */
unsigned long zsetLexCount(robj *zobj, const zlexrangespec *range) {
    if (zobj->encoding == OBJ_ENCODING_SKIPLIST) {
        zset *zs = zobj->ptr;
        zskiplistNode *first = zslFirstInLexRange(zs->zsl, range);
        return zslSpan(zs->zsl, first, first ? zslLastInLexRange(zs->zsl, range) : NULL);
    }
    zsetIterator it;
    zsetIterInitLex(&it, zobj, range, 0);
    return zsetIterCount(&it);
}

/* Deletes the elements of 0-based ranks start..end (inclusive, within the
 * set). Returns how many were removed. */
unsigned long zsetDeleteRangeByRank(robj *zobj, unsigned long start, unsigned long end) {
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned long before = zzlLength(zobj->ptr);
        zobj->ptr = lpDeleteRange(zobj->ptr, (long)(2 * start), 2 * (end - start + 1));
        return before - zzlLength(zobj->ptr);
    }
    zset *zs = zobj->ptr;
    unsigned long n = zslDeleteRangeByRank(zs->zsl, start + 1, end + 1, zs->members);
    ptShrinkIfSparse(zs->members);
    return n;
}

/* Deletes the elements whose score is in range. */
unsigned long zsetDeleteRangeByScore(robj *zobj, const zrangespec *range) {
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *zl = zobj->ptr;
        unsigned char *eptr = zzlFirstInRange(zl, range);
        unsigned long removed = 0;
        while (eptr && zrangeLteMax(zzlGetScore(lpNext(zl, eptr)), range)) {
            zl = lpDeleteRangeWithEntry(zl, &eptr, 2);
            removed++;
        }
        zobj->ptr = zl;
        return removed;
    }
    zset *zs = zobj->ptr;
    unsigned long n = zrangeIsEmpty(range) ? 0 : zslDeleteRangeByScore(zs->zsl, range, zs->members);
    ptShrinkIfSparse(zs->members);
    return n;
}

/* Deletes the elements whose member is in the lex range. */
unsigned long zsetDeleteRangeByLex(robj *zobj, const zlexrangespec *range) {
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *zl = zobj->ptr;
        unsigned char *eptr = zzlFirstInLexRange(zl, range);
        unsigned long removed = 0;
        while (eptr && zzlLteMaxLex(eptr, range)) {
            zl = lpDeleteRangeWithEntry(zl, &eptr, 2);
            removed++;
        }
        zobj->ptr = zl;
        return removed;
    }
    zset *zs = zobj->ptr;
    unsigned long n = zslDeleteRangeByLex(zs->zsl, range, zs->members);
    ptShrinkIfSparse(zs->members);
    return n;
}

/* ------------------------------------------------------------ sampling */

/* Picks count elements at random, with repetition, into eles[] / scores[]
 * (elements borrowed from the set). The set must not be empty. */
void zsetRandomElements(robj *zobj, unsigned int count, listpackEntry *eles, double *scores) {
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        listpackEntry *vals = zmalloc(sizeof(listpackEntry) * count);
        lpRandomPairs(zobj->ptr, count, eles, vals);
        for (unsigned int i = 0; i < count; i++)
            scores[i] = vals[i].sval ? zzlStrtod(vals[i].sval, vals[i].slen) : (double)vals[i].lval;
        zfree(vals);
        return;
    }
    zset *zs = zobj->ptr;
    for (unsigned int i = 0; i < count; i++) {
        zskiplistNode *n = ptRandom(zs->members);
        eles[i].sval = (unsigned char *)zslNodeEle(n);
        eles[i].slen = (uint32_t)zslNodeEleLen(n);
        eles[i].lval = 0;
        scores[i] = n->score;
    }
}

/* ------------------------------------------------------------ scan */

typedef struct zscanCtx {
    zsetScanFn *fn;
    void *priv;
    long collected;
} zscanCtx;

static void zsetScanCallback(void *privdata, void *elem) {
    zscanCtx *ctx = privdata;
    zskiplistNode *n = elem;
    char buf[MAX_LONG_DOUBLE_CHARS];
    int len = ld2string(buf, sizeof(buf), (long double)n->score, LD_STR_AUTO);
    ctx->fn(ctx->priv, (const char *)zslNodeEle(n), zslNodeEleLen(n), buf, (size_t)len);
    ctx->collected++;
}

/* One ZSCAN step from cursor: calls fn with each member and its score as
 * text until about count members were given (a listpack set is given
 * whole). Returns the next cursor, 0 when done. */
unsigned long zsetScan(robj *zobj, unsigned long cursor, long count, zsetScanFn *fn, void *priv) {
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *zl = zobj->ptr;
        unsigned char *eptr = lpFirst(zl), *sptr = eptr ? lpNext(zl, eptr) : NULL;
        for (; eptr; zzlNext(zl, &eptr, &sptr)) {
            unsigned char ebuf[LP_INTBUF_SIZE], sbuf[LP_INTBUF_SIZE];
            int64_t elen, slen;
            unsigned char *e = lpGet(eptr, &elen, ebuf);
            unsigned char *s = lpGet(sptr, &slen, sbuf);
            fn(priv, (const char *)e, (size_t)elen, (const char *)s, (size_t)slen);
        }
        return 0;
    }
    zset *zs = zobj->ptr;
    zscanCtx ctx = {fn, priv, 0};
    long maxsteps = count > LONG_MAX / 10 ? LONG_MAX : count * 10;
    do {
        cursor = ptScan(zs->members, cursor, zsetScanCallback, &ctx);
    } while (cursor && maxsteps-- && ctx.collected < count);
    return cursor;
}
