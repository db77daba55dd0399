/* server.h — the shared vocabulary of the server proper.
 *
 * Everything above the base libraries includes this header. It declares the
 * client, the global `server` state (grouped by concern into sub-structs)
 * and the read-only `shared` replies, and server.c's own calls; it includes
 * the header of each concern (object.h, db.h, commands.h, reply.h,
 * networking.h, blocked.h, config.h, log.h, dict_types.h) and of each value
 * type (t_string.h, t_list.h, t_hash.h, t_set.h, t_zset.h), so a file that
 * includes server.h sees them all. A header that needs only part of this
 * includes only that part.
 *
 * Base libraries (ae, anet, sds, dict, adlist, zmalloc, util, resp) never
 * include this file: they take their state as arguments.
 *
 * Globals: `server` holds all mutable process state, grouped by concern;
 * `shared` holds immutable, reference-counted reply objects created once at
 * start-up. Nothing else is mutable at file scope without a comment saying why.
 */
#ifndef EMBER_SERVER_H
#define EMBER_SERVER_H

#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>
#include <limits.h>
#include <signal.h>
#include <sys/types.h>
#include <time.h>

#include "ae.h"
#include "anet.h"
#include "sds.h"
#include "dict.h"
#include "adlist.h"
#include "zmalloc.h"
#include "util.h"
#include "resp.h"
#include "listpack.h"
#include "quicklist.h"
#include "connection.h"
#include "propagate.h"
#include "log.h"
#include "object.h"
#include "db.h"
#include "blocked.h"
#include "multi.h"
#include "commands.h"
#include "reply.h"
#include "networking.h"
#include "config.h"
#include "dict_types.h"
#include "t_string.h"
#include "t_list.h"
#include "t_hash.h"
#include "t_set.h"
#include "t_zset.h"
#include "t_stream.h"
#include "pubsub.h"
#include "tracking.h"
#include "acl.h"
#include "replication.h"
#include "migrate.h"
#include "cluster.h"

#define EMBER_VERSION "0.1.0"
#define REDIS_VERSION "7.0.15"
#define REDIS_VERSION_NUM 0x0007000f

#define C_OK 0
#define C_ERR -1

/* ---------------------------------------------------------------- limits */
#define CONFIG_DEFAULT_HZ 10
#define CONFIG_MIN_HZ 1
#define CONFIG_MAX_HZ 500
#define CONFIG_BINDADDR_MAX 16
#define CONFIG_RUN_ID_SIZE 40
#define CONFIG_MIN_RESERVED_FDS 32     /* fds kept beyond maxclients (listeners, logs, files) */
#define CONFIG_FDSET_INCR 128          /* event loop slots beyond maxclients */
#define STATS_METRIC_SAMPLES 16        /* instantaneous_* INFO fields: samples averaged */
#define MAX_ACCEPTS_PER_CALL 1000
#define NET_IP_STR_LEN 46
#define NET_ADDR_STR_LEN (NET_IP_STR_LEN + 32)
#define PROTO_IOBUF_LEN (1024 * 16)    /* read size per readable event */
#define PROTO_REPLY_CHUNK_BYTES (16 * 1024) /* reply list blocks; largest static buffer */
#define PROTO_INLINE_MAX_SIZE (1024 * 64)
#define PROTO_MBULK_BIG_ARG (1024 * 32)
#define PROTO_REPLY_MIN_BYTES 1024     /* smallest static reply buffer */
#define REPLY_BUF_PEAK_RESET_MS 5000   /* how long the reply buffer peak is kept */
#define QUERYBUF_RESIZE_THRESHOLD (1024 * 32) /* smaller query buffers are kept as they are */
#define QUERYBUF_IDLE_SHRINK_MS 2000   /* idle this long: the query buffer gives its room back */
#define NET_MAX_WRITES_PER_EVENT (1024 * 64)

