/* replication.h — this server as a replica of a primary, and the
 * replication identity every server has.
 *
 * See replication.c (identity, ROLE, INFO replication, REPLCONF, the cron)
 * and repl_replica.c (REPLICAOF, the link to the primary: handshake, full
 * or partial synchronisation, then the command stream applied through the
 * master client).
 *
 * A server is a replica while server.repl.masterhost is set (REPLICAOF, or
 * the replicaof directive); replicationIsReplica() says so. Its replication
 * id and offset name the history of its dataset: the offset counts the
 * bytes of the primary's stream applied so far, and the pair is what a
 * PSYNC asks to continue from.
 */
#ifndef EMBER_REPLICATION_H
#define EMBER_REPLICATION_H

#include <time.h>

#include "adlist.h"
#include "sds.h"

struct client;
struct connection;

/* The replica's link, in the order a synchronisation walks through it. */
typedef enum {
    REPL_STATE_NONE = 0,     /* not a replica */
    REPL_STATE_CONNECT,      /* must connect (cron retries once a second) */
    REPL_STATE_CONNECTING,   /* non-blocking connect in progress */
    REPL_STATE_RECEIVE_PING, /* handshake: waiting for each reply in turn */
    REPL_STATE_RECEIVE_AUTH,
    REPL_STATE_RECEIVE_PORT,
    REPL_STATE_RECEIVE_IP,
    REPL_STATE_RECEIVE_CAPA,
    REPL_STATE_RECEIVE_PSYNC,
    REPL_STATE_TRANSFER,     /* receiving the RDB of a full resync */
    REPL_STATE_CONNECTED     /* the master client applies the stream */
} replLinkState;

#define REPL_ID_LEN 40

/* repl-diskless-load. */
#define REPL_DISKLESS_LOAD_DISABLED 0
#define REPL_DISKLESS_LOAD_ON_EMPTY_DB 1
#define REPL_DISKLESS_LOAD_SWAPDB 2

/* FAILOVER's states (failover.c). */
typedef enum {
    FAILOVER_NONE = 0,
    FAILOVER_WAIT_FOR_SYNC, /* writes paused, waiting for a replica's ACK */
    FAILOVER_IN_PROGRESS    /* demoted, PSYNC FAILOVER sent to the target */
} failoverState;

/* One block of the shared replication buffer (repl_backlog.c). */
typedef struct replBufBlock {
    struct replBufBlock *next;
    long long start; /* stream offset of buf[0] */
    size_t size, used;
    int refcount;    /* positions (replicas, the backlog) inside this block */
    char buf[];
} replBufBlock;

/* A reader's place in the shared buffer: offset is the next byte it wants;
 * block (referenced) holds it, or is NULL while the buffer is empty. */
typedef struct replBufPos {
    replBufBlock *block;
    long long offset;
} replBufPos;

/* A replica attached to this server, as its primary (repl_primary.c). */
typedef enum {
    REPLICA_STATE_NONE = 0,        /* REPLCONF seen, no SYNC/PSYNC yet */
    REPLICA_STATE_WAIT_BGSAVE_START,
    REPLICA_STATE_WAIT_BGSAVE_END, /* its stream buffers while the RDB is made */
    REPLICA_STATE_SEND_BULK,       /* the RDB file is being sent */
    REPLICA_STATE_ONLINE           /* the stream flows */
} replicaState;

typedef struct replicaLink {
    struct client *c;
    replicaState state;
    replBufPos pos;           /* valid once the sync started (has_pos) */
    int has_pos;
    int listening_port;
    char announce_ip[64];
    int capa_eof, capa_psync2, old_sync;
    long long ack_off;
    time_t ack_time;
    int bulk_fd;              /* the RDB being sent, -1 when none */
    long long bulk_off, bulk_size;
    sds bulk_preamble;        /* "$<size>\r\n" not yet written */
    int write_installed;
    time_t obuf_soft_since;   /* soft output limit passed since, 0 if not */
    long long wait_since;     /* unix ms when it began waiting for a BGSAVE */
    int diskless;             /* its RDB is written to the socket by the child */
    int stream_on_ack;        /* online, but the stream waits for its first ACK */
    int functions_only;       /* REPLCONF rdb-filter-only functions: an RDB without keys */
    int relayed;              /* its diskless RDB comes through the parent (TLS) */
    int relay_waiting;        /* it has not taken the whole relayed chunk yet */
    size_t relay_sent;        /* bytes of the relayed chunk it has taken */
} replicaLink;

