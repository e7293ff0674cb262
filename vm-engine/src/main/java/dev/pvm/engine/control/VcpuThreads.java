package dev.pvm.engine.control;

import dev.pvm.engine.machine.RunOutcome;
import dev.pvm.engine.machine.spapr.SpaprMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A machine's vCPUs on a platform thread each (MTTCG-style SMP), for callers that drive a machine without a
 * {@link VmController} (the {@code boot} command): the first outcome that ends the guest is reported, and
 * {@link #close} stops and joins every thread.
 */
public final class VcpuThreads implements AutoCloseable {

    private final List<VcpuLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CompletableFuture<RunOutcome> ended = new CompletableFuture<>();

    private VcpuThreads(SpaprMachine machine) {
        for (int i = 0; i < machine.vcpuCount(); i++) {
            VcpuLoop loop = new VcpuLoop(machine, i, ended::complete);
            loops.add(loop);
            threads.add(Thread.ofPlatform().name("vcpu-" + i).daemon(true).start(loop));
        }
    }

    /** Starts a thread per vCPU of {@code machine}. */
    public static VcpuThreads start(SpaprMachine machine) {
        return new VcpuThreads(machine);
    }

    /**
     * Waits up to {@code nanos} for the guest to end.
     *
     * @return how it ended (POWERED_OFF or Failed), or null if it still runs
     */
    public RunOutcome await(long nanos) throws InterruptedException {
        try {
            return ended.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Stops every vCPU thread at its next slice boundary and waits for them. */
    @Override
    public void close() {
        loops.forEach(VcpuLoop::stop);
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
