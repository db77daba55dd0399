/* aof_rewrite.c — rewriting the append-only file: a new base from the
 * dataset, written by a forked child, and the switch to it.
 *
 * The AOF only grows; a rewrite replaces everything before a point in time
 * by a base holding the dataset at that point. BGREWRITEAOF, an automatic
 * rewrite (auto-aof-rewrite-percentage / -min-size) or CONFIG SET
 * appendonly yes start one (aofRewriteBackground):
 *
 *   1. the parent writes what it has buffered to the current incr file,
 *      then opens a new incr file and lists it in the manifest (persisted),
 *      so every command from now on lands in the new incr;
 *   2. it forks (childproc.c); the child writes the dataset, as it was at
 *      the fork, to temp-rewriteaof-bg-<pid>.aof in dir, fsyncs it, exits;
 *   3. serverCron reaps the child (aofRewriteDone): the temporary file is
 *      renamed into appenddirname as the next base, and a new manifest —
 *      that base plus the incr opened in step 1 — replaces the old one
 *      atomically (aof_manifest.c). The old base and the incr files the new
 *      base covers become history and are deleted.
 *
 * If anything fails, the old manifest still describes a complete AOF (old
 * base + all incrs, including the new one), so nothing is lost.
 *
 * When the AOF is turned on at runtime there is no AOF yet: the state is
 * AOF_WAIT_REWRITE, the commands after the fork go to a temporary incr file
 * (temp-<appendfilename>.incr) that becomes the first incr only when the
 * base is in place. A failed first rewrite is retried from serverCron.
 *
 * Base files are written and read through a format table (aofBaseFormat):
 * the command form here, and the RDB form (aof-use-rdb-preamble yes, the
 * default): a base that is an RDB file of its own, written and read by
 * rdb.c, as Redis 7.0 lays it out.
 *
 * The command form: per database a SELECT, then per key the commands that
 * rebuild it — SET for strings, RPUSH / SADD / ZADD / HMSET with at most
 * AOF_REWRITE_ITEMS_PER_CMD elements each for the collections, and a
 * PEXPIREAT for a key with a deadline.
 *
 * No file-scope state (the rewrite's state is in `aof`).
 */
#include "aof_internal.h"
#include "childproc.h"
#include "rdb.h"
#include "function.h"
#include "t_stream.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define AOF_REWRITE_ITEMS_PER_CMD 64
#define AOF_TEMP_INCR_PREFIX "temp-"

/* -------------------------------------------------------- the command form */

/* With aof-rewrite-incremental-fsync, the file is fsynced every this many
 * bytes, so the kernel never holds a big backlog of dirty pages. */
#define AOF_AUTOSYNC_BYTES (4 * 1024 * 1024)

/* A buffered writer over a FILE that remembers its first error. */
typedef struct aofOut {
    FILE *fp;
    int failed;
    size_t unsynced; /* bytes written since the last incremental fsync */
} aofOut;

static void outSyncIfDue(aofOut *o, size_t written) {
    o->unsynced += written;
    if (o->unsynced < AOF_AUTOSYNC_BYTES || !server.persist.aof_rewrite_incremental_fsync) return;
    o->unsynced = 0;
    if (fflush(o->fp) == EOF || fsync(fileno(o->fp)) == -1) o->failed = 1;
}

static void outBulk(aofOut *o, const char *p, size_t len) {
    if (fprintf(o->fp, "$%zu\r\n", len) < 0 || fwrite(p, 1, len, o->fp) != len || fwrite("\r\n", 1, 2, o->fp) != 2)
        o->failed = 1;
    outSyncIfDue(o, len + 16);
}

static void outBulkStr(aofOut *o, const char *s) {
    outBulk(o, s, strlen(s));
}

static void outBulkLongLong(aofOut *o, long long v) {
    char buf[32];
    int len = ll2string(buf, sizeof(buf), v);
    outBulk(o, buf, (size_t)len);
}

