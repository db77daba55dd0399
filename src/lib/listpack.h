/* listpack.h -- a compact, serialisable list of strings and integers.
 *
 * A listpack is one contiguous allocation, byte-compatible with the format
 * Redis 7.0 writes (the same bytes are the RDB payload of listpack-encoded
 * objects):
 *
 *     <total-bytes:u32le> <num-elements:u16le> <entry> ... <entry> <0xFF>
 *
 * num-elements saturates at 65535, which means "unknown: count by walking".
 * Each entry is <encoding+data> <backlen>, where backlen is the size of
 * <encoding+data> written in 1..5 bytes so that the list can be walked from
 * the tail. A string that is the canonical spelling of a 64-bit integer is
 * stored as an integer; it is given back as the same decimal text.
 *
 * Pointers to entries ("p") point into the listpack: any call that returns a
 * new listpack pointer may have moved it, so entry pointers taken before the
 * call are invalid afterwards, except the ones the call hands back (newp).
 * Functions that modify a listpack take ownership of the old pointer and
 * return the one to use from then on.
 *
 * This is a base library: it does not depend on the server. */
#ifndef EMBER_LISTPACK_H
#define EMBER_LISTPACK_H

#include <stddef.h>
#include <stdint.h>

/* Size of the buffer lpGet() needs to format an integer entry (with NUL). */
#define LP_INTBUF_SIZE 21

/* Where lpInsertString()/lpInsertInteger() put the element relative to p. */
#define LP_BEFORE 0
#define LP_AFTER 1
#define LP_REPLACE 2

/* Bytes of the header and of the terminator; the smallest listpack is 7. */
#define LP_HDR_SIZE 6
#define LP_EOF 0xFF
/* Largest listpack the server lets a data type grow to (lpSafeToAdd). */
#define LISTPACK_MAX_SAFETY_SIZE (1 << 30)

/* One element taken out of a listpack: a string (sval/slen, pointing into
 * the listpack, valid until it is modified) or, when sval is NULL, the
 * integer lval. */
typedef struct {
    unsigned char *sval;
    uint32_t slen;
    long long lval;
} listpackEntry;

/* Create an empty listpack, allocating at least capacity bytes up front. */
unsigned char *lpNew(size_t capacity);
void lpFree(unsigned char *lp);
/* Give back allocation slack beyond lpBytes(). Returns the listpack. */
unsigned char *lpShrinkToFit(unsigned char *lp);

/* Insert s[0..slen) (or the integer lval) before / after / in place of the
 * entry at p. p may be the terminator with LP_BEFORE (append). If newp is not
 * NULL it is set to the new entry. Returns the new listpack pointer, or NULL
 * if the result would exceed 4 GB (the listpack is then left unchanged). */
unsigned char *lpInsertString(unsigned char *lp, unsigned char *s, uint32_t slen, unsigned char *p, int where,
                              unsigned char **newp);
unsigned char *lpInsertInteger(unsigned char *lp, long long lval, unsigned char *p, int where, unsigned char **newp);
unsigned char *lpPrepend(unsigned char *lp, unsigned char *s, uint32_t slen);
unsigned char *lpPrependInteger(unsigned char *lp, long long lval);
/* Prepends s as lpPrepend does, but into the `room` free bytes just before
 * lp (which must belong to lp's block): the listpack then starts earlier and
 * the new start is returned; no allocation, and the old entries stay put.
 * Returns NULL, changing nothing, when the entry needs more than room. */
unsigned char *lpPrependInRoom(unsigned char *lp, size_t room, const unsigned char *s, uint32_t slen);
/* Deletes the first element (there must be one) by moving the header over
 * it: the listpack then starts at the returned address, later in the same
 * block, and the bytes before it are free. */
unsigned char *lpDeleteFirstToRoom(unsigned char *lp);
unsigned char *lpAppend(unsigned char *lp, unsigned char *s, uint32_t slen);
unsigned char *lpAppendInteger(unsigned char *lp, long long lval);
/* Append entries[0..count) (a NULL sval is the integer lval) with one
 * reallocation. Returns the new listpack, or NULL if it would exceed 4 GB
 * (the listpack is then left unchanged). */
unsigned char *lpBatchAppend(unsigned char *lp, const listpackEntry *entries, size_t count);
/* Replace the entry at *p; *p is updated to the new entry. */
unsigned char *lpReplace(unsigned char *lp, unsigned char **p, unsigned char *s, uint32_t slen);
unsigned char *lpReplaceInteger(unsigned char *lp, unsigned char **p, long long lval);

/* Delete the entry at p. If newp is not NULL it is set to the entry that
 * followed the deleted one, or NULL when the deleted one was the last. */
unsigned char *lpDelete(unsigned char *lp, unsigned char *p, unsigned char **newp);
/* Delete up to num entries starting at *p; *p is set to the entry after
 * them, or NULL if none follows. */
