/*
 * Integer arithmetic as compiled C: carries, overflow detection, shifts at
 * the width boundaries, division edge cases, high multiplies, bit counting,
 * rotates and 128-bit arithmetic, on edge values and on a fixed-seed stream.
 *
 * Everything is well-defined C: signed overflow goes through
 * __builtin_*_overflow, INT_MIN / -1 and division by zero are guarded, and
 * shifts by >= the width are done on the C side as the ISA defines them
 * (the raw instructions are exercised in isa_fixed).
 */
#include <limits.h>
#include <stdint.h>

#include "tp.h"

#define OPQ TP_OPQ

static const uint64_t edge64[] = {
    0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
    0x7fffffffULL, 0x80000000ULL, 0xffffffffULL, 0x100000000ULL,
    0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xfffffffffffffffeULL,
    0xffffffffffffffffULL, 0x123456789abcdef0ULL, 0xfedcba9876543210ULL,
    0x5555555555555555ULL, 0xaaaaaaaaaaaaaaaaULL, 0x00000000deadbeefULL,
    0xffffffff80000000ULL, 0x0000000100000001ULL,
};
#define NEDGE (sizeof edge64 / sizeof edge64[0])

static void add_sub_carry(void)
{
    tp_printf("-- add/sub with carry and overflow\n");
    for (unsigned i = 0; i < NEDGE; i++) {
        for (unsigned j = 0; j < NEDGE; j += 3) {
            uint64_t a = OPQ(edge64[i]), b = OPQ(edge64[j]);
            uint64_t s, d;
            int c = __builtin_add_overflow(a, b, &s);
            int bw = __builtin_sub_overflow(a, b, &d);
            int64_t ss, sd;
            int so = __builtin_add_overflow((int64_t)a, (int64_t)b, &ss);
            int sdo = __builtin_sub_overflow((int64_t)a, (int64_t)b, &sd);
            uint32_t s32;
            int c32 = __builtin_add_overflow((uint32_t)a, (uint32_t)b, &s32);
            int32_t ss32;
            int so32 = __builtin_add_overflow((int32_t)a, (int32_t)b, &ss32);
            tp_printf("%016llx %016llx add=%016llx c=%d ov=%d sub=%016llx b=%d ov=%d add32=%08x c=%d ov=%d\n",
                      (unsigned long long)a, (unsigned long long)b, (unsigned long long)s, c, so,
                      (unsigned long long)d, bw, sdo, s32, c32, so32);
            TP_CHECK(s == a + b && d == a - b, "wrapping add/sub");
            TP_CHECK(c == (s < a), "carry of %llx+%llx", (unsigned long long)a, (unsigned long long)b);
            TP_CHECK((uint64_t)ss == s && (uint64_t)sd == d, "signed add/sub bits");
        }
    }
}

/* 128-bit add, subtract and multiply compile to addc/adde, subfc/subfe, mulhdu. */
static void wide128(void)
{
    tp_printf("-- 128-bit arithmetic\n");
    unsigned __int128 acc = 1;
    for (unsigned i = 0; i < NEDGE; i++) {
        unsigned __int128 a = ((unsigned __int128)OPQ(edge64[i]) << 64) | OPQ(edge64[NEDGE - 1 - i]);
        unsigned __int128 b = ((unsigned __int128)OPQ(edge64[(i * 7) % NEDGE]) << 64) | OPQ(edge64[(i * 3) % NEDGE]);
        unsigned __int128 s = a + b, d = a - b, p = a * b;
        acc = acc * 0x9E3779B97F4A7C15ULL + (s ^ d ^ p);
        tp_printf("%016llx%016llx s=%016llx%016llx d=%016llx%016llx p=%016llx%016llx\n",
                  (unsigned long long)(a >> 64), (unsigned long long)a,
                  (unsigned long long)(s >> 64), (unsigned long long)s,
                  (unsigned long long)(d >> 64), (unsigned long long)d,
                  (unsigned long long)(p >> 64), (unsigned long long)p);
        TP_CHECK(s - b == a && d + b == a, "128-bit add/sub inverse");
    }
    tp_printf("acc128=%016llx%016llx\n", (unsigned long long)(acc >> 64), (unsigned long long)acc);
}

