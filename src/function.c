/* function.c — the FUNCTION libraries: registry, commands, persistence.
 *
 * A library is named by its "#!lua name=<lib>" first line and holds the
 * functions its top level registered (function_lua.c runs it). A library
 * context (libCtx) maps library names to libraries and function names,
 * across every library, to functions: a function name is unique in the
 * whole server. The current context is file-scope, with the engine's Lua
 * state it lives in.
 *
 * Changes are all or nothing. FUNCTION LOAD builds the new library aside
 * (its code has run, its callbacks are in the Lua registry) and checks it
 * against the context before anything changes; FUNCTION RESTORE builds
 * every library of the payload into a context of its own, checks the
 * policy (APPEND: no name of the payload may exist; REPLACE: libraries of
 * the same name go, but a function name held by another library is still
 * a collision; FLUSH: the payload becomes the whole set) and then moves
 * them.
 *
 * FCALL / FCALL_RO find the function and run it through script.c (flags,
 * busy state, redis.call); the command itself is never propagated, its
 * effects are, as for EVAL. FUNCTION LOAD / DELETE / FLUSH / RESTORE are
 * write commands and propagate as themselves.
 *
 * Persistence. An RDB holds each library as a FUNCTION2 record (opcode
 * 245, then the code as a string) before the databases; FUNCTION DUMP is
 * the same records followed by the RDB version (2 bytes) and a CRC64 of
 * all before it, as a key's DUMP payload. The AOF rewrite writes one
 * FUNCTION LOAD per library.
 */
#include "server.h"
#include "script.h"
#include "script_lua.h"
#include "function.h"
#include "monitor.h"
#include "rdb.h"
#include "crc64.h"

#include <lua.h>
#include <lauxlib.h>
#include <string.h>
#include <strings.h>

typedef struct libCtx {
    dict *libraries; /* name -> functionLibInfo*, owned */
    dict *functions; /* name -> functionInfo*, borrowed from the libraries */
    size_t mem;      /* bookkeeping bytes (INFO used_memory_functions) */
} libCtx;

static struct {
    lua_State *L; /* NULL until the first library */
    libCtx *ctx;
} fns;

static uint64_t sdsKeyHash(const void *key) {
    return dictGenHashFunction(key, sdslen((sds)key));
}

static int sdsKeyCompare(dict *d, const void *a, const void *b) {
    (void)d;
    return sdslen((sds)a) == sdslen((sds)b) && memcmp(a, b, sdslen((sds)a)) == 0;
}

static void functionFree(dict *d, void *val) {
    (void)d;
    functionInfo *fi = val;
    if (fns.L) luaL_unref(fns.L, LUA_REGISTRYINDEX, fi->ref);
    sdsfree(fi->name);
    sdsfree(fi->desc);
    zfree(fi);
}

/* Functions of a library: the dict owns them (the key is fi->name). */
static dictType libFunctionsType = {
    .hashFunction = sdsKeyHash,
    .keyCompare = sdsKeyCompare,
    .valDestructor = functionFree,
};

/* The context's function index: borrowed entries. */
static dictType ctxFunctionsType = {
    .hashFunction = sdsKeyHash,
    .keyCompare = sdsKeyCompare,
};

static dictType ctxLibrariesType = {
    .hashFunction = sdsKeyHash,
    .keyCompare = sdsKeyCompare,
};

static void libFree(functionLibInfo *lib) {
    dictRelease(lib->functions);
    sdsfree(lib->name);
    sdsfree(lib->code);
    zfree(lib);
}

static size_t libMemory(functionLibInfo *lib) {
    size_t mem = sizeof(*lib) + sdslen(lib->name) + sdslen(lib->code) + sizeof(dictEntry);
    dictIterator *it = dictGetIterator(lib->functions);
    dictEntry *de;
    while ((de = dictNext(it))) {
        functionInfo *fi = dictGetVal(de);
        mem += sizeof(*fi) + sdslen(fi->name) + (fi->desc ? sdslen(fi->desc) : 0) + 2 * sizeof(dictEntry);
    }
    dictReleaseIterator(it);
    return mem;
}

