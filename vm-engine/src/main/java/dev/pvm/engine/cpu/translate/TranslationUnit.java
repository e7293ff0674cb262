package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.isa.InsnPattern;

/**
 * What {@link BlockScanner} found at one address: consecutive instructions, their rows, which of them start a
 * basic block, and for each branch whose target lies inside the unit the index of that target (a JVM jump
 * instead of an exit; a backward one makes a guest loop a JVM loop).
 *
 * @param startPc   effective address of the first instruction
 * @param mode      the MSR bits the unit was translated for ({@link #MODE_MASK})
 * @param words     instruction words
 * @param rows      their table rows
 * @param leaders   whether instruction i starts a basic block (first, branch target, after a branch)
 * @param internal  for a branch at i, the index of its target inside the unit, else -1
 */
public record TranslationUnit(long startPc, long mode, int[] words, InsnPattern[] rows, boolean[] leaders,
        int[] internal) {

    /**
     * MSR bits a translation depends on: byte order, 64-bit mode, relocation, and the problem state and facility
     * bits, so that privileged and FP/VMX/VSX instructions can be emitted inline where the unit's mode permits
     * them (an MSR change by a fallback leaves the unit: see {@code mustLeave}).
     */
    public static final long MODE_MASK = dev.pvm.engine.cpu.Msr.LE | dev.pvm.engine.cpu.Msr.SF
            | dev.pvm.engine.cpu.Msr.IR | dev.pvm.engine.cpu.Msr.DR | dev.pvm.engine.cpu.Msr.PR
            | dev.pvm.engine.cpu.Msr.FP | dev.pvm.engine.cpu.Msr.VEC | dev.pvm.engine.cpu.Msr.VSX;

    public int length() {
        return words.length;
    }

    public long pc(int index) {
        return startPc + 4L * index;
    }

    public long endPc() {
        return pc(words.length);
    }

    public boolean littleEndian() {
        return (mode & dev.pvm.engine.cpu.Msr.LE) != 0;
    }
}
