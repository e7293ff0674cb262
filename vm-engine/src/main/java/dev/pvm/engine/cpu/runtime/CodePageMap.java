package dev.pvm.engine.cpu.runtime;

import java.util.function.LongConsumer;

/**
 * Which 4 KiB pages of RAM hold translated code, and the per-page "store trap" byte that translated stores
 * test on their fast path: a store to a page whose byte is nonzero takes the slow path. A page is trapped when
 * it holds code, and every page is trapped while lockstep mode journals stores.
 *
 * <p>Addresses are real addresses inside the RAM block that starts at 0; code elsewhere is not tracked.
 */
public final class CodePageMap {

    public static final int PAGE_SHIFT = 12;

    private final byte[] trap;
    private final boolean[] code;
    private final LongConsumer invalidator;
    private boolean trapAll;

    /**
     * @param ramSize     bytes of RAM from address 0
     * @param invalidator called with a page number when a store hits a page that holds code
     */
    public CodePageMap(long ramSize, LongConsumer invalidator) {
        int pages = (int) ((ramSize + (1L << PAGE_SHIFT) - 1) >>> PAGE_SHIFT);
        this.trap = new byte[pages + 1];
        this.code = new boolean[pages + 1];
        this.invalidator = invalidator;
    }

    /** The trap bytes, indexed by page number (read by translated stores through {@link TranslatorRuntime}). */
    byte[] trapBytes() {
        return trap;
    }

    public boolean holdsCode(long page) {
        return page >= 0 && page < code.length && code[(int) page];
    }

    /** Marks the pages of {@code [start, end)} as holding translated code. */
    public void markCode(long start, long end) {
        for (long p = start >>> PAGE_SHIFT; p <= (end - 1) >>> PAGE_SHIFT && p < code.length; p++) {
            code[(int) p] = true;
            trap[(int) p] = 1;
        }
    }

    /** A store is about to write {@code [address, address + length)}: invalidates the code pages it touches. */
    public void written(long address, long length) {
        if (length <= 0) {
            return;
        }
        for (long p = address >>> PAGE_SHIFT; p <= (address + length - 1) >>> PAGE_SHIFT && p < code.length; p++) {
            if (p >= 0 && code[(int) p]) {
                code[(int) p] = false;
                trap[(int) p] = (byte) (trapAll ? 1 : 0);
                invalidator.accept(p);
            }
        }
    }

    /** Forgets all code pages (the translation cache was flushed). */
    public void clear() {
        java.util.Arrays.fill(code, false);
        java.util.Arrays.fill(trap, (byte) (trapAll ? 1 : 0));
    }

    /** Traps every store (lockstep journaling) or only stores to code pages. */
    public void trapAll(boolean on) {
        trapAll = on;
        for (int p = 0; p < trap.length; p++) {
            trap[p] = (byte) (on || code[p] ? 1 : 0);
        }
    }
}
