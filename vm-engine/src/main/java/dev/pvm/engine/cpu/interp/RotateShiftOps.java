package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.isa.Field;

/**
 * Fixed-point rotate and shift (Power ISA v3.0B Book I 3.3.14). Word rotates rotate the low word duplicated
 * into both halves (ROTL32); masks are MASK(x, y) with ISA bit numbers, wrapping when x > y.
 */
final class RotateShiftOps {

    private RotateShiftOps() {
    }

    /** MASK(mb, me): ones from ISA bit mb to bit me (0 = most significant), wrapping around when mb > me. */
    static long mask(int mb, int me) {
        long fromMb = -1L >>> mb;
        long toMe = me == 63 ? -1L : ~(-1L >>> (me + 1));
        return mb <= me ? fromMb & toMe : fromMb | toMe;
    }

    /** ROTL32: the low word, duplicated into both halves, rotated left by n (0..31). */
    static long rotl32(long x, int n) {
        long w = x & 0xFFFF_FFFFL;
        return Long.rotateLeft(w | (w << 32), n);
    }

    @FunctionalInterface
    interface Rotate {
        /** The new RA from the rotate source, old RA and the shift/mask operands. */
        long apply(long rs, long ra, int n, int mb, int me);
    }

    static void bind(SemanticsBinder b) {
        rotate(b, "RLWINM", false, (rs, ra, n, mb, me) -> rotl32(rs, n) & mask(mb + 32, me + 32));
        rotate(b, "RLWNM", true, (rs, ra, n, mb, me) -> rotl32(rs, n & 31) & mask(mb + 32, me + 32));
        rotate(b, "RLWIMI", false, (rs, ra, n, mb, me) -> {
            long m = mask(mb + 32, me + 32);
            return (rotl32(rs, n) & m) | (ra & ~m);
        });
        rotate(b, "RLDICL", false, (rs, ra, n, mb, me) -> Long.rotateLeft(rs, n) & mask(mb, 63));
        rotate(b, "RLDICR", false, (rs, ra, n, mb, me) -> Long.rotateLeft(rs, n) & mask(0, me));
        rotate(b, "RLDIC", false, (rs, ra, n, mb, me) -> Long.rotateLeft(rs, n) & mask(mb, 63 - n));
        rotate(b, "RLDIMI", false, (rs, ra, n, mb, me) -> {
            long m = mask(mb, 63 - n);
            return (Long.rotateLeft(rs, n) & m) | (ra & ~m);
        });
        rotate(b, "RLDCL", true, (rs, ra, n, mb, me) -> Long.rotateLeft(rs, n & 63) & mask(mb, 63));
        rotate(b, "RLDCR", true, (rs, ra, n, mb, me) -> Long.rotateLeft(rs, n & 63) & mask(0, me));

        // Word shifts use 6 bits of RB: amounts 32..63 shift everything out.
        shift(b, "SLW", (s, x, n) -> (n & 63) < 32 ? (x << (n & 63)) & 0xFFFF_FFFFL : 0);
        shift(b, "SRW", (s, x, n) -> (n & 63) < 32 ? (x & 0xFFFF_FFFFL) >>> (n & 63) : 0);
        shift(b, "SRAW", (s, x, n) -> XerArithmetic.shiftRightAlgebraicWord(s, x, (int) (n & 63)));
        // Doubleword shifts use 7 bits of RB: amounts 64..127 shift everything out.
        shift(b, "SLD", (s, x, n) -> (n & 127) < 64 ? x << (n & 127) : 0);
        shift(b, "SRD", (s, x, n) -> (n & 127) < 64 ? x >>> (n & 127) : 0);
        shift(b, "SRAD", (s, x, n) -> XerArithmetic.shiftRightAlgebraicDouble(s, x, (int) (n & 127)));
        b.bind("SRAWI", row -> {
            Field ra = row.field("ra");
            Field rs = row.field("rs");
            Field sh = row.field("sh");
            Field rc = row.field("rc");
            return (s, i) -> {
                long r = XerArithmetic.shiftRightAlgebraicWord(s, s.gpr[rs.raw(i)], sh.raw(i));
                s.gpr[ra.raw(i)] = r;
                if (rc.raw(i) != 0) {
                    s.recordCr0(r);
                }
            };
        });
        // extswsli (Book I 3.3.14.2, v3.0): the sign-extended low word shifted left by SH (0..63).
        b.bind("EXTSWSLI", row -> {
            Field ra = row.field("ra");
            Field rs = row.field("rs");
            Field sh = row.field("sh");
            Field rc = row.field("rc");
            return (s, i) -> {
                long r = (long) (int) s.gpr[rs.raw(i)] << sh.raw(i);
                s.gpr[ra.raw(i)] = r;
                if (rc.raw(i) != 0) {
                    s.recordCr0(r);
                }
            };
        });
        b.bind("SRADI", row -> {
            Field ra = row.field("ra");
            Field rs = row.field("rs");
            Field sh = row.field("sh");
            Field rc = row.field("rc");
            return (s, i) -> {
                long r = XerArithmetic.shiftRightAlgebraicDouble(s, s.gpr[rs.raw(i)], sh.raw(i));
                s.gpr[ra.raw(i)] = r;
                if (rc.raw(i) != 0) {
                    s.recordCr0(r);
                }
            };
        });
    }

