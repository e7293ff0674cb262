package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.isa.Field;
import dev.pvm.engine.cpu.isa.InsnPattern;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Inline bytecode for the hot fixed-point rows (Book I 3.3.9-3.3.13): add/subtract without carry, logical
 * operations, compares, sign extension, count leading zeros, population count, multiply low, isel. Forms that
 * set OV or CA (OE=1, carrying adds) fall back to the interpreter's semantics.
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
                return false;
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
        unary(t, "POPCNTD", mv -> {
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "bitCount", "(J)I", false);
            mv.visitInsn(I2L);
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
            if (row.field("oe").raw(i) != 0) {
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
