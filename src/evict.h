/* evict.h — maxmemory: the access stamps of values and key eviction.
 *
 * See evict.c. Every value carries a 24-bit access stamp (robj.lru): the
 * LRU clock under the LRU and non-LFU policies, or a minute clock and a
 * logarithmic access counter under the LFU policies. processCommand calls
 * performEvictions before running a command when maxmemory is set.
 */
#ifndef EMBER_EVICT_H
#define EMBER_EVICT_H

#include "server.h"

/* What performEvictions achieved. */
#define EVICT_OK 0      /* under maxmemory (or no limit, or eviction not allowed now) */
#define EVICT_RUNNING 1 /* still above, but the time budget ran out: a timer goes on */
#define EVICT_FAIL 2    /* above maxmemory and nothing more can be evicted */

/* The counter a new value starts with under LFU (so it is not evicted at once). */
#define LFU_INIT_VAL 5

/* The minute clock of the LFU stamp: 16 bits, wrapping about every 45 days. */
static inline unsigned long lfuMinutesNow(void) {
    return (unsigned long)(server.unixtime / 60) & 65535;
}
/* The LRU clock: the one serverCron caches (hz is at least CONFIG_MIN_HZ,
 * 1, so the cache is refreshed at least once per LRU_CLOCK_RESOLUTION),
 * or read now before the first refresh. No division on this path: every
 * argument and every lookup is stamped. */
_Static_assert(1000 / CONFIG_MIN_HZ <= LRU_CLOCK_RESOLUTION, "the cron must refresh the LRU clock in time");
static inline unsigned int LRU_CLOCK(void) {
    return server.lruclock ? server.lruclock : getLRUClock();
}
/* The stamp for a value created now, under the current policy: the LRU
 * clock, or under LFU the current minute with the initial counter. Inline:
 * every argument object is stamped. */
static inline unsigned int objectAccessStampNow(void) {
    if (server.memory.maxmemory_policy & MAXMEMORY_FLAG_LFU) return (unsigned int)((lfuMinutesNow() << 8) | LFU_INIT_VAL);
    return LRU_CLOCK();
}
/* The LFU half of objectTouchAccess. */
void objectTouchLFU(robj *o);
/* Records an access to o (a lookup that touches): LRU clock, or the LFU
 * counter decayed then incremented. Inline: every lookup runs it. */
static inline void objectTouchAccess(robj *o) {
    if (server.memory.maxmemory_policy & MAXMEMORY_FLAG_LFU)
        objectTouchLFU(o);
    else
        o->lru = LRU_CLOCK();
}
/* The LFU counter of o after the decay of the minutes since its last
 * access (OBJECT FREQ). Does not store the decayed value. */
unsigned long objectLFUFrequency(robj *o);
/* Sets o's LFU counter to freq (0..255), stamped with the current minute
 * (RESTORE FREQ, an RDB FREQ record). */
void objectSetLFUFrequency(robj *o, unsigned long freq);

/* Frees memory by evicting keys under maxmemory-policy until used memory
 * is under maxmemory, within the time budget of maxmemory-eviction-tenacity
 * (past it, a time event continues the work). Evicted keys are deleted,
 * propagated as DEL (UNLINK with lazyfree-lazy-eviction), WATCHers touched,
 * `evicted` notified and counted. Returns EVICT_OK, EVICT_RUNNING or
 * EVICT_FAIL. Does nothing (EVICT_OK) while loading or while clients are
 * paused. */
int performEvictions(void);

/* Runs performEvictions from a time event on the next turns until memory
 * is under the limit (CONFIG SET maxmemory below the memory in use). */
void evictionStartTimer(void);

/* INFO stats: total_eviction_exceeded_time and current_eviction_exceeded_time
 * (milliseconds spent above maxmemory, in all and in the current stretch). */
long long evictionExceededTimeTotal(void);
long long evictionExceededTimeCurrent(void);

#endif
