/* sha256.h — SHA-256 (FIPS 180-4) over byte buffers.
 *
 * ACL passwords are kept only as the SHA-256 of the clear text, printed as
 * 64 lower-case hex digits (ACL GETUSER, ACL LIST, `#<hash>` rules). The
 * context is a plain struct on the caller's stack: init, feed, final.
 */
#ifndef EMBER_SHA256_H
#define EMBER_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256Ctx {
    uint32_t state[8];
    uint64_t length;           /* bytes fed so far */
    unsigned char block[64];   /* the partial block */
    size_t used;               /* bytes of block in use */
} sha256Ctx;

void sha256Init(sha256Ctx *ctx);
void sha256Update(sha256Ctx *ctx, const void *data, size_t len);
/* Writes the 32-byte digest; ctx is spent afterwards. */
void sha256Final(sha256Ctx *ctx, unsigned char digest[32]);
/* The digest of data[0..len) as 64 lower-case hex digits and a NUL in
 * out[0..65). */
void sha256Hex(char out[65], const void *data, size_t len);

#endif