static void outArrayLen(aofOut *o, long n) {
    if (fprintf(o->fp, "*%ld\r\n", n) < 0) o->failed = 1;
}

static void outListpackEntry(aofOut *o, const listpackEntry *e) {
    if (e->sval)
        outBulk(o, (const char *)e->sval, e->slen);
    else
        outBulkLongLong(o, e->lval);
}

/* Starts a command of a collection: "<cmd> <key>" with up to the items
 * left (capped at AOF_REWRITE_ITEMS_PER_CMD), each taking per_item
 * arguments. */
static void outCollectionHeader(aofOut *o, const char *cmd, sds key, unsigned long left, int per_item) {
    unsigned long n = left > AOF_REWRITE_ITEMS_PER_CMD ? AOF_REWRITE_ITEMS_PER_CMD : left;
    outArrayLen(o, 2 + (long)n * per_item);
    outBulkStr(o, cmd);
    outBulk(o, key, sdslen(key));
}

static void rewriteString(aofOut *o, sds key, robj *val) {
    outArrayLen(o, 3);
    outBulkStr(o, "SET");
    outBulk(o, key, sdslen(key));
    robj *d = getDecodedObject(val);
    outBulk(o, d->ptr, sdslen(d->ptr));
    decrRefCount(d);
}

static void rewriteList(aofOut *o, sds key, robj *val) {
    unsigned long left = listTypeLength(val), in_cmd = 0;
    listTypeIterator *li = listTypeInitIterator(val, 0, LIST_TAIL);
    listTypeEntry entry;
    while (listTypeNext(li, &entry)) {
        if (in_cmd == 0) outCollectionHeader(o, "RPUSH", key, left, 1);
        robj *ele = listTypeGet(&entry);
        robj *d = getDecodedObject(ele);
        outBulk(o, d->ptr, sdslen(d->ptr));
        decrRefCount(d);
        decrRefCount(ele);
        left--;
        if (++in_cmd == AOF_REWRITE_ITEMS_PER_CMD) in_cmd = 0;
    }
    listTypeReleaseIterator(li);
}

static void rewriteSet(aofOut *o, sds key, robj *val) {
    unsigned long left = setTypeSize(val), in_cmd = 0;
    setTypeIterator *si = setTypeInitIterator(val);
    sds ele;
    while ((ele = setTypeNextObject(si)) != NULL) {
        if (in_cmd == 0) outCollectionHeader(o, "SADD", key, left, 1);
        outBulk(o, ele, sdslen(ele));
        sdsfree(ele);
        left--;
        if (++in_cmd == AOF_REWRITE_ITEMS_PER_CMD) in_cmd = 0;
    }
    setTypeReleaseIterator(si);
}

static void rewriteZset(aofOut *o, sds key, robj *val) {
    unsigned long left = zsetLength(val), in_cmd = 0;
    zsetIterator it;
    listpackEntry ele;
    double score;
    zsetIterInitRank(&it, val, 0, 0);
    while (left && zsetIterNext(&it, &ele, &score)) {
        if (in_cmd == 0) outCollectionHeader(o, "ZADD", key, left, 2);
        char buf[128];
        int len = d2string(buf, sizeof(buf), score);
        outBulk(o, buf, (size_t)len);
        outListpackEntry(o, &ele);
        left--;
        if (++in_cmd == AOF_REWRITE_ITEMS_PER_CMD) in_cmd = 0;
    }
}

static void outHashPart(aofOut *o, hashTypeIterator *hi, int what) {
    unsigned char *vstr = NULL;
    unsigned int vlen = 0;
    long long vll = 0;
    hashTypeCurrentObject(hi, what, &vstr, &vlen, &vll);
    if (vstr)
        outBulk(o, (const char *)vstr, vlen);
    else
        outBulkLongLong(o, vll);
}

