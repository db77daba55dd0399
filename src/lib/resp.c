/* resp.c -- incremental parser of client requests.
 *
 * This file owns the translation of request bytes into an argv of sds.
 * Two request forms exist. A multibulk request starts with '*':
 *
 *     *<count>\r\n  then count times  $<len>\r\n<len bytes>\r\n
 *
 * Anything else is an inline request: one line, ended by "\n" or "\r\n",
 * split into arguments with sdssplitargs() quoting rules.
 *
 * Lines (inline requests, count and length headers) are found the way Redis
 * finds them in its NUL-terminated query buffer: a NUL byte before the end
 * of a line hides the end, so such a line only waits until it is too long.
 * A header is checked (its '$', its digits) only once its line is whole.
 * Counts and lengths are parsed as 64-bit numbers and range-checked before
 * they are narrowed; a count of zero or less is an empty command.
 *
 * The parser is a resumable state machine. The caller passes the bytes it
 * has not yet had consumed; the parser takes every complete unit (count
 * line, bulk header, bulk) it can, reports how many bytes it used, and
 * keeps the partial command in its own state, so a frame may be cut at
 * any byte. Lines are searched with memchr and the parser remembers how
 * far an incomplete line has been searched ('scanned'), so no byte is
 * examined twice however small the reads are. Each argument is copied
 * once into an sds of its final size. A bulk of RESP_BIG_ARG bytes or more
 * that has not fully arrived gets a buffer of its own, grown toward the
 * announced length as bytes come: the caller's buffer never holds it, and
 * the caller may read the rest from the socket straight into it
 * (respBigBulkBuffer / respBigBulkWritten), so it is never copied twice.
 *
 * Limits and error texts are those of Redis 7.0; header lines longer than
 * maxinline without a terminator, bad counts and lengths are errors after
 * which the caller closes the connection. */
#include "resp.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "zmalloc.h"

void respParserInit(respParser *p) {
    memset(p, 0, sizeof(*p));
    p->bulklen = -1;
    p->maxbulklen = RESP_DEFAULT_MAX_BULK;
    p->maxinline = RESP_INLINE_MAX;
    p->maxmultibulk = RESP_MAX_MULTIBULK;
}

static inline sds new_arg(respParser *p, const char *buf, size_t len) {
    return p->argnew ? p->argnew(buf, len) : sdsnewlen(buf, len);
}

static inline void free_arg(respParser *p, sds arg) {
    if (p->argfree)
        p->argfree(arg);
    else
        sdsfree(arg);
}

/* Forget the current command, keeping the argv array for reuse. */
static void clear_command(respParser *p) {
    for (int i = 0; i < p->argc; i++) free_arg(p, p->argv[i]);
    sdsfree(p->bigarg);
    p->bigarg = NULL;
    p->bigread = 0;
    p->argc = 0;
    p->argbytes = 0;
    p->reqtype = 0;
    p->multibulklen = 0;
    p->bulklen = -1;
    p->scanned = 0;
    p->nulline = 0;
    p->complete = 0;
}

void respParserReset(respParser *p) {
    clear_command(p);
    zfree(p->argv);
    p->argv = NULL;
    p->argvcap = 0;
    p->err = NULL;
}

sds *respTakeArgv(respParser *p, int *argc) {
    sds *argv = p->argc ? p->argv : NULL;
    *argc = p->argc;
    if (argv) {
        p->argv = NULL;
        p->argvcap = 0;
        p->argc = 0;
    }
    clear_command(p);
    return argv;
}

void respForgetArgs(respParser *p) {
    p->argc = 0;
    clear_command(p);
}

long long respPendingBulk(const respParser *p) {
    return p->bigarg ? p->bulklen + 2 - p->bigread : 0;
}

static int fail(respParser *p, const char *msg) {
    p->err = msg;
    return RESP_ERR;
}

/* Whether s[0..n) holds a NUL byte. Header lines are a few bytes, where a
 * plain loop beats a call to memchr(). */
static inline int has_nul(const char *s, size_t n) {
    if (n > 32) return memchr(s, '\0', n) != NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\0') return 1;
    return 0;
}

