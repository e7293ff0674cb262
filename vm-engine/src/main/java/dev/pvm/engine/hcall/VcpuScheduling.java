package dev.pvm.engine.hcall;

import dev.pvm.engine.cpu.CpuState;

/** What the processor hypercalls ask of the machine: idling, waking, yielding, and the partition's LPCR. */
public interface VcpuScheduling {

    /** How many vCPUs exist (ids 0..count-1). */
    int cpuCount();

    /**
     * H_CEDE: the caller (with MSR[EE] already set) idles until an interrupt is pending for it or it is
     * prodded; a prod that arrived earlier is consumed instead.
     */
    void cede(CpuState caller);

    /** H_PROD: wakes vCPU {@code target} from H_CEDE, or makes its next H_CEDE return at once. */
    void prod(int target);

    /** H_CONFER: the caller gives up the rest of its time slice. */
    void confer(CpuState caller);

    /** Sets the LPCR bits {@code mask} of every vCPU to {@code value} (QEMU spapr_set_all_lpcrs). */
    void setPartitionLpcr(CpuState caller, long mask, long value);
}
