package dev.pvm.engine.machine.spapr;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.translate.CpuExecutor;
import java.util.HashMap;
import java.util.Map;

/**
 * One vCPU of the machine: its registers, its executor, and the scheduling state PAPR gives it (started by
 * RTAS, ceded, prodded) with its external interrupt line. The flags are volatile: other vCPUs' threads and the
 * interrupt controller set them; the vCPU's own thread reads them between slices.
 */
final class SpaprVcpu {

    final CpuState cpu;
    final CpuExecutor executor;

    /** Running: the boot vCPU from reset, secondaries from start-cpu until stop-self. */
    volatile boolean started;
    /** In H_CEDE: idle until {@link #wakeable} holds. */
    volatile boolean ceded;
    /** An H_PROD not yet consumed by an H_CEDE. */
    volatile boolean prodded;
    /** The interrupt controller presents an interrupt (InterruptInputs.setExternal). */
    volatile boolean externalAsserted;
    /** H_CONFER asked for the rest of the slice to go to others. */
    volatile boolean yieldRequested;

    /**
     * The interrupt that began the current run of faults at vector entries (for the failure report), the
     * address it was raised at and the MSR then; and the last vector delivered and how many deliveries in a
     * row faulted right at their vector's first instruction.
     */
    GuestInterrupt chainRoot;
    long chainRootCia;
    long chainRootMsr;
    long lastVector = -1;
    int faultsAtVector;

    /** Statistics, written by the vCPU's thread: interrupts delivered by kind, H_CEDE calls. */
    final Map<Class<?>, long[]> interrupts = new HashMap<>();
    long cedes;
    /**
     * Where the vCPU was each time its executor returned (a slice ended, an interrupt, a hypercall that stops):
     * with slices of a fixed instruction count, a sampling profile of the guest by effective address.
     */
    final Map<Long, long[]> pcSamples = new HashMap<>();

    SpaprVcpu(CpuState cpu, CpuExecutor executor) {
        this.cpu = cpu;
        this.executor = executor;
    }

    void samplePc() {
        pcSamples.computeIfAbsent(cpu.nia, k -> new long[1])[0]++;
    }

    void countInterrupt(GuestInterrupt interrupt) {
        interrupts.computeIfAbsent(interrupt.getClass(), k -> new long[1])[0]++;
    }

    /** Reset: stopped, nothing pending. */
    void reset() {
        started = false;
        ceded = false;
        prodded = false;
        externalAsserted = false;
        yieldRequested = false;
        chainRoot = null;
        lastVector = -1;
        faultsAtVector = 0;
    }
}
