/* t_list.c — the list type and its (non-blocking) commands.
 *
 * A list value is a robj of type OBJ_LIST whose pointer is a quicklist
 * (quicklist.c): a linked list of listpack nodes, with the node size taken
 * from list-max-listpack-size and the compression of inner nodes from
 * list-compress-depth, both read when the list is created. As in Redis 7.0,
 * every list has the encoding "quicklist", small or large (the listpack
 * encoding for small lists came with 7.2).
 *
 * The first half is the type API, the only code here that looks at the
 * encoding: push / pop, length, iterators that can read, insert, replace
 * and delete at the element they are on, ranges and duplication. The
 * commands below use nothing else.
 *
 * Rules the commands keep, as Redis does:
 *  - an empty list is never stored: the command that removes the last
 *    element deletes the key;
 *  - arguments are checked in the order Redis checks them (some commands
 *    parse their numbers before looking the key up, others after), so the
 *    same bad command line gives the same error;
 *  - every write calls signalModifiedKey and bumps server.dirty; commands
 *    that add elements go through listElementsAdded, the single place where
 *    clients blocked on a list (BLPOP & co., blocked.c) are to be woken.
 *
 * Replies: a missing key is a null (or a null array where the reply would
 * have been an array), which RESP3 clients see as `_`.
 */
#include "server.h"
#include "notify.h"

#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ type API */

/* A new, empty list with the configured node size and compression. */
robj *createQuicklistObject(void) {
    quicklist *ql = quicklistNew(server.encoding.list_max_listpack_size, server.encoding.list_compress_depth);
    robj *o = createObject(OBJ_LIST, ql);
    o->encoding = OBJ_ENCODING_QUICKLIST;
    return o;
}

/* Frees the value of a list object (decrRefCount calls it). */
void freeListObject(robj *o) {
    if (o->encoding != OBJ_ENCODING_QUICKLIST) serverPanic("Unknown list encoding");
    quicklistRelease(o->ptr);
}

/* A deep copy of a list object, refcount 1. */
robj *listTypeDup(robj *o) {
    serverAssert(o->type == OBJ_LIST && o->encoding == OBJ_ENCODING_QUICKLIST);
    robj *copy = createObject(OBJ_LIST, quicklistDup(o->ptr));
    copy->encoding = OBJ_ENCODING_QUICKLIST;
    return copy;
}

/* The bytes of a string object: into buf (at least 32 bytes) for an
 * int-encoded one. */
static const char *stringBytes(robj *value, char *buf, size_t *len) {
    if (sdsEncodedObject(value)) {
        *len = sdslen(value->ptr);
        return value->ptr;
    }
    *len = (size_t)ll2string(buf, 32, (long)value->ptr);
    return buf;
}

/* Adds a copy of the string value at the head (LIST_HEAD) or tail. */
void listTypePush(robj *subject, robj *value, int where) {
    serverAssert(subject->encoding == OBJ_ENCODING_QUICKLIST);
    char buf[32];
    size_t len;
    const char *p = stringBytes(value, buf, &len);
    quicklistPush(subject->ptr, (void *)p, len, where == LIST_HEAD ? QUICKLIST_HEAD : QUICKLIST_TAIL);
}

static void *listPopSaver(unsigned char *data, size_t sz) {
    return createStringObject((char *)data, sz);
}

/* Removes the head or tail element and returns it as a new string object
 * (the caller owns it), or NULL when the list is empty. */
robj *listTypePop(robj *subject, int where) {
    serverAssert(subject->encoding == OBJ_ENCODING_QUICKLIST);
    robj *value = NULL;
    long long vlong;
    if (quicklistPopCustom(subject->ptr, where == LIST_HEAD ? QUICKLIST_HEAD : QUICKLIST_TAIL,
                           (unsigned char **)&value, NULL, &vlong, listPopSaver)) {
        if (value == NULL) value = createStringObjectFromLongLong(vlong);
    }
    return value;
}

static void listReplyPopped(void *ctx, const unsigned char *value, size_t sz, long long lval) {
    client *c = ctx;
    if (value)
        addReplyBulkCBuffer(c, value, sz);
    else
        addReplyBulkLongLong(c, lval);
}

/* Removes the head or tail element, replying it as a bulk string straight
 * from the list (no object is made). Returns 0, replying nothing, when the
 * list is empty. */
