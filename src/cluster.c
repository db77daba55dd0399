/* cluster.c — the cluster's state: nodes, slots, failure detection, epochs
 * and failover.
 *
 * The state is what this node believes: the nodes it knows (by name), which
 * node serves each of the 16384 slots, and two epochs. The current epoch is
 * the cluster's logical clock (the highest seen anywhere); a master's config
 * epoch stamps its claim on its slots, and when two masters claim a slot the
 * higher config epoch wins (clusterUpdateSlotsConfigWith). Masters with the
 * same config epoch resolve the tie by name (the greater name bumps).
 *
 * Failure detection is two-step. A node that has not answered a ping for
 * cluster-node-timeout is PFAIL to us (clusterCron). Masters gossip what
 * they see; when a majority of the masters that serve slots (counting us
 * when we are one) report a node failing within twice the timeout, it
 * becomes FAIL and we tell everyone with a FAIL message.
 *
 * When a master is FAIL, its replicas hold an election: each waits 500 ms
 * plus a random half second plus a second per replica with more data than
 * itself (its rank), bumps the current epoch and asks for votes. A master
 * votes once per epoch, and for one master's replicas once per two
 * timeouts. The replica with a majority takes the slots with the new epoch
 * as its config epoch and tells everyone by a PONG. CLUSTER FAILOVER runs
 * the same election once the replica has all of its master's stream (the
 * master pauses writes meanwhile); FORCE skips that wait and TAKEOVER even
 * the vote.
 *
 * Replica migration keeps replicas where they are needed: a replica of the
 * master with the most working replicas (the one of them with the smallest
 * name) moves to a master left without any, when its own master keeps
 * more than cluster-migration-barrier. A master that loses its last slot
 * becomes a replica of the node that took it (cluster-allow-replica-
 * migration).
 *
 * Message handlers only mark what must follow (todo_before_sleep); the
 * config save and the state computation run once per turn of the loop in
 * clusterBeforeSleep.
 */
#include "server.h"
#include "cluster_internal.h"
#include "tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

clusterState *cstate;
clusterNode *myself;

#define FAIL_REPORT_VALIDITY_MULT 2
#define FAIL_UNDO_TIME_MULT 2
#define MF_TIMEOUT 5000
#define MF_PAUSE_MULT 2
#define WRITABLE_DELAY 2000
#define BLACKLIST_TTL 60
#define MIGRATION_DELAY 5000

/* ------------------------------------------------------------ nodes */

clusterNode *clusterCreateNode(const char *name, int flags) {
    clusterNode *n = zcalloc(sizeof(*n));
    if (name)
        memcpy(n->name, name, CBUS_NAMELEN);
    else
        getRandomHexChars(n->name, CBUS_NAMELEN);
    n->ctime = mstime();
    n->flags = flags;
    n->fail_reports = listCreate();
    listSetFreeMethod(n->fail_reports, zfree);
    n->hostname = sdsempty();
    n->repl_offset_time = 0;
    return n;
}

void clusterAddNode(clusterNode *n) {
    int added = dictAdd(cstate->nodes, sdsnewlen(n->name, CBUS_NAMELEN), n);
    serverAssert(added == DICT_OK);
}

clusterNode *clusterLookupNode(const char *name, size_t len) {
    if (len != CBUS_NAMELEN) return NULL;
    sds s = sdsnewlen(name, len);
    dictEntry *de = dictFind(cstate->nodes, s);
    sdsfree(s);
    return de ? dictGetVal(de) : NULL;
}

void clusterFreeNodeLinks(clusterNode *n) {
    if (n->link) clusterFreeLink(n->link);
    if (n->inbound_link) clusterFreeLink(n->inbound_link);
}

/* Removes every failure report that `reporter` made about other nodes. */
static void forgetReportsBy(clusterNode *reporter) {
    dictIterator *di = dictGetSafeIterator(cstate->nodes);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        if (n != reporter) clusterNodeDelFailureReport(n, reporter);
    }
    dictReleaseIterator(di);
}

void clusterDelNode(clusterNode *n) {
    serverAssert(n != myself);
    for (int j = 0; j < CLUSTER_SLOTS; j++) {
        if (cstate->importing_slots_from[j] == n) cstate->importing_slots_from[j] = NULL;
        if (cstate->migrating_slots_to[j] == n) cstate->migrating_slots_to[j] = NULL;
        if (cstate->slots[j] == n) clusterDelSlot(j);
    }
    forgetReportsBy(n);
    if (n->slaveof) clusterNodeRemoveSlave(n->slaveof, n);
    for (int j = 0; j < n->numslaves; j++) n->slaves[j]->slaveof = NULL;
    if (cstate->mf_slave == n) clusterResetManualFailover();
    clusterFreeNodeLinks(n);
    sds name = sdsnewlen(n->name, CBUS_NAMELEN);
    dictDelete(cstate->nodes, name);
    sdsfree(name);
    listRelease(n->fail_reports);
    sdsfree(n->hostname);
    zfree(n->slaves);
    zfree(n);
}

void clusterRenameNode(clusterNode *n, const char *newname) {
    serverLog(LL_DEBUG, "Renaming node %.40s into %.40s", n->name, newname);
    sds old = sdsnewlen(n->name, CBUS_NAMELEN);
    dictDelete(cstate->nodes, old);
    sdsfree(old);
    memcpy(n->name, newname, CBUS_NAMELEN);
    clusterAddNode(n);
}

