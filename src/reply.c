/* reply.c — building replies: the addReply* family for RESP2 and RESP3.
 *
 * A client's output lives in two places, filled in order:
 *   c->buf    the static buffer allocated with the client; small replies
 *             never allocate. It starts at PROTO_REPLY_CHUNK_BYTES and is
 *             resized only by clientsCron (resizeReplyBuffer), never on the
 *             way of a reply: it shrinks toward PROTO_REPLY_MIN_BYTES when
 *             the client's replies are small and doubles back, once per
 *             visit, when they fill it. c->buf_peak is the most of it used
 *             since the peak was last reset (every REPLY_BUF_PEAK_RESET_MS).
 *   c->reply  a list of clientReplyBlock, used once buf is full or once a
 *             deferred length has been reserved (then everything after it
 *             must follow it in the list, never go back to buf).
 * Nothing here writes to a socket: networking.c drains these buffers from
 * beforeSleep (handleClientsWithPendingWrites).  The first reply added to a
 * client puts it on server.clients_pending_write.
 *
 * Reply types follow the client's protocol (c->resp): a map is `%` in RESP3
 * and an array of twice the length in RESP2, a null is `_` or `$-1`, and so
 * on.  Deferred lengths (aggregates whose size is known only at the end)
 * reserve an empty list node that setDeferred*Len fills in.
 *
 * Error replies also feed the error statistics (INFO errorstats, the
 * command's failed_calls through server.stat.total_error_replies).
 */
#include "server.h"
#include "bigkey.h"
#include "shortcopy.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------- low level */

/* Copies as much of s as fits into the static buffer; returns bytes taken. */
static size_t addToBuffer(client *c, const char *s, size_t len) {
    if (listLength(c->reply) > 0) return 0; /* order: list already in use */
    size_t avail = c->buf_usable_size - c->bufpos;
    size_t n = len < avail ? len : avail;
    copyBytes(c->buf + c->bufpos, s, n);
    c->bufpos += n;
    if (c->bufpos > c->buf_peak) c->buf_peak = c->bufpos;
    return n;
}

/* The size the static buffer should have for the use it has seen: half
 * empty at its peak, it shrinks to just above the peak; filled, it doubles;
 * always between PROTO_REPLY_MIN_BYTES and PROTO_REPLY_CHUNK_BYTES. */
static size_t replyBufferTargetSize(client *c) {
    size_t size = c->buf_usable_size;
    if (c->buf_peak < size / 2 && size > PROTO_REPLY_MIN_BYTES)
        return c->buf_peak + 1 > PROTO_REPLY_MIN_BYTES ? c->buf_peak + 1 : PROTO_REPLY_MIN_BYTES;
    if (c->buf_peak == size && size < PROTO_REPLY_CHUNK_BYTES)
        return size * 2 < PROTO_REPLY_CHUNK_BYTES ? size * 2 : PROTO_REPLY_CHUNK_BYTES;
    return size;
}

void resizeReplyBuffer(client *c) {
    size_t target = replyBufferTargetSize(c);
    if (target != c->buf_usable_size && target > c->bufpos) {
        c->buf = zrealloc(c->buf, target);
        c->buf_usable_size = zmalloc_size(c->buf);
    }
    if (server.mstime - c->buf_peak_last_reset >= REPLY_BUF_PEAK_RESET_MS) {
        c->buf_peak = c->bufpos;
        c->buf_peak_last_reset = server.mstime;
    }
}

