/* script_struct.c — the struct Lua library scripts see: binary packing.
 *
 * struct.pack(fmt, v1, ...) returns the values laid out as fmt says;
 * struct.unpack(fmt, s [, pos]) reads them back from s starting at the
 * 1-based position pos and returns them followed by the position after
 * the last byte read; struct.size(fmt) is the length pack would produce.
 *
 * Format: "<" little endian, ">" big endian (the machine's order by default),
 * "!n" align items to at most n bytes (a power of two; "!" alone: the
 * machine's widest alignment), "x" one zero byte, "b"/"B" signed /
 * unsigned char, "h"/"H" short, "l"/"L" long, "T" size_t, "i"/"I"
 * int, "in"/"In" an integer of n bytes (n <= 32), "f" float, "d" double,
 * "s" a zero-terminated string, "cn" n characters ("c0": in pack, the
 * whole string; in unpack, as many as the number read just before, which
 * it replaces). Spaces are ignored. Integers wider than 8 bytes get zero
 * bytes above the eighth on pack and are read modulo 2^64 on unpack.
 * struct.size ignores letters it does not know, as 7.0's does.
 *
 * Errors are Lua's argument errors with the texts of Redis 7.0's library
 * ("invalid format option", "data string too short" ...). Sizes are
 * checked before anything is allocated, so a huge count fails cleanly.
 */
#include <lua.h>
#include <lauxlib.h>
#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "script_lua.h"

#define MAX_INT_SIZE 32
/* The widest alignment of the machine's scalar types. */
#define MAX_ALIGN offsetof(struct { char c; union { double d; void *p; long long l; } u; }, u)

/* The state of a format walk. */
typedef struct fmtState {
    int little; /* byte order: 1 little endian */
    size_t align;
} fmtState;

static int machineIsLittle(void) {
    const int one = 1;
    return *(const char *)&one == 1;
}

/* Reads the number that follows at *fmt, or def when there is none. */
static size_t readCount(lua_State *L, const char **fmt, size_t def) {
    if (!isdigit((unsigned char)**fmt)) return def;
    size_t n = 0;
    while (isdigit((unsigned char)**fmt)) {
        size_t digit = (size_t)(**fmt - '0');
        if (n > INT_MAX / 10 || n * 10 > INT_MAX - digit) luaL_error(L, "integral size overflow");
        n = n * 10 + digit;
        (*fmt)++;
    }
    return n;
}

/* The size of option opt (its count read from *fmt); 0 for the options
 * without data and for unknown ones. */
static size_t optionSize(lua_State *L, char opt, const char **fmt) {
    switch (opt) {
    case 'B': case 'b': return 1;
    case 'H': case 'h': return sizeof(short);
    case 'L': case 'l': return sizeof(long);
    case 'T': return sizeof(size_t);
    case 'f': return sizeof(float);
    case 'd': return sizeof(double);
    case 'x': return 1;
    case 'c': return readCount(L, fmt, 1);
    case 'i': case 'I': {
        size_t n = readCount(L, fmt, sizeof(int));
        if (n > MAX_INT_SIZE) luaL_error(L, "integral size %d is larger than limit of %d", (int)n, MAX_INT_SIZE);
        return n;
    }
    default: return 0;
    }
}

/* The options without data: spaces, byte order, alignment; any other is
 * an invalid option. */
static void controlOption(lua_State *L, char opt, const char **fmt, fmtState *st) {
    switch (opt) {
    case ' ': return;
    case '<': st->little = 1; return;
    case '>': st->little = 0; return;
    case '!': {
        size_t a = readCount(L, fmt, MAX_ALIGN);
        if (a == 0 || (a & (a - 1)) != 0) luaL_error(L, "alignment %d is not a power of 2", (int)a);
        st->align = a;
        return;
    }
    default: {
        const char *msg = lua_pushfstring(L, "invalid format option '%c'", opt);
        luaL_argerror(L, 1, msg);
    }
    }
}

