/* cluster_internal.h — what cluster.c, cluster_bus.c, cluster_config.c,
 * cluster_cmd.c and cluster_route.c share: the node, the link, the cluster
 * state and the functions each file offers the others.
 *
 * A node is known by its 40-character name. The table `cstate->nodes` owns
 * every node (myself included); a node owns its links (one we opened,
 * `link`, and one the peer opened, `inbound_link`) and its failure
 * reports. `cstate->slots[s]` borrows the node serving slot s. A node in
 * HANDSHAKE has a random name until its first PONG tells the real one.
 */
#ifndef EMBER_CLUSTER_INTERNAL_H
#define EMBER_CLUSTER_INTERNAL_H

#include <stdint.h>

#include "adlist.h"
#include "clusterwire.h"
#include "connection.h"
#include "crc16.h"
#include "dict.h"
#include "sds.h"

typedef struct clusterNode clusterNode;

typedef struct clusterLink {
    long long ctime; /* creation, ms */
    connection *conn;
    sds sndbuf; /* frames not yet written */
    unsigned char *rcvbuf;
    size_t rcvbuf_len, rcvbuf_alloc;
    clusterNode *node; /* NULL: inbound link whose sender we do not know yet */
    int inbound;
} clusterLink;

typedef struct clusterFailReport {
    clusterNode *node; /* the master that reported it */
    long long time;    /* last time it said so, ms */
} clusterFailReport;

struct clusterNode {
    char name[CBUS_NAMELEN];
    long long ctime;
    int flags; /* CBUS_NODE_* */
    uint64_t config_epoch;
    unsigned char slots[CBUS_SLOT_BYTES];
    int numslots;
    int numslaves;
    clusterNode **slaves;
    clusterNode *slaveof;
    long long ping_sent, pong_received, data_received, fail_time, voted_time;
    long long repl_offset_time, orphaned_time;
    long long repl_offset;
    char ip[CBUS_IPLEN];
    sds hostname;
    int port, pport, cport;
    clusterLink *link, *inbound_link;
    list *fail_reports; /* of clusterFailReport */
};

/* Why a replica cannot fail over now (logged when it changes). */
enum {
    CANT_FAILOVER_NONE,
    CANT_FAILOVER_DATA_AGE,
    CANT_FAILOVER_WAITING_DELAY,
    CANT_FAILOVER_EXPIRED,
    CANT_FAILOVER_WAITING_VOTES
};

/* todo_before_sleep bits. */
#define CLUSTER_TODO_HANDLE_FAILOVER (1 << 0)
#define CLUSTER_TODO_UPDATE_STATE (1 << 1)
#define CLUSTER_TODO_SAVE_CONFIG (1 << 2)
#define CLUSTER_TODO_FSYNC_CONFIG (1 << 3)
#define CLUSTER_TODO_HANDLE_MANUALFAILOVER (1 << 4)

typedef struct clusterState {
    clusterNode *myself;
    uint64_t current_epoch, last_vote_epoch;
    int state;       /* CBUS_STATE_OK / CBUS_STATE_FAIL */
    int size;        /* masters serving at least one slot */
    dict *nodes;     /* name (sds, owned) -> clusterNode* (owned) */
    dict *blacklist; /* name (sds, owned) -> unix time it may come back */
    clusterNode *slots[CLUSTER_SLOTS];
    clusterNode *migrating_slots_to[CLUSTER_SLOTS];
    clusterNode *importing_slots_from[CLUSTER_SLOTS];
    /* Election of this replica. */
    long long failover_auth_time;
    int failover_auth_count, failover_auth_sent, failover_auth_rank;
    uint64_t failover_auth_epoch;
    int cant_failover_reason;
    long long lastlog_time;
    /* Manual failover: the master side (mf_slave) or the replica side. */
    long long mf_end;
    clusterNode *mf_slave;
    long long mf_master_offset;
    int mf_can_start;
    int todo_before_sleep;
    long long among_minority_time, first_call_time;
    long long stats_sent[CBUS_TYPE_COUNT], stats_received[CBUS_TYPE_COUNT];
    long long stats_pfail_nodes;
    long long links_buffer_limit_exceeded;
    int fds[16], nfds; /* the bus listeners */
    int lock_fd;       /* nodes.conf, flock'ed */
} clusterState;

/* The state and this node. Set once by clusterInit; file-scope globals
 * because every cluster file works on the one cluster this process is in. */
extern clusterState *cstate;
extern clusterNode *myself;

#define nodeIsMaster(n) ((n)->flags & CBUS_NODE_MASTER)
#define nodeIsSlave(n) ((n)->flags & CBUS_NODE_SLAVE)
#define nodeInHandshake(n) ((n)->flags & CBUS_NODE_HANDSHAKE)
#define nodeHasAddr(n) (!((n)->flags & CBUS_NODE_NOADDR))
#define nodeTimedOut(n) ((n)->flags & CBUS_NODE_PFAIL)
#define nodeFailed(n) ((n)->flags & CBUS_NODE_FAIL)
#define nodeCantFailover(n) ((n)->flags & CBUS_NODE_NOFAILOVER)

