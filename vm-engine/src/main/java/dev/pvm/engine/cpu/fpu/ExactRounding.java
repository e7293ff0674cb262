package dev.pvm.engine.cpu.fpu;

import dev.pvm.engine.cpu.Fpscr;
import java.math.BigInteger;

/**
 * Rounds an exact real result, {@code (-1)^negative * m * 2^e} (plus a "sticky" fraction below {@code 2^e} when the
 * exact value is not representable that way, as for quotients and square roots), to a binary format in one of the
 * four rounding modes, with the Power ISA's exception rules (Book I 4.3.6 rounding, 4.4.4 overflow, 4.4.5
 * underflow, 4.4.6 inexact):
 * <ul>
 * <li>tininess is detected before rounding: the exact value's magnitude is below 2^Emin;</li>
 * <li>with UE=0 a tiny result is denormalised, and UX is set only when it is also inexact; with UE=1 UX is set
 *     and the result is the exact value times 2^1536 (2^192 for single), rounded;</li>
 * <li>with OE=0 an overflow gives infinity or the largest finite number by mode and sets OX, XX, FI; with OE=1
 *     the result is scaled by 2^-1536 (2^-192) and only OX (and XX if inexact) is set;</li>
 * <li>FI is set when the result is inexact, FR when rounding incremented the fraction.</li>
 * </ul>
 * Java rounds only to nearest; this rounds from the exact value, so every mode is exact.
 */
public final class ExactRounding {

    private ExactRounding() {
    }

    /**
     * @param negative the sign of the exact value (also the sign of a zero result)
     * @param m        the exact magnitude's significand, non-negative; may be zero only when {@code sticky} is false
     * @param e        its exponent
     * @param sticky   true when the exact magnitude is strictly between {@code m*2^e} and {@code (m+1)*2^e}; then
     *                 {@code m} must carry at least precision+2 bits
     * @return the rounded result as binary64 bits (a single-precision result is a binary64 value)
     */
    public static long round(boolean negative, BigInteger m, int e, boolean sticky, BinaryFormat f, FpContext c) {
        long sign = negative ? Long.MIN_VALUE : 0;
        if (m.signum() == 0) {
            return sign;
        }
        int leading = e + m.bitLength() - 1;
        if (leading < f.minExponent) {
            if (c.underflowEnabled) {
                Rounded r = toPrecision(negative, m, e + f.trapBias, sticky, f.precision, Integer.MIN_VALUE,
                        c.roundingMode);
                c.flags |= Fpscr.UX | inexactFlags(r);
                return sign | Double.doubleToRawLongBits(r.value());
            }
        }
        Rounded r = toPrecision(negative, m, e, sticky, f.precision, f.minExponent, c.roundingMode);
        if (r.leadingExponent() > f.maxExponent) {
            if (c.overflowEnabled) {
                Rounded scaled = toPrecision(negative, m, e - f.trapBias, sticky, f.precision, Integer.MIN_VALUE,
                        c.roundingMode);
                c.flags |= Fpscr.OX | inexactFlags(scaled);
                return sign | Double.doubleToRawLongBits(scaled.value());
            }
            c.flags |= Fpscr.OX | Fpscr.XX | Fpscr.FI;
            return sign | overflowMagnitude(negative, f, c.roundingMode);
        }
        if (leading < f.minExponent && r.inexact()) {
            c.flags |= Fpscr.UX;
        }
        c.flags |= inexactFlags(r);
        return sign | Double.doubleToRawLongBits(r.value());
    }

    /** Rounds an exact binary64 value's significand to {@code f} (frsp, and single-precision moves of doubles). */
    public static long round(long bits, BinaryFormat f, FpContext c) {
        long abs = bits & Long.MAX_VALUE;
        int exponent = (int) (abs >>> 52);
        long fraction = abs & 0x000F_FFFF_FFFF_FFFFL;
        long m = exponent == 0 ? fraction : fraction | (1L << 52);
        int e = (exponent == 0 ? 1 : exponent) - 1075;
        return round(bits < 0, BigInteger.valueOf(m), e, false, f, c);
    }

    private static long inexactFlags(Rounded r) {
        return (r.inexact() ? Fpscr.XX | Fpscr.FI : 0) | (r.incremented() ? Fpscr.FR : 0);
    }

    /** The result of an overflow with OE=0 (Book I 4.4.4): infinity or the largest finite number, by mode. */
    private static long overflowMagnitude(boolean negative, BinaryFormat f, int mode) {
        long infinity = 0x7FF0_0000_0000_0000L;
        return switch (mode) {
            case Fpscr.ROUND_NEAREST -> infinity;
            case Fpscr.ROUND_TOWARD_ZERO -> f.maxFinite;
            case Fpscr.ROUND_TOWARD_PLUS_INFINITY -> negative ? f.maxFinite : infinity;
            default -> negative ? infinity : f.maxFinite;
        };
    }

    /**
     * A magnitude rounded to {@code precision} bits.
     *
     * @param value            the rounded magnitude (exactly representable as a double)
     * @param leadingExponent  the exponent of its leading bit
     */
    record Rounded(double value, int leadingExponent, boolean inexact, boolean incremented) {
    }

    /**
     * Rounds a magnitude to {@code precision} significant bits, or fewer where the result would fall below
     * 2^minExponent (denormalisation; pass {@link Integer#MIN_VALUE} for an unbounded exponent range).
     */
    static Rounded toPrecision(boolean negative, BigInteger m, int e, boolean sticky, int precision, int minExponent,
            int mode) {
        int leading = e + m.bitLength() - 1;
        int lsb = Math.max(leading, minExponent) - precision + 1;
        int shift = lsb - e;
        BigInteger kept;
        boolean guard;
        boolean rest = sticky;
        if (shift > 0) {
            kept = m.shiftRight(shift);
            guard = m.testBit(shift - 1);
            rest |= m.getLowestSetBit() < shift - 1;
        } else {
            if (sticky) {
                throw new IllegalArgumentException("a sticky value needs at least precision+2 significand bits");
            }
            kept = m.shiftLeft(-shift);
            guard = false;
        }
        boolean inexact = guard || rest;
        boolean increment = switch (mode) {
            case Fpscr.ROUND_NEAREST -> guard && (rest || kept.testBit(0));
            case Fpscr.ROUND_TOWARD_ZERO -> false;
            case Fpscr.ROUND_TOWARD_PLUS_INFINITY -> !negative && inexact;
            default -> negative && inexact;
        };
        long k = kept.longValueExact();
        if (increment) {
            k++;
        }
        int exponent = lsb;
        if (k == 1L << precision) {
            k >>>= 1;
            exponent++;
        }
        int resultLeading = k == 0 ? Integer.MIN_VALUE : exponent + 63 - Long.numberOfLeadingZeros(k);
        double value = k == 0 ? 0.0 : scale(k, exponent);
        return new Rounded(value, resultLeading, inexact, increment);
    }

    /** {@code k * 2^exponent}, exact: callers pass values representable as a double (Math.scalb may round). */
    private static double scale(long k, int exponent) {
        // Two steps keep intermediate values normal where the final one is a denormal.
        if (exponent < -1000) {
            return Math.scalb(Math.scalb((double) k, -1000), exponent + 1000);
        }
        return Math.scalb((double) k, exponent);
    }
}
