/* script_lua.c — the Lua interpreter that runs scripts.
 *
 * The sandbox. Scripts see the base library without file access (no
 * loadfile, dofile, print, require, module, setfenv, getfenv, newproxy),
 * table, string, math, coroutine, cjson and bit (Debian's lua-cjson and
 * lua-bitop, linked statically), and the redis table. os, io, package and
 * debug are absent. Binary chunks are refused by load and loadstring:
 * Lua 5.1 trusts bytecode, and hostile bytecode reaches memory it should
 * not. bit.tohex clamps its width so that extreme values cannot overflow.
 *
 * Read-only tables. Lua 5.1 has no read-only tables, so the globals and
 * each library table are proxies: an empty table whose metatable reads
 * from the real one (__index) and refuses every assignment (__newindex:
 * "Attempt to modify a readonly table"). Reading a missing global is an
 * error ("Script attempted to access nonexistent global variable").
 * rawset, setmetatable, table.insert/remove/sort refuse proxies; next,
 * pairs and rawget look through them, so iterating _G works. The registry
 * table proxies maps each proxy to its real table. KEYS and ARGV are set
 * into the real globals before each run.
 *
 * Conversions. A command's reply (read back from the script client's
 * output buffers) becomes a Lua value as Redis documents: integer ->
 * number, bulk -> string, null -> false (nil in RESP3), array -> table,
 * status -> {ok=...}, error -> {err=...}, and with redis.setresp(3) map ->
 * {map=...}, set -> {set=...}, double -> {double=...}, big number ->
 * {big_number=...}, verbatim -> {verbatim_string={format=, string=}},
 * boolean -> boolean. The script's result becomes a reply the other way
 * (numbers truncated to integers, false -> null unless RESP3 was asked,
 * tables read up to the first nil).
 *
 * Errors. Every run goes through lua_pcall with a C message handler that
 * turns the error into a table {err=, source=, line=} (a string error gets
 * the "ERR " code); the caller then gets "-<err> script: <name>, on
 * <source>:<line>." as Redis 7.0 writes it. API functions raise tables
 * with the code already in place. pcall is replaced so that a caught
 * error table is given to the script as its err string, as in 7.0.
 *
 * Busy scripts: a count hook every LUA_HOOK_INSTRUCTIONS instructions
 * calls scriptInterrupt (script.c); a killed run turns the hook into one
 * that raises at every instruction, so a pcall in the script cannot keep
 * it alive.
 *
 * State at file scope: the script client (one, created with the first
 * interpreter), the random generator of math.random and the count of runs
 * between collector steps; all belong to this engine alone.
 */
#include "server.h"
#include "script.h"
#include "script_lua.h"
#include "script_ldb.h"
#include "sha1.h"
#include "bio.h"

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int luaopen_cjson(lua_State *L);
int luaopen_bit(lua_State *L);

#define LUA_HOOK_INSTRUCTIONS 100000
#define REG_PROXIES "__ember_proxies"
/* Marks an error table made from a command's error reply: that error was
 * counted in errorstats already, so replying it again does not count. */
#define ERR_COUNTED_FIELD "ignore_error_stats_update"

static client *script_client;
static uint64_t rand48_state;

/* Registry keys of values every run needs, reached by address (no string
 * to hash): the real globals table behind the read-only proxy, and the
 * message handler (one closure per state instead of one per run). Only
 * their addresses are used. */
static const char reg_globals, reg_handler;

static void pushRegistered(lua_State *L, const char *key) {
    lua_pushlightuserdata(L, (void *)key);
    lua_rawget(L, LUA_REGISTRYINDEX);
}

static void setRegistered(lua_State *L, const char *key) {
    lua_pushlightuserdata(L, (void *)key);
    lua_insert(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

/* ---------------------------------------------------------- errors */

/* While the debugger steps, an error the redis.* API raises or returns
 * is logged as Redis 7.0 logs it: without the generic "ERR " code our
 * messages carry. */
static void noteApiError(const char *msg, size_t len) {
    if (!ldbIsLogging()) return;
    if (len >= 4 && !memcmp(msg, "ERR ", 4)) msg += 4, len -= 4;
    ldbLogError(msg, len);
}

/* Raises a table {err = msg}: msg carries its code ("ERR ...") already. */
static int raiseErrorTable(lua_State *L, const char *msg, size_t len) {
    lua_newtable(L);
    lua_pushliteral(L, "err");
    lua_pushlstring(L, msg, len);
    lua_rawset(L, -3);
    return lua_error(L);
}

int luaRaiseError(lua_State *L, const char *msg) {
    noteApiError(msg, strlen(msg));
    return raiseErrorTable(L, msg, strlen(msg));
}

/* A position prefix for an error raised by a metamethod on behalf of the
 * Lua code calling it. */
static int raiseWithWhere(lua_State *L, const char *msg) {
    luaL_where(L, 1);
    lua_pushstring(L, msg);
    lua_concat(L, 2);
    return lua_error(L);
}

/* The message handler of every run: any error value becomes {err=,
 * source=, line=}, with the first Lua frame's position. */
int luaErrorHandler(lua_State *L) {
    lua_Debug ar;
    int level = 1, have = 0;
    while (lua_getstack(L, level, &ar)) {
        lua_getinfo(L, "Sl", &ar);
        if (strcmp(ar.what, "C") != 0) {
            have = 1;
            break;
        }
        level++;
        if (level > 2) break;
    }
    if (!lua_istable(L, 1)) {
        const char *s = lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER ? lua_tostring(L, 1) : NULL;
        if (s == NULL) {
            lua_getglobal(L, "tostring");
            lua_pushvalue(L, 1);
            lua_call(L, 1, 1);
            s = lua_tostring(L, -1);
        }
        lua_newtable(L);
        lua_pushliteral(L, "err");
        lua_pushfstring(L, "ERR %s", s ? s : "unknown error");
        lua_rawset(L, -3);
        lua_replace(L, 1);
        lua_settop(L, 1);
    }
    if (have) {
        lua_pushliteral(L, "source");
        lua_pushstring(L, ar.source);
        lua_rawset(L, 1);
        lua_pushliteral(L, "line");
        lua_pushinteger(L, ar.currentline);
        lua_rawset(L, 1);
    }
    lua_settop(L, 1);
    return 1;
}

/* pcall as 7.0 gives it: a caught error table with an err string is
 * handed over as that string. */
static int luaPcallReplacement(lua_State *L) {
    luaL_checkany(L, 1);
    int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
    if (status == 0) {
        lua_pushboolean(L, 1);
        lua_insert(L, 1);
        return lua_gettop(L);
    }
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "err");
        if (lua_isstring(L, -1))
            lua_replace(L, -2);
        else
            lua_pop(L, 1);
    }
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
}

