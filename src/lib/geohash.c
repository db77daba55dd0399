/* geohash.c — geohash cells, neighbours, distances and search cells.
 *
 * The arithmetic is done in the exact order the GEO scores of Redis 7.0
 * depend on: a coordinate becomes an offset in [0, 1) of its range, times
 * 2^step, truncated to an integer index; a cell decodes to
 * min + index / 2^step * (max - min) and min + (index + 1) / 2^step *
 * (max - min), and its centre is the mean of the two. Any other order of
 * operations rounds differently in the last bit and prints other digits.
 *
 * Interleaving spreads the bits of a 32-bit index to the even bits of a
 * 64-bit word (latitude) or the odd bits (longitude). Neighbours are found
 * by moving one index by one, modulo 2^step, so that the grid wraps around
 * at the antimeridian and at the latitude limits.
 */
#include "geohash.h"

#include <math.h>

#define GEO_DEG_TO_RAD (M_PI / 180.0)

/* Puts bit i of v at bit 2i. */
static uint64_t spreadBits(uint32_t v) {
    uint64_t x = v;
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFULL;
    x = (x | (x << 8)) & 0x00FF00FF00FF00FFULL;
    x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FULL;
    x = (x | (x << 2)) & 0x3333333333333333ULL;
    x = (x | (x << 1)) & 0x5555555555555555ULL;
    return x;
}

/* Gathers the even bits of x into a 32-bit value (inverse of spreadBits). */
static uint32_t gatherBits(uint64_t x) {
    x &= 0x5555555555555555ULL;
    x = (x | (x >> 1)) & 0x3333333333333333ULL;
    x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0FULL;
    x = (x | (x >> 4)) & 0x00FF00FF00FF00FFULL;
    x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
    x = (x | (x >> 16)) & 0x00000000FFFFFFFFULL;
    return (uint32_t)x;
}

static uint64_t interleave(uint32_t lat_index, uint32_t lon_index) {
    return spreadBits(lat_index) | (spreadBits(lon_index) << 1);
}

static const geohashRange geo_lon_range = {GEO_LONG_MIN, GEO_LONG_MAX};
static const geohashRange geo_lat_range = {GEO_LAT_MIN, GEO_LAT_MAX};

int geohashEncode(const geohashRange *lonr, const geohashRange *latr, double lon, double lat, int step,
                  geohashCell *out) {
    if (step < 1 || step > 32) return 0;
    if (lonr->max == lonr->min || latr->max == latr->min) return 0;
    if (lon > GEO_LONG_MAX || lon < GEO_LONG_MIN || lat > GEO_LAT_MAX || lat < GEO_LAT_MIN) return 0;
    if (lon < lonr->min || lon > lonr->max || lat < latr->min || lat > latr->max) return 0;
    double lat_offset = (lat - latr->min) / (latr->max - latr->min);
    double lon_offset = (lon - lonr->min) / (lonr->max - lonr->min);
    lat_offset *= (double)(1ULL << step);
    lon_offset *= (double)(1ULL << step);
    out->bits = interleave((uint32_t)lat_offset, (uint32_t)lon_offset);
    out->step = (uint8_t)step;
    return 1;
}

int geohashEncodeGeo(double lon, double lat, int step, geohashCell *out) {
    return geohashEncode(&geo_lon_range, &geo_lat_range, lon, lat, step, out);
}

int geohashDecode(const geohashRange *lonr, const geohashRange *latr, geohashCell cell, geohashArea *area) {
    if (geohashIsNone(cell)) return 0;
    if (lonr->max == lonr->min || latr->max == latr->min) return 0;
    uint32_t lat_index = gatherBits(cell.bits);
    uint32_t lon_index = gatherBits(cell.bits >> 1);
    double cells = (double)(1ULL << cell.step);
    double lat_span = latr->max - latr->min, lon_span = lonr->max - lonr->min;
    area->cell = cell;
    area->lat.min = latr->min + (lat_index * 1.0 / cells) * lat_span;
    area->lat.max = latr->min + ((uint32_t)(lat_index + 1) * 1.0 / cells) * lat_span;
    area->lon.min = lonr->min + (lon_index * 1.0 / cells) * lon_span;
    area->lon.max = lonr->min + ((uint32_t)(lon_index + 1) * 1.0 / cells) * lon_span;
    return 1;
}