static void rewriteHash(aofOut *o, sds key, robj *val) {
    unsigned long left = hashTypeLength(val), in_cmd = 0;
    hashTypeIterator hi;
    hashTypeInitIterator(&hi, val);
    while (hashTypeNext(&hi) != C_ERR) {
        if (in_cmd == 0) outCollectionHeader(o, "HMSET", key, left, 2);
        outHashPart(o, &hi, OBJ_HASH_KEY);
        outHashPart(o, &hi, OBJ_HASH_VALUE);
        left--;
        if (++in_cmd == AOF_REWRITE_ITEMS_PER_CMD) in_cmd = 0;
    }
    hashTypeReleaseIterator(&hi);
}

static void outStreamID(aofOut *o, const streamID *id) {
    char buf[48];
    int n = snprintf(buf, sizeof(buf), "%llu-%llu", (unsigned long long)id->ms, (unsigned long long)id->seq);
    outBulk(o, buf, (size_t)n);
}

/* One group as Redis 7.0 rewrites it: XGROUP CREATE at its last ID with
 * its read counter, an XCLAIM ... FORCE per pending entry (which also
 * creates the consumers owning them), then XGROUP CREATECONSUMER for the
 * consumers with nothing pending. */
static void rewriteStreamGroup(aofOut *o, sds key, const unsigned char *name, size_t namelen, streamCG *cg) {
    outArrayLen(o, 7);
    outBulkStr(o, "XGROUP");
    outBulkStr(o, "CREATE");
    outBulk(o, key, sdslen(key));
    outBulk(o, (const char *)name, namelen);
    outStreamID(o, &cg->last_id);
    outBulkStr(o, "ENTRIESREAD");
    outBulkLongLong(o, cg->entries_read);
    raxIterator ri;
    raxStart(&ri, cg->pel);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) {
        streamNACK *nack = ri.data;
        streamID id;
        streamDecodeID(ri.key, &id);
        outArrayLen(o, 12);
        outBulkStr(o, "XCLAIM");
        outBulk(o, key, sdslen(key));
        outBulk(o, (const char *)name, namelen);
        outBulk(o, nack->consumer->name, sdslen(nack->consumer->name));
        outBulkStr(o, "0");
        outStreamID(o, &id);
        outBulkStr(o, "TIME");
        outBulkLongLong(o, nack->delivery_time);
        outBulkStr(o, "RETRYCOUNT");
        outBulkLongLong(o, (long long)nack->delivery_count);
        outBulkStr(o, "JUSTID");
        outBulkStr(o, "FORCE");
    }
    raxStop(&ri);
    raxStart(&ri, cg->consumers);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) {
        streamConsumer *consumer = ri.data;
        if (raxSize(consumer->pel)) continue;
        outArrayLen(o, 5);
        outBulkStr(o, "XGROUP");
        outBulkStr(o, "CREATECONSUMER");
        outBulk(o, key, sdslen(key));
        outBulk(o, (const char *)name, namelen);
        outBulk(o, consumer->name, sdslen(consumer->name));
    }
    raxStop(&ri);
}

/* A stream as one XADD per entry (an empty stream as an XADD trimmed to
 * nothing, which sets its last ID), then XSETID for the figures XADD alone
 * cannot restore, then its consumer groups. */
