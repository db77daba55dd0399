/* fuzz_resp.c -- libFuzzer target for the request parser (resp.c).
 *
 * Built and run by `make fuzz` (clang, -fsanitize=fuzzer,address,undefined).
 * Each input is a small header followed by the request bytes:
 *
 *   byte 0      bit 0: parse as a client that must AUTH first (noauth);
 *               bit 1: a small proto-max-bulk-len (1 MB) instead of the
 *                      default 512 MB; bit 2: a small maxinline (64 bytes)
 *   bytes 1-4   seed of the positions where the bytes are cut
 *   the rest    the request bytes
 *
 * The bytes go through a mock client twice: once whole and once cut into
 * pieces at pseudo-random points, each piece appended to a query buffer
 * the way networking.c does it. Both runs produce a transcript (every
 * command with its arguments, the error text, the bytes left over), and
 * the two must be equal: the parser is resumable at any byte (see
 * same_outcome() for the one allowed difference). Along the
 * way the parser's invariants are checked (consumed within the buffer,
 * argv consistent with argc, the limits honoured, the pending big bulk
 * within its length), and at the end all memory must have been given
 * back. A failed check aborts, which libFuzzer reports with the input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resp.h"
#include "sds.h"
#include "zmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "fuzz_resp: check failed at line %d: %s\n", __LINE__, #cond); \
            abort(); \
        } \
    } while (0)

typedef struct fuzzClient {
    respParser p;
    sds qb;
    sds log;
    int failed;
} fuzzClient;

static void client_init(fuzzClient *c, uint8_t flags) {
    respParserInit(&c->p);
    c->p.noauth = flags & 1;
    if (flags & 2) c->p.maxbulklen = 1024 * 1024;
    if (flags & 4) c->p.maxinline = 64;
    c->qb = sdsempty();
    c->log = sdsempty();
    c->failed = 0;
}

/* Checks one finished command against the limits, logs it, frees it. */
static void take_command(fuzzClient *c, size_t fed) {
    respParser *p = &c->p;
    CHECK(p->argc >= 0 && p->argc <= p->argvcap);
    CHECK(p->argc == 0 || p->argv != NULL);
    if (p->noauth && p->reqtype == RESP_REQ_MULTIBULK) CHECK(p->argc <= 10);
    int reqtype = p->reqtype;
    int argc;
    sds *argv = respTakeArgv(p, &argc);
    c->log = sdscatfmt(c->log, "%i:", argc);
    for (int i = 0; i < argc; i++) {
        size_t len = sdslen(argv[i]);
        CHECK(len <= fed);
        CHECK(argv[i][len] == '\0');
        if (reqtype == RESP_REQ_MULTIBULK) {
            CHECK((long long)len <= p->maxbulklen);
            if (p->noauth) CHECK(len <= 16384);
        }
        c->log = sdscatrepr(c->log, argv[i], len);
        c->log = sdscatlen(c->log, ",", 1);
        sdsfree(argv[i]);
    }
    zfree(argv);
    c->log = sdscatlen(c->log, ";", 1);
}

/* Appends bytes to the query buffer and parses all it can. */
static void client_feed(fuzzClient *c, const uint8_t *bytes, size_t len, size_t *fed) {
    if (c->failed) return;
    c->qb = sdscatlen(c->qb, bytes, len);
    *fed += len;
    for (;;) {
        size_t have = sdslen(c->qb), consumed = 0;
        int rc = respParse(&c->p, c->qb, have, &consumed);
        CHECK(rc == RESP_OK || rc == RESP_NEED_MORE || rc == RESP_ERR);
        CHECK(consumed <= have);
        sdsrange(c->qb, (ssize_t)consumed, -1);
        long long pending = respPendingBulk(&c->p);
        CHECK(pending >= 0 && pending <= c->p.bulklen + 2);
        if (rc == RESP_ERR) {
            CHECK(c->p.err != NULL);
            c->log = sdscatfmt(c->log, "ERR:%s;", c->p.err);
            c->failed = 1;
            return;
        }
        if (rc == RESP_NEED_MORE) {
            /* What waits in the buffer: a line not longer than maxinline
             * (or one whose '\r' came last), or a small partial bulk; a
             * big bulk is held by the parser. */
            size_t waiting = sdslen(c->qb);
            if (pending > 0)
                CHECK(waiting == 0);
            else if (c->p.bulklen >= 0)
                CHECK(waiting < RESP_BIG_ARG + 2);
            else
                CHECK(waiting <= c->p.maxinline || c->qb[waiting - 1] == '\r');
            return;
        }
        take_command(c, *fed);
    }
}

/* The transcript of the whole run; frees the client. */
static sds client_finish(fuzzClient *c) {
    if (!c->failed) c->log = sdscatfmt(c->log, "LEFT:%U;", (unsigned long long)sdslen(c->qb));
    sds log = c->log;
    respParserReset(&c->p);
    CHECK(respPendingBulk(&c->p) == 0 && c->p.argv == NULL);
    sdsfree(c->qb);
    return log;
}

static uint32_t next_rand(uint32_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static sds run(const uint8_t *req, size_t len, uint8_t flags, uint32_t seed) {
    fuzzClient c;
    client_init(&c, flags);
    size_t fed = 0;
    if (seed == 0) {
        client_feed(&c, req, len, &fed);
    } else {
        size_t at = 0;
        while (at < len) {
            uint32_t r = next_rand(&seed);
            /* Mostly short pieces, sometimes one byte, sometimes long. */
            size_t piece = (r & 3) == 0 ? 1 : (r & 3) == 1 ? 1 + (r >> 8) % 7 : 1 + (r >> 8) % 4096;
            if (piece > len - at) piece = len - at;
            client_feed(&c, req + at, piece, &fed);
            at += piece;
        }
    }
    return client_finish(&c);
}

/* Whether the cut run agrees with the whole one. The "too big" errors are
 * the one legitimate difference: a line without its end is refused once
 * the buffer holds more than maxinline bytes of it, so with the bytes cut
 * the error may come before the rest of the line arrives (Redis does the
 * same). Then the whole run must have done the same up to that point. */
static int same_outcome(const char *whole, const char *cut) {
    const char *toobig = strstr(cut, "ERR:Protocol error: too big ");
    if (toobig == NULL) return strcmp(whole, cut) == 0;
    return strncmp(whole, cut, (size_t)(toobig - cut)) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 5) return 0;
    uint8_t flags = data[0];
    uint32_t seed;
    memcpy(&seed, data + 1, 4);
    seed |= 1; /* never 0: that means "whole" */
    size_t before = zmalloc_used_memory();
    sds whole = run(data + 5, size - 5, flags, 0);
    sds pieces = run(data + 5, size - 5, flags, seed);
    if (!same_outcome(whole, pieces)) {
        fprintf(stderr, "fuzz_resp: whole and cut parses differ\n  whole: %.2000s\n  cut:   %.2000s\n", whole,
                pieces);
        abort();
    }
    sdsfree(whole);
    sdsfree(pieces);
    CHECK(zmalloc_used_memory() == before);
    return 0;
}
