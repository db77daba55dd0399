/* server.h — the shared vocabulary of the server proper.
 *
 * Everything above the base libraries includes this header: the object type
 * (robj), the client, the command descriptor, the database, the global
 * `server` state and the read-only `shared` replies, plus the prototypes of
 * the core modules (networking, reply, commands, config, db, object, log).
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
#define LOG_MAX_LEN 1024
#define OBJ_SHARED_INTEGERS 10000
#define OBJ_SHARED_BULKHDR_LEN 32
#define LRU_BITS 24
#define LRU_CLOCK_MAX ((1 << LRU_BITS) - 1)
#define LRU_CLOCK_RESOLUTION 1000

/* --------------------------------------------------------------- logging */
#define LL_DEBUG 0
#define LL_VERBOSE 1
#define LL_NOTICE 2
#define LL_WARNING 3
#define LL_RAW (1 << 10)

/* -------------------------------------------------------------- objects */
#define OBJ_STRING 0
#define OBJ_LIST 1
#define OBJ_SET 2
#define OBJ_ZSET 3
#define OBJ_HASH 4
#define OBJ_MODULE 5
#define OBJ_STREAM 6

#define OBJ_ENCODING_RAW 0
#define OBJ_ENCODING_INT 1
#define OBJ_ENCODING_HT 2
#define OBJ_ENCODING_ZIPMAP 3
#define OBJ_ENCODING_LINKEDLIST 4
#define OBJ_ENCODING_ZIPLIST 5
#define OBJ_ENCODING_INTSET 6
#define OBJ_ENCODING_SKIPLIST 7
#define OBJ_ENCODING_EMBSTR 8
#define OBJ_ENCODING_QUICKLIST 9
#define OBJ_ENCODING_STREAM 10
#define OBJ_ENCODING_LISTPACK 11

#define OBJ_ENCODING_EMBSTR_SIZE_LIMIT 44
#define OBJ_SHARED_REFCOUNT INT_MAX
#define OBJ_STATIC_REFCOUNT (INT_MAX - 1)

typedef struct redisObject {
    unsigned type : 4;
    unsigned encoding : 4;
    unsigned lru : LRU_BITS;
    int refcount;
    void *ptr;
} robj;

/* ------------------------------------------------------------- database */
/* The key tables of a database: keys to values, keys to deadlines. Their
 * layout is db.c's alone; every other file goes through the db* API. */
typedef struct dbKeyspace dbKeyspace;

typedef struct redisDb {
    dbKeyspace *keyspace; /* the keys, values and deadlines (db.c) */
    dict *blocking_keys;  /* key (sds) -> list of clients blocked on it (blocked.c) */
    dict *ready_keys;     /* keys (sds) of this db queued in server.ready_keys */
    int id;
    long long avg_ttl;            /* expire.c's running estimate, INFO keyspace */
    unsigned long expires_cursor; /* where expire.c's sampling resumes */
} redisDb;

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
#define CLIENT_LUA_DEBUG (1 << 25)
#define CLIENT_TRACKING (1ULL << 31)
#define CLIENT_PROTECTED (1ULL << 39)
#define CLIENT_NO_EVICT (1ULL << 43)
#define CLIENT_NO_TOUCH (1ULL << 45)
#define CLIENT_CLOSE_AFTER_COMMAND (1ULL << 40)
#define CLIENT_AUTHENTICATED (1ULL << 46)
#define CLIENT_EXECUTING_COMMAND (1ULL << 47)
#define CLIENT_IN_PAUSE_QUEUE (1ULL << 48)

#define CLIENT_TYPE_NORMAL 0
#define CLIENT_TYPE_SLAVE 1
#define CLIENT_TYPE_PUBSUB 2
#define CLIENT_TYPE_MASTER 3
#define CLIENT_TYPE_COUNT 3         /* types with output buffer limits */

/* What a client blocked by BLPOP & co. waits for (blocked.c). */
#define BLOCKED_NONE 0
#define BLOCKED_LIST 1 /* waits for a list */
#define BLOCKED_ZSET 2 /* waits for a sorted set */
typedef struct blockingState {
    int btype;                /* BLOCKED_* */
    long long timeout;        /* unix ms deadline, 0 for none */
    dict *keys;               /* key sds -> this client's node in db->blocking_keys */
    struct redisObject *served_key; /* while served: the key that became ready (borrowed) */
    unsigned long heap_pos;   /* 1 + slot in server.bto_heap, 0 when not there */
    listNode *unblocked_node; /* in server.unblocked_clients (CLIENT_UNBLOCKED) */
} blockingState;

/* One block of the reply list, used when the static buffer is full. */
typedef struct clientReplyBlock {
    size_t size, used;
    char buf[];
} clientReplyBlock;

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
    respParser parser;
    int argc;
    int argv_len;
    robj **argv;
    size_t argv_len_sum;
    struct redisCommand *cmd, *lastcmd, *realcmd;
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
    listNode *pending_write_node;
    char *peerid;               /* cached "ip:port", or NULL */
    char *sockname;             /* cached local "ip:port", or NULL */
    int paused_list_node_set;
    listNode *paused_node;      /* in server.paused_clients */
    sds user_name;              /* always "default" (no ACL users) */
    long long duration;         /* microseconds of the current command */
    size_t net_input_bytes, net_output_bytes;
    long long commands_processed;
    blockingState bstate;       /* while CLIENT_BLOCKED (blocked.c) */
} client;

/* True once c is marked to be closed (CLIENT_CLOSE_ASAP: over its output
 * buffer limit, killed, a write error). Such a client gets no more output,
 * so a command that builds a reply in a loop whose length the user chose
 * (a huge count, a huge collection) stops the loop when this turns true;
 * the unfinished reply is never sent. */
static inline int clientReplyAbandoned(const client *c) {
    return (c->flags & CLIENT_CLOSE_ASAP) != 0;
}

/* ------------------------------------------------------------- commands */
#define CMD_WRITE (1ULL << 0)
#define CMD_READONLY (1ULL << 1)
#define CMD_DENYOOM (1ULL << 2)
#define CMD_MODULE (1ULL << 3)
#define CMD_ADMIN (1ULL << 4)
#define CMD_PUBSUB (1ULL << 5)
#define CMD_NOSCRIPT (1ULL << 6)
#define CMD_BLOCKING (1ULL << 8)
#define CMD_LOADING (1ULL << 9)
#define CMD_STALE (1ULL << 10)
#define CMD_SKIP_MONITOR (1ULL << 11)
#define CMD_SKIP_SLOWLOG (1ULL << 12)
#define CMD_ASKING (1ULL << 13)
#define CMD_FAST (1ULL << 14)
#define CMD_NO_AUTH (1ULL << 15)
#define CMD_MAY_REPLICATE (1ULL << 16)
#define CMD_SENTINEL (1ULL << 17)
#define CMD_ONLY_SENTINEL (1ULL << 18)
#define CMD_NO_MANDATORY_KEYS (1ULL << 19)
#define CMD_PROTECTED (1ULL << 20)
#define CMD_MODULE_GETKEYS (1ULL << 21)
#define CMD_MODULE_NO_CLUSTER (1ULL << 22)
#define CMD_NO_ASYNC_LOADING (1ULL << 23)
#define CMD_NO_MULTI (1ULL << 24)
#define CMD_MOVABLE_KEYS (1ULL << 25)
#define CMD_ALLOW_BUSY (1ULL << 26)
#define CMD_MODULE_GETCHANNELS (1ULL << 27)
#define CMD_TOUCHES_ARBITRARY_KEYS (1ULL << 28)

