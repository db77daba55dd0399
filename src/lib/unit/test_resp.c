/* Unit tests of resp.c: the incremental request parser. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "resp.h"
#include "sds.h"
#include "test.h"
#include "zmalloc.h"

/* A mock client: bytes arrive in chunks into qb, the parser runs after
 * each chunk until it needs more, and every outcome is appended to a
 * transcript ("argc:<repr>,<repr>;" per command, "ERR:<text>;" on error). */
typedef struct mockClient {
    respParser p;
    sds qb;
    sds log;
    int failed;
    long long max_pending; /* largest respPendingBulk() seen */
} mockClient;

static void mock_init(mockClient *c) {
    respParserInit(&c->p);
    c->qb = sdsempty();
    c->log = sdsempty();
    c->failed = 0;
    c->max_pending = 0;
}

static void mock_free(mockClient *c) {
    respParserReset(&c->p);
    sdsfree(c->qb);
    sdsfree(c->log);
}

static void log_command(mockClient *c) {
    int argc;
    sds *argv = respTakeArgv(&c->p, &argc);
    c->log = sdscatfmt(c->log, "%i:", argc);
    for (int i = 0; i < argc; i++) {
        if (i) c->log = sdscatlen(c->log, ",", 1);
        c->log = sdscatrepr(c->log, argv[i], sdslen(argv[i]));
        sdsfree(argv[i]);
    }
    c->log = sdscatlen(c->log, ";", 1);
    zfree(argv);
}

static void mock_feed(mockClient *c, const char *data, size_t len) {
    if (c->failed) return;
    c->qb = sdscatlen(c->qb, data, len);
    for (;;) {
        size_t consumed;
        int rc = respParse(&c->p, c->qb, sdslen(c->qb), &consumed);
        if (consumed > sdslen(c->qb)) {
            c->log = sdscat(c->log, "OVERCONSUMED;");
            c->failed = 1;
            return;
        }
        sdsrange(c->qb, (ssize_t)consumed, -1);
        long long pend = respPendingBulk(&c->p);
        if (pend > c->max_pending) c->max_pending = pend;
        if (rc == RESP_NEED_MORE) return;
        if (rc == RESP_ERR) {
            c->log = sdscatfmt(c->log, "ERR:%s;", c->p.err);
            c->failed = 1;
            return;
        }
        log_command(c);
    }
}

/* Transcript of parsing data cut at the given positions (sorted). */
static sds parse_cut(const char *data, size_t len, const size_t *cuts, int ncuts) {
    mockClient c;
    mock_init(&c);
    size_t from = 0;
    for (int i = 0; i <= ncuts; i++) {
        size_t to = i < ncuts ? cuts[i] : len;
        mock_feed(&c, data + from, to - from);
        from = to;
    }
    if (!c.failed && sdslen(c.qb)) c.log = sdscatfmt(c.log, "LEFT:%U;", (unsigned long long)sdslen(c.qb));
    sds log = sdsdup(c.log);
    mock_free(&c);
    return log;
}

static sds parse_whole(const char *data, size_t len) {
    return parse_cut(data, len, NULL, 0);
}

static sds parse_bytewise(const char *data, size_t len) {
    mockClient c;
    mock_init(&c);
    for (size_t i = 0; i < len; i++) mock_feed(&c, data + i, 1);
    sds log = sdsdup(c.log);
    mock_free(&c);
    return log;
}

/* Parse a C-string buffer whole and compare the transcript. */
#define EXPECT(data, want) \
    do { \
        sds got_ = parse_whole((data), sizeof(data) - 1); \
        ASSERT_STREQ(got_, (want)); \
        sdsfree(got_); \
    } while (0)

/* One parse call on buf; returns rc and fills *consumed. */
static int parse_once(respParser *p, const char *buf, size_t len, size_t *consumed) {
    return respParse(p, buf, len, consumed);
}

static const char pipeline[] =
    "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nva\0ue\r\n"
    "PING\r\n"
    "*0\r\n"
    "*-1\r\n"
    "\r\n"
    "  get \"a b\"  'c'\n"
    "*1\r\n$0\r\n\r\n"
    "*2\r\n$4\r\nECHO\r\n$12\r\nline\r\nbreak!\r\n"
    "set k \"\\x00\\n\"\r\n"
    "*1\r\n$4\r\nQUIT\r\n";

static const char pipeline_log[] =
    "3:\"SET\",\"key\",\"va\\x00ue\";"
    "1:\"PING\";"
    "0:;"
    "0:;"
    "0:;"
    "3:\"get\",\"a b\",\"c\";"
    "1:\"\";"
    "2:\"ECHO\",\"line\\r\\nbreak!\";"
    "3:\"set\",\"k\",\"\\x00\\n\";"
    "1:\"QUIT\";";

