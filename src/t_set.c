/* t_set.c — the set type and its commands.
 *
 * A set value is a robj of type OBJ_SET in one of two encodings, as in
 * Redis 7.0 (which has no listpack sets):
 *
 *   intset     an intset.c array, when every member is the canonical
 *              decimal form of a 64-bit integer ("12", "-7"; not "012",
 *              "+1", " 3") and there are at most set-max-intset-entries
 *              members. Members come back in ascending numeric order.
 *   hashtable  a setTable (t_set_table.c): one allocation per member
 *              holding its length and bytes, found through a ptable.
 *
 * A set starts as an intset when its first member is an integer and is
 * converted once, never back, to a hash table when a non-integer member is
 * added or the intset grows past the limit. Conversion costs O(N) once.
 *
 * The first half of the file is the type API (setType*): creation, add,
 * remove, membership, size, iteration, random members, pop, conversion,
 * copy, scan and free. Only that API looks at o->encoding; the commands in
 * the second half, SORT and DEBUG go through it. An
 * iterator yields each member either as bytes and a length borrowed from
 * the table (hashtable) or as an int64_t (intset), with the encoding as the
 * return value, so commands can reply without formatting or copying when
 * they do not need a string.
 *
 * Commands: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER
 * SMOVE SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE
 * SSCAN. Replies that are sets of members (SMEMBERS, SINTER, SUNION, SDIFF,
 * SPOP with a count) are RESP3 sets; SRANDMEMBER with a count may repeat
 * members, so it is an array. A set never stays empty in the keyspace: the
 * command that removes its last member deletes the key, and the *STORE
 * commands delete the destination when their result is empty.
 *
 * Every write calls signalModifiedKey and bumps server.dirty.
 */
#include "server.h"
#include "notify.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "intset.h"
#include "t_set_table.h"

/* ================================================================ type API */

static int setTypeRemoveBuf(robj *set, const char *value, size_t len);
static int setTypeIsMemberBuf(robj *set, const char *value, size_t len);

/* 1 and *v when s is the canonical decimal form of a 64-bit integer (the
 * only strings an intset may hold, so that members read back unchanged). */
static int sdsAsInt64(sds s, int64_t *v) {
    long long ll;
    if (!string2ll(s, sdslen(s), &ll)) return 0;
    *v = ll;
    return 1;
}

/* An empty hashtable-encoded set. The caller owns it. */
robj *createSetObject(void) {
    robj *o = createObject(OBJ_SET, setTableCreate());
    o->encoding = OBJ_ENCODING_HT;
    return o;
}

/* An empty intset-encoded set. The caller owns it. */
robj *createIntsetObject(void) {
    robj *o = createObject(OBJ_SET, intsetNew());
    o->encoding = OBJ_ENCODING_INTSET;
    return o;
}

/* An empty set suited to hold `value` as its first member: an intset when
 * value is an integer, a hash table otherwise. value is borrowed. */
robj *setTypeCreate(sds value) {
    int64_t ll;
    return sdsAsInt64(value, &ll) ? createIntsetObject() : createSetObject();
}

/* Frees the payload of a set whose last reference is dropped (object.c's
 * decrRefCount calls this; the robj itself is freed there). */
void freeSetObject(robj *o) {
    switch (o->encoding) {
    case OBJ_ENCODING_HT: setTableRelease(o->ptr); break;
    case OBJ_ENCODING_INTSET: zfree(o->ptr); break;
    default: serverPanic("Unknown set encoding");
    }
}

/* Converts an intset-encoded set to `enc` (only OBJ_ENCODING_HT exists as
 * a target). The table is sized for every member up front. */
void setTypeConvert(robj *setobj, int enc) {
    serverAssert(setobj->type == OBJ_SET && setobj->encoding == OBJ_ENCODING_INTSET);
    if (enc != OBJ_ENCODING_HT) serverPanic("Unsupported set conversion");
    intset *is = setobj->ptr;
    setTable *t = setTableCreate();
    setTableExpand(t, intsetLen(is));
    int64_t v;
    for (uint32_t j = 0; intsetGet(is, j, &v); j++) {
        char buf[LONG_STR_SIZE];
        int ret = setTableAdd(t, buf, (size_t)ll2string(buf, sizeof(buf), v));
        serverAssert(ret == 1);
    }
    zfree(is);
    setobj->ptr = t;
    setobj->encoding = OBJ_ENCODING_HT;
}

/* Adds integer ll to an intset-encoded set, converting it to a hash table
 * when it grows past set-max-intset-entries. 1 if added. */
static int intsetSetAdd(robj *set, int64_t ll) {
    uint8_t added = 0;
    set->ptr = intsetAdd(set->ptr, ll, &added);
    if (added) {
        size_t len = intsetLen(set->ptr);
        /* The second bound only keeps the 32-bit length field safe. */
        if (len > server.encoding.set_max_intset_entries || len >= UINT32_MAX - 1) setTypeConvert(set, OBJ_ENCODING_HT);
    }
    return added;
}

