/* repl_backlog.c — the one buffer of the replication stream, shared by the
 * backlog and every replica.
 *
 * The stream a primary sends its replicas is written once, into a list of
 * blocks (replBufBlock), and never copied per replica. Every reader holds
 * a position: the block it reads from and the stream offset of its next
 * byte. The backlog is one such reader: it marks the oldest byte a
 * partial resync may still ask for. A block's refcount is the number of
 * positions inside it; positions only move forward, so when the head
 * block's count drops to zero nothing can need it again and it is freed.
 * Memory is therefore what the slowest reader (or the backlog, if it
 * reaches further back) still needs.
 *
 * Offsets: the stream's bytes are numbered from 1 on; master_repl_offset
 * (server.replication) is the number of the last byte written. A block
 * records the offset of its first byte. The backlog keeps at least
 * repl-backlog-size bytes: its position moves past a whole block only when
 * what is left after that block is still repl-backlog-size or more.
 *
 * The backlog is created when the first replica attaches and freed
 * repl-backlog-ttl seconds after the last one left (never on a server that
 * is itself a replica: it forgets it when it stops being a primary).
 */
#include "server.h"

#include <string.h>

#define REPL_BLOCK_BYTES (16 * 1024)

static replBufBlock *newBlock(size_t want, long long start) {
    size_t size = want > REPL_BLOCK_BYTES ? want : REPL_BLOCK_BYTES;
    replBufBlock *b = zmalloc(sizeof(*b) + size);
    b->refcount = 0;
    b->size = size;
    b->used = 0;
    b->start = start;
    b->next = NULL;
    return b;
}

/* Frees head blocks nobody points into. */
static void trimUnreferenced(void) {
    struct serverReplState *rs = &server.replication;
    while (rs->buf_head && rs->buf_head->refcount == 0) {
        replBufBlock *b = rs->buf_head;
        rs->buf_head = b->next;
        if (rs->buf_tail == b) rs->buf_tail = NULL;
        rs->buf_mem -= b->size;
        zfree(b);
    }
}

void replBufPosInit(replBufPos *p) {
    struct serverReplState *rs = &server.replication;
    p->block = rs->buf_tail;
    p->offset = rs->master_repl_offset + 1;
    if (p->block) p->block->refcount++;
}

int replBufPosSeek(replBufPos *p, long long offset) {
    struct serverReplState *rs = &server.replication;
    if (offset == rs->master_repl_offset + 1) {
        replBufPosInit(p);
        return C_OK;
    }
    replBufBlock *b = rs->buf_head;
    while (b && offset >= b->start + (long long)b->used && b->next) b = b->next;
    if (b == NULL || offset < b->start || offset > b->start + (long long)b->used) return C_ERR;
    p->block = b;
    p->offset = offset;
    b->refcount++;
    return C_OK;
}

void replBufPosRelease(replBufPos *p) {
    if (p->block) p->block->refcount--;
    p->block = NULL;
    trimUnreferenced();
}

/* Moves p onto the next block when it has read the whole of its own. */
static void stepIfDone(replBufPos *p) {
    replBufBlock *b = p->block;
    if (b == NULL || b->next == NULL || p->offset < b->start + (long long)b->used) return;
    b->refcount--;
    p->block = b->next;
    p->block->refcount++;
    trimUnreferenced();
}

const char *replBufPosPeek(replBufPos *p, size_t *len) {
    stepIfDone(p);
    replBufBlock *b = p->block;
    if (b == NULL) {
        *len = 0;
        return NULL;
    }
    size_t from = (size_t)(p->offset - b->start);
    *len = b->used - from;
    return b->buf + from;
}

void replBufPosAdvance(replBufPos *p, size_t n) {
    p->offset += (long long)n;
    stepIfDone(p);
}

long long replBufPosPending(const replBufPos *p) {
    return server.replication.master_repl_offset + 1 - p->offset;
}

/* A position created while the buffer was empty points at nothing; the
 * first block gives it (and the backlog) a home. */
static void adoptOrphans(replBufBlock *b) {
    struct serverReplState *rs = &server.replication;
    if (rs->backlog_active && rs->backlog.block == NULL) {
        rs->backlog.block = b;
        b->refcount++;
    }
    replicationAdoptOrphanPositions(b);
}

/* Moves the backlog's start forward over whole blocks it no longer needs. */
static void trimBacklog(void) {
    struct serverReplState *rs = &server.replication;
    replBufPos *p = &rs->backlog;
    while (p->block && p->block->next) {
        replBufBlock *b = p->block;
        long long after = rs->master_repl_offset - (b->start + (long long)b->used) + 1;
        if (after < server.repl.backlog_size) break;
        b->refcount--;
        p->block = b->next;
        p->offset = p->block->start;
        p->block->refcount++;
    }
    trimUnreferenced();
}

void replBufAppend(const char *data, size_t len) {
    struct serverReplState *rs = &server.replication;
    while (len) {
        replBufBlock *t = rs->buf_tail;
        if (t == NULL || t->used == t->size) {
            replBufBlock *b = newBlock(len, rs->master_repl_offset + 1);
            if (t) t->next = b;
            else rs->buf_head = b;
            rs->buf_tail = b;
            rs->buf_mem += b->size;
            adoptOrphans(b);
            t = b;
        }
        size_t n = t->size - t->used < len ? t->size - t->used : len;
        memcpy(t->buf + t->used, data, n);
        t->used += n;
        data += n;
        len -= n;
        rs->master_repl_offset += (long long)n;
    }
    if (rs->backlog_active) trimBacklog();
}

void replBacklogCreate(void) {
    struct serverReplState *rs = &server.replication;
    if (rs->backlog_active) return;
    rs->backlog_active = 1;
    replBufPosInit(&rs->backlog);
}

void replBacklogFree(void) {
    struct serverReplState *rs = &server.replication;
    if (!rs->backlog_active) return;
    rs->backlog_active = 0;
    replBufPosRelease(&rs->backlog);
}

long long replBacklogFirstByte(void) {
    struct serverReplState *rs = &server.replication;
    return rs->backlog_active ? rs->backlog.offset : 0;
}

long long replBacklogHistlen(void) {
    struct serverReplState *rs = &server.replication;
    return rs->backlog_active ? rs->master_repl_offset + 1 - rs->backlog.offset : 0;
}

size_t replicationBacklogMemory(void) {
    struct serverReplState *rs = &server.replication;
    size_t hist = (size_t)replBacklogHistlen();
    if (listLength(rs->replicas) && rs->buf_mem > hist) return hist;
    return rs->buf_mem;
}
