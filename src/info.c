/* info.c — the INFO command.
 *
 * INFO prints "field:value" lines grouped in sections, each opened by a
 * "# Name" header, sections separated by an empty line, every line ended by
 * CRLF. Field names, their order and the section order are those of Redis
 * 7.0, because monitoring tools and client libraries parse them; a field
 * for a feature Ember does not have yet is still printed, with the value an
 * idle Redis would show (0, -1, "ok", ...).
 *
 * The sections are a table (infoSections below): a lower-case name, whether
 * it is part of the default set, and a function that appends its body.
 * Which sections to print is given as a dict of lower-case names
 * (genInfoSectionDict builds it from INFO's arguments) plus the flags
 * "all" and "everything"; with no modules, "everything" prints the same as
 * "all".
 *
 * Values come from the server state (server.stat for the counters), the
 * memory overview of memory.c (shared with MEMORY STATS) and the kernel
 * (uname, getrusage, sysconf).
 */
#include "server.h"
#include "loading.h"
#include "script.h"
#include "function.h"
#include "aof.h"
#include "rdb.h"
#include "childproc.h"
#include "lazyfree.h"
#include "evict.h"
#include "latency.h"
#include "memory.h"
#include "iothreads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>


/* Appends n bytes in the human form of INFO ("512B", "1.06M", ...) to s. */
static sds bytesToHuman(sds s, unsigned long long n) {
    static const char units[] = "KMGTP";
    if (n < 1024) return sdscatprintf(s, "%lluB", n);
    double d = (double)n;
    for (int j = 0; units[j]; j++) {
        d /= 1024;
        if (d < 1024 || units[j + 1] == '\0')
            return sdscatprintf(s, "%.2f%c", d, units[j]);
    }
    return s;
}

/* Appends "name:<n>\r\nname_human:<human n>\r\n". */
static sds catBytesField(sds s, const char *name, unsigned long long n) {
    s = sdscatprintf(s, "%s:%llu\r\n%s_human:", name, n, name);
    s = bytesToHuman(s, n);
    return sdscatlen(s, "\r\n", 2);
}

static const char *maxmemoryPolicyName(int policy) {
    switch (policy) {
    case MAXMEMORY_VOLATILE_LRU: return "volatile-lru";
    case MAXMEMORY_VOLATILE_LFU: return "volatile-lfu";
    case MAXMEMORY_VOLATILE_TTL: return "volatile-ttl";
    case MAXMEMORY_VOLATILE_RANDOM: return "volatile-random";
    case MAXMEMORY_ALLKEYS_LRU: return "allkeys-lru";
    case MAXMEMORY_ALLKEYS_LFU: return "allkeys-lfu";
    case MAXMEMORY_ALLKEYS_RANDOM: return "allkeys-random";
    default: return "noeviction";
    }
}

