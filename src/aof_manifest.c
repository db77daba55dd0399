/* aof_manifest.c — which files make the append-only file, and where.
 *
 * Redis 7.0 splits the AOF into parts inside the directory appenddirname
 * (under dir): one base file holding the dataset as it was at the last
 * rewrite, then incremental files holding the commands since, oldest
 * first. A manifest file, "<appendfilename>.manifest", lists them, one
 * line each:
 *
 *     file appendonly.aof.2.base.aof seq 2 type b
 *     file appendonly.aof.2.incr.aof seq 2 type i
 *
 * Type b is the base, i an incremental file, h a file of the past that is
 * no longer part of the AOF and is to be deleted. Bases are named
 * "<appendfilename>.<seq>.base.aof" (".rdb" with an RDB preamble), incr
 * files "<appendfilename>.<seq>.incr.aof". A name with spaces or quotes is
 * written quoted, as Redis does; lines starting with '#' are comments.
 *
 * The manifest is the commit point of every change of the file set: a
 * new version is written to a temporary file, fsynced, renamed over the old
 * one and the directory fsynced, so after a crash either the old or the
 * new set is the AOF, never a mix. Files are created before the manifest
 * names them and deleted only after it stopped naming them.
 *
 * This file keeps the manifest in memory (aofManifest), parses and formats
 * it, persists it, and deletes history files. It has no state of its own.
 */
#include "aof_internal.h"
#include "bio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Lines longer than this are not a manifest (Redis has the same limit). */
#define AOF_MANIFEST_MAX_LINE 1024

static aofFileEntry *entryCreate(const char *name, long long seq, char type) {
    aofFileEntry *e = zmalloc(sizeof(*e));
    e->name = sdsnew(name);
    e->seq = seq;
    e->type = type;
    return e;
}

static void entryFree(void *p) {
    aofFileEntry *e = p;
    if (e == NULL) return;
    sdsfree(e->name);
    zfree(e);
}

static void *entryDup(void *p) {
    aofFileEntry *e = p;
    return entryCreate(e->name, e->seq, e->type);
}

aofManifest *aofManifestCreate(void) {
    aofManifest *am = zcalloc(sizeof(*am));
    am->incrs = listCreate();
    am->history = listCreate();
    listSetFreeMethod(am->incrs, entryFree);
    listSetFreeMethod(am->history, entryFree);
    listSetDupMethod(am->incrs, entryDup);
    listSetDupMethod(am->history, entryDup);
    return am;
}

void aofManifestFree(aofManifest *am) {
    if (am == NULL) return;
    entryFree(am->base);
    listRelease(am->incrs);
    listRelease(am->history);
    zfree(am);
}

aofManifest *aofManifestDup(aofManifest *am) {
    aofManifest *copy = zcalloc(sizeof(*copy));
    copy->base = am->base ? entryDup(am->base) : NULL;
    copy->incrs = listDup(am->incrs);
    copy->history = listDup(am->history);
    copy->base_seq = am->base_seq;
    copy->incr_seq = am->incr_seq;
    return copy;
}

/* ---------------------------------------------------------------- parse */

/* Fills name/seq/type from one line's key-value pairs; 0 when a pair is
 * missing or malformed. */
static int parseEntryLine(sds *argv, int argc, sds *name, long long *seq, char *type) {
    if (argc < 6 || argc % 2) return 0;
    *name = NULL;
    *seq = -1;
    *type = 0;
    for (int j = 0; j < argc; j += 2) {
        if (!strcasecmp(argv[j], "file")) {
            *name = argv[j + 1];
        } else if (!strcasecmp(argv[j], "seq")) {
            if (string2ll(argv[j + 1], sdslen(argv[j + 1]), seq) == 0 || *seq < 0) return 0;
        } else if (!strcasecmp(argv[j], "type")) {
            if (sdslen(argv[j + 1]) != 1) return 0;
            *type = argv[j + 1][0];
        }
    }
    return *name && sdslen(*name) && *seq >= 0 && *type;
}

/* Adds one parsed entry to am; 0 when the type is unknown or a second
 * base is found. */
