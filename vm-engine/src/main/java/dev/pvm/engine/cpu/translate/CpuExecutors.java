package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.Hypervisor;
import dev.pvm.engine.cpu.TimeBase;
import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.interp.Interpreter;
import dev.pvm.engine.memory.GuestMemory;

/** Builds the executor for a mode. */
public final class CpuExecutors {

    private CpuExecutors() {
    }

    public static CpuExecutor create(ExecutionMode mode, Decoder decoder, GuestMemory memory, Hypervisor hypervisor,
            TimeBase timeBase, CpuModel model) {
        return create(mode, decoder, memory, new RealModeTranslatorMemory(memory), hypervisor, timeBase, model);
    }

    /** For a memory translated code reaches its own way ({@code unitMemory}: the Linux user-mode runner's). */
    public static CpuExecutor create(ExecutionMode mode, Decoder decoder, GuestMemory memory,
            TranslatorMemory unitMemory, Hypervisor hypervisor, TimeBase timeBase, CpuModel model) {
        return switch (mode) {
            case INTERPRETER -> new InterpreterExecutor(new Interpreter(decoder, memory, hypervisor, timeBase, model));
            case TRANSLATOR -> new TranslatorExecutor(decoder, memory, unitMemory, hypervisor, timeBase, model,
                    EmitterTable.standard(decoder.table()));
            case LOCKSTEP -> new LockstepExecutor(new TranslatorExecutor(decoder, memory, unitMemory, hypervisor,
                    timeBase, model, EmitterTable.standard(decoder.table())));
        };
    }
}
