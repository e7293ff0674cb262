package dev.pvm.engine.cpu;

/**
 * The Floating-Point Status and Control Register (Power ISA v3.0B Book I 4.2.2) as the Java long in
 * {@link CpuState#fpscr}: ISA bit {@code b} (0 = most significant) is Java bit {@code 63 - b}. The constants are
 * masks with the ISA bit number in each comment, plus the rules that tie the summary bits to the others.
 */
public final class Fpscr {

    /** Bits 29:31, DRN (decimal rounding mode; only stored, no decimal floating point is implemented). */
    public static final long DRN = 7L << 32;
    /** Bit 32, FX: floating-point exception summary (set when any exception bit goes from 0 to 1). */
    public static final long FX = 1L << 31;
    /** Bit 33, FEX: enabled exception summary (computed). */
    public static final long FEX = 1L << 30;
    /** Bit 34, VX: invalid operation summary (the OR of the VX* bits, computed). */
    public static final long VX = 1L << 29;
    /** Bit 35, OX: overflow. */
    public static final long OX = 1L << 28;
    /** Bit 36, UX: underflow. */
    public static final long UX = 1L << 27;
    /** Bit 37, ZX: zero divide. */
    public static final long ZX = 1L << 26;
    /** Bit 38, XX: inexact (sticky). */
    public static final long XX = 1L << 25;
    /** Bit 39, VXSNAN: invalid operation, signalling NaN. */
    public static final long VXSNAN = 1L << 24;
    /** Bit 40, VXISI: infinity - infinity. */
    public static final long VXISI = 1L << 23;
    /** Bit 41, VXIDI: infinity / infinity. */
    public static final long VXIDI = 1L << 22;
    /** Bit 42, VXZDZ: zero / zero. */
    public static final long VXZDZ = 1L << 21;
    /** Bit 43, VXIMZ: infinity * zero. */
    public static final long VXIMZ = 1L << 20;
    /** Bit 44, VXVC: invalid compare. */
    public static final long VXVC = 1L << 19;
    /** Bit 45, FR: fraction rounded (the last rounding incremented the fraction). */
    public static final long FR = 1L << 18;
    /** Bit 46, FI: fraction inexact (the last rounding was inexact; not sticky). */
    public static final long FI = 1L << 17;
    /** Bits 47:51, FPRF: result class C and the condition code FPCC (FL FG FE FU). */
    public static final long FPRF = 0x1fL << 12;
    public static final int FPRF_SHIFT = 12;
    /** Bits 48:51, FPCC alone. */
    public static final long FPCC = 0xfL << 12;
    /** Bit 53, VXSOFT: invalid operation, software request (set only by mtfsf/mtfsfi/mtfsb1). */
    public static final long VXSOFT = 1L << 10;
    /** Bit 54, VXSQRT: square root (or reciprocal square root) of a negative number. */
    public static final long VXSQRT = 1L << 9;
    /** Bit 55, VXCVI: invalid integer convert. */
    public static final long VXCVI = 1L << 8;
    /** Bits 56:60: the enables VE, OE, UE, ZE, XE. */
    public static final long VE = 1L << 7;
    public static final long OE = 1L << 6;
    public static final long UE = 1L << 5;
    public static final long ZE = 1L << 4;
    public static final long XE = 1L << 3;
    /** Bit 61, NI: non-IEEE mode (stored; this implementation always gives IEEE results). */
    public static final long NI = 1L << 2;
    /** Bits 62:63, RN: binary rounding mode. */
    public static final long RN = 3L;

    /** The rounding modes of RN. */
    public static final int ROUND_NEAREST = 0;
    public static final int ROUND_TOWARD_ZERO = 1;
    public static final int ROUND_TOWARD_PLUS_INFINITY = 2;
    public static final int ROUND_TOWARD_MINUS_INFINITY = 3;