void clusterNodeSetHostname(clusterNode *n, const char *name, size_t len) {
    if (sdslen(n->hostname) == len && memcmp(n->hostname, name, len) == 0) return;
    sdsfree(n->hostname);
    n->hostname = sdsnewlen(name, len);
    cstate->todo_before_sleep |= CLUSTER_TODO_SAVE_CONFIG;
}

int clusterNodeAddSlave(clusterNode *master, clusterNode *slave) {
    for (int j = 0; j < master->numslaves; j++)
        if (master->slaves[j] == slave) return C_ERR;
    master->slaves = zrealloc(master->slaves, sizeof(clusterNode *) * (size_t)(master->numslaves + 1));
    master->slaves[master->numslaves++] = slave;
    master->flags |= CBUS_NODE_MIGRATE_TO;
    return C_OK;
}

int clusterNodeRemoveSlave(clusterNode *master, clusterNode *slave) {
    for (int j = 0; j < master->numslaves; j++) {
        if (master->slaves[j] != slave) continue;
        memmove(master->slaves + j, master->slaves + j + 1,
                sizeof(clusterNode *) * (size_t)(master->numslaves - j - 1));
        master->numslaves--;
        if (master->numslaves == 0) master->flags &= ~CBUS_NODE_MIGRATE_TO;
        return C_OK;
    }
    return C_ERR;
}

int clusterCountNonFailingSlaves(const clusterNode *n) {
    int ok = 0;
    for (int j = 0; j < n->numslaves; j++)
        if (!nodeFailed(n->slaves[j])) ok++;
    return ok;
}

void clusterSetNodeAsMaster(clusterNode *n) {
    if (nodeIsMaster(n)) return;
    if (n->slaveof) {
        clusterNodeRemoveSlave(n->slaveof, n);
        if (n != myself) n->flags |= CBUS_NODE_MIGRATE_TO;
    }
    n->flags &= ~CBUS_NODE_SLAVE;
    n->flags |= CBUS_NODE_MASTER;
    n->slaveof = NULL;
    cstate->todo_before_sleep |= CLUSTER_TODO_SAVE_CONFIG | CLUSTER_TODO_UPDATE_STATE;
}

/* Forgets a past election, so the next one starts from its delay. */
static void resetElection(void) {
    cstate->failover_auth_time = 0;
    cstate->failover_auth_sent = 0;
    cstate->failover_auth_count = 0;
}

void clusterSetMyMaster(clusterNode *n) {
    serverAssert(n != myself && myself->numslots == 0);
    if (nodeIsMaster(myself)) {
        myself->flags &= ~(CBUS_NODE_MASTER | CBUS_NODE_MIGRATE_TO);
        myself->flags |= CBUS_NODE_SLAVE;
        clusterCloseAllSlots();
    } else if (myself->slaveof) {
        clusterNodeRemoveSlave(myself->slaveof, myself);
    }
    myself->slaveof = n;
    clusterNodeAddSlave(n, myself);
    resetElection();
    if (!server.repl.masterhost || strcmp(server.repl.masterhost, n->ip) != 0 || server.repl.masterport != n->port)
        replicationSetMaster(n->ip, n->port);
    clusterResetManualFailover();
    cstate->todo_before_sleep |= CLUSTER_TODO_SAVE_CONFIG | CLUSTER_TODO_UPDATE_STATE | CLUSTER_TODO_FSYNC_CONFIG;
}

int clusterMastersCount(void) {
    return cstate->size;
}

/* --------------------------------------------------------- blacklist */

/* CLUSTER FORGET keeps a node out for a minute, so gossip from nodes that
 * still know it does not bring it back at once. */
static void blacklistCleanup(void) {
    dictIterator *di = dictGetSafeIterator(cstate->blacklist);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL)
        if ((time_t)dictGetUnsignedIntegerVal(de) < server.unixtime) dictDelete(cstate->blacklist, dictGetKey(de));
    dictReleaseIterator(di);
}

void clusterBlacklistAdd(const char *name) {
    blacklistCleanup();
    sds id = sdsnewlen(name, CBUS_NAMELEN);
    dictEntry *de = dictAddOrFind(cstate->blacklist, id);
    if (dictGetKey(de) != id) sdsfree(id);
    de->v.u64 = (uint64_t)(server.unixtime + BLACKLIST_TTL);
}

int clusterBlacklistExists(const char *name) {
    blacklistCleanup();
    sds id = sdsnewlen(name, CBUS_NAMELEN);
    int found = dictFind(cstate->blacklist, id) != NULL;
    sdsfree(id);
    return found;
}

/* -------------------------------------------------------- handshake */

/* Normalises ip (v4 or v6) into out; 0 if it is not an address. */
static int normalizeIp(const char *ip, char *out) {
    unsigned char buf[sizeof(struct in6_addr)];
    if (inet_pton(AF_INET, ip, buf) == 1) return inet_ntop(AF_INET, buf, out, CBUS_IPLEN) != NULL;
    if (inet_pton(AF_INET6, ip, buf) == 1) return inet_ntop(AF_INET6, buf, out, CBUS_IPLEN) != NULL;
    return 0;
}

static int handshakeInProgress(const char *ip, int port, int cport) {
    dictIterator *di = dictGetIterator(cstate->nodes);
    dictEntry *de;
    int found = 0;
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        if (nodeInHandshake(n) && !strcasecmp(n->ip, ip) && n->port == port && n->cport == cport) {
            found = 1;
            break;
        }
    }
    dictReleaseIterator(di);
    return found;
}

