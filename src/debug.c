/* debug.c — the DEBUG command: hooks for tests and for developers.
 *
 * DEBUG is disabled unless enable-debug-command allows it; processCommand
 * (server.c) enforces that, so every subcommand here trusts its caller.
 * The subcommands fall in three groups:
 *
 *   - inspection: OBJECT (encoding, refcount, idle time of a value),
 *     HTSTATS (hash table statistics of a database), HTSTATS-KEY (of the
 *     hash table behind a value), SDSLEN (the strings of a key and its
 *     value), LISTPACK and QUICKLIST (the layout of a value, printed on the
 *     server's standard output), STRUCTSIZE (sizes of core structures);
 *   - test fixtures: SLEEP (block the whole server), LOG, ERROR,
 *     SET-ACTIVE-EXPIRE, PROTOCOL (one reply of each RESP type, so client
 *     libraries can test their parsers), CHANGE-REPL-ID, PROPAGATION (the
 *     recorder of the propagated stream, in propagate.c), POPULATE (many
 *     string keys at once), QUICKLIST-PACKED-THRESHOLD, STRINGMATCH-TEST,
 *     LEAK, CONFIG-REWRITE-FORCE-ALL, SET-DISABLE-DENY-SCRIPTS,
 *     AOF-WRITE-FAULT (makes writes to the AOF fail, to test -MISCONF and
 *     recovery);
 *   - crashes on purpose, for the crash-report tests: SEGFAULT (a real
 *     SIGSEGV), PANIC, ASSERT, OOM.
 *
 * Unlike container commands (CLIENT, CONFIG), DEBUG dispatches its own
 * subcommands, so an unknown one or a wrong argument count is answered here
 * with the common "unknown subcommand" error. The older subcommands are an
 * if-chain in debugCommand; the newer ones, and those of Redis 7.0 that
 * need a subsystem Ember does not have (AOF, replication, cluster, client
 * eviction, jemalloc tuning, restarts), are rows of debugSubcommands: the
 * latter answer an error naming what is missing rather than pretending.
 *
 * The software watchdog lives here too, being a debugging aid: with
 * watchdog-period N (milliseconds), every serverCron run re-arms a one-shot
 * ITIMER_REAL of N ms. While the event loop turns, the timer is pushed back
 * before it runs out; when something holds the loop longer than N ms, SIGALRM
 * arrives and its handler logs "--- WATCHDOG TIMER EXPIRED ---" and the stack
 * of the main thread at that moment, using only async-signal-safe calls.
 * Then the server goes on. N is raised to at least two cron periods, or the
 * timer would expire between two healthy runs.
 */
#include "server.h"
#include "evict.h"
#include "crc16.h"
#include "aof.h"
#include "rdb.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>

/* -------------------------------------------------- object inspection */

/* Bytes a length prefix takes in the RDB format. */
static size_t rdbLenBytes(unsigned long long len) {
    if (len < (1 << 6)) return 1;
    if (len < (1 << 14)) return 2;
    if (len <= UINT32_MAX) return 5;
    return 9;
}

/* Bytes an integer takes in the RDB format when it fits an int encoding,
 * 0 otherwise. */
static size_t rdbIntBytes(long long v) {
    if (v >= INT8_MIN && v <= INT8_MAX) return 2;
    if (v >= INT16_MIN && v <= INT16_MAX) return 3;
    if (v >= INT32_MIN && v <= INT32_MAX) return 5;
    return 0;
}

/* An estimate of the size of o once serialised in an RDB file (without
 * compression). Types other than strings are not measured yet: 0. */
static size_t serializedLength(robj *o) {
    if (o->type != OBJ_STRING) return 0;
    if (o->encoding == OBJ_ENCODING_INT) {
        long long v = (long long)(intptr_t)o->ptr;
        size_t n = rdbIntBytes(v);
        if (n) return n;
        char buf[32];
        int len = ll2string(buf, sizeof(buf), v);
        return rdbLenBytes(len) + len;
    }
    size_t len = sdslen(o->ptr);
    long long v;
    if (len <= 11 && string2ll(o->ptr, len, &v)) {
        size_t n = rdbIntBytes(v);
        if (n) return n;
    }
    return rdbLenBytes(len) + len;
}

