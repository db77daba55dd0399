/* intset.c — sorted integer sets in one contiguous allocation.
 *
 * An intset keeps distinct 64-bit integers in ascending order in a flat
 * array whose element width (2, 4 or 8 bytes) is the narrowest that holds
 * every member. That makes a small set of small numbers very compact: 100
 * members below 32768 take 8 + 200 bytes.
 *
 * Costs: lookup is a binary search, O(log N). Insertion and removal move
 * the tail of the array with memmove and reallocate, O(N); sets are meant
 * to stay small here (the server converts to a hash table beyond
 * set-max-intset-entries). Inserting a value outside the current width's
 * range "upgrades" the set: the array is reallocated at the new width and
 * every element widened in place, walking from the end so nothing is
 * overwritten before it is read. Such a value is necessarily the new
 * minimum (negative) or maximum (positive), so it goes at one end without a
 * search. Sets never downgrade.
 *
 * The header and elements are stored little-endian (the format is also the
 * RDB payload), converted on each access on big-endian hosts.
 *
 * Ownership: every function that may reallocate (intsetAdd, intsetRemove)
 * takes the set and returns the one to use from then on; the argument must
 * not be used afterwards. Free a set with zfree.
 */
#include "intset.h"

#include <stdlib.h>
#include <string.h>

#include "zmalloc.h"

/* ------------------------------------------------ little-endian access */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define IS_LE16(v) ((uint16_t)__builtin_bswap16((uint16_t)(v)))
#define IS_LE32(v) ((uint32_t)__builtin_bswap32((uint32_t)(v)))
#define IS_LE64(v) ((uint64_t)__builtin_bswap64((uint64_t)(v)))
#else
#define IS_LE16(v) ((uint16_t)(v))
#define IS_LE32(v) ((uint32_t)(v))
#define IS_LE64(v) ((uint64_t)(v))
#endif

static uint32_t isEncoding(const intset *is) {
    return IS_LE32(is->encoding);
}

static void isSetEncoding(intset *is, uint32_t enc) {
    is->encoding = IS_LE32(enc);
}

uint32_t intsetLen(const intset *is) {
    return IS_LE32(is->length);
}

static void isSetLen(intset *is, uint32_t len) {
    is->length = IS_LE32(len);
}

/* The narrowest width that holds v. */
static uint32_t widthFor(int64_t v) {
    if (v < INT32_MIN || v > INT32_MAX) return INTSET_ENC_INT64;
    if (v < INT16_MIN || v > INT16_MAX) return INTSET_ENC_INT32;
    return INTSET_ENC_INT16;
}

/* Element pos read as if the array had width enc. */
static int64_t readAt(const intset *is, uint32_t pos, uint32_t enc) {
    const int8_t *p = is->contents + (size_t)pos * enc;
    if (enc == INTSET_ENC_INT64) {
        uint64_t u;
        memcpy(&u, p, sizeof(u));
        return (int64_t)IS_LE64(u);
    }
    if (enc == INTSET_ENC_INT32) {
        uint32_t u;
        memcpy(&u, p, sizeof(u));
        return (int32_t)IS_LE32(u);
    }
    uint16_t u;
    memcpy(&u, p, sizeof(u));
    return (int16_t)IS_LE16(u);
}

/* Stores v (which must fit width enc) at element pos. */
static void writeAt(intset *is, uint32_t pos, int64_t v, uint32_t enc) {
    int8_t *p = is->contents + (size_t)pos * enc;
    if (enc == INTSET_ENC_INT64) {
        uint64_t u = IS_LE64((uint64_t)v);
        memcpy(p, &u, sizeof(u));
    } else if (enc == INTSET_ENC_INT32) {
        uint32_t u = IS_LE32((uint32_t)(int32_t)v);
        memcpy(p, &u, sizeof(u));
    } else {
        uint16_t u = IS_LE16((uint16_t)(int16_t)v);
        memcpy(p, &u, sizeof(u));
    }
}

static int64_t getAt(const intset *is, uint32_t pos) {
    return readAt(is, pos, isEncoding(is));
}

/* ------------------------------------------------------------ helpers */

/* Reallocates is for len elements of its current width. */
static intset *resizeTo(intset *is, uint32_t len) {
    size_t bytes = (size_t)len * isEncoding(is);
    return zrealloc(is, sizeof(intset) + bytes);
}

/* Binary search for value. Returns 1 and its index in *pos when present;
 * otherwise 0 and, when pos is not NULL, the index where it would go. */
static uint8_t intsetSearch(const intset *is, int64_t value, uint32_t *pos) {
    uint32_t len = intsetLen(is);
    if (len == 0) {
        if (pos) *pos = 0;
        return 0;
    }
    /* Fast answers for values beyond either end: the common case when
     * members are added in order. */
    if (value > getAt(is, len - 1)) {
        if (pos) *pos = len;
        return 0;
    }
    if (value < getAt(is, 0)) {
        if (pos) *pos = 0;
        return 0;
    }
    uint32_t lo = 0, hi = len; /* the answer is in [lo, hi) */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int64_t cur = getAt(is, mid);
        if (cur == value) {
            if (pos) *pos = mid;
            return 1;
        }
        if (cur < value)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (pos) *pos = lo;
    return 0;
}

