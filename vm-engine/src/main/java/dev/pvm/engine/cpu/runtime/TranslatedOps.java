package dev.pvm.engine.cpu.runtime;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.interp.GuestInterruptSignal;
import dev.pvm.engine.cpu.runtime.HelperEffect.Effect;
import dev.pvm.engine.memory.GuestMemoryAccessException;

/**
 * Static helpers for translated code: small pure functions HotSpot inlines, and the exits that need more than a
 * few bytecodes. Each one declares its {@link HelperEffect}.
 */
public final class TranslatedOps {

    private TranslatedOps() {
    }

    /**
     * cmpb (Book I 3.3.13): each byte 0xff where the bytes of {@code a} and {@code b} are equal, else 0. Branch-free:
     * adding 0x7f to each byte's low seven bits sets its high bit unless they are zero, without a carry into the
     * next byte; ORing the byte itself covers 0x80.
     */
    @HelperEffect(Effect.PURE)
    public static long compareBytes(long a, long b) {
        long x = a ^ b;
        long nonzero = ((x & 0x7f7f_7f7f_7f7f_7f7fL) + 0x7f7f_7f7f_7f7f_7f7fL) | x;
        return ((~nonzero & 0x8080_8080_8080_8080L) >>> 7) * 0xff;
    }

    /**
     * divd's quotient (Book I 3.3.9). Division by zero and the most negative number divided by -1 leave RT
     * undefined; we divide by 1 instead, as QEMU does, so user-mode results can be compared with qemu-ppc64le.
     */
    @HelperEffect(Effect.PURE)
    public static long divideDoubleword(long x, long y) {
        return y == 0 || (x == Long.MIN_VALUE && y == -1) ? x : x / y;
    }

    /** divdu's quotient; RT undefined for a zero divisor: RA, as {@link #divideDoubleword}. */
    @HelperEffect(Effect.PURE)
    public static long divideDoublewordUnsigned(long x, long y) {
        return y == 0 ? x : Long.divideUnsigned(x, y);
    }

    /** divw's quotient of the low words, zero-extended; the undefined cases as {@link #divideDoubleword}. */
    @HelperEffect(Effect.PURE)
    public static long divideWord(long x, long y) {
        int a = (int) x;
        int d = (int) y;
        return (d == 0 || (a == Integer.MIN_VALUE && d == -1) ? a : a / d) & 0xFFFF_FFFFL;
    }

    /** divwu's quotient of the low words, zero-extended; RA's low word for a zero divisor. */
    @HelperEffect(Effect.PURE)
    public static long divideWordUnsigned(long x, long y) {
        int a = (int) x;
        int d = (int) y;
        return (d == 0 ? a : Integer.divideUnsigned(a, d)) & 0xFFFF_FFFFL;
    }

    /** A CR field's LT/GT/EQ bits for a signed comparison (Book I 3.3.10), SO not included. */
    @HelperEffect(Effect.PURE)
    public static int compareSigned(long a, long b) {
        return a < b ? 8 : a > b ? 4 : 2;
    }

    @HelperEffect(Effect.PURE)
    public static int compareUnsigned(long a, long b) {
        int c = Long.compareUnsigned(a, b);
        return c < 0 ? 8 : c > 0 ? 4 : 2;
    }

    /** The ISA's MASK(mb, me) over 64 bits (Book I 3.3.14), for rotate masks known only at run time. */
    @HelperEffect(Effect.PURE)
    public static long mask(int mb, int me) {
        long fromMb = -1L >>> mb;
        long toMe = me == 63 ? -1L : ~(-1L >>> (me + 1));
        return mb <= me ? fromMb & toMe : fromMb | toMe;
    }

    /** ROTL32: the low word duplicated into both halves, rotated left. */
    @HelperEffect(Effect.PURE)
    public static long rotl32(long x, int n) {
        long w = x & 0xFFFF_FFFFL;
        return Long.rotateLeft(w | (w << 32), n);
    }

    /** CA of a shift right algebraic doubleword by {@code n} (0..63): a negative value lost one bits. */
    @HelperEffect(Effect.PURE)
    public static int sradCarry(long x, int n) {
        return x < 0 && (x & ((1L << n) - 1)) != 0 ? 1 : 0;
    }

    /**
     * After an interpreter fallback inside a unit: whether the unit must stop here because the instruction
     * raised, stopped the CPU, branched, or changed a mode bit the unit was translated for.
     */
    @HelperEffect(Effect.CPU_STATE)
    public static boolean mustLeave(CpuState cpu, long nextPc, long mode, long modeMask) {
        return cpu.stopRequested || cpu.nia != nextPc || (cpu.msr & modeMask) != mode;
    }

    /**
     * Leaves after a fallback: counts the instructions of this pass, and the fallback itself unless it raised an
     * interrupt (the interpreter's rule).
     *
     * @return the unit's exit code
     */
    @HelperEffect(Effect.CPU_STATE)
    public static int leaveAfterFallback(CpuState cpu, long completedBefore) {
        cpu.instructions += completedBefore + (cpu.pendingInterrupt == null ? 1 : 0);
        return cpu.stopRequested ? CompiledUnitExits.STOP : CompiledUnitExits.INDIRECT;
    }

    /** Raises the interrupt a faulting access threw, as the interpreter's run loop does. */
    @HelperEffect(Effect.CPU_STATE)
    public static int fault(CpuState cpu, RuntimeException e) {
        if (e instanceof GuestInterruptSignal signal) {
            cpu.raise(signal.interrupt());
        } else if (e instanceof GuestMemoryAccessException m) {
            cpu.raise(new GuestInterrupt.MachineCheck(m.address(), (int) m.size(), m.write() ? "store" : "load"));
        } else {
            throw e;
        }
        return CompiledUnitExits.STOP;
    }
}
