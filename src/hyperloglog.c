/* hyperloglog.c — HyperLogLog cardinality sketches stored in strings:
 * PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST.
 *
 * A sketch is an ordinary string value laid out exactly as Redis lays it
 * out, so a value moved between Ember and Redis (GET/SET, DUMP/RESTORE)
 * counts the same on both sides:
 *
 *   "HYLL" | encoding (0 dense, 1 sparse) | 3 zero bytes | 8-byte cache
 *
 * followed by the registers. The cache holds the last computed
 * cardinality, little-endian; the top bit of its last byte set means
 * "stale, recompute". There are 16384 registers; an element is hashed
 * with MurmurHash64A (seed 0xadc83b19), the low 14 bits choose the
 * register and the register keeps the longest run seen of trailing zero
 * bits (plus one) of the remaining 50 bits, at most 51.
 *
 * Dense form: 16384 six-bit registers packed little-end first, register i
 * starting at bit 6*i, 12288 bytes. Sparse form: a run-length code of
 * opcodes, ZERO (00xxxxxx: 1..64 zero registers), XZERO (01xxxxxx
 * yyyyyyyy: 1..16384 zero registers) and VAL (1vvvvvxx: 1..4 registers of
 * value 1..32). A new sketch is sparse (one XZERO); it turns dense for
 * good when a value above 32 is needed or when the string would outgrow
 * hll-sparse-max-bytes. Updating a sparse sketch splits the opcode that
 * covers the register into at most three and then merges neighbouring VAL
 * opcodes of equal value a few steps around the change, the same edits
 * Redis makes, so that the bytes stay identical.
 *
 * The estimate is Ertl's improved estimator over the histogram of
 * register values, with the sigma and tau series iterated to convergence
 * in the same order of floating point operations as Redis 7.0.
 *
 * Strings that look like sketches but are damaged (runs past the last
 * register or not reaching it, dense strings of the wrong size) are
 * detected before any register is written beyond the buffer, and answer
 * -INVALIDOBJ; strings without the header answer -WRONGTYPE.
 */
#include "server.h"
#include "hyperloglog.h"
#include "murmurhash.h"
#include "notify.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#define HLL_P 14
#define HLL_Q (64 - HLL_P)
#define HLL_REGISTERS (1 << HLL_P)
#define HLL_P_MASK (HLL_REGISTERS - 1)
#define HLL_BITS 6
#define HLL_REGISTER_MAX ((1 << HLL_BITS) - 1)
#define HLL_HDR_SIZE 16
#define HLL_DENSE_BYTES ((HLL_REGISTERS * HLL_BITS + 7) / 8)
#define HLL_DENSE_SIZE (HLL_HDR_SIZE + HLL_DENSE_BYTES)
#define HLL_DENSE 0
#define HLL_SPARSE 1
#define HLL_HASH_SEED 0xadc83b19ULL
#define HLL_ALPHA_INF 0.721347520444481703680 /* 0.5 / ln 2 */

#define HLL_ZERO_MAX_LEN 64
#define HLL_XZERO_MAX_LEN 16384
#define HLL_VAL_MAX_VALUE 32
#define HLL_VAL_MAX_LEN 4

static const char HLL_INVALID_ERR[] = "-INVALIDOBJ Corrupted HLL object detected";
static const char HLL_WRONGTYPE_ERR[] = "-WRONGTYPE Key is not a valid HyperLogLog string value.";

/* ----------------------------------------------------------- the header */

static int hllEncoding(sds s) {
    return (unsigned char)s[4];
}

static void hllInvalidateCache(sds s) {
    s[15] = (char)((unsigned char)s[15] | 0x80);
}

static int hllCacheValid(sds s) {
    return ((unsigned char)s[15] & 0x80) == 0;
}

static uint64_t hllCacheGet(sds s) {
    uint64_t v = 0;
    for (int i = 15; i >= 8; i--) v = (v << 8) | (unsigned char)s[i];
    return v;
}

