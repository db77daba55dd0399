/* db.c — the keyspace API and the commands over keys and whole databases.
 *
 * A database's key tables (struct dbKeyspace, defined here and nowhere
 * else) are two dicts: `keys` maps each key (an sds the table owns) to its
 * value (a robj), and `expires` maps the keys that have a time to live to
 * their deadline in unix milliseconds. The expires table borrows its key
 * pointers from `keys`, so a key is always removed from `expires` before
 * (or together with) its entry in `keys`.
 *
 * No other file can see those tables: server.h declares the struct without
 * its fields. Commands go through the API below: lookupKey* to read (which
 * also expires a key whose deadline has passed, updates the LRU stamp and
 * counts keyspace hits and misses, each unless the flags say otherwise),
 * dbAdd / dbOverwrite / setKey to write, dbDelete to remove, setExpire /
 * getExpire / removeExpire for deadlines. The server's own upkeep has its
 * calls too: dbSize and dbExpiresCount (INFO, DBSIZE), dbForEachKey (the
 * AOF rewrite), dbScanExpires
 * (active expiry's sampling), dbRehashStep and dbShrinkSparseTables
 * (serverCron), dbTablesMemUsage and its split form (INFO memory, MEMORY
 * STATS), dbKeyString (MEMORY USAGE, DEBUG SDSLEN), dbPeek and
 * dbCatTableStats (DEBUG), dbSampleKeys and dbRandomKeySample (eviction).
 * So the table layout can change (DESIGN.md §5) in this file
 * alone.
 *
 * Expiry is lazy here (expireIfNeeded, called by every lookup) and active in
 * expire.c, which samples the expires tables on a budget. Both remove a key
 * through deleteExpiredKey, so whatever must follow an expiry deletion
 * (the expired_keys count, the signal to blocked clients) happens in one
 * place. While clients are paused the dataset
 * must not change, so an expired key is reported missing but kept.
 *
 * The second half holds the generic keyspace commands: DEL, UNLINK, EXISTS,
 * TOUCH, TYPE, KEYS, SCAN, RANDOMKEY, RENAME(NX), MOVE, COPY, SWAPDB, DBSIZE,
 * FLUSHDB and FLUSHALL. SELECT lives in cmd_connection.c, OBJECT in object.c.
 */
#include "server.h"
#include "childproc.h"
#include "evict.h"
#include "notify.h"
#include "rdb.h"
#include "lazyfree.h"
#include "bigkey.h"
#include "crc16.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The key tables of one database (see the top of this file). */
struct dbKeyspace {
    dict *keys;    /* key (sds, owned) -> value (robj) */
    dict *expires; /* key (sds, borrowed from keys) -> deadline, unix ms */
};

/* The keys table: sds keys owned by the dict, robj values. The expires
 * table borrows its keys from it (sdsBorrowedKeyDictType). */
static dictType dbDictType = {dictSdsHash,          NULL, NULL, dictSdsKeyCompare, dictSdsDestructor,
                              dictObjectDestructor, NULL};

/* Creates server.dbnum empty databases and turns active expiry on (its
 * only off switch is DEBUG SET-ACTIVE-EXPIRE 0; it is no config directive). */
void initDatabases(void) {
    server.db = zcalloc(sizeof(redisDb) * server.dbnum);
    for (int j = 0; j < server.dbnum; j++) {
        server.db[j].keyspace = zmalloc(sizeof(dbKeyspace));
        server.db[j].keyspace->keys = dictCreate(&dbDictType);
        server.db[j].keyspace->expires = dictCreate(&sdsBorrowedKeyDictType);
        server.db[j].id = j;
    }
}

/* ------------------------------------------------------------ expiry */

/* 1 while keys must not be deleted by expiry: a client pause freezes the
 * dataset, so expired keys are reported missing but stay in place. */
static int expiryDeletionSuspended(void) {
    return checkClientPauseTimeoutAndReturnIfPaused();
}

/* Removes a key whose deadline has passed, counts it in expired_keys and
 * propagates the deletion (DEL, or UNLINK with lazyfree-lazy-expire).
 * key is borrowed and may even be the table's own key sds: nothing reads
 * it once the entry is gone, so every hook runs before the removal. */
void deleteExpiredKey(redisDb *db, robj *key) {
    server.stat.expiredkeys++;
    propagateDeletion(db, key, server.lazyfree.lazy_expire);
    signalModifiedKey(NULL, db, key);
    signalKeyAsReady(db, key, -1); /* the key is going: XREADGROUP is told */
    notifyKeyspaceEvent(NOTIFY_EXPIRED, "expired", key, db->id);
    dbDeleteLazily(db, key, server.lazyfree.lazy_expire);
}

/* 1 if key has a deadline that has passed (now > deadline). Nothing
 * expires while a dataset is being loaded. */
static int keyIsExpired(redisDb *db, robj *key) {
    if (server.persist.loading) return 0;
    long long when = getExpire(db, key);
    if (when < 0) return 0;
    return mstime() > when;
}

/* Deletes key if its deadline has passed. Returns 1 if the key is expired
 * (deleted, or only hidden while deletion is suspended), 0 otherwise. On a
 * replica an expired key is only hidden, and the commands of the primary
 * still see it: the primary's DEL is what removes it, so both datasets
 * stay the same. */
static int expireIfNeeded(redisDb *db, robj *key) {
    if (!keyIsExpired(db, key)) return 0;
    if (server.repl.masterhost) return !(server.current_client && (server.current_client->flags & CLIENT_MASTER));
    if (expiryDeletionSuspended()) return 1;
    deleteExpiredKey(db, key);
    return 1;
}

/* Sets the absolute deadline (unix ms) of an existing key. */
void setExpire(client *c, redisDb *db, robj *key, long long when) {
    (void)c;
    dictEntry *kde = dictFind(db->keyspace->keys, key->ptr);
    serverAssert(kde != NULL);
    dictEntry *de = dictAddOrFind(db->keyspace->expires, dictGetKey(kde));
    dictSetSignedIntegerVal(de, when);
}

