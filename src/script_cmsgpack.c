/* script_cmsgpack.c — the cmsgpack Lua library scripts see: MessagePack.
 *
 * cmsgpack.pack(v1, v2, ...) encodes each value and returns the encodings
 * one after the other; cmsgpack.unpack(s) decodes every object of s and
 * returns them all; unpack_one(s [, offset]) and unpack_limit(s, limit
 * [, offset]) decode one or up to limit objects starting at the byte
 * offset (0-based) and return the offset of what follows first, -1 once
 * s is used up.
 *
 * Encoding, as Redis 7.0's library writes it: nil, booleans; a number
 * with an integral value that fits 64 bits as the smallest integer form
 * (fixint, uint8..64 or int8..64), another as a float32 when that loses
 * nothing, else a float64; a string as fixstr / str8 / str16 / str32; a
 * table whose keys are exactly 1..n as an array, any other as a map (in
 * Lua's iteration order). Tables nested deeper than MAX_NESTING, and
 * values of other types, are encoded as nil. Decoding reads what the
 * encoder writes (no bin or ext types, as in 7.0), a uint64 as an int64;
 * a truncated input is "Missing bytes in input.", an unknown type byte
 * "Bad data format in input.".
 *
 * Decoding recurses per nesting level; the Lua stack is checked at every
 * level (the stack overflow error) so a deeply nested input fails with an
 * error, never a crash.
 */
#include <lua.h>
#include <lauxlib.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "script_lua.h"
#include "zmalloc.h"

#define MAX_NESTING 16

/* ------------------------------------------------------------ encoding */

/* The encoding under construction: a plain C buffer, since the walk
 * pushes and pops on the Lua stack (a luaL_Buffer keeps its pieces
 * there). Nothing in the walk raises, so the buffer cannot leak. */
typedef struct outBuf {
    char *p;
    size_t len, cap;
} outBuf;

static void outAdd(outBuf *b, const void *p, size_t len) {
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + len) cap *= 2;
        b->p = zrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, p, len);
    b->len += len;
}

static void outByte(outBuf *b, unsigned char c) {
    outAdd(b, &c, 1);
}

static void putHeader(outBuf *b, unsigned char type, uint64_t v, int bytes) {
    unsigned char buf[9];
    buf[0] = type;
    for (int j = 0; j < bytes; j++) buf[1 + j] = (unsigned char)((v >> (8 * (bytes - 1 - j))) & 0xff);
    outAdd(b, buf, (size_t)bytes + 1);
}

static void encodeInteger(outBuf *b, int64_t v) {
    uint64_t u = (uint64_t)v;
    if (v >= 0) {
        if (u < 128) outByte(b, (unsigned char)u);
        else if (u <= 0xff) putHeader(b, 0xcc, u, 1);
        else if (u <= 0xffff) putHeader(b, 0xcd, u, 2);
        else if (u <= 0xffffffffULL) putHeader(b, 0xce, u, 4);
        else putHeader(b, 0xcf, u, 8);
    } else {
        if (v >= -32) outByte(b, (unsigned char)(u & 0xff));
        else if (v >= -128) putHeader(b, 0xd0, u & 0xff, 1);
        else if (v >= -32768) putHeader(b, 0xd1, u & 0xffff, 2);
        else if (v >= -2147483648LL) putHeader(b, 0xd2, u & 0xffffffffULL, 4);
        else putHeader(b, 0xd3, u, 8);
    }
}

static void encodeNumber(outBuf *b, lua_Number n) {
    if (!isnan(n) && !isinf(n) && n >= -9223372036854775808.0 && n < 9223372036854775808.0 &&
        (lua_Number)(int64_t)n == n) {
        encodeInteger(b, (int64_t)n);
        return;
    }
    float f = (float)n;
    if ((lua_Number)f == n) {
        uint32_t bits;
        memcpy(&bits, &f, 4);
        putHeader(b, 0xca, bits, 4);
    } else {
        uint64_t bits;
        memcpy(&bits, &n, 8);
        putHeader(b, 0xcb, bits, 8);
    }
}

