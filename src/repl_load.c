/* repl_load.c — a replica's full sync: from the RDB its primary sends to
 * the dataset it serves.
 *
 * The RDB arrives after +FULLRESYNC, either saved to a temp file first
 * (repl-diskless-load disabled, or on-empty-db with keys in the dataset)
 * or parsed straight from the socket (swapdb, or on-empty-db with an empty
 * dataset). Either way the load is a loading session (loading.h): clients
 * are served between reads and get -LOADING, INFO shows the loading_*
 * fields, a SIGTERM ends the process without saving.
 *
 * Before the load the AOF is stopped (the primary's stream must not reach
 * it before the dataset it applies to is its base) and our own replicas
 * are dropped (they had the old dataset). The old data is flushed
 * (replica-lazy-flush frees it on the lazy-free thread), except with
 * swapdb: the old key tables are stashed and the new data loads into
 * empty ones; a load that fails puts the old tables back, so a replica
 * whose primary dies mid-transfer keeps serving what it had. After a
 * successful load the AOF is started again with a rewrite, so its base is
 * the new dataset.
 *
 * With swapdb, when the primary's history is the one our data belongs to
 * (same replication id: a sync that could not continue from the backlog),
 * the old data is a moment of the same dataset, and the load is
 * asynchronous: between reads the clients are served from the old tables
 * (lent to them and taken back around each turn of the loop) instead of
 * getting -LOADING, and they see the new data at once when it is whole.
 *
 * While it loads, the replica sends its primary a newline once a second,
 * which refreshes its acknowledgement time there, so a long load does
 * not look like a dead replica.
 *
 * Reading from the socket blocks this one call: the socket stays
 * non-blocking, and a read that would block polls the descriptor for at
 * most repl-timeout seconds (a TLS connection first gives what it has
 * already decrypted). A $<length> transfer is read to exactly its length,
 * since the stream may follow at once; a $EOF:<mark> transfer ends with
 * the 40-byte mark after the RDB, and nothing follows it before our first
 * ACK, so reading ahead is safe.
 */
#include "server.h"
#include "rdb.h"
#include "aof.h"
#include "loading.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* A load in progress: with swapdb, the old key tables kept aside. */
typedef struct replLoad {
    dbKeyspace **stash;
    int async; /* clients are served from the stash meanwhile */
} replLoad;

/* The asynchronous load in progress (one at a time), for the lenders. */
static replLoad *async_load;

static void lendOldData(void) {
    dbExchangeKeyspaces(async_load->stash);
}

static long long datasetKeys(void) {
    long long n = 0;
    for (int j = 0; j < server.dbnum; j++) n += (long long)dbSize(&server.db[j]);
    return n;
}

int replicationUseDisklessLoad(void) {
    if (server.repl.diskless_load == REPL_DISKLESS_LOAD_SWAPDB) return 1;
    return server.repl.diskless_load == REPL_DISKLESS_LOAD_ON_EMPTY_DB && datasetKeys() == 0;
}

/* Once a second while loading, a newline to the primary: it keeps our
 * link from timing out there (best effort: a full socket skips it). */
static void pingPrimary(void) {
    static time_t last; /* one load at a time: when the last newline went */
    time_t now = time(NULL);
    connection *conn = server.replication.transfer;
    if (now == last || conn == NULL) return;
    last = now;
    connWrite(conn, "\n", 1);
}

static void beginLoad(replLoad *ld, off_t total_bytes, int swap, int async) {
    aofStopForReplicaSync();
    replicationDropReplicas();
    ld->stash = NULL;
    ld->async = async;
    if (swap) {
        ld->stash = dbStashKeyspaces();
    } else {
        serverLog(LL_NOTICE, "MASTER <-> REPLICA sync: Flushing old data");
        emptyDataLazily(-1, server.repl.slave_lazy_flush);
    }
    serverLog(LL_NOTICE, "MASTER <-> REPLICA sync: Loading DB in memory");
    loadingBegin(total_bytes);
    loadingSetHeartbeat(pingPrimary);
    if (async) {
        async_load = ld;
        loadingSetAsync(lendOldData, lendOldData);
    }
}

/* Ends the session: the stashed tables freed (ok) or put back. */
static void endLoad(replLoad *ld, int ok) {
    loadingEnd();
    if (ld->stash == NULL) {
        if (!ok) emptyData(-1);
        return;
    }
    async_load = NULL;
    if (ok) {
        serverLog(LL_NOTICE, "MASTER <-> REPLICA sync: Swapping active DB with loaded DB");
        serverLog(LL_NOTICE, "MASTER <-> REPLICA sync: Discarding old DB in background");
        dbDiscardKeyspaces(ld->stash, 1);
        /* The clients read the old data until now. */
        if (ld->async) dbAnnounceNewKeyspaces();
    } else {
        serverLog(LL_NOTICE, "MASTER <-> REPLICA sync: Discarding temporary DB in background");
        dbRestoreKeyspaces(ld->stash);
    }
    ld->stash = NULL;
}