/* Shift as the ISA does for a 7-bit (64-bit ops) or 6-bit (32-bit ops) count. */
static uint64_t shl64(uint64_t v, unsigned n) { return n >= 64 ? 0 : v << n; }
static uint64_t shr64(uint64_t v, unsigned n) { return n >= 64 ? 0 : v >> n; }
static int64_t sar64(int64_t v, unsigned n) { return n >= 64 ? (v < 0 ? -1 : 0) : v >> n; }
static uint32_t shl32(uint32_t v, unsigned n) { return n >= 32 ? 0 : v << n; }
static uint32_t shr32(uint32_t v, unsigned n) { return n >= 32 ? 0 : v >> n; }
static int32_t sar32(int32_t v, unsigned n) { return n >= 32 ? (v < 0 ? -1 : 0) : v >> n; }
static uint64_t rotl64(uint64_t v, unsigned n) { n &= 63; return n ? (v << n) | (v >> (64 - n)) : v; }
static uint32_t rotl32(uint32_t v, unsigned n) { n &= 31; return n ? (v << n) | (v >> (32 - n)) : v; }

static void shifts(void)
{
    static const unsigned counts[] = {0, 1, 7, 31, 32, 33, 63, 64, 65, 127};
    tp_printf("-- shifts and rotates\n");
    for (unsigned i = 0; i < NEDGE; i += 2) {
        uint64_t v = OPQ(edge64[i]);
        for (unsigned k = 0; k < sizeof counts / sizeof counts[0]; k++) {
            unsigned n = OPQ(counts[k]);
            tp_printf("%016llx n=%3u shl=%016llx shr=%016llx sar=%016llx rotl=%016llx "
                      "shl32=%08x shr32=%08x sar32=%08x rotl32=%08x\n",
                      (unsigned long long)v, n, (unsigned long long)shl64(v, n),
                      (unsigned long long)shr64(v, n), (unsigned long long)sar64((int64_t)v, n),
                      (unsigned long long)rotl64(v, n), shl32((uint32_t)v, n), shr32((uint32_t)v, n),
                      (uint32_t)sar32((int32_t)v, n), rotl32((uint32_t)v, n));
        }
    }
    /* Constant shifts compile to rldicl/rldicr/rlwinm/sradi/srawi. */
    uint64_t x = OPQ(0x8123456789abcdefULL);
    tp_printf("const: %016llx %016llx %016llx %016llx %08x %08x\n",
              (unsigned long long)(x << 31), (unsigned long long)(x >> 33),
              (unsigned long long)((int64_t)x >> 63), (unsigned long long)((x >> 12) & 0xfff),
              (uint32_t)((int32_t)(uint32_t)x >> 31), (uint32_t)x << 1);
    TP_CHECK(sar64(INT64_MIN, 63) == -1 && sar64(INT64_MIN, 64) == -1 && shl64(1, 64) == 0,
             "shift limits");
}

