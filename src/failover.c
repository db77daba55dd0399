/* failover.c — FAILOVER: a primary hands its role to one of its replicas
 * without losing a write.
 *
 * FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms] walks three states,
 * shown in INFO replication as master_failover_state:
 *
 *   no-failover        the normal state;
 *   waiting-for-sync   writes are paused (a PAUSE_DURING_FAILOVER pause
 *                      of type WRITE, which CLIENT UNPAUSE does not end)
 *                      and no PING enters the stream, so the offset stands
 *                      still; the primary waits until the target (or, with
 *                      no TO, any replica) has acknowledged all of it.
 *                      TIMEOUT ends the wait: the failover is aborted, or
 *                      with FORCE carried on to the target anyway;
 *   failover-in-progress  the primary has made itself a replica of the
 *                      target (keeping its dataset, backlog and history)
 *                      and its handshake sends PSYNC <id> <offset> FAILOVER.
 *                      A target that is a replica of the same history
 *                      takes it as an order to become a primary (the
 *                      PSYNC then continues under its new id); any reply
 *                      that starts a sync ends the failover, writes resume
 *                      (and now get -READONLY), a refusal aborts it: the
 *                      server becomes a primary again.
 *
 * The state lives in server.replication (replication.h). beforeSleep calls
 * failoverUpdate, as ACKs arrive and a deadline may pass; the link code of
 * repl_replica.c asks failoverInProgress when it sends PSYNC and reports
 * the reply with failoverPsyncReplied; psyncCommand hands PSYNC ...
 * FAILOVER to failoverPsyncRequest. Error texts and log lines are Redis
 * 7.0's.
 */
#include "server.h"

#include <string.h>

const char *failoverStateName(void) {
    switch (server.replication.failover_state) {
    case FAILOVER_WAIT_FOR_SYNC: return "waiting-for-sync";
    case FAILOVER_IN_PROGRESS: return "failover-in-progress";
    default: return "no-failover";
    }
}

int failoverInProgress(void) {
    return server.replication.failover_state == FAILOVER_IN_PROGRESS;
}

int failoverActive(void) {
    return server.replication.failover_state != FAILOVER_NONE;
}

/* Back to no-failover: the target forgotten, writes unpaused. */
static void clearFailoverState(void) {
    struct serverReplState *rs = &server.replication;
    rs->failover_state = FAILOVER_NONE;
    rs->failover_end_time = 0;
    rs->failover_force = 0;
    zfree(rs->failover_host);
    rs->failover_host = NULL;
    rs->failover_port = 0;
    unpauseClients(PAUSE_DURING_FAILOVER);
}

/* Gives up: a server already demoted becomes a primary again. */
static void abortFailover(const char *reason) {
    struct serverReplState *rs = &server.replication;
    if (rs->failover_state == FAILOVER_NONE) return;
    if (rs->failover_host)
        serverLog(LL_NOTICE, "FAILOVER to %s:%d aborted: %s", rs->failover_host, rs->failover_port, reason);
    else
        serverLog(LL_NOTICE, "FAILOVER to any replica aborted: %s", reason);
    if (rs->failover_state == FAILOVER_IN_PROGRESS) replicationUnsetMaster();
    clearFailoverState();
}

/* The demotion: from here on this server is a replica of the target. */
static void failOverToTarget(void) {
    struct serverReplState *rs = &server.replication;
    rs->failover_state = FAILOVER_IN_PROGRESS;
    char *host = zstrdup(rs->failover_host);
    replicationSetMaster(host, rs->failover_port);
    zfree(host);
}

void failoverUpdate(void) {
    struct serverReplState *rs = &server.replication;
    if (rs->failover_state != FAILOVER_WAIT_FOR_SYNC) return;
    if (rs->failover_end_time && rs->failover_end_time <= server.mstime) {
        if (rs->failover_force) {
            serverLog(LL_NOTICE, "FAILOVER to %s:%d time out exceeded, failing over.", rs->failover_host,
                      rs->failover_port);
            failOverToTarget();
        } else {
            abortFailover("Replica never caught up before timeout");
        }
        return;
    }
    replicaLink *l = rs->failover_host ? replicationFindReplica(rs->failover_host, rs->failover_port)
                                       : replicationFindSyncedReplica(rs->master_repl_offset);
    if (l == NULL || l->state != REPLICA_STATE_ONLINE || l->ack_off != rs->master_repl_offset) return;
    if (rs->failover_host == NULL) {
        char ip[NET_IP_STR_LEN];
        rs->failover_host = zstrdup(replicationReplicaIp(l, ip, sizeof(ip)));
        rs->failover_port = l->listening_port;
    }
    serverLog(LL_NOTICE, "Failover target %s:%d is synced, failing over.", rs->failover_host, rs->failover_port);
    failOverToTarget();
}

