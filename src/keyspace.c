/* keyspace.c — the key tables of a database: entries, the pointer tables
 * that find them, the array of entries with a deadline, the cluster slots.
 *
 * An entry is one allocation per key:
 *
 *   robj header (16 bytes: type, encoding, LRU, refcount, keyspace flags, ptr)
 *   deadline (8) and place in the volatile array (8)     only when has_expire
 *   the key: an sds with an sdshdr8 (sdshdr64 when long_key), NUL-terminated
 *   a short string value: an sds with an sdshdr8                  embstr only
 *
 * For a string of at most 44 bytes (embstr) or a private integer (int) the
 * entry IS the value object: its type and encoding are the value's and ptr
 * points at the value's bytes after the key (or holds the integer). A key
 * of 12 bytes with a 12-byte value is 16 + 16 + 16 = 48 bytes, a jemalloc
 * size class, against three allocations (dict entry, key, object) before.
 * Every other value (raw strings, shared integers, collections) is boxed:
 * ptr holds a reference to the value's own robj, so commands that made it
 * keep a valid pointer, and the value's reference count means what it
 * always meant. Entries are released with decrRefCount like any object; a
 * reference taken to an entry's value (a reply being built, SORT holding
 * a value while it looks up others) keeps the whole entry alive, key
 * included, after the key is deleted.
 *
 * Moving entries. Setting or removing a deadline changes the entry's size
 * and so makes a new entry; so does giving a key a value of the other kind
 * (embedded or boxed). The tables are then told (ptReplace, the volatile
 * array), and the old entry is released. An overwrite by a short string
 * of an unshared embedded entry is done in place when it fits.
 *
 * The tables. Entries are found through a ptable (src/lib/ptable.c: open
 * addressing, 8 bytes a slot, filled at most 3/4, so 8 to 21 bytes a key)
 * keyed by the siphash of the key. In cluster mode there is one ptable per
 * hash slot (made on the slot's first key, freed with its last), so the
 * keys of a slot are counted, listed and deleted without a walk of the
 * rest; a Fenwick tree of the slots' sizes picks a slot in proportion to
 * its keys, which keeps RANDOMKEY and eviction sampling fair, and a short
 * list remembers the slots whose table is being rehashed so cron finds
 * them. A SCAN cursor is then the table cursor shifted left by 14 bits
 * with the slot in the low bits: slots are walked in order, each one's
 * table by its own cursor.
 *
 * The entries with a deadline are also in a dense array (8 bytes each,
 * capacity doubling, halved when a quarter full), and each such entry
 * knows its place in it: adding and removing are O(1) (the last element
 * fills a hole), and a uniform pick is one random index (eviction's
 * samples are such picks). Active expiry walks it from the end down to 0: a
 * removal moves an element from the end, already visited, into a hole, so
 * an element present for a whole walk is visited at least once.
 */
#include "server.h"
#include "keyspace.h"
#include "crc16.h"

#include <stdlib.h>
#include <string.h>

typedef ksEntryExpireFields entryExpire;

/* ------------------------------------------------------------ entries */

static inline entryExpire *expireFields(const robj *e) {
    return (entryExpire *)(void *)((char *)(uintptr_t)e + sizeof(robj));
}

static inline char *keyArea(const robj *e) {
    return ksEntryKeyArea(e);
}

long long ksEntryExpire(const robj *e) {
    return e->has_expire ? expireFields(e)->when : -1;
}

/* 1 if val's content can live inside an entry. */
static int embeddable(const robj *val) {
    if (val->type != OBJ_STRING) return 0;
    return val->encoding == OBJ_ENCODING_EMBSTR ||
           (val->encoding == OBJ_ENCODING_INT && val->refcount < OBJ_STATIC_REFCOUNT);
}

/* Bytes of an entry for a key of klen bytes, with or without a deadline,
 * holding val. */
static size_t entrySize(size_t klen, int with_expire, const robj *val) {
    size_t size = sizeof(robj) + (with_expire ? sizeof(entryExpire) : 0) +
                  sdsInPlaceSize(klen > UINT8_MAX ? SDS_TYPE_64 : SDS_TYPE_8, klen);
    if (embeddable(val) && val->encoding == OBJ_ENCODING_EMBSTR) size += sdsInPlaceSize(SDS_TYPE_8, sdslen(val->ptr));
    return size;
}

/* Writes val's content (or the reference to it) into e, whose key is in
 * place. Takes a new reference to a boxed value; copies an embedded one. */
