/* Unit tests for histogram.c. */
#include <math.h>
#include <stdlib.h>

#include "../histogram.h"
#include "test.h"

int main(void) {
    TEST("slots are contiguous and bound their values") {
        for (uint64_t v = 0; v <= 70000; v++) {
            unsigned s = histogramSlot(v);
            if (histogramSlotLowest(s) > v || histogramSlotHighest(s) < v) {
                ASSERT(0);
                break;
            }
        }
        ASSERT_EQ_INT(histogramSlot(255), 255);
        ASSERT_EQ_INT(histogramSlot(256), 256);
        ASSERT(histogramSlot(HISTOGRAM_MAX_VALUE) < HISTOGRAM_SLOTS);
    }
    TEST("slot bounds match a two-digit HDR layout") {
        ASSERT_EQ_INT(histogramSlotHighest(histogramSlot(1000)), 1003);
        ASSERT_EQ_INT(histogramSlotHighest(histogramSlot(3000)), 3007);
        ASSERT_EQ_INT(histogramSlotHighest(histogramSlot(10000)), 10047);
        ASSERT_EQ_INT(histogramSlotLowest(histogramSlot(4010)), 4000);
        ASSERT_EQ_INT(histogramSlotHighest(histogramSlot(32768)), 33023);
    }
    TEST("percentiles of one value") {
        histogram *h = histogramCreate();
        ASSERT_EQ_INT(histogramPercentile(h, 50), 0);
        histogramRecord(h, 10000);
        ASSERT_EQ_INT(histogramPercentile(h, 50), 10047);
        ASSERT_EQ_INT(histogramPercentile(h, 100), 10047);
        ASSERT_EQ_INT(histogramPercentile(h, 0), 9984);
        histogramFree(h);
    }
    TEST("percentiles of a uniform spread are within 1%") {
        histogram *h = histogramCreate();
        for (uint64_t v = 1; v <= 100000; v++) histogramRecord(h, v * 1000);
        double p50 = (double)histogramPercentile(h, 50), p99 = (double)histogramPercentile(h, 99);
        ASSERT(fabs(p50 - 50000000.0) / 50000000.0 < 0.01);
        ASSERT(fabs(p99 - 99000000.0) / 99000000.0 < 0.01);
        ASSERT_EQ_INT(h->total, 100000);
        ASSERT_EQ_INT(histogramCountUpTo(h, 1000000), 1003); /* its slot reaches 1,003,519 */
        histogramReset(h);
        ASSERT_EQ_INT(h->total, 0);
        ASSERT_EQ_INT(histogramPercentile(h, 99), 0);
        histogramFree(h);
    }
    TEST("values past the maximum are clamped") {
        histogram *h = histogramCreate();
        histogramRecord(h, 5 * HISTOGRAM_MAX_VALUE);
        ASSERT(histogramPercentile(h, 50) >= HISTOGRAM_MAX_VALUE);
        histogramFree(h);
    }
    return TEST_REPORT();
}