/* cluster.c: nodes */
clusterNode *clusterCreateNode(const char *name, int flags); /* name NULL: random */
void clusterAddNode(clusterNode *n);
void clusterDelNode(clusterNode *n); /* unlinks and frees n (not myself) */
clusterNode *clusterLookupNode(const char *name, size_t len);
void clusterRenameNode(clusterNode *n, const char *newname);
int clusterNodeAddSlave(clusterNode *master, clusterNode *slave);
int clusterNodeRemoveSlave(clusterNode *master, clusterNode *slave);
void clusterSetNodeAsMaster(clusterNode *n);
void clusterSetMyMaster(clusterNode *n); /* CLUSTER REPLICATE, or a failover seen */
void clusterBlacklistAdd(const char *name);
int clusterBlacklistExists(const char *name);
int clusterStartHandshake(const char *ip, int port, int cport);
int clusterCountNonFailingSlaves(const clusterNode *n);
int clusterMastersCount(void); /* masters with slots: the quorum's base */
void clusterFreeNodeLinks(clusterNode *n);
void clusterNodeSetHostname(clusterNode *n, const char *name, size_t len);

/* cluster.c: ports. The base port is the one the bus port derives from
 * (tls-port with tls-cluster, else port); the bus port is cluster-port or
 * base + 10000. clusterNodeClientPort is n's port as client c should use
 * it: with tls-cluster a client without TLS gets the plain port (pport). */
int clusterBasePort(void);
int clusterBusPort(void);
int clusterNodeClientPort(const clusterNode *n, const client *c);

/* cluster.c: slots */
int clusterNodeHasSlot(const clusterNode *n, int slot);
int clusterAddSlot(clusterNode *n, int slot);
int clusterDelSlot(int slot);
int clusterDelNodeSlots(clusterNode *n);
void clusterCloseAllSlots(void);
void clusterUpdateSlotsConfigWith(clusterNode *sender, uint64_t epoch, const unsigned char *slots);
int clusterSlotBit(const unsigned char *bitmap, int slot);

/* cluster.c: failure reports, state, epochs, failover */
int clusterNodeAddFailureReport(clusterNode *failing, clusterNode *sender);
void clusterNodeDelFailureReport(clusterNode *failing, clusterNode *sender);
int clusterNodeFailureReportsCount(clusterNode *n);
void clusterMarkNodeAsFailingIfNeeded(clusterNode *n);
void clusterClearNodeFailureIfNeeded(clusterNode *n);
void clusterUpdateState(void);
void clusterDoBeforeSleep(int flags);
uint64_t clusterMaxEpoch(void);
int clusterBumpConfigEpochWithoutConsensus(void);
void clusterHandleConfigEpochCollision(clusterNode *sender);
void clusterResetManualFailover(void);
void clusterStartManualFailover(int force, int takeover);
void clusterHandleManualFailover(void);
void clusterMasterStartManualFailover(clusterNode *replica); /* MFSTART received */
void clusterReset(int hard);
long long clusterReplicationOffset(void);

/* cluster_bus.c */
int clusterListen(void);
clusterLink *clusterCreateLink(clusterNode *node);
void clusterFreeLink(clusterLink *link);
/* Frees n's links whose send buffer passed cluster-link-sendbuf-limit,
 * counted in CLUSTER INFO; clusterCron reconnects ours. */
void clusterFreeLinksOverLimit(clusterNode *n);
int clusterConnectLink(clusterNode *n); /* C_OK if a connect started */
void clusterSendPing(clusterLink *link, int type);
void clusterBroadcastPong(int only_my_shard);
void clusterSendFail(const char *nodename);
void clusterSendUpdate(clusterLink *link, clusterNode *n);
void clusterSendFailoverAuthRequest(void);
void clusterSendMFStart(clusterNode *master);
void clusterProcessFrame(clusterLink *link);

/* cluster_route.c: clients blocked on keys whose slot moved away (or
 * with the cluster down) get the redirection and are unblocked. */
void clusterRedirectBlockedClients(void);

/* cluster_config.c */
int clusterLoadConfig(const char *filename); /* C_ERR: no such file */
int clusterSaveConfig(int do_fsync);
void clusterSaveConfigOrDie(int do_fsync);
/* The CLUSTER NODES line of n (appended to s), with n's port as client c
 * should use it (c NULL: nodes.conf, the port n announces). */
sds clusterGenNodeDescription(sds s, clusterNode *n, const client *c);
sds clusterGenNodesDescription(int filter, const client *c);
const char *clusterNodeFlagsString(sds *s, int flags);

#endif
