/* tracking.c — server-assisted client-side caching: CLIENT TRACKING,
 * CACHING, GETREDIR, TRACKINGINFO and the invalidation messages.
 *
 * Two modes. In the default mode the server remembers which clients read
 * which keys: the tracking table maps a key name to the ids of its
 * readers. call() feeds it after each read-only command of a tracking
 * client (trackingRememberKeys); signalModifiedKey, expiry included, drains
 * it (trackingInvalidateKey): every reader gets one message naming the key
 * and the entry goes, so a reader hears about a key once per read. The
 * table ignores databases, as Redis's does. Its size is capped by
 * tracking-table-max-keys: before each command, keys picked at random are
 * invalidated until the table is back under the cap.
 *
 * In BCAST mode nothing is remembered per key. A client subscribes to
 * prefixes (the empty prefix when none is given); each changed key is
 * queued under every prefix that starts it, with the id of the client
 * that changed it, and beforeSleep sends one message per prefix with all
 * its keys, sorted (the order of Redis's radix tree). NOLOOP drops from a
 * client's messages the keys it changed itself.
 *
 * A message goes to the client itself when it speaks RESP3 (a push frame
 * `>2 invalidate [keys]`), or to its REDIRECT client: as a push when that
 * one speaks RESP3, else as a pub/sub `message` on __redis__:invalidate
 * when it is subscribed to anything. A flush sends a null instead of the
 * key list. When the redirect client is gone the tracking client gets the
 * `tracking-redir-broken` push (RESP3 only) at each invalidation instead.
 * A message for the client that is running the command (it changed a key
 * it read) is held back until the outermost call() ends, so it follows
 * the reply, and a transaction's invalidations follow EXEC's reply.
 *
 * The table is a dict from the key (an sds it owns) to its readers. Most
 * keys have one reader: the id is then stored in the value slot itself,
 * tagged with its low bit, and only a second reader makes it an intset of
 * ids. Readers are ids, not pointers, so a client that goes away leaves
 * nothing dangling: its ids are skipped when the key changes. Ids are
 * resolved through a small index of the clients this module may have to
 * write to (tracking clients and redirect targets), kept until they are
 * freed.
 *
 * The module's state is file-scope (like pub/sub's tables): nothing else
 * reads it, and INFO gets its counts through the functions at the end.
 */
#include "server.h"
#include "tracking.h"
#include "intset.h"
#include "pubsub.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The clients subscribed to one BCAST prefix, and the keys under it that
 * changed during this turn of the loop. */
typedef struct bcastState {
    dict *clients; /* client* set */
    dict *keys;    /* key (sds, owned) -> id of its last writer (0: the server) */
} bcastState;

int tracking_in_use;
static dict *tracking_table;              /* key (sds, owned) -> readers (see above) */
static unsigned long long tracking_items; /* (key, reader) pairs in the table */
static dict *prefix_table;                /* prefix (sds, owned) -> bcastState* */
static dict *clients_by_id;               /* id -> client*, tracking clients and redirect targets */
static list *pending_keys;                /* robj* keys, NULL for a flush, for server.current_client */
static unsigned long long tracking_clients;
static int bcast_pending;        /* a key was queued under some prefix this turn */
static robj *invalidate_channel; /* "__redis__:invalidate" */

/* ------------------------------------------------------------ readers */

#define READER_IS_SINGLE(v) (((uintptr_t)(v)) & 1)
#define READER_SINGLE(id) ((void *)(uintptr_t)(((uint64_t)(id) << 1) | 1))
#define READER_SINGLE_ID(v) ((uint64_t)((uintptr_t)(v) >> 1))

static void readersDestructor(dict *d, void *val) {
    (void)d;
    if (val && !READER_IS_SINGLE(val)) zfree(val);
}

static size_t readersCount(void *v) {
    if (v == NULL) return 0;
    return READER_IS_SINGLE(v) ? 1 : intsetLen(v);
}

