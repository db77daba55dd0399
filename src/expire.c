/* expire.c — key deadlines: the EXPIRE and TTL command families, PERSIST,
 * and the active expiry cycle.
 *
 * A deadline is an absolute unix time in milliseconds kept in its key's
 * entry (db.c owns the setExpire/getExpire API, keyspace.c the layout and
 * the array of the keys that have a deadline). A key
 * is expired once the clock is past its deadline. Two mechanisms remove
 * expired keys:
 *
 *   lazy    every lookup checks the deadline first (expireIfNeeded in db.c),
 *           so a client never sees an expired key;
 *   active  this file samples the keys with a deadline in the background, so keys
 *           nobody reads again still go away and free their memory.
 *
 * Active expiry works in slices. A slice walks the databases, and in each
 * runs rounds: a round walks the keys with a deadline (dbScanExpires, one
 * key a step) from the database's persistent cursor until it has seen a handful of keys
 * (20 at effort 1), then deletes those whose deadline has passed. Rounds
 * repeat on a database while a round finds more than 10% of its sample
 * stale, because then many more are probably waiting; they stop when the
 * slice's time is up. Every knob scales with active-expire-effort (1..10):
 * more keys per round, longer slices, a bigger CPU share, a lower stale
 * tolerance.
 *
 * Time is the scarce resource: nothing in a turn of the event loop may take
 * long, yet a million keys can expire in the same second. So CPU is handed
 * out in two sizes:
 *
 *   SLOW  (serverCron, `hz` times a second) opens a budget of 25% of the
 *         tick (up to 43% at effort 10) and runs one slice;
 *   FAST  (beforeSleep) runs another slice when the last one was cut short
 *         with stale keys left (a backlog), the tick's budget is not spent,
 *         and at least 2 ms passed since the previous slice began.
 *
 * A slice lasts at most about 1 ms (1.9 ms at effort 10), so expiry never
 * holds the loop longer than that, and it never takes more than the tick's
 * share of the CPU. While there is a backlog a 1 ms timer keeps the loop
 * turning, so beforeSleep runs even when no client is talking to us.
 *
 * The sampling also maintains each database's avg_ttl (INFO keyspace) and
 * the INFO stats expired_stale_perc, expired_time_cap_reached_count and
 * expire_cycle_cpu_milliseconds. Expiry stops while clients are paused (the
 * dataset must not change) and while DEBUG SET-ACTIVE-EXPIRE 0 is in force.
 */
#include "server.h"
#include "latency.h"
#include "notify.h"

#include <string.h>
#include <strings.h>

/* ------------------------------------------------------ EXPIRE family */

#define EXPIRE_NX (1 << 0)
#define EXPIRE_XX (1 << 1)
#define EXPIRE_GT (1 << 2)
#define EXPIRE_LT (1 << 3)

#define UNIT_SECONDS 0
#define UNIT_MILLISECONDS 1

/* Parses the NX/XX/GT/LT options from argv[3..] into *flags and checks
 * they can be combined. C_ERR after replying. */
static int parseExpireOptions(client *c, int *flags) {
    *flags = 0;
    for (int j = 3; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        if (!strcasecmp(opt, "nx")) *flags |= EXPIRE_NX;
        else if (!strcasecmp(opt, "xx")) *flags |= EXPIRE_XX;
        else if (!strcasecmp(opt, "gt")) *flags |= EXPIRE_GT;
        else if (!strcasecmp(opt, "lt")) *flags |= EXPIRE_LT;
        else {
            addReplyErrorFormat(c, "Unsupported option %s", opt);
            return C_ERR;
        }
    }
    if ((*flags & EXPIRE_NX) && (*flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT))) {
        addReplyError(c, "NX and XX, GT or LT options at the same time are not compatible");
        return C_ERR;
    }
    if ((*flags & EXPIRE_GT) && (*flags & EXPIRE_LT)) {
        addReplyError(c, "GT and LT options at the same time are not compatible");
        return C_ERR;
    }
    return C_OK;
}

/* Turns the time argument into an absolute deadline in ms: scaled by the
 * unit and offset by basetime (now for relative forms, 0 for the AT
 * forms). Negative times are allowed; overflow is an error. C_ERR after
 * replying. */
