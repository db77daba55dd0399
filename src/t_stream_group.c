/* t_stream_group.c — consumer groups of streams and their commands.
 *
 * A stream's groups live in a rax by name (stream.cgroups, created with the
 * first group). A group holds the last ID delivered to it, its logical
 * read counter (entries_read, the position of last_id among all entries
 * ever added, or unknown), its pending entries list (PEL: ID -> NACK) and
 * its consumers by name, each with a PEL of its own that shares the
 * group's NACKs. The group's PEL owns the NACKs; a consumer's PEL only
 * lists them, so an entry is always pending for exactly one consumer.
 *
 * The read counter lets XINFO report a group's lag without walking the
 * stream: it advances by one per entry delivered while nothing deleted
 * can lie ahead of the group, and is otherwise estimated from the
 * stream's own counters (entries_added, length, first_id and
 * max_deleted_entry_id) the way Redis 7.0 estimates it, which gives the
 * same numbers (and the same "unknown" cases) as Redis.
 *
 * The commands: XGROUP CREATE / SETID / DESTROY / CREATECONSUMER /
 * DELCONSUMER / HELP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, and the group
 * half of XREADGROUP (streamReadGroup; the argument parsing and blocking
 * are XREAD's, in t_stream.c). As in Redis 7.0, XREADGROUP, XCLAIM and
 * XAUTOCLAIM are never recorded as typed: every NACK they change is
 * propagated as "XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE
 * JUSTID LASTID last", which sets the NACK to exactly its new state on a
 * replica or in the AOF, and a NOACK read that moved the group as
 * "XGROUP SETID key group last ENTRIESREAD n". Reading a consumer's
 * history changes delivery counts without propagating them, as in 7.0.
 */
#include "server.h"
#include "notify.h"
#include "t_stream.h"

#include <string.h>
#include <strings.h>

/* ------------------------------------------------------- structures */

streamNACK *streamCreateNACK(streamConsumer *consumer, long long delivery_time, uint64_t delivery_count) {
    streamNACK *nack = zmalloc(sizeof(*nack));
    nack->delivery_time = delivery_time;
    nack->delivery_count = delivery_count;
    nack->consumer = consumer;
    return nack;
}

static void freeNACKVoid(void *nack) {
    zfree(nack);
}

static void freeConsumer(streamConsumer *consumer) {
    raxFree(consumer->pel);
    sdsfree(consumer->name);
    zfree(consumer);
}

static void freeConsumerVoid(void *consumer) {
    freeConsumer(consumer);
}

static void freeCG(streamCG *cg) {
    raxFreeWithCallback(cg->pel, freeNACKVoid);
    raxFreeWithCallback(cg->consumers, freeConsumerVoid);
    zfree(cg);
}

static void freeCGVoid(void *cg) {
    freeCG(cg);
}

uint64_t streamGroupsFreeEffort(stream *s) {
    if (s->cgroups == NULL || raxSize(s->cgroups) == 0) return 0;
    raxIterator ri;
    raxStart(&ri, s->cgroups);
    raxSeek(&ri, "^", NULL, 0);
    raxNext(&ri);
    uint64_t first_pel = raxSize(((streamCG *)ri.data)->pel);
    raxStop(&ri);
    return raxSize(s->cgroups) * (1 + first_pel);
}

void streamFreeCGroups(stream *s) {
    if (s->cgroups) raxFreeWithCallback(s->cgroups, freeCGVoid);
    s->cgroups = NULL;
}

streamCG *streamCreateCG(stream *s, const char *name, size_t namelen, const streamID *last_id,
                         long long entries_read) {
    if (s->cgroups == NULL) s->cgroups = raxNew();
    if (raxFind(s->cgroups, (unsigned char *)name, namelen) != raxNotFound) return NULL;
    streamCG *cg = zmalloc(sizeof(*cg));
    cg->pel = raxNew();
    cg->consumers = raxNew();
    cg->last_id = *last_id;
    cg->entries_read = entries_read;
    raxInsert(s->cgroups, (unsigned char *)name, namelen, cg, NULL);
    return cg;
}

streamCG *streamLookupCG(stream *s, sds name) {
    if (s->cgroups == NULL) return NULL;
    void *cg = raxFind(s->cgroups, (unsigned char *)name, sdslen(name));
    return cg == raxNotFound ? NULL : cg;
}

streamConsumer *streamLookupConsumer(streamCG *cg, sds name) {
    void *consumer = raxFind(cg->consumers, (unsigned char *)name, sdslen(name));
    return consumer == raxNotFound ? NULL : consumer;
}

streamConsumer *streamCreateConsumer(streamCG *cg, const char *name, size_t namelen, long long seen_time) {
    if (raxFind(cg->consumers, (unsigned char *)name, namelen) != raxNotFound) return NULL;
    streamConsumer *consumer = zmalloc(sizeof(*consumer));
    consumer->name = sdsnewlen(name, namelen);
    consumer->pel = raxNew();
    consumer->seen_time = seen_time;
    raxInsert(cg->consumers, (unsigned char *)name, namelen, consumer, NULL);
    return consumer;
}

