/* clusterwire.c -- encoding, decoding and validation of cluster bus frames.
 *
 * The struct layouts of clusterwire.h match the wire byte for byte; the
 * static asserts below pin every offset so that a change of compiler or a
 * careless edit cannot move a field. Decoding copies the bytes into the
 * struct (no alignment is assumed of the buffer) and turns each integer
 * from big-endian to host order; encoding does the reverse. */
#include "clusterwire.h"

#include <stddef.h>
#include <string.h>

_Static_assert(offsetof(cbusHeader, totlen) == 4, "totlen");
_Static_assert(offsetof(cbusHeader, ver) == 8, "ver");
_Static_assert(offsetof(cbusHeader, port) == 10, "port");
_Static_assert(offsetof(cbusHeader, type) == 12, "type");
_Static_assert(offsetof(cbusHeader, count) == 14, "count");
_Static_assert(offsetof(cbusHeader, current_epoch) == 16, "currentEpoch");
_Static_assert(offsetof(cbusHeader, config_epoch) == 24, "configEpoch");
_Static_assert(offsetof(cbusHeader, offset) == 32, "offset");
_Static_assert(offsetof(cbusHeader, sender) == 40, "sender");
_Static_assert(offsetof(cbusHeader, myslots) == 80, "myslots");
_Static_assert(offsetof(cbusHeader, replicaof) == 2128, "replicaof");
_Static_assert(offsetof(cbusHeader, myip) == 2168, "myip");
_Static_assert(offsetof(cbusHeader, extensions) == 2214, "extensions");
_Static_assert(offsetof(cbusHeader, pport) == 2246, "pport");
_Static_assert(offsetof(cbusHeader, cport) == 2248, "cport");
_Static_assert(offsetof(cbusHeader, flags) == 2250, "flags");
_Static_assert(offsetof(cbusHeader, state) == 2252, "state");
_Static_assert(offsetof(cbusHeader, mflags) == 2253, "mflags");
_Static_assert(sizeof(cbusHeader) == CBUS_HEADER_LEN, "header size");
_Static_assert(offsetof(cbusGossip, ping_sent) == 40, "ping_sent");
_Static_assert(offsetof(cbusGossip, pong_received) == 44, "pong_received");
_Static_assert(offsetof(cbusGossip, ip) == 48, "ip");
_Static_assert(offsetof(cbusGossip, port) == 94, "gossip port");
_Static_assert(offsetof(cbusGossip, cport) == 96, "gossip cport");
_Static_assert(offsetof(cbusGossip, flags) == 98, "gossip flags");
_Static_assert(offsetof(cbusGossip, pport) == 100, "gossip pport");
_Static_assert(sizeof(cbusGossip) == CBUS_GOSSIP_LEN, "gossip size");

uint64_t cbusGet64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
    return v;
}

uint32_t cbusGet32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint16_t cbusGet16(const unsigned char *p) {
    return (uint16_t)(p[0] << 8 | p[1]);
}

void cbusPut64(unsigned char *p, uint64_t v) {
    for (int i = 7; i >= 0; i--, v >>= 8) p[i] = (unsigned char)v;
}

void cbusPut32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