/* Milliseconds since o was last accessed, from its LRU clock. */
static unsigned long long objectIdleMs(robj *o) {
    unsigned long long now = LRU_CLOCK();
    if (now >= o->lru) return (now - o->lru) * LRU_CLOCK_RESOLUTION;
    return (now + (LRU_CLOCK_MAX - o->lru)) * LRU_CLOCK_RESOLUTION;
}

/* DEBUG OBJECT key. The key is found without an access: the value's LRU
 * clock and the keyspace statistics stay as they were. */
static void debugObject(client *c) {
    robj *val = dbPeek(c->db, c->argv[2]);
    if (val == NULL) {
        addReplyErrorObject(c, shared.nokeyerr);
        return;
    }
    sds s = sdscatprintf(sdsempty(),
        "Value at:%p refcount:%lld encoding:%s serializedlength:%zu lru:%d lru_seconds_idle:%llu",
        (void *)val, objectReportedRefcount(val), strEncoding(val->encoding), serializedLength(val),
        (int)val->lru, objectIdleMs(val) / 1000);
    addReplyStatusLength(c, s, sdslen(s));
    sdsfree(s);
}

/* DEBUG HTSTATS dbid */
static void debugHtstats(client *c) {
    long dbid;
    if (getLongFromObjectOrReply(c, c->argv[2], &dbid, NULL) != C_OK) return;
    if (dbid < 0 || dbid >= server.dbnum) {
        addReplyError(c, "Out of range database");
        return;
    }
    sds s = dbCatTableStats(sdsempty(), server.db + dbid);
    addReplyVerbatim(c, s, sdslen(s), "txt");
    sdsfree(s);
}

/* --------------------------------------------------------- watchdog */

static void watchdogSignalHandler(int sig) {
    (void)sig;
    serverLogFromHandler(LL_WARNING, "\n--- WATCHDOG TIMER EXPIRED ---");
    serverLogStackTraceFromHandler();
    serverLogFromHandler(LL_WARNING, "--------\n");
}

void watchdogScheduleSignal(int period_ms) {
    struct itimerval it;
    memset(&it, 0, sizeof(it));
    it.it_value.tv_sec = period_ms / 1000;
    it.it_value.tv_usec = (period_ms % 1000) * 1000;
    setitimer(ITIMER_REAL, &it, NULL);
}

void applyWatchdogPeriod(void) {
    struct sigaction act;
    memset(&act, 0, sizeof(act));
    sigemptyset(&act.sa_mask);
    if (server.log.watchdog_period == 0) {
        watchdogScheduleSignal(0);
        act.sa_handler = SIG_IGN; /* also drops a signal still pending */
        sigaction(SIGALRM, &act, NULL);
        return;
    }
    int min_period = (1000 / server.hz) * 2;
    if (server.log.watchdog_period < min_period) server.log.watchdog_period = min_period;
    prepareStackTraces();
    act.sa_handler = watchdogSignalHandler;
    act.sa_flags = SA_RESTART; /* the interrupted command's system calls go on */
    sigaction(SIGALRM, &act, NULL);
    watchdogScheduleSignal(server.log.watchdog_period);
}

/* --------------------------------------------------------- fixtures */

/* DEBUG SLEEP seconds: stops the whole server, decimals allowed. */
static void debugSleep(client *c) {
    double secs = strtod(c->argv[2]->ptr, NULL);
    long long us = (long long)(secs * 1000000);
    if (us > 0) {
        struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};
        while (nanosleep(&ts, &ts) == -1) {}
    }
    addReply(c, shared.ok);
}

