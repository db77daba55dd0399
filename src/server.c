/* server.c — the process: main, initServer, the event loop hooks, command
 * dispatch, shutdown.
 *
 * main() loads the configuration (config.c), daemonizes if asked, writes
 * the first log lines in Redis's order, calls initServer() — which creates
 * the epoll-backed event loop, the databases and the listeners, registers
 * acceptTcpHandler, arms the software watchdog (debug.c) and applies
 * oom-score-adj — then sets the process title (proc-title-template, over
 * the argv memory that src/lib/proctitle.c freed), shows the banner and
 * runs aeMain().
 *
 * Each turn of the loop:
 *   beforeSleep    runs clients released from CLIENT PAUSE, frees clients
 *                  closed asynchronously, and flushes every client on
 *                  clients_pending_write (handleClientsWithPendingWrites).
 *   epoll_wait     bounded by the next time event (serverCron, `hz` a second).
 *   file events    accept, readQueryFromClient -> processInputBuffer ->
 *                  processCommand -> call -> the command's proc.
 *
 * processCommand applies the checks in Redis's order with its error texts:
 * unknown command or subcommand, arity, protected commands, authentication,
 * no-multi commands inside MULTI, out of memory, subscribed-mode
 * restrictions in RESP2, loading, client pause. Inside MULTI the command is
 * then queued (multi.c) rather than run.  call() runs the proc, keeps the
 * per-command statistics and records what the command changed for
 * propagation (propagate.c).
 *
 * Shutdown is never done inside a signal handler: SIGTERM/SIGINT only set a
 * flag, and serverCron carries it out (prepareForShutdown).
 */
#include "server.h"
#include "bigkey.h"
#include "aof.h"
#include "bio.h"
#include "rdb.h"
#include "script_ldb.h"
#include "childproc.h"
#include "evict.h"
#include "proctitle.h"
#include "latency.h"
#include "slowlog.h"
#include "monitor.h"
#include "script.h"
#include "tls.h"
#include "memory.h"
#include "iothreads.h"
#include "tickclock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

/* The instantaneous_* INFO fields sample their counters this often. */
#define STATS_METRIC_PERIOD_MS 100
/* With dynamic-hz, hz doubles until one cron call visits at most this many
 * clients. */
#define MAX_CLIENTS_PER_CLOCK_TICK 200
/* When the wanted RLIMIT_NOFILE is refused, retry this much lower. */
#define OPEN_FILES_RETRY_STEP 16
/* Bytes of the hash seed (the SipHash key dictSetHashFunctionSeed reads). */
#define HASH_SEED_BYTES 16

struct redisServer server;

/* ---------------------------------------------------------------- time */

/* Caches the clocks once per turn of the loop and per command batch. */
void updateCachedTime(void) {
    server.ustime = ustime();
    server.mstime = server.ustime / 1000;
    server.unixtime = server.mstime / 1000;
}

/* ---------------------------------------------------------- statistics */

/* Counts one error reply under its code ("ERR", "WRONGTYPE" ...). */
void incrementErrorCount(const char *fullerr, size_t namelen) {
    if (server.stat.errors == NULL) return;
    sds name = sdsnewlen(fullerr, namelen);
    dictEntry *de = dictFind(server.stat.errors, name);
    if (de == NULL) {
        /* Like Redis, stop tracking new codes past 128 distinct ones. */
        if (dictSize(server.stat.errors) >= 128) {
            sdsfree(name);
            return;
        }
        de = dictAddRaw(server.stat.errors, name, NULL);
        dictSetUnsignedIntegerVal(de, 0);
        name = NULL;
    }
    dictSetUnsignedIntegerVal(de, dictGetUnsignedIntegerVal(de) + 1);
    sdsfree(name);
}

void resetServerStats(void) {
    dict *errors = server.stat.errors;
    long long clients_peak = server.stat.clients_peak;
    time_t starttime = server.stat.starttime;
    memset(&server.stat, 0, sizeof(server.stat));
    server.stat.errors = errors;
    if (errors) dictEmpty(errors, NULL);
    server.stat.inst_last_ms = server.mstime;
    server.stat.clients_peak = clients_peak;
    server.stat.starttime = starttime;
    server.bigkey.commands = 0;
}

/* Average of the samples (one per STATS_METRIC_PERIOD_MS), as a
 * per-second rate. */
long long getInstantaneousMetric(long long *samples) {
    long long sum = 0;
    for (int j = 0; j < STATS_METRIC_SAMPLES; j++) sum += samples[j];
    return sum / STATS_METRIC_SAMPLES;
}

/* Samples ops and bytes every STATS_METRIC_PERIOD_MS for the
 * instantaneous_* INFO fields. */
static void trackInstantaneousMetrics(void) {
    serverStats *st = &server.stat;
    long long elapsed = server.mstime - st->inst_last_ms;
    if (elapsed < STATS_METRIC_PERIOD_MS) return;
    st->inst_ops_samples[st->inst_idx] = (st->numcommands - st->inst_last_ops) * 1000 / elapsed;
    st->inst_in_samples[st->inst_idx] = (st->net_input_bytes - st->inst_last_in) * 1000 / elapsed;
    st->inst_out_samples[st->inst_idx] = (st->net_output_bytes - st->inst_last_out) * 1000 / elapsed;
    st->inst_idx = (st->inst_idx + 1) % STATS_METRIC_SAMPLES;
    st->inst_last_ms = server.mstime;
    st->inst_last_ops = st->numcommands;
    st->inst_last_in = st->net_input_bytes;
    st->inst_last_out = st->net_output_bytes;
}

