/* geohash.h — interleaved geohash cells on the Web Mercator square, and the
 * spherical geometry of the GEO commands.
 *
 * A point (longitude, latitude) is placed in a grid of 2^step x 2^step
 * cells over a longitude range and a latitude range; the cell's two
 * indexes are interleaved bit by bit (latitude on the even bits, longitude
 * on the odd bits) into one integer. At step 26 over the ranges below the
 * integer has 52 bits, which a double holds exactly: that is the score a
 * geo set keeps for each member. Decoding gives back the cell, whose
 * centre is the coordinate the server reports.
 *
 * The search helpers turn a circle or a box into at most nine cells (one
 * cell and its eight neighbours, at a step coarse enough that the nine
 * cover the shape) whose score ranges a caller scans. Distances use the
 * haversine formula on a sphere of radius GEO_EARTH_RADIUS_M.
 */
#ifndef EMBER_GEOHASH_H
#define EMBER_GEOHASH_H

#include <stdint.h>

#define GEO_STEP_MAX 26
#define GEO_LAT_MIN (-85.05112878)
#define GEO_LAT_MAX 85.05112878
#define GEO_LONG_MIN (-180.0)
#define GEO_LONG_MAX 180.0
#define GEO_EARTH_RADIUS_M 6372797.560856
#define GEO_MERCATOR_MAX 20037726.37

/* A cell: the interleaved indexes and the step (bits per axis). A cell
 * with bits 0 and step 0 is "no cell" (see geohashIsNone). */
typedef struct {
    uint64_t bits;
    uint8_t step;
} geohashCell;

typedef struct {
    double min, max;
} geohashRange;

/* A decoded cell: its longitude and latitude intervals. */
typedef struct {
    geohashCell cell;
    geohashRange lon, lat;
} geohashArea;

/* The cells a search scans: the one holding the centre, then its north,
 * south, east, west, north-east, north-west, south-east and south-west
 * neighbours, in that order; a neighbour that cannot hold a match is "no
 * cell". */
typedef struct {
    geohashCell cells[9];
} geohashSearch;

/* Encodes (lon, lat) at step (1..32) over the given ranges. Returns 0 and
 * leaves *out unusable when the point is outside the GEO limits or the
 * ranges, or step is out of bounds. */
int geohashEncode(const geohashRange *lonr, const geohashRange *latr, double lon, double lat, int step,
                  geohashCell *out);
/* geohashEncode over the GEO ranges (longitude ±180, latitude ±85.05112878). */
int geohashEncodeGeo(double lon, double lat, int step, geohashCell *out);
/* The cell's intervals over the given ranges. Returns 0 for "no cell". */
int geohashDecode(const geohashRange *lonr, const geohashRange *latr, geohashCell cell, geohashArea *area);
int geohashDecodeGeo(geohashCell cell, geohashArea *area);
/* The centre of the area as xy[0] = longitude, xy[1] = latitude, clamped
 * to the GEO limits. */
void geohashAreaCentre(const geohashArea *area, double xy[2]);
/* A score (a step-26 cell as a double) to its centre. Returns 0 when it
 * does not decode. */
int geohashScoreToLonLat(double score, double xy[2]);
/* The cell's bits shifted left so that the cell spans scores
 * [geohashAlign52(c), geohashAlign52(next cell)) at step 26. */
uint64_t geohashAlign52(geohashCell cell);
/* The eight neighbours in the order north, south, east, west, north-east,
 * north-west, south-east, south-west; indexes wrap around the grid. */
void geohashNeighbours(geohashCell cell, geohashCell out[8]);
static inline int geohashIsNone(geohashCell c) {
    return c.bits == 0 && c.step == 0;
}
/* The 11-character standard geohash (base32, latitude over -90..90) of
 * the point, NUL-terminated in buf. */
void geohashToString(const double xy[2], char buf[12]);

/* Great-circle distance in metres between two points given in degrees. */
double geohashDistance(double lon1, double lat1, double lon2, double lat2);
/* The step at which a cell is about as wide as radius_m at latitude lat. */
int geohashEstimateStep(double radius_m, double lat);
/* The cells to scan for a shape centred at (lon, lat) whose half extents
 * are half_width_m and half_height_m and whose centre-to-corner distance
 * is radius_m (all three equal for a circle). */
void geohashSearchCells(double lon, double lat, double half_width_m, double half_height_m, double radius_m,
                        geohashSearch *out);

#endif /* EMBER_GEOHASH_H */
