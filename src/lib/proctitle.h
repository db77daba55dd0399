/* proctitle.h -- the title `ps` and /proc/<pid>/cmdline show for this process.
 *
 * On Linux the command line a process shows is the memory its argv strings
 * were given in at exec time, followed by its environment strings. To change
 * it, that memory is overwritten; prctl(PR_SET_NAME) only changes the short
 * name of `ps -o comm`. procTitleInit() first moves what lives there to the
 * heap: the environment (environ is replaced by a copy, so getenv and setenv
 * keep working) and the arguments (a copy is returned). */
#ifndef EMBER_PROCTITLE_H
#define EMBER_PROCTITLE_H

/* Call once, early in main, with main's own argc and argv, before anything
 * keeps a pointer into argv or the environment. Returns a NULL-terminated
 * heap copy of argv that lives as long as the process: use it instead of
 * argv from then on, since procTitleSet() overwrites the original strings. */
char **procTitleInit(int argc, char **argv);

/* Shows `title` as the whole command line of the process, cut to the room
 * the original arguments and environment had. Does nothing before
 * procTitleInit(). `title` is borrowed. */
void procTitleSet(const char *title);

#endif