/* ---------------------------------------------------------------- cron */

/* Incremental rehashing of the keyspace tables: about a millisecond a
 * call, spent on the first database that has a table being rehashed
 * (activerehashing no leaves the rehash to the writes themselves). Not
 * while a fork child shares the pages: moving every entry would copy the
 * tables' pages (writes still move a few, as they must). */
static void databasesCron(void) {
    if (!server.activerehashing || childActive()) return;
    for (int j = 0; j < server.dbnum; j++)
        if (dbRehashStep(&server.db[j], 1)) return;
}

/* With dynamic-hz, raise the frequency with the number of clients so each
 * cron call visits a bounded slice of them. */
static void adjustHz(void) {
    server.hz = server.config_hz;
    if (!server.dynamic_hz) return;
    while (listLength(server.clients) / server.hz > MAX_CLIENTS_PER_CLOCK_TICK) {
        server.hz *= 2;
        if (server.hz > CONFIG_MAX_HZ) {
            server.hz = CONFIG_MAX_HZ;
            break;
        }
    }
}

static int serverCron(aeEventLoop *el, long long id, void *clientData) {
    if (server.log.watchdog_period) watchdogScheduleSignal(server.log.watchdog_period);
    systemdWatchdogFeed();
    updateCachedTime();
    tickClockRefine();
    adjustHz();
    server.lruclock = getLRUClock();
    trackInstantaneousMetrics();
    size_t used = zmalloc_used_memory();
    if ((long long)used > server.stat.peak_memory) server.stat.peak_memory = used;

    if (server.shutdown_asap && !server.in_shutdown && !isShutdownInitiated()) {
        int sig = server.last_sig_received;
        int flags = sig == SIGINT ? server.shutdown_on_sigint : sig == SIGTERM ? server.shutdown_on_sigterm
                                                                               : server.shutdown_flags;
        if (prepareForShutdown(flags) == C_OK) exit(0);
        if (!isShutdownInitiated()) {
            serverLog(LL_WARNING, "%s received but errors trying to shut down the server, check the logs for more "
                                  "information", sig == SIGINT ? "SIGINT" : "SIGTERM");
            server.shutdown_asap = 0;
        }
    }
    shutdownCron();
    childCheckDone();
    ldbReapChildren();
    aofCron();
    rdbCron();
    replicationCron();
    /* The cluster's cron runs ten times a second whatever the hz. */
    if (server.cluster.enabled) {
        static long long last_cluster_cron;
        if (server.mstime - last_cluster_cron >= 100) {
            last_cluster_cron = server.mstime;
            clusterCron();
        }
    }
    clientsCron();
    migrateCloseIdleLinks();
    handleBlockedClientsTimeout();
    activeExpireCycle(ACTIVE_EXPIRE_CYCLE_SLOW);
    databasesCron();
    checkClientPauseTimeoutAndReturnIfPaused();
    server.cronloops++;
    return 1000 / server.hz;
}

/* Runs before the process sleeps in epoll_wait. Nothing here may block. */
void beforeSleep(aeEventLoop *el) {
    updateCachedTime();
    handleClientsWithPendingReads();
    /* Decrypted bytes no socket event will announce: read them now, and
     * do not sleep while some remain. */
    aeSetDontWait(el, tlsProcessPendingData() > 0);
    handleBlockedClientsTimeout();
    processUnpausedClients();
    if (listLength(server.blocking.ready_keys)) handleClientsBlockedOnKeys();
    processUnblockedClients();
    activeExpireCycle(ACTIVE_EXPIRE_CYCLE_FAST);
    clusterBeforeSleep();
    trackingBroadcastInvalidationMessages();
    freeClientsInAsyncFreeQueue();
    /* Writes reach the AOF (and, with appendfsync always, the disk)
     * before any reply acknowledging them is sent. */
    aofFlushBeforeSleep();
    replicationFlushReplicas();
    failoverUpdate();
    shutdownCron();
    handleClientsWithPendingWrites();
    freeClientsInAsyncFreeQueue();
}

/* Serves file events without waiting, then writes what was answered. The
 * caller's current client is kept. */
void processEventsWhileBlocked(void) {
    client *current = server.current_client;
    for (int j = 0; j < 4; j++) {
        if (aeProcessEvents(server.el, AE_FILE_EVENTS | AE_DONT_WAIT) == 0) break;
    }
    tlsProcessPendingData();
    handleClientsWithPendingWrites();
    server.current_client = current;
    updateCachedTime();
    systemdWatchdogFeed();
}

/* ------------------------------------------------------------ dispatch */

/* Executes c->cmd, keeps its statistics and records its effects for
 * propagation (propagate.c). flags: CALL_RESUMED for a blocked command
 * carried out once its key is ready; it was counted in `calls` (and in
 * total_commands_processed) when it blocked, so only its time and its
 * failure are added now, as Redis 7.0 counts it. */
