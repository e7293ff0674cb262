package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Fpscr;
import dev.pvm.engine.cpu.fpu.Binary64;
import dev.pvm.engine.cpu.fpu.BinaryFormat;
import dev.pvm.engine.cpu.fpu.FloatArithmetic;
import dev.pvm.engine.cpu.fpu.FloatConversions;
import dev.pvm.engine.cpu.fpu.FloatConversions.IntegerFormat;
import dev.pvm.engine.cpu.fpu.FpContext;
import dev.pvm.engine.cpu.isa.Field;

/**
 * VSX scalar floating-point instructions (Power ISA v3.0B Book I 7.6.1.5-7.6.1.9) on doubleword 0 (the FPR view,
 * read and written through {@link CpuState#fprBits}): double and single precision arithmetic, fused multiply-add
 * rounded once, min/max, compares and conversions, rounding in FPSCR[RN] and setting the FPSCR like their FPR
 * forms. The vector forms are {@link VsxVectorFloatOps}.
 *
 * <p>NaN results follow Book I 4.3.2: the first NaN operand in the ISA's order, quieted, else the default NaN.
 * Multiply-add "A" forms compute XA*XB+XT, "M" forms XA*XT+XB; the negative forms negate a non-NaN result.
 */
final class VsxFloatOps {

    private VsxFloatOps() {
    }

    private static double d(long bits) {
        return Double.longBitsToDouble(bits);
    }

    private static float f(int bits) {
        return Float.intBitsToFloat(bits);
    }

    static void bind(SemanticsBinder b) {
        bindScalarArithmetic(b);
        bindScalarMultiplyAdd(b);
        bindScalarMinMaxCompare(b);
        bindScalarConversions(b);
    }

    // ------------------------------------------------------------------------------------------------ scalar

    /**
     * Writes a VSX scalar result: doubleword 0 through the FPR accessor, doubleword 1 (which the ISA leaves
     * undefined) set to 0, as POWER9 and QEMU do.
     */
    static void setScalar(CpuState s, int t, long value) {
        s.setFprBits(t, value);
        s.vsrLo[t] = 0;
    }

    /** T.dw0 = op(A.dw0, B.dw0) for XX3 scalar rows. */
    private static void scalar2(SemanticsBinder b, String name, java.util.function.LongBinaryOperator op) {
        b.bind(name, row -> {
            Field t = row.field("xt");
            Field ra = row.field("xa");
            Field rb = row.field("xb");
            return (s, i) -> setScalar(s, t.raw(i), op.applyAsLong(s.fprBits(ra.raw(i)), s.fprBits(rb.raw(i))));
        });
    }

    /** A scalar operation on doubleword 0 that reports its FPSCR exceptions, FR and FI in the context. */
    @FunctionalInterface
    interface ScalarFp2 {
        long apply(long x, long y, FpContext c);
    }

    /** The same for one operand. */
    @FunctionalInterface
    interface ScalarFp1 {
        long apply(long x, FpContext c);
    }

    /**
     * Completes a VSX scalar instruction as {@link FloatingPoint#complete} does an FPR one (VSX scalar rows have no
     * record form): exception bits, FR/FI when {@code altersFrFi}, FPRF of the result when {@code fprf} != 0, and
     * no write when an enabled invalid-operation exception suppresses it; a written result clears doubleword 1.
     */
    static void completeScalar(CpuState s, int t, long result, FpContext c, boolean altersFrFi, int fprf) {
        if (FloatingPoint.complete(s, t, result, c, altersFrFi, fprf, false)) {
            s.vsrLo[t] = 0;
        }
    }

    private static void scalarFp2(SemanticsBinder b, String name, boolean altersFrFi, int fprf, ScalarFp2 op) {
        b.bind(name, row -> {
            Field t = row.field("xt");
            Field ra = row.field("xa");
            Field rb = row.field("xb");
            return (s, i) -> {
                FpContext c = FloatingPoint.context(s);
                long r = op.apply(s.fprBits(ra.raw(i)), s.fprBits(rb.raw(i)), c);
                completeScalar(s, t.raw(i), r, c, altersFrFi, fprf);
            };
        });
    }

    private static void scalarFp1(SemanticsBinder b, String name, boolean altersFrFi, int fprf, ScalarFp1 op) {
        b.bind(name, row -> {
            Field t = row.field("xt");
            Field rb = row.field("xb");
            return (s, i) -> {
                FpContext c = FloatingPoint.context(s);
                long r = op.apply(s.fprBits(rb.raw(i)), c);
                completeScalar(s, t.raw(i), r, c, altersFrFi, fprf);
            };
        });
    }

