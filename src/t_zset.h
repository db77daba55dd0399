/* t_zset.h — sorted set values: the skiplist, ranges, iteration, commands.
 *
 * A sorted set is a listpack of (member, score) pairs while small, else a
 * `zset`: a skiplist ordered by (score, member) whose nodes hold the member
 * inline, and a ptable member -> node. The zsl* calls work on the skiplist alone; the zset* calls hide
 * the encoding (t_zset.c). Ranges by score or by lex order are parsed into
 * zrangespec / zlexrangespec. The commands are in t_zset_cmd.c.
 */
#ifndef EMBER_T_ZSET_H
#define EMBER_T_ZSET_H

#include <stddef.h>
#include <stdint.h>
#include "sds.h"
#include "dict.h"
#include "ptable.h"
#include "listpack.h"
#include "object.h"

typedef struct client client;

/* Skiplist encoding: nodes ordered by (score, member); each level keeps
 * the span (number of level-0 steps) of its forward link, for ranks. A node
 * is one allocation: this header, `height` levels, then the member's bytes
 * (not NUL-terminated; zslNodeEle / zslNodeEleLen reach them). */
typedef struct zskiplistNode {
    double score;
    struct zskiplistNode *backward; /* NULL for the first node */
    uint64_t height : 8;            /* entries in level[] */
    uint64_t elelen : 56;           /* bytes of the member after level[] */
    struct zskiplistLevel {
        struct zskiplistNode *forward;
        unsigned long span;
    } level[];
} zskiplistNode;
typedef struct zskiplist {
    zskiplistNode *header, *tail;
    unsigned long length;
    int level;
} zskiplist;
/* The skiplist encoding's value: the list plus a ptable member -> node
 * (the table's elements are the nodes themselves). */
typedef struct zset {
    ptable *members;
    zskiplist *zsl;
} zset;

/* The member bytes of a node, valid while the node lives. */
static inline const unsigned char *zslNodeEle(const zskiplistNode *n) {
    return (const unsigned char *)(n->level + n->height);
}
static inline size_t zslNodeEleLen(const zskiplistNode *n) {
    return (size_t)n->elelen;
}
/* A score range; minex / maxex make a bound exclusive. */
typedef struct {
    double min, max;
    int minex, maxex;
} zrangespec;
/* A lex range: min / max are owned strings, or NULL when the bound is an
 * infinity (mininf / maxinf: -1 for "-", +1 for "+", 0 otherwise). */
typedef struct {
    sds min, max;
    int minex, maxex;
    int mininf, maxinf;
} zlexrangespec;
/* Walks a sorted set by rank, score range or lex range (zsetIterInit*).
 * Invalid once the set is modified. */
