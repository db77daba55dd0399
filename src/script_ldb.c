/* script_ldb.c — the Lua debugger: SCRIPT DEBUG YES|SYNC and the session
 * redis-cli --ldb drives.
 *
 * Modes. SCRIPT DEBUG YES marks the client (CLIENT_LUA_DEBUG); its next
 * EVAL forks. The parent closes its side of the client and goes on; the
 * child runs the script with the debugger and exits when it ends, so every
 * change the script made dies with it. SCRIPT DEBUG SYNC
 * (CLIENT_LUA_DEBUG_SYNC too) runs the session in the server itself: no
 * other client is served until it ends, and the changes stay. Either way
 * the client is closed after the EVAL reply, which is how redis-cli knows
 * the session is over.
 *
 * The conversation. The session owns the client's connection and uses it
 * in blocking mode (connSyncRead/connSyncWrite, never the event loop: a
 * forked child shares the parent's epoll set). The script stops on its
 * first line and then wherever the user asks (step, breakpoints,
 * redis.breakpoint(), or after busy-reply-threshold without a stop: an
 * infinite loop). At each stop the server sends what it logged since the
 * last send, as one array of status replies ("* Stopped at 3 ...", the
 * source line, "<redis> ..." / "<reply> ..." lines of the commands run
 * while stepping, "<error> ...", "<debug> ..."), then reads one command,
 * an array of bulk strings of at most 1024 arguments of 1 to 1024 bytes
 * each, parsed leniently like Redis 7.0 does (anything before the first
 * '*' is skipped; what follows the command in the same read is dropped).
 * A protocol error or more than 1 MB of unparsed input ends the script
 * with an error. The last send of a session holds "<endsession>"; the EVAL
 * reply follows.
 *
 * Hooks. While a session runs, the interpreter's hook is ldbHook, on every
 * line and every 100,000 instructions. Events outside the script's own
 * chunk ("@user_script": code run by the eval command of the debugger is
 * "@ldb_eval") are ignored; Lua calls no hook from inside a hook, so the
 * debugger's own Lua never stops.
 *
 * State: the session (one per process at a time) and, in the parent, the
 * pids of the forked sessions still running are file-scope: they belong
 * to the debugger alone.
 */
#include "server.h"
#include "childproc.h"
#include "script.h"
#include "script_ldb.h"
#include "script_lua.h"

#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#define LDB_MAX_BREAKPOINTS 64
#define LDB_MAX_LEN_DEFAULT 256 /* default trim of logged replies and values */
#define LDB_MIN_MAXLEN 60       /* a smaller non-zero maxlen becomes this */
#define LDB_MAX_VALUE_DEPTH 10  /* nested tables shown by print and friends */
#define LDB_MAX_ARGS 1024       /* per debugger command, and bytes per argument */
#define LDB_MAX_INPUT (1 << 20) /* unparsed input that ends the session */
#define LDB_WRITE_TIMEOUT_MS 5000
#define LDB_HOOK_INSTRUCTIONS 100000
#define LDB_DEFAULT_TIMEOUT_MS 5000 /* stop a loop after this without busy-reply-threshold */
#define LDB_MAX_LOGGED_ARGS 10      /* of a command called while stepping */

static struct {
    int active; /* a session runs in this process */
    int forked; /* ... in a child that exits at its end */
    client *c;
    connection *conn;
    sds *lines; /* the script's source, one entry per line */
    int nlines;
    int currentline;
    int step;  /* stop at the next line; log redis.call meanwhile */
    int luabp; /* redis.breakpoint() was called */
    int bp[LDB_MAX_BREAKPOINTS];
    int bpcount;
    long maxlen;
    int maxlen_hint_sent;
    sds logs; /* status replies not sent yet, as protocol */
    int nlogs;
    sds cbuf; /* input not parsed yet */
} ldb;

/* Parent side: forked sessions not reaped yet. */
static pid_t *ldb_children;
static int ldb_nchildren;

int ldbIsActive(void) {
    return ldb.active;
}

int ldbIsLogging(void) {
    return ldb.active && ldb.step;
}

/* ----------------------------------------------------------------- log */

/* Queues entry (owned) as one status reply of the next send; CR and LF
 * become spaces so that it stays one line. */
static void ldbLog(sds entry) {
    for (size_t j = 0; j < sdslen(entry); j++)
        if (entry[j] == '\r' || entry[j] == '\n') entry[j] = ' ';
    ldb.logs = sdscatlen(ldb.logs, "+", 1);
    ldb.logs = sdscatsds(ldb.logs, entry);
    ldb.logs = sdscatlen(ldb.logs, "\r\n", 2);
    ldb.nlogs++;
    sdsfree(entry);
}

/* ldbLog for replies and values: cut at maxlen with " ..." after it, and
 * a hint about maxlen the first time (unless the user used maxlen). */
