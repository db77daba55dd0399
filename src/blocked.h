/* blocked.h — clients blocked on keys (BLPOP, BZPOPMIN, BLMOVE ...).
 *
 * A blocked client keeps its state in c->bstate: the keys it waits for and
 * its deadline. When a command fills one of those keys, signalKeyAsReady
 * queues it, and handleClientsBlockedOnKeys (after each command) serves the
 * waiting clients in the order they blocked. Deadlines live in a min-heap
 * that handleBlockedClientsTimeout checks from the cron and before sleep.
 */
#ifndef EMBER_BLOCKED_H
#define EMBER_BLOCKED_H

#include "adlist.h"
#include "dict.h"
#include "object.h"
#include "db.h"

typedef struct client client;

/* What a client blocked by BLPOP & co. waits for. */
#define BLOCKED_NONE 0
#define BLOCKED_LIST 1 /* waits for a list */
#define BLOCKED_ZSET 2 /* waits for a sorted set */
#define BLOCKED_STREAM 3 /* waits for a stream (XREAD) */
#define BLOCKED_STREAM_GROUP 4 /* waits for a stream in a group (XREADGROUP); also told when the key goes */
#define BLOCKED_WAIT 5 /* WAIT: for replicas' acknowledgements (no keys; repl_primary.c) */
#define BLOCKED_SHUTDOWN 6 /* SHUTDOWN waiting for lagging replicas (no keys, no timeout; shutdown.c) */
typedef struct blockingState {
    int btype;                /* BLOCKED_* */
    long long timeout;        /* unix ms deadline, 0 for none */
    dict *keys;               /* key sds -> this client's node in db->blocking_keys */
    struct redisObject *served_key; /* while served: the key that became ready (borrowed) */
    unsigned long heap_pos;         /* 1 + slot in server.blocking.bto_heap, 0 when not there */
    listNode *unblocked_node;       /* in server.blocking.unblocked_clients (CLIENT_UNBLOCKED) */
} blockingState;

void initBlockingState(void);
int getTimeoutFromObjectOrReply(client *c, robj *object, long long *timeout);
void signalKeyAsReady(redisDb *db, robj *key, int type);
/* Blocks c on keys[0..numkeys) (borrowed) until one holds a value of the
 * type btype waits for, or until timeout (unix ms, 0 forever); the command
 * in c->argv then runs again through call(). */
void blockForKeys(client *c, int btype, robj **keys, int numkeys, long long timeout);
/* 0 inside MULTI or a script, where a command that would block replies
 * like a timeout instead. */
int clientMayBlock(client *c);
void scanDatabaseForReadyKeys(redisDb *db);
void handleClientsBlockedOnKeys(void);
void handleBlockedClientsTimeout(void);
void processUnblockedClients(void);
void replyToBlockedClientTimedOut(client *c);
void unblockClient(client *c);
void blockedBeforeFreeClient(client *c);
/* A primary becoming a replica: every blocked client gets -UNBLOCKED
 * (its keys are now the primary's to change) and stops waiting. */
void disconnectAllBlockedClients(void);
void blpopCommand(client *c);
void brpopCommand(client *c);
void blmoveCommand(client *c);
void brpoplpushCommand(client *c);
void blmpopCommand(client *c);
void bzpopminCommand(client *c);
void bzpopmaxCommand(client *c);
void bzmpopCommand(client *c);
void clientUnblockCommand(client *c);

#endif /* EMBER_BLOCKED_H */
