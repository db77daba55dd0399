/* eval.c — EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT: the script
 * cache of the EVAL family.
 *
 * A script is named by the SHA-1 of its body (40 lower-case hex digits).
 * EVAL compiles a body it has not seen and keeps it; EVALSHA runs a kept
 * one or answers -NOSCRIPT; SCRIPT LOAD compiles without running; SCRIPT
 * FLUSH forgets every script and starts a fresh interpreter. Each cached
 * script keeps its body, its compiled function (a reference into the
 * interpreter's registry) and the flags of its shebang line.
 *
 * Shebang. A body starting with "#!" names its engine and options on its
 * first line: "#!lua flags=no-writes,allow-oom ...". Without one the
 * script runs in the compatibility mode of Redis 7.0 (it may write, and
 * the checks happen command by command). The shebang line is given to
 * Lua as a comment, so line numbers in errors stay those of the body.
 *
 * The run itself (flags, busy state, redis.call) is script.c's; the
 * interpreter is script_lua.c's. The EVAL command is never propagated:
 * its effects are, as the commands the script ran (MULTI/EXEC-wrapped by
 * the propagation layer).
 *
 * State: the interpreter and the cache are file-scope, owned here.
 */
#include "server.h"
#include "script.h"
#include "script_lua.h"
#include "script_ldb.h"
#include "monitor.h"
#include "sha1.h"

#include <ctype.h>
#include <lua.h>
#include <string.h>
#include <strings.h>

typedef struct evalScript {
    char sha[41];
    robj *body;
    int ref;
    uint64_t flags;
} evalScript;

static struct {
    lua_State *L;
    dict *scripts; /* sha (sds) -> evalScript* */
    size_t scripts_mem; /* bodies and entries of the cache */
    evalScript *last;   /* the script EVALSHA found last: a loop calling one
                           script skips the hash (NULL after a flush) */
} ev;

static void evalScriptFree(dict *d, void *val) {
    (void)d;
    evalScript *s = val;
    decrRefCount(s->body);
    zfree(s);
}

/* Keys are 40 lower-case hex digits: stored as sds, looked up with any
 * buffer of 40 bytes. */
static uint64_t shaHash(const void *key) {
    return dictGenHashFunction(key, 40);
}

static int shaCompare(dict *d, const void *a, const void *b) {
    (void)d;
    return memcmp(a, b, 40) == 0;
}

static void shaFree(dict *d, void *key) {
    (void)d;
    sdsfree(key);
}

static dictType evalScriptsDictType = {
    .hashFunction = shaHash,
    .keyCompare = shaCompare,
    .keyDestructor = shaFree,
    .valDestructor = evalScriptFree,
};

static void evalInitState(void) {
    ev.L = luaCreateScriptState();
    ev.scripts = dictCreate(&evalScriptsDictType);
    ev.scripts_mem = 0;
}

static void evalEnsureState(void) {
    if (ev.L == NULL) evalInitState();
}

/* Forgets every script and starts a new interpreter; async: the old one
 * is closed on the lazy-free thread. */
static void evalFlush(int async) {
    if (ev.L == NULL) return;
    ev.last = NULL;
    dictRelease(ev.scripts);
    if (async)
        luaCloseScriptStateAsync(ev.L);
    else
        luaCloseScriptState(ev.L);
    ev.L = NULL;
    evalInitState();
}

/* ------------------------------------------------------------ shebang */

/* Parses the flags list "a,b,c" into *flags; C_ERR with *err on an
 * unknown one. */
static int parseShebangFlags(const char *names, size_t len, uint64_t *flags, sds *err) {
    size_t start = 0;
    while (start < len) {
        size_t end = start;
        while (end < len && names[end] != ',') end++;
        if (end > start) {
            const scriptFlagName *f = scriptFlagNames;
            for (; f->name; f++)
                if (strlen(f->name) == end - start && !memcmp(f->name, names + start, end - start)) break;
            if (f->name == NULL) {
                *err = sdscatprintf(sdsempty(), "Unexpected flag in script shebang: %.*s", (int)(end - start),
                                    names + start);
                return C_ERR;
            }
            *flags |= f->flag;
        }
        start = end + 1;
    }
    return C_OK;
}

/* Reads the shebang line of body, if any: *flags gets its flags (or the
 * compatibility mode), *shebang_len the length of the line. */