/* --------------------------------------------------------------- client */
#define CLIENT_SLAVE (1 << 0)
#define CLIENT_MASTER (1 << 1)
#define CLIENT_MONITOR (1 << 2)
#define CLIENT_MULTI (1 << 3)
#define CLIENT_BLOCKED (1 << 4)
#define CLIENT_DIRTY_CAS (1 << 5)
#define CLIENT_CLOSE_AFTER_REPLY (1 << 6)
#define CLIENT_UNBLOCKED (1 << 7)
#define CLIENT_SCRIPT (1 << 8)
#define CLIENT_ASKING (1 << 9)
#define CLIENT_CLOSE_ASAP (1 << 10)
#define CLIENT_UNIX_SOCKET (1 << 11)
#define CLIENT_DIRTY_EXEC (1 << 12)
#define CLIENT_MASTER_FORCE_REPLY (1 << 13)
#define CLIENT_FORCE_AOF (1 << 14)
#define CLIENT_FORCE_REPL (1 << 15)
#define CLIENT_PRE_PSYNC (1 << 16)
#define CLIENT_READONLY (1 << 17)
#define CLIENT_PUBSUB (1 << 18)
#define CLIENT_PREVENT_AOF_PROP (1 << 19)
#define CLIENT_PREVENT_REPL_PROP (1 << 20)
#define CLIENT_PENDING_WRITE (1 << 21)
#define CLIENT_REPLY_OFF (1 << 22)
#define CLIENT_REPLY_SKIP_NEXT (1 << 23)
#define CLIENT_REPLY_SKIP (1 << 24)
#define CLIENT_LUA_DEBUG (1 << 25)      /* SCRIPT DEBUG YES or SYNC: the next EVAL is debugged */
#define CLIENT_LUA_DEBUG_SYNC (1 << 26) /* SCRIPT DEBUG SYNC: in the server, changes kept */
#define CLIENT_TRACKING (1ULL << 31)
#define CLIENT_TRACKING_BROKEN_REDIR (1ULL << 32) /* the REDIRECT client is gone */
#define CLIENT_TRACKING_BCAST (1ULL << 33)
#define CLIENT_TRACKING_OPTIN (1ULL << 34)
#define CLIENT_TRACKING_OPTOUT (1ULL << 35)
#define CLIENT_TRACKING_CACHING (1ULL << 36)      /* CLIENT CACHING for the next command */
#define CLIENT_TRACKING_NOLOOP (1ULL << 37)
#define CLIENT_PROTECTED (1ULL << 39)
#define CLIENT_NO_EVICT (1ULL << 43)
#define CLIENT_NO_TOUCH (1ULL << 45)
#define CLIENT_CLOSE_AFTER_COMMAND (1ULL << 40)
#define CLIENT_AUTHENTICATED (1ULL << 46)
#define CLIENT_EXECUTING_COMMAND (1ULL << 47)
#define CLIENT_IN_PAUSE_QUEUE (1ULL << 48)
#define CLIENT_PUSHING (1ULL << 49)   /* adding a push (pub/sub): passes CLIENT REPLY OFF/SKIP */
#define CLIENT_PENDING_READ (1ULL << 50) /* readable, its read waits for the io threads */

/* client.io_failed */
#define IO_FAILED_ERROR 1
#define IO_FAILED_CLOSED 2

#define CLIENT_TYPE_NORMAL 0
#define CLIENT_TYPE_SLAVE 1
#define CLIENT_TYPE_PUBSUB 2
#define CLIENT_TYPE_MASTER 3
#define CLIENT_TYPE_COUNT 3         /* types with output buffer limits */

/* What a client blocked by BLPOP & co. waits for (blocked.c). */

/* One block of the reply list, used when the static buffer is full. */
typedef struct clientReplyBlock {
    size_t size, used;
    char buf[];
} clientReplyBlock;

/* The longest command name lookupClientCommand remembers per client. */
#define CMDCACHE_NAME_MAX 24

