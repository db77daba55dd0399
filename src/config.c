/* config.c -- every redis.conf directive: defaults, parsing, CONFIG GET/SET.
 *
 * This file owns the configuration of the server. A single table, `configs`,
 * lists every directive Redis 7.0 knows: its name, its old alias, its type,
 * its bounds, its default and the variable it lives in. Everything else is
 * driven by that table:
 *
 *   initConfigValues()   writes every default into `server`;
 *   loadServerConfig()   reads the file, then stdin, then the command line
 *                        options, line by line, and stores each value;
 *   CONFIG GET           formats the stored values back into text;
 *   CONFIG SET           parses new values, all or nothing, then runs the
 *                        apply hooks of the live settings;
 *   CONFIG REWRITE       edits the file in place, keeping the user's layout
 *                        (config_rewrite.c; the shared types and helpers
 *                        are in config_internal.h).
 *
 * A value is always text at the edges and typed inside: booleans are yes/no,
 * enums are names, numbers may carry memory units (1kb, 5mb) or a percent
 * sign where Redis allows them, and a few directives ("special" ones: save,
 * bind, client-output-buffer-limit ...) take several words and have their own
 * parser and formatter.
 *
 * Directives Ember does not act on yet carry CFG_UNIMPL. They are accepted,
 * stored, shown and settable like the others; when a configuration gives one
 * a value other than its default, the server says so once in the log after
 * loading. A configuration written for Redis therefore never stops Ember from
 * starting, and never silently means something different.
 *
 * Errors use Redis's exact wording, since clients and tests match on it.
 * File-scope state: the table itself (constant), a per-directive "given in the
 * configuration" mark and the default values in text form, both filled once at
 * start-up and used for the unimplemented-directive warnings and REWRITE.
 */
#include "server.h"
#include "evict.h"
#include "config_internal.h"
#include "aof.h"
#include "rdb.h"
#include "tls.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

/* ------------------------------------------------------------ the table */

#define BOOLC(n, a, f, field, d, chk, ap) \
    {.name = n, .alias = a, .flags = f, .type = T_BOOL, .var = &server.field, .def = d, .check_num = chk, .apply = ap}
#define STRC(n, a, f, nul, field, d, chk, ap)                                                                     \
    {.name = n, .alias = a, .flags = f, .type = T_STRING, .var = &server.field, .sdef = d, .empty_is_null = nul, \
     .check_str = chk, .apply = ap}
#define SDSC(n, a, f, field)                                                                              \
    {.name = n, .alias = a, .flags = f, .type = T_SDS, .var = &server.field, .sdef = NULL, .empty_is_null = 1}
#define ENUMC(n, a, f, tbl, field, d, ap) \
    {.name = n, .alias = a, .flags = f, .type = T_ENUM, .var = &server.field, .enums = tbl, .def = d, .apply = ap}
#define FLAGSC(n, a, f, tbl, field, d, chk)                                                                       \
    {.name = n, .alias = a, .flags = (f) | CFG_MULTI_ARG, .type = T_FLAGS, .var = &server.field, .enums = tbl, \
     .def = d, .check_num = chk}
#define NUMC(n, a, f, k, low, high, field, d, nf, ap)                                                       \
    {.name = n, .alias = a, .flags = f, .type = T_NUM, .var = &server.field, .kind = k, .lo = low, .hi = high, \
     .def = d, .numflags = nf, .apply = ap}
#define SPECC(n, a, f, o, ap) {.name = n, .alias = a, .flags = f, .type = T_SPECIAL, .ops = &(o), .apply = ap}

#define U CFG_UNIMPL
#define IMM CFG_IMMUTABLE
#define NULLSTR 1  /* empty_is_null */
#define EMPTYOK 0

/* ------------------------------------------------------------ enum names */

static const configEnum maxmemory_policy_enum[] = {
    {"volatile-lru", MAXMEMORY_VOLATILE_LRU},     {"volatile-lfu", MAXMEMORY_VOLATILE_LFU},
    {"volatile-random", MAXMEMORY_VOLATILE_RANDOM}, {"volatile-ttl", MAXMEMORY_VOLATILE_TTL},
    {"allkeys-lru", MAXMEMORY_ALLKEYS_LRU},       {"allkeys-lfu", MAXMEMORY_ALLKEYS_LFU},
    {"allkeys-random", MAXMEMORY_ALLKEYS_RANDOM}, {"noeviction", MAXMEMORY_NO_EVICTION},
    {NULL, 0}};
