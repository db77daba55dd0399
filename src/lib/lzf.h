/* lzf.h — LZF compression, format-compatible with the LZF streams found in
 * Redis RDB files and DUMP payloads.
 *
 * The stream is a sequence of items, each starting with a control byte:
 *
 *   000LLLLL                      a literal run: the next L+1 bytes (1..32)
 *                                 are copied to the output as they are;
 *   LLLooooo oooooooo             a back reference: copy L+2 bytes (3..8)
 *                                 starting (o+1) bytes back in the output;
 *   111ooooo LLLLLLLL oooooooo    the same with L = 7 + the middle byte,
 *                                 for copies of 9..264 bytes.
 *
 * Offsets reach at most 8192 bytes back; a copy may overlap the bytes it
 * produces (a run of one repeated byte is a copy from one byte back).
 *
 * Both functions are pure: no allocation, no global state, no reads or
 * writes outside the given buffers. */
#ifndef EMBER_LZF_H
#define EMBER_LZF_H

/* Compresses in[0..in_len) into out[0..out_len). Returns the compressed
 * size, or 0 when the result does not fit in out_len bytes (or in_len is
 * 0). Incompressible data grows by one byte per 32, so an out_len smaller
 * than in_len asks "compress only if it saves space". */
unsigned int lzf_compress(const void *in, unsigned int in_len, void *out, unsigned int out_len);

/* Decompresses the stream in[0..in_len) into out[0..out_len). Returns the
 * decompressed size, or 0 with errno set when the stream is corrupt
 * (EINVAL: truncated item, reference before the start of the output) or
 * its output does not fit in out_len bytes (E2BIG). */
unsigned int lzf_decompress(const void *in, unsigned int in_len, void *out, unsigned int out_len);

#endif