void cbusPut16(unsigned char *p, uint16_t v) {
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

#define GET16(buf, s, f) cbusGet16((buf) + offsetof(s, f))
#define GET32(buf, s, f) cbusGet32((buf) + offsetof(s, f))
#define GET64(buf, s, f) cbusGet64((buf) + offsetof(s, f))
#define PUT16(buf, s, f, v) cbusPut16((buf) + offsetof(s, f), (v))
#define PUT32(buf, s, f, v) cbusPut32((buf) + offsetof(s, f), (v))
#define PUT64(buf, s, f, v) cbusPut64((buf) + offsetof(s, f), (v))

void cbusHeaderDecode(const unsigned char *buf, cbusHeader *h) {
    memcpy(h, buf, sizeof(*h));
    h->totlen = GET32(buf, cbusHeader, totlen);
    h->ver = GET16(buf, cbusHeader, ver);
    h->port = GET16(buf, cbusHeader, port);
    h->type = GET16(buf, cbusHeader, type);
    h->count = GET16(buf, cbusHeader, count);
    h->current_epoch = GET64(buf, cbusHeader, current_epoch);
    h->config_epoch = GET64(buf, cbusHeader, config_epoch);
    h->offset = GET64(buf, cbusHeader, offset);
    h->extensions = GET16(buf, cbusHeader, extensions);
    h->pport = GET16(buf, cbusHeader, pport);
    h->cport = GET16(buf, cbusHeader, cport);
    h->flags = GET16(buf, cbusHeader, flags);
    h->myip[CBUS_IPLEN - 1] = '\0';
}

void cbusHeaderEncode(const cbusHeader *h, unsigned char *buf) {
    memcpy(buf, h, sizeof(*h));
    PUT32(buf, cbusHeader, totlen, h->totlen);
    PUT16(buf, cbusHeader, ver, h->ver);
    PUT16(buf, cbusHeader, port, h->port);
    PUT16(buf, cbusHeader, type, h->type);
    PUT16(buf, cbusHeader, count, h->count);
    PUT64(buf, cbusHeader, current_epoch, h->current_epoch);
    PUT64(buf, cbusHeader, config_epoch, h->config_epoch);
    PUT64(buf, cbusHeader, offset, h->offset);
    PUT16(buf, cbusHeader, extensions, h->extensions);
    PUT16(buf, cbusHeader, pport, h->pport);
    PUT16(buf, cbusHeader, cport, h->cport);
    PUT16(buf, cbusHeader, flags, h->flags);
}

void cbusGossipDecode(const unsigned char *buf, cbusGossip *g) {
    memcpy(g, buf, sizeof(*g));
    g->ping_sent = GET32(buf, cbusGossip, ping_sent);
    g->pong_received = GET32(buf, cbusGossip, pong_received);
    g->port = GET16(buf, cbusGossip, port);
    g->cport = GET16(buf, cbusGossip, cport);
    g->flags = GET16(buf, cbusGossip, flags);
    g->pport = GET16(buf, cbusGossip, pport);
    g->ip[CBUS_IPLEN - 1] = '\0';
}

void cbusGossipEncode(const cbusGossip *g, unsigned char *buf) {
    memcpy(buf, g, sizeof(*g));
    PUT32(buf, cbusGossip, ping_sent, g->ping_sent);
    PUT32(buf, cbusGossip, pong_received, g->pong_received);
    PUT16(buf, cbusGossip, port, g->port);
    PUT16(buf, cbusGossip, cport, g->cport);
    PUT16(buf, cbusGossip, flags, g->flags);
    PUT16(buf, cbusGossip, pport, g->pport);
}

/* The length a PING/PONG/MEET must have, or 0 if its extensions run past
 * the frame or are malformed. */
static size_t pingFrameLength(const unsigned char *buf, size_t len) {
    size_t explen = CBUS_HEADER_LEN + (size_t)GET16(buf, cbusHeader, count) * CBUS_GOSSIP_LEN;
    if (!(buf[offsetof(cbusHeader, mflags)] & CBUS_MF0_EXT_DATA)) return explen;
    unsigned exts = GET16(buf, cbusHeader, extensions);
    for (unsigned i = 0; i < exts; i++) {
        if (explen + CBUS_EXT_HEADER_LEN > len) return 0;
        uint32_t extlen = cbusGet32(buf + explen);
        if (extlen < CBUS_EXT_HEADER_LEN || extlen % 8 != 0 || extlen > len - explen) return 0;
        explen += extlen;
    }
    return explen;
}

int cbusFrameIsValid(const unsigned char *buf, size_t len) {
    if (len < CBUS_HEADER_LEN || memcmp(buf, "RCmb", 4) != 0) return 0;
    if (GET32(buf, cbusHeader, totlen) != len) return 0;
    const unsigned char *body = buf + CBUS_HEADER_LEN;
    size_t explen;
    switch (GET16(buf, cbusHeader, type)) {
    case CBUS_PING:
    case CBUS_PONG:
    case CBUS_MEET: explen = pingFrameLength(buf, len); break;
    case CBUS_FAIL: explen = CBUS_HEADER_LEN + CBUS_FAIL_LEN; break;
    case CBUS_PUBLISH:
    case CBUS_PUBLISHSHARD:
        if (len < CBUS_HEADER_LEN + CBUS_PUBLISH_LEN) return 0;
        explen = CBUS_HEADER_LEN + CBUS_PUBLISH_LEN + (size_t)cbusGet32(body) + cbusGet32(body + 4);
        break;
    case CBUS_AUTH_REQUEST:
    case CBUS_AUTH_ACK:
    case CBUS_MFSTART: explen = CBUS_HEADER_LEN; break;
    case CBUS_UPDATE: explen = CBUS_HEADER_LEN + CBUS_UPDATE_LEN; break;
    case CBUS_MODULE:
        if (len < CBUS_HEADER_LEN + CBUS_MODULE_LEN) return 0;
        explen = CBUS_HEADER_LEN + CBUS_MODULE_LEN + cbusGet32(body + 8);
        break;
    default: return 1;
    }
    return explen == len;
}

int cbusNextExtension(const unsigned char *buf, size_t len, size_t *off, uint16_t *type, const unsigned char **payload,
                      size_t *payload_len) {
    if (!(buf[offsetof(cbusHeader, mflags)] & CBUS_MF0_EXT_DATA)) return 0;
    if (*off == 0) *off = CBUS_HEADER_LEN + (size_t)GET16(buf, cbusHeader, count) * CBUS_GOSSIP_LEN;
    if (*off + CBUS_EXT_HEADER_LEN > len) return 0;
    uint32_t extlen = cbusGet32(buf + *off);
    if (extlen < CBUS_EXT_HEADER_LEN || extlen > len - *off) return 0;
    *type = cbusGet16(buf + *off + 4);
    *payload = buf + *off + CBUS_EXT_HEADER_LEN;
    *payload_len = extlen - CBUS_EXT_HEADER_LEN;
    *off += extlen;
    return 1;
}

size_t cbusHostnameExtLen(size_t namelen) {
    return CBUS_EXT_HEADER_LEN + (namelen + 1 + 7) / 8 * 8;
}

size_t cbusWriteHostnameExt(unsigned char *buf, const char *name, size_t namelen) {
    size_t total = cbusHostnameExtLen(namelen);
    memset(buf, 0, total);
    cbusPut32(buf, (uint32_t)total);
    cbusPut16(buf + 4, CBUS_EXT_HOSTNAME);
    memcpy(buf + CBUS_EXT_HEADER_LEN, name, namelen);
    return total;
}
