package dev.pvm.engine.cpu.isa;

/** How the disassembler prints a field's value, following binutils' objdump for ppc64. */
public enum FieldKind {
    /** A decimal immediate, signed or unsigned as the field is declared. */
    IMM,
    /** A general-purpose register, {@code r3}. */
    GPR,
    /** A condition-register field, {@code cr7}. */
    CRF,
    /** A condition-register bit: {@code eq} in CR0, {@code 4*cr7+so} elsewhere. */
    CRB,
    /** A floating-point register, {@code f3}. */
    FPR,
    /** A branch target, printed as an absolute hexadecimal address without prefix (objdump style). */
    TARGET,
    /** A vector register (VMX), {@code v3}. */
    VR,
    /** A vector-scalar register (VSX), {@code vs35}. */
    VSR;

    static FieldKind parse(String text) {
        for (FieldKind k : values()) {
            if (k.name().equalsIgnoreCase(text)) {
                return k;
            }
        }
        return null;
    }
}
