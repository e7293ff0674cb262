package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.Fpscr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * VSX vector floating point with the FPSCR (Power ISA v3.0B Book I 7.6.1): rounding mode, exception flags ORed over
 * the elements, FPRF/FR/FI untouched, an enabled invalid-operation exception suppressing the whole result; and
 * the scalar conversions and compares that set the FPSCR like their FPR forms.
 */
class VsxVectorFloatOpsTest {

    private static final long SNAN = 0x7ff4_0000_0000_1234L;
    private static final long QNAN = 0x7ff8_0000_0000_0000L;
    private static final long ONE = Double.doubleToRawLongBits(1.0);
    private static final long THREE = Double.doubleToRawLongBits(3.0);
    private static final long FR_FI_FPRF = Fpscr.FR | Fpscr.FI | 0x1fL << Fpscr.FPRF_SHIFT;

    private final TestCpu t = TestCpu.littleEndian();

    @AfterEach
    void close() {
        t.close();
    }

    private void vsr(int n, long hi, long lo) {
        t.cpu.vsrHi[n] = hi;
        t.cpu.vsrLo[n] = lo;
    }

    private long[] vsr(int n) {
        return new long[] {t.cpu.vsrHi[n], t.cpu.vsrLo[n]};
    }

    private static long words(int w0, int w1) {
        return (long) w0 << 32 | (w1 & 0xFFFF_FFFFL);
    }

    @Test
    void vectorDoubleArithmeticRoundsInTheCurrentModeAndLeavesFprfFrFi() {
        vsr(1, ONE, ONE);
        vsr(2, THREE, ONE);
        long kept = Fpscr.FR | (long) Fpscr.CLASS_PLUS_ZERO << Fpscr.FPRF_SHIFT;
        t.cpu.fpscr = Fpscr.ROUND_TOWARD_PLUS_INFINITY | kept;
        t.exec("xvdivdp 3,1,2");
        t.cpu.fpscr = Fpscr.ROUND_TOWARD_MINUS_INFINITY | kept;
        t.exec("xvdivdp 4,1,2");
        assertThat(t.cpu.vsrHi[3] - t.cpu.vsrHi[4]).as("1/3 rounded up and down").isEqualTo(1L);
        assertThat(t.cpu.vsrLo[3]).isEqualTo(ONE);
        assertThat(t.cpu.fpscr & (Fpscr.FX | Fpscr.XX)).isEqualTo(Fpscr.FX | Fpscr.XX);
        assertThat(t.cpu.fpscr & FR_FI_FPRF).as("FPRF, FR, FI unchanged").isEqualTo(kept);
    }

