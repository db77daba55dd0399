/* check_aof.c — redis-check-aof: checks, and repairs, an append-only file.
 *
 * The same binary as the server: main() hands over here when argv[0]
 * names redis-check-aof (the Makefile makes src/redis-check-aof a link to
 * src/redis-server), as Redis does, so tools and scripts that call
 * redis-check-aof find it next to redis-server.
 *
 *     redis-check-aof [--fix|--truncate-to-timestamp <unix-seconds>] <file.manifest|file.aof>
 *
 * Given a manifest it checks the base and then every incr file it lists
 * (Redis 7.0's multi-part AOF, names relative to the manifest's directory);
 * given a single file, that file ("old-style" AOF). Each file is read as
 * the server would load it: RESP arrays of bulk strings, "#" annotation
 * lines, MULTI/EXEC paired. The report names the file, its size, the end
 * of the last complete command (ok_up_to), the line reached and the bytes
 * after it (diff), in Redis 7.0's wording, which scripts parse.
 *
 * --fix cuts a file back to ok_up_to after asking (y/N on stdin) — only the
 * last file of an AOF, since cutting an earlier one would drop what later
 * files build on. --truncate-to-timestamp cuts the last file at the first
 * "#TS:" annotation later than the given time (aof-timestamp-enabled
 * files), restoring the dataset as it was then.
 *
 * A base with an RDB preamble cannot be checked here yet; it is reported
 * as such. Exit status: 0 when everything is valid (or was repaired), 1
 * otherwise. State: one checkState per run, on main's stack.
 */
#include "aof_internal.h"

#include "rdb.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK_LINE_MAX 1024

typedef struct checkState {
    int fix;
    long long truncate_ts; /* -1: no --truncate-to-timestamp */
    long long line;        /* lines read, across the files of a manifest */
    FILE *fp;
    off_t epos;            /* where the item being read starts */
    char err[256];         /* what went wrong, "" when nothing */
} checkState;

/* The result of reading one file. */
typedef struct fileScan {
    off_t size, ok_up_to;
    off_t ts_cut;          /* --truncate-to-timestamp: where to cut, -1 none */
    int format_error;      /* the first byte of a command is not '*' */
} fileScan;

static void setError(checkState *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void setError(checkState *st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->err, sizeof(st->err), fmt, ap);
    va_end(ap);
}

/* Reads "<prefix><number>\r\n". 1 with *val, 0 (st->err set, or empty
 * when the file just ended) otherwise. */
static int readHeader(checkState *st, char prefix, long long *val) {
    char buf[CHECK_LINE_MAX];
    st->epos = ftello(st->fp);
    if (fgets(buf, sizeof(buf), st->fp) == NULL) return 0;
    if (buf[0] != prefix) {
        setError(st, "Expected prefix '%c', got: '%c'", prefix, buf[0]);
        return 0;
    }
    char *end;
    *val = strtoll(buf + 1, &end, 10);
    if (end[0] != '\r' || end[1] != '\n') {
        setError(st, "Expected \\r\\n, got: %02x%02x", (unsigned char)end[0],
                 end[0] ? (unsigned char)end[1] : 0);
        return 0;
    }
    st->line++;
    return 1;
}

/* Reads a bulk of len bytes and its CRLF; 1 when whole. When word is
 * not NULL and the bulk is shorter than wordlen, it is copied there. */
static int readBulk(checkState *st, long long len, char *word, size_t wordlen) {
    st->epos = ftello(st->fp);
    char buf[4096], crlf[2];
    long long got = 0;
    if (word) word[0] = '\0';
    while (got < len) {
        size_t chunk = len - got < (long long)sizeof(buf) ? (size_t)(len - got) : sizeof(buf);
        size_t n = fread(buf, 1, chunk, st->fp);
        if (word && got == 0 && len < (long long)wordlen) {
            memcpy(word, buf, n);
            word[n] = '\0';
        }
        got += (long long)n;
        if (n < chunk) break;
    }
    if (got == len) got += (long long)fread(crlf, 1, 2, st->fp);
    if (got < len + 2) {
        setError(st, "Expected to read %lld bytes, got %lld bytes", len + 2, got);
        return 0;
    }
    if (crlf[0] != '\r' || crlf[1] != '\n') {
        setError(st, "Expected \\r\\n, got: %02x%02x", (unsigned char)crlf[0], (unsigned char)crlf[1]);
        return 0;
    }
    st->line++;
    return 1;
}

