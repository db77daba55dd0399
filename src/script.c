/* script.c — the run of one script, shared by EVAL and FUNCTION.
 *
 * A run starts in scriptPrepareForRun: the script's flags are checked
 * against the caller's command (EVAL_RO / FCALL_RO and a script that may
 * write, maxmemory), and the script's client takes the caller's database
 * and RESP2. The engine then runs the code; each redis.call reaches
 * scriptCall, which refuses what Redis 7.0 refuses from scripts (unknown
 * commands, bad arity, noscript commands, writes in a read-only run, a
 * denyoom command when memory was over the limit at the start) with 7.0's
 * texts, and otherwise runs the command through call() on the script
 * client. call() gives the command its statistics, its MONITOR line
 * ("[db lua]") and its propagation: the script's writes pile up in the
 * caller's propagation frame and reach the consumers as one MULTI/EXEC
 * when the caller's command ends (propagate.c). redis.set_repl narrows
 * what is recorded per command (repl_flags).
 *
 * Busy scripts: the engine calls scriptInterrupt from an instruction-count
 * hook. Once the run is older than busy-reply-threshold it is marked timed
 * out, the caller's connection stops being read (the caller must not run a
 * second command inside its first), and the event loop is served without
 * waiting: other clients get -BUSY from processCommand except for the
 * commands flagged allow-busy (SCRIPT KILL, FUNCTION KILL, SHUTDOWN
 * NOSAVE ...). SCRIPT KILL marks the run killed, which the engine turns
 * into an error at its next hook. A script that already wrote cannot be
 * killed (-UNKILLABLE): its effects would be half applied.
 *
 * State: the active run (curr_run) is file-scope; only one script runs at
 * a time, and nested runs cannot happen (EVAL is noscript).
 */
#include "server.h"
#include "script.h"
#include "function.h"
#include "aof.h"
#include "rdb.h"

#include <string.h>
#include <strings.h>

const scriptFlagName scriptFlagNames[] = {
    {SCRIPT_FLAG_NO_WRITES, "no-writes"},
    {SCRIPT_FLAG_ALLOW_OOM, "allow-oom"},
    {SCRIPT_FLAG_ALLOW_STALE, "allow-stale"},
    {SCRIPT_FLAG_NO_CLUSTER, "no-cluster"},
    {SCRIPT_FLAG_ALLOW_CROSS_SLOT, "allow-cross-slot-keys"},
    {0, NULL},
};

static scriptRunCtx *curr_run;

static const char *busy_eval_err =
    "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
static const char *busy_function_err =
    "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

scriptRunCtx *scriptCurrentRun(void) {
    return curr_run;
}

int scriptIsTimedout(void) {
    return curr_run && (curr_run->flags & SCRIPT_TIMEDOUT);
}

int scriptIsEval(void) {
    return curr_run && (curr_run->flags & SCRIPT_EVAL_MODE);
}

const char *scriptBusyError(void) {
    return scriptIsEval() ? busy_eval_err : busy_function_err;
}

static int overMaxmemory(void) {
    return server.memory.maxmemory && zmalloc_used_memory() > server.memory.maxmemory;
}

/* A replica whose link is down and that must not serve stale data. */
static int replicaIsStale(void) {
    return replicationIsReplica() && !replicationLinkUp() && !server.repl.serve_stale_data;
}

/* A replica refusing writes from c (its primary's link obeys). */
static int replicaRefusesWrites(client *c) {
    return replicationIsReplica() && server.repl.slave_ro && !(c->flags & CLIENT_MASTER);
}

/* The flags a script command has by its script's declarations, as Redis
 * 7.0 computes them; the command's own for other commands and for a script
 * it cannot find (the command then fails on its own). */
uint64_t scriptCommandFlags(client *c) {
    uint64_t cmd_flags = c->cmd->flags, script_flags;
    int known;
    void (*proc)(client *) = c->cmd->proc;
    if (proc == evalCommand || proc == evalroCommand || proc == evalshaCommand || proc == evalsharoCommand)
        known = evalScriptFlagsOf(c, &script_flags);
    else if (proc == fcallCommand || proc == fcallroCommand)
        known = c->argc > 1 && functionFlagsOf(c->argv[1], &script_flags);
    else
        return cmd_flags;
    if (!known) return cmd_flags;
    /* A script without a shebang is not stale-safe: it may call anything. */
    if (script_flags & SCRIPT_FLAG_EVAL_COMPAT_MODE) return cmd_flags & ~CMD_STALE;
    cmd_flags &= ~(CMD_STALE | CMD_DENYOOM | CMD_WRITE | CMD_MAY_REPLICATE);
    if (!(script_flags & (SCRIPT_FLAG_ALLOW_OOM | SCRIPT_FLAG_NO_WRITES))) cmd_flags |= CMD_DENYOOM;
    if (!(script_flags & SCRIPT_FLAG_NO_WRITES)) cmd_flags |= CMD_WRITE;
    if (script_flags & SCRIPT_FLAG_ALLOW_STALE) cmd_flags |= CMD_STALE;
    return cmd_flags;
}