void call(client *c, int flags) {
    /* total_error_replies when the last call() ended: a command run inside
     * this one (EXEC's queue) counts its own errors, not this one. */
    static long long errors_at_last_end;
    struct redisCommand *cmd = c->cmd;
    long long errors_before = server.stat.total_error_replies;
    long long repl_offset_before = server.replication.master_repl_offset;
    propagationFrame frame;
    propagateCallBegin(&frame, c);
    bigkeyFrame bigkey;
    int count_bigkey = bigkeyEnabled();
    if (count_bigkey) bigkeyCallBegin(&bigkey);
    c->flags |= CLIENT_EXECUTING_COMMAND;
    uint64_t start = tickClockNow();
    cmd->proc(c);
    uint64_t duration = tickClockUs(start, tickClockNow());
    if (count_bigkey) bigkeyCallEnd(c, &bigkey);
    c->flags &= ~CLIENT_EXECUTING_COMMAND;
    if (!(flags & CALL_RESUMED)) feedMonitors(c, c->cmd ? c->cmd : cmd, c->argv, c->argc, c->db->id);
    /* A served blocked command is logged with the time of its first try. */
    long long logged = (flags & CALL_RESUMED) ? c->duration + (long long)duration : (long long)duration;
    c->duration = duration;
    /* CLIENT REPLY and similar may swap the command; account the real one. */
    struct redisCommand *real = c->cmd ? c->cmd : cmd;
    real->microseconds += duration;
    if (errors_at_last_end > errors_before) errors_before = errors_at_last_end;
    if (server.stat.total_error_replies > errors_before) real->failed_calls++;
    errors_at_last_end = server.stat.total_error_replies;
    if (!(flags & CALL_RESUMED)) {
        real->calls++;
        c->commands_processed++;
        server.stat.numcommands++;
    }
    if (!(c->flags & CLIENT_BLOCKED)) {
        const char *event = (flags & CALL_RESUMED) ? "command-unblocking"
                            : (real->flags & CMD_FAST) ? "fast-command" : "command";
        latencyAddSampleIfNeeded(event, (long long)duration / 1000);
        slowlogPushCurrentCommand(c, real, logged, server.slowlog.log_slower_than);
        if (server.latency.tracking_enabled) latencyRecordCommand(&real->latency_histogram, logged);
    }
    /* Client-side caching remembers what a read-only command read. */
    if ((real->flags & CMD_READONLY) && (c->flags & CLIENT_TRACKING) && !(c->flags & CLIENT_TRACKING_BCAST))
        trackingRememberKeys(c, real);
    c->lastcmd = real;
    propagateCallEnd(&frame);
    /* WAIT waits for the stream up to the client's last propagated command. */
    if (server.replication.master_repl_offset != repl_offset_before) c->woff = server.replication.master_repl_offset;
    /* Invalidations for c itself follow its reply (EXEC's, in a transaction). */
    if (frame.outer == NULL) trackingHandlePendingKeyInvalidations();
}

/* Replies an error for a command refused before running, counting it. A
 * transaction in progress is doomed; a refused EXEC discards it. */
static void rejectCommand(client *c, sds err) {
    flagTransaction(c);
    if (c->cmd) c->cmd->rejected_calls++;
    if (isExecCommand(c)) {
        execCommandAbort(c, err);
        sdsfree(err);
        return;
    }
    addReplyErrorSds(c, err);
}

/* rejectCommand with a shared error object (borrowed). */
static void rejectCommandObject(client *c, robj *err) {
    flagTransaction(c);
    if (c->cmd) c->cmd->rejected_calls++;
    if (isExecCommand(c))
        execCommandAbort(c, err->ptr);
    else
        addReplyErrorObject(c, err);
}

static void rejectCommandUnknown(client *c) {
    sds arg0 = c->argv[0]->ptr;
    if (isContainerCommandBySds(arg0) && c->argc >= 2) {
        sds upper = sdsnew(arg0);
        sdstoupper(upper);
        rejectCommand(c, sdscatprintf(sdsempty(), "unknown subcommand '%.128s'. Try %s HELP.",
                                      (char *)c->argv[1]->ptr, upper));
        sdsfree(upper);
        return;
    }
    sds args = sdsempty();
    for (int j = 1; j < c->argc && sdslen(args) < 128; j++)
        args = sdscatprintf(args, "'%.*s' ", 128 - (int)sdslen(args), (char *)c->argv[j]->ptr);
    sds err = sdscatprintf(sdsempty(), "unknown command '%.128s', with args beginning with: %s", arg0, args);
    sdsfree(args);
    rejectCommand(c, err);
}

static int checkProtectedCommand(client *c) {
    if (!(c->cmd->flags & CMD_PROTECTED)) return 1;
    const char *name = NULL, *option = NULL;
    int setting = PROTECTED_ACTION_ALLOWED_YES;
    struct redisCommand *top = c->cmd->parent ? c->cmd->parent : c->cmd;
    if (!strcasecmp(top->declared_name, "debug")) {
        name = "DEBUG", option = "enable-debug-command", setting = server.security.enable_debug_cmd;
    } else if (!strcasecmp(top->declared_name, "module")) {
        name = "MODULE", option = "enable-module-command", setting = server.security.enable_module_cmd;
    }
    if (name == NULL || allowProtectedAction(setting, c)) return 1;
    rejectCommand(c, sdscatprintf(sdsempty(),
                                  "%s command not allowed. If the %s option is set to \"local\", you can run it "
                                  "from a local connection, otherwise you need to set this option in the "
                                  "configuration file, and then restart the server.",
                                  name, option));
    return 0;
}

