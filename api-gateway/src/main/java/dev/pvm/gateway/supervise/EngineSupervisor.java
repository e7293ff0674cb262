package dev.pvm.gateway.supervise;

import com.google.protobuf.ByteString;
import dev.pvm.gateway.clients.DeviceClient;
import dev.pvm.gateway.clients.GpuPlacementMapper;
import dev.pvm.gateway.clients.GrpcFailureTranslator;
import dev.pvm.gateway.clients.PlacementClient;
import dev.pvm.gateway.clients.VmSpecMapper;
import dev.pvm.gateway.config.GatewayProperties;
import dev.pvm.gateway.console.ConsoleRegistry;
import dev.pvm.gateway.problem.EngineLaunchException;
import dev.pvm.gateway.problem.GatewayException;
import dev.pvm.gateway.problem.VmConflictException;
import dev.pvm.gateway.vm.VmRecord;
import dev.pvm.gateway.vm.VmState;
import dev.pvm.gateway.vm.VmStore;
import dev.pvm.proto.common.v1.DeviceKind;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.proto.common.v1.VmSpec;
import dev.pvm.proto.engine.v1.ConsoleChunk;
import dev.pvm.proto.engine.v1.CreateRequest;
import dev.pvm.proto.engine.v1.DeviceTreeFormat;
import dev.pvm.proto.engine.v1.GetDeviceTreeRequest;
import dev.pvm.proto.engine.v1.GetDeviceTreeResponse;
import dev.pvm.proto.engine.v1.ShutdownRequest;
import dev.pvm.proto.engine.v1.StartRequest;
import dev.pvm.proto.engine.v1.StreamConsoleRequest;
import dev.pvm.proto.engine.v1.StreamEventsRequest;
import dev.pvm.proto.engine.v1.VmEngineGrpc;
import dev.pvm.proto.engine.v1.VmStatus;
import dev.pvm.proto.engine.v1.WriteConsoleRequest;
import dev.pvm.proto.placement.v1.GuestLayout;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Starts, follows and stops VMs' engines, and keeps each VM's recorded state in step with its engine.
 *
 * <p>Start: reserve the devices (device-service), compute the layout (placement-service) - on failure the VM goes
 * back to its previous state and everything taken is released - then, in the background, launch the engine,
 * Create, follow StreamEvents (each state recorded) and StreamConsole (into console.log), Start. The VM is
 * STARTING until the engine reports RUNNING. When the engine reports SHUTOFF or FAILED the supervisor calls
 * Shutdown so that it exits. Engine exit: code 0 means SHUTOFF (unless already recorded), anything else FAILED
 * with the code, what the launcher knows of the end (a pod's termination reason) and the last lines of the engine's
 * log (engine.log, or the pod's); the devices are released in every case.
 */
@Service
public class EngineSupervisor {

    public static final String ENGINE = "vm-engine";
    private static final Logger log = LoggerFactory.getLogger(EngineSupervisor.class);
    private static final int LOG_TAIL_LINES = 20;
    /** How long the last console bytes may take to arrive after the engine exits. */
    private static final Duration CONSOLE_DRAIN = Duration.ofSeconds(5);

    private final VmStore store;
    private final DeviceClient devices;
    private final PlacementClient placement;
    private final EngineLauncher launcher;
    private final ConsoleRegistry consoles;
    private final GatewayProperties properties;
    private final Map<UUID, EngineSession> sessions = new ConcurrentHashMap<>();
    private final Map<UUID, Object> locks = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public EngineSupervisor(VmStore store, DeviceClient devices, PlacementClient placement, EngineLauncher launcher,
            ConsoleRegistry consoles, GatewayProperties properties) {
        this.store = store;
        this.devices = devices;
        this.placement = placement;
        this.launcher = launcher;
        this.consoles = consoles;
        this.properties = properties;
    }

    /**
     * Starts the VM. Returns once devices are reserved and the layout computed (the VM is then STARTING); the
     * engine comes up in the background.
     *
     * @throws VmConflictException when the VM already has an engine, or a device is held by another VM
     */
    public VmRecord start(UUID id) {
        awaitPreviousRun(id);
        VmRecord vm;
        EngineSession session;
        VmState previousState;
        String previousReason;
        synchronized (lock(id)) {
            vm = store.get(id);
            if (vm.state().hasEngine() || sessions.containsKey(id)) {
                throw new VmConflictException(null, "VM '" + vm.name() + "' is already " + vm.state());
            }
            previousState = vm.state();
            previousReason = vm.stateReason();
            session = new EngineSession(id, vm.definition().hostDevices());
            sessions.put(id, session);
            store.changeState(id, VmState.STARTING, "reserving devices and computing the layout");
        }
        VmSpec spec = VmSpecMapper.toSpec(vm.definition());
        List<HostPciDevice> reserved;
        GuestLayout layout;
        try {
            reserved = session.deviceAddresses.isEmpty() ? List.of() : devices.reserve(id, session.deviceAddresses);
            layout = placement.computeLayout(spec, reserved);
            store.placeGpus(id, GpuPlacementMapper.gpus(layout));
            consoles.console(id).begin();
        } catch (RuntimeException e) {
            String releaseProblem = release(session);
            if (releaseProblem == null) {
                store.changeState(id, previousState, previousReason);
            } else {
                store.changeState(id, VmState.FAILED, "start failed: " + e.getMessage() + "; " + releaseProblem);
            }
            sessions.remove(id, session);
            session.finished.complete(null);
            throw e;
        }
        VmRecord starting = store.changeState(id, VmState.STARTING, "launching the engine");
        EngineRequest request = new EngineRequest(id, vm.name(), properties.vmDirectory(id), spec.getVcpus(),
                spec.getMemoryMib(), (int) reserved.stream()
                        .filter(d -> d.getKind() == DeviceKind.DEVICE_KIND_NVLINK2_GPU)
                        .count());
        executor.execute(() -> run(session, request, spec, layout, reserved));
        return starting;
    }

    /**
     * Stops the VM's engine (Shutdown with force, then kill after the stop timeout) and returns the VM once the
     * run is over.
     *
     * @throws VmConflictException when the VM has no engine
     */
    public VmRecord stop(UUID id) {
        EngineSession session;
        synchronized (lock(id)) {
            VmRecord vm = store.get(id);
            session = sessions.get(id);
            if (!vm.state().hasEngine()) {
                throw new VmConflictException(null, "VM '" + vm.name() + "' is not running (state " + vm.state()
                        + ")");
            }
            if (session == null) {
                // Only possible if the record was changed behind the gateway's back: nothing runs, say so.
                return store.changeState(id, VmState.SHUTOFF, "stopped by request (no engine was running)");
            }
        }
        stopRun(session, "stopped by request");
        return store.get(id);
    }

    /**
     * Deletes a VM that has no engine: its record, its directory (logs, console) and any device reservation a
     * failed release left behind.
     *
     * @throws VmConflictException when the VM has an engine (stop it first)
     */
    public void delete(UUID id) {
        awaitPreviousRun(id);
        synchronized (lock(id)) {
            VmRecord vm = store.get(id);
            if (vm.state().hasEngine() || sessions.containsKey(id)) {
                throw new VmConflictException(null, "VM '" + vm.name() + "' is " + vm.state()
                        + "; stop it before deleting it");
            }
            if (!vm.definition().hostDevices().isEmpty()) {
                devices.release(id);
            }
            store.delete(id);
            consoles.forget(id);
            VmDirectory.delete(properties.vmDirectory(id));
        }
        locks.remove(id);
    }

    /** The device tree of a running VM, as its engine built it (DTB). */
    public byte[] deviceTree(UUID id) {
        return deviceTree(id, DeviceTreeFormat.DEVICE_TREE_FORMAT_DTB).getDtb().toByteArray();
    }

    /** The same device tree as source text, printed by the engine as {@code dtc -I dtb -O dts} would. */
    public String deviceTreeSource(UUID id) {
        return deviceTree(id, DeviceTreeFormat.DEVICE_TREE_FORMAT_DTS).getDts();
    }

    private GetDeviceTreeResponse deviceTree(UUID id, DeviceTreeFormat format) {
        LaunchedEngine engine = runningEngine(id);
        try {
            return VmEngineGrpc.newBlockingStub(engine.channel())
                    .withDeadlineAfter(properties.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS)
                    .getDeviceTree(GetDeviceTreeRequest.newBuilder().setFormat(format).build());
        } catch (StatusRuntimeException e) {
            throw GrpcFailureTranslator.translate(ENGINE, e);
        }
    }

    /** Types bytes on a running VM's console. */
    public void writeConsole(UUID id, byte[] bytes) {
        LaunchedEngine engine = runningEngine(id);
        try {
            VmEngineGrpc.newBlockingStub(engine.channel())
                    .withDeadlineAfter(properties.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS)
                    .writeConsole(WriteConsoleRequest.newBuilder().setData(ByteString.copyFrom(bytes)).build());
        } catch (StatusRuntimeException e) {
            throw GrpcFailureTranslator.translate(ENGINE, e);
        }
    }

    /**
     * Waits until a VM's last run is completely over (engine gone, devices released). Used before delete and
     * restart, since a VM can be SHUTOFF while its engine is still exiting.
     */
    public void awaitPreviousRun(UUID id) {
        EngineSession session = sessions.get(id);
        if (session == null || store.get(id).state().hasEngine()) {
            return;
        }
        if (!await(session.finished, properties.engine().stopTimeout())) {
            stopRun(session, "stopped because its run had ended but the engine did not exit");
        }
    }

    /** Whether the VM has an engine session (launching, running or exiting). */
    public boolean hasRun(UUID id) {
        return sessions.containsKey(id);
    }

    /** A view of the run's completion, for callers that wait for the end of a run (tests, the CLI). */
    public java.util.Optional<java.util.concurrent.CompletableFuture<Void>> runFinished(UUID id) {
        EngineSession session = sessions.get(id);
        return session == null ? java.util.Optional.empty() : java.util.Optional.of(session.finished.copy());
    }

    /** Stops every engine when the gateway shuts down, so that none is left unsupervised. */
    @PreDestroy
    public void stopAll() {
        List<Future<?>> stops = sessions.values().stream()
                .map(s -> executor.submit(() -> stopRun(s, "stopped because the gateway shut down")))
                .<Future<?>>map(f -> f)
                .toList();
        for (Future<?> stop : stops) {
            try {
                stop.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                log.warn("stopping an engine at shutdown failed", e.getCause());
            }
        }
        executor.shutdown();
    }

    // ---- the run, on a virtual thread ------------------------------------------------------------------------

    private void run(EngineSession session, EngineRequest request, VmSpec spec, GuestLayout layout,
            List<HostPciDevice> reserved) {
        UUID id = session.vmId;
        LaunchedEngine engine;
        try {
            engine = launcher.launch(request);
        } catch (EngineLaunchException e) {
            endWithoutEngine(session, "engine launch failed: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            endWithoutEngine(session, "engine launch failed: " + e);
            return;
        }
        boolean wanted = session.attach(engine);
        engine.process().pid().ifPresent(pid -> store.recordEnginePid(id, pid));
        engine.process().exitCode().whenComplete((code, error) -> executor.execute(
                () -> onEngineExit(session, code == null ? -1 : code)));
        if (!wanted) {
            session.kill();
            return;
        }
        String step = "Create";
        try {
            VmEngineGrpc.VmEngineBlockingStub blocking = VmEngineGrpc.newBlockingStub(engine.channel());
            long deadline = properties.grpcDeadline().toMillis();
            blocking.withDeadlineAfter(properties.engine().createTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .create(CreateRequest.newBuilder()
                            .setVmId(id.toString())
                            .setSpec(spec)
                            .setLayout(layout)
                            .addAllDevices(reserved)
                            .build());
            VmEngineGrpc.VmEngineStub async = VmEngineGrpc.newStub(engine.channel());
            async.streamEvents(StreamEventsRequest.getDefaultInstance(), new EventFollower(session));
            async.streamConsole(StreamConsoleRequest.newBuilder().setOffset(0).build(), new ConsoleFollower(session));
            step = "Start";
            blocking.withDeadlineAfter(deadline, TimeUnit.MILLISECONDS).start(StartRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            String failure = "engine refused " + step + ": " + e.getStatus().getCode() + " "
                    + e.getStatus().getDescription();
            // Logged now: the VM record only says so once the killed engine's exit is seen.
            log.warn("VM {}: {}; killing it", id, failure);
            session.fail(failure);
            session.kill();
        }
    }

    /** Follows the engine's state changes and records them. */
    private final class EventFollower implements StreamObserver<VmStatus> {
        private final EngineSession session;

        EventFollower(EngineSession session) {
            this.session = session;
        }

        @Override
        public void onNext(VmStatus status) {
            session.status(status);
            UUID id = session.vmId;
            switch (status.getState()) {
                case VM_STATE_RUNNING -> record(VmState.RUNNING, null);
                case VM_STATE_PAUSED -> record(VmState.PAUSED, status.getReason());
                case VM_STATE_SHUTOFF -> {
                    String reason = session.stopRequested() ? session.stopReason() : status.getReason();
                    record(VmState.SHUTOFF, reason.isEmpty() ? "guest powered off" : reason);
                    askToExit(session);
                }
                case VM_STATE_FAILED -> {
                    record(VmState.FAILED, status.getReason().isEmpty() ? "the engine reported a failure"
                            : status.getReason());
                    askToExit(session);
                }
                default -> log.debug("VM {}: engine state {}", id, status.getState());
            }
        }

        private void record(VmState state, String reason) {
            synchronized (lock(session.vmId)) {
                if (sessions.get(session.vmId) == session) {
                    store.changeState(session.vmId, state, reason);
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            // The engine went away; its exit decides the final state.
            log.debug("VM {}: event stream ended: {}", session.vmId, t.toString());
        }

        @Override
        public void onCompleted() {
            log.debug("VM {}: event stream completed", session.vmId);
        }
    }

    /** Copies the engine's console into console.log and to the console's subscribers. */
    private final class ConsoleFollower implements StreamObserver<ConsoleChunk> {
        private final EngineSession session;

        ConsoleFollower(EngineSession session) {
            this.session = session;
        }

        @Override
        public void onNext(ConsoleChunk chunk) {
            consoles.console(session.vmId).append(chunk.getData().toByteArray());
        }

        @Override
        public void onError(Throwable t) {
            session.consoleDrained.complete(null);
        }

        @Override
        public void onCompleted() {
            session.consoleDrained.complete(null);
        }
    }

    /** After SHUTOFF or FAILED the engine waits for a Shutdown call (or its grace period) before it exits. */
    private void askToExit(EngineSession session) {
        LaunchedEngine engine = session.engine();
        VmEngineGrpc.newStub(engine.channel())
                .withDeadlineAfter(properties.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .shutdown(ShutdownRequest.newBuilder().setForce(false).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(dev.pvm.proto.engine.v1.ShutdownResponse value) {}

                    @Override
                    public void onError(Throwable t) {
                        log.debug("VM {}: Shutdown after the end: {}", session.vmId, t.toString());
                    }

                    @Override
                    public void onCompleted() {}
                });
    }

    private void stopRun(EngineSession session, String reason) {
        LaunchedEngine engine = session.requestStop(reason);
        if (engine != null) {
            try {
                VmEngineGrpc.newBlockingStub(engine.channel())
                        .withDeadlineAfter(properties.engine().stopTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .shutdown(ShutdownRequest.newBuilder().setForce(true).build());
            } catch (StatusRuntimeException e) {
                log.warn("VM {}: Shutdown failed ({}); the engine will be killed if it does not exit",
                        session.vmId, e.getStatus());
            }
            if (!await(engine.process().exitCode(), properties.engine().stopTimeout())) {
                log.warn("VM {}: engine did not exit within {}; killing it", session.vmId,
                        properties.engine().stopTimeout());
                session.kill();
            }
        }
        Duration bound = properties.engine().portFileTimeout().plus(properties.engine().stopTimeout())
                .plus(CONSOLE_DRAIN);
        if (!await(session.finished, bound)) {
            log.warn("VM {}: run did not finish within {} of the stop request", session.vmId, bound);
        }
    }

    private void onEngineExit(EngineSession session, int code) {
        UUID id = session.vmId;
        await(session.consoleDrained, CONSOLE_DRAIN);
        LaunchedEngine engine = session.engine();
        engine.channel().shutdownNow();
        consoles.console(id).end();
        synchronized (lock(id)) {
            VmRecord vm = store.get(id);
            VmState state;
            String reason;
            if (code == 0 && session.failure() == null) {
                state = vm.state().hasEngine() ? VmState.SHUTOFF : vm.state();
                reason = vm.state().hasEngine()
                        ? (session.stopRequested() ? session.stopReason() : "engine exited")
                        : vm.stateReason();
            } else {
                state = VmState.FAILED;
                String earlier = session.failure() != null ? session.failure()
                        : vm.state() == VmState.FAILED ? vm.stateReason() : null;
                EngineProcess process = engine.process();
                reason = (earlier == null ? "" : earlier + "; ") + "engine exited with code " + code
                        + process.exitReason().map(r -> " (" + r + ")").orElse("")
                        + (session.killedByGateway() ? " (killed by the gateway)" : "")
                        + "; last lines of " + process.logName() + ":\n"
                        + String.join("\n", process.logTail(LOG_TAIL_LINES));
            }
            String releaseProblem = release(session);
            if (releaseProblem != null) {
                reason = (reason == null ? "" : reason + "; ") + releaseProblem;
            }
            store.changeState(id, state, reason);
            sessions.remove(id, session);
        }
        log.info("VM {}: engine exited with code {}", id, code);
        session.finished.complete(null);
    }

    /** A run that never got an engine: FAILED with the reason, devices released. */
    private void endWithoutEngine(EngineSession session, String reason) {
        UUID id = session.vmId;
        consoles.console(id).end();
        synchronized (lock(id)) {
            String releaseProblem = release(session);
            store.changeState(id, VmState.FAILED, releaseProblem == null ? reason : reason + "; " + releaseProblem);
            sessions.remove(id, session);
        }
        log.warn("VM {}: {}", id, reason);
        session.finished.complete(null);
    }

    /** Releases the run's devices; returns null when done, else what went wrong (the devices may still be held). */
    private String release(EngineSession session) {
        if (session.deviceAddresses.isEmpty()) {
            return null;
        }
        try {
            devices.release(session.vmId);
            return null;
        } catch (GatewayException e) {
            log.warn("VM {}: releasing devices failed: {}", session.vmId, e.getMessage());
            return "its devices could not be released (" + e.getMessage() + "); they are released when the VM "
                    + "is started again or deleted";
        }
    }

    private LaunchedEngine runningEngine(UUID id) {
        VmRecord vm = store.get(id);
        EngineSession session = sessions.get(id);
        LaunchedEngine engine = session == null ? null : session.engine();
        if (engine == null || (vm.state() != VmState.RUNNING && vm.state() != VmState.PAUSED)) {
            throw new VmConflictException(null, "VM '" + vm.name() + "' is not running (state " + vm.state() + ")");
        }
        return engine;
    }

    private Object lock(UUID id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    private static boolean await(java.util.concurrent.CompletableFuture<?> future, Duration timeout) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }
}
