package dev.pvm.engine.cpu.runtime;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.runtime.HelperEffect.Effect;

/**
 * The VMX/VSX instructions translated code calls instead of the interpreter's semantics: each reads its source
 * VSRs from {@code CpuState.vsrHi}/{@code vsrLo} (big-endian element order, Book I 6.3: element 0 is the most
 * significant of {@code vsrHi}), computes on the two 64-bit halves without allocating (lane-parallel arithmetic
 * where it is exact, short per-element loops elsewhere) and writes the target after reading every source, so
 * the target may be a source. Arguments are VSR numbers (VR n is VSR 32+n). The compares return the CR6 value
 * of their record forms (Book I 6.9.3: 0b1000 all elements true, 0b0010 none).
 */
public final class VectorOps {

    private VectorOps() {
    }

    // ------------------------------------------------------------------------------------------ lanes

    /** The most significant bit of every element of width {@code bits}. */
    private static long highBits(int bits) {
        return switch (bits) {
            case 8 -> 0x8080_8080_8080_8080L;
            case 16 -> 0x8000_8000_8000_8000L;
            case 32 -> 0x8000_0000_8000_0000L;
            default -> Long.MIN_VALUE;
        };
    }

    private static long laneMask(int bits) {
        return bits == 64 ? -1L : (1L << bits) - 1;
    }

    /** Modulo add of every element (Book I 6.9.1 vaddu[bhwd]m): carries stop at element boundaries. */
    private static long addLanes(long x, long y, int bits) {
        long h = highBits(bits);
        return ((x & ~h) + (y & ~h)) ^ ((x ^ y) & h);
    }

    /** Modulo subtract of every element (vsubu[bhwd]m), Hacker's Delight 2-18. */
    private static long subtractLanes(long x, long y, int bits) {
        long h = highBits(bits);
        return ((x | h) - (y & ~h)) ^ ((x ^ ~y) & h);
    }

    /** All ones in every element of {@code z} that is zero, else zero. */
    private static long zeroLanes(long z, int bits) {
        long h = highBits(bits);
        long nonZero = (((z & ~h) + ~h) | z) & h;
        return ((~nonZero & h) >>> (bits - 1)) * laneMask(bits);
    }

    // Element operations of eachLane: a constant at every call, so HotSpot folds the switch where it inlines.
    private static final int SHIFT_LEFT = 0;
    private static final int SHIFT_RIGHT = 1;
    private static final int SHIFT_RIGHT_ALGEBRAIC = 2;
    private static final int ROTATE = 3;
    private static final int MIN_UNSIGNED = 4;
    private static final int MAX_UNSIGNED = 5;
    private static final int MIN_SIGNED = 6;
    private static final int MAX_SIGNED = 7;
    private static final int GREATER_UNSIGNED = 8;
    private static final int GREATER_SIGNED = 9;
    private static final int LEADING_ZEROS = 10;
    private static final int TRAILING_ZEROS = 11;
    private static final int POPULATION = 12;

    /** Operation {@code op} on element pair {@code a}, {@code b} (zero-extended) of width {@code bits}. */
    private static long element(int op, long a, long b, int bits) {
        int n = (int) (b & (bits - 1));
        return switch (op) {
            case SHIFT_LEFT -> a << n;
            case SHIFT_RIGHT -> a >>> n;
            case SHIFT_RIGHT_ALGEBRAIC -> signExtend(a, bits) >> n;
            case ROTATE -> n == 0 ? a : a << n | a >>> (bits - n);
            case MIN_UNSIGNED -> Long.compareUnsigned(a, b) <= 0 ? a : b;
            case MAX_UNSIGNED -> Long.compareUnsigned(a, b) >= 0 ? a : b;
            case MIN_SIGNED -> signExtend(a, bits) <= signExtend(b, bits) ? a : b;
            case MAX_SIGNED -> signExtend(a, bits) >= signExtend(b, bits) ? a : b;
            case GREATER_UNSIGNED -> Long.compareUnsigned(a, b) > 0 ? -1L : 0;
            case GREATER_SIGNED -> signExtend(a, bits) > signExtend(b, bits) ? -1L : 0;
            case LEADING_ZEROS -> Long.numberOfLeadingZeros(a) - (64 - bits);
            case TRAILING_ZEROS -> a == 0 ? bits : Long.numberOfTrailingZeros(a);
            default -> Long.bitCount(a);
        };
    }

