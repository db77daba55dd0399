/* t_stream.c — the stream type (t_stream.h) and its commands.
 *
 * The type API comes first: IDs (compare, encode as rax keys, parse from
 * arguments), appending an entry to the last node or a new one (a node is
 * closed when it reaches stream-node-max-bytes or stream-node-max-entries,
 * counting deleted records, as Redis does), the iterator over an ID range
 * in either direction, deletion by marking a record deleted (a node whose
 * live count falls to zero is dropped), and trimming by MAXLEN or MINID:
 * whole nodes are dropped from the front, and only an exact trim marks the
 * records of a partial node; "~" stops at node boundaries and at LIMIT.
 *
 * The commands follow: XADD XRANGE XREVRANGE XLEN XDEL XTRIM XSETID XREAD (with
 * BLOCK through blocked.c: XADD signals the key ready, and the waiting
 * XREAD runs again with "$" already resolved to an ID) and XREADGROUP,
 * which shares XREAD's parsing and blocking and leaves the delivery to
 * the groups (t_stream_group.c); served again after its key went or
 * changed type, or its group was destroyed, it replies Redis's
 * UNBLOCKED / NOGROUP errors. Error
 * texts and reply shapes are Redis 7.0's. An ID on the command line is
 * read as Redis reads it (strtoull with no sign: leading blanks and '+'
 * pass); a missing sequence is 0 for a start and the largest for an end.
 * XADD propagates with the generated ID in place of "*" or "ms-*", and an
 * approximate trim as the exact one it turned out to be, so a replica or
 * the AOF holds the same entries.
 */
#include "server.h"
#include "notify.h"
#include "t_stream.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define STREAM_ID_STR_LEN 44

/* ---------------------------------------------------------------- IDs */

int streamCompareID(const streamID *a, const streamID *b) {
    if (a->ms != b->ms) return a->ms > b->ms ? 1 : -1;
    if (a->seq != b->seq) return a->seq > b->seq ? 1 : -1;
    return 0;
}

void streamEncodeID(unsigned char *buf, const streamID *id) {
    for (int i = 0; i < 8; i++) {
        buf[i] = (unsigned char)(id->ms >> (56 - 8 * i));
        buf[8 + i] = (unsigned char)(id->seq >> (56 - 8 * i));
    }
}

void streamDecodeID(const unsigned char *buf, streamID *id) {
    id->ms = id->seq = 0;
    for (int i = 0; i < 8; i++) {
        id->ms = id->ms << 8 | buf[i];
        id->seq = id->seq << 8 | buf[8 + i];
    }
}

/* The next ID after id; 0 when id is the last possible one. */
static int streamIncrID(streamID *id) {
    if (id->seq != UINT64_MAX) {
        id->seq++;
        return 1;
    }
    if (id->ms == UINT64_MAX) return 0;
    id->ms++;
    id->seq = 0;
    return 1;
}

static int streamDecrID(streamID *id) {
    if (id->seq != 0) {
        id->seq--;
        return 1;
    }
    if (id->ms == 0) return 0;
    id->ms--;
    id->seq = UINT64_MAX;
    return 1;
}

/* "<ms>-<seq>" into buf (STREAM_ID_STR_LEN bytes); returns its length. */
static size_t formatStreamID(char *buf, const streamID *id) {
    size_t n = (size_t)ull2string(buf, STREAM_ID_STR_LEN, id->ms);
    buf[n++] = '-';
    return n + (size_t)ull2string(buf + n, STREAM_ID_STR_LEN - n, id->seq);
}

sds streamIDToSds(const streamID *id) {
    char buf[STREAM_ID_STR_LEN];
    return sdsnewlen(buf, formatStreamID(buf, id));
}

void addReplyStreamID(client *c, const streamID *id) {
    char buf[STREAM_ID_STR_LEN];
    addReplyBulkCBuffer(c, buf, formatStreamID(buf, id));
}

/* Redis reads each half of an ID with strtoull, refusing a sign. */
static int parseIDPart(const char *s, uint64_t *out) {
    if (*s == '\0' || *s == '-') return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno == ERANGE || errno == EINVAL || *end != '\0') return 0;
    *out = v;
    return 1;
}

/* The text of an argument into buf (NUL-terminated); 0 if too long. */
static int argText(robj *o, char *buf, size_t size) {
    if (sdsEncodedObject(o)) {
        size_t len = sdslen(o->ptr);
        if (len >= size) return 0;
        memcpy(buf, o->ptr, len + 1);
        return 1;
    }
    return ll2string(buf, size, (long)o->ptr) > 0;
}

/* Parses o as "ms[-seq]" into *id. Unless strict, "-" and "+" stand for the
 * smallest and largest IDs. A missing sequence is missing_seq. With
 * seq_given not NULL, "ms-*" is accepted and *seq_given says whether a
 * sequence was written. Replies the error and returns C_ERR when invalid. */
static int streamParseIDOrReply(client *c, robj *o, streamID *id, uint64_t missing_seq, int strict, int *seq_given) {
    char buf[128];
    if (seq_given) *seq_given = 1;
    if (!argText(o, buf, sizeof(buf))) goto invalid;
    if (!strict && buf[0] != '\0' && buf[1] == '\0' && (buf[0] == '-' || buf[0] == '+')) {
        id->ms = id->seq = buf[0] == '-' ? 0 : UINT64_MAX;
        return C_OK;
    }
    char *dash = strchr(buf, '-');
    if (dash) *dash = '\0';
    if (!parseIDPart(buf, &id->ms)) goto invalid;
    if (!dash) {
        id->seq = missing_seq;
    } else if (seq_given && dash[1] == '*' && dash[2] == '\0') {
        id->seq = 0;
        *seq_given = 0;
    } else if (!parseIDPart(dash + 1, &id->seq)) {
        goto invalid;
    }
    return C_OK;
invalid:
    if (c) addReplyError(c, "Invalid stream ID specified as stream command argument");
    return C_ERR;
}

/* An interval bound: a leading '(' makes it exclusive (*exclude set). */
static int streamParseIntervalIDOrReply(client *c, robj *o, streamID *id, int *exclude, uint64_t missing_seq) {
    *exclude = 0;
    if (sdsEncodedObject(o) && sdslen(o->ptr) > 1 && ((char *)o->ptr)[0] == '(') {
        robj tmp = {.type = OBJ_STRING, .encoding = OBJ_ENCODING_RAW, .refcount = OBJ_STATIC_REFCOUNT};
        sds rest = sdsnewlen((char *)o->ptr + 1, sdslen(o->ptr) - 1);
        tmp.ptr = rest;
        int ret = streamParseIDOrReply(c, &tmp, id, missing_seq, 1, NULL);
        sdsfree(rest);
        *exclude = 1;
        return ret;
    }
    return streamParseIDOrReply(c, o, id, missing_seq, 0, NULL);
}

/* ------------------------------------------------------------ the type */

stream *streamNew(void) {
    stream *s = zcalloc(sizeof(*s));
    s->rax = raxNew();
    return s;
}

static void freeListpackVoid(void *lp) {
    lpFree(lp);
}

