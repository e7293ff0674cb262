package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Fpscr;
import dev.pvm.engine.cpu.fpu.Binary64;
import dev.pvm.engine.cpu.isa.Field;

/**
 * Floating-point moves (Power ISA v3.0B Book I 4.6.5) and select (4.6.9): bit operations on the FPRs that never
 * change the FPSCR (a signalling NaN moves unchanged); the record forms copy FPSCR[FX FEX VX OX] into CR1.
 */
final class FloatMoveOps {

    private FloatMoveOps() {
    }

    @FunctionalInterface
    private interface Move {
        long apply(long a, long b);
    }

    static void bind(SemanticsBinder b) {
        unary(b, "FMR", x -> x);
        unary(b, "FNEG", x -> x ^ Binary64.SIGN);
        unary(b, "FABS", x -> x & ~Binary64.SIGN);
        unary(b, "FNABS", x -> x | Binary64.SIGN);
        binary(b, "FCPSGN", (a, x) -> (a & Binary64.SIGN) | (x & ~Binary64.SIGN));
        binary(b, "FMRGEW", (a, x) -> (a & 0xFFFF_FFFF_0000_0000L) | (x >>> 32));
        binary(b, "FMRGOW", (a, x) -> (a << 32) | (x & 0xFFFF_FFFFL));
        b.bind("FSEL", row -> {
            Field frt = row.field("frt");
            Field fra = row.field("fra");
            Field frb = row.field("frb");
            Field frc = row.field("frc");
            Field rc = row.field("rc");
            return (s, i) -> {
                long a = s.fprBits(fra.raw(i));
                // FRA >= 0 (either zero counts) and not a NaN selects FRC.
                boolean greaterOrEqualZero = !Binary64.isNaN(a) && (a >= 0 || Binary64.isZero(a));
                s.setFprBits(frt.raw(i), greaterOrEqualZero ? s.fprBits(frc.raw(i)) : s.fprBits(frb.raw(i)));
                record(s, rc != null && rc.raw(i) != 0);
            };
        });
    }

    private static void unary(SemanticsBinder b, String name, java.util.function.LongUnaryOperator op) {
        b.bind(name, row -> {
            Field frt = row.field("frt");
            Field frb = row.field("frb");
            Field rc = row.field("rc");
            return (s, i) -> {
                s.setFprBits(frt.raw(i), op.applyAsLong(s.fprBits(frb.raw(i))));
                record(s, rc.raw(i) != 0);
            };
        });
    }

    private static void binary(SemanticsBinder b, String name, Move op) {
        b.bind(name, row -> {
            Field frt = row.field("frt");
            Field fra = row.field("fra");
            Field frb = row.field("frb");
            Field rc = row.hasField("rc") ? row.field("rc") : null;
            return (s, i) -> {
                s.setFprBits(frt.raw(i), op.apply(s.fprBits(fra.raw(i)), s.fprBits(frb.raw(i))));
                record(s, rc != null && rc.raw(i) != 0);
            };
        });
    }

    private static void record(CpuState s, boolean rc) {
        if (rc) {
            s.setCrField(1, Fpscr.cr1(s.fpscr));
        }
    }
}
