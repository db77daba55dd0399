/* t_stream_info.c — XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO
 * CONSUMERS and XINFO HELP.
 *
 * Every reply is a map (an array of name/value pairs in RESP2) with Redis
 * 7.0's fields in Redis 7.0's order; nothing here changes the stream. The
 * summary of a stream shows its counters and its first and last entries;
 * FULL shows up to COUNT entries (10 by default, 0 for all) and, for each
 * group, up to COUNT entries of its PEL and of each consumer's PEL. A
 * group's lag comes from t_stream_group.c (null when it is not known), as
 * does entries-read (null when unknown). MEMORY USAGE's estimate of a
 * stream lives here too.
 */
#include "server.h"
#include "t_stream.h"

#include <string.h>
#include <strings.h>

/* The stream at argv[2]: "no such key", WRONGTYPE, or the value. */
static stream *xinfoStreamOrReply(client *c) {
    robj *o = lookupKeyRead(c->db, c->argv[2]);
    if (o == NULL) {
        addReplyError(c, "no such key");
        return NULL;
    }
    if (checkType(c, o, OBJ_STREAM)) return NULL;
    return o->ptr;
}

static void addReplyEntriesRead(client *c, const streamCG *cg) {
    if (cg->entries_read == STREAM_ENTRIES_READ_UNKNOWN) addReplyNull(c);
    else addReplyLongLong(c, cg->entries_read);
}

static void addReplyLag(client *c, stream *s, streamCG *cg) {
    long long lag;
    if (streamGroupLag(s, cg, &lag)) addReplyLongLong(c, lag);
    else addReplyNull(c);
}

/* The fields every form of XINFO STREAM starts with. */
static void addReplyStreamCounters(client *c, stream *s) {
    addReplyBulkCString(c, "length");
    addReplyLongLong(c, (long long)s->length);
    addReplyBulkCString(c, "radix-tree-keys");
    addReplyLongLong(c, (long long)raxSize(s->rax));
    addReplyBulkCString(c, "radix-tree-nodes");
    addReplyLongLong(c, (long long)raxCompressedNodeCount(s->rax));
    addReplyBulkCString(c, "last-generated-id");
    addReplyStreamID(c, &s->last_id);
    addReplyBulkCString(c, "max-deleted-entry-id");
    addReplyStreamID(c, &s->max_deleted_entry_id);
    addReplyBulkCString(c, "entries-added");
    addReplyLongLong(c, (long long)s->entries_added);
    addReplyBulkCString(c, "recorded-first-entry-id");
    addReplyStreamID(c, &s->first_id);
}

/* The first (first = 1) or last entry, or null. */
static void addReplyEdgeEntry(client *c, stream *s, int first) {
    streamIterator si;
    streamID id;
    int64_t nf;
    streamIteratorStart(&si, s, NULL, NULL, !first);
    if (streamIteratorGetID(&si, &id, &nf)) addReplyStreamEntry(c, &si, &id, nf);
    else addReplyNull(c);
    streamIteratorStop(&si);
}

static void xinfoStreamSummary(client *c, stream *s) {
    addReplyMapLen(c, 10);
    addReplyStreamCounters(c, s);
    addReplyBulkCString(c, "groups");
    addReplyLongLong(c, s->cgroups ? (long long)raxSize(s->cgroups) : 0);
    addReplyBulkCString(c, "first-entry");
    addReplyEdgeEntry(c, s, 1);
    addReplyBulkCString(c, "last-entry");
    addReplyEdgeEntry(c, s, 0);
}

/* Up to count (0: all) entries of a PEL: [id, consumer, time, count] for
 * a group's (with_consumer), [id, time, count] for a consumer's. */
static void addReplyPEL(client *c, rax *pel, long long count, int with_consumer) {
    long long n = raxSize(pel);
    if (count && count < n) n = count;
    addReplyArrayLen(c, n);
    raxIterator ri;
    raxStart(&ri, pel);
    raxSeek(&ri, "^", NULL, 0);
    for (long long i = 0; i < n && raxNext(&ri); i++) {
        streamNACK *nack = ri.data;
        streamID id;
        streamDecodeID(ri.key, &id);
        addReplyArrayLen(c, with_consumer ? 4 : 3);
        addReplyStreamID(c, &id);
        if (with_consumer) addReplyBulkCBuffer(c, nack->consumer->name, sdslen(nack->consumer->name));
        addReplyLongLong(c, nack->delivery_time);
        addReplyLongLong(c, (long long)nack->delivery_count);
    }
    raxStop(&ri);
}