/* Starts meeting ip:port (bus port cport): a node with a random name in
 * HANDSHAKE|MEET, which clusterCron connects to. Returns 0 with errno
 * EINVAL for a bad address or port, EAGAIN when the same handshake is
 * already under way; 1 when started. */
int clusterStartHandshake(const char *ip, int port, int cport) {
    char norm[CBUS_IPLEN];
    if (!normalizeIp(ip, norm) || port <= 0 || port > 65535 || cport <= 0 || cport > 65535) {
        errno = EINVAL;
        return 0;
    }
    if (handshakeInProgress(norm, port, cport)) {
        errno = EAGAIN;
        return 0;
    }
    clusterNode *n = clusterCreateNode(NULL, CBUS_NODE_HANDSHAKE | CBUS_NODE_MEET);
    memcpy(n->ip, norm, sizeof(norm));
    n->port = port;
    n->cport = cport;
    clusterAddNode(n);
    return 1;
}

/* ------------------------------------------------------------ slots */

int clusterSlotBit(const unsigned char *bitmap, int slot) {
    return (bitmap[slot >> 3] >> (slot & 7)) & 1;
}

int clusterNodeHasSlot(const clusterNode *n, int slot) {
    return clusterSlotBit(n->slots, slot);
}

int clusterAddSlot(clusterNode *n, int slot) {
    if (cstate->slots[slot]) return C_ERR;
    n->slots[slot >> 3] |= (unsigned char)(1 << (slot & 7));
    n->numslots++;
    cstate->slots[slot] = n;
    return C_OK;
}

int clusterDelSlot(int slot) {
    clusterNode *n = cstate->slots[slot];
    if (!n) return C_ERR;
    n->slots[slot >> 3] &= (unsigned char)~(1 << (slot & 7));
    n->numslots--;
    cstate->slots[slot] = NULL;
    return C_OK;
}

int clusterDelNodeSlots(clusterNode *n) {
    int deleted = 0;
    for (int j = 0; j < CLUSTER_SLOTS; j++)
        if (clusterNodeHasSlot(n, j)) {
            clusterDelSlot(j);
            deleted++;
        }
    return deleted;
}

void clusterCloseAllSlots(void) {
    memset(cstate->migrating_slots_to, 0, sizeof(cstate->migrating_slots_to));
    memset(cstate->importing_slots_from, 0, sizeof(cstate->importing_slots_from));
}

/* The slots `sender` claims with config epoch `epoch`: each slot we give to
 * a lower epoch (or to nobody) moves to it. When that empties the master
 * we serve (or replicate), we become a replica of the sender (always after
 * a failover, where the sender claims just our slots; after a resharding
 * only with cluster-allow-replica-migration). A replica whose master became
 * a replica follows the grandmaster. Otherwise slots of ours we lost with
 * keys in them are emptied. */
void clusterUpdateSlotsConfigWith(clusterNode *sender, uint64_t epoch, const unsigned char *slots) {
    if (sender == myself) {
        serverLog(LL_NOTICE, "Discarding UPDATE message about myself.");
        return;
    }
    clusterNode *curmaster = nodeIsMaster(myself) ? myself : myself->slaveof;
    clusterNode *newmaster = NULL;
    int dirty[CLUSTER_SLOTS], ndirty = 0, moved_ours = 0, sender_slots = 0;
    for (int j = 0; j < CLUSTER_SLOTS; j++) {
        if (!clusterSlotBit(slots, j)) continue;
        sender_slots++;
        clusterNode *owner = cstate->slots[j];
        if (owner == sender || cstate->importing_slots_from[j]) continue;
        if (owner && owner->config_epoch >= epoch) continue;
        if (owner == myself && dbCountKeysInSlot(server.db, (unsigned)j) && sender != myself) dirty[ndirty++] = j;
        if (owner && owner == curmaster) {
            newmaster = sender;
            moved_ours++;
        }
        clusterDelSlot(j);
        clusterAddSlot(sender, j);
        cstate->todo_before_sleep |= CLUSTER_TODO_SAVE_CONFIG | CLUSTER_TODO_UPDATE_STATE | CLUSTER_TODO_FSYNC_CONFIG;
    }
    if (newmaster && curmaster && curmaster->numslots == 0 &&
        (server.cluster.allow_replica_migration || sender_slots == moved_ours)) {
        serverLog(LL_WARNING, "Configuration change detected. Reconfiguring myself as a replica of %.40s",
                  sender->name);
        clusterSetMyMaster(sender);
    } else if (myself->slaveof && myself->slaveof->slaveof && myself->slaveof->slaveof != myself) {
        /* Our master became a replica when it lost its last slot: follow
         * its master (a loop made by TAKEOVER is left to the admin). */
        serverLog(LL_WARNING, "I'm a sub-replica! Reconfiguring myself as a replica of grandmaster %.40s",
                  myself->slaveof->slaveof->name);
        clusterSetMyMaster(myself->slaveof->slaveof);
    } else {
        for (int j = 0; j < ndirty; j++) dbDeleteKeysInSlot(server.db, (unsigned)dirty[j]);
    }
}

/* -------------------------------------------------- failure reports */

int clusterNodeAddFailureReport(clusterNode *failing, clusterNode *sender) {
    listIter li;
    listNode *ln;
    listRewind(failing->fail_reports, &li);
    while ((ln = listNext(&li)) != NULL) {
        clusterFailReport *fr = listNodeValue(ln);
        if (fr->node == sender) {
            fr->time = mstime();
            return 0;
        }
    }
    clusterFailReport *fr = zmalloc(sizeof(*fr));
    fr->node = sender;
    fr->time = mstime();
    listAddNodeTail(failing->fail_reports, fr);
    return 1;
}