    /** Operation {@code op} on every element pair of one doubleword. */
    private static long eachLane(long x, long y, int bits, int op) {
        long m = laneMask(bits);
        long r = 0;
        for (int s = 0; s < 64; s += bits) {
            r |= (element(op, x >>> s & m, y >>> s & m, bits) & m) << s;
        }
        return r;
    }

    private static long signExtend(long v, int bits) {
        return v << (64 - bits) >> (64 - bits);
    }

    /** T = op(A, B) element by element. */
    private static void lanes(CpuState cpu, int t, int a, int b, int bits, int op) {
        set(cpu, t, eachLane(cpu.vsrHi[a], cpu.vsrHi[b], bits, op), eachLane(cpu.vsrLo[a], cpu.vsrLo[b], bits, op));
    }

    /** T = op(B) element by element. */
    private static void lanes(CpuState cpu, int t, int b, int bits, int op) {
        set(cpu, t, eachLane(cpu.vsrHi[b], 0, bits, op), eachLane(cpu.vsrLo[b], 0, bits, op));
    }

    private static void set(CpuState cpu, int t, long hi, long lo) {
        cpu.vsrHi[t] = hi;
        cpu.vsrLo[t] = lo;
    }

    // ------------------------------------------------------------------------------------------ arithmetic

    /** vaddu[bhwd]m. */
    @HelperEffect(Effect.VECTOR)
    public static void addModulo(CpuState cpu, int t, int a, int b, int bits) {
        set(cpu, t, addLanes(cpu.vsrHi[a], cpu.vsrHi[b], bits), addLanes(cpu.vsrLo[a], cpu.vsrLo[b], bits));
    }

    /** vsubu[bhwd]m. */
    @HelperEffect(Effect.VECTOR)
    public static void subtractModulo(CpuState cpu, int t, int a, int b, int bits) {
        set(cpu, t, subtractLanes(cpu.vsrHi[a], cpu.vsrHi[b], bits),
                subtractLanes(cpu.vsrLo[a], cpu.vsrLo[b], bits));
    }

    /** vminu[bhwd] (Book I 6.9.2). */
    @HelperEffect(Effect.VECTOR)
    public static void minUnsigned(CpuState cpu, int t, int a, int b, int bits) {
        lanes(cpu, t, a, b, bits, MIN_UNSIGNED);
    }

    /** vmaxu[bhwd]. */
    @HelperEffect(Effect.VECTOR)
    public static void maxUnsigned(CpuState cpu, int t, int a, int b, int bits) {
        lanes(cpu, t, a, b, bits, MAX_UNSIGNED);
    }

    /** vmins[bhwd]. */
    @HelperEffect(Effect.VECTOR)
    public static void minSigned(CpuState cpu, int t, int a, int b, int bits) {
        lanes(cpu, t, a, b, bits, MIN_SIGNED);
    }

    /** vmaxs[bhwd]. */
    @HelperEffect(Effect.VECTOR)
    public static void maxSigned(CpuState cpu, int t, int a, int b, int bits) {
        lanes(cpu, t, a, b, bits, MAX_SIGNED);
    }

    // ------------------------------------------------------------------------------------------ shifts

    /** vsl[bhwd] (Book I 6.9.4): each element shifted by the low bits of B's element. */
    @HelperEffect(Effect.VECTOR)
    public static void shiftLeftEach(CpuState cpu, int t, int a, int b, int bits) {
        lanes(cpu, t, a, b, bits, SHIFT_LEFT);
    }

