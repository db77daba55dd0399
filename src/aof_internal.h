/* aof_internal.h — what the AOF files (aof.c, aof_manifest.c, aof_load.c,
 * aof_rewrite.c) share and nothing else sees.
 */
#ifndef EMBER_AOF_INTERNAL_H
#define EMBER_AOF_INTERNAL_H

#include "server.h"
#include "aof.h"

#include <stdio.h>
#include <sys/types.h>

#define AOF_OFF 0
#define AOF_ON 1
#define AOF_WAIT_REWRITE 2 /* turned on at runtime: on once the first rewrite is done */

/* ------------------------------------------------------------ manifest */

#define AOF_FILE_BASE 'b'
#define AOF_FILE_HISTORY 'h'
#define AOF_FILE_INCR 'i'

typedef struct aofFileEntry {
    sds name; /* file name inside appenddirname */
    long long seq;
    char type; /* AOF_FILE_* */
} aofFileEntry;

/* The manifest: which files make the AOF, in order. Owns its entries. */
typedef struct aofManifest {
    aofFileEntry *base; /* NULL before the first base exists */
    list *incrs;        /* aofFileEntry*, oldest first */
    list *history;      /* aofFileEntry*, to delete */
    long long base_seq, incr_seq; /* last sequence numbers used */
} aofManifest;

aofManifest *aofManifestCreate(void);
void aofManifestFree(aofManifest *am);
aofManifest *aofManifestDup(aofManifest *am);
/* Parses manifest text; NULL with *err set (a static string) when it is
 * not a manifest. */
aofManifest *aofManifestParse(const char *text, size_t len, const char **err);
/* The manifest as file text (a new sds). */
sds aofManifestFormat(aofManifest *am);
/* Writes the manifest of appenddirname atomically (temp file, fsync,
 * rename, fsync of the directory). C_ERR, logged, on failure. */
int aofManifestPersist(aofManifest *am);
/* Adds a new base (the previous one goes to history) / a new incr file;
 * both return the entry's name, owned by the manifest. */
const char *aofManifestNewBase(aofManifest *am, const char *ext);
const char *aofManifestNewIncr(aofManifest *am);
/* Moves every incr file to history (after a rewrite that covers them). */
void aofManifestIncrsToHistory(aofManifest *am);
/* Path of name inside appenddirname: a new sds. */
sds aofFilePath(const char *name);
/* Unlinks the history files (closing in the background) unless
 * aof-disable-auto-gc; updates and persists the manifest. */
void aofDeleteHistoryFiles(aofManifest *am);
/* The manifest in appenddirname: NULL when there is none, or when it
 * cannot be read or parsed (then logged, *failed set). */
aofManifest *aofManifestRead(int *failed);
/* Undoes the last aofManifestNewIncr (its file could not be opened). */
void aofManifestDropLastIncr(aofManifest *am);
/* Creates appenddirname when missing. C_ERR, logged, when it cannot. */
int aofEnsureDirectory(void);
/* Sum of the sizes of the files of the manifest (base + incrs). */
off_t aofManifestTotalSize(aofManifest *am);
off_t aofFileSize(const char *name);

/* ---------------------------------------------------------- base format */

/* How a base file is written: the AOF (command) form or the RDB form
 * (aof-use-rdb-preamble). write() creates path with the whole dataset,
 * fsynced. Reading needs no such row: aofLoadCommandFile knows an RDB base
 * (or an old file's RDB preamble) by its magic. */
typedef struct aofBaseFormat {
    const char *ext; /* "aof" or "rdb" */
    /* Creates path with the dataset; progress (may be NULL) is told the
     * keys written so far now and then. C_OK / C_ERR (logged). */
    int (*write)(const char *path, void (*progress)(size_t keys));
} aofBaseFormat;

/* The format new bases are written in (aof-use-rdb-preamble). */
const aofBaseFormat *aofBaseWriteFormat(void);

/* ------------------------------------------------------------- loading */

#define AOF_LOAD_OK 0
#define AOF_LOAD_EMPTY 1
#define AOF_LOAD_TRUNCATED 2
#define AOF_LOAD_FAILED 3

/* Replays one file of commands into the databases. last: the last file of
 * the AOF (only there may a torn tail be cut). Returns AOF_LOAD_*; a
 * failure has been logged. */
int aofLoadCommandFile(const char *name, int last);
/* Loads every file of am; AOF_LOAD_FAILED when one fails. */
int aofLoadManifestFiles(aofManifest *am);

/* ------------------------------------------------------------- rewrite */

/* Starts a rewrite in a child process now. C_ERR, logged, when it cannot. */
int aofRewriteBackground(void);
/* CONFIG SET appendonly yes: AOF_WAIT_REWRITE and a rewrite (or one
 * scheduled behind a running child). C_ERR when it cannot start. */
int aofStartAtRuntime(void);
/* serverCron's share of rewrites: reaping, scheduled and automatic ones. */
void aofRewriteCron(void);
/* Kills a running rewrite child and throws its work away. */
void aofKillRewriteChild(void);

/* ---------------------------------------------------------------- state */

/* The state of the AOF: shared by the aof*.c files, owned by aof.c. */
struct aofState {
    int state;                 /* AOF_OFF / AOF_ON / AOF_WAIT_REWRITE */
    aofManifest *manifest;
    int fd;                    /* the incr file being appended, -1 */
    sds buf;                   /* stream not yet written */
    int consumer;              /* propagation handle, -1 */
    int in_multi;              /* the stream is between MULTI and EXEC */
    long long last_ts;         /* unix seconds of the last #TS annotation */
    off_t current_size;        /* base + incrs, bytes */
    off_t base_size;           /* current_size after the last rewrite or load */
    off_t last_incr_size;      /* bytes of the open incr file */
    off_t fsynced_size;        /* last_incr_size when the last fsync was asked */
    long long last_fsync;      /* unix seconds */
    long long flush_postponed_start;
    long long delayed_fsync;
    int last_write_status;     /* C_OK / C_ERR */
    int last_write_errno;
    int bio_fsync_status;      /* C_ERR after a failed background fsync */
    int bio_fsync_errno;
    int fault_errno;           /* DEBUG AOF-WRITE-FAULT: -1 short writes, 0 off */
    /* Rewrites. */
    int rewrite_scheduled;
    long long rewrite_start;   /* unix seconds, -1 */
    long long last_rewrite_time;
    int last_bgrewrite_status;
    long long rewrites;
    long long rewrites_failed;
    size_t last_cow_size;
    int restart_tries;         /* failed starts after a replica's sync, 0 */
};
extern struct aofState aof;

/* Opens (creating) name in appenddirname for appending. -1, logged, on
 * failure. */
int aofOpenForAppend(const char *name);
/* Starts sending the stream to the open file (a fresh SELECT first). */
void aofStartConsuming(void);
void aofStopConsuming(void);
/* Writes everything buffered; force: even while a background fsync runs. */
void aofFlush(int force);
/* Switches appending to a new fd (the old one is closed in the
 * background after its pending writes and fsync). */
void aofSwitchFd(int fd);

#endif
