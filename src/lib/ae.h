/* ae.h -- single-threaded event loop: file events, time events, sleep hooks.
 *
 * See ae.c for the design. A loop watches up to setsize file descriptors
 * (each fd indexes an array, so fds must be below setsize) for readability
 * and writability, runs timers on the monotonic clock, and calls optional
 * hooks right before it sleeps in the kernel and right after it wakes.
 */

#ifndef EMBER_AE_H
#define EMBER_AE_H

#define AE_OK 0
#define AE_ERR -1

#define AE_NONE 0
#define AE_READABLE 1
#define AE_WRITABLE 2
#define AE_BARRIER 4   /* with WRITABLE: in one turn fire writable before readable */

#define AE_FILE_EVENTS 1
#define AE_TIME_EVENTS 2
#define AE_ALL_EVENTS (AE_FILE_EVENTS | AE_TIME_EVENTS)
#define AE_DONT_WAIT 4
#define AE_CALL_BEFORE_SLEEP 8
#define AE_CALL_AFTER_SLEEP 16

#define AE_NOMORE -1
#define AE_DELETED_EVENT_ID -1

typedef struct aeEventLoop aeEventLoop;

typedef void aeFileProc(aeEventLoop *el, int fd, void *clientData, int mask);
typedef int aeTimeProc(aeEventLoop *el, long long id, void *clientData);
typedef void aeEventFinalizerProc(aeEventLoop *el, void *clientData);
typedef void aeBeforeSleepProc(aeEventLoop *el);

aeEventLoop *aeCreateEventLoop(int setsize);
void aeDeleteEventLoop(aeEventLoop *el);
void aeStop(aeEventLoop *el);
int aeCreateFileEvent(aeEventLoop *el, int fd, int mask, aeFileProc *proc, void *clientData);
void aeDeleteFileEvent(aeEventLoop *el, int fd, int mask);
int aeGetFileEvents(aeEventLoop *el, int fd);
void *aeGetFileClientData(aeEventLoop *el, int fd);
long long aeCreateTimeEvent(aeEventLoop *el, long long milliseconds, aeTimeProc *proc,
                            void *clientData, aeEventFinalizerProc *finalizerProc);
int aeDeleteTimeEvent(aeEventLoop *el, long long id);
int aeProcessEvents(aeEventLoop *el, int flags);
int aeWait(int fd, int mask, long long milliseconds);
void aeMain(aeEventLoop *el);
const char *aeGetApiName(void);
void aeSetBeforeSleepProc(aeEventLoop *el, aeBeforeSleepProc *beforesleep);
void aeSetAfterSleepProc(aeEventLoop *el, aeBeforeSleepProc *aftersleep);
int aeGetSetSize(aeEventLoop *el);
int aeResizeSetSize(aeEventLoop *el, int setsize);
void aeSetDontWait(aeEventLoop *el, int noWait);

#endif
