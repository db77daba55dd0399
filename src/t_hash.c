/* t_hash.c — the hash type and its commands.
 *
 * A hash value is a robj of type OBJ_HASH in one of two encodings, chosen
 * as Redis 7.0 chooses them so that OBJECT ENCODING answers the same:
 *
 *   listpack   a listpack.c buffer of field, value, field, value ... in
 *              insertion order. Used while the hash has at most
 *              hash-max-listpack-entries fields and no field or value is
 *              longer than hash-max-listpack-value bytes. Lookups are linear,
 *              which is cheap at these sizes and saves most of the memory.
 *   hashtable  a ptable (src/lib/ptable.h) of entries, one allocation per
 *              field holding the field and its value (t_hash_entry.h),
 *              keyed by the seeded siphash of the field. Replies, SCAN and
 *              random picks read the strings in the entries; an update of
 *              a value of the same length is written in place, another
 *              reallocates the entry and puts its new address in its slot.
 *              The table shrinks when deletions leave it sparse.
 *
 * A hash is created as a listpack and converted once, never back, when a
 * write would break one of the two limits: commands that take fields and
 * values from the command line check the argument lengths before writing
 * (hashTypeTryConversion), and hashTypeSet checks the strings it is given
 * (HINCRBY and HINCRBYFLOAT produce values of their own) and the field
 * count after an insertion.
 *
 * The first half of the file is the type API (hashType*): creation, get,
 * set, delete, length, iteration, conversion, copy, random fields, scan and
 * free. Only that API looks at o->encoding; the commands in the second
 * half, SORT and DEBUG go through it. A value read from a listpack
 * may be an integer (the listpack stores canonical decimal strings as
 * integers); the API hands it back either as (pointer, length) or as a long
 * long, and the reply code formats it without building an sds.
 *
 * Commands: HSET HMSET HSETNX HGET HMGET HDEL HLEN HSTRLEN HEXISTS HKEYS
 * HVALS HGETALL HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN (through db.c's
 * scanCollectionCommand, which calls hashTypeScan). HGETALL is a map in RESP3;
 * HRANDFIELD WITHVALUES is a list of [field, value] pairs in RESP3 and a
 * flat list in RESP2. A hash never stays empty in the keyspace: HDEL
 * deletes the key with its last field.
 *
 * Every write calls signalModifiedKey and bumps server.dirty.
 */
#include "server.h"
#include "notify.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "listpack.h"

/* ================================================================ type API */

static void freeEntryCallback(void *e) {
    hashEntryFree(e);
}

/* The entry of field in a hashtable-encoded hash (hash: its hash), or NULL. */
static hashEntry *findEntry(robj *o, uint64_t hash, sds field) {
    return ptFind(o->ptr, hash, field);
}

/* An empty table for a hashtable-encoded hash. */
static ptable *createHashTable(void) {
    return ptCreate(&hashEntryTableType);
}

/* An empty listpack-encoded hash. The caller owns it. */
robj *createHashObject(void) {
    robj *o = createObject(OBJ_HASH, lpNew(0));
    o->encoding = OBJ_ENCODING_LISTPACK;
    return o;
}

/* Frees the value of a hash object (decrRefCount calls it). */
void freeHashObject(robj *o) {
    switch (o->encoding) {
    case OBJ_ENCODING_LISTPACK: lpFree(o->ptr); break;
    case OBJ_ENCODING_HT: ptRelease(o->ptr, freeEntryCallback); break;
    default: serverPanic("Unknown hash encoding");
    }
}

/* Number of fields. */
unsigned long hashTypeLength(const robj *o) {
    switch (o->encoding) {
    case OBJ_ENCODING_LISTPACK: return lpLength(o->ptr) / 2;
    case OBJ_ENCODING_HT: return ptSize((const ptable *)o->ptr);
    default: serverPanic("Unknown hash encoding");
    }
}

/* The listpack entry holding the value of field, or NULL. */
static unsigned char *hashListpackFindValue(robj *o, sds field) {
    unsigned char *lp = o->ptr;
    unsigned char *fptr = lpFirst(lp);
    if (fptr == NULL) return NULL;
    fptr = lpFind(lp, fptr, (unsigned char *)field, (uint32_t)sdslen(field), 1);
    if (fptr == NULL) return NULL;
    unsigned char *vptr = lpNext(lp, fptr);
    serverAssert(vptr != NULL);
    return vptr;
}

/* Reads the value of field. C_OK and either *vstr and *vlen (a string, valid
 * until the hash is modified) or, with *vstr NULL, *vll (an integer from a
 * listpack); C_ERR if the field does not exist. */
