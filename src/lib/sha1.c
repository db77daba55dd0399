/* sha1.c — SHA-1 as FIPS 180-4 defines it.
 *
 * The message is cut into 64-byte blocks; each block is expanded into an
 * 80-word schedule and mixed into five 32-bit state words by 80 rounds in
 * four groups of 20, each group with its own boolean function and
 * constant. The last block carries a 0x80 byte, zero padding and the
 * message length in bits, big-endian. Words are read and written
 * big-endian whatever the machine's order.
 */
#include "sha1.h"

#include <string.h>

static uint32_t rol32(uint32_t x, int n) {
    return (x << n) | (x >> (32 - n));
}

static void sha1Block(uint32_t st[5], const unsigned char *p) {
    uint32_t w[80];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
    for (int t = 16; t < 80; t++) w[t] = rol32(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4];
    for (int t = 0; t < 80; t++) {
        uint32_t f, k;
        if (t < 20) f = (b & c) | (~b & d), k = 0x5a827999;
        else if (t < 40) f = b ^ c ^ d, k = 0x6ed9eba1;
        else if (t < 60) f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdc;
        else f = b ^ c ^ d, k = 0xca62c1d6;
        uint32_t tmp = rol32(a, 5) + f + e + k + w[t];
        e = d;
        d = c;
        c = rol32(b, 30);
        b = a;
        a = tmp;
    }
    st[0] += a;
    st[1] += b;
    st[2] += c;
    st[3] += d;
    st[4] += e;
}

void sha1Init(sha1Ctx *ctx) {
    static const uint32_t iv[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    memcpy(ctx->state, iv, sizeof(iv));
    ctx->length = 0;
    ctx->used = 0;
}

void sha1Update(sha1Ctx *ctx, const void *data, size_t len) {
    const unsigned char *p = data;
    ctx->length += len;
    while (len > 0) {
        size_t take = 64 - ctx->used;
        if (take > len) take = len;
        memcpy(ctx->block + ctx->used, p, take);
        ctx->used += take;
        p += take;
        len -= take;
        if (ctx->used == 64) {
            sha1Block(ctx->state, ctx->block);
            ctx->used = 0;
        }
    }
}

void sha1Final(sha1Ctx *ctx, unsigned char digest[20]) {
    uint64_t bits = ctx->length * 8;
    unsigned char pad = 0x80;
    sha1Update(ctx, &pad, 1);
    unsigned char zero = 0;
    while (ctx->used != 56) sha1Update(ctx, &zero, 1);
    unsigned char len[8];
    for (int j = 0; j < 8; j++) len[j] = (unsigned char)(bits >> (56 - 8 * j));
    sha1Update(ctx, len, 8);
    for (int j = 0; j < 20; j++) digest[j] = (unsigned char)(ctx->state[j / 4] >> (24 - 8 * (j % 4)));
}

void sha1(const void *data, size_t len, unsigned char digest[20]) {
    sha1Ctx ctx;
    sha1Init(&ctx);
    sha1Update(&ctx, data, len);
    sha1Final(&ctx, digest);
}

void sha1Hex(char out[41], const void *data, size_t len) {
    static const char hex[] = "0123456789abcdef";
    unsigned char d[20];
    sha1(data, len, d);
    for (int j = 0; j < 20; j++) {
        out[2 * j] = hex[d[j] >> 4];
        out[2 * j + 1] = hex[d[j] & 15];
    }
    out[40] = '\0';
}