/* Commands a RESP2 client may still send while subscribed. */
static int allowedInSubscribedContext(struct redisCommand *cmd) {
    static const char *allowed[] = {"ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe",
                                    "psubscribe", "punsubscribe", "quit", "reset", NULL};
    for (int j = 0; allowed[j]; j++)
        if (!strcasecmp(cmd->declared_name, allowed[j]) && cmd->parent == NULL) return 1;
    return 0;
}

/* Whether CLIENT PAUSE holds this command back. */
static int blockedByPause(client *c) {
    if (!areClientsPaused()) return 0;
    if (c->flags & (CLIENT_SLAVE | CLIENT_MASTER)) return 0;
    if (server.pause.type == PAUSE_ALL) return 1;
    return (multiCommandFlags(c, 0) & (CMD_WRITE | CMD_MAY_REPLICATE)) != 0;
}

/* Holds the client until the pause ends; its command stays in argv. */
static void holdClientForPause(client *c) {
    c->flags |= CLIENT_IN_PAUSE_QUEUE;
    listAddNodeTail(server.pause.clients, c);
    c->paused_node = listLast(server.pause.clients);
}

/* A primary with min-replicas-to-write refuses writes without enough
 * replicas acknowledging within min-replicas-max-lag. A replica refuses
 * writes from its own clients (replica-read-only) and, with
 * replica-serve-stale-data no, every command not flagged stale while the
 * link with its primary is down. Returns 0 when c was refused. */
static int checkReplicaCommand(client *c) {
    if (c->flags & CLIENT_MASTER) return 1;
    if (!replicationIsReplica()) {
        if (server.repl.min_slaves_to_write && server.repl.min_slaves_max_lag &&
            (multiCommandFlags(c, 0) & CMD_WRITE) && replicationGoodReplicas() < server.repl.min_slaves_to_write) {
            rejectCommand(c, sdsnew("-NOREPLICAS Not enough good replicas to write."));
            return 0;
        }
        return 1;
    }
    if (server.repl.slave_ro && (multiCommandFlags(c, 0) & CMD_WRITE)) {
        rejectCommand(c, sdsnew("-READONLY You can't write against a read only replica."));
        return 0;
    }
    if (!server.repl.serve_stale_data && !replicationLinkUp() &&
        (multiCommandFlags(c, 1) & CMD_STALE)) {
        rejectCommand(c, sdsnew("-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."));
        return 0;
    }
    return 1;
}

/* Looks the command up and applies every check before running it. Returns
 * C_OK when the client is ready for its next command, C_ERR when it must
 * stop processing input (held by a pause, or closing). */
int processCommand(client *c) {
    c->cmd = c->lastcmd = c->realcmd = lookupClientCommand(c);
    if (c->cmd == NULL) {
        rejectCommandUnknown(c);
        return C_OK;
    }
    sds arity_err;
    if (!commandCheckArity(c->cmd, c->argc, &arity_err)) {
        rejectCommand(c, arity_err);
        return C_OK;
    }
    if (!checkProtectedCommand(c)) return C_OK;
    if (!c->authenticated && !(c->cmd->flags & CMD_NO_AUTH)) {
        rejectCommandObject(c, shared.noautherr);
        return C_OK;
    }
    if ((c->flags & CLIENT_MULTI) && (c->cmd->flags & CMD_NO_MULTI)) {
        rejectCommand(c, sdsnew("Command not allowed inside a transaction"));
        return C_OK;
    }
    if (aclCheckClientCommand(c, rejectCommand) != C_OK) return C_OK;
    if (server.cluster.enabled && clusterRedirectClient(c)) return C_OK;
    /* Every command may evict (reads included); only those that may grow
     * memory are refused when eviction cannot bring it under the limit. */
    if (server.memory.maxmemory && performEvictions() == EVICT_FAIL &&
        ((multiCommandFlags(c, 0) & CMD_DENYOOM) || multiDeniedOnOom(c))) {
        rejectCommandObject(c, shared.oomerr);
        return C_OK;
    }
    trackingLimitUsedSlots();
    int from_master = (c->flags & CLIENT_MASTER) != 0;
    if (!from_master && (rdbWritesDenied() || aofWritesDenied()) &&
        ((multiCommandFlags(c, 0) & CMD_WRITE) || c->cmd->proc == pingCommand)) {
        rejectCommand(c, rdbWritesDenied() ? sdsnew(RDB_MISCONF_ERR) : aofDeniedWriteError());
        return C_OK;
    }
    if (!checkReplicaCommand(c)) return C_OK;
    if ((c->flags & CLIENT_SLAVE) && (multiCommandFlags(c, 0) & (CMD_WRITE | CMD_READONLY | CMD_MAY_REPLICATE))) {
        rejectCommand(c, sdsnew("Replica can't interact with the keyspace"));
        return C_OK;
    }
    if ((c->flags & CLIENT_PUBSUB) && c->resp == 2 && !allowedInSubscribedContext(c->cmd)) {
        rejectCommand(c, sdscatprintf(sdsempty(),
                                      "Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
                                      "QUIT / RESET are allowed in this context",
                                      c->cmd->fullname));
        return C_OK;
    }
    if (server.persist.loading && (multiCommandFlags(c, 1) & CMD_LOADING)) {
        rejectCommandObject(c, shared.loadingerr);
        return C_OK;
    }
    if (server.persist.async_loading && (multiCommandFlags(c, 0) & CMD_NO_ASYNC_LOADING)) {
        rejectCommandObject(c, shared.loadingerr);
        return C_OK;
    }
    if (scriptIsTimedout() && !(c->cmd->flags & CMD_ALLOW_BUSY)) {
        rejectCommand(c, sdsnew(scriptBusyError()));
        return C_OK;
    }
    if (blockedByPause(c)) {
        holdClientForPause(c);
        return C_ERR;
    }
    if (multiShouldQueue(c)) {
        queueMultiCommand(c);
        return C_OK;
    }
    call(c, CALL_NONE);
    /* The command may have given data to clients blocked on keys. */
    if (listLength(server.blocking.ready_keys)) handleClientsBlockedOnKeys();
    return C_OK;
}

