/* repl_primary.c — this server as a primary: SYNC/PSYNC served, the
 * stream fed to its replicas.
 *
 * A client becomes a replica with PSYNC <id> <offset> (or the old SYNC).
 * When the id is this server's history (replid, or replid2 up to
 * second_repl_offset) and the backlog still holds the offset, the reply is
 * +CONTINUE and the replica reads the shared buffer from that offset on (a
 * partial resync). Otherwise it is a full resync: the replica waits for a
 * background save made for replication (one BGSAVE serves every replica
 * waiting when it starts that wants the same RDB: a replica that asked
 * REPLCONF rdb-filter-only functions gets a diskless save of its own,
 * without the keys), is told +FULLRESYNC <id> <offset> when the
 * child forks, and from that moment its position in the shared buffer
 * collects the stream. When the child is done the RDB file is sent as a
 * bulk ($<size>, then the bytes), after which the buffered stream flows.
 *
 * The stream itself is the propagation layer's output (propagate.h): the
 * consumer here encodes each command as RESP into the shared buffer of
 * repl_backlog.c, once for all replicas. The consumer is registered while
 * the backlog exists and registered again when a full sync starts, so the
 * stream after a snapshot begins with a SELECT. beforeSleep then writes
 * each replica's pending bytes straight from the buffer
 * (replicationFlushReplicas); a socket that is full gets a write handler.
 *
 * Replicas get no replies once they are replicas (the handshake's REPLCONF
 * replies come before): REPLCONF ACK <offset> is how they talk to us, and
 * the cron uses it for lag, timeouts and min-replicas-to-write.
 */
#include "server.h"
#include "bio.h"
#include "rdb.h"
#include "childproc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#define REPL_SEND_CHUNK (16 * 1024)

static void replicaWriteHandler(connection *conn);

/* A client blocked in WAIT: the offset its writes reached when it asked,
 * and how many replicas must acknowledge it. */
typedef struct replWaiter {
    client *c;
    long long offset;
    long numreplicas;
} replWaiter;

void replicationPrimaryInit(void) {
    server.replication.replicas = listCreate();
    server.replication.waiters = listCreate();
    server.replication.consumer = -1;
}

/* ---------------------------------------------------------- the stream */

/* The propagation consumer: argv as RESP into the shared buffer. */
static void appendToReplBuf(const char *p, size_t len, void *ctx) {
    (void)ctx;
    replBufAppend(p, len);
}

static void feedReplicationStream(int dbid, robj **argv, int argc, void *priv) {
    (void)dbid, (void)priv;
    propagateEncodeResp(argv, argc, appendToReplBuf, NULL);
}

/* (Re)registers the consumer: its next command comes after a SELECT. */
static void restartStreamConsumer(void) {
    struct serverReplState *rs = &server.replication;
    if (rs->consumer != -1) propagateUnregisterConsumer(rs->consumer);
    rs->consumer = propagateRegisterConsumer(feedReplicationStream, NULL, PROPAGATE_REPL);
}

/* The first replica: a backlog, and a fresh history (as Redis 7.0 does). */
static void ensureBacklog(void) {
    struct serverReplState *rs = &server.replication;
    if (rs->backlog_active) return;
    getRandomHexChars(rs->replid, REPL_ID_LEN);
    memset(rs->replid2, '0', REPL_ID_LEN);
    rs->second_replid_offset = -1;
    replBacklogCreate();
    restartStreamConsumer();
    serverLog(LL_NOTICE, "Replication backlog created, my new replication IDs are '%s' and '%s'", rs->replid,
              rs->replid2);
}

static void freeBacklog(void) {
    struct serverReplState *rs = &server.replication;
    if (!rs->backlog_active) return;
    if (rs->consumer != -1) propagateUnregisterConsumer(rs->consumer);
    rs->consumer = -1;
    replBacklogFree();
}

void replicationAdoptOrphanPositions(replBufBlock *b) {
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (l->has_pos && l->pos.block == NULL) {
            l->pos.block = b;
            b->refcount++;
        }
    }
}

/* ------------------------------------------------------------ replicas */

static replicaLink *linkOf(client *c) {
    if (c->repl == NULL) {
        replicaLink *l = zcalloc(sizeof(*l));
        l->c = c;
        l->bulk_fd = -1;
        c->repl = l;
    }
    return c->repl;
}

const char *replicationReplicaIp(replicaLink *l, char *buf, size_t len) {
    if (l->announce_ip[0]) return l->announce_ip;
    int port;
    if (l->c->conn == NULL || anetFdToString(connGetFd(l->c->conn), buf, len, &port, 1) == -1)
        snprintf(buf, len, "?");
    return buf;
}

static const char *replicaName(replicaLink *l, char *buf, size_t len) {
    char ip[NET_IP_STR_LEN];
    snprintf(buf, len, "%s:%d", replicationReplicaIp(l, ip, sizeof(ip)), l->listening_port);
    return buf;
}

replicaLink *replicationFindReplica(const char *host, int port) {
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        char ip[NET_IP_STR_LEN];
        if (!strcasecmp(host, replicationReplicaIp(l, ip, sizeof(ip))) && l->listening_port == port) return l;
    }
    return NULL;
}

replicaLink *replicationFindSyncedReplica(long long offset) {
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (l->state == REPLICA_STATE_ONLINE && l->ack_off == offset) return l;
    }
    return NULL;
}

static void relayReplicaTookChunk(replicaLink *l);

void replicationReplicaClientFreed(client *c) {
    replicaLink *l = c->repl;
    if (l == NULL) return;
    struct serverReplState *rs = &server.replication;
    if (l->state != REPLICA_STATE_NONE) {
        listNode *ln = listSearchKey(rs->replicas, l);
        if (ln) listDelNode(rs->replicas, ln);
        char name[NET_ADDR_STR_LEN];
        serverLog(LL_NOTICE, "Connection with replica %s lost.", replicaName(l, name, sizeof(name)));
        if (listLength(rs->replicas) == 0) rs->no_replicas_since = server.unixtime;
    }
    if (l->relayed) relayReplicaTookChunk(l);
    if (l->has_pos) replBufPosRelease(&l->pos);
    if (l->bulk_fd != -1) close(l->bulk_fd);
    sdsfree(l->bulk_preamble);
    zfree(l);
    c->repl = NULL;
}

