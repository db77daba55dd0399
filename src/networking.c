/* networking.c — listeners and clients: accept, read, parse, write, close.
 *
 * A client talks to its peer through its `connection` (connection.h) and
 * never touches a descriptor: reads, writes, handler registration and
 * closing all go through the connection's type, so a new transport needs
 * no change here. The only sockets this file handles itself are the
 * listening ones.
 *
 * The life of a client:
 *   acceptTcpHandler / acceptUnixHandler  accept up to MAX_ACCEPTS_PER_CALL
 *     connections per readable event, wrap each in a connection, refuse over
 *     maxclients or under protected mode, then createClient() registers
 *     readQueryFromClient as the connection's read handler.
 *   readQueryFromClient  reads into c->querybuf (the rest of a big bulk
 *     argument goes straight into the argument's own buffer, which the
 *     parser hands out: it is never copied from the query buffer) and calls
 *     processInputBuffer, which feeds the bytes to the RESP parser (resp.c)
 *     and runs every complete command through processCommand before any
 *     reply is written: all pipelined commands of one read run in a batch.
 *   Replies accumulate in c->buf / c->reply (reply.c); the client is put on
 *     server.clients_pending_write.  handleClientsWithPendingWrites, called
 *     from beforeSleep, writes directly (connWritev); only when the socket
 *     does not take everything is sendReplyToClient installed as the
 *     connection's write handler, and it is removed once the output is
 *     drained.
 *   freeClient closes at once; freeClientAsync marks the client and queues
 *     it for beforeSleep, for clients that must not vanish under a caller
 *     (the client running a command, a client over its output limit).
 *
 * Limits enforced here: client-query-buffer-limit, client-output-buffer-limit
 * (hard and soft per class), timeout (clientsCron), maxclients and
 * protected-mode at accept time; before AUTH, the parser's small request
 * limits; an HTTP request (POST, Host:) closes the connection unanswered.
 * clientsCron also sizes each client's query buffer and static reply buffer
 * to the use it has seen, so that the read and reply paths themselves never
 * reallocate them for a small command.
 */
#include "server.h"
#include "client_evict.h"
#include "monitor.h"
#include "tls.h"
#include "iothreads.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define IOV_MAX_EMBER 64
/* Free room in a query buffer below which giving it back is not worth a
 * reallocation. */
#define QUERYBUF_MIN_SLACK 64

static void unlinkClient(client *c);

/* ------------------------------------------------------------ clients */

/* The parser's arguments (resp.h: argnew/argfree). A short one is made as
 * an embedded string object at once, its sds handed to the parser: one
 * allocation per argument, and the object commands would make of it
 * anyway. A longer one is a plain sds, wrapped when the command runs. The
 * parser's big arguments are plain sds too, and all longer than the limit,
 * so the length alone says which kind an argument is. */
static sds parserArgNew(const char *buf, size_t len) {
    if (len <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT) return createEmbeddedStringObject(buf, len)->ptr;
    return sdsnewlen(buf, len);
}

static robj *parserArgObject(sds arg) {
    if (sdslen(arg) <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT) return embeddedStringObjectOf(arg);
    return createObject(OBJ_STRING, arg);
}

static void parserArgFree(sds arg) {
    if (sdslen(arg) <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT)
        releaseArgumentObject(embeddedStringObjectOf(arg));
    else
        sdsfree(arg);
}

/* Creates a client on conn (registering readQueryFromClient as its read
 * handler), or a fake client without a connection when conn is NULL. The
 * client takes ownership of conn. Returns NULL if the handler could not be
 * registered; conn then still belongs to the caller. */
client *createClient(connection *conn) {
    client *c = zcalloc(sizeof(*c));
    if (conn) {
        connEnableTcpNoDelay(conn);
        if (server.net.tcpkeepalive) connKeepAlive(conn, server.net.tcpkeepalive);
        connSetPrivateData(conn, c);
        if (connSetReadHandler(conn, readQueryFromClient) == C_ERR) {
            zfree(c);
            return NULL;
        }
        if (connIsLocalType(conn)) c->flags |= CLIENT_UNIX_SOCKET;
    }
    c->conn = conn;
    c->id = server.next_client_id++;
    c->resp = 2;
    c->db = &server.db[0];
    c->querybuf = sdsempty();
    respParserInit(&c->parser);
    c->parser.argnew = parserArgNew;
    c->parser.argfree = parserArgFree;
    c->parser.maxbulklen = server.limits.proto_max_bulk_len;
    c->buf = zmalloc(PROTO_REPLY_CHUNK_BYTES);
    c->buf_usable_size = zmalloc_size(c->buf);
    c->buf_peak = c->buf_usable_size;
    c->reply = listCreate();
    c->ctime = time(NULL);
    c->last_interaction = mstime();
    /* A fake client (AOF loading, scripts) has no user: nothing is checked. */
    c->user = NULL;
    c->authenticated = 1;
    if (conn) aclClientSetDefaultAuth(c);
    if (c->flags & CLIENT_UNIX_SOCKET) aclAuthenticateByPeer(c);
    if (conn) {
        listAddNodeTail(server.clients, c);
        c->client_list_node = listLast(server.clients);
    }
    return c;
}

/* Releases the arguments of the current command; the array itself is kept
 * for the next command (freed with the client). */
void freeClientArgv(client *c) {
    for (int j = 0; j < c->argc; j++) releaseArgumentObject(c->argv[j]);
    c->argc = 0;
    c->argv_len_sum = 0;
    c->cmd = NULL;
}

/* Prepares for the next command: argv released, one-shot flags settled.
 * Inlined into the read path; resetClient() is the same for other files. */