static void ldbLogTrimmed(sds entry) {
    int trimmed = 0;
    if (ldb.maxlen > 0 && sdslen(entry) > (size_t)ldb.maxlen) {
        sdsrange(entry, 0, ldb.maxlen - 1);
        entry = sdscatlen(entry, " ...", 4);
        trimmed = 1;
    }
    ldbLog(entry);
    if (trimmed && !ldb.maxlen_hint_sent) {
        ldb.maxlen_hint_sent = 1;
        ldbLog(sdsnew("<hint> The above reply was trimmed. Use 'maxlen 0' to disable trimming."));
    }
}

/* Sends the queued log as one array. A failed write is not reported: the
 * next read sees the connection gone. */
static void ldbSendLogs(void) {
    sds out = sdscatprintf(sdsempty(), "*%d\r\n", ldb.nlogs);
    out = sdscatsds(out, ldb.logs);
    if (ldb.conn) connSyncWrite(ldb.conn, out, sdslen(out), LDB_WRITE_TIMEOUT_MS);
    sdsfree(out);
    sdsclear(ldb.logs);
    ldb.nlogs = 0;
}

static int ldbIsBreakpoint(int line) {
    for (int j = 0; j < ldb.bpcount; j++)
        if (ldb.bp[j] == line) return 1;
    return 0;
}

/* Logs source line lnum: "->" marks the current line, "#" a breakpoint. */
static void ldbLogSourceLine(int lnum) {
    const char *text = lnum > 0 && lnum <= ldb.nlines ? ldb.lines[lnum - 1] : "<out of range source code line>";
    int bp = ldbIsBreakpoint(lnum), cur = lnum == ldb.currentline;
    const char *mark = bp ? (cur ? "->#" : "  #") : (cur ? "-> " : "   ");
    ldbLog(sdscatprintf(sdsempty(), "%s%-3d %s", mark, lnum, text));
}

/* Logs the lines within context of around (context < 0: none). */
static void ldbList(int around, int context) {
    for (int j = 1; j <= ldb.nlines; j++) {
        if (abs(around - j) > context) continue;
        ldbLogSourceLine(j);
    }
}

/* ----------------------------------------------------- values as text */

/* Appends the Lua value at idx, as the debugger shows values: strings
 * quoted, numbers in %g, tables as {a; b} when they are arrays 1..n in
 * iteration order and {[k]=v; ...} otherwise, other objects by address. */
static sds ldbCatValue(sds s, lua_State *L, int idx, int level) {
    if (idx < 0) idx = lua_gettop(L) + idx + 1;
    if (level == LDB_MAX_VALUE_DEPTH) return sdscat(s, "<max recursion level reached! Nested table?>");
    int t = lua_type(L, idx);
    switch (t) {
    case LUA_TSTRING: {
        size_t len;
        const char *str = lua_tolstring(L, idx, &len);
        return sdscatrepr(s, str, len);
    }
    case LUA_TNUMBER: return sdscatprintf(s, "%g", (double)lua_tonumber(L, idx));
    case LUA_TBOOLEAN: return sdscat(s, lua_toboolean(L, idx) ? "true" : "false");
    case LUA_TNIL: return sdscat(s, "nil");
    case LUA_TTABLE: {
        if (!lua_checkstack(L, 3)) return sdscat(s, "<max recursion level reached! Nested table?>");
        sds as_array = sdsempty(), as_map = sdsempty();
        int is_array = 1;
        lua_Number expected = 1;
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            int v = lua_gettop(L), k = v - 1;
            if (is_array && (lua_type(L, k) != LUA_TNUMBER || lua_tonumber(L, k) != expected)) is_array = 0;
            expected++;
            if (sdslen(as_array)) as_array = sdscatlen(as_array, "; ", 2);
            as_array = ldbCatValue(as_array, L, v, level + 1);
            if (sdslen(as_map)) as_map = sdscatlen(as_map, "; ", 2);
            as_map = sdscatlen(as_map, "[", 1);
            as_map = ldbCatValue(as_map, L, k, level + 1);
            as_map = sdscatlen(as_map, "]=", 2);
            as_map = ldbCatValue(as_map, L, v, level + 1);
            lua_pop(L, 1);
        }
        s = sdscatlen(s, "{", 1);
        s = sdscatsds(s, is_array ? as_array : as_map);
        sdsfree(as_array);
        sdsfree(as_map);
        return sdscatlen(s, "}", 1);
    }
    default: {
        const char *kind = t == LUA_TFUNCTION        ? "function"
                           : t == LUA_TUSERDATA      ? "userdata"
                           : t == LUA_TTHREAD        ? "thread"
                           : t == LUA_TLIGHTUSERDATA ? "light-userdata"
                                                     : NULL;
        if (kind == NULL) return sdscat(s, "\"<unknown-lua-type>\"");
        return sdscatprintf(s, "\"%s@%p\"", kind, lua_topointer(L, idx));
    }
    }
}