/* DEBUG PROTOCOL type: one test value of each reply type. */
static void debugProtocol(client *c) {
    const char *name = c->argv[2]->ptr;
    if (!strcasecmp(name, "string")) {
        addReplyBulkCString(c, "Hello World");
    } else if (!strcasecmp(name, "integer")) {
        addReplyLongLong(c, 12345);
    } else if (!strcasecmp(name, "double")) {
        addReplyDouble(c, 3.141);
    } else if (!strcasecmp(name, "bignum")) {
        const char *num = "1234567999999999999999999999999999999";
        addReplyBigNum(c, num, strlen(num));
    } else if (!strcasecmp(name, "null")) {
        addReplyNull(c);
    } else if (!strcasecmp(name, "array")) {
        addReplyArrayLen(c, 3);
        for (int j = 0; j < 3; j++) addReplyLongLong(c, j);
    } else if (!strcasecmp(name, "set")) {
        addReplySetLen(c, 3);
        for (int j = 0; j < 3; j++) addReplyLongLong(c, j);
    } else if (!strcasecmp(name, "map")) {
        addReplyMapLen(c, 3);
        for (int j = 0; j < 3; j++) {
            addReplyLongLong(c, j);
            addReplyBool(c, j == 1);
        }
    } else if (!strcasecmp(name, "attrib")) {
        if (c->resp >= 3) {
            addReplyAttributeLen(c, 1);
            addReplyBulkCString(c, "key-popularity");
            addReplyArrayLen(c, 2);
            addReplyBulkCString(c, "key:123");
            addReplyLongLong(c, 90);
        }
        addReplyBulkCString(c, "Some real reply following the attribute");
    } else if (!strcasecmp(name, "push")) {
        if (c->resp < 3) {
            addReplyError(c, "RESP2 is not supported by this command");
            return;
        }
        addReplyPushLen(c, 2);
        addReplyBulkCString(c, "server-cpu-usage");
        addReplyLongLong(c, 42);
        addReplyBulkCString(c, "Some real reply following the push reply");
    } else if (!strcasecmp(name, "verbatim")) {
        const char *text = "This is a verbatim\nstring";
        addReplyVerbatim(c, text, strlen(text), "txt");
    } else if (!strcasecmp(name, "true")) {
        addReplyBool(c, 1);
    } else if (!strcasecmp(name, "false")) {
        addReplyBool(c, 0);
    } else {
        addReplyError(c, "Wrong protocol type name. Please use one of the following: "
                         "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
    }
}

/* ------------------------------------------------- layout inspection */

/* DEBUG SDSLEN key: lengths, spare room and allocation sizes of the key's
 * string and of its value's. */
static void debugSdslen(client *c) {
    robj *val = dbPeek(c->db, c->argv[2]);
    if (val == NULL) {
        addReplyErrorObject(c, shared.nokeyerr);
        return;
    }
    if (val->type != OBJ_STRING || !sdsEncodedObject(val)) {
        addReplyError(c, "Not an sds encoded string.");
        return;
    }
    sds key = dbKeyString(c->db, c->argv[2]);
    /* The key lives in its entry, with the value too when it is short. */
    size_t key_alloc = dbEntryAllocSize(c->db, c->argv[2]);
    size_t val_alloc = val->encoding == OBJ_ENCODING_EMBSTR ? zmalloc_size(val) : zmalloc_size(sdsAllocPtr(val->ptr));
    sds s = sdscatprintf(sdsempty(),
                         "key_sds_len:%lld, key_sds_avail:%lld, key_zmalloc: %lld, "
                         "val_sds_len:%lld, val_sds_avail:%lld, val_zmalloc: %lld",
                         (long long)sdslen(key), (long long)sdsavail(key), (long long)key_alloc,
                         (long long)sdslen(val->ptr), (long long)sdsavail(val->ptr), (long long)val_alloc);
    addReplyStatusLength(c, s, sdslen(s));
    sdsfree(s);
}

/* Prints the entries of listpack lp on stdout, one a line, indented. */
static void printListpackEntries(unsigned char *lp, const char *indent) {
    unsigned char intbuf[LP_INTBUF_SIZE];
    long j = 0;
    for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, p), j++) {
        int64_t len;
        unsigned char *str = lpGet(p, &len, intbuf);
        printf("%s[%ld] %s \"%.*s\"\n", indent, j, str == intbuf ? "int" : "str", (int)len, (char *)str);
    }
}

/* DEBUG LISTPACK key: the listpack behind a value, printed on stdout. */
static void debugListpack(client *c) {
    robj *val = dbPeek(c->db, c->argv[2]);
    if (val == NULL) {
        addReplyErrorObject(c, shared.nokeyerr);
        return;
    }
    if (val->encoding != OBJ_ENCODING_LISTPACK) {
        addReplyError(c, "Not a listpack encoded object.");
        return;
    }
    printf("listpack of %zu bytes, %lu entries:\n", lpBytes(val->ptr), lpLength(val->ptr));
    printListpackEntries(val->ptr, "  ");
    fflush(stdout);
    addReplyStatus(c, "Listpack structure printed on stdout");
}

/* DEBUG QUICKLIST key [0|1]: the nodes of a list, printed on stdout, with
 * the entries of its uncompressed nodes when the level is 1. */
