package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.runtime.VectorOps;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Inline VMX and VSX vector loads and stores (Book I 6.7.2, 7.6.1.1-7.6.1.3) as two 8-byte accesses through the
 * unit memory's entry points, at EA then EA+8 as the interpreter makes them, so a fault leaves the same state:
 * the EA is computed into a temporary, the first doubleword loaded is held in another, and the target VSR is
 * written only after both loads.
 *
 * <p>Byte order (Book I 6.7.1, 7.3.1): a quadword access (lvx, lxvx, lxv) moves the 16 bytes as one value, so in
 * little-endian mode the doubleword at EA is the VSR's low one, byte-reversed; the element forms load each
 * element in the current byte order into ascending elements: a little-endian doubleword with its words
 * (lxvw4x) or halfwords (lxvh8x) put back in element order; lxvb16x moves bytes in memory order.
 */
final class VectorLoadStoreEmitters implements Opcodes {

    private static final String OPS = Type.getInternalName(VectorOps.class);

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

    /** Pushes the doubleword at TEMP_A + {@code offset}, in element order for {@code layout}. */
    private static void loadDoubleword(BytecodeEmitter e, int offset, boolean le, Layout layout) {
        e.beginMemoryAccess();
        e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_A);
        if (offset != 0) {
            e.pushLong(offset);
            e.mv().visitInsn(LADD);
        }
        e.endMemoryAccess(le ? "load64le" : "load64be", "(" + BytecodeEmitter.CPU_DESC + "J)J");
        reorder(e, le, layout);
    }

    /** A little-endian doubleword's words or halfwords back in element order (its own inverse). */
    private static void reorder(BytecodeEmitter e, boolean le, Layout layout) {
        if (le && layout == Layout.WORDS) {
            e.callStatic(OPS, "swapWords", "(J)J");
        } else if (le && layout == Layout.HALFWORDS) {
            e.callStatic(OPS, "reverseHalfwords", "(J)J");
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
                for (int k = 0; k < 2; k++) {
                    e.beginMemoryAccess();
                    e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_A);
                    if (k == 1) {
                        e.pushLong(8);
                        e.mv().visitInsn(LADD);
                    }
                    e.loadCpu();
                    e.mv().visitFieldInsn(GETFIELD, BytecodeEmitter.CPU, k == 0 ? first : second, "[J");
                    e.pushInt(vsr);
                    e.mv().visitInsn(LALOAD);
                    reorder(e, le, layout);
                    e.endMemoryAccess(le ? "store64le" : "store64be", "(" + BytecodeEmitter.CPU_DESC + "JJ)V");
                }
            }
            return true;
        });
    }
}