static void hllCacheSet(sds s, uint64_t v) {
    for (int i = 8; i < 16; i++, v >>= 8) s[i] = (char)(v & 0xff);
}

/* ------------------------------------------------------ dense registers */

static unsigned hllDenseGet(const unsigned char *r, unsigned idx) {
    unsigned bit = idx * HLL_BITS, byte = bit >> 3, shift = bit & 7;
    unsigned v = r[byte] >> shift;
    if (shift > 8 - HLL_BITS) v |= (unsigned)r[byte + 1] << (8 - shift);
    return v & HLL_REGISTER_MAX;
}

static void hllDenseSet(unsigned char *r, unsigned idx, unsigned val) {
    unsigned bit = idx * HLL_BITS, byte = bit >> 3, shift = bit & 7;
    r[byte] = (unsigned char)((r[byte] & ~(HLL_REGISTER_MAX << shift)) | (val << shift));
    if (shift > 8 - HLL_BITS) {
        unsigned hi = 8 - shift;
        r[byte + 1] = (unsigned char)((r[byte + 1] & ~(HLL_REGISTER_MAX >> hi)) | (val >> hi));
    }
}

/* ------------------------------------------------------ sparse opcodes */

typedef struct {
    int kind;       /* 0 ZERO, 1 XZERO, 2 VAL */
    unsigned len;   /* registers covered */
    unsigned val;   /* VAL only */
    unsigned size;  /* bytes of the opcode */
} hllOp;

/* Decodes the opcode at p. An XZERO cut by the end of the string reads
 * its second byte as the sds terminator (zero), never past the buffer. */
static hllOp hllOpAt(const unsigned char *p, const unsigned char *end) {
    hllOp op;
    if ((*p & 0xc0) == 0) {
        op = (hllOp){0, (unsigned)(*p & 0x3f) + 1, 0, 1};
    } else if ((*p & 0xc0) == 0x40) {
        unsigned lo = p + 1 < end ? p[1] : 0;
        op = (hllOp){1, (((unsigned)(*p & 0x3f) << 8) | lo) + 1, 0, 2};
    } else {
        op = (hllOp){2, (unsigned)(*p & 3) + 1, (unsigned)((*p >> 2) & 0x1f) + 1, 1};
    }
    return op;
}

/* Writes a zero run of len (1..16384) at p; returns the bytes used. */
static int hllPutZeros(unsigned char *p, unsigned len) {
    if (len > HLL_ZERO_MAX_LEN) {
        p[0] = (unsigned char)(((len - 1) >> 8) | 0x40);
        p[1] = (unsigned char)((len - 1) & 0xff);
        return 2;
    }
    p[0] = (unsigned char)(len - 1);
    return 1;
}

static unsigned char hllValByte(unsigned val, unsigned len) {
    return (unsigned char)(0x80 | ((val - 1) << 2) | (len - 1));
}

/* Calls fn(priv, first, len, val) for each run of the sparse registers,
 * stopping at a run that would pass the last register. C_ERR when the
 * runs do not cover exactly the 16384 registers with the whole code. */
typedef void hllRunFn(void *priv, unsigned first, unsigned len, unsigned val);
static int hllSparseWalk(sds s, hllRunFn *fn, void *priv) {
    const unsigned char *p = (unsigned char *)s + HLL_HDR_SIZE;
    const unsigned char *end = (unsigned char *)s + sdslen(s);
    unsigned idx = 0;
    while (p < end) {
        hllOp op = hllOpAt(p, end);
        if (idx + op.len > HLL_REGISTERS) break;
        fn(priv, idx, op.len, op.val);
        idx += op.len;
        p += op.size;
    }
    return (idx == HLL_REGISTERS && p == end) ? C_OK : C_ERR;
}

static void hllRunToDense(void *priv, unsigned first, unsigned len, unsigned val) {
    if (val == 0) return;
    for (unsigned i = first; i < first + len; i++) hllDenseSet(priv, i, val);
}

