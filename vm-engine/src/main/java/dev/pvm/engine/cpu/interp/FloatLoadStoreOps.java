package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.fpu.FloatConversions;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.Field;

/**
 * Floating-point loads and stores (Power ISA v3.0B Book I 4.6.2, 4.6.3): single precision (converted to and from
 * the FPR's double format bit by bit, no rounding), double precision, integer words (lfiwax, lfiwzx, stfiwx) and
 * doubleword pairs (lfdp, stfdp). The update forms need RA != 0; the pair forms an even FRTp.
 */
final class FloatLoadStoreOps {

    private static final GuestInterrupt INVALID_UPDATE = new GuestInterrupt.Program(
            GuestInterrupt.ProgramReason.ILLEGAL_INSTRUCTION,
            "invalid form: floating-point load/store with update needs RA != 0");
    private static final GuestInterrupt ODD_PAIR = new GuestInterrupt.Program(
            GuestInterrupt.ProgramReason.ILLEGAL_INSTRUCTION, "invalid form: lfdp/stfdp need an even FPR");

    private FloatLoadStoreOps() {
    }

    @FunctionalInterface
    private interface Load {
        long load(CpuState s, long ea);
    }

    @FunctionalInterface
    private interface Store {
        void store(CpuState s, long ea, long value);
    }

    static void bind(SemanticsBinder b) {
        StorageAccess m = b.storage();
        Load single = (s, ea) -> FloatConversions.fromSingleBits(m.load32(s, ea));
        Load dbl = m::load64;
        Store storeSingle = (s, ea, v) -> m.store32(s, ea, FloatConversions.toSingleBits(v));
        Store storeDouble = m::store64;
        for (String name : new String[] {"LFS", "LFSU", "LFSX", "LFSUX"}) {
            load(b, name, single, name.contains("U"));
        }
        for (String name : new String[] {"LFD", "LFDU", "LFDX", "LFDUX"}) {
            load(b, name, dbl, name.contains("U"));
        }
        load(b, "LFIWAX", (s, ea) -> (long) m.load32(s, ea), false);
        load(b, "LFIWZX", (s, ea) -> m.load32(s, ea) & 0xFFFF_FFFFL, false);
        for (String name : new String[] {"STFS", "STFSU", "STFSX", "STFSUX"}) {
            store(b, name, storeSingle, name.contains("U"));
        }
        for (String name : new String[] {"STFD", "STFDU", "STFDX", "STFDUX"}) {
            store(b, name, storeDouble, name.contains("U"));
        }
        store(b, "STFIWX", (s, ea, v) -> m.store32(s, ea, v), false);
        pair(b, "LFDP", true);
        pair(b, "LFDPX", true);
        pair(b, "STFDP", false);
        pair(b, "STFDPX", false);
    }

    private static void load(SemanticsBinder b, String name, Load access, boolean update) {
        b.bind(name, row -> {
            Field frt = row.field("frt");
            Field ra = row.field("ra");
            Field disp = LoadStoreOps.displacement(row);
            Field rb = disp == null ? row.field("rb") : null;
            return (s, i) -> {
                int a = ra.raw(i);
                if (update && a == 0) {
                    s.raise(INVALID_UPDATE);
                    return;
                }
                long offset = disp != null ? disp.extract(i) : s.gpr[rb.raw(i)];
                long ea = s.ea((a == 0 ? 0 : s.gpr[a]) + offset);
                s.setFprBits(frt.raw(i), access.load(s, ea));
                if (update) {
                    s.gpr[a] = ea;
                }
            };
        });
    }

    private static void store(SemanticsBinder b, String name, Store access, boolean update) {
        b.bind(name, row -> {
            Field frs = row.field("frs");
            Field ra = row.field("ra");
            Field disp = LoadStoreOps.displacement(row);
            Field rb = disp == null ? row.field("rb") : null;
            return (s, i) -> {
                int a = ra.raw(i);
                if (update && a == 0) {
                    s.raise(INVALID_UPDATE);
                    return;
                }
                long offset = disp != null ? disp.extract(i) : s.gpr[rb.raw(i)];
                long ea = s.ea((a == 0 ? 0 : s.gpr[a]) + offset);
                access.store(s, ea, s.fprBits(frs.raw(i)));
                if (update) {
                    s.gpr[a] = ea;
                }
            };
        });
    }

    /**
     * lfdp/stfdp (Book I 4.6.2, 4.6.3): the even register holds the doubleword at EA in big-endian mode; in
     * little-endian mode the pair is one quadword in little-endian order, so the even register holds the
     * doubleword at EA+8 (as for lq/stq, and as QEMU does).
     */
    private static void pair(SemanticsBinder b, String name, boolean load) {
        StorageAccess m = b.storage();
        b.bind(name, row -> {
            Field reg = row.field(load ? "frtp" : "frsp");
            Field ra = row.field("ra");
            Field disp = LoadStoreOps.displacement(row);
            Field rb = disp == null ? row.field("rb") : null;
            return (s, i) -> {
                int r = reg.raw(i);
                if ((r & 1) != 0) {
                    s.raise(ODD_PAIR);
                    return;
                }
                int a = ra.raw(i);
                long offset = disp != null ? disp.extract(i) : s.gpr[rb.raw(i)];
                long ea = s.ea((a == 0 ? 0 : s.gpr[a]) + offset);
                long high = s.littleEndian ? s.ea(ea + 8) : ea;
                long low = s.littleEndian ? ea : s.ea(ea + 8);
                if (load) {
                    long even = m.load64(s, high);
                    long odd = m.load64(s, low);
                    s.setFprBits(r, even);
                    s.setFprBits(r + 1, odd);
                } else {
                    m.store64(s, high, s.fprBits(r));
                    m.store64(s, low, s.fprBits(r + 1));
                }
            };
        });
    }
}