/* Writes a protocol line straight to the socket, before the replica gets
 * any stream (its output buffers are empty by the PSYNC checks). */
static int writeLine(replicaLink *l, const char *s) {
    size_t len = strlen(s);
    if (connWrite(l->c->conn, s, len) != (ssize_t)len) {
        freeClientAsync(l->c);
        return C_ERR;
    }
    return C_OK;
}

static void goOnline(replicaLink *l) {
    char name[NET_ADDR_STR_LEN];
    l->state = REPLICA_STATE_ONLINE;
    l->ack_time = server.unixtime;
    serverLog(LL_NOTICE, "Synchronization with replica %s succeeded", replicaName(l, name, sizeof(name)));
}

/* Keeps a write handler installed while the socket cannot take more. */
static void wantWritable(replicaLink *l, int on) {
    if (l->write_installed == on) return;
    if (connSetWriteHandler(l->c->conn, on ? replicaWriteHandler : NULL) == C_ERR) {
        freeClientAsync(l->c);
        return;
    }
    l->write_installed = on;
}

/* Sends the RDB file: preamble, then chunks read at bulk_off. Returns 1
 * when the whole file is sent. */
static int sendBulk(replicaLink *l) {
    if (l->bulk_preamble) {
        ssize_t n = connWrite(l->c->conn, l->bulk_preamble, sdslen(l->bulk_preamble));
        if (n < 0) return connGetState(l->c->conn) == CONN_STATE_CONNECTED ? 0 : -1;
        sdsrange(l->bulk_preamble, n, -1);
        if (sdslen(l->bulk_preamble)) return 0;
        sdsfree(l->bulk_preamble);
        l->bulk_preamble = NULL;
    }
    char buf[REPL_SEND_CHUNK];
    while (l->bulk_off < l->bulk_size) {
        ssize_t r = pread(l->bulk_fd, buf, sizeof(buf), l->bulk_off);
        if (r <= 0) {
            serverLog(LL_WARNING, "Read error sending DB to replica: %s", r == 0 ? "short file" : strerror(errno));
            return -1;
        }
        ssize_t n = connWrite(l->c->conn, buf, (size_t)r);
        if (n < 0) return connGetState(l->c->conn) == CONN_STATE_CONNECTED ? 0 : -1;
        l->bulk_off += n;
        server.stat.net_output_bytes += n;
        if (n < r) return 0;
    }
    close(l->bulk_fd);
    l->bulk_fd = -1;
    return 1;
}

/* ------------------------------------------ diskless through the parent */

/* A replica the child cannot write (TLS: its session lives in the parent)
 * gets its diskless RDB relayed. The child writes "$EOF:<mark>", the RDB
 * and the mark to a pipe; the parent reads a chunk, writes it to every
 * relayed replica (a full socket gets a write handler), and reads the
 * next chunk only when all of them have taken it. The sync ends when the
 * pipe is at its end and the child has exited: then the replicas go
 * online, or are dropped if the child failed. */
static struct {
    int active;              /* a relay runs (until both ends are seen) */
    int fd;                  /* the pipe's read end, -1 once at its end */
    char buf[REPL_SEND_CHUNK];
    size_t len;              /* the chunk the replicas are being sent */
    int waiting;             /* relayed replicas that have not taken it all */
    int child_done, child_ok;
} relay = {.fd = -1};

static void relayReadable(aeEventLoop *el, int fd, void *data, int mask);

static int relayRunning(void) {
    return relay.active;
}

/* Both ends seen: the relayed replicas go online (their stream waits for
 * their first ACK, as after a direct diskless sync) or are dropped. */
static void relayMaybeFinish(void) {
    if (!relay.active || relay.fd != -1 || !relay.child_done || relay.waiting) return;
    relay.active = 0;
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (!l->relayed) continue;
        l->relayed = 0;
        if (!relay.child_ok) {
            freeClientAsync(l->c);
            continue;
        }
        goOnline(l);
        l->stream_on_ack = 1;
    }
    if (relay.child_ok) serverLog(LL_NOTICE, "Background RDB transfer terminated with success");
}

/* Writes what l has not taken of the chunk: 1 when it has it all, 0 when
 * its socket is full, -1 when the connection failed. */
static int relaySend(replicaLink *l) {
    while (l->relay_sent < relay.len) {
        ssize_t n = connWrite(l->c->conn, relay.buf + l->relay_sent, relay.len - l->relay_sent);
        if (n < 0) return connGetState(l->c->conn) == CONN_STATE_CONNECTED ? 0 : -1;
        if (n == 0) return 0;
        l->relay_sent += (size_t)n;
        server.stat.net_output_bytes += n;
    }
    return 1;
}

/* l took the whole chunk, or left: the next chunk is read once every
 * relayed replica has. */
static void relayReplicaTookChunk(replicaLink *l) {
    if (!l->relay_waiting) return;
    l->relay_waiting = 0;
    if (--relay.waiting > 0) return;
    if (relay.fd != -1) aeCreateFileEvent(server.el, relay.fd, AE_READABLE, relayReadable, NULL);
}