    /** All invalid-operation bits. */
    public static final long ALL_VX = VXSNAN | VXISI | VXIDI | VXZDZ | VXIMZ | VXVC | VXSOFT | VXSQRT | VXCVI;
    /** The exception bits whose 0-to-1 transition sets FX. */
    public static final long EXCEPTIONS = OX | UX | ZX | XX | ALL_VX;
    /** The enable bits. */
    public static final long ENABLES = VE | OE | UE | ZE | XE;
    /** Bits that are reserved (bits 0:28 and 52): they read as 0. */
    public static final long DEFINED = 0xFFFF_FFFFL & ~(1L << 11) | DRN;

    /** FPRF codes (Book I 4.2.2, figure "Floating-Point Result Flags"). */
    public static final int CLASS_QNAN = 0b10001;
    public static final int CLASS_MINUS_INFINITY = 0b01001;
    public static final int CLASS_MINUS_NORMAL = 0b01000;
    public static final int CLASS_MINUS_DENORMAL = 0b11000;
    public static final int CLASS_MINUS_ZERO = 0b10010;
    public static final int CLASS_PLUS_ZERO = 0b00010;
    public static final int CLASS_PLUS_DENORMAL = 0b10100;
    public static final int CLASS_PLUS_NORMAL = 0b00100;
    public static final int CLASS_PLUS_INFINITY = 0b00101;

    private Fpscr() {
    }

    /** The ISA bit {@code isaBit} (0..63) as a mask. */
    public static long bit(int isaBit) {
        return 1L << (63 - isaBit);
    }

    public static int roundingMode(long fpscr) {
        return (int) (fpscr & RN);
    }

    /**
     * Recomputes the summary bits VX and FEX from the others (Book I 4.2.2: VX is the OR of the invalid-operation
     * bits, FEX the OR of the exception bits ANDed with their enables). FX is not touched.
     */
    public static long withSummaries(long fpscr) {
        long v = fpscr & ~(VX | FEX);
        if ((v & ALL_VX) != 0) {
            v |= VX;
        }
        boolean enabled = ((v & VX) != 0 && (v & VE) != 0) || ((v & OX) != 0 && (v & OE) != 0)
                || ((v & UX) != 0 && (v & UE) != 0) || ((v & ZX) != 0 && (v & ZE) != 0)
                || ((v & XX) != 0 && (v & XE) != 0);
        return enabled ? v | FEX : v;
    }

    /**
     * Sets exception bits as an instruction does: they are sticky, FX is set when one of them goes from 0 to 1,
     * and the summaries follow.
     */
    public static long raise(long fpscr, long exceptions) {
        long newly = exceptions & EXCEPTIONS & ~fpscr;
        long v = fpscr | (exceptions & EXCEPTIONS);
        if (newly != 0) {
            v |= FX;
        }
        return withSummaries(v);
    }

    /** The FPRF code of a binary64 value; {@code single} classifies it as the binary32 value it holds. */
    public static int resultClass(long bits, boolean single) {
        boolean negative = bits < 0;
        long abs = bits & Long.MAX_VALUE;
        int exponent = (int) (abs >>> 52);
        if (exponent == 0x7ff) {
            if ((abs & 0x000F_FFFF_FFFF_FFFFL) != 0) {
                return CLASS_QNAN;
            }
            return negative ? CLASS_MINUS_INFINITY : CLASS_PLUS_INFINITY;
        }
        if (abs == 0) {
            return negative ? CLASS_MINUS_ZERO : CLASS_PLUS_ZERO;
        }
        boolean denormal = single ? exponent < 1023 - 126 : exponent == 0;
        if (denormal) {
            return negative ? CLASS_MINUS_DENORMAL : CLASS_PLUS_DENORMAL;
        }
        return negative ? CLASS_MINUS_NORMAL : CLASS_PLUS_NORMAL;
    }

    /** FPSCR with FPRF replaced by {@code code}. */
    public static long withResultClass(long fpscr, int code) {
        return (fpscr & ~FPRF) | ((long) code << FPRF_SHIFT);
    }

    /** FPSCR bits 32:35 (FX FEX VX OX) as the 4-bit value the record forms copy into CR1 (Book I 4.3). */
    public static int cr1(long fpscr) {
        return (int) (fpscr >>> 28) & 0xf;
    }
}