int hashTypeGetValue(robj *o, sds field, unsigned char **vstr, unsigned int *vlen, long long *vll) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *vptr = hashListpackFindValue(o, field);
        if (vptr == NULL) return C_ERR;
        *vstr = lpGetValue(vptr, vlen, vll);
        return C_OK;
    }
    if (o->encoding == OBJ_ENCODING_HT) {
        hashEntry *e = findEntry(o, hashEntryKeyHash(field, sdslen(field)), field);
        if (e == NULL) return C_ERR;
        size_t len;
        *vstr = (unsigned char *)(uintptr_t)hashEntryValue(e, &len);
        *vlen = (unsigned int)len;
        return C_OK;
    }
    serverPanic("Unknown hash encoding");
}

/* The value of field as a new string object, or NULL. The caller owns it. */
robj *hashTypeGetValueObject(robj *o, sds field) {
    unsigned char *vstr;
    unsigned int vlen;
    long long vll;
    if (hashTypeGetValue(o, field, &vstr, &vlen, &vll) == C_ERR) return NULL;
    if (vstr) return createStringObject((char *)vstr, vlen);
    return createStringObjectFromLongLong(vll);
}

/* Length of the value of field in bytes (integers as their decimal text),
 * 0 if the field does not exist. */
size_t hashTypeGetValueLength(robj *o, sds field) {
    unsigned char *vstr;
    unsigned int vlen;
    long long vll;
    if (hashTypeGetValue(o, field, &vstr, &vlen, &vll) == C_ERR) return 0;
    if (vstr) return vlen;
    char buf[LONG_STR_SIZE];
    return (size_t)ll2string(buf, sizeof(buf), vll);
}

/* 1 if field exists. */
int hashTypeExists(robj *o, sds field) {
    unsigned char *vstr;
    unsigned int vlen;
    long long vll;
    return hashTypeGetValue(o, field, &vstr, &vlen, &vll) == C_OK;
}

/* Converts a listpack hash to encoding enc (only OBJ_ENCODING_HT). */
void hashTypeConvert(robj *o, int enc) {
    if (o->encoding == OBJ_ENCODING_HT) {
        if (enc != OBJ_ENCODING_HT) serverPanic("Hashes are never converted back to listpacks");
        return;
    }
    if (o->encoding != OBJ_ENCODING_LISTPACK || enc != OBJ_ENCODING_HT) serverPanic("Unknown hash encoding");
    unsigned char *lp = o->ptr;
    ptable *t = createHashTable();
    ptExpand(t, hashTypeLength(o));
    hashTypeIterator hi;
    hashTypeInitIterator(&hi, o);
    while (hashTypeNext(&hi) != C_ERR) {
        sds field = hashTypeCurrentObjectNewSds(&hi, OBJ_HASH_KEY);
        sds value = hashTypeCurrentObjectNewSds(&hi, OBJ_HASH_VALUE);
        uint64_t hash = hashEntryKeyHash(field, sdslen(field));
        if (ptFind(t, hash, field)) serverPanic("Listpack corruption: duplicate field in a hash");
        ptAdd(t, hash, hashEntryNew(field, sdslen(field), value, sdslen(value)));
        sdsfree(field);
        sdsfree(value);
    }
    hashTypeReleaseIterator(&hi);
    lpFree(lp);
    o->ptr = t;
    o->encoding = OBJ_ENCODING_HT;
}

/* Before writing argv[start..end] (fields and values) into o: converts a
 * listpack hash to a hash table when one of them is longer than
 * hash-max-listpack-value, or when together they would take the listpack
 * past its safe size. */
void hashTypeTryConversion(robj *o, robj **argv, int start, int end) {
    if (o->encoding != OBJ_ENCODING_LISTPACK) return;
    size_t sum = 0;
    for (int i = start; i <= end; i++) {
        if (!sdsEncodedObject(argv[i])) continue;
        size_t len = sdslen(argv[i]->ptr);
        if (len > server.encoding.hash_max_listpack_value) {
            hashTypeConvert(o, OBJ_ENCODING_HT);
            return;
        }
        sum += len;
    }
    if (!lpSafeToAdd(o->ptr, sum)) hashTypeConvert(o, OBJ_ENCODING_HT);
}

/* Sets field to value, adding the field if needed. Returns 1 if the field
 * existed (its value was replaced), 0 if it was added. With
 * HASH_SET_TAKE_FIELD / HASH_SET_TAKE_VALUE the function takes ownership of
 * field / value (and frees them if it does not keep them); otherwise it
 * copies what it keeps. May convert the hash to a hash table. */
