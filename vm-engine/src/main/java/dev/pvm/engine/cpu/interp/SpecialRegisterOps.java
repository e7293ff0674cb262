package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Decrementer;
import dev.pvm.engine.cpu.Fscr;
import dev.pvm.engine.cpu.Spr;
import dev.pvm.engine.cpu.TimeBase;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.Field;

/**
 * Moves to and from special registers and the condition register (Power ISA v3.0B Book I 3.3.17 and Book III
 * 4.4.4), following the register table {@link Spr}: who may access each register, its width, and here what
 * reading and writing it does.
 *
 * <p>Access rules for a PAPR guest (MSR[HV]=0), as QEMU's TCG applies them to pseries:
 * <ul>
 * <li>a register the current state may not access (a supervisor one from problem state, a hypervisor one, the
 *     write side of a read-only one) is a privileged-instruction program interrupt;</li>
 * <li>an invalid SPR number (Book III 4.4.4): in problem state a program interrupt (privileged when the number
 *     has bit 0x10, else illegal: the hypervisor's reflection of emulation assistance); in supervisor state a
 *     no-op (numbers 0, 4, 5 and 6 excepted, which are illegal), logged once per number;</li>
 * <li>problem-state use of TAR and the user DSCR needs their FSCR bit, else a facility unavailable
 *     interrupt.</li>
 * </ul>
 */
final class SpecialRegisterOps {

    private static final System.Logger LOG = System.getLogger(SpecialRegisterOps.class.getName());

    private static final GuestInterrupt PRIVILEGED =
            new GuestInterrupt.Program(GuestInterrupt.ProgramReason.PRIVILEGED_INSTRUCTION, "");
    private static final GuestInterrupt TAR_UNAVAILABLE =
            new GuestInterrupt.FacilityUnavailable(Fscr.TAR_CAUSE, "TAR with FSCR[TAR]=0");
    private static final GuestInterrupt DSCR_UNAVAILABLE =
            new GuestInterrupt.FacilityUnavailable(Fscr.DSCR_CAUSE, "DSCR with FSCR[DSCR]=0");

    /** CTRL[RUN] (bit 63) and the thread-state copy QEMU keeps of it (bit 55). */
    static final long CTRL_RUN = 1;
    static final long CTRL_THREAD_RUN = 1L << 8;

    private static final java.util.Set<Integer> REPORTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private SpecialRegisterOps() {
    }

    /** mfspr RT,n. */
    private static void moveFrom(CpuState s, TimeBase timeBase, CpuModel model, int t, int n) {
        Spr.Definition d = Spr.definition(n);
        if (!permitted(s, n, d, d == null ? Spr.Privilege.NONE : d.read(), "mfspr")) {
            return;
        }
        long value = switch (n) {
            case Spr.XER -> s.xer();
            case Spr.LR -> s.lr;
            case Spr.CTR -> s.ctr;
            case Spr.DSCR, Spr.DSCR_PRIV -> s.dscr;
            case Spr.DSISR -> s.dsisr;
            case Spr.DAR -> s.dar;
            case Spr.DEC -> Decrementer.read(s, timeBase.read());
            case Spr.SRR0 -> s.srr0;
            case Spr.SRR1 -> s.srr1;
            case Spr.CFAR -> s.cfar;
            // The MMU's registers live in VcpuMmu: writing them invalidates softmmu TLB entries.
            case Spr.AMR, Spr.AMR_USER, Spr.PIDR, Spr.UAMOR, Spr.IAMR -> s.mmu.read(n);
            case Spr.CTRL_READ -> s.ctrl;
            case Spr.FSCR -> s.fscr;
            case Spr.PSPB -> s.pspb;
            case Spr.VRSAVE -> s.vrsave;
            case Spr.TB, Spr.PURR, Spr.SPURR -> timeBase.read();
            case Spr.TBU -> timeBase.read() >>> 32;
            case Spr.SPRG0, Spr.SPRG1, Spr.SPRG2, Spr.SPRG3 -> s.sprg[n - Spr.SPRG0];
            case Spr.SPRG3_USER -> s.sprg[3];
            case Spr.PVR -> model.pvr();
            case Spr.TAR -> s.tar;
            case Spr.PIR -> s.index;
            case Spr.PPR -> s.ppr;
            // PPR32 is the high word of PPR (Book II 3.1).
            case Spr.PPR32 -> s.ppr >>> 32;
            default -> throw new IllegalStateException("SPR " + n + " is in the table without a read");
        };
        s.gpr[t] = d.width() == 32 ? value & 0xFFFF_FFFFL : value;
    }

