/* pubsub.c — publish/subscribe: SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, their
 * UNSUBSCRIBE counterparts, PUBLISH, SPUBLISH and PUBSUB.
 *
 * State lives on two sides. The server keeps, for each kind (channel,
 * pattern, shard channel), a dict from the name (sds) to its subscribers:
 * a dense array of client pointers, so a message walks it without hashing.
 * Each subscribed client keeps the names it holds in c->pubsub (allocated
 * on its first subscription, freed when it leaves subscribed mode), each
 * with its index in that name's array: unsubscribing moves the last
 * subscriber into the hole and fixes its index, in O(1). Both sides change
 * together in subscribeName/unsubscribeName, so a name with no subscriber
 * left is removed from the server table at once: PUBSUB CHANNELS and
 * NUMSUB never see a departed client. Patterns are also listed in one
 * dense array (each knows its slot there), which PUBLISH walks.
 *
 * A client holding any subscription has CLIENT_PUBSUB. That flag puts it in
 * the `pubsub` output-buffer-limit class (getClientType), spares it the idle
 * timeout, and in RESP2 restricts its commands (processCommand). Channel and
 * pattern confirmations count channels plus patterns; shard confirmations
 * count shard channels only, as Redis 7.0 does.
 *
 * Fan-out: nothing is formatted per subscriber. A frame is a head (the
 * array header, the message type and, for patterns, the pattern) and a
 * tail (the channel and the message as bulks). The tail is built once per
 * publish; a channel's subscribers get head and tail joined once per
 * protocol (RESP2 array, RESP3 push: they differ in the first byte), one
 * copy into each output; a pattern keeps its own head, built when it is
 * created, so a match costs the match and two copies. A pattern is also
 * prepared for matching (globPrepare): its literal prefix is compared
 * with memcmp, and "prefix*" never reaches the glob matcher. The buffers are
 * reused from publish to publish, so PUBLISH allocates nothing once they
 * have grown.
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

/* The subscribers of one name. */
typedef struct subscribers {
    sds name;        /* the server table's key (owned by the table) */
    client **clients; /* in no particular order */
    size_t count, cap;
    size_t slot; /* patterns: index in pattern_list */
    sds head;    /* patterns: the RESP2 head of their pmessage frames */
    globPrepared glob; /* patterns: the literal prefix, for a quick refusal */
} subscribers;

/* name (sds) -> subscribers*, one per kind. */
static dict *server_tables[PUBSUB_KINDS];

/* Every pattern with subscribers, densely, for PUBLISH to walk. */
static subscribers **pattern_list;
static size_t pattern_list_len, pattern_list_cap;

/* The reused frame buffers (see the top of the file): the tail of the
 * message being published, and a channel frame per protocol. A publish
 * never nests (delivering only appends to output buffers), so one set is
 * enough. */
static sds frame_tail, frame_full[2];

/* A buffer grown past this by a big message is freed after its publish. */
#define FRAME_KEEP_MAX (64 * 1024)

static void trimFrameBuffers(void) {
    sds *bufs[3] = {&frame_tail, &frame_full[0], &frame_full[1]};
    for (int j = 0; j < 3; j++) {
        if (*bufs[j] && sdsalloc(*bufs[j]) > FRAME_KEEP_MAX) {
            sdsfree(*bufs[j]);
            *bufs[j] = NULL;
        }
    }
}

static void subscribersFree(dict *d, void *val) {
    (void)d;
    subscribers *subs = val;
    zfree(subs->clients);
    sdsfree(subs->head);
    zfree(subs);
}

static dictType serverTableType = {dictSdsHash, NULL, NULL, dictSdsKeyCompare, dictSdsDestructor,
                                   subscribersFree, NULL};

static dict *serverTable(int kind) {
    if (server_tables[kind] == NULL) server_tables[kind] = dictCreate(&serverTableType);
    return server_tables[kind];
}

static subscribers *subscribersOf(int kind, const sds name) {
    return server_tables[kind] ? dictFetchValue(server_tables[kind], name) : NULL;
}

static sds catBulk(sds s, const char *p, size_t len) {
    char hdr[32];
    hdr[0] = '$';
    size_t n = 1 + (size_t)ll2string(hdr + 1, sizeof(hdr) - 3, (long long)len);
    hdr[n++] = '\r';
    hdr[n++] = '\n';
    s = sdscatlen(s, hdr, n);
    s = sdscatlen(s, p, len);
    return sdscatlen(s, "\r\n", 2);
}

/* The subscribers of name, created (with its place in the table and, for
 * a pattern, in pattern_list and its frame head) when it has none. */
static subscribers *subscribersCreate(int kind, const sds name) {
    subscribers *subs = zcalloc(sizeof(*subs));
    dictEntry *de = dictAddRaw(serverTable(kind), sdsdup(name), NULL);
    de->v.val = subs;
    subs->name = dictGetKey(de);
    if (kind == PUBSUB_PATTERN) {
        subs->head = catBulk(sdsnew("*4\r\n$8\r\npmessage\r\n"), name, sdslen(name));
        globPrepare(&subs->glob, name, sdslen(name));
        if (pattern_list_len == pattern_list_cap) {
            pattern_list_cap = pattern_list_cap ? pattern_list_cap * 2 : 16;
            pattern_list = zrealloc(pattern_list, sizeof(*pattern_list) * pattern_list_cap);
        }
        subs->slot = pattern_list_len;
        pattern_list[pattern_list_len++] = subs;
    }
    return subs;
}

