/* bio.h — background jobs: work the main thread must not wait for.
 *
 * See bio.c. A job is a function and an argument handed to one of a few
 * workers, each a thread with its own queue, so a slow job of one kind
 * (an fsync on a busy disk) never delays another kind (closing a file).
 */
#ifndef EMBER_BIO_H
#define EMBER_BIO_H

/* The workers; each runs its jobs one at a time, in submission order. */
typedef enum bioWorker {
    BIO_CLOSE_FILE = 0, /* close(2) of files whose last link is gone */
    BIO_AOF_FSYNC,      /* fsync of the append-only file */
    BIO_LAZY_FREE,      /* freeing large values */
    BIO_NUM_WORKERS
} bioWorker;

/* A job: runs in the worker thread with the argument it was submitted with,
 * which it owns from then on. It must not touch server state the main
 * thread uses without a lock. */
typedef void bioJobFn(void *arg);

/* Starts the worker threads. Called once by initServer; exits the process
 * with a log line when a thread cannot be created. */
void bioInit(void);

/* Queues fn(arg) on worker w. Never blocks the caller. */
void bioSubmit(bioWorker w, bioJobFn *fn, void *arg);

/* Jobs of worker w queued or running: a job counts until it has returned. */
unsigned long bioPending(bioWorker w);

/* Waits until worker w has no job queued or running. */
void bioDrain(bioWorker w);

/* The common jobs. bioCloseFile closes fd; bioFsyncFile fsyncs fd (data
 * only) and records the outcome for bioLastFsyncError. The caller must
 * keep fd open until the fsync has run: close it with bioCloseFile (or
 * after bioDrain(BIO_AOF_FSYNC)) only once BIO_AOF_FSYNC has no job for
 * it, as aof.c does by draining first. */
void bioCloseFile(int fd);
void bioFsyncFile(int fd);
/* Unlinks path now and closes its last descriptor on the background, so
 * the kernel frees a big file's blocks off the main thread. */
void bioUnlinkFile(const char *path);

/* 0 when the most recent background fsync succeeded (or none ran), else
 * its errno. */
int bioLastFsyncError(void);

#endif
