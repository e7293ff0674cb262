package dev.pvm.engine.cpu.fpu;

import static dev.pvm.engine.cpu.fpu.Binary64.DEFAULT_NAN;
import static dev.pvm.engine.cpu.fpu.Binary64.SIGN;
import static dev.pvm.engine.cpu.fpu.Binary64.isInfinite;
import static dev.pvm.engine.cpu.fpu.Binary64.isNaN;
import static dev.pvm.engine.cpu.fpu.Binary64.isSignalling;
import static dev.pvm.engine.cpu.fpu.Binary64.isZero;

import dev.pvm.engine.cpu.Fpscr;
import java.math.BigInteger;

/**
 * The IEEE operations of the floating-point facility on binary64 bit patterns, rounded once from the exact result
 * (Book I 4.6.6): add, subtract, multiply, divide, square root and the fused multiply-add family, in double or single
 * precision. Exceptions are reported into the {@link FpContext}; the caller applies the enabled-exception rules.
 *
 * <p>NaN operands (Book I 4.3.2 and 4.4.1): the result is the first NaN among FRA, FRB, FRC in that order, made
 * quiet; any signalling NaN operand sets VXSNAN. An invalid operation without NaN operands gives the default QNaN.
 */
public final class FloatArithmetic {

    private FloatArithmetic() {
    }

    /** FRA + FRB. */
    public static long add(long a, long b, BinaryFormat f, FpContext c) {
        if (isNaN(a) || isNaN(b)) {
            return propagate(a, b, 0, false, f, c);
        }
        boolean infA = isInfinite(a);
        boolean infB = isInfinite(b);
        if (infA && infB && ((a ^ b) < 0)) {
            return invalid(Fpscr.VXISI, c);
        }
        if (infA) {
            return a;
        }
        if (infB) {
            return b;
        }
        if (f == BinaryFormat.DOUBLE) {
            double x = Double.longBitsToDouble(a);
            double y = Double.longBitsToDouble(b);
            double r = x + y;
            if (inFastRange(r)) {
                // TwoSum (Knuth): x + y = r + error exactly, barring overflow.
                double yv = r - x;
                double xv = r - yv;
                double error = (x - xv) + (y - yv);
                return fromNearest(r, Double.compare(error, 0.0) == 0 ? 0 : (error > 0 ? 1 : -1), c);
            }
        } else if (singleOperand(a) && singleOperand(b)) {
            double x = Double.longBitsToDouble(a);
            double y = Double.longBitsToDouble(b);
            double r = x + y;
            if (r != 0 && Double.isFinite(r) && (x - (r - (r - x))) + (y - (r - x)) == 0) {
                // The double sum of single operands was exact: round it once, to single.
                return ExactRounding.round(Double.doubleToRawLongBits(r), f, c);
            }
        }
        return exactSum(a < 0, Binary64.bigSignificand(a), Binary64.exponent(a),
                b < 0, Binary64.bigSignificand(b), Binary64.exponent(b), f, c);
    }

    /** FRA - FRB (Book I 4.6.6.1: the same as adding -FRB, NaN operands aside). */
    public static long subtract(long a, long b, BinaryFormat f, FpContext c) {
        if (isNaN(a) || isNaN(b)) {
            return propagate(a, b, 0, false, f, c);
        }
        return add(a, b ^ SIGN, f, c);
    }

