/* lzf.c — an LZF compressor and decompressor (stream format in lzf.h).
 *
 * Compression is a greedy LZ77 pass. A table indexed by a hash of the next
 * three input bytes remembers the last position where each hash was seen;
 * when the remembered position is within reach (8192 bytes back) and its
 * three bytes really match, the match is extended as far as it goes (up to
 * 264 bytes) and written as a back reference. Bytes that start no match
 * accumulate in a literal run, flushed in chunks of at most 32. Positions
 * inside a match are also entered in the table so later data can refer to
 * them. The table lives on the stack (64KB) and is rebuilt for each call,
 * so the function is reentrant.
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

#define LZF_HASH_BITS 14
#define LZF_HASH_SIZE (1u << LZF_HASH_BITS)
#define LZF_MAX_LITERAL 32
#define LZF_MAX_OFFSET 8192        /* distance back, 1..8192 */
#define LZF_MIN_MATCH 3
#define LZF_MAX_MATCH (7 + 255 + 2) /* 264 */

static inline uint32_t lzfHash(const uint8_t *p) {
    uint32_t v = ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
    return (v * 2654435761u) >> (32 - LZF_HASH_BITS);
}

/* Writes in[start..end) as literal runs at out+*op. Returns 0 when it does
 * not fit in out_len. */
static int lzfEmitLiterals(const uint8_t *in, unsigned int start, unsigned int end, uint8_t *out,
                           unsigned int *op, unsigned int out_len) {
    while (start < end) {
        unsigned int n = end - start;
        if (n > LZF_MAX_LITERAL) n = LZF_MAX_LITERAL;
        if (out_len - *op < n + 1) return 0;
        out[(*op)++] = (uint8_t)(n - 1);
        memcpy(out + *op, in + start, n);
        *op += n;
        start += n;
    }
    return 1;
}

unsigned int lzf_compress(const void *in_data, unsigned int in_len, void *out_data, unsigned int out_len) {
    const uint8_t *in = in_data;
    uint8_t *out = out_data;
    /* Positions plus one; 0 marks an empty slot. */
    uint32_t table[LZF_HASH_SIZE];
    unsigned int ip = 0, op = 0, lit_start = 0;

    if (in_len == 0) return 0;
    memset(table, 0, sizeof(table));
    while (in_len - ip > 2) {
        uint32_t h = lzfHash(in + ip);
        uint32_t ref = table[h];
        table[h] = ip + 1;
        if (ref == 0) {
            ip++;
            continue;
        }
        unsigned int r = ref - 1;
        unsigned int dist = ip - r;
        if (dist > LZF_MAX_OFFSET || in[r] != in[ip] || in[r + 1] != in[ip + 1] || in[r + 2] != in[ip + 2]) {
            ip++;
            continue;
        }
        unsigned int maxlen = in_len - ip;
        if (maxlen > LZF_MAX_MATCH) maxlen = LZF_MAX_MATCH;
        unsigned int len = LZF_MIN_MATCH;
        while (len < maxlen && in[r + len] == in[ip + len]) len++;

        if (!lzfEmitLiterals(in, lit_start, ip, out, &op, out_len)) return 0;
        unsigned int l = len - 2, off = dist - 1;
        if (out_len - op < (l < 7 ? 2u : 3u)) return 0;
        if (l < 7) {
            out[op++] = (uint8_t)((l << 5) | (off >> 8));
        } else {
            out[op++] = (uint8_t)((7u << 5) | (off >> 8));
            out[op++] = (uint8_t)(l - 7);
        }
        out[op++] = (uint8_t)(off & 0xff);

        /* Remember the positions covered by the match. */
        unsigned int end = ip + len;
        for (unsigned int p = ip + 1; p < end && in_len - p > 2; p++) table[lzfHash(in + p)] = p + 1;
        ip = end;
        lit_start = ip;
    }
    if (!lzfEmitLiterals(in, lit_start, in_len, out, &op, out_len)) return 0;
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