static int listTypePopReply(client *c, robj *subject, int where) {
    serverAssert(subject->encoding == OBJ_ENCODING_QUICKLIST);
    return quicklistPopWith(subject->ptr, where == LIST_HEAD ? QUICKLIST_HEAD : QUICKLIST_TAIL, listReplyPopped, c);
}

unsigned long listTypeLength(const robj *subject) {
    serverAssert(subject->encoding == OBJ_ENCODING_QUICKLIST);
    return quicklistCount(subject->ptr);
}

/* An iterator starting at index (negative from the tail) walking towards
 * the tail (LIST_TAIL) or the head (LIST_HEAD). An index out of range
 * gives an iterator that yields nothing. Release it with
 * listTypeReleaseIterator; the list must not be changed meanwhile except
 * through listTypeDelete (insert/replace end the iteration). */
listTypeIterator *listTypeInitIterator(robj *subject, long index, unsigned char direction) {
    serverAssert(subject->encoding == OBJ_ENCODING_QUICKLIST);
    listTypeIterator *li = zmalloc(sizeof(*li));
    li->subject = subject;
    li->encoding = subject->encoding;
    li->direction = direction;
    int qdir = direction == LIST_HEAD ? AL_START_TAIL : AL_START_HEAD;
    li->iter = quicklistGetIteratorAtIdx(subject->ptr, qdir, index);
    return li;
}

void listTypeReleaseIterator(listTypeIterator *li) {
    quicklistReleaseIterator(li->iter);
    zfree(li);
}

/* Moves to the next element and stores it in *entry; returns 0 at the end. */
int listTypeNext(listTypeIterator *li, listTypeEntry *entry) {
    entry->li = li;
    if (li->iter == NULL) return 0;
    return quicklistNext(li->iter, &entry->entry);
}

/* The element as a new string object (the caller owns it). */
robj *listTypeGet(listTypeEntry *entry) {
    if (entry->entry.value) return createStringObject((char *)entry->entry.value, entry->entry.sz);
    return createStringObjectFromLongLong(entry->entry.longval);
}

/* Replies the element as a bulk string. */
static void addReplyListEntry(client *c, listTypeEntry *entry) {
    if (entry->entry.value)
        addReplyBulkCBuffer(c, entry->entry.value, entry->entry.sz);
    else
        addReplyBulkLongLong(c, entry->entry.longval);
}

/* Inserts value before (LIST_HEAD) or after (LIST_TAIL) the element. The
 * iteration ends. */
void listTypeInsert(listTypeEntry *entry, robj *value, int where) {
    char buf[32];
    size_t len;
    const char *p = stringBytes(value, buf, &len);
    if (where == LIST_TAIL)
        quicklistInsertAfter(entry->li->iter, &entry->entry, (void *)p, len);
    else
        quicklistInsertBefore(entry->li->iter, &entry->entry, (void *)p, len);
}

/* Replaces the element with value. The iteration ends. */
void listTypeReplace(listTypeEntry *entry, robj *value) {
    char buf[32];
    size_t len;
    const char *p = stringBytes(value, buf, &len);
    quicklistReplaceEntry(entry->li->iter, &entry->entry, (void *)p, len);
}

/* Replaces the element at index (negative from the tail). Returns 1 if
 * the index exists. */
int listTypeReplaceAtIndex(robj *o, long index, robj *value) {
    char buf[32];
    size_t len;
    const char *p = stringBytes(value, buf, &len);
    return quicklistReplaceAtIndex(o->ptr, index, (void *)p, len);
}

/* 1 if the element equals the string object o. */
int listTypeEqual(listTypeEntry *entry, robj *o) {
    char buf[32];
    size_t len;
    const char *p = stringBytes(o, buf, &len);
    return quicklistCompare(&entry->entry, (unsigned char *)p, len);
}

/* Deletes the element; the iterator goes on with the one after it. */
void listTypeDelete(listTypeIterator *iter, listTypeEntry *entry) {
    quicklistDelEntry(iter->iter, &entry->entry);
}

/* Deletes count elements from index start (negative from the tail). */
void listTypeDelRange(robj *o, long start, long count) {
    quicklistDelRange(o->ptr, start, count);
}

/* --------------------------------------------------------- helpers */

/* The single place where a list gains elements through a command: clients
 * blocked on key (BLPOP and friends) are to be served from here once
 * blocking commands exist. Also signals the change to WATCH. */
static void listElementsAdded(client *c, robj *key) {
    signalModifiedKey(c, c->db, key);
}

