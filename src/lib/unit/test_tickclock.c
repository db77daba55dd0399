/* Unit tests of tickclock.c: intervals in microseconds from either source. */
#include <time.h>

#include "test.h"
#include "tickclock.h"

/* Sleeps ms milliseconds (at least: nanosleep never returns early unless
 * interrupted, and is restarted then). */
static void sleepMs(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L}, rem;
    while (nanosleep(&ts, &rem) != 0) ts = rem;
}

/* The interval a 20 ms sleep measures, with the clock as it is set up. */
static uint64_t measureSleep(void) {
    uint64_t a = tickClockNow();
    sleepMs(20);
    return tickClockUs(a, tickClockNow());
}

int main(void) {
    TEST("before tickClockInit, ticks are monotonic microseconds") {
        uint64_t us = measureSleep();
        ASSERT(us >= 19900 && us < 2000000);
    }
    tickClockInit();
    TEST("after tickClockInit (TSC or not), a 20 ms sleep measures 20 ms or a little more") {
        uint64_t us = measureSleep();
        ASSERT(us >= 19900 && us < 2000000);
        tickClockRefine();
        us = measureSleep();
        ASSERT(us >= 19900 && us < 2000000);
    }
    TEST("an empty or reversed interval is 0") {
        uint64_t t = tickClockNow();
        ASSERT_EQ_INT(tickClockUs(t, t), 0);
        ASSERT_EQ_INT(tickClockUs(t + 1000, t), 0);
    }
    TEST("sub-microsecond intervals average to their length, not to 0") {
        /* 10,000 back-to-back reads take well over a microsecond in all;
         * summed per pair, the microsecond boundaries they cross add up to
         * the whole span (give or take the last one). */
        uint64_t first = tickClockNow(), prev = first, sum = 0;
        for (int i = 0; i < 10000; i++) {
            uint64_t now = tickClockNow();
            sum += tickClockUs(prev, now);
            prev = now;
        }
        uint64_t whole = tickClockUs(first, prev);
        ASSERT(whole > 0);
        ASSERT(sum + 1 >= whole && sum <= whole + 1);
    }
    if (tick_clock_tsc) {
        TEST("a TSC rate is between 100 MHz and 20 GHz") {
            ASSERT(tick_clock_us_per_tick >= (1ULL << 32) / 20000 && tick_clock_us_per_tick <= (1ULL << 32) / 100);
        }
    }
    return TEST_REPORT();
}