int hashTypeSet(robj *o, sds field, sds value, int flags) {
    int update = 0;
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        if (sdslen(field) > server.encoding.hash_max_listpack_value ||
            sdslen(value) > server.encoding.hash_max_listpack_value)
            hashTypeConvert(o, OBJ_ENCODING_HT);
    }
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *lp = o->ptr;
        unsigned char *fptr = lpFirst(lp);
        if (fptr) fptr = lpFind(lp, fptr, (unsigned char *)field, (uint32_t)sdslen(field), 1);
        if (fptr) {
            unsigned char *vptr = lpNext(lp, fptr);
            serverAssert(vptr != NULL);
            lp = lpReplace(lp, &vptr, (unsigned char *)value, (uint32_t)sdslen(value));
            update = 1;
        } else {
            lp = lpAppend(lp, (unsigned char *)field, (uint32_t)sdslen(field));
            lp = lpAppend(lp, (unsigned char *)value, (uint32_t)sdslen(value));
        }
        o->ptr = lp;
        if (!update && hashTypeLength(o) > server.encoding.hash_max_listpack_entries)
            hashTypeConvert(o, OBJ_ENCODING_HT);
        if (flags & HASH_SET_TAKE_FIELD) sdsfree(field);
        if (flags & HASH_SET_TAKE_VALUE) sdsfree(value);
        return update;
    }
    if (o->encoding != OBJ_ENCODING_HT) serverPanic("Unknown hash encoding");
    ptable *t = o->ptr;
    uint64_t hash = hashEntryKeyHash(field, sdslen(field));
    hashEntry *e = findEntry(o, hash, field);
    if (e) {
        uintptr_t old = (uintptr_t)e;
        e = hashEntrySetValue(e, value, sdslen(value));
        if ((uintptr_t)e != old) serverAssert(ptReplace(t, hash, (void *)old, e));
        update = 1;
    } else {
        ptAdd(t, hash, hashEntryNew(field, sdslen(field), value, sdslen(value)));
    }
    if (flags & HASH_SET_TAKE_FIELD) sdsfree(field);
    if (flags & HASH_SET_TAKE_VALUE) sdsfree(value);
    return update;
}

/* Removes field. Returns 1 if it existed. The caller deletes the key when
 * the hash becomes empty. */
int hashTypeDelete(robj *o, sds field) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *lp = o->ptr;
        unsigned char *fptr = lpFirst(lp);
        if (fptr) fptr = lpFind(lp, fptr, (unsigned char *)field, (uint32_t)sdslen(field), 1);
        if (fptr == NULL) return 0;
        o->ptr = lpDeleteRangeWithEntry(lp, &fptr, 2);
        return 1;
    }
    if (o->encoding == OBJ_ENCODING_HT) {
        hashEntry *e = ptDelete(o->ptr, hashEntryKeyHash(field, sdslen(field)), field);
        if (e == NULL) return 0;
        hashEntryFree(e);
        ptShrinkIfSparse(o->ptr);
        return 1;
    }
    serverPanic("Unknown hash encoding");
}

/* Starts an iteration over o (no allocation; hi lives with the caller).
 * The hash must not be modified until hashTypeReleaseIterator. */
void hashTypeInitIterator(hashTypeIterator *hi, robj *subject) {
    hi->subject = subject;
    hi->encoding = subject->encoding;
    hi->fptr = hi->vptr = NULL;
    hi->entry = NULL;
    if (hi->encoding == OBJ_ENCODING_HT)
        ptInitIterator(&hi->pi, subject->ptr);
    else if (hi->encoding != OBJ_ENCODING_LISTPACK)
        serverPanic("Unknown hash encoding");
}

void hashTypeReleaseIterator(hashTypeIterator *hi) {
    if (hi->encoding == OBJ_ENCODING_HT) ptResetIterator(&hi->pi);
}

/* Moves to the next field. C_OK, or C_ERR when there is none. */
int hashTypeNext(hashTypeIterator *hi) {
    if (hi->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *lp = hi->subject->ptr;
        unsigned char *fptr = hi->fptr == NULL ? lpFirst(lp) : lpNext(lp, hi->vptr);
        if (fptr == NULL) return C_ERR;
        unsigned char *vptr = lpNext(lp, fptr);
        serverAssert(vptr != NULL);
        hi->fptr = fptr;
        hi->vptr = vptr;
        return C_OK;
    }
    hi->entry = ptNext(&hi->pi);
    return hi->entry ? C_OK : C_ERR;
}

/* The current field (what == OBJ_HASH_KEY) or value (OBJ_HASH_VALUE): a
 * string in *vstr and *vlen (valid until the hash changes) or, with *vstr NULL,
 * an integer in *vll. */
void hashTypeCurrentObject(hashTypeIterator *hi, int what, unsigned char **vstr, unsigned int *vlen, long long *vll) {
    if (hi->encoding == OBJ_ENCODING_LISTPACK) {
        *vstr = lpGetValue(what == OBJ_HASH_KEY ? hi->fptr : hi->vptr, vlen, vll);
        return;
    }
    size_t len;
    const char *s = what == OBJ_HASH_KEY ? hashEntryField(hi->entry, &len) : hashEntryValue(hi->entry, &len);
    *vstr = (unsigned char *)(uintptr_t)s;
    *vlen = (unsigned int)len;
}

