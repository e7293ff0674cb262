package dev.pvm.engine.cpu.interp;

import static dev.pvm.engine.cpu.interp.VectorOperands.binary;
import static dev.pvm.engine.cpu.interp.VectorOperands.unary;

import dev.pvm.engine.cpu.isa.Field;
import java.math.BigInteger;

/**
 * VSX instructions that take floating-point numbers apart and test them (Power ISA v3.0B Book I 7.6.1.5-7.6.1.9):
 * extract/insert exponent and significand, compare exponents, test data class, and the half-precision
 * conversions (rounded once to nearest even through {@link Binary128#round}).
 */
final class VsxExponentOps {

    private static final Binary128.Format HALF = new Binary128.Format(11, 5);

    private VsxExponentOps() {
    }

    static void bind(SemanticsBinder b) {
        gprFromDoubleword(b, "XSXEXPDP", v -> (v >>> 52) & 0x7FF);
        gprFromDoubleword(b, "XSXSIGDP", VsxExponentOps::significandDp);
        b.bind("XSIEXPDP", row -> {
            Field t = row.field("xt");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> VsxFloatOps.setScalar(s, t.raw(i),
                    (s.gpr[ra.raw(i)] & 0x800F_FFFF_FFFF_FFFFL) | (s.gpr[rb.raw(i)] & 0x7FF) << 52);
        });
        unary(b, "XVXEXPDP", (s, x) -> new VectorRegister((x.hi >>> 52) & 0x7FF, (x.lo >>> 52) & 0x7FF));
        unary(b, "XVXSIGDP", (s, x) -> new VectorRegister(significandDp(x.hi), significandDp(x.lo)));
        words(b, "XVXEXPSP", w -> (w >>> 23) & 0xFF);
        words(b, "XVXSIGSP", w -> {
            long e = (w >>> 23) & 0xFF;
            return (w & 0x7F_FFFF) | (e != 0 && e != 0xFF ? 0x80_0000 : 0);
        });
        binary(b, "XVIEXPDP", (s, x, y) -> new VectorRegister((x.hi & 0x800F_FFFF_FFFF_FFFFL) | (y.hi & 0x7FF) << 52,
                (x.lo & 0x800F_FFFF_FFFF_FFFFL) | (y.lo & 0x7FF) << 52));
        binary(b, "XVIEXPSP", (s, x, y) -> {
            VectorRegister r = new VectorRegister();
            for (int k = 0; k < 4; k++) {
                r.set(32, k, (x.get(32, k) & 0x807F_FFFFL) | (y.get(32, k) & 0xFF) << 23);
            }
            return r;
        });
        b.bind("XSCMPEXPDP", row -> {
            Field bf = row.field("bf");
            Field ra = row.field("xa");
            Field rb = row.field("xb");
            return (s, i) -> {
                long x = s.fprBits(ra.raw(i));
                long y = s.fprBits(rb.raw(i));
                long ex = (x >>> 52) & 0x7FF;
                long ey = (y >>> 52) & 0x7FF;
                int c = FloatBits.isNaN(x) || FloatBits.isNaN(y) ? 1 : ex < ey ? 8 : ex > ey ? 4 : 2;
                s.setCrField(bf.raw(i), c);
            };
        });
        // xststdcdp: CR field = sign || 0 || (class in DCMX) || 0.
        b.bind("XSTSTDCDP", row -> {
            Field bf = row.field("bf");
            Field rb = row.field("xb");
            Field dcmx = row.field("dcmx");
            return (s, i) -> {
                long v = s.fprBits(rb.raw(i));
                boolean match = (dcmx.raw(i) & dataClass(v, 11, 52)) != 0;
                s.setCrField(bf.raw(i), (v < 0 ? 8 : 0) | (match ? 2 : 0));
            };
        });
        // xvtstdc[dp,sp]: each element becomes all ones when its class is in DCMX, else zero.
        b.bind("XVTSTDCDP", row -> {
            Field t = row.field("xt");
            Field rb = row.field("xb");
            Field dcmx = row.field("dcmx");
            return (s, i) -> {
                VectorRegister x = VectorRegister.ofVsr(s, rb.raw(i));
                int m = dcmx.raw(i);
                new VectorRegister((m & dataClass(x.hi, 11, 52)) != 0 ? -1L : 0,
                        (m & dataClass(x.lo, 11, 52)) != 0 ? -1L : 0).toVsr(s, t.raw(i));
            };
        });
        b.bind("XVTSTDCSP", row -> {
            Field t = row.field("xt");
            Field rb = row.field("xb");
            Field dcmx = row.field("dcmx");
            return (s, i) -> {
                VectorRegister x = VectorRegister.ofVsr(s, rb.raw(i));
                int m = dcmx.raw(i);
                VectorRegister r = new VectorRegister();
                for (int k = 0; k < 4; k++) {
                    r.set(32, k, (m & dataClass(x.get(32, k) << 32, 8, 23)) != 0 ? 0xFFFF_FFFFL : 0);
                }
                r.toVsr(s, t.raw(i));
            };
        });
        // Half precision: hword 3 of doubleword 0 (scalar) or the low halfword of each word (vector).
        unary(b, "XSCVHPDP", (s, x) -> new VectorRegister(halfToDouble((int) x.hi & 0xFFFF), 0));
        unary(b, "XSCVDPHP", (s, x) -> new VectorRegister(toHalf(x.hi), 0));
        words(b, "XVCVHPSP", w -> FloatBits.doubleToSingleBits(halfToDouble((int) w & 0xFFFF)) & 0xFFFF_FFFFL);
        words(b, "XVCVSPHP", w -> toHalf(FloatBits.singleToDouble((int) w)));
    }

