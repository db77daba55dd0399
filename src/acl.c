/* acl.c — users, their rules, and the permission check.
 *
 * Rules are applied one at a time to a user (aclSetUser): user-level ones
 * (on/off, passwords, selectors) change the user, the rest go to its root
 * selector (aclSetSelector). A selector allows commands through a bitmap
 * indexed by command id over the whole declared command table (commands
 * Ember does not implement included, so categories count exactly the
 * commands Redis 7.0 counts), plus lists of allowed first arguments for
 * commands without subcommands ("+select|0"). Keys are allowed by glob
 * patterns carrying read and/or write permission; each key of a command is
 * checked with the permission its key spec asks for (access → read;
 * insert, update, delete → write). Channels are glob patterns matched
 * against PUBLISH/SUBSCRIBE channels, literally against PSUBSCRIBE
 * patterns.
 *
 * The rules a user is shown with (ACL LIST, GETUSER) are not the rules it
 * was given but a rendering of its bitmap, as Redis 7.0 does: start from
 * +@all or -@all, then greedily add the category that best moves towards
 * the bitmap, then the single commands that still differ.
 *
 * Passwords are stored only as SHA-256 hex digests and compared in time
 * independent of where they differ. The ACL commands live in acl_cmd.c.
 */
#include "acl_internal.h"
#include "sha256.h"
#include "pubsub.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

extern struct redisCommand redisCommandTable[];

rax *Users;
user *DefaultUser;

/* Bits of a selector's command bitmap: the largest command id + 1. */
static int acl_command_count;
static size_t acl_bitmap_words;

const aclCategory aclCategories[] = {
    {"keyspace", ACL_CATEGORY_KEYSPACE},       {"read", ACL_CATEGORY_READ},
    {"write", ACL_CATEGORY_WRITE},             {"set", ACL_CATEGORY_SET},
    {"sortedset", ACL_CATEGORY_SORTEDSET},     {"list", ACL_CATEGORY_LIST},
    {"hash", ACL_CATEGORY_HASH},               {"string", ACL_CATEGORY_STRING},
    {"bitmap", ACL_CATEGORY_BITMAP},           {"hyperloglog", ACL_CATEGORY_HYPERLOGLOG},
    {"geo", ACL_CATEGORY_GEO},                 {"stream", ACL_CATEGORY_STREAM},
    {"pubsub", ACL_CATEGORY_PUBSUB},           {"admin", ACL_CATEGORY_ADMIN},
    {"fast", ACL_CATEGORY_FAST},               {"slow", ACL_CATEGORY_SLOW},
    {"blocking", ACL_CATEGORY_BLOCKING},       {"dangerous", ACL_CATEGORY_DANGEROUS},
    {"connection", ACL_CATEGORY_CONNECTION},   {"transaction", ACL_CATEGORY_TRANSACTION},
    {"scripting", ACL_CATEGORY_SCRIPTING},     {NULL, 0},
};

uint64_t aclCategoryByName(const char *name) {
    for (int j = 0; aclCategories[j].name; j++)
        if (!strcasecmp(name, aclCategories[j].name)) return aclCategories[j].flag;
    return 0;
}

/* ------------------------------------------------------------ the table */

/* Visits every declared command, each top-level one followed by its
 * subcommands, implemented or not. */
#define FOR_EACH_TOP(cmd) for (struct redisCommand *cmd = redisCommandTable; cmd->declared_name; cmd++)
#define FOR_EACH_SUB(parent, sub) \
    for (struct redisCommand *sub = (parent)->subcommands; sub && sub->declared_name; sub++)

/* A declared command by name: "get", "config|get" (any case); NULL when
 * unknown or when more than one '|' is given. */
static struct redisCommand *aclLookupCommand(const char *name, size_t len) {
    const char *bar = memchr(name, '|', len);
    size_t baselen = bar ? (size_t)(bar - name) : len;
    FOR_EACH_TOP(cmd) {
        if (strlen(cmd->declared_name) != baselen || strncasecmp(cmd->declared_name, name, baselen)) continue;
        if (!bar) return cmd;
        const char *subname = bar + 1;
        size_t sublen = len - baselen - 1;
        if (!cmd->subcommands || memchr(subname, '|', sublen)) return NULL;
        FOR_EACH_SUB(cmd, sub) {
            if (strlen(sub->declared_name) == sublen && !strncasecmp(sub->declared_name, subname, sublen))
                return sub;
        }
        return NULL;
    }
    return NULL;
}

/* ------------------------------------------------------------ bitmaps */

static int bitGet(const uint64_t *bits, int id) {
    return (bits[id / 64] >> (id % 64)) & 1;
}

static void bitSet(uint64_t *bits, int id, int on) {
    if (on)
        bits[id / 64] |= 1ULL << (id % 64);
    else
        bits[id / 64] &= ~(1ULL << (id % 64));
}

/* Sets cmd (and all its subcommands) to on in bits. */
static void bitsSetCommand(uint64_t *bits, struct redisCommand *cmd, int on) {
    bitSet(bits, cmd->id, on);
    FOR_EACH_SUB(cmd, sub) bitSet(bits, sub->id, on);
}

/* Sets every command of category flag in bits: a container in the
 * category brings all its subcommands along, as in Redis. */
static void bitsSetCategory(uint64_t *bits, uint64_t flag, int on) {
    FOR_EACH_TOP(cmd) {
        if (cmd->acl_categories & flag) bitsSetCommand(bits, cmd, on);
        FOR_EACH_SUB(cmd, sub) if (sub->acl_categories & flag) bitSet(bits, sub->id, on);
    }
}

