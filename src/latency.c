/* latency.c -- the latency monitor and the per-command latency histograms.
 *
 * The monitor. Code that may be slow (call() for every command) reports
 * its duration with latencyAddSampleIfNeeded(event, ms); a sample of at
 * least latency-monitor-threshold milliseconds (0: monitor off) is kept
 * under its event name. An event keeps its last LATENCY_TS_LEN samples in
 * a ring, at most one per second (two samples in the same second keep the
 * larger), and the largest it ever saw. The events today: "command" and
 * "fast-command" (commands flagged fast) from call(), and
 * "command-unblocking" for a blocked command when it is served. LATENCY
 * LATEST, HISTORY, GRAPH, DOCTOR and RESET read and clear them.
 *
 * The histograms. With latency-tracking on, call() counts every command's
 * duration in that command's own histogram (src/lib/histogram.c, in
 * nanoseconds like Redis's, so the numbers printed are the same), created
 * on its first call. INFO latencystats prints the percentiles of
 * latency-tracking-info-percentiles from them; LATENCY HISTOGRAM prints
 * their counts in power-of-two buckets; CONFIG RESETSTAT frees them
 * (commands.c). */
#include "server.h"
#include "latency.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define LATENCY_TS_LEN 160
#define LATENCY_MAX_EVENTS 32
#define LATENCY_GRAPH_COLUMNS 80
#define LATENCY_GRAPH_ROWS 4

typedef struct latencySample {
    int32_t time; /* unix time, seconds; 0: slot unused */
    uint32_t latency; /* milliseconds */
} latencySample;

typedef struct latencyEvent {
    const char *name;
    int next; /* ring slot the next sample goes to */
    uint32_t max;
    latencySample samples[LATENCY_TS_LEN];
} latencyEvent;

/* The events seen since start-up or the last LATENCY RESET, in the order
 * they first appeared; unused entries have a NULL name. */
static latencyEvent *events[LATENCY_MAX_EVENTS];

/* The event named exactly `name` (LATENCY HISTORY and GRAPH match case
 * sensitively, RESET does not, as in Redis). */
static latencyEvent *findEvent(const char *name) {
    for (int j = 0; j < LATENCY_MAX_EVENTS; j++)
        if (events[j] && !strcmp(events[j]->name, name)) return events[j];
    return NULL;
}

static latencyEvent *findOrCreateEvent(const char *name) {
    latencyEvent *ev = findEvent(name);
    if (ev) return ev;
    for (int j = 0; j < LATENCY_MAX_EVENTS; j++) {
        if (events[j] == NULL) {
            events[j] = zcalloc(sizeof(latencyEvent));
            events[j]->name = name;
            return events[j];
        }
    }
    return NULL;
}

