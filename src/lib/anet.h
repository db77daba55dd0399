/* anet.h -- thin, error-reporting wrappers over BSD sockets.
 *
 * Every function returns ANET_OK / ANET_ERR, or a file descriptor (>= 0) or
 * ANET_ERR. On failure a message "<syscall>: <strerror text>" is written to
 * err (ANET_ERR_LEN bytes) when err is not NULL. See anet.c.
 */

#ifndef EMBER_ANET_H
#define EMBER_ANET_H

#include <stddef.h>
#include <sys/types.h>

#define ANET_OK 0
#define ANET_ERR -1
#define ANET_ERR_LEN 256

/* Big enough for any textual IPv6 address (INET6_ADDRSTRLEN is 46). */
#define NET_IP_STR_LEN 46
/* "ip:port" of an IPv6 address with brackets, or a unix socket path. */
#define NET_ADDR_STR_LEN (NET_IP_STR_LEN + 32)

int anetTcpServer(char *err, int port, const char *bindaddr, int backlog);
int anetTcp6Server(char *err, int port, const char *bindaddr, int backlog);
int anetUnixServer(char *err, const char *path, mode_t perm, int backlog);
int anetTcpAccept(char *err, int serversock, char *ip, size_t ip_len, int *port);
int anetUnixAccept(char *err, int serversock);
int anetTcpConnect(char *err, const char *addr, int port);
int anetTcpNonBlockConnect(char *err, const char *addr, int port, const char *source);
int anetUnixConnect(char *err, const char *path);
int anetNonBlock(char *err, int fd);
int anetBlock(char *err, int fd);
int anetCloexec(int fd);
int anetEnableTcpNoDelay(char *err, int fd);
int anetDisableTcpNoDelay(char *err, int fd);
int anetKeepAlive(char *err, int fd, int interval);
int anetSendTimeout(char *err, int fd, long long ms);
int anetRecvTimeout(char *err, int fd, long long ms);
int anetFdToString(int fd, char *ip, size_t ip_len, int *port, int remote);
int anetFormatAddr(char *buf, size_t buf_len, const char *ip, int port);
int anetFormatFdAddr(int fd, char *buf, size_t buf_len, int remote);
int anetIsUnixSocket(int fd);

#endif