void freeStream(stream *s) {
    streamFreeCGroups(s);
    raxFreeWithCallback(s->rax, freeListpackVoid);
    zfree(s);
}

stream *streamDup(const stream *s) {
    stream *d = streamNew();
    raxIterator ri;
    raxStart(&ri, s->rax);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) {
        size_t bytes = lpBytes(ri.data);
        unsigned char *lp = zmalloc(bytes);
        memcpy(lp, ri.data, bytes);
        raxInsert(d->rax, ri.key, ri.key_len, lp, NULL);
    }
    raxStop(&ri);
    d->length = s->length;
    d->last_id = s->last_id;
    d->first_id = s->first_id;
    d->max_deleted_entry_id = s->max_deleted_entry_id;
    d->entries_added = s->entries_added;
    streamDupCGroups(d, s);
    return d;
}

robj *createObjectFromStreamID(const streamID *id) {
    return createObject(OBJ_STRING, streamIDToSds(id));
}

int streamParseStrictIDOrReply(client *c, robj *o, streamID *id, uint64_t missing_seq) {
    return streamParseIDOrReply(c, o, id, missing_seq, 1, NULL);
}

int streamParseRangeIDOrReply(client *c, robj *o, streamID *id, uint64_t missing_seq, int is_end) {
    int exclude;
    if (streamParseIntervalIDOrReply(c, o, id, &exclude, missing_seq) != C_OK) return C_ERR;
    if (exclude && !(is_end ? streamDecrID(id) : streamIncrID(id))) {
        addReplyError(c, is_end ? "invalid end ID for the interval" : "invalid start ID for the interval");
        return C_ERR;
    }
    return C_OK;
}

robj *createStreamObject(void) {
    robj *o = createObject(OBJ_STREAM, streamNew());
    o->encoding = OBJ_ENCODING_STREAM;
    return o;
}

/* The integer our own writer stored at p. */
static int64_t lpGetInt(unsigned char *p) {
    unsigned int slen;
    long long v;
    unsigned char *s = lpGetValue(p, &slen, &v);
    if (s == NULL) return v;
    int ok = string2ll((char *)s, slen, &v);
    serverAssert(ok);
    return v;
}

/* An argument as bytes: the sds, or the integer printed into buf. */
static const char *argBytes(robj *o, char *buf, size_t *len) {
    if (sdsEncodedObject(o)) {
        *len = sdslen(o->ptr);
        return o->ptr;
    }
    *len = (size_t)ll2string(buf, LP_INTBUF_SIZE, (long)o->ptr);
    return buf;
}

/* The listpack element for an argument (borrowing its bytes). */
static listpackEntry argEntry(robj *o) {
    if (sdsEncodedObject(o)) return (listpackEntry){(unsigned char *)o->ptr, (uint32_t)sdslen(o->ptr), 0};
    return (listpackEntry){NULL, 0, (long)o->ptr};
}

static listpackEntry intEntry(long long v) {
    return (listpackEntry){NULL, 0, v};
}

/* Elements of one batch append; a record of up to 14 fields stays on the
 * stack. */
#define STREAM_BATCH_STACK 32

typedef struct elementBatch {
    listpackEntry stack[STREAM_BATCH_STACK];
    listpackEntry *e;
    size_t n;
} elementBatch;

static void batchInit(elementBatch *b, size_t capacity) {
    b->e = capacity <= STREAM_BATCH_STACK ? b->stack : zmalloc(sizeof(listpackEntry) * capacity);
    b->n = 0;
}

/* Appends the batch to lp and releases it. */
static unsigned char *batchAppendTo(elementBatch *b, unsigned char *lp) {
    lp = lpBatchAppend(lp, b->e, b->n);
    serverAssert(lp != NULL); /* the caller checked lpSafeToAdd */
    if (b->e != b->stack) zfree(b->e);
    return lp;
}

/* 1 if the fields of argv (field, value, ...) are exactly the master's. */
static int sameFieldsAsMaster(unsigned char *lp, robj **argv, int64_t numfields) {
    unsigned char *p = lpNext(lp, lpNext(lp, lpFirst(lp)));
    if (lpGetInt(p) != numfields) return 0;
    for (int64_t i = 0; i < numfields; i++) {
        p = lpNext(lp, p);
        char buf[LP_INTBUF_SIZE];
        size_t len;
        const char *f = argBytes(argv[i * 2], buf, &len);
        if (!lpCompare(p, (unsigned char *)f, (uint32_t)len)) return 0;
    }
    return 1;
}

static unsigned char *newNode(robj **argv, int64_t numfields) {
    elementBatch b;
    batchInit(&b, (size_t)numfields + 4);
    b.e[b.n++] = intEntry(0); /* count, raised by the first append */
    b.e[b.n++] = intEntry(0); /* deleted */
    b.e[b.n++] = intEntry(numfields);
    for (int64_t i = 0; i < numfields; i++) b.e[b.n++] = argEntry(argv[i * 2]);
    b.e[b.n++] = intEntry(0); /* end of the master entry */
    return batchAppendTo(&b, lpNew(0));
}

/* The last node, if the entry may still go there. */
static unsigned char *appendableNode(stream *s, size_t entry_bytes, streamID *master_id) {
    raxIterator ri;
    raxStart(&ri, s->rax);
    raxSeek(&ri, "$", NULL, 0);
    unsigned char *lp = NULL;
    if (raxNext(&ri)) {
        lp = ri.data;
        streamDecodeID(ri.key, master_id);
    }
    raxStop(&ri);
    if (lp == NULL) return NULL;
    if (server.encoding.stream_node_max_bytes && lpBytes(lp) + entry_bytes >= server.encoding.stream_node_max_bytes)
        return NULL;
    unsigned char *p = lpFirst(lp);
    int64_t records = lpGetInt(p) + lpGetInt(lpNext(lp, p));
    if (server.encoding.stream_node_max_entries && records >= server.encoding.stream_node_max_entries) return NULL;
    return lp;
}

static unsigned char *appendRecord(unsigned char *lp, const streamID *id, const streamID *master_id, robj **argv,
                                   int64_t numfields) {
    int same = sameFieldsAsMaster(lp, argv, numfields);
    elementBatch b;
    batchInit(&b, (size_t)numfields * 2 + 5);
    b.e[b.n++] = intEntry(same ? STREAM_ITEM_FLAG_SAMEFIELDS : STREAM_ITEM_FLAG_NONE);
    b.e[b.n++] = intEntry((int64_t)(id->ms - master_id->ms));
    b.e[b.n++] = intEntry((int64_t)(id->seq - master_id->seq));
    if (!same) b.e[b.n++] = intEntry(numfields);
    for (int64_t i = 0; i < numfields; i++) {
        if (!same) b.e[b.n++] = argEntry(argv[i * 2]);
        b.e[b.n++] = argEntry(argv[i * 2 + 1]);
    }
    b.e[b.n++] = intEntry(same ? numfields + 3 : numfields * 2 + 4);
    lp = batchAppendTo(&b, lp);
    unsigned char *p = lpFirst(lp);
    return lpReplaceInteger(lp, &p, lpGetInt(p) + 1);
}