/* A stable hex id of this build, from the version and the compile time. */
static const char *buildId(void) {
    static char id[20];
    if (id[0] == '\0') {
        const char *src = EMBER_VERSION " " __DATE__ " " __TIME__;
        uint64_t h = 1469598103934665603ULL; /* FNV-1a */
        for (const char *p = src; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        snprintf(id, sizeof(id), "%llx", (unsigned long long)h);
    }
    return id;
}

/* ----------------------------------------------------------- sections */

static sds infoServer(sds s) {
    static struct utsname name;
    static int have_uname = 0;
    if (!have_uname) {
        uname(&name);
        have_uname = 1;
    }
    const char *supervised = "no";
    if (server.supervised) {
        if (server.supervised_mode == SUPERVISED_SYSTEMD)
            supervised = "systemd";
        else if (server.supervised_mode == SUPERVISED_UPSTART)
            supervised = "upstart";
        else
            supervised = "unknown";
    }
    long long uptime = (long long)(time(NULL) - server.stat.starttime);
#ifdef __GNUC__
    const int gcc_major = __GNUC__, gcc_minor = __GNUC_MINOR__, gcc_patch = __GNUC_PATCHLEVEL__;
#else
    const int gcc_major = 0, gcc_minor = 0, gcc_patch = 0;
#endif
    s = sdscatprintf(s,
                     "redis_version:%s\r\n"
                     "ember_version:%s\r\n"
                     "redis_git_sha1:00000000\r\n"
                     "redis_git_dirty:0\r\n"
                     "redis_build_id:%s\r\n"
                     "redis_mode:%s\r\n"
                     "os:%s %s %s\r\n"
                     "arch_bits:%d\r\n"
                     "monotonic_clock:POSIX clock_gettime\r\n"
                     "multiplexing_api:%s\r\n"
                     "atomicvar_api:c11-builtin\r\n"
                     "gcc_version:%d.%d.%d\r\n"
                     "process_id:%lld\r\n"
                     "process_supervised:%s\r\n"
                     "run_id:%s\r\n"
                     "tcp_port:%d\r\n"
                     "server_time_usec:%lld\r\n"
                     "uptime_in_seconds:%lld\r\n"
                     "uptime_in_days:%lld\r\n"
                     "hz:%d\r\n"
                     "configured_hz:%d\r\n"
                     "lru_clock:%u\r\n"
                     "executable:%s\r\n"
                     "config_file:%s\r\n"
                     "io_threads_active:%d\r\n",
                     REDIS_VERSION, EMBER_VERSION, buildId(), server.sentinel_mode ? "sentinel" : "standalone",
                     name.sysname, name.release, name.machine, (int)(sizeof(long) * 8), aeGetApiName(), gcc_major,
                     gcc_minor, gcc_patch, (long long)getpid(), supervised, server.runid, server.net.port, ustime(),
                     uptime, uptime / 86400, server.hz, server.config_hz, server.lruclock,
                     server.executable ? server.executable : "", server.configfile ? server.configfile : "", ioThreadsActive());
    return shutdownCatInfo(s);
}

static sds infoClients(sds s) {
    size_t max_in = 0, max_out = 0;
    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    while ((ln = listNext(&li)) != NULL) {
        client *c = listNodeValue(ln);
        size_t in = c->querybuf ? sdsAllocSize(c->querybuf) : 0;
        if (in > max_in) max_in = in;
        size_t out = getClientOutputBufferMemoryUsage(c);
        if (out > max_out) max_out = out;
    }
    return sdscatprintf(s,
                        "connected_clients:%lu\r\n"
                        "cluster_connections:%lu\r\n"
                        "maxclients:%u\r\n"
                        "client_recent_max_input_buffer:%zu\r\n"
                        "client_recent_max_output_buffer:%zu\r\n"
                        "blocked_clients:%lu\r\n"
                        "tracking_clients:%llu\r\n"
                        "clients_in_timeout_table:%lu\r\n",
                        listLength(server.clients), clusterConnectionCount(), server.limits.maxclients, max_in, max_out,
                        server.blocking.blocked_clients + listLength(server.pause.clients), trackingClientsCount(),
                        server.blocking.bto_len);
}

static sds infoMemory(sds s) {
    memoryOverview mo;
    getMemoryOverview(&mo);
    long pages = sysconf(_SC_PHYS_PAGES), pagesize = sysconf(_SC_PAGESIZE);
    unsigned long long total_mem = (pages > 0 && pagesize > 0) ? (unsigned long long)pages * pagesize : 0;
    size_t net_used = mo.used > mo.startup ? mo.used - mo.startup : 0;

    s = catBytesField(s, "used_memory", mo.used);
    s = catBytesField(s, "used_memory_rss", mo.rss);
    s = catBytesField(s, "used_memory_peak", mo.peak);
    s = sdscatprintf(s,
        "used_memory_peak_perc:%.2f%%\r\n"
        "used_memory_overhead:%zu\r\n"
        "used_memory_startup:%zu\r\n"
        "used_memory_dataset:%zu\r\n"
        "used_memory_dataset_perc:%.2f%%\r\n"
        "allocator_allocated:%zu\r\n"
        "allocator_active:%zu\r\n"
        "allocator_resident:%zu\r\n",
        memoryRatio(mo.used, mo.peak) * 100, mo.overhead, mo.startup, mo.dataset,
        memoryRatio(mo.dataset, net_used) * 100, mo.allocated, mo.active, mo.resident);
    s = catBytesField(s, "total_system_memory", total_mem);
    size_t lua_mem = evalMemoryLua(), scripts_mem = evalScriptsMemory();
    size_t fvm_mem = functionsMemoryVm(), f_mem = functionsMemory();
    s = sdscatprintf(s, "used_memory_lua:%zu\r\nused_memory_vm_eval:%zu\r\nused_memory_lua_human:", lua_mem, lua_mem);
    s = bytesToHuman(s, lua_mem);
    s = sdscatprintf(s,
        "\r\nused_memory_scripts_eval:%zu\r\n"
        "number_of_cached_scripts:%lu\r\n"
        "number_of_functions:%lu\r\n"
        "number_of_libraries:%lu\r\n"
        "used_memory_vm_functions:%zu\r\n"
        "used_memory_vm_total:%zu\r\n"
        "used_memory_vm_total_human:", scripts_mem, evalNumScripts(), functionsCount(), functionsLibCount(), fvm_mem,
        lua_mem + fvm_mem);
    s = bytesToHuman(s, lua_mem + fvm_mem);
    s = sdscatprintf(s, "\r\nused_memory_functions:%zu\r\nused_memory_scripts:%zu\r\nused_memory_scripts_human:",
                     f_mem, scripts_mem + f_mem);
    s = bytesToHuman(s, scripts_mem + f_mem);
    s = sdscat(s, "\r\n");
    s = catBytesField(s, "maxmemory", server.memory.maxmemory);
    s = sdscatprintf(s,
                     "maxmemory_policy:%s\r\n"
                     "allocator_frag_ratio:%.2f\r\n"
                     "allocator_frag_bytes:%lld\r\n"
                     "allocator_rss_ratio:%.2f\r\n"
                     "allocator_rss_bytes:%lld\r\n"
                     "rss_overhead_ratio:%.2f\r\n"
                     "rss_overhead_bytes:%lld\r\n"
                     "mem_fragmentation_ratio:%.2f\r\n"
                     "mem_fragmentation_bytes:%lld\r\n"
                     "mem_not_counted_for_evict:0\r\n"
                     "mem_replication_backlog:%zu\r\n"
                     "mem_total_replication_buffers:%zu\r\n"
                     "mem_clients_slaves:%zu\r\n"
                     "mem_clients_normal:%zu\r\n"
                     "mem_cluster_links:%llu\r\n"
                     "mem_aof_buffer:%zu\r\n"
                     "mem_allocator:%s\r\n"
                     "active_defrag_running:0\r\n"
                     "lazyfree_pending_objects:%llu\r\n"
                     "lazyfreed_objects:%llu\r\n",
                     maxmemoryPolicyName(server.memory.maxmemory_policy), memoryRatio(mo.active, mo.allocated),
                     (long long)mo.active - (long long)mo.allocated, memoryRatio(mo.resident, mo.active),
                     (long long)mo.resident - (long long)mo.active, memoryRatio(mo.rss, mo.resident),
                     mo.resident ? (long long)mo.rss - (long long)mo.resident : 0, memoryRatio(mo.rss, mo.used),
                     (long long)mo.rss - (long long)mo.used, replicationBacklogMemory(), server.replication.buf_mem,
                     server.replication.buf_mem - replicationBacklogMemory(), mo.clients_normal, clusterLinksMemory(),
                     aofBufferLength(), zmalloc_lib_name(), lazyfreePendingObjects(), lazyfreedObjects());
    return s;
}

static sds infoPersistence(sds s) {
    s = sdscatprintf(s,
                        "loading:%d\r\n"
                        "async_loading:%d\r\n",
                        server.persist.loading, server.persist.async_loading);
    s = childCatInfoPersistence(s);
    s = rdbInfoFields(s);
    s = aofCatInfo(s);
    return loadingCatInfo(s);
}

static sds infoStats(sds s) {
    serverStats *st = &server.stat;
    return sdscatprintf(s,
        "total_connections_received:%lld\r\n"
        "total_commands_processed:%lld\r\n"
        "instantaneous_ops_per_sec:%lld\r\n"
        "total_net_input_bytes:%lld\r\n"
        "total_net_output_bytes:%lld\r\n"
        "total_net_repl_input_bytes:0\r\n"
        "total_net_repl_output_bytes:0\r\n"
        "instantaneous_input_kbps:%.2f\r\n"
        "instantaneous_output_kbps:%.2f\r\n"
        "instantaneous_input_repl_kbps:0.00\r\n"
        "instantaneous_output_repl_kbps:0.00\r\n"
        "rejected_connections:%lld\r\n"
        "sync_full:%lld\r\n"
        "sync_partial_ok:%lld\r\n"
        "sync_partial_err:%lld\r\n"
        "expired_keys:%lld\r\n"
        "expired_stale_perc:%.2f\r\n"
        "expired_time_cap_reached_count:%lld\r\n"
        "expire_cycle_cpu_milliseconds:%lld\r\n"
        "evicted_keys:%lld\r\n"
        "evicted_clients:%lld\r\n"
        "total_eviction_exceeded_time:%lld\r\n"
        "current_eviction_exceeded_time:%lld\r\n"
        "keyspace_hits:%lld\r\n"
        "keyspace_misses:%lld\r\n"
        "pubsub_channels:%lu\r\n"
        "pubsub_patterns:%lu\r\n"
        "pubsubshard_channels:%lu\r\n"
        "latest_fork_usec:%lld\r\n"
        "total_forks:%lld\r\n"
        "migrate_cached_sockets:%d\r\n"
        "slave_expires_tracked_keys:0\r\n"
        "active_defrag_hits:0\r\n"
        "active_defrag_misses:0\r\n"
        "active_defrag_key_hits:0\r\n"
        "active_defrag_key_misses:0\r\n"
        "total_active_defrag_time:0\r\n"
        "current_active_defrag_time:0\r\n"
        "tracking_total_keys:%llu\r\n"
        "tracking_total_items:%llu\r\n"
        "tracking_total_prefixes:%llu\r\n"
        "unexpected_error_replies:%lld\r\n"
        "total_error_replies:%lld\r\n"
        "dump_payload_sanitizations:0\r\n"
        "total_reads_processed:%lld\r\n"
        "total_writes_processed:%lld\r\n"
        "io_threaded_reads_processed:%lld\r\n"
        "io_threaded_writes_processed:%lld\r\n"
        "reply_buffer_shrinks:0\r\n"
        "reply_buffer_expands:0\r\n"
        "bigkey_commands:%lld\r\n",
        st->numconnections, st->numcommands,
        getInstantaneousMetric(st->inst_ops_samples),
        st->net_input_bytes, st->net_output_bytes,
        (double)getInstantaneousMetric(st->inst_in_samples) / 1024,
        (double)getInstantaneousMetric(st->inst_out_samples) / 1024,
        st->rejected_conn, server.replication.stat_sync_full, server.replication.stat_sync_partial_ok,
        server.replication.stat_sync_partial_err, st->expiredkeys, st->expired_stale_perc * 100,
        st->expired_time_cap_reached_count, st->expire_cycle_time_used / 1000, st->evictedkeys, st->evicted_clients,
        evictionExceededTimeTotal(), evictionExceededTimeCurrent(), st->keyspace_hits, st->keyspace_misses,
        pubsubServerCount(PUBSUB_CHANNEL), pubsubServerCount(PUBSUB_PATTERN), pubsubServerCount(PUBSUB_SHARD),
        childLatestForkUsec(), childTotalForks(), migrateCachedLinks(), trackingTotalKeys(), trackingTotalItems(), trackingTotalPrefixes(),
        st->unexpected_error_replies, st->total_error_replies,
        st->io_reads_processed, st->io_writes_processed, st->io_threaded_reads_processed,
        st->io_threaded_writes_processed, server.bigkey.commands);
}

static sds infoReplication(sds s) {
    return replicationInfo(s);
}

static sds catRusage(sds s, const char *prefix, const char *suffix, int who) {
    struct rusage ru;
    if (getrusage(who, &ru) != 0) memset(&ru, 0, sizeof(ru));
    return sdscatprintf(s, "%ssys%s:%ld.%06ld\r\n%suser%s:%ld.%06ld\r\n",
                        prefix, suffix, (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec,
                        prefix, suffix, (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec);
}

static sds infoCpu(sds s) {
    s = catRusage(s, "used_cpu_", "", RUSAGE_SELF);
    s = catRusage(s, "used_cpu_", "_children", RUSAGE_CHILDREN);
#ifdef RUSAGE_THREAD
    s = catRusage(s, "used_cpu_", "_main_thread", RUSAGE_THREAD);
#endif
    return s;
}

static sds infoModules(sds s) {
    return s;
}

static sds infoCommandstats(sds s) {
    return catCommandStats(s, server.commands);
}

/* qsort comparator for dictEntry* whose keys are C strings (or sds). */
static int compareEntryKeys(const void *a, const void *b) {
    const dictEntry *ea = *(const dictEntry *const *)a, *eb = *(const dictEntry *const *)b;
    return strcmp(ea->key, eb->key);
}

/* errorstat_<CODE>:count=<n>, codes in byte order. */
static sds infoErrorstats(sds s) {
    dict *errors = server.stat.errors;
    if (errors == NULL || dictSize(errors) == 0) return s;
    size_t n = dictSize(errors), i = 0;
    dictEntry **entries = zmalloc(sizeof(dictEntry *) * n);
    dictIterator *di = dictGetIterator(errors);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL && i < n) entries[i++] = de;
    dictReleaseIterator(di);
    qsort(entries, i, sizeof(dictEntry *), compareEntryKeys);
    for (size_t j = 0; j < i; j++) {
        s = sdscatprintf(s, "errorstat_%s:count=%llu\r\n", (char *)dictGetKey(entries[j]),
                         (unsigned long long)dictGetUnsignedIntegerVal(entries[j]));
    }
    zfree(entries);
    return s;
}

static sds infoLatencystats(sds s) {
    return latencyCatInfo(s);
}

static sds infoCluster(sds s) {
    return sdscatprintf(s, "cluster_enabled:%d\r\n", server.cluster.enabled ? 1 : 0);
}

static sds infoKeyspace(sds s) {
    for (int j = 0; j < server.dbnum; j++) {
        redisDb *db = server.db + j;
        unsigned long long keys = dbSize(db), vkeys = dbExpiresCount(db);
        if (keys || vkeys)
            s = sdscatprintf(s, "db%d:keys=%llu,expires=%llu,avg_ttl=%lld\r\n", j, keys, vkeys, db->avg_ttl);
    }
    return s;
}

typedef struct infoSection {
    const char *name;    /* lower case, as INFO takes it */
    const char *title;   /* as printed after "# " */
    int in_default;
    sds (*gen)(sds s);
} infoSection;

static const infoSection infoSections[] = {
    {"server", "Server", 1, infoServer},
    {"clients", "Clients", 1, infoClients},
    {"memory", "Memory", 1, infoMemory},
    {"persistence", "Persistence", 1, infoPersistence},
    {"stats", "Stats", 1, infoStats},
    {"replication", "Replication", 1, infoReplication},
    {"cpu", "CPU", 1, infoCpu},
    {"modules", "Modules", 1, infoModules},
    {"commandstats", "Commandstats", 0, infoCommandstats},
    {"errorstats", "Errorstats", 1, infoErrorstats},
    {"latencystats", "Latencystats", 0, infoLatencystats},
    {"cluster", "Cluster", 1, infoCluster},
    {"keyspace", "Keyspace", 1, infoKeyspace},
    {NULL, NULL, 0, NULL}};

/* ------------------------------------------------ section selection */

static uint64_t sectionHash(const void *key) {
    return dictGenCaseHashFunction(key, sdslen((sds)key));
}

static int sectionCompare(dict *d, const void *a, const void *b) {
    (void)d;
    return sdslen((sds)a) == sdslen((sds)b) && strcasecmp(a, b) == 0;
}

static void sectionDestructor(dict *d, void *key) {
    (void)d;
    sdsfree(key);
}

/* Set of section names: sds keys owned by the dict, no values. */
static dictType infoSectionDictType = {sectionHash, NULL, NULL, sectionCompare, sectionDestructor, NULL, NULL};

static void addSection(dict *d, const char *name) {
    sds key = sdsnew(name);
    sdstolower(key);
    if (dictAdd(d, key, NULL) != DICT_OK) sdsfree(key);
}

static void addDefaultSections(dict *d) {
    for (const infoSection *sec = infoSections; sec->name; sec++)
        if (sec->in_default) addSection(d, sec->name);
}

/* Builds the set of sections INFO's arguments argv[0..argc) ask for (the
 * arguments after "INFO"; none means the default set). Sets *all_sections
 * for "all" or "everything", *everything for "everything". Returns a new
 * dict the caller releases with releaseInfoSectionDict. */
static dict *genInfoSectionDict(robj **argv, int argc, int *all_sections, int *everything) {
    dict *d = dictCreate(&infoSectionDictType);
    *all_sections = 0;
    *everything = 0;
    if (argc == 0) addDefaultSections(d);
    for (int j = 0; j < argc; j++) {
        const char *name = argv[j]->ptr;
        if (!strcasecmp(name, "default")) {
            addDefaultSections(d);
        } else if (!strcasecmp(name, "all")) {
            *all_sections = 1;
        } else if (!strcasecmp(name, "everything")) {
            *all_sections = 1;
            *everything = 1;
        } else {
            addSection(d, name);
        }
    }
    return d;
}

static void releaseInfoSectionDict(dict *sections) {
    if (sections) dictRelease(sections);
}

/* Returns a new sds with the INFO text of the chosen sections: every one if
 * all_sections is set, otherwise those named in section_dict (a dict from
 * genInfoSectionDict; NULL means the default set). Borrows section_dict.
 * The caller frees the result. */
static sds genRedisInfoString(dict *section_dict, int all_sections, int everything) {
    (void)everything; /* no module sections exist */
    sds info = sdsempty();
    int printed = 0;
    for (const infoSection *sec = infoSections; sec->name; sec++) {
        int wanted;
        if (all_sections)
            wanted = 1;
        else if (section_dict == NULL)
            wanted = sec->in_default;
        else {
            sds key = sdsnew(sec->name);
            wanted = dictFind(section_dict, key) != NULL;
            sdsfree(key);
        }
        if (!wanted) continue;
        if (printed++) info = sdscatlen(info, "\r\n", 2);
        info = sdscatprintf(info, "# %s\r\n", sec->title);
        info = sec->gen(info);
    }
    return info;
}

/* INFO [section [section ...]] */
void infoCommand(client *c) {
    int all_sections, everything;
    dict *sections = genInfoSectionDict(c->argv + 1, c->argc - 1, &all_sections, &everything);
    sds info = genRedisInfoString(sections, all_sections, everything);
    releaseInfoSectionDict(sections);
    addReplyVerbatim(c, info, sdslen(info), "txt");
    sdsfree(info);
}