typedef struct client {
    uint64_t id;
    uint64_t flags;
    connection *conn;           /* NULL for fake clients */
    int resp;                   /* 2 or 3 */
    int authenticated;
    redisDb *db;
    robj *name;                 /* CLIENT SETNAME, or NULL */
    sds querybuf;
    size_t qb_pos;              /* bytes of querybuf already parsed */
    size_t querybuf_peak;
    size_t mem_usage_counted;   /* this client's share of client_evict.c's total */
    respParser parser;
    int argc;
    int argv_len;
    robj **argv;
    size_t argv_len_sum;
    struct redisCommand *cmd, *lastcmd, *realcmd;
    /* lookupClientCommand's cache: the last command name as this client
     * spelt it (up to CMDCACHE_NAME_MAX bytes) and its command. */
    struct redisCommand *cmdcache_cmd;
    unsigned char cmdcache_len;
    char cmdcache_name[CMDCACHE_NAME_MAX];
    int sentlen;                /* bytes of the current buffer/block already sent */
    size_t bufpos;              /* bytes used in buf */
    size_t buf_usable_size;
    char *buf;                  /* the static reply buffer, resized by clientsCron */
    size_t buf_peak;            /* most of buf used since buf_peak_last_reset */
    long long buf_peak_last_reset; /* mstime */
    list *reply;                /* clientReplyBlock* */
    unsigned long long reply_bytes; /* bytes held in the reply list */
    time_t ctime;               /* creation, seconds */
    long long last_interaction; /* mstime of the last read or write */
    long long obuf_soft_limit_reached_time;
    listNode *client_list_node; /* in server.clients */
    /* c's own nodes in server.clients_pending_write and _read (linked while
     * CLIENT_PENDING_WRITE / _READ is set): queueing allocates nothing. */
    listNode pending_write_link;
    listNode pending_read_link;
    size_t io_bytes;            /* of the last socket read or write (iothreads.h) */
    int io_failed;              /* that I/O: 0, IO_FAILED_ERROR or IO_FAILED_CLOSED */
    char *peerid;               /* cached "ip:port", or NULL */
    char *sockname;             /* cached local "ip:port", or NULL */
    int paused_list_node_set;
    listNode *paused_node;      /* in server.pause.clients */
    user *user;                 /* the ACL user; NULL: no permission checks (acl.c) */
    long long duration;         /* microseconds of the current command */
    size_t net_input_bytes, net_output_bytes;
    long long commands_processed;
    blockingState bstate;       /* while CLIENT_BLOCKED (blocked.c) */
    multiState mstate;          /* the queue while CLIENT_MULTI (multi.c) */
    list *watched_keys;         /* watchedKey* of WATCH, or NULL (multi.c) */
    pubsubClientState *pubsub;  /* subscriptions, NULL when none (pubsub.c) */
    trackingClientState *tracking; /* CLIENT TRACKING state, NULL when off (tracking.c) */
    struct replicaLink *repl;   /* set by REPLCONF or SYNC/PSYNC: a replica of ours (repl_primary.c) */
    long long woff;             /* replication offset after this client's last propagated command (WAIT's target) */
} client;

/* True once c is marked to be closed (CLIENT_CLOSE_ASAP: over its output
 * buffer limit, killed, a write error). Such a client gets no more output,
 * so a command that builds a reply in a loop whose length the user chose
 * (a huge count, a huge collection) stops the loop when this turns true;
 * the unfinished reply is never sent. */
static inline int clientReplyAbandoned(const client *c) {
    return (c->flags & CLIENT_CLOSE_ASAP) != 0;
}

/* ------------------------------------------------- output buffer limits */
typedef struct clientBufferLimitsConfig {
    unsigned long long hard_limit_bytes;
    unsigned long long soft_limit_bytes;
    time_t soft_limit_seconds;
} clientBufferLimitsConfig;

/* -------------------------------------------------------- server state */
#define SUPERVISED_NONE 0
#define SUPERVISED_AUTODETECT 1
#define SUPERVISED_SYSTEMD 2
#define SUPERVISED_UPSTART 3

/* oom-score-adj; the indexes of oom-score-adj-values. */
#define OOM_SCORE_ADJ_NO 0
#define OOM_SCORE_RELATIVE 1
#define OOM_SCORE_ABSOLUTE 2
#define CONFIG_OOM_MASTER 0
#define CONFIG_OOM_REPLICA 1
#define CONFIG_OOM_BGCHILD 2

