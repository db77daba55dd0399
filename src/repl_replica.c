/* repl_replica.c — this server as a replica: REPLICAOF and the link to the
 * primary.
 *
 * The link is a state machine driven by the event loop, never by a
 * blocking call. replicationSetMaster puts it in CONNECT and starts a
 * non-blocking connect (the cron retries once a second after a failure).
 * When the socket connects, syncWithMaster runs the handshake one command
 * at a time, each state waiting for the reply of the command it sent:
 * PING, AUTH (masterauth, with masteruser when set), REPLCONF
 * listening-port, REPLCONF ip-address (with replica-announce-ip), REPLCONF
 * capa eof capa psync2, then PSYNC with our replication id and offset + 1.
 * Reply lines are read a byte at a time, so nothing past a line is ever
 * taken from the socket: the RDB and the stream that follow stay there for
 * the next stage.
 *
 * +CONTINUE makes the socket the master client at once (a partial resync).
 * +FULLRESYNC <id> <offset> moves to TRANSFER: readSyncPayload reads the
 * "$<length>" header (or "$EOF:<40-byte mark>" of a diskless primary, the
 * RDB then ending with the mark) and the RDB into a temp file, renames it
 * over dbfilename and loads it into the emptied databases. Loading is
 * synchronous: the loop does not turn while the file loads.
 *
 * Once CONNECTED the socket belongs to an ordinary client flagged
 * CLIENT_MASTER: the read path parses and runs the stream through
 * processCommand and call() (so the AOF sees it), replies are suppressed
 * (prepareClientToWrite), and after each command the applied offset is the
 * bytes read minus those not yet parsed. The cron sends REPLCONF ACK
 * <offset> every second; REPLCONF GETACK gets one at once.
 *
 * A connected replica keeps a backlog of its own, fed with the stream as
 * it applies it (each command's argv encoded back to RESP before it runs:
 * the canonical form primaries send, so the offsets stay the primary's).
 * Replicas of ours read from it (chains), and after a promotion our former
 * siblings continue from it with PSYNC under replid2.
 */
#include "server.h"
#include "bio.h"
#include "rdb.h"
#include "aof.h"
#include "tls.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REPL_READ_CHUNK (16 * 1024)

static void syncWithMaster(connection *conn);
static void readSyncPayload(connection *conn);

/* ------------------------------------------------------------ state */

int replicationIsReplica(void) {
    return server.repl.masterhost != NULL;
}

int replicationLinkUp(void) {
    return server.replication.master != NULL;
}

const char *replicationStateName(void) {
    switch (server.replication.state) {
    case REPL_STATE_CONNECT: return "connect";
    case REPL_STATE_CONNECTING: return "connecting";
    case REPL_STATE_TRANSFER: return "sync";
    case REPL_STATE_CONNECTED: return "connected";
    case REPL_STATE_NONE: return "none";
    default: return "handshake";
    }
}

static int inHandshake(void) {
    replLinkState s = server.replication.state;
    return s >= REPL_STATE_RECEIVE_PING && s <= REPL_STATE_RECEIVE_PSYNC;
}

/* Drops the temp file of a transfer in progress. */
static void discardTransferFile(void) {
    struct serverReplState *rs = &server.replication;
    if (rs->transfer_fd != -1) {
        close(rs->transfer_fd);
        rs->transfer_fd = -1;
        unlink(rs->transfer_tmpfile);
    }
}

/* Abandons a connect, handshake or transfer in progress: back to CONNECT,
 * for the cron to try again. */
static void cancelSync(void) {
    struct serverReplState *rs = &server.replication;
    discardTransferFile();
    if (rs->transfer) {
        connClose(rs->transfer);
        rs->transfer = NULL;
    }
    sdsfree(rs->line);
    rs->line = NULL;
    rs->state = REPL_STATE_CONNECT;
}

/* --------------------------------------------------------- connecting */