static void cleanupFailureReports(clusterNode *n) {
    long long maxtime = server.cluster.node_timeout * FAIL_REPORT_VALIDITY_MULT, now = mstime();
    listIter li;
    listNode *ln;
    listRewind(n->fail_reports, &li);
    while ((ln = listNext(&li)) != NULL) {
        clusterFailReport *fr = listNodeValue(ln);
        if (now - fr->time > maxtime) listDelNode(n->fail_reports, ln);
    }
}

void clusterNodeDelFailureReport(clusterNode *failing, clusterNode *sender) {
    listIter li;
    listNode *ln;
    listRewind(failing->fail_reports, &li);
    while ((ln = listNext(&li)) != NULL) {
        clusterFailReport *fr = listNodeValue(ln);
        if (fr->node == sender) {
            listDelNode(failing->fail_reports, ln);
            break;
        }
    }
    cleanupFailureReports(failing);
}

int clusterNodeFailureReportsCount(clusterNode *n) {
    cleanupFailureReports(n);
    return (int)listLength(n->fail_reports);
}

void clusterMarkNodeAsFailingIfNeeded(clusterNode *n) {
    int quorum = cstate->size / 2 + 1;
    if (!nodeTimedOut(n) || nodeFailed(n)) return;
    int failures = clusterNodeFailureReportsCount(n);
    if (nodeIsMaster(myself)) failures++;
    if (failures < quorum) return;
    serverLog(LL_NOTICE, "Marking node %.40s as failing (quorum reached).", n->name);
    n->flags &= ~CBUS_NODE_PFAIL;
    n->flags |= CBUS_NODE_FAIL;
    n->fail_time = mstime();
    if (nodeIsMaster(myself)) clusterSendFail(n->name);
    cstate->todo_before_sleep |= CLUSTER_TODO_UPDATE_STATE | CLUSTER_TODO_SAVE_CONFIG;
}

void clusterClearNodeFailureIfNeeded(clusterNode *n) {
    long long now = mstime();
    serverAssert(nodeFailed(n));
    if (nodeIsSlave(n) || n->numslots == 0) {
        serverLog(LL_NOTICE, "Clear FAIL state for node %.40s: %s is reachable again.", n->name,
                  nodeIsSlave(n) ? "replica" : "master without slots");
        n->flags &= ~CBUS_NODE_FAIL;
        cstate->todo_before_sleep |= CLUSTER_TODO_UPDATE_STATE | CLUSTER_TODO_SAVE_CONFIG;
    }
    if (nodeIsMaster(n) && n->numslots > 0 && now - n->fail_time > server.cluster.node_timeout * FAIL_UNDO_TIME_MULT) {
        serverLog(LL_NOTICE,
                  "Clear FAIL state for node %.40s: is reachable again and nobody is serving its slots after some "
                  "time.",
                  n->name);
        n->flags &= ~CBUS_NODE_FAIL;
        cstate->todo_before_sleep |= CLUSTER_TODO_UPDATE_STATE | CLUSTER_TODO_SAVE_CONFIG;
    }
}

/* ------------------------------------------------------------ state */

void clusterUpdateState(void) {
    long long now = mstime();
    if (cstate->first_call_time == 0) cstate->first_call_time = now;
    /* A master that just started waits a little for the others' view of
     * its slots before it says ok and accepts writes. */
    if (nodeIsMaster(myself) && cstate->state == CBUS_STATE_FAIL && now - cstate->first_call_time < WRITABLE_DELAY)
        return;
    int new_state = CBUS_STATE_OK;
    if (server.cluster.require_full_coverage) {
        for (int j = 0; j < CLUSTER_SLOTS; j++)
            if (!cstate->slots[j] || nodeFailed(cstate->slots[j])) {
                new_state = CBUS_STATE_FAIL;
                break;
            }
    }
    int size = 0, reachable = 0;
    dictIterator *di = dictGetIterator(cstate->nodes);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        if (!nodeIsMaster(n) || n->numslots == 0) continue;
        size++;
        if (!(n->flags & (CBUS_NODE_FAIL | CBUS_NODE_PFAIL))) reachable++;
    }
    dictReleaseIterator(di);
    cstate->size = size;
    if (reachable < size / 2 + 1) {
        new_state = CBUS_STATE_FAIL;
        cstate->among_minority_time = now;
    }
    if (new_state == cstate->state) return;
    long long rejoin_delay = server.cluster.node_timeout;
    if (rejoin_delay > 5000) rejoin_delay = 5000;
    if (rejoin_delay < 500) rejoin_delay = 500;
    if (new_state == CBUS_STATE_OK && nodeIsMaster(myself) && now - cstate->among_minority_time < rejoin_delay) return;
    serverLog(LL_WARNING, "Cluster state changed: %s", new_state == CBUS_STATE_OK ? "ok" : "fail");
    cstate->state = new_state;
}

uint64_t clusterMaxEpoch(void) {
    uint64_t max = 0;
    dictIterator *di = dictGetIterator(cstate->nodes);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        if (n->config_epoch > max) max = n->config_epoch;
    }
    dictReleaseIterator(di);
    return max > cstate->current_epoch ? max : cstate->current_epoch;
}

