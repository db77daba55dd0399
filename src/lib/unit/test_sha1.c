/* Unit tests of sha1.c: the FIPS 180 / RFC 3174 test vectors, a message
 * fed in pieces, and lengths around the padding boundary. */
#include <stdlib.h>
#include <string.h>

#include "sha1.h"
#include "test.h"

static const char *hexOf(const char *s) {
    static char out[41];
    sha1Hex(out, s, strlen(s));
    return out;
}

int main(void) {
    TEST("standard vectors") {
        ASSERT_STREQ(hexOf(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        ASSERT_STREQ(hexOf("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        ASSERT_STREQ(hexOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                     "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
        ASSERT_STREQ(hexOf("The quick brown fox jumps over the lazy dog"),
                     "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
    }
    TEST("one million 'a' fed in uneven pieces") {
        sha1Ctx ctx;
        unsigned char d[20];
        char chunk[997];
        memset(chunk, 'a', sizeof(chunk));
        sha1Init(&ctx);
        size_t left = 1000000;
        while (left) {
            size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
            sha1Update(&ctx, chunk, n);
            left -= n;
        }
        sha1Final(&ctx, d);
        static const unsigned char want[20] = {0x34, 0xaa, 0x97, 0x3c, 0xd4, 0xc4, 0xda, 0xa4, 0xf6, 0x1e,
                                               0xeb, 0x2b, 0xdb, 0xad, 0x27, 0x31, 0x65, 0x34, 0x01, 0x6f};
        ASSERT_MEMEQ(d, 20, want, 20);
    }
    TEST("lengths across the padding boundary: whole and piecewise agree") {
        char buf[130];
        memset(buf, 'x', sizeof(buf));
        int ok = 1;
        for (size_t len = 50; len <= 130; len++) {
            char whole[41], parts[41];
            sha1Hex(whole, buf, len);
            sha1Ctx ctx;
            unsigned char d[20];
            sha1Init(&ctx);
            for (size_t j = 0; j < len; j++) sha1Update(&ctx, buf + j, 1);
            sha1Final(&ctx, d);
            static const char hex[] = "0123456789abcdef";
            for (int j = 0; j < 20; j++) parts[2 * j] = hex[d[j] >> 4], parts[2 * j + 1] = hex[d[j] & 15];
            parts[40] = 0;
            if (strcmp(whole, parts) != 0) ok = 0;
        }
        ASSERT(ok);
        ASSERT_STREQ(hexOf("0123456789012345678901234567890123456789012345678901234567890123"),
                     "cf0800f7644ace3cb4c3fa33388d3ba0ea3c8b6e");
    }
    return TEST_REPORT();
}
