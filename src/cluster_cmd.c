/* cluster_cmd.c — the CLUSTER command and its subcommands.
 *
 * Each subcommand is its own handler in the command table (commands.def);
 * this file checks arguments with Redis 7.0's error texts and calls into
 * the cluster state (cluster.c). Changes of configuration are saved before
 * the loop sleeps, fsynced except SETSLOT's (as Redis 7.0: a reshard sends
 * several per slot; the epoch bump of a slot's handover is fsynced by
 * itself). With cluster-enabled no, every subcommand
 * answers "This instance has cluster support disabled".
 */
#include "server.h"
#include "cluster_internal.h"

#include <errno.h>
#include <string.h>

static int disabled(client *c) {
    if (server.cluster.enabled) return 0;
    addReplyError(c, "This instance has cluster support disabled");
    return 1;
}

static void changed(int fsync) {
    clusterDoBeforeSleep(CLUSTER_TODO_UPDATE_STATE | CLUSTER_TODO_SAVE_CONFIG |
                         (fsync ? CLUSTER_TODO_FSYNC_CONFIG : 0));
}

/* A slot number argument, or -1 after replying the error. */
static int slotOrReply(client *c, robj *o) {
    long long slot;
    if (getLongLongFromObject(o, &slot) != C_OK || slot < 0 || slot >= CLUSTER_SLOTS) {
        addReplyError(c, "Invalid or out of range slot");
        return -1;
    }
    return (int)slot;
}

static clusterNode *nodeOrReply(client *c, robj *name, const char *err) {
    clusterNode *n = clusterLookupNode(name->ptr, sdslen(name->ptr));
    if (!n) addReplyErrorFormat(c, "%s %s", err, (char *)name->ptr);
    return n;
}

/* ------------------------------------------------------------- info */

static const char *stat_names[CBUS_TYPE_COUNT] = {"ping",     "pong",   "meet",    "fail",   "publish",     "auth-req",
                                                  "auth-ack", "update", "mfstart", "module", "publishshard"};

static sds catMessageStats(sds s, const long long *stats, const char *dir) {
    long long total = 0;
    for (int j = 0; j < CBUS_TYPE_COUNT; j++) {
        if (!stats[j]) continue;
        total += stats[j];
        s = sdscatprintf(s, "cluster_stats_messages_%s_%s:%lld\r\n", stat_names[j], dir, stats[j]);
    }
    return sdscatprintf(s, "cluster_stats_messages_%s:%lld\r\n", dir, total);
}

void clusterInfoCommand(client *c) {
    if (disabled(c)) return;
    int assigned = 0, ok = 0, pfail = 0, fail = 0;
    for (int j = 0; j < CLUSTER_SLOTS; j++) {
        clusterNode *n = cstate->slots[j];
        if (!n) continue;
        assigned++;
        if (nodeFailed(n))
            fail++;
        else if (nodeTimedOut(n))
            pfail++;
        else
            ok++;
    }
    uint64_t myepoch = (nodeIsSlave(myself) && myself->slaveof) ? myself->slaveof->config_epoch : myself->config_epoch;
    sds s =
        sdscatprintf(sdsempty(),
                     "cluster_state:%s\r\ncluster_slots_assigned:%d\r\ncluster_slots_ok:%d\r\n"
                     "cluster_slots_pfail:%d\r\ncluster_slots_fail:%d\r\ncluster_known_nodes:%lu\r\n"
                     "cluster_size:%d\r\ncluster_current_epoch:%llu\r\ncluster_my_epoch:%llu\r\n",
                     cstate->state == CBUS_STATE_OK ? "ok" : "fail", assigned, ok, pfail, fail, dictSize(cstate->nodes),
                     cstate->size, (unsigned long long)cstate->current_epoch, (unsigned long long)myepoch);
    s = catMessageStats(s, cstate->stats_sent, "sent");
    s = catMessageStats(s, cstate->stats_received, "received");
    s = sdscatprintf(s, "total_cluster_links_buffer_limit_exceeded:%lld\r\n", cstate->links_buffer_limit_exceeded);
    addReplyVerbatim(c, s, sdslen(s), "txt");
    sdsfree(s);
}