void failoverPsyncReplied(int accepted) {
    if (!failoverInProgress()) return;
    if (accepted)
        clearFailoverState();
    else
        abortFailover("Failover target rejected psync request");
}

int failoverPsyncRequest(client *c) {
    struct serverReplState *rs = &server.replication;
    if (c->argc <= 3 || strcasecmp(c->argv[3]->ptr, "failover")) return 1;
    serverLog(LL_WARNING, "Failover request received for replid %s.", (char *)c->argv[1]->ptr);
    if (!replicationIsReplica()) {
        addReplyError(c, "PSYNC FAILOVER can't be sent to a master.");
        return 0;
    }
    if (strcasecmp(c->argv[1]->ptr, rs->replid)) {
        addReplyError(c, "PSYNC FAILOVER replid must match my replid.");
        return 0;
    }
    replicationUnsetMaster();
    sds ci = catClientInfoString(sdsempty(), c);
    serverLog(LL_NOTICE, "MASTER MODE enabled (failover request from '%s')", ci);
    sdsfree(ci);
    return 1;
}

/* The options of FAILOVER, as parsed. */
typedef struct failoverArgs {
    const char *host;
    long port;
    long long timeout_ms;
    int force, abort;
} failoverArgs;

/* Each option at most once, in any order; C_ERR after an error reply. */
static int parseFailoverArgs(client *c, failoverArgs *a) {
    memset(a, 0, sizeof(*a));
    for (int j = 1; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        int more = c->argc - 1 - j;
        if (!strcasecmp(opt, "to") && a->host == NULL && more >= 2) {
            a->host = c->argv[j + 1]->ptr;
            if (getLongFromObjectOrReply(c, c->argv[j + 2], &a->port, NULL) != C_OK) return C_ERR;
            j += 2;
        } else if (!strcasecmp(opt, "timeout") && more && a->timeout_ms <= 0) {
            if (getLongLongFromObjectOrReply(c, c->argv[++j], &a->timeout_ms, NULL) != C_OK) return C_ERR;
            if (a->timeout_ms <= 0) {
                addReplyError(c, "FAILOVER timeout must be greater than 0");
                return C_ERR;
            }
        } else if (!strcasecmp(opt, "force") && !a->force) {
            a->force = 1;
        } else if (!strcasecmp(opt, "abort") && !a->abort) {
            a->abort = 1;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return C_ERR;
        }
    }
    if (a->abort && (a->host || a->force || a->timeout_ms)) {
        addReplyErrorObject(c, shared.syntaxerr);
        return C_ERR;
    }
    return C_OK;
}

/* The checks of a new failover, in Redis's order; C_ERR after a reply. */
static int failoverAllowed(client *c, const failoverArgs *a) {
    if (replicationIsReplica()) {
        addReplyError(c, "FAILOVER is not valid when server is a replica.");
        return C_ERR;
    }
    if (listLength(server.replication.replicas) == 0) {
        addReplyError(c, "FAILOVER requires connected replicas.");
        return C_ERR;
    }
    if (a->force && (!a->timeout_ms || !a->host)) {
        addReplyError(c, "FAILOVER with force option requires both a timeout and target HOST and IP.");
        return C_ERR;
    }
    if (failoverActive()) {
        addReplyError(c, "FAILOVER already in progress.");
        return C_ERR;
    }
    if (a->host) {
        replicaLink *l = replicationFindReplica(a->host, (int)a->port);
        if (l == NULL) {
            addReplyError(c, "FAILOVER target HOST and PORT is not a replica.");
            return C_ERR;
        }
        if (l->state != REPLICA_STATE_ONLINE) {
            addReplyError(c, "FAILOVER target replica is not online.");
            return C_ERR;
        }
    }
    return C_OK;
}

void failoverCommand(client *c) {
    struct serverReplState *rs = &server.replication;
    failoverArgs a;
    if (parseFailoverArgs(c, &a) != C_OK) return;
    if (a.abort) {
        if (!failoverActive()) {
            addReplyError(c, "No failover in progress.");
            return;
        }
        abortFailover("Failover manually aborted");
        addReply(c, shared.ok);
        return;
    }
    if (failoverAllowed(c, &a) != C_OK) return;
    if (a.host) {
        rs->failover_host = zstrdup(a.host);
        rs->failover_port = (int)a.port;
        serverLog(LL_NOTICE, "FAILOVER requested to %s:%ld.", a.host, a.port);
    } else {
        serverLog(LL_NOTICE, "FAILOVER requested to any replica.");
    }
    rs->failover_force = a.force;
    rs->failover_state = FAILOVER_WAIT_FOR_SYNC;
    rs->failover_end_time = a.timeout_ms ? mstime() + a.timeout_ms : 0;
    pauseClients(PAUSE_DURING_FAILOVER, PAUSE_WRITE, LLONG_MAX);
    addReply(c, shared.ok);
}
