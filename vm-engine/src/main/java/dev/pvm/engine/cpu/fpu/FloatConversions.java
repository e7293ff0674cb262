package dev.pvm.engine.cpu.fpu;

import static dev.pvm.engine.cpu.fpu.Binary64.isInfinite;
import static dev.pvm.engine.cpu.fpu.Binary64.isNaN;
import static dev.pvm.engine.cpu.fpu.Binary64.isSignalling;
import static dev.pvm.engine.cpu.fpu.Binary64.isZero;

import dev.pvm.engine.cpu.Fpscr;
import java.math.BigInteger;

/**
 * Conversions of the floating-point facility (Book I 4.6.7): round to single (frsp), to an integer value in
 * floating-point format (fri*), to and from 64- and 32-bit integers (fcti*, fcfid*), and the bit-level format
 * conversions of single-precision loads and stores (4.6.2, 4.6.3).
 */
public final class FloatConversions {

    /** The integer formats of fcti* and fcfid*. */
    public enum IntegerFormat {
        SIGNED_64(Long.MIN_VALUE, Long.MAX_VALUE, 64, true),
        UNSIGNED_64(0, -1L, 64, false),
        SIGNED_32(Integer.MIN_VALUE, Integer.MAX_VALUE, 32, true),
        UNSIGNED_32(0, 0xFFFF_FFFFL, 32, false);

        final long min;
        final long max;
        final BigInteger bigMin;
        final BigInteger bigMax;
        final boolean signed;

        IntegerFormat(long min, long max, int width, boolean signed) {
            this.min = min;
            this.max = max;
            this.signed = signed;
            this.bigMin = BigInteger.valueOf(min);
            this.bigMax = signed || width == 32 ? BigInteger.valueOf(max) : BigInteger.ONE.shiftLeft(64).subtract(
                    BigInteger.ONE);
        }
    }

    private FloatConversions() {
    }

    /** frsp: FRB rounded to single precision (a NaN is made quiet and truncated to single). */
    public static long roundToSingle(long b, FpContext c) {
        if (isNaN(b)) {
            if (isSignalling(b)) {
                c.flags |= Fpscr.VXSNAN;
            }
            return Binary64.toSingleNaN(Binary64.quiet(b));
        }
        if (isInfinite(b) || isZero(b)) {
            return b;
        }
        return ExactRounding.round(b, BinaryFormat.SINGLE, c);
    }

    /**
     * fcti[w|d][u][z]: FRB rounded to an integer in {@code mode}, saturated to the format (Book I 4.6.7.2). A NaN,
     * an infinity or a value out of range sets VXCVI (plus VXSNAN for a signalling NaN) and gives the nearest
     * limit (a NaN: the most negative value, or 0 for the unsigned formats); otherwise XX and FI report an
     * inexact conversion and FR an incremented magnitude. The 32-bit results are in the low word: signed ones
     * sign-extended, unsigned ones zero-extended (the high word is undefined in the ISA; this is QEMU's choice).
     */
    public static long toInteger(long b, IntegerFormat to, int mode, FpContext c) {
        if (isNaN(b)) {
            c.flags |= Fpscr.VXCVI | (isSignalling(b) ? Fpscr.VXSNAN : 0);
            return to.min;
        }
        if (isInfinite(b)) {
            c.flags |= Fpscr.VXCVI;
            return b < 0 ? to.min : to.max;
        }
        boolean negative = b < 0;
        long m = Binary64.significand(b);
        int e = Binary64.exponent(b);
        BigInteger magnitude;
        boolean inexact;
        boolean incremented;
        if (m == 0) {
            magnitude = BigInteger.ZERO;
            inexact = false;
            incremented = false;
        } else if (e >= 0) {
            magnitude = BigInteger.valueOf(m).shiftLeft(Math.min(e, 80));
            inexact = false;
            incremented = false;
        } else {
            IntegerRounding r = roundToInteger(negative, m, e, mode, false);
            magnitude = BigInteger.valueOf(r.magnitude);
            inexact = r.inexact;
            incremented = r.incremented;
        }
        BigInteger value = negative ? magnitude.negate() : magnitude;
        if (value.compareTo(to.bigMin) < 0) {
            c.flags |= Fpscr.VXCVI;
            return to.min;
        }
        if (value.compareTo(to.bigMax) > 0) {
            c.flags |= Fpscr.VXCVI;
            return to.max;
        }
        if (inexact) {
            c.flags |= Fpscr.XX | Fpscr.FI | (incremented ? Fpscr.FR : 0);
        }
        return value.longValue();
    }