static void relayReadable(aeEventLoop *el, int fd, void *data, int mask) {
    (void)el, (void)data, (void)mask;
    ssize_t n = read(fd, relay.buf, sizeof(relay.buf));
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
        /* At its end (or broken): the child's exit status says how it went. */
        aeDeleteFileEvent(server.el, fd, AE_READABLE);
        close(fd);
        relay.fd = -1;
        relayMaybeFinish();
        return;
    }
    relay.len = (size_t)n;
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (!l->relayed || (l->c->flags & CLIENT_CLOSE_ASAP)) continue;
        l->relay_sent = 0;
        int r = relaySend(l);
        if (r == -1) {
            freeClientAsync(l->c);
        } else if (r == 0) {
            l->relay_waiting = 1;
            relay.waiting++;
            wantWritable(l, 1);
        }
    }
    if (relay.waiting) aeDeleteFileEvent(server.el, fd, AE_READABLE);
}

/* Whether one of the replicas just told +FULLRESYNC is one the child
 * cannot write (then all of them are relayed). */
static int batchNeedsRelay(void) {
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (l->state == REPLICA_STATE_WAIT_BGSAVE_END && l->diskless && l->c->conn->type != &CT_Socket) return 1;
    }
    return 0;
}

/* Starts the relay of the save forked with pipefd as its output. */
static void startRelay(int pipefd) {
    memset(&relay, 0, sizeof(relay));
    relay.active = 1;
    relay.fd = pipefd;
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (l->state == REPLICA_STATE_WAIT_BGSAVE_END && l->diskless) l->relayed = 1, l->relay_waiting = 0;
    }
    aeCreateFileEvent(server.el, relay.fd, AE_READABLE, relayReadable, NULL);
}

/* Writes what the replica is owed. Returns C_ERR if it was dropped. */
static int replicaWrite(replicaLink *l) {
    if (l->relayed) {
        int r = relaySend(l);
        if (r == -1) {
            freeClientAsync(l->c);
            return C_ERR;
        }
        if (r == 1) {
            wantWritable(l, 0);
            relayReplicaTookChunk(l);
        }
        return C_OK;
    }
    if (l->state == REPLICA_STATE_SEND_BULK) {
        int r = sendBulk(l);
        if (r == -1) {
            freeClientAsync(l->c);
            return C_ERR;
        }
        if (r == 0) {
            wantWritable(l, 1);
            return C_OK;
        }
        goOnline(l);
    }
    if (l->state != REPLICA_STATE_ONLINE || l->stream_on_ack) return C_OK;
    for (;;) {
        size_t len;
        const char *p = replBufPosPeek(&l->pos, &len);
        if (len == 0) break;
        ssize_t n = connWrite(l->c->conn, p, len);
        if (n < 0) {
            if (connGetState(l->c->conn) == CONN_STATE_CONNECTED) break;
            freeClientAsync(l->c);
            return C_ERR;
        }
        replBufPosAdvance(&l->pos, (size_t)n);
        l->c->net_output_bytes += n;
        server.stat.net_output_bytes += n;
        if ((size_t)n < len) break;
    }
    wantWritable(l, replBufPosPending(&l->pos) > 0);
    return C_OK;
}

static void replicaWriteHandler(connection *conn) {
    client *c = connGetPrivateData(conn);
    if (c->repl && !(c->flags & CLIENT_CLOSE_ASAP)) replicaWrite(c->repl);
}

/* client-output-buffer-limit replica, applied to the stream the replica
 * has not taken yet. Returns 1 when it was dropped. */
static int overOutputLimit(replicaLink *l) {
    const clientBufferLimitsConfig *lim = &server.limits.client_obuf_limits[CLIENT_TYPE_SLAVE];
    long long pending = l->has_pos ? replBufPosPending(&l->pos) : 0;
    int over = lim->hard_limit_bytes && (unsigned long long)pending >= lim->hard_limit_bytes;
    if (lim->soft_limit_bytes && (unsigned long long)pending >= lim->soft_limit_bytes) {
        if (l->obuf_soft_since == 0) l->obuf_soft_since = server.unixtime;
        else if (server.unixtime - l->obuf_soft_since > lim->soft_limit_seconds) over = 1;
    } else {
        l->obuf_soft_since = 0;
    }
    if (!over) return 0;
    sds ci = catClientInfoString(sdsempty(), l->c);
    serverLog(LL_WARNING, "Client %s scheduled to be closed ASAP for overcoming of output buffer limits.", ci);
    sdsfree(ci);
    server.stat.client_outbuf_limit_disconnections++;
    freeClientAsync(l->c);
    return 1;
}

/* Replicas whose acknowledged offset is offset or more. */
static long countAcks(long long offset) {
    long n = 0;
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (l->state == REPLICA_STATE_ONLINE && l->ack_off >= offset) n++;
    }
    return n;
}

static listNode *findWaiter(client *c) {
    listIter li;
    listNode *ln;
    listRewind(server.replication.waiters, &li);
    while ((ln = listNext(&li)) != NULL)
        if (((replWaiter *)listNodeValue(ln))->c == c) return ln;
    return NULL;
}

void replicationReplyWaitCount(client *c) {
    listNode *ln = findWaiter(c);
    addReplyLongLong(c, ln ? countAcks(((replWaiter *)listNodeValue(ln))->offset) : 0);
}

void replicationWaitReleased(client *c) {
    listNode *ln = findWaiter(c);
    if (ln == NULL) return;
    zfree(listNodeValue(ln));
    listDelNode(server.replication.waiters, ln);
}

/* Serves the WAITs whose replicas have acknowledged enough. */
static void serveWaiters(void) {
    listIter li;
    listNode *ln;
    listRewind(server.replication.waiters, &li);
    while ((ln = listNext(&li)) != NULL) {
        replWaiter *w = listNodeValue(ln);
        long acks = countAcks(w->offset);
        if (acks < w->numreplicas) continue;
        addReplyLongLong(w->c, acks);
        unblockClient(w->c); /* frees w through replicationWaitReleased */
    }
}

/* WAIT numreplicas timeout: the stream up to this client's last command
 * (c->woff, set by call()) acknowledged by numreplicas replicas, or the
 * count at the timeout. */