/* Rewrites the sparse value of o as dense. C_ERR (o unchanged) when the
 * sparse code is damaged. */
static int hllSparseToDense(robj *o) {
    sds s = o->ptr;
    sds dense = sdsnewlen(NULL, HLL_DENSE_SIZE);
    memcpy(dense, s, HLL_HDR_SIZE);
    dense[4] = HLL_DENSE;
    if (hllSparseWalk(s, hllRunToDense, dense + HLL_HDR_SIZE) != C_OK) {
        sdsfree(dense);
        return C_ERR;
    }
    sdsfree(s);
    o->ptr = dense;
    return C_OK;
}

/* Merges neighbouring VAL opcodes of equal value whose lengths fit one
 * opcode, looking at no more than five opcodes from p on. */
static void hllSparseMergeAround(robj *o, unsigned char *p) {
    unsigned char *end = (unsigned char *)o->ptr + sdslen(o->ptr);
    int steps = 5;
    while (p < end && steps-- > 0) {
        if ((*p & 0x80) == 0) {
            p += ((*p & 0xc0) == 0x40) ? 2 : 1;
            continue;
        }
        if (p + 1 < end && (p[1] & 0x80)) {
            hllOp a = hllOpAt(p, end), b = hllOpAt(p + 1, end);
            if (a.val == b.val && a.len + b.len <= HLL_VAL_MAX_LEN) {
                p[1] = hllValByte(a.val, a.len + b.len);
                memmove(p, p + 1, (size_t)(end - p - 1));
                end--;
                continue;
            }
        }
        p++;
    }
    sdssetlen(o->ptr, (size_t)(end - (unsigned char *)o->ptr));
    ((char *)o->ptr)[sdslen(o->ptr)] = '\0';
}

/* Sets register idx of the sparse value of o to val when val is larger
 * than what it holds, promoting the value to dense when needed. Returns
 * 1 if the register changed, 0 if not, -1 for a damaged value. o->ptr may
 * be replaced. */
static int hllSparseSet(robj *o, unsigned idx, unsigned val) {
    if (val > HLL_VAL_MAX_VALUE) goto promote;
    o->ptr = sdsMakeRoomFor(o->ptr, 3);
    unsigned char *start = (unsigned char *)o->ptr + HLL_HDR_SIZE;
    unsigned char *end = (unsigned char *)o->ptr + sdslen(o->ptr);
    unsigned char *p = start, *prev = NULL;
    unsigned first = 0;
    hllOp op = {0, 0, 0, 0};
    while (p < end) {
        op = hllOpAt(p, end);
        if (idx <= first + op.len - 1) break;
        prev = p;
        p += op.size;
        first += op.len;
    }
    if (p >= end || p + op.size > end) return -1;

    if (op.kind == 2 && op.val >= val) return 0;
    if (op.len == 1 && op.kind != 1) {
        *p = hllValByte(val, 1);
    } else {
        unsigned char seq[5];
        int n = 0;
        unsigned last = first + op.len - 1;
        if (op.kind == 2) {
            if (idx != first) seq[n++] = hllValByte(op.val, idx - first);
            seq[n++] = hllValByte(val, 1);
            if (idx != last) seq[n++] = hllValByte(op.val, last - idx);
        } else {
            if (idx != first) n += hllPutZeros(seq + n, idx - first);
            seq[n++] = hllValByte(val, 1);
            if (idx != last) n += hllPutZeros(seq + n, last - idx);
        }
        int delta = n - (int)op.size;
        if (delta > 0 && sdslen(o->ptr) + (size_t)delta > server.encoding.hll_sparse_max_bytes) goto promote;
        unsigned char *next = p + op.size;
        if (delta != 0) memmove(next + delta, next, (size_t)(end - next));
        memcpy(p, seq, (size_t)n);
        sdssetlen(o->ptr, sdslen(o->ptr) + (size_t)delta);
    }
    hllSparseMergeAround(o, prev ? prev : start);
    return 1;

promote:
    if (hllSparseToDense(o) != C_OK) return -1;
    hllDenseSet((unsigned char *)o->ptr + HLL_HDR_SIZE, idx, val);
    return 1;
}