/* The absolute deadline of key in unix ms, or -1 if it has none. */
long long getExpire(redisDb *db, robj *key) {
    if (dictSize(db->keyspace->expires) == 0) return -1;
    dictEntry *de = dictFind(db->keyspace->expires, key->ptr);
    return de ? dictGetSignedIntegerVal(de) : -1;
}

/* Drops key's deadline. Returns 1 if it had one. */
int removeExpire(redisDb *db, robj *key) {
    if (dictSize(db->keyspace->expires) == 0) return 0;
    return dictDelete(db->keyspace->expires, key->ptr) == DICT_OK;
}

/* Number of keys of db that have a deadline. */
unsigned long dbExpiresCount(redisDb *db) {
    return dictSize(db->keyspace->expires);
}

/* Number of keys of db, expired ones not yet removed included. */
unsigned long dbSize(redisDb *db) {
    return dictSize(db->keyspace->keys);
}

/* State of dbScanExpires while dictScan runs. */
typedef struct expireScanState {
    dbExpireScanFunction *fn;
    void *privdata;
} expireScanState;

static void expireScanCallback(void *privdata, const dictEntry *de) {
    expireScanState *st = privdata;
    st->fn(st->privdata, dictGetKey(de), dictGetSignedIntegerVal(de));
}

/* One step of a cursor walk over the keys of db that have a deadline:
 * calls fn(privdata, key, deadline) for the keys of the next bucket and
 * returns the next cursor (0 when a full pass is complete). key is the
 * table's own sds, valid until that key is deleted; fn must not change the
 * keyspace. A walk that starts at 0 and runs to 0 sees every key that has
 * a deadline all along at least once. */
unsigned long dbScanExpires(redisDb *db, unsigned long cursor, dbExpireScanFunction *fn, void *privdata) {
    expireScanState st = {fn, privdata};
    return dictScan(db->keyspace->expires, cursor, expireScanCallback, &st);
}

/* Calls fn(priv, key, value, deadline or -1) for every key of db, expired
 * ones not yet removed included. key and value are the table's own,
 * borrowed for the call; fn must not change the keyspace. */
void dbForEachKey(redisDb *db, dbKeyFunction *fn, void *priv) {
    dictIterator *di = dictGetSafeIterator(db->keyspace->keys);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        sds key = dictGetKey(de);
        dictEntry *ee = dictSize(db->keyspace->expires) ? dictFind(db->keyspace->expires, key) : NULL;
        fn(priv, key, dictGetVal(de), ee ? dictGetSignedIntegerVal(ee) : -1);
    }
    dictReleaseIterator(di);
}

/* Fills *out from an entry of the keys table (when = -1) or of the
 * expires table (the value looked up in the keys table). */
static void sampleFromEntry(redisDb *db, int from_expires, dictEntry *de, dbKeySample *out) {
    out->key = dictGetKey(de);
    if (from_expires) {
        out->when = dictGetSignedIntegerVal(de);
        out->val = dictGetVal(dictFind(db->keyspace->keys, out->key));
    } else {
        out->when = -1;
        out->val = dictGetVal(de);
    }
}

unsigned int dbSampleKeys(redisDb *db, int volatile_only, dbKeySample *out, unsigned int count) {
    dict *d = volatile_only ? db->keyspace->expires : db->keyspace->keys;
    dictEntry *found[64];
    if (count > 64) count = 64;
    unsigned int n = dictGetSomeKeys(d, found, count);
    for (unsigned int j = 0; j < n; j++) sampleFromEntry(db, volatile_only, found[j], &out[j]);
    return n;
}

int dbRandomKeySample(redisDb *db, int volatile_only, dbKeySample *out) {
    dict *d = volatile_only ? db->keyspace->expires : db->keyspace->keys;
    if (dictSize(d) == 0) return 0;
    sampleFromEntry(db, volatile_only, dictGetFairRandomKey(d), out);
    return 1;
}

/* -------------------------------------------------------- lookups */

/* The value stored at key, or NULL, with no side effect at all: no expiry,
 * no LRU stamp, no statistics (DEBUG OBJECT). Borrowed from the keyspace. */
robj *dbPeek(redisDb *db, robj *key) {
    dictEntry *de = dictFind(db->keyspace->keys, key->ptr);
    return de ? dictGetVal(de) : NULL;
}

/* The value at key, or NULL. Expires the key first if its time has
 * passed; LOOKUP_NOTOUCH keeps the LRU stamp, LOOKUP_NOSTATS and
 * LOOKUP_WRITE keep keyspace_hits/misses unchanged, and a read miss
 * announces "keymiss" unless LOOKUP_NONOTIFY (or LOOKUP_WRITE) is given. The value stays valid
 * until the key is next written or deleted. */
static robj *lookupKey(redisDb *db, robj *key, int flags) {
    robj *val = NULL;
    dictEntry *de = dictFind(db->keyspace->keys, key->ptr);
    if (de && !expireIfNeeded(db, key)) {
        val = dictGetVal(de);
        /* While a child shares the pages, a stamp write would copy one. */
        if (!(flags & LOOKUP_NOTOUCH) && !childActive()) objectTouchAccess(val);
    }
    if (!(flags & (LOOKUP_NOSTATS | LOOKUP_WRITE))) {
        if (val)
            server.stat.keyspace_hits++;
        else
            server.stat.keyspace_misses++;
    }
    if (val == NULL && !(flags & (LOOKUP_NONOTIFY | LOOKUP_WRITE)))
        notifyKeyspaceEvent(NOTIFY_KEY_MISS, "keymiss", key, db->id);
    return val;
}

/* Lookup for read-only commands, with LOOKUP_* flags. */
robj *lookupKeyReadWithFlags(redisDb *db, robj *key, int flags) {
    return lookupKey(db, key, flags);
}