/* The current field or value as a new sds. The caller owns it. */
sds hashTypeCurrentObjectNewSds(hashTypeIterator *hi, int what) {
    unsigned char *vstr;
    unsigned int vlen;
    long long vll;
    hashTypeCurrentObject(hi, what, &vstr, &vlen, &vll);
    if (vstr) return sdsnewlen(vstr, vlen);
    return sdsfromlonglong(vll);
}

/* The hash stored at key, created empty (and added to the keyspace) if
 * missing. NULL after replying WRONGTYPE. Borrowed from the keyspace. */
robj *hashTypeLookupWriteOrCreate(client *c, robj *key) {
    dbKeyRef ref;
    robj *o = lookupKeyWriteRef(c->db, key, &ref);
    if (checkType(c, o, OBJ_HASH)) return NULL;
    if (o == NULL) {
        o = createHashObject();
        dbAddRef(c->db, key, o, &ref);
    }
    return o;
}

/* A private deep copy of o with the same encoding (COPY). The caller owns it. */
robj *hashTypeDup(robj *o) {
    robj *copy;
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        size_t n = lpBytes(o->ptr);
        unsigned char *lp = zmalloc(n);
        memcpy(lp, o->ptr, n);
        copy = createObject(OBJ_HASH, lp);
        copy->encoding = OBJ_ENCODING_LISTPACK;
        return copy;
    }
    if (o->encoding != OBJ_ENCODING_HT) serverPanic("Unknown hash encoding");
    ptable *t = createHashTable();
    ptExpand(t, hashTypeLength(o));
    ptIterator it;
    ptInitIterator(&it, o->ptr);
    hashEntry *e;
    while ((e = ptNext(&it)) != NULL) ptAdd(t, hashEntryHash(e), hashEntryDup(e));
    ptResetIterator(&it);
    copy = createObject(OBJ_HASH, t);
    copy->encoding = OBJ_ENCODING_HT;
    return copy;
}

/* Fills keys[i] and (when vals is not NULL) vals[i] with the strings of
 * entry e (borrowed). */
static void pairFromEntry(const hashEntry *e, listpackEntry *keys, listpackEntry *vals, unsigned long i) {
    size_t len;
    keys[i].sval = (unsigned char *)(uintptr_t)hashEntryField(e, &len);
    keys[i].slen = (uint32_t)len;
    keys[i].lval = 0;
    if (vals == NULL) return;
    vals[i].sval = (unsigned char *)(uintptr_t)hashEntryValue(e, &len);
    vals[i].slen = (uint32_t)len;
    vals[i].lval = 0;
}

/* count random pairs, repetitions allowed, into keys[] and (if not NULL)
 * vals[]. The entries point into the hash (valid until it changes). The
 * hash must not be empty. */
void hashTypeRandomPairs(robj *o, unsigned int count, listpackEntry *keys, listpackEntry *vals) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        if (count == 1)
            lpRandomPair(o->ptr, hashTypeLength(o), keys, vals);
        else
            lpRandomPairs(o->ptr, count, keys, vals);
        return;
    }
    if (o->encoding != OBJ_ENCODING_HT) serverPanic("Unknown hash encoding");
    for (unsigned int i = 0; i < count; i++) pairFromEntry(ptRandom(o->ptr), keys, vals, i);
}

/* With count * this > size, a hash table is sampled by copying it and
 * removing random fields, instead of drawing until enough distinct ones
 * were seen. */
#define HASH_RANDOM_SUB_STRATEGY_MUL 3

/* Up to count distinct random pairs into keys[] / vals[] (vals may be
 * NULL); returns how many (min(count, length)). Entries point into the
 * hash. */
unsigned long hashTypeRandomPairsUnique(robj *o, unsigned long count, listpackEntry *keys, listpackEntry *vals) {
    unsigned long size = hashTypeLength(o);
    if (count > size) count = size;
    if (o->encoding == OBJ_ENCODING_LISTPACK) return lpRandomPairsUnique(o->ptr, (unsigned int)count, keys, vals);
    if (o->encoding != OBJ_ENCODING_HT) serverPanic("Unknown hash encoding");
    /* A table of borrowed entries: the copy to remove from, or the picks. */
    ptable *picked = ptCreate(&hashEntrySetTableType);
    unsigned long n = 0;
    hashEntry *e;
    ptIterator it;
    if (count * HASH_RANDOM_SUB_STRATEGY_MUL > size) {
        ptExpand(picked, size);
        ptInitIterator(&it, o->ptr);
        while ((e = ptNext(&it)) != NULL) ptAdd(picked, hashEntryHash(e), e);
        ptResetIterator(&it);
        for (; size > count; size--) {
            e = ptRandom(picked);
            ptDelete(picked, hashEntryHash(e), e);
        }
        ptInitIterator(&it, picked);
        while ((e = ptNext(&it)) != NULL) pairFromEntry(e, keys, vals, n++);
        ptResetIterator(&it);
    } else {
        ptExpand(picked, count);
        while (n < count) {
            e = ptRandom(o->ptr);
            uint64_t hash = hashEntryHash(e);
            if (ptFind(picked, hash, e)) continue;
            ptAdd(picked, hash, e);
            pairFromEntry(e, keys, vals, n++);
        }
    }
    ptRelease(picked, NULL);
    return n;
}