int scriptPrepareForRun(scriptRunCtx *rctx, client *script_client, client *caller, const char *funcname,
                        uint64_t script_flags, int ro) {
    int compat = (script_flags & SCRIPT_FLAG_EVAL_COMPAT_MODE) != 0;
    /* processCommand refused these by the declared flags already, unless
     * they changed since (a function replaced while its FCALL was queued in
     * MULTI); 7.0's texts for that case. */
    if (!compat && replicaIsStale() && !(script_flags & SCRIPT_FLAG_ALLOW_STALE)) {
        addReplyError(caller, "-MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' and "
                              "'allow-stale' flag is not set");
        return C_ERR;
    }
    if (!compat && !(script_flags & SCRIPT_FLAG_NO_WRITES)) {
        if (replicaRefusesWrites(caller)) {
            addReplyError(caller, "-READONLY Can not run script with write flag on readonly replica");
            return C_ERR;
        }
        if (ro) {
            addReplyError(caller, "Can not execute a script with write flag using *_ro command.");
            return C_ERR;
        }
        if (!(script_flags & SCRIPT_FLAG_ALLOW_OOM) && overMaxmemory()) {
            addReplyErrorObject(caller, shared.oomerr);
            return C_ERR;
        }
    }
    if (!compat && server.cluster.enabled && (script_flags & SCRIPT_FLAG_NO_CLUSTER)) {
        addReplyError(caller, "Can not run script on cluster, 'no-cluster' flag is set.");
        return C_ERR;
    }
    memset(rctx, 0, sizeof(*rctx));
    rctx->slot = -1;
    rctx->funcname = funcname;
    rctx->c = script_client;
    rctx->original_client = caller;
    rctx->repl_flags = PROPAGATE_ALL;
    rctx->start_time = mstime();
    if (ro || (!compat && (script_flags & SCRIPT_FLAG_NO_WRITES))) rctx->flags |= SCRIPT_READ_ONLY;
    if (!compat && (script_flags & SCRIPT_FLAG_ALLOW_OOM)) rctx->flags |= SCRIPT_ALLOW_OOM;
    if (!compat && (script_flags & SCRIPT_FLAG_ALLOW_CROSS_SLOT)) rctx->flags |= SCRIPT_ALLOW_CROSS_SLOT;
    if (overMaxmemory() && !(rctx->flags & SCRIPT_ALLOW_OOM)) rctx->flags |= SCRIPT_DENY_OOM_CALLS;
    script_client->db = caller->db;
    script_client->resp = 2;
    script_client->user = caller->user;
    curr_run = rctx;
    return C_OK;
}

void scriptResetRun(scriptRunCtx *rctx) {
    rctx->c->user = NULL; /* the caller's user may be deleted before the next run */
    if (rctx->flags & SCRIPT_TIMEDOUT) {
        client *caller = rctx->original_client;
        if (caller->conn && !(caller->flags & CLIENT_CLOSE_ASAP)) connSetReadHandler(caller->conn, readQueryFromClient);
        serverLog(LL_WARNING, "Slow script finished running after %lld milliseconds.", mstime() - rctx->start_time);
    }
    curr_run = NULL;
}

/* Whether min-replicas-to-write refuses writes now. */
static int tooFewReplicas(void) {
    return !replicationIsReplica() && server.repl.min_slaves_to_write && server.repl.min_slaves_max_lag &&
           replicationGoodReplicas() < server.repl.min_slaves_to_write;
}

/* The refusal of a write by the server's state (a read-only replica,
 * persistence errors, too few replicas), checked until the script wrote
 * (it is not stopped half way); NULL when allowed, else "CODE msg". */
static sds scriptWriteRefusal(scriptRunCtx *rctx) {
    if (rctx->flags & SCRIPT_WRITE_DIRTY) return NULL;
    if (replicaRefusesWrites(rctx->original_client)) return sdsnew("READONLY You can't write against a read only replica.");
    if (rdbWritesDenied()) return sdsnew(RDB_MISCONF_ERR + 1);
    if (aofWritesDenied()) {
        sds e = aofDeniedWriteError();
        sdsrange(e, 1, -1);
        return e;
    }
    if (tooFewReplicas()) return sdsnew("NOREPLICAS Not enough good replicas to write.");
    return NULL;
}

/* The checks on a command called from a script, in 7.0's order; NULL
 * when allowed, else the error ("CODE msg", new sds). */
