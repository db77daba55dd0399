/* connection.h — the transport under a client: one vtable per kind of link.
 *
 * A client never sees a file descriptor. It holds a `connection`, and
 * networking.c reads, writes, closes and registers its handlers only through
 * the calls below. Each transport (plain TCP, the unix socket, later TLS and
 * the link to a primary) is one `ConnectionType`: a table of functions that
 * know how to move bytes for that transport. A TLS read may need to write
 * (renegotiation) and a TLS write may wait for readability; that is why
 * handlers are registered through the connection and never directly on the
 * event loop: the type decides which socket events it needs to honour the
 * caller's "tell me when I can read / write".
 *
 * A connection is either accepted (connCreateAccepted, then connAccept) or
 * made by us (connCreate, then connConnect: the link of a replica to its
 * primary), after which both kinds are used alike.
 *
 * A few callers talk to a peer synchronously, outside the event loop, with
 * a deadline (MIGRATE, as Redis does): connBlockingConnect, connSyncWrite
 * and connSyncRead wait with poll(2) on the socket and never register a
 * handler. Such a connection must keep no handlers while it is used so.
 *
 * Handlers are `void h(connection *conn)`; the owner finds itself again with
 * connGetPrivateData(). A handler may close the connection it was called
 * for: connClose() then closes the socket at once and frees the structure
 * only when the outermost handler returns (see `refs`).
 *
 * The hot path costs one indirect call: the wrappers below are static
 * inline and nothing is allocated per read or write.
 */
#ifndef EMBER_CONNECTION_H
#define EMBER_CONNECTION_H

#include "ae.h"

#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

typedef struct connection connection;
typedef void (*ConnectionCallbackFunc)(connection *conn);

typedef enum {
    CONN_STATE_NONE = 0,
    CONN_STATE_CONNECTING, /* an outgoing connect in progress */
    CONN_STATE_ACCEPTING, /* accepted, handshake (if any) not finished */
    CONN_STATE_CONNECTED,
    CONN_STATE_CLOSED, /* the peer closed (read returned 0) */
    CONN_STATE_ERROR   /* a read or write failed; see connGetLastError */
} ConnectionState;

#define CONN_FLAG_CLOSE_SCHEDULED (1 << 0) /* closed inside a handler */

#define CONN_TYPE_LOCAL (1 << 0) /* peer is on this host by construction */

typedef struct ConnectionType {
    const char *name; /* "tcp", "unix", "tls" */
    int flags;        /* CONN_TYPE_* */
    /* Bytes to allocate per connection: a type keeping state of its own
     * embeds `struct connection` as its first member (0: just that). */
    size_t conn_size;
    /* Optional: sets up that state for a socket just accepted. A failure
     * leaves the state ERROR (with get_last_error's text) for accept to
     * report to its handler. */
    void (*init_accepted)(connection *conn);
    /* Finish accepting (a handshake for TLS) and call handler once the
     * state is CONNECTED or ERROR. C_ERR if the handler closed conn. */
    int (*accept)(connection *conn, ConnectionCallbackFunc handler);
    /* Starts a non-blocking connect to addr:port (name resolution itself
     * blocks) and calls handler once the state is CONNECTED or ERROR.
     * C_ERR (state ERROR, errno in last_errno) when it cannot even start.
     * NULL for a type that only accepts. */
    int (*connect)(connection *conn, const char *addr, int port, ConnectionCallbackFunc handler);
    /* Connects to addr:port, waiting at most timeout_ms. C_OK: CONNECTED.
     * C_ERR: ERROR, with last_errno ETIMEDOUT for a timeout, the connect's
     * error (ECONNREFUSED ...) otherwise. NULL for a type that cannot. */
    int (*blocking_connect)(connection *conn, const char *addr, int port, long long timeout_ms);
    /* read(2)/writev(2) semantics: -1 with the state still CONNECTED means
     * "try again later"; -1 with state ERROR is a failure; a read of 0 is
     * the peer closing (state CLOSED). */
    ssize_t (*read)(connection *conn, void *buf, size_t len);
    ssize_t (*writev)(connection *conn, const struct iovec *iov, int iovcnt);
    void (*close)(connection *conn);
    /* NULL removes the handler. C_ERR if the event cannot be registered. */
    int (*set_read_handler)(connection *conn, ConnectionCallbackFunc handler);
    int (*set_write_handler)(connection *conn, ConnectionCallbackFunc handler);
    const char *(*get_last_error)(connection *conn);
    /* "ip:port" ("path:0" for a unix socket) of the peer or of our end. */
    int (*format_addr)(connection *conn, char *buf, size_t len, int remote);
} ConnectionType;

struct connection {
    const ConnectionType *type;
    ConnectionState state;
    int fd;
    int flags; /* CONN_FLAG_* */
    int refs;  /* handlers running on this connection right now */
    int last_errno;
    void *private_data;
    ConnectionCallbackFunc read_handler;
    ConnectionCallbackFunc write_handler;
    ConnectionCallbackFunc conn_handler; /* pending connect's handler */
};

extern const ConnectionType CT_Socket; /* TCP */
extern const ConnectionType CT_Unix;   /* the unix socket */
/* TLS: tlsConnectionType() in tls.h (NULL in a build without TLS). */