static inline void prepareForNextCommand(client *c) {
    if (c->flags & CLIENT_TRACKING_CACHING) trackingCachingAfterCommand(c);
    /* ASKING lets only the next command (or transaction) into an importing slot. */
    if ((c->flags & CLIENT_ASKING) && !(c->flags & CLIENT_MULTI) && (!c->cmd || c->cmd->proc != askingCommand))
        c->flags &= ~CLIENT_ASKING;
    freeClientArgv(c);
    /* CLIENT REPLY SKIP: the flag set by this command applies to the next one. */
    if (c->flags & CLIENT_REPLY_SKIP) c->flags &= ~CLIENT_REPLY_SKIP;
    if (c->flags & CLIENT_REPLY_SKIP_NEXT) {
        c->flags |= CLIENT_REPLY_SKIP;
        c->flags &= ~CLIENT_REPLY_SKIP_NEXT;
    }
}

void resetClient(client *c) {
    prepareForNextCommand(c);
}

static void freeReplyBlocks(client *c) {
    listIter li;
    listNode *ln;
    listRewind(c->reply, &li);
    while ((ln = listNext(&li)) != NULL) zfree(listNodeValue(ln));
    listRelease(c->reply);
    c->reply = NULL;
}

/* Frees a client now. The client running the current command is only
 * marked, and freed when it returns (see freeClientAsync). */
void freeClient(client *c) {
    if (server.current_client == c && (c->flags & CLIENT_EXECUTING_COMMAND)) {
        freeClientAsync(c);
        return;
    }
    if (c->flags & CLIENT_CLOSE_ASAP) {
        listNode *ln = listSearchKey(server.clients_to_close, c);
        if (ln) listDelNode(server.clients_to_close, ln);
    }
    if (server.current_client == c) server.current_client = NULL;
    if (c->flags & CLIENT_MASTER) replicationMasterClientFreed(c);
    if (c->repl) replicationReplicaClientFreed(c);
    clientMemUsageForget(c);
    if (c->flags & (CLIENT_BLOCKED | CLIENT_UNBLOCKED)) blockedBeforeFreeClient(c);
    discardTransaction(c);
    pubsubUnsubscribeAllSilently(c);
    monitorRemoveClient(c);
    trackingClientFree(c);
    unlinkClient(c);
    respParserReset(&c->parser);
    sdsfree(c->querybuf);
    freeClientArgv(c);
    zfree(c->argv);
    freeReplyBlocks(c);
    zfree(c->buf);
    if (c->name) decrRefCount(c->name);
    zfree(c->peerid);
    zfree(c->sockname);
    zfree(c);
}

static void dropPendingRead(client *c);

/* Detaches the client from every server list and closes its connection. */
static void unlinkClient(client *c) {
    if (c->conn) {
        connClose(c->conn);
        c->conn = NULL;
    }
    if (c->client_list_node) {
        listDelNode(server.clients, c->client_list_node);
        c->client_list_node = NULL;
    }
    if (c->flags & CLIENT_PENDING_WRITE) {
        listUnlinkNode(server.clients_pending_write, &c->pending_write_link);
        c->flags &= ~CLIENT_PENDING_WRITE;
    }
    if (c->flags & CLIENT_PENDING_READ) dropPendingRead(c);
    if (c->flags & CLIENT_IN_PAUSE_QUEUE) {
        listDelNode(server.pause.clients, c->paused_node);
        c->paused_node = NULL;
        c->flags &= ~CLIENT_IN_PAUSE_QUEUE;
    }
}

/* Schedules the client to be freed in beforeSleep. Safe from anywhere,
 * including while the client runs a command. */
void freeClientAsync(client *c) {
    if (c->flags & CLIENT_CLOSE_ASAP) return;
    c->flags |= CLIENT_CLOSE_ASAP;
    listAddNodeTail(server.clients_to_close, c);
}

void freeClientsInAsyncFreeQueue(void) {
    while (listLength(server.clients_to_close)) {
        listNode *ln = listFirst(server.clients_to_close);
        client *c = listNodeValue(ln);
        if (c == server.current_client && (c->flags & CLIENT_EXECUTING_COMMAND)) break;
        c->flags &= ~CLIENT_CLOSE_ASAP;
        listDelNode(server.clients_to_close, ln);
        freeClient(c);
    }
}

/* ---------------------------------------------------------- identity */

int getClientType(client *c) {
    if (c->flags & CLIENT_MASTER) return CLIENT_TYPE_MASTER;
    if ((c->flags & CLIENT_SLAVE) && !(c->flags & CLIENT_MONITOR)) return CLIENT_TYPE_SLAVE;
    if (c->flags & CLIENT_PUBSUB) return CLIENT_TYPE_PUBSUB;
    return CLIENT_TYPE_NORMAL;
}

/* Returns -1 for an unknown name. */
int getClientTypeByName(const char *name) {
    if (!strcasecmp(name, "normal")) return CLIENT_TYPE_NORMAL;
    if (!strcasecmp(name, "slave") || !strcasecmp(name, "replica")) return CLIENT_TYPE_SLAVE;
    if (!strcasecmp(name, "pubsub")) return CLIENT_TYPE_PUBSUB;
    if (!strcasecmp(name, "master")) return CLIENT_TYPE_MASTER;
    return -1;
}

const char *getClientTypeName(int type) {
    switch (type) {
    case CLIENT_TYPE_NORMAL: return "normal";
    case CLIENT_TYPE_SLAVE: return "slave";
    case CLIENT_TYPE_PUBSUB: return "pubsub";
    case CLIENT_TYPE_MASTER: return "master";
    default: return NULL;
    }
}

/* "ip:port" of the peer (or "/path:0" for unix sockets), cached. The
 * pointer stays valid for the client's life. */
char *getClientPeerId(client *c) {
    if (c->peerid == NULL) {
        char buf[NET_ADDR_STR_LEN] = "?:0";
        if (c->conn) connFormatAddr(c->conn, buf, sizeof(buf), 1);
        c->peerid = zstrdup(buf);
    }
    return c->peerid;
}

