package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Fscr;
import dev.pvm.engine.cpu.Hypervisor;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.Field;
import java.util.function.IntBinaryOperator;

/**
 * Branch facility (Power ISA v3.0B Book I chapter 2): branches, system call and condition register logical
 * instructions.
 */
final class BranchOps {


    private BranchOps() {
    }

    static void bind(SemanticsBinder b) {
        // b, bc and bclr decode ahead (Semantics.decode): they are a sixth of the code run as decoded units.
        b.bind("B", row -> {
            Field li = row.field("li");
            Field aa = row.field("aa");
            Field lk = row.field("lk");
            return new Semantics() {
                @Override
                public void execute(CpuState s, int i) {
                    branch(s, aa.raw(i) != 0, li.extract(i), lk.raw(i) != 0);
                }

                @Override
                public DecodedInsn decode(int i) {
                    boolean absolute = aa.raw(i) != 0;
                    long offset = li.extract(i);
                    boolean link = lk.raw(i) != 0;
                    return s -> branch(s, absolute, offset, link);
                }
            };
        });
        b.bind("BC", row -> {
            Field bo = row.field("bo");
            Field bi = row.field("bi");
            Field bd = row.field("bd");
            Field aa = row.field("aa");
            Field lk = row.field("lk");
            return new Semantics() {
                @Override
                public void execute(CpuState s, int i) {
                    branchConditional(s, bo.raw(i), bi.raw(i), aa.raw(i) != 0, bd.extract(i), lk.raw(i) != 0);
                }

                @Override
                public DecodedInsn decode(int i) {
                    int options = bo.raw(i);
                    int bit = bi.raw(i);
                    boolean absolute = aa.raw(i) != 0;
                    long offset = bd.extract(i);
                    boolean link = lk.raw(i) != 0;
                    return s -> branchConditional(s, options, bit, absolute, offset, link);
                }
            };
        });
        b.bind("BCLR", row -> {
            Field bo = row.field("bo");
            Field bi = row.field("bi");
            Field lk = row.field("lk");
            return new Semantics() {
                @Override
                public void execute(CpuState s, int i) {
                    branchToLink(s, bo.raw(i), bi.raw(i), lk.raw(i) != 0);
                }

                @Override
                public DecodedInsn decode(int i) {
                    int options = bo.raw(i);
                    int bit = bi.raw(i);
                    boolean link = lk.raw(i) != 0;
                    return s -> branchToLink(s, options, bit, link);
                }
            };
        });
        b.bind("BCCTR", row -> {
            Field bo = row.field("bo");
            Field bi = row.field("bi");
            Field lk = row.field("lk");
            return (s, i) -> {
                int boValue = bo.raw(i);
                long target = s.ctr & ~3L;
                long next = s.nia;
                boolean taken = (boValue & 4) == 0
                        ? decrementingBcctrHolds(s, boValue, bi.raw(i))
                        : conditionHolds(s, boValue, bi.raw(i), false);
                if (lk.raw(i) != 0) {
                    s.lr = next;
                }
                if (taken) {
                    s.nia = target & s.eaMask;
                }
            };
        });
        Hypervisor hypervisor = b.hypervisor();
        b.bind("SC", row -> {
            Field lev = row.field("lev");
            return (s, i) -> {
                int level = lev.raw(i);
                // Book III 4.3.1 / PAPR: sc 1 from supervisor state is a hypercall; the hypervisor returns to NIA.
                if (level == 1 && !s.problemState()) {
                    hypervisor.hypercall(s);
                } else {
                    s.raise(new GuestInterrupt.SystemCall(level));
                }
            };
        });
        // scv (Book I 2.5.1 and Book III 7.5.19, v3.0): system call vectored. It always interrupts (there is
        // no hypercall form); the handler at the LEV-selected vector returns with rfscv. The operating system
        // enables it with FSCR[SCV]; without, a facility unavailable interrupt (QEMU helper_scv).
        GuestInterrupt scvUnavailable = new GuestInterrupt.FacilityUnavailable(Fscr.SCV_CAUSE,
                "scv with FSCR[SCV]=0");
        b.bind("SCV", row -> {
            Field lev = row.field("lev");
            return (s, i) -> s.raise((s.fscr & Fscr.SCV) != 0 ? new GuestInterrupt.SystemCallVectored(lev.raw(i))
                    : scvUnavailable);
        });
        crLogical(b, "CRAND", (x, y) -> x & y);
        crLogical(b, "CRNAND", (x, y) -> ~(x & y) & 1);
        crLogical(b, "CROR", (x, y) -> x | y);
        crLogical(b, "CRXOR", (x, y) -> x ^ y);
        crLogical(b, "CRNOR", (x, y) -> ~(x | y) & 1);
        crLogical(b, "CREQV", (x, y) -> ~(x ^ y) & 1);
        crLogical(b, "CRANDC", (x, y) -> x & ~y & 1);
        crLogical(b, "CRORC", (x, y) -> (x | ~y) & 1);
        b.bind("MCRF", row -> {
            Field bf = row.field("bf");
            Field bfa = row.field("bfa");
            return (s, i) -> s.setCrField(bf.raw(i), s.crField(bfa.raw(i)));
        });
    }