void latencyAddSample(const char *event, long long ms) {
    latencyEvent *ev = findOrCreateEvent(event);
    if (ev == NULL) return;
    uint32_t lat = ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
    int32_t now = (int32_t)time(NULL);
    if (lat > ev->max) ev->max = lat;
    latencySample *prev = &ev->samples[(ev->next + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN];
    if (prev->time == now) {
        if (lat > prev->latency) prev->latency = lat;
        return;
    }
    ev->samples[ev->next].time = now;
    ev->samples[ev->next].latency = lat;
    ev->next = (ev->next + 1) % LATENCY_TS_LEN;
}

/* The i-th oldest sample slot of ev (0 <= i < LATENCY_TS_LEN). */
static latencySample *sampleAt(latencyEvent *ev, int i) {
    return &ev->samples[(ev->next + i) % LATENCY_TS_LEN];
}

static latencySample *latestSample(latencyEvent *ev) {
    return sampleAt(ev, LATENCY_TS_LEN - 1);
}

/* ------------------------------------------------------------ the monitor commands */

void latencyLatestCommand(client *c) {
    int n = 0;
    for (int j = 0; j < LATENCY_MAX_EVENTS; j++) n += events[j] != NULL;
    addReplyArrayLen(c, n);
    for (int j = 0; j < LATENCY_MAX_EVENTS; j++) {
        if (events[j] == NULL) continue;
        latencySample *last = latestSample(events[j]);
        addReplyArrayLen(c, 4);
        addReplyBulkCString(c, events[j]->name);
        addReplyLongLong(c, last->time);
        addReplyLongLong(c, last->latency);
        addReplyLongLong(c, events[j]->max);
    }
}

static int usedSamples(latencyEvent *ev) {
    int n = 0;
    for (int i = 0; i < LATENCY_TS_LEN; i++) n += ev->samples[i].time != 0;
    return n;
}

void latencyHistoryCommand(client *c) {
    latencyEvent *ev = findEvent(c->argv[2]->ptr);
    if (ev == NULL) {
        addReplyArrayLen(c, 0);
        return;
    }
    addReplyArrayLen(c, usedSamples(ev));
    for (int i = 0; i < LATENCY_TS_LEN; i++) {
        latencySample *s = sampleAt(ev, i);
        if (s->time == 0) continue;
        addReplyArrayLen(c, 2);
        addReplyLongLong(c, s->time);
        addReplyLongLong(c, s->latency);
    }
}

static void freeEvent(int j) {
    zfree(events[j]);
    events[j] = NULL;
}

void latencyResetCommand(client *c) {
    long long resets = 0;
    for (int j = 0; j < LATENCY_MAX_EVENTS; j++) {
        if (events[j] == NULL) continue;
        int wanted = c->argc == 2;
        for (int a = 2; a < c->argc && !wanted; a++) wanted = !strcasecmp(c->argv[a]->ptr, events[j]->name);
        if (wanted) {
            freeEvent(j);
            resets++;
        }
    }
    addReplyLongLong(c, resets);
}

/* "12s", "5m", "3h": how long ago t was, in at most a few characters. */
static void formatAge(char *buf, size_t len, long long age) {
    if (age < 60)
        snprintf(buf, len, "%llds", age);
    else if (age < 3600)
        snprintf(buf, len, "%lldm", age / 60);
    else
        snprintf(buf, len, "%lldh", age / 3600);
}

/* The graph: a header with the extremes, then one column per sample (the
 * newest LATENCY_GRAPH_COLUMNS), '#' at the column's height and '|' below,
 * and under each column how long ago it was, written downwards. */
static sds latencyGraph(latencyEvent *ev) {
    latencySample *cols[LATENCY_GRAPH_COLUMNS];
    int n = 0;
    uint32_t high = 0, low = UINT32_MAX;
    for (int i = 0; i < LATENCY_TS_LEN; i++) {
        latencySample *s = sampleAt(ev, i);
        if (s->time == 0) continue;
        if (n == LATENCY_GRAPH_COLUMNS) memmove(cols, cols + 1, sizeof(cols[0]) * --n);
        cols[n++] = s;
    }
    for (int i = 0; i < n; i++) {
        if (cols[i]->latency > high) high = cols[i]->latency;
        if (cols[i]->latency < low) low = cols[i]->latency;
    }
    sds g = sdscatprintf(sdsempty(), "%s - high %u ms, low %u ms (all time high %u ms)\n", ev->name, high, low,
                         ev->max);
    for (int i = 0; i < LATENCY_GRAPH_COLUMNS; i++) g = sdscatlen(g, "-", 1);
    g = sdscatlen(g, "\n", 1);
    for (int row = LATENCY_GRAPH_ROWS; row >= 1; row--) {
        for (int i = 0; i < n; i++) {
            uint32_t span = high - low;
            int level = span ? 1 + (int)((uint64_t)(cols[i]->latency - low) * (LATENCY_GRAPH_ROWS - 1) / span)
                             : LATENCY_GRAPH_ROWS;
            g = sdscatlen(g, level == row ? "#" : (level > row ? "|" : " "), 1);
        }
        g = sdscatlen(g, "\n", 1);
    }
    char ages[LATENCY_GRAPH_COLUMNS][24];
    long long now = (long long)time(NULL);
    for (int i = 0; i < n; i++) formatAge(ages[i], sizeof(ages[i]), now - cols[i]->time);
    for (int row = 0; row < 4; row++) {
        for (int i = 0; i < n; i++) g = sdscatlen(g, (int)strlen(ages[i]) > row ? &ages[i][row] : " ", 1);
        g = sdscatlen(g, "\n", 1);
    }
    return g;
}

void latencyGraphCommand(client *c) {
    latencyEvent *ev = findEvent(c->argv[2]->ptr);
    if (ev == NULL || usedSamples(ev) == 0) {
        addReplyErrorFormat(c, "No samples available for event '%s'", (char *)c->argv[2]->ptr);
        return;
    }
    sds g = latencyGraph(ev);
    addReplyVerbatim(c, g, sdslen(g), "txt");
    sdsfree(g);
}

/* One line of the report on ev: how many samples, their mean and the worst. */
static sds catEventReport(sds r, int nr, latencyEvent *ev) {
    long long sum = 0;
    int n = 0;
    for (int i = 0; i < LATENCY_TS_LEN; i++) {
        if (ev->samples[i].time == 0) continue;
        sum += ev->samples[i].latency;
        n++;
    }
    latencySample *last = latestSample(ev);
    return sdscatprintf(r, "%d. %s: %d sample%s kept, mean %lld ms, latest %u ms, worst ever %u ms.\n", nr, ev->name,
                        n, n == 1 ? "" : "s", n ? sum / n : 0, last->latency, ev->max);
}

static sds latencyReport(void) {
    int nr = 0;
    sds r = sdsempty();
    for (int j = 0; j < LATENCY_MAX_EVENTS; j++)
        if (events[j]) r = catEventReport(r, ++nr, events[j]);
    long long threshold = server.latency.monitor_threshold;
    if (nr == 0) {
        sdsfree(r);
        if (threshold == 0)
            return sdsnew("The latency monitor is off (latency-monitor-threshold is 0), so no event was recorded. "
                          "Set it with CONFIG SET latency-monitor-threshold <milliseconds> to start.\n");
        return sdscatprintf(sdsempty(), "No event took %lld ms or more since the server started or since the last "
                                        "LATENCY RESET.\n", threshold);
    }
    sds head = sdscatprintf(sdsempty(), "Events that took %lld ms or more:\n\n", threshold);
    head = sdscatsds(head, r);
    sdsfree(r);
    r = head;
    long long slower = server.slowlog.log_slower_than;
    if (slower < 0 || slower > threshold * 1000)
        r = sdscatprintf(r, "\nThe slow log would not show these commands: lower slowlog-log-slower-than to %lld "
                            "microseconds or less to see them with SLOWLOG GET.\n", threshold * 1000);
    return r;
}

void latencyDoctorCommand(client *c) {
    sds r = latencyReport();
    addReplyVerbatim(c, r, sdslen(r), "txt");
    sdsfree(r);
}

void latencyHelpCommand(client *c) {
    const char *help[] = {
        "DOCTOR",
        "    Return a human readable latency analysis report.",
        "GRAPH <event>",
        "    Return an ASCII latency graph for the <event> class.",
        "HISTORY <event>",
        "    Return time-latency samples for the <event> class.",
        "LATEST",
        "    Return the latest latency samples for all events.",
        "RESET [<event> ...]",
        "    Reset latency data of one or more <event> classes.",
        "    (default: reset all data for all event classes)",
        "HISTOGRAM [COMMAND ...]",
        "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
        "    If no commands are specified then all histograms are replied.",
        NULL,
    };
    addReplyHelp(c, help);
}

/* ------------------------------------------------------------ the histograms */

/* A command's calls and the cumulative counts of its durations in buckets
 * of 1, 2, 4 ... microseconds (more exactly 1024 << k ns, named by the
 * highest value of that slot in µs); only buckets that add calls appear. */
static void addReplyCommandHistogram(client *c, struct redisCommand *cmd) {
    histogram *h = cmd->latency_histogram;
    addReplyBulkCBuffer(c, cmd->fullname, sdslen(cmd->fullname));
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "calls");
    addReplyLongLong(c, (long long)h->total);
    addReplyBulkCString(c, "histogram_usec");
    void *len = addReplyDeferredLen(c);
    long buckets = 0;
    uint64_t previous = 0;
    for (uint64_t level = 1024; previous < h->total && level <= 2 * HISTOGRAM_MAX_VALUE; level <<= 1) {
        uint64_t count = histogramCountUpTo(h, level);
        if (count > previous) {
            addReplyLongLong(c, (long long)(histogramSlotHighest(histogramSlot(level)) / 1000));
            addReplyLongLong(c, (long long)count);
            buckets++;
        }
        previous = count;
    }
    setDeferredMapLen(c, len, buckets);
}

