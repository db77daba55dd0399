/* anet.c -- thin, error-reporting wrappers over BSD sockets.
 *
 * The server, replication and tests need a few socket recipes: listen on
 * TCP (IPv4 or IPv6) or a unix path, accept, connect, and set options. Each
 * recipe here is one function that either succeeds or leaves a message in
 * the caller's err buffer, formatted "<syscall>: <strerror text>", so the
 * caller can log it verbatim ("bind: Address already in use"). errno is left
 * as the failing syscall set it, so callers can also test for EAGAIN etc.
 *
 * Listening sockets are returned non-blocking and close-on-exec, ready for
 * the event loop. Accepted sockets are close-on-exec; the caller decides on
 * blocking mode. Nothing here keeps state between calls.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "anet.h"

/* Format a message into err (if not NULL), preserving errno. */
static void anetSetError(char *err, const char *fmt, ...) {
    if (!err) return;
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, ANET_ERR_LEN, fmt, ap);
    va_end(ap);
    errno = saved;
}

/* Record "<what>: <strerror(errno)>" and return ANET_ERR. */
static int anetSysError(char *err, const char *what) {
    anetSetError(err, "%s: %s", what, strerror(errno));
    return ANET_ERR;
}

/* Close fd without disturbing errno. */
static void anetCloseQuiet(int fd) {
    int saved = errno;
    close(fd);
    errno = saved;
}

/* ----------------------------- fd options ------------------------------ */

static int anetSetBlock(char *err, int fd, int nonblock) {
    int flags = fcntl(fd, F_GETFL);
    if (flags == -1) return anetSysError(err, "fcntl(F_GETFL)");
    int want = nonblock ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    if (want == flags) return ANET_OK;
    if (fcntl(fd, F_SETFL, want) == -1) return anetSysError(err, "fcntl(F_SETFL,O_NONBLOCK)");
    return ANET_OK;
}

/* Put fd in non-blocking mode. */
int anetNonBlock(char *err, int fd) {
    return anetSetBlock(err, fd, 1);
}

/* Put fd in blocking mode. */
int anetBlock(char *err, int fd) {
    return anetSetBlock(err, fd, 0);
}

/* Set close-on-exec on fd. ANET_OK / ANET_ERR (errno set). */
int anetCloexec(int fd) {
    int flags = fcntl(fd, F_GETFD);
    if (flags == -1) return ANET_ERR;
    if (flags & FD_CLOEXEC) return ANET_OK;
    return fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == -1 ? ANET_ERR : ANET_OK;
}

static int anetSetIntOpt(char *err, int fd, int level, int opt, int val, const char *name) {
    if (setsockopt(fd, level, opt, &val, sizeof(val)) == -1) return anetSysError(err, name);
    return ANET_OK;
}

/* Disable Nagle's algorithm on a TCP socket. */
int anetEnableTcpNoDelay(char *err, int fd) {
    return anetSetIntOpt(err, fd, IPPROTO_TCP, TCP_NODELAY, 1, "setsockopt TCP_NODELAY");
}

/* Re-enable Nagle's algorithm on a TCP socket. */
int anetDisableTcpNoDelay(char *err, int fd) {
    return anetSetIntOpt(err, fd, IPPROTO_TCP, TCP_NODELAY, 0, "setsockopt TCP_NODELAY");
}

/* Enable TCP keepalive: first probe after `interval` idle seconds, then
 * every interval/3 seconds (at least 1), giving up after 3 failed probes. */
int anetKeepAlive(char *err, int fd, int interval) {
    int intvl = interval / 3 > 0 ? interval / 3 : 1;
    if (anetSetIntOpt(err, fd, SOL_SOCKET, SO_KEEPALIVE, 1, "setsockopt SO_KEEPALIVE") == ANET_ERR ||
        anetSetIntOpt(err, fd, IPPROTO_TCP, TCP_KEEPIDLE, interval, "setsockopt TCP_KEEPIDLE") == ANET_ERR ||
        anetSetIntOpt(err, fd, IPPROTO_TCP, TCP_KEEPINTVL, intvl, "setsockopt TCP_KEEPINTVL") == ANET_ERR ||
        anetSetIntOpt(err, fd, IPPROTO_TCP, TCP_KEEPCNT, 3, "setsockopt TCP_KEEPCNT") == ANET_ERR)
        return ANET_ERR;
    return ANET_OK;
}

