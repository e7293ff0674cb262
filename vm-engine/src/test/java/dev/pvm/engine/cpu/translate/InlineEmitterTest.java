package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.Msr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every inline emitter against the interpreter, in both byte orders, from several random states. */
class InlineEmitterTest {

    private static void check(boolean le, String... lines) {
        for (long seed = 1; seed <= 4; seed++) {
            Differential.check(le, seed * 7919 + lines.length, lines);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void arithmeticWithRecordOverflowAndCarryForms(boolean le) {
        check(le, "addi r3,r4,-5", "addi r5,0,100", "addis r6,r7,-2", "addis r8,0,0x7fff", "addi r9,0,-1",
                "add r10,r11,r12", "add. r13,r14,r15", "subf r16,r17,r18", "subf. r19,r3,r4", "neg r5,r6",
                "neg. r7,r8", "mulld r9,r10,r11", "mulld. r12,r13,r14",
                // OE forms are not inline: they run the interpreter's semantics.
                "addo. r15,r16,r17", "subfo r18,r19,r3", "addc r4,r5,r6", "adde. r7,r8,r9", "mulldo r10,r11,r12",
                "add r13,r10,r7", "divd r14,r15,r16", "subf. r17,r14,r13");
    }

    /** Divides, with the undefined cases (zero divisors, the most negative number by -1) as the interpreter has them. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void dividesIncludingTheUndefinedCases(boolean le) {
        check(le, "divd r3,r4,r5", "divdu r6,r7,r8", "divw r9,r10,r11", "divwu. r12,r13,r14", "divd. r15,r16,r17",
                "addi r18,0,0", "addi r19,0,-1", "addis r20,0,-32768", "rldicr r21,r19,63,0", "divd r22,r4,r18",
                "divd r23,r21,r19", "divdu r24,r5,r18", "divw r25,r20,r19", "divwu r26,r6,r18", "divw. r27,r7,r18",
                "divdo r28,r21,r19", "divwuo. r29,r30,r18");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void logicalCountAndExtend(boolean le) {
        check(le, "and r3,r4,r5", "and. r6,r7,r8", "or r9,r10,r11", "or. r12,r13,r14", "xor r15,r16,r17",
                "xor. r18,r19,r3", "ori r4,r5,0xffff", "oris r6,r7,0x8000", "xori r8,r9,0x1234",
                "xoris r10,r11,0xffff", "andi. r12,r13,0x8001", "andis. r14,r15,0x8000", "extsw r16,r17",
                "extsw. r18,r19", "extsh r3,r4", "extsb. r5,r6", "cntlzd r7,r8", "cntlzd. r9,r0", "popcntd r10,r11",
                "or r12,r13,r13", "or. r14,r0,r0", "ori r0,r0,0");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void comparesIntoEveryField(boolean le) {
        check(le, "cmp 0,0,r3,r4", "cmp 1,1,r5,r6", "cmpl 2,0,r7,r8", "cmpl 3,1,r9,r10", "cmpi 4,0,r11,-7",
                "cmpi 5,1,r12,300", "cmpli 6,0,r13,0xffff", "cmpli 7,1,r14,5", "cmp 1,1,r15,r15",
                "cmp 2,0,r16,r16", "isel r17,r18,r19,2", "isel r3,0,r4,29", "isel r5,r6,r7,6");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rotatesAndShiftsAtTheEdges(boolean le) {
        check(le, "rlwinm r3,r4,0,0,31", "rlwinm. r5,r6,31,1,30", "rlwinm r7,r8,5,28,3", "rlwinm r9,r10,8,0,23",
                "rlwinm r11,r12,28,4,31", "rldicl r13,r14,0,0", "rldicl. r15,r16,63,1", "rldicl r17,r18,8,56",
                "rldicr r19,r3,1,62", "rldicr. r4,r5,60,0", "rldicr r6,r7,63,0", "rldicl r8,r9,1,63",
                "addi r10,0,0", "addi r11,0,63", "addi r12,0,64", "addi r13,0,127", "addi r14,0,128",
                "sld r15,r16,r10", "sld r16,r17,r11", "sld. r17,r18,r12", "srd r18,r19,r13", "srd. r19,r3,r14",
                "srd r4,r5,r11", "sradi r6,r7,0", "sradi. r8,r9,63", "sradi r10,r10,5", "sradi r11,r12,1",
                "adde r13,r14,r15");
    }

    /** Word rotates by every path the emitter takes: shifts left and right, the word rotate, wrapped masks. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void wordRotatesUnderEveryKindOfMask(boolean le) {
        check(le, "rlwinm r3,r4,4,0,27", "rlwinm r5,r6,28,4,31", "rlwinm. r7,r8,31,1,31", "rlwinm r9,r10,1,0,30",
                "rlwinm r11,r12,13,0,31", "rlwinm. r13,r14,0,16,31", "rlwinm r15,r16,0,0,15", "rlwinm r17,r18,8,8,15",
                "rlwinm r19,r3,24,0,7", "rlwinm r4,r5,16,24,7", "rlwinm. r6,r7,3,29,2", "rlwinm r8,r9,31,0,0",
                "rlwinm r10,r11,1,31,31", "rlwimi r12,r13,8,16,23", "rlwimi. r14,r15,0,24,31",
                "rlwimi r16,r17,28,4,31", "rlwimi r18,r19,4,0,27", "rlwimi r3,r4,12,20,3", "addi r5,0,37",
                "addi r6,0,-1", "rlwnm r7,r8,r5,0,31", "rlwnm. r9,r10,r6,16,31", "rlwnm r11,r12,r5,28,3",
                "rlwnm r13,r14,r6,0,0");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void loadsAndStoresOfEverySizeAndOrder(boolean le) {
        check(le, "lbz r3,1(r20)", "lhz r4,2(r20)", "lha r5,6(r21)", "lwz r6,-4(r21)", "lwa r7,8(r22)",
                "ld r8,16(r22)", "addi r9,0,24", "lbzx r10,r20,r9", "lhzx r11,r21,r9", "lhax r12,r22,r9",
                "lwzx r13,r23,r9", "lwax r14,r20,r9", "ldx r15,r21,r9", "lhbrx r16,r22,r9", "lwbrx r17,r23,r9",
                "ldbrx r18,r20,r9", "stb r6,3(r23)", "sth r7,10(r23)", "stw r8,20(r23)", "std r15,32(r23)",
                "stbx r16,r22,r9", "sthx r17,r21,r9", "stwx r18,r20,r9", "stdx r13,r23,r9", "sthbrx r5,r20,r9",
                "stwbrx r6,r21,r9", "stdbrx r8,r22,r9", "lbzu r3,1(r20)", "lhzu r4,2(r21)", "lhau r5,2(r21)",
                "lwzu r6,4(r22)", "ldu r7,8(r23)", "lbzux r10,r20,r9", "lwzux r11,r21,r9", "ldux r12,r22,r9",
                "stbu r3,1(r23)", "sthu r4,2(r23)", "stwu r5,4(r23)", "stdu r6,8(r23)", "stdux r7,r20,r9",
                "stwux r8,r21,r9", "ld r19,-8(r23)");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void carryingAddsAndMultiplies(boolean le) {
        check(le, "addc r3,r4,r5", "addc. r6,r7,r8", "adde r9,r10,r11", "adde. r12,r13,r14", "addme r15,r16",
                "addze. r17,r18", "subfc r19,r3,r4", "subfc. r5,r6,r7", "subfe r8,r9,r10", "subfe. r11,r12,r13",
                "subfme r14,r15", "subfze. r16,r17", "addic r18,r19,-1", "addic. r3,r4,32767", "subfic r5,r6,0",
                "subfic r7,r8,-100", "addco r9,r10,r11", "addeo. r12,r13,r14", "subfeo r15,r16,r17",
                "addze r18,r18", "adde r19,r19,r19", "mullw r3,r4,r5", "mullw. r6,r7,r8", "mulli r9,r10,-3",
                "mulli r11,r12,32767", "mulhd r13,r14,r15", "mulhdu. r16,r17,r18", "adde r19,r3,r4",
                // The result register is an operand: both are read before it is written.
                "addc r3,r3,r4", "subfc r5,r6,r5", "subfe. r7,r7,r7", "addic r8,r8,1", "subfic r9,r9,7");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void complementedLogicalAndCounts(boolean le) {
        check(le, "andc r3,r4,r5", "andc. r6,r7,r8", "orc r9,r10,r11", "orc. r12,r13,r14", "nand r15,r16,r17",
                "nand. r18,r19,r3", "nor r4,r5,r6", "nor. r7,r8,r8", "eqv r9,r10,r11", "eqv. r12,r13,r14",
                "cntlzw r15,r16", "cntlzw. r17,r0", "cnttzw r18,r19", "cnttzw. r3,r0", "cnttzd r4,r5",
                "cnttzd. r6,r0", "cmpb r7,r8,r9", "cmpb r10,r11,r11", "cmpb r12,r0,r13");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void moreRotatesShiftsAndInserts(boolean le) {
        check(le, "rldic r3,r4,0,0", "rldic r5,r6,2,54", "rldic. r7,r8,63,0", "rldic r9,r10,17,3",
                "rldimi r11,r12,0,0", "rldimi. r13,r14,32,0", "rldimi r15,r16,5,60", "rlwimi r17,r18,0,0,31",
                "rlwimi. r19,r3,8,16,23", "rlwimi r4,r5,28,30,2", "addi r10,0,0", "addi r11,0,31", "addi r12,0,32",
                "addi r13,0,63", "addi r14,0,64", "rlwnm r6,r7,r11,0,31", "rlwnm. r8,r9,r13,4,27",
                "rldcl r15,r16,r11,0", "rldcl. r17,r18,r14,32", "rldcr r19,r3,r13,40", "slw r4,r5,r10",
                "slw r6,r7,r11", "slw. r8,r9,r12", "srw r15,r16,r11", "srw. r17,r18,r13", "srw r19,r3,r14",
                "sraw r4,r5,r10", "sraw. r6,r7,r11", "sraw r8,r9,r12", "sraw r15,r16,r14", "srad r17,r18,r13",
                "srad. r19,r3,r14", "srad r4,r5,r11", "srawi r6,r7,0", "srawi. r8,r9,31", "srawi r15,r16,5",
                "extswsli r17,r18,0", "extswsli. r19,r3,63", "extswsli r4,r5,12", "addze r6,r7");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void conditionRegisterLogicalAndMoves(boolean le) {
        check(le, "crand 0,1,2", "crnand 3,4,5", "cror 6,7,31", "crxor 8,8,8", "crnor 9,10,11", "creqv 12,13,14",
                "crandc 15,16,17", "crorc 18,19,20", "mcrf 0,7", "mcrf 5,5", "mcrf 3,1", "mfcr r3", "mtcrf 0xff,r4",
                "mfcr r5", "mtcrf 0x81,r6", "mtocrf 0x10,r7", "mfocrf r8,0x04", "mfcr r9", "crxor 31,0,30");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void vectorLogicalSelectsSplatsAndMoves(boolean le) {
        for (long seed = 1; seed <= 4; seed++) {
            Differential.checkWithFacilities(le, seed * 104729, "vand 0,1,2", "vandc 3,4,5", "vor 6,7,7",
                    "vxor 8,8,9", "vnor 10,11,12", "vorc 13,14,15", "vnand 16,17,18", "veqv 19,20,21",
                    "xxland 0,1,2", "xxlandc 33,34,35", "xxlor 36,37,38", "xxlxor 39,39,39", "xxlnor 40,41,42",
                    "xxlorc 3,44,5", "xxlnand 46,47,48", "xxleqv 49,50,51", "vsel 22,23,24,25",
                    "xxsel 52,53,54,55", "xxsel 56,56,57,56", "xxpermdi 1,2,3,0", "xxpermdi 4,4,5,1",
                    "xxpermdi 6,7,6,2", "xxpermdi 40,41,42,3", "vspltisb 26,-1", "vspltish 27,15",
                    "vspltisw 28,-16", "xxspltib 60,200", "vspltb 29,30,0", "vspltb 30,30,15",
                    "vsplth 31,1,3", "vsplth 2,3,4", "vspltw 5,6,1", "vspltw 7,7,2", "mfvsrd r3,vs5", "mfvsrd r4,vs40", "mfvsrwz r5,vs6",
                    "mfvsrld r6,vs41", "mtvsrd vs7,r7", "mtvsrd vs42,r8", "mtvsrwz vs8,r9");
        }
    }

    private static void checkVector(boolean le, long multiplier, String... lines) {
        for (long seed = 1; seed <= 4; seed++) {
            Differential.checkWithFacilities(le, seed * multiplier, lines);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void vectorElementArithmeticShiftsAndCounts(boolean le) {
        checkVector(le, 7727, "vaddubm 0,1,2", "vadduhm 3,4,5", "vadduwm 6,6,7", "vaddudm 8,9,10",
                "vsububm 11,12,13", "vsubuhm 14,15,16", "vsubuwm 17,18,19", "vsubudm 20,21,20",
                "vminub 22,23,24", "vmaxuh 25,26,27", "vminsw 28,29,30", "vmaxsd 31,0,1", "vminsb 2,3,4",
                "vmaxub 5,6,7", "vminud 8,9,10", "vmaxsh 11,12,13", "vslb 14,15,16", "vslh 17,18,19",
                "vslw 20,21,22", "vsld 23,24,25", "vsrb 26,27,28", "vsrh 29,30,31", "vsrw 0,1,2", "vsrd 3,4,5",
                "vsrab 6,7,8", "vsraw 9,10,11", "vsrad 12,13,14", "vrlb 15,16,17", "vrlh 18,19,20",
                "vrlw 21,22,23", "vrld 24,25,26", "vsl 27,28,29", "vsr 30,31,0", "vslo 1,2,3", "vsro 4,5,6",
                "vclzb 7,8", "vclzh 9,10", "vclzw 11,12", "vclzd 13,14", "vctzb 15,16", "vctzw 17,18",
                "vpopcntb 19,20", "vpopcntd 21,22", "vgbbd 23,24", "vbpermq 25,26,27", "vctzlsbb r3,28",
                "vclzlsbb r4,29", "vspltisb 30,0", "vctzlsbb r5,30", "vclzlsbb r6,30");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void vectorComparesSetCr6(boolean le) {
        // Each record form's CR6 is copied out before the next one overwrites it.
        checkVector(le, 6007, "vcmpequb 0,1,2", "vcmpequb. 3,4,5", "mfcr r3", "vcmpequh. 6,7,7", "mfcr r4",
                "vcmpequw 8,9,10", "vcmpequd. 11,11,11", "mfcr r5", "vcmpgtub. 12,13,14", "mfcr r6",
                "vcmpgtsh 15,16,17", "vcmpgtuw. 18,19,20", "mfcr r7", "vcmpgtsd. 21,22,23", "mfcr r8",
                "vcmpneb. 24,25,25", "mfcr r9", "vcmpneh 26,27,28", "vcmpnezb. 29,30,31", "mfcr r10",
                "vcmpnezw 0,1,2", "vspltisb 3,0", "vcmpnezb. 4,3,5", "mfcr r11", "vcmpequb. 6,3,3", "mfcr r12",
                "vxor 7,7,7", "vcmpgtub. 8,7,7", "mfcr r13");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void vectorPermutesMergesAndControlVectors(boolean le) {
        checkVector(le, 3571, "vperm 0,1,2,3", "vperm 4,4,5,4", "vpermr 6,7,8,9", "vpermxor 10,11,12,13",
                "xxperm 14,15,16", "xxpermr 47,48,49", "vsldoi 17,18,19,0", "vsldoi 20,21,22,3",
                "vsldoi 23,24,25,8", "vsldoi 26,27,26,13", "xxsldwi 50,51,52,1", "xxsldwi 1,2,3,2",
                "vmrghb 27,28,29", "vmrglb 30,31,0", "vmrghh 1,2,3", "vmrglh 4,5,6", "vmrghw 7,8,9",
                "vmrglw 10,11,10", "xxmrghw 53,54,55", "xxmrglw 4,5,6", "vmrgew 12,13,14", "vmrgow 15,16,17",
                "addi r9,0,5", "lvsl 18,r20,r9", "lvsr 19,r21,r9", "lvsl 21,0,r9", "lvsr 22,0,r22");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void vectorLoadsAndStoresInEveryLayout(boolean le) {
        checkVector(le, 2203, "addi r9,0,32", "lvx 0,r20,r9", "lvx 1,0,r21", "lvxl 2,r22,r9", "stvx 3,r23,r9",
                "stvxl 4,r20,r9", "lxvx 5,r21,r9", "stxvx 38,r22,r9", "lxv 39,48(r23)", "lxv 7,-16(r20)",
                "stxv 40,64(r21)", "stxv 8,0(r22)", "lxvd2x 9,r23,r9", "lxvd2x 41,r20,r9", "stxvd2x 10,r21,r9",
                "lxvw4x 42,r22,r9", "stxvw4x 11,r23,r9", "lxvh8x 43,r20,r9", "stxvh8x 12,r21,r9",
                "lxvb16x 44,r22,r9", "stxvb16x 13,r23,r9", "lxvdsx 45,r20,r9", "lxvd2x 14,0,r21",
                "stxvd2x 46,0,r22", "lvx 15,r23,r9");
    }

    /**
     * A faulting vector access inside a unit: beyond RAM (r5), or with only its second doubleword beyond it (r6:
     * the first doubleword of a store is written, as the interpreter writes it).
     */
    @ParameterizedTest
    @ValueSource(strings = {"lvx 1,r5,r4", "stvx 2,r5,r4", "lxvd2x 3,r5,r4", "stxvw4x 4,r5,r4", "lxv 5,16(r5)",
        "stxvb16x 38,0,r5", "lxvdsx 6,r5,r4", "lxvd2x 39,0,r6", "stxvd2x 40,0,r6", "lxvx 41,0,r6", "stxvh8x 42,0,r6"})
    void faultingVectorAccessLeavesPreciseState(String faulting) {
        for (boolean le : new boolean[] {false, true}) {
            Differential.compare(le, faulting, f -> {
                f.code("addi r3,0,1", "addi r4,0,2", "addis r5,0,0x4000", "addis r6,0,0x10", "addi r6,r6,-8",
                        "vaddubm 7,8,9", faulting, "addi r7,0,9", "vaddubm 10,11,12");
                Differential.randomState(f, 11);
                f.cpu.setMsr(f.cpu.msr | Msr.FP | Msr.VEC | Msr.VSX);
            });
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void floatDoubleLoadsAndStoresAndHints(boolean le) {
        for (long seed = 1; seed <= 4; seed++) {
            Differential.checkWithFacilities(le, seed * 15485863, "lfd f1,8(r20)", "lfd f2,-8(r21)",
                    "addi r9,0,16", "lfdx f3,r22,r9", "stfd f4,24(r23)", "stfdx f5,r20,r9", "lfdu f6,8(r21)",
                    "lfdux f7,r22,r9", "stfdu f8,16(r23)", "stfdux f9,r20,r9", "dcbt 0,r20", "dcbtst 0,r21",
                    "sync", "sync 1", "isync", "stfd f1,0(r21)", "lfd f10,0(r23)");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void specialRegistersLinkAndCount(boolean le) {
        check(le, "mfspr r3,8", "mtspr 8,r4", "mfspr r5,9", "mtspr 9,r6", "mfspr r7,8", "mfspr r8,9", "mfspr r9,1", "mtspr 1,r10",
                "mfspr r11,1", "add. r12,r9,r11");
    }
}
