/* db.c — the keyspace API and the commands over keys and whole databases.
 *
 * A database's key tables (struct dbKeyspace) are keyspace.c's: one
 * allocation per key (an entry holding the header, the deadline when
 * there is one, the key, and a short string value itself), a pointer
 * table that finds entries by the siphash of their key (one table per
 * hash slot in cluster mode), and a dense array of the entries that have
 * a deadline. This file builds the keyspace API on them, and no other
 * file sees them: db.h declares the struct without its fields. The value
 * object a lookup returns is the entry itself for an embedded string, the
 * object the entry holds otherwise (see keyspace.c); it stays valid until
 * the key is next written or deleted, or its deadline set or removed.
 *
 * Commands go through the API below: lookupKey* to read (which also
 * expires a key whose deadline has passed, updates the LRU stamp and
 * counts keyspace hits and misses, each unless the flags say otherwise),
 * dbAdd / dbOverwrite / setKey to write, dbDelete to remove, setExpire /
 * getExpire / removeExpire for deadlines. The server's own upkeep has its
 * calls too: dbSize and dbExpiresCount (INFO, DBSIZE), dbForEachKey (the
 * AOF rewrite), dbScanExpires (active expiry's sampling), dbRehashStep and
 * dbShrinkSparseTables (serverCron), dbTablesMemUsage and its split form
 * (INFO memory, MEMORY STATS), dbEntryAllocSize (MEMORY USAGE, DEBUG
 * SDSLEN), dbPeek and dbCatTableStats (DEBUG), dbSampleKeys and
 * dbRandomKeySample (eviction), and the slot calls of cluster mode
 * (dbCountKeysInSlot, dbGetKeysInSlot, dbDeleteKeysInSlot).
 *
 * Expiry is lazy here (expireIfNeeded, called by every lookup) and active in
 * expire.c, which samples the keys with a deadline on a budget. Both remove
 * a key through deleteExpiredKey, so whatever must follow an expiry
 * deletion (the expired_keys count, the signal to blocked clients) happens
 * in one place. While clients are paused the dataset must not change, so an
 * expired key is reported missing but kept.
 *
 * The second half holds the generic keyspace commands: DEL, UNLINK, EXISTS,
 * TOUCH, TYPE, KEYS, SCAN, RANDOMKEY, RENAME(NX), MOVE, COPY, SWAPDB, DBSIZE,
 * FLUSHDB and FLUSHALL. SELECT lives in cmd_connection.c, OBJECT in object.c.
 */
#include "server.h"
#include "childproc.h"
#include "evict.h"
#include "keyspace.h"
#include "notify.h"
#include "rdb.h"
#include "lazyfree.h"
#include "bigkey.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static robj *dbRandomKey(redisDb *db);
static int dbSwapDatabases(int id1, int id2);

/* A fresh, empty keyspace (per slot in cluster mode). */
static dbKeyspace *newKeyspace(void) {
    return ksCreate(server.cluster.enabled);
}

/* Creates server.dbnum empty databases and turns active expiry on (its
 * only off switch is DEBUG SET-ACTIVE-EXPIRE 0; it is no config directive). */
void initDatabases(void) {
    server.db = zcalloc(sizeof(redisDb) * server.dbnum);
    for (int j = 0; j < server.dbnum; j++) {
        server.db[j].keyspace = newKeyspace();
        server.db[j].id = j;
    }
}

