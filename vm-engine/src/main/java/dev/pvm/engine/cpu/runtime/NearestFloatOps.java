package dev.pvm.engine.cpu.runtime;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Fpscr;
import dev.pvm.engine.cpu.runtime.HelperEffect.Effect;

/**
 * Binary64 arithmetic for translated code in the FPSCR state nearly every program runs in: round to nearest
 * (RN=0) with every exception disabled (VE=OE=UE=ZE=XE=0). There the JVM's double arithmetic (IEEE 754
 * round-to-nearest-even) gives the ISA's result, and the only exception an ordinary operand pair raises is
 * inexact, which an error-free transformation finds exactly: TwoSum for sums, fma for the rest of a product or a
 * quotient (the same identities as {@link dev.pvm.engine.cpu.fpu.FloatArithmetic}'s double fast paths).
 *
 * <p>Each helper either completes the instruction exactly as the interpreter's semantics would (result, FPSCR
 * exception bits with FX and the summaries, and for scalars FR, FI and FPRF) and answers true, or changes nothing
 * and answers false, and the translated code then runs the interpreter's semantics. It declines for NaN and
 * infinite operands, divisors of zero, results that may overflow or be tiny, and whatever else the reference
 * handles with rules of its own (signed zeros of a fused multiply-add, other rounding modes, enabled
 * exceptions, which may also interrupt).
 *
 * <p>Registers are VSR numbers: FPR n is doubleword 0 of VSR n.
 */
public final class NearestFloatOps {

    public static final int ADD = 0;
    public static final int SUBTRACT = 1;
    public static final int MULTIPLY = 2;
    public static final int DIVIDE = 3;

    /** {@link #errorSign}'s answer when the operation is not one this class completes. */
    private static final int DECLINE = 2;
    /** Magnitudes at or above this (2^-450) keep a product's exact bits at or above 2^-1074 (see fusedError). */
    private static final double FUSED_FACTOR_MIN = 0x1p-450;

    private NearestFloatOps() {
    }

    /** Whether the FPSCR rounds to nearest with no exception enabled. */
    private static boolean defaultMode(long fpscr) {
        return (fpscr & (Fpscr.RN | Fpscr.ENABLES)) == 0;
    }

    /**
     * Magnitudes whose results need no overflow or underflow handling: a result here is normal, and the rounding
     * error of a sum, product or quotient landing here is exactly representable.
     */
    private static boolean inFastRange(double v) {
        double m = Math.abs(v);
        return m >= 0x1p-900 && m <= 0x1p1000;
    }

    private static boolean finite(double v) {
        return Math.abs(v) <= Double.MAX_VALUE;
    }

