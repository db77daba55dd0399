/* db.c — the keyspace API and the commands over whole databases.
 *
 * Each database is a dict from key (sds) to value (robj) plus a dict of
 * expire times for the keys that have one. Commands never touch those
 * tables: they go through lookupKey*, dbAdd, dbOverwrite, setKey, dbDelete,
 * setExpire, getExpire, so the tables can be replaced (DESIGN.md §5)
 * without changing a command.
 *
 * Expiry here is lazy only: a key whose time has passed is deleted when it
 * is looked up. The active expiry cycle comes with the keyspace issue.
 */
#include "server.h"

#include <string.h>
#include <strings.h>

/* ------------------------------------------------------- dict types */

uint64_t dictSdsHash(const void *key) {
    return dictGenHashFunction(key, sdslen((sds)key));
}

uint64_t dictSdsCaseHash(const void *key) {
    return dictGenCaseHashFunction(key, sdslen((sds)key));
}

int dictSdsKeyCompare(dict *d, const void *key1, const void *key2) {
    size_t l1 = sdslen((sds)key1), l2 = sdslen((sds)key2);
    return l1 == l2 && memcmp(key1, key2, l1) == 0;
}

int dictSdsKeyCaseCompare(dict *d, const void *key1, const void *key2) {
    return strcasecmp(key1, key2) == 0;
}

void dictSdsDestructor(dict *d, void *val) {
    sdsfree(val);
}

void dictObjectDestructor(dict *d, void *val) {
    if (val) decrRefCount(val);
}

/* The keyspace: sds keys owned by the dict, robj values. */
dictType dbDictType = {dictSdsHash, NULL, NULL, dictSdsKeyCompare, dictSdsDestructor, dictObjectDestructor, NULL};
/* Expires: keys shared with the keyspace dict (not freed here). */
dictType keyptrDictType = {dictSdsHash, NULL, NULL, dictSdsKeyCompare, NULL, NULL, NULL};
/* INFO errorstats: error code -> count. */
dictType errorStatsDictType = {dictSdsCaseHash, NULL, NULL, dictSdsKeyCaseCompare, dictSdsDestructor, NULL, NULL};

void initDatabases(void) {
    server.db = zcalloc(sizeof(redisDb) * server.dbnum);
    for (int j = 0; j < server.dbnum; j++) {
        server.db[j].dict = dictCreate(&dbDictType);
        server.db[j].expires = dictCreate(&keyptrDictType);
        server.db[j].id = j;
    }
}

/* -------------------------------------------------------- lookups */

/* Deletes the key if its time has passed. Returns 1 if it was expired. */
int expireIfNeeded(redisDb *db, robj *key) {
    if (!keyIsExpired(db, key)) return 0;
    if (server.loading) return 0;
    dbDelete(db, key);
    server.stat.expiredkeys++;
    return 1;
}

static robj *lookupKey(redisDb *db, robj *key) {
    dictEntry *de = dictFind(db->dict, key->ptr);
    if (de == NULL) return NULL;
    if (expireIfNeeded(db, key)) return NULL;
    robj *val = dictGetVal(de);
    val->lru = LRU_CLOCK();
    return val;
}

/* The value at key for reading, or NULL. Counts keyspace hits and misses. */
robj *lookupKeyRead(redisDb *db, robj *key) {
    robj *val = lookupKey(db, key);
    if (val)
        server.stat.keyspace_hits++;
    else
        server.stat.keyspace_misses++;
    return val;
}

/* The value at key for writing, or NULL. */
robj *lookupKeyWrite(redisDb *db, robj *key) {
    return lookupKey(db, key);
}

robj *lookupKeyReadOrReply(client *c, robj *key, robj *reply) {
    robj *o = lookupKeyRead(c->db, key);
    if (!o) addReply(c, reply);
    return o;
}

robj *lookupKeyWriteOrReply(client *c, robj *key, robj *reply) {
    robj *o = lookupKeyWrite(c->db, key);
    if (!o) addReply(c, reply);
    return o;
}

/* -------------------------------------------------------- writes */

/* Adds a new key (which must not exist). Takes a reference to val's
 * ownership from the caller; the key is copied. */
void dbAdd(redisDb *db, robj *key, robj *val) {
    sds copy = sdsdup(key->ptr);
    int ret = dictAdd(db->dict, copy, val);
    serverAssert(ret == DICT_OK);
}

