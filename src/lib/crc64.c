/* crc64.c — table-driven CRC-64/Jones (see crc64.h).
 *
 * A bitwise CRC shifts one bit at a time; here eight tables of 256 entries
 * let the loop consume eight bytes per step ("slicing by eight"): table[0]
 * is the classic byte-at-a-time table, and table[k][b] is the CRC of byte b
 * followed by k zero bytes, so the contributions of eight input bytes can be
 * looked up independently and xored together. The reflected form works from
 * the low bit, which is why the polynomial appears bit-reversed below.
 */
#include "crc64.h"

#include <string.h>

/* 0xad93d23594c935a9 with its 64 bits reversed. */
#define CRC64_JONES_REFLECTED 0x95ac9329ac4bc9b5ULL

static uint64_t crc_table[8][256];
static int crc_ready;

void crc64Init(void) {
    if (crc_ready) return;
    for (int b = 0; b < 256; b++) {
        uint64_t crc = (uint64_t)b;
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ CRC64_JONES_REFLECTED : crc >> 1;
        crc_table[0][b] = crc;
    }
    for (int b = 0; b < 256; b++) {
        uint64_t crc = crc_table[0][b];
        for (int t = 1; t < 8; t++) {
            crc = crc_table[0][crc & 0xff] ^ (crc >> 8);
            crc_table[t][b] = crc;
        }
    }
    crc_ready = 1;
}

static inline uint64_t load64le(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

uint64_t crc64(uint64_t crc, const void *s, size_t len) {
    const unsigned char *p = s;
    if (!crc_ready) crc64Init();
    while (len >= 8) {
        uint64_t v = crc ^ load64le(p);
        crc = crc_table[7][v & 0xff] ^ crc_table[6][(v >> 8) & 0xff] ^ crc_table[5][(v >> 16) & 0xff] ^
              crc_table[4][(v >> 24) & 0xff] ^ crc_table[3][(v >> 32) & 0xff] ^ crc_table[2][(v >> 40) & 0xff] ^
              crc_table[1][(v >> 48) & 0xff] ^ crc_table[0][v >> 56];
        p += 8;
        len -= 8;
    }
    while (len--) crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return crc;
}
