/* function_lua.c — the Lua engine of FUNCTION libraries.
 *
 * One Lua state holds every library. It is made like EVAL's (the same
 * sandbox, redis.* API and conversions, script_lua.c) but it is a state
 * of its own, so that a SCRIPT FLUSH or an EVAL script never reaches a
 * function and the reverse.
 *
 * Loading a library runs its top level once. While it runs, global
 * lookups read from a narrow table instead of the real globals
 * (luaSetGlobalsView): the only global is `redis`, and that table holds
 * only register_function, log, the LOG_* levels, REDIS_VERSION and
 * REDIS_VERSION_NUM; any other name is the nonexistent-global error, as in
 * Redis 7.0. Functions defined by the library live in the same state and
 * see the real globals once the load is over, because the view is a
 * property of the one globals table, not of each closure's environment.
 *
 * redis.register_function(name, callback) or
 * redis.register_function{function_name=, callback=, flags={...},
 * description=} adds a function to the library being loaded, named in
 * the registry (REG_LOADING) for the length of the load; called at any
 * other time (a function that kept a reference to it) it is an error. The
 * callback is kept in the Lua registry and named by its reference.
 *
 * A load has a time limit (LOAD_TIMEOUT_MS): an instruction-count hook
 * stops code that runs too long. No other client is served meanwhile.
 */
#include "server.h"
#include "script.h"
#include "script_lua.h"
#include "function.h"

#include <lua.h>
#include <lauxlib.h>
#include <string.h>

#define REG_LOADING "__ember_loading_library"
#define REG_LOAD_GLOBALS "__ember_load_globals"
#define LOAD_TIMEOUT_MS 500
#define LOAD_HOOK_INSTRUCTIONS 100000

/* What a load in progress needs from the hook and register_function. */
typedef struct loadRun {
    functionLibInfo *lib;
    long long start;
} loadRun;

int functionNameIsValid(const char *name, size_t len) {
    if (len == 0) return 0;
    for (size_t j = 0; j < len; j++) {
        char ch = name[j];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'))
            return 0;
    }
    return 1;
}

static loadRun *currentLoad(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, REG_LOADING);
    loadRun *run = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return run;
}

/* ------------------------------------------------- register_function */

/* The arguments of one register_function call. */
typedef struct registerArgs {
    sds name;
    sds desc;
    uint64_t flags;
    int have_callback; /* the callback is on top of the stack */
} registerArgs;

/* Reads the flags table at idx into *flags. NULL or the error text. */
static const char *readFlags(lua_State *L, int idx, uint64_t *flags) {
    if (!lua_istable(L, idx)) return "ERR flags argument to redis.register_function must be a table representing "
                                      "function flags";
    for (int j = 1;; j++) {
        lua_rawgeti(L, idx, j);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            return NULL;
        }
        const scriptFlagName *f = scriptFlagNames;
        const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        for (; name && f->name; f++)
            if (!strcmp(f->name, name)) break;
        lua_pop(L, 1);
        if (name == NULL || f->name == NULL) return "ERR unknown flag given";
        *flags |= f->flag;
    }
}

/* The table form, the table at 1: every field is checked, and the
 * callback is pushed when there is one. NULL or the error text. */
static const char *readNamedArgs(lua_State *L, registerArgs *a) {
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        const char *bad = NULL;
        if (key == NULL) {
            bad = "ERR unknown argument given to redis.register_function";
        } else if (!strcmp(key, "function_name")) {
            if (!lua_isstring(L, -1))
                bad = "ERR function_name argument given to redis.register_function must be a string";
            else
                a->name = sdsnewlen(lua_tostring(L, -1), lua_objlen(L, -1));
        } else if (!strcmp(key, "description")) {
            if (!lua_isstring(L, -1))
                bad = "ERR description argument given to redis.register_function must be a string";
            else
                a->desc = sdsnewlen(lua_tostring(L, -1), lua_objlen(L, -1));
        } else if (!strcmp(key, "callback")) {
            if (!lua_isfunction(L, -1)) bad = "ERR callback argument given to redis.register_function must be a function";
        } else if (!strcmp(key, "flags")) {
            bad = readFlags(L, lua_gettop(L), &a->flags);
        } else {
            bad = "ERR unknown argument given to redis.register_function";
        }
        if (bad) return bad;
        lua_pop(L, 1);
    }
    if (a->name == NULL) return "ERR redis.register_function must get a function name argument";
    lua_pushliteral(L, "callback");
    lua_rawget(L, 1);
    if (lua_isnil(L, -1)) return "ERR redis.register_function must get a callback argument";
    a->have_callback = 1;
    return NULL;
}

/* The positional form: name and callback at 1 and 2. */
static const char *readPositionalArgs(lua_State *L, registerArgs *a) {
    if (!lua_isstring(L, 1)) return "ERR first argument to redis.register_function must be a string";
    if (!lua_isfunction(L, 2)) return "ERR second argument to redis.register_function must be a function";
    a->name = sdsnewlen(lua_tostring(L, 1), lua_objlen(L, 1));
    lua_pushvalue(L, 2);
    a->have_callback = 1;
    return NULL;
}

