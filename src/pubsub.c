/* pubsub.c — publish/subscribe: SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, their
 * UNSUBSCRIBE counterparts, PUBLISH, SPUBLISH and PUBSUB.
 *
 * State lives on two sides. The server keeps, for each kind (channel,
 * pattern, shard channel), a dict from the name (sds) to the set of its
 * subscribers (a dict keyed by client pointer). Each subscribed client keeps
 * the names it holds in c->pubsub, allocated on its first subscription and
 * freed when it leaves subscribed mode. Both sides change together in
 * subscribeName/unsubscribeName, so a name with no subscriber left is
 * removed from the server table at once: PUBSUB CHANNELS and NUMSUB never
 * see a departed client.
 *
 * A client holding any subscription has CLIENT_PUBSUB. That flag puts it in
 * the `pubsub` output-buffer-limit class (getClientType), spares it the idle
 * timeout, and in RESP2 restricts its commands (processCommand). Channel and
 * pattern confirmations count channels plus patterns; shard confirmations
 * count shard channels only, as Redis 7.0 does.
 *
 * Fan-out: a published message is formatted at most once per protocol (the
 * RESP2 array and the RESP3 push frame differ only in their first byte)
 * and per matching pattern. The frame is a string object whose bytes every
 * receiver's output takes as they are; nothing is formatted per subscriber.
 */
#include "server.h"
#include "pubsub.h"

#include <string.h>

/* What each kind answers in its confirmations and messages. */
typedef struct pubsubKind {
    const char *subscribe, *unsubscribe, *message;
} pubsubKind;

static const pubsubKind kinds[PUBSUB_KINDS] = {
    {"subscribe", "unsubscribe", "message"},
    {"psubscribe", "punsubscribe", "pmessage"},
    {"ssubscribe", "sunsubscribe", "smessage"},
};

/* name (sds) -> subscribers (dict of client*), one per kind. */
static dict *server_tables[PUBSUB_KINDS];

static uint64_t clientPtrHash(const void *key) {
    return dictGenHashFunction((const unsigned char *)&key, sizeof(key));
}

static void dictReleaseValue(dict *d, void *val) {
    (void)d;
    dictRelease(val);
}

static dictType subscriberSetType = {clientPtrHash, NULL, NULL, NULL, NULL, NULL, NULL};
static dictType serverTableType = {dictSdsHash, NULL, NULL, dictSdsKeyCompare, dictSdsDestructor,
                                   dictReleaseValue, NULL};

static dict *serverTable(int kind) {
    if (server_tables[kind] == NULL) server_tables[kind] = dictCreate(&serverTableType);
    return server_tables[kind];
}

int pubsubClientAnySubscription(const client *c, int (*pred)(int kind, sds name, void *privdata), void *privdata) {
    if (!c->pubsub) return 0;
    for (int k = 0; k < PUBSUB_KINDS; k++) {
        dictIterator *di = dictGetIterator(c->pubsub->names[k]);
        dictEntry *de;
        int hit = 0;
        while (!hit && (de = dictNext(di)) != NULL) hit = pred(k, dictGetKey(de), privdata);
        dictReleaseIterator(di);
        if (hit) return 1;
    }
    return 0;
}

unsigned long pubsubServerCount(int kind) {
    return server_tables[kind] ? dictSize(server_tables[kind]) : 0;
}

unsigned long pubsubClientCount(const client *c, int kind) {
    return c->pubsub ? dictSize(c->pubsub->names[kind]) : 0;
}

static unsigned long totalClientCount(const client *c) {
    unsigned long n = 0;
    for (int k = 0; k < PUBSUB_KINDS; k++) n += pubsubClientCount(c, k);
    return n;
}

/* The running count a confirmation carries. */
static unsigned long confirmationCount(const client *c, int kind) {
    if (kind == PUBSUB_SHARD) return pubsubClientCount(c, PUBSUB_SHARD);
    return pubsubClientCount(c, PUBSUB_CHANNEL) + pubsubClientCount(c, PUBSUB_PATTERN);
}

