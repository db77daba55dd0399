/* Unit tests of lzf.c: round trips, exact-fit buffers, known streams and
 * corrupt-input safety. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lzf.h"
#include "test.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

/* kind 0: random bytes; 1: few distinct bytes; 2: repeated words;
 * 3: one repeated byte; 4: text-like with long repeats far back. */
static void fill(unsigned char *buf, size_t len, int kind) {
    static const char *words[] = {"alpha", "beta", "gamma", "delta", "epsilon", " ", "\n", "zeta:"};
    size_t i = 0;
    switch (kind) {
    case 0:
        for (; i < len; i++) buf[i] = (unsigned char)rnd();
        break;
    case 1:
        for (; i < len; i++) buf[i] = "abcd"[rnd() % 4];
        break;
    case 2:
        while (i < len) {
            const char *w = words[rnd() % 8];
            for (size_t k = 0; w[k] && i < len; k++) buf[i++] = (unsigned char)w[k];
        }
        break;
    case 3:
        memset(buf, 'x', len);
        break;
    default:
        for (; i < len; i++) buf[i] = (i >= 9000 && rnd() % 8) ? buf[i - 9000 + (rnd() % 3)] : (unsigned char)rnd();
        break;
    }
}

/* Compresses and decompresses buf; returns 1 on a faithful round trip. A
 * compressor refusal (0) is fine only for incompressible data when the
 * output buffer is smaller than the worst case. */
static int roundTrip(const unsigned char *buf, unsigned int len, unsigned int *clen_out) {
    unsigned int cap = len + len / 32 + 4; /* the compressor keeps 3 bytes of slack, as liblzf */
    unsigned char *comp = malloc(cap);
    unsigned char *back = malloc(len + 1);
    unsigned int clen = lzf_compress(buf, len, comp, cap);
    int ok = clen > 0 && clen <= cap;
    if (ok) {
        unsigned int dlen = lzf_decompress(comp, clen, back, len);
        ok = dlen == len && memcmp(back, buf, len) == 0;
        /* One byte less room must fail cleanly. */
        if (ok && len > 0) ok = lzf_decompress(comp, clen, back, len - 1) == 0 && errno == E2BIG;
    }
    if (clen_out) *clen_out = clen;
    free(comp);
    free(back);
    return ok;
}

