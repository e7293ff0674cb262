package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.isa.InsnPattern;

/**
 * What {@link BlockScanner} found from one entry address: a region of instructions laid out as runs of
 * consecutive addresses (the entry's run first), their rows, which of them start a basic block, and for each
 * branch whose target lies inside the unit the index of that target (a JVM jump instead of an exit; a backward
 * one in layout order makes a guest loop a JVM loop). Where the instruction after {@code i} in layout is not the
 * one at {@code pc(i) + 4}, control that falls through {@code i} jumps to that address: inside the unit if it
 * is there, else out through an exit.
 *
 * @param startPc   effective address of the first instruction: the unit's entry
 * @param mode      the MSR bits the unit was translated for ({@link #MODE_MASK})
 * @param words     instruction words, in layout order
 * @param rows      their table rows
 * @param pcs       their effective addresses, all less than {@link BlockScanner#WINDOW} bytes from
 *                  {@code startPc} (above or below)
 * @param leaders   whether instruction i starts a basic block (first, branch target, after a branch, a run's
 *                  first)
 * @param internal  for a branch at i, the index of its target inside the unit, else -1
 */
public record TranslationUnit(long startPc, long mode, int[] words, InsnPattern[] rows, long[] pcs,
        boolean[] leaders, int[] internal) {

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

    /** The address of instruction {@code index} (in layout order). */
    public long pc(int index) {
        return pcs[index];
    }

    /** The layout index of the instruction at {@code pc}, or -1 when the unit does not hold it. */
    public int indexOf(long pc) {
        for (int i = 0; i < pcs.length; i++) {
            if (pcs[i] == pc) {
                return i;
            }
        }
        return -1;
    }

    /** Whether control falling through instruction {@code i} reaches the next instruction in layout order. */
    public boolean fallsIntoNext(int i) {
        return i + 1 < pcs.length && pcs[i + 1] == pcs[i] + 4;
    }

    /**
     * The address ranges the unit's instructions cover, as offsets from {@code startPc}: pairs of start
     * (inclusive) and end (exclusive), one pair per run of consecutive addresses.
     */
    public long[] segments() {
        int runs = 1;
        for (int i = 0; i + 1 < pcs.length; i++) {
            if (!fallsIntoNext(i)) {
                runs++;
            }
        }
        long[] s = new long[2 * runs];
        int k = 0;
        s[0] = pcs[0] - startPc;
        for (int i = 0; i < pcs.length; i++) {
            if (!fallsIntoNext(i)) {
                s[2 * k + 1] = pcs[i] + 4 - startPc;
                k++;
                if (i + 1 < pcs.length) {
                    s[2 * k] = pcs[i + 1] - startPc;
                }
            }
        }
        return s;
    }

    public boolean littleEndian() {
        return (mode & dev.pvm.engine.cpu.Msr.LE) != 0;
    }
}
