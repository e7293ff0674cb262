package dev.pvm.engine.memory;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The guest physical address space: RAM regions (one per NUMA node) and host-mapped device memory (NVLink2 GPU
 * RAM, ATSD pages), non-overlapping, looked up by address. Only the RAM regions are the VM's memory
 * ({@link #regions()}, {@link #ramSize()}); device regions are reached by the same accesses.
 *
 * <p>Accesses go to the region that served the previous access first (guests touch one region at a time);
 * an access that straddles two adjacent regions is split byte by byte. The object is safe for concurrent use:
 * the regions are immutable and the remembered region is only a hint.
 */
public final class AddressSpace implements GuestMemory, AutoCloseable {

    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Atomic views for store conditional (aligned accesses only). */
    private static final VarHandle ATOMIC_INT_BE = ValueLayout.JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).varHandle();
    private static final VarHandle ATOMIC_INT_LE = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle ATOMIC_LONG_BE = ValueLayout.JAVA_LONG.withOrder(ByteOrder.BIG_ENDIAN).varHandle();
    private static final VarHandle ATOMIC_LONG_LE =
            ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    /** One mapped range, RAM or device: what an access needs, whatever backs it. */
    private record Area(String name, long base, long size, MemorySegment segment) {
        long end() {
            return base + size;
        }
    }

    private final RamRegion[] regions;
    private final DeviceMemoryRegion[] devices;
    private final Area[] areas;
    private Area recent;

    /**
     * @param regions the RAM regions; they must not overlap
     * @throws IllegalArgumentException when two regions overlap or none is given
     */
    public AddressSpace(List<RamRegion> regions) {
        this(regions, List.of());
    }

    /**
     * @param regions the RAM regions
     * @param devices host-mapped device memory; no two regions of either kind may overlap
     * @throws IllegalArgumentException when two regions overlap (naming both) or no RAM is given
     */
    public AddressSpace(List<RamRegion> regions, List<DeviceMemoryRegion> devices) {
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("an address space needs at least one region");
        }
        List<Area> sorted = new ArrayList<>();
        for (RamRegion r : regions) {
            sorted.add(new Area("RAM", r.base(), r.size(), r.segment()));
        }
        for (DeviceMemoryRegion d : devices) {
            sorted.add(new Area(d.name(), d.base(), d.size(), d.segment()));
        }
        sorted.sort(Comparator.comparingLong(Area::base));
        for (int i = 1; i < sorted.size(); i++) {
            Area prev = sorted.get(i - 1);
            Area next = sorted.get(i);
            if (next.base() < prev.end()) {
                throw new IllegalArgumentException(prev.name().equals("RAM") && next.name().equals("RAM")
                        ? String.format("RAM regions overlap: [0x%x, 0x%x) and [0x%x, 0x%x)", prev.base(),
                                prev.end(), next.base(), next.end())
                        : String.format("%s [0x%x, 0x%x) overlaps %s [0x%x, 0x%x)", next.name(), next.base(),
                                next.end(), prev.name(), prev.base(), prev.end()));
            }
        }
        List<RamRegion> ram = new ArrayList<>(regions);
        ram.sort(Comparator.comparingLong(RamRegion::base));
        this.regions = ram.toArray(RamRegion[]::new);
        this.devices = devices.toArray(DeviceMemoryRegion[]::new);
        this.areas = sorted.toArray(Area[]::new);
        this.recent = this.areas[0];
    }

    /** The regions in address order. */
    public List<RamRegion> regions() {
        return List.of(regions);
    }

    /** The host-mapped device regions (not RAM). */
    public List<DeviceMemoryRegion> deviceRegions() {
        return List.of(devices);
    }

    /** Total bytes of RAM. */
    public long ramSize() {
        long total = 0;
        for (RamRegion r : regions) {
            total += r.size();
        }
        return total;
    }

    /** The region holding all of {@code [address, address + size)}, or null when no single one does. */
    private Area regionFor(long address, long size) {
        Area r = recent;
        long off = address - r.base();
        if (off >= 0 && off <= r.size() - size) {
            return r;
        }
        for (Area candidate : areas) {
            off = address - candidate.base();
            if (off >= 0 && off <= candidate.size() - size) {
                recent = candidate;
                return candidate;
            }
        }
        return null;
    }

    @Override
    public int load8(long address) {
        Area r = regionFor(address, 1);
        if (r == null) {
            throw new GuestMemoryAccessException(address, 1, false);
        }
        return r.segment().get(ValueLayout.JAVA_BYTE, address - r.base()) & 0xff;
    }

    @Override
    public int load16(long address, ByteOrder order) {
        Area r = regionFor(address, 2);
        if (r == null) {
            return (int) loadSplit(address, 2, order);
        }
        return r.segment().get(order == ByteOrder.BIG_ENDIAN ? SHORT_BE : SHORT_LE, address - r.base()) & 0xffff;
    }

    @Override
    public int load32(long address, ByteOrder order) {
        Area r = regionFor(address, 4);
        if (r == null) {
            return (int) loadSplit(address, 4, order);
        }
        return r.segment().get(order == ByteOrder.BIG_ENDIAN ? INT_BE : INT_LE, address - r.base());
    }

    @Override
    public long load64(long address, ByteOrder order) {
        Area r = regionFor(address, 8);
        if (r == null) {
            return loadSplit(address, 8, order);
        }
        return r.segment().get(order == ByteOrder.BIG_ENDIAN ? LONG_BE : LONG_LE, address - r.base());
    }

    @Override
    public void store8(long address, int value) {
        Area r = regionFor(address, 1);
        if (r == null) {
            throw new GuestMemoryAccessException(address, 1, true);
        }
        r.segment().set(ValueLayout.JAVA_BYTE, address - r.base(), (byte) value);
    }

    @Override
    public void store16(long address, int value, ByteOrder order) {
        Area r = regionFor(address, 2);
        if (r == null) {
            storeSplit(address, 2, value, order);
            return;
        }
        r.segment().set(order == ByteOrder.BIG_ENDIAN ? SHORT_BE : SHORT_LE, address - r.base(), (short) value);
    }

    @Override
    public void store32(long address, int value, ByteOrder order) {
        Area r = regionFor(address, 4);
        if (r == null) {
            storeSplit(address, 4, value, order);
            return;
        }
        r.segment().set(order == ByteOrder.BIG_ENDIAN ? INT_BE : INT_LE, address - r.base(), value);
    }

    @Override
    public void store64(long address, long value, ByteOrder order) {
        Area r = regionFor(address, 8);
        if (r == null) {
            storeSplit(address, 8, value, order);
            return;
        }
        r.segment().set(order == ByteOrder.BIG_ENDIAN ? LONG_BE : LONG_LE, address - r.base(), value);
    }

    /**
     * A host compare-and-exchange on the guest's bytes (as QEMU's TCG does for stcx., with the reserved value as
     * the expected one): 4 and 8 bytes directly, 1 and 2 bytes by exchanging the aligned word that holds them,
     * retried while only the word's other bytes changed.
     *
     * @throws IllegalArgumentException when the address is not aligned to the size
     */
    @Override
    public boolean compareAndSet(long address, int size, long expected, long value, ByteOrder order) {
        if (size != 1 && size != 2 && size != 4 && size != 8 || (address & (size - 1)) != 0) {
            throw new IllegalArgumentException(String.format("compare-and-set of %d bytes at 0x%x: needs 1, 2, 4 or "
                    + "8 naturally aligned bytes", size, address));
        }
        Area r = regionFor(address, size);
        if (r == null) {
            throw new GuestMemoryAccessException(address, size, true);
        }
        long offset = address - r.base();
        boolean bigEndian = order == ByteOrder.BIG_ENDIAN;
        if (size == 8) {
            return (bigEndian ? ATOMIC_LONG_BE : ATOMIC_LONG_LE).compareAndSet(r.segment(), offset, expected, value);
        }
        if (size == 4) {
            return (bigEndian ? ATOMIC_INT_BE : ATOMIC_INT_LE).compareAndSet(r.segment(), offset, (int) expected,
                    (int) value);
        }
        // The sub-word's bytes as they lie in memory, read as part of a little-endian word.
        int mask = size == 1 ? 0xff : 0xffff;
        int want = (int) expected & mask;
        int put = (int) value & mask;
        if (size == 2 && bigEndian) {
            want = Short.reverseBytes((short) want) & mask;
            put = Short.reverseBytes((short) put) & mask;
        }
        long wordOffset = offset & ~3L;
        int shift = 8 * (int) (offset & 3);
        if (wordOffset + 4 > r.size()) {
            throw new IllegalArgumentException(String.format("compare-and-set at 0x%x: the region's last word is "
                    + "incomplete", address));
        }
        while (true) {
            int word = (int) ATOMIC_INT_LE.getVolatile(r.segment(), wordOffset);
            if (((word >>> shift) & mask) != want) {
                return false;
            }
            int next = (word & ~(mask << shift)) | (put << shift);
            if (ATOMIC_INT_LE.compareAndSet(r.segment(), wordOffset, word, next)) {
                return true;
            }
        }
    }

    /** An access that does not fit one region: every byte must be backed by some region. */
    private long loadSplit(long address, int size, ByteOrder order) {
        requireBacked(address, size, false);
        long value = 0;
        for (int i = 0; i < size; i++) {
            long b = load8(address + i);
            value |= order == ByteOrder.BIG_ENDIAN ? b << (8 * (size - 1 - i)) : b << (8 * i);
        }
        return value;
    }

    private void storeSplit(long address, int size, long value, ByteOrder order) {
        requireBacked(address, size, true);
        for (int i = 0; i < size; i++) {
            int shift = order == ByteOrder.BIG_ENDIAN ? 8 * (size - 1 - i) : 8 * i;
            store8(address + i, (int) (value >>> shift));
        }
    }

    private void requireBacked(long address, long length, boolean write) {
        if (!isBacked(address, length)) {
            throw new GuestMemoryAccessException(address, length, write);
        }
    }

    @Override
    public boolean isBacked(long address, long length) {
        if (length <= 0) {
            return length == 0;
        }
        if (address < 0 || address + length < address) {
            return false;
        }
        long cursor = address;
        long end = address + length;
        while (cursor < end) {
            Area r = regionFor(cursor, 1);
            if (r == null) {
                return false;
            }
            cursor = Math.min(end, r.end());
        }
        return true;
    }

    @Override
    public void read(long address, byte[] destination, int offset, int length) {
        requireBacked(address, length, false);
        long cursor = address;
        int done = 0;
        while (done < length) {
            Area r = regionFor(cursor, 1);
            int chunk = (int) Math.min(length - done, r.end() - cursor);
            MemorySegment.copy(r.segment(), ValueLayout.JAVA_BYTE, cursor - r.base(), destination, offset + done,
                    chunk);
            done += chunk;
            cursor += chunk;
        }
    }

    @Override
    public void write(long address, byte[] source, int offset, int length) {
        write(address, MemorySegment.ofArray(source).asSlice(offset, length));
    }

    @Override
    public void write(long address, MemorySegment source) {
        long length = source.byteSize();
        requireBacked(address, length, true);
        long cursor = address;
        long done = 0;
        while (done < length) {
            Area r = regionFor(cursor, 1);
            long chunk = Math.min(length - done, r.end() - cursor);
            MemorySegment.copy(source, done, r.segment(), cursor - r.base(), chunk);
            done += chunk;
            cursor += chunk;
        }
    }

    @Override
    public void fill(long address, long length, byte value) {
        requireBacked(address, length, true);
        long cursor = address;
        long done = 0;
        while (done < length) {
            Area r = regionFor(cursor, 1);
            long chunk = Math.min(length - done, r.end() - cursor);
            r.segment().asSlice(cursor - r.base(), chunk).fill(value);
            done += chunk;
            cursor += chunk;
        }
    }

    /** Releases every region's host memory and unmaps the device regions. */
    @Override
    public void close() {
        for (RamRegion r : regions) {
            r.close();
        }
        for (DeviceMemoryRegion d : devices) {
            d.close();
        }
    }
}
