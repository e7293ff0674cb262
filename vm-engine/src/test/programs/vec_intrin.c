/*
 * Explicit VMX (Altivec) and VSX through altivec.h: integer arithmetic with
 * and without saturation (VSCR[SAT]), multiply-even/odd and multiply-sum,
 * logic, element and whole-register shifts and rotates, permutes, merges,
 * packs and unpacks, compares and the CR6 predicates, POWER8 additions
 * (doubleword ops, popcount, clz, gather bits, polynomial multiply, AES and
 * SHA-2 steps), float and double arithmetic/rounding/conversions, aligned and
 * unaligned loads and stores, and on POWER9 builds the ISA 3.0 additions.
 *
 * Elements are printed in element order (element 0 first), which is memory
 * order on both endians, so most lines read the same on LE and BE. Estimate
 * instructions (vrefp, vrsqrtefp, xvredp...) are left out: their exact bits
 * are implementation-specific.
 */
#include <altivec.h>
#include <stdint.h>

#include "tp.h"

typedef vector unsigned char vu8;
typedef vector signed char vs8;
typedef vector unsigned short vu16;
typedef vector signed short vs16;
typedef vector unsigned int vu32;
typedef vector signed int vs32;
typedef vector unsigned long long vu64;
typedef vector signed long long vs64;
typedef vector float vf32;
typedef vector double vf64;

#define PV(name, v, T, n, fmt, cast)                                   \
    do {                                                               \
        union { __typeof__(v) vv; T e[n]; } u_;                        \
        u_.vv = (v);                                                   \
        tp_printf("%-26s", name);                                      \
        for (int i_ = 0; i_ < (n); i_++)                               \
            tp_printf(" " fmt, (cast)u_.e[i_]);                        \
        tp_printf("\n");                                               \
    } while (0)
#define P8(name, v) PV(name, v, uint8_t, 16, "%02x", unsigned)
#define P16(name, v) PV(name, v, uint16_t, 8, "%04x", unsigned)
#define P32(name, v) PV(name, v, uint32_t, 4, "%08x", unsigned)
#define P64(name, v) PV(name, v, uint64_t, 2, "%016llx", unsigned long long)

/* Inputs come from memory through a laundered pointer, so GCC cannot fold
 * the builtins at compile time and the instructions really run. */
static uint8_t pat[4][64] __attribute__((aligned(16)));
static const void *src(int k, int off)
{
    const void *p = &pat[k][off];
    __asm__("" : "+r"(p));
    return p;
}
#define LD(T, k, off) ((T)vec_xl(0, (const unsigned char *)src(k, off)))

