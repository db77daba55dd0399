/* aof_load.c — reading the append-only file back at start-up.
 *
 * With appendonly yes the AOF, not dump.rdb, is the dataset. Start-up
 * (aofLoadAtStartup) finds the manifest in appenddirname — or, the first
 * time a Redis 6-style single "appendonly.aof" in dir is met, moves it into
 * the directory as the base of a new manifest, as Redis 7.0 does — then
 * replays the base and every incremental file in order, creates what is
 * missing (a base for a fresh AOF, an incr file to append to), and starts
 * consuming the propagation stream.
 *
 * A file of commands is replayed through a fake client: each RESP array is
 * looked up in the command table and run inside a propagation frame, as
 * call() would, but without the statistics of a client command. A MULTI
 * queues what follows until EXEC, so a transaction is applied whole.
 * "#..." lines are annotations (aof-timestamp-enabled) and are skipped.
 *
 * What a crash can leave is a torn tail in the last file: a command cut
 * short, or a MULTI without its EXEC. With aof-load-truncated yes (the
 * default) the file is cut back to the end of the last complete command
 * (or to just before the unfinished MULTI) and loading goes on, logged;
 * otherwise start-up fails. Anything else — bytes that are not RESP, a
 * torn file that is not the last one, an unknown command — refuses to
 * start with a message naming the file and the offset.
 *
 * A base file that starts with "REDIS" has an RDB preamble: it is loaded
 * by the RDB row of the base format table (aof_rewrite.c), whatever its
 * name says.
 *
 * No file-scope state.
 */
#include "aof_internal.h"
#include "loading.h"
#include "rdb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define AOF_READ_LINE_MAX 128

/* The reading state of one file. */
typedef struct aofReader {
    const char *name;
    FILE *fp;
    client *fake;
    off_t valid_up_to;        /* end of the last complete command */
    off_t valid_before_multi; /* where the open MULTI started */
    const char *fail;         /* NULL, or what went wrong */
} aofReader;

/* ------------------------------------------------------------ commands */

/* Runs the fake client's argv as the loader does: a MULTI opens the
 * queue, commands inside it are queued, EXEC runs them. */
static void runLoadedCommand(client *c, struct redisCommand *cmd) {
    c->cmd = c->lastcmd = c->realcmd = cmd;
    if ((c->flags & CLIENT_MULTI) && cmd->proc != execCommand && cmd->proc != multiCommand) {
        queueMultiCommand(c);
        return;
    }
    propagationFrame frame;
    client *prev = server.current_client;
    server.current_client = c;
    propagateCallBegin(&frame, c);
    c->flags |= CLIENT_EXECUTING_COMMAND;
    cmd->proc(c);
    c->flags &= ~CLIENT_EXECUTING_COMMAND;
    propagateCallEnd(&frame);
    server.current_client = prev;
}

/* Reads a "<prefix><number>\r\n" line. 1 with *val set, 0 at the end of
 * the file (torn), -1 when the line is not of that form. */
static int readHeader(aofReader *r, char prefix, long long *val) {
    char buf[AOF_READ_LINE_MAX];
    if (fgets(buf, sizeof(buf), r->fp) == NULL) return 0;
    size_t len = strlen(buf);
    if (len == 0 || buf[len - 1] != '\n') return feof(r->fp) ? 0 : -1;
    if (buf[0] != prefix) return -1;
    char *end;
    errno = 0;
    *val = strtoll(buf + 1, &end, 10);
    if (errno || end == buf + 1 || (*end != '\r' && *end != '\n')) return -1;
    return 1;
}

/* Reads one command into c->argv. 1 when read, 0 at a clean end of file,
 * -2 when torn, -1 when malformed. */
