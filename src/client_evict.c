/* client_evict.c — maxmemory-clients.
 *
 * Redis 7.0 bounds the memory of all normal and pub/sub clients together:
 * query buffers, arguments, reply buffers. When the total reaches
 * `maxmemory-clients` (bytes, or with a `%` a share of maxmemory; 0, the
 * default, is no limit; never less than 128 KB, so a bad setting cannot
 * lock everybody out), the client holding the most is closed, then the
 * next, until the total is under the limit. A client that said CLIENT
 * NO-EVICT ON is never chosen, nor are replication links; they still count
 * in the total, as in Redis.
 *
 * Measuring a client is cheap (clientTotalMemory reads running counters),
 * so each client's figure is taken again in clientsCron and, while a limit
 * is set, after it reads or writes; the difference goes to one running
 * total. (Without a limit the cron pass alone keeps the total within about
 * a second of the truth, which is enough when a limit is then set.) A client
 * whose replies grow because of others (a subscriber) is seen by the cron
 * pass and by its own writes. Choosing the victim scans the clients; it
 * runs only when the limit is reached, and that scan is the price of not
 * keeping them sorted on every update.
 */
#include "server.h"
#include "client_evict.h"

/* The smallest limit applied, whatever maxmemory-clients says. */
#define CLIENT_EVICTION_MIN_LIMIT (128 * 1024)

/* What every client's last measure adds up to. */
static size_t counted_total;

static int clientCounts(client *c) {
    return !(c->flags & (CLIENT_MASTER | CLIENT_SLAVE)) || (c->flags & CLIENT_MONITOR);
}

void clientMemUsageUpdate(client *c) {
    size_t now = clientCounts(c) ? clientTotalMemory(c) : 0;
    counted_total = counted_total - c->mem_usage_counted + now;
    c->mem_usage_counted = now;
}

void clientMemUsageForget(client *c) {
    counted_total -= c->mem_usage_counted;
    c->mem_usage_counted = 0;
}

/* The limit in bytes, 0 when there is none. */
static size_t clientEvictionLimit(void) {
    ssize_t conf = server.limits.maxmemory_clients;
    size_t limit;
    if (conf > 0)
        limit = (size_t)conf;
    else if (conf < 0 && server.memory.maxmemory)
        limit = (size_t)((double)server.memory.maxmemory * (double)-conf / 100);
    else
        return 0;
    return limit < CLIENT_EVICTION_MIN_LIMIT ? CLIENT_EVICTION_MIN_LIMIT : limit;
}

static int clientEvictable(client *c) {
    return c->conn && clientCounts(c) && !(c->flags & (CLIENT_NO_EVICT | CLIENT_CLOSE_ASAP));
}

static client *largestEvictableClient(void) {
    client *best = NULL;
    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    while ((ln = listNext(&li))) {
        client *c = listNodeValue(ln);
        if (clientEvictable(c) && (!best || c->mem_usage_counted > best->mem_usage_counted)) best = c;
    }
    return best;
}

void evictClients(void) {
    size_t limit = clientEvictionLimit();
    if (limit == 0) return;
    while (counted_total >= limit) {
        client *c = largestEvictableClient();
        if (c == NULL) return;
        sds info = catClientInfoString(sdsempty(), c);
        serverLog(LL_NOTICE, "Evicting client: %s", info);
        sdsfree(info);
        server.stat.evicted_clients++;
        clientMemUsageForget(c);
        freeClient(c);
    }
}
