package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.Fpscr;
import dev.pvm.engine.cpu.fpu.BinaryFormat;
import dev.pvm.engine.cpu.fpu.FloatConversions;
import dev.pvm.engine.cpu.fpu.FloatConversions.IntegerFormat;
import dev.pvm.engine.cpu.fpu.FpContext;
import dev.pvm.engine.cpu.isa.Field;

/**
 * Floating-point rounding and conversion (Power ISA v3.0B Book I 4.6.7): frsp, fcti* (to integer: the current
 * mode or, for the z forms, toward zero), fcfid* (from integer) and fri* (to an integral value).
 */
final class FloatConversionOps {

    private static final int CURRENT_MODE = -1;

    private FloatConversionOps() {
    }

    @FunctionalInterface
    private interface Conversion {
        long apply(long frb, FpContext c);
    }

    static void bind(SemanticsBinder b) {
        bind(b, "FRSP", FloatConversions::roundToSingle, 2, true);
        toInteger(b, "FCTID", IntegerFormat.SIGNED_64, CURRENT_MODE);
        toInteger(b, "FCTIDZ", IntegerFormat.SIGNED_64, Fpscr.ROUND_TOWARD_ZERO);
        toInteger(b, "FCTIDU", IntegerFormat.UNSIGNED_64, CURRENT_MODE);
        toInteger(b, "FCTIDUZ", IntegerFormat.UNSIGNED_64, Fpscr.ROUND_TOWARD_ZERO);
        toInteger(b, "FCTIW", IntegerFormat.SIGNED_32, CURRENT_MODE);
        toInteger(b, "FCTIWZ", IntegerFormat.SIGNED_32, Fpscr.ROUND_TOWARD_ZERO);
        toInteger(b, "FCTIWU", IntegerFormat.UNSIGNED_32, CURRENT_MODE);
        toInteger(b, "FCTIWUZ", IntegerFormat.UNSIGNED_32, Fpscr.ROUND_TOWARD_ZERO);
        bind(b, "FCFID", (x, c) -> FloatConversions.fromInteger(x, true, BinaryFormat.DOUBLE, c), 1, true);
        bind(b, "FCFIDU", (x, c) -> FloatConversions.fromInteger(x, false, BinaryFormat.DOUBLE, c), 1, true);
        bind(b, "FCFIDS", (x, c) -> FloatConversions.fromInteger(x, true, BinaryFormat.SINGLE, c), 2, true);
        bind(b, "FCFIDUS", (x, c) -> FloatConversions.fromInteger(x, false, BinaryFormat.SINGLE, c), 2, true);
        // fri*: FR and FI are set to 0, XX is not altered (Book I 4.6.7.3).
        bind(b, "FRIN", (x, c) -> FloatConversions.roundToIntegral(x, Fpscr.ROUND_NEAREST, true, c), 1, true);
        bind(b, "FRIZ", (x, c) -> FloatConversions.roundToIntegral(x, Fpscr.ROUND_TOWARD_ZERO, false, c), 1, true);
        bind(b, "FRIP", (x, c) -> FloatConversions.roundToIntegral(x, Fpscr.ROUND_TOWARD_PLUS_INFINITY, false, c),
                1, true);
        bind(b, "FRIM", (x, c) -> FloatConversions.roundToIntegral(x, Fpscr.ROUND_TOWARD_MINUS_INFINITY, false, c),
                1, true);
    }

    /** fcti*: FPRF is undefined after them (Book I 4.6.7.2); it is left unchanged. */
    private static void toInteger(SemanticsBinder b, String name, IntegerFormat to, int fixedMode) {
        bind(b, name, (x, c) -> FloatConversions.toInteger(x, to, fixedMode == CURRENT_MODE ? c.roundingMode
                : fixedMode, c), 0, true);
    }

    private static void bind(SemanticsBinder b, String name, Conversion op, int fprf, boolean altersFrFi) {
        b.bind(name, row -> {
            Field frt = row.field("frt");
            Field frb = row.field("frb");
            Field rc = row.field("rc");
            return (s, i) -> {
                FpContext c = FloatingPoint.context(s);
                long r = op.apply(s.fprBits(frb.raw(i)), c);
                FloatingPoint.complete(s, frt.raw(i), r, c, altersFrFi, fprf, rc.raw(i) != 0);
            };
        });
    }
}