    /**
     * The DCMX bit of a value's data class (Book I 7.6.1.9, xststdcdp): NaN 0x40, +Infinity 0x20,
     * -Infinity 0x10, +Zero 0x08, -Zero 0x04, +Denormal 0x02, -Denormal 0x01, normal numbers 0.
     *
     * @param v        the value's bits in the high end of a long (its sign is bit 63)
     * @param expBits  exponent width (11 for binary64, 8 for binary32)
     * @param fracBits fraction width (52, 23)
     */
    static int dataClass(long v, int expBits, int fracBits) {
        boolean negative = v < 0;
        long exp = (v >>> (63 - expBits)) & ((1L << expBits) - 1);
        long frac = (v >>> (63 - expBits - fracBits)) & ((1L << fracBits) - 1);
        if (exp == (1L << expBits) - 1) {
            return frac != 0 ? 0x40 : negative ? 0x10 : 0x20;
        }
        if (exp == 0) {
            return frac == 0 ? (negative ? 0x04 : 0x08) : (negative ? 0x01 : 0x02);
        }
        return 0;
    }

    private static long significandDp(long v) {
        long e = (v >>> 52) & 0x7FF;
        return (v & 0x000F_FFFF_FFFF_FFFFL) | (e != 0 && e != 0x7FF ? 1L << 52 : 0);
    }

    private static void gprFromDoubleword(SemanticsBinder b, String name, java.util.function.LongUnaryOperator f) {
        b.bind(name, row -> {
            Field rt = row.field("rt");
            Field rb = row.field("xb");
            return (s, i) -> s.gpr[rt.raw(i)] = f.applyAsLong(s.vsrHi[rb.raw(i)]);
        });
    }

    private static void words(SemanticsBinder b, String name, java.util.function.LongUnaryOperator f) {
        unary(b, name, (s, x) -> {
            VectorRegister r = new VectorRegister();
            for (int k = 0; k < 4; k++) {
                r.set(32, k, f.applyAsLong(x.get(32, k)));
            }
            return r;
        });
    }

    /** A binary16 value widened exactly to binary64; a signalling NaN is quieted. */
    static long halfToDouble(int h) {
        long sign = (long) (h >>> 15) << 63;
        int exp = (h >>> 10) & 0x1F;
        long frac = h & 0x3FF;
        if (exp == 0x1F) {
            return sign | 0x7FF0_0000_0000_0000L | (frac != 0 ? 1L << 51 : 0) | frac << 42;
        }
        if (exp == 0 && frac == 0) {
            return sign;
        }
        return Double.doubleToRawLongBits(Math.copySign(Math.scalb((double) (exp == 0 ? frac : frac | 0x400),
                (exp == 0 ? 1 : exp) - 15 - 10), sign != 0 ? -1.0 : 1.0));
    }

    /** A binary64 value rounded to binary16 (nearest even); a NaN keeps its sign and high payload, quieted. */
    static long toHalf(long d) {
        long sign = d >>> 63;
        int exp = (int) (d >>> 52) & 0x7FF;
        long frac = d & 0x000F_FFFF_FFFF_FFFFL;
        if (exp == 0x7FF) {
            return sign << 15 | 0x7C00 | (frac != 0 ? 0x200 | frac >>> 42 : 0);
        }
        if (exp == 0 && frac == 0) {
            return sign << 15;
        }
        BigInteger m = BigInteger.valueOf(exp == 0 ? frac : frac | 1L << 52);
        return Binary128.round(sign != 0, m, (exp == 0 ? 1 : exp) - 1023 - 52, false, HALF, false)[1];
    }
}
