package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.runtime.NearestFloatOps;
import org.objectweb.asm.Type;

/**
 * Double-precision arithmetic rows (Book I 4.6.6 and 7.6: fadd..fdiv, the fused multiply-add family, and their VSX
 * scalar and vector forms) as calls to {@link NearestFloatOps}, which completes the instruction in the FPSCR's
 * usual state (round to nearest, no exception enabled) and otherwise declines, and the instruction's interpreter
 * fallback runs instead ({@link BytecodeEmitter#fallbackIfZero}). Record forms (Rc=1) always take the fallback.
 */
final class FloatEmitters {

    private static final String OPS = Type.getInternalName(NearestFloatOps.class);
    private static final String CPU = BytecodeEmitter.CPU_DESC;

    private FloatEmitters() {
    }

    static void bind(EmitterTable t) {
        String[] names = {"ADD", "SUB", "MUL", "DIV"};
        int[] ops = {NearestFloatOps.ADD, NearestFloatOps.SUBTRACT, NearestFloatOps.MULTIPLY, NearestFloatOps.DIVIDE};
        for (int k = 0; k < names.length; k++) {
            String second = names[k].equals("MUL") ? "frc" : "frb";
            elementary(t, "F" + names[k], ops[k], "frt", "fra", second, false);
            elementary(t, "XS" + names[k] + "DP", ops[k], "xt", "xa", "xb", false);
            elementary(t, "XV" + names[k] + "DP", ops[k], "xt", "xa", "xb", true);
        }
        for (String kind : new String[] {"MADD", "MSUB", "NMADD", "NMSUB"}) {
            boolean subtract = kind.endsWith("SUB");
            boolean negate = kind.startsWith("N");
            // FRT = ±(FRA*FRC ± FRB)
            fused(t, "F" + kind, "frt", "fra", "frc", "frb", subtract, negate, false);
            for (String vs : new String[] {"XS", "XV"}) {
                // A forms: XT = ±(XA*XB ± XT); M forms: XT = ±(XA*XT ± XB)
                fused(t, vs + kind + "ADP", "xt", "xa", "xb", "xt", subtract, negate, vs.equals("XV"));
                fused(t, vs + kind + "MDP", "xt", "xa", "xt", "xb", subtract, negate, vs.equals("XV"));
            }
        }
    }

    /** Record forms (fadd. ...) update CR1: the interpreter's semantics do. */
    private static boolean recordForm(InsnPattern row, int insn) {
        return row.hasField("rc") && row.field("rc").raw(insn) != 0;
    }

    private static void elementary(EmitterTable t, String name, int op, String target, String first,
            String second, boolean vector) {
        t.bind(name, (e, row, i) -> {
            if (recordForm(row, i)) {
                return false;
            }
            e.loadCpu();
            e.pushInt(op);
            e.pushInt(row.field(target).raw(i));
            e.pushInt(row.field(first).raw(i));
            e.pushInt(row.field(second).raw(i));
            if (vector) {
                e.callStatic(OPS, "vector", "(" + CPU + "IIII)Z");
            } else {
                e.pushInt(name.startsWith("XS") ? 1 : 0);
                e.callStatic(OPS, "scalar", "(" + CPU + "IIIIZ)Z");
            }
            e.fallbackIfZero();
            return true;
        });
    }

    private static void fused(EmitterTable t, String name, String target, String a, String c, String b,
            boolean subtract, boolean negate, boolean vector) {
        t.bind(name, (e, row, i) -> {
            if (recordForm(row, i)) {
                return false;
            }
            e.loadCpu();
            e.pushInt(row.field(target).raw(i));
            e.pushInt(row.field(a).raw(i));
            e.pushInt(row.field(c).raw(i));
            e.pushInt(row.field(b).raw(i));
            e.pushInt(subtract ? 1 : 0);
            e.pushInt(negate ? 1 : 0);
            if (vector) {
                e.callStatic(OPS, "vectorMultiplyAdd", "(" + CPU + "IIIIZZ)Z");
            } else {
                e.pushInt(name.startsWith("XS") ? 1 : 0);
                e.callStatic(OPS, "scalarMultiplyAdd", "(" + CPU + "IIIIZZZ)Z");
            }
            e.fallbackIfZero();
            return true;
        });
    }
}