static void bitsCountCategory(const uint64_t *bits, uint64_t flag, unsigned long *on, unsigned long *off) {
    *on = *off = 0;
    FOR_EACH_TOP(cmd) {
        if (cmd->acl_categories & flag) bitGet(bits, cmd->id) ? (*on)++ : (*off)++;
        FOR_EACH_SUB(cmd, sub) if (sub->acl_categories & flag) bitGet(bits, sub->id) ? (*on)++ : (*off)++;
    }
}

/* ----------------------------------------------------------- selectors */

static void keyPatternFree(void *p) {
    aclKeyPattern *kp = p;
    sdsfree(kp->pattern);
    zfree(kp);
}

static void sdsFreeVoid(void *p) {
    sdsfree(p);
}

static aclSelector *selectorCreate(int flags) {
    aclSelector *s = zmalloc(sizeof(*s));
    s->flags = flags | (server.security.acl_pubsub_default ? SELECTOR_FLAG_ALLCHANNELS : 0);
    s->allowed = zcalloc(acl_bitmap_words * sizeof(uint64_t));
    s->firstargs = NULL;
    s->patterns = listCreate();
    listSetFreeMethod(s->patterns, keyPatternFree);
    s->channels = listCreate();
    listSetFreeMethod(s->channels, sdsFreeVoid);
    return s;
}

static void firstargsResetCommand(aclSelector *s, int id) {
    if (!s->firstargs || !s->firstargs[id]) return;
    for (sds *a = s->firstargs[id]; *a; a++) sdsfree(*a);
    zfree(s->firstargs[id]);
    s->firstargs[id] = NULL;
}

static void firstargsResetAll(aclSelector *s) {
    if (!s->firstargs) return;
    for (int id = 0; id < acl_command_count; id++) firstargsResetCommand(s, id);
    zfree(s->firstargs);
    s->firstargs = NULL;
}

static void firstargsAdd(aclSelector *s, int id, const char *arg) {
    if (!s->firstargs) s->firstargs = zcalloc((size_t)acl_command_count * sizeof(sds *));
    size_t n = 0;
    if (s->firstargs[id]) {
        for (; s->firstargs[id][n]; n++)
            if (!strcasecmp(s->firstargs[id][n], arg)) return;
    }
    s->firstargs[id] = zrealloc(s->firstargs[id], (n + 2) * sizeof(sds));
    s->firstargs[id][n] = sdsnew(arg);
    s->firstargs[id][n + 1] = NULL;
}

static void selectorFree(void *p) {
    aclSelector *s = p;
    firstargsResetAll(s);
    zfree(s->allowed);
    listRelease(s->patterns);
    listRelease(s->channels);
    zfree(s);
}

static aclSelector *selectorCopy(const aclSelector *src) {
    aclSelector *s = selectorCreate(0);
    s->flags = src->flags;
    memcpy(s->allowed, src->allowed, acl_bitmap_words * sizeof(uint64_t));
    if (src->firstargs) {
        for (int id = 0; id < acl_command_count; id++)
            for (sds *a = src->firstargs[id]; a && *a; a++) firstargsAdd(s, id, *a);
    }
    listIter li;
    listNode *ln;
    listRewind(src->patterns, &li);
    while ((ln = listNext(&li))) {
        aclKeyPattern *kp = listNodeValue(ln), *copy = zmalloc(sizeof(*copy));
        copy->flags = kp->flags;
        copy->pattern = sdsdup(kp->pattern);
        listAddNodeTail(s->patterns, copy);
    }
    listRewind(src->channels, &li);
    while ((ln = listNext(&li))) listAddNodeTail(s->channels, sdsdup(listNodeValue(ln)));
    return s;
}

/* Allows or denies cmd (and its subcommands); forgets its first args. */
static void selectorChangeCommand(aclSelector *s, struct redisCommand *cmd, int allow) {
    bitsSetCommand(s->allowed, cmd, allow);
    if (!allow) s->flags &= ~SELECTOR_FLAG_ALLCOMMANDS;
    firstargsResetCommand(s, cmd->id);
    FOR_EACH_SUB(cmd, sub) firstargsResetCommand(s, sub->id);
}

static void selectorChangeCategory(aclSelector *s, uint64_t flag, int allow) {
    FOR_EACH_TOP(cmd) {
        if (cmd->acl_categories & flag) selectorChangeCommand(s, cmd, allow);
        FOR_EACH_SUB(cmd, sub) if (sub->acl_categories & flag) selectorChangeCommand(s, sub, allow);
    }
}

static int hasSpaces(const char *p, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (p[i] == ' ' || p[i] == '\0') return 1;
    return 0;
}

/* "~pattern" or "%R~", "%W~", "%RW~" pattern. */
static int selectorAddKeyPattern(aclSelector *s, const char *op, size_t len) {
    if (s->flags & SELECTOR_FLAG_ALLKEYS) {
        errno = EEXIST;
        return C_ERR;
    }
    int flags = 0;
    size_t offset = 1;
    if (op[0] == '%') {
        for (; offset < len; offset++) {
            char ch = (char)(op[offset] & ~0x20);
            if (ch == 'R' && !(flags & ACL_READ_PERMISSION)) {
                flags |= ACL_READ_PERMISSION;
            } else if (ch == 'W' && !(flags & ACL_WRITE_PERMISSION)) {
                flags |= ACL_WRITE_PERMISSION;
            } else if (op[offset] == '~') {
                offset++;
                break;
            } else {
                errno = EINVAL;
                return C_ERR;
            }
        }
    } else {
        flags = ACL_ALL_PERMISSION;
    }
    if (flags == 0 || hasSpaces(op + offset, len - offset)) {
        errno = EINVAL;
        return C_ERR;
    }
    listIter li;
    listNode *ln;
    listRewind(s->patterns, &li);
    while ((ln = listNext(&li))) {
        aclKeyPattern *kp = listNodeValue(ln);
        if (sdslen(kp->pattern) == len - offset && !memcmp(kp->pattern, op + offset, len - offset)) {
            kp->flags |= flags;
            return C_OK;
        }
    }
    aclKeyPattern *kp = zmalloc(sizeof(*kp));
    kp->flags = flags;
    kp->pattern = sdsnewlen(op + offset, len - offset);
    listAddNodeTail(s->patterns, kp);
    return C_OK;
}