/* Adds value (borrowed; copied when stored). Returns 1 if it was added, 0
 * if it was already a member. May convert the set to a hash table. */
int setTypeAdd(robj *set, sds value) {
    return setTypeAddBuf(set, value, sdslen(value));
}

/* setTypeAdd for a member given as bytes (borrowed, copied when stored). */
int setTypeAddBuf(robj *set, const char *value, size_t len) {
    if (set->encoding == OBJ_ENCODING_HT) return setTableAdd(set->ptr, value, len);
    if (set->encoding != OBJ_ENCODING_INTSET) serverPanic("Unknown set encoding");
    long long ll;
    if (string2ll(value, len, &ll)) return intsetSetAdd(set, ll);
    setTypeConvert(set, OBJ_ENCODING_HT);
    return setTableAdd(set->ptr, value, len);
}

/* Removes value (borrowed). Returns 1 if it was a member. */
int setTypeRemove(robj *set, sds value) {
    return setTypeRemoveBuf(set, value, sdslen(value));
}

/* setTypeRemove for a member given as bytes (borrowed). */
static int setTypeRemoveBuf(robj *set, const char *value, size_t len) {
    if (set->encoding == OBJ_ENCODING_HT) return setTableDelete(set->ptr, value, len);
    if (set->encoding != OBJ_ENCODING_INTSET) serverPanic("Unknown set encoding");
    long long ll;
    int removed = 0;
    if (string2ll(value, len, &ll)) set->ptr = intsetRemove(set->ptr, ll, &removed);
    return removed;
}

/* 1 if value (borrowed) is a member. */
int setTypeIsMember(robj *set, sds value) {
    return setTypeIsMemberBuf(set, value, sdslen(value));
}

/* setTypeIsMember for a member given as bytes (borrowed). */
static int setTypeIsMemberBuf(robj *set, const char *value, size_t len) {
    if (set->encoding == OBJ_ENCODING_HT) return setTableContains(set->ptr, value, len);
    if (set->encoding != OBJ_ENCODING_INTSET) serverPanic("Unknown set encoding");
    long long ll;
    return string2ll(value, len, &ll) && intsetFind(set->ptr, ll);
}

/* Number of members. */
unsigned long setTypeSize(const robj *set) {
    if (set->encoding == OBJ_ENCODING_HT) return setTableSize(set->ptr);
    if (set->encoding == OBJ_ENCODING_INTSET) return intsetLen(set->ptr);
    serverPanic("Unknown set encoding");
}

/* Starts an iteration over set. The set must not change until
 * setTypeReleaseIterator. The caller owns the iterator. */
setTypeIterator *setTypeInitIterator(robj *set) {
    setTypeIterator *si = zmalloc(sizeof(*si));
    si->subject = set;
    si->encoding = set->encoding;
    si->ii = 0;
    if (si->encoding == OBJ_ENCODING_HT)
        setTableInitIterator(&si->ti, set->ptr);
    else if (si->encoding != OBJ_ENCODING_INTSET)
        serverPanic("Unknown set encoding");
    return si;
}

void setTypeReleaseIterator(setTypeIterator *si) {
    if (si->encoding == OBJ_ENCODING_HT) setTableResetIterator(&si->ti);
    zfree(si);
}

/* Moves to the next member. Returns -1 at the end; otherwise the encoding,
 * and the member in *str and *len (OBJ_ENCODING_HT: borrowed from the set,
 * valid while it is unchanged) or in *llele (OBJ_ENCODING_INTSET). */
int setTypeNext(setTypeIterator *si, const char **str, size_t *len, int64_t *llele) {
    if (si->encoding == OBJ_ENCODING_HT) {
        *str = setTableNext(&si->ti, len);
        if (*str == NULL) return -1;
        *llele = 0;
    } else {
        if (!intsetGet(si->subject->ptr, (uint32_t)si->ii++, llele)) return -1;
        *str = NULL;
        *len = 0;
    }
    return si->encoding;
}

/* The next member as a new sds the caller owns, or NULL at the end. For
 * callers that want strings whatever the encoding (persistence, SORT). */
sds setTypeNextObject(setTypeIterator *si) {
    const char *str;
    size_t len;
    int64_t llele;
    int enc = setTypeNext(si, &str, &len, &llele);
    if (enc == -1) return NULL;
    return enc == OBJ_ENCODING_HT ? sdsnewlen(str, len) : sdsfromlonglong(llele);
}

/* A random member of a non-empty set, in the same form as setTypeNext
 * (bytes borrowed from the set, or an integer). Returns the encoding. */
