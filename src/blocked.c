/* blocked.c — clients that wait for data: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH,
 * BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP, their timeouts, and CLIENT UNBLOCK.
 *
 * A blocking command first behaves like its non-blocking twin: when one of
 * its keys holds data it pops at once and replies. Otherwise blockForKeys()
 * records what the client waits for in c->bstate (the keys and the
 * deadline), sets CLIENT_BLOCKED — networking.c then keeps the command in
 * c->argv and leaves the rest of the client's input alone — and returns
 * without a reply.
 *
 * The structures, all updated together by blockForKeys and unblockClient:
 *   db->blocking_keys   key -> list of the clients blocked on it, oldest
 *                       first (first come, first served);
 *   c->bstate.keys      key -> the client's node in that list, so that
 *                       unblocking costs O(keys) and a key given twice is
 *                       waited on once;
 *   server.blocking.bto_heap     a binary min-heap of the clients with a deadline,
 *                       ordered by (deadline, client id); each client knows
 *                       its slot (bstate.heap_pos), so removal is O(log n)
 *                       and the timeout check never walks idle clients.
 *
 * Waking up. Whatever creates a key or changes its value ends in dbAdd or
 * signalModifiedKey (db.c), which call signalKeyAsReady for a key someone
 * waits on. That queues the key once in server.blocking.ready_keys (db->ready_keys
 * remembers what is queued). handleClientsBlockedOnKeys — run after every
 * command by processCommand and again in beforeSleep — takes the queue and,
 * for each key, walks its waiting clients in arrival order: each time the
 * key still holds a value of the type the client waits for, the client is
 * unblocked and its command runs again through call(), restricted to the
 * key that became ready (bstate.served_key), so it pops from that key as
 * in Redis 7.0. Going through call() is what makes a served command like
 * any other: its effects are propagated (as LPOP, LMOVE, ZPOPMIN ...) and
 * its time and failures land in INFO commandstats (CALL_RESUMED: it was
 * counted in `calls` when it blocked). A client waiting for another type
 * stays where it is (BLPOP on a key that became a sorted set keeps
 * waiting, as in Redis 7.0), except XREADGROUP (BLOCKED_STREAM_GROUP),
 * which is served when its key is gone or holds another type, so that
 * its command replies Redis's error (db.c signals such keys). Serving
 * may make other keys ready (BLMOVE
 * pushes to its destination), so the loop runs until the queue is empty.
 *
 * Unblocked clients (served, timed out, CLIENT UNBLOCK) are put on
 * server.blocking.unblocked_clients with CLIENT_UNBLOCKED; processUnblockedClients
 * (beforeSleep) then runs the commands they pipelined meanwhile. A client
 * freed while blocked or queued leaves every structure through
 * blockedBeforeFreeClient (called by freeClient).
 *
 * Deadlines are unix milliseconds (0: wait forever), checked in beforeSleep
 * and serverCron, so a timeout fires within one cron period of its
 * deadline, as in Redis.
 */
#include "server.h"
#include "notify.h"

#include <math.h>
#include <string.h>
#include <strings.h>

/* A key queued in server.blocking.ready_keys: the database and a copy of the name
 * (both owned by the entry). */
typedef struct readyList {
    redisDb *db;
    robj *key;
} readyList;

/* The three tables of this module own their sds keys (sdsSetDictType):
 * bstate.keys (key -> listNode* in db->blocking_keys, not owned),
 * db->blocking_keys (key -> list of clients, emptied and freed by
 * unblockClient before the entry goes) and db->ready_keys (the set of keys
 * of this db queued in server.blocking.ready_keys). */

/* Creates the per-database tables and the server lists of this module.
 * Called by initServer once the databases exist. */
void initBlockingState(void) {
    for (int j = 0; j < server.dbnum; j++) {
        server.db[j].blocking_keys = dictCreate(&sdsSetDictType);
        server.db[j].ready_keys = dictCreate(&sdsSetDictType);
    }
    server.blocking.ready_keys = listCreate();
    server.blocking.unblocked_clients = listCreate();
    server.blocking.blocked_clients = 0;
    server.blocking.bto_heap = NULL;
    server.blocking.bto_len = server.blocking.bto_size = 0;
}

/* ------------------------------------------------------------ timeouts */

