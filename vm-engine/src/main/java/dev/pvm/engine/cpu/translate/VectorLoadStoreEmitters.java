package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.isa.InsnPattern;
import org.objectweb.asm.Opcodes;

/**
 * Inline VMX and VSX vector loads and stores (Book I 6.7.2, 7.6.1.1-7.6.1.3) through the unit memory's entry
 * points, access for access as the interpreter makes them (two 8-byte accesses at EA and EA+8 for quadwords and
 * doublewords, one per element for the word, halfword and byte forms), so a fault leaves the same state and
 * reports the same access: the EA is computed into a temporary, the first doubleword loaded is held in another,
 * and the target VSR is written only after every load.
 *
 * <p>Byte order (Book I 6.7.1, 7.3.1): a quadword access (lvx, lxvx, lxv) moves the 16 bytes as one value, so in
 * little-endian mode the doubleword at EA is the VSR's low one, byte-reversed; the element forms load each
 * element in the current byte order into ascending elements; lxvb16x moves bytes in memory order.
 */
final class VectorLoadStoreEmitters implements Opcodes {

    private VectorLoadStoreEmitters() {
    }

    /** How a row lays out its 16 bytes. */
    private enum Layout {
        /** One 128-bit value in the current byte order (lvx, lxvx, lxv). */
        QUAD,
        /** Elements of 8, 4, 2 or 1 bytes in the current byte order (lxvd2x, lxvw4x, lxvh8x, lxvb16x). */
        DOUBLEWORDS, WORDS, HALFWORDS, BYTES
    }

