/* commands.c — the command table: registration, lookup, key extraction, stats.
 *
 * The table itself is data. utils/gen-commands.py turns the Redis 7.0 command
 * facts (shared/compat/commands-7.0.json) and our own summaries
 * (utils/command-summaries.txt) into commands.def, which is included below:
 * one static `struct redisCommand` per command and subcommand, with its key
 * specs, argument tree and tips, and redisCommandTable[] for the top level.
 *
 * Every handler in commands.def is declared weak. A handler that no file
 * defines resolves to NULL, and populateCommandTable() leaves that command
 * out: it is then unknown to the server and absent from COMMAND. So a
 * feature becomes visible the moment its handler is linked in, with no edit
 * here.
 *
 * Container commands (CONFIG, CLIENT, OBJECT …) have their subcommands in a
 * second dict hanging off the container (subcommands_dict). A subcommand
 * whose own handler (configGetCommand …) is missing falls back to the
 * container's handler (configCommand) when there is one, so a container may
 * be written either as one dispatcher or as one handler per subcommand. A
 * container is registered when it has a handler or at least one registered
 * subcommand.
 *
 * Start-up also derives what the data leaves implicit: the "config|get" full
 * names, the legacy first/last/step triple of COMMAND INFO, the movablekeys
 * flag, argument counts, and the special key-extraction functions of the
 * few commands whose key specs cannot describe their keys (SORT, MIGRATE)
 * or whose key flags depend on the arguments (SET, BITFIELD), and the
 * lenient fallback of the commands with a key count (keynumGetKeys).
 *
 * Key extraction (getKeysFromCommandWithSpecs) follows the key specs:
 * begin_search finds the first key (a fixed index, or the argument after a
 * keyword searched forward or backward), find_keys finds the rest (a range,
 * possibly bounded by a fraction of the remaining arguments, or a count read
 * from the arguments).
 */

#include "server.h"
#include "histogram.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "commands.def"

/* ---------------------------------------------------------------- dict type */

/* Command names: sds keys owned by the dict, compared without case. */
static uint64_t cmdNameHash(const void *key) {
    return dictGenCaseHashFunction((const unsigned char *)key, sdslen((const sds)key));
}

static int cmdNameCompare(dict *d, const void *a, const void *b) {
    (void)d;
    size_t la = sdslen((const sds)a), lb = sdslen((const sds)b);
    return la == lb && strncasecmp(a, b, la) == 0;
}

static void cmdNameFree(dict *d, void *key) {
    (void)d;
    sdsfree(key);
}

static dictType commandTableDictType = {
    cmdNameHash, NULL, NULL, cmdNameCompare, cmdNameFree, NULL, NULL,
};

/* ------------------------------------------------------- start-up: derive */

static int countArgs(redisCommandArg *args) {
    int n = 0;
    if (!args) return 0;
    while (args[n].name) {
        args[n].num_args = countArgs(args[n].subargs);
        n++;
    }
    return n;
}

static int isIndexRangeSpec(const keySpec *ks) {
    return ks->begin_search_type == KSPEC_BS_INDEX && ks->find_keys_type == KSPEC_FK_RANGE;
}

/* Absolute index of a range spec's last key; a negative (counted from the
 * end) lastkey is kept as is. */
static int absoluteLastKey(const keySpec *ks) {
    int last = ks->fk.range.lastkey;
    return last >= 0 ? ks->bs.index.pos + last : last;
}

/* Derive COMMAND INFO's first/last/step and the movablekeys flag.
 *
 * Old clients read keys from first/last/step alone, so the triple may only
 * describe keys that really sit at those positions. One index+range spec is
 * taken as is. Several are merged when each is a step-1 range that starts
 * right after the previous one ends; anything else (keywords, key counts,
 * unknown or incomplete specs, gaps) makes the command "movablekeys". The
 * last key of the merge is the largest index, where a negative (open-ended)
 * one beats any index, and the smaller magnitude negative beats the larger:
 * the comparison is done on the values as unsigned numbers. */