/* Zero bytes to put before an item of size at offset len. */
static size_t padding(size_t len, const fmtState *st, char opt, size_t size) {
    if (size <= 1 || opt == 'c') return 0;
    if (size > st->align) size = st->align;
    return (size - (len & (size - 1))) & (size - 1);
}

static void initState(fmtState *st) {
    st->little = machineIsLittle();
    st->align = 1;
}

/* ---------------------------------------------------------------- pack */

static void putInteger(luaL_Buffer *b, lua_Number n, int little, size_t size) {
    uint64_t v = n < 0 ? (uint64_t)(int64_t)n : (uint64_t)n;
    unsigned char buf[MAX_INT_SIZE];
    for (size_t j = 0; j < size; j++) {
        unsigned char byte = j < 8 ? (unsigned char)((v >> (8 * j)) & 0xff) : 0; /* zeros above 8 bytes, as 7.0 */
        buf[little ? j : size - 1 - j] = byte;
    }
    luaL_addlstring(b, (const char *)buf, size);
}

/* Adds the bytes of a float or double in the chosen order. */
static void putFloat(luaL_Buffer *b, const void *p, size_t size, int little) {
    unsigned char buf[sizeof(double)];
    memcpy(buf, p, size);
    if (little != machineIsLittle()) {
        for (size_t j = 0; j < size / 2; j++) {
            unsigned char t = buf[j];
            buf[j] = buf[size - 1 - j];
            buf[size - 1 - j] = t;
        }
    }
    luaL_addlstring(b, (const char *)buf, size);
}

static int structPack(lua_State *L) {
    const char *fmt = luaL_checkstring(L, 1);
    fmtState st;
    initState(&st);
    int arg = 2;
    size_t total = 0;
    luaL_Buffer b;
    lua_pushnil(L); /* a mark between the arguments and the buffer: a missing one reads as nil */
    luaL_buffinit(L, &b);
    while (*fmt) {
        char opt = *fmt++;
        size_t size = optionSize(L, opt, &fmt);
        size_t pad = padding(total, &st, opt, size);
        for (size_t j = 0; j < pad; j++) luaL_addchar(&b, '\0');
        total += pad;
        switch (opt) {
        case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T': case 'i': case 'I':
            putInteger(&b, luaL_checknumber(L, arg++), st.little, size);
            break;
        case 'x': luaL_addchar(&b, '\0'); break;
        case 'f': {
            float f = (float)luaL_checknumber(L, arg++);
            putFloat(&b, &f, sizeof(f), st.little);
            break;
        }
        case 'd': {
            double d = (double)luaL_checknumber(L, arg++);
            putFloat(&b, &d, sizeof(d), st.little);
            break;
        }
        case 'c': case 's': {
            size_t len;
            const char *s = luaL_checklstring(L, arg, &len);
            if (opt == 's') size = len + 1;
            else if (size == 0) size = len;
            luaL_argcheck(L, opt == 's' || len >= size, arg + 1, "string too short"); /* 7.0 names the next one */
            luaL_addlstring(&b, s, opt == 's' ? len : size);
            if (opt == 's') luaL_addchar(&b, '\0');
            arg++;
            break;
        }
        default: controlOption(L, opt, &fmt, &st); break;
        }
        total += size;
    }
    luaL_pushresult(&b);
    return 1;
}

/* -------------------------------------------------------------- unpack */

static lua_Number getInteger(const unsigned char *p, int little, int is_signed, size_t size) {
    uint64_t v = 0;
    for (size_t j = 0; j < size; j++) {
        size_t idx = little ? size - 1 - j : j;
        v = (v << 8) | p[idx];
    }
    if (!is_signed) return (lua_Number)v;
    if (size < 8) {
        uint64_t mask = ~(uint64_t)0 << (size * 8 - 1);
        if (v & mask) v |= mask;
    }
    return (lua_Number)(int64_t)v;
}

