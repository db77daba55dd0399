/* object.c — robj: creation, encodings, reference counting, shared objects.
 *
 * Every value and every command argument is a robj: a type, an encoding, an
 * LRU stamp, a reference count and a pointer.  Strings come in three
 * encodings, chosen as Redis 7.0 chooses them so OBJECT ENCODING answers the
 * same:
 *   int     the pointer field holds the integer itself (values that fit a long)
 *   embstr  strings of up to 44 bytes, created read-only
 *   raw     any other string (an sds)
 * Integers 0..9999 used as values are shared objects with an immortal
 * reference count.  Only this file and each type's own file look at
 * o->encoding.
 *
 * The shared replies (`shared`) are created once by createSharedObjects and
 * never freed.
 */
#include "server.h"
#include "evict.h"
#include "shortcopy.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct sharedObjectsStruct shared;

/* Takes ownership of ptr. The new object has refcount 1. */
robj *createObject(int type, void *ptr) {
    robj *o = zmalloc(sizeof(*o));
    *o = (robj){.type = (unsigned)type, .encoding = OBJ_ENCODING_RAW, .refcount = 1, .ptr = ptr};
    o->lru = objectAccessStampNow();
    return o;
}

/* A string object with a private copy of ptr[0..len). */
robj *createRawStringObject(const char *ptr, size_t len) {
    return createObject(OBJ_STRING, sdsnewlen(ptr, len));
}

/* A short, read-only string whose sds lives in the same allocation as the
 * object: one malloc instead of two, and better locality. The sds has an
 * 8-bit header with no spare room, so it must never be grown or freed on
 * its own; writers first replace an embstr with a raw copy. */
/* ------------------------------------------------ the embstr pool
 *
 * Every short command argument is an embstr, created by the parser and
 * freed when the command is done: a malloc and a free per argument, each
 * paying the allocator and its size lookup for the memory count. Most of
 * them die unshared (refcount 1) right after the command, so the argument
 * release path (releaseArgumentObject) parks such objects in a small pool
 * by size class, and createEmbeddedStringObject takes from it first. An
 * embstr is always allocated at the full size of its class (32, 48 or 64
 * bytes: what jemalloc gives for the exact size anyway), so any pooled
 * object of a class fits any string of that class. The pool is bounded
 * (EMBSTR_POOL_DEPTH per class), used by the main thread only, and off
 * under AddressSanitizer so that a use after free of an argument is seen. */
#define EMBSTR_POOL_CLASSES 3
#define EMBSTR_POOL_DEPTH 32
#if defined(__SANITIZE_ADDRESS__)
#define EMBSTR_POOLING 0 /* AddressSanitizer sees every free */
#else
#define EMBSTR_POOLING 1
#endif

static struct {
    int count;
    robj *objects[EMBSTR_POOL_DEPTH];
} embstr_pool[EMBSTR_POOL_CLASSES];

static const size_t embstr_class_bytes[EMBSTR_POOL_CLASSES] = {32, 48, 64};

/* The class of an embstr of len bytes (header 16 + 3, terminator 1). */
static inline int embstrClass(size_t len) {
    size_t total = sizeof(robj) + sizeof(struct sdshdr8) + len + 1;
    return total <= 32 ? 0 : total <= 48 ? 1 : 2;
}

void releaseArgumentObject(robj *o) {
    if (o->refcount != 1 || o->encoding != OBJ_ENCODING_EMBSTR || o->keyed) {
        decrRefCount(o);
        return;
    }
    int k = embstrClass(((struct sdshdr8 *)(o + 1))->len); /* an embstr's sds is an sdshdr8 */
    if (!EMBSTR_POOLING || embstr_pool[k].count == EMBSTR_POOL_DEPTH) {
        zfree(o);
        return;
    }
    embstr_pool[k].objects[embstr_pool[k].count++] = o;
}

/* An embstr of len bytes with its headers set and its bytes still to be
 * written (the terminator included): from the pool, or allocated at its
 * class's size. */
