package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.Field;
import dev.pvm.engine.cpu.isa.InsnPattern;

/**
 * Fixed-point loads and stores (Power ISA v3.0B Book I 3.3.2-3.3.6): byte, halfword, word and doubleword, with
 * update and indexed forms, algebraic loads and the byte-reversed forms. One generic routine per direction,
 * parameterised by the access, serves every row (the row's fields say D, DS or indexed).
 */
final class LoadStoreOps {

    private static final GuestInterrupt INVALID_UPDATE = new GuestInterrupt.Program(
            GuestInterrupt.ProgramReason.ILLEGAL_INSTRUCTION,
            "invalid form: load/store with update needs RA != 0 (and RA != RT for loads)");

    private LoadStoreOps() {
    }

    @FunctionalInterface
    interface Load {
        long load(CpuState s, long ea);
    }

    @FunctionalInterface
    interface Store {
        void store(CpuState s, long ea, long value);
    }

    static void bind(SemanticsBinder b) {
        StorageAccess m = b.storage();
        Load u8 = m::load8;
        Load u16 = m::load16;
        Load s16 = (s, ea) -> (short) m.load16(s, ea);
        Load u32 = (s, ea) -> m.load32(s, ea) & 0xFFFF_FFFFL;
        Load s32 = (s, ea) -> (long) m.load32(s, ea);
        Load u64 = m::load64;
        Store st8 = m::store8;
        Store st16 = m::store16;
        Store st32 = m::store32;
        Store st64 = m::store64;

        for (String[] rows : new String[][] {{"LBZ", "LBZU", "LBZX", "LBZUX"}, {"LHZ", "LHZU", "LHZX", "LHZUX"},
                {"LHA", "LHAU", "LHAX", "LHAUX"}, {"LWZ", "LWZU", "LWZX", "LWZUX"}, {"LWA", null, "LWAX", "LWAUX"},
                {"LD", "LDU", "LDX", "LDUX"}}) {
            Load access = switch (rows[0]) {
                case "LBZ" -> u8;
                case "LHZ" -> u16;
                case "LHA" -> s16;
                case "LWZ" -> u32;
                case "LWA" -> s32;
                default -> u64;
            };
            load(b, rows[0], access, false);
            if (rows[1] != null) {
                load(b, rows[1], access, true);
            }
            load(b, rows[2], access, false);
            load(b, rows[3], access, true);
        }
        for (String[] rows : new String[][] {{"STB", "STBU", "STBX", "STBUX"}, {"STH", "STHU", "STHX", "STHUX"},
                {"STW", "STWU", "STWX", "STWUX"}, {"STD", "STDU", "STDX", "STDUX"}}) {
            Store access = switch (rows[0]) {
                case "STB" -> st8;
                case "STH" -> st16;
                case "STW" -> st32;
                default -> st64;
            };
            store(b, rows[0], access, false);
            store(b, rows[1], access, true);
            store(b, rows[2], access, false);
            store(b, rows[3], access, true);
        }
        load(b, "LHBRX", m::load16Reversed, false);
        load(b, "LWBRX", (s, ea) -> m.load32Reversed(s, ea) & 0xFFFF_FFFFL, false);
        load(b, "LDBRX", m::load64Reversed, false);
        store(b, "STHBRX", m::store16Reversed, false);
        store(b, "STWBRX", m::store32Reversed, false);
        store(b, "STDBRX", m::store64Reversed, false);
    }

    /** The displacement field of a D- or DS-form row, or null for indexed (X-form) rows. */
    static Field displacement(InsnPattern row) {
        if (row.hasField("d")) {
            return row.field("d");
        }
        if (row.hasField("ds")) {
            return row.field("ds");
        }
        return null;
    }

    private static void load(SemanticsBinder b, String name, Load access, boolean update) {
        b.bind(name, row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field disp = displacement(row);
            Field rb = disp == null ? row.field("rb") : null;
            return (s, i) -> {
                int t = rt.raw(i);
                int a = ra.raw(i);
                if (update && (a == 0 || a == t)) {
                    s.raise(INVALID_UPDATE);
                    return;
                }
                long offset = disp != null ? disp.extract(i) : s.gpr[rb.raw(i)];
                long ea = s.ea((a == 0 ? 0 : s.gpr[a]) + offset);
                long value = access.load(s, ea);
                s.gpr[t] = value;
                if (update) {
                    s.gpr[a] = ea;
                }
            };
        });
    }

    private static void store(SemanticsBinder b, String name, Store access, boolean update) {
        b.bind(name, row -> {
            Field rs = row.field("rs");
            Field ra = row.field("ra");
            Field disp = displacement(row);
            Field rb = disp == null ? row.field("rb") : null;
            return (s, i) -> {
                int a = ra.raw(i);
                if (update && a == 0) {
                    s.raise(INVALID_UPDATE);
                    return;
                }
                long offset = disp != null ? disp.extract(i) : s.gpr[rb.raw(i)];
                long ea = s.ea((a == 0 ? 0 : s.gpr[a]) + offset);
                access.store(s, ea, s.gpr[rs.raw(i)]);
                if (update) {
                    s.gpr[a] = ea;
                }
            };
        });
    }
}