    /** FRA * FRC. */
    public static long multiply(long a, long cOperand, BinaryFormat f, FpContext c) {
        if (isNaN(a) || isNaN(cOperand)) {
            return propagate(a, cOperand, 0, false, f, c);
        }
        long sign = (a ^ cOperand) & SIGN;
        if ((isInfinite(a) && isZero(cOperand)) || (isZero(a) && isInfinite(cOperand))) {
            return invalid(Fpscr.VXIMZ, c);
        }
        if (isInfinite(a) || isInfinite(cOperand)) {
            return sign | Binary64.PLUS_INFINITY;
        }
        if (f == BinaryFormat.DOUBLE && !isZero(a) && !isZero(cOperand)) {
            double x = Double.longBitsToDouble(a);
            double y = Double.longBitsToDouble(cOperand);
            double r = x * y;
            if (inFastRange(r)) {
                // The product's rounding error is representable here, so fma computes it exactly.
                return fromNearest(r, (int) Math.signum(Math.fma(x, y, -r)), c);
            }
        }
        if (f == BinaryFormat.SINGLE && singleOperand(a) && singleOperand(cOperand)) {
            // A product of two 24-bit significands is exact in double: round it once, to single.
            double p = Double.longBitsToDouble(a) * Double.longBitsToDouble(cOperand);
            return ExactRounding.round(Double.doubleToRawLongBits(p), f, c);
        }
        BigInteger m = Binary64.bigSignificand(a).multiply(Binary64.bigSignificand(cOperand));
        return ExactRounding.round(sign != 0, m, Binary64.exponent(a) + Binary64.exponent(cOperand), false, f, c);
    }

    /** FRA / FRB. */
    public static long divide(long a, long b, BinaryFormat f, FpContext c) {
        if (isNaN(a) || isNaN(b)) {
            return propagate(a, b, 0, false, f, c);
        }
        long sign = (a ^ b) & SIGN;
        if (isInfinite(a) && isInfinite(b)) {
            return invalid(Fpscr.VXIDI, c);
        }
        if (isZero(a) && isZero(b)) {
            return invalid(Fpscr.VXZDZ, c);
        }
        if (isInfinite(a)) {
            return sign | Binary64.PLUS_INFINITY;
        }
        if (isInfinite(b) || isZero(a)) {
            return sign;
        }
        if (isZero(b)) {
            c.flags |= Fpscr.ZX;
            return sign | Binary64.PLUS_INFINITY;
        }
        if (f == BinaryFormat.DOUBLE) {
            double x = Double.longBitsToDouble(a);
            double y = Double.longBitsToDouble(b);
            double r = x / y;
            if (inFastRange(r) && inFastRange(x) && inFastRange(y)) {
                // The remainder x - r*y is exact here; exact - r has the sign of remainder / y.
                double remainder = Math.fma(-r, y, x);
                return fromNearest(r, (int) Math.signum(remainder) * (y < 0 ? -1 : 1), c);
            }
        }
        BigInteger ma = Binary64.bigSignificand(a);
        BigInteger mb = Binary64.bigSignificand(b);
        // Enough quotient bits for the precision plus guard and sticky information.
        int k = Math.max(0, f.precision + 3 + mb.bitLength() - ma.bitLength());
        BigInteger[] qr = ma.shiftLeft(k).divideAndRemainder(mb);
        return ExactRounding.round(sign != 0, qr[0], Binary64.exponent(a) - Binary64.exponent(b) - k,
                qr[1].signum() != 0, f, c);
    }

    /** The square root of FRB. */
    public static long squareRoot(long b, BinaryFormat f, FpContext c) {
        if (isNaN(b)) {
            return propagate(b, 0, 0, false, f, c);
        }
        if (isZero(b)) {
            return b;
        }
        if (b < 0) {
            return invalid(Fpscr.VXSQRT, c);
        }
        if (isInfinite(b)) {
            return b;
        }
        if (f == BinaryFormat.DOUBLE) {
            double x = Double.longBitsToDouble(b);
            if (inFastRange(x)) {
                double r = Math.sqrt(x);
                // x - r*r is exact here; exact - r has its sign.
                return fromNearest(r, (int) Math.signum(Math.fma(-r, r, x)), c);
            }
        }
        BigInteger m = Binary64.bigSignificand(b);
        int e = Binary64.exponent(b);
        if ((e & 1) != 0) {
            m = m.shiftLeft(1);
            e--;
        }
        int k = Math.max(0, f.precision + 3 - (m.bitLength() + 1) / 2);
        BigInteger scaled = m.shiftLeft(2 * k);
        BigInteger root = scaled.sqrt();
        boolean sticky = !root.multiply(root).equals(scaled);
        return ExactRounding.round(false, root, e / 2 - k, sticky, f, c);
    }

