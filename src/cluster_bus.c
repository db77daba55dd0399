/* cluster_bus.c — the cluster bus: listener, links, and the messages.
 *
 * Every pair of nodes has up to two TCP links on the bus ports: the one
 * each side opened (node->link, used to ping) and the one the other side
 * opened (node->inbound_link, on which we answer). Both are ordinary
 * connections of the connection layer: TCP, or TLS with tls-cluster. A
 * link whose unsent bytes pass cluster-link-sendbuf-limit (a peer that
 * stopped reading) is freed by the cron and opened again. A link reads one frame at a time
 * into its buffer (8 bytes first, for the signature and the total length,
 * then the rest), and queues what it sends in an sds written by a write
 * handler.
 *
 * Frames are Redis 7.0's (clusterwire.h). The header says who the sender is
 * and what it believes: its epochs, its master, its slots. Each received
 * frame updates our view of its sender (clusterProcessFrame): a node we
 * MEET or gossip about is added, a handshake node gets its real name from
 * its first PONG, a PONG clears PFAIL, slots claimed with a higher config
 * epoch move to their claimant, and a claim older than ours gets an UPDATE.
 * Gossip sections carry a few random nodes (a tenth of those we know, at
 * least three) plus every node we think is failing, which is how failure
 * reports travel.
 */
#include "server.h"
#include "cluster_internal.h"
#include "tls.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define RCVBUF_INIT 1024
#define MAX_ACCEPTS 1000
/* The largest frame accepted: a PUBLISH of a maximal bulk and its channel. */
#define MAX_FRAME ((size_t)512 * 1024 * 1024 + 65536)

/* --------------------------------------------------------------- links */

/* The bus speaks TLS with tls-cluster (the server and client contexts of
 * tls.c: our certificate, or tls-client-cert-file, on the links we open). */
static const ConnectionType *busConnectionType(void) {
    const ConnectionType *tls = tlsConnectionType(); /* NULL: built without TLS */
    return server.tls.cluster && tls ? tls : &CT_Socket;
}

clusterLink *clusterCreateLink(clusterNode *node) {
    clusterLink *link = zcalloc(sizeof(*link));
    link->ctime = mstime();
    link->sndbuf = sdsempty();
    link->rcvbuf_alloc = RCVBUF_INIT;
    link->rcvbuf = zmalloc(RCVBUF_INIT);
    link->node = node;
    return link;
}

void clusterFreeLink(clusterLink *link) {
    if (link->conn) connClose(link->conn);
    if (link->node) {
        if (link->node->link == link) link->node->link = NULL;
        if (link->node->inbound_link == link) link->node->inbound_link = NULL;
    }
    sdsfree(link->sndbuf);
    zfree(link->rcvbuf);
    zfree(link);
}

/* Frees link if its send buffer passed cluster-link-sendbuf-limit (a peer
 * that stopped reading); returns 1 if it did. */
static int freeLinkOverLimit(clusterLink *link) {
    unsigned long long limit = server.cluster.link_sendbuf_limit_bytes;
    if (!link || limit == 0) return 0;
    unsigned long long used = sdsalloc(link->sndbuf);
    if (used <= limit) return 0;
    serverLog(LL_WARNING,
              "Freeing cluster link(%s node %.40s, used memory: %llu) due to exceeding send buffer memory limit.",
              link->inbound ? "from" : "to", link->node ? link->node->name : "", used);
    clusterFreeLink(link);
    cstate->links_buffer_limit_exceeded++;
    return 1;
}

void clusterFreeLinksOverLimit(clusterNode *n) {
    freeLinkOverLimit(n->link);
    freeLinkOverLimit(n->inbound_link);
}

static void setInboundLink(clusterNode *n, clusterLink *link) {
    if (n->inbound_link == link) return;
    if (n->inbound_link) {
        serverLog(LL_DEBUG, "Replacing an existing non-null inbound link for node %.40s", n->name);
        clusterFreeLink(n->inbound_link);
    }
    n->inbound_link = link;
    link->node = n;
}

static void writeHandler(connection *conn) {
    clusterLink *link = connGetPrivateData(conn);
    ssize_t n = connWrite(conn, link->sndbuf, sdslen(link->sndbuf));
    if (n <= 0) {
        if (connGetState(conn) == CONN_STATE_CONNECTED) return;
        serverLog(LL_DEBUG, "I/O error writing to node link: %s", connGetLastError(conn));
        clusterFreeLink(link);
        return;
    }
    sdsrange(link->sndbuf, n, -1);
    if (sdslen(link->sndbuf) == 0) {
        connSetWriteHandler(conn, NULL);
        if (sdsalloc(link->sndbuf) > 65536) {
            sdsfree(link->sndbuf);
            link->sndbuf = sdsempty();
        }
    }
}

/* Queues frame[0..len) on link; the type is counted in the stats. */
static void sendFrame(clusterLink *link, const unsigned char *frame, size_t len) {
    if (!link || !link->conn) return;
    if (connGetState(link->conn) == CONN_STATE_CONNECTED && !connHasWriteHandler(link->conn))
        connSetWriteHandler(link->conn, writeHandler);
    link->sndbuf = sdscatlen(link->sndbuf, frame, len);
    uint16_t type = cbusGet16(frame + 12);
    if (type < CBUS_TYPE_COUNT) cstate->stats_sent[type]++;
}

