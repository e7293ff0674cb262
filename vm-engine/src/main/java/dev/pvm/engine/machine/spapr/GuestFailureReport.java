package dev.pvm.engine.machine.spapr;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.disasm.Disassembler;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.memory.GuestMemory;
import dev.pvm.engine.memory.GuestMemoryAccessException;
import java.nio.ByteOrder;

/**
 * Words a guest failure precisely: the interrupt, the vCPU, the instruction's address, its word and its
 * disassembly, e.g. {@code vCPU 0: program interrupt: illegal instruction at 0x1c: 0x00000000 (.long 0x0)}.
 */
final class GuestFailureReport {

    private GuestFailureReport() {
    }

    /**
     * @param cia the address of the instruction that raised it
     * @param msr the MSR it ran with (byte order, relocation)
     */
    static String describe(GuestInterrupt interrupt, int vcpu, long cia, long msr, GuestMemory memory,
            Disassembler disassembler) {
        String head = "vCPU " + vcpu + ": " + interrupt.describe();
        if (interrupt instanceof GuestInterrupt.MachineCheck mc && mc.access().equals("instruction fetch")) {
            return head + String.format(" (pc 0x%x)", cia);
        }
        if ((msr & Msr.IR) != 0) {
            return head + String.format(" at 0x%x (relocated; instruction not readable)", cia);
        }
        try {
            long real = cia & CpuState.REAL_MODE_ADDRESS_MASK;
            int word = memory.load32(real, (msr & Msr.LE) != 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            return head + String.format(" at 0x%x: 0x%08x (%s)", cia, word, disassembler.disassemble(word, cia));
        } catch (GuestMemoryAccessException e) {
            return head + String.format(" at 0x%x", cia);
        }
    }
}
