/* config_special.c -- the directives that are not a single number, bool,
 * enum or string: dir, save, bind, client-output-buffer-limit,
 * oom-score-adj-values, notify-keyspace-events, replicaof and
 * latency-tracking-info-percentiles.
 *
 * Each one is a specialOps quartet (see config_internal.h): init writes the
 * default into `server`, set parses the words of a config line or of
 * CONFIG SET (all or nothing, with Redis's error text), get formats the
 * value for CONFIG GET, and rewrite (in config_rewrite.c) writes it back as
 * redis.conf lines. The directive table in config.c points at the exported
 * config_*_ops below; nothing else here is visible outside.
 *
 * save is the one with memory across lines: inside a config file several
 * save lines accumulate, the first replacing the defaults, while CONFIG SET
 * replaces the whole list. config.c says when a file is being loaded with
 * configSetLoadingFile().
 */
#include "server.h"
#include "config_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* dir: the working directory itself is the value. */
static void dirInit(void) {
    char buf[PATH_MAX];
    zfree(server.dir);
    server.dir = zstrdup(getcwd(buf, sizeof(buf)) ? buf : "");
}

static int dirSet(sds *argv, int argc, const char **err) {
    if (argc != 1) {
        *err = "wrong number of arguments";
        return 0;
    }
    if (chdir(argv[0]) == -1) {
        *err = strerror(errno);
        return 0;
    }
    dirInit();
    return 1;
}

static sds dirGet(void) {
    char buf[PATH_MAX];
    return sdsnew(getcwd(buf, sizeof(buf)) ? buf : "");
}

/* save: pairs of <seconds> <changes>; "" clears, wherever it comes. Lines in
 * one configuration accumulate (the first one replaces the defaults); CONFIG
 * SET replaces. */
static int loading_config;      /* inside loadServerConfig (configSetLoadingFile) */
static int save_seen_in_config; /* a save line already replaced the defaults */

static void saveAppend(time_t seconds, int changes) {
    server.persist.saveparams =
        zrealloc(server.persist.saveparams, sizeof(struct saveparam) * (size_t)(server.persist.saveparamslen + 1));
    server.persist.saveparams[server.persist.saveparamslen].seconds = seconds;
    server.persist.saveparams[server.persist.saveparamslen].changes = changes;
    server.persist.saveparamslen++;
}

static void saveReset(void) {
    zfree(server.persist.saveparams);
    server.persist.saveparams = NULL;
    server.persist.saveparamslen = 0;
}

static void saveInit(void) {
    saveReset();
    saveAppend(3600, 1);
    saveAppend(300, 100);
    saveAppend(60, 10000);
}

static int saveSet(sds *argv, int argc, const char **err) {
    if (argc == 1 && argv[0][0] == '\0') {
        saveReset();
        if (loading_config) save_seen_in_config = 1;
        return 1;
    }
    if (argc & 1) goto bad;
    for (int j = 0; j < argc; j++) {
        char *end;
        errno = 0;
        long long v = strtoll(argv[j], &end, 10);
        if (end == argv[j] || *end != '\0' || errno) goto bad;
        if ((j % 2 == 0 && v < 1) || (j % 2 == 1 && (v < 0 || v > INT_MAX))) goto bad;
    }
    if (!loading_config || !save_seen_in_config) saveReset();
    if (loading_config) save_seen_in_config = 1;
    for (int j = 0; j < argc; j += 2)
        saveAppend((time_t)strtoll(argv[j], NULL, 10), (int)strtoll(argv[j + 1], NULL, 10));
    return 1;
bad:
    *err = "Invalid save parameters";
    return 0;
}

static sds saveGet(void) {
    sds s = sdsempty();
    for (int j = 0; j < server.persist.saveparamslen; j++)
        s = sdscatprintf(s, "%s%lld %d", j ? " " : "", (long long)server.persist.saveparams[j].seconds,
                         server.persist.saveparams[j].changes);
    return s;
}

/* bind: up to CONFIG_BINDADDR_MAX addresses; "" means none. */
static void bindFree(void) {
    for (int j = 0; j < server.net.bindaddr_count; j++) zfree(server.net.bindaddr[j]);
    server.net.bindaddr_count = 0;
}

