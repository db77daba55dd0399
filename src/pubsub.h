/* pubsub.h — publish/subscribe (pubsub.c).
 *
 * Three namespaces share one mechanism: channels (SUBSCRIBE/PUBLISH),
 * patterns (PSUBSCRIBE, matched against channels on PUBLISH) and shard
 * channels (SSUBSCRIBE/SPUBLISH, a namespace of their own). A client's
 * subscriptions live in a pubsubClientState it owns (c->pubsub, NULL until
 * it first subscribes); the server side maps each name to its subscribers.
 */
#ifndef EMBER_PUBSUB_H
#define EMBER_PUBSUB_H

#include "dict.h"
#include "sds.h"

struct client;
struct redisObject;

#define PUBSUB_CHANNEL 0
#define PUBSUB_PATTERN 1
#define PUBSUB_SHARD 2
#define PUBSUB_KINDS 3

/* One set of names (sds keys) per kind; owned by the client. */
typedef struct pubsubClientState {
    dict *names[PUBSUB_KINDS];
} pubsubClientState;

/* Subscriptions of the given kind held by c (0 when it never subscribed). */
unsigned long pubsubClientCount(const struct client *c, int kind);

/* Whether pred returns non-zero for one of c's subscriptions: kind is
 * PUBSUB_CHANNEL, PUBSUB_PATTERN or PUBSUB_SHARD, name is borrowed. Stops at
 * the first hit (ACL: a client whose channels a rule change took away). */
int pubsubClientAnySubscription(const struct client *c, int (*pred)(int kind, sds name, void *privdata),
                                void *privdata);

/* Channels, patterns or shard channels with at least one subscriber. */
unsigned long pubsubServerCount(int kind);

/* Drops every subscription of c without a reply, clears CLIENT_PUBSUB and
 * frees c->pubsub. Used by RESET and when the client is freed. */
void pubsubUnsubscribeAllSilently(struct client *c);

/* Delivers message to the subscribers of channel (and, for PUBSUB_CHANNEL,
 * of every matching pattern); returns the number of deliveries. Each frame
 * is built once per protocol and shared by all its receivers. Neither
 * object is kept. kind is PUBSUB_CHANNEL or PUBSUB_SHARD. */
long long pubsubPublish(int kind, struct redisObject *channel, struct redisObject *message);

/* Command handlers. */
void subscribeCommand(struct client *c);
void psubscribeCommand(struct client *c);
void ssubscribeCommand(struct client *c);
void unsubscribeCommand(struct client *c);
void punsubscribeCommand(struct client *c);
void sunsubscribeCommand(struct client *c);
void publishCommand(struct client *c);
void spublishCommand(struct client *c);
void pubsubChannelsCommand(struct client *c);
void pubsubShardchannelsCommand(struct client *c);
void pubsubNumsubCommand(struct client *c);
void pubsubShardnumsubCommand(struct client *c);
void pubsubNumpatCommand(struct client *c);
void pubsubHelpCommand(struct client *c);

#endif /* EMBER_PUBSUB_H */
