/* loading.h — the state of a server that is loading its data set.
 *
 * A load at start-up (RDB or AOF), or of a replica's full sync (repl_load.c),
 * is a loading session: loadingBegin
 * opens it with the number of bytes to read, the loaders report what they
 * read with loadingAdvance, loadingEnd closes it. While a session is open
 * clients are served between reads (commands without the loading flag get
 * -LOADING), INFO shows the progress, systemd hears about it, and a
 * shutdown request ends the process without saving the partial data set.
 * A load outside a session (DEBUG RELOAD) holds the loop as before.
 */
#ifndef EMBER_LOADING_H
#define EMBER_LOADING_H

#include <sys/types.h>

#include "lib/sds.h"

/* Opens the session: total_bytes is what the loaders will read in all. */
void loadingBegin(off_t total_bytes);

/* The loaders read bytes more. Every loading-process-events-interval-bytes
 * the pending file events are served; may not return (shutdown). A no-op
 * outside a session. */
void loadingAdvance(off_t bytes);

/* The RDB being loaded says how much memory its writer used (aux used-mem). */
void loadingSetRdbUsedMem(long long bytes);

/* fn (or NULL) runs whenever the session serves clients, for as long as
 * it is open: a replica's load pings its primary from there. */
void loadingSetHeartbeat(void (*fn)(void));

/* Makes the open session asynchronous: between reads, clients are served
 * as if nothing were loading (only commands flagged no-async-loading get
 * -LOADING, INFO says loading:0 async_loading:1), after lend() has shown
 * them the previous data set; reclaim() takes it back before the load
 * goes on. */
void loadingSetAsync(void (*lend)(void), void (*reclaim)(void));

/* Closes the session. */
void loadingEnd(void);

/* 1 while a session is open. */
int loadingInSession(void);

/* Appends the loading_* INFO fields of an open session (nothing otherwise). */
sds loadingCatInfo(sds s);

#endif