/* Local "ip:port" of the connection, cached like getClientPeerId. */
char *getClientSockname(client *c) {
    if (c->sockname == NULL) {
        char buf[NET_ADDR_STR_LEN] = "?:0";
        if (c->conn) connFormatAddr(c->conn, buf, sizeof(buf), 0);
        c->sockname = zstrdup(buf);
    }
    return c->sockname;
}

/* ------------------------------------------------------------ accept */

/* Writes an error straight to a connection we are about to close, and
 * closes it. */
static void rejectConnection(connection *conn, const char *err) {
    ssize_t ignored = connWrite(conn, err, strlen(err));
    (void)ignored;
    connClose(conn);
    server.stat.rejected_conn++;
}

/* Protected mode trusts exactly these two addresses, as Redis does. */
static int isLoopbackAddress(const char *ip) {
    return strcmp(ip, "127.0.0.1") == 0 || strcmp(ip, "::1") == 0;
}

static const char *protected_mode_error =
    "-DENIED Ember is running in protected mode: no password is set for the default "
    "user and this connection does not come from the loopback interface, so it is "
    "refused. To let remote clients in, pick one: 1) set a password with "
    "'CONFIG SET requirepass <password>' from a local connection (and add it to the "
    "config file, or run CONFIG REWRITE); 2) turn protection off with "
    "'CONFIG SET protected-mode no' from a local connection, only if this server is "
    "not reachable from untrusted networks; 3) start the server with "
    "'--protected-mode no' or set 'protected-mode no' in its configuration file. "
    "After any of these, restart or reconnect.\r\n";

/* Runs once the transport has finished accepting (at once for TCP and the
 * unix socket, after the handshake for TLS). */
static void clientAcceptHandler(connection *conn) {
    client *c = connGetPrivateData(conn);
    if (connGetState(conn) != CONN_STATE_CONNECTED) {
        serverLog(LL_WARNING, "Error accepting a client connection: %s", connGetLastError(conn));
        freeClient(c);
        return;
    }
    server.stat.numconnections++;
    if ((long long)listLength(server.clients) > server.stat.clients_peak)
        server.stat.clients_peak = listLength(server.clients);
}

/* Shared part of accepting: limits, protected mode, client creation. Takes
 * ownership of conn. ip is the peer's address ("" for the unix socket). */
static void acceptCommonHandler(connection *conn, const char *ip) {
    if (listLength(server.clients) >= server.limits.maxclients) {
        rejectConnection(conn, "-ERR max number of clients reached\r\n");
        return;
    }
    if (server.security.protected_mode && !connIsLocalType(conn) && (DefaultUser->flags & USER_FLAG_NOPASS) &&
        !isLoopbackAddress(ip)) {
        rejectConnection(conn, protected_mode_error);
        return;
    }
    client *c = createClient(conn);
    if (c == NULL) {
        serverLog(LL_WARNING, "Error registering fd event for the new client: %s (fd=%d)", strerror(errno),
                  connGetFd(conn));
        connClose(conn);
        return;
    }
    connAccept(conn, clientAcceptHandler);
}

/* Accepts on a TCP listener; privdata is the ConnectionType its sockets
 * get (plain TCP, or TLS on the tls-port). */
void acceptTcpHandler(aeEventLoop *el, int fd, void *privdata, int mask) {
    const ConnectionType *type = privdata;
    char ip[NET_IP_STR_LEN], err[ANET_ERR_LEN];
    int port;
    for (int max = MAX_ACCEPTS_PER_CALL; max > 0; max--) {
        int cfd = anetTcpAccept(err, fd, ip, sizeof(ip), &port);
        if (cfd == ANET_ERR) {
            if (errno != EWOULDBLOCK && errno != EAGAIN)
                serverLog(LL_WARNING, "Accepting client connection: %s", err);
            return;
        }
        serverLog(LL_VERBOSE, "Accepted %s:%d", ip, port);
        acceptCommonHandler(connCreateAccepted(type, cfd), ip);
    }
}

void acceptUnixHandler(aeEventLoop *el, int fd, void *privdata, int mask) {
    char err[ANET_ERR_LEN];
    for (int max = MAX_ACCEPTS_PER_CALL; max > 0; max--) {
        int cfd = anetUnixAccept(err, fd);
        if (cfd == ANET_ERR) {
            if (errno != EWOULDBLOCK && errno != EAGAIN)
                serverLog(LL_WARNING, "Accepting client connection: %s", err);
            return;
        }
        serverLog(LL_VERBOSE, "Accepted connection to %s", server.net.unixsocket);
        acceptCommonHandler(connCreateAccepted(&CT_Unix, cfd), "");
    }
}

/* --------------------------------------------------------- listeners */

/* Binds one address on port; "-" in front means a failure to bind it is
 * tolerated when the address is not available on this host. Returns the fd
 * or -1. */
static int bindOneAddress(const char *addr, int port, int *optional_failed) {
    char err[ANET_ERR_LEN];
    int optional = addr[0] == '-';
    if (optional) addr++;
    const char *bindaddr = addr;
    if (strcmp(addr, "*") == 0) bindaddr = NULL;
    int fd;
    if (strchr(addr, ':')) {
        if (strcmp(addr, "::*") == 0) bindaddr = NULL;
        fd = anetTcp6Server(err, port, bindaddr, server.net.tcp_backlog);
    } else {
        fd = anetTcpServer(err, port, bindaddr, server.net.tcp_backlog);
    }
    if (fd == ANET_ERR) {
        int e = errno;
        if (optional && (e == EADDRNOTAVAIL || e == EAFNOSUPPORT || e == EPROTONOSUPPORT ||
                         e == ESOCKTNOSUPPORT || e == EPFNOSUPPORT || e == EINVAL)) {
            *optional_failed = 1;
            return -1;
        }
        serverLog(LL_WARNING, "Warning: Could not create server TCP listening socket %s:%d: %s", addr, port, err);
        return -1;
    }
    anetNonBlock(NULL, fd);
    anetCloexec(fd);
    return fd;
}

/* Opens a listener on port for every bind address into fds; no address
 * (`bind ""`) or port 0 means none. C_ERR if one mandatory address failed
 * (*count is then 0). */