int streamAppendItem(stream *s, robj **argv, int64_t numfields, streamID *added_id, streamID *use_id, int seq_given) {
    streamID id;
    if (use_id && seq_given) {
        id = *use_id;
    } else if (use_id) {
        id = *use_id;
        if (id.ms == s->last_id.ms) {
            if (s->last_id.seq == UINT64_MAX) return -2;
            id.seq = s->last_id.seq + 1;
        }
    } else {
        uint64_t now = (uint64_t)mstime();
        id = s->last_id;
        if (now > id.ms) {
            id.ms = now;
            id.seq = 0;
        } else if (!streamIncrID(&id)) {
            return -2;
        }
    }
    if (streamCompareID(&id, &s->last_id) <= 0) return -1;

    size_t entry_bytes = 0;
    for (int64_t i = 0; i < numfields * 2; i++) entry_bytes += stringObjectLen(argv[i]);
    if (!lpSafeToAdd(NULL, entry_bytes)) return -2;
    streamID master_id;
    unsigned char *lp = appendableNode(s, entry_bytes, &master_id);
    if (lp == NULL) {
        lp = newNode(argv, numfields);
        master_id = id;
    }
    lp = appendRecord(lp, &id, &master_id, argv, numfields);
    unsigned char key[16];
    streamEncodeID(key, &master_id);
    raxInsert(s->rax, key, sizeof(key), lp, NULL);
    s->length++;
    s->entries_added++;
    s->last_id = id;
    if (s->length == 1) s->first_id = id;
    if (added_id) *added_id = id;
    return 0;
}

/* ------------------------------------------------------------ iterator */

void streamIteratorStart(streamIterator *si, stream *s, const streamID *start, const streamID *end, int rev) {
    memset(si, 0, sizeof(*si));
    si->s = s;
    si->rev = rev;
    si->start_id = start ? *start : (streamID){0, 0};
    si->end_id = end ? *end : (streamID){UINT64_MAX, UINT64_MAX};
    streamEncodeID(si->start_key, &si->start_id);
    streamEncodeID(si->end_key, &si->end_id);
    raxStart(&si->ri, s->rax);
    if (!rev) {
        raxSeek(&si->ri, "<=", si->start_key, 16);
        if (raxEOF(&si->ri)) raxSeek(&si->ri, "^", NULL, 0);
    } else {
        raxSeek(&si->ri, "<=", si->end_key, 16);
    }
}

/* The master entry's first field in lp. */
static unsigned char *masterFirstField(unsigned char *lp) {
    return lpNext(lp, lpNext(lp, lpNext(lp, lpFirst(lp))));
}

static void iteratorOpenNode(streamIterator *si) {
    unsigned char *lp = si->ri.data;
    si->lp = lp;
    streamDecodeID(si->ri.key, &si->master_id);
    unsigned char *p = lpNext(lp, lpNext(lp, lpFirst(lp)));
    si->master_fields = lpGetInt(p);
    for (int64_t i = 0; i <= si->master_fields; i++) p = lpNext(lp, p);
    si->first_entry = lpNext(lp, p);
    si->entry = si->rev ? lpLast(lp) : si->first_entry;
}

/* Reads the record at flagsp: its ID and flags; leaves *fields at its first
 * field (or value) and *numfields set. Returns the element after the
 * record's lp-count (NULL at the node's end). */
static unsigned char *readRecord(streamIterator *si, unsigned char *flagsp, streamID *id, int *flags,
                                 int64_t *numfields, unsigned char **fields) {
    unsigned char *lp = si->lp;
    *flags = (int)lpGetInt(flagsp);
    unsigned char *p = lpNext(lp, flagsp);
    id->ms = si->master_id.ms + (uint64_t)lpGetInt(p);
    p = lpNext(lp, p);
    id->seq = si->master_id.seq + (uint64_t)lpGetInt(p);
    p = lpNext(lp, p);
    int64_t skip;
    if (*flags & STREAM_ITEM_FLAG_SAMEFIELDS) {
        *numfields = si->master_fields;
        skip = *numfields;
    } else {
        *numfields = lpGetInt(p);
        p = lpNext(lp, p);
        skip = *numfields * 2;
    }
    *fields = p;
    for (int64_t i = 0; i < skip; i++) p = lpNext(lp, p);
    return lpNext(lp, p);
}

int streamIteratorGetID(streamIterator *si, streamID *id, int64_t *numfields) {
    for (;;) {
        if (si->lp == NULL) {
            if (!(si->rev ? raxPrev(&si->ri) : raxNext(&si->ri))) return 0;
            iteratorOpenNode(si);
            if (!si->rev && streamCompareID(&si->master_id, &si->end_id) > 0) return 0;
        }
        if (si->entry == NULL) {
            si->lp = NULL;
            continue;
        }
        unsigned char *flagsp = si->entry;
        if (si->rev) {
            int64_t back = lpGetInt(flagsp);
            for (int64_t i = 0; i < back; i++) flagsp = lpPrev(si->lp, flagsp);
        }
        int flags;
        unsigned char *fields;
        unsigned char *after = readRecord(si, flagsp, id, &flags, numfields, &fields);
        if (si->rev) si->entry = flagsp == si->first_entry ? NULL : lpPrev(si->lp, flagsp);
        else si->entry = after;
        if (!si->rev) {
            if (streamCompareID(id, &si->end_id) > 0) return 0;
            if (streamCompareID(id, &si->start_id) < 0) continue;
        } else {
            if (streamCompareID(id, &si->start_id) < 0) return 0;
            if (streamCompareID(id, &si->end_id) > 0) continue;
        }
        if (flags & STREAM_ITEM_FLAG_DELETED) continue;
        si->cur = fields;
        si->cur_flags = flagsp;
        si->cur_flags_value = flags;
        si->master_field = masterFirstField(si->lp);
        return 1;
    }
}

void streamIteratorGetField(streamIterator *si, unsigned char **field, unsigned char **value, int64_t *fieldlen,
                            int64_t *valuelen) {
    if (si->cur_flags_value & STREAM_ITEM_FLAG_SAMEFIELDS) {
        *field = lpGet(si->master_field, fieldlen, si->field_buf);
        si->master_field = lpNext(si->lp, si->master_field);
    } else {
        *field = lpGet(si->cur, fieldlen, si->field_buf);
        si->cur = lpNext(si->lp, si->cur);
    }
    *value = lpGet(si->cur, valuelen, si->value_buf);
    si->cur = lpNext(si->lp, si->cur);
}

/* Marks the record at *p deleted and moves the node's counts; the node is
 * dropped (and NULL returned) when no live record is left. key is the
 * node's rax key. *p follows the listpack when it moves. */
static unsigned char *markDeleted(stream *s, const unsigned char *key, unsigned char *lp, unsigned char **p) {
    int64_t flags = lpGetInt(*p);
    lp = lpReplaceInteger(lp, p, flags | STREAM_ITEM_FLAG_DELETED);
    size_t from_end = lpBytes(lp) - (size_t)(*p - lp);
    unsigned char *h = lpFirst(lp);
    int64_t count = lpGetInt(h);
    s->length--;
    if (count == 1) {
        lpFree(lp);
        raxRemove(s->rax, key, 16, NULL);
        *p = NULL;
        return NULL;
    }
    lp = lpReplaceInteger(lp, &h, count - 1);
    h = lpNext(lp, h);
    lp = lpReplaceInteger(lp, &h, lpGetInt(h) + 1);
    raxInsert(s->rax, key, 16, lp, NULL);
    *p = lp + lpBytes(lp) - from_end;
    return lp;
}

