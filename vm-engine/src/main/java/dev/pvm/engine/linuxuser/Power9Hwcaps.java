package dev.pvm.engine.linuxuser;

/**
 * AT_HWCAP and AT_HWCAP2 for the CPU the engine implements: the bits a POWER9 kernel reports
 * (arch/powerpc/kernel/cputable.c, the POWER9 entry: COMMON_USER_POWER9 / COMMON_USER2_POWER9), minus the
 * facilities this engine does not provide, so glibc's ifunc resolvers (sysdeps/powerpc/powerpc64/multiarch)
 * never pick code for them. Bit values are the uapi ones of arch/powerpc/include/uapi/asm/cputable.h.
 *
 * <p>Left out on purpose: PPC_FEATURE_HAS_DFP (no decimal floating point), PPC_FEATURE2_HTM* (transactional
 * memory; POWER9 guests do not get it either), PPC_FEATURE2_EBB (event-based branches need the PMU),
 * PPC_FEATURE2_TAR (bctar), PPC_FEATURE2_SCV (glibc would issue {@code scv 0} instead of {@code sc}),
 * PPC_FEATURE2_HAS_IEEE128 (binary128 arithmetic instructions are not in the table).
 */
public final class Power9Hwcaps {

    public static final long PPC_FEATURE_32 = 0x80000000L;
    public static final long PPC_FEATURE_64 = 0x40000000L;
    public static final long PPC_FEATURE_HAS_ALTIVEC = 0x10000000L;
    public static final long PPC_FEATURE_HAS_FPU = 0x08000000L;
    public static final long PPC_FEATURE_HAS_MMU = 0x04000000L;
    public static final long PPC_FEATURE_SMT = 0x00004000L;
    public static final long PPC_FEATURE_ICACHE_SNOOP = 0x00002000L;
    public static final long PPC_FEATURE_ARCH_2_05 = 0x00001000L;
    public static final long PPC_FEATURE_ARCH_2_06 = 0x00000100L;
    public static final long PPC_FEATURE_HAS_VSX = 0x00000080L;
    public static final long PPC_FEATURE_TRUE_LE = 0x00000002L;

    public static final long PPC_FEATURE2_ARCH_2_07 = 0x80000000L;
    public static final long PPC_FEATURE2_DSCR = 0x20000000L;
    public static final long PPC_FEATURE2_ISEL = 0x08000000L;
    public static final long PPC_FEATURE2_VEC_CRYPTO = 0x02000000L;
    public static final long PPC_FEATURE2_ARCH_3_00 = 0x00800000L;
    public static final long PPC_FEATURE2_DARN = 0x00200000L;

    /** AT_HWCAP. */
    public static final long HWCAP = PPC_FEATURE_32 | PPC_FEATURE_64 | PPC_FEATURE_HAS_ALTIVEC | PPC_FEATURE_HAS_FPU
            | PPC_FEATURE_HAS_MMU | PPC_FEATURE_SMT | PPC_FEATURE_ICACHE_SNOOP | PPC_FEATURE_ARCH_2_05
            | PPC_FEATURE_ARCH_2_06 | PPC_FEATURE_HAS_VSX | PPC_FEATURE_TRUE_LE;

    /** AT_HWCAP2. */
    public static final long HWCAP2 = PPC_FEATURE2_ARCH_2_07 | PPC_FEATURE2_DSCR | PPC_FEATURE2_ISEL
            | PPC_FEATURE2_VEC_CRYPTO | PPC_FEATURE2_ARCH_3_00 | PPC_FEATURE2_DARN;

    /** AT_PLATFORM and AT_BASE_PLATFORM: the kernel's cpu_spec->platform for POWER9. */
    public static final String PLATFORM = "power9";

    private Power9Hwcaps() {
    }
}