/* Lookup for read-only commands: touches the key and counts hit/miss. */
robj *lookupKeyRead(redisDb *db, robj *key) {
    return lookupKey(db, key, LOOKUP_NONE);
}

/* Lookup for write commands. */
robj *lookupKeyWrite(redisDb *db, robj *key) {
    return lookupKey(db, key, LOOKUP_WRITE);
}

/* lookupKeyRead, replying `reply` when the key is missing. */
robj *lookupKeyReadOrReply(client *c, robj *key, robj *reply) {
    robj *o = lookupKeyRead(c->db, key);
    if (!o) addReply(c, reply);
    return o;
}

/* lookupKeyWrite, replying `reply` when the key is missing. */
robj *lookupKeyWriteOrReply(client *c, robj *key, robj *reply) {
    robj *o = lookupKeyWrite(c->db, key);
    if (!o) addReply(c, reply);
    return o;
}

/* -------------------------------------------------------- writes */

/* Persistence's two doors into the tables. dbForEach visits every key of
 * db (expired ones too) with its value and deadline, for a snapshot; the
 * table must not change meanwhile. Returns 0 when fn stopped it. */
int dbForEach(redisDb *db, dbKeyVisitor *fn, void *privdata) {
    dictIterator it;
    dictInitIterator(&it, db->keyspace->keys);
    dictEntry *de;
    int go_on = 1;
    while (go_on && (de = dictNext(&it)) != NULL) {
        sds key = dictGetKey(de);
        long long when = -1;
        if (dictSize(db->keyspace->expires)) {
            dictEntry *ee = dictFind(db->keyspace->expires, key);
            if (ee) when = dictGetSignedIntegerVal(ee);
        }
        go_on = fn(privdata, key, dictGetVal(de), when);
    }
    dictResetIterator(&it);
    return go_on;
}

/* Sizes db's tables for a load that announces keys and expires (RESIZEDB),
 * so they do not rehash while they fill. Best effort: a refused
 * allocation leaves them as they are. */
void dbExpandForLoad(redisDb *db, unsigned long keys, unsigned long expires) {
    dictTryExpand(db->keyspace->keys, keys);
    dictTryExpand(db->keyspace->expires, expires);
}

/* dbAddLoaded adds a key read from a file or a payload, with no event or
 * wake-up: it takes key (an sds) and the reference to val. When the key
 * exists it is replaced if replace, else nothing is taken and 0 returned. */
int dbAddLoaded(redisDb *db, sds key, robj *val, long long expire, int replace) {
    dictEntry *existing;
    dictEntry *de = dictAddRaw(db->keyspace->keys, key, &existing);
    if (de == NULL) {
        if (!replace) return 0;
        robj k = {.type = OBJ_STRING, .encoding = OBJ_ENCODING_RAW, .refcount = OBJ_STATIC_REFCOUNT, .ptr = key};
        dbDelete(db, &k);
        de = dictAddRaw(db->keyspace->keys, key, NULL);
    }
    dictSetVal(db->keyspace->keys, de, val);
    if (expire != -1) dictSetSignedIntegerVal(dictAddOrFind(db->keyspace->expires, key), expire);
    return 1;
}

/* Adds a new key, which must not exist. Takes over the caller's reference
 * to val; the key name is copied. */
void dbAdd(redisDb *db, robj *key, robj *val) {
    sds copy = sdsdup(key->ptr);
    int ret = dictAdd(db->keyspace->keys, copy, val);
    serverAssert(ret == DICT_OK);
    if (val->type == OBJ_LIST || val->type == OBJ_ZSET) signalKeyAsReady(db, key, val->type);
    notifyKeyspaceEvent(NOTIFY_NEW, "new", key, db->id);
}

/* Replaces the value of an existing key, keeping its deadline. Takes over
 * the caller's reference to val and releases the old value (on the
 * lazy-free thread when big with lazyfree-lazy-server-del, or huge). */
void dbOverwrite(redisDb *db, robj *key, robj *val) {
    dictEntry *de = dictFind(db->keyspace->keys, key->ptr);
    serverAssert(de != NULL);
    robj *old = dictGetVal(de);
    dictSetVal(db->keyspace->keys, de, val);
    if (bigkeyEnabled()) bigkeyCountFreed(db, key, old);
    lazyfreeReleaseValue(old, server.lazyfree.lazy_server_del);
}

/* Makes the string value o stored at key safe to modify in place: when it
 * is shared or not raw (int, embstr), it is replaced in the keyspace by a
 * private raw copy. Returns the object now stored at key (borrowed from the
 * keyspace). Used by APPEND, SETRANGE and the bitmap writers. */
robj *dbUnshareStringValue(redisDb *db, robj *key, robj *o) {
    if (o->refcount == 1 && o->encoding == OBJ_ENCODING_RAW) return o;
    robj *decoded = getDecodedObject(o);
    robj *copy = createRawStringObject(decoded->ptr, sdslen(decoded->ptr));
    decrRefCount(decoded);
    dbOverwrite(db, key, copy);
    return copy;
}

/* The high level write: add or overwrite, dropping the deadline unless
 * keepttl. The caller keeps its own reference to val (one is taken here). */
void setKey(client *c, redisDb *db, robj *key, robj *val, int keepttl) {
    incrRefCount(val);
    if (lookupKeyWrite(db, key) == NULL) {
        dbAdd(db, key, val);
    } else {
        dbOverwrite(db, key, val);
        if (!keepttl) removeExpire(db, key);
    }
    signalModifiedKey(c, db, key);
}

/* Removes key, its value and its deadline. Returns 1 if it existed. The
 * entry is unlinked first so key may alias the stored key sds. A deletion
 * the server decides (not DEL/UNLINK) frees lazily with
 * lazyfree-lazy-server-del. */