/* The entry of key, or NULL: no expiry, no access, no statistics. */
static robj *findEntry(redisDb *db, robj *key) {
    if (ksSize(db->keyspace) == 0) return NULL;
    sds name = key->ptr;
    return ksFind(db->keyspace, name, ksHash(name, sdslen(name)));
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

/* 1 if entry e has a deadline that has passed (now > deadline). Nothing
 * expires while a dataset is being loaded. */
static int entryIsExpired(const robj *e) {
    if (!e->has_expire || server.persist.loading) return 0;
    return mstime() > ksEntryExpire(e);
}

/* expireIfNeeded for the entry e of key. */
static int expireEntryIfNeeded(redisDb *db, robj *key, robj *e) {
    if (!entryIsExpired(e)) return 0;
    if (server.repl.masterhost) return !(server.current_client && (server.current_client->flags & CLIENT_MASTER));
    if (expiryDeletionSuspended()) return 1;
    deleteExpiredKey(db, key);
    return 1;
}

/* Deletes key if its deadline has passed. Returns 1 if the key is expired
 * (deleted, or only hidden while deletion is suspended), 0 otherwise. On a
 * replica an expired key is only hidden, and the commands of the primary
 * still see it: the primary's DEL is what removes it, so both datasets
 * stay the same. */
static int expireIfNeeded(redisDb *db, robj *key) {
    robj *e = findEntry(db, key);
    return e ? expireEntryIfNeeded(db, key, e) : 0;
}

/* Sets the absolute deadline (unix ms) of an existing key. The key's
 * value object may move (see the top of the file). */
void setExpire(client *c, redisDb *db, robj *key, long long when) {
    (void)c;
    robj *e = findEntry(db, key);
    serverAssert(e != NULL);
    ksSetExpire(db->keyspace, e, when);
}

/* The absolute deadline of key in unix ms, or -1 if it has none. */
long long getExpire(redisDb *db, robj *key) {
    if (ksVolatileSize(db->keyspace) == 0) return -1;
    robj *e = findEntry(db, key);
    return e ? ksEntryExpire(e) : -1;
}

/* Drops key's deadline. Returns 1 if it had one. The key's value object
 * may move. */
int removeExpire(redisDb *db, robj *key) {
    if (ksVolatileSize(db->keyspace) == 0) return 0;
    robj *e = findEntry(db, key);
    if (e == NULL || !e->has_expire) return 0;
    ksRemoveExpire(db->keyspace, e);
    return 1;
}

/* Number of keys of db that have a deadline. */
unsigned long dbExpiresCount(redisDb *db) {
    return ksVolatileSize(db->keyspace);
}

/* Number of keys of db, expired ones not yet removed included. */
unsigned long dbSize(redisDb *db) {
    return ksSize(db->keyspace);
}

/* State of dbScanExpires while ksScanVolatile runs. */
typedef struct expireScanState {
    dbExpireScanFunction *fn;
    void *privdata;
} expireScanState;

static void expireScanCallback(void *privdata, robj *e) {
    expireScanState *st = privdata;
    st->fn(st->privdata, ksEntryKey(e), ksEntryExpire(e));
}

/* One step of a cursor walk over the keys of db that have a deadline:
 * calls fn(privdata, key, deadline) for the next key and returns the next
 * cursor (0 when a full pass is complete). key is the table's own sds,
 * valid until that key is deleted; fn must not change the keyspace. A walk
 * that starts at 0 and runs to 0 sees every key that has a deadline all
 * along at least once. */
unsigned long dbScanExpires(redisDb *db, unsigned long cursor, dbExpireScanFunction *fn, void *privdata) {
    expireScanState st = {fn, privdata};
    return ksScanVolatile(db->keyspace, cursor, expireScanCallback, &st);
}

/* Calls fn(priv, key, value, deadline or -1) for every key of db, expired
 * ones not yet removed included. key and value are the table's own,
 * borrowed for the call; fn must not change the keyspace. */
void dbForEachKey(redisDb *db, dbKeyFunction *fn, void *priv) {
    ksIterator it;
    ksInitIterator(&it, db->keyspace);
    robj *e;
    while ((e = ksNext(&it)) != NULL) fn(priv, ksEntryKey(e), ksEntryValue(e), ksEntryExpire(e));
    ksResetIterator(&it);
}

/* Fills *out from entry e: its deadline when sampled among the keys with
 * one, else -1. */
static void sampleFromEntry(int volatile_only, robj *e, dbKeySample *out) {
    out->key = ksEntryKey(e);
    out->val = ksEntryValue(e);
    out->when = volatile_only ? ksEntryExpire(e) : -1;
}

unsigned int dbSampleKeys(redisDb *db, int volatile_only, dbKeySample *out, unsigned int count) {
    robj *found[64];
    if (count > 64) count = 64;
    unsigned int n = ksSample(db->keyspace, volatile_only, found, count);
    for (unsigned int j = 0; j < n; j++) sampleFromEntry(volatile_only, found[j], &out[j]);
    return n;
}

int dbRandomKeySample(redisDb *db, int volatile_only, dbKeySample *out) {
    robj *e = ksRandom(db->keyspace, volatile_only);
    if (e == NULL) return 0;
    sampleFromEntry(volatile_only, e, out);
    return 1;
}

/* -------------------------------------------------------- lookups */

/* The value stored at key, or NULL, with no side effect at all: no expiry,
 * no LRU stamp, no statistics (DEBUG OBJECT). Borrowed from the keyspace. */
robj *dbPeek(redisDb *db, robj *key) {
    robj *e = findEntry(db, key);
    return e ? ksEntryValue(e) : NULL;
}

/* The entry of key after expiry, with the access and statistics of a
 * lookup (see lookupKey). *hash gets the key's hash, or is left alone when
 * the database is empty (nothing to hash for). */
static inline __attribute__((always_inline)) robj *lookupEntry(redisDb *db, robj *key, int flags, uint64_t *hash,
                                                                int *hashed) {
    sds name = key->ptr;
    robj *e = NULL;
    *hashed = ksSize(db->keyspace) != 0;
    if (*hashed) {
        *hash = ksHash(name, sdslen(name));
        e = ksFind(db->keyspace, name, *hash);
    }
    if (e && e->has_expire && expireEntryIfNeeded(db, key, e)) e = NULL;
    if (e) {
        /* While a child shares the pages, a stamp write would copy one. */
        if (!(flags & LOOKUP_NOTOUCH) && !childActive()) objectTouchAccess(ksEntryValue(e));
    }
    if (!(flags & (LOOKUP_NOSTATS | LOOKUP_WRITE))) {
        if (e)
            server.stat.keyspace_hits++;
        else
            server.stat.keyspace_misses++;
    }
    if (e == NULL && !(flags & (LOOKUP_NONOTIFY | LOOKUP_WRITE)))
        notifyKeyspaceEvent(NOTIFY_KEY_MISS, "keymiss", key, db->id);
    return e;
}

/* The value at key, or NULL. Expires the key first if its time has
 * passed; LOOKUP_NOTOUCH keeps the LRU stamp, LOOKUP_NOSTATS and
 * LOOKUP_WRITE keep keyspace_hits/misses unchanged, and a read miss
 * announces "keymiss" unless LOOKUP_NONOTIFY (or LOOKUP_WRITE) is given. The value stays valid
 * until the key is next written or deleted, or its deadline changes. */
static robj *lookupKey(redisDb *db, robj *key, int flags) {
    uint64_t hash;
    int hashed;
    robj *e = lookupEntry(db, key, flags, &hash, &hashed);
    return e ? ksEntryValue(e) : NULL;
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

robj *lookupKeyWriteRef(redisDb *db, robj *key, dbKeyRef *ref) {
    ref->entry = lookupEntry(db, key, LOOKUP_WRITE, &ref->hash, &ref->hashed);
    ref->changes = ksChanges(db->keyspace);
    return ref->entry ? ksEntryValue(ref->entry) : NULL;
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
    ksIterator it;
    ksInitIterator(&it, db->keyspace);
    robj *e;
    int go_on = 1;
    while (go_on && (e = ksNext(&it)) != NULL) go_on = fn(privdata, ksEntryKey(e), ksEntryValue(e), ksEntryExpire(e));
    ksResetIterator(&it);
    return go_on;
}

/* Sizes db's tables for a load that announces keys and expires (RESIZEDB),
 * so they do not rehash while they fill. Best effort. */
void dbExpandForLoad(redisDb *db, unsigned long keys, unsigned long expires) {
    ksExpand(db->keyspace, keys, expires);
}

/* dbAddLoaded adds a key read from a file or a payload, with no event or
 * wake-up: it takes key (an sds) and the reference to val. When the key
 * exists it is replaced if replace, else nothing is taken and 0 returned. */
int dbAddLoaded(redisDb *db, sds key, robj *val, long long expire, int replace) {
    robj k = {.type = OBJ_STRING, .encoding = OBJ_ENCODING_RAW, .refcount = OBJ_STATIC_REFCOUNT, .ptr = key};
    uint64_t hash = ksHash(key, sdslen(key));
    if (ksFind(db->keyspace, key, hash) != NULL) {
        if (!replace) return 0;
        dbDelete(db, &k);
    }
    ksAdd(db->keyspace, key, sdslen(key), hash, val, expire);
    decrRefCount(val);
    sdsfree(key);
    return 1;
}

/* The events of a new key. */
static void keyAdded(redisDb *db, robj *key, robj *stored) {
    if (stored->type == OBJ_LIST || stored->type == OBJ_ZSET) signalKeyAsReady(db, key, stored->type);
    notifyKeyspaceEvent(NOTIFY_NEW, "new", key, db->id);
}

/* dbAdd with the hash of key already known. */
static robj *addHashed(redisDb *db, robj *key, robj *val, uint64_t hash) {
    sds name = key->ptr;
    robj *stored = ksAdd(db->keyspace, name, sdslen(name), hash, val, -1);
    decrRefCount(val); /* the keyspace holds its own reference or a copy */
    keyAdded(db, key, stored);
    return stored;
}

robj *dbAdd(redisDb *db, robj *key, robj *val) {
    sds name = key->ptr;
    uint64_t hash = ksHash(name, sdslen(name));
    serverAssert(ksFind(db->keyspace, name, hash) == NULL);
    return addHashed(db, key, val, hash);
}

robj *dbAddRef(redisDb *db, robj *key, robj *val, dbKeyRef *ref) {
    serverAssert(ref->entry == NULL && ref->changes == ksChanges(db->keyspace));
    sds name = key->ptr;
    return addHashed(db, key, val, ref->hashed ? ref->hash : ksHash(name, sdslen(name)));
}

/* Gives the entry e of key the value val (borrowed: the keyspace takes
 * its own reference or a copy), keeping its deadline when keepttl, and
 * releases the old value (on the lazy-free thread when big with
 * lazyfree-lazy-server-del, or huge). Under an LFU policy the new value
 * keeps the old one's counter, as in Redis. Returns the value object now
 * stored. */
static robj *overwriteEntry(redisDb *db, robj *key, robj *e, robj *val, int keepttl) {
    if (bigkeyEnabled()) bigkeyCountFreed(db, key, ksEntryValue(e));
    if (server.memory.maxmemory_policy & MAXMEMORY_FLAG_LFU) val->lru = ksEntryValue(e)->lru;
    robj *stored;
    robj *old = ksOverwrite(db->keyspace, e, val, keepttl, &stored);
    if (old) lazyfreeReleaseValue(old, server.lazyfree.lazy_server_del);
    return stored;
}

robj *dbOverwrite(redisDb *db, robj *key, robj *val) {
    robj *e = findEntry(db, key);
    serverAssert(e != NULL);
    robj *stored = overwriteEntry(db, key, e, val, 1);
    decrRefCount(val);
    return stored;
}

robj *dbOverwriteRef(redisDb *db, robj *key, robj *val, dbKeyRef *ref) {
    serverAssert(ref->entry != NULL && ref->changes == ksChanges(db->keyspace));
    robj *stored = overwriteEntry(db, key, ref->entry, val, 1);
    decrRefCount(val);
    return stored;
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
    return dbOverwrite(db, key, copy);
}

/* The high level write: add or overwrite, dropping the deadline unless
 * keepttl. The caller keeps its own reference to val (the keyspace takes
 * one, or copies a short string). */
void setKey(client *c, redisDb *db, robj *key, robj *val, int keepttl) {
    setKeyIf(c, db, key, val, keepttl, SETKEY_ALWAYS);
}

int setKeyIf(client *c, redisDb *db, robj *key, robj *val, int keepttl, int cond) {
    uint64_t hash = 0;
    int hashed;
    /* The lookup's LRU stamp is overwritten by the new value's, unless
     * the write may not happen or LFU keeps the old counter. */
    int touch = cond != SETKEY_ALWAYS || (server.memory.maxmemory_policy & MAXMEMORY_FLAG_LFU);
    robj *e = lookupEntry(db, key, touch ? LOOKUP_WRITE : LOOKUP_WRITE | LOOKUP_NOTOUCH, &hash, &hashed);
    if (e == NULL) {
        if (cond == SETKEY_IF_PRESENT) return 0;
        sds name = key->ptr;
        if (!hashed) hash = ksHash(name, sdslen(name));
        keyAdded(db, key, ksAdd(db->keyspace, name, sdslen(name), hash, val, -1));
    } else {
        if (cond == SETKEY_IF_ABSENT) return 0;
        overwriteEntry(db, key, e, val, keepttl);
    }
    signalModifiedKey(c, db, key);
    return 1;
}

/* Removes key, its value and its deadline. Returns 1 if it existed. The
 * entry is unlinked first so key may alias the stored key sds. A deletion
 * the server decides (not DEL/UNLINK) frees lazily with
 * lazyfree-lazy-server-del. */
int dbDelete(redisDb *db, robj *key) {
    return dbDeleteLazily(db, key, server.lazyfree.lazy_server_del);
}

int dbDeleteLazily(redisDb *db, robj *key, int lazy) {
    sds name = key->ptr;
    robj *e = ksUnlink(db->keyspace, name, ksHash(name, sdslen(name)));
    if (e == NULL) return 0;
    if (bigkeyEnabled()) bigkeyCountFreed(db, key, ksEntryValue(e));
    lazyfreeReleaseValue(ksEntryDetachValue(e), lazy);
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
        robj *val = dbPeek(db, key);
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
    int allvolatile = ksSize(db->keyspace) == ksVolatileSize(db->keyspace);
    int tries = 100;
    for (;;) {
        robj *e = ksRandom(db->keyspace, 0);
        if (e == NULL) return NULL;
        sds name = ksEntryKey(e);
        robj *keyobj = createStringObject(name, sdslen(name));
        if (e->has_expire) {
            if (allvolatile && expiryDeletionSuspended() && --tries == 0) return keyobj;
            if (expireEntryIfNeeded(db, keyobj, e)) {
                decrRefCount(keyobj);
                continue;
            }
        }
        return keyobj;
    }
}

/* One step of a cursor walk over db's keys: calls fn(privdata, entry) for
 * the keys of the next home slot(s) and returns the next cursor (0 when
 * the walk is complete). fn must not modify the keyspace. */
static unsigned long dbScanKeys(redisDb *db, unsigned long cursor, ksScanFunction *fn, void *privdata) {
    return ksScan(db->keyspace, cursor, fn, privdata);
}

/* ---------------------------------------------------- cluster slots */

unsigned long long dbCountKeysInSlot(redisDb *db, unsigned int slot) {
    if (slot >= KS_SLOTS) return 0;
    return ksSlotSize(db->keyspace, slot);
}

unsigned int dbGetKeysInSlot(redisDb *db, unsigned int slot, robj **keys, unsigned int count) {
    if (slot >= KS_SLOTS || count == 0) return 0;
    robj **found = zmalloc(sizeof(robj *) * count);
    unsigned int n = ksSlotEntries(db->keyspace, slot, found, count);
    for (unsigned int j = 0; j < n; j++) {
        sds name = ksEntryKey(found[j]);
        keys[j] = createStringObject(name, sdslen(name));
    }
    zfree(found);
    return n;
}

unsigned long long dbDeleteKeysInSlot(redisDb *db, unsigned int slot) {
    unsigned long long deleted = 0;
    robj *batch[128];
    unsigned int n;
    while ((n = dbGetKeysInSlot(db, slot, batch, 128)) > 0) {
        for (unsigned int j = 0; j < n; j++) {
            robj *key = batch[j];
            propagateDeletion(db, key, server.lazyfree.lazy_server_del);
            dbDelete(db, key);
            signalModifiedKey(NULL, db, key);
            notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, db->id);
            server.dirty++;
            deleted++;
            decrRefCount(key);
        }
    }
    return deleted;
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
        size_t keys = ksSize(db->keyspace);
        removed += (long long)keys;
        if (lazy && keys > 0)
            lazyfreeKeyTables(ksReleaseVoid, db->keyspace, keys);
        else
            ksRelease(db->keyspace);
        db->keyspace = newKeyspace();
        db->avg_ttl = 0;
        db->expires_cursor = 0;
        scanDatabaseForReadyKeys(db);
    }
    trackingInvalidateKeysOnFlush();
    return removed;
}

