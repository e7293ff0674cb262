package dev.pvm.engine.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One range of guest RAM backed by off-heap host memory. Never a Java array: guest RAM is gigabytes, and
 * host memory is committed only for the pages the guest touches.
 */
public final class RamRegion implements AutoCloseable {

    private final long base;
    private final long size;
    private final Arena arena;
    private final MemorySegment segment;

    private RamRegion(long base, long size, Arena arena, MemorySegment segment) {
        this.base = base;
        this.size = size;
        this.arena = arena;
        this.segment = segment;
    }

    /**
     * Allocates zeroed RAM for guest physical {@code [base, base + size)}.
     *
     * @throws IllegalArgumentException when the range is empty or wraps around
     */
    public static RamRegion allocate(long base, long size) {
        if (size <= 0 || base < 0 || base + size < base) {
            throw new IllegalArgumentException(String.format("bad RAM range base=0x%x size=0x%x", base, size));
        }
        Arena arena = Arena.ofShared();
        try {
            return new RamRegion(base, size, arena, AnonymousMapping.map(size, arena));
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** First guest physical address. */
    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    /** One past the last guest physical address. */
    public long end() {
        return base + size;
    }

    public boolean contains(long address) {
        return address >= base && address - base < size;
    }

    /** The host memory; offset 0 is guest physical {@link #base()}. */
    MemorySegment segment() {
        return segment;
    }

    /**
     * The host memory for the translator's inline loads and stores (offset 0 is guest physical {@link #base()}).
     *
     * <p>SAFETY: the segment lives until {@link #close()}; callers must not use it afterwards. Translated code
     * and the machine that closes the region run on the same vCPU thread, so no access can race the close.
     */
    public MemorySegment hostSegment() {
        return segment;
    }

    /** Releases the host memory; the region must not be used afterwards. */
    @Override
    public void close() {
        arena.close();
    }
}
