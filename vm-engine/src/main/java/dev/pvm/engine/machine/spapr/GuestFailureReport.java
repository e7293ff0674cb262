package dev.pvm.engine.machine.spapr;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.disasm.Disassembler;
import dev.pvm.engine.cpu.interp.GuestInterruptSignal;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.mmu.AccessKind;
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
     * @param cpu the vCPU (its MMU translates a relocated address)
     * @param cia the address of the instruction that raised it
     * @param msr the MSR it ran with (byte order, relocation)
     */
    static String describe(GuestInterrupt interrupt, CpuState cpu, long cia, long msr, GuestMemory memory,
            Disassembler disassembler) {
        String head = "vCPU " + cpu.index + ": " + interrupt.describe();
        if (interrupt instanceof GuestInterrupt.MachineCheck mc && mc.access().equals("instruction fetch")) {
            return head + String.format(" (pc 0x%x)", cia);
        }
        return head + " at " + instruction(cpu, cia, msr, memory, disassembler);
    }

    /**
     * The instruction at effective address {@code ea} as the vCPU fetches it under {@code msr} (through its MMU
     * when MSR[IR]=1), e.g. {@code 0x1c: 0x00000000 (.long 0x0)}; only the address when nothing backs it.
     */
    static String instruction(CpuState cpu, long ea, long msr, GuestMemory memory, Disassembler disassembler) {
        try {
            long real = (msr & Msr.IR) == 0 ? ea & CpuState.REAL_MODE_ADDRESS_MASK
                    : cpu.mmu.translate(msr, ea, AccessKind.FETCH);
            int word = memory.load32(real, (msr & Msr.LE) != 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            return String.format("0x%x: 0x%08x (%s)", ea, word, disassembler.disassemble(word, ea));
        } catch (GuestMemoryAccessException | GuestInterruptSignal e) {
            return String.format("0x%x (not readable)", ea);
        }
    }
}
