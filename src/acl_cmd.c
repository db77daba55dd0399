/* acl_cmd.c — the ACL command, the ACL file and users from redis.conf.
 *
 * ACL SETUSER applies its rules to a scratch copy of the user and keeps
 * them only when every rule was accepted, so a bad rule changes nothing.
 * GETUSER and LIST show the rendering acl.c makes of each selector.
 *
 * Users come from one of two places at start-up, never both: `user` lines
 * of redis.conf (kept as given and applied once the whole file is read), or
 * the `aclfile`, which ACL LOAD reads again and ACL SAVE rewrites. A load
 * builds a whole new users table first and replaces the old one only when
 * every line was valid; the clients of the replaced users are disconnected
 * and the default user keeps its identity (clients point at it).
 *
 * Peer credentials (unixsocket-peercred-user UID:USER) map the uid of a
 * unix-socket peer, as the kernel reports it (SO_PEERCRED), to a user the
 * client is authenticated as when it connects.
 */
#include "acl_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* `user` lines of the configuration, kept until aclLoadUsersAtStartup. */
static list *config_user_lines;

/* -------------------------------------------------------------- SETUSER */

void aclSetuserCommand(client *c) {
    sds name = c->argv[2]->ptr;
    if (!aclValidUserName(name, sdslen(name))) {
        addReplyError(c, "Usernames can't contain spaces or null characters");
        return;
    }
    user *u = aclGetUser(name, sdslen(name));
    int created = u == NULL;
    if (created) u = aclCreateUser(name, sdslen(name));
    sds *rules = zmalloc(sizeof(sds) * (size_t)(c->argc > 3 ? c->argc - 3 : 1));
    for (int j = 3; j < c->argc; j++) rules[j - 3] = c->argv[j]->ptr;
    sds errop = NULL;
    int badparen;
    int ret = aclSetUserRules(u, rules, c->argc - 3, &errop, &badparen);
    zfree(rules);
    if (ret == C_OK) {
        addReply(c, shared.ok);
        return;
    }
    if (badparen >= 0)
        addReplyErrorFormat(c, "Unmatched parenthesis in acl selector starting at '%s'.",
                            (char *)c->argv[badparen + 3]->ptr);
    else
        addReplyErrorFormat(c, "Error in ACL SETUSER modifier '%s': %s", errop, aclRuleErrorText(errno));
    sdsfree(errop);
    if (created) aclDeleteUser(u);
}

/* ---------------------------------------------------- GETUSER, LIST ... */

static void addSelectorFields(client *c, aclSelector *s) {
    sds part = aclDescribeSelectorCommands(s);
    addReplyBulkCString(c, "commands");
    addReplyBulkSds(c, part);
    addReplyBulkCString(c, "keys");
    addReplyBulkSds(c, aclDescribeSelectorKeys(s));
    addReplyBulkCString(c, "channels");
    addReplyBulkSds(c, aclDescribeSelectorChannels(s));
}

void aclGetuserCommand(client *c) {
    user *u = aclGetUser(c->argv[2]->ptr, sdslen(c->argv[2]->ptr));
    if (!u) {
        addReplyNull(c);
        return;
    }
    addReplyMapLen(c, 6);
    const char *flags[8];
    int n = aclUserFlagNames(u, flags);
    addReplyBulkCString(c, "flags");
    addReplySetLen(c, n);
    for (int j = 0; j < n; j++) addReplyBulkCString(c, flags[j]);
    addReplyBulkCString(c, "passwords");
    addReplyArrayLen(c, (long)listLength(u->passwords));
    listIter li;
    listNode *ln;
    listRewind(u->passwords, &li);
    while ((ln = listNext(&li))) addReplyBulkCBuffer(c, listNodeValue(ln), sdslen(listNodeValue(ln)));
    listRewind(u->selectors, &li);
    ln = listNext(&li);
    addSelectorFields(c, listNodeValue(ln));
    addReplyBulkCString(c, "selectors");
    addReplyArrayLen(c, (long)listLength(u->selectors) - 1);
    while ((ln = listNext(&li))) {
        addReplyMapLen(c, 3);
        addSelectorFields(c, listNodeValue(ln));
    }
}

