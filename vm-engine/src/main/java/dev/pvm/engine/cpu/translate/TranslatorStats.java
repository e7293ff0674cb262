package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.interp.Semantics;
import dev.pvm.engine.cpu.isa.InsnPattern;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the translator's time goes, for profiling ({@code -Dpvm.translator.stats=true}): how often the
 * dispatch loop enters a unit and how it found it (chain slot, indirect cache, hash lookup), how many
 * instructions the interpreter ran one at a time, and how often each row ran as an interpreter fallback inside
 * a unit. Off by default: then nothing is counted and fallbacks are called directly.
 */
public final class TranslatorStats {

    /** The system property that turns counting on. */
    public static final String PROPERTY = "pvm.translator.stats";

    long dispatches;
    long chainHits;
    long indirectHits;
    long lookups;
    long interpretedSteps;
    long codeModifiedExits;
    private final InsnPattern[] rows;
    private final LongAdder[] fallbacks;

    TranslatorStats(int rowCount) {
        this.rows = new InsnPattern[rowCount];
        this.fallbacks = new LongAdder[rowCount];
    }

    static boolean enabledByProperty() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** {@code semantics} wrapped so that each execution of {@code row} as a fallback is counted. */
    Semantics counting(InsnPattern row, Semantics semantics) {
        LongAdder counter;
        synchronized (fallbacks) {
            if (fallbacks[row.id()] == null) {
                fallbacks[row.id()] = new LongAdder();
                rows[row.id()] = row;
            }
            counter = fallbacks[row.id()];
        }
        return (cpu, insn) -> {
            counter.increment();
            semantics.execute(cpu, insn);
        };
    }

    /**
     * A report: the dispatch counters, units translated and the {@code top} rows run most often as fallbacks.
     */
    public String report(long unitsTranslated, long instructions, int top) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("translator: %,d instructions, %,d units translated, %,d unit entries "
                + "(%,d by chain slot, %,d by indirect cache, %,d by hash lookup), %,d interpreted steps, "
                + "%,d code-modified exits%n", instructions, unitsTranslated, dispatches, chainHits, indirectHits,
                lookups, interpretedSteps, codeModifiedExits));
        Integer[] ids = new Integer[rows.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        long total = 0;
        for (LongAdder a : fallbacks) {
            total += a == null ? 0 : a.sum();
        }
        b.append(String.format("translator: %,d fallbacks to the interpreter's semantics; most frequent:%n",
                total));
        Arrays.sort(ids, Comparator.comparingLong((Integer i) -> fallbacks[i] == null ? 0 : fallbacks[i].sum())
                .reversed());
        for (int k = 0; k < Math.min(top, ids.length); k++) {
            LongAdder a = fallbacks[ids[k]];
            if (a == null || a.sum() == 0) {
                break;
            }
            b.append(String.format("  %-12s %,14d%n", rows[ids[k]].mnemonic(), a.sum()));
        }
        return b.toString();
    }
}