/* Parses a timeout in seconds (fractions allowed) into an absolute unix
 * ms deadline, 0 meaning "forever". Like Redis, the milliseconds are
 * rounded up (0.0001 waits 1 ms), a value whose milliseconds do not fit a
 * long long is reported as negative, and a deadline past the end of time
 * is clamped. Replies the error and returns C_ERR on a bad value. */
int getTimeoutFromObjectOrReply(client *c, robj *object, long long *timeout) {
    long double secs;
    if (getLongDoubleFromObjectOrReply(c, object, &secs, "timeout is not a float or out of range") != C_OK)
        return C_ERR;
    long double ms = ceill(secs * 1000.0L);
    if (!(ms >= 0 && ms < 0x1p63L)) { /* negative, or too big: Redis's cast wraps it negative */
        addReplyError(c, "timeout is negative");
        return C_ERR;
    }
    long long tval = (long long)ms;
    if (tval > 0) {
        long long now = mstime();
        tval = tval > LLONG_MAX - now ? LLONG_MAX : tval + now;
    }
    *timeout = tval;
    return C_OK;
}

/* Heap order: earlier deadline first, then lower client id. */
static int btoBefore(const client *a, const client *b) {
    if (a->bstate.timeout != b->bstate.timeout) return a->bstate.timeout < b->bstate.timeout;
    return a->id < b->id;
}

/* Puts c in slot i (0-based) and records the slot in the client. */
static void btoPlace(unsigned long i, client *c) {
    server.blocking.bto_heap[i] = c;
    c->bstate.heap_pos = i + 1;
}

static void btoSiftUp(unsigned long i) {
    client *c = server.blocking.bto_heap[i];
    while (i > 0) {
        unsigned long parent = (i - 1) / 2;
        if (!btoBefore(c, server.blocking.bto_heap[parent])) break;
        btoPlace(i, server.blocking.bto_heap[parent]);
        i = parent;
    }
    btoPlace(i, c);
}

static void btoSiftDown(unsigned long i) {
    client *c = server.blocking.bto_heap[i];
    for (;;) {
        unsigned long child = 2 * i + 1;
        if (child >= server.blocking.bto_len) break;
        if (child + 1 < server.blocking.bto_len &&
            btoBefore(server.blocking.bto_heap[child + 1], server.blocking.bto_heap[child]))
            child++;
        if (!btoBefore(server.blocking.bto_heap[child], c)) break;
        btoPlace(i, server.blocking.bto_heap[child]);
        i = child;
    }
    btoPlace(i, c);
}

static void btoInsert(client *c) {
    if (server.blocking.bto_len == server.blocking.bto_size) {
        server.blocking.bto_size = server.blocking.bto_size ? server.blocking.bto_size * 2 : 16;
        server.blocking.bto_heap = zrealloc(server.blocking.bto_heap, sizeof(client *) * server.blocking.bto_size);
    }
    btoPlace(server.blocking.bto_len++, c);
    btoSiftUp(server.blocking.bto_len - 1);
}

static void btoRemove(client *c) {
    if (c->bstate.heap_pos == 0) return;
    unsigned long i = c->bstate.heap_pos - 1;
    c->bstate.heap_pos = 0;
    client *last = server.blocking.bto_heap[--server.blocking.bto_len];
    if (i == server.blocking.bto_len) return;
    btoPlace(i, last);
    btoSiftUp(i);
    btoSiftDown(last->bstate.heap_pos - 1);
}

/* The reply of a blocking command that gave up waiting: a null array
 * (RESP3 null) for every command here, BLMOVE included. */
void replyToBlockedClientTimedOut(client *c) {
    if (c->bstate.btype == BLOCKED_WAIT) {
        replicationReplyWaitCount(c);
        return;
    }
    addReplyNullArray(c);
}

/* Times out every client whose deadline has passed. */
void handleBlockedClientsTimeout(void) {
    if (server.blocking.bto_len == 0) return;
    long long now = mstime();
    while (server.blocking.bto_len && server.blocking.bto_heap[0]->bstate.timeout <= now) {
        client *c = server.blocking.bto_heap[0];
        replyToBlockedClientTimedOut(c);
        unblockClient(c);
    }
}

/* ------------------------------------------------------ block / unblock */

