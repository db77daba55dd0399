/* script_ldb.h — the Lua debugger of the EVAL family (SCRIPT DEBUG).
 *
 * A client that said SCRIPT DEBUG YES or SYNC has its next EVAL run as a
 * debugging session: in a forked child (YES: the dataset changes die with
 * the child) or in the server itself, which then serves nobody else (SYNC:
 * changes kept). The session talks to the client over its connection in
 * blocking mode with the protocol redis-cli --ldb speaks. See
 * script_ldb.c.
 */
#ifndef EMBER_SCRIPT_LDB_H
#define EMBER_SCRIPT_LDB_H

#include <stddef.h>

struct client;
struct redisObject;
struct lua_State;

/* SCRIPT DEBUG YES|SYNC|NO on behalf of c. */
void ldbScriptDebugCommand(struct client *c);

/* Starts the session of c's EVAL. Returns 1 when this process is to run
 * the script now, debugged (the forked child, or the server in SYNC mode;
 * body is the script text, borrowed for the session), 0 when it is not:
 * the parent of a forked session (c is closed, the child owns the
 * connection now) or a failed fork (c got the error). */
int ldbStartSession(struct client *c, struct redisObject *body);
/* Ends the session started by ldbStartSession returning 1: the remaining
 * log and the end mark are sent; a forked child then writes c's replies and
 * exits, the server closes c once its reply is written. */
void ldbEndSession(struct client *c);

/* 1 while a session runs in this process. */
int ldbIsActive(void);
/* 1 when the calls of the script are logged to the session (stepping). */
int ldbIsLogging(void);

/* The log lines the engine adds while stepping: a command the script
 * calls (argv borrowed), its reply (proto: one RESP reply, NUL-terminated)
 * and an error raised or returned by the redis.* API (msg as Redis 7.0
 * logs it). */
void ldbLogRedisCommand(struct redisObject **argv, int argc);
void ldbLogRedisReply(const char *proto);
void ldbLogError(const char *msg, size_t len);

/* Installs the debugger's line and count hook on L for the run. */
void ldbInstallHook(struct lua_State *L);

/* redis.debug(...) and redis.breakpoint(): no-ops outside a session
 * (breakpoint returns false there). */
int ldbLuaDebug(struct lua_State *L);
int ldbLuaBreakpoint(struct lua_State *L);

/* serverCron: reaps forked sessions that ended. */
void ldbReapChildren(void);
/* Shutdown: kills every forked session still running. */
void ldbKillForkedSessions(void);

#endif
