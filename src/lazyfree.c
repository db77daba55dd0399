/* lazyfree.c — freeing big values off the event loop.
 *
 * Freeing a value costs time in proportion to its allocations: a hash of
 * ten million fields is ten million frees, seconds of a stopped server.
 * UNLINK, FLUSHALL/FLUSHDB ASYNC and the lazyfree-lazy-* settings hand such
 * values to the BIO_LAZY_FREE thread of bio.c instead, once they are out
 * of the keyspace, so nothing else can reach them.
 *
 * The effort of freeing a value is its count of allocations, estimated as
 * Redis does: the nodes of a quicklist or of a stream's radix tree (plus
 * its groups, each counted with as many PEL entries as the first), the
 * entries of a hash table or skiplist; one for a string or a compact encoding (listpack, intset),
 * which are single allocations. A value of effort above
 * LAZYFREE_THRESHOLD (64) with no other reference goes to the thread;
 * anything else is freed at once, where a thread hand-off would cost more
 * than the free. Whole key tables (FLUSH ASYNC) always go. Beyond the
 * settings, a value of effort above LAZYFREE_GUARDRAIL that leaves the
 * keyspace (DEL, expiry, eviction, overwrite) always goes too: freeing it
 * inline would hold the loop for more than about half a millisecond.
 *
 * Thread safety: the thread only calls decrRefCount / dictRelease on data
 * no other code can see, and zmalloc's counters are per thread. The two
 * INFO counters are atomics written by both sides.
 */
#include "server.h"
#include "bio.h"
#include "lazyfree.h"
#include "t_stream.h"

#include <stdatomic.h>

#define LAZYFREE_THRESHOLD 64
/* Above this effort (about half a millisecond of frees) a value goes to the
 * thread whatever the lazyfree-lazy-* settings say: the loop must not stop
 * for a big key. */
#define LAZYFREE_GUARDRAIL 16384

static atomic_ullong pending_objects;
static atomic_ullong freed_objects;

/* How many allocations freeing o takes, about. */
static size_t freeEffort(robj *o) {
    switch (o->type) {
    case OBJ_LIST: return o->encoding == OBJ_ENCODING_QUICKLIST ? ((quicklist *)o->ptr)->len : 1;
    case OBJ_SET: return o->encoding == OBJ_ENCODING_HT ? setTableSize(o->ptr) : 1;
    case OBJ_HASH: return o->encoding == OBJ_ENCODING_HT ? hashTypeLength(o) : 1;
    case OBJ_ZSET: return o->encoding == OBJ_ENCODING_SKIPLIST ? ((zset *)o->ptr)->zsl->length : 1;
    case OBJ_STREAM: return raxSize(((stream *)o->ptr)->rax) + streamGroupsFreeEffort(o->ptr);
    default: return 1;
    }
}

static void freeObjectJob(void *arg) {
    decrRefCount(arg);
    atomic_fetch_sub(&pending_objects, 1);
    atomic_fetch_add(&freed_objects, 1);
}

void lazyfreeObject(robj *o) {
    if (o->refcount != 1 || freeEffort(o) <= LAZYFREE_THRESHOLD) {
        decrRefCount(o);
        return;
    }
    atomic_fetch_add(&pending_objects, 1);
    bioSubmit(BIO_LAZY_FREE, freeObjectJob, o);
}

void lazyfreeReleaseValue(robj *o, int lazy) {
    if (lazy || (o->refcount == 1 && freeEffort(o) > LAZYFREE_GUARDRAIL))
        lazyfreeObject(o);
    else
        decrRefCount(o);
}

typedef struct keyTables {
    void (*release)(void *);
    void *tables;
    unsigned long long count;
} keyTables;

static void freeKeyTablesJob(void *arg) {
    keyTables *t = arg;
    t->release(t->tables);
    atomic_fetch_sub(&pending_objects, t->count);
    atomic_fetch_add(&freed_objects, t->count);
    zfree(t);
}

void lazyfreeKeyTables(void (*release)(void *), void *tables, unsigned long long count) {
    keyTables *t = zmalloc(sizeof(*t));
    t->release = release;
    t->tables = tables;
    t->count = count;
    atomic_fetch_add(&pending_objects, t->count);
    bioSubmit(BIO_LAZY_FREE, freeKeyTablesJob, t);
}

unsigned long long lazyfreePendingObjects(void) {
    return atomic_load(&pending_objects);
}

unsigned long long lazyfreedObjects(void) {
    return atomic_load(&freed_objects);
}
