package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.runtime.TranslatedOps;
import org.objectweb.asm.Opcodes;

/**
 * Inline bytecode for the common rotates and shifts (Book I 3.3.14): rlwinm, rldicl, rldicr with their masks
 * computed at translation time, sld, srd and sradi (which sets CA).
 */
final class RotateShiftEmitters implements Opcodes {

    private RotateShiftEmitters() {
    }

    static void bind(EmitterTable t) {
        t.bind("RLWINM", (e, row, i) -> {
            int ra = row.field("ra").raw(i);
            e.loadGpr(row.field("rs").raw(i));
            e.pushInt(row.field("sh").raw(i));
            e.callStatic(BytecodeEmitter.OPS, "rotl32", "(JI)J");
            e.pushLong(TranslatedOps.mask(row.field("mb").raw(i) + 32, row.field("me").raw(i) + 32));
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
        t.bind(name, (e, row, i) -> {
            int ra = row.field("ra").raw(i);
            org.objectweb.asm.Label zero = new org.objectweb.asm.Label();
            org.objectweb.asm.Label done = new org.objectweb.asm.Label();
            e.loadGpr(row.field("rb").raw(i));
            e.pushLong(64);
            e.mv().visitInsn(LAND);
            e.mv().visitInsn(LCONST_0);
            e.mv().visitInsn(LCMP);
            e.mv().visitJumpInsn(IFNE, zero);
            e.loadGpr(row.field("rs").raw(i));
            e.loadGpr(row.field("rb").raw(i));
            e.mv().visitInsn(L2I);
            e.mv().visitInsn(opcode);
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