void streamIteratorRemoveEntry(streamIterator *si) {
    unsigned char *lp = si->lp;
    size_t entry_from_end = si->entry ? lpBytes(lp) - (size_t)(si->entry - lp) : 0;
    size_t first_from_end = lpBytes(lp) - (size_t)(si->first_entry - lp);
    unsigned char *p = si->cur_flags;
    lp = markDeleted(si->s, si->ri.key, lp, &p);
    si->lp = lp;
    if (lp == NULL) return;
    si->entry = si->entry ? lp + lpBytes(lp) - entry_from_end : NULL;
    si->first_entry = lp + lpBytes(lp) - first_from_end;
    si->cur_flags = p;
}

void streamIteratorStop(streamIterator *si) {
    raxStop(&si->ri);
}

/* The first (or last) live entry, or 0-0 when the stream is empty. */
void streamEdgeID(stream *s, int first, streamID *id) {
    streamIterator si;
    int64_t nf;
    streamIteratorStart(&si, s, NULL, NULL, !first);
    if (!streamIteratorGetID(&si, id, &nf)) id->ms = id->seq = 0;
    streamIteratorStop(&si);
}

int streamEntryExists(stream *s, const streamID *id) {
    streamIterator si;
    streamID got;
    int64_t nf;
    streamIteratorStart(&si, s, id, id, 0);
    int found = streamIteratorGetID(&si, &got, &nf);
    streamIteratorStop(&si);
    return found;
}

int streamDeleteItem(stream *s, const streamID *id) {
    streamIterator si;
    streamID got;
    int64_t nf;
    int deleted = 0;
    streamIteratorStart(&si, s, id, id, 0);
    if (streamIteratorGetID(&si, &got, &nf)) {
        streamIteratorRemoveEntry(&si);
        deleted = 1;
    }
    streamIteratorStop(&si);
    return deleted;
}

/* ------------------------------------------------------------- trimming */

#define TRIM_STRATEGY_NONE 0
#define TRIM_STRATEGY_MAXLEN 1
#define TRIM_STRATEGY_MINID 2

typedef struct streamTrimArgs {
    int strategy;
    int strategy_idx; /* argv index of MAXLEN/MINID's threshold */
    int approx;
    long long maxlen;
    streamID minid;
    long long limit; /* 0: none */
    int limit_given;
    int nomkstream;
    int id_idx;       /* XADD: argv index of the ID */
    int id_given;     /* XADD: the ID is not "*" (it is in id) */
    int seq_given;    /* XADD: ... and not "ms-*" */
    streamID id;
} streamTrimArgs;

/* The ID of the last record of node lp (deleted or not). */
static void nodeLastID(unsigned char *lp, const streamID *master, streamID *id) {
    unsigned char *p = lpLast(lp);
    int64_t back = lpGetInt(p);
    for (int64_t i = 0; i < back; i++) p = lpPrev(lp, p);
    p = lpNext(lp, p);
    id->ms = master->ms + (uint64_t)lpGetInt(p);
    id->seq = master->seq + (uint64_t)lpGetInt(lpNext(lp, p));
}

static int trimDone(stream *s, const streamTrimArgs *a, const streamID *id) {
    if (a->strategy == TRIM_STRATEGY_MAXLEN) return s->length <= (uint64_t)a->maxlen;
    return streamCompareID(id, &a->minid) >= 0;
}

/* Exact trim inside one node: marks records from the front until done. */
static int64_t trimInsideNode(stream *s, const streamTrimArgs *a, const unsigned char *key, unsigned char *lp) {
    streamIterator si = {.s = s, .lp = lp};
    streamDecodeID(key, &si.master_id);
    unsigned char *p = lpNext(lp, lpNext(lp, lpFirst(lp)));
    si.master_fields = lpGetInt(p);
    for (int64_t i = 0; i <= si.master_fields; i++) p = lpNext(lp, p);
    p = lpNext(lp, p);
    int64_t removed = 0;
    while (p) {
        streamID id;
        int flags;
        int64_t nf;
        unsigned char *fields;
        unsigned char *after = readRecord(&si, p, &id, &flags, &nf, &fields);
        if (!(flags & STREAM_ITEM_FLAG_DELETED)) {
            if (trimDone(s, a, &id)) break;
            size_t after_from_end = after ? lpBytes(lp) - (size_t)(after - lp) : 0;
            lp = markDeleted(s, key, lp, &p);
            si.lp = lp;
            removed++;
            if (lp == NULL) break;
            after = after ? lp + lpBytes(lp) - after_from_end : NULL;
        }
        p = after;
    }
    return removed;
}

static int64_t streamTrim(stream *s, const streamTrimArgs *a) {
    int64_t removed = 0;
    raxIterator ri;
    raxStart(&ri, s->rax);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) {
        if (a->strategy == TRIM_STRATEGY_MAXLEN && s->length <= (uint64_t)a->maxlen) break;
        unsigned char *lp = ri.data;
        int64_t entries = lpGetInt(lpFirst(lp));
        int whole;
        if (a->strategy == TRIM_STRATEGY_MAXLEN) {
            whole = s->length - (uint64_t)entries >= (uint64_t)a->maxlen;
        } else {
            streamID master, last;
            streamDecodeID(ri.key, &master);
            nodeLastID(lp, &master, &last);
            whole = streamCompareID(&last, &a->minid) < 0;
        }
        if (whole) {
            if (a->limit && removed + entries > a->limit) break;
            lpFree(lp);
            raxRemove(s->rax, ri.key, ri.key_len, NULL);
            s->length -= (uint64_t)entries;
            removed += entries;
            continue;
        }
        if (!a->approx) removed += trimInsideNode(s, a, ri.key, lp);
        break;
    }
    raxStop(&ri);
    if (removed) streamEdgeID(s, 1, &s->first_id);
    return removed;
}

/* Parses XADD's or XTRIM's options from argv[2]; for XADD stops at the ID
 * (a->id_idx). Replies the error and returns C_ERR on a bad option. */
