/* cmd_command.c — the COMMAND command: introspection of the command table.
 *
 * COMMAND answers from the data in commands.def as set up by commands.c:
 *
 *   COMMAND                    INFO of every registered command
 *   COMMAND COUNT              how many top-level commands are registered
 *   COMMAND INFO [name ...]    10-element descriptions (null for unknown names)
 *   COMMAND DOCS [name ...]    summary, since, group, complexity, argument tree
 *   COMMAND LIST [FILTERBY MODULE m | ACLCAT c | PATTERN p]
 *   COMMAND GETKEYS cmd ...    the keys of a full command line
 *   COMMAND GETKEYSANDFLAGS cmd ...   the same with each key's access flags
 *
 * Reply shapes follow Redis 7.0 exactly, in RESP2 and RESP3: flags and ACL
 * categories are sets of status replies, tips a set of bulk strings, key
 * specs a set of maps; a command without subcommands reports an empty set
 * where a container reports an array (INFO) or a map (DOCS). Only what
 * the table holds is shown: a field that is NULL is left out of a map, and
 * the map's length counts only the fields present. Commands are listed in
 * the order of the command dict.
 */

#include "server.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* --------------------------------------------------------- flag names */

typedef struct flagName {
    uint64_t flag;
    const char *name;
} flagName;

static const flagName commandFlagNames[] = {
    /* COMMAND INFO shows these, in this order. Flags that Redis keeps hidden
     * (may_replicate, sentinel, only_sentinel, protected, module_getkeys,
     * module_no_cluster, touches_arbitrary_keys) are left out. */
    {CMD_WRITE, "write"},
    {CMD_READONLY, "readonly"},
    {CMD_DENYOOM, "denyoom"},
    {CMD_MODULE, "module"},
    {CMD_ADMIN, "admin"},
    {CMD_PUBSUB, "pubsub"},
    {CMD_NOSCRIPT, "noscript"},
    {CMD_BLOCKING, "blocking"},
    {CMD_LOADING, "loading"},
    {CMD_STALE, "stale"},
    {CMD_SKIP_MONITOR, "skip_monitor"},
    {CMD_SKIP_SLOWLOG, "skip_slowlog"},
    {CMD_ASKING, "asking"},
    {CMD_FAST, "fast"},
    {CMD_NO_AUTH, "no_auth"},
    {CMD_NO_MANDATORY_KEYS, "no_mandatory_keys"},
    {CMD_NO_ASYNC_LOADING, "no_async_loading"},
    {CMD_NO_MULTI, "no_multi"},
    {CMD_MOVABLE_KEYS, "movablekeys"},
    {CMD_ALLOW_BUSY, "allow_busy"},
    {0, NULL},
};

static const flagName aclCategoryNames[] = {
    {ACL_CATEGORY_KEYSPACE, "keyspace"},
    {ACL_CATEGORY_READ, "read"},
    {ACL_CATEGORY_WRITE, "write"},
    {ACL_CATEGORY_SET, "set"},
    {ACL_CATEGORY_SORTEDSET, "sortedset"},
    {ACL_CATEGORY_LIST, "list"},
    {ACL_CATEGORY_HASH, "hash"},
    {ACL_CATEGORY_STRING, "string"},
    {ACL_CATEGORY_BITMAP, "bitmap"},
    {ACL_CATEGORY_HYPERLOGLOG, "hyperloglog"},
    {ACL_CATEGORY_GEO, "geo"},
    {ACL_CATEGORY_STREAM, "stream"},
    {ACL_CATEGORY_PUBSUB, "pubsub"},
    {ACL_CATEGORY_ADMIN, "admin"},
    {ACL_CATEGORY_FAST, "fast"},
    {ACL_CATEGORY_SLOW, "slow"},
    {ACL_CATEGORY_BLOCKING, "blocking"},
    {ACL_CATEGORY_DANGEROUS, "dangerous"},
    {ACL_CATEGORY_CONNECTION, "connection"},
    {ACL_CATEGORY_TRANSACTION, "transaction"},
    {ACL_CATEGORY_SCRIPTING, "scripting"},
    {0, NULL},
};