void clusterMyidCommand(client *c) {
    if (disabled(c)) return;
    addReplyBulkCBuffer(c, myself->name, CBUS_NAMELEN);
}

void clusterNodesCommand(client *c) {
    if (disabled(c)) return;
    sds s = clusterGenNodesDescription(0, c);
    addReplyVerbatim(c, s, sdslen(s), "txt");
    sdsfree(s);
}

static void replyReplicas(client *c) {
    if (disabled(c)) return;
    clusterNode *n = nodeOrReply(c, c->argv[2], "Unknown node");
    if (!n) return;
    if (nodeIsSlave(n)) {
        addReplyError(c, "The specified node is not a master");
        return;
    }
    addReplyArrayLen(c, n->numslaves);
    for (int j = 0; j < n->numslaves; j++) {
        sds s = clusterGenNodeDescription(sdsempty(), n->slaves[j], c);
        addReplyBulkSds(c, s);
    }
}

void clusterReplicasCommand(client *c) {
    replyReplicas(c);
}

void clusterSlavesCommand(client *c) {
    replyReplicas(c);
}

void clusterKeyslotCommand(client *c) {
    if (disabled(c)) return;
    sds key = c->argv[2]->ptr;
    addReplyLongLong(c, keyHashSlot(key, sdslen(key)));
}

void clusterCountfailurereportsCommand(client *c) {
    if (disabled(c)) return;
    clusterNode *n = nodeOrReply(c, c->argv[2], "Unknown node");
    if (n) addReplyLongLong(c, clusterNodeFailureReportsCount(n));
}

/* ------------------------------------------------------ slots, shards */

static const char *preferredEndpoint(const clusterNode *n) {
    switch (server.cluster.preferred_endpoint_type) {
    case 1: return sdslen(n->hostname) ? n->hostname : "?";
    case 2: return "?";
    default: return n->ip;
    }
}

/* One node of a CLUSTER SLOTS range: endpoint, port, id, then a map of
 * the other endpoints clients may use. */
static void replySlotsNode(client *c, const clusterNode *n) {
    int hostname_extra = server.cluster.preferred_endpoint_type != 1 && sdslen(n->hostname);
    int ip_extra = server.cluster.preferred_endpoint_type != 0 && n->ip[0];
    addReplyArrayLen(c, 4);
    addReplyBulkCString(c, preferredEndpoint(n));
    addReplyLongLong(c, clusterNodeClientPort(n, c));
    addReplyBulkCBuffer(c, n->name, CBUS_NAMELEN);
    addReplyMapLen(c, hostname_extra + ip_extra);
    if (ip_extra) {
        addReplyBulkCString(c, "ip");
        addReplyBulkCString(c, n->ip);
    }
    if (hostname_extra) {
        addReplyBulkCString(c, "hostname");
        addReplyBulkCString(c, n->hostname);
    }
}

static long long nodeOffset(const clusterNode *n) {
    return n == myself ? clusterReplicationOffset() : n->repl_offset;
}

/* A replica is listed by CLUSTER SLOTS once it can serve reads: not
 * failed, and past its first sync (a non-zero offset), as 7.0 lists them. */
static int replicaServesReads(const clusterNode *n) {
    return !nodeFailed(n) && nodeOffset(n) != 0;
}

static void replySlotsRange(client *c, clusterNode *n, int start, int end) {
    int replicas = 0;
    for (int j = 0; j < n->numslaves; j++)
        if (replicaServesReads(n->slaves[j])) replicas++;
    addReplyArrayLen(c, 3 + replicas);
    addReplyLongLong(c, start);
    addReplyLongLong(c, end);
    replySlotsNode(c, n);
    for (int j = 0; j < n->numslaves; j++)
        if (replicaServesReads(n->slaves[j])) replySlotsNode(c, n->slaves[j]);
}