static uint32_t vscr_word(void)
{
    union { vu16 v; uint32_t w[4]; } u;
    u.v = vec_mfvscr();
    /* VSCR sits in the last word in big-endian element numbering. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return u.w[0];
#else
    return u.w[3];
#endif
}

static void integer_ops(void)
{
    vu8 a8 = LD(vu8, 0, 0), b8 = LD(vu8, 1, 0);
    vs8 sa8 = (vs8)a8, sb8 = (vs8)b8;
    vu16 a16 = LD(vu16, 0, 16), b16 = LD(vu16, 1, 16);
    vs16 sa16 = (vs16)a16, sb16 = (vs16)b16;
    vu32 a32 = LD(vu32, 0, 32), b32 = LD(vu32, 1, 32);
    vs32 sa32 = (vs32)a32, sb32 = (vs32)b32;
    vu64 a64 = LD(vu64, 0, 48), b64 = LD(vu64, 1, 48);
    vs64 sa64 = (vs64)a64, sb64 = (vs64)b64;

    tp_printf("-- integer arithmetic\n");
    P8("vaddubm", vec_add(a8, b8));
    P16("vsubuhm", vec_sub(a16, b16));
    P32("vadduwm", vec_add(a32, b32));
    P64("vaddudm", vec_add(a64, b64));
    P64("vsubudm", vec_sub(a64, b64));
    P32("vaddcuw", vec_addc(a32, b32));
    P32("vsubcuw", vec_subc(a32, b32));
    P32("vmuluwm", vec_mul(a32, b32));
    P8("vavgub", vec_avg(a8, b8));
    P16("vavgsh", vec_avg(sa16, sb16));
    P8("vmaxsb", vec_max(sa8, sb8));
    P16("vminuh", vec_min(a16, b16));
    P32("vmaxsw", vec_max(sa32, sb32));
    P64("vminsd", vec_min(sa64, sb64));
    P64("vmaxud", vec_max(a64, b64));
    P16("vmuleub", vec_mule(a8, b8));
    P16("vmulosb", vec_mulo(sa8, sb8));
    P32("vmulesh", vec_mule(sa16, sb16));
    P32("vmulouh", vec_mulo(a16, b16));
    P64("vmulesw", vec_mule(sa32, sb32));
    P64("vmulouw", vec_mulo(a32, b32));
    P32("vmsumubm", vec_msum(a8, b8, a32));
    P32("vmsumshm", vec_msum(sa16, sb16, sa32));
    P32("vsum4ubs", vec_sum4s(a8, b32));
    P32("vsum4shs", vec_sum4s(sa16, sb32));
    P32("vsum2sws", vec_sum2s(sa32, sb32));
    P32("vsumsws", vec_sums(sa32, sb32));
    P64("vpopcntd", vec_popcnt(a64));
    P8("vpopcntb", vec_popcnt(a8));
    P32("vclzw", vec_cntlz(a32));
    P64("vclzd", vec_cntlz(a64));
    P8("vgbbd", vec_gb(a8));

    /* Saturating ops run in asm between mtvscr and mfvscr: GCC does not
     * model every one of them (the packs) as writing VSCR and would move them. */
    tp_printf("-- saturation (VSCR[SAT] after each)\n");
    vu32 vscr0 = vec_splats(vscr_word() & ~1u), vscr1;
    union { vu8 v8; vu16 v16; vu32 v32; } r;
#define SAT2(insn, x, y)                                                                   \
    do {                                                                                   \
        __asm__ volatile("mtvscr %4\n\t" insn " %0,%2,%3\n\tmfvscr %1"                      \
                         : "=&v"(r.v32), "=&v"(vscr1) : "v"(x), "v"(y), "v"(vscr0));       \
        union { vu32 v; uint32_t w[4]; } s_ = {vscr1};                                     \
        char label_[40];                                                                   \
        snprintf(label_, sizeof label_, "%s sat=%u", insn,                                 \
                 s_.w[__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 0 : 3] & 1);             \
        P32(label_, r.v32);                                                                \
    } while (0)
    SAT2("vaddubs", a8, b8);
    SAT2("vaddsbs", sa8, sb8);
    SAT2("vsubuhs", a16, b16);
    SAT2("vaddsws", sa32, sb32);
    SAT2("vsubsws", sa32, sb32);
    SAT2("vpkswss", sa32, sb32);
    SAT2("vpkuhus", a16, b16);
    SAT2("vpkshus", sa16, sb16);
    SAT2("vpkudus", a64, b64);
    SAT2("vsum4sbs", sa8, sb32);
    SAT2("vsumsws", sa32, sb32);
#undef SAT2
    __asm__ volatile("mtvscr %4\n\tvmsumshs %0,%2,%3,%2\n\tmfvscr %1"
                     : "=&v"(r.v32), "=&v"(vscr1) : "v"(sa16), "v"(sb16), "v"(vscr0));
    {
        union { vu32 v; uint32_t w[4]; } s_ = {vscr1};
        tp_printf("vmsumshs sat=%u\n", s_.w[__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 0 : 3] & 1);
        P32("vmsumshs", r.v32);
    }
    vec_mtvscr(vscr0);

    tp_printf("-- logic, shifts, rotates\n");
    P32("vand", vec_and(a32, b32));
    P32("vandc", vec_andc(a32, b32));
    P32("vnor", vec_nor(a32, b32));
    P32("vorc", vec_orc(a32, b32));
    P32("vnand", vec_nand(a32, b32));
    P32("veqv", vec_eqv(a32, b32));
    P8("vslb", vec_sl(a8, b8));
    P16("vsrh", vec_sr(a16, b16));
    P32("vsraw", vec_sra(sa32, b32));
    P64("vsld", vec_sl(a64, b64));
    P64("vsrad", vec_sra(sa64, b64));
    P32("vrlw", vec_rl(a32, b32));
    P64("vrld", vec_rl(a64, b64));
    vu8 cnt = vec_splats((unsigned char)(pat[1][5] & 7));
    P8("vsl (by bits)", vec_sll(a8, cnt));
    P8("vsr (by bits)", vec_srl(a8, cnt));
    vu8 ocnt = vec_splats((unsigned char)(pat[1][6] & 0x78));
    P8("vslo (by octets)", vec_slo(a8, ocnt));
    P8("vsro (by octets)", vec_sro(a8, ocnt));

    tp_printf("-- permutes, merges, packs\n");
    vu8 mask = LD(vu8, 2, 0) & vec_splats((unsigned char)31);
    P8("vperm", vec_perm(a8, b8, mask));
    P8("vsel", vec_sel(a8, b8, LD(vu8, 2, 16)));
    P16("vsplth 3", vec_splat(a16, 3));
    P32("vspltw 1", vec_splat(a32, 1));
    P8("vspltisb -5", vec_splat_s8(-5));
    P8("vmrghb", vec_mergeh(a8, b8));
    P32("vmrglw", vec_mergel(a32, b32));
    P32("vmrgew", vec_mergee(a32, b32));
    P32("vmrgow", vec_mergeo(a32, b32));
    P64("xxpermdi hi", vec_mergeh(a64, b64));
    P8("vsldoi 5", vec_sld(a8, b8, 5));
    P32("xxsldwi 3", vec_sldw(a32, b32, 3));
    P8("vpkuhum", vec_pack(a16, b16));
    P32("vpkudum", vec_pack(a64, b64));
    P16("vupkhsb", vec_unpackh(sa8));
    P32("vupklsh", vec_unpackl(sa16));
    P64("vupkhsw", vec_unpackh(sa32));
    P8("vbpermq", (vu8)vec_bperm((vector unsigned __int128)(vu8)a8, LD(vu8, 2, 32) & vec_splats((unsigned char)127)));

    tp_printf("-- compares and predicates (CR6)\n");
    P8("vcmpequb", vec_cmpeq(a8, b8));
    P16("vcmpgtsh", vec_cmpgt(sa16, sb16));
    P32("vcmpgtuw", vec_cmpgt(a32, b32));
    P64("vcmpequd", vec_cmpeq(a64, a64 & vec_splats(0xffffffff0000ffffULL)));
    P64("vcmpgtsd", vec_cmpgt(sa64, sb64));
    vu8 a8b = vec_sel(a8, b8, vec_cmpgt(b8, vec_splats((unsigned char)200)));
    tp_printf("all_eq(a,a)=%d all_eq(a,b)=%d any_eq(a,a8b)=%d all_gt=%d any_gt=%d all_ne=%d any_ne=%d all_le=%d\n",
              vec_all_eq(a8, a8), vec_all_eq(a8, b8), vec_any_eq(a8, a8b), vec_all_gt(a32, b32), vec_any_gt(a32, b32),
              vec_all_ne(a16, b16), vec_any_ne(a64, a64), vec_all_le(sa32, sa32));

    tp_printf("-- crypto and polynomial multiply\n");
    P64("vpmsumd", vec_pmsum_be(a64, b64));
    P32("vpmsumw", vec_pmsum_be(a32, b32));
    P64("vcipher", (vu64)__builtin_crypto_vcipher(a64, b64));
    P64("vcipherlast", (vu64)__builtin_crypto_vcipherlast(a64, b64));
    P64("vncipher", (vu64)__builtin_crypto_vncipher(a64, b64));
    P64("vsbox", (vu64)__builtin_crypto_vsbox(a64));
    P32("vshasigmaw 0,0", __builtin_crypto_vshasigmaw(a32, 0, 0));
    P32("vshasigmaw 1,15", __builtin_crypto_vshasigmaw(a32, 1, 15));
    P64("vshasigmad 1,3", __builtin_crypto_vshasigmad(a64, 1, 3));
    P8("vpermxor", __builtin_crypto_vpermxor(a8, b8, LD(vu8, 2, 48)));
}

