/* siphash.c -- SipHash keyed hash, the hash function behind dict.c.
 *
 * SipHash (Aumasson and Bernstein, 2012) maps a byte string and a 128-bit
 * secret key to 64 bits. With a random key chosen at start-up an attacker who
 * does not know the key cannot craft many keys landing in one bucket, so hash
 * tables fed with client data keep their expected O(1) cost.
 *
 * The state is four 64-bit words initialised from the key and fixed
 * constants. The message is consumed in 8-byte little-endian words; each word
 * is xored into v3, mixed with C "SipRounds", then xored into v0. The last
 * word carries the leftover bytes and the message length in its top byte.
 * Finalisation xors 0xff into v2, runs D rounds, and folds the four words.
 *
 * The server uses SipHash-1-2 (C=1, D=2): fast for the short keys that
 * dominate, still keyed. SipHash-2-4, the reference variant, is exported too
 * so unit tests can check this code against the published test vector.
 *
 * The "nocase" variant lower-cases ASCII letters while reading, so strings
 * that differ only in case hash alike (for case-insensitive tables such as
 * the command table). On little-endian hosts a word is one memcpy load and
 * a short tail two overlapping ones (or three byte loads); elsewhere, and
 * for the nocase variant, words are assembled byte by byte. Either way the
 * code is independent of alignment and the values are the same.
 */

#include <stddef.h>
#include <stdint.h>

#include "dict.h"

#include <string.h>

#define SIP_INLINE static inline __attribute__((always_inline))

SIP_INLINE uint64_t rotl64(uint64_t x, int b) {
    return (x << b) | (x >> (64 - b));
}

/* One SipRound over the state v[0..3]. */
SIP_INLINE void sipRound(uint64_t v[4]) {
    v[0] += v[1];
    v[1] = rotl64(v[1], 13);
    v[1] ^= v[0];
    v[0] = rotl64(v[0], 32);
    v[2] += v[3];
    v[3] = rotl64(v[3], 16);
    v[3] ^= v[2];
    v[0] += v[3];
    v[3] = rotl64(v[3], 21);
    v[3] ^= v[0];
    v[2] += v[1];
    v[1] = rotl64(v[1], 17);
    v[1] ^= v[2];
    v[2] = rotl64(v[2], 32);
}

SIP_INLINE uint8_t foldCase(uint8_t c, int nocase) {
    if (nocase && c >= 'A' && c <= 'Z') return (uint8_t)(c + ('a' - 'A'));
    return c;
}

/* Read n (<= 8) bytes as a little-endian word, optionally case-folded.
 * A whole word without folding is one unaligned load on little-endian hosts. */
SIP_INLINE uint64_t loadLE(const uint8_t *p, size_t n, int nocase) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (n == 8 && !nocase) {
        uint64_t word;
        memcpy(&word, p, 8);
        return word;
    }
#endif
    uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (!nocase) {
        /* A short tail in two overlapping loads (4 to 7 bytes) or three
         * byte loads (1 to 3): the overlap ors the same bytes twice. */
        if (n >= 4) {
            uint32_t lo, hi;
            memcpy(&lo, p, 4);
            memcpy(&hi, p + n - 4, 4);
            return (uint64_t)lo | ((uint64_t)hi << (8 * (n - 4)));
        }
        if (n == 0) return 0;
        return (uint64_t)p[0] | ((uint64_t)p[n / 2] << (8 * (n / 2))) | ((uint64_t)p[n - 1] << (8 * (n - 1)));
    }
#endif
    for (size_t i = 0; i < n; i++) w |= (uint64_t)foldCase(p[i], nocase) << (8 * i);
    return w;
}

SIP_INLINE void sipCompress(uint64_t v[4], uint64_t m, int crounds) {
    v[3] ^= m;
#pragma GCC unroll 4
    for (int i = 0; i < crounds; i++) sipRound(v);
    v[0] ^= m;
}

SIP_INLINE uint64_t sipGeneric(const uint8_t *in, size_t len, const uint8_t *k,
                           int nocase, int crounds, int drounds) {
    uint64_t k0 = loadLE(k, 8, 0), k1 = loadLE(k + 8, 8, 0);
    uint64_t v[4] = {k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
                     k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL};
    size_t full = len - (len % 8);
    for (size_t off = 0; off < full; off += 8)
        sipCompress(v, loadLE(in + off, 8, nocase), crounds);
    uint64_t last = loadLE(in + full, len - full, nocase) | ((uint64_t)len << 56);
    sipCompress(v, last, crounds);
    v[2] ^= 0xff;
#pragma GCC unroll 4
    for (int i = 0; i < drounds; i++) sipRound(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* SipHash-1-2 of in[0..inlen) under the 16-byte key k. */
uint64_t siphash(const uint8_t *in, const size_t inlen, const uint8_t *k) {
    return sipGeneric(in, inlen, k, 0, 1, 2);
}

/* SipHash-1-2 with ASCII letters folded to lower case before hashing. */
uint64_t siphash_nocase(const uint8_t *in, const size_t inlen, const uint8_t *k) {
    return sipGeneric(in, inlen, k, 1, 1, 2);
}

/* Reference SipHash-2-4; used by the unit tests against published vectors. */
uint64_t siphash24(const uint8_t *in, const size_t inlen, const uint8_t *k) {
    return sipGeneric(in, inlen, k, 0, 2, 4);
}
