/* tickclock.h -- a cheap clock for timing commands.
 *
 * call() times every command it runs (INFO commandstats, the slow log,
 * the latency histograms), so two clock reads per command are on the
 * hottest path there is. On x86-64 with an invariant TSC (one that ticks at
 * a constant rate in every power state, which the CPU announces in CPUID)
 * a read is one RDTSC instruction; anywhere else it is CLOCK_MONOTONIC.
 * Ticks are turned into microseconds only for an interval's length, with a
 * rate calibrated against CLOCK_MONOTONIC at start-up and refined from
 * then on over an ever longer baseline (tickClockRefine, from the cron).
 *
 * Ticks are for intervals measured on one machine within one process; they
 * are not a time of day and do not survive a fork's exec. See tickclock.c.
 */
#ifndef EMBER_TICKCLOCK_H
#define EMBER_TICKCLOCK_H

#include <stdint.h>

#include "util.h"

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

/* 1 when ticks are TSC cycles, 0 when they are CLOCK_MONOTONIC
 * microseconds. Set once by tickClockInit. */
extern int tick_clock_tsc;
/* Microseconds per tick, as a 32.32 fixed-point number, and the tick count
 * at calibration (intervals are measured from it). */
extern uint64_t tick_clock_us_per_tick;
extern uint64_t tick_clock_base;

/* Chooses the source and calibrates it (about 2 ms of spinning when the
 * TSC is used). Call once before any other function here; until then
 * ticks are CLOCK_MONOTONIC microseconds. */
void tickClockInit(void);

/* Re-derives the rate from the whole time since tickClockInit: the longer
 * the baseline, the more exact. Cheap; the server calls it once a second. */
void tickClockRefine(void);

/* The current tick count. */
static inline uint64_t tickClockNow(void) {
#if defined(__x86_64__)
    if (tick_clock_tsc) return __rdtsc();
#endif
    return getMonotonicUs(); /* the fallback source */
}

/* The length in microseconds of the interval from ticks a to b (0 when b
 * is not after a), counted as a microsecond clock would count it: the
 * microsecond boundaries between the two, so that intervals shorter than
 * a microsecond average to their true length over many measurements. */
static inline uint64_t tickClockUs(uint64_t a, uint64_t b) {
    if (b <= a) return 0;
    if (!tick_clock_tsc) return b - a;
    uint64_t ua = (uint64_t)(((unsigned __int128)(a - tick_clock_base) * tick_clock_us_per_tick) >> 32);
    uint64_t ub = (uint64_t)(((unsigned __int128)(b - tick_clock_base) * tick_clock_us_per_tick) >> 32);
    return ub - ua;
}

#endif