/* Sends frame to every node we have a link to (not handshakes). */
static void broadcastFrame(const unsigned char *frame, size_t len) {
    dictIterator *di = dictGetSafeIterator(cstate->nodes);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        if (n == myself || nodeInHandshake(n) || !n->link) continue;
        sendFrame(n->link, frame, len);
    }
    dictReleaseIterator(di);
}

/* ----------------------------------------------------------- headers */

static void buildHeader(cbusHeader *h, int type, size_t totlen) {
    clusterNode *master = (nodeIsSlave(myself) && myself->slaveof) ? myself->slaveof : myself;
    memset(h, 0, sizeof(*h));
    memcpy(h->sig, "RCmb", 4);
    h->totlen = (uint32_t)totlen;
    h->ver = CBUS_VERSION;
    h->type = (uint16_t)type;
    memcpy(h->sender, myself->name, CBUS_NAMELEN);
    if (server.cluster.announce_ip) snprintf(h->myip, sizeof(h->myip), "%s", server.cluster.announce_ip);
    h->port = (uint16_t)myself->port;
    h->pport = (uint16_t)myself->pport;
    h->cport = (uint16_t)myself->cport;
    memcpy(h->myslots, master->slots, sizeof(h->myslots));
    if (myself->slaveof) memcpy(h->replicaof, myself->slaveof->name, CBUS_NAMELEN);
    h->flags = (uint16_t)myself->flags;
    h->state = (unsigned char)cstate->state;
    h->current_epoch = cstate->current_epoch;
    h->config_epoch = master->config_epoch;
    h->offset = (uint64_t)clusterReplicationOffset();
    if (nodeIsMaster(myself) && cstate->mf_end) h->mflags[0] |= CBUS_MF0_PAUSED;
}

/* A frame of just a header (and body bytes zeroed), to fill and send. */
static unsigned char *newFrame(int type, size_t bodylen, size_t *len) {
    *len = CBUS_HEADER_LEN + bodylen;
    unsigned char *buf = zcalloc(*len);
    cbusHeader h;
    buildHeader(&h, type, *len);
    cbusHeaderEncode(&h, buf);
    return buf;
}

/* ------------------------------------------------------------ gossip */

static void writeGossip(unsigned char *p, clusterNode *n) {
    cbusGossip g;
    memset(&g, 0, sizeof(g));
    memcpy(g.nodename, n->name, CBUS_NAMELEN);
    g.ping_sent = (uint32_t)(n->ping_sent / 1000);
    g.pong_received = (uint32_t)(n->pong_received / 1000);
    memcpy(g.ip, n->ip, sizeof(g.ip));
    g.port = (uint16_t)n->port;
    g.cport = (uint16_t)n->cport;
    g.pport = (uint16_t)n->pport;
    g.flags = (uint16_t)n->flags;
    cbusGossipEncode(&g, p);
}

static int inGossip(clusterNode **picked, int count, clusterNode *n) {
    for (int j = 0; j < count; j++)
        if (picked[j] == n) return 1;
    return 0;
}

/* The nodes a PING carries: random healthy ones, then every PFAIL one. */
static int pickGossip(clusterNode **picked, int wanted, int pfail_wanted) {
    int fresh = (int)dictSize(cstate->nodes) - 2, count = 0, tries = wanted * 3;
    while (fresh > 0 && count < wanted && tries-- > 0) {
        clusterNode *n = dictGetVal(dictGetRandomKey(cstate->nodes));
        if (n == myself || (n->flags & CBUS_NODE_PFAIL)) continue;
        if ((n->flags & (CBUS_NODE_HANDSHAKE | CBUS_NODE_NOADDR)) || (n->link == NULL && n->numslots == 0)) {
            fresh--;
            continue;
        }
        if (inGossip(picked, count, n)) continue;
        picked[count++] = n;
        fresh--;
    }
    if (pfail_wanted > 0) {
        dictIterator *di = dictGetIterator(cstate->nodes);
        dictEntry *de;
        while ((de = dictNext(di)) != NULL && pfail_wanted > 0) {
            clusterNode *n = dictGetVal(de);
            if ((n->flags & CBUS_NODE_HANDSHAKE) || (n->flags & CBUS_NODE_NOADDR) || !(n->flags & CBUS_NODE_PFAIL))
                continue;
            picked[count++] = n;
            pfail_wanted--;
        }
        dictReleaseIterator(di);
    }
    return count;
}