static pubsubClientState *clientState(client *c) {
    if (c->pubsub == NULL) {
        c->pubsub = zmalloc(sizeof(*c->pubsub));
        for (int k = 0; k < PUBSUB_KINDS; k++) c->pubsub->names[k] = dictCreate(&sdsSetDictType);
    }
    return c->pubsub;
}

/* Leaves subscribed mode once nothing is held. */
static void settleClientState(client *c) {
    if (c->pubsub == NULL || totalClientCount(c) > 0) return;
    for (int k = 0; k < PUBSUB_KINDS; k++) dictRelease(c->pubsub->names[k]);
    zfree(c->pubsub);
    c->pubsub = NULL;
    c->flags &= ~CLIENT_PUBSUB;
}

/* Confirmations and messages are pushes: they reach the client even under
 * CLIENT REPLY OFF or SKIP (prepareClientToWrite lets CLIENT_PUSHING by). */
static void addConfirmation(client *c, const char *what, const char *name, size_t len, unsigned long count) {
    c->flags |= CLIENT_PUSHING;
    addReplyPushLen(c, 3);
    addReplyBulkCBuffer(c, what, strlen(what));
    if (name)
        addReplyBulkCBuffer(c, name, len);
    else
        addReplyNull(c);
    addReplyLongLong(c, (long long)count);
    c->flags &= ~CLIENT_PUSHING;
}

static void subscribeName(client *c, int kind, sds name) {
    pubsubClientState *st = clientState(c);
    if (dictFind(st->names[kind], name) == NULL) {
        dictAdd(st->names[kind], sdsdup(name), NULL);
        dict *table = serverTable(kind);
        dict *subs = dictFetchValue(table, name);
        if (subs == NULL) {
            subs = dictCreate(&subscriberSetType);
            dictAdd(table, sdsdup(name), subs);
        }
        dictAdd(subs, c, NULL);
    }
    c->flags |= CLIENT_PUBSUB;
    addConfirmation(c, kinds[kind].subscribe, name, sdslen(name), confirmationCount(c, kind));
}

/* Removes one subscription; name may be the client's own copy, which is
 * freed last. Replies when notify is set. */
static void unsubscribeName(client *c, int kind, sds name, int notify) {
    dictEntry *held = c->pubsub ? dictFind(c->pubsub->names[kind], name) : NULL;
    if (held) {
        dict *table = serverTable(kind);
        dict *subs = dictFetchValue(table, name);
        dictDelete(subs, c);
        if (dictSize(subs) == 0) dictDelete(table, name);
    }
    if (notify) {
        unsigned long count = confirmationCount(c, kind) - (held ? 1 : 0);
        addConfirmation(c, kinds[kind].unsubscribe, name, sdslen(name), count);
    }
    if (held) dictDelete(c->pubsub->names[kind], name);
}

static void unsubscribeAll(client *c, int kind, int notify) {
    if (pubsubClientCount(c, kind) == 0) {
        if (notify) addConfirmation(c, kinds[kind].unsubscribe, NULL, 0, confirmationCount(c, kind));
        return;
    }
    dictIterator *it = dictGetSafeIterator(c->pubsub->names[kind]);
    dictEntry *de;
    while ((de = dictNext(it)) != NULL) unsubscribeName(c, kind, dictGetKey(de), notify);
    dictReleaseIterator(it);
}

void pubsubUnsubscribeAllSilently(client *c) {
    for (int k = 0; k < PUBSUB_KINDS; k++) unsubscribeAll(c, k, 0);
    settleClientState(c);
}

/* ------------------------------------------------------------ commands */

static void subscribeGeneric(client *c, int kind) {
    for (int j = 1; j < c->argc; j++) subscribeName(c, kind, c->argv[j]->ptr);
}