static void rewriteStream(aofOut *o, sds key, robj *val) {
    stream *s = val->ptr;
    if (s->length == 0) {
        outArrayLen(o, 7);
        outBulkStr(o, "XADD");
        outBulk(o, key, sdslen(key));
        outBulkStr(o, "MAXLEN");
        outBulkStr(o, "0");
        outStreamID(o, &s->last_id);
        outBulkStr(o, "x");
        outBulkStr(o, "y");
    }
    streamIterator si;
    streamIteratorStart(&si, s, NULL, NULL, 0);
    streamID id;
    int64_t numfields;
    while (streamIteratorGetID(&si, &id, &numfields)) {
        outArrayLen(o, 3 + 2 * numfields);
        outBulkStr(o, "XADD");
        outBulk(o, key, sdslen(key));
        outStreamID(o, &id);
        for (int64_t j = 0; j < numfields; j++) {
            unsigned char *f, *v;
            int64_t flen, vlen;
            streamIteratorGetField(&si, &f, &v, &flen, &vlen);
            outBulk(o, (const char *)f, (size_t)flen);
            outBulk(o, (const char *)v, (size_t)vlen);
        }
    }
    streamIteratorStop(&si);
    outArrayLen(o, 7);
    outBulkStr(o, "XSETID");
    outBulk(o, key, sdslen(key));
    outStreamID(o, &s->last_id);
    outBulkStr(o, "ENTRIESADDED");
    outBulkLongLong(o, (long long)s->entries_added);
    outBulkStr(o, "MAXDELETEDID");
    outStreamID(o, &s->max_deleted_entry_id);
    if (s->cgroups == NULL) return;
    raxIterator ri;
    raxStart(&ri, s->cgroups);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) rewriteStreamGroup(o, key, ri.key, ri.key_len, ri.data);
    raxStop(&ri);
}

/* State of one database's walk. */
typedef struct rewriteWalk {
    aofOut *out;
    size_t keys;
    void (*progress)(size_t keys);
} rewriteWalk;

static void rewriteKey(void *priv, sds key, robj *val, long long expire) {
    rewriteWalk *w = priv;
    aofOut *o = w->out;
    switch (val->type) {
    case OBJ_STRING: rewriteString(o, key, val); break;
    case OBJ_LIST: rewriteList(o, key, val); break;
    case OBJ_SET: rewriteSet(o, key, val); break;
    case OBJ_ZSET: rewriteZset(o, key, val); break;
    case OBJ_HASH: rewriteHash(o, key, val); break;
    case OBJ_STREAM: rewriteStream(o, key, val); break;
    default: serverPanic("Unknown object type in the AOF rewrite");
    }
    if (expire != -1) {
        outArrayLen(o, 3);
        outBulkStr(o, "PEXPIREAT");
        outBulk(o, key, sdslen(key));
        outBulkLongLong(o, expire);
    }
    if (++w->keys % 1024 == 0 && w->progress) w->progress(w->keys);
    /* rdb-key-save-delay slows rewrites too, as in Redis (tests use it). */
    if (server.persist.rdb_key_save_delay > 0) usleep((useconds_t)server.persist.rdb_key_save_delay);
}

/* FUNCTION LOAD <code> for one library. */
static void rewriteLibrary(void *priv, functionLibInfo *lib) {
    aofOut *o = priv;
    outArrayLen(o, 3);
    outBulkStr(o, "FUNCTION");
    outBulkStr(o, "LOAD");
    outBulk(o, lib->code, sdslen(lib->code));
}

/* Writes the dataset as commands to path, fsynced. progress, when not
 * NULL, is told the number of keys written now and then. */
static int writeCommandBase(const char *path, void (*progress)(size_t keys)) {
    FILE *fp = fopen(path, "w");
    if (fp == NULL) {
        serverLog(LL_WARNING, "Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): %s",
                  strerror(errno));
        return C_ERR;
    }
    aofOut out = {fp, 0, 0};
    rewriteWalk walk = {&out, 0, progress};
    functionsForEachLibrary(rewriteLibrary, &out);
    for (int j = 0; j < server.dbnum && !out.failed; j++) {
        if (dbSize(&server.db[j]) == 0) continue;
        outArrayLen(&out, 2);
        outBulkStr(&out, "SELECT");
        outBulkLongLong(&out, j);
        dbForEachKey(&server.db[j], rewriteKey, &walk);
    }
    int err = 0;
    if (out.failed || fflush(fp) == EOF || fsync(fileno(fp)) == -1) err = errno ? errno : EIO;
    if (fclose(fp) == EOF && !err) err = errno;
    if (err) {
        serverLog(LL_WARNING, "Write error writing append only file on disk: %s", strerror(err));
        unlink(path);
        return C_ERR;
    }
    return C_OK;
}

