package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FixedPointLogicalOpsTest {

    private final TestCpu t = TestCpu.bigEndian();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void immediatesAreUnsignedAndShiftedForTheS_forms() {
        t.set(4, -1).exec("andi. r3,r4,0x8000", "andis. r5,r4,0x8000", "ori r6,r0,0xffff", "oris r7,r6,0xffff",
                "xori r8,r4,1", "xoris r9,r4,0x8000");
        assertThat(t.r(3)).isEqualTo(0x8000);
        assertThat(t.r(5)).isEqualTo(0x8000_0000L);
        assertThat(t.cpu.crField(0)).as("andis. result is positive").isEqualTo(0b0100);
        assertThat(t.r(6)).isEqualTo(0xffff);
        assertThat(t.r(7)).isEqualTo(0xffff_ffffL);
        assertThat(t.r(8)).isEqualTo(-2);
        assertThat(t.r(9)).isEqualTo(0xffff_ffff_7fff_ffffL);
    }

    @Test
    void registerForms() {
        t.set(4, 0b1100).set(5, 0b1010).exec("and r3,r4,r5", "andc r6,r4,r5", "or r7,r4,r5", "orc r8,r4,r5",
                "xor r9,r4,r5", "nand r10,r4,r5", "nor r11,r4,r5", "eqv r12,r4,r5");
        assertThat(t.r(3)).isEqualTo(0b1000);
        assertThat(t.r(6)).isEqualTo(0b0100);
        assertThat(t.r(7)).isEqualTo(0b1110);
        assertThat(t.r(8)).isEqualTo(~0b1010L | 0b1100);
        assertThat(t.r(9)).isEqualTo(0b0110);
        assertThat(t.r(10)).isEqualTo(~0b1000L);
        assertThat(t.r(11)).isEqualTo(~0b1110L);
        assertThat(t.r(12)).isEqualTo(~0b0110L);
        t.set(4, 0).exec("or. r3,r4,r4");
        assertThat(t.cpu.crField(0)).isEqualTo(0b0010);
    }

    @Test
    void signExtensionAndCounts() {
        t.set(4, 0x1234_5678_8765_43f0L).exec("extsb r3,r4", "extsh r5,r4", "extsw r6,r4", "cntlzw r7,r4",
                "cntlzd r8,r4", "cnttzw r9,r4", "cnttzd r10,r4");
        assertThat(t.r(3)).isEqualTo(-16);
        assertThat(t.r(5)).isEqualTo(0x43f0);
        assertThat(t.r(6)).isEqualTo(0xffff_ffff_8765_43f0L);
        assertThat(t.r(7)).isZero();
        assertThat(t.r(8)).isEqualTo(3);
        assertThat(t.r(9)).isEqualTo(4);
        assertThat(t.r(10)).isEqualTo(4);
        t.set(4, 0).exec("cntlzw r7,r4", "cntlzd r8,r4", "cnttzw r9,r4", "cnttzd. r10,r4");
        assertThat(t.r(7)).isEqualTo(32);
        assertThat(t.r(8)).isEqualTo(64);
        assertThat(t.r(9)).isEqualTo(32);
        assertThat(t.r(10)).isEqualTo(64);
        assertThat(t.cpu.crField(0)).isEqualTo(0b0100);
    }

    @Test
    void populationCountsPerByteWordAndDoubleword() {
        t.set(4, 0xff01_0300_0000_0007L).exec("popcntb r3,r4", "popcntw r5,r4", "popcntd r6,r4");
        assertThat(t.r(3)).isEqualTo(0x0801_0200_0000_0003L);
        assertThat(t.r(5)).isEqualTo((11L << 32) | 3);
        assertThat(t.r(6)).isEqualTo(14);
    }

    @Test
    void compareBytes() {
        t.set(4, 0x1122_3344_5566_7788L).set(5, 0x1100_3300_5500_7700L).exec("cmpb r3,r4,r5");
        assertThat(t.r(3)).isEqualTo(0xff00_ff00_ff00_ff00L);
        // Bytes differing only in the high bit or only in the low bit, and 0x7f/0xff/0x80 neighbours.
        t.set(4, 0x8001_7fff_0080_ff7fL).set(5, 0x0000_7fff_0000_7f7fL).exec("cmpb r3,r4,r5");
        assertThat(t.r(3)).isEqualTo(0x0000_ffff_ff00_00ffL);
    }
}