static int selectorAddChannel(aclSelector *s, const char *op, size_t len) {
    if (s->flags & SELECTOR_FLAG_ALLCHANNELS) {
        errno = EISDIR;
        return C_ERR;
    }
    if (hasSpaces(op + 1, len - 1)) {
        errno = EINVAL;
        return C_ERR;
    }
    listIter li;
    listNode *ln;
    listRewind(s->channels, &li);
    while ((ln = listNext(&li))) {
        sds ch = listNodeValue(ln);
        if (sdslen(ch) == len - 1 && !memcmp(ch, op + 1, len - 1)) return C_OK;
    }
    listAddNodeTail(s->channels, sdsnewlen(op + 1, len - 1));
    return C_OK;
}

/* "+name", "+name|sub" or "+name|firstarg". */
static int selectorAllowCommandRule(aclSelector *s, const char *name, size_t len) {
    const char *bar = NULL;
    for (size_t i = len; i > 0; i--)
        if (name[i - 1] == '|') {
            bar = name + i - 1;
            break;
        }
    struct redisCommand *cmd = aclLookupCommand(name, bar ? (size_t)(bar - name) : len);
    if (!cmd) {
        errno = ENOENT;
        return C_ERR;
    }
    if (!bar) {
        selectorChangeCommand(s, cmd, 1);
        return C_OK;
    }
    if (cmd->parent) {
        errno = ECHILD;
        return C_ERR;
    }
    size_t sublen = len - (size_t)(bar - name) - 1;
    if (sublen == 0) {
        errno = EINVAL;
        return C_ERR;
    }
    if (cmd->subcommands) {
        struct redisCommand *sub = aclLookupCommand(name, len);
        if (!sub) {
            errno = ENOENT;
            return C_ERR;
        }
        selectorChangeCommand(s, sub, 1);
    } else {
        sds arg = sdsnewlen(bar + 1, sublen);
        serverLog(LL_WARNING, "Deprecation warning: Allowing a first arg of an otherwise blocked command is a "
                              "misuse of ACL and may get disabled in the future (offender: +%.*s)", (int)len, name);
        firstargsAdd(s, cmd->id, arg);
        sdsfree(arg);
    }
    return C_OK;
}

static void selectorAllCommands(aclSelector *s, int allow) {
    memset(s->allowed, allow ? 0xff : 0, acl_bitmap_words * sizeof(uint64_t));
    if (allow)
        s->flags |= SELECTOR_FLAG_ALLCOMMANDS | SELECTOR_FLAG_FUTURE;
    else
        s->flags &= ~(SELECTOR_FLAG_ALLCOMMANDS | SELECTOR_FLAG_FUTURE);
    firstargsResetAll(s);
}

static int isOp(const char *op, size_t len, const char *word) {
    return strlen(word) == len && !strncasecmp(op, word, len);
}

/* Applies a key, channel or command rule to s. */
static int selectorSetRule(aclSelector *s, const char *op, size_t len) {
    if (isOp(op, len, "allkeys") || (len == 2 && !memcmp(op, "~*", 2))) {
        s->flags |= SELECTOR_FLAG_ALLKEYS;
        listEmpty(s->patterns);
    } else if (isOp(op, len, "resetkeys")) {
        s->flags &= ~SELECTOR_FLAG_ALLKEYS;
        listEmpty(s->patterns);
    } else if (isOp(op, len, "allchannels") || (len == 2 && !memcmp(op, "&*", 2))) {
        s->flags |= SELECTOR_FLAG_ALLCHANNELS;
        listEmpty(s->channels);
    } else if (isOp(op, len, "resetchannels")) {
        s->flags &= ~SELECTOR_FLAG_ALLCHANNELS;
        listEmpty(s->channels);
    } else if (isOp(op, len, "allcommands") || isOp(op, len, "+@all")) {
        selectorAllCommands(s, 1);
    } else if (isOp(op, len, "nocommands") || isOp(op, len, "-@all")) {
        selectorAllCommands(s, 0);
    } else if (len && (op[0] == '~' || op[0] == '%')) {
        return selectorAddKeyPattern(s, op, len);
    } else if (len && op[0] == '&') {
        return selectorAddChannel(s, op, len);
    } else if (len >= 2 && (op[0] == '+' || op[0] == '-') && op[1] == '@') {
        sds name = sdsnewlen(op + 2, len - 2);
        uint64_t flag = aclCategoryByName(name);
        sdsfree(name);
        if (!flag) {
            errno = ENOENT;
            return C_ERR;
        }
        selectorChangeCategory(s, flag, op[0] == '+');
    } else if (len && op[0] == '+') {
        return selectorAllowCommandRule(s, op + 1, len - 1);
    } else if (len && op[0] == '-') {
        struct redisCommand *cmd = aclLookupCommand(op + 1, len - 1);
        if (!cmd) {
            errno = ENOENT;
            return C_ERR;
        }
        selectorChangeCommand(s, cmd, 0);
    } else {
        errno = EINVAL;
        return C_ERR;
    }
    return C_OK;
}

/* A "(...)" selector from the text between the parentheses. */
static aclSelector *selectorFromRules(const char *text, size_t len) {
    aclSelector *s = selectorCreate(0);
    size_t i = 0;
    while (i < len) {
        while (i < len && text[i] == ' ') i++;
        size_t start = i;
        while (i < len && text[i] != ' ') i++;
        if (i > start && selectorSetRule(s, text + start, i - start) != C_OK) {
            int saved = errno;
            selectorFree(s);
            errno = saved;
            return NULL;
        }
    }
    return s;
}

