/* cluster_config.c — nodes.conf: the node's memory of the cluster.
 *
 * The file is Redis 7.0's text format, one line per known node, exactly the
 * lines CLUSTER NODES shows:
 *
 *   <name> <ip>:<port>@<cport>[,<hostname>] <flags> <master name or -> \
 *       <ping sent> <pong received> <config epoch> <connected|disconnected> <slots...>
 *
 * then `vars currentEpoch <n> lastVoteEpoch <n>`. Slots are ranges (`0-5460`)
 * or single slots; for this node, `[slot->-name]` marks a slot migrating to
 * name and `[slot-<-name]` one importing from it. Flags are a comma list of
 * myself, master, slave, fail?, fail, handshake, noaddr, nofailover (or
 * noflags).
 *
 * Every change of configuration is saved before the loop sleeps: the text
 * goes to a temporary file in the same directory, which is fsynced and
 * renamed over nodes.conf (and the directory fsynced), so a crash leaves
 * the old file or the new one, never half of one. The file is flock'ed
 * while the server runs so that two nodes never share it.
 */
#include "server.h"
#include "cluster_internal.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static const struct {
    int flag;
    const char *name;
} flag_names[] = {
    {CBUS_NODE_MYSELF, "myself"}, {CBUS_NODE_MASTER, "master"},
    {CBUS_NODE_SLAVE, "slave"},   {CBUS_NODE_PFAIL, "fail?"},
    {CBUS_NODE_FAIL, "fail"},     {CBUS_NODE_HANDSHAKE, "handshake"},
    {CBUS_NODE_NOADDR, "noaddr"}, {CBUS_NODE_NOFAILOVER, "nofailover"},
};

const char *clusterNodeFlagsString(sds *s, int flags) {
    size_t start = sdslen(*s);
    for (size_t j = 0; j < sizeof(flag_names) / sizeof(flag_names[0]); j++)
        if (flags & flag_names[j].flag) *s = sdscatfmt(*s, "%s,", flag_names[j].name);
    if (sdslen(*s) == start)
        *s = sdscat(*s, "noflags");
    else
        sdsIncrLen(*s, -1);
    return *s;
}

/* Appends " a-b" / " a" for each run of slots n serves. */
static sds catSlotRanges(sds s, const clusterNode *n) {
    int start = -1;
    for (int j = 0; j <= CLUSTER_SLOTS; j++) {
        int has = j < CLUSTER_SLOTS && clusterNodeHasSlot(n, j);
        if (has && start == -1) start = j;
        if (!has && start != -1) {
            s = start == j - 1 ? sdscatfmt(s, " %i", start) : sdscatfmt(s, " %i-%i", start, j - 1);
            start = -1;
        }
    }
    return s;
}

sds clusterGenNodeDescription(sds s, clusterNode *n, const client *c) {
    s = sdscatlen(s, n->name, CBUS_NAMELEN);
    s = sdscatfmt(s, " %s:%i@%i", n->ip, clusterNodeClientPort(n, c), n->cport);
    if (sdslen(n->hostname)) s = sdscatfmt(s, ",%S", n->hostname);
    s = sdscat(s, " ");
    clusterNodeFlagsString(&s, n->flags);
    if (n->slaveof)
        s = sdscatprintf(s, " %.40s ", n->slaveof->name);
    else
        s = sdscat(s, " - ");
    /* A replica shows the config epoch of its master. */
    uint64_t epoch = (nodeIsSlave(n) && n->slaveof) ? n->slaveof->config_epoch : n->config_epoch;
    s = sdscatprintf(s, "%lld %lld %llu %s", (n->flags & CBUS_NODE_MYSELF) ? 0 : n->ping_sent, n->pong_received,
                     (unsigned long long)epoch,
                     (n->link || (n->flags & CBUS_NODE_MYSELF)) ? "connected" : "disconnected");
    if (n->numslots) s = catSlotRanges(s, n);
    if (n == myself) {
        for (int j = 0; j < CLUSTER_SLOTS; j++) {
            if (cstate->migrating_slots_to[j])
                s = sdscatprintf(s, " [%d->-%.40s]", j, cstate->migrating_slots_to[j]->name);
            else if (cstate->importing_slots_from[j])
                s = sdscatprintf(s, " [%d-<-%.40s]", j, cstate->importing_slots_from[j]->name);
        }
    }
    return s;
}

/* Every node, one line each; filter: node flags to leave out. */
sds clusterGenNodesDescription(int filter, const client *c) {
    sds s = sdsempty();
    dictIterator *di = dictGetIterator(cstate->nodes);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        if (n->flags & filter) continue;
        s = clusterGenNodeDescription(s, n, c);
        s = sdscatlen(s, "\n", 1);
    }
    dictReleaseIterator(di);
    return s;
}

