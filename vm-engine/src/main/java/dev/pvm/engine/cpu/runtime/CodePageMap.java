package dev.pvm.engine.cpu.runtime;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Which words of RAM hold translated code, and the per-page "store trap" byte that translated stores test on
 * their fast path: a store to a page whose byte is nonzero takes the slow path. A page is trapped when it holds
 * code, and every page is trapped while lockstep mode journals stores.
 *
 * <p>Within a trapped page a bitmap (one bit per 4-byte word) says which words were translated, so data that
 * shares a page with code (small static programs, linker-packed sections) is written without invalidating
 * anything: only a store that overlaps translated words invalidates the page's units.
 *
 * <p>Addresses are real addresses inside the RAM block that starts at 0; code elsewhere is not tracked.
 */
public final class CodePageMap implements CodePages {

    public static final int PAGE_SHIFT = 12;
    private static final int WORDS_PER_PAGE = (1 << PAGE_SHIFT) / 4;

    private final byte[] trap;
    /** Per page, one bit per word holding translated code; null for pages without code. */
    private final long[][] code;
    private final LongConsumer invalidator;
    private boolean trapAll;

    /**
     * @param ramSize     bytes of RAM from address 0
     * @param invalidator called with a page number when a store overwrites translated code on it
     */
    public CodePageMap(long ramSize, LongConsumer invalidator) {
        int pages = (int) ((ramSize + (1L << PAGE_SHIFT) - 1) >>> PAGE_SHIFT);
        this.trap = new byte[pages + 1];
        this.code = new long[pages + 1][];
        this.invalidator = invalidator;
    }

    /** The trap bytes, indexed by page number (read by translated stores through {@link TranslatorRuntime}). */
    byte[] trapBytes() {
        return trap;
    }

    public boolean holdsCode(long page) {
        return page >= 0 && page < code.length && code[(int) page] != null;
    }

    /** Marks the words of {@code [start, end)} as translated code. */
    @Override
    public void markCode(long start, long end) {
        for (long a = start & ~3L; a < end; a += 4) {
            long page = a >>> PAGE_SHIFT;
            if (page >= code.length) {
                return;
            }
            long[] bits = code[(int) page];
            if (bits == null) {
                bits = new long[WORDS_PER_PAGE / 64];
                code[(int) page] = bits;
                trap[(int) page] = 1;
            }
            int word = (int) ((a >>> 2) & (WORDS_PER_PAGE - 1));
            bits[word >>> 6] |= 1L << word;
        }
    }

    /** Whether {@code [address, address + length)} overlaps a translated word. */
    @Override
    public boolean overlapsCode(long address, long length) {
        for (long a = address & ~3L; a < address + length; a += 4) {
            long page = a >>> PAGE_SHIFT;
            if (page < 0 || page >= code.length) {
                return false;
            }
            long[] bits = code[(int) page];
            if (bits != null) {
                int word = (int) ((a >>> 2) & (WORDS_PER_PAGE - 1));
                if ((bits[word >>> 6] & (1L << word)) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A store is about to write {@code [address, address + length)}: invalidates the units of every page whose
     * translated words it overwrites.
     */
    @Override
    public void written(long address, long length) {
        if (length <= 0 || !overlapsCode(address, length)) {
            return;
        }
        for (long p = address >>> PAGE_SHIFT; p <= (address + length - 1) >>> PAGE_SHIFT && p < code.length; p++) {
            long pageStart = p << PAGE_SHIFT;
            long from = Math.max(address, pageStart);
            long to = Math.min(address + length, pageStart + (1L << PAGE_SHIFT));
            if (p >= 0 && overlapsCode(from, to - from)) {
                code[(int) p] = null;
                trap[(int) p] = (byte) (trapAll ? 1 : 0);
                invalidator.accept(p);
            }
        }
    }

    /** Forgets all code (the translation cache was flushed). */
    @Override
    public void clear() {
        Arrays.fill(code, null);
        Arrays.fill(trap, (byte) (trapAll ? 1 : 0));
    }

    /** Traps every store (lockstep journaling) or only stores to code pages. */
    @Override
    public void trapAll(boolean on) {
        trapAll = on;
        for (int p = 0; p < trap.length; p++) {
            trap[p] = (byte) (on || code[p] != null ? 1 : 0);
        }
    }
}
