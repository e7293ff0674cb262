/*
 * Loops GCC auto-vectorises at -O3 for POWER8/POWER9 (VMX and VSX): element
 * arithmetic on every integer width and on float/double, saturation, min/max,
 * select, shifts, widening and narrowing conversions, reversal, interleaved
 * (strided) access, reductions, dot products and popcount, on arrays at
 * odd offsets and lengths so the prologue/epilogue paths run too.
 *
 * Each kernel is compiled twice: as written (vectorised where the build
 * allows) and as a reference with the vectoriser switched off; the two must
 * agree, and the printed hashes must be the same for every build variant.
 */
#include <stdint.h>

#include "tp.h"

#define N 1027 /* not a multiple of any vector length */

#define KERNELS(X)                                                                    \
    X(add_i8, int8_t, int8_t, d[i] = (int8_t)(a[i] + b[i]))                            \
    X(sub_u16, uint16_t, uint16_t, d[i] = (uint16_t)(a[i] - b[i]))                     \
    X(mul_i32, int32_t, int32_t, d[i] = (int32_t)((uint32_t)a[i] * (uint32_t)b[i]))     \
    X(add_i64, int64_t, int64_t, d[i] = (int64_t)((uint64_t)a[i] + (uint64_t)b[i] * 3)) \
    X(mulhi_i16, int16_t, int16_t, d[i] = (int16_t)(((int32_t)a[i] * b[i]) >> 16))      \
    X(sat_u8, uint8_t, uint8_t, { unsigned s = (unsigned)a[i] + b[i]; d[i] = s > 255 ? 255 : (uint8_t)s; }) \
    X(sat_i16, int16_t, int16_t, { int s = a[i] + b[i]; d[i] = (int16_t)(s > 32767 ? 32767 : s < -32768 ? -32768 : s); }) \
    X(minmax_i32, int32_t, int32_t, d[i] = (a[i] < b[i] ? a[i] : b[i]) ^ (a[i] > b[i] ? a[i] : b[i])) \
    X(minmax_u64, uint64_t, uint64_t, d[i] = (a[i] < b[i] ? a[i] : b[i]) + (a[i] > b[i] ? a[i] : b[i])) \
    X(abs_i32, int32_t, int32_t, d[i] = a[i] < 0 ? (int32_t)(0u - (uint32_t)a[i]) : a[i]) \
    X(avg_u8, uint8_t, uint8_t, d[i] = (uint8_t)(((unsigned)a[i] + b[i] + 1) >> 1))     \
    X(shift_u32, uint32_t, uint32_t, d[i] = (a[i] << 3) ^ (b[i] >> 5) ^ (uint32_t)((int32_t)a[i] >> 7)) \
    X(vshift_u32, uint32_t, uint32_t, d[i] = a[i] << (b[i] & 31))                      \
    X(vshift_i64, int64_t, int64_t, d[i] = a[i] >> (b[i] & 63))                        \
    X(rot_u32, uint32_t, uint32_t, { unsigned k = b[i] & 31; d[i] = k ? (a[i] << k) | (a[i] >> (32 - k)) : a[i]; }) \
    X(select_i16, int16_t, int16_t, d[i] = a[i] > b[i] ? (int16_t)(a[i] - b[i]) : (int16_t)(b[i] * 2)) \
    X(popcnt_u32, uint32_t, uint32_t, d[i] = (uint32_t)__builtin_popcount(a[i] ^ b[i])) \
    X(popcnt_u64, uint64_t, uint64_t, d[i] = (uint64_t)__builtin_popcountll(a[i] & b[i])) \
    X(fadd_f32, float, float, d[i] = a[i] + b[i] * 0.5f)                              \
    X(fma_f32, float, float, d[i] = a[i] * b[i] + d[i])                               \
    X(fdiv_f32, float, float, d[i] = a[i] / (b[i] + 4.0f))                             \
    X(fmin_f32, float, float, d[i] = a[i] < b[i] ? a[i] : b[i])                        \
    X(fadd_f64, double, double, d[i] = a[i] - b[i] * 1.25)                            \
    X(fma_f64, double, double, d[i] = a[i] * b[i] - d[i])                             \
    X(fdiv_f64, double, double, d[i] = a[i] / (b[i] + 8.0))                            \
    X(fsqrt_f64, double, double, d[i] = __builtin_sqrt(a[i] * a[i] + b[i] * b[i]))     \
    X(i2f, int32_t, float, d[i] = (float)a[i] * 0.25f + (float)b[i])                   \
    X(f2i, float, int32_t, d[i] = (int32_t)(a[i] * 1000.0f) - (int32_t)b[i])          \
    X(i2d, int64_t, double, d[i] = (double)(a[i] >> 8) + (double)(b[i] & 0xffff))     \
    X(d2i, double, int64_t, d[i] = (int64_t)(a[i] * 1e6) + (int64_t)(b[i] * -3.0))    \
    X(d2f, double, float, d[i] = (float)(a[i] * b[i]))                                 \
    X(u8_to_i32, uint8_t, int32_t, d[i] = (int32_t)a[i] * 7 - (int32_t)b[i])           \
    X(i32_to_i16, int32_t, int16_t, d[i] = (int16_t)(a[i] >> 4) ^ (int16_t)b[i])        \
    X(i16_to_i64, int16_t, int64_t, d[i] = (int64_t)a[i] * (int64_t)b[i])              \
    X(rev_u8, uint8_t, uint8_t, d[i] = (uint8_t)(a[N - 1 - i] + b[i]))                 \
    X(rev_i32, int32_t, int32_t, d[i] = a[N - 1 - i] - b[i])                           \
    X(iota_i32, int32_t, int32_t, d[i] = (int32_t)i * 3 + 1 + (a[i] & 1))              \
    X(cond_store_i32, int32_t, int32_t, { if (a[i] > 0) d[i] = b[i]; })