/* Blocks c on keys[0..numkeys) (borrowed; copies are kept) until one of
 * them holds a value of the type btype waits for (BLOCKED_LIST: a list,
 * BLOCKED_ZSET: a sorted set, BLOCKED_STREAM: a stream), or until timeout
 * (unix ms, 0 forever). The command stays in c->argv and runs again when
 * the client is served. */
void blockForKeys(client *c, int btype, robj **keys, int numkeys, long long timeout) {
    blockingState *bs = &c->bstate;
    bs->btype = btype;
    bs->timeout = timeout;
    bs->keys = dictCreate(&sdsSetDictType);
    for (int j = 0; j < numkeys; j++) {
        sds name = keys[j]->ptr;
        if (dictFind(bs->keys, name)) continue;
        dictEntry *de = dictFind(c->db->blocking_keys, name);
        list *waiting;
        if (de == NULL) {
            waiting = listCreate();
            dictAdd(c->db->blocking_keys, sdsdup(name), waiting);
        } else {
            waiting = dictGetVal(de);
        }
        listAddNodeTail(waiting, c);
        dictAdd(bs->keys, sdsdup(name), listLast(waiting));
    }
    if (timeout) btoInsert(c);
    c->flags |= CLIENT_BLOCKED;
    server.blocking.blocked_clients++;
}

/* Releases everything a blocked client holds in this module. */
static void releaseBlockingState(client *c) {
    blockingState *bs = &c->bstate;
    dictIterator *di = dictGetIterator(bs->keys);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        sds name = dictGetKey(de);
        dictEntry *bde = dictFind(c->db->blocking_keys, name);
        serverAssert(bde != NULL);
        list *waiting = dictGetVal(bde);
        listDelNode(waiting, dictGetVal(de));
        if (listLength(waiting) == 0) {
            listRelease(waiting);
            dictDelete(c->db->blocking_keys, name);
        }
    }
    dictReleaseIterator(di);
    dictRelease(bs->keys);
    bs->keys = NULL;
    btoRemove(c);
    if (bs->btype == BLOCKED_WAIT) replicationWaitReleased(c);
    bs->btype = BLOCKED_NONE;
    c->flags &= ~CLIENT_BLOCKED;
    server.blocking.blocked_clients--;
}

/* Drops the command a client kept while blocked and queues the client so
 * the commands it sent meanwhile run in beforeSleep. */
static void queueUnblockedClient(client *c) {
    resetClient(c);
    if (!(c->flags & CLIENT_UNBLOCKED)) {
        c->flags |= CLIENT_UNBLOCKED;
        listAddNodeTail(server.blocking.unblocked_clients, c);
        c->bstate.unblocked_node = listLast(server.blocking.unblocked_clients);
    }
}

/* Ends the wait of a blocked client whose reply (timeout, error) is
 * already written, without running its command again. */
void unblockClient(client *c) {
    serverAssert(c->flags & CLIENT_BLOCKED);
    releaseBlockingState(c);
    queueUnblockedClient(c);
}

/* Called by freeClient for a client that is blocked or waiting in
 * server.blocking.unblocked_clients: removes it from every structure here. */
void blockedBeforeFreeClient(client *c) {
    if (c->flags & CLIENT_BLOCKED) releaseBlockingState(c);
    if (c->flags & CLIENT_UNBLOCKED) {
        listDelNode(server.blocking.unblocked_clients, c->bstate.unblocked_node);
        c->bstate.unblocked_node = NULL;
        c->flags &= ~CLIENT_UNBLOCKED;
    }
}

/* Runs the input that unblocked clients received while they waited. */
void processUnblockedClients(void) {
    while (listLength(server.blocking.unblocked_clients)) {
        listNode *ln = listFirst(server.blocking.unblocked_clients);
        client *c = listNodeValue(ln);
        listDelNode(server.blocking.unblocked_clients, ln);
        c->bstate.unblocked_node = NULL;
        c->flags &= ~CLIENT_UNBLOCKED;
        if (c->flags & (CLIENT_BLOCKED | CLIENT_CLOSE_ASAP | CLIENT_IN_PAUSE_QUEUE)) continue;
        if (c->qb_pos < sdslen(c->querybuf)) processInputBuffer(c);
    }
}

