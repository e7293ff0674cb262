package dev.pvm.engine.cpu.disasm;

import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.isa.Alias;
import dev.pvm.engine.cpu.isa.Field;
import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.cpu.isa.Operand;
import java.util.List;
import java.util.Locale;

/**
 * Turns instruction words into text the way binutils' {@code objdump -d} prints ppc64 code: extended
 * mnemonics where the table declares them, {@code r3}, {@code cr7}, {@code 4*cr7+so}, decimal immediates,
 * branch targets as bare hexadecimal addresses (objdump's form when a symbol follows, which we do not print),
 * and {@code .long 0x...} for words that are no instruction.
 */
public final class Disassembler {

    private static final String[] CR_BITS = {"lt", "gt", "eq", "so"};

    private final IsaTable table;
    private final Decoder decoder;

    public Disassembler(Decoder decoder) {
        this.decoder = decoder;
        this.table = decoder.table();
    }

    /**
     * One instruction as text.
     *
     * @param insn    the instruction word (already in the CPU's byte order)
     * @param address where it sits, for branch targets
     */
    public String disassemble(int insn, long address) {
        int id = decoder.decode(insn);
        if (id == Decoder.ILLEGAL) {
            return ".long 0x" + Integer.toHexString(insn);
        }
        InsnPattern p = table.pattern(id);
        for (Alias a : table.aliasesOf(p)) {
            if (a.matches(insn)) {
                return format(a.mnemonic(), p, a.operands(), insn, address);
            }
        }
        return format(p.mnemonic(), p, p.operands(), insn, address);
    }

    private String format(String mnemonic, InsnPattern p, List<Operand> operands, int insn, long address) {
        StringBuilder name = new StringBuilder(mnemonic.toLowerCase(Locale.ROOT));
        String hint = "";
        char last = name.charAt(name.length() - 1);
        if (last == '+' || last == '-') {
            hint = String.valueOf(last);
            name.setLength(name.length() - 1);
        }
        for (Field flag : p.flags()) {
            if (flag.raw(insn) != 0) {
                name.append(flag.suffix());
            }
        }
        name.append(hint);
        // As binutils: when every optional operand has its default, all of them are left out; otherwise only
        // the trailing ones that have their default (bnelr cr7, but beqlr cr0,1).
        boolean[] omit = new boolean[operands.size()];
        boolean allDefault = true;
        for (Operand o : operands) {
            if (o instanceof Operand.Value v && v.optional() && !isDefault(v, insn)) {
                allDefault = false;
            }
        }
        for (int i = operands.size() - 1; i >= 0; i--) {
            if (operands.get(i) instanceof Operand.Value v && v.optional() && isDefault(v, insn)) {
                omit[i] = true;
            } else if (!allDefault) {
                break;
            }
        }
        StringBuilder ops = new StringBuilder();
        for (int i = 0; i < operands.size(); i++) {
            if (omit[i]) {
                continue;
            }
            String text = operand(operands.get(i), p, insn, address);
            if (!ops.isEmpty()) {
                ops.append(',');
            }
            ops.append(text);
        }
        if (ops.isEmpty()) {
            return name.toString();
        }
        return String.format("%-7s %s", name, ops);
    }

    private static boolean isDefault(Operand.Value v, int insn) {
        return v.value().eval(insn) == v.defaultValue();
    }

    private String operand(Operand o, InsnPattern p, int insn, long address) {
        return switch (o) {
            case Operand.Memory m -> value(m.displacement(), p, insn, address) + "("
                    + value(m.base(), p, insn, address) + ")";
            case Operand.Value v -> value(v, p, insn, address);
        };
    }

    private String value(Operand.Value v, InsnPattern p, int insn, long address) {
        int value = v.value().eval(insn);
        return switch (v.kind()) {
            case GPR -> v.zeroLiteral() && value == 0 ? "0" : "r" + value;
            case CRF -> "cr" + value;
            case FPR -> "f" + value;
            case VR -> "v" + value;
            case VSR -> "vs" + value;
            case CRB -> value < 4 ? CR_BITS[value] : "4*cr" + (value / 4) + "+" + CR_BITS[value % 4];
            case TARGET -> {
                boolean absolute = p.hasField("aa") && p.field("aa").raw(insn) != 0;
                // binutils prints an absolute target (AA=1) as its low 32 bits (ppc-dis.c: value & 0xffffffff).
                long target = absolute ? value & 0xFFFF_FFFFL : address + value;
                yield Long.toHexString(target);
            }
            case IMM -> {
                Field f = v.value().asField();
                yield f != null && !f.signed() ? Integer.toUnsignedString(value) : Integer.toString(value);
            }
        };
    }

}
