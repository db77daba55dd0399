/* cluster_route.c — which node serves a command, and the redirections.
 *
 * Before a command runs on a cluster node, processCommand asks
 * clusterRedirectClient. The command's keys (found by its key specs, the
 * shard channels of SPUBLISH/SSUBSCRIBE included; for EXEC, the keys of
 * every queued command) must all hash to one slot, or the client gets
 * -CROSSSLOT. That slot's owner serves it: anyone else answers -MOVED
 * <slot> <endpoint>:<port>. A slot being migrated away is still served here
 * for the keys we hold; for a key we no longer have the client is sent to
 * the target with -ASK, and there a command preceded by ASKING is served
 * even though the slot is not yet ours (-TRYAGAIN if only some keys of a
 * multi-key command have arrived). A replica serves reads of its master's
 * slots to a client that sent READONLY. When the cluster is down, commands
 * get -CLUSTERDOWN unless cluster-allow-reads-when-down lets reads through
 * (and cluster-allow-pubsubshard-when-down, shard pub/sub).
 */
#include "server.h"
#include "cluster_internal.h"

#include <string.h>

enum {
    ROUTE_OK,
    ROUTE_CROSSSLOT,
    ROUTE_UNSTABLE,
    ROUTE_ASK,
    ROUTE_MOVED,
    ROUTE_DOWN_STATE,
    ROUTE_DOWN_RO_STATE,
    ROUTE_DOWN_UNBOUND
};

/* What the keys of one command line tell, accumulated over a transaction. */
typedef struct routeScan {
    int have_slot, slot, multiple_keys, missing_keys, migrating, importing;
    clusterNode *node;
} routeScan;

/* Adds the keys of cmd/argv to the scan; returns ROUTE_OK or an error. */
static int scanKeys(routeScan *rs, struct redisCommand *cmd, robj **argv, int argc) {
    getKeysResult result = GETKEYS_RESULT_INIT;
    int numkeys = getKeysFromCommandWithSpecs(cmd, argv, argc, GET_KEYSPEC_INCLUDE_NOT_KEYS, &result);
    int err = ROUTE_OK;
    for (int j = 0; j < numkeys && err == ROUTE_OK; j++) {
        robj *key = argv[result.keys[j].pos];
        int slot = (int)keyHashSlot(key->ptr, sdslen(key->ptr));
        if (!rs->have_slot) {
            rs->have_slot = 1;
            rs->slot = slot;
            rs->node = cstate->slots[slot];
            if (rs->node == NULL) {
                err = ROUTE_DOWN_UNBOUND;
                break;
            }
            if (rs->node == myself && cstate->migrating_slots_to[slot])
                rs->migrating = 1;
            else if (cstate->importing_slots_from[slot])
                rs->importing = 1;
        } else if (rs->slot != slot) {
            err = ROUTE_CROSSSLOT;
            break;
        } else {
            rs->multiple_keys = 1;
        }
        if ((rs->migrating || rs->importing) && dbPeek(server.db, key) == NULL) rs->missing_keys++;
    }
    getKeysFreeResult(&result);
    return err;
}

static int isShardPubsub(struct redisCommand *cmd) {
    return cmd->proc == spublishCommand || cmd->proc == ssubscribeCommand || cmd->proc == sunsubscribeCommand;
}

/* The node that must serve c's command (NULL: nobody), with *code saying
 * why when it is not this one, and *slot the slot of its keys. */
static clusterNode *nodeForQuery(client *c, struct redisCommand *cmd, robj **argv, int argc, int *slot, int *code) {
    routeScan rs = {0};
    int err = ROUTE_OK, is_exec = cmd->proc == execCommand;
    uint64_t flags = is_exec ? c->mstate.cmd_flags : cmd->flags;
    int pubsubshard = 0;
    *code = ROUTE_OK;
    if (is_exec) {
        if (!(c->flags & CLIENT_MULTI)) return myself; /* EXEC without MULTI: its own error */
        for (int j = 0; j < c->mstate.count && err == ROUTE_OK; j++) {
            multiCmd *mc = &c->mstate.commands[j];
            pubsubshard |= isShardPubsub(mc->cmd);
            err = scanKeys(&rs, mc->cmd, mc->argv, mc->argc);
        }
    } else {
        pubsubshard = isShardPubsub(cmd);
        err = scanKeys(&rs, cmd, argv, argc);
    }
    if (err != ROUTE_OK) {
        *code = err;
        return NULL;
    }
    if (!rs.have_slot) return myself;
    *slot = rs.slot;
    if (cstate->state != CBUS_STATE_OK) {
        if (pubsubshard && server.cluster.allow_pubsubshard_when_down) {
            /* served */
        } else if (!server.cluster.allow_reads_when_down) {
            *code = ROUTE_DOWN_STATE;
            return NULL;
        } else if (flags & CMD_WRITE) {
            *code = ROUTE_DOWN_RO_STATE;
            return NULL;
        }
    }
    if ((rs.migrating || rs.importing) && !strcasecmp(cmd->fullname, "migrate")) return myself;
    if (rs.migrating && rs.missing_keys) {
        *code = ROUTE_ASK;
        return cstate->migrating_slots_to[rs.slot];
    }
    if (rs.importing && ((c->flags & CLIENT_ASKING) || (flags & CMD_ASKING))) {
        if (rs.multiple_keys && rs.missing_keys) {
            *code = ROUTE_UNSTABLE;
            return NULL;
        }
        return myself;
    }
    int is_write = (flags & CMD_WRITE) != 0;
    if ((c->flags & CLIENT_READONLY) && !is_write && nodeIsSlave(myself) && myself->slaveof == rs.node) return myself;
    if (rs.node != myself) *code = ROUTE_MOVED;
    return rs.node;
}