static void debugQuicklist(client *c) {
    robj *val = dbPeek(c->db, c->argv[2]);
    if (val == NULL) {
        addReplyErrorObject(c, shared.nokeyerr);
        return;
    }
    int full = c->argc == 4 && atoi(c->argv[3]->ptr) != 0;
    if (val->encoding != OBJ_ENCODING_QUICKLIST) {
        addReplyError(c, "Not a quicklist encoded object.");
        return;
    }
    quicklist *ql = val->ptr;
    printf("quicklist: %lu elements in %lu nodes, fill %d, compress %u\n", ql->count, ql->len, ql->fill,
           ql->compress);
    long j = 0;
    for (quicklistNode *node = ql->head; node; node = node->next, j++) {
        int lzf = node->encoding == QUICKLIST_NODE_ENCODING_LZF;
        printf("  node %ld: %u elements, %zu bytes, %s, %s\n", j, (unsigned)node->count, node->sz,
               QL_NODE_IS_PLAIN(node) ? "plain" : "packed", lzf ? "compressed" : "raw");
        if (full && !lzf && !QL_NODE_IS_PLAIN(node)) printListpackEntries(node->entry, "    ");
    }
    fflush(stdout);
    addReplyStatus(c, "Quicklist structure printed on stdout");
}

/* DEBUG HTSTATS-KEY key: the statistics of the hash table behind a value. */
static void debugHtstatsKey(client *c) {
    robj *val = dbPeek(c->db, c->argv[2]);
    if (val == NULL) {
        addReplyErrorObject(c, shared.nokeyerr);
        return;
    }
    char buf[4096];
    if (val->type == OBJ_SET && val->encoding == OBJ_ENCODING_HT) {
        setTableGetStats(buf, sizeof(buf), val->ptr);
    } else if (val->type == OBJ_HASH && val->encoding == OBJ_ENCODING_HT) {
        ptGetStats(buf, sizeof(buf), val->ptr);
    } else if (val->encoding == OBJ_ENCODING_SKIPLIST) {
        ptGetStats(buf, sizeof(buf), ((zset *)val->ptr)->members);
    } else {
        addReplyError(c, "The value stored at the specified key is not represented using an hash table");
        return;
    }
    addReplyVerbatim(c, buf, strlen(buf), "txt");
}

/* DEBUG STRUCTSIZE: sizes of the structures memory figures are made of.
 * There is no 5-bit sds header in Ember: the smallest is sdshdr8. */
static void debugStructsize(client *c) {
    sds s = sdscatprintf(sdsempty(), "bits:%d robj:%zu dictentry:%zu sdshdr8:%zu sdshdr16:%zu sdshdr32:%zu sdshdr64:%zu ",
                         (int)(sizeof(void *) * 8), sizeof(robj), sizeof(dictEntry), sizeof(struct sdshdr8),
                         sizeof(struct sdshdr16), sizeof(struct sdshdr32), sizeof(struct sdshdr64));
    addReplyStatusLength(c, s, sdslen(s));
    sdsfree(s);
}

/* ------------------------------------------------------ more fixtures */

/* DEBUG POPULATE count [prefix] [size]: adds the string keys prefix:0 ..
 * prefix:<count-1> (prefix "key" by default) that do not exist yet, each
 * valued "value:<n>", cut or padded with zero bytes to size when given. */
static void debugPopulate(client *c) {
    long count, size = 0;
    if (getPositiveLongFromObjectOrReply(c, c->argv[2], &count, NULL) != C_OK) return;
    if (c->argc == 5 && getPositiveLongFromObjectOrReply(c, c->argv[4], &size, NULL) != C_OK) return;
    const char *prefix = c->argc >= 4 ? c->argv[3]->ptr : "key";
    sds name = sdsempty();
    char vbuf[64];
    for (long j = 0; j < count; j++) {
        name = sdscpylen(name, prefix, strlen(prefix));
        name = sdscatprintf(name, ":%ld", j);
        robj keyobj = {.type = OBJ_STRING, .encoding = OBJ_ENCODING_RAW, .refcount = OBJ_STATIC_REFCOUNT, .ptr = name};
        if (lookupKeyWrite(c->db, &keyobj) != NULL) continue;
        int vlen = snprintf(vbuf, sizeof(vbuf), "value:%ld", j);
        robj *val;
        if (size == 0) {
            val = createStringObject(vbuf, (size_t)vlen);
        } else {
            val = createStringObject(NULL, (size_t)size);
            memset(val->ptr, 0, (size_t)size);
            memcpy(val->ptr, vbuf, (size_t)(vlen < size ? vlen : size));
        }
        dbAdd(c->db, &keyobj, val);
        signalModifiedKey(c, c->db, &keyobj);
    }
    sdsfree(name);
    addReply(c, shared.ok);
}

