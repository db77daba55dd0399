/* geo.c — the GEO commands over sorted sets.
 *
 * A geo set is an ordinary sorted set whose scores are step-26 geohash
 * cells (geohash.c): GEOADD is ZADD with the coordinates turned into a
 * score, and it is recorded for replicas and the AOF as that ZADD, as
 * Redis 7.0 does. Coordinates come back as the centre of the member's
 * cell, so they differ from what was added by up to half a cell.
 *
 * A search (GEORADIUS*, GEOSEARCH*) has three stages:
 *  - parsing (geoParseSearch) into a geoSearch: the centre, the shape
 *    (circle or box) in the user's unit, the options. Errors are checked
 *    in the order Redis checks them, since clients see only the first;
 *  - collection (geoCollect): the shape becomes at most nine geohash cells
 *    (geohashSearchCells), each cell a range of scores scanned through the
 *    zset type API in score order; a member whose decoded point lies in
 *    the shape is appended with its distance. With ANY the scan stops at
 *    COUNT matches;
 *  - output: sorted by distance for ASC / DESC (COUNT without ANY implies
 *    ASC), cut at COUNT, then replied or stored as a new sorted set
 *    (scores: the geohash, or the distance in the unit with STOREDIST).
 * Sorting uses the C library's qsort on points laid out as Redis lays
 * them out, so points at equal distances keep the order Redis gives them.
 */
#include "server.h"
#include "geo.h"
#include "geohash.h"
#include "notify.h"
#include "propagate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ parsing */

/* Reads a longitude and a latitude from argv[0..1] into xy. */
static int geoLonLatOrReply(client *c, robj **argv, double xy[2]) {
    for (int i = 0; i < 2; i++)
        if (getDoubleFromObjectOrReply(c, argv[i], &xy[i], NULL) != C_OK) return C_ERR;
    if (xy[0] < GEO_LONG_MIN || xy[0] > GEO_LONG_MAX || xy[1] < GEO_LAT_MIN || xy[1] > GEO_LAT_MAX) {
        addReplyErrorFormat(c, "invalid longitude,latitude pair %f,%f", xy[0], xy[1]);
        return C_ERR;
    }
    return C_OK;
}

/* Metres per unit for m, km, ft, mi (any case); -1 after an error reply. */
static double geoUnitOrReply(client *c, robj *unit) {
    static const struct {
        const char *name;
        double metres;
    } units[] = {{"m", 1}, {"km", 1000}, {"ft", 0.3048}, {"mi", 1609.34}};
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (!strcasecmp(unit->ptr, units[i].name)) return units[i].metres;
    addReplyError(c, "unsupported unit provided. please use M, KM, FT, MI");
    return -1;
}

/* argv[0] is a radius and argv[1] its unit. */
static int geoRadiusOrReply(client *c, robj **argv, double *radius, double *conversion) {
    if (getDoubleFromObjectOrReply(c, argv[0], radius, "need numeric radius") != C_OK) return C_ERR;
    if (*radius < 0) {
        addReplyError(c, "radius cannot be negative");
        return C_ERR;
    }
    return (*conversion = geoUnitOrReply(c, argv[1])) < 0 ? C_ERR : C_OK;
}

/* argv[0..1] are a width and a height, argv[2] their unit. */
static int geoBoxOrReply(client *c, robj **argv, double *width, double *height, double *conversion) {
    if (getDoubleFromObjectOrReply(c, argv[0], width, "need numeric width") != C_OK ||
        getDoubleFromObjectOrReply(c, argv[1], height, "need numeric height") != C_OK)
        return C_ERR;
    if (*width < 0 || *height < 0) {
        addReplyError(c, "height or width cannot be negative");
        return C_ERR;
    }
    return (*conversion = geoUnitOrReply(c, argv[2])) < 0 ? C_ERR : C_OK;
}

/* The decoded position of member in zobj. */
static int geoMemberLonLat(robj *zobj, robj *member, double xy[2]) {
    double score;
    if (zsetScore(zobj, member->ptr, &score) != C_OK) return C_ERR;
    return geohashScoreToLonLat(score, xy) ? C_OK : C_ERR;
}