static const configEnum syslog_facility_enum[] = {
    {"user", LOG_USER},     {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},
    {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4},
    {"local5", LOG_LOCAL5}, {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
    {NULL, 0}};
static const configEnum loglevel_enum[] = {
    {"debug", LL_DEBUG}, {"verbose", LL_VERBOSE}, {"notice", LL_NOTICE}, {"warning", LL_WARNING}, {NULL, 0}};
static const configEnum supervised_mode_enum[] = {
    {"upstart", SUPERVISED_UPSTART}, {"systemd", SUPERVISED_SYSTEMD},
    {"auto", SUPERVISED_AUTODETECT}, {"no", SUPERVISED_NONE}, {NULL, 0}};
static const configEnum aof_fsync_enum[] = {
    {"everysec", AOF_FSYNC_EVERYSEC}, {"always", AOF_FSYNC_ALWAYS}, {"no", AOF_FSYNC_NO}, {NULL, 0}};
static const configEnum repl_diskless_load_enum[] = {
    {"disabled", REPL_DISKLESS_LOAD_DISABLED},
    {"on-empty-db", REPL_DISKLESS_LOAD_ON_EMPTY_DB},
    {"swapdb", REPL_DISKLESS_LOAD_SWAPDB},
    {NULL, 0}};
static const configEnum tls_auth_clients_enum[] = {{"no", 0}, {"yes", 1}, {"optional", 2}, {NULL, 0}};
static const configEnum oom_score_adj_enum[] = {{"no", OOM_SCORE_ADJ_NO},
                                                {"yes", OOM_SCORE_RELATIVE},
                                                {"relative", OOM_SCORE_RELATIVE},
                                                {"absolute", OOM_SCORE_ABSOLUTE},
                                                {NULL, 0}};
static const configEnum acl_pubsub_default_enum[] = {{"allchannels", 1}, {"resetchannels", 0}, {NULL, 0}};
static const configEnum sanitize_dump_payload_enum[] = {{"no", 0}, {"yes", 1}, {"clients", 2}, {NULL, 0}};
static const configEnum protected_action_enum[] = {
    {"no", PROTECTED_ACTION_ALLOWED_NO}, {"yes", PROTECTED_ACTION_ALLOWED_YES},
    {"local", PROTECTED_ACTION_ALLOWED_LOCAL}, {NULL, 0}};
static const configEnum cluster_preferred_endpoint_type_enum[] = {
    {"ip", 0}, {"hostname", 1}, {"unknown-endpoint", 2}, {NULL, 0}};
static const configEnum propagation_error_behavior_enum[] = {
    {"ignore", 0}, {"panic", 1}, {"panic-on-replicas", 2}, {NULL, 0}};
static const configEnum shutdown_on_sig_enum[] = {
    {"default", 0}, {"save", SHUTDOWN_SAVE}, {"nosave", SHUTDOWN_NOSAVE},
    {"now", SHUTDOWN_NOW}, {"force", SHUTDOWN_FORCE}, {NULL, 0}};

/* ------------------------------------------------------------ validators */

static int isBaseName(const char *p) {
    return strchr(p, '/') == NULL;
}

static int checkDbFilename(const char *v, const char **err) {
    if (!isBaseName(v)) {
        *err = "dbfilename can't be a path, just a filename";
        return 0;
    }
    return 1;
}

static int checkAofFilename(const char *v, const char **err) {
    if (v[0] == '\0') {
        *err = "appendfilename can't be empty";
        return 0;
    }
    if (!isBaseName(v)) {
        *err = "appendfilename can't be a path, just a filename";
        return 0;
    }
    return 1;
}

static int checkAofDirname(const char *v, const char **err) {
    if (v[0] == '\0') {
        *err = "appenddirname can't be empty";
        return 0;
    }
    if (!isBaseName(v)) {
        *err = "appenddirname can't be a path, just a dirname";
        return 0;
    }
    return 1;
}

#define NET_HOST_STR_LEN 256
static int checkAnnouncedHostname(const char *v, const char **err) {
    if (strlen(v) >= NET_HOST_STR_LEN) {
        *err = "Hostnames must be less than 256 characters";
        return 0;
    }
    for (const char *p = v; *p; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                 ch == '.';
        if (!ok) {
            *err = "Hostnames may only contain alphanumeric characters, hyphens or dots";
            return 0;
        }
    }
    return 1;
}

/* A process title template: known {variable}s, balanced braces, and, as in
 * Redis, something left once expanded with an empty {title}. */
static int checkProcTitleTemplate(const char *v, const char **err) {
    if (validateProcTitleTemplate(v)) return 1;
    *err = "template format is invalid or contains unknown variables";
    return 0;
}

static int checkActiveDefrag(long long v, const char **err) {
    if (v) {
        *err = "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified "
               "Jemalloc like the one shipped by default with the Redis source distribution";
        return 0;
    }
    return 1;
}

static int checkShutdownFlags(long long v, const char **err) {
    if ((v & SHUTDOWN_SAVE) && (v & SHUTDOWN_NOSAVE)) {
        *err = "shutdown options SAVE and NOSAVE can't be used simultaneously";
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------ apply hooks */

/* requirepass is the default user's password (acl.c). */
static int applyRequirepass(const char **err) {
    (void)err;
    aclSetDefaultUserPassword(server.security.requirepass);
    return 1;
}

static int applyHz(const char **err) {
    if (server.config_hz < CONFIG_MIN_HZ) server.config_hz = CONFIG_MIN_HZ;
    if (server.config_hz > CONFIG_MAX_HZ) server.config_hz = CONFIG_MAX_HZ;
    server.hz = server.config_hz;
    return 1;
}

static int applyJemallocBgThread(const char **err) {
    zmalloc_set_background_thread(server.memory.jemalloc_bg_thread);
    return 1;
}

static int applyPort(const char **err) {
    if (changeListener() == C_ERR) {
        *err = "Unable to listen on this port. Check server logs.";
        return 0;
    }
    updateProcTitle(NULL);
    return 1;
}

static int applyBind(const char **err) {
    if (changeListener() == C_ERR) {
        *err = "Failed to bind to specified addresses.";
        return 0;
    }
    updateProcTitle(NULL);
    return 1;
}

static int applyTlsCfg(const char **err) {
    return tlsApplyConfig(err);
}

static int applyTlsPort(const char **err) {
    if (!tlsApplyPort(err)) return 0;
    updateProcTitle(NULL);
    return 1;
}

static int applyProcTitle(const char **err) {
    updateProcTitle(NULL);
    return 1;
}

static int applyOomScoreAdj(const char **err) {
    if (setOOMScoreAdj(-1) == C_ERR) {
        *err = "Failed to set current oom_score_adj. Check server logs.";
        return 0;
    }
    return 1;
}

static int applyWatchdog(const char **err) {
    applyWatchdogPeriod();
    return 1;
}

static int applyMaxclients(const char **err) {
    static char msg[128]; /* *err must outlive this call */
    struct rlimit rl;
    rlim_t need = (rlim_t)server.limits.maxclients + CONFIG_MIN_RESERVED_FDS;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        struct rlimit want = rl;
        want.rlim_cur = need;
        if (want.rlim_max != RLIM_INFINITY && want.rlim_max < need) want.rlim_max = need;
        if (setrlimit(RLIMIT_NOFILE, &want) != 0) {
            /* No privilege to raise the hard limit: go as far as it allows. */
            want.rlim_max = rl.rlim_max;
            want.rlim_cur = rl.rlim_max;
            if (want.rlim_cur == RLIM_INFINITY || want.rlim_cur > need) want.rlim_cur = need;
            if (setrlimit(RLIMIT_NOFILE, &want) != 0) want.rlim_cur = rl.rlim_cur;
            if (want.rlim_cur < need) {
                long long can = (long long)want.rlim_cur - CONFIG_MIN_RESERVED_FDS;
                if (can < 1) can = 1;
                snprintf(msg, sizeof(msg),
                         "The operating system is not able to handle the specified number of clients, try with %lld",
                         can);
                *err = msg;
                return 0;
            }
        }
    }
    if (server.el && (unsigned int)aeGetSetSize(server.el) < server.limits.maxclients + CONFIG_FDSET_INCR) {
        if (aeResizeSetSize(server.el, (int)(server.limits.maxclients + CONFIG_FDSET_INCR)) == AE_ERR) {
            *err = "The event loop API used by Redis is not able to handle the specified number of clients";
            return 0;
        }
    }
    return 1;
}

static int applyMaxmemory(const char **err) {
    if (server.memory.maxmemory) {
        size_t used = zmalloc_used_memory();
        if (server.memory.maxmemory < used)
            serverLog(LL_WARNING,
                      "WARNING: the new maxmemory value set via CONFIG SET (%llu) is smaller than the current "
                      "memory usage (%zu). This will result in key eviction and/or the inability to accept new "
                      "write commands depending on the maxmemory-policy.",
                      server.memory.maxmemory, used);
        evictionStartTimer();
    }
    return 1;
}


/* ------------------------------------------------------------ all directives */

#define MB (1024LL * 1024)
static const configEntry configs[] = {
    /* Booleans. */
    BOOLC("rdbchecksum", NULL, IMM, persist.rdb_checksum, 1, NULL, NULL),
    BOOLC("daemonize", NULL, IMM, daemonize, 0, NULL, NULL),
    BOOLC("io-threads-do-reads", NULL, CFG_DEBUG | IMM, proc.io_threads_do_reads, 0, NULL, NULL),
    BOOLC("always-show-logo", NULL, IMM, log.always_show_logo, 0, NULL, NULL),
    BOOLC("protected-mode", NULL, 0, security.protected_mode, 1, NULL, NULL),
    BOOLC("rdb-load-skip-unsupported", NULL, 0, persist.rdb_skip_unsupported, 0, NULL, NULL),
    BOOLC("rdbcompression", NULL, 0, persist.rdb_compression, 1, NULL, NULL),
    BOOLC("rdb-del-sync-files", NULL, 0, persist.rdb_del_sync_files, 0, NULL, NULL),
    BOOLC("activerehashing", NULL, 0, activerehashing, 1, NULL, NULL),
    BOOLC("stop-writes-on-bgsave-error", NULL, 0, persist.stop_writes_on_bgsave_err, 1, NULL, NULL),
    BOOLC("set-proc-title", NULL, IMM, proc.set_proc_title, 1, NULL, NULL),
    BOOLC("dynamic-hz", NULL, 0, dynamic_hz, 1, NULL, NULL),
    BOOLC("lazyfree-lazy-eviction", NULL, CFG_DEBUG, lazyfree.lazy_eviction, 0, NULL, NULL),
    BOOLC("lazyfree-lazy-expire", NULL, CFG_DEBUG, lazyfree.lazy_expire, 0, NULL, NULL),
    BOOLC("lazyfree-lazy-server-del", NULL, CFG_DEBUG, lazyfree.lazy_server_del, 0, NULL, NULL),
    BOOLC("lazyfree-lazy-user-del", NULL, CFG_DEBUG, lazyfree.lazy_user_del, 0, NULL, NULL),
    BOOLC("lazyfree-lazy-user-flush", NULL, CFG_DEBUG, lazyfree.lazy_user_flush, 0, NULL, NULL),
    BOOLC("repl-disable-tcp-nodelay", NULL, U, repl.disable_tcp_nodelay, 0, NULL, NULL),
    BOOLC("repl-diskless-sync", NULL, CFG_DEBUG, repl.diskless_sync, 1, NULL, NULL),
    BOOLC("aof-rewrite-incremental-fsync", NULL, 0, persist.aof_rewrite_incremental_fsync, 1, NULL, NULL),
    BOOLC("no-appendfsync-on-rewrite", NULL, 0, persist.aof_no_fsync_on_rewrite, 0, NULL, NULL),
    BOOLC("cluster-require-full-coverage", NULL, 0, cluster.require_full_coverage, 1, NULL, NULL),
    BOOLC("rdb-save-incremental-fsync", NULL, 0, persist.rdb_save_incremental_fsync, 1, NULL, NULL),
    BOOLC("aof-load-truncated", NULL, 0, persist.aof_load_truncated, 1, NULL, NULL),
    BOOLC("aof-use-rdb-preamble", NULL, 0, persist.aof_use_rdb_preamble, 1, NULL, NULL),
    BOOLC("aof-timestamp-enabled", NULL, 0, persist.aof_timestamp_enabled, 0, NULL, NULL),
    BOOLC("cluster-replica-no-failover", "cluster-slave-no-failover", 0, cluster.slave_no_failover, 0, NULL, NULL),
    BOOLC("replica-lazy-flush", "slave-lazy-flush", 0, repl.slave_lazy_flush, 0, NULL, NULL),
    BOOLC("replica-serve-stale-data", "slave-serve-stale-data", 0, repl.serve_stale_data, 1, NULL, NULL),
    BOOLC("replica-read-only", "slave-read-only", CFG_DEBUG, repl.slave_ro, 1, NULL, NULL),
    BOOLC("replica-ignore-maxmemory", "slave-ignore-maxmemory", 0, repl.slave_ignore_maxmemory, 1, NULL, NULL),
    BOOLC("jemalloc-bg-thread", NULL, 0, memory.jemalloc_bg_thread, 1, NULL, applyJemallocBgThread),
    BOOLC("activedefrag", NULL, CFG_DEBUG | U, memory.active_defrag_enabled, 0, checkActiveDefrag, NULL),
    BOOLC("syslog-enabled", NULL, IMM, log.syslog_enabled, 0, NULL, NULL),
    BOOLC("cluster-enabled", NULL, IMM, cluster.enabled, 0, NULL, NULL),
    BOOLC("appendonly", NULL, CFG_DENY_LOADING, persist.aof_enabled, 0, NULL, aofApplyAppendonly),
    BOOLC("cluster-allow-reads-when-down", NULL, 0, cluster.allow_reads_when_down, 0, NULL, NULL),
    BOOLC("cluster-allow-pubsubshard-when-down", NULL, 0, cluster.allow_pubsubshard_when_down, 1, NULL, NULL),
    BOOLC("crash-log-enabled", NULL, 0, log.crashlog_enabled, 1, NULL, NULL),
    BOOLC("crash-memcheck-enabled", NULL, U, log.memcheck_enabled, 1, NULL, NULL),
    BOOLC("use-exit-on-panic", NULL, CFG_HIDDEN | U, log.use_exit_on_panic, 0, NULL, NULL),
    BOOLC("disable-thp", NULL, IMM, memory.disable_thp, 1, NULL, NULL),
    BOOLC("cluster-allow-replica-migration", NULL, 0, cluster.allow_replica_migration, 1, NULL, NULL),
    BOOLC("replica-announced", NULL, 0, repl.replica_announced, 1, NULL, NULL),
    BOOLC("latency-tracking", NULL, 0, latency.tracking_enabled, 1, NULL, NULL),
    BOOLC("aof-disable-auto-gc", NULL, 0, persist.aof_disable_auto_gc, 0, NULL, NULL),
    BOOLC("replica-ignore-disk-write-errors", NULL, U, repl.ignore_disk_write_errors, 0, NULL, NULL),
    BOOLC("tls-cluster", NULL, 0, tls.cluster, 0, NULL, NULL),
    BOOLC("tls-replication", NULL, 0, tls.replication, 0, NULL, NULL),
    BOOLC("tls-prefer-server-ciphers", NULL, 0, tls.prefer_server_ciphers, 0, NULL, applyTlsCfg),
    BOOLC("tls-session-caching", NULL, 0, tls.session_caching, 1, NULL, applyTlsCfg),

    /* Strings. */
    STRC("aclfile", NULL, IMM, EMPTYOK, security.acl_filename, "", NULL, NULL),
    STRC("unixsocket", NULL, IMM, NULLSTR, net.unixsocket, NULL, NULL, NULL),
    STRC("pidfile", NULL, IMM, NULLSTR, pidfile, NULL, NULL, NULL),
    STRC("replica-announce-ip", "slave-announce-ip", 0, NULLSTR, repl.slave_announce_ip, NULL, NULL, NULL),
    SDSC("masteruser", NULL, CFG_SENSITIVE, repl.masteruser),
    STRC("cluster-announce-ip", NULL, 0, NULLSTR, cluster.announce_ip, NULL, NULL, NULL),
    STRC("cluster-config-file", NULL, IMM, EMPTYOK, cluster.configfile, "nodes.conf", NULL, NULL),
    STRC("cluster-announce-hostname", NULL, 0, NULLSTR, cluster.announce_hostname, NULL, checkAnnouncedHostname, NULL),
    STRC("syslog-ident", NULL, IMM, EMPTYOK, log.syslog_ident, "redis", NULL, NULL),
    STRC("dbfilename", NULL, CFG_PROTECTED, EMPTYOK, persist.rdb_filename, "dump.rdb", checkDbFilename, NULL),
    STRC("appendfilename", NULL, IMM, EMPTYOK, persist.aof_filename, "appendonly.aof", checkAofFilename, NULL),
    STRC("appenddirname", NULL, IMM, EMPTYOK, persist.aof_dirname, "appendonlydir", checkAofDirname, NULL),
    STRC("server_cpulist", NULL, IMM | U, NULLSTR, proc.server_cpulist, NULL, NULL, NULL),
    STRC("bio_cpulist", NULL, IMM | U, NULLSTR, proc.bio_cpulist, NULL, NULL, NULL),
    STRC("aof_rewrite_cpulist", NULL, IMM | U, NULLSTR, proc.aof_rewrite_cpulist, NULL, NULL, NULL),
    STRC("bgsave_cpulist", NULL, IMM | U, NULLSTR, proc.bgsave_cpulist, NULL, NULL, NULL),
    STRC("ignore-warnings", NULL, U, EMPTYOK, log.ignore_warnings, "", NULL, NULL),
    STRC("proc-title-template", NULL, 0, EMPTYOK, proc.title_template, "{title} {listen-addr} {server-mode}",
         checkProcTitleTemplate, applyProcTitle),
    STRC("bind-source-addr", NULL, 0, NULLSTR, net.bind_source_addr, NULL, NULL, NULL),
    STRC("logfile", NULL, IMM, EMPTYOK, log.logfile, "", NULL, NULL),
    SDSC("masterauth", NULL, CFG_SENSITIVE, repl.masterauth),
    {.name = "requirepass", .flags = CFG_SENSITIVE, .type = T_SDS, .var = &server.security.requirepass,
     .empty_is_null = 1, .apply = applyRequirepass},
    STRC("tls-cert-file", NULL, 0, NULLSTR, tls.cert_file, NULL, NULL, applyTlsCfg),
    STRC("tls-key-file", NULL, 0, NULLSTR, tls.key_file, NULL, NULL, applyTlsCfg),
    STRC("tls-key-file-pass", NULL, CFG_SENSITIVE, NULLSTR, tls.key_file_pass, NULL, NULL, applyTlsCfg),
    STRC("tls-client-cert-file", NULL, 0, NULLSTR, tls.client_cert_file, NULL, NULL, applyTlsCfg),
    STRC("tls-client-key-file", NULL, 0, NULLSTR, tls.client_key_file, NULL, NULL, applyTlsCfg),
    STRC("tls-client-key-file-pass", NULL, CFG_SENSITIVE, NULLSTR, tls.client_key_file_pass, NULL, NULL, applyTlsCfg),
    STRC("tls-dh-params-file", NULL, 0, NULLSTR, tls.dh_params_file, NULL, NULL, applyTlsCfg),
    STRC("tls-ca-cert-file", NULL, 0, NULLSTR, tls.ca_cert_file, NULL, NULL, applyTlsCfg),
    STRC("tls-ca-cert-dir", NULL, 0, NULLSTR, tls.ca_cert_dir, NULL, NULL, applyTlsCfg),
    STRC("tls-protocols", NULL, 0, NULLSTR, tls.protocols, NULL, NULL, applyTlsCfg),
    STRC("tls-ciphers", NULL, 0, NULLSTR, tls.ciphers, NULL, NULL, applyTlsCfg),
    STRC("tls-ciphersuites", NULL, 0, NULLSTR, tls.ciphersuites, NULL, NULL, applyTlsCfg),

    /* Enums. */
    ENUMC("supervised", NULL, IMM, supervised_mode_enum, supervised_mode, SUPERVISED_NONE, NULL),
    ENUMC("syslog-facility", NULL, IMM, syslog_facility_enum, log.syslog_facility, LOG_LOCAL0, NULL),
    ENUMC("repl-diskless-load", NULL, CFG_DEBUG | CFG_DENY_LOADING, repl_diskless_load_enum, repl.diskless_load, 0,
          NULL),
    ENUMC("loglevel", NULL, 0, loglevel_enum, log.verbosity, LL_NOTICE, NULL),
    ENUMC("maxmemory-policy", NULL, 0, maxmemory_policy_enum, memory.maxmemory_policy, MAXMEMORY_NO_EVICTION, NULL),
    ENUMC("appendfsync", NULL, 0, aof_fsync_enum, persist.aof_fsync, AOF_FSYNC_EVERYSEC, aofApplyFsync),
    ENUMC("oom-score-adj", NULL, 0, oom_score_adj_enum, proc.oom_score_adj, OOM_SCORE_ADJ_NO, applyOomScoreAdj),
    ENUMC("acl-pubsub-default", NULL, 0, acl_pubsub_default_enum, security.acl_pubsub_default, 0, NULL),
    ENUMC("sanitize-dump-payload", NULL, CFG_DEBUG, sanitize_dump_payload_enum, security.sanitize_dump_payload, 0,
          NULL),
    ENUMC("enable-protected-configs", NULL, IMM, protected_action_enum, security.enable_protected_configs,
          PROTECTED_ACTION_ALLOWED_NO, NULL),
    ENUMC("enable-debug-command", NULL, IMM, protected_action_enum, security.enable_debug_cmd,
          PROTECTED_ACTION_ALLOWED_NO, NULL),
    ENUMC("enable-module-command", NULL, IMM, protected_action_enum, security.enable_module_cmd,
          PROTECTED_ACTION_ALLOWED_NO, NULL),
    ENUMC("cluster-preferred-endpoint-type", NULL, 0, cluster_preferred_endpoint_type_enum,
          cluster.preferred_endpoint_type, 0, NULL),
    ENUMC("propagation-error-behavior", NULL, U, propagation_error_behavior_enum, repl.propagation_error_behavior, 0,
          NULL),
    ENUMC("tls-auth-clients", NULL, 0, tls_auth_clients_enum, tls.auth_clients, 1, NULL),
    FLAGSC("shutdown-on-sigint", NULL, 0, shutdown_on_sig_enum, shutdown_on_sigint, 0, checkShutdownFlags),
    FLAGSC("shutdown-on-sigterm", NULL, 0, shutdown_on_sig_enum, shutdown_on_sigterm, 0, checkShutdownFlags),

    /* int */
    NUMC("databases", NULL, IMM, N_INT, 1, INT_MAX, dbnum, 16, NUM_PLAIN, NULL),
    NUMC("port", NULL, 0, N_INT, 0, 65535, net.port, 6379, NUM_PLAIN, applyPort),
    NUMC("io-threads", NULL, CFG_DEBUG | IMM, N_INT, 1, 128, proc.io_threads_num, 1, NUM_PLAIN, NULL),
    NUMC("auto-aof-rewrite-percentage", NULL, 0, N_INT, 0, INT_MAX, persist.aof_rewrite_perc, 100, NUM_PLAIN, NULL),
    NUMC("cluster-replica-validity-factor", "cluster-slave-validity-factor", 0, N_INT, 0, INT_MAX,
         cluster.slave_validity_factor, 10, NUM_PLAIN, NULL),
    NUMC("list-max-listpack-size", "list-max-ziplist-size", 0, N_INT, INT_MIN, INT_MAX, encoding.list_max_listpack_size,
         -2, NUM_PLAIN, NULL),
    NUMC("tcp-keepalive", NULL, 0, N_INT, 0, INT_MAX, net.tcpkeepalive, 300, NUM_PLAIN, NULL),
    NUMC("cluster-migration-barrier", NULL, 0, N_INT, 0, INT_MAX, cluster.migration_barrier, 1, NUM_PLAIN, NULL),
    NUMC("active-defrag-cycle-min", NULL, U, N_INT, 1, 99, memory.active_defrag_cycle_min, 1, NUM_PLAIN, NULL),
    NUMC("active-defrag-cycle-max", NULL, U, N_INT, 1, 99, memory.active_defrag_cycle_max, 25, NUM_PLAIN, NULL),
    NUMC("active-defrag-threshold-lower", NULL, U, N_INT, 0, 1000, memory.active_defrag_threshold_lower, 10, NUM_PLAIN,
         NULL),
    NUMC("active-defrag-threshold-upper", NULL, U, N_INT, 0, 1000, memory.active_defrag_threshold_upper, 100, NUM_PLAIN,
         NULL),
    NUMC("lfu-log-factor", NULL, 0, N_INT, 0, INT_MAX, memory.lfu_log_factor, 10, NUM_PLAIN, NULL),
    NUMC("lfu-decay-time", NULL, 0, N_INT, 0, INT_MAX, memory.lfu_decay_time, 1, NUM_PLAIN, NULL),
    NUMC("replica-priority", "slave-priority", 0, N_INT, 0, INT_MAX, repl.slave_priority, 100, NUM_PLAIN, NULL),
    NUMC("repl-diskless-sync-delay", NULL, 0, N_INT, 0, INT_MAX, repl.diskless_sync_delay, 5, NUM_PLAIN, NULL),
    NUMC("maxmemory-samples", NULL, 0, N_INT, 1, INT_MAX, memory.maxmemory_samples, 5, NUM_PLAIN, NULL),
    NUMC("maxmemory-eviction-tenacity", NULL, 0, N_INT, 0, 100, memory.maxmemory_eviction_tenacity, 10, NUM_PLAIN,
         NULL),
    NUMC("timeout", NULL, 0, N_INT, 0, INT_MAX, limits.maxidletime, 0, NUM_PLAIN, NULL),
    NUMC("replica-announce-port", "slave-announce-port", 0, N_INT, 0, 65535, repl.slave_announce_port, 0, NUM_PLAIN,
         NULL),
    NUMC("tcp-backlog", NULL, IMM, N_INT, 0, INT_MAX, net.tcp_backlog, 511, NUM_PLAIN, NULL),
    NUMC("cluster-port", NULL, IMM, N_INT, 0, 65535, cluster.port, 0, NUM_PLAIN, NULL),
    NUMC("cluster-announce-bus-port", NULL, 0, N_INT, 0, 65535, cluster.announce_bus_port, 0, NUM_PLAIN, NULL),
    NUMC("cluster-announce-port", NULL, 0, N_INT, 0, 65535, cluster.announce_port, 0, NUM_PLAIN, NULL),
    NUMC("cluster-announce-tls-port", NULL, 0, N_INT, 0, 65535, cluster.announce_tls_port, 0, NUM_PLAIN, NULL),
    NUMC("repl-timeout", NULL, 0, N_INT, 1, INT_MAX, repl.timeout, 60, NUM_PLAIN, NULL),
    NUMC("repl-ping-replica-period", "repl-ping-slave-period", 0, N_INT, 1, INT_MAX, repl.ping_slave_period, 10,
         NUM_PLAIN, NULL),
    NUMC("list-compress-depth", NULL, CFG_DEBUG, N_INT, 0, INT_MAX, encoding.list_compress_depth, 0, NUM_PLAIN, NULL),
    NUMC("rdb-key-save-delay", NULL, CFG_HIDDEN, N_INT, INT_MIN, INT_MAX, persist.rdb_key_save_delay, 0, NUM_PLAIN,
         NULL),
    NUMC("rdb-version", NULL, 0, N_INT, 9, 11, persist.rdb_version, RDB_VERSION, NUM_PLAIN, NULL),
    NUMC("key-load-delay", NULL, CFG_HIDDEN, N_INT, INT_MIN, INT_MAX, persist.key_load_delay, 0, NUM_PLAIN, NULL),
    NUMC("active-expire-effort", NULL, 0, N_INT, 1, 10, expire.active_expire_effort, 1, NUM_PLAIN, NULL),
    NUMC("hz", NULL, 0, N_INT, 0, INT_MAX, config_hz, CONFIG_DEFAULT_HZ, NUM_PLAIN, applyHz),
    NUMC("min-replicas-to-write", "min-slaves-to-write", 0, N_INT, 0, INT_MAX, repl.min_slaves_to_write, 0, NUM_PLAIN,
         NULL),
    NUMC("min-replicas-max-lag", "min-slaves-max-lag", 0, N_INT, 0, INT_MAX, repl.min_slaves_max_lag, 10, NUM_PLAIN,
         NULL),
    NUMC("watchdog-period", NULL, CFG_HIDDEN, N_INT, 0, INT_MAX, log.watchdog_period, 0, NUM_PLAIN, applyWatchdog),
    NUMC("shutdown-timeout", NULL, 0, N_INT, 0, INT_MAX, shutdown_timeout, 10, NUM_PLAIN, NULL),
    NUMC("repl-diskless-sync-max-replicas", NULL, 0, N_INT, 0, INT_MAX, repl.diskless_sync_max_replicas, 0, NUM_PLAIN,
         NULL),
    NUMC("tls-port", NULL, 0, N_INT, 0, 65535, tls.port, 0, NUM_PLAIN, applyTlsPort),
    NUMC("tls-session-cache-size", NULL, 0, N_INT, 0, INT_MAX, tls.session_cache_size, 20 * 1024, NUM_PLAIN, applyTlsCfg),
    NUMC("tls-session-cache-timeout", NULL, 0, N_INT, 0, INT_MAX, tls.session_cache_timeout, 300, NUM_PLAIN, applyTlsCfg),
    /* unsigned int */
    NUMC("maxclients", NULL, 0, N_UINT, 1, UINT_MAX, limits.maxclients, 10000, NUM_PLAIN, applyMaxclients),
    NUMC("unixsocketperm", NULL, IMM, N_UINT, 0, 0777, net.unixsocketperm, 0, NUM_OCTAL, NULL),
    NUMC("socket-mark-id", NULL, IMM | U, N_UINT, 0, UINT_MAX, net.socket_mark_id, 0, NUM_PLAIN, NULL),
    /* unsigned long */
    NUMC("active-defrag-max-scan-fields", NULL, U, N_ULONG, 1, LONG_MAX, memory.active_defrag_max_scan_fields, 1000,
         NUM_PLAIN, NULL),
    NUMC("slowlog-max-len", NULL, 0, N_ULONG, 0, LONG_MAX, slowlog.max_len, 128, NUM_PLAIN, NULL),
    NUMC("acllog-max-len", NULL, 0, N_ULONG, 0, LONG_MAX, security.acllog_max_len, 128, NUM_PLAIN, NULL),
    /* long long */
    NUMC("busy-reply-threshold", "lua-time-limit", 0, N_LL, 0, LONG_MAX, limits.busy_reply_threshold, 5000, NUM_PLAIN,
         NULL),
    NUMC("cluster-node-timeout", NULL, 0, N_LL, 0, LLONG_MAX, cluster.node_timeout, 15000, NUM_PLAIN, NULL),
    NUMC("slowlog-log-slower-than", NULL, 0, N_LL, -1, LLONG_MAX, slowlog.log_slower_than, 10000, NUM_PLAIN, NULL),
    NUMC("bigkey-log-threshold", NULL, 0, N_LL, 0, LLONG_MAX, bigkey.threshold, 0, NUM_PLAIN, NULL),
    NUMC("latency-monitor-threshold", NULL, 0, N_LL, 0, LLONG_MAX, latency.monitor_threshold, 0, NUM_PLAIN, NULL),
    NUMC("proto-max-bulk-len", NULL, CFG_DEBUG, N_LL, 1 * MB, LONG_MAX, limits.proto_max_bulk_len, 512 * MB, NUM_MEMORY,
         NULL),
    NUMC("stream-node-max-entries", NULL, 0, N_LL, 0, LLONG_MAX, encoding.stream_node_max_entries, 100, NUM_PLAIN,
         NULL),
    NUMC("repl-backlog-size", NULL, 0, N_LL, 1, LLONG_MAX, repl.backlog_size, 1 * MB, NUM_MEMORY, NULL),
    /* unsigned long long */
    NUMC("maxmemory", NULL, 0, N_ULL, 0, (long long)ULLONG_MAX, memory.maxmemory, 0, NUM_MEMORY, applyMaxmemory),
    NUMC("cluster-link-sendbuf-limit", NULL, 0, N_ULL, 0, (long long)ULLONG_MAX, cluster.link_sendbuf_limit_bytes, 0,
         NUM_MEMORY, NULL),
    /* size_t (client-query-buffer-limit is an unsigned long long field) */
    NUMC("hash-max-listpack-entries", "hash-max-ziplist-entries", 0, N_SIZE, 0, LONG_MAX,
         encoding.hash_max_listpack_entries, 512, NUM_PLAIN, NULL),
    NUMC("set-max-intset-entries", NULL, 0, N_SIZE, 0, LONG_MAX, encoding.set_max_intset_entries, 512, NUM_PLAIN, NULL),
    NUMC("zset-max-listpack-entries", "zset-max-ziplist-entries", 0, N_SIZE, 0, LONG_MAX,
         encoding.zset_max_listpack_entries, 128, NUM_PLAIN, NULL),
    NUMC("active-defrag-ignore-bytes", NULL, U, N_SIZE, 1, LLONG_MAX, memory.active_defrag_ignore_bytes, 100 * MB,
         NUM_MEMORY, NULL),
    NUMC("hash-max-listpack-value", "hash-max-ziplist-value", 0, N_SIZE, 0, LONG_MAX, encoding.hash_max_listpack_value,
         64, NUM_MEMORY, NULL),
    NUMC("stream-node-max-bytes", NULL, 0, N_SIZE, 0, LONG_MAX, encoding.stream_node_max_bytes, 4096, NUM_MEMORY, NULL),
    NUMC("zset-max-listpack-value", "zset-max-ziplist-value", 0, N_SIZE, 0, LONG_MAX, encoding.zset_max_listpack_value,
         64, NUM_MEMORY, NULL),
    NUMC("hll-sparse-max-bytes", NULL, 0, N_SIZE, 0, LONG_MAX, encoding.hll_sparse_max_bytes, 3000, NUM_MEMORY, NULL),
    NUMC("tracking-table-max-keys", NULL, 0, N_SIZE, 0, LONG_MAX, limits.tracking_table_max_keys, 1000000, NUM_PLAIN,
         NULL),
    NUMC("client-query-buffer-limit", NULL, CFG_DEBUG, N_ULL, 1 * MB, LONG_MAX, limits.client_max_querybuf_len,
         1024 * MB, NUM_MEMORY, NULL),
    /* ssize_t, time_t, off_t */
    NUMC("maxmemory-clients", NULL, 0, N_SSIZE, -100, SSIZE_MAX, limits.maxmemory_clients, 0, NUM_MEMORY | NUM_PERCENT,
         NULL),
    NUMC("repl-backlog-ttl", NULL, 0, N_TIME, 0, LONG_MAX, repl.backlog_time_limit, 60 * 60, NUM_PLAIN, NULL),
    NUMC("auto-aof-rewrite-min-size", NULL, 0, N_OFF, 0, LLONG_MAX, persist.aof_rewrite_min_size, 64 * MB, NUM_MEMORY,
         NULL),
    NUMC("loading-process-events-interval-bytes", NULL, CFG_HIDDEN, N_OFF, 1024, INT_MAX,
         persist.loading_process_events_interval_bytes, 2 * MB, NUM_PLAIN, NULL),

    /* Special syntax. */
    SPECC("dir", NULL, CFG_PROTECTED | CFG_DENY_LOADING, config_dir_ops, NULL),
    SPECC("save", NULL, CFG_MULTI_ARG, config_save_ops, NULL),
    SPECC("client-output-buffer-limit", NULL, CFG_MULTI_ARG, config_obuf_ops, NULL),
    SPECC("oom-score-adj-values", NULL, CFG_MULTI_ARG, config_oom_values_ops, applyOomScoreAdj),
    SPECC("notify-keyspace-events", NULL, 0, config_notify_ops, NULL),
    SPECC("bind", NULL, CFG_MULTI_ARG, config_bind_ops, applyBind),
    SPECC("replicaof", "slaveof", IMM | CFG_MULTI_ARG, config_replicaof_ops, NULL),
    SPECC("latency-tracking-info-percentiles", NULL, CFG_MULTI_ARG, config_percentiles_ops, NULL),
    SPECC("unixsocket-peercred-user", NULL, IMM | CFG_MULTI_ARG, config_peercred_ops, NULL),
};
#define NUM_CONFIGS ((int)(sizeof(configs) / sizeof(configs[0])))

/* Directives Redis 7.0 still accepts in a file and ignores. */
static const struct {
    const char *name;
    int argc;
} ignored_directives[] = {
    {"list-max-ziplist-entries", 2},
    {"list-max-ziplist-value", 2},
    {"lua-replicate-commands", 2},
};

/* Start-up state, see the essay at the top. */
static unsigned char given_in_config[NUM_CONFIGS]; /* set by the file or options */
static sds default_text[NUM_CONFIGS];             /* CONFIG GET form of the default */
static int seen_loadmodule;

/* ------------------------------------------------------------ lookup */

/* The entry named (or aliased) `name`, case-insensitively, or NULL. Sets
 * *by_alias (if not NULL) when the alias matched. */
const configEntry *configLookup(const char *name, int *by_alias) {
    for (int j = 0; j < NUM_CONFIGS; j++) {
        if (!strcasecmp(name, configs[j].name)) {
            if (by_alias) *by_alias = 0;
            return &configs[j];
        }
        if (configs[j].alias && !strcasecmp(name, configs[j].alias)) {
            if (by_alias) *by_alias = 1;
            return &configs[j];
        }
    }
    return NULL;
}

static int configIndex(const configEntry *c) {
    return (int)(c - configs);
}

int configCount(void) {
    return NUM_CONFIGS;
}

const configEntry *configAt(int idx) {
    return &configs[idx];
}

const char *configDefaultText(int idx) {
    return default_text[idx];
}

/* ------------------------------------------------------------ typed access */

long long configNumGet(const configEntry *c) {
    switch (c->kind) {
    case N_INT: return *(int *)c->var;
    case N_UINT: return *(unsigned int *)c->var;
    case N_ULONG: return (long long)*(unsigned long *)c->var;
    case N_LL: return *(long long *)c->var;
    case N_ULL: return (long long)*(unsigned long long *)c->var;
    case N_SIZE: return (long long)*(size_t *)c->var;
    case N_SSIZE: return *(ssize_t *)c->var;
    case N_TIME: return *(time_t *)c->var;
    case N_OFF: return *(off_t *)c->var;
    }
    return 0;
}

static void numPut(const configEntry *c, long long v) {
    switch (c->kind) {
    case N_INT: *(int *)c->var = (int)v; break;
    case N_UINT: *(unsigned int *)c->var = (unsigned int)v; break;
    case N_ULONG: *(unsigned long *)c->var = (unsigned long)v; break;
    case N_LL: *(long long *)c->var = v; break;
    case N_ULL: *(unsigned long long *)c->var = (unsigned long long)v; break;
    case N_SIZE: *(size_t *)c->var = (size_t)v; break;
    case N_SSIZE: *(ssize_t *)c->var = (ssize_t)v; break;
    case N_TIME: *(time_t *)c->var = (time_t)v; break;
    case N_OFF: *(off_t *)c->var = (off_t)v; break;
    }
}

static int numIsUnsigned(const configEntry *c) {
    return c->kind == N_UINT || c->kind == N_ULL || c->kind == N_SIZE;
}

static const char *enumName(const configEnum *e, int val) {
    for (; e->name; e++)
        if (e->val == val) return e->name;
    return "unknown";
}

/* "argument(s) must be one of the following: a, b, c" in a static buffer. */
static const char *enumError(const configEnum *e) {
    static char buf[256];
    size_t len = (size_t)snprintf(buf, sizeof(buf), "argument(s) must be one of the following: ");
    for (int j = 0; e[j].name && len < sizeof(buf); j++)
        len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", j ? ", " : "", e[j].name);
    return buf;
}

static int enumLookup(const configEnum *e, const char *name, int *val) {
    for (; e->name; e++)
        if (!strcasecmp(e->name, name)) {
            *val = e->val;
            return 1;
        }
    return 0;
}

/* Parse a numeric directive's text following its format flags. */
static int numParse(const configEntry *c, const char *s, long long *out, const char **err) {
    size_t len = strlen(s);
    if (c->numflags & NUM_MEMORY) {
        int merr;
        unsigned long long v = len ? memtoull(s, &merr) : (merr = 0, 0);
        if (!merr) {
            *out = (long long)v;
            return 1;
        }
    }
    if ((c->numflags & NUM_PERCENT) && len > 1 && s[len - 1] == '%' && string2ll(s, len - 1, out) && *out >= 0) {
        *out = -*out;
        return 1;
    }
    if (c->numflags & NUM_OCTAL) {
        char *end;
        errno = 0;
        *out = strtoll(s, &end, 8);
        if (errno == 0 && *end == '\0') return 1;
    }
    if (c->numflags == NUM_PLAIN && string2ll(s, len, out)) return 1;

    if ((c->numflags & NUM_MEMORY) && (c->numflags & NUM_PERCENT))
        *err = "argument must be a memory or percent value";
    else if (c->numflags & NUM_MEMORY)
        *err = "argument must be a memory value";
    else if (c->numflags & NUM_OCTAL)
        *err = "argument couldn't be parsed as an octal number";
    else
        *err = "argument couldn't be parsed into an integer";
    return 0;
}

static int numCheckBounds(const configEntry *c, long long v, const char **err) {
    static char buf[128];
    if (numIsUnsigned(c)) {
        unsigned long long u = (unsigned long long)v;
        unsigned long long lo = (unsigned long long)c->lo, hi = (unsigned long long)c->hi;
        if (u < lo || u > hi) {
            if (c->numflags & NUM_OCTAL)
                snprintf(buf, sizeof(buf), "argument must be between %llo and %llo inclusive", lo, hi);
            else
                snprintf(buf, sizeof(buf), "argument must be between %llu and %llu inclusive", lo, hi);
            *err = buf;
            return 0;
        }
    } else if ((c->numflags & NUM_PERCENT) && v < 0) {
        if (v < c->lo) {
            snprintf(buf, sizeof(buf), "percentage argument must be less or equal to %lld", -c->lo);
            *err = buf;
            return 0;
        }
    } else if (v < c->lo || v > c->hi) {
        snprintf(buf, sizeof(buf), "argument must be between %lld and %lld inclusive", c->lo, c->hi);
        *err = buf;
        return 0;
    }
    return 1;
}

/* Store the default of one directive. */
static void configInitOne(const configEntry *c) {
    switch (c->type) {
    case T_BOOL:
    case T_ENUM:
    case T_FLAGS: *(int *)c->var = (int)c->def; break;
    case T_NUM: numPut(c, c->def); break;
    case T_STRING: {
        char **p = c->var;
        zfree(*p);
        *p = (c->sdef == NULL) ? NULL : zstrdup(c->sdef);
        break;
    }
    case T_SDS: {
        sds *p = c->var;
        sdsfree(*p);
        *p = (c->sdef == NULL) ? NULL : sdsnew(c->sdef);
        break;
    }
    case T_SPECIAL: c->ops->init(); break;
    }
}

/* Parse argv[0..argc) and store it into the directive. Returns 1 on success,
 * 0 with *err (static text) and nothing changed on a bad value. */
static int configSetValue(const configEntry *c, sds *argv, int argc, const char **err) {
    switch (c->type) {
    case T_BOOL: {
        int v;
        if (!strcasecmp(argv[0], "yes")) v = 1;
        else if (!strcasecmp(argv[0], "no")) v = 0;
        else {
            *err = "argument must be 'yes' or 'no'";
            return 0;
        }
        if (c->check_num && !c->check_num(v, err)) return 0;
        *(int *)c->var = v;
        return 1;
    }
    case T_ENUM: {
        int v;
        if (!enumLookup(c->enums, argv[0], &v)) {
            *err = enumError(c->enums);
            return 0;
        }
        *(int *)c->var = v;
        return 1;
    }
    case T_FLAGS: {
        int v = 0;
        if (argc == 0) {
            *err = enumError(c->enums);
            return 0;
        }
        for (int j = 0; j < argc; j++) {
            int f;
            if (!enumLookup(c->enums, argv[j], &f)) {
                *err = enumError(c->enums);
                return 0;
            }
            v |= f;
        }
        if (c->check_num && !c->check_num(v, err)) return 0;
        *(int *)c->var = v;
        return 1;
    }
    case T_NUM: {
        long long v;
        if (!numParse(c, argv[0], &v, err) || !numCheckBounds(c, v, err)) return 0;
        if (c->check_num && !c->check_num(v, err)) return 0;
        numPut(c, v);
        return 1;
    }
    case T_STRING: {
        char **p = c->var;
        if (c->check_str && !c->check_str(argv[0], err)) return 0;
        zfree(*p);
        *p = (c->empty_is_null && argv[0][0] == '\0') ? NULL : zstrdup(argv[0]);
        return 1;
    }
    case T_SDS: {
        sds *p = c->var;
        sdsfree(*p);
        *p = (c->empty_is_null && sdslen(argv[0]) == 0) ? NULL : sdsdup(argv[0]);
        return 1;
    }
    case T_SPECIAL: return c->ops->set(argv, argc, err);
    }
    return 0;
}

static sds numFormat(const configEntry *c, long long v) {
    if ((c->numflags & NUM_PERCENT) && v < 0) return sdscatprintf(sdsempty(), "%lld%%", -v);
    if (c->numflags & NUM_OCTAL) return sdscatprintf(sdsempty(), "%llo", (unsigned long long)v);
    if (numIsUnsigned(c) || (c->numflags & NUM_MEMORY)) return sdscatprintf(sdsempty(), "%llu", (unsigned long long)v);
    return sdscatprintf(sdsempty(), "%lld", v);
}

static sds flagsFormat(const configEnum *e, int v) {
    sds s = sdsempty();
    if (v == 0) return sdscat(s, enumName(e, 0));
    for (; e->name; e++)
        if (e->val && (v & e->val) == e->val) {
            if (sdslen(s)) s = sdscatlen(s, " ", 1);
            s = sdscat(s, e->name);
        }
    return s;
}

/* The CONFIG GET text of a directive, as a new sds. */
sds configGetValue(const configEntry *c) {
    switch (c->type) {
    case T_BOOL: return sdsnew(*(int *)c->var ? "yes" : "no");
    case T_ENUM: return sdsnew(enumName(c->enums, *(int *)c->var));
    case T_FLAGS: return flagsFormat(c->enums, *(int *)c->var);
    case T_NUM: return numFormat(c, configNumGet(c));
    case T_STRING: {
        char *v = *(char **)c->var;
        return sdsnew(v ? v : "");
    }
    case T_SDS: {
        sds v = *(sds *)c->var;
        return v ? sdsdup(v) : sdsempty();
    }
    case T_SPECIAL: return c->ops->get();
    }
    return sdsempty();
}

/* Set from one CONFIG SET / rollback value: multi-word directives split it
 * on single spaces, as Redis does. */
static int configSetFromString(const configEntry *c, sds value, const char **err) {
    if (c->flags & CFG_MULTI_ARG) {
        int argc;
        sds *argv = sdssplitlen(value, (ssize_t)sdslen(value), " ", 1, &argc);
        if (argv == NULL) {
            *err = "wrong number of arguments";
            return 0;
        }
        int ok = configSetValue(c, argv, argc, err);
        sdsfreesplitres(argv, argc);
        return ok;
    }
    return configSetValue(c, &value, 1, err);
}

/* ------------------------------------------------------------ public helpers */

void initConfigValues(void) {
    for (int j = 0; j < NUM_CONFIGS; j++) configInitOne(&configs[j]);
    server.hz = server.config_hz;
    for (int j = 0; j < NUM_CONFIGS; j++) {
        sdsfree(default_text[j]);
        default_text[j] = configGetValue(&configs[j]);
        given_in_config[j] = 0;
    }
}

const char *evictPolicyToString(void) {
    return enumName(maxmemory_policy_enum, server.memory.maxmemory_policy);
}

const char *configLogLevelName(int level) {
    return enumName(loglevel_enum, level);
}

/* A client on the unix socket, or from exactly 127.0.0.1 or ::1 (the peer
 * id is "ip:port", "[ip]:port" for IPv6): as in Redis, other loopback
 * addresses such as 127.0.0.2 are not local. */
int isLocalClient(client *c) {
    if (c->flags & CLIENT_UNIX_SOCKET) return 1;
    if (c->conn == NULL) return 1; /* internal (fake) clients */
    const char *peer = getClientPeerId(c);
    if (peer == NULL) return 0;
    return !strncmp(peer, "127.0.0.1:", 10) || !strncmp(peer, "[::1]:", 6);
}

int allowProtectedAction(int config, client *c) {
    return config == PROTECTED_ACTION_ALLOWED_YES || (config == PROTECTED_ACTION_ALLOWED_LOCAL && isLocalClient(c));
}

/* ------------------------------------------------------------ loading */

static int load_depth; /* include nesting */

/* Prints the fatal configuration error (the caller exits with status 1). */
static void fatalConfigError(int linenum, const char *line, const char *err) {
    fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (Ember %s, Redis %s compatible) ***\n", EMBER_VERSION,
            REDIS_VERSION);
    if (line) {
        fprintf(stderr, "Reading the configuration file, at line %d\n", linenum);
        fprintf(stderr, ">>> '%s'\n", line);
    }
    fprintf(stderr, "%s\n", err);
}

/* rename-command <name> <new-name>; an empty new name removes the command.
 * The command table must already be populated. */
static int renameCommand(sds from, sds to, const char **err) {
    if (server.commands == NULL) {
        *err = "No such command in rename-command";
        return 0;
    }
    struct redisCommand *cmd = lookupCommandBySds(from);
    if (!cmd) {
        *err = "No such command in rename-command";
        return 0;
    }
    dictDelete(server.commands, from);
    if (sdslen(to)) {
        sds copy = sdsdup(to);
        if (dictAdd(server.commands, copy, cmd) != DICT_OK) {
            sdsfree(copy);
            *err = "Target command name already exists";
            return 0;
        }
    }
    return 1;
}

/* A directive of the table given on a file or command-line line. A
 * multi-word directive whose words arrive as one non-empty quoted argument
 * (`save "3600 1 300 100"`, `--bind "127.0.0.1 -::1"`) has that argument
 * split into words again, quotes honoured, as Redis does; a value whose
 * inner quotes do not balance counts as no words at all, as in Redis. */
static int loadTableDirective(const configEntry *c, sds *argv, int argc, const char **err) {
    if (!(c->flags & CFG_MULTI_ARG)) {
        if (argc != 2) {
            *err = "wrong number of arguments";
            return 0;
        }
        return configSetValue(c, argv + 1, 1, err);
    }
    if (argc != 2 || sdslen(argv[1]) == 0) return configSetValue(c, argv + 1, argc - 1, err);

    int words = 0;
    sds *split = sdssplitargs(argv[1], &words);
    int ok = configSetValue(c, split, split ? words : 0, err);
    sdsfreesplitres(split, words);
    return ok;
}

/* One directive line, already split. Returns 1, or 0 with *err set. */
static int loadConfigLine(sds *argv, int argc, const char **err) {
    const configEntry *c = configLookup(argv[0], NULL);

    if (c) {
        if (!loadTableDirective(c, argv, argc, err)) return 0;
        given_in_config[configIndex(c)] = 1;
        return 1;
    }
    for (size_t j = 0; j < sizeof(ignored_directives) / sizeof(ignored_directives[0]); j++)
        if (!strcasecmp(argv[0], ignored_directives[j].name) && argc == ignored_directives[j].argc) return 1;

    if (!strcasecmp(argv[0], "include") && argc == 2) {
        loadServerConfig(argv[1], 0, NULL);
    } else if (!strcasecmp(argv[0], "rename-command") && argc == 3) {
        return renameCommand(argv[1], argv[2], err);
    } else if (!strcasecmp(argv[0], "user") && argc >= 2) {
        aclAddConfigUserLine(argv, argc);
    } else if (!strcasecmp(argv[0], "loadmodule") && argc >= 2) {
        seen_loadmodule = 1;
    } else if (!strcasecmp(argv[0], "sentinel")) {
        if (argc != 1 && !server.sentinel_mode) {
            *err = "sentinel directive while not in sentinel mode";
            return 0;
        }
    } else {
        *err = "Bad directive or wrong number of arguments";
        return 0;
    }
    return 1;
}

void configWarnUnimplemented(void) {
    for (int j = 0; j < NUM_CONFIGS; j++) {
        const configEntry *c = &configs[j];
        if (!(c->flags & CFG_UNIMPL) || !given_in_config[j]) continue;
        sds now = configGetValue(c);
        /* An empty value turns the feature off (save "", replicaof ""),
         * which is what Ember does without it: nothing to warn about. */
        if (now[0] != '\0' && strcmp(now, default_text[j]) != 0)
            serverLog(LL_WARNING,
                      "Config directive '%s' is accepted but not implemented by Ember yet: the value is stored "
                      "and shown by CONFIG GET, but has no effect.",
                      c->name);
        sdsfree(now);
    }
    if (seen_loadmodule)
        serverLog(LL_WARNING, "Config directive 'loadmodule' is accepted but modules are not supported by Ember: "
                              "the directive is ignored.");
}

static void loadServerConfigFromString(char *config) {
    const char *err = NULL;
    int totlines, i;
    sds *lines = sdssplitlen(config, (ssize_t)strlen(config), "\n", 1, &totlines);

    for (i = 0; i < totlines; i++) {
        int argc;
        sds *argv;

        lines[i] = sdstrim(lines[i], " \t\r\n");
        if (lines[i][0] == '#' || lines[i][0] == '\0') continue;
        argv = sdssplitargs(lines[i], &argc);
        if (argv == NULL) {
            err = "Unbalanced quotes in configuration line";
            goto loaderr;
        }
        if (argc == 0) {
            sdsfreesplitres(argv, argc);
            continue;
        }
        sdstolower(argv[0]);
        if (!loadConfigLine(argv, argc, &err)) {
            sdsfreesplitres(argv, argc);
            goto loaderr;
        }
        sdsfreesplitres(argv, argc);
    }

    if (load_depth == 1) {
        if (server.log.logfile && server.log.logfile[0] != '\0') {
            FILE *fp = fopen(server.log.logfile, "a");
            if (fp == NULL) {
                static char buf[512];
                snprintf(buf, sizeof(buf), "Can't open the log file: %s", strerror(errno));
                err = buf;
                i = totlines; /* no line to show */
                goto loaderr;
            }
            fclose(fp);
        }
        if (server.cluster.enabled && server.repl.masterhost) {
            err = "replicaof directive not allowed in cluster mode";
            i = totlines;
            goto loaderr;
        }
        applyHz(&err);
    }
    sdsfreesplitres(lines, totlines);
    return;

loaderr:
    fatalConfigError(i + 1, i < totlines ? lines[i] : NULL, err);
    sdsfreesplitres(lines, totlines);
    exit(1);
}

/* Append the content of one file to *config; exits on an unreadable file. */
static void readConfigFile(const char *path, sds *config) {
    char buf[1024];
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        serverLog(LL_WARNING, "Fatal error, can't open config file '%s': %s", path, strerror(errno));
        exit(1);
    }
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) *config = sdscatlen(*config, buf, n);
    fclose(fp);
}

