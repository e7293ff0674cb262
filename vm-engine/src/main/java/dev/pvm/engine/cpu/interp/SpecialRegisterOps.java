package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Spr;
import dev.pvm.engine.cpu.TimeBase;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.Field;
import dev.pvm.engine.cpu.mmu.VcpuMmu;

/**
 * Moves to and from special registers and the condition register (Power ISA v3.0B Book I 3.3.17 and Book III
 * 4.4.4). An SPR we do not implement is an illegal instruction here, so that a guest that needs it stops with
 * a message naming it instead of running on with a wrong value.
 */
final class SpecialRegisterOps {

    private static final GuestInterrupt PRIVILEGED =
            new GuestInterrupt.Program(GuestInterrupt.ProgramReason.PRIVILEGED_INSTRUCTION, "");

    private SpecialRegisterOps() {
    }

    static void bind(SemanticsBinder b) {
        TimeBase timeBase = b.timeBase();
        CpuModel model = b.model();
        b.bind("MFSPR", row -> {
            Field rt = row.field("rt");
            Field spr = row.field("spr");
            return (s, i) -> {
                int n = spr.raw(i);
                if (Spr.privileged(n) && s.problemState()) {
                    s.raise(PRIVILEGED);
                    return;
                }
                long value;
                switch (n) {
                    case Spr.XER -> value = s.xer();
                    case Spr.LR -> value = s.lr;
                    case Spr.CTR -> value = s.ctr;
                    case Spr.DSCR, Spr.DSCR_PRIV -> value = s.dscr;
                    case Spr.DSISR -> value = s.dsisr;
                    case Spr.DAR -> value = s.dar;
                    case Spr.SRR0 -> value = s.srr0;
                    case Spr.SRR1 -> value = s.srr1;
                    case Spr.VRSAVE -> value = s.vrsave & 0xFFFF_FFFFL;
                    case Spr.TB -> value = timeBase.read();
                    case Spr.TBU -> value = timeBase.read() >>> 32;
                    case Spr.SPRG0, Spr.SPRG1, Spr.SPRG2, Spr.SPRG3 -> value = s.sprg[n - Spr.SPRG0];
                    case Spr.PVR -> value = model.pvr() & 0xFFFF_FFFFL;
                    case Spr.PIR -> value = s.index;
                    case Spr.PPR -> value = s.ppr;
                    // PPR32 is the high word of PPR (Book II 3.1).
                    case Spr.PPR32 -> value = s.ppr >>> 32;
                    default -> {
                        if (!VcpuMmu.holds(n)) {
                            s.raise(unimplemented("mfspr", n));
                            return;
                        }
                        value = s.mmu.read(n);
                    }
                }
                s.gpr[rt.raw(i)] = value;
            };
        });
        b.bind("MTSPR", row -> {
            Field rs = row.field("rs");
            Field spr = row.field("spr");
            return (s, i) -> {
                int n = spr.raw(i);
                if (Spr.privileged(n) && s.problemState()) {
                    s.raise(PRIVILEGED);
                    return;
                }
                long value = s.gpr[rs.raw(i)];
                switch (n) {
                    case Spr.XER -> s.setXer(value);
                    case Spr.LR -> s.lr = value;
                    case Spr.CTR -> s.ctr = value;
                    case Spr.DSCR, Spr.DSCR_PRIV -> s.dscr = value;
                    // DSISR and the 32-bit SPRs keep their low word (Book III 4.4.4).
                    case Spr.DSISR -> s.dsisr = value & 0xFFFF_FFFFL;
                    case Spr.DAR -> s.dar = value;
                    case Spr.SRR0 -> s.srr0 = value;
                    case Spr.SRR1 -> s.srr1 = value;
                    case Spr.VRSAVE -> s.vrsave = (int) value;
                    case Spr.SPRG0, Spr.SPRG1, Spr.SPRG2, Spr.SPRG3 -> s.sprg[n - Spr.SPRG0] = value;
                    case Spr.PPR -> setPriority(s, value);
                    case Spr.PPR32 -> setPriority(s, value << 32);
                    default -> {
                        if (VcpuMmu.holds(n)) {
                            s.mmu.write(s.msr, n, value);
                        } else {
                            s.raise(unimplemented("mtspr", n));
                        }
                    }
                }
            };
        });
        b.bind("MFTB", row -> {
            Field rt = row.field("rt");
            Field tbr = row.field("tbr");
            return (s, i) -> {
                int n = tbr.raw(i);
                if (n == Spr.TB) {
                    s.gpr[rt.raw(i)] = timeBase.read();
                } else if (n == Spr.TBU) {
                    s.gpr[rt.raw(i)] = timeBase.read() >>> 32;
                } else {
                    s.raise(unimplemented("mftb", n));
                }
            };
        });
        // mcrxrx (Book I 3.3.18, v3.0): CR field BF = OV || OV32 || CA || CA32.
        b.bind("MCRXRX", row -> {
            Field bf = row.field("bf");
            return (s, i) -> s.setCrField(bf.raw(i), s.ov << 3 | s.ov32 << 2 | s.ca << 1 | s.ca32);
        });
        b.bind("MFCR", row -> {
            Field rt = row.field("rt");
            return (s, i) -> s.gpr[rt.raw(i)] = s.cr & 0xFFFF_FFFFL;
        });
        b.bind("MFOCRF", row -> {
            Field rt = row.field("rt");
            Field fxm = row.field("fxm");
            return (s, i) -> s.gpr[rt.raw(i)] = s.cr & fieldMask(fxm.raw(i)) & 0xFFFF_FFFFL;
        });
        for (String name : new String[] {"MTCRF", "MTOCRF"}) {
            b.bind(name, row -> {
                Field rs = row.field("rs");
                Field fxm = row.field("fxm");
                return (s, i) -> {
                    int mask = fieldMask(fxm.raw(i));
                    s.cr = (s.cr & ~mask) | ((int) s.gpr[rs.raw(i)] & mask);
                };
            });
        }
    }

    /**
     * mtspr PPR: only PRI (bits 11:13) is implemented; a priority the current state may not set (medium-high and
     * high need supervisor state, very high the hypervisor, 0 is reserved) leaves PPR unchanged (Book II 3.1).
     */
    static void setPriority(CpuState s, long value) {
        int priority = (int) ((value >>> 50) & 7);
        boolean allowed = priority >= 1 && priority <= (s.problemState() ? 4 : 6);
        if (allowed) {
            s.ppr = (long) priority << 50;
        }
    }

    /** The CR bits selected by FXM: FXM's most significant bit selects CR field 0. */
    static int fieldMask(int fxm) {
        int mask = 0;
        for (int j = 0; j < 8; j++) {
            if ((fxm & (1 << j)) != 0) {
                mask |= 0xf << (4 * j);
            }
        }
        return mask;
    }

    private static GuestInterrupt unimplemented(String insn, int spr) {
        String name = Spr.name(spr);
        return new GuestInterrupt.Program(GuestInterrupt.ProgramReason.ILLEGAL_INSTRUCTION, insn + " of SPR " + spr
                + (name.startsWith("spr ") ? "" : " (" + name + ")") + ", which this CPU does not implement");
    }

}