/* ------------------------------------------------------------ readiness */

/* Queues key of db for handleClientsBlockedOnKeys if some client waits on
 * it (cheap otherwise: one size test, or one lookup). type is the type of
 * the key's value (informational). key is borrowed. */
void signalKeyAsReady(redisDb *db, robj *key, int type) {
    (void)type;
    if (db->blocking_keys == NULL || dictSize(db->blocking_keys) == 0) return;
    if (dictFind(db->blocking_keys, key->ptr) == NULL) return;
    if (dictFind(db->ready_keys, key->ptr) != NULL) return;
    readyList *rl = zmalloc(sizeof(*rl));
    rl->db = db;
    rl->key = createStringObject(key->ptr, sdslen(key->ptr));
    listAddNodeTail(server.blocking.ready_keys, rl);
    dictAdd(db->ready_keys, sdsdup(key->ptr), NULL);
}

/* After the contents of db changed wholesale (SWAPDB, FLUSHALL): every
 * waited-on key is signalled; serving sorts out which clients it fills
 * and which XREADGROUP clients learn that their stream is gone. */
void scanDatabaseForReadyKeys(redisDb *db) {
    if (db->blocking_keys == NULL || dictSize(db->blocking_keys) == 0) return;
    /* Safe iterator: signalKeyAsReady looks keys up in this table. */
    dictIterator *di = dictGetSafeIterator(db->blocking_keys);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        sds name = dictGetKey(de);
        robj keyobj = {.type = OBJ_STRING, .encoding = OBJ_ENCODING_RAW, .refcount = OBJ_STATIC_REFCOUNT, .ptr = name};
        robj *o = lookupKeyReadWithFlags(db, &keyobj, LOOKUP_NOTOUCH | LOOKUP_NONOTIFY | LOOKUP_NOSTATS);
        signalKeyAsReady(db, &keyobj, o ? o->type : -1);
    }
    dictReleaseIterator(di);
}

/* ------------------------------------------------------------- serving */

/* The keys a blocking command looks at: all of keys[0..*numkeys) on its
 * first run; only the key that became ready when it is served. */
static robj **keysToTry(client *c, robj **keys, int *numkeys) {
    if (c->bstate.served_key == NULL) return keys;
    *numkeys = 1;
    return &c->bstate.served_key;
}

/* Serves receiver from key, which holds a value of the type it waits for:
 * unblocks it and runs its command again through call(). key is borrowed. */
static void serveBlockedClient(client *receiver, robj *key) {
    releaseBlockingState(receiver);
    receiver->bstate.served_key = key;
    client *running = server.current_client;
    server.current_client = receiver;
    call(receiver, CALL_RESUMED);
    server.current_client = running;
    receiver->bstate.served_key = NULL;
    if (!(receiver->flags & CLIENT_BLOCKED)) queueUnblockedClient(receiver);
}

/* The value type a client blocked with btype waits for. */
static int blockedValueType(int btype) {
    switch (btype) {
    case BLOCKED_LIST: return OBJ_LIST;
    case BLOCKED_ZSET: return OBJ_ZSET;
    default: return OBJ_STREAM; /* BLOCKED_STREAM, BLOCKED_STREAM_GROUP */
    }
}

/* Serves, in arrival order, the clients waiting on one ready key while the
 * key holds a value of the type they wait for. */
static void serveClientsBlockedOnKey(readyList *rl) {
    dictEntry *de = dictFind(rl->db->blocking_keys, rl->key->ptr);
    if (de == NULL) return;
    list *waiting = dictGetVal(de);
    listIter li;
    listNode *ln;
    listRewind(waiting, &li);
    /* Serving a client removes only its own node; when that empties the
     * list (and frees it) the iterator is already at its end. */
    while ((ln = listNext(&li)) != NULL) {
        client *receiver = listNodeValue(ln);
        robj *o = lookupKeyWrite(rl->db, rl->key);
        if (receiver->flags & CLIENT_CLOSE_ASAP) continue;
        /* XREADGROUP is told when its stream is gone (its command replies the error). */
        int told_when_gone = receiver->bstate.btype == BLOCKED_STREAM_GROUP;
        if (o == NULL || o->type != blockedValueType(receiver->bstate.btype)) {
            if (told_when_gone) serveBlockedClient(receiver, rl->key);
            continue;
        }
        serveBlockedClient(receiver, rl->key);
    }
}

