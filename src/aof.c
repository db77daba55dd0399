/* aof.c — the append-only file while the server runs: the stream into a
 * buffer, the buffer into the file, the file onto the disk.
 *
 * The AOF is one consumer of the propagation layer (propagate.c). Each
 * command it receives is appended, in RESP, to an in-memory buffer; nothing
 * touches the file during a command. beforeSleep calls aofFlushBeforeSleep
 * before it writes replies to clients, so by the time a client sees the
 * reply of a write, that write is in the file — and, with appendfsync
 * always, on the disk. With everysec the fsync is a background job (bio.c)
 * started at most once a second; while one is still running the write is
 * postponed, for up to two seconds, after which the buffer is written
 * anyway and aof_delayed_fsync counts the event (as Redis does). With
 * appendfsync no the kernel decides.
 *
 * A failed or short write leaves the file as it was when it can
 * (ftruncate back to the last good size), keeps the buffer, and marks
 * aof_last_write_status err: from then on write commands get -MISCONF
 * (aofWritesDenied) until a retry from serverCron succeeds. With
 * appendfsync always there is no such grace: a write or fsync that fails
 * ends the process, since an acknowledged write could otherwise be lost.
 *
 * The files themselves follow Redis 7.0's multi-part layout, kept by
 * aof_manifest.c: a base file (the dataset at the last rewrite) and
 * incremental files appended since, listed in a manifest inside
 * appenddirname. Start-up loading is in aof_load.c, the rewrite (fork, new
 * base, new incr, manifest switch) in aof_rewrite.c.
 *
 * File-scope state: `aof` (aof_internal.h), the AOF's state, shared by the
 * four aof*.c files and by nothing else; the rest of the server asks
 * through aof.h.
 */
#include "aof_internal.h"
#include "bio.h"
#include "childproc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Write errors are logged at most this often (seconds). */
#define AOF_WRITE_LOG_ERROR_RATE 30
/* A write postponed behind a running fsync waits at most this long. */
#define AOF_FLUSH_POSTPONE_MAX 2

struct aofState aof = {
    .fd = -1,
    .consumer = -1,
    .last_write_status = C_OK,
    .bio_fsync_status = C_OK,
    .rewrite_start = -1,
    .last_rewrite_time = -1,
    .last_bgrewrite_status = C_OK,
};

/* ------------------------------------------------------------ the stream */

static void catToAofBuf(const char *p, size_t len, void *ctx) {
    (void)ctx;
    aof.buf = sdscatlen(aof.buf, p, len);
}

/* The propagation consumer: one command of the stream into the buffer,
 * after a "#TS:<unix seconds>" annotation when aof-timestamp-enabled and a
 * new second began (never inside MULTI/EXEC, which must stay whole). */
static void aofConsume(int dbid, robj **argv, int argc, void *priv) {
    (void)dbid;
    (void)priv;
    if (server.persist.aof_timestamp_enabled && !aof.in_multi && server.unixtime > aof.last_ts) {
        aof.buf = sdscatprintf(aof.buf, "#TS:%lld\r\n", (long long)server.unixtime);
        aof.last_ts = server.unixtime;
    }
    if (argc == 1 && argv[0] == propw.multi) aof.in_multi = 1;
    if (argc == 1 && argv[0] == propw.exec) aof.in_multi = 0;
    propagateEncodeResp(argv, argc, catToAofBuf, NULL);
}

void aofStartConsuming(void) {
    aofStopConsuming();
    if (aof.buf == NULL) aof.buf = sdsempty();
    aof.in_multi = 0;
    aof.consumer = propagateRegisterConsumer(aofConsume, NULL, PROPAGATE_AOF);
    serverAssert(aof.consumer != -1);
}

void aofStopConsuming(void) {
    if (aof.consumer == -1) return;
    propagateUnregisterConsumer(aof.consumer);
    aof.consumer = -1;
}

size_t aofBufferLength(void) {
    return aof.buf ? sdslen(aof.buf) : 0;
}

/* ----------------------------------------------------------------- files */

int aofOpenForAppend(const char *name) {
    sds path = aofFilePath(name);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd == -1) serverLog(LL_WARNING, "Can't open the append-only file %s: %s", path, strerror(errno));
    sdsfree(path);
    return fd;
}

