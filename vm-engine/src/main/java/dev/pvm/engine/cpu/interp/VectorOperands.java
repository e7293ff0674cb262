package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.isa.Field;
import dev.pvm.engine.cpu.isa.InsnPattern;

/**
 * Binding helpers shared by the vector semantics: the generic shapes "T = f(B)", "T = f(A, B)" and
 * "T = f(A, B, C)" over whole registers, for VMX rows (a field names VR n, which is VSR 32+n) and VSX rows (the
 * field names the VSR itself), and the CR6 update of the record forms.
 */
final class VectorOperands {

    private VectorOperands() {
    }

    @FunctionalInterface
    interface Unary {
        VectorRegister apply(CpuState s, VectorRegister b);
    }

    @FunctionalInterface
    interface Binary {
        VectorRegister apply(CpuState s, VectorRegister a, VectorRegister b);
    }

    @FunctionalInterface
    interface Ternary {
        VectorRegister apply(CpuState s, VectorRegister a, VectorRegister b, VectorRegister c);
    }

    static String target(InsnPattern row) {
        return row.hasField("vrt") ? "vrt" : "xt";
    }

    static String source(InsnPattern row, String vmx, String vsx) {
        return row.hasField(vmx) ? vmx : vsx;
    }

    /** T = op(B) for rows with operands vrt,vrb or xt,xb. */
    static void unary(SemanticsBinder b, String name, Unary op) {
        b.bind(name, row -> {
            Field t = row.field(target(row));
            Field rb = row.field(source(row, "vrb", "xb"));
            int base = row.hasField("vrt") ? 32 : 0;
            return (s, i) -> op.apply(s, VectorRegister.ofVsr(s, base + rb.raw(i))).toVsr(s, base + t.raw(i));
        });
    }

    /** T = op(A, B) for rows with operands vrt,vra,vrb or xt,xa,xb. */
    static void binary(SemanticsBinder b, String name, Binary op) {
        b.bind(name, row -> {
            Field t = row.field(target(row));
            Field ra = row.field(source(row, "vra", "xa"));
            Field rb = row.field(source(row, "vrb", "xb"));
            int base = row.hasField("vrt") ? 32 : 0;
            return (s, i) -> op.apply(s, VectorRegister.ofVsr(s, base + ra.raw(i)),
                    VectorRegister.ofVsr(s, base + rb.raw(i))).toVsr(s, base + t.raw(i));
        });
    }

    /** T = op(A, B, C) for VA-form rows (vrt,vra,vrb,vrc). */
    static void ternary(SemanticsBinder b, String name, Ternary op) {
        b.bind(name, row -> {
            Field t = row.field("vrt");
            Field ra = row.field("vra");
            Field rb = row.field("vrb");
            Field rc = row.field("vrc");
            return (s, i) -> op.apply(s, VectorRegister.ofVsr(s, 32 + ra.raw(i)),
                    VectorRegister.ofVsr(s, 32 + rb.raw(i)), VectorRegister.ofVsr(s, 32 + rc.raw(i)))
                    .toVsr(s, 32 + t.raw(i));
        });
    }

    /** Sets CR6 from an all-elements compare result (Book I 6.9.3: 0b1000 all true, 0b0010 all false). */
    static void recordCr6(CpuState s, VectorRegister r) {
        boolean all = r.hi == -1L && r.lo == -1L;
        boolean none = r.hi == 0 && r.lo == 0;
        s.setCrField(6, (all ? 8 : 0) | (none ? 2 : 0));
    }
}
