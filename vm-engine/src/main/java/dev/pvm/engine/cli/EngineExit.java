package dev.pvm.engine.cli;

import dev.pvm.engine.control.VmController;
import dev.pvm.engine.control.VmState;
import dev.pvm.engine.control.VmStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * When the serving engine ends, and with which exit code (the launcher's contract): once the VM is SHUTOFF or
 * FAILED, the engine exits when the client calls Shutdown or after a grace period, whichever comes first;
 * code 0 for SHUTOFF, 1 for FAILED. A Shutdown on a running VM stops it (SHUTOFF) and exits 0.
 */
final class EngineExit {

    private static final System.Logger LOG = System.getLogger(EngineExit.class.getName());

    private final VmController controller;
    private final Duration grace;
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "engine-exit");
        t.setDaemon(true);
        return t;
    });
    private boolean graceStarted;

    EngineExit(VmController controller, Duration grace) {
        this.controller = controller;
        this.grace = grace;
        controller.addListener(this::onStatus);
    }

    /** Completes with the process exit code when the engine should exit. */
    CompletableFuture<Integer> exitCode() {
        return exitCode;
    }

    private synchronized void onStatus(VmStatus status) {
        if (status.state().terminal() && !graceStarted) {
            graceStarted = true;
            LOG.log(System.Logger.Level.INFO, () -> "VM " + status.state() + "; the engine exits on Shutdown or in "
                    + grace.toSeconds() + " s");
            timer.schedule(this::exitNow, grace.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The client called Shutdown (and has its answer). */
    void shutdownRequested() {
        exitNow();
    }

    private void exitNow() {
        VmState state = controller.status().state();
        exitCode.complete(state == VmState.FAILED ? 1 : 0);
        timer.shutdown();
    }
}
