/* t_string.c — the string type and its commands.
 *
 * A string value is a robj of type OBJ_STRING in one of three encodings
 * (object.c owns them): int (the pointer field holds a long), embstr (a
 * short, read-only string) and raw (an sds we may modify in place).  The
 * commands here never pick an encoding by hand for values they store from
 * the command line: they pass the argument through tryObjectEncoding, which
 * chooses int, embstr or raw exactly as Redis 7.0 does, so that OBJECT
 * ENCODING answers the same.  Two kinds of commands produce values of their
 * own:
 *
 *  - commands that edit a string in place (APPEND, SETRANGE) first make sure
 *    the key holds a private raw sds (dbUnshareStringValue in db.c): an int, an embstr
 *    or a value shared with someone else is replaced by a raw copy.  So an
 *    APPEND to an existing key always leaves it raw, as in Redis;
 *  - arithmetic (INCR and friends) stores an int-encoded result, reusing
 *    the shared integers 0..9999 when sharing is allowed, or updating a
 *    private int object in place; INCRBYFLOAT stores the formatted number as
 *    a plain string (embstr when short).
 *
 * Limits: no string may grow past proto-max-bulk-len (512MB by default);
 * integer arithmetic is checked for overflow before it happens; a float
 * result that is NaN or infinite is refused.
 *
 * Expiry options (SET, SETEX, PSETEX, GETEX) are turned into an absolute
 * unix time in milliseconds before anything is changed, so a bad time never
 * leaves a half-done write.  SET stores a key even when the absolute time
 * given is already past (it then reads as missing), while GETEX with a past
 * EXAT/PXAT deletes the key, as Redis 7.0 does.
 *
 * LCS keeps the classic dynamic-programming table of common-subsequence
 * lengths, one uint32_t per pair of prefixes, refusing tables larger than
 * proto-max-bulk-len, then walks it back from the end to rebuild the
 * sequence or the matching ranges.
 *
 * Every write calls signalModifiedKey and bumps server.dirty.  Keys are
 * reached only through db.c's API.
 */
#include "server.h"
#include "notify.h"

#include <math.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ helpers */

/* Replies an error and returns C_ERR when a string of size bytes growing
 * by append bytes would exceed proto-max-bulk-len (overflow included). The
 * master link is trusted and never refused. */
static int checkStringLength(client *c, long long size, long long append) {
    if (c->flags & CLIENT_MASTER) return C_OK;
    long long limit = server.limits.proto_max_bulk_len;
    if (size < 0 || append < 0 || size > limit || append > limit - size) {
        addReplyError(c, "string exceeds maximum allowed size (proto-max-bulk-len)");
        return C_ERR;
    }
    return C_OK;
}

/* Marks key as changed by a command: watchers are told, the dirty counter
 * grows by one. */
static void keyChanged(client *c, robj *key) {
    signalModifiedKey(c, c->db, key);
    server.dirty++;
}

/* ------------------------------------------------ SET and its options */

#define OBJ_NO_FLAGS 0
#define OBJ_SET_NX (1 << 0)
#define OBJ_SET_XX (1 << 1)
#define OBJ_EX (1 << 2)
#define OBJ_PX (1 << 3)
#define OBJ_KEEPTTL (1 << 4)
#define OBJ_SET_GET (1 << 5)
#define OBJ_EXAT (1 << 6)
#define OBJ_PXAT (1 << 7)
#define OBJ_PERSIST (1 << 8)

#define OBJ_EXPIRE_MASK (OBJ_EX | OBJ_PX | OBJ_EXAT | OBJ_PXAT)

/* Which command's options are being parsed. */
#define STR_OPTS_SET 1
#define STR_OPTS_GETEX 2

/* One option of SET / GETEX: its flag, the flags it cannot be combined
 * with, whether a value follows it, and the commands that accept it.
 * Repeating an option is allowed (the last value wins), as in Redis. */
typedef struct stringOption {
    const char *name;
    int flag;
    int conflicts;
    int takes_value;
    int commands;
} stringOption;

