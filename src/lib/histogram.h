/* histogram.h -- a log-linear histogram of latencies in nanoseconds (see
 * histogram.c). One allocation when created, none when recording. */
#ifndef EMBER_HISTOGRAM_H
#define EMBER_HISTOGRAM_H

#include <stdint.h>

/* Values from 0 to HISTOGRAM_MAX_VALUE (1 s in ns); larger ones are clamped. */
#define HISTOGRAM_MAX_VALUE 1000000000LL
#define HISTOGRAM_SUB_BITS 7 /* 128 slots per power of two: 2 significant digits */
#define HISTOGRAM_SLOTS ((30 - HISTOGRAM_SUB_BITS + 1) << HISTOGRAM_SUB_BITS)

typedef struct histogram {
    uint64_t total;
    uint64_t counts[HISTOGRAM_SLOTS];
} histogram;

/* A new, empty histogram; free it with histogramFree. */
histogram *histogramCreate(void);
void histogramFree(histogram *h);
void histogramReset(histogram *h);

/* The slot of value v (0 <= v <= HISTOGRAM_MAX_VALUE): values below 256
 * have a slot each; above, each power of two is cut in 128 equal slots. */
static inline unsigned histogramSlot(uint64_t v) {
    if (v < (1u << (HISTOGRAM_SUB_BITS + 1))) return (unsigned)v;
    unsigned shift = 63 - (unsigned)__builtin_clzll(v) - HISTOGRAM_SUB_BITS;
    return (shift << HISTOGRAM_SUB_BITS) + (unsigned)(v >> shift);
}

/* Counts one value (clamped to HISTOGRAM_MAX_VALUE). */
static inline void histogramRecord(histogram *h, uint64_t v) {
    if (v > HISTOGRAM_MAX_VALUE) v = HISTOGRAM_MAX_VALUE;
    h->counts[histogramSlot(v)]++;
    h->total++;
}

/* The smallest and the largest value that share slot i. */
uint64_t histogramSlotLowest(unsigned i);
uint64_t histogramSlotHighest(unsigned i);

/* The value below which `percentile` percent (0..100) of the recorded
 * values fall: the highest value of the slot reached (the lowest for 0).
 * 0 when nothing was recorded. */
uint64_t histogramPercentile(const histogram *h, double percentile);

/* How many recorded values are <= histogramSlotHighest(histogramSlot(v)). */
uint64_t histogramCountUpTo(const histogram *h, uint64_t v);

#endif
