/* bio.c — background jobs, one thread per kind of work.
 *
 * Some work cannot be done in the event loop without stalling every
 * client: an fsync of the append-only file may take seconds on a busy disk,
 * closing the last descriptor of a large unlinked file makes the kernel free
 * its blocks, freeing a huge value walks millions of allocations. Such work
 * is handed here as a job: a function and its argument.
 *
 * Each worker (bio.h lists them) is a thread with its own FIFO queue and its
 * own mutex and condition variables; the jobs of one worker run one after
 * the other in submission order, the workers run side by side. A job counts
 * as pending from its submission until it has returned, so the main thread
 * can ask "is an fsync still running?" (bioPending) and wait for a worker to
 * go idle (bioDrain) before, for instance, closing the file an fsync uses.
 *
 * The module knows nothing about what the jobs do; the two common jobs at
 * the end (close a file, fsync a file) are thin users of the same API. The
 * only state the jobs share with the main thread is the last fsync error,
 * an atomic the AOF code reads to report a failed background fsync.
 *
 * File-scope state: the worker table, which the threads and the main thread
 * share under each worker's mutex.
 */
#include "server.h"
#include "bio.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

typedef struct bioJob {
    struct bioJob *next;
    bioJobFn *fn;
    void *arg;
} bioJob;

typedef struct bioWorkerState {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t newjob; /* signalled when a job is queued */
    pthread_cond_t idle;   /* signalled when a job has run */
    bioJob *head, *tail;
    unsigned long pending; /* queued + running */
} bioWorkerState;

static bioWorkerState workers[BIO_NUM_WORKERS];
static atomic_int last_fsync_errno;

static const char *workerName(int w) {
    static const char *names[BIO_NUM_WORKERS] = {"bio_close_file", "bio_aof", "bio_lazy_free"};
    return names[w];
}

static void *workerMain(void *arg) {
    bioWorkerState *ws = arg;
    sigset_t sigset;
    /* Signals are for the main thread (the watchdog's SIGALRM included). */
    sigemptyset(&sigset);
    sigaddset(&sigset, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &sigset, NULL);
    pthread_mutex_lock(&ws->lock);
    for (;;) {
        while (ws->head == NULL) pthread_cond_wait(&ws->newjob, &ws->lock);
        bioJob *job = ws->head;
        ws->head = job->next;
        if (ws->head == NULL) ws->tail = NULL;
        pthread_mutex_unlock(&ws->lock);
        job->fn(job->arg);
        zfree(job);
        pthread_mutex_lock(&ws->lock);
        ws->pending--;
        pthread_cond_broadcast(&ws->idle);
    }
    return NULL;
}

void bioInit(void) {
    for (int w = 0; w < BIO_NUM_WORKERS; w++) {
        bioWorkerState *ws = &workers[w];
        pthread_mutex_init(&ws->lock, NULL);
        pthread_cond_init(&ws->newjob, NULL);
        pthread_cond_init(&ws->idle, NULL);
        int err = pthread_create(&ws->thread, NULL, workerMain, ws);
        if (err != 0) {
            serverLog(LL_WARNING, "Fatal: Can't initialize Background Jobs. Error message: %s", strerror(err));
            exit(1);
        }
        pthread_setname_np(ws->thread, workerName(w));
    }
}

void bioSubmit(bioWorker w, bioJobFn *fn, void *arg) {
    bioWorkerState *ws = &workers[w];
    bioJob *job = zmalloc(sizeof(*job));
    job->next = NULL;
    job->fn = fn;
    job->arg = arg;
    pthread_mutex_lock(&ws->lock);
    if (ws->tail)
        ws->tail->next = job;
    else
        ws->head = job;
    ws->tail = job;
    ws->pending++;
    pthread_cond_signal(&ws->newjob);
    pthread_mutex_unlock(&ws->lock);
}

unsigned long bioPending(bioWorker w) {
    bioWorkerState *ws = &workers[w];
    pthread_mutex_lock(&ws->lock);
    unsigned long n = ws->pending;
    pthread_mutex_unlock(&ws->lock);
    return n;
}

void bioDrain(bioWorker w) {
    bioWorkerState *ws = &workers[w];
    pthread_mutex_lock(&ws->lock);
    while (ws->pending) pthread_cond_wait(&ws->idle, &ws->lock);
    pthread_mutex_unlock(&ws->lock);
}

/* ---------------------------------------------------------- common jobs */

static void closeJob(void *arg) {
    close((int)(intptr_t)arg);
}

static void fsyncJob(void *arg) {
    int fd = (int)(intptr_t)arg;
    int err = 0;
    if (fdatasync(fd) == -1 && errno != EBADF && errno != EINVAL) err = errno;
    atomic_store(&last_fsync_errno, err);
}

void bioCloseFile(int fd) {
    bioSubmit(BIO_CLOSE_FILE, closeJob, (void *)(intptr_t)fd);
}

void bioUnlinkFile(const char *path) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (unlink(path) == 0 && fd != -1) {
        bioCloseFile(fd);
    } else if (fd != -1) {
        close(fd);
    }
}

void bioFsyncFile(int fd) {
    bioSubmit(BIO_AOF_FSYNC, fsyncJob, (void *)(intptr_t)fd);
}

int bioLastFsyncError(void) {
    return atomic_load(&last_fsync_errno);
}
