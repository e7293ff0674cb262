package dev.pvm.device.plugin;

import dev.pvm.device.host.HostInventory;
import dev.pvm.device.plugin.v1beta1.Device;
import dev.pvm.device.plugin.v1beta1.NUMANode;
import dev.pvm.device.plugin.v1beta1.RegisterRequest;
import dev.pvm.device.plugin.v1beta1.RegistrationGrpc;
import dev.pvm.device.plugin.v1beta1.TopologyInfo;
import dev.pvm.device.reservation.ReservationBook;
import dev.pvm.device.reservation.ReservationListener;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * device-service as a kubelet device plugin for its host's NVLink2 GPUs (Kubernetes device-plugin API v1beta1):
 * serves the DevicePlugin service on {@code <socket directory>/<endpoint>}, registers it with the kubelet on
 * {@code kubelet.sock} in the same directory, and keeps the kubelet's device list current.
 *
 * <p>A kubelet that restarts removes every plugin socket in its directory and recreates its own socket; plugins
 * are expected to notice and register again (Kubernetes docs, "Device plugins": "a device plugin ... is expected to
 * detect kubelet restarts and re-register itself"). The plugin checks every {@code watch-interval}: its own
 * socket gone -> serve again; kubelet.sock a different file than the one registered with -> register again.
 * GPU health is re-read from sysfs every {@code health-interval} and streamed when it changes.
 */
public final class KubeletDevicePlugin implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(KubeletDevicePlugin.class);
  static final String API_VERSION = "v1beta1";
  static final String HEALTHY = "Healthy";
  static final String UNHEALTHY = "Unhealthy";

  private final DevicePluginProperties properties;
  private final List<PluginGpu> gpus;
  private final GpuHealthCheck health;
  private final GpuAllocator allocator;
  private final ReservationBook reservations;
  private final ReservationListener reservationListener;
  private final DevicePluginService service;
  private DomainSocketTransport transport;
  private ScheduledExecutorService scheduler;
  private Server server;
  /** The kubelet socket (its file key: device and inode) the plugin last registered with; null when none. */
  private Object registeredWith;
  private boolean registrationFailureLogged;
  private volatile boolean running;

  public KubeletDevicePlugin(DevicePluginProperties properties, HostInventory inventory, ReservationBook reservations,
      GpuHealthCheck health, GpuAllocator allocator) {
    this.properties = properties;
    this.gpus = PluginGpu.of(inventory);
    this.health = health;
    this.allocator = allocator;
    this.reservations = reservations;
    this.reservationListener = allocator::reservationChanged;
    this.service = new DevicePluginService(allocator, devices(health.problems(gpus)));
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    try {
      Files.createDirectories(properties.socketDirectoryPath());
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the device-plugin directory "
          + properties.socketDirectoryPath() + ": " + e.getMessage(), e);
    }
    transport = new DomainSocketTransport();
    reservations.addListener(reservationListener);
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "device-plugin");
      t.setDaemon(true);
      return t;
    });
    running = true;
    log.info("device plugin for {}: {} NVLink2 GPU(s) {}, socket {}, kubelet {}", properties.resourceName(),
        gpus.size(), gpus.stream().map(PluginGpu::id).toList(), properties.pluginSocket(),
        properties.kubeletSocket());
    scheduler.scheduleWithFixedDelay(this::watchKubelet, 0, properties.watchInterval().toMillis(),
        TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::checkHealth, properties.healthInterval().toMillis(),
        properties.healthInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reservations.removeListener(reservationListener);
    stopServer();
    deleteQuietly(properties.pluginSocket());
    transport.close();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** The device list the kubelet was (or will be) sent last. */
  List<Device> advertised() {
    return service.current().getDevicesList();
  }

  /** Whether the plugin is registered with the kubelet socket that is there now. */
  synchronized boolean registered() {
    return registeredWith != null && registeredWith.equals(fileKey(properties.kubeletSocket()));
  }

  private synchronized void watchKubelet() {
    if (!running) {
      return;
    }
    try {
      boolean ownSocketGone = server == null || !Files.exists(properties.pluginSocket());
      if (ownSocketGone) {
        if (server != null) {
          log.info("the plugin socket {} was removed (kubelet restart?): serving again", properties.pluginSocket());
        }
        serve();
      }
      Object kubelet = fileKey(properties.kubeletSocket());
      if (kubelet == null) {
        registeredWith = null;
        return;
      }
      if (ownSocketGone || !kubelet.equals(registeredWith)) {
        register(kubelet);
      }
    } catch (RuntimeException e) {
      log.warn("device plugin: {}", e.getMessage(), e);
    }
  }

  private void serve() {
    stopServer();
    deleteQuietly(properties.pluginSocket());
    server = transport.serve(properties.pluginSocket(), service);
  }

  private void stopServer() {
    service.closeWatchers();
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
    }
  }

  private void register(Object kubelet) {
    ManagedChannel channel = transport.dial(properties.kubeletSocket());
    try {
      RegistrationGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .register(RegisterRequest.newBuilder()
              .setVersion(API_VERSION)
              .setEndpoint(properties.endpoint())
              .setResourceName(properties.resourceName())
              .setOptions(DevicePluginService.options())
              .build());
      registeredWith = kubelet;
      registrationFailureLogged = false;
      log.info("registered {} with the kubelet ({})", properties.resourceName(), properties.kubeletSocket());
    } catch (StatusRuntimeException e) {
      registeredWith = null;
      if (!registrationFailureLogged) {
        log.warn("registration with the kubelet at {} failed, retrying every {}: {}", properties.kubeletSocket(),
            properties.watchInterval(), e.getStatus());
        registrationFailureLogged = true;
      }
    } finally {
      channel.shutdownNow();
    }
  }

  private void checkHealth() {
    if (!running) {
      return;
    }
    try {
      Map<String, String> problems = health.problems(gpus);
      List<Device> now = devices(problems);
      if (!now.equals(advertised())) {
        problems.forEach((id, why) -> log.warn("GPU {} is unhealthy: {}", id, why));
        log.info("device list changed: {}", now.stream().map(d -> d.getID() + "=" + d.getHealth()).toList());
      }
      service.publish(now);
    } catch (RuntimeException e) {
      log.warn("GPU health check failed: {}", e.getMessage(), e);
    }
  }

  private List<Device> devices(Map<String, String> problems) {
    return gpus.stream().map(g -> {
      Device.Builder d = Device.newBuilder().setID(g.id()).setHealth(problems.containsKey(g.id()) ? UNHEALTHY : HEALTHY);
      if (g.gpu().numaNode() >= 0) {
        // Topology lets the kubelet's topology manager keep the engine's CPUs on the GPU's NUMA node.
        d.setTopology(TopologyInfo.newBuilder().addNodes(NUMANode.newBuilder().setID(g.gpu().numaNode())));
      }
      return d.build();
    }).toList();
  }

  private static Object fileKey(Path path) {
    try {
      return Objects.requireNonNullElse(
          Files.readAttributes(path, BasicFileAttributes.class).fileKey(), path.toString());
    } catch (IOException e) {
      return null;
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      log.warn("cannot remove {}: {}", path, e.getMessage());
    }
  }
}