static libCtx *ctxCreate(void) {
    libCtx *ctx = zmalloc(sizeof(*ctx));
    ctx->libraries = dictCreate(&ctxLibrariesType);
    ctx->functions = dictCreate(&ctxFunctionsType);
    ctx->mem = 0;
    return ctx;
}

/* Frees ctx and every library in it. */
static void ctxFree(libCtx *ctx) {
    dictIterator *it = dictGetIterator(ctx->libraries);
    dictEntry *de;
    while ((de = dictNext(it))) libFree(dictGetVal(de));
    dictReleaseIterator(it);
    dictRelease(ctx->libraries);
    dictRelease(ctx->functions);
    zfree(ctx);
}

static libCtx *currentCtx(void) {
    if (fns.ctx == NULL) fns.ctx = ctxCreate();
    return fns.ctx;
}

static lua_State *engineState(void) {
    if (fns.L == NULL) fns.L = fengineCreateState();
    return fns.L;
}

/* Takes lib out of ctx (not freed). */
static void ctxUnlink(libCtx *ctx, functionLibInfo *lib) {
    dictIterator *it = dictGetIterator(lib->functions);
    dictEntry *de;
    while ((de = dictNext(it))) dictDelete(ctx->functions, dictGetKey(de));
    dictReleaseIterator(it);
    dictDelete(ctx->libraries, lib->name);
    ctx->mem -= libMemory(lib);
}

/* Puts lib (owned from now on) into ctx; its names are free there. */
static void ctxLink(libCtx *ctx, functionLibInfo *lib) {
    dictAdd(ctx->libraries, lib->name, lib);
    dictIterator *it = dictGetIterator(lib->functions);
    dictEntry *de;
    while ((de = dictNext(it))) dictAdd(ctx->functions, dictGetKey(de), dictGetVal(de));
    dictReleaseIterator(it);
    ctx->mem += libMemory(lib);
}

static functionLibInfo *ctxLibrary(libCtx *ctx, sds name) {
    dictEntry *de = dictFind(ctx->libraries, name);
    return de ? dictGetVal(de) : NULL;
}

/* The first function of lib whose name another library than `except`
 * holds in ctx, or NULL. */
static functionInfo *ctxCollision(libCtx *ctx, functionLibInfo *lib, sds except) {
    dictIterator *it = dictGetIterator(lib->functions);
    dictEntry *de;
    functionInfo *found = NULL;
    while (!found && (de = dictNext(it))) {
        dictEntry *other = dictFind(ctx->functions, dictGetKey(de));
        if (other == NULL) continue;
        functionInfo *fi = dictGetVal(other);
        if (except == NULL || sdscmp(fi->lib->name, except) != 0) found = dictGetVal(de);
    }
    dictReleaseIterator(it);
    return found;
}

/* ------------------------------------------------------------ metadata */

/* Reads the first line of code: "#!<engine> name=<lib>". *name gets a new
 * sds; C_ERR with *err on a bad line. */