int dbDelete(redisDb *db, robj *key) {
    return dbDeleteLazily(db, key, server.lazyfree.lazy_server_del);
}

int dbDeleteLazily(redisDb *db, robj *key, int lazy) {
    dictEntry *de = dictUnlink(db->keyspace->keys, key->ptr);
    if (de == NULL) return 0;
    if (dictSize(db->keyspace->expires) > 0) dictDelete(db->keyspace->expires, dictGetKey(de));
    robj *val = dictGetVal(de);
    if (bigkeyEnabled()) bigkeyCountFreed(db, key, val);
    dictSetVal(db->keyspace->keys, de, NULL); /* the value is ours to free */
    dictFreeUnlinkedEntry(db->keyspace->keys, de);
    lazyfreeReleaseValue(val, lazy);
    return 1;
}

/* Called after every change of a key. Wakes the clients blocked on the key
 * unless it now holds a stream (BLPOP & co., XREADGROUP, blocked.c; a
 * single size test when nobody is blocked). Every change passes here, so
 * this is also where WATCH learns of changes (multi.c). */
void signalModifiedKey(client *c, redisDb *db, robj *key) {
    touchWatchedKey(db, key);
    trackingInvalidateKey(c, key, 1);
    if (dictSize(db->blocking_keys) != 0) {
        dictEntry *de = dictFind(db->keyspace->keys, key->ptr);
        robj *val = de ? dictGetVal(de) : NULL;
        /* A stream is signalled by what adds to it; a key gone or holding
         * another type is signalled too, for XREADGROUP's error. */
        if (val == NULL || val->type != OBJ_STREAM) signalKeyAsReady(db, key, val ? val->type : -1);
    }
}

/* ------------------------------------------------------- sampling */

/* A random key of db that is not expired, as a new string object the caller
 * releases, or NULL when db is empty. Expired keys met on the way are
 * deleted. When they cannot be (deletion suspended) and every key has a
 * deadline, give up after 100 tries and return an expired key rather than
 * loop forever. */
static robj *dbRandomKey(redisDb *db) {
    int allvolatile = dictSize(db->keyspace->keys) == dictSize(db->keyspace->expires);
    int tries = 100;
    for (;;) {
        dictEntry *de = dictGetFairRandomKey(db->keyspace->keys);
        if (de == NULL) return NULL;
        sds name = dictGetKey(de);
        robj *keyobj = createStringObject(name, sdslen(name));
        if (dictSize(db->keyspace->expires) && dictFind(db->keyspace->expires, name)) {
            if (allvolatile && expiryDeletionSuspended() && --tries == 0) return keyobj;
            if (expireIfNeeded(db, keyobj)) {
                decrRefCount(keyobj);
                continue;
            }
        }
        return keyobj;
    }
}

/* One step of a cursor walk over db's keys: calls fn(privdata, entry) for
 * the keys of the next bucket(s) and returns the next cursor (0 when the
 * walk is complete). fn must not modify the keyspace. */
static unsigned long dbScanKeys(redisDb *db, unsigned long cursor, dictScanFunction *fn, void *privdata) {
    return dictScan(db->keyspace->keys, cursor, fn, privdata);
}

/* ------------------------------------------------------ databases */

/* Points c at database id. C_ERR if id is out of range. */
int selectDb(client *c, int id) {
    if (id < 0 || id >= server.dbnum) return C_ERR;
    c->db = &server.db[id];
    return C_OK;
}

/* Empties one database (dbnum >= 0) or all (-1). Returns keys removed. */
long long emptyData(int dbnum) {
    return emptyDataLazily(dbnum, 0);
}

/* Whole tables may go to the lazy-free thread only when no value in them
 * can still be referenced from outside: inside MULTI/EXEC the queued
 * arguments (stored as values by earlier commands of the transaction)
 * hold references until EXEC ends, and the thread must never touch a
 * reference count the main thread also changes. */
static int lazyFlushSafe(void) {
    return !(server.current_client && (server.current_client->flags & CLIENT_MULTI));
}

long long emptyDataLazily(int dbnum, int lazy) {
    long long removed = 0;
    lazy = lazy && lazyFlushSafe();
    int start = dbnum == -1 ? 0 : dbnum, end = dbnum == -1 ? server.dbnum - 1 : dbnum;
    for (int j = start; j <= end; j++) {
        redisDb *db = &server.db[j];
        touchAllWatchedKeysInDb(db, NULL);
        removed += dictSize(db->keyspace->keys);
        if (lazy && dictSize(db->keyspace->keys) > 0) {
            lazyfreeKeyTables(db->keyspace->keys, db->keyspace->expires);
            db->keyspace->keys = dictCreate(&dbDictType);
            db->keyspace->expires = dictCreate(&sdsBorrowedKeyDictType);
        } else {
            dictEmpty(db->keyspace->expires, NULL);
            dictEmpty(db->keyspace->keys, NULL);
        }
        db->avg_ttl = 0;
        db->expires_cursor = 0;
        scanDatabaseForReadyKeys(db);
    }
    trackingInvalidateKeysOnFlush();
    return removed;
}

/* Swaps the contents of databases id1 and id2; clients stay on their
 * index and so see the other data. C_ERR if an index is out of range. */
static int dbSwapDatabases(int id1, int id2) {
    if (id1 < 0 || id1 >= server.dbnum || id2 < 0 || id2 >= server.dbnum) return C_ERR;
    if (id1 == id2) return C_OK;
    redisDb *a = &server.db[id1], *b = &server.db[id2];
    touchAllWatchedKeysInDb(a, b);
    touchAllWatchedKeysInDb(b, a);
    redisDb tmp = *a;
    a->keyspace = b->keyspace;
    a->avg_ttl = b->avg_ttl;
    a->expires_cursor = b->expires_cursor;
    b->keyspace = tmp.keyspace;
    b->avg_ttl = tmp.avg_ttl;
    b->expires_cursor = tmp.expires_cursor;
    /* Blocked clients stay with their index and may now find data. */
    scanDatabaseForReadyKeys(a);
    scanDatabaseForReadyKeys(b);
    return C_OK;
}

