package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.Field;

/**
 * Storage control and synchronization (Power ISA v3.0B Book II chapters 4-5): cache management, barriers and
 * load-and-reserve / store-conditional.
 *
 * <p>Guest memory is coherent host memory and one vCPU runs at a time, so barriers and cache hints have no
 * effect beyond ordering, which the interpreter already gives. dcbz still zeroes its block.
 */
final class StorageControlOps {

    private StorageControlOps() {
    }

    static void bind(SemanticsBinder b) {
        StorageAccess m = b.storage();
        for (String hint : new String[] {"SYNC", "ISYNC", "EIEIO", "DCBT", "DCBTST", "DCBST", "DCBF", "ICBI"}) {
            b.bind(hint, row -> (s, i) -> {
            });
        }
        int block = b.model().cacheBlockBytes();
        b.bind("DCBZ", row -> {
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> {
                int a = ra.raw(i);
                long ea = s.ea((a == 0 ? 0 : s.gpr[a]) + s.gpr[rb.raw(i)]) & -(long) block;
                m.zero(s, ea, block);
            };
        });
        loadAndReserve(b, "LWARX", 4, m);
        loadAndReserve(b, "LDARX", 8, m);
        storeConditional(b, "STWCX.", 4, m);
        storeConditional(b, "STDCX.", 8, m);
    }

    private static long indexedEa(CpuState s, Field ra, Field rb, int insn) {
        int a = ra.raw(insn);
        return s.ea((a == 0 ? 0 : s.gpr[a]) + s.gpr[rb.raw(insn)]);
    }

    private static void loadAndReserve(SemanticsBinder b, String name, int size, StorageAccess m) {
        b.bind(name, row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> {
                long ea = indexedEa(s, ra, rb, i);
                if ((ea & (size - 1)) != 0) {
                    s.raise(new GuestInterrupt.Alignment(ea, name.toLowerCase() + " needs " + size + "-byte alignment"));
                    return;
                }
                long value = size == 4 ? m.load32(s, ea) & 0xFFFF_FFFFL : m.load64(s, ea);
                s.reservationAddress = m.dataAddress(s, ea);
                s.reservationSize = size;
                s.gpr[rt.raw(i)] = value;
            };
        });
    }

    /**
     * The store happens only while the reservation made by the matching load-and-reserve holds for the same
     * address and size; CR0 = 0b00 || stored || XER[SO], and the reservation is cleared either way.
     */
    private static void storeConditional(SemanticsBinder b, String name, int size, StorageAccess m) {
        b.bind(name, row -> {
            Field rs = row.field("rs");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> {
                long ea = indexedEa(s, ra, rb, i);
                if ((ea & (size - 1)) != 0) {
                    s.raise(new GuestInterrupt.Alignment(ea, name.toLowerCase() + " needs " + size + "-byte alignment"));
                    return;
                }
                long real = m.dataAddress(s, ea);
                boolean store = s.reservationAddress == real && s.reservationSize == size;
                if (store) {
                    if (size == 4) {
                        m.store32(s, ea, s.gpr[rs.raw(i)]);
                    } else {
                        m.store64(s, ea, s.gpr[rs.raw(i)]);
                    }
                }
                s.reservationAddress = -1;
                s.setCrField(0, (store ? 2 : 0) | s.so);
            };
        });
    }
}
