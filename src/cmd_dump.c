/* cmd_dump.c — DUMP and RESTORE: one value as an RDB payload.
 *
 * A payload is the value's RDB record (type byte, then the value as
 * rdbSaveObject writes it), then the RDB version as two little-endian
 * bytes, then the CRC-64 of everything before it, little endian. The bytes
 * are the ones Redis 7.0 produces for a value in the same encoding, so
 * payloads move between the two servers (MIGRATE-style tools, backups
 * made of DUMP output) both ways; for hash tables and sets the order of
 * the elements is the table's, so only the content is the same there.
 *
 * RESTORE checks in Redis's order: options, BUSYKEY, the TTL, then the
 * payload's footer (version not newer than ours, checksum) and finally the
 * value itself, read by rdbLoadObject with the validation that
 * sanitize-dump-payload asks for (every client here counts as a client for
 * "clients", there being no primary link). The value must account for
 * every byte before the footer. Any failure leaves the keyspace untouched.
 *
 * A relative TTL is propagated as an absolute one (the TTL argument
 * rewritten and ABSTTL added), so a replay sets the same deadline.
 */
#include "server.h"
#include "rdb.h"
#include "notify.h"

#include <string.h>
#include <strings.h>

#include "crc64.h"

sds createDumpPayload(robj *o) {
    rio r;
    rioInitWithBuffer(&r, sdsempty());
    rdbSaveObjectType(&r, o, RDB_VERSION);
    rdbSaveObject(&r, o, RDB_VERSION);
    unsigned char footer[10];
    footer[0] = RDB_VERSION & 0xff;
    footer[1] = (RDB_VERSION >> 8) & 0xff;
    sds p = r.io.buffer.ptr;
    p = sdscatlen(p, footer, 2);
    uint64_t crc = crc64(0, p, sdslen(p));
    for (int i = 0; i < 8; i++) footer[i] = (unsigned char)((crc >> (8 * i)) & 0xff);
    return sdscatlen(p, footer, 8);
}

/* DUMP key */
void dumpCommand(client *c) {
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (o == NULL) {
        addReplyNull(c);
        return;
    }
    sds p = createDumpPayload(o);
    addReplyBulkCBuffer(c, p, sdslen(p));
    sdsfree(p);
}

/* 1 when p[0..len) ends in a footer this server accepts. */
static int verifyDumpPayload(const unsigned char *p, size_t len) {
    if (len < 10) return 0;
    const unsigned char *footer = p + len - 10;
    unsigned int version = footer[0] | (unsigned int)footer[1] << 8;
    if (version > RDB_VERSION_MAX_LOAD) return 0;
    uint64_t crc = crc64(0, p, len - 8), stored = 0;
    for (int i = 7; i >= 0; i--) stored = (stored << 8) | footer[2 + i];
    return crc == stored;
}

/* The options of RESTORE. */
typedef struct {
    int replace, absttl;
    long long idle; /* seconds, -1 when not given */
    long long freq; /* -1 when not given */
} restoreOptions;

static int parseRestoreOptions(client *c, restoreOptions *opt) {
    opt->replace = opt->absttl = 0;
    opt->idle = opt->freq = -1;
    for (int j = 4; j < c->argc; j++) {
        const char *a = c->argv[j]->ptr;
        int more = c->argc - j - 1;
        if (!strcasecmp(a, "replace")) {
            opt->replace = 1;
        } else if (!strcasecmp(a, "absttl")) {
            opt->absttl = 1;
        } else if (!strcasecmp(a, "idletime") && more >= 1 && opt->freq == -1) {
            if (getLongLongFromObjectOrReply(c, c->argv[++j], &opt->idle, NULL) != C_OK) return C_ERR;
            if (opt->idle < 0) {
                addReplyError(c, "Invalid IDLETIME value, must be >= 0");
                return C_ERR;
            }
        } else if (!strcasecmp(a, "freq") && more >= 1 && opt->idle == -1) {
            if (getLongLongFromObjectOrReply(c, c->argv[++j], &opt->freq, NULL) != C_OK) return C_ERR;
            if (opt->freq < 0 || opt->freq > 255) {
                addReplyError(c, "Invalid FREQ value, must be >= 0 and <= 255");
                return C_ERR;
            }
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return C_ERR;
        }
    }
    return C_OK;
}

/* The value of a verified payload, or NULL when it does not parse or does
 * not fill the payload exactly. */
static robj *restoreValue(sds payload) {
    rio r;
    rioInitWithBuffer(&r, payload);
    int type = rdbLoadType(&r);
    if (type == -1 || !rdbIsObjectType(type)) return NULL;
    int error;
    const char *reason;
    robj *o = rdbLoadObject(type, &r, server.security.sanitize_dump_payload != 0, &error, &reason);
    if (o && (size_t)r.io.buffer.pos != sdslen(payload) - 10) {
        decrRefCount(o);
        return NULL;
    }
    return o;
}

/* RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
void restoreCommand(client *c) {
    restoreOptions opt;
    if (parseRestoreOptions(c, &opt) != C_OK) return;
    robj *key = c->argv[1];
    if (!opt.replace && lookupKeyWrite(c->db, key) != NULL) {
        addReplyError(c, "-BUSYKEY Target key name already exists.");
        return;
    }
    long long ttl;
    if (getLongLongFromObjectOrReply(c, c->argv[2], &ttl, NULL) != C_OK) return;
    if (ttl < 0) {
        addReplyError(c, "Invalid TTL value, must be >= 0");
        return;
    }
    sds payload = c->argv[3]->ptr;
    if (!verifyDumpPayload((unsigned char *)payload, sdslen(payload))) {
        addReplyError(c, "DUMP payload version or checksum are wrong");
        return;
    }
    robj *o = restoreValue(payload);
    if (o == NULL) {
        addReplyError(c, "Bad data format");
        return;
    }
    int deleted = opt.replace && dbDelete(c->db, key);
    if (ttl && !opt.absttl) ttl += mstime();
    if (ttl && ttl <= mstime()) {
        /* Already expired: the key is gone, as if deleted right away. */
        if (deleted) {
            rewritePropagatedCommand(c, 2, propw.del, key);
            signalModifiedKey(c, c->db, key);
            notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
            server.dirty++;
        }
        decrRefCount(o);
        addReply(c, shared.ok);
        return;
    }
    rdbApplyAccess(o, opt.idle, (int)opt.freq); /* before dbAdd, which may copy o */
    dbAdd(c->db, key, o);
    if (ttl) {
        setExpire(c, c->db, key, ttl);
        if (!opt.absttl) {
            robj *abs = createStringObjectFromLongLong(ttl);
            robj *absttl = createStringObject("ABSTTL", 6);
            robj **argv = zmalloc(sizeof(robj *) * (size_t)(c->argc + 1));
            for (int j = 0; j < c->argc; j++) argv[j] = c->argv[j];
            argv[2] = abs;
            argv[c->argc] = absttl;
            rewritePropagatedCommandArgv(c, argv, c->argc + 1);
            zfree(argv);
            decrRefCount(abs);
            decrRefCount(absttl);
        }
    }
    signalModifiedKey(c, c->db, key);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "restore", key, c->db->id);
    addReply(c, shared.ok);
    server.dirty++;
}
