/* evict.c — maxmemory: which keys go when memory runs out.
 *
 * With `maxmemory` set, processCommand calls performEvictions before each
 * command. When used memory (zmalloc's count) is above the limit, keys are
 * deleted by `maxmemory-policy` until it is not:
 *
 *   noeviction        nothing is deleted; commands flagged deny-oom get -OOM
 *   allkeys-lru       the least recently used keys of all
 *   volatile-lru      the least recently used keys that have a deadline
 *   allkeys-lfu       the least frequently used keys of all
 *   volatile-lfu      the least frequently used keys that have a deadline
 *   allkeys-random    any key
 *   volatile-random   any key that has a deadline
 *   volatile-ttl      the keys with a deadline nearest to now
 *
 * Exact LRU would need a list threaded through every key; like Redis, the
 * order is approximated by sampling. Each round takes `maxmemory-samples`
 * keys from every database and offers them to a small pool (16 entries)
 * kept sorted by a score — idle milliseconds for LRU, 255 minus the access
 * counter for LFU, "how soon it expires" for TTL — and the best-scored key
 * of the pool is evicted. The pool carries the good candidates of earlier
 * rounds forward, so a few samples a round come close to true LRU.
 *
 * Access stamps. robj.lru (24 bits) is the LRU clock (seconds) under every
 * policy but LFU. Under LFU it is split: the upper 16 bits are a clock in
 * minutes (the last decrement), the low 8 bits a logarithmic counter. An
 * access increments the counter with probability 1 / ((counter - 5) *
 * lfu-log-factor + 1), so it saturates at 255 only after about a million
 * hits with the default factor 10; the counter loses one per
 * `lfu-decay-time` minutes without access. New values start at
 * LFU_INIT_VAL so they are not the first to go.
 *
 * One command must not stall the loop. `maxmemory-eviction-tenacity`
 * (0..100, default 10) sets the time budget of one call: 50 µs × tenacity
 * up to 10, growing 15% a step above, unlimited at 100. When the budget
 * runs out while memory is still above the limit, a time event continues
 * the work on the next turns (EVICT_RUNNING: the command runs meanwhile).
 *
 * An evicted key is handled as Redis handles it: the deletion is
 * propagated (DEL, or UNLINK with lazyfree-lazy-eviction), WATCHers see the
 * key touched, the `evicted` keyspace event fires, evicted_keys counts it
 * and the `eviction-del` / `eviction-cycle` latency events record slow
 * work. Nothing is evicted while loading or while clients are paused (the
 * dataset is frozen then), nor on a replica with replica-ignore-maxmemory
 * yes (the default: the primary's own evictions arrive as DELs).
 */
#include "evict.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "childproc.h"
#include "latency.h"
#include "notify.h"
#include "server.h"

/* ---------------------------------------------------------- LFU stamps */

/* Minutes since the stamp's clock, one wrap accounted for. */
static unsigned long lfuMinutesElapsed(unsigned long then) {
    unsigned long now = lfuMinutesNow();
    return now >= then ? now - then : 65535 - then + now;
}

static unsigned long lfuDecayed(robj *o) {
    unsigned long counter = o->lru & 255;
    unsigned long periods = server.memory.lfu_decay_time ? lfuMinutesElapsed(o->lru >> 8) / server.memory.lfu_decay_time : 0;
    return periods > counter ? 0 : counter - periods;
}

static unsigned long lfuLogIncrement(unsigned long counter) {
    if (counter == 255) return 255;
    double base = counter > LFU_INIT_VAL ? (double)(counter - LFU_INIT_VAL) : 0;
    double p = 1.0 / (base * server.memory.lfu_log_factor + 1);
    double r = (double)rand() / RAND_MAX;
    return r < p ? counter + 1 : counter;
}

void objectTouchLFU(robj *o) {
    unsigned long counter = lfuLogIncrement(lfuDecayed(o));
    o->lru = (unsigned int)((lfuMinutesNow() << 8) | counter);
}

unsigned long objectLFUFrequency(robj *o) {
    return lfuDecayed(o);
}

void objectSetLFUFrequency(robj *o, unsigned long freq) {
    o->lru = (unsigned int)((lfuMinutesNow() << 8) | (freq & 255));
}

/* ------------------------------------------------------ the pool */

#define EVICTION_POOL_SIZE 16

/* A candidate: the higher the score, the better to evict. The key name is
 * a copy (the key may be deleted while it waits in the pool). */
typedef struct poolEntry {
    unsigned long long score;
    sds key;
    int dbid;
} poolEntry;

/* Sorted by score, ascending; the used entries are pool[0..pool_len). */
static poolEntry pool[EVICTION_POOL_SIZE];
static int pool_len;