static aclSelector *rootSelector(user *u) {
    return listNodeValue(listFirst(u->selectors));
}

/* --------------------------------------------------------------- users */

user *aclCreateUser(const char *name, size_t len) {
    if (raxFind(Users, (const unsigned char *)name, len) != raxNotFound) return NULL;
    user *u = zmalloc(sizeof(*u));
    u->name = sdsnewlen(name, len);
    u->flags = USER_FLAG_DISABLED;
    u->passwords = listCreate();
    listSetFreeMethod(u->passwords, sdsFreeVoid);
    u->selectors = listCreate();
    listSetFreeMethod(u->selectors, selectorFree);
    listAddNodeHead(u->selectors, selectorCreate(SELECTOR_FLAG_ROOT));
    raxInsert(Users, (const unsigned char *)name, len, u, NULL);
    return u;
}

/* A user outside the table: the scratch copy SETUSER edits. */
static user *userCreateUnlinked(void) {
    user *u = zmalloc(sizeof(*u));
    u->name = sdsempty();
    u->flags = 0;
    u->passwords = listCreate();
    listSetFreeMethod(u->passwords, sdsFreeVoid);
    u->selectors = listCreate();
    listSetFreeMethod(u->selectors, selectorFree);
    return u;
}

static void userFree(user *u) {
    sdsfree(u->name);
    listRelease(u->passwords);
    listRelease(u->selectors);
    zfree(u);
}

/* Replaces dst's flags, passwords and selectors by copies of src's. */
static void userCopyRules(user *dst, const user *src) {
    dst->flags = src->flags;
    listEmpty(dst->passwords);
    listEmpty(dst->selectors);
    listIter li;
    listNode *ln;
    listRewind(src->passwords, &li);
    while ((ln = listNext(&li))) listAddNodeTail(dst->passwords, sdsdup(listNodeValue(ln)));
    listRewind(src->selectors, &li);
    while ((ln = listNext(&li))) listAddNodeTail(dst->selectors, selectorCopy(listNodeValue(ln)));
}

void aclFreeUserAndKillClients(user *u) {
    listIter li;
    listNode *ln;
    if (server.clients) listRewind(server.clients, &li);
    while (server.clients && (ln = listNext(&li))) {
        client *c = listNodeValue(ln);
        if (c->user != u) continue;
        c->user = DefaultUser;
        c->authenticated = 0;
        if (c == server.current_client)
            c->flags |= CLIENT_CLOSE_AFTER_REPLY;
        else
            freeClientAsync(c);
    }
    userFree(u);
}

void aclDeleteUser(user *u) {
    raxRemove(Users, (const unsigned char *)u->name, sdslen(u->name), NULL);
    aclFreeUserAndKillClients(u);
}

int aclValidUserName(const char *name, size_t len) {
    return !hasSpaces(name, len);
}

user *aclGetUser(const char *name, size_t len) {
    void *u = raxFind(Users, (const unsigned char *)name, len);
    return u == raxNotFound ? NULL : u;
}

/* The 64-hex-digit SHA-256 of data[0..len). New sds. */
static sds hashPassword(const char *data, size_t len) {
    char hex[65];
    sha256Hex(hex, data, len);
    return sdsnewlen(hex, 64);
}

static int validHash(const char *h, size_t len) {
    if (len != 64) return 0;
    for (size_t i = 0; i < len; i++)
        if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f'))) return 0;
    return 1;
}

static listNode *findPassword(user *u, sds hash) {
    listIter li;
    listNode *ln;
    listRewind(u->passwords, &li);
    while ((ln = listNext(&li)))
        if (!strcmp(listNodeValue(ln), hash)) return ln;
    return NULL;
}

/* ">pw", "#hash", "<pw", "!hash": add or remove a password. */
static int userPasswordRule(user *u, const char *op, size_t len) {
    int add = op[0] == '>' || op[0] == '#';
    sds hash;
    if (op[0] == '>' || op[0] == '<') {
        hash = hashPassword(op + 1, len - 1);
    } else {
        if (!validHash(op + 1, len - 1)) {
            errno = EBADMSG;
            return C_ERR;
        }
        hash = sdsnewlen(op + 1, len - 1);
    }
    listNode *ln = findPassword(u, hash);
    if (add) {
        if (!ln)
            listAddNodeTail(u->passwords, hash);
        else
            sdsfree(hash);
        u->flags &= ~USER_FLAG_NOPASS;
        return C_OK;
    }
    sdsfree(hash);
    if (!ln) {
        errno = ENODEV;
        return C_ERR;
    }
    listDelNode(u->passwords, ln);
    return C_OK;
}

static void userClearSelectors(user *u) {
    listNode *ln;
    while ((ln = listLast(u->selectors)) && !(((aclSelector *)listNodeValue(ln))->flags & SELECTOR_FLAG_ROOT))
        listDelNode(u->selectors, ln);
}

static void userReset(user *u) {
    listEmpty(u->passwords);
    u->flags = USER_FLAG_DISABLED | USER_FLAG_SANITIZE_PAYLOAD;
    aclSelector *root = rootSelector(u);
    root->flags &= ~(SELECTOR_FLAG_ALLKEYS | SELECTOR_FLAG_ALLCHANNELS);
    if (server.security.acl_pubsub_default) root->flags |= SELECTOR_FLAG_ALLCHANNELS;
    listEmpty(root->patterns);
    listEmpty(root->channels);
    userClearSelectors(u);
    selectorAllCommands(root, 0);
}

