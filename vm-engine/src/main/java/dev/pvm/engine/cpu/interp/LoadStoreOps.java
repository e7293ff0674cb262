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

    // What a row reads or writes, in the CPU's byte order unless REVERSED (a switch, not a functional object per
    // access: one call site serving every row would be megamorphic).
    private static final int BYTE = 0;
    private static final int HALF = 1;
    private static final int HALF_ALGEBRAIC = 2;
    private static final int WORD = 3;
    private static final int WORD_ALGEBRAIC = 4;
    private static final int DOUBLE = 5;
    private static final int HALF_REVERSED = 6;
    private static final int WORD_REVERSED = 7;
    private static final int DOUBLE_REVERSED = 8;

    static void bind(SemanticsBinder b) {
        for (String[] rows : new String[][] {{"LBZ", "LBZU", "LBZX", "LBZUX"}, {"LHZ", "LHZU", "LHZX", "LHZUX"},
                {"LHA", "LHAU", "LHAX", "LHAUX"}, {"LWZ", "LWZU", "LWZX", "LWZUX"}, {"LWA", null, "LWAX", "LWAUX"},
                {"LD", "LDU", "LDX", "LDUX"}}) {
            int access = switch (rows[0]) {
                case "LBZ" -> BYTE;
                case "LHZ" -> HALF;
                case "LHA" -> HALF_ALGEBRAIC;
                case "LWZ" -> WORD;
                case "LWA" -> WORD_ALGEBRAIC;
                default -> DOUBLE;
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
            int access = switch (rows[0]) {
                case "STB" -> BYTE;
                case "STH" -> HALF;
                case "STW" -> WORD;
                default -> DOUBLE;
            };
            store(b, rows[0], access, false);
            store(b, rows[1], access, true);
            store(b, rows[2], access, false);
            store(b, rows[3], access, true);
        }
        load(b, "LHBRX", HALF_REVERSED, false);
        load(b, "LWBRX", WORD_REVERSED, false);
        load(b, "LDBRX", DOUBLE_REVERSED, false);
        store(b, "STHBRX", HALF_REVERSED, false);
        store(b, "STWBRX", WORD_REVERSED, false);
        store(b, "STDBRX", DOUBLE_REVERSED, false);
    }

    private static long read(StorageAccess m, CpuState s, int access, long ea) {
        return switch (access) {
            case BYTE -> m.load8(s, ea);
            case HALF -> m.load16(s, ea);
            case HALF_ALGEBRAIC -> (short) m.load16(s, ea);
            case WORD -> m.load32(s, ea) & 0xFFFF_FFFFL;
            case WORD_ALGEBRAIC -> m.load32(s, ea);
            case DOUBLE -> m.load64(s, ea);
            case HALF_REVERSED -> m.load16Reversed(s, ea);
            case WORD_REVERSED -> m.load32Reversed(s, ea) & 0xFFFF_FFFFL;
            default -> m.load64Reversed(s, ea);
        };
    }

    private static void write(StorageAccess m, CpuState s, int access, long ea, long value) {
        switch (access) {
            case BYTE -> m.store8(s, ea, value);
            case HALF -> m.store16(s, ea, value);
            case WORD -> m.store32(s, ea, value);
            case DOUBLE -> m.store64(s, ea, value);
            case HALF_REVERSED -> m.store16Reversed(s, ea, value);
            case WORD_REVERSED -> m.store32Reversed(s, ea, value);
            default -> m.store64Reversed(s, ea, value);
        }
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

    /**
     * A load or store row's operands: register numbers, and the displacement of a D/DS-form row or -1 for
     * {@code b} (an indexed row has {@code b} and no displacement). {@link Semantics#execute} extracts them from
     * the word at each execution, {@link Semantics#decode} once; both run the same body.
     */
    private record Operands(Field target, Field ra, Field disp, Field rb) {

        Operands(InsnPattern row, String target) {
            this(row.field(target), row.field("ra"), displacement(row),
                    displacement(row) == null ? row.field("rb") : null);
        }

        int b(int insn) {
            return disp == null ? rb.raw(insn) : -1;
        }

        long d(int insn) {
            return disp == null ? 0 : disp.extract(insn);
        }
    }

    private static void load(SemanticsBinder b, String name, int access, boolean update) {
        transfer(b, name, false, access, update);
    }

    private static void store(SemanticsBinder b, String name, int access, boolean update) {
        transfer(b, name, true, access, update);
    }

    private static void transfer(SemanticsBinder b, String name, boolean store, int access, boolean update) {
        StorageAccess m = b.storage();
        b.bind(name, row -> {
            Operands o = new Operands(row, store ? "rs" : "rt");
            return new Semantics() {
                @Override
                public void execute(CpuState s, int i) {
                    transfer(s, m, store, access, update, o.target().raw(i), o.ra().raw(i), o.b(i), o.d(i));
                }

                @Override
                public DecodedInsn decode(int i) {
                    int r = o.target().raw(i);
                    int a = o.ra().raw(i);
                    int rb = o.b(i);
                    long d = o.d(i);
                    return s -> transfer(s, m, store, access, update, r, a, rb, d);
                }
            };
        });
    }

    /**
     * A load into, or a store from, GPR {@code r}; {@code b} is -1 for a displacement-form row, whose
     * displacement is {@code d}. The update forms need RA != 0, and a load RA != RT (Book I 3.3.2).
     */
    private static void transfer(CpuState s, StorageAccess m, boolean store, int access, boolean update, int r,
            int a, int b, long d) {
        if (update && (a == 0 || (!store && a == r))) {
            s.raise(INVALID_UPDATE);
            return;
        }
        long ea = s.ea((a == 0 ? 0 : s.gpr[a]) + (b < 0 ? d : s.gpr[b]));
        if (store) {
            write(m, s, access, ea, s.gpr[r]);
        } else {
            s.gpr[r] = read(m, s, access, ea);
        }
        if (update) {
            s.gpr[a] = ea;
        }
    }
}
