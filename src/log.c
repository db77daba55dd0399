/* log.c — the server log, assertions and the crash report.
 *
 * Every line has the layout tools match on (DESIGN.md §4):
 *     <pid>:<role> <dd Mon yyyy HH:MM:SS.mmm> <level-char> <message>
 * with level chars '.' debug, '-' verbose, '*' notice, '#' warning, and role
 * 'M' for the master process, 'C' for a forked child.  `logfile ""` means
 * standard output.  The file is opened, appended and closed per line, so a
 * log rotated by an external tool is picked up at once. With
 * syslog-enabled yes every message also goes to syslog (syslog-ident,
 * syslog-facility), at the matching priority.
 *
 * The crash handlers (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) write a
 * report with a backtrace using only async-signal-safe calls where it
 * matters (write(2) and backtrace_symbols_fd), then re-raise the signal with
 * the default action so the exit status tells what happened. The software
 * watchdog (debug.c) logs its stack traces through the same path.
 */
#include "server.h"

#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static const char log_level_chars[] = ".-*#";
static const int log_syslog_priorities[] = {LOG_DEBUG, LOG_INFO, LOG_NOTICE, LOG_WARNING};

void logOpenSyslog(void) {
    if (server.log.syslog_enabled)
        openlog(server.log.syslog_ident, LOG_PID | LOG_NDELAY | LOG_NOWAIT, server.log.syslog_facility);
}

/* Open the configured log destination for appending; returns NULL on failure.
 * The caller closes it unless it is stdout. */
static FILE *openLogFile(void) {
    if (server.log.logfile == NULL || server.log.logfile[0] == '\0') return stdout;
    return fopen(server.log.logfile, "a");
}

/* Writes one already formatted message. LL_RAW writes the text unchanged. */
void serverLogRaw(int level, const char *msg) {
    int raw = level & LL_RAW;
    level &= 0xff;
    if (level < server.log.verbosity) return;

    FILE *fp = openLogFile();
    if (!fp) {
        if (server.log.syslog_enabled) syslog(log_syslog_priorities[level], "%s", msg);
        return;
    }
    if (raw) {
        fprintf(fp, "%s", msg);
    } else {
        char timebuf[64];
        struct timeval tv;
        struct tm tm;
        gettimeofday(&tv, NULL);
        localtime_r(&tv.tv_sec, &tm);
        size_t off = strftime(timebuf, sizeof(timebuf), "%d %b %Y %H:%M:%S.", &tm);
        snprintf(timebuf + off, sizeof(timebuf) - off, "%03d", (int)(tv.tv_usec / 1000));
        /* As in Redis, 'C' until initServer() has recorded the server's pid. */
        char role = getpid() != server.pid ? 'C' : server.repl.masterhost ? 'S' : 'M';
        fprintf(fp, "%d:%c %s %c %s\n", (int)getpid(), role, timebuf, log_level_chars[level], msg);
    }
    fflush(fp);
    if (fp != stdout) fclose(fp);
    if (server.log.syslog_enabled) syslog(log_syslog_priorities[level], "%s", msg);
}