static int parseMetadata(sds code, sds *name, sds *err) {
    *name = NULL;
    if (sdslen(code) < 2 || code[0] != '#' || code[1] != '!') {
        *err = sdsnew("ERR Missing library metadata");
        return C_ERR;
    }
    const char *nl = memchr(code, '\n', sdslen(code));
    if (nl == NULL) {
        *err = sdsnew("ERR Invalid library metadata");
        return C_ERR;
    }
    int argc;
    sds line = sdsnewlen(code + 2, (size_t)(nl - code - 2));
    sds *argv = sdssplitargs(line, &argc);
    sdsfree(line);
    if (argv == NULL || argc == 0) {
        if (argv) sdsfreesplitres(argv, argc);
        *err = sdsnew("ERR Invalid library metadata");
        return C_ERR;
    }
    int ok = C_OK;
    if (strcasecmp(argv[0], "lua") != 0) {
        *err = sdscatprintf(sdsempty(), "ERR Engine '%s' not found", argv[0]);
        ok = C_ERR;
    }
    for (int j = 1; ok == C_OK && j < argc; j++) {
        if (strncasecmp(argv[j], "name=", 5) != 0) {
            *err = sdscatprintf(sdsempty(), "ERR Invalid metadata value given: %s", argv[j]);
            ok = C_ERR;
        } else if (*name) {
            *err = sdsnew("ERR Invalid metadata value, name argument was given multiple times");
            ok = C_ERR;
        } else {
            *name = sdsnew(argv[j] + 5);
        }
    }
    sdsfreesplitres(argv, argc);
    if (ok == C_OK && *name == NULL) {
        *err = sdsnew("ERR Library name was not given");
        ok = C_ERR;
    }
    if (ok == C_OK && !functionNameIsValid(*name, sdslen(*name))) {
        *err = sdsnew("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least "
                      "one character long");
        ok = C_ERR;
    }
    if (ok != C_OK) {
        sdsfree(*name);
        *name = NULL;
    }
    return ok;
}

/* A new library from code (borrowed), its top level run; NULL with *err.
 * A library of the same name in ctx is an error unless replace. */
static functionLibInfo *libCreate(libCtx *ctx, sds code, int replace, sds *err) {
    sds name;
    if (parseMetadata(code, &name, err) != C_OK) return NULL;
    if (!replace && ctxLibrary(ctx, name)) {
        *err = sdscatprintf(sdsempty(), "ERR Library '%s' already exists", name);
        sdsfree(name);
        return NULL;
    }
    functionLibInfo *lib = zmalloc(sizeof(*lib));
    lib->name = name;
    lib->code = sdsdup(code);
    lib->functions = dictCreate(&libFunctionsType);
    /* The shebang line stays a line (a comment), so error lines match. */
    sds text = sdsdup(code);
    text[0] = text[1] = '-';
    int ok = fengineLoadLibrary(engineState(), lib, text, sdslen(text), err);
    sdsfree(text);
    if (ok == C_OK && dictSize(lib->functions) == 0) {
        *err = sdsnew("ERR No functions registered");
        ok = C_ERR;
    }
    if (ok != C_OK) {
        libFree(lib);
        return NULL;
    }
    return lib;
}

/* Adds lib (owned) to ctx, replacing a library of its name; C_ERR with
 * *err (lib freed) when one of its functions belongs to another library. */
static int ctxAdd(libCtx *ctx, functionLibInfo *lib, sds *err) {
    functionInfo *clash = ctxCollision(ctx, lib, lib->name);
    if (clash) {
        *err = sdscatprintf(sdsempty(), "ERR Function %s already exists", clash->name);
        libFree(lib);
        return C_ERR;
    }
    functionLibInfo *old = ctxLibrary(ctx, lib->name);
    if (old) {
        ctxUnlink(ctx, old);
        libFree(old);
    }
    ctxLink(ctx, lib);
    return C_OK;
}

const char *functionsLoad(sds code, int replace, sds *err) {
    libCtx *ctx = currentCtx();
    functionLibInfo *lib = libCreate(ctx, code, replace, err);
    if (lib == NULL) return NULL;
    return ctxAdd(ctx, lib, err) == C_OK ? lib->name : NULL;
}

void functionsFlush(int async) {
    if (fns.ctx) {
        ctxFree(fns.ctx);
        fns.ctx = NULL;
    }
    if (fns.L) {
        if (async)
            luaCloseScriptStateAsync(fns.L);
        else
            luaCloseScriptState(fns.L);
        fns.L = NULL;
    }
}

void functionsForEachLibrary(void (*fn)(void *priv, functionLibInfo *lib), void *priv) {
    if (fns.ctx == NULL) return;
    dictIterator *it = dictGetIterator(fns.ctx->libraries);
    dictEntry *de;
    while ((de = dictNext(it))) fn(priv, dictGetVal(de));
    dictReleaseIterator(it);
}

/* ---------------------------------------------------------------- FCALL */