/* Deletes key when its list became empty after a removal. */
static void listDeleteIfEmpty(client *c, robj *key, robj *o) {
    if (listTypeLength(o) == 0 && dbDelete(c->db, key)) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
}

/* Parses LEFT / RIGHT into LIST_HEAD / LIST_TAIL; replies a syntax error
 * and returns C_ERR otherwise. */
int getListPositionFromObjectOrReply(client *c, robj *arg, int *position) {
    if (strcasecmp(arg->ptr, "left") == 0) {
        *position = LIST_HEAD;
    } else if (strcasecmp(arg->ptr, "right") == 0) {
        *position = LIST_TAIL;
    } else {
        addReplyErrorObject(c, shared.syntaxerr);
        return C_ERR;
    }
    return C_OK;
}

/* Turns the start/end of a range (negative from the tail) into a valid
 * inclusive range of a list of llen elements. Returns 0 when it is empty. */
static int clampRange(long llen, long *start, long *end) {
    if (*start < 0) *start += llen;
    if (*end < 0) *end += llen;
    if (*start < 0) *start = 0;
    if (*start > *end || *start >= llen) return 0;
    if (*end >= llen) *end = llen - 1;
    return 1;
}

/* Replies count elements from the head or tail of o as an array, removing
 * them. The caller handles the key (deletion when empty, signals). */
static void listPopRangeReply(client *c, robj *o, int where, long count) {
    long llen = (long)listTypeLength(o);
    if (count > llen) count = llen;
    addReplyArrayLen(c, count);
    for (long j = 0; j < count; j++) {
        int popped = listTypePopReply(c, o, where);
        serverAssert(popped);
    }
}

/* Pops up to count elements from the list o stored at key and replies
 * [key, [elements]] (LMPOP and BLMPOP). Deletes the key when it empties
 * and signals the change. Propagated as LPOP/RPOP key <popped>. */
void listPopRangeAndReplyWithKey(client *c, robj *o, robj *key, int where, long count) {
    long len = (long)listTypeLength(o);
    robj *popped = createStringObjectFromLongLong(count < len ? count : len);
    rewritePropagatedCommand(c, 3, where == LIST_HEAD ? propw.lpop : propw.rpop, key, popped);
    decrRefCount(popped);
    addReplyArrayLen(c, 2);
    addReplyBulk(c, key);
    listPopRangeReply(c, o, where, count);
    signalModifiedKey(c, c->db, key);
    notifyKeyspaceEvent(NOTIFY_LIST, where == LIST_HEAD ? "lpop" : "rpop", key, c->db->id);
    listDeleteIfEmpty(c, key, o);
    server.dirty++;
}

/* The push half of LMOVE (and BLMOVE): adds value to the list at dstkey,
 * creating it when dstobj is NULL, and replies value. */
void lmoveHandlePush(client *c, robj *dstkey, robj *dstobj, robj *value, int where) {
    if (dstobj == NULL) {
        dstobj = createQuicklistObject();
        dbAdd(c->db, dstkey, dstobj);
    }
    listTypePush(dstobj, value, where);
    listElementsAdded(c, dstkey);
    notifyKeyspaceEvent(NOTIFY_LIST, where == LIST_HEAD ? "lpush" : "rpush", dstkey, c->db->id);
    addReplyBulk(c, value);
}

/* ------------------------------------------------------- push / pop */

/* LPUSH / RPUSH / LPUSHX / RPUSHX key element [element ...] */
static void pushGenericCommand(client *c, int where, int xx) {
    robj *o = lookupKeyWrite(c->db, c->argv[1]);
    if (checkType(c, o, OBJ_LIST)) return;
    if (o == NULL) {
        if (xx) {
            addReply(c, shared.czero);
            return;
        }
        o = createQuicklistObject();
        dbAdd(c->db, c->argv[1], o);
    }
    for (int j = 2; j < c->argc; j++) listTypePush(o, c->argv[j], where);
    addReplyLongLong(c, (long long)listTypeLength(o));
    listElementsAdded(c, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_LIST, where == LIST_HEAD ? "lpush" : "rpush", c->argv[1], c->db->id);
    server.dirty += c->argc - 2;
}

void lpushCommand(client *c) {
    pushGenericCommand(c, LIST_HEAD, 0);
}

void rpushCommand(client *c) {
    pushGenericCommand(c, LIST_TAIL, 0);
}

void lpushxCommand(client *c) {
    pushGenericCommand(c, LIST_HEAD, 1);
}

void rpushxCommand(client *c) {
    pushGenericCommand(c, LIST_TAIL, 1);
}

