package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.runtime.HelperEffect;
import dev.pvm.engine.cpu.runtime.HelperEffect.Effect;

/**
 * The fixed-point operations that set XER's CA, CA32, OV, OV32 and SO (Book I 3.3.9, 3.3.14.2): one definition
 * shared by the interpreter's semantics and the translator's inline code, which calls these methods directly.
 */
public final class XerArithmetic {

    private XerArithmetic() {
    }

    /**
     * x + y + carryIn, setting CA/CA32 when asked and OV/OV32/SO when {@code overflow}.
     * Subtraction is ~a + b + 1 (Book I 3.3.9 "subtract from").
     */
    @HelperEffect(Effect.XER)
    public static long add(CpuState s, long x, long y, int carryIn, boolean setCarry, boolean overflow) {
        long r = x + y + carryIn;
        if (setCarry) {
            boolean carry64 = carryIn == 0 ? Long.compareUnsigned(r, x) < 0 : Long.compareUnsigned(r, x) <= 0;
            long low = (x & 0xFFFF_FFFFL) + (y & 0xFFFF_FFFFL) + carryIn;
            s.setCarry(carry64, (low >>> 32) != 0);
        }
        if (overflow) {
            boolean ov64 = ((x ^ r) & (y ^ r)) < 0;
            boolean ov32 = (((int) x ^ (int) r) & ((int) y ^ (int) r)) < 0;
            s.setOverflow(ov64, ov32);
        }
        return r;
    }

    /** sraw/srawi: CA (and CA32) is set when the word is negative and one bits were shifted out. */
    @HelperEffect(Effect.XER)
    public static long shiftRightAlgebraicWord(CpuState s, long x, int n) {
        int v = (int) x;
        long r;
        boolean carry;
        if (n < 32) {
            r = v >> n;
            carry = v < 0 && (v & ((1 << n) - 1)) != 0;
        } else {
            r = v >> 31;
            carry = v < 0;
        }
        s.setCarry(carry, carry);
        return r;
    }

    /** srad/sradi: as for words, over 64 bits. */
    @HelperEffect(Effect.XER)
    public static long shiftRightAlgebraicDouble(CpuState s, long x, int n) {
        long r;
        boolean carry;
        if (n < 64) {
            r = x >> n;
            carry = x < 0 && (x & ((1L << n) - 1)) != 0;
        } else {
            r = x >> 63;
            carry = x < 0;
        }
        s.setCarry(carry, carry);
        return r;
    }
}
