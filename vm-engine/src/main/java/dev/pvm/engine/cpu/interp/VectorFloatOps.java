package dev.pvm.engine.cpu.interp;

import static dev.pvm.engine.cpu.interp.VectorOperands.binary;
import static dev.pvm.engine.cpu.interp.VectorOperands.unary;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.isa.Field;

/**
 * VMX single-precision floating point (Power ISA v3.0B Book I 6.12): round to nearest even whatever the FPSCR
 * says, no exception flags, NaN operands propagate quieted (else the default NaN), and with VSCR[NJ] set
 * denormal operands and results are treated as zero of the same sign (6.3.2, non-Java mode).
 */
final class VectorFloatOps {

    private VectorFloatOps() {
    }

    private static boolean nonJava(CpuState s) {
        return (s.vscr & VectorIntegerOps.VSCR_NJ) != 0;
    }

    /** A denormal flushed to zero in non-Java mode. */
    private static int flush(CpuState s, int bits) {
        if (nonJava(s) && (bits & 0x7F80_0000) == 0) {
            return bits & 0x8000_0000;
        }
        return bits;
    }

    private static float f(int bits) {
        return Float.intBitsToFloat(bits);
    }

    @FunctionalInterface
    private interface FloatBinary {
        float apply(float a, float b);
    }

    private static void arithmetic(SemanticsBinder b, String name, FloatBinary op) {
        binary(b, name, (s, x, y) -> {
            VectorRegister r = new VectorRegister();
            for (int k = 0; k < 4; k++) {
                int p = flush(s, (int) x.get(32, k));
                int q = flush(s, (int) y.get(32, k));
                r.set(32, k, flush(s, FloatBits.propagate(op.apply(f(p), f(q)), p, q)));
            }
            return r;
        });
    }

    @FunctionalInterface
    private interface FloatUnary {
        float apply(float a);
    }

    private static void lanewise(SemanticsBinder b, String name, FloatUnary op) {
        unary(b, name, (s, x) -> {
            VectorRegister r = new VectorRegister();
            for (int k = 0; k < 4; k++) {
                int p = flush(s, (int) x.get(32, k));
                r.set(32, k, flush(s, FloatBits.propagate(op.apply(f(p)), p)));
            }
            return r;
        });
    }

    /** vmaxfp/vminfp: a NaN operand propagates; -0 is less than +0. */
    private static float maxMin(float a, float b, boolean max) {
        if (Float.isNaN(a) || Float.isNaN(b)) {
            return Float.NaN;
        }
        return max ? Math.max(a, b) : Math.min(a, b);
    }

    static void bind(SemanticsBinder b) {
        arithmetic(b, "VADDFP", Float::sum);
        arithmetic(b, "VSUBFP", (p, q) -> p - q);
        arithmetic(b, "VMAXFP", (p, q) -> maxMin(p, q, true));
        arithmetic(b, "VMINFP", (p, q) -> maxMin(p, q, false));
        // The estimates are computed exactly rounded, as QEMU does (the ISA allows any result within 1/4096).
        lanewise(b, "VREFP", p -> 1.0f / p);
        lanewise(b, "VRSQRTEFP", p -> 1.0f / (float) Math.sqrt(p));
        lanewise(b, "VRFIN", p -> (float) Math.rint(p));
        lanewise(b, "VRFIZ", p -> p < 0 ? (float) Math.ceil(p) : (float) Math.floor(p));
        lanewise(b, "VRFIP", p -> (float) Math.ceil(p));
        lanewise(b, "VRFIM", p -> (float) Math.floor(p));
        // vmaddfp VRT,VRA,VRC,VRB: A*C + B rounded once; vnmsubfp: -(A*C - B).
        for (String name : new String[] {"VMADDFP", "VNMSUBFP"}) {
            boolean negate = name.equals("VNMSUBFP");
            VectorOperands.ternary(b, name, (s, x, y, c) -> {
                VectorRegister r = new VectorRegister();
                for (int k = 0; k < 4; k++) {
                    int p = flush(s, (int) x.get(32, k));
                    int addend = flush(s, (int) y.get(32, k));
                    int m = flush(s, (int) c.get(32, k));
                    float v = negate ? -Math.fma(f(p), f(m), -f(addend)) : Math.fma(f(p), f(m), f(addend));
                    r.set(32, k, flush(s, FloatBits.propagate(v, p, addend, m)));
                }
                return r;
            });
        }
        bindConversions(b);
        bindCompares(b);
    }