int setTypeRandomElement(robj *set, const char **str, size_t *len, int64_t *llele) {
    if (set->encoding == OBJ_ENCODING_HT) {
        *str = setTableRandom(set->ptr, len);
        *llele = 0;
    } else if (set->encoding == OBJ_ENCODING_INTSET) {
        *llele = intsetRandom(set->ptr);
        *str = NULL;
        *len = 0;
    } else {
        serverPanic("Unknown set encoding");
    }
    return set->encoding;
}

/* Removes a random member of a non-empty set and returns it as a new sds
 * the caller owns. */
sds setTypePopRandom(robj *set) {
    const char *str;
    size_t len;
    int64_t llele;
    if (setTypeRandomElement(set, &str, &len, &llele) == OBJ_ENCODING_INTSET) {
        int removed;
        set->ptr = intsetRemove(set->ptr, llele, &removed);
        return sdsfromlonglong(llele);
    }
    sds copy = sdsnewlen(str, len);
    setTableDelete(set->ptr, copy, sdslen(copy));
    return copy;
}

/* A private deep copy of set (same encoding), for COPY. The caller owns
 * it; nothing is shared with the original. */
robj *setTypeDup(robj *o) {
    serverAssert(o->type == OBJ_SET);
    if (o->encoding == OBJ_ENCODING_INTSET) {
        size_t len = intsetBlobLen(o->ptr);
        intset *is = zmalloc(len);
        memcpy(is, o->ptr, len);
        robj *copy = createObject(OBJ_SET, is);
        copy->encoding = OBJ_ENCODING_INTSET;
        return copy;
    }
    if (o->encoding != OBJ_ENCODING_HT) serverPanic("Unknown set encoding");
    robj *copy = createSetObject();
    setTableExpand(copy->ptr, setTableSize(o->ptr));
    setTableIterator it;
    setTableInitIterator(&it, o->ptr);
    const char *str;
    size_t len;
    while ((str = setTableNext(&it, &len)) != NULL) setTableAdd(copy->ptr, str, len);
    setTableResetIterator(&it);
    return copy;
}

/* Callback state of setTypeScan over a hash table. */
typedef struct setScanState {
    setScanFunction *fn;
    void *privdata;
    size_t seen;
} setScanState;

static void setScanTableCallback(void *privdata, const char *member, size_t len) {
    setScanState *st = privdata;
    st->fn(st->privdata, member, len);
    st->seen++;
}

/* One step of a cursor scan (SSCAN). Calls fn(privdata, member, len) for
 * the members of a step and returns the next cursor (0: done). An intset is
 * small by construction and is passed whole in one step whatever the
 * cursor. A hash table is walked slot by slot from cursor until about
 * `count` members were passed or ten times that many slots visited, with
 * ptScan's guarantee: every member present for the whole scan is passed
 * at least once. The member pointer is valid only during the call. */
unsigned long setTypeScan(robj *set, unsigned long cursor, long count, setScanFunction *fn, void *privdata) {
    if (set->encoding == OBJ_ENCODING_INTSET) {
        int64_t v;
        char buf[LONG_STR_SIZE];
        for (uint32_t j = 0; intsetGet(set->ptr, j, &v); j++) {
            int len = ll2string(buf, sizeof(buf), v);
            fn(privdata, buf, (size_t)len);
        }
        return 0;
    }
    if (set->encoding != OBJ_ENCODING_HT) serverPanic("Unknown set encoding");
    setScanState st = {fn, privdata, 0};
    long maxsteps = count > LONG_MAX / 10 ? LONG_MAX : count * 10;
    do {
        cursor = setTableScan(set->ptr, cursor, setScanTableCallback, &st);
    } while (cursor && maxsteps-- && st.seen < (size_t)count);
    return cursor;
}

/* ============================================================ helpers */

/* Replies one member as a bulk string, from either form of setTypeNext. */
static void addReplySetMember(client *c, int enc, const char *str, size_t len, int64_t llele) {
    if (enc == OBJ_ENCODING_HT)
        addReplyBulkCBuffer(c, str, len);
    else
        addReplyBulkLongLong(c, llele);
}

/* Membership of a member in either form. */
static int setTypeIsMemberAny(robj *set, int enc, const char *str, size_t len, int64_t llele) {
    if (enc == OBJ_ENCODING_INTSET) {
        if (set->encoding == OBJ_ENCODING_INTSET) return intsetFind(set->ptr, llele);
        char buf[LONG_STR_SIZE];
        return setTypeIsMemberBuf(set, buf, (size_t)ll2string(buf, sizeof(buf), llele));
    }
    return setTypeIsMemberBuf(set, str, len);
}

/* Adds a member in either form to set. Returns 1 if added. */
static int setTypeAddAny(robj *set, int enc, const char *str, size_t len, int64_t llele) {
    if (enc == OBJ_ENCODING_INTSET && set->encoding == OBJ_ENCODING_INTSET) return intsetSetAdd(set, llele);
    if (enc == OBJ_ENCODING_INTSET) {
        char buf[LONG_STR_SIZE];
        return setTypeAddBuf(set, buf, (size_t)ll2string(buf, sizeof(buf), llele));
    }
    return setTypeAddBuf(set, str, len);
}

