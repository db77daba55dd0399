/* propagate.c — the propagation seam: what a command changed, as the
 * commands a copy of the dataset must replay to stay equal.
 *
 * Nothing writes to an append-only file or to a replica directly. Every
 * change reaches them through this file, as a stream of commands, and the
 * stream is built in one place: call() (server.c).
 *
 * The unit is one command run by call(). call() opens a frame before the
 * command's proc and closes it after. While the frame is open, the
 * operations it produces pile up in a pending array, in order:
 *
 *   - side effects the command met on its way, such as a key deleted by
 *     lazy expiry (propagateDeletion) while the command looked it up;
 *   - operations the command chose to record itself (alsoPropagate): SPOP
 *     with a count becomes one SREM per popped member, for instance;
 *   - last, the command's own argv, but only when the command made the
 *     server dirty (server.dirty grew), so a write that changed nothing
 *     (DEL of a missing key, SADD of a present member) records nothing,
 *     unless it asks to be recorded anyway (forceCommandPropagation:
 *     FLUSHALL of an empty dataset).
 *     A command may replace that argv by a deterministic form
 *     (rewritePropagatedCommand: EXPIRE k 10 -> PEXPIREAT k <ms>, BLPOP ->
 *     LPOP, INCRBYFLOAT -> SET k v KEEPTTL ...) or drop it
 *     (preventCommandPropagation). c->argv itself is never touched, so a
 *     blocked command can run again and the original stays for logs.
 *
 * Frames nest: a command run from inside another one (later EXEC and
 * scripts) adds to the same pending array, and only the outermost frame
 * flushes it. A flush of more than one operation is wrapped in MULTI/EXEC,
 * so a consumer applies the effects of one command all or nothing: a lazy
 * expiry DEL and the write that followed, or the SREMs of one SPOP.
 * Operations produced outside any command (active expiry in serverCron)
 * are flushed at once, each on its own.
 *
 * Consumers register a callback (propagateRegisterConsumer) with the
 * target they are: the AOF (PROPAGATE_AOF), the replication stream
 * (PROPAGATE_REPL), the test observer at the end of this file (DEBUG
 * PROPAGATION, both). Each operation carries targets too: everything is
 * for both, except a script's command under redis.set_repl, which is for
 * the copies it names. An operation reaches the consumers of its targets,
 * and is not recorded at all when no consumer of them is registered (so
 * it does not count towards the MULTI/EXEC wrapping, as in Redis 7.0,
 * whose MULTI/EXEC reach every consumer). SELECT is
 * emitted here but tracked per consumer: each remembers the database its
 * last command applied to, and gets a SELECT when the next one differs.
 * The state is per consumer because consumers start at different times (a
 * replica that attaches later, an AOF rewritten from scratch) and must
 * each get a SELECT before their first command; central emission means no
 * consumer has to implement it.
 *
 * The state here is file-scope: the pending array, the frame stack and the
 * consumer table belong to this module alone and nothing else may see them.
 */
#include "server.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

struct propagationWords propw;

#define PROPAGATE_MAX_CONSUMERS 8

/* One pending operation: argv owned (one reference each). */
typedef struct propagationOp {
    int dbid;
    int targets; /* PROPAGATE_* */
    int argc;
    robj **argv;
} propagationOp;

typedef struct propagationConsumerSlot {
    propagationConsumer *fn; /* NULL: free slot */
    void *priv;
    int targets; /* PROPAGATE_* of the copy it keeps */
    int seldb;   /* database of the last command it got, -1 none */
} propagationConsumerSlot;

static struct {
    propagationOp *ops;
    int numops, capops;
    propagationFrame *top; /* innermost open frame, NULL outside commands */
    propagationConsumerSlot consumers[PROPAGATE_MAX_CONSUMERS];
    int numconsumers;
    int targets; /* union of the registered consumers' targets */
} prop;

static robj *makeWord(const char *w) {
    return makeObjectShared(createStringObject(w, strlen(w)));
}

/* Creates the command words. Called once by initServer. */
/* ---------------------------------------------------------- encoding */

/* Room one "<prefix><count>\r\n" line may take (20 digits at most, and
 * the terminator ull2string writes). */
