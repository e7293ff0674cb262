package dev.pvm.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole platform as separate local processes: placement-service, device-service and api-gateway
 * (which starts one vm-engine process per started VM), on free ports, with data under one work directory.
 */
final class Platform implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(120);

  final Path root = Path.of(System.getProperty("pvm.root", "..")).toAbsolutePath().normalize();
  final String version = System.getProperty("pvm.version", "0.1.0-SNAPSHOT");
  final Path work;
  final int placementGrpcPort;
  final int deviceGrpcPort;
  final int gatewayPort;
  private final Map<String, String> env = new HashMap<>();
  private ServiceProcess placement;
  private ServiceProcess device;
  private ServiceProcess gateway;

  Platform(String name) throws IOException {
    work = Path.of(System.getProperty("pvm.e2e.work", "target/e2e-work")).toAbsolutePath().resolve(name);
    deleteRecursively(work);
    Files.createDirectories(work);
    placementGrpcPort = freePort();
    deviceGrpcPort = freePort();
    gatewayPort = freePort();
    env.put("PVM_BIND_ADDRESS", "127.0.0.1");
    env.put("PVM_DATA_DIR", work.resolve("data").toString());
    env.put("PVM_LOG_DIR", work.resolve("logs").toString());
    env.put("PVM_PLACEMENT_GRPC_PORT", Integer.toString(placementGrpcPort));
    env.put("PVM_PLACEMENT_HTTP_PORT", Integer.toString(freePort()));
    env.put("PVM_DEVICE_GRPC_PORT", Integer.toString(deviceGrpcPort));
    env.put("PVM_DEVICE_HTTP_PORT", Integer.toString(freePort()));
    env.put("PVM_GATEWAY_HTTP_PORT", Integer.toString(gatewayPort));
    env.put("PVM_PLACEMENT_ADDRESS", "static://127.0.0.1:" + placementGrpcPort);
    env.put("PVM_DEVICE_ADDRESS", "static://127.0.0.1:" + deviceGrpcPort);
    env.put("PVM_ENGINE_JAR", root.resolve("vm-engine/target/pvm-vm-engine-" + version + ".jar").toString());
  }

  Platform start() throws IOException, InterruptedException {
    placement = ServiceProcess.start("placement-service", jar("placement-service"), env, logs());
    device = ServiceProcess.start("device-service", jar("device-service"), env, logs());
    placement.awaitHealthy(actuator("PVM_PLACEMENT_HTTP_PORT"), STARTUP);
    device.awaitHealthy(actuator("PVM_DEVICE_HTTP_PORT"), STARTUP);
    startGateway();
    return this;
  }

  void startGateway() throws IOException, InterruptedException {
    gateway = ServiceProcess.start("api-gateway", jar("api-gateway"), env, logs());
    gateway.awaitHealthy(actuator("PVM_GATEWAY_HTTP_PORT"), STARTUP);
  }

  /** Stops the gateway the way an operator would (SIGTERM) and starts it again on the same data. */
  void restartGateway() throws IOException, InterruptedException {
    gateway.stop();
    startGateway();
  }

  URI gatewayUri(String path) {
    return URI.create("http://127.0.0.1:" + gatewayPort + path);
  }

  /** The engine jar the gateway launches (its CLI also has attach and boot). */
  Path engineJar() {
    return Path.of(env.get("PVM_ENGINE_JAR"));
  }

  String gatewayLog() {
    return gateway == null ? "" : gateway.logTail();
  }

  private URI actuator(String portVariable) {
    return URI.create("http://127.0.0.1:" + env.get(portVariable) + "/actuator/health/readiness");
  }

  private Path jar(String module) {
    return root.resolve(module + "/target/pvm-" + module + "-" + version + "-exec.jar");
  }

  private Path logs() {
    return work.resolve("logs");
  }

  @Override
  public void close() throws InterruptedException {
    // Gateway first: it stops the engines it started.
    for (ServiceProcess process : new ServiceProcess[] {gateway, device, placement}) {
      if (process != null) {
        process.close();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var paths = Files.walk(path)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
