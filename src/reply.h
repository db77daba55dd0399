/* reply.h — building a client's reply (reply.c).
 *
 * Every addReply* call appends RESP to the client's static buffer or, when
 * it is full, to its reply list; nothing is written to the socket here
 * (networking.c does that before the loop sleeps). The forms that take an
 * sds take ownership of it. A length not known in advance is reserved with
 * addReplyDeferredLen and filled in with setDeferred*Len. The RESP2/RESP3
 * difference (null, map, set, double, verbatim) is settled here from c->resp.
 */
#ifndef EMBER_REPLY_H
#define EMBER_REPLY_H

#include <stddef.h>
#include "sds.h"
#include "object.h"

typedef struct client client;

void addReply(client *c, robj *obj);
void addReplySds(client *c, sds s);           /* takes ownership of s */
void addReplyProto(client *c, const char *s, size_t len);
void addReplyBulk(client *c, robj *obj);
void addReplyBulkCString(client *c, const char *s);
void addReplyBulkCBuffer(client *c, const void *p, size_t len);
void addReplyBulkSds(client *c, sds s);       /* takes ownership of s */
void addReplyBulkLongLong(client *c, long long ll);
void addReplyStatus(client *c, const char *status);
void addReplyStatusLength(client *c, const char *s, size_t len);
void addReplyError(client *c, const char *err);
void addReplyErrorLength(client *c, const char *s, size_t len);
void addReplyErrorSds(client *c, sds err);    /* takes ownership of err */
void addReplyErrorFormat(client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void addReplyErrorObject(client *c, robj *err);
void addReplyErrorArity(client *c);
void addReplyErrorExpireTime(client *c);
void addReplyErrorSubcommandSyntax(client *c);
void addReplyLongLong(client *c, long long ll);
void addReplyDouble(client *c, double d);
void addReplyHumanLongDouble(client *c, long double d);
void addReplyBigNum(client *c, const char *num, size_t len);
void addReplyBool(client *c, int b);
void addReplyNull(client *c);
void addReplyNullArray(client *c);
void addReplyVerbatim(client *c, const char *s, size_t len, const char *ext);
void addReplyArrayLen(client *c, long length);
void addReplyMapLen(client *c, long length);
void addReplySetLen(client *c, long length);
void addReplyAttributeLen(client *c, long length);
void addReplyPushLen(client *c, long length);
void *addReplyDeferredLen(client *c);
void setDeferredArrayLen(client *c, void *node, long length);
void setDeferredMapLen(client *c, void *node, long length);
void setDeferredSetLen(client *c, void *node, long length);
void setDeferredAttributeLen(client *c, void *node, long length);
void addReplyHelp(client *c, const char **help);
void afterErrorReply(client *c, const char *s, size_t len);
size_t clientReplyBytes(client *c);
/* Resizes c's static reply buffer for the use it has seen (pending bytes
 * are kept) and resets its peak every REPLY_BUF_PEAK_RESET_MS. Called by
 * clientsCron for each client it visits; c->buf moves. */
void resizeReplyBuffer(client *c);

#endif /* EMBER_REPLY_H */
