/*
 * Driver for isa_fixed.S: runs every fixed-point test function over edge
 * values, each time with XER clear and with SO, OV, CA, OV32 and CA32 set,
 * and prints the target register(s), XER and CR after it.
 *
 * Where the ISA leaves a result undefined it is not printed: RT of a divide
 * or modulo by zero or with an overflowing quotient, the high word of the
 * 32-bit multiply-high/divide/modulo results, CR0[LT,GT,EQ] of their record
 * forms, and the bits of RT that mfocrf does not define.
 */
#include <stddef.h>
#include <stdint.h>

#include "tp.h"

struct io {
    uint64_t a, b, c, d;
    uint64_t rt, xer, cr, rt2;
    uint64_t xer_in;
    uint64_t save[4];
    uint64_t pad[3];
    unsigned char mem[512];
} __attribute__((aligned(256)));

typedef void (*tfn)(struct io *);

enum cls { BIN, SHIFT, UN, MEM, ONCE };
enum {
    F_M32 = 1,       /* only RT[32:63] defined; CR0 LT/GT/EQ undefined */
    F_TWO = 2,       /* print rt2 too */
    F_CRONLY = 4,    /* rt meaningless: print CR (and rt2 if F_TWO) */
    F_OCRF = 8,      /* rt2 from mfocrf: only the selected field is defined */
    F_DARN = 16,     /* random: print whether it succeeded */
    F_TB = 32,       /* time base: print only that it did not go backwards */
    F_DCBZ = 64,     /* print the zeroed range of io.mem */
    F_LOW32 = 128,   /* a 32-bit SPR: only the low word of rt/rt2 */
};
enum undef { U_NONE, U_DIVW, U_DIVWU, U_DIVD, U_DIVDU, U_DIVWE, U_DIVWEU, U_DIVDE, U_DIVDEU };

