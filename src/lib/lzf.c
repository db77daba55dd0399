/* lzf.c — an LZF compressor and decompressor (stream format in lzf.h).
 *
 * Compression is a greedy LZ77 pass that makes the same choices as the
 * liblzf compressor Redis uses (its fast mode, a 64K-slot table), so the
 * same input gives the same bytes: that is what makes DUMP payloads and
 * RDB files byte-identical to Redis's. A table indexed by a hash of the
 * next three input bytes remembers the last position where each hash was
 * seen; when the remembered position is within reach (8192 bytes back) and
 * its three bytes really match, the match is extended as far as it goes
 * (up to 264 bytes, and never into the last two input bytes' window) and
 * written as a back reference. Bytes that start no match accumulate in a
 * literal run of at most 32, whose length byte is reserved in front of it
 * and filled when the run closes. After a match only its last two
 * positions are entered in the table. The output checks are liblzf's too,
 * so "does not fit in out_len" is decided the same way.
 *
 * Decompression walks the items and checks each one before touching the
 * output: a literal run or copy that would read past the input, write past
 * the output, or refer to bytes before the start of the output stops with
 * 0 and errno set. Copies are done byte by byte when source and
 * destination overlap (that is how runs are encoded).
 */
#include "lzf.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#define LZF_HASH_BITS 16
#define LZF_HASH_SIZE (1u << LZF_HASH_BITS)
#define LZF_MAX_LITERAL 32
#define LZF_MAX_OFFSET 8192        /* distance back, 1..8192 */
#define LZF_MAX_MATCH (7 + 255 + 2) /* 264 */

/* The hash of the three bytes ending the 32-bit window h (the bytes before
 * them still weigh in, as in liblzf's fast mode). */
static inline uint32_t lzfIndex(uint32_t h) {
    return ((h >> 8) - h * 5) & (LZF_HASH_SIZE - 1);
}

/* The position table. A slot holds (call number << 32) | position, so a
 * slot written by an earlier call reads as empty without clearing 512 KB
 * on every call (RDB compresses millions of short strings). One table per
 * thread keeps the function reentrant across threads. */
static _Thread_local uint64_t lzf_table[LZF_HASH_SIZE];
static _Thread_local uint32_t lzf_epoch;

unsigned int lzf_compress(const void *in_data, unsigned int in_len, void *out_data, unsigned int out_len) {
    const uint8_t *in = in_data;
    uint8_t *out = out_data;
    if (in_len == 0) return 0;
    if (++lzf_epoch == 0) {
        memset(lzf_table, 0, sizeof(lzf_table));
        lzf_epoch = 1;
    }
    const uint64_t tag = (uint64_t)lzf_epoch << 32;
    unsigned int ip = 0, op = 1, lit = 0; /* out[0]: the first run's length */
    uint32_t h = in_len >= 2 ? ((uint32_t)in[0] << 8) | in[1] : 0;

    while (ip + 2 < in_len) {
        h = (h << 8) | in[ip + 2];
        uint64_t *slot = &lzf_table[lzfIndex(h)];
        uint64_t prev = *slot;
        *slot = tag | ip;
        unsigned int ref = (unsigned int)prev, off = 0;
        int match = (prev & ~0xffffffffULL) == tag && ref > 0 && (off = ip - ref - 1) < LZF_MAX_OFFSET &&
                    in[ref + 2] == in[ip + 2] && in[ref] == in[ip] && in[ref + 1] == in[ip + 1];
        if (!match) {
            if (op >= out_len) return 0;
            lit++;
            out[op++] = in[ip++];
            if (lit == LZF_MAX_LITERAL) {
                out[op - lit - 1] = (uint8_t)(lit - 1);
                lit = 0;
                op++;
            }
            continue;
        }
        unsigned int maxlen = in_len - ip - 2, len = 2;
        if (maxlen > LZF_MAX_MATCH) maxlen = LZF_MAX_MATCH;
        if (op + 3 + 1 >= out_len && op - !lit + 3 + 1 >= out_len) return 0;
        out[op - lit - 1] = (uint8_t)(lit - 1); /* close the run (undone below when empty) */
        op -= !lit;
        do
            len++;
        while (len < maxlen && in[ref + len] == in[ip + len]);
        len -= 2;
        ip++;
        if (len < 7) {
            out[op++] = (uint8_t)((off >> 8) + (len << 5));
        } else {
            out[op++] = (uint8_t)((off >> 8) + (7 << 5));
            out[op++] = (uint8_t)(len - 7);
        }
        out[op++] = (uint8_t)off;
        lit = 0;
        op++;
        ip += len + 1;
        if (ip >= in_len - 2) break;
        /* Enter the last two positions of the match, then go on. */
        ip -= 2;
        h = ((uint32_t)in[ip] << 8) | in[ip + 1];
        h = (h << 8) | in[ip + 2];
        lzf_table[lzfIndex(h)] = tag | ip;
        ip++;
        h = (h << 8) | in[ip + 2];
        lzf_table[lzfIndex(h)] = tag | ip;
        ip++;
    }
    if (op + 3 > out_len) return 0;
    while (ip < in_len) {
        lit++;
        out[op++] = in[ip++];
        if (lit == LZF_MAX_LITERAL) {
            out[op - lit - 1] = (uint8_t)(lit - 1);
            lit = 0;
            op++;
        }
    }
    out[op - lit - 1] = (uint8_t)(lit - 1);
    op -= !lit;
    return op;
}

unsigned int lzf_decompress(const void *in_data, unsigned int in_len, void *out_data, unsigned int out_len) {
    const uint8_t *in = in_data;
    uint8_t *out = out_data;
    unsigned int ip = 0, op = 0;

    while (ip < in_len) {
        unsigned int ctrl = in[ip++];
        if (ctrl < 32) {
            unsigned int n = ctrl + 1;
            if (in_len - ip < n) {
                errno = EINVAL;
                return 0;
            }
            if (out_len - op < n) {
                errno = E2BIG;
                return 0;
            }
            memcpy(out + op, in + ip, n);
            ip += n;
            op += n;
            continue;
        }
        unsigned int len = ctrl >> 5;
        if (len == 7) {
            if (ip >= in_len) {
                errno = EINVAL;
                return 0;
            }
            len += in[ip++];
        }
        if (ip >= in_len) {
            errno = EINVAL;
            return 0;
        }
        unsigned int dist = (((ctrl & 0x1f) << 8) | in[ip++]) + 1;
        len += 2;
        if (dist > op) {
            errno = EINVAL;
            return 0;
        }
        if (out_len - op < len) {
            errno = E2BIG;
            return 0;
        }
        unsigned int src = op - dist;
        if (dist >= len) {
            memcpy(out + op, out + src, len);
            op += len;
        } else {
            while (len--) out[op++] = out[src++];
        }
    }
    return op;
}
