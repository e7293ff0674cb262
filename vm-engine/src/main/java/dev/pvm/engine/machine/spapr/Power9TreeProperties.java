package dev.pvm.engine.machine.spapr;

import dev.pvm.engine.machine.MmuMode;

/**
 * The POWER9 (ISA v3.0B) feature properties of a cpu node, with the values QEMU 7.2's pseries machine writes
 * for its default POWER9 DD2.0 (hw/ppc/spapr.c spapr_dt_cpu / spapr_dt_pa_features, target/ppc cpu models;
 * shared/facts/qemu-dtb/pseries-1cpu-1G.dts). The MMU properties must match what the engine's MMU implements.
 */
final class Power9TreeProperties {

    /**
     * {@code ibm,pa-features} (LoPAPR "ibm,pa-features"; QEMU's pa_features_300): two header bytes (length 66,
     * type 0), then attribute bytes. Byte 3 has CI large pages (0x20) added as QEMU does for POWER9; HTM (byte
     * 24) stays off as QEMU's default cap-htm=off.
     */
    private static final byte[] PA_FEATURES = bytes(
            0x42, 0x00,
            0xf6, 0x3f, 0xc7, 0xc0, 0x80, 0xf0, // 0-5: MMU FPU SLB RUN DABR NX, fri/fsqrt/..., VPM DS2xx PPR, LSD URG, LE CFAR EB LSQ
            0x80, 0x00, 0x00, 0x00, 0x00, 0x00, // 6-11: DS207
            0x00, 0x00, 0x00, 0x00, 0x80, 0x00, // 12-17: 16 vector
            0x80, 0x00, 0x80, 0x00, 0x00, 0x00, // 18-23: 18 vector-scalar, 20 vector XOR, 22 HTM (off)
            0x80, 0x00, 0x80, 0x00, 0x80, 0x00, // 24-29: 24 extended decrementer, 26 64-bit features, 28 PM
            0x80, 0x00, 0x80, 0x00, 0xc0, 0x00, // 30-35: 30 MMR, 32 LE atomics, 34 EBB + extended EBB
            0x80, 0x00, 0x80, 0x00, 0x80, 0x00, // 36-41: 36 SPR SO, 38 copy/paste, 40 radix MMU
            0x80, 0x00, 0x80, 0x00, 0x80, 0x00, // 42-47: 42 PM, 44 PC RA, 46 SC vectored
            0x80, 0x00, 0x80, 0x00, 0x80, 0x00, // 48-53: 48 SIMD, 50 QP BFP, 52 string
            0x80, 0x00, 0x80, 0x00, 0x80, 0x00, // 54-59: 54 DecFP, 56 DecI, 58 SHA
            0x80, 0x00, 0x80, 0x00, 0x00, 0x00); // 60-65: 60 NM atomics, 62 RNG
    /** Attribute byte 40 (array index 42), bit 0x80: radix MMU. */
    private static final int RADIX_BYTE = 2 + 40;

    /**
     * {@code ibm,segment-page-sizes}: 4 KiB segments with 4 KiB pages (SLB L||LP 0, PTE encoding 0), 64 KiB
     * segments (SLB 0x110) with 64 KiB pages (encoding 1). QEMU caps hash pages at 64 KiB by default
     * (cap-hpt-max-page-size=16), so no 16 MiB entry.
     */
    static final int[] SEGMENT_PAGE_SIZES = {0x0c, 0x000, 1, 0x0c, 0x0, 0x10, 0x110, 1, 0x10, 0x1};
    /** {@code ibm,processor-segment-sizes}: 256 MiB (2^28) and 1 TiB (2^40) segments. */
    static final int[] SEGMENT_SIZES = {28, 40, -1, -1};
    /** {@code ibm,processor-radix-AP-encodings}: AP field | page shift: 4K (AP 0), 64K (5), 2M (1), 1G (2). */
    static final int[] RADIX_AP_ENCODINGS = {0x0000000c, 0xa0000010, 0x20000015, 0x4000001e};
    /** {@code ibm,dec-bits}: the large decrementer is 56 bits wide (QEMU's cap-large-decr on POWER9). */
    static final int DEC_BITS = 56;
    /** {@code ibm,vmx}: 2 = VMX and VSX (Linux enables Altivec/VSX only from this; see the facts file). */
    static final int VMX_LEVEL = 2;

    private Power9TreeProperties() {
    }

    /**
     * The pa-features for the MMU the guest gets: for a hash guest the radix bit is cleared, as QEMU does for a
     * pre-ISA-3.0 guest, so the kernel never considers radix.
     */
    static byte[] paFeatures(MmuMode mmu) {
        byte[] features = PA_FEATURES.clone();
        if (mmu == MmuMode.HASH) {
            features[RADIX_BYTE] &= (byte) ~0x80;
        }
        return features;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