/* ------------------------------------------------------------ load */

static clusterNode *lookupOrCreate(const char *name) {
    clusterNode *n = clusterLookupNode(name, strlen(name));
    if (!n) {
        n = clusterCreateNode(name, 0);
        clusterAddNode(n);
    }
    return n;
}

/* "ip:port@cport[,hostname]" (older files: "ip:port"). */
static int parseAddress(clusterNode *n, sds addr) {
    char *comma = strchr(addr, ',');
    if (comma) {
        *comma = '\0';
        clusterNodeSetHostname(n, comma + 1, strlen(comma + 1));
    }
    char *colon = strrchr(addr, ':');
    if (!colon) return C_ERR;
    *colon = '\0';
    char *at = strchr(colon + 1, '@');
    if (at) *at = '\0';
    if (strlen(addr) >= CBUS_IPLEN) return C_ERR;
    memcpy(n->ip, addr, strlen(addr) + 1);
    n->port = atoi(colon + 1);
    n->cport = at ? atoi(at + 1) : n->port + 10000;
    return C_OK;
}

static int parseFlags(clusterNode *n, const char *text) {
    int words = 0;
    sds *words_v = sdssplitlen(text, (ssize_t)strlen(text), ",", 1, &words);
    int ok = C_OK;
    for (int j = 0; j < words; j++) {
        if (!strcmp(words_v[j], "noflags")) continue;
        size_t k;
        for (k = 0; k < sizeof(flag_names) / sizeof(flag_names[0]); k++)
            if (!strcmp(words_v[j], flag_names[k].name)) break;
        if (k == sizeof(flag_names) / sizeof(flag_names[0])) {
            ok = C_ERR;
            break;
        }
        n->flags |= flag_names[k].flag;
        if (flag_names[k].flag == CBUS_NODE_MYSELF) {
            if (myself && myself != n) {
                ok = C_ERR;
                break;
            }
            myself = n;
        }
        if (flag_names[k].flag == CBUS_NODE_PFAIL || flag_names[k].flag == CBUS_NODE_FAIL) n->fail_time = mstime();
    }
    sdsfreesplitres(words_v, words);
    return ok;
}

/* One slot word: "a-b", "a", "[a->-name]" or "[a-<-name]". */
static int parseSlotWord(clusterNode *n, sds word) {
    if (word[0] == '[') {
        char *p = strchr(word, '-');
        if (!p || sdslen(word) < 5 || word[sdslen(word) - 1] != ']') return C_ERR;
        int slot = atoi(word + 1);
        int migrating = p[1] == '>';
        if (slot < 0 || slot >= CLUSTER_SLOTS || (p[1] != '>' && p[1] != '<') || p[2] != '-') return C_ERR;
        word[sdslen(word) - 1] = '\0';
        clusterNode *other = lookupOrCreate(p + 3);
        if (migrating)
            cstate->migrating_slots_to[slot] = other;
        else
            cstate->importing_slots_from[slot] = other;
        return C_OK;
    }
    char *dash = strchr(word, '-');
    int start = atoi(word), stop = dash ? atoi(dash + 1) : start;
    if (start < 0 || stop >= CLUSTER_SLOTS || start > stop) return C_ERR;
    for (int j = start; j <= stop; j++) clusterAddSlot(n, j);
    return C_OK;
}

static int parseVars(sds *argv, int argc) {
    for (int j = 1; j + 1 < argc; j += 2) {
        if (!strcasecmp(argv[j], "currentEpoch"))
            cstate->current_epoch = strtoull(argv[j + 1], NULL, 10);
        else if (!strcasecmp(argv[j], "lastVoteEpoch"))
            cstate->last_vote_epoch = strtoull(argv[j + 1], NULL, 10);
        else
            serverLog(LL_NOTICE, "Skipping unknown cluster config variable '%s'", argv[j]);
    }
    return C_OK;
}

static int parseNodeLine(sds *argv, int argc) {
    if (argc < 8 || strlen(argv[0]) != CBUS_NAMELEN) return C_ERR;
    clusterNode *n = lookupOrCreate(argv[0]);
    if (parseAddress(n, argv[1]) != C_OK || parseFlags(n, argv[2]) != C_OK) return C_ERR;
    if (strcmp(argv[3], "-") != 0) {
        if (strlen(argv[3]) != CBUS_NAMELEN) return C_ERR;
        clusterNode *master = lookupOrCreate(argv[3]);
        n->slaveof = master;
        clusterNodeAddSlave(master, n);
    }
    if (atoll(argv[4])) n->ping_sent = mstime();
    if (atoll(argv[5])) n->pong_received = mstime();
    n->config_epoch = strtoull(argv[6], NULL, 10);
    for (int j = 8; j < argc; j++)
        if (parseSlotWord(n, argv[j]) != C_OK) return C_ERR;
    return C_OK;
}