/* Reads one command; *word gets its name when it is a lone MULTI or EXEC.
 * 1 when read, 0 on error. */
static int readCommand(checkState *st, char *word, size_t wordlen) {
    long long argc, len;
    word[0] = '\0';
    if (!readHeader(st, '*', &argc)) return 0;
    for (long long j = 0; j < argc; j++) {
        if (!readHeader(st, '$', &len)) return 0;
        if (!readBulk(st, len, j == 0 && argc == 1 ? word : NULL, wordlen)) return 0;
    }
    return 1;
}

/* An annotation line: consumed; with --truncate-to-timestamp a "#TS:" later
 * than the limit marks where the file is cut (at start). */
static void readAnnotation(checkState *st, off_t start, fileScan *fs) {
    char buf[CHECK_LINE_MAX];
    if (fgets(buf, sizeof(buf), st->fp) == NULL) return;
    if (st->truncate_ts >= 0 && fs->ts_cut == -1 && !strncmp(buf, "TS:", 3) && atoll(buf + 3) > st->truncate_ts)
        fs->ts_cut = start;
}

/* Scans the file fp: ok_up_to is the end of the last complete command
 * (outside a MULTI). */
static void scanFile(checkState *st, fileScan *fs) {
    int multi = 0;
    off_t before_multi = 0;
    st->err[0] = '\0';
    for (;;) {
        off_t start = ftello(st->fp);
        int ch = fgetc(st->fp);
        if (ch == EOF) break;
        if (ch == '#') {
            readAnnotation(st, start, fs);
            fs->ok_up_to = ftello(st->fp);
            continue;
        }
        if (ch != '*') {
            fs->format_error = 1;
            break;
        }
        ungetc(ch, st->fp);
        char word[8];
        if (!readCommand(st, word, sizeof(word))) break;
        if (!strcasecmp(word, "multi")) {
            if (multi) {
                setError(st, "Unexpected MULTI");
                break;
            }
            multi = 1;
            before_multi = start;
        } else if (!strcasecmp(word, "exec")) {
            if (!multi) {
                setError(st, "Unexpected EXEC");
                break;
            }
            multi = 0;
        }
        if (!multi) fs->ok_up_to = ftello(st->fp);
    }
    if (multi && st->err[0] == '\0' && !fs->format_error && feof(st->fp)) {
        setError(st, "Reached EOF before reading EXEC for MULTI");
        fs->ok_up_to = before_multi;
    }
}

/* Asks before cutting; 1 on y/Y. */
static int confirm(void) {
    char answer[16];
    printf("Continue? [y/N]: ");
    fflush(stdout);
    if (fgets(answer, sizeof(answer), stdin) == NULL) return 0;
    return answer[0] == 'y' || answer[0] == 'Y';
}

/* Cuts path (reported as name) to size and says so with done_fmt, which
 * takes the name and ts. Exits when the file cannot be cut. */
static void cutFile(const char *path, const char *name, off_t size, const char *done_fmt, long long ts) {
    if (truncate(path, size) == -1) {
        printf("Failed to truncate AOF %s\n", name);
        exit(1);
    }
    printf(done_fmt, name, ts);
    printf("\n");
}

/* What checkFile found, when it returns at all. */
#define CHECK_VALID 0
#define CHECK_EMPTY 1
#define CHECK_CUT 2 /* cut by --fix or --truncate-to-timestamp */