#define RESP_LINE_MAX 24

static size_t catRespLine(char *dst, char prefix, size_t n) {
    dst[0] = prefix;
    size_t len = 1 + (size_t)ull2string(dst + 1, RESP_LINE_MAX - 1, n);
    dst[len] = '\r';
    dst[len + 1] = '\n';
    return len + 2;
}

void propagateEncodeResp(robj **argv, int argc, respEmitter *emit, void *ctx) {
    char buf[512];
    size_t used = catRespLine(buf, '*', (size_t)argc);
    for (int j = 0; j < argc; j++) {
        sds a = argv[j]->ptr;
        size_t len = sdslen(a);
        if (used + RESP_LINE_MAX > sizeof(buf)) {
            emit(buf, used, ctx);
            used = 0;
        }
        used += catRespLine(buf + used, '$', len);
        if (used + len + 2 > sizeof(buf)) {
            emit(buf, used, ctx);
            emit(a, len, ctx);
            used = 0;
        } else {
            memcpy(buf + used, a, len);
            used += len;
        }
        buf[used++] = '\r';
        buf[used++] = '\n';
    }
    emit(buf, used, ctx);
}

void propagateInit(void) {
    propw.del = makeWord("DEL");
    propw.unlink = makeWord("UNLINK");
    propw.set = makeWord("SET");
    propw.pxat = makeWord("PXAT");
    propw.keepttl = makeWord("KEEPTTL");
    propw.pexpireat = makeWord("PEXPIREAT");
    propw.persist = makeWord("PERSIST");
    propw.srem = makeWord("SREM");
    propw.hset = makeWord("HSET");
    propw.lpop = makeWord("LPOP");
    propw.rpop = makeWord("RPOP");
    propw.lmove = makeWord("LMOVE");
    propw.rpoplpush = makeWord("RPOPLPUSH");
    propw.zpopmin = makeWord("ZPOPMIN");
    propw.zpopmax = makeWord("ZPOPMAX");
    propw.select = makeWord("SELECT");
    propw.multi = makeWord("MULTI");
    propw.exec = makeWord("EXEC");
}

/* ------------------------------------------------------------ consumers */

static void updateTargets(void) {
    prop.targets = PROPAGATE_NONE;
    for (int j = 0; j < PROPAGATE_MAX_CONSUMERS; j++)
        if (prop.consumers[j].fn) prop.targets |= prop.consumers[j].targets;
}

int propagateRegisterConsumer(propagationConsumer *fn, void *priv, int targets) {
    for (int j = 0; j < PROPAGATE_MAX_CONSUMERS; j++) {
        if (prop.consumers[j].fn) continue;
        prop.consumers[j] = (propagationConsumerSlot){fn, priv, targets, -1};
        prop.numconsumers++;
        updateTargets();
        return j;
    }
    return -1;
}

void propagateUnregisterConsumer(int handle) {
    if (handle < 0 || handle >= PROPAGATE_MAX_CONSUMERS || prop.consumers[handle].fn == NULL) return;
    prop.consumers[handle].fn = NULL;
    prop.numconsumers--;
    updateTargets();
}

/* Hands one command to a consumer, preceded by a SELECT if the consumer is
 * in another database. */
static void feedConsumer(propagationConsumerSlot *s, int dbid, robj **argv, int argc) {
    if (dbid != s->seldb) {
        char buf[32];
        int len = ll2string(buf, sizeof(buf), dbid);
        robj *sel[2] = {propw.select, createStringObject(buf, (size_t)len)};
        s->fn(dbid, sel, 2, s->priv);
        decrRefCount(sel[1]);
        s->seldb = dbid;
    }
    s->fn(dbid, argv, argc, s->priv);
}

/* Sends the pending operations to the consumers of their targets, and
 * MULTI/EXEC around them to every consumer when there are several (even
 * to one that gets none of them: Redis 7.0's stream has that empty
 * transaction), and empties the array. */
