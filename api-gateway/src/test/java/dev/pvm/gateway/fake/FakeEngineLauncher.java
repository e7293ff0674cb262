package dev.pvm.gateway.fake;

import dev.pvm.gateway.problem.EngineLaunchException;
import dev.pvm.gateway.supervise.EngineLauncher;
import dev.pvm.gateway.supervise.EngineProcess;
import dev.pvm.gateway.supervise.EngineRequest;
import dev.pvm.gateway.supervise.LaunchedEngine;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Launches {@link FakeVmEngine}s on in-process gRPC servers; the "process" is a future exit code and a log. */
public class FakeEngineLauncher implements EngineLauncher {

    public volatile FakeVmEngine.Scenario scenario = FakeVmEngine.Scenario.POWER_OFF;
    /** When set, launches fail with this message (as if the JVM could not start). */
    public volatile String launchFailure;
    public final Map<UUID, FakeVmEngine> engines = new ConcurrentHashMap<>();
    public final Map<UUID, Boolean> orphansTerminated = new ConcurrentHashMap<>();
    /** The last launch request per VM. */
    public final Map<UUID, EngineRequest> requests = new ConcurrentHashMap<>();

    @Override
    public LaunchedEngine launch(EngineRequest request) {
        UUID vmId = request.vmId();
        requests.put(vmId, request);
        if (launchFailure != null) {
            throw new EngineLaunchException(launchFailure);
        }
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        List<String> log = new CopyOnWriteArrayList<>();
        log.add("pvm-engine: listening on port 0");
        FakeVmEngine engine = new FakeVmEngine(scenario, exit, log);
        String name = "fake-engine-" + vmId + "-" + UUID.randomUUID();
        Server server;
        try {
            server = InProcessServerBuilder.forName(name).addService(engine).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The engine's server goes away with its process, as a real engine's would.
        exit.whenComplete((code, error) -> server.shutdownNow());
        engines.put(vmId, engine);
        return new LaunchedEngine(InProcessChannelBuilder.forName(name).build(), new EngineProcess() {
            @Override
            public OptionalLong pid() {
                return OptionalLong.empty();
            }

            @Override
            public CompletableFuture<Integer> exitCode() {
                return exit;
            }

            @Override
            public void kill() {
                log.add("(killed)");
                exit.complete(137);
            }

            @Override
            public List<String> logTail(int lines) {
                return List.copyOf(log.subList(Math.max(0, log.size() - lines), log.size()));
            }
        });
    }

    @Override
    public boolean terminateOrphan(UUID vmId, Path vmDirectory, Long recordedPid) {
        orphansTerminated.put(vmId, recordedPid != null);
        return recordedPid != null;
    }
}
