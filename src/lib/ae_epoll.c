/* ae_epoll.c -- Linux epoll backend of the event loop.
 *
 * Not compiled alone: ae.c includes it after defining aeEventLoop, so these
 * functions are static to ae.c. The backend state is the epoll descriptor
 * and an array of setsize epoll_event slots that epoll_wait fills.
 *
 * Registration is level-triggered. The kernel keeps one interest mask per
 * fd, so adding or removing a direction recomputes the whole mask from the
 * loop's record (events[fd].mask) and issues ADD, MOD or DEL accordingly.
 * An error or hang-up on an fd is reported as both readable and writable so
 * whichever handler is installed sees the failure on its next syscall.
 */

#include <sys/epoll.h>
#include <unistd.h>

typedef struct aeApiState {
    int epfd;
    struct epoll_event *events;
} aeApiState;

static int aeApiCreate(aeEventLoop *el) {
    aeApiState *state = zmalloc(sizeof(*state));
    state->events = zmalloc(sizeof(struct epoll_event) * (size_t)el->setsize);
    state->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (state->epfd == -1) {
        zfree(state->events);
        zfree(state);
        return -1;
    }
    el->apidata = state;
    return 0;
}

static int aeApiResize(aeEventLoop *el, int setsize) {
    aeApiState *state = el->apidata;
    state->events = zrealloc(state->events, sizeof(struct epoll_event) * (size_t)setsize);
    return 0;
}

static void aeApiFree(aeEventLoop *el) {
    aeApiState *state = el->apidata;
    close(state->epfd);
    zfree(state->events);
    zfree(state);
}

static uint32_t aeApiKernelMask(int mask) {
    uint32_t ev = 0;
    if (mask & AE_READABLE) ev |= EPOLLIN;
    if (mask & AE_WRITABLE) ev |= EPOLLOUT;
    return ev;
}

static int aeApiAddEvent(aeEventLoop *el, int fd, int mask) {
    aeApiState *state = el->apidata;
    struct epoll_event ee = {0};
    int old = el->events[fd].mask;
    int op = old == AE_NONE ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    ee.events = aeApiKernelMask(old | mask);
    ee.data.fd = fd;
    return epoll_ctl(state->epfd, op, fd, &ee) == -1 ? -1 : 0;
}

static void aeApiDelEvent(aeEventLoop *el, int fd, int delmask) {
    aeApiState *state = el->apidata;
    struct epoll_event ee = {0};
    int left = el->events[fd].mask & ~delmask;
    ee.events = aeApiKernelMask(left);
    ee.data.fd = fd;
    /* Errors are ignored: the fd may already be closed, which removed it. */
    if (left & (AE_READABLE | AE_WRITABLE))
        (void)epoll_ctl(state->epfd, EPOLL_CTL_MOD, fd, &ee);
    else
        (void)epoll_ctl(state->epfd, EPOLL_CTL_DEL, fd, &ee);
}

/* Wait up to timeout ms (-1 forever) and fill el->fired. Returns the number
 * of ready fds; 0 on timeout or signal interruption. */
static int aeApiPoll(aeEventLoop *el, int timeout) {
    aeApiState *state = el->apidata;
    int n = epoll_wait(state->epfd, state->events, el->setsize, timeout);
    if (n == -1) {
        if (errno == EINTR) return 0;
        fprintf(stderr, "aeApiPoll: epoll_wait: %s\n", strerror(errno));
        abort();
    }
    for (int j = 0; j < n; j++) {
        struct epoll_event *e = &state->events[j];
        int mask = 0;
        if (e->events & EPOLLIN) mask |= AE_READABLE;
        if (e->events & EPOLLOUT) mask |= AE_WRITABLE;
        if (e->events & (EPOLLERR | EPOLLHUP)) mask |= AE_READABLE | AE_WRITABLE;
        el->fired[j].fd = e->data.fd;
        el->fired[j].mask = mask;
    }
    return n;
}

static const char *aeApiName(void) {
    return "epoll";
}
