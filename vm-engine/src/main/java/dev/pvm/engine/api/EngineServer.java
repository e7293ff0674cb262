package dev.pvm.engine.api;

import dev.pvm.proto.engine.v1.VmEngineGrpc;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The engine's gRPC server: the VmEngine service, gRPC health and reflection, on one TCP port. */
public final class EngineServer {

    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();

    /**
     * @param bindAddress host or address to listen on
     * @param port        TCP port, 0 for any free one
     */
    public EngineServer(VmEngineService service, String bindAddress, int port) {
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(bindAddress, port))
                .addService(service)
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .build();
    }

    /** Starts listening and reports SERVING. */
    public EngineServer start() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the engine's gRPC server: " + e.getMessage(), e);
        }
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(VmEngineGrpc.SERVICE_NAME, ServingStatus.SERVING);
        return this;
    }

    /** The bound port. */
    public int port() {
        return server.getPort();
    }

    /** Reports NOT_SERVING, lets calls in flight finish for up to {@code grace}, then stops. */
    public void stop(Duration grace) {
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
    }
}
