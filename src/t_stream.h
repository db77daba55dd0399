/* t_stream.h — the stream type: entry IDs, the stream value, its iterator.
 *
 * A stream is a rax (rax.h) keyed by the 128-bit big-endian ID of the first
 * entry of each node, whose values are listpacks laid out as Redis 7.0 lays
 * them out (the RDB_TYPE_STREAM_LISTPACKS payload): a master entry
 *
 *     count deleted num-fields field_1 ... field_N 0
 *
 * then one record per entry, live or deleted:
 *
 *     flags ms-diff seq-diff [num-fields field value ... | value ...] lp-count
 *
 * where the IDs are differences from the node's key, flags has
 * STREAM_ITEM_FLAG_SAMEFIELDS when the entry has exactly the master's fields
 * (then only the values are stored) and STREAM_ITEM_FLAG_DELETED once XDEL
 * or a trim removed it, and lp-count is the number of listpack elements of
 * the record before it (so a node can be walked backwards).
 */
#ifndef EMBER_T_STREAM_H
#define EMBER_T_STREAM_H

#include <stdint.h>

#include "listpack.h"
#include "rax.h"
#include "sds.h"

typedef struct client client;
struct redisObject;

typedef struct streamID {
    uint64_t ms;
    uint64_t seq;
} streamID;

typedef struct stream {
    rax *rax;                      /* node key (128-bit ID) -> listpack */
    uint64_t length;               /* live entries */
    streamID last_id;              /* the largest ID ever added (0-0 if none) */
    streamID first_id;             /* the first live entry (0-0 if empty) */
    streamID max_deleted_entry_id; /* the largest ID XDEL removed */
    uint64_t entries_added;        /* entries ever added */
    rax *cgroups;                  /* group name -> streamCG, NULL until the first group */
} stream;

/* Consumer groups (t_stream_group.c), laid out as Redis 7.0 keeps them.
 * A group's PEL maps the 128-bit ID of every entry delivered and not yet
 * acknowledged to its streamNACK; the NACK is owned by the group's PEL and
 * also listed, by the same key, in the PEL of the consumer it belongs to. */
#define STREAM_ENTRIES_READ_UNKNOWN (-1LL) /* a group's entries_read is not known */

typedef struct streamConsumer {
    long long seen_time; /* unix ms of its last read or claim */
    sds name;
    rax *pel;            /* ID -> streamNACK (borrowed from the group's PEL) */
} streamConsumer;

typedef struct streamNACK {
    long long delivery_time; /* unix ms of the last delivery */
    uint64_t delivery_count;
    streamConsumer *consumer;
} streamNACK;

typedef struct streamCG {
    streamID last_id;       /* the last entry delivered to the group */
    long long entries_read; /* its logical position, or STREAM_ENTRIES_READ_UNKNOWN */
    rax *pel;               /* ID -> streamNACK (owned) */
    rax *consumers;         /* name -> streamConsumer (owned) */
} streamCG;

#define STREAM_ITEM_FLAG_NONE 0
#define STREAM_ITEM_FLAG_DELETED (1 << 0)
#define STREAM_ITEM_FLAG_SAMEFIELDS (1 << 1)

/* Walks the live entries between two IDs (both inclusive), forward or
 * backward. Set up with streamIteratorStart, read with
 * streamIteratorGetID then numfields calls of streamIteratorGetField;
 * streamIteratorRemoveEntry deletes the entry just returned. Any other
 * change to the stream while an iterator is open invalidates it. */
typedef struct streamIterator {
    stream *s;
    int rev;
    unsigned char start_key[16], end_key[16];
    streamID start_id, end_id;
    raxIterator ri;
    unsigned char *lp;           /* the current node, NULL between nodes */
    unsigned char *first_entry;  /* the flags of the node's first record */
    unsigned char *entry;        /* forward: the next record; backward: the lp-count of the next */
    streamID master_id;
    int64_t master_fields;
    unsigned char *master_field; /* the next master field to hand out */
    unsigned char *cur;          /* the current entry's next field or value */
    unsigned char *cur_flags;    /* the current entry's flags element */
    int cur_flags_value;
    unsigned char field_buf[LP_INTBUF_SIZE], value_buf[LP_INTBUF_SIZE];
} streamIterator;

stream *streamNew(void);
void freeStream(stream *s);
/* A deep copy for COPY; the caller owns it. */
stream *streamDup(const stream *s);
struct redisObject *createStreamObject(void);

int streamCompareID(const streamID *a, const streamID *b);
/* The 16-byte big-endian rax key of an ID, and back. */
void streamEncodeID(unsigned char *buf, const streamID *id);
void streamDecodeID(const unsigned char *buf, streamID *id);
/* "ms-seq" as a new sds the caller frees, or as a new string object. */
sds streamIDToSds(const streamID *id);
struct redisObject *createObjectFromStreamID(const streamID *id);
void addReplyStreamID(client *c, const streamID *id);
/* Parses an ID argument strictly (no "-", "+"); a missing sequence is
 * missing_seq. Replies the error and returns C_ERR when invalid. */
int streamParseStrictIDOrReply(client *c, struct redisObject *o, streamID *id, uint64_t missing_seq);
/* The same, also accepting "-" and "+", and "(" for an exclusive bound
 * (*exclude set; the ID is then moved past the bound). */