/* Find byte c in buf[from..len) as strchr() would: a NUL byte before it
 * means not found, now and for the rest of the line. Skips what earlier
 * calls searched for the same line. The line start must not move between
 * calls: callers report it as consumed, so it becomes offset 0 of the next
 * buffer. */
static inline const char *find_byte(respParser *p, const char *buf, size_t len, size_t from, char c,
                                     int check_nul) {
    size_t start = from + p->scanned;
    const char *hit = NULL;
    if (!p->nulline && start < len) {
        hit = memchr(buf + start, c, len - start);
        size_t end = hit ? (size_t)(hit - buf) : len;
        if (check_nul && has_nul(buf + start, end - start)) {
            p->nulline = 1;
            hit = NULL;
        }
    }
    p->scanned = hit ? (size_t)(hit - buf) - from : len - from;
    return hit;
}

/* Append an argument (ownership passes to the parser). The array grows by
 * doubling, never past the arguments the count still announces. */
static void push_arg(respParser *p, sds arg) {
    if (p->argc == p->argvcap) {
        long long cap = p->argvcap ? 2LL * p->argvcap : 8;
        long long most = (long long)p->argc + (p->multibulklen > 0 ? p->multibulklen : 1);
        if (cap > most) cap = most;
        p->argv = zrealloc(p->argv, sizeof(sds) * (size_t)cap);
        p->argvcap = (int)cap;
    }
    p->argv[p->argc++] = arg;
    p->argbytes += sdslen(arg);
}

/* ------------------------------------------------------------------ inline */

static int parse_inline(respParser *p, const char *buf, size_t len, size_t *consumed) {
    const char *nl = find_byte(p, buf, len, 0, '\n', 1);
    if (nl == NULL) {
        if (len > p->maxinline) return fail(p, "Protocol error: too big inline request");
        return RESP_NEED_MORE;
    }
    size_t linelen = (size_t)(nl - buf);
    if (linelen && buf[linelen - 1] == '\r') linelen--;
    int argc;
    sds *argv = sdssplitargslen(buf, linelen, &argc);
    if (argv == NULL) return fail(p, "Protocol error: unbalanced quotes in request");
    zfree(p->argv);
    p->argv = argv;
    p->argc = p->argvcap = argc;
    p->argbytes = 0;
    for (int j = 0; j < argc; j++) {
        size_t n = sdslen(argv[j]);
        if (p->argnew && n < RESP_BIG_ARG) { /* made the caller's way, like bulk arguments */
            sds made = p->argnew(argv[j], n);
            sdsfree(argv[j]);
            argv[j] = made;
        }
        p->argbytes += n;
    }
    p->scanned = 0;
    *consumed = (size_t)(nl - buf) + 1;
    return RESP_OK;
}

/* --------------------------------------------------------------- multibulk */

/* Find the "\r\n" ending the header line at buf[from]. Returns RESP_OK with
 * *cr set, RESP_NEED_MORE, or RESP_ERR with toobig as the message. A NUL
 * byte is not looked for here: a header whose line holds one fails to
 * parse, and header_hidden() then says what strchr() would have seen. */
static inline int header_line(respParser *p, const char *buf, size_t len, size_t from, const char **cr,
                              const char *toobig) {
    *cr = find_byte(p, buf, len, from, '\r', 0);
    if (*cr == NULL) return len - from > p->maxinline ? fail(p, toobig) : RESP_NEED_MORE;
    if ((size_t)(*cr - buf) + 2 > len) return RESP_NEED_MORE;
    p->scanned = 0;
    return RESP_OK;
}

/* For a header line buf[from..cr) that did not parse: when it holds a NUL
 * byte, its end is hidden as in a C-string search, so the line never ends
 * (RESP_NEED_MORE, or toobig once past the inline limit). Returns -1 when
 * there is no NUL and the header is simply invalid. */
static int header_hidden(respParser *p, const char *buf, size_t len, size_t from, const char *cr,
                         const char *toobig) {
    if (!has_nul(buf + from, (size_t)(cr - buf) - from)) return -1;
    p->nulline = 1;
    p->scanned = len - from;
    return len - from > p->maxinline ? fail(p, toobig) : RESP_NEED_MORE;
}

