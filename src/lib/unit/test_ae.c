/* test_ae.c -- unit tests of the event loop (ae.c with the epoll backend).
 *
 * File events are driven with pipes and socket pairs, whose readiness the
 * test controls by writing bytes. Time events are checked for deadline
 * order, rescheduling, deletion from callbacks (own and others'), finalizers
 * and nested processing. Timing assertions use generous bounds so a loaded
 * machine does not make them flaky.
 */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "ae.h"
#include "zmalloc.h"
#include "unit/test.h"

static long long nowMs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Shared record of what callbacks did, reset by each test. */
static struct {
    int calls;
    int fd;
    int mask;
    void *data;
    char order[64];
    int olen;
    long long ids[16];
} rec;

static void recReset(void) {
    memset(&rec, 0, sizeof(rec));
}

static void note(char c) {
    if (rec.olen < (int)sizeof(rec.order) - 1) rec.order[rec.olen++] = c;
}

/* ----------------------------- file events ----------------------------- */

static void onReadable(aeEventLoop *el, int fd, void *clientData, int mask) {
    char buf[16];
    rec.calls++;
    rec.fd = fd;
    rec.mask = mask;
    rec.data = clientData;
    if (read(fd, buf, sizeof(buf)) < 0) rec.calls = -1000;
}

static void testPipeReadable(void) {
    aeEventLoop *el = aeCreateEventLoop(1024);
    int p[2];
    ASSERT(pipe(p) == 0);
    ASSERT(strcmp(aeGetApiName(), "epoll") == 0);
    int tag = 7;
    ASSERT(aeCreateFileEvent(el, p[0], AE_READABLE, onReadable, &tag) == AE_OK);
    ASSERT(aeGetFileEvents(el, p[0]) == AE_READABLE);
    ASSERT(aeGetFileClientData(el, p[0]) == &tag);
    recReset();
    ASSERT(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT) == 0);
    ASSERT(rec.calls == 0);
    ASSERT(write(p[1], "x", 1) == 1);
    ASSERT(aeProcessEvents(el, AE_ALL_EVENTS) == 1);
    ASSERT(rec.calls == 1 && rec.fd == p[0] && rec.data == &tag);
    ASSERT(rec.mask & AE_READABLE);
    aeDeleteFileEvent(el, p[0], AE_READABLE);
    ASSERT(aeGetFileEvents(el, p[0]) == AE_NONE);
    ASSERT(aeGetFileClientData(el, p[0]) == NULL);
    ASSERT(write(p[1], "y", 1) == 1);
    ASSERT(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT) == 0);
    ASSERT(rec.calls == 1);
    /* Out-of-range fds are refused. */
    ASSERT(aeCreateFileEvent(el, 1024, AE_READABLE, onReadable, NULL) == AE_ERR);
    ASSERT(aeCreateFileEvent(el, -1, AE_READABLE, onReadable, NULL) == AE_ERR);
    ASSERT(aeGetFileEvents(el, 5000) == AE_NONE);
    aeDeleteFileEvent(el, 5000, AE_READABLE); /* ignored */
    close(p[0]);
    close(p[1]);
    aeDeleteEventLoop(el);
}

static int victimFd;
static void deleteOther(aeEventLoop *el, int fd, void *clientData, int mask) {
    char buf[8];
    note('A');
    if (read(fd, buf, sizeof(buf)) < 0) note('!');
    aeDeleteFileEvent(el, victimFd, AE_READABLE);
}

static void markVictim(aeEventLoop *el, int fd, void *clientData, int mask) {
    note('B');
}

static void testDeleteFileEventInCallback(void) {
    aeEventLoop *el = aeCreateEventLoop(1024);
    int a[2], b[2];
    ASSERT(pipe(a) == 0 && pipe(b) == 0);
    /* a's callback removes b's event. epoll reports fds in the order they
     * became ready, so writing a first makes a fire first; b, ready in the
     * same turn, must then be skipped. */
    ASSERT(aeCreateFileEvent(el, a[0], AE_READABLE, deleteOther, NULL) == AE_OK);
    ASSERT(aeCreateFileEvent(el, b[0], AE_READABLE, markVictim, NULL) == AE_OK);
    victimFd = b[0];
    ASSERT(write(a[1], "x", 1) == 1 && write(b[1], "x", 1) == 1);
    recReset();
    ASSERT(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT) == 2);
    ASSERT(strcmp(rec.order, "A") == 0);
    ASSERT(aeGetFileEvents(el, b[0]) == AE_NONE);
    ASSERT(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT) == 0);
    close(a[0]); close(a[1]); close(b[0]); close(b[1]);
    aeDeleteEventLoop(el);
}

