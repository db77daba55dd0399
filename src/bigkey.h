/* bigkey.h — bigkey-log-threshold: naming the commands that work through
 * big keys.
 *
 * See bigkey.c. call() brackets every command with bigkeyCallBegin/End;
 * the reply layer and the keyspace report what the command touched. All of
 * it costs one test of bigkeyEnabled() while the directive is 0 (off).
 */
#ifndef EMBER_BIGKEY_H
#define EMBER_BIGKEY_H

#include "server.h"

static inline int bigkeyEnabled(void) {
    return server.bigkey.threshold > 0;
}

/* The running command put n elements in its reply. */
void bigkeyCountReply(long n);

/* The running command removed (or replaced) key's value val in db. */
void bigkeyCountFreed(redisDb *db, robj *key, robj *val);

/* What call() keeps across a command for the count of the enclosing one. */
typedef struct bigkeyFrame {
    long long outer_touched; /* the enclosing command's count so far */
    long long dirty_before;
} bigkeyFrame;

/* Opens the count of a command. */
void bigkeyCallBegin(bigkeyFrame *f);

/* Closes the count of c's command: past the threshold, the biggest key it
 * named (or removed) is logged, once a minute per key, and counted in INFO
 * bigkey_commands. What this command touched is not added to the
 * enclosing command's count. */
void bigkeyCallEnd(client *c, bigkeyFrame *f);

#endif