/* Kernels over the element type pair (in, out); d may be read (fma). */
#define DEF_KERNEL(name, TI, TO, body)                                                        \
    __attribute__((noinline, noclone)) static void name##_vec(TO *restrict d, const TI *restrict a, \
                                                              const TI *restrict b)          \
    {                                                                                         \
        (void)b;                                                                              \
        for (int i = 0; i < N; i++)                                                           \
            body;                                                                             \
    }                                                                                         \
    __attribute__((noinline, noclone, optimize("no-tree-vectorize", "no-tree-slp-vectorize"))) \
    static void name##_ref(TO *restrict d, const TI *restrict a, const TI *restrict b)       \
    {                                                                                         \
        (void)b;                                                                              \
        for (int i = 0; i < N; i++)                                                           \
            body;                                                                             \
    }
KERNELS(DEF_KERNEL)

/* Buffers with room for odd starting offsets. */
static union { uint64_t u64[N + 8]; double f64[N + 8]; } A, B, D1, D2;

/* Fill a buffer element by element, so the values (not just the bytes) are
 * the same on both endians: bounded floats (float to int conversions stay in
 * range) or random integers of the element's width. */
static void fill(void *p, size_t esize, int is_float)
{
    unsigned char *q = p;
    for (size_t i = 0; i + esize <= sizeof A; i += esize) {
        uint64_t r = tp_rand();
        if (is_float && esize == 8) {
            double f = (double)(int64_t)(r >> 11) / 9007199254740992.0 * 2000.0 - 1000.0;
            memcpy(q + i, &f, 8);
        } else if (is_float) {
            float f = (float)((double)(r >> 40) / 16777216.0 * 200.0 - 100.0);
            memcpy(q + i, &f, 4);
        } else {
            uint8_t v8 = (uint8_t)r;
            uint16_t v16 = (uint16_t)r;
            uint32_t v32 = (uint32_t)r;
            memcpy(q + i, esize == 1 ? (void *)&v8 : esize == 2 ? (void *)&v16 : esize == 4 ? (void *)&v32 : (void *)&r,
                   esize);
        }
    }
}

/* An element's bit pattern as a number, whatever the endianness. */
static uint64_t elem_bits(const void *p, size_t esize)
{
    uint8_t v8;
    uint16_t v16;
    uint32_t v32;
    uint64_t v64;
    switch (esize) {
    case 1: memcpy(&v8, p, 1); return v8;
    case 2: memcpy(&v16, p, 2); return v16;
    case 4: memcpy(&v32, p, 4); return v32;
    default: memcpy(&v64, p, 8); return v64;
    }
}

