/* zmalloc.c -- allocation with used-memory accounting.
 *
 * This module owns one number: the bytes the process has live through it.
 * Each wrapper asks the allocator for the usable size of the block it just
 * got (malloc_usable_size, which jemalloc also provides) and adds or removes
 * that size from an atomic counter. Using the usable size means no header is
 * needed in front of blocks and zmalloc_size() is exact; the counter may be
 * updated from several threads (the lazy-free thread frees), so it is a
 * relaxed atomic.
 *
 * With -DUSE_JEMALLOC the Debian jemalloc header is used; it exports the
 * standard unprefixed names, so the code below is the same for both
 * allocators except for the library name and the statistics query.
 *
 * Allocation failure calls the OOM handler: by default it prints one line
 * to stderr and aborts, because the server cannot continue half-done. */
#include "zmalloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#ifdef USE_JEMALLOC
#include <jemalloc/jemalloc.h>
#else
#include <malloc.h>
#endif

/* Live bytes, counted per thread so the hot path needs no locked
 * instruction: each thread owns one slot (claimed on its first allocation)
 * and is its only writer; zmalloc_used_memory() sums the slots. Memory freed
 * by another thread than the one that allocated it makes a slot go
 * "negative", which the sum absorbs. Slots are cache-line padded. */
#define ZMALLOC_MAX_THREADS 16
static struct {
    _Alignas(64) atomic_llong bytes;
} used_memory[ZMALLOC_MAX_THREADS];
static atomic_int used_memory_slots;
static _Thread_local int my_slot = -1;

static atomic_llong *thread_counter(void) {
    if (my_slot < 0) {
        int slot = atomic_fetch_add_explicit(&used_memory_slots, 1, memory_order_relaxed);
        /* Past the table, threads share the last slot (then the count can
         * race; no more than a handful of threads ever allocate). */
        my_slot = slot < ZMALLOC_MAX_THREADS ? slot : ZMALLOC_MAX_THREADS - 1;
    }
    return &used_memory[my_slot].bytes;
}

/* Adds delta to this thread's slot: a plain load and store, no lock. */
static void add_used(long long delta) {
    atomic_llong *ctr = thread_counter();
    long long v = atomic_load_explicit(ctr, memory_order_relaxed);
    atomic_store_explicit(ctr, v + delta, memory_order_relaxed);
}

static void zmalloc_default_oom(size_t size) {
    fprintf(stderr, "zmalloc: Out of memory trying to allocate %zu bytes\n", size);
    fflush(stderr);
    abort();
}

/* Set once at start-up by the server; read on the failure path only. */
static void (*oom_handler)(size_t) = zmalloc_default_oom;

static size_t block_size(void *ptr) {
    return malloc_usable_size(ptr);
}

static void count_alloc(void *ptr) {
    add_used((long long)block_size(ptr));
}

static void count_free(size_t n) {
    add_used(-(long long)n);
}

void *ztrymalloc(size_t size) {
    void *ptr = malloc(size ? size : 1);
    if (ptr) count_alloc(ptr);
    return ptr;
}

void *zmalloc(size_t size) {
    void *ptr = ztrymalloc(size);
    if (!ptr) oom_handler(size);
    return ptr;
}

void *zcalloc(size_t size) {
    void *ptr = calloc(1, size ? size : 1);
    if (!ptr) {
        oom_handler(size);
        return NULL;
    }
    count_alloc(ptr);
    return ptr;
}

void *ztryrealloc(void *ptr, size_t size) {
    if (ptr == NULL) return ztrymalloc(size);
    if (size == 0) {
        zfree(ptr);
        return NULL;
    }
    size_t oldsize = block_size(ptr);
    void *newptr = realloc(ptr, size);
    if (!newptr) return NULL;
    count_free(oldsize);
    count_alloc(newptr);
    return newptr;
}

void *zrealloc(void *ptr, size_t size) {
    void *newptr = ztryrealloc(ptr, size);
    if (!newptr && size != 0) oom_handler(size);
    return newptr;
}

void zfree(void *ptr) {
    if (ptr == NULL) return;
    count_free(block_size(ptr));
    free(ptr);
}

