package dev.pvm.engine.cpu.translate;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Which guest registers a unit's inline code may have written (its locals then differ from {@code CpuState})
 * when it leaves through each of its exits: a forward may-write analysis over the unit's control flow, recorded
 * while {@link BytecodeEmitter}'s recording pass emits the unit into nothing. Each exit then stores back only
 * those registers, instead of every register written anywhere in the unit: the hot exit of a loop does not
 * store what only a cold path writes.
 *
 * <p>Registers are bits of a mask: bit r for GPR r, {@link #CR}, {@link #LR} and {@link #CTR} for the others.
 * Writes and edges are per instruction (layout index); an instruction's writes count at its start, which may
 * only add registers to an exit's set.
 */
final class RegisterWriteFlow {

    static final int CR = 32;
    static final int LR = 33;
    static final int CTR = 34;

    private final long[] writes;
    private final BitSet[] successors;
    /** Per exit target address: the instructions that leave for it. */
    private final Map<Long, BitSet> exitSources = new HashMap<>();
    private final BitSet indirectSources = new BitSet();
    /** Registers possibly written before each instruction, once {@link #solve}d. */
    private long[] before;

    RegisterWriteFlow(int length) {
        this.writes = new long[length];
        this.successors = new BitSet[length];
        for (int i = 0; i < length; i++) {
            successors[i] = new BitSet();
        }
    }

    /** Instruction {@code insn} writes register {@code bit}. */
    void write(int insn, int bit) {
        writes[insn] |= 1L << bit;
    }

    /** Control goes from instruction {@code from} to instruction {@code to} inside the unit. */
    void edge(int from, int to) {
        successors[from].set(to);
    }

    /** Instruction {@code from} leaves the unit for {@code target} (a direct exit). */
    void exit(int from, long target) {
        exitSources.computeIfAbsent(target, t -> new BitSet()).set(from);
    }

    /** Instruction {@code from} leaves the unit through a register branch. */
    void indirectExit(int from) {
        indirectSources.set(from);
    }

    /** Every register any instruction writes. */
    long writtenAnywhere() {
        long m = 0;
        for (long w : writes) {
            m |= w;
        }
        return m;
    }

    boolean hasIndirectExit() {
        return !indirectSources.isEmpty();
    }

    /** Propagates writes along the edges to a fixed point (the unit's entry, instruction 0, starts clean). */
    RegisterWriteFlow solve() {
        long[] in = new long[writes.length];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < writes.length; i++) {
                long out = in[i] | writes[i];
                for (int s = successors[i].nextSetBit(0); s >= 0; s = successors[i].nextSetBit(s + 1)) {
                    if ((in[s] | out) != in[s]) {
                        in[s] |= out;
                        changed = true;
                    }
                }
            }
        }
        before = in;
        return this;
    }

    /** The registers possibly written when the unit leaves for {@code target}. */
    long exitWrites(long target) {
        BitSet sources = exitSources.get(target);
        if (sources == null) {
            throw new IllegalStateException("no exit to 0x" + Long.toHexString(target) + " was recorded");
        }
        return writtenAt(sources);
    }

    /** The registers possibly written when the unit leaves through a register branch. */
    long indirectExitWrites() {
        return writtenAt(indirectSources);
    }

    private long writtenAt(BitSet sources) {
        if (before == null) {
            throw new IllegalStateException("solve() first");
        }
        long m = 0;
        for (int i = sources.nextSetBit(0); i >= 0; i = sources.nextSetBit(i + 1)) {
            m |= before[i] | writes[i];
        }
        return m;
    }
}
