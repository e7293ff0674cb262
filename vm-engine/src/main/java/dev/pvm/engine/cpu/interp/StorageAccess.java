package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.mmu.AccessKind;
import dev.pvm.engine.cpu.mmu.SoftTlb;
import dev.pvm.engine.memory.GuestMemory;
import dev.pvm.engine.memory.GuestMemoryAccessException;
import dev.pvm.engine.memory.HostAddressAccess;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The CPU's view of storage: effective address to real address and the byte order MSR[LE] selects (Book I
 * 1.10). Every load, store and fetch of the semantics goes through here.
 *
 * <p>In real mode (MSR[IR]/MSR[DR] = 0) effective address bits 0:3 are ignored, as on POWER9 and in QEMU's
 * real-mode path: Linux runs its early code at 0xc000... addresses before it turns relocation on. A PAPR guest's
 * real addresses are the partition's (QEMU's virtual hypervisor adds no RMA offset or bound). With relocation
 * on, the vCPU's MMU ({@link CpuState#mmu}) translates, or raises the segment or storage interrupt.
 *
 * <p>A relocated access that crosses a 4 KiB boundary is done a byte at a time, each byte translated, since the
 * two pages may map anywhere; every byte is translated before any is stored, so a fault stores nothing.
 *
 * <p>An access whose real address nothing backs (in real mode, or through a translation to such an address) is a
 * machine check carrying the effective address, as QEMU's POWER9 reports a failed memory transaction
 * ({@link GuestInterrupt.MachineCheck}; InterruptDelivery sets SRR1, DAR and DSISR).
 *
 * <p>With a RAM block attached ({@link #attachRam}), the common case skips the layers: an access inside one page
 * whose real address is known (real mode, or a hit in the vCPU's TLB) and lies in that block reads or writes it
 * directly, a store only where the block's store trap byte is 0 (no translated or decoded code on the page, no
 * lockstep journaling). Everything else, a TLB miss above all, takes the general path, which translates (filling
 * the TLB) or raises the same interrupt as before. The direct access is a raw one where
 * {@link HostAddressAccess#ENABLED} (ADR 0004).
 */
public final class StorageAccess {

    private static final ValueLayout.OfShort SHORT_BE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final boolean RAW = HostAddressAccess.ENABLED;
    /** The store trap's page size (the code pages' granule). */
    private static final int TRAP_PAGE_SHIFT = 12;

    private final GuestMemory memory;
    /** The directly accessed RAM block at real address 0, and the highest real address an 8-byte access may use. */
    private MemorySegment ram = MemorySegment.NULL;
    /** {@link #ram}'s host address, for raw accesses where {@link HostAddressAccess#ENABLED}. */
    private long base;
    private long directLimit = -1;
    private byte[] storeTrap;

    public StorageAccess(GuestMemory memory) {
        this.memory = memory;
    }

    /**
     * Lets accesses to {@code ram}, the host memory behind real addresses {@code [0, ram.byteSize())} of this
     * storage's memory, bypass its layers. {@code storeTrap} holds a byte per 4 KiB page that is nonzero where
     * a store must take the general path (the memory view tracks code on the page, or journals every store);
     * its owner keeps it current.
     */
    public void attachRam(MemorySegment ram, byte[] storeTrap) {
        if (storeTrap.length < (ram.byteSize() + (1L << TRAP_PAGE_SHIFT) - 1) >>> TRAP_PAGE_SHIFT) {
            throw new IllegalArgumentException("the store trap covers " + storeTrap.length + " pages, fewer than "
                    + ram.byteSize() + " bytes of RAM");
        }
        this.ram = ram;
        this.base = ram.address();
        this.storeTrap = storeTrap;
        this.directLimit = ram.byteSize() - 8;
    }

    public GuestMemory memory() {
        return memory;
    }

    private static ByteOrder order(CpuState s) {
        return s.littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    private static ByteOrder reversed(CpuState s) {
        return s.littleEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** The real address of a load at effective address {@code ea}. */
    public long loadAddress(CpuState s, long ea) {
        return (s.msr & Msr.DR) == 0 ? ea & CpuState.REAL_MODE_ADDRESS_MASK
                : s.mmu.translate(s.msr, ea, AccessKind.LOAD);
    }

    /** The real address of a store at effective address {@code ea}. */
    public long storeAddress(CpuState s, long ea) {
        return (s.msr & Msr.DR) == 0 ? ea & CpuState.REAL_MODE_ADDRESS_MASK
                : s.mmu.translate(s.msr, ea, AccessKind.STORE);
    }

    /** The real address of an instruction fetch at {@code ea}. */
    public long fetchAddress(CpuState s, long ea) {
        return (s.msr & Msr.IR) == 0 ? ea & CpuState.REAL_MODE_ADDRESS_MASK
                : s.mmu.translate(s.msr, ea, AccessKind.FETCH);
    }

    /**
     * The real address of a {@code size}-byte {@code kind} access at {@code ea} when it can reach {@link #ram}
     * directly, else -1: real mode, or a TLB hit for an access inside one page (Book III 5.7.3: the translation
     * of a hit is the one a table walk would give); a store also needs its page(s) untrapped.
     */
    private long directAddress(CpuState s, long ea, int size, AccessKind kind) {
        long msr = s.msr;
        long a;
        if ((msr & Msr.DR) == 0) {
            a = ea & CpuState.REAL_MODE_ADDRESS_MASK;
        } else if ((ea & SoftTlb.PAGE_OFFSET) <= SoftTlb.PAGE_OFFSET + 1 - size) {
            a = s.mmu.tlb.lookup(ea, msr, kind);
        } else {
            return -1;
        }
        if (a < 0 || a > directLimit) {
            return -1;
        }
        return kind != AccessKind.STORE || (storeTrap[(int) (a >>> TRAP_PAGE_SHIFT)] == 0
                && storeTrap[(int) ((a + size - 1) >>> TRAP_PAGE_SHIFT)] == 0) ? a : -1;
    }

    /** Fetches the instruction word at {@code ea} in the current byte order. */
    public int fetch(CpuState s, long ea) {
        long real = fetchAddress(s, ea);
        try {
            return memory.fetch32(real, order(s));
        } catch (GuestMemoryAccessException e) {
            throw new GuestInterruptSignal(new GuestInterrupt.MachineCheck(real, 4, "instruction fetch", ea));
        }
    }

    private static GuestInterruptSignal machineCheck(GuestMemoryAccessException e, long ea) {
        return new GuestInterruptSignal(new GuestInterrupt.MachineCheck(e.address(), (int) e.size(),
                e.write() ? "store" : "load", ea));
    }

    /** Whether a relocated data access of {@code size} bytes at {@code ea} spans two 4 KiB pages. */
    private static boolean splits(CpuState s, long ea, int size) {
        return (s.msr & Msr.DR) != 0 && (ea & SoftTlb.PAGE_OFFSET) > SoftTlb.PAGE_OFFSET + 1 - size;
    }

    /** A load that spans two pages, byte by byte, assembled in {@code order}. */
    private long splitLoad(CpuState s, long ea, int size, ByteOrder order) {
        long value = 0;
        for (int i = 0; i < size; i++) {
            long b = memory.load8(loadAddress(s, s.ea(ea + i)));
            value |= order == ByteOrder.BIG_ENDIAN ? b << (8 * (size - 1 - i)) : b << (8 * i);
        }
        return value;
    }

    /** A store that spans two pages: every byte translated first, then written. */
    private void splitStore(CpuState s, long ea, int size, long value, ByteOrder order) {
        long[] real = new long[size];
        for (int i = 0; i < size; i++) {
            real[i] = storeAddress(s, s.ea(ea + i));
        }
        for (int i = 0; i < size; i++) {
            int shift = order == ByteOrder.BIG_ENDIAN ? 8 * (size - 1 - i) : 8 * i;
            memory.store8(real[i], (int) (value >>> shift));
        }
    }

    private int load16(CpuState s, long ea, ByteOrder order) {
        try {
            return splits(s, ea, 2) ? (int) splitLoad(s, ea, 2, order) : memory.load16(loadAddress(s, ea), order);
        } catch (GuestMemoryAccessException e) {
            throw machineCheck(e, ea);
        }
    }

    private int load32(CpuState s, long ea, ByteOrder order) {
        try {
            return splits(s, ea, 4) ? (int) splitLoad(s, ea, 4, order) : memory.load32(loadAddress(s, ea), order);
        } catch (GuestMemoryAccessException e) {
            throw machineCheck(e, ea);
        }
    }

    private long load64(CpuState s, long ea, ByteOrder order) {
        try {
            return splits(s, ea, 8) ? splitLoad(s, ea, 8, order) : memory.load64(loadAddress(s, ea), order);
        } catch (GuestMemoryAccessException e) {
            throw machineCheck(e, ea);
        }
    }

    private void store16(CpuState s, long ea, long value, ByteOrder order) {
        try {
            if (splits(s, ea, 2)) {
                splitStore(s, ea, 2, value, order);
            } else {
                memory.store16(storeAddress(s, ea), (int) value, order);
            }
        } catch (GuestMemoryAccessException e) {
            throw machineCheck(e, ea);
        }
    }

    private void store32(CpuState s, long ea, long value, ByteOrder order) {
        try {
            if (splits(s, ea, 4)) {
                splitStore(s, ea, 4, value, order);
            } else {
                memory.store32(storeAddress(s, ea), (int) value, order);
            }
        } catch (GuestMemoryAccessException e) {
            throw machineCheck(e, ea);
        }
    }

    private void store64(CpuState s, long ea, long value, ByteOrder order) {
        try {
            if (splits(s, ea, 8)) {
                splitStore(s, ea, 8, value, order);
            } else {
                memory.store64(storeAddress(s, ea), value, order);
            }
        } catch (GuestMemoryAccessException e) {
            throw machineCheck(e, ea);
        }
    }

    public int load8(CpuState s, long ea) {
        long a = directAddress(s, ea, 1, AccessKind.LOAD);
        if (a >= 0) {
            return (RAW ? HostAddressAccess.getByte(base + a) : ram.get(ValueLayout.JAVA_BYTE, a)) & 0xff;
        }
        try {
            return memory.load8(loadAddress(s, ea));
        } catch (GuestMemoryAccessException e) {
            throw machineCheck(e, ea);
        }
    }

    public int load16(CpuState s, long ea) {
        long a = directAddress(s, ea, 2, AccessKind.LOAD);
        if (a >= 0) {
            if (RAW) {
                short v = HostAddressAccess.getShort(base + a);
                return (s.littleEndian ? v : Short.reverseBytes(v)) & 0xffff;
            }
            return (s.littleEndian ? ram.get(SHORT_LE, a) : ram.get(SHORT_BE, a)) & 0xffff;
        }
        return load16(s, ea, order(s));
    }

    public int load32(CpuState s, long ea) {
        long a = directAddress(s, ea, 4, AccessKind.LOAD);
        if (a >= 0) {
            if (RAW) {
                int v = HostAddressAccess.getInt(base + a);
                return s.littleEndian ? v : Integer.reverseBytes(v);
            }
            return s.littleEndian ? ram.get(INT_LE, a) : ram.get(INT_BE, a);
        }
        return load32(s, ea, order(s));
    }

    public long load64(CpuState s, long ea) {
        long a = directAddress(s, ea, 8, AccessKind.LOAD);
        if (a >= 0) {
            if (RAW) {
                long v = HostAddressAccess.getLong(base + a);
                return s.littleEndian ? v : Long.reverseBytes(v);
            }
            return s.littleEndian ? ram.get(LONG_LE, a) : ram.get(LONG_BE, a);
        }
        return load64(s, ea, order(s));
    }

    public void store8(CpuState s, long ea, long value) {
        long a = directAddress(s, ea, 1, AccessKind.STORE);
        if (a >= 0) {
            if (RAW) {
                HostAddressAccess.putByte(base + a, (byte) value);
            } else {
                ram.set(ValueLayout.JAVA_BYTE, a, (byte) value);
            }
            return;
        }
        try {
            memory.store8(storeAddress(s, ea), (int) value);
        } catch (GuestMemoryAccessException e) {
            throw machineCheck(e, ea);
        }
    }

    public void store16(CpuState s, long ea, long value) {
        long a = directAddress(s, ea, 2, AccessKind.STORE);
        if (a < 0) {
            store16(s, ea, value, order(s));
        } else if (RAW) {
            short v = (short) value;
            HostAddressAccess.putShort(base + a, s.littleEndian ? v : Short.reverseBytes(v));
        } else if (s.littleEndian) {
            ram.set(SHORT_LE, a, (short) value);
        } else {
            ram.set(SHORT_BE, a, (short) value);
        }
    }

    public void store32(CpuState s, long ea, long value) {
        long a = directAddress(s, ea, 4, AccessKind.STORE);
        if (a < 0) {
            store32(s, ea, value, order(s));
        } else if (RAW) {
            int v = (int) value;
            HostAddressAccess.putInt(base + a, s.littleEndian ? v : Integer.reverseBytes(v));
        } else if (s.littleEndian) {
            ram.set(INT_LE, a, (int) value);
        } else {
            ram.set(INT_BE, a, (int) value);
        }
    }

    public void store64(CpuState s, long ea, long value) {
        long a = directAddress(s, ea, 8, AccessKind.STORE);
        if (a < 0) {
            store64(s, ea, value, order(s));
        } else if (RAW) {
            HostAddressAccess.putLong(base + a, s.littleEndian ? value : Long.reverseBytes(value));
        } else if (s.littleEndian) {
            ram.set(LONG_LE, a, value);
        } else {
            ram.set(LONG_BE, a, value);
        }
    }

    /** Byte-reversed loads and stores (lhbrx, lwbrx, ldbrx, st*brx): the opposite of the current order. */
    public int load16Reversed(CpuState s, long ea) {
        return load16(s, ea, reversed(s));
    }

    public int load32Reversed(CpuState s, long ea) {
        return load32(s, ea, reversed(s));
    }

    public long load64Reversed(CpuState s, long ea) {
        return load64(s, ea, reversed(s));
    }

    public void store16Reversed(CpuState s, long ea, long value) {
        store16(s, ea, value, reversed(s));
    }

    public void store32Reversed(CpuState s, long ea, long value) {
        store32(s, ea, value, reversed(s));
    }

    public void store64Reversed(CpuState s, long ea, long value) {
        store64(s, ea, value, reversed(s));
    }

    /**
     * Store conditional's atomic store (Book II 4.6.2): the naturally aligned {@code size}-byte value at {@code ea}
     * becomes {@code value} if it still equals {@code expected}, in the current byte order.
     */
    public boolean compareAndSet(CpuState s, long ea, int size, long expected, long value) {
        try {
            return memory.compareAndSet(storeAddress(s, ea), size, expected, value, order(s));
        } catch (GuestMemoryAccessException e) {
            throw machineCheck(e, ea);
        }
    }

    /** Sets {@code length} bytes at {@code ea} to zero (dcbz: an aligned block, inside one page). */
    public void zero(CpuState s, long ea, int length) {
        try {
            memory.fill(storeAddress(s, ea), length, (byte) 0);
        } catch (GuestMemoryAccessException e) {
            throw machineCheck(e, ea);
        }
    }
}