static int anetSetTimeout(char *err, int fd, int opt, long long ms, const char *name) {
    struct timeval tv;
    tv.tv_sec = (time_t)(ms / 1000);
    tv.tv_usec = (suseconds_t)((ms % 1000) * 1000);
    if (setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof(tv)) == -1) return anetSysError(err, name);
    return ANET_OK;
}

/* Blocking writes on fd fail with EAGAIN after ms milliseconds (0: never). */
int anetSendTimeout(char *err, int fd, long long ms) {
    return anetSetTimeout(err, fd, SO_SNDTIMEO, ms, "setsockopt SO_SNDTIMEO");
}

/* Blocking reads on fd fail with EAGAIN after ms milliseconds (0: never). */
int anetRecvTimeout(char *err, int fd, long long ms) {
    return anetSetTimeout(err, fd, SO_RCVTIMEO, ms, "setsockopt SO_RCVTIMEO");
}

/* ------------------------------ listening ------------------------------ */

static int anetListen(char *err, int s, struct sockaddr *sa, socklen_t len, int backlog) {
    if (bind(s, sa, len) == -1) return anetSysError(err, "bind");
    if (listen(s, backlog) == -1) return anetSysError(err, "listen");
    return ANET_OK;
}

static int anetPrepareListener(char *err, int s) {
    if (anetNonBlock(err, s) == ANET_ERR) return ANET_ERR;
    if (anetCloexec(s) == ANET_ERR) return anetSysError(err, "fcntl(F_SETFD,FD_CLOEXEC)");
    return ANET_OK;
}

/* Try to listen on one resolved address; fd or ANET_ERR. */
static int anetListenOn(char *err, struct addrinfo *p, int af, int backlog) {
    int s = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
    if (s == -1) return anetSysError(err, "socket");
    if ((af == AF_INET6 &&
         anetSetIntOpt(err, s, IPPROTO_IPV6, IPV6_V6ONLY, 1, "setsockopt IPV6_V6ONLY") == ANET_ERR) ||
        anetSetIntOpt(err, s, SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt SO_REUSEADDR") == ANET_ERR ||
        anetListen(err, s, p->ai_addr, p->ai_addrlen, backlog) == ANET_ERR ||
        anetPrepareListener(err, s) == ANET_ERR) {
        anetCloseQuiet(s);
        return ANET_ERR;
    }
    return s;
}

static int anetTcpGenericServer(char *err, int port, const char *bindaddr, int af, int backlog) {
    char portstr[16];
    struct addrinfo hints, *servinfo;
    snprintf(portstr, sizeof(portstr), "%d", port);
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = af;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    if (bindaddr && (!strcmp(bindaddr, "*") || !strcmp(bindaddr, "::*"))) bindaddr = NULL;
    if (af == AF_INET6 && bindaddr && !strcmp(bindaddr, "::")) bindaddr = NULL;
    int rv = getaddrinfo(bindaddr, portstr, &hints, &servinfo);
    if (rv != 0) {
        anetSetError(err, "%s", gai_strerror(rv));
        return ANET_ERR;
    }
    int s = ANET_ERR;
    for (struct addrinfo *p = servinfo; p != NULL && s == ANET_ERR; p = p->ai_next)
        s = anetListenOn(err, p, af, backlog);
    freeaddrinfo(servinfo);
    return s;
}

/* Listen on IPv4 bindaddr:port (NULL or "*" = all interfaces; port 0 = any
 * free port). Returns the non-blocking, close-on-exec listening fd. */
int anetTcpServer(char *err, int port, const char *bindaddr, int backlog) {
    return anetTcpGenericServer(err, port, bindaddr, AF_INET, backlog);
}

/* Listen on IPv6 bindaddr:port only (IPV6_V6ONLY); NULL or "::*" = all. */
int anetTcp6Server(char *err, int port, const char *bindaddr, int backlog) {
    return anetTcpGenericServer(err, port, bindaddr, AF_INET6, backlog);
}

static int anetUnixAddr(char *err, const char *path, struct sockaddr_un *sa) {
    memset(sa, 0, sizeof(*sa));
    size_t len = strlen(path);
    if (len >= sizeof(sa->sun_path)) {
        errno = ENAMETOOLONG;
        anetSetError(err, "unix socket path too long (%zu), must be under %zu",
                     len, sizeof(sa->sun_path));
        return ANET_ERR;
    }
    sa->sun_family = AF_UNIX;
    memcpy(sa->sun_path, path, len + 1);
    return ANET_OK;
}

/* Listen on a unix socket at path. A stale socket file there is removed
 * first (other file types are left alone and make bind fail). perm, if not
 * 0, is applied with chmod. Returns the non-blocking listening fd. */
int anetUnixServer(char *err, const char *path, mode_t perm, int backlog) {
    struct sockaddr_un sa;
    struct stat st;
    if (anetUnixAddr(err, path, &sa) == ANET_ERR) return ANET_ERR;
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) unlink(path);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s == -1) return anetSysError(err, "socket");
    if (anetListen(err, s, (struct sockaddr *)&sa, sizeof(sa), backlog) == ANET_ERR ||
        anetPrepareListener(err, s) == ANET_ERR ||
        (perm && chmod(path, perm) == -1 && anetSysError(err, "chmod") == ANET_ERR)) {
        anetCloseQuiet(s);
        return ANET_ERR;
    }
    return s;
}

