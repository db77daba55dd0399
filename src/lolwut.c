/* lolwut.c — LOLWUT: a small piece of computer art and the server version.
 *
 * LOLWUT [VERSION v] [arg ...] draws the piece numbered v (by default the
 * major version of the Redis level we implement, 7) and ends with the line
 * "Redis ver. <version>", which clients and test suites look for. The
 * pieces are Ember's own; each is a pure function of its arguments, so the
 * same call always draws the same picture:
 *
 *   - 5 [width] [height] [seed]: a maze of diagonal strokes, a homage to
 *     the "10 PRINT" one-liner of 1982; each cell is "╱" or "╲", chosen by a
 *     small xorshift generator started from seed.
 *   - 6 [width] [height]: embers glowing in the dark, a field of shading
 *     characters whose brightness falls with the distance from a few fixed
 *     hot points.
 *
 * Any other version draws nothing but the version line, as Redis 7.0 does
 * for the versions it has no piece for. Sizes are clamped so the reply
 * stays small whatever the arguments.
 */
#include "server.h"

#include <math.h>
#include <stdint.h>
#include <strings.h>

#define LOLWUT_MAX_WIDTH 1000
#define LOLWUT_MAX_HEIGHT 200

static long clampLong(long v, long lo, long hi) {
    return v < lo ? lo : (v > hi ? hi : v);
}

/* Reads the optional integer argument at index idx of c->argv into *v
 * (left unchanged when absent). Returns C_ERR after answering the error. */
static int optionalLongArg(client *c, int idx, long *v) {
    if (idx >= c->argc) return C_OK;
    return getLongFromObjectOrReply(c, c->argv[idx], v, NULL);
}

/* Piece 5: the diagonal maze. Arguments from argv[first]. */
static sds drawMaze(client *c, int first) {
    long width = 66, height = 16, seed = 1982;
    if (optionalLongArg(c, first, &width) != C_OK || optionalLongArg(c, first + 1, &height) != C_OK ||
        optionalLongArg(c, first + 2, &seed) != C_OK)
        return NULL;
    width = clampLong(width, 1, LOLWUT_MAX_WIDTH);
    height = clampLong(height, 1, LOLWUT_MAX_HEIGHT);
    uint64_t state = (uint64_t)seed * 0x9E3779B97F4A7C15ULL + 1; /* never 0 */
    sds s = sdsempty();
    for (long y = 0; y < height; y++) {
        for (long x = 0; x < width; x++) s = sdscat(s, (xorshift64(&state) >> 32) & 1 ? "\xe2\x95\xb1" : "\xe2\x95\xb2");
        s = sdscatlen(s, "\n", 1);
    }
    return sdscat(s, "\nA maze of strokes, after 10 PRINT (1982). ");
}

/* Brightness in [0, 1) of the ember field at (x, y) of a w x h picture. */
static double emberGlow(long x, long y, long w, long h) {
    static const double hot[][3] = {{0.2, 0.7, 0.9}, {0.5, 0.85, 1.0}, {0.8, 0.6, 0.8}, {0.65, 0.3, 0.5}};
    double fx = (double)x / (double)w, fy = (double)y / (double)h, glow = 0;
    for (size_t j = 0; j < sizeof(hot) / sizeof(hot[0]); j++) {
        double dx = (fx - hot[j][0]) * 2.0, dy = fy - hot[j][1];
        glow += hot[j][2] * exp(-(dx * dx + dy * dy) * 12.0);
    }
    return 1.0 - exp(-2.5 * glow);
}

/* Piece 6: embers in the dark. Arguments from argv[first]. */
static sds drawEmbers(client *c, int first) {
    static const char shades[] = " .:-=+*#%@";
    long width = 66, height = 20;
    if (optionalLongArg(c, first, &width) != C_OK || optionalLongArg(c, first + 1, &height) != C_OK) return NULL;
    width = clampLong(width, 1, LOLWUT_MAX_WIDTH);
    height = clampLong(height, 1, LOLWUT_MAX_HEIGHT);
    sds s = sdsempty();
    for (long y = 0; y < height; y++) {
        for (long x = 0; x < width; x++) {
            int level = (int)(emberGlow(x, y, width, height) * (sizeof(shades) - 1));
            s = sdscatlen(s, shades + level, 1);
        }
        s = sdscatlen(s, "\n", 1);
    }
    return sdscat(s, "\nEmbers in the dark. ");
}

/* LOLWUT [VERSION v] [arg ...] */
void lolwutCommand(client *c) {
    long version = REDIS_VERSION_NUM >> 16;
    int first = 1;
    if (c->argc >= 3 && !strcasecmp(c->argv[1]->ptr, "version")) {
        if (getLongFromObjectOrReply(c, c->argv[2], &version, NULL) != C_OK) return;
        first = 3;
    }
    sds art;
    if (version == 5)
        art = drawMaze(c, first);
    else if (version == 6)
        art = drawEmbers(c, first);
    else
        art = sdsempty();
    if (art == NULL) return; /* an argument error was answered */
    art = sdscatprintf(art, "Redis ver. %s\n", REDIS_VERSION);
    addReplyVerbatim(c, art, sdslen(art), "txt");
    sdsfree(art);
}
