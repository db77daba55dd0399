/* ziplist.h — reading the compact encodings that older RDB files hold:
 * ziplists (lists, hashes and sorted sets before Redis 7.0) and zipmaps
 * (hashes before Redis 2.6).
 *
 * Nothing writes these formats any more; a loader turns each blob into a
 * listpack (listpack.h) with the same elements in the same order, and
 * carries on with the listpack. The conversions read untrusted bytes: every
 * length is checked against the blob's size, and a blob that is not
 * well formed is refused (NULL) rather than half converted.
 *
 * Ziplist:  <zlbytes:u32le> <zltail:u32le> <zllen:u16le> <entry>... <0xFF>
 *   entry:  <prevlen: 1 byte < 254, or 0xFE + u32le> <encoding> <data>
 *   encoding: 00llllll (string, 6-bit length), 01llllll llllllll (14-bit,
 *   big endian), 10000000 + u32 big endian; 0xC0 int16, 0xD0 int32,
 *   0xE0 int64, 0xF0 int24, 0xFE int8 (all little endian), 0xF1..0xFD the
 *   immediate values 0..12.
 * Zipmap:   <count:1 byte> (<len> <key> <len> <free:1 byte> <value> <free
 *   bytes>)... <0xFF>, where len is one byte < 254, or 0xFE + u32le.
 *
 * This is a base library: it does not depend on the server. */
#ifndef EMBER_ZIPLIST_H
#define EMBER_ZIPLIST_H

#include <stddef.h>

/* A new listpack with the elements of the ziplist zl[0..size), or NULL when
 * zl is malformed. *count (if not NULL) is set to the number of elements. */
unsigned char *ziplistToListpack(const unsigned char *zl, size_t size, unsigned long *count);
/* A new listpack of field, value, field, value ... from the zipmap
 * zm[0..size), or NULL when zm is malformed. *pairs (if not NULL) is set to
 * the number of pairs. */
unsigned char *zipmapToListpack(const unsigned char *zm, size_t size, unsigned long *pairs);

#endif
