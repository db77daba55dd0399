/* cmd_connection.c — commands about the connection itself: PING, ECHO, QUIT,
 * RESET, HELLO, AUTH, SELECT.
 *
 * Authentication goes through the ACL users (acl.c): AUTH <password> is
 * AUTH default <password>, `requirepass` being the default user's password.
 * A client starts as the default user, authenticated when that user is on
 * and needs no password. HELLO negotiates the protocol (RESP2 or RESP3) and
 * may authenticate and name the client in one step.
 */
#include "server.h"
#include "monitor.h"

#include <string.h>
#include <strings.h>

void pingCommand(client *c) {
    if (c->argc > 2) {
        addReplyErrorArity(c);
        return;
    }
    if (c->flags & CLIENT_PUBSUB && c->resp == 2) {
        /* In subscribed RESP2 mode PING answers as a pubsub message. */
        addReplyArrayLen(c, 2);
        addReplyBulkCBuffer(c, "pong", 4);
        if (c->argc == 1)
            addReplyBulkCBuffer(c, "", 0);
        else
            addReplyBulk(c, c->argv[1]);
        return;
    }
    if (c->argc == 1)
        addReply(c, shared.pong);
    else
        addReplyBulk(c, c->argv[1]);
}

void echoCommand(client *c) {
    addReplyBulk(c, c->argv[1]);
}

void quitCommand(client *c) {
    addReply(c, shared.ok);
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

void authCommand(client *c) {
    if (c->argc > 3) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    if (c->argc == 2 && (DefaultUser->flags & USER_FLAG_NOPASS)) {
        addReplyError(c, "AUTH <password> called without any password configured for the default user. "
                         "Are you sure your configuration is correct?");
        return;
    }
    robj *username = c->argc == 3 ? c->argv[1] : NULL;
    robj *password = c->argv[c->argc - 1];
    if (aclAuthenticate(c, username, password) == C_OK) {
        addReply(c, shared.ok);
    } else {
        addReplyError(c, "-WRONGPASS invalid username-password pair or user is disabled.");
    }
}

/* Validates a client name: printable ASCII without spaces. */
static int validClientName(robj *name) {
    const char *p = name->ptr;
    size_t len = sdslen(name->ptr);
    for (size_t j = 0; j < len; j++)
        if (p[j] < '!' || p[j] > '~') return 0;
    return 1;
}

/* Parses HELLO's options; replies and returns C_ERR on a bad one. */
static int parseHelloOptions(client *c, robj **username, robj **pass, robj **name) {
    for (int j = 2; j < c->argc; j++) {
        int moreargs = (c->argc - 1) - j;
        const char *opt = c->argv[j]->ptr;
        if (!strcasecmp(opt, "AUTH") && moreargs >= 2) {
            *username = c->argv[j + 1];
            *pass = c->argv[j + 2];
            j += 2;
        } else if (!strcasecmp(opt, "SETNAME") && moreargs) {
            *name = c->argv[j + 1];
            if (!validClientName(*name)) {
                addReplyError(c, "Client names cannot contain spaces, newlines or special characters.");
                return C_ERR;
            }
            j++;
        } else {
            addReplyErrorFormat(c, "Syntax error in HELLO option '%s'", opt);
            return C_ERR;
        }
    }
    return C_OK;
}

static void addHelloMap(client *c) {
    addReplyMapLen(c, 7);
    addReplyBulkCString(c, "server");
    addReplyBulkCString(c, "redis");
    addReplyBulkCString(c, "version");
    addReplyBulkCString(c, REDIS_VERSION);
    addReplyBulkCString(c, "proto");
    addReplyLongLong(c, c->resp);
    addReplyBulkCString(c, "id");
    addReplyLongLong(c, (long long)c->id);
    addReplyBulkCString(c, "mode");
    addReplyBulkCString(c, "standalone");
    addReplyBulkCString(c, "role");
    addReplyBulkCString(c, "master");
    addReplyBulkCString(c, "modules");
    addReplyArrayLen(c, 0);
}

void helloCommand(client *c) {
    long long ver = 0;
    if (c->argc >= 2) {
        if (getLongLongFromObject(c->argv[1], &ver) != C_OK) {
            addReplyError(c, "Protocol version is not an integer or out of range");
            return;
        }
        if (ver < 2 || ver > 3) {
            addReplyError(c, "-NOPROTO unsupported protocol version");
            return;
        }
    }
    robj *username = NULL, *pass = NULL, *name = NULL;
    if (parseHelloOptions(c, &username, &pass, &name) != C_OK) return;
    if (pass) {
        if (aclAuthenticate(c, username, pass) != C_OK) {
            addReplyError(c, "-WRONGPASS invalid username-password pair or user is disabled.");
            return;
        }
    }
    if (!c->authenticated) {
        addReplyError(c, "-NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                         "HELLO AUTH <user> <pass> option can be used to authenticate the client and "
                         "select the RESP protocol version at the same time");
        return;
    }
    if (name) {
        if (c->name) decrRefCount(c->name);
        c->name = NULL;
        if (sdslen(name->ptr)) {
            c->name = name;
            incrRefCount(name);
        }
    }
    if (ver) c->resp = (int)ver;
    addHelloMap(c);
}

/* RESET: back to a fresh connection's state. */
void resetCommand(client *c) {
    discardTransaction(c);
    c->flags &= ~(CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP | CLIENT_REPLY_SKIP_NEXT | CLIENT_NO_EVICT |
                  CLIENT_READONLY | CLIENT_ASKING | CLIENT_NO_TOUCH);
    pubsubUnsubscribeAllSilently(c);
    monitorRemoveClient(c);
    disableTracking(c);
    c->resp = 2;
    selectDb(c, 0);
    if (c->name) {
        decrRefCount(c->name);
        c->name = NULL;
    }
    aclClientSetDefaultAuth(c);
    addReplyStatus(c, "RESET");
}

void selectCommand(client *c) {
    int id;
    if (getIntFromObjectOrReply(c, c->argv[1], &id, NULL) != C_OK) return;
    if (selectDb(c, id) == C_ERR) {
        addReplyError(c, "DB index is out of range");
        return;
    }
    addReply(c, shared.ok);
}
