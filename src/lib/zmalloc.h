/* zmalloc.h -- allocation with used-memory accounting.
 *
 * Every allocation of the server goes through these wrappers so that
 * zmalloc_used_memory() knows how many bytes are live (the figure behind
 * INFO used_memory and maxmemory). The count is the allocator's usable size
 * of each block, so no header is stored in front of blocks. See zmalloc.c. */
#ifndef EMBER_ZMALLOC_H
#define EMBER_ZMALLOC_H

#include <stddef.h>

/* Allocate size bytes. Never returns NULL: on failure the OOM handler runs
 * (default: log and abort). If a custom handler returns, NULL is returned.
 * The caller owns the block and frees it with zfree(). */
void *zmalloc(size_t size);

/* Like zmalloc(), the block is zero-filled. */
void *zcalloc(size_t size);

/* Like zmalloc(), but returns NULL on failure instead of calling the OOM
 * handler. */
void *ztrymalloc(size_t size);

/* Resize ptr (NULL acts as zmalloc; size 0 frees ptr and returns NULL).
 * On success the old pointer is invalid. On failure the OOM handler runs;
 * if it returns, NULL is returned and ptr is left untouched. */
void *zrealloc(void *ptr, size_t size);

/* Like zrealloc(), but returns NULL on failure (ptr stays valid). */
void *ztryrealloc(void *ptr, size_t size);

/* Free a block from this module. NULL is accepted. */
void zfree(void *ptr);

/* Duplicate a NUL-terminated string into a new zmalloc'ed block. */
char *zstrdup(const char *s);

/* Usable size of a block returned by this module (>= requested size). */
size_t zmalloc_size(void *ptr);

/* The usable size a new block of size bytes would get: jemalloc's size
 * class, or size itself with an allocator that cannot tell beforehand. */
size_t zmalloc_good_size(size_t size);

/* Bytes currently allocated through this module. Thread safe. */
size_t zmalloc_used_memory(void);

/* Install the out-of-memory handler (NULL restores the default one). The
 * handler receives the size that could not be allocated. */
void zmalloc_set_oom_handler(void (*handler)(size_t));

/* Resident set size of this process in bytes (from /proc/self/stat), 0 if
 * it cannot be read. */
size_t zmalloc_get_rss(void);

/* Name of the allocator: "jemalloc-<version>" or "libc". Static string. */
const char *zmalloc_lib_name(void);

/* Allocator statistics for INFO: allocated, active and resident bytes as
 * the allocator reports them. Returns 1 on success, 0 when unavailable
 * (libc), in which case all three are set to 0. */
int zmalloc_get_allocator_info(size_t *allocated, size_t *active, size_t *resident);
/* Writes the allocator's own statistics report, in pieces, through
 * write(opaque, text); text is NUL-terminated and valid only during the
 * call. Returns 1, or 0 without calling write when the allocator has no
 * report (libc). */
int zmalloc_stats_print(void (*write)(void *opaque, const char *text), void *opaque);
/* Asks the allocator to return the dirty pages of every arena to the
 * system now. Returns 1 on success, 0 when unsupported or refused. */
int zmalloc_purge(void);
/* jemalloc's background purging thread on (1) or off (0); 0 if unsupported. */
int zmalloc_set_background_thread(int enable);

#endif
