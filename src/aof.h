/* aof.h — the append-only file: what the rest of the server calls.
 *
 * See aof.c for the model. The AOF is a consumer of the propagation stream
 * (propagate.h); the server calls in at a few points only: start-up
 * (aofLoadAtStartup), each turn of the loop (aofFlushBeforeSleep, before
 * replies are written, so a write is in the file before its client sees
 * the reply), serverCron (aofCron), command checks (aofWritesDenied),
 * CONFIG SET (aofApply*), INFO (aofCatInfo) and shutdown (aofShutdown).
 */
#ifndef EMBER_AOF_H
#define EMBER_AOF_H

#include "sds.h"

typedef struct client client;

/* appendfsync values (the config enum). */
#define AOF_FSYNC_NO 0
#define AOF_FSYNC_ALWAYS 1
#define AOF_FSYNC_EVERYSEC 2

/* With appendonly yes: loads the manifest's base and incremental files
 * into the empty databases (upgrading an old single appendonly.aof in dir
 * first), then opens the incremental file for appending and registers the
 * stream consumer. Exits the process, with a log line naming the file and
 * the reason, when the files cannot be used. Does nothing with appendonly
 * no. Called once, after initServer. */
void aofLoadAtStartup(void);

/* Writes the buffered stream to the file (and fsyncs it with appendfsync
 * always). Called by beforeSleep before replies are sent. */
void aofFlushBeforeSleep(void);

/* serverCron's share: postponed writes, the everysec fsync, retries after
 * a write error, reaping a finished rewrite, scheduled and automatic
 * rewrites. */
void aofCron(void);

/* True when write commands must be refused because the AOF cannot be
 * written (or a background fsync failed); aofDeniedWriteError then gives
 * the error reply text (a new sds, "-MISCONF ..." without the CRLF). */
int aofWritesDenied(void);
sds aofDeniedWriteError(void);

/* Appends the aof_* lines of INFO persistence to s (module_fork_* too). */
sds aofCatInfo(sds s);

/* Bytes of the stream buffered and not yet written (INFO mem_aof_buffer). */
size_t aofBufferLength(void);

/* CONFIG SET appendonly: yes starts the AOF with a rewrite of the dataset,
 * no stops it (the files stay). 0 with *err set on failure. */
int aofApplyAppendonly(const char **err);

/* CONFIG SET appendfsync: switching to always first syncs what the file
 * holds. Always succeeds. */
int aofApplyFsync(const char **err);

/* Before exit on SHUTDOWN or SIGTERM: kills a running rewrite, writes what
 * is buffered and fsyncs the file. C_ERR when the buffer cannot be
 * written. */
int aofShutdown(void);

/* A replica's full sync: the AOF stops before the new dataset loads (the
 * primary's stream must not reach it first), and once loaded (or on a
 * promotion) starts again with a rewrite whose base is the new dataset.
 * A start that fails is retried once a second by aofCron, ten times, then
 * the process exits as Redis does. Both do nothing with appendonly no. */
void aofStopForReplicaSync(void);
void aofRestartAfterReplicaSync(void);
/* A rewrite child is running (so a BGSAVE must wait, and vice versa). */
int aofRewriteInProgress(void);

void bgrewriteaofCommand(client *c);

/* redis-check-aof (check_aof.c): main() calls it when argv[0] names that
 * tool. Never returns: exits 0 when the AOF is valid (or was fixed). */
int redisCheckAofMain(int argc, char **argv) __attribute__((noreturn));

/* DEBUG AOF-WRITE-FAULT <errno-name>|SHORT|OFF: makes every write to the
 * AOF fail with that error (SHORT: writes only half) until OFF. 0 when the
 * name is not known. */
int aofDebugSetWriteFault(const char *name);

/* DEBUG LOADAOF: writes what is buffered, empties the data set and loads
 * it again from the AOF files (exiting, as Redis does, when they cannot be
 * loaded). C_ERR, nothing done, when appendonly is off. */
int aofDebugReload(void);

#endif
