package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.Field;
import dev.pvm.engine.cpu.runtime.TranslatedOps;
import java.math.BigInteger;
import java.util.function.LongBinaryOperator;
import dev.pvm.engine.cpu.isa.InsnPattern;

/**
 * Fixed-point arithmetic (Power ISA v3.0B Book I 3.3.9): add and subtract with their carrying, extended and
 * overflow (OE) and record (Rc) forms, multiply and divide.
 *
 * <p>Carry: CA is the carry out of bit 0 in 64-bit mode and out of bit 32 in 32-bit mode; CA32 is always the
 * carry out of bit 32. Overflow: OV likewise for the 64- or 32-bit signed result, OV32 for the low word, SO
 * accumulates. Multiply and divide set OV32 equal to OV, as POWER9 (and QEMU) do.
 */
final class FixedPointArithmeticOps {

    private static final GuestInterrupt ADDEX_RESERVED_CY = new GuestInterrupt.Program(
            GuestInterrupt.ProgramReason.ILLEGAL_INSTRUCTION, "addex with CY != 0 (reserved, Book I 3.3.9)");
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private FixedPointArithmeticOps() {
    }

    /** How the second addend and the carry-in of an XO-form add are formed. */
    private enum AddKind {
        /** ra + rb (+ 0). */
        PLAIN,
        /** ra + rb + CA. */
        EXTENDED,
        /** ra + (-1) + CA, no rb. */
        MINUS_ONE,
        /** ra + 0 + CA, no rb. */
        ZERO
    }