static inline robj *newEmbstr(size_t len) {
    int k = embstrClass(len);
    robj *o = EMBSTR_POOLING && embstr_pool[k].count ? embstr_pool[k].objects[--embstr_pool[k].count]
                                                     : zmalloc(embstr_class_bytes[k]);
    struct sdshdr8 *sh = (void *)(o + 1);
    *o = (robj){.type = OBJ_STRING,
                .encoding = OBJ_ENCODING_EMBSTR,
                .lru = objectAccessStampNow(),
                .refcount = 1,
                .ptr = sh->buf};
    sh->len = (uint8_t)len;
    sh->alloc = (uint8_t)len;
    sh->flags = SDS_TYPE_8;
    return o;
}

robj *createEmbeddedStringObject(const char *ptr, size_t len) {
    serverAssert(len <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT);
    robj *o = newEmbstr(len);
    char *buf = o->ptr;
    if (ptr == SDS_NOINIT)
        buf[len] = '\0';
    else if (ptr) {
        copyShort(buf, ptr, len);
        buf[len] = '\0';
    } else {
        memset(buf, 0, len + 1);
    }
    return o;
}

robj *embeddedStringObjectOf(sds s) {
    return (robj *)((char *)s - sizeof(struct sdshdr8) - sizeof(robj));
}

/* embstr up to 44 bytes, raw above, as Redis does. */
robj *createStringObject(const char *ptr, size_t len) {
    if (len <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT) return createEmbeddedStringObject(ptr, len);
    return createRawStringObject(ptr, len);
}

/* Whether values may be the shared integers: not when maxmemory evicts by
 * LRU or LFU, since each key then needs its own access clock. */
static int sharedIntegersAllowed(void) {
    return server.memory.maxmemory == 0 ||
           !(server.memory.maxmemory_policy & (MAXMEMORY_FLAG_LRU | MAXMEMORY_FLAG_LFU));
}

/* An int-encoded string (shared when small and sharing is allowed). */
static robj *createStringObjectFromLongLongWithOptions(long long value, int allow_shared) {
    if (allow_shared && value >= 0 && value < OBJ_SHARED_INTEGERS) {
        incrRefCount(shared.integers[value]);
        return shared.integers[value];
    }
    if (value >= LONG_MIN && value <= LONG_MAX) {
        robj *o = createObject(OBJ_STRING, NULL);
        o->encoding = OBJ_ENCODING_INT;
        o->ptr = (void *)(long)value;
        return o;
    }
    return createObject(OBJ_STRING, sdsfromlonglong(value));
}

robj *createStringObjectFromLongLong(long long value) {
    return createStringObjectFromLongLongWithOptions(value, 1);
}

/* For values stored in the keyspace: shared integers unless maxmemory is set
 * with an LRU/LFU policy (each key then needs its own LRU field). */
robj *createStringObjectFromLongLongForValue(long long value) {
    return createStringObjectFromLongLongWithOptions(value, sharedIntegersAllowed());
}

/* A string holding value formatted as INCRBYFLOAT prints it (humanfriendly)
 * or with %.17Lg. */
robj *createStringObjectFromLongDouble(long double value, int humanfriendly) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    int len = ld2string(buf, sizeof(buf), value, humanfriendly ? LD_STR_HUMAN : LD_STR_AUTO);
    return createStringObject(buf, len);
}

/* A private, unshared copy with the same encoding. */
robj *dupStringObject(const robj *o) {
    switch (o->encoding) {
    case OBJ_ENCODING_RAW: return createRawStringObject(o->ptr, sdslen(o->ptr));
    case OBJ_ENCODING_EMBSTR: return createEmbeddedStringObject(o->ptr, sdslen(o->ptr));
    case OBJ_ENCODING_INT: {
        robj *d = createObject(OBJ_STRING, NULL);
        d->encoding = OBJ_ENCODING_INT;
        d->ptr = o->ptr;
        return d;
    }
    default: serverPanic("Wrong encoding in dupStringObject");
    }
}

/* Makes o immortal: its reference count never changes again. */
robj *makeObjectShared(robj *o) {
    serverAssert(o->refcount == 1);
    o->refcount = OBJ_SHARED_REFCOUNT;
    return o;
}

void incrRefCount(robj *o) {
    if (o->refcount < OBJ_STATIC_REFCOUNT) o->refcount++;
}

