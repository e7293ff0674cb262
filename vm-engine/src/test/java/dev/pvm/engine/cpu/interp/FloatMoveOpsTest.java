package dev.pvm.engine.cpu.interp;

import static dev.pvm.engine.cpu.interp.FloatArithmeticOpsTest.bits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.Fpscr;
import dev.pvm.engine.cpu.Msr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FloatMoveOpsTest {

    private static final long SNAN = 0x7FF0_0000_0000_0001L;

    private final TestCpu t = TestCpu.bigEndian();

    FloatMoveOpsTest() {
        t.cpu.setMsr(t.cpu.msr | Msr.FP);
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void movesAreBitOperationsThatLeaveTheFpscrAlone() {
        t.cpu.setFprBits(2, SNAN);
        t.cpu.setFprBits(3, bits(-2.0));
        t.exec("fmr f1,f2", "fneg f4,f2", "fabs f5,f3", "fnabs f6,f2", "fcpsgn f7,f3,f2");
        assertThat(t.cpu.fprBits(1)).isEqualTo(SNAN);
        assertThat(t.cpu.fprBits(4)).isEqualTo(SNAN | Long.MIN_VALUE);
        assertThat(t.cpu.fprBits(5)).isEqualTo(bits(2.0));
        assertThat(t.cpu.fprBits(6)).isEqualTo(SNAN | Long.MIN_VALUE);
        assertThat(t.cpu.fprBits(7)).as("sign of FRA, rest of FRB").isEqualTo(SNAN | Long.MIN_VALUE);
        assertThat(t.cpu.fpscr).isZero();
    }

    @Test
    void recordFormCopiesTheFpscrSummaryIntoCr1() {
        t.cpu.fpscr = Fpscr.FX | Fpscr.OX;
        t.exec("fmr. f1,f2");
        assertThat(t.cpu.crField(1)).isEqualTo(0b1001);
    }

    @Test
    void mergeWords() {
        t.cpu.setFprBits(2, 0x1111_2222_3333_4444L);
        t.cpu.setFprBits(3, 0x5555_6666_7777_8888L);
        t.exec("fmrgew f1,f2,f3", "fmrgow f4,f2,f3");
        assertThat(t.cpu.fprBits(1)).isEqualTo(0x1111_2222_5555_6666L);
        assertThat(t.cpu.fprBits(4)).isEqualTo(0x3333_4444_7777_8888L);
    }

    @Test
    void selectTakesFrcWhenFraIsAtLeastZero() {
        t.cpu.setFprBits(3, bits(3));
        t.cpu.setFprBits(4, bits(4));
        t.cpu.setFprBits(2, bits(-0.0));
        t.exec("fsel f1,f2,f3,f4");
        assertThat(t.cpu.fprBits(1)).as("-0 >= 0").isEqualTo(bits(3));
        t.cpu.setFprBits(2, bits(-1e-300));
        t.exec("fsel f1,f2,f3,f4");
        assertThat(t.cpu.fprBits(1)).isEqualTo(bits(4));
        t.cpu.setFprBits(2, 0x7FF8_0000_0000_0000L);
        t.exec("fsel f1,f2,f3,f4");
        assertThat(t.cpu.fprBits(1)).as("NaN selects FRB").isEqualTo(bits(4));
        assertThat(t.cpu.fpscr).isZero();
    }
}
