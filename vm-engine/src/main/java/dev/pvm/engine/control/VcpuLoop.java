package dev.pvm.engine.control;

import dev.pvm.engine.machine.RunOutcome;
import dev.pvm.engine.machine.spapr.SpaprMachine;
import java.util.function.Consumer;

/**
 * One vCPU thread's loop: runs its vCPU in slices of {@link #SLICE} instructions and, between slices, obeys
 * pause and stop requests. When the guest ends (power-off or failure) it reports the outcome once and exits.
 * Requests are checked only between slices, so the interpreter's hot loop reads no shared state.
 */
final class VcpuLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger(VcpuLoop.class.getName());

    /** Instructions per slice: a few milliseconds of guest time, so pause and stop answer quickly. */
    static final long SLICE = 1 << 16;

    private final SpaprMachine machine;
    private final int index;
    private final Consumer<RunOutcome> onEnd;
    private final Object lock = new Object();
    private boolean pauseRequested;
    private boolean stopRequested;
    private boolean parked;
    private boolean finished;
    private volatile boolean attention;

    VcpuLoop(SpaprMachine machine, int index, Consumer<RunOutcome> onEnd) {
        this.machine = machine;
        this.index = index;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        RunOutcome outcome = null;
        try {
            while (true) {
                if (attention && !awaitPermission()) {
                    return;
                }
                RunOutcome o;
                try {
                    o = machine.runVcpu(index, SLICE);
                } catch (RuntimeException | StackOverflowError e) {
                    LOG.log(System.Logger.Level.ERROR, "engine error while running the guest", e);
                    o = new RunOutcome.Failed("engine error while running the guest: " + e);
                }
                if (!(o instanceof RunOutcome.Continue)) {
                    outcome = o;
                    return;
                }
            }
        } finally {
            synchronized (lock) {
                finished = true;
                lock.notifyAll();
            }
            if (outcome != null) {
                onEnd.accept(outcome);
            }
        }
    }

    /** Parks while paused; false when asked to stop. */
    private boolean awaitPermission() {
        synchronized (lock) {
            while (pauseRequested && !stopRequested) {
                parked = true;
                lock.notifyAll();
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            parked = false;
            attention = pauseRequested || stopRequested;
            return !stopRequested;
        }
    }

    /** Asks the loop to park and waits until it has (or until it has finished); true when parked. */
    boolean pause() throws InterruptedException {
        synchronized (lock) {
            pauseRequested = true;
            attention = true;
            while (!parked && !finished) {
                lock.wait();
            }
            return parked;
        }
    }

    void resume() {
        synchronized (lock) {
            pauseRequested = false;
            attention = true;
            lock.notifyAll();
        }
    }

    /** Asks the loop to stop at the next slice boundary (waking it if parked). */
    void stop() {
        synchronized (lock) {
            stopRequested = true;
            attention = true;
            lock.notifyAll();
        }
    }
}