/* Removes consumer from cg with its pending entries (their NACKs freed). */
static void deleteConsumer(streamCG *cg, streamConsumer *consumer) {
    raxIterator ri;
    raxStart(&ri, consumer->pel);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) {
        raxRemove(cg->pel, ri.key, ri.key_len, NULL);
        zfree(ri.data);
    }
    raxStop(&ri);
    raxRemove(cg->consumers, (unsigned char *)consumer->name, sdslen(consumer->name), NULL);
    freeConsumer(consumer);
}

/* A copy of cg: consumers first, then the PEL with each NACK pointing at
 * the copy of its consumer. */
static streamCG *dupCG(const streamCG *src) {
    streamCG *cg = zmalloc(sizeof(*cg));
    cg->last_id = src->last_id;
    cg->entries_read = src->entries_read;
    cg->pel = raxNew();
    cg->consumers = raxNew();
    raxIterator ri;
    raxStart(&ri, src->consumers);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) {
        streamConsumer *from = ri.data;
        streamCreateConsumer(cg, from->name, sdslen(from->name), from->seen_time);
    }
    raxStop(&ri);
    raxStart(&ri, src->pel);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) {
        streamNACK *from = ri.data;
        streamConsumer *owner = streamLookupConsumer(cg, from->consumer->name);
        streamNACK *nack = streamCreateNACK(owner, from->delivery_time, from->delivery_count);
        raxInsert(cg->pel, ri.key, ri.key_len, nack, NULL);
        raxInsert(owner->pel, ri.key, ri.key_len, nack, NULL);
    }
    raxStop(&ri);
    return cg;
}

void streamDupCGroups(stream *dst, const stream *src) {
    if (src->cgroups == NULL) return;
    dst->cgroups = raxNew();
    raxIterator ri;
    raxStart(&ri, src->cgroups);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) raxInsert(dst->cgroups, ri.key, ri.key_len, dupCG(ri.data), NULL);
    raxStop(&ri);
}

/* ---------------------------------------------------------- the lag */

static int streamIDIsZero(const streamID *id) {
    return id->ms == 0 && id->seq == 0;
}

long long streamEstimateEntriesRead(stream *s, const streamID *id) {
    if (s->entries_added == 0) return 0;
    int vs_last = streamCompareID(id, &s->last_id);
    if (s->length == 0 && vs_last <= 0) return (long long)s->entries_added;
    if (vs_last == 0) return (long long)s->entries_added;
    if (vs_last > 0) return STREAM_ENTRIES_READ_UNKNOWN;
    /* Only when no deletion happened at or after the first entry are the
     * entries before the first one all counted by entries_added - length. */
    int no_gaps =
        streamIDIsZero(&s->max_deleted_entry_id) || streamCompareID(&s->max_deleted_entry_id, &s->first_id) < 0;
    if (!no_gaps) return STREAM_ENTRIES_READ_UNKNOWN;
    int vs_first = streamCompareID(id, &s->first_id);
    if (vs_first < 0) return (long long)(s->entries_added - s->length);
    if (vs_first == 0) return (long long)(s->entries_added - s->length + 1);
    return STREAM_ENTRIES_READ_UNKNOWN;
}

int streamRangeHasTombstones(stream *s, const streamID *start) {
    if (s->length == 0 || streamIDIsZero(&s->max_deleted_entry_id)) return 0;
    if (streamCompareID(&s->first_id, &s->max_deleted_entry_id) > 0) return 0;
    streamID from = start ? *start : (streamID){0, 0};
    return streamCompareID(&from, &s->max_deleted_entry_id) <= 0;
}

int streamGroupLag(stream *s, streamCG *cg, long long *lag) {
    if (s->entries_added == 0) {
        *lag = 0;
        return 1;
    }
    if (cg->entries_read != STREAM_ENTRIES_READ_UNKNOWN && !streamRangeHasTombstones(s, &cg->last_id)) {
        *lag = (long long)s->entries_added - cg->entries_read;
        return 1;
    }
    long long read = streamEstimateEntriesRead(s, &cg->last_id);
    if (read == STREAM_ENTRIES_READ_UNKNOWN) return 0;
    *lag = (long long)s->entries_added - read;
    return 1;
}

/* ---------------------------------------------------------- propagation */

/* Records the state of one NACK as the XCLAIM that recreates it. */
static void propagateNACK(client *c, robj *key, robj *groupname, streamCG *cg, const streamID *id,
                          streamNACK *nack) {
    robj *argv[14];
    argv[0] = createStringObject("XCLAIM", 6);
    argv[1] = key;
    argv[2] = groupname;
    argv[3] = createStringObject(nack->consumer->name, sdslen(nack->consumer->name));
    argv[4] = createStringObjectFromLongLong(0);
    argv[5] = createObjectFromStreamID(id);
    argv[6] = createStringObject("TIME", 4);
    argv[7] = createStringObjectFromLongLong(nack->delivery_time);
    argv[8] = createStringObject("RETRYCOUNT", 10);
    argv[9] = createStringObjectFromLongLong((long long)nack->delivery_count);
    argv[10] = createStringObject("FORCE", 5);
    argv[11] = createStringObject("JUSTID", 6);
    argv[12] = createStringObject("LASTID", 6);
    argv[13] = createObjectFromStreamID(&cg->last_id);
    alsoPropagate(c->db->id, argv, 14);
    for (int i = 0; i < 14; i++)
        if (i != 1 && i != 2) decrRefCount(argv[i]);
}