/* Appends s to the reply list, filling the tail block first. */
static void addToList(client *c, const char *s, size_t len) {
    listNode *ln = listLast(c->reply);
    clientReplyBlock *tail = ln ? listNodeValue(ln) : NULL;
    if (tail) {
        size_t avail = tail->size - tail->used;
        size_t n = len < avail ? len : avail;
        memcpy(tail->buf + tail->used, s, n);
        tail->used += n;
        s += n;
        len -= n;
    }
    if (len == 0) return;
    size_t size = len < PROTO_REPLY_CHUNK_BYTES ? PROTO_REPLY_CHUNK_BYTES : len;
    tail = zmalloc(sizeof(clientReplyBlock) + size);
    tail->size = zmalloc_size(tail) - sizeof(clientReplyBlock);
    tail->used = len;
    memcpy(tail->buf, s, len);
    listAddNodeTail(c->reply, tail);
    c->reply_bytes += tail->size;
    closeClientOnOutputBufferLimitReached(c, 1);
}

/* Raw protocol bytes appended to the client's output, once
 * prepareClientToWrite has allowed it. */
static void appendProto(client *c, const char *s, size_t len) {
    size_t taken = addToBuffer(c, s, len);
    if (taken < len) addToList(c, s + taken, len - taken);
}

/* Raw protocol bytes appended to the client's output. */
static void addProto(client *c, const char *s, size_t len) {
    if (prepareClientToWrite(c) != C_OK) return;
    appendProto(c, s, len);
}

/* Where need bytes can be written straight into the static buffer (while
 * replies still go there and it has the room), or NULL. A reply built in
 * place is accounted with bufferWrote. */
static inline char *bufferRoom(client *c, size_t need) {
    if (listLength(c->reply) > 0 || c->buf_usable_size - c->bufpos < need) return NULL;
    return c->buf + c->bufpos;
}

static inline void bufferWrote(client *c, size_t n) {
    c->bufpos += n;
    if (c->bufpos > c->buf_peak) c->buf_peak = c->bufpos;
}

void addReplyProto(client *c, const char *s, size_t len) {
    addProto(c, s, len);
}

/* Adds a robj holding protocol text (sds or int encoded). */
void addReply(client *c, robj *obj) {
    if (sdsEncodedObject(obj)) {
        addProto(c, obj->ptr, sdslen(obj->ptr));
    } else if (obj->encoding == OBJ_ENCODING_INT) {
        char buf[32];
        size_t len = ll2string(buf, sizeof(buf), (long)obj->ptr);
        addProto(c, buf, len);
    } else {
        serverPanic("Wrong obj->encoding in addReply()");
    }
}

/* Takes ownership of s: protocol text. */
void addReplySds(client *c, sds s) {
    addProto(c, s, sdslen(s));
    sdsfree(s);
}

/* ------------------------------------------------ lengths and headers */

/* Room a header "<prefix><ll>\r\n" needs: the prefix, 20 characters of
 * the longest number, the terminator ll2string writes, CR LF. */
#define HEADER_ROOM 24

/* Writes "<prefix><ll>\r\n" at d (HEADER_ROOM bytes); returns its length. */
static inline size_t formatHeader(char *d, char prefix, long long ll) {
    size_t n = 1;
    d[0] = prefix;
    if (ll >= 0 && ll < 10)
        d[1] = (char)('0' + ll);
    else
        n = (size_t)ll2string(d + 1, HEADER_ROOM - 3, ll);
    d[n + 1] = '\r';
    d[n + 2] = '\n';
    return n + 3;
}

/* Writes "<prefix><ll>\r\n": in place when the static buffer has room. */
static void addLongLongWithPrefix(client *c, long long ll, char prefix) {
    if (prepareClientToWrite(c) != C_OK) return;
    char *d = bufferRoom(c, HEADER_ROOM);
    if (d) {
        bufferWrote(c, formatHeader(d, prefix, ll));
        return;
    }
    char buf[HEADER_ROOM];
    appendProto(c, buf, formatHeader(buf, prefix, ll));
}

void addReplyLongLong(client *c, long long ll) {
    if (ll == 0)
        addReply(c, shared.czero);
    else if (ll == 1)
        addReply(c, shared.cone);
    else
        addLongLongWithPrefix(c, ll, ':');
}

static void addAggregateLen(client *c, long length, char prefix) {
    serverAssert(length >= 0);
    addLongLongWithPrefix(c, length, prefix);
}