/* The common header, whole in buf[from..len): a prefix byte, 1 to 18
 * digits without a leading zero (or the single digit 0) and a '\r' with
 * one more byte after it. Returns the offset of that '\r' and the number
 * in *v, or 0 when the header is anything else (longer, signed, cut, or
 * invalid): the general path, which gives every verdict, takes it then.
 * Eighteen digits cannot overflow, and a line this short can neither be
 * too long nor hide a NUL before its '\r' (a NUL is not a digit). */
static inline size_t short_header(const char *buf, size_t len, size_t from, unsigned long long *v) {
    const char *s = buf + from;
    size_t avail = len - from, end = avail < 20 ? avail : 20, i = 1; /* s[1..18] */
    /* One or two digits, the usual header, without the loop. */
    if (avail >= 5) {
        unsigned d0 = (unsigned char)s[1] - '0', d1 = (unsigned char)s[2] - '0';
        if (d0 <= 9 && s[2] == '\r') {
            *v = d0;
            return from + 2;
        }
        if (d0 - 1 <= 8 && d1 <= 9 && s[3] == '\r') {
            *v = d0 * 10 + d1;
            return from + 3;
        }
    }
    unsigned long long n = 0;
    for (; i < end; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9) break;
        n = n * 10 + d;
    }
    if (i == 1 || i == end || s[i] != '\r' || i + 2 > avail || (s[1] == '0' && i > 2)) return 0;
    *v = n;
    return from + i;
}

/* The count line at buf[0]: RESP_OK with the count in *ll and *pos past
 * the line, RESP_NEED_MORE, or RESP_ERR. */
static int count_line(respParser *p, const char *buf, size_t len, long long *ll, size_t *pos) {
    unsigned long long n;
    size_t at = p->nulline ? 0 : short_header(buf, len, 0, &n);
    if (at && n <= (unsigned long long)p->maxmultibulk && !(p->noauth && n > 10)) {
        *ll = (long long)n;
        *pos = at + 2;
        p->scanned = 0;
        return RESP_OK;
    }
    const char *cr;
    const char *toobig = "Protocol error: too big mbulk count string";
    int rc = header_line(p, buf, len, 0, &cr, toobig);
    if (rc != RESP_OK) return rc;
    if (!string2ll(buf + 1, (size_t)(cr - buf - 1), ll) || *ll > p->maxmultibulk) {
        if ((rc = header_hidden(p, buf, len, 0, cr, toobig)) != -1) return rc;
        return fail(p, "Protocol error: invalid multibulk length");
    }
    if (p->noauth && *ll > 10) return fail(p, "Protocol error: unauthenticated multibulk length");
    *pos = (size_t)(cr - buf) + 2;
    return RESP_OK;
}

static int read_count(respParser *p, const char *buf, size_t len, size_t *pos) {
    long long ll;
    int rc = count_line(p, buf, len, &ll, pos);
    if (rc != RESP_OK) return rc;
    if (ll <= 0) {
        p->multibulklen = 0;
        return RESP_OK;
    }
    p->multibulklen = (long)ll;
    /* Size argv for the count, but trust a big count only as far as
     * RESP_ARGV_RESERVE slots: the arguments themselves will prove it. */
    int slots = ll < RESP_ARGV_RESERVE ? (int)ll : RESP_ARGV_RESERVE;
    if (slots > p->argvcap) {
        zfree(p->argv);
        p->argv = zmalloc(sizeof(sds) * (size_t)slots);
        p->argvcap = slots;
    }
    return RESP_OK;
}