static void deriveLegacyRange(struct redisCommand *cmd) {
    cmd->legacy_first = cmd->legacy_last = cmd->legacy_step = 0;
    if (cmd->key_specs_num == 0) return;
    if (cmd->key_specs_num == 1 && isIndexRangeSpec(&cmd->key_specs[0])) {
        keySpec *ks = &cmd->key_specs[0];
        cmd->legacy_first = ks->bs.index.pos;
        cmd->legacy_last = absoluteLastKey(ks);
        cmd->legacy_step = ks->fk.range.keystep;
        if (ks->flags & CMD_KEY_INCOMPLETE) cmd->flags |= CMD_MOVABLE_KEYS;
        return;
    }
    int found = 0, first = 0, last = 0;
    for (int i = 0; i < cmd->key_specs_num; i++) {
        keySpec *ks = &cmd->key_specs[i];
        if (!isIndexRangeSpec(ks)) {
            cmd->flags |= CMD_MOVABLE_KEYS;
            continue;
        }
        if (ks->fk.range.keystep != 1 || (found && last != ks->bs.index.pos - 1)) {
            cmd->flags |= CMD_MOVABLE_KEYS;
            continue;
        }
        if (ks->flags & CMD_KEY_INCOMPLETE) cmd->flags |= CMD_MOVABLE_KEYS;
        int abs_last = absoluteLastKey(ks);
        if (!found) {
            first = ks->bs.index.pos;
            last = abs_last;
            found = 1;
        } else {
            if (ks->bs.index.pos < first) first = ks->bs.index.pos;
            if ((unsigned)abs_last > (unsigned)last) last = abs_last;
        }
    }
    if (!found) {
        cmd->flags |= CMD_MOVABLE_KEYS;
        return;
    }
    cmd->legacy_first = first;
    cmd->legacy_last = last;
    cmd->legacy_step = 1;
}

/* --------------------------------------------- special key extraction */

/* Grow result so that it holds at least numkeys entries. */
static keyReference *prepareKeys(getKeysResult *result, int numkeys) {
    if (result->keys == NULL) {
        result->keys = result->keysbuf;
        result->size = MAX_KEYS_BUFFER;
    }
    if (numkeys > result->size) {
        if (result->keys != result->keysbuf) {
            result->keys = zrealloc(result->keys, (size_t)numkeys * sizeof(keyReference));
        } else {
            result->keys = zmalloc((size_t)numkeys * sizeof(keyReference));
            if (result->numkeys)
                memcpy(result->keys, result->keysbuf, (size_t)result->numkeys * sizeof(keyReference));
        }
        result->size = numkeys;
    }
    return result->keys;
}

static int argIs(robj *arg, const char *word) {
    return sdsEncodedObject(arg) && !strcasecmp(arg->ptr, word);
}

static int addKey(getKeysResult *result, int pos, int flags) {
    keyReference *keys = prepareKeys(result, result->numkeys + 1);
    keys[result->numkeys].pos = pos;
    keys[result->numkeys].flags = flags;
    return ++result->numkeys;
}

/* SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [STORE dest]:
 * the sorted key, plus the destination of the last STORE. BY and GET
 * patterns name keys only through the data, so they are not reported. */
static int sortGetKeys(struct redisCommand *cmd, robj **argv, int argc, getKeysResult *result) {
    (void)cmd;
    int store = -1;
    result->numkeys = 0;
    if (argc < 2) return 0;
    addKey(result, 1, CMD_KEY_RO | CMD_KEY_ACCESS);
    for (int i = 2; i < argc; i++) {
        if (argIs(argv[i], "limit")) i += 2;
        else if (argIs(argv[i], "get") || argIs(argv[i], "by")) i += 1;
        else if (argIs(argv[i], "store") && i + 1 < argc) store = i + 1;
    }
    if (store > 0) addKey(result, store, CMD_KEY_OW | CMD_KEY_UPDATE);
    return result->numkeys;
}

