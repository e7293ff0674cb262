package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.interp.XerArithmetic;
import dev.pvm.engine.cpu.isa.Field;
import dev.pvm.engine.cpu.isa.InsnPattern;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Inline bytecode for the hot fixed-point rows (Book I 3.3.9-3.3.13): add/subtract, the carrying adds, logical
 * operations, compares, sign extension, count leading and trailing zeros, population count, multiplies, isel.
 * Other forms that set OV (OE=1) fall back to the interpreter's semantics (the carrying adds call its
 * {@link XerArithmetic#add}).
 */
final class FixedPointEmitters implements Opcodes {

    private FixedPointEmitters() {
    }

    static void bind(EmitterTable t) {
        t.bind("ADDI", (e, row, i) -> {
            e.loadGprOrZero(row.field("ra").raw(i));
            e.pushLong(row.field("si").extract(i));
            e.mv().visitInsn(LADD);
            e.storeGpr(row.field("rt").raw(i));
            return true;
        });
        t.bind("ADDIS", (e, row, i) -> {
            e.loadGprOrZero(row.field("ra").raw(i));
            e.pushLong((long) row.field("si").extract(i) << 16);
            e.mv().visitInsn(LADD);
            e.storeGpr(row.field("rt").raw(i));
            return true;
        });
        xoBinary(t, "ADD", mv -> mv.visitInsn(LADD), false);
        xoBinary(t, "SUBF", mv -> mv.visitInsn(LSUB), true);
        xoBinary(t, "MULLD", mv -> mv.visitInsn(LMUL), false);
        t.bind("NEG", (e, row, i) -> {
            if (row.field("oe").raw(i) != 0) {
                return false; // OV: the interpreter's semantics
            }
            int rt = row.field("rt").raw(i);
            e.loadGpr(row.field("ra").raw(i));
            e.mv().visitInsn(LNEG);
            e.storeGpr(rt);
            record(e, row, i, rt);
            return true;
        });
        logical(t, "AND", LAND);
        logical(t, "OR", LOR);
        logical(t, "XOR", LXOR);
        logicalComplemented(t, "ANDC", LAND, false, true);
        logicalComplemented(t, "ORC", LOR, false, true);
        logicalComplemented(t, "NAND", LAND, true, false);
        logicalComplemented(t, "NOR", LOR, true, false);
        logicalComplemented(t, "EQV", LXOR, true, false);
        xoBinary(t, "MULLW", mv -> {
            // Both operands' low words, sign-extended: the 64-bit product (Book I 3.3.9).
            mv.visitVarInsn(LSTORE, BytecodeEmitter.TEMP_B);
            mv.visitInsn(L2I);
            mv.visitInsn(I2L);
            mv.visitVarInsn(LLOAD, BytecodeEmitter.TEMP_B);
            mv.visitInsn(L2I);
            mv.visitInsn(I2L);
            mv.visitInsn(LMUL);
        }, false);
        xoBinary(t, "MULHD", mv -> mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "multiplyHigh", "(JJ)J",
                false), false);
        xoBinary(t, "MULHDU", mv -> mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "unsignedMultiplyHigh",
                "(JJ)J", false), false);
        for (String[] div : new String[][] {{"DIVD", "divideDoubleword"}, {"DIVDU", "divideDoublewordUnsigned"},
            {"DIVW", "divideWord"}, {"DIVWU", "divideWordUnsigned"}}) {
            xoBinary(t, div[0], mv -> mv.visitMethodInsn(INVOKESTATIC, BytecodeEmitter.OPS, div[1], "(JJ)J", false),
                    false);
        }
        t.bind("MULLI", (e, row, i) -> {
            e.loadGpr(row.field("ra").raw(i));
            e.pushLong(row.field("si").extract(i));
            e.mv().visitInsn(LMUL);
            e.storeGpr(row.field("rt").raw(i));
            return true;
        });
        carrying(t, "ADDC", false, Addend.RB, false);
        carrying(t, "ADDE", false, Addend.RB, true);
        carrying(t, "ADDME", false, Addend.MINUS_ONE, true);
        carrying(t, "ADDZE", false, Addend.ZERO, true);
        carrying(t, "SUBFC", true, Addend.RB, false);
        carrying(t, "SUBFE", true, Addend.RB, true);
        carrying(t, "SUBFME", true, Addend.MINUS_ONE, true);
        carrying(t, "SUBFZE", true, Addend.ZERO, true);
        for (String name : new String[] {"ADDIC", "ADDIC.", "SUBFIC"}) {
            t.bind(name, (e, row, i) -> {
                boolean subtractFrom = name.equals("SUBFIC");
                int rt = row.field("rt").raw(i);
                e.loadGpr(row.field("ra").raw(i));
                if (subtractFrom) {
                    e.pushLong(-1);
                    e.mv().visitInsn(LXOR);
                }
                e.pushLong(row.field("si").extract(i));
                carryingAdd(e, rt, subtractFrom ? CarryIn.ONE : CarryIn.ZERO);
                if (name.endsWith(".")) {
                    e.recordCr0(rt);
                }
                return true;
            });
        }
        immediate(t, "ORI", LOR, 0, false);
        immediate(t, "ORIS", LOR, 16, false);
        immediate(t, "XORI", LXOR, 0, false);
        immediate(t, "XORIS", LXOR, 16, false);
        immediate(t, "ANDI.", LAND, 0, true);
        immediate(t, "ANDIS.", LAND, 16, true);
        unary(t, "EXTSW", mv -> {
            mv.visitInsn(L2I);
            mv.visitInsn(I2L);
        });
        unary(t, "EXTSH", mv -> {
            mv.visitInsn(L2I);
            mv.visitInsn(I2S);
            mv.visitInsn(I2L);
        });
        unary(t, "EXTSB", mv -> {
            mv.visitInsn(L2I);
            mv.visitInsn(I2B);
            mv.visitInsn(I2L);
        });
        unary(t, "CNTLZD", mv -> {
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "numberOfLeadingZeros", "(J)I", false);
            mv.visitInsn(I2L);
        });
        unary(t, "CNTLZW", mv -> {
            mv.visitInsn(L2I);
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "numberOfLeadingZeros", "(I)I", false);
            mv.visitInsn(I2L);
        });
        unary(t, "CNTTZW", mv -> {
            mv.visitInsn(L2I);
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "numberOfTrailingZeros", "(I)I", false);
            mv.visitInsn(I2L);
        });
        unary(t, "CNTTZD", mv -> {
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "numberOfTrailingZeros", "(J)I", false);
            mv.visitInsn(I2L);
        });
        unary(t, "POPCNTD", mv -> {
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "bitCount", "(J)I", false);
            mv.visitInsn(I2L);
        });
        // cmpb: the interpreter's own byte compare, a pure function of RS and RB.
        t.bind("CMPB", (e, row, i) -> {
            e.loadGpr(row.field("rs").raw(i));
            e.loadGpr(row.field("rb").raw(i));
            e.callStatic(BytecodeEmitter.OPS, "compareBytes", "(JJ)J");
            e.storeGpr(row.field("ra").raw(i));
            return true;
        });
        compare(t, "CMP", true, false);
        compare(t, "CMPL", false, false);
        compare(t, "CMPI", true, true);
        compare(t, "CMPLI", false, true);
        t.bind("ISEL", (e, row, i) -> {
            int bc = row.field("bc").raw(i);
            Label other = new Label();
            Label done = new Label();
            e.loadCr();
            e.pushInt(1 << (31 - bc));
            e.mv().visitInsn(IAND);
            e.mv().visitJumpInsn(IFEQ, other);
            e.loadGprOrZero(row.field("ra").raw(i));
            e.mv().visitJumpInsn(GOTO, done);
            e.mv().visitLabel(other);
            e.loadGpr(row.field("rb").raw(i));
            e.mv().visitLabel(done);
            e.storeGpr(row.field("rt").raw(i));
            return true;
        });
    }

    static final String XER_ARITHMETIC = Type.getInternalName(XerArithmetic.class);
    private static final String ADD_DESC = "(" + BytecodeEmitter.CPU_DESC + "JJIZZ)J";

    private enum Addend { RB, MINUS_ONE, ZERO }

    /**
     * The adds that set CA: (RA or its complement) + addend + carry in. OE=1 (which sets OV too) goes through the
     * interpreter's own {@link XerArithmetic#add}; the rest is inline ({@link #carryingAdd}).
     *
     * @param extended the carry in is CA (else 1 for "subtract from", 0 for add)
     */
    private static void carrying(EmitterTable t, String name, boolean subtractFrom, Addend addend,
            boolean extended) {
        t.bind(name, (e, row, i) -> {
            int rt = row.field("rt").raw(i);
            boolean overflow = row.field("oe").raw(i) != 0;
            if (overflow) {
                e.loadCpu();
            }
            e.loadGpr(row.field("ra").raw(i));
            if (subtractFrom) {
                e.pushLong(-1);
                e.mv().visitInsn(LXOR);
            }
            switch (addend) {
                case RB -> e.loadGpr(row.field("rb").raw(i));
                case MINUS_ONE -> e.pushLong(-1);
                case ZERO -> e.pushLong(0);
            }
            CarryIn carryIn = extended ? CarryIn.CA : subtractFrom ? CarryIn.ONE : CarryIn.ZERO;
            if (overflow) {
                if (extended) {
                    e.loadCpu();
                    e.mv().visitFieldInsn(GETFIELD, BytecodeEmitter.CPU, "ca", "I");
                } else {
                    e.pushInt(carryIn == CarryIn.ONE ? 1 : 0);
                }
                e.pushInt(1);
                e.pushInt(1);
                e.callStatic(XER_ARITHMETIC, "add", ADD_DESC);
                e.storeGpr(rt);
            } else {
                carryingAdd(e, rt, carryIn);
            }
            record(e, row, i, rt);
            return true;
        });
    }

    private enum CarryIn { ZERO, ONE, CA }

    /**
     * rt = x + y + carry in, with x and y on the stack, setting CA and CA32 the way {@link XerArithmetic#add}
     * does in 64-bit mode (units are translated for MSR[SF]=1 only): CA is the carry out of bit 0, the full
     * adder's {@code (x & y) | ((x | y) & ~r)} in the sign bit; CA32 the carry into bit 32, which is bit 32 of
     * {@code x ^ y ^ r}. Inline rather than a call: C1, which compiles a boot's units, inlines no method this
     * large, and the kernel's multi-precision arithmetic (RSA signature checks at boot) is mostly these.
     */
    private static void carryingAdd(BytecodeEmitter e, int rt, CarryIn carryIn) {
        MethodVisitor mv = e.mv();
        int x = BytecodeEmitter.TEMP_A;
        int y = BytecodeEmitter.TEMP_B;
        mv.visitVarInsn(LSTORE, y);
        mv.visitVarInsn(LSTORE, x);
        mv.visitVarInsn(LLOAD, x);
        mv.visitVarInsn(LLOAD, y);
        mv.visitInsn(LADD);
        switch (carryIn) {
            case ZERO -> { }
            case ONE -> {
                mv.visitInsn(LCONST_1);
                mv.visitInsn(LADD);
            }
            case CA -> {
                e.loadCpu();
                mv.visitFieldInsn(GETFIELD, BytecodeEmitter.CPU, "ca", "I");
                mv.visitInsn(I2L);
                mv.visitInsn(LADD);
            }
        }
        // rt may be x's or y's register: both are in the temporaries by now.
        e.storeGpr(rt);
        e.loadCpu();
        mv.visitVarInsn(LLOAD, x);
        mv.visitVarInsn(LLOAD, y);
        mv.visitInsn(LAND);
        mv.visitVarInsn(LLOAD, x);
        mv.visitVarInsn(LLOAD, y);
        mv.visitInsn(LOR);
        e.loadGpr(rt);
        e.pushLong(-1);
        mv.visitInsn(LXOR);
        mv.visitInsn(LAND);
        mv.visitInsn(LOR);
        e.pushInt(63);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);
        mv.visitFieldInsn(PUTFIELD, BytecodeEmitter.CPU, "ca", "I");
        e.loadCpu();
        mv.visitVarInsn(LLOAD, x);
        mv.visitVarInsn(LLOAD, y);
        mv.visitInsn(LXOR);
        e.loadGpr(rt);
        mv.visitInsn(LXOR);
        e.pushInt(32);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IAND);
        mv.visitFieldInsn(PUTFIELD, BytecodeEmitter.CPU, "ca32", "I");
    }

    /** rs OP rb with one side complemented: ANDC, ORC ({@code complementRb}); NAND, NOR, EQV (the result). */
    private static void logicalComplemented(EmitterTable t, String name, int opcode, boolean complementResult,
            boolean complementRb) {
        t.bind(name, (e, row, i) -> {
            int ra = row.field("ra").raw(i);
            e.loadGpr(row.field("rs").raw(i));
            e.loadGpr(row.field("rb").raw(i));
            if (complementRb) {
                e.pushLong(-1);
                e.mv().visitInsn(LXOR);
            }
            e.mv().visitInsn(opcode);
            if (complementResult) {
                e.pushLong(-1);
                e.mv().visitInsn(LXOR);
            }
            e.storeGpr(ra);
            record(e, row, i, ra);
            return true;
        });
    }

    /** Rc=1: CR0 from the result in {@code r}. */
    static void record(BytecodeEmitter e, InsnPattern row, int insn, int r) {
        if (row.hasField("rc") && row.field("rc").raw(insn) != 0) {
            e.recordCr0(r);
        }
    }

    /** rt = ra OP rb (or rb OP ra for "subtract from"); OE=1 falls back (it sets OV). */
    private static void xoBinary(EmitterTable t, String name, java.util.function.Consumer<MethodVisitor> op,
            boolean reversed) {
        t.bind(name, (e, row, i) -> {
            if (row.hasField("oe") && row.field("oe").raw(i) != 0) {
                return false;
            }
            int rt = row.field("rt").raw(i);
            int ra = row.field("ra").raw(i);
            int rb = row.field("rb").raw(i);
            e.loadGpr(reversed ? rb : ra);
            e.loadGpr(reversed ? ra : rb);
            op.accept(e.mv());
            e.storeGpr(rt);
            record(e, row, i, rt);
            return true;
        });
    }

    private static void logical(EmitterTable t, String name, int opcode) {
        t.bind(name, (e, row, i) -> {
            int ra = row.field("ra").raw(i);
            e.loadGpr(row.field("rs").raw(i));
            e.loadGpr(row.field("rb").raw(i));
            e.mv().visitInsn(opcode);
            e.storeGpr(ra);
            record(e, row, i, ra);
            return true;
        });
    }

    private static void immediate(EmitterTable t, String name, int opcode, int shift, boolean alwaysRecord) {
        t.bind(name, (e, row, i) -> {
            int ra = row.field("ra").raw(i);
            e.loadGpr(row.field("rs").raw(i));
            e.pushLong((long) row.field("ui").raw(i) << shift);
            e.mv().visitInsn(opcode);
            e.storeGpr(ra);
            if (alwaysRecord) {
                e.recordCr0(ra);
            }
            return true;
        });
    }

    private static void unary(EmitterTable t, String name, java.util.function.Consumer<MethodVisitor> op) {
        t.bind(name, (e, row, i) -> {
            int ra = row.field("ra").raw(i);
            e.loadGpr(row.field("rs").raw(i));
            op.accept(e.mv());
            e.storeGpr(ra);
            record(e, row, i, ra);
            return true;
        });
    }

    /** Compares: L=0 compares the low words (sign- or zero-extended), L=1 the doublewords (Book I 3.3.10). */
    private static void compare(EmitterTable t, String name, boolean signed, boolean immediate) {
        t.bind(name, (e, row, i) -> {
            boolean doubleword = row.field("l").raw(i) != 0;
            e.loadGpr(row.field("ra").raw(i));
            extend(e, doubleword, signed);
            if (immediate) {
                long v = signed ? row.field("si").extract(i) : row.field("ui").raw(i);
                e.pushLong(v);
            } else {
                e.loadGpr(row.field("rb").raw(i));
                extend(e, doubleword, signed);
            }
            e.callStatic(BytecodeEmitter.OPS, signed ? "compareSigned" : "compareUnsigned", "(JJ)I");
            e.setCrFieldWithSo(row.field("bf").raw(i));
            return true;
        });
    }

    private static void extend(BytecodeEmitter e, boolean doubleword, boolean signed) {
        if (doubleword) {
            return;
        }
        if (signed) {
            e.mv().visitInsn(L2I);
            e.mv().visitInsn(I2L);
        } else {
            e.pushLong(0xFFFF_FFFFL);
            e.mv().visitInsn(LAND);
        }
    }

    /** The GPR numbers a row's operands name (for deciding which registers live in locals). */
    static void registersOf(InsnPattern row, int insn, boolean[] out) {
        for (String name : new String[] {"rt", "rs", "ra", "rb"}) {
            if (row.hasField(name)) {
                Field f = row.field(name);
                out[f.raw(insn)] = true;
            }
        }
    }
}
