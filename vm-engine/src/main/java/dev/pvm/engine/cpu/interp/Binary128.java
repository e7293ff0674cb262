package dev.pvm.engine.cpu.interp;

import java.math.BigInteger;

/**
 * IEEE 754 binary128 (quad precision) arithmetic for the VSX quad-precision instructions (Power ISA v3.0B Book I
 * 7.6.1, "VSX Scalar Quad-Precision"): values are held as the two doublewords of a VSR, computed exactly with
 * BigInteger and rounded once, to nearest even or (the instructions' "o" forms) to odd.
 *
 * <p>A finite value is {@code (-1)^sign * m * 2^e}; {@link #round} turns such a value into the bits of a format
 * (binary128, or binary64 for xscvqpdp).
 */
final class Binary128 {

    static final long DEFAULT_NAN_HI = 0x7FFF_8000_0000_0000L;
    private static final long QUIET_BIT = 0x0000_8000_0000_0000L;
    private static final long FRACTION_HI = 0x0000_FFFF_FFFF_FFFFL;

    /** A binary floating-point format: significand bits (with the implicit one), exponent bits. */
    record Format(int precision, int exponentBits) {
        int bias() {
            return (1 << (exponentBits - 1)) - 1;
        }

        /** The exponent of the least significant bit of the smallest subnormal. */
        int minUnitExponent() {
            return 1 - bias() - (precision - 1);
        }
    }

    static final Format QUAD = new Format(113, 15);
    static final Format DOUBLE = new Format(53, 11);

    private Binary128() {
    }

    static int exponent(long hi) {
        return (int) (hi >>> 48) & 0x7FFF;
    }

    static boolean isNaN(long hi, long lo) {
        return exponent(hi) == 0x7FFF && ((hi & FRACTION_HI) != 0 || lo != 0);
    }

    static boolean isSignalling(long hi, long lo) {
        return isNaN(hi, lo) && (hi & QUIET_BIT) == 0;
    }

    static boolean isInfinite(long hi, long lo) {
        return exponent(hi) == 0x7FFF && (hi & FRACTION_HI) == 0 && lo == 0;
    }

    static boolean isZero(long hi, long lo) {
        return (hi & Long.MAX_VALUE) == 0 && lo == 0;
    }

    /** The significand of a finite value as an integer (implicit one included for normal numbers). */
    static BigInteger significand(long hi, long lo) {
        BigInteger m = new BigInteger(1, bytes(hi & FRACTION_HI, lo));
        return exponent(hi) == 0 ? m : m.setBit(112);
    }

    /** The exponent of the significand's least significant bit. */
    static int unitExponent(long hi) {
        int biased = exponent(hi);
        return (biased == 0 ? 1 : biased) - 16383 - 112;
    }

    private static byte[] bytes(long hi, long lo) {
        byte[] b = new byte[16];
        for (int k = 0; k < 8; k++) {
            b[k] = (byte) (hi >>> (56 - 8 * k));
            b[8 + k] = (byte) (lo >>> (56 - 8 * k));
        }
        return b;
    }