/* bigkey-log-threshold counts the elements of the running command's reply. */
static inline void countReplyElements(client *c, long length) {
    if (bigkeyEnabled() && c == server.current_client) bigkeyCountReply(length);
}

void addReplyArrayLen(client *c, long length) {
    countReplyElements(c, length);
    addAggregateLen(c, length, '*');
}

void addReplyMapLen(client *c, long length) {
    countReplyElements(c, length);
    if (c->resp == 2)
        addAggregateLen(c, length * 2, '*');
    else
        addAggregateLen(c, length, '%');
}

void addReplySetLen(client *c, long length) {
    countReplyElements(c, length);
    addAggregateLen(c, length, c->resp == 2 ? '*' : '~');
}

void addReplyAttributeLen(client *c, long length) {
    serverAssert(c->resp >= 3);
    addAggregateLen(c, length, '|');
}

void addReplyPushLen(client *c, long length) {
    addAggregateLen(c, length, c->resp == 2 ? '*' : '>');
}

/* --------------------------------------------------------- scalars */

void addReplyNull(client *c) {
    if (c->resp == 2)
        addProto(c, "$-1\r\n", 5);
    else
        addProto(c, "_\r\n", 3);
}

void addReplyNullArray(client *c) {
    if (c->resp == 2)
        addProto(c, "*-1\r\n", 5);
    else
        addProto(c, "_\r\n", 3);
}

void addReplyBool(client *c, int b) {
    if (c->resp == 2)
        addReply(c, b ? shared.cone : shared.czero);
    else
        addProto(c, b ? "#t\r\n" : "#f\r\n", 4);
}

/* "$<len>\r\n<bytes>\r\n", built in place in one go when the static buffer
 * has room (the usual case: one permission check and one copy). */
void addReplyBulkCBuffer(client *c, const void *p, size_t len) {
    if (prepareClientToWrite(c) != C_OK) return;
    char *d = bufferRoom(c, HEADER_ROOM + len + 2);
    if (d) {
        size_t h = formatHeader(d, '$', (long long)len);
        copyBytes(d + h, p, len);
        d[h + len] = '\r';
        d[h + len + 1] = '\n';
        bufferWrote(c, h + len + 2);
        return;
    }
    char hdr[HEADER_ROOM];
    appendProto(c, hdr, formatHeader(hdr, '$', (long long)len));
    appendProto(c, p, len);
    appendProto(c, "\r\n", 2);
}

void addReplyBulk(client *c, robj *obj) {
    if (sdsEncodedObject(obj)) {
        addReplyBulkCBuffer(c, obj->ptr, sdslen(obj->ptr));
    } else {
        char buf[32];
        size_t len = ll2string(buf, sizeof(buf), (long)obj->ptr);
        addReplyBulkCBuffer(c, buf, len);
    }
}

/* Takes ownership of s. */
void addReplyBulkSds(client *c, sds s) {
    addReplyBulkCBuffer(c, s, sdslen(s));
    sdsfree(s);
}

/* NULL gives a null reply. */
void addReplyBulkCString(client *c, const char *s) {
    if (s == NULL)
        addReplyNull(c);
    else
        addReplyBulkCBuffer(c, s, strlen(s));
}

void addReplyBulkLongLong(client *c, long long ll) {
    char buf[32];
    int len = ll2string(buf, sizeof(buf), ll);
    addReplyBulkCBuffer(c, buf, len);
}

/* A double: RESP3 ",<d>", RESP2 a bulk string, both as "%.17g" writes it
 * ("inf", "-inf", "nan"; d2string prints integral values without printf). */
void addReplyDouble(client *c, double d) {
    char buf[MAX_D2STRING_CHARS + 4];
    int dlen = d2string(buf + 1, MAX_D2STRING_CHARS, d);
    if (c->resp == 2) {
        addReplyBulkCBuffer(c, buf + 1, (size_t)dlen);
        return;
    }
    buf[0] = ',';
    buf[dlen + 1] = '\r';
    buf[dlen + 2] = '\n';
    addProto(c, buf, (size_t)dlen + 3);
}