static void bindInit(void) {
    bindFree();
    server.net.bindaddr[0] = zstrdup("*");
    server.net.bindaddr[1] = zstrdup("-::*");
    server.net.bindaddr_count = 2;
}

static int bindSet(sds *argv, int argc, const char **err) {
    if (argc > CONFIG_BINDADDR_MAX) {
        *err = "Too many bind addresses specified.";
        return 0;
    }
    if (argc == 1 && argv[0][0] == '\0') argc = 0;
    bindFree();
    for (int j = 0; j < argc; j++) server.net.bindaddr[j] = zstrdup(argv[j]);
    server.net.bindaddr_count = argc;
    return 1;
}

sds configBindGet(void) {
    return sdsjoin(server.net.bindaddr, server.net.bindaddr_count, " ");
}

int configBindIsDefault(void) {
    return server.net.bindaddr_count == 2 && !strcmp(server.net.bindaddr[0], "*") &&
           !strcmp(server.net.bindaddr[1], "-::*");
}

/* client-output-buffer-limit: <class> <hard> <soft> <soft seconds> ... */
const clientBufferLimitsConfig configObufDefaults[CLIENT_TYPE_COUNT] = {
    {0, 0, 0},
    {1024ULL * 1024 * 256, 1024ULL * 1024 * 64, 60},
    {1024ULL * 1024 * 32, 1024ULL * 1024 * 8, 60},
};
const char *configObufClassNames[CLIENT_TYPE_COUNT] = {"normal", "slave", "pubsub"};

static int obufClassByName(const char *name) {
    if (!strcasecmp(name, "normal")) return CLIENT_TYPE_NORMAL;
    if (!strcasecmp(name, "slave") || !strcasecmp(name, "replica")) return CLIENT_TYPE_SLAVE;
    if (!strcasecmp(name, "pubsub")) return CLIENT_TYPE_PUBSUB;
    return -1;
}

static void obufInit(void) {
    for (int j = 0; j < CLIENT_TYPE_COUNT; j++) server.limits.client_obuf_limits[j] = configObufDefaults[j];
}

static int obufSet(sds *argv, int argc, const char **err) {
    clientBufferLimitsConfig vals[CLIENT_TYPE_COUNT];
    int given[CLIENT_TYPE_COUNT] = {0};

    if (argc % 4) {
        *err = "Wrong number of arguments in buffer limit configuration.";
        return 0;
    }
    for (int j = 0; j < argc; j += 4) {
        int cls = obufClassByName(argv[j]);
        int herr, serr;
        char *end;
        if (cls == -1) {
            *err = "Invalid client class specified in buffer limit configuration.";
            return 0;
        }
        unsigned long long hard = memtoull(argv[j + 1], &herr);
        unsigned long long soft = memtoull(argv[j + 2], &serr);
        long long secs = strtoll(argv[j + 3], &end, 10);
        if (herr || serr || secs < 0 || *end != '\0') {
            *err = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
            return 0;
        }
        vals[cls].hard_limit_bytes = hard;
        vals[cls].soft_limit_bytes = soft;
        vals[cls].soft_limit_seconds = (time_t)secs;
        given[cls] = 1;
    }
    for (int j = 0; j < CLIENT_TYPE_COUNT; j++)
        if (given[j]) server.limits.client_obuf_limits[j] = vals[j];
    return 1;
}

static sds obufGet(void) {
    sds s = sdsempty();
    for (int j = 0; j < CLIENT_TYPE_COUNT; j++)
        s = sdscatprintf(s, "%s%s %llu %llu %ld", j ? " " : "", configObufClassNames[j],
                         server.limits.client_obuf_limits[j].hard_limit_bytes,
                         server.limits.client_obuf_limits[j].soft_limit_bytes,
                         (long)server.limits.client_obuf_limits[j].soft_limit_seconds);
    return s;
}

/* oom-score-adj-values: three scores, master / replica / background child. */
static void oomValuesInit(void) {
    server.proc.oom_score_adj_values[0] = 0;
    server.proc.oom_score_adj_values[1] = 200;
    server.proc.oom_score_adj_values[2] = 800;
}