static void test_basic(void) {
    TEST("multibulk and inline commands in one pipeline") {
        sds log = parse_whole(pipeline, sizeof(pipeline) - 1);
        ASSERT_STREQ(log, pipeline_log);
        sdsfree(log);
    }
    TEST("one command per call; consumed is exact") {
        respParser p;
        respParserInit(&p);
        const char buf[] = "*1\r\n$4\r\nPING\r\nECHO x\r\n";
        size_t consumed;
        ASSERT_EQ_INT(parse_once(&p, buf, sizeof(buf) - 1, &consumed), RESP_OK);
        ASSERT_EQ_INT(consumed, 14);
        ASSERT_EQ_INT(p.argc, 1);
        ASSERT_EQ_INT(p.reqtype, RESP_REQ_MULTIBULK);
        ASSERT_EQ_INT(parse_once(&p, buf + 14, sizeof(buf) - 1 - 14, &consumed), RESP_OK);
        ASSERT_EQ_INT(consumed, 8);
        ASSERT_EQ_INT(p.argc, 2);
        ASSERT_EQ_INT(p.reqtype, RESP_REQ_INLINE);
        ASSERT_EQ_INT(parse_once(&p, buf, 0, &consumed), RESP_NEED_MORE);
        ASSERT_EQ_INT(consumed, 0);
        respParserReset(&p);
    }
    TEST("respTakeArgv hands over ownership") {
        respParser p;
        respParserInit(&p);
        size_t consumed;
        ASSERT_EQ_INT(parse_once(&p, "*2\r\n$1\r\na\r\n$2\r\nbc\r\n", 19, &consumed), RESP_OK);
        int argc;
        sds *argv = respTakeArgv(&p, &argc);
        ASSERT_EQ_INT(argc, 2);
        ASSERT(argv != NULL);
        ASSERT(p.argv == NULL && p.argc == 0 && p.reqtype == 0);
        if (argv && argc == 2) {
            ASSERT_MEMEQ(argv[0], sdslen(argv[0]), "a", 1);
            ASSERT_MEMEQ(argv[1], sdslen(argv[1]), "bc", 2);
        }
        for (int i = 0; i < argc; i++) sdsfree(argv[i]);
        zfree(argv);
        ASSERT_EQ_INT(parse_once(&p, "*0\r\n", 4, &consumed), RESP_OK);
        argv = respTakeArgv(&p, &argc);
        ASSERT(argv == NULL);
        ASSERT_EQ_INT(argc, 0);
        respParserReset(&p);
    }
    TEST("an untaken command is freed by the next parse") {
        respParser p;
        respParserInit(&p);
        size_t consumed;
        ASSERT_EQ_INT(parse_once(&p, "set a b\n", 8, &consumed), RESP_OK);
        ASSERT_EQ_INT(p.argc, 3);
        ASSERT_EQ_INT(parse_once(&p, "*1\r\n$1\r\nx\r\n", 11, &consumed), RESP_OK);
        ASSERT_EQ_INT(p.argc, 1);
        ASSERT_MEMEQ(p.argv[0], sdslen(p.argv[0]), "x", 1);
        respParserReset(&p);
    }
    TEST("inline forms") {
        EXPECT("PING\n", "1:\"PING\";");
        EXPECT("PING\r\n", "1:\"PING\";");
        EXPECT("\n", "0:;");
        EXPECT("   \r\n", "0:;");
        EXPECT("a\rb\n", "2:\"a\",\"b\";");
        EXPECT("'x y' \"\\t\"\n", "2:\"x y\",\"\\t\";");
        EXPECT("PING", "LEFT:4;");
    }
    TEST("multibulk forms") {
        EXPECT("*0\r\n", "0:;");
        EXPECT("*-1\r\n", "0:;");
        EXPECT("*-100\r\n", "0:;");
        EXPECT("*1\r\n$0\r\n\r\n", "1:\"\";");
        EXPECT("*1\r\n$3\r\na\r\n\r\n", "1:\"a\\r\\n\";");
        EXPECT("*2\r\n$1\r\n*\r\n$1\r\n$\r\n", "2:\"*\",\"$\";");
        EXPECT("*1\r\n$3\r\nabc", "LEFT:3;");
        EXPECT("*1\r\n$3\r\nabc\r", "LEFT:4;");
        EXPECT("*1\r\n$3\r\nabcXY", "1:\"abc\";");
    }
}