/* --truncate-to-timestamp on one checked file. */
static int truncateToTimestamp(checkState *st, const char *path, const char *name, fileScan *fs, int last) {
    if (fs->ts_cut == -1) {
        printf("Truncate nothing in AOF %s to timestamp %lld\n", name, st->truncate_ts);
        return CHECK_VALID;
    }
    if (fs->ts_cut == 0) {
        printf("AOF %s has nothing before timestamp %lld, aborting...\n", path, st->truncate_ts);
        exit(1);
    }
    if (!last) {
        printf("Failed to truncate AOF %s to timestamp %lld to offset %lld because it is not the last file.\n", path,
               st->truncate_ts, (long long)fs->ts_cut);
        printf("If you insist, please delete all files after this file according to the manifest file and delete "
               "the corresponding records in manifest file manually. Then re-run redis-check-aof.\n");
        exit(1);
    }
    cutFile(path, name, fs->ts_cut, "Successfully truncated AOF %s to timestamp %lld", st->truncate_ts);
    return CHECK_CUT;
}

/* Checks one file: CHECK_VALID, _EMPTY or _CUT, or exits with the
 * verdict of Redis's tool after --fix had its say. */
static int checkFile(checkState *st, const char *path, const char *name, int last) {
    st->fp = fopen(path, "r");
    if (st->fp == NULL) {
        printf("Cannot open file %s: %s\n", name, strerror(errno));
        exit(1);
    }
    struct stat sb;
    fstat(fileno(st->fp), &sb);
    if (sb.st_size == 0) {
        fclose(st->fp);
        return CHECK_EMPTY;
    }
    fileScan fs = {.size = sb.st_size, .ts_cut = -1};
    char magic[5];
    int preamble = fread(magic, 1, 5, st->fp) == 5 && !memcmp(magic, "REDIS", 5);
    rewind(st->fp);
    if (preamble) {
        if (!rdbCheckStream(st->fp, name)) {
            printf("RDB preamble of AOF file is not sane, aborting.\n");
            exit(1);
        }
        printf("RDB preamble is OK, proceeding with AOF tail...\n");
        fs.ok_up_to = ftello(st->fp);
    }
    scanFile(st, &fs);
    fclose(st->fp);
    if (st->truncate_ts >= 0 && !fs.format_error && st->err[0] == '\0')
        return truncateToTimestamp(st, path, name, &fs, last);
    if (fs.format_error) printf("AOF %s format error\n", name);
    if (st->err[0]) printf("0x%16llx: %s\n", (unsigned long long)st->epos, st->err);
    off_t diff = fs.size - fs.ok_up_to;
    printf("AOF analyzed: filename=%s, size=%lld, ok_up_to=%lld, ok_up_to_line=%lld, diff=%lld\n", name,
           (long long)fs.size, (long long)fs.ok_up_to, st->line, (long long)diff);
    if (diff == 0) return CHECK_VALID;
    if (!st->fix) {
        printf("AOF %s is not valid. Use the --fix option to try fixing it.\n", name);
        exit(1);
    }
    if (!last) {
        printf("Failed to truncate AOF %s because it is not the last file\n", name);
        exit(1);
    }
    printf("This will shrink the AOF %s from %lld bytes, with %lld bytes, to %lld bytes\n", name, (long long)fs.size,
           (long long)diff, (long long)fs.ok_up_to);
    if (!confirm()) {
        printf("Aborting...\n");
        exit(1);
    }
    cutFile(path, name, fs.ok_up_to, "Successfully truncated AOF %s", 0);
    return CHECK_CUT;
}

/* Checks one file of a manifest and says what it is. */
static void checkPart(checkState *st, const char *dir, const char *kind, const char *name, int last) {
    sds path = sdscatprintf(sdsempty(), "%s/%s", dir, name);
    int rc = checkFile(st, path, name, last);
    if (rc == CHECK_VALID) printf("%s AOF %s is valid\n", kind, name);
    if (rc == CHECK_EMPTY) printf("%s AOF %s is empty\n", kind, name);
    sdsfree(path);
}