void loadServerConfig(char *filename, char config_from_stdin, char *options) {
    sds config = sdsempty();

    if (filename) {
        if (strpbrk(filename, "*?[")) {
            /* include with a pattern: every matching file, in glob order. */
            glob_t g;
            if (glob(filename, 0, NULL, &g) == 0) {
                for (size_t j = 0; j < g.gl_pathc; j++) readConfigFile(g.gl_pathv[j], &config);
                globfree(&g);
            }
        } else {
            readConfigFile(filename, &config);
        }
    }
    if (config_from_stdin) {
        char buf[1024];
        size_t n;
        serverLog(LL_WARNING, "Reading config from stdin");
        while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) config = sdscatlen(config, buf, n);
    }
    if (options) {
        config = sdscat(config, "\n");
        config = sdscat(config, options);
    }

    load_depth++;
    configSetLoadingFile(1);
    loadServerConfigFromString(config);
    load_depth--;
    if (load_depth == 0) configSetLoadingFile(0);
    sdsfree(config);
}

/* ------------------------------------------------------------ CONFIG SET */

void configSetCommand(client *c) {
    const char *errstr = NULL;
    const char *err_name = NULL, *unknown_name = NULL;
    int deny_loading = 0, invalid = 0;
    int count, i, j;

    if (c->argc & 1) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    count = (c->argc - 2) / 2;
    const configEntry **set = zcalloc(sizeof(*set) * (size_t)count);
    int *by_alias = zcalloc(sizeof(int) * (size_t)count);
    sds *old = zcalloc(sizeof(sds) * (size_t)count);
    int (**applies)(const char **) = zcalloc(sizeof(*applies) * (size_t)count);
    int *apply_owner = zcalloc(sizeof(int) * (size_t)count);
    int napplies = 0;

    /* 1. Validate the names: the first problem wins. */
    for (i = 0; i < count && !invalid; i++) {
        const char *name = c->argv[2 + i * 2]->ptr;
        const configEntry *ce = configLookup(name, &by_alias[i]);
        if (!ce) {
            unknown_name = name;
            invalid = 1;
            break;
        }
        if ((ce->flags & CFG_IMMUTABLE) ||
            ((ce->flags & CFG_PROTECTED) && !allowProtectedAction(server.security.enable_protected_configs, c))) {
            errstr = (ce->flags & CFG_IMMUTABLE) ? "can't set immutable config" : "can't set protected config";
            err_name = name;
            invalid = 1;
        }
        if (server.persist.loading && (ce->flags & CFG_DENY_LOADING)) {
            deny_loading = 1;
            invalid = 1;
        }
        for (j = 0; j < i && !invalid; j++) {
            if (set[j] == ce && by_alias[j] == by_alias[i]) {
                errstr = "duplicate parameter";
                err_name = name;
                invalid = 1;
            }
        }
        set[i] = ce;
    }
    if (invalid) goto err;

    /* 2. Remember the old values, then set the new ones. */
    for (i = 0; i < count; i++) old[i] = configGetValue(set[i]);
    for (i = 0; i < count; i++) {
        if (!configSetFromString(set[i], c->argv[3 + i * 2]->ptr, &errstr)) {
            for (j = 0; j <= i; j++) {
                const char *rerr;
                if (!configSetFromString(set[j], old[j], &rerr))
                    serverLog(LL_WARNING, "Failed restoring failed CONFIG SET command. Error setting %s to '%s': %s",
                              set[j]->name, old[j], rerr);
            }
            err_name = by_alias[i] ? set[i]->alias : set[i]->name;
            goto err;
        }
        sds now = configGetValue(set[i]);
        int changed = sdscmp(now, old[i]) != 0;
        sdsfree(now);
        if (set[i]->apply && changed) {
            int dup = 0;
            for (j = 0; j < napplies; j++)
                if (applies[j] == set[i]->apply) dup = 1;
            if (!dup) {
                applies[napplies] = set[i]->apply;
                apply_owner[napplies++] = i;
            }
        }
    }

    /* 3. Apply the live settings; on failure put everything back. */
    for (i = 0; i < napplies; i++) {
        if (!applies[i](&errstr)) {
            const char *rerr;
            serverLog(LL_WARNING,
                      "Failed applying new configuration. Possibly related to new %s setting. Restoring previous "
                      "settings.",
                      set[apply_owner[i]]->name);
            for (j = 0; j < count; j++)
                if (!configSetFromString(set[j], old[j], &rerr))
                    serverLog(LL_WARNING, "Failed restoring failed CONFIG SET command. Error setting %s to '%s': %s",
                              set[j]->name, old[j], rerr);
            for (j = 0; j < napplies; j++)
                if (!applies[j](&rerr)) serverLog(LL_WARNING, "Failed applying restored failed CONFIG SET command: %s", rerr);
            err_name = set[apply_owner[i]]->name;
            goto err;
        }
    }
    addReply(c, shared.ok);
    goto end;

err:
    if (deny_loading)
        addReplyErrorObject(c, shared.loadingerr);
    else if (unknown_name)
        addReplyErrorFormat(c, "Unknown option or number of arguments for CONFIG SET - '%s'", unknown_name);
    else if (errstr)
        addReplyErrorFormat(c, "CONFIG SET failed (possibly related to argument '%s') - %s", err_name, errstr);
    else
        addReplyErrorFormat(c, "CONFIG SET failed (possibly related to argument '%s')", err_name);
end:
    for (i = 0; i < count; i++) sdsfree(old[i]);
    zfree(old);
    zfree(set);
    zfree(by_alias);
    zfree(applies);
    zfree(apply_owner);
}

