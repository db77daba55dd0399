/* sha1.h — SHA-1 (FIPS 180-4) over byte buffers.
 *
 * Scripts are named by the SHA-1 of their body, printed as 40 lower-case
 * hex digits (EVALSHA, SCRIPT LOAD, redis.sha1hex). The context is a plain
 * struct on the caller's stack: init, feed any number of pieces, final.
 */
#ifndef EMBER_SHA1_H
#define EMBER_SHA1_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha1Ctx {
    uint32_t state[5];
    uint64_t length;           /* bytes fed so far */
    unsigned char block[64];   /* the partial block */
    size_t used;               /* bytes of block in use */
} sha1Ctx;

/* The digest of data[0..len) in one call. */
void sha1(const void *data, size_t len, unsigned char digest[20]);

void sha1Init(sha1Ctx *ctx);
void sha1Update(sha1Ctx *ctx, const void *data, size_t len);
/* Writes the 20-byte digest; ctx is spent afterwards. */
void sha1Final(sha1Ctx *ctx, unsigned char digest[20]);
/* The digest of data[0..len) as 40 lower-case hex digits and a NUL in
 * out[0..41). */
void sha1Hex(char out[41], const void *data, size_t len);

#endif
