package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** VMX integer instructions with hand-computed expected vectors (element 0 is the leftmost, Book I 6.3). */
class VectorIntegerOpsTest {

    private final TestCpu t = TestCpu.littleEndian();

    @AfterEach
    void close() {
        t.close();
    }

    private void v(int n, long hi, long lo) {
        t.cpu.vsrHi[32 + n] = hi;
        t.cpu.vsrLo[32 + n] = lo;
    }

    private String v(int n) {
        return String.format("%016x_%016x", t.cpu.vsrHi[32 + n], t.cpu.vsrLo[32 + n]);
    }

    @Test
    void vbpermqGathersTheBitsNamedByEachByte() {
        // VRB's bytes index VRA's bits: 0..15 pick the first 16 bits of VRA; 127 the last; 128 and above give 0.
        v(3, 0x0001_0203_0405_0607L, 0x0809_0a0b_0c0d_0e0fL);
        v(2, 0xa5c3_0000_0000_0000L, 0x0000_0000_0000_0001L);
        t.exec("vbpermq 1,2,3");
        assertThat(v(1)).isEqualTo("000000000000a5c3_0000000000000000");
        v(3, 0x7f80_ff00_0000_0000L, 0);
        t.exec("vbpermq 1,2,3");
        // Byte 0 (127) picks VRA's last bit (1), bytes 1-2 are out of range, bytes 3-15 (0) pick bit 0 (1).
        assertThat(v(1)).isEqualTo("0000000000009fff_0000000000000000");
    }

    @Test
    void saturatingAddSetsStickySatOnlyWhenItClamps() {
        v(2, 0x7f80_ff00_0102_0304L, 0);
        v(3, 0x0180_0100_0102_0304L, 0);
        t.exec("vaddubs 1,2,3");
        assertThat(v(1)).isEqualTo("80ffff0002040608_0000000000000000");
        assertThat(t.cpu.vscr & VectorIntegerOps.VSCR_SAT).isEqualTo(1);
        t.exec("vaddsbs 1,2,3");
        // 0x7f+1 -> 0x7f, -128 + -128 -> -128, -1 + 1 -> 0
        assertThat(v(1)).isEqualTo("7f80000002040608_0000000000000000");
        t.cpu.vscr = 0;
        t.exec("vaddubm 4,2,2", "vsububs 5,3,3");
        assertThat(t.cpu.vscr).isZero();
        t.exec("mfvscr 6");
        assertThat(v(6)).isEqualTo("0000000000000000_0000000000000000");
    }

    @Test
    void recordFormComparesSetCr6AllOrNone() {
        v(2, 5, 6);
        v(3, 5, 6);
        t.exec("vcmpequw. 1,2,3");
        assertThat(v(1)).isEqualTo("ffffffffffffffff_ffffffffffffffff");
        assertThat(t.cpu.crField(6)).isEqualTo(0b1000);
        t.exec("vcmpgtuw. 1,2,3");
        assertThat(t.cpu.crField(6)).isEqualTo(0b0010);
        v(3, 4, 6);
        t.exec("vcmpequd. 1,2,3");
        assertThat(v(1)).isEqualTo("0000000000000000_ffffffffffffffff");
        assertThat(t.cpu.crField(6)).isZero();
    }

    @Test
    void vcmpnezbFindsTheTerminatingZeroByte() {
        // glibc's POWER9 strlen: vcmpnezb. against a zero vector marks the first NUL; vctzlsbb counts to it.
        v(2, 0x6869_2100_4142_4344L, -1L);
        v(3, 0, 0);
        t.exec("vcmpnezb. 1,2,3", "vclzlsbb 7,1", "vctzlsbb 8,1");
        assertThat(t.r(7)).isZero();
        v(1, 0x0000_00ff_0000_0000L, 0);
        t.exec("vclzlsbb 7,1");
        assertThat(t.r(7)).isEqualTo(3);
    }

    @Test
    void sumAcrossSaturatesAndLeavesTheOtherWordsZero() {
        v(2, 0x7fff_ffff_0000_0001L, 0x0000_0002_0000_0003L);
        v(3, 0, 0x0000_0000_0000_0010L);
        t.exec("vsumsws 1,2,3");
        assertThat(v(1)).isEqualTo("0000000000000000_000000007fffffff");
        assertThat(t.cpu.vscr & VectorIntegerOps.VSCR_SAT).isEqualTo(1);
    }

    @Test
    void packSaturatesSignedHalfwordsToUnsignedBytes() {
        v(2, 0x0100_00ff_ff80_0042L, 0x7fff_8000_0000_0001L);
        v(3, 0, 0);
        t.exec("vpkshus 1,2,3");
        // 256 -> 255 and -128 -> 0 saturate; 0x7fff -> 255, 0x8000 -> 0.
        assertThat(v(1)).isEqualTo("ffff0042ff000001_0000000000000000");
    }

    @Test
    void wholeRegisterShiftsTakeTheirCountFromTheLastByte() {
        v(2, 0x8000_0000_0000_0001L, 0x8000_0000_0000_0000L);
        v(3, 0, 0x0000_0000_0000_0009L); // vsl: 1 bit (low 3 bits); vslo: 1 octet (bits 121:124)
        t.exec("vsl 1,2,3", "vslo 4,2,3");
        assertThat(v(1)).isEqualTo("0000000000000003_0000000000000000");
        assertThat(v(4)).isEqualTo("0000000000000180_0000000000000000");
    }

    @Test
    void vrldmiInsertsTheRotatedSourceUnderTheMask() {
        // Doubleword 0: rotate left 8, MASK(48, 55) (mb = 48 in bits 42:47, me = 55 in bits 50:55): byte 6 from
        // the rotated source, the rest kept. Doubleword 1: rotate 0, MASK(60, 3) wraps: bits 60:63 and 0:3.
        v(2, 0x1122_3344_5566_7788L, 0x0123_4567_89ab_cdefL);
        v(3, (48L << 16) | (55L << 8) | 8, (60L << 16) | (3L << 8));
        v(1, 0xffff_ffff_ffff_ffffL, 0);
        t.exec("vrldmi 1,2,3");
        assertThat(v(1)).isEqualTo("ffffffffffff88ff_000000000000000f");
    }

    @Test
    void vextractbmGathersTheByteSignBits() {
        v(2, 0x8000_ff7f_0180_0000L, 0xffff_0000_0000_0081L);
        t.exec("vextractbm 7,2");
        assertThat(t.r(7)).isEqualTo(0b1010_0100_1100_0001L);
    }
}