static void encodeString(outBuf *b, const char *s, size_t len) {
    if (len < 32) outByte(b, (unsigned char)(0xa0 | len));
    else if (len <= 0xff) putHeader(b, 0xd9, len, 1);
    else if (len <= 0xffff) putHeader(b, 0xda, len, 2);
    else putHeader(b, 0xdb, len, 4);
    outAdd(b, s, len);
}

/* The length n when the table at idx has exactly the keys 1..n, else -1. */
static long arrayLength(lua_State *L, int idx) {
    long count = 0;
    lua_Number max = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        lua_Number k = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : -1;
        if (k <= 0 || floor(k) != k) {
            lua_pop(L, 1);
            return -1;
        }
        if (k > max) max = k;
        count++;
    }
    return max == (lua_Number)count ? count : -1;
}

static void encodeValue(lua_State *L, outBuf *b, int level);

static void encodeTable(lua_State *L, outBuf *b, int level) {
    int idx = lua_gettop(L);
    long n = arrayLength(L, idx);
    if (n >= 0) {
        if (n < 16) outByte(b, (unsigned char)(0x90 | n));
        else if (n <= 0xffff) putHeader(b, 0xdc, (uint64_t)n, 2);
        else putHeader(b, 0xdd, (uint64_t)n, 4);
        for (long j = 1; j <= n; j++) {
            lua_rawgeti(L, idx, (int)j);
            encodeValue(L, b, level + 1);
        }
        return;
    }
    long pairs = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        pairs++;
    }
    if (pairs < 16) outByte(b, (unsigned char)(0x80 | pairs));
    else if (pairs <= 0xffff) putHeader(b, 0xde, (uint64_t)pairs, 2);
    else putHeader(b, 0xdf, (uint64_t)pairs, 4);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pushvalue(L, -2);
        encodeValue(L, b, level + 1); /* the key */
        encodeValue(L, b, level + 1); /* the value */
    }
}

/* Appends the encoding of the value on top of L to b and pops it. */
static void encodeValue(lua_State *L, outBuf *b, int level) {
    switch (lua_type(L, -1)) {
    case LUA_TBOOLEAN: outByte(b, lua_toboolean(L, -1) ? 0xc3 : 0xc2); break;
    case LUA_TNUMBER: encodeNumber(b, lua_tonumber(L, -1)); break;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        encodeString(b, s, len);
        break;
    }
    case LUA_TTABLE:
        if (level < MAX_NESTING && lua_checkstack(L, 4)) encodeTable(L, b, level);
        else outByte(b, 0xc0);
        break;
    default: outByte(b, 0xc0); break;
    }
    lua_pop(L, 1);
}

static int mpPack(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc == 0) return luaL_argerror(L, 0, "MessagePack pack needs input.");
    if (!lua_checkstack(L, 8)) return luaL_error(L, "cmsgpack: stack overflow");
    outBuf b = {NULL, 0, 0};
    for (int j = 1; j <= argc; j++) {
        lua_pushvalue(L, j);
        encodeValue(L, &b, 0);
    }
    lua_pushlstring(L, b.p ? b.p : "", b.len);
    zfree(b.p);
    return 1;
}

/* ------------------------------------------------------------ decoding */

/* A read position in the input. err: 0, or which error stopped it. */
typedef struct inBuf {
    const unsigned char *p;
    size_t len, pos;
    int err; /* 0, ERR_MISSING or ERR_FORMAT */
} inBuf;

#define ERR_MISSING 1
#define ERR_FORMAT 2

static int need(inBuf *in, size_t n) {
    if (in->len - in->pos < n) {
        in->err = ERR_MISSING;
        return 0;
    }
    return 1;
}

static uint64_t readBigEndian(inBuf *in, int bytes) {
    uint64_t v = 0;
    for (int j = 0; j < bytes; j++) v = (v << 8) | in->p[in->pos + (size_t)j];
    in->pos += (size_t)bytes;
    return v;
}

