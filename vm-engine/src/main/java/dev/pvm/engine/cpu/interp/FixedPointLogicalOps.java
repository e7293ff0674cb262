package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.isa.Field;
import dev.pvm.engine.cpu.runtime.TranslatedOps;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * Fixed-point logical instructions (Power ISA v3.0B Book I 3.3.13): and/or/xor families with immediates,
 * sign extension, count leading/trailing zeros, population count and compare bytes.
 */
final class FixedPointLogicalOps {

    /** The D-form rows' operations (constants, not functional objects: one call site serves them all). */
    private static final int AND = 0;
    private static final int OR = 1;
    private static final int XOR = 2;

    private FixedPointLogicalOps() {
    }

    static void bind(SemanticsBinder b) {
        immediate(b, "ANDI.", AND, 0, true);
        immediate(b, "ANDIS.", AND, 16, true);
        immediate(b, "ORI", OR, 0, false);
        immediate(b, "ORIS", OR, 16, false);
        immediate(b, "XORI", XOR, 0, false);
        immediate(b, "XORIS", XOR, 16, false);

        binary(b, "AND", (x, y) -> x & y);
        binary(b, "ANDC", (x, y) -> x & ~y);
        bindOr(b);
        binary(b, "ORC", (x, y) -> x | ~y);
        binary(b, "XOR", (x, y) -> x ^ y);
        binary(b, "NAND", (x, y) -> ~(x & y));
        binary(b, "NOR", (x, y) -> ~(x | y));
        binary(b, "EQV", (x, y) -> ~(x ^ y));
        binary(b, "CMPB", TranslatedOps::compareBytes);

        unary(b, "EXTSB", x -> (byte) x);
        unary(b, "EXTSH", x -> (short) x);
        unary(b, "EXTSW", x -> (int) x);
        unary(b, "CNTLZW", x -> Integer.numberOfLeadingZeros((int) x));
        unary(b, "CNTLZD", x -> Long.numberOfLeadingZeros(x));
        unary(b, "CNTTZW", x -> Integer.numberOfTrailingZeros((int) x));
        unary(b, "CNTTZD", x -> Long.numberOfTrailingZeros(x));
        unary(b, "POPCNTB", FixedPointLogicalOps::popcountBytes);
        unary(b, "POPCNTW", x -> ((long) Integer.bitCount((int) (x >>> 32)) << 32) | Integer.bitCount((int) x));
        unary(b, "POPCNTD", x -> Long.bitCount(x));
        unary(b, "PRTYW", FixedPointLogicalOps::parityWords);
        unary(b, "PRTYD", x -> Long.bitCount(x & 0x0101_0101_0101_0101L) & 1);
        binary(b, "BPERMD", FixedPointLogicalOps::permuteBits);
    }

    /**
     * or, including its priority forms (Book II 3.2, "Program Priority Register"): {@code or Rx,Rx,Rx} with x = 31,
     * 1, 6, 2 sets PPR[PRI] to very low, low, medium-low and medium from any state; x = 5 and 3 (medium-high and
     * high) only in supervisor state; in problem state those leave PPR alone. Register contents are unchanged
     * either way, since RA = RS | RS.
     */
    private static void bindOr(SemanticsBinder b) {
        b.bind("OR", row -> {
            Field ra = row.field("ra");
            Field rs = row.field("rs");
            Field rb = row.field("rb");
            Field rc = row.field("rc");
            // or (mr among others: 7 % of the code run as decoded units) decodes ahead (Semantics.decode).
            return new Semantics() {
                @Override
                public void execute(CpuState s, int i) {
                    or(s, ra.raw(i), rs.raw(i), rb.raw(i), rc.raw(i) != 0);
                }

                @Override
                public DecodedInsn decode(int i) {
                    int a = ra.raw(i);
                    int sReg = rs.raw(i);
                    int bReg = rb.raw(i);
                    boolean record = rc.raw(i) != 0;
                    return s -> or(s, a, sReg, bReg, record);
                }
            };
        });
    }

    private static void or(CpuState s, int a, int sReg, int bReg, boolean record) {
        long r = s.gpr[sReg] | s.gpr[bReg];
        s.gpr[a] = r;
        if (record) {
            s.recordCr0(r);
        } else if (a == sReg && a == bReg) {
            int priority = programPriority(a, s.problemState());
            if (priority != 0) {
                s.ppr = (s.ppr & ~(7L << 50)) | ((long) priority << 50);
            }
        }
    }