void clusterSendPing(clusterLink *link, int type) {
    int known = (int)dictSize(cstate->nodes);
    int wanted = known / 10 < 3 ? 3 : known / 10;
    if (wanted > known - 2) wanted = known - 2 < 0 ? 0 : known - 2;
    int pfail_wanted = (int)cstate->stats_pfail_nodes;
    clusterNode **picked = zmalloc(sizeof(clusterNode *) * (size_t)(wanted + pfail_wanted + 1));
    int count = pickGossip(picked, wanted, pfail_wanted);
    size_t hostlen = sdslen(myself->hostname);
    size_t extlen = hostlen ? cbusHostnameExtLen(hostlen) : 0;
    size_t len = CBUS_HEADER_LEN + (size_t)count * CBUS_GOSSIP_LEN + extlen;
    unsigned char *buf = zcalloc(len);
    cbusHeader h;
    buildHeader(&h, type, len);
    h.count = (uint16_t)count;
    h.extensions = hostlen ? 1 : 0;
    h.mflags[0] |= CBUS_MF0_EXT_DATA;
    cbusHeaderEncode(&h, buf);
    for (int j = 0; j < count; j++) writeGossip(buf + CBUS_HEADER_LEN + (size_t)j * CBUS_GOSSIP_LEN, picked[j]);
    if (hostlen) cbusWriteHostnameExt(buf + len - extlen, myself->hostname, hostlen);
    if (link->node && type == CBUS_PING) link->node->ping_sent = mstime();
    sendFrame(link, buf, len);
    zfree(buf);
    zfree(picked);
}

void clusterBroadcastPong(int only_my_shard) {
    clusterNode *mymaster = nodeIsMaster(myself) ? myself : myself->slaveof;
    dictIterator *di = dictGetSafeIterator(cstate->nodes);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        if (!n->link || n == myself || nodeInHandshake(n)) continue;
        if (only_my_shard && !(nodeIsSlave(n) && n->slaveof && n->slaveof == mymaster)) continue;
        clusterSendPing(n->link, CBUS_PONG);
    }
    dictReleaseIterator(di);
}

/* ----------------------------------------------------- other messages */

void clusterSendFail(const char *nodename) {
    size_t len;
    unsigned char *buf = newFrame(CBUS_FAIL, CBUS_FAIL_LEN, &len);
    memcpy(buf + CBUS_HEADER_LEN, nodename, CBUS_NAMELEN);
    broadcastFrame(buf, len);
    zfree(buf);
}

void clusterSendUpdate(clusterLink *link, clusterNode *n) {
    if (!link) return;
    size_t len;
    unsigned char *buf = newFrame(CBUS_UPDATE, CBUS_UPDATE_LEN, &len);
    unsigned char *body = buf + CBUS_HEADER_LEN;
    cbusPut64(body, n->config_epoch);
    memcpy(body + 8, n->name, CBUS_NAMELEN);
    memcpy(body + 8 + CBUS_NAMELEN, n->slots, CBUS_SLOT_BYTES);
    sendFrame(link, buf, len);
    zfree(buf);
}

void clusterSendFailoverAuthRequest(void) {
    size_t len;
    unsigned char *buf = newFrame(CBUS_AUTH_REQUEST, 0, &len);
    if (cstate->mf_end) buf[offsetof(cbusHeader, mflags)] |= CBUS_MF0_FORCEACK;
    broadcastFrame(buf, len);
    zfree(buf);
}

static void sendFailoverAuth(clusterNode *n) {
    if (!n->link) return;
    size_t len;
    unsigned char *buf = newFrame(CBUS_AUTH_ACK, 0, &len);
    sendFrame(n->link, buf, len);
    zfree(buf);
}

void clusterSendMFStart(clusterNode *master) {
    if (!master || !master->link) return;
    size_t len;
    unsigned char *buf = newFrame(CBUS_MFSTART, 0, &len);
    sendFrame(master->link, buf, len);
    zfree(buf);
}

void clusterPropagatePublish(robj *channel, robj *message, int sharded) {
    robj *ch = getDecodedObject(channel), *msg = getDecodedObject(message);
    size_t clen = sdslen(ch->ptr), mlen = sdslen(msg->ptr), len;
    unsigned char *buf = newFrame(sharded ? CBUS_PUBLISHSHARD : CBUS_PUBLISH, CBUS_PUBLISH_LEN + clen + mlen, &len);
    unsigned char *body = buf + CBUS_HEADER_LEN;
    cbusPut32(body, (uint32_t)clen);
    cbusPut32(body + 4, (uint32_t)mlen);
    memcpy(body + 8, ch->ptr, clen);
    memcpy(body + 8 + clen, msg->ptr, mlen);
    if (!sharded) {
        broadcastFrame(buf, len);
    } else {
        clusterNode *master = nodeIsMaster(myself) ? myself : myself->slaveof;
        if (master && master != myself) sendFrame(master->link, buf, len);
        for (int j = 0; master && j < master->numslaves; j++)
            if (master->slaves[j] != myself) sendFrame(master->slaves[j]->link, buf, len);
    }
    zfree(buf);
    decrRefCount(ch);
    decrRefCount(msg);
}

/* ------------------------------------------------------------- votes */