void clusterSlotsCommand(client *c) {
    if (disabled(c)) return;
    void *len = addReplyDeferredLen(c);
    long ranges = 0;
    int start = -1;
    for (int j = 0; j <= CLUSTER_SLOTS; j++) {
        clusterNode *n = j < CLUSTER_SLOTS ? cstate->slots[j] : NULL;
        if (start != -1 && (n == NULL || n != cstate->slots[start])) {
            replySlotsRange(c, cstate->slots[start], start, j - 1);
            ranges++;
            start = -1;
        }
        if (n && start == -1) start = j;
    }
    setDeferredArrayLen(c, len, ranges);
}

static void replyShardNode(client *c, clusterNode *n) {
    long long offset = nodeOffset(n);
    int has_hostname = sdslen(n->hostname) > 0;
    /* With tls-cluster the announced port is the TLS one, pport the plain. */
    int port = server.tls.cluster ? n->pport : n->port, tls_port = server.tls.cluster ? n->port : 0;
    addReplyMapLen(c, 6 + has_hostname + (port != 0) + (tls_port != 0));
    addReplyBulkCString(c, "id");
    addReplyBulkCBuffer(c, n->name, CBUS_NAMELEN);
    if (port) {
        addReplyBulkCString(c, "port");
        addReplyLongLong(c, port);
    }
    if (tls_port) {
        addReplyBulkCString(c, "tls-port");
        addReplyLongLong(c, tls_port);
    }
    addReplyBulkCString(c, "ip");
    addReplyBulkCString(c, n->ip);
    addReplyBulkCString(c, "endpoint");
    addReplyBulkCString(c, preferredEndpoint(n));
    if (has_hostname) {
        addReplyBulkCString(c, "hostname");
        addReplyBulkCString(c, n->hostname);
    }
    addReplyBulkCString(c, "role");
    addReplyBulkCString(c, nodeIsMaster(n) ? "master" : "replica");
    addReplyBulkCString(c, "replication-offset");
    addReplyLongLong(c, offset);
    addReplyBulkCString(c, "health");
    addReplyBulkCString(c, nodeFailed(n) ? "failed" : (nodeIsSlave(n) && offset == 0) ? "loading" : "online");
}

static void replyShard(client *c, clusterNode *master) {
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "slots");
    void *len = addReplyDeferredLen(c);
    long count = 0;
    int start = -1;
    for (int j = 0; j <= CLUSTER_SLOTS; j++) {
        int has = j < CLUSTER_SLOTS && clusterNodeHasSlot(master, j);
        if (has && start == -1) start = j;
        if (!has && start != -1) {
            addReplyLongLong(c, start);
            addReplyLongLong(c, j - 1);
            count += 2;
            start = -1;
        }
    }
    setDeferredArrayLen(c, len, count);
    addReplyBulkCString(c, "nodes");
    addReplyArrayLen(c, 1 + master->numslaves);
    replyShardNode(c, master);
    for (int j = 0; j < master->numslaves; j++) replyShardNode(c, master->slaves[j]);
}

void clusterShardsCommand(client *c) {
    if (disabled(c)) return;
    void *len = addReplyDeferredLen(c);
    long shards = 0;
    dictIterator *di = dictGetIterator(cstate->nodes);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        if (!nodeIsMaster(n)) continue;
        replyShard(c, n);
        shards++;
    }
    dictReleaseIterator(di);
    setDeferredArrayLen(c, len, shards);
}

static void replyLink(client *c, clusterLink *link, const char *dir) {
    addReplyMapLen(c, 6);
    addReplyBulkCString(c, "direction");
    addReplyBulkCString(c, dir);
    addReplyBulkCString(c, "node");
    addReplyBulkCBuffer(c, link->node->name, CBUS_NAMELEN);
    addReplyBulkCString(c, "create-time");
    addReplyLongLong(c, link->ctime);
    addReplyBulkCString(c, "events");
    addReplyBulkCString(c, link->conn && connHasWriteHandler(link->conn) ? "rw" : "r");
    addReplyBulkCString(c, "send-buffer-allocated");
    addReplyLongLong(c, (long long)sdsalloc(link->sndbuf));
    addReplyBulkCString(c, "send-buffer-used");
    addReplyLongLong(c, (long long)sdslen(link->sndbuf));
}