    /**
     * The fused multiply-add family (Book I 4.6.6.2): {@code (FRA * FRC) + FRB}, with the product negated first when
     * {@code subtract} (fmsub: {@code FRA*FRC - FRB}) and the rounded result negated when {@code negate}
     * (fnmadd/fnmsub). Rounded once. A NaN result is never negated, and VXIMZ is raised for infinity times zero even
     * when FRB is a NaN.
     */
    public static long multiplyAdd(long a, long cOperand, long b, boolean subtract, boolean negate, BinaryFormat f,
            FpContext c) {
        boolean productInvalid = (isInfinite(a) && isZero(cOperand)) || (isZero(a) && isInfinite(cOperand));
        if (isNaN(a) || isNaN(b) || isNaN(cOperand)) {
            if (productInvalid) {
                c.flags |= Fpscr.VXIMZ;
            }
            return propagate(a, b, cOperand, true, f, c);
        }
        if (productInvalid) {
            return invalid(Fpscr.VXIMZ, c);
        }
        long addend = subtract ? b ^ SIGN : b;
        boolean productNegative = ((a ^ cOperand) < 0);
        long result;
        if (isInfinite(a) || isInfinite(cOperand)) {
            if (isInfinite(addend) && (addend < 0) != productNegative) {
                return invalid(Fpscr.VXISI, c);
            }
            result = (productNegative ? SIGN : 0) | Binary64.PLUS_INFINITY;
        } else if (isInfinite(addend)) {
            result = addend;
        } else if ((result = exactProductFastPath(a, cOperand, addend, f, c)) != NO_FAST_PATH) {
            // The product was exact in double: the fused sum is an ordinary sum, rounded once.
        } else {
            BigInteger product = Binary64.bigSignificand(a).multiply(Binary64.bigSignificand(cOperand));
            result = exactSum(productNegative, product, Binary64.exponent(a) + Binary64.exponent(cOperand),
                    addend < 0, Binary64.bigSignificand(addend), Binary64.exponent(addend), f, c);
        }
        return negate ? result ^ SIGN : result;
    }

    /** A bit pattern no fast path returns (a signalling NaN with a marker payload). */
    private static final long NO_FAST_PATH = 0x7FF0_DEAD_FA57_0001L;

    /**
     * fma for double when {@code a*c} is exactly representable (common for small integers and short fractions):
     * then {@code a*c + b} is the sum of two doubles, whose rounding error TwoSum gives exactly. Returns
     * {@link #NO_FAST_PATH} when the product is inexact or a value is outside the fast range.
     */
    private static long exactProductFastPath(long a, long cOperand, long b, BinaryFormat f, FpContext c) {
        if (f != BinaryFormat.DOUBLE || isZero(a) || isZero(cOperand) || isZero(b)) {
            return NO_FAST_PATH;
        }
        double x = Double.longBitsToDouble(a);
        double y = Double.longBitsToDouble(cOperand);
        double z = Double.longBitsToDouble(b);
        double p = x * y;
        if (!inFastRange(p) || Math.fma(x, y, -p) != 0) {
            return NO_FAST_PATH;
        }
        double r = p + z;
        if (!inFastRange(r)) {
            return NO_FAST_PATH;
        }
        double zv = r - p;
        double pv = r - zv;
        double error = (p - pv) + (z - zv);
        return fromNearest(r, error == 0 ? 0 : (error > 0 ? 1 : -1), c);
    }

    /**
     * The exact sum of two finite values, rounded. An exact zero sum is +0, or -0 when rounding toward minus
     * infinity; the sum of two zeros of the same sign keeps that sign (IEEE 754 6.3, Book I 4.6.6.1).
     */
    static long exactSum(boolean negA, BigInteger ma, int ea, boolean negB, BigInteger mb, int eb, BinaryFormat f,
            FpContext c) {
        // An operand entirely below a quarter of the other's last bit only matters as a sticky bit: replace it by
        // one unit four bits below that last bit, so the shift stays small (the other has full precision then).
        if (ma.signum() != 0 && mb.signum() != 0) {
            if (eb + mb.bitLength() < ea - 3 && ma.bitLength() >= f.precision) {
                return alignedSum(negA, ma.shiftLeft(4), ea - 4, negB, BigInteger.ONE, ea - 5, f, c);
            }
            if (ea + ma.bitLength() < eb - 3 && mb.bitLength() >= f.precision) {
                return alignedSum(negA, BigInteger.ONE, eb - 5, negB, mb.shiftLeft(4), eb - 4, f, c);
            }
        }
        return alignedSum(negA, ma, ea, negB, mb, eb, f, c);
    }