#define SHUTDOWN_NOFLAGS 0
#define SHUTDOWN_SAVE 1
#define SHUTDOWN_NOSAVE 2
#define SHUTDOWN_NOW 4
#define SHUTDOWN_FORCE 8

#define PAUSE_NONE 0
#define PAUSE_WRITE 1
#define PAUSE_ALL 2

/* Who asked for a pause: each purpose has its own type and deadline and
 * ends on its own (CLIENT UNPAUSE ends only the client's); the strictest
 * purpose in force is the pause clients see. */
#define PAUSE_BY_CLIENT_COMMAND 0
#define PAUSE_DURING_SHUTDOWN 1
#define PAUSE_DURING_FAILOVER 2
#define PAUSE_DURING_CLUSTER_FAILOVER 3 /* a replica's manual CLUSTER FAILOVER, on its master */
#define PAUSE_PURPOSES 4

#define PROTECTED_ACTION_ALLOWED_NO 0
#define PROTECTED_ACTION_ALLOWED_YES 1
#define PROTECTED_ACTION_ALLOWED_LOCAL 2

/* Listening sockets: one per bind address for the port and for the
 * tls-port, plus the unix socket. */
typedef struct listenerSet {
    int fds[CONFIG_BINDADDR_MAX];
    int count;
    int tls_fds[CONFIG_BINDADDR_MAX];
    int tls_count;
    int unix_fd;                /* -1 when no unixsocket */
} listenerSet;

typedef struct serverStats {
    long long numcommands;
    long long numconnections;
    long long rejected_conn;
    long long net_input_bytes;
    long long net_output_bytes;
    long long total_error_replies;
    long long unexpected_error_replies;
    long long expiredkeys;
    long long evictedkeys;
    long long evicted_clients;
    long long eviction_exceeded_since_ms, eviction_exceeded_total_ms; /* evict.c */
    double expired_stale_perc;              /* moving average of stale/sampled */
    long long expired_time_cap_reached_count; /* expiry slices cut by their limit */
    long long expire_cycle_time_used;       /* microseconds spent in active expiry */
    long long keyspace_hits;
    long long keyspace_misses;
    long long client_qbuf_limit_disconnections;
    long long client_outbuf_limit_disconnections;
    long long io_reads_processed;
    long long io_writes_processed;
    long long io_threaded_reads_processed, io_threaded_writes_processed;
    dict *errors;               /* error prefix -> count (INFO errorstats) */
    /* Instantaneous metrics: samples of ops and bytes every 100ms. */
    long long inst_last_ms;
    long long inst_last_ops, inst_last_in, inst_last_out;
    long long inst_ops_samples[STATS_METRIC_SAMPLES], inst_in_samples[STATS_METRIC_SAMPLES],
        inst_out_samples[STATS_METRIC_SAMPLES];
    int inst_idx;
    /* Kept by CONFIG RESETSTAT: peak_memory is zeroed there, the others
     * are not. */
    long long peak_memory;
    long long clients_peak;
    time_t starttime;
} serverStats;

/* A "save <seconds> <changes>" point (config.c fills server.persist.saveparams). */
struct saveparam {
    time_t seconds;
    int changes;
};

/* maxmemory-policy values (the bit layout Redis uses). */
#define MAXMEMORY_FLAG_LRU (1 << 0)
#define MAXMEMORY_FLAG_LFU (1 << 1)
#define MAXMEMORY_FLAG_ALLKEYS (1 << 2)
#define MAXMEMORY_VOLATILE_LRU ((0 << 8) | MAXMEMORY_FLAG_LRU)
#define MAXMEMORY_VOLATILE_LFU ((1 << 8) | MAXMEMORY_FLAG_LFU)
#define MAXMEMORY_VOLATILE_TTL (2 << 8)
#define MAXMEMORY_VOLATILE_RANDOM (3 << 8)
#define MAXMEMORY_ALLKEYS_LRU ((4 << 8) | MAXMEMORY_FLAG_LRU | MAXMEMORY_FLAG_ALLKEYS)
#define MAXMEMORY_ALLKEYS_LFU ((5 << 8) | MAXMEMORY_FLAG_LFU | MAXMEMORY_FLAG_ALLKEYS)
#define MAXMEMORY_ALLKEYS_RANDOM ((6 << 8) | MAXMEMORY_FLAG_ALLKEYS)
#define MAXMEMORY_NO_EVICTION (7 << 8)