int clusterBumpConfigEpochWithoutConsensus(void) {
    uint64_t max = clusterMaxEpoch();
    if (myself->config_epoch != 0 && myself->config_epoch == max) return C_ERR;
    cstate->current_epoch++;
    myself->config_epoch = cstate->current_epoch;
    cstate->todo_before_sleep |= CLUSTER_TODO_SAVE_CONFIG | CLUSTER_TODO_FSYNC_CONFIG;
    serverLog(LL_NOTICE, "New configEpoch set to %llu", (unsigned long long)myself->config_epoch);
    return C_OK;
}

void clusterHandleConfigEpochCollision(clusterNode *sender) {
    if (sender->config_epoch != myself->config_epoch || !nodeIsMaster(sender) || !nodeIsMaster(myself)) return;
    if (memcmp(sender->name, myself->name, CBUS_NAMELEN) <= 0) return;
    cstate->current_epoch++;
    myself->config_epoch = cstate->current_epoch;
    clusterSaveConfigOrDie(1);
    serverLog(LL_VERBOSE, "WARNING: configEpoch collision with node %.40s. configEpoch set to %llu", sender->name,
              (unsigned long long)myself->config_epoch);
}

/* ---------------------------------------------------------- failover */

long long clusterReplicationOffset(void) {
    return server.replication.master_repl_offset;
}

/* How many replicas of our master have more of its stream than we do. */
static int replicaRank(void) {
    clusterNode *master = myself->slaveof;
    if (!master) return 0;
    long long myoffset = clusterReplicationOffset();
    int rank = 0;
    for (int j = 0; j < master->numslaves; j++)
        if (master->slaves[j] != myself && !nodeCantFailover(master->slaves[j]) &&
            master->slaves[j]->repl_offset > myoffset)
            rank++;
    return rank;
}

static void logCantFailover(int reason) {
    static const char *texts[] = {
        [CANT_FAILOVER_DATA_AGE] = "Disconnected from master for longer than allowed. Please check the "
                                   "'cluster-replica-validity-factor' configuration option.",
        [CANT_FAILOVER_WAITING_DELAY] = "Waiting the delay before I can start a new failover.",
        [CANT_FAILOVER_EXPIRED] = "Failover attempt expired.",
        [CANT_FAILOVER_WAITING_VOTES] = "Waiting for votes, but majority still not reached.",
    };
    long long now = mstime();
    if (reason == cstate->cant_failover_reason && now - cstate->lastlog_time < 10000) return;
    cstate->cant_failover_reason = reason;
    cstate->lastlog_time = now;
    if (myself->slaveof && nodeFailed(myself->slaveof) && now - myself->slaveof->fail_time >= 5000)
        serverLog(LL_NOTICE, "Currently unable to failover: %s", texts[reason]);
}

/* This replica takes over its master's slots and tells everyone. */
static void replaceMyMaster(void) {
    clusterNode *old = myself->slaveof;
    if (nodeIsMaster(myself) || old == NULL) return;
    clusterSetNodeAsMaster(myself);
    replicationUnsetMaster();
    for (int j = 0; j < CLUSTER_SLOTS; j++)
        if (clusterNodeHasSlot(old, j)) {
            clusterDelSlot(j);
            clusterAddSlot(myself, j);
        }
    clusterUpdateState();
    clusterSaveConfigOrDie(1);
    clusterBroadcastPong(0);
    clusterResetManualFailover();
}

/* How long our copy has been without the master (ms), less the timeout. */
static long long dataAge(void) {
    long long age;
    if (server.replication.state == REPL_STATE_CONNECTED && server.replication.master)
        age = mstime() - server.replication.master->last_interaction;
    else
        age = (long long)(server.unixtime - server.replication.link_down_since) * 1000;
    if (age > server.cluster.node_timeout) age -= server.cluster.node_timeout;
    return age;
}

static void handleReplicaFailover(void) {
    long long now = mstime(), timeout = server.cluster.node_timeout;
    int manual = cstate->mf_end && cstate->mf_can_start;
    long long auth_timeout = timeout * 2 < 2000 ? 2000 : timeout * 2, auth_retry = auth_timeout * 2;
    cstate->todo_before_sleep &= ~CLUSTER_TODO_HANDLE_FAILOVER;
    clusterNode *master = myself->slaveof;
    if (nodeIsMaster(myself) || !master || (!nodeFailed(master) && !manual) ||
        (server.cluster.slave_no_failover && !manual) || master->numslots == 0) {
        cstate->cant_failover_reason = CANT_FAILOVER_NONE;
        return;
    }
    if (server.cluster.slave_validity_factor && !manual &&
        dataAge() > (long long)server.repl.ping_slave_period * 1000 + timeout * server.cluster.slave_validity_factor) {
        logCantFailover(CANT_FAILOVER_DATA_AGE);
        return;
    }
    if (now - cstate->failover_auth_time > auth_retry) {
        cstate->failover_auth_time = now + 500 + random() % 500;
        cstate->failover_auth_count = 0;
        cstate->failover_auth_sent = 0;
        cstate->failover_auth_rank = replicaRank();
        cstate->failover_auth_time += cstate->failover_auth_rank * 1000;
        if (manual) {
            cstate->failover_auth_time = now;
            cstate->failover_auth_rank = 0;
            cstate->todo_before_sleep |= CLUSTER_TODO_HANDLE_FAILOVER;
        }
        serverLog(LL_NOTICE, "Start of election delayed for %lld milliseconds (rank #%d, offset %lld).",
                  cstate->failover_auth_time - now, cstate->failover_auth_rank, clusterReplicationOffset());
        clusterBroadcastPong(1);
        return;
    }
    if (!cstate->failover_auth_sent && !manual) {
        int rank = replicaRank();
        if (rank > cstate->failover_auth_rank) {
            long long added = (rank - cstate->failover_auth_rank) * 1000;
            cstate->failover_auth_time += added;
            cstate->failover_auth_rank = rank;
            serverLog(LL_NOTICE, "Replica rank updated to #%d, added %lld milliseconds of delay.", rank, added);
        }
    }
    if (now < cstate->failover_auth_time) {
        logCantFailover(CANT_FAILOVER_WAITING_DELAY);
        return;
    }
    if (now - cstate->failover_auth_time > auth_timeout) {
        logCantFailover(CANT_FAILOVER_EXPIRED);
        return;
    }
    if (!cstate->failover_auth_sent) {
        cstate->current_epoch++;
        cstate->failover_auth_epoch = cstate->current_epoch;
        serverLog(LL_NOTICE, "Starting a failover election for epoch %llu.", (unsigned long long)cstate->current_epoch);
        clusterSendFailoverAuthRequest();
        cstate->failover_auth_sent = 1;
        cstate->todo_before_sleep |= CLUSTER_TODO_SAVE_CONFIG | CLUSTER_TODO_UPDATE_STATE | CLUSTER_TODO_FSYNC_CONFIG;
        return;
    }
    if (cstate->failover_auth_count >= cstate->size / 2 + 1) {
        serverLog(LL_NOTICE, "Failover election won: I'm the new master.");
        if (myself->config_epoch < cstate->failover_auth_epoch) {
            myself->config_epoch = cstate->failover_auth_epoch;
            serverLog(LL_NOTICE, "configEpoch set to %llu after successful failover",
                      (unsigned long long)myself->config_epoch);
        }
        replaceMyMaster();
    } else {
        logCantFailover(CANT_FAILOVER_WAITING_VOTES);
    }
}

