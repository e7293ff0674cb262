package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.runtime.CodePageMap;
import dev.pvm.engine.cpu.runtime.CodePages;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Translated units by entry address and mode, and the pages each one was translated from. The lookup is an
 * open-addressing table of primitive keys (no boxing on the dispatch path). Keys are effective addresses:
 * translated code embeds them (LR values, CIA on faults), plus the real address the code was fetched from, so
 * that with instruction relocation the same effective address mapped to other code (another process) finds
 * its own unit; pages are tracked by real address, which is what stores see.
 */
public final class TranslationCache {

    private long[] keys;
    private long[] modes;
    private CompiledUnit[] units;
    private int size;
    private final Map<Long, List<CompiledUnit>> byPage = new HashMap<>();
    private long invalidations;

    public TranslationCache() {
        allocate(1 << 12);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        modes = new long[capacity];
        units = new CompiledUnit[capacity];
        size = 0;
    }

    private static int hash(long pc, int mask) {
        long h = (pc >>> 2) * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** The unit for {@code pc} in {@code mode} fetched from real address {@code real}, or null. */
    public CompiledUnit get(long pc, long mode, long real) {
        int mask = units.length - 1;
        for (int i = hash(pc, mask);; i = (i + 1) & mask) {
            CompiledUnit u = units[i];
            if (u == null) {
                return null;
            }
            if (keys[i] == pc && modes[i] == mode && u.realStart == real) {
                return u;
            }
        }
    }

    /**
     * Adds a unit fetched from real address {@code real} and records the real pages it covers (a relocated unit
     * never leaves its entry's page: {@link BlockScanner} stops there, so its ranges are as contiguous in real
     * memory as in effective addresses).
     */
    public void put(CompiledUnit unit, long real, CodePages pages) {
        if (size * 2 >= units.length) {
            rehash(units.length * 2);
        }
        unit.realStart = real;
        insert(unit);
        onPages(unit, pages);
    }

    /** Lists {@code unit} under every real page its code ranges touch, and marks those ranges as code. */
    private void onPages(CompiledUnit unit, CodePages pages) {
        for (int s = 0; s < unit.segments.length; s += 2) {
            long start = unit.realStart + unit.segments[s];
            long end = unit.realStart + unit.segments[s + 1];
            for (long p = start >>> CodePageMap.PAGE_SHIFT; p <= (end - 1) >>> CodePageMap.PAGE_SHIFT; p++) {
                List<CompiledUnit> onPage = byPage.computeIfAbsent(p, k -> new ArrayList<>());
                if (onPage.isEmpty() || onPage.getLast() != unit) {
                    onPage.add(unit);
                }
            }
            pages.markCode(start, end);
        }
    }

    /**
     * Puts {@code next} where {@code old} is (same address, mode and real address: a decoded unit's translation),
     * listed on the pages its own ranges cover.
     */
    public void replace(CompiledUnit old, CompiledUnit next, CodePages pages) {
        int mask = units.length - 1;
        for (int i = hash(old.startPc, mask); units[i] != null; i = (i + 1) & mask) {
            if (units[i] == old) {
                next.realStart = old.realStart;
                units[i] = next;
                onPages(next, pages);
                return;
            }
        }
        throw new IllegalArgumentException(String.format("no unit at 0x%x in the cache to replace", old.startPc));
    }

    private void insert(CompiledUnit unit) {
        int mask = units.length - 1;
        int i = hash(unit.startPc, mask);
        while (units[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = unit.startPc;
        modes[i] = unit.mode;
        units[i] = unit;
        size++;
    }

    private void rehash(int capacity) {
        CompiledUnit[] old = units;
        allocate(capacity);
        for (CompiledUnit u : old) {
            if (u != null && u.valid) {
                insert(u);
            }
        }
    }

    /** Invalidates every unit translated from real page {@code page}: guest code there was written. */
    public void invalidatePage(long page) {
        List<CompiledUnit> gone = byPage.remove(page);
        if (gone == null) {
            return;
        }
        for (CompiledUnit u : gone) {
            u.valid = false;
            remove(u);
        }
        invalidations++;
    }

    /**
     * Takes {@code unit} out of the table if it is there (a unit on two pages goes with the first; a promoted
     * decoded unit was already replaced), closing the gap by moving later entries of its probe run back, so that
     * no rehash of the whole table is needed (the kernel patches its code thousands of times a boot).
     */
    private void remove(CompiledUnit unit) {
        int mask = units.length - 1;
        int i = hash(unit.startPc, mask);
        while (units[i] != unit) {
            if (units[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        units[i] = null;
        size--;
        for (int j = (i + 1) & mask; units[j] != null; j = (j + 1) & mask) {
            int home = hash(keys[j], mask);
            // The entry at j may move to the gap at i unless its home lies cyclically in (i, j].
            boolean stays = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!stays) {
                keys[i] = keys[j];
                modes[i] = modes[j];
                units[i] = units[j];
                units[j] = null;
                i = j;
            }
        }
    }

    /** Drops everything (memory was rewritten behind the CPU's back, e.g. a machine reset). */
    public void clear() {
        for (CompiledUnit u : units) {
            if (u != null) {
                u.valid = false;
            }
        }
        byPage.clear();
        allocate(units.length);
    }

    public int size() {
        return size;
    }

    /** How many times a write to code invalidated a page's units. */
    public long invalidations() {
        return invalidations;
    }
}