/* LPOP / RPOP key [count]: without count a bulk (null when missing), with
 * count an array (null array when missing). */
static void popGenericCommand(client *c, int where) {
    long count = 0;
    int hascount = c->argc == 3;
    if (c->argc > 3) {
        addReplyErrorArity(c);
        return;
    }
    if (hascount && getPositiveLongFromObjectOrReply(c, c->argv[2], &count, "value is out of range, must be positive") != C_OK)
        return;
    robj *o = lookupKeyWrite(c->db, c->argv[1]);
    if (o == NULL) {
        if (hascount)
            addReplyNullArray(c);
        else
            addReplyNull(c);
        return;
    }
    if (checkType(c, o, OBJ_LIST)) return;
    if (hascount && count == 0) {
        addReply(c, shared.emptyarray);
        return;
    }
    if (hascount) {
        listPopRangeReply(c, o, where, count);
    } else {
        int popped = listTypePopReply(c, o, where);
        serverAssert(popped);
    }
    signalModifiedKey(c, c->db, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_LIST, where == LIST_HEAD ? "lpop" : "rpop", c->argv[1], c->db->id);
    listDeleteIfEmpty(c, c->argv[1], o);
    server.dirty++;
}

void lpopCommand(client *c) {
    popGenericCommand(c, LIST_HEAD);
}

void rpopCommand(client *c) {
    popGenericCommand(c, LIST_TAIL);
}

/* ------------------------------------------------------------ reads */

/* LLEN key */
void llenCommand(client *c) {
    robj *o = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (o == NULL || checkType(c, o, OBJ_LIST)) return;
    addReplyLongLong(c, (long long)listTypeLength(o));
}

/* LRANGE key start stop */
void lrangeCommand(client *c) {
    long start, end;
    if (getLongFromObjectOrReply(c, c->argv[2], &start, NULL) != C_OK ||
        getLongFromObjectOrReply(c, c->argv[3], &end, NULL) != C_OK)
        return;
    robj *o = lookupKeyReadOrReply(c, c->argv[1], shared.emptyarray);
    if (o == NULL || checkType(c, o, OBJ_LIST)) return;
    if (!clampRange((long)listTypeLength(o), &start, &end)) {
        addReply(c, shared.emptyarray);
        return;
    }
    long n = end - start + 1;
    addReplyArrayLen(c, n);
    listTypeIterator *li = listTypeInitIterator(o, start, LIST_TAIL);
    listTypeEntry entry;
    while (n-- > 0 && !clientReplyAbandoned(c) && listTypeNext(li, &entry)) addReplyListEntry(c, &entry);
    listTypeReleaseIterator(li);
}

/* LINDEX key index: the key is looked up before the index is parsed. */
void lindexCommand(client *c) {
    robj *o = lookupKeyReadOrReply(c, c->argv[1], shared.null[c->resp]);
    if (o == NULL || checkType(c, o, OBJ_LIST)) return;
    long index;
    if (getLongFromObjectOrReply(c, c->argv[2], &index, NULL) != C_OK) return;
    listTypeIterator *li = listTypeInitIterator(o, index, LIST_TAIL);
    listTypeEntry entry;
    if (listTypeNext(li, &entry))
        addReplyListEntry(c, &entry);
    else
        addReplyNull(c);
    listTypeReleaseIterator(li);
}

/* LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
void lposCommand(client *c) {
    long rank = 1, count = -1, maxlen = 0;
    for (int j = 3; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        int more = c->argc - j - 1;
        if (!strcasecmp(opt, "RANK") && more) {
            j++;
            if (getLongFromObjectOrReply(c, c->argv[j], &rank, NULL) != C_OK) return;
            if (rank == 0) {
                addReplyError(c, "RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                                 "or use negative to start from the end of the list");
                return;
            }
        } else if (!strcasecmp(opt, "COUNT") && more) {
            j++;
            if (getPositiveLongFromObjectOrReply(c, c->argv[j], &count, "COUNT can't be negative") != C_OK) return;
        } else if (!strcasecmp(opt, "MAXLEN") && more) {
            j++;
            if (getPositiveLongFromObjectOrReply(c, c->argv[j], &maxlen, "MAXLEN can't be negative") != C_OK) return;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
    }
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (o == NULL) {
        if (count != -1)
            addReply(c, shared.emptyarray);
        else
            addReplyNull(c);
        return;
    }
    if (checkType(c, o, OBJ_LIST)) return;

    /* A negative rank searches from the tail. Redis 7.0 negates the rank
     * in a long, so the most negative value acts as -1 (first match from
     * the tail); that is kept. */
    int from_tail = rank < 0;
    unsigned long skip = rank == LONG_MIN ? 0 : (unsigned long)(rank < 0 ? -rank : rank) - 1;
    long llen = (long)listTypeLength(o);
    listTypeIterator *li = listTypeInitIterator(o, from_tail ? -1 : 0, from_tail ? LIST_HEAD : LIST_TAIL);
    listTypeEntry entry;
    void *deferred = count != -1 ? addReplyDeferredLen(c) : NULL;
    long index = 0, found = 0;
    unsigned long matches = 0;
    while ((maxlen == 0 || index < maxlen) && listTypeNext(li, &entry)) {
        if (listTypeEqual(&entry, c->argv[2]) && matches++ >= skip) {
            long pos = from_tail ? llen - 1 - index : index;
            if (count == -1) {
                addReplyLongLong(c, pos);
                listTypeReleaseIterator(li);
                return;
            }
            addReplyLongLong(c, pos);
            found++;
            if ((count != 0 && found == count) || clientReplyAbandoned(c)) break;
        }
        index++;
    }
    listTypeReleaseIterator(li);
    if (count == -1)
        addReplyNull(c);
    else
        setDeferredArrayLen(c, deferred, found);
}

/* ----------------------------------------------------------- writes */

/* LSET key index element: the key is looked up before the index is parsed. */
void lsetCommand(client *c) {
    robj *o = lookupKeyWriteOrReply(c, c->argv[1], shared.nokeyerr);
    if (o == NULL || checkType(c, o, OBJ_LIST)) return;
    long index;
    if (getLongFromObjectOrReply(c, c->argv[2], &index, NULL) != C_OK) return;
    if (!listTypeReplaceAtIndex(o, index, c->argv[3])) {
        addReplyErrorObject(c, shared.outofrangeerr);
        return;
    }
    addReply(c, shared.ok);
    signalModifiedKey(c, c->db, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_LIST, "lset", c->argv[1], c->db->id);
    server.dirty++;
}

/* LINSERT key BEFORE|AFTER pivot element: the new length, -1 when the
 * pivot is not found, 0 when the key does not exist. */
