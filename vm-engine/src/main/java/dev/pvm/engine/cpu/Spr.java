package dev.pvm.engine.cpu;

/**
 * Special-purpose register numbers (Power ISA v3.0B Book I 3.3.17 and Book III 4.4). An SPR whose number has
 * bit 0x10 set is privileged: problem state moving to or from it takes a privileged-instruction interrupt.
 */
public final class Spr {

    public static final int XER = 1;
    public static final int DSCR = 3;
    /** The AMR as problem state reaches it (Book III 5.7.13.2). */
    public static final int UAMR = 13;
    public static final int LR = 8;
    public static final int CTR = 9;
    public static final int DSCR_PRIV = 17;
    public static final int DSISR = 18;
    public static final int DAR = 19;
    public static final int SRR0 = 26;
    public static final int SRR1 = 27;
    public static final int AMR = 29;
    /** Process ID of radix translation (Book III 6.7.3). */
    public static final int PIDR = 48;
    public static final int UAMOR = 157;
    public static final int VRSAVE = 256;
    public static final int TB = 268;
    public static final int TBU = 269;
    public static final int SPRG0 = 272;
    public static final int SPRG1 = 273;
    public static final int SPRG2 = 274;
    public static final int SPRG3 = 275;
    public static final int PVR = 287;
    /** Logical partition ID: the hypervisor's. */
    public static final int LPIDR = 319;
    public static final int IAMR = 882;
    public static final int PPR = 896;
    public static final int PPR32 = 898;
    public static final int PIR = 1023;

    private Spr() {
    }

    /** Whether problem state may not access this SPR (Book III 4.4.4: SPR number bit 0x10). */
    public static boolean privileged(int spr) {
        return (spr & 0x10) != 0;
    }

    /** The register's name for messages, or {@code spr N}. */
    public static String name(int spr) {
        return switch (spr) {
            case XER -> "XER";
            case DSCR, DSCR_PRIV -> "DSCR";
            case LR -> "LR";
            case CTR -> "CTR";
            case DSISR -> "DSISR";
            case DAR -> "DAR";
            case SRR0 -> "SRR0";
            case SRR1 -> "SRR1";
            case VRSAVE -> "VRSAVE";
            case TB -> "TB";
            case TBU -> "TBU";
            case SPRG0, SPRG1, SPRG2, SPRG3 -> "SPRG" + (spr - SPRG0);
            case PVR -> "PVR";
            case PPR -> "PPR";
            case PPR32 -> "PPR32";
            case PIR -> "PIR";
            case UAMR, AMR -> "AMR";
            case PIDR -> "PIDR";
            case UAMOR -> "UAMOR";
            case LPIDR -> "LPIDR";
            case IAMR -> "IAMR";
            default -> "spr " + spr;
        };
    }
}
