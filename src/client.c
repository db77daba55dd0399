/* client.c — the CLIENT command and client pausing.
 *
 * This file owns what a connection can learn or change about itself and
 * about the other connections:
 *
 *   - the one-line description of a client that CLIENT LIST, CLIENT INFO
 *     and several log messages print (catClientInfoString), and the listing
 *     of all clients, optionally of one type (getAllClientsInfoString);
 *   - the CLIENT subcommands, one handler each (clientIdCommand,
 *     clientKillCommand, ...). The command table routes "CLIENT xxx" to
 *     these directly, so arity and unknown-subcommand errors never reach
 *     this file;
 *   - CLIENT PAUSE: the pause state lives in server.pause.type and
 *     server.pause.end_time. processCommand (server.c) parks a client
 *     whose command the pause holds back in server.pause.clients with
 *     CLIENT_IN_PAUSE_QUEUE set, its parsed command still in c->argv.
 *     processUnpausedClients, called from beforeSleep, lets those clients
 *     run again once the pause is over (ended by CLIENT UNPAUSE or by its
 *     deadline passing).
 *
 * Killing: a client killed by another is freed asynchronously
 * (freeClientAsync) so that no caller is left holding a dangling pointer; a
 * client that kills itself gets CLIENT_CLOSE_AFTER_REPLY so that it still
 * receives the reply.
 */
#include "server.h"

#include <string.h>
#include <strings.h>

/* ------------------------------------------------------ client lookup */

/* The connected client with this id, or NULL. Walks server.clients: the
 * lists are short enough, and this runs only for CLIENT LIST/KILL ID. */
client *lookupClientByID(uint64_t id) {
    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    while ((ln = listNext(&li)) != NULL) {
        client *c = listNodeValue(ln);
        if (c->id == id) return c;
    }
    return NULL;
}

/* ------------------------------------------------------- description */

/* Writes the flag letters of c into buf (at least 32 bytes), "N" if none. */
static void clientFlagsString(client *c, char *buf) {
    char *p = buf;
    uint64_t f = c->flags;
    if (f & CLIENT_SLAVE) *p++ = (f & CLIENT_MONITOR) ? 'O' : 'S';
    if (f & CLIENT_MASTER) *p++ = 'M';
    if (f & CLIENT_PUBSUB) *p++ = 'P';
    if (f & CLIENT_MULTI) *p++ = 'x';
    if (f & (CLIENT_BLOCKED | CLIENT_IN_PAUSE_QUEUE)) *p++ = 'b';
    if (f & CLIENT_TRACKING) *p++ = 't';
    if (f & CLIENT_TRACKING_BROKEN_REDIR) *p++ = 'R';
    if (f & CLIENT_TRACKING_BCAST) *p++ = 'B';
    if (f & CLIENT_DIRTY_CAS) *p++ = 'd';
    if (f & CLIENT_CLOSE_AFTER_REPLY) *p++ = 'c';
    if (f & CLIENT_UNBLOCKED) *p++ = 'u';
    if (f & CLIENT_CLOSE_ASAP) *p++ = 'A';
    if (f & CLIENT_UNIX_SOCKET) *p++ = 'U';
    if (f & CLIENT_READONLY) *p++ = 'r';
    if (f & CLIENT_NO_EVICT) *p++ = 'e';
    if (p == buf) *p++ = 'N';
    *p = '\0';
}

size_t clientTotalMemory(client *c) {
    size_t argbytes, bulkused, bulkfree;
    size_t mem = zmalloc_size(c);
    if (c->querybuf) mem += sdsAllocSize(c->querybuf);
    mem += respHeldMemory(&c->parser, &argbytes, &bulkused, &bulkfree);
    mem += c->argv_len_sum + sizeof(robj *) * (size_t)c->argv_len;
    mem += multiStateMemory(c);
    mem += c->buf_usable_size;
    mem += getClientOutputBufferMemoryUsage(c);
    return mem;
}

/* The input side as CLIENT LIST shows it: bytes waiting (a big argument
 * being received counts as waiting input, the way it would sit in the
 * query buffer), room left for more, and the length of the arguments
 * already parsed (of the command that runs or of the one still arriving). */