int openTcpListeners(int port, int *fds, int *count) {
    const char **addrs = (const char **)server.net.bindaddr;
    *count = 0;
    if (port == 0) return C_OK;
    for (int j = 0; j < server.net.bindaddr_count; j++) {
        int optional_failed = 0;
        int fd = bindOneAddress(addrs[j], port, &optional_failed);
        if (fd == -1) {
            if (optional_failed) continue;
            for (int k = 0; k < *count; k++) close(fds[k]);
            *count = 0;
            return C_ERR;
        }
        fds[(*count)++] = fd;
    }
    return C_OK;
}

static int openUnixListener(listenerSet *ls) {
    ls->unix_fd = -1;
    if (server.net.unixsocket == NULL || server.net.unixsocket[0] == '\0') return C_OK;
    char err[ANET_ERR_LEN];
    int fd = anetUnixServer(err, server.net.unixsocket, (mode_t)server.net.unixsocketperm, server.net.tcp_backlog);
    if (fd == ANET_ERR) {
        serverLog(LL_WARNING, "Failed opening Unix socket: %s", err);
        exit(1); /* as Redis: not a busy TCP port, so no "Failed listening" line */
    }
    anetNonBlock(NULL, fd);
    anetCloexec(fd);
    ls->unix_fd = fd;
    return C_OK;
}

/* Accepts on fds[0..count) give connections of `type`. */
static int registerTcpListeners(const int *fds, int count, const ConnectionType *type) {
    for (int j = 0; j < count; j++)
        if (aeCreateFileEvent(server.el, fds[j], AE_READABLE, acceptTcpHandler, (void *)type) == AE_ERR)
            return C_ERR;
    return C_OK;
}

static int registerListeners(listenerSet *ls) {
    if (registerTcpListeners(ls->fds, ls->count, &CT_Socket) != C_OK ||
        registerTcpListeners(ls->tls_fds, ls->tls_count, tlsConnectionType()) != C_OK)
        return C_ERR;
    if (ls->unix_fd != -1 &&
        aeCreateFileEvent(server.el, ls->unix_fd, AE_READABLE, acceptUnixHandler, NULL) == AE_ERR)
        return C_ERR;
    return C_OK;
}

static void closeTcpListeners(int *fds, int *count) {
    for (int j = 0; j < *count; j++) {
        aeDeleteFileEvent(server.el, fds[j], AE_READABLE);
        close(fds[j]);
    }
    *count = 0;
}

static void closeListenerSet(listenerSet *ls) {
    closeTcpListeners(ls->fds, &ls->count);
    closeTcpListeners(ls->tls_fds, &ls->tls_count);
    if (ls->unix_fd != -1) {
        aeDeleteFileEvent(server.el, ls->unix_fd, AE_READABLE);
        close(ls->unix_fd);
        ls->unix_fd = -1;
    }
}

int listenToPort(int *tls_failed) {
    listenerSet ls = {.count = 0, .tls_count = 0, .unix_fd = -1};
    *tls_failed = 0;
    if (openTcpListeners(server.net.port, ls.fds, &ls.count) != C_OK) return C_ERR;
    if (openTcpListeners(server.tls.port, ls.tls_fds, &ls.tls_count) != C_OK) {
        *tls_failed = 1;
        closeListenerSet(&ls);
        return C_ERR;
    }
    if (openUnixListener(&ls) != C_OK || registerListeners(&ls) != C_OK) {
        closeListenerSet(&ls);
        return C_ERR;
    }
    server.net.listeners = ls;
    return C_OK;
}

/* Re-binds after CONFIG SET port/tls-port/bind. The old TCP and TLS
 * listeners are closed first (the new addresses may overlap them); if the
 * new ones cannot be opened, the caller restores the old settings and calls
 * this again. The unix socket is kept as it is. */
int changeListener(void) {
    listenerSet *ls = &server.net.listeners;
    closeTcpListeners(ls->fds, &ls->count);
    closeTcpListeners(ls->tls_fds, &ls->tls_count);
    if (openTcpListeners(server.net.port, ls->fds, &ls->count) != C_OK) return C_ERR;
    if (openTcpListeners(server.tls.port, ls->tls_fds, &ls->tls_count) != C_OK) {
        closeTcpListeners(ls->fds, &ls->count);
        return C_ERR;
    }
    registerTcpListeners(ls->fds, ls->count, &CT_Socket);
    registerTcpListeners(ls->tls_fds, ls->tls_count, tlsConnectionType());
    return C_OK;
}

/* Closes every listener; removes the unix socket file when asked. */
void closeListeningSockets(int unlink_unix_socket) {
    closeListenerSet(&server.net.listeners);
    if (unlink_unix_socket && server.net.unixsocket && server.net.unixsocket[0]) {
        serverLog(LL_NOTICE, "Removing the unix socket file.");
        if (unlink(server.net.unixsocket) != 0)
            serverLog(LL_WARNING, "Error removing the unix socket file: %s", strerror(errno));
    }
}

void closeListenersInChild(void) {
    listenerSet *ls = &server.net.listeners;
    for (int j = 0; j < ls->count; j++) close(ls->fds[j]);
    for (int j = 0; j < ls->tls_count; j++) close(ls->tls_fds[j]);
    if (ls->unix_fd != -1) close(ls->unix_fd);
}

/* -------------------------------------------------------------- read */