/* Starts shrinking db's tables when mass deletion (expiry, DEL) left them
 * mostly empty buckets: that wastes memory and slows random sampling and
 * expiry scans. The shrink itself is an incremental rehash. */
void dbShrinkSparseTables(redisDb *db) {
    dictShrinkIfSparse(db->keyspace->keys);
    dictShrinkIfSparse(db->keyspace->expires);
}

/* Spends about ms milliseconds on the incremental rehash of db's first
 * table that is being rehashed. Returns 1 if one was, 0 if there was
 * nothing to do. */
int dbRehashStep(redisDb *db, int ms) {
    dict *tables[2] = {db->keyspace->keys, db->keyspace->expires};
    for (int j = 0; j < 2; j++) {
        if (dictIsRehashing(tables[j])) {
            dictRehashMilliseconds(tables[j], ms);
            return 1;
        }
    }
    return 0;
}

/* Bytes the key tables of db take beyond the keys and values themselves
 * (buckets and entries), for INFO memory. */
size_t dbTablesMemUsage(redisDb *db) {
    return dictMemUsage(db->keyspace->keys) + dictMemUsage(db->keyspace->expires);
}

void dbTablesMemUsageSplit(redisDb *db, size_t *keys, size_t *expires) {
    *keys = dictMemUsage(db->keyspace->keys);
    *expires = dictMemUsage(db->keyspace->expires);
}

sds dbKeyString(redisDb *db, robj *key) {
    dictEntry *de = dictFind(db->keyspace->keys, key->ptr);
    return de ? dictGetKey(de) : NULL;
}

/* Appends the DEBUG HTSTATS text of db's two tables to s and returns it. */
sds dbCatTableStats(sds s, redisDb *db) {
    char buf[4096];
    s = sdscat(s, "[Dictionary HT]\n");
    dictGetStats(buf, sizeof(buf), db->keyspace->keys);
    s = sdscat(s, buf);
    s = sdscat(s, "[Expires HT]\n");
    dictGetStats(buf, sizeof(buf), db->keyspace->expires);
    return sdscat(s, buf);
}

/* ---------------------------------------------- FLUSHDB / FLUSHALL */

/* Checks FLUSHDB/FLUSHALL's optional ASYNC|SYNC and says whether to free
 * lazily (ASYNC, or no argument with lazyfree-lazy-user-flush). C_ERR
 * after replying. */
static int checkFlushArgs(client *c, int *lazy) {
    *lazy = server.lazyfree.lazy_user_flush;
    if (c->argc == 1) return C_OK;
    if (c->argc == 2 && !strcasecmp(c->argv[1]->ptr, "sync")) {
        *lazy = 0;
        return C_OK;
    }
    if (c->argc == 2 && !strcasecmp(c->argv[1]->ptr, "async")) {
        *lazy = 1;
        return C_OK;
    }
    addReplyErrorObject(c, shared.syntaxerr);
    return C_ERR;
}

/* FLUSHDB [ASYNC|SYNC] */
void flushdbCommand(client *c) {
    int lazy;
    if (checkFlushArgs(c, &lazy) != C_OK) return;
    server.dirty += emptyDataLazily(c->db->id, lazy);
    forceCommandPropagation(c); /* replayed even when the database was empty */
    addReply(c, shared.ok);
}

/* FLUSHALL [ASYNC|SYNC] */
void flushallCommand(client *c) {
    int lazy;
    if (checkFlushArgs(c, &lazy) != C_OK) return;
    server.dirty += emptyDataLazily(-1, lazy);
    rdbAfterFlushAll();
    forceCommandPropagation(c); /* replayed even when every database was empty */
    addReply(c, shared.ok);
}

/* DBSIZE: keys in the current database, expired ones not yet removed
 * included. */
void dbsizeCommand(client *c) {
    addReplyLongLong(c, (long long)dbSize(c->db));
}

/* ------------------------------------------- DEL UNLINK EXISTS TOUCH */

/* DEL and UNLINK: remove the keys, reply how many existed (an expired key
 * does not count). */
static void delGenericCommand(client *c, int lazy) {
    long long deleted = 0;
    for (int j = 1; j < c->argc; j++) {
        expireIfNeeded(c->db, c->argv[j]);
        if (dbDeleteLazily(c->db, c->argv[j], lazy)) {
            signalModifiedKey(c, c->db, c->argv[j]);
            notifyKeyspaceEvent(NOTIFY_GENERIC, "del", c->argv[j], c->db->id);
            server.dirty++;
            deleted++;
        }
    }
    addReplyLongLong(c, deleted);
}

/* DEL key [key ...]: frees lazily with lazyfree-lazy-user-del. */
void delCommand(client *c) {
    delGenericCommand(c, server.lazyfree.lazy_user_del);
}

/* UNLINK key [key ...]: DEL with big values freed by the lazy-free thread. */
void unlinkCommand(client *c) {
    delGenericCommand(c, 1);
}

/* EXISTS key [key ...]: how many of the arguments exist (repeats count
 * again). Does not touch the keys' LRU. */
void existsCommand(client *c) {
    long long count = 0;
    for (int j = 1; j < c->argc; j++)
        if (lookupKeyReadWithFlags(c->db, c->argv[j], LOOKUP_NOTOUCH)) count++;
    addReplyLongLong(c, count);
}

/* TOUCH key [key ...]: like EXISTS, but updates each key's access time. */
void touchCommand(client *c) {
    long long count = 0;
    for (int j = 1; j < c->argc; j++)
        if (lookupKeyRead(c->db, c->argv[j])) count++;
    addReplyLongLong(c, count);
}

