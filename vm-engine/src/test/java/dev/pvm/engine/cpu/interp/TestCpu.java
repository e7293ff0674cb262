package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.asm.InsnAssembler;
import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.RamRegion;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A vCPU with 1 MiB of RAM for instruction tests: assemble a few instructions at {@link #CODE}, set registers,
 * run, look at registers and memory. Hypercalls are recorded (and answer 0); the timebase reads {@link #tb}.
 */
final class TestCpu implements AutoCloseable {

    static final long CODE = 0x1000;
    static final long DATA = 0x8000;

    private static final IsaTable TABLE = IsaTable.ppc64();
    private static final Decoder DECODER = new Decoder(TABLE);

    final AddressSpace memory = new AddressSpace(List.of(RamRegion.allocate(0, 1 << 20)));
    final CpuState cpu = new CpuState(0);
    final List<Long> hypercalls = new ArrayList<>();
    long tb = 0x1234_5678_9abc_def0L;
    final Interpreter interpreter = new Interpreter(DECODER, memory, s -> {
        hypercalls.add(s.gpr[3]);
        s.gpr[3] = 0;
    }, () -> tb, CpuModel.POWER9);
    private final InsnAssembler asm = new InsnAssembler(TABLE);
    private long end = CODE;

    /** The MSR tests start with: the kernel entry state with the FP, vector and VSX units available. */
    static final long MSR = Msr.KERNEL_ENTRY | Msr.FP | Msr.VEC | Msr.VSX;

    static TestCpu bigEndian() {
        return new TestCpu(MSR);
    }

    static TestCpu littleEndian() {
        return new TestCpu(MSR | Msr.LE);
    }

    private TestCpu(long msr) {
        cpu.setMsr(msr);
        cpu.nia = CODE;
    }

    ByteOrder order() {
        return cpu.littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    /** Appends instructions after the ones already placed. */
    TestCpu code(String... lines) {
        for (String line : lines) {
            memory.store32(end, asm.assemble(line, end), order());
            end += 4;
        }
        return this;
    }

    /** Where the next instruction {@link #code} places will go. */
    long nextAddress() {
        return end;
    }

    /** Appends a raw instruction word. */
    TestCpu word(int insn) {
        memory.store32(end, insn, order());
        end += 4;
        return this;
    }

    /** Places and runs straight-line code: one instruction per line. */
    TestCpu exec(String... lines) {
        long start = end;
        code(lines);
        cpu.nia = start;
        // An instruction may end the interpreter's run early without an interrupt (mtmsrd setting EE): go on.
        long done = 0;
        while (done < lines.length && cpu.pendingInterrupt == null) {
            long n = run(lines.length - done);
            if (n == 0) {
                break;
            }
            done += n;
        }
        return this;
    }

    /** Runs up to {@code budget} instructions from the current NIA; returns how many completed. */
    long run(long budget) {
        return interpreter.run(cpu, budget);
    }

    long r(int n) {
        return cpu.gpr[n];
    }

    TestCpu set(int n, long value) {
        cpu.gpr[n] = value;
        return this;
    }

    @Override
    public void close() {
        memory.close();
    }
}