static void entrySetValue(robj *e, robj *val) {
    int embed = embeddable(val);
    e->type = val->type;
    e->encoding = val->encoding;
    e->lru = val->lru;
    e->boxed = !embed;
    if (!embed) {
        incrRefCount(val);
        e->ptr = val;
    } else if (val->encoding == OBJ_ENCODING_EMBSTR) {
        sds key = ksEntryKey(e);
        size_t vlen = sdslen(val->ptr);
        e->ptr = sdsInitInPlace(key + sdslen(key) + 1, SDS_TYPE_8, val->ptr, vlen);
    } else {
        e->ptr = val->ptr;
    }
}

/* A new entry for key with val (val is not consumed: a boxed value gets a
 * new reference) and, when with_expire, deadline when. */
static robj *entryNew(const char *key, size_t klen, robj *val, int with_expire, long long when) {
    robj *e = zmalloc(entrySize(klen, with_expire, val));
    *e = (robj){.refcount = 1, .keyed = 1, .has_expire = (unsigned)with_expire, .long_key = klen > UINT8_MAX};
    if (with_expire) *expireFields(e) = (entryExpire){when, 0};
    sdsInitInPlace(keyArea(e), e->long_key ? SDS_TYPE_64 : SDS_TYPE_8, key, klen);
    entrySetValue(e, val);
    return e;
}

robj *ksEntryDetachValue(robj *e) {
    if (!e->boxed) return e;
    robj *val = e->ptr;
    zfree(e);
    return val;
}

/* ------------------------------------------------------- the tables */

static uint64_t entryHash(const void *e) {
    sds key = ksEntryKey(e);
    return dictGenHashFunction(key, sdslen(key));
}

static const ptableType entryTableType = {entryHash, ksEntryMatch};


dbKeyspace *ksCreate(int per_slot) {
    dbKeyspace *ks = zcalloc(sizeof(*ks));
    if (!per_slot) ks->main = ptCreate(&entryTableType);
    return ks;
}

/* The per-slot arrays, made with a database's first key (about 300 KB:
 * the databases a cluster never uses stay small). */
static void allocSlots(dbKeyspace *ks) {
    ks->slots = zcalloc(sizeof(ptable *) * KS_SLOTS);
    ks->tree = zcalloc(sizeof(unsigned long long) * KS_SLOTS);
    ks->rehashing = zmalloc(sizeof(uint16_t) * KS_SLOTS);
    ks->listed = zcalloc(KS_SLOTS);
}

static void releaseEntry(void *e) {
    decrRefCount(e);
}

void ksRelease(dbKeyspace *ks) {
    if (ks->main) ptRelease(ks->main, releaseEntry);
    if (ks->slots) {
        for (int j = 0; j < KS_SLOTS; j++)
            if (ks->slots[j]) ptRelease(ks->slots[j], releaseEntry);
        zfree(ks->slots);
        zfree(ks->tree);
        zfree(ks->rehashing);
        zfree(ks->listed);
    }
    zfree(ks->vol);
    zfree(ks);
}

void ksReleaseVoid(void *ks) {
    ksRelease(ks);
}


/* ------------------------------------------------------ cluster slots */

static void treeAdd(dbKeyspace *ks, unsigned int slot, long long delta) {
    for (unsigned int i = slot + 1; i <= KS_SLOTS; i += i & (~i + 1)) ks->tree[i - 1] += (unsigned long long)delta;
}

/* The slot holding the key of rank r (0-based) in slot order. */
static unsigned int treeFind(const dbKeyspace *ks, unsigned long long r) {
    unsigned int pos = 0;
    for (unsigned int step = KS_SLOTS; step; step >>= 1) {
        if (pos + step <= KS_SLOTS && ks->tree[pos + step - 1] <= r) {
            pos += step;
            r -= ks->tree[pos - 1];
        }
    }
    return pos;
}

/* Keys in slots 0..slot (inclusive). */
static unsigned long long treePrefix(const dbKeyspace *ks, unsigned int slot) {
    unsigned long long sum = 0;
    for (unsigned int i = slot + 1; i > 0; i -= i & (~i + 1)) sum += ks->tree[i - 1];
    return sum;
}

/* The table for key: the only one, or its slot's (made when create). */
static ptable *tableFor(dbKeyspace *ks, const char *key, size_t len, int create, unsigned int *slot) {
    if (ks->main) return ks->main;
    *slot = keyHashSlot(key, len);
    if (ks->slots == NULL) {
        if (!create) return NULL;
        allocSlots(ks);
    }
    if (ks->slots[*slot] == NULL && create) ks->slots[*slot] = ptCreate(&entryTableType);
    return ks->slots[*slot];
}