/* ACL categories, in the order Redis lists them. */
#define ACL_CATEGORY_KEYSPACE (1ULL << 0)
#define ACL_CATEGORY_READ (1ULL << 1)
#define ACL_CATEGORY_WRITE (1ULL << 2)
#define ACL_CATEGORY_SET (1ULL << 3)
#define ACL_CATEGORY_SORTEDSET (1ULL << 4)
#define ACL_CATEGORY_LIST (1ULL << 5)
#define ACL_CATEGORY_HASH (1ULL << 6)
#define ACL_CATEGORY_STRING (1ULL << 7)
#define ACL_CATEGORY_BITMAP (1ULL << 8)
#define ACL_CATEGORY_HYPERLOGLOG (1ULL << 9)
#define ACL_CATEGORY_GEO (1ULL << 10)
#define ACL_CATEGORY_STREAM (1ULL << 11)
#define ACL_CATEGORY_PUBSUB (1ULL << 12)
#define ACL_CATEGORY_ADMIN (1ULL << 13)
#define ACL_CATEGORY_FAST (1ULL << 14)
#define ACL_CATEGORY_SLOW (1ULL << 15)
#define ACL_CATEGORY_BLOCKING (1ULL << 16)
#define ACL_CATEGORY_DANGEROUS (1ULL << 17)
#define ACL_CATEGORY_CONNECTION (1ULL << 18)
#define ACL_CATEGORY_TRANSACTION (1ULL << 19)
#define ACL_CATEGORY_SCRIPTING (1ULL << 20)

/* Key specifications (COMMAND INFO / DOCS, GETKEYS). */
#define CMD_KEY_RO (1ULL << 0)
#define CMD_KEY_RW (1ULL << 1)
#define CMD_KEY_OW (1ULL << 2)
#define CMD_KEY_RM (1ULL << 3)
#define CMD_KEY_ACCESS (1ULL << 4)
#define CMD_KEY_UPDATE (1ULL << 5)
#define CMD_KEY_INSERT (1ULL << 6)
#define CMD_KEY_DELETE (1ULL << 7)
#define CMD_KEY_NOT_KEY (1ULL << 8)
#define CMD_KEY_INCOMPLETE (1ULL << 9)
#define CMD_KEY_VARIABLE_FLAGS (1ULL << 10)

typedef enum { KSPEC_BS_INVALID = 0, KSPEC_BS_UNKNOWN, KSPEC_BS_INDEX, KSPEC_BS_KEYWORD } kspec_bs_type;
typedef enum { KSPEC_FK_INVALID = 0, KSPEC_FK_UNKNOWN, KSPEC_FK_RANGE, KSPEC_FK_KEYNUM } kspec_fk_type;

typedef struct keySpec {
    const char *notes;          /* shown by COMMAND INFO/DOCS when not NULL */
    uint64_t flags;
    kspec_bs_type begin_search_type;
    union {
        struct { int pos; } index;
        struct { const char *keyword; int startfrom; } keyword;
    } bs;
    kspec_fk_type find_keys_type;
    union {
        struct { int lastkey; int keystep; int limit; } range;
        struct { int keynumidx; int firstkey; int keystep; } keynum;
    } fk;
} keySpec;

typedef enum {
    ARG_TYPE_STRING, ARG_TYPE_INTEGER, ARG_TYPE_DOUBLE, ARG_TYPE_KEY,
    ARG_TYPE_PATTERN, ARG_TYPE_UNIX_TIME, ARG_TYPE_PURE_TOKEN,
    ARG_TYPE_ONEOF, ARG_TYPE_BLOCK
} redisCommandArgType;

#define CMD_ARG_NONE 0
#define CMD_ARG_OPTIONAL (1 << 0)
#define CMD_ARG_MULTIPLE (1 << 1)
#define CMD_ARG_MULTIPLE_TOKEN (1 << 2)

typedef struct redisCommandArg {
    const char *name;
    redisCommandArgType type;
    int key_spec_index;
    const char *token;
    const char *summary;
    const char *since;
    int flags;
    const char *deprecated_since;
    struct redisCommandArg *subargs;
    int num_args;              /* computed at start-up */
} redisCommandArg;

#define CMD_DOC_NONE 0
#define CMD_DOC_DEPRECATED (1 << 0)
#define CMD_DOC_SYSCMD (1 << 1)

typedef void redisCommandProc(client *c);
struct getKeysResult;

typedef struct redisCommand {
    /* Declared data (commands.def). */
    const char *declared_name;
    const char *summary;
    const char *complexity;
    const char *since;
    int doc_flags;
    const char *replaced_by;
    const char *deprecated_since;
    const char *group;
    const char **tips;          /* NULL-terminated, or NULL */
    redisCommandProc *proc;     /* NULL: not implemented, not registered */
    int arity;
    uint64_t flags;
    uint64_t acl_categories;
    keySpec *key_specs;
    int key_specs_num;
    struct redisCommand *subcommands; /* terminated by an entry with NULL name */
    redisCommandArg *args;      /* terminated by an entry with NULL name */
    /* Runtime data. */
    sds fullname;               /* "config|get" style, lower case */
    struct redisCommand *parent;
    dict *subcommands_dict;
    int num_args;
    int legacy_first, legacy_last, legacy_step; /* COMMAND INFO first/last/step */
    /* Key extraction for commands whose key specs are not enough (set at
     * start-up by commands.c); NULL for most commands. */
    int (*getkeys_proc)(struct redisCommand *cmd, robj **argv, int argc,
                        struct getKeysResult *result);
    long long microseconds, calls, rejected_calls, failed_calls;
    int id;
} redisCommand;

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

#define PROTECTED_ACTION_ALLOWED_NO 0
#define PROTECTED_ACTION_ALLOWED_YES 1
#define PROTECTED_ACTION_ALLOWED_LOCAL 2

/* Listening sockets: one per bind address plus the unix socket. */
typedef struct listenerSet {
    int fds[CONFIG_BINDADDR_MAX];
    int count;
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
    double expired_stale_perc;              /* moving average of stale/sampled */
    long long expired_time_cap_reached_count; /* expiry slices cut by their limit */
    long long expire_cycle_time_used;       /* microseconds spent in active expiry */
    long long keyspace_hits;
    long long keyspace_misses;
    long long client_qbuf_limit_disconnections;
    long long client_outbuf_limit_disconnections;
    long long io_reads_processed;
    long long io_writes_processed;
    dict *errors;               /* error prefix -> count (INFO errorstats) */
    /* Instantaneous metrics: samples of ops and bytes every 100ms. */
    long long inst_last_ms;
    long long inst_last_ops, inst_last_in, inst_last_out;
    long long inst_ops_samples[STATS_METRIC_SAMPLES], inst_in_samples[STATS_METRIC_SAMPLES],
        inst_out_samples[STATS_METRIC_SAMPLES];
    int inst_idx;
} serverStats;