static int geoMemberLonLatOrReply(client *c, robj *zobj, robj *member, double xy[2]) {
    if (geoMemberLonLat(zobj, member, xy) == C_OK) return C_OK;
    addReplyError(c, "could not decode requested zset member");
    return C_ERR;
}

/* ------------------------------------------------------------ GEOADD */

/* GEOADD key [NX|XX] [CH] longitude latitude member [...] */
void geoaddCommand(client *c) {
    int xx = 0, nx = 0, first = 2;
    for (; first < c->argc; first++) {
        const char *opt = c->argv[first]->ptr;
        if (!strcasecmp(opt, "nx")) nx = 1;
        else if (!strcasecmp(opt, "xx")) xx = 1;
        else if (strcasecmp(opt, "ch")) break;
    }
    if ((c->argc - first) % 3 || (xx && nx)) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    /* The ZADD this amounts to: the options, then score member pairs. */
    int elements = (c->argc - first) / 3, zargc = first + elements * 2;
    robj **zargv = zmalloc(sizeof(robj *) * zargc);
    zargv[0] = createStringObject("zadd", 4);
    for (int i = 1; i < first; i++) zargv[i] = c->argv[i];
    int parsed = 0;
    for (; parsed < elements; parsed++) {
        double xy[2];
        geohashCell cell;
        if (geoLonLatOrReply(c, c->argv + first + parsed * 3, xy) != C_OK) break;
        geohashEncodeGeo(xy[0], xy[1], GEO_STEP_MAX, &cell);
        zargv[first + parsed * 2] = createObject(OBJ_STRING, sdsfromlonglong((long long)geohashAlign52(cell)));
        zargv[first + parsed * 2 + 1] = c->argv[first + parsed * 3 + 2];
    }
    if (parsed == elements) {
        /* ZADD runs on the rewritten vector and is what gets recorded. */
        robj **argv = c->argv;
        int argc = c->argc;
        c->argv = zargv;
        c->argc = zargc;
        zaddCommand(c);
        c->argv = argv;
        c->argc = argc;
        rewritePropagatedCommandArgv(c, zargv, zargc);
    }
    decrRefCount(zargv[0]);
    for (int i = 0; i < parsed; i++) decrRefCount(zargv[first + i * 2]);
    zfree(zargv);
}

/* ------------------------------------------------------------ lookups */

/* A distance, in the unit asked for, as a bulk string with 4 decimals. */
static void addReplyGeoDistance(client *c, double d) {
    char buf[128];
    int len = snprintf(buf, sizeof(buf), "%.4f", d);
    addReplyBulkCBuffer(c, buf, (size_t)len);
}

static void addReplyGeoLonLat(client *c, const double xy[2]) {
    addReplyArrayLen(c, 2);
    addReplyHumanLongDouble(c, xy[0]);
    addReplyHumanLongDouble(c, xy[1]);
}

/* GEODIST key member1 member2 [unit] */
void geodistCommand(client *c) {
    double conversion = 1;
    if (c->argc == 5) {
        if ((conversion = geoUnitOrReply(c, c->argv[4])) < 0) return;
    } else if (c->argc > 5) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    robj *zobj = lookupKeyReadOrReply(c, c->argv[1], shared.null[c->resp]);
    if (zobj == NULL || checkType(c, zobj, OBJ_ZSET)) return;
    double a[2], b[2];
    if (geoMemberLonLat(zobj, c->argv[2], a) != C_OK || geoMemberLonLat(zobj, c->argv[3], b) != C_OK) {
        addReplyNull(c);
        return;
    }
    addReplyGeoDistance(c, geohashDistance(a[0], a[1], b[0], b[1]) / conversion);
}

/* GEOHASH key [member ...]: standard geohash strings, nil when absent. */
void geohashCommand(client *c) {
    robj *zobj = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, zobj, OBJ_ZSET)) return;
    addReplyArrayLen(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        double xy[2];
        char buf[12];
        if (zobj == NULL || geoMemberLonLat(zobj, c->argv[j], xy) != C_OK) {
            addReplyNull(c);
            continue;
        }
        geohashToString(xy, buf);
        addReplyBulkCBuffer(c, buf, 11);
    }
}