/* After an add or delete on a slot's table: the count, the rehash list,
 * and the table freed with its last key. */
static void slotChanged(dbKeyspace *ks, unsigned int slot, long long delta) {
    ptable *t = ks->slots[slot];
    ks->keys += (size_t)delta;
    treeAdd(ks, slot, delta);
    if (ptIsRehashing(t) && !ks->listed[slot]) {
        ks->listed[slot] = 1;
        ks->rehashing[ks->nrehashing++] = (uint16_t)slot;
    }
    if (ptSize(t) == 0 && !ks->listed[slot]) {
        ptRelease(t, NULL);
        ks->slots[slot] = NULL;
    }
}

/* --------------------------------------------------- volatile array */

static void volAdd(dbKeyspace *ks, robj *e) {
    if (ks->vol_len == ks->vol_cap) {
        ks->vol_cap = ks->vol_cap ? ks->vol_cap * 2 : 16;
        ks->vol = zrealloc(ks->vol, ks->vol_cap * sizeof(robj *));
    }
    expireFields(e)->vol_idx = ks->vol_len;
    ks->vol[ks->vol_len++] = e;
}

static void volRemove(dbKeyspace *ks, robj *e) {
    size_t idx = expireFields(e)->vol_idx;
    serverAssert(idx < ks->vol_len && ks->vol[idx] == e);
    robj *last = ks->vol[--ks->vol_len];
    if (last != e) {
        ks->vol[idx] = last;
        expireFields(last)->vol_idx = idx;
    }
    if (ks->vol_cap > 16 && ks->vol_len < ks->vol_cap / 4) {
        ks->vol_cap /= 2;
        ks->vol = zrealloc(ks->vol, ks->vol_cap * sizeof(robj *));
    }
}

/* --------------------------------------------------------- operations */

robj *ksFindInSlot(dbKeyspace *ks, sds key, uint64_t hash) {
    if (ks->slots == NULL) return NULL;
    ksLookupKey k = {key, sdslen(key)};
    ptable *t = ks->slots[keyHashSlot(key, k.len)];
    return t ? ptFindWith(t, hash, &k, ksEntryMatch) : NULL;
}

/* Puts entry e (not in the tables yet) into them. */
static void linkEntry(dbKeyspace *ks, robj *e, uint64_t hash) {
    ks->changes++;
    sds key = ksEntryKey(e);
    unsigned int slot = 0;
    ptable *t = tableFor(ks, key, sdslen(key), 1, &slot);
    ptAdd(t, hash, e);
    if (!ks->main) slotChanged(ks, slot, 1);
    if (e->has_expire) volAdd(ks, e);
}

robj *ksAdd(dbKeyspace *ks, const char *key, size_t len, uint64_t hash, robj *val, long long when) {
    robj *e = entryNew(key, len, val, when != -1, when);
    linkEntry(ks, e, hash);
    return ksEntryValue(e);
}

/* Puts n (same key) in old's place in the tables, in the volatile array
 * too when one of them has a deadline. old stays allocated. */
static void replaceEntry(dbKeyspace *ks, robj *old, robj *n) {
    ks->changes++;
    sds key = ksEntryKey(old);
    unsigned int slot = 0;
    ptable *t = tableFor(ks, key, sdslen(key), 0, &slot);
    serverAssert(ptReplace(t, entryHash(old), old, n));
    if (old->has_expire && n->has_expire) {
        expireFields(n)->vol_idx = expireFields(old)->vol_idx;
        ks->vol[expireFields(n)->vol_idx] = n;
        return;
    }
    if (old->has_expire) volRemove(ks, old);
    if (n->has_expire) volAdd(ks, n);
}

/* A copy of e (key, value) with the given deadline state, in e's place in
 * the tables; e is released. */
static robj *rebuildEntry(dbKeyspace *ks, robj *e, int with_expire, long long when) {
    sds key = ksEntryKey(e);
    robj *n = entryNew(key, sdslen(key), ksEntryValue(e), with_expire, when);
    replaceEntry(ks, e, n);
    decrRefCount(e);
    return n;
}

robj *ksSetExpire(dbKeyspace *ks, robj *e, long long when) {
    if (e->has_expire) {
        expireFields(e)->when = when;
        return e;
    }
    return rebuildEntry(ks, e, 1, when);
}

