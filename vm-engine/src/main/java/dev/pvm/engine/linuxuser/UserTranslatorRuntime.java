package dev.pvm.engine.linuxuser;

import static dev.pvm.engine.linuxuser.UserAddressSpace.PAGE_SHIFT;
import static dev.pvm.engine.linuxuser.UserAddressSpace.PAGE_SIZE;
import static dev.pvm.engine.linuxuser.UserAddressSpace.PROT_READ;
import static dev.pvm.engine.linuxuser.UserAddressSpace.STORE_INLINE;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.interp.StorageAccess;
import dev.pvm.engine.cpu.runtime.CodeModifiedSignal;
import dev.pvm.engine.cpu.runtime.CodePages;
import dev.pvm.engine.cpu.runtime.HelperEffect;
import dev.pvm.engine.cpu.runtime.HelperEffect.Effect;
import dev.pvm.engine.cpu.runtime.OrderedStorage;
import dev.pvm.engine.cpu.runtime.UnitMemory;
import dev.pvm.engine.memory.HostAddressAccess;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The memory entry points of code translated for a Linux process (ADR 0003: "the translator can inline the
 * same check"): the guest address inside the space, the page byte of the first and last byte allowing the
 * access, then one host access at guest address = host offset. For stores the page byte's
 * {@link UserAddressSpace#STORE_INLINE} bit folds write permission, "no translated code here" and "not
 * journaling" into one test.
 *
 * <p>Anything else (no permission, outside the space, a code page, lockstep's journal) takes the
 * interpreter's {@link StorageAccess} over the tracking view, which raises the same fault the interpreter
 * would (the runner's SIGSEGV) and invalidates translations a store overwrites; a store that would overwrite
 * translated code leaves the unit first ({@link CodeModifiedSignal}).
 */
public final class UserTranslatorRuntime implements UnitMemory {

    private static final ValueLayout.OfShort SHORT_BE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_LE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final boolean RAW = HostAddressAccess.ENABLED;

    private final MemorySegment host;
    /** The host address of guest address 0. */
    private final long base;
    /** The host address of the page table's byte for guest page 0 (see {@link PageTable}). */
    private final long pageBytes;
    private final MemorySegment pages;
    /** Address bits no guest address has (at and above the space's size). */
    private final long outside;
    private final CodePages code;
    private final StorageAccess storage;

    UserTranslatorRuntime(UserAddressSpace space, CodePages code, StorageAccess storage) {
        this.host = space.host();
        this.base = host.address();
        this.pageBytes = space.pageTable().hostAddress();
        this.pages = space.pageTable().segment();
        this.outside = -1L << space.addressBits();
        this.code = code;
        this.storage = storage;
    }

    /** The page byte of {@code ea}, which the caller has checked lies inside the space. */
    private int page(long ea) {
        return RAW ? HostAddressAccess.getByte(pageBytes + (ea >>> PAGE_SHIFT))
                : pages.get(ValueLayout.JAVA_BYTE, ea >>> PAGE_SHIFT);
    }

    /**
     * Whether {@code size} bytes at {@code ea} lie in the space, within one page whose byte has {@code need}. An
     * access that crosses a page (rare: only unaligned ones can) takes the slow path, so the fast path looks one
     * page byte up, not two.
     */
    private boolean inline(long ea, int size, int need) {
        return (ea & outside) == 0 && (ea & (PAGE_SIZE - 1)) <= PAGE_SIZE - size
                && (page(ea) & need) != 0;
    }

    @HelperEffect(Effect.MEMORY)
    public int load8(CpuState cpu, long ea) {
        return (ea & outside) == 0 && (page(ea) & PROT_READ) != 0
                ? (RAW ? HostAddressAccess.getByte(base + ea) : host.get(ValueLayout.JAVA_BYTE, ea)) & 0xff
                : storage.load8(cpu, ea);
    }

    @HelperEffect(Effect.MEMORY)
    public int load16be(CpuState cpu, long ea) {
        return inline(ea, 2, PROT_READ)
                ? (RAW ? Short.reverseBytes(HostAddressAccess.getShort(base + ea)) : host.get(SHORT_BE, ea)) & 0xffff
                : OrderedStorage.load16(storage, cpu, ea, true);
    }

    @HelperEffect(Effect.MEMORY)
    public int load16le(CpuState cpu, long ea) {
        return inline(ea, 2, PROT_READ)
                ? (RAW ? HostAddressAccess.getShort(base + ea) : host.get(SHORT_LE, ea)) & 0xffff
                : OrderedStorage.load16(storage, cpu, ea, false);
    }

    @HelperEffect(Effect.MEMORY)
    public int load32be(CpuState cpu, long ea) {
        return inline(ea, 4, PROT_READ)
                ? (RAW ? Integer.reverseBytes(HostAddressAccess.getInt(base + ea)) : host.get(INT_BE, ea))
                : OrderedStorage.load32(storage, cpu, ea, true);
    }

    @HelperEffect(Effect.MEMORY)
    public int load32le(CpuState cpu, long ea) {
        return inline(ea, 4, PROT_READ) ? (RAW ? HostAddressAccess.getInt(base + ea) : host.get(INT_LE, ea))
                : OrderedStorage.load32(storage, cpu, ea, false);
    }

    @HelperEffect(Effect.MEMORY)
    public long load64be(CpuState cpu, long ea) {
        return inline(ea, 8, PROT_READ)
                ? (RAW ? Long.reverseBytes(HostAddressAccess.getLong(base + ea)) : host.get(LONG_BE, ea))
                : OrderedStorage.load64(storage, cpu, ea, true);
    }

    @HelperEffect(Effect.MEMORY)
    public long load64le(CpuState cpu, long ea) {
        return inline(ea, 8, PROT_READ) ? (RAW ? HostAddressAccess.getLong(base + ea) : host.get(LONG_LE, ea))
                : OrderedStorage.load64(storage, cpu, ea, false);
    }

    /**
     * A store the page bytes sent here: refused before anything is written when it overwrites translated code
     * (the executor has the interpreter perform it), else the interpreter's storage path does it.
     */
    private void slowStore(CpuState cpu, long ea, int size, boolean bigEndian, long value) {
        if (code.overlapsCode(ea & CpuState.REAL_MODE_ADDRESS_MASK, size)) {
            throw CodeModifiedSignal.INSTANCE;
        }
        OrderedStorage.store(storage, cpu, ea, size, bigEndian, value);
    }

    @HelperEffect(Effect.MEMORY)
    public void store8(CpuState cpu, long ea, long value) {
        if ((ea & outside) == 0 && (page(ea) & STORE_INLINE) != 0) {
            if (RAW) {
                HostAddressAccess.putByte(base + ea, (byte) value);
            } else {
                host.set(ValueLayout.JAVA_BYTE, ea, (byte) value);
            }
        } else {
            slowStore(cpu, ea, 1, true, value);
        }
    }

    @HelperEffect(Effect.MEMORY)
    public void store16be(CpuState cpu, long ea, long value) {
        if (inline(ea, 2, STORE_INLINE)) {
            if (RAW) {
                HostAddressAccess.putShort(base + ea, Short.reverseBytes((short) value));
            } else {
                host.set(SHORT_BE, ea, (short) value);
            }
        } else {
            slowStore(cpu, ea, 2, true, value);
        }
    }

    @HelperEffect(Effect.MEMORY)
    public void store16le(CpuState cpu, long ea, long value) {
        if (inline(ea, 2, STORE_INLINE)) {
            if (RAW) {
                HostAddressAccess.putShort(base + ea, (short) value);
            } else {
                host.set(SHORT_LE, ea, (short) value);
            }
        } else {
            slowStore(cpu, ea, 2, false, value);
        }
    }

    @HelperEffect(Effect.MEMORY)
    public void store32be(CpuState cpu, long ea, long value) {
        if (inline(ea, 4, STORE_INLINE)) {
            if (RAW) {
                HostAddressAccess.putInt(base + ea, Integer.reverseBytes((int) value));
            } else {
                host.set(INT_BE, ea, (int) value);
            }
        } else {
            slowStore(cpu, ea, 4, true, value);
        }
    }

    @HelperEffect(Effect.MEMORY)
    public void store32le(CpuState cpu, long ea, long value) {
        if (inline(ea, 4, STORE_INLINE)) {
            if (RAW) {
                HostAddressAccess.putInt(base + ea, (int) value);
            } else {
                host.set(INT_LE, ea, (int) value);
            }
        } else {
            slowStore(cpu, ea, 4, false, value);
        }
    }

    @HelperEffect(Effect.MEMORY)
    public void store64be(CpuState cpu, long ea, long value) {
        if (inline(ea, 8, STORE_INLINE)) {
            if (RAW) {
                HostAddressAccess.putLong(base + ea, Long.reverseBytes(value));
            } else {
                host.set(LONG_BE, ea, value);
            }
        } else {
            slowStore(cpu, ea, 8, true, value);
        }
    }

    @HelperEffect(Effect.MEMORY)
    public void store64le(CpuState cpu, long ea, long value) {
        if (inline(ea, 8, STORE_INLINE)) {
            if (RAW) {
                HostAddressAccess.putLong(base + ea, value);
            } else {
                host.set(LONG_LE, ea, value);
            }
        } else {
            slowStore(cpu, ea, 8, false, value);
        }
    }
}
