/* lazyfree.h — freeing big values in the background. See lazyfree.c. */
#ifndef EMBER_LAZYFREE_H
#define EMBER_LAZYFREE_H

#include "dict.h"
#include "object.h"

/* Releases the keyspace's reference to o: at once when o is cheap to free
 * or shared, else on the lazy-free thread (o must be unreachable from the
 * keyspace already, and nobody else may hold it: refcount 1). */
void lazyfreeObject(robj *o);

/* Releases the keyspace's reference to a value it no longer holds (same
 * conditions): lazily when lazy (the lazyfree-lazy-* setting that applies),
 * and whatever lazy says when freeing it inline would hold the loop long. */
void lazyfreeReleaseValue(robj *o, int lazy);
/* Frees a database's whole key tables (already replaced by empty ones,
 * holding count keys) on the lazy-free thread, by release(tables). */
void lazyfreeKeyTables(void (*release)(void *), void *tables, unsigned long long count);
/* INFO memory: values handed to the thread and not freed yet, and values
 * the thread freed since start. */
unsigned long long lazyfreePendingObjects(void);
unsigned long long lazyfreedObjects(void);

#endif