void aclDeluserCommand(client *c) {
    long long deleted = 0;
    for (int j = 2; j < c->argc; j++) {
        sds name = c->argv[j]->ptr;
        if (!strcmp(name, "default")) {
            addReplyError(c, "The 'default' user cannot be removed");
            return;
        }
    }
    for (int j = 2; j < c->argc; j++) {
        user *u = aclGetUser(c->argv[j]->ptr, sdslen(c->argv[j]->ptr));
        if (!u) continue;
        aclDeleteUser(u);
        deleted++;
    }
    addReplyLongLong(c, deleted);
}

/* Calls fn for every user in name order. */
static void forEachUser(void (*fn)(user *u, void *privdata), void *privdata) {
    raxIterator ri;
    raxStart(&ri, Users);
    raxSeek(&ri, "^", NULL, 0);
    while (raxNext(&ri)) fn(ri.data, privdata);
    raxStop(&ri);
}

typedef struct lineVisit {
    void (*fn)(sds line, void *privdata);
    void *privdata;
} lineVisit;

static void visitUserLine(user *u, void *privdata) {
    lineVisit *v = privdata;
    v->fn(aclDescribeUser(u), v->privdata);
}

void aclForEachUserLine(void (*fn)(sds line, void *privdata), void *privdata) {
    lineVisit v = {fn, privdata};
    forEachUser(visitUserLine, &v);
}

static void replyUserLine(user *u, void *privdata) {
    addReplyBulkSds(privdata, aclDescribeUser(u));
}

static void replyUserName(user *u, void *privdata) {
    addReplyBulkCBuffer(privdata, u->name, sdslen(u->name));
}

void aclListCommand(client *c) {
    addReplyArrayLen(c, (long)raxSize(Users));
    forEachUser(replyUserLine, c);
}

void aclUsersCommand(client *c) {
    addReplyArrayLen(c, (long)raxSize(Users));
    forEachUser(replyUserName, c);
}

void aclWhoamiCommand(client *c) {
    if (c->user)
        addReplyBulkCBuffer(c, c->user->name, sdslen(c->user->name));
    else
        addReplyNull(c);
}

/* ------------------------------------------------------ CAT, GENPASS */

static long replyCategoryCommands(client *c, struct redisCommand *cmd, uint64_t flag) {
    long n = 0;
    if (cmd->proc && (cmd->acl_categories & flag)) {
        addReplyBulkCBuffer(c, cmd->fullname, sdslen(cmd->fullname));
        n++;
    }
    if (cmd->subcommands_dict) {
        dictIterator *di = dictGetIterator(cmd->subcommands_dict);
        dictEntry *de;
        while ((de = dictNext(di))) n += replyCategoryCommands(c, dictGetVal(de), flag);
        dictReleaseIterator(di);
    }
    return n;
}

void aclCatCommand(client *c) {
    if (c->argc == 2) {
        long n = 0;
        while (aclCategories[n].name) n++;
        addReplyArrayLen(c, n);
        for (long j = 0; j < n; j++) addReplyBulkCString(c, aclCategories[j].name);
        return;
    }
    if (c->argc != 3) {
        addReplyErrorSubcommandSyntax(c);
        return;
    }
    uint64_t flag = aclCategoryByName(c->argv[2]->ptr);
    if (!flag) {
        addReplyErrorFormat(c, "Unknown category '%.128s'", (char *)c->argv[2]->ptr);
        return;
    }
    void *len = addReplyDeferredLen(c);
    long n = 0;
    dictIterator *di = dictGetIterator(server.orig_commands);
    dictEntry *de;
    while ((de = dictNext(di))) n += replyCategoryCommands(c, dictGetVal(de), flag);
    dictReleaseIterator(di);
    setDeferredArrayLen(c, len, n);
}