int aclSetUser(user *u, const char *op, ssize_t oplen) {
    size_t len = oplen < 0 ? strlen(op) : (size_t)oplen;
    if (isOp(op, len, "on")) {
        u->flags = (u->flags | USER_FLAG_ENABLED) & ~USER_FLAG_DISABLED;
    } else if (isOp(op, len, "off")) {
        u->flags = (u->flags | USER_FLAG_DISABLED) & ~USER_FLAG_ENABLED;
    } else if (isOp(op, len, "skip-sanitize-payload")) {
        u->flags = (u->flags | USER_FLAG_SANITIZE_PAYLOAD_SKIP) & ~USER_FLAG_SANITIZE_PAYLOAD;
    } else if (isOp(op, len, "sanitize-payload")) {
        u->flags = (u->flags | USER_FLAG_SANITIZE_PAYLOAD) & ~USER_FLAG_SANITIZE_PAYLOAD_SKIP;
    } else if (isOp(op, len, "nopass")) {
        u->flags |= USER_FLAG_NOPASS;
        listEmpty(u->passwords);
    } else if (isOp(op, len, "resetpass")) {
        u->flags &= ~USER_FLAG_NOPASS;
        listEmpty(u->passwords);
    } else if (len && (op[0] == '>' || op[0] == '<' || op[0] == '#' || op[0] == '!')) {
        return userPasswordRule(u, op, len);
    } else if (len >= 2 && op[0] == '(' && op[len - 1] == ')') {
        aclSelector *s = selectorFromRules(op + 1, len - 2);
        if (!s) return C_ERR;
        listAddNodeTail(u->selectors, s);
    } else if (isOp(op, len, "clearselectors")) {
        userClearSelectors(u);
    } else if (isOp(op, len, "reset")) {
        userReset(u);
    } else {
        return selectorSetRule(rootSelector(u), op, len);
    }
    return C_OK;
}

const char *aclRuleErrorText(int err) {
    switch (err) {
    case ENOENT: return "Unknown command or category name in ACL";
    case EINVAL: return "Syntax error";
    case EEXIST:
        return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any "
               "effect. Try 'resetkeys' to start with an empty list of patterns";
    case EISDIR:
        return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have "
               "any effect. Try 'resetchannels' to start with an empty list of channels";
    case ENODEV: return "The password you are trying to remove from the user does not exist";
    case EBADMSG:
        return "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters";
    case EALREADY: return "Duplicate user found. A user can only be defined once in config files";
    case ECHILD: return "Allowing first-arg of a subcommand is not supported";
    default: return "Unknown error";
    }
}

/* Joins the arguments of a "(...)" selector given in several words. New
 * array of new sds; NULL when a parenthesis is left open (*badparen). */
static sds *mergeSelectorArgs(sds *argv, int argc, int *outc, int *badparen) {
    sds *out = zmalloc(sizeof(sds) * (size_t)(argc ? argc : 1));
    int n = 0, open = -1;
    sds acc = NULL;
    for (int j = 0; j < argc; j++) {
        size_t len = sdslen(argv[j]);
        if (open == -1 && len && argv[j][0] == '(' && argv[j][len - 1] != ')') {
            acc = sdsdup(argv[j]);
            open = j;
        } else if (open != -1) {
            acc = sdscatfmt(acc, " %S", argv[j]);
            if (len && argv[j][len - 1] == ')') {
                out[n++] = acc;
                acc = NULL;
                open = -1;
            }
        } else {
            out[n++] = sdsdup(argv[j]);
        }
    }
    if (open != -1) {
        sdsfree(acc);
        for (int j = 0; j < n; j++) sdsfree(out[j]);
        zfree(out);
        *badparen = open;
        return NULL;
    }
    *outc = n;
    return out;
}

/* Whether any subscription of c is outside the channels of u. */
static int clientChannelsLost(client *c, user *u);

/* Disconnects the clients of u whose subscriptions u no longer allows. */
static void killPubsubClientsIfNeeded(user *u) {
    listIter li;
    listNode *ln;
    listRewind(u->selectors, &li);
    while ((ln = listNext(&li)))
        if (((aclSelector *)listNodeValue(ln))->flags & SELECTOR_FLAG_ALLCHANNELS) return;
    if (!server.clients) return; /* start-up */
    listRewind(server.clients, &li);
    while ((ln = listNext(&li))) {
        client *c = listNodeValue(ln);
        if (c->user != u || !(c->flags & CLIENT_PUBSUB) || !clientChannelsLost(c, u)) continue;
        if (c == server.current_client)
            c->flags |= CLIENT_CLOSE_AFTER_REPLY;
        else
            freeClientAsync(c);
    }
}

int aclSetUserRules(user *u, sds *argv, int argc, sds *errop, int *badparen) {
    int n = 0;
    *badparen = -1;
    sds *ops = mergeSelectorArgs(argv, argc, &n, badparen);
    if (!ops) {
        errno = EINVAL;
        return C_ERR;
    }
    user *scratch = userCreateUnlinked();
    userCopyRules(scratch, u);
    int ret = C_OK;
    for (int j = 0; j < n; j++) {
        if (ret == C_OK && aclSetUser(scratch, ops[j], (ssize_t)sdslen(ops[j])) != C_OK) {
            ret = C_ERR;
            *errop = sdsdup(ops[j]);
        }
        sdsfree(ops[j]);
    }
    zfree(ops);
    if (ret == C_OK) {
        userCopyRules(u, scratch);
        killPubsubClientsIfNeeded(u);
    } else {
        int saved = errno;
        userFree(scratch);
        errno = saved;
        return C_ERR;
    }
    userFree(scratch);
    return C_OK;
}

/* ---------------------------------------------------------- the check */

static int selectorCheckKey(aclSelector *s, const char *key, size_t len, int spec_flags) {
    int need = 0;
    if (spec_flags & CMD_KEY_ACCESS) need |= ACL_READ_PERMISSION;
    if (spec_flags & (CMD_KEY_INSERT | CMD_KEY_DELETE | CMD_KEY_UPDATE)) need |= ACL_WRITE_PERMISSION;
    listIter li;
    listNode *ln;
    listRewind(s->patterns, &li);
    while ((ln = listNext(&li))) {
        aclKeyPattern *kp = listNodeValue(ln);
        if ((kp->flags & need) != need) continue;
        if (stringmatchlen(kp->pattern, (int)sdslen(kp->pattern), key, (int)len, 0)) return ACL_OK;
    }
    return ACL_DENIED_KEY;
}