/* Element-wise results recomputed with scalar code: the intrinsics' own
 * element numbering is memory order on both endians for these. */
static void self_checks(void)
{
    union { vu8 v; uint8_t e[16]; } a8 = {LD(vu8, 0, 0)}, b8 = {LD(vu8, 1, 0)}, r8;
    union { vu16 v; uint16_t e[8]; int16_t s[8]; } a16 = {LD(vu16, 0, 16)}, b16 = {LD(vu16, 1, 16)}, r16;
    union { vu32 v; uint32_t e[4]; } a32 = {LD(vu32, 0, 32)}, b32 = {LD(vu32, 1, 32)}, r32, r32b;
    union { vu64 v; uint64_t e[2]; } a64 = {LD(vu64, 0, 48)}, b64 = {LD(vu64, 1, 48)}, r64, r64b;
    int bad = 0;
    r8.v = vec_add(a8.v, b8.v);
    for (int i = 0; i < 16; i++)
        bad += r8.e[i] != (uint8_t)(a8.e[i] + b8.e[i]);
    r8.v = vec_adds(a8.v, b8.v);
    for (int i = 0; i < 16; i++)
        bad += r8.e[i] != (a8.e[i] + b8.e[i] > 255 ? 255 : a8.e[i] + b8.e[i]);
    r8.v = vec_avg(a8.v, b8.v);
    for (int i = 0; i < 16; i++)
        bad += r8.e[i] != (uint8_t)((a8.e[i] + b8.e[i] + 1) >> 1);
    r16.v = vec_sub(a16.v, b16.v);
    for (int i = 0; i < 8; i++)
        bad += r16.e[i] != (uint16_t)(a16.e[i] - b16.e[i]);
    r16.v = (vu16)vec_max((vs16)a16.v, (vs16)b16.v);
    for (int i = 0; i < 8; i++)
        bad += r16.s[i] != (a16.s[i] > b16.s[i] ? a16.s[i] : b16.s[i]);
    r32.v = vec_mul(a32.v, b32.v);
    r32b.v = vec_rl(a32.v, b32.v);
    for (int i = 0; i < 4; i++) {
        unsigned k = b32.e[i] & 31;
        bad += r32.e[i] != a32.e[i] * b32.e[i];
        bad += r32b.e[i] != (k ? (a32.e[i] << k) | (a32.e[i] >> (32 - k)) : a32.e[i]);
    }
    r32.v = vec_cntlz(a32.v);
    for (int i = 0; i < 4; i++)
        bad += r32.e[i] != (uint32_t)(a32.e[i] ? __builtin_clz(a32.e[i]) : 32);
    r64.v = vec_popcnt(a64.v);
    r64b.v = vec_sl(a64.v, b64.v);
    for (int i = 0; i < 2; i++) {
        bad += r64.e[i] != (uint64_t)__builtin_popcountll(a64.e[i]);
        bad += r64b.e[i] != a64.e[i] << (b64.e[i] & 63);
    }
    tp_printf("scalar cross-check of add/adds/avg/sub/max/mul/rl/cntlz/popcnt/sl: %d mismatches\n", bad);
    TP_CHECK(bad == 0, "vector results equal scalar recomputation");
}

