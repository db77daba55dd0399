/* notify_systemd.c — the sd_notify protocol, without libsystemd.
 *
 * Under systemd with Type=notify, the service manager passes the path of a
 * datagram socket in $NOTIFY_SOCKET and waits for the service to send
 * "READY=1" on it. A message is a list of "NAME=value\n" assignments in one
 * datagram. A path starting with '@' names a socket in the Linux abstract
 * namespace: the '@' stands for a leading NUL byte, and the address length
 * must then cover exactly the name, since no terminator marks its end.
 *
 * The server sends "STATUS=..." while loading, "READY=1" once it listens,
 * and "STOPPING=1" at shutdown (those calls are in server.c and loading.c).
 * With WatchdogSec= in the unit, systemd sets $WATCHDOG_USEC (and
 * $WATCHDOG_PID) and restarts a service that stays silent that long:
 * systemdWatchdogFeed sends "WATCHDOG=1" at half that period, from
 * serverCron and from the load, so only a loop that is truly stuck misses
 * it.
 */
#include "server.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Sends sd_notify_msg to the socket named by $NOTIFY_SOCKET. Returns the
 * bytes sent, 0 when the variable is not set (not supervised), -1 on an
 * error (logged). */
int redisCommunicateSystemd(const char *sd_notify_msg) {
    const char *path = getenv("NOTIFY_SOCKET");
    if (path == NULL || path[0] == '\0') return 0;

    struct sockaddr_un addr;
    size_t pathlen = strlen(path);
    if ((path[0] != '/' && path[0] != '@') || pathlen >= sizeof(addr.sun_path)) {
        serverLog(LL_WARNING, "systemd supervision error: NOTIFY_SOCKET is not a usable socket path");
        return -1;
    }
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, path, pathlen);
    socklen_t addrlen;
    if (path[0] == '@') {
        addr.sun_path[0] = '\0';
        addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + pathlen);
    } else {
        addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + pathlen + 1);
    }

    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd == -1) {
        serverLog(LL_WARNING, "systemd supervision error: socket: %s", strerror(errno));
        return -1;
    }
    size_t len = strlen(sd_notify_msg);
    ssize_t sent;
    do {
        sent = sendto(fd, sd_notify_msg, len, MSG_NOSIGNAL, (struct sockaddr *)&addr, addrlen);
    } while (sent == -1 && errno == EINTR);
    if (sent == -1) {
        serverLog(LL_WARNING, "systemd supervision error: sendto: %s", strerror(errno));
        close(fd);
        return -1;
    }
    close(fd);
    return (int)sent;
}

/* Called for "supervised systemd": 1 if the systemd socket answered our
 * first status message, 0 (with a warning) if there is no socket. */
int redisSupervisedSystemd(void) {
    const char *path = getenv("NOTIFY_SOCKET");
    if (path == NULL || path[0] == '\0') {
        serverLog(LL_WARNING, "Supervision by systemd asked for, but NOTIFY_SOCKET is not set: not notifying systemd");
        return 0;
    }
    if (redisCommunicateSystemd("STATUS=Ember is loading...\n") <= 0) return 0;
    serverLog(LL_NOTICE, "Running under systemd supervision (notifications sent to NOTIFY_SOCKET)");
    return 1;
}

/* The watchdog period asked by systemd for this process, in microseconds;
 * 0 when none (read once). */
static long long watchdogPeriodUs(void) {
    static long long period = -1;
    if (period >= 0) return period;
    period = 0;
    const char *usec = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
    if (usec == NULL || (pid != NULL && atoll(pid) != (long long)getpid())) return period;
    long long v = atoll(usec);
    if (v > 0) period = v;
    return period;
}

void systemdWatchdogFeed(void) {
    static long long last_us;
    long long period = watchdogPeriodUs();
    if (period == 0 || server.supervised_mode != SUPERVISED_SYSTEMD) return;
    long long now = ustime();
    if (now - last_us < period / 2) return;
    last_us = now;
    redisCommunicateSystemd("WATCHDOG=1\n");
}