static const flagName keyFlagNames[] = {
    {CMD_KEY_RO, "RO"},
    {CMD_KEY_RW, "RW"},
    {CMD_KEY_OW, "OW"},
    {CMD_KEY_RM, "RM"},
    {CMD_KEY_ACCESS, "access"},
    {CMD_KEY_UPDATE, "update"},
    {CMD_KEY_INSERT, "insert"},
    {CMD_KEY_DELETE, "delete"},
    {CMD_KEY_NOT_KEY, "not_key"},
    {CMD_KEY_INCOMPLETE, "incomplete"},
    {CMD_KEY_VARIABLE_FLAGS, "variable_flags"},
    {0, NULL},
};

static const char *argTypeName(redisCommandArgType type) {
    switch (type) {
    case ARG_TYPE_STRING: return "string";
    case ARG_TYPE_INTEGER: return "integer";
    case ARG_TYPE_DOUBLE: return "double";
    case ARG_TYPE_KEY: return "key";
    case ARG_TYPE_PATTERN: return "pattern";
    case ARG_TYPE_UNIX_TIME: return "unix-time";
    case ARG_TYPE_PURE_TOKEN: return "pure-token";
    case ARG_TYPE_ONEOF: return "oneof";
    case ARG_TYPE_BLOCK: return "block";
    }
    return "unknown";
}

/* A set of status replies: the names of the bits of `flags` in table order,
 * each prefixed with `prefix` ("@" for ACL categories). */
static void addReplyFlagSet(client *c, const flagName *table, uint64_t flags, const char *prefix) {
    int count = 0;
    for (int i = 0; table[i].name; i++)
        if (flags & table[i].flag) count++;
    addReplySetLen(c, count);
    for (int i = 0; table[i].name; i++) {
        if (!(flags & table[i].flag)) continue;
        char buf[64];
        snprintf(buf, sizeof(buf), "%s%s", prefix, table[i].name);
        addReplyStatus(c, buf);
    }
}

static void addReplyKeyFlags(client *c, uint64_t flags) {
    addReplyFlagSet(c, keyFlagNames, flags, "");
}

/* ---------------------------------------------------------------- INFO */

static void addReplyKeySpec(client *c, const keySpec *ks) {
    addReplyMapLen(c, ks->notes ? 4 : 3);
    if (ks->notes) {
        addReplyBulkCString(c, "notes");
        addReplyBulkCString(c, ks->notes);
    }
    addReplyBulkCString(c, "flags");
    addReplyKeyFlags(c, ks->flags);

    addReplyBulkCString(c, "begin_search");
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "type");
    switch (ks->begin_search_type) {
    case KSPEC_BS_INDEX:
        addReplyBulkCString(c, "index");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 1);
        addReplyBulkCString(c, "index");
        addReplyLongLong(c, ks->bs.index.pos);
        break;
    case KSPEC_BS_KEYWORD:
        addReplyBulkCString(c, "keyword");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 2);
        addReplyBulkCString(c, "keyword");
        addReplyBulkCString(c, ks->bs.keyword.keyword);
        addReplyBulkCString(c, "startfrom");
        addReplyLongLong(c, ks->bs.keyword.startfrom);
        break;
    default:
        addReplyBulkCString(c, "unknown");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 0);
        break;
    }

    addReplyBulkCString(c, "find_keys");
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "type");
    switch (ks->find_keys_type) {
    case KSPEC_FK_RANGE:
        addReplyBulkCString(c, "range");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 3);
        addReplyBulkCString(c, "lastkey");
        addReplyLongLong(c, ks->fk.range.lastkey);
        addReplyBulkCString(c, "keystep");
        addReplyLongLong(c, ks->fk.range.keystep);
        addReplyBulkCString(c, "limit");
        addReplyLongLong(c, ks->fk.range.limit);
        break;
    case KSPEC_FK_KEYNUM:
        addReplyBulkCString(c, "keynum");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 3);
        addReplyBulkCString(c, "keynumidx");
        addReplyLongLong(c, ks->fk.keynum.keynumidx);
        addReplyBulkCString(c, "firstkey");
        addReplyLongLong(c, ks->fk.keynum.firstkey);
        addReplyBulkCString(c, "keystep");
        addReplyLongLong(c, ks->fk.keynum.keystep);
        break;
    default:
        addReplyBulkCString(c, "unknown");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 0);
        break;
    }
}

