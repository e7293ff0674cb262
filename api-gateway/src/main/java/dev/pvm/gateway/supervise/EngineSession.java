package dev.pvm.gateway.supervise;

import dev.pvm.proto.engine.v1.VmStatus;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One run of one VM, from the start request until its engine is gone and its devices released. Fields written by
 * the gRPC callback threads and read by request threads are volatile; the order of the run is:
 * created (launching) -> attached (engine up) -> [stop requested] -> engine exit -> finished.
 */
final class EngineSession {

    final UUID vmId;
    /** Host devices reserved for this run (released when it ends). */
    final List<String> deviceAddresses;
    /** Completes when the run is over: state recorded, devices released, console closed. */
    final CompletableFuture<Void> finished = new CompletableFuture<>();
    /** Completes when the engine's console stream ended, so that its last bytes are in console.log. */
    final CompletableFuture<Void> consoleDrained = new CompletableFuture<>();

    private volatile LaunchedEngine engine;
    private volatile boolean stopRequested;
    private volatile boolean killedByGateway;
    private volatile String stopReason;
    /** Why the run failed, when the gateway saw it fail before the engine exited (e.g. Create refused). */
    private volatile String failure;
    private volatile VmStatus lastStatus;

    EngineSession(UUID vmId, List<String> deviceAddresses) {
        this.vmId = vmId;
        this.deviceAddresses = List.copyOf(deviceAddresses);
    }

    /** Records the launched engine; returns false when a stop came in meanwhile (the caller then kills it). */
    synchronized boolean attach(LaunchedEngine launched) {
        this.engine = launched;
        return !stopRequested;
    }

    /** Marks the run as stopping; returns the engine when it is already up, else null (attach will refuse it). */
    synchronized LaunchedEngine requestStop(String reason) {
        if (!stopRequested) {
            stopRequested = true;
            stopReason = reason;
        }
        return engine;
    }

    LaunchedEngine engine() {
        return engine;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    String stopReason() {
        return stopReason;
    }

    void kill() {
        LaunchedEngine e = engine;
        if (e != null) {
            killedByGateway = true;
            e.process().kill();
        }
    }

    boolean killedByGateway() {
        return killedByGateway;
    }

    void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    String failure() {
        return failure;
    }

    void status(VmStatus status) {
        lastStatus = status;
    }

    VmStatus lastStatus() {
        return lastStatus;
    }
}
