/* propagate.h — what a command changed, as the commands to replay.
 *
 * See propagate.c for the model. In short: call() opens a frame around
 * every command; the command may add operations (alsoPropagate), replace
 * what is recorded for itself (rewritePropagatedCommand), or say that its
 * own argv must not be recorded (preventCommandPropagation). When the
 * outermost call() ends, the pending operations go to every registered
 * consumer, wrapped in MULTI/EXEC when there is more than one, with a
 * SELECT in front whenever the database changes for that consumer.
 */
#ifndef EMBER_PROPAGATE_H
#define EMBER_PROPAGATE_H

struct redisObject;
struct client;
struct redisDb;

/* Command words used by the rewrites, created once by propagateInit and
 * never freed (shared objects, so holding them costs no reference). */
struct propagationWords {
    struct redisObject *del, *unlink, *set, *pxat, *keepttl, *pexpireat, *persist, *srem, *hset, *lpop, *rpop, *lmove,
        *rpoplpush, *zpopmin, *zpopmax, *select, *multi, *exec;
};
extern struct propagationWords propw;

/* Propagation targets: what kind of copy a consumer keeps, and which
 * copies an operation is for (redis.set_repl narrows a script's commands
 * to one of them). */
#define PROPAGATE_NONE 0
#define PROPAGATE_AOF 1
#define PROPAGATE_REPL 2
#define PROPAGATE_ALL (PROPAGATE_AOF | PROPAGATE_REPL)

/* A consumer receives the stream one command at a time: dbid is the
 * database the command applies to (SELECT commands are part of the stream
 * already), argv[0..argc) are string objects with sds payloads, borrowed
 * for the duration of the call only. */
typedef void propagationConsumer(int dbid, struct redisObject **argv, int argc, void *priv);

/* The state of one call() for the propagation layer. Lives on call()'s
 * stack; frames nest (a command run from inside another one). */
typedef struct propagationFrame {
    struct propagationFrame *outer;
    struct client *c;
    long long dirty_before;       /* server.dirty when the command started */
    int prevent;                  /* the command's own argv is not recorded */
    int targets;                  /* PROPAGATE_* its own argv is recorded for */
    int force;                    /* recorded even when nothing was dirtied */
    struct redisObject **rewrite; /* what is recorded instead of c->argv, owned */
    int rewrite_argc;
} propagationFrame;

void propagateInit(void);

/* A consumer's bytes: emit receives the RESP encoding of a command in
 * pieces, in order, each borrowed for the call. */
typedef void respEmitter(const char *p, size_t len, void *ctx);

/* Encodes argv[0..argc) (sds payloads) as a RESP array of bulk strings,
 * the form a command takes in the AOF and the replication stream: small
 * arguments are gathered into a few pieces, a long one is emitted
 * directly from its sds. */
void propagateEncodeResp(struct redisObject **argv, int argc, respEmitter *emit, void *ctx);

/* Registers fn to receive the stream's operations for targets (the AOF:
 * PROPAGATE_AOF, the replication stream: PROPAGATE_REPL; the MULTI/EXEC
 * around a flush reach every consumer, as in Redis 7.0); priv is handed
 * back to it. Returns a handle for propagateUnregisterConsumer, or -1 when
 * the table is full. A new consumer gets a SELECT before its first
 * command. */
int propagateRegisterConsumer(propagationConsumer *fn, void *priv, int targets);
void propagateUnregisterConsumer(int handle);

/* Records argv[0..argc) (borrowed: references are taken, static objects
 * copied) as an operation on database dbid. Inside a command it is flushed
 * with the command's other effects; outside any command at once. Nothing
 * is recorded while a data set loads (its commands are in the files
 * already). */
void alsoPropagate(int dbid, struct redisObject **argv, int argc);
/* The same for the consumers of targets only (PROPAGATE_*): nothing is
 * recorded when no registered consumer is of those targets, so such an
 * operation does not count towards the MULTI/EXEC wrapping either. */
void alsoPropagateTo(int dbid, struct redisObject **argv, int argc, int targets);

/* The deletion of key in db by expiry (or eviction): DEL, or UNLINK when
 * lazy. key is borrowed and may be freed right after the call. */
void propagateDeletion(struct redisDb *db, struct redisObject *key, int lazy);

/* The running command c records nothing for itself (it added what it
 * changed through alsoPropagate, or nothing changed that a replica must
 * see). */
void preventCommandPropagation(struct client *c);

/* The running command c is recorded even if it did not make the server
 * dirty (FLUSHALL of an empty dataset must still reach the copies). */
void forceCommandPropagation(struct client *c);

/* The running command c is recorded as argv[0..argc) (borrowed:
 * references are taken) instead of c->argv, provided it made the server
 * dirty. c->argv is left alone. The last rewrite wins. */
void rewritePropagatedCommandArgv(struct client *c, struct redisObject **argv, int argc);
/* The same with the arguments (robj *, at most 8) listed in the call. */
void rewritePropagatedCommand(struct client *c, int argc, ...);

/* Opened and closed by call() around c's command. propagateCallEnd records
 * the command when it made the server dirty and, for the outermost frame,
 * flushes every pending operation to the consumers. */
void propagateCallBegin(propagationFrame *f, struct client *c);
void propagateCallEnd(propagationFrame *f);

/* DEBUG PROPAGATION ON|OFF|GET|RESET: the test observer of the stream. */
void debugPropagationCommand(struct client *c);

#endif