/* --------------------------------------------------- read-only tables */

/* The real table behind the proxy at idx, pushed; nil when idx is no proxy. */
static void pushProxied(lua_State *L, int idx) {
    lua_getfield(L, LUA_REGISTRYINDEX, REG_PROXIES);
    lua_pushvalue(L, idx < 0 ? idx - 1 : idx);
    lua_rawget(L, -2);
    lua_remove(L, -2);
}

static int isProxy(lua_State *L, int idx) {
    if (!lua_istable(L, idx)) return 0;
    pushProxied(L, idx);
    int yes = !lua_isnil(L, -1);
    lua_pop(L, 1);
    return yes;
}

/* The refusal of rawset and setmetatable: no position, as in 7.0. */
static int raiseReadonly(lua_State *L) {
    lua_pushliteral(L, "Attempt to modify a readonly table");
    return lua_error(L);
}

static int proxyNewindex(lua_State *L) {
    return raiseWithWhere(L, "Attempt to modify a readonly table");
}

static int globalsIndex(lua_State *L) {
    lua_pushvalue(L, 2);
    lua_rawget(L, lua_upvalueindex(1));
    if (!lua_isnil(L, -1)) return 1;
    const char *name = lua_isstring(L, 2) ? lua_tostring(L, 2) : "?";
    luaL_where(L, 1);
    lua_pushfstring(L, "Script attempted to access nonexistent global variable '%s'", name);
    lua_concat(L, 2);
    return lua_error(L);
}

/* Replaces the table at idx (absolute) by a read-only proxy, pushed. With
 * strict, reading a missing field is an error (the globals). */