    /** mtspr n,RS. */
    private static void moveTo(CpuState s, TimeBase timeBase, int rs, int n) {
        Spr.Definition d = Spr.definition(n);
        if (!permitted(s, n, d, d == null ? Spr.Privilege.NONE : d.write(), "mtspr")) {
            return;
        }
        long value = s.gpr[rs];
        if (d.width() == 32) {
            value &= 0xFFFF_FFFFL;
        }
        switch (n) {
            case Spr.XER -> s.setXer(value);
            case Spr.LR -> s.lr = value;
            case Spr.CTR -> s.ctr = value;
            case Spr.DSCR, Spr.DSCR_PRIV -> s.dscr = value;
            case Spr.DSISR -> s.dsisr = value;
            case Spr.DAR -> s.dar = value;
            case Spr.DEC -> {
                Decrementer.write(s, timeBase.read(), value);
                // A decrementer written negative is an exception now: let the run loop look.
                s.stopRequested = true;
            }
            case Spr.SRR0 -> s.srr0 = value;
            case Spr.SRR1 -> s.srr1 = value;
            case Spr.CFAR -> s.cfar = value;
            // VcpuMmu applies UAMOR in problem state (Book III 5.7.13) and flushes what the change affects.
            case Spr.AMR, Spr.AMR_USER, Spr.PIDR, Spr.UAMOR, Spr.IAMR -> s.mmu.write(s.msr, n, value);
            case Spr.CTRL_WRITE -> s.ctrl = (value & CTRL_RUN) != 0 ? CTRL_RUN | CTRL_THREAD_RUN : 0;
            case Spr.FSCR -> s.fscr = value;
            case Spr.PSPB -> s.pspb = (int) value;
            case Spr.VRSAVE -> s.vrsave = (int) value;
            case Spr.SPRG0, Spr.SPRG1, Spr.SPRG2, Spr.SPRG3 -> s.sprg[n - Spr.SPRG0] = value;
            case Spr.TAR -> s.tar = value;
            case Spr.PPR -> setPriority(s, value);
            case Spr.PPR32 -> setPriority(s, value << 32);
            default -> throw new IllegalStateException("SPR " + n + " is in the table without a write");
        }
    }

    /**
     * Whether the current state may make this access; raises the interrupt and returns false when not.
     * {@code definition} null is an invalid SPR: false without an interrupt means "no-op".
     */
    private static boolean permitted(CpuState s, int n, Spr.Definition definition, Spr.Privilege needed,
            String insn) {
        boolean problem = s.problemState();
        if (definition == null) {
            if (problem) {
                s.raise(Spr.privileged(n) ? PRIVILEGED : unimplemented(insn, n));
            } else if (!Spr.privileged(n) && (n == 0 || (n >= 4 && n <= 6))) {
                s.raise(unimplemented(insn, n));
            } else if (REPORTED.add(n)) {
                LOG.log(System.Logger.Level.INFO, String.format("guest %s of unimplemented SPR %d at 0x%x: no-op "
                        + "(reported once)", insn, n, s.cia));
            }
            return false;
        }
        boolean allowed = switch (needed) {
            case PROBLEM -> true;
            case SUPERVISOR -> !problem;
            case HYPERVISOR, NONE -> false;
        };
        if (!allowed) {
            s.raise(PRIVILEGED);
            return false;
        }
        if (problem && n == Spr.TAR && (s.fscr & Fscr.TAR) == 0) {
            s.raise(TAR_UNAVAILABLE);
            return false;
        }
        if (problem && n == Spr.DSCR && (s.fscr & Fscr.DSCR) == 0) {
            s.raise(DSCR_UNAVAILABLE);
            return false;
        }
        return true;
    }

    static void bind(SemanticsBinder b) {
        TimeBase timeBase = b.timeBase();
        CpuModel model = b.model();
        // mfspr and mtspr (4 % of the code run as decoded units; SPR is a split field) decode ahead.
        b.bind("MFSPR", row -> {
            Field rt = row.field("rt");
            Field spr = row.field("spr");
            return new Semantics() {
                @Override
                public void execute(CpuState s, int i) {
                    moveFrom(s, timeBase, model, rt.raw(i), spr.raw(i));
                }

                @Override
                public DecodedInsn decode(int i) {
                    int t = rt.raw(i);
                    int n = spr.raw(i);
                    return s -> moveFrom(s, timeBase, model, t, n);
                }
            };
        });
        b.bind("MTSPR", row -> {
            Field rs = row.field("rs");
            Field spr = row.field("spr");
            return new Semantics() {
                @Override
                public void execute(CpuState s, int i) {
                    moveTo(s, timeBase, rs.raw(i), spr.raw(i));
                }

                @Override
                public DecodedInsn decode(int i) {
                    int source = rs.raw(i);
                    int n = spr.raw(i);
                    return s -> moveTo(s, timeBase, source, n);
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