/* Logs prefix and the value on top of L (left there), trimmed. */
static void ldbLogValue(lua_State *L, const char *prefix) {
    ldbLogTrimmed(ldbCatValue(sdsnew(prefix), L, -1, 0));
}

/* ------------------------------------------------- replies as text */

static const char *crlfAfter(const char *p) {
    const char *e = strstr(p, "\r\n");
    return e ? e : p + strlen(p);
}

static const char *nextLine(const char *p) {
    const char *e = crlfAfter(p);
    return *e ? e + 2 : e;
}

static const char *ldbReplyToHuman(sds *o, const char *p);

/* The n elements of an aggregate (pairs: 2 per element), joined by ","
 * (pairs as "k => v"). */
static const char *ldbElementsToHuman(sds *o, const char *p, long long n, int pairs) {
    for (long long j = 0; j < n && *p; j++) {
        if (j) *o = sdscatlen(*o, ",", 1);
        p = ldbReplyToHuman(o, p);
        if (pairs) {
            *o = sdscatlen(*o, " => ", 4);
            p = ldbReplyToHuman(o, p);
        }
    }
    return p;
}

/* Appends reply p (RESP2 or RESP3) as the debugger logs replies; returns
 * where the next reply starts. Types 7.0 does not show (big numbers,
 * verbatim strings, attributes, pushes) add nothing. */
static const char *ldbReplyToHuman(sds *o, const char *p) {
    const char *eol = crlfAfter(p);
    long long n = strtoll(p + 1, NULL, 10);
    switch (*p) {
    case ':': *o = sdscatlen(*o, p + 1, (size_t)(eol - p - 1)); return nextLine(p);
    case '+':
    case '-': *o = sdscatrepr(*o, p, (size_t)(eol - p)); return nextLine(p);
    case '$':
    case '=':
    case '!': {
        if (n < 0) {
            if (*p == '$') *o = sdscat(*o, "NULL");
            return nextLine(p);
        }
        const char *data = nextLine(p);
        if (*p == '$') *o = sdscatrepr(*o, data, (size_t)n);
        return nextLine(data + n);
    }
    case '*':
        if (n < 0) {
            *o = sdscat(*o, "NULL");
            return nextLine(p);
        }
        *o = sdscatlen(*o, "[", 1);
        p = ldbElementsToHuman(o, nextLine(p), n, 0);
        *o = sdscatlen(*o, "]", 1);
        return p;
    case '~':
        *o = sdscatlen(*o, "~(", 2);
        p = ldbElementsToHuman(o, nextLine(p), n, 0);
        *o = sdscatlen(*o, ")", 1);
        return p;
    case '%':
        *o = sdscatlen(*o, "{", 1);
        p = ldbElementsToHuman(o, nextLine(p), n, 1);
        *o = sdscatlen(*o, "}", 1);
        return p;
    case '_': *o = sdscat(*o, "(null)"); return nextLine(p);
    case '#': *o = sdscat(*o, p[1] == 't' ? "#true" : "#false"); return nextLine(p);
    case ',':
        *o = sdscat(*o, "(double) ");
        *o = sdscatlen(*o, p + 1, (size_t)(eol - p - 1));
        return nextLine(p);
    case '|':
    case '>': {
        /* Shown as nothing: parse into a scratch string to skip them. */
        sds skip = sdsempty();
        p = ldbElementsToHuman(&skip, nextLine(p), n, *p == '|');
        sdsfree(skip);
        return *p ? ldbReplyToHuman(o, p) : p;
    }
    default: return nextLine(p);
    }
}

/* ------------------------------------------- logs from the engine */

void ldbLogRedisCommand(robj **argv, int argc) {
    sds entry = sdsnew("<redis>");
    for (int j = 0; j < argc; j++) {
        if (j == LDB_MAX_LOGGED_ARGS) {
            /* The count is the one Redis 7.0 shows (one short). */
            entry = sdscatprintf(entry, " ... (%d more)", argc - j - 1);
            break;
        }
        robj *o = getDecodedObject(argv[j]);
        entry = sdscatlen(entry, " ", 1);
        entry = sdscatsds(entry, o->ptr);
        decrRefCount(o);
    }
    ldbLog(entry);
}

void ldbLogRedisReply(const char *proto) {
    sds entry = sdsnew("<reply> ");
    ldbReplyToHuman(&entry, proto);
    ldbLogTrimmed(entry);
}

void ldbLogError(const char *msg, size_t len) {
    ldbLog(sdscatlen(sdsnew("<error> "), msg, len));
}

/* ------------------------------------------------- reading commands */

