/* dict_types.c — the hash table flavours the server's files share.
 *
 * Most tables in the server are keyed by sds strings: the keyspace, hash
 * and set values, the scratch tables of commands (members already drawn,
 * the accumulator of ZUNION), the blocking-key tables. Their callbacks
 * (hash, compare, free) are here once, as are the dictType values that
 * more than one file uses:
 *
 *   sdsSetDictType          sds keys the table owns, no values (sets, and
 *                           scratch tables of members; a value slot may
 *                           hold a plain number such as a score)
 *   sdsBorrowedKeyDictType  sds keys the table borrows from elsewhere and
 *                           never frees (the expires table, the dict of a
 *                           sorted set, HRANDFIELD's scratch table)
 *   errorStatsDictType      error codes, case-insensitive, for INFO
 *                           errorstats
 *
 * A file with a flavour of its own keeps its dictType static.
 *
 * The shrink policy of tables that lose elements is here too
 * (dictShrinkIfSparse), so the keyspace and every collection give memory
 * back at the same fill.
 */
#include "server.h"

#include <string.h>
#include <strings.h>

uint64_t dictSdsHash(const void *key) {
    return dictGenHashFunction(key, sdslen((sds)key));
}

static uint64_t dictSdsCaseHash(const void *key) {
    return dictGenCaseHashFunction(key, sdslen((sds)key));
}

int dictSdsKeyCompare(dict *d, const void *key1, const void *key2) {
    (void)d;
    size_t l1 = sdslen((sds)key1), l2 = sdslen((sds)key2);
    return l1 == l2 && memcmp(key1, key2, l1) == 0;
}

static int dictSdsKeyCaseCompare(dict *d, const void *key1, const void *key2) {
    (void)d;
    return strcasecmp(key1, key2) == 0;
}

void dictSdsDestructor(dict *d, void *val) {
    (void)d;
    sdsfree(val);
}

void dictObjectDestructor(dict *d, void *val) {
    (void)d;
    if (val) decrRefCount(val);
}

dictType sdsSetDictType = {dictSdsHash, NULL, NULL, dictSdsKeyCompare, dictSdsDestructor, NULL, NULL};
dictType sdsBorrowedKeyDictType = {dictSdsHash, NULL, NULL, dictSdsKeyCompare, NULL, NULL, NULL};
dictType errorStatsDictType = {dictSdsCaseHash, NULL, NULL, dictSdsKeyCaseCompare, dictSdsDestructor, NULL, NULL};

/* Under this fill (percent of buckets in use) a table is worth shrinking. */
#define DICT_MIN_FILL_PERCENT 10

/* Starts shrinking d when deletions left it mostly empty buckets (and it
 * is bigger than a new table), which wastes memory and slows sampling and
 * scans. The shrink itself is an incremental rehash. Returns 1 if it
 * started one. */
int dictShrinkIfSparse(dict *d) {
    unsigned long slots = dictSlots(d);
    if (slots <= DICT_HT_INITIAL_SIZE || dictSize(d) * 100 >= slots * DICT_MIN_FILL_PERCENT) return 0;
    return dictResize(d) == DICT_OK;
}