static void test_errors(void) {
    TEST("multibulk count errors") {
        EXPECT("*abc\r\n", "ERR:Protocol error: invalid multibulk length;");
        EXPECT("*\r\n", "ERR:Protocol error: invalid multibulk length;");
        EXPECT("*+1\r\n", "ERR:Protocol error: invalid multibulk length;");
        EXPECT("*01\r\n", "ERR:Protocol error: invalid multibulk length;");
        EXPECT("*1 \r\n", "ERR:Protocol error: invalid multibulk length;");
        EXPECT("*2147483648\r\n", "ERR:Protocol error: invalid multibulk length;");
        EXPECT("*3000000000\r\n", "ERR:Protocol error: invalid multibulk length;");
        EXPECT("*9223372036854775807\r\n", "ERR:Protocol error: invalid multibulk length;");
        EXPECT("*99999999999999999999\r\n", "ERR:Protocol error: invalid multibulk length;");
        EXPECT("*-9223372036854775809\r\n", "ERR:Protocol error: invalid multibulk length;");
        EXPECT("*1048577\r\n", "");
        EXPECT("*2147483647\r\n", "");
    }
    TEST("a count of zero or less is an empty command, whatever its size") {
        const char *counts[] = {"*0\r\n", "*-1\r\n", "*-2147483648\r\n", "*-2147483649\r\n",
                                "*-4294967297\r\n", "*-9223372036854775808\r\n"};
        for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
            for (int noauth = 0; noauth <= 1; noauth++) {
                respParser p;
                respParserInit(&p);
                p.noauth = noauth;
                size_t consumed;
                size_t mem = zmalloc_used_memory();
                ASSERT_EQ_INT(parse_once(&p, counts[k], strlen(counts[k]), &consumed), RESP_OK);
                ASSERT_EQ_INT(consumed, strlen(counts[k]));
                ASSERT_EQ_INT(p.argc, 0);
                ASSERT_EQ_INT(p.argvcap, 0);
                ASSERT_EQ_INT(zmalloc_used_memory(), mem);
                /* The connection goes on: the next command parses. */
                ASSERT_EQ_INT(parse_once(&p, "PING\r\n", 6, &consumed), RESP_OK);
                ASSERT_EQ_INT(p.argc, 1);
                respParserReset(&p);
            }
        }
    }
    TEST("a big count reserves only RESP_ARGV_RESERVE slots") {
        respParser p;
        respParserInit(&p);
        size_t consumed;
        ASSERT_EQ_INT(parse_once(&p, "*2147483647\r\n", 13, &consumed), RESP_NEED_MORE);
        ASSERT_EQ_INT(p.multibulklen, 2147483647);
        ASSERT_EQ_INT(p.argvcap, RESP_ARGV_RESERVE);
        respParserReset(&p);
    }
    TEST("1,100,000 arguments: argv grows as they arrive, to their exact count") {
        int n = 1100000;
        sds req = sdscatfmt(sdsempty(), "*%i\r\n", n);
        for (int i = 0; i < n; i++) req = sdscatlen(req, "$1\r\na\r\n", 7);
        respParser p;
        respParserInit(&p);
        size_t consumed;
        ASSERT_EQ_INT(parse_once(&p, req, sdslen(req), &consumed), RESP_OK);
        ASSERT_EQ_INT(consumed, sdslen(req));
        ASSERT_EQ_INT(p.argc, n);
        ASSERT_EQ_INT(p.argvcap, n);
        respParserReset(&p);
        sdsfree(req);
    }
    TEST("bulk header errors") {
        EXPECT("*1\r\nx\r\n", "ERR:Protocol error: expected '$', got 'x';");
        EXPECT("*1\r\nx\rA", "ERR:Protocol error: expected '$', got 'x';");
        EXPECT("*2\r\n$1\r\na\r\n:1\r\n", "ERR:Protocol error: expected '$', got ':';");
        EXPECT("*2\r\n$1\r\na\r\n\r\n", "ERR:Protocol error: expected '$', got '\r';");
        EXPECT("*1\r\n$9223372036854775807\r\n", "ERR:Protocol error: invalid bulk length;");
        EXPECT("*1\r\n$9223372036854775808\r\n", "ERR:Protocol error: invalid bulk length;");
        EXPECT("*1\r\n$-9223372036854775808\r\n", "ERR:Protocol error: invalid bulk length;");
        EXPECT("*1\r\n$-2147483649\r\n", "ERR:Protocol error: invalid bulk length;");
        EXPECT("*1\r\n$4294967297\r\n", "ERR:Protocol error: invalid bulk length;");
        EXPECT("*1\r\n$-1\r\n", "ERR:Protocol error: invalid bulk length;");
        EXPECT("*1\r\n$abc\r\n", "ERR:Protocol error: invalid bulk length;");
        EXPECT("*1\r\n$\r\n", "ERR:Protocol error: invalid bulk length;");
        EXPECT("*1\r\n$01\r\n", "ERR:Protocol error: invalid bulk length;");
        EXPECT("*1\r\n$536870913\r\n", "ERR:Protocol error: invalid bulk length;");
    }
    TEST("a header line is judged only when whole") {
        EXPECT("*1\r\nx", "LEFT:1;");
        EXPECT("*1\r\nx\r", "LEFT:2;");
        EXPECT("*1\r\nxyz", "LEFT:3;");
        EXPECT("*3", "LEFT:2;");
        EXPECT("*1\r\n$10", "LEFT:3;");
        EXPECT("*1\r\n$abc", "LEFT:4;");
    }
    TEST("a NUL byte hides the end of a line") {
        EXPECT("PING\0\r\n", "LEFT:7;");
        EXPECT("PI\0NG\nPING\n", "LEFT:11;");
        EXPECT("*1\0\r\n$4\r\nPING\r\n", "LEFT:15;");
        EXPECT("*1\r\n$4\0\r\nPING\r\n", "LEFT:11;");
        EXPECT("*1\r\nx\0\r\n", "LEFT:4;");
        /* NUL bytes inside a bulk are data. */
        EXPECT("*1\r\n$3\r\n\0\r\0\r\n", "1:\"\\x00\\r\\x00\";");
        /* Such a line errors once it is longer than maxinline. */
        size_t n = 70000;
        char *buf = malloc(n);
        memset(buf, 'a', n);
        memcpy(buf, "PING\0\r\n", 7);
        sds log = parse_whole(buf, RESP_INLINE_MAX);
        ASSERT_STREQ(log, "LEFT:65536;");
        sdsfree(log);
        log = parse_whole(buf, RESP_INLINE_MAX + 1);
        ASSERT_STREQ(log, "ERR:Protocol error: too big inline request;");
        sdsfree(log);
        log = parse_bytewise(buf, n);
        ASSERT_STREQ(log, "ERR:Protocol error: too big inline request;");
        sdsfree(log);
        memcpy(buf, "*1\r\n$3\0\r\n", 10);
        log = parse_whole(buf, n);
        ASSERT_STREQ(log, "ERR:Protocol error: too big bulk count string;");
        sdsfree(log);
        memset(buf, 'a', n);
        memcpy(buf, "*1\r\nx", 5);
        log = parse_whole(buf, n);
        ASSERT_STREQ(log, "ERR:Protocol error: too big bulk count string;");
        sdsfree(log);
        free(buf);
    }
    TEST("maxbulklen is honoured") {
        respParser p;
        respParserInit(&p);
        p.maxbulklen = 3;
        size_t consumed;
        ASSERT_EQ_INT(parse_once(&p, "*1\r\n$3\r\nabc\r\n", 13, &consumed), RESP_OK);
        ASSERT_EQ_INT(parse_once(&p, "*1\r\n$4\r\nabcd\r\n", 14, &consumed), RESP_ERR);
        ASSERT_STREQ(p.err, "Protocol error: invalid bulk length");
        respParserReset(&p);
    }
    TEST("header lengths of 18, 19 and 20 digits (the short-header path's edge)") {
        const char *heads[] = {"*1\r\n$999999999999999999\r\n", "*1\r\n$1000000000000000000\r\n",
                               "*1\r\n$9223372036854775805\r\n", "*1\r\n$9223372036854775806\r\n",
                               "*1\r\n$9999999999999999999\r\n", "*1\r\n$18446744073709551616\r\n"};
        const int ok[] = {1, 1, 1, 0, 0, 0};
        const long long lens[] = {999999999999999999LL, 1000000000000000000LL, 9223372036854775805LL, 0, 0, 0};
        for (size_t k = 0; k < sizeof(heads) / sizeof(heads[0]); k++) {
            respParser p;
            respParserInit(&p);
            p.maxbulklen = LLONG_MAX - 2;
            size_t consumed;
            int rc = parse_once(&p, heads[k], strlen(heads[k]), &consumed);
            ASSERT_EQ_INT(rc, ok[k] ? RESP_NEED_MORE : RESP_ERR);
            if (ok[k]) {
                ASSERT(p.bulklen == lens[k]);
                ASSERT_EQ_INT(consumed, strlen(heads[k]));
            } else {
                ASSERT_STREQ(p.err, "Protocol error: invalid bulk length");
            }
            respParserReset(&p);
        }
        /* A '\r' as the buffer's last byte is not a whole line yet. */
        EXPECT("*1\r\n$3\r", "LEFT:3;");
        EXPECT("*2\r", "LEFT:3;");
        EXPECT("*1\r\n$00\r\n", "ERR:Protocol error: invalid bulk length;");
        EXPECT("*00\r\n", "ERR:Protocol error: invalid multibulk length;");
        EXPECT("*1\r\n$0\r\n\r\n", "1:\"\";");
        /* A header first seen cut ("$3" searched to its end), then taken
         * whole by the fast path: the next line is searched from its start
         * (a stale search offset once hid the error below). */
        const char req[] = "*3\r\n$3\r\nSET\r\n$3\r\nkey\rey\r\n";
        size_t cuts[] = {14, 16};
        sds log = parse_cut(req, sizeof(req) - 1, cuts, 2);
        ASSERT_STREQ(log, "ERR:Protocol error: expected '$', got 'y';");
        sdsfree(log);
    }
    TEST("unauthenticated limits") {
        respParser p;
        respParserInit(&p);
        p.noauth = 1;
        size_t consumed;
        ASSERT_EQ_INT(parse_once(&p, "*10\r\n", 5, &consumed), RESP_NEED_MORE);
        respParserReset(&p);
        ASSERT_EQ_INT(parse_once(&p, "*-2147483649\r\n", 15, &consumed), RESP_OK);
        ASSERT_EQ_INT(p.argvcap, 0);
        respParserReset(&p);
        ASSERT_EQ_INT(parse_once(&p, "*11\r\n", 5, &consumed), RESP_ERR);
        ASSERT_STREQ(p.err, "Protocol error: unauthenticated multibulk length");
        respParserReset(&p);
        ASSERT_EQ_INT(parse_once(&p, "*1\r\n$16384\r\n", 12, &consumed), RESP_NEED_MORE);
        respParserReset(&p);
        ASSERT_EQ_INT(parse_once(&p, "*1\r\n$16385\r\n", 12, &consumed), RESP_ERR);
        ASSERT_STREQ(p.err, "Protocol error: unauthenticated bulk length");
        respParserReset(&p);
    }
    TEST("over-long lines") {
        size_t n = 70000;
        char *buf = malloc(n + 16);
        /* count line */
        buf[0] = '*';
        memset(buf + 1, '1', n);
        sds log = parse_whole(buf, 1 + 1000);
        ASSERT_STREQ(log, "LEFT:1001;");
        sdsfree(log);
        log = parse_whole(buf, 1 + 65536);
        ASSERT_STREQ(log, "ERR:Protocol error: too big mbulk count string;");
        sdsfree(log);
        log = parse_whole(buf, 65536);
        ASSERT_STREQ(log, "LEFT:65536;");
        sdsfree(log);
        log = parse_bytewise(buf, 1 + n);
        ASSERT_STREQ(log, "ERR:Protocol error: too big mbulk count string;");
        sdsfree(log);
        /* bulk length line */
        memcpy(buf, "*1\r\n$", 5);
        memset(buf + 5, '1', n);
        log = parse_whole(buf, 5 + n);
        ASSERT_STREQ(log, "ERR:Protocol error: too big bulk count string;");
        sdsfree(log);
        /* inline */
        memset(buf, 'a', n);
        log = parse_whole(buf, n);
        ASSERT_STREQ(log, "ERR:Protocol error: too big inline request;");
        sdsfree(log);
        log = parse_whole(buf, 65536);
        ASSERT_STREQ(log, "LEFT:65536;");
        sdsfree(log);
        /* a long inline line is fine when its newline is there */
        buf[n] = '\n';
        log = parse_whole(buf, n + 1);
        ASSERT_EQ_INT(sdslen(log), 2 + 2 + n + 1);
        sdsfree(log);
        free(buf);
    }
    TEST("inline quoting errors") {
        EXPECT("set \"a\r\n", "ERR:Protocol error: unbalanced quotes in request;");
        EXPECT("set 'a\n", "ERR:Protocol error: unbalanced quotes in request;");
        EXPECT("set \"a\"b\n", "ERR:Protocol error: unbalanced quotes in request;");
        EXPECT("PING\nset \"a\n", "1:\"PING\";ERR:Protocol error: unbalanced quotes in request;");
    }
}

