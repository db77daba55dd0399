/* rdb.h — the RDB format: snapshots on disk and the payloads of DUMP.
 *
 * An RDB stream is "REDIS" plus a four-digit version, then opcodes: AUX
 * fields (name/value strings), SELECTDB and RESIZEDB before each database,
 * then one record per key (optional EXPIRETIME_MS, IDLE or FREQ, then the
 * value's type byte, the key, the value), then EOF and an 8-byte CRC-64 of
 * everything before it (0 when rdbchecksum is off). A DUMP payload is one
 * value record (type byte and value, no key) followed by a 2-byte RDB
 * version and the CRC-64.
 *
 * Lengths use the 6/14/32/64-bit length encoding; a string is a length and
 * its bytes, or an "encoded" special: a small integer (8/16/32 bits) or an
 * LZF block. Compact encodings (listpacks, intsets) are stored as their
 * own bytes inside a string.
 *
 * rdb.c writes (rdbSave*, the whole-file writer, SAVE, BGSAVE, LASTSAVE and
 * the save points); rdb_load.c reads (rdbLoad*, every type and encoding
 * Redis 7.0 reads, plus versions 11 and 12 where they map onto 7.0's
 * types). cmd_dump.c builds DUMP and RESTORE on rdbSaveObject /
 * rdbLoadObject; debug.c builds DEBUG RELOAD on rdbSave / rdbLoad.
 */
#ifndef EMBER_RDB_H
#define EMBER_RDB_H

#include <stdint.h>
#include <sys/types.h>
#include "rio.h"
#include "object.h"

/* The version written by default and the newest one read. */
#define RDB_VERSION 10
#define RDB_VERSION_MAX_LOAD 12

/* Length encoding: the two top bits of the first byte. */
#define RDB_6BITLEN 0
#define RDB_14BITLEN 1
#define RDB_32BITLEN 0x80
#define RDB_64BITLEN 0x81
#define RDB_ENCVAL 3
#define RDB_LENERR UINT64_MAX
/* "Encoded" strings (RDB_ENCVAL): the low six bits. */
#define RDB_ENC_INT8 0
#define RDB_ENC_INT16 1
#define RDB_ENC_INT32 2
#define RDB_ENC_LZF 3

/* Value types. */
#define RDB_TYPE_STRING 0
#define RDB_TYPE_LIST 1
#define RDB_TYPE_SET 2
#define RDB_TYPE_ZSET 3
#define RDB_TYPE_HASH 4
#define RDB_TYPE_ZSET_2 5
#define RDB_TYPE_MODULE_PRE_GA 6
#define RDB_TYPE_MODULE_2 7
#define RDB_TYPE_HASH_ZIPMAP 9
#define RDB_TYPE_LIST_ZIPLIST 10
#define RDB_TYPE_SET_INTSET 11
#define RDB_TYPE_ZSET_ZIPLIST 12
#define RDB_TYPE_HASH_ZIPLIST 13
#define RDB_TYPE_LIST_QUICKLIST 14
#define RDB_TYPE_STREAM_LISTPACKS 15
#define RDB_TYPE_HASH_LISTPACK 16
#define RDB_TYPE_ZSET_LISTPACK 17
#define RDB_TYPE_LIST_QUICKLIST_2 18
#define RDB_TYPE_STREAM_LISTPACKS_2 19
#define RDB_TYPE_SET_LISTPACK 20          /* version 11 (Redis 7.2) */
#define RDB_TYPE_STREAM_LISTPACKS_3 21    /* version 11 */
#define RDB_TYPE_HASH_METADATA_PRE_GA 22  /* version 12 (Redis 7.4): field TTLs */
#define RDB_TYPE_HASH_LISTPACK_EX_PRE_GA 23
#define RDB_TYPE_HASH_METADATA 24
#define RDB_TYPE_HASH_LISTPACK_EX 25
#define RDB_TYPE_LAST 25

