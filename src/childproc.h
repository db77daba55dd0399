/* childproc.h — the one background child process (BGSAVE, BGREWRITEAOF).
 *
 * See childproc.c. A feature forks through childFork with its purpose and
 * a done handler; the parent learns of the child's end in serverCron
 * (childCheckDone), which calls the handler once. In the child, the work
 * reports progress and copy-on-write with childReportProgress and ends
 * with childExit.
 */
#ifndef EMBER_CHILDPROC_H
#define EMBER_CHILDPROC_H

#include <stddef.h>
#include <sys/types.h>

#include "sds.h"

typedef enum {
    CHILD_TYPE_NONE = 0,
    CHILD_TYPE_RDB,
    CHILD_TYPE_AOF,
    CHILD_TYPE_COUNT
} childType;

/* The exit status a child uses when it was told to stop (SIGUSR1): the
 * done handler sees it as "killed on purpose", not as a failure. */
#define CHILD_EXIT_KILLED 255

/* What the parent knows when a child ends. exitcode is the child's exit
 * status (0 = success), bysignal the signal that killed it (0 if none).
 * cow_bytes is the last copy-on-write size the child reported. */
typedef struct childResult {
    childType type;
    pid_t pid;
    int exitcode;
    int bysignal;
    size_t cow_bytes;
    long long duration_ms;
} childResult;

typedef void childDoneHandler(const childResult *res);

/* Forks a child for `type` (no other child may be running: check
 * childActive first). In the child: returns 0, with the listeners closed,
 * the signal handlers of a child installed (SIGUSR1 ends it with
 * CHILD_EXIT_KILLED), the process title and oom-score-adj of a background
 * child set. In the parent: returns the child's pid, records the fork time
 * (INFO latest_fork_usec, total_forks, the `fork` latency event) and
 * disables dict resizing while the child shares pages; done is called
 * once from childCheckDone when the child ends. Returns -1 (errno set,
 * nothing recorded) when fork fails. keys_total is the number of keys the
 * child will visit (INFO current_save_keys_total). */
pid_t childFork(childType type, const char *title, size_t keys_total, childDoneHandler *done);

/* 1 while a child of any type runs. */
int childActive(void);
/* The type of the running child, CHILD_TYPE_NONE when none. */
childType childRunningType(void);
pid_t childRunningPid(void);

/* Called from serverCron: reads the child's reports and, when it has
 * ended, reaps it, re-enables dict resizing and calls its done handler. */
void childCheckDone(void);

/* Stops the running child (SIGUSR1) and waits for it; its done handler is
 * called with exitcode CHILD_EXIT_KILLED (or bysignal SIGUSR1, when the
 * signal came before the child installed its handler). Used
 * by SHUTDOWN, FLUSHALL and CONFIG SET appendonly no. No-op without a child. */
void childKill(void);

/* In a process forked without childFork (a Lua debugging session): the
 * parent's background child is not ours, so SHUTDOWN, FLUSHALL and the
 * like run there must not stop or wait for it. */
void childForgetParentsChild(void);

/* In the child: reports that `keys` keys of keys_total are done, with the
 * copy-on-write size measured at most once a second. Cheap to call often. */
void childReportProgress(size_t keys);

/* In the child: sends the final copy-on-write figure and exits with code
 * without running the parent's atexit handlers or flushing stdio. */
void childExit(int code) __attribute__((noreturn));

/* The copy-on-write size reported by the last child of type that ended
 * (INFO rdb_last_cow_size / aof_last_cow_size). */
size_t childLastCowBytes(childType type);

/* Appends the INFO persistence lines current_cow_peak .. current_save_keys_total. */
sds childCatInfoPersistence(sds s);
/* INFO stats: how long the last fork() took, and how many forks succeeded. */
long long childLatestForkUsec(void);
long long childTotalForks(void);

#endif