void clusterLinksCommand(client *c) {
    if (disabled(c)) return;
    void *len = addReplyDeferredLen(c);
    long links = 0;
    dictIterator *di = dictGetIterator(cstate->nodes);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        if (n->link) {
            replyLink(c, n->link, "to");
            links++;
        }
        if (n->inbound_link) {
            replyLink(c, n->inbound_link, "from");
            links++;
        }
    }
    dictReleaseIterator(di);
    setDeferredArrayLen(c, len, links);
}

/* ----------------------------------------------------- slot ownership */

/* Parses argv[2..] into slots[] (1 for each slot named); replies and
 * returns C_ERR on a bad slot, a range the wrong way round or a slot named
 * twice. ranges: arguments come as start/end pairs. */
static int parseSlots(client *c, int ranges, unsigned char *slots) {
    if (ranges && c->argc % 2 == 1) {
        addReplyErrorArity(c);
        return C_ERR;
    }
    for (int j = 2; j < c->argc; j += ranges ? 2 : 1) {
        int start = slotOrReply(c, c->argv[j]);
        if (start == -1) return C_ERR;
        int end = start;
        if (ranges) {
            end = slotOrReply(c, c->argv[j + 1]);
            if (end == -1) return C_ERR;
            if (start > end) {
                addReplyErrorFormat(c, "start slot number %d is greater than end slot number %d", start, end);
                return C_ERR;
            }
        }
        for (int s = start; s <= end; s++) {
            if (slots[s]) {
                addReplyErrorFormat(c, "Slot %d specified multiple times", s);
                return C_ERR;
            }
            slots[s] = 1;
        }
    }
    return C_OK;
}

static void addOrDelSlots(client *c, int add, int ranges) {
    if (disabled(c)) return;
    unsigned char *slots = zcalloc(CLUSTER_SLOTS);
    if (parseSlots(c, ranges, slots) != C_OK) goto done;
    for (int j = 0; j < CLUSTER_SLOTS; j++) {
        if (!slots[j]) continue;
        if (add && cstate->slots[j]) {
            addReplyErrorFormat(c, "Slot %d is already busy", j);
            goto done;
        }
        if (!add && !cstate->slots[j]) {
            addReplyErrorFormat(c, "Slot %d is already unassigned", j);
            goto done;
        }
    }
    for (int j = 0; j < CLUSTER_SLOTS; j++) {
        if (!slots[j]) continue;
        if (add) {
            cstate->importing_slots_from[j] = NULL;
            clusterAddSlot(myself, j);
        } else {
            clusterDelSlot(j);
        }
    }
    changed(0);
    addReply(c, shared.ok);
done:
    zfree(slots);
}

void clusterAddslotsCommand(client *c) {
    addOrDelSlots(c, 1, 0);
}

void clusterAddslotsrangeCommand(client *c) {
    addOrDelSlots(c, 1, 1);
}

void clusterDelslotsCommand(client *c) {
    addOrDelSlots(c, 0, 0);
}

void clusterDelslotsrangeCommand(client *c) {
    addOrDelSlots(c, 0, 1);
}

void clusterFlushslotsCommand(client *c) {
    if (disabled(c)) return;
    if (dbSize(server.db) != 0) {
        addReplyError(c, "DB must be empty to perform CLUSTER FLUSHSLOTS.");
        return;
    }
    clusterDelNodeSlots(myself);
    changed(0);
    addReply(c, shared.ok);
}

/* A master node named by argv[4] for SETSLOT, or NULL after the reply. */
static clusterNode *setslotTarget(client *c, const char *unknown) {
    clusterNode *n = nodeOrReply(c, c->argv[4], unknown);
    if (n && nodeIsSlave(n)) {
        addReplyError(c, "Target node is not a master");
        return NULL;
    }
    return n;
}

