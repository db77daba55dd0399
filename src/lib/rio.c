/* rio.c — the buffer, file and fd backends of rio.h and the common
 * transfer loop.
 *
 * rioWrite and rioRead cut a transfer into chunks (max_processing_chunk, or
 * all at once when 0). For each chunk the backend moves the bytes, then the
 * checksum and the counters are updated and the progress callback called
 * when its interval is crossed. A backend returns 0 on any short transfer;
 * the error flag is then set and nothing more is counted.
 */
#include "rio.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "crc64.h"

#define RIO_FD_BUFFER (64 * 1024)

/* ------------------------------------------------------------- buffer */

static size_t bufferWrite(rio *r, const void *buf, size_t len) {
    r->io.buffer.ptr = sdscatlen(r->io.buffer.ptr, buf, len);
    r->io.buffer.pos += (off_t)len;
    return len;
}

static size_t bufferRead(rio *r, void *buf, size_t len) {
    size_t avail = sdslen(r->io.buffer.ptr) - (size_t)r->io.buffer.pos;
    if (avail < len) return 0;
    memcpy(buf, r->io.buffer.ptr + r->io.buffer.pos, len);
    r->io.buffer.pos += (off_t)len;
    return len;
}

static off_t bufferTell(rio *r) {
    return r->io.buffer.pos;
}

static int bufferFlush(rio *r) {
    (void)r;
    return 1;
}

static void rioInitCommon(rio *r) {
    memset(r, 0, sizeof(*r));
}

void rioInitWithBuffer(rio *r, sds s) {
    rioInitCommon(r);
    r->read = bufferRead;
    r->write = bufferWrite;
    r->tell = bufferTell;
    r->flush = bufferFlush;
    r->io.buffer.ptr = s;
    r->io.buffer.pos = 0;
}

/* --------------------------------------------------------------- file */

static size_t fileWrite(rio *r, const void *buf, size_t len) {
    size_t n = fwrite(buf, 1, len, r->io.file.fp);
    if (n != len) return 0;
    r->io.file.buffered += (off_t)len;
    if (r->io.file.autosync && r->io.file.buffered >= r->io.file.autosync) {
        if (fflush(r->io.file.fp) != 0) return 0;
        if (fdatasync(fileno(r->io.file.fp)) == -1 && errno != EINVAL) return 0;
        r->io.file.buffered = 0;
    }
    return len;
}

static size_t fileRead(rio *r, void *buf, size_t len) {
    return fread(buf, 1, len, r->io.file.fp) == len ? len : 0;
}

static off_t fileTell(rio *r) {
    return ftello(r->io.file.fp);
}

static int fileFlush(rio *r) {
    return fflush(r->io.file.fp) == 0;
}

void rioInitWithFile(rio *r, FILE *fp) {
    rioInitCommon(r);
    r->read = fileRead;
    r->write = fileWrite;
    r->tell = fileTell;
    r->flush = fileFlush;
    r->io.file.fp = fp;
}

void rioSetAutoSync(rio *r, off_t bytes) {
    r->io.file.autosync = bytes;
}

/* ---------------------------------------------------------------- reader */

static size_t readerRead(rio *r, void *buf, size_t len) {
    if (!r->io.reader.fn(r->io.reader.ctx, buf, len)) return 0;
    r->io.reader.pos += (off_t)len;
    return len;
}

static size_t readerWrite(rio *r, const void *buf, size_t len) {
    (void)r, (void)buf, (void)len;
    return 0;
}

static off_t readerTell(rio *r) {
    return r->io.reader.pos;
}

static int readerFlush(rio *r) {
    (void)r;
    return 1;
}

void rioInitWithReader(rio *r, int (*fn)(void *ctx, void *buf, size_t len), void *ctx) {
    rioInitCommon(r);
    r->read = readerRead;
    r->write = readerWrite;
    r->tell = readerTell;
    r->flush = readerFlush;
    r->io.reader.fn = fn;
    r->io.reader.ctx = ctx;
}

