/* test_murmurhash.c -- unit tests of murmurhash.c.
 *
 * Fixed hashes with the HyperLogLog seed for inputs of every tail length
 * class (empty, 1, 5, exactly one word, words plus a tail), computed by an
 * independent model of the published algorithm, and the seed's effect.
 */
#include <string.h>

#include "murmurhash.h"
#include "unit/test.h"

int main(void) {
    const uint64_t seed = 0xadc83b19ULL;
    TEST("known hashes with the HyperLogLog seed") {
        ASSERT(murmurHash64A("", 0, seed) == 0xd8dfea6585bc9732ULL);
        ASSERT(murmurHash64A("a", 1, seed) == 0x53d2470a9b43b1a7ULL);
        ASSERT(murmurHash64A("hello", 5, seed) == 0x0f656f01eecfe400ULL);
        ASSERT(murmurHash64A("12345678", 8, seed) == 0x95ebb86389132953ULL);
        const char *s = "hello world, this is seventeen+";
        ASSERT(murmurHash64A(s, strlen(s), seed) == 0x0d5ebdf41365f318ULL);
    }
    TEST("the seed and every byte matter") {
        ASSERT(murmurHash64A("hello", 5, seed) != murmurHash64A("hello", 5, 0));
        ASSERT(murmurHash64A("hellp", 5, seed) != murmurHash64A("hello", 5, seed));
        ASSERT(murmurHash64A("hello", 4, seed) != murmurHash64A("hello", 5, seed));
    }
    return TEST_REPORT();
}
