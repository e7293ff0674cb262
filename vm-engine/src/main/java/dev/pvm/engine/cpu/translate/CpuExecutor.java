package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.CpuState;

/**
 * Runs a vCPU: what the pseries machine's vCPU loop and the Linux user-mode runner call. Implementations:
 * {@link InterpreterExecutor}, {@link TranslatorExecutor}, {@link LockstepExecutor}; {@link CpuExecutors}
 * builds the one an {@link ExecutionMode} names.
 *
 * <p>Protocol: any number of {@link #run} calls on the vCPU's thread, with {@link #codeChanged} after guest
 * code was written by anything other than the CPU itself (a loader, a reset).
 */
public interface CpuExecutor {

    /**
     * Runs {@code cpu} from {@code cpu.nia} for about {@code budget} instructions: it stops earlier at an
     * interrupt or a stop request, and the translator may overshoot by the rest of the unit it is in.
     *
     * @return instructions completed (also added to {@code cpu.instructions})
     */
    long run(CpuState cpu, long budget);

    /**
     * Runs exactly one instruction, as this mode executes it (single-stepping: the user-mode runner's
     * {@code --trace}). The default suits executors whose {@link #run} never overshoots its budget.
     *
     * @return instructions completed: 1, or 0 when it raised an interrupt
     */
    default long step(CpuState cpu) {
        return run(cpu, 1);
    }

    /** Guest memory was rewritten behind the CPU's back: forget any translations. */
    void codeChanged();

    ExecutionMode mode();
}
