package dev.pvm.engine.cpu.translate;

import org.objectweb.asm.Opcodes;

/**
 * Inline bytecode for the condition register instructions (Book I 2.5.1 and 3.3.17) on the CR the unit keeps in
 * a local: the CR logical operations, mcrf, mfcr/mfocrf and mtcrf/mtocrf.
 */
final class ConditionRegisterEmitters implements Opcodes {

    private ConditionRegisterEmitters() {
    }

    static void bind(EmitterTable t) {
        crLogical(t, "CRAND", IAND, false, false);
        crLogical(t, "CRNAND", IAND, false, true);
        crLogical(t, "CROR", IOR, false, false);
        crLogical(t, "CRXOR", IXOR, false, false);
        crLogical(t, "CRNOR", IOR, false, true);
        crLogical(t, "CREQV", IXOR, false, true);
        crLogical(t, "CRANDC", IAND, true, false);
        crLogical(t, "CRORC", IOR, true, false);
        t.bind("MCRF", (e, row, i) -> {
            int bf = row.field("bf").raw(i);
            int bfa = row.field("bfa").raw(i);
            e.loadCr();
            e.pushInt(28 - 4 * bfa);
            e.mv().visitInsn(IUSHR);
            e.pushInt(0xf);
            e.mv().visitInsn(IAND);
            insertBits(e, 0xf, 28 - 4 * bf);
            return true;
        });
        t.bind("MFCR", (e, row, i) -> {
            e.loadCr();
            e.mv().visitInsn(I2L);
            e.pushLong(0xFFFF_FFFFL);
            e.mv().visitInsn(LAND);
            e.storeGpr(row.field("rt").raw(i));
            return true;
        });
        t.bind("MFOCRF", (e, row, i) -> {
            e.loadCr();
            e.pushInt(fieldMask(row.field("fxm").raw(i)));
            e.mv().visitInsn(IAND);
            e.mv().visitInsn(I2L);
            e.pushLong(0xFFFF_FFFFL);
            e.mv().visitInsn(LAND);
            e.storeGpr(row.field("rt").raw(i));
            return true;
        });
        for (String name : new String[] {"MTCRF", "MTOCRF"}) {
            t.bind(name, (e, row, i) -> {
                int mask = fieldMask(row.field("fxm").raw(i));
                e.loadGpr(row.field("rs").raw(i));
                e.mv().visitInsn(L2I);
                e.pushInt(mask);
                e.mv().visitInsn(IAND);
                e.loadCr();
                e.pushInt(~mask);
                e.mv().visitInsn(IAND);
                e.mv().visitInsn(IOR);
                e.storeCr();
                return true;
            });
        }
    }

    /**
     * CR bit BT = CR bit BA OP CR bit BB, with BB complemented first ({@code complementB}: andc, orc) or the
     * result complemented ({@code complementResult}: nand, nor, eqv).
     */
    private static void crLogical(EmitterTable t, String name, int opcode, boolean complementB,
            boolean complementResult) {
        t.bind(name, (e, row, i) -> {
            e.loadCr();
            e.pushInt(31 - row.field("ba").raw(i));
            e.mv().visitInsn(IUSHR);
            e.loadCr();
            e.pushInt(31 - row.field("bb").raw(i));
            e.mv().visitInsn(IUSHR);
            if (complementB) {
                e.mv().visitInsn(ICONST_M1);
                e.mv().visitInsn(IXOR);
            }
            e.mv().visitInsn(opcode);
            if (complementResult) {
                e.mv().visitInsn(ICONST_M1);
                e.mv().visitInsn(IXOR);
            }
            e.mv().visitInsn(ICONST_1);
            e.mv().visitInsn(IAND);
            insertBits(e, 1, 31 - row.field("bt").raw(i));
            return true;
        });
    }

    /** Pops a value of {@code mask}'s width and puts it into CR at {@code shift}. */
    private static void insertBits(BytecodeEmitter e, int mask, int shift) {
        e.pushInt(shift);
        e.mv().visitInsn(ISHL);
        e.loadCr();
        e.pushInt(~(mask << shift));
        e.mv().visitInsn(IAND);
        e.mv().visitInsn(IOR);
        e.storeCr();
    }

    /** The CR bits FXM selects: its most significant bit selects CR field 0 (Book I 3.3.17). */
    private static int fieldMask(int fxm) {
        int mask = 0;
        for (int j = 0; j < 8; j++) {
            if ((fxm & (1 << j)) != 0) {
                mask |= 0xf << (4 * j);
            }
        }
        return mask;
    }
}