robj *ksRemoveExpire(dbKeyspace *ks, robj *e) {
    serverAssert(e->has_expire);
    return rebuildEntry(ks, e, 0, 0);
}

/* Where the bytes after e's key begin (an embedded string's header). */
static inline char *afterKey(const robj *e) {
    sds key = ksEntryKey(e);
    return key + sdslen(key) + 1;
}

/* The header of the embedded string value of e (encoding embstr: always
 * an sdshdr8 right after the key). */
static inline struct sdshdr8 *embeddedHeader(const robj *e) {
    return (struct sdshdr8 *)(void *)((char *)e->ptr - sizeof(struct sdshdr8));
}

/* 1 if e (unshared, embedded) can take the embeddable val in place. */
static int fitsInPlace(robj *e, robj *val) {
    if (e->refcount != 1 || e->boxed || val->type != OBJ_STRING) return 0;
    if (val->encoding == OBJ_ENCODING_INT) return val->refcount < OBJ_STATIC_REFCOUNT;
    if (val->encoding != OBJ_ENCODING_EMBSTR) return 0;
    size_t vlen = sdslen(val->ptr);
    if (e->encoding == OBJ_ENCODING_EMBSTR && vlen <= embeddedHeader(e)->len) return 1;
    size_t need = (size_t)(afterKey(e) - (char *)e) + sizeof(struct sdshdr8) + vlen + 1;
    return need <= zmalloc_size(e);
}

/* Writes the len bytes of an embedded string at the header h after e's
 * key, which has room for them. */
static inline void writeEmbedded(robj *e, struct sdshdr8 *h, const char *buf, size_t len) {
    h->len = h->alloc = (uint8_t)len;
    h->flags = SDS_TYPE_8;
    memcpy(h->buf, buf, len);
    h->buf[len] = '\0';
    e->ptr = h->buf;
}

/* Writes the embeddable val into e (checked by fitsInPlace). */
static void rewriteInPlace(robj *e, robj *val) {
    e->encoding = val->encoding;
    e->lru = val->lru;
    if (val->encoding == OBJ_ENCODING_INT) {
        e->ptr = val->ptr;
        return;
    }
    writeEmbedded(e, (struct sdshdr8 *)(void *)afterKey(e), val->ptr, sdslen(val->ptr));
}

robj *ksOverwrite(dbKeyspace *ks, robj *e, robj *val, int keepttl, robj **stored) {
    /* The common case first: a short string over a no longer one, in the
     * unshared entry, its deadline state unchanged. */
    if (val->encoding == OBJ_ENCODING_EMBSTR && e->encoding == OBJ_ENCODING_EMBSTR && !e->boxed &&
        e->refcount == 1 && (keepttl || !e->has_expire)) {
        struct sdshdr8 *h = embeddedHeader(e), *vh = embeddedHeader(val);
        if (vh->len <= h->len) {
            e->lru = val->lru;
            writeEmbedded(e, h, vh->buf, vh->len);
            *stored = e;
            return NULL;
        }
    }
    int with_expire = keepttl && e->has_expire;
    if (with_expire == (int)e->has_expire) {
        if (e->boxed && !embeddable(val)) {
            /* The entry stays; only the reference changes hands. */
            robj *old = e->ptr;
            incrRefCount(val);
            e->ptr = val;
            e->type = val->type;
            e->encoding = val->encoding;
            *stored = val;
            return old;
        }
        if (fitsInPlace(e, val)) {
            rewriteInPlace(e, val);
            *stored = e;
            return NULL;
        }
    }
    sds key = ksEntryKey(e);
    robj *n = entryNew(key, sdslen(key), val, with_expire, ksEntryExpire(e));
    replaceEntry(ks, e, n);
    *stored = ksEntryValue(n);
    return ksEntryDetachValue(e);
}

robj *ksUnlink(dbKeyspace *ks, sds key, uint64_t hash) {
    unsigned int slot = 0;
    ptable *t = tableFor(ks, key, sdslen(key), 0, &slot);
    if (t == NULL) return NULL;
    ksLookupKey k = {key, sdslen(key)};
    robj *e = ptDelete(t, hash, &k);
    if (e == NULL) return NULL;
    ks->changes++;
    if (!ks->main) slotChanged(ks, slot, -1);
    if (e->has_expire) volRemove(ks, e);
    return e;
}

/* ------------------------------------------------------------ sampling */