/* Removes a member in either form from set. Returns 1 if removed. */
static int setTypeRemoveAny(robj *set, int enc, const char *str, size_t len, int64_t llele) {
    if (enc == OBJ_ENCODING_INTSET && set->encoding == OBJ_ENCODING_INTSET) {
        int removed = 0;
        set->ptr = intsetRemove(set->ptr, llele, &removed);
        return removed;
    }
    if (enc == OBJ_ENCODING_INTSET) {
        char buf[LONG_STR_SIZE];
        return setTypeRemoveBuf(set, buf, (size_t)ll2string(buf, sizeof(buf), llele));
    }
    return setTypeRemoveBuf(set, str, len);
}

/* Replies every member of set as a RESP3 set (an array in RESP2). */
static void addReplySetMembers(client *c, robj *set) {
    addReplySetLen(c, (long)setTypeSize(set));
    setTypeIterator *si = setTypeInitIterator(set);
    const char *str;
    size_t len;
    int64_t llele;
    int enc;
    while (!clientReplyAbandoned(c) && (enc = setTypeNext(si, &str, &len, &llele)) != -1)
        addReplySetMember(c, enc, str, len, llele);
    setTypeReleaseIterator(si);
}

/* Finishes a *STORE command: stores result (a reference the caller gives
 * up) at dstkey, or deletes dstkey when result is empty. Replies the size
 * of the result. */
static void storeSetResult(client *c, robj *dstkey, robj *result, const char *event) {
    unsigned long size = setTypeSize(result);
    if (size > 0) {
        setKey(c, c->db, dstkey, result, 0);
        notifyKeyspaceEvent(NOTIFY_SET, event, dstkey, c->db->id);
        server.dirty++;
    } else if (dbDelete(c->db, dstkey)) {
        signalModifiedKey(c, c->db, dstkey);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", dstkey, c->db->id);
        server.dirty++;
    }
    decrRefCount(result);
    addReplyLongLong(c, (long long)size);
}

/* ======================================================= commands */

/* SADD key member [member ...] */
void saddCommand(client *c) {
    dbKeyRef ref;
    robj *set = lookupKeyWriteRef(c->db, c->argv[1], &ref);
    if (checkType(c, set, OBJ_SET)) return;
    if (set == NULL) {
        set = setTypeCreate(c->argv[2]->ptr);
        dbAddRef(c->db, c->argv[1], set, &ref);
    }
    long long added = 0;
    for (int j = 2; j < c->argc; j++) added += setTypeAdd(set, c->argv[j]->ptr);
    if (added) {
        signalModifiedKey(c, c->db, c->argv[1]);
        notifyKeyspaceEvent(NOTIFY_SET, "sadd", c->argv[1], c->db->id);
        server.dirty += added;
    }
    addReplyLongLong(c, added);
}

/* SREM key member [member ...] */
void sremCommand(client *c) {
    robj *set = lookupKeyWriteOrReply(c, c->argv[1], shared.czero);
    if (set == NULL || checkType(c, set, OBJ_SET)) return;
    long long removed = 0;
    int keyremoved = 0;
    for (int j = 2; j < c->argc; j++) {
        if (!setTypeRemove(set, c->argv[j]->ptr)) continue;
        removed++;
        if (setTypeSize(set) == 0) {
            keyremoved = dbDelete(c->db, c->argv[1]);
            break;
        }
    }
    if (removed) {
        signalModifiedKey(c, c->db, c->argv[1]);
        notifyKeyspaceEvent(NOTIFY_SET, "srem", c->argv[1], c->db->id);
        if (keyremoved) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", c->argv[1], c->db->id);
        server.dirty += removed;
    }
    addReplyLongLong(c, removed);
}

/* SMOVE source destination member */
void smoveCommand(client *c) {
    robj *ele = c->argv[3];
    robj *srcset = lookupKeyWrite(c->db, c->argv[1]);
    robj *dstset = lookupKeyWrite(c->db, c->argv[2]);
    if (srcset == NULL) {
        addReply(c, shared.czero);
        return;
    }
    if (checkType(c, srcset, OBJ_SET) || checkType(c, dstset, OBJ_SET)) return;
    /* Same key: nothing moves, the reply only tells membership. */
    if (srcset == dstset) {
        addReply(c, setTypeIsMember(srcset, ele->ptr) ? shared.cone : shared.czero);
        return;
    }
    if (!setTypeRemove(srcset, ele->ptr)) {
        addReply(c, shared.czero);
        return;
    }
    notifyKeyspaceEvent(NOTIFY_SET, "srem", c->argv[1], c->db->id);
    if (setTypeSize(srcset) == 0 && dbDelete(c->db, c->argv[1])) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", c->argv[1], c->db->id);
    signalModifiedKey(c, c->db, c->argv[1]);
    server.dirty++;
    if (dstset == NULL) {
        dstset = setTypeCreate(ele->ptr);
        dbAdd(c->db, c->argv[2], dstset);
    }
    if (setTypeAdd(dstset, ele->ptr)) {
        server.dirty++;
        notifyKeyspaceEvent(NOTIFY_SET, "sadd", c->argv[2], c->db->id);
    }
    signalModifiedKey(c, c->db, c->argv[2]);
    addReply(c, shared.cone);
}

