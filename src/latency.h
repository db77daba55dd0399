/* latency.h -- the latency monitor (LATENCY) and the per-command latency
 * histograms behind INFO latencystats (see latency.c). */
#ifndef EMBER_LATENCY_H
#define EMBER_LATENCY_H

#include "histogram.h"
#include "object.h"
#include "sds.h"

struct redisCommand;

/* Records a sample of `ms` milliseconds for the named event (a static
 * string) when latency-monitor-threshold is set and ms reaches it. */
void latencyAddSample(const char *event, long long ms);
#define latencyAddSampleIfNeeded(event, ms)                                                         \
    do {                                                                                            \
        if (server.latency.monitor_threshold && (ms) >= server.latency.monitor_threshold)          \
            latencyAddSample((event), (ms));                                                        \
    } while (0)

/* Counts one call that took `us` microseconds in *h, a command's
 * histogram, allocated on the command's first call (once). */
static inline void latencyRecordCommand(histogram **h, uint64_t us) {
    if (*h == NULL) *h = histogramCreate();
    histogramRecord(*h, (uint64_t)us * 1000);
}

/* Appends the INFO latencystats lines of every command with a histogram
 * (none while latency-tracking is off). Takes and returns s. */
sds latencyCatInfo(sds s);

void latencyDoctorCommand(client *c);
void latencyGraphCommand(client *c);
void latencyHelpCommand(client *c);
void latencyHistogramCommand(client *c);
void latencyHistoryCommand(client *c);
void latencyLatestCommand(client *c);
void latencyResetCommand(client *c);

#endif
