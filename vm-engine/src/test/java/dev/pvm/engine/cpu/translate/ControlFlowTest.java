package dev.pvm.engine.cpu.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.interp.StorageAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Loops inside units, budgets, precise faults, self-modifying code and indirect branches. */
class ControlFlowTest {

    private static final long F = GuestFixture.CODE + 0x2000;

    /** r3 = 3 * 1000 through a bdnz loop. */
    private static void countingLoop(GuestFixture f) {
        f.code("addi r3,0,0", "addi r4,0,1000", "mtspr 9,r4");
        long loop = f.next();
        f.code("addi r3,r3,3", "bc 16,0," + loop, "addi r5,r3,1");
    }

    @Test
    void scannerKeepsALoopInsideTheUnitOfItsHead() {
        try (GuestFixture f = new GuestFixture(ExecutionMode.INTERPRETER, false)) {
            countingLoop(f);
            BlockScanner scanner = new BlockScanner(GuestFixture.DECODER, new StorageAccess(f.memory));
            // From the start: up to the loop head, which starts a unit of its own.
            assertThat(scanner.scan(f.cpu, GuestFixture.CODE, BlockScanner.MAX_INSNS).length()).isEqualTo(3);
            // From the head: through the conditional back edge to the illegal word after the loop.
            TranslationUnit u = scanner.scan(f.cpu, GuestFixture.CODE + 12, BlockScanner.MAX_INSNS);
            assertThat(u.length()).isEqualTo(3);
            assertThat(u.internal()[1]).isEqualTo(0);
            assertThat(u.leaders()).containsExactly(true, false, true);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void loopRunsInsideOneUnitAndMatchesTheInterpreter(boolean le) {
        Differential.compare(le, "counting loop", ControlFlowTest::countingLoop);
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, le)) {
            countingLoop(f);
            f.run(100_000);
            assertThat(f.cpu.gpr[3]).isEqualTo(3000);
            assertThat(f.cpu.gpr[5]).isEqualTo(3001);
            assertThat(f.cpu.instructions).isEqualTo(3 + 2 * 1000 + 1);
            assertThat(((TranslatorExecutor) f.executor).translatedUnits()).isEqualTo(2); // the set-up, the loop
        }
    }