/* A "save <seconds> <changes>" point (config.c fills server.saveparams). */
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
    time_t stat_starttime;
    long long ustime_at_start;
    volatile sig_atomic_t shutdown_asap;
    volatile sig_atomic_t last_sig_received;
    int shutdown_flags;
    int in_shutdown;
    unsigned int lruclock;
    long long mstime;           /* cached at each turn of the loop */
    time_t unixtime;
    long long ustime;
    int loading;
    long long dirty;            /* changes since the last save */
    int protected_mode;
    int enable_debug_cmd;       /* PROTECTED_ACTION_ALLOWED_* */
    int enable_config_cmd;
    int enable_module_cmd;
    int daemonize;
    int supervised, supervised_mode;
    char *pidfile;
    char *dir;                  /* informational; chdir is done by config */
    int sentinel_mode;
    /* Networking. */
    int port;
    int tcp_backlog;
    char *bindaddr[CONFIG_BINDADDR_MAX];
    int bindaddr_count;
    char *unixsocket;
    unsigned int unixsocketperm;
    listenerSet listeners;
    list *clients;              /* all connected clients */
    list *clients_to_close;     /* freeClientAsync */
    list *clients_pending_write;
    list *paused_clients;       /* blocked by CLIENT PAUSE */
    /* Clients blocked on keys (blocked.c). */
    unsigned long blocked_clients;  /* clients with CLIENT_BLOCKED */
    list *ready_keys;           /* readyList*: keys to serve blocked clients from */
    list *unblocked_clients;    /* unblocked, their pending input still to run */
    client **bto_heap;          /* min-heap of blocked clients by deadline */
    unsigned long bto_len, bto_size;
    dict *clients_by_id;        /* not used: lookup by walking clients */
    client *current_client;
    uint64_t next_client_id;
    unsigned int maxclients;
    int tcpkeepalive;
    int maxidletime;            /* timeout, seconds */
    long long proto_max_bulk_len;
    unsigned long long client_max_querybuf_len;
    clientBufferLimitsConfig client_obuf_limits[CLIENT_TYPE_COUNT];
    long long stat_clients_peak;
    /* Client pause. */
    int client_pause_type;
    long long client_pause_end_time;
    /* Memory. */
    unsigned long long maxmemory;
    int maxmemory_policy;
    long long stat_peak_memory;
    /* Databases. */
    redisDb *db;
    int dbnum;
    /* Security. */
    sds requirepass; /* the default user's password: NULL when none, never empty */
    /* Logging. */
    char *logfile;
    int verbosity;
    int syslog_enabled;
    char *syslog_ident;
    int syslog_facility;
    /* Stats. */
    serverStats stat;
    long long slowlog_log_slower_than;
    unsigned long slowlog_max_len;
    /* Replication is not implemented; this only records a replicaof directive. */
    int masterhost_set;
    /* Misc. */
    int active_expire_enabled;
    int lazyfree_lazy_user_flush;
    int crashlog_enabled;
    int set_proc_title;
    int always_show_logo;
    int io_threads_num;
    /* Config-only values. Written by config.c from redis.conf / CONFIG SET;
     * a feature reads them when it is built. Types follow the directive's
     * range (see the table in config.c). */
    int enable_protected_configs;       /* PROTECTED_ACTION_ALLOWED_* */
    struct saveparam *saveparams;       /* save <seconds> <changes> points */
    int saveparamslen;
    char *masterhost;                   /* replicaof host, or NULL */
    int masterport;
    int notify_keyspace_events;         /* NOTIFY_* class bits */
    int oom_score_adj;
    int oom_score_adj_values[3];
    double *latency_tracking_info_percentiles;
    int latency_tracking_info_percentiles_len;
    int shutdown_on_sigint, shutdown_on_sigterm; /* SHUTDOWN_* flags */
    int rdb_checksum, rdb_compression, rdb_del_sync_files, rdb_save_incremental_fsync;
    int io_threads_do_reads, activerehashing, stop_writes_on_bgsave_err;
    int lazyfree_lazy_eviction, lazyfree_lazy_expire, lazyfree_lazy_server_del;
    int lazyfree_lazy_user_del;
    int repl_disable_tcp_nodelay, repl_diskless_sync, repl_slave_lazy_flush;
    int repl_serve_stale_data, repl_slave_ro, repl_slave_ignore_maxmemory;
    int repl_ignore_disk_write_errors, replica_announced;
    int aof_enabled, aof_rewrite_incremental_fsync, aof_no_fsync_on_rewrite;
    int aof_load_truncated, aof_use_rdb_preamble, aof_timestamp_enabled, aof_disable_auto_gc;
    int cluster_enabled, cluster_require_full_coverage, cluster_slave_no_failover;
    int cluster_allow_reads_when_down, cluster_allow_pubsubshard_when_down;
    int cluster_allow_replica_migration;
    int jemalloc_bg_thread, active_defrag_enabled, memcheck_enabled, use_exit_on_panic;
    int disable_thp, latency_tracking_enabled;
    int tls_cluster, tls_replication, tls_prefer_server_ciphers, tls_session_caching;
    char *acl_filename, *slave_announce_ip;
    sds masteruser, masterauth; /* binary-safe, NULL when unset */
    char *cluster_announce_ip, *cluster_configfile, *cluster_announce_hostname;
    char *rdb_filename, *aof_filename, *aof_dirname;
    char *server_cpulist, *bio_cpulist, *aof_rewrite_cpulist, *bgsave_cpulist;
    char *ignore_warnings, *proc_title_template, *bind_source_addr;
    char *tls_cert_file, *tls_key_file, *tls_key_file_pass, *tls_client_cert_file;
    char *tls_client_key_file, *tls_client_key_file_pass, *tls_dh_params_file;
    char *tls_ca_cert_file, *tls_ca_cert_dir, *tls_protocols, *tls_ciphers, *tls_ciphersuites;
    int repl_diskless_load, aof_fsync, acl_pubsub_default, sanitize_dump_payload;
    int cluster_preferred_endpoint_type, propagation_error_behavior, tls_auth_clients;
    int aof_rewrite_perc, cluster_slave_validity_factor, list_max_listpack_size;
    int cluster_migration_barrier, active_defrag_cycle_min, active_defrag_cycle_max;
    int active_defrag_threshold_lower, active_defrag_threshold_upper;
    int lfu_log_factor, lfu_decay_time, slave_priority, repl_diskless_sync_delay;
    int maxmemory_samples, maxmemory_eviction_tenacity, slave_announce_port;
    int cluster_port, cluster_announce_bus_port, cluster_announce_port;
    int cluster_announce_tls_port, repl_timeout, repl_ping_slave_period;
    int list_compress_depth, rdb_key_save_delay, key_load_delay, active_expire_effort;
    int repl_min_slaves_to_write, repl_min_slaves_max_lag, watchdog_period;
    int shutdown_timeout, repl_diskless_sync_max_replicas;
    int tls_port, tls_session_cache_size, tls_session_cache_timeout;
    unsigned int socket_mark_id;
    unsigned long active_defrag_max_scan_fields, acllog_max_len;
    long long busy_reply_threshold, cluster_node_timeout, latency_monitor_threshold;
    long long stream_node_max_entries, repl_backlog_size;
    unsigned long long cluster_link_sendbuf_limit_bytes;
    size_t hash_max_listpack_entries, hash_max_listpack_value, set_max_intset_entries;
    size_t zset_max_listpack_entries, zset_max_listpack_value, active_defrag_ignore_bytes;
    size_t stream_node_max_bytes, hll_sparse_max_bytes, tracking_table_max_keys;
    ssize_t maxmemory_clients;          /* negative: percent of maxmemory */
    time_t repl_backlog_time_limit;
    off_t aof_rewrite_min_size, loading_process_events_interval_bytes;
};

