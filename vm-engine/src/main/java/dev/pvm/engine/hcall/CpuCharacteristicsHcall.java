package dev.pvm.engine.hcall;

/**
 * H_GET_CPU_CHARACTERISTICS: which speculation-barrier and cache-flush workarounds the guest should use. We
 * answer what QEMU 7.2's pseries machine answers under TCG with its default capabilities (cap-cfpc, cap-sbbc and
 * cap-ibs = workaround, cap-ccf-assist = on; hw/ppc/spapr_hcall.c h_get_cpu_characteristics), so a guest takes
 * the same code paths as there: the ori 30,30,0 / mtspr TRIG2 L1D flush, the ori 31,31,0 speculation barrier
 * and the bcctr-assisted count-cache flush (all harmless no-ops for an emulated CPU).
 */
public final class CpuCharacteristicsHcall {

    public static final long H_GET_CPU_CHARACTERISTICS = 0x1c8;

    /** r4 "character" bits (Linux arch/powerpc/include/asm/hvcall.h; PAPR bit 0 = most significant). */
    static final long CHAR_SPEC_BAR_ORI31 = 1L << 63;
    static final long CHAR_L1D_FLUSH_ORI30 = 1L << 61;
    static final long CHAR_L1D_FLUSH_TRIG2 = 1L << 60;
    static final long CHAR_L1D_THREAD_PRIV = 1L << 59;
    static final long CHAR_HON_BRANCH_HINTS = 1L << 58;
    static final long CHAR_BCCTR_FLUSH_ASSIST = 1L << 54;
    /** r5 "behaviour" bits. */
    static final long BEHAV_FAVOUR_SECURITY = 1L << 63;
    static final long BEHAV_L1D_FLUSH_PR = 1L << 62;
    static final long BEHAV_BNDS_CHK_SPEC_BAR = 1L << 61;
    static final long BEHAV_FLUSH_COUNT_CACHE = 1L << 58;

    static final long CHARACTERISTICS = CHAR_HON_BRANCH_HINTS | CHAR_L1D_FLUSH_ORI30 | CHAR_L1D_FLUSH_TRIG2
            | CHAR_L1D_THREAD_PRIV | CHAR_SPEC_BAR_ORI31 | CHAR_BCCTR_FLUSH_ASSIST;
    static final long BEHAVIOUR = BEHAV_FAVOUR_SECURITY | BEHAV_L1D_FLUSH_PR | BEHAV_BNDS_CHK_SPEC_BAR
            | BEHAV_FLUSH_COUNT_CACHE;

    private CpuCharacteristicsHcall() {
    }

    /** Not a hypertas function set: the guest probes for it (QEMU registers it unconditionally). */
    public static void register(HcallTable table) {
        table.register(H_GET_CPU_CHARACTERISTICS, "H_GET_CPU_CHARACTERISTICS", null, cpu -> {
            cpu.gpr[4] = CHARACTERISTICS;
            cpu.gpr[5] = BEHAVIOUR;
            return HcallStatus.H_SUCCESS;
        });
    }
}
