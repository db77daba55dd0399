/* childproc.c — the one background child process.
 *
 * BGSAVE and BGREWRITEAOF snapshot the dataset by forking: the child sees
 * the memory as it was at fork time and writes it out while the parent
 * goes on serving. Redis runs at most one such child at a time, and so
 * does Ember; this file owns it, so that each feature only says what its
 * child does and what to do when it ends.
 *
 * The parent side. childFork records the child (type, pid, start time, the
 * number of keys it will visit) and opens a pipe the child reports on.
 * While the child runs, dict resizing is disabled so that rehashing does
 * not copy pages the child still shares. serverCron calls childCheckDone:
 * it drains the pipe (progress, copy-on-write) and reaps the child with a
 * non-blocking waitpid; when the child is gone, the feature's done handler
 * runs once with the exit code, the signal and the last copy-on-write
 * figure. childKill is for the cases where the parent cannot wait
 * (SHUTDOWN, FLUSHALL, CONFIG SET appendonly no): SIGUSR1, a blocking wait,
 * then the same done handler.
 *
 * The child side. It is the parent's copy, event loop included, so it must
 * touch nothing the parent still uses: the listeners are closed with plain
 * close() (the epoll set is shared with the parent, so no epoll_ctl), the
 * shutdown signals are ignored (the parent stops its child itself), and
 * SIGUSR1 ends it with CHILD_EXIT_KILLED. Copy-on-write is measured as the
 * child's private dirty memory (/proc/self/smaps_rollup, or smaps on older
 * kernels): a page is private to the child once either process wrote it.
 * Reports are fixed-size messages, smaller than PIPE_BUF, so each write is
 * atomic; the child never blocks on a full pipe (it is non-blocking), it
 * just skips a report.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "childproc.h"
#include "dict.h"
#include "ptable.h"
#include "latency.h"
#include "log.h"
#include "server.h"

typedef struct childReport {
    size_t keys;
    size_t cow_bytes;
    int final;
} childReport;

/* The running child, as the parent sees it. */
static struct {
    childType type;
    pid_t pid;
    long long start_ms;
    size_t keys_total, keys_done;
    size_t cow_bytes, cow_peak;
    long long cow_updated_ms;
    int report_fd; /* parent: read end; child: write end */
    childDoneHandler *done;
} cur = {.type = CHILD_TYPE_NONE, .pid = -1, .report_fd = -1};

static size_t last_cow[CHILD_TYPE_COUNT];
static long long latest_fork_usec, total_forks;

/* In the child: when the copy-on-write size was last measured. */
static long long child_cow_measured_ms;

int childActive(void) {
    return cur.type != CHILD_TYPE_NONE;
}

childType childRunningType(void) {
    return cur.type;
}

pid_t childRunningPid(void) {
    return cur.pid;
}

size_t childLastCowBytes(childType type) {
    return type > CHILD_TYPE_NONE && type < CHILD_TYPE_COUNT ? last_cow[type] : 0;
}

/* ------------------------------------------------------------ the child */

static void childSigusr1(int sig) {
    (void)sig;
    _exit(CHILD_EXIT_KILLED);
}

static void setupChildSignals(void) {
    struct sigaction act;
    memset(&act, 0, sizeof(act));
    sigemptyset(&act.sa_mask);
    act.sa_handler = childSigusr1;
    sigaction(SIGUSR1, &act, NULL);
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
}

/* The sum of the Private_Dirty lines of path, in bytes (0 if unreadable). */
static size_t sumPrivateDirty(const char *path) {
    FILE *fp = fopen(path, "r");
    if (fp == NULL) return 0;
    char line[256];
    size_t total = 0;
    while (fgets(line, sizeof(line), fp)) {
        unsigned long kb;
        if (sscanf(line, "Private_Dirty: %lu kB", &kb) == 1) total += (size_t)kb * 1024;
    }
    fclose(fp);
    return total;
}

static size_t measureCowBytes(void) {
    if (access("/proc/self/smaps_rollup", R_OK) == 0) return sumPrivateDirty("/proc/self/smaps_rollup");
    return sumPrivateDirty("/proc/self/smaps");
}

static void childSendReport(size_t keys, size_t cow, int final) {
    childReport r = {.keys = keys, .cow_bytes = cow, .final = final};
    if (cur.report_fd == -1) return;
    ssize_t n = write(cur.report_fd, &r, sizeof(r));
    (void)n; /* a full pipe drops the report: the parent keeps the figure it had */
}

void childReportProgress(size_t keys) {
    long long now = mstime();
    if (now - child_cow_measured_ms < 1000) return;
    child_cow_measured_ms = now;
    childSendReport(keys, measureCowBytes(), 0);
}

void childExit(int code) {
    childSendReport(0, measureCowBytes(), 1);
    _exit(code);
}

