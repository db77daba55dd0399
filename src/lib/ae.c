/* ae.c -- the event loop.
 *
 * One thread, one loop. The loop owns three things:
 *
 *  - File events: an array indexed by fd (size setsize) holding the watched
 *    mask and the read/write callbacks for each descriptor. The kernel
 *    readiness API lives behind five aeApi* functions in ae_epoll.c, which
 *    is #included here so they stay static and inlinable. A turn asks the
 *    backend for ready fds, which it writes to the `fired` array.
 *
 *  - Time events: a short unsorted list (the server keeps a handful) of
 *    timers on the monotonic clock in microseconds. The nearest deadline
 *    bounds how long the kernel wait may sleep. Due timers run in deadline
 *    order; a callback returns AE_NOMORE to end its timer or a delay in ms
 *    to run again.
 *
 *  - Hooks: beforesleep runs before each wait (the server flushes replies
 *    there), aftersleep right after the wait returns.
 *
 * Mutation from inside callbacks is the normal case, so:
 *  - a fired fd is dispatched only for the bits still registered at the time
 *    of dispatch: removing an fd's events in one callback stops a later
 *    callback for it in the same turn;
 *  - deleting a timer only marks it (id = AE_DELETED_EVENT_ID); it is
 *    unlinked and its finalizer called at the end of the current timer pass
 *    (or of the next one), never while its own callback is on the stack
 *    (refcount), which makes nested aeProcessEvents calls from a callback
 *    safe. The due-timer search restarts from the list head after every
 *    callback, so no pointer into the list is held across a callback;
 *  - timers created during a pass wait for the next pass.
 *
 * beforesleep runs before the wait timeout is computed, so work it queues
 * (aeSetDontWait, a new timer) already shapes this turn's sleep.
 */

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ae.h"
#include "zmalloc.h"

typedef struct aeFileEvent {
    int mask; /* AE_READABLE | AE_WRITABLE | AE_BARRIER */
    aeFileProc *rfileProc;
    aeFileProc *wfileProc;
    void *clientData;
} aeFileEvent;

typedef struct aeFiredEvent {
    int fd;
    int mask;
} aeFiredEvent;

typedef struct aeTimeEvent {
    long long id;            /* AE_DELETED_EVENT_ID once deleted */
    long long when;          /* monotonic deadline, microseconds */
    aeTimeProc *timeProc;
    aeEventFinalizerProc *finalizerProc;
    void *clientData;
    struct aeTimeEvent *prev, *next;
    int refcount;            /* >0 while its callback runs: not freed */
    unsigned long pass;      /* last pass in which it fired */
} aeTimeEvent;

struct aeEventLoop {
    int maxfd;               /* highest fd registered, -1 if none */
    int setsize;
    long long timeEventNextId;
    aeFileEvent *events;
    aeFiredEvent *fired;
    aeTimeEvent *timeEventHead;
    long long nearestWhen;   /* at or before the earliest live deadline;
                                LLONG_MAX with no timer */
    int timersDeleted;       /* timers marked deleted, not yet freed */
    unsigned long timePass;
    int stop;
    int dontWait;
    void *apidata;           /* backend state */
    aeBeforeSleepProc *beforesleep;
    aeBeforeSleepProc *aftersleep;
};

#include "ae_epoll.c"

static long long monotonicUs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ------------------------------ lifecycle ------------------------------ */

/* A new loop able to watch fds 0..setsize-1, or NULL if the backend could
 * not be set up. Free with aeDeleteEventLoop. */
aeEventLoop *aeCreateEventLoop(int setsize) {
    if (setsize <= 0) return NULL;
    aeEventLoop *el = zcalloc(sizeof(*el));
    el->events = zmalloc(sizeof(aeFileEvent) * (size_t)setsize);
    el->fired = zmalloc(sizeof(aeFiredEvent) * (size_t)setsize);
    el->setsize = setsize;
    el->maxfd = -1;
    el->timeEventNextId = 0;
    el->nearestWhen = LLONG_MAX;
    for (int i = 0; i < setsize; i++) el->events[i].mask = AE_NONE;
    if (aeApiCreate(el) == -1) {
        zfree(el->events);
        zfree(el->fired);
        zfree(el);
        return NULL;
    }
    return el;
}

/* Free the loop. Remaining timers are freed and their finalizers called;
 * registered fds are not closed (the loop never owns them). */
