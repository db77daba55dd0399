/* murmurhash.c — MurmurHash64A (see murmurhash.h).
 *
 * Each full 8-byte word is mixed into the state with the multiply and
 * shift constants of the published algorithm; the 0..7 trailing bytes are
 * folded in as one partial little-endian word; a final avalanche spreads
 * every input bit over the result.
 */
#include "murmurhash.h"

#define MURMUR_M 0xc6a4a7935bd1e995ULL
#define MURMUR_R 47

/* n (at most 8) bytes at p as a little-endian integer. */
static uint64_t murmurLoadLE(const unsigned char *p, size_t n) {
    uint64_t w = 0;
    for (size_t i = n; i > 0; i--) w = (w << 8) | p[i - 1];
    return w;
}

uint64_t murmurHash64A(const void *key, size_t len, uint64_t seed) {
    const unsigned char *p = key;
    uint64_t h = seed ^ (len * MURMUR_M);
    size_t words = len / 8;
    for (size_t i = 0; i < words; i++, p += 8) {
        uint64_t k = murmurLoadLE(p, 8);
        k *= MURMUR_M;
        k ^= k >> MURMUR_R;
        k *= MURMUR_M;
        h ^= k;
        h *= MURMUR_M;
    }
    size_t rest = len & 7;
    if (rest) {
        h ^= murmurLoadLE(p, rest);
        h *= MURMUR_M;
    }
    h ^= h >> MURMUR_R;
    h *= MURMUR_M;
    h ^= h >> MURMUR_R;
    return h;
}
