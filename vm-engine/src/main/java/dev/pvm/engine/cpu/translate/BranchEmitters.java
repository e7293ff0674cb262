package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.isa.InsnPattern;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

/**
 * Branches (Book I 2.4): b, bc with the CTR decrement and CR bit test, bclr and bcctr. A branch to an address
 * inside the unit becomes a JVM jump; others leave through an exit stub (direct) or the indirect stub.
 */
final class BranchEmitters implements Opcodes {

    private BranchEmitters() {
    }

    static void bind(EmitterTable t) {
        t.bind("B", (e, row, i) -> {
            long li = row.field("li").extract(i);
            long target = row.field("aa").raw(i) != 0 ? li : e.pc() + li;
            linkIfAsked(e, row, i);
            e.takeBranch(target, true);
            return true;
        });
        t.bind("BC", (e, row, i) -> {
            long bd = row.field("bd").extract(i);
            long target = row.field("aa").raw(i) != 0 ? bd : e.pc() + bd;
            int bo = row.field("bo").raw(i);
            linkIfAsked(e, row, i);
            Label notTaken = new Label();
            condition(e, bo, row.field("bi").raw(i), true, notTaken);
            e.takeBranch(target, BlockScanner.branchesAlways(bo));
            e.mv().visitLabel(notTaken);
            return true;
        });
        t.bind("BCLR", (e, row, i) -> {
            int bo = row.field("bo").raw(i);
            e.loadLr();
            e.pushLong(~3L);
            e.mv().visitInsn(LAND);
            e.mv().visitVarInsn(LSTORE, BytecodeEmitter.TEMP_B);
            linkIfAsked(e, row, i);
            Label notTaken = new Label();
            condition(e, bo, row.field("bi").raw(i), true, notTaken);
            e.takeIndirect(BlockScanner.branchesAlways(bo));
            e.mv().visitLabel(notTaken);
            return true;
        });
        t.bind("BCCTR", (e, row, i) -> {
            int bo = row.field("bo").raw(i);
            if ((bo & 4) == 0) {
                return false; // bcctr with CTR decrement is an invalid form: the interpreter raises
            }
            e.loadCtr();
            e.pushLong(~3L);
            e.mv().visitInsn(LAND);
            e.mv().visitVarInsn(LSTORE, BytecodeEmitter.TEMP_B);
            linkIfAsked(e, row, i);
            Label notTaken = new Label();
            condition(e, bo, row.field("bi").raw(i), false, notTaken);
            e.takeIndirect(BlockScanner.branchesAlways(bo));
            e.mv().visitLabel(notTaken);
            return true;
        });
    }

    /** LK=1: LR = the address after the branch, whether or not it is taken. */
    private static void linkIfAsked(BytecodeEmitter e, InsnPattern row, int i) {
        if (row.field("lk").raw(i) != 0) {
            e.pushLong(e.pc() + 4);
            e.storeLr();
        }
    }

    /**
     * Jumps to {@code notTaken} unless the BO/BI condition holds: BO[2]=0 decrements CTR and tests it against
     * BO[3]; BO[0]=0 tests CR bit BI against BO[1] (64-bit mode: the whole CTR counts).
     */
    private static void condition(BytecodeEmitter e, int bo, int bi, boolean mayDecrement, Label notTaken) {
        if (mayDecrement && (bo & 4) == 0) {
            e.loadCtr();
            e.mv().visitInsn(LCONST_1);
            e.mv().visitInsn(LSUB);
            e.mv().visitInsn(DUP2);
            e.storeCtr();
            e.mv().visitInsn(LCONST_0);
            e.mv().visitInsn(LCMP);
            // BO[3]=1: branch when CTR == 0; else when CTR != 0.
            e.mv().visitJumpInsn((bo & 2) != 0 ? IFNE : IFEQ, notTaken);
        }
        if ((bo & 16) == 0) {
            e.loadCr();
            e.pushInt(1 << (31 - bi));
            e.mv().visitInsn(IAND);
            e.mv().visitJumpInsn((bo & 8) != 0 ? IFEQ : IFNE, notTaken);
        }
    }
}