static void unsubscribeGeneric(client *c, int kind) {
    if (c->argc == 1)
        unsubscribeAll(c, kind, 1);
    else
        for (int j = 1; j < c->argc; j++) unsubscribeName(c, kind, c->argv[j]->ptr, 1);
    settleClientState(c);
}

void subscribeCommand(client *c) {
    subscribeGeneric(c, PUBSUB_CHANNEL);
}

void psubscribeCommand(client *c) {
    subscribeGeneric(c, PUBSUB_PATTERN);
}

/* A shard subscription cannot be queued in a transaction (Redis refuses it
 * for every client that may not block). */
void ssubscribeCommand(client *c) {
    if (c->flags & CLIENT_MULTI) {
        addReplyError(c, "SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
        return;
    }
    subscribeGeneric(c, PUBSUB_SHARD);
}

void unsubscribeCommand(client *c) {
    unsubscribeGeneric(c, PUBSUB_CHANNEL);
}

void punsubscribeCommand(client *c) {
    unsubscribeGeneric(c, PUBSUB_PATTERN);
}

void sunsubscribeCommand(client *c) {
    unsubscribeGeneric(c, PUBSUB_SHARD);
}

/* ------------------------------------------------------------- fan-out */

static sds catBulk(sds s, const char *p, size_t len) {
    s = sdscatfmt(s, "$%U\r\n", (unsigned long long)len);
    s = sdscatlen(s, p, len);
    return sdscatlen(s, "\r\n", 2);
}

/* One message frame, built for a protocol on first need. */
typedef struct messageFrames {
    const char *type;
    sds pattern; /* NULL for a channel message */
    sds channel, message;
    robj *built[2]; /* [0] RESP2, [1] RESP3 */
} messageFrames;

static robj *frameFor(messageFrames *f, int resp) {
    int i = resp == 3;
    if (f->built[i] == NULL) {
        sds s = sdsnewlen(i ? ">" : "*", 1);
        s = sdscatfmt(s, "%i\r\n", f->pattern ? 4 : 3);
        s = catBulk(s, f->type, strlen(f->type));
        if (f->pattern) s = catBulk(s, f->pattern, sdslen(f->pattern));
        s = catBulk(s, f->channel, sdslen(f->channel));
        s = catBulk(s, f->message, sdslen(f->message));
        f->built[i] = createObject(OBJ_STRING, s);
    }
    return f->built[i];
}

static void releaseFrames(messageFrames *f) {
    for (int i = 0; i < 2; i++)
        if (f->built[i]) decrRefCount(f->built[i]);
}

/* Writes the frame of f straight into c's reply, with nothing shared:
 * cheaper than building a frame object for a single receiver. */
static void writeFrame(client *c, const messageFrames *f) {
    addReplyPushLen(c, f->pattern ? 4 : 3);
    addReplyBulkCBuffer(c, f->type, strlen(f->type));
    if (f->pattern) addReplyBulkCBuffer(c, f->pattern, sdslen(f->pattern));
    addReplyBulkCBuffer(c, f->channel, sdslen(f->channel));
    addReplyBulkCBuffer(c, f->message, sdslen(f->message));
}

static long long deliver(dict *subs, messageFrames *f) {
    dictIterator it;
    dictEntry *de;
    dictInitIterator(&it, subs);
    long long n = 0;
    int single = dictSize(subs) == 1;
    while ((de = dictNext(&it)) != NULL) {
        client *c = dictGetKey(de);
        c->flags |= CLIENT_PUSHING;
        if (single)
            writeFrame(c, f);
        else
            addReply(c, frameFor(f, c->resp));
        c->flags &= ~CLIENT_PUSHING;
        n++;
    }
    dictResetIterator(&it);
    releaseFrames(f);
    return n;
}

static long long deliverToPatterns(sds channel, sds message) {
    if (pubsubServerCount(PUBSUB_PATTERN) == 0) return 0;
    long long n = 0;
    int chlen = (int)sdslen(channel);
    dictIterator *it = dictGetIterator(server_tables[PUBSUB_PATTERN]);
    dictEntry *de;
    while ((de = dictNext(it)) != NULL) {
        sds pat = dictGetKey(de);
        if (!stringmatchlen(pat, (int)sdslen(pat), channel, chlen, 0)) continue;
        messageFrames f = {kinds[PUBSUB_PATTERN].message, pat, channel, message, {NULL, NULL}};
        n += deliver(dictGetVal(de), &f);
    }
    dictReleaseIterator(it);
    return n;
}

long long pubsubPublish(int kind, robj *channel, robj *message) {
    robj *ch = getDecodedObject(channel), *msg = getDecodedObject(message);
    long long n = 0;
    dict *subs = server_tables[kind] ? dictFetchValue(server_tables[kind], ch->ptr) : NULL;
    if (subs) {
        messageFrames f = {kinds[kind].message, NULL, ch->ptr, msg->ptr, {NULL, NULL}};
        n += deliver(subs, &f);
    }
    if (kind == PUBSUB_CHANNEL) n += deliverToPatterns(ch->ptr, msg->ptr);
    decrRefCount(ch);
    decrRefCount(msg);
    return n;
}

void publishCommand(client *c) {
    if (server.cluster.enabled) clusterPropagatePublish(c->argv[1], c->argv[2], 0);
    addReplyLongLong(c, pubsubPublish(PUBSUB_CHANNEL, c->argv[1], c->argv[2]));
}

void spublishCommand(client *c) {
    if (server.cluster.enabled) clusterPropagatePublish(c->argv[1], c->argv[2], 1);
    addReplyLongLong(c, pubsubPublish(PUBSUB_SHARD, c->argv[1], c->argv[2]));
}

/* -------------------------------------------------------------- PUBSUB */

static void replyNamesMatching(client *c, int kind) {
    if (c->argc > 3) {
        addReplyErrorSubcommandSyntax(c);
        return;
    }
    sds pat = c->argc > 2 ? c->argv[2]->ptr : NULL;
    void *len = addReplyDeferredLen(c);
    long n = 0;
    if (pubsubServerCount(kind)) {
        dictIterator *it = dictGetIterator(server_tables[kind]);
        dictEntry *de;
        while ((de = dictNext(it)) != NULL) {
            sds name = dictGetKey(de);
            if (pat && !stringmatchlen(pat, (int)sdslen(pat), name, (int)sdslen(name), 0)) continue;
            addReplyBulkCBuffer(c, name, sdslen(name));
            n++;
        }
        dictReleaseIterator(it);
    }
    setDeferredArrayLen(c, len, n);
}

static void replySubscriberCounts(client *c, int kind) {
    addReplyArrayLen(c, (long)(c->argc - 2) * 2);
    for (int j = 2; j < c->argc; j++) {
        dict *subs = server_tables[kind] ? dictFetchValue(server_tables[kind], c->argv[j]->ptr) : NULL;
        addReplyBulk(c, c->argv[j]);
        addReplyLongLong(c, subs ? (long long)dictSize(subs) : 0);
    }
}

void pubsubChannelsCommand(client *c) {
    replyNamesMatching(c, PUBSUB_CHANNEL);
}

void pubsubShardchannelsCommand(client *c) {
    replyNamesMatching(c, PUBSUB_SHARD);
}

void pubsubNumsubCommand(client *c) {
    replySubscriberCounts(c, PUBSUB_CHANNEL);
}

void pubsubShardnumsubCommand(client *c) {
    replySubscriberCounts(c, PUBSUB_SHARD);
}

void pubsubNumpatCommand(client *c) {
    addReplyLongLong(c, (long long)pubsubServerCount(PUBSUB_PATTERN));
}

void pubsubHelpCommand(client *c) {
    static const char *help[] = {
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        NULL};
    addReplyHelp(c, help);
}