/* ------------------------------------------------------------ shutdown */

static void sigShutdownHandler(int sig) {
    const char *msg = server.persist.loading ? "Received shutdown signal during loading, scheduling shutdown."
                      : sig == SIGINT        ? "Received SIGINT scheduling shutdown..."
                                             : "Received SIGTERM scheduling shutdown...";
    /* A second signal while already shutting down exits at once. */
    if (server.shutdown_asap && sig == SIGINT) {
        serverLogFromHandler(LL_WARNING, "You insist... exiting now.");
        removePidFile();
        _exit(1);
    }
    serverLogFromHandler(LL_WARNING, msg);
    server.shutdown_asap = 1;
    server.last_sig_received = sig;
}

static void setupSignalHandlers(void) {
    struct sigaction act;
    memset(&act, 0, sizeof(act));
    sigemptyset(&act.sa_mask);
    act.sa_handler = sigShutdownHandler;
    sigaction(SIGTERM, &act, NULL);
    sigaction(SIGINT, &act, NULL);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    setupCrashHandlers();
}

/* ------------------------------------------------------ OOM score */

/* The kernel's OOM-killer preference of this process, as oom-score-adj asks:
 * "absolute" writes the configured value, "relative" (or "yes") adds it to
 * the value the process had before the server first changed it, "no" puts
 * that value back. Ember runs as a master only for now, so the master value
 * of oom-score-adj-values applies. File-scope state: that original value and
 * whether the server currently holds its own. */
static int oom_score_base;
static int oom_score_adjusted;

static int readOOMScoreAdj(int *val) {
    FILE *fp = fopen("/proc/self/oom_score_adj", "r");
    if (fp == NULL) return C_ERR;
    int ok = fscanf(fp, "%d", val) == 1;
    fclose(fp);
    return ok ? C_OK : C_ERR;
}

int setOOMScoreAdj(int process_class) {
    if (server.proc.oom_score_adj == OOM_SCORE_ADJ_NO && !oom_score_adjusted) return C_OK;
    if (!oom_score_adjusted && readOOMScoreAdj(&oom_score_base) == C_ERR) {
        serverLog(LL_WARNING, "Unable to read oom_score_adj: %s", strerror(errno));
        return C_ERR;
    }
    int val = oom_score_base;
    if (server.proc.oom_score_adj != OOM_SCORE_ADJ_NO) {
        val = server.proc.oom_score_adj_values[process_class < 0 ? CONFIG_OOM_MASTER : process_class];
        if (server.proc.oom_score_adj == OOM_SCORE_RELATIVE) val += oom_score_base;
        if (val > 1000) val = 1000;
        if (val < -1000) val = -1000;
    }
    int fd = open("/proc/self/oom_score_adj", O_WRONLY);
    char buf[32];
    int len = snprintf(buf, sizeof(buf), "%d\n", val);
    if (fd == -1 || write(fd, buf, (size_t)len) != len) {
        serverLog(LL_WARNING, "Unable to write oom_score_adj: %s", strerror(errno));
        if (fd != -1) close(fd);
        return C_ERR;
    }
    close(fd);
    oom_score_adjusted = server.proc.oom_score_adj != OOM_SCORE_ADJ_NO;
    return C_OK;
}

/* ------------------------------------------------------ process title */

/* The value of one {variable} of proc-title-template (name without the
 * braces, len bytes), as a new sds, or NULL for an unknown name. */
static sds procTitleVariable(const char *name, size_t len, const char *title) {
#define IS_VAR(v) (len == sizeof(v) - 1 && !memcmp(name, v, len))
    if (IS_VAR("title")) return sdsnew(title);
    if (IS_VAR("listen-addr")) {
        if (server.net.port == 0 && server.tls.port == 0)
            return sdscatprintf(sdsempty(), "unixsocket:%s", server.net.unixsocket ? server.net.unixsocket : "");
        return sdscatprintf(sdsempty(), "%s:%d", server.net.bindaddr_count ? server.net.bindaddr[0] : "*",
                            server.net.port ? server.net.port : server.tls.port);
    }
    if (IS_VAR("server-mode")) return sdsnew(server.cluster.enabled ? "[cluster]" : "");
    if (IS_VAR("port")) return sdsfromlonglong(server.net.port);
    if (IS_VAR("tls-port")) return sdsfromlonglong(server.tls.port);
    if (IS_VAR("unixsocket")) return sdsnew(server.net.unixsocket ? server.net.unixsocket : "");
    if (IS_VAR("config-file")) return sdsnew(server.configfile ? server.configfile : "-");
    return NULL;
#undef IS_VAR
}

