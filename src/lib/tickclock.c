/* tickclock.c -- the tick source of tickclock.h and its calibration.
 *
 * The TSC is used only when CPUID says it is invariant (leaf 0x80000007,
 * EDX bit 8): its rate then does not follow frequency scaling or sleep
 * states, and the kernel keeps the cores' counters in step. Its rate is not
 * announced in a portable way, so it is measured: 2 ms of CLOCK_MONOTONIC
 * against the TSC at start-up give the rate to a few parts in 10,000
 * (one clock read's jitter over the span), and every tickClockRefine()
 * measures again over the whole time since then, so after a minute the
 * error is far below a microsecond per second. A rate outside 100 MHz to
 * 20 GHz means the counter cannot be trusted (a hypervisor that traps or
 * fakes it), and CLOCK_MONOTONIC is used instead.
 */
#include "tickclock.h"

#include <time.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

int tick_clock_tsc = 0;
uint64_t tick_clock_us_per_tick = 0;
uint64_t tick_clock_base = 0;

#define CALIBRATION_NS 2000000ULL
#define TSC_MIN_HZ 100000000ULL
#define TSC_MAX_HZ 20000000000ULL

/* The calibration baseline: a CLOCK_MONOTONIC time and the TSC then. */
static uint64_t base_ns, base_ticks;

static uint64_t monotonicNs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

#if defined(__x86_64__)
static int tscIsInvariant(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(d & (1u << 4))) return 0; /* no TSC at all */
    if (!__get_cpuid(0x80000000, &a, &b, &c, &d) || a < 0x80000007) return 0;
    __get_cpuid(0x80000007, &a, &b, &c, &d);
    return (d & (1u << 8)) != 0;
}

/* The rate between the baseline and (ns, ticks) as 32.32 microseconds per
 * tick, or 0 when it is out of the plausible range. */
static uint64_t rateSince(uint64_t ns, uint64_t ticks) {
    uint64_t dns = ns - base_ns, dt = ticks - base_ticks;
    if (ticks <= base_ticks || dns == 0) return 0;
    unsigned __int128 hz = (unsigned __int128)dt * 1000000000ULL / dns;
    if (hz < TSC_MIN_HZ || hz > TSC_MAX_HZ) return 0;
    return (uint64_t)(((unsigned __int128)dns << 32) / ((unsigned __int128)dt * 1000));
}
#endif

void tickClockInit(void) {
    tick_clock_tsc = 0;
#if defined(__x86_64__)
    if (!tscIsInvariant()) return;
    base_ns = monotonicNs();
    base_ticks = __rdtsc();
    uint64_t ns;
    do ns = monotonicNs();
    while (ns - base_ns < CALIBRATION_NS);
    uint64_t rate = rateSince(ns, __rdtsc());
    if (rate == 0) return;
    tick_clock_us_per_tick = rate;
    tick_clock_base = base_ticks;
    tick_clock_tsc = 1;
#endif
}

void tickClockRefine(void) {
#if defined(__x86_64__)
    if (!tick_clock_tsc) return;
    uint64_t rate = rateSince(monotonicNs(), __rdtsc());
    if (rate) tick_clock_us_per_tick = rate;
#endif
}