/* Replies the protocol error, logs it and closes the client after the reply. */
static void handleProtocolError(client *c, const char *err) {
    if (server.log.verbosity <= LL_VERBOSE) {
        serverLog(LL_VERBOSE, "Protocol error (%s) from client: id=%llu addr=%s", err,
                  (unsigned long long)c->id, getClientPeerId(c));
    }
    addReplyErrorFormat(c, "%s", err);
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

/* Moves the parsed arguments (sds strings) into c->argv as string objects.
 * The client's argv array is kept between commands and only grows. */
static void setArgvFromParser(client *c) {
    respParser *p = &c->parser;
    int argc = p->argc;
    if (argc > c->argv_len) {
        zfree(c->argv);
        c->argv = zmalloc(sizeof(robj *) * argc);
        c->argv_len = argc;
    }
    c->argc = argc;
    c->argv_len_sum = p->argbytes;
    for (int j = 0; j < argc; j++) c->argv[j] = parserArgObject(p->argv[j]);
    respForgetArgs(p);
}

/* Whether argv[0] is POST or Host:, i.e. an HTTP request sent to us (a
 * browser tricked into posting to the port, "cross protocol scripting"). */
static inline int isHttpRequest(client *c) {
    const char *name = c->argv[0]->ptr;
    char first = (char)(name[0] | 0x20); /* the hot path stops here */
    if (first != 'p' && first != 'h') return 0;
    return !strcasecmp(name, "post") || !strcasecmp(name, "host:");
}

/* Logs the attempt (at most once a minute: a flood of such requests must not
 * flood the log; the time of the last line is the only state) and closes
 * the client without a reply, as Redis does. Kept out of line: it is never
 * on the hot path. */
__attribute__((cold, noinline)) static void rejectHttpRequest(client *c) {
    static time_t logged_at = 0;
    time_t now = time(NULL);
    if (now - logged_at > 60 || now < logged_at) {
        serverLog(LL_WARNING,
                  "Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to "
                  "Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to "
                  "compromise your Redis instance. Connection aborted.");
        logged_at = now;
    }
    freeClientAsync(c);
}

/* Runs the command in c->argv. Returns C_ERR if the client was freed or must
 * stop processing input (held by a pause, closing). */
static int processCommandAndResetClient(client *c) {
    server.current_client = c;
    if (c->flags & CLIENT_MASTER) replicationBeforeMasterCommand(c);
    int ret = processCommand(c);
    server.current_client = NULL;
    if (c->flags & CLIENT_MASTER) replicationCommandProcessed(c);
    /* A blocked client keeps its command: it runs again when served. */
    if (ret == C_OK && !(c->flags & CLIENT_BLOCKED)) prepareForNextCommand(c);
    if (c->flags & CLIENT_CLOSE_ASAP) return C_ERR;
    return ret;
}

/* Parses and runs every complete command in the query buffer. */
void processInputBuffer(client *c) {
    /* A command held back by CLIENT PAUSE runs first (a blocked client
     * keeps its command too, but runs it only when served). */
    if (c->flags & CLIENT_BLOCKED) return;
    if (c->argc > 0) {
        if (processCommandAndResetClient(c) != C_OK) return;
    }
    while (c->qb_pos < sdslen(c->querybuf) || respBigBulkFilled(&c->parser)) {
        if (c->flags & (CLIENT_CLOSE_AFTER_REPLY | CLIENT_CLOSE_ASAP | CLIENT_BLOCKED | CLIENT_IN_PAUSE_QUEUE))
            break;
        size_t consumed = 0;
        c->parser.maxbulklen = server.limits.proto_max_bulk_len;
        c->parser.noauth = !c->authenticated; /* small requests only until AUTH */
        int ret = respParse(&c->parser, c->querybuf + c->qb_pos, sdslen(c->querybuf) - c->qb_pos, &consumed);
        c->qb_pos += consumed;
        if (ret == RESP_NEED_MORE) break;
        if (ret == RESP_ERR) {
            handleProtocolError(c, c->parser.err);
            respParserReset(&c->parser);
            break;
        }
        setArgvFromParser(c);
        if (c->argc == 0) {
            /* A replica's newline while it loads our RDB: it is alive. */
            if (c->flags & CLIENT_SLAVE) replicationReplicaAlive(c);
            freeClientArgv(c);
            continue;
        }
        if (isHttpRequest(c)) {
            rejectHttpRequest(c);
            break;
        }
        if (processCommandAndResetClient(c) != C_OK) break;
    }
    if (c->qb_pos) {
        sdsrange(c->querybuf, c->qb_pos, -1);
        c->qb_pos = 0;
    }
}

/* Closes a client whose unparsed input exceeds client-query-buffer-limit.
 * The input counted is the query buffer plus a big bulk being received, up
 * to the moment the parser takes it into argv (Redis receives such a bulk
 * in its query buffer, so its bytes count there too, the CRLF included).
 * The log line shows the client and the first bytes waiting, escaped. */
static int checkQueryBufferLimit(client *c) {
    const respParser *p = &c->parser;
    int inbig = respPendingBulk(p) || respBigBulkFilled(p);
    size_t pending = sdslen(c->querybuf) + (inbig ? (size_t)p->bigread : 0);
    if (pending <= server.limits.client_max_querybuf_len) return 0;
    sds head = inbig ? p->bigarg : c->querybuf;
    size_t headlen = sdslen(head);
    sds ci = catClientInfoString(sdsempty(), c);
    sds bytes = sdscatrepr(sdsempty(), head, headlen < 64 ? headlen : 64);
    serverLog(LL_WARNING, "Closing client that reached max query buffer length: %s (qbuf initial bytes: %s)", ci,
              bytes);
    sdsfree(ci);
    sdsfree(bytes);
    server.stat.client_qbuf_limit_disconnections++;
    freeClientAsync(c);
    return 1;
}

/* Where the next read goes, and how much it may take. Inside a big bulk
 * argument the bytes go straight into the argument's own buffer, and the
 * query buffer, unused meanwhile, gives its room back. Otherwise they go
 * to the end of the query buffer, which gets PROTO_IOBUF_LEN of room: an
 * exact amount while it holds less than one read (the usual case: nothing,
 * or the start of a command), doubling when more waits in it (a long line,
 * a blocked client's backlog). */
static char *readDestination(client *c, size_t *readlen) {
    char *dst = respBigBulkBuffer(&c->parser, readlen);
    if (dst) {
        if (sdslen(c->querybuf) == 0 && sdsavail(c->querybuf) > QUERYBUF_MIN_SLACK)
            c->querybuf = sdsRemoveFreeSpace(c->querybuf);
        return dst;
    }
    if (sdslen(c->querybuf) < PROTO_IOBUF_LEN)
        c->querybuf = sdsMakeRoomForNonGreedy(c->querybuf, PROTO_IOBUF_LEN);
    else
        c->querybuf = sdsMakeRoomFor(c->querybuf, PROTO_IOBUF_LEN);
    *readlen = sdsavail(c->querybuf);
    return c->querybuf + sdslen(c->querybuf);
}

/* Accounts nread bytes just read to where readDestination() put them. */
static void commitRead(client *c, size_t nread) {
    if (respPendingBulk(&c->parser)) {
        respBigBulkWritten(&c->parser, nread);
        return;
    }
    sdsIncrLen(c->querybuf, (ssize_t)nread);
    if (sdslen(c->querybuf) > c->querybuf_peak) c->querybuf_peak = sdslen(c->querybuf);
}

/* The system call of a read: what the socket has, into the query buffer
 * (or the big argument being filled). Touches only c (the io threads run
 * it too): c->io_bytes gets the bytes read, c->io_failed says why none. */
static void readClientInput(client *c) {
    size_t readlen;
    char *dst = readDestination(c, &readlen);
    ssize_t nread = connRead(c->conn, dst, readlen);
    c->io_bytes = 0;
    c->io_failed = 0;
    if (nread > 0) {
        commitRead(c, (size_t)nread);
        c->io_bytes = (size_t)nread;
    } else if (nread == 0) {
        c->io_failed = IO_FAILED_CLOSED;
    } else if (connGetState(c->conn) != CONN_STATE_CONNECTED) {
        c->io_failed = IO_FAILED_ERROR;
    }
}

/* After readClientInput, on the main thread: the statistics, then the
 * commands the new bytes complete. */
static void processClientInput(client *c) {
    if (c->io_failed == IO_FAILED_ERROR) {
        serverLog(LL_VERBOSE, "Reading from client: %s", connGetLastError(c->conn));
        freeClient(c);
        return;
    }
    if (c->io_failed == IO_FAILED_CLOSED) {
        serverLog(LL_VERBOSE, "Client closed connection id=%llu addr=%s", (unsigned long long)c->id,
                  getClientPeerId(c));
        freeClient(c);
        return;
    }
    if (c->io_bytes == 0) return;
    c->last_interaction = server.mstime;
    c->net_input_bytes += c->io_bytes;
    server.stat.net_input_bytes += (long long)c->io_bytes;
    server.stat.io_reads_processed++;
    if (checkQueryBufferLimit(c)) return;
    processInputBuffer(c);
    /* Without a limit, clientsCron's pass keeps the figures fresh enough. */
    if (!server.limits.maxmemory_clients || (c->flags & CLIENT_CLOSE_ASAP)) return;
    clientMemUsageUpdate(c);
    evictClients(); /* may free c */
}

/* With io-threads-do-reads and the threads active, a plain TCP client's
 * read waits in clients_pending_read for handleClientsWithPendingReads.
 * Returns 1 when c's read is (now or already) deferred. */
static int deferClientRead(client *c) {
    if (c->flags & CLIENT_PENDING_READ) return 1;
    if (!ioThreadsReadsDeferred() || server.persist.loading || c->conn->type != &CT_Socket ||
        (c->flags & (CLIENT_MASTER | CLIENT_SLAVE | CLIENT_BLOCKED)))
        return 0;
    c->flags |= CLIENT_PENDING_READ;
    c->pending_read_link.value = c;
    listLinkNodeTail(server.clients_pending_read, &c->pending_read_link);
    return 1;
}

void readQueryFromClient(connection *conn) {
    client *c = connGetPrivateData(conn);
    if (deferClientRead(c)) return;
    readClientInput(c);
    processClientInput(c);
}

static void dropPendingRead(client *c) {
    listUnlinkNode(server.clients_pending_read, &c->pending_read_link);
    c->flags &= ~CLIENT_PENDING_READ;
}

int handleClientsWithPendingReads(void) {
    unsigned long pending = listLength(server.clients_pending_read);
    if (pending == 0) return 0;
    client **cs = zmalloc(sizeof(*cs) * pending);
    int n = 0;
    listIter li;
    listNode *ln;
    listRewind(server.clients_pending_read, &li);
    while ((ln = listNext(&li)) != NULL) cs[n++] = listNodeValue(ln);
    ioThreadsRun(cs, n, readClientInput);
    zfree(cs);
    server.stat.io_threaded_reads_processed += n;
    /* Commands run one client at a time; one may free another client,
     * which leaves the list then (unlinkClient). */
    while (listLength(server.clients_pending_read)) {
        client *c = listNodeValue(listFirst(server.clients_pending_read));
        dropPendingRead(c);
        processClientInput(c);
    }
    return n;
}

/* ------------------------------------------------------------- write */

int clientHasPendingReplies(client *c) {
    return c->bufpos > 0 || listLength(c->reply) > 0;
}

void putClientInPendingWriteQueue(client *c) {
    if (c->flags & CLIENT_PENDING_WRITE) return;
    c->flags |= CLIENT_PENDING_WRITE;
    c->pending_write_link.value = c;
    listLinkNodeTail(server.clients_pending_write, &c->pending_write_link);
}

/* Whether output may be added for c now; queues it for writing. Fake clients
 * (no connection), muted clients and clients about to close get nothing; a
 * push (CLIENT_PUSHING) reaches a client muted by CLIENT REPLY OFF or SKIP,
 * as in Redis. */
int prepareClientToWrite(client *c) {
    /* The common case, a plain connected client, decided by one mask. */
    const uint64_t unusual = CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP | CLIENT_CLOSE_ASAP | CLIENT_MASTER |
                             CLIENT_SLAVE | CLIENT_SCRIPT;
    if (!(c->flags & unusual) && c->conn) {
        if (!clientHasPendingReplies(c)) putClientInPendingWriteQueue(c);
        return C_OK;
    }
    if ((c->flags & (CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP)) && !(c->flags & CLIENT_PUSHING)) return C_ERR;
    if (c->flags & CLIENT_CLOSE_ASAP) return C_ERR;
    /* The primary's link gets only what replication sends it (ACKs). */
    if ((c->flags & CLIENT_MASTER) && !(c->flags & CLIENT_MASTER_FORCE_REPLY)) return C_ERR;
    /* A replica of ours gets the stream (repl_primary.c), never replies. */
    if ((c->flags & CLIENT_SLAVE) && c->repl) return C_ERR;
    /* A script's client collects its replies to read them back. */
    if (c->flags & CLIENT_SCRIPT) return C_OK;
    if (c->conn == NULL) return C_ERR;
    if (!clientHasPendingReplies(c)) putClientInPendingWriteQueue(c);
    return C_OK;
}

/* Fills iov with what is left to send: the static buffer, then list blocks. */
static int collectWriteVector(client *c, struct iovec *iov, size_t *total) {
    int n = 0;
    size_t sum = 0;
    size_t skip = c->sentlen;
    if (c->bufpos > 0) {
        iov[n].iov_base = c->buf + skip;
        iov[n].iov_len = c->bufpos - skip;
        sum += iov[n++].iov_len;
        skip = 0;
    }
    listIter li;
    listNode *ln;
    listRewind(c->reply, &li);
    while ((ln = listNext(&li)) != NULL && n < IOV_MAX_EMBER && sum < NET_MAX_WRITES_PER_EVENT) {
        clientReplyBlock *b = listNodeValue(ln);
        if (b == NULL || b->used == 0) continue;
        iov[n].iov_base = b->buf + skip;
        iov[n].iov_len = b->used - skip;
        sum += iov[n++].iov_len;
        skip = 0;
    }
    *total = sum;
    return n;
}

/* Drops nwritten bytes from the front of the client's output. */
static void consumeWritten(client *c, size_t nwritten) {
    if (c->bufpos > 0) {
        size_t left = c->bufpos - c->sentlen;
        if (nwritten < left) {
            c->sentlen += nwritten;
            return;
        }
        nwritten -= left;
        c->bufpos = 0;
        c->sentlen = 0;
    }
    while (listLength(c->reply) > 0) {
        listNode *ln = listFirst(c->reply);
        clientReplyBlock *b = listNodeValue(ln);
        if (b == NULL) break;
        size_t left = b->used - c->sentlen;
        if (nwritten < left) {
            c->sentlen += nwritten;
            return;
        }
        if (left == 0 && nwritten == 0 && b->used != 0) return;
        nwritten -= left;
        c->reply_bytes -= b->size;
        zfree(b);
        listDelNode(c->reply, ln);
        c->sentlen = 0;
    }
}

/* The system calls of a write: as much pending output as the socket
 * takes, up to a per-event cap. Touches only c (the io threads run it
 * too): c->io_bytes gets the bytes written, c->io_failed why it stopped. */
static void writeClientOutput(client *c) {
    size_t total_written = 0;
    c->io_failed = 0;
    while (clientHasPendingReplies(c) && total_written < NET_MAX_WRITES_PER_EVENT) {
        struct iovec iov[IOV_MAX_EMBER + 1];
        size_t want;
        int n = collectWriteVector(c, iov, &want);
        if (n == 0) break;
        ssize_t nw = connWritev(c->conn, iov, n);
        if (nw <= 0) {
            if (nw == -1 && connGetState(c->conn) == CONN_STATE_CONNECTED) break;
            c->io_failed = nw == -1 ? IO_FAILED_ERROR : IO_FAILED_CLOSED;
            break;
        }
        consumeWritten(c, (size_t)nw);
        total_written += nw;
        if ((size_t)nw < want) break;
    }
    c->io_bytes = total_written;
}

/* After writeClientOutput, on the main thread: the statistics, and the
 * close a failure or CLIENT_CLOSE_AFTER_REPLY asks for. Returns C_ERR
 * when c is to be freed. */
static int finishClientWrite(client *c, int handler_installed) {
    if (c->io_failed) {
        serverLog(LL_VERBOSE, "Error writing to client: %s",
                  c->io_failed == IO_FAILED_ERROR ? connGetLastError(c->conn) : "closed");
        freeClientAsync(c);
        return C_ERR;
    }
    size_t total_written = c->io_bytes;
    c->net_output_bytes += total_written;
    server.stat.net_output_bytes += total_written;
    if (total_written > 0) {
        c->last_interaction = server.mstime;
        server.stat.io_writes_processed++;
        if (server.limits.maxmemory_clients) clientMemUsageUpdate(c);
    }
    if (!clientHasPendingReplies(c)) {
        c->sentlen = 0;
        if (handler_installed) connSetWriteHandler(c->conn, NULL);
        if (c->flags & CLIENT_CLOSE_AFTER_REPLY) {
            freeClientAsync(c);
            return C_ERR;
        }
    }
    return C_OK;
}

int writeToClient(client *c, int handler_installed) {
    writeClientOutput(c);
    return finishClientWrite(c, handler_installed);
}

void sendReplyToClient(connection *conn) {
    writeToClient(connGetPrivateData(conn), 1);
}

/* After a write from the pending queue: a writable handler for what the
 * socket did not take. */
static void wantWritableIfPending(client *c) {
    if (clientHasPendingReplies(c) && !connHasWriteHandler(c->conn)) {
        if (connSetWriteHandler(c->conn, sendReplyToClient) == C_ERR) freeClientAsync(c);
    }
}

/* The next client of the pending-write queue, out of it. */
static client *popPendingWrite(void) {
    listNode *ln = listFirst(server.clients_pending_write);
    client *c = listNodeValue(ln);
    c->flags &= ~CLIENT_PENDING_WRITE;
    listUnlinkNode(server.clients_pending_write, ln);
    return c;
}

/* The queue written by the io threads: plain TCP clients in one batch,
 * the others (TLS) by the main thread first. */
static int writePendingWithThreads(void) {
    int processed = 0, n = 0;
    client **cs = zmalloc(sizeof(*cs) * listLength(server.clients_pending_write));
    while (listLength(server.clients_pending_write)) {
        client *c = popPendingWrite();
        processed++;
        if (c->flags & CLIENT_CLOSE_ASAP) continue;
        if (c->conn->type == &CT_Socket) {
            cs[n++] = c;
        } else if (writeToClient(c, 0) == C_OK) {
            wantWritableIfPending(c);
        }
    }
    ioThreadsRun(cs, n, writeClientOutput);
    server.stat.io_threaded_writes_processed += n;
    for (int j = 0; j < n; j++)
        if (finishClientWrite(cs[j], 0) == C_OK) wantWritableIfPending(cs[j]);
    zfree(cs);
    return processed;
}

int handleClientsWithPendingWrites(void) {
    if (ioThreadsUseFor(listLength(server.clients_pending_write))) return writePendingWithThreads();
    int processed = 0;
    while (listLength(server.clients_pending_write)) {
        client *c = popPendingWrite();
        processed++;
        if (c->flags & CLIENT_CLOSE_ASAP) continue;
        if (writeToClient(c, 0) == C_ERR) continue;
        wantWritableIfPending(c);
    }
    return processed;
}

/* ------------------------------------------------- output buffer limits */

unsigned long getClientOutputBufferMemoryUsage(client *c) {
    return (unsigned long)(c->reply_bytes + listLength(c->reply) * sizeof(listNode));
}

/* Whether the client is over its class's hard limit, or over the soft limit
 * for longer than allowed. Updates the soft-limit timer. */
int checkClientOutputBufferLimits(client *c) {
    int type = getClientType(c);
    if (type == CLIENT_TYPE_MASTER) type = CLIENT_TYPE_NORMAL;
    clientBufferLimitsConfig *lim = &server.limits.client_obuf_limits[type];
    unsigned long used = getClientOutputBufferMemoryUsage(c);
    int hard = lim->hard_limit_bytes && used >= lim->hard_limit_bytes;
    int soft = lim->soft_limit_bytes && used >= lim->soft_limit_bytes;
    if (soft) {
        if (c->obuf_soft_limit_reached_time == 0) {
            c->obuf_soft_limit_reached_time = server.unixtime;
            soft = 0;
        } else if (server.unixtime - c->obuf_soft_limit_reached_time <= lim->soft_limit_seconds) {
            soft = 0;
        }
    } else {
        c->obuf_soft_limit_reached_time = 0;
    }
    return hard || soft;
}

/* Schedules the client to be closed when over its output limits. Returns 1
 * if it was. async must be 1 when called while adding a reply. */
int closeClientOnOutputBufferLimitReached(client *c, int async) {
    if (c->conn == NULL || c->reply_bytes == 0 || (c->flags & CLIENT_CLOSE_ASAP)) return 0;
    if (!checkClientOutputBufferLimits(c)) return 0;
    sds ci = catClientInfoString(sdsempty(), c);
    serverLog(LL_WARNING, "Client %s scheduled to be closed ASAP for overcoming of output buffer limits.", ci);
    sdsfree(ci);
    server.stat.client_outbuf_limit_disconnections++;
    if (async)
        freeClientAsync(c);
    else
        freeClient(c);
    return 1;
}

/* -------------------------------------------------------------- cron */

/* Gives back query buffer room the client does not use. Idle for
 * QUERYBUF_IDLE_SHRINK_MS, it keeps only the bytes it holds; busy, a
 * buffer over QUERYBUF_RESIZE_THRESHOLD that is more than twice what the
 * client needed since the last visit (its peak plus one read) is cut to
 * its bytes plus one read. The peak then restarts from the current length. */
static void resizeQueryBuffer(client *c, long long idle_ms) {
    size_t len = sdslen(c->querybuf), alloc = sdsalloc(c->querybuf);
    if (idle_ms >= QUERYBUF_IDLE_SHRINK_MS) {
        if (sdsavail(c->querybuf) > QUERYBUF_MIN_SLACK) c->querybuf = sdsRemoveFreeSpace(c->querybuf);
    } else if (alloc > QUERYBUF_RESIZE_THRESHOLD && alloc > 2 * (c->querybuf_peak + PROTO_IOBUF_LEN)) {
        c->querybuf = sdsResize(c->querybuf, len + PROTO_IOBUF_LEN);
    }
    c->querybuf_peak = len;
}

/* Visits a slice of the clients per call, so that each one is seen about
 * once a second (all of them each call when there are few): idle timeout,
 * query and reply buffer sizing, soft output limits. */
void clientsCron(void) {
    int numclients = listLength(server.clients);
    int iterations = numclients / server.hz;
    if (iterations < 50) iterations = numclients < 50 ? numclients : 50;
    while (listLength(server.clients) && iterations--) {
        listRotateTailToHead(server.clients);
        listNode *head = listFirst(server.clients);
        client *c = listNodeValue(head);
        long long idle_ms = server.mstime - c->last_interaction;
        if (server.limits.maxidletime &&
            !(c->flags & (CLIENT_SLAVE | CLIENT_MASTER | CLIENT_BLOCKED | CLIENT_PUBSUB)) &&
            idle_ms / 1000 > server.limits.maxidletime) {
            serverLog(LL_VERBOSE, "Closing idle client");
            freeClient(c);
            continue;
        }
        resizeQueryBuffer(c, idle_ms);
        resizeReplyBuffer(c);
        /* Soft output limits expire with time, not only on writes. */
        if (closeClientOnOutputBufferLimitReached(c, 1)) continue;
        clientMemUsageUpdate(c);
    }
    evictClients();
}
