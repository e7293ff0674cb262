package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.runtime.VectorOps;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The VMX/VSX element, permute and compare rows as calls to {@link VectorOps}: a handful of bytecodes
 * per instruction (the unit stays small) to a static helper HotSpot inlines, touching no guest register kept in
 * a local, so nothing is spilled around it (the interpreter fallback spills, reloads and allocates). Record-form
 * compares write CR6 in the unit's CR local (Book I 6.9.3).
 */
final class VectorOpsEmitters implements Opcodes {

    private static final String OPS = Type.getInternalName(VectorOps.class);
    private static final String DESC_TAB = "(" + BytecodeEmitter.CPU_DESC + "IIII)V";
    private static final String DESC_COMPARE = "(" + BytecodeEmitter.CPU_DESC + "IIII)I";
    private static final String[] SIZES = {"B", "H", "W", "D"};

    private VectorOpsEmitters() {
    }

    private static int bits(String size) {
        return switch (size) {
            case "B" -> 8;
            case "H" -> 16;
            case "W" -> 32;
            default -> 64;
        };
    }

    /** The VSR a VMX field ({@code vr*}: VSR 32+n) or VSX field ({@code x*}) names. */
    private static int vsr(InsnPattern row, String field, int insn) {
        return (field.startsWith("v") ? 32 : 0) + row.field(field).raw(insn);
    }

    /** Pushes the CPU and the VSR numbers of {@code fields}. */
    private static void operands(BytecodeEmitter e, InsnPattern row, int insn, String... fields) {
        e.loadCpu();
        for (String f : fields) {
            e.pushInt(vsr(row, f, insn));
        }
    }

    /** Binds {@code name} to helper {@code method}(cpu, T, A, B, {@code extra}) for a VX/XX3-form row. */
    private static void binary(EmitterTable t, String name, String method, int extra) {
        t.bind(name, (e, row, i) -> {
            boolean vmx = row.hasField("vrt");
            operands(e, row, i, vmx ? "vrt" : "xt", vmx ? "vra" : "xa", vmx ? "vrb" : "xb");
            e.pushInt(extra);
            e.callStatic(OPS, method, DESC_TAB);
            return true;
        });
    }

    /** As {@link #binary} with a boolean last argument. */
    private static void binaryFlag(EmitterTable t, String name, String method, int extra, boolean flag) {
        t.bind(name, (e, row, i) -> {
            boolean vmx = row.hasField("vrt");
            operands(e, row, i, vmx ? "vrt" : "xt", vmx ? "vra" : "xa", vmx ? "vrb" : "xb");
            e.pushInt(extra);
            e.pushInt(flag ? 1 : 0);
            e.callStatic(OPS, method, "(" + BytecodeEmitter.CPU_DESC + "IIIIZ)V");
            return true;
        });
    }

    private static void unary(EmitterTable t, String name, String method, int bits) {
        t.bind(name, (e, row, i) -> {
            operands(e, row, i, "vrt", "vrb");
            e.pushInt(bits);
            e.callStatic(OPS, method, "(" + BytecodeEmitter.CPU_DESC + "III)V");
            return true;
        });
    }

    /** A vcmp* row: the helper returns CR6's value, written to CR field 6 by the record form. */
    private static void compare(EmitterTable t, String name, String method, int bits) {
        t.bind(name, (e, row, i) -> {
            operands(e, row, i, "vrt", "vra", "vrb");
            e.pushInt(bits);
            e.callStatic(OPS, method, DESC_COMPARE);
            if (row.field("rc").raw(i) != 0) {
                // CR6 is CR bits 24:27, the int's bits 7:4.
                e.pushInt(4);
                e.mv().visitInsn(ISHL);
                e.loadCr();
                e.pushInt(~0xF0);
                e.mv().visitInsn(IAND);
                e.mv().visitInsn(IOR);
                e.storeCr();
            } else {
                e.mv().visitInsn(POP);
            }
            return true;
        });
    }