/* A replica asks for our vote (we are a master with slots). */
static void voteIfNeeded(clusterNode *node, const cbusHeader *h) {
    clusterNode *master = node->slaveof;
    long long now = mstime();
    int force = (h->mflags[0] & CBUS_MF0_FORCEACK) != 0;
    if (nodeIsSlave(myself) || myself->numslots == 0) return;
    if (h->current_epoch < cstate->current_epoch) {
        serverLog(LL_WARNING, "Failover auth denied to %.40s: reqEpoch (%llu) < curEpoch(%llu)", node->name,
                  (unsigned long long)h->current_epoch, (unsigned long long)cstate->current_epoch);
        return;
    }
    if (cstate->last_vote_epoch == cstate->current_epoch) {
        serverLog(LL_WARNING, "Failover auth denied to %.40s: already voted for epoch %llu", node->name,
                  (unsigned long long)cstate->current_epoch);
        return;
    }
    if (nodeIsMaster(node) || master == NULL || (!nodeFailed(master) && !force)) {
        serverLog(LL_WARNING, "Failover auth denied to %.40s: %s", node->name,
                  nodeIsMaster(node) ? "it is a master node"
                  : master == NULL   ? "I don't know its master"
                                     : "its master is up");
        return;
    }
    if (now - master->voted_time < server.cluster.node_timeout * 2) {
        serverLog(LL_WARNING, "Failover auth denied to %.40s: can't vote about this master before %lld milliseconds",
                  node->name, server.cluster.node_timeout * 2 - (now - master->voted_time));
        return;
    }
    for (int j = 0; j < CLUSTER_SLOTS; j++) {
        if (!clusterSlotBit(h->myslots, j) || !cstate->slots[j]) continue;
        if (cstate->slots[j]->config_epoch <= h->config_epoch) continue;
        serverLog(LL_WARNING, "Failover auth denied to %.40s: slot %d epoch (%llu) > reqEpoch (%llu)", node->name, j,
                  (unsigned long long)cstate->slots[j]->config_epoch, (unsigned long long)h->config_epoch);
        return;
    }
    cstate->last_vote_epoch = cstate->current_epoch;
    master->voted_time = now;
    clusterDoBeforeSleep(CLUSTER_TODO_SAVE_CONFIG | CLUSTER_TODO_FSYNC_CONFIG);
    sendFailoverAuth(node);
    serverLog(LL_NOTICE, "Failover auth granted to %.40s for epoch %llu", node->name,
              (unsigned long long)cstate->current_epoch);
}

/* ------------------------------------------------------------ receive */

static void peerIp(clusterLink *link, char *ip) {
    int port;
    if (anetFdToString(connGetFd(link->conn), ip, CBUS_IPLEN, &port, 1) == -1) ip[0] = '\0';
}

/* The address a frame's sender announces, or the socket's peer address. */
static void senderIp(clusterLink *link, const cbusHeader *h, char *ip) {
    if (h->myip[0])
        memcpy(ip, h->myip, CBUS_IPLEN);
    else
        peerIp(link, ip);
}

/* Updates n's address from a frame received on an inbound link; returns 1
 * if it changed (its old outbound link is dropped). */
static int updateAddressIfNeeded(clusterNode *n, clusterLink *link, const cbusHeader *h) {
    char ip[CBUS_IPLEN];
    if (link == n->link) return 0;
    senderIp(link, h, ip);
    if (n->port == h->port && n->cport == h->cport && n->pport == h->pport && strcmp(ip, n->ip) == 0) return 0;
    memcpy(n->ip, ip, sizeof(ip));
    n->port = h->port;
    n->pport = h->pport;
    n->cport = h->cport;
    if (n->link) clusterFreeLink(n->link);
    n->flags &= ~CBUS_NODE_NOADDR;
    serverLog(LL_NOTICE, "Address updated for node %.40s, now %s:%d", n->name, n->ip, n->port);
    if (nodeIsSlave(myself) && myself->slaveof == n) replicationSetMaster(n->ip, n->port);
    return 1;
}

static void processGossipEntry(const cbusGossip *g, clusterNode *sender) {
    long long now = mstime();
    clusterNode *n = clusterLookupNode(g->nodename, CBUS_NAMELEN);
    if (n == NULL) {
        if (sender && !(g->flags & CBUS_NODE_NOADDR) && !clusterBlacklistExists(g->nodename)) {
            n = clusterCreateNode(g->nodename, g->flags & ~(CBUS_NODE_MYSELF | CBUS_NODE_PFAIL | CBUS_NODE_FAIL));
            memcpy(n->ip, g->ip, CBUS_IPLEN);
            n->port = g->port;
            n->pport = g->pport;
            n->cport = g->cport;
            clusterAddNode(n);
        }
        return;
    }
    if (sender && nodeIsMaster(sender) && n != myself) {
        if (g->flags & (CBUS_NODE_FAIL | CBUS_NODE_PFAIL)) {
            if (clusterNodeAddFailureReport(n, sender))
                serverLog(LL_VERBOSE, "Node %.40s reported node %.40s as not reachable.", sender->name, n->name);
            clusterMarkNodeAsFailingIfNeeded(n);
        } else {
            clusterNodeDelFailureReport(n, sender);
        }
    }
    if (!(g->flags & (CBUS_NODE_FAIL | CBUS_NODE_PFAIL)) && n->ping_sent == 0 &&
        clusterNodeFailureReportsCount(n) == 0) {
        long long pongtime = (long long)g->pong_received * 1000;
        if (pongtime <= now + 500 && pongtime > n->pong_received) n->pong_received = pongtime;
    }
    if ((n->flags & (CBUS_NODE_FAIL | CBUS_NODE_PFAIL)) && !(g->flags & CBUS_NODE_NOADDR) &&
        !(g->flags & (CBUS_NODE_FAIL | CBUS_NODE_PFAIL)) &&
        (strcasecmp(n->ip, g->ip) || n->port != g->port || n->cport != g->cport)) {
        if (n->link) clusterFreeLink(n->link);
        memcpy(n->ip, g->ip, CBUS_IPLEN);
        n->port = g->port;
        n->pport = g->pport;
        n->cport = g->cport;
        n->flags &= ~CBUS_NODE_NOADDR;
    }
}