static void clientInputFigures(client *c, size_t *qbuf, size_t *qfree, size_t *argvmem) {
    size_t argbytes, bulkused, bulkfree;
    respHeldMemory(&c->parser, &argbytes, &bulkused, &bulkfree);
    *qbuf = (c->querybuf ? sdslen(c->querybuf) : 0) + bulkused;
    *qfree = (c->querybuf ? sdsavail(c->querybuf) : 0) + bulkfree;
    *argvmem = c->argv_len_sum + argbytes;
}

/* Appends the CLIENT LIST line describing c (without a newline) to s and
 * returns the new sds. s is consumed as with any sdscat function. */
sds catClientInfoString(sds s, client *c) {
    char flags[32];
    char events[3];
    char *p = events;
    clientFlagsString(c, flags);
    if (c->conn) {
        if (connHasReadHandler(c->conn)) *p++ = 'r';
        if (connHasWriteHandler(c->conn)) *p++ = 'w';
    }
    *p = '\0';

    size_t qbuf, qfree, argvmem;
    clientInputFigures(c, &qbuf, &qfree, &argvmem);

    long long now_sec = (long long)server.unixtime;
    long long age = now_sec - (long long)c->ctime;
    long long idle = now_sec - c->last_interaction / 1000;
    if (age < 0) age = 0;
    if (idle < 0) idle = 0;

    return sdscatfmt(s,
        "id=%U addr=%s laddr=%s fd=%i name=%s age=%I idle=%I flags=%s db=%i "
        "sub=%i psub=%i ssub=%i multi=%i qbuf=%U qbuf-free=%U argv-mem=%U "
        "multi-mem=%U rbs=%U rbp=%U obl=%U oll=%U omem=%U tot-mem=%U "
        "events=%s cmd=%s user=%s redir=%I resp=%i",
        (unsigned long long)c->id,
        getClientPeerId(c),
        getClientSockname(c),
        c->conn ? connGetFd(c->conn) : -1,
        c->name ? (char *)c->name->ptr : "",
        age,
        idle,
        flags,
        c->db ? c->db->id : 0,
        (int)pubsubClientCount(c, PUBSUB_CHANNEL),
        (int)pubsubClientCount(c, PUBSUB_PATTERN),
        (int)pubsubClientCount(c, PUBSUB_SHARD),
        (c->flags & CLIENT_MULTI) ? c->mstate.count : -1,
        (unsigned long long)qbuf,
        (unsigned long long)qfree,
        (unsigned long long)argvmem,
        (unsigned long long)multiStateMemory(c),
        (unsigned long long)c->buf_usable_size,
        (unsigned long long)c->buf_peak,
        (unsigned long long)c->bufpos,
        (unsigned long long)(c->reply ? listLength(c->reply) : 0),
        (unsigned long long)getClientOutputBufferMemoryUsage(c),
        (unsigned long long)clientTotalMemory(c),
        events,
        c->lastcmd ? c->lastcmd->fullname : "NULL",
        c->user ? c->user->name : "(superuser)",
        trackingRedirectionOf(c),
        c->resp);
}

/* A new sds listing every connected client of the given type (-1: all), one
 * line each, each ending in "\n". The caller frees it. */
static sds getAllClientsInfoString(int type) {
    listIter li;
    listNode *ln;
    sds o = sdsempty();
    listRewind(server.clients, &li);
    while ((ln = listNext(&li)) != NULL) {
        client *c = listNodeValue(ln);
        if (type != -1 && getClientType(c) != type) continue;
        o = catClientInfoString(o, c);
        o = sdscatlen(o, "\n", 1);
    }
    return o;
}

/* ------------------------------------------------------------ pausing */

/* Starts or extends a pause of the given type (PAUSE_WRITE or PAUSE_ALL)
 * until the unix time `end` in milliseconds. A pause never becomes less
 * strict nor shorter: the stricter type and the later end win. */