/* Callback state of hashTypeScan over a hash table. */
typedef struct hashScanState {
    hashScanFunction *fn;
    void *privdata;
    size_t strings; /* fields and values passed so far */
} hashScanState;

static void hashScanEntryCallback(void *privdata, void *elem) {
    hashScanState *st = privdata;
    size_t flen, vlen;
    const char *field = hashEntryField(elem, &flen);
    const char *value = hashEntryValue(elem, &vlen);
    st->fn(st->privdata, field, flen, value, vlen);
    st->strings += 2;
}

/* One step of a cursor scan (HSCAN). Calls fn for the field/value pairs of
 * a step and returns the next cursor (0: done). A listpack is small by
 * construction and is passed whole in one step whatever the cursor. A hash
 * table is walked from cursor until about `count` strings (fields and
 * values, as Redis counts them) were passed or ten times `count` buckets
 * were visited. The strings are valid only during the call. */
unsigned long hashTypeScan(robj *o, unsigned long cursor, long count, hashScanFunction *fn, void *privdata) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        hashTypeIterator hi;
        hashTypeInitIterator(&hi, o);
        while (hashTypeNext(&hi) != C_ERR) {
            char fbuf[LONG_STR_SIZE], vbuf[LONG_STR_SIZE];
            unsigned char *f, *v;
            unsigned int flen, vlen;
            long long fll, vll;
            hashTypeCurrentObject(&hi, OBJ_HASH_KEY, &f, &flen, &fll);
            hashTypeCurrentObject(&hi, OBJ_HASH_VALUE, &v, &vlen, &vll);
            if (!f) {
                flen = (unsigned int)ll2string(fbuf, sizeof(fbuf), fll);
                f = (unsigned char *)fbuf;
            }
            if (!v) {
                vlen = (unsigned int)ll2string(vbuf, sizeof(vbuf), vll);
                v = (unsigned char *)vbuf;
            }
            fn(privdata, (char *)f, flen, (char *)v, vlen);
        }
        hashTypeReleaseIterator(&hi);
        return 0;
    }
    if (o->encoding != OBJ_ENCODING_HT) serverPanic("Unknown hash encoding");
    hashScanState st = {fn, privdata, 0};
    long maxsteps = count > LONG_MAX / 10 ? LONG_MAX : count * 10;
    do {
        cursor = ptScan(o->ptr, cursor, hashScanEntryCallback, &st);
    } while (cursor && maxsteps-- && st.strings < (size_t)count);
    return cursor;
}

void hashTypeExpand(robj *o, unsigned long n) {
    if (o->encoding == OBJ_ENCODING_HT) ptExpand(o->ptr, n);
}

size_t hashTypeMemUsage(robj *o, size_t samples) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) return zmalloc_size(o->ptr);
    if (o->encoding != OBJ_ENCODING_HT) serverPanic("Unknown hash encoding");
    size_t measured = 0, seen = 0, total = hashTypeLength(o);
    ptIterator it;
    ptInitIterator(&it, o->ptr);
    hashEntry *e;
    while (seen < samples && (e = ptNext(&it)) != NULL) {
        measured += hashEntryMemUsage(e);
        seen++;
    }
    ptResetIterator(&it);
    size_t entries = seen ? (size_t)((double)measured / (double)seen * (double)total) : 0;
    return ptMemUsage(o->ptr) + entries;
}

/* ============================================================ helpers */

/* Replies a string-or-integer as a bulk string. */
static void addReplyHashString(client *c, unsigned char *vstr, unsigned int vlen, long long vll) {
    if (vstr)
        addReplyBulkCBuffer(c, vstr, vlen);
    else
        addReplyBulkLongLong(c, vll);
}

/* Replies the value of field in o (NULL o: missing), or null. */
static void addHashFieldToReply(client *c, robj *o, sds field) {
    unsigned char *vstr;
    unsigned int vlen;
    long long vll;
    if (o == NULL || hashTypeGetValue(o, field, &vstr, &vlen, &vll) == C_ERR) {
        addReplyNull(c);
        return;
    }
    addReplyHashString(c, vstr, vlen, vll);
}