/* Wraps a freshly accepted socket fd (taking ownership of it) in a
 * connection of the given type, state ACCEPTING. Makes it non-blocking and
 * close-on-exec. The connection is freed by connClose. */
connection *connCreateAccepted(const ConnectionType *type, int fd);

/* A connection of the given type with no socket yet (state NONE), for an
 * outgoing connect with connConnect. Freed by connClose. */
connection *connCreate(const ConnectionType *type);

/* TCP_NODELAY and keep-alive on the underlying socket (no-ops on a unix
 * socket). C_OK/C_ERR. */
int connEnableTcpNoDelay(connection *conn);
int connKeepAlive(connection *conn, int interval);

/* Runs handler for conn with the deferred-close bookkeeping. Returns 0 if
 * the handler closed the connection (conn is then freed), 1 otherwise. For
 * use by connection types. */
int connCallHandler(connection *conn, ConnectionCallbackFunc handler);

static inline int connAccept(connection *conn, ConnectionCallbackFunc handler) {
    return conn->type->accept(conn, handler);
}

static inline int connConnect(connection *conn, const char *addr, int port, ConnectionCallbackFunc handler) {
    return conn->type->connect(conn, addr, port, handler);
}

/* For TCP-based connection types: opens a non-blocking TCP connect to
 * addr:port into conn (state CONNECTING) and registers on_writable (called
 * with conn as its data) for when the connect completes. C_ERR with
 * conn->last_errno and state ERROR when the socket or event cannot be set
 * up. */
int connTcpStartConnect(connection *conn, const char *addr, int port, aeFileProc *on_writable);

/* C_ERR (last_errno EOPNOTSUPP) for a type without blocking_connect. */
int connBlockingConnect(connection *conn, const char *addr, int port, long long timeout_ms);

/* For connection types: waits for poll(2) events on conn's socket until
 * deadline (getMonotonicUs() / 1000, in ms; -1 never). 1 when they came (or
 * an error did: the next call says which), 0 on timeout (errno
 * ETIMEDOUT), -1 on a poll error. */
int connPollUntil(connection *conn, short events, long long deadline);

static inline ssize_t connRead(connection *conn, void *buf, size_t len) {
    return conn->type->read(conn, buf, len);
}

static inline ssize_t connWritev(connection *conn, const struct iovec *iov, int iovcnt) {
    return conn->type->writev(conn, iov, iovcnt);
}

/* One buffer; same contract as connWritev. */
static inline ssize_t connWrite(connection *conn, const void *buf, size_t len) {
    struct iovec iov = {(void *)buf, len};
    return conn->type->writev(conn, &iov, 1);
}

/* Closes the socket and frees conn (later, if a handler of conn is running:
 * no handler of conn is called after this). conn must not be used after. */
static inline void connClose(connection *conn) {
    conn->type->close(conn);
}

static inline int connSetReadHandler(connection *conn, ConnectionCallbackFunc handler) {
    return conn->type->set_read_handler(conn, handler);
}

static inline int connSetWriteHandler(connection *conn, ConnectionCallbackFunc handler) {
    return conn->type->set_write_handler(conn, handler);
}

static inline int connHasReadHandler(const connection *conn) {
    return conn->read_handler != NULL;
}

static inline int connHasWriteHandler(const connection *conn) {
    return conn->write_handler != NULL;
}

static inline ConnectionState connGetState(const connection *conn) {
    return conn->state;
}

/* Text of the last error; valid until the next call on conn. */
static inline const char *connGetLastError(connection *conn) {
    return conn->type->get_last_error(conn);
}

static inline void connSetPrivateData(connection *conn, void *data) {
    conn->private_data = data;
}

static inline void *connGetPrivateData(const connection *conn) {
    return conn->private_data;
}

static inline int connFormatAddr(connection *conn, char *buf, size_t len, int remote) {
    return conn->type->format_addr(conn, buf, len, remote);
}

/* Whether the peer is on this host by the nature of the transport (a unix
 * socket), whatever its address says. */
static inline int connIsLocalType(const connection *conn) {
    return (conn->type->flags & CONN_TYPE_LOCAL) != 0;
}

/* Blocking I/O, for a session that holds the whole process while it talks
 * to one peer (the Lua debugger, script_ldb.c; MIGRATE's link, made by
 * connBlockingConnect). Each waits with poll(2) on the socket, never
 * through the event loop, so it is safe in a forked child that shares the
 * parent's epoll set; the connection must have no handlers meanwhile.
 * timeout_ms is one deadline for the whole call; < 0 waits forever.
 * connSyncRead returns what one read returns (> 0 bytes, 0 the peer
 * closed, -1 an error or the timeout: errno ETIMEDOUT). connSyncWrite
 * writes all of buf and returns len, or -1 on an error or the timeout. */
ssize_t connSyncRead(connection *conn, void *buf, size_t len, long long timeout_ms);
ssize_t connSyncWrite(connection *conn, const void *buf, size_t len, long long timeout_ms);

/* The descriptor, for CLIENT LIST's fd= field only: never read or write it. */
static inline int connGetFd(const connection *conn) {
    return conn->fd;
}

#endif