void waitCommand(client *c) {
    if (replicationIsReplica()) {
        addReplyError(c, "WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a "
                         "replica is configured to be writable (which is not the default) writes to replicas are "
                         "just local and are not propagated.");
        return;
    }
    long numreplicas;
    long long ms;
    if (getLongFromObjectOrReply(c, c->argv[1], &numreplicas, NULL) != C_OK) return;
    if (getLongLongFromObjectOrReply(c, c->argv[2], &ms, "timeout is not an integer or out of range") != C_OK) return;
    if (ms < 0) {
        addReplyError(c, "timeout is negative");
        return;
    }
    long long offset = c->woff;
    long acks = countAcks(offset);
    if (acks >= numreplicas || !clientMayBlock(c)) {
        addReplyLongLong(c, acks);
        return;
    }
    replWaiter *w = zmalloc(sizeof(*w));
    w->c = c;
    w->offset = offset;
    w->numreplicas = numreplicas;
    listAddNodeTail(server.replication.waiters, w);
    blockForKeys(c, BLOCKED_WAIT, NULL, 0, ms ? mstime() + ms : 0);
    server.replication.getack_pending = 1;
}

int replicationReplicasInSync(void) {
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (l->ack_off != server.replication.master_repl_offset) return 0;
    }
    return 1;
}

static const char getackCommand[] = "*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n";

void replicationSendGetack(void) {
    if (listLength(server.replication.replicas) == 0 || replicationIsReplica()) return;
    replBufAppend(getackCommand, sizeof(getackCommand) - 1);
}

static const char *replicaStateName(replicaState s);

void replicationLogLaggingReplicas(void) {
    struct serverReplState *rs = &server.replication;
    int n = 0, synced = 0;
    listIter li;
    listNode *ln;
    listRewind(rs->replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        n++;
        if (l->ack_off == rs->master_repl_offset) {
            synced++;
            continue;
        }
        char name[NET_ADDR_STR_LEN];
        serverLog(LL_WARNING, "Lagging replica %s reported offset %lld behind master, lag=%ld, state=%s.",
                  replicaName(l, name, sizeof(name)), rs->master_repl_offset - l->ack_off,
                  (long)(server.unixtime - l->ack_time), replicaStateName(l->state));
    }
    if (n) serverLog(LL_NOTICE, "%d of %d replicas are in sync when shutting down.", synced, n);
}

void replicationFlushReplicas(void) {
    struct serverReplState *rs = &server.replication;
    /* While writes are paused (a failover waiting for its target to
     * catch up) nothing may move the offset. */
    if (rs->getack_pending && !checkClientPauseTimeoutAndReturnIfPaused()) {
        replicationSendGetack();
        rs->getack_pending = 0;
    }
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (l->c->flags & CLIENT_CLOSE_ASAP) continue;
        if (overOutputLimit(l)) continue;
        if (l->state == REPLICA_STATE_ONLINE && !l->stream_on_ack && !l->write_installed &&
            replBufPosPending(&l->pos) > 0)
            replicaWrite(l);
    }
}

/* ----------------------------------------------------------- full sync */

/* The file a save for replicas left in dbfilename, known by its inode so
 * that a later SAVE (a new file renamed over it) is never taken for it. */
static struct {
    int present;
    dev_t dev;
    ino_t ino;
} syncFile;

static void rememberSyncFile(void) {
    struct stat st;
    syncFile.present = stat(server.persist.rdb_filename, &st) == 0;
    syncFile.dev = st.st_dev;
    syncFile.ino = st.st_ino;
}

/* rdb-del-sync-files: once no replica waits for or reads the file a save
 * for replicas wrote, a server without persistence deletes it. */
static void deleteUnusedSyncFile(void) {
    if (!syncFile.present || !replicationDeletesSyncFiles()) return;
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (l->state == REPLICA_STATE_WAIT_BGSAVE_START || l->state == REPLICA_STATE_WAIT_BGSAVE_END ||
            l->state == REPLICA_STATE_SEND_BULK)
            return;
    }
    syncFile.present = 0;
    struct stat st;
    if (stat(server.persist.rdb_filename, &st) == -1 || st.st_dev != syncFile.dev || st.st_ino != syncFile.ino) return;
    serverLog(LL_NOTICE, "Removing the RDB file used to feed replicas in a persistence-less instance");
    bioUnlinkFile(server.persist.rdb_filename);
}

static void bgsaveForReplicationDone(const childResult *res) {
    int ok = res->exitcode == 0 && res->bysignal == 0;
    if (ok) rememberSyncFile();
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (l->state != REPLICA_STATE_WAIT_BGSAVE_END) continue;
        struct stat st;
        if (!ok || (l->bulk_fd = open(server.persist.rdb_filename, O_RDONLY | O_CLOEXEC)) == -1 ||
            fstat(l->bulk_fd, &st) == -1) {
            serverLog(LL_WARNING, "SYNC failed. BGSAVE child returned an error");
            freeClientAsync(l->c);
            continue;
        }
        l->bulk_off = 0;
        l->bulk_size = st.st_size;
        l->bulk_preamble = sdscatprintf(sdsempty(), "$%lld\r\n", (long long)st.st_size);
        l->state = REPLICA_STATE_SEND_BULK;
        replicaWrite(l);
    }
    if (ok) serverLog(LL_NOTICE, "Background RDB transfer terminated with success");
}

static size_t totalKeys(void) {
    size_t n = 0;
    for (int j = 0; j < server.dbnum; j++) n += dbSize(&server.db[j]);
    return n;
}

/* A replica that asked for the functions only gets them when it can
 * take a diskless sync (the EOF form); a save to the dump file always
 * holds the whole dataset, so the others get that. */
static int wantsFunctionsOnly(const replicaLink *l) {
    return l->functions_only && l->capa_eof;
}

/* One save serves the waiting replicas that want the same RDB: those
 * wanting the functions only, or the others. */