/* Records the group's position as XGROUP SETID ... ENTRIESREAD. */
static void propagateGroupID(client *c, robj *key, robj *groupname, streamCG *cg) {
    robj *argv[7];
    argv[0] = createStringObject("XGROUP", 6);
    argv[1] = createStringObject("SETID", 5);
    argv[2] = key;
    argv[3] = groupname;
    argv[4] = createObjectFromStreamID(&cg->last_id);
    argv[5] = createStringObject("ENTRIESREAD", 11);
    argv[6] = createStringObjectFromLongLong(cg->entries_read);
    alsoPropagate(c->db->id, argv, 7);
    for (int i = 0; i < 7; i++)
        if (i != 2 && i != 3) decrRefCount(argv[i]);
}

/* ---------------------------------------------------------- XREADGROUP */

/* Moves the group past id, keeping its read counter exact when it can. */
static void advanceGroup(stream *s, streamCG *cg, const streamID *id) {
    if (cg->entries_read != STREAM_ENTRIES_READ_UNKNOWN && !streamRangeHasTombstones(s, id))
        cg->entries_read++;
    else if (s->entries_added)
        cg->entries_read = streamEstimateEntriesRead(s, id);
    cg->last_id = *id;
}

/* Makes the entry key pending for consumer, delivered now for the first
 * time (an entry pending for another consumer moves to this one). */
static streamNACK *deliverToConsumer(streamCG *cg, streamConsumer *consumer, const unsigned char *key,
                                     long long now) {
    streamNACK *nack = raxFind(cg->pel, key, 16);
    if (nack == raxNotFound) {
        nack = streamCreateNACK(consumer, now, 1);
        raxInsert(cg->pel, key, 16, nack, NULL);
        raxInsert(consumer->pel, key, 16, nack, NULL);
        return nack;
    }
    raxRemove(nack->consumer->pel, key, 16, NULL);
    nack->consumer = consumer;
    nack->delivery_time = now;
    nack->delivery_count = 1;
    raxInsert(consumer->pel, key, 16, nack, NULL);
    return nack;
}

/* New entries after cg->last_id, delivered to consumer. */
static long readNewEntries(client *c, robj *key, stream *s, streamCG *cg, streamConsumer *consumer,
                           robj *groupname, long long count, int noack) {
    streamID start = cg->last_id;
    void *len = addReplyDeferredLen(c);
    long emitted = 0;
    long long now = mstime();
    streamIterator si;
    streamID id;
    int64_t nf;
    streamIteratorStart(&si, s, &start, NULL, 0);
    while ((count == 0 || emitted < count) && streamIteratorGetID(&si, &id, &nf)) {
        if (streamCompareID(&id, &start) <= 0) continue;
        advanceGroup(s, cg, &id);
        addReplyStreamEntry(c, &si, &id, nf);
        emitted++;
        server.dirty++;
        if (noack) continue;
        unsigned char buf[16];
        streamEncodeID(buf, &id);
        propagateNACK(c, key, groupname, cg, &id, deliverToConsumer(cg, consumer, buf, now));
    }
    streamIteratorStop(&si);
    setDeferredArrayLen(c, len, emitted);
    /* Redis 7.0.15 sends this only with NOACK, and its replicas keep a
     * stale entries-read (fixed in 7.2); sent always, replicas of either
     * server keep the group's counter exact. */
    if (emitted) propagateGroupID(c, key, groupname, cg);
    return emitted;
}

/* The consumer's pending entries after start, delivered again; an entry
 * deleted from the stream meanwhile is replied as [id, nil]. */
static long readHistory(client *c, stream *s, streamConsumer *consumer, const streamID *start, long long count) {
    void *len = addReplyDeferredLen(c);
    long emitted = 0;
    long long now = mstime();
    unsigned char key[16];
    streamEncodeID(key, start);
    raxIterator ri;
    raxStart(&ri, consumer->pel);
    raxSeek(&ri, ">", key, sizeof(key));
    while ((count == 0 || emitted < count) && raxNext(&ri)) {
        streamID id;
        streamDecodeID(ri.key, &id);
        streamNACK *nack = ri.data;
        if (addReplyStreamEntryByID(c, s, &id)) {
            nack->delivery_time = now;
            nack->delivery_count++;
        } else {
            addReplyArrayLen(c, 2);
            addReplyStreamID(c, &id);
            addReplyNullArray(c);
        }
        emitted++;
    }
    raxStop(&ri);
    setDeferredArrayLen(c, len, emitted);
    return emitted;
}

