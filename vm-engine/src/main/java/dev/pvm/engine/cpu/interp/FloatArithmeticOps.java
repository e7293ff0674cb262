package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.Fpscr;
import dev.pvm.engine.cpu.fpu.BinaryFormat;
import dev.pvm.engine.cpu.fpu.FloatArithmetic;
import dev.pvm.engine.cpu.fpu.FloatEstimates;
import dev.pvm.engine.cpu.fpu.FpContext;
import dev.pvm.engine.cpu.isa.Field;

/**
 * Floating-point arithmetic (Power ISA v3.0B Book I 4.6.6): elementary arithmetic, square root, the reciprocal
 * estimates and the fused multiply-add family, each in a double and a single-precision row (primary opcodes 63 and
 * 59). Single-precision rows round the exact result once, to single precision.
 */
final class FloatArithmeticOps {

    private FloatArithmeticOps() {
    }

    @FunctionalInterface
    private interface Binary {
        long apply(long x, long y, BinaryFormat f, FpContext c);
    }

    @FunctionalInterface
    private interface Unary {
        long apply(long x, BinaryFormat f, FpContext c);
    }

    @FunctionalInterface
    private interface Ternary {
        long apply(long a, long c, long b, BinaryFormat f, FpContext ctx);
    }

    static void bind(SemanticsBinder b) {
        binary(b, "FADD", "fra", "frb", FloatArithmetic::add);
        binary(b, "FSUB", "fra", "frb", FloatArithmetic::subtract);
        binary(b, "FMUL", "fra", "frc", FloatArithmetic::multiply);
        binary(b, "FDIV", "fra", "frb", FloatArithmetic::divide);
        unary(b, "FSQRT", FloatArithmetic::squareRoot, true);
        // Estimates: FR and FI are undefined and XX is not altered (Book I 4.6.6.1); see FloatEstimates.
        unary(b, "FRE", FloatEstimates::reciprocal, false);
        unary(b, "FRSQRTE", FloatEstimates::reciprocalSquareRoot, false);
        ternary(b, "FMADD", (a, c, x, f, ctx) -> FloatArithmetic.multiplyAdd(a, c, x, false, false, f, ctx));
        ternary(b, "FMSUB", (a, c, x, f, ctx) -> FloatArithmetic.multiplyAdd(a, c, x, true, false, f, ctx));
        ternary(b, "FNMADD", (a, c, x, f, ctx) -> FloatArithmetic.multiplyAdd(a, c, x, false, true, f, ctx));
        ternary(b, "FNMSUB", (a, c, x, f, ctx) -> FloatArithmetic.multiplyAdd(a, c, x, true, true, f, ctx));
    }

    /** Binds the double row NAME and the single row NAMEs. */
    private static void binary(SemanticsBinder b, String name, String first, String second, Binary op) {
        for (BinaryFormat f : BinaryFormat.values()) {
            b.bind(f == BinaryFormat.DOUBLE ? name : name + "S", row -> {
                Field frt = row.field("frt");
                Field x = row.field(first);
                Field y = row.field(second);
                Field rc = row.field("rc");
                int fprf = fprfKind(f);
                return (s, i) -> {
                    FpContext c = FloatingPoint.context(s);
                    long r = op.apply(s.fprBits(x.raw(i)), s.fprBits(y.raw(i)), f, c);
                    FloatingPoint.complete(s, frt.raw(i), r, c, true, fprf, rc.raw(i) != 0);
                };
            });
        }
    }

    private static void unary(SemanticsBinder b, String name, Unary op, boolean altersXx) {
        for (BinaryFormat f : BinaryFormat.values()) {
            b.bind(f == BinaryFormat.DOUBLE ? name : name + "S", row -> {
                Field frt = row.field("frt");
                Field frb = row.field("frb");
                Field rc = row.field("rc");
                int fprf = fprfKind(f);
                return (s, i) -> {
                    FpContext c = FloatingPoint.context(s);
                    long r = op.apply(s.fprBits(frb.raw(i)), f, c);
                    if (!altersXx) {
                        c.flags &= ~Fpscr.XX;
                    }
                    FloatingPoint.complete(s, frt.raw(i), r, c, true, fprf, rc.raw(i) != 0);
                };
            });
        }
    }

    private static void ternary(SemanticsBinder b, String name, Ternary op) {
        for (BinaryFormat f : BinaryFormat.values()) {
            b.bind(f == BinaryFormat.DOUBLE ? name : name + "S", row -> {
                Field frt = row.field("frt");
                Field fra = row.field("fra");
                Field frb = row.field("frb");
                Field frc = row.field("frc");
                Field rc = row.field("rc");
                int fprf = fprfKind(f);
                return (s, i) -> {
                    FpContext c = FloatingPoint.context(s);
                    long r = op.apply(s.fprBits(fra.raw(i)), s.fprBits(frc.raw(i)), s.fprBits(frb.raw(i)), f, c);
                    FloatingPoint.complete(s, frt.raw(i), r, c, true, fprf, rc.raw(i) != 0);
                };
            });
        }
    }

    static int fprfKind(BinaryFormat f) {
        return f == BinaryFormat.DOUBLE ? 1 : 2;
    }
}
