/* debug_rdb.c — the DEBUG subcommands that test persistence: DIGEST,
 * DIGEST-VALUE and RELOAD.
 *
 * A digest says "same data" without comparing dumps. It depends on the
 * content only, never on the encoding or on the order of a hash table, so
 * a value that a reload turned from a listpack into a hash table (or back)
 * digests the same:
 *   - an element's text is what the commands reply (integers in decimal,
 *     scores with %.17g);
 *   - ordered values (strings, lists, sorted sets in score order) hash
 *     their elements in sequence, each with its length;
 *   - unordered ones (sets, hashes) xor the SHA-1 of each element (or of
 *     each field/value pair), so the order of a walk does not matter;
 *   - a key's digest hashes its name, its value's digest and its deadline;
 *     the dataset's digest xors the keys' digests with their database
 *     numbers mixed in. An empty dataset digests to forty zeros.
 * The hex text is 40 characters, like Redis's, but the values are Ember's:
 * they are compared with Ember's own, not with another server's.
 *
 * DEBUG RELOAD saves the dataset (unless NOSAVE), empties it (unless
 * NOFLUSH) and loads the file back (MERGE: a key in the file replaces the
 * one in memory rather than being an error), which is how tests exercise a
 * full save/load cycle without a restart.
 */
#include "server.h"
#include "t_stream.h"
#include "rdb.h"
#include "function.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sha1.h"

typedef unsigned char digest[20];

static void xorInto(digest acc, const digest d) {
    for (int i = 0; i < 20; i++) acc[i] ^= d[i];
}

/* Adds a length-prefixed string to ctx. */
static void feedString(sha1Ctx *ctx, const void *p, size_t len) {
    unsigned char l[8];
    for (int i = 0; i < 8; i++) l[i] = (unsigned char)((uint64_t)len >> (8 * i));
    sha1Update(ctx, l, 8);
    sha1Update(ctx, p, len);
}

static void feedLongLong(sha1Ctx *ctx, long long v) {
    char buf[LONG_STR_SIZE];
    int n = ll2string(buf, sizeof(buf), v);
    feedString(ctx, buf, (size_t)n);
}

static void digestList(sha1Ctx *ctx, robj *o) {
    quicklistIter *it = quicklistGetIterator(o->ptr, AL_START_HEAD);
    quicklistEntry e;
    while (quicklistNext(it, &e)) {
        if (e.value)
            feedString(ctx, e.value, e.sz);
        else
            feedLongLong(ctx, e.longval);
    }
    quicklistReleaseIterator(it);
}

static void digestSet(sha1Ctx *ctx, robj *o) {
    digest acc = {0}, d;
    setTypeIterator *si = setTypeInitIterator(o);
    const char *s;
    size_t len;
    int64_t ll;
    int enc;
    while ((enc = setTypeNext(si, &s, &len, &ll)) != -1) {
        char buf[LONG_STR_SIZE];
        if (enc == OBJ_ENCODING_INTSET) {
            int n = ll2string(buf, sizeof(buf), ll);
            sha1(buf, (size_t)n, d);
        } else {
            sha1(s, len, d);
        }
        xorInto(acc, d);
    }
    setTypeReleaseIterator(si);
    sha1Update(ctx, acc, 20);
}

static void digestZset(sha1Ctx *ctx, robj *o) {
    zsetIterator it;
    zsetIterInitRank(&it, o, 0, 0);
    listpackEntry ele;
    double score;
    while (zsetIterNext(&it, &ele, &score)) {
        if (ele.sval)
            feedString(ctx, ele.sval, ele.slen);
        else
            feedLongLong(ctx, ele.lval);
        char buf[64];
        int n = snprintf(buf, sizeof(buf), "%.17g", score);
        feedString(ctx, buf, (size_t)n);
    }
}

/* One side of a hash pair into ctx. */
static void feedHashPart(sha1Ctx *ctx, hashTypeIterator *hi, int what) {
    unsigned char *vstr;
    unsigned int vlen;
    long long vll;
    hashTypeCurrentObject(hi, what, &vstr, &vlen, &vll);
    if (vstr)
        feedString(ctx, vstr, vlen);
    else
        feedLongLong(ctx, vll);
}

static void digestHash(sha1Ctx *ctx, robj *o) {
    digest acc = {0}, d;
    hashTypeIterator hi;
    hashTypeInitIterator(&hi, o);
    while (hashTypeNext(&hi) != C_ERR) {
        sha1Ctx pair;
        sha1Init(&pair);
        feedHashPart(&pair, &hi, OBJ_HASH_KEY);
        feedHashPart(&pair, &hi, OBJ_HASH_VALUE);
        sha1Final(&pair, d);
        xorInto(acc, d);
    }
    hashTypeReleaseIterator(&hi);
    sha1Update(ctx, acc, 20);
}

/* A consumer group: its position, its PEL (each entry with its owner,
 * delivery time and count) and its consumers' names. A consumer's seen
 * time is left out: replaying an AOF sets it anew. */