int functionFlagsOf(robj *name, uint64_t *flags) {
    if (fns.ctx == NULL || !sdsEncodedObject(name)) return 0;
    dictEntry *de = dictFind(fns.ctx->functions, name->ptr);
    if (de == NULL) return 0;
    *flags = ((functionInfo *)dictGetVal(de))->flags;
    return 1;
}

static void fcallGeneric(client *c, int ro) {
    feedMonitorsAlways(c, c->cmd, c->argv, c->argc, c->db->id);
    dictEntry *de = fns.ctx ? dictFind(fns.ctx->functions, c->argv[1]->ptr) : NULL;
    if (de == NULL) {
        addReplyError(c, "Function not found");
        return;
    }
    functionInfo *fi = dictGetVal(de);
    long long numkeys;
    if (getLongLongFromObject(c->argv[2], &numkeys) != C_OK) {
        addReplyError(c, "Bad number of keys provided");
        return;
    }
    if (numkeys > (c->argc - 3)) {
        addReplyError(c, "Number of keys can't be greater than number of args");
        return;
    }
    if (numkeys < 0) {
        addReplyError(c, "Number of keys can't be negative");
        return;
    }
    preventCommandPropagation(c);
    scriptRunCtx rctx;
    if (scriptPrepareForRun(&rctx, luaScriptClient(), c, fi->name, fi->flags, ro) != C_OK) return;
    luaCallFunction(&rctx, fns.L, fi->ref, c->argv + 3, (int)numkeys, c->argv + 3 + numkeys,
                    c->argc - 3 - (int)numkeys);
    scriptResetRun(&rctx);
}

void fcallCommand(client *c) {
    fcallGeneric(c, 0);
}

void fcallroCommand(client *c) {
    fcallGeneric(c, 1);
}

/* ------------------------------------------------------------- FUNCTION */

void functionCommand(client *c) {
    addReplyErrorSubcommandSyntax(c);
}

/* FUNCTION LOAD [REPLACE] <code> */
void functionLoadCommand(client *c) {
    int replace = 0;
    for (int j = 2; j < c->argc - 1; j++) {
        if (!strcasecmp(c->argv[j]->ptr, "replace")) {
            replace = 1;
        } else {
            addReplyErrorFormat(c, "Unknown option given: %s", (char *)c->argv[j]->ptr);
            return;
        }
    }
    robj *code = getDecodedObject(c->argv[c->argc - 1]);
    sds err = NULL;
    const char *name = functionsLoad(code->ptr, replace, &err);
    decrRefCount(code);
    if (name == NULL) {
        addReplyErrorSds(c, sdscatsds(sdsnew("-"), err));
        sdsfree(err);
        return;
    }
    server.dirty++;
    addReplyBulkCString(c, name);
}

void functionDeleteCommand(client *c) {
    libCtx *ctx = currentCtx();
    functionLibInfo *lib = ctxLibrary(ctx, c->argv[2]->ptr);
    if (lib == NULL) {
        addReplyError(c, "Library not found");
        return;
    }
    ctxUnlink(ctx, lib);
    libFree(lib);
    server.dirty++;
    addReply(c, shared.ok);
}

void functionFlushCommand(client *c) {
    if (c->argc > 3) {
        addReplyErrorSubcommandSyntax(c);
        return;
    }
    int async = server.lazyfree.lazy_user_flush;
    if (c->argc == 3) {
        const char *mode = c->argv[2]->ptr;
        if (!strcasecmp(mode, "sync")) {
            async = 0;
        } else if (!strcasecmp(mode, "async")) {
            async = 1;
        } else {
            addReplyError(c, "FUNCTION FLUSH only supports SYNC|ASYNC option");
            return;
        }
    }
    functionsFlush(async);
    server.dirty++;
    addReply(c, shared.ok);
}

void functionKillCommand(client *c) {
    scriptKill(c, 0);
}