static sds scriptRefusal(scriptRunCtx *rctx, struct redisCommand *cmd, robj **argv, int argc) {
    if (cmd->flags & CMD_NOSCRIPT) return sdsnew("ERR This Redis command is not allowed from script");
    if (!(cmd->flags & CMD_STALE) && replicaIsStale()) return sdsnew("ERR Can not execute the command on a stale replica");
    const char *denied = aclCheckScriptCommand(rctx->c, cmd, argv, argc);
    if (denied) return sdscatprintf(sdsempty(), "ERR %s", denied);
    if (cmd->flags & CMD_WRITE) {
        if (rctx->flags & SCRIPT_READ_ONLY) return sdsnew("ERR Write commands are not allowed from read-only scripts.");
        sds refused = scriptWriteRefusal(rctx);
        if (refused) return refused;
    }
    if ((cmd->flags & CMD_DENYOOM) && (rctx->flags & SCRIPT_DENY_OOM_CALLS) && !(rctx->flags & SCRIPT_WRITE_DIRTY))
        return sdsnew("OOM command not allowed when used memory > 'maxmemory'.");
    return NULL;
}

int scriptCall(scriptRunCtx *rctx, robj **argv, int argc, sds *err) {
    client *c = rctx->c;
    struct redisCommand *cmd = lookupCommand(argv, argc);
    if (cmd == NULL || cmd->proc == NULL) {
        *err = sdsnew("ERR Unknown Redis command called from script");
        return C_ERR;
    }
    if (!commandCheckArity(cmd, argc, NULL)) {
        *err = sdsnew("ERR Wrong number of args calling Redis command from script");
        return C_ERR;
    }
    sds refusal = scriptRefusal(rctx, cmd, argv, argc);
    if (refusal) {
        *err = refusal;
        return C_ERR;
    }
    if (server.cluster.enabled && !(rctx->original_client->flags & CLIENT_MASTER)) {
        const char *why = clusterScriptRefusal(rctx->c, rctx->original_client, cmd, argv, argc, &rctx->slot,
                                               (rctx->flags & SCRIPT_ALLOW_CROSS_SLOT) != 0);
        if (why) {
            *err = sdscatprintf(sdsempty(), "ERR %s", why);
            return C_ERR;
        }
    }
    if (cmd->flags & CMD_WRITE) rctx->flags |= SCRIPT_WRITE_DIRTY;
    /* redis.set_repl: the command is recorded for the copies named only
     * (propagate.c reads the flags when call() opens its frame). */
    c->flags &= ~(CLIENT_PREVENT_AOF_PROP | CLIENT_PREVENT_REPL_PROP);
    if (!(rctx->repl_flags & PROPAGATE_AOF)) c->flags |= CLIENT_PREVENT_AOF_PROP;
    if (!(rctx->repl_flags & PROPAGATE_REPL)) c->flags |= CLIENT_PREVENT_REPL_PROP;
    c->argv = argv;
    c->argc = argc;
    c->argv_len = argc;
    c->cmd = c->lastcmd = c->realcmd = cmd;
    call(c, CALL_NONE);
    c->argv = NULL;
    c->argc = 0;
    c->argv_len = 0;
    c->cmd = NULL;
    return C_OK;
}

int scriptInterrupt(scriptRunCtx *rctx) {
    if (!(rctx->flags & SCRIPT_TIMEDOUT)) {
        long long elapsed = mstime() - rctx->start_time;
        if (server.limits.busy_reply_threshold <= 0 || elapsed < server.limits.busy_reply_threshold) return 0;
        serverLog(LL_WARNING,
                  "Slow script detected: still in execution after %lld milliseconds. You can try killing the "
                  "script using the %s command. Script name is: %s.",
                  elapsed, (rctx->flags & SCRIPT_EVAL_MODE) ? "SCRIPT KILL" : "FUNCTION KILL", rctx->funcname);
        rctx->flags |= SCRIPT_TIMEDOUT;
        client *caller = rctx->original_client;
        if (caller->conn) connSetReadHandler(caller->conn, NULL);
    }
    processEventsWhileBlocked();
    return (rctx->flags & SCRIPT_KILLED) != 0;
}

void scriptKill(client *c, int is_eval) {
    if (curr_run == NULL) {
        addReplyError(c, "-NOTBUSY No scripts in execution right now.");
        return;
    }
    if (curr_run->flags & SCRIPT_WRITE_DIRTY) {
        addReplyError(c, "-UNKILLABLE Sorry the script already executed write commands against the dataset. You "
                         "can either wait the script termination or kill the server in a hard way using the "
                         "SHUTDOWN NOSAVE command.");
        return;
    }
    if (is_eval && !(curr_run->flags & SCRIPT_EVAL_MODE)) {
        addReplyError(c, busy_function_err);
        return;
    }
    if (!is_eval && (curr_run->flags & SCRIPT_EVAL_MODE)) {
        addReplyError(c, busy_eval_err);
        return;
    }
    curr_run->flags |= SCRIPT_KILLED;
    addReply(c, shared.ok);
}