void aclGenpassCommand(client *c) {
    long bits = 256;
    if (c->argc > 3) {
        addReplyErrorSubcommandSyntax(c);
        return;
    }
    if (c->argc == 3 && getLongFromObjectOrReply(c, c->argv[2], &bits, NULL) != C_OK) return;
    if (bits <= 0 || bits > 4096) {
        addReplyError(c, "ACL GENPASS argument must be the number of bits for the output password, a positive "
                         "number up to 4096");
        return;
    }
    size_t chars = (size_t)(bits + 3) / 4;
    char buf[1025];
    getRandomHexChars(buf, chars);
    addReplyBulkCBuffer(c, buf, chars);
}

/* -------------------------------------------------------------- DRYRUN */

void aclDryrunCommand(client *c) {
    user *u = aclGetUser(c->argv[2]->ptr, sdslen(c->argv[2]->ptr));
    if (!u) {
        addReplyErrorFormat(c, "User '%s' not found", (char *)c->argv[2]->ptr);
        return;
    }
    struct redisCommand *cmd = lookupCommand(c->argv + 3, c->argc - 3);
    if (!cmd) {
        addReplyErrorFormat(c, "Command '%s' not found", (char *)c->argv[3]->ptr);
        return;
    }
    if (!commandCheckArity(cmd, c->argc - 3, NULL)) {
        addReplyErrorFormat(c, "wrong number of arguments for '%s' command", cmd->fullname);
        return;
    }
    int pos;
    int r = aclCheckCommand(u, cmd, c->argv + 3, c->argc - 3, &pos);
    if (r == ACL_OK) {
        addReply(c, shared.ok);
    } else if (r == ACL_DENIED_CMD) {
        addReplyBulkSds(c, sdscatfmt(sdsempty(), "This user has no permissions to run the '%S' command",
                                     cmd->fullname));
    } else {
        addReplyBulkSds(c, sdscatfmt(sdsempty(), "This user has no permissions to access the '%S' %s",
                                     (sds)c->argv[pos + 3]->ptr, r == ACL_DENIED_KEY ? "key" : "channel"));
    }
}

/* -------------------------------------------------------------- LOG */

typedef struct aclLogEntry {
    uint64_t count;
    int reason, context;
    sds object, username, cinfo;
    long long ctime; /* milliseconds */
} aclLogEntry;

/* Most recent first; cut to acllog-max-len entries when one is added (a
 * lower limit set by CONFIG SET applies then, as in Redis). */
static list *acl_log;

/* Denials of the same kind this close together count as one entry. */
#define ACL_LOG_GROUPING_MS 60000
#define ACL_LOG_SCAN 10

static void logEntryFree(void *p) {
    aclLogEntry *e = p;
    sdsfree(e->object);
    sdsfree(e->username);
    sdsfree(e->cinfo);
    zfree(e);
}

static int logEntrySimilar(aclLogEntry *a, aclLogEntry *b) {
    return a->reason == b->reason && a->context == b->context && b->ctime - a->ctime <= ACL_LOG_GROUPING_MS &&
           !sdscmp(a->object, b->object) && !sdscmp(a->username, b->username);
}


void aclLogDenial(client *c, int reason, int context, robj **argv, int argpos, const char *username) {
    if (!acl_log) {
        acl_log = listCreate();
        listSetFreeMethod(acl_log, logEntryFree);
    }
    aclLogEntry *e = zmalloc(sizeof(*e));
    e->count = 1;
    e->reason = reason;
    e->context = context;
    e->username = sdsnew(username ? username : c->user ? c->user->name : "default");
    if (reason == ACL_DENIED_CMD)
        e->object = sdsdup(c->cmd->fullname);
    else /* a key, a channel, or for AUTH the command name as typed */
        e->object = sdsdup(argv[argpos]->ptr);
    client *real = server.current_client ? server.current_client : c;
    e->cinfo = catClientInfoString(sdsempty(), real);
    e->ctime = mstime();

    listIter li;
    listNode *ln;
    listRewind(acl_log, &li);
    for (int scanned = 0; scanned < ACL_LOG_SCAN && (ln = listNext(&li)); scanned++) {
        aclLogEntry *old = listNodeValue(ln);
        if (!logEntrySimilar(old, e)) continue;
        sdsfree(old->cinfo);
        old->cinfo = e->cinfo;
        e->cinfo = NULL;
        old->ctime = e->ctime;
        old->count++;
        logEntryFree(e);
        listUnlinkNode(acl_log, ln);
        listLinkNodeHead(acl_log, ln);
        return;
    }
    listAddNodeHead(acl_log, e);
    while (listLength(acl_log) > server.security.acllog_max_len) listDelNode(acl_log, listLast(acl_log));
}

