package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Fpscr;
import dev.pvm.engine.cpu.fpu.BinaryFormat;
import dev.pvm.engine.cpu.fpu.FloatArithmetic;
import dev.pvm.engine.cpu.fpu.FloatConversions;
import dev.pvm.engine.cpu.fpu.FloatConversions.IntegerFormat;
import dev.pvm.engine.cpu.fpu.FpContext;
import dev.pvm.engine.cpu.isa.Field;
import java.util.function.LongUnaryOperator;

/**
 * VSX vector floating-point instructions (Power ISA v3.0B Book I 7.6.1: xv*dp on two doublewords, xv*sp on four
 * words) with the FPSCR: every element is computed in FPSCR[RN] (or the instruction's fixed mode) with the
 * scalar operations' rounding and NaN rules, and the exceptions of all elements are ORed into the FPSCR. Unlike
 * the scalar forms they leave FPRF, FR and FI alone. An enabled invalid-operation or zero-divide exception in
 * any element leaves VSR[XT] (and a compare's CR6) unchanged, and the enabled-exception program interrupt
 * follows as for the FPR instructions.
 *
 * <p>Single-precision elements are widened exactly (a signalling NaN stays signalling), computed in the
 * scalar single-precision arithmetic, and narrowed without a second rounding.
 */
final class VsxVectorFloatOps {

    private VsxVectorFloatOps() {
    }

    /** One element: its result bits (in the element's format), exceptions reported in the context. */
    @FunctionalInterface
    private interface Element3 {
        long apply(long a, long b, long t, FpContext c);
    }

    @FunctionalInterface
    private interface Element2 {
        long apply(long a, long b, FpContext c);
    }

    @FunctionalInterface
    private interface Element1 {
        long apply(long b, FpContext c);
    }

    static void bind(SemanticsBinder b) {
        bindSignOperations(b);
        bindArithmetic(b);
        bindMultiplyAdd(b);
        bindMaxMinCompare(b);
        bindRounding(b);
        bindConversions(b);
    }

    // -------------------------------------------------------------------------------------------- framework

    /**
     * Writes the result unless an enabled invalid-operation or zero-divide exception suppresses it, merges the
     * exception bits (not FR/FI) and raises the enabled-exception interrupt when MSR[FE0|FE1] ask for it.
     *
     * @return whether VSR[XT] was written
     */
    private static boolean complete(CpuState s, int t, long hi, long lo, long flags) {
        long fpscr = Fpscr.raise(s.fpscr, flags & ~(Fpscr.FR | Fpscr.FI));
        boolean suppressed = ((flags & Fpscr.ALL_VX) != 0 && (fpscr & Fpscr.VE) != 0)
                || ((flags & Fpscr.ZX) != 0 && (fpscr & Fpscr.ZE) != 0);
        if (!suppressed) {
            s.vsrHi[t] = hi;
            s.vsrLo[t] = lo;
        }
        s.fpscr = fpscr;
        FloatingPoint.finish(s, false);
        return !suppressed;
    }

    /** An element of a vector as a binary64 value: doublewords as they are, words widened exactly. */
    private static long widen(long element, int bits) {
        return bits == 64 ? element : FloatConversions.fromSingleBits((int) element);
    }

    /** A result computed in binary64 format back to an element (single results are already rounded). */
    private static long narrow(long value, int bits) {
        return bits == 64 ? value : FloatConversions.toSingleBits(value) & 0xFFFF_FFFFL;
    }

    /** XT = op(XA, XB, XT) element-wise, in binary64 format, for XX3 rows. */
    private static void elements3(SemanticsBinder b, String name, int bits, Element3 op) {
        b.bind(name, row -> {
            Field t = row.field("xt");
            Field ra = row.field("xa");
            Field rb = row.field("xb");
            return (s, i) -> {
                VectorRegister x = VectorRegister.ofVsr(s, ra.raw(i));
                VectorRegister y = VectorRegister.ofVsr(s, rb.raw(i));
                VectorRegister z = VectorRegister.ofVsr(s, t.raw(i));
                VectorRegister r = new VectorRegister();
                FpContext c = FloatingPoint.context(s);
                long flags = 0;
                for (int k = 0; k < 128 / bits; k++) {
                    c.flags = 0;
                    long v = op.apply(widen(x.get(bits, k), bits), widen(y.get(bits, k), bits),
                            widen(z.get(bits, k), bits), c);
                    r.set(bits, k, narrow(v, bits));
                    flags |= c.flags;
                }
                complete(s, t.raw(i), r.hi, r.lo, flags);
            };
        });
    }

