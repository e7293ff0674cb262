package dev.pvm.engine.rtas;

import dev.pvm.engine.cpu.CpuState;

/** What the RTAS CPU services ask of the machine (LoPAPR 7.3.10). */
public interface CpuControl {

    /** How many vCPUs exist (ids 0..count-1). */
    int cpuCount();

    /** Whether vCPU {@code id} runs (started and not stopped by stop-self). */
    boolean running(int id);

    /**
     * Starts a stopped vCPU at {@code entry} with r3 = {@code r3}, 64-bit big-endian real mode (MSR = SF|ME, as
     * QEMU's rtas_start_cpu).
     *
     * @return false when it is already running
     */
    boolean start(int id, long entry, long r3);

    /** The calling vCPU stops until a start-cpu names it again; the call does not return to the caller. */
    void stopSelf(CpuState caller);
}