/* A channel against a list of channel patterns: a pattern subscription
 * must appear literally, a channel must match one. */
static int channelAllowed(list *channels, const char *name, size_t len, int is_pattern) {
    listIter li;
    listNode *ln;
    listRewind(channels, &li);
    while ((ln = listNext(&li))) {
        sds p = listNodeValue(ln);
        if (is_pattern ? (sdslen(p) == len && !memcmp(p, name, len))
                       : stringmatchlen(p, (int)sdslen(p), name, (int)len, 0))
            return 1;
    }
    return 0;
}

/* The channels a command publishes or subscribes to: the argv indexes
 * from..argc-1 (step 1) or just from; 0 when it names none. */
static int commandChannels(struct redisCommand *cmd, int argc, int *from, int *to, int *is_pattern) {
    redisCommandProc *p = cmd->proc;
    *is_pattern = 0;
    if (p == NULL) return 0;
    if (p == publishCommand || p == spublishCommand) {
        *from = *to = 1;
        return 1;
    }
    if (p == subscribeCommand || p == ssubscribeCommand || p == psubscribeCommand) {
        *is_pattern = p == psubscribeCommand;
        *from = 1;
        *to = argc - 1;
        return 1;
    }
    return 0;
}

/* The keys of the command, extracted once for all the selectors. keys is
 * set up only when a selector needs it: GETKEYS_RESULT_INIT would clear its
 * whole inline buffer on every command. */
typedef struct keysCache {
    int init;
    getKeysResult keys;
} keysCache;

static int selectorCheckCommand(aclSelector *s, struct redisCommand *cmd, robj **argv, int argc, int *errpos,
                                keysCache *cache) {
    if (!(s->flags & SELECTOR_FLAG_ALLCOMMANDS) && !(cmd->flags & CMD_NO_AUTH) && !bitGet(s->allowed, cmd->id)) {
        sds *args = s->firstargs && argc >= 2 ? s->firstargs[cmd->id] : NULL;
        while (args && *args && strcasecmp(argv[1]->ptr, *args)) args++;
        if (!args || !*args) return ACL_DENIED_CMD;
    }
    if (!(s->flags & SELECTOR_FLAG_ALLKEYS) && commandHasKeys(cmd)) {
        if (!cache->init) {
            cache->keys.keys = NULL;
            cache->keys.numkeys = 0;
            cache->keys.size = MAX_KEYS_BUFFER;
            getKeysFromCommandWithSpecs(cmd, argv, argc, GET_KEYSPEC_DEFAULT, &cache->keys);
            cache->init = 1;
        }
        for (int j = 0; j < cache->keys.numkeys; j++) {
            keyReference *k = &cache->keys.keys[j];
            if (selectorCheckKey(s, argv[k->pos]->ptr, sdslen(argv[k->pos]->ptr), k->flags) != ACL_OK) {
                *errpos = k->pos;
                return ACL_DENIED_KEY;
            }
        }
    }
    int from, to, is_pattern;
    if (!(s->flags & SELECTOR_FLAG_ALLCHANNELS) && commandChannels(cmd, argc, &from, &to, &is_pattern)) {
        for (int j = from; j <= to; j++) {
            if (!channelAllowed(s->channels, argv[j]->ptr, sdslen(argv[j]->ptr), is_pattern)) {
                *errpos = j;
                return ACL_DENIED_CHANNEL;
            }
        }
    }
    return ACL_OK;
}

/* The common case: no user (a fake client), or one allowed everything
 * ("+@all ~* &*"). */
static inline int userAllowedAll(user *u) {
    const int all = SELECTOR_FLAG_ALLCOMMANDS | SELECTOR_FLAG_ALLKEYS | SELECTOR_FLAG_ALLCHANNELS;
    return u == NULL || (rootSelector(u)->flags & all) == all;
}

int aclCheckCommand(user *u, struct redisCommand *cmd, robj **argv, int argc, int *errpos) {
    *errpos = 0;
    if (userAllowedAll(u)) return ACL_OK;
    int relevant = ACL_DENIED_CMD, last = 0;
    keysCache cache;
    cache.init = 0;
    listIter li;
    listNode *ln;
    listRewind(u->selectors, &li);
    while ((ln = listNext(&li))) {
        int pos = 0;
        int r = selectorCheckCommand(listNodeValue(ln), cmd, argv, argc, &pos, &cache);
        if (r == ACL_OK) {
            relevant = ACL_OK;
            break;
        }
        if (r > relevant || (r == relevant && pos > last)) {
            relevant = r;
            last = pos;
        }
    }
    if (cache.init) getKeysFreeResult(&cache.keys);
    *errpos = relevant == ACL_OK ? 0 : last;
    return relevant;
}

int aclCheckClientCommand(client *c, void (*reject)(client *c, sds err)) {
    if (userAllowedAll(c->user)) return C_OK;
    int pos;
    int r = aclCheckCommand(c->user, c->cmd, c->argv, c->argc, &pos);
    if (r == ACL_OK) return C_OK;
    aclLogDenial(c, r, (c->flags & CLIENT_MULTI) ? ACL_LOG_CTX_MULTI : ACL_LOG_CTX_TOPLEVEL, c->argv, pos, NULL);
    if (r == ACL_DENIED_CMD)
        reject(c, sdscatfmt(sdsempty(), "-NOPERM this user has no permissions to run the '%S' command",
                            c->cmd->fullname));
    else if (r == ACL_DENIED_KEY)
        reject(c, sdsnew("-NOPERM this user has no permissions to access one of the keys used as arguments"));
    else
        reject(c, sdsnew("-NOPERM this user has no permissions to access one of the channels used as arguments"));
    return C_ERR;
}

