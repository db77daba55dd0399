/* notify.c -- keyspace notifications.
 *
 * A change to the dataset is announced as a pair of pub/sub messages:
 * one on the key's own channel ("__keyspace@<db>__:<key>", the message is
 * the event name) and one on the event's channel ("__keyevent@<db>__:
 * <event>", the message is the key name). The notify-keyspace-events
 * config picks which classes of events are published (g, $, l, ...) and
 * which of the two channel families receive them (K, E); with no class
 * enabled, the call costs one bit test. Delivery is the ordinary PUBLISH
 * path of pubsub.c, so pattern subscribers see these messages too.
 *
 * Call sites sit in the command implementations, right after the change
 * they describe, so the order of the events a command emits follows the
 * order of its changes, as in Redis. */
#include "notify.h"

#include <stdio.h>
#include <string.h>

#include "pubsub.h"
#include "server.h"

/* "__<family>@<dbid>__:<suffix>" as a new string object. */
static robj *channelFor(const char *family, int dbid, const char *suffix, size_t len) {
    char prefix[64];
    int n = snprintf(prefix, sizeof(prefix), "__%s@%d__:", family, dbid);
    sds name = sdsnewlen(prefix, (size_t)n);
    name = sdscatlen(name, suffix, len);
    return createObject(OBJ_STRING, name);
}

/* A new string object holding key's name, whatever its encoding (the
 * key may be a stack object that must not gain references). */
static robj *keyNameObject(robj *key) {
    if (sdsEncodedObject(key)) return createStringObject(key->ptr, sdslen(key->ptr));
    robj *decoded = getDecodedObject(key);
    robj *copy = createStringObject(decoded->ptr, sdslen(decoded->ptr));
    decrRefCount(decoded);
    return copy;
}

void notifyKeyspaceEventPublish(int type, const char *event, robj *key, int dbid) {
    int flags = server.notify_keyspace_events;
    if (!(flags & type)) return;
    if (!(flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT))) return;
    robj *name = keyNameObject(key);
    size_t eventlen = strlen(event);
    if (flags & NOTIFY_KEYSPACE) {
        robj *chan = channelFor("keyspace", dbid, name->ptr, sdslen(name->ptr));
        robj *msg = createStringObject(event, eventlen);
        pubsubPublish(PUBSUB_CHANNEL, chan, msg);
        decrRefCount(chan);
        decrRefCount(msg);
    }
    if (flags & NOTIFY_KEYEVENT) {
        robj *chan = channelFor("keyevent", dbid, event, eventlen);
        pubsubPublish(PUBSUB_CHANNEL, chan, name);
        decrRefCount(chan);
    }
    decrRefCount(name);
}
