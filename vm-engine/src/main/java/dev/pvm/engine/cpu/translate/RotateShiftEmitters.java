package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.runtime.TranslatedOps;
import org.objectweb.asm.Opcodes;

/**
 * Inline bytecode for the rotates and shifts (Book I 3.3.14): immediate rotates with their masks computed at
 * translation time, rotates by register, the insert forms, word and doubleword shifts, and the algebraic
 * shifts, which set CA through the interpreter's own helpers.
 */
final class RotateShiftEmitters implements Opcodes {

    private RotateShiftEmitters() {
    }

    static void bind(EmitterTable t) {
        t.bind("RLWINM", (e, row, i) -> {
            int ra = row.field("ra").raw(i);
            int mb = row.field("mb").raw(i);
            int me = row.field("me").raw(i);
            rotateWord(e, row.field("rs").raw(i), row.field("sh").raw(i), mb, me);
            e.pushLong(TranslatedOps.mask(mb + 32, me + 32));
            e.mv().visitInsn(LAND);
            e.storeGpr(ra);
            FixedPointEmitters.record(e, row, i, ra);
            return true;
        });
        t.bind("RLDICL", (e, row, i) -> rotateDouble(e, row, i, TranslatedOps.mask(row.field("mb").raw(i), 63)));
        t.bind("RLDICR", (e, row, i) -> rotateDouble(e, row, i, TranslatedOps.mask(0, row.field("me").raw(i))));
        t.bind("SRADI", (e, row, i) -> {
            int ra = row.field("ra").raw(i);
            int rs = row.field("rs").raw(i);
            int sh = row.field("sh").raw(i);
            // CA and CA32 first (RS may be RA): both are the carry in 64-bit mode (Book I 3.3.14.2).
            e.loadCpu();
            e.loadGpr(rs);
            e.pushInt(sh);
            e.callStatic(BytecodeEmitter.OPS, "sradCarry", "(JI)I");
            e.mv().visitInsn(DUP_X1);
            e.mv().visitFieldInsn(PUTFIELD, "dev/pvm/engine/cpu/CpuState", "ca", "I");
            e.loadCpu();
            e.mv().visitInsn(SWAP);
            e.mv().visitFieldInsn(PUTFIELD, "dev/pvm/engine/cpu/CpuState", "ca32", "I");
            e.loadGpr(rs);
            e.pushInt(sh);
            e.mv().visitInsn(LSHR);
            e.storeGpr(ra);
            FixedPointEmitters.record(e, row, i, ra);
            return true;
        });
        shift(t, "SLD", LSHL);
        shift(t, "SRD", LUSHR);
        t.bind("RLDIC", (e, row, i) -> {
            int sh = row.field("sh").raw(i);
            return rotateDouble(e, row, i, TranslatedOps.mask(row.field("mb").raw(i), 63 - sh));
        });
        t.bind("RLDIMI", (e, row, i) -> {
            int sh = row.field("sh").raw(i);
            long m = TranslatedOps.mask(row.field("mb").raw(i), 63 - sh);
            int ra = row.field("ra").raw(i);
            e.loadGpr(row.field("rs").raw(i));
            e.pushInt(sh);
            e.mv().visitMethodInsn(INVOKESTATIC, "java/lang/Long", "rotateLeft", "(JI)J", false);
            insertUnderMask(e, ra, m);
            FixedPointEmitters.record(e, row, i, ra);
            return true;
        });
        t.bind("RLWIMI", (e, row, i) -> {
            int mb = row.field("mb").raw(i);
            int me = row.field("me").raw(i);
            int ra = row.field("ra").raw(i);
            rotateWord(e, row.field("rs").raw(i), row.field("sh").raw(i), mb, me);
            insertUnderMask(e, ra, TranslatedOps.mask(mb + 32, me + 32));
            FixedPointEmitters.record(e, row, i, ra);
            return true;
        });
        t.bind("RLWNM", (e, row, i) -> {
            int ra = row.field("ra").raw(i);
            int mb = row.field("mb").raw(i);
            int me = row.field("me").raw(i);
            e.loadGpr(row.field("rs").raw(i));
            if (mb <= me) {
                // The mask keeps the low word only: the word rotate (its distance taken mod 32, as RB[59:63]).
                e.mv().visitInsn(L2I);
                e.loadGpr(row.field("rb").raw(i));
                e.mv().visitInsn(L2I);
                e.mv().visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "rotateLeft", "(II)I", false);
                e.mv().visitInsn(I2L);
            } else {
                e.loadGpr(row.field("rb").raw(i));
                e.mv().visitInsn(L2I);
                e.pushInt(31);
                e.mv().visitInsn(IAND);
                e.callStatic(BytecodeEmitter.OPS, "rotl32", "(JI)J");
            }
            e.pushLong(TranslatedOps.mask(mb + 32, me + 32));
            e.mv().visitInsn(LAND);
            e.storeGpr(ra);
            FixedPointEmitters.record(e, row, i, ra);
            return true;
        });
        t.bind("RLDCL", (e, row, i) -> rotateByRegister(e, row, i, TranslatedOps.mask(row.field("mb").raw(i), 63)));
        t.bind("RLDCR", (e, row, i) -> rotateByRegister(e, row, i, TranslatedOps.mask(0, row.field("me").raw(i))));
        wordShift(t, "SLW", true);
        wordShift(t, "SRW", false);
        algebraic(t, "SRAW", "shiftRightAlgebraicWord", 63, true);
        algebraic(t, "SRAD", "shiftRightAlgebraicDouble", 127, true);
        algebraic(t, "SRAWI", "shiftRightAlgebraicWord", 0, false);
        t.bind("EXTSWSLI", (e, row, i) -> {
            int ra = row.field("ra").raw(i);
            e.loadGpr(row.field("rs").raw(i));
            e.mv().visitInsn(L2I);
            e.mv().visitInsn(I2L);
            e.pushInt(row.field("sh").raw(i));
            e.mv().visitInsn(LSHL);
            e.storeGpr(ra);
            FixedPointEmitters.record(e, row, i, ra);
            return true;
        });
    }

    /**
     * Pushes a value whose bits under MASK(mb + 32, me + 32) are ROTL32(RS[32:63], sh)'s (the caller masks). Most
     * word rotates keep a mask inside the low word (rotlwi, slwi, srwi, clrlwi: mb <= me), and then the word
     * rotate alone is enough, or one shift where the mask keeps only the bits a shift brings; only a mask that
     * wraps into the high word needs the rotate of the word replicated into both halves.
     */
    private static void rotateWord(BytecodeEmitter e, int rs, int sh, int mb, int me) {
        long m = TranslatedOps.mask(mb + 32, me + 32);
        e.loadGpr(rs);
        if (mb > me) {
            e.pushInt(sh);
            e.callStatic(BytecodeEmitter.OPS, "rotl32", "(JI)J");
        } else if (sh == 0) {
            return;
        } else if ((m & ~(0xFFFF_FFFFL << sh)) == 0) {
            // Only bits sh..31 (counting from the right): the word shifted left.
            e.pushInt(sh);
            e.mv().visitInsn(LSHL);
        } else if ((m >>> sh) == 0) {
            // Only bits 0..sh-1: the word's top sh bits shifted right.
            e.pushInt(32 - sh);
            e.mv().visitInsn(LUSHR);
        } else {
            e.mv().visitInsn(L2I);
            e.pushInt(sh);
            e.mv().visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "rotateLeft", "(II)I", false);
            e.mv().visitInsn(I2L);
        }
    }

    /** Pops the rotated value: RA = (rotated AND m) OR (RA AND NOT m). */
    private static void insertUnderMask(BytecodeEmitter e, int ra, long m) {
        e.pushLong(m);
        e.mv().visitInsn(LAND);
        e.loadGpr(ra);
        e.pushLong(~m);
        e.mv().visitInsn(LAND);
        e.mv().visitInsn(LOR);
        e.storeGpr(ra);
    }

    private static boolean rotateByRegister(BytecodeEmitter e, dev.pvm.engine.cpu.isa.InsnPattern row, int i,
            long mask) {
        int ra = row.field("ra").raw(i);
        e.loadGpr(row.field("rs").raw(i));
        e.loadGpr(row.field("rb").raw(i));
        e.mv().visitInsn(L2I);
        // Long.rotateLeft uses the low 6 bits of the distance, as rldcl/rldcr use RB[58:63].
        e.mv().visitMethodInsn(INVOKESTATIC, "java/lang/Long", "rotateLeft", "(JI)J", false);
        e.pushLong(mask);
        e.mv().visitInsn(LAND);
        e.storeGpr(ra);
        FixedPointEmitters.record(e, row, i, ra);
        return true;
    }

    /** slw/srw: 6 bits of RB; amounts 32..63 give 0; the result is the low word, zero-extended. */
    private static void wordShift(EmitterTable t, String name, boolean left) {
        shiftOrZero(t, name, 32, (e, rb) -> {
            e.mv().visitInsn(L2I);
            e.loadGpr(rb);
            e.mv().visitInsn(L2I);
            e.mv().visitInsn(left ? ISHL : IUSHR);
            e.mv().visitInsn(I2L);
            e.pushLong(0xFFFF_FFFFL);
            e.mv().visitInsn(LAND);
        });
    }

    /**
     * sraw, srad (amount from RB under {@code amountMask}) and srawi (immediate SH): the interpreter's own
     * {@link dev.pvm.engine.cpu.interp.XerArithmetic} helpers, which set CA and CA32.
     */
    private static void algebraic(EmitterTable t, String name, String helper, int amountMask, boolean byRegister) {
        t.bind(name, (e, row, i) -> {
            int ra = row.field("ra").raw(i);
            e.loadCpu();
            e.loadGpr(row.field("rs").raw(i));
            if (byRegister) {
                e.loadGpr(row.field("rb").raw(i));
                e.mv().visitInsn(L2I);
                e.pushInt(amountMask);
                e.mv().visitInsn(IAND);
            } else {
                e.pushInt(row.field("sh").raw(i));
            }
            e.callStatic(FixedPointEmitters.XER_ARITHMETIC, helper, "(" + BytecodeEmitter.CPU_DESC + "JI)J");
            e.storeGpr(ra);
            FixedPointEmitters.record(e, row, i, ra);
            return true;
        });
    }

    private static boolean rotateDouble(BytecodeEmitter e, dev.pvm.engine.cpu.isa.InsnPattern row, int i, long mask) {
        int ra = row.field("ra").raw(i);
        e.loadGpr(row.field("rs").raw(i));
        e.pushInt(row.field("sh").raw(i));
        e.mv().visitMethodInsn(INVOKESTATIC, "java/lang/Long", "rotateLeft", "(JI)J", false);
        e.pushLong(mask);
        e.mv().visitInsn(LAND);
        e.storeGpr(ra);
        FixedPointEmitters.record(e, row, i, ra);
        return true;
    }

    /** Doubleword shifts use 7 bits of RB: amounts 64..127 give 0. */
    private static void shift(EmitterTable t, String name, int opcode) {
        shiftOrZero(t, name, 64, (e, rb) -> {
            e.loadGpr(rb);
            e.mv().visitInsn(L2I);
            e.mv().visitInsn(opcode);
        });
    }

    /**
     * RA = 0 when RB has bit {@code outOfRange} set (a shift by the operand width or more), else RS shifted by
     * {@code shift}, which gets RS pushed and RB's number, and leaves the result.
     */
    private static void shiftOrZero(EmitterTable t, String name, long outOfRange,
            java.util.function.BiConsumer<BytecodeEmitter, Integer> shift) {
        t.bind(name, (e, row, i) -> {
            int ra = row.field("ra").raw(i);
            org.objectweb.asm.Label zero = new org.objectweb.asm.Label();
            org.objectweb.asm.Label done = new org.objectweb.asm.Label();
            e.loadGpr(row.field("rb").raw(i));
            e.pushLong(outOfRange);
            e.mv().visitInsn(LAND);
            e.mv().visitInsn(LCONST_0);
            e.mv().visitInsn(LCMP);
            e.mv().visitJumpInsn(IFNE, zero);
            e.loadGpr(row.field("rs").raw(i));
            shift.accept(e, row.field("rb").raw(i));
            e.mv().visitJumpInsn(GOTO, done);
            e.mv().visitLabel(zero);
            e.mv().visitInsn(LCONST_0);
            e.mv().visitLabel(done);
            e.storeGpr(ra);
            FixedPointEmitters.record(e, row, i, ra);
            return true;
        });
    }
}
