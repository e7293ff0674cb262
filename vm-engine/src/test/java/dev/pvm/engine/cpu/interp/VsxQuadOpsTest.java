package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Quad precision: rounding once to nearest even or to odd, and the ISA 3.1 rows QEMU's POWER9 model lacks. */
class VsxQuadOpsTest {

    private static final long ONE = 0x3FFF_0000_0000_0000L;
    private final TestCpu t = TestCpu.bigEndian();

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
    void aHalfUlpTieRoundsToEvenOrToOdd() {
        v(2, ONE, 0);
        v(3, 0x3F8E_0000_0000_0000L, 0); // 2^-113: half an ulp of 1.0
        t.exec("xsaddqp 4,2,3", "xsaddqpo 5,2,3");
        assertThat(v(4)).isEqualTo("3fff000000000000_0000000000000000");
        assertThat(v(5)).isEqualTo("3fff000000000000_0000000000000001");
    }

    @Test
    void divisionAndSquareRootAreCorrectlyRounded() {
        v(2, ONE, 0);
        v(3, 0x4000_8000_0000_0000L, 0); // 3.0
        v(6, 0x4000_0000_0000_0000L, 0); // 2.0
        t.exec("xsdivqp 4,2,3", "xssqrtqp 5,6");
        // 1/3 = 0x3ffd5555...5555 (the tail 0101... rounds down); sqrt(2) = 1.6a09e667f3bcc908b2fb1366ea957d3e...
        assertThat(v(4)).isEqualTo("3ffd555555555555_5555555555555555");
        assertThat(v(5)).isEqualTo("3fff6a09e667f3bc_c908b2fb1366ea95");
    }

    @Test
    void isa31IntegerConversionsSaturateAndRound() {
        v(2, -1L, -1L);
        t.exec("xscvsqqp 3,2", "xscvuqqp 4,2");
        assertThat(v(3)).isEqualTo("bfff000000000000_0000000000000000"); // -1
        assertThat(v(4)).isEqualTo("407f000000000000_0000000000000000"); // 2^128 - 1 rounds to 2^128
        v(5, 0xC000_4000_0000_0000L, 0); // -2.5
        t.exec("xscvqpsqz 6,5", "xscvqpuqz 7,5");
        assertThat(v(6)).isEqualTo("ffffffffffffffff_fffffffffffffffe");
        assertThat(v(7)).isEqualTo("0000000000000000_0000000000000000");
    }

    @Test
    void isa31ComparesGiveMasksAndFalseForNan() {
        v(2, 0x4000_0000_0000_0000L, 0);
        v(3, ONE, 0);
        v(4, 0x7FFF_8000_0000_0000L, 0);
        t.exec("xscmpgtqp 5,2,3", "xscmpgeqp 6,3,2", "xscmpeqqp 7,4,4", "xscmpuqp 7,4,3");
        assertThat(v(5)).isEqualTo("ffffffffffffffff_ffffffffffffffff");
        assertThat(v(6)).isEqualTo("0000000000000000_0000000000000000");
        assertThat(v(7)).isEqualTo("0000000000000000_0000000000000000");
        assertThat(t.cpu.crField(7)).isEqualTo(0b0001);
    }
}