/* TYPE key: status reply with the type name, "none" when missing. */
void typeCommand(client *c) {
    robj *o = lookupKeyReadWithFlags(c->db, c->argv[1], LOOKUP_NOTOUCH);
    addReplyStatus(c, getObjectTypeName(o));
}

/* ------------------------------------------------------------ KEYS */

/* KEYS pattern: every key matching the glob, skipping (not deleting)
 * expired ones. O(N) in the database size by the user's choice. */
void keysCommand(client *c) {
    sds pattern = c->argv[1]->ptr;
    int plen = (int)sdslen(pattern);
    int allkeys = plen == 1 && pattern[0] == '*';
    long count = 0;
    void *lenptr = addReplyDeferredLen(c);
    dictIterator it;
    dictInitSafeIterator(&it, c->db->keyspace->keys);
    dictEntry *de;
    while (!clientReplyAbandoned(c) && (de = dictNext(&it)) != NULL) {
        sds key = dictGetKey(de);
        if (!allkeys && !stringmatchlen(pattern, plen, key, (int)sdslen(key), 0)) continue;
        robj keyobj = {.type = OBJ_STRING, .encoding = OBJ_ENCODING_RAW, .refcount = OBJ_STATIC_REFCOUNT, .ptr = key};
        if (keyIsExpired(c->db, &keyobj)) continue;
        addReplyBulkCBuffer(c, key, sdslen(key));
        count++;
    }
    dictResetIterator(&it);
    setDeferredArrayLen(c, lenptr, count);
}

/* ------------------------------------------------------------ SCAN */

/* Parses a SCAN cursor: an unsigned decimal as strtoul reads it, with no
 * leading space or trailing bytes. C_ERR after replying "invalid cursor". */
static int parseScanCursorOrReply(client *c, robj *o, unsigned long *cursor) {
    const char *s = o->ptr;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (isspace((unsigned char)s[0]) || *end != '\0' || errno == ERANGE) {
        addReplyError(c, "invalid cursor");
        return C_ERR;
    }
    *cursor = v;
    return C_OK;
}

/* The options of a SCAN-family command. */
typedef struct scanOptions {
    long count;          /* COUNT hint, default 10 */
    sds pattern;         /* MATCH glob, or NULL for all */
    sds type;            /* TYPE filter (keyspace SCAN only), or NULL */
} scanOptions;

/* Parses MATCH, COUNT and TYPE from argv[first..]. TYPE is only known to
 * the keyspace SCAN (o == NULL). C_ERR after replying. */
static int parseScanOptions(client *c, int first, robj *o, scanOptions *opt) {
    opt->count = 10;
    opt->pattern = NULL;
    opt->type = NULL;
    for (int j = first; j < c->argc; j += 2) {
        const char *name = c->argv[j]->ptr;
        int hasval = j + 1 < c->argc;
        if (hasval && !strcasecmp(name, "count")) {
            if (getLongFromObjectOrReply(c, c->argv[j + 1], &opt->count, NULL) != C_OK) return C_ERR;
            if (opt->count < 1) {
                addReplyErrorObject(c, shared.syntaxerr);
                return C_ERR;
            }
        } else if (hasval && !strcasecmp(name, "match")) {
            sds pat = c->argv[j + 1]->ptr;
            opt->pattern = (sdslen(pat) == 1 && pat[0] == '*') ? NULL : pat;
        } else if (hasval && o == NULL && !strcasecmp(name, "type")) {
            opt->type = c->argv[j + 1]->ptr;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return C_ERR;
        }
    }
    return C_OK;
}

/* What a scan step collected: element names (sds copies) or, when pairs
 * is set (HSCAN, ZSCAN), name and value alternately. */
typedef struct scanBatch {
    sds *items;
    size_t len, cap;
    int pairs;
} scanBatch;

/* Appends a copy of buf[0..len) to the batch. */
static void scanBatchPush(scanBatch *b, const char *buf, size_t len) {
    if (b->len == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->items = zrealloc(b->items, b->cap * sizeof(sds));
    }
    b->items[b->len++] = sdsnewlen(buf, len);
}

/* Frees the batch's strings and array. */
static void scanBatchFree(scanBatch *b) {
    for (size_t j = 0; j < b->len; j++)
        if (b->items[j]) sdsfree(b->items[j]);
    zfree(b->items);
}

/* dictScan callback for the keyspace: collects the key name. */
static void scanKeyCallback(void *privdata, const dictEntry *de) {
    sds key = dictGetKey(de);
    scanBatchPush(privdata, key, sdslen(key));
}

/* Collection step callback for members (SSCAN): a copy goes to the batch
 * (privdata). */
static void scanMemberCallback(void *privdata, const char *member, size_t len) {
    scanBatchPush(privdata, member, len);
}

/* Collection step callback for name/value pairs (HSCAN, ZSCAN): both go to
 * the batch (privdata). */
static void scanPairCallback(void *privdata, const char *name, size_t nlen, const char *val, size_t vlen) {
    scanBatchPush(privdata, name, nlen);
    scanBatchPush(privdata, val, vlen);
}

/* Walks the keyspace from cursor until about `count` keys are collected or
 * ten times that many buckets were visited. Returns the next cursor. */
static unsigned long scanKeyspaceStep(redisDb *db, unsigned long cursor, long count, scanBatch *b) {
    long maxsteps = count > LONG_MAX / 10 ? LONG_MAX : count * 10;
    do {
        cursor = dbScanKeys(db, cursor, scanKeyCallback, b);
    } while (cursor && maxsteps-- && b->len < (size_t)count);
    return cursor;
}

/* 1 if an element survives the filters: the MATCH pattern and, for the
 * keyspace (o == NULL), the TYPE filter and not being expired (an expired
 * key is deleted here). */
