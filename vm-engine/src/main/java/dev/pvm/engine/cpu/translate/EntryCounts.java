package dev.pvm.engine.cpu.translate;

/**
 * How often the dispatch loop arrived at each address that has no translated unit yet, so that only code that
 * runs often is translated (a tiered JIT's first tier). Translating a unit costs about as much as interpreting
 * tens of thousands of instructions (scanning, bytecode generation, defining a class, and later the JVM's
 * compilation of it), while most of a kernel's boot code runs only a few times.
 *
 * <p>The table is direct-mapped by address and keeps no tags: addresses that share a slot add up, which only
 * makes them count as hot sooner (a translation that was not needed yet, never a wrong one).
 */
final class EntryCounts {

    private static final int SLOTS = 1 << 14;

    private final int[] counts = new int[SLOTS];

    /** Counts an arrival at {@code pc}; true once the slot has seen {@code threshold} of them. */
    boolean reached(long pc, int threshold) {
        int i = (int) (((pc >>> 2) * 0x9E37_79B9_7F4A_7C15L) >>> (64 - 14));
        int n = counts[i];
        if (n >= threshold) {
            return true;
        }
        counts[i] = n + 1;
        return false;
    }
}
