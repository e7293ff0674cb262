package dev.pvm.engine.cpu;

/**
 * Facility Status and Control Register (Power ISA v3.0B Book III 4.4.x; Linux arch/powerpc/include/asm/reg.h).
 * Each enable bit lets problem state use a facility; using a disabled one takes a facility unavailable interrupt
 * that records the facility's number in FSCR[IC] (bits 0:7).
 */
public final class Fscr {

    /** Facility numbers: the value FSCR[IC] takes and the enable bit's position from the low end. */
    public static final int FP_CAUSE = 0;
    public static final int VECVSX_CAUSE = 1;
    public static final int DSCR_CAUSE = 2;
    public static final int PM_CAUSE = 4;
    public static final int EBB_CAUSE = 7;
    public static final int TAR_CAUSE = 8;
    public static final int SCV_CAUSE = 12;

    public static final long DSCR = 1L << DSCR_CAUSE;
    public static final long EBB = 1L << EBB_CAUSE;
    public static final long TAR = 1L << TAR_CAUSE;
    public static final long SCV = 1L << SCV_CAUSE;

    /** FSCR[IC], the interrupt cause, bits 0:7. */
    public static final int IC_SHIFT = 56;
    public static final long IC = 0xffL << IC_SHIFT;

    private Fscr() {
    }

    /** The facility's name for messages. */
    public static String facilityName(int cause) {
        return switch (cause) {
            case FP_CAUSE -> "FP";
            case VECVSX_CAUSE -> "VMX/VSX";
            case DSCR_CAUSE -> "DSCR";
            case PM_CAUSE -> "performance monitor";
            case EBB_CAUSE -> "EBB";
            case TAR_CAUSE -> "TAR";
            case SCV_CAUSE -> "scv";
            default -> "facility " + cause;
        };
    }
}
