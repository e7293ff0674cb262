package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.asm.InsnAssembler;
import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.interp.Interpreter;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.RamRegion;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A vCPU with 1 MiB of RAM and a chosen executor, for translator tests: assemble code at {@link #CODE}, set
 * registers, run. Hypercalls are recorded and answer 0.
 */
final class GuestFixture implements AutoCloseable {

    static final long CODE = 0x1000;
    static final long DATA = 0x8_0000;
    static final IsaTable TABLE = IsaTable.ppc64();
    static final Decoder DECODER = new Decoder(TABLE);

    final AddressSpace memory = new AddressSpace(List.of(RamRegion.allocate(0, 1 << 20)));
    final CpuState cpu = new CpuState(0);
    final List<Long> hypercalls = new ArrayList<>();
    final CpuExecutor executor;
    private final InsnAssembler asm = new InsnAssembler(TABLE);
    private long end = CODE;

    GuestFixture(ExecutionMode mode, boolean littleEndian) {
        this(mode, littleEndian, EmitterTable.standard(TABLE));
    }

    GuestFixture(ExecutionMode mode, boolean littleEndian, EmitterTable emitters) {
        cpu.setMsr(Msr.KERNEL_ENTRY | (littleEndian ? Msr.LE : 0));
        cpu.nia = CODE;
        dev.pvm.engine.cpu.Hypervisor hv = s -> {
            hypercalls.add(s.gpr[3]);
            s.gpr[3] = 0;
        };
        executor = switch (mode) {
            case INTERPRETER -> new InterpreterExecutor(new Interpreter(DECODER, memory, hv, () -> 0, CpuModel.POWER9));
            case TRANSLATOR -> new TranslatorExecutor(DECODER, memory, hv, () -> 0, CpuModel.POWER9, emitters);
            case LOCKSTEP -> new LockstepExecutor(
                    new TranslatorExecutor(DECODER, memory, hv, () -> 0, CpuModel.POWER9, emitters));
        };
    }

    ByteOrder order() {
        return cpu.littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    /** Appends instructions; returns the address of the first. */
    long code(String... lines) {
        long start = end;
        for (String line : lines) {
            memory.store32(end, asm.assemble(line, end), order());
            end += 4;
        }
        return start;
    }

    long next() {
        return end;
    }

    int assemble(String line, long address) {
        return asm.assemble(line, address);
    }

    long run(long budget) {
        return executor.run(cpu, budget);
    }

    @Override
    public void close() {
        memory.close();
    }
}