/* SISMEMBER key member */
void sismemberCommand(client *c) {
    robj *set = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (set == NULL || checkType(c, set, OBJ_SET)) return;
    addReply(c, setTypeIsMember(set, c->argv[2]->ptr) ? shared.cone : shared.czero);
}

/* SMISMEMBER key member [member ...]: 1 or 0 per member. */
void smismemberCommand(client *c) {
    robj *set = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, set, OBJ_SET)) return;
    addReplyArrayLen(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++)
        addReply(c, set && setTypeIsMember(set, c->argv[j]->ptr) ? shared.cone : shared.czero);
}

/* SCARD key */
void scardCommand(client *c) {
    robj *set = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (set == NULL || checkType(c, set, OBJ_SET)) return;
    addReplyLongLong(c, (long long)setTypeSize(set));
}

/* SMEMBERS key */
void smembersCommand(client *c) {
    robj *set = lookupKeyReadOrReply(c, c->argv[1], shared.emptyset[c->resp]);
    if (set == NULL || checkType(c, set, OBJ_SET)) return;
    addReplySetMembers(c, set);
}

/* ---------------------------------------------------------- SPOP */

/* SPOP is random, so it is propagated as what it did: SREM key member for
 * each popped member, DEL key when the whole set went. */
static void propagateSrem(client *c, robj *key, const char *member, size_t len) {
    robj *argv[3] = {propw.srem, key, createStringObject(member, len)};
    alsoPropagate(c->db->id, argv, 3);
    decrRefCount(argv[2]);
}

/* SPOP key count: pops up to count distinct random members (count > 0
 * checked by the caller) and replies them as a set. */
static void spopWithCountCommand(client *c) {
    long count;
    if (getPositiveLongFromObjectOrReply(c, c->argv[2], &count, NULL) != C_OK) return;
    robj *set = lookupKeyWriteOrReply(c, c->argv[1], shared.emptyset[c->resp]);
    if (set == NULL || checkType(c, set, OBJ_SET)) return;
    if (count == 0) {
        addReply(c, shared.emptyset[c->resp]);
        return;
    }
    unsigned long size = setTypeSize(set);
    robj *key = c->argv[1];
    notifyKeyspaceEvent(NOTIFY_SET, "spop", key, c->db->id);

    /* Everything goes: reply the whole set and drop the key. */
    if ((unsigned long)count >= size) {
        addReplySetMembers(c, set);
        dbDelete(c->db, key);
        signalModifiedKey(c, c->db, key);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
        server.dirty++;
        rewritePropagatedCommand(c, 2, propw.del, key);
        return;
    }
    preventCommandPropagation(c);

    addReplySetLen(c, count);
    unsigned long remaining = size - (unsigned long)count;
    if (remaining * 5 > (unsigned long)count) {
        /* Few members go: pop them one by one. */
        for (long j = 0; j < count; j++) {
            sds m = setTypePopRandom(set);
            propagateSrem(c, key, m, sdslen(m));
            addReplyBulkSds(c, m);
        }
    } else {
        /* Few members stay: move the survivors to a new set (encoded for
         * its first member, as SADD would), reply what is left of the old
         * one, and store the new one in its place. */
        robj *newset = NULL;
        for (unsigned long j = 0; j < remaining; j++) {
            sds m = setTypePopRandom(set);
            if (newset == NULL) newset = setTypeCreate(m);
            setTypeAdd(newset, m);
            sdsfree(m);
        }
        setTypeIterator *si = setTypeInitIterator(set);
        const char *str;
        size_t len;
        int64_t llele;
        int enc;
        while ((enc = setTypeNext(si, &str, &len, &llele)) != -1) {
            char buf[LONG_STR_SIZE];
            if (enc == OBJ_ENCODING_INTSET)
                propagateSrem(c, key, buf, (size_t)ll2string(buf, sizeof(buf), llele));
            else
                propagateSrem(c, key, str, len);
            addReplySetMember(c, enc, str, len, llele);
        }
        setTypeReleaseIterator(si);
        dbOverwrite(c->db, key, newset);
    }
    signalModifiedKey(c, c->db, key);
    server.dirty++;
}