/* The number at the start of p (sign and digits, atoi-style), reading
 * no further than end. */
static long long leadingNumber(const char *p, const char *end) {
    char tmp[32];
    size_t len = (size_t)(end - p) < sizeof(tmp) - 1 ? (size_t)(end - p) : sizeof(tmp) - 1;
    memcpy(tmp, p, len);
    tmp[len] = '\0';
    return strtoll(tmp, NULL, 10);
}

static const char *findCrlf(const char *p, const char *end) {
    for (; p + 1 < end; p++)
        if (p[0] == '\r' && p[1] == '\n') return p;
    return NULL;
}

static void freeArgs(sds *argv, int argc) {
    for (int j = 0; j < argc; j++) sdsfree(argv[j]);
    zfree(argv);
}

/* Parses one command from ldb.cbuf: 1 with *argvp and *argcp set (owned by
 * the caller), 0 when more input is needed, -1 on a protocol error. */
static int ldbParseCommand(sds **argvp, int *argcp) {
    const char *p = ldb.cbuf, *end = ldb.cbuf + sdslen(ldb.cbuf);
    if (p == end) return 0;
    p = memchr(p, '*', (size_t)(end - p));
    if (p == NULL) return -1;
    const char *eol = findCrlf(p, end);
    if (eol == NULL) return 0;
    long long count = leadingNumber(p + 1, eol);
    if (count <= 0 || count > LDB_MAX_ARGS) return -1;
    p = eol + 2;
    sds *argv = zmalloc(sizeof(sds) * (size_t)count);
    int argc = 0, ret = 1;
    while (argc < count) {
        if (p == end) {
            ret = 0;
            break;
        }
        if (*p != '$') {
            ret = -1;
            break;
        }
        eol = findCrlf(p, end);
        if (eol == NULL) {
            ret = 0;
            break;
        }
        long long len = leadingNumber(p + 1, eol);
        if (len <= 0 || len > LDB_MAX_ARGS) {
            ret = -1;
            break;
        }
        p = eol + 2;
        if (end - p < len + 2) {
            ret = 0;
            break;
        }
        argv[argc++] = sdsnewlen(p, (size_t)len);
        p += len;
        if (p[0] != '\r' || p[1] != '\n') {
            ret = -1;
            break;
        }
        p += 2;
    }
    if (ret != 1) {
        freeArgs(argv, argc);
        return ret;
    }
    *argvp = argv;
    *argcp = argc;
    return 1;
}

/* ----------------------------------------------------- the commands */

typedef enum { LDB_STAY, LDB_RESUME, LDB_ABORT } ldbOutcome;

static ldbOutcome ldbCmdHelp(lua_State *L, sds *argv, int argc) {
    (void)L, (void)argv, (void)argc;
    static const char *help[] = {"Redis Lua debugger help:",
                                 "[h]elp               Show this help.",
                                 "[s]tep               Run current line and stop again.",
                                 "[n]ext               Alias for step.",
                                 "[c]ontinue           Run till next breakpoint.",
                                 "[l]ist               List source code around current line.",
                                 "[l]ist [line]        List source code around [line].",
                                 "                     line = 0 means: current position.",
                                 "[l]ist [line] [ctx]  In this form [ctx] specifies how many lines",
                                 "                     to show before/after [line].",
                                 "[w]hole              List all source code. Alias for 'list 1 1000000'.",
                                 "[p]rint              Show all the local variables.",
                                 "[p]rint <var>        Show the value of the specified variable.",
                                 "                     Can also show global vars KEYS and ARGV.",
                                 "[b]reak              Show all breakpoints.",
                                 "[b]reak <line>       Add a breakpoint to the specified line.",
                                 "[b]reak -<line>      Remove breakpoint from the specified line.",
                                 "[b]reak 0            Remove all breakpoints.",
                                 "[t]race              Show a backtrace.",
                                 "[e]val <code>        Execute some Lua code (in a different callframe).",
                                 "[r]edis <cmd>        Execute a Redis command.",
                                 "[m]axlen [len]       Trim logged Redis replies and Lua var dumps to len.",
                                 "                     Specifying zero as <len> means unlimited.",
                                 "[a]bort              Stop the execution of the script. In sync",
                                 "                     mode dataset changes will be retained.",
                                 "",
                                 "Debugger functions you can call from Lua scripts:",
                                 "redis.debug()        Produce logs in the debugger console.",
                                 "redis.breakpoint()   Stop execution like if there was a breakpoint in the",
                                 "                     next line of code.",
                                 NULL};
    for (int j = 0; help[j]; j++) ldbLog(sdsnew(help[j]));
    return LDB_STAY;
}

static ldbOutcome ldbCmdStep(lua_State *L, sds *argv, int argc) {
    (void)L, (void)argv, (void)argc;
    ldb.step = 1;
    return LDB_RESUME;
}