sds expandProcTitleTemplate(const char *tmpl, const char *title) {
    sds out = sdsempty();
    for (const char *p = tmpl; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        sds value = close ? procTitleVariable(p + 1, (size_t)(close - p - 1), title) : NULL;
        if (*p == '}' || (*p == '{' && value == NULL)) {
            sdsfree(out);
            return NULL;
        }
        if (value) {
            out = sdscatsds(out, value);
            sdsfree(value);
            p = close + 1;
        } else {
            out = sdscatlen(out, p++, 1);
        }
    }
    return sdstrim(out, " ");
}

int validateProcTitleTemplate(const char *tmpl) {
    sds res = expandProcTitleTemplate(tmpl, "");
    int ok = res != NULL && sdslen(res) > 0;
    sdsfree(res);
    return ok;
}

void updateProcTitle(const char *name) {
    if (!server.proc.set_proc_title || server.exec_argv == NULL) return;
    sds title = expandProcTitleTemplate(server.proc.title_template, name ? name : server.exec_argv[0]);
    if (title == NULL) return; /* CONFIG SET validated it: cannot happen */
    procTitleSet(title);
    sdsfree(title);
}

/* ---------------------------------------------------------------- init */

static void createPidFile(void) {
    if (!server.pidfile) server.pidfile = zstrdup("/var/run/redis.pid");
    FILE *fp = fopen(server.pidfile, "w");
    if (fp) {
        fprintf(fp, "%d\n", (int)getpid());
        fclose(fp);
    } else {
        serverLog(LL_WARNING, "Failed to write PID file: %s", strerror(errno));
    }
}

static void daemonize(void) {
    if (fork() != 0) exit(0); /* the parent exits */
    setsid();
    int fd = open("/dev/null", O_RDWR, 0);
    if (fd != -1) {
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        if (fd > STDERR_FILENO) close(fd);
    }
}

/* Raises RLIMIT_NOFILE to what maxclients needs: one descriptor per client
 * plus CONFIG_MIN_RESERVED_FDS for listeners, logs and persistence. When the
 * system refuses, keeps the highest limit it grants and lowers maxclients to
 * fit, with Redis's warnings; exits when not even the reserve fits. */
static void adjustOpenFilesLimit(void) {
    rlim_t wanted = (rlim_t)server.limits.maxclients + CONFIG_MIN_RESERVED_FDS;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
        serverLog(LL_WARNING,
                  "Unable to obtain the current NOFILE limit (%s), assuming 1024 and setting the max clients "
                  "configuration accordingly.",
                  strerror(errno));
        server.limits.maxclients = 1024 - CONFIG_MIN_RESERVED_FDS;
        return;
    }
    rlim_t old = rl.rlim_cur;
    if (old == RLIM_INFINITY || old >= wanted) return;
    rlim_t best = wanted;
    int setrlimit_error = 0;
    while (best > old) {
        struct rlimit nl = {best, best > rl.rlim_max ? best : rl.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &nl) == 0) break;
        setrlimit_error = errno;
        best = best > old + OPEN_FILES_RETRY_STEP ? best - OPEN_FILES_RETRY_STEP : old;
    }
    if (best >= wanted) {
        serverLog(LL_NOTICE, "Increased maximum number of open files to %llu (it was originally set to %llu).",
                  (unsigned long long)wanted, (unsigned long long)old);
        return;
    }
    if (best <= CONFIG_MIN_RESERVED_FDS) {
        serverLog(LL_WARNING,
                  "Your current 'ulimit -n' of %llu is not enough for the server to start. Please increase your "
                  "open file limit to at least %llu. Exiting.",
                  (unsigned long long)old, (unsigned long long)wanted);
        exit(1);
    }
    unsigned int requested = server.limits.maxclients;
    server.limits.maxclients = (unsigned int)(best - CONFIG_MIN_RESERVED_FDS);
    serverLog(LL_WARNING, "You requested maxclients of %u requiring at least %llu max file descriptors.", requested,
              (unsigned long long)wanted);
    serverLog(LL_WARNING, "Server can't set maximum open files to %llu because of OS error: %s.",
              (unsigned long long)wanted, strerror(setrlimit_error));
    serverLog(LL_WARNING,
              "Current maximum open files is %llu. maxclients has been reduced to %u to compensate for low "
              "ulimit. If you need higher maxclients increase 'ulimit -n'.",
              (unsigned long long)best, server.limits.maxclients);
}

static void initServerState(void) {
    server.pid = getpid();
    server.clients = listCreate();
    server.clients_to_close = listCreate();
    server.clients_pending_write = listCreate();
    server.clients_pending_read = listCreate();
    server.pause.clients = listCreate();
    server.next_client_id = 1;
    server.expire.active_expire_enabled = 1;
    server.stat.errors = dictCreate(&errorStatsDictType);
    server.net.listeners.unix_fd = -1;
    server.stat.starttime = time(NULL);
    server.ustime_at_start = ustime();
    getRandomHexChars(server.runid, CONFIG_RUN_ID_SIZE);
    server.runid[CONFIG_RUN_ID_SIZE] = '\0';
    updateCachedTime();
    server.lruclock = getLRUClock();
    server.stat.inst_last_ms = server.mstime;
}