/* Opcodes, in the type byte's place. */
#define RDB_OPCODE_FUNCTION2 245
#define RDB_OPCODE_FUNCTION_PRE_GA 246
#define RDB_OPCODE_MODULE_AUX 247
#define RDB_OPCODE_IDLE 248
#define RDB_OPCODE_FREQ 249
#define RDB_OPCODE_AUX 250
#define RDB_OPCODE_RESIZEDB 251
#define RDB_OPCODE_EXPIRETIME_MS 252
#define RDB_OPCODE_EXPIRETIME 253
#define RDB_OPCODE_SELECTDB 254
#define RDB_OPCODE_EOF 255

/* Module value opcodes (what a module aux or value is made of). */
#define RDB_MODULE_OPCODE_EOF 0
#define RDB_MODULE_OPCODE_SINT 1
#define RDB_MODULE_OPCODE_UINT 2
#define RDB_MODULE_OPCODE_FLOAT 3
#define RDB_MODULE_OPCODE_DOUBLE 4
#define RDB_MODULE_OPCODE_STRING 5

/* rdbflags of the whole-stream calls. */
#define RDBFLAGS_NONE 0
#define RDBFLAGS_AOF_PREAMBLE (1 << 0) /* inside an AOF: keep expired keys, aof-base 1 */
#define RDBFLAGS_ALLOW_DUP (1 << 1)    /* a key met twice replaces the first (DEBUG RELOAD MERGE) */
#define RDBFLAGS_FUNCTIONS_ONLY (1 << 2) /* saving: the functions without the keys (rdb-filter-only) */

/* What rdbLoadRio found, for the log and INFO. */
typedef struct rdbLoadInfo {
    int version;
    long long keys_loaded, keys_expired, keys_skipped;
    long long ctime;     /* the file's ctime aux field, 0 if none */
    char redis_ver[32];  /* its redis-ver aux field, "" if none */
    char repl_id[41];    /* its repl-id aux field, "" if none */
    long long repl_offset; /* its repl-offset aux field */
    int repl_stream_db;  /* its repl-stream-db aux field */
} rdbLoadInfo;

/* ------------------------------------------------------------ writing */

/* Each returns the bytes written, or -1 on a write error. */
ssize_t rdbSaveType(rio *r, unsigned char type);
ssize_t rdbSaveLen(rio *r, uint64_t len);
ssize_t rdbSaveRawString(rio *r, const unsigned char *s, size_t len);
ssize_t rdbSaveStringObject(rio *r, robj *o);
/* The type byte of o's record (for a version-9 file, the generic types). */
ssize_t rdbSaveObjectType(rio *r, robj *o, int version);
/* The value part of o's record, in the form rdbSaveObjectType announced. */
ssize_t rdbSaveObject(rio *r, robj *o, int version);
/* The whole stream: header, aux fields, every database, EOF, checksum.
 * version is what the header says (9, 10 or 11). C_OK or C_ERR (write
 * error, with errno). */
int rdbSaveRio(rio *r, int rdbflags, int version);
/* Writes the dataset to filename: a temp-<pid>.rdb in the same directory,
 * flushed, fsynced and renamed over filename. C_OK, or C_ERR logged. */
int rdbSave(const char *filename, int rdbflags);
/* Foreground save for SAVE, SHUTDOWN and DEBUG RELOAD: rdbSave to the
 * configured file plus the bookkeeping (dirty, lastsave, rdb_saves). */
int rdbSaveForeground(void);
/* After FLUSHALL, as Redis 7.0 does: a background save of the old data is
 * stopped, and with save points the now empty dataset is saved at once. */
void rdbAfterFlushAll(void);
/* Called by serverCron: starts a scheduled background save, or one for a
 * save point that is due (no other child running). */
void rdbCron(void);
/* 1 when writes are refused with -MISCONF: stop-writes-on-bgsave-error,
 * save points set, and the last background save failed. */
int rdbWritesDenied(void);
#define RDB_MISCONF_ERR "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist " \
    "to disk. Commands that may modify the data set are disabled, because this instance is configured to report " \
    "errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis " \
    "logs for details about the RDB error."