static ldbOutcome ldbCmdContinue(lua_State *L, sds *argv, int argc) {
    (void)L, (void)argv, (void)argc;
    return LDB_RESUME;
}

static ldbOutcome ldbCmdAbort(lua_State *L, sds *argv, int argc) {
    (void)L, (void)argv, (void)argc;
    return LDB_ABORT;
}

static ldbOutcome ldbCmdList(lua_State *L, sds *argv, int argc) {
    (void)L;
    int around = ldb.currentline, context = 5;
    if (argc > 1) {
        int n = atoi(argv[1]);
        if (n > 0) around = n;
    }
    if (argc > 2) context = atoi(argv[2]);
    ldbList(around, context);
    return LDB_STAY;
}

static ldbOutcome ldbCmdWhole(lua_State *L, sds *argv, int argc) {
    (void)L, (void)argv, (void)argc;
    ldbList(1, 1000000);
    return LDB_STAY;
}

/* Every local of the current function, or the one named name searched
 * from the current function outwards, then KEYS and ARGV. */
static void ldbPrintLocals(lua_State *L, const char *name) {
    lua_Debug ar;
    int shown = 0;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        const char *local;
        for (int i = 1; (local = lua_getlocal(L, &ar, i)) != NULL; i++) {
            if (name == NULL && strstr(local, "(*temporary)") == NULL) {
                sds prefix = sdscatprintf(sdsempty(), "<value> %s = ", local);
                ldbLogValue(L, prefix);
                sdsfree(prefix);
                shown++;
            } else if (name && strcmp(name, local) == 0) {
                ldbLogValue(L, "<value> ");
                lua_pop(L, 1);
                return;
            }
            lua_pop(L, 1);
        }
        if (name == NULL) break; /* print without a name: this function only */
    }
    if (name == NULL) {
        if (shown == 0) ldbLog(sdsnew("No local variables in the current context."));
        return;
    }
    if (!strcmp(name, "KEYS") || !strcmp(name, "ARGV")) {
        lua_getglobal(L, name);
        ldbLogValue(L, "<value> ");
        lua_pop(L, 1);
        return;
    }
    ldbLog(sdsnew("No such variable."));
}

static ldbOutcome ldbCmdPrint(lua_State *L, sds *argv, int argc) {
    ldbPrintLocals(L, argc == 2 ? argv[1] : NULL);
    return LDB_STAY;
}

static ldbOutcome ldbCmdTrace(lua_State *L, sds *argv, int argc) {
    (void)argv, (void)argc;
    lua_Debug ar;
    int level = 0;
    for (; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Snl", &ar);
        if (strstr(ar.short_src, "user_script") == NULL) continue;
        ldbLog(sdscatprintf(sdsempty(), "%s %s:", level == 0 ? "In" : "From", ar.name ? ar.name : "top level"));
        ldbLogSourceLine(ar.currentline);
    }
    if (level == 0) ldbLog(sdsnew("<error> Can't retrieve Lua stack."));
    return LDB_STAY;
}

/* Adds a breakpoint at line; 0 when the line is out of the source, has
 * one already or the table is full. */
static int ldbAddBreakpoint(int line) {
    if (line <= 0 || line > ldb.nlines || ldbIsBreakpoint(line) || ldb.bpcount == LDB_MAX_BREAKPOINTS) return 0;
    ldb.bp[ldb.bpcount++] = line;
    return 1;
}

static int ldbDelBreakpoint(int line) {
    for (int j = 0; j < ldb.bpcount; j++) {
        if (ldb.bp[j] != line) continue;
        memmove(ldb.bp + j, ldb.bp + j + 1, sizeof(int) * (size_t)(ldb.bpcount - j - 1));
        ldb.bpcount--;
        return 1;
    }
    return 0;
}

static void ldbBreakOne(const char *arg) {
    long long line;
    if (!string2ll(arg, strlen(arg), &line)) {
        ldbLog(sdscatprintf(sdsempty(), "Invalid argument:'%s'", arg));
    } else if (line == 0) {
        ldb.bpcount = 0;
        ldbLog(sdsnew("All breakpoints removed."));
    } else if (line > 0) {
        if (ldb.bpcount == LDB_MAX_BREAKPOINTS)
            ldbLog(sdsnew("Too many breakpoints set."));
        else if (line <= INT_MAX && ldbAddBreakpoint((int)line))
            ldbList((int)line, 1);
        else
            ldbLog(sdsnew("Wrong line number."));
    } else {
        if (line >= -INT_MAX && ldbDelBreakpoint((int)-line))
            ldbLog(sdsnew("Breakpoint removed."));
        else
            ldbLog(sdsnew("No breakpoint in the specified line."));
    }
}