    static void bind(EmitterTable t) {
        for (String size : SIZES) {
            int bits = bits(size);
            binary(t, "VADDU" + size + "M", "addModulo", bits);
            binary(t, "VSUBU" + size + "M", "subtractModulo", bits);
            binary(t, "VMINU" + size, "minUnsigned", bits);
            binary(t, "VMAXU" + size, "maxUnsigned", bits);
            binary(t, "VMINS" + size, "minSigned", bits);
            binary(t, "VMAXS" + size, "maxSigned", bits);
            binary(t, "VSL" + size, "shiftLeftEach", bits);
            binary(t, "VSR" + size, "shiftRightEach", bits);
            binary(t, "VSRA" + size, "shiftRightAlgebraicEach", bits);
            binary(t, "VRL" + size, "rotateEach", bits);
            compare(t, "VCMPEQU" + size, "compareEqual", bits);
            compare(t, "VCMPGTU" + size, "compareGreaterUnsigned", bits);
            compare(t, "VCMPGTS" + size, "compareGreaterSigned", bits);
            if (bits < 64) {
                compare(t, "VCMPNE" + size, "compareNotEqual", bits);
                compare(t, "VCMPNEZ" + size, "compareNotEqualOrZero", bits);
                binaryFlag(t, "VMRGH" + size, "merge", bits, false);
                binaryFlag(t, "VMRGL" + size, "merge", bits, true);
            }
            unary(t, "VCLZ" + size, "countLeadingZerosEach", bits);
            unary(t, "VCTZ" + size, "countTrailingZerosEach", bits);
            unary(t, "VPOPCNT" + size, "populationCountEach", bits);
        }
        binaryFlag(t, "XXMRGHW", "merge", 32, false);
        binaryFlag(t, "XXMRGLW", "merge", 32, true);
        binaryFlag(t, "VSL", "shiftQuad", 7, true);
        binaryFlag(t, "VSR", "shiftQuad", 7, false);
        binaryFlag(t, "VSLO", "shiftQuad", 0x78, true);
        binaryFlag(t, "VSRO", "shiftQuad", 0x78, false);
        for (String name : new String[] {"VMRGEW", "VMRGOW"}) {
            t.bind(name, (e, row, i) -> {
                operands(e, row, i, "vrt", "vra", "vrb");
                e.pushInt(name.equals("VMRGOW") ? 1 : 0);
                e.callStatic(OPS, "mergeWords", "(" + BytecodeEmitter.CPU_DESC + "IIIZ)V");
                return true;
            });
        }
        bindPermutes(t);
        t.bind("VGBBD", (e, row, i) -> {
            operands(e, row, i, "vrt", "vrb");
            e.callStatic(OPS, "gatherBitsByBytes", "(" + BytecodeEmitter.CPU_DESC + "II)V");
            return true;
        });
        t.bind("VBPERMQ", (e, row, i) -> {
            operands(e, row, i, "vrt", "vra", "vrb");
            e.callStatic(OPS, "bitPermuteQuad", "(" + BytecodeEmitter.CPU_DESC + "III)V");
            return true;
        });
        for (String name : new String[] {"VCLZLSBB", "VCTZLSBB"}) {
            t.bind(name, (e, row, i) -> {
                operands(e, row, i, "vrb");
                e.pushInt(name.equals("VCTZLSBB") ? 1 : 0);
                e.callStatic(OPS, "countLsbZeroBytes", "(" + BytecodeEmitter.CPU_DESC + "IZ)J");
                e.storeGpr(row.field("rt").raw(i));
                return true;
            });
        }
        // lvsl/lvsr (Book I 6.7.3): no storage access, only the EA's low four bits.
        for (String name : new String[] {"LVSL", "LVSR"}) {
            t.bind(name, (e, row, i) -> {
                operands(e, row, i, "vrt");
                e.loadGprOrZero(row.field("ra").raw(i));
                e.loadGpr(row.field("rb").raw(i));
                e.mv().visitInsn(LADD);
                e.mv().visitInsn(L2I);
                e.pushInt(15);
                e.mv().visitInsn(IAND);
                if (name.equals("LVSR")) {
                    e.pushInt(16);
                    e.mv().visitInsn(SWAP);
                    e.mv().visitInsn(ISUB);
                }
                e.callStatic(OPS, "shiftControl", "(" + BytecodeEmitter.CPU_DESC + "II)V");
                return true;
            });
        }
    }

    private static void bindPermutes(EmitterTable t) {
        String permuteDesc = "(" + BytecodeEmitter.CPU_DESC + "IIIIZ)V";
        for (String name : new String[] {"VPERM", "VPERMR"}) {
            t.bind(name, (e, row, i) -> {
                operands(e, row, i, "vrt", "vra", "vrb", "vrc");
                e.pushInt(name.equals("VPERMR") ? 1 : 0);
                e.callStatic(OPS, "permute", permuteDesc);
                return true;
            });
        }
        // xxperm XT,XA,XB: the sources are XA||XT, the permute control XB (Book I 7.6.1.12).
        for (String name : new String[] {"XXPERM", "XXPERMR"}) {
            t.bind(name, (e, row, i) -> {
                operands(e, row, i, "xt", "xa", "xt", "xb");
                e.pushInt(name.equals("XXPERMR") ? 1 : 0);
                e.callStatic(OPS, "permute", permuteDesc);
                return true;
            });
        }
        t.bind("VPERMXOR", (e, row, i) -> {
            operands(e, row, i, "vrt", "vra", "vrb", "vrc");
            e.callStatic(OPS, "permuteXor", "(" + BytecodeEmitter.CPU_DESC + "IIII)V");
            return true;
        });
        t.bind("VSLDOI", (e, row, i) -> {
            operands(e, row, i, "vrt", "vra", "vrb");
            e.pushInt(row.field("shb").raw(i));
            e.callStatic(OPS, "shiftDoubleByOctets", DESC_TAB);
            return true;
        });
        t.bind("XXSLDWI", (e, row, i) -> {
            operands(e, row, i, "xt", "xa", "xb");
            e.pushInt(4 * row.field("shw").raw(i));
            e.callStatic(OPS, "shiftDoubleByOctets", DESC_TAB);
            return true;
        });
    }
}
