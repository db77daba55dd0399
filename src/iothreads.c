/* iothreads.c — io-threads N: the socket work of a turn shared among
 * threads, as Redis 7.0 does it.
 *
 * At -P 1 most of a request's cost is its two system calls, the read of
 * the query and the write of the reply. With io-threads N, beforeSleep
 * hands the clients that have replies waiting (and, with
 * io-threads-do-reads, those whose sockets were readable) to N - 1
 * workers and the main thread, client i to thread i % N, and the main
 * thread waits until every thread is done with its share. Only then does
 * anything else happen: the main thread parses and runs the commands,
 * keeps the statistics, installs write handlers and frees the clients
 * that failed. So a job touches nothing but its own client (connection,
 * buffers) and the allocator, which is thread-safe, and no lock guards
 * the server's state.
 *
 * A worker sleeps on its condition variable between batches; the main
 * thread wakes it with its share and then spins (yielding) on the
 * worker's done flag. The threads are worth waking only for a batch of
 * at least two clients per thread (ioThreadsUseFor, like Redis's rule);
 * smaller batches run on the main thread as without io-threads. TLS
 * connections stay on the main thread (the caller keeps them out of the
 * batch): a TLS write may change the connection's event registration.
 */
#include "server.h"
#include "iothreads.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

/* The most threads io-threads may ask for (its config range). */
#define IO_THREADS_MAX 128

typedef struct ioWorker {
    pthread_t tid;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int has_work;       /* under lock: a share was handed over */
    struct client **cs; /* the batch, and which of it is this worker's */
    int n, index;
    void (*job)(struct client *c);
    atomic_int done;    /* set by the worker when its share is done */
} ioWorker;

static ioWorker workers[IO_THREADS_MAX];
static int threads = 1; /* including the main thread */
static int active;

/* Runs the jobs of thread index (of threads) in cs[0..n). */
static void runShare(struct client **cs, int n, int index, void (*job)(struct client *c)) {
    for (int i = index; i < n; i += threads) job(cs[i]);
}

static void *workerMain(void *arg) {
    ioWorker *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->lock);
        while (!w->has_work) pthread_cond_wait(&w->wake, &w->lock);
        w->has_work = 0;
        pthread_mutex_unlock(&w->lock);
        runShare(w->cs, w->n, w->index, w->job);
        atomic_store_explicit(&w->done, 1, memory_order_release);
    }
    return NULL;
}

void ioThreadsInit(void) {
    int want = server.proc.io_threads_num;
    if (want < 1) want = 1;
    if (want > IO_THREADS_MAX) want = IO_THREADS_MAX;
    for (int j = 1; j < want; j++) {
        ioWorker *w = &workers[j];
        pthread_mutex_init(&w->lock, NULL);
        pthread_cond_init(&w->wake, NULL);
        w->index = j;
        atomic_init(&w->done, 1);
        if (pthread_create(&w->tid, NULL, workerMain, w) != 0) {
            serverLog(LL_WARNING, "Fatal: can't initialize IO thread %d.", j);
            exit(1);
        }
    }
    threads = want;
}

int ioThreadsUseFor(unsigned long pending_writes) {
    active = threads > 1 && pending_writes >= (unsigned long)threads * 2;
    return active;
}

int ioThreadsActive(void) {
    return active;
}

int ioThreadsReadsDeferred(void) {
    return active && server.proc.io_threads_do_reads;
}

void ioThreadsRun(struct client **cs, int n, void (*job)(struct client *c)) {
    int used = threads < n ? threads : n;
    for (int j = 1; j < used; j++) {
        ioWorker *w = &workers[j];
        pthread_mutex_lock(&w->lock);
        w->cs = cs;
        w->n = n;
        w->job = job;
        atomic_store_explicit(&w->done, 0, memory_order_relaxed);
        w->has_work = 1;
        pthread_cond_signal(&w->wake);
        pthread_mutex_unlock(&w->lock);
    }
    runShare(cs, n, 0, job);
    for (int j = 1; j < used; j++) {
        while (!atomic_load_explicit(&workers[j].done, memory_order_acquire)) sched_yield();
    }
}