/* Replies the histograms of cmd and of its subcommands; returns how many. */
static long addReplyHistogramsOf(client *c, struct redisCommand *cmd) {
    long n = 0;
    if (cmd->latency_histogram) {
        addReplyCommandHistogram(c, cmd);
        n++;
    }
    if (cmd->subcommands_dict) {
        dictIterator di;
        dictEntry *de;
        dictInitIterator(&di, cmd->subcommands_dict);
        while ((de = dictNext(&di)) != NULL) n += addReplyHistogramsOf(c, dictGetVal(de));
        dictResetIterator(&di);
    }
    return n;
}

void latencyHistogramCommand(client *c) {
    void *len = addReplyDeferredLen(c);
    long n = 0;
    if (c->argc == 2) {
        dictIterator di;
        dictEntry *de;
        dictInitIterator(&di, server.commands);
        while ((de = dictNext(&di)) != NULL) n += addReplyHistogramsOf(c, dictGetVal(de));
        dictResetIterator(&di);
    }
    for (int j = 2; j < c->argc; j++) {
        struct redisCommand *cmd = lookupCommandBySds(c->argv[j]->ptr);
        if (cmd) n += addReplyHistogramsOf(c, cmd);
    }
    setDeferredMapLen(c, len, n);
}

/* "99.9", "50", "12.345679": the percentile as %f prints it, without
 * trailing zeros. */