long streamReadGroup(client *c, robj *key, stream *s, streamCG *cg, streamConsumer *consumer, robj *groupname,
                     const streamID *start, long long count, int noack, int history) {
    if (history) return readHistory(c, s, consumer, start, count);
    return readNewEntries(c, key, s, cg, consumer, groupname, count, noack);
}

/* --------------------------------------------------------------- XGROUP */

/* The stream of XGROUP's key (argv[2]): WRONGTYPE, or the "requires the
 * key to exist" error unless may_be_missing. *o is NULL when missing. */
static int xgroupStreamOrReply(client *c, robj **o, int may_be_missing) {
    *o = lookupKeyWrite(c->db, c->argv[2]);
    if (checkType(c, *o, OBJ_STREAM)) return C_ERR;
    if (*o == NULL && !may_be_missing) {
        addReplyError(c, "The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use "
                         "the MKSTREAM option to create an empty stream automatically.");
        return C_ERR;
    }
    return C_OK;
}

/* The group argv[3] of the stream o, or the NOGROUP error of XGROUP. */
static streamCG *xgroupGroupOrReply(client *c, robj *o) {
    streamCG *cg = streamLookupCG(o->ptr, c->argv[3]->ptr);
    if (cg == NULL)
        addReplyErrorFormat(c, "-NOGROUP No such consumer group '%s' for key name '%s'", (char *)c->argv[3]->ptr,
                            (char *)c->argv[2]->ptr);
    return cg;
}

/* ENTRIESREAD's value: a count, or -1 for unknown. */
static int parseEntriesReadOrReply(client *c, robj *arg, long long *entries_read) {
    if (getLongLongFromObjectOrReply(c, arg, entries_read, NULL) != C_OK) return C_ERR;
    if (*entries_read < 0 && *entries_read != STREAM_ENTRIES_READ_UNKNOWN) {
        addReplyError(c, "value for ENTRIESREAD must be positive or -1");
        return C_ERR;
    }
    return C_OK;
}

/* The options of CREATE (mkstream not NULL: MKSTREAM allowed) and SETID
 * from argv[5]: ENTRIESREAD n (default unknown). */
static int parseGroupOptionsOrReply(client *c, int *mkstream, long long *entries_read) {
    *entries_read = STREAM_ENTRIES_READ_UNKNOWN;
    for (int i = 5; i < c->argc; i++) {
        if (mkstream && !strcasecmp(c->argv[i]->ptr, "mkstream")) {
            *mkstream = 1;
        } else if (!strcasecmp(c->argv[i]->ptr, "entriesread") && i + 1 < c->argc) {
            if (parseEntriesReadOrReply(c, c->argv[++i], entries_read) != C_OK) return C_ERR;
        } else {
            addReplyErrorSubcommandSyntax(c);
            return C_ERR;
        }
    }
    /* Redis checks the word count only once the options are read. */
    if (c->argc > (mkstream ? 8 : 7)) {
        addReplyErrorSubcommandSyntax(c);
        return C_ERR;
    }
    return C_OK;
}

/* The group ID argument of CREATE and SETID: "$" is the stream's last ID. */
static int parseGroupIDOrReply(client *c, robj *arg, robj *o, streamID *id) {
    if (sdsEncodedObject(arg) && !strcmp(arg->ptr, "$")) {
        *id = o ? ((stream *)o->ptr)->last_id : (streamID){0, 0};
        return C_OK;
    }
    return streamParseStrictIDOrReply(c, arg, id, 0);
}

/* XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n] */
void xgroupCreateCommand(client *c) {
    int mkstream = 0;
    long long entries_read;
    if (parseGroupOptionsOrReply(c, &mkstream, &entries_read) != C_OK) return;
    robj *o;
    if (xgroupStreamOrReply(c, &o, mkstream) != C_OK) return;
    streamID id;
    if (parseGroupIDOrReply(c, c->argv[4], o, &id) != C_OK) return;
    if (o == NULL) {
        o = createStreamObject();
        dbAdd(c->db, c->argv[2], o);
        signalModifiedKey(c, c->db, c->argv[2]);
    }
    if (streamCreateCG(o->ptr, c->argv[3]->ptr, sdslen(c->argv[3]->ptr), &id, entries_read) == NULL) {
        addReplyError(c, "-BUSYGROUP Consumer Group name already exists");
        return;
    }
    addReply(c, shared.ok);
    server.dirty++;
    notifyKeyspaceEvent(NOTIFY_STREAM, "xgroup-create", c->argv[2], c->db->id);
}

/* XGROUP SETID key group id|$ [ENTRIESREAD n] */
void xgroupSetidCommand(client *c) {
    long long entries_read;
    if (parseGroupOptionsOrReply(c, NULL, &entries_read) != C_OK) return;
    robj *o;
    if (xgroupStreamOrReply(c, &o, 0) != C_OK) return;
    streamCG *cg = xgroupGroupOrReply(c, o);
    if (cg == NULL) return;
    streamID id;
    if (parseGroupIDOrReply(c, c->argv[4], o, &id) != C_OK) return;
    cg->last_id = id;
    cg->entries_read = entries_read;
    addReply(c, shared.ok);
    server.dirty++;
    notifyKeyspaceEvent(NOTIFY_STREAM, "xgroup-setid", c->argv[2], c->db->id);
}

