package dev.pvm.engine.cpu.runtime;

/**
 * Which guest words hold translated code, and the store trap that sends translated stores to pages holding
 * code down the slow path. Pages are {@link CodePageMap#PAGE_SHIFT}-sized (the unit of
 * {@code TranslationCache}'s page index); a store that overlaps translated words invalidates their pages'
 * units through the invalidator the implementation was built with.
 *
 * <p>{@link CodePageMap} covers the pseries machine's RAM at real address 0 with dense arrays; the Linux
 * user-mode runner's sparse 1 TiB address space has its own implementation.
 */
public interface CodePages {

    /** Marks the words of {@code [start, end)} as translated code. */
    void markCode(long start, long end);

    /** Whether {@code [address, address + length)} overlaps a translated word. */
    boolean overlapsCode(long address, long length);

    /**
     * {@code [address, address + length)} is about to be written: invalidates the units of every page whose
     * translated words it overwrites.
     */
    void written(long address, long length);

    /** Forgets all code (the translation cache was flushed). */
    void clear();

    /** Traps every store (lockstep journaling) or only stores to code pages. */
    void trapAll(boolean on);
}