static const stringOption stringOptions[] = {
    {"nx", OBJ_SET_NX, OBJ_SET_XX, 0, STR_OPTS_SET},
    {"xx", OBJ_SET_XX, OBJ_SET_NX, 0, STR_OPTS_SET},
    {"get", OBJ_SET_GET, 0, 0, STR_OPTS_SET},
    {"keepttl", OBJ_KEEPTTL, OBJ_EXPIRE_MASK | OBJ_PERSIST, 0, STR_OPTS_SET},
    {"persist", OBJ_PERSIST, OBJ_EXPIRE_MASK | OBJ_KEEPTTL, 0, STR_OPTS_GETEX},
    {"ex", OBJ_EX, (OBJ_EXPIRE_MASK & ~OBJ_EX) | OBJ_KEEPTTL | OBJ_PERSIST, 1, STR_OPTS_SET | STR_OPTS_GETEX},
    {"px", OBJ_PX, (OBJ_EXPIRE_MASK & ~OBJ_PX) | OBJ_KEEPTTL | OBJ_PERSIST, 1, STR_OPTS_SET | STR_OPTS_GETEX},
    {"exat", OBJ_EXAT, (OBJ_EXPIRE_MASK & ~OBJ_EXAT) | OBJ_KEEPTTL | OBJ_PERSIST, 1,
     STR_OPTS_SET | STR_OPTS_GETEX},
    {"pxat", OBJ_PXAT, (OBJ_EXPIRE_MASK & ~OBJ_PXAT) | OBJ_KEEPTTL | OBJ_PERSIST, 1,
     STR_OPTS_SET | STR_OPTS_GETEX},
    {NULL, 0, 0, 0, 0},
};

/* Parses the options of SET (command STR_OPTS_SET) or GETEX from argv[first]
 * on into *flags and *expire (the argument holding the time, borrowed from
 * argv, or left NULL). Replies a syntax error and returns C_ERR on an
 * unknown, misplaced or conflicting option. */
static int parseStringOptions(client *c, int first, int command, int *flags, robj **expire) {
    for (int j = first; j < c->argc; j++) {
        const char *arg = c->argv[j]->ptr;
        const stringOption *opt = stringOptions;
        while (opt->name && strcasecmp(arg, opt->name) != 0) opt++;
        if (opt->name == NULL || !(opt->commands & command) || (*flags & opt->conflicts) ||
            (opt->takes_value && j + 1 >= c->argc)) {
            addReplyErrorObject(c, shared.syntaxerr);
            return C_ERR;
        }
        *flags |= opt->flag;
        if (opt->takes_value) *expire = c->argv[++j];
    }
    return C_OK;
}

/* Converts the time argument of an EX/PX/EXAT/PXAT option (flags says
 * which) into an absolute unix time in milliseconds in *when. Replies an
 * error and returns C_ERR when it is not an integer, not positive, or
 * overflows once converted. */
static int getExpireMillisecondsOrReply(client *c, robj *expire, int flags, long long *when) {
    long long v;
    if (getLongLongFromObjectOrReply(c, expire, &v, NULL) != C_OK) return C_ERR;
    int seconds = (flags & (OBJ_EX | OBJ_EXAT)) != 0;
    if (v <= 0 || (seconds && v > LLONG_MAX / 1000)) {
        addReplyErrorExpireTime(c);
        return C_ERR;
    }
    if (seconds) v *= 1000;
    if (flags & (OBJ_EX | OBJ_PX)) {
        long long now = mstime();
        if (v > LLONG_MAX - now) {
            addReplyErrorExpireTime(c);
            return C_ERR;
        }
        v += now;
    }
    *when = v;
    return C_OK;
}

/* Replies the string at key (null when missing). Returns C_ERR after a
 * WRONGTYPE reply when the key holds another type. */
static int getGeneric(client *c, robj *key) {
    robj *o = lookupKeyRead(c->db, key);
    if (o == NULL) {
        addReplyNull(c);
        return C_OK;
    }
    if (o->type != OBJ_STRING) {
        addReplyErrorObject(c, shared.wrongtypeerr);
        return C_ERR;
    }
    addReplyBulk(c, o);
    return C_OK;
}

