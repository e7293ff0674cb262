package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Hypervisor;
import dev.pvm.engine.cpu.TimeBase;
import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.memory.GuestMemory;
import dev.pvm.engine.memory.GuestMemoryAccessException;

/**
 * The reference interpreter: fetch, decode through the table's decoder, dispatch to the row's semantics.
 * It defines correct behaviour; the translator will be checked against it instruction by instruction.
 *
 * <p>The loop allocates nothing per instruction. It stops after {@code budget} instructions, or after the
 * instruction that set {@link CpuState#stopRequested} (an interrupt, a power-off or reset hypercall).
 */
public final class Interpreter {

    private static final GuestInterrupt ILLEGAL =
            new GuestInterrupt.Program(GuestInterrupt.ProgramReason.ILLEGAL_INSTRUCTION, "");

    private final Decoder decoder;
    private final StorageAccess storage;
    private final Semantics[] semantics;

    /**
     * @param decoder    the table's decoder (shareable between vCPUs)
     * @param memory     guest physical memory
     * @param hypervisor handles {@code sc 1}
     * @param timeBase   what {@code mftb} reads
     * @param model      the CPU model (PVR, cache block size)
     */
    public Interpreter(Decoder decoder, GuestMemory memory, Hypervisor hypervisor, TimeBase timeBase, CpuModel model) {
        this.decoder = decoder;
        this.storage = new StorageAccess(memory);
        this.semantics = SemanticsBinder.bindAll(decoder.table(), storage, hypervisor, timeBase, model);
    }

    public Decoder decoder() {
        return decoder;
    }

    public StorageAccess storage() {
        return storage;
    }

    /** The semantics bound to table row {@code rowId}: the translator's fallback for rows it does not inline. */
    public Semantics semantics(int rowId) {
        return SemanticsBinder.resolved(semantics[rowId]);
    }

    /**
     * Runs {@code cpu} from {@code cpu.nia}.
     *
     * @return the number of instructions that completed
     */
    public long run(CpuState cpu, long budget) {
        final Semantics[] table = semantics;
        final Decoder d = decoder;
        final StorageAccess mem = storage;
        if (cpu.pendingInterrupt != null) {
            throw new IllegalStateException("vCPU " + cpu.index + " has an undelivered interrupt: "
                    + cpu.pendingInterrupt.describe());
        }
        long executed = 0;
        cpu.stopRequested = false;
        // What other threads asked of this vCPU before it runs on (a shootdown posted while it was not running).
        cpu.requests.drain();
        try {
            while (executed < budget) {
                long pc = cpu.nia;
                cpu.cia = pc;
                int insn = mem.fetch(cpu, pc);
                cpu.nia = (pc + 4) & cpu.eaMask;
                int id = d.decode(insn);
                if (id == Decoder.ILLEGAL) {
                    cpu.raise(ILLEGAL);
                    break;
                }
                table[id].execute(cpu, insn);
                if (cpu.stopRequested) {
                    if (cpu.pendingInterrupt == null) {
                        executed++;
                    }
                    break;
                }
                executed++;
                // Another vCPU's request (a TLB shootdown, an interrupt kick) is served between instructions.
                if (cpu.requests.pending()) {
                    break;
                }
            }
        } catch (GuestInterruptSignal signal) {
            cpu.raise(signal.interrupt());
        } catch (GuestMemoryAccessException e) {
            cpu.raise(new GuestInterrupt.MachineCheck(e.address(), (int) e.size(), e.write() ? "store" : "load"));
        }
        cpu.instructions += executed;
        return executed;
    }

    /** Executes exactly one instruction (tests and single-stepping). */
    public long step(CpuState cpu) {
        return run(cpu, 1);
    }
}