#define TESTS(X_, XM)                                                                                        \
    X_(add, BIN, 0, 0) X_(add_rc, BIN, 0, 0) X_(addo, BIN, 0, 0) X_(addo_rc, BIN, 0, 0) X_(addc, BIN, 0, 0)      \
    X_(addco, BIN, 0, 0) X_(adde, BIN, 0, 0) X_(addeo, BIN, 0, 0) X_(addme, UN, 0, 0) X_(addmeo, UN, 0, 0)       \
    X_(addze, UN, 0, 0) X_(addzeo, UN, 0, 0) X_(addic, UN, 0, 0) X_(addic_rc, UN, 0, 0) X_(addi, UN, 0, 0)       \
    X_(addis, UN, 0, 0) X_(subf, BIN, 0, 0) X_(subfo, BIN, 0, 0) X_(subfc, BIN, 0, 0) X_(subfco, BIN, 0, 0)      \
    X_(subfe, BIN, 0, 0) X_(subfeo, BIN, 0, 0) X_(subfme, UN, 0, 0) X_(subfze, UN, 0, 0) X_(subfic, UN, 0, 0)    \
    X_(neg, UN, 0, 0) X_(nego, UN, 0, 0) X_(addex, BIN, 0, 0)                                                  \
    X_(mulli, UN, 0, 0) X_(mullw, BIN, 0, 0) X_(mullwo, BIN, 0, 0) X_(mulld, BIN, 0, 0) X_(mulldo, BIN, 0, 0)    \
    X_(mulhw, BIN, F_M32, 0) X_(mulhwu, BIN, F_M32, 0) X_(mulhd, BIN, 0, 0) X_(mulhdu, BIN, 0, 0)                \
    X_(maddld, BIN, 0, 0) X_(maddhd, BIN, 0, 0) X_(maddhdu, BIN, 0, 0)                                         \
    X_(divw, BIN, F_M32, U_DIVW) X_(divwo, BIN, F_M32, U_DIVW) X_(divwu, BIN, F_M32, U_DIVWU)                   \
    X_(divwuo, BIN, F_M32, U_DIVWU) X_(divd, BIN, 0, U_DIVD) X_(divdo, BIN, 0, U_DIVD) X_(divdu, BIN, 0, U_DIVDU) \
    X_(divduo, BIN, 0, U_DIVDU) X_(divwe, BIN, F_M32, U_DIVWE) X_(divweo, BIN, F_M32, U_DIVWE)                   \
    X_(divweu, BIN, F_M32, U_DIVWEU) X_(divweuo, BIN, F_M32, U_DIVWEU) X_(divde, BIN, 0, U_DIVDE)               \
    X_(divdeo, BIN, 0, U_DIVDE) X_(divdeu, BIN, 0, U_DIVDEU) X_(divdeuo, BIN, 0, U_DIVDEU)                      \
    X_(modsw, BIN, F_M32, U_DIVW) X_(moduw, BIN, F_M32, U_DIVWU) X_(modsd, BIN, 0, U_DIVD) X_(modud, BIN, 0, U_DIVDU) \
    X_(and_rc, BIN, 0, 0) X_(andc, BIN, 0, 0) X_(or, BIN, 0, 0) X_(orc_rc, BIN, 0, 0) X_(xor, BIN, 0, 0)        \
    X_(nand, BIN, 0, 0) X_(nor_rc, BIN, 0, 0) X_(eqv, BIN, 0, 0) X_(andi, UN, 0, 0) X_(andis, UN, 0, 0)          \
    X_(ori_oris, UN, 0, 0) X_(xoris, UN, 0, 0) X_(extsb, UN, 0, 0) X_(extsh, UN, 0, 0) X_(extsw, UN, 0, 0)       \
    X_(cntlzw, UN, 0, 0) X_(cntlzd, UN, 0, 0) X_(cnttzw, UN, 0, 0) X_(cnttzd, UN, 0, 0) X_(popcntb, UN, 0, 0)     \
    X_(popcntw, UN, 0, 0) X_(popcntd, UN, 0, 0) X_(prtyw, UN, 0, 0) X_(prtyd, UN, 0, 0) X_(cmpb, BIN, 0, 0)      \
    X_(bpermd, BIN, 0, 0)                                                                                    \
    X_(rlwinm, UN, 0, 0) X_(rlwinm_w, UN, 0, 0) X_(rlwnm, SHIFT, 0, 0) X_(rlwimi, BIN, 0, 0) X_(rldicl, UN, 0, 0) \
    X_(rldicr, UN, 0, 0) X_(rldic, UN, 0, 0) X_(rldimi, BIN, 0, 0) X_(rldcl, SHIFT, 0, 0) X_(rldcr, SHIFT, 0, 0)  \
    X_(slw, SHIFT, 0, 0) X_(srw, SHIFT, 0, 0) X_(sraw, SHIFT, 0, 0) X_(sraw_rc, SHIFT, 0, 0) X_(srawi0, UN, 0, 0) \
    X_(srawi31, UN, 0, 0) X_(sld, SHIFT, 0, 0) X_(srd, SHIFT, 0, 0) X_(srad, SHIFT, 0, 0) X_(sradi0, UN, 0, 0)    \
    X_(sradi63, UN, 0, 0) X_(sradi32, UN, 0, 0) X_(extswsli, UN, 0, 0)                                         \
    X_(cmp_all, BIN, F_CRONLY, 0) X_(cmprb, BIN, F_CRONLY, 0) X_(cmpeqb, BIN, F_CRONLY, 0) X_(setb, BIN, F_TWO, 0) \
    X_(crlogic, BIN, F_CRONLY, 0) X_(mtcrf, BIN, F_CRONLY | F_TWO | F_OCRF, 0) X_(isel, BIN, F_TWO, 0)          \
    X_(isel_r0, BIN, F_TWO, 0) X_(mcrxrx, BIN, F_CRONLY, 0) X_(twi, BIN, 0, 0) X_(xer_bits, ONCE, F_TWO, 0)     \
    X_(bdnz, UN, F_TWO, 0) X_(bdnzt, BIN, F_TWO, 0) X_(bcond, BIN, 0, 0) X_(bctr, BIN, F_TWO, 0)                \
    X_(lbrx, MEM, F_TWO, 0) X_(ldbrx, MEM, F_TWO, 0) X_(stbrx, MEM, F_TWO, 0) X_(update, MEM, F_TWO, 0)         \
    X_(lwa, MEM, F_TWO, 0) X_(stores, MEM, F_TWO, 0) X_(lq, MEM, F_TWO, 0) X_(stq, MEM, F_TWO, 0)               \
    X_(dcbz, ONCE, F_DCBZ, 0) X_(tb, ONCE, F_TB, 0) X_(vrsave, UN, F_TWO | F_LOW32, 0) X_(darn, ONCE, F_DARN, 0)          \
    XM(lmw, MEM, F_TWO, 0) XM(lswi, MEM, F_TWO, 0) XM(lswx, MEM, F_TWO, 0) XM(stswi, MEM, F_TWO, 0)           \
    XM(stswx, MEM, F_TWO, 0)

