package dev.pvm.engine.memory;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * The guest physical address space as devices and the CPU see it: typed big- and little-endian accesses by
 * guest physical address. Accesses that cross from one region into an adjacent one work; any byte that no
 * region backs makes the whole access fail with {@link GuestMemoryAccessException} before anything is written.
 *
 * <p>Loads return zero-extended values ({@code load16} of 0xffff is 65535).
 */
public interface GuestMemory {

    int load8(long address);

    int load16(long address, ByteOrder order);

    int load32(long address, ByteOrder order);

    /**
     * Fetches an instruction word: {@link #load32} unless the memory distinguishes execute permission (a Linux
     * user-mode address space does: PROT_EXEC).
     */
    default int fetch32(long address, ByteOrder order) {
        return load32(address, order);
    }

    long load64(long address, ByteOrder order);

    void store8(long address, int value);

    void store16(long address, int value, ByteOrder order);

    void store32(long address, int value, ByteOrder order);

    void store64(long address, long value, ByteOrder order);

    /**
     * Store conditional's store (Book II 4.6.2): if the naturally aligned {@code size}-byte value (1, 2, 4 or 8)
     * at {@code address} in {@code order} equals {@code expected}, replaces it with {@code value}, atomically
     * with respect to every other access to it; returns whether it did. This default is a load, a compare and a
     * store: atomic only for a memory one thread uses (a Linux user-mode process).
     */
    default boolean compareAndSet(long address, int size, long expected, long value, ByteOrder order) {
        long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
        long current = switch (size) {
            case 1 -> load8(address);
            case 2 -> load16(address, order);
            case 4 -> load32(address, order);
            default -> load64(address, order);
        };
        if ((current & mask) != (expected & mask)) {
            return false;
        }
        switch (size) {
            case 1 -> store8(address, (int) value);
            case 2 -> store16(address, (int) value, order);
            case 4 -> store32(address, (int) value, order);
            default -> store64(address, value, order);
        }
        return true;
    }

    /** Copies guest bytes out. */
    void read(long address, byte[] destination, int offset, int length);

    /** Copies bytes into the guest. */
    void write(long address, byte[] source, int offset, int length);

    /** Copies a whole segment (for example a mapped kernel file) into the guest. */
    void write(long address, MemorySegment source);

    /** Sets {@code length} bytes to {@code value}. */
    void fill(long address, long length, byte value);

    /** Whether every byte of the range is backed. */
    boolean isBacked(long address, long length);

    default void read(long address, byte[] destination) {
        read(address, destination, 0, destination.length);
    }

    default void write(long address, byte[] source) {
        write(address, source, 0, source.length);
    }
}