/* DEBUG QUICKLIST-PACKED-THRESHOLD size: elements of at least size bytes
 * go to plain nodes from now on (0 restores the default). */
static void debugQuicklistPackedThreshold(client *c) {
    int err = 0;
    unsigned long long sz = memtoull(c->argv[2]->ptr, &err);
    if (err || !quicklistSetPackedThreshold((size_t)sz)) {
        addReplyError(c, "argument must be a memory value bigger than 1 and smaller than 4gb");
        return;
    }
    addReply(c, shared.ok);
}

/* Random text over a small alphabet rich in glob metacharacters, from the
 * xorshift generator state *rng. */
static int randomGlobText(char *buf, int max, uint64_t *rng) {
    static const char alphabet[] = "ab*?[]^-\\!x";
    int len = (int)(xorshift64(rng) % (uint64_t)max);
    for (int j = 0; j < len; j++) buf[j] = alphabet[xorshift64(rng) % (sizeof(alphabet) - 1)];
    return len;
}

/* DEBUG STRINGMATCH-TEST: matches random patterns against random strings,
 * to see that the glob matcher survives any input. */
static void debugStringmatchTest(client *c) {
    char pattern[64], text[64];
    uint64_t rng = (uint64_t)ustime() | 1;
    for (int j = 0; j < 100000; j++) {
        int plen = randomGlobText(pattern, sizeof(pattern), &rng);
        int tlen = randomGlobText(text, sizeof(text), &rng);
        stringmatchlen(pattern, plen, text, tlen, j & 1);
    }
    addReplyStatus(c, "Apparently Redis did not crash: test passed");
}

/* DEBUG LEAK string: a copy of string that is never freed, for the leak
 * detectors' own tests. */
static void debugLeak(client *c) {
    sds leaked = sdsdup(c->argv[2]->ptr);
    (void)leaked;
    addReply(c, shared.ok);
}

/* DEBUG CONFIG-REWRITE-FORCE-ALL: CONFIG REWRITE writing every directive. */
static void debugConfigRewriteForceAll(client *c) {
    if (server.configfile == NULL) {
        addReplyError(c, "The server is running without a config file");
    } else if (rewriteConfig(server.configfile, 1) == -1) {
        addReplyErrorFormat(c, "CONFIG-REWRITE-FORCE-ALL failed: %s", strerror(errno));
    } else {
        addReply(c, shared.ok);
    }
}

/* DEBUG SET-DISABLE-DENY-SCRIPTS 0|1. The switch lets scripts run the
 * commands scripts may not run; with no scripting it has nothing to
 * change, so it is accepted as it is. */
static void debugSetDisableDenyScripts(client *c) {
    addReply(c, shared.ok);
}

/* DEBUG CLUSTERLINK KILL ...: Redis's answer outside cluster mode. */
static void debugClusterlink(client *c) {
    addReplyError(c, "Debug option only available for cluster mode enabled setup!");
}

/* DEBUG CLIENT-EVICTION: the pools exist only with maxmemory-clients. */
static void debugClientEviction(client *c) {
    if (server.limits.maxmemory_clients == 0)
        addReplyError(c, "maxmemory-clients is disabled.");
    else
        addReplyError(c, "DEBUG CLIENT-EVICTION is not supported: this server has no client eviction pools");
}

/* Parses a hash slot argument (0..16383). C_ERR after replying. */
static int getSlotOrReply(client *c, robj *arg, unsigned int *slot) {
    long long v;
    if (getLongLongFromObjectOrReply(c, arg, &v, NULL) != C_OK) return C_ERR;
    if (v < 0 || v >= CLUSTER_SLOTS) {
        addReplyError(c, "Invalid slot");
        return C_ERR;
    }
    *slot = (unsigned int)v;
    return C_OK;
}

