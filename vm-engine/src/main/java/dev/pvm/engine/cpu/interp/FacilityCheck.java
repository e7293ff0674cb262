package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.Field;
import dev.pvm.engine.cpu.isa.InsnPattern;

/**
 * The MSR availability check of a row that needs a facility (Power ISA v3.0B Book III 4.2.1): with MSR[FP],
 * MSR[VEC] or MSR[VSX] 0 the instruction raises that facility's unavailable interrupt and does nothing else.
 * Operating systems switch FP and vector state lazily on these interrupts (Linux takes a few per process).
 */
final class FacilityCheck {

    static final GuestInterrupt FP_UNAVAILABLE = new GuestInterrupt.FloatingPointUnavailable();
    static final GuestInterrupt VEC_UNAVAILABLE = new GuestInterrupt.VectorUnavailable();
    static final GuestInterrupt VSX_UNAVAILABLE = new GuestInterrupt.VsxUnavailable();

    private FacilityCheck() {
    }

    /** {@code inner} behind the row's availability check; {@code inner} itself when it needs none. */
    static Semantics wrap(InsnPattern row, Semantics inner) {
        return switch (row.facility()) {
            case NONE -> inner;
            case FP -> requiring(Msr.FP, FP_UNAVAILABLE, inner);
            case VEC -> requiring(Msr.VEC, VEC_UNAVAILABLE, inner);
            case VSX -> requiring(Msr.VSX, VSX_UNAVAILABLE, inner);
            case FP_OR_VEC -> byRegister(vsrOperand(row), Msr.FP, FP_UNAVAILABLE, inner);
            case VSX_OR_VEC -> byRegister(vsrOperand(row), Msr.VSX, VSX_UNAVAILABLE, inner);
        };
    }

    private static Semantics requiring(long bit, GuestInterrupt unavailable, Semantics inner) {
        return (s, insn) -> {
            if ((s.msr & bit) == 0) {
                s.raise(unavailable);
            } else {
                inner.execute(s, insn);
            }
        };
    }

    /** VSRs 0-31 need {@code lowBit}, VSRs 32-63 (the VRs) MSR[VEC] (the mfvsrd family's RTL). */
    private static Semantics byRegister(Field vsr, long lowBit, GuestInterrupt lowUnavailable, Semantics inner) {
        return (s, insn) -> {
            boolean vr = vsr.raw(insn) >= 32;
            if ((s.msr & (vr ? Msr.VEC : lowBit)) == 0) {
                s.raise(vr ? VEC_UNAVAILABLE : lowUnavailable);
            } else {
                inner.execute(s, insn);
            }
        };
    }

    private static Field vsrOperand(InsnPattern row) {
        if (row.hasField("xt")) {
            return row.field("xt");
        }
        if (row.hasField("xs")) {
            return row.field("xs");
        }
        throw new IllegalStateException(row + " is marked @" + row.facility().attribute() + " but has no VSR operand");
    }
}
