/* commands.h — the command table and what is known about each command.
 *
 * A redisCommand is one entry of the table generated into commands.def:
 * its declared facts (arity, flags, ACL categories, key specs, argument
 * tree, documentation) and its run-time statistics. commands.c builds the
 * lookup dicts from it, finds a command by name (with its subcommand) and
 * extracts the keys of a command line from the key specs; cmd_command.c
 * answers COMMAND and its subcommands from the same data.
 */
#ifndef EMBER_COMMANDS_H
#define EMBER_COMMANDS_H

#include <stdint.h>
#include "sds.h"
#include "dict.h"
#include "object.h"

typedef struct client client;

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
    struct histogram *latency_histogram; /* latency-tracking; NULL until the first call (latency.c) */
    int id;
} redisCommand;

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
/* lookupCommand(c->argv, c->argc) through c's one-entry cache: a request
 * naming the same command as the client's last lookup (a command without
 * subcommands) skips the hash. The cache holds the table's own key, which
 * lives as long as the table: commands are renamed only at start-up. */
struct redisCommand *lookupClientCommand(client *c);
struct redisCommand *lookupCommandBySds(sds s);
int isContainerCommandBySds(sds s);
void resetCommandTableStats(dict *commands);
sds commandArityError(struct redisCommand *cmd);
/* 1 if argc arguments (the command name included) suit cmd's arity, else 0
 * and, when err is not NULL, *err is set to commandArityError(cmd) (a new
 * sds the caller frees). Inline: processCommand checks it for every command. */
static inline int commandCheckArity(struct redisCommand *cmd, int argc, sds *err) {
    if ((cmd->arity > 0 && cmd->arity != argc) || argc < -cmd->arity) {
        if (err) *err = commandArityError(cmd);
        return 0;
    }
    return 1;
}
int commandHasKeys(struct redisCommand *cmd);
sds catCommandStats(sds info, dict *commands);
void commandCommand(client *c);
void commandCountCommand(client *c);
void commandInfoCommand(client *c);
void commandDocsCommand(client *c);
void commandListCommand(client *c);
void commandGetKeysCommand(client *c);
void commandGetKeysAndFlagsCommand(client *c);
void commandHelpCommand(client *c);

#endif /* EMBER_COMMANDS_H */
