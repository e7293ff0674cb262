package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;

/**
 * One instruction word of a row whose operands were extracted ahead of execution ({@link Semantics#decode}):
 * executes it on {@code cpu} exactly as the row's {@link Semantics#execute} executes the word, under the same
 * contract (CIA and NIA set by the caller, interrupts raised before any register changes).
 */
@FunctionalInterface
public interface DecodedInsn {

    void execute(CpuState cpu);
}