static void addReplyCommandInfo(client *c, struct redisCommand *cmd) {
    if (!cmd) {
        addReplyNull(c);
        return;
    }
    addReplyArrayLen(c, 10);
    addReplyBulkCString(c, cmd->fullname);
    addReplyLongLong(c, cmd->arity);
    addReplyFlagSet(c, commandFlagNames, cmd->flags, "");
    addReplyLongLong(c, cmd->legacy_first);
    addReplyLongLong(c, cmd->legacy_last);
    addReplyLongLong(c, cmd->legacy_step);
    addReplyFlagSet(c, aclCategoryNames, cmd->acl_categories, "@");

    int ntips = 0;
    while (cmd->tips && cmd->tips[ntips]) ntips++;
    addReplySetLen(c, ntips);
    for (int i = 0; i < ntips; i++) addReplyBulkCString(c, cmd->tips[i]);

    addReplySetLen(c, cmd->key_specs_num);
    for (int i = 0; i < cmd->key_specs_num; i++) addReplyKeySpec(c, &cmd->key_specs[i]);

    if (!cmd->subcommands_dict) {
        addReplySetLen(c, 0);
        return;
    }
    addReplyArrayLen(c, (long)dictSize(cmd->subcommands_dict));
    dictIterator di;
    dictEntry *de;
    dictInitIterator(&di, cmd->subcommands_dict);
    while ((de = dictNext(&di)) != NULL) addReplyCommandInfo(c, dictGetVal(de));
    dictResetIterator(&di);
}

/* ---------------------------------------------------------------- DOCS */

static void addReplyCommandArgs(client *c, redisCommandArg *args, int num_args) {
    addReplyArrayLen(c, num_args);
    for (int i = 0; i < num_args; i++) {
        redisCommandArg *a = &args[i];
        int is_container = a->type == ARG_TYPE_ONEOF || a->type == ARG_TYPE_BLOCK;
        long len = 2 + (a->key_spec_index >= 0) + (a->token != NULL) + (a->summary != NULL) +
                   (a->since != NULL) + (a->deprecated_since != NULL) + (a->flags != 0) + is_container;
        addReplyMapLen(c, len);
        addReplyBulkCString(c, "name");
        addReplyBulkCString(c, a->name);
        addReplyBulkCString(c, "type");
        addReplyBulkCString(c, argTypeName(a->type));
        if (a->key_spec_index >= 0) {
            addReplyBulkCString(c, "key_spec_index");
            addReplyLongLong(c, a->key_spec_index);
        }
        if (a->token) {
            addReplyBulkCString(c, "token");
            addReplyBulkCString(c, a->token);
        }
        if (a->summary) {
            addReplyBulkCString(c, "summary");
            addReplyBulkCString(c, a->summary);
        }
        if (a->since) {
            addReplyBulkCString(c, "since");
            addReplyBulkCString(c, a->since);
        }
        if (a->deprecated_since) {
            addReplyBulkCString(c, "deprecated_since");
            addReplyBulkCString(c, a->deprecated_since);
        }
        if (a->flags) {
            addReplyBulkCString(c, "flags");
            int n = !!(a->flags & CMD_ARG_OPTIONAL) + !!(a->flags & CMD_ARG_MULTIPLE) +
                    !!(a->flags & CMD_ARG_MULTIPLE_TOKEN);
            addReplySetLen(c, n);
            if (a->flags & CMD_ARG_OPTIONAL) addReplyStatus(c, "optional");
            if (a->flags & CMD_ARG_MULTIPLE) addReplyStatus(c, "multiple");
            if (a->flags & CMD_ARG_MULTIPLE_TOKEN) addReplyStatus(c, "multiple_token");
        }
        if (is_container) {
            addReplyBulkCString(c, "arguments");
            addReplyCommandArgs(c, a->subargs, a->num_args);
        }
    }
}