    /**
     * The rotates decode ahead (Semantics.decode): 6 % of the code run as decoded units, and the MD-form rows'
     * split SH and MB fields are the costliest to extract.
     */
    private static void rotate(SemanticsBinder b, String name, boolean byRegister, Rotate op) {
        b.bind(name, row -> {
            Field ra = row.field("ra");
            Field rs = row.field("rs");
            Field amount = byRegister ? row.field("rb") : row.field("sh");
            Field mb = FixedPointArithmeticOps.optional(row, "mb");
            Field me = FixedPointArithmeticOps.optional(row, "me");
            Field rc = row.field("rc");
            return new Semantics() {
                @Override
                public void execute(CpuState s, int i) {
                    rotate(s, op, byRegister, ra.raw(i), rs.raw(i), amount.raw(i), mb == null ? 0 : mb.raw(i),
                            me == null ? 63 : me.raw(i), rc.raw(i) != 0);
                }

                @Override
                public DecodedInsn decode(int i) {
                    int a = ra.raw(i);
                    int sReg = rs.raw(i);
                    int n = amount.raw(i);
                    int begin = mb == null ? 0 : mb.raw(i);
                    int end = me == null ? 63 : me.raw(i);
                    boolean record = rc.raw(i) != 0;
                    return s -> rotate(s, op, byRegister, a, sReg, n, begin, end, record);
                }
            };
        });
    }

    /** RA = op(RS, RA, n, mb, me), n being the SH field or, by register, RB's contents; then Rc. */
    private static void rotate(CpuState s, Rotate op, boolean byRegister, int a, int sReg, int amount, int mb,
            int me, boolean record) {
        int n = byRegister ? (int) s.gpr[amount] : amount;
        long r = op.apply(s.gpr[sReg], s.gpr[a], n, mb, me);
        s.gpr[a] = r;
        if (record) {
            s.recordCr0(r);
        }
    }

    @FunctionalInterface
    interface Shift {
        long apply(CpuState s, long x, long amount);
    }

    private static void shift(SemanticsBinder b, String name, Shift op) {
        b.bind(name, row -> {
            Field ra = row.field("ra");
            Field rs = row.field("rs");
            Field rb = row.field("rb");
            Field rc = row.field("rc");
            return (s, i) -> {
                long r = op.apply(s, s.gpr[rs.raw(i)], s.gpr[rb.raw(i)]);
                s.gpr[ra.raw(i)] = r;
                if (rc.raw(i) != 0) {
                    s.recordCr0(r);
                }
            };
        });
    }
}
