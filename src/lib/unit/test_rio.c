/* Unit tests of rio.c: the three backends move bytes all-or-nothing, keep
 * processed_bytes and the running CRC-64, call the progress callback, and
 * remember errors. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crc64.h"
#include "rio.h"
#include "test.h"

static size_t progress_calls;
static void countProgress(rio *r, size_t processed) {
    (void)r;
    (void)processed;
    progress_calls++;
}

/* A reader callback over a counted string: fails once it runs out. */
typedef struct {
    const char *p;
    size_t left;
} strSource;
static int readFromString(void *ctx, void *buf, size_t len) {
    strSource *src = ctx;
    if (len > src->left) return 0;
    memcpy(buf, src->p, len);
    src->p += len;
    src->left -= len;
    return 1;
}

int main(void) {
    TEST("reader: bytes from a callback, tell, checksum, a short source fails and sticks") {
        strSource src = {"123456789", 9};
        rio r;
        rioInitWithReader(&r, readFromString, &src);
        rioEnableChecksum(&r);
        r.max_processing_chunk = 4;
        char buf[16];
        ASSERT(rioRead(&r, buf, 9));
        ASSERT_MEMEQ(buf, 9, "123456789", 9);
        ASSERT(r.cksum == 0xe9c6d914c4b8d9caULL);
        ASSERT_EQ_INT(rioTell(&r), 9);
        ASSERT(!rioWrite(&r, "x", 1));
        ASSERT(!rioRead(&r, buf, 1));
        ASSERT(rioGetReadError(&r));
    }
    TEST("buffer: write then read back, checksum and counters") {
        rio w;
        rioInitWithBuffer(&w, sdsempty());
        rioEnableChecksum(&w);
        w.max_processing_chunk = 3;
        ASSERT(rioWrite(&w, "123456789", 9));
        ASSERT(w.cksum == 0xe9c6d914c4b8d9caULL);
        ASSERT_EQ_INT(w.processed_bytes, 9);
        ASSERT_EQ_INT(rioTell(&w), 9);
        sds s = w.io.buffer.ptr;
        rio r;
        rioInitWithBuffer(&r, s);
        char buf[16];
        ASSERT(rioRead(&r, buf, 4));
        ASSERT_MEMEQ(buf, 4, "1234", 4);
        ASSERT(!rioRead(&r, buf, 6)); /* only 5 left: nothing is taken */
        ASSERT(rioGetReadError(&r));
        ASSERT(!rioRead(&r, buf, 1)); /* the error sticks */
        sdsfree(s);
    }
    TEST("progress callback every interval") {
        rio w;
        rioInitWithBuffer(&w, sdsempty());
        progress_calls = 0;
        rioSetProgress(&w, countProgress, 10, NULL);
        for (int i = 0; i < 50; i++) rioWrite(&w, "ab", 2);
        ASSERT_EQ_INT(progress_calls, 10);
        sdsfree(w.io.buffer.ptr);
    }
    TEST("file: write, autosync, read back") {
        char path[] = "/tmp/test_rio_XXXXXX";
        int fd = mkstemp(path);
        ASSERT(fd != -1);
        FILE *fp = fdopen(fd, "w+");
        rio w;
        rioInitWithFile(&w, fp);
        rioSetAutoSync(&w, 100);
        char block[64];
        memset(block, 'z', sizeof(block));
        for (int i = 0; i < 10; i++) ASSERT(rioWrite(&w, block, sizeof(block)));
        ASSERT(rioFlush(&w));
        ASSERT_EQ_INT(rioTell(&w), 640);
        rewind(fp);
        rio r;
        rioInitWithFile(&r, fp);
        rioEnableChecksum(&r);
        char back[640];
        ASSERT(rioRead(&r, back, sizeof(back)));
        ASSERT(back[639] == 'z');
        ASSERT(r.cksum == crc64(0, back, sizeof(back)));
        ASSERT(!rioRead(&r, back, 1));
        fclose(fp);
        unlink(path);
    }
    TEST("fd: buffered writes reach a pipe on flush") {
        int p[2];
        ASSERT(pipe(p) == 0);
        rio w;
        rioInitWithFd(&w, p[1]);
        ASSERT(rioWrite(&w, "hello ", 6));
        ASSERT(rioWrite(&w, "world", 5));
        ASSERT(rioFlush(&w));
        char buf[16] = {0};
        ASSERT_EQ_INT(read(p[0], buf, sizeof(buf)), 11);
        ASSERT_STREQ(buf, "hello world");
        rioFreeFd(&w);
        close(p[1]);
        close(p[0]);
    }
    TEST("fd: a write error is remembered") {
        int p[2];
        ASSERT(pipe(p) == 0);
        close(p[0]);
        signal(SIGPIPE, SIG_IGN);
        rio w;
        rioInitWithFd(&w, p[1]);
        rioWrite(&w, "x", 1);
        ASSERT(!rioFlush(&w));
        ASSERT(rioGetWriteError(&w));
        ASSERT(!rioWrite(&w, "y", 1));
        rioFreeFd(&w);
        close(p[1]);
    }
    return TEST_REPORT();
}