static int inBatch(const replicaLink *l, int functions_only) {
    return l->state == REPLICA_STATE_WAIT_BGSAVE_START && wantsFunctionsOnly(l) == functions_only;
}

/* The batch the next save serves: that of the replica waiting longest. */
static int nextBatch(void) {
    long long oldest = LLONG_MAX;
    int functions_only = 0;
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (l->state != REPLICA_STATE_WAIT_BGSAVE_START || l->wait_since >= oldest) continue;
        oldest = l->wait_since;
        functions_only = wantsFunctionsOnly(l);
    }
    return functions_only;
}

/* Tells the replicas of the batch that their save starts now (+FULLRESYNC
 * at the current offset, from which their stream positions start). */
static void announceFullResync(int diskless, int functions_only) {
    struct serverReplState *rs = &server.replication;
    char line[128];
    snprintf(line, sizeof(line), "+FULLRESYNC %s %lld\r\n", rs->replid, rs->master_repl_offset);
    listIter li;
    listNode *ln;
    listRewind(rs->replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (!inBatch(l, functions_only)) continue;
        if (!l->old_sync && writeLine(l, line) != C_OK) continue;
        replBufPosInit(&l->pos);
        l->has_pos = 1;
        l->diskless = diskless;
        l->state = REPLICA_STATE_WAIT_BGSAVE_END;
    }
}

/* ------------------------------------------------------- diskless sync */

/* The child's writer: the rio fd backend's buffer, flushed to every
 * replica socket in turn (the sockets are non-blocking, shared with the
 * parent, so a full one is waited for with poll). A socket that fails is
 * dropped from the set; the save fails only when none is left. */
static int disklessFds[64];
static int disklessNumFds;

static int writeToReplicaSockets(const char *p, size_t len) {
    int alive = 0;
    for (int j = 0; j < disklessNumFds; j++) {
        int fd = disklessFds[j];
        if (fd == -1) continue;
        size_t off = 0;
        while (off < len) {
            ssize_t n = write(fd, p + off, len - off);
            if (n > 0) {
                off += (size_t)n;
            } else if (n == -1 && (errno == EAGAIN || errno == EINTR)) {
                struct pollfd pfd = {fd, POLLOUT, 0};
                if (poll(&pfd, 1, server.repl.timeout * 1000) <= 0) break;
            } else {
                break;
            }
        }
        if (off < len) disklessFds[j] = -1;
        else alive++;
    }
    return alive > 0;
}

static int disklessFlush(rio *r) {
    if (!writeToReplicaSockets(r->io.fd.buf, sdslen(r->io.fd.buf))) return 0;
    sdsclear(r->io.fd.buf);
    return 1;
}

static size_t disklessWrite(rio *r, const void *buf, size_t len) {
    r->io.fd.buf = sdscatlen(r->io.fd.buf, buf, len);
    r->io.fd.pos += (off_t)len;
    if (sdslen(r->io.fd.buf) >= 64 * 1024 && !disklessFlush(r)) return 0;
    return len;
}

/* In the child: "$EOF:<mark>\r\n", the RDB (of the functions only, when
 * asked), the mark. Never returns. */
static void disklessChildMain(int functions_only) {
    char mark[REPL_ID_LEN];
    getRandomHexChars(mark, REPL_ID_LEN);
    sds pre = sdscatprintf(sdsempty(), "$EOF:%.*s\r\n", REPL_ID_LEN, mark);
    int ok = writeToReplicaSockets(pre, sdslen(pre));
    sdsfree(pre);
    rio r;
    rioInitWithFd(&r, -1);
    r.write = disklessWrite;
    r.flush = disklessFlush;
    int flags = functions_only ? RDBFLAGS_FUNCTIONS_ONLY : RDBFLAGS_NONE;
    ok = ok && rdbSaveRio(&r, flags, server.persist.rdb_version) == C_OK && disklessFlush(&r) &&
         writeToReplicaSockets(mark, REPL_ID_LEN);
    rioFreeFd(&r);
    childExit(ok ? 0 : 1);
}

/* Closes the links of the replicas a diskless save was serving; they
 * reconnect and ask again. */
static void dropDisklessReplicas(void) {
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (l->state == REPLICA_STATE_WAIT_BGSAVE_END && l->diskless) freeClientAsync(l->c);
    }
}

static void disklessDone(const childResult *res) {
    if (relayRunning()) {
        relay.child_done = 1;
        relay.child_ok = res->exitcode == 0 && res->bysignal == 0;
        if (!relay.child_ok) serverLog(LL_WARNING, "Diskless rdb transfer, the child failed; dropping its replicas.");
        relayMaybeFinish();
        return;
    }
    if (res->exitcode != 0 || res->bysignal != 0) {
        serverLog(LL_WARNING, "Diskless rdb transfer, done reading from pipe, 0 replicas still up.");
        dropDisklessReplicas();
        return;
    }
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (l->state != REPLICA_STATE_WAIT_BGSAVE_END || !l->diskless) continue;
        /* It loads the RDB before it reads more: the stream would be
         * taken for part of the RDB, so it waits for the first ACK. */
        goOnline(l);
        l->stream_on_ack = 1;
    }
    serverLog(LL_NOTICE, "Background RDB transfer terminated with success");
}

/* Whether the batch gets a diskless sync: always for the functions only;
 * else repl-diskless-sync and every one of them able to read the EOF
 * form. */
static int useDiskless(int functions_only) {
    if (functions_only) return 1;
    if (!server.repl.diskless_sync) return 0;
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (inBatch(l, 0) && (!l->capa_eof || l->old_sync)) return 0;
    }
    return 1;
}

/* repl-diskless-sync-delay: a diskless save waits that long after the
 * first replica asked, for others to join, unless
 * repl-diskless-sync-max-replicas are already waiting (a functions-only
 * save with repl-diskless-sync off does not wait). */
