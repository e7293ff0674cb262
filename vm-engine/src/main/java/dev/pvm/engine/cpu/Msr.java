package dev.pvm.engine.cpu;

/**
 * Machine State Register bits (Power ISA v3.0B Book III 4.2.1). The ISA numbers MSR bits 0..63 from the most
 * significant end; the constants are Java masks, with the ISA bit number in each comment.
 */
public final class Msr {

    /** Bit 0, sixty-four-bit mode. */
    public static final long SF = 1L << 63;
    /** Bit 3, hypervisor state. A PAPR guest always runs with HV=0. */
    public static final long HV = 1L << 60;
    /** Bit 38, vector (VMX) available. */
    public static final long VEC = 1L << 25;
    /** Bit 40, VSX available. */
    public static final long VSX = 1L << 23;
    /** Bit 41, secure state (POWER9 ultravisor; never set for our guests). */
    public static final long S = 1L << 22;
    /** Bit 48, external interrupt enable. */
    public static final long EE = 1L << 15;
    /** Bit 49, problem state. */
    public static final long PR = 1L << 14;
    /** Bit 50, floating-point available. */
    public static final long FP = 1L << 13;
    /** Bit 51, machine check interrupt enable. */
    public static final long ME = 1L << 12;
    /** Bits 52 and 55, floating-point exception mode (Book III 4.2.1): both 0 = enabled exceptions ignored. */
    public static final long FE0 = 1L << 11;
    public static final long FE1 = 1L << 8;
    /** Bit 58, instruction relocate. */
    public static final long IR = 1L << 5;
    /** Bit 59, data relocate. */
    public static final long DR = 1L << 4;
    /** Bit 62, recoverable interrupt. */
    public static final long RI = 1L << 1;
    /** Bit 63, little-endian mode. */
    public static final long LE = 1L;

    private Msr() {
    }

    /** The MSR a kernel is entered with on pseries (64-bit, big-endian, real mode): SF|ME. */
    public static final long KERNEL_ENTRY = SF | ME;

    /** Readable list of the set bits, e.g. {@code SF|ME|LE}. */
    public static String describe(long msr) {
        StringBuilder b = new StringBuilder();
        append(b, msr, SF, "SF");
        append(b, msr, HV, "HV");
        append(b, msr, S, "S");
        append(b, msr, EE, "EE");
        append(b, msr, PR, "PR");
        append(b, msr, FP, "FP");
        append(b, msr, VEC, "VEC");
        append(b, msr, VSX, "VSX");
        append(b, msr, ME, "ME");
        append(b, msr, IR, "IR");
        append(b, msr, DR, "DR");
        append(b, msr, RI, "RI");
        append(b, msr, LE, "LE");
        return b.isEmpty() ? "0" : b.toString();
    }

    private static void append(StringBuilder b, long msr, long bit, String name) {
        if ((msr & bit) != 0) {
            b.append(b.isEmpty() ? "" : "|").append(name);
        }
    }
}
