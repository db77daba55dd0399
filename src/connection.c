/* connection.c — the socket connection types: plain TCP and the unix socket.
 *
 * Both move bytes with read(2) and write(2)/writev(2) on a non-blocking descriptor
 * and map readiness straight onto the event loop: a read handler is an
 * AE_READABLE event on the fd, a write handler an AE_WRITABLE one. They
 * differ only in how they name their ends (ip:port against the socket path)
 * and in the CONN_TYPE_LOCAL flag that protected mode looks at; a client
 * learns which it has from the type, never from the descriptor.
 *
 * Closing from inside a handler is the one subtle part. The event loop and
 * the caller of a handler may still hold the connection pointer after the
 * handler returns, so connCallHandler counts the handlers running on a
 * connection; a close during one closes the descriptor (so no more events
 * come) and leaves the free to the outermost connCallHandler.
 *
 * An outgoing TCP connect (the replica's link to its primary) is a
 * non-blocking connect(2) whose completion is the socket turning writable:
 * SO_ERROR then says whether it worked, and the connect handler is called
 * once either way, after which the connection is used like an accepted one.
 *
 * The blocking connect and the synchronous read and write (MIGRATE's
 * link to its target) keep the descriptor non-blocking and wait for it
 * with poll(2) against a deadline, so a timeout is exact and nothing of the
 * event loop is involved.
 *
 * A new type (TLS in tls.c) writes its own table, may make its connections
 * bigger (conn_size, init_accepted) to carry its own state, and reuses
 * connCallHandler; networking.c does not change.
 */
#include "server.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

connection *connCreateAccepted(const ConnectionType *type, int fd) {
    connection *conn = zcalloc(type->conn_size ? type->conn_size : sizeof(*conn));
    conn->type = type;
    conn->fd = fd;
    conn->state = CONN_STATE_ACCEPTING;
    anetNonBlock(NULL, fd);
    anetCloexec(fd);
    if (type->init_accepted) type->init_accepted(conn);
    return conn;
}

connection *connCreate(const ConnectionType *type) {
    connection *conn = zcalloc(type->conn_size ? type->conn_size : sizeof(*conn));
    conn->type = type;
    conn->fd = -1;
    conn->state = CONN_STATE_NONE;
    return conn;
}

int connEnableTcpNoDelay(connection *conn) {
    if (conn->type->flags & CONN_TYPE_LOCAL) return C_OK;
    return anetEnableTcpNoDelay(NULL, conn->fd) == ANET_OK ? C_OK : C_ERR;
}

int connKeepAlive(connection *conn, int interval) {
    if (conn->type->flags & CONN_TYPE_LOCAL) return C_OK;
    return anetKeepAlive(NULL, conn->fd, interval) == ANET_OK ? C_OK : C_ERR;
}

static long long monotonicMs(void) {
    return (long long)(getMonotonicUs() / 1000);
}

int connPollUntil(connection *conn, short events, long long deadline) {
    for (;;) {
        int wait = -1;
        if (deadline >= 0) {
            long long left = deadline - monotonicMs();
            if (left <= 0) {
                errno = ETIMEDOUT;
                return 0;
            }
            wait = left > INT_MAX ? INT_MAX : (int)left;
        }
        struct pollfd pfd = {.fd = conn->fd, .events = events};
        int n = poll(&pfd, 1, wait);
        if (n > 0) return 1;
        if (n == 0) continue; /* the deadline check above decides */
        if (errno != EINTR) return -1;
    }
}

ssize_t connSyncRead(connection *conn, void *buf, size_t len, long long timeout_ms) {
    long long deadline = timeout_ms < 0 ? -1 : monotonicMs() + timeout_ms;
    for (;;) {
        /* Read first: a TLS connection may hold decrypted bytes already. */
        ssize_t n = conn->type->read(conn, buf, len);
        if (n >= 0 || conn->state != CONN_STATE_CONNECTED) return n;
        if (connPollUntil(conn, POLLIN, deadline) <= 0) return -1;
    }
}

ssize_t connSyncWrite(connection *conn, const void *buf, size_t len, long long timeout_ms) {
    long long deadline = timeout_ms < 0 ? -1 : monotonicMs() + timeout_ms;
    size_t done = 0;
    while (done < len) {
        ssize_t n = connWrite(conn, (const char *)buf + done, len - done);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n == 0 || conn->state != CONN_STATE_CONNECTED) return -1;
        if (connPollUntil(conn, POLLOUT, deadline) <= 0) return -1;
    }
    return (ssize_t)len;
}