    /** vsr[bhwd]. */
    @HelperEffect(Effect.VECTOR)
    public static void shiftRightEach(CpuState cpu, int t, int a, int b, int bits) {
        lanes(cpu, t, a, b, bits, SHIFT_RIGHT);
    }

    /** vsra[bhwd]. */
    @HelperEffect(Effect.VECTOR)
    public static void shiftRightAlgebraicEach(CpuState cpu, int t, int a, int b, int bits) {
        lanes(cpu, t, a, b, bits, SHIFT_RIGHT_ALGEBRAIC);
    }

    /** vrl[bhwd]. */
    @HelperEffect(Effect.VECTOR)
    public static void rotateEach(CpuState cpu, int t, int a, int b, int bits) {
        lanes(cpu, t, a, b, bits, ROTATE);
    }

    /** {@code hi:lo} shifted left by {@code n} (0..127) bits. */
    private static void shiftQuadLeft(CpuState cpu, int t, long hi, long lo, int n) {
        if (n >= 64) {
            set(cpu, t, lo << (n - 64), 0);
        } else if (n > 0) {
            set(cpu, t, hi << n | lo >>> (64 - n), lo << n);
        } else {
            set(cpu, t, hi, lo);
        }
    }

    private static void shiftQuadRight(CpuState cpu, int t, long hi, long lo, int n) {
        if (n >= 64) {
            set(cpu, t, 0, hi >>> (n - 64));
        } else if (n > 0) {
            set(cpu, t, hi >>> n, lo >>> n | hi << (64 - n));
        } else {
            set(cpu, t, hi, lo);
        }
    }

    /**
     * vsl, vsr (by bits, VRB bits 125:127) and vslo, vsro (by octets, VRB bits 121:124) (Book I 6.9.4; v3.0 takes
     * the count from byte 15 only).
     *
     * @param countMask 7 for the bit forms, 0x78 for the octet forms
     */
    @HelperEffect(Effect.VECTOR)
    public static void shiftQuad(CpuState cpu, int t, int a, int b, int countMask, boolean left) {
        int n = (int) (cpu.vsrLo[b] & countMask);
        if (left) {
            shiftQuadLeft(cpu, t, cpu.vsrHi[a], cpu.vsrLo[a], n);
        } else {
            shiftQuadRight(cpu, t, cpu.vsrHi[a], cpu.vsrLo[a], n);
        }
    }

    /** {@code hi} shifted left by {@code n} (0..63) bits, {@code lo}'s top bits coming in. */
    private static long funnel(long hi, long lo, int n) {
        return n == 0 ? hi : hi << n | lo >>> (64 - n);
    }

    /** vsldoi and xxsldwi (Book I 6.8.4, 7.6.1.12): bytes {@code sh}..{@code sh}+15 of A||B. */
    @HelperEffect(Effect.VECTOR)
    public static void shiftDoubleByOctets(CpuState cpu, int t, int a, int b, int sh) {
        long w0 = cpu.vsrHi[a];
        long w1 = cpu.vsrLo[a];
        long w2 = cpu.vsrHi[b];
        long w3 = cpu.vsrLo[b];
        int n = 8 * (sh & 7);
        if (sh < 8) {
            set(cpu, t, funnel(w0, w1, n), funnel(w1, w2, n));
        } else {
            set(cpu, t, funnel(w1, w2, n), funnel(w2, w3, n));
        }
    }

    // ------------------------------------------------------------------------------------------ compares

    private static int cr6(long hi, long lo) {
        return (hi == -1L && lo == -1L ? 8 : 0) | (hi == 0 && lo == 0 ? 2 : 0);
    }

    private static int setCompared(CpuState cpu, int t, long hi, long lo) {
        set(cpu, t, hi, lo);
        return cr6(hi, lo);
    }