/* notify-keyspace-events class bits. */
#define NOTIFY_KEYSPACE (1 << 0)    /* K */
#define NOTIFY_KEYEVENT (1 << 1)    /* E */
#define NOTIFY_GENERIC (1 << 2)     /* g */
#define NOTIFY_STRING (1 << 3)      /* $ */
#define NOTIFY_LIST (1 << 4)        /* l */
#define NOTIFY_SET (1 << 5)         /* s */
#define NOTIFY_HASH (1 << 6)        /* h */
#define NOTIFY_ZSET (1 << 7)        /* z */
#define NOTIFY_EXPIRED (1 << 8)     /* x */
#define NOTIFY_EVICTED (1 << 9)     /* e */
#define NOTIFY_STREAM (1 << 10)     /* t */
#define NOTIFY_KEY_MISS (1 << 11)   /* m */
#define NOTIFY_LOADED (1 << 12)     /* module only */
#define NOTIFY_MODULE (1 << 13)     /* d */
#define NOTIFY_NEW (1 << 14)        /* n */
#define NOTIFY_ALL (NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | \
                    NOTIFY_ZSET | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE) /* A */

/* Sub-structs of struct redisServer, one per concern. Most of their fields
 * are written by the directive table in config.c (its field arguments name
 * them as net.port, memory.maxmemory ...); a field Ember does not act on yet
 * is stored there all the same, so CONFIG GET / SET / REWRITE answer as
 * Redis does. */

/* Where the server listens and how its sockets are set up. */
struct serverNetConfig {
    int port;
    int tcp_backlog;
    char *bindaddr[CONFIG_BINDADDR_MAX];
    int bindaddr_count;
    char *bind_source_addr;
    char *unixsocket;
    unsigned int unixsocketperm;
    listenerSet listeners;
    int tcpkeepalive;
    unsigned int socket_mark_id;
};

/* What one client, or all of them, may use. */
struct serverLimitsConfig {
    unsigned int maxclients;
    int maxidletime; /* timeout, seconds */
    long long proto_max_bulk_len;
    unsigned long long client_max_querybuf_len;
    clientBufferLimitsConfig client_obuf_limits[CLIENT_TYPE_COUNT];
    ssize_t maxmemory_clients; /* negative: percent of maxmemory */
    long long busy_reply_threshold;
    size_t tracking_table_max_keys;
};

/* Clients blocked on keys (blocked.c). */
struct serverBlockingState {
    unsigned long blocked_clients; /* clients with CLIENT_BLOCKED */
    list *ready_keys;              /* readyList*: keys to serve blocked clients from */
    list *unblocked_clients;       /* unblocked, their pending input still to run */
    client **bto_heap;             /* min-heap of blocked clients by deadline */
    unsigned long bto_len, bto_size;
};

/* Client pauses (CLIENT PAUSE, a shutdown waiting for replicas, FAILOVER). */
struct serverPauseState {
    list *clients; /* blocked by a pause */
    int type;      /* PAUSE_*: the strictest purpose in force */
    long long end_time; /* the latest deadline of those */
    struct {
        int type;
        long long end_time;
    } purpose[PAUSE_PURPOSES];
};

/* maxmemory, eviction, active defragmentation, the allocator. */
struct serverMemoryConfig {
    unsigned long long maxmemory;
    int maxmemory_policy;
    int maxmemory_samples, maxmemory_eviction_tenacity;
    int lfu_log_factor, lfu_decay_time;
    int active_defrag_enabled;
    int active_defrag_cycle_min, active_defrag_cycle_max;
    int active_defrag_threshold_lower, active_defrag_threshold_upper;
    unsigned long active_defrag_max_scan_fields;
    size_t active_defrag_ignore_bytes;
    int jemalloc_bg_thread, disable_thp;
};

