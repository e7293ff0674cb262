package dev.pvm.engine.cpu;

/**
 * Special-purpose registers (Power ISA v3.0B Book I 3.3.17 and Book III 4.4.4, the SPR table of Book III
 * chapter 9 for POWER9 as QEMU's ppc/cpu_init.c registers it): numbers, names, width, and who may read and write
 * each one. The semantics of {@code mfspr}/{@code mtspr} follow this table; what reading or writing does lives
 * in the interpreter's SpecialRegisterOps.
 *
 * <p>Numbers not in the table are the ISA's "invalid SPRs": see {@code SpecialRegisterOps} for their rule.
 */
public final class Spr {

    public static final int XER = 1;
    public static final int DSCR = 3;
    /** The AMR as problem state reaches it (Book III 5.7.13.2). */
    public static final int UAMR = 13;
    public static final int LR = 8;
    public static final int CTR = 9;
    public static final int AMR_USER = 13;
    public static final int DSCR_PRIV = 17;
    public static final int DSISR = 18;
    public static final int DAR = 19;
    public static final int DEC = 22;
    public static final int SRR0 = 26;
    public static final int SRR1 = 27;
    public static final int CFAR = 28;
    public static final int AMR = 29;
    public static final int PIDR = 48;
    public static final int AMOR = 93;
    public static final int CTRL_READ = 136;
    public static final int CTRL_WRITE = 152;
    public static final int FSCR = 153;
    public static final int UAMOR = 157;
    public static final int PSPB = 159;
    public static final int DAWR0 = 180;
    public static final int RPR = 186;
    public static final int CIABR = 187;
    public static final int DAWRX0 = 188;
    public static final int HFSCR = 190;
    public static final int VRSAVE = 256;
    public static final int SPRG3_USER = 259;
    public static final int TB = 268;
    public static final int TBU = 269;
    public static final int SPRG0 = 272;
    public static final int SPRG1 = 273;
    public static final int SPRG2 = 274;
    public static final int SPRG3 = 275;
    public static final int TBL_WRITE = 284;
    public static final int TBU_WRITE = 285;
    public static final int TBU40 = 286;
    public static final int PVR = 287;
    public static final int HSPRG0 = 304;
    public static final int HSPRG1 = 305;
    public static final int HDSISR = 306;
    public static final int HDAR = 307;
    public static final int SPURR = 308;
    public static final int PURR = 309;
    public static final int HDEC = 310;
    public static final int HRMOR = 313;
    public static final int HSRR0 = 314;
    public static final int HSRR1 = 315;
    public static final int LPCR = 318;
    public static final int LPIDR = 319;
    public static final int HMER = 336;
    public static final int HMEER = 337;
    public static final int PCR = 338;
    public static final int HEIR = 339;
    public static final int PTCR = 464;
    public static final int TAR = 815;
    public static final int ASDR = 816;
    public static final int IAMR = 61;
    public static final int PPR = 896;
    public static final int PPR32 = 898;
    public static final int PSSCR = 855;
    public static final int HID0 = 1008;
    public static final int PIR = 1023;

    /** Who may access a register: each state may do what the states before it may. */
    public enum Privilege {
        /** Problem state (MSR[PR]=1) and up. */
        PROBLEM,
        /** Supervisor state (MSR[PR]=0, MSR[HV]=0): a PAPR guest's kernel. */
        SUPERVISOR,
        /** Hypervisor state only: a PAPR guest never has it, so access is a privileged-instruction interrupt. */
        HYPERVISOR,
        /** Nobody (a read-only register's write side). */
        NONE
    }

    /**
     * One register.
     *
     * @param width 64, or 32 for the registers whose writes keep the low word and reads give it zero-extended
     */
    public record Definition(int number, String name, Privilege read, Privilege write, int width) {
    }

    private static final Definition[] TABLE = new Definition[1024];