static void divisions(void)
{
    static const int64_t sv[] = {
        0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 100, INT32_MAX, INT32_MIN,
        (int64_t)INT32_MAX + 1, INT64_MAX, INT64_MIN, INT64_MIN + 1, 1000000007, -999999937,
    };
    const unsigned n = sizeof sv / sizeof sv[0];
    tp_printf("-- division and remainder\n");
    for (unsigned i = 0; i < n; i++) {
        for (unsigned j = 0; j < n; j++) {
            int64_t a = OPQ(sv[i]), b = OPQ(sv[j]);
            int64_t q, r;
            /* C leaves x/0 and INT64_MIN/-1 undefined: give them the usual
             * mathematical answers (wrap) by hand so the line is always printed. */
            if (b == 0) {
                q = 0;
                r = a;
            } else if (a == INT64_MIN && b == -1) {
                q = INT64_MIN;
                r = 0;
            } else {
                q = a / b;
                r = a % b;
            }
            uint64_t uq = b ? (uint64_t)a / (uint64_t)b : 0, ur = b ? (uint64_t)a % (uint64_t)b : (uint64_t)a;
            int32_t a32 = (int32_t)a, b32 = (int32_t)b, q32, r32;
            if (b32 == 0) {
                q32 = 0;
                r32 = a32;
            } else if (a32 == INT32_MIN && b32 == -1) {
                q32 = INT32_MIN;
                r32 = 0;
            } else {
                q32 = a32 / b32;
                r32 = a32 % b32;
            }
            uint32_t uq32 = b32 ? (uint32_t)a32 / (uint32_t)b32 : 0;
            uint32_t ur32 = b32 ? (uint32_t)a32 % (uint32_t)b32 : (uint32_t)a32;
            tp_printf("%lld / %lld = %lld r %lld | u %llu r %llu | 32: %d r %d u %u r %u\n",
                      (long long)a, (long long)b, (long long)q, (long long)r,
                      (unsigned long long)uq, (unsigned long long)ur, q32, r32, uq32, ur32);
            if (b != 0) {
                TP_CHECK((uint64_t)q * (uint64_t)b + (uint64_t)r == (uint64_t)a, "q*b+r==a");
                TP_CHECK(uq * (uint64_t)b + ur == (uint64_t)a, "unsigned q*b+r==a");
                TP_CHECK(r == 0 || (r < 0) == (a < 0), "remainder sign follows dividend");
            }
        }
    }
    /* Division by constants becomes mulh + shifts; check against the real divide. */
    uint64_t h = 0;
    for (int i = 0; i < 2000; i++) {
        int64_t a = (int64_t)tp_rand();
        int32_t a32 = (int32_t)a;
        uint64_t u = (uint64_t)a;
        int64_t q3 = a / 3, q7 = a / 7, q10 = a / 10, q1000 = a / 1000;
        h = h * 31 + (uint64_t)(q3 ^ q7 ^ q10 ^ q1000) + (uint64_t)(a % 13) + u / 10 + u % 1000;
        h += (uint64_t)(uint32_t)(a32 / 5) + (uint64_t)(uint32_t)(a32 % 9) + (uint32_t)a32 / 6;
        int64_t d = OPQ((int64_t)3);
        TP_CHECK(q3 == a / d, "a/3 by magic multiply");
    }
    tp_printf("div-by-constant hash %016llx\n", (unsigned long long)h);
}

static void mulhigh(void)
{
    tp_printf("-- multiply high and overflow\n");
    for (unsigned i = 0; i < NEDGE; i++) {
        for (unsigned j = i; j < NEDGE; j += 4) {
            uint64_t a = OPQ(edge64[i]), b = OPQ(edge64[j]);
            unsigned __int128 up = (unsigned __int128)a * b;
            __int128 sp = (__int128)(int64_t)a * (int64_t)b;
            int64_t p;
            int ovf = __builtin_mul_overflow((int64_t)a, (int64_t)b, &p);
            uint64_t up64;
            int uovf = __builtin_mul_overflow(a, b, &up64);
            int64_t h32 = ((int64_t)(int32_t)a * (int32_t)b) >> 32;
            uint64_t hu32 = ((uint64_t)(uint32_t)a * (uint32_t)b) >> 32;
            tp_printf("%016llx*%016llx mulhdu=%016llx mulhd=%016llx lo=%016llx ov=%d uov=%d mulhw=%08x mulhwu=%08x\n",
                      (unsigned long long)a, (unsigned long long)b, (unsigned long long)(up >> 64),
                      (unsigned long long)(uint64_t)(sp >> 64), (unsigned long long)(uint64_t)up, ovf, uovf,
                      (uint32_t)h32, (uint32_t)hu32);
            TP_CHECK((uint64_t)up == (uint64_t)p && (uint64_t)up == up64, "low product");
        }
    }
}