#define DECL(name, c, f, u) void t_##name(struct io *);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define DECL_BE DECL
#define ROW_BE ROW
#else
#define DECL_BE(name, c, f, u)
#define ROW_BE(name, c, f, u)
#endif
TESTS(DECL, DECL_BE)

static const struct test {
    const char *name;
    tfn fn;
    enum cls cls;
    int flags;
    enum undef undef;
} tests[] = {
#define ROW(name, c, f, u) {#name, t_##name, c, f, u},
    TESTS(ROW, ROW_BE)
};

static const uint64_t edge[] = {
    0, 1, 0xffffffffffffffffULL, 0x7fffffffULL, 0x80000000ULL, 0xffffffffULL, 0x100000000ULL,
    0x7fffffffffffffffULL, 0x8000000000000000ULL, 0x0123456789abcdefULL, 0xfedcba9876543210ULL,
};
static const uint64_t counts[] = {0, 1, 7, 31, 32, 33, 63, 64, 65, 127, 128, 0xffffffffffffffc0ULL};
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Is the ISA result of this divide/modulo undefined for these operands? */
static int undefined(enum undef u, uint64_t a, uint64_t b)
{
    int32_t a32 = (int32_t)a, b32 = (int32_t)b;
    switch (u) {
    case U_DIVW: return b32 == 0 || (a32 == INT32_MIN && b32 == -1);
    case U_DIVWU: return (uint32_t)b == 0;
    case U_DIVD: return b == 0 || ((int64_t)a == INT64_MIN && (int64_t)b == -1);
    case U_DIVDU: return b == 0;
    case U_DIVWE: {
        if (b32 == 0)
            return 1;
        __int128 q = (__int128)(int64_t)((uint64_t)(uint32_t)a << 32) / b32;
        return q < INT32_MIN || q > INT32_MAX;
    }
    case U_DIVWEU: return (uint32_t)b == 0 || ((uint64_t)(uint32_t)a << 32) / (uint32_t)b > UINT32_MAX;
    case U_DIVDE: {
        if (b == 0)
            return 1;
        if ((int64_t)b == -1) /* (a || 0^64) / -1 fits only for a == 0 */
            return a != 0;
        __int128 q = (__int128)((unsigned __int128)a << 64) / (int64_t)b;
        return q < INT64_MIN || q > INT64_MAX;
    }
    case U_DIVDEU: return b == 0 || ((unsigned __int128)a << 64) / b > UINT64_MAX;
    default: return 0;
    }
}

static struct io io;

static void fill_mem(void)
{
    for (unsigned i = 0; i < sizeof io.mem; i++)
        io.mem[i] = (unsigned char)(i * 7 + 3);
}

