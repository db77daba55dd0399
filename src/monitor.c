/* monitor.c -- MONITOR and the feed behind it.
 *
 * MONITOR turns a connection into a watcher: it is flagged CLIENT_SLAVE |
 * CLIENT_MONITOR (CLIENT LIST shows flags=O), joins the monitor list, and
 * from then on receives one status line per command any client runs:
 *
 *     +<unix seconds>.<microseconds> [<db> <addr>] "cmd" "arg" ...
 *
 * <addr> is the client's ip:port, or unix:<unixsocket> for a client on the
 * unix socket. Each argument is quoted and escaped as sdscatrepr does
 * ("a\x00b", "\n", "\""). The line is written after the command ran, with
 * the database it left the client in, so SELECT shows its new database and
 * the commands of a transaction show before the EXEC that ran them.
 * Commands refused before running (unknown, wrong arity, NOAUTH) are never
 * shown, and neither are commands flagged admin or skip_monitor. A command
 * that blocks is shown when it blocks, not again when it is served. A
 * monitor that sent QUIT gets nothing more.
 * Passwords (AUTH, HELLO AUTH) are redacted with the rule the slow log
 * uses (slowlogArgumentIsSecret).
 *
 * Like a replica, a monitor may not touch the keyspace (processCommand
 * refuses read and write commands); it can still PING, SUBSCRIBE, QUIT or
 * RESET, which leaves monitor mode. Its output buffer is held to the
 * normal class limits, as in Redis. */
#include "server.h"
#include "monitor.h"
#include "slowlog.h"

#include <stdio.h>
#include <sys/time.h>

/* The monitoring clients, oldest first; created on first MONITOR. */
static list *monitors;
unsigned long monitor_clients;

/* Appends argument j of argv to line, quoted. */
static sds catArgument(sds line, struct redisCommand *cmd, robj **argv, int j) {
    if (slowlogArgumentIsSecret(cmd, argv, j)) return sdscat(line, "\"(redacted)\"");
    robj *o = argv[j];
    if (!sdsEncodedObject(o)) return sdscatprintf(line, "\"%ld\"", (long)o->ptr);
    return sdscatrepr(line, o->ptr, sdslen(o->ptr));
}

static sds monitorLine(client *c, struct redisCommand *cmd, robj **argv, int argc, int dictid) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    sds line = sdscatprintf(sdsempty(), "%ld.%06ld ", (long)tv.tv_sec, (long)tv.tv_usec);
    if (c->flags & CLIENT_SCRIPT)
        line = sdscatprintf(line, "[%d lua] ", dictid);
    else if (c->flags & CLIENT_UNIX_SOCKET)
        line = sdscatprintf(line, "[%d unix:%s] ", dictid, server.net.unixsocket);
    else
        line = sdscatprintf(line, "[%d %s] ", dictid, getClientPeerId(c));
    for (int j = 0; j < argc; j++) {
        if (j) line = sdscatlen(line, " ", 1);
        line = catArgument(line, cmd, argv, j);
    }
    return line;
}

void feedMonitorsUnlessSkipped(client *c, struct redisCommand *cmd, robj **argv, int argc, int dictid) {
    if (cmd->flags & CMD_SKIP_MONITOR) return;
    feedMonitorsAlways(c, cmd, argv, argc, dictid);
}

void feedMonitorsAlways(client *c, struct redisCommand *cmd, robj **argv, int argc, int dictid) {
    if (monitors == NULL || listLength(monitors) == 0) return;
    if (cmd->flags & CMD_ADMIN) return;
    sds line = monitorLine(c, cmd, argv, argc, dictid);
    listIter li;
    listNode *ln;
    listRewind(monitors, &li);
    while ((ln = listNext(&li)) != NULL) {
        client *m = listNodeValue(ln);
        if (!(m->flags & CLIENT_CLOSE_AFTER_REPLY)) addReplyStatusLength(m, line, sdslen(line));
    }
    sdsfree(line);
}

void monitorRemoveClient(client *c) {
    if (!(c->flags & CLIENT_MONITOR)) return;
    listNode *ln = listSearchKey(monitors, c);
    if (ln) listDelNode(monitors, ln);
    monitor_clients = listLength(monitors);
    c->flags &= ~(CLIENT_SLAVE | CLIENT_MONITOR);
}

/* MONITOR. Inside a transaction the client expects one reply per command,
 * so it is refused there; a client already monitoring gets no reply. */
void monitorCommand(client *c) {
    if (c->flags & CLIENT_MULTI) {
        addReplyError(c, "MONITOR isn't allowed for DENY BLOCKING client");
        return;
    }
    if (c->flags & CLIENT_SLAVE) return;
    if (monitors == NULL) monitors = listCreate();
    c->flags |= CLIENT_SLAVE | CLIENT_MONITOR;
    listAddNodeTail(monitors, c);
    monitor_clients = listLength(monitors);
    addReply(c, shared.ok);
}