/* Adds the function a describes, its callback on top of L, to lib. */
static const char *addFunction(lua_State *L, functionLibInfo *lib, registerArgs *a) {
    if (!functionNameIsValid(a->name, sdslen(a->name)))
        return "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one "
               "character long";
    if (dictFind(lib->functions, a->name)) return "ERR Function already exists in the library";
    functionInfo *fi = zcalloc(sizeof(*fi));
    fi->name = a->name;
    fi->desc = a->desc;
    fi->flags = a->flags;
    fi->lib = lib;
    fi->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    a->name = a->desc = NULL;
    dictAdd(lib->functions, fi->name, fi);
    return NULL;
}

static int luaRegisterFunction(lua_State *L) {
    loadRun *run = currentLoad(L);
    if (run == NULL) return luaRaiseError(L, "ERR redis.register_function can only be called on FUNCTION LOAD command");
    registerArgs a = {NULL, NULL, 0, 0};
    const char *bad;
    int argc = lua_gettop(L);
    if (argc == 1) {
        bad = lua_istable(L, 1) ? readNamedArgs(L, &a)
                                : "ERR calling redis.register_function with a single argument is only applicable to "
                                  "Lua table (representing named arguments).";
    } else if (argc == 2) {
        bad = readPositionalArgs(L, &a);
    } else {
        bad = "ERR wrong number of arguments to redis.register_function";
    }
    if (bad == NULL) bad = addFunction(L, run->lib, &a);
    sdsfree(a.name);
    sdsfree(a.desc);
    if (bad) return luaRaiseError(L, bad);
    return 0;
}

/* ------------------------------------------------------------ the state */

static void setNumber(lua_State *L, const char *name, lua_Number v) {
    lua_pushnumber(L, v);
    lua_setfield(L, -2, name);
}

/* The globals a library's top level sees: {redis = <the loading API>},
 * both strict read-only proxies; kept in the registry. */
static void makeLoadGlobals(lua_State *L) {
    lua_newtable(L); /* the globals */
    lua_newtable(L); /* the redis table */
    lua_pushcfunction(L, luaRegisterFunction);
    lua_setfield(L, -2, "register_function");
    lua_pushcfunction(L, luaRedisLog);
    lua_setfield(L, -2, "log");
    setNumber(L, "LOG_DEBUG", LL_DEBUG);
    setNumber(L, "LOG_VERBOSE", LL_VERBOSE);
    setNumber(L, "LOG_NOTICE", LL_NOTICE);
    setNumber(L, "LOG_WARNING", LL_WARNING);
    lua_pushliteral(L, REDIS_VERSION);
    lua_setfield(L, -2, "REDIS_VERSION");
    setNumber(L, "REDIS_VERSION_NUM", REDIS_VERSION_NUM);
    luaPushReadonlyProxy(L, lua_gettop(L), 1);
    lua_setfield(L, -3, "redis");
    lua_pop(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, REG_LOAD_GLOBALS);
}

lua_State *fengineCreateState(void) {
    lua_State *L = luaCreateScriptState();
    makeLoadGlobals(L);
    return L;
}

/* ------------------------------------------------------------- loading */

static void loadHook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    loadRun *run = currentLoad(L);
    if (run && mstime() - run->start > LOAD_TIMEOUT_MS) {
        lua_sethook(L, loadHook, LUA_MASKCOUNT, 1); /* a pcall cannot outlive it */
        luaRaiseError(L, "ERR FUNCTION LOAD timeout");
    }
}

/* The error on top of L as a new sds ("ERR ..."). */
static sds loadErrorText(lua_State *L) {
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "err");
        sds e = sdsnew(lua_isstring(L, -1) ? lua_tostring(L, -1) : "ERR unknown error");
        lua_pop(L, 1);
        return e;
    }
    return sdsnew(lua_isstring(L, -1) ? lua_tostring(L, -1) : "ERR unknown error");
}

int fengineLoadLibrary(lua_State *L, functionLibInfo *lib, const char *code, size_t len, sds *err) {
    lua_settop(L, 0);
    if (luaL_loadbuffer(L, code, len, "@user_function") != 0) {
        *err = sdscatprintf(sdsempty(), "ERR Error compiling function: %s", lua_tostring(L, -1));
        lua_settop(L, 0);
        return C_ERR;
    }
    loadRun run = {lib, mstime()};
    lua_pushlightuserdata(L, &run);
    lua_setfield(L, LUA_REGISTRYINDEX, REG_LOADING);
    lua_getfield(L, LUA_REGISTRYINDEX, REG_LOAD_GLOBALS);
    luaSetGlobalsView(L);
    lua_pushcfunction(L, luaErrorHandler);
    lua_insert(L, 1);
    lua_sethook(L, loadHook, LUA_MASKCOUNT, LOAD_HOOK_INSTRUCTIONS);
    int status = lua_pcall(L, 0, 0, 1);
    lua_sethook(L, NULL, 0, 0);
    lua_pushnil(L);
    luaSetGlobalsView(L);
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, REG_LOADING);
    if (status != 0) {
        sds e = loadErrorText(L);
        *err = sdscatprintf(sdsempty(), "ERR Error registering functions: %s", e);
        sdsfree(e);
    }
    lua_settop(L, 0);
    return status == 0 ? C_OK : C_ERR;
}