static const char *logReasonName(int reason) {
    switch (reason) {
    case ACL_DENIED_CMD: return "command";
    case ACL_DENIED_KEY: return "key";
    case ACL_DENIED_AUTH: return "auth";
    case ACL_DENIED_CHANNEL: return "channel";
    default: return "unknown";
    }
}

static const char *logContextName(int context) {
    switch (context) {
    case ACL_LOG_CTX_TOPLEVEL: return "toplevel";
    case ACL_LOG_CTX_MULTI: return "multi";
    case ACL_LOG_CTX_LUA: return "lua";
    default: return "unknown";
    }
}

static void addLogEntryReply(client *c, aclLogEntry *e, long long now) {
    addReplyMapLen(c, 7);
    addReplyBulkCString(c, "count");
    addReplyLongLong(c, (long long)e->count);
    addReplyBulkCString(c, "reason");
    addReplyBulkCString(c, logReasonName(e->reason));
    addReplyBulkCString(c, "context");
    addReplyBulkCString(c, logContextName(e->context));
    addReplyBulkCString(c, "object");
    addReplyBulkCBuffer(c, e->object, sdslen(e->object));
    addReplyBulkCString(c, "username");
    addReplyBulkCBuffer(c, e->username, sdslen(e->username));
    addReplyBulkCString(c, "age-seconds");
    addReplyDouble(c, (double)(now - e->ctime) / 1000.0);
    addReplyBulkCString(c, "client-info");
    addReplyBulkCBuffer(c, e->cinfo, sdslen(e->cinfo));
}

void aclLogCommand(client *c) {
    long count = 10;
    if (c->argc > 3) {
        addReplyErrorSubcommandSyntax(c);
        return;
    }
    if (c->argc == 3) {
        if (!strcasecmp(c->argv[2]->ptr, "reset")) {
            if (acl_log) listEmpty(acl_log);
            addReply(c, shared.ok);
            return;
        }
        if (getLongFromObjectOrReply(c, c->argv[2], &count, NULL) != C_OK) return;
        if (count < 0) count = 0; /* as Redis: no entries */
    }
    size_t total = acl_log ? listLength(acl_log) : 0;
    if ((size_t)count > total) count = (long)total;
    addReplyArrayLen(c, count);
    long long now = mstime();
    listIter li;
    listNode *ln;
    if (acl_log) listRewind(acl_log, &li);
    for (long j = 0; j < count && (ln = listNext(&li)); j++) addLogEntryReply(c, listNodeValue(ln), now);
}

/* ------------------------------------------------------------ the file */

/* Frees a users table built by a load that failed or was replaced. */
static void freeUserFromTable(void *u) {
    aclFreeUserAndKillClients(u);
}

/* Applies one line's rules to a user of the table being loaded; C_ERR
 * with *err extended by the reason. */
static int loadUserLine(sds *argv, int argc, const char *where, sds *err) {
    if (strcmp(argv[0], "user") || argc < 2) {
        *err = sdscatfmt(*err, "%s should start with user keyword followed by the username. ", where);
        return C_ERR;
    }
    if (!aclValidUserName(argv[1], sdslen(argv[1]))) {
        *err = sdscatfmt(*err, "%s: username '%S' contains invalid characters. ", where, argv[1]);
        return C_ERR;
    }
    user *u = aclCreateUser(argv[1], sdslen(argv[1]));
    if (!u) {
        *err = sdscatfmt(*err, "%s: Duplicate user '%S' found. ", where, argv[1]);
        return C_ERR;
    }
    sds errop = NULL;
    int badparen;
    if (aclSetUserRules(u, argv + 2, argc - 2, &errop, &badparen) == C_OK) return C_OK;
    if (badparen >= 0)
        *err = sdscatfmt(*err, "%s: Unmatched parenthesis in acl selector starting at '%S'. ", where,
                         argv[badparen + 2]);
    else
        *err = sdscatfmt(*err, "%s: Error in applying operation '%S': %s. ", where, errop, aclRuleErrorText(errno));
    sdsfree(errop);
    return C_ERR;
}