static void addReplyFullConsumers(client *c, streamCG *cg, long long count) {
    addReplyArrayLen(c, (long)raxSize(cg->consumers));
    raxIterator ri;
    raxStart(&ri, cg->consumers);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) {
        streamConsumer *consumer = ri.data;
        addReplyMapLen(c, 4);
        addReplyBulkCString(c, "name");
        addReplyBulkCBuffer(c, consumer->name, sdslen(consumer->name));
        addReplyBulkCString(c, "seen-time");
        addReplyLongLong(c, consumer->seen_time);
        addReplyBulkCString(c, "pel-count");
        addReplyLongLong(c, (long long)raxSize(consumer->pel));
        addReplyBulkCString(c, "pending");
        addReplyPEL(c, consumer->pel, count, 0);
    }
    raxStop(&ri);
}

static void addReplyFullGroups(client *c, stream *s, long long count) {
    if (s->cgroups == NULL) {
        addReplyArrayLen(c, 0);
        return;
    }
    addReplyArrayLen(c, (long)raxSize(s->cgroups));
    raxIterator ri;
    raxStart(&ri, s->cgroups);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) {
        streamCG *cg = ri.data;
        addReplyMapLen(c, 7);
        addReplyBulkCString(c, "name");
        addReplyBulkCBuffer(c, ri.key, ri.key_len);
        addReplyBulkCString(c, "last-delivered-id");
        addReplyStreamID(c, &cg->last_id);
        addReplyBulkCString(c, "entries-read");
        addReplyEntriesRead(c, cg);
        addReplyBulkCString(c, "lag");
        addReplyLag(c, s, cg);
        addReplyBulkCString(c, "pel-count");
        addReplyLongLong(c, (long long)raxSize(cg->pel));
        addReplyBulkCString(c, "pending");
        addReplyPEL(c, cg->pel, count, 1);
        addReplyBulkCString(c, "consumers");
        addReplyFullConsumers(c, cg, count);
    }
    raxStop(&ri);
}

static void xinfoStreamFull(client *c, stream *s, long long count) {
    addReplyMapLen(c, 9);
    addReplyStreamCounters(c, s);
    addReplyBulkCString(c, "entries");
    void *len = addReplyDeferredLen(c);
    long n = 0;
    streamIterator si;
    streamID id;
    int64_t nf;
    streamIteratorStart(&si, s, NULL, NULL, 0);
    while ((count == 0 || n < count) && streamIteratorGetID(&si, &id, &nf)) {
        addReplyStreamEntry(c, &si, &id, nf);
        n++;
    }
    streamIteratorStop(&si);
    setDeferredArrayLen(c, len, n);
    addReplyBulkCString(c, "groups");
    addReplyFullGroups(c, s, count);
}

/* XINFO STREAM key [FULL [COUNT count]] */
void xinfoStreamCommand(client *c) {
    int full = 0;
    long long count = 10;
    stream *s = xinfoStreamOrReply(c);
    if (s == NULL) return;
    if (c->argc > 3) {
        full = !strcasecmp(c->argv[3]->ptr, "full");
        int with_count = c->argc == 6 && !strcasecmp(c->argv[4]->ptr, "count");
        if (!full || (c->argc != 4 && !with_count)) {
            addReplyErrorSubcommandSyntax(c);
            return;
        }
        if (with_count) {
            if (getLongLongFromObjectOrReply(c, c->argv[5], &count, NULL) != C_OK) return;
            if (count < 0) count = 10;
        }
    }
    if (full) xinfoStreamFull(c, s, count);
    else xinfoStreamSummary(c, s);
}

