package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.Fpscr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** VSX floating point: NaN rules (Book I 4.3.2), fused multiply-add, min/max, conversions, compares. */
class VsxFloatOpsTest {

    private static final long SNAN = 0x7ff4_0000_0000_1234L;
    private final TestCpu t = TestCpu.littleEndian();

    @AfterEach
    void close() {
        t.close();
    }

    private void d(int n, double v) {
        t.cpu.setFprBits(n, Double.doubleToRawLongBits(v));
    }

    private double d(int n) {
        return Double.longBitsToDouble(t.cpu.fprBits(n));
    }

    @Test
    void invalidOperationsGiveTheDefaultNanAndNanOperandsPropagateQuieted() {
        d(1, Double.POSITIVE_INFINITY);
        d(2, Double.NEGATIVE_INFINITY);
        t.cpu.setFprBits(3, SNAN);
        d(4, 1.0);
        t.exec("xsadddp 5,1,2", "xsmuldp 6,4,3", "xssqrtdp 7,2");
        assertThat(t.cpu.fprBits(5)).isEqualTo(0x7ff8_0000_0000_0000L);
        assertThat(t.cpu.fprBits(6)).isEqualTo(0x7ffc_0000_0000_1234L);
        assertThat(t.cpu.fprBits(7)).isEqualTo(0x7ff8_0000_0000_0000L);
        // The scalar result clears doubleword 1.
        assertThat(t.cpu.vsrLo[5]).isZero();
    }

    @Test
    void vectorTestDataClassSetsEachMatchingElementToOnes() {
        // DCMX: NaN 0x40, +inf 0x20, -inf 0x10, +0 0x08, -0 0x04, +denormal 0x02, -denormal 0x01.
        t.cpu.vsrHi[1] = 0x0000_0000_0000_0001L; // +denormal
        t.cpu.vsrLo[1] = 0xfff0_0000_0000_0000L; // -infinity
        t.cpu.vsrHi[2] = 0x7fc0_0000_8000_0000L; // words: NaN, -0
        t.cpu.vsrLo[2] = 0x0000_0001_3f80_0000L; // words: +denormal, 1.0 (normal: no class bit)
        t.exec("xvtstdcdp 3,1,2", "xvtstdcdp 4,1,0x10", "xvtstdcdp 5,1,0x6d", "xvtstdcsp 6,2,0x46",
                "xvtstdcsp 7,2,0x7f");
        assertThat(new long[] {t.cpu.vsrHi[3], t.cpu.vsrLo[3]}).containsExactly(-1L, 0L);
        assertThat(new long[] {t.cpu.vsrHi[4], t.cpu.vsrLo[4]}).containsExactly(0L, -1L);
        assertThat(new long[] {t.cpu.vsrHi[5], t.cpu.vsrLo[5]}).containsExactly(0L, 0L);
        assertThat(new long[] {t.cpu.vsrHi[6], t.cpu.vsrLo[6]}).containsExactly(0xffff_ffff_ffff_ffffL,
                0xffff_ffff_0000_0000L);
        assertThat(new long[] {t.cpu.vsrHi[7], t.cpu.vsrLo[7]}).containsExactly(-1L, 0xffff_ffff_0000_0000L);
    }

    @Test
    void fusedMultiplyAddRoundsOnce() {
        // (1 + 2^-30)^2 - (1 + 2^-29) = 2^-60 exactly; a separately rounded product would give 0.
        double x = 1 + 0x1p-30;
        d(1, x);
        d(2, x);
        d(3, 1 + 0x1p-29);
        t.exec("xsmsubadp 3,1,2");
        assertThat(d(3)).isEqualTo(0x1p-60);
        // The M form multiplies by the target: 2 * 3 + 4.
        d(4, 2);
        d(5, 3);
        d(6, 4);
        t.exec("xsmaddmdp 5,4,6", "xsnmaddadp 6,4,4");
        assertThat(d(5)).isEqualTo(10.0);
        assertThat(d(6)).isEqualTo(-8.0);
    }