/* Records a SET with a relative or absolute expire as SET key val PXAT
 * <when>, so a replay gives the same deadline. */
static void propagateSetPxat(client *c, robj *key, robj *val, long long when) {
    robj *ms = createStringObjectFromLongLong(when);
    rewritePropagatedCommand(c, 5, propw.set, key, val, propw.pxat, ms);
    decrRefCount(ms);
}

/* The common body of SET, SETNX, SETEX and PSETEX: stores val (borrowed;
 * the keyspace takes its own reference) at key under the NX/XX/GET/KEEPTTL
 * conditions of flags, with the expire time in the expire argument if any.
 * Replies ok_reply on success and abort_reply when NX/XX stopped the write
 * (shared.ok and a null when NULL). With GET the old value is the reply. */
static void setGeneric(client *c, int flags, robj *key, robj *val, robj *expire, robj *ok_reply,
                       robj *abort_reply) {
    long long when = 0;
    if (expire && getExpireMillisecondsOrReply(c, expire, flags, &when) != C_OK) return;
    if ((flags & OBJ_SET_GET) && getGeneric(c, key) != C_OK) return;
    int cond = (flags & OBJ_SET_NX) ? SETKEY_IF_ABSENT : (flags & OBJ_SET_XX) ? SETKEY_IF_PRESENT : SETKEY_ALWAYS;
    if (!setKeyIf(c, c->db, key, val, (flags & OBJ_KEEPTTL) || expire, cond)) {
        if (flags & OBJ_SET_GET) return;
        if (abort_reply)
            addReply(c, abort_reply);
        else
            addReplyNull(c);
        return;
    }
    server.dirty++;
    notifyKeyspaceEvent(NOTIFY_STRING, "set", key, c->db->id);
    if (expire) {
        setExpire(c, c->db, key, when);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "expire", key, c->db->id);
        propagateSetPxat(c, key, val, when);
    }
    if (!(flags & OBJ_SET_GET)) addReply(c, ok_reply ? ok_reply : shared.ok);
}

/* SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL] */
void setCommand(client *c) {
    int flags = OBJ_NO_FLAGS;
    robj *expire = NULL;
    if (parseStringOptions(c, 3, STR_OPTS_SET, &flags, &expire) != C_OK) return;
    c->argv[2] = tryObjectEncoding(c->argv[2]);
    setGeneric(c, flags, c->argv[1], c->argv[2], expire, NULL, NULL);
}

/* SETNX key value: 1 when set, 0 when the key existed. */
void setnxCommand(client *c) {
    c->argv[2] = tryObjectEncoding(c->argv[2]);
    setGeneric(c, OBJ_SET_NX, c->argv[1], c->argv[2], NULL, shared.cone, shared.czero);
}

/* SETEX key seconds value */
void setexCommand(client *c) {
    c->argv[3] = tryObjectEncoding(c->argv[3]);
    setGeneric(c, OBJ_EX, c->argv[1], c->argv[3], c->argv[2], NULL, NULL);
}

/* PSETEX key milliseconds value */
void psetexCommand(client *c) {
    c->argv[3] = tryObjectEncoding(c->argv[3]);
    setGeneric(c, OBJ_PX, c->argv[1], c->argv[3], c->argv[2], NULL, NULL);
}

/* ------------------------------------------------------- the getters */

/* GET key */
void getCommand(client *c) {
    getGeneric(c, c->argv[1]);
}

/* GETSET key value: replies the old value, stores the new one, drops the
 * TTL. */
void getsetCommand(client *c) {
    if (getGeneric(c, c->argv[1]) != C_OK) return;
    c->argv[2] = tryObjectEncoding(c->argv[2]);
    setKey(c, c->db, c->argv[1], c->argv[2], 0);
    notifyKeyspaceEvent(NOTIFY_STRING, "set", c->argv[1], c->db->id);
    server.dirty++;
}

/* GETDEL key: replies the value and deletes the key. Propagated as DEL
 * (UNLINK with lazyfree-lazy-user-del). */