static int setslotNode(client *c, int slot) {
    clusterNode *n = setslotTarget(c, "Unknown node");
    if (!n) return C_ERR;
    if (cstate->slots[slot] == myself && n != myself && dbCountKeysInSlot(server.db, (unsigned)slot) != 0) {
        addReplyErrorFormat(
            c, "Can't assign hashslot %d to a different node while I still hold keys for this hash slot.", slot);
        return C_ERR;
    }
    if (dbCountKeysInSlot(server.db, (unsigned)slot) == 0 && cstate->migrating_slots_to[slot])
        cstate->migrating_slots_to[slot] = NULL;
    if (n == myself && cstate->importing_slots_from[slot]) {
        if (clusterBumpConfigEpochWithoutConsensus() == C_OK)
            serverLog(LL_NOTICE, "configEpoch updated after importing slot %d", slot);
        cstate->importing_slots_from[slot] = NULL;
    }
    int was_mine = cstate->slots[slot] == myself;
    clusterDelSlot(slot);
    clusterAddSlot(n, slot);
    /* A master that gave away its last slot follows the taker (as when a
     * peer's newer claim takes them, clusterUpdateSlotsConfigWith). */
    if (was_mine && n != myself && myself->numslots == 0 && server.cluster.allow_replica_migration) {
        serverLog(LL_WARNING, "Configuration change detected. Reconfiguring myself as a replica of %.40s", n->name);
        clusterSetMyMaster(n);
    }
    return C_OK;
}

void clusterSetslotCommand(client *c) {
    if (disabled(c)) return;
    if (nodeIsSlave(myself)) {
        addReplyError(c, "Please use SETSLOT only with masters.");
        return;
    }
    int slot = slotOrReply(c, c->argv[2]);
    if (slot == -1) return;
    const char *action = c->argv[3]->ptr;
    clusterNode *n;
    if (!strcasecmp(action, "migrating") && c->argc == 5) {
        if (cstate->slots[slot] != myself) {
            addReplyErrorFormat(c, "I'm not the owner of hash slot %u", slot);
            return;
        }
        if (!(n = setslotTarget(c, "I don't know about node"))) return;
        cstate->migrating_slots_to[slot] = n;
    } else if (!strcasecmp(action, "importing") && c->argc == 5) {
        if (cstate->slots[slot] == myself) {
            addReplyErrorFormat(c, "I'm already the owner of hash slot %u", slot);
            return;
        }
        if (!(n = setslotTarget(c, "I don't know about node"))) return;
        cstate->importing_slots_from[slot] = n;
    } else if (!strcasecmp(action, "stable") && c->argc == 4) {
        cstate->migrating_slots_to[slot] = NULL;
        cstate->importing_slots_from[slot] = NULL;
    } else if (!strcasecmp(action, "node") && c->argc == 5) {
        if (setslotNode(c, slot) != C_OK) return;
    } else {
        addReplyError(c, "Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP");
        return;
    }
    changed(0);
    addReply(c, shared.ok);
}

void clusterCountkeysinslotCommand(client *c) {
    if (disabled(c)) return;
    long long slot;
    if (getLongLongFromObjectOrReply(c, c->argv[2], &slot, NULL) != C_OK) return;
    if (slot < 0 || slot >= CLUSTER_SLOTS) {
        addReplyError(c, "Invalid slot");
        return;
    }
    addReplyLongLong(c, (long long)dbCountKeysInSlot(server.db, (unsigned)slot));
}

void clusterGetkeysinslotCommand(client *c) {
    if (disabled(c)) return;
    long long slot, max;
    if (getLongLongFromObjectOrReply(c, c->argv[2], &slot, NULL) != C_OK ||
        getLongLongFromObjectOrReply(c, c->argv[3], &max, NULL) != C_OK)
        return;
    if (slot < 0 || slot >= CLUSTER_SLOTS || max < 0) {
        addReplyError(c, "Invalid slot or number of keys");
        return;
    }
    unsigned long long have = dbCountKeysInSlot(server.db, (unsigned)slot);
    unsigned int count = (unsigned int)((unsigned long long)max < have ? (unsigned long long)max : have);
    robj **keys = zmalloc(sizeof(robj *) * (count ? count : 1));
    unsigned int n = dbGetKeysInSlot(server.db, (unsigned)slot, keys, count);
    addReplyArrayLen(c, n);
    for (unsigned int j = 0; j < n; j++) {
        addReplyBulk(c, keys[j]);
        decrRefCount(keys[j]);
    }
    zfree(keys);
}