static void connectWithMaster(void) {
    struct serverReplState *rs = &server.replication;
    serverLog(LL_NOTICE, "Connecting to MASTER %s:%d", server.repl.masterhost, server.repl.masterport);
    const ConnectionType *type = server.tls.replication ? tlsConnectionType() : &CT_Socket;
    if (type == NULL) {
        serverLog(LL_WARNING, "Unable to connect to MASTER: tls-replication is set but this build has no TLS");
        return;
    }
    rs->transfer = connCreate(type);
    rs->transfer_lastio = server.unixtime;
    rs->sync_start_ms = server.mstime;
    serverLog(LL_NOTICE, "MASTER <-> REPLICA sync started");
    if (connConnect(rs->transfer, server.repl.masterhost, server.repl.masterport, syncWithMaster) == C_ERR) {
        serverLog(LL_WARNING, "Unable to connect to MASTER: %s", connGetLastError(rs->transfer));
        cancelSync();
        return;
    }
    rs->state = REPL_STATE_CONNECTING;
}

/* Sends one command (each argument a C string) on the handshake link.
 * Returns C_ERR, logged, when the socket refuses it. The link's socket
 * buffer is empty at this point, so a short write means failure. */
static int sendHandshakeCommand(connection *conn, int argc, const char **argv) {
    sds cmd = sdscatprintf(sdsempty(), "*%d\r\n", argc);
    for (int j = 0; j < argc; j++) cmd = sdscatprintf(cmd, "$%zu\r\n%s\r\n", strlen(argv[j]), argv[j]);
    ssize_t n = connWrite(conn, cmd, sdslen(cmd));
    int ok = n == (ssize_t)sdslen(cmd);
    sdsfree(cmd);
    if (!ok) serverLog(LL_WARNING, "Error writing to MASTER during the handshake: %s", connGetLastError(conn));
    return ok ? C_OK : C_ERR;
}

/* Reads what is available of one reply line, a byte at a time. Returns 1
 * with the line (no CRLF) in *line when complete (the caller frees it), 0
 * when more must come, -1 when the link failed. */
static int readReplyLine(connection *conn, sds *line) {
    struct serverReplState *rs = &server.replication;
    if (rs->line == NULL) rs->line = sdsempty();
    char ch;
    ssize_t n;
    while ((n = connRead(conn, &ch, 1)) == 1) {
        rs->transfer_lastio = server.unixtime;
        if (ch == '\n') {
            sds l = rs->line;
            rs->line = NULL;
            if (sdslen(l) && l[sdslen(l) - 1] == '\r') sdsrange(l, 0, -2);
            *line = l;
            return 1;
        }
        rs->line = sdscatlen(rs->line, &ch, 1);
        if (sdslen(rs->line) > 4096) return -1;
    }
    if (n == -1 && connGetState(conn) == CONN_STATE_CONNECTED) return 0;
    return -1;
}

/* ---------------------------------------------------------- handshake */

/* The listening port the primary should show for us. */
static void sendListeningPort(connection *conn) {
    char port[16];
    int p = server.repl.slave_announce_port ? server.repl.slave_announce_port : server.net.port;
    snprintf(port, sizeof(port), "%d", p);
    const char *argv[] = {"REPLCONF", "listening-port", port};
    server.replication.state =
        sendHandshakeCommand(conn, 3, argv) == C_OK ? REPL_STATE_RECEIVE_PORT : REPL_STATE_CONNECT;
}

static void sendIpAddressOrCapa(connection *conn) {
    if (server.repl.slave_announce_ip) {
        const char *argv[] = {"REPLCONF", "ip-address", server.repl.slave_announce_ip};
        server.replication.state =
            sendHandshakeCommand(conn, 3, argv) == C_OK ? REPL_STATE_RECEIVE_IP : REPL_STATE_CONNECT;
        return;
    }
    const char *argv[] = {"REPLCONF", "capa", "eof", "capa", "psync2"};
    server.replication.state =
        sendHandshakeCommand(conn, 5, argv) == C_OK ? REPL_STATE_RECEIVE_CAPA : REPL_STATE_CONNECT;
}

static void sendCapa(connection *conn) {
    const char *argv[] = {"REPLCONF", "capa", "eof", "capa", "psync2"};
    server.replication.state =
        sendHandshakeCommand(conn, 5, argv) == C_OK ? REPL_STATE_RECEIVE_CAPA : REPL_STATE_CONNECT;
}

/* PSYNC <our id> <our offset + 1>: the primary continues from there when
 * that history is one it can serve, or starts a full resync. */