/* Reads an unsigned length of `bytes` bytes; 0 on a short input. */
static int readLen(inBuf *in, int bytes, size_t *n) {
    if (!need(in, (size_t)bytes)) return 0;
    *n = (size_t)readBigEndian(in, bytes);
    return 1;
}

static void decodeValue(lua_State *L, inBuf *in);

static void decodeString(lua_State *L, inBuf *in, size_t n) {
    if (!need(in, n)) return;
    lua_pushlstring(L, (const char *)in->p + in->pos, n);
    in->pos += n;
}

static void decodeArray(lua_State *L, inBuf *in, size_t n) {
    luaL_checkstack(L, 4, "in function mp_decode_to_lua_array");
    lua_newtable(L);
    for (size_t j = 1; j <= n && !in->err; j++) {
        decodeValue(L, in);
        if (in->err) return;
        lua_rawseti(L, -2, (int)j);
    }
}

static void decodeMap(lua_State *L, inBuf *in, size_t n) {
    luaL_checkstack(L, 4, "in function mp_decode_to_lua_hash");
    lua_newtable(L);
    for (size_t j = 0; j < n && !in->err; j++) {
        decodeValue(L, in);
        if (in->err) return;
        decodeValue(L, in);
        if (in->err) return;
        lua_settable(L, -3); /* a nil or NaN key raises, as in 7.0 */
    }
}

static void pushFloat(lua_State *L, inBuf *in, int bytes) {
    if (!need(in, (size_t)bytes)) return;
    uint64_t bits = readBigEndian(in, bytes);
    if (bytes == 4) {
        uint32_t b32 = (uint32_t)bits;
        float f;
        memcpy(&f, &b32, 4);
        lua_pushnumber(L, (lua_Number)f);
    } else {
        double d;
        memcpy(&d, &bits, 8);
        lua_pushnumber(L, (lua_Number)d);
    }
}

/* Pushes the integer of `bytes` bytes; sign-extended when is_signed. */
static void pushInteger(lua_State *L, inBuf *in, int bytes, int is_signed) {
    if (!need(in, (size_t)bytes)) return;
    uint64_t v = readBigEndian(in, bytes);
    /* A uint64 reads as an int64, as in Redis 7.0's library. */
    if (!is_signed && bytes < 8) {
        lua_pushnumber(L, (lua_Number)v);
        return;
    }
    int shift = 64 - 8 * bytes;
    int64_t s = shift ? (int64_t)(v << shift) >> shift : (int64_t)v;
    lua_pushnumber(L, (lua_Number)s);
}

/* Pushes the next object of in; on an error pushes nothing and sets
 * in->err (the caller drops what the partial object pushed). */
static void decodeValue(lua_State *L, inBuf *in) {
    if (!need(in, 1)) return;
    unsigned char t = in->p[in->pos++];
    size_t n;
    if (t < 0x80) lua_pushnumber(L, t);
    else if (t >= 0xe0) lua_pushnumber(L, (lua_Number)(int8_t)t);
    else if ((t & 0xe0) == 0xa0) decodeString(L, in, t & 0x1f);
    else if ((t & 0xf0) == 0x90) decodeArray(L, in, t & 0x0f);
    else if ((t & 0xf0) == 0x80) decodeMap(L, in, t & 0x0f);
    else switch (t) {
    case 0xc0: lua_pushnil(L); break;
    case 0xc2: lua_pushboolean(L, 0); break;
    case 0xc3: lua_pushboolean(L, 1); break;
    case 0xcc: pushInteger(L, in, 1, 0); break;
    case 0xcd: pushInteger(L, in, 2, 0); break;
    case 0xce: pushInteger(L, in, 4, 0); break;
    case 0xcf: pushInteger(L, in, 8, 0); break;
    case 0xd0: pushInteger(L, in, 1, 1); break;
    case 0xd1: pushInteger(L, in, 2, 1); break;
    case 0xd2: pushInteger(L, in, 4, 1); break;
    case 0xd3: pushInteger(L, in, 8, 1); break;
    case 0xca: pushFloat(L, in, 4); break;
    case 0xcb: pushFloat(L, in, 8); break;
    case 0xd9: if (readLen(in, 1, &n)) decodeString(L, in, n); break;
    case 0xda: if (readLen(in, 2, &n)) decodeString(L, in, n); break;
    case 0xdb: if (readLen(in, 4, &n)) decodeString(L, in, n); break;
    case 0xdc: if (readLen(in, 2, &n)) decodeArray(L, in, n); break;
    case 0xdd: if (readLen(in, 4, &n)) decodeArray(L, in, n); break;
    case 0xde: if (readLen(in, 2, &n)) decodeMap(L, in, n); break;
    case 0xdf: if (readLen(in, 4, &n)) decodeMap(L, in, n); break;
    default: in->err = ERR_FORMAT; break;
    }
}