static void addReplyCommandDocs(client *c, struct redisCommand *cmd) {
    /* "group" is always there; the other fields only when set. */
    long len = 1 + (cmd->summary != NULL) + (cmd->since != NULL) + (cmd->complexity != NULL) +
               (cmd->doc_flags != 0) + (cmd->deprecated_since != NULL) + (cmd->replaced_by != NULL) +
               (cmd->args != NULL) + (cmd->subcommands_dict != NULL);
    addReplyMapLen(c, len);
    if (cmd->summary) {
        addReplyBulkCString(c, "summary");
        addReplyBulkCString(c, cmd->summary);
    }
    if (cmd->since) {
        addReplyBulkCString(c, "since");
        addReplyBulkCString(c, cmd->since);
    }
    addReplyBulkCString(c, "group");
    addReplyBulkCString(c, cmd->group);
    if (cmd->complexity) {
        addReplyBulkCString(c, "complexity");
        addReplyBulkCString(c, cmd->complexity);
    }
    if (cmd->doc_flags) {
        addReplyBulkCString(c, "doc_flags");
        addReplySetLen(c, !!(cmd->doc_flags & CMD_DOC_DEPRECATED) + !!(cmd->doc_flags & CMD_DOC_SYSCMD));
        if (cmd->doc_flags & CMD_DOC_DEPRECATED) addReplyStatus(c, "deprecated");
        if (cmd->doc_flags & CMD_DOC_SYSCMD) addReplyStatus(c, "syscmd");
    }
    if (cmd->deprecated_since) {
        addReplyBulkCString(c, "deprecated_since");
        addReplyBulkCString(c, cmd->deprecated_since);
    }
    if (cmd->replaced_by) {
        addReplyBulkCString(c, "replaced_by");
        addReplyBulkCString(c, cmd->replaced_by);
    }
    if (cmd->args) {
        addReplyBulkCString(c, "arguments");
        addReplyCommandArgs(c, cmd->args, cmd->num_args);
    }
    if (cmd->subcommands_dict) {
        addReplyBulkCString(c, "subcommands");
        addReplyMapLen(c, (long)dictSize(cmd->subcommands_dict));
        dictIterator di;
        dictEntry *de;
        dictInitIterator(&di, cmd->subcommands_dict);
        while ((de = dictNext(&di)) != NULL) {
            struct redisCommand *sub = dictGetVal(de);
            addReplyBulkCString(c, sub->fullname);
            addReplyCommandDocs(c, sub);
        }
        dictResetIterator(&di);
    }
}

/* ---------------------------------------------------------- commands */

/* COMMAND: INFO of every registered command. */
void commandCommand(client *c) {
    addReplyArrayLen(c, (long)dictSize(server.commands));
    dictIterator di;
    dictEntry *de;
    dictInitIterator(&di, server.commands);
    while ((de = dictNext(&di)) != NULL) addReplyCommandInfo(c, dictGetVal(de));
    dictResetIterator(&di);
}

/* COMMAND COUNT */
void commandCountCommand(client *c) {
    addReplyLongLong(c, (long long)dictSize(server.commands));
}

/* COMMAND INFO [name ...]: without names, every command. */
void commandInfoCommand(client *c) {
    if (c->argc == 2) {
        commandCommand(c);
        return;
    }
    addReplyArrayLen(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++) addReplyCommandInfo(c, lookupCommandBySds(c->argv[i]->ptr));
}

/* COMMAND DOCS [name ...]: a map of name -> docs; unknown names are skipped. */
void commandDocsCommand(client *c) {
    if (c->argc == 2) {
        addReplyMapLen(c, (long)dictSize(server.commands));
        dictIterator di;
        dictEntry *de;
        dictInitIterator(&di, server.commands);
        while ((de = dictNext(&di)) != NULL) {
            struct redisCommand *cmd = dictGetVal(de);
            addReplyBulkCString(c, cmd->fullname);
            addReplyCommandDocs(c, cmd);
        }
        dictResetIterator(&di);
        return;
    }
    void *len = addReplyDeferredLen(c);
    long found = 0;
    for (int i = 2; i < c->argc; i++) {
        struct redisCommand *cmd = lookupCommandBySds(c->argv[i]->ptr);
        if (!cmd) continue;
        addReplyBulkCString(c, cmd->fullname);
        addReplyCommandDocs(c, cmd);
        found++;
    }
    setDeferredMapLen(c, len, found);
}

/* COMMAND LIST filters. */
enum listFilterType { LIST_ALL, LIST_MODULE, LIST_ACLCAT, LIST_PATTERN };

typedef struct listFilter {
    enum listFilterType type;
    sds arg;
    uint64_t aclcat; /* LIST_ACLCAT: the category's bit, 0 if unknown */
} listFilter;

static int listFilterMatches(const listFilter *f, struct redisCommand *cmd) {
    switch (f->type) {
    case LIST_ALL: return 1;
    case LIST_MODULE: return 0; /* Ember has no modules */
    case LIST_ACLCAT: return f->aclcat && (cmd->acl_categories & f->aclcat);
    case LIST_PATTERN:
        return stringmatchlen(f->arg, (int)sdslen(f->arg), cmd->fullname, (int)sdslen(cmd->fullname), 1);
    }
    return 0;
}