static void getFloat(void *out, const unsigned char *p, size_t size, int little) {
    unsigned char buf[sizeof(double)];
    memcpy(buf, p, size);
    if (little != machineIsLittle()) {
        for (size_t j = 0; j < size / 2; j++) {
            unsigned char t = buf[j];
            buf[j] = buf[size - 1 - j];
            buf[size - 1 - j] = t;
        }
    }
    memcpy(out, buf, size);
}

static int structUnpack(lua_State *L) {
    const char *fmt = luaL_checkstring(L, 1);
    size_t ld;
    const unsigned char *data = (const unsigned char *)luaL_checklstring(L, 2, &ld);
    lua_Integer init = luaL_optinteger(L, 3, 1);
    luaL_argcheck(L, init > 0, 3, "offset must be 1 or greater");
    size_t pos = (size_t)init - 1;
    fmtState st;
    initState(&st);
    lua_settop(L, 2);
    while (*fmt) {
        char opt = *fmt++;
        size_t size = optionSize(L, opt, &fmt);
        pos += padding(pos, &st, opt, size);
        luaL_argcheck(L, pos <= ld && size <= ld - pos, 2, "data string too short");
        luaL_checkstack(L, 2, "too many results");
        switch (opt) {
        case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T': case 'i': case 'I':
            lua_pushnumber(L, getInteger(data + pos, st.little, islower((unsigned char)opt), size));
            break;
        case 'x': break;
        case 'f': {
            float f;
            getFloat(&f, data + pos, sizeof(f), st.little);
            lua_pushnumber(L, (lua_Number)f);
            break;
        }
        case 'd': {
            double d;
            getFloat(&d, data + pos, sizeof(d), st.little);
            lua_pushnumber(L, (lua_Number)d);
            break;
        }
        case 'c':
            if (size == 0) {
                if (lua_gettop(L) <= 2 || !lua_isnumber(L, -1)) luaL_error(L, "format 'c0' needs a previous size");
                lua_Number n = lua_tonumber(L, -1);
                lua_pop(L, 1);
                luaL_argcheck(L, n >= 0 && n <= (lua_Number)(ld - pos), 2, "data string too short");
                size = (size_t)n;
            }
            lua_pushlstring(L, (const char *)data + pos, size);
            break;
        case 's': {
            const unsigned char *e = memchr(data + pos, '\0', ld - pos);
            if (e == NULL) luaL_error(L, "unfinished string in data");
            size = (size_t)(e - (data + pos)) + 1;
            lua_pushlstring(L, (const char *)data + pos, size - 1);
            break;
        }
        default: controlOption(L, opt, &fmt, &st); break;
        }
        pos += size;
    }
    lua_pushinteger(L, (lua_Integer)pos + 1);
    return lua_gettop(L) - 2;
}

static int structSize(lua_State *L) {
    const char *fmt = luaL_checkstring(L, 1);
    fmtState st;
    initState(&st);
    size_t pos = 0;
    while (*fmt) {
        char opt = *fmt++;
        size_t size = optionSize(L, opt, &fmt);
        pos += padding(pos, &st, opt, size);
        if (opt == 's') luaL_argerror(L, 1, "option 's' has no fixed size");
        else if (opt == 'c' && size == 0) luaL_argerror(L, 1, "option 'c0' has no fixed size");
        if (!isalnum((unsigned char)opt)) controlOption(L, opt, &fmt, &st); /* letters it does not know: no size */
        pos += size;
    }
    lua_pushinteger(L, (lua_Integer)pos);
    return 1;
}

int luaopenStruct(lua_State *L) {
    lua_newtable(L);
    lua_pushcfunction(L, structPack);
    lua_setfield(L, -2, "pack");
    lua_pushcfunction(L, structUnpack);
    lua_setfield(L, -2, "unpack");
    lua_pushcfunction(L, structSize);
    lua_setfield(L, -2, "size");
    return 1;
}
