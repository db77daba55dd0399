/* migrate.c — MIGRATE: moving keys to another server, as Redis 7.0 does it.
 *
 * MIGRATE serializes each key with the DUMP code (createDumpPayload) and
 * sends it to the target as RESTORE (RESTORE-ASKING in cluster mode, which
 * the target accepts on a slot it is importing), preceded by AUTH when a
 * password is given and by SELECT when the target's selected database is
 * not known to be the right one. All of it goes out in one buffer; then the
 * replies are read in order. Each key the target acknowledged is deleted
 * here, unless COPY, and the command is propagated as DEL of exactly those
 * keys. The first error the target sent is returned as "Target instance
 * replied with error: ...", the keys it did accept staying moved.
 *
 * The transfer is synchronous, like Redis's: the server waits for the
 * target, each connect, write and reply line bounded by the timeout
 * argument (the connection layer's blocking calls). That is what resharding
 * tools expect, and it keeps the command atomic for each key.
 *
 * Links are cached by "host:port" (the arguments as given), at most 64, so
 * a resharding that moves thousands of batches to the same node connects
 * once; each link remembers the database it selected. serverCron closes a
 * link idle for more than 10 seconds; a full cache gives up its least
 * recently used link. A cached link may have been closed by the target
 * meanwhile, so a socket error before any reply was read is retried once
 * over a fresh link, unless it was a timeout.
 *
 * The error texts are Redis 7.0's, including its choice of words: a connect
 * that is refused or times out is reported as an error writing to the
 * target (Redis only notices it when it writes), while a name that does not
 * resolve is an error "connecting to the client".
 */
#include "server.h"
#include "migrate.h"
#include "notify.h"
#include "rdb.h"
#include "tls.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MIGRATE_CACHE_MAX 64
#define MIGRATE_IDLE_SECONDS 10
#define MIGRATE_WRITE_CHUNK (64 * 1024)
#define MIGRATE_LINE_MAX 1024

/* A cached link to one target. */
typedef struct migrateLink {
    sds name; /* "host:port", the cache key */
    connection *conn;
    int last_dbid;   /* selected on the target; -1 when not known */
    time_t last_use; /* server.unixtime of the last MIGRATE using it */
    char rbuf[MIGRATE_LINE_MAX];
    size_t rpos, rlen; /* unread reply bytes: rbuf[rpos..rlen) */
} migrateLink;

/* The cache: links outlive the commands that opened them. */
static migrateLink *links[MIGRATE_CACHE_MAX];
static int nlinks;

/* The outcome of one socket step. */
typedef enum { MIG_IO_OK, MIG_IO_ERR, MIG_IO_TIMEOUT } migrateIo;

static migrateIo ioFailure(void) {
    return errno == ETIMEDOUT ? MIG_IO_TIMEOUT : MIG_IO_ERR;
}

/* ------------------------------------------------------------- the cache */

static int linkIndex(const sds name) {
    for (int j = 0; j < nlinks; j++)
        if (sdslen(links[j]->name) == sdslen(name) && memcmp(links[j]->name, name, sdslen(name)) == 0) return j;
    return -1;
}

static void linkClose(int idx) {
    migrateLink *l = links[idx];
    connClose(l->conn);
    sdsfree(l->name);
    zfree(l);
    links[idx] = links[--nlinks];
}

static void linkCloseByName(const sds name) {
    int idx = linkIndex(name);
    if (idx != -1) linkClose(idx);
}

static void linkEvictOldest(void) {
    int oldest = 0;
    for (int j = 1; j < nlinks; j++)
        if (links[j]->last_use < links[oldest]->last_use) oldest = j;
    linkClose(oldest);
}

void migrateCloseIdleLinks(void) {
    for (int j = nlinks - 1; j >= 0; j--)
        if (server.unixtime - links[j]->last_use > MIGRATE_IDLE_SECONDS) linkClose(j);
}

int migrateCachedLinks(void) {
    return nlinks;
}

/* Why no link could be had. */
typedef enum { LINK_UNREACHABLE, LINK_REFUSED, LINK_TIMEOUT } linkFailure;

/* The cached link named name, or a new one to host:port connected within
 * timeout ms and cached. NULL with *why set when the connect failed. */
