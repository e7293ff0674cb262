package dev.pvm.engine.cpu.fpu;

/**
 * The two binary floating-point formats of the FP facility (Book I 4.3.1). A single-precision result lives in an
 * FPR in double format; only its precision and exponent range are single's.
 */
public enum BinaryFormat {
    DOUBLE(53, -1022, 1023, 1536, Double.MAX_VALUE),
    SINGLE(24, -126, 127, 192, Float.MAX_VALUE);

    /** Significand bits, including the implicit one. */
    final int precision;
    /** Exponent of the smallest normal number. */
    final int minExponent;
    /** Exponent of the largest finite number. */
    final int maxExponent;
    /** The exponent adjustment of an enabled overflow or underflow (Book I 4.4.4, 4.4.5). */
    final int trapBias;
    /** The largest finite value, as binary64 bits. */
    final long maxFinite;

    BinaryFormat(int precision, int minExponent, int maxExponent, int trapBias, double maxFinite) {
        this.precision = precision;
        this.minExponent = minExponent;
        this.maxExponent = maxExponent;
        this.trapBias = trapBias;
        this.maxFinite = Double.doubleToRawLongBits(maxFinite);
    }
}
