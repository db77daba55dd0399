/* config_internal.h -- what config.c and config_rewrite.c share.
 *
 * Included by those two files only. The directive table lives in config.c;
 * CONFIG REWRITE (config_rewrite.c) walks it through the accessors below and
 * formats values with the same helpers CONFIG GET uses, so that a rewritten
 * file and CONFIG GET always agree. The special directives' rewrite hooks are
 * defined in config_rewrite.c and named by the table in config.c.
 */
#ifndef EMBER_CONFIG_INTERNAL_H
#define EMBER_CONFIG_INTERNAL_H

#include "server.h"

/* Directive flags. */
#define CFG_IMMUTABLE (1 << 0)    /* only from the file / command line */
#define CFG_SENSITIVE (1 << 1)    /* a secret (requirepass, masterauth) */
#define CFG_DEBUG (1 << 2)        /* listed by DEBUG CONFIG-style dumps */
#define CFG_MULTI_ARG (1 << 3)    /* takes several words */
#define CFG_HIDDEN (1 << 4)       /* not matched by CONFIG GET globs */
#define CFG_PROTECTED (1 << 5)    /* CONFIG SET needs enable-protected-configs */
#define CFG_DENY_LOADING (1 << 6) /* CONFIG SET refused while loading */
#define CFG_UNIMPL (1 << 7)       /* stored, but Ember does not act on it yet */

/* Number formats. */
#define NUM_PLAIN 0
#define NUM_MEMORY (1 << 0)  /* accepts 1k, 1kb, 1m, 1mb, 1g, 1gb */
#define NUM_PERCENT (1 << 1) /* accepts N%, stored as -N */
#define NUM_OCTAL (1 << 2)   /* read and shown in base 8 */

/* T_STRING values are C strings (char *, cut at a NUL); T_SDS values are
 * binary-safe sds strings (the secrets: requirepass, masterauth ...). */
typedef enum { T_BOOL, T_STRING, T_SDS, T_ENUM, T_FLAGS, T_NUM, T_SPECIAL } configType;
typedef enum { N_INT, N_UINT, N_ULONG, N_LL, N_ULL, N_SIZE, N_SSIZE, N_TIME, N_OFF } numKind;

typedef struct configEnum {
    const char *name;
    int val;
} configEnum;

typedef struct rewriteState rewriteState;

/* Directives with their own syntax. set() parses argv[0..argc) and stores the
 * value (0 and *err on a bad value, nothing changed); get() returns a new sds
 * with the CONFIG GET form; rewrite() emits the file lines; init() stores the
 * default. */
typedef struct specialOps {
    void (*init)(void);
    int (*set)(sds *argv, int argc, const char **err);
    sds (*get)(void);
    void (*rewrite)(rewriteState *st, const char *name);
} specialOps;

typedef struct configEntry {
    const char *name;
    const char *alias;
    unsigned flags;
    configType type;
    void *var;                   /* the stored value (not for specials) */
    numKind kind;                /* T_NUM */
    unsigned numflags;           /* T_NUM: NUM_* */
    long long lo, hi;            /* T_NUM bounds */
    long long def;               /* T_BOOL, T_ENUM, T_FLAGS, T_NUM default */
    const char *sdef;            /* T_STRING, T_SDS default (NULL: unset) */
    int empty_is_null;           /* T_STRING, T_SDS: "" stores NULL */
    const configEnum *enums;     /* T_ENUM, T_FLAGS */
    const specialOps *ops;       /* T_SPECIAL */
    int (*check_str)(const char *v, const char **err);
    int (*check_num)(long long v, const char **err);
    int (*apply)(const char **err); /* after CONFIG SET changed the value */
} configEntry;

/* ------------------------------------------------------------ table access (config.c) */

/* Number of entries in the directive table; indexes run 0..configCount()-1. */
int configCount(void);

/* Table entry number idx (0 <= idx < configCount()); never NULL. */
const configEntry *configAt(int idx);

/* CONFIG GET text of entry idx's default, as computed by initConfigValues();
 * owned by config.c, valid until the next initConfigValues(). */
const char *configDefaultText(int idx);

/* The entry named (or aliased) `name`, case-insensitively, or NULL. Sets
 * *by_alias (if not NULL) to 1 when the alias matched, 0 otherwise. */
const configEntry *configLookup(const char *name, int *by_alias);

/* ------------------------------------------------------------ value formatting (config.c) */

/* The stored value of a T_NUM entry, widened to long long (unsigned kinds
 * keep their bit pattern). */
long long configNumGet(const configEntry *c);

/* The CONFIG GET text of a directive, as a new sds the caller frees. */
sds configGetValue(const configEntry *c);

/* Append v to s in the shortest "%f" form (trailing zeros and a trailing dot
 * removed), as latency-tracking-info-percentiles shows it. Returns the new s. */
sds configCatTrimmedDouble(sds s, double v);

/* 1 when bind holds its default ("* -::*"), else 0. */
int configBindIsDefault(void);

/* CONFIG GET text of bind, oom-score-adj-values and notify-keyspace-events;
 * each a new sds the caller frees. */
sds configBindGet(void);
sds configOomValuesGet(void);
sds configNotifyGet(void);

/* client-output-buffer-limit defaults and class names, indexed by
 * CLIENT_TYPE_*; the slave class is spelt "slave" here. */
extern const clientBufferLimitsConfig configObufDefaults[CLIENT_TYPE_COUNT];
extern const char *configObufClassNames[CLIENT_TYPE_COUNT];

/* ------------------------------------------------------------ rewrite hooks (config_rewrite.c) */

/* The rewrite() hooks of the special directives: each writes the current
 * value of directive `name` into st as one or more file lines (or marks the
 * directive done so its old lines are dropped). */
void configRewriteDir(rewriteState *st, const char *name);
void configRewriteSave(rewriteState *st, const char *name);
void configRewriteBind(rewriteState *st, const char *name);
void configRewriteObuf(rewriteState *st, const char *name);
void configRewriteOomValues(rewriteState *st, const char *name);
void configRewriteNotify(rewriteState *st, const char *name);
void configRewriteReplicaof(rewriteState *st, const char *name);
void configRewritePercentiles(rewriteState *st, const char *name);
void configRewritePeercred(rewriteState *st, const char *name);


/* config_special.c: the specialOps of the multi-word directives, and the
 * flag telling `save` whether a config file is being loaded. */
extern const specialOps config_dir_ops, config_save_ops, config_bind_ops, config_obuf_ops, config_oom_values_ops,
    config_notify_ops, config_replicaof_ops, config_percentiles_ops, config_peercred_ops;
void configSetLoadingFile(int on);

#endif
