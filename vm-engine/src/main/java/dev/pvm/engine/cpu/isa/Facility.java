package dev.pvm.engine.cpu.isa;

/**
 * Which MSR availability bit an instruction needs (Power ISA v3.0B Book III 4.2.1, the "..._Unavailable()"
 * lines of each instruction's RTL): with the bit 0 the instruction takes the facility's unavailable interrupt
 * instead of executing. The table gives it per row ({@code @fp}, {@code @vec}, ...) or per section
 * ({@code facility fp}).
 */
public enum Facility {
    /** Always available. */
    NONE("none"),
    /** MSR[FP]: floating-point unavailable interrupt. */
    FP("fp"),
    /** MSR[VEC]: vector unavailable interrupt. */
    VEC("vec"),
    /** MSR[VSX]: VSX unavailable interrupt. */
    VSX("vsx"),
    /** MSR[FP] when the row's VSR operand is 0-31 (an FPR), MSR[VEC] when 32-63 (a VR): mfvsrd and kin. */
    FP_OR_VEC("fpvec"),
    /** MSR[VSX] when the row's VSR operand is 0-31, MSR[VEC] when 32-63: mfvsrld, mtvsrdd, mtvsrws. */
    VSX_OR_VEC("vsxvec");

    private final String attribute;

    Facility(String attribute) {
        this.attribute = attribute;
    }

    /** The table's spelling ({@code @fp}, {@code facility fp}). */
    public String attribute() {
        return attribute;
    }

    /** The facility a table spelling names, or null. */
    public static Facility ofAttribute(String name) {
        for (Facility f : values()) {
            if (f.attribute.equals(name)) {
                return f;
            }
        }
        return null;
    }
}