static void test_splits(void) {
    size_t len = sizeof(pipeline) - 1;
    TEST("pipeline cut at every byte position") {
        int bad = 0;
        for (size_t i = 0; i <= len; i++) {
            sds log = parse_cut(pipeline, len, &i, 1);
            if (strcmp(log, pipeline_log) != 0) bad++;
            sdsfree(log);
        }
        ASSERT_EQ_INT(bad, 0);
    }
    TEST("pipeline cut at every pair of positions") {
        int bad = 0;
        for (size_t i = 0; i <= len; i++) {
            for (size_t j = i; j <= len; j++) {
                size_t cuts[2] = {i, j};
                sds log = parse_cut(pipeline, len, cuts, 2);
                if (strcmp(log, pipeline_log) != 0) bad++;
                sdsfree(log);
            }
        }
        ASSERT_EQ_INT(bad, 0);
    }
    TEST("pipeline fed one byte at a time") {
        sds log = parse_bytewise(pipeline, len);
        ASSERT_STREQ(log, pipeline_log);
        sdsfree(log);
    }
    TEST("errors are the same however the bytes arrive") {
        const char *bad[] = {"*1\r\n$3\r\nfoo\r\n*1\r\nx\r\n", "*1\r\n$3\r\nfoo\r\n*1\r\n$-5\r\n",
                             "PING\r\n*x\r\n", "PING\r\nset \"x\r\n"};
        for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
            size_t blen = strlen(bad[k]);
            sds want = parse_whole(bad[k], blen);
            ASSERT(strstr(want, "ERR:") != NULL);
            int diff = 0;
            for (size_t i = 0; i <= blen; i++) {
                sds log = parse_cut(bad[k], blen, &i, 1);
                diff += strcmp(log, want) != 0;
                sdsfree(log);
            }
            sds bw = parse_bytewise(bad[k], blen);
            diff += strcmp(bw, want) != 0;
            sdsfree(bw);
            ASSERT_EQ_INT(diff, 0);
            sdsfree(want);
        }
    }
}