/* Adds id to the readers of entry de. Returns 1 if it was not there. */
static int readersAdd(dictEntry *de, uint64_t id) {
    void *v = dictGetVal(de);
    if (v == NULL) {
        de->v.val = READER_SINGLE(id);
        return 1;
    }
    intset *is;
    if (READER_IS_SINGLE(v)) {
        if (READER_SINGLE_ID(v) == id) return 0;
        is = intsetAdd(intsetNew(), (int64_t)READER_SINGLE_ID(v), NULL);
    } else {
        is = v;
    }
    uint8_t added;
    is = intsetAdd(is, (int64_t)id, &added);
    de->v.val = is;
    return added;
}

static uint64_t readerAt(void *v, uint32_t i) {
    if (READER_IS_SINGLE(v)) return READER_SINGLE_ID(v);
    int64_t id;
    intsetGet(v, i, &id);
    return (uint64_t)id;
}

static uint64_t clientIdHash(const void *key) {
    return dictGenHashFunction((const unsigned char *)&key, sizeof(key));
}

static uint64_t clientPtrHash(const void *key) {
    return dictGenHashFunction((const unsigned char *)&key, sizeof(key));
}

static void bcastStateDestructor(dict *d, void *val) {
    (void)d;
    bcastState *bs = val;
    dictRelease(bs->clients);
    dictRelease(bs->keys);
    zfree(bs);
}

static dictType trackingTableType = {dictSdsHash,       NULL, NULL, dictSdsKeyCompare, dictSdsDestructor,
                                     readersDestructor, NULL};
static dictType prefixTableType = {dictSdsHash,          NULL, NULL, dictSdsKeyCompare, dictSdsDestructor,
                                   bcastStateDestructor, NULL};
static dictType clientsByIdType = {clientIdHash, NULL, NULL, NULL, NULL, NULL, NULL};
static dictType clientSetType = {clientPtrHash, NULL, NULL, NULL, NULL, NULL, NULL};
static dictType bcastKeysType = {dictSdsHash, NULL, NULL, dictSdsKeyCompare, dictSdsDestructor, NULL, NULL};

/* Creates the tables when the first client ever turns tracking on. */
static void trackingInitTables(void) {
    if (tracking_table) return;
    tracking_table = dictCreate(&trackingTableType);
    tracking_in_use = 1;
    prefix_table = dictCreate(&prefixTableType);
    clients_by_id = dictCreate(&clientsByIdType);
    pending_keys = listCreate();
    invalidate_channel = createStringObject("__redis__:invalidate", 20);
}

static void indexClient(client *c) {
    void *key = (void *)(uintptr_t)c->id;
    if (dictFind(clients_by_id, key) == NULL) dictAdd(clients_by_id, key, c);
}

static client *clientById(uint64_t id) {
    return dictFetchValue(clients_by_id, (void *)(uintptr_t)id);
}

/* ------------------------------------------------------------ messages */

/* Sends one invalidation about c's cache: payload is a key name (proto 0)
 * or ready protocol (proto 1: an array of keys, or a null). It goes to c or
 * to the client c redirects to, as the top of this file says. */
static void sendTrackingMessage(client *c, const char *payload, size_t len, int proto) {
    client *to = c;
    int redirected = 0;
    if (c->tracking && c->tracking->redirect) {
        to = clientById(c->tracking->redirect);
        if (to == NULL) {
            c->flags |= CLIENT_TRACKING_BROKEN_REDIR;
            if (c->resp > 2) {
                uint64_t old = c->flags;
                c->flags |= CLIENT_PUSHING;
                addReplyPushLen(c, 2);
                addReplyBulkCBuffer(c, "tracking-redir-broken", 21);
                addReplyLongLong(c, (long long)c->tracking->redirect);
                if (!(old & CLIENT_PUSHING)) c->flags &= ~CLIENT_PUSHING;
            }
            return;
        }
        redirected = 1;
    }
    if (to->resp <= 2 && !(redirected && (to->flags & CLIENT_PUBSUB))) return;
    uint64_t old = to->flags;
    to->flags |= CLIENT_PUSHING;
    if (to->resp > 2) {
        addReplyPushLen(to, 2);
        addReplyBulkCBuffer(to, "invalidate", 10);
    } else {
        addReplyPushLen(to, 3);
        addReplyBulkCBuffer(to, "message", 7);
        addReplyBulk(to, invalidate_channel);
    }
    if (proto) {
        addReplyProto(to, payload, len);
    } else {
        addReplyArrayLen(to, 1);
        addReplyBulkCBuffer(to, payload, len);
    }
    if (!(old & CLIENT_PUSHING)) to->flags &= ~CLIENT_PUSHING;
}