/* XGROUP DESTROY key group: clients blocked reading the group are told. */
void xgroupDestroyCommand(client *c) {
    robj *o;
    if (xgroupStreamOrReply(c, &o, 0) != C_OK) return;
    stream *s = o->ptr;
    streamCG *cg = streamLookupCG(s, c->argv[3]->ptr);
    if (cg == NULL) {
        addReply(c, shared.czero);
        return;
    }
    raxRemove(s->cgroups, (unsigned char *)c->argv[3]->ptr, sdslen(c->argv[3]->ptr), NULL);
    freeCG(cg);
    addReply(c, shared.cone);
    server.dirty++;
    notifyKeyspaceEvent(NOTIFY_STREAM, "xgroup-destroy", c->argv[2], c->db->id);
    signalKeyAsReady(c->db, c->argv[2], OBJ_STREAM);
}

/* XGROUP CREATECONSUMER key group consumer */
void xgroupCreateconsumerCommand(client *c) {
    robj *o;
    if (xgroupStreamOrReply(c, &o, 0) != C_OK) return;
    streamCG *cg = xgroupGroupOrReply(c, o);
    if (cg == NULL) return;
    sds name = c->argv[4]->ptr;
    if (streamCreateConsumer(cg, name, sdslen(name), mstime()) == NULL) {
        addReply(c, shared.czero);
        return;
    }
    addReply(c, shared.cone);
    server.dirty++;
    notifyKeyspaceEvent(NOTIFY_STREAM, "xgroup-createconsumer", c->argv[2], c->db->id);
}

/* XGROUP DELCONSUMER key group consumer: replies how many entries the
 * consumer had pending (they are dropped with it). */
void xgroupDelconsumerCommand(client *c) {
    robj *o;
    if (xgroupStreamOrReply(c, &o, 0) != C_OK) return;
    streamCG *cg = xgroupGroupOrReply(c, o);
    if (cg == NULL) return;
    streamConsumer *consumer = streamLookupConsumer(cg, c->argv[4]->ptr);
    if (consumer == NULL) {
        addReply(c, shared.czero);
        return;
    }
    long long pending = (long long)raxSize(consumer->pel);
    deleteConsumer(cg, consumer);
    addReplyLongLong(c, pending);
    server.dirty++;
    notifyKeyspaceEvent(NOTIFY_STREAM, "xgroup-delconsumer", c->argv[2], c->db->id);
}

void xgroupHelpCommand(client *c) {
    static const char *help[] = {
        "CREATE <key> <groupname> <id|$> [option]",
        "    Create a new consumer group. Options are:",
        "    * MKSTREAM",
        "      Create the empty stream if it does not exist.",
        "    * ENTRIESREAD entries_read",
        "      Set the group's entries_read counter (internal use).",
        "CREATECONSUMER <key> <groupname> <consumer>",
        "    Create a new consumer in the specified group.",
        "DELCONSUMER <key> <groupname> <consumer>",
        "    Remove the specified consumer.",
        "DESTROY <key> <groupname>",
        "    Remove the specified group.",
        "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
        "    Set the current group ID and entries_read counter.",
        NULL,
    };
    addReplyHelp(c, help);
}

/* ----------------------------------------------------------------- XACK */

/* Drops the pending entry key of cg; 1 if it was pending. */
static int ackEntry(streamCG *cg, const unsigned char *key) {
    streamNACK *nack = raxFind(cg->pel, key, 16);
    if (nack == raxNotFound) return 0;
    raxRemove(cg->pel, key, 16, NULL);
    raxRemove(nack->consumer->pel, key, 16, NULL);
    zfree(nack);
    return 1;
}

/* XACK key group id [id ...]: 0 without the group; otherwise every ID is
 * checked before any is acked. */
void xackCommand(client *c) {
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, o, OBJ_STREAM)) return;
    streamCG *cg = o ? streamLookupCG(o->ptr, c->argv[2]->ptr) : NULL;
    if (cg == NULL) {
        addReply(c, shared.czero);
        return;
    }
    int n = c->argc - 3;
    streamID *ids = zmalloc(sizeof(streamID) * (size_t)n);
    for (int i = 0; i < n; i++) {
        if (streamParseStrictIDOrReply(c, c->argv[i + 3], &ids[i], 0) != C_OK) {
            zfree(ids);
            return;
        }
    }
    long long acked = 0;
    for (int i = 0; i < n; i++) {
        unsigned char key[16];
        streamEncodeID(key, &ids[i]);
        acked += ackEntry(cg, key);
    }
    zfree(ids);
    addReplyLongLong(c, acked);
    server.dirty += acked;
}

/* ------------------------------------------------------------- XPENDING */

