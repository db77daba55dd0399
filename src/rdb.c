/* rdb.c — writing the RDB format: values, whole snapshots, SAVE and the
 * persistence bookkeeping (LASTSAVE, INFO's rdb_* fields).
 *
 * The writer produces exactly the bytes Redis 7.0 produces for the same
 * values in the same encodings, so a DUMP payload or a dump.rdb moves
 * between the two servers both ways:
 *   - a string is stored as a small integer when it is the canonical text
 *     of one that fits 32 bits, else LZF-compressed when rdbcompression is
 *     on, it is longer than 20 bytes and compression saves at least four
 *     bytes, else as it is;
 *   - compact encodings are written as their own bytes (a listpack, an
 *     intset), as one string, so they load without being rebuilt; a list is
 *     its quicklist's nodes, each a container kind and a listpack (a node
 *     kept compressed in memory is written as its LZF block directly);
 *   - hash tables, sets and skiplists are written element by element (a
 *     skiplist from its tail, so that the loader inserts at the head).
 * Version 9 (for Redis 5 and 6) has no listpack types: lists, hashes and
 * sorted sets are then written in their element-by-element forms, which
 * every version reads. Version 11 (Redis 7.2) reads everything version 10
 * holds, so only the header differs.
 *
 * A snapshot goes to temp-<pid>.rdb next to the target, is flushed,
 * fsynced and renamed over the target, so a crash in the middle leaves the
 * previous file intact.
 *
 * Values are read through o->encoding here: the record of a compact
 * encoding is that encoding's bytes, which no type API could hide.
 */
#include "server.h"
#include "t_stream.h"
#include "rdb.h"
#include "evict.h"
#include "function.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "intset.h"
#include "lzf.h"
#include "childproc.h"

/* Persistence bookkeeping. It lives here rather than in `server` because
 * nothing outside rdb.c writes it: INFO reads it through rdbInfoFields and
 * LASTSAVE through lastsaveCommand. */
static struct {
    time_t lastsave;            /* unix time of the last successful save */
    time_t lastbgsave_try;      /* unix time of the last background attempt */
    int lastbgsave_ok;          /* 1 unless the last background save failed */
    long long saves;            /* successful saves since start */
    time_t last_bgsave_time_sec;
    time_t bgsave_start;        /* when the running background save began */
    long long dirty_at_fork;    /* server.dirty when the child was forked */
    int bgsave_scheduled;       /* BGSAVE SCHEDULE waiting for another child */
    int in_child;               /* 1 in the background save child */
} rdb_state = {0, 0, 1, 0, -1, 0, 0, 0, 0};

/* Wait between two save-point attempts after a failed background save. */
#define RDB_BGSAVE_RETRY_DELAY 5

/* ------------------------------------------------------------ primitives */

ssize_t rdbSaveType(rio *r, unsigned char type) {
    return rioWrite(r, &type, 1) ? 1 : -1;
}

ssize_t rdbSaveLen(rio *r, uint64_t len) {
    unsigned char buf[9];
    size_t n;
    if (len < (1 << 6)) {
        buf[0] = (unsigned char)((len & 0xFF) | (RDB_6BITLEN << 6));
        n = 1;
    } else if (len < (1 << 14)) {
        buf[0] = (unsigned char)(((len >> 8) & 0xFF) | (RDB_14BITLEN << 6));
        buf[1] = (unsigned char)(len & 0xFF);
        n = 2;
    } else if (len <= UINT32_MAX) {
        buf[0] = RDB_32BITLEN;
        for (int i = 0; i < 4; i++) buf[1 + i] = (unsigned char)(len >> (24 - 8 * i));
        n = 5;
    } else {
        buf[0] = RDB_64BITLEN;
        for (int i = 0; i < 8; i++) buf[1 + i] = (unsigned char)(len >> (56 - 8 * i));
        n = 9;
    }
    return rioWrite(r, buf, n) ? (ssize_t)n : -1;
}

/* The integer special encoding of v into enc (up to 5 bytes): its size, or
 * 0 when v needs more than 32 bits. */
