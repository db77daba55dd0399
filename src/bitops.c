/* bitops.c — strings seen as arrays of bits: SETBIT, GETBIT, BITCOUNT,
 * BITPOS, BITOP, BITFIELD and BITFIELD_RO.
 *
 * A bitmap is an ordinary string value. Bit 0 is the most significant bit
 * of byte 0, bit 7 its least significant bit, bit 8 the top bit of byte 1,
 * and so on: the order in which a person reads the bits of the bytes from
 * left to right. Bits past the end of a string read as zero. A write past
 * the end grows the string with zero bytes first, so a write never needs
 * more than one pass and an absent key behaves as an empty string.
 *
 * Reading commands accept any string encoding: an int-encoded value is
 * formatted into a stack buffer and read there, and the stored value is
 * left as it is. Writing commands need a private, writable sds, so
 * bitsWritableValue() turns the value into a raw string owned by the key
 * alone (OBJECT ENCODING then says "raw", as it does in Redis).
 *
 * Offsets are limited so that the byte holding the addressed bit stays
 * below proto-max-bulk-len; a BITFIELD field starting in that last byte may
 * still end one byte later, which Redis allows too.
 *
 * Speed: BITCOUNT counts 8-byte words with the compiler's popcount, using
 * the POPCNT instruction when the CPU has one (checked at run time, so the
 * binary still runs on any x86-64); BITPOS skips 32 bytes at a time while
 * they hold only uninteresting bits; BITOP combines sources word by word
 * into a zero-filled result, one loop per operation. Unaligned words are
 * read and written with memcpy, which compilers turn into plain loads and
 * stores.
 *
 * BITFIELD parses every operation before running any, so a malformed
 * command changes nothing. Field arithmetic is done in 128 bits, which
 * makes the overflow tests of all widths (1..64, signed or not) one
 * comparison against the field's range.
 *
 * Two oddities of Redis 7.0 are reproduced on purpose, since clients see
 * them: BITCOUNT answers 0 for two negative indexes in decreasing order,
 * and BITFIELD OVERFLOW SAT saturates a hugely negative signed SET value
 * to the field's maximum. Both are marked where they happen.
 */
#include "server.h"
#include "notify.h"

#include <string.h>
#include <strings.h>

static const char BIT_OFFSET_ERR[] = "bit offset is not an integer or out of range";

/* ------------------------------------------------------- raw bit access */

/* Set bits in p[0..n), counting 32 bytes per step. Always inlined into
 * its two callers below, so that it is compiled twice on x86-64: for the
 * baseline instruction set, where popcount becomes a few shifts and masks,
 * and with the POPCNT instruction, chosen at run time when the CPU has it. */
static inline __attribute__((always_inline)) long long bitsPopcountBody(const unsigned char *p, size_t n) {
    long long count = 0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t w[4];
        memcpy(w, p + i, sizeof(w));
        count += __builtin_popcountll(w[0]) + __builtin_popcountll(w[1]) + __builtin_popcountll(w[2]) +
                 __builtin_popcountll(w[3]);
    }
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof(w));
        count += __builtin_popcountll(w);
    }
    for (; i < n; i++) count += __builtin_popcount(p[i]);
    return count;
}

static long long bitsPopcountGeneric(const unsigned char *p, size_t n) {
    return bitsPopcountBody(p, n);
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("popcnt"))) static long long bitsPopcountHw(const unsigned char *p, size_t n) {
    return bitsPopcountBody(p, n);
}
#endif

/* Number of bits set in p[0..n). */
static long long bitsPopcount(const unsigned char *p, size_t n) {
#if defined(__x86_64__) && defined(__GNUC__)
    if (n >= 32 && __builtin_cpu_supports("popcnt")) return bitsPopcountHw(p, n);
#endif
    return bitsPopcountGeneric(p, n);
}

/* First index in [from, to) whose byte differs from `skip`, or `to`. */
static size_t bitsSkipBytes(const unsigned char *p, size_t from, size_t to, unsigned char skip) {
    uint64_t skipword;
    memset(&skipword, skip, sizeof(skipword));
    size_t i = from;
    while (i + 32 <= to) {
        uint64_t w[4];
        memcpy(w, p + i, sizeof(w));
        if (((w[0] ^ skipword) | (w[1] ^ skipword) | (w[2] ^ skipword) | (w[3] ^ skipword)) != 0) break;
        i += 32;
    }
    while (i + 8 <= to) {
        uint64_t w;
        memcpy(&w, p + i, sizeof(w));
        if (w != skipword) break;
        i += 8;
    }
    while (i < to && p[i] == skip) i++;
    return i;
}