static void formatPercentile(char *buf, size_t len, double p) {
    snprintf(buf, len, "%f", p);
    char *end = buf + strlen(buf) - 1;
    while (end > buf && *end == '0') *end-- = '\0';
    if (*end == '.') *end = '\0';
}

static sds catPercentiles(sds s, struct redisCommand *cmd) {
    s = sdscatprintf(s, "latency_percentiles_usec_%s:", cmd->fullname);
    for (int j = 0; j < server.latency.tracking_info_percentiles_len; j++) {
        double p = server.latency.tracking_info_percentiles[j];
        char name[64];
        formatPercentile(name, sizeof(name), p);
        double us = (double)histogramPercentile(cmd->latency_histogram, p) / 1000.0;
        s = sdscatprintf(s, "%sp%s=%.3f", j ? "," : "", name, us);
    }
    return sdscatlen(s, "\r\n", 2);
}

static sds catCommandsPercentiles(sds s, dict *commands) {
    dictIterator di;
    dictEntry *de;
    dictInitIterator(&di, commands);
    while ((de = dictNext(&di)) != NULL) {
        struct redisCommand *cmd = dictGetVal(de);
        if (cmd->latency_histogram) s = catPercentiles(s, cmd);
        if (cmd->subcommands_dict) s = catCommandsPercentiles(s, cmd->subcommands_dict);
    }
    dictResetIterator(&di);
    return s;
}

sds latencyCatInfo(sds s) {
    if (!server.latency.tracking_enabled) return s;
    return catCommandsPercentiles(s, server.commands);
}