/* ------------------------------------------------------------- adding */

/* The register an element goes to and the value it proposes (1..51). */
static unsigned hllPatternOf(const void *ele, size_t len, unsigned *idx) {
    uint64_t h = murmurHash64A(ele, len, HLL_HASH_SEED);
    *idx = (unsigned)(h & HLL_P_MASK);
    h >>= HLL_P;
    h |= 1ULL << HLL_Q; /* a stop bit: at most Q zeros */
    return (unsigned)__builtin_ctzll(h) + 1;
}

/* Sets register idx of the sketch o to at least val. 1 if it changed,
 * 0 if not, -1 for a damaged sketch. */
static int hllSetRegister(robj *o, unsigned idx, unsigned val) {
    if (hllEncoding(o->ptr) == HLL_SPARSE) return hllSparseSet(o, idx, val);
    unsigned char *r = (unsigned char *)o->ptr + HLL_HDR_SIZE;
    if (hllDenseGet(r, idx) >= val) return 0;
    hllDenseSet(r, idx, val);
    return 1;
}

static int hllAdd(robj *o, const void *ele, size_t len) {
    unsigned idx;
    unsigned val = hllPatternOf(ele, len, &idx);
    return hllSetRegister(o, idx, val);
}

/* ---------------------------------------------------------- counting */

static double hllSigma(double x) {
    if (x == 1.) return INFINITY;
    double y = 1, z = x, zprev;
    do {
        x *= x;
        zprev = z;
        z += x * y;
        y += y;
    } while (zprev != z);
    return z;
}

static double hllTau(double x) {
    if (x == 0. || x == 1.) return 0.;
    double y = 1.0, z = 1 - x, zprev;
    do {
        x = sqrt(x);
        zprev = z;
        y *= 0.5;
        z -= pow(1 - x, 2) * y;
    } while (zprev != z);
    return z / 3;
}

/* The estimate from a histogram of register values. */
static uint64_t hllEstimate(const int *histo) {
    double m = HLL_REGISTERS;
    double z = m * hllTau((m - histo[HLL_Q + 1]) / (double)m);
    for (int j = HLL_Q; j >= 1; --j) {
        z += histo[j];
        z *= 0.5;
    }
    z += m * hllSigma(histo[0] / (double)m);
    return (uint64_t)llroundl(HLL_ALPHA_INF * m * m / z);
}

static void hllRunToHisto(void *priv, unsigned first, unsigned len, unsigned val) {
    (void)first;
    ((int *)priv)[val] += (int)len;
}

/* The register histogram of the sketch s. C_ERR for a damaged one. */
static int hllHistogram(sds s, int *histo) {
    memset(histo, 0, sizeof(int) * 64);
    if (hllEncoding(s) == HLL_SPARSE) return hllSparseWalk(s, hllRunToHisto, histo);
    const unsigned char *r = (unsigned char *)s + HLL_HDR_SIZE;
    for (unsigned i = 0; i < HLL_REGISTERS; i++) histo[hllDenseGet(r, i)]++;
    return C_OK;
}

/* ------------------------------------------------------------- merging */

static void hllRunToMax(void *priv, unsigned first, unsigned len, unsigned val) {
    unsigned char *max = priv;
    for (unsigned i = first; i < first + len; i++)
        if (max[i] < val) max[i] = (unsigned char)val;
}

/* Raises max[i] (one byte per register) to the registers of sketch s.
 * C_ERR for a damaged sketch (max may be partly updated). */