/* The score of a sampled key under the current policy. */
static unsigned long long candidateScore(const dbKeySample *s) {
    int policy = server.memory.maxmemory_policy;
    if (policy == MAXMEMORY_VOLATILE_TTL) return ULLONG_MAX - (unsigned long long)s->when;
    if (policy & MAXMEMORY_FLAG_LFU) return 255 - objectLFUFrequency(s->val);
    return estimateObjectIdleTime(s->val);
}

/* 1 if (dbid, key) is already a candidate. */
static int poolHas(int dbid, sds key) {
    for (int j = 0; j < pool_len; j++)
        if (pool[j].dbid == dbid && sdscmp(pool[j].key, key) == 0) return 1;
    return 0;
}

/* Offers a candidate: it goes in at its rank; when the pool is full, the
 * worst candidate makes room, or the offer is dropped if it is the worst. */
static void poolOffer(int dbid, sds key, unsigned long long score) {
    if (pool_len == EVICTION_POOL_SIZE) {
        if (score <= pool[0].score) return;
        sdsfree(pool[0].key);
        memmove(pool, pool + 1, sizeof(poolEntry) * (EVICTION_POOL_SIZE - 1));
        pool_len--;
    }
    int at = pool_len;
    while (at > 0 && pool[at - 1].score > score) at--;
    memmove(pool + at + 1, pool + at, sizeof(poolEntry) * (size_t)(pool_len - at));
    pool[at] = (poolEntry){.score = score, .key = sdsdup(key), .dbid = dbid};
    pool_len++;
}

static void poolPopulate(redisDb *db, int volatile_only) {
    dbKeySample samples[64];
    unsigned int want = (unsigned int)server.memory.maxmemory_samples;
    if (want > 64) want = 64;
    unsigned int n = dbSampleKeys(db, volatile_only, samples, want);
    for (unsigned int j = 0; j < n; j++) {
        if (poolHas(db->id, samples[j].key)) continue;
        poolOffer(db->id, samples[j].key, candidateScore(&samples[j]));
    }
}

/* Takes the best candidate out of the pool (its key now owned by the
 * caller), skipping those deleted or no longer eligible since they were
 * sampled. Returns 0 when the pool is empty. */
static int poolTakeBest(int volatile_only, sds *key, int *dbid) {
    while (pool_len > 0) {
        poolEntry e = pool[--pool_len];
        redisDb *db = &server.db[e.dbid];
        robj k = {.type = OBJ_STRING, .encoding = OBJ_ENCODING_RAW, .refcount = OBJ_STATIC_REFCOUNT, .ptr = e.key};
        if (dbPeek(db, &k) != NULL && (!volatile_only || getExpire(db, &k) >= 0)) {
            *key = e.key;
            *dbid = e.dbid;
            return 1;
        }
        sdsfree(e.key);
    }
    return 0;
}

/* ----------------------------------------------------- choosing a key */

static int policyVolatileOnly(void) {
    return !(server.memory.maxmemory_policy & MAXMEMORY_FLAG_ALLKEYS);
}

static int policyIsRandom(void) {
    int policy = server.memory.maxmemory_policy;
    return policy == MAXMEMORY_ALLKEYS_RANDOM || policy == MAXMEMORY_VOLATILE_RANDOM;
}

/* The databases are visited in turn by the random policies, so one busy
 * database is not the only one to lose keys. */
static int next_random_db;

static int chooseRandomKey(int volatile_only, sds *key, int *dbid) {
    for (int j = 0; j < server.dbnum; j++) {
        int id = (next_random_db + j) % server.dbnum;
        dbKeySample s;
        if (dbRandomKeySample(&server.db[id], volatile_only, &s)) {
            next_random_db = id + 1;
            *key = sdsdup(s.key);
            *dbid = id;
            return 1;
        }
    }
    return 0;
}

static int chooseScoredKey(int volatile_only, sds *key, int *dbid) {
    for (;;) {
        int any = 0;
        for (int j = 0; j < server.dbnum; j++) {
            redisDb *db = &server.db[j];
            if ((volatile_only ? dbExpiresCount(db) : dbSize(db)) == 0) continue;
            any = 1;
            poolPopulate(db, volatile_only);
        }
        if (!any) return 0;
        if (poolTakeBest(volatile_only, key, dbid)) return 1;
    }
}

/* The next key to evict (a new sds the caller frees) and its database, or
 * 0 when no key is eligible. */
static int chooseVictim(sds *key, int *dbid) {
    int volatile_only = policyVolatileOnly();
    if (policyIsRandom()) return chooseRandomKey(volatile_only, key, dbid);
    return chooseScoredKey(volatile_only, key, dbid);
}