/* A manifest: its first meaningful line is a "file ..." entry. */
static int looksLikeManifest(const char *path) {
    FILE *fp = fopen(path, "r");
    if (fp == NULL) return 0;
    char buf[CHECK_LINE_MAX];
    int res = 0;
    while (fgets(buf, sizeof(buf), fp)) {
        if (buf[0] == '#' || buf[0] == '\n') continue;
        res = !strncmp(buf, "file ", 5);
        break;
    }
    fclose(fp);
    return res;
}

static aofManifest *readManifestFile(const char *path) {
    FILE *fp = fopen(path, "r");
    sds text = sdsempty();
    char buf[4096];
    size_t n;
    while (fp && (n = fread(buf, 1, sizeof(buf), fp)) > 0) text = sdscatlen(text, buf, n);
    if (fp) fclose(fp);
    const char *err;
    aofManifest *am = aofManifestParse(text, sdslen(text), &err);
    sdsfree(text);
    if (am == NULL) {
        printf("%s: %s\n", err, path);
        exit(1);
    }
    return am;
}

static void checkMultiPart(checkState *st, const char *manifest_path) {
    printf("Start checking Multi Part AOF\n");
    aofManifest *am = readManifestFile(manifest_path);
    char *copy = strdup(manifest_path);
    sds dir = sdsnew(dirname(copy));
    free(copy);
    int total = (am->base ? 1 : 0) + (int)listLength(am->incrs), n = 0;
    if (am->base) {
        size_t len = strlen(am->base->name);
        int rdb = len > 4 && !strcmp(am->base->name + len - 4, ".rdb");
        printf("Start to check BASE AOF (%s format).\n", rdb ? "RDB" : "RESP");
        checkPart(st, dir, "BASE", am->base->name, ++n == total);
    }
    if (listLength(am->incrs)) printf("Start to check INCR files.\n");
    listIter li;
    listNode *ln;
    listRewind(am->incrs, &li);
    while ((ln = listNext(&li))) {
        aofFileEntry *e = listNodeValue(ln);
        checkPart(st, dir, "INCR", e->name, ++n == total);
    }
    printf("All AOF files and manifest are valid\n");
    sdsfree(dir);
    aofManifestFree(am);
}

static void checkOldStyle(checkState *st, const char *path) {
    printf("Start checking Old-Style AOF\n");
    struct stat sb;
    if (stat(path, &sb) == 0 && sb.st_size == 0) {
        printf("AOF %s is empty\n", path);
        return;
    }
    if (checkFile(st, path, path, 1) == CHECK_VALID) printf("AOF %s is valid\n", path);
}

static void usage(const char *argv0) __attribute__((noreturn));
static void usage(const char *argv0) {
    printf("Usage: %s [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>\n", argv0);
    exit(1);
}

int redisCheckAofMain(int argc, char **argv) {
    checkState st = {.truncate_ts = -1, .line = 1};
    const char *path;
    if (argc == 2) {
        path = argv[1];
    } else if (argc == 3 && !strcmp(argv[1], "--fix")) {
        st.fix = 1;
        path = argv[2];
    } else if (argc == 4 && !strcmp(argv[1], "--truncate-to-timestamp")) {
        char *end;
        st.truncate_ts = strtoll(argv[2], &end, 10);
        if (*end || st.truncate_ts < 0) {
            printf("Invalid timestamp, aborting...\n");
            exit(1);
        }
        path = argv[3];
    } else {
        usage("redis-check-aof");
    }
    if (access(path, R_OK) == -1) {
        printf("Cannot open file %s: %s\n", path, strerror(errno));
        exit(1);
    }
    if (looksLikeManifest(path))
        checkMultiPart(&st, path);
    else
        checkOldStyle(&st, path);
    exit(0);
}