static void float_ops(void)
{
    static const float fsrc[12] __attribute__((aligned(16))) = {
        1.5f, -2.25f, 3.0e38f, 1.0e-40f /* denormal */, -0.0f, 0.75f, 100.5f, -7.5f,
        2.5f, -2.5f, 1.0e-45f, 16777217.0f,
    };
    static const double dsrc[6] __attribute__((aligned(16))) = {
        1.5, -1e308, 2.5, -3.5, 4.9e-324, 1.0 / 3.0,
    };
    const float *fp = fsrc;
    const double *dp = dsrc;
    __asm__("" : "+r"(fp), "+r"(dp));
    vf32 fa = vec_xl(0, fp), fb = vec_xl(16, fp), fc = vec_xl(32, fp);
    vf64 da = vec_xl(0, dp), db = vec_xl(16, dp), dc = vec_xl(32, dp);

    tp_printf("-- single precision\n");
    /* VSCR[NJ] at process start differs between runners (qemu-user sets it,
     * Linux 6.1 under qemu-system does not), so only SAT is shown. */
    tp_printf("VSCR[SAT] at start: %u\n", vscr_word() & 1);
    P32("xvaddsp", vec_add(fa, fb));
    P32("xvmulsp", vec_mul(fa, fc));
    P32("xvdivsp", vec_div(fa, fb));
    P32("xvmaddasp", vec_madd(fa, fb, fc));
    P32("xvnmsubasp", vec_nmsub(fa, fb, fc));
    P32("xvsqrtsp", vec_sqrt(vec_abs(fa)));
    P32("xvmaxsp", vec_max(fa, fb));
    P32("xvrspi (round)", vec_round(fc));
    P32("xvrspic (rint)", vec_rint(fc));
    P32("xvrspiz (trunc)", vec_trunc(fb));
    P32("xvrspip (ceil)", vec_ceil(fb));
    P32("xvrspim (floor)", vec_floor(fc));
    /* VMX float ops honour VSCR[NJ] (flush denormals); VSX ones do not. */
    P32("vaddfp (VMX)", __builtin_altivec_vaddfp(fa, fb));
    P32("vmaddfp (VMX)", __builtin_altivec_vmaddfp(fa, fc, fb));
    P32("vctsxs 4", vec_cts(fb, 4));
    P32("vctuxs 0", vec_ctu(fa, 0));
    P32("vcfsx 3", vec_ctf(vec_cts(fb, 0), 3));
    P32("vcmpgefp", vec_cmpge(fa, fb));
    P32("xvcmpeqsp", vec_cmpeq(fa, fa));
    tp_printf("all_nan-free=%d any_lt=%d\n", vec_all_numeric(fa), vec_any_lt(fa, fb));

    tp_printf("-- double precision\n");
    P64("xvadddp", vec_add(da, db));
    P64("xvsubdp", vec_sub(da, dc));
    P64("xvmuldp", vec_mul(db, dc));
    P64("xvdivdp", vec_div(da, dc));
    P64("xvmaddadp", vec_madd(da, db, dc));
    P64("xvmsubadp", vec_msub(da, dc, db));
    P64("xvnmaddadp", vec_nmadd(dc, dc, da));
    P64("xvsqrtdp", vec_sqrt(vec_abs(db)));
    P64("xvmindp", vec_min(da, db));
    P64("xvabsdp/neg", vec_neg(vec_abs(db)));
    P64("xvrdpi", vec_round(db));
    P64("xvrdpic", vec_rint(db));
    P64("xvrdpim", vec_floor(db));
    P64("xvcmpgtdp", vec_cmpgt(da, db));
    P64("xvcvsxddp", vec_ctf((vs64)LD(vu64, 3, 0), 0));
    P64("xvcvdpsxds", vec_cts(db, 0));
    P64("xvcvdpuxds", vec_ctu(da, 0));
    P32("xvcvdpsp", vec_floate(da));
    P64("xvcvspdp", vec_doublee(fa));
    tp_printf("all_gt=%d any_eq=%d\n", vec_all_gt(da, db), vec_any_eq(dc, dc));
}