static void sendFlushMessage(client *c) {
    robj *null = shared.null[c->resp];
    sendTrackingMessage(c, null->ptr, sdslen(null->ptr), 1);
}

/* The client is running the command that caused the invalidation: the
 * message must follow its reply. */
static int mustHoldBack(client *c) {
    return c == server.current_client && (c->flags & CLIENT_EXECUTING_COMMAND);
}

void trackingHandlePendingKeyInvalidations(void) {
    if (pending_keys == NULL || listLength(pending_keys) == 0) return;
    listIter li;
    listNode *ln;
    listRewind(pending_keys, &li);
    while ((ln = listNext(&li)) != NULL) {
        robj *key = listNodeValue(ln);
        client *c = server.current_client;
        if (c && (c->flags & CLIENT_TRACKING)) {
            if (key)
                sendTrackingMessage(c, key->ptr, sdslen(key->ptr), 0);
            else
                sendFlushMessage(c);
        }
        if (key) decrRefCount(key);
    }
    listEmpty(pending_keys);
}

/* --------------------------------------------------- remembering keys */

/* Growing the table is most of what a new key costs once the table is big:
 * every doubling moves (and rehashes) all the entries, each a cache miss
 * or more. So a full table of 4096 keys or more quadruples instead while
 * twice its size is still under the number of keys it may hold anyway
 * (tracking-table-max-keys, or 1M without a cap), so it never gets bigger
 * than plain doubling would make it at the cap; past that it doubles as
 * any dict. On the way to the cap a third as many entries are moved. */
#define TRACKING_QUAD_GROWTH_MIN 4096
#define TRACKING_QUAD_GROWTH_DEFAULT_CAP (1UL << 20)

static void growTrackingTable(void) {
    unsigned long size = dictSize(tracking_table), slots = dictSlots(tracking_table);
    if (dictIsRehashing(tracking_table) || size < slots || size < TRACKING_QUAD_GROWTH_MIN) return;
    unsigned long long cap = server.limits.tracking_table_max_keys;
    if (cap == 0) cap = TRACKING_QUAD_GROWTH_DEFAULT_CAP;
    if ((unsigned long long)slots * 2 < cap) dictExpand(tracking_table, slots * 4);
}

static void rememberKey(client *c, sds key) {
    growTrackingTable();
    dictEntry *existing;
    dictEntry *de = dictAddRaw(tracking_table, key, &existing);
    if (de) {
        de->key = sdsdup(key);
        de->v.val = NULL;
    } else {
        de = existing;
    }
    if (readersAdd(de, c->id)) tracking_items++;
}

void trackingRememberKeys(client *c, struct redisCommand *cmd) {
    uint64_t optin = c->flags & CLIENT_TRACKING_OPTIN;
    uint64_t optout = c->flags & CLIENT_TRACKING_OPTOUT;
    uint64_t caching = c->flags & CLIENT_TRACKING_CACHING;
    if ((optin && !caching) || (optout && caching)) return;
    /* Shard channels have key specs but are not cached data. */
    if (cmd->flags & CMD_PUBSUB) return;
    /* Not GETKEYS_RESULT_INIT: zeroing its 2 KB buffer would cost more than
     * the rest of this function; the buffer needs no initial value. */
    getKeysResult result;
    result.keys = NULL;
    result.numkeys = 0;
    result.size = MAX_KEYS_BUFFER;
    int numkeys = getKeysFromCommand(cmd, c->argv, c->argc, &result);
    for (int j = 0; j < numkeys; j++) rememberKey(c, c->argv[result.keys[j].pos]->ptr);
    getKeysFreeResult(&result);
}