/* Replies the current field or value of an iteration. */
static void addHashIteratorCursorToReply(client *c, hashTypeIterator *hi, int what) {
    unsigned char *vstr;
    unsigned int vlen;
    long long vll;
    hashTypeCurrentObject(hi, what, &vstr, &vlen, &vll);
    addReplyHashString(c, vstr, vlen, vll);
}

/* Marks key as changed by a command. */
static void hashKeyChanged(client *c, robj *key) {
    signalModifiedKey(c, c->db, key);
    server.dirty++;
}

/* ============================================================ commands */

/* HSET key field value [field value ...] -> number of fields added.
 * HMSET (same handler) replies OK. */
void hsetCommand(client *c) {
    if (c->argc % 2 == 1) {
        addReplyErrorArity(c);
        return;
    }
    robj *o = hashTypeLookupWriteOrCreate(c, c->argv[1]);
    if (o == NULL) return;
    hashTypeTryConversion(o, c->argv, 2, c->argc - 1);
    long long created = 0;
    for (int i = 2; i < c->argc; i += 2) created += !hashTypeSet(o, c->argv[i]->ptr, c->argv[i + 1]->ptr, HASH_SET_COPY);
    const char *name = c->argv[0]->ptr;
    if (name[1] == 's' || name[1] == 'S')
        addReplyLongLong(c, created);
    else
        addReply(c, shared.ok);
    signalModifiedKey(c, c->db, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_HASH, "hset", c->argv[1], c->db->id);
    server.dirty += (c->argc - 2) / 2;
}

/* HSETNX key field value -> 1 if set, 0 if the field existed. */
void hsetnxCommand(client *c) {
    robj *o = hashTypeLookupWriteOrCreate(c, c->argv[1]);
    if (o == NULL) return;
    if (hashTypeExists(o, c->argv[2]->ptr)) {
        addReply(c, shared.czero);
        return;
    }
    hashTypeTryConversion(o, c->argv, 2, 3);
    hashTypeSet(o, c->argv[2]->ptr, c->argv[3]->ptr, HASH_SET_COPY);
    addReply(c, shared.cone);
    hashKeyChanged(c, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_HASH, "hset", c->argv[1], c->db->id);
}

/* HGET key field */
void hgetCommand(client *c) {
    robj *o = lookupKeyReadOrReply(c, c->argv[1], shared.null[c->resp]);
    if (o == NULL || checkType(c, o, OBJ_HASH)) return;
    addHashFieldToReply(c, o, c->argv[2]->ptr);
}

/* HMGET key field [field ...]: a missing key reads as an empty hash. */
void hmgetCommand(client *c) {
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, o, OBJ_HASH)) return;
    addReplyArrayLen(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++) addHashFieldToReply(c, o, c->argv[i]->ptr);
}

/* HDEL key field [field ...] -> number removed; the key goes with its
 * last field. */
void hdelCommand(client *c) {
    robj *o = lookupKeyWriteOrReply(c, c->argv[1], shared.czero);
    if (o == NULL || checkType(c, o, OBJ_HASH)) return;
    long long deleted = 0;
    int keyremoved = 0;
    for (int i = 2; i < c->argc; i++) {
        if (!hashTypeDelete(o, c->argv[i]->ptr)) continue;
        deleted++;
        if (hashTypeLength(o) == 0) {
            keyremoved = dbDelete(c->db, c->argv[1]);
            break;
        }
    }
    if (deleted) {
        signalModifiedKey(c, c->db, c->argv[1]);
        notifyKeyspaceEvent(NOTIFY_HASH, "hdel", c->argv[1], c->db->id);
        if (keyremoved) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", c->argv[1], c->db->id);
        server.dirty += deleted;
    }
    addReplyLongLong(c, deleted);
}

/* HLEN key */
void hlenCommand(client *c) {
    robj *o = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (o == NULL || checkType(c, o, OBJ_HASH)) return;
    addReplyLongLong(c, (long long)hashTypeLength(o));
}

/* HSTRLEN key field */
void hstrlenCommand(client *c) {
    robj *o = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (o == NULL || checkType(c, o, OBJ_HASH)) return;
    addReplyLongLong(c, (long long)hashTypeGetValueLength(o, c->argv[2]->ptr));
}

/* HEXISTS key field */
void hexistsCommand(client *c) {
    robj *o = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (o == NULL || checkType(c, o, OBJ_HASH)) return;
    addReply(c, hashTypeExists(o, c->argv[2]->ptr) ? shared.cone : shared.czero);
}