static int sortRoGetKeys(struct redisCommand *cmd, robj **argv, int argc, getKeysResult *result) {
    (void)cmd;
    (void)argv;
    result->numkeys = 0;
    if (argc < 2) return 0;
    return addKey(result, 1, CMD_KEY_RO | CMD_KEY_ACCESS);
}

/* MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw]
 * [AUTH2 user pw] [KEYS key ...]: the single key, or with KEYS the keys
 * after it (and then the single-key slot must be empty). */
static int migrateGetKeys(struct redisCommand *cmd, robj **argv, int argc, getKeysResult *result) {
    (void)cmd;
    int first = 3, num = 1;
    result->numkeys = 0;
    if (argc < 4) return 0;
    for (int i = 6; i < argc; i++) {
        if (argIs(argv[i], "auth2")) {
            i += 2;
        } else if (argIs(argv[i], "auth")) {
            i += 1;
        } else if (argIs(argv[i], "keys")) {
            if (!sdsEncodedObject(argv[3]) || sdslen(argv[3]->ptr) > 0) return 0;
            first = i + 1;
            num = argc - first;
            break;
        }
    }
    prepareKeys(result, num);
    for (int i = 0; i < num; i++) addKey(result, first + i, CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_DELETE);
    return result->numkeys;
}

/* SET key value [...GET...]: the key is read as well as written when GET is
 * given, and overwritten without being read otherwise. */
static int setGetKeys(struct redisCommand *cmd, robj **argv, int argc, getKeysResult *result) {
    (void)cmd;
    result->numkeys = 0;
    if (argc < 2) return 0;
    for (int i = 3; i < argc; i++) {
        if (argIs(argv[i], "get"))
            return addKey(result, 1, CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_UPDATE);
    }
    return addKey(result, 1, CMD_KEY_OW | CMD_KEY_UPDATE);
}

/* BITFIELD key [GET ...] [SET ...] [INCRBY ...] [OVERFLOW ...]: read-only when
 * every operation is a well-formed GET or OVERFLOW; anything else (a write,
 * or a syntax error) counts as a write. */
static int bitfieldGetKeys(struct redisCommand *cmd, robj **argv, int argc, getKeysResult *result) {
    (void)cmd;
    int readonly = 1;
    result->numkeys = 0;
    if (argc < 2) return 0;
    for (int i = 2; i < argc && readonly; i++) {
        int rest = argc - i - 1;
        if (argIs(argv[i], "get") && rest >= 2) i += 2;
        else if (argIs(argv[i], "overflow") && rest >= 1) i += 1;
        else readonly = 0;
    }
    return addKey(result, 1, readonly ? (CMD_KEY_RO | CMD_KEY_ACCESS)
                                      : (CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_UPDATE));
}

/* The commands whose key count is an argument (ZUNIONSTORE, LMPOP, EVAL ...)
 * fall back to this when their key count spec cannot be followed, as in
 * Redis. The count is then read leniently, the way C's atoi reads it
 * (leading blanks and sign, the digits up to the first other byte, wrapped
 * to an int), so "1.5" or " 2" still name keys. A count below 1 or beyond
 * the arguments gives no keys. The counted keys come first, then the
 * destination of a *STORE command (its other, fixed-index spec), all
 * without flags. */