void trackingCachingAfterCommand(client *c) {
    if (c->flags & CLIENT_MULTI) return;
    struct redisCommand *top = c->cmd ? (c->cmd->parent ? c->cmd->parent : c->cmd) : NULL;
    if (top && !strcasecmp(top->declared_name, "client")) return;
    c->flags &= ~CLIENT_TRACKING_CACHING;
}

/* ----------------------------------------------------------- invalidation */

/* Queues key under every BCAST prefix that starts it, with its writer. */
static void queueKeyForBroadcast(client *writer, sds key) {
    size_t keylen = sdslen(key);
    dictIterator *it = dictGetIterator(prefix_table);
    dictEntry *de;
    while ((de = dictNext(it)) != NULL) {
        sds prefix = dictGetKey(de);
        size_t plen = sdslen(prefix);
        if (plen > keylen || memcmp(prefix, key, plen) != 0) continue;
        bcastState *bs = dictGetVal(de);
        dictEntry *existing;
        dictEntry *ke = dictAddRaw(bs->keys, key, &existing);
        if (ke) {
            ke->key = sdsdup(key);
            bcast_pending = 1;
        } else {
            ke = existing;
        }
        dictSetUnsignedIntegerVal(ke, writer ? writer->id : 0);
    }
    dictReleaseIterator(it);
}

/* Tells reader id, if it still tracks in the default mode, that key
 * changed (unless NOLOOP spares the writer). */
static void invalidateForReader(uint64_t id, sds key) {
    client *target = clientById(id);
    if (target == NULL || !(target->flags & CLIENT_TRACKING) || (target->flags & CLIENT_TRACKING_BCAST)) return;
    if ((target->flags & CLIENT_TRACKING_NOLOOP) && target == server.current_client) return;
    if (mustHoldBack(target)) {
        listAddNodeTail(pending_keys, createStringObject(key, sdslen(key)));
        return;
    }
    sendTrackingMessage(target, key, sdslen(key), 0);
}

void trackingInvalidateKeyNow(client *c, robj *key, int bcast) {
    if (tracking_table == NULL) return;
    sds name = key->ptr;
    if (bcast && dictSize(prefix_table) > 0) queueKeyForBroadcast(c, name);
    dictEntry *de = dictUnlink(tracking_table, name);
    if (de == NULL) return;
    void *readers = dictGetVal(de);
    size_t n = readersCount(readers);
    sds keycopy = dictGetKey(de);
    for (size_t j = 0; j < n; j++) invalidateForReader(readerAt(readers, (uint32_t)j), keycopy);
    tracking_items -= n;
    dictFreeUnlinkedEntry(tracking_table, de);
}

void trackingInvalidateKeysOnFlush(void) {
    if (tracking_table == NULL) return;
    if (tracking_clients) {
        listIter li;
        listNode *ln;
        listRewind(server.clients, &li);
        while ((ln = listNext(&li)) != NULL) {
            client *c = listNodeValue(ln);
            if (!(c->flags & CLIENT_TRACKING)) continue;
            if (c == server.current_client)
                listAddNodeTail(pending_keys, NULL);
            else
                sendFlushMessage(c);
        }
    }
    dictEmpty(tracking_table, NULL);
    tracking_items = 0;
}

void trackingLimitUsedSlots(void) {
    static unsigned int timeouts; /* consecutive runs that ended over the limit */
    if (tracking_table == NULL || tracking_clients == 0) return;
    size_t max_keys = server.limits.tracking_table_max_keys;
    if (max_keys == 0) return;
    if (dictSize(tracking_table) <= max_keys) {
        timeouts = 0;
        return;
    }
    int effort = 100 * (int)(timeouts + 1);
    while (effort-- > 0) {
        dictEntry *de = dictGetRandomKey(tracking_table);
        if (de == NULL) break;
        sds name = dictGetKey(de);
        robj *key = createStringObject(name, sdslen(name));
        trackingInvalidateKey(NULL, key, 0);
        decrRefCount(key);
        if (dictSize(tracking_table) <= max_keys) {
            timeouts = 0;
            return;
        }
    }
    timeouts++;
}