static migrateLink *linkGet(const sds name, const char *host, int port, long long timeout, linkFailure *why) {
    int idx = linkIndex(name);
    if (idx != -1) {
        links[idx]->last_use = server.unixtime;
        return links[idx];
    }
    const ConnectionType *type = server.tls.cluster ? tlsConnectionType() : &CT_Socket;
    connection *conn = connCreate(type ? type : &CT_Socket);
    if (connBlockingConnect(conn, host, port, timeout) != C_OK) {
        int err = conn->last_errno;
        *why = err == ETIMEDOUT ? LINK_TIMEOUT : err == ECONNREFUSED ? LINK_REFUSED : LINK_UNREACHABLE;
        connClose(conn);
        return NULL;
    }
    connEnableTcpNoDelay(conn);
    if (nlinks == MIGRATE_CACHE_MAX) linkEvictOldest();
    migrateLink *l = zcalloc(sizeof(*l));
    l->name = sdsdup(name);
    l->conn = conn;
    l->last_dbid = -1;
    l->last_use = server.unixtime;
    links[nlinks++] = l;
    return l;
}

/* Writes buf whole, in chunks each given timeout ms. */
static migrateIo linkWrite(migrateLink *l, const sds buf, long long timeout) {
    size_t done = 0, len = sdslen(buf);
    while (done < len) {
        size_t chunk = len - done < MIGRATE_WRITE_CHUNK ? len - done : MIGRATE_WRITE_CHUNK;
        if (connSyncWrite(l->conn, buf + done, chunk, timeout) != (ssize_t)chunk) return ioFailure();
        done += chunk;
    }
    return MIG_IO_OK;
}

/* Reads one reply line, within timeout ms, into line (NUL-terminated,
 * without CR LF, cut at size-1 bytes with the rest of the line skipped). */
static migrateIo linkReadLine(migrateLink *l, char *line, size_t size, long long timeout) {
    long long deadline = (long long)(getMonotonicUs() / 1000) + timeout;
    size_t len = 0;
    for (;;) {
        while (l->rpos < l->rlen) {
            char ch = l->rbuf[l->rpos++];
            if (ch == '\n') {
                if (len > 0 && line[len - 1] == '\r') len--;
                line[len] = '\0';
                return MIG_IO_OK;
            }
            if (len < size - 1) line[len++] = ch;
        }
        long long left = deadline - (long long)(getMonotonicUs() / 1000);
        ssize_t n = connSyncRead(l->conn, l->rbuf, sizeof(l->rbuf), left > 0 ? left : 0);
        if (n == 0) return MIG_IO_ERR;
        if (n < 0) return ioFailure();
        l->rpos = 0;
        l->rlen = (size_t)n;
    }
}

/* ---------------------------------------------------------- the request */

static sds catBulk(sds buf, const char *p, size_t len) {
    buf = sdscatfmt(buf, "$%U\r\n", (unsigned long long)len);
    buf = sdscatlen(buf, p, len);
    return sdscatlen(buf, "\r\n", 2);
}

static sds catBulkObject(sds buf, robj *o) {
    return catBulk(buf, o->ptr, sdslen(o->ptr));
}

/* The parsed arguments. Objects are borrowed from c->argv. */
typedef struct {
    int copy, replace;
    robj *user, *password; /* user only with AUTH2 */
    int first_key, num_keys;
    long timeout, dbid;
} migrateArgs;

static int parseMigrateArgs(client *c, migrateArgs *a) {
    memset(a, 0, sizeof(*a));
    a->first_key = 3;
    a->num_keys = 1;
    for (int j = 6; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        int more = c->argc - j - 1;
        if (!strcasecmp(opt, "copy")) {
            a->copy = 1;
        } else if (!strcasecmp(opt, "replace")) {
            a->replace = 1;
        } else if (!strcasecmp(opt, "auth") && more >= 1) {
            a->user = NULL;
            a->password = c->argv[++j];
        } else if (!strcasecmp(opt, "auth2") && more >= 2) {
            a->user = c->argv[++j];
            a->password = c->argv[++j];
        } else if (!strcasecmp(opt, "keys")) {
            if (sdslen(c->argv[3]->ptr) != 0) {
                addReplyError(c, "When using MIGRATE KEYS option, the key argument must be set to the empty string");
                return C_ERR;
            }
            a->first_key = j + 1;
            a->num_keys = c->argc - j - 1;
            break;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return C_ERR;
        }
    }
    if (getLongFromObjectOrReply(c, c->argv[5], &a->timeout, NULL) != C_OK) return C_ERR;
    if (getLongFromObjectOrReply(c, c->argv[4], &a->dbid, NULL) != C_OK) return C_ERR;
    if (a->timeout <= 0) a->timeout = 1000;
    return C_OK;
}

