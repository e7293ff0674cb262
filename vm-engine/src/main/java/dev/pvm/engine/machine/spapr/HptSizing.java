package dev.pvm.engine.machine.spapr;

/**
 * How big the hashed page table of a hash-MMU guest is: the engine owns it (PAPR) and advertises its size in
 * {@code ibm,pft-size}. The rule is QEMU's ({@code spapr_hpt_shift_for_ramsize}), so guests see the same size
 * as there: 1/128 of RAM rounded up to a power of two, between the architected 256 KiB and 64 TiB.
 */
public final class HptSizing {

    /** Smallest architected HPT: 2^18 bytes. */
    public static final int MIN_SHIFT = 18;
    /** Largest architected HPT: 2^46 bytes. */
    public static final int MAX_SHIFT = 46;

    private HptSizing() {
    }

    /** log2 of the HPT size in bytes for a guest with {@code ramBytes} of RAM. */
    public static int shiftForRam(long ramBytes) {
        if (ramBytes <= 0) {
            throw new IllegalArgumentException("RAM size must be positive, got " + ramBytes);
        }
        int ceilLog2 = 64 - Long.numberOfLeadingZeros(ramBytes - 1);
        return Math.clamp(ceilLog2 - 7, MIN_SHIFT, MAX_SHIFT);
    }
}