/* "*2\r\n$4\r\nPUSH\r\n$<n>\r\n<n pattern bytes>\r\n*1\r\n$4\r\nPING\r\n" */
static sds big_request(size_t n) {
    sds r = sdscatfmt(sdsempty(), "*2\r\n$4\r\nPUSH\r\n$%U\r\n", (unsigned long long)n);
    size_t at = sdslen(r);
    r = sdsMakeRoomFor(r, n + 32);
    for (size_t i = 0; i < n; i++) r[at + i] = (char)('a' + i % 26);
    sdsIncrLen(r, (ssize_t)n);
    return sdscat(r, "\r\n*1\r\n$4\r\nPING\r\n");
}

static int big_arg_ok(sds a, size_t n) {
    if (sdslen(a) != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (a[i] != (char)('a' + i % 26)) return 0;
    return 1;
}

static void test_big(void) {
    TEST("big bulk arriving in pieces is filled in place") {
        size_t n = 100000;
        sds req = big_request(n);
        size_t hdr = 4 + 10 + 9; /* "*2\r\n" "$4\r\nPUSH\r\n" "$100000\r\n" */
        respParser p;
        respParserInit(&p);
        size_t consumed;
        ASSERT_EQ_INT(parse_once(&p, req, hdr + 1000, &consumed), RESP_NEED_MORE);
        ASSERT_EQ_INT(consumed, hdr + 1000);
        ASSERT_EQ_INT(respPendingBulk(&p), (long long)n + 2 - 1000);
        ASSERT_EQ_INT(parse_once(&p, req + hdr + 1000, n - 1000 + 1, &consumed), RESP_NEED_MORE);
        ASSERT_EQ_INT(consumed, n - 1000 + 1);
        ASSERT_EQ_INT(respPendingBulk(&p), 1);
        size_t rest = sdslen(req) - hdr - n - 1;
        ASSERT_EQ_INT(parse_once(&p, req + hdr + n + 1, rest, &consumed), RESP_OK);
        ASSERT_EQ_INT(consumed, 1);
        ASSERT_EQ_INT(respPendingBulk(&p), 0);
        ASSERT_EQ_INT(p.argc, 2);
        if (p.argc == 2) {
            ASSERT(big_arg_ok(p.argv[1], n));
            /* One exact request; jemalloc's size classes may round it up
             * by up to a quarter. */
            ASSERT(zmalloc_size(sdsAllocPtr(p.argv[1])) < n + n / 4 + 64);
        }
        respParserReset(&p);
        sdsfree(req);
    }
    TEST("small bulk waits in the caller's buffer") {
        respParser p;
        respParserInit(&p);
        size_t consumed;
        ASSERT_EQ_INT(parse_once(&p, "*1\r\n$100\r\nabc", 13, &consumed), RESP_NEED_MORE);
        ASSERT_EQ_INT(consumed, 10);
        ASSERT_EQ_INT(respPendingBulk(&p), 0);
        ASSERT_EQ_INT(p.bulklen, 100);
        respParserReset(&p);
    }
    TEST("big bulk at every chunk size") {
        size_t n = 40000;
        sds req = big_request(n);
        size_t chunks[] = {1, 7, 4096, 16384, 32768, 39999, 40000, 40001, 40030, 65536};
        int bad = 0;
        for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
            mockClient c;
            mock_init(&c);
            for (size_t at = 0; at < sdslen(req); at += chunks[k]) {
                size_t take = sdslen(req) - at < chunks[k] ? sdslen(req) - at : chunks[k];
                mock_feed(&c, req + at, take);
                /* Only header bytes of a big bulk ever wait in the buffer. */
                if (sdslen(c.qb) > chunks[k] + 64 && sdslen(c.qb) > 64) bad++;
            }
            if (sdslen(c.log) != 2 + 7 + n + 2 + 1 + 9) bad++;
            /* Pending is reported only while the bulk is incomplete. */
            if (chunks[k] < n && c.max_pending <= 0) bad++;
            if (chunks[k] > n + 30 && c.max_pending != 0) bad++;
            if (c.max_pending > (long long)n + 2) bad++;
            mock_free(&c);
        }
        ASSERT_EQ_INT(bad, 0);
        sdsfree(req);
    }
    TEST("big bulk cut at positions around its edges") {
        size_t n = RESP_BIG_ARG;
        sds req = big_request(n);
        sds want = parse_whole(req, sdslen(req));
        ASSERT(strstr(want, "PING") != NULL);
        int bad = 0;
        size_t len = sdslen(req);
        for (size_t i = 0; i <= len; i++) {
            if (i > 40 && i < len - 40 && i % 997) continue;
            sds log = parse_cut(req, len, &i, 1);
            bad += strcmp(log, want) != 0;
            sdsfree(log);
        }
        ASSERT_EQ_INT(bad, 0);
        sdsfree(want);
        sdsfree(req);
    }
    TEST("reset in the middle of a big bulk frees it") {
        sds req = big_request(50000);
        respParser p;
        respParserInit(&p);
        size_t consumed;
        ASSERT_EQ_INT(parse_once(&p, req, 30000, &consumed), RESP_NEED_MORE);
        ASSERT(respPendingBulk(&p) > 0);
        respParserReset(&p);
        ASSERT_EQ_INT(respPendingBulk(&p), 0);
        ASSERT_EQ_INT(parse_once(&p, "PING\n", 5, &consumed), RESP_OK);
        respParserReset(&p);
        sdsfree(req);
    }
}