/* ------------------------------------------------------------ broadcast */

static int compareSds(const void *a, const void *b) {
    return sdscmp(*(const sds *)a, *(const sds *)b);
}

/* The sorted keys of a dict with sds keys, as an array the caller frees. */
static sds *sortedKeys(dict *d, size_t *count) {
    sds *keys = zmalloc(sizeof(sds) * (dictSize(d) ? dictSize(d) : 1));
    size_t n = 0;
    dictIterator *it = dictGetIterator(d);
    dictEntry *de;
    while ((de = dictNext(it)) != NULL) keys[n++] = dictGetKey(de);
    dictReleaseIterator(it);
    qsort(keys, n, sizeof(sds), compareSds);
    *count = n;
    return keys;
}

/* The array of the queued keys of bs, in protocol, leaving out the keys
 * last written by the client with id skip (0: none). NULL when empty. */
static sds buildBroadcastReply(bcastState *bs, sds *keys, size_t n, uint64_t skip) {
    size_t count = 0;
    sds body = sdsempty();
    for (size_t j = 0; j < n; j++) {
        if (skip && dictGetUnsignedIntegerVal(dictFind(bs->keys, keys[j])) == skip) continue;
        body = sdscatfmt(body, "$%U\r\n", (unsigned long long)sdslen(keys[j]));
        body = sdscatlen(body, keys[j], sdslen(keys[j]));
        body = sdscatlen(body, "\r\n", 2);
        count++;
    }
    if (count == 0) {
        sdsfree(body);
        return NULL;
    }
    sds proto = sdscatfmt(sdsempty(), "*%U\r\n", (unsigned long long)count);
    proto = sdscatsds(proto, body);
    sdsfree(body);
    return proto;
}

static void broadcastPrefix(bcastState *bs) {
    size_t n;
    sds *keys = sortedKeys(bs->keys, &n);
    sds common = buildBroadcastReply(bs, keys, n, 0);
    dictIterator *it = dictGetIterator(bs->clients);
    dictEntry *de;
    while ((de = dictNext(it)) != NULL) {
        client *c = dictGetKey(de);
        if (c->flags & CLIENT_TRACKING_NOLOOP) {
            sds own = buildBroadcastReply(bs, keys, n, c->id);
            if (own) sendTrackingMessage(c, own, sdslen(own), 1);
            sdsfree(own);
        } else {
            sendTrackingMessage(c, common, sdslen(common), 1);
        }
    }
    dictReleaseIterator(it);
    sdsfree(common);
    zfree(keys);
    dictEmpty(bs->keys, NULL);
}

void trackingBroadcastInvalidationMessages(void) {
    if (!bcast_pending) return;
    bcast_pending = 0;
    size_t n;
    sds *prefixes = sortedKeys(prefix_table, &n);
    for (size_t j = 0; j < n; j++) {
        bcastState *bs = dictFetchValue(prefix_table, prefixes[j]);
        if (dictSize(bs->keys)) broadcastPrefix(bs);
    }
    zfree(prefixes);
}

/* ------------------------------------------------------ on and off */

static void enableBcastPrefix(client *c, sds prefix) {
    dictEntry *de = dictFind(prefix_table, prefix);
    bcastState *bs;
    if (de == NULL) {
        bs = zmalloc(sizeof(*bs));
        bs->clients = dictCreate(&clientSetType);
        bs->keys = dictCreate(&bcastKeysType);
        dictAdd(prefix_table, sdsdup(prefix), bs);
    } else {
        bs = dictGetVal(de);
    }
    if (dictFind(bs->clients, c) == NULL) dictAdd(bs->clients, c, NULL);
    if (dictFind(c->tracking->prefixes, prefix) == NULL) dictAdd(c->tracking->prefixes, sdsdup(prefix), NULL);
}

