package dev.pvm.engine.cpu.runtime;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interp.StorageAccess;
import dev.pvm.engine.cpu.mmu.SoftTlb;
import dev.pvm.engine.cpu.runtime.HelperEffect.Effect;
import dev.pvm.engine.memory.HostAddressAccess;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The entry points translated code calls for guest memory. Each access has an inline fast path: a real address
 * (MSR[DR]=0, or a hit in the vCPU's softmmu TLB with relocation on) inside the RAM block at address 0, and for
 * stores a page without translated code; anything else goes through {@link StorageAccess} exactly as the
 * interpreter does (same translation, faults and MMIO behaviour).
 *
 * <p>The {@code le}/{@code be} entry points name the byte order of the access; a unit translated for one byte
 * order uses the other for the byte-reversed instructions, so the slow path picks the reversed accessor when
 * the order differs from the CPU's.
 *
 * <p>The RAM access itself is a raw one at the block's host address where {@link HostAddressAccess#ENABLED}
 * (the checks keep it inside the block, which outlives the vCPUs), else the segment's.
 *
 * <p>One instance per VM. Each translated unit loads it as a constant (its class data) and calls its final class,
 * so HotSpot sees one receiver type at every call site and inlines these small methods into the unit. (As a
 * record, whose fields HotSpot would fold as the user-mode runtime's are, a boot was no faster: C1, a boot's only
 * compiler, gained nothing measurable.)
 */
public final class TranslatorRuntime implements UnitMemory {

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

    private final MemorySegment ram;
    /** The host address of real address 0. */
    private final long base;
    /** RAM size minus 8: an address at or below it can take any access of up to 8 bytes inline. */
    private final long inlineLimit;
    private final byte[] trap;
    private final CodePageMap pages;
    private final WriteJournal journal;
    private final StorageAccess storage;

    /**
     * @param ram     the RAM block at real address 0 (may be {@link MemorySegment#NULL} for none)
     * @param pages   code pages of that block
     * @param journal lockstep's store journal
     * @param storage the slow path: the same storage access the interpreter fallbacks use (tracking memory)
     */
    public TranslatorRuntime(MemorySegment ram, CodePageMap pages, WriteJournal journal, StorageAccess storage) {
        this.ram = ram;
        this.base = ram.address();
        this.inlineLimit = ram.byteSize() - 8;
        this.trap = pages.trapBytes();
        this.pages = pages;
        this.journal = journal;
        this.storage = storage;
        // The interpreter's semantics (decoded units, fallbacks) take the same direct path under the same trap.
        storage.attachRam(ram, trap);
    }

    /**
     * The real address for an inline load, or -1 when the access must take the slow path. With data relocation
     * on, the vCPU's TLB answers (an index and a compare); a miss, or an access crossing into the next page,
     * goes to the slow path, which translates and fills the TLB.
     */
    private long inlineLoadAddress(CpuState cpu, long ea, int size) {
        long msr = cpu.msr;
        long a;
        if ((msr & Msr.DR) == 0) {
            a = ea & CpuState.REAL_MODE_ADDRESS_MASK;
        } else {
            SoftTlb tlb = cpu.mmu.tlb;
            int i = SoftTlb.index(ea, msr);
            long offset = ea & SoftTlb.PAGE_OFFSET;
            if (tlb.readTag[i] != ea - offset || offset > SoftTlb.PAGE_OFFSET + 1 - size) {
                return -1;
            }
            a = tlb.realPage[i] | offset;
        }
        return a <= inlineLimit ? a : -1;
    }

    /** As {@link #inlineLoadAddress} for a store, which also needs a page without translated code. */
    private long inlineStoreAddress(CpuState cpu, long ea, int size) {
        long msr = cpu.msr;
        long a;
        if ((msr & Msr.DR) == 0) {
            a = ea & CpuState.REAL_MODE_ADDRESS_MASK;
        } else {
            SoftTlb tlb = cpu.mmu.tlb;
            int i = SoftTlb.index(ea, msr);
            long offset = ea & SoftTlb.PAGE_OFFSET;
            if (tlb.writeTag[i] != ea - offset || offset > SoftTlb.PAGE_OFFSET + 1 - size) {
                return -1;
            }
            a = tlb.realPage[i] | offset;
        }
        if (a > inlineLimit || trap[(int) (a >>> CodePageMap.PAGE_SHIFT)] != 0
                || trap[(int) ((a + size - 1) >>> CodePageMap.PAGE_SHIFT)] != 0) {
            return -1;
        }
        return a;
    }

    /**
     * A store that the trap bytes (or a TLB miss) stopped: refused (before anything is written) when it
     * overwrites translated code, else let through to the slow path, which journals it in lockstep mode. With
     * relocation on, the store is translated here (faulting as the store would); each byte when it crosses pages.
     */
    private void trappedStore(CpuState cpu, long ea, int size) {
        if ((cpu.msr & Msr.DR) == 0) {
            if (pages.overlapsCode(ea & CpuState.REAL_MODE_ADDRESS_MASK, size)) {
                throw CodeModifiedSignal.INSTANCE;
            }
            return;
        }
        boolean crosses = (ea & SoftTlb.PAGE_OFFSET) > SoftTlb.PAGE_OFFSET + 1 - size;
        for (int i = 0; i < (crosses ? size : 1); i++) {
            long a = storage.storeAddress(cpu, cpu.ea(ea + i));
            if (pages.overlapsCode(a, crosses ? 1 : size)) {
                throw CodeModifiedSignal.INSTANCE;
            }
        }
    }

    @HelperEffect(Effect.MEMORY)
    public int load8(CpuState cpu, long ea) {
        long a = inlineLoadAddress(cpu, ea, 1);
        return a >= 0 ? (RAW ? HostAddressAccess.getByte(base + a) : ram.get(ValueLayout.JAVA_BYTE, a)) & 0xff
                : storage.load8(cpu, ea);
    }

    @HelperEffect(Effect.MEMORY)
    public int load16be(CpuState cpu, long ea) {
        long a = inlineLoadAddress(cpu, ea, 2);
        return a >= 0 ? (RAW ? Short.reverseBytes(HostAddressAccess.getShort(base + a)) : ram.get(SHORT_BE, a)) & 0xffff
                : (!cpu.littleEndian ? storage.load16(cpu, ea) : storage.load16Reversed(cpu, ea));
    }

    @HelperEffect(Effect.MEMORY)
    public int load16le(CpuState cpu, long ea) {
        long a = inlineLoadAddress(cpu, ea, 2);
        return a >= 0 ? (RAW ? HostAddressAccess.getShort(base + a) : ram.get(SHORT_LE, a)) & 0xffff
                : (cpu.littleEndian ? storage.load16(cpu, ea) : storage.load16Reversed(cpu, ea));
    }

    @HelperEffect(Effect.MEMORY)
    public int load32be(CpuState cpu, long ea) {
        long a = inlineLoadAddress(cpu, ea, 4);
        return a >= 0 ? (RAW ? Integer.reverseBytes(HostAddressAccess.getInt(base + a)) : ram.get(INT_BE, a))
                : (!cpu.littleEndian ? storage.load32(cpu, ea) : storage.load32Reversed(cpu, ea));
    }

    @HelperEffect(Effect.MEMORY)
    public int load32le(CpuState cpu, long ea) {
        long a = inlineLoadAddress(cpu, ea, 4);
        return a >= 0 ? (RAW ? HostAddressAccess.getInt(base + a) : ram.get(INT_LE, a))
                : (cpu.littleEndian ? storage.load32(cpu, ea) : storage.load32Reversed(cpu, ea));
    }

    @HelperEffect(Effect.MEMORY)
    public long load64be(CpuState cpu, long ea) {
        long a = inlineLoadAddress(cpu, ea, 8);
        return a >= 0 ? (RAW ? Long.reverseBytes(HostAddressAccess.getLong(base + a)) : ram.get(LONG_BE, a))
                : (!cpu.littleEndian ? storage.load64(cpu, ea) : storage.load64Reversed(cpu, ea));
    }

    @HelperEffect(Effect.MEMORY)
    public long load64le(CpuState cpu, long ea) {
        long a = inlineLoadAddress(cpu, ea, 8);
        return a >= 0 ? (RAW ? HostAddressAccess.getLong(base + a) : ram.get(LONG_LE, a))
                : (cpu.littleEndian ? storage.load64(cpu, ea) : storage.load64Reversed(cpu, ea));
    }

    /**
     * A store the inline path cannot take (not RAM, or a page holding translated code): the interpreter's storage
     * path does it, in the access's byte order ({@code bigEndian}) relative to the CPU's current one.
     */
    private void slowStore(CpuState cpu, long ea, int size, boolean bigEndian, long value) {
        trappedStore(cpu, ea, size);
        boolean inCpuOrder = cpu.littleEndian != bigEndian;
        switch (size) {
            case 2 -> {
                if (inCpuOrder) {
                    storage.store16(cpu, ea, value);
                } else {
                    storage.store16Reversed(cpu, ea, value);
                }
            }
            case 4 -> {
                if (inCpuOrder) {
                    storage.store32(cpu, ea, value);
                } else {
                    storage.store32Reversed(cpu, ea, value);
                }
            }
            default -> {
                if (inCpuOrder) {
                    storage.store64(cpu, ea, value);
                } else {
                    storage.store64Reversed(cpu, ea, value);
                }
            }
        }
    }

    @HelperEffect(Effect.MEMORY)
    public void store8(CpuState cpu, long ea, long value) {
        long a = inlineStoreAddress(cpu, ea, 1);
        if (a >= 0) {
            if (RAW) {
                HostAddressAccess.putByte(base + a, (byte) value);
            } else {
                ram.set(ValueLayout.JAVA_BYTE, a, (byte) value);
            }
        } else {
            trappedStore(cpu, ea, 1);
            storage.store8(cpu, ea, value);
        }
    }

    @HelperEffect(Effect.MEMORY)
    public void store16be(CpuState cpu, long ea, long value) {
        long a = inlineStoreAddress(cpu, ea, 2);
        if (a >= 0) {
            if (RAW) {
                HostAddressAccess.putShort(base + a, Short.reverseBytes((short) value));
            } else {
                ram.set(SHORT_BE, a, (short) value);
            }
        } else {
            slowStore(cpu, ea, 2, true, value);
        }
    }

    @HelperEffect(Effect.MEMORY)
    public void store16le(CpuState cpu, long ea, long value) {
        long a = inlineStoreAddress(cpu, ea, 2);
        if (a >= 0) {
            if (RAW) {
                HostAddressAccess.putShort(base + a, (short) value);
            } else {
                ram.set(SHORT_LE, a, (short) value);
            }
        } else {
            slowStore(cpu, ea, 2, false, value);
        }
    }

    @HelperEffect(Effect.MEMORY)
    public void store32be(CpuState cpu, long ea, long value) {
        long a = inlineStoreAddress(cpu, ea, 4);
        if (a >= 0) {
            if (RAW) {
                HostAddressAccess.putInt(base + a, Integer.reverseBytes((int) value));
            } else {
                ram.set(INT_BE, a, (int) value);
            }
        } else {
            slowStore(cpu, ea, 4, true, value);
        }
    }

    @HelperEffect(Effect.MEMORY)
    public void store32le(CpuState cpu, long ea, long value) {
        long a = inlineStoreAddress(cpu, ea, 4);
        if (a >= 0) {
            if (RAW) {
                HostAddressAccess.putInt(base + a, (int) value);
            } else {
                ram.set(INT_LE, a, (int) value);
            }
        } else {
            slowStore(cpu, ea, 4, false, value);
        }
    }

    @HelperEffect(Effect.MEMORY)
    public void store64be(CpuState cpu, long ea, long value) {
        long a = inlineStoreAddress(cpu, ea, 8);
        if (a >= 0) {
            if (RAW) {
                HostAddressAccess.putLong(base + a, Long.reverseBytes(value));
            } else {
                ram.set(LONG_BE, a, value);
            }
        } else {
            slowStore(cpu, ea, 8, true, value);
        }
    }

    @HelperEffect(Effect.MEMORY)
    public void store64le(CpuState cpu, long ea, long value) {
        long a = inlineStoreAddress(cpu, ea, 8);
        if (a >= 0) {
            if (RAW) {
                HostAddressAccess.putLong(base + a, value);
            } else {
                ram.set(LONG_LE, a, value);
            }
        } else {
            slowStore(cpu, ea, 8, false, value);
        }
    }

    public WriteJournal journal() {
        return journal;
    }
}
