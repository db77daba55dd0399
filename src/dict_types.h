/* dict_types.h — the dict types the server shares (dict_types.c).
 *
 * Hash, compare and destructor callbacks for sds and robj keys and values,
 * and the dictType values built from them. A file whose table needs its own
 * callbacks keeps its dictType static; the ones here are used from several
 * files.
 */
#ifndef EMBER_DICT_TYPES_H
#define EMBER_DICT_TYPES_H

#include <stdint.h>
#include "dict.h"

uint64_t dictSdsHash(const void *key);
int dictSdsKeyCompare(dict *d, const void *key1, const void *key2);
void dictSdsDestructor(dict *d, void *val);
void dictObjectDestructor(dict *d, void *val);
int dictShrinkIfSparse(dict *d);
extern dictType sdsSetDictType, sdsBorrowedKeyDictType, errorStatsDictType;

#endif /* EMBER_DICT_TYPES_H */