/* The runtime state of replication (server.replication). */
struct serverReplState {
    char replid[REPL_ID_LEN + 1];  /* the history this dataset belongs to */
    char replid2[REPL_ID_LEN + 1]; /* the previous one, after a promotion */
    long long master_repl_offset;  /* bytes of the stream applied */
    long long second_replid_offset; /* replid2 is valid up to here, or -1 */
    /* Replica side (repl_replica.c). */
    replLinkState state;
    struct connection *transfer; /* the link during handshake and transfer */
    struct client *master;       /* the link once CONNECTED */
    long long read_reploff;      /* stream bytes read from the master client */
    int master_db;               /* the master client's db when it was lost */
    sds line;                    /* a handshake reply line being read */
    sds proxy_pending;           /* the master's commands not yet in our backlog */
    long long transfer_size;     /* -1 until the bulk header is read */
    long long transfer_read;
    long long transfer_lastio;   /* unixtime of the last byte of the link */
    int transfer_fd;             /* the temp file, -1 when none */
    char transfer_tmpfile[256];
    int transfer_usemark;        /* $EOF:<mark> form */
    int transfer_diskless;       /* parsed from the socket, no temp file */
    char transfer_replid[REPL_ID_LEN + 1]; /* what +FULLRESYNC announced */
    long long transfer_offset;
    char transfer_mark[REPL_ID_LEN];
    char transfer_tail[REPL_ID_LEN]; /* the last bytes received, for the mark */
    long long sync_start_ms;
    time_t link_down_since;      /* 0 when the link never came up */
    long long last_cron_ms;
    long long last_ack_ms;
    /* Primary side (repl_primary.c, repl_backlog.c). */
    replBufBlock *buf_head, *buf_tail; /* the shared buffer */
    size_t buf_mem;
    int backlog_active;
    replBufPos backlog;
    time_t no_replicas_since;    /* for repl-backlog-ttl */
    list *replicas;              /* replicaLink* past SYNC/PSYNC */
    list *waiters;               /* replWaiter* of clients blocked in WAIT */
    int getack_pending;          /* send REPLCONF GETACK * before sleeping */
    int consumer;                /* propagation consumer handle, -1 when none */
    long long cron_loops;
    long long stat_sync_full, stat_sync_partial_ok, stat_sync_partial_err;
    /* FAILOVER (failover.c). */
    failoverState failover_state;
    long long failover_end_time; /* unix ms; 0 without TIMEOUT */
    int failover_force;
    char *failover_host;         /* the target; NULL until one is chosen */
    int failover_port;
};

/* 1 while this server is a replica (REPLICAOF host port in force). */
int replicationIsReplica(void);
/* 1 while the link with the primary is up (the master client exists). */
int replicationLinkUp(void);
/* 1 when RDB files made only for a sync are to be deleted once used:
 * rdb-del-sync-files yes on a server with no save points and no AOF. */
int replicationDeletesSyncFiles(void);

/* Start-up: a fresh replication id; a replicaof directive starts the link. */
void replicationInit(void);
/* Called by serverCron: once a second, the replica's cron (connect, ACK,
 * timeouts). */
void replicationCron(void);

/* The database the replication stream is in, for the RDB's
 * repl-stream-db: the master client's on a replica, else 0. */
int replicationStreamDb(void);
/* Start-up, after the RDB loaded: a replica takes the file's history (id,
 * offset, stream database) so its first PSYNC can continue it; a primary
 * keeps it as replid2 with a backlog starting after it, so its old
 * replicas can. */
void replicationRestoreFromRdb(const char *id, long long offset, int dbid);

/* Appends the INFO replication section's fields to s. */
sds replicationInfo(sds s);

/* Called by the read path before each command of the master client c
 * runs (its argv, as received, is what sub-replicas get), and after it:
 * the applied offset moves to the end of that command (not while a
 * transaction is being queued) and the bytes go to our own backlog. */
void replicationBeforeMasterCommand(struct client *c);
void replicationCommandProcessed(struct client *c);
/* Called by freeClient for the master client: the link is down and the
 * cron reconnects (a partial resync if the primary still can). */
void replicationMasterClientFreed(struct client *c);

/* repl_replica.c: start replicating host:port (borrowed), dropping any
 * current link; the dataset is kept until a full sync replaces it. */
void replicationSetMaster(const char *host, int port);
/* Becomes a primary: the link is dropped and the history continues under
 * a new replication id (the old one kept as replid2). */
void replicationUnsetMaster(void);
/* The replica's cron: (re)connects, times out a silent link, sends ACKs. */
void replicationReplicaCron(void);
/* REPLCONF ACK <offset> to the primary, now. */
void replicationSendAck(void);
/* Name of the link state as ROLE shows it ("connect", "connecting",
 * "handshake", "sync", "connected"). */
const char *replicationStateName(void);
/* Appends the replica-only INFO replication fields to s. */
sds replicationReplicaInfo(sds s);

/* repl_backlog.c: the shared buffer. Positions start at the end
 * (replBufPosInit) or at a given offset (replBufPosSeek, C_ERR when the
 * buffer no longer holds it); Peek gives the bytes of the current block
 * from the position on, Advance consumes them, Release drops the
 * reference (freeing blocks nobody needs any more). */