/* Takes an exclusive lock on the config file so that a second node started
 * with it refuses to run. */
static void lockConfig(const char *filename) {
    int fd = open(filename, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd == -1) {
        serverLog(LL_WARNING, "Can't open %s in order to acquire a lock: %s", filename, strerror(errno));
        exit(1);
    }
    if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
        if (errno == EWOULDBLOCK)
            serverLog(LL_WARNING,
                      "Sorry, the cluster configuration file %s is already used by a different Redis Cluster node. "
                      "Please make sure that different nodes use different cluster configuration files.",
                      filename);
        else
            serverLog(LL_WARNING, "Impossible to lock %s: %s", filename, strerror(errno));
        close(fd);
        exit(1);
    }
    if (cstate->lock_fd != -1) close(cstate->lock_fd);
    cstate->lock_fd = fd;
}

int clusterLoadConfig(const char *filename) {
    FILE *fp = fopen(filename, "r");
    if (fp == NULL) {
        if (errno == ENOENT) {
            lockConfig(filename);
            return C_ERR;
        }
        serverLog(LL_WARNING, "Loading the cluster node config from %s: %s", filename, strerror(errno));
        exit(1);
    }
    lockConfig(filename);
    size_t maxline = 1 << 20;
    char *line = zmalloc(maxline);
    int lines = 0, ok = 1;
    while (ok && fgets(line, (int)maxline, fp) != NULL) {
        if (line[0] == '\n' || line[0] == '\0') continue;
        lines++;
        int argc = 0;
        sds *argv = sdssplitargs(line, &argc);
        if (argv == NULL || argc == 0)
            ok = 0;
        else if (!strcasecmp(argv[0], "vars"))
            ok = parseVars(argv, argc) == C_OK;
        else
            ok = parseNodeLine(argv, argc) == C_OK;
        if (argv) sdsfreesplitres(argv, argc);
    }
    fclose(fp);
    zfree(line);
    if (lines == 0) return C_ERR; /* an empty file is a new node */
    if (!ok || myself == NULL) {
        serverLog(LL_WARNING, "Unrecoverable error: corrupted cluster config file.");
        exit(1);
    }
    serverLog(LL_NOTICE, "Node configuration loaded, I'm %.40s", myself->name);
    uint64_t max = clusterMaxEpoch();
    if (max > cstate->current_epoch) cstate->current_epoch = max;
    return C_OK;
}

/* ------------------------------------------------------------ save */

static int writeAll(int fd, const char *buf, size_t len) {
    while (len) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static void fsyncDirOf(const char *filename) {
    char *copy = zstrdup(filename);
    int fd = open(dirname(copy), O_RDONLY | O_CLOEXEC);
    if (fd != -1) {
        fsync(fd);
        close(fd);
    }
    zfree(copy);
}

int clusterSaveConfig(int do_fsync) {
    cstate->todo_before_sleep &= ~(CLUSTER_TODO_SAVE_CONFIG | CLUSTER_TODO_FSYNC_CONFIG);
    sds content = clusterGenNodesDescription(CBUS_NODE_HANDSHAKE, NULL);
    content = sdscatprintf(content, "vars currentEpoch %llu lastVoteEpoch %llu\n",
                           (unsigned long long)cstate->current_epoch, (unsigned long long)cstate->last_vote_epoch);
    const char *filename = server.cluster.configfile;
    sds tmp = sdscatprintf(sdsempty(), "%s.tmp-%d", filename, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int ok = fd != -1 && writeAll(fd, content, sdslen(content)) == 0 && (!do_fsync || fsync(fd) == 0);
    if (fd != -1) close(fd);
    if (ok) ok = rename(tmp, filename) == 0;
    if (!ok) {
        serverLog(LL_WARNING, "Could not write the cluster config file %s: %s", filename, strerror(errno));
        unlink(tmp);
    } else {
        if (do_fsync) fsyncDirOf(filename);
        lockConfig(filename);
    }
    sdsfree(tmp);
    sdsfree(content);
    return ok ? C_OK : C_ERR;
}

void clusterSaveConfigOrDie(int do_fsync) {
    if (clusterSaveConfig(do_fsync) == C_ERR) {
        serverLog(LL_WARNING, "Fatal: can't update cluster config file.");
        exit(1);
    }
}