static void onRead(aeEventLoop *el, int fd, void *clientData, int mask) {
    char buf[16];
    note('r');
    if (read(fd, buf, sizeof(buf)) < 0) note('!');
}

static void onWrite(aeEventLoop *el, int fd, void *clientData, int mask) {
    note('w');
}

static void onBoth(aeEventLoop *el, int fd, void *clientData, int mask) {
    note('b');
    if (mask & AE_READABLE) {
        char buf[16];
        if (read(fd, buf, sizeof(buf)) < 0) note('!');
    }
}

static void testBarrier(void) {
    aeEventLoop *el = aeCreateEventLoop(1024);
    int sv[2];
    ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    ASSERT(aeCreateFileEvent(el, sv[0], AE_READABLE, onRead, NULL) == AE_OK);
    ASSERT(aeCreateFileEvent(el, sv[0], AE_WRITABLE, onWrite, NULL) == AE_OK);
    ASSERT(write(sv[1], "x", 1) == 1);
    recReset();
    aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT);
    ASSERT(strcmp(rec.order, "rw") == 0);

    aeCreateFileEvent(el, sv[0], AE_WRITABLE | AE_BARRIER, onWrite, NULL);
    ASSERT(aeGetFileEvents(el, sv[0]) == (AE_READABLE | AE_WRITABLE | AE_BARRIER));
    ASSERT(write(sv[1], "x", 1) == 1);
    recReset();
    aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT);
    ASSERT(strcmp(rec.order, "wr") == 0);

    /* Removing WRITABLE drops the barrier too. */
    aeDeleteFileEvent(el, sv[0], AE_WRITABLE);
    ASSERT(aeGetFileEvents(el, sv[0]) == AE_READABLE);

    /* One proc for both directions runs once per turn. */
    aeCreateFileEvent(el, sv[0], AE_READABLE | AE_WRITABLE, onBoth, NULL);
    ASSERT(write(sv[1], "x", 1) == 1);
    recReset();
    aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT);
    ASSERT(strcmp(rec.order, "b") == 0);
    close(sv[0]);
    close(sv[1]);
    aeDeleteEventLoop(el);
}

static void testResize(void) {
    aeEventLoop *el = aeCreateEventLoop(64);
    ASSERT(aeGetSetSize(el) == 64);
    int p[2];
    ASSERT(pipe(p) == 0);
    int hi = dup2(p[0], 500);
    ASSERT(hi == 500);
    ASSERT(aeCreateFileEvent(el, hi, AE_READABLE, onReadable, NULL) == AE_ERR);
    ASSERT(aeCreateFileEvent(el, p[0], AE_READABLE, onReadable, NULL) == AE_OK);
    ASSERT(aeResizeSetSize(el, p[0]) == AE_ERR);   /* p[0] would not fit */
    ASSERT(aeResizeSetSize(el, p[0] + 1) == AE_OK);
    ASSERT(aeGetSetSize(el) == p[0] + 1);
    ASSERT(aeResizeSetSize(el, 1024) == AE_OK);
    ASSERT(aeGetSetSize(el) == 1024);
    ASSERT(aeGetFileEvents(el, p[0]) == AE_READABLE);
    aeDeleteFileEvent(el, p[0], AE_READABLE);
    ASSERT(aeCreateFileEvent(el, hi, AE_READABLE, onReadable, NULL) == AE_OK);
    ASSERT(write(p[1], "z", 1) == 1);
    recReset();
    ASSERT(aeProcessEvents(el, AE_FILE_EVENTS) == 1);
    ASSERT(rec.calls == 1 && rec.fd == hi);
    ASSERT(aeResizeSetSize(el, 100) == AE_ERR);
    aeDeleteFileEvent(el, hi, AE_READABLE);
    ASSERT(aeResizeSetSize(el, 100) == AE_OK);
    close(hi);
    close(p[0]);
    close(p[1]);
    aeDeleteEventLoop(el);
}