static void run_one(const struct test *t, uint64_t a, uint64_t b, uint64_t c)
{
    static const uint64_t xer_in[2] = {0, 0xe00c0000ULL}; /* clear; SO OV CA OV32 CA32 all set */
    tp_printf("%-9s %016llx %016llx", t->name, (unsigned long long)a, (unsigned long long)b);
    if (t->cls == BIN && (!strncmp(t->name, "madd", 4)))
        tp_printf(" c=%016llx", (unsigned long long)c);
    for (int x = 0; x < 2; x++) {
        memset(&io, 0, offsetof(struct io, mem));
        io.a = a;
        io.b = b;
        io.c = c;
        io.xer_in = xer_in[x];
        if (t->cls == MEM || (t->flags & F_DCBZ))
            fill_mem();
        t->fn(&io);
        uint64_t rt = io.rt, rt2 = io.rt2;
        uint32_t cr = (uint32_t)io.cr;
        int undef = undefined(t->undef, a, b);
        if (t->flags & F_M32) {
            rt &= 0xffffffffULL;
            rt2 &= 0xffffffffULL;
            cr &= ~0xe0000000u; /* CR0 LT/GT/EQ: from a 64-bit view of a 32-bit result */
        }
        if (undef)
            cr &= ~0xe0000000u;
        if (t->flags & F_LOW32) {
            rt &= 0xffffffffULL;
            rt2 &= 0xffffffffULL;
        }
        if (t->flags & F_OCRF)
            rt2 &= 0xf0000000ULL;
        if (t->flags & F_DARN) {
            tp_printf(" | darn L=1 ok=%d L=2 ok=%d", rt != ~0ULL, rt2 != ~0ULL);
            continue;
        }
        if (t->flags & F_TB) {
            tp_printf(" | tb did not go backwards: %d", (int64_t)rt2 >= 0);
            continue;
        }
        tp_printf(" |");
        if (undef)
            tp_printf(" rt=undef");
        else if (!(t->flags & F_CRONLY))
            tp_printf(" rt=%016llx", (unsigned long long)rt);
        if (t->flags & F_TWO)
            tp_printf(" rt2=%016llx", (unsigned long long)rt2);
        tp_printf(" xer=%08llx cr=%08x", (unsigned long long)io.xer, cr);
        if (t->flags & F_DCBZ) {
            int first = -1, last = -1;
            for (int i = 0; i < (int)sizeof io.mem; i++)
                if (io.mem[i] == 0 && (unsigned char)(i * 7 + 3) != 0) {
                    if (first < 0)
                        first = i;
                    last = i;
                }
            tp_printf(" zeroed=[%d,%d]", first, last);
            TP_CHECK(first >= 0 && first <= 130 && last >= 130 && ((last - first + 1) & (last - first)) == 0,
                     "dcbz zeroes one aligned block");
        }
        if (t->cls == MEM) {
            uint64_t h = 0xcbf29ce484222325ULL;
            for (unsigned i = 0; i < 128; i++)
                h = (h ^ io.mem[i]) * 0x100000001b3ULL;
            tp_printf(" mem=%016llx", (unsigned long long)h);
        }
    }
    tp_printf("\n");
}

int main(void)
{
    for (unsigned ti = 0; ti < N(tests); ti++) {
        const struct test *t = &tests[ti];
        switch (t->cls) {
        case BIN:
            for (unsigned i = 0; i < N(edge); i++)
                for (unsigned j = 0; j < N(edge); j++)
                    run_one(t, edge[i], edge[j], edge[(i + j) % N(edge)]);
            break;
        case SHIFT:
            for (unsigned i = 0; i < N(edge); i++)
                for (unsigned j = 0; j < N(counts); j++)
                    run_one(t, edge[i], counts[j], 0);
            break;
        case UN:
            for (unsigned i = 0; i < N(edge); i++)
                run_one(t, edge[i], 0x5a5a5a5a5a5a5a5aULL, 0);
            break;
        case MEM:
            for (uint64_t off = 0; off < 32; off += 5)
                run_one(t, 0x0102030405060708ULL + off, off, off * 3 + 1);
            break;
        case ONCE:
            run_one(t, 0x1234, 0x5678, 0);
            break;
        }
    }
    /* Known answers the ISA fixes, checked here so a wrong build fails even
     * without an oracle. */
    memset(&io, 0, sizeof io);
    io.a = 0x7fffffffffffffffULL;
    io.b = 1;
    t_addo(&io);
    TP_CHECK(io.rt == 0x8000000000000000ULL && (io.xer & 0xc0080000ULL) == 0xc0000000ULL, "addo: SO OV, no OV32");
    io.a = 0xffffffffULL;
    io.b = 1;
    io.xer_in = 0;
    t_addc(&io);
    TP_CHECK(io.rt == 0x100000000ULL && (io.xer & 0x20040000ULL) == 0x00040000ULL, "addc: CA32 without CA");
    io.a = 0x00ff00ff00ff00ffULL;
    t_popcntb(&io);
    TP_CHECK(io.rt == 0x0008000800080008ULL, "popcntb");
    io.a = 0x8000;
    t_cnttzd(&io);
    TP_CHECK(io.rt == 15, "cnttzd");
    return tp_finish("isa_fixed");
}