void aeDeleteEventLoop(aeEventLoop *el) {
    aeApiFree(el);
    aeTimeEvent *te = el->timeEventHead;
    while (te) {
        aeTimeEvent *next = te->next;
        if (te->finalizerProc) te->finalizerProc(el, te->clientData);
        zfree(te);
        te = next;
    }
    zfree(el->events);
    zfree(el->fired);
    zfree(el);
}

/* Make aeMain return after the current turn. */
void aeStop(aeEventLoop *el) {
    el->stop = 1;
}

/* Current capacity (fds must be below it). */
int aeGetSetSize(aeEventLoop *el) {
    return el->setsize;
}

/* Change the capacity. AE_ERR if a registered fd would not fit. */
int aeResizeSetSize(aeEventLoop *el, int setsize) {
    if (setsize == el->setsize) return AE_OK;
    if (setsize <= 0 || el->maxfd >= setsize) return AE_ERR;
    if (aeApiResize(el, setsize) == -1) return AE_ERR;
    el->events = zrealloc(el->events, sizeof(aeFileEvent) * (size_t)setsize);
    el->fired = zrealloc(el->fired, sizeof(aeFiredEvent) * (size_t)setsize);
    for (int i = el->setsize; i < setsize; i++) el->events[i].mask = AE_NONE;
    el->setsize = setsize;
    return AE_OK;
}

/* When noWait is set, every wait polls without sleeping until cleared. */
void aeSetDontWait(aeEventLoop *el, int noWait) {
    el->dontWait = noWait ? 1 : 0;
}

/* Hook run before each wait when AE_CALL_BEFORE_SLEEP is passed (NULL: none). */
void aeSetBeforeSleepProc(aeEventLoop *el, aeBeforeSleepProc *beforesleep) {
    el->beforesleep = beforesleep;
}

/* Hook run after each wait when AE_CALL_AFTER_SLEEP is passed (NULL: none). */
void aeSetAfterSleepProc(aeEventLoop *el, aeBeforeSleepProc *aftersleep) {
    el->aftersleep = aftersleep;
}

/* ----------------------------- file events ----------------------------- */

/* Watch fd for mask (AE_READABLE, AE_WRITABLE, optionally AE_BARRIER) and
 * call proc(el, fd, clientData, firedmask) when ready. Adds to any mask
 * already registered; proc replaces the callback of the bits given.
 * clientData is borrowed and shared by both directions. AE_ERR (errno
 * ERANGE) if fd >= setsize, or if the kernel refuses the fd. */
int aeCreateFileEvent(aeEventLoop *el, int fd, int mask, aeFileProc *proc, void *clientData) {
    if (fd < 0 || fd >= el->setsize) {
        errno = ERANGE;
        return AE_ERR;
    }
    aeFileEvent *fe = &el->events[fd];
    if (aeApiAddEvent(el, fd, mask) == -1) return AE_ERR;
    fe->mask |= mask;
    if (mask & AE_READABLE) fe->rfileProc = proc;
    if (mask & AE_WRITABLE) fe->wfileProc = proc;
    fe->clientData = clientData;
    if (fd > el->maxfd) el->maxfd = fd;
    return AE_OK;
}

/* Stop watching fd for mask. Removing AE_WRITABLE also removes AE_BARRIER.
 * Unknown fds and bits are ignored. */
void aeDeleteFileEvent(aeEventLoop *el, int fd, int mask) {
    if (fd < 0 || fd >= el->setsize) return;
    aeFileEvent *fe = &el->events[fd];
    if (fe->mask == AE_NONE) return;
    if (mask & AE_WRITABLE) mask |= AE_BARRIER;
    aeApiDelEvent(el, fd, mask);
    fe->mask &= ~mask;
    if (fd == el->maxfd && fe->mask == AE_NONE) {
        int j = el->maxfd - 1;
        while (j >= 0 && el->events[j].mask == AE_NONE) j--;
        el->maxfd = j;
    }
}

/* Mask registered for fd (AE_NONE if none or out of range). */
int aeGetFileEvents(aeEventLoop *el, int fd) {
    if (fd < 0 || fd >= el->setsize) return AE_NONE;
    return el->events[fd].mask;
}

/* clientData registered for fd, or NULL. */
void *aeGetFileClientData(aeEventLoop *el, int fd) {
    if (fd < 0 || fd >= el->setsize || el->events[fd].mask == AE_NONE) return NULL;
    return el->events[fd].clientData;
}