static const char *execDenialText(int result) {
    switch (result) {
    case ACL_DENIED_CMD: return "no permission to execute the command or subcommand";
    case ACL_DENIED_KEY: return "no permission to touch the specified keys";
    case ACL_DENIED_CHANNEL: return "no permission to access one of the channels used as arguments";
    default: return "no permission";
    }
}

static const char *scriptDenialText(int result) {
    switch (result) {
    case ACL_DENIED_CMD: return "The user executing the script can't run this command or subcommand";
    case ACL_DENIED_KEY:
        return "The user executing the script can't access at least one of the keys mentioned in the command "
               "arguments";
    case ACL_DENIED_CHANNEL:
        return "The user executing the script can't publish to the channel mentioned in the command";
    default: return "The user executing the script is lacking the permissions for the command";
    }
}

int aclCheckQueuedCommand(client *c) {
    int pos;
    int r = aclCheckCommand(c->user, c->cmd, c->argv, c->argc, &pos);
    if (r == ACL_OK) return C_OK;
    aclLogDenial(c, r, ACL_LOG_CTX_MULTI, c->argv, pos, NULL);
    addReplyErrorFormat(c, "-NOPERM ACLs rules changed between the moment the transaction was accumulated and the "
                           "EXEC call. This command is no longer allowed for the following reason: %s",
                        execDenialText(r));
    return C_ERR;
}

const char *aclCheckScriptCommand(client *c, struct redisCommand *cmd, robj **argv, int argc) {
    int pos;
    int r = aclCheckCommand(c->user, cmd, argv, argc, &pos);
    if (r == ACL_OK) return NULL;
    struct redisCommand *saved = c->cmd;
    c->cmd = cmd;
    aclLogDenial(c, r, ACL_LOG_CTX_LUA, argv, pos, NULL);
    c->cmd = saved;
    return scriptDenialText(r);
}

/* Whether no selector of the user (privdata) allows this subscription. */
static int subscriptionLost(int kind, sds name, void *privdata) {
    user *u = privdata;
    listIter li;
    listNode *ln;
    listRewind(u->selectors, &li);
    while ((ln = listNext(&li))) {
        aclSelector *s = listNodeValue(ln);
        if (channelAllowed(s->channels, name, sdslen(name), kind == PUBSUB_PATTERN)) return 0;
    }
    return 1;
}

static int clientChannelsLost(client *c, user *u) {
    return pubsubClientAnySubscription(c, subscriptionLost, u);
}

/* ------------------------------------------------------- descriptions */

/* Appends "+name " or "-name " for every command whose bit differs
 * between want and have, fixing have as it goes, then the first args. */
static sds describeSingleCommands(sds out, aclSelector *s, uint64_t *have, struct redisCommand *cmd) {
    int want = bitGet(s->allowed, cmd->id);
    if (want != bitGet(have, cmd->id)) {
        out = sdscatfmt(out, "%s%S ", want ? "+" : "-", cmd->fullname);
        bitsSetCommand(have, cmd, want);
    }
    FOR_EACH_SUB(cmd, sub) out = describeSingleCommands(out, s, have, sub);
    if (!want && s->firstargs && s->firstargs[cmd->id]) {
        for (sds *a = s->firstargs[cmd->id]; *a; a++) out = sdscatfmt(out, "+%S|%S ", cmd->fullname, *a);
    }
    return out;
}

sds aclDescribeSelectorCommands(aclSelector *s) {
    int additive = !(s->flags & SELECTOR_FLAG_FUTURE);
    sds out = sdsnew(additive ? "-@all " : "+@all ");
    size_t bytes = acl_bitmap_words * sizeof(uint64_t);
    uint64_t *have = zmalloc(bytes), *left = zmalloc(bytes);
    memset(have, additive ? 0 : 0xff, bytes);
    memcpy(left, s->allowed, bytes);
    char applied[64] = {0};
    for (;;) {
        int best = -1;
        unsigned long mindiff = (unsigned long)-1, maxsame = 0;
        for (int j = 0; aclCategories[j].name; j++) {
            if (applied[j]) continue;
            unsigned long on, off;
            bitsCountCategory(left, aclCategories[j].flag, &on, &off);
            unsigned long diff = additive ? off : on, same = additive ? on : off;
            if (same > diff && (diff < mindiff || (diff == mindiff && same > maxsame))) {
                best = j;
                mindiff = diff;
                maxsame = same;
            }
        }
        if (best == -1) break;
        bitsSetCategory(have, aclCategories[best].flag, additive);
        bitsSetCategory(left, aclCategories[best].flag, !additive);
        out = sdscatfmt(out, "%s@%s ", additive ? "+" : "-", aclCategories[best].name);
        applied[best] = 1;
    }
    FOR_EACH_TOP(cmd) out = describeSingleCommands(out, s, have, cmd);
    zfree(have);
    zfree(left);
    sdsrange(out, 0, -2);
    return out;
}

static sds catPattern(sds out, aclKeyPattern *kp) {
    if (kp->flags == ACL_ALL_PERMISSION) return sdscatfmt(out, "~%S", kp->pattern);
    return sdscatfmt(out, "%%%s~%S", kp->flags == ACL_READ_PERMISSION ? "R" : "W", kp->pattern);
}

sds aclDescribeSelectorKeys(aclSelector *s) {
    if (s->flags & SELECTOR_FLAG_ALLKEYS) return sdsnew("~*");
    sds out = sdsempty();
    listIter li;
    listNode *ln;
    listRewind(s->patterns, &li);
    while ((ln = listNext(&li))) {
        if (sdslen(out)) out = sdscatlen(out, " ", 1);
        out = catPattern(out, listNodeValue(ln));
    }
    return out;
}