    /** T.dw0 = op(B.dw0) for XX2 scalar rows. */
    private static void scalar1(SemanticsBinder b, String name, java.util.function.LongUnaryOperator op) {
        b.bind(name, row -> {
            Field t = row.field("xt");
            Field rb = row.field("xb");
            return (s, i) -> setScalar(s, t.raw(i), op.applyAsLong(s.fprBits(rb.raw(i))));
        });
    }

    private static void bindScalarArithmetic(SemanticsBinder b) {
        // Book I 7.6.1 pseudo-code: the scalar arithmetic rounds in FPSCR[RN], signals like fadd..fsqrt[s] and
        // sets FR, FI and FPRF; an enabled invalid or zero-divide exception leaves VSR[XT] unchanged.
        for (BinaryFormat f : BinaryFormat.values()) {
            String p = f == BinaryFormat.DOUBLE ? "DP" : "SP";
            int fprf = FloatArithmeticOps.fprfKind(f);
            scalarFp2(b, "XSADD" + p, true, fprf, (x, y, c) -> FloatArithmetic.add(x, y, f, c));
            scalarFp2(b, "XSSUB" + p, true, fprf, (x, y, c) -> FloatArithmetic.subtract(x, y, f, c));
            scalarFp2(b, "XSMUL" + p, true, fprf, (x, y, c) -> FloatArithmetic.multiply(x, y, f, c));
            scalarFp2(b, "XSDIV" + p, true, fprf, (x, y, c) -> FloatArithmetic.divide(x, y, f, c));
            scalarFp1(b, "XSSQRT" + p, true, fprf, (x, c) -> FloatArithmetic.squareRoot(x, f, c));
        }
        scalar1(b, "XSABSDP", x -> x & Long.MAX_VALUE);
        scalar1(b, "XSNABSDP", x -> x | Long.MIN_VALUE);
        scalar1(b, "XSNEGDP", x -> x ^ Long.MIN_VALUE);
        scalar2(b, "XSCPSGNDP", (x, y) -> (x & Long.MIN_VALUE) | (y & Long.MAX_VALUE));
        // xsrsp: rounded to single precision in FPSCR[RN], as frsp (FPRF of the single result, FR, FI, OX, UX, XX).
        scalarFp1(b, "XSRSP", true, 2, FloatConversions::roundToSingle);
        // Round to integral (Book I 7.6, xsrdpi[c|m|p|z]): like fri* (4.6.7.3) they set FPRF, clear FR and FI and
        // signal VXSNAN, without XX; xsrdpi rounds half away from zero. xsrdpic rounds in the current mode and,
        // unlike the others, reports an inexact result (XX, FI; FR when the magnitude grew).
        scalarFp1(b, "XSRDPI", true, 1, (x, c) -> FloatConversions.roundToIntegral(x, Fpscr.ROUND_NEAREST, true, c));
        scalarFp1(b, "XSRDPIC", true, 1, VsxFloatOps::roundIntegralCurrentMode);
        scalarFp1(b, "XSRDPIM", true, 1,
                (x, c) -> FloatConversions.roundToIntegral(x, Fpscr.ROUND_TOWARD_MINUS_INFINITY, false, c));
        scalarFp1(b, "XSRDPIP", true, 1,
                (x, c) -> FloatConversions.roundToIntegral(x, Fpscr.ROUND_TOWARD_PLUS_INFINITY, false, c));
        scalarFp1(b, "XSRDPIZ", true, 1,
                (x, c) -> FloatConversions.roundToIntegral(x, Fpscr.ROUND_TOWARD_ZERO, false, c));
    }

    /** xsrdpic: rounded to an integral value in FPSCR[RN], with XX, FI and FR for an inexact result. */
    static long roundIntegralCurrentMode(long x, FpContext c) {
        long r = FloatConversions.roundToIntegral(x, c.roundingMode, false, c);
        if (!Binary64.isNaN(x) && r != x) {
            c.flags |= Fpscr.XX | Fpscr.FI | ((r & Long.MAX_VALUE) > (x & Long.MAX_VALUE) ? Fpscr.FR : 0);
        }
        return r;
    }