/* The endpoint clients are told to use for n, as cluster-preferred-endpoint-type says. */
static const char *nodeEndpoint(const clusterNode *n) {
    switch (server.cluster.preferred_endpoint_type) {
    case 1: return sdslen(n->hostname) ? n->hostname : "?"; /* hostname */
    case 2: return "?";                                     /* unknown-endpoint */
    default: return n->ip;
    }
}

static void replyRedirect(client *c, clusterNode *n, int slot, int code) {
    switch (code) {
    case ROUTE_CROSSSLOT: addReplyError(c, "-CROSSSLOT Keys in request don't hash to the same slot"); break;
    case ROUTE_UNSTABLE: addReplyError(c, "-TRYAGAIN Multiple keys request during rehashing of slot"); break;
    case ROUTE_DOWN_STATE: addReplyError(c, "-CLUSTERDOWN The cluster is down"); break;
    case ROUTE_DOWN_RO_STATE:
        addReplyError(c, "-CLUSTERDOWN The cluster is down and only accepts read commands");
        break;
    case ROUTE_DOWN_UNBOUND: addReplyError(c, "-CLUSTERDOWN Hash slot not served"); break;
    default:
        addReplyErrorSds(c, sdscatprintf(sdsempty(), "-%s %d %s:%d", code == ROUTE_ASK ? "ASK" : "MOVED", slot,
                                         nodeEndpoint(n), clusterNodeClientPort(n, c)));
        break;
    }
}

int clusterRedirectClient(client *c) {
    if (!server.cluster.enabled || (c->flags & CLIENT_MASTER) || c->conn == NULL) return 0;
    struct redisCommand *cmd = c->cmd;
    if (!(cmd->flags & CMD_MOVABLE_KEYS) && cmd->key_specs_num == 0 && cmd->proc != execCommand) return 0;
    int slot = 0, code;
    clusterNode *n = nodeForQuery(c, cmd, c->argv, c->argc, &slot, &code);
    if (n == myself) return 0;
    if (cmd->proc == execCommand)
        discardTransaction(c);
    else
        flagTransaction(c);
    replyRedirect(c, n, slot, code);
    cmd->rejected_calls++;
    return 1;
}

const char *clusterScriptRefusal(client *script_client, client *caller, struct redisCommand *cmd, robj **argv, int argc,
                                 int *slot, int allow_cross) {
    script_client->flags &= ~(CLIENT_READONLY | CLIENT_ASKING);
    script_client->flags |= caller->flags & (CLIENT_READONLY | CLIENT_ASKING);
    int keyslot = -1, code;
    if (nodeForQuery(script_client, cmd, argv, argc, &keyslot, &code) != myself) {
        if (code == ROUTE_DOWN_RO_STATE)
            return "Script attempted to execute a write command while the cluster is down and readonly";
        if (code == ROUTE_DOWN_STATE) return "Script attempted to execute a command while the cluster is down";
        return "Script attempted to access a non local key in a cluster node";
    }
    if (keyslot != -1 && !allow_cross) {
        if (*slot == -1)
            *slot = keyslot;
        else if (*slot != keyslot)
            return "Script attempted to access keys that do not hash to the same slot";
    }
    return NULL;
}

/* The redirection a client blocked on keys must get now, or ROUTE_OK. */
static int blockedRedirect(client *c, int *slot, clusterNode **to) {
    if (c->bstate.btype == BLOCKED_WAIT || c->bstate.btype == BLOCKED_NONE || !c->bstate.keys) return ROUTE_OK;
    if (cstate->state == CBUS_STATE_FAIL) return ROUTE_DOWN_STATE;
    dictIterator *di = dictGetIterator(c->bstate.keys);
    dictEntry *de;
    int code = ROUTE_OK;
    while ((de = dictNext(di)) != NULL) {
        sds key = dictGetKey(de);
        int s = (int)keyHashSlot(key, sdslen(key));
        clusterNode *n = cstate->slots[s];
        if ((c->flags & CLIENT_READONLY) && c->lastcmd && !(c->lastcmd->flags & CMD_WRITE) && nodeIsSlave(myself) &&
            myself->slaveof == n)
            n = myself;
        if (n != myself && cstate->importing_slots_from[s] == NULL) {
            *slot = s;
            *to = n;
            code = n ? ROUTE_MOVED : ROUTE_DOWN_UNBOUND;
            break;
        }
    }
    dictReleaseIterator(di);
    return code;
}

void clusterRedirectBlockedClients(void) {
    if (server.blocking.blocked_clients == 0) return;
    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    while ((ln = listNext(&li)) != NULL) {
        client *c = listNodeValue(ln);
        if (!(c->flags & CLIENT_BLOCKED)) continue;
        int slot = 0;
        clusterNode *to = NULL;
        int code = blockedRedirect(c, &slot, &to);
        if (code == ROUTE_OK) continue;
        replyRedirect(c, to, slot, code);
        unblockClient(c);
    }
}

/* ------------------------------------------------ connection commands */

static int replyIfDisabled(client *c) {
    if (server.cluster.enabled) return 0;
    addReplyError(c, "This instance has cluster support disabled");
    return 1;
}

void askingCommand(client *c) {
    if (replyIfDisabled(c)) return;
    c->flags |= CLIENT_ASKING;
    addReply(c, shared.ok);
}

void readonlyCommand(client *c) {
    if (replyIfDisabled(c)) return;
    c->flags |= CLIENT_READONLY;
    addReply(c, shared.ok);
}

void readwriteCommand(client *c) {
    if (replyIfDisabled(c)) return;
    c->flags &= ~CLIENT_READONLY;
    addReply(c, shared.ok);
}