typedef struct zsetIterator {
    robj *zobj;
    int reverse;
    const zrangespec *range;
    const zlexrangespec *lexrange;
    unsigned char *eptr, *sptr;     /* listpack position */
    zskiplistNode *node;            /* skiplist position */
} zsetIterator;
/* Called by zsetScan with a member and its score as text. */
typedef void zsetScanFn(void *priv, const char *ele, size_t elen, const char *score, size_t slen);
/* zsetAdd flags. */
#define ZADD_IN_NONE 0
#define ZADD_IN_INCR (1 << 0)
#define ZADD_IN_NX (1 << 1)
#define ZADD_IN_XX (1 << 2)
#define ZADD_IN_GT (1 << 3)
#define ZADD_IN_LT (1 << 4)
#define ZADD_OUT_NOP (1 << 0)
#define ZADD_OUT_NAN (1 << 1)
#define ZADD_OUT_ADDED (1 << 2)
#define ZADD_OUT_UPDATED (1 << 3)
#define ZSET_MIN 0
#define ZSET_MAX 1
zskiplist *zslCreate(void);
void zslFree(zskiplist *zsl);
zskiplistNode *zslInsert(zskiplist *zsl, double score, const unsigned char *ele, size_t len);
unsigned long zslGetRank(zskiplist *zsl, double score, const unsigned char *ele, size_t len);
zskiplistNode *zslGetElementByRank(zskiplist *zsl, unsigned long rank);
zskiplistNode *zslFirstInRange(zskiplist *zsl, const zrangespec *range);
zskiplistNode *zslLastInRange(zskiplist *zsl, const zrangespec *range);
zskiplistNode *zslFirstInLexRange(zskiplist *zsl, const zlexrangespec *range);
zskiplistNode *zslLastInLexRange(zskiplist *zsl, const zlexrangespec *range);
int zslParseRange(robj *min, robj *max, zrangespec *spec);
int zslParseLexRange(robj *min, robj *max, zlexrangespec *spec);
void zslFreeLexRange(zlexrangespec *spec);
sds zsetEntryToSds(const listpackEntry *e);
size_t zsetEntryLen(const listpackEntry *e);
robj *zsetCreate(size_t size_hint, size_t maxelelen);
void freeZsetObject(robj *o);
unsigned long zsetLength(const robj *zobj);
void zsetConvert(robj *zobj, int encoding);
void zsetConvertToListpackIfNeeded(robj *zobj, size_t maxelelen, size_t totelelen);
int zsetScore(robj *zobj, sds member, double *score);
int zsetAdd(robj *zobj, double score, sds ele, int in_flags, int *out_flags, double *newscore);
int zsetDel(robj *zobj, sds ele);
long zsetRank(robj *zobj, sds ele, int reverse);
robj *zsetDup(robj *o);
int zsetPop(robj *zobj, int reverse, sds *ele, double *score);
void zsetIterInitRank(zsetIterator *it, robj *zobj, unsigned long rank, int reverse);
int zsetIterInitScore(zsetIterator *it, robj *zobj, const zrangespec *range, int reverse);
int zsetIterInitLex(zsetIterator *it, robj *zobj, const zlexrangespec *range, int reverse);
int zsetIterNext(zsetIterator *it, listpackEntry *ele, double *score);
unsigned long zsetCount(robj *zobj, const zrangespec *range);
unsigned long zsetLexCount(robj *zobj, const zlexrangespec *range);
unsigned long zsetDeleteRangeByRank(robj *zobj, unsigned long start, unsigned long end);
unsigned long zsetDeleteRangeByScore(robj *zobj, const zrangespec *range);
unsigned long zsetDeleteRangeByLex(robj *zobj, const zlexrangespec *range);
void zsetRandomElements(robj *zobj, unsigned int count, listpackEntry *eles, double *scores);
unsigned long zsetScan(robj *zobj, unsigned long cursor, long count, zsetScanFn *fn, void *priv);

/* t_zset_cmd.c */
void genericZpopCommand(client *c, robj **keyv, int keyc, int where, int emitkey, long count,
                        int use_nested_array, int reply_nil_when_empty, int *deleted);
void zaddCommand(client *c);
void zincrbyCommand(client *c);
void zremCommand(client *c);
void zcardCommand(client *c);
void zcountCommand(client *c);
void zlexcountCommand(client *c);
void zscoreCommand(client *c);
void zmscoreCommand(client *c);
void zrankCommand(client *c);
void zrevrankCommand(client *c);
void zrangeCommand(client *c);
void zrangestoreCommand(client *c);
void zrevrangeCommand(client *c);
void zrangebyscoreCommand(client *c);
void zrevrangebyscoreCommand(client *c);
void zrangebylexCommand(client *c);
void zrevrangebylexCommand(client *c);
void zremrangebyrankCommand(client *c);
void zremrangebyscoreCommand(client *c);
void zremrangebylexCommand(client *c);
void zpopminCommand(client *c);
void zpopmaxCommand(client *c);
void zmpopCommand(client *c);
void zunionCommand(client *c);
void zinterCommand(client *c);
void zdiffCommand(client *c);
void zunionstoreCommand(client *c);
void zinterstoreCommand(client *c);
void zdiffstoreCommand(client *c);
void zintercardCommand(client *c);
void zrandmemberCommand(client *c);
void zscanCommand(client *c);

#endif /* EMBER_T_ZSET_H */