/* A reader that writes the rest of a big bulk straight into the
 * argument's buffer, `step` bytes at a time, the way networking.c reads a
 * socket. Returns the parse result of the call that finishes the bulk. */
static int read_direct(respParser *p, const char *src, size_t n, size_t step, size_t *maxroom) {
    size_t at = 0, room;
    char *dst;
    *maxroom = 0;
    while ((dst = respBigBulkBuffer(p, &room)) != NULL) {
        if (room > *maxroom) *maxroom = room;
        size_t take = room < step ? room : step;
        if (take > n - at) take = n - at;
        memcpy(dst, src + at, take);
        respBigBulkWritten(p, take);
        at += take;
    }
    size_t consumed;
    return respBigBulkFilled(p) ? respParse(p, "", 0, &consumed) : -1;
}

static void test_big_direct(void) {
    TEST("big bulk read straight into its buffer") {
        size_t n = 300000;
        sds req = big_request(n);
        size_t hdr = 4 + 10 + 9; /* ... "$300000\r\n" */
        respParser p;
        respParserInit(&p);
        size_t consumed, room, maxroom, argbytes, used, freeb;
        ASSERT(respBigBulkBuffer(&p, &room) == NULL && room == 0);
        ASSERT_EQ_INT(parse_once(&p, req, hdr + 100, &consumed), RESP_NEED_MORE);
        ASSERT_EQ_INT(consumed, hdr + 100);
        respHeldMemory(&p, &argbytes, &used, &freeb);
        ASSERT_EQ_INT(argbytes, 4);
        ASSERT_EQ_INT(used, 100);
        ASSERT_EQ_INT(respBigBulkFilled(&p), 0);
        ASSERT_EQ_INT(read_direct(&p, req + hdr + 100, n + 2 - 100, 7000, &maxroom), RESP_OK);
        ASSERT(maxroom <= n + 2 - 100);
        ASSERT(maxroom >= 4096);
        ASSERT_EQ_INT(p.argc, 2);
        if (p.argc == 2) {
            ASSERT(big_arg_ok(p.argv[1], n));
            ASSERT(zmalloc_size(sdsAllocPtr(p.argv[1])) < n + n / 4 + 64);
        }
        respHeldMemory(&p, &argbytes, &used, &freeb);
        ASSERT_EQ_INT(used, 0);
        ASSERT_EQ_INT(freeb, 0);
        /* The next command follows in the caller's buffer. */
        ASSERT_EQ_INT(parse_once(&p, req + hdr + n + 2, sdslen(req) - hdr - n - 2, &consumed), RESP_OK);
        ASSERT_EQ_INT(p.argc, 1);
        respParserReset(&p);
        sdsfree(req);
    }
    TEST("a stalled big bulk holds little more than what arrived") {
        size_t n = 4 * 1024 * 1024;
        sds req = big_request(n);
        size_t hdr = 4 + 10 + 10;
        respParser p;
        respParserInit(&p);
        size_t consumed, maxroom, argbytes, used, freeb;
        ASSERT_EQ_INT(parse_once(&p, req, hdr, &consumed), RESP_NEED_MORE);
        /* Half of it comes, in socket-sized pieces, then nothing. */
        size_t at = 0, room;
        char *dst;
        while (at < n / 2 && (dst = respBigBulkBuffer(&p, &room)) != NULL) {
            size_t take = room < 65536 ? room : 65536;
            if (take > n / 2 - at) take = n / 2 - at;
            memcpy(dst, req + hdr + at, take);
            respBigBulkWritten(&p, take);
            at += take;
        }
        size_t held = respHeldMemory(&p, &argbytes, &used, &freeb);
        ASSERT_EQ_INT(used, n / 2);
        ASSERT(held <= 2 * (n / 2) + 4096);
        ASSERT_EQ_INT(respPendingBulk(&p), (long long)(n + 2 - n / 2));
        ASSERT_EQ_INT(read_direct(&p, req + hdr + n / 2, n + 2 - n / 2, 1 << 20, &maxroom), RESP_OK);
        ASSERT(p.argc == 2 && big_arg_ok(p.argv[1], n));
        respParserReset(&p);
        sdsfree(req);
    }
    TEST("direct reads mixed with buffer feeds") {
        size_t n = 100000;
        sds req = big_request(n);
        size_t hdr = 4 + 10 + 9;
        respParser p;
        respParserInit(&p);
        size_t consumed, room, at = hdr + 5000;
        ASSERT_EQ_INT(parse_once(&p, req, at, &consumed), RESP_NEED_MORE);
        char *dst = respBigBulkBuffer(&p, &room);
        ASSERT(dst != NULL && room > 0);
        size_t take = room < 20000 ? room : 20000;
        memcpy(dst, req + at, take);
        respBigBulkWritten(&p, take);
        at += take;
        ASSERT_EQ_INT(parse_once(&p, req + at, 30000, &consumed), RESP_NEED_MORE);
        ASSERT_EQ_INT(consumed, 30000);
        at += consumed;
        ASSERT_EQ_INT(parse_once(&p, req + at, sdslen(req) - at, &consumed), RESP_OK);
        ASSERT(p.argc == 2 && big_arg_ok(p.argv[1], n));
        at += consumed;
        ASSERT_EQ_INT(parse_once(&p, req + at, sdslen(req) - at, &consumed), RESP_OK);
        ASSERT_EQ_INT(p.argc, 1);
        respParserReset(&p);
        sdsfree(req);
    }
    TEST("reset while a direct read is pending frees the buffer") {
        sds req = big_request(50000);
        respParser p;
        respParserInit(&p);
        size_t consumed, room;
        /* The header ("*2\r\n$4\r\nPUSH\r\n$50000\r\n") came alone: the
         * first read is offered real room. */
        ASSERT_EQ_INT(parse_once(&p, req, 22, &consumed), RESP_NEED_MORE);
        ASSERT_EQ_INT(consumed, 22);
        ASSERT(respBigBulkBuffer(&p, &room) != NULL);
        ASSERT(room >= 4096);
        respParserReset(&p);
        ASSERT(respBigBulkBuffer(&p, &room) == NULL);
        ASSERT_EQ_INT(respBigBulkFilled(&p), 0);
        sdsfree(req);
    }
}