static int disklessDelayOver(int functions_only) {
    if (functions_only && !server.repl.diskless_sync) return 1;
    int waiting = 0;
    long long oldest = server.mstime;
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (!inBatch(l, functions_only)) continue;
        waiting++;
        if (l->wait_since < oldest) oldest = l->wait_since;
    }
    if (server.repl.diskless_sync_max_replicas && waiting >= server.repl.diskless_sync_max_replicas) return 1;
    return server.mstime - oldest >= (long long)server.repl.diskless_sync_delay * 1000;
}

/* The replicas this diskless save serves: those just told +FULLRESYNC. */
static void collectDisklessFds(void) {
    disklessNumFds = 0;
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL && disklessNumFds < 64) {
        replicaLink *l = listNodeValue(ln);
        if (l->state == REPLICA_STATE_WAIT_BGSAVE_END && l->diskless && !l->relayed)
            disklessFds[disklessNumFds++] = connGetFd(l->c->conn);
    }
}

/* The +FULLRESYNC line goes out before the fork: the child writes the
 * payload straight to the sockets, so a line sent after it could arrive
 * behind the child's first bytes. If the fork fails, the replicas just
 * told are dropped and ask again. */
static void startDisklessSync(int functions_only) {
    if (!replicationIsReplica()) restartStreamConsumer();
    announceFullResync(1, functions_only);
    /* With any replica the child cannot write, all of them are relayed. */
    int pipefds[2] = {-1, -1};
    if (batchNeedsRelay()) {
        if (pipe2(pipefds, O_CLOEXEC | O_NONBLOCK) == -1) {
            serverLog(LL_WARNING, "Can't create the pipe for a diskless sync: %s", strerror(errno));
            dropDisklessReplicas();
            return;
        }
        /* The child's end blocks: it waits for the parent to read. */
        fcntl(pipefds[1], F_SETFL, fcntl(pipefds[1], F_GETFL) & ~O_NONBLOCK);
        disklessFds[0] = pipefds[1];
        disklessNumFds = 1;
    } else {
        collectDisklessFds();
    }
    pid_t pid = childFork(CHILD_TYPE_RDB, "redis-rdb-to-slaves", functions_only ? 0 : totalKeys(), disklessDone);
    if (pid == 0) {
        if (pipefds[0] != -1) close(pipefds[0]);
        disklessChildMain(functions_only);
    }
    if (pipefds[1] != -1) close(pipefds[1]);
    if (pid == -1) {
        serverLog(LL_WARNING, "Can't save in background: fork: %s", strerror(errno));
        if (pipefds[0] != -1) close(pipefds[0]);
        dropDisklessReplicas();
        return;
    }
    if (pipefds[0] != -1) startRelay(pipefds[0]);
    serverLog(LL_NOTICE, "Starting BGSAVE for SYNC with target: replicas sockets");
    serverLog(LL_NOTICE, "Background RDB transfer started by pid %ld", (long)pid);
}

/* --------------------------------------------------------- disk sync */

/* Forks the save that the next batch of waiting replicas will share: to
 * disk, or (repl-diskless-sync, after its delay) straight to their
 * sockets. The other batch waits for the next save. */
static void startBgsaveForReplication(void) {
    if (childActive() || relayRunning()) return;
    int functions_only = nextBatch();
    if (useDiskless(functions_only)) {
        if (disklessDelayOver(functions_only)) startDisklessSync(functions_only);
        return;
    }
    pid_t pid = childFork(CHILD_TYPE_RDB, "redis-rdb-bgsave", totalKeys(), bgsaveForReplicationDone);
    if (pid == 0) {
        int ok = rdbSave(server.persist.rdb_filename, RDBFLAGS_NONE) == C_OK;
        childExit(ok ? 0 : 1);
    }
    if (pid == -1) {
        serverLog(LL_WARNING, "Can't save in background: fork: %s", strerror(errno));
        return;
    }
    serverLog(LL_NOTICE, "Starting BGSAVE for SYNC with target: disk");
    serverLog(LL_NOTICE, "Background saving started by pid %ld", (long)pid);
    /* A primary's stream after the snapshot starts with a SELECT; a
     * replica's is its primary's, and the RDB's repl-stream-db tells
     * the replica which database it is in. */
    if (!replicationIsReplica()) restartStreamConsumer();
    announceFullResync(0, 0);
}

/* ---------------------------------------------------------- SYNC/PSYNC */

/* Whether PSYNC id offset can continue from our backlog. */
static int canContinue(const char *id, long long offset) {
    struct serverReplState *rs = &server.replication;
    if (!rs->backlog_active) return 0;
    int ours = !strcasecmp(id, rs->replid) ||
               (!strcasecmp(id, rs->replid2) && offset <= rs->second_replid_offset);
    if (!ours) return 0;
    long long first = replBacklogFirstByte();
    return offset >= first && offset <= first + replBacklogHistlen();
}

static void acceptPartial(replicaLink *l, long long offset) {
    struct serverReplState *rs = &server.replication;
    char line[128];
    if (l->capa_psync2)
        snprintf(line, sizeof(line), "+CONTINUE %s\r\n", rs->replid);
    else
        snprintf(line, sizeof(line), "+CONTINUE\r\n");
    if (writeLine(l, line) != C_OK) return;
    serverAssert(replBufPosSeek(&l->pos, offset) == C_OK);
    l->has_pos = 1;
    rs->stat_sync_partial_ok++;
    char name[NET_ADDR_STR_LEN];
    serverLog(LL_NOTICE, "Partial resynchronization request from %s accepted. Sending %lld bytes of backlog starting "
                         "from offset %lld.", replicaName(l, name, sizeof(name)), replBufPosPending(&l->pos), offset);
    goOnline(l);
    replicaWrite(l);
}

/* A full resync: share a BGSAVE whose stream position is still usable
 * (its replicas have had nothing but the stream since), or wait for one. */