/* ------------------------------ accepting ------------------------------ */

static int anetGenericAccept(char *err, int s, struct sockaddr *sa, socklen_t *len) {
    int fd;
    do {
        fd = accept4(s, sa, len, SOCK_CLOEXEC);
    } while (fd == -1 && errno == EINTR);
    if (fd == -1) return anetSysError(err, "accept");
    return fd;
}

/* Fill ip (ip_len bytes) and port from a socket address; unix sockets give
 * their path (or "/unixsocket" when unnamed) and port 0. */
static void anetAddrToString(const struct sockaddr_storage *sa, char *ip, size_t ip_len, int *port) {
    if (sa->ss_family == AF_INET) {
        const struct sockaddr_in *s = (const struct sockaddr_in *)sa;
        if (ip) inet_ntop(AF_INET, &s->sin_addr, ip, (socklen_t)ip_len);
        if (port) *port = ntohs(s->sin_port);
    } else if (sa->ss_family == AF_INET6) {
        const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)sa;
        if (ip) inet_ntop(AF_INET6, &s->sin6_addr, ip, (socklen_t)ip_len);
        if (port) *port = ntohs(s->sin6_port);
    } else {
        const struct sockaddr_un *s = (const struct sockaddr_un *)sa;
        if (ip) snprintf(ip, ip_len, "%s", s->sun_path[0] ? s->sun_path : "/unixsocket");
        if (port) *port = 0;
    }
}

/* Accept a TCP connection: returns the close-on-exec fd and fills the peer
 * ip/port (either may be NULL). ANET_ERR with errno preserved (EAGAIN when
 * nothing is pending on a non-blocking listener). */
int anetTcpAccept(char *err, int serversock, char *ip, size_t ip_len, int *port) {
    struct sockaddr_storage sa;
    socklen_t len = sizeof(sa);
    int fd = anetGenericAccept(err, serversock, (struct sockaddr *)&sa, &len);
    if (fd == ANET_ERR) return ANET_ERR;
    anetAddrToString(&sa, ip, ip_len, port);
    return fd;
}

/* Accept a unix-socket connection: the close-on-exec fd or ANET_ERR. */
int anetUnixAccept(char *err, int serversock) {
    struct sockaddr_un sa;
    socklen_t len = sizeof(sa);
    return anetGenericAccept(err, serversock, (struct sockaddr *)&sa, &len);
}

/* ------------------------------ connecting ----------------------------- */

/* Connect one resolved address; fd (possibly still connecting) or ANET_ERR. */
/* Binds s to source (a numeric or named address of s's family), best
 * effort: a source that does not resolve or bind is left out. */
static void anetBindSource(int s, int family, const char *source) {
    struct addrinfo hints, *info;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(source, NULL, &hints, &info) != 0) return;
    for (struct addrinfo *p = info; p != NULL; p = p->ai_next)
        if (bind(s, p->ai_addr, p->ai_addrlen) == 0) break;
    freeaddrinfo(info);
}