static int evalParseShebang(const char *body, size_t len, uint64_t *flags, size_t *shebang_len, sds *err) {
    *flags = 0;
    *shebang_len = 0;
    if (len < 2 || body[0] != '#' || body[1] != '!') {
        *flags = SCRIPT_FLAG_EVAL_COMPAT_MODE;
        return C_OK;
    }
    const char *nl = memchr(body, '\n', len);
    size_t line = nl ? (size_t)(nl - body) : len;
    *shebang_len = line;
    if (line < 5 || memcmp(body, "#!lua", 5) != 0 || (line > 5 && body[5] != ' ')) {
        size_t show = line;
        while (show > 0 && body[show - 1] == '\r') show--;
        const char *sp = memchr(body, ' ', show);
        if (sp) show = (size_t)(sp - body);
        *err = sdscatprintf(sdsempty(), "Unexpected engine in script shebang: %.*s", (int)show, body);
        return C_ERR;
    }
    size_t p = 5;
    while (p < line) {
        while (p < line && body[p] == ' ') p++;
        size_t end = p;
        while (end < line && body[end] != ' ' && body[end] != '\r') end++;
        if (end > p) {
            if (end - p >= 6 && !memcmp(body + p, "flags=", 6)) {
                if (parseShebangFlags(body + p + 6, end - p - 6, flags, err) != C_OK) return C_ERR;
            } else {
                *err = sdscatprintf(sdsempty(), "Unknown lua shebang option: %.*s", (int)(end - p), body + p);
                return C_ERR;
            }
        }
        p = end + 1;
    }
    return C_OK;
}

/* ------------------------------------------------------------- cache */

static void shaOfObject(char sha[41], robj *body) {
    robj *o = getDecodedObject(body);
    sha1Hex(sha, o->ptr, sdslen(o->ptr));
    decrRefCount(o);
}

/* The cached script of body, compiled and added when new; NULL with an
 * error replied to c when it does not compile. sha receives its name. */
static evalScript *evalCreateScript(client *c, robj *body, char sha[41]) {
    evalEnsureState();
    shaOfObject(sha, body);
    sds key = sdsnewlen(sha, 40);
    dictEntry *de = dictFind(ev.scripts, key);
    if (de) {
        sdsfree(key);
        return dictGetVal(de);
    }
    robj *code = getDecodedObject(body);
    uint64_t flags;
    size_t shebang_len;
    sds err = NULL;
    if (evalParseShebang(code->ptr, sdslen(code->ptr), &flags, &shebang_len, &err) != C_OK) {
        addReplyErrorSds(c, err);
        decrRefCount(code);
        sdsfree(key);
        return NULL;
    }
    sds text = sdsdup(code->ptr);
    if (shebang_len) text[0] = '-', text[1] = '-';
    int ref;
    int ok = luaCompileScript(ev.L, text, sdslen(text), "@user_script", &ref, &err);
    sdsfree(text);
    if (ok != C_OK) {
        addReplyErrorFormat(c, "Error compiling script (new function): %s", err);
        sdsfree(err);
        decrRefCount(code);
        sdsfree(key);
        return NULL;
    }
    evalScript *s = zmalloc(sizeof(*s));
    memcpy(s->sha, sha, sizeof(s->sha));
    s->body = code;
    s->ref = ref;
    s->flags = flags;
    ev.scripts_mem += sdslen(code->ptr) + sizeof(*s) + sizeof(dictEntry) + 40;
    dictAdd(ev.scripts, key, s);
    return s;
}

static evalScript *evalLookup(robj *shaobj) {
    /* 40 hex digits are never an integer-encoded string. */
    if (ev.L == NULL || !sdsEncodedObject(shaobj) || sdslen(shaobj->ptr) != 40) return NULL;
    const char *name = shaobj->ptr;
    char key[40];
    for (int j = 0; j < 40; j++) key[j] = (char)tolower((unsigned char)name[j]);
    if (ev.last && memcmp(ev.last->sha, key, 40) == 0) return ev.last;
    dictEntry *de = dictFind(ev.scripts, key);
    if (de == NULL) return NULL;
    ev.last = dictGetVal(de);
    return ev.last;
}

