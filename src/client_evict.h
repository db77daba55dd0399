/* client_evict.h — maxmemory-clients: closing the clients that hold the
 * most memory when all clients together hold too much. See client_evict.c. */
#ifndef EMBER_CLIENT_EVICT_H
#define EMBER_CLIENT_EVICT_H

struct client;

/* Measures c again (clientTotalMemory, O(1)) and updates its share of the
 * total that maxmemory-clients limits. Called after c read or wrote and
 * from clientsCron. */
void clientMemUsageUpdate(struct client *c);
/* Takes c's share out of the total (c is being freed). */
void clientMemUsageForget(struct client *c);
/* While the clients' total is at or above the limit, closes the evictable
 * client holding the most memory, logging it and counting evicted_clients.
 * May free the client whose event is being handled: callers touch no
 * client after it. */
void evictClients(void);

#endif