    /**
     * xs[n]madd/xs[n]msub[a|m][d|s]p (Book I 7.6.1): the "A" forms compute XA*XB+XT, the "M" forms XA*XT+XB, with
     * fmadd's rounding, exceptions and NaN precedence (XA, the addend, the multiplicand: fmadd's FRA, FRB, FRC).
     */
    private static void bindScalarMultiplyAdd(SemanticsBinder b) {
        for (String prefix : new String[] {"XSMADD", "XSMSUB", "XSNMADD", "XSNMSUB"}) {
            boolean subtract = prefix.endsWith("SUB");
            boolean negate = prefix.startsWith("XSN");
            for (String form : new String[] {"A", "M"}) {
                for (BinaryFormat f : BinaryFormat.values()) {
                    boolean aForm = form.equals("A");
                    int fprf = FloatArithmeticOps.fprfKind(f);
                    b.bind(prefix + form + (f == BinaryFormat.DOUBLE ? "DP" : "SP"), row -> {
                        Field t = row.field("xt");
                        Field ra = row.field("xa");
                        Field rb = row.field("xb");
                        return (s, i) -> {
                            long a = s.fprBits(ra.raw(i));
                            long bb = s.fprBits(rb.raw(i));
                            long tt = s.fprBits(t.raw(i));
                            FpContext c = FloatingPoint.context(s);
                            long r = aForm ? FloatArithmetic.multiplyAdd(a, bb, tt, subtract, negate, f, c)
                                    : FloatArithmetic.multiplyAdd(a, tt, bb, subtract, negate, f, c);
                            completeScalar(s, t.raw(i), r, c, true, fprf);
                        };
                    });
                }
            }
        }
    }

    /**
     * xsmaxdp/xsmindp (Book I 7.6.1.5): -0 < +0; a signalling NaN operand gives its quiet form; a quiet NaN
     * loses to a number; of two quiet NaNs, A.
     */
    static long maxMin(long x, long y, boolean max) {
        if (FloatBits.isSignalling(x)) {
            return FloatBits.quiet(x);
        }
        if (FloatBits.isSignalling(y)) {
            return FloatBits.quiet(y);
        }
        if (FloatBits.isNaN(x)) {
            return FloatBits.isNaN(y) ? x : y;
        }
        if (FloatBits.isNaN(y)) {
            return x;
        }
        double a = d(x);
        double c = d(y);
        if (a == c) {
            // Equal values differ only for zeros: +0 is the greater.
            boolean xNegative = x < 0;
            return max == xNegative ? y : x;
        }
        return (a > c) == max ? x : y;
    }

    /**
     * The scalar max/min rows: a signalling-NaN operand sets VXSNAN (Book I 7.6, xsmaxdp and its C and Java
     * forms), which with VE=1 leaves the target unchanged; FPRF, FR and FI are not altered.
     */
    private static void maxMinRow(SemanticsBinder b, String name, java.util.function.LongBinaryOperator op) {
        scalarFp2(b, name, false, 0, (x, y, c) -> {
            if (FloatBits.isSignalling(x) || FloatBits.isSignalling(y)) {
                c.flags |= Fpscr.VXSNAN;
            }
            return op.applyAsLong(x, y);
        });
    }

    private static void bindScalarMinMaxCompare(SemanticsBinder b) {
        maxMinRow(b, "XSMAXDP", (x, y) -> maxMin(x, y, true));
        maxMinRow(b, "XSMINDP", (x, y) -> maxMin(x, y, false));
        // C-style (xsmaxcdp: A > B ? A : B, so NaNs and equal values give B) and Java-style (a NaN wins, -0 < +0).
        maxMinRow(b, "XSMAXCDP", (x, y) -> d(x) > d(y) ? x : y);
        maxMinRow(b, "XSMINCDP", (x, y) -> d(x) < d(y) ? x : y);
        maxMinRow(b, "XSMAXJDP", (x, y) -> FloatBits.isNaN(x) ? x : FloatBits.isNaN(y) ? y : maxMin(x, y, true));
        maxMinRow(b, "XSMINJDP", (x, y) -> FloatBits.isNaN(x) ? x : FloatBits.isNaN(y) ? y : maxMin(x, y, false));
        // xscmp[eq|gt|ge]dp (Book I 7.6.1.7): all ones or zero; invalid-operation exceptions as fcmpu (eq) and
        // fcmpo (gt, ge), an enabled one leaving the target unchanged.
        scalarCompare(b, "XSCMPEQDP", false, (x, y) -> x == y);
        scalarCompare(b, "XSCMPGTDP", true, (x, y) -> x > y);
        scalarCompare(b, "XSCMPGEDP", true, (x, y) -> x >= y);
    }

    @FunctionalInterface
    private interface Relation {
        boolean holds(double x, double y);
    }

