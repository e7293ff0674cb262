package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Traps and isel (Book I 3.3.11-3.3.12); the compares themselves are checked value by value against QEMU. */
class FixedPointCompareOpsTest {

    private static final GuestInterrupt TRAP = new GuestInterrupt.Program(GuestInterrupt.ProgramReason.TRAP, "");

    private final TestCpu t = TestCpu.bigEndian();

    @AfterEach
    void close() {
        t.close();
    }

    /** Runs one instruction; true when it trapped. */
    private boolean traps(String insn) {
        t.cpu.pendingInterrupt = null;
        long start = TestCpu.CODE + 4L * (insnCount++);
        t.code(insn);
        t.cpu.nia = start;
        long done = t.run(1);
        boolean trapped = TRAP.equals(t.cpu.pendingInterrupt);
        assertThat(done).as(insn).isEqualTo(trapped ? 0 : 1);
        if (!trapped) {
            assertThat(t.cpu.nia).as("falls through").isEqualTo(start + 4);
        }
        return trapped;
    }

    private int insnCount;

    @Test
    void eachToBitSelectsOneComparison() {
        t.set(3, -1).set(4, 1);
        assertThat(traps("td 16,r3,r4")).as("-1 < 1 signed").isTrue();
        assertThat(traps("td 8,r3,r4")).isFalse();
        assertThat(traps("td 2,r3,r4")).as("-1 <u 1").isFalse();
        assertThat(traps("td 1,r3,r4")).as("-1 >u 1").isTrue();
        assertThat(traps("td 4,r3,r4")).isFalse();
        assertThat(traps("td 4,r3,r3")).as("equal").isTrue();
        assertThat(traps("td 0,r3,r3")).as("TO=0 never traps").isFalse();
        assertThat(traps("td 27,r3,r3")).as("every condition but equal").isFalse();
        assertThat(traps("tw 31,r0,r0")).as("trap").isTrue();
    }

    @Test
    void wordTrapsCompareOnlyTheLowWords() {
        t.set(3, 0x1_0000_0005L).set(4, 0x2_0000_0005L);
        assertThat(traps("tw 4,r3,r4")).as("low words equal").isTrue();
        assertThat(traps("td 4,r3,r4")).isFalse();
        t.set(5, 0xffff_ffffL);
        assertThat(traps("twi 16,r5,0")).as("low word is -1 < 0").isTrue();
        assertThat(traps("tdi 16,r5,0")).as("as a doubleword it is positive").isFalse();
        assertThat(traps("tdi 1,r5,-1")).as("0xffffffff >u 0xffff...ffff").isFalse();
        assertThat(traps("twi 4,r5,-1")).isTrue();
    }

    @Test
    void iselPicksRaOrZeroOrRbByTheCrBit() {
        t.set(4, 44).set(5, 55);
        t.cpu.setCrField(7, 0b0010);
        t.exec("isel r3,r4,r5,30", "isel r6,r4,r5,29", "isel r7,r0,r5,30");
        assertThat(t.r(3)).isEqualTo(44);
        assertThat(t.r(6)).isEqualTo(55);
        assertThat(t.r(7)).as("RA=0 reads as 0").isZero();
    }
}
