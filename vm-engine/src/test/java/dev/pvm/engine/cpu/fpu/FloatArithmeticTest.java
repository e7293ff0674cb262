package dev.pvm.engine.cpu.fpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.Fpscr;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rounding of every mode checked against exact BigDecimal arithmetic (an oracle independent of both the fast
 * paths and ExactRounding): the result must be the representable neighbour of the exact value that the mode
 * selects, FI must say whether it was exact and FR whether the magnitude was rounded up. Operands span the normal, denormal and near-overflow ranges,
 * so both the fast paths and the exact path run.
 */
class FloatArithmeticTest {

    private static final int CASES = 1000;

    @FunctionalInterface
    private interface Op {
        long apply(long a, long b, long c, FpContext ctx);
    }

    @FunctionalInterface
    private interface Exact {
        BigDecimal apply(double a, double b, double c);
    }

    @Test
    void addMultiplyAndFusedMultiplyAddRoundTheExactResultInEveryMode() {
        check((a, b, c, x) -> FloatArithmetic.add(a, b, BinaryFormat.DOUBLE, x),
                (a, b, c) -> new BigDecimal(a).add(new BigDecimal(b)), 1);
        check((a, b, c, x) -> FloatArithmetic.multiply(a, b, BinaryFormat.DOUBLE, x),
                (a, b, c) -> new BigDecimal(a).multiply(new BigDecimal(b)), 2);
        check((a, b, c, x) -> FloatArithmetic.multiplyAdd(a, b, c, false, false, BinaryFormat.DOUBLE, x),
                (a, b, c) -> new BigDecimal(a).multiply(new BigDecimal(b)).add(new BigDecimal(c)), 3);
    }

    @Test
    void fusedMultiplyAddOfShortOperandsWhoseProductIsExact() {
        Random r = new Random(4);
        for (int i = 0; i < CASES; i++) {
            double a = Math.scalb((double) (r.nextInt(1 << 20) - (1 << 19)), r.nextInt(60) - 30);
            double b = Math.scalb((double) (r.nextInt(1 << 20) - (1 << 19)), r.nextInt(60) - 30);
            double c = r.nextBoolean() ? operand(r) : Math.scalb(r.nextDouble() - 0.5, r.nextInt(80) - 20);
            for (int mode = 0; mode < 4; mode++) {
                FpContext ctx = FpContext.rounding(mode);
                double result = Double.longBitsToDouble(FloatArithmetic.multiplyAdd(bits(a), bits(b), bits(c), false,
                        false, BinaryFormat.DOUBLE, ctx));
                BigDecimal e = new BigDecimal(a).multiply(new BigDecimal(b)).add(new BigDecimal(c));
                if (!Double.isFinite(result) || e.signum() == 0) {
                    continue;
                }
                int cmp = new BigDecimal(result).compareTo(e);
                String what = a + " * " + b + " + " + c + " mode " + mode;
                assertRounding(mode, e.signum(), cmp, ctx.flags, what);
                double other = cmp > 0 ? Math.nextDown(result) : Math.nextUp(result);
                if (cmp != 0) {
                    assertThat(new BigDecimal(other).compareTo(e)).as(what + " neighbour").isEqualTo(-cmp);
                }
            }
        }
    }

    @Test
    void divideAndSquareRootBracketTheExactResult() {
        Random r = new Random(7);
        for (int i = 0; i < CASES; i++) {
            double a = operand(r);
            double b = operand(r);
            for (int mode = 0; mode < 4; mode++) {
                FpContext ctx = FpContext.rounding(mode);
                double q = Double.longBitsToDouble(FloatArithmetic.divide(bits(a), bits(b), BinaryFormat.DOUBLE,
                        ctx));
                if (Double.isFinite(q) && q != 0 && !Double.isNaN(a / b)) {
                    // Compare q*b with a instead of q with a/b (exact in BigDecimal).
                    int cmp = new BigDecimal(q).multiply(new BigDecimal(b)).compareTo(new BigDecimal(a))
                            * (b < 0 ? -1 : 1);
                    assertRounding(mode, q > 0 ? 1 : -1, cmp, ctx.flags, a + " / " + b);
                }
                double x = Math.abs(a);
                FpContext s = FpContext.rounding(mode);
                double root = Double.longBitsToDouble(FloatArithmetic.squareRoot(bits(x), BinaryFormat.DOUBLE, s));
                if (x != 0 && Double.isFinite(x)) {
                    int cmp = new BigDecimal(root).multiply(new BigDecimal(root)).compareTo(new BigDecimal(x));
                    assertRounding(mode, 1, cmp, s.flags, "sqrt " + x);
                }
            }
        }
    }

    /**
     * @param exactSign the sign of the exact value
     * @param cmp       sign of (result - exact), computed exactly
     */
    private static void assertRounding(int mode, int exactSign, int cmp, long flags, String what) {
        assertThat((flags & Fpscr.FI) != 0).as(what + " FI").isEqualTo(cmp != 0);
        assertThat((flags & Fpscr.FR) != 0).as(what + " FR: magnitude rounded up").isEqualTo(cmp * exactSign > 0);
        if (cmp == 0) {
            return;
        }
        switch (mode) {
            case Fpscr.ROUND_TOWARD_PLUS_INFINITY -> assertThat(cmp).as(what + " RP").isPositive();
            case Fpscr.ROUND_TOWARD_MINUS_INFINITY -> assertThat(cmp).as(what + " RM").isNegative();
            case Fpscr.ROUND_TOWARD_ZERO -> assertThat(exactSign > 0 ? cmp : -cmp).as(what + " RZ").isNegative();
            default -> {
            }
        }
    }

    private static void check(Op op, Exact exact, long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < CASES; i++) {
            double a = operand(r);
            double b = operand(r);
            double c = r.nextInt(3) == 0 ? -a * b : operand(r);
            if (!Double.isFinite(c)) {
                c = operand(r);
            }
            for (int mode = 0; mode < 4; mode++) {
                FpContext ctx = FpContext.rounding(mode);
                double result = Double.longBitsToDouble(op.apply(bits(a), bits(b), bits(c), ctx));
                BigDecimal e = exact.apply(a, b, c);
                if (!Double.isFinite(result) || e.signum() == 0) {
                    continue;
                }
                String what = a + " op " + b + " op " + c + " mode " + mode;
                int cmp = new BigDecimal(result).compareTo(e);
                assertRounding(mode, e.signum(), cmp, ctx.flags, what);
                // The result is a neighbour of the exact value: nothing representable lies strictly between.
                double other = cmp > 0 ? Math.nextDown(result) : Math.nextUp(result);
                if (cmp != 0 && Double.isFinite(other)) {
                    assertThat(new BigDecimal(other).compareTo(e)).as(what + " neighbour").isEqualTo(-cmp);
                }
            }
        }
    }

    private static long bits(double d) {
        return Double.doubleToRawLongBits(d);
    }

    private static double operand(Random r) {
        long sign = r.nextBoolean() ? Long.MIN_VALUE : 0;
        int exponent = switch (r.nextInt(4)) {
            case 0 -> 1023 + r.nextInt(20) - 10;
            case 1 -> r.nextInt(40);
            case 2 -> 2046 - r.nextInt(40);
            default -> 1 + r.nextInt(2046);
        };
        return Double.longBitsToDouble(sign | ((long) exponent << 52) | (r.nextLong() & 0x000F_FFFF_FFFF_FFFFL));
    }
}