static void test_scanning(void) {
    TEST("an incomplete line is not searched twice") {
        respParser p;
        respParserInit(&p);
        size_t consumed;
        ASSERT_EQ_INT(parse_once(&p, "*12", 3, &consumed), RESP_NEED_MORE);
        ASSERT_EQ_INT(p.scanned, 3);
        ASSERT_EQ_INT(parse_once(&p, "*123", 4, &consumed), RESP_NEED_MORE);
        ASSERT_EQ_INT(p.scanned, 4);
        ASSERT_EQ_INT(parse_once(&p, "*123\r", 5, &consumed), RESP_NEED_MORE);
        ASSERT_EQ_INT(p.scanned, 4);
        ASSERT_EQ_INT(parse_once(&p, "*123\r\n", 6, &consumed), RESP_NEED_MORE);
        ASSERT_EQ_INT(consumed, 6);
        ASSERT_EQ_INT(p.scanned, 0);
        ASSERT_EQ_INT(p.multibulklen, 123);
        /* The parser trusts the scanned bytes: a '\r' placed there now is
         * not seen, which proves they were skipped. */
        respParserReset(&p);
        ASSERT_EQ_INT(parse_once(&p, "PIN", 3, &consumed), RESP_NEED_MORE);
        ASSERT_EQ_INT(parse_once(&p, "P\nNG\n", 5, &consumed), RESP_OK);
        ASSERT_EQ_INT(consumed, 5);
        ASSERT_EQ_INT(p.argc, 2);
        respParserReset(&p);
    }
    TEST("megabyte inline line fed in small pieces stays linear") {
        size_t n = 60000;
        char *line = malloc(n + 1);
        memset(line, 'x', n);
        line[n] = '\n';
        respParser p;
        respParserInit(&p);
        size_t consumed;
        int rc = RESP_NEED_MORE;
        for (size_t have = 1; have <= n + 1 && rc == RESP_NEED_MORE; have++)
            rc = parse_once(&p, line, have, &consumed);
        ASSERT_EQ_INT(rc, RESP_OK);
        ASSERT_EQ_INT(consumed, n + 1);
        ASSERT_EQ_INT(p.argc, 1);
        if (p.argc == 1) ASSERT_EQ_INT(sdslen(p.argv[0]), n);
        respParserReset(&p);
        free(line);
    }
    TEST("argbytes sums the arguments held, multibulk and inline") {
        respParser p;
        respParserInit(&p);
        size_t consumed, argbytes, used, freeb;
        const char *part = "*3\r\n$3\r\nSET\r\n$5\r\nkey01\r\n";
        ASSERT_EQ_INT(parse_once(&p, part, strlen(part), &consumed), RESP_NEED_MORE);
        ASSERT_EQ_INT(p.argbytes, 8);
        respHeldMemory(&p, &argbytes, &used, &freeb);
        ASSERT_EQ_INT(argbytes, 8);
        ASSERT_EQ_INT(parse_once(&p, "$2\r\nab\r\n", 8, &consumed), RESP_OK);
        ASSERT_EQ_INT(p.argbytes, 10);
        int argc;
        sds *argv = respTakeArgv(&p, &argc);
        ASSERT_EQ_INT(p.argbytes, 0);
        for (int j = 0; j < argc; j++) sdsfree(argv[j]);
        zfree(argv);
        ASSERT_EQ_INT(parse_once(&p, "get abc\n", 8, &consumed), RESP_OK);
        ASSERT_EQ_INT(p.argbytes, 6);
        for (int j = 0; j < p.argc; j++) sdsfree(p.argv[j]); /* taken over, as respForgetArgs expects */
        respForgetArgs(&p);
        ASSERT_EQ_INT(p.argbytes, 0);
        respParserReset(&p);
    }
}

int main(void) {
    size_t before = zmalloc_used_memory();
    test_basic();
    test_errors();
    test_splits();
    test_big();
    test_big_direct();
    test_scanning();
    TEST("no memory left behind") {
        ASSERT_EQ_INT(zmalloc_used_memory(), before);
    }
    return TEST_REPORT();
}
