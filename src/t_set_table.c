/* t_set_table.c — the hashtable encoding of a set: packed members in a
 * ptable.
 *
 * Redis 7.0 keeps a big set in a dict: per member a bucket pointer, a
 * 24-byte dict entry and an sds, about 56 bytes before the bytes of the
 * member. Here a member is one allocation:
 *
 *   length header   1 byte when the length is below 255, else the byte
 *                   255 followed by the length in 8 bytes
 *   the bytes       not NUL-terminated (every reader takes the length)
 *
 * so a 12-byte member is 13 bytes, a 16-byte size class, and the table
 * (src/lib/ptable.c: 8 bytes a slot, filled at most 3/4) adds 8 to 21
 * bytes. The allocation starts on the allocator's alignment, as ptable
 * needs. The table hashes a member with dictGenHashFunction, the seeded
 * siphash the dicts use, so the order of iteration and SSCAN differs from
 * process to process as in Redis; a lookup hashes the key once and passes
 * the hash in.
 *
 * The table grows and rehashes incrementally inside ptable (a step per
 * add or delete), shrinks after deletions when under a tenth full, and
 * obeys the process-wide resize rule for fork children. Random picks are
 * ptRandom's (uniform), and scans are ptScan's (every member present for
 * a whole scan is passed at least once, across resizes).
 */
#include "t_set_table.h"

#include <string.h>

#include "dict.h"
#include "util.h"
#include "zmalloc.h"

#define LONG_LEN_MARK 255

/* A member being looked up: its bytes, not a stored entry. */
typedef struct memberKey {
    const char *s;
    size_t len;
} memberKey;

/* The bytes of a stored member and their length. */
static inline const char *entryBytes(const void *entry, size_t *len) {
    const unsigned char *p = entry;
    if (p[0] != LONG_LEN_MARK) {
        *len = p[0];
        return (const char *)p + 1;
    }
    uint64_t l;
    memcpy(&l, p + 1, sizeof(l));
    *len = (size_t)l;
    return (const char *)p + 1 + sizeof(l);
}

/* A new entry holding a copy of member. The caller owns it (zfree). */
static void *entryCreate(const char *member, size_t len) {
    unsigned char *p;
    if (len < LONG_LEN_MARK) {
        p = zmalloc(1 + len);
        p[0] = (unsigned char)len;
        memcpy(p + 1, member, len);
        return p;
    }
    uint64_t l = len;
    p = zmalloc(1 + sizeof(l) + len);
    p[0] = LONG_LEN_MARK;
    memcpy(p + 1, &l, sizeof(l));
    memcpy(p + 1 + sizeof(l), member, len);
    return p;
}

static uint64_t entryHash(const void *entry) {
    size_t len;
    const char *s = entryBytes(entry, &len);
    return dictGenHashFunction(s, len);
}

static inline int entryMatch(const void *entry, const void *key) {
    const memberKey *k = key;
    size_t len;
    const char *s = entryBytes(entry, &len);
    return len == k->len && bytesEqual(s, k->s, len);
}

static void entryFree(void *entry) {
    zfree(entry);
}

static const ptableType setTableType = {entryHash, entryMatch};

setTable *setTableCreate(void) {
    return ptCreate(&setTableType);
}

void setTableRelease(setTable *t) {
    ptRelease(t, entryFree);
}

int setTableAdd(setTable *t, const char *member, size_t len) {
    memberKey k = {member, len};
    uint64_t h = dictGenHashFunction(member, len);
    if (ptFindWith(t, h, &k, entryMatch) != NULL) return 0;
    ptAdd(t, h, entryCreate(member, len));
    return 1;
}

int setTableDelete(setTable *t, const char *member, size_t len) {
    memberKey k = {member, len};
    void *entry = ptDelete(t, dictGenHashFunction(member, len), &k);
    if (entry == NULL) return 0;
    zfree(entry);
    ptShrinkIfSparse(t);
    return 1;
}

int setTableContains(setTable *t, const char *member, size_t len) {
    memberKey k = {member, len};
    return ptFindWith(t, dictGenHashFunction(member, len), &k, entryMatch) != NULL;
}

void setTableExpand(setTable *t, size_t n) {
    ptExpand(t, n);
}

const char *setTableRandom(setTable *t, size_t *len) {
    return entryBytes(ptRandom(t), len);
}

void setTableInitIterator(setTableIterator *si, setTable *t) {
    ptInitIterator(&si->it, t);
}

const char *setTableNext(setTableIterator *si, size_t *len) {
    void *entry = ptNext(&si->it);
    return entry ? entryBytes(entry, len) : NULL;
}

void setTableResetIterator(setTableIterator *si) {
    ptResetIterator(&si->it);
}

/* State of a scan step: the caller's callback. */
typedef struct scanState {
    setTableScanFunction *fn;
    void *privdata;
} scanState;

static void scanEntry(void *privdata, void *entry) {
    scanState *st = privdata;
    size_t len;
    const char *s = entryBytes(entry, &len);
    st->fn(st->privdata, s, len);
}

unsigned long setTableScan(setTable *t, unsigned long cursor, setTableScanFunction *fn, void *privdata) {
    scanState st = {fn, privdata};
    return ptScan(t, cursor, scanEntry, &st);
}

size_t setTableMemUsage(setTable *t, size_t samples) {
    size_t size = ptMemUsage(t), measured = 0, seen = 0;
    ptIterator it;
    ptInitIterator(&it, t);
    void *entry;
    while (seen < samples && (entry = ptNext(&it)) != NULL) {
        measured += zmalloc_size(entry);
        seen++;
    }
    ptResetIterator(&it);
    if (seen == 0) return size;
    return size + (size_t)((double)measured / (double)seen * (double)ptSize(t));
}

void setTableGetStats(char *buf, size_t bufsize, setTable *t) {
    ptGetStats(buf, bufsize, t);
}