extern struct redisServer server;

/* Shared, immutable objects created once at start-up. */
struct sharedObjectsStruct {
    robj *crlf, *ok, *err, *emptybulk, *czero, *cone, *pong, *space,
        *queued, *null[4], *nullarray[4], *emptymap[4], *emptyset[4],
        *emptyarray, *wrongtypeerr, *nokeyerr, *syntaxerr, *sameobjecterr,
        *outofrangeerr, *noscripterr, *loadingerr, *noautherr, *oomerr,
        *execaborterr, *noreplicaserr, *busykeyerr, *colon, *plus,
        *messagebulk, *pmessagebulk, *subscribebulk, *unsubscribebulk,
        *mbulkhdr[OBJ_SHARED_BULKHDR_LEN], *bulkhdr[OBJ_SHARED_BULKHDR_LEN],
        *maphdr[OBJ_SHARED_BULKHDR_LEN], *sethdr[OBJ_SHARED_BULKHDR_LEN],
        *integers[OBJ_SHARED_INTEGERS];
};
extern struct sharedObjectsStruct shared;

/* ------------------------------------------------------------ prototypes */

/* server.c */
void initServer(void);
int processCommand(client *c);
void call(client *c, int flags);
long long ustime(void);
void updateCachedTime(void);
int prepareForShutdown(int flags);
/* Writes /proc/self/oom_score_adj from oom-score-adj and its values (or puts
 * back the value found at start when it is "no"). C_ERR, logged, when the
 * kernel refuses. */
int setOOMScoreAdj(void);
/* proc-title-template expanded with {title} = title: a new sds with the
 * spaces around it trimmed, or NULL when the template has an unknown
 * {variable} or an unbalanced brace. */
sds expandProcTitleTemplate(const char *tmpl, const char *title);
/* 1 when tmpl expands to something (with an empty {title}), as Redis checks. */
int validateProcTitleTemplate(const char *tmpl);
/* Shows proc-title-template as the process title, when set-proc-title. */
void updateProcTitle(void);
void serverCronRegister(void);
void beforeSleep(aeEventLoop *el);
int writeCommandsDeniedByPause(void);
void resetServerStats(void);
void incrementErrorCount(const char *fullerr, size_t namelen);
long long getInstantaneousMetric(long long *samples);
void closeListeningSockets(int unlink_unix_socket);
#define CALL_NONE 0
#define CALL_RESUMED (1 << 0) /* a blocked command served once its key is ready */

/* log.c */
void serverLog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void serverLogRaw(int level, const char *msg);
void serverLogFromHandler(int level, const char *msg);
void serverLogStackTraceFromHandler(void);
void prepareStackTraces(void);
void setupCrashHandlers(void);
/* The software watchdog (debug.c): applyWatchdogPeriod() installs or removes
 * it after watchdog-period changed (raising a too short period to two cron
 * periods); watchdogScheduleSignal() re-arms it, from serverCron. */
void applyWatchdogPeriod(void);
void watchdogScheduleSignal(int period_ms);
#define serverAssert(e) ((e) ? (void)0 : (_serverAssert(#e, __FILE__, __LINE__), __builtin_unreachable()))
#define serverPanic(...) (_serverPanic(__FILE__, __LINE__, __VA_ARGS__), __builtin_unreachable())
void _serverAssert(const char *estr, const char *file, int line);
void _serverPanic(const char *file, int line, const char *msg, ...);

/* notify_systemd.c */
int redisCommunicateSystemd(const char *sd_notify_msg);
int redisSupervisedSystemd(void);

/* networking.c */
client *createClient(connection *conn);
void freeClient(client *c);
void freeClientAsync(client *c);
void freeClientsInAsyncFreeQueue(void);
void acceptTcpHandler(aeEventLoop *el, int fd, void *privdata, int mask);
void acceptUnixHandler(aeEventLoop *el, int fd, void *privdata, int mask);
void readQueryFromClient(connection *conn);
void sendReplyToClient(connection *conn);
int writeToClient(client *c, int handler_installed);
int handleClientsWithPendingWrites(void);
void processInputBuffer(client *c);
void resetClient(client *c);
void freeClientArgv(client *c);
int clientHasPendingReplies(client *c);
void putClientInPendingWriteQueue(client *c);
int prepareClientToWrite(client *c);
int getClientType(client *c);
int getClientTypeByName(const char *name);
const char *getClientTypeName(int type);
unsigned long getClientOutputBufferMemoryUsage(client *c);
int checkClientOutputBufferLimits(client *c);
int closeClientOnOutputBufferLimitReached(client *c, int async);
char *getClientPeerId(client *c);
char *getClientSockname(client *c);
sds catClientInfoString(sds s, client *c);
void clientsCron(void);
/* Bytes of memory a client holds: the structure, its query buffer and the
 * arguments being received or run, its reply buffers. What CLIENT LIST
 * calls tot-mem, what INFO sums in mem_clients_normal, and the figure
 * client eviction (maxmemory-clients) is to weigh. */
size_t clientTotalMemory(client *c);
void processUnpausedClients(void);
int areClientsPaused(void);
int checkClientPauseTimeoutAndReturnIfPaused(void);
int listenToPort(void);
int changeListener(void);

