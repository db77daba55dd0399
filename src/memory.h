/* memory.h — where the server's memory goes (memory.c).
 *
 * One overview of the memory figures (allocator, baseline, overhead,
 * dataset) serves INFO memory and MEMORY STATS alike, so both always agree;
 * objectMemUsage measures one value for MEMORY USAGE.
 */
#ifndef EMBER_MEMORY_H
#define EMBER_MEMORY_H

#include <stddef.h>
#include "object.h"

/* The memory figures of the whole server at one moment. */
typedef struct memoryOverview {
    size_t used;           /* zmalloc_used_memory() */
    size_t peak;           /* highest used seen (server.stat.peak_memory) */
    size_t startup;        /* used once start-up was done */
    size_t rss;            /* resident set size of the process */
    size_t allocated, active, resident; /* as the allocator reports them, 0 for libc */
    size_t clients_normal; /* every client: structure, query and reply buffers */
    size_t tables;         /* the key tables of every database */
    size_t overhead;       /* startup + clients_normal + tables */
    size_t dataset;        /* used - overhead (0 if below) */
    unsigned long long keys; /* keys of every database */
} memoryOverview;

/* Records the baseline of used_memory_startup. Call once, at the end of
 * start-up, before the first client connects. */
void recordStartupMemory(void);

/* disable-thp yes: when the kernel gives transparent huge pages to every
 * process ("always"), this one opts out (huge pages make each fork's
 * copy-on-write and each latency spike worse); with no, a warning says
 * so. Call once at start-up. */
void memoryApplyThpSetting(void);

/* Fills *mo with the figures of this moment; raises the recorded peak when
 * used memory is above it. */
void getMemoryOverview(memoryOverview *mo);

/* a / b, or 0 when b is 0. */
double memoryRatio(double a, double b);

/* An estimate of the bytes value o takes, its robj included. Collections
 * are measured on their first `samples` elements and the average is
 * scaled to their size; samples 0 measures every element. Borrows o. */
size_t objectMemUsage(robj *o, size_t samples);

typedef struct client client;
void memoryUsageCommand(client *c);
void memoryStatsCommand(client *c);
void memoryDoctorCommand(client *c);
void memoryMallocstatsCommand(client *c);
void memoryPurgeCommand(client *c);
void memoryHelpCommand(client *c);

#endif /* EMBER_MEMORY_H */