/* ---------------------------------------------------------- base formats */

/* The RDB form: the base is an RDB file of its own (aof-base 1 in its aux
 * fields; expired keys kept, the incr files that follow delete them). */
static int writeRdbBase(const char *path, void (*progress)(size_t keys)) {
    (void)progress; /* the RDB writer reports its own progress to the parent */
    return rdbSave(path, RDBFLAGS_AOF_PREAMBLE);
}

static const aofBaseFormat command_format = {"aof", writeCommandBase};
static const aofBaseFormat rdb_format = {"rdb", writeRdbBase};

const aofBaseFormat *aofBaseWriteFormat(void) {
    return server.persist.aof_use_rdb_preamble ? &rdb_format : &command_format;
}

/* ------------------------------------------------------------- the child */

static sds tempBasePath(pid_t pid) {
    return sdscatprintf(sdsempty(), "temp-rewriteaof-bg-%d.aof", (int)pid);
}

static sds tempIncrName(void) {
    return sdscatprintf(sdsempty(), AOF_TEMP_INCR_PREFIX "%s.incr", server.persist.aof_filename);
}

static size_t totalKeys(void) {
    size_t n = 0;
    for (int j = 0; j < server.dbnum; j++) n += dbSize(&server.db[j]);
    return n;
}

static void rewriteChildMain(void) {
    const aofBaseFormat *fmt = aofBaseWriteFormat();
    sds tmp = tempBasePath(getpid());
    if (fmt->write(tmp, childReportProgress) == C_ERR) childExit(1);
    serverLog(LL_NOTICE, "Successfully created the temporary AOF base file %s", tmp);
    childExit(0);
}

/* ------------------------------------------------------------- the parent */

/* Makes the manifest of the files on disk the one in memory (after a
 * restart with appendonly no, or a fresh start). */
static aofManifest *currentManifest(void) {
    if (aof.manifest == NULL) {
        int failed = 0;
        aof.manifest = aofManifestRead(&failed);
        if (aof.manifest == NULL) aof.manifest = aofManifestCreate();
    }
    return aof.manifest;
}

/* Step 1: where the commands after the fork go. */
static int openRewriteIncr(void) {
    aofManifest *am = currentManifest();
    if (aof.state == AOF_OFF) return C_OK;
    aofFlush(1);
    const char *name;
    sds tname = NULL;
    if (aof.state == AOF_WAIT_REWRITE) {
        tname = tempIncrName();
        sds path = aofFilePath(tname);
        unlink(path);
        sdsfree(path);
        name = tname;
    } else {
        name = aofManifestNewIncr(am);
        if (aofManifestPersist(am) == C_ERR) {
            aofManifestDropLastIncr(am);
            return C_ERR;
        }
    }
    int fd = aofOpenForAppend(name);
    if (fd == -1) {
        if (aof.state == AOF_ON) aofManifestDropLastIncr(am);
        sdsfree(tname);
        return C_ERR;
    }
    if (aof.state == AOF_ON) serverLog(LL_NOTICE, "Creating AOF incr file %s on background rewrite", name);
    sdsfree(tname);
    aofSwitchFd(fd);
    aofStartConsuming();
    sdsclear(aof.buf);
    return C_OK;
}

static void aofRewriteDone(const childResult *res);