static void digestStreamGroup(sha1Ctx *ctx, const unsigned char *name, size_t namelen, streamCG *cg) {
    feedString(ctx, name, namelen);
    sha1Update(ctx, &cg->last_id, sizeof(cg->last_id));
    sha1Update(ctx, &cg->entries_read, sizeof(cg->entries_read));
    raxIterator ri;
    raxStart(&ri, cg->pel);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) {
        streamNACK *nack = ri.data;
        sha1Update(ctx, ri.key, ri.key_len);
        feedString(ctx, (unsigned char *)nack->consumer->name, sdslen(nack->consumer->name));
        sha1Update(ctx, &nack->delivery_time, sizeof(nack->delivery_time));
        sha1Update(ctx, &nack->delivery_count, sizeof(nack->delivery_count));
    }
    raxStop(&ri);
    raxStart(&ri, cg->consumers);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) feedString(ctx, ri.key, ri.key_len);
    raxStop(&ri);
}

/* A stream: its entries in order (ID, fields and values), then its IDs
 * and counters, then its consumer groups. */
static void digestStream(sha1Ctx *ctx, robj *o) {
    stream *s = o->ptr;
    streamIterator si;
    streamIteratorStart(&si, s, NULL, NULL, 0);
    streamID id;
    int64_t numfields;
    while (streamIteratorGetID(&si, &id, &numfields)) {
        sha1Update(ctx, &id, sizeof(id));
        for (int64_t j = 0; j < numfields; j++) {
            unsigned char *f, *v;
            int64_t flen, vlen;
            streamIteratorGetField(&si, &f, &v, &flen, &vlen);
            feedString(ctx, f, (size_t)flen);
            feedString(ctx, v, (size_t)vlen);
        }
    }
    streamIteratorStop(&si);
    sha1Update(ctx, &s->last_id, sizeof(s->last_id));
    sha1Update(ctx, &s->max_deleted_entry_id, sizeof(s->max_deleted_entry_id));
    sha1Update(ctx, &s->entries_added, sizeof(s->entries_added));
    if (s->cgroups == NULL) return;
    raxIterator ri;
    raxStart(&ri, s->cgroups);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) digestStreamGroup(ctx, ri.key, ri.key_len, ri.data);
    raxStop(&ri);
}

/* The digest of a value, whatever its encoding. */
static void digestValue(robj *o, digest out) {
    sha1Ctx ctx;
    sha1Init(&ctx);
    unsigned char type = (unsigned char)o->type;
    sha1Update(&ctx, &type, 1);
    switch (o->type) {
    case OBJ_STRING: {
        robj *dec = getDecodedObject(o);
        feedString(&ctx, dec->ptr, sdslen(dec->ptr));
        decrRefCount(dec);
        break;
    }
    case OBJ_LIST: digestList(&ctx, o); break;
    case OBJ_SET: digestSet(&ctx, o); break;
    case OBJ_ZSET: digestZset(&ctx, o); break;
    case OBJ_HASH: digestHash(&ctx, o); break;
    case OBJ_STREAM: digestStream(&ctx, o); break;
    default: serverPanic("Unknown object type");
    }
    sha1Final(&ctx, out);
}

/* State of the walk of DEBUG DIGEST. */
typedef struct {
    digest total;
    int dbid;
} datasetDigest;

static int digestKey(void *privdata, sds key, robj *val, long long expire) {
    datasetDigest *dd = privdata;
    digest vd, kd;
    digestValue(val, vd);
    sha1Ctx ctx;
    sha1Init(&ctx);
    unsigned char db[4];
    for (int i = 0; i < 4; i++) db[i] = (unsigned char)(dd->dbid >> (8 * i));
    sha1Update(&ctx, db, 4);
    feedString(&ctx, key, sdslen(key));
    sha1Update(&ctx, vd, 20);
    if (expire != -1) feedLongLong(&ctx, expire);
    sha1Final(&ctx, kd);
    xorInto(dd->total, kd);
    return 1;
}

static void addReplyDigest(client *c, const digest d) {
    char hex[41];
    for (int i = 0; i < 20; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
    addReplyStatusLength(c, hex, 40);
}

/* DEBUG DIGEST */
void debugDigestCommand(client *c) {
    datasetDigest dd;
    memset(&dd, 0, sizeof(dd));
    for (int j = 0; j < server.dbnum; j++) {
        dd.dbid = j;
        dbForEach(&server.db[j], digestKey, &dd);
    }
    addReplyDigest(c, dd.total);
}

/* DEBUG DIGEST-VALUE key ...: the digest of each value (forty zeros for a
 * missing key), without touching the keys. */
void debugDigestValueCommand(client *c) {
    addReplyArrayLen(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        digest d = {0};
        robj *o = dbPeek(c->db, c->argv[j]);
        if (o) digestValue(o, d);
        addReplyDigest(c, d);
    }
}

/* DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE] */
void debugReloadCommand(client *c) {
    int merge = 0, flush = 1, save = 1;
    for (int j = 2; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        if (!strcasecmp(opt, "MERGE")) merge = 1;
        else if (!strcasecmp(opt, "NOFLUSH")) flush = 0;
        else if (!strcasecmp(opt, "NOSAVE")) save = 0;
        else {
            addReplyError(c, "DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
            return;
        }
    }
    if (save && rdbSaveForeground() != C_OK) {
        addReplyError(c, "Error trying to save the DB, check server logs.");
        return;
    }
    if (flush) {
        emptyData(-1);
        functionsFlush(0);
    }
    rdbLoadInfo info;
    if (rdbLoad(server.persist.rdb_filename, merge ? RDBFLAGS_ALLOW_DUP : RDBFLAGS_NONE, &info) != C_OK) {
        addReplyError(c, "Error trying to load the RDB dump, check server logs.");
        return;
    }
    serverLog(LL_NOTICE, "DB reloaded by DEBUG RELOAD");
    addReply(c, shared.ok);
}
