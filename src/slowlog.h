/* slowlog.h -- the slow log: the commands that ran longer than
 * slowlog-log-slower-than, newest first (see slowlog.c). */
#ifndef EMBER_SLOWLOG_H
#define EMBER_SLOWLOG_H

#include "object.h"

struct redisCommand;

/* Entries keep at most SLOWLOG_ENTRY_MAX_ARGC arguments and
 * SLOWLOG_ENTRY_MAX_STRING bytes of each, as Redis trims them. */
#define SLOWLOG_ENTRY_MAX_ARGC 32
#define SLOWLOG_ENTRY_MAX_STRING 128

/* Logs c's current command (c->argv, run as cmd) unless cmd is flagged
 * skip_slowlog. The entry copies what it keeps; c is not changed. Called
 * through slowlogPushCurrentCommand. */
void slowlogPush(client *c, struct redisCommand *cmd, long long duration);

/* slowlogPush when the command took at least `threshold`
 * (slowlog-log-slower-than) microseconds. A negative threshold, read as
 * unsigned, is out of reach: one comparison decides. */
static inline void slowlogPushCurrentCommand(client *c, struct redisCommand *cmd, long long duration,
                                             long long threshold) {
    if ((unsigned long long)duration >= (unsigned long long)threshold) slowlogPush(c, cmd, duration);
}

/* Whether argv[j] of cmd (a full name such as "config|set") is a secret no
 * log may show: the passwords of AUTH and HELLO AUTH, the values of
 * CONFIG SET requirepass / masterauth, and every argument of ACL SETUSER.
 * Shared with MONITOR (monitor.c). */
int slowlogArgumentIsSecret(struct redisCommand *cmd, robj **argv, int j);

void slowlogGetCommand(client *c);
void slowlogLenCommand(client *c);
void slowlogResetCommand(client *c);
void slowlogHelpCommand(client *c);

#endif
