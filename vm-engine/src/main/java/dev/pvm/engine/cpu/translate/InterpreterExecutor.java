package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.interp.Interpreter;

/** The reference interpreter as a {@link CpuExecutor}. */
public final class InterpreterExecutor implements CpuExecutor {

    private final Interpreter interpreter;

    public InterpreterExecutor(Interpreter interpreter) {
        this.interpreter = interpreter;
    }

    @Override
    public long run(CpuState cpu, long budget) {
        return interpreter.run(cpu, budget);
    }

    @Override
    public void codeChanged() {
        // Nothing cached.
    }

    @Override
    public ExecutionMode mode() {
        return ExecutionMode.INTERPRETER;
    }
}