/* ----------------------------- time events ----------------------------- */

/* Run proc after `milliseconds` ms (0: next pass). clientData is borrowed;
 * finalizerProc (optional) is called once the timer is gone, to release it.
 * Returns the timer id (>= 0). */
long long aeCreateTimeEvent(aeEventLoop *el, long long milliseconds, aeTimeProc *proc,
                            void *clientData, aeEventFinalizerProc *finalizerProc) {
    aeTimeEvent *te = zcalloc(sizeof(*te));
    te->id = el->timeEventNextId++;
    te->when = monotonicUs() + milliseconds * 1000;
    te->timeProc = proc;
    te->finalizerProc = finalizerProc;
    te->clientData = clientData;
    te->pass = el->timePass;
    te->next = el->timeEventHead;
    if (te->next) te->next->prev = te;
    el->timeEventHead = te;
    if (te->when < el->nearestWhen) el->nearestWhen = te->when;
    return te->id;
}

/* Cancel timer id; safe from any callback, including its own. The
 * finalizer runs at the end of the current or next timer pass. AE_ERR if no live timer has that id. */
int aeDeleteTimeEvent(aeEventLoop *el, long long id) {
    for (aeTimeEvent *te = el->timeEventHead; te; te = te->next) {
        if (te->id == id) {
            te->id = AE_DELETED_EVENT_ID;
            el->timersDeleted++;
            return AE_OK;
        }
    }
    return AE_ERR;
}

/* Microseconds until the nearest timer (0 if overdue), -1 if none. The
 * deadline is el->nearestWhen, which a deleted timer may hold too early
 * until the next pass: that only wakes the loop once for nothing. */
static long long usUntilNearestTimer(aeEventLoop *el) {
    if (el->nearestWhen == LLONG_MAX) return -1;
    long long delta = el->nearestWhen - monotonicUs();
    return delta > 0 ? delta : 0;
}

/* Frees the deleted timers whose callback is not running; recounts the
 * others in el->timersDeleted and sets el->nearestWhen from the live ones. */
static void freeDeletedTimers(aeEventLoop *el) {
    aeTimeEvent *te = el->timeEventHead;
    long long nearest = LLONG_MAX;
    int kept = 0;
    while (te) {
        aeTimeEvent *next = te->next;
        if (te->id == AE_DELETED_EVENT_ID && te->refcount == 0) {
            if (te->prev) te->prev->next = te->next;
            else el->timeEventHead = te->next;
            if (te->next) te->next->prev = te->prev;
            if (te->finalizerProc) te->finalizerProc(el, te->clientData);
            zfree(te);
        } else if (te->id == AE_DELETED_EVENT_ID) {
            kept++;
        } else if (te->when < nearest) {
            nearest = te->when;
        }
        te = next;
    }
    el->timersDeleted = kept;
    el->nearestWhen = nearest;
}

/* Earliest due timer not yet fired in this pass and older than maxId. */
static aeTimeEvent *nextDueTimer(aeEventLoop *el, long long now, long long maxId) {
    aeTimeEvent *best = NULL;
    for (aeTimeEvent *te = el->timeEventHead; te; te = te->next) {
        if (te->id == AE_DELETED_EVENT_ID || te->id > maxId) continue;
        if (te->pass == el->timePass || te->when > now) continue;
        if (best == NULL || te->when < best->when ||
            (te->when == best->when && te->id < best->id))
            best = te;
    }
    return best;
}

/* Runs the due timers. A turn with none due and none to free (the usual
 * one) costs a clock read and two tests. */
static int processTimeEvents(aeEventLoop *el) {
    int processed = 0;
    long long maxId = el->timeEventNextId - 1;
    long long now = monotonicUs();
    if (now < el->nearestWhen && el->timersDeleted == 0) return 0;
    el->timePass++;
    freeDeletedTimers(el);
    aeTimeEvent *te;
    while ((te = nextDueTimer(el, now, maxId)) != NULL) {
        te->pass = el->timePass;
        te->refcount++;
        int retval = te->timeProc(el, te->id, te->clientData);
        te->refcount--;
        processed++;
        now = monotonicUs();
        if (te->id == AE_DELETED_EVENT_ID) continue;
        if (retval == AE_NOMORE) te->id = AE_DELETED_EVENT_ID;
        else te->when = now + (long long)retval * 1000;
    }
    freeDeletedTimers(el);
    return processed;
}

