/*
 * Oracle for FloatOracleTest: runs one floating-point instruction per input line under qemu-ppc64le and prints
 * what it did. Input lines (hex): "OP FPSCR A B C", where FPSCR is the low word to start from (mtfsf 0xff) and A,
 * B, C are the bit patterns placed in f1, f2, f3. Output lines: "RESULT FPSCR CR" in hex: f0 after
 * "OP. f0,f1,f2[,f3]" (or the CR field of a compare), the FPSCR (mffs) and the whole CR.
 * Built with powerpc64le-linux-gnu-gcc -static -O1 at test time.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

typedef union { uint64_t u; double d; } bits;

#define PRE(fpscr) \
    "mtfsf 0xff,%[fs]\n\t" \
    "lfd 1,0(%[a])\n\t" "lfd 2,8(%[a])\n\t" "lfd 3,16(%[a])\n\t" "lfd 0,24(%[a])\n\t"
#define POST \
    "\n\tstfd 0,0(%[r])\n\t" "mffs 4\n\t" "stfd 4,8(%[r])\n\t" "mfcr %[cr]"
#define RUN(text) \
    __asm__ volatile(PRE() text POST : [cr] "=r"(cr) : [fs] "f"(fs.d), [a] "b"(in), [r] "b"(out) \
                     : "fr0", "fr1", "fr2", "fr3", "fr4", "memory", "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7")
#define OP(name, text) else if (strcmp(op, name) == 0) RUN(text);

int main(int argc, char **argv) {
    FILE *f = argc > 1 ? fopen(argv[1], "r") : stdin;
    if (!f) {
        perror("open");
        return 2;
    }
    char op[32];
    unsigned long long fsv, a, b, c;
    while (fscanf(f, "%31s %llx %llx %llx %llx", op, &fsv, &a, &b, &c) == 5) {
        uint64_t in[4] = {a, b, c, 0x7ff0dead0000beefULL};
        uint64_t out[2];
        uint64_t cr = 0;
        bits fs = {.u = fsv};
        if (0) {
        }
        OP("fadd", "fadd. 0,1,2") OP("fsub", "fsub. 0,1,2") OP("fmul", "fmul. 0,1,2") OP("fdiv", "fdiv. 0,1,2")
        OP("fadds", "fadds. 0,1,2") OP("fsubs", "fsubs. 0,1,2") OP("fmuls", "fmuls. 0,1,2")
        OP("fdivs", "fdivs. 0,1,2") OP("fsqrt", "fsqrt. 0,1") OP("fsqrts", "fsqrts. 0,1")
        OP("fmadd", "fmadd. 0,1,2,3") OP("fmsub", "fmsub. 0,1,2,3") OP("fnmadd", "fnmadd. 0,1,2,3")
        OP("fnmsub", "fnmsub. 0,1,2,3") OP("fmadds", "fmadds. 0,1,2,3") OP("fmsubs", "fmsubs. 0,1,2,3")
        OP("fnmadds", "fnmadds. 0,1,2,3") OP("fnmsubs", "fnmsubs. 0,1,2,3")
        OP("frsp", "frsp. 0,1") OP("fctid", "fctid. 0,1") OP("fctidz", "fctidz. 0,1") OP("fctidu", "fctidu. 0,1")
        OP("fctiduz", "fctiduz. 0,1") OP("fctiw", "fctiw. 0,1") OP("fctiwz", "fctiwz. 0,1")
        OP("fctiwu", "fctiwu. 0,1") OP("fctiwuz", "fctiwuz. 0,1") OP("fcfid", "fcfid. 0,1")
        OP("fcfidu", "fcfidu. 0,1") OP("fcfids", "fcfids. 0,1") OP("fcfidus", "fcfidus. 0,1")
        OP("frin", "frin. 0,1") OP("friz", "friz. 0,1") OP("frip", "frip. 0,1") OP("frim", "frim. 0,1")
        OP("fre", "fre. 0,1") OP("fres", "fres. 0,1") OP("frsqrte", "frsqrte. 0,1")
        OP("frsqrtes", "frsqrtes. 0,1") OP("fsel", "fsel. 0,1,2,3")
        OP("fcmpu", "fcmpu 5,1,2") OP("fcmpo", "fcmpo 5,1,2")
        OP("mtfsf81", "mtfsf 0x81,1") OP("mtfsf40", "mtfsf 0x40,1") OP("mtfsf3c", "mtfsf 0x3c,1")
        OP("mtfsb0", "mtfsb0 3") OP("mtfsfi", "mtfsfi 7,2") OP("mcrfs", "mcrfs 5,1")
        OP("mcrfs0", "mcrfs 5,0") OP("mffsl", "mffsl 0") OP("mffsce", "mffsce 0") OP("mffscrni", "mffscrni 0,3")
        OP("mffs", "mffs 0")
        else {
            fprintf(stderr, "unknown op %s\n", op);
            return 2;
        }
        printf("%016llx %08llx %08llx\n", (unsigned long long)out[0], (unsigned long long)(out[1] & 0xffffffffULL),
               (unsigned long long)(cr & 0xffffffffULL));
    }
    return 0;
}
