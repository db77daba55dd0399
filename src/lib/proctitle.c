/* proctitle.c -- rewriting the process's command line in place.
 *
 * The kernel placed the argv strings and then the environment strings one
 * after the other in one block of memory, and /proc/<pid>/cmdline shows the
 * argv part of it. procTitleInit() finds how far the contiguous strings go
 * (the room a title can use), copies the arguments and the environment to the
 * heap and points environ at the copy; procTitleSet() then clears the block
 * and writes the title at its start.
 *
 * The kernel reads the block in one of two ways: when the last byte of the
 * original arguments is a NUL, it shows all the original argument bytes;
 * when that byte is something else, it assumes the block was rewritten and
 * shows the text up to the first NUL, even past the original end into the
 * environment's bytes. A title shorter than the arguments therefore gets a
 * space in that last byte, after its own NUL, so that exactly the title is
 * shown.
 *
 * File-scope state: the bounds of that block and the heap copies of the
 * arguments and the environment, set once by procTitleInit() and kept for
 * the life of the process (libc may later swap environ for an array of its
 * own, as setenv does; the strings stay in use).
 */
#include "proctitle.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "zmalloc.h"

static char *title_start; /* argv[0]'s first byte */
static char *title_end;   /* one past the last contiguous string */
static char *args_end;    /* one past the NUL of the last argument */
/* Kept reachable on purpose ("used": stores to them must stay), so that leak
 * checkers do not report the copies once environ points elsewhere. */
static char **args_copy __attribute__((used));
static char **env_copy __attribute__((used));

/* One past the NUL of s when s starts exactly at `end`, else `end`. */
static char *extendIfContiguous(char *end, char *s) {
    return s == end ? s + strlen(s) + 1 : end;
}

char **procTitleInit(int argc, char **argv) {
    char **copy = args_copy = zmalloc(sizeof(char *) * (size_t)(argc + 1));
    for (int j = 0; j < argc; j++) copy[j] = zstrdup(argv[j]);
    copy[argc] = NULL;
    if (argc == 0 || argv[0] == NULL) return copy;

    char *end = argv[0] + strlen(argv[0]) + 1;
    for (int j = 1; j < argc; j++) end = extendIfContiguous(end, argv[j]);
    args_end = end;

    size_t envc = 0;
    while (environ[envc]) envc++;
    char **env = env_copy = zmalloc(sizeof(char *) * (envc + 1));
    for (size_t j = 0; j < envc; j++) {
        end = extendIfContiguous(end, environ[j]);
        env[j] = zstrdup(environ[j]);
    }
    env[envc] = NULL;
    environ = env;

    /* glibc's names of the program point into argv[0] too. */
    program_invocation_name = copy[0];
    const char *slash = strrchr(copy[0], '/');
    program_invocation_short_name = slash ? (char *)slash + 1 : copy[0];

    title_start = argv[0];
    title_end = end;
    return copy;
}

void procTitleSet(const char *title) {
    if (title_start == NULL) return;
    size_t room = (size_t)(title_end - title_start);
    size_t len = strlen(title);
    if (len > room - 1) len = room - 1;
    memset(title_start, 0, room);
    memcpy(title_start, title, len);
    if (title_start + len + 1 < args_end) args_end[-1] = ' ';
}
