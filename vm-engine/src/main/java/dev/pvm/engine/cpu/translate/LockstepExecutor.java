package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.disasm.Disassembler;
import dev.pvm.engine.cpu.interp.GuestInterruptSignal;
import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.runtime.WriteJournal;
import dev.pvm.engine.memory.GuestMemory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every unit twice: translated on the real state, then interpreted on a shadow copy of the state from
 * before the unit, on the same memory contents, and compares registers and stored bytes after each unit. The
 * first difference throws {@link LockstepDivergenceException}, narrowed down to the single instruction that
 * diverged by replaying the unit one instruction at a time.
 *
 * <p>Memory: while it runs, every store (translated or interpreted) is journaled (the code-page trap is set on
 * every page, so translated stores take the journaling slow path). The translator's stores are undone before
 * the interpreter runs, so both see the same memory.
 *
 * <p>{@code sc} runs once, translated only: a hypercall's effects (console output) must not happen twice.
 */
public final class LockstepExecutor implements CpuExecutor {

    private final TranslatorExecutor translator;
    private final Disassembler disassembler;
    private final CpuState shadow = new CpuState(0);
    private final CpuState before = new CpuState(0);
    private long comparedUnits;

    public LockstepExecutor(TranslatorExecutor translator) {
        this.translator = translator;
        this.disassembler = new Disassembler(translator.decoder());
        translator.pages().trapAll(true);
    }

    @Override
    public long run(CpuState cpu, long budget) {
        if (cpu.pendingInterrupt != null) {
            throw new IllegalStateException("vCPU " + cpu.index + " has an undelivered interrupt: "
                    + cpu.pendingInterrupt.describe());
        }
        cpu.requests.drain();
        long start = cpu.instructions;
        while (cpu.instructions - start < budget) {
            stepCompared(cpu, budget - (cpu.instructions - start), BlockScanner.MAX_INSNS);
            if (cpu.stopRequested || cpu.pendingInterrupt != null || cpu.requests.pending()) {
                break;
            }
        }
        return cpu.instructions - start;
    }

    /** One instruction in both engines; throws on divergence. */
    @Override
    public long step(CpuState cpu) {
        long start = cpu.instructions;
        stepCompared(cpu, 1, 1);
        return cpu.instructions - start;
    }

    /** One unit in both engines; throws on divergence. */
    private void stepCompared(CpuState cpu, long remaining, int maxInsns) {
        if (isSystemCall(cpu)) {
            translator.step(cpu, remaining, maxInsns);
            return;
        }
        CpuStateFields.copy(cpu, before);
        WriteJournal journal = translator.journal();
        GuestMemory memory = translator.trackingMemory();

        journal.start();
        long n = translator.step(cpu, remaining, maxInsns);
        List<WriteJournal.Entry> translatorStores = journal.stop();
        Map<Long, Byte> translatorBytes = bytesAt(memory, translatorStores);
        journal.undo(translatorStores);

        CpuStateFields.copy(before, shadow);
        journal.start();
        shadow.stopRequested = false;
        translator.interpreter().run(shadow, cpu.pendingInterrupt != null ? n + 1 : n);
        List<WriteJournal.Entry> interpreterStores = journal.stop();
        comparedUnits++;

        List<String> registers = CpuStateFields.differences(shadow, cpu);
        List<String> bytes = memoryDifferences(memory, translatorStores, translatorBytes, interpreterStores);
        if (registers.isEmpty() && bytes.isEmpty()) {
            // Memory now holds the interpreter's stores, which equal the translator's.
            return;
        }
        if (maxInsns > 1) {
            // Replay from the state before the unit, one instruction at a time, to name the instruction.
            journal.undo(interpreterStores);
            CpuStateFields.copy(before, cpu);
            for (long k = 0; k <= n; k++) {
                stepCompared(cpu, 1, 1);
                if (cpu.stopRequested || cpu.pendingInterrupt != null) {
                    break;
                }
            }
        }
        throw new LockstepDivergenceException(divergence(before.nia, registers, bytes));
    }

    private boolean isSystemCall(CpuState cpu) {
        Decoder d = translator.decoder();
        try {
            int w = translator.interpreter().storage().fetch(cpu, cpu.nia);
            InsnPattern row = d.decodePattern(w);
            return row != null && row.mnemonic().equals("SC");
        } catch (GuestInterruptSignal e) {
            return false;
        }
    }

    private LockstepDivergence divergence(long pc, List<String> registers, List<String> bytes) {
        int w;
        String text;
        try {
            w = translator.interpreter().storage().fetch(before, pc);
            text = disassembler.disassemble(w, pc);
        } catch (GuestInterruptSignal e) {
            w = 0;
            text = "(unfetchable)";
        }
        return new LockstepDivergence(pc, w, text, registers, bytes);
    }

    private static Map<Long, Byte> bytesAt(GuestMemory memory, List<WriteJournal.Entry> stores) {
        Map<Long, Byte> out = new LinkedHashMap<>();
        for (WriteJournal.Entry e : stores) {
            for (int i = 0; i < e.before().length; i++) {
                out.put(e.address() + i, (byte) memory.load8(e.address() + i));
            }
        }
        return out;
    }

    /** Pre-unit contents of every byte either side stored (the first journal entry for a byte holds it). */
    private static Map<Long, Byte> original(List<WriteJournal.Entry> a, List<WriteJournal.Entry> b) {
        Map<Long, Byte> out = new LinkedHashMap<>();
        for (List<WriteJournal.Entry> list : List.of(a, b)) {
            for (WriteJournal.Entry e : list) {
                for (int i = 0; i < e.before().length; i++) {
                    out.putIfAbsent(e.address() + i, e.before()[i]);
                }
            }
        }
        return out;
    }

    private static List<String> memoryDifferences(GuestMemory memory, List<WriteJournal.Entry> translatorStores,
            Map<Long, Byte> translatorBytes, List<WriteJournal.Entry> interpreterStores) {
        Map<Long, Byte> original = original(translatorStores, interpreterStores);
        List<String> out = new ArrayList<>();
        for (Map.Entry<Long, Byte> e : original.entrySet()) {
            long address = e.getKey();
            byte expected = (byte) memory.load8(address); // the interpreter's result (or untouched by it)
            byte actual = translatorBytes.getOrDefault(address, e.getValue());
            if (expected != actual) {
                out.add(String.format("0x%x: expected 0x%02x, actual 0x%02x", address, expected & 0xff,
                        actual & 0xff));
            }
        }
        return out;
    }

    /** Units compared so far. */
    public long comparedUnits() {
        return comparedUnits;
    }

    @Override
    public void codeChanged() {
        translator.codeChanged();
    }

    @Override
    public ExecutionMode mode() {
        return ExecutionMode.LOCKSTEP;
    }
}