/* ------------------------------------------------------- membership */

void clusterMeetCommand(client *c) {
    if (disabled(c)) return;
    long long port, cport;
    if (getLongLongFromObject(c->argv[3], &port) != C_OK) {
        addReplyErrorFormat(c, "Invalid TCP base port specified: %s", (char *)c->argv[3]->ptr);
        return;
    }
    if (c->argc > 5) {
        addReplyErrorArity(c);
        return;
    }
    if (c->argc == 5) {
        if (getLongLongFromObject(c->argv[4], &cport) != C_OK) {
            addReplyErrorFormat(c, "Invalid TCP bus port specified: %s", (char *)c->argv[4]->ptr);
            return;
        }
    } else {
        cport = port + 10000;
    }
    if (!clusterStartHandshake(c->argv[2]->ptr, (int)port, (int)cport) && errno == EINVAL) {
        addReplyErrorFormat(c, "Invalid node address specified: %s:%s", (char *)c->argv[2]->ptr,
                            (char *)c->argv[3]->ptr);
        return;
    }
    addReply(c, shared.ok);
}

void clusterForgetCommand(client *c) {
    if (disabled(c)) return;
    clusterNode *n = nodeOrReply(c, c->argv[2], "Unknown node");
    if (!n) return;
    if (n == myself) {
        addReplyError(c, "I tried hard but I can't forget myself...");
        return;
    }
    if (nodeIsSlave(myself) && myself->slaveof == n) {
        addReplyError(c, "Can't forget my master!");
        return;
    }
    clusterBlacklistAdd(n->name);
    clusterDelNode(n);
    changed(0);
    addReply(c, shared.ok);
}

void clusterReplicateCommand(client *c) {
    if (disabled(c)) return;
    clusterNode *n = nodeOrReply(c, c->argv[2], "Unknown node");
    if (!n) return;
    if (n == myself) {
        addReplyError(c, "Can't replicate myself");
        return;
    }
    if (nodeIsSlave(n)) {
        addReplyError(c, "I can only replicate a master, not a replica.");
        return;
    }
    if (nodeIsMaster(myself) && (myself->numslots != 0 || dbSize(server.db) != 0)) {
        addReplyError(c, "To set a master the node must be empty and without assigned slots.");
        return;
    }
    clusterSetMyMaster(n);
    changed(1);
    addReply(c, shared.ok);
}

