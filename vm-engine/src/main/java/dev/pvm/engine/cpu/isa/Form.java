package dev.pvm.engine.cpu.isa;

import java.util.List;

/**
 * An instruction form (Power ISA Book I 1.6): its name and the opcode fields every row of the form fixes.
 *
 * @param name         the ISA's form name (D, DS, X, XO, MD, ...)
 * @param opcodeFields the opcode fields (po, and xo where the form has one)
 */
public record Form(String name, List<Field> opcodeFields) {

    public Form {
        opcodeFields = List.copyOf(opcodeFields);
    }

    /** The opcode field of this name, or null. */
    public Field opcodeField(String fieldName) {
        for (Field f : opcodeFields) {
            if (f.name().equals(fieldName)) {
                return f;
            }
        }
        return null;
    }
}