static int scanKeepElement(client *c, robj *o, sds name, scanOptions *opt) {
    if (opt->pattern && !stringmatchlen(opt->pattern, (int)sdslen(opt->pattern), name, (int)sdslen(name), 0))
        return 0;
    if (o != NULL) return 1;
    robj keyobj = {.type = OBJ_STRING, .encoding = OBJ_ENCODING_RAW, .refcount = OBJ_STATIC_REFCOUNT, .ptr = name};
    if (opt->type) {
        robj *val = lookupKeyReadWithFlags(c->db, &keyobj, LOOKUP_NOTOUCH);
        if (strcasecmp(opt->type, getObjectTypeName(val)) != 0) return 0;
    }
    return !expireIfNeeded(c->db, &keyobj);
}

/* Drops the batch entries that fail the filters (with their value when the
 * batch holds pairs). Returns how many strings remain. */
static size_t scanFilterBatch(client *c, robj *o, scanBatch *b, scanOptions *opt) {
    size_t step = b->pairs ? 2 : 1, kept = 0;
    for (size_t j = 0; j + step <= b->len; j += step) {
        if (scanKeepElement(c, o, b->items[j], opt)) {
            kept += step;
            continue;
        }
        for (size_t k = j; k < j + step; k++) {
            sdsfree(b->items[k]);
            b->items[k] = NULL;
        }
    }
    return kept;
}

/* The SCAN family's shared body. o is NULL for SCAN over the keyspace;
 * HSCAN, SSCAN and ZSCAN pass the collection (argv[2] is then the cursor
 * and options start at argv[3]). cursor was parsed by
 * parseScanCursorOrReply. Replies [next-cursor, [elements...]]. */
static void scanGenericCommand(client *c, robj *o, unsigned long cursor) {
    scanOptions opt;
    if (parseScanOptions(c, o == NULL ? 2 : 3, o, &opt) != C_OK) return;
    scanBatch batch = {NULL, 0, 0, 0};
    if (o == NULL) {
        cursor = scanKeyspaceStep(c->db, cursor, opt.count, &batch);
    } else if (o->type == OBJ_ZSET) {
        batch.pairs = 1;
        cursor = zsetScan(o, cursor, opt.count, scanPairCallback, &batch);
    } else if (o->type == OBJ_HASH) {
        batch.pairs = 1;
        cursor = hashTypeScan(o, cursor, opt.count, scanPairCallback, &batch);
    } else if (o->type == OBJ_SET) {
        cursor = setTypeScan(o, cursor, opt.count, scanMemberCallback, &batch);
    } else {
        serverPanic("SCAN over a value of type %d has no collection step", o->type);
    }

    size_t kept = scanFilterBatch(c, o, &batch, &opt);
    addReplyArrayLen(c, 2);
    char buf[LONG_STR_SIZE];
    int len = ull2string(buf, sizeof(buf), cursor);
    addReplyBulkCBuffer(c, buf, len);
    addReplyArrayLen(c, (long)kept);
    for (size_t j = 0; j < batch.len; j++)
        if (batch.items[j]) addReplyBulkCBuffer(c, batch.items[j], sdslen(batch.items[j]));
    scanBatchFree(&batch);
}

/* HSCAN, SSCAN and ZSCAN: key cursor [MATCH pattern] [COUNT count] over
 * the collection of the given type at argv[1]. The cursor is checked
 * first; a missing key gives an empty answer without looking at the
 * options, as in Redis. */
void scanCollectionCommand(client *c, int type) {
    unsigned long cursor;
    if (parseScanCursorOrReply(c, c->argv[2], &cursor) != C_OK) return;
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, o, type)) return;
    if (o == NULL) {
        addReplyArrayLen(c, 2);
        addReplyBulkCBuffer(c, "0", 1);
        addReply(c, shared.emptyarray);
        return;
    }
    scanGenericCommand(c, o, cursor);
}

/* SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
void scanCommand(client *c) {
    unsigned long cursor;
    if (parseScanCursorOrReply(c, c->argv[1], &cursor) != C_OK) return;
    scanGenericCommand(c, NULL, cursor);
}

/* -------------------------------------------------------- RANDOMKEY */

/* RANDOMKEY: a random key name, or null when the database is empty. */
void randomkeyCommand(client *c) {
    robj *key = dbRandomKey(c->db);
    if (key == NULL) {
        addReplyNull(c);
        return;
    }
    addReplyBulk(c, key);
    decrRefCount(key);
}

/* ------------------------------------------------------ RENAME(NX) */

/* RENAME and RENAMENX: move the value and deadline of argv[1] to argv[2].
 * Renaming a key to itself succeeds without change (RENAMENX replies 0). */
static void renameGenericCommand(client *c, int nx) {
    robj *src = c->argv[1], *dst = c->argv[2];
    int samekey = sdslen(src->ptr) == sdslen(dst->ptr) && memcmp(src->ptr, dst->ptr, sdslen(src->ptr)) == 0;
    robj *o = lookupKeyWriteOrReply(c, src, shared.nokeyerr);
    if (o == NULL) return;
    if (samekey) {
        addReply(c, nx ? shared.czero : shared.ok);
        return;
    }
    if (lookupKeyWrite(c->db, dst) != NULL) {
        if (nx) {
            addReply(c, shared.czero);
            return;
        }
        dbDelete(c->db, dst);
    }
    long long when = getExpire(c->db, src);
    incrRefCount(o);
    dbAdd(c->db, dst, o);
    if (when != -1) setExpire(c, c->db, dst, when);
    dbDelete(c->db, src);
    signalModifiedKey(c, c->db, src);
    signalModifiedKey(c, c->db, dst);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "rename_from", src, c->db->id);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "rename_to", dst, c->db->id);
    server.dirty++;
    addReply(c, nx ? shared.cone : shared.ok);
}

/* RENAME key newkey. Declared here, not in server.h: config.c has a static
 * function of the same name (the rename-command directive). */
void renameCommand(client *c);
void renameCommand(client *c) {
    renameGenericCommand(c, 0);
}

