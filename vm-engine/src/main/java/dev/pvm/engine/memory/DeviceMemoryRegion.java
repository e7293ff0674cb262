package dev.pvm.engine.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Device memory mapped into the guest physical address space from a host file (NVLink2 GPU RAM, an ATSD
 * register page): reached by the same loads and stores as RAM, but not RAM (it gets no memory@ node from the
 * RAM side and is not counted in the VM's memory). The mapping is shared, so what the guest stores the host
 * side (device-service, the simulated NPU) sees, and the other way round, as QEMU's
 * {@code memory_region_init_ram_ptr} over VFIO's mmap gives (spec sections 7.3, 7.4).
 */
public final class DeviceMemoryRegion implements AutoCloseable {

    private final String name;
    private final long base;
    private final long size;
    private final Runnable unmap;
    private final MemorySegment segment;

    private DeviceMemoryRegion(String name, long base, long size, Runnable unmap, MemorySegment segment) {
        this.name = name;
        this.base = base;
        this.size = size;
        this.unmap = unmap;
        this.segment = segment;
    }

    /**
     * Puts a mapping made elsewhere at guest physical {@code base}: on a real host the mmap of a VFIO device fd's
     * region (GPU RAM, an ATSD page), which has no file to open by path.
     *
     * @param mapping the host mapping, shared with the device
     * @param unmap   undoes the mapping; {@link #close} runs it
     * @throws IllegalArgumentException when the guest range wraps around or is negative
     */
    public static DeviceMemoryRegion of(String name, long base, MemorySegment mapping, Runnable unmap) {
        checkGuestRange(name, base, mapping.byteSize());
        return new DeviceMemoryRegion(name, base, mapping.byteSize(), unmap, mapping);
    }

    private static void checkGuestRange(String name, long base, long size) {
        if (base < 0 || base + size < base) {
            throw new IllegalArgumentException(String.format("%s: bad guest range base=0x%x size=0x%x", name, base,
                    size));
        }
    }

    /**
     * Maps {@code range} read-write and shared at guest physical {@code base}.
     *
     * @param name what the region is, for errors and logs (e.g. "GPU RAM of 0004:04:00.0")
     * @throws IllegalArgumentException when the guest range wraps around or is negative
     * @throws IOException              when the file cannot be opened or mapped (the path in the message)
     */
    public static DeviceMemoryRegion map(String name, long base, HostFileRange range) throws IOException {
        checkGuestRange(name, base, range.size());
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(range.file(), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            // READ_WRITE maps MAP_SHARED: stores reach the file (and every other mapping of it).
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, range.offset(), range.size(), arena);
            return new DeviceMemoryRegion(name, base, range.size(), arena::close, segment);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public String name() {
        return name;
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

    /** The host mapping; offset 0 is guest physical {@link #base()}. */
    MemorySegment segment() {
        return segment;
    }

    /** Unmaps the region; it must not be used afterwards. */
    @Override
    public void close() {
        unmap.run();
    }

    @Override
    public String toString() {
        return String.format("%s [0x%x, 0x%x)", name, base, end());
    }
}
