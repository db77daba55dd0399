/* notify.h -- keyspace notifications (notify.c).
 *
 * Commands that change the dataset announce each change through
 * notifyKeyspaceEvent; the classes selected by notify-keyspace-events
 * (server.notify_keyspace_events, NOTIFY_* bits in server.h) decide what
 * is published on the __keyspace@<db>__ and __keyevent@<db>__ channels. */
#ifndef EMBER_NOTIFY_H
#define EMBER_NOTIFY_H

#include "object.h"
#include "server.h"

/* notifyKeyspaceEvent once the class is known to be enabled. */
void notifyKeyspaceEventPublish(int type, const char *event, robj *key, int dbid);

/* Publishes `event` (a Redis event name such as "set" or "lpush") about
 * key in database dbid when its class `type` (one NOTIFY_* bit) is
 * enabled: "__keyspace@<dbid>__:<key>" carries the event name and
 * "__keyevent@<dbid>__:<event>" carries the key, each only when K or E is
 * set. Neither event nor key is kept; a key of any string encoding works.
 * Inline: with the class off (the default), a write pays one bit test. */
static inline void notifyKeyspaceEvent(int type, const char *event, robj *key, int dbid) {
    if (server.notify_keyspace_events & type) notifyKeyspaceEventPublish(type, event, key, dbid);
}

#endif /* EMBER_NOTIFY_H */