/* HKEYS / HVALS / HGETALL: what is OBJ_HASH_KEY and/or OBJ_HASH_VALUE. */
static void genericHgetallCommand(client *c, int what) {
    int both = (what & OBJ_HASH_KEY) && (what & OBJ_HASH_VALUE);
    robj *o = lookupKeyReadOrReply(c, c->argv[1], both ? shared.emptymap[c->resp] : shared.emptyarray);
    if (o == NULL || checkType(c, o, OBJ_HASH)) return;
    unsigned long length = hashTypeLength(o);
    if (both)
        addReplyMapLen(c, (long)length);
    else
        addReplyArrayLen(c, (long)length);
    hashTypeIterator hi;
    hashTypeInitIterator(&hi, o);
    while (!clientReplyAbandoned(c) && hashTypeNext(&hi) != C_ERR) {
        if (what & OBJ_HASH_KEY) addHashIteratorCursorToReply(c, &hi, OBJ_HASH_KEY);
        if (what & OBJ_HASH_VALUE) addHashIteratorCursorToReply(c, &hi, OBJ_HASH_VALUE);
    }
    hashTypeReleaseIterator(&hi);
}

void hkeysCommand(client *c) {
    genericHgetallCommand(c, OBJ_HASH_KEY);
}

void hvalsCommand(client *c) {
    genericHgetallCommand(c, OBJ_HASH_VALUE);
}

void hgetallCommand(client *c) {
    genericHgetallCommand(c, OBJ_HASH_KEY | OBJ_HASH_VALUE);
}

/* HINCRBY key field increment: the field (0 when missing) must hold a
 * canonical 64-bit integer; overflow is refused before it happens. */
void hincrbyCommand(client *c) {
    long long incr, value;
    if (getLongLongFromObjectOrReply(c, c->argv[3], &incr, NULL) != C_OK) return;
    robj *o = hashTypeLookupWriteOrCreate(c, c->argv[1]);
    if (o == NULL) return;
    unsigned char *vstr;
    unsigned int vlen;
    if (hashTypeGetValue(o, c->argv[2]->ptr, &vstr, &vlen, &value) == C_OK) {
        if (vstr && !string2ll((char *)vstr, vlen, &value)) {
            addReplyError(c, "hash value is not an integer");
            return;
        }
    } else {
        value = 0;
    }
    if ((incr < 0 && value < 0 && incr < LLONG_MIN - value) || (incr > 0 && value > 0 && incr > LLONG_MAX - value)) {
        addReplyError(c, "increment or decrement would overflow");
        return;
    }
    value += incr;
    hashTypeSet(o, c->argv[2]->ptr, sdsfromlonglong(value), HASH_SET_TAKE_VALUE);
    addReplyLongLong(c, value);
    hashKeyChanged(c, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_HASH, "hincrby", c->argv[1], c->db->id);
}

/* HINCRBYFLOAT key field increment: long double arithmetic; the result is
 * stored and replied in the human-friendly form. */
void hincrbyfloatCommand(client *c) {
    long double incr, value;
    if (getLongDoubleFromObjectOrReply(c, c->argv[3], &incr, NULL) != C_OK) return;
    if (isnan(incr) || isinf(incr)) {
        addReplyError(c, "value is NaN or Infinity");
        return;
    }
    robj *o = hashTypeLookupWriteOrCreate(c, c->argv[1]);
    if (o == NULL) return;
    unsigned char *vstr;
    unsigned int vlen;
    long long ll;
    if (hashTypeGetValue(o, c->argv[2]->ptr, &vstr, &vlen, &ll) == C_OK) {
        if (vstr) {
            if (!string2ld((char *)vstr, vlen, &value)) {
                addReplyError(c, "hash value is not a float");
                return;
            }
        } else {
            value = (long double)ll;
        }
    } else {
        value = 0;
    }
    value += incr;
    if (isnan(value) || isinf(value)) {
        addReplyError(c, "increment would produce NaN or Infinity");
        return;
    }
    char buf[MAX_LONG_DOUBLE_CHARS];
    int len = ld2string(buf, sizeof(buf), value, LD_STR_HUMAN);
    hashTypeSet(o, c->argv[2]->ptr, sdsnewlen(buf, len), HASH_SET_TAKE_VALUE);
    addReplyBulkCBuffer(c, buf, len);
    hashKeyChanged(c, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_HASH, "hincrbyfloat", c->argv[1], c->db->id);
    /* Replayed as HSET of the result, so float formatting never differs. */
    robj *v = createStringObject(buf, (size_t)len);
    rewritePropagatedCommand(c, 4, propw.hset, c->argv[1], c->argv[2], v);
    decrRefCount(v);
}

/* ---------------------------------------------------------- HRANDFIELD */

/* Most pairs sampled per batch (bounds the scratch arrays). */
#define HRANDFIELD_RANDOM_SAMPLE_LIMIT 1000

static void addReplyListpackEntry(client *c, listpackEntry *e) {
    if (e->sval)
        addReplyBulkCBuffer(c, e->sval, e->slen);
    else
        addReplyBulkLongLong(c, e->lval);
}

