package dev.pvm.engine.cpu.interp;

import static dev.pvm.engine.cpu.interp.FloatArithmeticOpsTest.bits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.Fpscr;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The FPSCR instructions and the compares (Book I 4.6.8, 4.6.10). */
class FpscrOpsTest {

    private final TestCpu t = TestCpu.bigEndian();

    FpscrOpsTest() {
        t.cpu.setMsr(t.cpu.msr | Msr.FP);
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void compareSetsTheCrFieldAndFpcc() {
        t.cpu.setFprBits(1, bits(1));
        t.cpu.setFprBits(2, bits(2));
        t.cpu.setFprBits(3, bits(-0.0));
        t.cpu.setFprBits(4, 0);
        t.exec("fcmpu cr7,f1,f2", "fcmpo cr6,f2,f1", "fcmpu cr5,f3,f4");
        assertThat(t.cpu.crField(7)).isEqualTo(0b1000);
        assertThat(t.cpu.crField(6)).isEqualTo(0b0100);
        assertThat(t.cpu.crField(5)).as("-0 == +0").isEqualTo(0b0010);
        assertThat(t.cpu.fpscr & Fpscr.FPCC).isEqualTo(0b0010L << 12);
        assertThat(t.cpu.fpscr & Fpscr.EXCEPTIONS).isZero();
    }

    @Test
    void unorderedComparesAndTheirInvalidOperationBits() {
        t.cpu.setFprBits(1, 0x7FF8_0000_0000_0000L);
        t.cpu.setFprBits(2, bits(1));
        t.cpu.setFprBits(3, 0x7FF0_0000_0000_0001L);
        t.exec("fcmpu cr1,f1,f2");
        assertThat(t.cpu.crField(1)).isEqualTo(0b0001);
        assertThat(t.cpu.fpscr & Fpscr.EXCEPTIONS).as("fcmpu: a QNaN is no exception").isZero();
        t.exec("fcmpo cr1,f1,f2");
        assertThat(t.cpu.fpscr & Fpscr.ALL_VX).isEqualTo(Fpscr.VXVC);
        // Only FPCC is altered (Book I 4.6.8): FPRF's C bit stays clear (QEMU 7.2 sets it; fp.c masks it).
        assertThat(t.cpu.fpscr & Fpscr.FPRF).isEqualTo(0b00001L << Fpscr.FPRF_SHIFT);
        t.cpu.fpscr = 0;
        t.exec("fcmpu cr1,f3,f2");
        assertThat(t.cpu.fpscr & Fpscr.ALL_VX).isEqualTo(Fpscr.VXSNAN);
        t.cpu.fpscr = 0;
        t.exec("fcmpo cr1,f3,f2");
        assertThat(t.cpu.fpscr & Fpscr.ALL_VX).isEqualTo(Fpscr.VXSNAN | Fpscr.VXVC);
        t.cpu.fpscr = Fpscr.VE;
        t.exec("fcmpo cr1,f3,f2");
        assertThat(t.cpu.fpscr & Fpscr.ALL_VX).as("VE=1: no VXVC for an SNaN").isEqualTo(Fpscr.VXSNAN);
        assertThat(t.cpu.fpscr & Fpscr.FEX).isNotZero();
    }

    @Test
    void softwareDivideAndSquareRootTests() {
        t.cpu.setFprBits(1, bits(1));
        t.cpu.setFprBits(2, bits(3));
        t.cpu.setFprBits(3, 0);
        t.cpu.setFprBits(4, 1); // denormal
        t.cpu.setFprBits(5, bits(0x1p1021));
        t.exec("ftdiv cr0,f1,f2", "ftdiv cr1,f1,f3", "ftdiv cr2,f1,f4", "ftdiv cr3,f1,f5",
                "ftsqrt cr4,f2", "ftsqrt cr5,f3", "ftsqrt cr6,f4");
        assertThat(t.cpu.crField(0)).isEqualTo(0b1000);
        assertThat(t.cpu.crField(1)).as("zero divisor").isEqualTo(0b1110);
        assertThat(t.cpu.crField(2)).as("denormal divisor").isEqualTo(0b1110);
        assertThat(t.cpu.crField(3)).as("huge divisor").isEqualTo(0b1010);
        assertThat(t.cpu.crField(4)).isEqualTo(0b1000);
        assertThat(t.cpu.crField(5)).isEqualTo(0b1110);
        assertThat(t.cpu.crField(6)).isEqualTo(0b1110);
    }

    @Test
    void mtfsfiSetsAFieldAndFxExplicitly() {
        t.exec("mtfsfi 7,3");
        assertThat(t.cpu.fpscr).isEqualTo(3);
        t.exec("mtfsfi 0,9");
        assertThat(t.cpu.fpscr).as("FX and OX set explicitly; FEX, VX computed").isEqualTo(Fpscr.FX | Fpscr.OX | 3);
        t.exec("mtfsfi 0,6");
        assertThat(t.cpu.fpscr).as("FEX and VX cannot be set").isEqualTo(3);
        t.exec("mtfsfi 7,5,1");
        assertThat(t.cpu.fpscr >>> 32).as("W=1: field 15 is the upper word's DRN nibble").isEqualTo(5);
    }

    @Test
    void mtfsfCopiesTheSelectedFields() {
        t.cpu.setFprBits(1, 0xFFFF_FFFF_FFFF_FFFFL);
        t.exec("mtfsf 0x01,f1");
        assertThat(t.cpu.fpscr).isEqualTo(0xf);
        t.exec("mtfsf 0x40,f1");
        // Field 9 (W=0, FLM bit 1): UX ZX XX VXSNAN. FX by the usual rule, VX from VXSNAN, FEX from XX with XE.
        assertThat(t.cpu.fpscr).isEqualTo(Fpscr.FX | Fpscr.FEX | Fpscr.VX | Fpscr.UX | Fpscr.ZX | Fpscr.XX
                | Fpscr.VXSNAN | 0xf);
        t.exec("mtfsf 0x02,f1");
        assertThat(t.cpu.fpscr & Fpscr.FEX).as("XE, ZE, UE now enabled").isNotZero();
        t.cpu.setFprBits(2, 0);
        t.exec("mtfsf 0xff,f2,1,0");
        assertThat(t.cpu.fpscr).as("L=1 writes everything").isZero();
    }

    @Test
    void mtfsbBits() {
        t.exec("mtfsb1 3");
        assertThat(t.cpu.fpscr).isEqualTo(Fpscr.OX | Fpscr.FX);
        t.exec("mtfsb0 0");
        assertThat(t.cpu.fpscr).isEqualTo(Fpscr.OX);
        t.exec("mtfsb1 30", "mtfsb0 3");
        assertThat(t.cpu.fpscr).isEqualTo(2);
        t.exec("mtfsb1. 2");
        assertThat(t.cpu.fpscr).as("VX cannot be set directly").isEqualTo(2);
        assertThat(t.cpu.crField(1)).isZero();
    }

    @Test
    void mcrfsCopiesAFieldAndClearsItsExceptionBits() {
        t.cpu.fpscr = Fpscr.withSummaries(Fpscr.FX | Fpscr.OX | Fpscr.VXSNAN | Fpscr.VXISI | Fpscr.FR);
        t.exec("mcrfs cr2,cr0");
        assertThat(t.cpu.crField(2)).isEqualTo(0b1011);
        assertThat(t.cpu.fpscr).isEqualTo(Fpscr.VX | Fpscr.VXSNAN | Fpscr.VXISI | Fpscr.FR);
        t.exec("mcrfs cr3,cr1", "mcrfs cr4,cr2");
        assertThat(t.cpu.crField(3)).isEqualTo(0b0001);
        assertThat(t.cpu.crField(4)).isEqualTo(0b1000);
        assertThat(t.cpu.fpscr).as("VXSNAN, VXISI cleared; FR is no exception bit").isEqualTo(Fpscr.FR);
    }

    @Test
    void mffsVariants() {
        t.cpu.fpscr = Fpscr.withSummaries(Fpscr.DRN | Fpscr.FX | Fpscr.ZX | Fpscr.ZE | Fpscr.FI | 0x4000L | 1);
        long all = t.cpu.fpscr;
        t.exec("mffs f1", "mffsl f2", "mffscrni f3,2");
        assertThat(t.cpu.fprBits(1)).isEqualTo(all);
        assertThat(t.cpu.fprBits(2)).isEqualTo(Fpscr.DRN | Fpscr.ZE | Fpscr.FI | 0x4000L | 1);
        assertThat(t.cpu.fprBits(3)).isEqualTo(Fpscr.DRN | Fpscr.ZE | 1);
        assertThat(t.cpu.fpscr & Fpscr.RN).isEqualTo(2);
        t.cpu.setFprBits(4, 3L | (2L << 32));
        t.exec("mffscrn f5,f4", "mffscdrn f6,f4", "mffscdrni f7,1");
        assertThat(t.cpu.fpscr & Fpscr.RN).isEqualTo(3);
        assertThat(t.cpu.fpscr >>> 32).isEqualTo(1);
        assertThat(t.cpu.fprBits(7) >>> 32).isEqualTo(2);
        t.exec("mffsce f8");
        assertThat(t.cpu.fprBits(8) & Fpscr.ZE).isNotZero();
        assertThat(t.cpu.fpscr & (Fpscr.ENABLES | Fpscr.FEX)).as("enables cleared, FEX follows").isZero();
        t.exec("mffs. f9");
        assertThat(t.cpu.crField(1)).isEqualTo(0b1000);
    }

    @Test
    void enablingAPendingExceptionInterrupts() {
        t.cpu.setMsr(t.cpu.msr | Msr.FE0);
        t.cpu.fpscr = Fpscr.raise(0, Fpscr.ZX);
        t.exec("mtfsb1 27");
        assertThat(t.cpu.fpscr & Fpscr.FEX).isNotZero();
        assertThat(t.cpu.pendingInterrupt).isEqualTo(
                new GuestInterrupt.Program(GuestInterrupt.ProgramReason.FLOATING_POINT_ENABLED, ""));
    }
}