static uint64_t random64(void) {
    return ((uint64_t)random() << 42) ^ ((uint64_t)random() << 21) ^ (uint64_t)random();
}

/* A slot picked in proportion to its keys (per-slot mode, keys > 0). */
static unsigned int randomSlot(dbKeyspace *ks) {
    return treeFind(ks, random64() % ks->keys);
}

robj *ksRandom(dbKeyspace *ks, int volatile_only) {
    if (volatile_only) return ks->vol_len ? ks->vol[random64() % ks->vol_len] : NULL;
    if (ks->main) return ptRandom(ks->main);
    if (ks->keys == 0) return NULL;
    return ptRandom(ks->slots[randomSlot(ks)]);
}

unsigned int ksSample(dbKeyspace *ks, int volatile_only, robj **out, unsigned int count) {
    if (volatile_only) {
        /* The array is in the order deadlines were set: neighbours there
         * are alike (set together), so each pick is independent. */
        if (ks->vol_len == 0) return 0;
        if (count > ks->vol_len) count = (unsigned int)ks->vol_len;
        for (unsigned int j = 0; j < count; j++) out[j] = ks->vol[random64() % ks->vol_len];
        return count;
    }
    if (ks->main) return ptSample(ks->main, (void **)out, count);
    if (ks->keys == 0) return 0;
    /* From a random slot on, in slot order, until count are found. */
    unsigned int n = 0, slot = randomSlot(ks);
    for (int visited = 0; visited < 16 && n < count; visited++) {
        n += ptSample(ks->slots[slot], (void **)out + n, count - n);
        unsigned long long next = treePrefix(ks, slot);
        slot = treeFind(ks, next < ks->keys ? next : 0);
    }
    return n;
}

/* ---------------------------------------------------------------- scan */

typedef struct scanAdapter {
    ksScanFunction *fn;
    void *privdata;
} scanAdapter;

static void scanAdapterCallback(void *privdata, void *elem) {
    scanAdapter *a = privdata;
    a->fn(a->privdata, elem);
}

unsigned long ksScan(dbKeyspace *ks, unsigned long cursor, ksScanFunction *fn, void *privdata) {
    scanAdapter a = {fn, privdata};
    if (ks->main) return ptScan(ks->main, cursor, scanAdapterCallback, &a);
    if (ks->slots == NULL) return 0;
    unsigned int slot = (unsigned int)(cursor & (KS_SLOTS - 1));
    unsigned long tc = cursor >> 14;
    for (; slot < KS_SLOTS; slot++, tc = 0) {
        ptable *t = ks->slots[slot];
        if (t == NULL) continue;
        tc = ptScan(t, tc, scanAdapterCallback, &a);
        if (tc != 0) return (tc << 14) | slot;
        if (slot + 1 < KS_SLOTS) return (unsigned long)(slot + 1);
    }
    return 0;
}

unsigned long ksScanVolatile(dbKeyspace *ks, unsigned long cursor, ksScanFunction *fn, void *privdata) {
    /* The cursor is the count of places not visited yet: [0, cursor). */
    size_t left = cursor == 0 || cursor > ks->vol_len ? ks->vol_len : cursor;
    if (left == 0) return 0;
    left--;
    fn(privdata, ks->vol[left]);
    return left;
}

/* ----------------------------------------------------------- iteration */

void ksInitIterator(ksIterator *it, dbKeyspace *ks) {
    it->ks = ks;
    it->slot = -1;
    if (ks->main) {
        it->slot = 0;
        ptInitIterator(&it->it, ks->main);
    }
}

robj *ksNext(ksIterator *it) {
    dbKeyspace *ks = it->ks;
    if (ks->main) return ptNext(&it->it);
    if (ks->slots == NULL) return NULL;
    for (;;) {
        if (it->slot >= 0) {
            robj *e = ptNext(&it->it);
            if (e) return e;
            ptResetIterator(&it->it);
        }
        do it->slot++;
        while (it->slot < KS_SLOTS && ks->slots[it->slot] == NULL);
        if (it->slot >= KS_SLOTS) {
            it->slot = KS_SLOTS;
            return NULL;
        }
        ptInitIterator(&it->it, ks->slots[it->slot]);
    }
}

void ksResetIterator(ksIterator *it) {
    if (it->ks->main) ptResetIterator(&it->it);
}

/* --------------------------------------------------------------- slots */