static ldbOutcome ldbCmdBreak(lua_State *L, sds *argv, int argc) {
    (void)L;
    if (argc > 1) {
        for (int j = 1; j < argc; j++) ldbBreakOne(argv[j]);
        return LDB_STAY;
    }
    if (ldb.bpcount == 0) {
        ldbLog(sdsnew("No breakpoints set. Use 'b <line>' to add one."));
        return LDB_STAY;
    }
    ldbLog(sdscatprintf(sdsempty(), "%d breakpoints set:", ldb.bpcount));
    for (int j = 0; j < ldb.bpcount; j++) ldbLogSourceLine(ldb.bp[j]);
    return LDB_STAY;
}

static ldbOutcome ldbCmdMaxlen(lua_State *L, sds *argv, int argc) {
    (void)L;
    if (argc == 2) {
        long v = atol(argv[1]);
        if (v != 0 && v <= LDB_MIN_MAXLEN) v = LDB_MIN_MAXLEN;
        ldb.maxlen = v;
        ldb.maxlen_hint_sent = 1; /* the user knows about maxlen */
    }
    if (ldb.maxlen)
        ldbLog(sdscatprintf(sdsempty(), "<value> replies are truncated at %ld bytes.", ldb.maxlen));
    else
        ldbLog(sdsnew("<value> replies are unlimited."));
    return LDB_STAY;
}

/* The text of the error value on top of L: a string, or the err field of
 * an error table as the redis.* API raises them. */
static const char *errorText(lua_State *L) {
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "err");
        const char *e = lua_tostring(L, -1);
        lua_pop(L, 1); /* the table still holds the string */
        return e ? e : "unknown error";
    }
    const char *e = lua_tostring(L, -1);
    return e ? e : "unknown error";
}

/* eval <code>: the arguments joined by spaces, run as an expression
 * ("return " before it) when that compiles, else as a statement, in a
 * call frame of its own. */
static ldbOutcome ldbCmdEval(lua_State *L, sds *argv, int argc) {
    sds code = sdsjoinsds(argv + 1, argc - 1, " ", 1);
    sds expr = sdscatsds(sdsnew("return "), code);
    int failed = luaL_loadbuffer(L, expr, sdslen(expr), "@ldb_eval");
    if (failed) {
        lua_pop(L, 1);
        failed = luaL_loadbuffer(L, code, sdslen(code), "@ldb_eval");
    }
    sdsfree(code);
    sdsfree(expr);
    if (!failed) failed = lua_pcall(L, 0, 1, 0);
    if (failed)
        ldbLog(sdscatprintf(sdsempty(), "<error> %s", errorText(L)));
    else
        ldbLogValue(L, "<retval> ");
    lua_pop(L, 1);
    return LDB_STAY;
}

/* redis <cmd> ...: run through redis.call with the logging of stepping. */
static ldbOutcome ldbCmdRedis(lua_State *L, sds *argv, int argc) {
    if (!lua_checkstack(L, argc + 1)) {
        ldbLog(sdsnew("<reply> max lua stack reached"));
        return LDB_STAY;
    }
    lua_getglobal(L, "redis");
    lua_getfield(L, -1, "call");
    for (int j = 1; j < argc; j++) lua_pushlstring(L, argv[j], sdslen(argv[j]));
    ldb.step = 1; /* log the command and its reply */
    lua_pcall(L, argc - 1, 1, 0);
    ldb.step = 0;
    lua_pop(L, 2);
    return LDB_STAY;
}

typedef struct ldbCommand {
    const char *name, *abbrev;
    int min_argc;
    ldbOutcome (*fn)(lua_State *L, sds *argv, int argc);
} ldbCommand;

static const ldbCommand ldbCommands[] = {
    {"help", "h", 1, ldbCmdHelp},         {"step", "s", 1, ldbCmdStep},   {"next", "n", 1, ldbCmdStep},
    {"continue", "c", 1, ldbCmdContinue}, {"trace", "t", 1, ldbCmdTrace}, {"maxlen", "m", 1, ldbCmdMaxlen},
    {"break", "b", 1, ldbCmdBreak},       {"eval", "e", 1, ldbCmdEval},   {"abort", "a", 1, ldbCmdAbort},
    {"redis", "r", 2, ldbCmdRedis},       {"print", "p", 1, ldbCmdPrint}, {"list", "l", 1, ldbCmdList},
    {"whole", "w", 1, ldbCmdWhole},       {NULL, NULL, 0, NULL},
};

static ldbOutcome ldbRunCommand(lua_State *L, sds *argv, int argc) {
    for (const ldbCommand *cmd = ldbCommands; cmd->name; cmd++) {
        if (strcasecmp(argv[0], cmd->name) && strcasecmp(argv[0], cmd->abbrev)) continue;
        if (argc < cmd->min_argc) break;
        ldbOutcome out = cmd->fn(L, argv, argc);
        if (out == LDB_STAY) ldbSendLogs();
        return out;
    }
    ldbLog(sdsnew("<error> Unknown Redis Lua debugger command or wrong number of arguments."));
    ldbSendLogs();
    return LDB_STAY;
}

