/* multi.c — transactions and WATCH.
 *
 * MULTI sets CLIENT_MULTI. From then on processCommand hands every command
 * that passed its checks to queueMultiCommand, which moves the arguments
 * into c->mstate and replies +QUEUED; a command refused by a check flags
 * the transaction (CLIENT_DIRTY_EXEC) and EXEC then answers EXECABORT.
 * Once a transaction is doomed (either flag) nothing more is stored: the
 * replies stay the same, the memory does not grow.
 *
 * EXEC runs the queue inside its own call(): each command goes through a
 * nested call(), so its statistics, its errors and its propagation are
 * those of any command, and the propagation layer flushes everything once,
 * when EXEC's frame closes (wrapped in MULTI/EXEC when more than one
 * operation, nothing when nothing was written). EXEC records nothing for
 * itself. CLIENT_MULTI stays set while the queue runs, which is what makes
 * blocking commands behave as their non-blocking forms (blocked.c).
 *
 * WATCH keeps two views of the same watchedKey records:
 *   watched[db->id]   key (sds, owned) -> list of watchedKey*, the watchers
 *   c->watched_keys   list of the client's own watchedKey*
 * Each record remembers its node in the per-key list, so forgetting a
 * client's keys costs O(keys). A change of a key (signalModifiedKey, and
 * the whole-database paths of FLUSHDB, FLUSHALL and SWAPDB) sets
 * CLIENT_DIRTY_CAS on its watchers. A key already expired when watched is
 * flagged: its deletion is no change, and EXEC only fails for keys that
 * expire after WATCH.
 */
#include "server.h"
#include "script.h"
#include "multi.h"

#include <string.h>
#include <strings.h>

typedef struct watchedKey {
    robj *key;          /* owned reference */
    redisDb *db;
    client *c;
    listNode *db_node;  /* this record in the per-key list of watchers */
    int expired;        /* the key was logically expired when watched */
} watchedKey;

static dict **watched;
unsigned long multi_watched_keys;

void initMultiState(void) {
    watched = zmalloc(sizeof(dict *) * server.dbnum);
    for (int j = 0; j < server.dbnum; j++) watched[j] = dictCreate(&sdsSetDictType);
}

/* ---------------------------------------------------------------- queue */

int isExecCommand(client *c) {
    return c->cmd && c->cmd->proc == execCommand;
}

static int isTransactionControl(struct redisCommand *cmd) {
    return cmd->proc == execCommand || cmd->proc == discardCommand || cmd->proc == multiCommand ||
           cmd->proc == watchCommand || cmd->proc == quitCommand || cmd->proc == resetCommand;
}

int multiShouldQueue(client *c) {
    return (c->flags & CLIENT_MULTI) && !isTransactionControl(c->cmd);
}

int multiDeniedOnOom(client *c) {
    if (!(c->flags & CLIENT_MULTI)) return 0;
    struct redisCommand *cmd = c->cmd;
    return cmd->proc != execCommand && cmd->proc != discardCommand && cmd->proc != quitCommand &&
           cmd->proc != resetCommand;
}

uint64_t multiCommandFlags(client *c, int inv) {
    if (!isExecCommand(c)) {
        uint64_t flags = scriptCommandFlags(c);
        return inv ? ~flags : flags;
    }
    if (inv) return ~c->cmd->flags | c->mstate.cmd_inv_flags;
    return c->cmd->flags | c->mstate.cmd_flags;
}

void queueMultiCommand(client *c) {
    addReply(c, shared.queued);
    if (c->flags & (CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC)) return;
    multiState *ms = &c->mstate;
    if (ms->count == ms->alloc) {
        ms->alloc = ms->alloc ? ms->alloc * 2 : 2;
        ms->commands = zrealloc(ms->commands, sizeof(multiCmd) * ms->alloc);
    }
    multiCmd *mc = &ms->commands[ms->count++];
    mc->argc = c->argc;
    mc->argv = zmalloc(sizeof(robj *) * c->argc);
    memcpy(mc->argv, c->argv, sizeof(robj *) * c->argc);
    mc->cmd = c->cmd;
    uint64_t flags = scriptCommandFlags(c);
    ms->cmd_flags |= flags;
    ms->cmd_inv_flags |= ~flags;
    ms->argv_len_sums += c->argv_len_sum + sizeof(robj *) * (size_t)c->argc;
    /* The arguments now belong to the queue. */
    c->argc = 0;
    c->argv_len_sum = 0;
}

void flagTransaction(client *c) {
    if (c->flags & CLIENT_MULTI) c->flags |= CLIENT_DIRTY_EXEC;
}

