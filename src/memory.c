/* memory.c — the MEMORY command and the memory figures behind INFO memory.
 *
 * Two questions are answered here. The first is "what does the whole
 * server spend its memory on": getMemoryOverview gathers, at one moment,
 * the allocator's figures, the baseline recorded after start-up, what the
 * clients hold and what the key tables cost; everything above that
 * overhead is counted as the dataset. INFO memory and MEMORY STATS print
 * the same overview, MEMORY DOCTOR reasons about it.
 *
 * The second is "what does this one key cost" (MEMORY USAGE): the entry of
 * the key in its database (from db.c), plus objectMemUsage of the value.
 * Measuring a value means knowing how each encoding lays it out in memory,
 * so, like object.c, this file reads o->encoding and the structures behind
 * it, read-only: a listpack or an intset is one allocation; a quicklist is
 * its header plus, per node, the node and its listpack; a hash table is
 * its header and buckets plus, per element, an entry and its strings; a
 * skiplist adds its nodes. Every block is counted at the size the
 * allocator really gave it (zmalloc_size), as the figures of used_memory
 * are. Large collections are sampled: the first `samples` elements are
 * measured and their average is multiplied by the element count.
 *
 * MEMORY MALLOC-STATS and PURGE hand over to the allocator through
 * zmalloc; with libc there is no report and nothing to purge.
 */
#include "server.h"
#include "t_stream.h"
#include "memory.h"
#include "function.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* Memory in use once start-up had finished: written once by
 * recordStartupMemory, only read afterwards. */
static size_t startup_memory;

/* MEMORY USAGE's sample count when SAMPLES is not given. */
#define MEMORY_USAGE_DEFAULT_SAMPLES 5
/* Below this much used memory MEMORY DOCTOR has nothing to say. */
#define DOCTOR_MIN_USED (5 * 1024 * 1024)

void recordStartupMemory(void) {
    startup_memory = zmalloc_used_memory();
}

double memoryRatio(double a, double b) {
    return b != 0 ? a / b : 0;
}

void getMemoryOverview(memoryOverview *mo) {
    memset(mo, 0, sizeof(*mo));
    mo->used = zmalloc_used_memory();
    if ((long long)mo->used > server.stat.peak_memory) server.stat.peak_memory = (long long)mo->used;
    mo->peak = (size_t)server.stat.peak_memory;
    mo->startup = startup_memory;
    mo->rss = zmalloc_get_rss();
    zmalloc_get_allocator_info(&mo->allocated, &mo->active, &mo->resident);

    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    while ((ln = listNext(&li)) != NULL) mo->clients_normal += clientTotalMemory(listNodeValue(ln));
    for (int j = 0; j < server.dbnum; j++) {
        mo->tables += dbTablesMemUsage(server.db + j);
        mo->keys += dbSize(server.db + j);
    }
    mo->overhead = mo->startup + mo->clients_normal + mo->tables;
    mo->dataset = mo->used > mo->overhead ? mo->used - mo->overhead : 0;
}

/* ------------------------------------------------- measuring a value */

/* Bytes of the allocation behind sds s. */
static size_t sdsMemUsage(sds s) {
    return zmalloc_size(sdsAllocPtr(s));
}

/* The per-element average of `measured` bytes over `seen` elements, scaled
 * to `total` elements. */
static size_t scaleSample(size_t measured, size_t seen, size_t total) {
    if (seen == 0) return 0;
    return (size_t)((double)measured / (double)seen * (double)total);
}

/* A quicklist's header plus, per node, the node and its entry. */
static size_t quicklistMemUsage(quicklist *ql, size_t samples) {
    size_t measured = 0, seen = 0;
    for (quicklistNode *node = ql->head; node && seen < samples; node = node->next, seen++)
        measured += zmalloc_size(node) + quicklistNodeEntryAllocSize(node);
    return zmalloc_size(ql) + scaleSample(measured, seen, ql->len);
}

/* A skiplist-encoded sorted set: the pair header, the member table (its
 * slot arrays; its elements are the nodes), the skiplist header node and
 * the nodes, each holding its member. */
