/* t_hash.h — hash values: encodings, iteration and the hash commands.
 *
 * A hash is a listpack of field, value pairs while small
 * (hash-max-listpack-*), else a ptable of entries, one allocation per
 * field holding the field and its value (t_hash_entry.h). The hashType* API hides
 * the encoding; hashTypeSet's flags say whether it takes the strings it is
 * given. The commands (HSET, HGETALL ...) are in t_hash.c too.
 */
#ifndef EMBER_T_HASH_H
#define EMBER_T_HASH_H

#include <stddef.h>
#include "sds.h"
#include "ptable.h"
#include "t_hash_entry.h"
#include "listpack.h"
#include "object.h"

typedef struct client client;

#define OBJ_HASH_KEY 1
#define OBJ_HASH_VALUE 2
#define HASH_SET_COPY 0
#define HASH_SET_TAKE_FIELD (1 << 0)  /* hashTypeSet owns the field sds */
#define HASH_SET_TAKE_VALUE (1 << 1)  /* hashTypeSet owns the value sds */
/* An iteration over a hash (hashTypeInitIterator .. hashTypeReleaseIterator). */
typedef struct hashTypeIterator {
    robj *subject;
    int encoding;
    unsigned char *fptr, *vptr; /* listpack: current field and value */
    ptIterator pi;              /* hash table */
    hashEntry *entry;           /* hash table: the current entry */
} hashTypeIterator;
/* Called by hashTypeScan for each field/value pair of a step; the strings
 * are valid only during the call. */
typedef void hashScanFunction(void *privdata, const char *field, size_t flen, const char *value, size_t vlen);
robj *createHashObject(void);
void freeHashObject(robj *o);
unsigned long hashTypeLength(const robj *o);
int hashTypeGetValue(robj *o, sds field, unsigned char **vstr, unsigned int *vlen, long long *vll);
robj *hashTypeGetValueObject(robj *o, sds field);
size_t hashTypeGetValueLength(robj *o, sds field);
int hashTypeExists(robj *o, sds field);
void hashTypeConvert(robj *o, int enc);
void hashTypeTryConversion(robj *o, robj **argv, int start, int end);
int hashTypeSet(robj *o, sds field, sds value, int flags);
int hashTypeDelete(robj *o, sds field);
void hashTypeInitIterator(hashTypeIterator *hi, robj *subject);
void hashTypeReleaseIterator(hashTypeIterator *hi);
int hashTypeNext(hashTypeIterator *hi);
void hashTypeCurrentObject(hashTypeIterator *hi, int what, unsigned char **vstr, unsigned int *vlen, long long *vll);
sds hashTypeCurrentObjectNewSds(hashTypeIterator *hi, int what);
robj *hashTypeLookupWriteOrCreate(client *c, robj *key);
robj *hashTypeDup(robj *o);
void hashTypeRandomPairs(robj *o, unsigned int count, listpackEntry *keys, listpackEntry *vals);
unsigned long hashTypeRandomPairsUnique(robj *o, unsigned long count, listpackEntry *keys, listpackEntry *vals);
/* Sizes a hashtable-encoded, still empty hash for n fields (a load
 * announcing its size); does nothing otherwise. */
void hashTypeExpand(robj *o, unsigned long n);
/* Bytes of o's payload (the robj not included), the entries estimated
 * from up to `samples` of them. */
size_t hashTypeMemUsage(robj *o, size_t samples);
unsigned long hashTypeScan(robj *o, unsigned long cursor, long count, hashScanFunction *fn, void *privdata);
void hsetCommand(client *c);
void hsetnxCommand(client *c);
void hgetCommand(client *c);
void hmgetCommand(client *c);
void hdelCommand(client *c);
void hlenCommand(client *c);
void hstrlenCommand(client *c);
void hexistsCommand(client *c);
void hkeysCommand(client *c);
void hvalsCommand(client *c);
void hgetallCommand(client *c);
void hincrbyCommand(client *c);
void hincrbyfloatCommand(client *c);
void hrandfieldCommand(client *c);
void hscanCommand(client *c);

#endif /* EMBER_T_HASH_H */