static int read_bulk_header(respParser *p, const char *buf, size_t len, size_t *pos) {
    if (*pos >= len) return RESP_NEED_MORE;
    unsigned long long n;
    size_t at = p->nulline || buf[*pos] != '$' ? 0 : short_header(buf, len, *pos, &n);
    if (at && (long long)n <= p->maxbulklen && !(p->noauth && n > 16384)) {
        *pos = at + 2;
        p->scanned = 0;
        p->bulklen = (long long)n;
        return RESP_OK;
    }
    const char *cr;
    long long ll;
    const char *toobig = "Protocol error: too big bulk count string";
    int rc = header_line(p, buf, len, *pos, &cr, toobig);
    if (rc != RESP_OK) return rc;
    if (buf[*pos] != '$') {
        if ((rc = header_hidden(p, buf, len, *pos, cr, toobig)) != -1) return rc;
        snprintf(p->errbuf, sizeof(p->errbuf), "Protocol error: expected '$', got '%c'", buf[*pos]);
        return fail(p, p->errbuf);
    }
    const char *digits = buf + *pos + 1;
    /* The bound below LLONG_MAX keeps "length + CRLF" representable. */
    if (!string2ll(digits, (size_t)(cr - digits), &ll) || ll < 0 || ll > p->maxbulklen || ll > LLONG_MAX - 2) {
        if ((rc = header_hidden(p, buf, len, *pos, cr, toobig)) != -1) return rc;
        return fail(p, "Protocol error: invalid bulk length");
    }
    if (p->noauth && ll > 16384) return fail(p, "Protocol error: unauthenticated bulk length");
    *pos = (size_t)(cr - buf) + 2;
    p->bulklen = ll;
    return RESP_OK;
}

static void bulk_done(respParser *p, sds arg) {
    push_arg(p, arg);
    p->bulklen = -1;
    p->multibulklen--;
}

/* Make room in the big bulk's buffer for need more bytes (need is at most
 * what the bulk still wants). The buffer doubles toward the announced size,
 * never past it: a bulk that stops arriving holds at most twice what came
 * (and never more than its length), and one that keeps coming is moved
 * about log2(len / RESP_BIG_ARG) times, about one extra copy of it in all.
 * (Growing by a quarter held less but cost 2.7 times the CPU of a whole
 * allocation on 32 MB arguments, doubling 1.6 times.) */
static void big_reserve(respParser *p, size_t need) {
    sds s = p->bigarg;
    if (sdsavail(s) >= need) return;
    size_t total = (size_t)p->bulklen + 2, cap = 2 * sdsalloc(s);
    if (cap < RESP_BIG_ARG) cap = RESP_BIG_ARG;
    if (cap < sdslen(s) + need) cap = sdslen(s) + need;
    if (cap > total) cap = total;
    p->bigarg = sdsMakeRoomForNonGreedy(s, cap - sdslen(s));
}

/* The big bulk has all its bytes (data and CRLF): hand it over. */
static int big_done(respParser *p) {
    sds arg = p->bigarg;
    sdsIncrLen(arg, -2);
    p->bigarg = NULL;
    p->bigread = 0;
    bulk_done(p, arg);
    return RESP_OK;
}

/* Continue filling a big bulk from buf; its trailing CRLF is stored with
 * the data and cut when the bulk is done. */
static int fill_big(respParser *p, const char *buf, size_t len, size_t *pos) {
    long long want = p->bulklen + 2 - p->bigread;
    size_t take = len - *pos;
    if ((long long)take > want) take = (size_t)want;
    if (take) {
        big_reserve(p, take);
        memcpy(p->bigarg + sdslen(p->bigarg), buf + *pos, take);
        sdsIncrLen(p->bigarg, (ssize_t)take);
    }
    p->bigread += (long long)take;
    *pos += take;
    return p->bigread < p->bulklen + 2 ? RESP_NEED_MORE : big_done(p);
}

static int read_bulk_data(respParser *p, const char *buf, size_t len, size_t *pos) {
    if (p->bigarg) return fill_big(p, buf, len, pos);
    size_t need = (size_t)p->bulklen + 2;
    if (len - *pos >= need) {
        bulk_done(p, new_arg(p, buf + *pos, (size_t)p->bulklen));
        *pos += need;
        return RESP_OK;
    }
    if (p->bulklen < RESP_BIG_ARG) return RESP_NEED_MORE;
    p->bigarg = sdsempty();
    p->bigread = 0;
    return fill_big(p, buf, len, pos);
}

/* The run of arguments from buf[pos] whose header is short and whose data
 * is whole in buf, taken in one loop with the state kept in locals (argnew
 * is opaque to the compiler, which would otherwise reload every field of p
 * after each call). Stops, for the general path of parse_multibulk, at the
 * first argument that is not such, and when argv is full. Returns the new
 * position. Precondition: no bulk header pending (p->bulklen == -1). */