/* lazyfree-lazy-*: which deletions free their values in the background. */
struct serverLazyfreeConfig {
    int lazy_user_flush;
    int lazy_eviction, lazy_expire, lazy_server_del;
    int lazy_user_del;
};

/* The log, the crash report and the watchdog. */
struct serverLogConfig {
    char *logfile;
    int verbosity;
    int syslog_enabled;
    char *syslog_ident;
    int syslog_facility;
    int crashlog_enabled;
    int memcheck_enabled, use_exit_on_panic;
    int watchdog_period;
    int always_show_logo;
    char *ignore_warnings;
};

/* Who may connect and what they may run. */
struct serverSecurityConfig {
    sds requirepass; /* the default user's password: NULL when none, never empty */
    int protected_mode;
    int enable_debug_cmd; /* PROTECTED_ACTION_ALLOWED_* */
    int enable_config_cmd;
    int enable_module_cmd;
    int enable_protected_configs; /* PROTECTED_ACTION_ALLOWED_* */
    char *acl_filename;
    int acl_pubsub_default, sanitize_dump_payload;
    unsigned long acllog_max_len;
};

/* Snapshots (RDB), the append-only file and loading a data set. */
struct serverPersistConfig {
    int loading;       /* a loader is running (0 while an asynchronous load serves clients) */
    int async_loading; /* an asynchronous load serves its clients (loading.h) */
    struct saveparam *saveparams; /* save <seconds> <changes> points */
    int saveparamslen;
    int stop_writes_on_bgsave_err;
    int rdb_checksum, rdb_compression, rdb_del_sync_files, rdb_save_incremental_fsync;
    char *rdb_filename;
    int rdb_key_save_delay, key_load_delay;
    int rdb_version; /* rdb-version: what SAVE writes (9, 10 or 11) */
    int rdb_skip_unsupported; /* rdb-load-skip-unsupported: drop streams, module values ... with a warning */
    off_t loading_process_events_interval_bytes;
    int aof_enabled, aof_rewrite_incremental_fsync, aof_no_fsync_on_rewrite;
    int aof_load_truncated, aof_use_rdb_preamble, aof_timestamp_enabled, aof_disable_auto_gc;
    char *aof_filename, *aof_dirname;
    int aof_fsync, aof_rewrite_perc;
    off_t aof_rewrite_min_size;
};

/* The replication directives (the runtime state is server.replication,
 * replication.h). masterhost is set while this server is a replica;
 * masterhost_set says whether a replicaof directive was given. */
struct serverReplConfig {
    int masterhost_set;
    char *masterhost; /* replicaof host, or NULL */
    int masterport;
    sds masteruser, masterauth; /* binary-safe, NULL when unset */
    int disable_tcp_nodelay, diskless_sync, slave_lazy_flush;
    int serve_stale_data, slave_ro, slave_ignore_maxmemory;
    int ignore_disk_write_errors, replica_announced;
    int diskless_load, diskless_sync_delay, diskless_sync_max_replicas;
    int timeout, ping_slave_period;
    int min_slaves_to_write, min_slaves_max_lag;
    long long backlog_size;
    time_t backlog_time_limit;
    char *slave_announce_ip;
    int slave_announce_port, slave_priority;
    int propagation_error_behavior;
};

/* Cluster mode (not implemented: the directives only). */
struct serverClusterConfig {
    int enabled, require_full_coverage, slave_no_failover;
    int allow_reads_when_down, allow_pubsubshard_when_down;
    int allow_replica_migration;
    char *announce_ip, *configfile, *announce_hostname;
    int preferred_endpoint_type, slave_validity_factor, migration_barrier;
    int port, announce_bus_port, announce_port, announce_tls_port;
    long long node_timeout;
    unsigned long long link_sendbuf_limit_bytes;
};

