package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;

/**
 * The reference semantics of one instruction row: executes {@code insn} on {@code cpu}. Before the call the run
 * loop has set {@code cpu.cia} to the instruction's address and {@code cpu.nia} to the next one; branches
 * replace {@code nia}. An instruction that must not complete raises its interrupt with {@link CpuState#raise}
 * (or, from inside a storage access, {@link GuestInterruptSignal}) before changing any register.
 */
@FunctionalInterface
public interface Semantics {

    void execute(CpuState cpu, int insn);

    /**
     * The instruction word {@code insn} of this row with its operands extracted once, for code that runs the same
     * word many times (decoded units); null where the row extracts them at each execution. A row that decodes
     * runs one body for both entry points, so the interpreter's semantics stay the one reference.
     */
    default DecodedInsn decode(int insn) {
        return null;
    }
}