static int addParsedEntry(aofManifest *am, const char *name, long long seq, char type) {
    aofFileEntry *e = entryCreate(name, seq, type);
    if (type == AOF_FILE_BASE) {
        if (am->base) {
            entryFree(e);
            return 0;
        }
        am->base = e;
        am->base_seq = seq;
    } else if (type == AOF_FILE_HISTORY) {
        listAddNodeTail(am->history, e);
    } else if (type == AOF_FILE_INCR) {
        if (seq <= am->incr_seq) {
            entryFree(e);
            return 0;
        }
        listAddNodeTail(am->incrs, e);
        am->incr_seq = seq;
    } else {
        entryFree(e);
        return 0;
    }
    return 1;
}

aofManifest *aofManifestParse(const char *text, size_t len, const char **err) {
    aofManifest *am = aofManifestCreate();
    int nlines = 0;
    sds *lines = sdssplitlen(text, (ssize_t)len, "\n", 1, &nlines);
    *err = NULL;
    for (int j = 0; j < nlines && *err == NULL; j++) {
        sds line = sdstrim(lines[j], " \t\r");
        if (sdslen(line) == 0 || line[0] == '#') continue;
        if (sdslen(line) > AOF_MANIFEST_MAX_LINE) {
            *err = "The AOF manifest file contains too long line";
            break;
        }
        int argc = 0;
        sds *argv = sdssplitargs(line, &argc);
        sds name;
        long long seq;
        char type;
        if (argv == NULL || !parseEntryLine(argv, argc, &name, &seq, &type) ||
            !addParsedEntry(am, name, seq, type))
            *err = "Invalid AOF manifest file format";
        sdsfreesplitres(argv, argc);
    }
    sdsfreesplitres(lines, nlines);
    if (*err == NULL && am->base == NULL && listLength(am->incrs) == 0) *err = "Found an empty AOF manifest";
    if (*err) {
        aofManifestFree(am);
        return NULL;
    }
    return am;
}

/* --------------------------------------------------------------- format */

static sds catEntry(sds s, aofFileEntry *e) {
    s = sdscat(s, "file ");
    /* A plain name as it is; one that needs quoting as a C string. */
    int plain = 1;
    for (size_t j = 0; j < sdslen(e->name); j++) {
        char ch = e->name[j];
        if (ch == ' ' || ch == '"' || ch == '\'' || ch == '\\' || ch < 33 || ch > 126) plain = 0;
    }
    s = plain ? sdscatsds(s, e->name) : sdscatrepr(s, e->name, sdslen(e->name));
    return sdscatprintf(s, " seq %lld type %c\n", e->seq, e->type);
}

sds aofManifestFormat(aofManifest *am) {
    sds s = sdsempty();
    listIter li;
    listNode *ln;
    if (am->base) s = catEntry(s, am->base);
    listRewind(am->history, &li);
    while ((ln = listNext(&li))) s = catEntry(s, listNodeValue(ln));
    listRewind(am->incrs, &li);
    while ((ln = listNext(&li))) s = catEntry(s, listNodeValue(ln));
    return s;
}

/* ------------------------------------------------------------- names */

sds aofFilePath(const char *name) {
    return sdscatprintf(sdsempty(), "%s/%s", server.persist.aof_dirname, name);
}

off_t aofFileSize(const char *name) {
    sds path = aofFilePath(name);
    struct stat st;
    off_t size = stat(path, &st) == 0 ? st.st_size : 0;
    sdsfree(path);
    return size;
}

off_t aofManifestTotalSize(aofManifest *am) {
    off_t total = am->base ? aofFileSize(am->base->name) : 0;
    listIter li;
    listNode *ln;
    listRewind(am->incrs, &li);
    while ((ln = listNext(&li))) total += aofFileSize(((aofFileEntry *)listNodeValue(ln))->name);
    return total;
}

const char *aofManifestNewBase(aofManifest *am, const char *ext) {
    if (am->base) {
        am->base->type = AOF_FILE_HISTORY;
        listAddNodeTail(am->history, am->base);
    }
    sds name = sdscatprintf(sdsempty(), "%s.%lld.base.%s", server.persist.aof_filename, ++am->base_seq, ext);
    am->base = entryCreate(name, am->base_seq, AOF_FILE_BASE);
    sdsfree(name);
    return am->base->name;
}

const char *aofManifestNewIncr(aofManifest *am) {
    sds name = sdscatprintf(sdsempty(), "%s.%lld.incr.aof", server.persist.aof_filename, ++am->incr_seq);
    aofFileEntry *e = entryCreate(name, am->incr_seq, AOF_FILE_INCR);
    sdsfree(name);
    listAddNodeTail(am->incrs, e);
    return e->name;
}