static void testWait(void) {
    int p[2];
    ASSERT(pipe(p) == 0);
    long long t0 = nowMs();
    ASSERT(aeWait(p[0], AE_READABLE, 20) == 0);
    ASSERT(nowMs() - t0 >= 15);
    ASSERT(aeWait(p[1], AE_WRITABLE, 1000) == AE_WRITABLE);
    ASSERT(write(p[1], "x", 1) == 1);
    ASSERT(aeWait(p[0], AE_READABLE, 1000) == AE_READABLE);
    close(p[0]);
    close(p[1]);
}

/* ----------------------------- time events ----------------------------- */

static int onceTimer(aeEventLoop *el, long long id, void *clientData) {
    note((char)(uintptr_t)clientData);
    return AE_NOMORE;
}

static int finalized;
static void finalizer(aeEventLoop *el, void *clientData) {
    finalized++;
}

/* Run turns until the recorded order has n chars or deadline ms pass. */
static void runUntil(aeEventLoop *el, int n, long long ms) {
    long long end = nowMs() + ms;
    while (rec.olen < n && nowMs() < end) aeProcessEvents(el, AE_ALL_EVENTS);
}

static void testTimerOrder(void) {
    aeEventLoop *el = aeCreateEventLoop(64);
    recReset();
    finalized = 0;
    long long t0 = nowMs();
    aeCreateTimeEvent(el, 60, onceTimer, (void *)'c', finalizer);
    aeCreateTimeEvent(el, 20, onceTimer, (void *)'a', finalizer);
    aeCreateTimeEvent(el, 40, onceTimer, (void *)'b', finalizer);
    aeCreateTimeEvent(el, 40, onceTimer, (void *)'B', finalizer); /* tie: creation order */
    runUntil(el, 4, 2000);
    ASSERT(strcmp(rec.order, "abBc") == 0);
    ASSERT(nowMs() - t0 >= 60);
    ASSERT(finalized == 4); /* reclaimed at the end of the pass that ran them */

    /* Timers that are all overdue in one pass still run in deadline order. */
    recReset();
    aeCreateTimeEvent(el, 3, onceTimer, (void *)'z', NULL);
    aeCreateTimeEvent(el, 1, onceTimer, (void *)'x', NULL);
    aeCreateTimeEvent(el, 2, onceTimer, (void *)'y', NULL);
    usleep(10000);
    ASSERT(aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT) == 3);
    ASSERT(strcmp(rec.order, "xyz") == 0);
    aeDeleteEventLoop(el);
}

static long long rescheduleTimes[8];
static int rescheduleTimer(aeEventLoop *el, long long id, void *clientData) {
    rescheduleTimes[rec.calls] = nowMs();
    rec.calls++;
    return rec.calls < 4 ? 15 : AE_NOMORE;
}

static void testTimerReschedule(void) {
    aeEventLoop *el = aeCreateEventLoop(64);
    recReset();
    finalized = 0;
    long long id = aeCreateTimeEvent(el, 0, rescheduleTimer, NULL, finalizer);
    ASSERT(id >= 0);
    long long end = nowMs() + 2000;
    while (finalized == 0 && nowMs() < end) aeProcessEvents(el, AE_ALL_EVENTS);
    ASSERT(rec.calls == 4);
    ASSERT(finalized == 1);
    int spaced = 1;
    for (int i = 1; i < 4; i++) spaced &= rescheduleTimes[i] - rescheduleTimes[i - 1] >= 14;
    ASSERT(spaced);
    ASSERT(aeDeleteTimeEvent(el, id) == AE_ERR); /* already gone */
    aeDeleteEventLoop(el);
}