static int keynumGetKeys(struct redisCommand *cmd, robj **argv, int argc, getKeysResult *result) {
    const keySpec *counted = NULL;
    int store = 0;
    for (int i = 0; i < cmd->key_specs_num; i++) {
        const keySpec *ks = &cmd->key_specs[i];
        if (ks->find_keys_type == KSPEC_FK_KEYNUM)
            counted = ks;
        else if (isIndexRangeSpec(ks))
            store = ks->bs.index.pos;
    }
    result->numkeys = 0;
    int countpos = counted->bs.index.pos + counted->fk.keynum.keynumidx;
    int first = counted->bs.index.pos + counted->fk.keynum.firstkey;
    int step = counted->fk.keynum.keystep;
    if (countpos >= argc || !sdsEncodedObject(argv[countpos])) return 0;
    int num = (int)strtol(argv[countpos]->ptr, NULL, 10);
    if (num < 1 || num > (argc - first) / step) return 0;
    prepareKeys(result, num + (store > 0));
    for (int i = 0; i < num; i++) addKey(result, first + i * step, 0);
    if (store > 0) addKey(result, store, 0);
    return result->numkeys;
}

static int hasKeynumSpec(const struct redisCommand *cmd) {
    for (int i = 0; i < cmd->key_specs_num; i++)
        if (cmd->key_specs[i].find_keys_type == KSPEC_FK_KEYNUM) return 1;
    return 0;
}

static const struct {
    const char *fullname;
    int (*proc)(struct redisCommand *, robj **, int, getKeysResult *);
} specialGetKeys[] = {
    {"sort", sortGetKeys},
    {"sort_ro", sortRoGetKeys},
    {"migrate", migrateGetKeys},
    {"set", setGetKeys},
    {"bitfield", bitfieldGetKeys},
    {NULL, NULL},
};

/* ---------------------------------------------------------- registration */

/* Fill in the runtime fields of cmd (a subcommand when parent != NULL). */
static void setupCommand(struct redisCommand *cmd, struct redisCommand *parent, int *next_id) {
    cmd->parent = parent;
    cmd->fullname = parent ? sdscatfmt(sdsempty(), "%s|%s", parent->declared_name, cmd->declared_name)
                           : sdsnew(cmd->declared_name);
    cmd->num_args = countArgs(cmd->args);
    cmd->id = (*next_id)++;
    cmd->microseconds = cmd->calls = cmd->rejected_calls = cmd->failed_calls = 0;
    cmd->subcommands_dict = NULL;
    cmd->getkeys_proc = hasKeynumSpec(cmd) ? keynumGetKeys : NULL;
    for (int i = 0; specialGetKeys[i].fullname; i++) {
        if (!strcmp(specialGetKeys[i].fullname, cmd->fullname)) cmd->getkeys_proc = specialGetKeys[i].proc;
    }
    deriveLegacyRange(cmd);
}

static void addCommandTo(dict *d, struct redisCommand *cmd) {
    int ret = dictAdd(d, sdsnew(cmd->declared_name), cmd);
    serverAssert(ret == DICT_OK);
}

/* Build server.commands and server.orig_commands from redisCommandTable.
 * Called once at start-up, before the configuration may rename commands. */
void populateCommandTable(void) {
    int next_id = 0;
    if (!server.commands) server.commands = dictCreate(&commandTableDictType);
    if (!server.orig_commands) server.orig_commands = dictCreate(&commandTableDictType);
    for (struct redisCommand *cmd = redisCommandTable; cmd->declared_name; cmd++) {
        setupCommand(cmd, NULL, &next_id);
        int registered_subs = 0;
        if (cmd->subcommands) {
            cmd->subcommands_dict = dictCreate(&commandTableDictType);
            for (struct redisCommand *sub = cmd->subcommands; sub->declared_name; sub++) {
                setupCommand(sub, cmd, &next_id);
                if (!sub->proc) sub->proc = cmd->proc;
                if (!sub->proc) continue;
                addCommandTo(cmd->subcommands_dict, sub);
                registered_subs++;
            }
        }
        if (!cmd->proc && registered_subs == 0) continue;
        addCommandTo(server.commands, cmd);
        addCommandTo(server.orig_commands, cmd);
    }
}

/* ---------------------------------------------------------------- lookup */