/* A long double printed as INCRBYFLOAT does. */
void addReplyHumanLongDouble(client *c, long double d) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    int len = ld2string(buf, sizeof(buf), d, LD_STR_HUMAN);
    if (c->resp == 2) {
        addReplyBulkCBuffer(c, buf, len);
    } else if (prepareClientToWrite(c) == C_OK) {
        appendProto(c, ",", 1);
        appendProto(c, buf, len);
        appendProto(c, "\r\n", 2);
    }
}

void addReplyBigNum(client *c, const char *num, size_t len) {
    if (c->resp == 2) {
        addReplyBulkCBuffer(c, num, len);
    } else if (prepareClientToWrite(c) == C_OK) {
        appendProto(c, "(", 1);
        appendProto(c, num, len);
        appendProto(c, "\r\n", 2);
    }
}

/* Verbatim text: RESP3 "=<len>\r\n<ext>:<text>\r\n", RESP2 a plain bulk.
 * ext is three characters, e.g. "txt". */
void addReplyVerbatim(client *c, const char *s, size_t len, const char *ext) {
    if (c->resp == 2) {
        addReplyBulkCBuffer(c, s, len);
        return;
    }
    char hdr[64];
    int hlen = snprintf(hdr, sizeof(hdr), "=%zu\r\n%.3s:", len + 4, ext);
    if (prepareClientToWrite(c) != C_OK) return;
    appendProto(c, hdr, hlen);
    appendProto(c, s, len);
    appendProto(c, "\r\n", 2);
}

/* A status reply; newlines in the text are not allowed. */
void addReplyStatusLength(client *c, const char *s, size_t len) {
    if (prepareClientToWrite(c) != C_OK) return;
    appendProto(c, "+", 1);
    appendProto(c, s, len);
    appendProto(c, "\r\n", 2);
}

void addReplyStatus(client *c, const char *status) {
    addReplyStatusLength(c, status, strlen(status));
}

/* ----------------------------------------------------------- errors */

/* Counts an error reply: per-code statistics and the total that call() uses
 * to mark a command failed. s is the error text without the leading '-'. */
void afterErrorReply(client *c, const char *s, size_t len) {
    server.stat.total_error_replies++;
    size_t codelen = 0;
    while (codelen < len && s[codelen] != ' ') codelen++;
    incrementErrorCount(s, codelen);
    (void)c;
}

/* An error reply. Text without a leading '-' gets the "ERR " code; CR and LF
 * inside the text become spaces so the protocol stays valid. */
void addReplyErrorLength(client *c, const char *s, size_t len) {
    sds err = sdsempty();
    if (len == 0 || s[0] != '-') err = sdscatlen(err, "-ERR ", 5);
    err = sdscatlen(err, s, len);
    for (size_t j = 0; j < sdslen(err); j++)
        if (err[j] == '\r' || err[j] == '\n') err[j] = ' ';
    err = sdscatlen(err, "\r\n", 2);
    addProto(c, err, sdslen(err));
    afterErrorReply(c, err + 1, sdslen(err) - 3);
    sdsfree(err);
}

void addReplyError(client *c, const char *err) {
    addReplyErrorLength(c, err, strlen(err));
}

/* Takes ownership of err. */
void addReplyErrorSds(client *c, sds err) {
    addReplyErrorLength(c, err, sdslen(err));
    sdsfree(err);
}

/* An error object from `shared`, holding complete protocol text. */
void addReplyErrorObject(client *c, robj *err) {
    addReply(c, err);
    sds s = err->ptr;
    afterErrorReply(c, s + 1, sdslen(s) - 3);
}

void addReplyErrorFormat(client *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sds s = sdscatvprintf(sdsempty(), fmt, ap);
    va_end(ap);
    /* CR and LF at either end are dropped (inside they become spaces). */
    addReplyErrorSds(c, sdstrim(s, "\r\n"));
}