/* printf-style front end of serverLogRaw. */
void serverLog(int level, const char *fmt, ...) {
    if ((level & 0xff) < server.log.verbosity) return;
    char msg[LOG_MAX_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    serverLogRaw(level, msg);
}

/* The log's file descriptor for a signal handler (open(2) only), or -1.
 * *opened tells the caller to close it. */
static int openLogFdFromHandler(int *opened) {
    *opened = 0;
    if (server.log.logfile == NULL || server.log.logfile[0] == '\0') return STDOUT_FILENO;
    int fd = open(server.log.logfile, O_APPEND | O_CREAT | O_WRONLY, 0644);
    *opened = fd != -1;
    return fd;
}

/* Writes msg to the log as it is, from a signal handler. */
static void serverLogRawFromHandler(const char *msg) {
    int opened;
    int fd = openLogFdFromHandler(&opened);
    if (fd == -1) return;
    ssize_t ignored = write(fd, msg, strlen(msg));
    (void)ignored;
    if (opened) close(fd);
}

/* Async-signal-safe logging used from signal handlers: no stdio, no
 * allocation, no localtime. The line is "<pid>:signal-handler (<unix time>)
 * <msg>", Redis's form. */
void serverLogFromHandler(int level, const char *msg) {
    if ((level & 0xff) < server.log.verbosity) return;
    int opened;
    int fd = openLogFdFromHandler(&opened);
    if (fd == -1) return;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char buf[96];
    size_t len = (size_t)ll2string(buf, 32, (long long)getpid());
    memcpy(buf + len, ":signal-handler (", 17);
    len += 17;
    len += (size_t)ll2string(buf + len, 32, (long long)now.tv_sec);
    memcpy(buf + len, ") ", 2);
    len += 2;
    ssize_t ignored;
    ignored = write(fd, buf, len);
    ignored = write(fd, msg, strlen(msg));
    ignored = write(fd, "\n", 1);
    (void)ignored;
    if (opened) close(fd);
}

/* backtrace() loads libgcc on its first call, which is not safe inside a
 * signal handler; this makes that first call ahead of time. */
void prepareStackTraces(void) {
    void *frame[1];
    (void)backtrace(frame, 1);
}

/* Async-signal-safe: a "------ STACK TRACE ------" line, then one line per
 * frame of the calling thread (backtrace_symbols_fd writes them straight to
 * the log, without allocating). prepareStackTraces() must have run. */
void serverLogStackTraceFromHandler(void) {
    serverLogRawFromHandler("\n------ STACK TRACE ------\n");
    void *frames[64];
    int n = backtrace(frames, 64);
    int fd = STDOUT_FILENO, opened = 0;
    if (server.log.logfile && server.log.logfile[0]) {
        fd = open(server.log.logfile, O_APPEND | O_CREAT | O_WRONLY, 0644);
        opened = fd != -1;
    }
    if (fd != -1) backtrace_symbols_fd(frames, n, fd);
    if (opened) close(fd);
}

/* Writes the crash report: the reason, a backtrace, and a closing line. */
static void writeCrashReport(const char *reason) {
    serverLogFromHandler(LL_WARNING, "=== EMBER BUG REPORT START ===");
    serverLogFromHandler(LL_WARNING, reason);
    serverLogStackTraceFromHandler();
    serverLogFromHandler(LL_WARNING, "=== EMBER BUG REPORT END. Make sure to include from START to END. ===");
}

static void crashSignalHandler(int sig, siginfo_t *info, void *secret) {
    (void)info;
    (void)secret;
    const char *what = "Crashed by signal";
    switch (sig) {
    case SIGSEGV: what = "Crashed by signal: SIGSEGV (invalid memory access)"; break;
    case SIGBUS: what = "Crashed by signal: SIGBUS (bus error)"; break;
    case SIGFPE: what = "Crashed by signal: SIGFPE (arithmetic error)"; break;
    case SIGILL: what = "Crashed by signal: SIGILL (illegal instruction)"; break;
    case SIGABRT: what = "Crashed by signal: SIGABRT (aborted)"; break;
    }
    writeCrashReport(what);
    /* Restore the default action and re-raise, so the exit status is the signal. */
    struct sigaction act;
    memset(&act, 0, sizeof(act));
    act.sa_handler = SIG_DFL;
    sigemptyset(&act.sa_mask);
    sigaction(sig, &act, NULL);
    raise(sig);
}

/* Installs the crash report handlers; honours crash-log-enabled. */
void setupCrashHandlers(void) {
    if (!server.log.crashlog_enabled) return;
    prepareStackTraces();
    struct sigaction act;
    memset(&act, 0, sizeof(act));
    sigemptyset(&act.sa_mask);
    act.sa_flags = SA_NODEFER | SA_RESETHAND | SA_SIGINFO;
    act.sa_sigaction = crashSignalHandler;
    sigaction(SIGSEGV, &act, NULL);
    sigaction(SIGBUS, &act, NULL);
    sigaction(SIGFPE, &act, NULL);
    sigaction(SIGILL, &act, NULL);
    sigaction(SIGABRT, &act, NULL);
}

/* Called by serverAssert: logs where the assertion failed, then crashes with
 * a report. Assertions stay on in release builds. */
void _serverAssert(const char *estr, const char *file, int line) {
    serverLog(LL_WARNING, "=== ASSERTION FAILED ===");
    serverLog(LL_WARNING, "==> %s:%d '%s' is not true", file, line, estr);
    abort();
}

/* Called by serverPanic: logs the message and location, then aborts. */
void _serverPanic(const char *file, int line, const char *msg, ...) {
    char buf[LOG_MAX_LEN];
    va_list ap;
    va_start(ap, msg);
    vsnprintf(buf, sizeof(buf), msg, ap);
    va_end(ap);
    serverLog(LL_WARNING, "=== PANIC === %s (at %s:%d)", buf, file, line);
    abort();
}
