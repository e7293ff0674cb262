package dev.pvm.engine.linuxuser;

import dev.pvm.engine.memory.GuestMemory;
import dev.pvm.engine.memory.GuestMemoryAccessException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The virtual address space of one Linux user process, backed by one flat host reservation: guest virtual
 * address {@code a} is byte {@code a} of a single sparse anonymous mapping (1 TiB by default).
 *
 * <p>Why this shape: the interpreter's (and later the translator's) load/store path is then a bounds-checked
 * {@code MemorySegment} access at a constant base plus one byte-array lookup for the page's protection, with
 * no region search and no page-table walk. The kernel commits host pages lazily as the guest touches them
 * ({@code MAP_NORESERVE}), so the size costs address space, not memory. Pages are 64 KiB, the ppc64 kernel's
 * page size (AT_PAGESZ), so guest mprotect/munmap granularity is the table's granularity.
 *
 * <p>A guest access to a page without the needed permission throws {@link GuestMemoryAccessException}; the
 * runner turns it into SIGSEGV; instruction fetches ({@link #fetch32}) need PROT_EXEC.
 *
 * <p>Loads return zero-extended values, as {@link GuestMemory} says.
 */
public final class UserAddressSpace implements GuestMemory, AutoCloseable {

    /** Linux ppc64's page size with CONFIG_PPC_64K_PAGES (Debian's and RHEL's kernels), also AT_PAGESZ. */
    public static final int PAGE_SHIFT = 16;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    /** Permission bits of the page table (PROT_READ, PROT_WRITE, PROT_EXEC's values). */
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;
    /** Set on every page some mapping covers, whatever its protection (PROT_NONE mappings too). */
    static final int MAPPED = 8;

    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Arena arena;
    private final MemorySegment host;
    private final long size;
    private final int addressBits;
    /** One byte per guest page: PROT_* bits plus {@link #MAPPED}. */
    private final byte[] pages;

    /**
     * Reserves {@code 2^addressBits} bytes of host address space.
     *
     * @throws IllegalStateException when the host refuses the reservation
     */
    public UserAddressSpace(int addressBits) {
        if (addressBits < 24 || addressBits > 42) {
            throw new IllegalArgumentException("address bits " + addressBits + " outside 24..42");
        }
        this.addressBits = addressBits;
        this.size = 1L << addressBits;
        this.arena = Arena.ofShared();
        this.host = HostLibc.mapReservation(size, arena);
        this.pages = new byte[(int) (size >>> PAGE_SHIFT)];
    }

    /** One past the highest guest address. */
    public long size() {
        return size;
    }

    // --- the guest's view: checked accesses -------------------------------------------------------------

    private void check(long address, long length, int need, boolean write) {
        long last = address + length - 1;
        if (((address | last) >>> addressBits) != 0
                || (pages[(int) (address >>> PAGE_SHIFT)] & pages[(int) (last >>> PAGE_SHIFT)] & need) == 0) {
            throw new GuestMemoryAccessException(address, length, write);
        }
    }

    /** Whether {@code [address, address+length)} is all accessible with {@code prot} (EFAULT checks). */
    public boolean accessible(long address, long length, int prot) {
        if (length == 0) {
            return true;
        }
        if (length < 0 || address < 0 || address + length < address || address + length > size) {
            return false;
        }
        for (long p = address >>> PAGE_SHIFT; p <= (address + length - 1) >>> PAGE_SHIFT; p++) {
            if ((pages[(int) p] & prot) != prot) {
                return false;
            }
        }
        return true;
    }

    /** Whether any mapping covers the page holding {@code address} (SEGV_ACCERR versus SEGV_MAPERR). */
    public boolean mapped(long address) {
        return address >= 0 && address < size && (pages[(int) (address >>> PAGE_SHIFT)] & MAPPED) != 0;
    }

    @Override
    public int load8(long address) {
        check(address, 1, PROT_READ, false);
        return host.get(ValueLayout.JAVA_BYTE, address) & 0xff;
    }

    @Override
    public int load16(long address, ByteOrder order) {
        check(address, 2, PROT_READ, false);
        return host.get(order == ByteOrder.BIG_ENDIAN ? SHORT_BE : SHORT_LE, address) & 0xffff;
    }

    @Override
    public int load32(long address, ByteOrder order) {
        check(address, 4, PROT_READ, false);
        return host.get(order == ByteOrder.BIG_ENDIAN ? INT_BE : INT_LE, address);
    }

    /** Instruction fetch: the page must be executable (PROT_EXEC), or the fetch faults (SIGSEGV). */
    @Override
    public int fetch32(long address, ByteOrder order) {
        check(address, 4, PROT_EXEC, false);
        return host.get(order == ByteOrder.BIG_ENDIAN ? INT_BE : INT_LE, address);
    }

    @Override
    public long load64(long address, ByteOrder order) {
        check(address, 8, PROT_READ, false);
        return host.get(order == ByteOrder.BIG_ENDIAN ? LONG_BE : LONG_LE, address);
    }

    @Override
    public void store8(long address, int value) {
        check(address, 1, PROT_WRITE, true);
        host.set(ValueLayout.JAVA_BYTE, address, (byte) value);
    }

    @Override
    public void store16(long address, int value, ByteOrder order) {
        check(address, 2, PROT_WRITE, true);
        host.set(order == ByteOrder.BIG_ENDIAN ? SHORT_BE : SHORT_LE, address, (short) value);
    }

    @Override
    public void store32(long address, int value, ByteOrder order) {
        check(address, 4, PROT_WRITE, true);
        host.set(order == ByteOrder.BIG_ENDIAN ? INT_BE : INT_LE, address, value);
    }

    @Override
    public void store64(long address, long value, ByteOrder order) {
        check(address, 8, PROT_WRITE, true);
        host.set(order == ByteOrder.BIG_ENDIAN ? LONG_BE : LONG_LE, address, value);
    }

    @Override
    public void read(long address, byte[] destination, int offset, int length) {
        if (!accessible(address, length, PROT_READ)) {
            throw new GuestMemoryAccessException(address, length, false);
        }
        MemorySegment.copy(host, ValueLayout.JAVA_BYTE, address, destination, offset, length);
    }

    @Override
    public void write(long address, byte[] source, int offset, int length) {
        write(address, MemorySegment.ofArray(source).asSlice(offset, length));
    }

    @Override
    public void write(long address, MemorySegment source) {
        if (!accessible(address, source.byteSize(), PROT_WRITE)) {
            throw new GuestMemoryAccessException(address, source.byteSize(), true);
        }
        MemorySegment.copy(source, 0, host, address, source.byteSize());
    }

    @Override
    public void fill(long address, long length, byte value) {
        if (!accessible(address, length, PROT_WRITE)) {
            throw new GuestMemoryAccessException(address, length, true);
        }
        host.asSlice(address, length).fill(value);
    }

    @Override
    public boolean isBacked(long address, long length) {
        return accessible(address, length, PROT_READ);
    }

    /**
     * The host bytes behind a guest range, for system calls that hand guest buffers to the host kernel
     * (read, write, getdents64...). The caller has checked {@link #accessible} for the access it makes.
     */
    MemorySegment hostSlice(long address, long length) {
        return host.asSlice(address, length);
    }

    /** Reads a NUL-terminated string (paths, at most {@code max} bytes), or null when it is not readable. */
    public String readCString(long address, int max) {
        byte[] bytes = new byte[Math.min(max, 256)];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long a = address;
        while (out.size() < max) {
            if (!mapped(a) || (pages[(int) (a >>> PAGE_SHIFT)] & PROT_READ) == 0) {
                return null;
            }
            int n = (int) Math.min(bytes.length, PAGE_SIZE - (a & (PAGE_SIZE - 1)));
            MemorySegment.copy(host, ValueLayout.JAVA_BYTE, a, bytes, 0, n);
            for (int i = 0; i < n; i++) {
                if (bytes[i] == 0) {
                    out.write(bytes, 0, i);
                    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            out.write(bytes, 0, n);
            a += n;
        }
        return null; // longer than max: ENAMETOOLONG territory, answered as EFAULT
    }

    // --- the kernel's view: mappings -------------------------------------------------------------------

    /**
     * Maps {@code [address, address+length)} (page-aligned) with {@code prot}, zero-filled: the host pages are
     * dropped first ({@code madvise(MADV_DONTNEED)} on a private anonymous mapping reads back as zeros).
     */
    public void map(long address, long length, int prot) {
        HostLibc.discard(host.asSlice(address, length));
        setPages(address, length, (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) | MAPPED);
    }

    /** Removes the mapping of a page-aligned range and releases its host memory. */
    public void unmap(long address, long length) {
        HostLibc.discard(host.asSlice(address, length));
        setPages(address, length, 0);
    }

    /** Changes the protection of a page-aligned range; false (ENOMEM) when part of it is not mapped. */
    public boolean protect(long address, long length, int prot) {
        for (long p = address >>> PAGE_SHIFT; p < (address + length) >>> PAGE_SHIFT; p++) {
            if ((pages[(int) p] & MAPPED) == 0) {
                return false;
            }
        }
        setPages(address, length, (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) | MAPPED);
        return true;
    }

    /** The protection bits of the page holding {@code address} (0 when unmapped). */
    public int protection(long address) {
        return pages[(int) (address >>> PAGE_SHIFT)] & (PROT_READ | PROT_WRITE | PROT_EXEC);
    }

    /** Whether every page of the range is unmapped. */
    public boolean free(long address, long length) {
        if (address < 0 || address + length > size || address + length < address) {
            return false;
        }
        for (long p = address >>> PAGE_SHIFT; p < (address + length + PAGE_SIZE - 1) >>> PAGE_SHIFT; p++) {
            if ((pages[(int) p] & MAPPED) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Copies guest bytes within the space (mremap's move), page-aligned, host to host. */
    void copyWithin(long from, long to, long length) {
        MemorySegment.copy(host, from, host, to, length);
    }

    private void setPages(long address, long length, int value) {
        long first = address >>> PAGE_SHIFT;
        long end = (address + length + PAGE_SIZE - 1) >>> PAGE_SHIFT;
        java.util.Arrays.fill(pages, (int) first, (int) end, (byte) value);
    }

    /** Unmaps the whole reservation. */
    @Override
    public void close() {
        arena.close();
    }
}