static int parseDeadlineOrReply(client *c, robj *arg, long long basetime, int unit, long long *when) {
    long long v;
    if (getLongLongFromObjectOrReply(c, arg, &v, NULL) != C_OK) return C_ERR;
    if (unit == UNIT_SECONDS) {
        if (v > LLONG_MAX / 1000 || v < LLONG_MIN / 1000) {
            addReplyErrorExpireTime(c);
            return C_ERR;
        }
        v *= 1000;
    }
    if (v > LLONG_MAX - basetime) {
        addReplyErrorExpireTime(c);
        return C_ERR;
    }
    *when = v + basetime;
    return C_OK;
}

/* 1 if the NX/XX/GT/LT conditions allow replacing deadline `current`
 * (-1: none, which counts as infinite for GT and LT) with `when`. */
static int expireConditionHolds(int flags, long long current, long long when) {
    if ((flags & EXPIRE_NX) && current != -1) return 0;
    if ((flags & EXPIRE_XX) && current == -1) return 0;
    if ((flags & EXPIRE_GT) && (current == -1 || when <= current)) return 0;
    if ((flags & EXPIRE_LT) && current != -1 && when >= current) return 0;
    return 1;
}

/* Records the command as PEXPIREAT key <when> [its options], so a replay
 * gives the same absolute deadline. */
static void propagateAsPexpireat(client *c, long long when) {
    robj **argv = zmalloc(sizeof(robj *) * (size_t)c->argc);
    argv[0] = propw.pexpireat;
    argv[1] = c->argv[1];
    argv[2] = createStringObjectFromLongLong(when);
    for (int j = 3; j < c->argc; j++) argv[j] = c->argv[j];
    rewritePropagatedCommandArgv(c, argv, c->argc);
    decrRefCount(argv[2]);
    zfree(argv);
}

/* The body of EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT: key time [options].
 * A deadline already in the past deletes the key. Propagated as PEXPIREAT,
 * or as DEL (UNLINK with lazyfree-lazy-expire) for a deletion. Replies 1 when the
 * deadline was set (or the key deleted), 0 when the key is missing or a
 * condition failed. */
static void expireGenericCommand(client *c, long long basetime, int unit) {
    robj *key = c->argv[1];
    int flags;
    long long when;
    if (parseExpireOptions(c, &flags) != C_OK) return;
    if (parseDeadlineOrReply(c, c->argv[2], basetime, unit, &when) != C_OK) return;
    if (lookupKeyWrite(c->db, key) == NULL) {
        addReply(c, shared.czero);
        return;
    }
    if (flags && !expireConditionHolds(flags, getExpire(c->db, key), when)) {
        addReply(c, shared.czero);
        return;
    }
    if (when <= mstime() && !server.persist.loading && !server.repl.masterhost) {
        dbDelete(c->db, key);
        rewritePropagatedCommand(c, 2, server.lazyfree.lazy_expire ? propw.unlink : propw.del, key);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
    } else {
        setExpire(c, c->db, key, when);
        propagateAsPexpireat(c, when);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "expire", key, c->db->id);
    }
    signalModifiedKey(c, c->db, key);
    server.dirty++;
    addReply(c, shared.cone);
}

/* EXPIRE key seconds [NX|XX|GT|LT] */
void expireCommand(client *c) {
    expireGenericCommand(c, mstime(), UNIT_SECONDS);
}

/* PEXPIRE key milliseconds [NX|XX|GT|LT] */
void pexpireCommand(client *c) {
    expireGenericCommand(c, mstime(), UNIT_MILLISECONDS);
}

/* EXPIREAT key unix-time-seconds [NX|XX|GT|LT] */
void expireatCommand(client *c) {
    expireGenericCommand(c, 0, UNIT_SECONDS);
}

/* PEXPIREAT key unix-time-milliseconds [NX|XX|GT|LT] */
void pexpireatCommand(client *c) {
    expireGenericCommand(c, 0, UNIT_MILLISECONDS);
}

/* --------------------------------------------------------- TTL family */