    static void bind(SemanticsBinder b) {
        b.bind("ADDI", row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field si = row.field("si");
            return (s, i) -> {
                int a = ra.raw(i);
                s.gpr[rt.raw(i)] = (a == 0 ? 0 : s.gpr[a]) + si.extract(i);
            };
        });
        b.bind("ADDIS", row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field si = row.field("si");
            return (s, i) -> {
                int a = ra.raw(i);
                s.gpr[rt.raw(i)] = (a == 0 ? 0 : s.gpr[a]) + ((long) si.extract(i) << 16);
            };
        });
        for (String name : new String[] {"ADDIC", "ADDIC."}) {
            boolean record = name.endsWith(".");
            b.bind(name, row -> {
                Field rt = row.field("rt");
                Field ra = row.field("ra");
                Field si = row.field("si");
                return (s, i) -> {
                    long r = XerArithmetic.add(s, s.gpr[ra.raw(i)], si.extract(i), 0, true, false);
                    s.gpr[rt.raw(i)] = r;
                    if (record) {
                        s.recordCr0(r);
                    }
                };
            });
        }
        b.bind("SUBFIC", row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field si = row.field("si");
            return (s, i) -> s.gpr[rt.raw(i)] = XerArithmetic.add(s, ~s.gpr[ra.raw(i)], si.extract(i), 1, true,
                    false);
        });
        b.bind("MULLI", row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field si = row.field("si");
            return (s, i) -> s.gpr[rt.raw(i)] = s.gpr[ra.raw(i)] * si.extract(i);
        });

        addXo(b, "ADD", false, AddKind.PLAIN, false);
        addXo(b, "ADDC", false, AddKind.PLAIN, true);
        addXo(b, "ADDE", false, AddKind.EXTENDED, true);
        addXo(b, "ADDME", false, AddKind.MINUS_ONE, true);
        addXo(b, "ADDZE", false, AddKind.ZERO, true);
        addXo(b, "SUBF", true, AddKind.PLAIN, false);
        addXo(b, "SUBFC", true, AddKind.PLAIN, true);
        addXo(b, "SUBFE", true, AddKind.EXTENDED, true);
        addXo(b, "SUBFME", true, AddKind.MINUS_ONE, true);
        addXo(b, "SUBFZE", true, AddKind.ZERO, true);
        b.bind("NEG", row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field oe = row.field("oe");
            Field rc = row.field("rc");
            return (s, i) -> {
                long r = XerArithmetic.add(s, ~s.gpr[ra.raw(i)], 0, 1, false, oe.raw(i) != 0);
                s.gpr[rt.raw(i)] = r;
                if (rc.raw(i) != 0) {
                    s.recordCr0(r);
                }
            };
        });

        xoBinary(b, "MULLD", (s, x, y, oe) -> {
            long r = x * y;
            if (oe) {
                boolean overflow = Math.multiplyHigh(x, y) != (r >> 63);
                s.setOverflow(overflow, overflow);
            }
            return r;
        });
        xoBinary(b, "MULLW", (s, x, y, oe) -> {
            long r = (long) (int) x * (int) y;
            if (oe) {
                boolean overflow = r != (int) r;
                s.setOverflow(overflow, overflow);
            }
            return r;
        });
        xoBinary(b, "MULHD", (s, x, y, oe) -> Math.multiplyHigh(x, y));
        xoBinary(b, "MULHDU", (s, x, y, oe) -> Math.unsignedMultiplyHigh(x, y));
        // The high word of RT is undefined (Book I 3.3.9); QEMU zero-extends, and so do we.
        xoBinary(b, "MULHW", (s, x, y, oe) -> (((long) (int) x * (int) y) >> 32) & 0xFFFF_FFFFL);
        xoBinary(b, "MULHWU", (s, x, y, oe) -> ((x & 0xFFFF_FFFFL) * (y & 0xFFFF_FFFFL)) >>> 32);

        // Division by zero and the most negative number divided by -1 leave RT undefined (Book I 3.3.9): see
        // TranslatedOps.divideDoubleword, shared with the translator. OE=1 sets OV and OV32 for those cases.
        xoBinary(b, "DIVD", (s, x, y, oe) -> {
            if (oe) {
                boolean invalid = y == 0 || (x == Long.MIN_VALUE && y == -1);
                s.setOverflow(invalid, invalid);
            }
            return TranslatedOps.divideDoubleword(x, y);
        });
        xoBinary(b, "DIVDU", (s, x, y, oe) -> {
            if (oe) {
                s.setOverflow(y == 0, y == 0);
            }
            return TranslatedOps.divideDoublewordUnsigned(x, y);
        });
        xoBinary(b, "DIVW", (s, x, y, oe) -> {
            if (oe) {
                boolean invalid = (int) y == 0 || ((int) x == Integer.MIN_VALUE && (int) y == -1);
                s.setOverflow(invalid, invalid);
            }
            return TranslatedOps.divideWord(x, y);
        });
        xoBinary(b, "DIVWU", (s, x, y, oe) -> {
            if (oe) {
                s.setOverflow((int) y == 0, (int) y == 0);
            }
            return TranslatedOps.divideWordUnsigned(x, y);
        });

        // Divide extended (Book I 3.3.9): the dividend is RA followed by 64 (or, for words, 32) zero bits. When the
        // quotient does not fit or the divisor is 0, RT is undefined; QEMU (helper_divde and friends) writes 0 and
        // sets OV and OV32, and so do we. divwe's quotient is sign-extended, divweu's zero-extended, as QEMU does.
        // divde: the ISA makes RT undefined and sets OV when the quotient does not fit in 64 signed bits. QEMU
        // (helper_divde), our oracle, decides overflow as RB = 0 or |RA| >= |RB| instead and otherwise returns the
        // low 64 bits of the quotient; that differs from the ISA only when the quotient is 2^63 or more with
        // |RA| < |RB| (e.g. 1/2), where QEMU reports no overflow. We follow QEMU so user-mode output matches it.
        xoBinary(b, "DIVDE", (s, x, y, oe) -> {
            boolean invalid = y == 0 || Long.compareUnsigned(unsignedAbs(x), unsignedAbs(y)) >= 0;
            long q = invalid ? 0 : BigInteger.valueOf(x).shiftLeft(64).divide(BigInteger.valueOf(y)).longValue();
            return divideResult(s, invalid, q, oe);
        });
        xoBinary(b, "DIVDEU", (s, x, y, oe) -> {
            boolean invalid = y == 0 || Long.compareUnsigned(x, y) >= 0;
            long q = invalid ? 0 : unsigned(x).shiftLeft(64).divide(unsigned(y)).longValue();
            return divideResult(s, invalid, q, oe);
        });
        xoBinary(b, "DIVWE", (s, x, y, oe) -> {
            long dividend = x << 32;
            long divisor = (int) y;
            boolean invalid = divisor == 0 || (dividend == Long.MIN_VALUE && divisor == -1);
            long q = invalid ? 0 : dividend / divisor;
            invalid |= q != (int) q;
            return divideResult(s, invalid, q, oe);
        });
        xoBinary(b, "DIVWEU", (s, x, y, oe) -> {
            long dividend = x << 32;
            long divisor = y & 0xFFFF_FFFFL;
            boolean invalid = divisor == 0;
            long q = invalid ? 0 : Long.divideUnsigned(dividend, divisor);
            invalid |= Long.compareUnsigned(q, 0xFFFF_FFFFL) > 0;
            return divideResult(s, invalid, q, oe);
        });

        // Modulo (Book I 3.3.9, v3.0): undefined for a zero divisor and for the most negative number modulo -1;
        // QEMU divides by 1 instead (the remainder is then 0), and so do we. Word results are sign- (modsw) or
        // zero- (moduw) extended.
        xRegisters(b, "MODSD", (x, y) -> y == 0 || (x == Long.MIN_VALUE && y == -1) ? 0 : x % y);
        xRegisters(b, "MODUD", (x, y) -> y == 0 ? 0 : Long.remainderUnsigned(x, y));
        xRegisters(b, "MODSW", (x, y) -> {
            int a = (int) x;
            int d = (int) y;
            return d == 0 || (a == Integer.MIN_VALUE && d == -1) ? 0 : a % d;
        });
        xRegisters(b, "MODUW", (x, y) -> (int) y == 0 ? 0
                : Integer.remainderUnsigned((int) x, (int) y) & 0xFFFF_FFFFL);

        // Multiply-add (Book I 3.3.9, v3.0): the 128-bit RA*RB + RC, high or low doubleword.
        multiplyAdd(b, "MADDLD", (x, y, z) -> x * y + z);
        multiplyAdd(b, "MADDHD", (x, y, z) -> {
            long low = x * y;
            long high = Math.multiplyHigh(x, y);
            long sum = low + z;
            // carry out of the low doubleword, plus the sign extension of RC into the high one
            return high + (Long.compareUnsigned(sum, low) < 0 ? 1 : 0) + (z >> 63);
        });
        multiplyAdd(b, "MADDHDU", (x, y, z) -> {
            long low = x * y;
            long high = Math.unsignedMultiplyHigh(x, y);
            long sum = low + z;
            return high + (Long.compareUnsigned(sum, low) < 0 ? 1 : 0);
        });

        // addex (Book I 3.3.9, v3.0): with CY=0 it adds with OV as the carry in and puts the carry out in OV (and
        // the carry out of the low word in OV32), leaving SO and CA alone. Other CY values are reserved.
        b.bind("ADDEX", row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            Field cy = row.field("cy");
            return (s, i) -> {
                if (cy.raw(i) != 0) {
                    s.raise(ADDEX_RESERVED_CY);
                    return;
                }
                long x = s.gpr[ra.raw(i)];
                long y = s.gpr[rb.raw(i)];
                long r = x + y + s.ov;
                boolean carry64 = s.ov == 0 ? Long.compareUnsigned(r, x) < 0 : Long.compareUnsigned(r, x) <= 0;
                boolean carry32 = (((x & 0xFFFF_FFFFL) + (y & 0xFFFF_FFFFL) + s.ov) >>> 32) != 0;
                s.ov = (s.sixtyFourBit() ? carry64 : carry32) ? 1 : 0;
                s.ov32 = carry32 ? 1 : 0;
                s.gpr[rt.raw(i)] = r;
            };
        });
        // addpcis (Book I 3.3.9, v3.0): RT = NIA + (D || 16 zeros).
        b.bind("ADDPCIS", row -> {
            Field rt = row.field("rt");
            Field d = row.field("d");
            return (s, i) -> s.gpr[rt.raw(i)] = s.ea(s.nia + ((long) d.extract(i) << 16));
        });
    }

    /** |x| as an unsigned number (|Long.MIN_VALUE| = 2^63). */
    private static long unsignedAbs(long x) {
        return x < 0 ? -x : x;
    }

    private static BigInteger unsigned(long x) {
        BigInteger v = BigInteger.valueOf(x);
        return x < 0 ? v.add(TWO_TO_64) : v;
    }

    /** The divide-extended result: 0 and OV/OV32 (SO sticky) when invalid, as QEMU's helper_update_ov_legacy. */
    private static long divideResult(CpuState s, boolean invalid, long quotient, boolean oe) {
        if (oe) {
            s.setOverflow(invalid, invalid);
        }
        return invalid ? 0 : quotient;
    }

    @FunctionalInterface
    interface TernaryOp {
        long apply(long x, long y, long z);
    }

    private static void multiplyAdd(SemanticsBinder b, String name, TernaryOp op) {
        b.bind(name, row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            Field rc = row.field("rc");
            return (s, i) -> s.gpr[rt.raw(i)] = op.apply(s.gpr[ra.raw(i)], s.gpr[rb.raw(i)], s.gpr[rc.raw(i)]);
        });
    }

    /** rt = op(ra, rb) for X-form rows without OE or Rc. */
    private static void xRegisters(SemanticsBinder b, String name, LongBinaryOperator op) {
        b.bind(name, row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> s.gpr[rt.raw(i)] = op.applyAsLong(s.gpr[ra.raw(i)], s.gpr[rb.raw(i)]);
        });
    }

    private static void addXo(SemanticsBinder b, String name, boolean subtractFrom, AddKind kind, boolean carrying) {
        b.bind(name, row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field rb = row.hasField("rb") ? row.field("rb") : null;
            Field oe = row.field("oe");
            Field rc = row.field("rc");
            return (s, i) -> {
                long a = s.gpr[ra.raw(i)];
                long x = subtractFrom ? ~a : a;
                long y;
                int carryIn;
                switch (kind) {
                    case PLAIN -> {
                        y = s.gpr[rb.raw(i)];
                        carryIn = subtractFrom ? 1 : 0;
                    }
                    case EXTENDED -> {
                        y = s.gpr[rb.raw(i)];
                        carryIn = s.ca;
                    }
                    case MINUS_ONE -> {
                        y = -1;
                        carryIn = s.ca;
                    }
                    default -> {
                        y = 0;
                        carryIn = s.ca;
                    }
                }
                long r = XerArithmetic.add(s, x, y, carryIn, carrying, oe.raw(i) != 0);
                s.gpr[rt.raw(i)] = r;
                if (rc.raw(i) != 0) {
                    s.recordCr0(r);
                }
            };
        });
    }

    @FunctionalInterface
    interface BinaryOp {
        long apply(CpuState s, long x, long y, boolean oe);
    }

    /** rt = op(ra, rb), with OE when the row has it, then Rc. */
    private static void xoBinary(SemanticsBinder b, String name, BinaryOp op) {
        b.bind(name, row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            Field oe = optional(row, "oe");
            Field rc = row.field("rc");
            return (s, i) -> {
                long r = op.apply(s, s.gpr[ra.raw(i)], s.gpr[rb.raw(i)], oe != null && oe.raw(i) != 0);
                s.gpr[rt.raw(i)] = r;
                if (rc.raw(i) != 0) {
                    s.recordCr0(r);
                }
            };
        });
    }

    static Field optional(InsnPattern row, String name) {
        return row.hasField(name) ? row.field(name) : null;
    }
}