/* FUNCTION LIST [LIBRARYNAME <pattern>] [WITHCODE] */
static void replyFunction(client *c, functionInfo *fi) {
    addReplyMapLen(c, 3);
    addReplyBulkCString(c, "name");
    addReplyBulkCBuffer(c, fi->name, sdslen(fi->name));
    addReplyBulkCString(c, "description");
    if (fi->desc)
        addReplyBulkCBuffer(c, fi->desc, sdslen(fi->desc));
    else
        addReplyNull(c);
    addReplyBulkCString(c, "flags");
    int n = 0;
    for (const scriptFlagName *f = scriptFlagNames; f->name; f++) n += (fi->flags & f->flag) != 0;
    addReplySetLen(c, n);
    for (const scriptFlagName *f = scriptFlagNames; f->name; f++)
        if (fi->flags & f->flag) addReplyStatus(c, f->name);
}

static void replyLibrary(client *c, functionLibInfo *lib, int withcode) {
    addReplyMapLen(c, withcode ? 4 : 3);
    addReplyBulkCString(c, "library_name");
    addReplyBulkCBuffer(c, lib->name, sdslen(lib->name));
    addReplyBulkCString(c, "engine");
    addReplyBulkCString(c, "LUA");
    addReplyBulkCString(c, "functions");
    addReplyArrayLen(c, (long)dictSize(lib->functions));
    dictIterator *it = dictGetIterator(lib->functions);
    dictEntry *de;
    while ((de = dictNext(it))) replyFunction(c, dictGetVal(de));
    dictReleaseIterator(it);
    if (withcode) {
        addReplyBulkCString(c, "library_code");
        addReplyBulkCBuffer(c, lib->code, sdslen(lib->code));
    }
}

void functionListCommand(client *c) {
    int withcode = 0;
    const char *pattern = NULL;
    for (int j = 2; j < c->argc; j++) {
        const char *arg = c->argv[j]->ptr;
        if (!withcode && !strcasecmp(arg, "withcode")) {
            withcode = 1;
        } else if (!pattern && !strcasecmp(arg, "libraryname")) {
            if (j + 1 == c->argc) {
                addReplyError(c, "library name argument was not given");
                return;
            }
            pattern = c->argv[++j]->ptr;
        } else {
            addReplyErrorFormat(c, "Unknown argument %s", arg);
            return;
        }
    }
    libCtx *ctx = currentCtx();
    void *len = addReplyDeferredLen(c);
    long n = 0;
    dictIterator *it = dictGetIterator(ctx->libraries);
    dictEntry *de;
    while ((de = dictNext(it))) {
        functionLibInfo *lib = dictGetVal(de);
        if (pattern && !stringmatchlen(pattern, (int)strlen(pattern), lib->name, (int)sdslen(lib->name), 1)) continue;
        replyLibrary(c, lib, withcode);
        n++;
    }
    dictReleaseIterator(it);
    setDeferredArrayLen(c, len, n);
}

/* FUNCTION STATS: the running function (when a function runs) and the
 * engine's counts; while an EVAL script runs, the BUSY error. */
void functionStatsCommand(client *c) {
    scriptRunCtx *run = scriptCurrentRun();
    if (run && (run->flags & SCRIPT_EVAL_MODE)) {
        addReplyError(c, scriptBusyError());
        return;
    }
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "running_script");
    if (run == NULL) {
        addReplyNull(c);
    } else {
        client *caller = run->original_client;
        addReplyMapLen(c, 3);
        addReplyBulkCString(c, "name");
        addReplyBulkCString(c, run->funcname);
        addReplyBulkCString(c, "command");
        addReplyArrayLen(c, caller->argc);
        for (int j = 0; j < caller->argc; j++) addReplyBulk(c, caller->argv[j]);
        addReplyBulkCString(c, "duration_ms");
        addReplyLongLong(c, mstime() - run->start_time);
    }
    addReplyBulkCString(c, "engines");
    addReplyMapLen(c, 1);
    addReplyBulkCString(c, "LUA");
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "libraries_count");
    addReplyLongLong(c, (long long)functionsLibCount());
    addReplyBulkCString(c, "functions_count");
    addReplyLongLong(c, (long long)functionsCount());
}