    /**
     * Rounds {@code (-1)^sign * (m + sticky) * 2^e} (sticky: inexact bits below m's last one) to {@code format};
     * returns the encoding right-aligned in a 128-bit pair {hi, lo} (binary64 in lo). Overflow gives infinity when
     * rounding to nearest, the largest finite number when rounding to odd.
     */
    static long[] round(boolean sign, BigInteger m, int e, boolean sticky, Format format, boolean toOdd) {
        long signBit = sign ? 1 : 0;
        if (m.signum() == 0 && !sticky) {
            return pack(signBit, 0, BigInteger.ZERO, format);
        }
        int p = format.precision();
        int top = e + m.bitLength() - 1;
        int unit = Math.max(top - (p - 1), format.minUnitExponent());
        int shift = unit - e;
        BigInteger keep;
        if (shift > 0) {
            keep = m.shiftRight(shift);
            BigInteger rest = m.subtract(keep.shiftLeft(shift));
            boolean inexact = rest.signum() != 0 || sticky;
            if (toOdd) {
                if (inexact) {
                    keep = keep.setBit(0);
                }
            } else {
                int half = rest.compareTo(BigInteger.ONE.shiftLeft(shift - 1));
                if (half > 0 || (half == 0 && (sticky || keep.testBit(0)))) {
                    keep = keep.add(BigInteger.ONE);
                }
            }
        } else {
            keep = m.shiftLeft(-shift);
        }
        if (keep.bitLength() > p) {
            keep = keep.shiftRight(1);
            unit++;
        }
        int maxBiased = (1 << format.exponentBits()) - 1;
        if (keep.bitLength() < p) {
            return pack(signBit, 0, keep, format);
        }
        int biased = unit + (p - 1) + format.bias();
        if (biased >= maxBiased) {
            if (toOdd) {
                return pack(signBit, maxBiased - 1, BigInteger.ONE.shiftLeft(p).subtract(BigInteger.ONE), format);
            }
            return pack(signBit, maxBiased, BigInteger.ZERO, format);
        }
        return pack(signBit, biased, keep, format);
    }

    private static long[] pack(long sign, int biased, BigInteger significand, Format format) {
        int fractionBits = format.precision() - 1;
        BigInteger fraction = significand.testBit(fractionBits) ? significand.clearBit(fractionBits) : significand;
        BigInteger all = BigInteger.valueOf(sign).shiftLeft(format.exponentBits()).or(BigInteger.valueOf(biased))
                .shiftLeft(fractionBits).or(fraction);
        return new long[] {all.shiftRight(64).longValue(), all.longValue()};
    }

    static long[] nan(long hi, long lo) {
        return new long[] {hi | QUIET_BIT, lo};
    }

    static long[] infinity(boolean sign) {
        return new long[] {(sign ? Long.MIN_VALUE : 0) | 0x7FFF_0000_0000_0000L, 0};
    }

    static long[] zero(boolean sign) {
        return new long[] {sign ? Long.MIN_VALUE : 0, 0};
    }

    private static boolean sign(long hi) {
        return hi < 0;
    }

    /** The first NaN operand, quieted, or null. */
    private static long[] firstNaN(long[]... operands) {
        for (long[] op : operands) {
            if (isNaN(op[0], op[1])) {
                return nan(op[0], op[1]);
            }
        }
        return null;
    }

    static long[] add(long[] a, long[] b, boolean toOdd) {
        long[] n = firstNaN(a, b);
        if (n != null) {
            return n;
        }
        boolean infA = isInfinite(a[0], a[1]);
        boolean infB = isInfinite(b[0], b[1]);
        if (infA || infB) {
            if (infA && infB && sign(a[0]) != sign(b[0])) {
                return new long[] {DEFAULT_NAN_HI, 0};
            }
            return infA ? a : b;
        }
        BigInteger x = signedSignificand(a);
        BigInteger y = signedSignificand(b);
        int ea = unitExponent(a[0]);
        int eb = unitExponent(b[0]);
        int e = Math.min(ea, eb);
        BigInteger sum = x.shiftLeft(ea - e).add(y.shiftLeft(eb - e));
        if (sum.signum() == 0) {
            // Exact zero: -0 only when both are -0 (round to nearest; Book I 4.3.5).
            return zero(sign(a[0]) && sign(b[0]));
        }
        return round(sum.signum() < 0, sum.abs(), e, false, QUAD, toOdd);
    }

    private static BigInteger signedSignificand(long[] v) {
        BigInteger m = significand(v[0], v[1]);
        return sign(v[0]) ? m.negate() : m;
    }

    static long[] negate(long[] v) {
        return new long[] {v[0] ^ Long.MIN_VALUE, v[1]};
    }

