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
    long long transfer_size;     /* -1 until the bulk header is read */
    long long transfer_read;
    long long transfer_lastio;   /* unixtime of the last byte of the link */
    int transfer_fd;             /* the temp file, -1 when none */
    char transfer_tmpfile[256];
    int transfer_usemark;        /* $EOF:<mark> form */
    char transfer_mark[REPL_ID_LEN];
    char transfer_tail[REPL_ID_LEN]; /* the last bytes received, for the mark */
    long long sync_start_ms;
    time_t link_down_since;      /* 0 when the link never came up */
    long long last_cron_ms;
    long long last_ack_ms;
};

/* 1 while this server is a replica (REPLICAOF host port in force). */
int replicationIsReplica(void);
/* 1 while the link with the primary is up (the master client exists). */
int replicationLinkUp(void);

/* Start-up: a fresh replication id; a replicaof directive starts the link. */
void replicationInit(void);
/* Called by serverCron: once a second, the replica's cron (connect, ACK,
 * timeouts). */
void replicationCron(void);

/* Appends the INFO replication section's fields to s. */
sds replicationInfo(sds s);

/* Called by the read path after each command the master client c ran:
 * the applied offset moves to the end of that command (not while a
 * transaction is being queued). */
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

void replicaofCommand(struct client *c);
void roleCommand(struct client *c);
void replconfCommand(struct client *c);

#endif