    private static void bindConversions(SemanticsBinder b) {
        // vcfux/vcfsx: integer words to float, divided by 2^UIM; vctuxs/vctsxs: float times 2^UIM to integer,
        // truncated and saturated (VSCR[SAT]); a NaN converts to 0.
        for (String name : new String[] {"VCFUX", "VCFSX", "VCTUXS", "VCTSXS"}) {
            b.bind(name, row -> {
                Field t = row.field("vrt");
                Field rb = row.field("vrb");
                Field uim = row.field("uim");
                return (s, i) -> {
                    VectorRegister x = VectorRegister.ofVsr(s, 32 + rb.raw(i));
                    int scale = uim.raw(i);
                    VectorRegister r = new VectorRegister();
                    for (int k = 0; k < 4; k++) {
                        long w = x.get(32, k);
                        long result = switch (name) {
                            case "VCFUX" -> Float.floatToRawIntBits(Math.scalb((float) w, -scale));
                            case "VCFSX" -> Float.floatToRawIntBits(Math.scalb((float) (int) w, -scale));
                            case "VCTUXS" -> toInteger(s, flush(s, (int) w), scale, 0, 0xFFFF_FFFFL);
                            default -> toInteger(s, flush(s, (int) w), scale, Integer.MIN_VALUE, Integer.MAX_VALUE);
                        };
                        r.set(32, k, result);
                    }
                    r.toVsr(s, 32 + t.raw(i));
                };
            });
        }
    }

    private static long toInteger(CpuState s, int bits, int scale, long min, long max) {
        float v = f(bits);
        if (Float.isNaN(v)) {
            return 0;
        }
        double scaled = Math.scalb((double) v, scale);
        double truncated = scaled < 0 ? Math.ceil(scaled) : Math.floor(scaled);
        if (truncated < min) {
            s.vscr |= VectorIntegerOps.VSCR_SAT;
            return min;
        }
        if (truncated > max) {
            s.vscr |= VectorIntegerOps.VSCR_SAT;
            return max;
        }
        return (long) truncated;
    }

    private static void bindCompares(SemanticsBinder b) {
        for (String name : new String[] {"VCMPEQFP", "VCMPGEFP", "VCMPGTFP", "VCMPBFP"}) {
            b.bind(name, row -> {
                Field t = row.field("vrt");
                Field ra = row.field("vra");
                Field rb = row.field("vrb");
                Field rc = row.field("rc");
                return (s, i) -> {
                    VectorRegister x = VectorRegister.ofVsr(s, 32 + ra.raw(i));
                    VectorRegister y = VectorRegister.ofVsr(s, 32 + rb.raw(i));
                    VectorRegister r = new VectorRegister();
                    boolean allInBounds = true;
                    for (int k = 0; k < 4; k++) {
                        float p = f(flush(s, (int) x.get(32, k)));
                        float q = f(flush(s, (int) y.get(32, k)));
                        long result = switch (name) {
                            case "VCMPEQFP" -> p == q ? -1L : 0;
                            case "VCMPGEFP" -> p >= q ? -1L : 0;
                            case "VCMPGTFP" -> p > q ? -1L : 0;
                            default -> {
                                // vcmpbfp (6.12.3): bit 0 "not <= B", bit 1 "not >= -B"; NaNs set both.
                                long bits = (p <= q ? 0 : 1L << 31) | (p >= -q ? 0 : 1L << 30);
                                allInBounds &= bits == 0;
                                yield bits;
                            }
                        };
                        r.set(32, k, result);
                    }
                    r.toVsr(s, 32 + t.raw(i));
                    if (rc.raw(i) != 0) {
                        if (name.equals("VCMPBFP")) {
                            s.setCrField(6, allInBounds ? 0b0010 : 0);
                        } else {
                            VectorOperands.recordCr6(s, r);
                        }
                    }
                };
            });
        }
    }
}