/* Position of the first bit equal to `bit` among bits [s, e] of p (both
 * inclusive, s <= e, both inside p), or -1 when there is none. */
static long long bitsSearch(const unsigned char *p, uint64_t s, uint64_t e, int bit) {
    uint64_t first = s >> 3, last = e >> 3;
    unsigned char skip = bit ? 0x00 : 0xff;
    uint64_t i = first;
    while (i <= last) {
        if (i > first && i < last) i = bitsSkipBytes(p, i, last, skip);
        unsigned v = (unsigned char)(bit ? p[i] : ~p[i]);
        if (i == first) v &= 0xffu >> (s & 7);
        if (i == last) v &= (0xffu << (7 - (e & 7))) & 0xffu;
        if (v) return (long long)(i * 8) + (__builtin_clz(v) - (int)(sizeof(unsigned) * 8 - 8));
        i++;
    }
    return -1;
}

/* Bit `offset` of p[0..len), zero past the end. */
static int bitsGet(const unsigned char *p, size_t len, uint64_t offset) {
    uint64_t byte = offset >> 3;
    if (byte >= len) return 0;
    return (p[byte] >> (7 - (offset & 7))) & 1;
}

/* Sets bit `offset` of p (which must be long enough) to `on`. */
static void bitsSet(unsigned char *p, uint64_t offset, int on) {
    unsigned char mask = (unsigned char)(1u << (7 - (offset & 7)));
    if (on)
        p[offset >> 3] |= mask;
    else
        p[offset >> 3] &= (unsigned char)~mask;
}

/* The `bits` bits at `offset` as an unsigned number, first bit highest. */
static uint64_t bitsReadField(const unsigned char *p, size_t len, uint64_t offset, int bits) {
    uint64_t v = 0;
    for (int j = 0; j < bits; j++) v = (v << 1) | (uint64_t)bitsGet(p, len, offset + j);
    return v;
}

/* Writes the low `bits` bits of v at `offset`, highest bit first. */
static void bitsWriteField(unsigned char *p, uint64_t offset, int bits, uint64_t v) {
    for (int j = 0; j < bits; j++) bitsSet(p, offset + j, (int)((v >> (bits - 1 - j)) & 1));
}

/* ------------------------------------------------ values and arguments */

/* The bytes of string object o. An int-encoded value is formatted into buf
 * (at least 32 bytes); the pointer is valid while o and buf are. */
static const unsigned char *bitsStringBytes(robj *o, char *buf, size_t *len) {
    if (sdsEncodedObject(o)) {
        *len = sdslen(o->ptr);
        return (const unsigned char *)o->ptr;
    }
    *len = (size_t)ll2string(buf, 32, (long)o->ptr);
    return (const unsigned char *)buf;
}

/* The string at argv[1], writable and at least long enough to hold bit
 * `maxbit`; created zero-filled when absent. Replies WRONGTYPE and returns
 * NULL for a value of another type. Sets *grown when the key was created
 * or lengthened. The object is borrowed from the keyspace. */
static robj *bitsWritableValue(client *c, uint64_t maxbit, int *grown) {
    robj *key = c->argv[1];
    size_t need = (size_t)(maxbit >> 3) + 1;
    robj *o = lookupKeyWrite(c->db, key);
    if (checkType(c, o, OBJ_STRING)) return NULL;
    if (o == NULL) {
        o = createObject(OBJ_STRING, sdsnewlen(NULL, need));
        dbAdd(c->db, key, o);
        *grown = 1;
        return o;
    }
    o = dbUnshareStringValue(c->db, key, o);
    size_t before = sdslen(o->ptr);
    o->ptr = sdsgrowzero(o->ptr, need);
    *grown = sdslen(o->ptr) != before;
    return o;
}

/* Parses a bit offset. With `hash` set, "#N" means N * bits. The byte of
 * the offset must be below proto-max-bulk-len. Replies on error. */
