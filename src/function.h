/* function.h — FUNCTION libraries: their registry, FCALL, persistence.
 *
 * A library is Lua source starting with "#!lua name=<lib>"; loading it
 * runs its top level once, in a narrow sandbox, and each
 * redis.register_function call there adds a function. The registry
 * (function.c) maps library names to libraries and function names to
 * functions; the engine (function_lua.c) owns the Lua state the code runs
 * in, one for every library and separate from EVAL's.
 */
#ifndef EMBER_FUNCTION_H
#define EMBER_FUNCTION_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "sds.h"
#include "dict.h"

struct client;
struct lua_State;
struct rio;

/* One registered function. */
typedef struct functionInfo {
    sds name;
    sds desc;       /* NULL when no description was given */
    uint64_t flags; /* SCRIPT_FLAG_* */
    int ref;        /* the callback, in the engine's registry */
    struct functionLibInfo *lib;
} functionInfo;

/* One library: its name, its source and its functions. */
typedef struct functionLibInfo {
    sds name;
    sds code;
    dict *functions; /* name (sds) -> functionInfo*, owned */
} functionLibInfo;

/* ------------------------------------------------- engine (function_lua.c) */

/* The engine's Lua state: the EVAL sandbox plus the library-loading view.
 * Never NULL. */
struct lua_State *fengineCreateState(void);
/* Runs the top level of a library (code[0..len), its shebang line blanked)
 * in the loading sandbox; its register_function calls fill lib->functions.
 * C_ERR with *err (a new sds, with its code: "ERR ...") when the code does
 * not compile, fails, runs over the load time limit or registers badly;
 * functions registered before the failure stay in lib for the caller to
 * release. */
int fengineLoadLibrary(struct lua_State *L, functionLibInfo *lib, const char *code, size_t len, sds *err);

/* 1 when name is a valid library or function name: [A-Za-z0-9_]+. */
int functionNameIsValid(const char *name, size_t len);

/* -------------------------------------------------- registry (function.c) */

/* Loads a library from its source (owned by the caller) the way FUNCTION
 * LOAD does, replacing a library of the same name when replace is set.
 * Returns the library's name (owned by the library: valid until it is
 * deleted or replaced) or NULL with *err a new sds (the error text, with
 * its code). */
const char *functionsLoad(sds code, int replace, sds *err);
/* Removes every library. async: the Lua state is closed on the lazy-free
 * thread. */
void functionsFlush(int async);
/* Calls fn(priv, lib) for every library. */
void functionsForEachLibrary(void (*fn)(void *priv, functionLibInfo *lib), void *priv);
/* Writes every library as a FUNCTION2 record (opcode + code string). The
 * number of bytes written, or -1 on a write error. */
ssize_t functionsSaveRdb(struct rio *r);
/* Reads one FUNCTION2 record (the opcode already read) and loads it; with
 * replace, a library of the same name is replaced. C_ERR with *err. */
int functionsLoadRdbRecord(struct rio *r, int replace, sds *err);

/* INFO memory. */
size_t functionsMemoryVm(void); /* the engine's Lua state */
size_t functionsMemory(void);   /* libraries and functions bookkeeping */
unsigned long functionsCount(void);
unsigned long functionsLibCount(void);

/* Commands. */
/* The flags (SCRIPT_FLAG_*) of the function named name (borrowed); 0
 * when there is none. */
int functionFlagsOf(struct redisObject *name, uint64_t *flags);
void fcallCommand(struct client *c);
void fcallroCommand(struct client *c);
void functionCommand(struct client *c);
void functionLoadCommand(struct client *c);
void functionDeleteCommand(struct client *c);
void functionFlushCommand(struct client *c);
void functionKillCommand(struct client *c);
void functionListCommand(struct client *c);
void functionStatsCommand(struct client *c);
void functionDumpCommand(struct client *c);
void functionRestoreCommand(struct client *c);
void functionHelpCommand(struct client *c);

#endif
