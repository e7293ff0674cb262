package dev.pvm.engine.cpu.isa;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One row of the instruction table: an instruction's mnemonic, form, fixed bits, operands and flags.
 *
 * <p>A word is this instruction when {@code (word & fixedMask) == fixedBits}. The row's {@link #id()} is its
 * index in the table and indexes the interpreter's dispatch array.
 */
public final class InsnPattern {

    private final int id;
    private final String mnemonic;
    private final Form form;
    private final int fixedMask;
    private final int fixedBits;
    private final List<Operand> operands;
    private final List<Field> flags;
    private final Map<String, Field> fields;
    private final Set<String> attributes;
    private final int overlapGroup;
    private final int line;
    private final List<Alias.Condition> validity;

    InsnPattern(int id, String mnemonic, Form form, int fixedMask, int fixedBits, List<Operand> operands,
            List<Field> flags, Map<String, Field> fields, Set<String> attributes, int overlapGroup, int line) {
        this(id, mnemonic, form, fixedMask, fixedBits, operands, flags, fields, attributes, overlapGroup, line,
                List.of());
    }

    InsnPattern(int id, String mnemonic, Form form, int fixedMask, int fixedBits, List<Operand> operands,
            List<Field> flags, Map<String, Field> fields, Set<String> attributes, int overlapGroup, int line,
            List<Alias.Condition> validity) {
        this.validity = List.copyOf(validity);
        this.id = id;
        this.mnemonic = mnemonic;
        this.form = form;
        this.fixedMask = fixedMask;
        this.fixedBits = fixedBits;
        this.operands = List.copyOf(operands);
        this.flags = List.copyOf(flags);
        this.fields = Map.copyOf(fields);
        this.attributes = Set.copyOf(attributes);
        this.overlapGroup = overlapGroup;
        this.line = line;
    }

    /** Index in the table; dense from 0. */
    public int id() {
        return id;
    }

    /** Upper case, as the table writes it ({@code ADDIC.}, {@code STWCX.}). */
    public String mnemonic() {
        return mnemonic;
    }

    public Form form() {
        return form;
    }

    /** Bits fixed by the opcode (Java bit order). */
    public int fixedMask() {
        return fixedMask;
    }

    /** Values of the fixed bits. */
    public int fixedBits() {
        return fixedBits;
    }

    public boolean matches(int insn) {
        return (insn & fixedMask) == fixedBits && isValidForm(insn);
    }

    /**
     * The row's validity conditions (the table's comparisons on a row, e.g. {@code ra!=0 ra!=rt} for loads with
     * update): a word that matches the fixed bits but breaks one is an invalid form (Power ISA Book I 1.8.2),
     * decoded as illegal, as binutils prints it as {@code .long}. Empty for most rows.
     */
    public List<Alias.Condition> validity() {
        return validity;
    }

    /** Whether every validity condition holds for this word (true when the row has none). */
    public boolean isValidForm(int insn) {
        for (int i = 0; i < validity.size(); i++) {
            if (!validity.get(i).holds(insn)) {
                return false;
            }
        }
        return true;
    }

    /** Operands in assembler order. */
    public List<Operand> operands() {
        return operands;
    }

    /** Flag fields (oe, rc, lk, aa) in the order their suffixes are printed. */
    public List<Field> flags() {
        return flags;
    }

    /** Every named field of the row: operands, flags and opcode fields. */
    public Map<String, Field> fields() {
        return fields;
    }

    /**
     * The row's field of this name.
     *
     * @throws IllegalArgumentException when the row has no such field
     */
    public Field field(String name) {
        Field f = fields.get(name);
        if (f == null) {
            throw new IllegalArgumentException(mnemonic + " has no field " + name + " (has " + fields.keySet() + ")");
        }
        return f;
    }

    public boolean hasField(String name) {
        return fields.containsKey(name);
    }

    /** Attributes such as {@code priv}. */
    public Set<String> attributes() {
        return attributes;
    }

    /** Whether problem state (MSR[PR]=1) takes a privileged-instruction program interrupt. */
    public boolean privileged() {
        return attributes.contains("priv");
    }

    /** The MSR availability bit the instruction needs ({@code @fp}, {@code @vec}, ... or its section's). */
    public Facility facility() {
        for (String a : attributes) {
            Facility f = Facility.ofAttribute(a);
            if (f != null) {
                return f;
            }
        }
        return Facility.NONE;
    }

    /** The overlap group's number, or -1 when the row is in none. */
    public int overlapGroup() {
        return overlapGroup;
    }

    /** Line in the table source. */
    public int line() {
        return line;
    }

    @Override
    public String toString() {
        return mnemonic + " (" + form.name() + ", line " + line + ")";
    }
}
