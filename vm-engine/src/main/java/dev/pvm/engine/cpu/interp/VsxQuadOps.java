package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.isa.Field;
import java.math.BigInteger;

/**
 * VSX scalar quad-precision instructions (Power ISA v3.0B Book I 7.6.1; the 128-bit integer conversions and
 * xscmpgtqp/xscmpgeqp/xscmpeqqp are Power ISA 3.1): binary128 values in VRs, computed by {@link Binary128}.
 * The "o" forms (RO=1) round to odd, the others to nearest even; the FPSCR is not updated yet.
 */
final class VsxQuadOps {

    private VsxQuadOps() {
    }

    @FunctionalInterface
    private interface QuadBinary {
        long[] apply(long[] a, long[] b, boolean toOdd);
    }

    private static long[] vr(CpuState s, int n) {
        return new long[] {s.vsrHi[32 + n], s.vsrLo[32 + n]};
    }

    private static void set(CpuState s, int n, long[] v) {
        s.vsrHi[32 + n] = v[0];
        s.vsrLo[32 + n] = v[1];
    }

    private static void arithmetic(SemanticsBinder b, String name, QuadBinary op) {
        b.bind(name, row -> {
            Field t = row.field("vrt");
            Field ra = row.field("vra");
            Field rb = row.field("vrb");
            Field ro = row.field("ro");
            return (s, i) -> set(s, t.raw(i), op.apply(vr(s, ra.raw(i)), vr(s, rb.raw(i)), ro.raw(i) != 0));
        });
    }

    static void bind(SemanticsBinder b) {
        arithmetic(b, "XSADDQP", Binary128::add);
        arithmetic(b, "XSSUBQP", (x, y, odd) -> Binary128.add(x, Binary128.isNaN(y[0], y[1]) ? y : Binary128.negate(y), odd));
        arithmetic(b, "XSMULQP", Binary128::multiply);
        arithmetic(b, "XSDIVQP", Binary128::divide);
        // xsmaddqp VRT,VRA,VRB: VRA*VRB + VRT; msub subtracts VRT; the n- forms negate (Book I 7.6.1.6).
        for (String name : new String[] {"XSMADDQP", "XSMSUBQP", "XSNMADDQP", "XSNMSUBQP"}) {
            boolean subtract = name.contains("SUB");
            boolean negate = name.startsWith("XSN");
            b.bind(name, row -> {
                Field t = row.field("vrt");
                Field ra = row.field("vra");
                Field rb = row.field("vrb");
                Field ro = row.field("ro");
                return (s, i) -> {
                    long[] c = vr(s, t.raw(i));
                    if (subtract && !Binary128.isNaN(c[0], c[1])) {
                        c = Binary128.negate(c);
                    }
                    set(s, t.raw(i), Binary128.multiplyAdd(vr(s, ra.raw(i)), vr(s, rb.raw(i)), c, negate,
                            ro.raw(i) != 0));
                };
            });
        }
        b.bind("XSSQRTQP", row -> {
            Field t = row.field("vrt");
            Field rb = row.field("vrb");
            Field ro = row.field("ro");
            return (s, i) -> set(s, t.raw(i), Binary128.sqrt(vr(s, rb.raw(i)), ro.raw(i) != 0));
        });
        bindSignAndCompare(b);
        bindConversions(b);
    }

    private static void unary(SemanticsBinder b, String name, java.util.function.UnaryOperator<long[]> op) {
        b.bind(name, row -> {
            Field t = row.field("vrt");
            Field rb = row.field("vrb");
            return (s, i) -> set(s, t.raw(i), op.apply(vr(s, rb.raw(i))));
        });
    }