int streamParseRangeIDOrReply(client *c, struct redisObject *o, streamID *id, uint64_t missing_seq, int end);
/* The first (first = 1) or last live entry of s, 0-0 when s is empty. */
void streamEdgeID(stream *s, int first, streamID *id);
/* 1 if the entry id is in s (not deleted). */
int streamEntryExists(stream *s, const streamID *id);
/* Replies the entry at the iterator's current position (just returned by
 * streamIteratorGetID) as [id, [field, value ...]]. */
void addReplyStreamEntry(client *c, streamIterator *si, const streamID *id, int64_t numfields);
/* Replies the entry id of s as [id, [field, value ...]]; 0 (nothing
 * written) when it is not in s. */
int addReplyStreamEntryByID(client *c, stream *s, const streamID *id);
/* Appends an entry of numfields field/value pairs (argv borrowed). The ID
 * is *use_id when given (seq_given 0 means "ms-*": the sequence is chosen),
 * else generated from the clock. Returns 0 with the ID in *added_id, or -1
 * when the ID is not above the last one, -2 when no ID is left. */
int streamAppendItem(stream *s, struct redisObject **argv, int64_t numfields, streamID *added_id, streamID *use_id,
                     int seq_given);
/* Deletes the entry id; 1 if it existed. */
int streamDeleteItem(stream *s, const streamID *id);

void streamIteratorStart(streamIterator *si, stream *s, const streamID *start, const streamID *end, int rev);
int streamIteratorGetID(streamIterator *si, streamID *id, int64_t *numfields);
/* The next field and value of the current entry; the pointers stay valid
 * until the iterator moves or the stream changes. */
void streamIteratorGetField(streamIterator *si, unsigned char **field, unsigned char **value, int64_t *fieldlen,
                            int64_t *valuelen);
void streamIteratorRemoveEntry(streamIterator *si);
void streamIteratorStop(streamIterator *si);

/* 1 if lp (already checked as a well-formed listpack) is a stream node as
 * this file lays them out: a master entry and records whose counts, flags
 * and lp-counts agree, with at least one record; *live gets its live
 * entries. Run on every node read from an RDB file or a DUMP payload. */
int streamValidateNode(unsigned char *lp, uint64_t *live);
void xaddCommand(client *c);
void xrangeCommand(client *c);
void xrevrangeCommand(client *c);
void xlenCommand(client *c);
void xdelCommand(client *c);
void xtrimCommand(client *c);
void xreadCommand(client *c);
void xsetidCommand(client *c);
void xreadgroupCommand(client *c);

/* ------------------------------------------- consumer groups (t_stream_group.c) */

/* Creates group name in s at last_id; NULL when it exists already. The
 * name is copied. */
streamCG *streamCreateCG(stream *s, const char *name, size_t namelen, const streamID *last_id,
                         long long entries_read);
/* The group name of s, or NULL (borrowed from s). */
streamCG *streamLookupCG(stream *s, sds name);
/* What freeing the groups of s costs, as Redis 7.0 estimates it: each
 * group counts one plus the PEL size of the first group. */
uint64_t streamGroupsFreeEffort(stream *s);
/* Frees every group of s (called by freeStream). */
void streamFreeCGroups(stream *s);
/* Copies the groups of src into dst, which has none (COPY). */
void streamDupCGroups(stream *dst, const stream *src);
/* The consumer name of cg, or NULL; created (seen now) by
 * streamCreateConsumer, which returns NULL when it exists. */
streamConsumer *streamLookupConsumer(streamCG *cg, sds name);
streamConsumer *streamCreateConsumer(streamCG *cg, const char *name, size_t namelen, long long seen_time);
/* A new NACK owned by consumer, to be inserted in both PELs by the caller. */
streamNACK *streamCreateNACK(streamConsumer *consumer, long long delivery_time, uint64_t delivery_count);
/* The entries_read counter an ID would have (Redis 7.0's estimate), or
 * STREAM_ENTRIES_READ_UNKNOWN. */
long long streamEstimateEntriesRead(stream *s, const streamID *id);
/* 1 if a deleted entry may lie at start or after it (start NULL: anywhere). */
int streamRangeHasTombstones(stream *s, const streamID *start);
/* The lag of cg into *lag; 0 when it is not known (reply null). */
int streamGroupLag(stream *s, streamCG *cg, long long *lag);
/* Serves XREADGROUP for one stream: new entries after the group's last ID
 * (history 0) or the consumer's pending entries after start (history 1);
 * replies the entries array. Returns the number of entries replied. */
long streamReadGroup(client *c, struct redisObject *key, stream *s, streamCG *cg, streamConsumer *consumer, struct redisObject *groupname,
                     const streamID *start, long long count, int noack, int history);
void xgroupCreateCommand(client *c);
void xgroupSetidCommand(client *c);
void xgroupDestroyCommand(client *c);
void xgroupCreateconsumerCommand(client *c);
void xgroupDelconsumerCommand(client *c);
void xgroupHelpCommand(client *c);
void xackCommand(client *c);
void xpendingCommand(client *c);
void xclaimCommand(client *c);
void xautoclaimCommand(client *c);

/* --------------------------------------------------- XINFO (t_stream_info.c) */

/* MEMORY USAGE's estimate of s beyond its robj, shaped as Redis 7.0's:
 * the radix tree, the first `samples` nodes' listpacks averaged over all
 * but the last (counted exactly), and the groups' PELs and consumers. */
size_t streamMemUsage(stream *s, size_t samples);
void xinfoStreamCommand(client *c);
void xinfoGroupsCommand(client *c);
void xinfoConsumersCommand(client *c);
void xinfoHelpCommand(client *c);

#endif