int aofRewriteBackground(void) {
    if (childActive()) return C_ERR;
    if (aofEnsureDirectory() == C_ERR) return C_ERR;
    if (openRewriteIncr() == C_ERR) {
        aof.last_bgrewrite_status = C_ERR;
        return C_ERR;
    }
    pid_t pid = childFork(CHILD_TYPE_AOF, "redis-aof-rewrite", totalKeys(), aofRewriteDone);
    if (pid == 0) rewriteChildMain();
    if (pid == -1) {
        serverLog(LL_WARNING, "Can't rewrite append only file in background: fork: %s", strerror(errno));
        aof.last_bgrewrite_status = C_ERR;
        return C_ERR;
    }
    serverLog(LL_NOTICE, "Background append only file rewriting started by pid %ld", (long)pid);
    aof.rewrites++;
    aof.rewrite_scheduled = 0;
    aof.rewrite_start = server.unixtime;
    return C_OK;
}

/* Step 3 on success: the new base and manifest. C_ERR, logged, when the
 * switch could not be made (the old manifest then still stands). */
static int installRewrite(pid_t pid) {
    const aofBaseFormat *fmt = aofBaseWriteFormat();
    aofManifest *am = aofManifestDup(currentManifest());
    const char *base = aofManifestNewBase(am, fmt->ext);
    sds tmp = tempBasePath(pid), dst = aofFilePath(base);
    int rc = C_ERR;
    if (rename(tmp, dst) == -1) {
        serverLog(LL_WARNING, "Error trying to rename the temporary AOF base file %s into %s: %s", tmp, base,
                  strerror(errno));
        goto done;
    }
    serverLog(LL_NOTICE, "Successfully renamed the temporary AOF base file %s into %s", tmp, base);
    /* The incr opened at the start of the rewrite stays; older ones are covered. */
    aofFileEntry *keep = NULL;
    if (aof.state == AOF_ON && listLength(am->incrs)) {
        listNode *last = listLast(am->incrs);
        keep = listNodeValue(last);
        last->value = NULL;
        listDelNode(am->incrs, last);
    }
    aofManifestIncrsToHistory(am);
    if (keep) listAddNodeTail(am->incrs, keep);
    if (aof.state == AOF_WAIT_REWRITE) {
        sds tname = tempIncrName(), tpath = aofFilePath(tname);
        const char *incr = aofManifestNewIncr(am);
        sds ipath = aofFilePath(incr);
        int ok = rename(tpath, ipath) == 0;
        if (ok) serverLog(LL_NOTICE, "Successfully renamed the temporary AOF incr file %s into %s", tname, incr);
        else serverLog(LL_WARNING, "Error trying to rename the temporary AOF incr file %s into %s: %s", tname, incr,
                       strerror(errno));
        sdsfree(tname);
        sdsfree(tpath);
        sdsfree(ipath);
        if (!ok) goto undo;
    }
    if (aofManifestPersist(am) == C_ERR) goto undo;
    aofManifestFree(aof.manifest);
    aof.manifest = am;
    am = NULL;
    rc = C_OK;
    goto done;
undo:
    unlink(dst);
done:
    aofManifestFree(am);
    sdsfree(tmp);
    sdsfree(dst);
    return rc;
}

static void rewriteSucceeded(pid_t pid) {
    serverLog(LL_NOTICE, "Background AOF rewrite terminated with success");
    if (installRewrite(pid) == C_ERR) {
        aof.last_bgrewrite_status = C_ERR;
        aof.rewrites_failed++;
        return;
    }
    if (aof.state == AOF_WAIT_REWRITE) aof.state = AOF_ON;
    aof.current_size = aofManifestTotalSize(aof.manifest);
    aof.base_size = aof.current_size;
    aofDeleteHistoryFiles(aof.manifest);
    aof.last_bgrewrite_status = C_OK;
    aof.rewrites_failed = 0;
    serverLog(LL_NOTICE, "Background AOF rewrite finished successfully");
}

/* A first rewrite (AOF_WAIT_REWRITE) that did not make it: its temp incr
 * is thrown away, and a new attempt scheduled. */