static int selfDeleting(aeEventLoop *el, long long id, void *clientData) {
    rec.calls++;
    ASSERT(aeDeleteTimeEvent(el, id) == AE_OK);
    ASSERT(aeDeleteTimeEvent(el, id) == AE_ERR);
    return 1; /* ignored: the timer is deleted */
}

static int killer(aeEventLoop *el, long long id, void *clientData) {
    note('K');
    ASSERT(aeDeleteTimeEvent(el, *(long long *)clientData) == AE_OK);
    return AE_NOMORE;
}

static int nestedProcessing(aeEventLoop *el, long long id, void *clientData) {
    note('N');
    aeDeleteTimeEvent(el, id);
    /* A nested pass must not free this timer while we are inside it. */
    aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT);
    aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT);
    return AE_NOMORE;
}

static void testTimerDelete(void) {
    aeEventLoop *el = aeCreateEventLoop(64);
    recReset();
    finalized = 0;
    aeCreateTimeEvent(el, 0, selfDeleting, NULL, finalizer);
    aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT);
    ASSERT(rec.calls == 1);
    ASSERT(finalized == 1);
    aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT);
    ASSERT(rec.calls == 1);

    /* One timer deleting another that is due later in the same pass. */
    recReset();
    long long victim = aeCreateTimeEvent(el, 5, onceTimer, (void *)'V', finalizer);
    aeCreateTimeEvent(el, 1, killer, &victim, finalizer);
    usleep(10000);
    aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT);
    aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT);
    ASSERT(strcmp(rec.order, "K") == 0);
    ASSERT(finalized == 3);

    /* Deleted before it fires. */
    recReset();
    long long id = aeCreateTimeEvent(el, 0, onceTimer, (void *)'D', NULL);
    ASSERT(aeDeleteTimeEvent(el, id) == AE_OK);
    aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT);
    ASSERT(rec.olen == 0);

    recReset();
    aeCreateTimeEvent(el, 0, nestedProcessing, NULL, finalizer);
    aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT);
    aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT);
    ASSERT(strcmp(rec.order, "N") == 0);
    ASSERT(finalized == 4);

    /* Timers still pending at loop deletion get their finalizer. */
    aeCreateTimeEvent(el, 100000, onceTimer, NULL, finalizer);
    aeDeleteEventLoop(el);
    ASSERT(finalized == 5);
}

/* The loop's cached nearest deadline: deleting the nearest timer frees it
 * on the next pass (the wait may end early once, never late), and the next
 * timer still fires on time; a far timer is not run by turns before it. */
static void testNearestDeadline(void) {
    aeEventLoop *el = aeCreateEventLoop(64);
    recReset();
    finalized = 0;
    long long near = aeCreateTimeEvent(el, 5, onceTimer, (void *)'A', finalizer);
    aeCreateTimeEvent(el, 30, onceTimer, (void *)'B', finalizer);
    aeCreateTimeEvent(el, 100000, onceTimer, (void *)'F', finalizer);
    ASSERT(aeDeleteTimeEvent(el, near) == AE_OK);
    for (int turns = 0; rec.olen == 0 && turns < 100; turns++) aeProcessEvents(el, AE_TIME_EVENTS);
    ASSERT(strcmp(rec.order, "B") == 0);
    ASSERT(finalized == 2);
    for (int i = 0; i < 10; i++) aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT);
    ASSERT(strcmp(rec.order, "B") == 0);
    /* A new nearer timer shortens the wait at once. */
    aeCreateTimeEvent(el, 1, onceTimer, (void *)'C', finalizer);
    aeProcessEvents(el, AE_TIME_EVENTS);
    ASSERT(strcmp(rec.order, "BC") == 0);
    aeDeleteEventLoop(el);
    ASSERT(finalized == 4);
}

/* Creating a timer inside a timer: the new one waits for the next pass. */
static int spawner(aeEventLoop *el, long long id, void *clientData) {
    note('S');
    aeCreateTimeEvent(el, 0, onceTimer, (void *)'c', NULL);
    return AE_NOMORE;
}