    /** b: to the (absolute or CIA-relative) offset; with LK the next instruction's address goes to LR. */
    private static void branch(CpuState s, boolean absolute, long offset, boolean link) {
        long target = absolute ? offset : s.cia + offset;
        if (link) {
            s.lr = s.nia;
        }
        s.nia = target & s.eaMask;
    }

    /** bc: as b when BO/BI's condition holds (CTR decremented first where BO says). */
    private static void branchConditional(CpuState s, int bo, int bi, boolean absolute, long offset, boolean link) {
        long next = s.nia;
        boolean taken = conditionHolds(s, bo, bi, true);
        if (link) {
            s.lr = next;
        }
        if (taken) {
            long target = absolute ? offset : s.cia + offset;
            s.nia = target & s.eaMask;
        }
    }

    /** bclr: to LR (read before LK replaces it) when the condition holds. */
    private static void branchToLink(CpuState s, int bo, int bi, boolean link) {
        long target = s.lr & ~3L;
        long next = s.nia;
        boolean taken = conditionHolds(s, bo, bi, true);
        if (link) {
            s.lr = next;
        }
        if (taken) {
            s.nia = target & s.eaMask;
        }
    }

    /**
     * The BO/BI test of the conditional branches (Book I 2.4, figure "BO field encodings"): BO[2]=0 decrements
     * CTR and BO[3] says whether to branch on CTR=0 (only the low word counts in 32-bit mode); BO[0]=0 tests
     * CR bit BI against BO[1].
     */
    static boolean conditionHolds(CpuState s, int bo, int bi, boolean mayDecrement) {
        boolean ctrOk = true;
        if (mayDecrement && (bo & 4) == 0) {
            s.ctr = s.ctr - 1;
            long counter = s.sixtyFourBit() ? s.ctr : s.ctr & 0xFFFF_FFFFL;
            ctrOk = (counter != 0) != ((bo & 2) != 0);
        }
        boolean condOk = (bo & 16) != 0 || s.crBit(bi) == ((bo >>> 3) & 1);
        return ctrOk && condOk;
    }

    /**
     * bcctr with BO[2]=0: an invalid form in every ISA version, which 64-bit server processors (POWER7-9, and
     * QEMU for them) execute as "test and decrement": the branch tests the CTR value from before the decrement
     * and goes to that value. Linux's count-cache flush ({@code bcctr 2,0,0}, PPC_BCCTR_FLUSH, patched in when
     * H_GET_CPU_CHARACTERISTICS asks for it) relies on it falling through with CTR != 0.
     */
    private static boolean decrementingBcctrHolds(CpuState s, int bo, int bi) {
        long counter = s.sixtyFourBit() ? s.ctr : s.ctr & 0xFFFF_FFFFL;
        s.ctr = s.ctr - 1;
        boolean ctrOk = (counter != 0) != ((bo & 2) != 0);
        boolean condOk = (bo & 16) != 0 || s.crBit(bi) == ((bo >>> 3) & 1);
        return ctrOk && condOk;
    }

    private static void crLogical(SemanticsBinder b, String name, IntBinaryOperator op) {
        b.bind(name, row -> {
            Field bt = row.field("bt");
            Field ba = row.field("ba");
            Field bb = row.field("bb");
            return (s, i) -> s.setCrBit(bt.raw(i), op.applyAsInt(s.crBit(ba.raw(i)), s.crBit(bb.raw(i))));
        });
    }
}