/* ------------------------------ the turn ------------------------------- */

/* Wait timeout in ms for this turn: 0, -1 (forever) or up to the nearest timer. */
static int waitTimeoutMs(aeEventLoop *el, int flags) {
    if ((flags & AE_DONT_WAIT) || el->dontWait) return 0;
    if (!(flags & AE_TIME_EVENTS)) return -1;
    long long us = usUntilNearestTimer(el);
    if (us < 0) return -1;
    long long ms = (us + 999) / 1000;   /* round up: never wake before the deadline */
    return ms > 0x7fffffff ? 0x7fffffff : (int)ms;
}

static void dispatchFired(aeEventLoop *el, int fd, int mask) {
    aeFileEvent *fe = &el->events[fd];
    int fired = 0;
    int invert = fe->mask & AE_BARRIER;
    if (!invert && (fe->mask & mask & AE_READABLE)) {
        fe->rfileProc(el, fd, fe->clientData, mask);
        fired++;
        fe = &el->events[fd];    /* the array may have been resized */
    }
    if (fe->mask & mask & AE_WRITABLE) {
        if (!fired || fe->wfileProc != fe->rfileProc) {
            fe->wfileProc(el, fd, fe->clientData, mask);
            fired++;
        }
        fe = &el->events[fd];
    }
    if (invert && (fe->mask & mask & AE_READABLE)) {
        if (!fired || fe->wfileProc != fe->rfileProc) fe->rfileProc(el, fd, fe->clientData, mask);
    }
}

/* Run one turn: optional beforesleep, wait for file events (bounded by the
 * nearest timer; not at all with AE_DONT_WAIT), optional aftersleep,
 * dispatch fired fds, then run due timers. flags select AE_FILE_EVENTS /
 * AE_TIME_EVENTS and the hooks. Returns the number of events processed. */
int aeProcessEvents(aeEventLoop *el, int flags) {
    int processed = 0;
    if (!(flags & (AE_TIME_EVENTS | AE_FILE_EVENTS))) return 0;
    if (el->maxfd != -1 || ((flags & AE_TIME_EVENTS) && !(flags & AE_DONT_WAIT))) {
        if ((flags & AE_CALL_BEFORE_SLEEP) && el->beforesleep) el->beforesleep(el);
        int timeout = waitTimeoutMs(el, flags);
        int numevents = aeApiPoll(el, timeout);
        if ((flags & AE_CALL_AFTER_SLEEP) && el->aftersleep) el->aftersleep(el);
        if (!(flags & AE_FILE_EVENTS)) numevents = 0;
        for (int j = 0; j < numevents; j++) {
            int fd = el->fired[j].fd;
            if (fd < el->setsize) dispatchFired(el, fd, el->fired[j].mask);
            processed++;
        }
    }
    if (flags & AE_TIME_EVENTS) processed += processTimeEvents(el);
    return processed;
}

/* Block up to milliseconds (-1: forever) until fd is ready for mask.
 * Returns the ready mask (AE_READABLE/AE_WRITABLE), 0 on timeout, -1 on
 * error. Independent of any loop. */
int aeWait(int fd, int mask, long long milliseconds) {
    struct pollfd pfd = {.fd = fd, .events = 0, .revents = 0};
    if (mask & AE_READABLE) pfd.events |= POLLIN;
    if (mask & AE_WRITABLE) pfd.events |= POLLOUT;
    int timeout = milliseconds > 0x7fffffff ? 0x7fffffff : (int)milliseconds;
    int rv = poll(&pfd, 1, timeout);
    if (rv <= 0) return rv;
    int ready = 0;
    if (pfd.revents & POLLIN) ready |= AE_READABLE;
    if (pfd.revents & POLLOUT) ready |= AE_WRITABLE;
    if (pfd.revents & (POLLERR | POLLHUP)) ready |= AE_WRITABLE;
    return ready;
}

/* Run turns (with both hooks) until aeStop is called. */
void aeMain(aeEventLoop *el) {
    el->stop = 0;
    while (!el->stop)
        aeProcessEvents(el, AE_ALL_EVENTS | AE_CALL_BEFORE_SLEEP | AE_CALL_AFTER_SLEEP);
}

/* Name of the kernel readiness API in use. */
const char *aeGetApiName(void) {
    return aeApiName();
}
