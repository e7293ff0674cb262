package dev.pvm.engine.cpu.fpu;

import java.math.BigInteger;

/** Bit-level facts about binary64 values held as raw bits (Book I 4.3.1, 4.3.2). */
public final class Binary64 {

    public static final long SIGN = Long.MIN_VALUE;
    public static final long EXPONENT = 0x7FF0_0000_0000_0000L;
    public static final long FRACTION = 0x000F_FFFF_FFFF_FFFFL;
    /** The fraction's most significant bit: 1 in a quiet NaN, 0 in a signalling one. */
    public static final long QUIET = 1L << 51;
    /** The default QNaN an invalid operation produces when its exception is disabled (Book I 4.3.2). */
    public static final long DEFAULT_NAN = 0x7FF8_0000_0000_0000L;
    public static final long PLUS_INFINITY = EXPONENT;
    public static final long ONE = 0x3FF0_0000_0000_0000L;

    private Binary64() {
    }

    public static boolean isNaN(long bits) {
        return (bits & EXPONENT) == EXPONENT && (bits & FRACTION) != 0;
    }

    public static boolean isSignalling(long bits) {
        return isNaN(bits) && (bits & QUIET) == 0;
    }

    public static boolean isInfinite(long bits) {
        return (bits & ~SIGN) == EXPONENT;
    }

    public static boolean isZero(long bits) {
        return (bits & ~SIGN) == 0;
    }

    public static boolean isNegative(long bits) {
        return bits < 0;
    }

    /** Zero or denormal. */
    public static boolean isZeroOrDenormal(long bits) {
        return (bits & EXPONENT) == 0;
    }

    /** The biased exponent field. */
    public static int biasedExponent(long bits) {
        return (int) ((bits & EXPONENT) >>> 52);
    }

    /** The significand of a finite value, with the implicit bit: value = significand * 2^exponent. */
    public static long significand(long bits) {
        long fraction = bits & FRACTION;
        return biasedExponent(bits) == 0 ? fraction : fraction | (1L << 52);
    }

    /** The exponent that goes with {@link #significand}. */
    public static int exponent(long bits) {
        int biased = biasedExponent(bits);
        return (biased == 0 ? 1 : biased) - 1075;
    }

    static BigInteger bigSignificand(long bits) {
        return BigInteger.valueOf(significand(bits));
    }

    public static long quiet(long bits) {
        return bits | QUIET;
    }

    /**
     * A NaN result of a single-precision instruction: the NaN rounded to single format by truncating its fraction
     * to 23 bits (Book I 4.3.5.1, "the NaN is converted to single format").
     */
    public static long toSingleNaN(long bits) {
        return bits & 0xFFFF_FFFF_E000_0000L;
    }
}