static void bits(void)
{
    tp_printf("-- bit counting, byte reversal, sign extension\n");
    for (unsigned i = 0; i < NEDGE; i++) {
        uint64_t v = OPQ(edge64[i]);
        uint32_t w = (uint32_t)v;
        tp_printf("%016llx pop=%d clz=%d ctz=%d par=%d pop32=%d clz32=%d ctz32=%d bswap=%016llx bswap32=%08x bswap16=%04x "
                  "sx8=%lld sx16=%lld sx32=%lld\n",
                  (unsigned long long)v, __builtin_popcountll(v), v ? __builtin_clzll(v) : 64,
                  v ? __builtin_ctzll(v) : 64, __builtin_parityll(v), __builtin_popcount(w),
                  w ? __builtin_clz(w) : 32, w ? __builtin_ctz(w) : 32, (unsigned long long)__builtin_bswap64(v),
                  __builtin_bswap32(w), __builtin_bswap16((uint16_t)v), (long long)(int8_t)v, (long long)(int16_t)v,
                  (long long)(int32_t)v);
    }
    /* Bit-field insert/extract patterns the compiler turns into rldimi/rlwimi. */
    uint64_t acc = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t r = tp_rand(), s = tp_rand();
        uint64_t ins = (r & ~0x0000ffff00000000ULL) | ((s << 32) & 0x0000ffff00000000ULL);
        uint32_t wins = ((uint32_t)r & 0xff00ffffu) | (((uint32_t)s << 16) & 0x00ff0000u);
        acc ^= rotl64(ins, i & 63) + wins + (uint64_t)(r > s) + (uint64_t)((int64_t)r < (int64_t)s);
        acc += (uint64_t)__builtin_popcountll(r & s) * (uint64_t)(i + 1);
        acc += r < s ? r : s; /* isel / conditional select */
    }
    tp_printf("bitfield/select hash %016llx\n", (unsigned long long)acc);
}

/* A fixed-seed stream through all operations, so rare paths get exercised. */
static void stream(void)
{
    uint64_t h = 0;
    for (int i = 0; i < 20000; i++) {
        uint64_t a = tp_rand(), b = tp_rand() >> (i & 63);
        int64_t sa = (int64_t)a, sb = (int64_t)b;
        h += a + b;
        h ^= a - b;
        h += a * b;
        h ^= (uint64_t)(((unsigned __int128)a * b) >> 64);
        h += (uint64_t)(((__int128)sa * sb) >> 64);
        if (b)
            h ^= a / b + a % b;
        if (sb && !(sa == INT64_MIN && sb == -1))
            h += (uint64_t)(sa / sb) ^ (uint64_t)(sa % sb);
        h = rotl64(h, (unsigned)(a & 63)) + shl64(a, (unsigned)(b & 127)) + (uint64_t)sar64(sa, (unsigned)(b & 127));
        h += (uint64_t)(a < b) + ((uint64_t)(sa < sb) << 1) + ((uint64_t)(a == b) << 2);
        uint32_t a32 = (uint32_t)a, b32 = ((uint32_t)b | 1) & 0x7fffffffu; /* positive: no INT_MIN % -1 */
        h += (uint64_t)(a32 / b32) + (uint64_t)(uint32_t)((int32_t)a32 % (int32_t)b32 == 0) +
             (uint64_t)shr32(a32, b32 & 63);
    }
    tp_printf("stream hash %016llx\n", (unsigned long long)h);
}

int main(void)
{
    add_sub_carry();
    wide128();
    shifts();
    divisions();
    mulhigh();
    bits();
    stream();
    return tp_finish("int_arith");
}
