/* histogram.c -- log-linear latency histograms.
 *
 * A histogram counts values (nanoseconds, 0 to 1 s) in fixed slots. Values
 * under 256 get a slot each. Above that, every power of two [2^k, 2^(k+1))
 * is cut into 128 slots of equal width 2^(k-7), so a slot is never wider
 * than 1/128 of its values: any value read back (a percentile) is within
 * 0.8% of a value really recorded. This is the layout of an HDR histogram
 * with two significant digits, which makes the numbers we print (the
 * highest value of a slot) the ones Redis prints.
 *
 * The counters live in the structure itself (24 KB), allocated once;
 * recording is an index computation and two increments (histogram.h, inline). */
#include "histogram.h"

#include <string.h>

#include "zmalloc.h"

histogram *histogramCreate(void) {
    return zcalloc(sizeof(histogram));
}

void histogramFree(histogram *h) {
    zfree(h);
}

void histogramReset(histogram *h) {
    memset(h, 0, sizeof(*h));
}

static unsigned slotShift(unsigned i) {
    return i < (2u << HISTOGRAM_SUB_BITS) ? 0 : (i >> HISTOGRAM_SUB_BITS) - 1;
}

uint64_t histogramSlotLowest(unsigned i) {
    unsigned shift = slotShift(i);
    if (shift == 0) return i;
    uint64_t sub = (1u << HISTOGRAM_SUB_BITS) | (i & ((1u << HISTOGRAM_SUB_BITS) - 1));
    return sub << shift;
}

uint64_t histogramSlotHighest(unsigned i) {
    return histogramSlotLowest(i) + (1ULL << slotShift(i)) - 1;
}

uint64_t histogramPercentile(const histogram *h, double percentile) {
    if (h->total == 0) return 0;
    if (percentile > 100.0) percentile = 100.0;
    uint64_t wanted = (uint64_t)(percentile / 100.0 * (double)h->total + 0.5);
    if (wanted == 0) wanted = 1;
    uint64_t seen = 0;
    unsigned i = 0;
    for (; i < HISTOGRAM_SLOTS - 1; i++) {
        seen += h->counts[i];
        if (seen >= wanted) break;
    }
    return percentile == 0.0 ? histogramSlotLowest(i) : histogramSlotHighest(i);
}

uint64_t histogramCountUpTo(const histogram *h, uint64_t v) {
    if (v > HISTOGRAM_MAX_VALUE) v = HISTOGRAM_MAX_VALUE;
    unsigned last = histogramSlot(v);
    uint64_t n = 0;
    for (unsigned i = 0; i <= last; i++) n += h->counts[i];
    return n;
}
