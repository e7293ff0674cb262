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
    private dev.pvm.engine.cpu.mmu.PartitionMmu partition;

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

    /**
     * Turns instruction and data relocation on through a radix partition whose tables (built at 0xA0000 up) map
     * EA {@code eaBase} + x onto real x for the first 640 KiB, with 64 KiB pages, PID 0. The partition is closed
     * with the fixture.
     *
     * @return the page tables, for remapping
     */
    dev.pvm.engine.cpu.mmu.RadixTables relocate(long eaBase) {
        var tables = new dev.pvm.engine.cpu.mmu.RadixTables(memory, 0xA_0000, 0xB_0000);
        long rwx = dev.pvm.engine.cpu.mmu.RadixTables.R | dev.pvm.engine.cpu.mmu.RadixTables.C
                | dev.pvm.engine.cpu.mmu.RadixTables.READ_WRITE | dev.pvm.engine.cpu.mmu.RadixTables.EXECUTE;
        for (long x = 0; x < 0xA_0000; x += 0x1_0000) {
            tables.map(0, eaBase + x, x, 16, rwx);
        }
        partition = new dev.pvm.engine.cpu.mmu.PartitionMmu(dev.pvm.engine.machine.MmuMode.RADIX, memory, 18,
                dev.pvm.engine.cpu.mmu.HashPageSizes.power9());
        partition.attach(cpu, 32);
        // What H_REGISTER_PROC_TBL(NEW|RADIX|GTSE, table, 0, 0) leaves.
        partition.registerProcessTable(null, 0x8000_0000_0000_0000L | tables.processTable(), true, true);
        cpu.setMsr(cpu.msr | Msr.IR | Msr.DR);
        cpu.nia = eaBase + (cpu.nia & 0x0FFF_FFFF_FFFF_FFFFL);
        return tables;
    }

    @Override
    public void close() {
        if (partition != null) {
            partition.close();
        }
        memory.close();
    }
}