    private static void scalarCompare(SemanticsBinder b, String name, boolean ordered, Relation relation) {
        b.bind(name, row -> {
            Field t = row.field("xt");
            Field ra = row.field("xa");
            Field rb = row.field("xb");
            return (s, i) -> {
                long x = s.fprBits(ra.raw(i));
                long y = s.fprBits(rb.raw(i));
                FpContext c = FloatingPoint.context(s);
                c.flags = FloatCompareOps.unorderedExceptions(x, y, ordered, s.fpscr);
                completeScalar(s, t.raw(i), relation.holds(d(x), d(y)) ? -1L : 0, c, false, 0);
            };
        });
    }

    private static long bothWords(long w) {
        long v = w & 0xFFFF_FFFFL;
        return v << 32 | v;
    }

    private static void bindScalarConversions(SemanticsBinder b) {
        // xscvdpsp (Book I 7.6.1.6): rounded to single in FPSCR[RN] like frsp (FPRF of the single result, FR, FI,
        // OX, UX, XX, VXSNAN); the word goes to word 0 and is copied to word 1 (POWER9, as QEMU models it).
        b.bind("XSCVDPSP", row -> {
            Field t = row.field("xt");
            Field rb = row.field("xb");
            return (s, i) -> {
                FpContext c = FloatingPoint.context(s);
                long r = FloatConversions.roundToSingle(s.fprBits(rb.raw(i)), c);
                long w = FloatConversions.toSingleBits(r) & 0xFFFF_FFFFL;
                if (FloatingPoint.complete(s, t.raw(i), w << 32 | w, c, true, 0, false)) {
                    s.vsrLo[t.raw(i)] = 0;
                    s.fpscr = Fpscr.withResultClass(s.fpscr, Fpscr.resultClass(r, true));
                }
            };
        });
        // xscvdpspn converts without rounding or exceptions (ConvertDPtoSP_NS, the stfs bit selection).
        scalar1(b, "XSCVDPSPN", x -> {
            long w = FloatBits.doubleToSingleBits(x) & 0xFFFF_FFFFL;
            return w << 32 | w;
        });
        // xscvspdp: exact, but a signalling NaN is quieted and sets VXSNAN; FPRF of the result, FR/FI unchanged.
        scalarFp1(b, "XSCVSPDP", false, 1, (x, c) -> {
            long v = FloatConversions.fromSingleBits((int) (x >>> 32));
            if (FloatBits.isSignalling(v)) {
                c.flags |= Fpscr.VXSNAN;
                return FloatBits.quiet(v);
            }
            return v;
        });
        scalar1(b, "XSCVSPDPN", x -> FloatBits.singleToDouble((int) (x >>> 32)));
        // Integer to floating point, rounded in FPSCR[RN] (FPRF, FR, FI, XX), as fcfid[u][s].
        scalarFp1(b, "XSCVSXDDP", true, 1, (x, c) -> FloatConversions.fromInteger(x, true, BinaryFormat.DOUBLE, c));
        scalarFp1(b, "XSCVUXDDP", true, 1, (x, c) -> FloatConversions.fromInteger(x, false, BinaryFormat.DOUBLE, c));
        scalarFp1(b, "XSCVSXDSP", true, 2, (x, c) -> FloatConversions.fromInteger(x, true, BinaryFormat.SINGLE, c));
        scalarFp1(b, "XSCVUXDSP", true, 2, (x, c) -> FloatConversions.fromInteger(x, false, BinaryFormat.SINGLE, c));
        // Floating point to integer, truncating, as fcti*z: VXCVI (and VXSNAN), XX, FR, FI; FPRF undefined (kept).
        scalarFp1(b, "XSCVDPSXDS", true, 0, (x, c) -> FloatConversions.toInteger(x, IntegerFormat.SIGNED_64,
                Fpscr.ROUND_TOWARD_ZERO, c));
        scalarFp1(b, "XSCVDPUXDS", true, 0, (x, c) -> FloatConversions.toInteger(x, IntegerFormat.UNSIGNED_64,
                Fpscr.ROUND_TOWARD_ZERO, c));
        // The word result goes to word 1 of the target (where stxsiwx and mfvsrwz find it) and, as POWER9 and
        // QEMU do, to word 0 too.
        scalarFp1(b, "XSCVDPSXWS", true, 0, (x, c) -> bothWords(FloatConversions.toInteger(x,
                IntegerFormat.SIGNED_32, Fpscr.ROUND_TOWARD_ZERO, c)));
        scalarFp1(b, "XSCVDPUXWS", true, 0, (x, c) -> bothWords(FloatConversions.toInteger(x,
                IntegerFormat.UNSIGNED_32, Fpscr.ROUND_TOWARD_ZERO, c)));
    }
}