/* Serves the clients blocked on every key signalled ready, until serving
 * makes no more keys ready. */
void handleClientsBlockedOnKeys(void) {
    while (listLength(server.blocking.ready_keys) != 0) {
        list *batch = server.blocking.ready_keys;
        server.blocking.ready_keys = listCreate();
        while (listLength(batch) != 0) {
            listNode *ln = listFirst(batch);
            readyList *rl = listNodeValue(ln);
            listDelNode(batch, ln);
            /* Removed first, so that serving can queue the key again. */
            dictDelete(rl->db->ready_keys, rl->key->ptr);
            serveClientsBlockedOnKey(rl);
            decrRefCount(rl->key);
            zfree(rl);
        }
        listRelease(batch);
    }
}

/* --------------------------------------------------------------- lists */

/* Whether c may block: not inside MULTI or a script, where a blocking
 * command that finds no data replies like a timeout. */
int clientMayBlock(client *c) {
    return !(c->flags & (CLIENT_MULTI | CLIENT_SCRIPT));
}

/* Pops one element from the list src at srckey and replies it; for a move
 * (dstkey not NULL) pushes it to dstkey first (dst is its current value or
 * NULL). Deletes an emptied source, signals, announces ("lpush"/"rpush" on
 * dstkey, then "lpop"/"rpop" and "del" on srckey, Redis's order) and counts
 * the change. */
static void listBlockingPop(client *c, robj *srckey, robj *src, int wherefrom, robj *dstkey, robj *dst, int whereto) {
    robj *value = listTypePop(src, wherefrom);
    serverAssert(value != NULL);
    if (dstkey) {
        /* src and dst may be one list: push before testing for emptiness. */
        lmoveHandlePush(c, dstkey, dst, value, whereto);
    } else {
        addReplyArrayLen(c, 2);
        addReplyBulk(c, srckey);
        addReplyBulk(c, value);
    }
    decrRefCount(value);
    signalModifiedKey(c, c->db, srckey);
    notifyKeyspaceEvent(NOTIFY_LIST, wherefrom == LIST_HEAD ? "lpop" : "rpop", srckey, c->db->id);
    if (listTypeLength(src) == 0 && dbDelete(c->db, srckey))
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", srckey, c->db->id);
    server.dirty++;
}

/* BLPOP / BRPOP key [key ...] timeout. Propagated as LPOP/RPOP key. */
static void blockingPopGenericCommand(client *c, int where) {
    long long timeout;
    if (getTimeoutFromObjectOrReply(c, c->argv[c->argc - 1], &timeout) != C_OK) return;
    int numkeys = c->argc - 2;
    robj **keys = keysToTry(c, c->argv + 1, &numkeys);
    for (int j = 0; j < numkeys; j++) {
        robj *o = lookupKeyWrite(c->db, keys[j]);
        if (o == NULL) continue;
        if (checkType(c, o, OBJ_LIST)) return;
        rewritePropagatedCommand(c, 2, where == LIST_HEAD ? propw.lpop : propw.rpop, keys[j]);
        listBlockingPop(c, keys[j], o, where, NULL, NULL, 0);
        return;
    }
    if (!clientMayBlock(c)) {
        addReplyNullArray(c);
        return;
    }
    blockForKeys(c, BLOCKED_LIST, c->argv + 1, c->argc - 2, timeout);
}

void blpopCommand(client *c) {
    blockingPopGenericCommand(c, LIST_HEAD);
}

void brpopCommand(client *c) {
    blockingPopGenericCommand(c, LIST_TAIL);
}

/* BLMOVE / BRPOPLPUSH with the ends already parsed; the timeout is the
 * last argument. Propagated as LMOVE (with the ends as given) or
 * RPOPLPUSH. */