static int bitsParseOffset(client *c, robj *arg, int hash, int bits, uint64_t *offset) {
    robj *dec = getDecodedObject(arg);
    const char *s = dec->ptr;
    size_t len = sdslen(dec->ptr);
    int usehash = hash && len > 0 && s[0] == '#';
    long long v;
    int ok = string2ll(s + usehash, len - usehash, &v);
    decrRefCount(dec);
    if (ok && usehash && __builtin_mul_overflow(v, (long long)bits, &v)) ok = 0;
    if (!ok || v < 0 || (v >> 3) >= server.limits.proto_max_bulk_len) {
        addReplyError(c, BIT_OFFSET_ERR);
        return C_ERR;
    }
    *offset = (uint64_t)v;
    return C_OK;
}

/* Clamps [*start, *end] (negative values count from the end) to an index
 * range of a sequence of `total` items. Returns 0 when it is empty. */
static int bitsClampRange(long long *start, long long *end, long long total) {
    if (*start < 0) *start += total;
    if (*end < 0) *end += total;
    if (*start < 0) *start = 0;
    if (*end < 0) *end = 0;
    if (*end >= total) *end = total - 1;
    return *start <= *end;
}

/* Parses an optional BYTE|BIT unit. Sets *isbit; replies on error. */
static int bitsParseUnit(client *c, robj *arg, int *isbit) {
    if (!strcasecmp(arg->ptr, "bit")) {
        *isbit = 1;
    } else if (!strcasecmp(arg->ptr, "byte")) {
        *isbit = 0;
    } else {
        addReplyErrorObject(c, shared.syntaxerr);
        return C_ERR;
    }
    return C_OK;
}

/* ---------------------------------------------------- SETBIT and GETBIT */

/* SETBIT key offset value: replies the bit's previous value. As in Redis,
 * it counts as a change only when the key was created or grown or the bit
 * flipped. */
void setbitCommand(client *c) {
    uint64_t offset;
    long on;
    const char *biterr = "bit is not an integer or out of range";
    if (bitsParseOffset(c, c->argv[2], 0, 0, &offset) != C_OK) return;
    if (getLongFromObjectOrReply(c, c->argv[3], &on, biterr) != C_OK) return;
    if (on != 0 && on != 1) {
        addReplyError(c, biterr);
        return;
    }
    int grown;
    robj *o = bitsWritableValue(c, offset, &grown);
    if (o == NULL) return;
    unsigned char *p = (unsigned char *)o->ptr;
    int old = bitsGet(p, sdslen(o->ptr), offset);
    bitsSet(p, offset, (int)on);
    if (grown || old != on) {
        signalModifiedKey(c, c->db, c->argv[1]);
        notifyKeyspaceEvent(NOTIFY_STRING, "setbit", c->argv[1], c->db->id);
        server.dirty++;
    }
    addReply(c, old ? shared.cone : shared.czero);
}

/* GETBIT key offset: the bit, 0 past the end or for a missing key. */
void getbitCommand(client *c) {
    uint64_t offset;
    if (bitsParseOffset(c, c->argv[2], 0, 0, &offset) != C_OK) return;
    robj *o = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (o == NULL || checkType(c, o, OBJ_STRING)) return;
    char buf[32];
    size_t len;
    const unsigned char *p = bitsStringBytes(o, buf, &len);
    addReply(c, bitsGet(p, len, offset) ? shared.cone : shared.czero);
}

/* -------------------------------------------------------------- BITCOUNT */

/* Set bits among bits [s, e] (inclusive, inside p). */
static long long bitsCountRange(const unsigned char *p, uint64_t s, uint64_t e) {
    uint64_t first = s >> 3, last = e >> 3;
    long long count = bitsPopcount(p + first, last - first + 1);
    unsigned head = (0xffu << (8 - (s & 7))) & 0xffu; /* bits before s */
    unsigned tail = 0xffu >> ((e & 7) + 1);           /* bits after e */
    count -= __builtin_popcount(p[first] & head);
    count -= __builtin_popcount(p[last] & tail);
    return count;
}