/* XINFO GROUPS key */
void xinfoGroupsCommand(client *c) {
    stream *s = xinfoStreamOrReply(c);
    if (s == NULL) return;
    if (s->cgroups == NULL) {
        addReplyArrayLen(c, 0);
        return;
    }
    addReplyArrayLen(c, (long)raxSize(s->cgroups));
    raxIterator ri;
    raxStart(&ri, s->cgroups);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) {
        streamCG *cg = ri.data;
        addReplyMapLen(c, 6);
        addReplyBulkCString(c, "name");
        addReplyBulkCBuffer(c, ri.key, ri.key_len);
        addReplyBulkCString(c, "consumers");
        addReplyLongLong(c, (long long)raxSize(cg->consumers));
        addReplyBulkCString(c, "pending");
        addReplyLongLong(c, (long long)raxSize(cg->pel));
        addReplyBulkCString(c, "last-delivered-id");
        addReplyStreamID(c, &cg->last_id);
        addReplyBulkCString(c, "entries-read");
        addReplyEntriesRead(c, cg);
        addReplyBulkCString(c, "lag");
        addReplyLag(c, s, cg);
    }
    raxStop(&ri);
}

/* XINFO CONSUMERS key group */
void xinfoConsumersCommand(client *c) {
    stream *s = xinfoStreamOrReply(c);
    if (s == NULL) return;
    streamCG *cg = streamLookupCG(s, c->argv[3]->ptr);
    if (cg == NULL) {
        addReplyErrorFormat(c, "-NOGROUP No such consumer group '%s' for key name '%s'", (char *)c->argv[3]->ptr,
                            (char *)c->argv[2]->ptr);
        return;
    }
    long long now = mstime();
    addReplyArrayLen(c, (long)raxSize(cg->consumers));
    raxIterator ri;
    raxStart(&ri, cg->consumers);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) {
        streamConsumer *consumer = ri.data;
        long long idle = now - consumer->seen_time;
        addReplyMapLen(c, 3);
        addReplyBulkCString(c, "name");
        addReplyBulkCBuffer(c, consumer->name, sdslen(consumer->name));
        addReplyBulkCString(c, "pending");
        addReplyLongLong(c, (long long)raxSize(consumer->pel));
        addReplyBulkCString(c, "idle");
        addReplyLongLong(c, idle < 0 ? 0 : idle);
    }
    raxStop(&ri);
}

void xinfoHelpCommand(client *c) {
    static const char *help[] = {
        "CONSUMERS <key> <groupname>",
        "    Show consumers of <groupname>.",
        "GROUPS <key>",
        "    Show the stream consumer groups.",
        "STREAM <key> [FULL [COUNT <count>]",
        "    Show information about the stream.",
        NULL,
    };
    addReplyHelp(c, help);
}

/* A radix tree: its header, the nodes, and the keys they spell. */
static size_t raxMemUsage(rax *r) {
    return sizeof(*r) + (size_t)r->numnodes * (sizeof(void *) * 4) + (size_t)raxSize(r) * sizeof(streamID);
}

static size_t groupsMemUsage(stream *s) {
    size_t total = 0;
    raxIterator ri;
    raxStart(&ri, s->cgroups);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) {
        streamCG *cg = ri.data;
        total += sizeof(*cg) + raxMemUsage(cg->pel) + sizeof(streamNACK) * (size_t)raxSize(cg->pel);
        raxIterator ci;
        raxStart(&ci, cg->consumers);
        raxSeek(&ci, "^", NULL, 0);
        while (raxNext(&ci)) {
            streamConsumer *consumer = ci.data;
            total += sizeof(*consumer) + sdslen(consumer->name) + raxMemUsage(consumer->pel);
        }
        raxStop(&ci);
    }
    raxStop(&ri);
    return total;
}

size_t streamMemUsage(stream *s, size_t samples) {
    size_t total = zmalloc_size(s) + raxMemUsage(s->rax), lpsize = 0, seen = 0;
    raxIterator ri;
    raxStart(&ri, s->rax);
    raxSeek(&ri, "^", NULL, 0);
    while (seen < samples && raxNext(&ri)) {
        lpsize += zmalloc_size(ri.data);
        seen++;
    }
    uint64_t nodes = raxSize(s->rax);
    if (nodes <= seen) {
        total += lpsize;
    } else {
        total += lpsize / seen * (size_t)(nodes - 1);
        raxSeek(&ri, "$", NULL, 0);
        raxNext(&ri);
        total += zmalloc_size(ri.data);
    }
    raxStop(&ri);
    if (s->cgroups) total += groupsMemUsage(s);
    return total;
}
