package dev.pvm.engine.cpu.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With a translation threshold, code is interpreted block by block until it has been entered often enough. */
class TranslationThresholdTest {

    /** r3 = 3 * 1000 through a bdnz loop, then r5 = r3 + 1 and an illegal word (zeroed memory) that stops it. */
    private static void countingLoop(GuestFixture f) {
        f.code("addi r3,0,0", "addi r4,0,1000", "mtspr 9,r4");
        long loop = f.next();
        f.code("addi r3,r3,3", "bc 16,0," + loop, "addi r5,r3,1");
    }

    private static TranslatorExecutor translator(GuestFixture f) {
        return (TranslatorExecutor) f.executor;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aLoopIsInterpretedUntilHotThenTranslatedWithTheSameResult(boolean le) {
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, le)) {
            countingLoop(f);
            translator(f).translateAfter(10);
            f.run(100_000);
            assertThat(f.cpu.gpr[3]).isEqualTo(3000);
            assertThat(f.cpu.gpr[5]).isEqualTo(3001);
            assertThat(f.cpu.instructions).isEqualTo(3 + 2 * 1000 + 1);
            assertThat(f.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.Program.class);
            // The loop head reached its tenth arrival: one unit, which then ran the remaining iterations itself.
            assertThat(translator(f).translatedUnits()).isEqualTo(1);
        }
    }

    @Test
    void codeEnteredFewerTimesThanTheThresholdIsNeverTranslated() {
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, false)) {
            countingLoop(f);
            translator(f).translateAfter(5000);
            f.run(100_000);
            assertThat(f.cpu.gpr[3]).isEqualTo(3000);
            assertThat(f.cpu.instructions).isEqualTo(3 + 2 * 1000 + 1);
            assertThat(translator(f).translatedUnits()).isZero();
        }
    }

    @Test
    void theBudgetStopsAnInterpretedBlockExactly() {
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, false)) {
            f.code("addi r3,0,1", "addi r4,0,2", "addi r5,0,3", "addi r6,0,4");
            translator(f).translateAfter(100);
            assertThat(f.run(2)).isEqualTo(2);
            assertThat(f.cpu.nia).isEqualTo(GuestFixture.CODE + 8);
            assertThat(f.cpu.gpr[5]).isZero();
        }
    }

    @Test
    void aFaultInAnInterpretedBlockLeavesPreciseState() {
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, false)) {
            f.code("addi r3,0,1", "addi r4,0,2", "addis r5,0,0x4000", "ld r6,8(r5)", "addi r7,0,9");
            f.cpu.gpr[7] = 77;
            translator(f).translateAfter(100);
            assertThat(f.run(1000)).isEqualTo(3);
            assertThat(f.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.MachineCheck.class);
            assertThat(f.cpu.cia).isEqualTo(GuestFixture.CODE + 12);
            assertThat(f.cpu.gpr[7]).isEqualTo(77);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aStoreIntoColdCodeIsSeenByTheNextInstruction(boolean le) {
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, le)) {
            // The store rewrites the instruction right after it, which the decoded unit had already decoded.
            f.code("addi r5,0," + GuestFixture.CODE, "addi r3,0,1", "stw r4,12(r5)", "addi r3,0,3");
            f.cpu.gpr[4] = f.assemble("addi r3,0,7", GuestFixture.CODE + 12) & 0xFFFF_FFFFL;
            translator(f).translateAfter(100);
            f.run(4);
            assertThat(f.cpu.gpr[3]).isEqualTo(7);
            assertThat(f.cpu.instructions).isEqualTo(4);
        }
    }

    @Test
    void aNegativeThresholdIsRefused() {
        try (GuestFixture f = new GuestFixture(ExecutionMode.TRANSLATOR, false)) {
            assertThatThrownBy(() -> translator(f).translateAfter(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-1");
        }
    }
}