static void abandonWaitingIncr(void) {
    if (aof.state != AOF_WAIT_REWRITE) return;
    aofStopConsuming();
    aofSwitchFd(-1);
    sdsclear(aof.buf);
    sds tname = tempIncrName(), tpath = aofFilePath(tname);
    unlink(tpath);
    sdsfree(tname);
    sdsfree(tpath);
    aof.rewrite_scheduled = 1;
}

static void aofRewriteDone(const childResult *res) {
    int killed = res->exitcode == CHILD_EXIT_KILLED || res->bysignal == SIGUSR1;
    aof.last_cow_size = res->cow_bytes;
    aof.last_rewrite_time = res->duration_ms / 1000;
    aof.rewrite_start = -1;
    if (res->exitcode == 0 && res->bysignal == 0) {
        rewriteSucceeded(res->pid);
    } else if (killed) {
        serverLog(LL_WARNING, "Background AOF rewrite terminated by signal %d", SIGUSR1);
    } else {
        if (res->bysignal)
            serverLog(LL_WARNING, "Background AOF rewrite terminated by signal %d", res->bysignal);
        else
            serverLog(LL_WARNING, "Background AOF rewrite terminated with error");
        aof.last_bgrewrite_status = C_ERR;
        aof.rewrites_failed++;
    }
    sds tmp = tempBasePath(res->pid);
    unlink(tmp);
    sdsfree(tmp);
    if (aof.state == AOF_WAIT_REWRITE) abandonWaitingIncr();
}

int aofRewriteInProgress(void) {
    return childRunningType() == CHILD_TYPE_AOF;
}

void aofKillRewriteChild(void) {
    if (!aofRewriteInProgress()) return;
    serverLog(LL_NOTICE, "Killing running AOF rewrite child: %ld", (long)childRunningPid());
    childKill();
}

int aofStartAtRuntime(void) {
    if (aofEnsureDirectory() == C_ERR) return C_ERR;
    aof.state = AOF_WAIT_REWRITE;
    if (childActive() && !aofRewriteInProgress()) {
        aof.rewrite_scheduled = 1;
        serverLog(LL_NOTICE, "AOF was enabled but there is already another background operation. An AOF "
                             "background was scheduled to start when possible.");
        return C_OK;
    }
    if (aofRewriteInProgress()) {
        serverLog(LL_NOTICE, "AOF was enabled but there is already an AOF rewriting in background. Stopping "
                             "background AOF and starting a rewrite now.");
        aofKillRewriteChild();
    }
    if (aofRewriteBackground() == C_ERR) {
        aof.state = AOF_OFF;
        serverLog(LL_WARNING, "Redis needs to enable the AOF but can't trigger a background AOF rewrite "
                              "operation. Check the above logs for more info about the error.");
        return C_ERR;
    }
    aof.last_fsync = server.unixtime;
    return C_OK;
}

void aofRewriteCron(void) {
    if (childActive()) return;
    if (aof.rewrite_scheduled) {
        aofRewriteBackground();
        return;
    }
    if (aof.state != AOF_ON || server.persist.aof_rewrite_perc == 0 ||
        aof.current_size <= server.persist.aof_rewrite_min_size)
        return;
    long long base = aof.base_size ? aof.base_size : 1;
    long long growth = (long long)aof.current_size * 100 / base - 100;
    if (growth < server.persist.aof_rewrite_perc) return;
    serverLog(LL_NOTICE, "Starting automatic rewriting of AOF on %lld%% growth", growth);
    aofRewriteBackground();
}

void bgrewriteaofCommand(client *c) {
    if (aofRewriteInProgress()) {
        addReplyError(c, "Background append only file rewriting already in progress");
    } else if (childActive()) {
        aof.rewrite_scheduled = 1;
        addReplyStatus(c, "Background append only file rewriting scheduled");
    } else if (aofRewriteBackground() == C_OK) {
        addReplyStatus(c, "Background append only file rewriting started");
    } else {
        addReplyError(c, "Can't execute an AOF background rewriting. Please check the server logs for more "
                         "information.");
    }
}