int connCallHandler(connection *conn, ConnectionCallbackFunc handler) {
    conn->refs++;
    handler(conn);
    conn->refs--;
    if (conn->refs == 0 && (conn->flags & CONN_FLAG_CLOSE_SCHEDULED)) {
        connClose(conn);
        return 0;
    }
    return 1;
}

int connBlockingConnect(connection *conn, const char *addr, int port, long long timeout_ms) {
    if (!conn->type->blocking_connect) {
        conn->last_errno = EOPNOTSUPP;
        conn->state = CONN_STATE_ERROR;
        return C_ERR;
    }
    return conn->type->blocking_connect(conn, addr, port, timeout_ms);
}

/* ---------------------------------------------------- socket functions */

static int connSocketAccept(connection *conn, ConnectionCallbackFunc handler) {
    if (conn->state != CONN_STATE_ACCEPTING) return C_ERR;
    conn->state = CONN_STATE_CONNECTED;
    return connCallHandler(conn, handler) ? C_OK : C_ERR;
}

/* The socket of a pending connect turned writable: it is connected, or
 * SO_ERROR tells why not. The write event stays only if a write handler
 * was set meanwhile. */
static void connSocketConnectEvent(aeEventLoop *el, int fd, void *data, int mask) {
    (void)el, (void)mask;
    connection *conn = data;
    int soerr = 0;
    socklen_t len = sizeof(soerr);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1) soerr = errno;
    if (soerr) {
        conn->last_errno = soerr;
        conn->state = CONN_STATE_ERROR;
    } else {
        conn->state = CONN_STATE_CONNECTED;
    }
    if (!conn->write_handler) aeDeleteFileEvent(server.el, conn->fd, AE_WRITABLE);
    ConnectionCallbackFunc handler = conn->conn_handler;
    conn->conn_handler = NULL;
    if (handler) connCallHandler(conn, handler);
}

int connTcpStartConnect(connection *conn, const char *addr, int port, aeFileProc *on_writable) {
    int fd = anetTcpNonBlockConnect(NULL, addr, port, server.net.bind_source_addr);
    if (fd == -1) {
        conn->last_errno = errno;
        conn->state = CONN_STATE_ERROR;
        return C_ERR;
    }
    anetCloexec(fd);
    conn->fd = fd;
    conn->state = CONN_STATE_CONNECTING;
    if (aeCreateFileEvent(server.el, fd, AE_WRITABLE, on_writable, conn) == AE_ERR) {
        conn->last_errno = errno;
        conn->state = CONN_STATE_ERROR;
        return C_ERR;
    }
    return C_OK;
}

static int connSocketConnect(connection *conn, const char *addr, int port, ConnectionCallbackFunc handler) {
    conn->conn_handler = handler;
    return connTcpStartConnect(conn, addr, port, connSocketConnectEvent);
}

static int connSocketBlockingConnect(connection *conn, const char *addr, int port, long long timeout_ms) {
    errno = 0;
    int fd = anetTcpNonBlockConnect(NULL, addr, port, server.net.bind_source_addr);
    if (fd == -1) {
        /* Name resolution failures leave errno alone. */
        conn->last_errno = errno ? errno : EHOSTUNREACH;
        conn->state = CONN_STATE_ERROR;
        return C_ERR;
    }
    anetCloexec(fd);
    conn->fd = fd;
    int rv = connPollUntil(conn, POLLOUT, monotonicMs() + timeout_ms);
    int soerr = rv > 0 ? 0 : errno;
    socklen_t optlen = sizeof(soerr);
    if (rv > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &optlen) == -1) soerr = errno;
    if (soerr) {
        conn->last_errno = soerr;
        conn->state = CONN_STATE_ERROR;
        return C_ERR;
    }
    conn->state = CONN_STATE_CONNECTED;
    return C_OK;
}

/* Records a failed call: EAGAIN and EINTR leave the connection usable. */
static void connSocketNoteError(connection *conn) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
    conn->last_errno = errno;
    if (conn->state == CONN_STATE_CONNECTED) conn->state = CONN_STATE_ERROR;
}

static ssize_t connSocketRead(connection *conn, void *buf, size_t len) {
    ssize_t n = read(conn->fd, buf, len);
    if (n > 0) return n;
    if (n == 0)
        conn->state = CONN_STATE_CLOSED;
    else
        connSocketNoteError(conn);
    return n;
}

/* One buffer goes by write(2): the kernel's writev(2) first copies and
 * checks the vector, a cost a single small reply (the usual case) need not
 * pay. */