static int hllMergeInto(unsigned char *max, sds s) {
    if (hllEncoding(s) == HLL_SPARSE) return hllSparseWalk(s, hllRunToMax, max);
    const unsigned char *r = (unsigned char *)s + HLL_HDR_SIZE;
    for (unsigned i = 0; i < HLL_REGISTERS; i++) {
        unsigned v = hllDenseGet(r, i);
        if (max[i] < v) max[i] = (unsigned char)v;
    }
    return C_OK;
}

/* -------------------------------------------------------- the objects */

/* A new, empty sparse sketch: the header and one XZERO opcode. */
static robj *hllCreateObject(void) {
    sds s = sdsnewlen(NULL, HLL_HDR_SIZE + 2);
    memcpy(s, "HYLL", 4);
    s[4] = HLL_SPARSE;
    hllPutZeros((unsigned char *)s + HLL_HDR_SIZE, HLL_REGISTERS);
    return createObject(OBJ_STRING, s);
}

/* C_OK if o is a string holding a sketch header (and a dense sketch has
 * the exact dense size); otherwise replies WRONGTYPE and returns C_ERR. */
static int hllCheckOrReply(client *c, robj *o) {
    if (checkType(c, o, OBJ_STRING)) return C_ERR;
    if (!sdsEncodedObject(o)) goto invalid;
    sds s = o->ptr;
    if (sdslen(s) < HLL_HDR_SIZE || memcmp(s, "HYLL", 4) != 0) goto invalid;
    if (hllEncoding(s) > HLL_SPARSE) goto invalid;
    if (hllEncoding(s) == HLL_DENSE && sdslen(s) != HLL_DENSE_SIZE) goto invalid;
    return C_OK;
invalid:
    addReplyError(c, HLL_WRONGTYPE_ERR);
    return C_ERR;
}

/* The sketch at key, unshared for writing, or NULL after a reply (wrong
 * type) or when absent (*absent set). */
static robj *hllLookupWritable(client *c, robj *key, int *absent) {
    robj *o = lookupKeyWrite(c->db, key);
    *absent = (o == NULL);
    if (o == NULL || hllCheckOrReply(c, o) != C_OK) return NULL;
    return dbUnshareStringValue(c->db, key, o);
}

/* ------------------------------------------------------------ commands */

/* PFADD key [element ...]: 1 if a register changed or the key was made. */
void pfaddCommand(client *c) {
    int absent, updated = 0;
    robj *o = hllLookupWritable(c, c->argv[1], &absent);
    if (o == NULL) {
        if (!absent) return;
        o = hllCreateObject();
        dbAdd(c->db, c->argv[1], o);
        updated++;
    }
    for (int j = 2; j < c->argc; j++) {
        sds ele = c->argv[j]->ptr;
        int r = hllAdd(o, ele, sdslen(ele));
        if (r < 0) {
            addReplyError(c, HLL_INVALID_ERR);
            return;
        }
        updated += r;
    }
    if (updated) {
        hllInvalidateCache(o->ptr);
        signalModifiedKey(c, c->db, c->argv[1]);
        notifyKeyspaceEvent(NOTIFY_STRING, "pfadd", c->argv[1], c->db->id);
        server.dirty += updated;
    }
    addReply(c, updated ? shared.cone : shared.czero);
}

/* PFCOUNT of several keys: the estimate of their union, nothing cached. */
static void pfcountUnion(client *c) {
    unsigned char max[HLL_REGISTERS];
    memset(max, 0, sizeof(max));
    for (int j = 1; j < c->argc; j++) {
        robj *o = lookupKeyRead(c->db, c->argv[j]);
        if (o == NULL) continue;
        if (hllCheckOrReply(c, o) != C_OK) return;
        if (hllMergeInto(max, o->ptr) != C_OK) {
            addReplyError(c, HLL_INVALID_ERR);
            return;
        }
    }
    int histo[64] = {0};
    for (unsigned i = 0; i < HLL_REGISTERS; i++) histo[max[i]]++;
    addReplyLongLong(c, (long long)hllEstimate(histo));
}

