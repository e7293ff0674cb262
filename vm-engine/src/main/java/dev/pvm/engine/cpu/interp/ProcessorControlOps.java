package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.Field;

/**
 * MSR access and return from interrupt for a guest in supervisor state (Power ISA v3.0B Book III 4.3.1 and
 * 6.4.3). The rows are {@code @priv}: the binder adds the problem-state check.
 *
 * <p>An instruction that may make an asynchronous interrupt deliverable (MSR[EE] going to 1, an rfid) ends the
 * vCPU's slice ({@link CpuState#stopRequested}) so the run loop looks at pending interrupts before the next
 * instruction, as the ISA requires of context-synchronizing MSR changes.
 */
final class ProcessorControlOps {

    /** Bits mtmsrd (L=0) leaves alone: HV, S, ME and LE (Book III 4.3.1; QEMU gen_mtmsrd). */
    static final long MTMSRD_PRESERVED = Msr.HV | Msr.S | Msr.ME | Msr.LE;
    /** mtmsr (L=0) sets only MSR bits 32:63 (Java bits 31:0) except ME and LE. */
    static final long MTMSR_WRITTEN = 0xFFFF_FFFFL & ~(Msr.ME | Msr.LE);
    /** What mtmsrd/mtmsr with L=1 change: EE and RI. */
    static final long L1_WRITTEN = Msr.EE | Msr.RI;

    private static final GuestInterrupt HYPERVISOR_ONLY = new GuestInterrupt.Program(
            GuestInterrupt.ProgramReason.PRIVILEGED_INSTRUCTION, "hrfid needs hypervisor state");

    private ProcessorControlOps() {
    }

    static void bind(SemanticsBinder b) {
        // attn: POWER's "attention" (implementation-specific, opcode 0 XO 256). Unless the hypervisor enabled it
        // (HID0[ATTN], never for a PAPR guest) it is an illegal instruction, as in QEMU.
        GuestInterrupt attn = new GuestInterrupt.Program(GuestInterrupt.ProgramReason.ILLEGAL_INSTRUCTION,
                "attn is not enabled");
        b.bind("ATTN", row -> (s, i) -> s.raise(attn));
        b.bind("MFMSR", row -> {
            Field rt = row.field("rt");
            return (s, i) -> s.gpr[rt.raw(i)] = s.msr;
        });
        b.bind("MTMSRD", row -> {
            Field rs = row.field("rs");
            Field l = row.field("l");
            return (s, i) -> {
                long value = s.gpr[rs.raw(i)];
                long msr = s.msr;
                if (l.raw(i) != 0) {
                    // L=1 changes only EE and RI, so the kernel can toggle interrupts cheaply.
                    msr = (msr & ~L1_WRITTEN) | (value & L1_WRITTEN);
                } else {
                    msr = withProblemStateRule((msr & MTMSRD_PRESERVED) | (value & ~MTMSRD_PRESERVED));
                }
                setMsr(s, msr);
            };
        });
        b.bind("MTMSR", row -> {
            Field rs = row.field("rs");
            Field l = row.field("l");
            return (s, i) -> {
                long value = s.gpr[rs.raw(i)];
                long msr = s.msr;
                if (l.raw(i) != 0) {
                    msr = (msr & ~L1_WRITTEN) | (value & L1_WRITTEN);
                } else {
                    msr = withProblemStateRule((msr & ~MTMSR_WRITTEN) | (value & MTMSR_WRITTEN));
                }
                setMsr(s, msr);
            };
        });
        b.bind("RFID", row -> (s, i) -> returnFromInterrupt(s, s.srr1, s.srr0));
        // rfscv (Book III 6.4.3, v3.0): return from scv, which saved NIA in LR and the MSR in CTR.
        b.bind("RFSCV", row -> (s, i) -> returnFromInterrupt(s, s.ctr, s.lr));
        b.bind("HRFID", row -> (s, i) -> s.raise(HYPERVISOR_ONLY));
    }

    /** Book III 4.2.1: with MSR[PR]=1, EE, IR and DR are forced to 1. */
    private static long withProblemStateRule(long msr) {
        return (msr & Msr.PR) != 0 ? msr | Msr.EE | Msr.IR | Msr.DR : msr;
    }

    /** Sets the MSR; ends the slice when MSR[EE] went from 0 to 1 (an interrupt may now be taken). */
    private static void setMsr(CpuState s, long msr) {
        boolean enabling = (msr & Msr.EE) != 0 && (s.msr & Msr.EE) == 0;
        s.setMsr(msr);
        if (enabling) {
            s.stopRequested = true;
        }
    }

    /**
     * rfid/rfscv: MSR from {@code savedMsr} under the rules of Book III 6.4.3 (a non-hypervisor cannot enter
     * hypervisor state or change ME), then NIA = {@code target} with the low two bits clear.
     */
    private static void returnFromInterrupt(CpuState s, long savedMsr, long target) {
        long current = s.msr;
        long msr = savedMsr;
        msr = (msr & ~Msr.HV) | (current & savedMsr & Msr.HV);
        if ((current & Msr.HV) == 0) {
            msr = (msr & ~Msr.ME) | (current & Msr.ME);
        }
        msr = withProblemStateRule(msr);
        s.setMsr(msr);
        s.nia = s.ea(target & ~3L);
        s.stopRequested = true;
    }
}