/* Serves the user's commands until one resumes the script. C_ERR when the
 * client is gone (the script then runs on without stops). Abort, a
 * protocol error and too much input raise a Lua error: no return. */
static int ldbRepl(lua_State *L) {
    for (;;) {
        sds *argv = NULL;
        int argc = 0, r;
        while ((r = ldbParseCommand(&argv, &argc)) == 0) {
            char buf[1024];
            ssize_t n = ldb.conn ? connSyncRead(ldb.conn, buf, sizeof(buf), -1) : 0;
            if (n <= 0) {
                ldb.step = 0;
                ldb.bpcount = 0;
                return C_ERR;
            }
            ldb.cbuf = sdscatlen(ldb.cbuf, buf, (size_t)n);
            if (sdslen(ldb.cbuf) > LDB_MAX_INPUT) {
                sdsclear(ldb.cbuf);
                luaRaiseError(L, "ERR max client buffer reached");
            }
        }
        sdsclear(ldb.cbuf); /* what followed the command is dropped, as in 7.0 */
        if (r < 0) luaRaiseError(L, "ERR protocol error");
        ldbOutcome out = ldbRunCommand(L, argv, argc);
        freeArgs(argv, argc);
        if (out == LDB_ABORT) luaRaiseError(L, "ERR script aborted for user request");
        if (out == LDB_RESUME) return C_OK;
    }
}

/* -------------------------------------------------------------- hook */

static void ldbHook(lua_State *L, lua_Debug *ar) {
    lua_getstack(L, 0, ar);
    lua_getinfo(L, "Sl", ar);
    if (strstr(ar->short_src, "user_script") == NULL) return;
    ldb.currentline = ar->currentline;
    int bp = ldbIsBreakpoint(ldb.currentline) || ldb.luabp;
    int timeout = 0;
    scriptRunCtx *run = scriptCurrentRun();
    if (ar->event == LUA_HOOKCOUNT && !ldb.step && !bp) {
        long long limit =
            server.limits.busy_reply_threshold > 0 ? server.limits.busy_reply_threshold : LDB_DEFAULT_TIMEOUT_MS;
        if (run == NULL || mstime() - run->start_time < limit) return;
        timeout = 1;
        ldb.step = 1;
    }
    if (!ldb.step && !bp) return;
    const char *reason = bp        ? (ldb.luabp ? "redis.breakpoint() called" : "break point")
                         : timeout ? "timeout reached, infinite loop?"
                                   : "step over";
    ldb.step = 0;
    ldb.luabp = 0;
    ldbLog(sdscatprintf(sdsempty(), "* Stopped at %d, stop reason = %s", ldb.currentline, reason));
    ldbLogSourceLine(ldb.currentline);
    ldbSendLogs();
    if (ldbRepl(L) == C_ERR && timeout)
        luaRaiseError(L, "ERR timeout during Lua debugging with client closing connection");
    if (run) run->start_time = mstime(); /* the time the user took does not count */
}

void ldbInstallHook(lua_State *L) {
    lua_sethook(L, ldbHook, LUA_MASKLINE | LUA_MASKCOUNT, LDB_HOOK_INSTRUCTIONS);
}

int ldbLuaDebug(lua_State *L) {
    if (!ldb.active) return 0;
    int argc = lua_gettop(L);
    sds entry = sdscatprintf(sdsempty(), "<debug> line %d: ", ldb.currentline);
    for (int j = 1; j <= argc; j++) {
        if (j > 1) entry = sdscatlen(entry, ", ", 2);
        entry = ldbCatValue(entry, L, j, 0);
    }
    ldbLog(entry);
    return 0;
}

int ldbLuaBreakpoint(lua_State *L) {
    if (ldb.active) ldb.luabp = 1;
    lua_pushboolean(L, ldb.active);
    return 1;
}

/* ----------------------------------------------------------- session */

void ldbScriptDebugCommand(client *c) {
    const char *mode = c->argv[2]->ptr;
    /* Replies already waiting (a pipeline, MULTI) would be sent after the
     * session's own output. */
    if (clientHasPendingReplies(c)) {
        addReplyError(c, "SCRIPT DEBUG must be called outside a pipeline");
        return;
    }
    if (!strcasecmp(mode, "no")) {
        c->flags &= ~(CLIENT_LUA_DEBUG | CLIENT_LUA_DEBUG_SYNC);
    } else if (!strcasecmp(mode, "yes")) {
        c->flags |= CLIENT_LUA_DEBUG;
        c->flags &= ~CLIENT_LUA_DEBUG_SYNC;
    } else if (!strcasecmp(mode, "sync")) {
        c->flags |= CLIENT_LUA_DEBUG | CLIENT_LUA_DEBUG_SYNC;
    } else {
        addReplyError(c, "Use SCRIPT DEBUG YES/SYNC/NO");
        return;
    }
    addReply(c, shared.ok);
}