static void becomeChild(childType type, const char *title) {
    setupChildSignals();
    closeListenersInChild();
    setOOMScoreAdj(CONFIG_OOM_BGCHILD);
    updateProcTitle(title);
    cur.type = type;
    cur.pid = getpid();
    child_cow_measured_ms = mstime();
}

void childForgetParentsChild(void) {
    if (cur.report_fd != -1) close(cur.report_fd);
    cur.report_fd = -1;
    cur.type = CHILD_TYPE_NONE;
    cur.pid = -1;
    cur.done = NULL;
}

/* ----------------------------------------------------------- the parent */

static void closeReportPipe(void) {
    if (cur.report_fd != -1) close(cur.report_fd);
    cur.report_fd = -1;
}

static void drainReports(void) {
    childReport r;
    while (cur.report_fd != -1 && read(cur.report_fd, &r, sizeof(r)) == (ssize_t)sizeof(r)) {
        if (!r.final) cur.keys_done = r.keys;
        cur.cow_bytes = r.cow_bytes;
        if (r.cow_bytes > cur.cow_peak) cur.cow_peak = r.cow_bytes;
        cur.cow_updated_ms = server.mstime;
    }
}

pid_t childFork(childType type, const char *title, size_t keys_total, childDoneHandler *done) {
    if (childActive()) {
        errno = EEXIST;
        return -1;
    }
    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) == -1) return -1;
    long long start = ustime();
    pid_t pid = fork();
    if (pid == -1) {
        int saved = errno;
        close(fds[0]);
        close(fds[1]);
        errno = saved;
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        cur.report_fd = fds[1];
        becomeChild(type, title);
        return 0;
    }
    close(fds[1]);
    latest_fork_usec = ustime() - start;
    total_forks++;
    latencyAddSampleIfNeeded("fork", latest_fork_usec / 1000);
    cur.type = type;
    cur.pid = pid;
    cur.start_ms = mstime();
    cur.keys_total = keys_total;
    cur.keys_done = 0;
    cur.cow_bytes = cur.cow_peak = 0;
    cur.cow_updated_ms = cur.start_ms;
    cur.report_fd = fds[0];
    cur.done = done;
    dictSetResizeEnabled(0);
    ptSetResizeAllowed(0);
    return pid;
}

/* The child is gone (status from waitpid): forget it, then tell its owner. */
static void childEnded(int status) {
    drainReports();
    childResult res = {
        .type = cur.type,
        .pid = cur.pid,
        .exitcode = WIFEXITED(status) ? WEXITSTATUS(status) : -1,
        .bysignal = WIFSIGNALED(status) ? WTERMSIG(status) : 0,
        .cow_bytes = cur.cow_bytes,
        .duration_ms = mstime() - cur.start_ms,
    };
    childDoneHandler *done = cur.done;
    last_cow[cur.type] = cur.cow_bytes;
    closeReportPipe();
    cur.type = CHILD_TYPE_NONE;
    cur.pid = -1;
    cur.done = NULL;
    dictSetResizeEnabled(1);
    ptSetResizeAllowed(1);
    if (done) done(&res);
}

void childCheckDone(void) {
    if (!childActive()) return;
    drainReports();
    int status;
    pid_t pid = waitpid(cur.pid, &status, WNOHANG);
    if (pid == 0) return;
    if (pid == -1) {
        serverLog(LL_WARNING, "waitpid() returned an error: %s. child_type: %d, child_pid = %d", strerror(errno),
                  (int)cur.type, (int)cur.pid);
        status = CHILD_EXIT_KILLED << 8; /* the child cannot be waited for: treat it as stopped */
    }
    childEnded(status);
}

void childKill(void) {
    if (!childActive()) return;
    kill(cur.pid, SIGUSR1);
    int status;
    while (waitpid(cur.pid, &status, 0) == -1) {
        if (errno != EINTR) {
            status = CHILD_EXIT_KILLED << 8;
            break;
        }
    }
    childEnded(status);
}

/* ------------------------------------------------------------------ INFO */

sds childCatInfoPersistence(sds s) {
    int running = childActive();
    double perc = 0;
    if (running && cur.keys_total) perc = (double)cur.keys_done * 100 / (double)cur.keys_total;
    long long age = running ? (server.mstime - cur.cow_updated_ms) / 1000 : 0;
    return sdscatprintf(s,
                        "current_cow_peak:%zu\r\n"
                        "current_cow_size:%zu\r\n"
                        "current_cow_size_age:%lld\r\n"
                        "current_fork_perc:%.2f\r\n"
                        "current_save_keys_processed:%zu\r\n"
                        "current_save_keys_total:%zu\r\n",
                        running ? cur.cow_peak : 0, running ? cur.cow_bytes : 0, age, perc,
                        running ? cur.keys_done : 0, running ? cur.keys_total : 0);
}

long long childLatestForkUsec(void) {
    return latest_fork_usec;
}

long long childTotalForks(void) {
    return total_forks;
}