    private static void elements2(SemanticsBinder b, String name, int bits, Element2 op) {
        elements3(b, name, bits, (x, y, z, c) -> op.apply(x, y, c));
    }

    /** XT = op(XB) element-wise for XX2 rows; {@code from}/{@code to} are the source and result element sizes. */
    private static void elements1(SemanticsBinder b, String name, int bits, Element1 op) {
        b.bind(name, row -> {
            Field t = row.field("xt");
            Field rb = row.field("xb");
            return (s, i) -> {
                VectorRegister x = VectorRegister.ofVsr(s, rb.raw(i));
                VectorRegister r = new VectorRegister();
                FpContext c = FloatingPoint.context(s);
                long flags = 0;
                for (int k = 0; k < 128 / bits; k++) {
                    c.flags = 0;
                    r.set(bits, k, op.apply(x.get(bits, k), c));
                    flags |= c.flags;
                }
                complete(s, t.raw(i), r.hi, r.lo, flags);
            };
        });
    }

    private static BinaryFormat format(int bits) {
        return bits == 64 ? BinaryFormat.DOUBLE : BinaryFormat.SINGLE;
    }

    private static String suffix(int bits) {
        return bits == 64 ? "DP" : "SP";
    }

    // ------------------------------------------------------------------------------------------ arithmetic

    /** Sign manipulation acts on the bits only: no exceptions, NaNs included (Book I 7.6.1.5). */
    private static void bindSignOperations(SemanticsBinder b) {
        for (int bits : new int[] {64, 32}) {
            long sign = bits == 64 ? Long.MIN_VALUE : 0x8000_0000L;
            long magnitude = bits == 64 ? Long.MAX_VALUE : 0x7FFF_FFFFL;
            String p = suffix(bits);
            signRow(b, "XVABS" + p, bits, (x, y) -> x & magnitude);
            signRow(b, "XVNABS" + p, bits, (x, y) -> x | sign);
            signRow(b, "XVNEG" + p, bits, (x, y) -> x ^ sign);
            // xvcpsgn: the sign of XA with the magnitude of XB.
            signRow(b, "XVCPSGN" + p, bits, (x, y) -> (x & sign) | (y & magnitude));
        }
    }

    private static void signRow(SemanticsBinder b, String name, int bits, java.util.function.LongBinaryOperator op) {
        boolean twoOperands = name.startsWith("XVCPSGN");
        b.bind(name, row -> {
            Field t = row.field("xt");
            Field ra = twoOperands ? row.field("xa") : null;
            Field rb = row.field("xb");
            return (s, i) -> {
                VectorRegister y = VectorRegister.ofVsr(s, rb.raw(i));
                VectorRegister x = twoOperands ? VectorRegister.ofVsr(s, ra.raw(i)) : y;
                VectorRegister r = new VectorRegister();
                for (int k = 0; k < 128 / bits; k++) {
                    r.set(bits, k, op.applyAsLong(x.get(bits, k), y.get(bits, k)));
                }
                r.toVsr(s, t.raw(i));
            };
        });
    }

    private static void bindArithmetic(SemanticsBinder b) {
        for (int bits : new int[] {64, 32}) {
            BinaryFormat f = format(bits);
            String p = suffix(bits);
            elements2(b, "XVADD" + p, bits, (x, y, c) -> FloatArithmetic.add(x, y, f, c));
            elements2(b, "XVSUB" + p, bits, (x, y, c) -> FloatArithmetic.subtract(x, y, f, c));
            elements2(b, "XVMUL" + p, bits, (x, y, c) -> FloatArithmetic.multiply(x, y, f, c));
            elements2(b, "XVDIV" + p, bits, (x, y, c) -> FloatArithmetic.divide(x, y, f, c));
            elements1(b, "XVSQRT" + p, bits, (x, c) -> narrow(FloatArithmetic.squareRoot(widen(x, bits), f, c),
                    bits));
        }
    }

