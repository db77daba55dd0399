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

/* Logs c's current command (c->argv, run as cmd) when it took at least
 * slowlog-log-slower-than microseconds and cmd is not flagged
 * skip_slowlog. The entry copies what it keeps; c is not changed. */
void slowlogPushCurrentCommand(client *c, struct redisCommand *cmd, long long duration);

void slowlogGetCommand(client *c);
void slowlogLenCommand(client *c);
void slowlogResetCommand(client *c);
void slowlogHelpCommand(client *c);

#endif
