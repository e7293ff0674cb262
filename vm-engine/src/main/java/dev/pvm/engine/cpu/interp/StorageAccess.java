package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.memory.GuestMemory;
import dev.pvm.engine.memory.GuestMemoryAccessException;
import java.nio.ByteOrder;

/**
 * The CPU's view of storage: effective address to real address (real mode only until the MMU exists) and the
 * byte order MSR[LE] selects (Book I 1.10). Every load and store of the semantics goes through here.
 *
 * <p>In real mode (MSR[IR]/MSR[DR] = 0) effective address bits 0:3 are ignored, as on POWER9 and in QEMU's
 * real-mode path: Linux runs its early code at 0xc000... addresses before it turns relocation on.
 */
public final class StorageAccess {

    private final GuestMemory memory;

    public StorageAccess(GuestMemory memory) {
        this.memory = memory;
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

    /** The real address of a data access at effective address {@code ea}. */
    public long dataAddress(CpuState s, long ea) {
        if ((s.msr & Msr.DR) != 0) {
            throw new GuestInterruptSignal(new GuestInterrupt.DataStorage(ea,
                    GuestInterrupt.DataStorage.DSISR_NO_TRANSLATION,
                    "data relocation (MSR[DR]=1) needs the MMU, which is not implemented yet"));
        }
        return ea & CpuState.REAL_MODE_ADDRESS_MASK;
    }

    /** Fetches the instruction word at {@code ea} in the current byte order. */
    public int fetch(CpuState s, long ea) {
        if ((s.msr & Msr.IR) != 0) {
            throw new GuestInterruptSignal(new GuestInterrupt.InstructionStorage(ea,
                    GuestInterrupt.InstructionStorage.SRR1_NO_TRANSLATION,
                    "instruction relocation (MSR[IR]=1) needs the MMU, which is not implemented yet"));
        }
        long real = ea & CpuState.REAL_MODE_ADDRESS_MASK;
        try {
            return memory.fetch32(real, order(s));
        } catch (GuestMemoryAccessException e) {
            throw new GuestInterruptSignal(new GuestInterrupt.MachineCheck(real, 4, "instruction fetch"));
        }
    }

    public int load8(CpuState s, long ea) {
        return memory.load8(dataAddress(s, ea));
    }

    public int load16(CpuState s, long ea) {
        return memory.load16(dataAddress(s, ea), order(s));
    }

    public int load32(CpuState s, long ea) {
        return memory.load32(dataAddress(s, ea), order(s));
    }

    public long load64(CpuState s, long ea) {
        return memory.load64(dataAddress(s, ea), order(s));
    }

    public void store8(CpuState s, long ea, long value) {
        memory.store8(dataAddress(s, ea), (int) value);
    }

    public void store16(CpuState s, long ea, long value) {
        memory.store16(dataAddress(s, ea), (int) value, order(s));
    }

    public void store32(CpuState s, long ea, long value) {
        memory.store32(dataAddress(s, ea), (int) value, order(s));
    }

    public void store64(CpuState s, long ea, long value) {
        memory.store64(dataAddress(s, ea), value, order(s));
    }

    /** Byte-reversed loads and stores (lhbrx, lwbrx, ldbrx, st*brx): the opposite of the current order. */
    public int load16Reversed(CpuState s, long ea) {
        return memory.load16(dataAddress(s, ea), reversed(s));
    }

    public int load32Reversed(CpuState s, long ea) {
        return memory.load32(dataAddress(s, ea), reversed(s));
    }

    public long load64Reversed(CpuState s, long ea) {
        return memory.load64(dataAddress(s, ea), reversed(s));
    }

    public void store16Reversed(CpuState s, long ea, long value) {
        memory.store16(dataAddress(s, ea), (int) value, reversed(s));
    }

    public void store32Reversed(CpuState s, long ea, long value) {
        memory.store32(dataAddress(s, ea), (int) value, reversed(s));
    }

    public void store64Reversed(CpuState s, long ea, long value) {
        memory.store64(dataAddress(s, ea), value, reversed(s));
    }

    /** Sets {@code length} bytes at {@code ea} to zero (dcbz). */
    public void zero(CpuState s, long ea, int length) {
        memory.fill(dataAddress(s, ea), length, (byte) 0);
    }
}
