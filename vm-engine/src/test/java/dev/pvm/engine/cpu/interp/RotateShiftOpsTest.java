package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RotateShiftOpsTest {

    private final TestCpu t = TestCpu.bigEndian();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void masksFollowTheIsaBitNumbering() {
        assertThat(RotateShiftOps.mask(0, 63)).isEqualTo(-1L);
        assertThat(RotateShiftOps.mask(32, 63)).isEqualTo(0xffff_ffffL);
        assertThat(RotateShiftOps.mask(0, 0)).isEqualTo(Long.MIN_VALUE);
        assertThat(RotateShiftOps.mask(63, 63)).isEqualTo(1);
        assertThat(RotateShiftOps.mask(60, 3)).as("wraps").isEqualTo(0xf000_0000_0000_000fL);
    }

    @Test
    void wordRotatesUseTheDuplicatedLowWord() {
        t.set(4, 0xdead_beef_8000_0001L).exec("rlwinm r3,r4,1,0,31", "rlwinm r5,r4,0,24,31", "rlwinm r6,r4,4,28,3",
                "rlwinm. r7,r4,0,1,30");
        assertThat(t.r(3)).isEqualTo(0x0000_0003L);
        assertThat(t.r(5)).isEqualTo(0x01);
        assertThat(t.r(6)).as("mb > me keeps the wrapped high part").isEqualTo(0x0000_0018_0000_0008L);
        assertThat(t.r(7)).isZero();
        assertThat(t.cpu.crField(0)).isEqualTo(0b0010);
        t.set(3, 0xffff_ffffL).set(4, 0x12).set(5, 4).exec("rlwimi r3,r4,8,16,23", "rlwnm r6,r4,r5,0,31");
        assertThat(t.r(3)).isEqualTo(0xffff_12ffL);
        assertThat(t.r(6)).isEqualTo(0x120);
    }

    @Test
    void doublewordRotates() {
        t.set(4, 0x8000_0000_0000_00ffL).exec("rldicl r3,r4,0,32", "rldicl r5,r4,60,4", "rldicr r6,r4,4,59",
                "rldic r7,r4,8,48", "rldcl r8,r4,r9,56");
        assertThat(t.r(3)).isEqualTo(0xff);
        assertThat(t.r(5)).isEqualTo(0x0800_0000_0000_000fL);
        assertThat(t.r(6)).isEqualTo(0xff0L);
        assertThat(t.r(7)).isEqualTo(0xff00L);
        assertThat(t.r(8)).isEqualTo(0xff);
        t.set(3, -1).set(4, 0xabcd).exec("rldimi r3,r4,32,16");
        assertThat(t.r(3)).isEqualTo(0xffff_abcd_ffff_ffffL);
        t.set(4, 0xf0).set(5, 4).exec("rldcr r6,r4,r5,55");
        assertThat(t.r(6)).isEqualTo(0xf00);
    }

    @ParameterizedTest(name = "shift by {0}")
    @CsvSource({
        "0,  0x80000001, 0x80000001, 0x0000000080000001, 0x0000000080000001",
        "1,  0x00000002, 0x40000000, 0x0000000100000002, 0x0000000040000000",
        "31, 0x80000000, 0x00000001, 0x4000000080000000, 0x0000000000000001",
        "32, 0x00000000, 0x00000000, 0x8000000100000000, 0x0000000000000000",
        "63, 0x00000000, 0x00000000, 0x8000000000000000, 0x0000000000000000",
        "64, 0x80000001, 0x80000001, 0x0000000000000000, 0x0000000000000000"})
    /** Word shifts read 6 bits of RB (64 is 0 for them), doubleword shifts 7 bits. */
    void logicalShiftsHandleTheWholeAmountRange(int n, String slw, String srw, String sld, String srd) {
        t.set(4, 0x8000_0001L).set(5, n).exec("slw r3,r4,r5", "srw r6,r4,r5", "sld r7,r4,r5", "srd r8,r4,r5");
        assertThat(t.r(3)).isEqualTo(Long.decode(slw));
        assertThat(t.r(6)).isEqualTo(Long.decode(srw));
        assertThat(t.r(7)).isEqualTo(Long.parseUnsignedLong(sld.substring(2), 16));
        assertThat(t.r(8)).isEqualTo(Long.parseUnsignedLong(srd.substring(2), 16));
    }

    @Test
    void algebraicShiftsSetCarryWhenOnesFallOffANegativeNumber() {
        t.set(4, 0xffff_ffff_ffff_fff5L).set(5, 1).exec("sraw r3,r4,r5");
        assertThat(t.r(3)).isEqualTo(-6);
        assertThat(t.cpu.ca).isEqualTo(1);
        assertThat(t.cpu.ca32).isEqualTo(1);
        t.set(4, -8).exec("srawi r3,r4,2");
        assertThat(t.r(3)).isEqualTo(-2);
        assertThat(t.cpu.ca).isZero();
        t.set(4, 0x8000_0000L).set(5, 40).exec("sraw r3,r4,r5");
        assertThat(t.r(3)).as("amount >= 32: all sign").isEqualTo(-1);
        assertThat(t.cpu.ca).isEqualTo(1);
        t.set(4, 7).set(5, 0).exec("sraw r3,r4,r5", "srad r6,r4,r5");
        assertThat(t.r(3)).isEqualTo(7);
        assertThat(t.cpu.ca).isZero();
        t.set(4, Long.MIN_VALUE + 1).set(5, 64).exec("srad r3,r4,r5");
        assertThat(t.r(3)).isEqualTo(-1);
        assertThat(t.cpu.ca).isEqualTo(1);
        t.set(4, -5).exec("sradi r3,r4,1", "sradi. r6,r4,63");
        assertThat(t.r(3)).isEqualTo(-3);
        assertThat(t.r(6)).isEqualTo(-1);
        assertThat(t.cpu.ca).isEqualTo(1);
        assertThat(t.cpu.crField(0) & 0b1000).isNotZero();
    }
}