    /** Operand pairs that between them raise every exception class of the arithmetic rows. */
    private static final double[][] OPERANDS = {
        {1.0, 3.0}, {-1.0, 3.0}, {Double.MAX_VALUE, Double.MAX_VALUE}, {0x1p-1000, 0x1p-70},
        {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}, {Double.POSITIVE_INFINITY, 0.0}, {0.0, 0.0},
        {-2.0, 0.0}, {-4.0, 1e-300}, {1e200, -1e-200}, {0x1p-149, 0.5},
    };

    /** Starting FPSCRs: each rounding mode, and enabled invalid, zero-divide, overflow/underflow/inexact. */
    private static final long[] FPSCRS = {
        Fpscr.ROUND_NEAREST, Fpscr.ROUND_TOWARD_ZERO, Fpscr.ROUND_TOWARD_PLUS_INFINITY,
        Fpscr.ROUND_TOWARD_MINUS_INFINITY, Fpscr.VE, Fpscr.ZE, Fpscr.OE | Fpscr.UE | Fpscr.XE,
    };

    /**
     * Runs {@code vsx} (target 3, which also holds the third operand) and {@code fpr} (target 4, preset to the same
     * value) on registers 1, 2 and 3 from the same FPSCR, and requires the same target and FPSCR.
     */
    private void assertSameAsFprForm(String vsx, String fpr, long a, long b, long third, long fpscr) {
        long[] results = new long[4];
        for (int k = 0; k < 2; k++) {
            t.cpu.setFprBits(1, a);
            t.cpu.setFprBits(2, b);
            t.cpu.setFprBits(3, third);
            t.cpu.setFprBits(4, third);
            t.cpu.fpscr = fpscr;
            t.exec(k == 0 ? vsx : fpr);
            results[2 * k] = t.cpu.fprBits(k == 0 ? 3 : 4);
            results[2 * k + 1] = t.cpu.fpscr;
        }
        assertThat(new long[] {results[0], results[1]})
                .as("%s vs %s on %x, %x, %x, FPSCR %x", vsx, fpr, a, b, third, fpscr)
                .containsExactly(results[2], results[3]);
    }

    @Test
    void scalarArithmeticRoundsAndSignalsAsTheFprForms() {
        String[][] pairs = {
            {"xsadddp 3,1,2", "fadd 4,1,2"}, {"xssubdp 3,1,2", "fsub 4,1,2"}, {"xsmuldp 3,1,2", "fmul 4,1,2"},
            {"xsdivdp 3,1,2", "fdiv 4,1,2"}, {"xssqrtdp 3,1", "fsqrt 4,1"},
            {"xsaddsp 3,1,2", "fadds 4,1,2"}, {"xssubsp 3,1,2", "fsubs 4,1,2"}, {"xsmulsp 3,1,2", "fmuls 4,1,2"},
            {"xsdivsp 3,1,2", "fdivs 4,1,2"}, {"xssqrtsp 3,1", "fsqrts 4,1"},
            // A forms: XA*XB + XT; fmadd FRT,FRA,FRC,FRB computes FRA*FRC + FRB.
            {"xsmaddadp 3,1,2", "fmadd 4,1,2,3"}, {"xsmsubadp 3,1,2", "fmsub 4,1,2,3"},
            {"xsnmaddadp 3,1,2", "fnmadd 4,1,2,3"}, {"xsnmsubadp 3,1,2", "fnmsub 4,1,2,3"},
            {"xsmaddasp 3,1,2", "fmadds 4,1,2,3"}, {"xsnmsubasp 3,1,2", "fnmsubs 4,1,2,3"},
            // M forms: XA*XT + XB.
            {"xsmaddmdp 3,1,2", "fmadd 4,1,3,2"}, {"xsmsubmdp 3,1,2", "fmsub 4,1,3,2"},
            {"xsnmaddmdp 3,1,2", "fnmadd 4,1,3,2"}, {"xsnmsubmsp 3,1,2", "fnmsubs 4,1,3,2"},
        };
        long[] thirds = {Double.doubleToRawLongBits(1.0), Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
            SNAN};
        for (String[] pair : pairs) {
            for (double[] ops : OPERANDS) {
                for (long fpscr : FPSCRS) {
                    for (long third : thirds) {
                        assertSameAsFprForm(pair[0], pair[1], Double.doubleToRawLongBits(ops[0]),
                                Double.doubleToRawLongBits(ops[1]), third, fpscr);
                    }
                }
            }
            assertSameAsFprForm(pair[0], pair[1], SNAN, Double.doubleToRawLongBits(2.0), 0L, 0L);
        }
    }