static size_t take_whole_bulks(respParser *p, const char *buf, size_t len, size_t pos) {
    long left = p->multibulklen;
    int argc = p->argc;
    size_t bytes = p->argbytes;
    const int cap = p->argvcap;
    const long long maxbulk = p->noauth && p->maxbulklen > 16384 ? 16384 : p->maxbulklen;
    sds *argv = p->argv;
    while (left > 0 && argc < cap && pos < len && buf[pos] == '$') {
        unsigned long long n;
        size_t at = short_header(buf, len, pos, &n);
        if (!at || (long long)n > maxbulk || len - (at + 2) < n + 2) break;
        argv[argc++] = new_arg(p, buf + at + 2, (size_t)n);
        bytes += (size_t)n;
        left--;
        pos = at + 2 + (size_t)n + 2;
    }
    if (argc != p->argc) p->scanned = 0; /* the line searched before is done */
    p->multibulklen = left;
    p->argc = argc;
    p->argbytes = bytes;
    return pos;
}

static int parse_multibulk(respParser *p, const char *buf, size_t len, size_t *consumed) {
    size_t pos = 0;
    int rc = RESP_OK;
    if (p->multibulklen == 0) {
        rc = read_count(p, buf, len, &pos);
        if (rc != RESP_OK || p->multibulklen == 0) {
            *consumed = pos;
            return rc;
        }
    }
    while (p->multibulklen > 0) {
        if (p->bulklen == -1 && !p->nulline) {
            pos = take_whole_bulks(p, buf, len, pos);
            if (p->multibulklen == 0) break;
        }
        if (p->bulklen == -1 && (rc = read_bulk_header(p, buf, len, &pos)) != RESP_OK) break;
        if ((rc = read_bulk_data(p, buf, len, &pos)) != RESP_OK) break;
    }
    *consumed = pos;
    return rc;
}

/* ------------------------------------------------------------------- entry */

int respParse(respParser *p, const char *buf, size_t len, size_t *consumed) {
    *consumed = 0;
    if (p->complete) clear_command(p);
    p->err = NULL;
    if (p->reqtype == 0) {
        if (len == 0) return RESP_NEED_MORE;
        p->reqtype = buf[0] == '*' ? RESP_REQ_MULTIBULK : RESP_REQ_INLINE;
    }
    int rc = p->reqtype == RESP_REQ_INLINE ? parse_inline(p, buf, len, consumed)
                                           : parse_multibulk(p, buf, len, consumed);
    if (rc == RESP_OK) p->complete = 1;
    return rc;
}

/* ------------------------------------------------- reading a big bulk */

#define BIG_MIN_ROOM 4096

char *respBigBulkBuffer(respParser *p, size_t *room) {
    long long want = respPendingBulk(p);
    if (want == 0) {
        *room = 0;
        return NULL;
    }
    /* Never offer a read of a few bytes: a buffer with less room than
     * BIG_MIN_ROOM grows first. */
    size_t least = want < BIG_MIN_ROOM ? (size_t)want : BIG_MIN_ROOM;
    if (sdsavail(p->bigarg) < least) big_reserve(p, least);
    size_t avail = sdsavail(p->bigarg);
    *room = (long long)avail < want ? avail : (size_t)want;
    return p->bigarg + sdslen(p->bigarg);
}

void respBigBulkWritten(respParser *p, size_t n) {
    sdsIncrLen(p->bigarg, (ssize_t)n);
    p->bigread += (long long)n;
}

int respBigBulkFilled(const respParser *p) {
    return p->bigarg && p->bigread == p->bulklen + 2;
}

size_t respHeldMemory(const respParser *p, size_t *argbytes, size_t *bulkused, size_t *bulkfree) {
    size_t args = p->argbytes;
    *argbytes = args;
    *bulkused = p->bigarg ? sdslen(p->bigarg) : 0;
    *bulkfree = p->bigarg ? sdsavail(p->bigarg) : 0;
    return args + sizeof(sds) * (size_t)p->argvcap + (p->bigarg ? sdsAllocSize(p->bigarg) : 0);
}