static int parseAddOrTrimArgsOrReply(client *c, streamTrimArgs *a, int xadd) {
    memset(a, 0, sizeof(*a));
    int i;
    for (i = 2; i < c->argc; i++) {
        int moreargs = (c->argc - 1) - i;
        const char *opt = c->argv[i]->ptr;
        if (!sdsEncodedObject(c->argv[i])) opt = "";
        if (xadd && !strcmp(opt, "*")) {
            break;
        } else if ((!strcasecmp(opt, "maxlen") || !strcasecmp(opt, "minid")) && moreargs) {
            int maxlen = !strcasecmp(opt, "maxlen");
            const char *next = sdsEncodedObject(c->argv[i + 1]) ? c->argv[i + 1]->ptr : "";
            if (moreargs >= 2 && (!strcmp(next, "~") || !strcmp(next, "="))) {
                a->approx = next[0] == '~';
                i++;
            }
            i++;
            a->strategy_idx = i;
            if (maxlen) {
                if (getLongLongFromObjectOrReply(c, c->argv[i], &a->maxlen, NULL) != C_OK) return C_ERR;
                if (a->maxlen < 0) {
                    addReplyError(c, "The MAXLEN argument must be >= 0.");
                    return C_ERR;
                }
                a->strategy = TRIM_STRATEGY_MAXLEN;
            } else {
                if (streamParseIDOrReply(c, c->argv[i], &a->minid, 0, 1, NULL) != C_OK) return C_ERR;
                a->strategy = TRIM_STRATEGY_MINID;
            }
        } else if (!strcasecmp(opt, "limit") && moreargs) {
            if (getLongLongFromObjectOrReply(c, c->argv[i + 1], &a->limit, NULL) != C_OK) return C_ERR;
            if (a->limit < 0) {
                addReplyError(c, "The LIMIT argument must be >= 0.");
                return C_ERR;
            }
            a->limit_given = 1;
            i++;
        } else if (xadd && !strcasecmp(opt, "nomkstream")) {
            a->nomkstream = 1;
        } else if (xadd) {
            break;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return C_ERR;
        }
    }
    a->id_idx = i;
    a->seq_given = 1;
    if (xadd && i < c->argc && !(sdsEncodedObject(c->argv[i]) && !strcmp(c->argv[i]->ptr, "*"))) {
        if (streamParseIDOrReply(c, c->argv[i], &a->id, 0, 1, &a->seq_given) != C_OK) return C_ERR;
        a->id_given = 1;
    }
    if (a->limit_given && a->strategy == TRIM_STRATEGY_NONE) {
        addReplyError(c, "syntax error, LIMIT cannot be used without specifying a trimming strategy");
        return C_ERR;
    }
    if (!xadd && a->strategy == TRIM_STRATEGY_NONE) {
        addReplyErrorObject(c, shared.syntaxerr);
        return C_ERR;
    }
    if (c->flags & CLIENT_MASTER) {
        /* The primary sent the trim it did, threshold rewritten: no LIMIT. */
        a->limit = 0;
    } else if (a->limit_given && !a->approx) {
        addReplyError(c, "syntax error, LIMIT cannot be used without the special ~ option");
        return C_ERR;
    } else if (a->approx && !a->limit_given) {
        a->limit = 100 * server.encoding.stream_node_max_entries;
        if (a->limit <= 0 || a->limit > 1000000) a->limit = 10000;
    } else if (!a->approx) {
        a->limit = 0;
    }
    return C_OK;
}

/* After an approximate trim, the command propagates as the exact trim it
 * was: "~" becomes "=" and the threshold the length or first ID left (a
 * LIMIT stays, as Redis leaves it: a replica ignores it). A generated ID
 * (added not NULL) replaces "*" or "ms-*". argv is rebuilt from c->argv. */
static void propagateExactTrim(client *c, stream *s, const streamTrimArgs *a, const streamID *added) {
    robj **argv = zmalloc(sizeof(robj *) * (size_t)c->argc);
    int argc = 0;
    for (int i = 0; i < c->argc; i++) {
        robj *o = c->argv[i];
        if (a->approx && i == a->strategy_idx - 1) {
            o = createStringObject("=", 1);
        } else if (a->approx && i == a->strategy_idx) {
            o = a->strategy == TRIM_STRATEGY_MAXLEN ? createStringObjectFromLongLong((long long)s->length)
                                                    : createObject(OBJ_STRING, streamIDToSds(&s->first_id));
        } else if (added && i == a->id_idx) {
            o = createObject(OBJ_STRING, streamIDToSds(added));
        } else {
            incrRefCount(o);
        }
        argv[argc++] = o;
    }
    rewritePropagatedCommandArgv(c, argv, argc);
    for (int i = 0; i < argc; i++) decrRefCount(argv[i]);
    zfree(argv);
}

/* ------------------------------------------------------------- commands */

static robj *lookupStreamWriteOrReply(client *c, robj *key, int create, int *wrongtype) {
    robj *o = lookupKeyWrite(c->db, key);
    *wrongtype = 0;
    if (checkType(c, o, OBJ_STREAM)) {
        *wrongtype = 1;
        return NULL;
    }
    if (o == NULL && create) {
        o = createStreamObject();
        dbAdd(c->db, key, o);
    }
    return o;
}

void xaddCommand(client *c) {
    streamTrimArgs a;
    if (parseAddOrTrimArgsOrReply(c, &a, 1) != C_OK) return;
    int idpos = a.id_idx;
    if ((c->argc - idpos - 1) < 2 || (c->argc - idpos - 1) % 2) {
        addReplyErrorArity(c);
        return;
    }
    int id_given = a.id_given, seq_given = a.seq_given;
    if (id_given && seq_given && a.id.ms == 0 && a.id.seq == 0) {
        addReplyError(c, "The ID specified in XADD must be greater than 0-0");
        return;
    }
    int wrongtype;
    robj *o = lookupStreamWriteOrReply(c, c->argv[1], !a.nomkstream, &wrongtype);
    if (wrongtype) return;
    if (o == NULL) {
        addReplyNull(c);
        return;
    }
    stream *s = o->ptr;
    if (s->last_id.ms == UINT64_MAX && s->last_id.seq == UINT64_MAX) {
        addReplyError(c, "The stream has exhausted the last possible ID, unable to add more items");
        return;
    }
    streamID added;
    int ret = streamAppendItem(s, c->argv + idpos + 1, (c->argc - idpos - 1) / 2, &added, id_given ? &a.id : NULL,
                               seq_given);
    if (ret == -1) {
        addReplyError(c, "The ID specified in XADD is equal or smaller than the target stream top item");
        return;
    }
    if (ret == -2) {
        addReplyError(c, "Elements are too large to be stored");
        return;
    }
    addReplyStreamID(c, &added);
    signalModifiedKey(c, c->db, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_STREAM, "xadd", c->argv[1], c->db->id);
    server.dirty++;
    if (a.strategy != TRIM_STRATEGY_NONE && streamTrim(s, &a))
        notifyKeyspaceEvent(NOTIFY_STREAM, "xtrim", c->argv[1], c->db->id);
    if (a.approx || !id_given || !seq_given) propagateExactTrim(c, s, &a, (!id_given || !seq_given) ? &added : NULL);
    signalKeyAsReady(c->db, c->argv[1], OBJ_STREAM);
}

void addReplyStreamEntry(client *c, streamIterator *si, const streamID *id, int64_t numfields) {
    addReplyArrayLen(c, 2);
    addReplyStreamID(c, id);
    addReplyArrayLen(c, numfields * 2);
    for (int64_t i = 0; i < numfields; i++) {
        unsigned char *f, *v;
        int64_t fl, vl;
        streamIteratorGetField(si, &f, &v, &fl, &vl);
        addReplyBulkCBuffer(c, f, (size_t)fl);
        addReplyBulkCBuffer(c, v, (size_t)vl);
    }
}

