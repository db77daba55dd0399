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
} stream;

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

#endif
