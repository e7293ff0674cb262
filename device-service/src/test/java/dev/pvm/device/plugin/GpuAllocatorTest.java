package dev.pvm.device.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.device.host.HostInventory;
import dev.pvm.device.host.PciAddress;
import dev.pvm.device.plugin.v1beta1.ContainerAllocateResponse;
import dev.pvm.device.plugin.v1beta1.DeviceSpec;
import dev.pvm.device.reservation.ReservationBook;
import dev.pvm.device.reservation.ReservationSnapshotFile;
import dev.pvm.device.simulated.SimulatedHostLayout;
import dev.pvm.device.simulated.TestHosts;
import dev.pvm.device.sysfs.SysfsDiscovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What containers get on a VFIO host, and the allocations the plugin refuses (simulated AC922, 4 GPUs). */
class GpuAllocatorTest {
  @TempDir Path dir;
  private SimulatedHostLayout layout;
  private HostInventory inventory;
  private ReservationBook reservations;
  private List<String> gpus;

  @BeforeEach
  void host() {
    layout = TestHosts.write("ac922-4gpu", dir.resolve("data"));
    inventory = TestHosts.discoverWithVfio(layout);
    reservations = new ReservationBook(inventory, new ReservationSnapshotFile(layout.hostDirectory()));
    gpus = layout.gpus().stream().map(g -> g.address().toString()).toList();
  }

  private void reserve(String vm, String... addresses) {
    reservations.reserve(vm, List.of(addresses).stream().map(a -> PciAddress.parse(a, "test")).toList());
  }

  @Test
  void aVfioHostHandsOutTheContainerAndGroupDeviceNodes() {
    Path vfio = dir.resolve("host-dev-vfio");
    // The backing files live outside this data directory (on a VFIO host they are the group nodes): no mounts.
    GpuAllocator allocator = new GpuAllocator(PluginGpu.of(inventory), reservations, Optional.of(vfio),
        dir.resolve("elsewhere"), dir.resolve("elsewhere"));
    reserve("vm-a", gpus.get(1), gpus.get(3));

    ContainerAllocateResponse response = allocator.allocate(List.of(gpus.get(3), gpus.get(1)));

    assertThat(response.getDevicesList()).containsExactly(
        spec("/dev/vfio/vfio", vfio.resolve("vfio")),
        spec("/dev/vfio/3", vfio.resolve("3")),
        spec("/dev/vfio/1", vfio.resolve("1")));
    assertThat(response.getMountsList()).isEmpty();
    assertThat(response.getEnvsMap()).containsEntry("PVM_VFIO_GROUPS", "3,1").containsEntry("PVM_VM_ID", "vm-a");
  }

  @Test
  void mountsNameTheHostPathOfTheDataDirectory() {
    Path hostData = Path.of("/var/lib/pvm/device");
    GpuAllocator allocator = new GpuAllocator(PluginGpu.of(inventory), reservations, Optional.empty(),
        dir.resolve("data"), hostData);
    reserve("vm-a", gpus.getFirst());

    ContainerAllocateResponse response = allocator.allocate(List.of(gpus.getFirst()));

    assertThat(response.getMountsList()).singleElement().satisfies(m -> {
      assertThat(m.getContainerPath()).isEqualTo(layout.backing().toString());
      assertThat(m.getHostPath()).isEqualTo("/var/lib/pvm/device/ac922-4gpu/backing");
      assertThat(m.getReadOnly()).isFalse();
    });
  }

  @Test
  void refusesGpusOfTwoVmsOrPartOfAVmsGpus() {
    GpuAllocator allocator = new GpuAllocator(PluginGpu.of(inventory), reservations, Optional.empty(),
        dir.resolve("data"), dir.resolve("data"));
    reserve("vm-a", gpus.get(0), gpus.get(1));
    reserve("vm-b", gpus.get(2));

    assertThatThrownBy(() -> allocator.allocate(List.of(gpus.get(1), gpus.get(2))))
        .isInstanceOf(AllocationRefusedException.class).hasMessageContaining("reserved by different VMs");
    assertThatThrownBy(() -> allocator.allocate(List.of(gpus.get(0))))
        .isInstanceOf(AllocationRefusedException.class)
        .hasMessageContaining("VM vm-a reserved GPUs [" + gpus.get(0) + ", " + gpus.get(1) + "]");
    assertThatThrownBy(() -> allocator.allocate(List.of("0000:01:00.0")))
        .isInstanceOf(AllocationRefusedException.class).hasMessageContaining("unknown device ID '0000:01:00.0'");
  }

  @Test
  void prefersAPendingReservationOfTheRequestedSizeAndForgetsItOnRelease() {
    GpuAllocator allocator = new GpuAllocator(PluginGpu.of(inventory), reservations, Optional.empty(),
        dir.resolve("data"), dir.resolve("data"));
    reserve("vm-a", gpus.get(0));
    reserve("vm-b", gpus.get(2));
    assertThat(allocator.preferred(gpus, List.of(), 1)).containsExactly(gpus.get(0));

    allocator.allocate(List.of(gpus.get(0)));
    // vm-a's GPU is handed out: the next single-GPU container is vm-b's.
    assertThat(allocator.preferred(gpus, List.of(), 1)).containsExactly(gpus.get(2));

    // Without a fitting reservation: the must-include GPU, topped up on its NUMA node.
    assertThat(allocator.preferred(gpus, List.of(gpus.get(3)), 2)).containsExactly(gpus.get(3), gpus.get(2));
  }

  @Test
  void aMissingVfioGroupNodeMakesItsGpuUnhealthy() throws Exception {
    Path vfio = Files.createDirectories(dir.resolve("dev-vfio"));
    for (String group : List.of("vfio", "0", "1", "3")) {
      Files.createFile(vfio.resolve(group));
    }
    SysfsDiscovery discovery = new SysfsDiscovery(layout.sysfsRoot(), layout.pageSize());
    GpuHealthCheck health = new GpuHealthCheck(() -> discovery.discover("test"), Optional.of(vfio));

    assertThat(health.problems(PluginGpu.of(inventory)))
        .containsOnlyKeys(gpus.get(2))
        .containsValue("VFIO group device " + vfio.resolve("2") + " is missing");
  }

  private static DeviceSpec spec(String container, Path host) {
    return DeviceSpec.newBuilder().setContainerPath(container).setHostPath(host.toString()).setPermissions("rw")
        .build();
  }
}