void addReplyErrorArity(client *c) {
    addReplyErrorSds(c, commandArityError(c->cmd));
}

void addReplyErrorExpireTime(client *c) {
    addReplyErrorFormat(c, "invalid expire time in '%s' command", c->cmd->fullname);
}

void addReplyErrorSubcommandSyntax(client *c) {
    sds cmd = sdsnew(c->argv[0]->ptr);
    sdstoupper(cmd);
    addReplyErrorFormat(c, "unknown subcommand or wrong number of arguments for '%.128s'. Try %s HELP.",
                        (char *)c->argv[1]->ptr, cmd);
    sdsfree(cmd);
}

/* ------------------------------------------------- deferred lengths */

/* Reserves a place for an aggregate header whose length is not known yet.
 * Returns an opaque handle for setDeferred*Len; NULL when the client gets
 * no replies (then the setter does nothing). */
void *addReplyDeferredLen(client *c) {
    if (prepareClientToWrite(c) != C_OK) return NULL;
    listAddNodeTail(c->reply, NULL);
    return listLast(c->reply);
}

static void setDeferredLen(client *c, void *node, long length, char prefix) {
    if (node == NULL) return;
    listNode *ln = node;
    char hdr[64];
    int len = snprintf(hdr, sizeof(hdr), "%c%ld\r\n", prefix, length);
    clientReplyBlock *next = ln->next ? listNodeValue(ln->next) : NULL;
    /* Put the header in front of the next block when it has room for it. */
    if (next && next->size - next->used >= (size_t)len && next->used < PROTO_REPLY_CHUNK_BYTES / 4) {
        memmove(next->buf + len, next->buf, next->used);
        memcpy(next->buf, hdr, len);
        next->used += len;
        listDelNode(c->reply, ln);
        return;
    }
    clientReplyBlock *blk = zmalloc(sizeof(clientReplyBlock) + len);
    blk->size = zmalloc_size(blk) - sizeof(clientReplyBlock);
    blk->used = len;
    memcpy(blk->buf, hdr, len);
    listNodeValue(ln) = blk;
    c->reply_bytes += blk->size;
    closeClientOnOutputBufferLimitReached(c, 1);
}

void setDeferredArrayLen(client *c, void *node, long length) {
    countReplyElements(c, length);
    setDeferredLen(c, node, length, '*');
}

void setDeferredMapLen(client *c, void *node, long length) {
    countReplyElements(c, length);
    if (c->resp == 2)
        setDeferredLen(c, node, length * 2, '*');
    else
        setDeferredLen(c, node, length, '%');
}

void setDeferredSetLen(client *c, void *node, long length) {
    countReplyElements(c, length);
    setDeferredLen(c, node, length, c->resp == 2 ? '*' : '~');
}

void setDeferredAttributeLen(client *c, void *node, long length) {
    setDeferredLen(c, node, length, '|');
}

/* --------------------------------------------------------- helpers */

/* Replies the lines of a HELP subcommand as status replies: first the
 * standard "<CMD> <subcommand> ..." line, then the NULL-terminated lines given
 * (the caller passes only its own subcommands), then the closing entry about
 * HELP itself. */
void addReplyHelp(client *c, const char **help) {
    sds first = sdsnew(c->argv[0]->ptr);
    sdstoupper(first);
    first = sdscat(first, " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    void *blen = addReplyDeferredLen(c);
    addReplyStatus(c, first);
    sdsfree(first);
    int count = 0;
    for (; help[count]; count++) addReplyStatus(c, help[count]);
    addReplyStatus(c, "HELP");
    addReplyStatus(c, "    Prints this help.");
    setDeferredArrayLen(c, blen, count + 3);
}

/* Bytes of output held for the client (static buffer plus list). */
size_t clientReplyBytes(client *c) {
    return c->bufpos + c->reply_bytes;
}