    static void bind(EmitterTable t) {
        access(t, "LVX", "vrt", true, Layout.QUAD, true);
        access(t, "LVXL", "vrt", true, Layout.QUAD, true);
        access(t, "STVX", "vrs", false, Layout.QUAD, true);
        access(t, "STVXL", "vrs", false, Layout.QUAD, true);
        access(t, "LXVX", "xt", true, Layout.QUAD, false);
        access(t, "STXVX", "xs", false, Layout.QUAD, false);
        access(t, "LXV", "xt", true, Layout.QUAD, false);
        access(t, "STXV", "xs", false, Layout.QUAD, false);
        access(t, "LXVD2X", "xt", true, Layout.DOUBLEWORDS, false);
        access(t, "STXVD2X", "xs", false, Layout.DOUBLEWORDS, false);
        access(t, "LXVW4X", "xt", true, Layout.WORDS, false);
        access(t, "STXVW4X", "xs", false, Layout.WORDS, false);
        access(t, "LXVH8X", "xt", true, Layout.HALFWORDS, false);
        access(t, "STXVH8X", "xs", false, Layout.HALFWORDS, false);
        access(t, "LXVB16X", "xt", true, Layout.BYTES, false);
        access(t, "STXVB16X", "xs", false, Layout.BYTES, false);
        // lxvdsx: one doubleword in the current byte order into both halves.
        t.bind("LXVDSX", (e, row, i) -> {
            effectiveAddress(e, row, i, false);
            int xt = row.field("xt").raw(i);
            loadDoubleword(e, 0, e.littleEndian(), Layout.DOUBLEWORDS);
            storeHalf(e, "vsrHi", xt); // leaves the value in TEMP_B
            e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_B);
            storeHalf(e, "vsrLo", xt);
            return true;
        });
    }

    /** EA into TEMP_A: (RA|0) + RB, or + DQ for the DQ-form; lvx/stvx align it down to the quadword. */
    private static void effectiveAddress(BytecodeEmitter e, InsnPattern row, int i, boolean alignQuad) {
        e.loadGprOrZero(row.field("ra").raw(i));
        if (row.hasField("dq")) {
            e.pushLong(row.field("dq").extract(i));
        } else {
            e.loadGpr(row.field("rb").raw(i));
        }
        e.mv().visitInsn(LADD);
        if (alignQuad) {
            e.pushLong(~15L);
            e.mv().visitInsn(LAND);
        }
        e.mv().visitVarInsn(LSTORE, BytecodeEmitter.TEMP_A);
    }

    /** The register field's VSR: VR n is VSR 32+n; DQ-form fields are composed (extract), the others raw. */
    private static int register(InsnPattern row, String field, int i) {
        return field.startsWith("v") ? 32 + row.field(field).raw(i)
                : row.hasField("dq") ? (int) row.field(field).extract(i) : row.field(field).raw(i);
    }

    /** Bytes per element of {@code layout}'s accesses. */
    private static int elementSize(Layout layout) {
        return switch (layout) {
            case QUAD, DOUBLEWORDS -> 8;
            case WORDS -> 4;
            case HALFWORDS -> 2;
            case BYTES -> 1;
        };
    }

    /** The entry point of an access of {@code size} bytes. */
    private static String entry(String kind, int size, boolean le) {
        return size == 1 ? kind + "8" : kind + (size * 8) + (le ? "le" : "be");
    }

    /**
     * Pushes the doubleword at TEMP_A + {@code offset}: one 8-byte load, or its elements loaded one by one in
     * ascending address order, each shifted in below the ones before (element 0 is the most significant).
     */
    private static void loadDoubleword(BytecodeEmitter e, int offset, boolean le, Layout layout) {
        int size = elementSize(layout);
        if (size == 8) {
            e.beginMemoryAccess();
            address(e, offset);
            e.endMemoryAccess(entry("load", 8, le), "(" + BytecodeEmitter.CPU_DESC + "J)J");
            return;
        }
        e.mv().visitInsn(LCONST_0);
        for (int k = 0; k < 8; k += size) {
            e.pushInt(8 * size);
            e.mv().visitInsn(LSHL);
            e.beginMemoryAccess();
            address(e, offset + k);
            e.endMemoryAccess(entry("load", size, le), "(" + BytecodeEmitter.CPU_DESC + "J)I");
            e.mv().visitInsn(I2L);
            e.pushLong((1L << (8 * size)) - 1);
            e.mv().visitInsn(LAND);
            e.mv().visitInsn(LOR);
        }
    }

    /** Stores VSR {@code vsr}'s doubleword {@code half} at TEMP_A + {@code offset}, as {@link #loadDoubleword}. */
    private static void storeDoubleword(BytecodeEmitter e, String half, int vsr, int offset, boolean le,
            Layout layout) {
        int size = elementSize(layout);
        for (int k = 0; k < 8; k += size) {
            e.beginMemoryAccess();
            address(e, offset + k);
            e.loadCpu();
            e.mv().visitFieldInsn(GETFIELD, BytecodeEmitter.CPU, half, "[J");
            e.pushInt(vsr);
            e.mv().visitInsn(LALOAD);
            if (size < 8) {
                e.pushInt(64 - 8 * (size + k)); // the entry point stores the value's low bytes
                e.mv().visitInsn(LUSHR);
            }
            e.endMemoryAccess(entry("store", size, le), "(" + BytecodeEmitter.CPU_DESC + "JJ)V");
        }
    }

    /** Pushes TEMP_A + {@code offset}. */
    private static void address(BytecodeEmitter e, int offset) {
        e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_A);
        if (offset != 0) {
            e.pushLong(offset);
            e.mv().visitInsn(LADD);
        }
    }

    /** Pops a long into {@code half}[{@code vsr}], by way of TEMP_B. */
    private static void storeHalf(BytecodeEmitter e, String half, int vsr) {
        e.mv().visitVarInsn(LSTORE, BytecodeEmitter.TEMP_B);
        e.loadCpu();
        e.mv().visitFieldInsn(GETFIELD, BytecodeEmitter.CPU, half, "[J");
        e.pushInt(vsr);
        e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_B);
        e.mv().visitInsn(LASTORE);
    }

    private static void access(EmitterTable t, String name, String field, boolean load, Layout layout,
            boolean alignQuad) {
        t.bind(name, (e, row, i) -> {
            int vsr = register(row, field, i);
            effectiveAddress(e, row, i, alignQuad);
            // Byte reversal of the 8-byte accesses: all but lxvb16x/stxvb16x follow MSR[LE]. A little-endian
            // quadword puts the doubleword at EA into the VSR's low half.
            boolean le = e.littleEndian() && layout != Layout.BYTES;
            boolean swapped = le && layout == Layout.QUAD;
            String first = swapped ? "vsrLo" : "vsrHi";
            String second = swapped ? "vsrHi" : "vsrLo";
            if (load) {
                // The doubleword at EA is held while the one at EA+8 is loaded: nothing is written if either
                // faults. The target array and index go on the stack first, the second value last.
                loadDoubleword(e, 0, le, layout);
                e.mv().visitVarInsn(LSTORE, BytecodeEmitter.TEMP_B);
                e.loadCpu();
                e.mv().visitFieldInsn(GETFIELD, BytecodeEmitter.CPU, second, "[J");
                e.pushInt(vsr);
                loadDoubleword(e, 8, le, layout);
                e.mv().visitInsn(LASTORE);
                e.loadCpu();
                e.mv().visitFieldInsn(GETFIELD, BytecodeEmitter.CPU, first, "[J");
                e.pushInt(vsr);
                e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_B);
                e.mv().visitInsn(LASTORE);
            } else {
                storeDoubleword(e, first, vsr, 0, le, layout);
                storeDoubleword(e, second, vsr, 8, le, layout);
            }
            return true;
        });
    }
}