/* Reads path into a new table; on success it replaces Users (the default
 * user object is kept, with the new rules) and returns C_OK, else C_ERR
 * with a new sds *err listing the bad lines. */
static int aclLoadFromFile(const char *path, sds *err) {
    FILE *fp = fopen(path, "r");
    if (!fp) {
        *err = sdscatfmt(sdsempty(), "Error loading ACLs, opening file '%s': %s", path, strerror(errno));
        return C_ERR;
    }
    sds content = sdsempty();
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) content = sdscatlen(content, buf, n);
    fclose(fp);

    rax *old = Users;
    Users = raxNew();
    sds errors = sdsempty();
    int nlines;
    sds *lines = sdssplitlen(content, (ssize_t)sdslen(content), "\n", 1, &nlines);
    sdsfree(content);
    for (int i = 0; i < nlines; i++) {
        lines[i] = sdstrim(lines[i], " \t\r\n");
        if (sdslen(lines[i]) == 0) continue;
        sds where = sdscatfmt(sdsempty(), "%s:%i", path, i + 1);
        int argc;
        sds *argv = sdssplitargs(lines[i], &argc);
        if (!argv)
            errors = sdscatfmt(errors, "%S: unbalanced quotes in acl line. ", where);
        else if (argc > 0)
            loadUserLine(argv, argc, where, &errors);
        if (argv) sdsfreesplitres(argv, argc);
        sdsfree(where);
    }
    sdsfreesplitres(lines, nlines);

    if (sdslen(errors)) {
        raxFreeWithCallback(Users, freeUserFromTable);
        Users = old;
        *err = sdscat(errors, "WARNING: ACL errors detected, no change to the previously active ACL rules was "
                              "performed");
        return C_ERR;
    }
    sdsfree(errors);
    user *fresh_default = aclGetUser("default", 7);
    if (!fresh_default) {
        fresh_default = aclCreateUser("default", 7);
        const char *rules[] = {"+@all", "~*", "&*", "on", "nopass"};
        for (size_t j = 0; j < sizeof(rules) / sizeof(rules[0]); j++) aclSetUser(fresh_default, rules[j], -1);
    }
    /* The default user object stays: swap its rules in, drop the copy. */
    raxRemove(Users, (const unsigned char *)"default", 7, NULL);
    raxRemove(old, (const unsigned char *)"default", 7, NULL);
    list *tmp;
    tmp = DefaultUser->passwords, DefaultUser->passwords = fresh_default->passwords,
    fresh_default->passwords = tmp;
    tmp = DefaultUser->selectors, DefaultUser->selectors = fresh_default->selectors,
    fresh_default->selectors = tmp;
    DefaultUser->flags = fresh_default->flags;
    aclFreeUserAndKillClients(fresh_default);
    raxInsert(Users, (const unsigned char *)"default", 7, DefaultUser, NULL);
    raxFreeWithCallback(old, freeUserFromTable);
    return C_OK;
}

static const char *no_aclfile_msg =
    "This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER "
    "command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store "
    "users in the Redis configuration.";

static int haveAclFile(void) {
    return server.security.acl_filename && server.security.acl_filename[0];
}

void aclLoadCommand(client *c) {
    if (!haveAclFile()) {
        addReplyError(c, no_aclfile_msg);
        return;
    }
    sds err = NULL;
    if (aclLoadFromFile(server.security.acl_filename, &err) == C_OK) {
        addReply(c, shared.ok);
    } else {
        addReplyErrorSds(c, err);
    }
}

static void catUserLine(user *u, void *privdata) {
    sds *out = privdata;
    sds line = aclDescribeUser(u);
    *out = sdscatfmt(*out, "%S\n", line);
    sdsfree(line);
}