/* The keys to move: those of the request that exist, their values and,
 * per attempt, which of them went out in the request. */
typedef struct {
    robj **keys, **vals;
    int count;
    int *sent; /* indexes into keys, in request order */
    int nsent;
} migrateBatch;

/* AUTH, SELECT when needed, and a RESTORE per key still alive, as one
 * buffer. Fills b->sent. */
static sds buildRequest(const migrateArgs *a, migrateBatch *b, redisDb *db, int select) {
    sds buf = sdsempty();
    if (a->password) {
        buf = sdscatfmt(buf, "*%i\r\n", a->user ? 3 : 2);
        buf = catBulk(buf, "AUTH", 4);
        if (a->user) buf = catBulkObject(buf, a->user);
        buf = catBulkObject(buf, a->password);
    }
    if (select) {
        char num[32];
        int len = ll2string(num, sizeof(num), a->dbid);
        buf = sdscatlen(buf, "*2\r\n", 4);
        buf = catBulk(buf, "SELECT", 6);
        buf = catBulk(buf, num, (size_t)len);
    }
    const char *restore = server.cluster.enabled ? "RESTORE-ASKING" : "RESTORE";
    b->nsent = 0;
    for (int j = 0; j < b->count; j++) {
        long long ttl = 0, when = getExpire(db, b->keys[j]);
        if (when != -1) {
            ttl = when - mstime();
            if (ttl < 0) continue; /* expired since it was looked up */
            if (ttl < 1) ttl = 1;
        }
        char num[32];
        int len = ll2string(num, sizeof(num), ttl);
        buf = sdscatfmt(buf, "*%i\r\n", a->replace ? 5 : 4);
        buf = catBulk(buf, restore, strlen(restore));
        buf = catBulkObject(buf, b->keys[j]);
        buf = catBulk(buf, num, (size_t)len);
        sds payload = createDumpPayload(b->vals[j]);
        buf = catBulk(buf, payload, sdslen(payload));
        sdsfree(payload);
        if (a->replace) buf = catBulk(buf, "REPLACE", 7);
        b->sent[b->nsent++] = j;
    }
    return buf;
}

/* ------------------------------------------------------------ the command */

typedef enum { MIG_DONE, MIG_RETRY } migrateStep;

/* After a socket failure (the link already closed): retry, or reply. */
static migrateStep socketFailure(client *c, int retry, const char *doing) {
    if (retry) return MIG_RETRY;
    addReplyErrorFormat(c, "-IOERR error or timeout %s to target instance", doing);
    return MIG_DONE;
}

/* The key acknowledged by the target leaves this server. Returns 1 when it
 * was here to delete (a key listed twice goes once). */
static int deleteMigratedKey(client *c, robj *key) {
    if (!dbDelete(c->db, key)) return 0;
    signalModifiedKey(c, c->db, key);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
    server.dirty++;
    return 1;
}