/* Creates the event loop, databases, shared objects and listeners. Exits
 * the process when a listener cannot be opened. */
void initServer(void) {
    setupSignalHandlers();
    initServerState();
    serverLog(LL_NOTICE, "monotonic clock: POSIX clock_gettime");
    tickClockInit();
    if (tick_clock_tsc)
        serverLog(LL_VERBOSE, "command timing clock: X86 TSC @ %llu ticks/us",
                  (unsigned long long)((1ULL << 32) / (tick_clock_us_per_tick ? tick_clock_us_per_tick : 1)));
    createSharedObjects();
    propagateInit();
    adjustOpenFilesLimit();
    server.el = aeCreateEventLoop(server.limits.maxclients + CONFIG_FDSET_INCR);
    if (server.el == NULL) {
        serverLog(LL_WARNING, "Failed creating the event loop. Error message: '%s'", strerror(errno));
        exit(1);
    }
    initDatabases();
    initBlockingState();
    initMultiState();
    replicationInit();
    bioInit();
    zmalloc_set_background_thread(server.memory.jemalloc_bg_thread);
    if ((server.tls.port || server.tls.replication || server.tls.cluster) && tlsConfigure() == C_ERR) {
        serverLog(LL_WARNING, "Failed to configure TLS. Check logs for more info.");
        exit(1);
    }
    int tls_failed;
    if (listenToPort(&tls_failed) == C_ERR) {
        serverLog(LL_WARNING, "Failed listening on port %u (%s), aborting.",
                  tls_failed ? server.tls.port : server.net.port, tls_failed ? "TLS" : "TCP");
        exit(1);
    }
    if (server.net.listeners.count == 0 && server.net.listeners.tls_count == 0 && server.net.listeners.unix_fd == -1) {
        serverLog(LL_WARNING, "Configured to not listen anywhere, exiting.");
        exit(1);
    }
    if (server.cluster.enabled) clusterInit();
    if (aeCreateTimeEvent(server.el, 1, serverCron, NULL, NULL) == AE_ERR) {
        serverPanic("Can't create event loop timers.");
    }
    aeSetBeforeSleepProc(server.el, beforeSleep);
    if (server.log.watchdog_period) applyWatchdogPeriod();
    setOOMScoreAdj(-1);
    recordStartupMemory();
}

/* ---------------------------------------------------------------- main */

static void version(void) {
    printf("Ember server v=%s (Redis %s compatible) malloc=%s bits=%d\n", EMBER_VERSION, REDIS_VERSION,
           zmalloc_lib_name(), (int)(sizeof(long) * 8));
    exit(0);
}

static void usage(void) {
    fprintf(stderr,
            "Usage: ./redis-server [/path/to/redis.conf] [options] [-]\n"
            "       ./redis-server - (read config from stdin)\n"
            "       ./redis-server -v or --version\n"
            "       ./redis-server -h or --help\n\n"
            "Examples:\n"
            "       ./redis-server (run the server with default config)\n"
            "       ./redis-server /etc/redis/6379.conf\n"
            "       ./redis-server --port 7777\n"
            "       ./redis-server /etc/myredis.conf --loglevel verbose -\n");
    exit(1);
}

/* An argument that names an option: it starts with "--". */
static int isOptionName(const char *arg) {
    return arg[0] == '-' && arg[1] == '-';
}

/* An option name given without its value ("--port", not "--port 6380"). */
static int isBareOptionName(const char *arg) {
    int words = 0;
    sds *split = sdssplitargs(arg, &words);
    sdsfreesplitres(split, words);
    return split != NULL && words == 1;
}

/* Turns the command-line options into config lines, Redis's way:
 * "--name v1 v2 --other v" becomes "name \"v1\" \"v2\"\nother \"v\"". An
 * argument starting with "--" names a new option, except right after an
 * option name that came without its value: then it is that value
 * ("--proc-title-template --my--title"). A "--save" with nothing after it
 * (at the end, or before another option) means `save ""`, and a "-" first or
 * last means "read the configuration from stdin too". */
static sds optionsFromArgv(int argc, char **argv, int first, int *from_stdin) {
    sds options = sdsempty();
    int want_value = 0; /* the last option name came without its value */
    for (int j = first; j < argc; j++) {
        const char *arg = argv[j];
        int last = j == argc - 1;
        if (!strcmp(arg, "-") && (j == 1 || last)) {
            *from_stdin = 1;
        } else if (!want_value && isOptionName(arg)) {
            if (sdslen(options)) options = sdscat(options, "\n");
            options = sdscat(options, arg + 2);
            options = sdscat(options, " ");
            want_value = isBareOptionName(arg);
            if (want_value && (last || isOptionName(argv[j + 1]))) {
                if (!strcasecmp(arg, "--save")) options = sdscat(options, "\"\"");
                if (!strcasecmp(arg, "--save") || !strcasecmp(arg, "--sentinel")) want_value = 0;
            }
        } else {
            options = sdscatrepr(options, arg, strlen(arg));
            options = sdscat(options, " ");
            want_value = 0;
        }
    }
    return options;
}

static char *absolutePath(const char *path) {
    if (path[0] == '/') return zstrdup(path);
    while (path[0] == '.' && path[1] == '/') path += 2; /* "./redis.conf" */
    char cwd[4096];
    if (getcwd(cwd, sizeof(cwd)) == NULL) return zstrdup(path);
    sds abs = sdscatprintf(sdsempty(), "%s/%s", cwd, path);
    char *res = zstrdup(abs);
    sdsfree(abs);
    return res;
}