int geohashDecodeGeo(geohashCell cell, geohashArea *area) {
    return geohashDecode(&geo_lon_range, &geo_lat_range, cell, area);
}

static double clampTo(double v, double lo, double hi) {
    return v > hi ? hi : (v < lo ? lo : v);
}

void geohashAreaCentre(const geohashArea *area, double xy[2]) {
    xy[0] = clampTo((area->lon.min + area->lon.max) / 2, GEO_LONG_MIN, GEO_LONG_MAX);
    xy[1] = clampTo((area->lat.min + area->lat.max) / 2, GEO_LAT_MIN, GEO_LAT_MAX);
}

int geohashScoreToLonLat(double score, double xy[2]) {
    geohashCell cell = {(uint64_t)score, GEO_STEP_MAX};
    geohashArea area;
    if (!geohashDecodeGeo(cell, &area)) return 0;
    geohashAreaCentre(&area, xy);
    return 1;
}

uint64_t geohashAlign52(geohashCell cell) {
    return cell.bits << (GEO_STEP_MAX * 2 - cell.step * 2);
}

/* The cell moved by dlon columns and dlat rows, wrapping around. Only a
 * moved axis is reduced to the grid: the bits of the other one are kept as
 * they are, even when the index is past the grid (a point on the east or
 * north limit encodes to index 2^step), as Redis's results depend on it. */
static geohashCell moveCell(geohashCell cell, int dlon, int dlat) {
    uint64_t mask = (1ULL << cell.step) - 1;
    uint64_t lat_bits = cell.bits & 0x5555555555555555ULL, lon_bits = cell.bits & 0xAAAAAAAAAAAAAAAAULL;
    if (dlat) lat_bits = spreadBits((uint32_t)((gatherBits(cell.bits) + (uint64_t)(int64_t)dlat) & mask));
    if (dlon) lon_bits = spreadBits((uint32_t)((gatherBits(cell.bits >> 1) + (uint64_t)(int64_t)dlon) & mask)) << 1;
    geohashCell moved = {lat_bits | lon_bits, cell.step};
    return moved;
}

void geohashNeighbours(geohashCell cell, geohashCell out[8]) {
    static const int moves[8][2] = {{0, 1}, {0, -1}, {1, 0}, {-1, 0}, {1, 1}, {-1, 1}, {1, -1}, {-1, -1}};
    for (int i = 0; i < 8; i++) out[i] = moveCell(cell, moves[i][0], moves[i][1]);
}

void geohashToString(const double xy[2], char buf[12]) {
    static const char alphabet[] = "0123456789bcdefghjkmnpqrstuvwxyz";
    static const geohashRange lonr = {-180, 180}, latr = {-90, 90};
    geohashCell cell = {0, GEO_STEP_MAX};
    geohashEncode(&lonr, &latr, xy[0], xy[1], GEO_STEP_MAX, &cell);
    /* 52 bits make ten 5-bit characters and 2 bits; the eleventh
     * character stands for those two bits padded, which Redis writes
     * as the zero digit. */
    for (int i = 0; i < 10; i++) buf[i] = alphabet[(cell.bits >> (52 - (i + 1) * 5)) & 0x1f];
    buf[10] = alphabet[0];
    buf[11] = '\0';
}

double geohashDistance(double lon1, double lat1, double lon2, double lat2) {
    double lat1r = lat1 * GEO_DEG_TO_RAD, lon1r = lon1 * GEO_DEG_TO_RAD;
    double lat2r = lat2 * GEO_DEG_TO_RAD, lon2r = lon2 * GEO_DEG_TO_RAD;
    double u = sin((lat2r - lat1r) / 2);
    double v = sin((lon2r - lon1r) / 2);
    return 2.0 * GEO_EARTH_RADIUS_M * asin(sqrt(u * u + cos(lat1r) * cos(lat2r) * v * v));
}