/* ------------------------------------------------------------ CONFIG GET */

typedef struct getMatch {
    const char *key; /* the name shown: a table name, or the user's spelling */
    const configEntry *c;
} getMatch;

static int matchListHas(getMatch *m, int n, const char *key) {
    for (int j = 0; j < n; j++)
        if (!strcasecmp(m[j].key, key)) return 1;
    return 0;
}

void configGetCommand(client *c) {
    int cap = 2 * NUM_CONFIGS + c->argc, n = 0;
    getMatch *m = zmalloc(sizeof(*m) * (size_t)cap);

    for (int i = 2; i < c->argc; i++) {
        const char *pat = c->argv[i]->ptr;
        if (!strpbrk(pat, "[*?")) {
            /* A plain name: hidden directives too, named as asked. */
            const configEntry *ce = configLookup(pat, NULL);
            if (ce && !matchListHas(m, n, pat) && n < cap) m[n++] = (getMatch){pat, ce};
            continue;
        }
        for (int j = 0; j < NUM_CONFIGS; j++) {
            const configEntry *ce = &configs[j];
            if (ce->flags & CFG_HIDDEN) continue;
            if (stringmatch(pat, ce->name, 1) && !matchListHas(m, n, ce->name) && n < cap)
                m[n++] = (getMatch){ce->name, ce};
            if (ce->alias && stringmatch(pat, ce->alias, 1) && !matchListHas(m, n, ce->alias) && n < cap)
                m[n++] = (getMatch){ce->alias, ce};
        }
    }
    addReplyMapLen(c, n);
    for (int j = 0; j < n; j++) {
        addReplyBulkCString(c, m[j].key);
        addReplyBulkSds(c, configGetValue(m[j].c));
    }
    zfree(m);
}

/* ------------------------------------------------------------ other subcommands */

void configResetStatCommand(client *c) {
    resetServerStats();
    resetCommandTableStats(server.commands);
    addReply(c, shared.ok);
}

void configHelpCommand(client *c) {
    const char *help[] = {
        "GET <pattern> [<pattern> ...]",
        "    Reply with every parameter whose name matches a glob-style <pattern>, and its value.",
        "SET <directive> <value> [<directive> <value> ...]",
        "    Change one or more parameters at once; if any value is refused, none is changed.",
        "RESETSTAT",
        "    Zero the statistics shown by INFO (command counters, errors, connections ...).",
        "REWRITE",
        "    Save the current configuration into the file the server was started with.",
        NULL,
    };
    addReplyHelp(c, help);
}
