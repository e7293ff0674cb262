package dev.pvm.engine.cpu.isa;

/**
 * An integer expression over an instruction's fields, used by extended-mnemonic conditions and operands
 * ({@code 31-sh}, {@code bi/4}, {@code bi%4}).
 */
public sealed interface Expr {

    /** The expression's value for one instruction word. */
    int eval(int insn);

    /** A constant. */
    record Const(int value) implements Expr {
        @Override
        public int eval(int insn) {
            return value;
        }

        @Override
        public String toString() {
            return Integer.toString(value);
        }
    }

    /** A field's value. */
    record FieldRef(Field field) implements Expr {
        @Override
        public int eval(int insn) {
            return field.extract(insn);
        }

        @Override
        public String toString() {
            return field.name();
        }
    }

    /** A binary operation: one of {@code + - * / %} (division truncates; by zero yields 0). */
    record Binary(char op, Expr left, Expr right) implements Expr {
        @Override
        public int eval(int insn) {
            int l = left.eval(insn);
            int r = right.eval(insn);
            return switch (op) {
                case '+' -> l + r;
                case '-' -> l - r;
                case '*' -> l * r;
                case '/' -> r == 0 ? 0 : l / r;
                case '%' -> r == 0 ? 0 : l % r;
                default -> throw new IllegalStateException("operator " + op);
            };
        }

        @Override
        public String toString() {
            return "(" + left + op + right + ")";
        }
    }

    /** The field when the expression is a plain field reference, otherwise null. */
    default Field asField() {
        return this instanceof FieldRef(Field f) ? f : null;
    }
}
