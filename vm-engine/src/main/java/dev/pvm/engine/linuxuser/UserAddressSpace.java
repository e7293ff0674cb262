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
 * <p>Translated code ({@link UserTranslatorRuntime}) inlines the same check. For its stores the page byte
 * also says whether the page holds translated code ({@link #CODE}) and, precomputed, whether a store may
 * go straight to the host ({@link #STORE_INLINE}: writable, no code, not journaling). Every way this class
 * changes guest bytes or takes execute permission away (a store, write/fill, a host call writing through
 * {@link #hostSliceForWrite}, map, unmap, mprotect without PROT_EXEC, mremap's copy) first tells the
 * {@link CodeWatcher} when it touches a page marked {@link #CODE}, so translations never outlive their code.
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
    /** The page holds translated code: stores to it take the translator's slow path. */
    static final int CODE = 0x10;
    /** PROT_WRITE, no {@link #CODE} and not journaling: a translated store may write the host directly. */
    static final int STORE_INLINE = 0x20;

    /** Told before guest bytes on a page marked {@link #CODE} change or stop being executable. */
    @FunctionalInterface
    public interface CodeWatcher {
        /** {@code [address, address + length)} is about to be written, replaced, or made non-executable. */
        void changing(long address, long length);
    }

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
    /** One byte per guest page: PROT_* bits plus {@link #MAPPED}, {@link #CODE}, {@link #STORE_INLINE}. */
    private final PageTable pages;
    private CodeWatcher codeWatcher;
    /** Lockstep journals every store: no page is {@link #STORE_INLINE} meanwhile. */
    private boolean trapAllStores;

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
        this.pages = new PageTable(size >>> PAGE_SHIFT, arena);
    }

    /** One past the highest guest address. */
    public long size() {
        return size;
    }

    // --- the guest's view: checked accesses -------------------------------------------------------------

    private void check(long address, long length, int need, boolean write) {
        long last = address + length - 1;
        if (((address | last) >>> addressBits) != 0
                || (pages.get(address >>> PAGE_SHIFT) & pages.get(last >>> PAGE_SHIFT) & need) == 0) {
            throw new GuestMemoryAccessException(address, length, write);
        }
    }

    /** A store's check: write permission, and the code watcher told when the page holds translated code. */
    private void checkStore(long address, int length) {
        long last = address + length - 1;
        if (((address | last) >>> addressBits) == 0) {
            int first = pages.get(address >>> PAGE_SHIFT);
            int second = pages.get(last >>> PAGE_SHIFT);
            if ((first & second & STORE_INLINE) != 0) {
                return;
            }
            if ((first & second & PROT_WRITE) != 0) {
                if (((first | second) & CODE) != 0) {
                    codeWatcher.changing(address, length);
                }
                return;
            }
        }
        throw new GuestMemoryAccessException(address, length, true);
    }

    /** Tells the code watcher about a change to {@code [address, address+length)} if it touches code pages. */
    private void changing(long address, long length) {
        if (codeWatcher == null || length <= 0) {
            return;
        }
        long end = Math.min(address + length, size);
        for (long p = Math.max(address, 0) >>> PAGE_SHIFT; p < (end + PAGE_SIZE - 1) >>> PAGE_SHIFT; p++) {
            if ((pages.get(p) & CODE) != 0) {
                codeWatcher.changing(address, length);
                return;
            }
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
            if ((pages.get(p) & prot) != prot) {
                return false;
            }
        }
        return true;
    }

    /** Whether any mapping covers the page holding {@code address} (SEGV_ACCERR versus SEGV_MAPERR). */
    public boolean mapped(long address) {
        return address >= 0 && address < size && (pages.get(address >>> PAGE_SHIFT) & MAPPED) != 0;
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
        checkStore(address, 1);
        host.set(ValueLayout.JAVA_BYTE, address, (byte) value);
    }

    @Override
    public void store16(long address, int value, ByteOrder order) {
        checkStore(address, 2);
        host.set(order == ByteOrder.BIG_ENDIAN ? SHORT_BE : SHORT_LE, address, (short) value);
    }

    @Override
    public void store32(long address, int value, ByteOrder order) {
        checkStore(address, 4);
        host.set(order == ByteOrder.BIG_ENDIAN ? INT_BE : INT_LE, address, value);
    }

    @Override
    public void store64(long address, long value, ByteOrder order) {
        checkStore(address, 8);
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
        changing(address, source.byteSize());
        MemorySegment.copy(source, 0, host, address, source.byteSize());
    }

    @Override
    public void fill(long address, long length, byte value) {
        if (!accessible(address, length, PROT_WRITE)) {
            throw new GuestMemoryAccessException(address, length, true);
        }
        changing(address, length);
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

    /** {@link #hostSlice} for a host call that writes the guest range (read, pread, getdents64...). */
    MemorySegment hostSliceForWrite(long address, long length) {
        changing(address, length);
        return host.asSlice(address, length);
    }

    // --- the translator's view ----------------------------------------------------------------------------

    /** The host reservation: guest address {@code a} is its byte {@code a}. */
    MemorySegment host() {
        return host;
    }

    /** The page table, whose tags translated code reads. */
    PageTable pageTable() {
        return pages;
    }

    /** Who is told about changes to translated code (the translator's code pages), or null. */
    void watchCode(CodeWatcher watcher) {
        this.codeWatcher = watcher;
    }

    /** Whether the page holding {@code address} holds translated code. */
    boolean holdsCode(long address) {
        return address >= 0 && address < size && (pages.get(address >>> PAGE_SHIFT) & CODE) != 0;
    }

    /** Marks or clears "holds translated code" on the page holding {@code address}. */
    void markCode(long address, boolean code) {
        long p = address >>> PAGE_SHIFT;
        pages.set(p, pageByte((pages.get(p) & ~CODE) | (code ? CODE : 0)));
    }

    /** Sends every store down the slow path (lockstep's journal) or only stores to code pages. */
    void trapAllStores(boolean on) {
        trapAllStores = on;
        for (long p = 0; p < pages.pages(); p++) {
            int b = pages.get(p);
            if (b != 0) {
                pages.set(p, pageByte(b));
            }
        }
    }

    /** A page byte with {@link #STORE_INLINE} recomputed from the other bits. */
    private byte pageByte(int bits) {
        int b = bits & ~STORE_INLINE;
        if ((b & PROT_WRITE) != 0 && (b & CODE) == 0 && !trapAllStores) {
            b |= STORE_INLINE;
        }
        return (byte) b;
    }

    /** Reads a NUL-terminated string (paths, at most {@code max} bytes), or null when it is not readable. */
    public String readCString(long address, int max) {
        byte[] bytes = new byte[Math.min(max, 256)];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long a = address;
        while (out.size() < max) {
            if (!mapped(a) || (pages.get(a >>> PAGE_SHIFT) & PROT_READ) == 0) {
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
        changing(address, length);
        HostLibc.discard(host.asSlice(address, length));
        setPages(address, length, (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) | MAPPED);
    }

    /** Removes the mapping of a page-aligned range and releases its host memory. */
    public void unmap(long address, long length) {
        changing(address, length);
        HostLibc.discard(host.asSlice(address, length));
        setPages(address, length, 0);
    }

    /** Changes the protection of a page-aligned range; false (ENOMEM) when part of it is not mapped. */
    public boolean protect(long address, long length, int prot) {
        for (long p = address >>> PAGE_SHIFT; p < (address + length) >>> PAGE_SHIFT; p++) {
            if ((pages.get(p) & MAPPED) == 0) {
                return false;
            }
        }
        if ((prot & PROT_EXEC) == 0) {
            changing(address, length); // translations of code that can no longer execute must go
        }
        setPages(address, length, (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) | MAPPED);
        return true;
    }

    /** The protection bits of the page holding {@code address} (0 when unmapped). */
    public int protection(long address) {
        return pages.get(address >>> PAGE_SHIFT) & (PROT_READ | PROT_WRITE | PROT_EXEC);
    }

    /** Whether every page of the range is unmapped. */
    public boolean free(long address, long length) {
        if (address < 0 || address + length > size || address + length < address) {
            return false;
        }
        for (long p = address >>> PAGE_SHIFT; p < (address + length + PAGE_SIZE - 1) >>> PAGE_SHIFT; p++) {
            if ((pages.get(p) & MAPPED) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Copies guest bytes within the space (mremap's move), page-aligned, host to host. */
    void copyWithin(long from, long to, long length) {
        changing(to, length);
        MemorySegment.copy(host, from, host, to, length);
    }

    /** Sets the protection bits of whole pages; {@link #CODE} stays until the code watcher clears it. */
    private void setPages(long address, long length, int value) {
        long first = address >>> PAGE_SHIFT;
        long end = (address + length + PAGE_SIZE - 1) >>> PAGE_SHIFT;
        for (long p = first; p < end; p++) {
            pages.set(p, pageByte(value | (pages.get(p) & CODE)));
        }
    }

    /** Unmaps the whole reservation. */
    @Override
    public void close() {
        arena.close();
    }
}
