/*
 * Test vectors for the fixed-point instructions, computed by QEMU: QemuFixedPointVectorsTest builds this with
 * powerpc64le-linux-gnu-gcc, runs it under qemu-ppc64le -cpu power9 and checks our interpreter against every line.
 *
 * Each instruction runs with r4, r5, r6 = a, b, c, XER = x and CR = 0; the line records RT (r3), XER and CR after:
 *     INSN|a|b|c|x|r3|xer|cr        (hexadecimal)
 * where INSN is the assembler text, so the test can encode the same instruction.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void (*runner)(uint64_t *io);

/* io: a, b, c, xer in; r3, xer, cr out (at io[4..6]). */
#define INSN(name, text)                                                                                    \
    static void name(uint64_t *io) {                                                                       \
        uint64_t r, x, c;                                                                                   \
        __asm__ volatile("mr 4,%3\n\tmr 5,%4\n\tmr 6,%5\n\tmtxer %6\n\tli 0,0\n\tmtcr 0\n\tli 3,0\n\t"       \
                         text "\n\tmr %0,3\n\tmfxer %1\n\tmfcr %2"                                          \
                         : "=&r"(r), "=&r"(x), "=&r"(c)                                                     \
                         : "r"(io[0]), "r"(io[1]), "r"(io[2]), "r"(io[3])                                   \
                         : "r0", "r3", "r4", "r5", "r6", "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6",   \
                           "cr7", "xer");                                                                   \
        io[4] = r;                                                                                          \
        io[5] = x;                                                                                          \
        io[6] = c;                                                                                          \
    }

#define LIST(X)                                                                                             \
    X(add_, "add. 3,4,5") X(addo_, "addo. 3,4,5") X(addc_, "addc. 3,4,5") X(addco_, "addco. 3,4,5")         \
    X(adde_, "adde. 3,4,5") X(addeo_, "addeo. 3,4,5") X(addme_, "addmeo. 3,4") X(addze_, "addzeo. 3,4")     \
    X(subf_, "subfo. 3,4,5") X(subfc_, "subfco. 3,4,5") X(subfe_, "subfeo. 3,4,5")                          \
    X(subfme_, "subfmeo. 3,4") X(subfze_, "subfzeo. 3,4") X(neg_, "nego. 3,4") X(addic_, "addic. 3,4,-1")   \
    X(subfic_, "subfic 3,4,-1") X(mulli_, "mulli 3,4,-3")                                                  \
    X(mulld_, "mulldo. 3,4,5") X(mullw_, "mullwo. 3,4,5") X(mulhd_, "mulhd. 3,4,5")                         \
    X(mulhdu_, "mulhdu. 3,4,5") X(mulhw_, "mulhw. 3,4,5") X(mulhwu_, "mulhwu. 3,4,5")                       \
    X(divd_, "divdo. 3,4,5") X(divdu_, "divduo. 3,4,5") X(divw_, "divwo. 3,4,5") X(divwu_, "divwuo. 3,4,5") \
    X(divde_, "divdeo. 3,4,5") X(divdeu_, "divdeuo. 3,4,5") X(divwe_, "divweo. 3,4,5")                      \
    X(divweu_, "divweuo. 3,4,5") X(modsd_, "modsd 3,4,5") X(modud_, "modud 3,4,5")                          \
    X(modsw_, "modsw 3,4,5") X(moduw_, "moduw 3,4,5") X(maddld_, "maddld 3,4,5,6")                          \
    X(maddhd_, "maddhd 3,4,5,6") X(maddhdu_, "maddhdu 3,4,5,6") X(addex_, "addex 3,4,5,0")                  \
    X(slw_, "slw. 3,4,5") X(srw_, "srw. 3,4,5") X(sraw_, "sraw. 3,4,5") X(sld_, "sld. 3,4,5")               \
    X(srd_, "srd. 3,4,5") X(srad_, "srad. 3,4,5") X(srawi0_, "srawi. 3,4,0") X(srawi31_, "srawi. 3,4,31")   \
    X(sradi0_, "sradi. 3,4,0") X(sradi63_, "sradi. 3,4,63") X(extswsli0_, "extswsli. 3,4,0")                \
    X(extswsli32_, "extswsli. 3,4,32") X(extswsli63_, "extswsli. 3,4,63") X(rldcl_, "rldcl. 3,4,5,0")       \
    X(rlwnm_, "rlwnm. 3,4,5,0,31") X(cntlzw_, "cntlzw. 3,4") X(cntlzd_, "cntlzd. 3,4")                      \
    X(cnttzw_, "cnttzw. 3,4") X(cnttzd_, "cnttzd. 3,4") X(popcntb_, "popcntb 3,4") X(popcntw_, "popcntw 3,4") \
    X(popcntd_, "popcntd 3,4") X(prtyw_, "prtyw 3,4") X(prtyd_, "prtyd 3,4") X(bpermd_, "bpermd 3,4,5")     \
    X(cmpb_, "cmpb 3,4,5") X(extsb_, "extsb. 3,4") X(extsh_, "extsh. 3,4") X(extsw_, "extsw. 3,4")          \
    X(eqv_, "eqv. 3,4,5") X(nand_, "nand. 3,4,5") X(orc_, "orc. 3,4,5") X(andc_, "andc. 3,4,5")             \
    X(cmprb0_, "cmprb 1,0,4,5") X(cmprb1_, "cmprb 7,1,4,5") X(cmpeqb_, "cmpeqb 2,4,5")                      \
    X(cmpw_, "cmp 3,0,4,5") X(cmpd_, "cmp 4,1,4,5") X(cmplw_, "cmpl 5,0,4,5") X(cmpld_, "cmpl 6,1,4,5")         \
    X(mcrxrx_, "mcrxrx 5") X(isel_, "isel 3,4,5,2")

LIST(INSN)

#define ENTRY(name, text) {text, name},
static const struct {
    const char *text;
    runner run;
} insns[] = {LIST(ENTRY)};

static const uint64_t values[] = {
    0, 1, 32, 63, 64, 0x7fffffff, 0x80000000, 0xffffffff, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
    0xffffffffffffffffULL, 0x0123456789abcdefULL, 0xfffffffffffffff9ULL,
};
static const uint64_t thirds[] = {0, 0xffffffffffffffffULL, 0x0123456789abcdefULL};
/* XER clear, and SO OV CA OV32 CA32 all set */
static const uint64_t xers[] = {0, 0xe00c0000};

int main(void) {
    const int nv = sizeof values / sizeof values[0];
    for (unsigned k = 0; k < sizeof insns / sizeof insns[0]; k++) {
        for (int i = 0; i < nv; i++) {
            for (int j = 0; j < nv; j++) {
                for (int t = 0; t < 3; t++) {
                    /* only multiply-add reads c */
                    if (t > 0 && strncmp(insns[k].text, "madd", 4) != 0) {
                        continue;
                    }
                    for (int x = 0; x < 2; x++) {
                        uint64_t io[7] = {values[i], values[j], thirds[t], xers[x]};
                        insns[k].run(io);
                        printf("%s|%llx|%llx|%llx|%llx|%llx|%llx|%llx\n", insns[k].text,
                               (unsigned long long)io[0], (unsigned long long)io[1], (unsigned long long)io[2],
                               (unsigned long long)io[3], (unsigned long long)io[4], (unsigned long long)io[5],
                               (unsigned long long)io[6] & 0xffffffffULL);
                    }
                }
            }
        }
    }
    return 0;
}