static void sendPsync(connection *conn) {
    struct serverReplState *rs = &server.replication;
    char offset[32];
    snprintf(offset, sizeof(offset), "%lld", rs->master_repl_offset + 1);
    serverLog(LL_NOTICE, "Trying a partial resynchronization (request %s:%s).", rs->replid, offset);
    const char *argv[] = {"PSYNC", rs->replid, offset, "FAILOVER"};
    int argc = failoverInProgress() ? 4 : 3;
    rs->state = sendHandshakeCommand(conn, argc, argv) == C_OK ? REPL_STATE_RECEIVE_PSYNC : REPL_STATE_CONNECT;
}

static void sendAuthOrPort(connection *conn) {
    if (server.repl.masterauth == NULL) {
        sendListeningPort(conn);
        return;
    }
    const char *with_user[] = {"AUTH", server.repl.masteruser, server.repl.masterauth};
    const char *without_user[] = {"AUTH", server.repl.masterauth};
    int ok = server.repl.masteruser ? sendHandshakeCommand(conn, 3, with_user) : sendHandshakeCommand(conn, 2, without_user);
    server.replication.state = ok == C_OK ? REPL_STATE_RECEIVE_AUTH : REPL_STATE_CONNECT;
}

/* The link is up as the master client, applying the stream from the
 * current offset. */
static void becomeConnected(connection *conn, int dbid) {
    struct serverReplState *rs = &server.replication;
    connSetReadHandler(conn, NULL);
    client *c = createClient(conn);
    if (c == NULL) {
        cancelSync();
        return;
    }
    rs->transfer = NULL;
    c->flags |= CLIENT_MASTER;
    c->authenticated = 1;
    c->user = NULL; /* the primary's stream is applied unchecked, as any internal client */
    if (dbid >= 0 && dbid < server.dbnum) c->db = &server.db[dbid];
    rs->master = c;
    rs->read_reploff = rs->master_repl_offset;
    rs->state = REPL_STATE_CONNECTED;
    rs->last_ack_ms = 0;
    /* Our own backlog, fed with the stream as received, lets replicas of
     * ours (and, once promoted, our former siblings) continue by PSYNC. */
    if (!rs->backlog_active) replBacklogCreate();
    replicationSendAck();
}