/* The first lines of the log, in Redis's order and levels: who starts, then
 * whether a configuration was given (Redis looks only at whether there are
 * arguments at all), then what the configuration asks that Ember ignores. */
static void logStarting(int argc, const char *argv0) {
    serverLog(LL_WARNING, "Ember is starting");
    serverLog(LL_WARNING, "Ember version=%s, Redis version=%s, bits=%d, pid=%d, just started", EMBER_VERSION,
              REDIS_VERSION, (int)(sizeof(long) * 8), (int)getpid());
    if (argc == 1)
        serverLog(LL_WARNING, "Warning: no config file specified, using the default config. In order to specify "
                              "a config file use %s /path/to/redis.conf", argv0);
    else
        serverLog(LL_WARNING, "Configuration loaded");
    configWarnUnimplemented();
}

/* Where Redis shows its mode: one line, or, with always-show-logo or a
 * terminal as the log, a small banner of our own. Both carry " PID: <pid>",
 * the text tools wait for. */
static void printBanner(void) {
    int on_tty = (server.log.logfile == NULL || server.log.logfile[0] == '\0') && isatty(STDOUT_FILENO);
    const char *mode = server.cluster.enabled ? "cluster" : "standalone";
    if (!server.log.always_show_logo && !on_tty) {
        serverLog(LL_NOTICE, "Ember %s %s mode, port %d, PID: %d", EMBER_VERSION, mode, server.net.port, (int)getpid());
        return;
    }
    char banner[1024];
    snprintf(banner, sizeof(banner),
             "\n"
             "          )\n"
             "         ( )        Ember %s, Redis %s compatible (%d bit)\n"
             "        (   )\n"
             "       ( ,:, )      Mode: %s\n"
             "      (  :::  )     Port: %d\n"
             "       `-----'      PID: %d\n"
             "\n",
             EMBER_VERSION, REDIS_VERSION, (int)(sizeof(long) * 8), mode, server.net.port, (int)getpid());
    serverLogRaw(LL_NOTICE | LL_RAW, banner);
}

static void logReady(void) {
    if (server.net.listeners.count > 0 || server.net.listeners.tls_count > 0)
        serverLog(LL_NOTICE, "Ready to accept connections");
    if (server.net.listeners.unix_fd != -1)
        serverLog(LL_NOTICE, "The server is now ready to accept connections at %s", server.net.unixsocket);
}

int main(int argc, char **argv) {
    tzset();
    zmalloc_set_oom_handler(NULL);
    uint8_t seed[HASH_SEED_BYTES];
    getRandomBytes(seed, sizeof(seed));
    dictSetHashFunctionSeed(seed);
    srandom((unsigned int)(seed[0] | seed[1] << 8 | seed[2] << 16) ^ (unsigned int)getpid());
    argv = procTitleInit(argc, argv); /* argv's own memory becomes the title */
    server.executable = absolutePath(argv[0]);
    server.exec_argv = argv;
    initConfigValues();
    populateCommandTable();
    aclInit();
    /* redis-check-aof and redis-check-rdb are this binary under another name. */
    if (strstr(argv[0], "redis-check-aof") != NULL) redisCheckAofMain(argc, argv);
    if (strstr(argv[0], "redis-check-rdb") != NULL) redisCheckRdbMain(argc, argv);

    char *configfile = NULL;
    int first_option = 1, from_stdin = 0;
    if (argc >= 2) {
        if (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version")) version();
        if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) usage();
        if (argv[1][0] != '-') {
            configfile = argv[1];
            first_option = 2;
        }
    }
    sds options = optionsFromArgv(argc, argv, first_option, &from_stdin);
    if (configfile) server.configfile = absolutePath(configfile);
    loadServerConfig(server.configfile, (char)from_stdin, options);
    sdsfree(options);
    aclLoadUsersAtStartup();

    if (server.daemonize) daemonize();
    logStarting(argc, argv[0]);
    int supervised = 0;
    if (server.supervised_mode == SUPERVISED_SYSTEMD ||
        (server.supervised_mode == SUPERVISED_AUTODETECT && getenv("NOTIFY_SOCKET"))) {
        server.supervised_mode = SUPERVISED_SYSTEMD;
        supervised = redisSupervisedSystemd();
        server.supervised = supervised;
    }
    logOpenSyslog();
    initServer();
    ioThreadsInit();
    memoryApplyThpSetting();
    if (server.daemonize || (server.pidfile && server.pidfile[0])) createPidFile();
    updateProcTitle(NULL);
    printBanner();
    serverLog(LL_WARNING, "Server initialized");
    rdbInitState();
    if (server.persist.aof_enabled)
        aofLoadAtStartup();
    else
        loadDataFromDisk();
    logReady();
    if (supervised) redisCommunicateSystemd("STATUS=Ready to accept connections\nREADY=1\n");
    aeMain(server.el);
    aeDeleteEventLoop(server.el);
    return 0;
}

/* ------------------------------------------------------ server commands */

void timeCommand(client *c) {
    long long us = ustime();
    addReplyArrayLen(c, 2);
    addReplyBulkLongLong(c, us / 1000000);
    addReplyBulkLongLong(c, us % 1000000);
}

