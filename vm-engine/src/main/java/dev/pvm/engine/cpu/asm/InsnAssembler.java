package dev.pvm.engine.cpu.asm;

import dev.pvm.engine.cpu.isa.Field;
import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.cpu.isa.Operand;
import java.util.List;
import java.util.Locale;

/**
 * Encodes one instruction from assembler text, driven by the instruction table: the inverse of the
 * disassembler for the table's own mnemonics (extended mnemonics are not accepted).
 *
 * <p>Accepts {@code addi r3,r1,-8}, {@code addo. 3,4,5}, {@code ld r3,8(r1)}, {@code lwbrx r3,0,r4},
 * {@code bc 12,4*cr7+eq,0x40}, {@code sc 1}. Registers may be written {@code r3} or {@code 3}; branch targets
 * are absolute addresses (relative to {@code address} unless the aa flag is set). Used for the engine's
 * built-in firmware stubs and to write readable instruction tests.
 */
public final class InsnAssembler {

    private static final String[] CR_BITS = {"lt", "gt", "eq", "so"};

    private final IsaTable table;

    public InsnAssembler(IsaTable table) {
        this.table = table;
    }

    /** Encodes an instruction that does not branch relative to its own address. */
    public int assemble(String text) {
        return assemble(text, 0);
    }

    /**
     * Encodes one instruction.
     *
     * @param address where the instruction will sit (for relative branch targets)
     * @throws IllegalArgumentException with the reason when the text is not a valid instruction
     */
    public int assemble(String text, long address) {
        String s = text.strip();
        int space = indexOfWhitespace(s);
        String mnemonic = (space < 0 ? s : s.substring(0, space)).toUpperCase(Locale.ROOT);
        String operandText = space < 0 ? "" : s.substring(space).strip();
        Match m = find(mnemonic);
        if (m == null) {
            throw new IllegalArgumentException("unknown instruction '" + mnemonic.toLowerCase(Locale.ROOT)
                    + "' in: " + text);
        }
        InsnPattern p = m.pattern;
        List<Operand> template = p.operands();
        String[] given = operandText.isEmpty() ? new String[0] : operandText.split(",", -1);
        int required = template.size();
        while (required > 0 && template.get(required - 1) instanceof Operand.Value v && v.optional()) {
            required--;
        }
        if (given.length < required || given.length > template.size()) {
            throw new IllegalArgumentException(p.mnemonic().toLowerCase(Locale.ROOT) + " takes "
                    + (required == template.size() ? "" + required : required + " to " + template.size())
                    + " operands, got " + given.length + " in: " + text);
        }
        int word = p.fixedBits() | m.flagBits;
        try {
            for (int i = 0; i < template.size(); i++) {
                Operand o = template.get(i);
                if (i < given.length) {
                    word |= encodeOperand(o, given[i].strip(), p, m.flagBits, address);
                } else if (o instanceof Operand.Value v) {
                    word |= v.value().asField().encode(v.defaultValue());
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in: " + text, e);
        }
        return word;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private record Match(InsnPattern pattern, int flagBits) {
    }

    /** The row and flag bits for a mnemonic, trying the row's suffixes (addo. = ADD + o + .). */
    private Match find(String mnemonic) {
        InsnPattern exact = table.findPattern(mnemonic);
        if (exact != null) {
            return new Match(exact, 0);
        }
        for (InsnPattern p : table.patterns()) {
            if (p.flags().isEmpty() || !mnemonic.startsWith(p.mnemonic())) {
                continue;
            }
            String rest = mnemonic.substring(p.mnemonic().length()).toLowerCase(Locale.ROOT);
            int bits = 0;
            for (Field flag : p.flags()) {
                if (rest.startsWith(flag.suffix())) {
                    rest = rest.substring(flag.suffix().length());
                    bits |= flag.encodeRaw(1);
                }
            }
            if (rest.isEmpty()) {
                return new Match(p, bits);
            }
        }
        return null;
    }

    private int encodeOperand(Operand o, String text, InsnPattern p, int flagBits, long address) {
        return switch (o) {
            case Operand.Memory mem -> {
                int open = text.indexOf('(');
                if (open < 0 || !text.endsWith(")")) {
                    throw new IllegalArgumentException("expected displacement(register), got '" + text + "'");
                }
                yield encodeValue(mem.displacement(), text.substring(0, open).strip(), p, flagBits, address)
                        | encodeValue(mem.base(), text.substring(open + 1, text.length() - 1).strip(), p, flagBits,
                        address);
            }
            case Operand.Value v -> encodeValue(v, text, p, flagBits, address);
        };
    }

    private int encodeValue(Operand.Value v, String text, InsnPattern p, int flagBits, long address) {
        Field f = v.value().asField();
        if (f == null) {
            throw new IllegalStateException(p.mnemonic() + ": row operands are plain fields");
        }
        String t = text.toLowerCase(Locale.ROOT);
        long value = switch (v.kind()) {
            case GPR -> register(t, "r", 32);
            case CRF -> register(t, "cr", 8);
            case FPR -> register(t, "f", 32);
            case VR -> register(t, "v", 32);
            case VSR -> register(t, "vs", 64);
            case CRB -> crBit(t);
            case TARGET -> {
                long target = number(t);
                boolean absolute = p.hasField("aa") && (flagBits & p.field("aa").wordMask()) != 0;
                yield absolute ? target : target - address;
            }
            case IMM -> number(t);
        };
        return f.encode(value);
    }

    private static long register(String t, String prefix, int count) {
        String digits = t.startsWith("%") ? t.substring(1) : t;
        if (digits.startsWith(prefix)) {
            digits = digits.substring(prefix.length());
        }
        long n = number(digits);
        if (n < 0 || n >= count) {
            throw new IllegalArgumentException("no register " + t);
        }
        return n;
    }

    private static long crBit(String t) {
        for (int i = 0; i < 4; i++) {
            if (t.equals(CR_BITS[i])) {
                return i;
            }
        }
        if (t.startsWith("4*cr") && t.contains("+")) {
            long field = number(t.substring(4, t.indexOf('+')));
            String bit = t.substring(t.indexOf('+') + 1);
            for (int i = 0; i < 4; i++) {
                if (bit.equals(CR_BITS[i])) {
                    return field * 4 + i;
                }
            }
            throw new IllegalArgumentException("bad condition bit '" + t + "'");
        }
        return number(t);
    }

    private static long number(String t) {
        try {
            boolean negative = t.startsWith("-");
            String digits = negative ? t.substring(1) : t;
            long v = digits.startsWith("0x") ? Long.parseUnsignedLong(digits.substring(2), 16) : Long.parseLong(digits);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number '" + t + "'");
        }
    }
}
