/* loading.c — serving clients while the data set is loaded.
 *
 * Loading a big file takes seconds to minutes. Redis users expect the
 * server to be up meanwhile: a client that connects gets -LOADING (and may
 * retry), INFO says how far the load is and how long it will take, and a
 * SIGTERM or SHUTDOWN ends the process at once without writing the
 * half-loaded data set over the good file. Under systemd, STATUS lines
 * report the progress and EXTEND_TIMEOUT_USEC pushes the start deadline
 * ahead as long as bytes keep arriving, so a long load is not killed while
 * a stuck one still is.
 *
 * The loaders (rdb_load.c, aof_load.c) only count bytes; this file decides
 * when to turn the event loop: every loading-process-events-interval-bytes
 * read, the pending file events are served without waiting and the
 * answers written (processEventsWhileBlocked). Time events (serverCron) do
 * not run during a load; what they would do that matters here (shutdown
 * requests) is done from the same place, and processEventsWhileBlocked
 * feeds the systemd watchdog.
 *
 * An asynchronous session (a replica's swapdb load from the history it
 * already has) serves its clients as if nothing were loading: a lender
 * set by the loader shows them the previous data set around each turn.
 * When the size is not known (an RDB streamed from a primary), progress
 * is estimated against the memory the RDB's writer used, as Redis does.
 */
#include "server.h"

#include "loading.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* systemd gets this much more time after each report of progress. */
#define LOADING_EXTEND_USEC (30LL * 1000000)

static struct {
    int open;
    time_t start_time;
    off_t total_bytes;
    off_t loaded_bytes;
    off_t next_events; /* loaded_bytes at which clients are served next */
    long long rdb_used_mem;
    long long last_report_ms;
    void (*heartbeat)(void);
    void (*lend)(void), (*reclaim)(void); /* set for an asynchronous load */
} ls;

int loadingInSession(void) {
    return ls.open;
}

void loadingBegin(off_t total_bytes) {
    ls.open = 1;
    ls.start_time = time(NULL);
    ls.total_bytes = total_bytes;
    ls.loaded_bytes = 0;
    ls.next_events = server.persist.loading_process_events_interval_bytes;
    ls.rdb_used_mem = 0;
    ls.last_report_ms = 0;
    server.persist.loading = 1;
}

void loadingSetHeartbeat(void (*fn)(void)) {
    ls.heartbeat = fn;
}

void loadingSetAsync(void (*lend)(void), void (*reclaim)(void)) {
    ls.lend = lend;
    ls.reclaim = reclaim;
}

void loadingEnd(void) {
    ls.open = 0;
    ls.heartbeat = NULL;
    ls.lend = ls.reclaim = NULL;
    server.persist.loading = 0;
}

void loadingSetRdbUsedMem(long long bytes) {
    ls.rdb_used_mem = bytes;
}

/* What the load will read in all: when the size is not known (an RDB
 * streamed from a primary), the memory its writer used is the estimate. */
static off_t expectedBytes(void) {
    return ls.total_bytes ? ls.total_bytes : (off_t)ls.rdb_used_mem;
}

static double loadedPercent(void) {
    return (double)ls.loaded_bytes / (double)(expectedBytes() + 1) * 100;
}

static long long keysInDataSet(void) {
    long long keys = 0;
    for (int j = 0; j < server.dbnum; j++) keys += (long long)dbSize(&server.db[j]);
    return keys;
}

/* About once a second: the progress to systemd. */
static void reportProgress(void) {
    long long now = mstime();
    if (now - ls.last_report_ms < 1000) return;
    ls.last_report_ms = now;
    if (server.supervised_mode != SUPERVISED_SYSTEMD || !server.supervised) return;
    char msg[160];
    snprintf(msg, sizeof(msg), "STATUS=Loading the data set: %.2f%% (%lld keys)\nEXTEND_TIMEOUT_USEC=%lld\n",
             loadedPercent(), keysInDataSet(), LOADING_EXTEND_USEC);
    redisCommunicateSystemd(msg);
}

/* A SIGTERM/SIGINT that arrived during the load: exit without saving. */
static void shutdownIfAsked(void) {
    if (!server.shutdown_asap || server.in_shutdown) return;
    if (prepareForShutdown(SHUTDOWN_NOSAVE | SHUTDOWN_NOW) == C_OK) exit(0);
    server.shutdown_asap = 0;
}

/* The pending events, with the previous data set lent to the clients
 * when the load is asynchronous. */
static void serveClients(void) {
    if (ls.lend == NULL) {
        processEventsWhileBlocked();
        return;
    }
    ls.lend();
    server.persist.loading = 0;
    server.persist.async_loading = 1;
    processEventsWhileBlocked();
    server.persist.async_loading = 0;
    server.persist.loading = 1;
    ls.reclaim();
}

void loadingAdvance(off_t bytes) {
    if (!ls.open) return;
    ls.loaded_bytes += bytes;
    if (ls.loaded_bytes < ls.next_events) return;
    ls.next_events = ls.loaded_bytes + server.persist.loading_process_events_interval_bytes;
    serveClients();
    shutdownIfAsked();
    reportProgress();
    if (ls.heartbeat) ls.heartbeat();
}

sds loadingCatInfo(sds s) {
    if (!ls.open) return s;
    long long elapsed = (long long)(time(NULL) - ls.start_time);
    off_t remaining = expectedBytes() > ls.loaded_bytes ? expectedBytes() - ls.loaded_bytes : 0;
    long long eta = elapsed == 0 ? 1 : elapsed * (long long)remaining / ((long long)ls.loaded_bytes + 1);
    return sdscatprintf(s,
                        "loading_start_time:%lld\r\n"
                        "loading_total_bytes:%lld\r\n"
                        "loading_rdb_used_mem:%lld\r\n"
                        "loading_loaded_bytes:%lld\r\n"
                        "loading_loaded_perc:%.2f\r\n"
                        "loading_eta_seconds:%lld\r\n",
                        (long long)ls.start_time, (long long)ls.total_bytes, ls.rdb_used_mem,
                        (long long)ls.loaded_bytes, loadedPercent(), eta);
}
