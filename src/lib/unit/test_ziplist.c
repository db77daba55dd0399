/* Unit tests of ziplist.c: hand-built ziplists and zipmaps (every entry
 * encoding) become the same listpacks, and every truncation or corruption
 * of them is refused. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listpack.h"
#include "ziplist.h"
#include "test.h"

/* "hello", 12 (immediate), 300 (int16), -5 (int8), 70000 (int24),
 * 3000000000 (int64). */
static const unsigned char sample_zl[] = {
    42, 0, 0, 0,  31, 0, 0, 0,  6, 0,
    0, 0x05, 'h', 'e', 'l', 'l', 'o',
    7, 0xFD,
    2, 0xC0, 0x2C, 0x01,
    4, 0xFE, 0xFB,
    3, 0xF0, 0x70, 0x11, 0x01,
    5, 0xE0, 0x00, 0x5E, 0xD0, 0xB2, 0x00, 0x00, 0x00, 0x00,
    0xFF};

static const unsigned char sample_zm[] = {2, 1, 'a', 3, 0, 'x', 'y', 'z', 2, 'b', 'b', 1, 1, 'q', 0, 0xFF};

static void entryText(unsigned char *p, char *out) {
    unsigned char buf[LP_INTBUF_SIZE];
    int64_t len;
    unsigned char *s = lpGet(p, &len, buf);
    memcpy(out, s, (size_t)len);
    out[len] = '\0';
}

int main(void) {
    TEST("ziplist entries of every encoding") {
        unsigned long n = 0;
        ASSERT_EQ_INT(sizeof(sample_zl), 42);
        unsigned char *lp = ziplistToListpack(sample_zl, sizeof(sample_zl), &n);
        ASSERT(lp != NULL);
        ASSERT_EQ_INT(n, 6);
        const char *want[] = {"hello", "12", "300", "-5", "70000", "3000000000"};
        unsigned char *p = lpFirst(lp);
        for (int i = 0; i < 6 && p; i++, p = lpNext(lp, p)) {
            char txt[32];
            entryText(p, txt);
            ASSERT_STREQ(txt, want[i]);
        }
        lpFree(lp);
    }
    TEST("every truncated or flipped ziplist is refused or safe") {
        unsigned char buf[sizeof(sample_zl)];
        for (size_t cut = 0; cut < sizeof(sample_zl); cut++)
            ASSERT(ziplistToListpack(sample_zl, cut, NULL) == NULL);
        int survived = 0;
        for (size_t i = 0; i < sizeof(sample_zl); i++) {
            for (int bit = 0; bit < 8; bit++) {
                memcpy(buf, sample_zl, sizeof(buf));
                buf[i] ^= (unsigned char)(1 << bit);
                unsigned char *lp = ziplistToListpack(buf, sizeof(buf), NULL);
                if (lp) {
                    survived++;
                    ASSERT(lpValidateIntegrity(lp, lpBytes(lp), 1, NULL, NULL));
                    lpFree(lp);
                }
            }
        }
        ASSERT(survived < 8 * (int)sizeof(sample_zl));
    }
    TEST("zipmap pairs, with free bytes") {
        unsigned long pairs = 0;
        unsigned char *lp = zipmapToListpack(sample_zm, sizeof(sample_zm), &pairs);
        ASSERT(lp != NULL);
        ASSERT_EQ_INT(pairs, 2);
        ASSERT_EQ_INT(lpLength(lp), 4);
        char txt[8];
        entryText(lpSeek(lp, 1), txt);
        ASSERT_STREQ(txt, "xyz");
        entryText(lpSeek(lp, 3), txt);
        ASSERT_STREQ(txt, "q");
        lpFree(lp);
        for (size_t cut = 0; cut < sizeof(sample_zm); cut++)
            ASSERT(zipmapToListpack(sample_zm, cut, NULL) == NULL);
    }
    return TEST_REPORT();
}