    /**
     * fcfid[u][s]: a 64-bit integer in FRB (signed or unsigned) converted to double or single precision, rounded
     * in the current mode (Book I 4.6.7.2).
     */
    public static long fromInteger(long value, boolean signed, BinaryFormat f, FpContext c) {
        if (value == 0) {
            return 0;
        }
        boolean negative = signed && value < 0;
        BigInteger magnitude = signed ? BigInteger.valueOf(value).abs()
                : new BigInteger(Long.toUnsignedString(value));
        return ExactRounding.round(negative, magnitude, 0, false, f, c);
    }

    /**
     * fri[n|z|p|m]: FRB rounded to an integral value in floating-point format (Book I 4.6.7.3). frin rounds to
     * nearest with ties away from zero. The sign is kept (a negative value rounding to zero gives -0). FR and FI
     * are cleared and XX is not changed by these instructions; an SNaN sets VXSNAN.
     */
    public static long roundToIntegral(long b, int mode, boolean tiesAway, FpContext c) {
        if (isNaN(b)) {
            if (isSignalling(b)) {
                c.flags |= Fpscr.VXSNAN;
            }
            return Binary64.quiet(b);
        }
        if (isInfinite(b) || isZero(b)) {
            return b;
        }
        int e = Binary64.exponent(b);
        if (e >= 0) {
            return b;
        }
        boolean negative = b < 0;
        IntegerRounding r = roundToInteger(negative, Binary64.significand(b), e, mode, tiesAway);
        long sign = negative ? Binary64.SIGN : 0;
        return sign | Double.doubleToRawLongBits((double) r.magnitude);
    }

    private record IntegerRounding(long magnitude, boolean inexact, boolean incremented) {
    }

    /** Rounds {@code m * 2^e} (e < 0, m < 2^53) to an integer magnitude. */
    private static IntegerRounding roundToInteger(boolean negative, long m, int e, int mode, boolean tiesAway) {
        int shift = -e;
        long kept;
        boolean guard;
        boolean rest;
        if (shift > 54) {
            kept = 0;
            guard = false;
            rest = m != 0;
        } else {
            kept = m >>> shift;
            guard = ((m >>> (shift - 1)) & 1) != 0;
            rest = (m & ((1L << (shift - 1)) - 1)) != 0;
        }
        boolean inexact = guard || rest;
        boolean increment = switch (mode) {
            case Fpscr.ROUND_NEAREST -> guard && (tiesAway || rest || (kept & 1) != 0);
            case Fpscr.ROUND_TOWARD_ZERO -> false;
            case Fpscr.ROUND_TOWARD_PLUS_INFINITY -> !negative && inexact;
            default -> negative && inexact;
        };
        return new IntegerRounding(increment ? kept + 1 : kept, inexact, increment);
    }

    /**
     * The word a single-precision store writes for a binary64 value (Book I 4.6.3, "Floating-Point Store
     * Instructions"): no rounding; a value in the single denormal range is denormalised by truncation. Outside
     * the single range the ISA leaves the result undefined; like QEMU, a value too small becomes a signed zero and
     * one too large keeps the bits the formula selects.
     */
    public static int toSingleBits(long bits) {
        int exponent = Binary64.biasedExponent(bits);
        if (exponent > 896) {
            return (int) (((bits >>> 62) << 30) | ((bits >>> 29) & 0x3FFF_FFFFL));
        }
        int word = (int) (bits >>> 63) << 31;
        if (exponent >= 874) {
            long significand = (1L << 52) | (bits & Binary64.FRACTION);
            word |= (int) (significand >>> (896 + 30 - exponent));
        }
        return word;
    }

    /**
     * The binary64 value a single-precision load places in an FPR (Book I 4.6.2): exact, a denormal normalised,
     * a NaN kept bit for bit (a signalling NaN stays signalling).
     */
    public static long fromSingleBits(int word) {
        long sign = (long) (word >>> 31) << 63;
        int exponent = (word >>> 23) & 0xff;
        long fraction = word & 0x7F_FFFFL;
        if (exponent == 0xff) {
            return sign | Binary64.EXPONENT | (fraction << 29);
        }
        if (exponent != 0) {
            return sign | ((long) (exponent - 127 + 1023) << 52) | (fraction << 29);
        }
        if (fraction == 0) {
            return sign;
        }
        int shift = Long.numberOfLeadingZeros(fraction) - 40; // moves the leading one to bit 23
        long normalised = (fraction << shift) & 0x7F_FFFFL;
        return sign | ((long) (-126 - shift + 1023) << 52) | (normalised << 29);
    }
}
