/* sha1.c — SHA-1 over 64-byte blocks (see sha1.h).
 *
 * Each block is expanded to 80 words and folded into the five state words
 * in four rounds of twenty steps, each round with its own boolean function
 * and constant. The final block carries a 0x80 byte, zero padding and the
 * message length in bits, big endian.
 */
#include "sha1.h"

#include <string.h>

static uint32_t rol(uint32_t v, int n) {
    return (v << n) | (v >> (32 - n));
}

static void sha1Block(uint32_t st[5], const unsigned char *p) {
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 80; i++) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDC;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6;
        }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(b, 30);
        b = a;
        a = t;
    }
    st[0] += a;
    st[1] += b;
    st[2] += c;
    st[3] += d;
    st[4] += e;
}

void sha1Init(sha1Ctx *ctx) {
    static const uint32_t iv[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    memcpy(ctx->state, iv, sizeof(iv));
    ctx->bytes = 0;
}

void sha1Update(sha1Ctx *ctx, const void *data, size_t len) {
    const unsigned char *p = data;
    size_t used = (size_t)(ctx->bytes % 64);
    ctx->bytes += len;
    if (used) {
        size_t take = 64 - used < len ? 64 - used : len;
        memcpy(ctx->block + used, p, take);
        p += take;
        len -= take;
        if (used + take < 64) return;
        sha1Block(ctx->state, ctx->block);
    }
    for (; len >= 64; p += 64, len -= 64) sha1Block(ctx->state, p);
    memcpy(ctx->block, p, len);
}

void sha1Final(sha1Ctx *ctx, unsigned char digest[20]) {
    uint64_t bits = ctx->bytes * 8;
    unsigned char pad[72] = {0x80};
    size_t used = (size_t)(ctx->bytes % 64);
    size_t padlen = used < 56 ? 56 - used : 120 - used;
    sha1Update(ctx, pad, padlen);
    unsigned char len[8];
    for (int i = 0; i < 8; i++) len[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha1Update(ctx, len, 8);
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++) digest[4 * i + j] = (unsigned char)(ctx->state[i] >> (24 - 8 * j));
}

void sha1(const void *data, size_t len, unsigned char digest[20]) {
    sha1Ctx ctx;
    sha1Init(&ctx);
    sha1Update(&ctx, data, len);
    sha1Final(&ctx, digest);
}