static struct redisCommand *lookupInDict(dict *d, const char *name, size_t len) {
    if (!d) return NULL;
    sds key = sdsnewlen(name, len);
    dictEntry *de = dictFind(d, key);
    sdsfree(key);
    return de ? dictGetVal(de) : NULL;
}

/* The subcommand sub_name (any case) of container, or NULL. */
static struct redisCommand *lookupSubcommand(struct redisCommand *container, sds sub_name) {
    if (!container || !container->subcommands_dict) return NULL;
    dictEntry *de = dictFind(container->subcommands_dict, sub_name);
    return de ? dictGetVal(de) : NULL;
}

/* The command a client's argv names: argv[0] (any case) and, for a
 * container command given at least two arguments, the subcommand argv[1].
 * NULL when unknown. The result is owned by the table and lives forever. */
/* The command argv names, given the table entry of argv[0]. */
static struct redisCommand *commandOfEntry(dictEntry *de, robj **argv, int argc) {
    struct redisCommand *base = dictGetVal(de);
    if (argc == 1 || !base->subcommands_dict) return base;
    if (!sdsEncodedObject(argv[1])) return NULL;
    return lookupSubcommand(base, argv[1]->ptr);
}

struct redisCommand *lookupCommand(robj **argv, int argc) {
    if (argc < 1 || !sdsEncodedObject(argv[0])) return NULL;
    dictEntry *de = dictFind(server.commands, argv[0]->ptr);
    return de ? commandOfEntry(de, argv, argc) : NULL;
}

struct redisCommand *lookupClientCommand(client *c) {
    if (c->argc < 1 || !sdsEncodedObject(c->argv[0])) return NULL;
    sds name = c->argv[0]->ptr;
    size_t len = sdslen(name);
    if (c->cmdcache_cmd && len == c->cmdcache_len && bytesEqual(name, c->cmdcache_name, len))
        return c->cmdcache_cmd;
    dictEntry *de = dictFind(server.commands, name);
    if (!de) return NULL;
    struct redisCommand *cmd = commandOfEntry(de, c->argv, c->argc);
    if (cmd && cmd == dictGetVal(de) && !cmd->subcommands_dict && len <= CMDCACHE_NAME_MAX) {
        memcpy(c->cmdcache_name, name, len);
        c->cmdcache_len = (unsigned char)len;
        c->cmdcache_cmd = cmd;
    }
    return cmd;
}

/* Look up by full name: "get", or "config|get" for a subcommand (any case). */
struct redisCommand *lookupCommandBySds(sds s) {
    const char *bar = memchr(s, '|', sdslen(s));
    if (!bar) return lookupInDict(server.commands, s, sdslen(s));
    size_t baselen = (size_t)(bar - s);
    const char *sub = bar + 1;
    size_t sublen = sdslen(s) - baselen - 1;
    if (memchr(sub, '|', sublen)) return NULL;
    struct redisCommand *base = lookupInDict(server.commands, s, baselen);
    if (!base) return NULL;
    return lookupInDict(base->subcommands_dict, sub, sublen);
}

/* True if s names a registered container command (one with subcommands). */
int isContainerCommandBySds(sds s) {
    dictEntry *de = dictFind(server.commands, s);
    if (!de) return 0;
    struct redisCommand *cmd = dictGetVal(de);
    return cmd->subcommands_dict != NULL;
}

/* ----------------------------------------------------------------- arity */

/* The arity error of cmd, without the "ERR " prefix, as a new sds the
 * caller owns (hand it to addReplyErrorSds). */
sds commandArityError(struct redisCommand *cmd) {
    return sdscatprintf(sdsempty(), "wrong number of arguments for '%s' command", cmd->fullname);
}


/* ----------------------------------------------------------- statistics */