void aofSwitchFd(int fd) {
    int old = aof.fd;
    aof.fd = fd;
    aof.last_incr_size = 0;
    aof.fsynced_size = 0;
    if (old == -1) return;
    /* A background fsync may still use the old descriptor. */
    bioDrain(BIO_AOF_FSYNC);
    bioCloseFile(old);
}

/* --------------------------------------------------------------- writing */

/* write(2) of all of p, retrying partial writes. Returns the bytes written:
 * less than len after an error (errno set). DEBUG AOF-WRITE-FAULT bends
 * this: every write fails, or only half of the bytes get written. */
static ssize_t aofWriteAll(int fd, const char *p, size_t len) {
    if (aof.fault_errno > 0) {
        errno = aof.fault_errno;
        return -1;
    }
    size_t want = aof.fault_errno < 0 ? len / 2 : len, done = 0;
    while (done < want) {
        ssize_t n = write(fd, p + done, want - done);
        if (n == -1) {
            if (errno == EINTR) continue;
            return done ? (ssize_t)done : -1;
        }
        done += (size_t)n;
    }
    if (want < len) errno = ENOSPC;
    return (ssize_t)done;
}

/* A write of the buffer failed after nwritten bytes (-1: none). Takes the
 * partial write back out of the file when it can; marks the error that
 * makes write commands fail with -MISCONF. */