void replBufPosInit(replBufPos *p);
int replBufPosSeek(replBufPos *p, long long offset);
void replBufPosRelease(replBufPos *p);
const char *replBufPosPeek(replBufPos *p, size_t *len);
void replBufPosAdvance(replBufPos *p, size_t n);
long long replBufPosPending(const replBufPos *p);
/* Appends stream bytes (copied), moving master_repl_offset. */
void replBufAppend(const char *data, size_t len);
/* The share of the shared buffer's memory INFO counts for the backlog
 * (what its history needs when replicas also hold blocks, else all of
 * it); the rest is counted for the replicas. */
size_t replicationBacklogMemory(void);
void replBacklogCreate(void);
void replBacklogFree(void);
long long replBacklogFirstByte(void);
long long replBacklogHistlen(void);

/* repl_primary.c: the replicas of this server. */
void replicationPrimaryInit(void);
/* Called by repl_backlog.c when the first block appears: replicas whose
 * position points at nothing take it. */
void replicationAdoptOrphanPositions(replBufBlock *b);
/* beforeSleep: writes the stream to every replica that has some pending. */
void replicationFlushReplicas(void);
/* The primary's cron: pings, timeouts, BGSAVE for waiting replicas,
 * backlog ttl. */
void replicationPrimaryCron(void);
/* Drops every replica and the backlog (a new primary, a new dataset). */
void replicationDropReplicas(void);
/* Disconnects the replicas, keeping the backlog they may continue from. */
void replicationDisconnectReplicas(void);
/* A primary restarted from an RDB with a history: a backlog from the
 * current offset on, fed by its writes. */
void replicationPrimaryRestored(void);
/* A replica became a primary: its own writes now feed the stream. */
void replicationPromoted(void);
/* Replicas that acknowledged within min-replicas-max-lag seconds. */
int replicationGoodReplicas(void);
/* REPLCONF from a (future) replica: options and ACK. */
void replicationReplconfFromReplica(struct client *c);
/* A replica sent an empty line (it pings back so while it loads a big
 * RDB): its acknowledgement time is refreshed, so it does not time out. */
void replicationReplicaAlive(struct client *c);
/* Called by freeClient for every client: a replica is forgotten. */
void replicationReplicaClientFreed(struct client *c);
sds replicationPrimaryInfo(sds s);
void replicationRoleReplicas(struct client *c);
/* The replica listening on host:port (its announced or peer address, as
 * INFO shows it), or one online that acknowledged offset; NULL if none. */
replicaLink *replicationFindReplica(const char *host, int port);
replicaLink *replicationFindSyncedReplica(long long offset);
/* A replica's address as INFO shows it: its announced ip, else the peer
 * address written into buf. The result is valid as long as buf and l. */
const char *replicationReplicaIp(replicaLink *l, char *buf, size_t len);
/* For a shutdown: whether every replica acknowledged all of the stream
 * (1 with none), a REPLCONF GETACK * sent now (a pause does not hold it
 * back), and a log line per replica that did not. */
int replicationReplicasInSync(void);
void replicationSendGetack(void);
void replicationLogLaggingReplicas(void);
/* A primary becoming a replica: its replicas are disconnected (they come
 * back and continue by PSYNC), its backlog and history stay, and its own
 * writes stop feeding the stream. */
void replicationDemoted(void);

/* repl_load.c: the dataset replaced by a full sync's RDB, inside a
 * loading session; the AOF stopped before and restarted (with a rewrite)
 * after, our replicas dropped. From the file at path, or read from conn:
 * size bytes, or (mark not NULL) up to the 40-byte mark. C_ERR, logged,
 * when the load failed: the dataset is then empty, or with swapdb the old
 * one. */
int replicationUseDisklessLoad(void);
struct rdbLoadInfo;
int replicationLoadRdbFile(const char *path, struct rdbLoadInfo *info);
int replicationLoadFromSocket(struct connection *conn, long long size, const char *mark, struct rdbLoadInfo *info);

/* failover.c: FAILOVER and its states. failoverUpdate runs before each
 * sleep; failoverInProgress says the next PSYNC carries FAILOVER and
 * failoverPsyncReplied reports whether the target accepted it;
 * failoverPsyncRequest handles PSYNC ... FAILOVER on the target (0 when
 * it replied with an error). */
void failoverCommand(struct client *c);
void failoverUpdate(void);
int failoverActive(void);
int failoverInProgress(void);
void failoverPsyncReplied(int accepted);
int failoverPsyncRequest(struct client *c);
const char *failoverStateName(void);

/* WAIT (repl_primary.c): c blocked with BLOCKED_WAIT replies how many
 * replicas acknowledged its target offset (on timeout or CLIENT UNBLOCK);
 * blocked.c tells when such a client stops waiting, for any reason. */
void replicationReplyWaitCount(struct client *c);
void replicationWaitReleased(struct client *c);
void waitCommand(struct client *c);

void syncCommand(struct client *c);
void psyncCommand(struct client *c);
void replicaofCommand(struct client *c);
void roleCommand(struct client *c);
void replconfCommand(struct client *c);

#endif