/* Writes every user to path through a temporary file renamed over it. */
static int aclSaveToFile(const char *path) {
    sds content = sdsempty();
    forEachUser(catUserLine, &content);
    sds tmp = sdscatfmt(sdsempty(), "%s.tmp-%i", path, (int)getpid());
    FILE *fp = fopen(tmp, "w");
    int ok = fp != NULL;
    if (ok) ok = fwrite(content, 1, sdslen(content), fp) == sdslen(content);
    if (fp && fflush(fp) != 0) ok = 0;
    if (fp && fsync(fileno(fp)) != 0) ok = 0;
    if (fp && fclose(fp) != 0) ok = 0;
    if (ok && rename(tmp, path) != 0) ok = 0;
    if (!ok) {
        serverLog(LL_WARNING, "Saving the ACL file '%s': %s", path, strerror(errno));
        unlink(tmp);
    }
    sdsfree(tmp);
    sdsfree(content);
    return ok ? C_OK : C_ERR;
}

void aclSaveCommand(client *c) {
    if (!haveAclFile()) {
        addReplyError(c, no_aclfile_msg);
        return;
    }
    if (aclSaveToFile(server.security.acl_filename) == C_OK)
        addReply(c, shared.ok);
    else
        addReplyError(c, "There was an error trying to save the ACLs. Please check the server logs for more "
                         "information");
}

void aclHelpCommand(client *c) {
    static const char *help[] = {
        "CAT [<category>]",
        "    List all commands that belong to <category>, or all command categories",
        "    when no category is specified.",
        "DELUSER <username> [<username> ...]",
        "    Delete a list of users.",
        "DRYRUN <username> <command> [<arg> ...]",
        "    Returns whether the user can execute the given command without executing the command.",
        "GETUSER <username>",
        "    Get the user's details.",
        "GENPASS [<bits>]",
        "    Generate a secure 256-bit user password. The optional `bits` argument can",
        "    be used to specify a different size.",
        "LIST",
        "    Show users details in config file format.",
        "LOAD",
        "    Reload users from the ACL file.",
        "LOG [<count> | RESET]",
        "    Show the ACL log entries.",
        "SAVE",
        "    Save the current config to the ACL file.",
        "SETUSER <username> <attribute> [<attribute> ...]",
        "    Create or modify a user with the specified attributes.",
        "USERS",
        "    List all the registered usernames.",
        "WHOAMI",
        "    Return the current connection username.",
        NULL,
    };
    addReplyHelp(c, help);
}

/* ------------------------------------------------------------ start-up */

void aclAddConfigUserLine(sds *argv, int argc) {
    if (!config_user_lines) config_user_lines = listCreate();
    sds line = sdsempty();
    for (int j = 0; j < argc; j++) line = sdscatrepr(line, argv[j], sdslen(argv[j])), line = sdscat(line, " ");
    listAddNodeTail(config_user_lines, line);
}

static int aclHasConfigUserLines(void) {
    return config_user_lines && listLength(config_user_lines);
}

static void fatalAclStartup(const char *msg) {
    serverLog(LL_WARNING, "%s", msg);
    exit(1);
}

/* The `user` lines of the configuration, in order. A line for "default"
 * replaces its built-in rules; a name given twice is an error, as in Redis. */