static int anetConnectOne(char *err, struct addrinfo *p, int nonblock, const char *source) {
    int s = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC, p->ai_protocol);
    if (s == -1) return anetSysError(err, "socket");
    if (source) anetBindSource(s, p->ai_family, source);
    if (nonblock && anetNonBlock(err, s) == ANET_ERR) {
        anetCloseQuiet(s);
        return ANET_ERR;
    }
    int rv;
    do {
        rv = connect(s, p->ai_addr, p->ai_addrlen);
    } while (rv == -1 && errno == EINTR && !nonblock);
    if (rv == -1 && !(nonblock && errno == EINPROGRESS)) {
        anetSysError(err, "connect");
        anetCloseQuiet(s);
        return ANET_ERR;
    }
    return s;
}

static int anetTcpGenericConnect(char *err, const char *addr, int port, int nonblock, const char *source) {
    char portstr[16];
    struct addrinfo hints, *servinfo;
    snprintf(portstr, sizeof(portstr), "%d", port);
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rv = getaddrinfo(addr, portstr, &hints, &servinfo);
    if (rv != 0) {
        anetSetError(err, "%s", gai_strerror(rv));
        return ANET_ERR;
    }
    int s = ANET_ERR;
    for (struct addrinfo *p = servinfo; p != NULL && s == ANET_ERR; p = p->ai_next)
        s = anetConnectOne(err, p, nonblock, source);
    freeaddrinfo(servinfo);
    return s;
}

/* Blocking TCP connect to addr (name or numeric, v4 or v6):port. Returns
 * a connected, blocking, close-on-exec fd or ANET_ERR. */
int anetTcpConnect(char *err, const char *addr, int port) {
    return anetTcpGenericConnect(err, addr, port, 0, NULL);
}

/* Start a non-blocking connect; the fd is returned while the connection may
 * still be in progress (wait for writability, then check SO_ERROR). Name
 * resolution itself is blocking. With source (NULL for none) the socket
 * is bound to that local address first, when it can be. */
int anetTcpNonBlockConnect(char *err, const char *addr, int port, const char *source) {
    return anetTcpGenericConnect(err, addr, port, 1, source);
}

/* Blocking connect to the unix socket at path. */
int anetUnixConnect(char *err, const char *path) {
    struct sockaddr_un sa;
    if (anetUnixAddr(err, path, &sa) == ANET_ERR) return ANET_ERR;
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s == -1) return anetSysError(err, "socket");
    if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
        anetSysError(err, "connect");
        anetCloseQuiet(s);
        return ANET_ERR;
    }
    return s;
}

/* ------------------------------ addresses ------------------------------ */

/* Address of the peer (remote=1) or the local end (remote=0) of fd into ip
 * (ip_len bytes) and port; either may be NULL. Unix sockets yield the path
 * (or "/unixsocket" if unnamed) and port 0. ANET_OK / ANET_ERR; on error ip
 * is set to "?" and port to 0. */
int anetFdToString(int fd, char *ip, size_t ip_len, int *port, int remote) {
    struct sockaddr_storage sa;
    socklen_t len = sizeof(sa);
    memset(&sa, 0, sizeof(sa));
    int rv = remote ? getpeername(fd, (struct sockaddr *)&sa, &len)
                    : getsockname(fd, (struct sockaddr *)&sa, &len);
    if (rv == -1) {
        if (ip && ip_len) snprintf(ip, ip_len, "?");
        if (port) *port = 0;
        return ANET_ERR;
    }
    anetAddrToString(&sa, ip, ip_len, port);
    return ANET_OK;
}

/* Format "ip:port" into buf, or "[ip]:port" when ip is IPv6 (contains a
 * ':'), as Redis 7.0 shows addresses in CLIENT LIST. Returns snprintf's
 * result. */
int anetFormatAddr(char *buf, size_t buf_len, const char *ip, int port) {
    return snprintf(buf, buf_len, strchr(ip, ':') ? "[%s]:%d" : "%s:%d", ip, port);
}

/* anetFdToString + anetFormatAddr in one call. */
int anetFormatFdAddr(int fd, char *buf, size_t buf_len, int remote) {
    char ip[sizeof(((struct sockaddr_un *)0)->sun_path) + 1]; /* fits a unix path */
    int port;
    anetFdToString(fd, ip, sizeof(ip), &port, remote);
    return anetFormatAddr(buf, buf_len, ip, port);
}

/* 1 if fd is a unix-domain socket, else 0. */
int anetIsUnixSocket(int fd) {
    struct sockaddr_storage sa;
    socklen_t len = sizeof(sa);
    if (getsockname(fd, (struct sockaddr *)&sa, &len) == -1) return 0;
    return sa.ss_family == AF_UNIX;
}