/* TLS (tls.c): the tls-* directives. */
struct serverTlsConfig {
    int cluster, replication, prefer_server_ciphers, session_caching;
    char *cert_file, *key_file, *key_file_pass, *client_cert_file;
    char *client_key_file, *client_key_file_pass, *dh_params_file;
    char *ca_cert_file, *ca_cert_dir, *protocols, *ciphers, *ciphersuites;
    int auth_clients;
    int port, session_cache_size, session_cache_timeout;
};

/* Thresholds of the compact encodings of each type. */
struct serverEncodingConfig {
    int list_max_listpack_size, list_compress_depth;
    size_t hash_max_listpack_entries, hash_max_listpack_value;
    size_t set_max_intset_entries;
    size_t zset_max_listpack_entries, zset_max_listpack_value;
    size_t stream_node_max_bytes;
    long long stream_node_max_entries;
    size_t hll_sparse_max_bytes;
};

/* SLOWLOG. */
struct serverSlowlogConfig {
    long long log_slower_than;
    unsigned long max_len;
};

/* bigkey-log-threshold (bigkey.c). */
struct serverBigkeyConfig {
    long long threshold;          /* elements; 0 = off */
    long long commands;           /* INFO bigkey_commands */
};

/* Latency tracking (INFO latencystats) and the latency monitor. */
struct serverLatencyConfig {
    int tracking_enabled;
    double *tracking_info_percentiles;
    int tracking_info_percentiles_len;
    long long monitor_threshold;
};

/* Active expiry (expire.c). */
struct serverExpireConfig {
    int active_expire_enabled;
    int active_expire_effort;
};

/* The process itself: its title, OOM score, CPU affinity and threads. */
struct serverProcConfig {
    int oom_score_adj;
    int oom_score_adj_values[3];
    int set_proc_title;
    char *title_template;
    char *server_cpulist, *bio_cpulist, *aof_rewrite_cpulist, *bgsave_cpulist;
    int io_threads_num, io_threads_do_reads;
};

struct redisServer {
    /* General. */
    pid_t pid;
    char *executable;
    char *configfile;           /* absolute path, or NULL */
    char **exec_argv;
    int hz, config_hz, dynamic_hz;
    long long cronloops;
    char runid[CONFIG_RUN_ID_SIZE + 1];
    aeEventLoop *el;
    dict *commands;             /* lower-case name -> redisCommand */
    dict *orig_commands;
    long long ustime_at_start;
    unsigned int lruclock;
    long long mstime;           /* cached at each turn of the loop */
    time_t unixtime;
    long long ustime;
    long long dirty;            /* changes since the last save */
    int activerehashing;
    int notify_keyspace_events; /* NOTIFY_* class bits */
    int daemonize;
    int supervised, supervised_mode;
    char *pidfile;
    char *dir;                  /* informational; chdir is done by config */
    int sentinel_mode;
    /* Shutdown. */
    volatile sig_atomic_t shutdown_asap;
    volatile sig_atomic_t last_sig_received;
    int shutdown_flags;
    int in_shutdown;
    int shutdown_on_sigint, shutdown_on_sigterm; /* SHUTDOWN_* flags */
    int shutdown_timeout;
    /* Clients. */
    list *clients;              /* all connected clients */
    list *clients_to_close;     /* freeClientAsync */
    list *clients_pending_write;
    list *clients_pending_read;  /* readable clients waiting for the io threads */
    client *current_client;
    uint64_t next_client_id;
    /* Databases. */
    redisDb *db;
    int dbnum;
    /* By concern. */
    struct serverNetConfig net;
    struct serverLimitsConfig limits;
    struct serverBlockingState blocking;
    struct serverPauseState pause;
    struct serverMemoryConfig memory;
    struct serverLazyfreeConfig lazyfree;
    struct serverLogConfig log;
    struct serverSecurityConfig security;
    struct serverPersistConfig persist;
    struct serverReplConfig repl;
    struct serverReplState replication;
    struct serverClusterConfig cluster;
    struct serverTlsConfig tls;
    struct serverEncodingConfig encoding;
    struct serverSlowlogConfig slowlog;
    struct serverLatencyConfig latency;
    struct serverBigkeyConfig bigkey;
    struct serverExpireConfig expire;
    struct serverProcConfig proc;
    serverStats stat;
};

