/* Unit tests of sha1.c: the FIPS 180 example vectors, and incremental
 * updates of every split agreeing with one pass. */
#include <stdio.h>
#include <string.h>

#include "sha1.h"
#include "test.h"

static void hex(const unsigned char d[20], char out[41]) {
    for (int i = 0; i < 20; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

int main(void) {
    unsigned char d[20];
    char h[41];
    TEST("known vectors") {
        sha1("abc", 3, d);
        hex(d, h);
        ASSERT_STREQ(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
        sha1("", 0, d);
        hex(d, h);
        ASSERT_STREQ(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        sha1(m, strlen(m), d);
        hex(d, h);
        ASSERT_STREQ(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    }
    TEST("a million a's, fed in odd pieces") {
        sha1Ctx ctx;
        sha1Init(&ctx);
        char a[997];
        memset(a, 'a', sizeof(a));
        size_t left = 1000000;
        while (left) {
            size_t n = left < sizeof(a) ? left : sizeof(a);
            sha1Update(&ctx, a, n);
            left -= n;
        }
        sha1Final(&ctx, d);
        hex(d, h);
        ASSERT_STREQ(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    }
    TEST("every split of a 150-byte message") {
        unsigned char msg[150], whole[20];
        for (int i = 0; i < 150; i++) msg[i] = (unsigned char)(i * 7);
        sha1(msg, sizeof(msg), whole);
        int bad = 0;
        for (size_t cut = 0; cut <= sizeof(msg); cut++) {
            sha1Ctx ctx;
            sha1Init(&ctx);
            sha1Update(&ctx, msg, cut);
            sha1Update(&ctx, msg + cut, sizeof(msg) - cut);
            sha1Final(&ctx, d);
            if (memcmp(d, whole, 20)) bad++;
        }
        ASSERT_EQ_INT(bad, 0);
    }
    return TEST_REPORT();
}
