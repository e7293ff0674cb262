package dev.pvm.engine.cpu.translate;

import org.objectweb.asm.Opcodes;

/**
 * Inline bytecode for the VMX/VSX rows glibc's string and memory routines run most (Book I 6.8-6.9, 7.6): the
 * 128-bit logical operations, selects, xxpermdi, element and immediate splats and the GPR/VSR moves, each working on
 * {@code CpuState.vsrHi}/{@code vsrLo} directly (VR n is VSR 32+n). The unit is translated for MSR[VEC] and
 * MSR[VSX] set ({@link BlockTranslator#inlinable}), so no availability check is needed here.
 */
final class VectorEmitters implements Opcodes {

    private static final String HI = "vsrHi";
    private static final String LO = "vsrLo";

    private VectorEmitters() {
    }

    /** A logical operation on one doubleword pair: the complements applied around {@code opcode}. */
    private record Logical(String vmx, String vsx, int opcode, boolean complementB, boolean complementResult) {
    }

    static void bind(EmitterTable t) {
        for (Logical l : new Logical[] {
            new Logical("VAND", "XXLAND", LAND, false, false),
            new Logical("VANDC", "XXLANDC", LAND, true, false),
            new Logical("VOR", "XXLOR", LOR, false, false),
            new Logical("VXOR", "XXLXOR", LXOR, false, false),
            new Logical("VNOR", "XXLNOR", LOR, false, true),
            new Logical("VORC", "XXLORC", LOR, true, false),
            new Logical("VNAND", "XXLNAND", LAND, false, true),
            new Logical("VEQV", "XXLEQV", LXOR, false, true)}) {
            for (String name : new String[] {l.vmx(), l.vsx()}) {
                t.bind(name, (e, row, i) -> {
                    int base = name.equals(l.vmx()) ? 32 : 0;
                    int target = base + row.field(base == 32 ? "vrt" : "xt").raw(i);
                    int a = base + row.field(base == 32 ? "vra" : "xa").raw(i);
                    int b = base + row.field(base == 32 ? "vrb" : "xb").raw(i);
                    // Each doubleword only reads the same doubleword of A and B: no temporary is needed.
                    for (String half : new String[] {HI, LO}) {
                        array(e, half);
                        e.pushInt(target);
                        element(e, half, a);
                        element(e, half, b);
                        if (l.complementB()) {
                            e.pushLong(-1);
                            e.mv().visitInsn(LXOR);
                        }
                        e.mv().visitInsn(l.opcode());
                        if (l.complementResult()) {
                            e.pushLong(-1);
                            e.mv().visitInsn(LXOR);
                        }
                        e.mv().visitInsn(LASTORE);
                    }
                    return true;
                });
            }
        }
        select(t, "VSEL", 32, "vrt", "vra", "vrb", "vrc");
        select(t, "XXSEL", 0, "xt", "xa", "xb", "xc");
        t.bind("XXPERMDI", (e, row, i) -> {
            int dm = row.field("dm").raw(i);
            element(e, (dm & 2) == 0 ? HI : LO, row.field("xa").raw(i));
            e.mv().visitVarInsn(LSTORE, BytecodeEmitter.TEMP_A);
            element(e, (dm & 1) == 0 ? HI : LO, row.field("xb").raw(i));
            e.mv().visitVarInsn(LSTORE, BytecodeEmitter.TEMP_B);
            setPair(e, row.field("xt").raw(i));
            return true;
        });
        for (String name : new String[] {"VSPLTISB", "VSPLTISH", "VSPLTISW"}) {
            int bits = name.equals("VSPLTISB") ? 8 : name.equals("VSPLTISH") ? 16 : 32;
            t.bind(name, (e, row, i) -> splat(e, 32 + row.field("vrt").raw(i), bits, row.field("sim").extract(i)));
        }
        for (String name : new String[] {"VSPLTB", "VSPLTH", "VSPLTW"}) {
            int bits = name.equals("VSPLTB") ? 8 : name.equals("VSPLTH") ? 16 : 32;
            t.bind(name, (e, row, i) -> {
                // Element UIM in big-endian element order (Book I 6.8.5): its doubleword and shift are constants.
                int uim = row.field("uim").raw(i);
                int perDoubleword = 64 / bits;
                element(e, uim < perDoubleword ? HI : LO, 32 + row.field("vrb").raw(i));
                e.pushInt(64 - bits * (uim % perDoubleword + 1));
                e.mv().visitInsn(LUSHR);
                e.pushLong((1L << bits) - 1);
                e.mv().visitInsn(LAND);
                // Times 0x0101..01 (one 1 per element): the element copied into every element, no carries.
                e.pushLong(replicate(1, bits));
                e.mv().visitInsn(LMUL);
                e.mv().visitInsn(DUP2);
                e.mv().visitVarInsn(LSTORE, BytecodeEmitter.TEMP_A);
                e.mv().visitVarInsn(LSTORE, BytecodeEmitter.TEMP_B);
                setPair(e, 32 + row.field("vrt").raw(i));
                return true;
            });
        }
        t.bind("XXSPLTIB", (e, row, i) -> splat(e, row.field("xt").raw(i), 8, row.field("imm8").raw(i)));
        t.bind("MFVSRD", (e, row, i) -> {
            element(e, HI, row.field("xs").raw(i));
            e.storeGpr(row.field("ra").raw(i));
            return true;
        });
        t.bind("MFVSRWZ", (e, row, i) -> {
            element(e, HI, row.field("xs").raw(i));
            e.pushLong(0xFFFF_FFFFL);
            e.mv().visitInsn(LAND);
            e.storeGpr(row.field("ra").raw(i));
            return true;
        });
        t.bind("MFVSRLD", (e, row, i) -> {
            element(e, LO, row.field("xs").raw(i));
            e.storeGpr(row.field("ra").raw(i));
            return true;
        });
        // mtvsrd and mtvsrwz write doubleword 0 only; doubleword 1 is undefined and, as in the interpreter, kept.
        t.bind("MTVSRD", (e, row, i) -> {
            array(e, HI);
            e.pushInt(row.field("xt").raw(i));
            e.loadGpr(row.field("ra").raw(i));
            e.mv().visitInsn(LASTORE);
            return true;
        });
        t.bind("MTVSRWZ", (e, row, i) -> {
            array(e, HI);
            e.pushInt(row.field("xt").raw(i));
            e.loadGpr(row.field("ra").raw(i));
            e.pushLong(0xFFFF_FFFFL);
            e.mv().visitInsn(LAND);
            e.mv().visitInsn(LASTORE);
            return true;
        });
    }