static void flushPending(void) {
    int wrap = prop.numops > 1;
    for (int j = 0; j < PROPAGATE_MAX_CONSUMERS && prop.numops; j++) {
        propagationConsumerSlot *s = &prop.consumers[j];
        if (s->fn == NULL) continue;
        if (wrap) feedConsumer(s, prop.ops[0].dbid, &propw.multi, 1);
        for (int k = 0; k < prop.numops; k++) {
            if (!(prop.ops[k].targets & s->targets)) continue;
            feedConsumer(s, prop.ops[k].dbid, prop.ops[k].argv, prop.ops[k].argc);
        }
        if (wrap) feedConsumer(s, s->seldb, &propw.exec, 1);
    }
    for (int k = 0; k < prop.numops; k++) {
        for (int a = 0; a < prop.ops[k].argc; a++) decrRefCount(prop.ops[k].argv[a]);
        zfree(prop.ops[k].argv);
    }
    prop.numops = 0;
}

/* ----------------------------------------------------------- recording */

/* A reference to o fit to be kept past the command: a string with an sds
 * payload. Objects on the stack (static refcount) are copied. */
static robj *keepArg(robj *o) {
    if (o->refcount == OBJ_STATIC_REFCOUNT) return createStringObject(o->ptr, sdslen(o->ptr));
    return getDecodedObject(o);
}

void alsoPropagate(int dbid, robj **argv, int argc) {
    alsoPropagateTo(dbid, argv, argc, PROPAGATE_ALL);
}

void alsoPropagateTo(int dbid, robj **argv, int argc, int targets) {
    /* What a load replays is already in the files and the copies. */
    if (!(prop.targets & targets) || server.persist.loading) return;
    if (prop.numops == prop.capops) {
        prop.capops = prop.capops ? prop.capops * 2 : 16;
        prop.ops = zrealloc(prop.ops, sizeof(propagationOp) * (size_t)prop.capops);
    }
    propagationOp *op = &prop.ops[prop.numops++];
    op->dbid = dbid;
    op->targets = targets;
    op->argc = argc;
    op->argv = zmalloc(sizeof(robj *) * (size_t)argc);
    for (int j = 0; j < argc; j++) op->argv[j] = keepArg(argv[j]);
    if (prop.top == NULL) flushPending();
}

void propagateDeletion(redisDb *db, robj *key, int lazy) {
    robj *argv[2] = {lazy ? propw.unlink : propw.del, key};
    alsoPropagate(db->id, argv, 2);
}

/* The open frame of c's running command. */
static propagationFrame *frameOf(client *c) {
    serverAssert(prop.top != NULL && prop.top->c == c);
    return prop.top;
}

static void dropRewrite(propagationFrame *f) {
    for (int j = 0; j < f->rewrite_argc; j++) decrRefCount(f->rewrite[j]);
    zfree(f->rewrite);
    f->rewrite = NULL;
    f->rewrite_argc = 0;
}

void preventCommandPropagation(client *c) {
    frameOf(c)->prevent = 1;
}

void forceCommandPropagation(client *c) {
    frameOf(c)->force = 1;
}

void rewritePropagatedCommandArgv(client *c, robj **argv, int argc) {
    propagationFrame *f = frameOf(c);
    if (prop.targets == PROPAGATE_NONE) return; /* nobody listens: skip the copies */
    robj **kept = zmalloc(sizeof(robj *) * (size_t)argc);
    for (int j = 0; j < argc; j++) kept[j] = keepArg(argv[j]);
    dropRewrite(f);
    f->rewrite = kept;
    f->rewrite_argc = argc;
}

void rewritePropagatedCommand(client *c, int argc, ...) {
    robj *argv[8];
    serverAssert(argc <= 8);
    va_list ap;
    va_start(ap, argc);
    for (int j = 0; j < argc; j++) argv[j] = va_arg(ap, robj *);
    va_end(ap);
    rewritePropagatedCommandArgv(c, argv, argc);
}

void propagateCallBegin(propagationFrame *f, client *c) {
    f->outer = prop.top;
    f->c = c;
    f->dirty_before = server.dirty;
    /* A script's command under redis.set_repl is recorded for the copies
     * it names only (REPL_NONE: none). What the command adds itself
     * (alsoPropagate) goes to every copy, as in Redis 7.0. */
    f->targets = PROPAGATE_ALL;
    if (c->flags & CLIENT_PREVENT_AOF_PROP) f->targets &= ~PROPAGATE_AOF;
    if (c->flags & CLIENT_PREVENT_REPL_PROP) f->targets &= ~PROPAGATE_REPL;
    f->prevent = f->targets == PROPAGATE_NONE;
    f->force = 0;
    f->rewrite = NULL;
    f->rewrite_argc = 0;
    prop.top = f;
}

