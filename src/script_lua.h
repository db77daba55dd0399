/* script_lua.h — the Lua 5.1 engine: one sandboxed interpreter, the
 * redis.* API and the conversions between Lua values and RESP replies.
 *
 * eval.c owns the script cache and the commands; this file owns what runs
 * inside the interpreter. A function to run is kept in the Lua registry
 * and named by a reference (luaL_ref).
 */
#ifndef EMBER_SCRIPT_LUA_H
#define EMBER_SCRIPT_LUA_H

#include <stddef.h>
#include "sds.h"

struct lua_State;
struct client;
struct redisObject;
struct scriptRunCtx;

/* A new interpreter with the libraries scripts see (base without file
 * access, table, string, math, cjson, bit), the redis table, math.random
 * replaced by a deterministic generator, and every global and library
 * table read-only. Never NULL (a failed allocation aborts). */
struct lua_State *luaCreateScriptState(void);
/* Closes an interpreter made by luaCreateScriptState. */
void luaCloseScriptState(struct lua_State *L);

/* Compiles body[0..len) as a function named chunkname ("@user_script")
 * and keeps it in the registry: its reference is stored in *ref. On a
 * syntax error returns C_ERR and *err gets a new sds with Lua's message. */
int luaCompileScript(struct lua_State *L, const char *body, size_t len, const char *chunkname, int *ref, sds *err);
/* Forgets a compiled function. */
void luaReleaseScript(struct lua_State *L, int ref);

/* Runs the function ref with KEYS = keys[0..nkeys) and ARGV =
 * args[0..nargs) (borrowed), within the run rctx (started by the caller
 * with scriptPrepareForRun), and replies its result or its error to
 * rctx->original_client. */
void luaCallScript(struct scriptRunCtx *rctx, struct lua_State *L, int ref, struct redisObject **keys, int nkeys,
                   struct redisObject **args, int nargs);

/* Bytes the interpreter holds (used_memory_lua). */
size_t luaMemory(struct lua_State *L);

/* The client that runs the commands of every script (created once). */
struct client *luaScriptClient(void);

#endif
