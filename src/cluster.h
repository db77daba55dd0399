/* cluster.h — Redis Cluster, as the rest of the server sees it.
 *
 * With `cluster-enabled yes` the server is one node of a Redis Cluster: it
 * owns some of the 16384 hash slots (or replicates a node that does), talks
 * to the other nodes over the cluster bus (port + 10000, Redis 7.0's binary
 * protocol, cluster_bus.c), keeps its view in nodes.conf (cluster_config.c)
 * and redirects clients whose keys live elsewhere (cluster_route.c). The
 * state and its rules (failure detection, epochs, failover) are in
 * cluster.c, the CLUSTER command in cluster_cmd.c; cluster_internal.h is
 * what those files share. Everything here is a no-op or refused when the
 * cluster is disabled.
 */
#ifndef EMBER_CLUSTER_H
#define EMBER_CLUSTER_H

#include "sds.h"

typedef struct client client;
struct redisObject;

/* Loads or creates nodes.conf and opens the bus listener; exits with a log
 * line when either fails (as Redis does). Called by initServer when
 * cluster-enabled, after the client listeners are open. */
void clusterInit(void);

/* The cluster's periodic work (pings, failure detection, failover,
 * reconnections); serverCron calls it every 100 ms. */
void clusterCron(void);

/* Work deferred by message handlers to before the loop sleeps: saving
 * nodes.conf, recomputing the cluster state, an election. */
void clusterBeforeSleep(void);

/* processCommand's cluster check: when c's command cannot run here (its
 * keys hash to another node, to several slots, or the cluster is down) it
 * replies with -MOVED/-ASK/-CROSSSLOT/-TRYAGAIN/-CLUSTERDOWN and returns 1;
 * otherwise returns 0. */
int clusterRedirectClient(client *c);

/* The cluster check of a command a script calls (cmd, argv borrowed): NULL
 * when this node serves it, else the error text (static). script_client
 * takes caller's READONLY/ASKING flags; *slot is the slot of the keys the
 * script touched so far (-1: none) and is updated; allow_cross: the
 * script's allow-cross-slot-keys flag. */
struct redisCommand;
const char *clusterScriptRefusal(client *script_client, client *caller, struct redisCommand *cmd,
                                 struct redisObject **argv, int argc, int *slot, int allow_cross);

/* PUBLISH and SPUBLISH: sends the message to the other nodes (all of them,
 * or the nodes of this shard). Borrows the objects. */
void clusterPropagatePublish(struct redisObject *channel, struct redisObject *message, int sharded);

/* The bytes of the bus links' buffers, for INFO memory's mem_cluster_links. */
unsigned long long clusterLinksMemory(void);

/* INFO's `cluster_connections` figure: bus links open. */
unsigned long clusterConnectionCount(void);

/* Command handlers: CLUSTER's subcommands (cluster_cmd.c); ASKING, READONLY,
 * READWRITE (cluster_route.c). */
void clusterAddslotsCommand(client *c);
void clusterAddslotsrangeCommand(client *c);
void clusterBumpepochCommand(client *c);
void clusterCountfailurereportsCommand(client *c);
void clusterCountkeysinslotCommand(client *c);
void clusterDelslotsCommand(client *c);
void clusterDelslotsrangeCommand(client *c);
void clusterFailoverCommand(client *c);
void clusterFlushslotsCommand(client *c);
void clusterForgetCommand(client *c);
void clusterGetkeysinslotCommand(client *c);
void clusterHelpCommand(client *c);
void clusterInfoCommand(client *c);
void clusterKeyslotCommand(client *c);
void clusterLinksCommand(client *c);
void clusterMeetCommand(client *c);
void clusterMyidCommand(client *c);
void clusterNodesCommand(client *c);
void clusterReplicasCommand(client *c);
void clusterReplicateCommand(client *c);
void clusterResetCommand(client *c);
void clusterSaveconfigCommand(client *c);
void clusterSetconfigepochCommand(client *c);
void clusterSetslotCommand(client *c);
void clusterShardsCommand(client *c);
void clusterSlavesCommand(client *c);
void clusterSlotsCommand(client *c);
void askingCommand(client *c);
void readonlyCommand(client *c);
void readwriteCommand(client *c);

#endif