/* An embstr's bytes go with the object; only a raw sds is freed apart. */
static void freeStringObject(robj *o) {
    if (o->encoding == OBJ_ENCODING_RAW) sdsfree(o->ptr);
}

/* Drops one reference; frees the object and its value at zero. */
void decrRefCount(robj *o) {
    if (o->refcount >= OBJ_STATIC_REFCOUNT) return;
    if (o->refcount == 1) {
        if (o->boxed) {
            decrRefCount(o->ptr);
            zfree(o);
            return;
        }
        switch (o->type) {
        case OBJ_STRING: freeStringObject(o); break;
        case OBJ_LIST: freeListObject(o); break;
        case OBJ_SET: freeSetObject(o); break;
        case OBJ_HASH: freeHashObject(o); break;
        case OBJ_ZSET: freeZsetObject(o); break;
        case OBJ_STREAM: freeStream(o->ptr); break;
        default: serverPanic("Unknown object type %d", o->type);
        }
        zfree(o);
    } else {
        serverAssert(o->refcount > 0);
        o->refcount--;
    }
}

void decrRefCountVoid(void *o) {
    decrRefCount(o);
}

long long objectReportedRefcount(const robj *o) {
    return o->refcount == OBJ_SHARED_REFCOUNT ? INT_MAX : (long long)o->refcount;
}

/* Tries to save memory by re-encoding a string value: int when it is the
 * canonical form of a long, embstr when short. Returns the object to use
 * (maybe a different one; the old one is released). */
robj *tryObjectEncoding(robj *o) {
    if (o->type != OBJ_STRING || !sdsEncodedObject(o) || o->refcount > 1) return o;
    sds s = o->ptr;
    size_t len = sdslen(s);
    long long value;
    /* Most values are not numbers: the first byte tells, without a call. */
    int numeric = len > 0 && len <= 20 && ((unsigned char)(s[0] - '0') <= 9 || s[0] == '-');
    if (numeric && string2ll(s, len, &value) && value >= LONG_MIN && value <= LONG_MAX) {
        if (sharedIntegersAllowed() && value >= 0 && value < OBJ_SHARED_INTEGERS) {
            decrRefCount(o);
            incrRefCount(shared.integers[value]);
            return shared.integers[value];
        }
        if (o->encoding == OBJ_ENCODING_EMBSTR) {
            decrRefCount(o);
            return createStringObjectFromLongLongForValue(value);
        }
        sdsfree(s);
        o->encoding = OBJ_ENCODING_INT;
        o->ptr = (void *)(long)value;
        return o;
    }
    if (len <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT) {
        if (o->encoding == OBJ_ENCODING_EMBSTR) return o;
        robj *emb = createEmbeddedStringObject(s, len);
        decrRefCount(o);
        return emb;
    }
    /* Raw: trim spare room when it is more than 10% of the string. */
    if (sdsavail(s) > len / 10) o->ptr = sdsRemoveFreeSpace(s);
    return o;
}

/* A string object whose ptr is an sds: o itself with one more reference, or
 * a new object for int encoding. The caller releases it with decrRefCount. */
robj *getDecodedObject(robj *o) {
    if (sdsEncodedObject(o)) {
        incrRefCount(o);
        return o;
    }
    if (o->type == OBJ_STRING && o->encoding == OBJ_ENCODING_INT) {
        char buf[32];
        int len = ll2string(buf, sizeof(buf), (long)o->ptr);
        return createStringObject(buf, len);
    }
    serverPanic("Unknown encoding type");
}

/* Length in bytes of the string's value. */
size_t stringObjectLen(robj *o) {
    if (sdsEncodedObject(o)) return sdslen(o->ptr);
    char buf[32];
    return ll2string(buf, sizeof(buf), (long)o->ptr);
}

/* Binary comparison of two string objects, like memcmp with lengths. */
int compareStringObjects(robj *a, robj *b) {
    if (a == b) return 0;
    char bufa[32], bufb[32];
    const char *pa, *pb;
    size_t la, lb;
    if (sdsEncodedObject(a)) {
        pa = a->ptr;
        la = sdslen(a->ptr);
    } else {
        la = ll2string(bufa, sizeof(bufa), (long)a->ptr);
        pa = bufa;
    }
    if (sdsEncodedObject(b)) {
        pb = b->ptr;
        lb = sdslen(b->ptr);
    } else {
        lb = ll2string(bufb, sizeof(bufb), (long)b->ptr);
        pb = bufb;
    }
    size_t minlen = la < lb ? la : lb;
    int cmp = memcmp(pa, pb, minlen);
    if (cmp != 0) return cmp;
    return la < lb ? -1 : (la > lb ? 1 : 0);
}