static void processGossip(const unsigned char *frame, const cbusHeader *h, clusterNode *sender) {
    for (unsigned j = 0; j < h->count; j++) {
        cbusGossip g;
        cbusGossipDecode(frame + CBUS_HEADER_LEN + (size_t)j * CBUS_GOSSIP_LEN, &g);
        processGossipEntry(&g, sender);
    }
}

static void processExtensions(const unsigned char *frame, size_t len, clusterNode *sender) {
    size_t off = 0, plen;
    uint16_t type;
    const unsigned char *payload;
    const char *hostname = "";
    size_t hostlen = 0;
    while (cbusNextExtension(frame, len, &off, &type, &payload, &plen)) {
        if (type == CBUS_EXT_HOSTNAME) {
            hostname = (const char *)payload;
            hostlen = strnlen(hostname, plen);
        }
    }
    clusterNodeSetHostname(sender, hostname, hostlen);
}

/* Learns our own address from the socket a MEET (or any ping, while we do
 * not know it) arrived on. */
static void learnMyIp(clusterLink *link) {
    if (server.cluster.announce_ip) return;
    char ip[CBUS_IPLEN];
    int port;
    if (anetFdToString(connGetFd(link->conn), ip, sizeof(ip), &port, 0) == -1) return;
    if (strcmp(ip, myself->ip) == 0) return;
    memcpy(myself->ip, ip, sizeof(ip));
    serverLog(LL_NOTICE, "IP address for this node updated to %s", myself->ip);
    clusterDoBeforeSleep(CLUSTER_TODO_SAVE_CONFIG);
}

static int allZero(const char *p, size_t len) {
    for (size_t j = 0; j < len; j++)
        if (p[j]) return 0;
    return 1;
}

/* The sender's role, from its replicaof field. */
static void updateRole(clusterNode *sender, const cbusHeader *h) {
    if (allZero(h->replicaof, CBUS_NAMELEN)) {
        clusterSetNodeAsMaster(sender);
        return;
    }
    clusterNode *master = clusterLookupNode(h->replicaof, CBUS_NAMELEN);
    if (nodeIsMaster(sender)) {
        clusterDelNodeSlots(sender);
        sender->flags &= ~(CBUS_NODE_MASTER | CBUS_NODE_MIGRATE_TO);
        sender->flags |= CBUS_NODE_SLAVE;
        clusterDoBeforeSleep(CLUSTER_TODO_SAVE_CONFIG | CLUSTER_TODO_UPDATE_STATE);
    }
    if (master && sender->slaveof != master) {
        if (sender->slaveof) clusterNodeRemoveSlave(sender->slaveof, sender);
        clusterNodeAddSlave(master, sender);
        sender->slaveof = master;
        clusterDoBeforeSleep(CLUSTER_TODO_SAVE_CONFIG);
    }
}

/* The slots in a header against ours: adopt newer claims, answer stale
 * ones with an UPDATE about the node we believe in. */
static void updateSlots(clusterLink *link, clusterNode *sender, const cbusHeader *h) {
    clusterNode *sender_master = nodeIsMaster(sender) ? sender : sender->slaveof;
    if (!sender_master || memcmp(sender_master->slots, h->myslots, CBUS_SLOT_BYTES) == 0) return;
    if (nodeIsMaster(sender)) clusterUpdateSlotsConfigWith(sender, h->config_epoch, h->myslots);
    for (int j = 0; j < CLUSTER_SLOTS; j++) {
        if (!clusterSlotBit(h->myslots, j)) continue;
        clusterNode *owner = cstate->slots[j];
        if (owner == sender || owner == NULL) continue;
        if (owner->config_epoch > h->config_epoch) {
            serverLog(LL_VERBOSE, "Node %.40s has old slots configuration, sending an UPDATE message about %.40s",
                      sender->name, owner->name);
            clusterSendUpdate(link, owner);
            break;
        }
    }
}

/* The handshake or outbound-link checks of a PING/PONG/MEET; returns 0 if
 * the link was freed. */