/* Appends the rdb_* fields of INFO persistence to s. */
sds rdbInfoFields(sds s);
/* Start-up: LASTSAVE is the start time until the first save. */
void rdbInitState(void);

/* ------------------------------------------------------------ reading */

/* Error codes of rdbLoadObject. */
#define RDB_LOAD_ERR_NONE 0
#define RDB_LOAD_ERR_CORRUPT 1     /* malformed (Bad data format) */
#define RDB_LOAD_ERR_EMPTY_KEY 2   /* an empty value: skipped in files */
#define RDB_LOAD_ERR_UNSUPPORTED 3 /* a type Ember cannot hold (stream, module, field TTLs) */

int rdbLoadType(rio *r);
/* Reads a length; RDB_LENERR on a read error. *isencoded (may be NULL) is
 * set when the "length" is a string special (RDB_ENC_*). */
uint64_t rdbLoadLen(rio *r, int *isencoded);
/* Reads a value of the given type. deep asks for the full validation of
 * compact encodings (sanitize-dump-payload). Returns a new object, or NULL
 * with *error set (RDB_LOAD_ERR_*) and *reason a static description. */
robj *rdbLoadObject(int type, rio *r, int deep, int *error, const char **reason);
/* 1 if type is a value type this reader knows (an RDB_TYPE_*). */
int rdbIsObjectType(int type);
/* Loads a whole stream into the databases (which the caller emptied, or
 * not, for a merge). C_OK, or C_ERR with the reason logged. */
int rdbLoadRio(rio *r, int rdbflags, rdbLoadInfo *info);
/* Loads filename. C_OK; C_ERR with errno ENOENT when it does not exist;
 * C_ERR (logged) when it is unreadable or corrupt. */
int rdbLoad(const char *filename, int rdbflags, rdbLoadInfo *info);
/* rdbLoad on an open file, read from its current position; fp then stands
 * just after the RDB's checksum (an AOF's commands may follow). */
int rdbLoadFile(FILE *fp, int rdbflags, rdbLoadInfo *info);
/* rdbLoadRio with the loading session told of every byte read (clients
 * are served meanwhile when a session is open) and INFO's last load
 * recorded; errno is EINVAL on failure. */
int rdbLoadStream(rio *r, int rdbflags, rdbLoadInfo *info);
/* Sets val's access stamp from an IDLE or FREQ record (or RESTORE's
 * IDLETIME / FREQ): under an LFU policy the counter becomes freq, under
 * the others the clock goes back idle seconds. -1 means not given; a shared
 * val is left alone. */
void rdbApplyAccess(robj *val, long long idle, int freq);
/* What the last load of a whole file found (INFO rdb_last_load_*). */
const rdbLoadInfo *rdbLastLoad(void);
/* Start-up: loads dir/dbfilename if it exists and logs what was loaded, in
 * how long; exits the process (status 1) when the file cannot be loaded. */
void loadDataFromDisk(void);

/* check_rdb.c: the redis-check-rdb tool (never returns). */
void redisCheckRdbMain(int argc, char **argv) __attribute__((noreturn));
/* The check of redis-check-rdb on the RDB that fp reads from its current
 * position (a file, or an AOF's base or preamble), printed with name. 1
 * when sound, fp then standing just after the RDB's checksum; 0 when not. */
int rdbCheckStream(FILE *fp, const char *name);

/* ------------------------------------------------------ commands */
void saveCommand(client *c);
void bgsaveCommand(client *c);
void lastsaveCommand(client *c);
void dumpCommand(client *c);
/* The DUMP payload of o (borrowed): its RDB record, the RDB version and
 * the CRC-64, as a new sds the caller frees. MIGRATE sends it too. */
sds createDumpPayload(robj *o);
/* debug_rdb.c: DEBUG DIGEST, DIGEST-VALUE and RELOAD. */
void debugDigestCommand(client *c);
void debugDigestValueCommand(client *c);
void debugReloadCommand(client *c);
void restoreCommand(client *c);

#endif