    /** vcmpequ[bhwd][.] (Book I 6.9.3). */
    @HelperEffect(Effect.VECTOR)
    public static int compareEqual(CpuState cpu, int t, int a, int b, int bits) {
        return setCompared(cpu, t, zeroLanes(cpu.vsrHi[a] ^ cpu.vsrHi[b], bits),
                zeroLanes(cpu.vsrLo[a] ^ cpu.vsrLo[b], bits));
    }

    /** vcmpne[bhw][.]. */
    @HelperEffect(Effect.VECTOR)
    public static int compareNotEqual(CpuState cpu, int t, int a, int b, int bits) {
        return setCompared(cpu, t, ~zeroLanes(cpu.vsrHi[a] ^ cpu.vsrHi[b], bits),
                ~zeroLanes(cpu.vsrLo[a] ^ cpu.vsrLo[b], bits));
    }

    private static long notEqualOrZero(long x, long y, int bits) {
        return ~zeroLanes(x ^ y, bits) | zeroLanes(x, bits) | zeroLanes(y, bits);
    }

    /** vcmpnez[bhw][.]: elements that differ or where either is zero (a string's end). */
    @HelperEffect(Effect.VECTOR)
    public static int compareNotEqualOrZero(CpuState cpu, int t, int a, int b, int bits) {
        return setCompared(cpu, t, notEqualOrZero(cpu.vsrHi[a], cpu.vsrHi[b], bits),
                notEqualOrZero(cpu.vsrLo[a], cpu.vsrLo[b], bits));
    }

    /** vcmpgtu[bhwd][.]. */
    @HelperEffect(Effect.VECTOR)
    public static int compareGreaterUnsigned(CpuState cpu, int t, int a, int b, int bits) {
        return setCompared(cpu, t, eachLane(cpu.vsrHi[a], cpu.vsrHi[b], bits, GREATER_UNSIGNED),
                eachLane(cpu.vsrLo[a], cpu.vsrLo[b], bits, GREATER_UNSIGNED));
    }

    /** vcmpgts[bhwd][.]. */
    @HelperEffect(Effect.VECTOR)
    public static int compareGreaterSigned(CpuState cpu, int t, int a, int b, int bits) {
        return setCompared(cpu, t, eachLane(cpu.vsrHi[a], cpu.vsrHi[b], bits, GREATER_SIGNED),
                eachLane(cpu.vsrLo[a], cpu.vsrLo[b], bits, GREATER_SIGNED));
    }

    // ------------------------------------------------------------------------------------------ permutes

    /** Byte {@code index} (0..31) of the 32 bytes {@code w0||w1||w2||w3}. */
    private static long byteOf(long w0, long w1, long w2, long w3, int index) {
        long w = switch (index >>> 3) {
            case 0 -> w0;
            case 1 -> w1;
            case 2 -> w2;
            default -> w3;
        };
        return w >>> (56 - 8 * (index & 7)) & 0xFF;
    }

    /**
     * vperm/vpermr (Book I 6.8.4) and xxperm/xxpermr (7.6.1.12): byte i of the result is byte C.byte[i] & 31 of
     * A||B ({@code reversed}: byte 31 - that).
     */
    @HelperEffect(Effect.VECTOR)
    public static void permute(CpuState cpu, int t, int a, int b, int c, boolean reversed) {
        long w0 = cpu.vsrHi[a];
        long w1 = cpu.vsrLo[a];
        long w2 = cpu.vsrHi[b];
        long w3 = cpu.vsrLo[b];
        long ch = cpu.vsrHi[c];
        long cl = cpu.vsrLo[c];
        int flip = reversed ? 31 : 0;
        long hi = 0;
        long lo = 0;
        for (int s = 56; s >= 0; s -= 8) {
            hi = hi << 8 | byteOf(w0, w1, w2, w3, ((int) (ch >>> s) & 31) ^ flip);
            lo = lo << 8 | byteOf(w0, w1, w2, w3, ((int) (cl >>> s) & 31) ^ flip);
        }
        set(cpu, t, hi, lo);
    }