/* Decodes up to limit objects (0: all) of s from offset; pushes the next
 * offset (when with_offset) then the objects. */
static int unpackGeneric(lua_State *L, long limit, long offset, int with_offset) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    if (offset < 0 || limit < 0)
        return luaL_error(L, "Invalid request to unpack with offset of %d and limit of %d.", (int)offset, (int)len);
    if ((size_t)offset > len)
        return luaL_error(L, "Start offset %d greater than input length %d.", (int)offset, (int)len);
    inBuf in = {(const unsigned char *)s, len, (size_t)offset, 0};
    int base = lua_gettop(L);
    with_offset = with_offset && limit != 0; /* limit 0: every object, no offset */
    if (with_offset) lua_pushnil(L); /* the next offset, set below */
    long count = 0;
    while (in.pos < in.len && (limit == 0 || count < limit)) {
        if (!lua_checkstack(L, 8)) return luaL_error(L, "too many items unpacked");
        int top = lua_gettop(L);
        decodeValue(L, &in);
        if (in.err) {
            lua_settop(L, top);
            return luaL_error(L, in.err == ERR_MISSING ? "Missing bytes in input." : "Bad data format in input.");
        }
        count++;
    }
    if (with_offset) {
        lua_pushnumber(L, in.pos < in.len ? (lua_Number)in.pos : -1);
        lua_replace(L, base + 1);
    }
    return lua_gettop(L) - base;
}

static int mpUnpack(lua_State *L) {
    return unpackGeneric(L, 0, 0, 0);
}

static int mpUnpackOne(lua_State *L) {
    long offset = (long)luaL_optinteger(L, 2, 0);
    lua_settop(L, 1);
    return unpackGeneric(L, 1, offset, 1);
}

static int mpUnpackLimit(lua_State *L) {
    long limit = (long)luaL_checkinteger(L, 2);
    long offset = (long)luaL_optinteger(L, 3, 0);
    lua_settop(L, 1);
    return unpackGeneric(L, limit, offset, 1);
}

int luaopenCmsgpack(lua_State *L) {
    static const luaL_Reg fns[] = {{"pack", mpPack},
                                   {"unpack", mpUnpack},
                                   {"unpack_one", mpUnpackOne},
                                   {"unpack_limit", mpUnpackLimit},
                                   {NULL, NULL}};
    lua_newtable(L);
    for (const luaL_Reg *f = fns; f->name; f++) {
        lua_pushcfunction(L, f->func);
        lua_setfield(L, -2, f->name);
    }
    lua_pushliteral(L, "cmsgpack");
    lua_setfield(L, -2, "_NAME");
    lua_pushliteral(L, "lua-cmsgpack 0.4.0");
    lua_setfield(L, -2, "_VERSION");
    lua_pushliteral(L, "Copyright (C) 2012, Salvatore Sanfilippo");
    lua_setfield(L, -2, "_COPYRIGHT");
    lua_pushliteral(L, "MessagePack C implementation for Lua");
    lua_setfield(L, -2, "_DESCRIPTION");
    return 1;
}
