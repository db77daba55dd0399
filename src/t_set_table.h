/* t_set_table.h — the hashtable encoding of a set: a table of packed
 * members, one allocation per member.
 *
 * A member is stored as one allocation holding a length header and the
 * member's bytes (no sds, no dict entry); a ptable (src/lib/ptable.h) of
 * pointers to those allocations finds them by the seeded siphash of the
 * bytes. Members come back as (bytes, length) pointing into the
 * allocation, so a reply is built from them without a copy.
 */
#ifndef EMBER_T_SET_TABLE_H
#define EMBER_T_SET_TABLE_H

#include <stddef.h>
#include "ptable.h"

typedef ptable setTable;

/* A walk over the members (no add or delete while it runs). */
typedef struct setTableIterator {
    ptIterator it;
} setTableIterator;

/* Called by setTableScan for each member passed; the bytes are borrowed
 * and valid only during the call. */
typedef void setTableScanFunction(void *privdata, const char *member, size_t len);

/* An empty table. The caller owns it (setTableRelease). */
setTable *setTableCreate(void);
/* Frees the table and every member. */
void setTableRelease(setTable *t);
/* Adds member (copied). Returns 1 if added, 0 if it was there already. */
int setTableAdd(setTable *t, const char *member, size_t len);
/* Removes member. Returns 1 if it was there. Shrinks a sparse table. */
int setTableDelete(setTable *t, const char *member, size_t len);
/* 1 if member is in the table. */
int setTableContains(setTable *t, const char *member, size_t len);
static inline size_t setTableSize(const setTable *t) {
    return ptSize(t);
}
/* Sizes an empty table for n members (a load or a conversion). */
void setTableExpand(setTable *t, size_t n);
/* A member picked uniformly from a non-empty table: its bytes (borrowed,
 * valid until the member is deleted) and *len. */
const char *setTableRandom(setTable *t, size_t *len);

void setTableInitIterator(setTableIterator *si, setTable *t);
/* The next member's bytes and *len (borrowed, valid while the table is
 * unchanged), or NULL at the end. */
const char *setTableNext(setTableIterator *si, size_t *len);
void setTableResetIterator(setTableIterator *si);

/* One ptScan step from cursor; returns the next cursor (0: done). */
unsigned long setTableScan(setTable *t, unsigned long cursor, setTableScanFunction *fn, void *privdata);
/* Bytes of the table and its members, sampling up to samples members and
 * scaling (SIZE_MAX: all of them). */
size_t setTableMemUsage(setTable *t, size_t samples);
/* A human-readable description of the table (DEBUG HTSTATS-KEY). */
void setTableGetStats(char *buf, size_t bufsize, setTable *t);

#endif /* EMBER_T_SET_TABLE_H */
