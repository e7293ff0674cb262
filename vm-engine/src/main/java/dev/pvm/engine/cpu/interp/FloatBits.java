package dev.pvm.engine.cpu.interp;

/**
 * IEEE 754 bit-level helpers of the VSX floating-point semantics (Power ISA v3.0B Book I 4.3, 7.3.2): NaN
 * propagation and the default NaN, and the conversions between the single format and the double format that a
 * VSR's doubleword holds.
 */
final class FloatBits {

    /** The default quiet NaN an invalid operation produces (Book I 4.3.2). */
    static final long DEFAULT_NAN = 0x7FF8_0000_0000_0000L;
    static final int DEFAULT_NAN_SP = 0x7FC0_0000;
    private static final long QUIET_BIT = 0x0008_0000_0000_0000L;

    private FloatBits() {
    }

    static boolean isNaN(long bits) {
        return (bits & 0x7FFF_FFFF_FFFF_FFFFL) > 0x7FF0_0000_0000_0000L;
    }

    static boolean isSignalling(long bits) {
        return isNaN(bits) && (bits & QUIET_BIT) == 0;
    }

    static long quiet(long bits) {
        return bits | QUIET_BIT;
    }

    static boolean isNaN(int bits) {
        return (bits & 0x7FFF_FFFF) > 0x7F80_0000;
    }

    static int quiet(int bits) {
        return bits | 0x0040_0000;
    }

    /**
     * The result of a double-precision operation whose IEEE result is {@code result}: when it is a NaN, the first
     * NaN operand quieted, or the default NaN when no operand was a NaN (Book I 4.3.2, "Action for NaN operands":
     * Java's own NaN bits are the host's and must not leak).
     */
    static long propagate(double result, long... operands) {
        if (!Double.isNaN(result)) {
            return Double.doubleToRawLongBits(result);
        }
        for (long op : operands) {
            if (isNaN(op)) {
                return quiet(op);
            }
        }
        return DEFAULT_NAN;
    }

    /** The single-precision counterpart of {@link #propagate(double, long...)}. */
    static int propagate(float result, int... operands) {
        if (!Float.isNaN(result)) {
            return Float.floatToRawIntBits(result);
        }
        for (int op : operands) {
            if (isNaN(op)) {
                return quiet(op);
            }
        }
        return DEFAULT_NAN_SP;
    }

    /**
     * A single-precision value widened to double format, exactly and without quieting a signalling NaN (the
     * ISA's ConvertSPtoDP_NS, used by lfs/lxssp/xscvspdpn: Java's float-to-double widening may quiet NaNs).
     */
    static long singleToDouble(int bits) {
        long sign = (long) (bits >>> 31) << 63;
        int exp = (bits >>> 23) & 0xFF;
        long frac = bits & 0x7F_FFFFL;
        if (exp == 0xFF) {
            return sign | 0x7FF0_0000_0000_0000L | frac << 29;
        }
        if (exp == 0 && frac == 0) {
            return sign;
        }
        if (exp == 0) {
            // Denormal single: normalise (every single denormal is a normal double).
            int shift = Long.numberOfLeadingZeros(frac) - 40;
            frac = (frac << shift) & 0x7F_FFFFL;
            return sign | (long) (1 - shift - 127 + 1023) << 52 | frac << 29;
        }
        return sign | (long) (exp - 127 + 1023) << 52 | frac << 29;
    }

    /**
     * The single-format word of a double, as stfs/stxssp store it (Book I 4.6.3, no rounding: exponents in single
     * range keep their high fraction bits, smaller ones are denormalised, NaN payloads keep their high bits).
     */
    static int doubleToSingleBits(long bits) {
        int sign = (int) (bits >>> 63) << 31;
        int exp = (int) ((bits >>> 52) & 0x7FF);
        long frac = bits & 0x000F_FFFF_FFFF_FFFFL;
        if (exp > 896 || (exp == 0 && frac == 0)) {
            // Normal in single range, or Inf/NaN/zero: bits 0:1 and 5:34 of the double.
            return (int) (((bits >>> 32) & 0xC000_0000L) | ((bits >>> 29) & 0x3FFF_FFFFL));
        }
        if (exp >= 874) {
            // Denormalise: shift the significand (with its implicit 1) right.
            long significand = (1L << 52) | frac;
            int shift = 897 - exp;
            return sign | (int) ((significand >>> shift) >>> 29);
        }
        return sign;
    }

    /** A double rounded to single precision (round to nearest even) and widened back, as frsp/xsrsp do. */
    static long roundToSingle(long bits) {
        if (isNaN(bits)) {
            return quiet(bits) & 0xFFFF_FFFF_E000_0000L;
        }
        return singleToDouble(Float.floatToRawIntBits((float) Double.longBitsToDouble(bits)));
    }

    /** A double rounded to the single format word (xscvdpsp, xvcvdpsp): NaNs keep their sign and high payload. */
    static int toSingle(long bits) {
        if (isNaN(bits)) {
            return doubleToSingleBits(quiet(bits));
        }
        return Float.floatToRawIntBits((float) Double.longBitsToDouble(bits));
    }

    /** A single-format word widened to double (xscvspdp, xvcvspdp): a signalling NaN is quieted. */
    static long toDouble(int bits) {
        return isNaN(bits) ? singleToDouble(quiet(bits)) : singleToDouble(bits);
    }
}