int addReplyStreamEntryByID(client *c, stream *s, const streamID *id) {
    streamIterator si;
    streamID got;
    int64_t nf;
    streamIteratorStart(&si, s, id, id, 0);
    int found = streamIteratorGetID(&si, &got, &nf);
    if (found) addReplyStreamEntry(c, &si, &got, nf);
    streamIteratorStop(&si);
    return found;
}

/* The entries of s from start to end (rev: from end down to start), at most
 * count (0: all), as an array of [id, [field, value ...]]. */
static long addReplyStreamRange(client *c, stream *s, const streamID *start, const streamID *end, long long count,
                                int rev) {
    void *len = addReplyDeferredLen(c);
    streamIterator si;
    streamID id;
    int64_t nf;
    long emitted = 0;
    streamIteratorStart(&si, s, start, end, rev);
    while ((count == 0 || emitted < count) && streamIteratorGetID(&si, &id, &nf)) {
        addReplyStreamEntry(c, &si, &id, nf);
        emitted++;
    }
    streamIteratorStop(&si);
    setDeferredArrayLen(c, len, emitted);
    return emitted;
}

static void xrangeGeneric(client *c, int rev) {
    robj *startarg = rev ? c->argv[3] : c->argv[2];
    robj *endarg = rev ? c->argv[2] : c->argv[3];
    streamID start, end;
    int startex, endex;
    if (streamParseIntervalIDOrReply(c, startarg, &start, &startex, 0) != C_OK) return;
    if (startex && !streamIncrID(&start)) {
        addReplyError(c, "invalid start ID for the interval");
        return;
    }
    if (streamParseIntervalIDOrReply(c, endarg, &end, &endex, UINT64_MAX) != C_OK) return;
    if (endex && !streamDecrID(&end)) {
        addReplyError(c, "invalid end ID for the interval");
        return;
    }
    long long count = -1;
    for (int j = 4; j < c->argc; j++) {
        int more = c->argc - j - 1;
        if (more >= 1 && !strcasecmp(c->argv[j]->ptr, "count")) {
            if (getLongLongFromObjectOrReply(c, c->argv[j + 1], &count, NULL) != C_OK) return;
            if (count < 0) count = 0;
            j++;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
    }
    robj *o = lookupKeyReadOrReply(c, c->argv[1], shared.emptyarray);
    if (o == NULL || checkType(c, o, OBJ_STREAM)) return;
    if (count == 0) {
        addReplyNullArray(c);
        return;
    }
    addReplyStreamRange(c, o->ptr, &start, &end, count < 0 ? 0 : count, rev);
}

void xrangeCommand(client *c) {
    xrangeGeneric(c, 0);
}

void xrevrangeCommand(client *c) {
    xrangeGeneric(c, 1);
}

void xlenCommand(client *c) {
    robj *o = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (o == NULL || checkType(c, o, OBJ_STREAM)) return;
    addReplyLongLong(c, (long long)((stream *)o->ptr)->length);
}

void xdelCommand(client *c) {
    robj *o = lookupKeyWriteOrReply(c, c->argv[1], shared.czero);
    if (o == NULL || checkType(c, o, OBJ_STREAM)) return;
    stream *s = o->ptr;
    streamID *ids = zmalloc(sizeof(streamID) * (size_t)(c->argc - 2));
    for (int j = 2; j < c->argc; j++) {
        if (streamParseIDOrReply(c, c->argv[j], &ids[j - 2], 0, 1, NULL) != C_OK) {
            zfree(ids);
            return;
        }
    }
    long long deleted = 0;
    int first_gone = 0;
    for (int j = 0; j < c->argc - 2; j++) {
        if (!streamDeleteItem(s, &ids[j])) continue;
        deleted++;
        if (streamCompareID(&ids[j], &s->first_id) == 0) first_gone = 1;
        if (streamCompareID(&ids[j], &s->max_deleted_entry_id) > 0) s->max_deleted_entry_id = ids[j];
    }
    zfree(ids);
    if (deleted) {
        if (first_gone) streamEdgeID(s, 1, &s->first_id);
        signalModifiedKey(c, c->db, c->argv[1]);
        notifyKeyspaceEvent(NOTIFY_STREAM, "xdel", c->argv[1], c->db->id);
        server.dirty += deleted;
    }
    addReplyLongLong(c, deleted);
}

void xtrimCommand(client *c) {
    streamTrimArgs a;
    if (parseAddOrTrimArgsOrReply(c, &a, 0) != C_OK) return;
    robj *o = lookupKeyWrite(c->db, c->argv[1]);
    if (checkType(c, o, OBJ_STREAM)) return;
    if (o == NULL) {
        addReply(c, shared.czero);
        return;
    }
    stream *s = o->ptr;
    int64_t removed = streamTrim(s, &a);
    if (removed) {
        signalModifiedKey(c, c->db, c->argv[1]);
        notifyKeyspaceEvent(NOTIFY_STREAM, "xtrim", c->argv[1], c->db->id);
        server.dirty += removed;
        if (a.approx) propagateExactTrim(c, s, &a, NULL);
    }
    addReplyLongLong(c, removed);
}

/* XREAD's parsed arguments: the keys are c->argv[streams_arg ...], one ID
 * each in ids. */
typedef struct xreadArgs {
    long long count; /* 0: no limit */
    long long timeout;
    int block;
    int streams_arg;
    int numstreams;
    streamID *ids;
    int noack;             /* XREADGROUP: NOACK */
    robj *group, *consumer; /* XREADGROUP: GROUP group consumer (borrowed from argv) */
    streamCG **groups;      /* XREADGROUP: each stream's group */
    unsigned char *history; /* XREADGROUP: 1 where the ID is not ">" */
} xreadArgs;

static void freeXreadArgs(xreadArgs *a) {
    zfree(a->ids);
    zfree(a->groups);
    zfree(a->history);
}

/* XREAD's and XREADGROUP's options; replies the error and returns C_ERR. */
static int parseXreadOptionsOrReply(client *c, xreadArgs *a, int xreadgroup) {
    for (int i = 1; i < c->argc; i++) {
        int moreargs = c->argc - i - 1;
        const char *opt = sdsEncodedObject(c->argv[i]) ? c->argv[i]->ptr : "";
        if (!strcasecmp(opt, "group") && moreargs >= 2) {
            if (!xreadgroup) {
                addReplyError(c, "The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                return C_ERR;
            }
            a->group = c->argv[i + 1];
            a->consumer = c->argv[i + 2];
            i += 2;
        } else if (!strcasecmp(opt, "noack")) {
            if (!xreadgroup) {
                addReplyError(c, "The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                return C_ERR;
            }
            a->noack = 1;
        } else if (!strcasecmp(opt, "block") && moreargs) {
            i++;
            if (getLongLongFromObjectOrReply(c, c->argv[i], &a->timeout, "timeout is not an integer or out of range") !=
                C_OK)
                return C_ERR;
            if (a->timeout < 0) {
                addReplyError(c, "timeout is negative");
                return C_ERR;
            }
            if (a->timeout > 0) a->timeout += mstime();
            a->block = 1;
        } else if (!strcasecmp(opt, "count") && moreargs) {
            i++;
            if (getLongLongFromObjectOrReply(c, c->argv[i], &a->count, NULL) != C_OK) return C_ERR;
            if (a->count < 0) a->count = 0;
        } else if (!strcasecmp(opt, "streams") && moreargs) {
            a->streams_arg = i + 1;
            a->numstreams = c->argc - a->streams_arg;
            if (a->numstreams % 2) {
                addReplyError(c, "Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
                                 "specified.");
                return C_ERR;
            }
            a->numstreams /= 2;
            break;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return C_ERR;
        }
    }
    if (a->streams_arg == 0) {
        addReplyErrorObject(c, shared.syntaxerr);
        return C_ERR;
    }
    if (xreadgroup && a->group == NULL) {
        addReplyError(c, "Missing GROUP option for XREADGROUP");
        return C_ERR;
    }
    return C_OK;
}

/* A stream key of XREADGROUP: its group, or the NOGROUP error. */
static int lookupReadGroupOrReply(client *c, xreadArgs *a, int i, robj *key, robj *o) {
    streamCG *cg = o ? streamLookupCG(o->ptr, a->group->ptr) : NULL;
    if (cg == NULL) {
        addReplyErrorFormat(c, "-NOGROUP No such key '%s' or consumer group '%s' in XREADGROUP with GROUP option",
                            (char *)key->ptr, (char *)a->group->ptr);
        return C_ERR;
    }
    a->groups[i] = cg;
    return C_OK;
}

static int parseXreadArgsOrReply(client *c, xreadArgs *a, int xreadgroup) {
    memset(a, 0, sizeof(*a));
    if (parseXreadOptionsOrReply(c, a, xreadgroup) != C_OK) return C_ERR;
    a->ids = zmalloc(sizeof(streamID) * (size_t)a->numstreams);
    if (xreadgroup) {
        a->groups = zcalloc(sizeof(streamCG *) * (size_t)a->numstreams);
        a->history = zcalloc((size_t)a->numstreams);
    }
    for (int i = 0; i < a->numstreams; i++) {
        robj *key = c->argv[a->streams_arg + i];
        robj *idarg = c->argv[a->streams_arg + a->numstreams + i];
        robj *o = lookupKeyRead(c->db, key);
        if (checkType(c, o, OBJ_STREAM)) return C_ERR;
        if (xreadgroup && lookupReadGroupOrReply(c, a, i, key, o) != C_OK) return C_ERR;
        const char *txt = sdsEncodedObject(idarg) ? idarg->ptr : "";
        if (xreadgroup && !strcmp(txt, "$")) {
            addReplyError(c, "The $ ID is meaningless in the context of XREADGROUP: you want to read the history of "
                             "this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID "
                             "would just return an empty result set.");
            return C_ERR;
        } else if (xreadgroup && !strcmp(txt, ">")) {
            a->ids[i] = a->groups[i]->last_id;
        } else if (xreadgroup) {
            if (streamParseIDOrReply(c, idarg, &a->ids[i], 0, 1, NULL) != C_OK) return C_ERR;
            a->history[i] = 1;
        } else if (!strcmp(txt, "$")) {
            a->ids[i] = o ? ((stream *)o->ptr)->last_id : (streamID){0, 0};
        } else if (!strcmp(txt, ">")) {
            addReplyError(c, "The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
                             "<consumer> option.");
            return C_ERR;
        } else if (streamParseIDOrReply(c, idarg, &a->ids[i], 0, 1, NULL) != C_OK) {
            return C_ERR;
        }
    }
    return C_OK;
}

/* Replies with what the streams hold after their IDs; returns how many
 * streams had something (0: nothing was written to c). */
static int xreadServe(client *c, const xreadArgs *a) {
    void *len = NULL;
    int served = 0;
    for (int i = 0; i < a->numstreams; i++) {
        robj *key = c->argv[a->streams_arg + i];
        robj *o = lookupKeyRead(c->db, key);
        if (o == NULL) continue;
        stream *s = o->ptr;
        streamID start = a->ids[i], last_live;
        if (s->length == 0) continue;
        streamEdgeID(s, 0, &last_live);
        if (streamCompareID(&last_live, &start) <= 0 || !streamIncrID(&start)) continue;
        if (!served) len = addReplyDeferredLen(c);
        served++;
        if (c->resp == 2) addReplyArrayLen(c, 2);
        addReplyBulk(c, key);
        addReplyStreamRange(c, s, &start, NULL, a->count, 0);
    }
    if (!served) return 0;
    if (c->resp == 2) setDeferredArrayLen(c, len, served);
    else setDeferredMapLen(c, len, served);
    return served;
}

/* Blocks c on the streams of a. Each "$" in c->argv is replaced by the
 * ID it stood for, so that the command run again when a stream is served
 * reads from where the wait began. */
static void xreadBlock(client *c, const xreadArgs *a) {
    for (int i = 0; i < a->numstreams; i++) {
        int pos = a->streams_arg + a->numstreams + i;
        robj *arg = c->argv[pos];
        if (!sdsEncodedObject(arg) || strcmp(arg->ptr, "$")) continue;
        robj *id = createObject(OBJ_STRING, streamIDToSds(&a->ids[i]));
        c->argv_len_sum += sdslen(id->ptr) - sdslen(arg->ptr);
        decrRefCount(arg);
        c->argv[pos] = id;
    }
    blockForKeys(c, BLOCKED_STREAM, c->argv + a->streams_arg, a->numstreams, a->timeout);
}

void xreadCommand(client *c) {
    xreadArgs a;
    if (parseXreadArgsOrReply(c, &a, 0) == C_OK && !xreadServe(c, &a)) {
        if (a.block && clientMayBlock(c)) xreadBlock(c, &a);
        else addReplyNullArray(c);
    }
    freeXreadArgs(&a);
}

/* The consumer of XREADGROUP in group cg, created (with its event) when
 * missing; seen now. */
static streamConsumer *readGroupConsumer(client *c, xreadArgs *a, streamCG *cg, robj *key, long long now) {
    streamConsumer *consumer = streamLookupConsumer(cg, a->consumer->ptr);
    if (consumer == NULL) {
        consumer = streamCreateConsumer(cg, a->consumer->ptr, sdslen(a->consumer->ptr), now);
        notifyKeyspaceEvent(NOTIFY_STREAM, "xgroup-createconsumer", key, c->db->id);
        server.dirty++;
    }
    consumer->seen_time = now;
    return consumer;
}

/* Replies what XREADGROUP finds on each stream: the consumer's history
 * where an ID was given (always replied, even empty), new entries where
 * ">" was (replied only when there are some). Returns the number of
 * streams replied. */
static int xreadgroupServe(client *c, xreadArgs *a) {
    void *len = NULL;
    int served = 0;
    long long now = mstime();
    for (int i = 0; i < a->numstreams; i++) {
        robj *key = c->argv[a->streams_arg + i];
        stream *s = lookupKeyRead(c->db, key)->ptr;
        streamCG *cg = a->groups[i];
        if (!a->history[i]) {
            streamID last_live;
            streamEdgeID(s, 0, &last_live);
            if (s->length == 0 || streamCompareID(&last_live, &cg->last_id) <= 0) continue;
        }
        streamConsumer *consumer = readGroupConsumer(c, a, cg, key, now);
        if (!served) len = addReplyDeferredLen(c);
        served++;
        if (c->resp == 2) addReplyArrayLen(c, 2);
        addReplyBulk(c, key);
        streamID start = a->history[i] ? a->ids[i] : cg->last_id;
        streamReadGroup(c, key, s, cg, consumer, a->group, &start, a->count, a->noack, a->history[i]);
    }
    if (!served) return 0;
    if (c->resp == 2) setDeferredArrayLen(c, len, served);
    else setDeferredMapLen(c, len, served);
    return served;
}

/* A blocked XREADGROUP served again after its key changed: the errors
 * Redis 7.0 sends when the key or the group is gone. */
static int readGroupStillValidOrReply(client *c, xreadArgs *a) {
    robj *key = c->bstate.served_key;
    robj *o = lookupKeyWrite(c->db, key);
    if (o == NULL || o->type != OBJ_STREAM) {
        addReplyError(c, "-UNBLOCKED the stream key no longer exists");
        return C_ERR;
    }
    if (streamLookupCG(o->ptr, a->group->ptr) == NULL) {
        addReplyError(c, "-NOGROUP the consumer group this client was blocked on no longer exists");
        return C_ERR;
    }
    return C_OK;
}

/* XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS key
 * [key ...] id [id ...]. Never recorded itself: what it changes is
 * propagated as XCLAIM (each entry delivered) or XGROUP SETID (NOACK). */
void xreadgroupCommand(client *c) {
    xreadArgs a;
    preventCommandPropagation(c);
    if (c->bstate.served_key) {
        memset(&a, 0, sizeof(a));
        if (parseXreadOptionsOrReply(c, &a, 1) != C_OK || readGroupStillValidOrReply(c, &a) != C_OK) return;
    }
    if (parseXreadArgsOrReply(c, &a, 1) == C_OK && !xreadgroupServe(c, &a)) {
        /* Served but nothing left for it: it waits on, to its first deadline. */
        if (c->bstate.served_key) a.timeout = c->bstate.timeout;
        if (a.block && clientMayBlock(c))
            blockForKeys(c, BLOCKED_STREAM_GROUP, c->argv + a.streams_arg, a.numstreams, a.timeout);
        else addReplyNullArray(c);
    }
    freeXreadArgs(&a);
}

/* XSETID key last-id [ENTRIESADDED n] [MAXDELETEDID id]. */
void xsetidCommand(client *c) {
    streamID id, max_xdel = {0, 0};
    long long entries_added = -1;
    int max_xdel_given = 0;
    if (streamParseIDOrReply(c, c->argv[2], &id, 0, 1, NULL) != C_OK) return;
    for (int i = 3; i < c->argc; i++) {
        int moreargs = c->argc - i - 1;
        const char *opt = sdsEncodedObject(c->argv[i]) ? c->argv[i]->ptr : "";
        if (!strcasecmp(opt, "entriesadded") && moreargs) {
            if (getLongLongFromObjectOrReply(c, c->argv[++i], &entries_added, NULL) != C_OK) return;
            if (entries_added < 0) {
                addReplyError(c, "entries_added must be positive");
                return;
            }
        } else if (!strcasecmp(opt, "maxdeletedid") && moreargs) {
            if (streamParseIDOrReply(c, c->argv[++i], &max_xdel, 0, 1, NULL) != C_OK) return;
            if (streamCompareID(&id, &max_xdel) < 0) {
                addReplyError(c, "The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                return;
            }
            max_xdel_given = 1;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
    }
    robj *o = lookupKeyWriteOrReply(c, c->argv[1], shared.nokeyerr);
    if (o == NULL || checkType(c, o, OBJ_STREAM)) return;
    stream *s = o->ptr;
    if (s->length > 0) {
        streamID top;
        streamEdgeID(s, 0, &top);
        if (streamCompareID(&id, &top) < 0) {
            addReplyError(c, "The ID specified in XSETID is smaller than the target stream top item");
            return;
        }
        if (entries_added != -1 && s->length > (uint64_t)entries_added) {
            addReplyError(c, "The entries_added specified in XSETID is smaller than the target stream length");
            return;
        }
    }
    s->last_id = id;
    if (entries_added != -1) s->entries_added = (uint64_t)entries_added;
    if (max_xdel_given) s->max_deleted_entry_id = max_xdel;
    addReply(c, shared.ok);
    signalModifiedKey(c, c->db, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_STREAM, "xsetid", c->argv[1], c->db->id);
    server.dirty++;
}

/* --------------------------------------------------------- validation */

/* The integer at *p, moving *p to the next element; 0 when *p is the end
 * or not an integer. */
static int takeInt(unsigned char *lp, unsigned char **p, int64_t *v) {
    if (*p == NULL) return 0;
    unsigned int slen;
    long long lval;
    if (lpGetValue(*p, &slen, &lval) != NULL) return 0;
    *v = lval;
    *p = lpNext(lp, *p);
    return 1;
}

/* Moves *p past n elements; 0 when the listpack ends first. */
static int skipElements(unsigned char *lp, unsigned char **p, int64_t n) {
    while (n-- > 0) {
        if (*p == NULL) return 0;
        *p = lpNext(lp, *p);
    }
    return 1;
}

int streamValidateNode(unsigned char *lp, uint64_t *live) {
    unsigned char *p = lpFirst(lp);
    int64_t count, deleted, master_fields, zero;
    if (!takeInt(lp, &p, &count) || !takeInt(lp, &p, &deleted) || !takeInt(lp, &p, &master_fields)) return 0;
    if (count < 1 || deleted < 0 || master_fields < 0) return 0; /* a node with no live entry is freed */
    if (!skipElements(lp, &p, master_fields) || !takeInt(lp, &p, &zero) || zero != 0) return 0;
    int64_t seen_live = 0, seen_deleted = 0;
    while (p != NULL) {
        int64_t flags, ms, seq, numfields, lpcount, elements;
        if (!takeInt(lp, &p, &flags) || !takeInt(lp, &p, &ms) || !takeInt(lp, &p, &seq)) return 0;
        if (flags & ~(STREAM_ITEM_FLAG_DELETED | STREAM_ITEM_FLAG_SAMEFIELDS)) return 0;
        if (flags & STREAM_ITEM_FLAG_SAMEFIELDS) {
            numfields = master_fields;
            elements = numfields + 3;
            if (!skipElements(lp, &p, numfields)) return 0;
        } else {
            if (!takeInt(lp, &p, &numfields) || numfields < 0 || numfields > (INT64_MAX - 4) / 2) return 0;
            elements = numfields * 2 + 4;
            if (!skipElements(lp, &p, numfields * 2)) return 0;
        }
        if (!takeInt(lp, &p, &lpcount) || lpcount != elements) return 0;
        if (flags & STREAM_ITEM_FLAG_DELETED)
            seen_deleted++;
        else
            seen_live++;
    }
    if (seen_live != count || seen_deleted != deleted) return 0;
    *live = (uint64_t)count;
    return 1;
}
