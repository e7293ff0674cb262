package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.Field;

/**
 * Fixed-point compare, trap and select (Power ISA v3.0B Book I 3.3.10-3.3.12). L=0 compares the low words as
 * 32-bit numbers (sign- or zero-extended), L=1 the whole registers.
 */
final class FixedPointCompareOps {

    private static final GuestInterrupt TRAP = new GuestInterrupt.Program(GuestInterrupt.ProgramReason.TRAP, "");

    private FixedPointCompareOps() {
    }

    static void bind(SemanticsBinder b) {
        // The compares (7 % of the code run as decoded units) decode ahead (Semantics.decode).
        compare(b, "CMPI", false, "si");
        compare(b, "CMPLI", true, "ui");
        compare(b, "CMP", false, null);
        compare(b, "CMPL", true, null);
        b.bind("TWI", row -> {
            Field to = row.field("to");
            Field ra = row.field("ra");
            Field si = row.field("si");
            return (s, i) -> trap(s, to.raw(i), (int) s.gpr[ra.raw(i)], si.extract(i));
        });
        b.bind("TDI", row -> {
            Field to = row.field("to");
            Field ra = row.field("ra");
            Field si = row.field("si");
            return (s, i) -> trap(s, to.raw(i), s.gpr[ra.raw(i)], si.extract(i));
        });
        b.bind("TW", row -> {
            Field to = row.field("to");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> trap(s, to.raw(i), (int) s.gpr[ra.raw(i)], (int) s.gpr[rb.raw(i)]);
        });
        b.bind("TD", row -> {
            Field to = row.field("to");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> trap(s, to.raw(i), s.gpr[ra.raw(i)], s.gpr[rb.raw(i)]);
        });
        b.bind("ISEL", row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            Field bc = row.field("bc");
            return (s, i) -> {
                int a = ra.raw(i);
                s.gpr[rt.raw(i)] = s.crBit(bc.raw(i)) != 0 ? (a == 0 ? 0 : s.gpr[a]) : s.gpr[rb.raw(i)];
            };
        });
        // The v3.0 byte compares set BF to 0b0 || result || 0b00: LT, EQ and SO are cleared (Book I 3.3.10).
        b.bind("CMPRB", row -> {
            Field bf = row.field("bf");
            Field l = row.field("l");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> s.setCrField(bf.raw(i),
                    compareRangedByte(s.gpr[ra.raw(i)], s.gpr[rb.raw(i)], l.raw(i) != 0));
        });
        b.bind("CMPEQB", row -> {
            Field bf = row.field("bf");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> s.setCrField(bf.raw(i), compareEqualBytes(s.gpr[ra.raw(i)], s.gpr[rb.raw(i)]));
        });
        // setb (Book I 3.3.12, v3.0): -1 when CR field BFA has LT set, else 1 when GT is set, else 0.
        b.bind("SETB", row -> {
            Field rt = row.field("rt");
            Field bfa = row.field("bfa");
            return (s, i) -> {
                int f = s.crField(bfa.raw(i));
                s.gpr[rt.raw(i)] = (f & 8) != 0 ? -1 : (f & 4) != 0 ? 1 : 0;
            };
        });
    }

    /**
     * cmprb (Book I 3.3.10, v3.0): whether the low byte of RA lies in the byte range RB[56:63] (lower bound) to
     * RB[48:55] (upper bound), or with L=1 also in RB[40:47]..RB[32:39]; the answer goes to the GT bit of BF.
     */
    static int compareRangedByte(long a, long ranges, boolean twoRanges) {
        int v = (int) (a & 0xff);
        boolean in = inRange(v, ranges) || (twoRanges && inRange(v, ranges >>> 16));
        return in ? 4 : 0;
    }

    private static boolean inRange(int v, long range) {
        int lo = (int) (range & 0xff);
        int hi = (int) ((range >>> 8) & 0xff);
        return lo <= v && v <= hi;
    }

    /** cmpeqb (Book I 3.3.10, v3.0): whether any byte of RB equals the low byte of RA (GT bit of BF). */
    static int compareEqualBytes(long a, long b) {
        long v = a & 0xff;
        for (int k = 0; k < 8; k++) {
            if (((b >>> (8 * k)) & 0xff) == v) {
                return 4;
            }
        }
        return 0;
    }

    /** Traps when any condition TO selects holds: <, >, =, <u, >u (Book I 3.3.11). */
    static void trap(CpuState s, int to, long a, long b) {
        boolean hit = ((to & 16) != 0 && a < b)
                || ((to & 8) != 0 && a > b)
                || ((to & 4) != 0 && a == b)
                || ((to & 2) != 0 && Long.compareUnsigned(a, b) < 0)
                || ((to & 1) != 0 && Long.compareUnsigned(a, b) > 0);
        if (hit) {
            s.raise(TRAP);
        }
    }

    /** A compare row: with {@code immediate} the D form (RA with the field's value), else RA with RB. */
    private static void compare(SemanticsBinder b, String name, boolean unsigned, String immediate) {
        b.bind(name, row -> {
            Field bf = row.field("bf");
            Field l = row.field("l");
            Field ra = row.field("ra");
            Field rb = immediate == null ? row.field("rb") : null;
            Field imm = immediate == null ? null : row.field(immediate);
            return new Semantics() {
                @Override
                public void execute(CpuState s, int i) {
                    compare(s, unsigned, bf.raw(i), l.raw(i) != 0, ra.raw(i), rb == null ? -1 : rb.raw(i),
                            imm == null ? 0 : imm.extract(i));
                }

                @Override
                public DecodedInsn decode(int i) {
                    int field = bf.raw(i);
                    boolean wide = l.raw(i) != 0;
                    int a = ra.raw(i);
                    int bReg = rb == null ? -1 : rb.raw(i);
                    long value = imm == null ? 0 : imm.extract(i);
                    return s -> compare(s, unsigned, field, wide, a, bReg, value);
                }
            };
        });
    }

    /**
     * RA with RB ({@code rb} >= 0) or the immediate into CR field BF: the low words, sign- or zero-extended,
     * unless L (the immediate is already extended as its row's field says).
     */
    private static void compare(CpuState s, boolean unsigned, int bf, boolean wide, int ra, int rb, long imm) {
        long a = s.gpr[ra];
        long c = rb < 0 ? imm : s.gpr[rb];
        if (unsigned) {
            s.compareUnsigned(bf, wide ? a : a & 0xFFFF_FFFFL, rb < 0 || wide ? c : c & 0xFFFF_FFFFL);
        } else {
            s.compareSigned(bf, wide ? a : (int) a, rb < 0 || wide ? c : (int) c);
        }
    }
}