void luaPushReadonlyProxy(lua_State *L, int idx, int strict) {
    lua_newtable(L);                 /* proxy */
    lua_newtable(L);                 /* its metatable */
    lua_pushliteral(L, "__index");
    if (strict) {
        lua_pushvalue(L, idx);
        lua_pushcclosure(L, globalsIndex, 1);
    } else {
        lua_pushvalue(L, idx);
    }
    lua_rawset(L, -3);
    lua_pushliteral(L, "__newindex");
    lua_pushcfunction(L, proxyNewindex);
    lua_rawset(L, -3);
    lua_pushliteral(L, "__metatable");
    lua_newtable(L);
    lua_rawset(L, -3);
    lua_setmetatable(L, -2);
    lua_getfield(L, LUA_REGISTRYINDEX, REG_PROXIES);
    lua_pushvalue(L, -2);
    lua_pushvalue(L, idx);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* The argument at 1, unwrapped when it is a proxy. */
static void unwrapFirstArg(lua_State *L) {
    if (!isProxy(L, 1)) return;
    pushProxied(L, 1);
    lua_replace(L, 1);
}

static int luaNext(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    unwrapFirstArg(L);
    lua_settop(L, 2);
    if (lua_next(L, 1)) return 2;
    lua_pushnil(L);
    return 1;
}

static int luaPairs(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    unwrapFirstArg(L);
    lua_pushcfunction(L, luaNext);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

static int luaRawget(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    unwrapFirstArg(L);
    lua_settop(L, 2);
    lua_rawget(L, 1);
    return 1;
}

static int luaRawset(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    if (isProxy(L, 1)) return raiseReadonly(L);
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 1;
}

static int luaSetmetatable(lua_State *L) {
    if (isProxy(L, 1)) return raiseReadonly(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* A wrapper of a table function (upvalue 1) refusing a proxy as table. */
static int luaTableGuard(lua_State *L) {
    if (isProxy(L, 1)) return raiseReadonly(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* ------------------------------------------------------- safe loading */

static int loadChecked(lua_State *L, const char *s, size_t len, const char *name) {
    if (len > 0 && s[0] == LUA_SIGNATURE[0]) {
        lua_pushnil(L);
        lua_pushliteral(L, "binary chunks are not allowed");
        return 2;
    }
    if (luaL_loadbuffer(L, s, len, name) != 0) {
        lua_pushnil(L);
        lua_insert(L, -2);
        return 2;
    }
    return 1;
}

static int luaLoadstring(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, s);
    return loadChecked(L, s, len, name);
}

/* load(func [, name]): the pieces are gathered first, then checked. */
static int luaLoad(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    const char *name = luaL_optstring(L, 2, "=(load)");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (;;) {
        lua_pushvalue(L, 1);
        lua_call(L, 0, 1);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            break;
        }
        if (!lua_isstring(L, -1)) return luaL_error(L, "reader function must return a string");
        if (lua_objlen(L, -1) == 0) {
            lua_pop(L, 1);
            break;
        }
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    return loadChecked(L, s, len, name);
}

/* bit.tohex(x [, n]) with n clamped to [-8, 8], same digits. */
static int luaBitTohex(lua_State *L) {
    if (lua_gettop(L) >= 2 && lua_isnumber(L, 2)) {
        lua_Number n = lua_tonumber(L, 2);
        if (n > 8) n = 8;
        if (n < -8) n = -8;
        lua_pushnumber(L, n);
        lua_replace(L, 2);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* -------------------------------------------------------- math.random */

/* A 48-bit linear congruential generator (the lrand48 recurrence), so
 * the sequence is the same on every platform. */
static void rand48Seed(int32_t seed) {
    rand48_state = ((uint64_t)(uint32_t)seed << 16) | 0x330e;
}

static int32_t rand48Next(void) {
    rand48_state = (rand48_state * 0x5deece66dULL + 0xb) & ((1ULL << 48) - 1);
    return (int32_t)(rand48_state >> 17);
}

static int luaMathRandom(lua_State *L) {
    const int32_t max = 0x7fffffff;
    lua_Number r = (lua_Number)(rand48Next() % max) / (lua_Number)max;
    switch (lua_gettop(L)) {
    case 0:
        lua_pushnumber(L, r);
        break;
    case 1: {
        int u = luaL_checkint(L, 1);
        luaL_argcheck(L, 1 <= u, 1, "interval is empty");
        lua_pushnumber(L, floor(r * u) + 1);
        break;
    }
    case 2: {
        int l = luaL_checkint(L, 1), u = luaL_checkint(L, 2);
        luaL_argcheck(L, l <= u, 2, "interval is empty");
        lua_pushnumber(L, floor(r * (u - l + 1)) + l);
        break;
    }
    default:
        return luaL_error(L, "wrong number of arguments");
    }
    return 1;
}

static int luaMathRandomseed(lua_State *L) {
    rand48Seed((int32_t)luaL_checkint(L, 1));
    return 0;
}

/* ------------------------------------------------- reply -> Lua value */

/* The run redis.call belongs to: there is one at a time (script.c), and
 * outside it (FUNCTION LOAD's top level) none. */
static scriptRunCtx *currentRun(lua_State *L) {
    (void)L;
    return scriptCurrentRun();
}

static const char *lineEnd(const char *p) {
    return strstr(p, "\r\n");
}

static void setField(lua_State *L, const char *name) {
    lua_pushstring(L, name);
    lua_insert(L, -2);
    lua_rawset(L, -3);
}

/* Parses one reply at p (NUL-terminated buffer), pushes its Lua value,
 * returns where the next one starts. */
static const char *replyToLua(lua_State *L, const char *p, int resp3);

static const char *aggregateToLua(lua_State *L, const char *p, const char *end, int kind, int resp3) {
    long long n = strtoll(p + 1, NULL, 10);
    p = end + 2;
    if (n < 0) {
        lua_pushboolean(L, 0);
        return p;
    }
    luaL_checkstack(L, 5, "reply too deep");
    lua_newtable(L);
    if (kind == '%' || kind == '~') lua_newtable(L);
    for (long long j = 0; j < n; j++) {
        if (kind == '%') {
            p = replyToLua(L, p, resp3);
            p = replyToLua(L, p, resp3);
            lua_rawset(L, -3);
        } else if (kind == '~') {
            p = replyToLua(L, p, resp3);
            lua_pushboolean(L, 1);
            lua_rawset(L, -3);
        } else {
            p = replyToLua(L, p, resp3);
            lua_rawseti(L, -2, (int)j + 1);
        }
    }
    if (kind == '%') setField(L, "map");
    if (kind == '~') setField(L, "set");
    return p;
}

static const char *replyToLua(lua_State *L, const char *p, int resp3) {
    const char *end = lineEnd(p);
    switch (*p) {
    case ':':
        lua_pushnumber(L, (lua_Number)strtoll(p + 1, NULL, 10));
        return end + 2;
    case '$': {
        long long len = strtoll(p + 1, NULL, 10);
        if (len < 0) {
            lua_pushboolean(L, 0);
            return end + 2;
        }
        lua_pushlstring(L, end + 2, (size_t)len);
        return end + 2 + len + 2;
    }
    case '+':
    case '-':
        lua_newtable(L);
        lua_pushlstring(L, p + 1, (size_t)(end - p - 1));
        setField(L, *p == '+' ? "ok" : "err");
        if (*p == '-') {
            /* Counted in errorstats when the command replied it. */
            lua_pushboolean(L, 1);
            setField(L, ERR_COUNTED_FIELD);
        }
        return end + 2;
    case '*':
    case '%':
    case '~':
        return aggregateToLua(L, p, end, *p, resp3);
    case '_':
        if (resp3) lua_pushnil(L);
        else lua_pushboolean(L, 0);
        return end + 2;
    case '#':
        lua_pushboolean(L, p[1] == 't');
        return end + 2;
    case ',':
        lua_newtable(L);
        lua_pushnumber(L, strtod(p + 1, NULL));
        setField(L, "double");
        return end + 2;
    case '(':
        lua_newtable(L);
        lua_pushlstring(L, p + 1, (size_t)(end - p - 1));
        setField(L, "big_number");
        return end + 2;
    case '=': {
        long long len = strtoll(p + 1, NULL, 10);
        const char *s = end + 2;
        lua_newtable(L);
        lua_newtable(L);
        lua_pushlstring(L, s, 3);
        setField(L, "format");
        lua_pushlstring(L, s + 4, (size_t)(len - 4));
        setField(L, "string");
        setField(L, "verbatim_string");
        return s + len + 2;
    }
    default:
        lua_pushnil(L);
        return end ? end + 2 : p + strlen(p);
    }
}

/* The script client's output as one string, and the client emptied. */
static sds takeClientOutput(client *c) {
    sds out = sdsnewlen(c->buf, c->bufpos);
    while (listLength(c->reply)) {
        listNode *ln = listFirst(c->reply);
        clientReplyBlock *b = listNodeValue(ln);
        if (b) out = sdscatlen(out, b->buf, b->used);
        zfree(b);
        listDelNode(c->reply, ln);
    }
    c->bufpos = 0;
    c->sentlen = 0;
    c->reply_bytes = 0;
    return out;
}

/* ------------------------------------------------------------ redis.* */

/* Builds argv from the Lua arguments; NULL with *err on a bad one. */
static robj **argvFromLua(lua_State *L, int argc, const char **err) {
    robj **argv = zmalloc(sizeof(robj *) * (size_t)argc);
    for (int j = 0; j < argc; j++) {
        int t = lua_type(L, j + 1);
        if (t == LUA_TNUMBER) {
            char buf[64];
            int len = snprintf(buf, sizeof(buf), "%.17g", (double)lua_tonumber(L, j + 1));
            argv[j] = createStringObject(buf, (size_t)len);
        } else if (t == LUA_TSTRING) {
            size_t len;
            const char *s = lua_tolstring(L, j + 1, &len);
            argv[j] = createStringObject(s, len);
        } else {
            for (int k = 0; k < j; k++) decrRefCount(argv[k]);
            zfree(argv);
            *err = "ERR Lua redis lib command arguments must be strings or integers";
            return NULL;
        }
    }
    return argv;
}

/* The debugger's log of a command scriptCall refused (err as it gave
 * it): 7.0 logs its messages without their generic code, and the OOM
 * refusal as its shared reply, leading '-' and CRLF (made spaces) kept. */
static void noteRefusal(const char *err) {
    if (strncmp(err, "ERR ", 4) == 0) {
        ldbLogError(err + 4, strlen(err) - 4);
        return;
    }
    sds line = sdscatprintf(sdsempty(), "-%s\r\n", err);
    ldbLogError(line, sdslen(line));
    sdsfree(line);
}

static int pushErrorTable(lua_State *L, const char *msg);

static int redisGenericCommand(lua_State *L, int raise) {
    int argc = lua_gettop(L);
    scriptRunCtx *rctx = currentRun(L);
    if (rctx == NULL) return luaRaiseError(L, "ERR redis.call can only be used inside a script invocation");
    if (argc == 0) {
        const char *none = "ERR Please specify at least one argument for this redis lib call";
        return raise ? luaRaiseError(L, none) : pushErrorTable(L, none);
    }
    const char *argerr = NULL;
    robj **argv = argvFromLua(L, argc, &argerr);
    if (argv == NULL) return raise ? luaRaiseError(L, argerr) : pushErrorTable(L, argerr);
    if (ldbIsLogging()) ldbLogRedisCommand(argv, argc);
    sds err = NULL;
    int ok = scriptCall(rctx, argv, argc, &err);
    for (int j = 0; j < argc; j++) decrRefCount(argv[j]);
    zfree(argv);
    if (ok != C_OK) {
        if (ldbIsLogging()) noteRefusal(err);
        if (raise) {
            lua_pushstring(L, err);
            sdsfree(err);
            return raiseErrorTable(L, lua_tostring(L, -1), lua_objlen(L, -1));
        }
        lua_newtable(L);
        lua_pushstring(L, err);
        sdsfree(err);
        setField(L, "err");
        return 1;
    }
    sds out = takeClientOutput(rctx->c);
    lua_settop(L, 0);
    if (sdslen(out) == 0) {
        sdsfree(out);
        lua_pushboolean(L, 0);
        return 1;
    }
    replyToLua(L, out, rctx->c->resp == 3);
    int is_error = out[0] == '-';
    if (ldbIsLogging()) {
        if (is_error) ldbLogError(out, strcspn(out, "\r\n"));
        ldbLogRedisReply(out);
    }
    sdsfree(out);
    if (raise && is_error) return lua_error(L);
    return 1;
}

/* redis.acl_check_cmd(cmd, args...): whether the caller's user may run
 * that command with those arguments (nothing is logged in ACL LOG). */
static int luaRedisAclCheckCmd(lua_State *L) {
    scriptRunCtx *rctx = currentRun(L);
    if (rctx == NULL) return luaRaiseError(L, "ERR redis.acl_check_cmd can only be called inside a script invocation");
    int argc = lua_gettop(L);
    if (argc == 0) return luaRaiseError(L, "ERR Please specify at least one argument for this redis lib call");
    const char *argerr = NULL;
    robj **argv = argvFromLua(L, argc, &argerr);
    if (argv == NULL) return luaRaiseError(L, argerr);
    struct redisCommand *cmd = lookupCommand(argv, argc);
    int allowed = 0, pos;
    if (cmd) allowed = aclCheckCommand(rctx->original_client->user, cmd, argv, argc, &pos) == ACL_OK;
    for (int j = 0; j < argc; j++) decrRefCount(argv[j]);
    zfree(argv);
    if (cmd == NULL) return luaRaiseError(L, "ERR Invalid command passed to redis.acl_check_cmd()");
    lua_pushboolean(L, allowed);
    return 1;
}

static int luaRedisCall(lua_State *L) {
    return redisGenericCommand(L, 1);
}

static int luaRedisPcall(lua_State *L) {
    return redisGenericCommand(L, 0);
}

/* Returns (not raises) {err = msg}: error_reply and status_reply answer
 * a bad call so, as in 7.0. */
static int pushErrorTable(lua_State *L, const char *msg) {
    noteApiError(msg, strlen(msg));
    lua_newtable(L);
    lua_pushstring(L, msg);
    setField(L, "err");
    return 1;
}

/* {err=...} from redis.error_reply's argument: "[-]CODE msg" keeps its
 * code, a text without a space gets "ERR"; the message is read up to a
 * NUL and loses the CR/LF at its ends. */
static int luaRedisErrorReply(lua_State *L) {
    if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING)
        return pushErrorTable(L, "ERR wrong number or type of arguments");
    const char *s = lua_tostring(L, 1); /* a C string, as Redis reads it */
    if (ldbIsLogging()) {
        sds logged = s[0] == '-' ? sdsnew(s) : sdscatprintf(sdsempty(), "-%s", s);
        ldbLogError(logged, sdslen(logged));
        sdsfree(logged);
    }
    if (s[0] == '-') s++;
    const char *sp = strchr(s, ' ');
    sds code = sp ? sdsnewlen(s, (size_t)(sp - s)) : sdsnew("ERR");
    sds msg = sdsnew(sp ? sp + 1 : s);
    sdstrim(msg, "\r\n");
    code = sdscatprintf(code, " %s", msg);
    lua_newtable(L);
    lua_pushlstring(L, code, sdslen(code));
    sdsfree(code);
    sdsfree(msg);
    setField(L, "err");
    return 1;
}

static int luaRedisStatusReply(lua_State *L) {
    if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING)
        return pushErrorTable(L, "ERR wrong number or type of arguments");
    lua_newtable(L);
    lua_pushvalue(L, 1);
    setField(L, "ok");
    return 1;
}

static int luaRedisSha1hex(lua_State *L) {
    if (lua_gettop(L) != 1) return luaRaiseError(L, "ERR wrong number of arguments");
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    char hex[41];
    sha1Hex(hex, s ? s : "", s ? len : 0);
    lua_pushstring(L, hex);
    return 1;
}

int luaRedisLog(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc < 2) return luaRaiseError(L, "ERR redis.log() requires two arguments or more.");
    if (!lua_isnumber(L, 1)) return luaRaiseError(L, "ERR First argument must be a number (log level).");
    int level = (int)lua_tonumber(L, 1);
    if (level < LL_DEBUG || level > LL_WARNING) return luaRaiseError(L, "ERR Invalid debug level.");
    if (level < server.log.verbosity) return 0;
    sds msg = sdsempty();
    for (int j = 2; j <= argc; j++) {
        size_t len;
        const char *s = lua_tolstring(L, j, &len);
        if (s == NULL) continue;
        if (j != 2) msg = sdscatlen(msg, " ", 1);
        msg = sdscatlen(msg, s, len);
    }
    serverLog(level, "%s", msg);
    sdsfree(msg);
    return 0;
}

static int luaRedisSetResp(lua_State *L) {
    scriptRunCtx *rctx = currentRun(L);
    if (lua_gettop(L) != 1) return luaRaiseError(L, "ERR redis.setresp() requires one argument.");
    int resp = (int)lua_tonumber(L, 1);
    if (resp != 2 && resp != 3) return luaRaiseError(L, "ERR RESP version must be 2 or 3.");
    if (rctx) rctx->c->resp = resp;
    return 0;
}

static int luaRedisSetRepl(lua_State *L) {
    scriptRunCtx *rctx = currentRun(L);
    if (lua_gettop(L) != 1) return luaRaiseError(L, "ERR redis.set_repl() requires two arguments.");
    int flags = (int)lua_tonumber(L, 1);
    if ((flags & ~(PROPAGATE_AOF | PROPAGATE_REPL)) != 0)
        return luaRaiseError(L, "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
    if (rctx) rctx->repl_flags = flags;
    return 0;
}

static int luaRedisTrue(lua_State *L) {
    lua_pushboolean(L, 1);
    return 1;
}

static void setNumberField(lua_State *L, const char *name, lua_Number v) {
    lua_pushnumber(L, v);
    setField(L, name);
}

static void setFunctionField(lua_State *L, const char *name, lua_CFunction f) {
    lua_pushcfunction(L, f);
    setField(L, name);
}

static void registerRedisApi(lua_State *L) {
    lua_newtable(L);
    setFunctionField(L, "call", luaRedisCall);
    setFunctionField(L, "pcall", luaRedisPcall);
    setFunctionField(L, "error_reply", luaRedisErrorReply);
    setFunctionField(L, "status_reply", luaRedisStatusReply);
    setFunctionField(L, "sha1hex", luaRedisSha1hex);
    setFunctionField(L, "log", luaRedisLog);
    setFunctionField(L, "setresp", luaRedisSetResp);
    setFunctionField(L, "acl_check_cmd", luaRedisAclCheckCmd);
    setFunctionField(L, "set_repl", luaRedisSetRepl);
    setFunctionField(L, "replicate_commands", luaRedisTrue);
    setFunctionField(L, "breakpoint", ldbLuaBreakpoint);
    setFunctionField(L, "debug", ldbLuaDebug);
    setNumberField(L, "LOG_DEBUG", LL_DEBUG);
    setNumberField(L, "LOG_VERBOSE", LL_VERBOSE);
    setNumberField(L, "LOG_NOTICE", LL_NOTICE);
    setNumberField(L, "LOG_WARNING", LL_WARNING);
    setNumberField(L, "REPL_NONE", PROPAGATE_NONE);
    setNumberField(L, "REPL_AOF", PROPAGATE_AOF);
    setNumberField(L, "REPL_SLAVE", PROPAGATE_REPL);
    setNumberField(L, "REPL_REPLICA", PROPAGATE_REPL);
    setNumberField(L, "REPL_ALL", PROPAGATE_AOF | PROPAGATE_REPL);
    lua_pushliteral(L, REDIS_VERSION);
    setField(L, "REDIS_VERSION");
    setNumberField(L, "REDIS_VERSION_NUM", REDIS_VERSION_NUM);
    lua_setglobal(L, "redis");
}

/* --------------------------------------------------------- the state */

static void removeGlobals(lua_State *L) {
    static const char *gone[] = {"loadfile", "dofile", "print", "require", "module", "setfenv", "getfenv",
                                 "newproxy", "package", "os", "io", "debug", NULL};
    for (int j = 0; gone[j]; j++) {
        lua_pushnil(L);
        lua_setglobal(L, gone[j]);
    }
}

static void wrapGlobal(lua_State *L, const char *name, lua_CFunction f) {
    lua_getglobal(L, name);
    lua_pushcclosure(L, f, 1);
    lua_setglobal(L, name);
}

static void wrapField(lua_State *L, const char *table, const char *name, lua_CFunction f) {
    lua_getglobal(L, table);
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, f, 1);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

static void replaceGlobals(lua_State *L) {
    lua_register(L, "pcall", luaPcallReplacement);
    lua_register(L, "next", luaNext);
    lua_register(L, "pairs", luaPairs);
    lua_register(L, "rawget", luaRawget);
    lua_register(L, "rawset", luaRawset);
    lua_register(L, "loadstring", luaLoadstring);
    lua_register(L, "load", luaLoad);
    lua_register(L, "__redis__err__handler", luaErrorHandler);
    wrapGlobal(L, "setmetatable", luaSetmetatable);
    wrapField(L, "table", "insert", luaTableGuard);
    wrapField(L, "table", "remove", luaTableGuard);
    wrapField(L, "table", "sort", luaTableGuard);
    wrapField(L, "bit", "tohex", luaBitTohex);
    lua_getglobal(L, "math");
    setFunctionField(L, "random", luaMathRandom);
    setFunctionField(L, "randomseed", luaMathRandomseed);
    lua_pop(L, 1);
}

/* Every library table and then the globals become read-only proxies. */
static void protectTables(lua_State *L) {
    static const char *libs[] = {"string", "table", "math", "coroutine", "cjson", "bit", "cmsgpack", "struct", "redis",
                                  NULL};
    for (int j = 0; libs[j]; j++) {
        lua_getglobal(L, libs[j]);
        luaPushReadonlyProxy(L, lua_gettop(L), 0);
        lua_setglobal(L, libs[j]);
        lua_pop(L, 1);
    }
    /* The string metatable answers getmetatable("") with a read-only view. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_getglobal(L, "string");
    lua_setfield(L, -2, "__index");
    luaPushReadonlyProxy(L, lua_gettop(L), 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    lua_pushliteral(L, "_G");
    luaPushReadonlyProxy(L, lua_gettop(L) - 1, 1);
    lua_rawset(L, -3); /* _G names the proxy */
    lua_getfield(L, -1, "_G");
    lua_replace(L, LUA_GLOBALSINDEX);
    lua_pop(L, 1);
}

lua_State *luaCreateScriptState(void) {
    lua_State *L = luaL_newstate();
    if (L == NULL) serverPanic("Lua: cannot create an interpreter");
    static const luaL_Reg libs[] = {{"", luaopen_base}, {LUA_TABLIBNAME, luaopen_table},
                                    {LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math},
                                    {"cjson", luaopen_cjson}, {"bit", luaopen_bit},
                                    {"cmsgpack", luaopenCmsgpack}, {"struct", luaopenStruct}, {NULL, NULL}};
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        lua_pushcfunction(L, lib->func);
        lua_pushstring(L, lib->name);
        lua_call(L, 1, 1);
        /* cjson returns its table without naming it. */
        if (lib->name[0] && lua_istable(L, -1)) lua_setglobal(L, lib->name);
        lua_settop(L, 0);
    }
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, REG_PROXIES);
    registerRedisApi(L);
    removeGlobals(L);
    replaceGlobals(L);
    protectTables(L);
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    pushProxied(L, -1);
    lua_remove(L, -2);
    setRegistered(L, &reg_globals);
    lua_pushcfunction(L, luaErrorHandler);
    setRegistered(L, &reg_handler);
    rand48Seed(0);
    if (script_client == NULL) {
        script_client = createClient(NULL);
        script_client->flags |= CLIENT_SCRIPT;
    }
    return L;
}

void luaCloseScriptState(lua_State *L) {
    lua_close(L);
}

size_t luaMemory(lua_State *L) {
    return (size_t)lua_gc(L, LUA_GCCOUNT, 0) * 1024 + (size_t)lua_gc(L, LUA_GCCOUNTB, 0);
}

client *luaScriptClient(void) {
    return script_client;
}

int luaCompileScript(lua_State *L, const char *body, size_t len, const char *chunkname, int *ref, sds *err) {
    if (luaL_loadbuffer(L, body, len, chunkname) != 0) {
        *err = sdsnew(lua_tostring(L, -1));
        lua_pop(L, 1);
        return C_ERR;
    }
    *ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return C_OK;
}

void luaReleaseScript(lua_State *L, int ref) {
    luaL_unref(L, LUA_REGISTRYINDEX, ref);
}

/* ------------------------------------------------- Lua value -> reply */

static void luaToReply(client *c, lua_State *L, int script_resp);

/* A table field of the value on top, pushed; its Lua type returned. */
static int getTableField(lua_State *L, const char *name) {
    lua_pushstring(L, name);
    lua_rawget(L, -2);
    return lua_type(L, -1);
}

/* A status text: up to its first NUL (Redis treats it as a C
 * string), CR/LF made spaces. */
static sds sanitizedText(lua_State *L) {
    sds out = sdsnew(lua_tostring(L, -1));
    for (size_t j = 0; j < sdslen(out); j++)
        if (out[j] == '\r' || out[j] == '\n') out[j] = ' ';
    return out;
}

/* Replies the error text e (owned; its code included): CR and LF at its
 * end are dropped, inside it they become spaces. One made from a
 * command's reply (counted is 1) was counted when the command replied
 * it: it is written without counting again, and the running command is
 * marked failed by hand, as the error count did not grow. */
static void replyScriptError(client *c, sds e, int counted) {
    size_t len = sdslen(e);
    while (len > 0 && (e[len - 1] == '\r' || e[len - 1] == '\n')) len--;
    e[len] = '\0';
    sdsupdatelen(e);
    for (size_t j = 0; j < sdslen(e); j++)
        if (e[j] == '\r' || e[j] == '\n') e[j] = ' ';
    if (counted) {
        addReplyProto(c, "-", 1);
        addReplyProto(c, e, sdslen(e));
        addReplyProto(c, "\r\n", 2);
        if (c->cmd) c->cmd->failed_calls++;
        sdsfree(e);
    } else {
        addReplyErrorSds(c, sdscatsds(sdsnew("-"), e));
        sdsfree(e);
    }
}

/* 1 when the table on top carries ERR_COUNTED_FIELD. */
static int errorWasCounted(lua_State *L) {
    getTableField(L, ERR_COUNTED_FIELD);
    int yes = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return yes;
}

static int tableToSpecialReply(client *c, lua_State *L, int script_resp) {
    int t = getTableField(L, "err");
    if (t == LUA_TSTRING) {
        sds e = sdsnew(lua_tostring(L, -1));
        lua_pop(L, 1);
        replyScriptError(c, e, errorWasCounted(L));
        return 1;
    }
    lua_pop(L, 1);
    if (getTableField(L, "ok") == LUA_TSTRING) {
        sds s = sanitizedText(L);
        addReplyStatusLength(c, s, sdslen(s));
        sdsfree(s);
        lua_pop(L, 1);
        return 1;
    }
    lua_pop(L, 1);
    if (getTableField(L, "double") == LUA_TNUMBER) {
        addReplyDouble(c, lua_tonumber(L, -1));
        lua_pop(L, 1);
        return 1;
    }
    lua_pop(L, 1);
    if (getTableField(L, "big_number") == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        addReplyBigNum(c, s, len);
        lua_pop(L, 1);
        return 1;
    }
    lua_pop(L, 1);
    if (getTableField(L, "map") == LUA_TTABLE) {
        void *len = addReplyDeferredLen(c);
        long n = 0;
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pushvalue(L, -2);
            luaToReply(c, L, script_resp);
            luaToReply(c, L, script_resp);
            n++;
        }
        setDeferredMapLen(c, len, n);
        lua_pop(L, 1);
        return 1;
    }
    lua_pop(L, 1);
    if (getTableField(L, "set") == LUA_TTABLE) {
        void *len = addReplyDeferredLen(c);
        long n = 0;
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pop(L, 1);
            lua_pushvalue(L, -1);
            luaToReply(c, L, script_resp);
            n++;
        }
        setDeferredSetLen(c, len, n);
        lua_pop(L, 1);
        return 1;
    }
    lua_pop(L, 1);
    if (getTableField(L, "verbatim_string") == LUA_TTABLE) {
        int ft = getTableField(L, "format");
        int st = ft == LUA_TSTRING ? (lua_pop(L, 0), getTableField(L, "string")) : LUA_TNIL;
        if (ft == LUA_TSTRING && st == LUA_TSTRING) {
            size_t flen, slen;
            const char *s = lua_tolstring(L, -1, &slen);
            const char *f = lua_tolstring(L, -2, &flen);
            addReplyVerbatim(c, s, slen, flen == 3 ? f : "txt");
            lua_pop(L, 3);
            return 1;
        }
        lua_pop(L, ft == LUA_TSTRING ? 2 : 1);
    }
    lua_pop(L, 1);
    return 0;
}

/* Replies the value on top of L and pops it. */
static void luaToReply(client *c, lua_State *L, int script_resp) {
    if (!lua_checkstack(L, 4)) {
        addReplyError(c, "reached lua stack limit");
        lua_pop(L, 1);
        return;
    }
    switch (lua_type(L, -1)) {
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        addReplyBulkCBuffer(c, s, len);
        break;
    }
    case LUA_TBOOLEAN:
        if (script_resp == 2) {
            if (lua_toboolean(L, -1)) addReply(c, shared.cone);
            else addReplyNull(c);
        } else {
            addReplyBool(c, lua_toboolean(L, -1));
        }
        break;
    case LUA_TNUMBER:
        addReplyLongLong(c, (long long)lua_tonumber(L, -1));
        break;
    case LUA_TTABLE:
        if (tableToSpecialReply(c, L, script_resp)) break;
        {
            void *len = addReplyDeferredLen(c);
            long j = 0;
            for (;;) {
                lua_rawgeti(L, -1, (int)j + 1);
                if (lua_isnil(L, -1)) {
                    lua_pop(L, 1);
                    break;
                }
                luaToReply(c, L, script_resp);
                j++;
            }
            setDeferredArrayLen(c, len, j);
        }
        break;
    default:
        addReplyNull(c);
    }
    lua_pop(L, 1);
}