/* DEBUG COUNTKEYSINSLOT slot: the keys of the current database in slot. */
static void debugCountKeysInSlot(client *c) {
    unsigned int slot;
    if (getSlotOrReply(c, c->argv[2], &slot) != C_OK) return;
    addReplyLongLong(c, (long long)dbCountKeysInSlot(c->db, slot));
}

/* DEBUG GETKEYSINSLOT slot count: up to count key names of slot. */
static void debugGetKeysInSlot(client *c) {
    unsigned int slot;
    long long count;
    if (getSlotOrReply(c, c->argv[2], &slot) != C_OK) return;
    if (getLongLongFromObjectOrReply(c, c->argv[3], &count, NULL) != C_OK) return;
    if (count < 0 || count > 1000000) {
        addReplyError(c, "Invalid number of keys");
        return;
    }
    robj **keys = zmalloc(sizeof(robj *) * (size_t)(count ? count : 1));
    unsigned int n = dbGetKeysInSlot(c->db, slot, keys, (unsigned int)count);
    addReplyArrayLen(c, n);
    for (unsigned int j = 0; j < n; j++) {
        addReplyBulk(c, keys[j]);
        decrRefCount(keys[j]);
    }
    zfree(keys);
}

/* DEBUG DELKEYSINSLOT slot: deletes the keys of slot, replies how many. */
static void debugDelKeysInSlot(client *c) {
    unsigned int slot;
    if (getSlotOrReply(c, c->argv[2], &slot) != C_OK) return;
    addReplyLongLong(c, (long long)dbDeleteKeysInSlot(c->db, slot));
}

/* A DEBUG subcommand: its name, its argument counts (the whole command,
 * DEBUG included) and its handler, or, for those Ember cannot honour, the
 * missing piece named in the error. */
typedef struct debugSubcommand {
    const char *name;
    int min_argc, max_argc;
    void (*proc)(client *c);
    const char *missing;
} debugSubcommand;

static const debugSubcommand debugSubcommands[] = {
    {"sdslen", 3, 3, debugSdslen, NULL},
    {"countkeysinslot", 3, 3, debugCountKeysInSlot, NULL},
    {"getkeysinslot", 4, 4, debugGetKeysInSlot, NULL},
    {"delkeysinslot", 3, 3, debugDelKeysInSlot, NULL},
    {"listpack", 3, 3, debugListpack, NULL},
    {"quicklist", 3, 4, debugQuicklist, NULL},
    {"htstats-key", 3, 3, debugHtstatsKey, NULL},
    {"structsize", 2, 2, debugStructsize, NULL},
    {"populate", 3, 5, debugPopulate, NULL},
    {"quicklist-packed-threshold", 3, 3, debugQuicklistPackedThreshold, NULL},
    {"stringmatch-test", 2, 2, debugStringmatchTest, NULL},
    {"leak", 3, 3, debugLeak, NULL},
    {"config-rewrite-force-all", 2, 2, debugConfigRewriteForceAll, NULL},
    {"set-disable-deny-scripts", 3, 3, debugSetDisableDenyScripts, NULL},
    {"clusterlink", 5, 5, debugClusterlink, NULL},
    {"client-eviction", 2, 2, debugClientEviction, NULL},
    {"aof-flush-sleep", 3, 3, NULL, "the AOF flush cannot be delayed"},
    {"replicate", 3, 3, NULL, "there is no replication"},
    {"drop-cluster-packet-filter", 3, 3, NULL, "there is no cluster bus"},
    {"set-skip-checksum-validation", 3, 3, NULL, "checksums are always verified"},
    {"crash-and-recover", 2, 3, NULL, "the server cannot restart itself"},
    {"restart", 2, 3, NULL, "the server cannot restart itself"},
    {"mallctl", 3, 4, NULL, "allocator tuning is not exposed"},
    {"mallctl-str", 3, 4, NULL, "allocator tuning is not exposed"},
    {"pause-cron", 3, 3, NULL, "the cron cannot be paused"},
    {"replybuffer", 4, 4, NULL, "reply buffers are not resized"},
    {NULL, 0, 0, NULL, NULL}};

/* Runs the subcommand of debugSubcommands that c names. Returns 0 when no
 * row matches the name and argument count. */