static void testTimerCreateInCallback(void) {
    aeEventLoop *el = aeCreateEventLoop(64);
    recReset();
    aeCreateTimeEvent(el, 0, spawner, NULL, NULL);
    ASSERT(aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT) == 1);
    ASSERT(strcmp(rec.order, "S") == 0);
    ASSERT(aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT) == 1);
    ASSERT(strcmp(rec.order, "Sc") == 0);
    aeDeleteEventLoop(el);
}

/* --------------------------- hooks and main ---------------------------- */

static int before_calls, after_calls;
static void beforeSleep(aeEventLoop *el) {
    before_calls++;
    note('<');
}

static void afterSleep(aeEventLoop *el) {
    after_calls++;
    note('>');
}

static int stopAfter3(aeEventLoop *el, long long id, void *clientData) {
    note('t');
    if (++rec.calls == 3) {
        aeStop(el);
        return AE_NOMORE;
    }
    return 5;
}

static void testMainAndHooks(void) {
    aeEventLoop *el = aeCreateEventLoop(64);
    recReset();
    aeSetBeforeSleepProc(el, beforeSleep);
    aeSetAfterSleepProc(el, afterSleep);
    aeCreateTimeEvent(el, 5, stopAfter3, NULL, NULL);
    aeMain(el);
    ASSERT(rec.calls == 3);
    ASSERT(before_calls >= 3 && after_calls >= 3);
    ASSERT(before_calls == after_calls);
    ASSERT(rec.order[0] == '<' && rec.order[1] == '>');
    ASSERT(strstr(rec.order, "<>t") != NULL);
    /* Without the CALL flags the hooks are not called. */
    int b = before_calls;
    aeProcessEvents(el, AE_ALL_EVENTS | AE_DONT_WAIT);
    aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT);
    ASSERT(before_calls == b);
    aeDeleteEventLoop(el);
}

static void testDontWait(void) {
    aeEventLoop *el = aeCreateEventLoop(64);
    recReset();
    aeCreateTimeEvent(el, 300, onceTimer, (void *)'x', NULL);
    aeSetDontWait(el, 1);
    long long t0 = nowMs();
    aeProcessEvents(el, AE_ALL_EVENTS);
    ASSERT(nowMs() - t0 < 100);
    ASSERT(rec.olen == 0);
    aeSetDontWait(el, 0);
    aeProcessEvents(el, AE_ALL_EVENTS);
    ASSERT(nowMs() - t0 >= 290);
    ASSERT(strcmp(rec.order, "x") == 0);
    ASSERT(aeProcessEvents(el, 0) == 0);
    aeDeleteEventLoop(el);
}

static void onAlarm(int sig) {
    (void)sig;
}

static void testEintr(void) {
    aeEventLoop *el = aeCreateEventLoop(64);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = onAlarm; /* no SA_RESTART: epoll_wait returns EINTR */
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    recReset();
    aeCreateTimeEvent(el, 100, onceTimer, (void *)'e', NULL);
    runUntil(el, 1, 2000);
    ASSERT(strcmp(rec.order, "e") == 0);
    signal(SIGALRM, SIG_DFL);
    aeDeleteEventLoop(el);
}

int main(void) {
    size_t used_at_start = zmalloc_used_memory();
    TEST("ae: pipe becomes readable, callback fires") testPipeReadable();
    TEST("ae: deleting a fired fd's event in a callback skips it") testDeleteFileEventInCallback();
    TEST("ae: barrier ordering") testBarrier();
    TEST("ae: resize set size") testResize();
    TEST("ae: aeWait") testWait();
    TEST("ae: time events fire in deadline order") testTimerOrder();
    TEST("ae: rescheduling and AE_NOMORE") testTimerReschedule();
    TEST("ae: deleting time events inside callbacks") testTimerDelete();
    TEST("ae: the cached nearest deadline") testNearestDeadline();
    TEST("ae: creating a timer inside a timer") testTimerCreateInCallback();
    TEST("ae: aeMain with beforesleep/aftersleep") testMainAndHooks();
    TEST("ae: dont-wait mode") testDontWait();
    TEST("ae: EINTR during wait") testEintr();
    TEST("ae: every allocation was freed") ASSERT_EQ_INT(zmalloc_used_memory(), used_at_start);
    return TEST_REPORT();
}