/* ---------------------------------------------------------- DUMP/RESTORE */

/* The state of a walk writing FUNCTION2 records. */
typedef struct saveWalk {
    rio *r;
    ssize_t total; /* -1 after a write error */
} saveWalk;

static void saveLibraryRecord(void *priv, functionLibInfo *lib) {
    saveWalk *w = priv;
    if (w->total == -1) return;
    ssize_t a = rdbSaveType(w->r, RDB_OPCODE_FUNCTION2);
    ssize_t b = a == -1 ? -1 : rdbSaveRawString(w->r, (const unsigned char *)lib->code, sdslen(lib->code));
    w->total = b == -1 ? -1 : w->total + a + b;
}

ssize_t functionsSaveRdb(rio *r) {
    saveWalk w = {r, 0};
    functionsForEachLibrary(saveLibraryRecord, &w);
    return w.total;
}

void functionDumpCommand(client *c) {
    rio r;
    rioInitWithBuffer(&r, sdsempty());
    functionsSaveRdb(&r);
    unsigned char footer[10];
    footer[0] = RDB_VERSION & 0xff;
    footer[1] = (RDB_VERSION >> 8) & 0xff;
    sds p = sdscatlen(r.io.buffer.ptr, footer, 2);
    uint64_t crc = crc64(0, (unsigned char *)p, sdslen(p));
    for (int i = 0; i < 8; i++) footer[i] = (unsigned char)((crc >> (8 * i)) & 0xff);
    p = sdscatlen(p, footer, 8);
    addReplyBulkSds(c, p);
}

/* 1 when p[0..len) ends in a version this server reads and a matching
 * CRC64. */
static int payloadFooterValid(const unsigned char *p, size_t len) {
    if (len < 10) return 0;
    const unsigned char *footer = p + len - 10;
    unsigned int version = footer[0] | (unsigned int)footer[1] << 8;
    if (version > RDB_VERSION_MAX_LOAD) return 0;
    uint64_t crc = crc64(0, p, len - 8), stored = 0;
    for (int i = 7; i >= 0; i--) stored = (stored << 8) | footer[2 + i];
    return crc == stored;
}

/* The code string of one FUNCTION2 record (the opcode read already), a
 * new sds, or NULL. */
static sds readLibraryCode(rio *r) {
    int error;
    const char *reason;
    robj *o = rdbLoadObject(RDB_TYPE_STRING, r, 0, &error, &reason);
    if (o == NULL) return NULL;
    robj *d = getDecodedObject(o);
    sds code = sdsdup(d->ptr);
    decrRefCount(d);
    decrRefCount(o);
    return code;
}

/* Builds every library of payload body[0..len) into ctx. C_ERR with *err. */
static int restoreIntoCtx(libCtx *ctx, const unsigned char *body, size_t len, sds *err) {
    rio r;
    sds buf = sdsnewlen(body, len);
    rioInitWithBuffer(&r, buf);
    int ok = C_OK;
    while (ok == C_OK && (size_t)r.io.buffer.pos < len) {
        int type = rdbLoadType(&r);
        if (type != RDB_OPCODE_FUNCTION2) {
            *err = sdsnew(type == RDB_OPCODE_FUNCTION_PRE_GA
                              ? "ERR Pre-GA function format not supported"
                              : "ERR given type is not a function");
            ok = C_ERR;
            break;
        }
        sds code = readLibraryCode(&r);
        if (code == NULL) {
            *err = sdsnew("ERR Failed loading library payload");
            ok = C_ERR;
            break;
        }
        functionLibInfo *lib = libCreate(ctx, code, 0, err);
        sdsfree(code);
        if (lib == NULL || ctxAdd(ctx, lib, err) != C_OK) ok = C_ERR;
    }
    sdsfree(buf);
    return ok;
}

/* The first conflict between the libraries of `from` and ctx under the
 * policy (APPEND, or REPLACE when replace), as a new error sds, or NULL. */
