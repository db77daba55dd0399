/* object.h — the value object (robj) and what is done with one.
 *
 * A robj carries a type (OBJ_STRING ...), an encoding of that type
 * (OBJ_ENCODING_*), an LRU stamp and a reference count; ptr points at the
 * encoded payload (an sds, a listpack, a dict ...). Declares object.c: the
 * constructors, reference counting, conversions of string objects to numbers
 * (the *OrReply forms answer the client on failure), the LRU clock and the
 * OBJECT command. The shared objects themselves are in server.h (`shared`).
 */
#ifndef EMBER_OBJECT_H
#define EMBER_OBJECT_H

#include <limits.h>
#include <stddef.h>
#include "sds.h"

#define LRU_BITS 24
#define LRU_CLOCK_MAX ((1 << LRU_BITS) - 1)
#define LRU_CLOCK_RESOLUTION 1000
#define OBJ_SHARED_INTEGERS 10000

/* -------------------------------------------------------------- objects */
#define OBJ_STRING 0
#define OBJ_LIST 1
#define OBJ_SET 2
#define OBJ_ZSET 3
#define OBJ_HASH 4
#define OBJ_MODULE 5
#define OBJ_STREAM 6

#define OBJ_ENCODING_RAW 0
#define OBJ_ENCODING_INT 1
#define OBJ_ENCODING_HT 2
#define OBJ_ENCODING_ZIPMAP 3
#define OBJ_ENCODING_LINKEDLIST 4
#define OBJ_ENCODING_ZIPLIST 5
#define OBJ_ENCODING_INTSET 6
#define OBJ_ENCODING_SKIPLIST 7
#define OBJ_ENCODING_EMBSTR 8
#define OBJ_ENCODING_QUICKLIST 9
#define OBJ_ENCODING_STREAM 10
#define OBJ_ENCODING_LISTPACK 11

#define OBJ_ENCODING_EMBSTR_SIZE_LIMIT 44
/* The reference count has 28 bits; its two top values mark objects that
 * are never freed: shared ones (OBJECT REFCOUNT shows INT_MAX for them, as
 * Redis does) and ones on the stack. */
#define OBJ_REFCOUNT_BITS 28
#define OBJ_SHARED_REFCOUNT ((1U << OBJ_REFCOUNT_BITS) - 1)
#define OBJ_STATIC_REFCOUNT (OBJ_SHARED_REFCOUNT - 1)

/* The four flag bits after the reference count belong to the keyspace
 * (db.c, keyspace.c) and are 0 in every other object. A keyspace entry is
 * one allocation: this header, the deadline when has_expire, the key (an
 * sds), and for a short string the value's bytes. Either the entry IS the
 * value object (a string: embstr bytes after the key, or an int in ptr),
 * or it is `boxed` and holds a reference to the value object in ptr.
 * decrRefCount frees an entry like any object (a boxed one drops its
 * value's reference). */
typedef struct redisObject {
    unsigned type : 4;
    unsigned encoding : 4;
    unsigned lru : LRU_BITS;
    unsigned refcount : OBJ_REFCOUNT_BITS;
    unsigned keyed : 1;      /* a keyspace entry: the key follows the header */
    unsigned has_expire : 1; /* keyed: a deadline follows the header */
    unsigned boxed : 1;      /* keyed: ptr is a reference to the value object */
    unsigned long_key : 1;   /* keyed: the key has an sdshdr64, not an sdshdr8 */
    void *ptr;
} robj;

typedef struct client client;

robj *createObject(int type, void *ptr);
robj *createStringObject(const char *ptr, size_t len);
robj *createRawStringObject(const char *ptr, size_t len);
robj *createEmbeddedStringObject(const char *ptr, size_t len);
/* The object of an embedded string, from its sds (o->ptr of an object made
 * by createEmbeddedStringObject, and only of such an object). */
robj *embeddedStringObjectOf(sds s);
robj *createStringObjectFromLongLong(long long value);
robj *createStringObjectFromLongLongForValue(long long value);
robj *createStringObjectFromLongDouble(long double value, int humanfriendly);
robj *dupStringObject(const robj *o);
robj *tryObjectEncoding(robj *o);
robj *getDecodedObject(robj *o);
robj *makeObjectShared(robj *o);
void incrRefCount(robj *o);
void decrRefCount(robj *o);
void decrRefCountVoid(void *o);
/* The reference count OBJECT REFCOUNT and DEBUG OBJECT show (INT_MAX for
 * a shared object). */
long long objectReportedRefcount(const robj *o);
/* decrRefCount for a command argument being released after the command:
 * an unshared embstr is kept for reuse by createEmbeddedStringObject
 * instead of freed. Main thread only. */
void releaseArgumentObject(robj *o);
size_t stringObjectLen(robj *o);
int getLongLongFromObject(robj *o, long long *target);
int getLongLongFromObjectOrReply(client *c, robj *o, long long *target, const char *msg);
int getLongFromObjectOrReply(client *c, robj *o, long *target, const char *msg);
int getIntFromObjectOrReply(client *c, robj *o, int *target, const char *msg);
int getRangeLongFromObjectOrReply(client *c, robj *o, long min, long max, long *target, const char *msg);
int getPositiveLongFromObjectOrReply(client *c, robj *o, long *target, const char *msg);
int getDoubleFromObject(const robj *o, double *target);
int getDoubleFromObjectOrReply(client *c, robj *o, double *target, const char *msg);
int getLongDoubleFromObject(robj *o, long double *target);
int getLongDoubleFromObjectOrReply(client *c, robj *o, long double *target, const char *msg);
int equalStringObjects(robj *a, robj *b);
int compareStringObjects(robj *a, robj *b);
const char *strEncoding(int encoding);
int checkType(client *c, robj *o, int type);
void createSharedObjects(void);
unsigned int getLRUClock(void);
#define sdsEncodedObject(objptr) ((objptr)->encoding == OBJ_ENCODING_RAW || (objptr)->encoding == OBJ_ENCODING_EMBSTR)
const char *getObjectTypeName(robj *o);
robj *dupObjectForCopy(robj *o);
unsigned long long estimateObjectIdleTime(robj *o);
void objectEncodingCommand(client *c);
void objectRefcountCommand(client *c);
void objectIdletimeCommand(client *c);
void objectFreqCommand(client *c);
void objectHelpCommand(client *c);

#endif /* EMBER_OBJECT_H */