/* The body of TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 for a missing key,
 * -1 for a key without deadline, else the remaining time (relative) or the
 * deadline (absolute), in ms or in seconds rounded to the nearest. */
static void ttlGenericCommand(client *c, int in_ms, int absolute) {
    if (lookupKeyReadWithFlags(c->db, c->argv[1], LOOKUP_NOTOUCH) == NULL) {
        addReplyLongLong(c, -2);
        return;
    }
    long long when = getExpire(c->db, c->argv[1]);
    if (when == -1) {
        addReplyLongLong(c, -1);
        return;
    }
    long long t = absolute ? when : when - mstime();
    if (t < 0) t = 0;
    /* Rounding in unsigned arithmetic: t + 500 must not overflow for the
     * largest deadlines PEXPIREAT accepts. */
    addReplyLongLong(c, in_ms ? t : (long long)(((unsigned long long)t + 500) / 1000));
}

/* TTL key */
void ttlCommand(client *c) {
    ttlGenericCommand(c, 0, 0);
}

/* PTTL key */
void pttlCommand(client *c) {
    ttlGenericCommand(c, 1, 0);
}

/* EXPIRETIME key */
void expiretimeCommand(client *c) {
    ttlGenericCommand(c, 0, 1);
}

/* PEXPIRETIME key */
void pexpiretimeCommand(client *c) {
    ttlGenericCommand(c, 1, 1);
}

/* PERSIST key: drops the deadline. 1 if there was one, else 0. */
void persistCommand(client *c) {
    robj *key = c->argv[1];
    if (lookupKeyWrite(c->db, key) == NULL || !removeExpire(c->db, key)) {
        addReply(c, shared.czero);
        return;
    }
    signalModifiedKey(c, c->db, key);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "persist", key, c->db->id);
    server.dirty++;
    addReply(c, shared.cone);
}

/* ------------------------------------------------------ active expiry */

#define ACTIVE_EXPIRE_KEYS_PER_ROUND 20  /* keys sampled per round at effort 1 */
#define ACTIVE_EXPIRE_BUCKETS_PER_KEY 20 /* scan steps a round may take per wanted key */
#define ACTIVE_EXPIRE_SLICE_US 1000      /* longest slice at effort 1 */
#define ACTIVE_EXPIRE_FAST_GAP_US 2000   /* least distance from any slice to a fast one */
#define ACTIVE_EXPIRE_CPU_PERC 25        /* share of a cron tick at effort 1 */
#define ACTIVE_EXPIRE_STALE_PERC 10      /* stale share that makes a round repeat */
#define ACTIVE_EXPIRE_DBS_PER_SLICE 16   /* databases visited by an unhurried slice */
#define ACTIVE_EXPIRE_WAKE_MS 1          /* wake-up period while there is a backlog */

/* The knobs of the cycle, derived from active-expire-effort. */
typedef struct expireTuning {
    long keys_per_round;
    long long slice_us;
    long long cpu_perc;
    long stale_perc;
} expireTuning;

/* State carried from slice to slice. File scope because the cycle is
 * entered from two places (serverCron, beforeSleep) and a timer, and only
 * this file may see it. */
static struct {
    int next_db;           /* database the next slice starts with */
    long long budget_us;   /* CPU left for expiry in the current cron tick */
    int backlog;           /* the last slice stopped on time with stale keys left */
    uint64_t last_slice_us; /* monotonic start of the last slice */
    long long wake_timer;  /* id of the wake-up timer, or -1 */
    sds *found;            /* scratch: expired keys of the current round */
    size_t found_cap;
} cycle = {0, 0, 0, 0, -1, NULL, 0};

/* One sampling round on one database. */
typedef struct expireRound {
    long long now;        /* ms; keys with a deadline before it are expired */
    long sampled;         /* keys with a deadline looked at */
    size_t nfound;        /* of which expired (in cycle.found) */
    __int128 ttl_sum;     /* remaining ms of the live ones, for avg_ttl (a
                           * few deadlines near the year 292 million overflow
                           * 64 bits) */
    long ttl_count;
} expireRound;

/* Totals of one slice. */
typedef struct expireSliceStats {
    long long sampled, expired;
} expireSliceStats;