int equalStringObjects(robj *a, robj *b) {
    if (a->encoding == OBJ_ENCODING_INT && b->encoding == OBJ_ENCODING_INT) return a->ptr == b->ptr;
    return compareStringObjects(a, b) == 0;
}

/* ------------------------------------------------------ number parsing */

int getLongLongFromObject(robj *o, long long *target) {
    long long value;
    if (o == NULL) {
        value = 0;
    } else if (sdsEncodedObject(o)) {
        if (!string2ll(o->ptr, sdslen(o->ptr), &value)) return C_ERR;
    } else if (o->encoding == OBJ_ENCODING_INT) {
        value = (long)o->ptr;
    } else {
        return C_ERR;
    }
    if (target) *target = value;
    return C_OK;
}

int getLongLongFromObjectOrReply(client *c, robj *o, long long *target, const char *msg) {
    long long value;
    if (getLongLongFromObject(o, &value) != C_OK) {
        addReplyError(c, msg ? msg : "value is not an integer or out of range");
        return C_ERR;
    }
    *target = value;
    return C_OK;
}

int getRangeLongFromObjectOrReply(client *c, robj *o, long min, long max, long *target, const char *msg) {
    long long value;
    if (getLongLongFromObjectOrReply(c, o, &value, msg) != C_OK) return C_ERR;
    if (value < min || value > max) {
        if (msg)
            addReplyError(c, msg);
        else
            addReplyErrorFormat(c, "value is out of range, value must between %ld and %ld", min, max);
        return C_ERR;
    }
    *target = (long)value;
    return C_OK;
}

int getLongFromObjectOrReply(client *c, robj *o, long *target, const char *msg) {
    long long value;
    if (getLongLongFromObjectOrReply(c, o, &value, msg) != C_OK) return C_ERR;
    if (value < LONG_MIN || value > LONG_MAX) {
        addReplyError(c, msg ? msg : "value is out of range");
        return C_ERR;
    }
    *target = (long)value;
    return C_OK;
}

int getPositiveLongFromObjectOrReply(client *c, robj *o, long *target, const char *msg) {
    if (msg) return getRangeLongFromObjectOrReply(c, o, 0, LONG_MAX, target, msg);
    return getRangeLongFromObjectOrReply(c, o, 0, LONG_MAX, target, "value is out of range, must be positive");
}

int getIntFromObjectOrReply(client *c, robj *o, int *target, const char *msg) {
    long value;
    if (getRangeLongFromObjectOrReply(c, o, INT_MIN, INT_MAX, &value, msg) != C_OK) return C_ERR;
    *target = (int)value;
    return C_OK;
}

int getDoubleFromObject(const robj *o, double *target) {
    double value;
    if (o == NULL) {
        value = 0;
    } else if (sdsEncodedObject(o)) {
        if (!string2d(o->ptr, sdslen(o->ptr), &value)) return C_ERR;
    } else if (o->encoding == OBJ_ENCODING_INT) {
        value = (long)o->ptr;
    } else {
        return C_ERR;
    }
    *target = value;
    return C_OK;
}

int getDoubleFromObjectOrReply(client *c, robj *o, double *target, const char *msg) {
    double value;
    if (getDoubleFromObject(o, &value) != C_OK) {
        addReplyError(c, msg ? msg : "value is not a valid float");
        return C_ERR;
    }
    *target = value;
    return C_OK;
}

int getLongDoubleFromObject(robj *o, long double *target) {
    long double value;
    if (o == NULL) {
        value = 0;
    } else if (sdsEncodedObject(o)) {
        if (!string2ld(o->ptr, sdslen(o->ptr), &value)) return C_ERR;
    } else if (o->encoding == OBJ_ENCODING_INT) {
        value = (long)o->ptr;
    } else {
        return C_ERR;
    }
    *target = value;
    return C_OK;
}