int geohashEstimateStep(double radius_m, double lat) {
    if (radius_m == 0) return GEO_STEP_MAX;
    int step = 1;
    while (radius_m < GEO_MERCATOR_MAX) {
        radius_m *= 2;
        step++;
    }
    /* Two steps coarser, so that the nine cells cover the radius in most
     * cases; coarser still towards the poles, where cells narrow. */
    step -= 2;
    if (lat > 66 || lat < -66) {
        step--;
        if (lat > 80 || lat < -80) step--;
    }
    if (step < 1) step = 1;
    if (step > GEO_STEP_MAX) step = GEO_STEP_MAX;
    return step;
}

static double radToDeg(double r) {
    return r / GEO_DEG_TO_RAD;
}

/* The longitude / latitude box around the shape: bounds = {min lon, min
 * lat, max lon, max lat}. The longitude half-width is taken at the edge
 * nearer the pole of the centre's hemisphere. */
static void boundingBox(double lon, double lat, double half_width_m, double half_height_m, double bounds[4]) {
    double lat_delta = radToDeg(half_height_m / GEO_EARTH_RADIUS_M);
    double lon_delta_top = radToDeg(half_width_m / GEO_EARTH_RADIUS_M / cos((lat + lat_delta) * GEO_DEG_TO_RAD));
    double lon_delta_bottom = radToDeg(half_width_m / GEO_EARTH_RADIUS_M / cos((lat - lat_delta) * GEO_DEG_TO_RAD));
    double lon_delta = lat < 0 ? lon_delta_bottom : lon_delta_top;
    bounds[0] = lon - lon_delta;
    bounds[1] = lat - lat_delta;
    bounds[2] = lon + lon_delta;
    bounds[3] = lat + lat_delta;
}

/* Fills out with the centre cell at step and its neighbours; area gets
 * the centre cell's intervals. */
static void cellsAtStep(double lon, double lat, int step, geohashSearch *out, geohashArea *area) {
    geohashEncodeGeo(lon, lat, step, &out->cells[0]);
    geohashNeighbours(out->cells[0], out->cells + 1);
    geohashDecodeGeo(out->cells[0], area);
}

/* True when one of the four side neighbours stops short of the box. */
static int neighboursTooSmall(const geohashSearch *s, const double bounds[4]) {
    geohashArea north, south, east, west;
    geohashDecodeGeo(s->cells[1], &north);
    geohashDecodeGeo(s->cells[2], &south);
    geohashDecodeGeo(s->cells[3], &east);
    geohashDecodeGeo(s->cells[4], &west);
    return north.lat.max < bounds[3] || south.lat.min > bounds[1] || east.lon.max < bounds[2] ||
           west.lon.min > bounds[0];
}

void geohashSearchCells(double lon, double lat, double half_width_m, double half_height_m, double radius_m,
                        geohashSearch *out) {
    enum { C, N, S, E, W, NE, NW, SE, SW };
    static const geohashCell none = {0, 0};
    double bounds[4];
    geohashArea area;
    boundingBox(lon, lat, half_width_m, half_height_m, bounds);
    int step = geohashEstimateStep(radius_m, lat);
    cellsAtStep(lon, lat, step, out, &area);
    if (step > 1 && neighboursTooSmall(out, bounds)) {
        step--;
        cellsAtStep(lon, lat, step, out, &area);
    }
    if (step < 2) return;
    /* A row or column of neighbours the box does not reach is dropped. */
    if (area.lat.min < bounds[1]) out->cells[S] = out->cells[SW] = out->cells[SE] = none;
    if (area.lat.max > bounds[3]) out->cells[N] = out->cells[NE] = out->cells[NW] = none;
    if (area.lon.min < bounds[0]) out->cells[W] = out->cells[SW] = out->cells[NW] = none;
    if (area.lon.max > bounds[2]) out->cells[E] = out->cells[SE] = out->cells[NE] = none;
}