static void freeKeyspace(dbKeyspace *ks, int lazy) {
    size_t keys = ksSize(ks);
    if (lazy && keys > 0)
        lazyfreeKeyTables(ksReleaseVoid, ks, keys);
    else
        ksRelease(ks);
}

/* Every database's tables become tables (each borrowed from tables[j]):
 * watchers and blocked clients learn of it as of a flush. */
void dbAnnounceNewKeyspaces(void) {
    for (int j = 0; j < server.dbnum; j++) {
        redisDb *db = &server.db[j];
        touchAllWatchedKeysInDb(db, NULL);
        db->avg_ttl = 0;
        db->expires_cursor = 0;
        scanDatabaseForReadyKeys(db);
    }
    trackingInvalidateKeysOnFlush();
}

static void installKeyspaces(dbKeyspace **tables) {
    for (int j = 0; j < server.dbnum; j++) server.db[j].keyspace = tables[j];
    dbAnnounceNewKeyspaces();
}

dbKeyspace **dbStashKeyspaces(void) {
    dbKeyspace **stash = zmalloc(sizeof(*stash) * server.dbnum);
    dbKeyspace **fresh = zmalloc(sizeof(*fresh) * server.dbnum);
    for (int j = 0; j < server.dbnum; j++) {
        stash[j] = server.db[j].keyspace;
        fresh[j] = newKeyspace();
    }
    installKeyspaces(fresh);
    zfree(fresh);
    return stash;
}

