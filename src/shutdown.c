/* shutdown.c — SHUTDOWN and the end of the process on SIGTERM/SIGINT.
 *
 * A shutdown is never done inside a signal handler: the handler (server.c)
 * sets server.shutdown_asap and serverCron calls prepareForShutdown.
 *
 * As in Redis 7.0, a primary whose replicas have not acknowledged all of
 * its stream does not exit at once (unless NOW, or shutdown-timeout 0):
 * writes are paused (a PAUSE_DURING_SHUTDOWN pause), a REPLCONF GETACK *
 * asks every replica where it is, and the SHUTDOWN client blocks
 * (BLOCKED_SHUTDOWN) while shutdownCron, from serverCron and beforeSleep,
 * waits until every replica's offset is ours or shutdown-timeout seconds
 * passed. Then finishShutdown runs: lagging replicas are logged, the AOF
 * is flushed, the final RDB saved (save points, or SAVE; not NOSAVE), the
 * replicas' pending stream pushed out, and the process exits. A failed
 * save (without FORCE) cancels the shutdown: blocked SHUTDOWN clients get
 * the error, writes resume. SHUTDOWN ABORT cancels a wait the same way.
 *
 * Since the RDB holds the replication id and offset, a primary restarted
 * from it continues its old replicas by PSYNC (replication.c): the wait
 * is what makes their offsets equal to the saved one.
 */
#include "server.h"
#include "rdb.h"
#include "aof.h"
#include "childproc.h"
#include "script.h"
#include "script_ldb.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The shutdown waiting for replicas: its deadline (unix ms; 0 when none)
 * and its SHUTDOWN_* flags. */
static long long shutdown_mstime;
static int shutdown_wait_flags;

int isShutdownInitiated(void) {
    return shutdown_mstime != 0;
}

void removePidFile(void) {
    if (server.pidfile && (server.daemonize || server.pidfile[0])) unlink(server.pidfile);
}

/* Every SHUTDOWN client still waiting gets the error and is released. */
static void replyToClientsBlockedOnShutdown(void) {
    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    while ((ln = listNext(&li)) != NULL) {
        client *c = listNodeValue(ln);
        if (!(c->flags & CLIENT_BLOCKED) || c->bstate.btype != BLOCKED_SHUTDOWN) continue;
        addReplyError(c, "Errors trying to SHUTDOWN. Check logs.");
        unblockClient(c);
    }
}

/* The server goes on running: the wait (if any) ends, writes resume. */
static void cancelShutdown(void) {
    server.shutdown_asap = 0;
    server.last_sig_received = 0;
    shutdown_mstime = 0;
    shutdown_wait_flags = 0;
    replyToClientsBlockedOnShutdown();
    unpauseClients(PAUSE_DURING_SHUTDOWN);
}

/* The final snapshot of a shutdown: with save points (or SAVE) and not
 * NOSAVE. C_ERR when it was wanted and failed, unless FORCE. */
static int shutdownSave(int flags) {
    if ((flags & SHUTDOWN_NOSAVE) || (server.persist.saveparamslen == 0 && !(flags & SHUTDOWN_SAVE))) return C_OK;
    if (childRunningType() == CHILD_TYPE_RDB) {
        serverLog(LL_WARNING, "There is a child saving an .rdb. Killing it!");
        childKill();
    }
    serverLog(LL_NOTICE, "Saving the final RDB snapshot before exiting.");
    if (server.supervised_mode == SUPERVISED_SYSTEMD)
        redisCommunicateSystemd("STATUS=Saving the final RDB snapshot\n");
    if (rdbSaveForeground() == C_OK) return C_OK;
    if (flags & SHUTDOWN_FORCE) {
        serverLog(LL_WARNING, "Error trying to save the DB. Exit anyway.");
        return C_OK;
    }
    serverLog(LL_WARNING, "Error trying to save the DB, can't exit.");
    if (server.supervised_mode == SUPERVISED_SYSTEMD)
        redisCommunicateSystemd("STATUS=Error trying to save the DB, can't exit.\n");
    return C_ERR;
}

/* Everything done before exit(0). C_ERR (the shutdown cancelled) when
 * the final save failed without FORCE. */
