/* sha1.h — SHA-1 (FIPS 180-4), for DEBUG DIGEST.
 *
 * Not for security: DEBUG DIGEST only needs a well-mixed 160-bit hash that
 * tests can compare before and after a reload. Incremental use:
 * sha1Init, sha1Update any number of times, sha1Final; or sha1 for one
 * buffer. This is a base library: it does not depend on the server. */
#ifndef EMBER_SHA1_H
#define EMBER_SHA1_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t state[5];
    uint64_t bytes;          /* total input so far */
    unsigned char block[64]; /* pending input, bytes % 64 of it used */
} sha1Ctx;

void sha1Init(sha1Ctx *ctx);
void sha1Update(sha1Ctx *ctx, const void *data, size_t len);
void sha1Final(sha1Ctx *ctx, unsigned char digest[20]);
void sha1(const void *data, size_t len, unsigned char digest[20]);

#endif