    /** PPR[PRI] that {@code or x,x,x} selects in the given state, or 0 when it changes nothing. */
    static int programPriority(int x, boolean problemState) {
        return switch (x) {
            case 31 -> 1;
            case 1 -> 2;
            case 6 -> 3;
            case 2 -> 4;
            case 5 -> problemState ? 0 : 5;
            case 3 -> problemState ? 0 : 6;
            default -> 0;
        };
    }

    /** prtyw: per word, the parity of the least significant bit of each of its bytes (Book I 3.3.13). */
    static long parityWords(long x) {
        long bits = x & 0x0101_0101_0101_0101L;
        long high = Long.bitCount(bits >>> 32) & 1;
        long low = Long.bitCount(bits & 0xFFFF_FFFFL) & 1;
        return (high << 32) | low;
    }

    /**
     * bpermd (Book I 3.3.13): byte i of RS (from the left) indexes a bit of RB (0 = most significant); the eight
     * selected bits, bit 0 first, form the low byte of RA. Indexes of 64 and above select 0.
     */
    static long permuteBits(long rs, long rb) {
        long r = 0;
        for (int i = 0; i < 8; i++) {
            int index = (int) ((rs >>> (56 - 8 * i)) & 0xff);
            long bit = index < 64 ? (rb >>> (63 - index)) & 1 : 0;
            r |= bit << (7 - i);
        }
        return r;
    }

    /** Each byte of the result counts the one bits of that byte (popcntb). */
    static long popcountBytes(long x) {
        long r = 0;
        for (int i = 0; i < 8; i++) {
            r |= (long) Integer.bitCount((int) (x >>> (8 * i)) & 0xff) << (8 * i);
        }
        return r;
    }

    /** andi., andis., ori, oris, xori, xoris: decoded ahead (Semantics.decode), ori alone being 4 % of cold code. */
    private static void immediate(SemanticsBinder b, String name, int op, int shift, boolean record) {
        b.bind(name, row -> {
            Field ra = row.field("ra");
            Field rs = row.field("rs");
            Field ui = row.field("ui");
            return new Semantics() {
                @Override
                public void execute(CpuState s, int i) {
                    logicalImmediate(s, op, ra.raw(i), rs.raw(i), (long) ui.raw(i) << shift, record);
                }

                @Override
                public DecodedInsn decode(int i) {
                    int a = ra.raw(i);
                    int sReg = rs.raw(i);
                    long imm = (long) ui.raw(i) << shift;
                    return s -> logicalImmediate(s, op, a, sReg, imm, record);
                }
            };
        });
    }

    private static void logicalImmediate(CpuState s, int op, int a, int sReg, long imm, boolean record) {
        long x = s.gpr[sReg];
        long r = op == AND ? x & imm : op == OR ? x | imm : x ^ imm;
        s.gpr[a] = r;
        if (record) {
            s.recordCr0(r);
        }
    }

    private static void binary(SemanticsBinder b, String name, LongBinaryOperator op) {
        b.bind(name, row -> {
            Field ra = row.field("ra");
            Field rs = row.field("rs");
            Field rb = row.field("rb");
            Field rc = FixedPointArithmeticOps.optional(row, "rc");
            return (s, i) -> {
                long r = op.applyAsLong(s.gpr[rs.raw(i)], s.gpr[rb.raw(i)]);
                s.gpr[ra.raw(i)] = r;
                if (rc != null && rc.raw(i) != 0) {
                    s.recordCr0(r);
                }
            };
        });
    }

    private static void unary(SemanticsBinder b, String name, LongUnaryOperator op) {
        b.bind(name, row -> {
            Field ra = row.field("ra");
            Field rs = row.field("rs");
            Field rc = FixedPointArithmeticOps.optional(row, "rc");
            return (s, i) -> {
                long r = op.applyAsLong(s.gpr[rs.raw(i)]);
                s.gpr[ra.raw(i)] = r;
                if (rc != null && rc.raw(i) != 0) {
                    s.recordCr0(r);
                }
            };
        });
    }
}