    /**
     * xv[n]madd/xv[n]msub[a|m][d|s]p: the "A" forms compute XA*XB+XT, the "M" forms XA*XT+XB, each element rounded
     * once with fmadd's exceptions and NaN precedence.
     */
    private static void bindMultiplyAdd(SemanticsBinder b) {
        for (String prefix : new String[] {"XVMADD", "XVMSUB", "XVNMADD", "XVNMSUB"}) {
            boolean subtract = prefix.endsWith("SUB");
            boolean negate = prefix.startsWith("XVN");
            for (int bits : new int[] {64, 32}) {
                BinaryFormat f = format(bits);
                elements3(b, prefix + "A" + suffix(bits), bits,
                        (x, y, t, c) -> FloatArithmetic.multiplyAdd(x, y, t, subtract, negate, f, c));
                elements3(b, prefix + "M" + suffix(bits), bits,
                        (x, y, t, c) -> FloatArithmetic.multiplyAdd(x, t, y, subtract, negate, f, c));
            }
        }
    }

    // ------------------------------------------------------------------------------- max, min and compares

    private static void bindMaxMinCompare(SemanticsBinder b) {
        for (int bits : new int[] {64, 32}) {
            for (boolean max : new boolean[] {true, false}) {
                // Book I 7.6, xvmaxdp: as xsmaxdp per element, a signalling NaN operand sets VXSNAN.
                elements2(b, (max ? "XVMAX" : "XVMIN") + suffix(bits), bits, (x, y, c) -> {
                    if (FloatBits.isSignalling(x) || FloatBits.isSignalling(y)) {
                        c.flags |= Fpscr.VXSNAN;
                    }
                    return VsxFloatOps.maxMin(x, y, max);
                });
            }
            for (String relation : new String[] {"EQ", "GT", "GE"}) {
                bindCompare(b, "XVCMP" + relation + suffix(bits), bits, relation);
            }
        }
    }

    /**
     * xvcmp[eq|gt|ge][d|s]p[.]: all ones where the relation holds. A signalling NaN sets VXSNAN; the ordered
     * relations (gt, ge) also set VXVC for a quiet NaN, or a signalling one when VE=0, as fcmpo does. The record
     * form sets CR6 (all true / all false), not when an enabled exception suppressed the result.
     */
    private static void bindCompare(SemanticsBinder b, String name, int bits, String relation) {
        boolean ordered = !relation.equals("EQ");
        b.bind(name, row -> {
            Field t = row.field("xt");
            Field ra = row.field("xa");
            Field rb = row.field("xb");
            Field rc = row.field("rc");
            return (s, i) -> {
                VectorRegister x = VectorRegister.ofVsr(s, ra.raw(i));
                VectorRegister y = VectorRegister.ofVsr(s, rb.raw(i));
                VectorRegister r = new VectorRegister();
                long flags = 0;
                for (int k = 0; k < 128 / bits; k++) {
                    long p = widen(x.get(bits, k), bits);
                    long q = widen(y.get(bits, k), bits);
                    boolean snan = FloatBits.isSignalling(p) || FloatBits.isSignalling(q);
                    boolean nan = FloatBits.isNaN(p) || FloatBits.isNaN(q);
                    if (snan) {
                        flags |= Fpscr.VXSNAN;
                    }
                    if (ordered && nan && (!snan || (s.fpscr & Fpscr.VE) == 0)) {
                        flags |= Fpscr.VXVC;
                    }
                    double u = Double.longBitsToDouble(p);
                    double v = Double.longBitsToDouble(q);
                    boolean holds = switch (relation) {
                        case "EQ" -> u == v;
                        case "GT" -> u > v;
                        default -> u >= v;
                    };
                    r.set(bits, k, holds ? -1L : 0);
                }
                if (complete(s, t.raw(i), r.hi, r.lo, flags) && rc.raw(i) != 0) {
                    VectorOperands.recordCr6(s, r);
                }
            };
        });
    }