void pauseClients(int type, long long end) {
    if (type > server.pause.type) server.pause.type = type;
    if (end > server.pause.end_time) server.pause.end_time = end;
}

/* Ends the pause. The parked clients run again from beforeSleep, through
 * processUnpausedClients, never from inside the caller. */
void unpauseClients(void) {
    server.pause.type = PAUSE_NONE;
    server.pause.end_time = 0;
}

/* 1 while a pause is in force (its deadline may have passed unnoticed). */
int areClientsPaused(void) {
    return server.pause.type != PAUSE_NONE;
}

/* Ends the pause if its deadline has passed. Returns 1 if clients are still
 * paused. */
int checkClientPauseTimeoutAndReturnIfPaused(void) {
    if (!areClientsPaused()) return 0;
    if (server.pause.end_time < mstime()) unpauseClients();
    return areClientsPaused();
}

/* Lets the clients parked by a pause run their held command and whatever
 * input followed it, once no pause is in force. Each client is taken off
 * server.pause.clients before it runs, so a client freed or parked again
 * meanwhile is never visited twice. Call from beforeSleep. */
void processUnpausedClients(void) {
    if (listLength(server.pause.clients) == 0) return;
    if (checkClientPauseTimeoutAndReturnIfPaused()) return;
    unsigned long todo = listLength(server.pause.clients);
    while (todo-- && listLength(server.pause.clients)) {
        listNode *ln = listFirst(server.pause.clients);
        client *c = listNodeValue(ln);
        listDelNode(server.pause.clients, ln);
        c->paused_node = NULL;
        c->paused_list_node_set = 0;
        c->flags &= ~CLIENT_IN_PAUSE_QUEUE;
        processInputBuffer(c);
    }
}

/* ---------------------------------------------------- CLIENT handlers */

void clientIdCommand(client *c) {
    addReplyLongLong(c, (long long)c->id);
}

void clientGetNameCommand(client *c) {
    if (c->name)
        addReplyBulk(c, c->name);
    else
        addReplyNull(c);
}

/* Sets c's name to argv[2]: printable ASCII without spaces only; an empty
 * name removes it. */
void clientSetNameCommand(client *c) {
    robj *name = c->argv[2];
    const char *p = name->ptr;
    size_t len = sdslen(name->ptr);
    for (size_t j = 0; j < len; j++) {
        if (p[j] < '!' || p[j] > '~') {
            addReplyError(c, "Client names cannot contain spaces, newlines or special characters.");
            return;
        }
    }
    if (c->name) decrRefCount(c->name);
    c->name = NULL;
    if (len) {
        c->name = name;
        incrRefCount(name);
    }
    addReply(c, shared.ok);
}