static int readCommand(aofReader *r, client *c) {
    int ch = fgetc(r->fp);
    if (ch == EOF) return 0;
    while (ch == '#') { /* an annotation line */
        char buf[AOF_READ_LINE_MAX];
        do {
            if (fgets(buf, sizeof(buf), r->fp) == NULL) return 0; /* an unended last annotation */
        } while (buf[strlen(buf) - 1] != '\n');
        r->valid_up_to = ftello(r->fp);
        if ((ch = fgetc(r->fp)) == EOF) return 0;
    }
    ungetc(ch, r->fp);
    long long argc, len;
    int rc = readHeader(r, '*', &argc);
    if (rc <= 0) return rc == 0 ? -2 : -1;
    if (argc < 1 || argc > INT_MAX / 2) return -1;
    if (c->argv_len < argc) {
        c->argv = zrealloc(c->argv, sizeof(robj *) * (size_t)argc);
        c->argv_len = (int)argc;
    }
    for (int j = 0; j < argc; j++) {
        rc = readHeader(r, '$', &len);
        if (rc <= 0 || len < 0 || len > server.limits.proto_max_bulk_len) {
            freeClientArgv(c);
            return rc == 0 ? -2 : -1;
        }
        sds arg = sdsnewlen(NULL, (size_t)len + 2);
        if (fread(arg, 1, (size_t)len + 2, r->fp) != (size_t)len + 2) {
            sdsfree(arg);
            freeClientArgv(c);
            return -2;
        }
        sdssetlen(arg, (size_t)len);
        arg[len] = '\0';
        c->argv[c->argc++] = createObject(OBJ_STRING, arg);
    }
    return 1;
}

/* Cuts a torn tail (aof-load-truncated). 1 when cut and loading goes on. */
static int handleTornTail(aofReader *r, int last) {
    sds path = aofFilePath(r->name);
    int ok = 0;
    if (!server.persist.aof_load_truncated) {
        serverLog(LL_WARNING,
                  "Unexpected end of file reading the append only file %s. You can: 1) Make a backup of your AOF "
                  "file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the "
                  "'aof-load-truncated' configuration option to yes and restart the server.",
                  r->name);
    } else if (!last) {
        serverLog(LL_WARNING, "Fatal error: the truncated file %s is not the last file of the AOF", r->name);
    } else {
        serverLog(LL_WARNING, "!!! Warning: short read while loading the AOF file %s!!!", r->name);
        serverLog(LL_WARNING, "!!! Truncating the AOF %s at offset %lld !!!", r->name, (long long)r->valid_up_to);
        if (truncate(path, r->valid_up_to) == -1) {
            serverLog(LL_WARNING, "Error truncating the AOF file %s: %s", r->name, strerror(errno));
        } else {
            serverLog(LL_WARNING, "AOF %s loaded anyway because aof-load-truncated is enabled", r->name);
            ok = 1;
        }
    }
    sdsfree(path);
    return ok;
}

/* Replays every command of r. AOF_LOAD_OK, _TRUNCATED or _FAILED. */
static int replayCommands(aofReader *r, int last) {
    client *c = r->fake;
    int rc;
    while ((rc = readCommand(r, c)) == 1) {
        struct redisCommand *cmd = lookupCommand(c->argv, c->argc);
        if (cmd == NULL) {
            serverLog(LL_WARNING, "Unknown command '%s' reading the append only file %s at offset %lld",
                      (char *)c->argv[0]->ptr, r->name, (long long)r->valid_up_to);
            return AOF_LOAD_FAILED;
        }
        if (cmd->proc == multiCommand) r->valid_before_multi = r->valid_up_to;
        runLoadedCommand(c, cmd);
        freeClientArgv(c);
        if (server.persist.key_load_delay > 0) usleep((useconds_t)server.persist.key_load_delay);
        off_t pos = ftello(r->fp);
        loadingAdvance(pos - r->valid_up_to);
        r->valid_up_to = pos;
    }
    if (rc == -1) {
        serverLog(LL_WARNING,
                  "Bad file format reading the append only file %s: make a backup of your AOF file, then use "
                  "./redis-check-aof --fix <filename.manifest>",
                  r->name);
        serverLog(LL_WARNING, "The bad data in %s starts after offset %lld", r->name, (long long)r->valid_up_to);
        return AOF_LOAD_FAILED;
    }
    if (rc == 0 && !(c->flags & CLIENT_MULTI)) return AOF_LOAD_OK;
    if (c->flags & CLIENT_MULTI) {
        serverLog(LL_WARNING, "Revert incomplete MULTI/EXEC transaction in AOF file %s", r->name);
        r->valid_up_to = r->valid_before_multi;
    }
    return handleTornTail(r, last) ? AOF_LOAD_TRUNCATED : AOF_LOAD_FAILED;
}