/* Turns tracking on for c (or changes its options when it is on already;
 * the caller checked they are compatible). target is the client to
 * redirect to, or NULL; prefixes are borrowed. */
static void enableTracking(client *c, client *target, uint64_t options, robj **prefixes, int numprefixes) {
    trackingInitTables();
    if (!(c->flags & CLIENT_TRACKING)) tracking_clients++;
    c->flags |= CLIENT_TRACKING;
    c->flags &= ~(CLIENT_TRACKING_BROKEN_REDIR | CLIENT_TRACKING_BCAST | CLIENT_TRACKING_OPTIN |
                  CLIENT_TRACKING_OPTOUT | CLIENT_TRACKING_NOLOOP);
    if (c->tracking == NULL) c->tracking = zcalloc(sizeof(*c->tracking));
    c->tracking->redirect = target ? target->id : 0;
    indexClient(c);
    if (target) indexClient(target);
    if (options & CLIENT_TRACKING_BCAST) {
        c->flags |= CLIENT_TRACKING_BCAST;
        if (c->tracking->prefixes == NULL) c->tracking->prefixes = dictCreate(&sdsSetDictType);
        if (numprefixes == 0) {
            sds empty = sdsempty();
            enableBcastPrefix(c, empty);
            sdsfree(empty);
        }
        for (int j = 0; j < numprefixes; j++) enableBcastPrefix(c, prefixes[j]->ptr);
    }
    c->flags |= options & (CLIENT_TRACKING_OPTIN | CLIENT_TRACKING_OPTOUT | CLIENT_TRACKING_NOLOOP);
}

static void leavePrefixes(client *c) {
    dictIterator *it = dictGetIterator(c->tracking->prefixes);
    dictEntry *de;
    while ((de = dictNext(it)) != NULL) {
        sds prefix = dictGetKey(de);
        bcastState *bs = dictFetchValue(prefix_table, prefix);
        serverAssert(bs != NULL);
        dictDelete(bs->clients, c);
        if (dictSize(bs->clients) == 0) dictDelete(prefix_table, prefix);
    }
    dictReleaseIterator(it);
    dictRelease(c->tracking->prefixes);
    c->tracking->prefixes = NULL;
}

void disableTracking(client *c) {
    if (!(c->flags & CLIENT_TRACKING)) return;
    if (c->tracking->prefixes) leavePrefixes(c);
    tracking_clients--;
    c->flags &= ~(CLIENT_TRACKING | CLIENT_TRACKING_BROKEN_REDIR | CLIENT_TRACKING_BCAST | CLIENT_TRACKING_OPTIN |
                  CLIENT_TRACKING_OPTOUT | CLIENT_TRACKING_CACHING | CLIENT_TRACKING_NOLOOP);
    zfree(c->tracking);
    c->tracking = NULL;
}

void trackingClientFree(client *c) {
    disableTracking(c);
    if (clients_by_id) dictDelete(clients_by_id, (void *)(uintptr_t)c->id);
}

/* --------------------------------------------------------- commands */

/* 1 if one of a and b starts the other. */
static int prefixesOverlap(sds a, sds b) {
    size_t n = sdslen(a) < sdslen(b) ? sdslen(a) : sdslen(b);
    return memcmp(a, b, n) == 0;
}

/* Replies an error naming the first (in sorted order) of c's prefixes that
 * p overlaps, and returns 1; 0 when there is none. */
static int replyOverlapWithExisting(client *c, sds p) {
    if (c->tracking == NULL || c->tracking->prefixes == NULL) return 0;
    size_t n;
    sds *have = sortedKeys(c->tracking->prefixes, &n);
    size_t j = 0;
    while (j < n && !prefixesOverlap(have[j], p)) j++;
    if (j < n)
        addReplyErrorFormat(c,
                            "Prefix '%s' overlaps with an existing prefix '%s'. Prefixes for a single client must "
                            "not overlap.",
                            p, have[j]);
    zfree(have);
    return j < n;
}

/* Replies an error and returns 0 when a new prefix overlaps one c has or
 * another new one. (Redis 7.0 also enables tracking and adds +OK after
 * the error when the overlap is between two new prefixes past the first;
 * here the error is the only reply and nothing changes.) */
