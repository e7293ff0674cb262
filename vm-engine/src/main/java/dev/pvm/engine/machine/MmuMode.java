package dev.pvm.engine.machine;

/**
 * Which POWER9 MMU the guest gets (Book III chapters 5 and 6). The device tree advertises it
 * ({@code ibm,pa-features} radix bit, {@code ibm,processor-radix-AP-encodings}), and the kernel picks it.
 */
public enum MmuMode {
    /** Radix tree translation with a process table registered through H_REGISTER_PROC_TBL: POWER9's default. */
    RADIX,
    /** Hashed page table owned by the hypervisor (H_ENTER and friends) with an SLB: POWER8 style. */
    HASH
}