void getdelCommand(client *c) {
    if (getGeneric(c, c->argv[1]) != C_OK) return;
    if (!dbDelete(c->db, c->argv[1])) return;
    keyChanged(c, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "del", c->argv[1], c->db->id);
    rewritePropagatedCommand(c, 2, server.lazyfree.lazy_user_del ? propw.unlink : propw.del, c->argv[1]);
}

/* Applies GETEX's expiry change to an existing key: a past absolute time
 * deletes it, a time sets it, PERSIST removes it. Propagated as DEL (UNLINK
 * with lazyfree-lazy-expire), PEXPIREAT or PERSIST. */
static void getexApply(client *c, int flags, robj *expire, long long when) {
    robj *key = c->argv[1];
    if ((flags & (OBJ_EXAT | OBJ_PXAT)) && when <= mstime() && !server.persist.loading && !server.repl.masterhost) {
        dbDelete(c->db, key);
        keyChanged(c, key);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
        rewritePropagatedCommand(c, 2, server.lazyfree.lazy_expire ? propw.unlink : propw.del, key);
    } else if (expire) {
        setExpire(c, c->db, key, when);
        keyChanged(c, key);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "expire", key, c->db->id);
        robj *ms = createStringObjectFromLongLong(when);
        rewritePropagatedCommand(c, 3, propw.pexpireat, key, ms);
        decrRefCount(ms);
    } else if ((flags & OBJ_PERSIST) && removeExpire(c->db, key)) {
        keyChanged(c, key);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "persist", key, c->db->id);
        rewritePropagatedCommand(c, 2, propw.persist, key);
    }
}

/* GETEX key [EX s|PX ms|EXAT ts|PXAT ms-ts|PERSIST]. A missing key gives a
 * null before the time is even checked, as in Redis. */
void getexCommand(client *c) {
    int flags = OBJ_NO_FLAGS;
    robj *expire = NULL;
    long long when = 0;
    if (parseStringOptions(c, 2, STR_OPTS_GETEX, &flags, &expire) != C_OK) return;
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (o == NULL) {
        addReplyNull(c);
        return;
    }
    if (checkType(c, o, OBJ_STRING)) return;
    if (expire && getExpireMillisecondsOrReply(c, expire, flags, &when) != C_OK) return;
    addReplyBulk(c, o);
    getexApply(c, flags, expire, when);
}

/* MGET key [key ...]: a null for each missing or non-string key. */
void mgetCommand(client *c) {
    addReplyArrayLen(c, c->argc - 1);
    for (int j = 1; j < c->argc; j++) {
        robj *o = lookupKeyRead(c->db, c->argv[j]);
        if (o == NULL || o->type != OBJ_STRING)
            addReplyNull(c);
        else
            addReplyBulk(c, o);
    }
}

/* The body of MSET and MSETNX. With nx nothing is written when any of the
 * keys exists; the reply is then 0 (1 on success), OK for MSET. */
static void msetGeneric(client *c, int nx) {
    if (c->argc % 2 == 0) {
        addReplyErrorArity(c);
        return;
    }
    if (nx) {
        for (int j = 1; j < c->argc; j += 2) {
            if (lookupKeyWrite(c->db, c->argv[j]) != NULL) {
                addReply(c, shared.czero);
                return;
            }
        }
    }
    for (int j = 1; j < c->argc; j += 2) {
        c->argv[j + 1] = tryObjectEncoding(c->argv[j + 1]);
        setKey(c, c->db, c->argv[j], c->argv[j + 1], 0);
        notifyKeyspaceEvent(NOTIFY_STRING, "set", c->argv[j], c->db->id);
        server.dirty++;
    }
    addReply(c, nx ? shared.cone : shared.ok);
}

/* MSET key value [key value ...] */
void msetCommand(client *c) {
    msetGeneric(c, 0);
}

/* MSETNX key value [key value ...] */
void msetnxCommand(client *c) {
    msetGeneric(c, 1);
}

/* --------------------------------------------- editing and measuring */

/* APPEND key value: replies the new length. A new key gets the value
 * encoded like SET would; an existing one becomes raw. */
