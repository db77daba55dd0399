/* Unit tests of zmalloc.c: accounting, OOM handling, helpers. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "zmalloc.h"

/* Let ASan return NULL for impossible sizes instead of reporting them, so
 * the failure paths can be tested. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) {
    return "allocator_may_return_null=1";
}

#define HUGE_SIZE (SIZE_MAX / 4)

static size_t oom_seen;
static int oom_calls;
static void record_oom(size_t size) {
    oom_seen = size;
    oom_calls++;
}

#define THREADS 4
#define ROUNDS 20000
static void *churn(void *arg) {
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        void *a = zmalloc((size_t)(i % 300) + 1);
        void *b = zcalloc(64);
        a = zrealloc(a, (size_t)(i % 1000) + 1);
        zfree(b);
        zfree(a);
    }
    return NULL;
}

/* zmalloc_stats_print writer: adds the length of each piece to *opaque. */
static void count_text(void *opaque, const char *text) {
    *(size_t *)opaque += strlen(text);
}

static void *free_in_thread(void *p) {
    zfree(p);
    return NULL;
}

/* Run the default handler in a child; returns what it wrote to stderr
 * and sets *sig to the signal that ended it. */
static void default_oom_child(char *out, size_t outlen, int *sig) {
    int fds[2];
    *sig = 0;
    out[0] = '\0';
    if (pipe(fds) != 0) return;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        zmalloc_set_oom_handler(NULL);
        zmalloc(HUGE_SIZE);
        _exit(0);
    }
    close(fds[1]);
    size_t used = 0;
    ssize_t n;
    while (used < outlen - 1 && (n = read(fds[0], out + used, outlen - 1 - used)) > 0) used += (size_t)n;
    out[used] = '\0';
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) *sig = WTERMSIG(status);
}

