/* Unit tests of crc16.c: the published check value, slots of keys with and
 * without hash tags, and the table against a bit-at-a-time reference. */
#include <string.h>

#include "crc16.h"
#include "test.h"

static uint16_t crcBitwise(const unsigned char *p, size_t len) {
    uint16_t crc = 0;
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (int k = 0; k < 8; k++) crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
    }
    return crc;
}

int main(void) {
    TEST("check value of 123456789") {
        ASSERT(crc16("123456789", 9) == 0x31c3);
        ASSERT(crc16("", 0) == 0);
    }
    TEST("table agrees with the bitwise definition") {
        unsigned char buf[300];
        for (size_t i = 0; i < sizeof(buf); i++) buf[i] = (unsigned char)(i * 37 + 11);
        for (size_t n = 0; n <= sizeof(buf); n++) ASSERT(crc16((const char *)buf, n) == crcBitwise(buf, n));
    }
    TEST("slots of plain keys") {
        ASSERT(keyHashSlot("foo", 3) == 12182);
        ASSERT(keyHashSlot("bar", 3) == 5061);
        ASSERT(keyHashSlot("", 0) == 0);
    }
    TEST("hash tags") {
        ASSERT(keyHashSlot("{user1000}.following", 20) == keyHashSlot("user1000", 8));
        ASSERT(keyHashSlot("{user1000}.followers", 20) == keyHashSlot("user1000", 8));
        /* An empty tag hashes the whole key; only the first '{' counts. */
        ASSERT(keyHashSlot("foo{}{bar}", 10) == (crc16("foo{}{bar}", 10) & 16383));
        ASSERT(keyHashSlot("foo{{bar}}zap", 13) == keyHashSlot("{bar", 4));
        ASSERT(keyHashSlot("foo{bar}{zap}", 13) == keyHashSlot("bar", 3));
        ASSERT(keyHashSlot("{foo", 4) == (crc16("{foo", 4) & 16383));
    }
    return TEST_REPORT();
}
