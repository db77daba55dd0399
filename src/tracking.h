/* tracking.h — server-assisted client-side caching (tracking.c).
 *
 * A client that turns CLIENT TRACKING on is told when a key it may have
 * cached changes: RESP3 clients get `invalidate` push frames on their own
 * connection, RESP2 clients through another connection (REDIRECT) that
 * listens on the __redis__:invalidate channel. The rest of the server
 * feeds this module from a few places: call() (the keys a read-only
 * command read), signalModifiedKey (a key changed), the flush of a
 * database, processCommand (the table's size limit), beforeSleep (BCAST
 * messages) and the end of a client (freeClient, RESET).
 */
#ifndef EMBER_TRACKING_H
#define EMBER_TRACKING_H

#include <stdint.h>
#include "dict.h"
#include "object.h"

typedef struct client client;
struct redisCommand;

/* What a tracking client keeps besides its flags; allocated when tracking
 * is turned on, freed when it is turned off. Owned by the client. */
typedef struct trackingClientState {
    uint64_t redirect; /* id of the client invalidations go to, 0 for none */
    dict *prefixes;    /* BCAST prefixes (sds set), NULL when not BCAST */
} trackingClientState;

/* Turns tracking off for c (a no-op when it is off) and forgets its BCAST
 * prefixes. The keys it read stay in the table until they change, as in
 * Redis; they are then skipped for c. Used by CLIENT TRACKING OFF and
 * RESET. */
void disableTracking(client *c);

/* Everything c holds in this module, before c is freed. Clients that
 * redirect to c learn it is gone at their next invalidation. */
void trackingClientFree(client *c);

/* After the read-only command cmd of c (a tracking client not in BCAST
 * mode), its arguments still in c->argv: remembers its keys as read by c,
 * within the OPTIN / OPTOUT rules of CLIENT CACHING. */
void trackingRememberKeys(client *c, struct redisCommand *cmd);

/* key changed (c did it, or NULL for the server itself: expiry). Tells
 * every client that read it and forgets them; with bcast, also queues the
 * key for the BCAST clients of every matching prefix. key is borrowed and
 * may be freed right after the call. */
void trackingInvalidateKeyNow(client *c, robj *key, int bcast);
/* 1 once any client has turned tracking on (the tables then exist): until
 * then an invalidation costs a write one test. */
extern int tracking_in_use;
static inline void trackingInvalidateKey(client *c, robj *key, int bcast) {
    if (tracking_in_use) trackingInvalidateKeyNow(c, key, bcast);
}

/* A database (or all) was flushed: every tracking client gets a null
 * invalidation and the whole table is dropped (any db: the table ignores
 * databases, as Redis's does). */
void trackingInvalidateKeysOnFlush(void);

/* Sends the invalidations that were held back because they were for the
 * client running the command (so they follow its reply). call() runs it
 * when its outermost call ends. */
void trackingHandlePendingKeyInvalidations(void);

/* Sends the keys collected for each BCAST prefix during this turn of the
 * loop, one message per prefix; beforeSleep runs it. */
void trackingBroadcastInvalidationMessages(void);

/* Invalidates random keys while the table holds more than
 * tracking-table-max-keys keys (0: no limit), with an effort that grows
 * each time the limit is still exceeded. processCommand runs it. */
void trackingLimitUsedSlots(void);

/* The one-command CLIENT CACHING flag is spent: runs as a command ends,
 * outside MULTI, unless the command was a CLIENT subcommand. */
void trackingCachingAfterCommand(client *c);

/* CLIENT LIST's redir= field: the redirect id, 0, or -1 when off. */
long long trackingRedirectionOf(client *c);

/* INFO fields: tracking_clients, tracking_total_keys,
 * tracking_total_items, tracking_total_prefixes. */
unsigned long long trackingClientsCount(void);
unsigned long long trackingTotalKeys(void);
unsigned long long trackingTotalItems(void);
unsigned long long trackingTotalPrefixes(void);

/* CLIENT subcommands. */
void clientTrackingCommand(client *c);
void clientCachingCommand(client *c);
void clientGetRedirCommand(client *c);
void clientTrackingInfoCommand(client *c);

#endif /* EMBER_TRACKING_H */