void appendCommand(client *c) {
    robj *key = c->argv[1];
    robj *o = lookupKeyWrite(c->db, key);
    size_t total;
    if (o == NULL) {
        c->argv[2] = tryObjectEncoding(c->argv[2]);
        incrRefCount(c->argv[2]); /* the argument stays ours; dbAdd takes the new reference */
        total = stringObjectLen(dbAdd(c->db, key, c->argv[2]));
    } else {
        if (checkType(c, o, OBJ_STRING)) return;
        sds tail = c->argv[2]->ptr;
        if (checkStringLength(c, stringObjectLen(o), sdslen(tail)) != C_OK) return;
        o = dbUnshareStringValue(c->db, key, o);
        o->ptr = sdscatlen(o->ptr, tail, sdslen(tail));
        total = sdslen(o->ptr);
    }
    keyChanged(c, key);
    notifyKeyspaceEvent(NOTIFY_STRING, "append", key, c->db->id);
    addReplyLongLong(c, total);
}

/* STRLEN key: 0 for a missing key. */
void strlenCommand(client *c) {
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (o == NULL) {
        addReply(c, shared.czero);
        return;
    }
    if (checkType(c, o, OBJ_STRING)) return;
    addReplyLongLong(c, stringObjectLen(o));
}

/* Finds or creates the string SETRANGE writes len bytes into at offset.
 * Replies (and returns NULL) when there is nothing to write or the write is
 * refused; otherwise returns a private raw value stored at key. */
static robj *setrangeTarget(client *c, robj *key, long offset, size_t len) {
    robj *o = lookupKeyWrite(c->db, key);
    if (o == NULL) {
        if (len == 0) {
            addReply(c, shared.czero);
            return NULL;
        }
        if (checkStringLength(c, offset, len) != C_OK) return NULL;
        o = createObject(OBJ_STRING, sdsnewlen(NULL, offset + len));
        dbAdd(c->db, key, o);
        return o;
    }
    if (checkType(c, o, OBJ_STRING)) return NULL;
    if (len == 0) {
        addReplyLongLong(c, stringObjectLen(o));
        return NULL;
    }
    if (checkStringLength(c, offset, len) != C_OK) return NULL;
    return dbUnshareStringValue(c->db, key, o);
}

/* SETRANGE key offset value: overwrites from offset, padding with zero
 * bytes; replies the new length. */
void setrangeCommand(client *c) {
    long offset;
    if (getLongFromObjectOrReply(c, c->argv[2], &offset, NULL) != C_OK) return;
    if (offset < 0) {
        addReplyError(c, "offset is out of range");
        return;
    }
    sds value = c->argv[3]->ptr;
    size_t len = sdslen(value);
    robj *o = setrangeTarget(c, c->argv[1], offset, len);
    if (o == NULL) return;
    o->ptr = sdsgrowzero(o->ptr, offset + len);
    memcpy((char *)o->ptr + offset, value, len);
    keyChanged(c, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_STRING, "setrange", c->argv[1], c->db->id);
    addReplyLongLong(c, sdslen(o->ptr));
}

/* GETRANGE key start end (also SUBSTR). Negative indexes count from the
 * end; both are clamped into the string. As in Redis 7.0, an end that
 * falls before the start of the string is clamped to 0, not treated as
 * empty (so "0 -100" on "hello" is "h"). */
void getrangeCommand(client *c) {
    long long start, end;
    if (getLongLongFromObjectOrReply(c, c->argv[2], &start, NULL) != C_OK) return;
    if (getLongLongFromObjectOrReply(c, c->argv[3], &end, NULL) != C_OK) return;
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (o == NULL) {
        addReply(c, shared.emptybulk);
        return;
    }
    if (checkType(c, o, OBJ_STRING)) return;
    char buf[LONG_STR_SIZE];
    const char *s = o->ptr;
    long long len;
    if (o->encoding == OBJ_ENCODING_INT) {
        len = ll2string(buf, sizeof(buf), (long)o->ptr);
        s = buf;
    } else {
        len = (long long)sdslen(o->ptr);
    }
    if (start < 0 && end < 0 && start > end) {
        addReply(c, shared.emptybulk);
        return;
    }
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= len) end = len - 1;
    if (len == 0 || start > end)
        addReply(c, shared.emptybulk);
    else
        addReplyBulkCBuffer(c, s + start, end - start + 1);
}

