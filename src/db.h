/* db.h — the keyspace: databases, keys, values and their deadlines.
 *
 * A redisDb holds its key tables behind dbKeyspace, whose layout is db.c's
 * alone; everything else goes through the calls below. Lookups come in a
 * read and a write form (they count hits and misses differently) and
 * expire a key whose deadline passed; dbAdd / dbOverwrite / setKey take a
 * reference to the value. expire.c runs the active expiry cycle and the
 * EXPIRE family; db.c also owns the generic key commands (DEL, SCAN ...).
 */
#ifndef EMBER_DB_H
#define EMBER_DB_H

#include "sds.h"
#include "dict.h"
#include "object.h"

/* The key tables of a database (keyspace.c's layout, used by db.c alone);
 * every other file goes through the db* API. */
typedef struct dbKeyspace dbKeyspace;

typedef struct redisDb {
    dbKeyspace *keyspace; /* the keys, values and deadlines (db.c) */
    dict *blocking_keys;  /* key (sds) -> list of clients blocked on it (blocked.c) */
    dict *ready_keys;     /* keys (sds) of this db queued in server.blocking.ready_keys */
    int id;
    long long avg_ttl;            /* expire.c's running estimate, INFO keyspace */
    unsigned long expires_cursor; /* where expire.c's sampling resumes */
} redisDb;

typedef struct client client;

#define LOOKUP_NONE 0
#define LOOKUP_NOTOUCH (1 << 0)  /* keep the LRU stamp */
#define LOOKUP_NONOTIFY (1 << 1) /* no keymiss notification */
#define LOOKUP_NOSTATS (1 << 2)  /* keep keyspace_hits/misses */
#define LOOKUP_WRITE (1 << 3)    /* lookup for a write: no stats */
#define ACTIVE_EXPIRE_CYCLE_SLOW 0
#define ACTIVE_EXPIRE_CYCLE_FAST 1

/* db.c: the keyspace API */
robj *lookupKeyRead(redisDb *db, robj *key);
robj *lookupKeyWrite(redisDb *db, robj *key);
robj *lookupKeyReadOrReply(client *c, robj *key, robj *reply);
robj *lookupKeyWriteOrReply(client *c, robj *key, robj *reply);
/* dbAdd adds a new key (which must not exist); dbOverwrite replaces the
 * value of an existing one, keeping its deadline and releasing the old
 * value. Both take over the caller's reference to val and return the value
 * object now stored: val itself, or (for a string of up to 44 bytes or a
 * private integer, copied into the key's entry) the entry, val being then
 * released. A caller that goes on using the value must use the result. */
robj *dbAdd(redisDb *db, robj *key, robj *val);
robj *dbOverwrite(redisDb *db, robj *key, robj *val);
/* A write lookup remembered, so that the write after it (a command that
 * reads a value, then adds or replaces it) does not hash and search the
 * table again. lookupKeyWriteRef is lookupKeyWrite filling ref;
 * dbAddRef / dbOverwriteRef are dbAdd / dbOverwrite for the key it found
 * absent / present, valid only while the keyspace has not changed in
 * between (asserted). The fields are db.c's. */
typedef struct dbKeyRef {
    robj *entry;
    uint64_t hash;
    int hashed;
    unsigned long long changes;
} dbKeyRef;
robj *lookupKeyWriteRef(redisDb *db, robj *key, dbKeyRef *ref);
robj *dbAddRef(redisDb *db, robj *key, robj *val, dbKeyRef *ref);
robj *dbOverwriteRef(redisDb *db, robj *key, robj *val, dbKeyRef *ref);
robj *dbUnshareStringValue(redisDb *db, robj *key, robj *o);
void setKey(client *c, redisDb *db, robj *key, robj *val, int keepttl);
/* setKey under a condition on the key's existence (SET NX / XX), found
 * by the same single lookup: SETKEY_ALWAYS, SETKEY_IF_ABSENT or
 * SETKEY_IF_PRESENT. Returns 1 when the key was written, 0 when the
 * condition stopped it (nothing changed then but the lookup's LRU stamp
 * and the expiry of a key whose deadline passed, as lookupKeyWrite). */
#define SETKEY_ALWAYS 0
#define SETKEY_IF_ABSENT 1
#define SETKEY_IF_PRESENT 2
int setKeyIf(client *c, redisDb *db, robj *key, robj *val, int keepttl, int cond);
int dbDelete(redisDb *db, robj *key);
/* dbDelete, the value freed on the lazy-free thread when lazy and it is
 * big (lazyfree.c). */
int dbDeleteLazily(redisDb *db, robj *key, int lazy);
int selectDb(client *c, int id);
void setExpire(client *c, redisDb *db, robj *key, long long when);
long long getExpire(redisDb *db, robj *key);
int removeExpire(redisDb *db, robj *key);
void signalModifiedKey(client *c, redisDb *db, robj *key);
void initDatabases(void);
robj *lookupKeyReadWithFlags(redisDb *db, robj *key, int flags);
void deleteExpiredKey(redisDb *db, robj *key);
unsigned long dbExpiresCount(redisDb *db);
unsigned long dbSize(redisDb *db);
robj *dbPeek(redisDb *db, robj *key);
/* Called by dbScanExpires for each key with a deadline of a step. */
/* A key picked at random by dbSampleKeys / dbRandomKeySample: key is the
 * table's own sds (valid until the key is deleted; the caller must not
 * change the keyspace while it holds it), val its value, when its deadline
 * when it was sampled among the keys with one, else -1. */