char *zstrdup(const char *s) {
    size_t l = strlen(s) + 1;
    char *p = zmalloc(l);
    if (p) memcpy(p, s, l);
    return p;
}

size_t zmalloc_size(void *ptr) {
    return block_size(ptr);
}

size_t zmalloc_good_size(size_t size) {
#ifdef USE_JEMALLOC
    return nallocx(size ? size : 1, 0);
#else
    return size;
#endif
}

size_t zmalloc_used_memory(void) {
    long long sum = 0;
    int slots = atomic_load_explicit(&used_memory_slots, memory_order_relaxed);
    if (slots > ZMALLOC_MAX_THREADS) slots = ZMALLOC_MAX_THREADS;
    for (int j = 0; j < slots; j++) sum += atomic_load_explicit(&used_memory[j].bytes, memory_order_relaxed);
    return sum > 0 ? (size_t)sum : 0;
}

void zmalloc_set_oom_handler(void (*handler)(size_t)) {
    oom_handler = handler ? handler : zmalloc_default_oom;
}

/* Field 24 of /proc/self/stat is the RSS in pages. The command name (field
 * 2) may contain spaces, so counting starts after its closing ')'. */
size_t zmalloc_get_rss(void) {
    char buf[1024];
    FILE *fp = fopen("/proc/self/stat", "r");
    if (!fp) return 0;
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p) return 0;
    /* After ')' comes field 3; skip to field 24. */
    for (int field = 2; field < 24 && p; field++) p = strchr(p + 1, ' ');
    if (!p) return 0;
    long long pages = strtoll(p + 1, NULL, 10);
    long pagesize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || pagesize <= 0) return 0;
    return (size_t)pages * (size_t)pagesize;
}

#ifdef USE_JEMALLOC
const char *zmalloc_lib_name(void) {
    static char name[64];
    if (name[0] == '\0') {
        const char *ver = NULL;
        size_t sz = sizeof(ver);
        if (mallctl("version", &ver, &sz, NULL, 0) != 0 || ver == NULL) ver = "unknown";
        /* Keep "5.3.0" out of "5.3.0-0-g54eaed1d...". */
        size_t vlen = strcspn(ver, "-");
        snprintf(name, sizeof(name), "jemalloc-%.*s", (int)vlen, ver);
    }
    return name;
}

static size_t je_stat(const char *what) {
    size_t v = 0, sz = sizeof(v);
    if (mallctl(what, &v, &sz, NULL, 0) != 0) return 0;
    return v;
}

int zmalloc_get_allocator_info(size_t *allocated, size_t *active, size_t *resident) {
    uint64_t epoch = 1;
    size_t sz = sizeof(epoch);
    /* Statistics are cached by jemalloc until the epoch is advanced. */
    mallctl("epoch", &epoch, &sz, &epoch, sz);
    *allocated = je_stat("stats.allocated");
    *active = je_stat("stats.active");
    *resident = je_stat("stats.resident");
    return 1;
}

/* Turns jemalloc's background purging thread on or off (jemalloc-bg-thread):
 * with it, memory freed in bulk is returned to the system off the main
 * thread. Returns 1 when the setting took effect. */
int zmalloc_set_background_thread(int enable) {
    bool val = enable != 0;
    return mallctl("background_thread", NULL, NULL, &val, sizeof(val)) == 0;
}

int zmalloc_stats_print(void (*write)(void *opaque, const char *text), void *opaque) {
    malloc_stats_print(write, opaque, NULL);
    return 1;
}

int zmalloc_purge(void) {
    char name[64];
    snprintf(name, sizeof(name), "arena.%d.purge", MALLCTL_ARENAS_ALL);
    return mallctl(name, NULL, NULL, NULL, 0) == 0;
}
#else
const char *zmalloc_lib_name(void) {
    return "libc";
}

int zmalloc_stats_print(void (*write)(void *opaque, const char *text), void *opaque) {
    (void)write;
    (void)opaque;
    return 0;
}

int zmalloc_purge(void) {
    return 0;
}

int zmalloc_set_background_thread(int enable) {
    (void)enable;
    return 0;
}

int zmalloc_get_allocator_info(size_t *allocated, size_t *active, size_t *resident) {
    *allocated = *active = *resident = 0;
    return 0;
}
#endif