static void blmoveGenericCommand(client *c, int wherefrom, int whereto) {
    long long timeout;
    if (getTimeoutFromObjectOrReply(c, c->argv[c->argc - 1], &timeout) != C_OK) return;
    robj *src = lookupKeyWrite(c->db, c->argv[1]);
    if (checkType(c, src, OBJ_LIST)) return;
    if (src != NULL) {
        robj *dst = lookupKeyWrite(c->db, c->argv[2]);
        if (checkType(c, dst, OBJ_LIST)) return;
        if (c->argc == 6)
            rewritePropagatedCommand(c, 5, propw.lmove, c->argv[1], c->argv[2], c->argv[3], c->argv[4]);
        else
            rewritePropagatedCommand(c, 3, propw.rpoplpush, c->argv[1], c->argv[2]);
        listBlockingPop(c, c->argv[1], src, wherefrom, c->argv[2], dst, whereto);
        return;
    }
    if (!clientMayBlock(c)) {
        addReplyNull(c);
        return;
    }
    blockForKeys(c, BLOCKED_LIST, c->argv + 1, 1, timeout);
}

/* BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout */
void blmoveCommand(client *c) {
    int wherefrom, whereto;
    if (getListPositionFromObjectOrReply(c, c->argv[3], &wherefrom) != C_OK) return;
    if (getListPositionFromObjectOrReply(c, c->argv[4], &whereto) != C_OK) return;
    blmoveGenericCommand(c, wherefrom, whereto);
}

/* BRPOPLPUSH source destination timeout */
void brpoplpushCommand(client *c) {
    blmoveGenericCommand(c, LIST_TAIL, LIST_HEAD);
}

/* Parses "numkeys key [key ...] <end> [COUNT count]" from argv[2] for
 * BLMPOP and BZMPOP: ends are LEFT/RIGHT (LIST_HEAD/LIST_TAIL) when sorted is
 * 0, MIN/MAX (ZSET_MIN/ZSET_MAX) when 1. count is -1 when not given.
 * Replies the error and returns C_ERR on a bad command line. */
static int parseMultiPopArgs(client *c, int sorted, long *numkeys, int *where, long *count) {
    if (getRangeLongFromObjectOrReply(c, c->argv[2], 1, LONG_MAX, numkeys, "numkeys should be greater than 0") !=
        C_OK)
        return C_ERR;
    if (*numkeys > c->argc - 4) {
        addReplyErrorObject(c, shared.syntaxerr);
        return C_ERR;
    }
    int where_idx = 3 + (int)*numkeys;
    const char *w = c->argv[where_idx]->ptr;
    if (!strcasecmp(w, sorted ? "min" : "left")) {
        *where = sorted ? ZSET_MIN : LIST_HEAD;
    } else if (!strcasecmp(w, sorted ? "max" : "right")) {
        *where = sorted ? ZSET_MAX : LIST_TAIL;
    } else {
        addReplyErrorObject(c, shared.syntaxerr);
        return C_ERR;
    }
    *count = -1;
    for (int j = where_idx + 1; j < c->argc; j++) {
        if (*count == -1 && j + 1 < c->argc && !strcasecmp(c->argv[j]->ptr, "count")) {
            if (getRangeLongFromObjectOrReply(c, c->argv[j + 1], 1, LONG_MAX, count,
                                              "count should be greater than 0") != C_OK)
                return C_ERR;
            j++;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return C_ERR;
        }
    }
    return C_OK;
}

/* BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] */
void blmpopCommand(client *c) {
    long numkeys, count;
    int where;
    long long timeout;
    if (parseMultiPopArgs(c, 0, &numkeys, &where, &count) != C_OK) return;
    if (getTimeoutFromObjectOrReply(c, c->argv[1], &timeout) != C_OK) return;
    if (count == -1) count = 1;
    int ntry = (int)numkeys;
    robj **keys = keysToTry(c, c->argv + 3, &ntry);
    for (int j = 0; j < ntry; j++) {
        robj *o = lookupKeyWrite(c->db, keys[j]);
        if (o == NULL) continue;
        if (checkType(c, o, OBJ_LIST)) return;
        listPopRangeAndReplyWithKey(c, o, keys[j], where, count);
        return;
    }
    if (!clientMayBlock(c)) {
        addReplyNullArray(c);
        return;
    }
    blockForKeys(c, BLOCKED_LIST, c->argv + 3, (int)numkeys, timeout);
}

/* -------------------------------------------------------- sorted sets */

/* 1 if one of keys[0..n) exists (expired keys are removed on the way). */
static int anyKeyExists(client *c, robj **keys, int n) {
    for (int j = 0; j < n; j++)
        if (lookupKeyWrite(c->db, keys[j]) != NULL) return 1;
    return 0;
}