unsigned long long ksSlotSize(dbKeyspace *ks, unsigned int slot) {
    if (!ks->main) return ks->slots && ks->slots[slot] ? ptSize(ks->slots[slot]) : 0;
    unsigned long long n = 0;
    ksIterator it;
    ksInitIterator(&it, ks);
    robj *e;
    while ((e = ksNext(&it)) != NULL) {
        sds key = ksEntryKey(e);
        if (keyHashSlot(key, sdslen(key)) == slot) n++;
    }
    ksResetIterator(&it);
    return n;
}

unsigned int ksSlotEntries(dbKeyspace *ks, unsigned int slot, robj **out, unsigned int count) {
    unsigned int n = 0;
    robj *e;
    ptIterator pit;
    if (!ks->main) {
        if (ks->slots == NULL || ks->slots[slot] == NULL) return 0;
        ptInitIterator(&pit, ks->slots[slot]);
        while (n < count && (e = ptNext(&pit)) != NULL) out[n++] = e;
        ptResetIterator(&pit);
        return n;
    }
    ptInitIterator(&pit, ks->main);
    while (n < count && (e = ptNext(&pit)) != NULL) {
        sds key = ksEntryKey(e);
        if (keyHashSlot(key, sdslen(key)) == slot) out[n++] = e;
    }
    ptResetIterator(&pit);
    return n;
}

/* ---------------------------------------------------------------- upkeep */

void ksExpand(dbKeyspace *ks, size_t keys, size_t volatile_keys) {
    if (ks->main) ptExpand(ks->main, keys);
    if (ks->vol_len == 0 && volatile_keys > ks->vol_cap) {
        ks->vol_cap = volatile_keys;
        ks->vol = zrealloc(ks->vol, ks->vol_cap * sizeof(robj *));
    }
}

void ksShrinkIfSparse(dbKeyspace *ks) {
    if (ks->main) {
        ptShrinkIfSparse(ks->main);
        return;
    }
    /* Only the tables that lost keys can be sparse; a full pass over the
     * slots is 16,384 cheap checks, done from the slow expiry cycle. */
    if (ks->slots == NULL) return;
    for (unsigned int j = 0; j < KS_SLOTS; j++) {
        ptable *t = ks->slots[j];
        if (t && ptShrinkIfSparse(t) && !ks->listed[j]) {
            ks->listed[j] = 1;
            ks->rehashing[ks->nrehashing++] = (uint16_t)j;
        }
    }
}

int ksRehashStep(dbKeyspace *ks, long long us) {
    if (ks->main) {
        if (!ptIsRehashing(ks->main)) return 0;
        ptRehashMicroseconds(ks->main, us);
        return 1;
    }
    if (ks->nrehashing == 0) return 0;
    unsigned int slot = ks->rehashing[ks->nrehashing - 1];
    ptable *t = ks->slots[slot];
    if (t == NULL || !ptRehashMicroseconds(t, us)) {
        ks->nrehashing--;
        ks->listed[slot] = 0;
        if (t && ptSize(t) == 0) {
            ptRelease(t, NULL);
            ks->slots[slot] = NULL;
        }
    }
    return 1;
}

void ksTablesMemUsage(const dbKeyspace *ks, size_t *keys, size_t *expires) {
    *expires = ks->vol_cap * sizeof(robj *);
    if (ks->main) {
        *keys = ptMemUsage(ks->main);
        return;
    }
    if (ks->slots == NULL) {
        *keys = 0;
        return;
    }
    size_t n = KS_SLOTS * (sizeof(ptable *) + sizeof(unsigned long long) + sizeof(uint16_t) + 1);
    for (int j = 0; j < KS_SLOTS; j++)
        if (ks->slots[j]) n += ptMemUsage(ks->slots[j]);
    *keys = n;
}

sds ksCatStats(sds s, dbKeyspace *ks) {
    char buf[4096];
    s = sdscat(s, "[Dictionary HT]\n");
    if (ks->main) {
        ptGetStats(buf, sizeof(buf), ks->main);
        s = sdscat(s, buf);
    } else {
        size_t tables = 0;
        for (int j = 0; ks->slots && j < KS_SLOTS; j++) tables += ks->slots[j] != NULL;
        s = sdscatprintf(s, "Hash tables: one per cluster slot, %zu in use\n number of elements: %zu\n", tables,
                         ks->keys);
    }
    s = sdscat(s, "[Expires HT]\n");
    return sdscatprintf(s, "Array of keys with a deadline:\n table size: %zu\n number of elements: %zu\n",
                        ks->vol_cap, ks->vol_len);
}
