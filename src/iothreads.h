/* iothreads.h — io-threads: socket reads and writes shared out among
 * threads (iothreads.c).
 *
 * Commands always run on the main thread. With `io-threads N` (N > 1)
 * the main thread and N - 1 workers share a batch of clients whose
 * replies are written (and, with io-threads-do-reads, whose queries are
 * read) in one turn of the loop; the main thread waits for the whole
 * batch, then carries on alone. The job run for each client may touch
 * that client only (its connection, buffers, parser) and the allocator.
 */
#ifndef EMBER_IOTHREADS_H
#define EMBER_IOTHREADS_H

struct client;

/* Starts the io-threads - 1 workers (none with io-threads 1). Call once,
 * after the configuration is loaded. */
void ioThreadsInit(void);

/* Whether this batch of pending writes is worth the threads: io-threads
 * is above 1 and at least two clients per thread wait. Remembered for
 * INFO io_threads_active and for ioThreadsReadsDeferred. */
int ioThreadsUseFor(unsigned long pending_writes);

/* 1 when the last batch used the threads (INFO io_threads_active). */
int ioThreadsActive(void);

/* Whether a readable client's read waits for the threads (active, with
 * io-threads-do-reads). */
int ioThreadsReadsDeferred(void);

/* Runs job on every client of cs[0..n), client i on thread i % threads
 * (thread 0 being the caller), and returns when every job has run. */
void ioThreadsRun(struct client **cs, int n, void (*job)(struct client *c));

#endif