extern struct redisServer server;

/* Shared, immutable objects created once at start-up. */
struct sharedObjectsStruct {
    robj *ok, *emptybulk, *czero, *cone, *pong, *queued, *null[4], *emptymap[4], *emptyset[4],
        *emptyarray, *wrongtypeerr, *nokeyerr, *syntaxerr, *sameobjecterr, *outofrangeerr, *loadingerr,
        *noautherr, *oomerr, *execaborterr, *integers[OBJ_SHARED_INTEGERS];
};
extern struct sharedObjectsStruct shared;

/* ------------------------------------------------------------ prototypes */

/* server.c */
void initServer(void);
int processCommand(client *c);
void call(client *c, int flags);
void updateCachedTime(void);
/* shutdown.c. prepareForShutdown carries out a shutdown (C_OK: exit now)
 * or, when replicas lag and neither NOW nor shutdown-timeout 0 says
 * otherwise, starts waiting for them (C_ERR with isShutdownInitiated());
 * C_ERR otherwise means the shutdown failed (the final save). shutdownCron
 * (serverCron, beforeSleep) ends the wait once the replicas caught up or
 * the timeout passed. */
int prepareForShutdown(int flags);
int isShutdownInitiated(void);
void shutdownCron(void);
void removePidFile(void);
/* INFO server's shutdown_in_milliseconds while a shutdown waits. */
sds shutdownCatInfo(sds s);
/* Writes /proc/self/oom_score_adj from oom-score-adj and its values (or puts
 * back the value found at start when it is "no"). process_class is a
 * CONFIG_OOM_* index, or -1 for this server's own role. C_ERR, logged, when
 * the kernel refuses. */
int setOOMScoreAdj(int process_class);
/* proc-title-template expanded with {title} = title: a new sds with the
 * spaces around it trimmed, or NULL when the template has an unknown
 * {variable} or an unbalanced brace. */
sds expandProcTitleTemplate(const char *tmpl, const char *title);
/* 1 when tmpl expands to something (with an empty {title}), as Redis checks. */
int validateProcTitleTemplate(const char *tmpl);
/* Shows proc-title-template as the process title, when set-proc-title,
 * with {title} = name (NULL: the executable, as started). */
void updateProcTitle(const char *name);
void beforeSleep(aeEventLoop *el);
/* Serves the pending file events without waiting and writes the answers,
 * for a long operation that holds the loop (a busy script, a load). The
 * caller's current client is kept. */
void processEventsWhileBlocked(void);
void resetServerStats(void);
void incrementErrorCount(const char *fullerr, size_t namelen);
long long getInstantaneousMetric(long long *samples);
void closeListeningSockets(int unlink_unix_socket);
/* In a forked child: closes the listening fds without touching the event
 * loop (its epoll set is shared with the parent). */
void closeListenersInChild(void);
#define CALL_NONE 0
#define CALL_RESUMED (1 << 0) /* a blocked command served once its key is ready */

/* notify_systemd.c */
int redisCommunicateSystemd(const char *sd_notify_msg);
int redisSupervisedSystemd(void);
/* Sends WATCHDOG=1 when systemd asked for it (WATCHDOG_USEC) and half its
 * period has passed since the last one; cheap to call often. */
void systemdWatchdogFeed(void);

/* memory.c */
void recordStartupMemory(void);

/* Command handlers of files with no header of their own: server.c, info.c,
 * debug.c, sort.c, module.c, lolwut.c. */
void timeCommand(client *c);
void shutdownCommand(client *c);
void infoCommand(client *c);
void debugCommand(client *c);
void sortCommand(client *c);
void sortroCommand(client *c);
void moduleListCommand(client *c);
void moduleLoadCommand(client *c);
void moduleLoadexCommand(client *c);
void moduleUnloadCommand(client *c);
void moduleHelpCommand(client *c);
void lolwutCommand(client *c);

#endif /* EMBER_SERVER_H */