/* BITCOUNT key [start end [BYTE|BIT]] */
void bitcountCommand(client *c) {
    robj *o = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (o == NULL || checkType(c, o, OBJ_STRING)) return;
    char buf[32];
    size_t len;
    const unsigned char *p = bitsStringBytes(o, buf, &len);
    if (c->argc == 2) {
        addReplyLongLong(c, bitsPopcount(p, len));
        return;
    }
    if (c->argc != 4 && c->argc != 5) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    long long start, end;
    int isbit = 0;
    if (getLongLongFromObjectOrReply(c, c->argv[2], &start, NULL) != C_OK) return;
    if (getLongLongFromObjectOrReply(c, c->argv[3], &end, NULL) != C_OK) return;
    /* Redis 7.0 answers 0 for two negative indexes in decreasing order
     * before clamping them (BITPOS does not), and even before looking at
     * the unit argument, so a bad unit is not an error there. */
    if (start < 0 && end < 0 && start > end) {
        addReply(c, shared.czero);
        return;
    }
    if (c->argc == 5 && bitsParseUnit(c, c->argv[4], &isbit) != C_OK) return;
    long long total = isbit ? (long long)len * 8 : (long long)len;
    if (!bitsClampRange(&start, &end, total)) {
        addReply(c, shared.czero);
        return;
    }
    if (!isbit) {
        start *= 8;
        end = end * 8 + 7;
    }
    addReplyLongLong(c, bitsCountRange(p, (uint64_t)start, (uint64_t)end));
}

/* ---------------------------------------------------------------- BITPOS */

/* BITPOS key bit [start [end [BYTE|BIT]]]: the first bit set to `bit` in
 * the range. Looking for 0 without an explicit end, the string counts as
 * followed by zeros, so the answer is never -1 for a non-empty range. */
void bitposCommand(client *c) {
    long bit;
    if (getLongFromObjectOrReply(c, c->argv[2], &bit, NULL) != C_OK) return;
    if (bit != 0 && bit != 1) {
        addReplyError(c, "The bit argument must be 1 or 0.");
        return;
    }
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (o == NULL) {
        addReplyLongLong(c, bit ? -1 : 0);
        return;
    }
    if (checkType(c, o, OBJ_STRING)) return;
    if (c->argc > 6) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    char buf[32];
    size_t len;
    const unsigned char *p = bitsStringBytes(o, buf, &len);
    long long start = 0, end = -1;
    int isbit = 0, end_given = c->argc >= 5;
    if (c->argc >= 4 && getLongLongFromObjectOrReply(c, c->argv[3], &start, NULL) != C_OK) return;
    /* The unit is checked before the end index, as Redis 7.0 does: with a
     * bad unit and a bad end the error is the unit's syntax error. */
    if (c->argc == 6 && bitsParseUnit(c, c->argv[5], &isbit) != C_OK) return;
    if (c->argc >= 5 && getLongLongFromObjectOrReply(c, c->argv[4], &end, NULL) != C_OK) return;
    long long total = isbit ? (long long)len * 8 : (long long)len;
    if (!bitsClampRange(&start, &end, total)) {
        addReplyLongLong(c, -1);
        return;
    }
    if (!isbit) {
        start *= 8;
        end = end * 8 + 7;
    }
    long long pos = bitsSearch(p, (uint64_t)start, (uint64_t)end, (int)bit);
    if (pos == -1 && bit == 0 && !end_given) pos = end + 1;
    addReplyLongLong(c, pos);
}

/* ----------------------------------------------------------------- BITOP */

enum { BITOP_AND, BITOP_OR, BITOP_XOR, BITOP_NOT };

/* res[i] = res[i] op src[i] for i < len, a word at a time. Always inlined
 * with a constant op, so each operation gets its own branch-free loop. */
static inline __attribute__((always_inline)) void bitsCombineWith(unsigned char *res, const unsigned char *src,
                                                                  size_t len, int op) {
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t a, b;
        memcpy(&a, res + i, 8);
        memcpy(&b, src + i, 8);
        a = op == BITOP_AND ? (a & b) : op == BITOP_OR ? (a | b) : (a ^ b);
        memcpy(res + i, &a, 8);
    }
    for (; i < len; i++) {
        unsigned char x = res[i], y = src[i];
        res[i] = op == BITOP_AND ? (x & y) : op == BITOP_OR ? (x | y) : (x ^ y);
    }
}