    // ------------------------------------------------------------------------------------------- rounding

    /**
     * xvrdpi[c|m|p|z], xvrspi[c|m|p|z]: round to an integral value; xvr*pi rounds half away from zero, the "c"
     * forms in FPSCR[RN] and they alone report an inexact result (XX). A signalling NaN sets VXSNAN.
     */
    private static void bindRounding(SemanticsBinder b) {
        for (int bits : new int[] {64, 32}) {
            String p = bits == 64 ? "XVRDPI" : "XVRSPI";
            roundingRow(b, p, bits, Fpscr.ROUND_NEAREST, true, false);
            roundingRow(b, p + "C", bits, -1, false, true);
            roundingRow(b, p + "M", bits, Fpscr.ROUND_TOWARD_MINUS_INFINITY, false, false);
            roundingRow(b, p + "P", bits, Fpscr.ROUND_TOWARD_PLUS_INFINITY, false, false);
            roundingRow(b, p + "Z", bits, Fpscr.ROUND_TOWARD_ZERO, false, false);
        }
    }

    private static void roundingRow(SemanticsBinder b, String name, int bits, int fixedMode, boolean tiesAway,
            boolean reportsInexact) {
        elements1(b, name, bits, (x, c) -> {
            long v = widen(x, bits);
            long r = FloatConversions.roundToIntegral(v, fixedMode < 0 ? c.roundingMode : fixedMode, tiesAway, c);
            if (reportsInexact && !FloatBits.isNaN(v) && r != v) {
                c.flags |= Fpscr.XX;
            }
            return narrow(r, bits);
        });
    }

    // ---------------------------------------------------------------------------------------- conversions