int replicationLoadRdbFile(const char *path, rdbLoadInfo *info) {
    replLoad ld;
    struct stat st;
    beginLoad(&ld, stat(path, &st) == 0 ? st.st_size : 0, 0, 0);
    int ok = rdbLoad(path, RDBFLAGS_NONE, info) == C_OK;
    endLoad(&ld, ok);
    if (!ok) {
        serverLog(LL_WARNING, "Failed trying to load the MASTER synchronization DB from disk, check server logs.");
        return C_ERR;
    }
    aofRestartAfterReplicaSync();
    return C_OK;
}

/* ------------------------------------------------------ the socket */

#define SOCKET_LOAD_BUF (16 * 1024)

typedef struct socketSource {
    connection *conn;
    long long left; /* bytes still to come, -1 when the mark ends them */
    const char *error;
    size_t pos, len;
    char buf[SOCKET_LOAD_BUF];
} socketSource;

/* Refills src->buf with what the socket has, waiting for it up to
 * repl-timeout. 0 (with src->error) on EOF, error or timeout. */
static int socketFill(socketSource *src) {
    size_t want = sizeof(src->buf);
    if (src->left >= 0 && (long long)want > src->left) want = (size_t)src->left;
    if (want == 0) {
        src->error = "the RDB is longer than announced";
        return 0;
    }
    for (;;) {
        ssize_t n = connRead(src->conn, src->buf, want);
        if (n > 0) {
            src->pos = 0;
            src->len = (size_t)n;
            if (src->left >= 0) src->left -= n;
            server.replication.transfer_read += n;
            server.replication.transfer_lastio = time(NULL);
            server.stat.net_input_bytes += n;
            return 1;
        }
        if (n == 0 || connGetState(src->conn) != CONN_STATE_CONNECTED) {
            src->error = n == 0 ? "connection lost" : connGetLastError(src->conn);
            return 0;
        }
        struct pollfd pfd = {.fd = connGetFd(src->conn), .events = POLLIN};
        int r = poll(&pfd, 1, server.repl.timeout * 1000);
        if (r == 0) {
            src->error = "timeout";
            return 0;
        }
        if (r == -1 && errno != EINTR) {
            src->error = strerror(errno);
            return 0;
        }
    }
}

static int socketRead(void *ctx, void *buf, size_t len) {
    socketSource *src = ctx;
    char *p = buf;
    while (len) {
        if (src->pos == src->len && !socketFill(src)) return 0;
        size_t n = src->len - src->pos < len ? src->len - src->pos : len;
        memcpy(p, src->buf + src->pos, n);
        src->pos += n;
        p += n;
        len -= n;
    }
    return 1;
}

int replicationLoadFromSocket(connection *conn, long long size, const char *mark, rdbLoadInfo *info) {
    socketSource *src = zcalloc(sizeof(*src));
    src->conn = conn;
    src->left = mark ? -1 : size;
    rio r;
    rioInitWithReader(&r, socketRead, src);
    replLoad ld;
    int swap = server.repl.diskless_load == REPL_DISKLESS_LOAD_SWAPDB;
    struct serverReplState *rs = &server.replication;
    beginLoad(&ld, mark ? 0 : size, swap, swap && memcmp(rs->replid, rs->transfer_replid, REPL_ID_LEN) == 0);
    int ok = rdbLoadStream(&r, RDBFLAGS_NONE, info) == C_OK;
    if (ok && mark) {
        char tail[REPL_ID_LEN];
        if (!rioRead(&r, tail, sizeof(tail)) || memcmp(tail, mark, REPL_ID_LEN) != 0) {
            serverLog(LL_WARNING, "Replication stream EOF marker is broken");
            ok = 0;
        }
    } else if (ok && (src->left != 0 || src->pos != src->len)) {
        src->error = "the RDB is shorter than announced";
        ok = 0;
    }
    endLoad(&ld, ok);
    if (!ok)
        serverLog(LL_WARNING, "Failed trying to load the MASTER synchronization DB from socket: %s",
                  src->error ? src->error : "the RDB is corrupt or of an unsupported kind (see above)");
    zfree(src);
    if (!ok) return C_ERR;
    aofRestartAfterReplicaSync();
    return C_OK;
}
