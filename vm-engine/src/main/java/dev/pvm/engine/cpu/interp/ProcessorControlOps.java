package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.Field;

/**
 * MSR access and return from interrupt for a guest in supervisor state (Power ISA v3.0B Book III 4.3.1 and
 * 6.4.3). The rows are {@code @priv}: the binder adds the problem-state check.
 */
final class ProcessorControlOps {

    /** Bits mtmsrd (L=0) leaves alone: HV, S, ME and LE (Book III 4.3.1; QEMU gen_mtmsrd). */
    static final long MTMSRD_PRESERVED = Msr.HV | Msr.S | Msr.ME | Msr.LE;

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
                    msr = (msr & ~(Msr.EE | Msr.RI)) | (value & (Msr.EE | Msr.RI));
                } else {
                    msr = (msr & MTMSRD_PRESERVED) | (value & ~MTMSRD_PRESERVED);
                    if ((value & Msr.PR) != 0) {
                        msr |= Msr.EE | Msr.IR | Msr.DR;
                    }
                }
                s.setMsr(msr);
            };
        });
        b.bind("RFID", row -> (s, i) -> {
            long current = s.msr;
            long msr = s.srr1;
            // A non-hypervisor cannot enter hypervisor state, and only the hypervisor alters ME.
            msr = (msr & ~Msr.HV) | (current & s.srr1 & Msr.HV);
            if ((current & Msr.HV) == 0) {
                msr = (msr & ~Msr.ME) | (current & Msr.ME);
            }
            if ((msr & Msr.PR) != 0) {
                msr |= Msr.EE | Msr.IR | Msr.DR;
            }
            long target = s.srr0 & ~3L;
            s.setMsr(msr);
            s.nia = s.ea(target);
        });
    }
}