/* reply.c */
void addReply(client *c, robj *obj);
void addReplySds(client *c, sds s);           /* takes ownership of s */
void addReplyProto(client *c, const char *s, size_t len);
void addReplyBulk(client *c, robj *obj);
void addReplyBulkCString(client *c, const char *s);
void addReplyBulkCBuffer(client *c, const void *p, size_t len);
void addReplyBulkSds(client *c, sds s);       /* takes ownership of s */
void addReplyBulkLongLong(client *c, long long ll);
void addReplyStatus(client *c, const char *status);
void addReplyStatusLength(client *c, const char *s, size_t len);
void addReplyError(client *c, const char *err);
void addReplyErrorLength(client *c, const char *s, size_t len);
void addReplyErrorSds(client *c, sds err);    /* takes ownership of err */
void addReplyErrorFormat(client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void addReplyErrorObject(client *c, robj *err);
void addReplyErrorArity(client *c);
void addReplyErrorExpireTime(client *c);
void addReplyErrorSubcommandSyntax(client *c);
void addReplyLongLong(client *c, long long ll);
void addReplyDouble(client *c, double d);
void addReplyHumanLongDouble(client *c, long double d);
void addReplyBigNum(client *c, const char *num, size_t len);
void addReplyBool(client *c, int b);
void addReplyNull(client *c);
void addReplyNullArray(client *c);
void addReplyVerbatim(client *c, const char *s, size_t len, const char *ext);
void addReplyArrayLen(client *c, long length);
void addReplyMapLen(client *c, long length);
void addReplySetLen(client *c, long length);
void addReplyAttributeLen(client *c, long length);
void addReplyPushLen(client *c, long length);
void *addReplyDeferredLen(client *c);
void setDeferredArrayLen(client *c, void *node, long length);
void setDeferredMapLen(client *c, void *node, long length);
void setDeferredSetLen(client *c, void *node, long length);
void setDeferredAttributeLen(client *c, void *node, long length);
void addReplyHelp(client *c, const char **help);
void addReplyCommandCategories(client *c, struct redisCommand *cmd);
void afterErrorReply(client *c, const char *s, size_t len);
size_t clientReplyBytes(client *c);
/* Resizes c's static reply buffer for the use it has seen (pending bytes
 * are kept) and resets its peak every REPLY_BUF_PEAK_RESET_MS. Called by
 * clientsCron for each client it visits; c->buf moves. */
void resizeReplyBuffer(client *c);

/* object.c */
robj *createObject(int type, void *ptr);
robj *createStringObject(const char *ptr, size_t len);
robj *createRawStringObject(const char *ptr, size_t len);
robj *createEmbeddedStringObject(const char *ptr, size_t len);
robj *createStringObjectFromLongLong(long long value);
robj *createStringObjectFromLongLongForValue(long long value);
robj *createStringObjectFromLongDouble(long double value, int humanfriendly);
robj *dupStringObject(const robj *o);
robj *tryObjectEncoding(robj *o);
robj *getDecodedObject(robj *o);
robj *makeObjectShared(robj *o);
void incrRefCount(robj *o);
void decrRefCount(robj *o);
void decrRefCountVoid(void *o);
size_t stringObjectLen(robj *o);
int getLongLongFromObject(robj *o, long long *target);
int getLongLongFromObjectOrReply(client *c, robj *o, long long *target, const char *msg);
int getLongFromObjectOrReply(client *c, robj *o, long *target, const char *msg);
int getIntFromObjectOrReply(client *c, robj *o, int *target, const char *msg);
int getRangeLongFromObjectOrReply(client *c, robj *o, long min, long max, long *target, const char *msg);
int getPositiveLongFromObjectOrReply(client *c, robj *o, long *target, const char *msg);
int getDoubleFromObject(const robj *o, double *target);
int getDoubleFromObjectOrReply(client *c, robj *o, double *target, const char *msg);
int getLongDoubleFromObject(robj *o, long double *target);
int getLongDoubleFromObjectOrReply(client *c, robj *o, long double *target, const char *msg);
int equalStringObjects(robj *a, robj *b);
int compareStringObjects(robj *a, robj *b);
const char *strEncoding(int encoding);
int checkType(client *c, robj *o, int type);
void createSharedObjects(void);
unsigned int LRU_CLOCK(void);
unsigned int getLRUClock(void);
#define sdsEncodedObject(objptr) ((objptr)->encoding == OBJ_ENCODING_RAW || (objptr)->encoding == OBJ_ENCODING_EMBSTR)

/* db.c */
robj *lookupKeyRead(redisDb *db, robj *key);
robj *lookupKeyWrite(redisDb *db, robj *key);
robj *lookupKeyReadOrReply(client *c, robj *key, robj *reply);
robj *lookupKeyWriteOrReply(client *c, robj *key, robj *reply);
void dbAdd(redisDb *db, robj *key, robj *val);
void dbOverwrite(redisDb *db, robj *key, robj *val);
robj *dbUnshareStringValue(redisDb *db, robj *key, robj *o);
void setKey(client *c, redisDb *db, robj *key, robj *val, int keepttl);
int dbDelete(redisDb *db, robj *key);
int selectDb(client *c, int id);
void setExpire(client *c, redisDb *db, robj *key, long long when);
long long getExpire(redisDb *db, robj *key);
int removeExpire(redisDb *db, robj *key);
void signalModifiedKey(client *c, redisDb *db, robj *key);
void initDatabases(void);

/* dict_types.c */
uint64_t dictSdsHash(const void *key);
int dictSdsKeyCompare(dict *d, const void *key1, const void *key2);
void dictSdsDestructor(dict *d, void *val);
void dictObjectDestructor(dict *d, void *val);
int dictShrinkIfSparse(dict *d);
extern dictType sdsSetDictType, sdsBorrowedKeyDictType, errorStatsDictType;

/* commands.c / cmd_command.c */

/* One key found in a command line: its index in argv and the CMD_KEY_* flags
 * of the key spec that found it. */
typedef struct keyReference {
    int pos;
    int flags;
} keyReference;

#define MAX_KEYS_BUFFER 256
/* Result of key extraction. Initialise with GETKEYS_RESULT_INIT, release
 * with getKeysFreeResult. `keys` points at
 * `keysbuf` until more than MAX_KEYS_BUFFER keys are found. */
typedef struct getKeysResult {
    keyReference keysbuf[MAX_KEYS_BUFFER];
    keyReference *keys;
    int numkeys;
    int size;
} getKeysResult;
#define GETKEYS_RESULT_INIT { {{0}}, NULL, 0, MAX_KEYS_BUFFER }

/* search_flags for getKeysFromCommandWithSpecs. */
#define GET_KEYSPEC_DEFAULT 0
#define GET_KEYSPEC_INCLUDE_NOT_KEYS (1 << 0) /* also report NOT_KEY specs (channels) */
#define GET_KEYSPEC_RETURN_PARTIAL (1 << 1)   /* skip bad specs instead of failing */

void getKeysFreeResult(getKeysResult *result);
int getKeysFromCommandWithSpecs(struct redisCommand *cmd, robj **argv, int argc,
                                int search_flags, getKeysResult *result);
int getKeysFromCommand(struct redisCommand *cmd, robj **argv, int argc, getKeysResult *result);
void populateCommandTable(void);
struct redisCommand *lookupCommand(robj **argv, int argc);
struct redisCommand *lookupCommandBySds(sds s);
int isContainerCommandBySds(sds s);
void resetCommandTableStats(dict *commands);
sds commandArityError(struct redisCommand *cmd);
int commandCheckArity(struct redisCommand *cmd, int argc, sds *err);
int commandHasKeys(struct redisCommand *cmd);
sds catCommandStats(sds info, dict *commands);

/* config.c */
void initConfigValues(void);
void loadServerConfig(char *filename, char config_from_stdin, char *options);
/* Logs, once after start-up logging began, each directive the configuration
 * gave a value Ember does not act on yet. */
void configWarnUnimplemented(void);
int rewriteConfig(char *path, int force_write);
int allowProtectedAction(int config, client *c);
int isLocalClient(client *c);
const char *evictPolicyToString(void);
const char *configLogLevelName(int level);
void configGetCommand(client *c);
void configSetCommand(client *c);
void configResetStatCommand(client *c);
void configRewriteCommand(client *c);
void configHelpCommand(client *c);

/* info.c */

/* ------------------------------------------------------------ commands */
void pingCommand(client *c);
void echoCommand(client *c);
void quitCommand(client *c);
void resetCommand(client *c);
void helloCommand(client *c);
void authCommand(client *c);
void selectCommand(client *c);
void dbsizeCommand(client *c);
void flushdbCommand(client *c);
void flushallCommand(client *c);
void timeCommand(client *c);
void infoCommand(client *c);
void clientCommand(client *c);
void commandCommand(client *c);
void commandCountCommand(client *c);
void commandInfoCommand(client *c);
void commandDocsCommand(client *c);
void commandListCommand(client *c);
void commandGetKeysCommand(client *c);
void commandGetKeysAndFlagsCommand(client *c);
void commandHelpCommand(client *c);
void debugCommand(client *c);
void shutdownCommand(client *c);
void getCommand(client *c);
void setCommand(client *c);
void delCommand(client *c);
void existsCommand(client *c);
void lastsaveCommand(client *c);

/* client.c / info.c additions */
void clientIdCommand(client *c);
void clientGetNameCommand(client *c);
void clientSetNameCommand(client *c);
void clientListCommand(client *c);
void clientInfoCommand(client *c);
void clientKillCommand(client *c);
void clientReplyCommand(client *c);
void clientNoEvictCommand(client *c);
void clientPauseCommand(client *c);
void clientUnpauseCommand(client *c);
void clientHelpCommand(client *c);
void recordStartupMemory(void);
/* end of client.c / info.c additions */

/* bitops.c */
void setbitCommand(client *c);
void getbitCommand(client *c);
void bitcountCommand(client *c);
void bitposCommand(client *c);
void bitopCommand(client *c);
void bitfieldCommand(client *c);
void bitfieldroCommand(client *c);
/* end of bitops.c */

/* t_string.c */
void setnxCommand(client *c);
void setexCommand(client *c);
void psetexCommand(client *c);
void getsetCommand(client *c);
void getdelCommand(client *c);
void getexCommand(client *c);
void mgetCommand(client *c);
void msetCommand(client *c);
void msetnxCommand(client *c);
void appendCommand(client *c);
void strlenCommand(client *c);
void setrangeCommand(client *c);
void getrangeCommand(client *c);
void incrCommand(client *c);
void decrCommand(client *c);
void incrbyCommand(client *c);
void decrbyCommand(client *c);
void incrbyfloatCommand(client *c);
void lcsCommand(client *c);
/* end of t_string.c */

/* db.c / expire.c */
#define LOOKUP_NONE 0
#define LOOKUP_NOTOUCH (1 << 0)  /* keep the LRU stamp */
#define LOOKUP_NONOTIFY (1 << 1) /* no keymiss notification */
#define LOOKUP_NOSTATS (1 << 2)  /* keep keyspace_hits/misses */
#define LOOKUP_WRITE (1 << 3)    /* lookup for a write: no stats */
#define ACTIVE_EXPIRE_CYCLE_SLOW 0
#define ACTIVE_EXPIRE_CYCLE_FAST 1
robj *lookupKeyReadWithFlags(redisDb *db, robj *key, int flags);
void deleteExpiredKey(redisDb *db, robj *key);
unsigned long dbExpiresCount(redisDb *db);
unsigned long dbSize(redisDb *db);
robj *dbPeek(redisDb *db, robj *key);
/* Called by dbScanExpires for each key with a deadline of a step. */
typedef void dbExpireScanFunction(void *privdata, sds key, long long when);
unsigned long dbScanExpires(redisDb *db, unsigned long cursor, dbExpireScanFunction *fn, void *privdata);
void dbShrinkSparseTables(redisDb *db);
int dbRehashStep(redisDb *db, int ms);
size_t dbTablesMemUsage(redisDb *db);
sds dbCatTableStats(sds s, redisDb *db);
void scanCollectionCommand(client *c, int type);
void activeExpireCycle(int type);
const char *getObjectTypeName(robj *o);
robj *dupObjectForCopy(robj *o);
unsigned long long estimateObjectIdleTime(robj *o);
void unlinkCommand(client *c);
void touchCommand(client *c);
void typeCommand(client *c);
void keysCommand(client *c);
void scanCommand(client *c);
void randomkeyCommand(client *c);
void renamenxCommand(client *c);
void moveCommand(client *c);
void copyCommand(client *c);
void swapdbCommand(client *c);
void objectEncodingCommand(client *c);
void objectRefcountCommand(client *c);
void objectIdletimeCommand(client *c);
void objectFreqCommand(client *c);
void objectHelpCommand(client *c);
void expireCommand(client *c);
void pexpireCommand(client *c);
void expireatCommand(client *c);
void pexpireatCommand(client *c);
void ttlCommand(client *c);
void pttlCommand(client *c);
void expiretimeCommand(client *c);
void pexpiretimeCommand(client *c);
void persistCommand(client *c);
/* end of db.c / expire.c */

/* t_set.c */
/* An iteration over a set (setTypeInitIterator .. setTypeReleaseIterator). */
typedef struct setTypeIterator {
    robj *subject;
    int encoding;
    int ii;               /* next intset index */
    dictIterator di;      /* hashtable sets */
} setTypeIterator;
/* Called by setTypeScan for each member of a step; member is valid only
 * during the call. */
typedef void setScanFunction(void *privdata, const char *member, size_t len);
robj *createSetObject(void);
robj *createIntsetObject(void);
robj *setTypeCreate(sds value);
void freeSetObject(robj *o);
void setTypeConvert(robj *setobj, int enc);
int setTypeAdd(robj *set, sds value);
int setTypeRemove(robj *set, sds value);
int setTypeIsMember(robj *set, sds value);
unsigned long setTypeSize(const robj *set);
setTypeIterator *setTypeInitIterator(robj *set);
void setTypeReleaseIterator(setTypeIterator *si);
int setTypeNext(setTypeIterator *si, sds *sdsele, int64_t *llele);
sds setTypeNextObject(setTypeIterator *si);
int setTypeRandomElement(robj *set, sds *sdsele, int64_t *llele);
sds setTypePopRandom(robj *set);
robj *setTypeDup(robj *o);
unsigned long setTypeScan(robj *set, unsigned long cursor, long count, setScanFunction *fn, void *privdata);
void saddCommand(client *c);
void sremCommand(client *c);
void smoveCommand(client *c);
void sismemberCommand(client *c);
void smismemberCommand(client *c);
void scardCommand(client *c);
void smembersCommand(client *c);
void spopCommand(client *c);
void srandmemberCommand(client *c);
void sinterCommand(client *c);
void sinterstoreCommand(client *c);
void sintercardCommand(client *c);
void sunionCommand(client *c);
void sunionstoreCommand(client *c);
void sdiffCommand(client *c);
void sdiffstoreCommand(client *c);
void sscanCommand(client *c);
/* end of t_set.c */

/* t_zset.c */
/* Skiplist encoding: nodes ordered by (score, member); each level keeps
 * the span (number of level-0 steps) of its forward link, for ranks. */
typedef struct zskiplistNode {
    sds ele;                        /* owned by the node */
    double score;
    struct zskiplistNode *backward; /* NULL for the first node */
    struct zskiplistLevel {
        struct zskiplistNode *forward;
        unsigned long span;
    } level[];
} zskiplistNode;
typedef struct zskiplist {
    zskiplistNode *header, *tail;
    unsigned long length;
    int level;
} zskiplist;
/* The skiplist encoding's value: the list plus member -> node. */
typedef struct zset {
    dict *dict;
    zskiplist *zsl;
} zset;
/* A score range; minex / maxex make a bound exclusive. */
typedef struct {
    double min, max;
    int minex, maxex;
} zrangespec;
/* A lex range: min / max are owned strings, or NULL when the bound is an
 * infinity (mininf / maxinf: -1 for "-", +1 for "+", 0 otherwise). */
typedef struct {
    sds min, max;
    int minex, maxex;
    int mininf, maxinf;
} zlexrangespec;
/* Walks a sorted set by rank, score range or lex range (zsetIterInit*).
 * Invalid once the set is modified. */
typedef struct zsetIterator {
    robj *zobj;
    int reverse;
    const zrangespec *range;
    const zlexrangespec *lexrange;
    unsigned char *eptr, *sptr;     /* listpack position */
    zskiplistNode *node;            /* skiplist position */
} zsetIterator;
/* Called by zsetScan with a member and its score as text. */
typedef void zsetScanFn(void *priv, const char *ele, size_t elen, const char *score, size_t slen);
/* zsetAdd flags. */
#define ZADD_IN_NONE 0
#define ZADD_IN_INCR (1 << 0)
#define ZADD_IN_NX (1 << 1)
#define ZADD_IN_XX (1 << 2)
#define ZADD_IN_GT (1 << 3)
#define ZADD_IN_LT (1 << 4)
#define ZADD_OUT_NOP (1 << 0)
#define ZADD_OUT_NAN (1 << 1)
#define ZADD_OUT_ADDED (1 << 2)
#define ZADD_OUT_UPDATED (1 << 3)
#define ZSET_MIN 0
#define ZSET_MAX 1
zskiplist *zslCreate(void);
void zslFree(zskiplist *zsl);
zskiplistNode *zslInsert(zskiplist *zsl, double score, sds ele);
int zslDelete(zskiplist *zsl, double score, sds ele, zskiplistNode **node);
zskiplistNode *zslUpdateScore(zskiplist *zsl, double curscore, sds ele, double newscore);
unsigned long zslGetRank(zskiplist *zsl, double score, sds ele);
zskiplistNode *zslGetElementByRank(zskiplist *zsl, unsigned long rank);
zskiplistNode *zslFirstInRange(zskiplist *zsl, const zrangespec *range);
zskiplistNode *zslLastInRange(zskiplist *zsl, const zrangespec *range);
zskiplistNode *zslFirstInLexRange(zskiplist *zsl, const zlexrangespec *range);
zskiplistNode *zslLastInLexRange(zskiplist *zsl, const zlexrangespec *range);
unsigned long zslDeleteRangeByScore(zskiplist *zsl, const zrangespec *range, dict *d);
unsigned long zslDeleteRangeByLex(zskiplist *zsl, const zlexrangespec *range, dict *d);
unsigned long zslDeleteRangeByRank(zskiplist *zsl, unsigned long start, unsigned long end, dict *d);
int zslParseRange(robj *min, robj *max, zrangespec *spec);
int zslParseLexRange(robj *min, robj *max, zlexrangespec *spec);
void zslFreeLexRange(zlexrangespec *spec);
sds zsetEntryToSds(const listpackEntry *e);
size_t zsetEntryLen(const listpackEntry *e);
robj *zsetCreate(size_t size_hint, size_t maxelelen);
void freeZsetObject(robj *o);
unsigned long zsetLength(const robj *zobj);
void zsetConvert(robj *zobj, int encoding);
void zsetConvertToListpackIfNeeded(robj *zobj, size_t maxelelen, size_t totelelen);
int zsetScore(robj *zobj, sds member, double *score);
int zsetAdd(robj *zobj, double score, sds ele, int in_flags, int *out_flags, double *newscore);
int zsetDel(robj *zobj, sds ele);
long zsetRank(robj *zobj, sds ele, int reverse);
robj *zsetDup(robj *o);
int zsetPop(robj *zobj, int reverse, sds *ele, double *score);
void zsetIterInitRank(zsetIterator *it, robj *zobj, unsigned long rank, int reverse);
int zsetIterInitScore(zsetIterator *it, robj *zobj, const zrangespec *range, int reverse);
int zsetIterInitLex(zsetIterator *it, robj *zobj, const zlexrangespec *range, int reverse);
int zsetIterNext(zsetIterator *it, listpackEntry *ele, double *score);
unsigned long zsetCount(robj *zobj, const zrangespec *range);
unsigned long zsetLexCount(robj *zobj, const zlexrangespec *range);
unsigned long zsetDeleteRangeByRank(robj *zobj, unsigned long start, unsigned long end);
unsigned long zsetDeleteRangeByScore(robj *zobj, const zrangespec *range);
unsigned long zsetDeleteRangeByLex(robj *zobj, const zlexrangespec *range);
void zsetRandomElements(robj *zobj, unsigned int count, listpackEntry *eles, double *scores);
unsigned long zsetScan(robj *zobj, unsigned long cursor, long count, zsetScanFn *fn, void *priv);
/* t_zset_cmd.c */
void genericZpopCommand(client *c, robj **keyv, int keyc, int where, int emitkey, long count,
                        int use_nested_array, int reply_nil_when_empty, int *deleted);
void zaddCommand(client *c);
void zincrbyCommand(client *c);
void zremCommand(client *c);
void zcardCommand(client *c);
void zcountCommand(client *c);
void zlexcountCommand(client *c);
void zscoreCommand(client *c);
void zmscoreCommand(client *c);
void zrankCommand(client *c);
void zrevrankCommand(client *c);
void zrangeCommand(client *c);
void zrangestoreCommand(client *c);
void zrevrangeCommand(client *c);
void zrangebyscoreCommand(client *c);
void zrevrangebyscoreCommand(client *c);
void zrangebylexCommand(client *c);
void zrevrangebylexCommand(client *c);
void zremrangebyrankCommand(client *c);
void zremrangebyscoreCommand(client *c);
void zremrangebylexCommand(client *c);
void zpopminCommand(client *c);
void zpopmaxCommand(client *c);
void zmpopCommand(client *c);
void zunionCommand(client *c);
void zinterCommand(client *c);
void zdiffCommand(client *c);
void zunionstoreCommand(client *c);
void zinterstoreCommand(client *c);
void zdiffstoreCommand(client *c);
void zintercardCommand(client *c);
void zrandmemberCommand(client *c);
void zscanCommand(client *c);
/* end of t_zset.c */

/* t_list.c */
#define LIST_HEAD 0
#define LIST_TAIL 1
/* An iterator over a list value; direction LIST_TAIL walks towards the
 * tail, LIST_HEAD towards the head. */
typedef struct {
    robj *subject;
    unsigned char encoding;
    unsigned char direction;
    quicklistIter *iter;
} listTypeIterator;
/* The element an iterator is on. */
typedef struct {
    listTypeIterator *li;
    quicklistEntry entry;
} listTypeEntry;
robj *createQuicklistObject(void);
void freeListObject(robj *o);
robj *listTypeDup(robj *o);
void listTypePush(robj *subject, robj *value, int where);
robj *listTypePop(robj *subject, int where);
unsigned long listTypeLength(const robj *subject);
listTypeIterator *listTypeInitIterator(robj *subject, long index, unsigned char direction);
void listTypeReleaseIterator(listTypeIterator *li);
int listTypeNext(listTypeIterator *li, listTypeEntry *entry);
robj *listTypeGet(listTypeEntry *entry);
void listTypeInsert(listTypeEntry *entry, robj *value, int where);
void listTypeReplace(listTypeEntry *entry, robj *value);
int listTypeReplaceAtIndex(robj *o, long index, robj *value);
int listTypeEqual(listTypeEntry *entry, robj *o);
void listTypeDelete(listTypeIterator *iter, listTypeEntry *entry);
void listTypeDelRange(robj *o, long start, long count);
int getListPositionFromObjectOrReply(client *c, robj *arg, int *position);
void listPopRangeAndReplyWithKey(client *c, robj *o, robj *key, int where, long count);
void lmoveHandlePush(client *c, robj *dstkey, robj *dstobj, robj *value, int where);
void lpushCommand(client *c);
void rpushCommand(client *c);
void lpushxCommand(client *c);
void rpushxCommand(client *c);
void lpopCommand(client *c);
void rpopCommand(client *c);
void llenCommand(client *c);
void lrangeCommand(client *c);
void lindexCommand(client *c);
void lsetCommand(client *c);
void linsertCommand(client *c);
void lremCommand(client *c);
void ltrimCommand(client *c);
void lposCommand(client *c);
void lmoveCommand(client *c);
void rpoplpushCommand(client *c);
void lmpopCommand(client *c);
/* end of t_list.c */

/* t_hash.c */
#define OBJ_HASH_KEY 1
#define OBJ_HASH_VALUE 2
#define HASH_SET_COPY 0
#define HASH_SET_TAKE_FIELD (1 << 0)  /* hashTypeSet owns the field sds */
#define HASH_SET_TAKE_VALUE (1 << 1)  /* hashTypeSet owns the value sds */
/* An iteration over a hash (hashTypeInitIterator .. hashTypeReleaseIterator). */
typedef struct hashTypeIterator {
    robj *subject;
    int encoding;
    unsigned char *fptr, *vptr; /* listpack: current field and value */
    dictIterator di;            /* hash table */
    dictEntry *de;
} hashTypeIterator;
/* Called by hashTypeScan for each field/value pair of a step; the strings
 * are valid only during the call. */
typedef void hashScanFunction(void *privdata, const char *field, size_t flen, const char *value, size_t vlen);
robj *createHashObject(void);
void freeHashObject(robj *o);
unsigned long hashTypeLength(const robj *o);
int hashTypeGetValue(robj *o, sds field, unsigned char **vstr, unsigned int *vlen, long long *vll);
robj *hashTypeGetValueObject(robj *o, sds field);
size_t hashTypeGetValueLength(robj *o, sds field);
int hashTypeExists(robj *o, sds field);
void hashTypeConvert(robj *o, int enc);
void hashTypeTryConversion(robj *o, robj **argv, int start, int end);
int hashTypeSet(robj *o, sds field, sds value, int flags);
int hashTypeDelete(robj *o, sds field);
void hashTypeInitIterator(hashTypeIterator *hi, robj *subject);
void hashTypeReleaseIterator(hashTypeIterator *hi);
int hashTypeNext(hashTypeIterator *hi);
void hashTypeCurrentObject(hashTypeIterator *hi, int what, unsigned char **vstr, unsigned int *vlen, long long *vll);
sds hashTypeCurrentObjectNewSds(hashTypeIterator *hi, int what);
robj *hashTypeLookupWriteOrCreate(client *c, robj *key);
robj *hashTypeDup(robj *o);
void hashTypeRandomPairs(robj *o, unsigned int count, listpackEntry *keys, listpackEntry *vals);
unsigned long hashTypeRandomPairsUnique(robj *o, unsigned long count, listpackEntry *keys, listpackEntry *vals);
unsigned long hashTypeScan(robj *o, unsigned long cursor, long count, hashScanFunction *fn, void *privdata);
void hsetCommand(client *c);
void hsetnxCommand(client *c);
void hgetCommand(client *c);
void hmgetCommand(client *c);
void hdelCommand(client *c);
void hlenCommand(client *c);
void hstrlenCommand(client *c);
void hexistsCommand(client *c);
void hkeysCommand(client *c);
void hvalsCommand(client *c);
void hgetallCommand(client *c);
void hincrbyCommand(client *c);
void hincrbyfloatCommand(client *c);
void hrandfieldCommand(client *c);
void hscanCommand(client *c);
/* end of t_hash.c */

/* sort.c */
void sortCommand(client *c);
void sortroCommand(client *c);
/* end of sort.c */

/* blocked.c */
void initBlockingState(void);
int getTimeoutFromObjectOrReply(client *c, robj *object, long long *timeout);
void signalKeyAsReady(redisDb *db, robj *key, int type);
void scanDatabaseForReadyKeys(redisDb *db);
void handleClientsBlockedOnKeys(void);
void handleBlockedClientsTimeout(void);
void processUnblockedClients(void);
void replyToBlockedClientTimedOut(client *c);
void unblockClient(client *c);
void blockedBeforeFreeClient(client *c);
void blpopCommand(client *c);
void brpopCommand(client *c);
void blmoveCommand(client *c);
void brpoplpushCommand(client *c);
void blmpopCommand(client *c);
void bzpopminCommand(client *c);
void bzpopmaxCommand(client *c);
void bzmpopCommand(client *c);
void clientUnblockCommand(client *c);
/* end of blocked.c */

#endif /* EMBER_SERVER_H */