    /** T = (A AND NOT C) OR (B AND C), both doublewords computed before either is written. */
    private static void select(EmitterTable t, String name, int base, String ft, String fa, String fb, String fc) {
        t.bind(name, (e, row, i) -> {
            int a = base + row.field(fa).raw(i);
            int b = base + row.field(fb).raw(i);
            int c = base + row.field(fc).raw(i);
            for (String half : new String[] {HI, LO}) {
                element(e, half, a);
                element(e, half, c);
                e.pushLong(-1);
                e.mv().visitInsn(LXOR);
                e.mv().visitInsn(LAND);
                element(e, half, b);
                element(e, half, c);
                e.mv().visitInsn(LAND);
                e.mv().visitInsn(LOR);
                e.mv().visitVarInsn(LSTORE, half.equals(HI) ? BytecodeEmitter.TEMP_A : BytecodeEmitter.TEMP_B);
            }
            setPair(e, base + row.field(ft).raw(i));
            return true;
        });
    }

    /** {@code value}'s low {@code bits} copied into every element of that width of a doubleword. */
    private static long replicate(long value, int bits) {
        long dw = value & (bits == 64 ? -1L : (1L << bits) - 1);
        for (int w = bits; w < 64; w *= 2) {
            dw |= dw << w;
        }
        return dw;
    }

    /** Every element of width {@code bits} of VSR {@code target} = {@code value}'s low bits. */
    private static boolean splat(BytecodeEmitter e, int target, int bits, long value) {
        long dw = replicate(value, bits);
        for (String half : new String[] {HI, LO}) {
            array(e, half);
            e.pushInt(target);
            e.pushLong(dw);
            e.mv().visitInsn(LASTORE);
        }
        return true;
    }

    /** VSR {@code target} = (TEMP_A, TEMP_B). */
    private static void setPair(BytecodeEmitter e, int target) {
        array(e, HI);
        e.pushInt(target);
        e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_A);
        e.mv().visitInsn(LASTORE);
        array(e, LO);
        e.pushInt(target);
        e.mv().visitVarInsn(LLOAD, BytecodeEmitter.TEMP_B);
        e.mv().visitInsn(LASTORE);
    }

    private static void array(BytecodeEmitter e, String half) {
        e.loadCpu();
        e.mv().visitFieldInsn(GETFIELD, BytecodeEmitter.CPU, half, "[J");
    }

    private static void element(BytecodeEmitter e, String half, int vsr) {
        array(e, half);
        e.pushInt(vsr);
        e.mv().visitInsn(LALOAD);
    }
}
