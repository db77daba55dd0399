/* Unit tests of proctitle.c: the title shows in /proc/self/cmdline, the
 * arguments and the environment survive in their copies. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proctitle.h"
#include "test.h"

/* The content of /proc/self/cmdline into buf without the NUL that ends the
 * last argument (NUL-terminated); its length. */
static size_t readCmdline(char *buf, size_t size) {
    FILE *fp = fopen("/proc/self/cmdline", "r");
    if (fp == NULL) return 0;
    size_t n = fread(buf, 1, size - 1, fp);
    fclose(fp);
    if (n && buf[n - 1] == '\0') n--;
    buf[n] = '\0';
    return n;
}

int main(int argc, char **argv) {
    static char first_arg[4096];
    snprintf(first_arg, sizeof(first_arg), "%s", argv[0]);
    setenv("EMBER_PROCTITLE_TEST", "still here", 1);
    const char *path_before = getenv("PATH");
    char path_copy[4096];
    snprintf(path_copy, sizeof(path_copy), "%s", path_before ? path_before : "");

    char **args = procTitleInit(argc, argv);
    TEST("proctitle: the copy of argv holds the same strings") {
        ASSERT_STREQ(args[0], first_arg);
        ASSERT(args[argc] == NULL);
    }

    char buf[65536];
    TEST("proctitle: a short title is the whole command line") {
        procTitleSet("ember-unit *:6379");
        size_t n = readCmdline(buf, sizeof(buf));
        ASSERT_MEMEQ(buf, n, "ember-unit *:6379", strlen("ember-unit *:6379"));
    }

    TEST("proctitle: a title longer than the room is cut to it") {
        static char longtitle[200000];
        memset(longtitle, 'x', sizeof(longtitle) - 1);
        procTitleSet(longtitle);
        size_t n = readCmdline(buf, sizeof(buf));
        ASSERT(n > strlen(first_arg));
        ASSERT(n < sizeof(longtitle) - 1);
        ASSERT(strspn(buf, "x") == n);
    }

    TEST("proctitle: a shorter title after a long one") {
        procTitleSet("short");
        size_t n = readCmdline(buf, sizeof(buf));
        ASSERT_MEMEQ(buf, n, "short", 5);
    }

    TEST("proctitle: the environment still reads and writes") {
        const char *path = getenv("PATH");
        ASSERT_STREQ(path ? path : "", path_copy);
        ASSERT_STREQ(getenv("EMBER_PROCTITLE_TEST"), "still here");
        setenv("EMBER_PROCTITLE_OTHER", "new", 1);
        ASSERT_STREQ(getenv("EMBER_PROCTITLE_OTHER"), "new");
        ASSERT_STREQ(args[0], first_arg);
    }
    return TEST_REPORT();
}