static void startFullSync(replicaLink *l) {
    struct serverReplState *rs = &server.replication;
    rs->stat_sync_full++;
    l->state = REPLICA_STATE_WAIT_BGSAVE_START;
    l->wait_since = server.mstime;
    listIter li;
    listNode *ln;
    listRewind(rs->replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *other = listNodeValue(ln);
        if (other == l || other->state != REPLICA_STATE_WAIT_BGSAVE_END || other->old_sync != l->old_sync ||
            other->diskless || wantsFunctionsOnly(l))
            continue;
        char line[128];
        snprintf(line, sizeof(line), "+FULLRESYNC %s %lld\r\n", rs->replid, other->pos.offset - 1);
        if (!l->old_sync && writeLine(l, line) != C_OK) return;
        l->pos = other->pos;
        if (l->pos.block) l->pos.block->refcount++;
        l->has_pos = 1;
        l->state = REPLICA_STATE_WAIT_BGSAVE_END;
        serverLog(LL_NOTICE, "Waiting for end of BGSAVE for SYNC");
        return;
    }
    startBgsaveForReplication();
}

/* The checks SYNC and PSYNC share. Returns 0 when c was refused. */
static int syncAllowed(client *c) {
    if (c->flags & CLIENT_SLAVE) return 0;
    if (!strcasecmp(c->argv[0]->ptr, "psync") && !failoverPsyncRequest(c)) return 0;
    if (failoverActive()) {
        addReplyError(c, "-NOMASTERLINK Can't SYNC while failing over");
        return 0;
    }
    if (replicationIsReplica() && (!replicationLinkUp() || !server.replication.backlog_active)) {
        addReplyError(c, "-NOMASTERLINK Can't SYNC while not connected with my master");
        return 0;
    }
    if (clientHasPendingReplies(c)) {
        addReplyError(c, "SYNC and PSYNC are invalid with pending output");
        return 0;
    }
    return 1;
}

/* Makes c a replica, in the list, waiting for its sync. */
static replicaLink *attachReplica(client *c) {
    struct serverReplState *rs = &server.replication;
    replicaLink *l = linkOf(c);
    c->flags |= CLIENT_SLAVE;
    listAddNodeTail(rs->replicas, l);
    ensureBacklog();
    l->ack_time = server.unixtime;
    return l;
}

void psyncCommand(client *c) {
    if (!syncAllowed(c)) return;
    const char *id = c->argv[1]->ptr;
    long long offset;
    if (getLongLongFromObjectOrReply(c, c->argv[2], &offset, NULL) != C_OK) return;
    char name[NET_ADDR_STR_LEN];
    replicaLink *l = attachReplica(c);
    serverLog(LL_NOTICE, "Replica %s asks for synchronization", replicaName(l, name, sizeof(name)));
    if (canContinue(id, offset)) {
        acceptPartial(l, offset);
        return;
    }
    if (strcmp(id, "?") != 0) {
        server.replication.stat_sync_partial_err++;
        serverLog(LL_NOTICE, "Partial resynchronization not accepted: Replication ID mismatch or offset out of range "
                             "(Replica asked for '%s:%lld')", id, offset);
    } else {
        serverLog(LL_NOTICE, "Full resync requested by replica %s", name);
    }
    startFullSync(l);
}

void syncCommand(client *c) {
    if (!syncAllowed(c)) return;
    replicaLink *l = attachReplica(c);
    l->old_sync = 1;
    startFullSync(l);
}

/* REPLCONF rdb-filter-only "<filter> ...": "functions" (the one filter
 * Redis 7.0 knows; redis-cli --functions-rdb asks for it) sends an RDB
 * of the functions without the keys; "" sends the whole dataset. */
static int parseRdbFilters(client *c, replicaLink *l, const char *val) {
    int n;
    sds *filters = sdssplitargs(val, &n);
    if (filters == NULL) {
        addReplyError(c, "Missing rdb-filter-only values");
        return C_ERR;
    }
    int ok = C_OK, functions_only = 0;
    for (int j = 0; j < n && ok == C_OK; j++) {
        if (strcasecmp(filters[j], "functions")) {
            addReplyErrorFormat(c, "Unsupported rdb-filter-only option: %s", filters[j]);
            ok = C_ERR;
        }
        functions_only = 1;
    }
    sdsfreesplitres(filters, n);
    if (ok == C_OK) l->functions_only = functions_only;
    return ok;
}

void replicationReplicaAlive(client *c) {
    if (c->repl) c->repl->ack_time = server.unixtime;
}

void replicationReplconfFromReplica(client *c) {
    replicaLink *l = linkOf(c);
    for (int j = 1; j + 1 < c->argc; j += 2) {
        const char *opt = c->argv[j]->ptr, *val = c->argv[j + 1]->ptr;
        if (!strcasecmp(opt, "listening-port")) {
            long port;
            if (getRangeLongFromObjectOrReply(c, c->argv[j + 1], 0, 65535, &port, NULL) != C_OK) return;
            l->listening_port = (int)port;
        } else if (!strcasecmp(opt, "ip-address")) {
            if (strlen(val) >= sizeof(l->announce_ip)) {
                addReplyErrorFormat(c, "REPLCONF ip-address provided by replica instance is too long: %zd bytes",
                                    strlen(val));
                return;
            }
            snprintf(l->announce_ip, sizeof(l->announce_ip), "%s", val);
        } else if (!strcasecmp(opt, "rdb-filter-only")) {
            if (parseRdbFilters(c, l, val) != C_OK) return;
        } else if (!strcasecmp(opt, "capa")) {
            if (!strcasecmp(val, "eof")) l->capa_eof = 1;
            if (!strcasecmp(val, "psync2")) l->capa_psync2 = 1;
        } else if (!strcasecmp(opt, "ack")) {
            long long off;
            if (getLongLongFromObject(c->argv[j + 1], &off) != C_OK) return;
            if (off > l->ack_off) l->ack_off = off;
            l->ack_time = server.unixtime;
            if (l->stream_on_ack) {
                l->stream_on_ack = 0;
                replicaWrite(l);
            }
            if (listLength(server.replication.waiters)) serveWaiters();
            return;
        }
    }
    addReply(c, shared.ok);
}

