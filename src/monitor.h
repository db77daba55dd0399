/* monitor.h -- MONITOR: clients that see every command the server runs
 * (see monitor.c). */
#ifndef EMBER_MONITOR_H
#define EMBER_MONITOR_H

#include "object.h"

struct redisCommand;

/* Shows c's command (argv[0..argc-1], run as cmd in database dictid) to
 * every monitor, as one status line. Admin and skip_monitor commands are
 * not shown; passwords show as "(redacted)". Called by call() after the
 * command ran; argv is only read. feedMonitors is the inline front: with
 * no monitor it costs call() one test. */
void feedMonitorsUnlessSkipped(client *c, struct redisCommand *cmd, robj **argv, int argc, int dictid);
/* How many clients are monitoring (kept by monitor.c). */
extern unsigned long monitor_clients;
static inline void feedMonitors(client *c, struct redisCommand *cmd, robj **argv, int argc, int dictid) {
    if (monitor_clients) feedMonitorsUnlessSkipped(c, cmd, argv, argc, dictid);
}

/* The same for a skip_monitor command that shows itself at a moment of
 * its choosing (EVAL, before the commands its script runs). */
void feedMonitorsAlways(client *c, struct redisCommand *cmd, robj **argv, int argc, int dictid);

/* Takes c off the monitor list. Called when a monitor is freed or RESET;
 * does nothing for a client that is not monitoring. */
void monitorRemoveClient(client *c);

void monitorCommand(client *c);

#endif