/* GEOPOS key [member ...]: [longitude, latitude] pairs, nil when absent. */
void geoposCommand(client *c) {
    robj *zobj = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, zobj, OBJ_ZSET)) return;
    addReplyArrayLen(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        double xy[2];
        if (zobj == NULL || geoMemberLonLat(zobj, c->argv[j], xy) != C_OK)
            addReplyNullArray(c);
        else
            addReplyGeoLonLat(c, xy);
    }
}

/* ------------------------------------------------------------ searches */

/* Which command a search is. */
#define GEO_RADIUS (1 << 0)       /* GEORADIUS[_RO]: centre from coordinates */
#define GEO_RADIUS_MEMBER (1 << 1) /* GEORADIUSBYMEMBER[_RO]: centre from a member */
#define GEO_NOSTORE (1 << 2)      /* the _RO forms */
#define GEO_SEARCH (1 << 3)       /* GEOSEARCH and GEOSEARCHSTORE */
#define GEO_SEARCHSTORE (1 << 4)  /* GEOSEARCHSTORE */

#define GEO_SORT_NONE 0
#define GEO_SORT_ASC 1
#define GEO_SORT_DESC 2

/* A circle (radius) or a box (width x height) around xy, the lengths in
 * the user's unit, conversion metres per unit. */
typedef struct geoShape {
    int box;
    double xy[2];
    double conversion;
    double radius, width, height;
} geoShape;

/* A match. The layout (five 8-byte fields) is the one Redis sorts, so
 * that qsort orders ties the same way. member is owned. */
typedef struct geoPoint {
    double lon, lat;
    double dist; /* metres while collecting, the unit once replied */
    double score;
    sds member;
} geoPoint;

typedef struct geoArray {
    geoPoint *array;
    size_t used, cap;
} geoArray;

/* A parsed search. storekey is borrowed from the client's argv. */
typedef struct geoSearch {
    geoShape shape;
    int withdist, withhash, withcoord, any, sort, storedist;
    int frommember, fromlonlat, byradius, bybox;
    long long count;
    robj *storekey;
} geoSearch;

/* Parses one search option at argv[i] of the remaining argc ones; returns
 * how many arguments it took, 0 after an error reply. */
static int geoParseOption(client *c, int flags, robj *zobj, robj **argv, int i, int argc, geoSearch *s) {
    const char *arg = argv[i]->ptr;
    int left = argc - i - 1, can_store = !(flags & (GEO_NOSTORE | GEO_SEARCH));
    if (!strcasecmp(arg, "withdist")) s->withdist = 1;
    else if (!strcasecmp(arg, "withhash")) s->withhash = 1;
    else if (!strcasecmp(arg, "withcoord")) s->withcoord = 1;
    else if (!strcasecmp(arg, "any")) s->any = 1;
    else if (!strcasecmp(arg, "asc")) s->sort = GEO_SORT_ASC;
    else if (!strcasecmp(arg, "desc")) s->sort = GEO_SORT_DESC;
    else if (!strcasecmp(arg, "count") && left >= 1) {
        if (getLongLongFromObjectOrReply(c, argv[i + 1], &s->count, NULL) != C_OK) return 0;
        if (s->count <= 0) {
            addReplyError(c, "COUNT must be > 0");
            return 0;
        }
        return 2;
    } else if ((!strcasecmp(arg, "store") || !strcasecmp(arg, "storedist")) && left >= 1 && can_store) {
        s->storekey = argv[i + 1];
        s->storedist = arg[5] != '\0';
        return 2;
    } else if (!strcasecmp(arg, "storedist") && (flags & GEO_SEARCHSTORE)) {
        s->storedist = 1;
    } else if (!strcasecmp(arg, "frommember") && left >= 1 && (flags & GEO_SEARCH) && !s->fromlonlat) {
        /* Without the key the member is not looked up: the reply is the
         * empty one once the other options are checked. */
        if (zobj && geoMemberLonLatOrReply(c, zobj, argv[i + 1], s->shape.xy) != C_OK) return 0;
        s->frommember = 1;
        return 2;
    } else if (!strcasecmp(arg, "fromlonlat") && left >= 2 && (flags & GEO_SEARCH) && !s->frommember) {
        if (geoLonLatOrReply(c, argv + i + 1, s->shape.xy) != C_OK) return 0;
        s->fromlonlat = 1;
        return 3;
    } else if (!strcasecmp(arg, "byradius") && left >= 2 && (flags & GEO_SEARCH) && !s->bybox) {
        if (geoRadiusOrReply(c, argv + i + 1, &s->shape.radius, &s->shape.conversion) != C_OK) return 0;
        s->byradius = 1;
        return 3;
    } else if (!strcasecmp(arg, "bybox") && left >= 3 && (flags & GEO_SEARCH) && !s->byradius) {
        if (geoBoxOrReply(c, argv + i + 1, &s->shape.width, &s->shape.height, &s->shape.conversion) != C_OK)
            return 0;
        s->shape.box = 1;
        s->bybox = 1;
        return 4;
    } else {
        addReplyErrorObject(c, shared.syntaxerr);
        return 0;
    }
    return 1;
}