    /** vpermxor (Book I 6.8.4): byte i is A.byte[C.byte[i] high nibble] XOR B.byte[C.byte[i] low nibble]. */
    @HelperEffect(Effect.VECTOR)
    public static void permuteXor(CpuState cpu, int t, int a, int b, int c) {
        long ah = cpu.vsrHi[a];
        long al = cpu.vsrLo[a];
        long bh = cpu.vsrHi[b];
        long bl = cpu.vsrLo[b];
        long ch = cpu.vsrHi[c];
        long cl = cpu.vsrLo[c];
        long hi = 0;
        long lo = 0;
        for (int s = 56; s >= 0; s -= 8) {
            int x = (int) (ch >>> s);
            int y = (int) (cl >>> s);
            hi = hi << 8 | (byteOf(ah, al, 0, 0, x >>> 4 & 15) ^ byteOf(bh, bl, 0, 0, x & 15));
            lo = lo << 8 | (byteOf(ah, al, 0, 0, y >>> 4 & 15) ^ byteOf(bh, bl, 0, 0, y & 15));
        }
        set(cpu, t, hi, lo);
    }

    /**
     * The elements of width {@code bits} (8, 16 or 32) in the upper halves of {@code x} and {@code y}, interleaved x
     * first: each upper half spread to every other element, without a loop.
     */
    private static long interleave(long x, long y, int bits) {
        return switch (bits) {
            case 8 -> spreadBytes(x >>> 32) << 8 | spreadBytes(y >>> 32);
            case 16 -> spreadHalfwords(x >>> 32) << 16 | spreadHalfwords(y >>> 32);
            default -> x & 0xFFFF_FFFF_0000_0000L | y >>> 32;
        };
    }

    /** The two halfwords of the low word of {@code v} in the low halves of its two words. */
    private static long spreadHalfwords(long v) {
        return (v | v << 16) & 0x0000_FFFF_0000_FFFFL;
    }

    /** The four bytes of the low word of {@code v} in the low bytes of its four halfwords. */
    private static long spreadBytes(long v) {
        long t = spreadHalfwords(v);
        return (t | t << 8) & 0x00FF_00FF_00FF_00FFL;
    }

    /**
     * vmrgh[bhw]/xxmrghw and vmrgl[bhw]/xxmrglw (Book I 6.8.2, 7.6.1.12): the high (low) halves' elements of A and
     * B, alternately.
     */
    @HelperEffect(Effect.VECTOR)
    public static void merge(CpuState cpu, int t, int a, int b, int bits, boolean low) {
        long x = low ? cpu.vsrLo[a] : cpu.vsrHi[a];
        long y = low ? cpu.vsrLo[b] : cpu.vsrHi[b];
        set(cpu, t, interleave(x, y, bits), interleave(x << 32, y << 32, bits));
    }

    /** vmrgew/vmrgow (Book I 6.8.2): the even (odd) words of A and B, alternately. */
    @HelperEffect(Effect.VECTOR)
    public static void mergeWords(CpuState cpu, int t, int a, int b, boolean odd) {
        int s = odd ? 32 : 0;
        long m = 0xFFFF_FFFF_0000_0000L;
        set(cpu, t, cpu.vsrHi[a] << s & m | (cpu.vsrHi[b] << s & m) >>> 32,
                cpu.vsrLo[a] << s & m | (cpu.vsrLo[b] << s & m) >>> 32);
    }

    /** lvsl/lvsr (Book I 6.7.3): the bytes {@code first}, {@code first}+1, ... {@code first}+15. */
    @HelperEffect(Effect.VECTOR)
    public static void shiftControl(CpuState cpu, int t, int first) {
        long ramp = 0x0001_0203_0405_0607L + first * 0x0101_0101_0101_0101L;
        set(cpu, t, ramp, ramp + 0x0808_0808_0808_0808L);
    }

    // ------------------------------------------------------------------------------------------ bits