/* ------------------------------------------------------------- eviction */

/* Deletes one key the way an eviction must. Returns the bytes freed. */
static size_t evictKey(redisDb *db, sds name) {
    robj *key = createStringObject(name, sdslen(name));
    propagateDeletion(db, key, server.lazyfree.lazy_eviction);
    size_t before = zmalloc_used_memory();
    long long start = ustime();
    dbDeleteLazily(db, key, server.lazyfree.lazy_eviction);
    latencyAddSampleIfNeeded("eviction-del", (ustime() - start) / 1000);
    size_t after = zmalloc_used_memory();
    signalModifiedKey(NULL, db, key);
    notifyKeyspaceEvent(NOTIFY_EVICTED, "evicted", key, db->id);
    server.stat.evictedkeys++;
    decrRefCount(key);
    return before > after ? before - after : 0;
}

/* The time one call may spend evicting, in microseconds (ULONG_MAX: no limit). */
static unsigned long evictionBudgetUs(void) {
    int tenacity = server.memory.maxmemory_eviction_tenacity;
    if (tenacity <= 10) return 50UL * (unsigned long)tenacity;
    if (tenacity < 100) return (unsigned long)(500.0 * pow(1.15, tenacity - 10.0));
    return ULONG_MAX;
}

/* Bytes above maxmemory now (0 when under it). */
static size_t bytesOverLimit(void) {
    size_t used = zmalloc_used_memory();
    return used > server.memory.maxmemory ? used - server.memory.maxmemory : 0;
}

/* server.stat.eviction_exceeded_since_ms: when memory went above the
 * limit in the current stretch (0: it is under); ..._total_ms: the
 * milliseconds of the stretches that ended (both cleared by RESETSTAT). */
static void trackExceededTime(int above) {
    serverStats *st = &server.stat;
    if (above && st->eviction_exceeded_since_ms == 0) {
        st->eviction_exceeded_since_ms = mstime();
    } else if (!above && st->eviction_exceeded_since_ms != 0) {
        st->eviction_exceeded_total_ms += mstime() - st->eviction_exceeded_since_ms;
        st->eviction_exceeded_since_ms = 0;
    }
}

long long evictionExceededTimeCurrent(void) {
    long long since = server.stat.eviction_exceeded_since_ms;
    return since ? mstime() - since : 0;
}

long long evictionExceededTimeTotal(void) {
    return server.stat.eviction_exceeded_total_ms + evictionExceededTimeCurrent();
}

static int eviction_timer_armed;

static int evictionTimerProc(struct aeEventLoop *el, long long id, void *data) {
    (void)el;
    (void)id;
    (void)data;
    if (performEvictions() == EVICT_RUNNING) return 0; /* again on the next turn */
    eviction_timer_armed = 0;
    return AE_NOMORE;
}

void evictionStartTimer(void) {
    if (eviction_timer_armed) return;
    if (aeCreateTimeEvent(server.el, 0, evictionTimerProc, NULL, NULL) != AE_ERR) eviction_timer_armed = 1;
}

/* Not while loading or paused, and not on a replica with
 * replica-ignore-maxmemory (its primary's DELs keep it to size). */
static int evictionAllowedNow(void) {
    if (replicationIsReplica() && server.repl.slave_ignore_maxmemory) return 0;
    return !server.persist.loading && !checkClientPauseTimeoutAndReturnIfPaused();
}

int performEvictions(void) {
    if (!server.memory.maxmemory || !evictionAllowedNow()) return EVICT_OK;
    size_t over = bytesOverLimit();
    trackExceededTime(over > 0);
    if (over == 0) return EVICT_OK;
    if (server.memory.maxmemory_policy == MAXMEMORY_NO_EVICTION) return EVICT_FAIL;

    unsigned long budget = evictionBudgetUs();
    long long start = ustime();
    size_t freed = 0;
    int result = EVICT_FAIL, keys = 0;
    while (freed < over) {
        sds key;
        int dbid;
        if (!chooseVictim(&key, &dbid)) break;
        freed += evictKey(&server.db[dbid], key);
        sdsfree(key);
        keys++;
        if (freed < over && keys % 16 == 0 && (unsigned long)(ustime() - start) > budget) {
            evictionStartTimer();
            result = EVICT_RUNNING;
            break;
        }
    }
    if (freed >= over) result = EVICT_OK;
    latencyAddSampleIfNeeded("eviction-cycle", (ustime() - start) / 1000);
    trackExceededTime(bytesOverLimit() > 0);
    return result;
}