static void loadConfigUserLines(void) {
    listIter li;
    listNode *ln;
    listRewind(config_user_lines, &li);
    rax *seen = raxNew();
    while ((ln = listNext(&li))) {
        int argc;
        sds *argv = sdssplitargs(listNodeValue(ln), &argc);
        sds err = NULL;
        if (argc < 2 || !aclValidUserName(argv[1], sdslen(argv[1]))) {
            err = sdscatfmt(sdsempty(), "Error in user declaration '%S': Usernames can't contain spaces or null "
                                        "characters", argc > 1 ? argv[1] : argv[0]);
        } else if (raxTryInsert(seen, (unsigned char *)argv[1], sdslen(argv[1]), NULL, NULL) == 0) {
            err = sdscatfmt(sdsempty(), "Error in user declaration '%S': %s", argv[1], aclRuleErrorText(EALREADY));
        } else {
            user *u = aclGetUser(argv[1], sdslen(argv[1]));
            if (!u) u = aclCreateUser(argv[1], sdslen(argv[1]));
            else if (u == DefaultUser) aclSetUser(u, "reset", -1);
            sds errop = NULL;
            int badparen;
            if (aclSetUserRules(u, argv + 2, argc - 2, &errop, &badparen) != C_OK)
                err = sdscatfmt(sdsempty(), "Error in user declaration '%S': %s", argv[1],
                                badparen >= 0 ? "Unmatched parenthesis in acl selector" : aclRuleErrorText(errno));
            sdsfree(errop);
        }
        sdsfreesplitres(argv, argc);
        if (err) fatalAclStartup(err);
    }
    raxFree(seen);
}

void aclLoadUsersAtStartup(void) {
    aclSetDefaultUserPassword(server.security.requirepass);
    if (haveAclFile() && aclHasConfigUserLines())
        fatalAclStartup("Configuring Redis with users defined in redis.conf and at the same setting an ACL file "
                        "path is invalid. This setup is very likely to lead to configuration errors and security "
                        "holes, please define either an ACL file or declare users directly in your redis.conf, "
                        "but not both.");
    if (aclHasConfigUserLines()) loadConfigUserLines();
    if (haveAclFile()) {
        sds err = NULL;
        if (aclLoadFromFile(server.security.acl_filename, &err) != C_OK) {
            sds msg = sdscatfmt(sdsempty(), "Aborting Redis startup because of ACL errors: %S", err);
            fatalAclStartup(msg);
        }
    }
}

/* ---------------------------------------------------- peer credentials */

typedef struct peercredMap {
    long uid;
    sds username;
} peercredMap;

static list *peercred_maps;

int aclPeercredAdd(const char *spec, const char **err) {
    const char *colon = strchr(spec, ':');
    char *end = NULL;
    long uid = colon ? strtol(spec, &end, 10) : -1;
    if (!colon || end != colon || colon == spec || uid < 0 || colon[1] == '\0' ||
        !aclValidUserName(colon + 1, strlen(colon + 1))) {
        *err = "unixsocket-peercred-user takes UID:USER (a numeric uid and a user name)";
        return 0;
    }
    if (!peercred_maps) peercred_maps = listCreate();
    peercredMap *m = zmalloc(sizeof(*m));
    m->uid = uid;
    m->username = sdsnew(colon + 1);
    listAddNodeTail(peercred_maps, m);
    return 1;
}

void aclPeercredReset(void) {
    if (!peercred_maps) return;
    listIter li;
    listNode *ln;
    listRewind(peercred_maps, &li);
    while ((ln = listNext(&li))) {
        peercredMap *m = listNodeValue(ln);
        sdsfree(m->username);
        zfree(m);
    }
    listEmpty(peercred_maps);
}

sds aclPeercredGet(void) {
    sds out = sdsempty();
    if (!peercred_maps) return out;
    listIter li;
    listNode *ln;
    listRewind(peercred_maps, &li);
    while ((ln = listNext(&li))) {
        peercredMap *m = listNodeValue(ln);
        if (sdslen(out)) out = sdscatlen(out, " ", 1);
        out = sdscatfmt(out, "%I:%S", (long long)m->uid, m->username);
    }
    return out;
}

void aclAuthenticateByPeer(client *c) {
    if (!peercred_maps || !listLength(peercred_maps) || !c->conn) return;
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(c->conn->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) return;
    listIter li;
    listNode *ln;
    listRewind(peercred_maps, &li);
    while ((ln = listNext(&li))) {
        peercredMap *m = listNodeValue(ln);
        if (m->uid != (long)cred.uid) continue;
        user *u = aclGetUser(m->username, sdslen(m->username));
        if (!u || (u->flags & USER_FLAG_DISABLED)) return;
        c->user = u;
        c->authenticated = 1;
        return;
    }
}