void propagateCallEnd(propagationFrame *f) {
    serverAssert(prop.top == f);
    /* The common case, a command that changed nothing and left nothing
     * pending, costs these few tests. */
    int record = !f->prevent && (f->force || server.dirty != f->dirty_before);
    if (!record && !f->rewrite && (f->outer || !prop.numops)) {
        prop.top = f->outer;
        return;
    }
    client *c = f->c;
    if (record) {
        if (f->rewrite)
            alsoPropagateTo(c->db->id, f->rewrite, f->rewrite_argc, f->targets);
        else
            alsoPropagateTo(c->db->id, c->argv, c->argc, f->targets);
    }
    if (f->rewrite) dropRewrite(f);
    prop.top = f->outer;
    if (prop.top == NULL && prop.numops) flushPending();
}

/* ------------------------------------------------------ test observer */

/* DEBUG PROPAGATION keeps the last OBSERVER_CAP commands of the stream in
 * a ring, each as an array of sds. Off (unregistered) by default. */
#define OBSERVER_CAP 1000

typedef struct observedCommand {
    int argc;
    sds *argv;
} observedCommand;

static struct {
    int handle; /* consumer handle, -1 when off */
    observedCommand ring[OBSERVER_CAP];
    int first, count;
} observer = {.handle = -1};

static void observedFree(observedCommand *oc) {
    for (int j = 0; j < oc->argc; j++) sdsfree(oc->argv[j]);
    zfree(oc->argv);
    oc->argv = NULL;
    oc->argc = 0;
}

static void observerReset(void) {
    for (int j = 0; j < observer.count; j++) observedFree(&observer.ring[(observer.first + j) % OBSERVER_CAP]);
    observer.first = observer.count = 0;
}

static void observerConsume(int dbid, robj **argv, int argc, void *priv) {
    (void)dbid;
    (void)priv;
    observedCommand *oc;
    if (observer.count == OBSERVER_CAP) {
        oc = &observer.ring[observer.first];
        observedFree(oc);
        observer.first = (observer.first + 1) % OBSERVER_CAP;
    } else {
        oc = &observer.ring[(observer.first + observer.count++) % OBSERVER_CAP];
    }
    oc->argc = argc;
    oc->argv = zmalloc(sizeof(sds) * (size_t)argc);
    for (int j = 0; j < argc; j++) oc->argv[j] = sdsdup(argv[j]->ptr);
}

static void observerReply(client *c) {
    addReplyArrayLen(c, observer.count);
    for (int j = 0; j < observer.count; j++) {
        observedCommand *oc = &observer.ring[(observer.first + j) % OBSERVER_CAP];
        addReplyArrayLen(c, oc->argc);
        for (int a = 0; a < oc->argc; a++) addReplyBulkCBuffer(c, oc->argv[a], sdslen(oc->argv[a]));
    }
}

/* ON starts recording (with a SELECT before the first command, as for any
 * new consumer), OFF stops and forgets, GET replies the recorded commands
 * oldest first, RESET forgets them and keeps recording. */
void debugPropagationCommand(client *c) {
    const char *op = c->argv[2]->ptr;
    if (!strcasecmp(op, "on")) {
        if (observer.handle == -1) observer.handle = propagateRegisterConsumer(observerConsume, NULL, PROPAGATE_ALL);
        addReply(c, shared.ok);
    } else if (!strcasecmp(op, "off")) {
        propagateUnregisterConsumer(observer.handle);
        observer.handle = -1;
        observerReset();
        addReply(c, shared.ok);
    } else if (!strcasecmp(op, "get")) {
        observerReply(c);
    } else if (!strcasecmp(op, "reset")) {
        observerReset();
        addReply(c, shared.ok);
    } else {
        addReplyErrorSubcommandSyntax(c);
    }
}