static int checkLinkNode(clusterLink *link, clusterNode *sender, const cbusHeader *h, int type) {
    clusterNode *ln = link->node;
    if (!ln || link->inbound) return 1;
    if (nodeInHandshake(ln)) {
        if (sender) {
            serverLog(LL_VERBOSE, "Handshake: we already know node %.40s, updating the address if needed.",
                      sender->name);
            if (updateAddressIfNeeded(sender, link, h))
                clusterDoBeforeSleep(CLUSTER_TODO_SAVE_CONFIG | CLUSTER_TODO_UPDATE_STATE);
            clusterDelNode(ln);
            return 0;
        }
        clusterRenameNode(ln, h->sender);
        serverLog(LL_DEBUG, "Handshake with node %.40s completed.", ln->name);
        ln->flags &= ~CBUS_NODE_HANDSHAKE;
        ln->flags |= h->flags & (CBUS_NODE_MASTER | CBUS_NODE_SLAVE);
        clusterDoBeforeSleep(CLUSTER_TODO_SAVE_CONFIG);
    } else if (memcmp(ln->name, h->sender, CBUS_NAMELEN) != 0) {
        serverLog(LL_VERBOSE, "PONG contains mismatching sender ID. About node %.40s added %d ms ago, having flags %d",
                  ln->name, (int)(mstime() - ln->ctime), ln->flags);
        ln->flags |= CBUS_NODE_NOADDR;
        ln->ip[0] = '\0';
        ln->port = ln->pport = ln->cport = 0;
        clusterFreeLink(link);
        clusterDoBeforeSleep(CLUSTER_TODO_SAVE_CONFIG);
        return 0;
    }
    (void)type;
    return 1;
}

/* PING, PONG and MEET. Returns 0 if the link was freed. */
static int processPing(clusterLink *link, const unsigned char *frame, size_t len, const cbusHeader *h,
                       clusterNode *sender) {
    int type = h->type;
    if (type == CBUS_MEET || (type == CBUS_PING && myself->ip[0] == '\0')) learnMyIp(link);
    if (type == CBUS_PING || type == CBUS_MEET) {
        if (!sender && type == CBUS_MEET) {
            clusterNode *n = clusterCreateNode(NULL, CBUS_NODE_HANDSHAKE);
            senderIp(link, h, n->ip);
            n->port = h->port;
            n->pport = h->pport;
            n->cport = h->cport;
            clusterAddNode(n);
            clusterDoBeforeSleep(CLUSTER_TODO_SAVE_CONFIG);
            processGossip(frame, h, NULL);
        }
        clusterSendPing(link, CBUS_PONG);
    }
    if (!checkLinkNode(link, sender, h, type)) return 0;
    if (sender) {
        sender->flags = (sender->flags & ~CBUS_NODE_NOFAILOVER) | (h->flags & CBUS_NODE_NOFAILOVER);
        processExtensions(frame, len, sender);
        if (type == CBUS_PING && !nodeInHandshake(sender) && updateAddressIfNeeded(sender, link, h))
            clusterDoBeforeSleep(CLUSTER_TODO_SAVE_CONFIG | CLUSTER_TODO_UPDATE_STATE);
    }
    if (!link->inbound && type == CBUS_PONG && link->node) {
        clusterNode *n = link->node;
        n->pong_received = mstime();
        n->ping_sent = 0;
        if (nodeTimedOut(n)) {
            n->flags &= ~CBUS_NODE_PFAIL;
            clusterDoBeforeSleep(CLUSTER_TODO_UPDATE_STATE | CLUSTER_TODO_SAVE_CONFIG);
        } else if (nodeFailed(n)) {
            clusterClearNodeFailureIfNeeded(n);
        }
    }
    if (!sender || nodeInHandshake(sender)) return 1;
    updateRole(sender, h);
    updateSlots(link, sender, h);
    if (nodeIsMaster(myself) && nodeIsMaster(sender) && h->config_epoch == myself->config_epoch)
        clusterHandleConfigEpochCollision(sender);
    processGossip(frame, h, sender);
    return 1;
}

static void processFail(const unsigned char *frame, clusterNode *sender) {
    const char *name = (const char *)frame + CBUS_HEADER_LEN;
    clusterNode *failing = clusterLookupNode(name, CBUS_NAMELEN);
    if (!sender) return;
    if (failing && !(failing->flags & (CBUS_NODE_FAIL | CBUS_NODE_MYSELF))) {
        serverLog(LL_NOTICE, "FAIL message received from %.40s about %.40s", sender->name, name);
        failing->flags |= CBUS_NODE_FAIL;
        failing->fail_time = mstime();
        failing->flags &= ~CBUS_NODE_PFAIL;
        clusterDoBeforeSleep(CLUSTER_TODO_UPDATE_STATE | CLUSTER_TODO_SAVE_CONFIG);
    }
}

static void processPublish(const unsigned char *frame, int sharded) {
    const unsigned char *body = frame + CBUS_HEADER_LEN;
    uint32_t clen = cbusGet32(body), mlen = cbusGet32(body + 4);
    robj *channel = createStringObject((const char *)body + 8, clen);
    robj *message = createStringObject((const char *)body + 8 + clen, mlen);
    pubsubPublish(sharded ? PUBSUB_SHARD : PUBSUB_CHANNEL, channel, message);
    decrRefCount(channel);
    decrRefCount(message);
}