/* CLIENT LIST [TYPE type] | [ID id [id ...]] */
void clientListCommand(client *c) {
    sds o;
    if (c->argc == 2) {
        o = getAllClientsInfoString(-1);
    } else if (c->argc == 4 && !strcasecmp(c->argv[2]->ptr, "type")) {
        int type = getClientTypeByName(c->argv[3]->ptr);
        if (type == -1) {
            addReplyErrorFormat(c, "Unknown client type '%s'", (char *)c->argv[3]->ptr);
            return;
        }
        o = getAllClientsInfoString(type);
    } else if (c->argc > 3 && !strcasecmp(c->argv[2]->ptr, "id")) {
        o = sdsempty();
        for (int j = 3; j < c->argc; j++) {
            long long id;
            if (getLongLongFromObject(c->argv[j], &id) != C_OK) {
                sdsfree(o);
                addReplyError(c, "Invalid client ID");
                return;
            }
            client *cl = lookupClientByID((uint64_t)id);
            if (cl) {
                o = catClientInfoString(o, cl);
                o = sdscatlen(o, "\n", 1);
            }
        }
    } else {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    addReplyVerbatim(c, o, sdslen(o), "txt");
    sdsfree(o);
}

void clientInfoCommand(client *c) {
    sds o = catClientInfoString(sdsempty(), c);
    o = sdscatlen(o, "\n", 1);
    addReplyVerbatim(c, o, sdslen(o), "txt");
    sdsfree(o);
}

/* The filters of CLIENT KILL; unset ones are NULL / -1 / 0. */
typedef struct killFilter {
    const char *addr, *laddr;
    user *user;
    int type;
    uint64_t id;
    int skipme;
} killFilter;

/* Parses the filter pairs of the new CLIENT KILL form into f. Replies the
 * error and returns C_ERR on a bad argument. */
static int parseKillFilters(client *c, killFilter *f) {
    for (int i = 2; i < c->argc; i += 2) {
        const char *opt = c->argv[i]->ptr;
        if (i + 1 >= c->argc) {
            addReplyErrorObject(c, shared.syntaxerr);
            return C_ERR;
        }
        robj *val = c->argv[i + 1];
        if (!strcasecmp(opt, "id")) {
            long long id;
            if (!string2ll(val->ptr, sdslen(val->ptr), &id) || id <= 0) {
                addReplyError(c, "client-id should be greater than 0");
                return C_ERR;
            }
            f->id = (uint64_t)id;
        } else if (!strcasecmp(opt, "type")) {
            f->type = getClientTypeByName(val->ptr);
            if (f->type == -1) {
                addReplyErrorFormat(c, "Unknown client type '%s'", (char *)val->ptr);
                return C_ERR;
            }
        } else if (!strcasecmp(opt, "addr")) {
            f->addr = val->ptr;
        } else if (!strcasecmp(opt, "laddr")) {
            f->laddr = val->ptr;
        } else if (!strcasecmp(opt, "user")) {
            f->user = aclGetUser(val->ptr, sdslen(val->ptr));
            if (f->user == NULL) {
                addReplyErrorFormat(c, "No such user '%s'", (char *)val->ptr);
                return C_ERR;
            }
        } else if (!strcasecmp(opt, "skipme")) {
            if (!strcasecmp(val->ptr, "yes"))
                f->skipme = 1;
            else if (!strcasecmp(val->ptr, "no"))
                f->skipme = 0;
            else {
                addReplyErrorObject(c, shared.syntaxerr);
                return C_ERR;
            }
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return C_ERR;
        }
    }
    return C_OK;
}

static int clientMatchesKillFilter(client *self, client *cl, const killFilter *f) {
    if (f->addr && strcmp(getClientPeerId(cl), f->addr) != 0) return 0;
    if (f->laddr && strcmp(getClientSockname(cl), f->laddr) != 0) return 0;
    if (f->type != -1 && getClientType(cl) != f->type) return 0;
    if (f->id != 0 && cl->id != f->id) return 0;
    if (f->user && cl->user != f->user) return 0;
    if (f->skipme && cl == self) return 0;
    return 1;
}

/* CLIENT KILL ip:port  |  CLIENT KILL <filter> <value> [...]
 * The old form replies +OK or "No such client" and does not skip the
 * caller; the new form replies the number of clients killed. */
void clientKillCommand(client *c) {
    killFilter f = {NULL, NULL, NULL, -1, 0, 1};
    int oldform = (c->argc == 3);
    if (oldform) {
        f.addr = c->argv[2]->ptr;
        f.skipme = 0;
    } else if (parseKillFilters(c, &f) != C_OK) {
        return;
    }

    long long killed = 0;
    int kill_self = 0;
    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    while ((ln = listNext(&li)) != NULL) {
        client *cl = listNodeValue(ln);
        if (!clientMatchesKillFilter(c, cl, &f)) continue;
        if (cl == c)
            kill_self = 1;
        else
            freeClientAsync(cl);
        killed++;
    }
    if (kill_self) c->flags |= CLIENT_CLOSE_AFTER_REPLY;

    if (oldform) {
        if (killed == 0)
            addReplyError(c, "No such client");
        else
            addReply(c, shared.ok);
    } else {
        addReplyLongLong(c, killed);
    }
}

/* CLIENT REPLY ON|OFF|SKIP. OFF and SKIP send nothing back; SKIP_NEXT
 * becomes REPLY_SKIP for the next command (done after the command runs).
 * ON always answers +OK: it also lifts the REPLY_SKIP that a SKIP just
 * before it put on this very command. */
void clientReplyCommand(client *c) {
    const char *mode = c->argv[2]->ptr;
    if (!strcasecmp(mode, "on")) {
        c->flags &= ~(CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP | CLIENT_REPLY_SKIP_NEXT);
        addReply(c, shared.ok);
    } else if (!strcasecmp(mode, "off")) {
        c->flags |= CLIENT_REPLY_OFF;
    } else if (!strcasecmp(mode, "skip")) {
        if (!(c->flags & CLIENT_REPLY_OFF)) c->flags |= CLIENT_REPLY_SKIP_NEXT;
    } else {
        addReplyErrorObject(c, shared.syntaxerr);
    }
}

void clientNoEvictCommand(client *c) {
    const char *mode = c->argv[2]->ptr;
    if (!strcasecmp(mode, "on")) {
        c->flags |= CLIENT_NO_EVICT;
    } else if (!strcasecmp(mode, "off")) {
        c->flags &= ~CLIENT_NO_EVICT;
    } else {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    addReply(c, shared.ok);
}

/* CLIENT PAUSE timeout-ms [WRITE|ALL]. The mode is checked before the
 * timeout, as Redis does. */
void clientPauseCommand(client *c) {
    int type = PAUSE_ALL;
    if (c->argc == 4) {
        const char *mode = c->argv[3]->ptr;
        if (!strcasecmp(mode, "write"))
            type = PAUSE_WRITE;
        else if (!strcasecmp(mode, "all"))
            type = PAUSE_ALL;
        else {
            addReplyError(c, "CLIENT PAUSE mode must be WRITE or ALL");
            return;
        }
    }
    long long timeout;
    if (getLongLongFromObject(c->argv[2], &timeout) != C_OK) {
        addReplyError(c, "timeout is not an integer or out of range");
        return;
    }
    if (timeout < 0) {
        addReplyError(c, "timeout is negative");
        return;
    }
    long long now = mstime();
    /* A deadline past the end of time ends at once, as it does in Redis
     * where the sum wraps around. */
    long long end = (timeout > LLONG_MAX - now) ? 0 : now + timeout;
    pauseClients(type, end);
    addReply(c, shared.ok);
}

void clientUnpauseCommand(client *c) {
    unpauseClients();
    addReply(c, shared.ok);
}

void clientHelpCommand(client *c) {
    static const char *help[] = {
        "GETNAME",
        "    Reply the name given to this connection, or null.",
        "ID",
        "    Reply the unique id of this connection.",
        "INFO",
        "    Describe this connection, in the format of one CLIENT LIST line.",
        "KILL <ip:port>",
        "    Close the connection coming from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Close every connection matching all the given filters. Filters:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      The remote address of the connection.",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      The local address the connection was made to.",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      The kind of connection.",
        "    * USER <username>",
        "      The user the connection is authenticated as.",
        "    * SKIPME (YES|NO)",
        "      Whether to spare this very connection (default: yes).",
        "LIST [options ...]",
        "    Describe the connections, one per line. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Only connections of this kind.",
        "    * ID <id> [<id> ...]",
        "      Only the connections with these ids.",
        "UNPAUSE",
        "    End a pause started by CLIENT PAUSE.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Hold back the commands of all clients, or only writes, for <timeout>",
        "    milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Turn replies to this connection on or off, or skip the next one.",
        "SETNAME <name>",
        "    Give this connection a name (an empty name removes it).",
        "NO-EVICT (ON|OFF)",
        "    Exempt this connection from client eviction, or not.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Turn client-side caching invalidations on or off for this connection.",
        "CACHING (YES|NO)",
        "    In OPTIN (YES) or OPTOUT (NO) mode, whether the next command's keys are tracked.",
        "GETREDIR",
        "    Reply the id of the client invalidations are redirected to (0: none, -1: off).",
        "TRACKINGINFO",
        "    Describe the tracking state of this connection.",
        NULL};
    addReplyHelp(c, help);
}