/* Replaces the value of an existing key; the TTL is kept. */
void dbOverwrite(redisDb *db, robj *key, robj *val) {
    dictEntry *de = dictFind(db->dict, key->ptr);
    serverAssert(de != NULL);
    robj *old = dictGetVal(de);
    dictSetVal(db->dict, de, val);
    decrRefCount(old);
}

/* The high level write: add or overwrite, dropping the TTL unless keepttl.
 * The caller keeps its own reference to val (one is taken here). */
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

/* Removes key and its TTL. Returns 1 if it existed. */
int dbDelete(redisDb *db, robj *key) {
    if (dictSize(db->expires) > 0) dictDelete(db->expires, key->ptr);
    return dictDelete(db->dict, key->ptr) == DICT_OK;
}

int dbExists(redisDb *db, robj *key) {
    return dictFind(db->dict, key->ptr) != NULL;
}

/* Hook for WATCH and client-side caching (later issues). */
void signalModifiedKey(client *c, redisDb *db, robj *key) {
    (void)c;
    (void)db;
    (void)key;
}

/* --------------------------------------------------------- expires */

/* Sets the absolute expire time (unix ms) of an existing key. */
void setExpire(client *c, redisDb *db, robj *key, long long when) {
    dictEntry *kde = dictFind(db->dict, key->ptr);
    serverAssert(kde != NULL);
    dictEntry *de = dictAddOrFind(db->expires, dictGetKey(kde));
    dictSetSignedIntegerVal(de, when);
    (void)c;
}

/* The absolute expire time of key in unix ms, or -1 if none. */
long long getExpire(redisDb *db, robj *key) {
    if (dictSize(db->expires) == 0) return -1;
    dictEntry *de = dictFind(db->expires, key->ptr);
    return de ? dictGetSignedIntegerVal(de) : -1;
}

int removeExpire(redisDb *db, robj *key) {
    return dictDelete(db->expires, key->ptr) == DICT_OK;
}

int keyIsExpired(redisDb *db, robj *key) {
    long long when = getExpire(db, key);
    if (when < 0) return 0;
    return mstime() > when;
}

/* ------------------------------------------------------ databases */

int selectDb(client *c, int id) {
    if (id < 0 || id >= server.dbnum) return C_ERR;
    c->db = &server.db[id];
    return C_OK;
}

long long dbTotalServerKeyCount(void) {
    long long total = 0;
    for (int j = 0; j < server.dbnum; j++) total += dictSize(server.db[j].dict);
    return total;
}

/* Empties one database (dbnum >= 0) or all (-1). Returns keys removed. */
long long emptyData(int dbnum, void (*callback)(dict *)) {
    long long removed = 0;
    int start = dbnum == -1 ? 0 : dbnum, end = dbnum == -1 ? server.dbnum - 1 : dbnum;
    for (int j = start; j <= end; j++) {
        removed += dictSize(server.db[j].dict);
        dictEmpty(server.db[j].dict, callback);
        dictEmpty(server.db[j].expires, callback);
    }
    return removed;
}

/* Parses FLUSHDB/FLUSHALL's optional ASYNC|SYNC. */
static int getFlushFlags(client *c) {
    if (c->argc == 1) return C_OK;
    if (c->argc == 2 && (!strcasecmp(c->argv[1]->ptr, "sync") || !strcasecmp(c->argv[1]->ptr, "async")))
        return C_OK;
    addReplyErrorObject(c, shared.syntaxerr);
    return C_ERR;
}

void flushdbCommand(client *c) {
    if (getFlushFlags(c) != C_OK) return;
    server.dirty += emptyData(c->db->id, NULL);
    addReply(c, shared.ok);
}

void flushallCommand(client *c) {
    if (getFlushFlags(c) != C_OK) return;
    server.dirty += emptyData(-1, NULL);
    addReply(c, shared.ok);
}

void dbsizeCommand(client *c) {
    addReplyLongLong(c, dictSize(c->db->dict));
}

void delCommand(client *c) {
    long long deleted = 0;
    for (int j = 1; j < c->argc; j++) {
        expireIfNeeded(c->db, c->argv[j]);
        if (dbDelete(c->db, c->argv[j])) {
            signalModifiedKey(c, c->db, c->argv[j]);
            server.dirty++;
            deleted++;
        }
    }
    addReplyLongLong(c, deleted);
}

void existsCommand(client *c) {
    long long count = 0;
    for (int j = 1; j < c->argc; j++)
        if (lookupKeyRead(c->db, c->argv[j])) count++;
    addReplyLongLong(c, count);
}
