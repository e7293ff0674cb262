package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.interp.DecodedInsn;
import dev.pvm.engine.cpu.interp.GuestInterruptSignal;
import dev.pvm.engine.cpu.interp.Semantics;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.runtime.CompiledUnitExits;
import dev.pvm.engine.memory.GuestMemoryAccessException;

/**
 * Cold code's tier: a {@link TranslationUnit}'s instructions decoded once and run through the interpreter's
 * semantics, instruction by instruction exactly as {@link dev.pvm.engine.cpu.interp.Interpreter#run} does, but
 * without fetching and decoding each instruction again (that was about half of interpreting). It counts its
 * entries, so that the executor translates it once it is hot ({@link TranslatorExecutor#translateAfter}).
 *
 * <p>It is cached, keyed and invalidated like a translated unit: a store into its code marks it invalid, and
 * it then stops after the storing instruction. It follows fall-through and branches to higher addresses inside
 * itself; a branch to a lower address leaves it, so a loop head becomes an entry of its own, counted on every
 * iteration.
 *
 * <p>Rows whose semantics decode ahead ({@link Semantics#decode}) run from their decoded form, with the operands
 * extracted when the unit was built; the others from the word.
 */
final class DecodedUnit extends CompiledUnit {

    private final int[] words;
    private final long[] pcs;
    /**
     * By word offset from {@link #base}, the layout index of the instruction there plus 1, or 0 where the unit
     * holds none (its code lies within {@link BlockScanner#WINDOW} bytes of the entry): branches find targets here.
     */
    private final char[] indexByWord;
    /** The lowest address the unit holds: {@link #indexByWord} counts words from it. */
    private final long base;
    /** Each instruction's decoded form, or null where its row runs from the word. */
    private final DecodedInsn[] decoded;
    private int entries;

    /** @param semantics the interpreter's semantics for each of the unit's rows */
    DecodedUnit(TranslationUnit unit, Semantics[] semantics) {
        super(semantics, new UnitInfo(unit.startPc(), unit.mode(), unit.length(), unit.segments(),
                new long[0]));
        this.words = unit.words();
        this.pcs = unit.pcs();
        long first = pcs[0];
        long last = pcs[0];
        for (long pc : pcs) { // a loop, not a stream: units are decoded by the thousand at start-up
            first = Math.min(first, pc);
            last = Math.max(last, pc);
        }
        this.base = first;
        this.indexByWord = new char[(int) ((last - base) >>> 2) + 1];
        for (int i = 0; i < pcs.length; i++) {
            indexByWord[(int) ((pcs[i] - base) >>> 2)] = (char) (i + 1);
        }
        this.decoded = new DecodedInsn[words.length];
        for (int i = 0; i < words.length; i++) {
            decoded[i] = semantics[i].decode(words[i]);
        }
    }

    /** Whether it has been entered at least {@code threshold} times. */
    boolean hot(int threshold) {
        return entries >= threshold;
    }

    @Override
    public int run(CpuState cpu, long remaining) {
        entries++;
        long pc = startPc;
        int i = 0;
        long done = 0;
        try {
            while (true) {
                cpu.cia = pc;
                long next = (pc + 4) & cpu.eaMask;
                cpu.nia = next;
                DecodedInsn d = decoded[i];
                if (d != null) {
                    d.execute(cpu);
                } else {
                    fallbacks[i].execute(cpu, words[i]);
                }
                if (cpu.stopRequested) {
                    if (cpu.pendingInterrupt == null) {
                        done++;
                    }
                    return CompiledUnitExits.STOP;
                }
                done++;
                long nia = cpu.nia;
                if (!valid || done >= remaining) {
                    return CompiledUnitExits.INDIRECT;
                }
                if (nia == next && i + 1 < length && pcs[i + 1] == next) {
                    i++;
                } else {
                    // Only forward in layout order: a loop goes round through the dispatcher, which keeps the budget.
                    long word = (nia - base) >>> 2;
                    int j = (nia & 3) == 0 && word < indexByWord.length ? indexByWord[(int) word] - 1 : -1;
                    if (j <= i) {
                        return CompiledUnitExits.INDIRECT;
                    }
                    i = j;
                }
                pc = nia;
            }
        } catch (GuestInterruptSignal signal) {
            cpu.raise(signal.interrupt());
            return CompiledUnitExits.STOP;
        } catch (GuestMemoryAccessException e) {
            cpu.raise(new GuestInterrupt.MachineCheck(e.address(), (int) e.size(), e.write() ? "store" : "load"));
            return CompiledUnitExits.STOP;
        } finally {
            cpu.instructions += done;
        }
    }
}