/* SPOP key [count] */
void spopCommand(client *c) {
    if (c->argc == 3) {
        spopWithCountCommand(c);
        return;
    }
    if (c->argc > 3) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    robj *set = lookupKeyWriteOrReply(c, c->argv[1], shared.null[c->resp]);
    if (set == NULL || checkType(c, set, OBJ_SET)) return;
    sds m = setTypePopRandom(set);
    robj *member = createStringObject(m, sdslen(m));
    rewritePropagatedCommand(c, 3, propw.srem, c->argv[1], member);
    decrRefCount(member);
    addReplyBulkSds(c, m);
    notifyKeyspaceEvent(NOTIFY_SET, "spop", c->argv[1], c->db->id);
    if (setTypeSize(set) == 0 && dbDelete(c->db, c->argv[1])) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", c->argv[1], c->db->id);
    signalModifiedKey(c, c->db, c->argv[1]);
    server.dirty++;
}

/* ---------------------------------------------------- SRANDMEMBER */

/* Distinct random members when count is a large part of the set: all the
 * members in an array, then a partial Fisher-Yates shuffle picks count. */
static void srandmemberShuffle(client *c, robj *set, unsigned long count) {
    unsigned long size = setTypeSize(set);
    sds *members = zmalloc(sizeof(sds) * size);
    setTypeIterator *si = setTypeInitIterator(set);
    unsigned long n = 0;
    sds m;
    while ((m = setTypeNextObject(si)) != NULL) members[n++] = m;
    setTypeReleaseIterator(si);
    addReplyArrayLen(c, (long)count);
    for (unsigned long j = 0; j < count && !clientReplyAbandoned(c); j++) {
        unsigned long pick = j + (unsigned long)random() % (size - j);
        sds tmp = members[j];
        members[j] = members[pick];
        members[pick] = tmp;
        addReplyBulkCBuffer(c, members[j], sdslen(members[j]));
    }
    for (unsigned long j = 0; j < size; j++) sdsfree(members[j]);
    zfree(members);
}

/* Distinct random members when count is small against the set: draw at
 * random, keeping a table of those already drawn. */
static void srandmemberSample(client *c, robj *set, unsigned long count) {
    setTable *picked = setTableCreate();
    setTableExpand(picked, count);
    addReplyArrayLen(c, (long)count);
    while (setTableSize(picked) < count && !clientReplyAbandoned(c)) {
        const char *str;
        size_t len;
        int64_t llele;
        char buf[LONG_STR_SIZE];
        if (setTypeRandomElement(set, &str, &len, &llele) == OBJ_ENCODING_INTSET) {
            len = (size_t)ll2string(buf, sizeof(buf), llele);
            str = buf;
        }
        if (setTableAdd(picked, str, len)) addReplyBulkCBuffer(c, str, len);
    }
    setTableRelease(picked);
}

/* SRANDMEMBER key count: count > 0 gives up to count distinct members,
 * count < 0 gives exactly -count members that may repeat. */
static void srandmemberWithCountCommand(client *c) {
    long l;
    if (getLongFromObjectOrReply(c, c->argv[2], &l, NULL) != C_OK) return;
    if (l == LONG_MIN) {
        addReplyErrorFormat(c, "value is out of range, value must between %ld and %ld", -LONG_MAX, LONG_MAX);
        return;
    }
    int distinct = l >= 0;
    unsigned long count = (unsigned long)(l >= 0 ? l : -l);
    robj *set = lookupKeyReadOrReply(c, c->argv[1], shared.emptyarray);
    if (set == NULL || checkType(c, set, OBJ_SET)) return;
    if (count == 0) {
        addReply(c, shared.emptyarray);
        return;
    }
    unsigned long size = setTypeSize(set);
    if (!distinct) {
        addReplyArrayLen(c, (long)count);
        for (unsigned long j = 0; j < count && !clientReplyAbandoned(c); j++) {
            const char *str;
            size_t len;
            int64_t llele;
            int enc = setTypeRandomElement(set, &str, &len, &llele);
            addReplySetMember(c, enc, str, len, llele);
        }
        return;
    }
    if (count >= size) {
        /* The whole set, as an array (the reply type of this command). */
        addReplyArrayLen(c, (long)size);
        setTypeIterator *si = setTypeInitIterator(set);
        const char *str;
        size_t len;
        int64_t llele;
        int enc;
        while (!clientReplyAbandoned(c) && (enc = setTypeNext(si, &str, &len, &llele)) != -1)
            addReplySetMember(c, enc, str, len, llele);
        setTypeReleaseIterator(si);
        return;
    }
    if (count * 3 > size)
        srandmemberShuffle(c, set, count);
    else
        srandmemberSample(c, set, count);
}