    static long[] multiply(long[] a, long[] b, boolean toOdd) {
        long[] n = firstNaN(a, b);
        if (n != null) {
            return n;
        }
        boolean sign = sign(a[0]) != sign(b[0]);
        boolean infinite = isInfinite(a[0], a[1]) || isInfinite(b[0], b[1]);
        boolean zero = isZero(a[0], a[1]) || isZero(b[0], b[1]);
        if (infinite) {
            return zero ? new long[] {DEFAULT_NAN_HI, 0} : infinity(sign);
        }
        if (zero) {
            return zero(sign);
        }
        BigInteger m = significand(a[0], a[1]).multiply(significand(b[0], b[1]));
        return round(sign, m, unitExponent(a[0]) + unitExponent(b[0]), false, QUAD, toOdd);
    }

    static long[] divide(long[] a, long[] b, boolean toOdd) {
        long[] n = firstNaN(a, b);
        if (n != null) {
            return n;
        }
        boolean sign = sign(a[0]) != sign(b[0]);
        boolean infA = isInfinite(a[0], a[1]);
        boolean infB = isInfinite(b[0], b[1]);
        boolean zeroA = isZero(a[0], a[1]);
        boolean zeroB = isZero(b[0], b[1]);
        if ((infA && infB) || (zeroA && zeroB)) {
            return new long[] {DEFAULT_NAN_HI, 0};
        }
        if (infA || zeroB) {
            return infinity(sign);
        }
        if (infB || zeroA) {
            return zero(sign);
        }
        BigInteger x = significand(a[0], a[1]);
        BigInteger y = significand(b[0], b[1]);
        int extra = 116 + y.bitLength();
        BigInteger[] qr = x.shiftLeft(extra).divideAndRemainder(y);
        return round(sign, qr[0], unitExponent(a[0]) - unitExponent(b[0]) - extra, qr[1].signum() != 0, QUAD,
                toOdd);
    }

    static long[] sqrt(long[] a, boolean toOdd) {
        if (isNaN(a[0], a[1])) {
            return nan(a[0], a[1]);
        }
        if (isZero(a[0], a[1])) {
            return a;
        }
        if (sign(a[0])) {
            return new long[] {DEFAULT_NAN_HI, 0};
        }
        if (isInfinite(a[0], a[1])) {
            return a;
        }
        BigInteger m = significand(a[0], a[1]);
        int e = unitExponent(a[0]);
        int extra = 240;
        if (((e - extra) & 1) != 0) {
            extra++;
        }
        BigInteger scaled = m.shiftLeft(extra);
        BigInteger root = scaled.sqrt();
        boolean inexact = !root.multiply(root).equals(scaled);
        return round(false, root, (e - extra) / 2, inexact, QUAD, toOdd);
    }

    /** {@code a*b + c} rounded once; {@code negate} negates a non-NaN result. NaN order a, c, b. */
    static long[] multiplyAdd(long[] a, long[] b, long[] c, boolean negate, boolean toOdd) {
        long[] n = firstNaN(a, c, b);
        if (n != null) {
            return n;
        }
        long[] r = multiplyAddFinite(a, b, c, toOdd);
        return negate && !isNaN(r[0], r[1]) ? negate(r) : r;
    }