static int debugRunTableSubcommand(client *c) {
    const char *sub = c->argv[1]->ptr;
    for (const debugSubcommand *d = debugSubcommands; d->name; d++) {
        if (strcasecmp(sub, d->name) || c->argc < d->min_argc || c->argc > d->max_argc) continue;
        if (d->proc) {
            d->proc(c);
        } else {
            sds name = sdsnew(d->name);
            sdstoupper(name);
            addReplyErrorFormat(c, "DEBUG %s is not supported: %s", name, d->missing);
            sdsfree(name);
        }
        return 1;
    }
    return 0;
}

/* ----------------------------------------------------------- crashes */

/* Dies of a genuine SIGSEGV: writes to a page mapped read-only, so the
 * crash handler sees a real fault address. */
static void crashWithSegfault(void) {
    serverLog(LL_WARNING, "DEBUG SEGFAULT: crashing on purpose");
    void *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile char *p = (page == MAP_FAILED) ? (volatile char *)(uintptr_t)16 : page;
    *p = 'x';
    raise(SIGSEGV); /* not reached */
}

static void crashWithOom(void) {
    volatile size_t huge = SIZE_MAX / 2;
    void *p = zmalloc(huge); /* the OOM handler aborts */
    zfree(p);
}

/* ------------------------------------------------------------- DEBUG */

static void debugHelp(client *c) {
    static const char *help[] = {
        "ASSERT",
        "    Fail an assertion, crashing the server.",
        "CHANGE-REPL-ID",
        "    Pick new replication IDs (does nothing until replication exists).",
        "CLIENT-EVICTION",
        "    Show the client eviction pools (only with maxmemory-clients; not built).",
        "CONFIG-REWRITE-FORCE-ALL",
        "    Rewrite the configuration file with every directive, defaults included.",
        "COUNTKEYSINSLOT <slot>",
        "    The number of keys of the current database in cluster hash slot <slot>.",
        "DELKEYSINSLOT <slot>",
        "    Delete the keys of hash slot <slot> (propagated as DEL); reply how many.",
        "DIGEST",
        "    Output a hex signature representing the current DB content.",
        "DIGEST-VALUE <key> [<key> ...]",
        "    Output a hex signature of the values of all the specified keys.",
        "ERROR <string>",
        "    Reply <string> as an error, for testing error handling in clients.",
        "GETKEYSINSLOT <slot> <count>",
        "    Up to <count> key names of hash slot <slot>.",
        "HTSTATS <dbid>",
        "    Show statistics of the hash tables of database <dbid>.",
        "HTSTATS-KEY <key>",
        "    Show statistics of the hash table behind the value at <key>.",
        "LEAK <string>",
        "    Keep a copy of <string> that is never freed.",
        "LISTPACK <key>",
        "    Print the listpack behind the value at <key> on the server's stdout.",
        "LOADAOF",
        "    Write out the append only file's buffer, then empty the data set and load it",
        "    back from the AOF files (appendonly yes only).",
        "LOG <message>",
        "    Write <message> to the server log, as a warning.",
        "OBJECT <key>",
        "    Show the internal representation of the value at <key>.",
        "OOM",
        "    Crash the server by asking for an impossible amount of memory.",
        "PANIC",
        "    Crash the server through its panic path.",
        "POPULATE <count> [<prefix>] [<size>]",
        "    Add the string keys <prefix>:0 to <prefix>:<count-1> (prefix: key) that",
        "    do not exist, valued value:<n>, cut or zero-padded to <size> bytes.",
        "PROPAGATION <ON|OFF|GET|RESET>",
        "    Record the propagated command stream (off by default), reply it, or clear it.",
        "PROTOCOL <type>",
        "    Reply a sample value of <type>, one of: string, integer, double,",
        "    bignum, null, array, set, map, attrib, push, verbatim, true, false.",
        "QUICKLIST <key> [<0|1>]",
        "    Print the nodes of the list at <key> on the server's stdout (1: with entries).",
        "QUICKLIST-PACKED-THRESHOLD <size>",
        "    Elements of at least <size> bytes go to plain list nodes (0: the 1GB default).",
        "SDSLEN <key>",
        "    Show the lengths and allocation sizes of <key> and of its string value.",
        "RELOAD [MERGE] [NOFLUSH] [NOSAVE]",
        "    Save the RDB on disk and reload it back to memory. By default it will save",
        "    the RDB file and load it back.",
        "    * MERGE: A key in the file replaces the one in memory instead of stopping the load.",
        "    * NOFLUSH: Do not empty the current database before loading.",
        "    * NOSAVE: Load the RDB file on disk as it is, without saving first.",
        "SEGFAULT",
        "    Crash the server with a segmentation fault.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Turn the background expiry of keys off (0) or back on (1).",
        "SET-DISABLE-DENY-SCRIPTS <0|1>",
        "    Accepted; without scripting there are no script restrictions to lift.",
        "SLEEP <seconds>",
        "    Stop the whole server for <seconds> (decimals allowed).",
        "STRINGMATCH-TEST",
        "    Match random glob patterns against random strings, to test the matcher.",
        "STRUCTSIZE",
        "    Show the sizes of core structures.",
        "Not supported here, each answering an error that says why: AOF-FLUSH-SLEEP,",
        "CLUSTERLINK, CRASH-AND-RECOVER, DROP-CLUSTER-PACKET-FILTER, MALLCTL,",
        "MALLCTL-STR, PAUSE-CRON, REPLICATE, REPLYBUFFER, RESTART, SET-SKIP-CHECKSUM-VALIDATION.",
        NULL};
    addReplyHelp(c, help);
}