void dbRestoreKeyspaces(dbKeyspace **stash) {
    dbKeyspace **loaded = zmalloc(sizeof(*loaded) * server.dbnum);
    for (int j = 0; j < server.dbnum; j++) loaded[j] = server.db[j].keyspace;
    installKeyspaces(stash);
    for (int j = 0; j < server.dbnum; j++) freeKeyspace(loaded[j], 0);
    zfree(loaded);
    zfree(stash);
}

void dbExchangeKeyspaces(dbKeyspace **stash) {
    for (int j = 0; j < server.dbnum; j++) {
        dbKeyspace *t = server.db[j].keyspace;
        server.db[j].keyspace = stash[j];
        stash[j] = t;
    }
}

void dbDiscardKeyspaces(dbKeyspace **stash, int lazy) {
    for (int j = 0; j < server.dbnum; j++) freeKeyspace(stash[j], lazy);
    zfree(stash);
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
 * mostly empty slots: that wastes memory and slows random sampling and
 * scans. The shrink itself is an incremental rehash. */
void dbShrinkSparseTables(redisDb *db) {
    ksShrinkIfSparse(db->keyspace);
}

/* Spends about ms milliseconds on the incremental rehash of db's tables.
 * Returns 1 if one was being rehashed, 0 if there was nothing to do. */
int dbRehashStep(redisDb *db, int ms) {
    return ksRehashStep(db->keyspace, (long long)ms * 1000);
}

/* Bytes the key tables of db take beyond the entries themselves (slot
 * arrays, the array of keys with a deadline), for INFO memory. */
size_t dbTablesMemUsage(redisDb *db) {
    size_t keys, expires;
    ksTablesMemUsage(db->keyspace, &keys, &expires);
    return keys + expires;
}

void dbTablesMemUsageSplit(redisDb *db, size_t *keys, size_t *expires) {
    ksTablesMemUsage(db->keyspace, keys, expires);
}

size_t dbEntryAllocSize(redisDb *db, robj *key) {
    robj *e = findEntry(db, key);
    return e ? zmalloc_size(e) : 0;
}

sds dbKeyString(redisDb *db, robj *key) {
    robj *e = findEntry(db, key);
    return e ? ksEntryKey(e) : NULL;
}

/* Appends the DEBUG HTSTATS text of db's tables to s and returns it. */
sds dbCatTableStats(sds s, redisDb *db) {
    return ksCatStats(s, db->keyspace);
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
    ksIterator it;
    ksInitIterator(&it, c->db->keyspace);
    robj *e;
    while (!clientReplyAbandoned(c) && (e = ksNext(&it)) != NULL) {
        sds key = ksEntryKey(e);
        if (!allkeys && !stringmatchlen(pattern, plen, key, (int)sdslen(key), 0)) continue;
        if (entryIsExpired(e)) continue;
        addReplyBulkCBuffer(c, key, sdslen(key));
        count++;
    }
    ksResetIterator(&it);
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

/* ksScan callback for the keyspace: collects the key name. */
static void scanKeyCallback(void *privdata, robj *e) {
    sds key = ksEntryKey(e);
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
