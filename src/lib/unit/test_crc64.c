/* Unit tests of crc64.c: the published check value, chaining, and the
 * sliced loop against a bit-at-a-time reference on every length and
 * alignment up to a few blocks. */
#include <stdint.h>
#include <string.h>

#include "crc64.h"
#include "test.h"

static uint64_t crcBitwise(uint64_t crc, const unsigned char *p, size_t len) {
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ 0x95ac9329ac4bc9b5ULL : crc >> 1;
    }
    return crc;
}

int main(void) {
    TEST("check value of 123456789") {
        ASSERT(crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9caULL);
    }
    TEST("empty input keeps the running value") {
        ASSERT(crc64(0, "", 0) == 0);
        ASSERT(crc64(0x1234, "", 0) == 0x1234);
    }
    TEST("chaining equals one pass") {
        const char *s = "The quick brown fox jumps over the lazy dog, twice over.";
        size_t n = strlen(s);
        uint64_t whole = crc64(0, s, n);
        for (size_t cut = 0; cut <= n; cut++) ASSERT(crc64(crc64(0, s, cut), s + cut, n - cut) == whole);
    }
    TEST("sliced loop matches the bitwise reference") {
        unsigned char buf[100];
        for (int i = 0; i < 100; i++) buf[i] = (unsigned char)(i * 37 + 11);
        int bad = 0;
        for (size_t off = 0; off < 8; off++)
            for (size_t len = 0; len + off <= sizeof(buf); len++)
                if (crc64(7, buf + off, len) != crcBitwise(7, buf + off, len)) bad++;
        ASSERT_EQ_INT(bad, 0);
    }
    return TEST_REPORT();
}
