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