size_t multiStateMemory(client *c) {
    return c->mstate.argv_len_sums;
}

static void freeMultiState(client *c) {
    multiState *ms = &c->mstate;
    for (int j = 0; j < ms->count; j++) {
        for (int k = 0; k < ms->commands[j].argc; k++) decrRefCount(ms->commands[j].argv[k]);
        zfree(ms->commands[j].argv);
    }
    zfree(ms->commands);
    memset(ms, 0, sizeof(*ms));
}

/* ---------------------------------------------------------------- watch */

/* c's record for key in db, or NULL. */
static watchedKey *findWatchedKey(client *c, redisDb *db, robj *key) {
    if (c->watched_keys == NULL) return NULL;
    listIter li;
    listNode *ln;
    listRewind(c->watched_keys, &li);
    while ((ln = listNext(&li)) != NULL) {
        watchedKey *wk = listNodeValue(ln);
        if (wk->db == db && sdscmp(wk->key->ptr, key->ptr) == 0) return wk;
    }
    return NULL;
}

/* 1 if key has a deadline that has passed (no deletion, no statistics). */
static int keyLogicallyExpired(redisDb *db, robj *key) {
    if (server.persist.loading) return 0;
    long long when = getExpire(db, key);
    return when >= 0 && mstime() > when;
}

static void watchForKey(client *c, robj *key) {
    if (findWatchedKey(c, c->db, key)) return;
    dict *d = watched[c->db->id];
    dictEntry *de = dictFind(d, key->ptr);
    list *watchers;
    if (de == NULL) {
        watchers = listCreate();
        dictAdd(d, sdsdup(key->ptr), watchers);
        multi_watched_keys++;
    } else {
        watchers = dictGetVal(de);
    }
    watchedKey *wk = zmalloc(sizeof(*wk));
    wk->key = key;
    incrRefCount(key);
    wk->db = c->db;
    wk->c = c;
    wk->expired = keyLogicallyExpired(c->db, key);
    listAddNodeTail(watchers, wk);
    wk->db_node = listLast(watchers);
    if (c->watched_keys == NULL) c->watched_keys = listCreate();
    listAddNodeTail(c->watched_keys, wk);
}

/* Forgets every key c watches. */
static void unwatchAllKeys(client *c) {
    if (c->watched_keys == NULL) return;
    listIter li;
    listNode *ln;
    listRewind(c->watched_keys, &li);
    while ((ln = listNext(&li)) != NULL) {
        watchedKey *wk = listNodeValue(ln);
        dict *d = watched[wk->db->id];
        dictEntry *de = dictFind(d, wk->key->ptr);
        serverAssert(de != NULL);
        list *watchers = dictGetVal(de);
        listDelNode(watchers, wk->db_node);
        if (listLength(watchers) == 0) {
            listRelease(watchers);
            dictDelete(d, wk->key->ptr);
            multi_watched_keys--;
        }
        decrRefCount(wk->key);
        zfree(wk);
    }
    listRelease(c->watched_keys);
    c->watched_keys = NULL;
}

/* 1 if a key c watches has expired since WATCH. */
static int watchedKeyExpired(client *c) {
    if (c->watched_keys == NULL) return 0;
    listIter li;
    listNode *ln;
    listRewind(c->watched_keys, &li);
    while ((ln = listNext(&li)) != NULL) {
        watchedKey *wk = listNodeValue(ln);
        if (!wk->expired && keyLogicallyExpired(wk->db, wk->key)) return 1;
    }
    return 0;
}

void touchWatchedKeyNow(redisDb *db, robj *key) {
    dict *d = watched[db->id];
    if (dictSize(d) == 0) return;
    dictEntry *de = dictFind(d, key->ptr);
    if (de == NULL) return;
    list *watchers = dictGetVal(de);
    /* A key gone, or still there but past its deadline, was not changed
     * for a watcher that saw it expired already. */
    int absent = dbPeek(db, key) == NULL || keyLogicallyExpired(db, key);
    listNode *ln = listFirst(watchers);
    while (ln != NULL) {
        /* Unwatching c may free this node, and the list with the last one. */
        listNode *next = listNextNode(ln);
        watchedKey *wk = listNodeValue(ln);
        if (wk->expired && absent) {
            wk->expired = 0;
        } else {
            wk->c->flags |= CLIENT_DIRTY_CAS;
            unwatchAllKeys(wk->c);
        }
        ln = next;
    }
}

