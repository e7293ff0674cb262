package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.isa.InsnPattern;
import org.objectweb.asm.Opcodes;

/**
 * Inline loads and stores of 1, 2, 4 and 8 bytes (Book I 3.3.2-3.3.5): D, DS and X forms, with update, and the
 * byte-reversed forms. All share one generic routine parameterised by size, sign, update, index and byte
 * order, as QEMU's fixedpoint-impl does. The access itself is a call to a {@code TranslatorRuntime} entry point
 * whose RAM fast path HotSpot inlines.
 *
 * <p>Precise state: the EA is computed into a temporary, the access may fault, and only then are RT and (for
 * update forms) RA written, so a fault leaves every register as before the instruction.
 */
final class LoadStoreEmitters implements Opcodes {

    private LoadStoreEmitters() {
    }

    private enum Ea { D, DS, X }

    static void bind(EmitterTable t) {
        load(t, "LBZ", 1, false, Ea.D, false, false);
        load(t, "LBZU", 1, false, Ea.D, true, false);
        load(t, "LBZX", 1, false, Ea.X, false, false);
        load(t, "LBZUX", 1, false, Ea.X, true, false);
        load(t, "LHZ", 2, false, Ea.D, false, false);
        load(t, "LHZU", 2, false, Ea.D, true, false);
        load(t, "LHZX", 2, false, Ea.X, false, false);
        load(t, "LHZUX", 2, false, Ea.X, true, false);
        load(t, "LHA", 2, true, Ea.D, false, false);
        load(t, "LHAU", 2, true, Ea.D, true, false);
        load(t, "LHAX", 2, true, Ea.X, false, false);
        load(t, "LHAUX", 2, true, Ea.X, true, false);
        load(t, "LWZ", 4, false, Ea.D, false, false);
        load(t, "LWZU", 4, false, Ea.D, true, false);
        load(t, "LWZX", 4, false, Ea.X, false, false);
        load(t, "LWZUX", 4, false, Ea.X, true, false);
        load(t, "LWA", 4, true, Ea.DS, false, false);
        load(t, "LWAX", 4, true, Ea.X, false, false);
        load(t, "LWAUX", 4, true, Ea.X, true, false);
        load(t, "LD", 8, false, Ea.DS, false, false);
        load(t, "LDU", 8, false, Ea.DS, true, false);
        load(t, "LDX", 8, false, Ea.X, false, false);
        load(t, "LDUX", 8, false, Ea.X, true, false);
        load(t, "LHBRX", 2, false, Ea.X, false, true);
        load(t, "LWBRX", 4, false, Ea.X, false, true);
        load(t, "LDBRX", 8, false, Ea.X, false, true);
        store(t, "STB", 1, Ea.D, false, false);
        store(t, "STBU", 1, Ea.D, true, false);
        store(t, "STBX", 1, Ea.X, false, false);
        store(t, "STBUX", 1, Ea.X, true, false);
        store(t, "STH", 2, Ea.D, false, false);
        store(t, "STHU", 2, Ea.D, true, false);
        store(t, "STHX", 2, Ea.X, false, false);
        store(t, "STHUX", 2, Ea.X, true, false);
        store(t, "STW", 4, Ea.D, false, false);
        store(t, "STWU", 4, Ea.D, true, false);
        store(t, "STWX", 4, Ea.X, false, false);
        store(t, "STWUX", 4, Ea.X, true, false);
        store(t, "STD", 8, Ea.DS, false, false);
        store(t, "STDU", 8, Ea.DS, true, false);
        store(t, "STDX", 8, Ea.X, false, false);
        store(t, "STDUX", 8, Ea.X, true, false);
        store(t, "STHBRX", 2, Ea.X, false, true);
        store(t, "STWBRX", 4, Ea.X, false, true);
        store(t, "STDBRX", 8, Ea.X, false, true);
        floatDouble(t, "LFD", Ea.D, false, true);
        floatDouble(t, "LFDU", Ea.D, true, true);
        floatDouble(t, "LFDX", Ea.X, false, true);
        floatDouble(t, "LFDUX", Ea.X, true, true);
        floatDouble(t, "STFD", Ea.D, false, false);
        floatDouble(t, "STFDU", Ea.D, true, false);
        floatDouble(t, "STFDX", Ea.X, false, false);
        floatDouble(t, "STFDUX", Ea.X, true, false);
    }