    private static long[] multiplyAddFinite(long[] a, long[] b, long[] c, boolean toOdd) {
        boolean productSign = sign(a[0]) != sign(b[0]);
        boolean infProduct = isInfinite(a[0], a[1]) || isInfinite(b[0], b[1]);
        boolean zeroProduct = isZero(a[0], a[1]) || isZero(b[0], b[1]);
        if (infProduct && zeroProduct) {
            return new long[] {DEFAULT_NAN_HI, 0};
        }
        if (infProduct) {
            if (isInfinite(c[0], c[1]) && sign(c[0]) != productSign) {
                return new long[] {DEFAULT_NAN_HI, 0};
            }
            return infinity(productSign);
        }
        if (isInfinite(c[0], c[1])) {
            return c;
        }
        BigInteger p = significand(a[0], a[1]).multiply(significand(b[0], b[1]));
        if (productSign) {
            p = p.negate();
        }
        int ep = unitExponent(a[0]) + unitExponent(b[0]);
        BigInteger q = signedSignificand(c);
        int ec = unitExponent(c[0]);
        int e = Math.min(ep, ec);
        BigInteger sum = p.shiftLeft(ep - e).add(q.shiftLeft(ec - e));
        if (sum.signum() == 0) {
            boolean bothNegative = productSign && sign(c[0]);
            return zero(p.signum() == 0 && q.signum() == 0 ? bothNegative : false);
        }
        return round(sum.signum() < 0, sum.abs(), e, false, QUAD, toOdd);
    }

    /** Compares two non-NaN values: negative, zero or positive. */
    static int compare(long[] a, long[] b) {
        BigInteger x = isInfinite(a[0], a[1]) ? null : signedSignificand(a);
        BigInteger y = isInfinite(b[0], b[1]) ? null : signedSignificand(b);
        if (x == null || y == null) {
            int ia = x == null ? (sign(a[0]) ? -1 : 1) : 0;
            int ib = y == null ? (sign(b[0]) ? -1 : 1) : 0;
            if (x == null && y == null) {
                return Integer.compare(ia, ib);
            }
            return x == null ? ia : -ib;
        }
        int ea = unitExponent(a[0]);
        int eb = unitExponent(b[0]);
        int e = Math.min(ea, eb);
        return x.shiftLeft(ea - e).compareTo(y.shiftLeft(eb - e));
    }

    /** A finite value truncated toward zero as an exact integer. */
    static BigInteger truncate(long[] a) {
        BigInteger m = significand(a[0], a[1]);
        int e = unitExponent(a[0]);
        BigInteger t = e >= 0 ? m.shiftLeft(e) : m.shiftRight(-e);
        return sign(a[0]) ? t.negate() : t;
    }

    /** An integer converted (rounded to nearest even). */
    static long[] fromInteger(BigInteger v) {
        if (v.signum() == 0) {
            return zero(false);
        }
        return round(v.signum() < 0, v.abs(), 0, false, QUAD, false);
    }

    /** A binary64 value widened exactly; a signalling NaN is quieted. */
    static long[] fromDouble(long bits) {
        long sign = bits & Long.MIN_VALUE;
        int exp = (int) (bits >>> 52) & 0x7FF;
        long frac = bits & 0x000F_FFFF_FFFF_FFFFL;
        if (exp == 0x7FF) {
            long[] r = {sign | 0x7FFF_0000_0000_0000L | frac >>> 4, frac << 60};
            return frac != 0 ? nan(r[0], r[1]) : r;
        }
        if (exp == 0 && frac == 0) {
            return new long[] {sign, 0};
        }
        BigInteger m = BigInteger.valueOf(exp == 0 ? frac : frac | 1L << 52);
        return round(sign != 0, m, (exp == 0 ? 1 : exp) - 1023 - 52, false, QUAD, false);
    }

    /** Rounded to binary64 (xscvqpdp); a NaN keeps its sign and high payload, quieted. */
    static long toDouble(long[] a, boolean toOdd) {
        if (isNaN(a[0], a[1])) {
            return (a[0] & Long.MIN_VALUE) | 0x7FF8_0000_0000_0000L | (a[0] & FRACTION_HI) << 4 | a[1] >>> 60;
        }
        if (isInfinite(a[0], a[1])) {
            return (a[0] & Long.MIN_VALUE) | 0x7FF0_0000_0000_0000L;
        }
        if (isZero(a[0], a[1])) {
            return a[0] & Long.MIN_VALUE;
        }
        return round(sign(a[0]), significand(a[0], a[1]), unitExponent(a[0]), false, DOUBLE, toOdd)[1];
    }
}
