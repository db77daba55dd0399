/* test_anet.c -- unit tests of anet.c over loopback and unix sockets.
 *
 * Every listener binds port 0 so the kernel picks a free port, which the
 * test reads back with anetFdToString. Socket options are verified with
 * getsockopt rather than trusted. IPv6 tests are skipped (and say so) when
 * the machine has no ::1.
 */

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "anet.h"
#include "unit/test.h"

static int getIntOpt(int fd, int level, int opt) {
    int v = -1;
    socklen_t len = sizeof(v);
    if (getsockopt(fd, level, opt, &v, &len) == -1) return -1;
    return v;
}

static int isNonBlocking(int fd) {
    return (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0;
}

static int isCloexec(int fd) {
    return (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
}

/* Send a few bytes a -> b and check they arrive. */
static int roundTrip(int a, int b) {
    char buf[8] = {0};
    if (write(a, "ping", 4) != 4) return 0;
    struct pollfd p = {.fd = b, .events = POLLIN, .revents = 0};
    if (poll(&p, 1, 2000) != 1) return 0;
    return read(b, buf, sizeof(buf)) == 4 && memcmp(buf, "ping", 4) == 0;
}

static void testTcp4(void) {
    char err[ANET_ERR_LEN] = "", ip[NET_IP_STR_LEN];
    int port = 0;
    int ls = anetTcpServer(err, 0, "127.0.0.1", 16);
    ASSERT(ls >= 0);
    if (ls < 0) {
        fprintf(stderr, "    listen failed: %s\n", err);
        return;
    }
    ASSERT(isNonBlocking(ls) && isCloexec(ls));
    ASSERT(anetFdToString(ls, ip, sizeof(ip), &port, 0) == ANET_OK);
    ASSERT_STREQ(ip, "127.0.0.1");
    ASSERT(port > 0);
    ASSERT(anetIsUnixSocket(ls) == 0);

    /* Nothing pending: EAGAIN comes back through errno. */
    errno = 0;
    ASSERT(anetTcpAccept(err, ls, ip, sizeof(ip), NULL) == ANET_ERR);
    ASSERT(errno == EAGAIN || errno == EWOULDBLOCK);
    ASSERT(strncmp(err, "accept: ", 8) == 0);

    int cfd = anetTcpConnect(err, "127.0.0.1", port);
    ASSERT(cfd >= 0);
    ASSERT(isCloexec(cfd) && !isNonBlocking(cfd));
    struct pollfd p = {.fd = ls, .events = POLLIN, .revents = 0};
    ASSERT(poll(&p, 1, 2000) == 1);
    int peerport = 0, cport = 0;
    char cip[NET_IP_STR_LEN];
    int sfd = anetTcpAccept(err, ls, ip, sizeof(ip), &peerport);
    ASSERT(sfd >= 0);
    ASSERT(isCloexec(sfd));
    ASSERT(anetFdToString(cfd, cip, sizeof(cip), &cport, 0) == ANET_OK);
    ASSERT_STREQ(ip, "127.0.0.1");
    ASSERT_EQ_INT(peerport, cport);
    ASSERT(anetFdToString(sfd, cip, sizeof(cip), &cport, 1) == ANET_OK);
    ASSERT_EQ_INT(cport, peerport);
    ASSERT(anetFdToString(cfd, cip, sizeof(cip), &cport, 1) == ANET_OK);
    ASSERT_EQ_INT(cport, port);
    ASSERT(roundTrip(cfd, sfd) && roundTrip(sfd, cfd));

    char addr[NET_ADDR_STR_LEN], want[NET_ADDR_STR_LEN];
    snprintf(want, sizeof(want), "127.0.0.1:%d", port);
    ASSERT(anetFormatFdAddr(cfd, addr, sizeof(addr), 1) > 0);
    ASSERT_STREQ(addr, want);

    /* Options, checked through getsockopt. */
    ASSERT(anetEnableTcpNoDelay(err, sfd) == ANET_OK);
    ASSERT(getIntOpt(sfd, IPPROTO_TCP, TCP_NODELAY) != 0);
    ASSERT(anetDisableTcpNoDelay(err, sfd) == ANET_OK);
    ASSERT(getIntOpt(sfd, IPPROTO_TCP, TCP_NODELAY) == 0);
    ASSERT(anetKeepAlive(err, sfd, 300) == ANET_OK);
    ASSERT(getIntOpt(sfd, SOL_SOCKET, SO_KEEPALIVE) == 1);
    ASSERT(getIntOpt(sfd, IPPROTO_TCP, TCP_KEEPIDLE) == 300);
    ASSERT(getIntOpt(sfd, IPPROTO_TCP, TCP_KEEPINTVL) == 100);
    ASSERT(getIntOpt(sfd, IPPROTO_TCP, TCP_KEEPCNT) == 3);
    ASSERT(anetKeepAlive(err, cfd, 2) == ANET_OK);
    ASSERT(getIntOpt(cfd, IPPROTO_TCP, TCP_KEEPINTVL) == 1);
    ASSERT(anetSendTimeout(err, sfd, 1500) == ANET_OK);
    struct timeval tv = {0, 0};
    socklen_t tvlen = sizeof(tv);
    ASSERT(getsockopt(sfd, SOL_SOCKET, SO_SNDTIMEO, &tv, &tvlen) == 0);
    ASSERT(tv.tv_sec == 1 && tv.tv_usec >= 490000 && tv.tv_usec <= 510000);
    ASSERT(anetRecvTimeout(err, sfd, 250) == ANET_OK);
    ASSERT(getsockopt(sfd, SOL_SOCKET, SO_RCVTIMEO, &tv, &tvlen) == 0);
    ASSERT(tv.tv_sec == 0 && tv.tv_usec >= 240000);
    ASSERT(anetNonBlock(err, sfd) == ANET_OK && isNonBlocking(sfd));
    ASSERT(anetBlock(err, sfd) == ANET_OK && !isNonBlocking(sfd));
    ASSERT(anetEnableTcpNoDelay(err, -1) == ANET_ERR);
    ASSERT(strncmp(err, "setsockopt TCP_NODELAY: ", 24) == 0);
    ASSERT(anetNonBlock(err, -1) == ANET_ERR);
    ASSERT(anetCloexec(-1) == ANET_ERR);

    /* The port is taken now: a second listener must fail with strerror text. */
    err[0] = '\0';
    ASSERT(anetTcpServer(err, port, "127.0.0.1", 16) == ANET_ERR);
    ASSERT(strstr(err, "Address already in use") != NULL);
    ASSERT(strncmp(err, "bind: ", 6) == 0);

    close(cfd);
    close(sfd);
    close(ls);

    /* Nobody listens there any more. */
    ASSERT(anetTcpConnect(err, "127.0.0.1", port) == ANET_ERR);
    ASSERT(strstr(err, "Connection refused") != NULL);
}

static void testTcpAnyAndNonBlockConnect(void) {
    char err[ANET_ERR_LEN], ip[NET_IP_STR_LEN];
    int port = 0;
    int ls = anetTcpServer(err, 0, "*", 8);
    ASSERT(ls >= 0);
    if (ls < 0) return;
    ASSERT(anetFdToString(ls, ip, sizeof(ip), &port, 0) == ANET_OK);
    ASSERT_STREQ(ip, "0.0.0.0");
    int nls = anetTcpServer(err, 0, NULL, 8);
    ASSERT(nls >= 0);
    close(nls);

    int cfd = anetTcpNonBlockConnect(err, "127.0.0.1", port, NULL);
    ASSERT(cfd >= 0);
    ASSERT(isNonBlocking(cfd));
    struct pollfd p = {.fd = cfd, .events = POLLOUT, .revents = 0};
    ASSERT(poll(&p, 1, 2000) == 1);
    ASSERT(getIntOpt(cfd, SOL_SOCKET, SO_ERROR) == 0);
    struct pollfd q = {.fd = ls, .events = POLLIN, .revents = 0};
    ASSERT(poll(&q, 1, 2000) == 1);
    int sfd = anetTcpAccept(err, ls, NULL, 0, NULL);
    ASSERT(sfd >= 0);
    ASSERT(roundTrip(sfd, cfd));
    close(sfd);
    close(cfd);
    close(ls);
}

static void testTcp6(void) {
    char err[ANET_ERR_LEN], ip[NET_IP_STR_LEN];
    int port = 0;
    int ls = anetTcp6Server(err, 0, "::1", 8);
    if (ls == ANET_ERR) {
        fprintf(stderr, "    [skipped: no IPv6 loopback: %s]\n", err);
        return;
    }
    ASSERT(anetFdToString(ls, ip, sizeof(ip), &port, 0) == ANET_OK);
    ASSERT_STREQ(ip, "::1");
    ASSERT(getIntOpt(ls, IPPROTO_IPV6, IPV6_V6ONLY) == 1);
    int cfd = anetTcpConnect(err, "::1", port);
    ASSERT(cfd >= 0);
    struct pollfd p = {.fd = ls, .events = POLLIN, .revents = 0};
    ASSERT(poll(&p, 1, 2000) == 1);
    int peerport = 0;
    int sfd = anetTcpAccept(err, ls, ip, sizeof(ip), &peerport);
    ASSERT(sfd >= 0);
    ASSERT_STREQ(ip, "::1");
    ASSERT(peerport > 0);
    ASSERT(roundTrip(cfd, sfd));
    char addr[NET_ADDR_STR_LEN], want[NET_ADDR_STR_LEN];
    snprintf(want, sizeof(want), "[::1]:%d", port);
    anetFormatFdAddr(sfd, addr, sizeof(addr), 0);
    ASSERT_STREQ(addr, want);
    close(sfd);
    close(cfd);
    close(ls);
    int any = anetTcp6Server(err, 0, "::*", 8);
    ASSERT(any >= 0);
    ASSERT(anetFdToString(any, ip, sizeof(ip), NULL, 0) == ANET_OK);
    ASSERT_STREQ(ip, "::");
    close(any);
}

static void testFormat(void) {
    char buf[NET_ADDR_STR_LEN];
    anetFormatAddr(buf, sizeof(buf), "10.0.0.1", 6379);
    ASSERT_STREQ(buf, "10.0.0.1:6379");
    anetFormatAddr(buf, sizeof(buf), "fe80::1", 80);
    ASSERT_STREQ(buf, "[fe80::1]:80");
    anetFormatAddr(buf, sizeof(buf), "/tmp/redis.sock", 0);
    ASSERT_STREQ(buf, "/tmp/redis.sock:0");
    char ip[NET_IP_STR_LEN];
    int port = 5;
    ASSERT(anetFdToString(-1, ip, sizeof(ip), &port, 1) == ANET_ERR);
    ASSERT_STREQ(ip, "?");
    ASSERT(port == 0);
}

static void testUnix(void) {
    char err[ANET_ERR_LEN], path[64], ip[NET_ADDR_STR_LEN];
    snprintf(path, sizeof(path), "/tmp/ember-test-anet-%d.sock", (int)getpid());
    unlink(path);
    int ls = anetUnixServer(err, path, 0700, 8);
    ASSERT(ls >= 0);
    if (ls < 0) return;
    struct stat st;
    ASSERT(stat(path, &st) == 0 && S_ISSOCK(st.st_mode));
    ASSERT((st.st_mode & 0777) == 0700);
    ASSERT(isNonBlocking(ls) && isCloexec(ls));
    ASSERT(anetIsUnixSocket(ls) == 1);
    int port = -1;
    ASSERT(anetFdToString(ls, ip, sizeof(ip), &port, 0) == ANET_OK);
    ASSERT_STREQ(ip, path);
    ASSERT(port == 0);

    errno = 0;
    ASSERT(anetUnixAccept(err, ls) == ANET_ERR && errno == EAGAIN);
    int cfd = anetUnixConnect(err, path);
    ASSERT(cfd >= 0);
    int sfd = anetUnixAccept(err, ls);
    ASSERT(sfd >= 0);
    ASSERT(isCloexec(sfd));
    ASSERT(roundTrip(cfd, sfd));
    ASSERT(anetFdToString(sfd, ip, sizeof(ip), &port, 1) == ANET_OK);
    ASSERT_STREQ(ip, "/unixsocket");  /* the client end has no name */
    close(cfd);
    close(sfd);
    close(ls);

    /* The stale socket file is replaced; perm 0 leaves the umask mode. */
    ls = anetUnixServer(err, path, 0, 8);
    ASSERT(ls >= 0);
    close(ls);
    unlink(path);

    /* A regular file is never removed: bind fails. */
    FILE *f = fopen(path, "w");
    ASSERT(f != NULL);
    if (f) fclose(f);
    ASSERT(anetUnixServer(err, path, 0, 8) == ANET_ERR);
    ASSERT(strstr(err, "Address already in use") != NULL);
    ASSERT(stat(path, &st) == 0 && S_ISREG(st.st_mode));
    unlink(path);

    char longpath[200];
    memset(longpath, 'a', sizeof(longpath) - 1);
    longpath[0] = '/';
    longpath[sizeof(longpath) - 1] = '\0';
    ASSERT(anetUnixServer(err, longpath, 0, 8) == ANET_ERR);
    ASSERT(strstr(err, "too long") != NULL);
}

int main(void) {
    TEST("anet: IPv4 listen, connect, accept, options, busy port") testTcp4();
    TEST("anet: any-address listen and non-blocking connect") testTcpAnyAndNonBlockConnect();
    TEST("anet: IPv6 loopback") testTcp6();
    TEST("anet: address formatting") testFormat();
    TEST("anet: unix socket with permissions") testUnix();
    return TEST_REPORT();
}