sds aclDescribeSelectorChannels(aclSelector *s) {
    if (s->flags & SELECTOR_FLAG_ALLCHANNELS) return sdsnew("&*");
    sds out = sdsempty();
    listIter li;
    listNode *ln;
    listRewind(s->channels, &li);
    while ((ln = listNext(&li))) {
        if (sdslen(out)) out = sdscatlen(out, " ", 1);
        out = sdscatfmt(out, "&%S", (sds)listNodeValue(ln));
    }
    return out;
}

/* The ACL file form of one selector: keys, channels, commands. */
static sds describeSelector(aclSelector *s) {
    sds out = sdsempty(), part;
    part = aclDescribeSelectorKeys(s);
    if (sdslen(part)) out = sdscatfmt(out, "%S ", part);
    sdsfree(part);
    if (!(s->flags & SELECTOR_FLAG_ALLCHANNELS)) out = sdscat(out, "resetchannels ");
    part = aclDescribeSelectorChannels(s);
    if (sdslen(part)) out = sdscatfmt(out, "%S ", part);
    sdsfree(part);
    part = aclDescribeSelectorCommands(s);
    out = sdscatsds(out, part);
    sdsfree(part);
    return out;
}

int aclUserFlagNames(user *u, const char *names[8]) {
    static const struct {
        int flag;
        const char *name;
    } table[] = {
        {USER_FLAG_ENABLED, "on"},
        {USER_FLAG_DISABLED, "off"},
        {USER_FLAG_NOPASS, "nopass"},
        {USER_FLAG_SANITIZE_PAYLOAD_SKIP, "skip-sanitize-payload"},
        {USER_FLAG_SANITIZE_PAYLOAD, "sanitize-payload"},
    };
    int n = 0;
    for (size_t j = 0; j < sizeof(table) / sizeof(table[0]); j++)
        if (u->flags & table[j].flag) names[n++] = table[j].name;
    return n;
}

sds aclDescribeUser(user *u) {
    sds out = sdscatfmt(sdsempty(), "user %S", u->name);
    const char *flags[8];
    int n = aclUserFlagNames(u, flags);
    for (int j = 0; j < n; j++) out = sdscatfmt(out, " %s", flags[j]);
    listIter li;
    listNode *ln;
    listRewind(u->passwords, &li);
    while ((ln = listNext(&li))) out = sdscatfmt(out, " #%S", (sds)listNodeValue(ln));
    listRewind(u->selectors, &li);
    while ((ln = listNext(&li))) {
        aclSelector *s = listNodeValue(ln);
        sds d = describeSelector(s);
        out = (s->flags & SELECTOR_FLAG_ROOT) ? sdscatfmt(out, " %S", d) : sdscatfmt(out, " (%S)", d);
        sdsfree(d);
    }
    return out;
}

/* ------------------------------------------------------ authentication */

/* Compares two 64-digit hashes without stopping at the first difference. */
static int hashEqual(const char *a, const char *b) {
    unsigned char diff = 0;
    for (int i = 0; i < 64; i++) diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

static int checkCredentials(user *u, robj *password) {
    if (!u || (u->flags & USER_FLAG_DISABLED)) return 0;
    if (u->flags & USER_FLAG_NOPASS) return 1;
    sds hash = hashPassword(password->ptr, sdslen(password->ptr));
    int ok = 0;
    listIter li;
    listNode *ln;
    listRewind(u->passwords, &li);
    while ((ln = listNext(&li)))
        if (hashEqual(listNodeValue(ln), hash)) ok = 1;
    sdsfree(hash);
    return ok;
}

int aclAuthenticate(client *c, robj *username, robj *password) {
    const char *name = username ? username->ptr : "default";
    size_t len = username ? sdslen(username->ptr) : 7;
    user *u = aclGetUser(name, len);
    if (checkCredentials(u, password)) {
        c->user = u;
        c->authenticated = 1;
        return C_OK;
    }
    aclLogDenial(c, ACL_DENIED_AUTH, (c->flags & CLIENT_MULTI) ? ACL_LOG_CTX_MULTI : ACL_LOG_CTX_TOPLEVEL, c->argv,
                 0, name);
    return C_ERR;
}

static int defaultUserNeedsNoAuth(void) {
    return (DefaultUser->flags & USER_FLAG_NOPASS) && !(DefaultUser->flags & USER_FLAG_DISABLED);
}

void aclClientSetDefaultAuth(client *c) {
    c->user = DefaultUser;
    c->authenticated = defaultUserNeedsNoAuth();
}

void aclSetDefaultUserPassword(sds pass) {
    aclSetUser(DefaultUser, "resetpass", -1);
    if (pass && sdslen(pass)) {
        sds op = sdscatsds(sdsnew(">"), pass);
        aclSetUser(DefaultUser, op, (ssize_t)sdslen(op));
        sdsfree(op);
    } else {
        aclSetUser(DefaultUser, "nopass", -1);
    }
}

/* --------------------------------------------------------------- init */

void aclInit(void) {
    int maxid = 0;
    FOR_EACH_TOP(cmd) {
        if (cmd->id > maxid) maxid = cmd->id;
        FOR_EACH_SUB(cmd, sub) if (sub->id > maxid) maxid = sub->id;
    }
    acl_command_count = maxid + 1;
    acl_bitmap_words = (size_t)(acl_command_count + 63) / 64;
    Users = raxNew();
    DefaultUser = aclCreateUser("default", 7);
    const char *rules[] = {"+@all", "~*", "&*", "on", "nopass"};
    for (size_t j = 0; j < sizeof(rules) / sizeof(rules[0]); j++) aclSetUser(DefaultUser, rules[j], -1);
}