static void aofWriteFailed(ssize_t nwritten, size_t expected) {
    static long long last_log;
    int err = errno;
    int can_log = server.unixtime - last_log > AOF_WRITE_LOG_ERROR_RATE;
    if (can_log) last_log = server.unixtime;
    if (nwritten == -1) {
        if (can_log) serverLog(LL_WARNING, "Error writing to the AOF file: %s", strerror(err));
    } else {
        if (can_log)
            serverLog(LL_WARNING, "Short write while writing to the AOF file: (nwritten=%lld, expected=%lld)",
                      (long long)nwritten, (long long)expected);
        if (ftruncate(aof.fd, aof.last_incr_size) == -1) {
            if (can_log)
                serverLog(LL_WARNING,
                          "Could not remove short write from the append-only file.  Redis may refuse to load the "
                          "AOF the next time it starts.  ftruncate: %s",
                          strerror(errno));
            /* The bytes are in the file now: keep only the rest. */
            aof.last_incr_size += nwritten;
            aof.current_size += nwritten;
            sdsrange(aof.buf, nwritten, -1);
        }
        err = ENOSPC;
    }
    if (server.persist.aof_fsync == AOF_FSYNC_ALWAYS) {
        serverLog(LL_WARNING,
                  "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
        exit(1);
    }
    aof.last_write_status = C_ERR;
    aof.last_write_errno = err;
}

/* Fsyncs as appendfsync asks, once the buffer is in the file. */
static void aofFsyncIfDue(void) {
    if (server.persist.aof_no_fsync_on_rewrite && childActive()) return;
    if (server.persist.aof_fsync == AOF_FSYNC_ALWAYS) {
        if (fdatasync(aof.fd) == -1) {
            serverLog(LL_WARNING,
                      "Can't persist AOF for fsync error when the AOF fsync policy is 'always': %s. Exiting...",
                      strerror(errno));
            exit(1);
        }
        aof.fsynced_size = aof.last_incr_size;
        aof.last_fsync = server.unixtime;
    } else if (server.persist.aof_fsync == AOF_FSYNC_EVERYSEC && server.unixtime > aof.last_fsync) {
        if (!bioPending(BIO_AOF_FSYNC)) bioFsyncFile(aof.fd);
        aof.fsynced_size = aof.last_incr_size;
        aof.last_fsync = server.unixtime;
    }
}

void aofFlush(int force) {
    if (aof.fd == -1) return;
    if (aof.buf == NULL || sdslen(aof.buf) == 0) {
        /* Written but not yet fsynced (the write came while a fsync ran). */
        if (server.persist.aof_fsync == AOF_FSYNC_EVERYSEC && aof.fsynced_size != aof.last_incr_size &&
            server.unixtime > aof.last_fsync && !bioPending(BIO_AOF_FSYNC))
            aofFsyncIfDue();
        return;
    }
    if (server.persist.aof_fsync == AOF_FSYNC_EVERYSEC && !force && bioPending(BIO_AOF_FSYNC)) {
        if (aof.flush_postponed_start == 0) {
            aof.flush_postponed_start = server.unixtime;
            return;
        }
        if (server.unixtime - aof.flush_postponed_start < AOF_FLUSH_POSTPONE_MAX) return;
        aof.delayed_fsync++;
        serverLog(LL_NOTICE, "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer "
                             "without waiting for fsync to complete, this may slow down Redis.");
    }
    aof.flush_postponed_start = 0;
    size_t len = sdslen(aof.buf);
    ssize_t nwritten = aofWriteAll(aof.fd, aof.buf, len);
    if (nwritten != (ssize_t)len) {
        aofWriteFailed(nwritten, len);
        return;
    }
    if (aof.last_write_status == C_ERR) {
        serverLog(LL_WARNING, "AOF write error looks solved, Redis can write again.");
        aof.last_write_status = C_OK;
    }
    aof.last_incr_size += nwritten;
    aof.current_size += nwritten;
    /* Keep a small buffer for the next turn, give a big one back. */
    if (sdsalloc(aof.buf) < 4000) {
        sdsclear(aof.buf);
    } else {
        sdsfree(aof.buf);
        aof.buf = sdsempty();
    }
    aofFsyncIfDue();
}

void aofFlushBeforeSleep(void) {
    if (aof.state != AOF_OFF) aofFlush(0);
}

/* --------------------------------------------------------------- errors */

int aofWritesDenied(void) {
    if (aof.state == AOF_OFF) return 0;
    return aof.last_write_status == C_ERR || aof.bio_fsync_status == C_ERR;
}

sds aofDeniedWriteError(void) {
    int err = aof.last_write_status == C_ERR ? aof.last_write_errno : aof.bio_fsync_errno;
    return sdscatprintf(sdsempty(), "-MISCONF Errors writing to the AOF file: %s", strerror(err));
}

/* Picks up the outcome of the last background fsync. */
static void aofCheckBioFsync(void) {
    int err = bioLastFsyncError();
    if (err && aof.bio_fsync_status == C_OK) {
        serverLog(LL_WARNING, "Fail to fsync the AOF file: %s", strerror(err));
        aof.bio_fsync_status = C_ERR;
        aof.bio_fsync_errno = err;
    } else if (!err && aof.bio_fsync_status == C_ERR) {
        aof.bio_fsync_status = C_OK;
    }
}

int aofDebugSetWriteFault(const char *name) {
    static const struct {
        const char *name;
        int err;
    } faults[] = {{"off", 0}, {"short", -1}, {"enospc", ENOSPC}, {"eio", EIO}, {"edquot", EDQUOT}};
    for (size_t j = 0; j < sizeof(faults) / sizeof(faults[0]); j++) {
        if (strcasecmp(name, faults[j].name)) continue;
        aof.fault_errno = faults[j].err;
        return 1;
    }
    return 0;
}

/* ----------------------------------------------------------------- cron */

void aofCron(void) {
    if (aof.restart_tries && server.cronloops % server.hz == 0) aofRestartAfterReplicaSync();
    if (aof.state == AOF_OFF && !aofRewriteInProgress() && !aof.rewrite_scheduled) return;
    aofCheckBioFsync();
    aofRewriteCron();
    if (aof.state == AOF_OFF) return;
    /* A postponed write, the everysec fsync, and a retry after an error. */
    if (aof.flush_postponed_start || server.persist.aof_fsync == AOF_FSYNC_EVERYSEC ||
        aof.last_write_status == C_ERR)
        aofFlush(0);
}

/* ------------------------------------------------------------- start/stop */

/* Stops appending: the buffer is written and fsynced, the file closed, a
 * running rewrite killed. The files stay where they are. */
static void aofStop(void) {
    aofFlush(1);
    if (aof.fd != -1) {
        if (fdatasync(aof.fd) == -1) serverLog(LL_WARNING, "Fail to fsync the AOF file: %s", strerror(errno));
        bioDrain(BIO_AOF_FSYNC);
        close(aof.fd);
        aof.fd = -1;
    }
    aofStopConsuming();
    aofKillRewriteChild();
    aof.state = AOF_OFF;
    aof.rewrite_scheduled = 0;
    aof.last_write_status = C_OK;
    aof.bio_fsync_status = C_OK;
    if (aof.buf) sdsclear(aof.buf);
}

void aofStopForReplicaSync(void) {
    aof.restart_tries = 0;
    if (aof.state != AOF_OFF) aofStop();
}

void aofRestartAfterReplicaSync(void) {
    if (!server.persist.aof_enabled || aof.state != AOF_OFF) {
        aof.restart_tries = 0;
        return;
    }
    if (aofStartAtRuntime() == C_OK) {
        aof.restart_tries = 0;
        return;
    }
    if (++aof.restart_tries >= 10) {
        serverLog(LL_WARNING, "FATAL: this replica instance finished the synchronization with its master, but the "
                              "AOF can't be turned on. Exiting now.");
        exit(1);
    }
    serverLog(LL_WARNING,
              "Failed enabling the AOF after successful master synchronization! Trying it again in one second.");
}

int aofApplyAppendonly(const char **err) {
    if (!server.persist.aof_enabled && aof.state != AOF_OFF) {
        aofStop();
    } else if (server.persist.aof_enabled && aof.state == AOF_OFF) {
        if (aofStartAtRuntime() == C_ERR) {
            *err = "Unable to turn on AOF. Check server logs.";
            return 0;
        }
    }
    return 1;
}

int aofApplyFsync(const char **err) {
    (void)err;
    /* Going to always: what everysec or no left unsynced is synced now. */
    if (server.persist.aof_fsync == AOF_FSYNC_ALWAYS && aof.fd != -1) {
        aofFlush(1);
        bioDrain(BIO_AOF_FSYNC);
        if (fdatasync(aof.fd) == -1) serverLog(LL_WARNING, "Fail to fsync the AOF file: %s", strerror(errno));
        aof.fsynced_size = aof.last_incr_size;
        aof.last_fsync = server.unixtime;
    }
    return 1;
}

int aofShutdown(void) {
    if (aofRewriteInProgress()) {
        serverLog(LL_WARNING, "There is a child rewriting the AOF. Killing it!");
        aofKillRewriteChild();
    }
    if (aof.state == AOF_OFF || aof.fd == -1) return C_OK;
    aofFlush(1);
    serverLog(LL_NOTICE, "Calling fsync() on the AOF file.");
    if (fdatasync(aof.fd) == -1) serverLog(LL_WARNING, "Fail to fsync the AOF file: %s.", strerror(errno));
    return C_OK;
}

/* ------------------------------------------------------------------ INFO */

sds aofCatInfo(sds s) {
    long long now = server.unixtime;
    s = sdscatprintf(s,
                     "aof_enabled:%d\r\n"
                     "aof_rewrite_in_progress:%d\r\n"
                     "aof_rewrite_scheduled:%d\r\n"
                     "aof_last_rewrite_time_sec:%lld\r\n"
                     "aof_current_rewrite_time_sec:%lld\r\n"
                     "aof_last_bgrewrite_status:%s\r\n"
                     "aof_rewrites:%lld\r\n"
                     "aof_rewrites_consecutive_failures:%lld\r\n"
                     "aof_last_write_status:%s\r\n"
                     "aof_last_cow_size:%zu\r\n"
                     "module_fork_in_progress:0\r\n"
                     "module_fork_last_cow_size:0\r\n",
                     aof.state != AOF_OFF, aofRewriteInProgress(), aof.rewrite_scheduled, aof.last_rewrite_time,
                     aofRewriteInProgress() ? now - aof.rewrite_start : -1,
                     aof.last_bgrewrite_status == C_OK ? "ok" : "err", aof.rewrites, aof.rewrites_failed,
                     (aof.last_write_status == C_OK && aof.bio_fsync_status == C_OK) ? "ok" : "err",
                     aof.last_cow_size);
    if (aof.state == AOF_OFF) return s;
    return sdscatprintf(s,
                        "aof_current_size:%lld\r\n"
                        "aof_base_size:%lld\r\n"
                        "aof_pending_rewrite:%d\r\n"
                        "aof_buffer_length:%zu\r\n"
                        "aof_pending_bio_fsync:%lu\r\n"
                        "aof_delayed_fsync:%lld\r\n",
                        (long long)aof.current_size, (long long)aof.base_size, aof.rewrite_scheduled,
                        aofBufferLength(), bioPending(BIO_AOF_FSYNC), aof.delayed_fsync);
}