static void processUpdate(const unsigned char *frame) {
    const unsigned char *body = frame + CBUS_HEADER_LEN;
    uint64_t epoch = cbusGet64(body);
    clusterNode *n = clusterLookupNode((const char *)body + 8, CBUS_NAMELEN);
    if (!n || n->config_epoch >= epoch) return;
    if (nodeIsSlave(n)) clusterSetNodeAsMaster(n);
    n->config_epoch = epoch;
    clusterUpdateSlotsConfigWith(n, epoch, body + 8 + CBUS_NAMELEN);
}

/* What every frame from a known sender tells: that it is alive, its epochs
 * and its replication offset. */
static void noteSender(clusterNode *sender, const cbusHeader *h) {
    sender->data_received = mstime();
    if (nodeInHandshake(sender)) return;
    if (h->current_epoch > cstate->current_epoch) {
        cstate->current_epoch = h->current_epoch;
        clusterDoBeforeSleep(CLUSTER_TODO_SAVE_CONFIG | CLUSTER_TODO_FSYNC_CONFIG);
    }
    if (h->config_epoch > sender->config_epoch) {
        sender->config_epoch = h->config_epoch;
        clusterDoBeforeSleep(CLUSTER_TODO_SAVE_CONFIG | CLUSTER_TODO_FSYNC_CONFIG);
    }
    sender->repl_offset = (long long)h->offset;
    sender->repl_offset_time = mstime();
    if (nodeIsSlave(myself) && myself->slaveof == sender && (h->mflags[0] & CBUS_MF0_PAUSED) && cstate->mf_end &&
        cstate->mf_master_offset == -1) {
        cstate->mf_master_offset = sender->repl_offset;
        clusterDoBeforeSleep(CLUSTER_TODO_HANDLE_MANUALFAILOVER);
        serverLog(LL_NOTICE, "Received replication offset for paused master manual failover: %lld",
                  cstate->mf_master_offset);
    }
}

/* Handles the complete frame in link->rcvbuf. Returns 0 if link was freed. */
static int processFrame(clusterLink *link) {
    const unsigned char *frame = link->rcvbuf;
    size_t len = link->rcvbuf_len;
    if (!cbusFrameIsValid(frame, len)) {
        serverLog(LL_WARNING, "Bad message length or signature received on the Cluster bus.");
        return 1;
    }
    cbusHeader h;
    cbusHeaderDecode(frame, &h);
    if (h.ver != CBUS_VERSION || h.type >= CBUS_TYPE_COUNT) return 1;
    cstate->stats_received[h.type]++;
    clusterNode *sender = link->node && !nodeInHandshake(link->node) ? link->node : NULL;
    if (!sender) sender = clusterLookupNode(h.sender, CBUS_NAMELEN);
    /* Our own frames (a MEET of our own address) teach nothing. */
    if (sender == myself) return 1;
    if (sender && link->inbound && !link->node) setInboundLink(sender, link);
    if (sender) noteSender(sender, &h);
    switch (h.type) {
    case CBUS_PING:
    case CBUS_PONG:
    case CBUS_MEET: return processPing(link, frame, len, &h, sender);
    case CBUS_FAIL: processFail(frame, sender); break;
    case CBUS_PUBLISH:
    case CBUS_PUBLISHSHARD:
        if (sender) processPublish(frame, h.type == CBUS_PUBLISHSHARD);
        break;
    case CBUS_AUTH_REQUEST:
        if (sender) voteIfNeeded(sender, &h);
        break;
    case CBUS_AUTH_ACK:
        if (sender && nodeIsMaster(sender) && sender->numslots > 0 && h.current_epoch >= cstate->failover_auth_epoch) {
            cstate->failover_auth_count++;
            clusterDoBeforeSleep(CLUSTER_TODO_HANDLE_FAILOVER);
        }
        break;
    case CBUS_MFSTART:
        if (sender && sender->slaveof == myself) clusterMasterStartManualFailover(sender);
        break;
    case CBUS_UPDATE:
        if (sender) processUpdate(frame);
        break;
    default: break; /* MODULE: no modules here */
    }
    return 1;
}

static void readHandler(connection *conn) {
    clusterLink *link = connGetPrivateData(conn);
    size_t want;
    if (link->rcvbuf_len < 8) {
        want = 8 - link->rcvbuf_len;
    } else {
        uint32_t totlen = cbusGet32(link->rcvbuf + 4);
        if (memcmp(link->rcvbuf, "RCmb", 4) != 0 || totlen < CBUS_HEADER_LEN || totlen > MAX_FRAME) {
            char ip[CBUS_IPLEN];
            peerIp(link, ip);
            serverLog(LL_WARNING, "Bad message length or signature received on the Cluster bus from %s", ip);
            clusterFreeLink(link);
            return;
        }
        want = totlen - link->rcvbuf_len;
        if (totlen > link->rcvbuf_alloc) {
            link->rcvbuf = zrealloc(link->rcvbuf, totlen);
            link->rcvbuf_alloc = totlen;
        }
    }
    ssize_t n = connRead(conn, link->rcvbuf + link->rcvbuf_len, want);
    if (n <= 0) {
        if (n < 0 && connGetState(conn) == CONN_STATE_CONNECTED) return;
        serverLog(LL_DEBUG, "I/O error reading from node link: %s",
                  n == 0 ? "connection closed" : connGetLastError(conn));
        clusterFreeLink(link);
        return;
    }
    link->rcvbuf_len += (size_t)n;
    if (link->rcvbuf_len < 8 || link->rcvbuf_len < cbusGet32(link->rcvbuf + 4)) return;
    if (!processFrame(link)) return;
    link->rcvbuf_len = 0;
    if (link->rcvbuf_alloc > RCVBUF_INIT * 64) {
        zfree(link->rcvbuf);
        link->rcvbuf = zmalloc(RCVBUF_INIT);
        link->rcvbuf_alloc = RCVBUF_INIT;
    }
}