static sds restoreConflict(libCtx *ctx, libCtx *from, int replace) {
    sds err = NULL;
    dictIterator *it = dictGetIterator(from->libraries);
    dictEntry *de;
    while (!err && (de = dictNext(it))) {
        functionLibInfo *lib = dictGetVal(de);
        if (!replace && ctxLibrary(ctx, lib->name)) {
            err = sdscatprintf(sdsempty(), "ERR Library %s already exists", lib->name);
            break;
        }
        functionInfo *clash = ctxCollision(ctx, lib, replace ? lib->name : NULL);
        if (clash) err = sdscatprintf(sdsempty(), "ERR Function %s already exists", clash->name);
    }
    dictReleaseIterator(it);
    return err;
}

/* Moves every library of from into ctx (replacing same-named ones); from
 * is freed. The caller checked the conflicts. */
static void ctxMerge(libCtx *ctx, libCtx *from) {
    dictIterator *it = dictGetSafeIterator(from->libraries);
    dictEntry *de;
    while ((de = dictNext(it))) {
        functionLibInfo *lib = dictGetVal(de);
        ctxUnlink(from, lib);
        functionLibInfo *old = ctxLibrary(ctx, lib->name);
        if (old) {
            ctxUnlink(ctx, old);
            libFree(old);
        }
        ctxLink(ctx, lib);
    }
    dictReleaseIterator(it);
    ctxFree(from);
}

/* FUNCTION RESTORE <payload> [FLUSH|APPEND|REPLACE] */
void functionRestoreCommand(client *c) {
    if (c->argc > 4) {
        addReplyErrorSubcommandSyntax(c);
        return;
    }
    int policy = 'A';
    if (c->argc == 4) {
        const char *p = c->argv[3]->ptr;
        if (!strcasecmp(p, "flush")) policy = 'F';
        else if (!strcasecmp(p, "append")) policy = 'A';
        else if (!strcasecmp(p, "replace")) policy = 'R';
        else {
            addReplyError(c, "Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
            return;
        }
    }
    robj *payload = getDecodedObject(c->argv[2]);
    const unsigned char *body = payload->ptr;
    size_t len = sdslen(payload->ptr);
    if (!payloadFooterValid(body, len)) {
        decrRefCount(payload);
        addReplyError(c, "DUMP payload version or checksum are wrong");
        return;
    }
    libCtx *from = ctxCreate();
    sds err = NULL;
    if (restoreIntoCtx(from, body, len - 10, &err) == C_OK && policy != 'F')
        err = restoreConflict(currentCtx(), from, policy == 'R');
    decrRefCount(payload);
    if (err) {
        ctxFree(from);
        addReplyErrorSds(c, sdscatsds(sdsnew("-"), err));
        sdsfree(err);
        return;
    }
    if (policy == 'F') {
        ctxFree(currentCtx());
        fns.ctx = from;
    } else {
        ctxMerge(currentCtx(), from);
    }
    server.dirty++;
    addReply(c, shared.ok);
}

int functionsLoadRdbRecord(rio *r, int replace, sds *err) {
    sds code = readLibraryCode(r);
    if (code == NULL) {
        *err = sdsnew("unexpected end of file in a function library");
        return C_ERR;
    }
    const char *name = functionsLoad(code, replace, err);
    sdsfree(code);
    return name ? C_OK : C_ERR;
}

void functionHelpCommand(client *c) {
    static const char *help[] = {
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored using FUNCTION "
        "RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
        "      libraries with the new libraries (notice that even on this option there is a chance of failure",
        "      in case of functions name collision with another library).",
        NULL};
    addReplyHelp(c, help);
}

/* ---------------------------------------------------------------- INFO */

size_t functionsMemoryVm(void) {
    return fns.L ? luaMemory(fns.L) : 0;
}

size_t functionsMemory(void) {
    return fns.ctx ? fns.ctx->mem : 0;
}

unsigned long functionsCount(void) {
    return fns.ctx ? dictSize(fns.ctx->functions) : 0;
}

unsigned long functionsLibCount(void) {
    return fns.ctx ? dictSize(fns.ctx->libraries) : 0;
}