typedef struct dbKeySample {
    sds key;
    robj *val;
    long long when;
} dbKeySample;
/* Up to count keys of db, picked near one random place of the table (of
 * the keys with a deadline when volatile_only), into out. Returns how
 * many; a key may repeat. Eviction's sampling. */
unsigned int dbSampleKeys(redisDb *db, int volatile_only, dbKeySample *out, unsigned int count);
/* One key of db picked uniformly (among the keys with a deadline when
 * volatile_only). Returns 0 when there is none. */
int dbRandomKeySample(redisDb *db, int volatile_only, dbKeySample *out);
typedef void dbExpireScanFunction(void *privdata, sds key, long long when);
unsigned long dbScanExpires(redisDb *db, unsigned long cursor, dbExpireScanFunction *fn, void *privdata);
typedef void dbKeyFunction(void *priv, sds key, robj *val, long long expire);
void dbForEachKey(redisDb *db, dbKeyFunction *fn, void *priv);
void dbShrinkSparseTables(redisDb *db);
int dbRehashStep(redisDb *db, int ms);
size_t dbTablesMemUsage(redisDb *db);
/* dbTablesMemUsage in two parts: the keys table and the expires table. */
void dbTablesMemUsageSplit(redisDb *db, size_t *keys, size_t *expires);
/* The key string the keys table holds for key (borrowed, valid until the
 * key is deleted), or NULL when key is absent. No expiry, no access. */
sds dbKeyString(redisDb *db, robj *key);
/* The bytes of key's entry allocation (0 when absent). The value is
 * inside it when the value object has `keyed` set. */
size_t dbEntryAllocSize(redisDb *db, robj *key);
/* Cluster slots (slot = keyHashSlot of the key). With cluster-enabled the
 * keyspace keeps one table per slot, so these are O(keys in the slot);
 * otherwise they walk every key. dbGetKeysInSlot fills keys with up to
 * count new string objects the caller releases and returns how many.
 * dbDeleteKeysInSlot deletes them all as the server would (propagated as
 * DEL, keyspace events, WATCH) and returns how many. */
unsigned long long dbCountKeysInSlot(redisDb *db, unsigned int slot);
unsigned int dbGetKeysInSlot(redisDb *db, unsigned int slot, robj **keys, unsigned int count);
unsigned long long dbDeleteKeysInSlot(redisDb *db, unsigned int slot);
sds dbCatTableStats(sds s, redisDb *db);
void scanCollectionCommand(client *c, int type);
/* Called by dbForEach for each key (borrowed, like val); expire is -1 when
 * the key has none. Return 0 to stop the walk. */
typedef int dbKeyVisitor(void *privdata, sds key, robj *val, long long expire);
int dbForEach(redisDb *db, dbKeyVisitor *fn, void *privdata);
void dbExpandForLoad(redisDb *db, unsigned long keys, unsigned long expires);
int dbAddLoaded(redisDb *db, sds key, robj *val, long long expire, int replace);
long long emptyData(int dbnum);
/* The cluster's view of the keyspace by hash slot (cluster_cmd.c):
 * how many keys of db hash to slot; up to count of their names as new
 * string objects in keys[] (the caller releases them), returning how many;
 * and the deletion of them all (as DEL, propagated), returning how many. */
unsigned long long dbCountKeysInSlot(redisDb *db, unsigned int slot);
unsigned int dbGetKeysInSlot(redisDb *db, unsigned int slot, robj **keys, unsigned int count);
unsigned long long dbDeleteKeysInSlot(redisDb *db, unsigned int slot);
/* emptyData, the old tables freed on the lazy-free thread when lazy. */
long long emptyDataLazily(int dbnum, int lazy);
/* A replica loading a new dataset beside the old one (repl-diskless-load
 * swapdb): dbStashKeyspaces takes every database's key tables out (the
 * databases get empty ones) and returns them, owned by the caller, until
 * dbRestoreKeyspaces puts them back (freeing what was loaded meanwhile)
 * or dbDiscardKeyspaces frees them (on the lazy-free thread when lazy). */
dbKeyspace **dbStashKeyspaces(void);
void dbRestoreKeyspaces(dbKeyspace **stash);
void dbDiscardKeyspaces(dbKeyspace **stash, int lazy);
/* Exchanges every database's tables with stash[] silently (no WATCH
 * touched, no tracking flush): an asynchronous load lends the old data
 * back to its clients between reads, and takes it again afterwards. */
void dbExchangeKeyspaces(dbKeyspace **stash);
/* Every database's tables were replaced behind the clients' backs: the
 * watched keys are touched, tracking tables flushed, blocked clients
 * re-checked. */
void dbAnnounceNewKeyspaces(void);

/* db.c: the generic key commands */
void unlinkCommand(client *c);
void touchCommand(client *c);
void typeCommand(client *c);
void keysCommand(client *c);
void scanCommand(client *c);
void randomkeyCommand(client *c);
void renamenxCommand(client *c);
void moveCommand(client *c);
void copyCommand(client *c);
void swapdbCommand(client *c);
void dbsizeCommand(client *c);
void flushdbCommand(client *c);
void flushallCommand(client *c);
void delCommand(client *c);
void existsCommand(client *c);

/* expire.c: active expiry and the EXPIRE family */
void activeExpireCycle(int type);
void expireCommand(client *c);
void pexpireCommand(client *c);
void expireatCommand(client *c);
void pexpireatCommand(client *c);
void ttlCommand(client *c);
void pttlCommand(client *c);
void expiretimeCommand(client *c);
void pexpiretimeCommand(client *c);
void persistCommand(client *c);

#endif /* EMBER_DB_H */