int evalScriptFlagsOf(client *c, uint64_t *flags) {
    if (c->argc < 2) return 0;
    if (c->cmd->proc == evalshaCommand || c->cmd->proc == evalsharoCommand) {
        evalScript *s = evalLookup(c->argv[1]);
        if (s == NULL) return 0;
        *flags = s->flags;
        return 1;
    }
    robj *body = c->argv[1];
    if (!sdsEncodedObject(body)) {
        *flags = SCRIPT_FLAG_EVAL_COMPAT_MODE; /* a number: no shebang */
        return 1;
    }
    size_t shebang_len;
    sds err = NULL;
    if (evalParseShebang(body->ptr, sdslen(body->ptr), flags, &shebang_len, &err) != C_OK) {
        sdsfree(err);
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------ running */

/* monitored: the caller showed the command to MONITOR already. */
static void evalGenericCommand(client *c, int evalsha, int ro, int monitored) {
    long long numkeys;
    if (getLongLongFromObjectOrReply(c, c->argv[2], &numkeys, NULL) != C_OK) return;
    if (numkeys > (c->argc - 3)) {
        addReplyError(c, "Number of keys can't be greater than number of args");
        return;
    }
    if (numkeys < 0) {
        addReplyError(c, "Number of keys can't be negative");
        return;
    }
    char sha[41];
    evalScript *s;
    if (evalsha) {
        s = evalLookup(c->argv[1]);
        if (s == NULL) {
            addReplyError(c, "-NOSCRIPT No matching script. Please use EVAL.");
            return;
        }
        memcpy(sha, s->sha, sizeof(sha));
    } else {
        s = evalCreateScript(c, c->argv[1], sha);
        if (s == NULL) return;
    }
    if (!monitored) feedMonitorsAlways(c, c->cmd, c->argv, c->argc, c->db->id);
    preventCommandPropagation(c);
    scriptRunCtx rctx;
    if (scriptPrepareForRun(&rctx, luaScriptClient(), c, sha, s->flags, ro) != C_OK) return;
    rctx.flags |= SCRIPT_EVAL_MODE;
    /* The body object stays alive through the run even if SCRIPT FLUSH
     * were reached from the busy loop (it is noscript, and refused there). */
    luaCallScript(&rctx, ev.L, s->ref, c->argv + 3, (int)numkeys, c->argv + 3 + numkeys,
                  c->argc - 3 - (int)numkeys);
    scriptResetRun(&rctx);
}

/* EVAL after SCRIPT DEBUG YES|SYNC: the run happens inside a debugging
 * session (script_ldb.c), in a forked child or here; the parent of a
 * forked session only closes its side of the client. */
static void evalDebugged(client *c, int ro) {
    feedMonitorsAlways(c, c->cmd, c->argv, c->argc, c->db->id);
    preventCommandPropagation(c);
    if (!ldbStartSession(c, c->argv[1])) return;
    evalGenericCommand(c, 0, ro, 1);
    ldbEndSession(c);
}

/* EVAL or EVAL_RO (ro): debugged when the client asked for it. */
static void evalOrDebug(client *c, int ro) {
    if (c->flags & CLIENT_LUA_DEBUG)
        evalDebugged(c, ro);
    else
        evalGenericCommand(c, 0, ro, 0);
}

static void evalshaOrRefuse(client *c, int ro) {
    if (c->flags & CLIENT_LUA_DEBUG) {
        addReplyError(c, "Please use EVAL instead of EVALSHA for debugging");
        return;
    }
    evalGenericCommand(c, 1, ro, 0);
}

void evalCommand(client *c) {
    evalOrDebug(c, 0);
}

void evalroCommand(client *c) {
    evalOrDebug(c, 1);
}

void evalshaCommand(client *c) {
    evalshaOrRefuse(c, 0);
}

void evalsharoCommand(client *c) {
    evalshaOrRefuse(c, 1);
}

/* ------------------------------------------------------------- SCRIPT */

void scriptCommand(client *c) {
    addReplyErrorSubcommandSyntax(c);
}

void scriptLoadCommand(client *c) {
    char sha[41];
    if (evalCreateScript(c, c->argv[2], sha) == NULL) return;
    addReplyBulkCBuffer(c, sha, 40);
}

void scriptExistsCommand(client *c) {
    addReplyArrayLen(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) addReply(c, evalLookup(c->argv[j]) ? shared.cone : shared.czero);
}

void scriptFlushCommand(client *c) {
    if (c->argc > 3) {
        addReplyErrorArity(c);
        return;
    }
    int async = server.lazyfree.lazy_user_flush;
    if (c->argc == 3) {
        const char *mode = c->argv[2]->ptr;
        if (!strcasecmp(mode, "sync")) {
            async = 0;
        } else if (!strcasecmp(mode, "async")) {
            async = 1;
        } else {
            addReplyError(c, "SCRIPT FLUSH only support SYNC|ASYNC option");
            return;
        }
    }
    evalFlush(async);
    addReply(c, shared.ok);
}

/* SCRIPT DEBUG YES|SYNC|NO: the debugger's (script_ldb.c). */
void scriptDebugCommand(client *c) {
    ldbScriptDebugCommand(c);
}

void scriptKillCommand(client *c) {
    scriptKill(c, 1);
}

void scriptHelpCommand(client *c) {
    static const char *help[] = {
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        NULL};
    addReplyHelp(c, help);
}

/* ---------------------------------------------------------------- INFO */

size_t evalMemoryLua(void) {
    return ev.L ? luaMemory(ev.L) : 0;
}

size_t evalScriptsMemory(void) {
    return ev.scripts_mem;
}

unsigned long evalNumScripts(void) {
    return ev.L ? dictSize(ev.scripts) : 0;
}