void clusterResetManualFailover(void) {
    if (cstate->mf_slave) {
        /* The master side paused writes for it. */
        unpauseClients(PAUSE_DURING_CLUSTER_FAILOVER);
    }
    cstate->mf_end = 0;
    cstate->mf_can_start = 0;
    cstate->mf_slave = NULL;
    cstate->mf_master_offset = -1;
}

static void manualFailoverCheckTimeout(void) {
    if (cstate->mf_end && cstate->mf_end < mstime()) {
        serverLog(LL_WARNING, "Manual failover timed out.");
        clusterResetManualFailover();
    }
}

void clusterStartManualFailover(int force, int takeover) {
    clusterResetManualFailover();
    resetElection();
    cstate->mf_end = mstime() + MF_TIMEOUT;
    if (takeover) {
        serverLog(LL_NOTICE, "Taking over the master (user request).");
        clusterBumpConfigEpochWithoutConsensus();
        replaceMyMaster();
    } else if (force) {
        serverLog(LL_NOTICE, "Forced failover user request accepted.");
        cstate->mf_can_start = 1;
    } else {
        serverLog(LL_NOTICE, "Manual failover user request accepted.");
        clusterSendMFStart(myself->slaveof);
    }
}

void clusterMasterStartManualFailover(clusterNode *replica) {
    clusterResetManualFailover();
    cstate->mf_end = mstime() + MF_TIMEOUT;
    cstate->mf_slave = replica;
    pauseClients(PAUSE_DURING_CLUSTER_FAILOVER, PAUSE_WRITE, mstime() + MF_TIMEOUT * MF_PAUSE_MULT);
    serverLog(LL_NOTICE, "Manual failover requested by replica %.40s.", replica->name);
    if (replica->link) clusterSendPing(replica->link, CBUS_PING);
}

void clusterHandleManualFailover(void) {
    if (cstate->mf_end == 0 || cstate->mf_can_start || cstate->mf_master_offset == -1) return;
    if (cstate->mf_master_offset == clusterReplicationOffset()) {
        cstate->mf_can_start = 1;
        serverLog(LL_NOTICE, "All master replication stream processed, manual failover can start.");
        cstate->todo_before_sleep |= CLUSTER_TODO_HANDLE_FAILOVER;
    }
}

/* ------------------------------------------------- replica migration */

/* What a replica's cron learns about the working masters: how many are
 * orphaned (serving slots, no working replica, but meant to have some:
 * MIGRATE_TO), the most working replicas any has, and how many ours has. */
typedef struct orphanCensus {
    int orphaned, max_slaves, my_slaves;
} orphanCensus;

static void takeOrphanCensus(orphanCensus *oc) {
    memset(oc, 0, sizeof(*oc));
    dictIterator *di = dictGetIterator(cstate->nodes);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        if (n == myself || !nodeHasAddr(n) || nodeInHandshake(n)) continue;
        if (!nodeIsMaster(n) || nodeFailed(n)) continue;
        int ok = clusterCountNonFailingSlaves(n);
        if (ok == 0 && n->numslots > 0 && (n->flags & CBUS_NODE_MIGRATE_TO)) oc->orphaned++;
        if (ok > oc->max_slaves) oc->max_slaves = ok;
        if (myself->slaveof == n) oc->my_slaves = ok;
    }
    dictReleaseIterator(di);
}

/* The working replicas of our master: neither FAIL nor PFAIL. */
static int myMastersWorkingSlaves(void) {
    clusterNode *m = myself->slaveof;
    int ok = 0;
    for (int j = 0; j < m->numslaves; j++)
        if (!nodeFailed(m->slaves[j]) && !nodeTimedOut(m->slaves[j])) ok++;
    return ok;
}

/* Whether n is an orphan: a working master without working replicas that
 * had some (or replaced a master that had some). Keeps n->orphaned_time,
 * the start of the condition (0 when n is not one). */