/* +CONTINUE [<new id>]: the primary resumes the stream where we are. */
static void partialResyncAccepted(connection *conn, const char *reply) {
    struct serverReplState *rs = &server.replication;
    serverLog(LL_NOTICE, "Successful partial resynchronization with master.");
    const char *id = reply + strlen("+CONTINUE");
    while (*id == ' ') id++;
    if (strlen(id) == REPL_ID_LEN && strcmp(id, rs->replid) != 0) {
        memcpy(rs->replid2, rs->replid, sizeof(rs->replid2));
        rs->second_replid_offset = rs->master_repl_offset + 1;
        memcpy(rs->replid, id, REPL_ID_LEN + 1);
        serverLog(LL_NOTICE, "Master replication ID changed to %s", rs->replid);
    }
    serverLog(LL_NOTICE, "MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
    becomeConnected(conn, rs->master_db);
}

/* +FULLRESYNC <id> <offset>: the RDB follows. */
static int fullResyncAnnounced(connection *conn, const char *reply) {
    struct serverReplState *rs = &server.replication;
    char id[REPL_ID_LEN + 1];
    long long offset;
    if (sscanf(reply, "+FULLRESYNC %40s %lld", id, &offset) != 2 || strlen(id) != REPL_ID_LEN) {
        serverLog(LL_WARNING, "Master replied with wrong +FULLRESYNC syntax.");
        return C_ERR;
    }
    serverLog(LL_NOTICE, "Full resync from master: %s:%lld", id, offset);
    rs->transfer_diskless = replicationUseDisklessLoad();
    snprintf(rs->transfer_tmpfile, sizeof(rs->transfer_tmpfile), "temp-%d.%ld.rdb", (int)getpid(),
             (long)server.unixtime);
    if (!rs->transfer_diskless)
        rs->transfer_fd = open(rs->transfer_tmpfile, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
    if (!rs->transfer_diskless && rs->transfer_fd == -1) {
        serverLog(LL_WARNING, "Opening the temp file needed for MASTER <-> REPLICA synchronization: %s",
                  strerror(errno));
        return C_ERR;
    }
    /* The history is ours once the RDB has loaded (takeAnnouncedHistory). */
    memcpy(rs->transfer_replid, id, sizeof(id));
    rs->transfer_offset = offset;
    rs->transfer_size = -1;
    rs->transfer_read = 0;
    rs->state = REPL_STATE_TRANSFER;
    connSetReadHandler(conn, readSyncPayload);
    return C_OK;
}

/* The reply to PSYNC. Empty lines are the primary keeping the link alive
 * before it answers. */
static void handlePsyncReply(connection *conn, sds reply) {
    if (sdslen(reply) == 0) return;
    if (!strncmp(reply, "+FULLRESYNC", 11)) {
        failoverPsyncReplied(1);
        if (fullResyncAnnounced(conn, reply) != C_OK) cancelSync();
        return;
    }
    if (!strncmp(reply, "+CONTINUE", 9)) {
        failoverPsyncReplied(1);
        partialResyncAccepted(conn, reply);
        return;
    }
    if (!strncmp(reply, "-NOMASTERLINK", 13) || !strncmp(reply, "-LOADING", 8))
        serverLog(LL_NOTICE, "Master is currently unable to PSYNC but should be in the future: %s", reply);
    else
        serverLog(LL_WARNING, "Unexpected reply to PSYNC from master: %s", reply);
    cancelSync();
    /* A failover target that refuses: this server is a primary again. */
    failoverPsyncReplied(0);
}

/* A handshake reply that is an error and must stop the handshake: the
 * AUTH reply, the PING reply (unless it only asks for AUTH). The REPLCONF
 * replies are advisory: an old primary may not know an option. */
static void handleHandshakeReply(connection *conn, sds reply) {
    struct serverReplState *rs = &server.replication;
    switch (rs->state) {
    case REPL_STATE_RECEIVE_PING:
        if (reply[0] == '-' && strncmp(reply, "-NOAUTH", 7) && strncmp(reply, "-NOPERM", 7) &&
            strncmp(reply, "-ERR operation not permitted", 28)) {
            serverLog(LL_WARNING, "Error reply to PING from master: '%s'", reply);
            cancelSync();
            return;
        }
        serverLog(LL_NOTICE, "Master replied to PING, replication can continue...");
        sendAuthOrPort(conn);
        break;
    case REPL_STATE_RECEIVE_AUTH:
        if (reply[0] == '-') {
            serverLog(LL_WARNING, "Unable to AUTH to MASTER: %s", reply);
            cancelSync();
            return;
        }
        sendListeningPort(conn);
        break;
    case REPL_STATE_RECEIVE_PORT:
        if (reply[0] == '-')
            serverLog(LL_NOTICE, "(Non critical) Master does not understand REPLCONF listening-port: %s", reply);
        sendIpAddressOrCapa(conn);
        break;
    case REPL_STATE_RECEIVE_IP:
        if (reply[0] == '-')
            serverLog(LL_NOTICE, "(Non critical) Master does not understand REPLCONF ip-address: %s", reply);
        sendCapa(conn);
        break;
    case REPL_STATE_RECEIVE_CAPA:
        if (reply[0] == '-')
            serverLog(LL_NOTICE, "(Non critical) Master does not understand REPLCONF capa: %s", reply);
        sendPsync(conn);
        break;
    case REPL_STATE_RECEIVE_PSYNC: handlePsyncReply(conn, reply); return;
    default: break;
    }
    if (rs->state == REPL_STATE_CONNECT) cancelSync();
}

/* The connect handler, then the read handler of the handshake. */
static void syncWithMaster(connection *conn) {
    struct serverReplState *rs = &server.replication;
    if (rs->state == REPL_STATE_CONNECTING) {
        if (connGetState(conn) != CONN_STATE_CONNECTED) {
            serverLog(LL_WARNING, "Error condition on socket for SYNC: %s", connGetLastError(conn));
            cancelSync();
            return;
        }
        serverLog(LL_NOTICE, "Non blocking connect for SYNC fired the event.");
        connEnableTcpNoDelay(conn);
        connSetReadHandler(conn, syncWithMaster);
        const char *argv[] = {"PING"};
        if (sendHandshakeCommand(conn, 1, argv) != C_OK) {
            cancelSync();
            return;
        }
        rs->state = REPL_STATE_RECEIVE_PING;
        return;
    }
    while (inHandshake() && rs->transfer == conn) {
        sds reply;
        int r = readReplyLine(conn, &reply);
        if (r == 0) return;
        if (r == -1) {
            serverLog(LL_WARNING, "Error reading from MASTER during the handshake: %s",
                      connGetState(conn) == CONN_STATE_CLOSED ? "connection closed" : connGetLastError(conn));
            cancelSync();
            return;
        }
        handleHandshakeReply(conn, reply);
        sdsfree(reply);
    }
}

/* ------------------------------------------------------------ transfer */

/* The bulk header: "$<length>" or "$EOF:<mark>"; empty lines keep the
 * link alive while the primary prepares the RDB. C_ERR stops the sync. */
static int handleBulkHeader(sds line) {
    struct serverReplState *rs = &server.replication;
    if (sdslen(line) == 0) return C_OK;
    if (line[0] == '-') {
        serverLog(LL_WARNING, "MASTER aborted replication with an error: %s", line + 1);
        return C_ERR;
    }
    if (line[0] != '$') {
        serverLog(LL_WARNING, "Bad protocol from MASTER, the first byte is not '$' (we received '%s'), are you sure "
                              "the host and port are right?", line);
        return C_ERR;
    }
    if (!strncmp(line, "$EOF:", 5) && sdslen(line) == 5 + REPL_ID_LEN) {
        rs->transfer_usemark = 1;
        memcpy(rs->transfer_mark, line + 5, REPL_ID_LEN);
        memset(rs->transfer_tail, 0, REPL_ID_LEN);
        rs->transfer_size = 0;
        serverLog(LL_NOTICE, "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF %s",
                  rs->transfer_diskless ? "to parser" : "to disk");
        return C_OK;
    }
    rs->transfer_usemark = 0;
    rs->transfer_size = strtoll(line + 1, NULL, 10);
    serverLog(LL_NOTICE, "MASTER <-> REPLICA sync: receiving %lld bytes from master %s", rs->transfer_size,
              rs->transfer_diskless ? "to parser" : "to disk");
    return C_OK;
}

/* Keeps the last REPL_ID_LEN bytes of the stream in transfer_tail; 1 when
 * they are the end mark. */
static int updateTailAndCheckMark(const char *buf, size_t n) {
    struct serverReplState *rs = &server.replication;
    if (n >= REPL_ID_LEN) {
        memcpy(rs->transfer_tail, buf + n - REPL_ID_LEN, REPL_ID_LEN);
    } else {
        memmove(rs->transfer_tail, rs->transfer_tail + n, REPL_ID_LEN - n);
        memcpy(rs->transfer_tail + REPL_ID_LEN - n, buf, n);
    }
    return memcmp(rs->transfer_tail, rs->transfer_mark, REPL_ID_LEN) == 0;
}

/* The RDB of +FULLRESYNC <id> <offset> has loaded: that is our history. */
static void takeAnnouncedHistory(void) {
    struct serverReplState *rs = &server.replication;
    memcpy(rs->replid, rs->transfer_replid, sizeof(rs->replid));
    memset(rs->replid2, '0', REPL_ID_LEN);
    rs->second_replid_offset = -1;
    rs->master_repl_offset = rs->transfer_offset;
}

/* A load that failed emptied the dataset: it has no history a PSYNC
 * could continue (with swapdb the old dataset, and its history, stay). */
static void forgetHistory(void) {
    struct serverReplState *rs = &server.replication;
    if (server.repl.diskless_load == REPL_DISKLESS_LOAD_SWAPDB && rs->transfer_diskless) return;
    getRandomHexChars(rs->replid, REPL_ID_LEN);
    memset(rs->replid2, '0', REPL_ID_LEN);
    rs->second_replid_offset = -1;
}

/* The RDB is in the temp file: it replaces the dataset. */
static void loadTransferredRdb(connection *conn) {
    struct serverReplState *rs = &server.replication;
    if (rs->transfer_usemark && ftruncate(rs->transfer_fd, rs->transfer_read - REPL_ID_LEN) == -1) {
        serverLog(LL_WARNING, "Error truncating the RDB file received from the master for SYNC: %s",
                  strerror(errno));
        cancelSync();
        return;
    }
    if (fsync(rs->transfer_fd) == -1 || rename(rs->transfer_tmpfile, server.persist.rdb_filename) == -1) {
        serverLog(LL_WARNING, "Failed trying to rename the temp DB into %s in MASTER <-> REPLICA synchronization: %s",
                  server.persist.rdb_filename, strerror(errno));
        cancelSync();
        return;
    }
    close(rs->transfer_fd);
    rs->transfer_fd = -1;
    connSetReadHandler(conn, NULL); /* clients are served while it loads */
    rdbLoadInfo info;
    if (replicationLoadRdbFile(server.persist.rdb_filename, &info) != C_OK) {
        forgetHistory();
        cancelSync();
        return;
    }
    if (replicationDeletesSyncFiles()) {
        serverLog(LL_NOTICE, "Removing the RDB file obtained from the master. This replica has persistence disabled");
        bioUnlinkFile(server.persist.rdb_filename);
    }
    takeAnnouncedHistory();
    serverLog(LL_NOTICE, "MASTER <-> REPLICA sync: Finished with success");
    becomeConnected(conn, info.repl_stream_db);
}

/* repl-diskless-load: the RDB is parsed as it arrives. */
static void loadFromSocket(connection *conn) {
    struct serverReplState *rs = &server.replication;
    connSetReadHandler(conn, NULL); /* clients are served while it loads */
    rdbLoadInfo info;
    if (replicationLoadFromSocket(conn, rs->transfer_size, rs->transfer_usemark ? rs->transfer_mark : NULL, &info) !=
        C_OK) {
        forgetHistory();
        cancelSync();
        return;
    }
    takeAnnouncedHistory();
    serverLog(LL_NOTICE, "MASTER <-> REPLICA sync: Finished with success");
    becomeConnected(conn, info.repl_stream_db);
}

/* The read handler of TRANSFER: the header, then the RDB into the file. */
static void readSyncPayload(connection *conn) {
    struct serverReplState *rs = &server.replication;
    while (rs->transfer_size == -1) {
        sds line;
        int r = readReplyLine(conn, &line);
        if (r == 0) return;
        int ok = r == 1 && handleBulkHeader(line) == C_OK;
        if (r == 1) sdsfree(line);
        if (!ok) {
            if (r == -1) serverLog(LL_WARNING, "I/O error reading bulk count from MASTER");
            cancelSync();
            return;
        }
        if (rs->transfer_size != -1 && rs->transfer_diskless) {
            loadFromSocket(conn);
            return;
        }
    }
    char buf[REPL_READ_CHUNK];
    size_t want = sizeof(buf);
    if (!rs->transfer_usemark && (long long)want > rs->transfer_size - rs->transfer_read)
        want = (size_t)(rs->transfer_size - rs->transfer_read);
    ssize_t n = want ? connRead(conn, buf, want) : 0;
    if (want && n <= 0) {
        if (n == -1 && connGetState(conn) == CONN_STATE_CONNECTED) return;
        serverLog(LL_WARNING, "I/O error trying to sync with MASTER: %s",
                  n == 0 ? "connection lost" : connGetLastError(conn));
        cancelSync();
        return;
    }
    rs->transfer_lastio = server.unixtime;
    if (n > 0 && write(rs->transfer_fd, buf, (size_t)n) != n) {
        serverLog(LL_WARNING, "Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA "
                              "synchronization: %s", strerror(errno));
        cancelSync();
        return;
    }
    rs->transfer_read += n;
    int done = rs->transfer_usemark ? updateTailAndCheckMark(buf, (size_t)n)
                                    : rs->transfer_read == rs->transfer_size;
    if (done) loadTransferredRdb(conn);
}

/* -------------------------------------------------- the master client */

void replicationBeforeMasterCommand(client *c) {
    struct serverReplState *rs = &server.replication;
    if (c != rs->master || !rs->backlog_active) return;
    if (rs->proxy_pending == NULL) rs->proxy_pending = sdsempty();
    rs->proxy_pending = sdscatprintf(rs->proxy_pending, "*%d\r\n", c->argc);
    for (int j = 0; j < c->argc; j++) {
        sds a = c->argv[j]->ptr;
        rs->proxy_pending = sdscatprintf(rs->proxy_pending, "$%zu\r\n", sdslen(a));
        rs->proxy_pending = sdscatlen(rs->proxy_pending, a, sdslen(a));
        rs->proxy_pending = sdscatlen(rs->proxy_pending, "\r\n", 2);
    }
}

/* The commands applied since the last call moved the offset by delta:
 * their encoding (as the primary sends them, in canonical RESP) goes to
 * our backlog, which moves the offset. An encoding of another length
 * means a stream we cannot reproduce: the backlog and our replicas go. */
static void feedOwnBacklog(long long applied) {
    struct serverReplState *rs = &server.replication;
    long long delta = applied - rs->master_repl_offset;
    size_t len = rs->proxy_pending ? sdslen(rs->proxy_pending) : 0;
    if (rs->backlog_active && delta == (long long)len) {
        if (len) replBufAppend(rs->proxy_pending, len);
    } else {
        if (rs->backlog_active) {
            serverLog(LL_WARNING, "The stream from the master is not in canonical form: dropping the backlog");
            replicationDropReplicas();
        }
        rs->master_repl_offset = applied;
    }
    if (rs->proxy_pending) sdsclear(rs->proxy_pending);
}

void replicationCommandProcessed(client *c) {
    if (c != server.replication.master || (c->flags & CLIENT_MULTI)) return;
    struct serverReplState *rs = &server.replication;
    long long unparsed = (long long)(sdslen(c->querybuf) - c->qb_pos);
    feedOwnBacklog(rs->read_reploff + (long long)c->net_input_bytes - unparsed);
}

void replicationMasterClientFreed(client *c) {
    struct serverReplState *rs = &server.replication;
    if (c != rs->master) return;
    rs->master = NULL;
    rs->master_db = c->db->id;
    if (rs->proxy_pending) sdsclear(rs->proxy_pending); /* an unfinished MULTI */
    rs->read_reploff = rs->master_repl_offset;
    rs->link_down_since = server.unixtime;
    if (rs->state == REPL_STATE_CONNECTED) rs->state = REPL_STATE_CONNECT;
    serverLog(LL_NOTICE, "Connection with master lost.");
}

void replicationSendAck(void) {
    client *c = server.replication.master;
    if (c == NULL) return;
    c->flags |= CLIENT_MASTER_FORCE_REPLY;
    addReplyArrayLen(c, 3);
    addReplyBulkCString(c, "REPLCONF");
    addReplyBulkCString(c, "ACK");
    addReplyBulkLongLong(c, server.replication.master_repl_offset);
    c->flags &= ~CLIENT_MASTER_FORCE_REPLY;
    server.replication.last_ack_ms = server.mstime;
}

/* ------------------------------------------------------ REPLICAOF */

/* Drops the master client, or the link being set up. */
static void dropLink(void) {
    struct serverReplState *rs = &server.replication;
    if (rs->master) freeClient(rs->master);
    cancelSync();
}

void replicationSetMaster(const char *host, int port) {
    char *copy = zstrdup(host);
    if (!replicationIsReplica()) {
        /* A primary demoted: its history goes on, so the new primary may
         * continue it by PSYNC, and its replicas may continue from us. */
        disconnectAllBlockedClients();
        serverLog(LL_NOTICE, "Before turning into a replica, using my own master parameters to synthesize a cached "
                             "master: I may be able to synchronize with the new master with just a partial "
                             "transfer.");
        replicationDemoted();
    } else {
        replicationDisconnectReplicas();
    }
    dropLink();
    zfree(server.repl.masterhost);
    server.repl.masterhost = copy;
    server.repl.masterport = port;
    server.replication.master_db = 0;
    server.replication.state = REPL_STATE_CONNECT;
    connectWithMaster();
}

void replicationUnsetMaster(void) {
    struct serverReplState *rs = &server.replication;
    if (!replicationIsReplica()) return;
    dropLink();
    zfree(server.repl.masterhost);
    server.repl.masterhost = NULL;
    rs->state = REPL_STATE_NONE;
    rs->link_down_since = 0;
    memcpy(rs->replid2, rs->replid, sizeof(rs->replid2));
    rs->second_replid_offset = rs->master_repl_offset + 1;
    getRandomHexChars(rs->replid, REPL_ID_LEN);
    serverLog(LL_NOTICE, "Setting secondary replication ID to %s, valid up to offset: %lld. New replication ID is %s",
              rs->replid2, rs->second_replid_offset, rs->replid);
    /* An AOF stopped for a sync that never finished starts again. */
    aofRestartAfterReplicaSync();
    /* Our replicas reconnect to learn the new id; they continue by PSYNC. */
    replicationDisconnectReplicas();
    replicationPromoted();
}

void replicaofCommand(client *c) {
    if (server.cluster.enabled) {
        addReplyError(c, "REPLICAOF not allowed in cluster mode.");
        return;
    }
    if (failoverActive()) {
        addReplyError(c, "REPLICAOF not allowed while failing over.");
        return;
    }
    if (!strcasecmp(c->argv[1]->ptr, "no") && !strcasecmp(c->argv[2]->ptr, "one")) {
        if (replicationIsReplica()) {
            replicationUnsetMaster();
            sds ci = catClientInfoString(sdsempty(), c);
            serverLog(LL_NOTICE, "MASTER MODE enabled (user request from '%s')", ci);
            sdsfree(ci);
        }
        addReply(c, shared.ok);
        return;
    }
    long port;
    if (getRangeLongFromObjectOrReply(c, c->argv[2], 0, 65535, &port, "Invalid master port") != C_OK) return;
    const char *host = c->argv[1]->ptr;
    if (replicationIsReplica() && !strcasecmp(server.repl.masterhost, host) && server.repl.masterport == port) {
        serverLog(LL_NOTICE, "REPLICAOF would result into synchronization with the master we are already connected "
                             "with. No operation performed.");
        addReplyStatus(c, "OK Already connected to specified master");
        return;
    }
    replicationSetMaster(host, (int)port);
    sds ci = catClientInfoString(sdsempty(), c);
    serverLog(LL_NOTICE, "REPLICAOF %s:%d enabled (user request from '%s')", host, (int)port, ci);
    sdsfree(ci);
    addReply(c, shared.ok);
}

/* --------------------------------------------------------------- cron */

void replicationReplicaCron(void) {
    struct serverReplState *rs = &server.replication;
    if (!replicationIsReplica()) return;
    long long silent = server.unixtime - rs->transfer_lastio;
    if ((rs->state == REPL_STATE_CONNECTING || inHandshake()) && silent > server.repl.timeout) {
        serverLog(LL_WARNING, "Timeout connecting to the MASTER...");
        cancelSync();
    }
    if (rs->state == REPL_STATE_TRANSFER && silent > server.repl.timeout) {
        serverLog(LL_WARNING, "Timeout receiving bulk data from MASTER... If the problem persists try to set the "
                              "'repl-timeout' parameter in redis.conf to a larger value.");
        cancelSync();
    }
    if (rs->master && (server.mstime - rs->master->last_interaction) / 1000 > server.repl.timeout) {
        serverLog(LL_WARNING, "MASTER timeout: no data nor PING received...");
        freeClient(rs->master);
    }
    if (rs->state == REPL_STATE_CONNECT) connectWithMaster();
    if (rs->master) replicationSendAck();
}

sds replicationReplicaInfo(sds s) {
    struct serverReplState *rs = &server.replication;
    long long last_io = rs->master ? (server.mstime - rs->master->last_interaction) / 1000 : -1;
    long long read_off = rs->read_reploff + (rs->master ? (long long)rs->master->net_input_bytes : 0);
    long long applied = rs->master_repl_offset;
    s = sdscatprintf(s,
                     "master_host:%s\r\nmaster_port:%d\r\nmaster_link_status:%s\r\n"
                     "master_last_io_seconds_ago:%lld\r\nmaster_sync_in_progress:%d\r\n"
                     "slave_read_repl_offset:%lld\r\nslave_repl_offset:%lld\r\n",
                     server.repl.masterhost, server.repl.masterport, rs->master ? "up" : "down", last_io,
                     rs->state == REPL_STATE_TRANSFER, read_off, applied);
    if (rs->state == REPL_STATE_TRANSFER) {
        long long total = rs->transfer_size;
        double perc = total > 0 ? (double)rs->transfer_read * 100 / (double)total : 0;
        s = sdscatprintf(s,
                         "master_sync_total_bytes:%lld\r\nmaster_sync_read_bytes:%lld\r\n"
                         "master_sync_left_bytes:%lld\r\nmaster_sync_perc:%.2f\r\n"
                         "master_sync_last_io_seconds_ago:%lld\r\n",
                         total, rs->transfer_read, total - rs->transfer_read, perc,
                         (long long)(server.unixtime - rs->transfer_lastio));
    }
    if (rs->master == NULL)
        s = sdscatprintf(s, "master_link_down_since_seconds:%lld\r\n",
                         rs->link_down_since ? (long long)(server.unixtime - rs->link_down_since) : -1LL);
    return sdscatprintf(s, "slave_priority:%d\r\nslave_read_only:%d\r\nreplica_announced:%d\r\n",
                        server.repl.slave_priority, server.repl.slave_ro, server.repl.replica_announced);
}