void linsertCommand(client *c) {
    int where;
    if (strcasecmp(c->argv[2]->ptr, "after") == 0) {
        where = LIST_TAIL;
    } else if (strcasecmp(c->argv[2]->ptr, "before") == 0) {
        where = LIST_HEAD;
    } else {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    robj *o = lookupKeyWriteOrReply(c, c->argv[1], shared.czero);
    if (o == NULL || checkType(c, o, OBJ_LIST)) return;
    listTypeIterator *li = listTypeInitIterator(o, 0, LIST_TAIL);
    listTypeEntry entry;
    int inserted = 0;
    while (listTypeNext(li, &entry)) {
        if (listTypeEqual(&entry, c->argv[3])) {
            listTypeInsert(&entry, c->argv[4], where);
            inserted = 1;
            break;
        }
    }
    listTypeReleaseIterator(li);
    if (!inserted) {
        addReplyLongLong(c, -1);
        return;
    }
    signalModifiedKey(c, c->db, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_LIST, "linsert", c->argv[1], c->db->id);
    server.dirty++;
    addReplyLongLong(c, (long long)listTypeLength(o));
}

/* LREM key count element: count > 0 removes from the head, < 0 from the
 * tail, 0 all occurrences. Replies how many were removed. */
void lremCommand(client *c) {
    long toremove;
    if (getLongFromObjectOrReply(c, c->argv[2], &toremove, NULL) != C_OK) return;
    robj *o = lookupKeyWriteOrReply(c, c->argv[1], shared.czero);
    if (o == NULL || checkType(c, o, OBJ_LIST)) return;
    int from_tail = toremove < 0;
    unsigned long limit = from_tail ? -(unsigned long)toremove : (unsigned long)toremove;
    listTypeIterator *li = listTypeInitIterator(o, from_tail ? -1 : 0, from_tail ? LIST_HEAD : LIST_TAIL);
    listTypeEntry entry;
    unsigned long removed = 0;
    while (listTypeNext(li, &entry)) {
        if (listTypeEqual(&entry, c->argv[3])) {
            listTypeDelete(li, &entry);
            server.dirty++;
            removed++;
            if (limit && removed == limit) break;
        }
    }
    listTypeReleaseIterator(li);
    if (removed) {
        signalModifiedKey(c, c->db, c->argv[1]);
        notifyKeyspaceEvent(NOTIFY_LIST, "lrem", c->argv[1], c->db->id);
        listDeleteIfEmpty(c, c->argv[1], o);
    }
    addReplyLongLong(c, (long long)removed);
}

/* LTRIM key start stop */
void ltrimCommand(client *c) {
    long start, end;
    if (getLongFromObjectOrReply(c, c->argv[2], &start, NULL) != C_OK ||
        getLongFromObjectOrReply(c, c->argv[3], &end, NULL) != C_OK)
        return;
    robj *o = lookupKeyWriteOrReply(c, c->argv[1], shared.ok);
    if (o == NULL || checkType(c, o, OBJ_LIST)) return;
    long llen = (long)listTypeLength(o), ltrim, rtrim;
    if (clampRange(llen, &start, &end)) {
        ltrim = start;
        rtrim = llen - end - 1;
    } else {
        ltrim = llen; /* everything goes */
        rtrim = 0;
    }
    if (ltrim) listTypeDelRange(o, 0, ltrim);
    if (rtrim) listTypeDelRange(o, -rtrim, rtrim);
    signalModifiedKey(c, c->db, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_LIST, "ltrim", c->argv[1], c->db->id);
    listDeleteIfEmpty(c, c->argv[1], o);
    server.dirty += ltrim + rtrim;
    addReply(c, shared.ok);
}

/* ------------------------------------------------------------- moves */

/* LMOVE / RPOPLPUSH: pops from the source, pushes to the destination and
 * replies the element (null when the source does not exist). */
static void lmoveGenericCommand(client *c, int wherefrom, int whereto) {
    robj *src = lookupKeyWriteOrReply(c, c->argv[1], shared.null[c->resp]);
    if (src == NULL || checkType(c, src, OBJ_LIST)) return;
    robj *dst = lookupKeyWrite(c->db, c->argv[2]);
    if (checkType(c, dst, OBJ_LIST)) return;
    robj *value = listTypePop(src, wherefrom);
    serverAssert(value != NULL);
    /* src and dst may be the same list: push before the emptiness check. */
    lmoveHandlePush(c, c->argv[2], dst, value, whereto);
    decrRefCount(value);
    signalModifiedKey(c, c->db, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_LIST, wherefrom == LIST_HEAD ? "lpop" : "rpop", c->argv[1], c->db->id);
    listDeleteIfEmpty(c, c->argv[1], src);
    server.dirty++;
}

/* LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
void lmoveCommand(client *c) {
    int wherefrom, whereto;
    if (getListPositionFromObjectOrReply(c, c->argv[3], &wherefrom) != C_OK) return;
    if (getListPositionFromObjectOrReply(c, c->argv[4], &whereto) != C_OK) return;
    lmoveGenericCommand(c, wherefrom, whereto);
}

/* RPOPLPUSH source destination */
void rpoplpushCommand(client *c) {
    lmoveGenericCommand(c, LIST_TAIL, LIST_HEAD);
}

/* LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the
 * first non-empty list and replies [key, [elements]], or a null array. */
void lmpopCommand(client *c) {
    long numkeys, count = 1;
    if (getRangeLongFromObjectOrReply(c, c->argv[1], 1, LONG_MAX, &numkeys, "numkeys should be greater than 0") !=
        C_OK)
        return;
    /* The keys, then the direction, must fit in the arguments. */
    if (numkeys > c->argc - 3) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    int where_idx = 2 + (int)numkeys, where;
    if (getListPositionFromObjectOrReply(c, c->argv[where_idx], &where) != C_OK) return;
    for (int j = where_idx + 1; j < c->argc; j++) {
        if (!strcasecmp(c->argv[j]->ptr, "COUNT") && j + 1 < c->argc && j == where_idx + 1) {
            j++;
            if (getRangeLongFromObjectOrReply(c, c->argv[j], 1, LONG_MAX, &count, "count should be greater than 0") !=
                C_OK)
                return;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
    }
    for (int j = 2; j < where_idx; j++) {
        robj *o = lookupKeyWrite(c->db, c->argv[j]);
        if (o == NULL) continue;
        if (checkType(c, o, OBJ_LIST)) return;
        listPopRangeAndReplyWithKey(c, o, c->argv[j], where, count);
        return;
    }
    addReplyNullArray(c);
}