/* Removes subs (which has no subscriber left) from every structure. */
static void subscribersDelete(int kind, subscribers *subs) {
    if (kind == PUBSUB_PATTERN) {
        subscribers *last = pattern_list[--pattern_list_len];
        pattern_list[subs->slot] = last;
        last->slot = subs->slot;
    }
    dictDelete(server_tables[kind], subs->name);
}

/* Appends c; returns its index. */
static size_t subscribersAdd(subscribers *subs, client *c) {
    if (subs->count == subs->cap) {
        subs->cap = subs->cap ? subs->cap * 2 : 1;
        subs->clients = zrealloc(subs->clients, sizeof(client *) * subs->cap);
    }
    subs->clients[subs->count] = c;
    return subs->count++;
}

/* Takes out the subscriber at idx: the last one moves there, and its own
 * record of the index follows. */
static void subscribersRemoveAt(subscribers *subs, int kind, size_t idx) {
    client *last = subs->clients[--subs->count];
    if (idx != subs->count) {
        subs->clients[idx] = last;
        dictEntry *de = dictFind(last->pubsub->names[kind], subs->name);
        de->v.u64 = idx;
    }
    if (subs->cap > 4 && subs->count <= subs->cap / 4) {
        subs->cap /= 2;
        subs->clients = zrealloc(subs->clients, sizeof(client *) * subs->cap);
    }
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
        subscribers *subs = subscribersOf(kind, name);
        if (subs == NULL) subs = subscribersCreate(kind, name);
        dictEntry *de = dictAddRaw(st->names[kind], sdsdup(name), NULL);
        de->v.u64 = subscribersAdd(subs, c);
    }
    c->flags |= CLIENT_PUBSUB;
    addConfirmation(c, kinds[kind].subscribe, name, sdslen(name), confirmationCount(c, kind));
}

/* Removes one subscription; name may be the client's own copy, which is
 * freed last. Replies when notify is set. */
static void unsubscribeName(client *c, int kind, sds name, int notify) {
    dictEntry *held = c->pubsub ? dictFind(c->pubsub->names[kind], name) : NULL;
    if (held) {
        subscribers *subs = subscribersOf(kind, name);
        subscribersRemoveAt(subs, kind, (size_t)held->v.u64);
        if (subs->count == 0) subscribersDelete(kind, subs);
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

/* Copies a frame made of head and tail into c's output, as a push. A
 * RESP2 head serves a RESP3 client with its first byte replaced. */
static void deliverTo(client *c, const char *head, size_t headlen, const char *tail, size_t taillen, int resp3_head) {
    c->flags |= CLIENT_PUSHING;
    if ((c->resp > 2) != resp3_head) {
        addReplyProto(c, c->resp > 2 ? ">" : "*", 1);
        head++;
        headlen--;
    }
    addReplyProto(c, head, headlen);
    if (taillen) addReplyProto(c, tail, taillen);
    c->flags &= ~CLIENT_PUSHING;
}

/* The whole frame of a channel message for one protocol, built on first
 * need during this publish (built[] says which are ready). */
static sds channelFrame(int kind, int resp3, int *built) {
    if (!built[resp3]) {
        const char *type = kinds[kind].message;
        sds f = frame_full[resp3] ? frame_full[resp3] : sdsempty();
        sdsclear(f);
        f = sdscatlen(f, resp3 ? ">3\r\n" : "*3\r\n", 4);
        f = catBulk(f, type, strlen(type));
        f = sdscatlen(f, frame_tail, sdslen(frame_tail));
        frame_full[resp3] = f;
        built[resp3] = 1;
    }
    return frame_full[resp3];
}

static long long deliverToChannel(int kind, subscribers *subs) {
    int built[2] = {0, 0};
    for (size_t j = 0; j < subs->count; j++) {
        client *c = subs->clients[j];
        int resp3 = c->resp > 2;
        sds f = channelFrame(kind, resp3, built);
        deliverTo(c, f, sdslen(f), NULL, 0, resp3);
    }
    return (long long)subs->count;
}

static long long deliverToPatterns(sds channel) {
    long long n = 0;
    size_t chlen = sdslen(channel);
    for (size_t j = 0; j < pattern_list_len; j++) {
        subscribers *subs = pattern_list[j];
        /* Most patterns fail on their first literal byte: settle those
         * without a call. */
        if (subs->glob.literal && (chlen < subs->glob.literal || subs->name[0] != channel[0])) continue;
        if (!globMatchPrepared(&subs->glob, subs->name, sdslen(subs->name), channel, chlen)) continue;
        for (size_t i = 0; i < subs->count; i++)
            deliverTo(subs->clients[i], subs->head, sdslen(subs->head), frame_tail, sdslen(frame_tail), 0);
        n += (long long)subs->count;
    }
    return n;
}

long long pubsubPublish(int kind, robj *channel, robj *message) {
    subscribers *subs = subscribersOf(kind, channel->ptr);
    int patterns = kind == PUBSUB_CHANNEL && pattern_list_len > 0;
    if (subs == NULL && !patterns) return 0;
    robj *ch = getDecodedObject(channel), *msg = getDecodedObject(message);
    sds tail = frame_tail ? frame_tail : sdsempty();
    sdsclear(tail);
    tail = catBulk(tail, ch->ptr, sdslen(ch->ptr));
    frame_tail = catBulk(tail, msg->ptr, sdslen(msg->ptr));
    long long n = 0;
    if (subs) n += deliverToChannel(kind, subs);
    if (patterns) n += deliverToPatterns(ch->ptr);
    trimFrameBuffers();
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
        subscribers *subs = subscribersOf(kind, c->argv[j]->ptr);
        addReplyBulk(c, c->argv[j]);
        addReplyLongLong(c, subs ? (long long)subs->count : 0);
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
