package dev.pvm.engine.cpu.translate;

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
                // OE and carrying forms are not inline: they run the interpreter's semantics inside the unit.
                "addo. r15,r16,r17", "subfo r18,r19,r3", "addc r4,r5,r6", "adde. r7,r8,r9", "mulldo r10,r11,r12",
                "add r13,r10,r7", "divd r14,r15,r16", "subf. r17,r14,r13");
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
    void specialRegistersLinkAndCount(boolean le) {
        check(le, "mfspr r3,8", "mtspr 8,r4", "mfspr r5,9", "mtspr 9,r6", "mfspr r7,8", "mfspr r8,9", "mfspr r9,1", "mtspr 1,r10",
                "mfspr r11,1", "add. r12,r9,r11");
    }
}