/* RENAMENX key newkey */
void renamenxCommand(client *c) {
    renameGenericCommand(c, 1);
}

/* ------------------------------------------------------ MOVE / COPY */

/* Parses a database index argument into *db. C_ERR after replying. */
static int getTargetDbOrReply(client *c, robj *arg, redisDb **db) {
    int id;
    if (getIntFromObjectOrReply(c, arg, &id, NULL) != C_OK) return C_ERR;
    if (id < 0 || id >= server.dbnum) {
        addReplyError(c, "DB index is out of range");
        return C_ERR;
    }
    *db = &server.db[id];
    return C_OK;
}

/* MOVE key db: moves key with its deadline to another database unless the
 * name is taken there. Replies 1 if moved, 0 otherwise. */
void moveCommand(client *c) {
    redisDb *src = c->db, *dst;
    robj *key = c->argv[1];
    if (getTargetDbOrReply(c, c->argv[2], &dst) != C_OK) return;
    if (src == dst) {
        addReplyErrorObject(c, shared.sameobjecterr);
        return;
    }
    robj *o = lookupKeyWrite(src, key);
    if (o == NULL || lookupKeyWrite(dst, key) != NULL) {
        addReply(c, shared.czero);
        return;
    }
    long long when = getExpire(src, key);
    incrRefCount(o);
    dbAdd(dst, key, o);
    if (when != -1) setExpire(c, dst, key, when);
    dbDelete(src, key);
    signalModifiedKey(c, src, key);
    signalModifiedKey(c, dst, key);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "move_from", key, src->id);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "move_to", key, dst->id);
    server.dirty++;
    addReply(c, shared.cone);
}

/* COPY source destination [DB destination-db] [REPLACE]: stores a private
 * copy of the value (and the deadline) under destination. Replies 1 if
 * copied, 0 if source is missing or destination exists without REPLACE. */
void copyCommand(client *c) {
    redisDb *src = c->db, *dst = c->db;
    robj *key = c->argv[1], *newkey = c->argv[2];
    int replace = 0;
    for (int j = 3; j < c->argc; j++) {
        if (!strcasecmp(c->argv[j]->ptr, "replace")) {
            replace = 1;
        } else if (!strcasecmp(c->argv[j]->ptr, "db") && j + 1 < c->argc) {
            if (getTargetDbOrReply(c, c->argv[++j], &dst) != C_OK) return;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
    }
    if (src == dst && sdslen(key->ptr) == sdslen(newkey->ptr) &&
        memcmp(key->ptr, newkey->ptr, sdslen(key->ptr)) == 0) {
        addReplyErrorObject(c, shared.sameobjecterr);
        return;
    }
    robj *o = lookupKeyRead(src, key);
    if (o == NULL) {
        addReply(c, shared.czero);
        return;
    }
    if (lookupKeyWrite(dst, newkey) != NULL) {
        if (!replace) {
            addReply(c, shared.czero);
            return;
        }
        dbDelete(dst, newkey);
    }
    long long when = getExpire(src, key);
    dbAdd(dst, newkey, dupObjectForCopy(o));
    if (when != -1) setExpire(c, dst, newkey, when);
    signalModifiedKey(c, dst, newkey);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "copy_to", newkey, dst->id);
    server.dirty++;
    addReply(c, shared.cone);
}

/* ------------------------------------------------------------ SWAPDB */

/* SWAPDB index1 index2 */
void swapdbCommand(client *c) {
    int id1, id2;
    if (getIntFromObjectOrReply(c, c->argv[1], &id1, "invalid first DB index") != C_OK) return;
    if (getIntFromObjectOrReply(c, c->argv[2], &id2, "invalid second DB index") != C_OK) return;
    if (dbSwapDatabases(id1, id2) != C_OK) {
        addReplyError(c, "DB index is out of range");
        return;
    }
    server.dirty++;
    addReply(c, shared.ok);
}

/* ------------------------------------------------------ keys by hash slot */

/* The cluster's per-slot views. These walk the whole table (O(keys)); an
 * indexed keyspace answers them from its slot index instead. */

typedef struct slotWalk {
    unsigned int slot;
    unsigned long long count;
    robj **keys;
    unsigned int max;
} slotWalk;

static int countInSlot(void *privdata, sds key, robj *val, long long expire) {
    slotWalk *w = privdata;
    (void)val, (void)expire;
    if (keyHashSlot(key, sdslen(key)) == w->slot) w->count++;
    return 1;
}

unsigned long long dbCountKeysInSlot(redisDb *db, unsigned int slot) {
    slotWalk w = {slot, 0, NULL, 0};
    dbForEach(db, countInSlot, &w);
    return w.count;
}

static int collectInSlot(void *privdata, sds key, robj *val, long long expire) {
    slotWalk *w = privdata;
    (void)val, (void)expire;
    if (w->count >= w->max) return 0;
    if (keyHashSlot(key, sdslen(key)) == w->slot) w->keys[w->count++] = createStringObject(key, sdslen(key));
    return w->count < w->max;
}

unsigned int dbGetKeysInSlot(redisDb *db, unsigned int slot, robj **keys, unsigned int count) {
    slotWalk w = {slot, 0, keys, count};
    if (count) dbForEach(db, collectInSlot, &w);
    return (unsigned int)w.count;
}

unsigned long long dbDeleteKeysInSlot(redisDb *db, unsigned int slot) {
    unsigned long long deleted = 0;
    robj *batch[128];
    unsigned int n;
    while ((n = dbGetKeysInSlot(db, slot, batch, 128)) > 0) {
        for (unsigned int j = 0; j < n; j++) {
            propagateDeletion(db, batch[j], server.lazyfree.lazy_server_del);
            signalModifiedKey(NULL, db, batch[j]);
            dbDelete(db, batch[j]);
            decrRefCount(batch[j]);
            deleted++;
        }
    }
    return deleted;
}
