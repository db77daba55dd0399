/* bigkey.c — finding the commands that work through big keys.
 *
 * A key with millions of elements is harmless until a command walks it:
 * HGETALL, SMEMBERS, LRANGE 0 -1, a DEL that frees it, a SUNIONSTORE that
 * builds one. Operators want to know which keys and commands do that
 * before the latency shows. With `bigkey-log-threshold N` (0, the default,
 * is off), a command that touches more than N elements is logged with the
 * biggest key it named, that key's size and the command, at most once a
 * minute per key, and counted in INFO stats bigkey_commands.
 *
 * "Touched" is measured where it is cheap and general rather than per
 * command: the elements of the reply (the lengths of its arrays, maps and
 * sets, at every level), the elements of values the command removed or
 * replaced, and, for a command that stored a value, the size of each key
 * it named as it stands afterwards when that key is bigger than the reply.
 * The last part counts SUNIONSTORE's result but also the key of an LPUSH
 * onto a big list, which did not walk it: only commands without the `fast`
 * flag (the O(1) and O(log N) ones have it) are judged.
 */
#include "bigkey.h"

#include "commands.h"
#include "db.h"
#include "dict_types.h"
#include "log.h"
#include "t_hash.h"
#include "t_list.h"
#include "t_set.h"
#include "t_stream.h"
#include "t_zset.h"

#include <string.h>

/* The elements the running command touched, and the biggest value it
 * removed with its key (a borrowed copy kept until the command ends). */
static long long touched;
static unsigned long freed_size;
static sds freed_key;
static int freed_db;

/* Keys logged in the last minute: "dbid:key" -> unix time. */
static dict *logged_keys;

#define BIGKEY_LOG_PERIOD 60
#define BIGKEY_LOGGED_MAX 1000

static unsigned long valueSize(robj *val) {
    switch (val->type) {
    case OBJ_LIST: return listTypeLength(val);
    case OBJ_SET: return setTypeSize(val);
    case OBJ_HASH: return hashTypeLength(val);
    case OBJ_ZSET: return zsetLength(val);
    case OBJ_STREAM: return (unsigned long)((stream *)val->ptr)->length;
    default: return 1;
    }
}

void bigkeyCountReply(long n) {
    touched += n;
}

void bigkeyCountFreed(redisDb *db, robj *key, robj *val) {
    unsigned long size = valueSize(val);
    touched += (long long)size;
    if (size <= freed_size) return;
    freed_size = size;
    sdsfree(freed_key);
    freed_key = sdsdup(key->ptr);
    freed_db = db->id;
}

void bigkeyCallBegin(bigkeyFrame *f) {
    f->outer_touched = touched;
    f->dirty_before = server.dirty;
    touched = 0;
}

/* 1 when db:key was not logged in the last minute (and now is marked). */
static int dueForLog(int dbid, const char *key) {
    if (logged_keys == NULL) logged_keys = dictCreate(&sdsSetDictType);
    time_t now = server.unixtime;
    if (dictSize(logged_keys) >= BIGKEY_LOGGED_MAX) dictEmpty(logged_keys, NULL);
    sds name = sdscatprintf(sdsempty(), "%d:%s", dbid, key);
    dictEntry *de = dictFind(logged_keys, name);
    if (de && now - (time_t)dictGetSignedIntegerVal(de) < BIGKEY_LOG_PERIOD) {
        sdsfree(name);
        return 0;
    }
    if (de) {
        dictSetSignedIntegerVal(de, now);
        sdsfree(name);
    } else {
        dictAddOrFind(logged_keys, name)->v.s64 = now;
    }
    return 1;
}

/* The biggest existing key among those the command named: its name (an
 * argument of c, borrowed) and size. */
static robj *biggestNamedKey(client *c, unsigned long *size) {
    getKeysResult keys = {0};
    robj *best = NULL;
    *size = 0;
    int n = getKeysFromCommand(c->cmd, c->argv, c->argc, &keys);
    for (int j = 0; j < n; j++) {
        robj *key = c->argv[keys.keys[j].pos];
        robj *val = dbPeek(c->db, key);
        if (val == NULL) continue;
        unsigned long s = valueSize(val);
        if (s > *size) {
            *size = s;
            best = key;
        }
    }
    getKeysFreeResult(&keys);
    return best;
}

static void judge(client *c, int wrote) {
    unsigned long size;
    robj *key = biggestNamedKey(c, &size);
    long long count = touched;
    if (key && wrote && size > (unsigned long)count) count = (long long)size;
    if (count <= server.bigkey.threshold) return;
    const char *name = key ? key->ptr : freed_key;
    int dbid = key ? c->db->id : freed_db;
    if (freed_key && freed_size > size) {
        name = freed_key;
        dbid = freed_db;
        size = freed_size;
    }
    if (name == NULL) return; /* a big reply from no key (KEYS, CLIENT LIST ...) */
    server.bigkey.commands++;
    if (!dueForLog(dbid, name)) return;
    serverLog(LL_WARNING,
              "Big key: '%s' touched %lld elements of key '%s' in db %d (%lu elements); bigkey-log-threshold is %lld",
              c->cmd->fullname, count, name, dbid, size, server.bigkey.threshold);
}

void bigkeyCallEnd(client *c, bigkeyFrame *f) {
    if (c->cmd && !(c->cmd->flags & CMD_FAST)) judge(c, server.dirty != f->dirty_before);
    sdsfree(freed_key);
    freed_key = NULL;
    freed_size = 0;
    touched = f->outer_touched;
}