#define IS_FLOAT(T) ((T)0.5 != 0)
#define RUN_KERNEL(name, TI, TO, body)                                                          \
    for (int off = 0; off < 3; off++) {                                                         \
        fill(&A, sizeof(TI), IS_FLOAT(TI));                                                     \
        fill(&B, sizeof(TI), IS_FLOAT(TI));                                                     \
        fill(&D1, sizeof(TO), IS_FLOAT(TO));                                                    \
        memcpy(&D2, &D1, sizeof D1);                                                            \
        /* off shifts the input and output starts by 0, 1 and 3 elements */                     \
        int o = off == 2 ? 3 : off;                                                             \
        name##_vec((TO *)(void *)&D1 + o, (const TI *)(const void *)&A + o,                      \
                   (const TI *)(const void *)&B + (3 - o));                                     \
        name##_ref((TO *)(void *)&D2 + o, (const TI *)(const void *)&A + o,                      \
                   (const TI *)(const void *)&B + (3 - o));                                     \
        const TO *r = (const TO *)(const void *)&D1 + o;                                        \
        uint64_t h = 0xcbf29ce484222325ULL;                                                     \
        for (int i = 0; i < N; i++) {                                                           \
            h = (h ^ elem_bits(&r[i], sizeof(TO))) * 0x100000001b3ULL;                          \
        }                                                                                       \
        int same = memcmp(&D1, &D2, sizeof D1) == 0;                                            \
        tp_mix(h);                                                                              \
        tp_printf("%-14s off=%d hash=%016llx vec==ref %s\n", #name, o, (unsigned long long)h,   \
                  same ? "yes" : "NO");                                                         \
        TP_CHECK(same, "%s: vectorised result differs from scalar reference", #name);           \
    }

/* Reductions: integer ones are vectorised at -O3; the float sum stays in
 * order (no -ffast-math), so all builds agree bit for bit. */
__attribute__((noinline, noclone)) static uint64_t reductions(const int32_t *a, const uint8_t *s, const int16_t *x,
                                                               const int16_t *y, const float *f)
{
    int64_t sum = 0;
    uint32_t xr = 0;
    int32_t mx = INT32_MIN;
    int32_t dot = 0;
    int count = 0;
    float fs = 0;
    for (int i = 0; i < N; i++) {
        sum += a[i];
        xr ^= (uint32_t)a[i];
        mx = a[i] > mx ? a[i] : mx;
        dot += x[i] * y[i];
        count += s[i] == 'x';
        fs += f[i];
    }
    uint32_t fbits;
    memcpy(&fbits, &fs, 4);
    tp_printf("reductions: sum=%lld xor=%08x max=%d dot=%d count=%d fsum=%08x\n", (long long)sum, xr, mx, dot, count,
              fbits);
    return (uint64_t)sum ^ xr ^ (uint64_t)mx ^ (uint64_t)dot ^ (uint64_t)count ^ fbits;
}

/* Interleaved complex multiply: loads and stores with stride 2. */
__attribute__((noinline, noclone)) static void cmul(float *restrict d, const float *restrict a,
                                                    const float *restrict b, int n)
{
    for (int i = 0; i < n; i++) {
        float ar = a[2 * i], ai = a[2 * i + 1], br = b[2 * i], bi = b[2 * i + 1];
        d[2 * i] = ar * br - ai * bi;
        d[2 * i + 1] = ar * bi + ai * br;
    }
}

int main(void)
{
    KERNELS(RUN_KERNEL)

    static int32_t ra[N];
    static uint8_t rs[N];
    static int16_t rx[N], ry[N];
    static float rf[N], c1[2 * N], c2[2 * N], c3[2 * N];
    for (int i = 0; i < N; i++) {
        uint64_t r = tp_rand();
        ra[i] = (int32_t)r;
        rs[i] = (uint8_t)("xyzx"[(r >> 32) & 3]);
        rx[i] = (int16_t)(r >> 16);
        ry[i] = (int16_t)(r >> 40) >> 4; /* keep the dot product in int range */
        rf[i] = (float)(int32_t)(r >> 44) / 64.0f;
    }
    tp_mix(reductions(ra, rs, rx, ry, rf));
    for (int i = 0; i < 2 * N; i++) {
        c1[i] = (float)((int)(tp_rand() >> 54) - 512) / 32.0f;
        c2[i] = (float)((int)(tp_rand() >> 54) - 512) / 16.0f;
    }
    cmul(c3, c1, c2, N);
    uint64_t h = 0;
    for (int i = 0; i < 2 * N; i++) {
        uint32_t b;
        memcpy(&b, &c3[i], 4);
        h = h * 31 + b;
    }
    tp_printf("cmul hash=%016llx\n", (unsigned long long)h);
    return tp_finish("vec_auto");
}
