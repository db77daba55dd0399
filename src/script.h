/* script.h — what EVAL and FUNCTION share: the run of one script.
 *
 * A script runs inside its caller's command (EVAL, FCALL ...). Its calls
 * to the server (redis.call) go through scriptCall, which applies the
 * checks Redis applies to commands run from scripts and then runs the
 * command through call() on the script's own client, so statistics,
 * propagation and MONITOR treat it like any command. One run is active at
 * a time; while it lasts longer than busy-reply-threshold the event loop
 * is served from the interpreter's hook (scriptInterrupt) so that other
 * clients get -BUSY and SCRIPT KILL / FUNCTION KILL / SHUTDOWN NOSAVE can
 * reach the server.
 */
#ifndef EMBER_SCRIPT_H
#define EMBER_SCRIPT_H

#include <stdint.h>
#include "sds.h"

struct client;
struct redisObject;

/* Shebang / register_function flags. */
#define SCRIPT_FLAG_NO_WRITES (1ULL << 0)
#define SCRIPT_FLAG_ALLOW_OOM (1ULL << 1)
#define SCRIPT_FLAG_ALLOW_STALE (1ULL << 2)
#define SCRIPT_FLAG_NO_CLUSTER (1ULL << 3)
#define SCRIPT_FLAG_EVAL_COMPAT_MODE (1ULL << 4) /* an EVAL script without shebang */
#define SCRIPT_FLAG_ALLOW_CROSS_SLOT (1ULL << 5)

/* Run state flags. */
#define SCRIPT_WRITE_DIRTY (1 << 0)  /* the script has written */
#define SCRIPT_TIMEDOUT (1 << 1)     /* over busy-reply-threshold */
#define SCRIPT_KILLED (1 << 2)       /* SCRIPT KILL / FUNCTION KILL asked */
#define SCRIPT_READ_ONLY (1 << 3)    /* EVAL_RO, FCALL_RO or no-writes */
#define SCRIPT_ALLOW_OOM (1 << 4)
#define SCRIPT_EVAL_MODE (1 << 5)    /* EVAL family (else FCALL) */
#define SCRIPT_DENY_OOM_CALLS (1 << 6) /* over maxmemory at start: denyoom calls fail */
#define SCRIPT_ALLOW_CROSS_SLOT (1 << 7) /* allow-cross-slot-keys: keys of several slots of this node */

/* One run. Lives on the stack of the command that runs the script. */
typedef struct scriptRunCtx {
    const char *funcname;           /* the sha (EVAL) or the function name */
    struct client *c;               /* the script's own client (borrowed) */
    struct client *original_client; /* the caller */
    int flags;                      /* SCRIPT_* run state */
    int repl_flags;                 /* redis.set_repl: PROPAGATE_* (propagate.h) */
    long long start_time;           /* mstime at the start */
    int slot;                       /* cluster: the slot of the keys touched so far, -1 none */
} scriptRunCtx;

/* One flag name and its bit, for shebang and register_function parsing. */
typedef struct scriptFlagName {
    uint64_t flag;
    const char *name;
} scriptFlagName;
extern const scriptFlagName scriptFlagNames[];

/* Checks whether a script with script_flags may run now for caller (OOM,
 * EVAL_RO/FCALL_RO against a script that may write) and starts the run:
 * script_client (borrowed, kept for the whole run) takes the caller's
 * database and protocol is reset to RESP2. On refusal the caller got the
 * error and C_ERR is returned. ro: the command was EVAL_RO / FCALL_RO. */
int scriptPrepareForRun(scriptRunCtx *rctx, struct client *script_client, struct client *caller,
                        const char *funcname, uint64_t script_flags, int ro);
/* Ends the run started by scriptPrepareForRun: the caller gets back its
 * client's read handler if the run went busy, the caller's database
 * follows a SELECT made inside the script (as in Redis 7.0 it does not:
 * the caller keeps its own). */
void scriptResetRun(scriptRunCtx *rctx);

/* Runs argv[0..argc) (string objects, borrowed) as a command of the
 * running script. On success the reply is in the script client's output
 * buffers and C_OK is returned; on refusal *err is set to a new sds
 * holding the error (without the leading '-') and C_ERR returned. */
int scriptCall(scriptRunCtx *rctx, struct redisObject **argv, int argc, sds *err);

/* Called from the interpreter's hook. Serves the event loop once the run
 * went over busy-reply-threshold. Returns 1 when the script must stop
 * (killed), else 0. */
int scriptInterrupt(scriptRunCtx *rctx);

/* The command flags processCommand and MULTI check for c's command: for
 * EVAL, EVALSHA (and _RO) and FCALL (and _RO) those its script or function
 * declares (no-writes, allow-oom, allow-stale; a script without shebang
 * is not stale-safe), as Redis 7.0 computes them; else the table's. */
uint64_t scriptCommandFlags(struct client *c);

/* The active run, or NULL. */
scriptRunCtx *scriptCurrentRun(void);
/* 1 while a script runs past busy-reply-threshold. */
int scriptIsTimedout(void);
/* 1 when the active run is an EVAL-family script. */
int scriptIsEval(void);
/* SCRIPT KILL (is_eval) or FUNCTION KILL on behalf of c. */
void scriptKill(struct client *c, int is_eval);
/* The -BUSY error line (with its '-') for the running script; static text. */
const char *scriptBusyError(void);

/* eval.c: the EVAL family and SCRIPT. */
void evalCommand(struct client *c);
void evalroCommand(struct client *c);
void evalshaCommand(struct client *c);
void evalsharoCommand(struct client *c);
void scriptCommand(struct client *c);
void scriptLoadCommand(struct client *c);
void scriptExistsCommand(struct client *c);
void scriptFlushCommand(struct client *c);
void scriptKillCommand(struct client *c);
void scriptDebugCommand(struct client *c);
void scriptHelpCommand(struct client *c);
/* The declared flags (SCRIPT_FLAG_*) of the script c's EVAL or EVALSHA
 * names: parsed from the body, or the cached script's. 0 when unknown (a
 * bad shebang, an unknown sha). */
int evalScriptFlagsOf(struct client *c, uint64_t *flags);
/* INFO memory: bytes held by the EVAL interpreter, by the cached scripts
 * (bodies and table entries), and the number of cached scripts. */
size_t evalMemoryLua(void);
size_t evalScriptsMemory(void);
unsigned long evalNumScripts(void);

#endif