unsigned char *lpDeleteRangeWithEntry(unsigned char *lp, unsigned char **p, unsigned long num);
/* Delete up to num entries starting at index (negative counts from the
 * tail). An index out of range deletes nothing. */
unsigned char *lpDeleteRange(unsigned char *lp, long index, unsigned long num);
/* Delete the count entries ps[0..count), which must be distinct entries of
 * lp in ascending order, in one pass. */
unsigned char *lpBatchDelete(unsigned char *lp, unsigned char **ps, unsigned long count);
/* Concatenate *first and *second (in that order) into the larger of the two
 * allocations. The other one is freed and its pointer set to NULL; the
 * pointer that survives is updated and also returned. Returns NULL (nothing
 * done) if either is NULL or both are the same listpack. */
unsigned char *lpMerge(unsigned char **first, unsigned char **second);

/* Number of elements. O(1) unless more than 65534 (then a walk, and the
 * header is refreshed when the count fits again). */
unsigned long lpLength(unsigned char *lp);
/* Total bytes of the listpack (header, entries, terminator). */
size_t lpBytes(unsigned char *lp);

/* Read the entry at p. A string entry: returns a pointer into the listpack
 * and sets *count to its length. An integer entry: with intbuf (at least
 * LP_INTBUF_SIZE bytes) formats it there, returns intbuf and sets *count to
 * the length; with intbuf NULL returns NULL and sets *count to the value. */
unsigned char *lpGet(unsigned char *p, int64_t *count, unsigned char *intbuf);
/* Returns the string pointer (length in *slen), or NULL with *lval set. */
unsigned char *lpGetValue(unsigned char *p, unsigned int *slen, long long *lval);

/* Starting at p, compare an entry with s, then skip `skip` entries, and so on
 * (skip 1 looks at the fields of a field/value listpack). Returns the first
 * matching entry or NULL. */
unsigned char *lpFind(unsigned char *lp, unsigned char *p, unsigned char *s, uint32_t slen, unsigned int skip);
/* 1 if the entry at p equals s[0..slen) (integers compare by value). */
unsigned int lpCompare(unsigned char *p, unsigned char *s, uint32_t slen);

/* Navigation. All return NULL past either end. */
unsigned char *lpFirst(unsigned char *lp);
unsigned char *lpLast(unsigned char *lp);
unsigned char *lpNext(unsigned char *lp, unsigned char *p);
unsigned char *lpPrev(unsigned char *lp, unsigned char *p);
/* Entry at index (negative from the tail: -1 is the last), or NULL. */
unsigned char *lpSeek(unsigned char *lp, long index);

/* Validation of untrusted bytes (RESTORE, RDB). lpValidateIntegrity checks
 * the header against size, and with deep also every entry (encodings,
 * bounds, back-lengths, element count), calling entry_cb (if not NULL) on
 * each entry with the header count; entry_cb returning 0 fails the check.
 * Never reads outside lp[0..size). Returns 1 if valid.
 * lpValidateFirst returns the first entry (NULL for an empty listpack)
 * without assertions; lpValidateNext checks the entry at *pp within lpbytes
 * and advances *pp to the next one (NULL at the end); returns 0 if invalid. */
int lpValidateIntegrity(unsigned char *lp, size_t size, int deep,
                        int (*entry_cb)(unsigned char *p, unsigned int head_count, void *userdata),
                        void *cb_userdata);
unsigned char *lpValidateFirst(unsigned char *lp);
int lpValidateNext(unsigned char *lp, unsigned char **pp, size_t lpbytes);

/* Random access for field/value listpacks (hashes, sorted sets), where
 * total_count is the number of pairs. vals may be NULL to take keys only.
 * lpRandomPair picks one pair; lpRandomPairs picks count pairs with
 * repetition; lpRandomPairsUnique picks up to count distinct pairs (in
 * listpack order) and returns how many it picked. The entries point into lp. */
void lpRandomPair(unsigned char *lp, unsigned long total_count, listpackEntry *key, listpackEntry *val);
void lpRandomPairs(unsigned char *lp, unsigned int count, listpackEntry *keys, listpackEntry *vals);
unsigned int lpRandomPairsUnique(unsigned char *lp, unsigned int count, listpackEntry *keys, listpackEntry *vals);

/* 1 if adding add bytes keeps lp (NULL counts as empty) under
 * LISTPACK_MAX_SAFETY_SIZE. */
int lpSafeToAdd(unsigned char *lp, size_t add);

/* Bytes an entry holding s[0..slen) / the integer v takes (with backlen). */
size_t lpEntrySizeString(const unsigned char *s, uint32_t slen);
size_t lpEntrySizeInteger(long long v);

#endif