/* Replies count sampled pairs (vals NULL: fields only); WITHVALUES pairs
 * are nested arrays in RESP3. */
static void hrandfieldReplyPairs(client *c, unsigned long count, listpackEntry *keys, listpackEntry *vals) {
    for (unsigned long i = 0; i < count && !clientReplyAbandoned(c); i++) {
        if (vals && c->resp > 2) addReplyArrayLen(c, 2);
        addReplyListpackEntry(c, &keys[i]);
        if (vals) addReplyListpackEntry(c, &vals[i]);
    }
}

/* HRANDFIELD key count [WITHVALUES]. A negative count may repeat fields
 * and returns exactly -count of them; a positive one returns up to count
 * distinct fields. */
static void hrandfieldWithCountCommand(client *c, long l, int withvalues) {
    unsigned long count;
    int uniq = 1;
    if (l >= 0) {
        count = (unsigned long)l;
    } else {
        count = (unsigned long)-l;
        uniq = 0;
    }
    robj *hash = lookupKeyReadOrReply(c, c->argv[1], shared.emptyarray);
    if (hash == NULL || checkType(c, hash, OBJ_HASH)) return;
    unsigned long size = hashTypeLength(hash);
    if (count == 0) {
        addReply(c, shared.emptyarray);
        return;
    }

    /* Repetitions allowed (or a single field): sample in batches. */
    if (!uniq || count == 1) {
        addReplyArrayLen(c, (long)(withvalues && c->resp == 2 ? count * 2 : count));
        unsigned long limit = count > HRANDFIELD_RANDOM_SAMPLE_LIMIT ? HRANDFIELD_RANDOM_SAMPLE_LIMIT : count;
        listpackEntry *keys = zmalloc(sizeof(listpackEntry) * limit);
        listpackEntry *vals = withvalues ? zmalloc(sizeof(listpackEntry) * limit) : NULL;
        while (count && !clientReplyAbandoned(c)) {
            unsigned long n = count > limit ? limit : count;
            count -= n;
            hashTypeRandomPairs(hash, (unsigned int)n, keys, vals);
            hrandfieldReplyPairs(c, n, keys, vals);
        }
        zfree(keys);
        zfree(vals);
        return;
    }

    unsigned long reply_size = count < size ? count : size;
    addReplyArrayLen(c, (long)(withvalues && c->resp == 2 ? reply_size * 2 : reply_size));
    if (count >= size) {
        /* The whole hash. */
        hashTypeIterator hi;
        hashTypeInitIterator(&hi, hash);
        while (!clientReplyAbandoned(c) && hashTypeNext(&hi) != C_ERR) {
            if (withvalues && c->resp > 2) addReplyArrayLen(c, 2);
            addHashIteratorCursorToReply(c, &hi, OBJ_HASH_KEY);
            if (withvalues) addHashIteratorCursorToReply(c, &hi, OBJ_HASH_VALUE);
        }
        hashTypeReleaseIterator(&hi);
        return;
    }
    listpackEntry *keys = zmalloc(sizeof(listpackEntry) * count);
    listpackEntry *vals = withvalues ? zmalloc(sizeof(listpackEntry) * count) : NULL;
    unsigned long picked = hashTypeRandomPairsUnique(hash, count, keys, vals);
    serverAssert(picked == count);
    hrandfieldReplyPairs(c, picked, keys, vals);
    zfree(keys);
    zfree(vals);
}

/* HRANDFIELD key [count [WITHVALUES]] */
void hrandfieldCommand(client *c) {
    if (c->argc >= 3) {
        long l;
        int withvalues = 0;
        if (getRangeLongFromObjectOrReply(c, c->argv[2], -LONG_MAX, LONG_MAX, &l, NULL) != C_OK) return;
        if (c->argc == 4 && !strcasecmp(c->argv[3]->ptr, "withvalues")) {
            withvalues = 1;
            /* The reply holds 2 * count strings: keep that in range. */
            if (l < -LONG_MAX / 2 || l > LONG_MAX / 2) {
                addReplyError(c, "value is out of range");
                return;
            }
        } else if (c->argc >= 4) {
            addReplyErrorObject(c, shared.syntaxerr);
            return;
        }
        hrandfieldWithCountCommand(c, l, withvalues);
        return;
    }
    robj *hash = lookupKeyReadOrReply(c, c->argv[1], shared.null[c->resp]);
    if (hash == NULL || checkType(c, hash, OBJ_HASH)) return;
    listpackEntry field;
    hashTypeRandomPairs(hash, 1, &field, NULL);
    addReplyListpackEntry(c, &field);
}

/* HSCAN key cursor [MATCH pattern] [COUNT count] */
void hscanCommand(client *c) {
    scanCollectionCommand(c, OBJ_HASH);
}