static size_t zsetSkiplistMemUsage(zset *zs, size_t samples) {
    size_t size = zmalloc_size(zs) + ptMemUsage(zs->members);
    size += zmalloc_size(zs->zsl) + zmalloc_size(zs->zsl->header);
    size_t measured = 0, seen = 0;
    for (zskiplistNode *node = zs->zsl->header->level[0].forward; node && seen < samples;
         node = node->level[0].forward, seen++)
        measured += zmalloc_size(node);
    return size + scaleSample(measured, seen, zs->zsl->length);
}

/* Bytes of the payload behind o->ptr, the robj not included. */
static size_t payloadMemUsage(robj *o, size_t samples) {
    switch (o->encoding) {
    case OBJ_ENCODING_INT: return 0;
    case OBJ_ENCODING_RAW: return sdsMemUsage(o->ptr);
    case OBJ_ENCODING_LISTPACK:
    case OBJ_ENCODING_INTSET: return zmalloc_size(o->ptr);
    case OBJ_ENCODING_QUICKLIST: return quicklistMemUsage(o->ptr, samples);
    case OBJ_ENCODING_SKIPLIST: return zsetSkiplistMemUsage(o->ptr, samples);
    case OBJ_ENCODING_HT:
        if (o->type == OBJ_SET) return setTableMemUsage(o->ptr, samples);
        return hashTypeMemUsage(o, samples);
    case OBJ_ENCODING_STREAM: return streamMemUsage(o->ptr, samples);
    default: return 0;
    }
}

size_t objectMemUsage(robj *o, size_t samples) {
    if (samples == 0) samples = SIZE_MAX;
    /* An embedded string shares its allocation with the robj. */
    if (o->encoding == OBJ_ENCODING_EMBSTR) return zmalloc_size(o);
    return zmalloc_size(o) + payloadMemUsage(o, samples);
}

/* ------------------------------------------------------------ MEMORY */