int aofLoadCommandFile(const char *name, int last) {
    sds path = aofFilePath(name);
    FILE *fp = fopen(path, "r");
    sdsfree(path);
    if (fp == NULL) {
        serverLog(LL_WARNING, "Fatal error: can't open the append log file %s for reading: %s", name,
                  strerror(errno));
        return AOF_LOAD_FAILED;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && st.st_size == 0) {
        fclose(fp);
        return AOF_LOAD_EMPTY;
    }
    char magic[5];
    size_t got = fread(magic, 1, sizeof(magic), fp);
    rewind(fp);
    if (got == sizeof(magic) && !memcmp(magic, "REDIS", 5)) {
        /* An RDB base, or the RDB preamble of an old single file, which
         * commands may follow. */
        rdbLoadInfo info;
        if (rdbLoadFile(fp, RDBFLAGS_AOF_PREAMBLE, &info) != C_OK) {
            serverLog(LL_WARNING, "Fatal error: can't load the RDB preamble of the AOF file %s", name);
            fclose(fp);
            return AOF_LOAD_FAILED;
        }
        if (ftello(fp) == st.st_size) {
            fclose(fp);
            return AOF_LOAD_OK;
        }
        serverLog(LL_NOTICE, "Reading the remaining AOF tail...");
    }
    aofReader r = {.name = name, .fp = fp, .fake = createClient(NULL), .valid_up_to = ftello(fp)};
    int rc = replayCommands(&r, last);
    freeClient(r.fake);
    fclose(fp);
    return rc;
}

/* ---------------------------------------------------------- the manifest */

int aofLoadManifestFiles(aofManifest *am) {
    int total = (am->base ? 1 : 0) + (int)listLength(am->incrs), n = 0, loaded = 0;
    listIter li;
    listNode *ln;
    if (am->base) {
        long long start = ustime();
        int rc = aofLoadCommandFile(am->base->name, ++n == total);
        if (rc == AOF_LOAD_FAILED) return AOF_LOAD_FAILED;
        if (rc != AOF_LOAD_EMPTY) loaded = 1;
        serverLog(LL_NOTICE, "DB loaded from base file %s: %.3f seconds", am->base->name,
                  (double)(ustime() - start) / 1000000);
    }
    listRewind(am->incrs, &li);
    while ((ln = listNext(&li))) {
        aofFileEntry *e = listNodeValue(ln);
        long long start = ustime();
        int rc = aofLoadCommandFile(e->name, ++n == total);
        if (rc == AOF_LOAD_FAILED) return AOF_LOAD_FAILED;
        if (rc == AOF_LOAD_EMPTY) continue; /* as Redis: an empty incr is not logged */
        loaded = 1;
        serverLog(LL_NOTICE, "DB loaded from incr file %s: %.3f seconds", e->name,
                  (double)(ustime() - start) / 1000000);
    }
    return loaded ? AOF_LOAD_OK : AOF_LOAD_EMPTY;
}

/* ---------------------------------------------------------------- start-up */

static int fileExists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A Redis 6-style appendonly.aof in dir becomes the base of a new
 * manifest: the manifest is written first, then the file moved, so a crash
 * in between is finished by movePendingUpgrade at the next start. */
static aofManifest *upgradeOldAof(void) {
    aofManifest *am = aofManifestCreate();
    am->base = zcalloc(sizeof(aofFileEntry));
    am->base->name = sdsnew(server.persist.aof_filename);
    am->base->seq = am->base_seq = 1;
    am->base->type = AOF_FILE_BASE;
    if (aofManifestPersist(am) == C_ERR) exit(1);
    return am;
}

