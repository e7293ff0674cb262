package dev.pvm.device.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.device.host.HostInventory;
import dev.pvm.device.host.PciAddress;
import dev.pvm.device.plugin.v1beta1.AllocateRequest;
import dev.pvm.device.plugin.v1beta1.ContainerAllocateRequest;
import dev.pvm.device.plugin.v1beta1.ContainerAllocateResponse;
import dev.pvm.device.plugin.v1beta1.ContainerPreferredAllocationRequest;
import dev.pvm.device.plugin.v1beta1.Device;
import dev.pvm.device.plugin.v1beta1.DevicePluginGrpc;
import dev.pvm.device.plugin.v1beta1.Empty;
import dev.pvm.device.plugin.v1beta1.ListAndWatchResponse;
import dev.pvm.device.plugin.v1beta1.Mount;
import dev.pvm.device.plugin.v1beta1.PreferredAllocationRequest;
import dev.pvm.device.plugin.v1beta1.RegisterRequest;
import dev.pvm.device.plugin.v1beta1.RegistrationGrpc;
import dev.pvm.device.reservation.ReservationBook;
import dev.pvm.device.reservation.ReservationSnapshotFile;
import dev.pvm.device.simulated.HostDescriptionLoader;
import dev.pvm.device.simulated.SimulatedHostLayout;
import dev.pvm.device.simulated.SimulatedHostWriter;
import dev.pvm.device.simulated.TestHosts;
import dev.pvm.device.sysfs.SysfsDiscovery;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device plugin against a fake kubelet: a Registration server on a real unix socket in a temp directory, the
 * way the kubelet serves it, and calls into the plugin's own socket as the kubelet makes them. The host is the
 * simulated AC922 with four NVLink2 GPUs.
 */
class KubeletDevicePluginTest {
  private static final String RESOURCE = "pvm.dev/nvlink2-gpu";
  private static final String ENDPOINT = "pvm-nvlink2-gpu.sock";

  @TempDir Path dir;
  private SimulatedHostLayout layout;
  private ReservationBook reservations;
  private KubeletDevicePlugin plugin;
  private DomainSocketTransport kubeletSide;
  private Server kubelet;
  private ManagedChannel toPlugin;
  private final BlockingQueue<RegisterRequest> registrations = new LinkedBlockingQueue<>();
  private Path sockets;