/* The group argv[2] of the stream at argv[1], or the NOGROUP error of
 * XPENDING, XCLAIM and XAUTOCLAIM (also WRONGTYPE). */
static streamCG *lookupGroupOrReply(client *c, robj **op) {
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, o, OBJ_STREAM)) return NULL;
    streamCG *cg = o ? streamLookupCG(o->ptr, c->argv[2]->ptr) : NULL;
    if (cg == NULL) {
        addReplyErrorFormat(c, "-NOGROUP No such key '%s' or consumer group '%s'", (char *)c->argv[1]->ptr,
                            (char *)c->argv[2]->ptr);
        return NULL;
    }
    *op = o;
    return cg;
}

/* The summary: count, smallest and largest pending IDs, and each consumer
 * with pending entries with its count (as a bulk string). */
static void pendingSummary(client *c, streamCG *cg) {
    addReplyArrayLen(c, 4);
    addReplyLongLong(c, (long long)raxSize(cg->pel));
    if (raxSize(cg->pel) == 0) {
        addReplyNull(c);
        addReplyNull(c);
        addReplyNullArray(c);
        return;
    }
    raxIterator ri;
    streamID id;
    raxStart(&ri, cg->pel);
    raxSeek(&ri, "^", NULL, 0);
    raxNext(&ri);
    streamDecodeID(ri.key, &id);
    addReplyStreamID(c, &id);
    raxSeek(&ri, "$", NULL, 0);
    raxNext(&ri);
    streamDecodeID(ri.key, &id);
    addReplyStreamID(c, &id);
    raxStop(&ri);
    void *len = addReplyDeferredLen(c);
    long n = 0;
    raxStart(&ri, cg->consumers);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) {
        streamConsumer *consumer = ri.data;
        if (raxSize(consumer->pel) == 0) continue;
        addReplyArrayLen(c, 2);
        addReplyBulkCBuffer(c, ri.key, ri.key_len);
        addReplyBulkLongLong(c, (long long)raxSize(consumer->pel));
        n++;
    }
    raxStop(&ri);
    setDeferredArrayLen(c, len, n);
}

/* The pending entries of pel between start and end, at most count, idle
 * at least minidle ms: [id, consumer, idle, deliveries] each. */
static void pendingRange(client *c, rax *pel, const streamID *start, const streamID *end, long long count,
                         long long minidle) {
    unsigned char startkey[16], endkey[16];
    streamEncodeID(startkey, start);
    streamEncodeID(endkey, end);
    long long now = mstime();
    void *len = addReplyDeferredLen(c);
    long n = 0;
    raxIterator ri;
    raxStart(&ri, pel);
    raxSeek(&ri, ">=", startkey, sizeof(startkey));
    while (count > 0 && raxNext(&ri) && memcmp(ri.key, endkey, 16) <= 0) {
        streamNACK *nack = ri.data;
        long long idle = now - nack->delivery_time;
        if (minidle && idle < minidle) continue;
        streamID id;
        streamDecodeID(ri.key, &id);
        addReplyArrayLen(c, 4);
        addReplyStreamID(c, &id);
        addReplyBulkCBuffer(c, nack->consumer->name, sdslen(nack->consumer->name));
        addReplyLongLong(c, idle < 0 ? 0 : idle);
        addReplyLongLong(c, (long long)nack->delivery_count);
        n++;
        count--;
    }
    raxStop(&ri);
    setDeferredArrayLen(c, len, n);
}

/* XPENDING key group [[IDLE min-idle] start end count [consumer]] */
void xpendingCommand(client *c) {
    long long minidle = 0, count = 0;
    streamID start, end;
    robj *consumername = NULL;
    if (c->argc != 3 && (c->argc < 6 || c->argc > 9)) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    if (c->argc >= 6) {
        int at = 3;
        if (!strcasecmp(c->argv[3]->ptr, "idle")) {
            if (getLongLongFromObjectOrReply(c, c->argv[4], &minidle, NULL) != C_OK) return;
            if (c->argc < 8) {
                addReplyErrorObject(c, shared.syntaxerr);
                return;
            }
            at += 2;
        }
        if (getLongLongFromObjectOrReply(c, c->argv[at + 2], &count, NULL) != C_OK) return;
        if (count < 0) count = 0;
        if (streamParseRangeIDOrReply(c, c->argv[at], &start, 0, 0) != C_OK) return;
        if (streamParseRangeIDOrReply(c, c->argv[at + 1], &end, UINT64_MAX, 1) != C_OK) return;
        if (at + 3 < c->argc) consumername = c->argv[at + 3];
    }
    robj *o;
    streamCG *cg = lookupGroupOrReply(c, &o);
    if (cg == NULL) return;
    if (c->argc == 3) {
        pendingSummary(c, cg);
        return;
    }
    rax *pel = cg->pel;
    if (consumername) {
        streamConsumer *consumer = streamLookupConsumer(cg, consumername->ptr);
        if (consumer == NULL) {
            addReplyArrayLen(c, 0);
            return;
        }
        pel = consumer->pel;
    }
    pendingRange(c, pel, &start, &end, count, minidle);
}