/* ------------------------------------------------------- arithmetic */

/* Adds incr to the integer at key (0 when missing) and replies the result.
 * The TTL is kept. */
static void incrDecr(client *c, long long incr) {
    robj *key = c->argv[1];
    dbKeyRef ref;
    robj *o = lookupKeyWriteRef(c->db, key, &ref);
    long long value;
    if (o && o->type == OBJ_STRING && o->encoding == OBJ_ENCODING_INT) {
        value = (long)o->ptr; /* the common case, without the generic checks */
    } else {
        if (checkType(c, o, OBJ_STRING)) return;
        if (getLongLongFromObjectOrReply(c, o, &value, NULL) != C_OK) return;
    }
    if ((incr < 0 && value < 0 && incr < LLONG_MIN - value) ||
        (incr > 0 && value > 0 && incr > LLONG_MAX - value)) {
        addReplyError(c, "increment or decrement would overflow");
        return;
    }
    value += incr;
    if (o && o->refcount == 1 && o->encoding == OBJ_ENCODING_INT &&
        (value < 0 || value >= OBJ_SHARED_INTEGERS) && value >= LONG_MIN && value <= LONG_MAX) {
        o->ptr = (void *)(long)value; /* a private int: update in place */
    } else {
        robj *n = createStringObjectFromLongLongForValue(value);
        if (o)
            dbOverwriteRef(c->db, key, n, &ref);
        else
            dbAddRef(c->db, key, n, &ref);
    }
    keyChanged(c, key);
    notifyKeyspaceEvent(NOTIFY_STRING, "incrby", key, c->db->id);
    addReplyLongLong(c, value);
}

/* INCR key */
void incrCommand(client *c) {
    incrDecr(c, 1);
}

/* DECR key */
void decrCommand(client *c) {
    incrDecr(c, -1);
}

/* INCRBY key increment */
void incrbyCommand(client *c) {
    long long incr;
    if (getLongLongFromObjectOrReply(c, c->argv[2], &incr, NULL) != C_OK) return;
    incrDecr(c, incr);
}

/* DECRBY key decrement; LLONG_MIN cannot be negated. */
void decrbyCommand(client *c) {
    long long decr;
    if (getLongLongFromObjectOrReply(c, c->argv[2], &decr, NULL) != C_OK) return;
    if (decr == LLONG_MIN) {
        addReplyError(c, "decrement would overflow");
        return;
    }
    incrDecr(c, -decr);
}

/* INCRBYFLOAT key increment: long double arithmetic, the result stored
 * and replied in the human-friendly form (no exponent, no trailing zeros).
 * The TTL is kept. Propagated as SET key result KEEPTTL, so float
 * formatting never differs between copies. */
void incrbyfloatCommand(client *c) {
    robj *key = c->argv[1];
    robj *o = lookupKeyWrite(c->db, key);
    long double value, incr;
    if (checkType(c, o, OBJ_STRING)) return;
    if (getLongDoubleFromObjectOrReply(c, o, &value, NULL) != C_OK ||
        getLongDoubleFromObjectOrReply(c, c->argv[2], &incr, NULL) != C_OK)
        return;
    value += incr;
    if (isnan(value) || isinf(value)) {
        addReplyError(c, "increment would produce NaN or Infinity");
        return;
    }
    robj *n = createStringObjectFromLongDouble(value, 1);
    incrRefCount(n); /* kept for the propagation and the reply: the keyspace may copy it */
    if (o)
        dbOverwrite(c->db, key, n);
    else
        dbAdd(c->db, key, n);
    keyChanged(c, key);
    notifyKeyspaceEvent(NOTIFY_STRING, "incrbyfloat", key, c->db->id);
    rewritePropagatedCommand(c, 4, propw.set, key, n, propw.keepttl);
    addReplyBulk(c, n);
    decrRefCount(n);
}