static int oomValuesSet(sds *argv, int argc, const char **err) {
    int vals[3];
    if (argc != 3) {
        *err = "wrong number of arguments";
        return 0;
    }
    for (int j = 0; j < 3; j++) {
        char *end;
        long long v = strtoll(argv[j], &end, 10);
        if (*end != '\0' || end == argv[j] || v < -2000 || v > 2000) {
            *err = "Invalid oom-score-adj-values, elements must be between -2000 and 2000.";
            return 0;
        }
        vals[j] = (int)v;
    }
    if (vals[1] < vals[0] || vals[2] < vals[1])
        serverLog(LL_WARNING, "The oom-score-adj-values configuration may not work for non-privileged processes! "
                              "Please consult the documentation.");
    for (int j = 0; j < 3; j++) server.proc.oom_score_adj_values[j] = vals[j];
    return 1;
}

sds configOomValuesGet(void) {
    return sdscatprintf(sdsempty(), "%d %d %d", server.proc.oom_score_adj_values[0],
                        server.proc.oom_score_adj_values[1], server.proc.oom_score_adj_values[2]);
}

/* notify-keyspace-events: one character per event class. */
static const struct {
    char ch;
    int flag;
} notify_classes[] = {
    {'g', NOTIFY_GENERIC}, {'$', NOTIFY_STRING}, {'l', NOTIFY_LIST},    {'s', NOTIFY_SET},
    {'h', NOTIFY_HASH},    {'z', NOTIFY_ZSET},   {'x', NOTIFY_EXPIRED}, {'e', NOTIFY_EVICTED},
    {'t', NOTIFY_STREAM},  {'d', NOTIFY_MODULE}, {'n', NOTIFY_NEW},     {0, 0},
};

static void notifyInit(void) {
    server.notify_keyspace_events = 0;
}

static int notifySet(sds *argv, int argc, const char **err) {
    int flags = 0;
    if (argc != 1) {
        *err = "wrong number of arguments";
        return 0;
    }
    for (const char *p = argv[0]; *p; p++) {
        int f = 0;
        if (*p == 'A') f = NOTIFY_ALL;
        else if (*p == 'K') f = NOTIFY_KEYSPACE;
        else if (*p == 'E') f = NOTIFY_KEYEVENT;
        else if (*p == 'm') f = NOTIFY_KEY_MISS;
        else
            for (int j = 0; notify_classes[j].ch; j++)
                if (notify_classes[j].ch == *p) f = notify_classes[j].flag;
        if (!f) {
            *err = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
            return 0;
        }
        flags |= f;
    }
    server.notify_keyspace_events = flags;
    return 1;
}

sds configNotifyGet(void) {
    int flags = server.notify_keyspace_events;
    sds s = sdsempty();
    /* "A" stands for the whole set of classes (and, as in Redis, hides 'n'). */
    if ((flags & NOTIFY_ALL) == NOTIFY_ALL) {
        s = sdscatlen(s, "A", 1);
    } else {
        for (int j = 0; notify_classes[j].ch; j++)
            if (flags & notify_classes[j].flag) s = sdscatlen(s, &notify_classes[j].ch, 1);
    }
    if (flags & NOTIFY_KEYSPACE) s = sdscatlen(s, "K", 1);
    if (flags & NOTIFY_KEYEVENT) s = sdscatlen(s, "E", 1);
    if (flags & NOTIFY_KEY_MISS) s = sdscatlen(s, "m", 1);
    return s;
}

/* replicaof: <host> <port>, or "no one" (read at start-up; REPLICAOF
 * changes it at run time through replication.h). */
static void replicaofInit(void) {
    zfree(server.repl.masterhost);
    server.repl.masterhost = NULL;
    server.repl.masterport = 6379;
    server.repl.masterhost_set = 0;
}

static int replicaofSet(sds *argv, int argc, const char **err) {
    if (argc != 2) {
        *err = "wrong number of arguments";
        return 0;
    }
    if (!strcasecmp(argv[0], "no") && !strcasecmp(argv[1], "one")) {
        replicaofInit();
        return 1;
    }
    char *end;
    long port = strtol(argv[1], &end, 10);
    if (port < 0 || port > 65535 || *end != '\0') {
        *err = "Invalid master port";
        return 0;
    }
    zfree(server.repl.masterhost);
    server.repl.masterhost = zstrdup(argv[0]);
    server.repl.masterport = (int)port;
    server.repl.masterhost_set = 1;
    return 1;
}