static void loads_stores(void)
{
    tp_printf("-- loads and stores at every offset\n");
    static uint8_t buf[96] __attribute__((aligned(16)));
    uint64_t h = 0;
    for (int off = 0; off < 16; off++) {
        /* lvx ignores the low four address bits; lxvw4x/lxvd2x/lxv do not. */
        vu8 al = vec_ld(off, (const unsigned char *)src(3, 0));
        vu8 un = vec_xl(off, (const unsigned char *)src(3, 0));
        vu32 w = vec_xl(off, (const unsigned int *)src(3, 0));
        vu64 d = vec_xl(off, (const unsigned long long *)src(3, 0));
        memset(buf, 0xee, sizeof buf);
        vec_xst(un, off, buf);
        vec_st(al, off + 32, buf);
        vec_ste(w, off + 48, (unsigned int *)buf);
        vec_xst(d, off + 64, (unsigned long long *)buf);
        union { vu8 v; uint8_t b[16]; } ua = {al}, uu = {un};
        union { vu32 v; uint32_t w[4]; } uw = {w};
        union { vu64 v; uint64_t d[2]; } ud = {d};
        tp_printf("off=%2d lvx=%02x..%02x lxv=%02x..%02x w0=%08x d1=%016llx\n", off, ua.b[0], ua.b[15], uu.b[0],
                  uu.b[15], uw.w[0], (unsigned long long)ud.d[1]);
        for (unsigned i = 0; i < sizeof buf; i++)
            h = h * 131 + buf[i];
    }
    tp_printf("store image hash %016llx\n", (unsigned long long)h);
}

