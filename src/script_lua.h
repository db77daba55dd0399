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

/* The same for a function (FCALL): the callback ref gets the keys and
 * the arguments as its two parameters, two arrays of strings; no KEYS or
 * ARGV global is set. */
void luaCallFunction(struct scriptRunCtx *rctx, struct lua_State *L, int ref, struct redisObject **keys, int nkeys,
                     struct redisObject **args, int nargs);

/* Global lookups of L read from the table on top of the stack (popped)
 * from now on; a nil there restores the real globals. Assignments stay
 * refused either way. Used to run library code in a narrower sandbox. */
void luaSetGlobalsView(struct lua_State *L);

/* Pushes a read-only proxy of the table at idx (absolute). With strict,
 * reading a missing field is the nonexistent-global error. */
void luaPushReadonlyProxy(struct lua_State *L, int idx, int strict);

/* Raises {err = msg} (msg holds its code: "ERR ..."). Never returns. */
int luaRaiseError(struct lua_State *L, const char *msg);
/* The message handler of every run: the error value becomes {err=,
 * source=, line=} ("ERR " put before a plain message). */
int luaErrorHandler(struct lua_State *L);
/* redis.log, shared with the library-loading sandbox. */
int luaRedisLog(struct lua_State *L);

/* Closes L on the lazy-free thread (L must be unreachable already). */
void luaCloseScriptStateAsync(struct lua_State *L);

/* The cmsgpack and struct libraries (script_cmsgpack.c, script_struct.c):
 * each pushes its table. */
int luaopenCmsgpack(struct lua_State *L);
int luaopenStruct(struct lua_State *L);

/* Bytes the interpreter holds (used_memory_lua). */
size_t luaMemory(struct lua_State *L);

/* The client that runs the commands of every script (created once). */
struct client *luaScriptClient(void);

#endif
