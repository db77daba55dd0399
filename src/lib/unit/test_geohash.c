/* test_geohash.c -- unit tests of geohash.c.
 *
 * Fixed scores, decoded coordinates (printed to 17 decimals), geohash
 * strings and distances as redis-server 7.0.15 gives them for the same
 * input; the limits; neighbours wrapping around the grid; and a property
 * test: every point of a random circle lies in one of its search cells.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "geohash.h"
#include "unit/test.h"

static uint64_t scoreOf(double lon, double lat) {
    geohashCell cell;
    if (!geohashEncodeGeo(lon, lat, GEO_STEP_MAX, &cell)) return UINT64_MAX;
    return geohashAlign52(cell);
}

static void printed(double score, char lon[64], char lat[64]) {
    double xy[2] = {0, 0};
    geohashScoreToLonLat(score, xy);
    snprintf(lon, 64, "%.17f", xy[0]);
    snprintf(lat, 64, "%.17f", xy[1]);
}

/* Whether score falls in one of the search's cells. */
static int covered(const geohashSearch *s, uint64_t score) {
    for (int i = 0; i < 9; i++) {
        geohashCell c = s->cells[i], next = {c.bits + 1, c.step};
        if (geohashIsNone(c)) continue;
        if (score >= geohashAlign52(c) && score < geohashAlign52(next)) return 1;
    }
    return 0;
}

int main(void) {
    char lon[64], lat[64], hash[12];
    TEST("scores as Redis computes them") {
        ASSERT(scoreOf(13.361389, 38.115556) == 3479099956230698ULL);
        ASSERT(scoreOf(15.087269, 37.502669) == 3479447370796909ULL);
        ASSERT(scoreOf(-180, -85.05112878) == 0);
        ASSERT(scoreOf(180, 85.05112878) == 13510798882111488ULL);
        ASSERT(scoreOf(179.9999, 0) == 4128299658422434ULL);
    }
    TEST("points outside the limits do not encode") {
        ASSERT(scoreOf(180.0001, 0) == UINT64_MAX);
        ASSERT(scoreOf(-181, 0) == UINT64_MAX);
        ASSERT(scoreOf(0, 85.0512) == UINT64_MAX);
        ASSERT(scoreOf(0, -90) == UINT64_MAX);
    }
    TEST("decoded cell centres") {
        printed(3479099956230698.0, lon, lat);
        ASSERT_STREQ(lon, "13.36138933897018433");
        ASSERT_STREQ(lat, "38.11555639549629859");
        printed(3479447370796909.0, lon, lat);
        ASSERT_STREQ(lon, "15.08726745843887329");
        ASSERT_STREQ(lat, "37.50266842333162032");
        printed(10150714164641792.0, lon, lat); /* longitude index 2^26: clamped */
        ASSERT_STREQ(lon, "180.00000000000000000");
    }
    TEST("standard geohash strings") {
        double palermo[2], catania[2];
        geohashScoreToLonLat(3479099956230698.0, palermo);
        geohashScoreToLonLat(3479447370796909.0, catania);
        geohashToString(palermo, hash);
        ASSERT_STREQ(hash, "sqc8b49rny0");
        geohashToString(catania, hash);
        ASSERT_STREQ(hash, "sqdtr74hyu0");
    }
    TEST("haversine distance") {
        double a[2], b[2];
        char buf[64];
        geohashScoreToLonLat(3479099956230698.0, a);
        geohashScoreToLonLat(3479447370796909.0, b);
        snprintf(buf, sizeof(buf), "%.4f", geohashDistance(a[0], a[1], b[0], b[1]));
        ASSERT_STREQ(buf, "166274.1516");
        ASSERT(geohashDistance(a[0], a[1], a[0], a[1]) == 0);
        ASSERT(fabs(geohashDistance(0, 0, 180, 0) - M_PI * GEO_EARTH_RADIUS_M) < 1e-6);
    }
    TEST("neighbours wrap around the grid") {
        geohashCell c = {0, 2}, n[8]; /* latitude 0, longitude 0 of a 4x4 grid */
        geohashNeighbours(c, n);
        ASSERT(n[0].bits == 0x1); /* north: latitude 1 */
        ASSERT(n[1].bits == 0x5); /* south: latitude 3 */
        ASSERT(n[2].bits == 0x2); /* east: longitude 1 */
        ASSERT(n[3].bits == 0xA); /* west: longitude 3 */
        ASSERT(n[4].bits == 0x3 && n[7].bits == 0xF);
        ASSERT(n[0].step == 2 && n[7].step == 2);
    }
    TEST("an unmoved axis keeps its bits, even past the grid") {
        geohashCell c = {0x8, 1}, n[8]; /* longitude index 2 at step 1 */
        geohashNeighbours(c, n);
        ASSERT(n[0].bits == 0x9); /* north: longitude bits untouched */
        ASSERT(n[2].bits == 0x2); /* east: longitude reduced to the grid */
    }
    TEST("step estimates") {
        ASSERT_EQ_INT(geohashEstimateStep(0, 0), 26);
        ASSERT_EQ_INT(geohashEstimateStep(1e13, 0), 1);
        ASSERT_EQ_INT(geohashEstimateStep(1000, 0), 14);
        ASSERT_EQ_INT(geohashEstimateStep(1000, 70), 13);
        ASSERT_EQ_INT(geohashEstimateStep(1000, -85), 12);
        ASSERT_EQ_INT(geohashEstimateStep(0.001, 0), 26);
    }
    TEST("a circle's points lie in its search cells") {
        srand(12345);
        int misses = 0;
        for (int i = 0; i < 2000; i++) {
            double clon = rand() / (double)RAND_MAX * 360 - 180;
            double clat = rand() / (double)RAND_MAX * 160 - 80;
            double radius = pow(10, rand() / (double)RAND_MAX * 5 + 1);
            geohashSearch s;
            geohashSearchCells(clon, clat, radius, radius, radius, &s);
            for (int j = 0; j < 20; j++) {
                /* A point at a random bearing, within the radius. */
                double d = rand() / (double)RAND_MAX * radius * 0.99 / GEO_EARTH_RADIUS_M;
                double b = rand() / (double)RAND_MAX * 2 * M_PI;
                double la1 = clat * M_PI / 180, lo1 = clon * M_PI / 180;
                double la2 = asin(sin(la1) * cos(d) + cos(la1) * sin(d) * cos(b));
                double lo2 = lo1 + atan2(sin(b) * sin(d) * cos(la1), cos(d) - sin(la1) * sin(la2));
                double plat = la2 * 180 / M_PI, plon = remainder(lo2 * 180 / M_PI, 360);
                if (plat > GEO_LAT_MAX || plat < GEO_LAT_MIN) continue;
                if (!covered(&s, scoreOf(plon, plat))) misses++;
            }
        }
        ASSERT_EQ_INT(misses, 0);
    }
    return TEST_REPORT();
}