    @Test
    void loopLeavesAtABackEdgeOnceTheBudgetIsUsedAndResumes() {
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, false)) {
            countingLoop(f);
            long n = f.run(101);
            // The budget is checked at the back edge: 3 + 2k >= 101 first at k = 49.
            assertThat(n).isEqualTo(101);
            assertThat(f.cpu.gpr[3]).isEqualTo(3 * 49);
            assertThat(f.cpu.nia).isEqualTo(GuestFixture.CODE + 12);
            assertThat(f.cpu.pendingInterrupt).isNull();
            f.run(100_000);
            assertThat(f.cpu.gpr[3]).isEqualTo(3000);
        }
    }

    /**
     * 100 iterations of an if/else: r3 += 5 on even i, 3 on odd, the odd arm jumping over the even one to the
     * join (GCC's shape), with the loop entered through a jump to its test (bdnz) at the bottom.
     */
    private static void ifElseLoop(GuestFixture f) {
        long c = f.next();
        long test = c + 52;
        long loop = c + 20;
        long even = c + 40;
        long join = c + 44;
        f.code("addi r3,0,0", "addi r4,0,101", "mtspr 9,r4", "addi r5,0,0", "b " + test);
        f.code("andi. r6,r5,1", "bc 12,2," + even, "addi r3,r3,3", "addi r8,r3,0", "b " + join);
        f.code("addi r3,r3,5");
        f.code("addi r5,r5,1", "addi r9,r5,0");
        f.code("bc 16,0," + loop, "addi r7,r3,0");
        assertThat(f.next()).isEqualTo(test + 8);
    }

    @Test
    void scannerFollowsJumpsAndLaysTheRegionOutInRuns() {
        try (GuestFixture f = new GuestFixture(ExecutionMode.INTERPRETER, false)) {
            ifElseLoop(f);
            BlockScanner scanner = new BlockScanner(GuestFixture.DECODER, new StorageAccess(f.memory));
            long c = GuestFixture.CODE;
            // From the start: the jump to the test is followed, the test laid out next and the loop after it. The
            // loop is closed by falling into the test, not by a branch back, so it stays in this unit.
            TranslationUnit whole = scanner.scan(f.cpu, c, BlockScanner.MAX_INSNS);
            assertThat(whole.pcs()).containsExactly(c, c + 4, c + 8, c + 12, c + 16, c + 52, c + 56, c + 20, c + 24,
                    c + 28, c + 32, c + 36, c + 44, c + 48, c + 40);
            assertThat(BlockScanner.loopHeads(whole)).isEmpty();

            TranslationUnit u = scanner.scan(f.cpu, c + 20, BlockScanner.MAX_INSNS);
            // From the loop head: its run to the jump to the join; the join and the test, up to the illegal word
            // after the loop; the even arm, which falls into the join laid out before it.
            assertThat(u.pcs()).containsExactly(c + 20, c + 24, c + 28, c + 32, c + 36, c + 44, c + 48, c + 52,
                    c + 56, c + 40);
            assertThat(u.internal()[1]).isEqualTo(9); // beq even
            assertThat(u.internal()[4]).isEqualTo(5); // b join
            assertThat(u.internal()[7]).isEqualTo(0); // bdnz loop
            assertThat(u.fallsIntoNext(8)).isFalse();
            assertThat(u.fallsIntoNext(9)).isFalse();
            assertThat(u.leaders()).containsExactly(true, false, true, false, false, true, false, false, true, true);
            assertThat(u.segments()).containsExactly(0, 20, 24, 40, 20, 24);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aLoopWithAnIfElseRunsAsOneUnitAndMatchesTheInterpreter(boolean le) {
        Differential.compare(le, "if/else loop", ControlFlowTest::ifElseLoop);
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, le)) {
            ifElseLoop(f);
            f.run(100_000);
            assertThat(f.cpu.gpr[3]).isEqualTo(50 * 5 + 50 * 3);
            assertThat(f.cpu.gpr[7]).isEqualTo(400);
            // Set-up and the first test; per even i 6 instructions, per odd i 8; the copy after the loop.
            assertThat(f.cpu.instructions).isEqualTo(5 + 1 + 50 * 6 + 50 * 8 + 1);
        }
    }

    @Test
    void aRegionsLoopLeavesAtTheBudgetAndResumes() {
        // Both of the loop's paths pass a jump backward in layout order (the even arm's fall-through into the
        // join laid out before it, the test's branch to the loop head), each checking the budget.
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, false)) {
            ifElseLoop(f);
            int slices = 0;
            while (f.cpu.pendingInterrupt == null && slices < 1000) {
                long n = f.run(7);
                if (f.cpu.pendingInterrupt == null) {
                    // The budget is checked once per iteration: a slice overshoots it by less than one iteration.
                    assertThat(n).isBetween(7L, 7L + 8);
                }
                slices++;
            }
            assertThat(slices).isGreaterThan(40);
            assertThat(f.cpu.gpr[7]).isEqualTo(400);
            assertThat(f.cpu.instructions).isEqualTo(5 + 1 + 50 * 6 + 50 * 8 + 1);
        }
    }

    @Test
    void aFaultInALaterRunOfARegionLeavesPreciseState() {
        // The load faults in the run the jump leads to, laid out after the entry's run but at a higher address.
        for (boolean le : new boolean[] {false, true}) {
            Differential.compare(le, "fault after a jump", f -> {
                long c = f.next();
                f.code("addi r3,0,1", "addis r5,0,0x4000", "b " + (c + 16), "addi r3,0,99");
                f.code("addi r4,0,2", "ld r6,8(r5)", "addi r7,0,9");
            });
        }
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, false)) {
            long c = f.next();
            f.code("addi r3,0,1", "addis r5,0,0x4000", "b " + (c + 16), "addi r3,0,99");
            f.code("addi r4,0,2", "ld r6,8(r5)", "addi r7,0,9");
            f.cpu.gpr[7] = 77;
            assertThat(f.run(1000)).isEqualTo(4);
            assertThat(f.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.MachineCheck.class);
            assertThat(f.cpu.cia).isEqualTo(c + 20);
            assertThat(f.cpu.nia).isEqualTo(c + 24);
            assertThat(f.cpu.gpr[3]).isEqualTo(1);
            assertThat(f.cpu.gpr[4]).isEqualTo(2);
            assertThat(f.cpu.gpr[7]).isEqualTo(77);
            assertThat(f.cpu.instructions).isEqualTo(4);
        }
    }

    /**
     * A loop whose body calls F (r4 += 1) and walks a list with r21: nodes at DATA, DATA + 16 and DATA + 32, the
     * last one's link an unmapped address, which the fourth iteration's load faults on. The code after the call
     * (r3 += 1) branches back to the loop's head below it.
     */
    private static long loopAroundACall(GuestFixture f) {
        f.memory.store64(GuestFixture.DATA, GuestFixture.DATA + 16, f.order());
        f.memory.store64(GuestFixture.DATA + 16, GuestFixture.DATA + 32, f.order());
        f.memory.store64(GuestFixture.DATA + 32, 0x4000_0000L, f.order());
        f.cpu.gpr[21] = GuestFixture.DATA;
        f.code("addi r3,0,0", "addi r4,0,0");
        long head = f.next();
        f.code("ld r21,0(r21)", "bl " + F);
        f.code("addi r3,r3,1", "b " + head);
        f.memory.store32(F, f.assemble("addi r4,r4,1", F), f.order());
        f.memory.store32(F + 4, f.assemble("bclr 20,0", F + 4), f.order());
        return head;
    }

    @Test
    void theReturnPointsUnitRunsRoundTheLoopToTheNextCallAndFaultsPreciselyBelowItsEntry() {
        for (boolean le : new boolean[] {false, true}) {
            Differential.compare(le, "loop around a call", ControlFlowTest::loopAroundACall);
        }
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, false)) {
            long head = loopAroundACall(f);
            long ret = head + 8;
            BlockScanner scanner = new BlockScanner(GuestFixture.DECODER, new StorageAccess(f.memory));
            // The branch back is followed down to the head, laid out after it, up to the call: no loop in the unit.
            TranslationUnit u = scanner.scan(f.cpu, ret, BlockScanner.MAX_INSNS);
            assertThat(u.pcs()).containsExactly(ret, ret + 4, head, head + 4);
            assertThat(u.segments()).containsExactly(0, 8, -8, 0);
            assertThat(BlockScanner.loopHeads(u)).isEmpty();

            assertThat(f.run(1000)).isEqualTo(2 + 3 * 6); // the set-up, three rounds of 6
            // The fourth load faults inside the return point's unit, at its first instruction below the entry.
            assertThat(f.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.MachineCheck.class);
            assertThat(f.cpu.cia).isEqualTo(head);
            assertThat(f.cpu.nia).isEqualTo(head + 4);
            assertThat(f.cpu.gpr[3]).isEqualTo(3);
            assertThat(f.cpu.gpr[4]).isEqualTo(3);
            assertThat(f.cpu.gpr[21]).isEqualTo(0x4000_0000L);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ld r6,8(r5)", "ldu r6,8(r5)", "stdu r4,16(r5)", "lwzx r6,r5,r4", "dcbz 0,r5"})
    void faultInTheMiddleOfAUnitLeavesPreciseState(String faulting) {
        for (boolean le : new boolean[] {false, true}) {
            Differential.compare(le, faulting, f -> f.code("addi r3,0,1", "addi r4,0,2", "addis r5,0,0x4000",
                    faulting, "addi r7,0,9", "addi r3,0,5"));
        }
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, false)) {
            f.code("addi r3,0,1", "addi r4,0,2", "addis r5,0,0x4000", faulting, "addi r7,0,9");
            f.cpu.gpr[7] = 77;
            assertThat(f.run(1000)).isEqualTo(3);
            assertThat(f.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.MachineCheck.class);
            assertThat(f.cpu.cia).isEqualTo(GuestFixture.CODE + 12);
            assertThat(f.cpu.nia).isEqualTo(GuestFixture.CODE + 16);
            assertThat(f.cpu.gpr[5]).isEqualTo(0x4000_0000L);
            assertThat(f.cpu.gpr[7]).isEqualTo(77);
            assertThat(f.cpu.instructions).isEqualTo(3);
        }
    }

    /**
     * 190 instructions without an unconditional branch, each divduo (an OE form: never inline) a fallback to the
     * interpreter (spilling and reloading its registers): one unit of it would be far over HotSpot's 8000-byte
     * compile limit.
     */
    private static void longStraightLine(GuestFixture f) {
        f.code("addi r3,0,1", "addi r4,0,3", "addis r5,0," + (GuestFixture.DATA >>> 16));
        for (int i = 0; i < 95; i++) {
            f.code("divduo r6,r3,r4", "stdu r6,8(r5)");
        }
        f.code("addi r7,r5,0");
    }

    @Test
    void unitTooLargeForHotSpotIsTranslatedShorterAndMatchesTheInterpreter() {
        Differential.compare(false, "long straight line", ControlFlowTest::longStraightLine);
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, false)) {
            longStraightLine(f);
            TranslationUnit whole = new BlockScanner(GuestFixture.DECODER, new StorageAccess(f.memory))
                    .scan(f.cpu, GuestFixture.CODE, BlockScanner.MAX_INSNS);
            assertThat(whole.length()).isGreaterThan(190);
            f.run(10_000);
            assertThat(f.cpu.gpr[7]).isEqualTo(GuestFixture.DATA + 95 * 8);
            assertThat(((TranslatorExecutor) f.executor).translatedUnits()).isGreaterThan(1);
            assertThat(firstUnitLength(f)).isLessThan(whole.length());
        }
    }

    /**
     * 60 loads and stores: their own bytecode is far below 8000 bytes, but with the memory entry points HotSpot
     * inlines into them (about 170 bytes each) they pass DesiredMethodLimit, so the unit is translated shorter.
     */
    private static void manyAccesses(GuestFixture f) {
        f.code("addis r5,0," + (GuestFixture.DATA >>> 16), "addi r3,0,7");
        for (int i = 0; i < 30; i++) {
            f.code("ld r" + (6 + i % 20) + "," + (8 * i) + "(r5)", "std r3," + (8 * i + 512) + "(r5)");
        }
        f.code("addi r4,r3,1");
    }

    @Test
    void aUnitWhoseInlinedAccessesPassHotSpotsInliningLimitIsTranslatedShorter() {
        Differential.compare(false, "many accesses", ControlFlowTest::manyAccesses);
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, false)) {
            manyAccesses(f);
            f.run(10_000);
            assertThat(f.cpu.gpr[4]).isEqualTo(8);
            assertThat(firstUnitLength(f)).isLessThan(63);
        }
    }

    /** Instructions in the unit translated at the fixture's code start. */
    private static int firstUnitLength(GuestFixture f) {
        TranslatorExecutor t = (TranslatorExecutor) f.executor;
        return t.cache().get(GuestFixture.CODE, f.cpu.msr & TranslationUnit.MODE_MASK, GuestFixture.CODE).length();
    }

    /**
     * main calls F, overwrites F's first instruction (and, on the same page, its own code), calls F again: the
     * second call must run the new instruction.
     */
    private static void selfModifying(GuestFixture f, long target) {
        f.cpu.gpr[20] = GuestFixture.DATA;
        f.cpu.gpr[21] = target;
        f.memory.store32(GuestFixture.DATA, f.assemble("addi r3,r3,100", target), f.order());
        f.code("addi r3,0,0");
        f.code("bl " + target);
        f.code("lwz r5,0(r20)", "stw r5,0(r21)");
        f.code("bl " + target);
        f.code("addi r6,r3,0");
        long saved = f.next();
        // F: r3 += 1; return.
        f.memory.store32(target, f.assemble("addi r3,r3,1", target), f.order());
        f.memory.store32(target + 4, f.assemble("bclr 20,0", target + 4), f.order());
        assertThat(saved).isLessThan(target);
    }

    @ParameterizedTest
    @ValueSource(longs = {GuestFixture.CODE + 0x40, GuestFixture.CODE + 0x2000})
    void storesToTranslatedCodeInvalidateIt(long target) {
        for (boolean le : new boolean[] {false, true}) {
            Differential.compare(le, "self-modifying", f -> selfModifying(f, target));
            try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, le)) {
                selfModifying(f, target);
                f.run(1000);
                assertThat(f.cpu.gpr[6]).isEqualTo(101);
                assertThat(((TranslatorExecutor) f.executor).cache().invalidations()).isGreaterThan(0);
            }
        }
    }

    /**
     * Every compare form (signed and logical, word and doubleword, register and immediate) straight before a
     * branch on each of its field's LT, GT and EQ bits, both senses: r3 counts the branches that fell through,
     * r16 is a signature of which.
     */
    private static void compareBranchPairs(GuestFixture f) {
        f.code("addi r3,0,0", "addi r10,0,-5", "addi r11,0,7", "addis r12,0,0x7fff", "addis r13,0,-32768",
                "addi r15,0,0", "rldicr r14,r12,16,47");
        String[] compares = {"cmp 0,1,r10,r11", "cmp 1,0,r10,r11", "cmpl 2,1,r10,r11", "cmpl 3,0,r10,r11",
            "cmpi 4,1,r10,-5", "cmpi 5,0,r12,0", "cmpli 6,1,r14,0", "cmpli 7,0,r14,0", "cmp 0,0,r13,r15",
            "cmpl 1,0,r13,r15", "cmp 2,1,r14,r15", "cmp 3,0,r14,r15", "cmpl 4,1,r11,r10", "cmpi 5,1,r13,-1"};
        for (String cmp : compares) {
            int field = cmp.charAt(cmp.indexOf(' ') + 1) - '0';
            for (int bit = 0; bit < 3; bit++) {
                for (int bo : new int[] {12, 4}) {
                    long at = f.next();
                    f.code(cmp, "bc " + bo + "," + (4 * field + bit) + "," + (at + 12), "addi r3,r3,1",
                            "rldicl r16,r16,1,0", "xor r16,r16,r3");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void branchesStraightAfterTheirCompareMatchTheInterpreter(boolean le) {
        Differential.compare(le, "compare and branch pairs", ControlFlowTest::compareBranchPairs);
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, le)) {
            compareBranchPairs(f);
            f.run(10_000);
            // Of the two senses on one bit exactly one falls through: 14 compares x 3 bits.
            assertThat(f.cpu.gpr[3]).isEqualTo(14 * 3);
        }
    }

    /** 50 calls through bl/blr, then a jump through CTR. */
    private static void calls(GuestFixture f) {
        f.code("addi r3,0,0", "addi r4,0,50", "mtspr 9,r4");
        long loop = f.next();
        f.code("bl " + F, "bc 16,0," + loop);
        f.code("addis r6,0," + (F >>> 16), "ori r6,r6," + ((F + 8) & 0xffff), "mtspr 9,r6", "bcctr 20,0");
        f.memory.store32(F, f.assemble("addi r3,r3,2", F), f.order());
        f.memory.store32(F + 4, f.assemble("bclr 20,0", F + 4), f.order());
        f.memory.store32(F + 8, f.assemble("addi r3,r3,1000", F + 8), f.order());
        f.memory.store32(F + 12, f.assemble("mfspr r7,8", F + 12), f.order());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void indirectBranchesThroughLinkAndCount(boolean le) {
        Differential.compare(le, "calls", ControlFlowTest::calls);
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, le)) {
            calls(f);
            f.run(10_000);
            assertThat(f.cpu.gpr[3]).isEqualTo(1100);
            assertThat(f.cpu.gpr[7]).isEqualTo(GuestFixture.CODE + 16);
        }
    }

    @Test
    void aUnitTooLargeForOneJvmMethodIsSplit() {
        // 190 fallbacks (mulhd is not inline), each spilling and reloading the 29 registers the adds keep in locals.
        String[] lines = new String[380];
        for (int i = 0; i < 190; i++) {
            lines[2 * i] = "mulhd r" + (3 + i % 29) + ",r" + (3 + (i + 5) % 29) + ",r" + (3 + (i + 11) % 29);
            lines[2 * i + 1] = "add r" + (3 + (i + 7) % 29) + ",r" + (3 + (i + 1) % 29) + ",r" + (3 + (i + 2) % 29);
        }
        Differential.check(false, 42, lines);
    }

    @Test
    void aStoreByAnInterpreterFallbackInvalidatesToo() {
        // dcbz (not inline: it runs the interpreter's semantics through the tracking memory view) clears the
        // 128-byte block holding F after F ran once translated; the second call must hit the zeros (illegal).
        long target = GuestFixture.CODE + 0x2000;
        for (boolean le : new boolean[] {false, true}) {
            java.util.function.Consumer<GuestFixture> program = f -> {
                f.cpu.gpr[21] = target;
                f.code("addi r3,0,0", "bl " + target, "dcbz 0,r21", "bl " + target, "addi r6,r3,0");
                f.memory.store32(target, f.assemble("addi r3,r3,1", target), f.order());
                f.memory.store32(target + 4, f.assemble("bclr 20,0", target + 4), f.order());
            };
            Differential.compare(le, "dcbz over code", program);
            try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, le)) {
                program.accept(f);
                f.run(1000);
                assertThat(f.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.Program.class);
                assertThat(f.cpu.cia).isEqualTo(target);
                assertThat(f.cpu.gpr[3]).isEqualTo(1);
            }
        }
    }

    @Test
    void dataSharingAPageWithCodeDoesNotInvalidateIt() {
        // A loop storing into words just after its own code (same 4 KiB page) 100 times.
        java.util.function.Consumer<GuestFixture> program = f -> {
            f.cpu.gpr[21] = GuestFixture.CODE + 0x100;
            f.code("addi r3,0,0", "addi r4,0,100", "mtspr 9,r4");
            long loop = f.next();
            f.code("addi r3,r3,1", "stw r3,0(r21)", "stdu r3,8(r21)", "bc 16,0," + loop, "lwz r6,-8(r21)");
        };
        Differential.compare(false, "data next to code", program);
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, false)) {
            program.accept(f);
            f.run(10_000);
            assertThat(f.cpu.gpr[6]).isEqualTo(100);
            assertThat(((TranslatorExecutor) f.executor).cache().invalidations()).isZero();
            assertThat(((TranslatorExecutor) f.executor).translatedUnits()).isEqualTo(2); // the set-up, the loop
        }
    }

    /**
     * 36 calls through bcctrl to 12 handlers in turn (more targets than the exit's own one-entry cache holds),
     * then handler 5's first instruction is overwritten and 12 more calls must run the new one.
     */
    private static void handlerTable(GuestFixture f) {
        for (int k = 0; k < 12; k++) {
            long h = F + 16L * k;
            f.memory.store32(h, f.assemble("addi r3,r3," + (k + 1), h), f.order());
            f.memory.store32(h + 4, f.assemble("bclr 20,0", h + 4), f.order());
        }
        for (int i = 0; i < 48; i++) {
            f.memory.store64(GuestFixture.DATA + 8L * i, F + 16L * (i % 12), f.order());
        }
        f.memory.store32(GuestFixture.DATA + 0x1000, f.assemble("addi r3,r3,1000", F + 80), f.order());
        f.cpu.gpr[20] = GuestFixture.DATA + 0x1000;
        f.cpu.gpr[21] = GuestFixture.DATA;
        f.cpu.gpr[22] = F + 80;
        f.code("addi r3,0,0", "addi r4,0,36");
        long loop = f.next();
        f.code("ld r6,0(r21)", "addi r21,r21,8", "mtspr 9,r6", "bcctrl 20,0", "addi r4,r4,-1", "cmpi 0,1,r4,0",
                "bc 4,2," + loop);
        f.code("addi r8,r3,0", "lwz r5,0(r20)", "stw r5,0(r22)", "addi r4,0,12");
        long again = f.next();
        f.code("ld r6,0(r21)", "addi r21,r21,8", "mtspr 9,r6", "bcctrl 20,0", "addi r4,r4,-1", "cmpi 0,1,r4,0",
                "bc 4,2," + again, "addi r9,r3,0");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void indirectCallsToManyTargetsFollowRewrittenCode(boolean le) {
        Differential.compare(le, "handler table", ControlFlowTest::handlerTable);
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, le)) {
            handlerTable(f);
            f.run(100_000);
            assertThat(f.cpu.gpr[8]).isEqualTo(3 * 78);
            // Handler 5 (adding 6) now adds 1000.
            assertThat(f.cpu.gpr[9]).isEqualTo(4 * 78 - 6 + 1000);
        }
    }

    @Test
    void registersAUnitOnlyReadsKeepWhatAFallbackWroteThroughExitsAndFaults() {
        // r6 and r7 are only read by inline code; divdu (a fallback) writes r6 between the reads. The unit leaves
        // through its end or, with r12 unmapped, faults at the ld: either way r6 must be divdu's result.
        for (boolean le : new boolean[] {false, true}) {
            for (long r12 : new long[] {GuestFixture.DATA, 0x4000_0000L}) {
                Differential.compare(le, "fallback-written register, r12=" + Long.toHexString(r12), f -> {
                    f.cpu.gpr[6] = 5;
                    f.cpu.gpr[7] = 7;
                    f.cpu.gpr[8] = 1000;
                    f.cpu.gpr[9] = 10;
                    f.cpu.gpr[12] = r12;
                    f.code("add r5,r6,r7", "divdu r6,r8,r9", "add r10,r6,r7", "ld r11,0(r12)", "addi r13,r6,1");
                });
            }
        }
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, false)) {
            f.cpu.gpr[6] = 5;
            f.cpu.gpr[7] = 7;
            f.cpu.gpr[8] = 1000;
            f.cpu.gpr[9] = 10;
            f.cpu.gpr[12] = 0x4000_0000L;
            f.code("add r5,r6,r7", "divdu r6,r8,r9", "add r10,r6,r7", "ld r11,0(r12)", "addi r13,r6,1");
            f.run(1000);
            assertThat(f.cpu.pendingInterrupt).isNotNull();
            assertThat(f.cpu.gpr[5]).isEqualTo(12);
            assertThat(f.cpu.gpr[6]).isEqualTo(100);
            assertThat(f.cpu.gpr[10]).isEqualTo(107);
        }
    }
    /**
     * r4 counts 100 down; the loop adds 3 to r10 after its exit test in layout order; the exit path, laid out
     * after the back edge, writes r11 and runs into an illegal word.
     */
    private static void loopWithColdExit(GuestFixture f) {
        long c = f.next();
        f.code("addi r4,0,100", "addi r10,0,0");
        f.code("addic. r4,r4,-1", "bc 12,2," + (c + 24), "addi r10,r10,3", "b " + (c + 8));
        f.code("addi r11,r10,1");
    }

    private static long bit(int register) {
        return 1L << register;
    }

    @Test
    void eachExitWritesBackWhatMayBeWrittenOnTheWayToIt() {
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, false)) {
            loopWithColdExit(f);
            long c = GuestFixture.CODE;
            TranslatorExecutor x = (TranslatorExecutor) f.executor;
            TranslationUnit u = x.scanner().scan(f.cpu, c + 8, BlockScanner.MAX_INSNS);
            assertThat(u.pcs()).containsExactly(c + 8, c + 12, c + 16, c + 20, c + 24);
            RegisterWriteFlow flow = x.translator().exitWrites(u);
            long loop = bit(4) | bit(10) | bit(RegisterWriteFlow.CR);
            // The back edge's budget exit: not r11, which only the exit path writes.
            assertThat(flow.exitWrites(c + 8)).isEqualTo(loop);
            // The exit path's: r10 too, though on the first pass it is not written before the exit test: it
            // reaches the test round the back edge.
            assertThat(flow.exitWrites(c + 28)).isEqualTo(loop | bit(11));
            assertThat(flow.hasIndirectExit()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 50, 100_000})
    void aLoopLeavingThroughEitherExitKeepsItsRegisters(long budget) {
        for (boolean le : new boolean[] {false, true}) {
            Differential.compare(le, "loop with a cold exit", ControlFlowTest::loopWithColdExit);
        }
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, false)) {
            loopWithColdExit(f);
            // Leaving at the back edge once the budget is used, then resuming, until the exit path.
            while (f.cpu.pendingInterrupt == null && f.cpu.instructions < 10_000) {
                f.run(budget);
            }
            assertThat(f.cpu.gpr[4]).isZero();
            assertThat(f.cpu.gpr[10]).isEqualTo(3 * 99);
            assertThat(f.cpu.gpr[11]).isEqualTo(3 * 99 + 1);
        }
    }
}