/* PFCOUNT key [key ...]. One key answers from the cache, refreshing it
 * (a write, propagated like Redis does) when stale. */
void pfcountCommand(client *c) {
    if (c->argc > 2) {
        pfcountUnion(c);
        return;
    }
    robj *o = lookupKeyWrite(c->db, c->argv[1]);
    if (o == NULL) {
        addReply(c, shared.czero);
        return;
    }
    if (hllCheckOrReply(c, o) != C_OK) return;
    o = dbUnshareStringValue(c->db, c->argv[1], o);
    if (hllCacheValid(o->ptr)) {
        addReplyLongLong(c, (long long)hllCacheGet(o->ptr));
        return;
    }
    int histo[64];
    if (hllHistogram(o->ptr, histo) != C_OK) {
        addReplyError(c, HLL_INVALID_ERR);
        return;
    }
    uint64_t card = hllEstimate(histo);
    hllCacheSet(o->ptr, card);
    signalModifiedKey(c, c->db, c->argv[1]);
    server.dirty++;
    addReplyLongLong(c, (long long)card);
}

/* PFMERGE destkey [sourcekey ...]: destkey becomes the union of itself
 * and the sources; dense when any of them is dense. */
void pfmergeCommand(client *c) {
    unsigned char max[HLL_REGISTERS];
    memset(max, 0, sizeof(max));
    int use_dense = 0;
    for (int j = 1; j < c->argc; j++) {
        robj *o = lookupKeyRead(c->db, c->argv[j]);
        if (o == NULL) continue;
        if (hllCheckOrReply(c, o) != C_OK) return;
        if (hllEncoding(o->ptr) == HLL_DENSE) use_dense = 1;
        if (hllMergeInto(max, o->ptr) != C_OK) {
            addReplyError(c, HLL_INVALID_ERR);
            return;
        }
    }
    int absent;
    robj *o = hllLookupWritable(c, c->argv[1], &absent);
    if (o == NULL) {
        o = hllCreateObject();
        dbAdd(c->db, c->argv[1], o);
    }
    if (use_dense && hllEncoding(o->ptr) == HLL_SPARSE && hllSparseToDense(o) != C_OK) {
        addReplyError(c, HLL_INVALID_ERR);
        return;
    }
    for (unsigned j = 0; j < HLL_REGISTERS; j++)
        if (max[j] != 0) hllSetRegister(o, j, max[j]);
    hllInvalidateCache(o->ptr);
    signalModifiedKey(c, c->db, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_STRING, "pfadd", c->argv[1], c->db->id);
    server.dirty++;
    addReply(c, shared.ok);
}

/* PFDEBUG DECODE's bulk string: z:len, Z:len and v:value,len separated by spaces. */
static void pfdebugDecode(client *c, sds s) {
    const unsigned char *p = (unsigned char *)s + HLL_HDR_SIZE;
    const unsigned char *end = (unsigned char *)s + sdslen(s);
    sds out = sdsempty();
    while (p < end) {
        hllOp op = hllOpAt(p, end);
        if (op.kind == 0) out = sdscatprintf(out, "z:%u ", op.len);
        else if (op.kind == 1) out = sdscatprintf(out, "Z:%u ", op.len);
        else out = sdscatprintf(out, "v:%u,%u ", op.val, op.len);
        p += op.size;
    }
    size_t len = sdslen(out);
    if (len > 0) len--;
    addReplyBulkCBuffer(c, out, len);
    sdsfree(out);
}

