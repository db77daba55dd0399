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

/* One round: the boolean function's value f and the group constant k mixed
 * into the five working words, which then shift by one position. */
#define SHA1_ROUND(f, k, wt)                                        \
    do {                                                            \
        uint32_t tmp_ = rol32(a, 5) + (f) + e + (k) + (wt);         \
        e = d;                                                      \
        d = c;                                                      \
        c = rol32(b, 30);                                           \
        b = a;                                                      \
        a = tmp_;                                                   \
    } while (0)

/* The schedule word of round t, kept in a ring of the last 16. */
#define SHA1_W(t) (w[(t) & 15] = rol32(w[((t) + 13) & 15] ^ w[((t) + 8) & 15] ^ w[((t) + 2) & 15] ^ w[(t) & 15], 1))

static void sha1Block(uint32_t st[5], const unsigned char *p) {
    uint32_t w[16];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4];
    int t = 0;
    for (; t < 16; t++) SHA1_ROUND((b & c) | (~b & d), 0x5a827999, w[t]);
    for (; t < 20; t++) SHA1_ROUND((b & c) | (~b & d), 0x5a827999, SHA1_W(t));
    for (; t < 40; t++) SHA1_ROUND(b ^ c ^ d, 0x6ed9eba1, SHA1_W(t));
    for (; t < 60; t++) SHA1_ROUND((b & c) | (b & d) | (c & d), 0x8f1bbcdc, SHA1_W(t));
    for (; t < 80; t++) SHA1_ROUND(b ^ c ^ d, 0xca62c1d6, SHA1_W(t));
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
    ctx->block[ctx->used++] = 0x80;
    if (ctx->used > 56) { /* no room for the length: one more block */
        memset(ctx->block + ctx->used, 0, 64 - ctx->used);
        sha1Block(ctx->state, ctx->block);
        ctx->used = 0;
    }
    memset(ctx->block + ctx->used, 0, 56 - ctx->used);
    for (int j = 0; j < 8; j++) ctx->block[56 + j] = (unsigned char)(bits >> (56 - 8 * j));
    sha1Block(ctx->state, ctx->block);
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
