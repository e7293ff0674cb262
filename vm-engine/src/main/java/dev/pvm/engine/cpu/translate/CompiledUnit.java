package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.interp.Semantics;

/**
 * A translated unit: the superclass of every generated hidden class, which implements {@link #run}. It also
 * carries the unit's chaining state: one slot per direct exit, holding the successor unit once it is known
 * (jpcsp's invalidatable indirection: a slot whose unit was invalidated is simply looked up again), and a
 * one-entry cache for its indirect exit.
 */
public abstract class CompiledUnit {

    /** The interpreter's semantics for the instructions this unit does not inline, by fallback index. */
    protected final Semantics[] fallbacks;

    final long startPc;
    /**
     * Real address of the first instruction, set when the unit is cached: stores to code find their units by it,
     * and a unit translated with instruction relocation on runs only while its page still maps there.
     */
    long realStart;
    final long mode;
    final int length;
    /**
     * The address ranges the unit's code covers, as offsets from {@link #startPc}: pairs of start (inclusive)
     * and end (exclusive) ({@link TranslationUnit#segments}).
     */
    final long[] segments;
    /** Target address of each direct exit. */
    final long[] exitPcs;
    /** Chain slots: the successor through each direct exit, or null until first taken. */
    final CompiledUnit[] chained;
    long indirectPc = -1;
    CompiledUnit indirectUnit;
    /** False once guest code under the unit was written; slots holding it are then looked up again. */
    boolean valid = true;

    protected CompiledUnit(Semantics[] fallbacks, UnitInfo info) {
        this.fallbacks = fallbacks;
        this.startPc = info.startPc();
        this.mode = info.mode();
        this.length = info.length();
        this.segments = info.segments();
        this.exitPcs = info.exitPcs();
        this.chained = new CompiledUnit[exitPcs.length];
    }

    /**
     * Runs the unit from its first instruction until it leaves. On return the registers are in {@code cpu},
     * {@code cpu.nia} is the next instruction and {@code cpu.instructions} counts what completed.
     *
     * @param remaining the budget left; loops inside the unit leave at a back edge once it is used up
     * @return a direct exit index, or one of {@link dev.pvm.engine.cpu.runtime.CompiledUnitExits}
     */
    public abstract int run(CpuState cpu, long remaining);

    public long startPc() {
        return startPc;
    }

    public long realStart() {
        return realStart;
    }

    public int length() {
        return length;
    }

    public boolean valid() {
        return valid;
    }

    /** What the generated constructor passes up. */
    public record UnitInfo(long startPc, long mode, int length, long[] segments, long[] exitPcs) {
    }
}