/* PFDEBUG GETREG|DECODE|ENCODING|TODENSE key */
void pfdebugCommand(client *c) {
    const char *cmd = c->argv[1]->ptr;
    robj *o = lookupKeyWrite(c->db, c->argv[2]);
    if (o == NULL) {
        addReplyError(c, "The specified key does not exist");
        return;
    }
    if (hllCheckOrReply(c, o) != C_OK) return;
    o = dbUnshareStringValue(c->db, c->argv[2], o);
    int sparse = hllEncoding(o->ptr) == HLL_SPARSE;
    if (!strcasecmp(cmd, "getreg") || !strcasecmp(cmd, "todense")) {
        int getreg = !strcasecmp(cmd, "getreg");
        if (sparse) {
            if (hllSparseToDense(o) != C_OK) {
                addReplyError(c, HLL_INVALID_ERR);
                return;
            }
            server.dirty++;
        }
        if (!getreg) {
            addReply(c, sparse ? shared.cone : shared.czero);
            return;
        }
        const unsigned char *r = (unsigned char *)o->ptr + HLL_HDR_SIZE;
        addReplyArrayLen(c, HLL_REGISTERS);
        for (unsigned i = 0; i < HLL_REGISTERS; i++) addReplyLongLong(c, hllDenseGet(r, i));
    } else if (!strcasecmp(cmd, "decode")) {
        if (!sparse) {
            addReplyError(c, "HLL encoding is not sparse");
            return;
        }
        pfdebugDecode(c, o->ptr);
    } else if (!strcasecmp(cmd, "encoding")) {
        addReplyStatus(c, sparse ? "sparse" : "dense");
    } else {
        addReplyErrorFormat(c, "Unknown PFDEBUG subcommand '%s'", cmd);
    }
}

/* ---------------------------------------------------------- self test */

/* Every value in every dense register position reads back, and does not
 * disturb its neighbours. */
static int hllSelftestRegisters(void) {
    unsigned char r[HLL_DENSE_BYTES + 1];
    memset(r, 0, sizeof(r));
    for (unsigned i = 0; i < HLL_REGISTERS; i++) hllDenseSet(r, i, (i * 7) & HLL_REGISTER_MAX);
    for (unsigned i = 0; i < HLL_REGISTERS; i++)
        if (hllDenseGet(r, i) != ((i * 7) & HLL_REGISTER_MAX)) return 0;
    return r[HLL_DENSE_BYTES] == 0;
}

/* A sketch that starts sparse (and turns dense on its way) and a dense
 * twin, fed the same elements, estimate the same count, within 5 standard
 * errors of the truth. */
static int hllSelftestEstimate(sds *err) {
    robj *sp = hllCreateObject(), *de = hllCreateObject();
    hllSparseToDense(de);
    int ok = 1;
    double relerr = 1.04 / sqrt(HLL_REGISTERS);
    for (uint64_t n = 1; n <= 100000 && ok; n++) {
        uint64_t ele = n * 0x9e3779b97f4a7c15ULL;
        hllAdd(sp, &ele, sizeof(ele));
        hllAdd(de, &ele, sizeof(ele));
        if (n % 1000 != 0 && n > 100) continue;
        int hs[64], hd[64];
        hllHistogram(sp->ptr, hs);
        hllHistogram(de->ptr, hd);
        uint64_t es = hllEstimate(hs), ed = hllEstimate(hd);
        double bound = n * relerr * 5 + 1;
        if (es != ed || fabs((double)es - (double)n) > bound) {
            *err = sdscatprintf(sdsempty(), "TESTFAILED estimate of %llu elements: %llu (sparse) %llu (dense)",
                                (unsigned long long)n, (unsigned long long)es, (unsigned long long)ed);
            ok = 0;
        }
    }
    decrRefCount(sp);
    decrRefCount(de);
    return ok;
}

/* PFSELFTEST: +OK, or -TESTFAILED with what went wrong. */
void pfselftestCommand(client *c) {
    if (!hllSelftestRegisters()) {
        addReplyError(c, "-TESTFAILED dense register set/get mismatch");
        return;
    }
    sds err = NULL;
    if (!hllSelftestEstimate(&err)) {
        sds msg = sdscatprintf(sdsempty(), "-%s", err);
        sdsfree(err);
        addReplyErrorSds(c, msg);
        return;
    }
    addReply(c, shared.ok);
}