/* SRANDMEMBER key [count] */
void srandmemberCommand(client *c) {
    if (c->argc == 3) {
        srandmemberWithCountCommand(c);
        return;
    }
    if (c->argc > 3) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    robj *set = lookupKeyReadOrReply(c, c->argv[1], shared.null[c->resp]);
    if (set == NULL || checkType(c, set, OBJ_SET)) return;
    const char *str;
    size_t len;
    int64_t llele;
    int enc = setTypeRandomElement(set, &str, &len, &llele);
    addReplySetMember(c, enc, str, len, llele);
}

/* ------------------------------------------- SINTER and friends */

/* Looks up the sets named by keys[0..n) into sets[] (NULL when missing).
 * The inputs are read even by the STORE forms, as in Redis 7.0: they count
 * in keyspace_hits/misses and a missing one announces "keymiss". Returns
 * how many are missing, or -1 after replying WRONGTYPE when any key holds
 * another type (every key is checked, even after a missing one). */
static int lookupSets(client *c, robj **keys, int n, robj **sets) {
    int missing = 0;
    for (int j = 0; j < n; j++) {
        robj *o = lookupKeyRead(c->db, keys[j]);
        if (o == NULL) {
            sets[j] = NULL;
            missing++;
            continue;
        }
        if (checkType(c, o, OBJ_SET)) return -1;
        sets[j] = o;
    }
    return missing;
}

static int compareSetsBySize(const void *a, const void *b) {
    unsigned long x = setTypeSize(*(robj *const *)a), y = setTypeSize(*(robj *const *)b);
    return x < y ? -1 : x > y;
}

/* What an intersection does with its result. */
#define SINTER_REPLY 0 /* reply the members as a set */
#define SINTER_CARD 1  /* reply how many (up to limit, 0 = no limit) */
#define SINTER_STORE 2 /* store at dstkey, reply the size */

/* The body of SINTER, SINTERCARD and SINTERSTORE over keys[0..n). Walks
 * the smallest set and keeps the members found in every other one. */
static void sinterGeneric(client *c, robj **keys, int n, robj *dstkey, int mode, long limit) {
    robj **sets = zmalloc(sizeof(robj *) * n);
    int missing = lookupSets(c, keys, n, sets);
    if (missing != 0) {
        if (missing > 0) {
            if (mode == SINTER_STORE) {
                if (dbDelete(c->db, dstkey)) {
                    signalModifiedKey(c, c->db, dstkey);
                    notifyKeyspaceEvent(NOTIFY_GENERIC, "del", dstkey, c->db->id);
                    server.dirty++;
                }
                addReply(c, shared.czero);
            } else if (mode == SINTER_CARD) {
                addReply(c, shared.czero);
            } else {
                addReply(c, shared.emptyset[c->resp]);
            }
        }
        zfree(sets);
        return;
    }
    qsort(sets, (size_t)n, sizeof(robj *), compareSetsBySize);

    robj *result = mode == SINTER_STORE ? createIntsetObject() : NULL;
    void *lenptr = mode == SINTER_REPLY ? addReplyDeferredLen(c) : NULL;
    long found = 0;
    setTypeIterator *si = setTypeInitIterator(sets[0]);
    const char *str;
    size_t len;
    int64_t llele;
    int enc;
    while ((enc = setTypeNext(si, &str, &len, &llele)) != -1) {
        int j;
        for (j = 1; j < n; j++) {
            if (sets[j] == sets[0]) continue;
            if (!setTypeIsMemberAny(sets[j], enc, str, len, llele)) break;
        }
        if (j < n) continue;
        found++;
        if (mode == SINTER_REPLY) {
            addReplySetMember(c, enc, str, len, llele);
            if (clientReplyAbandoned(c)) break;
        } else if (mode == SINTER_STORE) {
            setTypeAddAny(result, enc, str, len, llele);
        } else if (limit && found >= limit) {
            break;
        }
    }
    setTypeReleaseIterator(si);
    zfree(sets);

    if (mode == SINTER_REPLY)
        setDeferredSetLen(c, lenptr, found);
    else if (mode == SINTER_CARD)
        addReplyLongLong(c, found);
    else
        storeSetResult(c, dstkey, result, "sinterstore");
}

/* SINTER key [key ...] */
void sinterCommand(client *c) {
    sinterGeneric(c, c->argv + 1, c->argc - 1, NULL, SINTER_REPLY, 0);
}

/* SINTERSTORE destination key [key ...] */
void sinterstoreCommand(client *c) {
    sinterGeneric(c, c->argv + 2, c->argc - 2, c->argv[1], SINTER_STORE, 0);
}