void debugCommand(client *c) {
    const char *sub = c->argv[1]->ptr;
    int argc = c->argc;

    if (argc == 2 && !strcasecmp(sub, "help")) {
        debugHelp(c);
    } else if (argc == 2 && !strcasecmp(sub, "segfault")) {
        crashWithSegfault();
    } else if (argc == 2 && !strcasecmp(sub, "panic")) {
        serverPanic("DEBUG PANIC called at Unix time %lld", (long long)time(NULL));
    } else if (argc == 2 && !strcasecmp(sub, "assert")) {
        volatile int one = 1;
        serverAssert(one == 2);
    } else if (argc == 2 && !strcasecmp(sub, "oom")) {
        crashWithOom();
        addReply(c, shared.ok);
    } else if (argc == 2 && !strcasecmp(sub, "change-repl-id")) {
        serverLog(LL_NOTICE, "DEBUG CHANGE-REPL-ID received (no replication IDs to change yet)");
        addReply(c, shared.ok);
    } else if (argc == 3 && !strcasecmp(sub, "log")) {
        serverLog(LL_WARNING, "DEBUG LOG: %s", (char *)c->argv[2]->ptr);
        addReply(c, shared.ok);
    } else if (argc == 3 && !strcasecmp(sub, "error")) {
        sds err = sdscatlen(sdsnewlen("-", 1), c->argv[2]->ptr, sdslen(c->argv[2]->ptr));
        addReplyErrorSds(c, err);
    } else if (argc == 3 && !strcasecmp(sub, "sleep")) {
        debugSleep(c);
    } else if (argc == 3 && !strcasecmp(sub, "set-active-expire")) {
        server.expire.active_expire_enabled = atoi(c->argv[2]->ptr);
        addReply(c, shared.ok);
    } else if (argc == 3 && !strcasecmp(sub, "object")) {
        debugObject(c);
    } else if (argc == 3 && !strcasecmp(sub, "htstats")) {
        debugHtstats(c);
    } else if (argc == 3 && !strcasecmp(sub, "protocol")) {
        debugProtocol(c);
    } else if (argc == 3 && !strcasecmp(sub, "propagation")) {
        debugPropagationCommand(c);
    } else if (argc == 3 && !strcasecmp(sub, "aof-write-fault")) {
        if (aofDebugSetWriteFault(c->argv[2]->ptr))
            addReply(c, shared.ok);
        else
            addReplyError(c, "unknown fault: use OFF, SHORT, ENOSPC, EIO or EDQUOT");
    } else if (argc == 2 && !strcasecmp(sub, "loadaof")) {
        preventCommandPropagation(c);
        if (aofDebugReload() == C_OK)
            addReply(c, shared.ok);
        else
            addReplyError(c, "DEBUG LOADAOF needs appendonly yes");
    } else if (argc == 2 && !strcasecmp(sub, "digest")) {
        debugDigestCommand(c);
    } else if (argc >= 2 && !strcasecmp(sub, "digest-value")) {
        debugDigestValueCommand(c);
    } else if (argc >= 2 && !strcasecmp(sub, "reload")) {
        debugReloadCommand(c);
    } else if (!debugRunTableSubcommand(c)) {
        addReplyErrorSubcommandSyntax(c);
    }
}