/* ----------------------------------------------------------------- fd */

/* Writes all of p[0..len) to fd, retrying on EINTR and short writes. */
static int fdWriteAll(int fd, const char *p, size_t len) {
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n == -1) {
            if (errno == EINTR) continue;
            return 0;
        }
        p += n;
        len -= (size_t)n;
    }
    return 1;
}

static int fdFlush(rio *r) {
    if (!fdWriteAll(r->io.fd.fd, r->io.fd.buf, sdslen(r->io.fd.buf))) return 0;
    sdsclear(r->io.fd.buf);
    return 1;
}

static size_t fdWrite(rio *r, const void *buf, size_t len) {
    r->io.fd.buf = sdscatlen(r->io.fd.buf, buf, len);
    r->io.fd.pos += (off_t)len;
    if (sdslen(r->io.fd.buf) >= RIO_FD_BUFFER && !fdFlush(r)) return 0;
    return len;
}

static size_t fdRead(rio *r, void *buf, size_t len) {
    (void)r;
    (void)buf;
    (void)len;
    return 0; /* write only */
}

static off_t fdTell(rio *r) {
    return r->io.fd.pos;
}

void rioInitWithFd(rio *r, int fd) {
    rioInitCommon(r);
    r->read = fdRead;
    r->write = fdWrite;
    r->tell = fdTell;
    r->flush = fdFlush;
    r->io.fd.fd = fd;
    r->io.fd.buf = sdsempty();
}

void rioFreeFd(rio *r) {
    sdsfree(r->io.fd.buf);
    r->io.fd.buf = NULL;
}

/* ------------------------------------------------------------- common */

void rioEnableChecksum(rio *r) {
    r->checksum = 1;
    r->cksum = 0;
}

void rioSetProgress(rio *r, void (*fn)(rio *, size_t), size_t interval, void *privdata) {
    r->progress = fn;
    r->progress_interval = interval;
    r->progress_next = r->processed_bytes + interval;
    r->privdata = privdata;
}

/* Accounts len bytes that just moved through buf. */
static void rioAccount(rio *r, const void *buf, size_t len) {
    if (r->checksum) r->cksum = crc64(r->cksum, buf, len);
    r->processed_bytes += len;
    if (r->progress && r->processed_bytes >= r->progress_next) {
        r->progress_next = r->processed_bytes + r->progress_interval;
        r->progress(r, r->processed_bytes);
    }
}

int rioWrite(rio *r, const void *buf, size_t len) {
    if (r->flags & RIO_FLAG_WRITE_ERROR) return 0;
    const char *p = buf;
    while (len) {
        size_t chunk = (r->max_processing_chunk && r->max_processing_chunk < len) ? r->max_processing_chunk : len;
        if (r->write(r, p, chunk) == 0) {
            r->flags |= RIO_FLAG_WRITE_ERROR;
            return 0;
        }
        rioAccount(r, p, chunk);
        p += chunk;
        len -= chunk;
    }
    return 1;
}

int rioRead(rio *r, void *buf, size_t len) {
    if (r->flags & RIO_FLAG_READ_ERROR) return 0;
    char *p = buf;
    while (len) {
        size_t chunk = (r->max_processing_chunk && r->max_processing_chunk < len) ? r->max_processing_chunk : len;
        if (r->read(r, p, chunk) == 0) {
            r->flags |= RIO_FLAG_READ_ERROR;
            return 0;
        }
        rioAccount(r, p, chunk);
        p += chunk;
        len -= chunk;
    }
    return 1;
}

off_t rioTell(rio *r) {
    return r->tell(r);
}

int rioFlush(rio *r) {
    if (!r->flush(r)) {
        r->flags |= RIO_FLAG_WRITE_ERROR;
        return 0;
    }
    return 1;
}
