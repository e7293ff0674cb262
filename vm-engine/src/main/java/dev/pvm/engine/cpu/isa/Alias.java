package dev.pvm.engine.cpu.isa;

import java.util.List;

/**
 * An extended mnemonic: a spelling of {@code base} used when all conditions hold (Power ISA Book I
 * appendix "Assembler Extended Mnemonics").
 *
 * @param mnemonic   upper case, possibly with a branch-hint + or -
 * @param base       the row it spells
 * @param conditions when it applies
 * @param operands   what it prints
 * @param line       line in the table
 */
public record Alias(String mnemonic, InsnPattern base, List<Condition> conditions, List<Operand> operands, int line) {

    public Alias {
        conditions = List.copyOf(conditions);
        operands = List.copyOf(operands);
    }

    /** Whether every condition holds for this instruction word. */
    public boolean matches(int insn) {
        for (Condition c : conditions) {
            if (!c.holds(insn)) {
                return false;
            }
        }
        return true;
    }

    /** A comparison between two expressions. */
    public enum Relation {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Relation(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        static Relation of(String symbol) {
            for (Relation r : values()) {
                if (r.symbol.equals(symbol)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("no relation " + symbol);
        }

        boolean test(int a, int b) {
            return switch (this) {
                case EQ -> a == b;
                case NE -> a != b;
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                case GE -> a >= b;
            };
        }
    }

    /** {@code left RELATION right}, e.g. {@code me == 31-sh} or {@code spr >= 272}. */
    public record Condition(Expr left, Relation relation, Expr right) {
        public boolean holds(int insn) {
            return relation.test(left.eval(insn), right.eval(insn));
        }
    }
}