    private static void bindSignAndCompare(SemanticsBinder b) {
        unary(b, "XSABSQP", v -> new long[] {v[0] & Long.MAX_VALUE, v[1]});
        unary(b, "XSNABSQP", v -> new long[] {v[0] | Long.MIN_VALUE, v[1]});
        unary(b, "XSNEGQP", Binary128::negate);
        b.bind("XSCPSGNQP", row -> {
            Field t = row.field("vrt");
            Field ra = row.field("vra");
            Field rb = row.field("vrb");
            return (s, i) -> {
                long[] y = vr(s, rb.raw(i));
                set(s, t.raw(i), new long[] {(s.vsrHi[32 + ra.raw(i)] & Long.MIN_VALUE) | (y[0] & Long.MAX_VALUE), y[1]});
            };
        });
        for (String name : new String[] {"XSCMPUQP", "XSCMPOQP"}) {
            b.bind(name, row -> {
                Field bf = row.field("bf");
                Field ra = row.field("vra");
                Field rb = row.field("vrb");
                return (s, i) -> {
                    long[] x = vr(s, ra.raw(i));
                    long[] y = vr(s, rb.raw(i));
                    int c;
                    if (Binary128.isNaN(x[0], x[1]) || Binary128.isNaN(y[0], y[1])) {
                        c = 1;
                    } else {
                        int r = Binary128.compare(x, y);
                        c = r < 0 ? 8 : r > 0 ? 4 : 2;
                    }
                    s.setCrField(bf.raw(i), c);
                };
            });
        }
        for (String name : new String[] {"XSCMPEQQP", "XSCMPGEQP", "XSCMPGTQP"}) {
            b.bind(name, row -> {
                Field t = row.field("vrt");
                Field ra = row.field("vra");
                Field rb = row.field("vrb");
                return (s, i) -> {
                    long[] x = vr(s, ra.raw(i));
                    long[] y = vr(s, rb.raw(i));
                    boolean holds = false;
                    if (!Binary128.isNaN(x[0], x[1]) && !Binary128.isNaN(y[0], y[1])) {
                        int r = Binary128.compare(x, y);
                        holds = switch (name) {
                            case "XSCMPEQQP" -> r == 0;
                            case "XSCMPGEQP" -> r >= 0;
                            default -> r > 0;
                        };
                    }
                    set(s, t.raw(i), holds ? new long[] {-1L, -1L} : new long[] {0, 0});
                };
            });
        }
    }

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);

    /** Truncates to an integer saturated to [min, max]; a NaN gives {@code nanValue}. */
    private static BigInteger toInteger(long[] v, BigInteger min, BigInteger max, BigInteger nanValue) {
        if (Binary128.isNaN(v[0], v[1])) {
            return nanValue;
        }
        if (Binary128.isInfinite(v[0], v[1])) {
            return v[0] < 0 ? min : max;
        }
        BigInteger t = Binary128.truncate(v);
        return t.compareTo(min) < 0 ? min : t.compareTo(max) > 0 ? max : t;
    }

    private static long[] quadword(BigInteger v) {
        BigInteger u = v.signum() < 0 ? v.add(TWO_128) : v;
        return new long[] {u.shiftRight(64).longValue(), u.longValue()};
    }

    private static void bindConversions(SemanticsBinder b) {
        BigInteger zero = BigInteger.ZERO;
        BigInteger minS64 = BigInteger.valueOf(Long.MIN_VALUE);
        BigInteger maxS64 = BigInteger.valueOf(Long.MAX_VALUE);
        BigInteger maxU64 = TWO_64.subtract(BigInteger.ONE);
        BigInteger minS32 = BigInteger.valueOf(Integer.MIN_VALUE);
        BigInteger maxS32 = BigInteger.valueOf(Integer.MAX_VALUE);
        BigInteger maxU32 = BigInteger.valueOf(0xFFFF_FFFFL);
        BigInteger minS128 = BigInteger.ONE.shiftLeft(127).negate();
        BigInteger maxS128 = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
        BigInteger maxU128 = TWO_128.subtract(BigInteger.ONE);
        // To integers, truncating (Book I 7.6.1.6): the result in doubleword 0 (words sign- or zero-extended),
        // doubleword 1 zero; 128-bit results fill the register.
        unary(b, "XSCVQPSDZ", v -> new long[] {toInteger(v, minS64, maxS64, minS64).longValue(), 0});
        unary(b, "XSCVQPUDZ", v -> new long[] {toInteger(v, zero, maxU64, zero).longValue(), 0});
        unary(b, "XSCVQPSWZ", v -> new long[] {toInteger(v, minS32, maxS32, minS32).longValue(), 0});
        unary(b, "XSCVQPUWZ", v -> new long[] {toInteger(v, zero, maxU32, zero).longValue(), 0});
        unary(b, "XSCVQPSQZ", v -> quadword(toInteger(v, minS128, maxS128, minS128)));
        unary(b, "XSCVQPUQZ", v -> quadword(toInteger(v, zero, maxU128, zero)));
        unary(b, "XSCVSDQP", v -> Binary128.fromInteger(BigInteger.valueOf(v[0])));
        unary(b, "XSCVUDQP", v -> Binary128.fromInteger(new BigInteger(Long.toUnsignedString(v[0]))));
        unary(b, "XSCVSQQP", v -> Binary128.fromInteger(new BigInteger(1, toBytes(v)).subtract(v[0] < 0 ? TWO_128 : zero)));
        unary(b, "XSCVUQQP", v -> Binary128.fromInteger(new BigInteger(1, toBytes(v))));
        unary(b, "XSCVDPQP", v -> Binary128.fromDouble(v[0]));
        b.bind("XSCVQPDP", row -> {
            Field t = row.field("vrt");
            Field rb = row.field("vrb");
            Field ro = row.field("ro");
            return (s, i) -> set(s, t.raw(i), new long[] {Binary128.toDouble(vr(s, rb.raw(i)), ro.raw(i) != 0), 0});
        });
        // xsiexpqp: sign and fraction of VRA with the exponent from VRB doubleword 0 bits 49:63.
        b.bind("XSIEXPQP", row -> {
            Field t = row.field("vrt");
            Field ra = row.field("vra");
            Field rb = row.field("vrb");
            return (s, i) -> {
                long[] x = vr(s, ra.raw(i));
                long exp = s.vsrHi[32 + rb.raw(i)] & 0x7FFF;
                set(s, t.raw(i), new long[] {(x[0] & 0x8000_FFFF_FFFF_FFFFL) | exp << 48, x[1]});
            };
        });
    }

    private static byte[] toBytes(long[] v) {
        byte[] b = new byte[16];
        for (int k = 0; k < 8; k++) {
            b[k] = (byte) (v[0] >>> (56 - 8 * k));
            b[8 + k] = (byte) (v[1] >>> (56 - 8 * k));
        }
        return b;
    }
}