    /**
     * lfd/stfd and their update and indexed forms (Book I 4.6.2-4.6.3): the FPR is doubleword 0 of its VSR
     * ({@code CpuState.vsrHi}), moved as raw bits with no conversion.
     */
    private static void floatDouble(EmitterTable t, String name, Ea form, boolean update, boolean load) {
        t.bind(name, (e, row, i) -> {
            int fr = row.field(load ? "frt" : "frs").raw(i);
            int ra = row.field("ra").raw(i);
            if (update && ra == 0) {
                return false;
            }
            effectiveAddress(e, row, i, form, update);
            if (load) {
                e.beginMemoryAccess();
                e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_A);
                e.endMemoryAccess(entry(e, "load", 8, false), "(" + BytecodeEmitter.CPU_DESC + "J)J");
                e.mv().visitVarInsn(LSTORE, BytecodeEmitter.TEMP_B);
                e.loadCpu();
                e.mv().visitFieldInsn(GETFIELD, BytecodeEmitter.CPU, "vsrHi", "[J");
                e.pushInt(fr);
                e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_B);
                e.mv().visitInsn(LASTORE);
            } else {
                e.beginMemoryAccess();
                e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_A);
                e.loadCpu();
                e.mv().visitFieldInsn(GETFIELD, BytecodeEmitter.CPU, "vsrHi", "[J");
                e.pushInt(fr);
                e.mv().visitInsn(LALOAD);
                e.endMemoryAccess(entry(e, "store", 8, false), "(" + BytecodeEmitter.CPU_DESC + "JJ)V");
            }
            if (update) {
                e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_A);
                e.storeGpr(ra);
            }
            return true;
        });
    }

    /** EA into TEMP_A: (RA|0) + displacement or RB; update forms use RA itself. */
    private static void effectiveAddress(BytecodeEmitter e, InsnPattern row, int i, Ea form, boolean update) {
        int ra = row.field("ra").raw(i);
        if (update) {
            e.loadGpr(ra);
        } else {
            e.loadGprOrZero(ra);
        }
        switch (form) {
            case D -> e.pushLong(row.field("d").extract(i));
            case DS -> e.pushLong(row.field("ds").extract(i));
            case X -> e.loadGpr(row.field("rb").raw(i));
        }
        e.mv().visitInsn(LADD);
        e.mv().visitVarInsn(LSTORE, BytecodeEmitter.TEMP_A);
    }

    /** The runtime entry point for an access of {@code size} bytes in the unit's (or the reversed) byte order. */
    private static String entry(BytecodeEmitter e, String kind, int size, boolean reversed) {
        if (size == 1) {
            return kind + "8";
        }
        boolean le = e.littleEndian() != reversed;
        return kind + (size * 8) + (le ? "le" : "be");
    }

    private static void load(EmitterTable t, String name, int size, boolean signed, Ea form, boolean update,
            boolean reversed) {
        t.bind(name, (e, row, i) -> {
            int rt = row.field("rt").raw(i);
            int ra = row.field("ra").raw(i);
            if (update && (ra == 0 || ra == rt)) {
                return false; // invalid form: the interpreter's semantics decide what happens
            }
            effectiveAddress(e, row, i, form, update);
            e.beginMemoryAccess();
            e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_A);
            String method = entry(e, "load", size, reversed);
            e.endMemoryAccess(method, size == 8 ? "(" + BytecodeEmitter.CPU_DESC + "J)J"
                    : "(" + BytecodeEmitter.CPU_DESC + "J)I");
            switch (size) {
                case 1 -> e.mv().visitInsn(I2L);
                case 2 -> {
                    if (signed) {
                        e.mv().visitInsn(I2S);
                    }
                    e.mv().visitInsn(I2L);
                }
                case 4 -> {
                    e.mv().visitInsn(I2L);
                    if (!signed) {
                        e.pushLong(0xFFFF_FFFFL);
                        e.mv().visitInsn(LAND);
                    }
                }
                default -> {
                }
            }
            e.storeGpr(rt);
            if (update) {
                e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_A);
                e.storeGpr(ra);
            }
            return true;
        });
    }

    private static void store(EmitterTable t, String name, int size, Ea form, boolean update, boolean reversed) {
        t.bind(name, (e, row, i) -> {
            int rs = row.field("rs").raw(i);
            int ra = row.field("ra").raw(i);
            if (update && ra == 0) {
                return false;
            }
            effectiveAddress(e, row, i, form, update);
            e.beginMemoryAccess();
            e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_A);
            e.loadGpr(rs);
            e.endMemoryAccess(entry(e, "store", size, reversed), "(" + BytecodeEmitter.CPU_DESC + "JJ)V");
            if (update) {
                e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_A);
                e.storeGpr(ra);
            }
            return true;
        });
    }
}