#ifdef _ARCH_PWR9
static void power9_ops(void)
{
    vu8 a8 = LD(vu8, 0, 0), b8 = LD(vu8, 1, 0);
    vu16 a16 = LD(vu16, 0, 16);
    vu32 a32 = LD(vu32, 0, 32), b32 = LD(vu32, 1, 32);
    vu64 a64 = LD(vu64, 0, 48), b64 = LD(vu64, 1, 48);
    tp_printf("-- ISA 3.0 (POWER9)\n");
    P8("vabsdub", vec_absd(a8, b8));
    P32("vabsduw", vec_absd(a32, b32));
    P8("vctzb", vec_cnttz(a8));
    P64("vctzd", vec_cnttz(a64));
    P8("vcmpneb", vec_cmpne(a8, b8));
    P32("vcmpnezw", vec_cmpnez(a32, b32));
    tp_printf("first_match=%u first_mismatch=%u\n", vec_first_match_index(a8, vec_sel(b8, a8, LD(vu8, 2, 0))),
              vec_first_mismatch_index(a8, a8 ^ vec_splats((unsigned char)(pat[0][20] & 1))));
    P32("vprtybw", vec_parity_lsbb(a32));
    P32("vrlwmi", vec_rlmi(a32, b32, LD(vu32, 2, 16)));
    P64("vrldnm", vec_rlnm(a64, b64, LD(vu64, 2, 32)));
    P8("vslv", vec_slv(a8, b8));
    P8("vsrv", vec_srv(a8, b8));
    P16("xxbrh", vec_revb(a16));
    P64("xxbrd", vec_revb(a64));
    P8("xxbrq", (vu8)vec_revb((vector unsigned __int128)(vu8)a8));
    P32("vextsb2w", vec_signexti((vector signed char)a8));
    vf64 d = {1.5, -0.0};
    P64("xvxexpdp", vec_extract_exp(d));
    P64("xvxsigdp", vec_extract_sig(d));
    P64("xvtstdcdp zero", (vu64)vec_test_data_class(d, 0x0c /* +0 | -0 */));
    P32("xvcvhpsp", (vu32)vec_extract_fp32_from_shorth(a16));
    for (int len = 0; len <= 17; len += 3) {
        /* lxvl/stxvl: length-limited vector load and store. */
        vu8 v = vec_xl_len((unsigned char *)src(3, 1), (size_t)len);
        uint8_t out[32];
        memset(out, 0xee, sizeof out);
        vec_xst_len(v, out, (size_t)len);
        tp_printf("lxvl/stxvl len=%2d:", len);
        for (int i = 0; i < 20; i++)
            tp_printf(" %02x", out[i]);
        tp_printf("\n");
    }
    tp_printf("vextublx idx 5=%02x vextuwrx idx 2=%08x\n", vec_extract(a8, (int)(pat[0][1] & 0) + 5),
              vec_extract(a32, (int)(pat[0][1] & 0) + 2));
    P8("vinsertb", vec_insert((unsigned char)0xab, a8, (int)(pat[0][2] & 15)));
    P8("xxspltib", vec_splats((unsigned char)0x5a));
    P32("mtvsrws", vec_splats((unsigned)(pat[0][4] * 0x01010101u)));
}
#endif

int main(void)
{
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < 64; i++)
            pat[k][i] = (uint8_t)(tp_rand() >> 56);
    /* A few lanes with the values that exercise saturation and shift edges. */
    pat[0][0] = 0xff; pat[1][0] = 0x01; pat[0][1] = 0x7f; pat[1][1] = 0x01;
    pat[0][2] = 0x80; pat[1][2] = 0x80; pat[0][3] = 0x00; pat[1][3] = 0x00;
    integer_ops();
    self_checks();
    float_ops();
    loads_stores();
#ifdef _ARCH_PWR9
    power9_ops();
#endif
    return tp_finish("vec_intrin");
}