static int trackOrphan(clusterNode *n) {
    int orphan =
        nodeIsMaster(n) && !nodeFailed(n) && (n->flags & CBUS_NODE_MIGRATE_TO) && clusterCountNonFailingSlaves(n) == 0;
    if (!orphan)
        n->orphaned_time = 0;
    else if (!n->orphaned_time)
        n->orphaned_time = mstime();
    return orphan;
}

/* A replica of a master with max_slaves working replicas (the most of any
 * master) may move to an orphaned master: only with the cluster ok, when
 * our master keeps more than cluster-migration-barrier working replicas
 * without us, when we have the smallest name among the replicas of the
 * masters with max_slaves, and after the first orphan with slots (in the
 * table's order) has been one for MIGRATION_DELAY, so its own replicas
 * have time to announce a failover first. */
static void handleReplicaMigration(int max_slaves) {
    if (cstate->state != CBUS_STATE_OK || !myself->slaveof) return;
    if (myMastersWorkingSlaves() <= server.cluster.migration_barrier) return;
    clusterNode *target = NULL, *candidate = myself;
    dictIterator *di = dictGetSafeIterator(cstate->nodes);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        if (trackOrphan(n) && !target && n->numslots > 0) target = n;
        if (!nodeIsMaster(n) || clusterCountNonFailingSlaves(n) != max_slaves) continue;
        for (int j = 0; j < n->numslaves; j++)
            if (memcmp(n->slaves[j]->name, candidate->name, CBUS_NAMELEN) < 0) candidate = n->slaves[j];
    }
    dictReleaseIterator(di);
    if (target && candidate == myself && mstime() - target->orphaned_time > MIGRATION_DELAY) {
        serverLog(LL_NOTICE, "Migrating to orphaned master %.40s", target->name);
        clusterSetMyMaster(target);
    }
}

/* ------------------------------------------------------------- cron */

/* Pings one of five random nodes: the one that answered longest ago. */
static void pingRandomNode(void) {
    clusterNode *min = NULL;
    for (int j = 0; j < 5 && dictSize(cstate->nodes); j++) {
        dictEntry *de = dictGetRandomKey(cstate->nodes);
        clusterNode *n = dictGetVal(de);
        if (!n->link || n->ping_sent != 0 || n == myself || (n->flags & CBUS_NODE_HANDSHAKE)) continue;
        if (!min || n->pong_received < min->pong_received) min = n;
    }
    if (min) clusterSendPing(min->link, CBUS_PING);
}

/* Reconnects, pings and marks PFAIL; returns 1 if a node became PFAIL. */
static int checkNode(clusterNode *n, long long now) {
    long long timeout = server.cluster.node_timeout;
    long long ping_delay = now - n->ping_sent, data_delay = now - n->data_received;
    if (n->link && now - n->link->ctime > timeout && n->ping_sent && ping_delay > timeout / 2 &&
        data_delay > timeout / 2) {
        clusterFreeLink(n->link);
    }
    if (n->link && n->ping_sent == 0 && now - n->pong_received > timeout / 2) {
        clusterSendPing(n->link, CBUS_PING);
        return 0;
    }
    if (cstate->mf_end && nodeIsMaster(myself) && cstate->mf_slave == n && n->link) {
        clusterSendPing(n->link, CBUS_PING);
        return 0;
    }
    if (n->ping_sent == 0) return 0;
    long long delay = ping_delay < data_delay ? ping_delay : data_delay;
    if (delay > timeout && !(n->flags & (CBUS_NODE_PFAIL | CBUS_NODE_FAIL))) {
        serverLog(LL_DEBUG, "*** NODE %.40s possibly failing", n->name);
        n->flags |= CBUS_NODE_PFAIL;
        return 1;
    }
    return 0;
}

/* The announced hostname and address, which CONFIG SET may change. */
static void updateMyHostname(void) {
    const char *h = server.cluster.announce_hostname ? server.cluster.announce_hostname : "";
    clusterNodeSetHostname(myself, h, strlen(h));
    const char *ip = server.cluster.announce_ip;
    if (ip && ip[0] && strlen(ip) < CBUS_IPLEN && strcmp(ip, myself->ip) != 0) {
        memcpy(myself->ip, ip, strlen(ip) + 1);
        cstate->todo_before_sleep |= CLUSTER_TODO_SAVE_CONFIG;
    }
}

void clusterCron(void) {
    static long long iteration;
    long long now = mstime();
    long long handshake_timeout = server.cluster.node_timeout < 1000 ? 1000 : server.cluster.node_timeout;
    iteration++;
    updateMyHostname();
    cstate->stats_pfail_nodes = 0;
    dictIterator *di = dictGetSafeIterator(cstate->nodes);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        if (n == myself) continue;
        clusterFreeLinksOverLimit(n);
        if (!nodeHasAddr(n)) continue;
        if (n->flags & CBUS_NODE_PFAIL) cstate->stats_pfail_nodes++;
        if (nodeInHandshake(n) && now - n->ctime > handshake_timeout) {
            clusterDelNode(n);
            continue;
        }
        if (n->link == NULL) clusterConnectLink(n);
    }
    dictReleaseIterator(di);
    if (iteration % 10 == 0) {
        pingRandomNode();
        clusterRedirectBlockedClients();
    }
    int update = 0;
    di = dictGetSafeIterator(cstate->nodes);
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        if (n == myself || !nodeHasAddr(n) || nodeInHandshake(n)) continue;
        update |= checkNode(n, now);
    }
    dictReleaseIterator(di);
    if (nodeIsSlave(myself) && !server.repl.masterhost && myself->slaveof && nodeHasAddr(myself->slaveof))
        replicationSetMaster(myself->slaveof->ip, myself->slaveof->port);
    manualFailoverCheckTimeout();
    if (nodeIsSlave(myself)) {
        orphanCensus oc;
        takeOrphanCensus(&oc);
        clusterHandleManualFailover();
        handleReplicaFailover();
        /* Moving needs a master with two working replicas at least. */
        if (oc.orphaned && oc.max_slaves >= 2 && oc.my_slaves == oc.max_slaves &&
            server.cluster.allow_replica_migration)
            handleReplicaMigration(oc.max_slaves);
    }
    if (update || cstate->state == CBUS_STATE_FAIL) clusterUpdateState();
}

