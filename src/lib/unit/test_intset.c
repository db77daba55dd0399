/* test_intset.c -- unit tests of intset.c.
 *
 * Covers the width chosen at each boundary of 16, 32 and 64 bits, upgrades
 * from each width (towards both ends), ordering after inserts in any order,
 * a long random add/remove run checked against a plain model array, and
 * intsetValidateIntegrity on truncated, mis-sized and unsorted blobs.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intset.h"
#include "zmalloc.h"
#include "unit/test.h"

/* 1 if the members are strictly ascending. */
static int isSorted(intset *is) {
    int64_t prev = 0, cur;
    for (uint32_t j = 0; j < intsetLen(is); j++) {
        intsetGet(is, j, &cur);
        if (j > 0 && cur <= prev) return 0;
        prev = cur;
    }
    return 1;
}

static uint32_t encodingOf(intset *is) {
    uint32_t enc;
    memcpy(&enc, is, sizeof(enc)); /* little-endian hosts only, like the CI */
    return enc;
}

/* A set holding exactly one value: its encoding. */
static uint32_t encodingForSingle(int64_t v) {
    intset *is = intsetNew();
    is = intsetAdd(is, v, NULL);
    uint32_t enc = encodingOf(is);
    zfree(is);
    return enc;
}

static int cmpInt64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* A random value drawn so all three widths appear often. */
static int64_t randomValue(void) {
    switch (random() % 4) {
    case 0: return (int64_t)(random() % 200) - 100;
    case 1: return (int64_t)(random() % 200000) - 100000;
    case 2: return ((int64_t)random() << 32 | (int64_t)random()) >> (random() % 40);
    default: return (int64_t)(random() % 70000) - 35000;
    }
}