/* SINTERCARD numkeys key [key ...] [LIMIT limit] */
void sintercardCommand(client *c) {
    long numkeys, limit = 0;
    if (getRangeLongFromObjectOrReply(c, c->argv[1], 1, LONG_MAX, &numkeys, "numkeys should be greater than 0") !=
        C_OK)
        return;
    if (numkeys > c->argc - 2) {
        addReplyError(c, "Number of keys can't be greater than number of args");
        return;
    }
    for (int j = 2 + (int)numkeys; j < c->argc; j++) {
        if (!strcasecmp(c->argv[j]->ptr, "limit") && j + 1 < c->argc) {
            if (getPositiveLongFromObjectOrReply(c, c->argv[++j], &limit, "LIMIT can't be negative") != C_OK) return;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
    }
    sinterGeneric(c, c->argv + 2, (int)numkeys, NULL, SINTER_CARD, limit);
}

/* ------------------------------------------ SUNION and SDIFF */

#define SETOP_UNION 0
#define SETOP_DIFF 1

/* Adds every member of src to dst. */
static void setUnionInto(robj *dst, robj *src) {
    setTypeIterator *si = setTypeInitIterator(src);
    const char *str;
    size_t len;
    int64_t llele;
    int enc;
    while ((enc = setTypeNext(si, &str, &len, &llele)) != -1) setTypeAddAny(dst, enc, str, len, llele);
    setTypeReleaseIterator(si);
}

/* The difference sets[0] - sets[1..n) as a new set. Two ways: test each
 * member of the first set against every other set (cost about |first| *
 * n), or copy the first set and remove the members of the others (cost
 * about the sum of the sizes); the cheaper one is chosen. */
static robj *setDifference(robj **sets, int n) {
    robj *result = createIntsetObject();
    if (sets[0] == NULL) return result;
    unsigned long long probe = setTypeSize(sets[0]) * (unsigned long long)(n > 1 ? n - 1 : 1);
    unsigned long long copy = 0;
    for (int j = 0; j < n; j++)
        if (sets[j]) copy += setTypeSize(sets[j]);
    for (int j = 1; j < n; j++) {
        if (sets[j] == sets[0]) return result; /* X - X is empty */
    }
    if (probe / 2 <= copy) {
            setTypeIterator *si = setTypeInitIterator(sets[0]);
        const char *str;
        size_t len;
        int64_t llele;
        int enc;
        while ((enc = setTypeNext(si, &str, &len, &llele)) != -1) {
            int j;
            for (j = 1; j < n; j++)
                if (sets[j] && setTypeIsMemberAny(sets[j], enc, str, len, llele)) break;
            if (j == n) setTypeAddAny(result, enc, str, len, llele);
        }
        setTypeReleaseIterator(si);
            return result;
    }
    setUnionInto(result, sets[0]);
    for (int j = 1; j < n && setTypeSize(result) > 0; j++) {
        if (sets[j] == NULL) continue;
        setTypeIterator *si = setTypeInitIterator(sets[j]);
        const char *str;
        size_t len;
        int64_t llele;
        int enc;
        while ((enc = setTypeNext(si, &str, &len, &llele)) != -1) setTypeRemoveAny(result, enc, str, len, llele);
        setTypeReleaseIterator(si);
    }
    return result;
}

/* The body of SUNION, SDIFF and their STORE forms over keys[0..n). Missing
 * keys count as empty sets. */
static void sunionDiffGeneric(client *c, robj **keys, int n, robj *dstkey, int op) {
    robj **sets = zmalloc(sizeof(robj *) * n);
    if (lookupSets(c, keys, n, sets) < 0) {
        zfree(sets);
        return;
    }
    robj *result;
    if (op == SETOP_UNION) {
        result = createIntsetObject();
        for (int j = 0; j < n; j++)
            if (sets[j]) setUnionInto(result, sets[j]);
    } else {
        result = setDifference(sets, n);
    }
    zfree(sets);
    if (dstkey) {
        storeSetResult(c, dstkey, result, op == SETOP_UNION ? "sunionstore" : "sdiffstore");
        return;
    }
    addReplySetMembers(c, result);
    decrRefCount(result);
}

/* SUNION key [key ...] */
void sunionCommand(client *c) {
    sunionDiffGeneric(c, c->argv + 1, c->argc - 1, NULL, SETOP_UNION);
}

/* SUNIONSTORE destination key [key ...] */
void sunionstoreCommand(client *c) {
    sunionDiffGeneric(c, c->argv + 2, c->argc - 2, c->argv[1], SETOP_UNION);
}

/* SDIFF key [key ...] */
void sdiffCommand(client *c) {
    sunionDiffGeneric(c, c->argv + 1, c->argc - 1, NULL, SETOP_DIFF);
}

/* SDIFFSTORE destination key [key ...] */
void sdiffstoreCommand(client *c) {
    sunionDiffGeneric(c, c->argv + 2, c->argc - 2, c->argv[1], SETOP_DIFF);
}

/* ------------------------------------------------------------ SSCAN */

/* SSCAN key cursor [MATCH pattern] [COUNT count] (db.c's SCAN code, with
 * setTypeScan as the walk). */
void sscanCommand(client *c) {
    scanCollectionCommand(c, OBJ_SET);
}
