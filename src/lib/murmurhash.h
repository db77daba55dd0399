/* murmurhash.h — MurmurHash64A, the 64-bit hash HyperLogLog registers are
 * chosen and ranked by.
 *
 * Austin Appleby's public-domain MurmurHash2 in its 64-bit "A" variant,
 * reading the input as little-endian 8-byte words on every host, so the
 * hash of a byte string is the same everywhere (HLL strings are portable).
 */
#ifndef EMBER_MURMURHASH_H
#define EMBER_MURMURHASH_H

#include <stddef.h>
#include <stdint.h>

/* The hash of key[0..len) with the given seed. Borrows key. */
uint64_t murmurHash64A(const void *key, size_t len, uint64_t seed);

#endif /* EMBER_MURMURHASH_H */
