package dev.pvm.engine.hcall;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.memory.GuestMemory;
import java.nio.ByteOrder;

/**
 * H_LOGICAL_CI_LOAD and H_LOGICAL_CI_STORE (LoPAPR 14.5.4.x, {@code hcall-debug}): a cache-inhibited access of
 * 1, 2, 4 or 8 bytes at a guest real address, big-endian as QEMU's ld*_phys/st*_phys for the ppc64 target.
 * Firmware and debuggers use them to reach device registers. The address space has no MMIO regions yet, so an
 * address no RAM backs answers H_PARAMETER (QEMU would read its unassigned-memory value).
 */
public final class LogicalCiHcalls {

    public static final long H_LOGICAL_CI_LOAD = 0x3c;
    public static final long H_LOGICAL_CI_STORE = 0x40;
    public static final String FUNCTION_SET = "hcall-debug";

    private final GuestMemory memory;

    private LogicalCiHcalls(GuestMemory memory) {
        this.memory = memory;
    }

    public static void register(HcallTable table, GuestMemory memory) {
        LogicalCiHcalls calls = new LogicalCiHcalls(memory);
        table.register(H_LOGICAL_CI_LOAD, "H_LOGICAL_CI_LOAD", FUNCTION_SET, calls::load);
        table.register(H_LOGICAL_CI_STORE, "H_LOGICAL_CI_STORE", FUNCTION_SET, calls::store);
    }

    /** H_LOGICAL_CI_LOAD(size, address) -> r4 = the value, zero-extended. */
    private HcallStatus load(CpuState cpu) {
        long size = cpu.gpr[4];
        long address = cpu.gpr[5];
        long value;
        if (size == 1) {
            value = memory.load8(address);
        } else if (size == 2) {
            value = memory.load16(address, ByteOrder.BIG_ENDIAN);
        } else if (size == 4) {
            value = memory.load32(address, ByteOrder.BIG_ENDIAN) & 0xffff_ffffL;
        } else if (size == 8) {
            value = memory.load64(address, ByteOrder.BIG_ENDIAN);
        } else {
            return HcallStatus.H_PARAMETER;
        }
        cpu.gpr[4] = value;
        return HcallStatus.H_SUCCESS;
    }

    /** H_LOGICAL_CI_STORE(size, address, value): the low {@code size} bytes of the value. */
    private HcallStatus store(CpuState cpu) {
        long size = cpu.gpr[4];
        long address = cpu.gpr[5];
        long value = cpu.gpr[6];
        if (size == 1) {
            memory.store8(address, (int) value);
        } else if (size == 2) {
            memory.store16(address, (int) value, ByteOrder.BIG_ENDIAN);
        } else if (size == 4) {
            memory.store32(address, (int) value, ByteOrder.BIG_ENDIAN);
        } else if (size == 8) {
            memory.store64(address, value, ByteOrder.BIG_ENDIAN);
        } else {
            return HcallStatus.H_PARAMETER;
        }
        return HcallStatus.H_SUCCESS;
    }
}