void aofManifestIncrsToHistory(aofManifest *am) {
    listNode *ln;
    while ((ln = listFirst(am->incrs))) {
        aofFileEntry *e = listNodeValue(ln);
        e->type = AOF_FILE_HISTORY;
        listAddNodeTail(am->history, e);
        ln->value = NULL;
        listDelNode(am->incrs, ln);
    }
}

void aofManifestDropLastIncr(aofManifest *am) {
    if (listLength(am->incrs) == 0) return;
    listDelNode(am->incrs, listLast(am->incrs));
    am->incr_seq--;
}

int aofEnsureDirectory(void) {
    struct stat st;
    if (stat(server.persist.aof_dirname, &st) == 0 && S_ISDIR(st.st_mode)) return C_OK;
    if (mkdir(server.persist.aof_dirname, 0755) == -1) {
        serverLog(LL_WARNING, "Can't open or create append-only dir %s: %s", server.persist.aof_dirname,
                  strerror(errno));
        return C_ERR;
    }
    return C_OK;
}

/* ----------------------------------------------------------------- read */

aofManifest *aofManifestRead(int *failed) {
    sds mname = sdscatprintf(sdsempty(), "%s.manifest", server.persist.aof_filename);
    sds path = aofFilePath(mname);
    FILE *fp = fopen(path, "r");
    sdsfree(path);
    aofManifest *am = NULL;
    if (fp == NULL) {
        if (errno != ENOENT) {
            serverLog(LL_WARNING, "Fatal error: can't open the AOF manifest %s for reading: %s", mname,
                      strerror(errno));
            *failed = 1;
        }
        sdsfree(mname);
        return NULL;
    }
    sds text = sdsempty();
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) text = sdscatlen(text, buf, n);
    fclose(fp);
    const char *err;
    am = aofManifestParse(text, sdslen(text), &err);
    if (am == NULL) {
        serverLog(LL_WARNING, "%s: %s", err, mname);
        *failed = 1;
    }
    sdsfree(text);
    sdsfree(mname);
    return am;
}

/* -------------------------------------------------------------- persist */

static int fsyncDirectory(const char *dir) {
    int fd = open(dir, O_RDONLY);
    if (fd == -1) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Writes all of s to a new file at path, fsynced. */
static int writeFileSynced(const char *path, sds s) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd == -1) return -1;
    size_t done = 0;
    while (done < sdslen(s)) {
        ssize_t n = write(fd, s + done, sdslen(s) - done);
        if (n == -1 && errno == EINTR) continue;
        if (n <= 0) {
            int err = errno;
            close(fd);
            errno = err;
            return -1;
        }
        done += (size_t)n;
    }
    int rc = fsync(fd);
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

int aofManifestPersist(aofManifest *am) {
    sds text = aofManifestFormat(am);
    sds mname = sdscatprintf(sdsempty(), "%s.manifest", server.persist.aof_filename);
    sds tname = sdscatprintf(sdsempty(), "temp-%s", mname);
    sds path = aofFilePath(mname), tmp = aofFilePath(tname);
    int rc = C_OK;
    if (writeFileSynced(tmp, text) == -1) {
        serverLog(LL_WARNING, "Can't persist the AOF manifest file %s: %s", tname, strerror(errno));
        unlink(tmp);
        rc = C_ERR;
    } else if (rename(tmp, path) == -1) {
        serverLog(LL_WARNING, "Error trying to rename the temporary AOF manifest file %s into %s: %s", tname, mname,
                  strerror(errno));
        unlink(tmp);
        rc = C_ERR;
    } else if (fsyncDirectory(server.persist.aof_dirname) == -1) {
        serverLog(LL_WARNING, "Fail to fsync the AOF directory %s: %s", server.persist.aof_dirname, strerror(errno));
        rc = C_ERR;
    }
    sdsfree(text);
    sdsfree(mname);
    sdsfree(tname);
    sdsfree(path);
    sdsfree(tmp);
    return rc;
}

void aofDeleteHistoryFiles(aofManifest *am) {
    if (server.persist.aof_disable_auto_gc || listLength(am->history) == 0) return;
    listNode *ln;
    while ((ln = listFirst(am->history))) {
        aofFileEntry *e = listNodeValue(ln);
        serverLog(LL_NOTICE, "Removing the history file %s in the background", e->name);
        sds path = aofFilePath(e->name);
        bioUnlinkFile(path);
        sdsfree(path);
        listDelNode(am->history, ln);
    }
    aofManifestPersist(am);
}