/* The base named like the old single file is still in dir: move it in. */
static void movePendingUpgrade(aofManifest *am) {
    if (am->base == NULL || strcmp(am->base->name, server.persist.aof_filename)) return;
    sds inside = aofFilePath(am->base->name);
    if (!fileExists(inside) && fileExists(server.persist.aof_filename)) {
        if (rename(server.persist.aof_filename, inside) == -1) {
            serverLog(LL_WARNING, "Error trying to move the old AOF file %s into dir %s: %s",
                      server.persist.aof_filename, server.persist.aof_dirname, strerror(errno));
            exit(1);
        }
        serverLog(LL_NOTICE, "Successfully migrated an old-style AOF file (%s) into the AOF directory (%s).",
                  server.persist.aof_filename, server.persist.aof_dirname);
    }
    sdsfree(inside);
}

/* Creates the first base of a fresh AOF (the dataset is empty). */
static void createStartupBase(aofManifest *am) {
    const aofBaseFormat *fmt = aofBaseWriteFormat();
    const char *name = aofManifestNewBase(am, fmt->ext);
    sds path = aofFilePath(name);
    if (fmt->write(path, NULL) == C_ERR) {
        serverLog(LL_WARNING, "Can't create the AOF base file %s on server start", name);
        exit(1);
    }
    sdsfree(path);
    serverLog(LL_NOTICE, "Creating AOF base file %s on server start", name);
}

/* Opens the last incr file, creating one when there is none. */
static void openStartupIncr(aofManifest *am) {
    const char *name;
    if (listLength(am->incrs)) {
        name = ((aofFileEntry *)listNodeValue(listLast(am->incrs)))->name;
        serverLog(LL_NOTICE, "Opening AOF incr file %s on server start", name);
    } else {
        name = aofManifestNewIncr(am);
        serverLog(LL_NOTICE, "Creating AOF incr file %s on server start", name);
    }
    int fd = aofOpenForAppend(name);
    if (fd == -1) exit(1);
    aofSwitchFd(fd);
    aof.last_incr_size = aof.fsynced_size = aofFileSize(name);
}

void aofLoadAtStartup(void) {
    if (!server.persist.aof_enabled) return;
    if (aofEnsureDirectory() == C_ERR) exit(1);
    int failed = 0;
    aofManifest *am = aofManifestRead(&failed);
    if (failed) exit(1);
    if (am == NULL && fileExists(server.persist.aof_filename)) am = upgradeOldAof();
    int fresh = am == NULL;
    if (fresh) am = aofManifestCreate();
    movePendingUpgrade(am);
    if (!fresh) {
        long long start = ustime();
        loadingBegin(aofManifestTotalSize(am));
        int rc = aofLoadManifestFiles(am);
        loadingEnd();
        if (rc == AOF_LOAD_FAILED) exit(1);
        if (rc != AOF_LOAD_EMPTY)
            serverLog(LL_NOTICE, "DB loaded from append only file: %.3f seconds", (double)(ustime() - start) / 1000000);
    }
    if (am->base == NULL && listLength(am->incrs) == 0) createStartupBase(am);
    aof.manifest = am;
    openStartupIncr(am);
    if (aofManifestPersist(am) == C_ERR) exit(1);
    aofDeleteHistoryFiles(am);
    aof.current_size = aof.base_size = aofManifestTotalSize(am);
    aof.last_fsync = server.unixtime;
    aof.state = AOF_ON;
    aofStartConsuming();
}

/* ------------------------------------------------------------ DEBUG LOADAOF */

int aofDebugReload(void) {
    if (aof.state != AOF_ON || aof.manifest == NULL) return C_ERR;
    aofFlush(1);
    emptyData(-1);
    int was_loading = server.persist.loading;
    server.persist.loading = 1; /* the replayed commands are not appended again */
    int rc = aofLoadManifestFiles(aof.manifest);
    server.persist.loading = was_loading;
    if (rc == AOF_LOAD_FAILED) {
        serverLog(LL_WARNING, "DEBUG LOADAOF could not load the append only file: exiting");
        exit(1);
    }
    server.dirty = 0;
    serverLog(LL_WARNING, "Append Only File loaded by DEBUG LOADAOF");
    return C_OK;
}