/* -------------------------------------------------------------- LCS */

/* LCS's options. */
typedef struct lcsOptions {
    int len;            /* LEN: only the length */
    int idx;            /* IDX: the matching ranges */
    int withmatchlen;   /* WITHMATCHLEN: each range with its length */
    long long minmatch; /* MINMATCHLEN: ranges shorter are left out */
} lcsOptions;

/* Parses LCS's options from argv[3] on. Replies and returns C_ERR on a
 * bad one. */
static int parseLcsOptions(client *c, lcsOptions *opts) {
    memset(opts, 0, sizeof(*opts));
    for (int j = 3; j < c->argc; j++) {
        const char *arg = c->argv[j]->ptr;
        if (!strcasecmp(arg, "idx")) {
            opts->idx = 1;
        } else if (!strcasecmp(arg, "len")) {
            opts->len = 1;
        } else if (!strcasecmp(arg, "withmatchlen")) {
            opts->withmatchlen = 1;
        } else if (!strcasecmp(arg, "minmatchlen") && j + 1 < c->argc) {
            if (getLongLongFromObjectOrReply(c, c->argv[++j], &opts->minmatch, NULL) != C_OK) return C_ERR;
            if (opts->minmatch < 0) opts->minmatch = 0;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return C_ERR;
        }
    }
    if (opts->idx && opts->len) {
        addReplyError(c, "If you want both the length and indexes, please just use IDX.");
        return C_ERR;
    }
    return C_OK;
}

/* The table of LCS lengths: cell (i, j) holds the length of the longest
 * common subsequence of a[0..i) and b[0..j). */
typedef struct lcsTable {
    uint32_t *cells;
    uint32_t alen, blen;
} lcsTable;

#define LCS_AT(t, i, j) ((t)->cells[(size_t)(i) * ((t)->blen + 1) + (j)])

/* Fills t for a[0..alen) and b[0..blen). Replies an error and returns
 * C_ERR when the strings or the table are too large. The caller frees
 * t->cells with zfree on success. */