static long listCommands(client *c, dict *commands, const listFilter *f) {
    long n = 0;
    dictIterator di;
    dictEntry *de;
    dictInitIterator(&di, commands);
    while ((de = dictNext(&di)) != NULL) {
        struct redisCommand *cmd = dictGetVal(de);
        if (listFilterMatches(f, cmd)) {
            addReplyBulkCString(c, cmd->fullname);
            n++;
        }
        if (cmd->subcommands_dict) n += listCommands(c, cmd->subcommands_dict, f);
    }
    dictResetIterator(&di);
    return n;
}

/* COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern] */
void commandListCommand(client *c) {
    listFilter f = {LIST_ALL, NULL, 0};
    if (c->argc == 5 && !strcasecmp(c->argv[2]->ptr, "filterby")) {
        const char *kind = c->argv[3]->ptr;
        f.arg = c->argv[4]->ptr;
        if (!strcasecmp(kind, "module")) {
            f.type = LIST_MODULE;
        } else if (!strcasecmp(kind, "aclcat")) {
            f.type = LIST_ACLCAT;
            for (int i = 0; aclCategoryNames[i].name; i++)
                if (!strcasecmp(f.arg, aclCategoryNames[i].name)) f.aclcat = aclCategoryNames[i].flag;
        } else if (!strcasecmp(kind, "pattern")) {
            f.type = LIST_PATTERN;
        } else {
            addReplyError(c, "syntax error");
            return;
        }
    } else if (c->argc != 2) {
        addReplyError(c, "syntax error");
        return;
    }
    void *len = addReplyDeferredLen(c);
    long n = listCommands(c, server.commands, &f);
    setDeferredArrayLen(c, len, n);
}

/* COMMAND GETKEYS / GETKEYSANDFLAGS cmd arg ... */
static void getKeysReply(client *c, int with_flags) {
    struct redisCommand *cmd = lookupCommand(c->argv + 2, c->argc - 2);
    int argc = c->argc - 2;
    if (!cmd) {
        addReplyError(c, "Invalid command specified");
        return;
    }
    if (!commandHasKeys(cmd)) {
        addReplyError(c, "The command has no key arguments");
        return;
    }
    if (!commandCheckArity(cmd, argc, NULL)) {
        addReplyError(c, "Invalid number of arguments specified for command");
        return;
    }
    getKeysResult result = GETKEYS_RESULT_INIT;
    int n = getKeysFromCommand(cmd, c->argv + 2, argc, &result);
    if (n == 0) {
        if (cmd->flags & CMD_NO_MANDATORY_KEYS) addReplyArrayLen(c, 0);
        else addReplyError(c, "Invalid arguments specified for command");
    } else {
        addReplyArrayLen(c, n);
        for (int i = 0; i < n; i++) {
            robj *key = c->argv[2 + result.keys[i].pos];
            if (with_flags) {
                addReplyArrayLen(c, 2);
                addReplyBulk(c, key);
                addReplyKeyFlags(c, (uint64_t)result.keys[i].flags);
            } else {
                addReplyBulk(c, key);
            }
        }
    }
    getKeysFreeResult(&result);
}

void commandGetKeysCommand(client *c) {
    getKeysReply(c, 0);
}

void commandGetKeysAndFlagsCommand(client *c) {
    getKeysReply(c, 1);
}

/* COMMAND HELP */
void commandHelpCommand(client *c) {
    static const char *help[] = {
        "(no subcommand)",
        "    Describe every command of this server (the INFO reply for each).",
        "COUNT",
        "    Number of commands this server knows.",
        "LIST",
        "    Names of all commands of this server, subcommands included.",
        "INFO [<command-name> ...]",
        "    Describe the named commands: arity, flags, key positions, ACL",
        "    categories, tips, key specifications and subcommands. With no name,",
        "    describe every command.",
        "DOCS [<command-name> ...]",
        "    Documentation of the named commands: summary, version, group,",
        "    complexity and argument tree. With no name, document every",
        "    command.",
        "GETKEYS <full-command>",
        "    The key names found in a complete command line.",
        "GETKEYSANDFLAGS <full-command>",
        "    The key names found in a complete command line, each with the way",
        "    the command uses it.",
        NULL,
    };
    addReplyHelp(c, help);
}