int getLongDoubleFromObjectOrReply(client *c, robj *o, long double *target, const char *msg) {
    long double value;
    if (getLongDoubleFromObject(o, &value) != C_OK) {
        addReplyError(c, msg ? msg : "value is not a valid float");
        return C_ERR;
    }
    *target = value;
    return C_OK;
}

/* ------------------------------------------------------------- helpers */

/* The name OBJECT ENCODING prints for an encoding. */
const char *strEncoding(int encoding) {
    switch (encoding) {
    case OBJ_ENCODING_RAW: return "raw";
    case OBJ_ENCODING_INT: return "int";
    case OBJ_ENCODING_HT: return "hashtable";
    case OBJ_ENCODING_QUICKLIST: return "quicklist";
    case OBJ_ENCODING_LISTPACK: return "listpack";
    case OBJ_ENCODING_INTSET: return "intset";
    case OBJ_ENCODING_SKIPLIST: return "skiplist";
    case OBJ_ENCODING_EMBSTR: return "embstr";
    case OBJ_ENCODING_STREAM: return "stream";
    default: return "unknown";
    }
}

/* The name TYPE and SCAN ... TYPE use for o's type; "none" for NULL. */
const char *getObjectTypeName(robj *o) {
    if (o == NULL) return "none";
    switch (o->type) {
    case OBJ_STRING: return "string";
    case OBJ_LIST: return "list";
    case OBJ_SET: return "set";
    case OBJ_ZSET: return "zset";
    case OBJ_HASH: return "hash";
    case OBJ_STREAM: return "stream";
    default: return "unknown";
    }
}

/* A deep, private copy of a stored value for COPY: refcount 1, the same
 * type and encoding, nothing shared with o (not even a shared integer).
 * The caller owns the result. Every type a key can hold has its case;
 * reaching the panic means a value of an unknown type was stored. */
robj *dupObjectForCopy(robj *o) {
    switch (o->type) {
    case OBJ_STRING: return dupStringObject(o);
    case OBJ_LIST: return listTypeDup(o);
    case OBJ_ZSET: return zsetDup(o);
    case OBJ_SET: return setTypeDup(o);
    case OBJ_HASH: return hashTypeDup(o);
    case OBJ_STREAM: {
        robj *d = createObject(OBJ_STREAM, streamDup(o->ptr));
        d->encoding = OBJ_ENCODING_STREAM;
        return d;
    }
    default: serverPanic("dupObjectForCopy: no copy for type %d", o->type);
    }
}

/* Milliseconds since o was last accessed, from its 24-bit LRU stamp (the
 * clock wraps about every 194 days; one wrap is accounted for). */
unsigned long long estimateObjectIdleTime(robj *o) {
    unsigned long long now = LRU_CLOCK();
    unsigned long long ticks = now >= o->lru ? now - o->lru : now + (LRU_CLOCK_MAX - o->lru);
    return ticks * LRU_CLOCK_RESOLUTION;
}

/* Replies WRONGTYPE and returns 1 when o is not of the given type. */
int checkType(client *c, robj *o, int type) {
    if (o && o->type != (unsigned)type) {
        addReplyErrorObject(c, shared.wrongtypeerr);
        return 1;
    }
    return 0;
}

