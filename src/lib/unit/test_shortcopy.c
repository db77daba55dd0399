/* Unit tests of shortcopy.h: every length copies exactly its bytes. */
#include "shortcopy.h"
#include "test.h"

int main(void) {
    TEST("copyShort and copyBytes copy n bytes and touch nothing around them") {
        int bad = 0;
        for (size_t n = 0; n <= 200; n++) {
            char src[256], dst[256];
            for (size_t i = 0; i < sizeof(src); i++) src[i] = (char)(i * 7 + 1);
            memset(dst, 0x55, sizeof(dst));
            if (n <= SHORT_COPY_MAX)
                copyShort(dst + 8, src + 3, n);
            else
                copyBytes(dst + 8, src + 3, n);
            for (size_t i = 0; i < sizeof(dst); i++) {
                char want = (i >= 8 && i < 8 + n) ? src[3 + i - 8] : 0x55;
                bad += dst[i] != want;
            }
            memset(dst, 0x55, sizeof(dst));
            copyBytes(dst + 8, src + 3, n);
            for (size_t i = 0; i < sizeof(dst); i++) {
                char want = (i >= 8 && i < 8 + n) ? src[3 + i - 8] : 0x55;
                bad += dst[i] != want;
            }
        }
        ASSERT_EQ_INT(bad, 0);
    }
    return TEST_REPORT();
}