static int finishShutdown(int flags) {
    server.in_shutdown = 1;
    replicationLogLaggingReplicas();
    ldbKillForkedSessions();
    if (server.supervised_mode == SUPERVISED_SYSTEMD) redisCommunicateSystemd("STOPPING=1\n");
    aofShutdown();
    if (shutdownSave(flags) != C_OK) {
        server.in_shutdown = 0;
        serverLog(LL_WARNING, "Errors trying to shut down the server. Check the logs for more information.");
        cancelShutdown();
        return C_ERR;
    }
    if (server.pidfile) {
        serverLog(LL_NOTICE, "Removing the pid file.");
        removePidFile();
    }
    childKill();
    replicationFlushReplicas(); /* best effort: what they are still owed */
    closeListeningSockets(1);
    serverLog(LL_WARNING, "Ember is now ready to exit, bye bye...");
    return C_OK;
}

int prepareForShutdown(int flags) {
    if (isShutdownInitiated()) return C_ERR;
    serverLog(LL_WARNING, "User requested shutdown...");
    if (!(flags & SHUTDOWN_NOW) && server.shutdown_timeout != 0 && !replicationReplicasInSync()) {
        shutdown_wait_flags = flags;
        shutdown_mstime = mstime() + (long long)server.shutdown_timeout * 1000;
        replicationSendGetack();
        pauseClients(PAUSE_DURING_SHUTDOWN, PAUSE_WRITE, LLONG_MAX);
        serverLog(LL_NOTICE, "Waiting for replicas before shutting down.");
        return C_ERR;
    }
    return finishShutdown(flags);
}

void shutdownCron(void) {
    if (!isShutdownInitiated()) return;
    if (mstime() < shutdown_mstime && !replicationReplicasInSync()) return;
    if (finishShutdown(shutdown_wait_flags) == C_OK) exit(0);
}

sds shutdownCatInfo(sds s) {
    if (!isShutdownInitiated()) return s;
    long long left = shutdown_mstime - mstime();
    return sdscatprintf(s, "shutdown_in_milliseconds:%lld\r\n", left > 0 ? left : 0);
}

/* Parses SHUTDOWN's flags; C_ERR after a syntax error reply. */
static int parseShutdownFlags(client *c, int *flags, int *abort_req) {
    for (int j = 1; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        if (!strcasecmp(opt, "nosave")) *flags |= SHUTDOWN_NOSAVE;
        else if (!strcasecmp(opt, "save")) *flags |= SHUTDOWN_SAVE;
        else if (!strcasecmp(opt, "now")) *flags |= SHUTDOWN_NOW;
        else if (!strcasecmp(opt, "force")) *flags |= SHUTDOWN_FORCE;
        else if (!strcasecmp(opt, "abort")) *abort_req = 1;
        else {
            addReplyErrorObject(c, shared.syntaxerr);
            return C_ERR;
        }
    }
    if ((*abort_req && *flags != SHUTDOWN_NOFLAGS) ||
        ((*flags & SHUTDOWN_NOSAVE) && (*flags & SHUTDOWN_SAVE))) {
        addReplyErrorObject(c, shared.syntaxerr);
        return C_ERR;
    }
    return C_OK;
}

/* SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. The client blocks while
 * the shutdown waits for replicas; it gets an error only if the shutdown
 * fails or is aborted. */
void shutdownCommand(client *c) {
    int flags = SHUTDOWN_NOFLAGS, abort_req = 0;
    if (parseShutdownFlags(c, &flags, &abort_req) != C_OK) return;
    if (abort_req) {
        if (!isShutdownInitiated()) {
            addReplyError(c, "No shutdown in progress.");
            return;
        }
        cancelShutdown();
        serverLog(LL_NOTICE, "Shutdown manually aborted.");
        addReply(c, shared.ok);
        return;
    }
    if (!(flags & SHUTDOWN_NOW) && !clientMayBlock(c)) {
        addReplyError(c, "SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client");
        return;
    }
    if (scriptIsTimedout() && !(flags & SHUTDOWN_NOSAVE)) {
        addReplyError(c, scriptBusyError());
        return;
    }
    /* A half-loaded data set must never replace the file it comes from. */
    if (server.persist.loading) flags = (flags & ~SHUTDOWN_SAVE) | SHUTDOWN_NOSAVE | SHUTDOWN_NOW;
    /* Waiting, the client stays blocked; failed, cancelShutdown replied. */
    blockForKeys(c, BLOCKED_SHUTDOWN, NULL, 0, 0);
    if (prepareForShutdown(flags) == C_OK) exit(0);
}
