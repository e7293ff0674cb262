package dev.pvm.engine.cpu.isa;

/** One operand of an instruction row or extended mnemonic, in assembler order. */
public sealed interface Operand {

    /**
     * A value printed according to {@code kind}.
     *
     * @param kind        how it is printed
     * @param value       its value
     * @param optional     may be left out of the text ({@code cr0} in {@code cmpw}): binutils leaves out the
     *                     optional operands of an instruction only when every one of them has its default
     * @param defaultValue the value an omitted optional operand stands for (usually 0)
     * @param zeroLiteral  the ISA's (RA|0): register 0 means the value 0 and is printed "0"
     */
    record Value(FieldKind kind, Expr value, boolean optional, int defaultValue, boolean zeroLiteral)
            implements Operand {
    }

    /** A displacement and base register, {@code d(ra|0)}. */
    record Memory(Value displacement, Value base) implements Operand {
    }
}