static int checkPrefixCollisionsOrReply(client *c, robj **prefixes, int n) {
    for (int i = 0; i < n; i++) {
        sds p = prefixes[i]->ptr;
        if (replyOverlapWithExisting(c, p)) return 0;
        for (int j = i + 1; j < n; j++) {
            if (!prefixesOverlap(p, prefixes[j]->ptr)) continue;
            addReplyErrorFormat(c,
                                "Prefix '%s' overlaps with another provided prefix '%s'. Prefixes for a single "
                                "client must not overlap.",
                                p, (char *)prefixes[j]->ptr);
            return 0;
        }
    }
    return 1;
}

/* The options of CLIENT TRACKING ON, checked against each other and
 * against c's current mode. Replies an error and returns 0 when they
 * cannot be used. */
static int checkTrackingOptions(client *c, uint64_t options, robj **prefixes, int numprefixes) {
    const char *err = NULL;
    uint64_t have = c->flags;
    if (!(options & CLIENT_TRACKING_BCAST) && numprefixes) {
        err = "PREFIX option requires BCAST mode to be enabled";
    } else if ((have & CLIENT_TRACKING) && !!(have & CLIENT_TRACKING_BCAST) != !!(options & CLIENT_TRACKING_BCAST)) {
        err = "You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling "
              "it with a different mode.";
    } else if ((options & CLIENT_TRACKING_BCAST) && (options & (CLIENT_TRACKING_OPTIN | CLIENT_TRACKING_OPTOUT))) {
        err = "OPTIN and OPTOUT are not compatible with BCAST";
    } else if ((options & CLIENT_TRACKING_OPTIN) && (options & CLIENT_TRACKING_OPTOUT)) {
        err = "You can't specify both OPTIN mode and OPTOUT mode";
    } else if (((options & CLIENT_TRACKING_OPTIN) && (have & CLIENT_TRACKING_OPTOUT)) ||
               ((options & CLIENT_TRACKING_OPTOUT) && (have & CLIENT_TRACKING_OPTIN))) {
        err = "You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling "
              "it with a different mode.";
    }
    if (err) {
        addReplyError(c, err);
        return 0;
    }
    if (options & CLIENT_TRACKING_BCAST) return checkPrefixCollisionsOrReply(c, prefixes, numprefixes);
    return 1;
}

/* CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN]
 * [OPTOUT] [NOLOOP]. The options are parsed (and the redirect target
 * looked up) whether the mode is ON or OFF, as Redis does. */
void clientTrackingCommand(client *c) {
    uint64_t options = 0;
    long long redir = 0;
    client *target = NULL;
    robj **prefixes = zmalloc(sizeof(robj *) * (size_t)c->argc);
    int numprefixes = 0;
    for (int j = 3; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        int moreargs = j + 1 < c->argc;
        if (!strcasecmp(opt, "redirect") && moreargs) {
            j++;
            if (redir != 0) {
                addReplyError(c, "A client can only redirect to a single other client");
                goto done;
            }
            if (getLongLongFromObjectOrReply(c, c->argv[j], &redir, NULL) != C_OK) goto done;
            target = lookupClientByID((uint64_t)redir);
            if (target == NULL) {
                addReplyError(c, "The client ID you want redirect to does not exist");
                goto done;
            }
        } else if (!strcasecmp(opt, "bcast")) {
            options |= CLIENT_TRACKING_BCAST;
        } else if (!strcasecmp(opt, "optin")) {
            options |= CLIENT_TRACKING_OPTIN;
        } else if (!strcasecmp(opt, "optout")) {
            options |= CLIENT_TRACKING_OPTOUT;
        } else if (!strcasecmp(opt, "noloop")) {
            options |= CLIENT_TRACKING_NOLOOP;
        } else if (!strcasecmp(opt, "prefix") && moreargs) {
            prefixes[numprefixes++] = c->argv[++j];
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            goto done;
        }
    }
    const char *mode = c->argv[2]->ptr;
    if (!strcasecmp(mode, "on")) {
        if (!checkTrackingOptions(c, options, prefixes, numprefixes)) goto done;
        enableTracking(c, target, options, prefixes, numprefixes);
    } else if (!strcasecmp(mode, "off")) {
        disableTracking(c);
    } else {
        addReplyErrorObject(c, shared.syntaxerr);
        goto done;
    }
    addReply(c, shared.ok);
done:
    zfree(prefixes);
}