int main(void) {
    TEST("empty input") {
        unsigned char out[8];
        ASSERT_EQ_INT(lzf_compress("", 0, out, sizeof(out)), 0);
        ASSERT_EQ_INT(lzf_decompress("", 0, out, sizeof(out)), 0);
    }

    TEST("hand-made streams decode as the format says") {
        unsigned char out[64];
        /* literal "abc", then copy 6 bytes from 3 back: "abcabcabc" */
        const unsigned char s1[] = {0x02, 'a', 'b', 'c', (4 << 5) | 0, 2};
        ASSERT_EQ_INT(lzf_decompress(s1, sizeof(s1), out, sizeof(out)), 9);
        ASSERT_MEMEQ(out, 9, "abcabcabc", 9);
        /* literal "z", then a long copy (7 + 3 + 2 = 12 bytes) from 1 back. */
        const unsigned char s2[] = {0x00, 'z', 0xE0, 3, 0};
        ASSERT_EQ_INT(lzf_decompress(s2, sizeof(s2), out, sizeof(out)), 13);
        ASSERT_MEMEQ(out, 13, "zzzzzzzzzzzzz", 13);
    }

    TEST("compressor output uses the documented encodings") {
        unsigned char in[100], out[200], back[100];
        memset(in, 'q', sizeof(in));
        unsigned int clen = lzf_compress(in, sizeof(in), out, sizeof(out));
        ASSERT(clen > 0 && clen < 10);
        /* liblzf's choices: position 0 is never a reference target, so two
         * literals come first, then a long back reference one byte back. */
        ASSERT_EQ_INT(out[0], 1);
        ASSERT_EQ_INT(out[1], 'q');
        ASSERT_EQ_INT(out[2], 'q');
        ASSERT_EQ_INT(out[3] >> 5, 7);
        ASSERT_EQ_INT(out[5], 0);
        ASSERT_EQ_INT(lzf_decompress(out, clen, back, sizeof(back)), 100);
        ASSERT_MEMEQ(back, 100, in, 100);
        /* 5 bytes of random data: a single literal run. */
        const unsigned char five[] = {9, 8, 7, 6, 5};
        ASSERT_EQ_INT(lzf_compress(five, 5, out, sizeof(out)), 6);
        ASSERT_EQ_INT(out[0], 4);
    }

    TEST("round trips at many sizes and kinds of data") {
        int all = 1;
        unsigned char *buf = malloc(300000);
        unsigned int sizes[] = {1, 2, 3, 4, 5, 31, 32, 33, 63, 64, 65, 100, 255, 256, 257, 1000, 4095, 8191,
                                8192, 8193, 8194, 20000, 65536, 100000, 299999};
        for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
            for (int kind = 0; kind < 5; kind++) {
                fill(buf, sizes[s], kind);
                if (!roundTrip(buf, sizes[s], NULL)) {
                    all = 0;
                    fprintf(stderr, "round trip failed: size %u kind %d\n", sizes[s], kind);
                }
            }
        }
        for (int j = 0; j < 2000; j++) {
            unsigned int len = 1 + rnd() % 3000;
            fill(buf, len, rnd() % 5);
            if (!roundTrip(buf, len, NULL)) all = 0;
        }
        ASSERT(all);
        free(buf);
    }

    TEST("compressible data shrinks, random data does not fit a smaller buffer") {
        unsigned char *buf = malloc(50000), *out = malloc(60000);
        unsigned int clen;
        fill(buf, 50000, 2);
        ASSERT(roundTrip(buf, 50000, &clen));
        ASSERT(clen < 50000 / 2);
        fill(buf, 50000, 3);
        ASSERT(roundTrip(buf, 50000, &clen));
        ASSERT(clen < 50000 / 50);
        fill(buf, 50000, 0);
        ASSERT_EQ_INT(lzf_compress(buf, 50000, out, 49999), 0);
        /* The worst case for random data is one extra byte per 32. */
        clen = lzf_compress(buf, 50000, out, 60000);
        ASSERT(clen > 0 && clen <= 50000 + 50000 / 32 + 1);
        free(buf);
        free(out);
    }

    TEST("too small output buffers are refused, never overrun") {
        unsigned char in[3000], out[4000];
        fill(in, sizeof(in), 2);
        unsigned int full = lzf_compress(in, sizeof(in), out, sizeof(out));
        ASSERT(full > 0);
        int ok = 1;
        for (unsigned int cap = 0; cap < full; cap++) {
            memset(out, 0xAB, sizeof(out));
            if (lzf_compress(in, sizeof(in), out, cap) != 0) ok = 0;
            for (unsigned int k = cap; k < sizeof(out); k++)
                if (out[k] != 0xAB) ok = 0;
        }
        ASSERT(ok);
        /* The room asked for may exceed the result by a few bytes (liblzf's
         * conservative checks, which decide when Redis stores a string
         * uncompressed); with that much it fits. */
        ASSERT_EQ_INT(lzf_compress(in, sizeof(in), out, full + 4), full);
    }

    TEST("the same bytes as liblzf for a run and a repeated text") {
        unsigned char in[108], out[200];
        memset(in, 'x', 100);
        const unsigned char want[] = {0x01, 'x', 'x', 0xe0, 0x57, 0x00, 0x01, 'x', 'x'};
        ASSERT_MEMEQ(out, lzf_compress(in, 100, out, sizeof(out)), want, sizeof(want));
        const char *text = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789"
                           "abcdefghijklmnopqrstuvwxyz0123456789";
        unsigned int n = lzf_compress(text, 108, out, sizeof(out));
        ASSERT_EQ_INT(n, 45);
        ASSERT_EQ_INT(out[0], 0x1f);
        ASSERT_EQ_INT(out[33], 0x04);
    }

    TEST("corrupt streams: truncated items and references before the start") {
        unsigned char out[64];
        const unsigned char lit_short[] = {0x05, 'a', 'b'};
        errno = 0;
        ASSERT_EQ_INT(lzf_decompress(lit_short, sizeof(lit_short), out, sizeof(out)), 0);
        ASSERT_EQ_INT(errno, EINVAL);
        const unsigned char ref_first[] = {(1 << 5), 0};
        errno = 0;
        ASSERT_EQ_INT(lzf_decompress(ref_first, sizeof(ref_first), out, sizeof(out)), 0);
        ASSERT_EQ_INT(errno, EINVAL);
        const unsigned char ref_far[] = {0x01, 'a', 'b', (1 << 5), 2};
        ASSERT_EQ_INT(lzf_decompress(ref_far, sizeof(ref_far), out, sizeof(out)), 0);
        const unsigned char ref_cut[] = {0x00, 'a', (1 << 5)};
        ASSERT_EQ_INT(lzf_decompress(ref_cut, sizeof(ref_cut), out, sizeof(out)), 0);
        const unsigned char long_cut[] = {0x00, 'a', 0xE0};
        ASSERT_EQ_INT(lzf_decompress(long_cut, sizeof(long_cut), out, sizeof(out)), 0);
        const unsigned char long_cut2[] = {0x00, 'a', 0xE0, 5};
        ASSERT_EQ_INT(lzf_decompress(long_cut2, sizeof(long_cut2), out, sizeof(out)), 0);
    }

    TEST("fuzz: mutated and random streams never write out of bounds") {
        unsigned char in[2000], comp[2200], back[2000 + 64];
        int ok = 1;
        for (int j = 0; j < 20000; j++) {
            unsigned int len = 1 + rnd() % sizeof(in);
            fill(in, len, 1 + rnd() % 4);
            unsigned int clen = lzf_compress(in, len, comp, sizeof(comp));
            if (clen == 0) continue;
            int flips = 1 + rnd() % 4;
            for (int f = 0; f < flips; f++) comp[rnd() % clen] ^= (unsigned char)(1 + rnd() % 255);
            if (rnd() % 4 == 0) clen = rnd() % clen + 1;
            unsigned int cap = rnd() % 2 ? len : 1 + rnd() % len;
            memset(back + cap, 0xCD, 64);
            unsigned int dlen = lzf_decompress(comp, clen, back, cap);
            if (dlen > cap) ok = 0;
            for (int k = 0; k < 64; k++)
                if (back[cap + k] != 0xCD) ok = 0;
        }
        for (int j = 0; j < 20000; j++) {
            unsigned int clen = 1 + rnd() % 200;
            for (unsigned int k = 0; k < clen; k++) comp[k] = (unsigned char)rnd();
            unsigned int cap = rnd() % 1000;
            memset(back + cap, 0xCD, 64);
            unsigned int dlen = lzf_decompress(comp, clen, back, cap);
            if (dlen > cap) ok = 0;
            for (int k = 0; k < 64; k++)
                if (back[cap + k] != 0xCD) ok = 0;
        }
        ASSERT(ok);
    }

    return TEST_REPORT();
}
