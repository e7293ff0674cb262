package dev.pvm.engine.linuxuser;

import static dev.pvm.engine.linuxuser.UserAddressSpace.PAGE_SHIFT;
import static dev.pvm.engine.linuxuser.UserAddressSpace.PAGE_SIZE;

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
 * same check"): one compare of the access's last page against the {@link PageTable} tag of its first (inside
 * the space, not crossing a page, allowed), then one host access at guest address = host offset. A page's store
 * tag follows {@link UserAddressSpace#STORE_INLINE}, which folds write permission, "no translated code here" and
 * "not journaling" into one bit.
 *
 * <p>Anything else (no permission, outside the space, a code page, lockstep's journal) takes the
 * interpreter's {@link StorageAccess} over the tracking view, which raises the same fault the interpreter
 * would (the runner's SIGSEGV) and invalidates translations a store overwrites; a store that would overwrite
 * translated code leaves the unit first ({@link CodeModifiedSignal}).
 *
 * <p>JUSTIFICATION (a record): HotSpot trusts a record's final fields as constants, and each unit loads its
 * runtime as a constant (its class data), so the host addresses and the mask below are folded into the unit's
 * machine code as immediates instead of values that occupy registers (or stack slots) across a loop.
 *
 * @param host         the space's host reservation (accesses without {@link HostAddressAccess})
 * @param base         the host address of guest address 0
 * @param loadTags     the {@link PageTable}'s load tags
 * @param loadTagBase  their host address
 * @param storeTags    its store tags
 * @param storeTagBase their host address
 * @param pageMask     page numbers to tag indexes: the table's size minus one
 * @param code         the code pages a slow-path store checks
 * @param storage      the slow path
 */
public record UserTranslatorRuntime(MemorySegment host, long base, MemorySegment loadTags, long loadTagBase,
        MemorySegment storeTags, long storeTagBase, long pageMask, CodePages code, StorageAccess storage)
        implements UnitMemory {

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

    /** The entry points of code translated for {@code space}. */
    static UserTranslatorRuntime of(UserAddressSpace space, CodePages code, StorageAccess storage) {
        PageTable table = space.pageTable();
        return new UserTranslatorRuntime(space.host(), space.host().address(), table.loadTags(),
                table.loadTags().address(), table.storeTags(), table.storeTags().address(), table.pages() - 1, code,
                storage);
    }

    /**
     * Whether {@code size} bytes at {@code ea} lie inside the space, within one page whose tag in {@code tags}
     * (at host address {@code tagBase}) lets translated code access it directly: one load and one compare
     * ({@link PageTable} says why that suffices).
     */
    private boolean inline(long ea, int size, long tagBase, MemorySegment tags) {
        long index = (ea >>> PAGE_SHIFT) & pageMask;
        long tag = RAW ? HostAddressAccess.getLong(tagBase + (index << 3))
                : tags.getAtIndex(ValueLayout.JAVA_LONG, index);
        return ((ea + size - 1) & -PAGE_SIZE) == tag;
    }

    private boolean loadInline(long ea, int size) {
        return inline(ea, size, loadTagBase, loadTags);
    }

    private boolean storeInline(long ea, int size) {
        return inline(ea, size, storeTagBase, storeTags);
    }

    @HelperEffect(Effect.MEMORY)
    public int load8(CpuState cpu, long ea) {
        return loadInline(ea, 1)
                ? (RAW ? HostAddressAccess.getByte(base + ea) : host.get(ValueLayout.JAVA_BYTE, ea)) & 0xff
                : storage.load8(cpu, ea);
    }

    @HelperEffect(Effect.MEMORY)
    public int load16be(CpuState cpu, long ea) {
        return loadInline(ea, 2)
                ? (RAW ? Short.reverseBytes(HostAddressAccess.getShort(base + ea)) : host.get(SHORT_BE, ea)) & 0xffff
                : OrderedStorage.load16(storage, cpu, ea, true);
    }

    @HelperEffect(Effect.MEMORY)
    public int load16le(CpuState cpu, long ea) {
        return loadInline(ea, 2)
                ? (RAW ? HostAddressAccess.getShort(base + ea) : host.get(SHORT_LE, ea)) & 0xffff
                : OrderedStorage.load16(storage, cpu, ea, false);
    }

    @HelperEffect(Effect.MEMORY)
    public int load32be(CpuState cpu, long ea) {
        return loadInline(ea, 4)
                ? (RAW ? Integer.reverseBytes(HostAddressAccess.getInt(base + ea)) : host.get(INT_BE, ea))
                : OrderedStorage.load32(storage, cpu, ea, true);
    }

    @HelperEffect(Effect.MEMORY)
    public int load32le(CpuState cpu, long ea) {
        return loadInline(ea, 4) ? (RAW ? HostAddressAccess.getInt(base + ea) : host.get(INT_LE, ea))
                : OrderedStorage.load32(storage, cpu, ea, false);
    }

    @HelperEffect(Effect.MEMORY)
    public long load64be(CpuState cpu, long ea) {
        return loadInline(ea, 8)
                ? (RAW ? Long.reverseBytes(HostAddressAccess.getLong(base + ea)) : host.get(LONG_BE, ea))
                : OrderedStorage.load64(storage, cpu, ea, true);
    }

    @HelperEffect(Effect.MEMORY)
    public long load64le(CpuState cpu, long ea) {
        return loadInline(ea, 8) ? (RAW ? HostAddressAccess.getLong(base + ea) : host.get(LONG_LE, ea))
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
        if (storeInline(ea, 1)) {
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
        if (storeInline(ea, 2)) {
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
        if (storeInline(ea, 2)) {
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
        if (storeInline(ea, 4)) {
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
        if (storeInline(ea, 4)) {
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
        if (storeInline(ea, 8)) {
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
        if (storeInline(ea, 8)) {
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