/* CLIENT CACHING YES|NO: whether the next command's keys are tracked, in
 * OPTIN (YES) or OPTOUT (NO) mode. */
void clientCachingCommand(client *c) {
    if (!(c->flags & CLIENT_TRACKING)) {
        addReplyError(c, "CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
                         "OPTOUT mode enabled");
        return;
    }
    const char *opt = c->argv[2]->ptr;
    if (!strcasecmp(opt, "yes")) {
        if (!(c->flags & CLIENT_TRACKING_OPTIN)) {
            addReplyError(c, "CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            return;
        }
    } else if (!strcasecmp(opt, "no")) {
        if (!(c->flags & CLIENT_TRACKING_OPTOUT)) {
            addReplyError(c, "CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            return;
        }
    } else {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    c->flags |= CLIENT_TRACKING_CACHING;
    addReply(c, shared.ok);
}

long long trackingRedirectionOf(client *c) {
    if (!(c->flags & CLIENT_TRACKING)) return -1;
    return (long long)c->tracking->redirect;
}

void clientGetRedirCommand(client *c) {
    addReplyLongLong(c, trackingRedirectionOf(c));
}

/* The flag words of CLIENT TRACKINGINFO, in Redis's order. */
static int addTrackingFlags(client *c) {
    uint64_t f = c->flags;
    int n = 1;
    addReplyBulkCString(c, (f & CLIENT_TRACKING) ? "on" : "off");
    if (f & CLIENT_TRACKING_BCAST) addReplyBulkCString(c, "bcast"), n++;
    if (f & CLIENT_TRACKING_OPTIN) {
        addReplyBulkCString(c, "optin"), n++;
        if (f & CLIENT_TRACKING_CACHING) addReplyBulkCString(c, "caching-yes"), n++;
    }
    if (f & CLIENT_TRACKING_OPTOUT) {
        addReplyBulkCString(c, "optout"), n++;
        if (f & CLIENT_TRACKING_CACHING) addReplyBulkCString(c, "caching-no"), n++;
    }
    if (f & CLIENT_TRACKING_NOLOOP) addReplyBulkCString(c, "noloop"), n++;
    if (f & CLIENT_TRACKING_BROKEN_REDIR) addReplyBulkCString(c, "broken_redirect"), n++;
    return n;
}

void clientTrackingInfoCommand(client *c) {
    addReplyMapLen(c, 3);
    addReplyBulkCString(c, "flags");
    void *len = addReplyDeferredLen(c);
    setDeferredSetLen(c, len, addTrackingFlags(c));
    addReplyBulkCString(c, "redirect");
    addReplyLongLong(c, trackingRedirectionOf(c));
    addReplyBulkCString(c, "prefixes");
    if (c->tracking && c->tracking->prefixes) {
        size_t n;
        sds *prefixes = sortedKeys(c->tracking->prefixes, &n);
        addReplyArrayLen(c, (long)n);
        for (size_t j = 0; j < n; j++) addReplyBulkCBuffer(c, prefixes[j], sdslen(prefixes[j]));
        zfree(prefixes);
    } else {
        addReplyArrayLen(c, 0);
    }
}

/* --------------------------------------------------------------- INFO */

unsigned long long trackingClientsCount(void) {
    return tracking_clients;
}

unsigned long long trackingTotalKeys(void) {
    return tracking_table ? dictSize(tracking_table) : 0;
}

unsigned long long trackingTotalItems(void) {
    return tracking_items;
}

unsigned long long trackingTotalPrefixes(void) {
    return prefix_table ? dictSize(prefix_table) : 0;
}