/* The LRU clock: seconds resolution, wrapping at 24 bits. */
unsigned int getLRUClock(void) {
    return (mstime() / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX;
}

/* The cached clock when cron runs often enough, the real one otherwise. */

static robj *createSharedProto(const char *s) {
    return makeObjectShared(createObject(OBJ_STRING, sdsnew(s)));
}

/* Creates the immortal reply objects used everywhere. */
void createSharedObjects(void) {
    shared.ok = createSharedProto("+OK\r\n");
    shared.emptybulk = createSharedProto("$0\r\n\r\n");
    shared.czero = createSharedProto(":0\r\n");
    shared.cone = createSharedProto(":1\r\n");
    shared.emptyarray = createSharedProto("*0\r\n");
    shared.pong = createSharedProto("+PONG\r\n");
    shared.queued = createSharedProto("+QUEUED\r\n");
    shared.wrongtypeerr =
        createSharedProto("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    shared.nokeyerr = createSharedProto("-ERR no such key\r\n");
    shared.syntaxerr = createSharedProto("-ERR syntax error\r\n");
    shared.sameobjecterr = createSharedProto("-ERR source and destination objects are the same\r\n");
    shared.outofrangeerr = createSharedProto("-ERR index out of range\r\n");
    shared.loadingerr = createSharedProto("-LOADING Redis is loading the dataset in memory\r\n");
    shared.noautherr = createSharedProto("-NOAUTH Authentication required.\r\n");
    shared.oomerr = createSharedProto("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
    shared.execaborterr = createSharedProto("-EXECABORT Transaction discarded because of previous errors.\r\n");
    shared.null[0] = NULL;
    shared.null[1] = NULL;
    shared.null[2] = createSharedProto("$-1\r\n");
    shared.null[3] = createSharedProto("_\r\n");
    shared.emptymap[0] = NULL;
    shared.emptymap[1] = NULL;
    shared.emptymap[2] = createSharedProto("*0\r\n");
    shared.emptymap[3] = createSharedProto("%0\r\n");
    shared.emptyset[0] = NULL;
    shared.emptyset[1] = NULL;
    shared.emptyset[2] = createSharedProto("*0\r\n");
    shared.emptyset[3] = createSharedProto("~0\r\n");
    for (int j = 0; j < OBJ_SHARED_INTEGERS; j++) {
        shared.integers[j] = makeObjectShared(createObject(OBJ_STRING, (void *)(long)j));
        shared.integers[j]->encoding = OBJ_ENCODING_INT;
    }
}

/* ------------------------------------------------------------- OBJECT */

/* The value OBJECT inspects: looked up without touching its LRU stamp, or
 * NULL after replying null when the key does not exist. */
static robj *objectLookupOrReply(client *c) {
    robj *o = lookupKeyReadWithFlags(c->db, c->argv[2], LOOKUP_NOTOUCH | LOOKUP_NONOTIFY);
    if (o == NULL) addReplyNull(c);
    return o;
}

/* OBJECT ENCODING key */
void objectEncodingCommand(client *c) {
    robj *o = objectLookupOrReply(c);
    if (o) addReplyBulkCString(c, strEncoding(o->encoding));
}

/* OBJECT REFCOUNT key (shared objects report INT_MAX). */
void objectRefcountCommand(client *c) {
    robj *o = objectLookupOrReply(c);
    if (o) addReplyLongLong(c, objectReportedRefcount(o));
}

/* OBJECT IDLETIME key: seconds since the last access. Under an LFU policy
 * the stamp holds a frequency, so there is no idle time to report. */
void objectIdletimeCommand(client *c) {
    robj *o = objectLookupOrReply(c);
    if (o == NULL) return;
    if (server.memory.maxmemory_policy & MAXMEMORY_FLAG_LFU) {
        addReplyError(c, "An LFU maxmemory policy is selected, idle time not tracked. Please note that "
                         "when switching between policies at runtime LRU and LFU data will take some "
                         "time to adjust.");
        return;
    }
    addReplyLongLong(c, estimateObjectIdleTime(o) / 1000);
}

/* OBJECT FREQ key: the LFU counter, decayed to now (LFU policies only). */
void objectFreqCommand(client *c) {
    robj *o = objectLookupOrReply(c);
    if (o == NULL) return;
    if (!(server.memory.maxmemory_policy & MAXMEMORY_FLAG_LFU)) {
        addReplyError(c, "An LFU maxmemory policy is not selected, access frequency not tracked. Please "
                         "note that when switching between policies at runtime LRU and LFU data will "
                         "take some time to adjust.");
        return;
    }
    addReplyLongLong(c, (long long)objectLFUFrequency(o));
}

/* OBJECT HELP */
void objectHelpCommand(client *c) {
    static const char *help[] = {
        "ENCODING <key>",
        "    The internal representation of the value stored at <key>.",
        "FREQ <key>",
        "    The logarithmic access counter of <key> (LFU maxmemory policies only).",
        "IDLETIME <key>",
        "    Seconds since <key> was last read or written (not under LFU policies).",
        "REFCOUNT <key>",
        "    How many references the value stored at <key> has.",
        NULL,
    };
    addReplyHelp(c, help);
}
