/* crc64.h — the CRC-64 of RDB files and DUMP payloads.
 *
 * The variant is the one Redis calls "Jones": polynomial 0xad93d23594c935a9,
 * bits reflected on input and output, initial value 0, no final xor. Its
 * check value (the CRC of the nine bytes "123456789") is 0xe9c6d914c4b8d9ca.
 * A running checksum is carried by feeding the previous result back in:
 * crc64(crc64(0, a, n), b, m) == crc64(0, ab, n + m).
 *
 * The lookup tables are built on first use (crc64Init may be called up front
 * to do it at a known time); after that the function is pure and thread safe.
 * This is a base library: it does not depend on the server. */
#ifndef EMBER_CRC64_H
#define EMBER_CRC64_H

#include <stddef.h>
#include <stdint.h>

/* Builds the tables. Optional: crc64 calls it when needed. Not thread safe
 * the first time; call it from the main thread before starting others. */
void crc64Init(void);
/* The CRC of s[0..len) continuing from crc (0 to start). */
uint64_t crc64(uint64_t crc, const void *s, size_t len);

#endif