int main(void) {
    srandom(1234);

    TEST("new set is empty with 16-bit width") {
        intset *is = intsetNew();
        ASSERT_EQ_INT(intsetLen(is), 0);
        ASSERT_EQ_INT(encodingOf(is), INTSET_ENC_INT16);
        ASSERT_EQ_INT(intsetBlobLen(is), 8);
        ASSERT(!intsetFind(is, 0));
        int64_t v;
        ASSERT(!intsetGet(is, 0, &v));
        zfree(is);
    }

    TEST("width chosen at the 16/32/64-bit boundaries") {
        ASSERT_EQ_INT(encodingForSingle(0), 2);
        ASSERT_EQ_INT(encodingForSingle(INT16_MAX), 2);
        ASSERT_EQ_INT(encodingForSingle(INT16_MIN), 2);
        ASSERT_EQ_INT(encodingForSingle((int64_t)INT16_MAX + 1), 4);
        ASSERT_EQ_INT(encodingForSingle((int64_t)INT16_MIN - 1), 4);
        ASSERT_EQ_INT(encodingForSingle(INT32_MAX), 4);
        ASSERT_EQ_INT(encodingForSingle(INT32_MIN), 4);
        ASSERT_EQ_INT(encodingForSingle((int64_t)INT32_MAX + 1), 8);
        ASSERT_EQ_INT(encodingForSingle((int64_t)INT32_MIN - 1), 8);
        ASSERT_EQ_INT(encodingForSingle(INT64_MAX), 8);
        ASSERT_EQ_INT(encodingForSingle(INT64_MIN), 8);
    }

    TEST("add reports new and existing members") {
        intset *is = intsetNew();
        uint8_t ok;
        is = intsetAdd(is, 5, &ok);
        ASSERT_EQ_INT(ok, 1);
        is = intsetAdd(is, 6, &ok);
        ASSERT_EQ_INT(ok, 1);
        is = intsetAdd(is, 4, &ok);
        ASSERT_EQ_INT(ok, 1);
        is = intsetAdd(is, 4, &ok);
        ASSERT_EQ_INT(ok, 0);
        ASSERT_EQ_INT(intsetLen(is), 3);
        ASSERT_EQ_INT(intsetBlobLen(is), 8 + 3 * 2);
        ASSERT(isSorted(is));
        ASSERT_EQ_INT(intsetMin(is), 4);
        ASSERT_EQ_INT(intsetMax(is), 6);
        zfree(is);
    }

    TEST("upgrades keep every member, towards both ends") {
        int64_t wide[] = {(int64_t)INT16_MAX + 1, (int64_t)INT16_MIN - 1, (int64_t)INT32_MAX + 1,
                          (int64_t)INT32_MIN - 1, INT64_MAX, INT64_MIN};
        uint32_t want[] = {4, 4, 8, 8, 8, 8};
        for (size_t k = 0; k < sizeof(wide) / sizeof(wide[0]); k++) {
            intset *is = intsetNew();
            for (int64_t v = -20; v <= 20; v += 3) is = intsetAdd(is, v, NULL);
            uint32_t before = intsetLen(is);
            uint8_t ok;
            is = intsetAdd(is, wide[k], &ok);
            ASSERT_EQ_INT(ok, 1);
            ASSERT_EQ_INT(encodingOf(is), want[k]);
            ASSERT_EQ_INT(intsetLen(is), before + 1);
            ASSERT(isSorted(is));
            ASSERT(intsetFind(is, wide[k]));
            for (int64_t v = -20; v <= 20; v += 3) ASSERT(intsetFind(is, v));
            ASSERT(!intsetFind(is, -19));
            ASSERT_EQ_INT(intsetBlobLen(is), 8 + (size_t)(before + 1) * want[k]);
            zfree(is);
        }
    }

    TEST("upgrade from 32 to 64 bits") {
        intset *is = intsetNew();
        is = intsetAdd(is, 100000, NULL);
        is = intsetAdd(is, -100000, NULL);
        ASSERT_EQ_INT(encodingOf(is), 4);
        is = intsetAdd(is, 5000000000LL, NULL);
        ASSERT_EQ_INT(encodingOf(is), 8);
        is = intsetAdd(is, -5000000000LL, NULL);
        int64_t v;
        intsetGet(is, 0, &v);
        ASSERT_EQ_INT(v, -5000000000LL);
        intsetGet(is, 1, &v);
        ASSERT_EQ_INT(v, -100000);
        intsetGet(is, 2, &v);
        ASSERT_EQ_INT(v, 100000);
        intsetGet(is, 3, &v);
        ASSERT_EQ_INT(v, 5000000000LL);
        zfree(is);
    }

    TEST("width never shrinks on remove") {
        intset *is = intsetNew();
        is = intsetAdd(is, 1, NULL);
        is = intsetAdd(is, 1LL << 40, NULL);
        int ok;
        is = intsetRemove(is, 1LL << 40, &ok);
        ASSERT_EQ_INT(ok, 1);
        ASSERT_EQ_INT(encodingOf(is), 8);
        ASSERT_EQ_INT(intsetLen(is), 1);
        ASSERT(intsetFind(is, 1));
        zfree(is);
    }

    TEST("remove of absent or too-wide values") {
        intset *is = intsetNew();
        for (int v = 0; v < 10; v++) is = intsetAdd(is, v, NULL);
        int ok;
        is = intsetRemove(is, 100, &ok);
        ASSERT_EQ_INT(ok, 0);
        is = intsetRemove(is, 1LL << 50, &ok);
        ASSERT_EQ_INT(ok, 0);
        ASSERT(!intsetFind(is, 1LL << 50));
        is = intsetRemove(is, 0, &ok);
        ASSERT_EQ_INT(ok, 1);
        is = intsetRemove(is, 9, &ok);
        ASSERT_EQ_INT(ok, 1);
        is = intsetRemove(is, 5, &ok);
        ASSERT_EQ_INT(ok, 1);
        ASSERT_EQ_INT(intsetLen(is), 7);
        ASSERT(isSorted(is));
        ASSERT_EQ_INT(intsetMin(is), 1);
        ASSERT_EQ_INT(intsetMax(is), 8);
        for (int v = 1; v <= 8; v++) {
            is = intsetRemove(is, v, &ok);
            ASSERT_EQ_INT(ok, v != 5);
        }
        ASSERT_EQ_INT(intsetLen(is), 0);
        zfree(is);
    }

    TEST("ordering after random-order inserts") {
        intset *is = intsetNew();
        for (int j = 0; j < 2000; j++) is = intsetAdd(is, randomValue(), NULL);
        ASSERT(isSorted(is));
        zfree(is);
    }

    TEST("random member is a member") {
        intset *is = intsetNew();
        for (int v = 0; v < 50; v += 5) is = intsetAdd(is, v, NULL);
        int seen[10] = {0};
        for (int j = 0; j < 1000; j++) {
            int64_t r = intsetRandom(is);
            ASSERT(intsetFind(is, r));
            if (r % 5 == 0 && r >= 0 && r < 50) seen[r / 5] = 1;
        }
        int all = 1;
        for (int j = 0; j < 10; j++) all &= seen[j];
        ASSERT(all);
        zfree(is);
    }

    TEST("random add/remove against a model") {
        enum { CAP = 3000 };
        static int64_t model[CAP];
        size_t n = 0;
        intset *is = intsetNew();
        int mismatches = 0;
        for (int step = 0; step < 40000; step++) {
            int64_t v = (random() % 3 == 0 && n > 0) ? model[random() % n] : randomValue();
            size_t k;
            for (k = 0; k < n && model[k] != v; k++) {}
            int present = k < n;
            if (random() % 2 && n < CAP) {
                uint8_t ok;
                is = intsetAdd(is, v, &ok);
                if (ok != !present) mismatches++;
                if (!present) model[n++] = v;
            } else {
                int ok;
                is = intsetRemove(is, v, &ok);
                if (ok != present) mismatches++;
                if (present) model[k] = model[--n];
            }
            if (intsetLen(is) != n) mismatches++;
        }
        ASSERT_EQ_INT(mismatches, 0);
        qsort(model, n, sizeof(int64_t), cmpInt64);
        int same = 1;
        for (size_t j = 0; j < n; j++) {
            int64_t v;
            if (!intsetGet(is, (uint32_t)j, &v) || v != model[j]) same = 0;
        }
        ASSERT(same);
        ASSERT(intsetValidateIntegrity((unsigned char *)is, intsetBlobLen(is), 1));
        zfree(is);
    }

    TEST("validate accepts good blobs, rejects corrupt ones") {
        intset *is = intsetNew();
        ASSERT(!intsetValidateIntegrity((unsigned char *)is, intsetBlobLen(is), 1)); /* empty */
        for (int v = 0; v < 8; v++) is = intsetAdd(is, v * 1000, NULL);
        size_t len = intsetBlobLen(is);
        ASSERT(intsetValidateIntegrity((unsigned char *)is, len, 0));
        ASSERT(intsetValidateIntegrity((unsigned char *)is, len, 1));
        /* Too short for a header; sizes not matching the length field. */
        ASSERT(!intsetValidateIntegrity((unsigned char *)is, 0, 1));
        ASSERT(!intsetValidateIntegrity((unsigned char *)is, 7, 1));
        ASSERT(!intsetValidateIntegrity((unsigned char *)is, len - 1, 1));
        ASSERT(!intsetValidateIntegrity((unsigned char *)is, len - 2, 0));
        /* A copy we can damage in a buffer with slack after it. */
        unsigned char *buf = zmalloc(len + 64);
        memcpy(buf, is, len);
        ASSERT(!intsetValidateIntegrity(buf, len + 2, 0));
        uint32_t bad = 3;
        memcpy(buf, &bad, 4);
        ASSERT(!intsetValidateIntegrity(buf, len, 0));
        memcpy(buf, is, len);
        uint32_t huge = 0xffffffffu;
        memcpy(buf + 4, &huge, 4);
        ASSERT(!intsetValidateIntegrity(buf, len, 1));
        /* Unsorted and duplicate members: only the deep check sees them. */
        memcpy(buf, is, len);
        int16_t a = 5000, b = 1000;
        memcpy(buf + 8, &a, 2);
        memcpy(buf + 10, &b, 2);
        ASSERT(intsetValidateIntegrity(buf, len, 0));
        ASSERT(!intsetValidateIntegrity(buf, len, 1));
        memcpy(buf, is, len);
        memcpy(buf + 10, buf + 8, 2);
        ASSERT(!intsetValidateIntegrity(buf, len, 1));
        /* Random garbage never crashes. */
        for (int j = 0; j < 2000; j++) {
            size_t sz = (size_t)(random() % 64);
            for (size_t k = 0; k < sz; k++) buf[k] = (unsigned char)random();
            if (random() % 2 && sz >= 8) {
                uint32_t enc = (uint32_t)(2 << (random() % 3)), n = (uint32_t)((sz - 8) / enc);
                memcpy(buf, &enc, 4);
                memcpy(buf + 4, &n, 4);
                sz = 8 + (size_t)n * enc;
            }
            (void)intsetValidateIntegrity(buf, sz, 1);
        }
        ASSERT(1);
        zfree(buf);
        zfree(is);
    }

    return TEST_REPORT();
}
