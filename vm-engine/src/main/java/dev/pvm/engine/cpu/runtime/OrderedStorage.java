package dev.pvm.engine.cpu.runtime;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.interp.StorageAccess;

/**
 * The slow path of translated accesses: the interpreter's {@link StorageAccess} in the byte order the access
 * names. A unit translated for one byte order uses the other for the byte-reversed instructions, so the
 * reversed accessor is the one to call when the access's order differs from the CPU's.
 */
public final class OrderedStorage {

    private OrderedStorage() {
    }

    public static int load16(StorageAccess s, CpuState cpu, long ea, boolean bigEndian) {
        return cpu.littleEndian != bigEndian ? s.load16(cpu, ea) : s.load16Reversed(cpu, ea);
    }

    public static int load32(StorageAccess s, CpuState cpu, long ea, boolean bigEndian) {
        return cpu.littleEndian != bigEndian ? s.load32(cpu, ea) : s.load32Reversed(cpu, ea);
    }

    public static long load64(StorageAccess s, CpuState cpu, long ea, boolean bigEndian) {
        return cpu.littleEndian != bigEndian ? s.load64(cpu, ea) : s.load64Reversed(cpu, ea);
    }

    /** A store of 1, 2, 4 or 8 bytes. */
    public static void store(StorageAccess s, CpuState cpu, long ea, int size, boolean bigEndian, long value) {
        boolean inCpuOrder = cpu.littleEndian != bigEndian;
        switch (size) {
            case 1 -> s.store8(cpu, ea, value);
            case 2 -> {
                if (inCpuOrder) {
                    s.store16(cpu, ea, value);
                } else {
                    s.store16Reversed(cpu, ea, value);
                }
            }
            case 4 -> {
                if (inCpuOrder) {
                    s.store32(cpu, ea, value);
                } else {
                    s.store32Reversed(cpu, ea, value);
                }
            }
            case 8 -> {
                if (inCpuOrder) {
                    s.store64(cpu, ea, value);
                } else {
                    s.store64Reversed(cpu, ea, value);
                }
            }
            default -> throw new IllegalArgumentException("store of " + size + " bytes");
        }
    }
}