/* The child of a forked session: the parent stops it (SIGKILL at
 * shutdown), not the user's signals; it keeps no listener open, and the
 * parent's BGSAVE or rewrite child is not its own to stop (a FLUSHALL in
 * the debugged script would). */
static void ldbBecomeChild(void) {
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    closeListenersInChild();
    childForgetParentsChild();
}

int ldbStartSession(client *c, robj *body) {
    int forked = !(c->flags & CLIENT_LUA_DEBUG_SYNC);
    c->flags &= ~(CLIENT_LUA_DEBUG | CLIENT_LUA_DEBUG_SYNC);
    if (forked) {
        pid_t pid = fork();
        if (pid == -1) {
            addReplyErrorFormat(c, "Fork() failed: can't run EVAL in debugging mode: %s", strerror(errno));
            return 0;
        }
        if (pid > 0) {
            ldb_children = zrealloc(ldb_children, sizeof(pid_t) * (size_t)(ldb_nchildren + 1));
            ldb_children[ldb_nchildren++] = pid;
            freeClientAsync(c); /* the child owns the conversation now */
            return 0;
        }
        ldbBecomeChild();
        serverLog(LL_WARNING, "Redis forked for debugging eval");
    } else {
        serverLog(LL_WARNING, "Redis synchronous debugging eval session started");
    }
    ldb.active = 1;
    ldb.forked = forked;
    ldb.c = c;
    ldb.conn = c->conn;
    robj *src = getDecodedObject(body);
    ldb.lines = sdssplitlen(src->ptr, (ssize_t)sdslen(src->ptr), "\n", 1, &ldb.nlines);
    decrRefCount(src);
    ldb.currentline = -1;
    ldb.step = 1;
    ldb.luabp = 0;
    ldb.bpcount = 0;
    ldb.maxlen = LDB_MAX_LEN_DEFAULT;
    ldb.maxlen_hint_sent = 0;
    ldb.logs = sdsempty();
    ldb.nlogs = 0;
    ldb.cbuf = sdsempty();
    return 1;
}

/* Writes everything c has to send, blocking (a forked session's end). */
static void ldbFlushReplies(client *c) {
    if (c->conn == NULL) return;
    size_t skip = (size_t)c->sentlen;
    if (c->bufpos > 0) {
        connSyncWrite(c->conn, c->buf + skip, c->bufpos - skip, LDB_WRITE_TIMEOUT_MS);
        skip = 0;
    }
    listIter li;
    listNode *ln;
    listRewind(c->reply, &li);
    while ((ln = listNext(&li)) != NULL) {
        clientReplyBlock *b = listNodeValue(ln);
        if (b == NULL || b->used <= skip) continue;
        if (connSyncWrite(c->conn, b->buf + skip, b->used - skip, LDB_WRITE_TIMEOUT_MS) == -1) return;
        skip = 0;
    }
}

void ldbEndSession(client *c) {
    ldbLog(sdsnew("<endsession>"));
    ldbSendLogs();
    if (ldb.forked) {
        ldbFlushReplies(c);
        serverLog(LL_WARNING, "Lua debugging session child exiting");
        _exit(0);
    }
    serverLog(LL_WARNING, "Redis synchronous debugging eval session ended");
    c->flags |= CLIENT_CLOSE_AFTER_REPLY; /* tells the client the session is over */
    sdsfreesplitres(ldb.lines, ldb.nlines);
    sdsfree(ldb.logs);
    sdsfree(ldb.cbuf);
    memset(&ldb, 0, sizeof(ldb));
}

/* ------------------------------------------------- forked sessions */

void ldbReapChildren(void) {
    for (int j = 0; j < ldb_nchildren;) {
        int status;
        pid_t r = waitpid(ldb_children[j], &status, WNOHANG);
        if (r == 0 || (r == -1 && errno == EINTR)) {
            j++;
            continue;
        }
        ldb_children[j] = ldb_children[--ldb_nchildren];
    }
    if (ldb_nchildren == 0) {
        zfree(ldb_children);
        ldb_children = NULL;
    }
}

void ldbKillForkedSessions(void) {
    for (int j = 0; j < ldb_nchildren; j++) {
        serverLog(LL_WARNING, "Killing debugging session %ld", (long)ldb_children[j]);
        kill(ldb_children[j], SIGKILL);
    }
    zfree(ldb_children);
    ldb_children = NULL;
    ldb_nchildren = 0;
}