/* ------------------------------------------------------------- cron */

void replicationDisconnectReplicas(void) {
    struct serverReplState *rs = &server.replication;
    while (listLength(rs->replicas)) {
        replicaLink *l = listNodeValue(listFirst(rs->replicas));
        freeClient(l->c);
    }
}

void replicationDropReplicas(void) {
    replicationDisconnectReplicas();
    freeBacklog();
}

void replicationPrimaryRestored(void) {
    replBacklogCreate();
    restartStreamConsumer();
    server.replication.no_replicas_since = server.unixtime;
}

void replicationDemoted(void) {
    struct serverReplState *rs = &server.replication;
    replicationDisconnectReplicas();
    if (rs->consumer != -1) propagateUnregisterConsumer(rs->consumer);
    rs->consumer = -1;
}

void replicationPromoted(void) {
    if (server.replication.backlog_active) restartStreamConsumer();
}

int replicationGoodReplicas(void) {
    int good = 0;
    listIter li;
    listNode *ln;
    listRewind(server.replication.replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (l->state == REPLICA_STATE_ONLINE && server.unixtime - l->ack_time <= server.repl.min_slaves_max_lag)
            good++;
    }
    return good;
}

void replicationPrimaryCron(void) {
    struct serverReplState *rs = &server.replication;
    rs->cron_loops++;
    if (listLength(rs->replicas) && !replicationIsReplica() && rs->cron_loops % server.repl.ping_slave_period == 0 &&
        !checkClientPauseTimeoutAndReturnIfPaused())
        replBufAppend("*1\r\n$4\r\nPING\r\n", 14);
    int waiting = 0;
    listIter li;
    listNode *ln;
    listRewind(rs->replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (l->state == REPLICA_STATE_WAIT_BGSAVE_START) waiting = 1;
        /* A newline keeps a replica waiting for its RDB from timing out. */
        if ((l->state == REPLICA_STATE_WAIT_BGSAVE_START ||
             (l->state == REPLICA_STATE_WAIT_BGSAVE_END && !l->diskless)) &&
            !l->old_sync)
            connWrite(l->c->conn, "\n", 1);
        if (l->state == REPLICA_STATE_ONLINE && server.unixtime - l->ack_time > server.repl.timeout) {
            char name[NET_ADDR_STR_LEN];
            serverLog(LL_WARNING, "Disconnecting timedout replica (streaming sync): %s",
                      replicaName(l, name, sizeof(name)));
            freeClientAsync(l->c);
        }
    }
    if (waiting) startBgsaveForReplication();
    deleteUnusedSyncFile();
    /* repl-backlog-ttl counts from when the backlog was last without
     * replicas (or, on a promoted replica, from the first cron that saw
     * none). */
    if (listLength(rs->replicas)) rs->no_replicas_since = 0;
    else if (rs->no_replicas_since == 0) rs->no_replicas_since = server.unixtime;
    if (rs->backlog_active && listLength(rs->replicas) == 0 && server.repl.backlog_time_limit &&
        !replicationIsReplica() && server.unixtime - rs->no_replicas_since > server.repl.backlog_time_limit) {
        freeBacklog();
        getRandomHexChars(rs->replid, REPL_ID_LEN);
        memset(rs->replid2, '0', REPL_ID_LEN);
        rs->second_replid_offset = -1;
        serverLog(LL_NOTICE, "Replication backlog freed after %ld seconds without connected replicas.",
                  (long)server.repl.backlog_time_limit);
    }
}

/* ------------------------------------------------------------- INFO */

static const char *replicaStateName(replicaState s) {
    switch (s) {
    case REPLICA_STATE_WAIT_BGSAVE_START:
    case REPLICA_STATE_WAIT_BGSAVE_END: return "wait_bgsave";
    case REPLICA_STATE_SEND_BULK: return "send_bulk";
    case REPLICA_STATE_ONLINE: return "online";
    default: return "none";
    }
}

sds replicationPrimaryInfo(sds s) {
    struct serverReplState *rs = &server.replication;
    s = sdscatprintf(s, "connected_slaves:%lu\r\n", listLength(rs->replicas));
    if (server.repl.min_slaves_to_write && server.repl.min_slaves_max_lag)
        s = sdscatprintf(s, "min_slaves_good_slaves:%d\r\n", replicationGoodReplicas());
    int n = 0;
    listIter li;
    listNode *ln;
    listRewind(rs->replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        char ip[NET_IP_STR_LEN];
        s = sdscatprintf(s, "slave%d:ip=%s,port=%d,state=%s,offset=%lld,lag=%ld\r\n", n++,
                         replicationReplicaIp(l, ip, sizeof(ip)), l->listening_port, replicaStateName(l->state), l->ack_off,
                         (long)(server.unixtime - l->ack_time));
    }
    return s;
}

void replicationRoleReplicas(client *c) {
    struct serverReplState *rs = &server.replication;
    void *len = addReplyDeferredLen(c);
    long n = 0;
    listIter li;
    listNode *ln;
    listRewind(rs->replicas, &li);
    while ((ln = listNext(&li)) != NULL) {
        replicaLink *l = listNodeValue(ln);
        if (l->state != REPLICA_STATE_ONLINE) continue;
        char ip[NET_IP_STR_LEN];
        addReplyArrayLen(c, 3);
        addReplyBulkCString(c, replicationReplicaIp(l, ip, sizeof(ip)));
        addReplyBulkLongLong(c, l->listening_port);
        addReplyBulkLongLong(c, l->ack_off);
        n++;
    }
    setDeferredArrayLen(c, len, n);
}