    /** The 8x8 bit matrix of a doubleword's bytes transposed (Hacker's Delight 7-3). */
    private static long transpose8x8(long x) {
        x = x & 0xAA55_AA55_AA55_AA55L | (x & 0x00AA_00AA_00AA_00AAL) << 7 | x >>> 7 & 0x00AA_00AA_00AA_00AAL;
        x = x & 0xCCCC_3333_CCCC_3333L | (x & 0x0000_CCCC_0000_CCCCL) << 14 | x >>> 14 & 0x0000_CCCC_0000_CCCCL;
        return x & 0xF0F0_F0F0_0F0F_0F0FL | (x & 0x0000_0000_F0F0_F0F0L) << 28 | x >>> 28 & 0x0000_0000_F0F0_F0F0L;
    }

    /** vgbbd (Book I 6.11): in each doubleword, bit j of byte k of the result is bit k of byte j of the source. */
    @HelperEffect(Effect.VECTOR)
    public static void gatherBitsByBytes(CpuState cpu, int t, int b) {
        set(cpu, t, transpose8x8(cpu.vsrHi[b]), transpose8x8(cpu.vsrLo[b]));
    }

    /** vbpermq (Book I 6.11): the bits of A at the 16 indices in B's bytes (>= 128 gives 0), into bits 48:63. */
    @HelperEffect(Effect.VECTOR)
    public static void bitPermuteQuad(CpuState cpu, int t, int a, int b) {
        long ah = cpu.vsrHi[a];
        long al = cpu.vsrLo[a];
        long bh = cpu.vsrHi[b];
        long bl = cpu.vsrLo[b];
        long r = 0;
        for (int s = 56; s >= 0; s -= 8) {
            r = r << 1 | bitOf(ah, al, (int) (bh >>> s) & 0xFF);
        }
        for (int s = 56; s >= 0; s -= 8) {
            r = r << 1 | bitOf(ah, al, (int) (bl >>> s) & 0xFF);
        }
        set(cpu, t, r, 0);
    }

    private static long bitOf(long hi, long lo, int index) {
        if (index >= 128) {
            return 0;
        }
        return (index < 64 ? hi : lo) >>> (63 - (index & 63)) & 1;
    }

    /**
     * vclzlsbb/vctzlsbb (Book I 6.10): how many leading (trailing) bytes have their least significant bit 0.
     *
     * @return the count, for RT
     */
    @HelperEffect(Effect.VECTOR)
    public static long countLsbZeroBytes(CpuState cpu, int b, boolean trailing) {
        long hi = cpu.vsrHi[b] & 0x0101_0101_0101_0101L;
        long lo = cpu.vsrLo[b] & 0x0101_0101_0101_0101L;
        if (trailing) {
            return lo != 0 ? Long.numberOfTrailingZeros(lo) >>> 3 : hi != 0 ? 8 + (Long.numberOfTrailingZeros(hi) >>> 3) : 16;
        }
        return hi != 0 ? Long.numberOfLeadingZeros(hi) >>> 3 : lo != 0 ? 8 + (Long.numberOfLeadingZeros(lo) >>> 3) : 16;
    }

    /** vclz[bhwd] (Book I 6.10). */
    @HelperEffect(Effect.VECTOR)
    public static void countLeadingZerosEach(CpuState cpu, int t, int b, int bits) {
        lanes(cpu, t, b, bits, LEADING_ZEROS);
    }

    /** vctz[bhwd]. */
    @HelperEffect(Effect.VECTOR)
    public static void countTrailingZerosEach(CpuState cpu, int t, int b, int bits) {
        lanes(cpu, t, b, bits, TRAILING_ZEROS);
    }

    /** vpopcnt[bhwd]. */
    @HelperEffect(Effect.VECTOR)
    public static void populationCountEach(CpuState cpu, int t, int b, int bits) {
        lanes(cpu, t, b, bits, POPULATION);
    }
}
