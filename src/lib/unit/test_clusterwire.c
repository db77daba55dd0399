/* Unit tests of clusterwire.c: the header fields land at the offsets a real
 * Redis 7.0.15 MEET showed (captured once from `CLUSTER MEET` to a socket:
 * totlen 2272, type 2, flags 17, state 1, mflags[0] 4, one 16-byte hostname
 * extension "hostA"), round trips, and the length rules per type. */
#include <stdlib.h>
#include <string.h>

#include "clusterwire.h"
#include "test.h"

/* A MEET as Redis 7.0.15 sent it, from its fields. */
static size_t makeMeet(unsigned char *buf) {
    memset(buf, 0, 4096);
    memcpy(buf, "RCmb", 4);
    cbusPut32(buf + 4, 2272);
    cbusPut16(buf + 8, 1);
    cbusPut16(buf + 10, 27001);
    cbusPut16(buf + 12, CBUS_MEET);
    memcpy(buf + 40, "c72b952dcd1085f2e3228a43a52d2415fe61f4e2", 40);
    cbusPut16(buf + 2214, 1);
    cbusPut16(buf + 2248, 37001);
    cbusPut16(buf + 2250, 17);
    buf[2252] = 1;
    buf[2253] = 4;
    static const unsigned char ext[16] = {0, 0, 0, 0x10, 0, 0, 0, 0, 'h', 'o', 's', 't', 'A', 0, 0, 0};
    memcpy(buf + 2256, ext, sizeof(ext));
    return 2272;
}

int main(void) {
    unsigned char *buf = malloc(8192), *out = malloc(8192);
    TEST("decode a captured MEET") {
        size_t len = makeMeet(buf);
        cbusHeader h;
        cbusHeaderDecode(buf, &h);
        ASSERT(h.totlen == 2272 && h.ver == 1 && h.port == 27001 && h.type == CBUS_MEET && h.count == 0);
        ASSERT(h.cport == 37001 && h.flags == (CBUS_NODE_MASTER | CBUS_NODE_MYSELF) && h.state == CBUS_STATE_FAIL);
        ASSERT(h.extensions == 1 && h.mflags[0] == CBUS_MF0_EXT_DATA);
        ASSERT(memcmp(h.sender, "c72b952dcd1085f2e3228a43a52d2415fe61f4e2", 40) == 0);
        ASSERT(cbusFrameIsValid(buf, len));
        size_t off = 0, plen;
        uint16_t type;
        const unsigned char *payload;
        ASSERT(cbusNextExtension(buf, len, &off, &type, &payload, &plen));
        ASSERT(type == CBUS_EXT_HOSTNAME && plen == 8 && strcmp((const char *)payload, "hostA") == 0);
        ASSERT(!cbusNextExtension(buf, len, &off, &type, &payload, &plen));
    }
    TEST("encode is the inverse of decode") {
        makeMeet(buf);
        cbusHeader h;
        cbusHeaderDecode(buf, &h);
        cbusHeaderEncode(&h, out);
        ASSERT(memcmp(buf, out, CBUS_HEADER_LEN) == 0);
        cbusGossip g, g2;
        memset(&g, 0, sizeof(g));
        memcpy(g.nodename, "0123456789012345678901234567890123456789", 40);
        strcpy(g.ip, "127.0.0.1");
        g.ping_sent = 0x01020304;
        g.port = 6379;
        g.cport = 16379;
        g.flags = CBUS_NODE_SLAVE | CBUS_NODE_PFAIL;
        cbusGossipEncode(&g, out);
        ASSERT(out[40] == 1 && out[43] == 4 && cbusGet16(out + 94) == 6379 && cbusGet16(out + 98) == 6);
        cbusGossipDecode(out, &g2);
        ASSERT(memcmp(&g, &g2, sizeof(g)) == 0);
    }
    TEST("hostname extension padding") {
        ASSERT(cbusHostnameExtLen(5) == 16);
        ASSERT(cbusHostnameExtLen(7) == 16);
        ASSERT(cbusHostnameExtLen(8) == 24);
        ASSERT(cbusWriteHostnameExt(out, "hostA", 5) == 16);
        ASSERT(cbusGet32(out) == 16 && out[8] == 'h' && out[13] == 0);
    }
    TEST("length rules") {
        size_t len = makeMeet(buf);
        ASSERT(!cbusFrameIsValid(buf, len - 8)); /* totlen disagrees */
        cbusPut32(buf + 2256, 4096);             /* extension past the end */
        ASSERT(!cbusFrameIsValid(buf, len));
        makeMeet(buf);
        buf[0] = 'X';
        ASSERT(!cbusFrameIsValid(buf, len));
        memset(buf, 0, CBUS_HEADER_LEN + 64);
        memcpy(buf, "RCmb", 4);
        cbusPut16(buf + 12, CBUS_FAIL);
        cbusPut32(buf + 4, CBUS_HEADER_LEN + 40);
        ASSERT(cbusFrameIsValid(buf, CBUS_HEADER_LEN + 40));
        cbusPut16(buf + 12, CBUS_PUBLISH);
        cbusPut32(buf + 4, CBUS_HEADER_LEN + 8 + 3 + 2);
        cbusPut32(buf + CBUS_HEADER_LEN, 3);
        cbusPut32(buf + CBUS_HEADER_LEN + 4, 2);
        ASSERT(cbusFrameIsValid(buf, CBUS_HEADER_LEN + 13));
        cbusPut32(buf + CBUS_HEADER_LEN + 4, 0x7fffffff);
        ASSERT(!cbusFrameIsValid(buf, CBUS_HEADER_LEN + 13));
        cbusPut16(buf + 12, 42); /* unknown types pass (and are ignored) */
        ASSERT(cbusFrameIsValid(buf, CBUS_HEADER_LEN + 13));
    }
    free(buf);
    free(out);
    return TEST_REPORT();
}