/* -------------------------------------------------------- connecting */

static void connectHandler(connection *conn) {
    clusterLink *link = connGetPrivateData(conn);
    clusterNode *n = link->node;
    if (connGetState(conn) != CONN_STATE_CONNECTED) {
        serverLog(LL_VERBOSE, "Connection with Node %.40s at %s:%d failed: %s", n->name, n->ip, n->cport,
                  connGetLastError(conn));
        clusterFreeLink(link);
        return;
    }
    connSetReadHandler(conn, readHandler);
    long long old_ping_sent = n->ping_sent;
    clusterSendPing(link, (n->flags & CBUS_NODE_MEET) ? CBUS_MEET : CBUS_PING);
    if (old_ping_sent) n->ping_sent = old_ping_sent;
    n->flags &= ~CBUS_NODE_MEET;
    serverLog(LL_DEBUG, "Connecting with Node %.40s at %s:%d", n->name, n->ip, n->cport);
}

int clusterConnectLink(clusterNode *n) {
    clusterLink *link = clusterCreateLink(n);
    link->conn = connCreate(busConnectionType());
    connSetPrivateData(link->conn, link);
    n->link = link;
    if (connConnect(link->conn, n->ip, n->cport, connectHandler) == C_ERR) {
        if (n->ping_sent == 0) n->ping_sent = mstime();
        serverLog(LL_DEBUG, "Unable to connect to Cluster Node [%s]:%d -> %s", n->ip, n->cport,
                  connGetLastError(link->conn));
        clusterFreeLink(link);
        return C_ERR;
    }
    return C_OK;
}

/* --------------------------------------------------------- accepting */

static void acceptedHandler(connection *conn) {
    if (connGetState(conn) != CONN_STATE_CONNECTED) {
        serverLog(LL_VERBOSE, "Error accepting cluster node connection: %s", connGetLastError(conn));
        connClose(conn);
        return;
    }
    clusterLink *link = clusterCreateLink(NULL);
    link->conn = conn;
    link->inbound = 1;
    connSetPrivateData(conn, link);
    connSetReadHandler(conn, readHandler);
}

static void acceptHandler(aeEventLoop *el, int fd, void *privdata, int mask) {
    (void)el, (void)privdata, (void)mask;
    char ip[CBUS_IPLEN], err[ANET_ERR_LEN];
    int port;
    for (int j = 0; j < MAX_ACCEPTS; j++) {
        int cfd = anetTcpAccept(err, fd, ip, sizeof(ip), &port);
        if (cfd == ANET_ERR) {
            if (errno != EWOULDBLOCK && errno != EAGAIN) serverLog(LL_VERBOSE, "Error accepting cluster node: %s", err);
            return;
        }
        connection *conn = connCreateAccepted(busConnectionType(), cfd);
        connEnableTcpNoDelay(conn);
        connKeepAlive(conn, server.net.tcpkeepalive);
        serverLog(LL_VERBOSE, "Accepting cluster node connection from %s:%d", ip, port);
        connAccept(conn, acceptedHandler);
    }
}

int clusterListen(void) {
    int port = clusterBusPort();
    if (openTcpListeners(port, cstate->fds, &cstate->nfds) != C_OK) return C_ERR;
    for (int j = 0; j < cstate->nfds; j++)
        if (aeCreateFileEvent(server.el, cstate->fds[j], AE_READABLE, acceptHandler, NULL) == AE_ERR) return C_ERR;
    return C_OK;
}

unsigned long long clusterLinksMemory(void) {
    if (!server.cluster.enabled) return 0;
    unsigned long long mem = 0;
    dictIterator *di = dictGetIterator(cstate->nodes);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        if (n->link) mem += sdsalloc(n->link->sndbuf) + n->link->rcvbuf_alloc + sizeof(clusterLink);
        if (n->inbound_link)
            mem += sdsalloc(n->inbound_link->sndbuf) + n->inbound_link->rcvbuf_alloc + sizeof(clusterLink);
    }
    dictReleaseIterator(di);
    return mem;
}

unsigned long clusterConnectionCount(void) {
    if (!server.cluster.enabled) return 0;
    unsigned long count = 0;
    dictIterator *di = dictGetIterator(cstate->nodes);
    dictEntry *de;
    while ((de = dictNext(di)) != NULL) {
        clusterNode *n = dictGetVal(de);
        count += (n->link != NULL) + (n->inbound_link != NULL);
    }
    dictReleaseIterator(di);
    return count;
}