    static {
        Privilege u = Privilege.PROBLEM;
        Privilege s = Privilege.SUPERVISOR;
        Privilege h = Privilege.HYPERVISOR;
        Privilege none = Privilege.NONE;
        define(XER, "XER", u, u, 64);
        define(DSCR, "DSCR", u, u, 64);
        define(LR, "LR", u, u, 64);
        define(CTR, "CTR", u, u, 64);
        define(AMR_USER, "AMR", u, u, 64);
        define(DSCR_PRIV, "DSCR", s, s, 64);
        define(DSISR, "DSISR", s, s, 32);
        define(DAR, "DAR", s, s, 64);
        define(DEC, "DEC", s, s, 64);
        define(SRR0, "SRR0", s, s, 64);
        define(SRR1, "SRR1", s, s, 64);
        define(CFAR, "CFAR", s, s, 64);
        define(AMR, "AMR", s, s, 64);
        define(PIDR, "PIDR", s, s, 32);
        define(CTRL_READ, "CTRL", u, none, 32);
        define(CTRL_WRITE, "CTRL", none, s, 32);
        define(FSCR, "FSCR", s, s, 64);
        define(UAMOR, "UAMOR", s, s, 64);
        define(PSPB, "PSPB", s, s, 32);
        define(VRSAVE, "VRSAVE", u, u, 32);
        define(SPRG3_USER, "SPRG3", u, none, 64);
        define(TB, "TB", u, none, 64);
        define(TBU, "TBU", u, none, 32);
        define(SPRG0, "SPRG0", s, s, 64);
        define(SPRG1, "SPRG1", s, s, 64);
        define(SPRG2, "SPRG2", s, s, 64);
        define(SPRG3, "SPRG3", s, s, 64);
        define(PVR, "PVR", s, none, 32);
        define(SPURR, "SPURR", s, h, 64);
        define(PURR, "PURR", s, h, 64);
        define(TAR, "TAR", u, u, 64);
        define(IAMR, "IAMR", s, s, 64);
        define(PPR, "PPR", u, u, 64);
        define(PPR32, "PPR32", u, u, 32);
        define(PIR, "PIR", s, none, 32);
        // Hypervisor resources: a PAPR guest's access is a privileged-instruction program interrupt (QEMU
        // registers them SPR_NOACCESS for supervisor state).
        define(AMOR, "AMOR", h, h, 64);
        define(DAWR0, "DAWR0", h, h, 64);
        define(RPR, "RPR", h, h, 64);
        define(CIABR, "CIABR", h, h, 64);
        define(DAWRX0, "DAWRX0", h, h, 64);
        define(HFSCR, "HFSCR", h, h, 64);
        define(TBL_WRITE, "TBL", h, h, 64);
        define(TBU_WRITE, "TBU", h, h, 64);
        define(TBU40, "TBU40", h, h, 64);
        define(HSPRG0, "HSPRG0", h, h, 64);
        define(HSPRG1, "HSPRG1", h, h, 64);
        define(HDSISR, "HDSISR", h, h, 64);
        define(HDAR, "HDAR", h, h, 64);
        define(HDEC, "HDEC", h, h, 64);
        define(HRMOR, "HRMOR", h, h, 64);
        define(HSRR0, "HSRR0", h, h, 64);
        define(HSRR1, "HSRR1", h, h, 64);
        define(LPCR, "LPCR", h, h, 64);
        define(LPIDR, "LPIDR", h, h, 64);
        define(HMER, "HMER", h, h, 64);
        define(HMEER, "HMEER", h, h, 64);
        define(PCR, "PCR", h, h, 64);
        define(HEIR, "HEIR", h, h, 64);
        define(PTCR, "PTCR", h, h, 64);
        define(ASDR, "ASDR", h, h, 64);
        define(PSSCR, "PSSCR", h, h, 64);
        define(HID0, "HID0", h, h, 64);
    }

    private static void define(int number, String name, Privilege read, Privilege write, int width) {
        if (TABLE[number] != null) {
            throw new IllegalStateException("SPR " + number + " defined twice");
        }
        TABLE[number] = new Definition(number, name, read, write, width);
    }

    private Spr() {
    }

    /** The register's definition, or null for an invalid (unimplemented) SPR number. */
    public static Definition definition(int spr) {
        return spr >= 0 && spr < TABLE.length ? TABLE[spr] : null;
    }

    /** Whether problem state may not access this SPR number (Book III 4.4.4: SPR number bit 0x10). */
    public static boolean privileged(int spr) {
        return (spr & 0x10) != 0;
    }

    /** The register's name for messages, or {@code spr N}. */
    public static String name(int spr) {
        Definition d = definition(spr);
        return d == null ? "spr " + spr : d.name();
    }
}
