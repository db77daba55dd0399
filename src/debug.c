/* debug.c — the DEBUG command: hooks for tests and for developers.
 *
 * DEBUG is disabled unless enable-debug-command allows it; processCommand
 * (server.c) enforces that, so every subcommand here trusts its caller.
 * The subcommands fall in three groups:
 *
 *   - inspection: OBJECT (encoding, refcount, idle time of a value),
 *     HTSTATS (hash table statistics of a database);
 *   - test fixtures: SLEEP (block the whole server), LOG, ERROR,
 *     SET-ACTIVE-EXPIRE, PROTOCOL (one reply of each RESP type, so client
 *     libraries can test their parsers), CHANGE-REPL-ID, PROPAGATION (the
 *     recorder of the propagated stream, in propagate.c);
 *   - crashes on purpose, for the crash-report tests: SEGFAULT (a real
 *     SIGSEGV), PANIC, ASSERT, OOM.
 *
 * Unlike container commands (CLIENT, CONFIG), DEBUG dispatches its own
 * subcommands, so an unknown one or a wrong argument count is answered here
 * with the common "unknown subcommand" error.
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
#include "rdb.h"

#include <signal.h>
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
        "Value at:%p refcount:%d encoding:%s serializedlength:%zu lru:%d lru_seconds_idle:%llu",
        (void *)val, val->refcount, strEncoding(val->encoding), serializedLength(val),
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
        "DIGEST",
        "    Output a hex signature representing the current DB content.",
        "DIGEST-VALUE <key> [<key> ...]",
        "    Output a hex signature of the values of all the specified keys.",
        "ERROR <string>",
        "    Reply <string> as an error, for testing error handling in clients.",
        "HTSTATS <dbid>",
        "    Show statistics of the hash tables of database <dbid>.",
        "LOG <message>",
        "    Write <message> to the server log, as a warning.",
        "OBJECT <key>",
        "    Show the internal representation of the value at <key>.",
        "OOM",
        "    Crash the server by asking for an impossible amount of memory.",
        "PANIC",
        "    Crash the server through its panic path.",
        "PROPAGATION <ON|OFF|GET|RESET>",
        "    Record the propagated command stream (off by default), reply it, or clear it.",
        "PROTOCOL <type>",
        "    Reply a sample value of <type>, one of: string, integer, double,",
        "    bignum, null, array, set, map, attrib, push, verbatim, true, false.",
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
        "SLEEP <seconds>",
        "    Stop the whole server for <seconds> (decimals allowed).",
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
    } else if (argc == 2 && !strcasecmp(sub, "digest")) {
        debugDigestCommand(c);
    } else if (argc >= 2 && !strcasecmp(sub, "digest-value")) {
        debugDigestValueCommand(c);
    } else if (argc >= 2 && !strcasecmp(sub, "reload")) {
        debugReloadCommand(c);
    } else {
        addReplyErrorSubcommandSyntax(c);
    }
}