void clusterResetCommand(client *c) {
    if (disabled(c)) return;
    int hard = 0;
    if (c->argc == 3) {
        if (!strcasecmp(c->argv[2]->ptr, "hard")) {
            hard = 1;
        } else if (strcasecmp(c->argv[2]->ptr, "soft") != 0) {
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
    } else if (c->argc > 3) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    if (nodeIsMaster(myself) && dbSize(server.db) != 0) {
        addReplyError(c, "CLUSTER RESET can't be called with master nodes containing keys");
        return;
    }
    clusterReset(hard);
    addReply(c, shared.ok);
}

void clusterSaveconfigCommand(client *c) {
    if (disabled(c)) return;
    if (clusterSaveConfig(1) == C_OK)
        addReply(c, shared.ok);
    else
        addReplyErrorFormat(c, "error saving the cluster node config: %s", strerror(errno));
}

void clusterSetconfigepochCommand(client *c) {
    if (disabled(c)) return;
    long long epoch;
    if (getLongLongFromObjectOrReply(c, c->argv[2], &epoch, NULL) != C_OK) return;
    if (epoch < 0) {
        addReplyErrorFormat(c, "Invalid config epoch specified: %lld", epoch);
    } else if (dictSize(cstate->nodes) > 1) {
        addReplyError(c, "The user can assign a config epoch only when the node does not know any other node.");
    } else if (myself->config_epoch != 0) {
        addReplyError(c, "Node config epoch is already non-zero");
    } else {
        myself->config_epoch = (uint64_t)epoch;
        serverLog(LL_NOTICE, "configEpoch set to %llu via CLUSTER SET-CONFIG-EPOCH",
                  (unsigned long long)myself->config_epoch);
        if (cstate->current_epoch < (uint64_t)epoch) cstate->current_epoch = (uint64_t)epoch;
        changed(1);
        addReply(c, shared.ok);
    }
}

void clusterBumpepochCommand(client *c) {
    if (disabled(c)) return;
    int bumped = clusterBumpConfigEpochWithoutConsensus() == C_OK;
    sds status =
        sdscatprintf(sdsempty(), "%s %llu", bumped ? "BUMPED" : "STILL", (unsigned long long)myself->config_epoch);
    addReplyStatusLength(c, status, sdslen(status));
    sdsfree(status);
}

void clusterFailoverCommand(client *c) {
    if (disabled(c)) return;
    int force = 0, takeover = 0;
    if (c->argc == 3) {
        if (!strcasecmp(c->argv[2]->ptr, "force"))
            force = 1;
        else if (!strcasecmp(c->argv[2]->ptr, "takeover"))
            takeover = force = 1;
        else {
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
    } else if (c->argc > 3) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    if (nodeIsMaster(myself)) {
        addReplyError(c, "You should send CLUSTER FAILOVER to a replica");
        return;
    }
    if (myself->slaveof == NULL) {
        addReplyError(c, "I'm a replica but my master is unknown to me");
        return;
    }
    if (!force && (nodeFailed(myself->slaveof) || myself->slaveof->link == NULL)) {
        addReplyError(c, "Master is down or failed, please use CLUSTER FAILOVER FORCE");
        return;
    }
    clusterStartManualFailover(force, takeover);
    addReply(c, shared.ok);
}

void clusterHelpCommand(client *c) {
    const char *help[] = {
        "ADDSLOTS <slot> [<slot> ...]",
        "    Give these hash slots to this node.",
        "ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
        "    Give the hash slots of these ranges (ends included) to this node.",
        "BUMPEPOCH",
        "    Move this node's config epoch past every epoch it knows.",
        "COUNT-FAILURE-REPORTS <node-id>",
        "    How many masters currently report <node-id> as failing.",
        "COUNTKEYSINSLOT <slot>",
        "    How many keys this node holds in <slot>.",
        "DELSLOTS <slot> [<slot> ...]",
        "    Forget who serves these hash slots.",
        "DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
        "    Forget who serves the hash slots of these ranges (ends included).",
        "FAILOVER [FORCE|TAKEOVER]",
        "    Have this replica take its master's place.",
        "FORGET <node-id>",
        "    Drop <node-id> from this node's view (for a minute at least).",
        "GETKEYSINSLOT <slot> <count>",
        "    Up to <count> key names this node holds in <slot>.",
        "FLUSHSLOTS",
        "    Forget every hash slot this node serves.",
        "INFO",
        "    The state of the cluster as this node sees it.",
        "KEYSLOT <key>",
        "    The hash slot <key> belongs to.",
        "MEET <ip> <port> [<bus-port>]",
        "    Introduce the node at <ip>:<port> to this cluster.",
        "MYID",
        "    The id of this node.",
        "NODES",
        "    Every node this node knows, one per line:",
        "    <id> <ip:port@cport[,hostname]> <flags> <master> <ping-sent> <pong-recv> <config-epoch> <link> <slot> ...",
        "REPLICATE <node-id>",
        "    Make this node a replica of the master <node-id>.",
        "RESET [HARD|SOFT]",
        "    Forget every other node and every slot (HARD: also the epochs and this node's id).",
        "SET-CONFIG-EPOCH <epoch>",
        "    Give a fresh node its config epoch.",
        "SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)",
        "    Mark a hash slot as moving in, moving out, settled, or served by <node-id>.",
        "REPLICAS <node-id>",
        "    The replicas of master <node-id>, in the NODES format.",
        "SAVECONFIG",
        "    Write the cluster configuration to its file now.",
        "SLOTS",
        "    The ranges of hash slots with, for each, its master and replicas (endpoint, port, id).",
        "SHARDS",
        "    The shards of the cluster: their hash slots and their nodes.",
        "LINKS",
        "    The bus links between this node and the others, one map each.",
        NULL};
    addReplyHelp(c, help);
}