void resetCommandTableStats(dict *commands) {
    dictIterator di;
    dictEntry *de;
    dictInitIterator(&di, commands);
    while ((de = dictNext(&di)) != NULL) {
        struct redisCommand *cmd = dictGetVal(de);
        cmd->microseconds = cmd->calls = cmd->rejected_calls = cmd->failed_calls = 0;
        histogramFree(cmd->latency_histogram);
        cmd->latency_histogram = NULL;
        if (cmd->subcommands_dict) resetCommandTableStats(cmd->subcommands_dict);
    }
    dictResetIterator(&di);
}

/* Append the INFO commandstats lines of every command in commands (and of
 * their subcommands) that was called, rejected or failed at least once.
 * Takes and returns info (which may move). */
sds catCommandStats(sds info, dict *commands) {
    dictIterator di;
    dictEntry *de;
    dictInitIterator(&di, commands);
    while ((de = dictNext(&di)) != NULL) {
        struct redisCommand *c = dictGetVal(de);
        if (c->calls || c->failed_calls || c->rejected_calls) {
            info = sdscatprintf(info,
                                "cmdstat_%s:calls=%lld,usec=%lld,usec_per_call=%.2f"
                                ",rejected_calls=%lld,failed_calls=%lld\r\n",
                                c->fullname, c->calls, c->microseconds,
                                c->calls == 0 ? 0 : ((double)c->microseconds / c->calls),
                                c->rejected_calls, c->failed_calls);
        }
        if (c->subcommands_dict) info = catCommandStats(info, c->subcommands_dict);
    }
    dictResetIterator(&di);
    return info;
}

/* -------------------------------------------------------- key extraction */

static void initGetKeysResult(getKeysResult *result) {
    result->keys = result->keysbuf;
    result->numkeys = 0;
    result->size = MAX_KEYS_BUFFER;
}

void getKeysFreeResult(getKeysResult *result) {
    if (result && result->keys && result->keys != result->keysbuf) zfree(result->keys);
    if (result) {
        result->keys = result->keysbuf;
        result->size = MAX_KEYS_BUFFER;
        result->numkeys = 0;
    }
}

/* OR of the flags of all key specs of cmd, or of their complements when
 * inverted (so that "some spec lacks X" reads as a set bit). */
static uint64_t allKeySpecsFlags(struct redisCommand *cmd, int inverted) {
    uint64_t all = 0;
    for (int i = 0; i < cmd->key_specs_num; i++)
        all |= inverted ? ~cmd->key_specs[i].flags : cmd->key_specs[i].flags;
    return all;
}

/* True if cmd may take key arguments at all. */
int commandHasKeys(struct redisCommand *cmd) {
    return cmd->getkeys_proc != NULL || (allKeySpecsFlags(cmd, 1) & CMD_KEY_NOT_KEY);
}

/* The argument index where spec's keys start, 0 when the keyword it looks
 * for is absent, -1 when the spec cannot tell. */
static int specFirstKey(const keySpec *spec, robj **argv, int argc) {
    if (spec->begin_search_type == KSPEC_BS_INDEX) return spec->bs.index.pos;
    if (spec->begin_search_type != KSPEC_BS_KEYWORD) return -1;
    int from = spec->bs.keyword.startfrom;
    int start = from > 0 ? from : argc + from;
    int step = from > 0 ? 1 : -1;
    for (int i = start; i >= 1 && i < argc; i += step) {
        if (argIs(argv[i], spec->bs.keyword.keyword)) return i + 1;
    }
    return 0;
}

/* Keys of one spec starting at first; 0 on success, -1 when the spec cannot
 * describe this command line (unknown type, bad or out-of-range count). */