    private static double apply(int op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUBTRACT -> x - y;
            case MULTIPLY -> x * y;
            default -> x / y;
        };
    }

    /**
     * The sign of {@code exact - r} for {@code r = apply(op, x, y)}: -1, 0 (exact) or 1, or {@link #DECLINE}.
     */
    private static int errorSign(int op, double x, double y, double r) {
        if (!finite(x) || !finite(y)) {
            return DECLINE; // NaN and infinity rules, VXISI/VXIMZ/VXIDI: the reference's
        }
        switch (op) {
            case ADD, SUBTRACT -> {
                if (r == 0) {
                    return 0; // finite doubles that sum to a rounded zero sum to exactly zero (same sign rules)
                }
                if (!inFastRange(r)) {
                    return DECLINE;
                }
                return signum(sumError(x, op == ADD ? y : -y, r));
            }
            case MULTIPLY -> {
                if (x == 0 || y == 0) {
                    return 0; // an exact zero with the sign of the product
                }
                return inFastRange(r) ? signum(Math.fma(x, y, -r)) : DECLINE;
            }
            default -> {
                if (y == 0) {
                    return DECLINE; // ZX or VXZDZ
                }
                if (x == 0) {
                    return 0;
                }
                if (!inFastRange(r) || !inFastRange(x) || !inFastRange(y)) {
                    return DECLINE;
                }
                // The remainder x - r*y is exact here; exact - r has the sign of remainder / y.
                return signum(Math.fma(-r, y, x)) * (y < 0 ? -1 : 1);
            }
        }
    }

    /**
     * The sign of {@code a*c + b - r} for {@code r = fma(a, c, b)}, or {@link #DECLINE}. With {@code d = b - r}
     * exact (checked by TwoSum), {@code a*c + d} is that difference, and fma gives its sign: it is a multiple of
     * 2^-1074 when a and c are at least 2^-450, so a non-zero value never rounds to zero.
     */
    private static int fusedError(double a, double c, double b, double r) {
        if (!finite(a) || !finite(c) || !finite(b) || Math.abs(a) < FUSED_FACTOR_MIN
                || Math.abs(c) < FUSED_FACTOR_MIN || !inFastRange(r)) {
            return DECLINE; // NaN/infinity rules, zero products (signed-zero rules) and tiny products
        }
        double d = b - r;
        if (sumError(b, -r, d) == 0) {
            return signum(Math.fma(a, c, d));
        }
        // Cancellation (a*c close to -b, r small): with p + e = a*c exactly, a*c + b - r = ((p + b) - r) + e,
        // and when both inner differences are exact the sign of that two-term sum is the sign of its rounding.
        double p = a * c;
        if (!inFastRange(p)) {
            return DECLINE;
        }
        double e = Math.fma(a, c, -p);
        double s = p + b;
        double t = s - r;
        if (sumError(p, b, s) != 0 || sumError(s, -r, t) != 0) {
            return DECLINE;
        }
        return signum(t + e);
    }

    /** TwoSum (Knuth): the rounding error of {@code sum = x + y}; NaN when the sum overflowed. */
    private static double sumError(double x, double y, double sum) {
        double yVirtual = sum - x;
        double xVirtual = sum - yVirtual;
        return (x - xVirtual) + (y - yVirtual);
    }

    private static int signum(double v) {
        return v > 0 ? 1 : v < 0 ? -1 : 0;
    }

    /**
     * Completes a scalar result as FloatingPoint.complete does with no exception enabled: FR and FI from the
     * rounding ({@code errorSign} is the sign of exact - rounded, measured before a negation), XX, FPRF.
     */
    private static void completeScalar(CpuState s, int t, long result, double rounded, int errorSign,
            boolean vsx) {
        long flags = 0;
        if (errorSign != 0) {
            boolean incremented = rounded > 0 ? errorSign < 0 : errorSign > 0;
            flags = Fpscr.XX | Fpscr.FI | (incremented ? Fpscr.FR : 0);
        }
        long fpscr = (s.fpscr & ~(Fpscr.FR | Fpscr.FI)) | (flags & (Fpscr.FR | Fpscr.FI));
        fpscr = Fpscr.raise(fpscr, flags);
        s.vsrHi[t] = result;
        if (vsx) {
            s.vsrLo[t] = 0; // VSX scalar results leave doubleword 1 zero (VsxFloatOps.completeScalar)
        }
        s.fpscr = Fpscr.withResultClass(fpscr, Fpscr.resultClass(result, false));
    }

    /**
     * fadd/fsub/fmul/fdiv (Rc=0) and xsadddp/xssubdp/xsmuldp/xsdivdp: VSR[t].dw0 = dw0(a) op dw0(b).
     *
     * @param vsx whether it is the VSX form (doubleword 1 of the target becomes 0)
     */
    @HelperEffect(Effect.VECTOR)
    public static boolean scalar(CpuState s, int op, int t, int a, int b, boolean vsx) {
        if (!defaultMode(s.fpscr)) {
            return false;
        }
        double x = Double.longBitsToDouble(s.vsrHi[a]);
        double y = Double.longBitsToDouble(s.vsrHi[b]);
        double r = apply(op, x, y);
        int e = errorSign(op, x, y, r);
        if (e == DECLINE) {
            return false;
        }
        completeScalar(s, t, Double.doubleToRawLongBits(r), r, e, vsx);
        return true;
    }

    /**
     * The fused multiply-add family on doubleword 0: {@code ±(a*c ± b)} rounded once (fmadd/fmsub/fnmadd/fnmsub
     * with Rc=0 and the xs[n]m{add,sub}{a,m}dp rows, whose callers pick which registers are a, c and b). The
     * negation follows the rounding, which in round-to-nearest is the same as negating the exact result.
     */
    @HelperEffect(Effect.VECTOR)
    public static boolean scalarMultiplyAdd(CpuState s, int t, int a, int c, int b, boolean subtract,
            boolean negate, boolean vsx) {
        if (!defaultMode(s.fpscr)) {
            return false;
        }
        double x = Double.longBitsToDouble(s.vsrHi[a]);
        double y = Double.longBitsToDouble(s.vsrHi[c]);
        double z = Double.longBitsToDouble(s.vsrHi[b]);
        double addend = subtract ? -z : z;
        double r = Math.fma(x, y, addend);
        int e = fusedError(x, y, addend, r);
        if (e == DECLINE) {
            return false;
        }
        long bits = Double.doubleToRawLongBits(r);
        completeScalar(s, t, negate ? bits ^ Long.MIN_VALUE : bits, r, e, vsx);
        return true;
    }

    /** xvadddp/xvsubdp/xvmuldp/xvdivdp: both doublewords; XX only (vector forms leave FR, FI and FPRF). */
    @HelperEffect(Effect.VECTOR)
    public static boolean vector(CpuState s, int op, int t, int a, int b) {
        long fpscr = s.fpscr;
        if (!defaultMode(fpscr)) {
            return false;
        }
        double x0 = Double.longBitsToDouble(s.vsrHi[a]);
        double y0 = Double.longBitsToDouble(s.vsrHi[b]);
        double x1 = Double.longBitsToDouble(s.vsrLo[a]);
        double y1 = Double.longBitsToDouble(s.vsrLo[b]);
        double r0 = apply(op, x0, y0);
        double r1 = apply(op, x1, y1);
        int e0 = errorSign(op, x0, y0, r0);
        int e1 = errorSign(op, x1, y1, r1);
        if (e0 == DECLINE || e1 == DECLINE) {
            return false;
        }
        s.vsrHi[t] = Double.doubleToRawLongBits(r0);
        s.vsrLo[t] = Double.doubleToRawLongBits(r1);
        s.fpscr = Fpscr.raise(fpscr, (e0 | e1) != 0 ? Fpscr.XX : 0);
        return true;
    }

    /** xv[n]m{add,sub}{a,m}dp: per doubleword {@code ±(a*c ± b)}, rounded once; XX only. */
    @HelperEffect(Effect.VECTOR)
    public static boolean vectorMultiplyAdd(CpuState s, int t, int a, int c, int b, boolean subtract,
            boolean negate) {
        long fpscr = s.fpscr;
        if (!defaultMode(fpscr)) {
            return false;
        }
        double x0 = Double.longBitsToDouble(s.vsrHi[a]);
        double y0 = Double.longBitsToDouble(s.vsrHi[c]);
        double z0 = Double.longBitsToDouble(s.vsrHi[b]);
        double x1 = Double.longBitsToDouble(s.vsrLo[a]);
        double y1 = Double.longBitsToDouble(s.vsrLo[c]);
        double z1 = Double.longBitsToDouble(s.vsrLo[b]);
        if (subtract) {
            z0 = -z0;
            z1 = -z1;
        }
        double r0 = Math.fma(x0, y0, z0);
        double r1 = Math.fma(x1, y1, z1);
        int e0 = fusedError(x0, y0, z0, r0);
        int e1 = fusedError(x1, y1, z1, r1);
        if (e0 == DECLINE || e1 == DECLINE) {
            return false;
        }
        long sign = negate ? Long.MIN_VALUE : 0;
        s.vsrHi[t] = Double.doubleToRawLongBits(r0) ^ sign;
        s.vsrLo[t] = Double.doubleToRawLongBits(r1) ^ sign;
        s.fpscr = Fpscr.raise(fpscr, (e0 | e1) != 0 ? Fpscr.XX : 0);
        return true;
    }
}