/* The tuning for the current active-expire-effort. */
static expireTuning currentTuning(void) {
    long e = server.expire.active_expire_effort - 1;
    if (e < 0) e = 0;
    if (e > 9) e = 9;
    expireTuning t;
    t.keys_per_round = ACTIVE_EXPIRE_KEYS_PER_ROUND + ACTIVE_EXPIRE_KEYS_PER_ROUND / 4 * e;
    t.slice_us = ACTIVE_EXPIRE_SLICE_US + ACTIVE_EXPIRE_SLICE_US / 10 * e;
    t.cpu_perc = ACTIVE_EXPIRE_CPU_PERC + 2 * e;
    t.stale_perc = ACTIVE_EXPIRE_STALE_PERC - e;
    return t;
}

/* dbScanExpires callback: counts the key, and remembers it when expired
 * (the table cannot change during the scan, so deletion waits for the end
 * of the round). */
static void expireSampleCallback(void *privdata, sds key, long long when) {
    expireRound *r = privdata;
    r->sampled++;
    if (r->now > when) {
        if (r->nfound == cycle.found_cap) {
            cycle.found_cap = cycle.found_cap ? cycle.found_cap * 2 : 64;
            cycle.found = zrealloc(cycle.found, cycle.found_cap * sizeof(sds));
        }
        cycle.found[r->nfound++] = key;
    } else {
        r->ttl_sum += when - r->now;
        r->ttl_count++;
    }
}

/* Runs one round on db: takes scan steps from the database's cursor until
 * `want` keys were seen (or the step allowance ran out, or the walk
 * wrapped), then deletes the expired ones. A round never sees a key twice,
 * so the borrowed key pointers stay valid until each is deleted. */
static void expireRoundOnDb(redisDb *db, long want, expireRound *r) {
    long buckets = want * ACTIVE_EXPIRE_BUCKETS_PER_KEY;
    while (r->sampled < want && buckets-- > 0) {
        db->expires_cursor = dbScanExpires(db, db->expires_cursor, expireSampleCallback, r);
        if (db->expires_cursor == 0) break;
    }
    for (size_t j = 0; j < r->nfound; j++) {
        robj key = {.type = OBJ_STRING, .encoding = OBJ_ENCODING_RAW, .refcount = OBJ_STATIC_REFCOUNT,
                    .ptr = cycle.found[j]};
        deleteExpiredKey(db, &key);
    }
}

/* Folds a round's live keys into db's moving average TTL: the old figure
 * weighs 49/50, the round's mean 1/50 (the first round starts the average
 * at its mean). Each term is divided before it is scaled, so no step can
 * overflow, and the figure rounds down the way Redis's does. */
static void updateAvgTtl(redisDb *db, const expireRound *r) {
    if (r->ttl_count == 0) return;
    long long avg = (long long)(r->ttl_sum / r->ttl_count);
    if (db->avg_ttl == 0) db->avg_ttl = avg;
    db->avg_ttl = db->avg_ttl / 50 * 49 + avg / 50;
}

/* Runs rounds on db until one finds few enough stale keys (or none at
 * all), or the monotonic deadline passes. Returns 1 if time ran out. */
static int expireDb(redisDb *db, const expireTuning *t, uint64_t deadline, expireSliceStats *st) {
    for (;;) {
        if (dbExpiresCount(db) == 0) {
            db->avg_ttl = 0;
            db->expires_cursor = 0;
            return 0;
        }
        expireRound r = {mstime(), 0, 0, 0, 0};
        expireRoundOnDb(db, t->keys_per_round, &r);
        st->sampled += r.sampled;
        st->expired += (long long)r.nfound;
        updateAvgTtl(db, &r);
        if (r.sampled == 0) {
            /* Nothing seen: at the end of a pass, start the next one;
             * otherwise move on rather than spin. */
            if (db->expires_cursor == 0) continue;
            return 0;
        }
        if ((long)r.nfound * 100 / r.sampled <= t->stale_perc) return 0;
        if (getMonotonicUs() >= deadline) return 1;
    }
}

/* Runs one slice of at most limit_us over the databases, starting where the
 * last one stopped (all databases when catching up on a backlog). Updates
 * the stats, the budget and the backlog flag. */
