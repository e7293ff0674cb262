package dev.pvm.engine.cpu.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Fpscr;
import org.junit.jupiter.api.Test;

/**
 * What the fast path completes and what it leaves to the interpreter (FloatEmitterTest checks its results
 * against the interpreter's over random operands).
 */
class NearestFloatOpsTest {

    private static final long FPRF_PLUS_NORMAL = (long) Fpscr.CLASS_PLUS_NORMAL << Fpscr.FPRF_SHIFT;

    private final CpuState s = new CpuState(0);

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    private boolean divide(double x, double y) {
        s.vsrHi[1] = bits(x);
        s.vsrHi[2] = bits(y);
        return NearestFloatOps.scalar(s, NearestFloatOps.DIVIDE, 3, 1, 2, false);
    }

    @Test
    void scalarQuotientsSetXxFiAndFrFromTheRounding() {
        assertThat(divide(1, 3)).isTrue();
        assertThat(s.vsrHi[3]).isEqualTo(bits(1.0 / 3));
        assertThat(s.fpscr).as("1/3 rounds down").isEqualTo(Fpscr.FX | Fpscr.XX | Fpscr.FI | FPRF_PLUS_NORMAL);
        s.fpscr = 0;
        assertThat(divide(1, 10)).isTrue();
        assertThat(s.fpscr).as("1/10 rounds up").isEqualTo(Fpscr.FX | Fpscr.XX | Fpscr.FI | Fpscr.FR | FPRF_PLUS_NORMAL);
        s.fpscr = Fpscr.XX | Fpscr.FR | Fpscr.FI;
        assertThat(divide(-6, 3)).isTrue();
        assertThat(s.fpscr).as("exact: FR and FI cleared, XX sticky, no new FX")
                .isEqualTo(Fpscr.XX | (long) Fpscr.CLASS_MINUS_NORMAL << Fpscr.FPRF_SHIFT);
    }

    @Test
    void declinesWhatTheReferenceHandlesByItsOwnRulesAndChangesNothing() {
        double[][] operands = {{1, 0}, {0, 0}, {Double.NaN, 1}, {Double.POSITIVE_INFINITY, 2}, {Double.MAX_VALUE, 0.5},
            {Double.MIN_NORMAL, 3}};
        for (double[] o : operands) {
            s.vsrHi[3] = 42;
            s.fpscr = 0;
            assertThat(divide(o[0], o[1])).as("%s / %s", o[0], o[1]).isFalse();
            assertThat(s.vsrHi[3]).isEqualTo(42);
            assertThat(s.fpscr).isZero();
        }
        for (long mode : new long[] {Fpscr.ROUND_TOWARD_ZERO, Fpscr.VE, Fpscr.XE, Fpscr.OE, Fpscr.UE, Fpscr.ZE}) {
            s.fpscr = mode;
            assertThat(divide(1, 3)).as("FPSCR %x", mode).isFalse();
            assertThat(s.fpscr).isEqualTo(mode);
        }
    }

    @Test
    void vectorsMergeInexactOnlyAndLeaveFrFiFprf() {
        s.vsrHi[1] = bits(1);
        s.vsrLo[1] = bits(0.1);
        s.vsrHi[2] = bits(2);
        s.vsrLo[2] = bits(0.2);
        s.fpscr = Fpscr.FR;
        assertThat(NearestFloatOps.vector(s, NearestFloatOps.ADD, 3, 1, 2)).isTrue();
        assertThat(s.vsrHi[3]).isEqualTo(bits(3));
        assertThat(s.vsrLo[3]).isEqualTo(bits(0.1 + 0.2));
        assertThat(s.fpscr).isEqualTo(Fpscr.FR | Fpscr.FX | Fpscr.XX);
        s.vsrLo[2] = bits(Double.NaN);
        assertThat(NearestFloatOps.vector(s, NearestFloatOps.ADD, 3, 1, 2)).as("one NaN element").isFalse();
    }

    @Test
    void fusedMultiplyAddRoundsOnceAndFindsItsError() {
        // 0.1*10 is 1 + 2^-54 exactly: plus 0.5 rounds to 1.5, inexact (the unfused sum 1.0 + 0.5 would be exact).
        s.vsrHi[1] = bits(0.1);
        s.vsrHi[2] = bits(10);
        s.vsrHi[3] = bits(0.5);
        assertThat(NearestFloatOps.scalarMultiplyAdd(s, 4, 1, 2, 3, false, false, true)).isTrue();
        assertThat(s.vsrHi[4]).isEqualTo(bits(1.5));
        assertThat(s.fpscr & (Fpscr.XX | Fpscr.FI | Fpscr.FR)).as("rounded down").isEqualTo(Fpscr.XX | Fpscr.FI);
        s.fpscr = 0;
        s.vsrHi[3] = bits(1);
        assertThat(NearestFloatOps.scalarMultiplyAdd(s, 4, 1, 2, 3, true, true, true)).isTrue();
        assertThat(s.vsrHi[4]).as("-(0.1*10 - 1): negated after rounding").isEqualTo(bits(-0x1p-54));
        assertThat(s.fpscr & Fpscr.XX).as("exact").isZero();
        s.vsrHi[1] = bits(0x1p-460);
        assertThat(NearestFloatOps.scalarMultiplyAdd(s, 4, 1, 2, 3, false, false, true)).as("tiny factor").isFalse();
    }
}
