/* intset.h — a sorted array of distinct integers in one allocation.
 *
 * Layout (also the RDB payload of an intset-encoded set, so it is fixed):
 *
 *     uint32 encoding   bytes per element: 2, 4 or 8
 *     uint32 length     number of elements
 *     contents          `length` signed integers of `encoding` bytes each,
 *                       ascending, no duplicates
 *
 * Every field is little-endian whatever the host. The width is the
 * narrowest one that holds every element; adding a value that does not fit
 * rewrites the whole array at the wider width (never narrower again). See
 * intset.c for the operations and their costs.
 */
#ifndef EMBER_INTSET_H
#define EMBER_INTSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct intset {
    uint32_t encoding;
    uint32_t length;
    int8_t contents[];
} intset;

/* Element widths (the value of the encoding field). */
#define INTSET_ENC_INT16 ((uint32_t)sizeof(int16_t))
#define INTSET_ENC_INT32 ((uint32_t)sizeof(int32_t))
#define INTSET_ENC_INT64 ((uint32_t)sizeof(int64_t))

intset *intsetNew(void);
intset *intsetAdd(intset *is, int64_t value, uint8_t *success);
intset *intsetRemove(intset *is, int64_t value, int *success);
uint8_t intsetFind(intset *is, int64_t value);
int64_t intsetRandom(intset *is);
int64_t intsetMax(intset *is);
int64_t intsetMin(intset *is);
uint8_t intsetGet(intset *is, uint32_t pos, int64_t *value);
uint32_t intsetLen(const intset *is);
size_t intsetBlobLen(intset *is);
int intsetValidateIntegrity(const unsigned char *is, size_t size, int deep);

#endif
