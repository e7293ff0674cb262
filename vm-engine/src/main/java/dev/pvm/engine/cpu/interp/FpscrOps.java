package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Fpscr;
import dev.pvm.engine.cpu.isa.Field;

/**
 * The FPSCR instructions (Power ISA v3.0B Book I 4.6.10): the mffs family (with the v3.0 variants that also
 * clear the enables or set a rounding mode), mcrfs, mtfsfi, mtfsf, mtfsb0 and mtfsb1. FEX and VX are never set
 * or cleared explicitly: they follow the other bits.
 */
final class FpscrOps {

    /** What mffscdrn, mffscrn and their immediate forms return: the modes and enables (DRN, VE..XE, NI, RN). */
    static final long CONTROL = Fpscr.DRN | Fpscr.ENABLES | Fpscr.NI | Fpscr.RN;
    /** What mffsl returns: the modes, the enables and the status FR, FI, FPRF. */
    static final long LIGHTWEIGHT = CONTROL | Fpscr.FR | Fpscr.FI | Fpscr.FPRF;

    private FpscrOps() {
    }

    static void bind(SemanticsBinder b) {
        b.bind("MFFS", row -> {
            Field frt = row.field("frt");
            Field rc = row.field("rc");
            return (s, i) -> {
                s.setFprBits(frt.raw(i), s.fpscr & Fpscr.DEFINED);
                if (rc.raw(i) != 0) {
                    s.setCrField(1, Fpscr.cr1(s.fpscr));
                }
            };
        });
        b.bind("MFFSCE", row -> {
            Field frt = row.field("frt");
            return (s, i) -> {
                s.setFprBits(frt.raw(i), s.fpscr & Fpscr.DEFINED);
                s.fpscr = Fpscr.withSummaries(s.fpscr & ~Fpscr.ENABLES);
            };
        });
        b.bind("MFFSL", row -> {
            Field frt = row.field("frt");
            return (s, i) -> s.setFprBits(frt.raw(i), s.fpscr & LIGHTWEIGHT);
        });
        b.bind("MFFSCDRN", row -> {
            Field frb = row.field("frb");
            return swapMode(row.field("frt"), (s, i) -> s.fprBits(frb.raw(i)), Fpscr.DRN);
        });
        b.bind("MFFSCDRNI", row -> {
            Field drm = row.field("drm");
            return swapMode(row.field("frt"), (s, i) -> (long) drm.raw(i) << 32, Fpscr.DRN);
        });
        b.bind("MFFSCRN", row -> {
            Field frb = row.field("frb");
            return swapMode(row.field("frt"), (s, i) -> s.fprBits(frb.raw(i)), Fpscr.RN);
        });
        b.bind("MFFSCRNI", row -> {
            Field rm = row.field("rm");
            return swapMode(row.field("frt"), (s, i) -> rm.raw(i), Fpscr.RN);
        });
        b.bind("MCRFS", row -> {
            Field bf = row.field("bf");
            Field bfa = row.field("bfa");
            return (s, i) -> {
                int shift = 28 - 4 * bfa.raw(i);
                s.setCrField(bf.raw(i), (int) (s.fpscr >>> shift) & 0xf);
                // The exception bits of the field copied are cleared (FX included; FEX and VX follow).
                long cleared = (0xfL << shift) & (Fpscr.EXCEPTIONS | Fpscr.FX);
                s.fpscr = Fpscr.withSummaries(s.fpscr & ~cleared);
                FloatingPoint.finish(s, false);
            };
        });
        b.bind("MTFSFI", row -> {
            Field bf = row.field("bf");
            Field u = row.field("u");
            Field w = row.field("w");
            Field rc = row.field("rc");
            return (s, i) -> {
                int field = bf.raw(i) + 8 * (1 - w.raw(i));
                long mask = 0xfL << (60 - 4 * field);
                long value = (long) u.raw(i) << (60 - 4 * field);
                setFields(s, mask, value);
                FloatingPoint.finish(s, rc.raw(i) != 0);
            };
        });
        b.bind("MTFSF", row -> {
            Field flm = row.field("flm");
            Field frb = row.field("frb");
            Field l = row.field("l");
            Field w = row.field("w");
            Field rc = row.field("rc");
            return (s, i) -> {
                long mask;
                if (l.raw(i) != 0) {
                    mask = -1L;
                } else {
                    mask = 0;
                    int fields = flm.raw(i);
                    int base = 8 * (1 - w.raw(i));
                    for (int k = 0; k < 8; k++) {
                        if ((fields & (0x80 >>> k)) != 0) {
                            mask |= 0xfL << (60 - 4 * (base + k));
                        }
                    }
                }
                setFields(s, mask, s.fprBits(frb.raw(i)));
                FloatingPoint.finish(s, rc.raw(i) != 0);
            };
        });
        b.bind("MTFSB0", row -> {
            Field bt = row.field("bt");
            Field rc = row.field("rc");
            return (s, i) -> {
                long bit = Fpscr.bit(32 + bt.raw(i)) & ~(Fpscr.FEX | Fpscr.VX);
                s.fpscr = Fpscr.withSummaries(s.fpscr & ~bit);
                FloatingPoint.finish(s, rc.raw(i) != 0);
            };
        });
        b.bind("MTFSB1", row -> {
            Field bt = row.field("bt");
            Field rc = row.field("rc");
            return (s, i) -> {
                long bit = Fpscr.bit(32 + bt.raw(i)) & ~(Fpscr.FEX | Fpscr.VX) & Fpscr.DEFINED;
                // Setting an exception bit that was 0 sets FX too (Book I 4.6.10, mtfsb1).
                s.fpscr = Fpscr.raise(s.fpscr | (bit & ~Fpscr.EXCEPTIONS), bit & Fpscr.EXCEPTIONS);
                FloatingPoint.finish(s, rc.raw(i) != 0);
            };
        });
    }

    /**
     * mtfsf/mtfsfi: the selected bits take the new values; FEX and VX are then recomputed, and reserved bits stay 0.
     * When the field holding FX is written, FX takes its value explicitly; otherwise an exception bit going from 0
     * to 1 sets FX by the usual rule (Book I 4.6.10, mtfsf).
     */
    private static void setFields(CpuState s, long mask, long value) {
        long m = mask & Fpscr.DEFINED & ~(Fpscr.FEX | Fpscr.VX);
        long old = s.fpscr;
        long updated = (old & ~m) | (value & m);
        if ((m & Fpscr.FX) == 0 && (updated & ~old & Fpscr.EXCEPTIONS) != 0) {
            updated |= Fpscr.FX;
        }
        s.fpscr = Fpscr.withSummaries(updated);
    }

    @FunctionalInterface
    private interface ModeSource {
        long value(CpuState s, int insn);
    }

    /** mffscdrn[i]/mffscrn[i]: FRT gets the control bits, then the mode field is replaced. */
    private static Semantics swapMode(Field frt, ModeSource source, long field) {
        return (s, i) -> {
            long newMode = source.value(s, i) & field;
            s.setFprBits(frt.raw(i), s.fpscr & CONTROL);
            s.fpscr = (s.fpscr & ~field) | newMode;
        };
    }
}