static void runExpireSlice(long long limit_us) {
    expireTuning t = currentTuning();
    uint64_t start = getMonotonicUs();
    int dbs = (cycle.backlog || server.dbnum < ACTIVE_EXPIRE_DBS_PER_SLICE) ? server.dbnum
                                                                            : ACTIVE_EXPIRE_DBS_PER_SLICE;
    expireSliceStats st = {0, 0};
    int timed_out = 0;
    for (int j = 0; j < dbs && !timed_out; j++) {
        int id = cycle.next_db % server.dbnum;
        timed_out = expireDb(&server.db[id], &t, start + (uint64_t)limit_us, &st);
        /* A database cut short is where the next slice resumes. */
        if (!timed_out) cycle.next_db = (id + 1) % server.dbnum;
    }
    long long elapsed = (long long)(getMonotonicUs() - start);
    server.stat.expire_cycle_time_used += elapsed;
    if (timed_out) server.stat.expired_time_cap_reached_count++;
    if (st.sampled) {
        double perc = (double)st.expired / (double)st.sampled;
        server.stat.expired_stale_perc = perc * 0.05 + server.stat.expired_stale_perc * 0.95;
    }
    cycle.budget_us -= elapsed;
    cycle.backlog = timed_out;
}

/* 1 while a backlog remains and the tick's budget allows working on it. */
static int expireWantsMore(void) {
    return cycle.backlog && cycle.budget_us > 0 && server.expire.active_expire_enabled;
}

/* Timer that keeps the event loop turning while there is a backlog, so the
 * fast slices in beforeSleep run on an idle server too. */
static int expireWakeTimer(aeEventLoop *el, long long id, void *clientData) {
    (void)el;
    (void)id;
    (void)clientData;
    if (expireWantsMore()) return ACTIVE_EXPIRE_WAKE_MS;
    cycle.wake_timer = -1;
    return AE_NOMORE;
}

/* Starts the wake-up timer if there is a backlog and it is not running. */
static void armWakeTimer(void) {
    if (cycle.wake_timer != -1 || server.el == NULL || !expireWantsMore()) return;
    cycle.wake_timer = aeCreateTimeEvent(server.el, ACTIVE_EXPIRE_WAKE_MS, expireWakeTimer, NULL, NULL);
}

/* Active expiry entry point. ACTIVE_EXPIRE_CYCLE_SLOW is called by
 * serverCron once per tick: it also shrinks keyspace tables left sparse by
 * mass deletion, opens the tick's CPU budget and runs a slice.
 * ACTIVE_EXPIRE_CYCLE_FAST is called by beforeSleep on every turn of the
 * loop and runs a slice only when catching up on a backlog. A slice that
 * lasts latency-monitor-threshold or more is an "expire-cycle" sample of
 * the latency monitor. */
void activeExpireCycle(int type) {
    if (type == ACTIVE_EXPIRE_CYCLE_SLOW)
        for (int j = 0; j < server.dbnum; j++) dbShrinkSparseTables(&server.db[j]);
    /* A replica waits for its primary's DELs (db.c, expireIfNeeded). */
    if (!server.expire.active_expire_enabled || server.persist.loading || server.repl.masterhost) return;
    if (checkClientPauseTimeoutAndReturnIfPaused()) return;
    expireTuning t = currentTuning();
    uint64_t now = getMonotonicUs();
    if (type == ACTIVE_EXPIRE_CYCLE_SLOW) {
        int hz = server.hz > 0 ? server.hz : CONFIG_DEFAULT_HZ;
        cycle.budget_us = t.cpu_perc * 10000 / hz;
    } else {
        /* The gap also keeps a fast slice out of the turn that ran the
         * slow one: at most one slice per turn of the loop. */
        if (!expireWantsMore() || now - cycle.last_slice_us < ACTIVE_EXPIRE_FAST_GAP_US) return;
    }
    cycle.last_slice_us = now;
    runExpireSlice(t.slice_us < cycle.budget_us ? t.slice_us : cycle.budget_us);
    latencyAddSampleIfNeeded("expire-cycle", (long long)((getMonotonicUs() - now) / 1000));
    armWakeTimer();
}