/* Shifts elements [from, len) so they start at index `to` (either
 * direction). The set must already have room for the result. */
static void moveTail(intset *is, uint32_t from, uint32_t to) {
    uint32_t enc = isEncoding(is);
    size_t count = (size_t)(intsetLen(is) - from) * enc;
    memmove(is->contents + (size_t)to * enc, is->contents + (size_t)from * enc, count);
}

/* Widens the whole set to fit value, which is outside the current width,
 * and adds it at the end it belongs to. */
static intset *intsetUpgradeAndAdd(intset *is, int64_t value) {
    uint32_t oldenc = isEncoding(is);
    uint32_t newenc = widthFor(value);
    uint32_t len = intsetLen(is);
    int front = value < 0; /* a value too wide is below every member or above */
    isSetEncoding(is, newenc);
    is = resizeTo(is, len + 1);
    /* From the back, so a wide write never clobbers a narrow element not
     * yet read; shifted by one when the new value goes first. */
    for (uint32_t j = len; j-- > 0;) writeAt(is, j + (uint32_t)front, readAt(is, j, oldenc), newenc);
    writeAt(is, front ? 0 : len, value, newenc);
    isSetLen(is, len + 1);
    return is;
}

/* ---------------------------------------------------------------- API */

/* An empty set of 16-bit width. The caller owns it (zfree). */
intset *intsetNew(void) {
    intset *is = zmalloc(sizeof(intset));
    isSetEncoding(is, INTSET_ENC_INT16);
    isSetLen(is, 0);
    return is;
}

/* Adds value. *success (when not NULL) is set to 1 if it was added, 0 if
 * it was already a member. Returns the set to use from now on. */
intset *intsetAdd(intset *is, int64_t value, uint8_t *success) {
    if (success) *success = 1;
    if (widthFor(value) > isEncoding(is)) return intsetUpgradeAndAdd(is, value);
    uint32_t pos;
    if (intsetSearch(is, value, &pos)) {
        if (success) *success = 0;
        return is;
    }
    uint32_t len = intsetLen(is);
    is = resizeTo(is, len + 1);
    if (pos < len) moveTail(is, pos, pos + 1);
    writeAt(is, pos, value, isEncoding(is));
    isSetLen(is, len + 1);
    return is;
}

/* Removes value. *success (when not NULL) is set to 1 if it was a member.
 * Returns the set to use from now on. The width never shrinks. */
intset *intsetRemove(intset *is, int64_t value, int *success) {
    uint32_t pos;
    if (success) *success = 0;
    if (widthFor(value) > isEncoding(is) || !intsetSearch(is, value, &pos)) return is;
    uint32_t len = intsetLen(is);
    if (success) *success = 1;
    if (pos < len - 1) moveTail(is, pos + 1, pos);
    isSetLen(is, len - 1);
    return resizeTo(is, len - 1);
}

/* 1 if value is a member. */
uint8_t intsetFind(intset *is, int64_t value) {
    return widthFor(value) <= isEncoding(is) && intsetSearch(is, value, NULL);
}

/* A uniformly chosen member. The set must not be empty. */
int64_t intsetRandom(intset *is) {
    uint32_t len = intsetLen(is);
    return getAt(is, (uint32_t)((unsigned long)random() % len));
}

/* The largest member. The set must not be empty. */
int64_t intsetMax(intset *is) {
    return getAt(is, intsetLen(is) - 1);
}

/* The smallest member. The set must not be empty. */
int64_t intsetMin(intset *is) {
    return getAt(is, 0);
}

/* Stores the member of rank pos (0 = smallest) in *value and returns 1,
 * or returns 0 when pos is out of range. */
uint8_t intsetGet(intset *is, uint32_t pos, int64_t *value) {
    if (pos >= intsetLen(is)) return 0;
    *value = getAt(is, pos);
    return 1;
}

/* Size in bytes of the serialised set (header included). */
size_t intsetBlobLen(intset *is) {
    return sizeof(intset) + (size_t)intsetLen(is) * isEncoding(is);
}

/* Checks that the `size` bytes at p form a valid intset: a known width, a
 * length that matches the size exactly and, when deep is set, elements in
 * strictly ascending order. Never reads outside [p, p+size). Returns 1 if
 * valid, 0 otherwise. An empty set is invalid (no server stores one). */
int intsetValidateIntegrity(const unsigned char *p, size_t size, int deep) {
    if (size < sizeof(intset)) return 0;
    const intset *is = (const intset *)p;
    uint32_t enc = isEncoding(is);
    if (enc != INTSET_ENC_INT16 && enc != INTSET_ENC_INT32 && enc != INTSET_ENC_INT64) return 0;
    uint32_t len = intsetLen(is);
    if ((unsigned long long)len * enc + sizeof(intset) != (unsigned long long)size) return 0;
    if (len == 0) return 0;
    if (!deep) return 1;
    int64_t prev = readAt(is, 0, enc);
    for (uint32_t j = 1; j < len; j++) {
        int64_t cur = readAt(is, j, enc);
        if (cur <= prev) return 0;
        prev = cur;
    }
    return 1;
}