/* Combines src[0..len) into res (at least len bytes) with op. */
static void bitsCombine(unsigned char *res, const unsigned char *src, size_t len, int op) {
    switch (op) {
    case BITOP_AND: bitsCombineWith(res, src, len, BITOP_AND); break;
    case BITOP_OR: bitsCombineWith(res, src, len, BITOP_OR); break;
    default: bitsCombineWith(res, src, len, BITOP_XOR); break;
    }
}

/* The result of op over the n source values (NULL for a missing key) as a
 * new sds of the longest source's length, shorter ones zero-padded. */
static sds bitsOperate(int op, robj **srcs, int n) {
    size_t maxlen = 0;
    for (int j = 0; j < n; j++)
        if (srcs[j] && sdslen(srcs[j]->ptr) > maxlen) maxlen = sdslen(srcs[j]->ptr);
    sds res = sdsnewlen(NULL, maxlen);
    unsigned char *r = (unsigned char *)res;
    if (maxlen == 0) return res;
    size_t len0 = srcs[0] ? sdslen(srcs[0]->ptr) : 0;
    if (len0) memcpy(r, srcs[0]->ptr, len0);
    if (op == BITOP_NOT) {
        for (size_t i = 0; i < maxlen; i++) r[i] = (unsigned char)~r[i];
        return res;
    }
    for (int j = 1; j < n; j++) {
        size_t len = srcs[j] ? sdslen(srcs[j]->ptr) : 0;
        if (len) bitsCombine(r, (const unsigned char *)srcs[j]->ptr, len, op);
        if (op == BITOP_AND && len < maxlen) memset(r + len, 0, maxlen - len);
    }
    return res;
}

/* BITOP AND|OR|XOR|NOT destkey key [key ...]: stores the result at destkey
 * (deleting it when the result is empty) and replies its length. */