int main(void) {
    TEST("zmalloc counts the usable size") {
        size_t before = zmalloc_used_memory();
        char *p = zmalloc(100);
        ASSERT(p != NULL);
        ASSERT(zmalloc_size(p) >= 100);
        ASSERT_EQ_INT(zmalloc_used_memory() - before, zmalloc_size(p));
        memset(p, 'x', 100);
        zfree(p);
        ASSERT_EQ_INT(zmalloc_used_memory(), before);
    }

    TEST("zmalloc_good_size is at least the size and at most what zmalloc gives") {
        int ok = 1;
        for (size_t n = 0; n < 20000; n += 1 + n / 16) {
            void *p = zmalloc(n);
            size_t good = zmalloc_good_size(n);
            if (good < n || good > zmalloc_size(p)) ok = 0;
            zfree(p);
        }
        ASSERT(ok);
    }

    TEST("zmalloc(0) gives a freeable block") {
        size_t before = zmalloc_used_memory();
        void *p = zmalloc(0);
        ASSERT(p != NULL);
        zfree(p);
        ASSERT_EQ_INT(zmalloc_used_memory(), before);
    }

    TEST("zcalloc zero-fills") {
        size_t before = zmalloc_used_memory();
        unsigned char *p = zcalloc(4096);
        int allzero = 1;
        for (int i = 0; i < 4096; i++) allzero &= p[i] == 0;
        ASSERT(allzero);
        ASSERT_EQ_INT(zmalloc_used_memory() - before, zmalloc_size(p));
        zfree(p);
        ASSERT_EQ_INT(zmalloc_used_memory(), before);
    }

    TEST("zrealloc keeps content and accounting") {
        size_t before = zmalloc_used_memory();
        char *p = zrealloc(NULL, 10);
        memcpy(p, "0123456789", 10);
        p = zrealloc(p, 100000);
        ASSERT(memcmp(p, "0123456789", 10) == 0);
        ASSERT_EQ_INT(zmalloc_used_memory() - before, zmalloc_size(p));
        p = zrealloc(p, 5);
        ASSERT(memcmp(p, "01234", 5) == 0);
        ASSERT_EQ_INT(zmalloc_used_memory() - before, zmalloc_size(p));
        ASSERT(zrealloc(p, 0) == NULL);
        ASSERT_EQ_INT(zmalloc_used_memory(), before);
    }

    TEST("zstrdup copies") {
        size_t before = zmalloc_used_memory();
        char *s = zstrdup("hello world");
        ASSERT_STREQ(s, "hello world");
        char *e = zstrdup("");
        ASSERT_STREQ(e, "");
        ASSERT(zmalloc_used_memory() > before);
        zfree(s);
        zfree(e);
        ASSERT_EQ_INT(zmalloc_used_memory(), before);
    }

    TEST("zfree(NULL) is a no-op") {
        size_t before = zmalloc_used_memory();
        zfree(NULL);
        ASSERT_EQ_INT(zmalloc_used_memory(), before);
    }

    TEST("ztrymalloc returns NULL without calling the handler") {
        size_t before = zmalloc_used_memory();
        zmalloc_set_oom_handler(record_oom);
        oom_calls = 0;
        ASSERT(ztrymalloc(HUGE_SIZE) == NULL);
        ASSERT_EQ_INT(oom_calls, 0);
        void *p = ztrymalloc(16);
        ASSERT(p != NULL);
        zfree(p);
        ASSERT_EQ_INT(zmalloc_used_memory(), before);
    }

    TEST("OOM handler gets the failing size") {
        zmalloc_set_oom_handler(record_oom);
        oom_calls = 0;
        ASSERT(zmalloc(HUGE_SIZE) == NULL);
        ASSERT_EQ_INT(oom_calls, 1);
        ASSERT_EQ_INT(oom_seen, HUGE_SIZE);
        ASSERT(zcalloc(HUGE_SIZE) == NULL);
        ASSERT_EQ_INT(oom_calls, 2);
        char *p = zmalloc(8);
        memcpy(p, "abcdefg", 8);
        ASSERT(zrealloc(p, HUGE_SIZE) == NULL);
        ASSERT_EQ_INT(oom_calls, 3);
        ASSERT_STREQ(p, "abcdefg");
        ASSERT(ztryrealloc(p, HUGE_SIZE) == NULL);
        ASSERT_EQ_INT(oom_calls, 3);
        zfree(p);
        zmalloc_set_oom_handler(NULL);
    }

    TEST("default OOM handler logs and aborts") {
        char out[1024];
        int sig;
        default_oom_child(out, sizeof(out), &sig);
        ASSERT_EQ_INT(sig, SIGABRT);
        char want[128];
        snprintf(want, sizeof(want), "zmalloc: Out of memory trying to allocate %zu bytes\n", (size_t)HUGE_SIZE);
        /* Sanitizer builds may print their own warning lines first. */
        size_t ol = strlen(out), wl = strlen(want);
        ASSERT(ol >= wl && strcmp(out + ol - wl, want) == 0);
        ASSERT(ol == wl || out[ol - wl - 1] == '\n');
    }

    TEST("counter is exact under concurrent use") {
        size_t before = zmalloc_used_memory();
        pthread_t t[THREADS];
        for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, churn, NULL);
        for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
        ASSERT_EQ_INT(zmalloc_used_memory(), before);
    }

    TEST("memory allocated in one thread, freed in another") {
        size_t before = zmalloc_used_memory();
        void *p = zmalloc(12345);
        pthread_t t;
        pthread_create(&t, NULL, free_in_thread, p);
        pthread_join(t, NULL);
        ASSERT_EQ_INT(zmalloc_used_memory(), before);
    }

    TEST("stats report and purge follow the allocator") {
        size_t len = 0;
        int printed = zmalloc_stats_print(count_text, &len);
#ifdef USE_JEMALLOC
        ASSERT_EQ_INT(printed, 1);
        ASSERT(len > 1000);
        void *big = zmalloc(4 << 20);
        zfree(big);
        ASSERT_EQ_INT(zmalloc_purge(), 1);
#else
        ASSERT_EQ_INT(printed, 0);
        ASSERT_EQ_INT(len, 0);
        ASSERT_EQ_INT(zmalloc_purge(), 0);
#endif
    }

    TEST("rss is plausible") {
        size_t rss = zmalloc_get_rss();
        ASSERT(rss > 100 * 1024);
        ASSERT(rss < (size_t)64 * 1024 * 1024 * 1024);
        ASSERT_EQ_INT(rss % (size_t)sysconf(_SC_PAGESIZE), 0);
    }

    TEST("allocator name and info") {
        const char *name = zmalloc_lib_name();
        size_t a, b, c;
        int have = zmalloc_get_allocator_info(&a, &b, &c);
#ifdef USE_JEMALLOC
        ASSERT(strncmp(name, "jemalloc-5.", 11) == 0);
        ASSERT(strchr(name + 9, '-') == NULL);
        ASSERT_EQ_INT(have, 1);
        ASSERT(a > 0 && b >= a && c >= b);
#else
        ASSERT_STREQ(name, "libc");
        ASSERT_EQ_INT(have, 0);
        ASSERT(a == 0 && b == 0 && c == 0);
#endif
    }

    return TEST_REPORT();
}