static sds replicaofGet(void) {
    if (!server.repl.masterhost) return sdsempty();
    return sdscatprintf(sdsempty(), "%s %d", server.repl.masterhost, server.repl.masterport);
}

/* latency-tracking-info-percentiles: a list of numbers in [0, 100]. */
static void percentilesSetList(const double *vals, int n) {
    zfree(server.latency.tracking_info_percentiles);
    server.latency.tracking_info_percentiles = NULL;
    if (n) {
        server.latency.tracking_info_percentiles = zmalloc(sizeof(double) * (size_t)n);
        memcpy(server.latency.tracking_info_percentiles, vals, sizeof(double) * (size_t)n);
    }
    server.latency.tracking_info_percentiles_len = n;
}

static void percentilesInit(void) {
    static const double defaults[] = {50.0, 99.0, 99.9};
    percentilesSetList(defaults, 3);
}

static int percentilesSet(sds *argv, int argc, const char **err) {
    if (argc == 1 && argv[0][0] == '\0') argc = 0;
    double *vals = argc ? zmalloc(sizeof(double) * (size_t)argc) : NULL;
    for (int j = 0; j < argc; j++) {
        if (!string2d(argv[j], sdslen(argv[j]), &vals[j])) {
            *err = "Invalid latency-tracking-info-percentiles parameters";
            goto bad;
        }
        if (vals[j] > 100.0 || vals[j] < 0.0) {
            *err = "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]";
            goto bad;
        }
    }
    percentilesSetList(vals, argc);
    zfree(vals);
    return 1;
bad:
    /* Redis leaves the list empty after a bad value. */
    zfree(vals);
    percentilesSetList(NULL, 0);
    return 0;
}

/* "%f" without the trailing zeros and dot: 99.900000 -> 99.9, 50.000000 -> 50. */
sds configCatTrimmedDouble(sds s, double v) {
    char buf[128];
    int len = snprintf(buf, sizeof(buf), "%f", v);
    if (strchr(buf, '.')) {
        while (len > 0 && buf[len - 1] == '0') len--;
        if (len > 0 && buf[len - 1] == '.') len--;
    }
    return sdscatlen(s, buf, (size_t)len);
}

static sds percentilesGet(void) {
    sds s = sdsempty();
    for (int j = 0; j < server.latency.tracking_info_percentiles_len; j++) {
        if (j) s = sdscatlen(s, " ", 1);
        s = configCatTrimmedDouble(s, server.latency.tracking_info_percentiles[j]);
    }
    return s;
}

/* unixsocket-peercred-user UID:USER: each line (or word) adds a mapping
 * (acl_cmd.c keeps them). */
static void peercredInit(void) {
    aclPeercredReset();
}

static int peercredSet(sds *argv, int argc, const char **err) {
    for (int j = 0; j < argc; j++)
        if (!aclPeercredAdd(argv[j], err)) return 0;
    return 1;
}

const specialOps config_peercred_ops = {peercredInit, peercredSet, aclPeercredGet, configRewritePeercred};
const specialOps config_dir_ops = {dirInit, dirSet, dirGet, configRewriteDir};
const specialOps config_save_ops = {saveInit, saveSet, saveGet, configRewriteSave};
const specialOps config_bind_ops = {bindInit, bindSet, configBindGet, configRewriteBind};
const specialOps config_obuf_ops = {obufInit, obufSet, obufGet, configRewriteObuf};
const specialOps config_oom_values_ops = {oomValuesInit, oomValuesSet, configOomValuesGet, configRewriteOomValues};
const specialOps config_notify_ops = {notifyInit, notifySet, configNotifyGet, configRewriteNotify};
const specialOps config_replicaof_ops = {replicaofInit, replicaofSet, replicaofGet, configRewriteReplicaof};
const specialOps config_percentiles_ops = {percentilesInit, percentilesSet, percentilesGet, configRewritePercentiles};

/* Tells `save` whether lines come from a config file being loaded (they
 * accumulate) or from CONFIG SET (they replace). */
void configSetLoadingFile(int on) {
    loading_config = on;
}