  @BeforeEach
  void start() throws Exception {
    Path dataDir = dir.resolve("data");
    layout = SimulatedHostLayout.derive(HostDescriptionLoader.shipped("ac922-4gpu"),
        dataDir.resolve("devices/ac922-4gpu"));
    SimulatedHostWriter.write(layout);
    HostInventory inventory = TestHosts.discoverWithVfio(layout);
    reservations = new ReservationBook(inventory, new ReservationSnapshotFile(layout.hostDirectory()));
    sockets = Files.createDirectories(dir.resolve("device-plugins"));
    kubeletSide = new DomainSocketTransport();
    kubelet = startKubelet();

    DevicePluginProperties properties = new DevicePluginProperties(true, sockets.toString(), RESOURCE, ENDPOINT,
        "/dev/vfio", null, Duration.ofMillis(50), Duration.ofMillis(100));
    SysfsDiscovery discovery = new SysfsDiscovery(layout.sysfsRoot(), layout.pageSize());
    GpuHealthCheck health = new GpuHealthCheck(() -> discovery.discover("simulated"), Optional.empty());
    GpuAllocator allocator =
        new GpuAllocator(PluginGpu.of(inventory), reservations, Optional.empty(), dataDir, dataDir);
    plugin = new KubeletDevicePlugin(properties, inventory, reservations, health, allocator);
    plugin.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (toPlugin != null) {
      toPlugin.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
    plugin.stop();
    kubelet.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    kubeletSide.close();
  }

  /** The kubelet's side of registration: it answers Register on kubelet.sock and records what arrived. */
  private Server startKubelet() {
    return kubeletSide.serve(sockets.resolve("kubelet.sock"), new RegistrationGrpc.RegistrationImplBase() {
      @Override
      public void register(RegisterRequest request, StreamObserver<dev.pvm.device.plugin.v1beta1.Empty> response) {
        registrations.add(request);
        response.onNext(dev.pvm.device.plugin.v1beta1.Empty.getDefaultInstance());
        response.onCompleted();
      }
    });
  }

  private DevicePluginGrpc.DevicePluginBlockingStub dialPlugin(String endpoint) {
    if (toPlugin != null) {
      toPlugin.shutdownNow();
    }
    // The kubelet dials path.Join(DevicePluginPath, endpoint).
    toPlugin = kubeletSide.dial(sockets.resolve(endpoint));
    return DevicePluginGrpc.newBlockingStub(toPlugin).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private List<String> gpuAddresses() {
    return layout.gpus().stream().map(g -> g.address().toString()).toList();
  }

  @Test
  void registersAndServesTheSimulatedHostsGpus() throws Exception {
    RegisterRequest registration = registrations.poll(10, TimeUnit.SECONDS);
    assertThat(registration).as("Register reached the kubelet").isNotNull();
    assertThat(registration.getVersion()).isEqualTo("v1beta1");
    assertThat(registration.getEndpoint()).isEqualTo(ENDPOINT);
    assertThat(registration.getResourceName()).isEqualTo(RESOURCE);
    assertThat(registration.getOptions().getGetPreferredAllocationAvailable()).isTrue();

    DevicePluginGrpc.DevicePluginBlockingStub stub = dialPlugin(registration.getEndpoint());
    assertThat(stub.getDevicePluginOptions(Empty.getDefaultInstance()).getGetPreferredAllocationAvailable()).isTrue();
    ListAndWatchResponse first = stub.listAndWatch(Empty.getDefaultInstance()).next();
    assertThat(first.getDevicesList()).extracting(Device::getID).containsExactlyElementsOf(gpuAddresses());
    assertThat(first.getDevicesList()).extracting(Device::getHealth).containsOnly("Healthy");
    // ac922-4gpu: two GPUs on chip 0 (NUMA node 0), two on chip 8.
    assertThat(first.getDevicesList()).extracting(d -> d.getTopology().getNodes(0).getID())
        .containsExactly(0L, 0L, 8L, 8L);

    // The gateway reserved the last two GPUs for a VM: the plugin steers the kubelet to them.
    List<String> gpus = gpuAddresses();
    List<String> vmGpus = gpus.subList(2, 4);
    reservations.reserve("vm-1", vmGpus.stream().map(a -> PciAddress.parse(a, "test")).toList());
    List<String> preferred = stub.getPreferredAllocation(PreferredAllocationRequest.newBuilder()
        .addContainerRequests(ContainerPreferredAllocationRequest.newBuilder()
            .addAllAvailableDeviceIDs(gpus).setAllocationSize(2))
        .build()).getContainerResponses(0).getDeviceIDsList();
    assertThat(preferred).containsExactlyElementsOf(vmGpus);

    ContainerAllocateResponse allocated = stub.allocate(AllocateRequest.newBuilder()
        .addContainerRequests(ContainerAllocateRequest.newBuilder().addAllDevicesIds(vmGpus))
        .build()).getContainerResponses(0);
    assertThat(allocated.getEnvsMap())
        .containsEntry("PVM_VM_ID", "vm-1")
        .containsEntry("PVM_NVLINK2_GPUS", String.join(",", vmGpus))
        .containsEntry("PVM_VFIO_GROUPS", "2,3");
    SimulatedHostLayout.Gpu third = layout.gpus().get(2);
    assertThat(allocated.getEnvsMap().get("PVM_NVLINK2_GPU_0")).isEqualTo("address=" + third.address()
        + ";iommu-group=2;numa-node=8;tgt=0x" + Long.toHexString(third.tgt()) + ";ram-size=17179869184;bridges="
        + String.join(",", third.bridges().stream().map(PciAddress::toString).toList()));
    // A simulated host has no VFIO device nodes; its GPU RAM and ATSD pages are files the engine maps.
    assertThat(allocated.getDevicesList()).isEmpty();
    assertThat(allocated.getMountsList()).containsExactly(Mount.newBuilder()
        .setContainerPath(layout.backing().toString()).setHostPath(layout.backing().toString()).build());

    // GPUs no VM reserved are not handed out.
    assertThatThrownBy(() -> stub.allocate(AllocateRequest.newBuilder()
        .addContainerRequests(ContainerAllocateRequest.newBuilder().addDevicesIds(gpus.getFirst())).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).contains(gpus.getFirst(), "reserved by no VM");
        });
  }

  @Test
  void streamsAGpuThatLeavesVfioAsUnhealthy() throws Exception {
    RegisterRequest registration = registrations.poll(10, TimeUnit.SECONDS);
    assertThat(registration).isNotNull();
    Iterator<ListAndWatchResponse> watch = dialPlugin(registration.getEndpoint())
        .listAndWatch(Empty.getDefaultInstance());
    assertThat(watch.next().getDevicesList()).extracting(Device::getHealth).containsOnly("Healthy");

    // The host rebinds the first GPU to the nvidia driver: sysfs's driver link now names it.
    String first = gpuAddresses().getFirst();
    Path driver = layout.sysfsRoot().resolve("sys/bus/pci/devices").resolve(first).toRealPath().resolve("driver");
    Files.delete(driver);
    Files.createSymbolicLink(driver, Files.createDirectories(layout.sysfsRoot().resolve("sys/bus/pci/drivers/nvidia")));

    ListAndWatchResponse update = watch.next();
    assertThat(update.getDevicesList()).filteredOn(d -> d.getID().equals(first))
        .extracting(Device::getHealth).containsExactly("Unhealthy");
    assertThat(update.getDevicesList()).filteredOn(d -> !d.getID().equals(first))
        .extracting(Device::getHealth).containsOnly("Healthy");
  }

  @Test
  void registersAgainWhenTheKubeletRestarts() throws Exception {
    assertThat(registrations.poll(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(registrations.poll(300, TimeUnit.MILLISECONDS)).as("one registration per kubelet").isNull();

    // A kubelet restart: its socket goes, it removes every plugin socket in the directory, and listens anew.
    kubelet.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    Files.deleteIfExists(sockets.resolve("kubelet.sock"));
    Files.deleteIfExists(sockets.resolve(ENDPOINT));
    kubelet = startKubelet();

    RegisterRequest again = registrations.poll(10, TimeUnit.SECONDS);
    assertThat(again).as("registered with the restarted kubelet").isNotNull();
    assertThat(again.getResourceName()).isEqualTo(RESOURCE);
    assertThat(sockets.resolve(ENDPOINT)).as("the plugin serves on its socket again").exists();
    assertThat(dialPlugin(again.getEndpoint()).listAndWatch(Empty.getDefaultInstance()).next().getDevicesCount())
        .isEqualTo(4);
    assertThat(plugin.registered()).isTrue();
  }
}