/* Reads the replies to the request and acts on them. */
static migrateStep readReplies(client *c, const migrateArgs *a, migrateLink *l, migrateBatch *b, int select,
                               int may_retry) {
    char auth_reply[MIGRATE_LINE_MAX] = "", select_reply[MIGRATE_LINE_MAX] = "", reply[MIGRATE_LINE_MAX];
    sds name = sdsdup(l->name);
    migrateIo io = MIG_IO_OK;
    if (a->password) io = linkReadLine(l, auth_reply, sizeof(auth_reply), a->timeout);
    if (io == MIG_IO_OK && select) io = linkReadLine(l, select_reply, sizeof(select_reply), a->timeout);
    if (io != MIG_IO_OK) {
        linkCloseByName(name);
        sdsfree(name);
        return socketFailure(c, may_retry && io != MIG_IO_TIMEOUT, "reading");
    }
    const char *setup_err = auth_reply[0] == '-' ? auth_reply : select_reply[0] == '-' ? select_reply : NULL;
    robj **del = a->copy ? NULL : zmalloc(sizeof(robj *) * (size_t)(b->nsent + 1));
    int ndel = 0, target_err = 0, j;
    for (j = 0; j < b->nsent; j++) {
        if ((io = linkReadLine(l, reply, sizeof(reply), a->timeout)) != MIG_IO_OK) break;
        const char *err = setup_err ? setup_err : reply[0] == '-' ? reply : NULL;
        if (err) {
            if (!target_err) {
                l->last_dbid = -1;
                addReplyErrorFormat(c, "Target instance replied with error: %s", err + 1);
                target_err = 1;
            }
        } else if (del && deleteMigratedKey(c, b->keys[b->sent[j]])) {
            del[1 + ndel++] = b->keys[b->sent[j]];
        }
    }
    migrateStep step = MIG_DONE;
    if (io != MIG_IO_OK) {
        linkCloseByName(name);
        l = NULL;
        if (!target_err && j == 0 && may_retry && io != MIG_IO_TIMEOUT) step = MIG_RETRY;
    }
    if (ndel) {
        del[0] = propw.del;
        rewritePropagatedCommandArgv(c, del, ndel + 1);
    }
    if (step == MIG_DONE && !target_err) {
        if (io != MIG_IO_OK) {
            addReplyError(c, "-IOERR error or timeout reading to target instance");
        } else {
            l->last_dbid = (int)a->dbid;
            addReply(c, shared.ok);
        }
    }
    zfree(del);
    sdsfree(name);
    return step;
}

/* One try at moving the batch; MIG_RETRY asks for one more over a fresh
 * link (only when nothing can have been applied by the target). */
static migrateStep migrateAttempt(client *c, const migrateArgs *a, migrateBatch *b, int may_retry) {
    sds name = sdscatfmt(sdsempty(), "%S:%S", (sds)c->argv[1]->ptr, (sds)c->argv[2]->ptr);
    linkFailure why;
    migrateLink *l = linkGet(name, c->argv[1]->ptr, atoi(c->argv[2]->ptr), a->timeout, &why);
    if (l == NULL) {
        sdsfree(name);
        if (why == LINK_UNREACHABLE) {
            addReplyError(c, "-IOERR error or timeout connecting to the client");
            return MIG_DONE;
        }
        return socketFailure(c, may_retry && why == LINK_REFUSED, "writing");
    }
    int select = l->last_dbid != a->dbid;
    sds req = buildRequest(a, b, c->db, select);
    migrateIo io = linkWrite(l, req, a->timeout);
    sdsfree(req);
    if (io != MIG_IO_OK) {
        linkCloseByName(name);
        sdsfree(name);
        return socketFailure(c, may_retry && io != MIG_IO_TIMEOUT, "writing");
    }
    sdsfree(name);
    return readReplies(c, a, l, b, select, may_retry);
}

void migrateCommand(client *c) {
    migrateArgs a;
    if (parseMigrateArgs(c, &a) != C_OK) return;
    migrateBatch b = {0};
    b.keys = zmalloc(sizeof(robj *) * (size_t)(a.num_keys ? a.num_keys : 1));
    b.vals = zmalloc(sizeof(robj *) * (size_t)(a.num_keys ? a.num_keys : 1));
    b.sent = zmalloc(sizeof(int) * (size_t)(a.num_keys ? a.num_keys : 1));
    for (int j = 0; j < a.num_keys; j++) {
        robj *key = c->argv[a.first_key + j];
        robj *val = lookupKeyRead(c->db, key);
        if (val == NULL) continue;
        b.keys[b.count] = key;
        b.vals[b.count++] = val;
    }
    if (b.count == 0) {
        addReplyStatus(c, "NOKEY");
    } else if (migrateAttempt(c, &a, &b, 1) == MIG_RETRY) {
        migrateAttempt(c, &a, &b, 0);
    }
    zfree(b.keys);
    zfree(b.vals);
    zfree(b.sent);
}
