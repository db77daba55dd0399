/* rio.h — one small interface for reading and writing a byte stream that
 * may be a memory buffer, a stdio FILE or a raw file descriptor.
 *
 * The RDB writer and reader (and the AOF rewriter) produce or consume bytes
 * through a rio without caring where they go, so the same code writes a
 * dump.rdb, a DUMP payload in memory, or an RDB stream down a pipe.
 *
 * Every transfer is all-or-nothing: rioWrite / rioRead return 1 when all
 * len bytes moved and 0 otherwise, and a failure is remembered in the
 * flags (rioGetReadError / rioGetWriteError) so a caller may check once at
 * the end. On every byte that moves, a rio keeps:
 *   - processed_bytes, the total read or written;
 *   - cksum, the running CRC-64 (crc64.h) when checksumming is on
 *     (rioEnableChecksum), which RDB puts in its trailer;
 *   - an optional progress callback, called about every
 *     progress_interval bytes (a loader keeps the event loop alive there).
 * max_processing_chunk cuts large transfers into pieces so the checksum and
 * the callback see them in steps.
 *
 * Backends:
 *   buffer  reads from / appends to an sds. For writing, the rio owns the
 *           sds while in use; io.buffer.ptr is the current string (take it
 *           when done). For reading, the sds is borrowed and not freed.
 *   file    a FILE* (borrowed; the caller closes it). With rioSetAutoSync,
 *           the data is flushed and fdatasync'ed every N bytes written, so
 *           a big save does not leave gigabytes of dirty pages for one
 *           final fsync.
 *   fd      write-only, buffered (64 KB) in front of a descriptor that may
 *           be a pipe or a socket; rioFlush pushes the buffer out, and
 *           rioFreeFd releases the buffer (not the descriptor).
 *   reader  read-only, over a callback that fills exactly len bytes or
 *           fails (a replica reading an RDB from its primary's socket);
 *           the callback's context is borrowed.
 *
 * This is a base library: it does not depend on the server. */
#ifndef EMBER_RIO_H
#define EMBER_RIO_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "sds.h"

#define RIO_FLAG_READ_ERROR (1 << 0)
#define RIO_FLAG_WRITE_ERROR (1 << 1)

typedef struct rio rio;

struct rio {
    size_t (*read)(rio *r, void *buf, size_t len);        /* returns len or 0 */
    size_t (*write)(rio *r, const void *buf, size_t len); /* returns len or 0 */
    off_t (*tell)(rio *r);
    int (*flush)(rio *r);                                  /* 1 ok, 0 error */
    void (*progress)(rio *r, size_t processed);            /* optional */
    size_t progress_interval, progress_next;
    int checksum;        /* 1: keep cksum up to date */
    uint64_t cksum;
    uint64_t flags;      /* RIO_FLAG_* */
    size_t processed_bytes;
    size_t max_processing_chunk;
    void *privdata;      /* for the progress callback */
    union {
        struct {
            sds ptr;
            off_t pos;
        } buffer;
        struct {
            FILE *fp;
            off_t buffered; /* written since the last automatic sync */
            off_t autosync; /* 0: never */
        } file;
        struct {
            int fd;
            off_t pos;
            sds buf;
        } fd;
        struct {
            int (*fn)(void *ctx, void *buf, size_t len); /* 1: all len bytes read */
            void *ctx;
            off_t pos;
        } reader;
    } io;
};

void rioInitWithBuffer(rio *r, sds s);
void rioInitWithFile(rio *r, FILE *fp);
void rioInitWithFd(rio *r, int fd);
/* A read-only rio whose bytes come from fn(ctx, buf, len), which returns
 * 1 when it filled buf with len bytes and 0 on failure (EOF, error). */
void rioInitWithReader(rio *r, int (*fn)(void *ctx, void *buf, size_t len), void *ctx);
/* Frees the fd backend's buffer (unflushed bytes are dropped). */
void rioFreeFd(rio *r);
/* Flushes and fdatasyncs a file rio every `bytes` written (0 turns it off). */
void rioSetAutoSync(rio *r, off_t bytes);
/* Starts keeping cksum (from 0). */
void rioEnableChecksum(rio *r);
/* Calls fn(r, processed_bytes) about every interval bytes transferred. */
void rioSetProgress(rio *r, void (*fn)(rio *, size_t), size_t interval, void *privdata);

int rioWrite(rio *r, const void *buf, size_t len);
int rioRead(rio *r, void *buf, size_t len);
off_t rioTell(rio *r);
int rioFlush(rio *r);

static inline int rioGetReadError(const rio *r) {
    return (r->flags & RIO_FLAG_READ_ERROR) != 0;
}
static inline int rioGetWriteError(const rio *r) {
    return (r->flags & RIO_FLAG_WRITE_ERROR) != 0;
}

#endif