    private static long alignedSum(boolean negA, BigInteger ma, int ea, boolean negB, BigInteger mb, int eb,
            BinaryFormat f, FpContext c) {
        int e = Math.min(ea, eb);
        BigInteger x = ma.shiftLeft(ea - e);
        BigInteger y = mb.shiftLeft(eb - e);
        BigInteger sum = (negA ? x.negate() : x).add(negB ? y.negate() : y);
        if (sum.signum() == 0) {
            boolean negative = negA == negB ? negA : c.roundingMode == Fpscr.ROUND_TOWARD_MINUS_INFINITY;
            return negative ? SIGN : 0;
        }
        return ExactRounding.round(sum.signum() < 0, sum.abs(), e, false, f, c);
    }

    /** A finite value a single can hold (24 significant bits, single exponent range incl. denormals). */
    private static boolean singleOperand(long bits) {
        return FloatConversions.fromSingleBits(FloatConversions.toSingleBits(bits)) == bits
                && !Binary64.isNaN(bits) && !isInfinite(bits);
    }

    /**
     * Where the fast paths apply: results far from the overflow and denormal ranges, so that Java's
     * round-to-nearest result and its exactly computable error decide every mode, and no exception but inexact
     * can occur.
     */
    private static boolean inFastRange(double v) {
        double m = Math.abs(v);
        return m >= 0x1p-900 && m <= 0x1p1000;
    }

    /**
     * The double result in the current mode from the round-to-nearest result {@code r} and the sign of
     * {@code exact - r} ({@code errorSign}: 0 when exact), with XX, FI and FR: a directed mode moves {@code r} one
     * step toward the exact value where nearest rounded the other way.
     */
    private static long fromNearest(double r, int errorSign, FpContext c) {
        if (errorSign == 0) {
            return Double.doubleToRawLongBits(r);
        }
        double result = r;
        switch (c.roundingMode) {
            case Fpscr.ROUND_TOWARD_ZERO -> {
                if (r > 0 && errorSign < 0) {
                    result = Math.nextDown(r);
                } else if (r < 0 && errorSign > 0) {
                    result = Math.nextUp(r);
                }
            }
            case Fpscr.ROUND_TOWARD_PLUS_INFINITY -> {
                if (errorSign > 0) {
                    result = Math.nextUp(r);
                }
            }
            case Fpscr.ROUND_TOWARD_MINUS_INFINITY -> {
                if (errorSign < 0) {
                    result = Math.nextDown(r);
                }
            }
            default -> {
            }
        }
        // Moving past the exact value flips the sign of (exact - result).
        int remaining = result == r ? errorSign : -errorSign;
        boolean incremented = result > 0 ? remaining < 0 : remaining > 0;
        c.flags |= Fpscr.XX | Fpscr.FI | (incremented ? Fpscr.FR : 0);
        return Double.doubleToRawLongBits(result);
    }

    /** Sets an invalid-operation bit and returns the default QNaN. */
    static long invalid(long bit, FpContext c) {
        c.flags |= bit;
        return DEFAULT_NAN;
    }

    /**
     * The NaN result for operands of which at least one is a NaN: the first NaN in the order given, quiet; VXSNAN
     * when any operand signals. {@code third} is considered only when {@code threeOperands}.
     */
    static long propagate(long first, long second, long third, boolean threeOperands, BinaryFormat f, FpContext c) {
        if (isSignalling(first) || isSignalling(second) || (threeOperands && isSignalling(third))) {
            c.flags |= Fpscr.VXSNAN;
        }
        long nan = isNaN(first) ? first : isNaN(second) ? second : third;
        nan = Binary64.quiet(nan);
        return f == BinaryFormat.SINGLE ? Binary64.toSingleNaN(nan) : nan;
    }
}