/* MEMORY USAGE key [SAMPLES count] */
void memoryUsageCommand(client *c) {
    long long samples = MEMORY_USAGE_DEFAULT_SAMPLES;
    for (int j = 3; j < c->argc; j++) {
        if (!strcasecmp(c->argv[j]->ptr, "samples") && j + 1 < c->argc) {
            if (getLongLongFromObjectOrReply(c, c->argv[j + 1], &samples, NULL) != C_OK) return;
            if (samples < 0) {
                addReplyErrorObject(c, shared.syntaxerr);
                return;
            }
            j++;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
    }
    robj *val = dbPeek(c->db, c->argv[2]);
    if (val == NULL) {
        addReplyNull(c);
        return;
    }
    /* The key's entry and its table slot; a short string is inside the
     * entry, any other value is an object of its own. */
    size_t usage = dbEntryAllocSize(c->db, c->argv[2]) + sizeof(void *);
    if (!val->keyed) usage += objectMemUsage(val, (size_t)samples);
    addReplyLongLong(c, (long long)usage);
}

/* Databases that hold keys: MEMORY STATS prints one map for each. */
static int nonEmptyDbCount(void) {
    int n = 0;
    for (int j = 0; j < server.dbnum; j++)
        if (dbSize(server.db + j)) n++;
    return n;
}

static void addReplyStatsDb(client *c, redisDb *db) {
    size_t keys, expires;
    dbTablesMemUsageSplit(db, &keys, &expires);
    char name[32];
    snprintf(name, sizeof(name), "db.%d", db->id);
    addReplyBulkCString(c, name);
    addReplyMapLen(c, 3);
    addReplyBulkCString(c, "overhead.hashtable.main");
    addReplyLongLong(c, (long long)keys);
    addReplyBulkCString(c, "overhead.hashtable.expires");
    addReplyLongLong(c, (long long)expires);
    addReplyBulkCString(c, "overhead.hashtable.slot-to-keys");
    addReplyLongLong(c, 0);
}

static void addReplyStatsField(client *c, const char *name, long long v) {
    addReplyBulkCString(c, name);
    addReplyLongLong(c, v);
}

/* Ratios go out in single precision, the digits Redis 7.0 prints. */
static void addReplyStatsRatio(client *c, const char *name, double v) {
    addReplyBulkCString(c, name);
    addReplyDouble(c, (float)v);
}

/* MEMORY STATS: the fields of Redis 7.0, in its order. */
void memoryStatsCommand(client *c) {
    memoryOverview mo;
    getMemoryOverview(&mo);
    size_t net = mo.used > mo.startup ? mo.used - mo.startup : 0;
    addReplyMapLen(c, 27 + nonEmptyDbCount());
    addReplyStatsField(c, "peak.allocated", (long long)mo.peak);
    addReplyStatsField(c, "total.allocated", (long long)mo.used);
    addReplyStatsField(c, "startup.allocated", (long long)mo.startup);
    addReplyStatsField(c, "replication.backlog", 0);
    addReplyStatsField(c, "clients.slaves", 0);
    addReplyStatsField(c, "clients.normal", (long long)mo.clients_normal);
    addReplyStatsField(c, "cluster.links", 0);
    addReplyStatsField(c, "aof.buffer", 0);
    addReplyStatsField(c, "lua.caches", 0);
    addReplyStatsField(c, "functions.caches", (long long)functionsMemory());
    for (int j = 0; j < server.dbnum; j++)
        if (dbSize(server.db + j)) addReplyStatsDb(c, server.db + j);
    addReplyStatsField(c, "overhead.total", (long long)mo.overhead);
    addReplyStatsField(c, "keys.count", (long long)mo.keys);
    addReplyStatsField(c, "keys.bytes-per-key", mo.keys ? (long long)(net / mo.keys) : 0);
    addReplyStatsField(c, "dataset.bytes", (long long)mo.dataset);
    addReplyStatsRatio(c, "dataset.percentage", memoryRatio(mo.dataset, net) * 100);
    addReplyStatsRatio(c, "peak.percentage", memoryRatio(mo.used, mo.peak) * 100);
    addReplyStatsField(c, "allocator.allocated", (long long)mo.allocated);
    addReplyStatsField(c, "allocator.active", (long long)mo.active);
    addReplyStatsField(c, "allocator.resident", (long long)mo.resident);
    addReplyStatsRatio(c, "allocator-fragmentation.ratio", memoryRatio(mo.active, mo.allocated));
    addReplyStatsField(c, "allocator-fragmentation.bytes", (long long)mo.active - (long long)mo.allocated);
    addReplyStatsRatio(c, "allocator-rss.ratio", memoryRatio(mo.resident, mo.active));
    addReplyStatsField(c, "allocator-rss.bytes", (long long)mo.resident - (long long)mo.active);
    addReplyStatsRatio(c, "rss-overhead.ratio", memoryRatio(mo.rss, mo.resident));
    addReplyStatsField(c, "rss-overhead.bytes", mo.resident ? (long long)mo.rss - (long long)mo.resident : 0);
    addReplyStatsRatio(c, "fragmentation", memoryRatio(mo.rss, mo.used));
    addReplyStatsField(c, "fragmentation.bytes", (long long)mo.rss - (long long)mo.used);
}

/* The findings of MEMORY DOCTOR on overview mo, appended to s. Returns s;
 * *found counts the findings. */
static sds doctorFindings(sds s, const memoryOverview *mo, int *found) {
    const size_t big = 10 * 1024 * 1024;
    if (mo->peak > mo->used + mo->used / 2) {
        s = sdscatprintf(s, "* Peak: used memory once reached %zu bytes, more than 150%% of the %zu bytes in use "
                            "now. The allocator may keep part of that peak as fragmentation; MEMORY PURGE can "
                            "return free pages to the system.\n\n", mo->peak, mo->used);
        (*found)++;
    }
    if (memoryRatio(mo->active, mo->allocated) > 1.1 && mo->active - mo->allocated > big) {
        s = sdscatprintf(s, "* Fragmentation: the allocator keeps %zu bytes in partly used pages (ratio %.2f). "
                            "Waves of deletions after growth cause this; it shrinks as the pages fill again.\n\n",
                         mo->active - mo->allocated, memoryRatio(mo->active, mo->allocated));
        (*found)++;
    }
    if (memoryRatio(mo->rss, mo->resident) > 1.1 && mo->rss > mo->resident + big) {
        s = sdscatprintf(s, "* Resident overhead: the process holds %zu bytes more than the allocator accounts "
                            "for (ratio %.2f).\n\n", mo->rss - mo->resident, memoryRatio(mo->rss, mo->resident));
        (*found)++;
    }
    unsigned long nclients = listLength(server.clients);
    if (nclients && mo->clients_normal / nclients > 200 * 1024) {
        s = sdscatprintf(s, "* Clients: each connected client holds %zu bytes on average in buffers. Look for "
                            "clients that read their replies slowly or send very large commands.\n\n",
                         mo->clients_normal / nclients);
        (*found)++;
    }
    return s;
}

/* MEMORY DOCTOR: a short diagnosis in plain words. */
void memoryDoctorCommand(client *c) {
    memoryOverview mo;
    getMemoryOverview(&mo);
    sds s;
    if (mo.used < DOCTOR_MIN_USED) {
        s = sdsnew("Nothing to report: this instance uses less than 5 MB, too little for a memory diagnosis "
                   "to mean anything. Load some data and ask again.\n");
    } else {
        int found = 0;
        s = doctorFindings(sdsempty(), &mo, &found);
        if (found == 0) s = sdscat(s, "No memory problem found: peak, fragmentation and client buffers are "
                                      "all within their usual bounds.\n");
    }
    addReplyVerbatim(c, s, sdslen(s), "txt");
    sdsfree(s);
}

static void catMallocStats(void *opaque, const char *text) {
    sds *s = opaque;
    *s = sdscat(*s, text);
}

/* MEMORY MALLOC-STATS: the allocator's own report. */
void memoryMallocstatsCommand(client *c) {
    sds s = sdsempty();
    if (!zmalloc_stats_print(catMallocStats, &s))
        s = sdscatprintf(s, "The allocator in use (%s) gives no statistics report.", zmalloc_lib_name());
    addReplyVerbatim(c, s, sdslen(s), "txt");
    sdsfree(s);
}

/* MEMORY PURGE: OK whatever the allocator, as Redis answers. */
void memoryPurgeCommand(client *c) {
    zmalloc_purge();
    addReply(c, shared.ok);
}

void memoryHelpCommand(client *c) {
    static const char *help[] = {
        "DOCTOR",
        "    Describe in words what may be wrong with the memory of the server.",
        "MALLOC-STATS",
        "    Show the memory allocator's own statistics report.",
        "PURGE",
        "    Ask the allocator to give its free pages back to the system.",
        "STATS",
        "    Show what the memory of the server is spent on.",
        "USAGE <key> [SAMPLES <count>]",
        "    Estimate the bytes <key> and its value take. Collections are measured on",
        "    <count> elements (default: 5, 0 means all) and scaled to their size.",
        NULL};
    addReplyHelp(c, help);
}

/* ------------------------------------------------------ transparent huge pages */

/* 1 when the kernel's THP mode is "always" (the bracketed choice). */
static int thpAlways(void) {
    FILE *fp = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (fp == NULL) return 0;
    char buf[256];
    int always = fgets(buf, sizeof(buf), fp) != NULL && strstr(buf, "[always]") != NULL;
    fclose(fp);
    return always;
}

void memoryApplyThpSetting(void) {
#ifdef __linux__
    if (!thpAlways()) return;
    if (server.memory.disable_thp && prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0) return;
    serverLog(LL_WARNING, "WARNING: transparent huge pages are on for every process ('always'): forks copy "
                          "more memory and latency suffers. disable-thp yes turns them off for this server; "
                          "or run 'echo madvise > /sys/kernel/mm/transparent_hugepage/enabled' as root.");
#endif
}