    @Test
    void scalarArithmeticFollowsTheRoundingModeAndSetsTheFlags() {
        d(1, 1.0);
        d(2, 3.0);
        t.cpu.fpscr = Fpscr.ROUND_TOWARD_PLUS_INFINITY;
        t.exec("xsdivdp 3,1,2");
        t.cpu.fpscr = Fpscr.ROUND_TOWARD_MINUS_INFINITY;
        t.exec("xsdivdp 4,1,2");
        assertThat(t.cpu.fprBits(3) - t.cpu.fprBits(4)).isEqualTo(1L);
        assertThat(t.cpu.fpscr & (Fpscr.FX | Fpscr.XX | Fpscr.FI | Fpscr.FR))
                .isEqualTo(Fpscr.FX | Fpscr.XX | Fpscr.FI);
        assertThat(resultClass()).isEqualTo(Fpscr.CLASS_PLUS_NORMAL);
        // Overflow and infinity minus infinity.
        d(1, Double.MAX_VALUE);
        t.cpu.fpscr = 0;
        t.exec("xsmuldp 3,1,1");
        assertThat(d(3)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(t.cpu.fpscr & (Fpscr.OX | Fpscr.XX)).isEqualTo(Fpscr.OX | Fpscr.XX);
        d(1, Double.POSITIVE_INFINITY);
        t.cpu.fpscr = 0;
        t.exec("xssubdp 3,1,1");
        assertThat(t.cpu.fprBits(3)).isEqualTo(0x7ff8_0000_0000_0000L);
        assertThat(t.cpu.fpscr & (Fpscr.VXISI | Fpscr.VX)).isEqualTo(Fpscr.VXISI | Fpscr.VX);
    }

    @Test
    void enabledInvalidOrZeroDivideLeavesTheTargetUnchanged() {
        d(1, 0.0);
        d(2, 0.0);
        d(3, 7.0);
        t.cpu.vsrLo[3] = 0x1234L;
        t.cpu.fpscr = Fpscr.VE;
        t.exec("xsdivdp 3,1,2");
        assertThat(d(3)).isEqualTo(7.0);
        assertThat(t.cpu.vsrLo[3]).isEqualTo(0x1234L);
        assertThat(t.cpu.fpscr & (Fpscr.VXZDZ | Fpscr.FEX)).isEqualTo(Fpscr.VXZDZ | Fpscr.FEX);
        d(1, 1.0);
        t.cpu.fpscr = Fpscr.ZE;
        t.exec("xsdivdp 3,1,2");
        assertThat(d(3)).isEqualTo(7.0);
        assertThat(t.cpu.fpscr & (Fpscr.ZX | Fpscr.FEX)).isEqualTo(Fpscr.ZX | Fpscr.FEX);
        // Disabled, the same division writes +infinity and clears doubleword 1.
        t.cpu.fpscr = 0;
        t.exec("xsdivdp 3,1,2");
        assertThat(d(3)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(t.cpu.vsrLo[3]).isZero();
    }

    private int resultClass() {
        return (int) (t.cpu.fpscr >>> Fpscr.FPRF_SHIFT & 0x1f);
    }

    @Test
    void roundToIntegralSetsTheResultClassAndOnlyXsrdpicReportsInexact() {
        // xsrdpi[m|p|z] behave like fri*: FPRF set, FR and FI cleared, XX untouched (Power ISA v3.0B Book I 7.6).
        d(1, -2.5);
        t.cpu.fpscr = Fpscr.FR | Fpscr.FI;
        t.exec("xsrdpi 2,1");
        assertThat(d(2)).as("ties away from zero").isEqualTo(-3.0);
        assertThat(t.cpu.fpscr).isEqualTo((long) Fpscr.CLASS_MINUS_NORMAL << Fpscr.FPRF_SHIFT);
        d(1, 0.25);
        t.exec("xsrdpiz 2,1");
        assertThat(d(2)).isEqualTo(0.0);
        assertThat(resultClass()).isEqualTo(Fpscr.CLASS_PLUS_ZERO);
        assertThat(t.cpu.fpscr & Fpscr.XX).isZero();
        // xsrdpic rounds in FPSCR[RN] and sets XX and FI when inexact (FR: the magnitude grew).
        t.cpu.fpscr = Fpscr.ROUND_TOWARD_PLUS_INFINITY;
        t.exec("xsrdpic 2,1");
        assertThat(d(2)).isEqualTo(1.0);
        assertThat(t.cpu.fpscr & ~Fpscr.FPRF).isEqualTo(Fpscr.FX | Fpscr.XX | Fpscr.FI | Fpscr.FR
                | Fpscr.ROUND_TOWARD_PLUS_INFINITY);
        assertThat(resultClass()).isEqualTo(Fpscr.CLASS_PLUS_NORMAL);
        t.cpu.fpscr = 0;
        t.exec("xsrdpic 2,1");
        assertThat(d(2)).isEqualTo(0.0);
        assertThat(t.cpu.fpscr & (Fpscr.XX | Fpscr.FI | Fpscr.FR)).isEqualTo(Fpscr.XX | Fpscr.FI);
        // A signalling NaN: VXSNAN and the quiet NaN; with VE=1 the target is left alone.
        t.cpu.setFprBits(1, SNAN);
        t.cpu.fpscr = 0;
        t.exec("xsrdpi 2,1");
        assertThat(t.cpu.fprBits(2)).isEqualTo(0x7ffc_0000_0000_1234L);
        assertThat(t.cpu.fpscr & (Fpscr.VXSNAN | Fpscr.VX | Fpscr.FX)).isEqualTo(Fpscr.VXSNAN | Fpscr.VX | Fpscr.FX);
        assertThat(resultClass()).isEqualTo(Fpscr.CLASS_QNAN);
        d(2, 7.0);
        t.cpu.fpscr = Fpscr.VE;
        t.exec("xsrdpim 2,1");
        assertThat(d(2)).isEqualTo(7.0);
        assertThat(t.cpu.fpscr & Fpscr.FEX).isNotZero();
    }

    @Test
    void maxMinSignalVxsnanForASignallingNanOperand() {
        d(1, 1.0);
        t.cpu.setFprBits(2, SNAN);
        t.cpu.fpscr = 0;
        t.exec("xsmaxdp 3,1,2");
        assertThat(t.cpu.fprBits(3)).isEqualTo(0x7ffc_0000_0000_1234L);
        assertThat(t.cpu.fpscr).isEqualTo(Fpscr.FX | Fpscr.VX | Fpscr.VXSNAN);
        // Against a quiet NaN too the signalling one, quieted, is the result (QEMU 7.2 gives the first operand).
        t.cpu.setFprBits(1, 0x7ff8_0000_0000_0001L);
        t.exec("xsmaxdp 3,1,2", "xsmindp 4,1,2");
        assertThat(t.cpu.fprBits(3)).isEqualTo(0x7ffc_0000_0000_1234L);
        assertThat(t.cpu.fprBits(4)).isEqualTo(0x7ffc_0000_0000_1234L);
        d(1, 1.0);
        // A quiet NaN is no exception; FPRF is not altered.
        d(2, Double.NaN);
        t.cpu.fpscr = 0;
        t.exec("xsmindp 3,1,2", "xsmaxcdp 4,1,2");
        assertThat(d(3)).isEqualTo(1.0);
        assertThat(t.cpu.fpscr).isZero();
        // VE=1: the enabled exception leaves the target unchanged.
        t.cpu.setFprBits(2, SNAN);
        d(3, 5.0);
        t.cpu.fpscr = Fpscr.VE;
        t.exec("xsmindp 3,1,2");
        assertThat(d(3)).isEqualTo(5.0);
        assertThat(t.cpu.fpscr & (Fpscr.VXSNAN | Fpscr.FEX)).isEqualTo(Fpscr.VXSNAN | Fpscr.FEX);
    }

    @Test
    void maxMinOrderZerosAndPreferNumbersOverQuietNans() {
        d(1, -0.0);
        d(2, 0.0);
        d(3, Double.NaN);
        d(4, -7.0);
        t.exec("xsmaxdp 5,1,2", "xsmindp 6,2,1", "xsmaxdp 7,3,4", "xsmaxcdp 8,3,4");
        assertThat(t.cpu.fprBits(5)).isEqualTo(0L);
        assertThat(t.cpu.fprBits(6)).isEqualTo(Long.MIN_VALUE);
        assertThat(d(7)).isEqualTo(-7.0);
        assertThat(d(8)).isEqualTo(-7.0);
    }

    @Test
    void conversionsSaturateAndMapNanToTheMostNegativeInteger() {
        d(1, 1e20);
        d(2, Double.NaN);
        d(3, -2.75);
        t.exec("xscvdpsxds 4,1", "xscvdpsxds 5,2", "xscvdpsxws 6,3", "xscvdpuxds 7,3", "mfvsrwz 8,6");
        assertThat(t.cpu.fprBits(4)).isEqualTo(Long.MAX_VALUE);
        assertThat(t.cpu.fprBits(5)).isEqualTo(Long.MIN_VALUE);
        assertThat(t.r(8)).isEqualTo(0xffff_fffeL);
        assertThat(t.cpu.fprBits(7)).isZero();
        t.cpu.setFprBits(9, -1L);
        t.exec("xscvuxddp 10,9");
        assertThat(d(10)).isEqualTo(0x1p64);
    }

    @Test
    void singlePrecisionMovesBetweenFormats() {
        d(1, 0.1);
        t.exec("xscvdpsp 2,1", "xscvspdpn 3,2", "xscvdpspn 4,1");
        // Rounded to single precision (0x3dcccccd), widened back exactly.
        assertThat(t.cpu.fprBits(2) >>> 32).isEqualTo(0x3dcc_cccdL);
        assertThat(d(3)).isEqualTo((double) 0.1f);
        // xscvdpspn does not round: it keeps the high fraction bits (0x3dcccccc).
        assertThat(t.cpu.fprBits(4) >>> 32).isEqualTo(0x3dcc_ccccL);
    }

    @Test
    void vectorCompareRecordFormSetsCr6() {
        t.cpu.vsrHi[1] = Double.doubleToRawLongBits(1.0);
        t.cpu.vsrLo[1] = Double.doubleToRawLongBits(Double.NaN);
        t.cpu.vsrHi[2] = Double.doubleToRawLongBits(1.0);
        t.cpu.vsrLo[2] = Double.doubleToRawLongBits(Double.NaN);
        t.exec("xvcmpeqdp. 3,1,2");
        assertThat(t.cpu.vsrHi[3]).isEqualTo(-1L);
        assertThat(t.cpu.vsrLo[3]).isZero();
        assertThat(t.cpu.crField(6)).isZero();
        t.exec("xvcmpgtdp. 3,1,2");
        assertThat(t.cpu.crField(6)).isEqualTo(0b0010);
    }
}
