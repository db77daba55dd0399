/* slowlog.c -- SLOWLOG and the log behind it.
 *
 * call() hands every command it ran, with its duration in microseconds, to
 * slowlogPushCurrentCommand. A command at or over slowlog-log-slower-than
 * (negative: never; 0: every command) becomes an entry at the head of a
 * list; the list is cut to slowlog-max-len from its tail, so the oldest
 * entries go first. Commands flagged skip_slowlog (EXEC: its commands are
 * logged one by one) are never logged; a command that blocks is logged when
 * it is served, by the call() that serves it.
 *
 * An entry owns copies of what it shows: its id (from a counter that RESET
 * does not rewind), the unix time it was logged, the duration, the
 * arguments trimmed as Redis trims them (32 at most, the last standing for
 * the rest as "... (N more arguments)"; a string over 128 bytes cut with
 * "... (N more bytes)"), and the client's address and name at that time.
 * Secrets never reach the log: the passwords of AUTH and HELLO and the
 * values of CONFIG SET requirepass / masterauth show as "(redacted)". */
#include "server.h"
#include "slowlog.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct slowlogEntry {
    long long id;
    time_t time;
    long long duration;
    int argc;
    sds *argv;
    sds peerid;
    sds cname;
} slowlogEntry;

/* The entries, newest first, and the id the next one gets. */
static list *slowlog;
static long long slowlog_next_id;

static void slowlogFreeEntry(void *p) {
    slowlogEntry *se = p;
    for (int j = 0; j < se->argc; j++) sdsfree(se->argv[j]);
    zfree(se->argv);
    sdsfree(se->peerid);
    sdsfree(se->cname);
    zfree(se);
}

/* The log, created on first use. */
static list *slowlogList(void) {
    if (slowlog == NULL) {
        slowlog = listCreate();
        listSetFreeMethod(slowlog, slowlogFreeEntry);
    }
    return slowlog;
}

/* Whether argument o is the word w (any case); false for integer-encoded o. */
static int argumentIs(robj *o, const char *w) {
    return sdsEncodedObject(o) && !strcasecmp(o->ptr, w);
}

static int isSecretConfig(robj *name) {
    return argumentIs(name, "requirepass") || argumentIs(name, "masterauth");
}

/* HELLO protover [AUTH user pass] [SETNAME name]: walks the options up to j. */
static int helloArgumentIsSecret(robj **argv, int j) {
    int k = 2;
    while (k < j) {
        if (argumentIs(argv[k], "auth")) {
            if (j <= k + 2) return 1;
            k += 3;
        } else {
            k += 2;
        }
    }
    return 0;
}

int slowlogArgumentIsSecret(struct redisCommand *cmd, robj **argv, int j) {
    const char *name = cmd->fullname;
    if (!strcmp(name, "auth")) return j >= 1;
    if (!strcmp(name, "hello")) return helloArgumentIsSecret(argv, j);
    if (!strcmp(name, "config|set")) return j >= 3 && (j % 2) == 1 && isSecretConfig(argv[j - 1]);
    if (!strcmp(name, "acl|setuser")) return j >= 2; /* the name too, as Redis */
    return 0;
}

/* The string an entry keeps for argument o: cut after
 * SLOWLOG_ENTRY_MAX_STRING bytes. */
static sds trimmedArgument(robj *o) {
    if (!sdsEncodedObject(o)) {
        char buf[LONG_STR_SIZE];
        int len = ll2string(buf, sizeof(buf), (long)o->ptr);
        return sdsnewlen(buf, len);
    }
    size_t len = sdslen(o->ptr);
    if (len <= SLOWLOG_ENTRY_MAX_STRING) return sdsnewlen(o->ptr, len);
    sds s = sdsnewlen(o->ptr, SLOWLOG_ENTRY_MAX_STRING);
    return sdscatprintf(s, "... (%zu more bytes)", len - SLOWLOG_ENTRY_MAX_STRING);
}

static slowlogEntry *slowlogCreateEntry(client *c, struct redisCommand *cmd, long long duration) {
    slowlogEntry *se = zmalloc(sizeof(*se));
    int argc = c->argc > SLOWLOG_ENTRY_MAX_ARGC ? SLOWLOG_ENTRY_MAX_ARGC : c->argc;
    se->argc = argc;
    se->argv = zmalloc(sizeof(sds) * argc);
    for (int j = 0; j < argc; j++) {
        if (argc != c->argc && j == argc - 1)
            se->argv[j] = sdscatprintf(sdsempty(), "... (%d more arguments)", c->argc - argc + 1);
        else if (slowlogArgumentIsSecret(cmd, c->argv, j))
            se->argv[j] = sdsnew("(redacted)");
        else
            se->argv[j] = trimmedArgument(c->argv[j]);
    }
    se->id = slowlog_next_id++;
    se->time = time(NULL);
    se->duration = duration;
    se->peerid = sdsnew(getClientPeerId(c));
    se->cname = c->name ? sdsnew(c->name->ptr) : sdsempty();
    return se;
}

void slowlogPush(client *c, struct redisCommand *cmd, long long duration) {
    if (cmd->flags & CMD_SKIP_SLOWLOG) return;
    slowlogList();
    listAddNodeHead(slowlog, slowlogCreateEntry(c, cmd, duration));
    while (listLength(slowlog) > server.slowlog.max_len) listDelNode(slowlog, listLast(slowlog));
}

/* ------------------------------------------------------------ SLOWLOG */

void slowlogGetCommand(client *c) {
    long count = 10;
    slowlogList();
    if (c->argc > 3) {
        sds cmd = sdsnew(c->argv[0]->ptr);
        sdstoupper(cmd);
        addReplyErrorFormat(c, "unknown subcommand or wrong number of arguments for '%.128s'. Try %s HELP.",
                            (char *)c->argv[1]->ptr, cmd);
        sdsfree(cmd);
        return;
    }
    if (c->argc == 3 &&
        getRangeLongFromObjectOrReply(c, c->argv[2], -1, LONG_MAX, &count, "count should be greater than or equal to -1") !=
            C_OK)
        return;
    if (count == -1 || (unsigned long)count > listLength(slowlog)) count = (long)listLength(slowlog);
    addReplyArrayLen(c, count);
    listIter li;
    listNode *ln;
    listRewind(slowlog, &li);
    while (count-- > 0 && (ln = listNext(&li)) != NULL) {
        slowlogEntry *se = listNodeValue(ln);
        addReplyArrayLen(c, 6);
        addReplyLongLong(c, se->id);
        addReplyLongLong(c, (long long)se->time);
        addReplyLongLong(c, se->duration);
        addReplyArrayLen(c, se->argc);
        for (int j = 0; j < se->argc; j++) addReplyBulkCBuffer(c, se->argv[j], sdslen(se->argv[j]));
        addReplyBulkCBuffer(c, se->peerid, sdslen(se->peerid));
        addReplyBulkCBuffer(c, se->cname, sdslen(se->cname));
    }
}

void slowlogLenCommand(client *c) {
    addReplyLongLong(c, (long long)listLength(slowlogList()));
}

void slowlogResetCommand(client *c) {
    list *l = slowlogList();
    while (listLength(l) > 0) listDelNode(l, listLast(l));
    addReply(c, shared.ok);
}

void slowlogHelpCommand(client *c) {
    const char *help[] = {
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
        NULL,
    };
    addReplyHelp(c, help);
}