/* BZPOPMIN / BZPOPMAX key [key ...] timeout */
static void bzpopMinMaxCommand(client *c, int where) {
    long long timeout;
    if (getTimeoutFromObjectOrReply(c, c->argv[c->argc - 1], &timeout) != C_OK) return;
    int numkeys = c->argc - 2;
    robj **keys = keysToTry(c, c->argv + 1, &numkeys);
    if (anyKeyExists(c, keys, numkeys) || !clientMayBlock(c)) {
        /* Pops from the first existing key, or replies WRONGTYPE for it;
         * a null array when nothing exists (inside MULTI). */
        genericZpopCommand(c, keys, numkeys, where, 1, -1, 0, 1, NULL);
        return;
    }
    blockForKeys(c, BLOCKED_ZSET, c->argv + 1, c->argc - 2, timeout);
}

void bzpopminCommand(client *c) {
    bzpopMinMaxCommand(c, ZSET_MIN);
}

void bzpopmaxCommand(client *c) {
    bzpopMinMaxCommand(c, ZSET_MAX);
}

/* BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
void bzmpopCommand(client *c) {
    long numkeys, count;
    int where;
    long long timeout;
    if (parseMultiPopArgs(c, 1, &numkeys, &where, &count) != C_OK) return;
    if (getTimeoutFromObjectOrReply(c, c->argv[1], &timeout) != C_OK) return;
    if (count == -1) count = 1;
    int ntry = (int)numkeys;
    robj **keys = keysToTry(c, c->argv + 3, &ntry);
    if (anyKeyExists(c, keys, ntry) || !clientMayBlock(c)) {
        genericZpopCommand(c, keys, ntry, where, 1, count, 1, 1, NULL);
        return;
    }
    blockForKeys(c, BLOCKED_ZSET, c->argv + 3, (int)numkeys, timeout);
}

/* ------------------------------------------------ the role changes */

void disconnectAllBlockedClients(void) {
    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    while ((ln = listNext(&li)) != NULL) {
        client *c = listNodeValue(ln);
        if (!(c->flags & CLIENT_BLOCKED) || c->bstate.btype == BLOCKED_SHUTDOWN) continue;
        addReplyError(c, "-UNBLOCKED force unblock from blocking operation, instance state changed (master -> "
                         "replica?)");
        unblockClient(c);
    }
}

/* ------------------------------------------------------- CLIENT UNBLOCK */

/* CLIENT UNBLOCK client-id [TIMEOUT|ERROR]: ends the wait of a client
 * blocked on keys, with the timeout reply (default) or an UNBLOCKED error.
 * Replies 1 if the client was blocked, else 0. A client held by CLIENT
 * PAUSE is not blocked in this sense (Redis 7.0.15 crashes on it). */
void clientUnblockCommand(client *c) {
    long long id;
    int unblock_error = 0;
    if (c->argc > 4) {
        addReplyErrorSubcommandSyntax(c);
        return;
    }
    if (getLongLongFromObjectOrReply(c, c->argv[2], &id, NULL) != C_OK) return;
    if (c->argc == 4) {
        if (!strcasecmp(c->argv[3]->ptr, "timeout")) {
            unblock_error = 0;
        } else if (!strcasecmp(c->argv[3]->ptr, "error")) {
            unblock_error = 1;
        } else {
            addReplyError(c, "CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            return;
        }
    }
    client *target = NULL;
    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    while ((ln = listNext(&li)) != NULL) {
        client *cand = listNodeValue(ln);
        if (cand->id == (uint64_t)id) {
            target = cand;
            break;
        }
    }
    if (target == NULL || !(target->flags & CLIENT_BLOCKED) || target->bstate.btype == BLOCKED_SHUTDOWN) {
        addReply(c, shared.czero);
        return;
    }
    if (unblock_error)
        addReplyError(target, "-UNBLOCKED client unblocked via CLIENT UNBLOCK");
    else
        replyToBlockedClientTimedOut(target);
    /* Redis 7.0 counts a failed call for either reason. */
    if (target->lastcmd) target->lastcmd->failed_calls++;
    unblockClient(target);
    addReply(c, shared.cone);
}