/* The fixed arguments of the command (centre and radius for GEORADIUS*,
 * the destination for GEOSEARCHSTORE); sets *optidx to the first option. */
static int geoParseFixed(client *c, int flags, robj *zobj, geoSearch *s, int *optidx) {
    if (flags & GEO_RADIUS) {
        *optidx = 6;
        if (geoLonLatOrReply(c, c->argv + 2, s->shape.xy) != C_OK) return C_ERR;
        return geoRadiusOrReply(c, c->argv + 4, &s->shape.radius, &s->shape.conversion);
    }
    if (flags & GEO_RADIUS_MEMBER) {
        *optidx = 5;
        /* Without the key nothing is looked up: see geoParseOption. */
        if (zobj == NULL) return C_OK;
        if (geoMemberLonLatOrReply(c, zobj, c->argv[2], s->shape.xy) != C_OK) return C_ERR;
        return geoRadiusOrReply(c, c->argv + 3, &s->shape.radius, &s->shape.conversion);
    }
    *optidx = 2;
    if (flags & GEO_SEARCHSTORE) {
        *optidx = 3;
        s->storekey = c->argv[1];
    }
    return C_OK;
}

/* Parses the whole command into s, checking the option combinations.
 * C_ERR after an error reply. */
static int geoParseSearch(client *c, int flags, robj *zobj, geoSearch *s) {
    int i;
    if (geoParseFixed(c, flags, zobj, s, &i) != C_OK) return C_ERR;
    while (i < c->argc) {
        int took = geoParseOption(c, flags, zobj, c->argv, i, c->argc, s);
        if (took == 0) return C_ERR;
        i += took;
    }
    if (s->storekey && (s->withdist || s->withhash || s->withcoord)) {
        addReplyErrorFormat(c, "%s is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
                            (flags & GEO_SEARCHSTORE) ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS");
        return C_ERR;
    }
    if ((flags & GEO_SEARCH) && !(s->frommember || s->fromlonlat)) {
        addReplyErrorFormat(c, "exactly one of FROMMEMBER or FROMLONLAT can be specified for %s",
                            (char *)c->argv[0]->ptr);
        return C_ERR;
    }
    if ((flags & GEO_SEARCH) && !(s->byradius || s->bybox)) {
        addReplyErrorFormat(c, "exactly one of BYRADIUS and BYBOX can be specified for %s", (char *)c->argv[0]->ptr);
        return C_ERR;
    }
    if (s->any && !s->count) {
        addReplyError(c, "the ANY argument requires COUNT argument");
        return C_ERR;
    }
    return C_OK;
}

/* ------------------------------------------------------------ collection */

static void geoArrayAppend(geoArray *ga, const double xy[2], double dist, double score, sds member) {
    if (ga->used == ga->cap) {
        ga->cap = ga->cap ? ga->cap * 2 : 16;
        ga->array = zrealloc(ga->array, sizeof(geoPoint) * ga->cap);
    }
    geoPoint *p = &ga->array[ga->used++];
    p->lon = xy[0];
    p->lat = xy[1];
    p->dist = dist;
    p->score = score;
    p->member = member;
}

static void geoArrayFree(geoArray *ga) {
    for (size_t i = 0; i < ga->used; i++) sdsfree(ga->array[i].member);
    zfree(ga->array);
}

/* Whether xy lies in the shape; *dist gets its distance to the centre in
 * metres. A box is tested by its east-west and north-south extents. */
static int geoWithinShape(const geoShape *s, const double xy[2], double *dist) {
    if (!s->box) {
        *dist = geohashDistance(s->xy[0], s->xy[1], xy[0], xy[1]);
        return *dist <= s->radius * s->conversion;
    }
    double lon_dist = geohashDistance(xy[0], xy[1], s->xy[0], xy[1]);
    double lat_dist = geohashDistance(xy[0], xy[1], xy[0], s->xy[1]);
    if (lon_dist > s->width * s->conversion / 2 || lat_dist > s->height * s->conversion / 2) return 0;
    *dist = geohashDistance(s->xy[0], s->xy[1], xy[0], xy[1]);
    return 1;
}

/* Appends the members of cell that lie in the shape, in score order,
 * stopping once ga holds limit points (0: no limit). */
static void geoCollectCell(robj *zobj, geohashCell cell, const geoShape *s, geoArray *ga, long long limit) {
    geohashCell next = {cell.bits + 1, cell.step};
    zrangespec range = {(double)geohashAlign52(cell), (double)geohashAlign52(next), 0, 1};
    zsetIterator it;
    listpackEntry e;
    double score;
    if (!zsetIterInitScore(&it, zobj, &range, 0)) return;
    while (!(limit && ga->used >= (size_t)limit) && zsetIterNext(&it, &e, &score)) {
        double xy[2], dist;
        if (!geohashScoreToLonLat(score, xy) || !geoWithinShape(s, xy, &dist)) continue;
        geoArrayAppend(ga, xy, dist, score, zsetEntryToSds(&e));
    }
}

/* Collects the matches of the shape over its search cells. A cell equal
 * to the last one scanned (neighbours coincide on coarse grids) is
 * skipped; the centre cell does not count as scanned for that check,
 * which Redis's results depend on. */
static void geoCollect(robj *zobj, const geoShape *s, geoArray *ga, long long limit) {
    double half_w, half_h, radius_m;
    if (s->box) {
        half_w = s->conversion * (s->width / 2);
        half_h = s->conversion * (s->height / 2);
        radius_m = sqrt((s->width / 2) * (s->width / 2) + (s->height / 2) * (s->height / 2)) * s->conversion;
    } else {
        half_w = half_h = s->conversion * s->radius;
        radius_m = s->radius * s->conversion;
    }
    geohashSearch cells;
    geohashSearchCells(s->xy[0], s->xy[1], half_w, half_h, radius_m, &cells);
    int last = 0;
    for (int i = 0; i < 9; i++) {
        geohashCell cell = cells.cells[i];
        if (geohashIsNone(cell)) continue;
        if (last && cell.bits == cells.cells[last].bits && cell.step == cells.cells[last].step) continue;
        if (limit && ga->used >= (size_t)limit) break;
        geoCollectCell(zobj, cell, s, ga, limit);
        last = i;
    }
}

/* ------------------------------------------------------------ output */

static int geoCompareAsc(const void *a, const void *b) {
    double da = ((const geoPoint *)a)->dist, db = ((const geoPoint *)b)->dist;
    return da > db ? 1 : (da == db ? 0 : -1);
}

static int geoCompareDesc(const void *a, const void *b) {
    return -geoCompareAsc(a, b);
}

/* A partial sort: puts in their sorted places at least the points of
 * ranks first..last, leaving the others in some order. When COUNT cuts the
 * result Redis sorts this way (a Bentley-McIlroy quicksort that skips the
 * partitions outside the ranks), and points at equal distances come out in
 * the order that algorithm leaves them; so the steps below are the same:
 * insertion sort under 7 points, the pivot a median of three (of three
 * medians over 40 points), a three-way partition moving the pivot's
 * equals to both ends, then the equals swapped back to the middle. */
typedef int geoCmpFn(const void *a, const void *b);

static void geoSwap(geoPoint *p, size_t i, size_t j) {
    geoPoint t = p[i];
    p[i] = p[j];
    p[j] = t;
}

static void geoInsertionSort(geoPoint *p, size_t n, geoCmpFn *cmp) {
    for (size_t m = 1; m < n; m++)
        for (size_t l = m; l > 0 && cmp(&p[l - 1], &p[l]) > 0; l--) geoSwap(p, l, l - 1);
}

static size_t geoMedian3(geoPoint *p, size_t a, size_t b, size_t c, geoCmpFn *cmp) {
    if (cmp(&p[a], &p[b]) < 0) return cmp(&p[b], &p[c]) < 0 ? b : (cmp(&p[a], &p[c]) < 0 ? c : a);
    return cmp(&p[b], &p[c]) > 0 ? b : (cmp(&p[a], &p[c]) < 0 ? a : c);
}

static size_t geoPivot(geoPoint *p, size_t n, geoCmpFn *cmp) {
    size_t m = n / 2;
    if (n == 7) return m;
    size_t l = 0, h = n - 1;
    if (n > 40) {
        size_t d = n / 8;
        l = geoMedian3(p, l, l + d, l + 2 * d, cmp);
        m = geoMedian3(p, m - d, m, m + d, cmp);
        h = geoMedian3(p, h - 2 * d, h - d, h, cmp);
    }
    return geoMedian3(p, l, m, h, cmp);
}

/* Swaps the k points at i with the k points at j (the ranges are apart). */
static void geoSwapRuns(geoPoint *p, size_t i, size_t j, size_t k) {
    for (size_t x = 0; x < k; x++) geoSwap(p, i + x, j + x);
}

/* Sorts p[0..n) far enough that ranks [first, last] (relative to p) hold
 * their points; base is p's offset in the whole array, for the ranks. */
static void geoPartialSort(geoPoint *p, size_t n, geoCmpFn *cmp, size_t base, size_t first, size_t last) {
    for (;;) {
        if (n < 7) {
            geoInsertionSort(p, n, cmp);
            return;
        }
        geoSwap(p, 0, geoPivot(p, n, cmp));
        size_t pa = 1, pb = 1, pc = n - 1, pd = n - 1;
        int r;
        for (;;) {
            while (pb <= pc && (r = cmp(&p[pb], &p[0])) <= 0) {
                if (r == 0) geoSwap(p, pa++, pb);
                pb++;
            }
            while (pb <= pc && (r = cmp(&p[pc], &p[0])) >= 0) {
                if (r == 0) geoSwap(p, pc, pd--);
                pc--;
            }
            if (pb > pc) break;
            geoSwap(p, pb++, pc--);
        }
        size_t k = pa < pb - pa ? pa : pb - pa;
        geoSwapRuns(p, 0, pb - k, k);
        k = pd - pc < n - pd - 1 ? pd - pc : n - pd - 1;
        geoSwapRuns(p, pb, n - k, k);
        /* Now the smaller points are p[0..pb-pa), the greater ones the
         * last pd-pc; each side is sorted when it meets the ranks. */
        size_t left = pb - pa, right = pd - pc;
        if (left > 1 && base + left > first && base <= last) geoPartialSort(p, left, cmp, base, first, last);
        if (right <= 1) return;
        p += n - right;
        base += n - right;
        n = right;
        if (!(base + n > first && base <= last)) return;
    }
}

static void geoReplyPoints(client *c, const geoSearch *s, geoPoint *points, size_t n) {
    int extras = s->withdist + s->withhash + s->withcoord;
    addReplyArrayLen(c, (long)n);
    for (size_t i = 0; i < n; i++) {
        geoPoint *p = &points[i];
        if (extras) addReplyArrayLen(c, extras + 1);
        addReplyBulkCBuffer(c, p->member, sdslen(p->member));
        if (s->withdist) addReplyGeoDistance(c, p->dist);
        if (s->withhash) addReplyLongLong(c, (long long)p->score);
        if (s->withcoord) {
            double xy[2] = {p->lon, p->lat};
            addReplyGeoLonLat(c, xy);
        }
    }
}

/* Stores the points as a sorted set at the destination (deleting it when
 * there is none) and replies their number. */
static void geoStorePoints(client *c, int flags, const geoSearch *s, geoPoint *points, size_t n) {
    robj *key = s->storekey;
    if (n == 0) {
        if (dbDelete(c->db, key)) {
            signalModifiedKey(c, c->db, key);
            notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
            server.dirty++;
        }
        addReply(c, shared.czero);
        return;
    }
    size_t maxelelen = 0;
    for (size_t i = 0; i < n; i++)
        if (sdslen(points[i].member) > maxelelen) maxelelen = sdslen(points[i].member);
    robj *zobj = zsetCreate(n, maxelelen);
    for (size_t i = 0; i < n; i++) {
        int outflags;
        zsetAdd(zobj, s->storedist ? points[i].dist : points[i].score, points[i].member, ZADD_IN_NONE, &outflags,
                NULL);
    }
    setKey(c, c->db, key, zobj, 0);
    decrRefCount(zobj);
    notifyKeyspaceEvent(NOTIFY_ZSET, (flags & GEO_SEARCH) ? "geosearchstore" : "georadiusstore", key, c->db->id);
    server.dirty += (long long)n;
    addReplyLongLong(c, (long long)n);
}

/* The body of every search command; srcidx is the source key's index. */
static void geoSearchGeneric(client *c, int srcidx, int flags) {
    robj *zobj = lookupKeyRead(c->db, c->argv[srcidx]);
    if (checkType(c, zobj, OBJ_ZSET)) return;
    geoSearch s;
    memset(&s, 0, sizeof(s));
    if (geoParseSearch(c, flags, zobj, &s) != C_OK) return;
    if (zobj == NULL) {
        if (s.storekey) {
            geoStorePoints(c, flags, &s, NULL, 0);
        } else {
            addReply(c, shared.emptyarray);
        }
        return;
    }
    if (s.count && s.sort == GEO_SORT_NONE && !s.any) s.sort = GEO_SORT_ASC;

    geoArray ga = {NULL, 0, 0};
    geoCollect(zobj, &s.shape, &ga, s.any ? s.count : 0);
    size_t n = (s.count && (size_t)s.count < ga.used) ? (size_t)s.count : ga.used;
    if (s.sort != GEO_SORT_NONE && ga.used > 1) {
        geoCmpFn *cmp = s.sort == GEO_SORT_ASC ? geoCompareAsc : geoCompareDesc;
        if (n == ga.used)
            qsort(ga.array, ga.used, sizeof(geoPoint), cmp);
        else
            geoPartialSort(ga.array, ga.used, cmp, 0, 0, n - 1);
    }
    for (size_t i = 0; i < n; i++) ga.array[i].dist /= s.shape.conversion;
    if (s.storekey)
        geoStorePoints(c, flags, &s, ga.array, n);
    else
        geoReplyPoints(c, &s, ga.array, n);
    geoArrayFree(&ga);
}

/* GEORADIUS key longitude latitude radius unit [options] */
void georadiusCommand(client *c) {
    geoSearchGeneric(c, 1, GEO_RADIUS);
}

void georadiusroCommand(client *c) {
    geoSearchGeneric(c, 1, GEO_RADIUS | GEO_NOSTORE);
}

/* GEORADIUSBYMEMBER key member radius unit [options] */
void georadiusbymemberCommand(client *c) {
    geoSearchGeneric(c, 1, GEO_RADIUS_MEMBER);
}

void georadiusbymemberroCommand(client *c) {
    geoSearchGeneric(c, 1, GEO_RADIUS_MEMBER | GEO_NOSTORE);
}

/* GEOSEARCH key FROMMEMBER m | FROMLONLAT lon lat  BYRADIUS r unit | BYBOX w h unit [options] */
void geosearchCommand(client *c) {
    geoSearchGeneric(c, 1, GEO_SEARCH);
}

/* GEOSEARCHSTORE destination source ... [STOREDIST] */
void geosearchstoreCommand(client *c) {
    geoSearchGeneric(c, 2, GEO_SEARCH | GEO_SEARCHSTORE);
}