static int lcsBuildTable(client *c, lcsTable *t, const char *a, size_t alen, const char *b, size_t blen) {
    if (alen >= UINT32_MAX - 1 || blen >= UINT32_MAX - 1) {
        addReplyError(c, "String too long for LCS");
        return C_ERR;
    }
    unsigned long long cells = (unsigned long long)(alen + 1) * (blen + 1);
    unsigned long long bytes = cells * sizeof(uint32_t);
    if (bytes / sizeof(uint32_t) != cells || bytes >= SIZE_MAX) {
        addReplyError(c, "Insufficient memory, failed allocating transient memory for LCS");
        return C_ERR;
    }
    if (bytes > (unsigned long long)server.limits.proto_max_bulk_len) {
        addReplyError(c, "Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        return C_ERR;
    }
    t->cells = ztrymalloc(bytes);
    if (t->cells == NULL) {
        addReplyError(c, "Insufficient memory, failed allocating transient memory for LCS");
        return C_ERR;
    }
    t->alen = (uint32_t)alen;
    t->blen = (uint32_t)blen;
    for (uint32_t i = 0; i <= t->alen; i++) {
        for (uint32_t j = 0; j <= t->blen; j++) {
            uint32_t v;
            if (i == 0 || j == 0)
                v = 0;
            else if (a[i - 1] == b[j - 1])
                v = LCS_AT(t, i - 1, j - 1) + 1;
            else
                v = LCS_AT(t, i - 1, j) > LCS_AT(t, i, j - 1) ? LCS_AT(t, i - 1, j) : LCS_AT(t, i, j - 1);
            LCS_AT(t, i, j) = v;
        }
    }
    return C_OK;
}

/* One run of consecutive matching bytes: a[astart..aend] == b[bstart..bend]. */
typedef struct lcsRange {
    uint32_t astart, aend, bstart, bend;
} lcsRange;

/* Replies one IDX range unless it is shorter than MINMATCHLEN. Returns the
 * number of entries added (0 or 1). */
static long lcsReplyRange(client *c, const lcsOptions *opts, const lcsRange *r) {
    long long len = (long long)r->aend - r->astart + 1;
    if (opts->minmatch && len < opts->minmatch) return 0;
    addReplyArrayLen(c, opts->withmatchlen ? 3 : 2);
    addReplyArrayLen(c, 2);
    addReplyLongLong(c, r->astart);
    addReplyLongLong(c, r->aend);
    addReplyArrayLen(c, 2);
    addReplyLongLong(c, r->bstart);
    addReplyLongLong(c, r->bend);
    if (opts->withmatchlen) addReplyLongLong(c, len);
    return 1;
}

/* Walks the table back from its last cell. Matching bytes are written into
 * seq (when not NULL, sized to the LCS length); with IDX each run of
 * consecutive matches is replied as a range, last run first. On a tie the
 * walk moves along b first, as Redis does. Returns the ranges replied. */
static long lcsWalk(client *c, const lcsTable *t, const char *a, const char *b, sds seq, const lcsOptions *opts) {
    uint32_t i = t->alen, j = t->blen, k = LCS_AT(t, i, j);
    long ranges = 0;
    int inrange = 0;
    lcsRange r = {0, 0, 0, 0};
    while (i > 0 && j > 0) {
        if (a[i - 1] == b[j - 1]) {
            if (seq) seq[k - 1] = a[i - 1];
            k--;
            if (!inrange) {
                inrange = 1;
                r.aend = i - 1;
                r.bend = j - 1;
            }
            r.astart = i - 1;
            r.bstart = j - 1;
            i--;
            j--;
            continue;
        }
        if (inrange && opts->idx) ranges += lcsReplyRange(c, opts, &r);
        inrange = 0;
        if (LCS_AT(t, i - 1, j) > LCS_AT(t, i, j - 1))
            i--;
        else
            j--;
    }
    if (inrange && opts->idx) ranges += lcsReplyRange(c, opts, &r);
    return ranges;
}

/* Replies LCS's answer from a filled table: the length (LEN), the ranges
 * and length (IDX, a map of "matches" and "len"), or the sequence. */
static void lcsReply(client *c, const lcsTable *t, const char *a, const char *b, const lcsOptions *opts) {
    uint32_t total = LCS_AT(t, t->alen, t->blen);
    if (opts->len) {
        addReplyLongLong(c, total);
    } else if (opts->idx) {
        addReplyMapLen(c, 2);
        addReplyBulkCString(c, "matches");
        void *lenptr = addReplyDeferredLen(c);
        long ranges = lcsWalk(c, t, a, b, NULL, opts);
        setDeferredArrayLen(c, lenptr, ranges);
        addReplyBulkCString(c, "len");
        addReplyLongLong(c, total);
    } else {
        sds seq = sdsnewlen(SDS_NOINIT, total);
        lcsWalk(c, t, a, b, seq, opts);
        addReplyBulkSds(c, seq);
    }
}

/* LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]. Missing keys
 * count as empty strings. */
void lcsCommand(client *c) {
    robj *oa = lookupKeyRead(c->db, c->argv[1]);
    robj *ob = lookupKeyRead(c->db, c->argv[2]);
    if ((oa && oa->type != OBJ_STRING) || (ob && ob->type != OBJ_STRING)) {
        addReplyError(c, "The specified keys must contain string values");
        return;
    }
    lcsOptions opts;
    if (parseLcsOptions(c, &opts) != C_OK) return;
    oa = oa ? getDecodedObject(oa) : createStringObject("", 0);
    ob = ob ? getDecodedObject(ob) : createStringObject("", 0);
    lcsTable t;
    if (lcsBuildTable(c, &t, oa->ptr, sdslen(oa->ptr), ob->ptr, sdslen(ob->ptr)) == C_OK) {
        lcsReply(c, &t, oa->ptr, ob->ptr, &opts);
        zfree(t.cells);
    }
    decrRefCount(oa);
    decrRefCount(ob);
}