    private static void bindConversions(SemanticsBinder b) {
        // Doubleword elements to integers, truncating (xvcvdp[s|u]x[d|w]s): VXCVI for NaN, infinity or out of
        // range (VXSNAN too for a signalling NaN), XX for an inexact result.
        toIntegerDoublewords(b, "XVCVDPSXDS", IntegerFormat.SIGNED_64);
        toIntegerDoublewords(b, "XVCVDPUXDS", IntegerFormat.UNSIGNED_64);
        fromDoublewords(b, "XVCVDPSXWS", (x, c) -> FloatConversions.toInteger(x, IntegerFormat.SIGNED_32,
                Fpscr.ROUND_TOWARD_ZERO, c));
        fromDoublewords(b, "XVCVDPUXWS", (x, c) -> FloatConversions.toInteger(x, IntegerFormat.UNSIGNED_32,
                Fpscr.ROUND_TOWARD_ZERO, c));
        // Word elements to integers (xvcvsp[s|u]xws) and words 0 and 2 to doublewords (xvcvsp[s|u]xds).
        elements1(b, "XVCVSPSXWS", 32, (w, c) -> FloatConversions.toInteger(widen(w, 32), IntegerFormat.SIGNED_32,
                Fpscr.ROUND_TOWARD_ZERO, c) & 0xFFFF_FFFFL);
        elements1(b, "XVCVSPUXWS", 32, (w, c) -> FloatConversions.toInteger(widen(w, 32),
                IntegerFormat.UNSIGNED_32, Fpscr.ROUND_TOWARD_ZERO, c) & 0xFFFF_FFFFL);
        fromEvenWords(b, "XVCVSPSXDS", (w, c) -> FloatConversions.toInteger(widen(w, 32), IntegerFormat.SIGNED_64,
                Fpscr.ROUND_TOWARD_ZERO, c));
        fromEvenWords(b, "XVCVSPUXDS", (w, c) -> FloatConversions.toInteger(widen(w, 32),
                IntegerFormat.UNSIGNED_64, Fpscr.ROUND_TOWARD_ZERO, c));
        // Integers to floating point, rounded in FPSCR[RN] (XX when inexact).
        elements1(b, "XVCVSXDDP", 64, (x, c) -> FloatConversions.fromInteger(x, true, BinaryFormat.DOUBLE, c));
        elements1(b, "XVCVUXDDP", 64, (x, c) -> FloatConversions.fromInteger(x, false, BinaryFormat.DOUBLE, c));
        fromDoublewords(b, "XVCVSXDSP", (x, c) -> FloatConversions.toSingleBits(
                FloatConversions.fromInteger(x, true, BinaryFormat.SINGLE, c)));
        fromDoublewords(b, "XVCVUXDSP", (x, c) -> FloatConversions.toSingleBits(
                FloatConversions.fromInteger(x, false, BinaryFormat.SINGLE, c)));
        elements1(b, "XVCVSXWSP", 32, (w, c) -> FloatConversions.toSingleBits(
                FloatConversions.fromInteger((int) w, true, BinaryFormat.SINGLE, c)) & 0xFFFF_FFFFL);
        elements1(b, "XVCVUXWSP", 32, (w, c) -> FloatConversions.toSingleBits(
                FloatConversions.fromInteger(w & 0xFFFF_FFFFL, false, BinaryFormat.SINGLE, c)) & 0xFFFF_FFFFL);
        fromEvenWords(b, "XVCVSXWDP", (w, c) -> Double.doubleToRawLongBits((int) w));
        fromEvenWords(b, "XVCVUXWDP", (w, c) -> Double.doubleToRawLongBits(w & 0xFFFF_FFFFL));
        // Between precisions: xvcvdpsp rounds in FPSCR[RN] (OX, UX, XX, VXSNAN); xvcvspdp is exact but quiets
        // a signalling NaN and reports it.
        fromDoublewords(b, "XVCVDPSP", (x, c) -> FloatConversions.toSingleBits(
                FloatConversions.roundToSingle(x, c)));
        fromEvenWords(b, "XVCVSPDP", (w, c) -> {
            long v = widen(w, 32);
            if (FloatBits.isSignalling(v)) {
                c.flags |= Fpscr.VXSNAN;
                return FloatBits.quiet(v);
            }
            return v;
        });
    }

    private static void toIntegerDoublewords(SemanticsBinder b, String name, IntegerFormat to) {
        elements1(b, name, 64, (x, c) -> FloatConversions.toInteger(x, to, Fpscr.ROUND_TOWARD_ZERO, c));
    }

    /**
     * Doubleword elements to word results in words 0 and 2, each copied to the word after it (POWER9, as QEMU
     * models it; the ISA leaves words 1 and 3 undefined).
     */
    private static void fromDoublewords(SemanticsBinder b, String name, Element1 op) {
        perDoubleword(b, name, dw -> dw, op, w -> (w & 0xFFFF_FFFFL) << 32 | (w & 0xFFFF_FFFFL));
    }

    /** Words 0 and 2 to doubleword results. */
    private static void fromEvenWords(SemanticsBinder b, String name, Element1 op) {
        perDoubleword(b, name, dw -> dw >>> 32, op, r -> r);
    }

    /** XT.dw[k] = result(op(source(XB.dw[k]))) for both doublewords, exceptions merged. */
    private static void perDoubleword(SemanticsBinder b, String name, LongUnaryOperator source, Element1 op,
            LongUnaryOperator result) {
        b.bind(name, row -> {
            Field t = row.field("xt");
            Field rb = row.field("xb");
            return (s, i) -> {
                int xb = rb.raw(i);
                FpContext c = FloatingPoint.context(s);
                long d0 = result.applyAsLong(op.apply(source.applyAsLong(s.vsrHi[xb]), c));
                long flags = c.flags;
                c.flags = 0;
                long d1 = result.applyAsLong(op.apply(source.applyAsLong(s.vsrLo[xb]), c));
                complete(s, t.raw(i), d0, d1, flags | c.flags);
            };
        });
    }
}