static ssize_t connSocketWritev(connection *conn, const struct iovec *iov, int iovcnt) {
    ssize_t n = iovcnt == 1 ? write(conn->fd, iov[0].iov_base, iov[0].iov_len) : writev(conn->fd, iov, iovcnt);
    if (n < 0) connSocketNoteError(conn);
    return n;
}

static void connSocketClose(connection *conn) {
    if (conn->fd != -1) {
        aeDeleteFileEvent(server.el, conn->fd, AE_READABLE | AE_WRITABLE);
        close(conn->fd);
        conn->fd = -1;
    }
    conn->read_handler = NULL;
    conn->write_handler = NULL;
    if (conn->refs > 0) {
        conn->flags |= CONN_FLAG_CLOSE_SCHEDULED;
        return;
    }
    zfree(conn);
}

static void connSocketReadEvent(aeEventLoop *el, int fd, void *data, int mask) {
    connection *conn = data;
    if (conn->read_handler) connCallHandler(conn, conn->read_handler);
}

static void connSocketWriteEvent(aeEventLoop *el, int fd, void *data, int mask) {
    connection *conn = data;
    if (conn->write_handler) connCallHandler(conn, conn->write_handler);
}

/* Points *slot at handler and keeps the descriptor's `mask` event in step:
 * registered (calling `proc`) while a handler is set, removed when NULL. */
static int connSocketSetHandler(connection *conn, ConnectionCallbackFunc *slot, ConnectionCallbackFunc handler,
                                int mask, aeFileProc *proc) {
    if (handler == *slot) return C_OK;
    *slot = handler;
    if (handler == NULL) {
        aeDeleteFileEvent(server.el, conn->fd, mask);
        return C_OK;
    }
    if (aeCreateFileEvent(server.el, conn->fd, mask, proc, conn) == AE_ERR) {
        *slot = NULL;
        return C_ERR;
    }
    return C_OK;
}

static int connSocketSetReadHandler(connection *conn, ConnectionCallbackFunc handler) {
    return connSocketSetHandler(conn, &conn->read_handler, handler, AE_READABLE, connSocketReadEvent);
}

static int connSocketSetWriteHandler(connection *conn, ConnectionCallbackFunc handler) {
    return connSocketSetHandler(conn, &conn->write_handler, handler, AE_WRITABLE, connSocketWriteEvent);
}

static const char *connSocketGetLastError(connection *conn) {
    return strerror(conn->last_errno);
}

static int connSocketFormatAddr(connection *conn, char *buf, size_t len, int remote) {
    return anetFormatFdAddr(conn->fd, buf, len, remote);
}

/* A unix peer is unnamed; both ends are named by the listening path, which
 * is the local address of every socket accepted on it. */
static int connUnixFormatAddr(connection *conn, char *buf, size_t len, int remote) {
    struct sockaddr_un sa;
    socklen_t salen = sizeof(sa);
    if (conn->fd == -1 || getsockname(conn->fd, (struct sockaddr *)&sa, &salen) == -1 || sa.sun_family != AF_UNIX) {
        snprintf(buf, len, "?:0");
        return -1;
    }
    size_t pathlen =
        salen > offsetof(struct sockaddr_un, sun_path) ? salen - offsetof(struct sockaddr_un, sun_path) : 0;
    pathlen = strnlen(sa.sun_path, pathlen);
    snprintf(buf, len, "%.*s:0", (int)pathlen, sa.sun_path);
    return 0;
}

const ConnectionType CT_Socket = {
    .name = "tcp",
    .flags = 0,
    .accept = connSocketAccept,
    .connect = connSocketConnect,
    .blocking_connect = connSocketBlockingConnect,
    .read = connSocketRead,
    .writev = connSocketWritev,
    .close = connSocketClose,
    .set_read_handler = connSocketSetReadHandler,
    .set_write_handler = connSocketSetWriteHandler,
    .get_last_error = connSocketGetLastError,
    .format_addr = connSocketFormatAddr,
};

const ConnectionType CT_Unix = {
    .name = "unix",
    .flags = CONN_TYPE_LOCAL,
    .accept = connSocketAccept,
    .connect = NULL,
    .read = connSocketRead,
    .writev = connSocketWritev,
    .close = connSocketClose,
    .set_read_handler = connSocketSetReadHandler,
    .set_write_handler = connSocketSetWriteHandler,
    .get_last_error = connSocketGetLastError,
    .format_addr = connUnixFormatAddr,
};