/* ------------------------------------------------------------ running */

static void killedHook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    luaRaiseError(L, "ERR Script killed by user with SCRIPT KILL...");
}

static void countHook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    scriptRunCtx *rctx = currentRun(L);
    if (rctx == NULL || !scriptInterrupt(rctx)) return;
    serverLog(LL_WARNING, "Lua script killed by user with SCRIPT KILL.");
    lua_sethook(L, killedHook, LUA_MASKCOUNT, 1);
    killedHook(L, ar);
}

static void pushArray(lua_State *L, robj **elems, int n);

static void setArrayGlobal(lua_State *L, const char *name, robj **elems, int n) {
    pushRegistered(L, &reg_globals);
    pushArray(L, elems, n);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

/* The error table on top of L, replied to c. */
static void replyRunError(scriptRunCtx *rctx, client *c, lua_State *L) {
    if (!lua_istable(L, -1)) {
        const char *msg = lua_isstring(L, -1) ? lua_tostring(L, -1) : "execution failure";
        addReplyErrorFormat(c, "Error running script %s, %.100s", rctx->funcname, msg);
        return;
    }
    int counted = errorWasCounted(L);
    lua_getfield(L, -1, "err");
    lua_getfield(L, -2, "source");
    lua_getfield(L, -3, "line");
    const char *msg = lua_isstring(L, -3) ? lua_tostring(L, -3) : "ERR unknown error";
    sds e = sdsnew(msg);
    if (lua_isstring(L, -2) && lua_isnumber(L, -1))
        e = sdscatprintf(e, " script: %s, on %s:%d.", rctx->funcname, lua_tostring(L, -2), (int)lua_tonumber(L, -1));
    lua_pop(L, 3);
    replyScriptError(c, e, counted);
}

/* Runs between two collections: a batch of steps every LUA_GC_PERIOD
 * runs (each run leaves KEYS, ARGV, strings and replies behind) instead of
 * a step after each, which would restart a whole cycle for every run of a
 * small script. A script that stopped the collector (collectgarbage "stop")
 * has it running again at the same point. */
#define LUA_GC_PERIOD 50

static void collectAfterRun(lua_State *L) {
    static unsigned runs;
    if (++runs < LUA_GC_PERIOD) return;
    runs = 0;
    lua_gc(L, LUA_GCRESTART, 0);
    lua_gc(L, LUA_GCSTEP, LUA_GC_PERIOD);
}

/* Pushes a new array of the string values of elems[0..n). */
static void pushArray(lua_State *L, robj **elems, int n) {
    lua_createtable(L, n, 0);
    for (int j = 0; j < n; j++) {
        robj *o = getDecodedObject(elems[j]);
        lua_pushlstring(L, o->ptr, sdslen(o->ptr));
        decrRefCount(o);
        lua_rawseti(L, -2, j + 1);
    }
}

/* The run of the function ref with nargs values pushed above it; its
 * result or error replied to the caller. */
static void runAndReply(scriptRunCtx *rctx, lua_State *L, int nargs) {
    client *caller = rctx->original_client;
    if (ldbIsActive())
        ldbInstallHook(L);
    else
        lua_sethook(L, countHook, LUA_MASKCOUNT, LUA_HOOK_INSTRUCTIONS);
    int status = lua_pcall(L, nargs, 1, 1);
    lua_sethook(L, NULL, 0, 0);
    if (status != 0)
        replyRunError(rctx, caller, L);
    else
        luaToReply(caller, L, rctx->c->resp);
    lua_settop(L, 0);
    /* Output a failed run left on the script client is dropped. */
    sdsfree(takeClientOutput(rctx->c));
    collectAfterRun(L);
}

void luaCallScript(scriptRunCtx *rctx, lua_State *L, int ref, robj **keys, int nkeys, robj **args, int nargs) {
    setArrayGlobal(L, "KEYS", keys, nkeys);
    setArrayGlobal(L, "ARGV", args, nargs);
    lua_settop(L, 0);
    pushRegistered(L, &reg_handler);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    runAndReply(rctx, L, 0);
}

void luaCallFunction(scriptRunCtx *rctx, lua_State *L, int ref, robj **keys, int nkeys, robj **args, int nargs) {
    lua_settop(L, 0);
    pushRegistered(L, &reg_handler);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    pushArray(L, keys, nkeys);
    pushArray(L, args, nargs);
    runAndReply(rctx, L, 2);
}

void luaSetGlobalsView(lua_State *L) {
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushvalue(L, LUA_GLOBALSINDEX);
        pushProxied(L, -1);
        lua_remove(L, -2);
    }
    lua_getmetatable(L, LUA_GLOBALSINDEX);
    lua_pushliteral(L, "__index");
    lua_rawget(L, -2);
    lua_pushvalue(L, -3);
    lua_setupvalue(L, -2, 1);
    lua_pop(L, 3);
}

static void closeStateJob(void *arg) {
    lua_close(arg);
}

void luaCloseScriptStateAsync(lua_State *L) {
    bioSubmit(BIO_LAZY_FREE, closeStateJob, L);
}