void bitopCommand(client *c) {
    const char *opname = c->argv[1]->ptr;
    int op;
    if (!strcasecmp(opname, "and"))
        op = BITOP_AND;
    else if (!strcasecmp(opname, "or"))
        op = BITOP_OR;
    else if (!strcasecmp(opname, "xor"))
        op = BITOP_XOR;
    else if (!strcasecmp(opname, "not"))
        op = BITOP_NOT;
    else {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    int n = c->argc - 3;
    if (op == BITOP_NOT && n != 1) {
        addReplyError(c, "BITOP NOT must be called with a single source key.");
        return;
    }
    robj **srcs = zcalloc(sizeof(robj *) * n);
    int failed = 0;
    for (int j = 0; j < n && !failed; j++) {
        robj *o = lookupKeyRead(c->db, c->argv[j + 3]);
        if (checkType(c, o, OBJ_STRING))
            failed = 1;
        else if (o)
            srcs[j] = getDecodedObject(o);
    }
    if (!failed) {
        sds res = bitsOperate(op, srcs, n);
        robj *dest = c->argv[2];
        size_t len = sdslen(res);
        if (len > 0) {
            robj *val = createObject(OBJ_STRING, res);
            setKey(c, c->db, dest, val, 0);
            decrRefCount(val);
            notifyKeyspaceEvent(NOTIFY_STRING, "set", dest, c->db->id);
            server.dirty++;
        } else {
            sdsfree(res);
            if (dbDelete(c->db, dest)) {
                signalModifiedKey(c, c->db, dest);
                notifyKeyspaceEvent(NOTIFY_GENERIC, "del", dest, c->db->id);
                server.dirty++;
            }
        }
        addReplyLongLong(c, (long long)len);
    }
    for (int j = 0; j < n; j++)
        if (srcs[j]) decrRefCount(srcs[j]);
    zfree(srcs);
}

/* -------------------------------------------------------------- BITFIELD */

enum { BF_GET, BF_SET, BF_INCRBY };
enum { BF_WRAP, BF_SAT, BF_FAIL };

/* One parsed BITFIELD operation. */
typedef struct bitfieldOp {
    int opcode;      /* BF_GET, BF_SET, BF_INCRBY */
    int overflow;    /* BF_WRAP, BF_SAT, BF_FAIL in force for this op */
    int sign;        /* 1 for iN, 0 for uN */
    int bits;        /* field width, 1..64 (1..63 unsigned) */
    uint64_t offset; /* first bit of the field */
    long long value; /* SET value or INCRBY increment */
} bitfieldOp;

/* Parses a field type "iN" (1 <= N <= 64) or "uN" (1 <= N <= 63). */
static int bitfieldParseType(client *c, robj *arg, int *sign, int *bits) {
    const char *s = arg->ptr;
    size_t len = sdslen(arg->ptr);
    long long n;
    int ok = len > 1 && (s[0] == 'i' || s[0] == 'u') && string2ll(s + 1, len - 1, &n);
    if (ok) {
        *sign = s[0] == 'i';
        ok = n >= 1 && n <= (*sign ? 64 : 63);
        *bits = (int)n;
    }
    if (!ok) {
        addReplyError(c, "Invalid bitfield type. Use something like i16 u8. "
                         "Note that u64 is not supported but i64 is.");
        return C_ERR;
    }
    return C_OK;
}

/* Parses OVERFLOW's argument. */
static int bitfieldParseOverflow(client *c, robj *arg, int *overflow) {
    const char *s = arg->ptr;
    if (!strcasecmp(s, "wrap"))
        *overflow = BF_WRAP;
    else if (!strcasecmp(s, "sat"))
        *overflow = BF_SAT;
    else if (!strcasecmp(s, "fail"))
        *overflow = BF_FAIL;
    else {
        addReplyError(c, "Invalid OVERFLOW type specified");
        return C_ERR;
    }
    return C_OK;
}

/* Parses all operations of argv[2..] into ops (room for argc/2 entries).
 * Returns how many, or -1 after replying an error. */
static int bitfieldParse(client *c, bitfieldOp *ops) {
    int n = 0, overflow = BF_WRAP;
    for (int j = 2; j < c->argc; j++) {
        const char *name = c->argv[j]->ptr;
        int left = c->argc - j - 1;
        bitfieldOp *op = &ops[n];
        if (!strcasecmp(name, "get") && left >= 2)
            op->opcode = BF_GET;
        else if (!strcasecmp(name, "set") && left >= 3)
            op->opcode = BF_SET;
        else if (!strcasecmp(name, "incrby") && left >= 3)
            op->opcode = BF_INCRBY;
        else if (!strcasecmp(name, "overflow") && left >= 1) {
            if (bitfieldParseOverflow(c, c->argv[++j], &overflow) != C_OK) return -1;
            continue;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return -1;
        }
        if (bitfieldParseType(c, c->argv[j + 1], &op->sign, &op->bits) != C_OK) return -1;
        if (bitsParseOffset(c, c->argv[j + 2], 1, op->bits, &op->offset) != C_OK) return -1;
        op->value = 0;
        if (op->opcode != BF_GET) {
            if (getLongLongFromObjectOrReply(c, c->argv[j + 3], &op->value, NULL) != C_OK) return -1;
            j++;
        }
        op->overflow = overflow;
        j += 2;
        n++;
    }
    return n;
}

/* A field's raw bits as the number they mean (sign-extended for iN). */
static long long bitfieldDecode(uint64_t raw, int sign, int bits) {
    if (sign && bits < 64 && (raw >> (bits - 1)) & 1) raw |= ~(uint64_t)0 << bits;
    return (long long)raw;
}

/* Fits the exact result r into a field of the op's type under its
 * overflow policy. Returns 0 and stores the raw bits in *raw, or -1 when
 * the policy is FAIL and r does not fit. With `sat_high`, an r that does
 * not fit saturates to the maximum even when it is below the minimum. */
static int bitfieldFit(const bitfieldOp *op, __int128 r, int sat_high, uint64_t *raw) {
    __int128 max, min;
    if (op->sign) {
        max = ((__int128)1 << (op->bits - 1)) - 1;
        min = -max - 1;
    } else {
        max = ((__int128)1 << op->bits) - 1;
        min = 0;
    }
    if (r > max || r < min) {
        if (op->overflow == BF_FAIL) return -1;
        if (op->overflow == BF_SAT) r = (r > max || sat_high) ? max : min;
    }
    uint64_t mask = op->bits == 64 ? ~(uint64_t)0 : (((uint64_t)1 << op->bits) - 1);
    *raw = (uint64_t)r & mask;
    return 0;
}

/* Runs a SET or INCRBY on the writable string p; replies the old value
 * (SET), the new one (INCRBY) or null when OVERFLOW FAIL refused it.
 * Returns 1 when the op counts as a change: it was carried out and either
 * the field's bits changed or the string was just created or grown
 * (`grown`), which is how Redis counts them. */
static int bitfieldWrite(client *c, unsigned char *p, size_t len, const bitfieldOp *op, int grown) {
    uint64_t oldraw = bitsReadField(p, len, op->offset, op->bits);
    long long old = bitfieldDecode(oldraw, op->sign, op->bits);
    __int128 r;
    int sat_high = 0;
    if (op->opcode == BF_INCRBY) {
        r = op->sign ? (__int128)old + op->value : (__int128)oldraw + op->value;
    } else if (op->sign) {
        r = op->value;
        /* Redis 7.0 decides the direction of a signed SET's overflow with
         * a 64-bit "max - value" that wraps for values within 2^63 of the
         * field's maximum: those saturate to the maximum. */
        __int128 max = ((__int128)1 << (op->bits - 1)) - 1;
        sat_high = op->bits < 64 && r <= max - ((__int128)1 << 63);
    } else {
        r = (__int128)(uint64_t)op->value; /* the value's 64 bits, unsigned */
    }
    uint64_t raw;
    if (bitfieldFit(op, r, sat_high, &raw) != 0) {
        addReplyNull(c);
        return 0;
    }
    bitsWriteField(p, op->offset, op->bits, raw);
    if (op->opcode == BF_SET)
        addReplyLongLong(c, old);
    else
        addReplyLongLong(c, bitfieldDecode(raw, op->sign, op->bits));
    return grown || raw != oldraw;
}

/* Runs the n parsed ops on the value at argv[1]: with `writes` set the
 * string is created or grown to hold bit maxbit first. Replies the array
 * of results (or the WRONGTYPE error). */
static void bitfieldRun(client *c, const bitfieldOp *ops, int n, int writes, uint64_t maxbit) {
    robj *o;
    int grown = 0;
    if (writes) {
        if ((o = bitsWritableValue(c, maxbit, &grown)) == NULL) return;
    } else {
        o = lookupKeyRead(c->db, c->argv[1]);
        if (checkType(c, o, OBJ_STRING)) return;
    }
    char buf[32];
    size_t len = 0;
    const unsigned char *p = o ? bitsStringBytes(o, buf, &len) : NULL;
    int changes = 0;
    addReplyArrayLen(c, n);
    for (int j = 0; j < n; j++) {
        const bitfieldOp *op = &ops[j];
        if (op->opcode == BF_GET) {
            uint64_t raw = p ? bitsReadField(p, len, op->offset, op->bits) : 0;
            addReplyLongLong(c, bitfieldDecode(raw, op->sign, op->bits));
        } else {
            changes += bitfieldWrite(c, (unsigned char *)o->ptr, len, op, grown);
        }
    }
    if (changes) {
        signalModifiedKey(c, c->db, c->argv[1]);
        notifyKeyspaceEvent(NOTIFY_STRING, "setbit", c->argv[1], c->db->id);
        server.dirty += changes;
    }
}

/* Shared body of BITFIELD and BITFIELD_RO: parse everything, then run. */
static void bitfieldGeneric(client *c, int readonly) {
    bitfieldOp *ops = zmalloc(sizeof(bitfieldOp) * (size_t)(c->argc / 2 + 1));
    int n = bitfieldParse(c, ops);
    if (n >= 0) {
        int writes = 0;
        uint64_t maxbit = 0;
        for (int j = 0; j < n; j++) {
            if (ops[j].opcode == BF_GET) continue;
            writes++;
            uint64_t last = ops[j].offset + (uint64_t)ops[j].bits - 1;
            if (last > maxbit) maxbit = last;
        }
        if (readonly && writes)
            addReplyError(c, "BITFIELD_RO only supports the GET subcommand");
        else
            bitfieldRun(c, ops, n, writes, maxbit);
    }
    zfree(ops);
}

/* BITFIELD key [GET type offset] [SET type offset value]
 *              [INCRBY type offset increment] [OVERFLOW WRAP|SAT|FAIL] ... */
void bitfieldCommand(client *c) {
    bitfieldGeneric(c, 0);
}

/* BITFIELD_RO key [GET type offset ...] */
void bitfieldroCommand(client *c) {
    bitfieldGeneric(c, 1);
}