    @Test
    void exceptionsOfAllElementsAreMerged() {
        vsr(1, Double.doubleToRawLongBits(Double.MAX_VALUE), Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
        vsr(2, Double.doubleToRawLongBits(Double.MAX_VALUE), Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
        t.cpu.fpscr = 0;
        t.exec("xvsubdp 3,1,2", "xvmuldp 4,1,2");
        assertThat(vsr(3)).containsExactly(0L, QNAN);
        assertThat(vsr(4)).containsExactly(Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
                Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
        assertThat(t.cpu.fpscr & (Fpscr.VXISI | Fpscr.VX | Fpscr.OX | Fpscr.XX))
                .isEqualTo(Fpscr.VXISI | Fpscr.VX | Fpscr.OX | Fpscr.XX);
    }

    @Test
    void singleElementsRoundOnceInSinglePrecision() {
        int oneSingle = Float.floatToRawIntBits(1.0f);
        int tiny = Float.floatToRawIntBits(0x1p-24f);
        int max = Float.floatToRawIntBits(Float.MAX_VALUE);
        int snan = 0x7fa0_0001;
        vsr(1, words(oneSingle, max), words(snan, oneSingle));
        vsr(2, words(tiny, max), words(oneSingle, tiny));
        t.cpu.fpscr = Fpscr.ROUND_TOWARD_PLUS_INFINITY;
        t.exec("xvaddsp 3,1,2");
        // 1 + 2^-24 rounds up to the next single; FLT_MAX + FLT_MAX overflows to +inf in RP; the SNaN is quieted.
        assertThat(vsr(3)).containsExactly(words(oneSingle + 1, Float.floatToRawIntBits(Float.POSITIVE_INFINITY)),
                words(0x7fe0_0001, oneSingle + 1));
        assertThat(t.cpu.fpscr & (Fpscr.OX | Fpscr.XX | Fpscr.VXSNAN))
                .isEqualTo(Fpscr.OX | Fpscr.XX | Fpscr.VXSNAN);
        t.cpu.fpscr = Fpscr.ROUND_TOWARD_ZERO;
        t.exec("xvaddsp 4,1,2");
        assertThat(t.cpu.vsrHi[4] >>> 32).isEqualTo(oneSingle);
        assertThat(t.cpu.vsrHi[4] & 0xFFFF_FFFFL).as("overflow in RZ gives FLT_MAX").isEqualTo(max);
    }

    @Test
    void singleMultiplyAddRoundsOnce() {
        int a = Float.floatToRawIntBits(1.0f + 0x1p-12f);
        int b = Float.floatToRawIntBits(1.0f - 0x1p-12f);
        int minusOne = Float.floatToRawIntBits(-1.0f);
        vsr(1, words(a, a), words(a, a));
        vsr(2, words(b, b), words(b, b));
        vsr(3, words(minusOne, minusOne), words(minusOne, minusOne));
        t.cpu.fpscr = 0;
        t.exec("xvmaddasp 3,1,2");
        int expected = Float.floatToRawIntBits(-0x1p-24f);
        assertThat(vsr(3)).containsExactly(words(expected, expected), words(expected, expected));
        assertThat(t.cpu.fpscr & Fpscr.XX).isZero();
    }

    @Test
    void negativeMultiplyAddNegatesTheRoundedResult() {
        // XA*XT - XB = DBL_MAX * -1.5 - 1 overflows negatively: RP rounds it to -DBL_MAX, RM to -infinity, and
        // the negation comes after (Book I 4.6.5.2: fnmsub is fmsub, then negate).
        long max = Double.doubleToRawLongBits(Double.MAX_VALUE);
        long inf = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
        vsr(1, max, max);
        vsr(2, ONE, ONE);
        vsr(3, Double.doubleToRawLongBits(-1.5), Double.doubleToRawLongBits(-1.5));
        t.cpu.fpscr = Fpscr.ROUND_TOWARD_PLUS_INFINITY;
        t.exec("xvnmsubmdp 3,1,2");
        assertThat(vsr(3)).containsExactly(max, max);
        vsr(3, Double.doubleToRawLongBits(-1.5), Double.doubleToRawLongBits(-1.5));
        t.cpu.fpscr = Fpscr.ROUND_TOWARD_MINUS_INFINITY;
        t.exec("xvnmsubmdp 3,1,2");
        assertThat(vsr(3)).containsExactly(inf, inf);
    }

    @Test
    void anEnabledInvalidOperationInOneElementLeavesTheWholeTargetUnchanged() {
        vsr(1, ONE, Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
        vsr(2, ONE, Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
        vsr(3, 0x1111L, 0x2222L);
        t.cpu.fpscr = Fpscr.VE;
        t.exec("xvsubdp 3,1,2");
        assertThat(vsr(3)).containsExactly(0x1111L, 0x2222L);
        assertThat(t.cpu.fpscr & (Fpscr.VXISI | Fpscr.FEX)).isEqualTo(Fpscr.VXISI | Fpscr.FEX);
        t.cpu.fpscr = 0;
        t.exec("xvsubdp 3,1,2");
        assertThat(vsr(3)).containsExactly(0L, QNAN);
    }

    @Test
    void comparesSignalLikeFcmpuAndFcmpoAndAnEnabledOneKeepsCr6() {
        vsr(1, ONE, QNAN);
        vsr(2, ONE, ONE);
        t.cpu.fpscr = 0;
        t.exec("xvcmpeqdp 3,1,2");
        assertThat(vsr(3)).containsExactly(-1L, 0L);
        assertThat(t.cpu.fpscr).as("eq with a quiet NaN signals nothing").isZero();
        t.exec("xvcmpgedp 3,1,2");
        assertThat(t.cpu.fpscr & Fpscr.VXVC).isEqualTo(Fpscr.VXVC);
        vsr(1, ONE, SNAN);
        t.cpu.fpscr = 0;
        t.exec("xvcmpeqdp 3,1,2");
        assertThat(t.cpu.fpscr & (Fpscr.VXSNAN | Fpscr.VXVC)).isEqualTo(Fpscr.VXSNAN);
        t.cpu.fpscr = Fpscr.VE;
        t.cpu.setCrField(6, 0b0101);
        vsr(3, 7L, 7L);
        t.exec("xvcmpgtdp. 3,1,2");
        assertThat(vsr(3)).containsExactly(7L, 7L);
        assertThat(t.cpu.crField(6)).isEqualTo(0b0101);
        assertThat(t.cpu.fpscr & (Fpscr.VXSNAN | Fpscr.VXVC)).as("no VXVC for an SNaN with VE=1")
                .isEqualTo(Fpscr.VXSNAN);
    }

    @Test
    void conversionsToIntegerSaturateAndSignal() {
        vsr(1, Double.doubleToRawLongBits(2.5), SNAN);
        t.cpu.fpscr = 0;
        t.exec("xvcvdpsxws 2,1");
        assertThat(vsr(2)).containsExactly(words(2, 2), words(Integer.MIN_VALUE, Integer.MIN_VALUE));
        assertThat(t.cpu.fpscr & (Fpscr.XX | Fpscr.VXCVI | Fpscr.VXSNAN | Fpscr.FI | Fpscr.FR))
                .isEqualTo(Fpscr.XX | Fpscr.VXCVI | Fpscr.VXSNAN);
        vsr(1, Double.doubleToRawLongBits(-1.0), Double.doubleToRawLongBits(0x1p70));
        t.cpu.fpscr = 0;
        t.exec("xvcvdpuxds 3,1");
        assertThat(vsr(3)).containsExactly(0L, -1L);
        assertThat(t.cpu.fpscr & Fpscr.VXCVI).isEqualTo(Fpscr.VXCVI);
    }

    @Test
    void conversionsFromIntegerAndBetweenPrecisionsRoundInTheCurrentMode() {
        vsr(1, (1L << 53) + 1, 5L);
        t.cpu.fpscr = Fpscr.ROUND_TOWARD_PLUS_INFINITY;
        t.exec("xvcvsxddp 2,1");
        assertThat(vsr(2)).containsExactly(Double.doubleToRawLongBits(0x1p53 + 2), Double.doubleToRawLongBits(5.0));
        assertThat(t.cpu.fpscr & Fpscr.XX).isEqualTo(Fpscr.XX);
        vsr(1, Double.doubleToRawLongBits(0.1), Double.doubleToRawLongBits(1e300));
        t.cpu.fpscr = 0;
        t.exec("xvcvdpsp 3,1");
        assertThat(t.cpu.vsrHi[3] >>> 32).isEqualTo(0x3dcc_cccdL);
        assertThat(t.cpu.vsrLo[3] >>> 32).isEqualTo(0x7f80_0000L);
        assertThat(t.cpu.fpscr & (Fpscr.OX | Fpscr.XX)).isEqualTo(Fpscr.OX | Fpscr.XX);
        vsr(1, words(0x7fa0_0001, 0), words(Float.floatToRawIntBits(1.5f), 0));
        t.cpu.fpscr = 0;
        t.exec("xvcvspdp 4,1");
        assertThat(vsr(4)).containsExactly(0x7ffc_0000_2000_0000L, Double.doubleToRawLongBits(1.5));
        assertThat(t.cpu.fpscr & Fpscr.VXSNAN).isEqualTo(Fpscr.VXSNAN);
    }

    @Test
    void onlyTheCurrentModeRoundToIntegralReportsInexact() {
        vsr(1, Double.doubleToRawLongBits(-2.5), Double.doubleToRawLongBits(0.25));
        t.cpu.fpscr = 0;
        t.exec("xvrdpiz 2,1", "xvrdpi 3,1");
        assertThat(vsr(2)).containsExactly(Double.doubleToRawLongBits(-2.0), 0L);
        assertThat(vsr(3)).containsExactly(Double.doubleToRawLongBits(-3.0), 0L);
        assertThat(t.cpu.fpscr & Fpscr.XX).isZero();
        t.cpu.fpscr = Fpscr.ROUND_TOWARD_PLUS_INFINITY;
        t.exec("xvrdpic 4,1");
        assertThat(vsr(4)).containsExactly(Double.doubleToRawLongBits(-2.0), ONE);
        assertThat(t.cpu.fpscr & (Fpscr.XX | Fpscr.FI)).isEqualTo(Fpscr.XX);
    }

    @Test
    void scalarConversionsAndComparesSetTheFpscrLikeTheirFprForms() {
        t.cpu.setFprBits(1, Double.doubleToRawLongBits(2.5));
        t.cpu.fpscr = 0;
        t.exec("xscvdpsxws 2,1");
        assertThat(t.cpu.fpscr & (Fpscr.XX | Fpscr.FI | Fpscr.FR)).isEqualTo(Fpscr.XX | Fpscr.FI);
        t.cpu.setFprBits(1, Double.doubleToRawLongBits(0.1));
        t.cpu.fpscr = 0;
        t.exec("xsrsp 3,1");
        assertThat(t.cpu.fprBits(3)).isEqualTo(Double.doubleToRawLongBits((double) 0.1f));
        assertThat(t.cpu.fpscr >>> Fpscr.FPRF_SHIFT & 0x1f).isEqualTo(Fpscr.CLASS_PLUS_NORMAL);
        assertThat(t.cpu.fpscr & (Fpscr.XX | Fpscr.FI)).isEqualTo(Fpscr.XX | Fpscr.FI);
        t.cpu.setFprBits(4, QNAN);
        t.cpu.fpscr = 0;
        t.exec("xscmpodp 2,1,4");
        assertThat(t.cpu.crField(2)).isEqualTo(0b0001);
        assertThat(t.cpu.fpscr & (Fpscr.VXVC | Fpscr.FPCC)).isEqualTo(Fpscr.VXVC | 1L << Fpscr.FPRF_SHIFT);
        t.cpu.fpscr = 0;
        t.exec("xscmpudp 2,1,4", "xscmpgtdp 5,1,4");
        assertThat(t.cpu.fpscr & Fpscr.VXVC).as("xscmpgtdp is an ordered compare").isEqualTo(Fpscr.VXVC);
        assertThat(t.cpu.fprBits(5)).isZero();
    }
}
