package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.Fpscr;
import dev.pvm.engine.cpu.fpu.Binary64;
import dev.pvm.engine.cpu.isa.Field;

/**
 * Floating-point compares (Power ISA v3.0B Book I 4.6.8) and the software divide/square-root tests (4.6.6.1):
 * fcmpu and fcmpo set CR field BF and FPSCR[FPCC] to FL FG FE FU; ftdiv and ftsqrt set CR field BF only.
 */
final class FloatCompareOps {

    private FloatCompareOps() {
    }

    static void bind(SemanticsBinder b) {
        compare(b, "FCMPU", false, "fra", "frb");
        compare(b, "FCMPO", true, "fra", "frb");
        // xscmpudp/xscmpodp (Book I 7.6.1.7) compare doubleword 0 of two VSRs exactly as fcmpu/fcmpo.
        compare(b, "XSCMPUDP", false, "xa", "xb");
        compare(b, "XSCMPODP", true, "xa", "xb");
        b.bind("FTDIV", row -> {
            Field bf = row.field("bf");
            Field fra = row.field("fra");
            Field frb = row.field("frb");
            return (s, i) -> {
                s.setCrField(bf.raw(i), testDivide(s.fprBits(fra.raw(i)), s.fprBits(frb.raw(i))));
            };
        });
        b.bind("FTSQRT", row -> {
            Field bf = row.field("bf");
            Field frb = row.field("frb");
            return (s, i) -> {
                s.setCrField(bf.raw(i), testSquareRoot(s.fprBits(frb.raw(i))));
            };
        });
    }

    /**
     * fcmpu/fcmpo: an SNaN operand sets VXSNAN; fcmpo also sets VXVC for a QNaN operand, and for an SNaN one when
     * invalid-operation exceptions are disabled (VE=0).
     */
    private static void compare(SemanticsBinder b, String name, boolean ordered, String first, String second) {
        b.bind(name, row -> {
            Field bf = row.field("bf");
            Field fra = row.field(first);
            Field frb = row.field(second);
            return (s, i) -> {
                long a = s.fprBits(fra.raw(i));
                long x = s.fprBits(frb.raw(i));
                int cc;
                long exceptions = 0;
                if (Binary64.isNaN(a) || Binary64.isNaN(x)) {
                    cc = 0b0001;
                    exceptions = unorderedExceptions(a, x, ordered, s.fpscr);
                } else {
                    double da = Double.longBitsToDouble(a);
                    double dx = Double.longBitsToDouble(x);
                    cc = da < dx ? 0b1000 : da > dx ? 0b0100 : 0b0010;
                }
                s.setCrField(bf.raw(i), cc);
                long fpscr = (s.fpscr & ~Fpscr.FPCC) | ((long) cc << Fpscr.FPRF_SHIFT);
                s.fpscr = Fpscr.raise(fpscr, exceptions);
                FloatingPoint.finish(s, false);
            };
        });
    }

    /**
     * The invalid-operation exceptions of a compare with a NaN operand: VXSNAN for a signalling one; for an ordered
     * compare also VXVC, for a signalling NaN only when invalid-operation exceptions are disabled (VE=0).
     */
    static long unorderedExceptions(long a, long b, boolean ordered, long fpscr) {
        long exceptions = 0;
        boolean signalling = Binary64.isSignalling(a) || Binary64.isSignalling(b);
        if (signalling) {
            exceptions |= Fpscr.VXSNAN;
        }
        if (ordered && (Binary64.isNaN(a) || Binary64.isNaN(b)) && (!signalling || (fpscr & Fpscr.VE) == 0)) {
            exceptions |= Fpscr.VXVC;
        }
        return exceptions;
    }

    /** The unbiased exponent as ftdiv/ftsqrt read it: the exponent field minus 1023 (-1023 for denormals). */
    private static int exponent(long bits) {
        return Binary64.biasedExponent(bits) - 1023;
    }

    /**
     * ftdiv (Book I 4.6.6.1): CR field = 0b1 || fg_flag || fe_flag || 0b0, where fe_flag says a software divide
     * FRA/FRB may need special handling and fg_flag that FRA is infinite or FRB zero, infinite or denormal.
     */
    static int testDivide(long a, long b) {
        boolean fe = false;
        boolean fg = false;
        if (Binary64.isInfinite(a) || Binary64.isInfinite(b) || Binary64.isZero(b)) {
            fe = true;
            fg = true;
        } else {
            int ea = exponent(a);
            int eb = exponent(b);
            if (Binary64.isNaN(a) || Binary64.isNaN(b) || eb <= -1022 || eb >= 1021) {
                fe = true;
            } else if (!Binary64.isZero(a) && (ea - eb >= 1023 || ea - eb <= -1021 || ea <= -970)) {
                fe = true;
            }
            if (Binary64.isZeroOrDenormal(b)) {
                fg = true;
            }
        }
        return 0b1000 | (fg ? 0b0100 : 0) | (fe ? 0b0010 : 0);
    }

    /**
     * ftsqrt (Book I 4.6.6.1): fe_flag for a zero, infinite, NaN, negative or very small (exponent <= -970)
     * operand; fg_flag for a zero, infinite or denormal one.
     */
    static int testSquareRoot(long b) {
        boolean fe = false;
        boolean fg = false;
        if (Binary64.isInfinite(b) || Binary64.isZero(b)) {
            fe = true;
            fg = true;
        } else {
            if (Binary64.isNaN(b) || b < 0 || exponent(b) <= -1022 + 52) {
                fe = true;
            }
            if (Binary64.isZeroOrDenormal(b)) {
                fg = true;
            }
        }
        return 0b1000 | (fg ? 0b0100 : 0) | (fe ? 0b0010 : 0);
    }
}
