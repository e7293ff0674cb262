package dev.pvm.engine.cpu.interp;

import static dev.pvm.engine.cpu.interp.VectorOperands.binary;
import static dev.pvm.engine.cpu.interp.VectorOperands.unary;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Fpscr;
import dev.pvm.engine.cpu.fpu.Binary64;
import dev.pvm.engine.cpu.fpu.BinaryFormat;
import dev.pvm.engine.cpu.fpu.FloatArithmetic;
import dev.pvm.engine.cpu.fpu.FloatConversions;
import dev.pvm.engine.cpu.fpu.FpContext;
import dev.pvm.engine.cpu.isa.Field;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * VSX floating-point instructions (Power ISA v3.0B Book I 7.6.1.5-7.6.1.9): scalar double and single precision
 * arithmetic on doubleword 0 (the FPR view, read and written through {@link CpuState#fprBits}), vector double
 * (two doublewords) and single (four words) arithmetic, fused multiply-add rounded once, min/max, compares and
 * conversions. The scalar arithmetic, square root and multiply-add rows (and round to integral) follow
 * FPSCR[RN] and set the FPSCR like their FPR forms; the other rows round to nearest-even (FPSCR[RN]=0, the mode
 * Linux programs run in) and do not update the FPSCR exception flags yet.
 *
 * <p>NaN results follow Book I 4.3.2 through {@link FloatBits#propagate}: the first NaN operand in the ISA's
 * order, quieted, else the default NaN. Multiply-add "A" forms compute XA*XB+XT, "M" forms XA*XT+XB; the
 * negative forms negate a non-NaN result.
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
        bindVectorArithmetic(b);
        bindVectorConversions(b);
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

    static long arithmetic(DoubleBinaryOperator op, long x, long y) {
        return FloatBits.propagate(op.applyAsDouble(d(x), d(y)), x, y);
    }

    private static final DoubleBinaryOperator ADD = Double::sum;
    private static final DoubleBinaryOperator SUB = (x, y) -> x - y;
    private static final DoubleBinaryOperator MUL = (x, y) -> x * y;
    private static final DoubleBinaryOperator DIV = (x, y) -> x / y;

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
        scalar1(b, "XSRSP", FloatBits::roundToSingle);
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

    static long roundIntegral(long x, DoubleUnaryOperator op) {
        if (FloatBits.isNaN(x)) {
            return FloatBits.quiet(x);
        }
        double v = d(x);
        if (Math.abs(v) >= 0x1p52) {
            return x;
        }
        return Double.doubleToRawLongBits(Math.copySign(op.applyAsDouble(v), v));
    }

    /**
     * Fused multiply-add {@code m1*m2 + addend} rounded once, negated for the negative forms unless NaN. NaN
     * precedence is m1, addend, m2 (the ISA's A, B, C order of fmadd: FRA, FRB, FRC).
     */
    static long multiplyAdd(long m1, long m2, long addend, boolean subtract, boolean negate) {
        long c = subtract ? addend ^ Long.MIN_VALUE : addend;
        double r = Math.fma(d(m1), d(m2), d(c));
        if (Double.isNaN(r)) {
            return FloatBits.propagate(r, m1, addend, m2);
        }
        long bits = Double.doubleToRawLongBits(r);
        return negate ? bits ^ Long.MIN_VALUE : bits;
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
        scalar2(b, "XSCMPEQDP", (x, y) -> d(x) == d(y) ? -1L : 0);
        scalar2(b, "XSCMPGTDP", (x, y) -> d(x) > d(y) ? -1L : 0);
        scalar2(b, "XSCMPGEDP", (x, y) -> d(x) >= d(y) ? -1L : 0);
        for (String name : new String[] {"XSCMPUDP", "XSCMPODP"}) {
            b.bind(name, row -> {
                Field bf = row.field("bf");
                Field ra = row.field("xa");
                Field rb = row.field("xb");
                return (s, i) -> {
                    double x = d(s.fprBits(ra.raw(i)));
                    double y = d(s.fprBits(rb.raw(i)));
                    int c = Double.isNaN(x) || Double.isNaN(y) ? 1 : x < y ? 8 : x > y ? 4 : 2;
                    s.setCrField(bf.raw(i), c);
                };
            });
        }
    }

    /** Double to signed integer of {@code bits} bits, truncating; NaN gives the most negative (Book I 7.6.1.6). */
    static long toSigned(double v, int bits) {
        long min = bits == 64 ? Long.MIN_VALUE : Integer.MIN_VALUE;
        long max = bits == 64 ? Long.MAX_VALUE : Integer.MAX_VALUE;
        if (Double.isNaN(v)) {
            return min;
        }
        return bits == 64 ? (long) v : Math.max(min, Math.min(max, (long) v));
    }

    /** Double to unsigned integer, truncating; NaN and negatives give 0, too large all ones. */
    static long toUnsigned(double v, int bits) {
        if (Double.isNaN(v) || v <= -1.0) {
            return 0;
        }
        if (bits == 32) {
            return v >= 0x1p32 ? 0xFFFF_FFFFL : (long) v;
        }
        if (v >= 0x1p64) {
            return -1L;
        }
        return v >= 0x1p63 ? (long) (v - 0x1p63) ^ Long.MIN_VALUE : (long) v;
    }

    /** An unsigned 64-bit integer rounded once to double (or to single when {@code single}). */
    static double fromUnsigned(long v, boolean single) {
        if (v >= 0) {
            return single ? (float) v : (double) v;
        }
        // Halve with a sticky bit so that the one rounding happens in the conversion.
        long half = (v >>> 1) | (v & 1);
        return single ? (float) half * 2.0f : (double) half * 2.0;
    }

    private static long bothWords(long w) {
        long v = w & 0xFFFF_FFFFL;
        return v << 32 | v;
    }

    private static void bindScalarConversions(SemanticsBinder b) {
        // xscvdpsp: the single result in word 0 and copied to word 1 (POWER9, as QEMU models it).
        scalar1(b, "XSCVDPSP", x -> {
            long w = FloatBits.toSingle(x) & 0xFFFF_FFFFL;
            return w << 32 | w;
        });
        // xscvdpspn converts without rounding or exceptions (ConvertDPtoSP_NS, the stfs bit selection).
        scalar1(b, "XSCVDPSPN", x -> {
            long w = FloatBits.doubleToSingleBits(x) & 0xFFFF_FFFFL;
            return w << 32 | w;
        });
        scalar1(b, "XSCVSPDP", x -> FloatBits.toDouble((int) (x >>> 32)));
        scalar1(b, "XSCVSPDPN", x -> FloatBits.singleToDouble((int) (x >>> 32)));
        scalar1(b, "XSCVSXDDP", x -> Double.doubleToRawLongBits((double) x));
        scalar1(b, "XSCVUXDDP", x -> Double.doubleToRawLongBits(fromUnsigned(x, false)));
        scalar1(b, "XSCVSXDSP", x -> FloatBits.singleToDouble(Float.floatToRawIntBits((float) x)));
        scalar1(b, "XSCVUXDSP", x -> FloatBits.singleToDouble(Float.floatToRawIntBits((float) fromUnsigned(x, true))));
        scalar1(b, "XSCVDPSXDS", x -> toSigned(d(x), 64));
        scalar1(b, "XSCVDPUXDS", x -> toUnsigned(d(x), 64));
        // The word result goes to word 1 of the target (where stxsiwx and mfvsrwz find it) and, as POWER9 and
        // QEMU do, to word 0 too.
        scalar1(b, "XSCVDPSXWS", x -> bothWords(toSigned(d(x), 32)));
        scalar1(b, "XSCVDPUXWS", x -> bothWords(toUnsigned(d(x), 32)));
    }

    // ------------------------------------------------------------------------------------------------ vector

    @FunctionalInterface
    private interface LaneOp {
        long apply(long a, long b);
    }

    private static void lanes2(SemanticsBinder b, String name, int bits, LaneOp op) {
        binary(b, name, (s, x, y) -> {
            VectorRegister r = new VectorRegister();
            for (int k = 0; k < 128 / bits; k++) {
                r.set(bits, k, op.apply(x.get(bits, k), y.get(bits, k)));
            }
            return r;
        });
    }

    private static void lanes1(SemanticsBinder b, String name, int bits, java.util.function.LongUnaryOperator op) {
        unary(b, name, (s, x) -> {
            VectorRegister r = new VectorRegister();
            for (int k = 0; k < 128 / bits; k++) {
                r.set(bits, k, op.applyAsLong(x.get(bits, k)));
            }
            return r;
        });
    }

    @FunctionalInterface
    private interface FloatOp {
        float apply(float a, float b);
    }

    private static long single(FloatOp op, long x, long y) {
        return FloatBits.propagate(op.apply(f((int) x), f((int) y)), (int) x, (int) y) & 0xFFFF_FFFFL;
    }

    /** A single-precision lane as a double (exact), and a double rounded to a single lane. */
    private static long laneToDouble(long w) {
        return FloatBits.toDouble((int) w);
    }

    private static long laneFromDouble(long d) {
        return FloatBits.toSingle(d) & 0xFFFF_FFFFL;
    }

    private static void bindVectorArithmetic(SemanticsBinder b) {
        lanes2(b, "XVADDDP", 64, (x, y) -> arithmetic(ADD, x, y));
        lanes2(b, "XVSUBDP", 64, (x, y) -> arithmetic(SUB, x, y));
        lanes2(b, "XVMULDP", 64, (x, y) -> arithmetic(MUL, x, y));
        lanes2(b, "XVDIVDP", 64, (x, y) -> arithmetic(DIV, x, y));
        lanes2(b, "XVADDSP", 32, (x, y) -> single(Float::sum, x, y));
        lanes2(b, "XVSUBSP", 32, (x, y) -> single((p, q) -> p - q, x, y));
        lanes2(b, "XVMULSP", 32, (x, y) -> single((p, q) -> p * q, x, y));
        lanes2(b, "XVDIVSP", 32, (x, y) -> single((p, q) -> p / q, x, y));
        lanes2(b, "XVMAXDP", 64, (x, y) -> maxMin(x, y, true));
        lanes2(b, "XVMINDP", 64, (x, y) -> maxMin(x, y, false));
        lanes2(b, "XVMAXSP", 32, (x, y) -> laneFromDouble(maxMin(laneToDoubleExact(x), laneToDoubleExact(y), true)));
        lanes2(b, "XVMINSP", 32, (x, y) -> laneFromDouble(maxMin(laneToDoubleExact(x), laneToDoubleExact(y), false)));
        lanes2(b, "XVCPSGNDP", 64, (x, y) -> (x & Long.MIN_VALUE) | (y & Long.MAX_VALUE));
        lanes2(b, "XVCPSGNSP", 32, (x, y) -> (x & 0x8000_0000L) | (y & 0x7FFF_FFFFL));
        lanes1(b, "XVSQRTDP", 64, x -> FloatBits.propagate(Math.sqrt(d(x)), x));
        lanes1(b, "XVSQRTSP", 32, x -> FloatBits.propagate((float) Math.sqrt(f((int) x)), (int) x) & 0xFFFF_FFFFL);
        lanes1(b, "XVABSDP", 64, x -> x & Long.MAX_VALUE);
        lanes1(b, "XVNABSDP", 64, x -> x | Long.MIN_VALUE);
        lanes1(b, "XVNEGDP", 64, x -> x ^ Long.MIN_VALUE);
        lanes1(b, "XVABSSP", 32, x -> x & 0x7FFF_FFFFL);
        lanes1(b, "XVNABSSP", 32, x -> x | 0x8000_0000L);
        lanes1(b, "XVNEGSP", 32, x -> x ^ 0x8000_0000L);
        for (String prefix : new String[] {"XVMADD", "XVMSUB", "XVNMADD", "XVNMSUB"}) {
            boolean subtract = prefix.endsWith("SUB");
            boolean negate = prefix.startsWith("XVN");
            for (String form : new String[] {"A", "M"}) {
                for (String precision : new String[] {"DP", "SP"}) {
                    int bits = precision.equals("SP") ? 32 : 64;
                    boolean aForm = form.equals("A");
                    b.bind(prefix + form + precision, row -> {
                        Field t = row.field("xt");
                        Field ra = row.field("xa");
                        Field rb = row.field("xb");
                        return (s, i) -> {
                            VectorRegister a = VectorRegister.ofVsr(s, ra.raw(i));
                            VectorRegister bb = VectorRegister.ofVsr(s, rb.raw(i));
                            VectorRegister tt = VectorRegister.ofVsr(s, t.raw(i));
                            VectorRegister r = new VectorRegister();
                            for (int k = 0; k < 128 / bits; k++) {
                                long m1 = a.get(bits, k);
                                long m2 = aForm ? bb.get(bits, k) : tt.get(bits, k);
                                long add = aForm ? tt.get(bits, k) : bb.get(bits, k);
                                r.set(bits, k, bits == 64 ? multiplyAdd(m1, m2, add, subtract, negate)
                                        : multiplyAddSingle((int) m1, (int) m2, (int) add, subtract, negate));
                            }
                            r.toVsr(s, t.raw(i));
                        };
                    });
                }
            }
        }
        for (String name : new String[] {"XVCMPEQDP", "XVCMPGTDP", "XVCMPGEDP", "XVCMPEQSP", "XVCMPGTSP",
                "XVCMPGESP"}) {
            int bits = name.endsWith("SP") ? 32 : 64;
            String relation = name.substring(5, 7);
            b.bind(name, row -> {
                Field t = row.field("xt");
                Field ra = row.field("xa");
                Field rb = row.field("xb");
                Field rc = row.field("rc");
                return (s, i) -> {
                    VectorRegister x = VectorRegister.ofVsr(s, ra.raw(i));
                    VectorRegister y = VectorRegister.ofVsr(s, rb.raw(i));
                    VectorRegister r = new VectorRegister();
                    for (int k = 0; k < 128 / bits; k++) {
                        double p = bits == 64 ? d(x.get(64, k)) : f((int) x.get(32, k));
                        double q = bits == 64 ? d(y.get(64, k)) : f((int) y.get(32, k));
                        boolean holds = switch (relation) {
                            case "EQ" -> p == q;
                            case "GT" -> p > q;
                            default -> p >= q;
                        };
                        r.set(bits, k, holds ? -1L : 0);
                    }
                    r.toVsr(s, t.raw(i));
                    if (rc.raw(i) != 0) {
                        VectorOperands.recordCr6(s, r);
                    }
                };
            });
        }
    }

    private static long laneToDoubleExact(long w) {
        return FloatBits.singleToDouble((int) w);
    }

    private static long multiplyAddSingle(int m1, int m2, int addend, boolean subtract, boolean negate) {
        int c = subtract ? addend ^ Integer.MIN_VALUE : addend;
        float r = Math.fma(f(m1), f(m2), f(c));
        if (Float.isNaN(r)) {
            return FloatBits.propagate(r, m1, addend, m2) & 0xFFFF_FFFFL;
        }
        int bits = Float.floatToRawIntBits(r);
        return (negate ? bits ^ Integer.MIN_VALUE : bits) & 0xFFFF_FFFFL;
    }

    private static void bindVectorConversions(SemanticsBinder b) {
        // Between word lanes 0 and 2 and the two doublewords; a word result is written to both words of its
        // doubleword (POWER9, as QEMU models it; the ISA leaves the odd word undefined).
        doubleToWords(b, "XVCVDPSP", x -> FloatBits.toSingle(x) & 0xFFFF_FFFFL);
        doubleToWords(b, "XVCVDPSXWS", x -> toSigned(d(x), 32) & 0xFFFF_FFFFL);
        doubleToWords(b, "XVCVDPUXWS", x -> toUnsigned(d(x), 32));
        doubleToWords(b, "XVCVSXDSP", x -> Float.floatToRawIntBits((float) x) & 0xFFFF_FFFFL);
        doubleToWords(b, "XVCVUXDSP", x -> Float.floatToRawIntBits((float) fromUnsigned(x, true)) & 0xFFFF_FFFFL);
        wordsToDouble(b, "XVCVSPDP", VsxFloatOps::laneToDouble);
        wordsToDouble(b, "XVCVSXWDP", w -> Double.doubleToRawLongBits((int) w));
        wordsToDouble(b, "XVCVUXWDP", w -> Double.doubleToRawLongBits(w & 0xFFFF_FFFFL));
        wordsToDouble(b, "XVCVSPSXDS", w -> toSigned(f((int) w), 64));
        wordsToDouble(b, "XVCVSPUXDS", w -> toUnsigned(f((int) w), 64));
        lanes1(b, "XVCVSXDDP", 64, x -> Double.doubleToRawLongBits((double) x));
        lanes1(b, "XVCVUXDDP", 64, x -> Double.doubleToRawLongBits(fromUnsigned(x, false)));
        lanes1(b, "XVCVDPSXDS", 64, x -> toSigned(d(x), 64));
        lanes1(b, "XVCVDPUXDS", 64, x -> toUnsigned(d(x), 64));
        lanes1(b, "XVCVSXWSP", 32, w -> Float.floatToRawIntBits((float) (int) w) & 0xFFFF_FFFFL);
        lanes1(b, "XVCVUXWSP", 32, w -> Float.floatToRawIntBits((float) (w & 0xFFFF_FFFFL)) & 0xFFFF_FFFFL);
        lanes1(b, "XVCVSPSXWS", 32, w -> toSigned(f((int) w), 32) & 0xFFFF_FFFFL);
        lanes1(b, "XVCVSPUXWS", 32, w -> toUnsigned(f((int) w), 32));
        lanes1(b, "XVRDPI", 64, x -> roundIntegral(x, v -> Math.copySign(Math.floor(Math.abs(v) + 0.5), v)));
        lanes1(b, "XVRDPIC", 64, x -> roundIntegral(x, Math::rint));
        lanes1(b, "XVRDPIM", 64, x -> roundIntegral(x, Math::floor));
        lanes1(b, "XVRDPIP", 64, x -> roundIntegral(x, Math::ceil));
        lanes1(b, "XVRDPIZ", 64, x -> roundIntegral(x, v -> v < 0 ? Math.ceil(v) : Math.floor(v)));
        lanes1(b, "XVRSPI", 32, w -> roundSingle(w, v -> Math.copySign(Math.floor(Math.abs(v) + 0.5), v)));
        lanes1(b, "XVRSPIC", 32, w -> roundSingle(w, Math::rint));
        lanes1(b, "XVRSPIM", 32, w -> roundSingle(w, Math::floor));
        lanes1(b, "XVRSPIP", 32, w -> roundSingle(w, Math::ceil));
        lanes1(b, "XVRSPIZ", 32, w -> roundSingle(w, v -> v < 0 ? Math.ceil(v) : Math.floor(v)));
    }

    private static long roundSingle(long w, DoubleUnaryOperator op) {
        long r = roundIntegral(FloatBits.singleToDouble((int) w), op);
        return FloatBits.toSingle(r) & 0xFFFF_FFFFL;
    }

    private static void doubleToWords(SemanticsBinder b, String name, java.util.function.LongUnaryOperator op) {
        unary(b, name, (s, x) -> {
            long w0 = op.applyAsLong(x.hi) & 0xFFFF_FFFFL;
            long w2 = op.applyAsLong(x.lo) & 0xFFFF_FFFFL;
            return new VectorRegister(w0 << 32 | w0, w2 << 32 | w2);
        });
    }

    private static void wordsToDouble(SemanticsBinder b, String name, java.util.function.LongUnaryOperator op) {
        unary(b, name, (s, x) -> new VectorRegister(op.applyAsLong(x.hi >>> 32), op.applyAsLong(x.lo >>> 32)));
    }
}
