package dev.pvm.engine.linuxuser;

import dev.pvm.engine.cpu.CpuState;

/**
 * What runs guest instructions for the user-mode runner: {@link dev.pvm.engine.cpu.interp.Interpreter#run}
 * has this shape, and so will the translator and the lockstep checker. It runs from {@code cpu.nia} until
 * {@code budget} instructions completed or an instruction raised an interrupt
 * ({@link CpuState#pendingInterrupt}: {@code sc}, a fault, an illegal instruction), which the runner handles.
 */
@FunctionalInterface
public interface GuestExecutor {

    /** @return the number of instructions that completed */
    long run(CpuState cpu, long budget);
}