void clusterDoBeforeSleep(int flags) {
    cstate->todo_before_sleep |= flags;
}

void clusterBeforeSleep(void) {
    if (!server.cluster.enabled) return;
    int flags = cstate->todo_before_sleep;
    cstate->todo_before_sleep = 0;
    if (flags & CLUSTER_TODO_HANDLE_MANUALFAILOVER) {
        if (nodeIsSlave(myself)) {
            clusterHandleManualFailover();
            handleReplicaFailover();
        }
    } else if (flags & CLUSTER_TODO_HANDLE_FAILOVER) {
        handleReplicaFailover();
    }
    if (flags & CLUSTER_TODO_UPDATE_STATE) clusterUpdateState();
    if (flags & CLUSTER_TODO_SAVE_CONFIG) clusterSaveConfigOrDie((flags & CLUSTER_TODO_FSYNC_CONFIG) != 0);
}

/* ------------------------------------------------------------ reset */

void clusterReset(int hard) {
    if (nodeIsSlave(myself)) {
        clusterSetNodeAsMaster(myself);
        replicationUnsetMaster();
        emptyData(-1);
    }
    clusterCloseAllSlots();
    clusterResetManualFailover();
    for (int j = 0; j < CLUSTER_SLOTS; j++) clusterDelSlot(j);
    dictIterator *di = dictGetSafeIterator(cstate->nodes);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        if (n != myself) clusterDelNode(n);
    }
    dictReleaseIterator(di);
    if (hard) {
        cstate->current_epoch = 0;
        cstate->last_vote_epoch = 0;
        myself->config_epoch = 0;
        serverLog(LL_NOTICE, "configEpoch set to 0 via CLUSTER RESET HARD");
        char name[CBUS_NAMELEN];
        getRandomHexChars(name, CBUS_NAMELEN);
        clusterRenameNode(myself, name);
        serverLog(LL_NOTICE, "Node hard reset, now I'm %.40s", myself->name);
    }
    cstate->todo_before_sleep |= CLUSTER_TODO_SAVE_CONFIG | CLUSTER_TODO_UPDATE_STATE | CLUSTER_TODO_FSYNC_CONFIG;
}

/* ------------------------------------------------------------- init */

int clusterBasePort(void) {
    return server.tls.cluster ? server.tls.port : server.net.port;
}

int clusterBusPort(void) {
    return server.cluster.port ? server.cluster.port : clusterBasePort() + 10000;
}

/* The ports we announce: the client port (the TLS one with tls-cluster,
 * the plain one then going as pport, for clients without TLS) and the bus
 * port, each overridden by its cluster-announce-* directive. */
static void setAnnouncedPorts(void) {
    myself->port = clusterBasePort();
    myself->pport = server.tls.cluster ? server.net.port : 0;
    if (server.tls.cluster && server.cluster.announce_tls_port) {
        myself->port = server.cluster.announce_tls_port;
        myself->pport = server.cluster.announce_port;
    } else if (server.cluster.announce_port) {
        myself->port = server.cluster.announce_port;
    }
    myself->cport = server.cluster.announce_bus_port ? server.cluster.announce_bus_port : clusterBusPort();
}

int clusterNodeClientPort(const clusterNode *n, const client *c) {
    int plain = server.tls.cluster && c && c->conn && c->conn->type != tlsConnectionType();
    return plain && n->pport ? n->pport : n->port;
}

void clusterInit(void) {
    cstate = zcalloc(sizeof(*cstate));
    cstate->state = CBUS_STATE_FAIL;
    cstate->nodes = dictCreate(&sdsSetDictType);
    cstate->blacklist = dictCreate(&sdsSetDictType);
    cstate->mf_master_offset = -1;
    cstate->lock_fd = -1;
    if (clusterLoadConfig(server.cluster.configfile) == C_ERR) {
        myself = clusterCreateNode(NULL, CBUS_NODE_MYSELF | CBUS_NODE_MASTER);
        clusterAddNode(myself);
        serverLog(LL_NOTICE, "No cluster configuration found, I'm %.40s", myself->name);
        clusterSaveConfigOrDie(1);
    }
    int port = clusterBasePort();
    if (port > 65535 - 10000 && server.cluster.port == 0) {
        serverLog(LL_WARNING, "Redis port number too high. Cluster communication port is 10,000 port numbers higher "
                              "than your Redis port. Your Redis port number must be 55535 or less.");
        exit(1);
    }
    if (clusterListen() != C_OK) {
        serverLog(LL_WARNING, "Failed listening on port %d (cluster), aborting.", clusterBusPort());
        exit(1);
    }
    setAnnouncedPorts();
    updateMyHostname();
    cstate->todo_before_sleep = 0;
    clusterUpdateState();
}
