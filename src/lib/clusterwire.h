/* clusterwire.h -- the byte layout of Redis 7.0's cluster bus messages.
 *
 * Nodes of a Redis Cluster talk over a second TCP port (the bus) in binary
 * frames. Every frame starts with one fixed 2256-byte header: the signature
 * "RCmb", the total length, protocol version 1, the sender's client port,
 * the message type, a count (gossip entries of a PING/PONG/MEET), the
 * sender's current and config epochs, its replication offset, its name (40
 * hex characters), the 16384-bit bitmap of the slots it (or its master)
 * serves, the name of its master, the address it announces, the number of
 * ping extensions, its secondary and bus ports, its node flags, the cluster
 * state it sees and three message flag bytes. A body follows whose shape
 * depends on the type. Every integer is big-endian on the wire.
 *
 * The structs below are that layout with natural alignment (the wire has no
 * padding: every field falls on its own alignment), checked by the static
 * asserts in clusterwire.c. They hold host-order values once decoded:
 * cbusHeaderDecode/Encode and cbusGossipDecode/Encode convert between the
 * bytes and the structs, so no caller touches byte order or alignment.
 *
 * A PING, PONG or MEET carries `count` gossip entries and then, when the
 * EXT_DATA message flag is set, `extensions` ping extensions: each is an
 * 8-byte header (length including itself, type) and a payload padded to a
 * multiple of 8. Redis 7.0 sends one kind, the hostname (a NUL-terminated
 * string); other kinds are skipped by their length.
 *
 * This is a base library: no server state. */
#ifndef EMBER_CLUSTERWIRE_H
#define EMBER_CLUSTERWIRE_H

#include <stddef.h>
#include <stdint.h>

#define CBUS_NAMELEN 40
#define CBUS_IPLEN 46
#define CBUS_SLOTS 16384
#define CBUS_SLOT_BYTES (CBUS_SLOTS / 8)
#define CBUS_VERSION 1

/* Message types. */
#define CBUS_PING 0
#define CBUS_PONG 1
#define CBUS_MEET 2
#define CBUS_FAIL 3
#define CBUS_PUBLISH 4
#define CBUS_AUTH_REQUEST 5
#define CBUS_AUTH_ACK 6
#define CBUS_UPDATE 7
#define CBUS_MFSTART 8
#define CBUS_MODULE 9
#define CBUS_PUBLISHSHARD 10
#define CBUS_TYPE_COUNT 11

/* Node flags, in the header and in gossip entries (and nodes.conf's words). */
#define CBUS_NODE_MASTER 1
#define CBUS_NODE_SLAVE 2
#define CBUS_NODE_PFAIL 4
#define CBUS_NODE_FAIL 8
#define CBUS_NODE_MYSELF 16
#define CBUS_NODE_HANDSHAKE 32
#define CBUS_NODE_NOADDR 64
#define CBUS_NODE_MEET 128
#define CBUS_NODE_MIGRATE_TO 256
#define CBUS_NODE_NOFAILOVER 512

/* mflags[0] bits. */
#define CBUS_MF0_PAUSED 1   /* the master is paused for a manual failover */
#define CBUS_MF0_FORCEACK 2 /* vote even though the master is not failing */
#define CBUS_MF0_EXT_DATA 4 /* ping extensions follow the gossip */

/* Ping extension types. */
#define CBUS_EXT_HOSTNAME 0

/* Cluster state byte. */
#define CBUS_STATE_OK 0
#define CBUS_STATE_FAIL 1

typedef struct cbusHeader {
    char sig[4];
    uint32_t totlen;
    uint16_t ver;
    uint16_t port;
    uint16_t type;
    uint16_t count;
    uint64_t current_epoch;
    uint64_t config_epoch;
    uint64_t offset;
    char sender[CBUS_NAMELEN];
    unsigned char myslots[CBUS_SLOT_BYTES];
    char replicaof[CBUS_NAMELEN]; /* all zero bytes for a master */
    char myip[CBUS_IPLEN];        /* NUL-terminated; empty: use the socket's */
    uint16_t extensions;
    char unused[30];
    uint16_t pport;
    uint16_t cport;
    uint16_t flags;
    unsigned char state;
    unsigned char mflags[3];
} cbusHeader;

typedef struct cbusGossip {
    char nodename[CBUS_NAMELEN];
    uint32_t ping_sent;     /* seconds */
    uint32_t pong_received; /* seconds */
    char ip[CBUS_IPLEN];
    uint16_t port;
    uint16_t cport;
    uint16_t flags;
    uint16_t pport;
    uint16_t unused;
} cbusGossip;

#define CBUS_HEADER_LEN 2256
#define CBUS_GOSSIP_LEN 104
#define CBUS_FAIL_LEN CBUS_NAMELEN
#define CBUS_PUBLISH_LEN 8 /* channel_len, message_len, then the bytes */
#define CBUS_UPDATE_LEN (8 + CBUS_NAMELEN + CBUS_SLOT_BYTES)
#define CBUS_MODULE_LEN 13 /* module id, length, type, then the bytes */
#define CBUS_EXT_HEADER_LEN 8

/* Fills h from the first CBUS_HEADER_LEN bytes of buf (host order). */
void cbusHeaderDecode(const unsigned char *buf, cbusHeader *h);
/* Writes h (host order) as the first CBUS_HEADER_LEN bytes of buf. */
void cbusHeaderEncode(const cbusHeader *h, unsigned char *buf);
void cbusGossipDecode(const unsigned char *buf, cbusGossip *g);
void cbusGossipEncode(const cbusGossip *g, unsigned char *buf);

/* Big-endian helpers for the bodies. */
uint64_t cbusGet64(const unsigned char *p);
uint32_t cbusGet32(const unsigned char *p);
uint16_t cbusGet16(const unsigned char *p);
void cbusPut64(unsigned char *p, uint64_t v);
void cbusPut32(unsigned char *p, uint32_t v);
void cbusPut16(unsigned char *p, uint16_t v);

/* Whether the complete frame buf[0..len) (len == its totlen) is well formed
 * for its type: the body lengths add up to totlen and every ping extension
 * lies inside it. A type unknown to 7.0 is accepted (the receiver ignores
 * it). Returns 1 if valid, 0 if not. */
int cbusFrameIsValid(const unsigned char *buf, size_t len);

/* Ping extensions of a valid PING/PONG/MEET frame, in order: *off starts at
 * 0; each call returns 1 and sets type, payload and its length (padding
 * included), or returns 0 when there are no more. */
int cbusNextExtension(const unsigned char *buf, size_t len, size_t *off, uint16_t *type, const unsigned char **payload,
                      size_t *payload_len);

/* Appends a hostname extension for name (NUL-terminated, padded) at buf;
 * returns the bytes written, cbusHostnameExtLen(strlen(name)). */
size_t cbusHostnameExtLen(size_t namelen);
size_t cbusWriteHostnameExt(unsigned char *buf, const char *name, size_t namelen);

#endif