/* --------------------------------------------------------------- XCLAIM */

/* The consumer that claims, created (with its event) on first use; seen now. */
static streamConsumer *claimingConsumer(client *c, streamCG *cg, streamConsumer **consumer, long long now) {
    if (*consumer) return *consumer;
    sds name = c->argv[3]->ptr;
    *consumer = streamLookupConsumer(cg, name);
    if (*consumer == NULL) {
        *consumer = streamCreateConsumer(cg, name, sdslen(name), now);
        notifyKeyspaceEvent(NOTIFY_STREAM, "xgroup-createconsumer", c->argv[1], c->db->id);
    }
    (*consumer)->seen_time = now;
    return *consumer;
}

/* Gives the pending entry key (its NACK) to consumer. */
static void moveNACK(streamNACK *nack, streamConsumer *consumer, const unsigned char *key) {
    if (nack->consumer == consumer) return;
    if (nack->consumer) raxRemove(nack->consumer->pel, key, 16, NULL);
    raxInsert(consumer->pel, key, 16, nack, NULL);
    nack->consumer = consumer;
}

/* A pending entry that is no longer in the stream leaves the PEL; Redis
 * 7.0 propagates the NACK as it was before dropping it. */
static void dropDeletedNACK(client *c, streamCG *cg, const unsigned char *key, const streamID *id) {
    streamNACK *nack = raxFind(cg->pel, key, 16);
    propagateNACK(c, c->argv[1], c->argv[2], cg, id, nack);
    server.dirty++;
    ackEntry(cg, key);
}

typedef struct xclaimOptions {
    long long minidle;
    long long delivery_time; /* -1: now */
    long long retrycount;    /* -1: not given */
    int force, justid;
    streamID last_id;
    int last_ids;  /* argv index of the last ID to claim */
} xclaimOptions;

static int parseXclaimOptionsOrReply(client *c, xclaimOptions *opt, long long now) {
    memset(opt, 0, sizeof(*opt));
    opt->delivery_time = opt->retrycount = -1;
    if (getLongLongFromObjectOrReply(c, c->argv[4], &opt->minidle, "Invalid min-idle-time argument for XCLAIM") !=
        C_OK)
        return C_ERR;
    if (opt->minidle < 0) opt->minidle = 0;
    int j = 5;
    streamID id;
    while (j < c->argc && streamParseStrictIDOrReply(NULL, c->argv[j], &id, 0) == C_OK) j++;
    opt->last_ids = j - 1;
    for (; j < c->argc; j++) {
        int moreargs = c->argc - 1 - j;
        const char *name = c->argv[j]->ptr;
        if (!strcasecmp(name, "force")) {
            opt->force = 1;
        } else if (!strcasecmp(name, "justid")) {
            opt->justid = 1;
        } else if (!strcasecmp(name, "idle") && moreargs) {
            long long idle;
            if (getLongLongFromObjectOrReply(c, c->argv[++j], &idle, "Invalid IDLE option argument for XCLAIM") !=
                C_OK)
                return C_ERR;
            opt->delivery_time = now - idle;
        } else if (!strcasecmp(name, "time") && moreargs) {
            if (getLongLongFromObjectOrReply(c, c->argv[++j], &opt->delivery_time,
                                             "Invalid TIME option argument for XCLAIM") != C_OK)
                return C_ERR;
        } else if (!strcasecmp(name, "retrycount") && moreargs) {
            if (getLongLongFromObjectOrReply(c, c->argv[++j], &opt->retrycount,
                                             "Invalid RETRYCOUNT option argument for XCLAIM") != C_OK)
                return C_ERR;
        } else if (!strcasecmp(name, "lastid") && moreargs) {
            if (streamParseStrictIDOrReply(c, c->argv[++j], &opt->last_id, 0) != C_OK) return C_ERR;
        } else {
            addReplyErrorFormat(c, "Unrecognized XCLAIM option '%s'", name);
            return C_ERR;
        }
    }
    if (opt->delivery_time < 0 || opt->delivery_time > now) opt->delivery_time = now;
    return C_OK;
}

/* Claims one ID for XCLAIM; 1 if it was claimed (and replied). */
static int claimOne(client *c, stream *s, streamCG *cg, const xclaimOptions *opt, const streamID *id,
                    streamConsumer **consumer, long long now) {
    unsigned char key[16];
    streamEncodeID(key, id);
    streamNACK *nack = raxFind(cg->pel, key, 16);
    if (!streamEntryExists(s, id)) {
        if (nack != raxNotFound) dropDeletedNACK(c, cg, key, id);
        return 0;
    }
    if (nack == raxNotFound) {
        if (!opt->force) return 0;
        nack = streamCreateNACK(NULL, now, 1);
        raxInsert(cg->pel, key, 16, nack, NULL);
    }
    if (nack->consumer && opt->minidle && now - nack->delivery_time < opt->minidle) return 0;
    moveNACK(nack, claimingConsumer(c, cg, consumer, now), key);
    nack->delivery_time = opt->delivery_time;
    if (opt->retrycount >= 0) nack->delivery_count = (uint64_t)opt->retrycount;
    else if (!opt->justid) nack->delivery_count++;
    if (opt->justid) addReplyStreamID(c, id);
    else addReplyStreamEntryByID(c, s, id);
    propagateNACK(c, c->argv[1], c->argv[2], cg, id, nack);
    server.dirty++;
    return 1;
}

/* XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms]
 * [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id] */
void xclaimCommand(client *c) {
    robj *o;
    streamCG *cg = lookupGroupOrReply(c, &o);
    if (cg == NULL) return;
    long long now = mstime();
    xclaimOptions opt;
    if (parseXclaimOptionsOrReply(c, &opt, now) != C_OK) return;
    preventCommandPropagation(c);
    int moved_group = streamCompareID(&opt.last_id, &cg->last_id) > 0;
    if (moved_group) cg->last_id = opt.last_id;
    streamConsumer *consumer = NULL;
    void *len = addReplyDeferredLen(c);
    long claimed = 0;
    long long dirty_before = server.dirty;
    for (int j = 5; j <= opt.last_ids; j++) {
        streamID id;
        streamParseStrictIDOrReply(NULL, c->argv[j], &id, 0);
        claimed += claimOne(c, o->ptr, cg, &opt, &id, &consumer, now);
    }
    setDeferredArrayLen(c, len, claimed);
    if (moved_group && server.dirty == dirty_before) {
        propagateGroupID(c, c->argv[1], c->argv[2], cg);
        server.dirty++;
    }
}

/* ----------------------------------------------------------- XAUTOCLAIM */

/* XAUTOCLAIM key group consumer min-idle-time start [COUNT n] [JUSTID]:
 * replies [next cursor, claimed, IDs dropped because deleted]. */
void xautoclaimCommand(client *c) {
    long long minidle;
    long count = 100;
    int justid = 0;
    streamID start;
    if (getLongLongFromObjectOrReply(c, c->argv[4], &minidle, "Invalid min-idle-time argument for XAUTOCLAIM") !=
        C_OK)
        return;
    if (minidle < 0) minidle = 0;
    if (streamParseRangeIDOrReply(c, c->argv[5], &start, 0, 0) != C_OK) return;
    for (int j = 6; j < c->argc; j++) {
        if (!strcasecmp(c->argv[j]->ptr, "count") && j + 1 < c->argc) {
            if (getRangeLongFromObjectOrReply(c, c->argv[++j], 1, LONG_MAX / 16, &count, "COUNT must be > 0") !=
                C_OK)
                return;
        } else if (!strcasecmp(c->argv[j]->ptr, "justid")) {
            justid = 1;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
    }
    robj *o;
    streamCG *cg = lookupGroupOrReply(c, &o);
    if (cg == NULL) return;
    preventCommandPropagation(c);
    stream *s = o->ptr;
    long long now = mstime(), attempts = (long long)count * 10;
    streamConsumer *consumer = NULL;
    size_t room = (size_t)count < raxSize(cg->pel) ? (size_t)count : (size_t)raxSize(cg->pel);
    streamID *claimed = zmalloc(sizeof(streamID) * (room ? room : 1));
    streamID *deleted = zmalloc(sizeof(streamID) * (room ? room : 1));
    long nclaimed = 0, ndeleted = 0;
    unsigned char key[16];
    streamEncodeID(key, &start);
    raxIterator ri;
    raxStart(&ri, cg->pel);
    raxSeek(&ri, ">=", key, sizeof(key));
    while (attempts-- && count && raxNext(&ri)) {
        streamNACK *nack = ri.data;
        streamID id;
        streamDecodeID(ri.key, &id);
        if (!streamEntryExists(s, &id)) {
            memcpy(key, ri.key, 16);
            dropDeletedNACK(c, cg, key, &id);
            deleted[ndeleted++] = id;
            raxSeek(&ri, ">=", key, sizeof(key));
            count--;
            continue;
        }
        if (minidle && now - nack->delivery_time < minidle) continue;
        moveNACK(nack, claimingConsumer(c, cg, &consumer, now), ri.key);
        nack->delivery_time = now;
        if (!justid) nack->delivery_count++;
        claimed[nclaimed++] = id;
        count--;
        propagateNACK(c, c->argv[1], c->argv[2], cg, &id, nack);
        server.dirty++;
    }
    streamID cursor = {0, 0};
    if (raxNext(&ri)) streamDecodeID(ri.key, &cursor);
    raxStop(&ri);
    addReplyArrayLen(c, 3);
    addReplyStreamID(c, &cursor);
    addReplyArrayLen(c, nclaimed);
    for (long i = 0; i < nclaimed; i++) {
        if (justid) addReplyStreamID(c, &claimed[i]);
        else addReplyStreamEntryByID(c, s, &claimed[i]);
    }
    addReplyArrayLen(c, ndeleted);
    for (long i = 0; i < ndeleted; i++) addReplyStreamID(c, &deleted[i]);
    zfree(claimed);
    zfree(deleted);
}