static int specCollectKeys(const keySpec *spec, int first, robj **argv, int argc,
                           getKeysResult *result) {
    int last, step;
    if (spec->find_keys_type == KSPEC_FK_RANGE) {
        int lastkey = spec->fk.range.lastkey;
        if (lastkey >= 0) last = first + lastkey;
        else if (!spec->fk.range.limit) last = argc + lastkey;
        else last = first + ((argc - first) / spec->fk.range.limit + lastkey);
        step = spec->fk.range.keystep;
    } else if (spec->find_keys_type == KSPEC_FK_KEYNUM) {
        int idx = first + spec->fk.keynum.keynumidx;
        long long numkeys;
        if (idx >= argc || !sdsEncodedObject(argv[idx]) ||
            !string2ll(argv[idx]->ptr, sdslen(argv[idx]->ptr), &numkeys) || numkeys < 0)
            return -1;
        first += spec->fk.keynum.firstkey;
        /* Redis keeps only the low 32 bits of a huge count here, as a
         * signed int: 2^32 + 1 names one key, 2^31 none (the fallback then
         * decides). */
        int count = (int)numkeys;
        if (count < 1 || count > argc - first) return -1;
        last = first + count - 1;
        step = spec->fk.keynum.keystep;
    } else {
        return -1;
    }
    if (first >= argc || last >= argc || last < first || step <= 0) return -1;
    prepareKeys(result, result->numkeys + (last - first) / step + 1);
    for (int i = first; i <= last; i += step) addKey(result, i, (int)spec->flags);
    return (spec->flags & CMD_KEY_INCOMPLETE) ? -1 : 0;
}

/* Keys by the key specs alone: the number of keys, or -1 when a spec could
 * not be followed (and GET_KEYSPEC_RETURN_PARTIAL was not asked for). */
static int getKeysUsingKeySpecs(struct redisCommand *cmd, robj **argv, int argc, int search_flags,
                                getKeysResult *result) {
    for (int j = 0; j < cmd->key_specs_num; j++) {
        const keySpec *spec = &cmd->key_specs[j];
        if ((spec->flags & CMD_KEY_NOT_KEY) && !(search_flags & GET_KEYSPEC_INCLUDE_NOT_KEYS)) continue;
        int first = specFirstKey(spec, argv, argc);
        int ok = first == 0 ? 0 : (first < 0 ? -1 : specCollectKeys(spec, first, argv, argc, result));
        if (ok < 0) {
            if (search_flags & GET_KEYSPEC_RETURN_PARTIAL) continue;
            result->numkeys = 0;
            return -1;
        }
    }
    return result->numkeys;
}

/* Find the keys in the command line argv[0..argc) of cmd (argv[0] is the
 * command name; for a subcommand argv[1] is its name). Stores their argv
 * indexes and CMD_KEY_* flags in result (which must have been initialised,
 * and which the caller frees with getKeysFreeResult) and returns how many
 * there are; 0 also when the arguments are malformed.
 *
 * The key specs are used when they are complete and their flags do not
 * depend on the arguments; otherwise the command's special extractor. */
int getKeysFromCommandWithSpecs(struct redisCommand *cmd, robj **argv, int argc, int search_flags,
                                getKeysResult *result) {
    if (!result->keys) initGetKeysResult(result);
    result->numkeys = 0;
    uint64_t some_lack = allKeySpecsFlags(cmd, 1);
    int has_keyspec = (search_flags & GET_KEYSPEC_INCLUDE_NOT_KEYS) ? cmd->key_specs_num > 0
                                                                   : (some_lack & CMD_KEY_NOT_KEY) != 0;
    int has_varflags = (allKeySpecsFlags(cmd, 0) & CMD_KEY_VARIABLE_FLAGS) != 0;
    if (has_keyspec && !has_varflags) {
        int n = getKeysUsingKeySpecs(cmd, argv, argc, search_flags, result);
        if (n >= 0) return n;
    }
    result->numkeys = 0;
    if (cmd->getkeys_proc) return cmd->getkeys_proc(cmd, argv, argc, result);
    return 0;
}

int getKeysFromCommand(struct redisCommand *cmd, robj **argv, int argc, getKeysResult *result) {
    return getKeysFromCommandWithSpecs(cmd, argv, argc, GET_KEYSPEC_DEFAULT, result);
}