void touchAllWatchedKeysInDb(redisDb *emptied, redisDb *replaced_with) {
    dict *d = watched[emptied->id];
    if (dictSize(d) == 0) return;
    dictIterator *di = dictGetIterator(d);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        sds name = dictGetKey(de);
        robj keyobj = {.type = OBJ_STRING, .encoding = OBJ_ENCODING_RAW, .refcount = OBJ_STATIC_REFCOUNT, .ptr = name};
        int in_emptied = dbPeek(emptied, &keyobj) != NULL;
        int in_replacement = replaced_with && dbPeek(replaced_with, &keyobj) != NULL;
        if (!in_emptied && !in_replacement) continue;
        int replacement_expired = in_replacement && keyLogicallyExpired(replaced_with, &keyobj);
        listIter li;
        listNode *ln;
        listRewind(dictGetVal(de), &li);
        while ((ln = listNext(&li)) != NULL) {
            watchedKey *wk = listNodeValue(ln);
            if (wk->expired) {
                if (!in_replacement) {
                    wk->expired = 0;
                    continue;
                }
                if (replacement_expired) continue;
            } else if (!in_emptied && replacement_expired) {
                wk->expired = 1;
                continue;
            }
            /* Unwatching here would free entries under the iterator. */
            wk->c->flags |= CLIENT_DIRTY_CAS;
        }
    }
    dictReleaseIterator(di);
}

/* ------------------------------------------------------------- commands */

void discardTransaction(client *c) {
    freeMultiState(c);
    c->flags &= ~(CLIENT_MULTI | CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC);
    unwatchAllKeys(c);
}

void multiCommand(client *c) {
    if (c->flags & CLIENT_MULTI) {
        addReplyError(c, "MULTI calls can not be nested");
        return;
    }
    c->flags |= CLIENT_MULTI;
    addReply(c, shared.ok);
}

void discardCommand(client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        addReplyError(c, "DISCARD without MULTI");
        return;
    }
    discardTransaction(c);
    addReply(c, shared.ok);
}

void execCommandAbort(client *c, const char *err) {
    discardTransaction(c);
    size_t len = strlen(err);
    if (len && err[0] == '-') err++, len--;
    while (len && (err[len - 1] == '\r' || err[len - 1] == '\n')) len--;
    addReplyErrorFormat(c, "-EXECABORT Transaction discarded because of: %.*s", (int)len, err);
}

/* Runs the queued commands, one nested call() each, replying an array of
 * their replies. */
static void execQueuedCommands(client *c) {
    robj **orig_argv = c->argv;
    int orig_argc = c->argc, orig_argv_len = c->argv_len;
    struct redisCommand *orig_cmd = c->cmd;
    multiState *ms = &c->mstate;
    addReplyArrayLen(c, ms->count);
    for (int j = 0; j < ms->count; j++) {
        c->argv = ms->commands[j].argv;
        c->argc = c->argv_len = ms->commands[j].argc;
        c->cmd = c->realcmd = ms->commands[j].cmd;
        if (aclCheckQueuedCommand(c) == C_OK) call(c, CALL_NONE);
        serverAssert(!(c->flags & CLIENT_BLOCKED));
        /* The arguments stay with the queue, freed with it. */
        ms->commands[j].argv = c->argv;
        ms->commands[j].argc = c->argc;
    }
    c->argv = orig_argv;
    c->argc = orig_argc;
    c->argv_len = orig_argv_len;
    c->cmd = c->realcmd = orig_cmd;
}

void execCommand(client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        addReplyError(c, "EXEC without MULTI");
        return;
    }
    preventCommandPropagation(c);
    if (watchedKeyExpired(c)) c->flags |= CLIENT_DIRTY_CAS;
    if (c->flags & (CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC)) {
        if (c->flags & CLIENT_DIRTY_EXEC)
            addReplyErrorObject(c, shared.execaborterr);
        else
            addReplyNullArray(c);
        discardTransaction(c);
        return;
    }
    unwatchAllKeys(c);
    execQueuedCommands(c);
    discardTransaction(c);
}

void watchCommand(client *c) {
    if (c->flags & CLIENT_MULTI) {
        addReplyError(c, "WATCH inside MULTI is not allowed");
        return;
    }
    /* Keys touched already doom the transaction; no point watching more. */
    if (c->flags & CLIENT_DIRTY_CAS) {
        addReply(c, shared.ok);
        return;
    }
    for (int j = 1; j < c->argc; j++) watchForKey(c, c->argv[j]);
    addReply(c, shared.ok);
}

void unwatchCommand(client *c) {
    unwatchAllKeys(c);
    c->flags &= ~CLIENT_DIRTY_CAS;
    addReply(c, shared.ok);
}
