/* log.h — the log, assertions and the crash report.
 *
 * serverLog writes one line at a level (LL_*) to the logfile or stdout, and
 * to syslog when enabled; LL_RAW writes the message without the prefix.
 * serverAssert / serverPanic log where the process died, with a stack
 * trace, and abort. The *FromHandler forms are safe inside a signal
 * handler. The software watchdog (debug.c) is declared here too: it is a
 * crash report on demand.
 */
#ifndef EMBER_LOG_H
#define EMBER_LOG_H



#define LOG_MAX_LEN 1024

#define LL_DEBUG 0
#define LL_VERBOSE 1
#define LL_NOTICE 2
#define LL_WARNING 3
#define LL_RAW (1 << 10)

/* syslog-enabled yes: opens the connection to syslog (syslog-ident,
 * syslog-facility). Call once, after the configuration is loaded. */
void logOpenSyslog(void);
void serverLog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void serverLogRaw(int level, const char *msg);
void serverLogFromHandler(int level, const char *msg);
void serverLogStackTraceFromHandler(void);
void prepareStackTraces(void);
void setupCrashHandlers(void);
/* The software watchdog (debug.c): applyWatchdogPeriod() installs or removes
 * it after watchdog-period changed (raising a too short period to two cron
 * periods); watchdogScheduleSignal() re-arms it, from serverCron. */
void applyWatchdogPeriod(void);
void watchdogScheduleSignal(int period_ms);
#define serverAssert(e) ((e) ? (void)0 : (_serverAssert(#e, __FILE__, __LINE__), __builtin_unreachable()))
#define serverPanic(...) (_serverPanic(__FILE__, __LINE__, __VA_ARGS__), __builtin_unreachable())
void _serverAssert(const char *estr, const char *file, int line);
void _serverPanic(const char *file, int line, const char *msg, ...);

#endif /* EMBER_LOG_H */