static size_t rdbEncodeInteger(long long v, unsigned char *enc) {
    if (v >= INT8_MIN && v <= INT8_MAX) {
        enc[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
        enc[1] = (unsigned char)(v & 0xFF);
        return 2;
    }
    if (v >= INT16_MIN && v <= INT16_MAX) {
        enc[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
        enc[1] = (unsigned char)(v & 0xFF);
        enc[2] = (unsigned char)((v >> 8) & 0xFF);
        return 3;
    }
    if (v >= INT32_MIN && v <= INT32_MAX) {
        enc[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
        for (int i = 0; i < 4; i++) enc[1 + i] = (unsigned char)((v >> (8 * i)) & 0xFF);
        return 5;
    }
    return 0;
}

/* The integer encoding of s[0..len) when s is the canonical text of a
 * 32-bit integer, else 0. */
static size_t rdbTryIntegerEncoding(const unsigned char *s, size_t len, unsigned char *enc) {
    long long v;
    if (!string2ll((const char *)s, len, &v)) return 0;
    return rdbEncodeInteger(v, enc);
}

static ssize_t rdbSaveLzfBlob(rio *r, const void *data, size_t clen, size_t origlen) {
    unsigned char b = (RDB_ENCVAL << 6) | RDB_ENC_LZF;
    ssize_t n1, n2;
    if (rdbSaveType(r, b) == -1) return -1;
    if ((n1 = rdbSaveLen(r, clen)) == -1) return -1;
    if ((n2 = rdbSaveLen(r, origlen)) == -1) return -1;
    if (!rioWrite(r, data, clen)) return -1;
    return 1 + n1 + n2 + (ssize_t)clen;
}

/* LZF-compresses s when that saves at least 4 bytes: the bytes written,
 * 0 when it did not pay (nothing written), -1 on a write error. */
static ssize_t rdbSaveLzfString(rio *r, const unsigned char *s, size_t len) {
    if (len <= 4 || len > UINT32_MAX) return 0;
    size_t outlen = len - 4;
    unsigned char *out = zmalloc(outlen + 1);
    size_t clen = lzf_compress(s, (unsigned int)len, out, (unsigned int)outlen);
    ssize_t n = clen == 0 ? 0 : rdbSaveLzfBlob(r, out, clen, len);
    zfree(out);
    return n;
}

ssize_t rdbSaveRawString(rio *r, const unsigned char *s, size_t len) {
    unsigned char enc[5];
    if (len <= 11) {
        size_t n = rdbTryIntegerEncoding(s, len, enc);
        if (n) return rioWrite(r, enc, n) ? (ssize_t)n : -1;
    }
    if (server.persist.rdb_compression && len > 20) {
        ssize_t n = rdbSaveLzfString(r, s, len);
        if (n != 0) return n;
    }
    ssize_t n = rdbSaveLen(r, len);
    if (n == -1) return -1;
    if (len && !rioWrite(r, s, len)) return -1;
    return n + (ssize_t)len;
}

/* An integer as a string record: the integer encoding when it fits 32
 * bits, else its decimal text. */
static ssize_t rdbSaveLongLongAsString(rio *r, long long v) {
    unsigned char enc[5];
    size_t n = rdbEncodeInteger(v, enc);
    if (n) return rioWrite(r, enc, n) ? (ssize_t)n : -1;
    char buf[LONG_STR_SIZE];
    int len = ll2string(buf, sizeof(buf), v);
    ssize_t h = rdbSaveLen(r, (uint64_t)len);
    if (h == -1 || !rioWrite(r, buf, (size_t)len)) return -1;
    return h + len;
}

ssize_t rdbSaveStringObject(rio *r, robj *o) {
    if (o->encoding == OBJ_ENCODING_INT) return rdbSaveLongLongAsString(r, (long long)(intptr_t)o->ptr);
    return rdbSaveRawString(r, (unsigned char *)o->ptr, sdslen(o->ptr));
}

static ssize_t rdbSaveBinaryDouble(rio *r, double v) {
    unsigned char buf[8];
    memcpy(buf, &v, 8); /* little-endian hosts only, as the format is */
    return rioWrite(r, buf, 8) ? 8 : -1;
}

static ssize_t rdbSaveMillis(rio *r, long long ms) {
    unsigned char buf[8];
    for (int i = 0; i < 8; i++) buf[i] = (unsigned char)(((uint64_t)ms >> (8 * i)) & 0xFF);
    return rioWrite(r, buf, 8) ? 8 : -1;
}

/* ---------------------------------------------------------------- values */

/* Accumulates the bytes of a sequence of writes; sticks at -1. */
#define RDB_ADD(total, expr)              \
    do {                                  \
        ssize_t n_ = (expr);              \
        if (n_ == -1) return -1;          \
        (total) += n_;                    \
    } while (0)

ssize_t rdbSaveObjectType(rio *r, robj *o, int version) {
    int compact = version >= 10;
    switch (o->type) {
    case OBJ_STRING: return rdbSaveType(r, RDB_TYPE_STRING);
    case OBJ_LIST: return rdbSaveType(r, compact ? RDB_TYPE_LIST_QUICKLIST_2 : RDB_TYPE_LIST);
    case OBJ_SET: return rdbSaveType(r, o->encoding == OBJ_ENCODING_INTSET ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET);
    case OBJ_ZSET:
        return rdbSaveType(r, compact && o->encoding == OBJ_ENCODING_LISTPACK ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2);
    case OBJ_HASH:
        return rdbSaveType(r, compact && o->encoding == OBJ_ENCODING_LISTPACK ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH);
    case OBJ_STREAM: return rdbSaveType(r, compact ? RDB_TYPE_STREAM_LISTPACKS_2 : RDB_TYPE_STREAM_LISTPACKS);
    default: serverPanic("Unknown object type");
    }
}

static ssize_t rdbSaveQuicklist(rio *r, quicklist *ql) {
    ssize_t total = 0;
    RDB_ADD(total, rdbSaveLen(r, ql->len));
    for (quicklistNode *node = ql->head; node; node = node->next) {
        RDB_ADD(total, rdbSaveLen(r, node->container));
        if (quicklistNodeIsCompressed(node)) {
            void *data;
            size_t clen = quicklistGetLzf(node, &data);
            RDB_ADD(total, rdbSaveLzfBlob(r, data, clen, node->sz));
        } else {
            RDB_ADD(total, rdbSaveRawString(r, node->entry, node->sz));
        }
    }
    return total;
}

/* A list element by element (RDB_TYPE_LIST, for version 9). */
static ssize_t rdbSaveListElements(rio *r, robj *o) {
    ssize_t total = 0;
    RDB_ADD(total, rdbSaveLen(r, listTypeLength(o)));
    quicklistIter *it = quicklistGetIterator(o->ptr, AL_START_HEAD);
    quicklistEntry e;
    while (quicklistNext(it, &e)) {
        ssize_t n = e.value ? rdbSaveRawString(r, e.value, e.sz) : rdbSaveLongLongAsString(r, e.longval);
        if (n == -1) {
            quicklistReleaseIterator(it);
            return -1;
        }
        total += n;
    }
    quicklistReleaseIterator(it);
    return total;
}

static ssize_t rdbSaveSet(rio *r, robj *o) {
    if (o->encoding == OBJ_ENCODING_INTSET)
        return rdbSaveRawString(r, o->ptr, intsetBlobLen(o->ptr));
    ssize_t total = 0;
    RDB_ADD(total, rdbSaveLen(r, setTypeSize(o)));
    setTypeIterator *si = setTypeInitIterator(o);
    const char *m;
    size_t len;
    int64_t ll;
    while (setTypeNext(si, &m, &len, &ll) != -1) {
        ssize_t n = rdbSaveRawString(r, (const unsigned char *)m, len);
        if (n == -1) {
            setTypeReleaseIterator(si);
            return -1;
        }
        total += n;
    }
    setTypeReleaseIterator(si);
    return total;
}

/* One field or value of a hash iteration as a string record. */
static ssize_t rdbSaveHashPart(rio *r, hashTypeIterator *hi, int what) {
    unsigned char *vstr;
    unsigned int vlen;
    long long vll;
    hashTypeCurrentObject(hi, what, &vstr, &vlen, &vll);
    return vstr ? rdbSaveRawString(r, vstr, vlen) : rdbSaveLongLongAsString(r, vll);
}

static ssize_t rdbSaveHash(rio *r, robj *o, int version) {
    if (version >= 10 && o->encoding == OBJ_ENCODING_LISTPACK)
        return rdbSaveRawString(r, o->ptr, lpBytes(o->ptr));
    ssize_t total = 0;
    RDB_ADD(total, rdbSaveLen(r, hashTypeLength(o)));
    hashTypeIterator hi;
    hashTypeInitIterator(&hi, o);
    while (hashTypeNext(&hi) != C_ERR) {
        ssize_t f = rdbSaveHashPart(r, &hi, OBJ_HASH_KEY);
        ssize_t v = f == -1 ? -1 : rdbSaveHashPart(r, &hi, OBJ_HASH_VALUE);
        if (v == -1) {
            hashTypeReleaseIterator(&hi);
            return -1;
        }
        total += f + v;
    }
    hashTypeReleaseIterator(&hi);
    return total;
}

static ssize_t rdbSaveZset(rio *r, robj *o, int version) {
    if (o->encoding == OBJ_ENCODING_LISTPACK && version >= 10)
        return rdbSaveRawString(r, o->ptr, lpBytes(o->ptr));
    ssize_t total = 0;
    RDB_ADD(total, rdbSaveLen(r, zsetLength(o)));
    if (o->encoding == OBJ_ENCODING_SKIPLIST) {
        zskiplist *zsl = ((zset *)o->ptr)->zsl;
        for (zskiplistNode *n = zsl->tail; n; n = n->backward) {
            RDB_ADD(total, rdbSaveRawString(r, (unsigned char *)zslNodeEle(n), zslNodeEleLen(n)));
            RDB_ADD(total, rdbSaveBinaryDouble(r, n->score));
        }
        return total;
    }
    zsetIterator it;
    zsetIterInitRank(&it, o, 0, 1);
    listpackEntry ele;
    double score;
    while (zsetIterNext(&it, &ele, &score)) {
        RDB_ADD(total, ele.sval ? rdbSaveRawString(r, ele.sval, ele.slen) : rdbSaveLongLongAsString(r, ele.lval));
        RDB_ADD(total, rdbSaveBinaryDouble(r, score));
    }
    return total;
}

static ssize_t rdbSaveStreamID(rio *r, const streamID *id) {
    ssize_t total = 0;
    RDB_ADD(total, rdbSaveLen(r, id->ms));
    RDB_ADD(total, rdbSaveLen(r, id->seq));
    return total;
}

/* A PEL's IDs as raw 16-byte keys; a group's (nacks) with each NACK's
 * delivery time and count. */
static ssize_t rdbSavePEL(rio *r, rax *pel, int nacks) {
    ssize_t total = 0;
    RDB_ADD(total, rdbSaveLen(r, raxSize(pel)));
    raxIterator it;
    raxStart(&it, pel);
    raxSeek(&it, "^", NULL, 0);
    while (raxNext(&it)) {
        streamNACK *nack = it.data;
        ssize_t n = rioWrite(r, it.key, 16) ? 16 : -1;
        if (n != -1 && nacks) {
            ssize_t t = rdbSaveMillis(r, nack->delivery_time);
            ssize_t c = t == -1 ? -1 : rdbSaveLen(r, nack->delivery_count);
            n = c == -1 ? -1 : n + t + c;
        }
        if (n == -1) {
            raxStop(&it);
            return -1;
        }
        total += n;
    }
    raxStop(&it);
    return total;
}

static ssize_t rdbSaveConsumers(rio *r, streamCG *cg) {
    ssize_t total = 0;
    RDB_ADD(total, rdbSaveLen(r, raxSize(cg->consumers)));
    raxIterator it;
    raxStart(&it, cg->consumers);
    raxSeek(&it, "^", NULL, 0);
    while (raxNext(&it)) {
        streamConsumer *consumer = it.data;
        ssize_t n = rdbSaveRawString(r, (unsigned char *)consumer->name, sdslen(consumer->name));
        ssize_t t = n == -1 ? -1 : rdbSaveMillis(r, consumer->seen_time);
        ssize_t p = t == -1 ? -1 : rdbSavePEL(r, consumer->pel, 0);
        if (p == -1) {
            raxStop(&it);
            return -1;
        }
        total += n + t + p;
    }
    raxStop(&it);
    return total;
}

/* The consumer groups: name, last ID, entries_read (version 10 on), the
 * PEL, the consumers with their PELs. */
static ssize_t rdbSaveStreamGroups(rio *r, stream *s, int version) {
    ssize_t total = 0;
    RDB_ADD(total, rdbSaveLen(r, s->cgroups ? raxSize(s->cgroups) : 0));
    if (s->cgroups == NULL) return total;
    raxIterator it;
    raxStart(&it, s->cgroups);
    raxSeek(&it, "^", NULL, 0);
    ssize_t n = 0;
    while (n != -1 && raxNext(&it)) {
        streamCG *cg = it.data;
        n = rdbSaveRawString(r, it.key, it.key_len);
        ssize_t i = n == -1 ? -1 : rdbSaveStreamID(r, &cg->last_id);
        if (i != -1 && version >= 10) {
            ssize_t e = rdbSaveLen(r, (uint64_t)cg->entries_read);
            i = e == -1 ? -1 : i + e;
        }
        ssize_t p = i == -1 ? -1 : rdbSavePEL(r, cg->pel, 1);
        ssize_t c = p == -1 ? -1 : rdbSaveConsumers(r, cg);
        n = c == -1 ? -1 : n + i + p + c;
        if (n != -1) total += n;
    }
    raxStop(&it);
    return n == -1 ? -1 : total;
}

/* A stream as RDB_TYPE_STREAM_LISTPACKS_2 (version 10 and later; the
 * figures 7.0 added are left out before): its nodes as (master ID, listpack)
 * string pairs, the length and IDs, and its consumer groups. */
static ssize_t rdbSaveStream(rio *r, robj *o, int version) {
    stream *s = o->ptr;
    ssize_t total = 0;
    RDB_ADD(total, rdbSaveLen(r, raxSize(s->rax)));
    raxIterator it;
    raxStart(&it, s->rax);
    raxSeek(&it, "^", NULL, 0);
    while (raxNext(&it)) {
        unsigned char *lp = it.data;
        ssize_t n = rdbSaveRawString(r, it.key, it.key_len);
        if (n != -1) total += n;
        ssize_t m = n == -1 ? -1 : rdbSaveRawString(r, lp, lpBytes(lp));
        if (m == -1) {
            raxStop(&it);
            return -1;
        }
        total += m;
    }
    raxStop(&it);
    RDB_ADD(total, rdbSaveLen(r, s->length));
    RDB_ADD(total, rdbSaveStreamID(r, &s->last_id));
    if (version >= 10) {
        RDB_ADD(total, rdbSaveStreamID(r, &s->first_id));
        RDB_ADD(total, rdbSaveStreamID(r, &s->max_deleted_entry_id));
        RDB_ADD(total, rdbSaveLen(r, s->entries_added));
    }
    RDB_ADD(total, rdbSaveStreamGroups(r, s, version));
    return total;
}

ssize_t rdbSaveObject(rio *r, robj *o, int version) {
    switch (o->type) {
    case OBJ_STRING: return rdbSaveStringObject(r, o);
    case OBJ_LIST: return version >= 10 ? rdbSaveQuicklist(r, o->ptr) : rdbSaveListElements(r, o);
    case OBJ_SET: return rdbSaveSet(r, o);
    case OBJ_ZSET: return rdbSaveZset(r, o, version);
    case OBJ_HASH: return rdbSaveHash(r, o, version);
    case OBJ_STREAM: return rdbSaveStream(r, o, version);
    default: serverPanic("Unknown object type");
    }
}

/* ----------------------------------------------------------- the stream */

static ssize_t rdbSaveAuxString(rio *r, const char *name, const char *value) {
    ssize_t total = 0;
    RDB_ADD(total, rdbSaveType(r, RDB_OPCODE_AUX));
    RDB_ADD(total, rdbSaveRawString(r, (const unsigned char *)name, strlen(name)));
    RDB_ADD(total, rdbSaveRawString(r, (const unsigned char *)value, strlen(value)));
    return total;
}

static ssize_t rdbSaveAuxInteger(rio *r, const char *name, long long value) {
    char buf[LONG_STR_SIZE];
    ll2string(buf, sizeof(buf), value);
    return rdbSaveAuxString(r, name, buf);
}

/* The aux fields, in the order Redis 7.0 writes them. */
static int rdbSaveAuxFields(rio *r, int rdbflags) {
    if (rdbSaveAuxString(r, "redis-ver", REDIS_VERSION) == -1) return C_ERR;
    if (rdbSaveAuxInteger(r, "redis-bits", (long long)sizeof(void *) * 8) == -1) return C_ERR;
    if (rdbSaveAuxInteger(r, "ctime", (long long)time(NULL)) == -1) return C_ERR;
    if (rdbSaveAuxInteger(r, "used-mem", (long long)zmalloc_used_memory()) == -1) return C_ERR;
    if (rdbSaveAuxInteger(r, "repl-stream-db", replicationStreamDb()) == -1) return C_ERR;
    if (rdbSaveAuxString(r, "repl-id", server.replication.replid) == -1) return C_ERR;
    if (rdbSaveAuxInteger(r, "repl-offset", server.replication.master_repl_offset) == -1) return C_ERR;
    if (rdbSaveAuxInteger(r, "aof-base", (rdbflags & RDBFLAGS_AOF_PREAMBLE) != 0) == -1) return C_ERR;
    return C_OK;
}

/* State of one database's walk in rdbSaveRio. */
typedef struct {
    rio *r;
    int version;
    int failed;
    long long keys;
} rdbSaveWalk;

/* IDLE or FREQ before a key, as Redis writes them under an LRU or LFU
 * maxmemory policy. */
static ssize_t rdbSaveKeyAccess(rio *r, robj *val) {
    ssize_t total = 0;
    if (server.memory.maxmemory_policy & MAXMEMORY_FLAG_LFU) {
        unsigned char freq = (unsigned char)objectLFUFrequency(val);
        RDB_ADD(total, rdbSaveType(r, RDB_OPCODE_FREQ));
        RDB_ADD(total, rioWrite(r, &freq, 1) ? 1 : -1);
        return total;
    }
    if (!(server.memory.maxmemory_policy & MAXMEMORY_FLAG_LRU)) return 0;
    RDB_ADD(total, rdbSaveType(r, RDB_OPCODE_IDLE));
    RDB_ADD(total, rdbSaveLen(r, estimateObjectIdleTime(val) / 1000));
    return total;
}

static int rdbSaveKeyValue(void *privdata, sds key, robj *val, long long expire) {
    rdbSaveWalk *w = privdata;
    rio *r = w->r;
    int ok = (expire == -1 || (rdbSaveType(r, RDB_OPCODE_EXPIRETIME_MS) != -1 && rdbSaveMillis(r, expire) != -1)) &&
             rdbSaveKeyAccess(r, val) != -1 && rdbSaveObjectType(r, val, w->version) != -1 &&
             rdbSaveRawString(r, (unsigned char *)key, sdslen(key)) != -1 && rdbSaveObject(r, val, w->version) != -1;
    if (!ok) {
        w->failed = 1;
        return 0;
    }
    w->keys++;
    if (server.persist.rdb_key_save_delay > 0) usleep((useconds_t)server.persist.rdb_key_save_delay);
    if (rdb_state.in_child) childReportProgress((size_t)w->keys);
    return 1;
}

static int rdbSaveDb(rio *r, redisDb *db, int version) {
    unsigned long size = dbSize(db);
    if (size == 0) return C_OK;
    if (rdbSaveType(r, RDB_OPCODE_SELECTDB) == -1 || rdbSaveLen(r, (uint64_t)db->id) == -1) return C_ERR;
    if (rdbSaveType(r, RDB_OPCODE_RESIZEDB) == -1 || rdbSaveLen(r, size) == -1 ||
        rdbSaveLen(r, dbExpiresCount(db)) == -1)
        return C_ERR;
    rdbSaveWalk w = {r, version, 0, 0};
    dbForEach(db, rdbSaveKeyValue, &w);
    return w.failed ? C_ERR : C_OK;
}

int rdbSaveRio(rio *r, int rdbflags, int version) {
    char magic[16];
    snprintf(magic, sizeof(magic), "REDIS%04d", version);
    rioEnableChecksum(r);
    if (!rioWrite(r, magic, 9)) return C_ERR;
    if (rdbSaveAuxFields(r, rdbflags) != C_OK) return C_ERR;
    if (version >= 10 && functionsSaveRdb(r) == -1) return C_ERR;
    for (int j = 0; j < server.dbnum && !(rdbflags & RDBFLAGS_FUNCTIONS_ONLY); j++)
        if (rdbSaveDb(r, &server.db[j], version) != C_OK) return C_ERR;
    if (rdbSaveType(r, RDB_OPCODE_EOF) == -1) return C_ERR;
    uint64_t crc = server.persist.rdb_checksum ? r->cksum : 0;
    unsigned char buf[8];
    for (int i = 0; i < 8; i++) buf[i] = (unsigned char)((crc >> (8 * i)) & 0xFF);
    return rioWrite(r, buf, 8) ? C_OK : C_ERR;
}

/* ------------------------------------------------------------- to a file */

/* dir of path (everything before the last '/'), "." when none. */
static sds pathDir(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? sdsnewlen(path, (size_t)(slash - path)) : sdsnew(".");
}

/* fsyncs the directory holding path, so a rename in it is durable. */
static void fsyncDirOf(const char *path) {
    sds dir = pathDir(path);
    int fd = open(dir, O_RDONLY);
    if (fd != -1) {
        fsync(fd);
        close(fd);
    }
    sdsfree(dir);
}

int rdbSave(const char *filename, int rdbflags) {
    sds dir = pathDir(filename);
    sds tmp = sdscatprintf(sdsempty(), "%s/temp-%d.rdb", dir, (int)getpid());
    sdsfree(dir);
    FILE *fp = fopen(tmp, "w");
    if (!fp) {
        char cwd[1024];
        serverLog(LL_WARNING, "Failed opening the temp RDB file %s (in server root dir %s) for saving: %s", tmp,
                  getcwd(cwd, sizeof(cwd)) ? cwd : "unknown", strerror(errno));
        sdsfree(tmp);
        return C_ERR;
    }
    rio r;
    rioInitWithFile(&r, fp);
    /* An AOF base follows aof-rewrite-incremental-fsync, a snapshot
     * rdb-save-incremental-fsync. */
    int incremental = (rdbflags & RDBFLAGS_AOF_PREAMBLE) ? server.persist.aof_rewrite_incremental_fsync
                                                         : server.persist.rdb_save_incremental_fsync;
    if (incremental) rioSetAutoSync(&r, 4 * 1024 * 1024);
    int ok = rdbSaveRio(&r, rdbflags, server.persist.rdb_version) == C_OK && fflush(fp) == 0 &&
             fsync(fileno(fp)) == 0;
    int saved_errno = errno;
    if (fclose(fp) != 0) ok = 0;
    if (ok && rename(tmp, filename) == -1) {
        saved_errno = errno;
        serverLog(LL_WARNING, "Error moving temp DB file %s on the final destination %s: %s", tmp, filename,
                  strerror(errno));
        unlink(tmp);
        sdsfree(tmp);
        errno = saved_errno;
        return C_ERR;
    }
    if (!ok) {
        serverLog(LL_WARNING, "Write error saving DB on disk: %s", strerror(saved_errno));
        unlink(tmp);
        sdsfree(tmp);
        errno = saved_errno;
        return C_ERR;
    }
    fsyncDirOf(filename);
    sdsfree(tmp);
    return C_OK;
}

/* Bookkeeping after a successful save of the whole dataset. dirty_before
 * is server.dirty when the snapshot was taken. */
static void rdbSaveSucceeded(long long dirty_before) {
    server.dirty -= dirty_before;
    if (server.dirty < 0) server.dirty = 0;
    rdb_state.lastsave = time(NULL);
    rdb_state.saves++;
}

int rdbSaveForeground(void) {
    if (childRunningType() == CHILD_TYPE_RDB) {
        serverLog(LL_WARNING, "Background save already in progress");
        return C_ERR;
    }
    long long dirty = server.dirty;
    if (rdbSave(server.persist.rdb_filename, RDBFLAGS_NONE) != C_OK) return C_ERR;
    serverLog(LL_NOTICE, "DB saved on disk");
    rdbSaveSucceeded(dirty);
    rdb_state.lastbgsave_ok = 1;
    return C_OK;
}

void rdbAfterFlushAll(void) {
    if (childRunningType() == CHILD_TYPE_RDB) {
        serverLog(LL_NOTICE, "Killing the background save: FLUSHALL emptied the dataset it was saving.");
        childKill();
    }
    if (server.persist.saveparamslen > 0) rdbSaveForeground();
}

/* ----------------------------------------------------------- commands */

void saveCommand(client *c) {
    if (childRunningType() == CHILD_TYPE_RDB) {
        addReplyError(c, "Background save already in progress");
        return;
    }
    if (rdbSaveForeground() == C_OK)
        addReply(c, shared.ok);
    else
        addReplyError(c, "-ERR");
}

void lastsaveCommand(client *c) {
    addReplyLongLong(c, (long long)rdb_state.lastsave);
}

/* Called once at start-up, so LASTSAVE and rdb_last_save_time have a
 * value before the first save, as in Redis. */
void rdbInitState(void) {
    rdb_state.lastsave = time(NULL);
    rdb_state.lastbgsave_try = 0;
}

/* ------------------------------------------------------ in the background */

/* Called once when the background save child has ended. */
static void rdbBgsaveDone(const childResult *res) {
    rdb_state.last_bgsave_time_sec = (time_t)(res->duration_ms / 1000);
    if (res->exitcode == 0 && res->bysignal == 0) {
        serverLog(LL_NOTICE, "Background saving terminated with success");
        rdbSaveSucceeded(rdb_state.dirty_at_fork);
        rdb_state.lastbgsave_ok = 1;
        return;
    }
    char tmp[64];
    snprintf(tmp, sizeof(tmp), "temp-%d.rdb", (int)res->pid);
    unlink(tmp);
    if (res->bysignal || res->exitcode == CHILD_EXIT_KILLED) {
        serverLog(LL_WARNING, "Background saving terminated by signal %d", res->bysignal ? res->bysignal : SIGUSR1);
        /* Stopped on purpose (SIGUSR1) is not an error. */
        if (res->bysignal != SIGUSR1 && res->exitcode != CHILD_EXIT_KILLED) rdb_state.lastbgsave_ok = 0;
        return;
    }
    serverLog(LL_WARNING, "Background saving error");
    rdb_state.lastbgsave_ok = 0;
}

static size_t totalKeys(void) {
    size_t n = 0;
    for (int j = 0; j < server.dbnum; j++) n += dbSize(&server.db[j]);
    return n;
}

/* Forks the child that writes the snapshot. C_ERR (logged) when fork
 * fails; the caller checked that no child runs. */
static int rdbSaveBackground(void) {
    rdb_state.dirty_at_fork = server.dirty;
    rdb_state.lastbgsave_try = time(NULL);
    pid_t pid = childFork(CHILD_TYPE_RDB, "redis-rdb-bgsave", totalKeys(), rdbBgsaveDone);
    if (pid == 0) {
        rdb_state.in_child = 1;
        int ok = rdbSave(server.persist.rdb_filename, RDBFLAGS_NONE) == C_OK;
        if (ok) serverLog(LL_NOTICE, "DB saved on disk");
        childExit(ok ? 0 : 1);
    }
    if (pid == -1) {
        rdb_state.lastbgsave_ok = 0;
        serverLog(LL_WARNING, "Can't save in background: fork: %s", strerror(errno));
        return C_ERR;
    }
    serverLog(LL_NOTICE, "Background saving started by pid %d", (int)pid);
    rdb_state.bgsave_start = time(NULL);
    return C_OK;
}

/* BGSAVE [SCHEDULE] */
void bgsaveCommand(client *c) {
    int schedule = 0;
    if (c->argc > 1) {
        if (c->argc == 2 && !strcasecmp(c->argv[1]->ptr, "schedule")) {
            schedule = 1;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
    }
    if (childRunningType() == CHILD_TYPE_RDB) {
        addReplyError(c, "Background save already in progress");
    } else if (childActive()) {
        if (schedule) {
            rdb_state.bgsave_scheduled = 1;
            addReplyStatus(c, "Background saving scheduled");
        } else {
            addReplyError(c, "Another child process is active (AOF?): can't BGSAVE right now. "
                             "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
        }
    } else if (rdbSaveBackground() == C_OK) {
        addReplyStatus(c, "Background saving started");
    } else {
        addReplyError(c, "-ERR");
    }
}

/* The save point met now, or -1. */
static int rdbDueSavePoint(void) {
    time_t now = time(NULL);
    for (int j = 0; j < server.persist.saveparamslen; j++) {
        struct saveparam *sp = &server.persist.saveparams[j];
        if (server.dirty >= sp->changes && now - rdb_state.lastsave > sp->seconds &&
            (now - rdb_state.lastbgsave_try > RDB_BGSAVE_RETRY_DELAY || rdb_state.lastbgsave_ok))
            return j;
    }
    return -1;
}

void rdbCron(void) {
    if (childActive()) return;
    if (rdb_state.bgsave_scheduled) {
        if (rdbSaveBackground() == C_OK) rdb_state.bgsave_scheduled = 0;
        return;
    }
    int j = rdbDueSavePoint();
    if (j == -1) return;
    serverLog(LL_NOTICE, "%d changes in %d seconds. Saving...", server.persist.saveparams[j].changes,
              (int)server.persist.saveparams[j].seconds);
    rdbSaveBackground();
}

int rdbWritesDenied(void) {
    return server.persist.stop_writes_on_bgsave_err && server.persist.saveparamslen > 0 && !rdb_state.lastbgsave_ok;
}

sds rdbInfoFields(sds s) {
    int running = childRunningType() == CHILD_TYPE_RDB;
    return sdscatprintf(s,
                        "rdb_changes_since_last_save:%lld\r\n"
                        "rdb_bgsave_in_progress:%d\r\n"
                        "rdb_last_save_time:%lld\r\n"
                        "rdb_last_bgsave_status:%s\r\n"
                        "rdb_last_bgsave_time_sec:%lld\r\n"
                        "rdb_current_bgsave_time_sec:%lld\r\n"
                        "rdb_saves:%lld\r\n"
                        "rdb_last_cow_size:%zu\r\n"
                        "rdb_last_load_keys_expired:%lld\r\n"
                        "rdb_last_load_keys_loaded:%lld\r\n",
                        server.dirty, running, (long long)rdb_state.lastsave, rdb_state.lastbgsave_ok ? "ok" : "err",
                        (long long)rdb_state.last_bgsave_time_sec,
                        running ? (long long)(time(NULL) - rdb_state.bgsave_start) : -1LL, rdb_state.saves,
                        childLastCowBytes(CHILD_TYPE_RDB), rdbLastLoad()->keys_expired, rdbLastLoad()->keys_loaded);
}
