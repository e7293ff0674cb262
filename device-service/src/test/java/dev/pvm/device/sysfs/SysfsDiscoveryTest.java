package dev.pvm.device.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.device.host.DeviceKind;
import dev.pvm.device.host.HostDevice;
import dev.pvm.device.host.HostInventory;
import dev.pvm.device.host.NvLink2Details;
import dev.pvm.device.host.PciAddress;
import dev.pvm.device.simulated.SimulatedHostLayout;
import dev.pvm.device.simulated.TestHosts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery reads simulated sysfs + device-tree trees written to disk, with the same code as a real host. */
class SysfsDiscoveryTest {
  private static final long GIB = 1L << 30;

  @TempDir Path dir;

  @Test
  void ac922With4GpusHasGpusBridgesGroupsAndTgts() {
    HostInventory inventory = TestHosts.discover(TestHosts.write("ac922-4gpu", dir));

    assertThat(inventory.source()).isEqualTo("simulated:ac922-4gpu");
    assertThat(count(inventory, DeviceKind.NVLINK2_GPU)).isEqualTo(4);
    assertThat(count(inventory, DeviceKind.NVLINK2_BRIDGE)).isEqualTo(12);
    assertThat(count(inventory, DeviceKind.PCI_BRIDGE)).isEqualTo(4);
    assertThat(count(inventory, DeviceKind.OTHER)).isEqualTo(4); // NIC x2, SATA, and the ASPEED VGA (not NVIDIA)
    assertThat(inventory.devices()).hasSize(24);

    HostDevice gpu = device(inventory, "0004:04:00.0");
    assertThat(gpu.vendorId()).isEqualTo(0x10de);
    assertThat(gpu.deviceId()).isEqualTo(0x1db1);
    assertThat(gpu.classCode()).isEqualTo(0x030200);
    assertThat(gpu.revision()).isEqualTo(0xa1);
    assertThat(gpu.headerType()).isZero();
    assertThat(gpu.multifunction()).isFalse();
    assertThat(gpu.driver()).isEqualTo("vfio-pci");
    assertThat(gpu.numaNode()).isZero();
    // skiboot's formula on 0x240000000000: bit 42 stays, bit 45 -> 43.
    assertThat(gpu.nvlink2().orElseThrow().tgt()).isEqualTo(0xc0000000000L);
    assertThat(gpu.nvlink2().orElseThrow().gpuRamSize()).isEqualTo(16 * GIB);

    // The GPU and its three links share one IOMMU group.
    assertThat(inventory.groupOf(gpu.address())).extracting(PciAddress::toString)
        .containsExactly("0004:04:00.0", "0007:00:00.0", "0007:00:00.1", "0007:00:00.2");

    HostDevice bridge = device(inventory, "0007:00:00.1");
    assertThat(bridge.vendorId()).isEqualTo(0x1014);
    assertThat(bridge.deviceId()).isEqualTo(0x04ea);
    assertThat(bridge.classCode()).isEqualTo(0x068000);
    assertThat(bridge.revision()).isEqualTo(1);
    assertThat(bridge.headerType()).isZero();
    assertThat(bridge.multifunction()).isTrue();
    NvLink2Details link = bridge.nvlink2().orElseThrow();
    assertThat(link.tgt()).isEqualTo(0xc0000000000L);
    assertThat(link.linkSpeed()).isEqualTo(9);
    assertThat(link.linkIndex()).isEqualTo(1);
    assertThat(link.atsdSize()).isEqualTo(0x10000);
    assertThat(link.gpuRamSize()).isZero();

    // Second GPU of chip 0 uses links 3..5; chip 8's GPUs carry bit 49 of their base in tgt bit 45.
    assertThat(device(inventory, "0007:00:01.2").nvlink2().orElseThrow().linkIndex()).isEqualTo(5);
    assertThat(device(inventory, "0005:04:00.0").nvlink2().orElseThrow().tgt()).isEqualTo(0xc2000000000L);
    assertThat(device(inventory, "0035:03:00.0").nvlink2().orElseThrow().tgt()).isEqualTo(0x2c0000000000L);
    assertThat(device(inventory, "0008:00:00.0").nvlink2().orElseThrow().tgt()).isEqualTo(0x2c0000000000L);
    assertThat(device(inventory, "0035:03:00.0").numaNode()).isEqualTo(8);

    HostDevice rootPort = device(inventory, "0004:00:00.0");
    assertThat(rootPort.kind()).isEqualTo(DeviceKind.PCI_BRIDGE);
    assertThat(rootPort.headerType()).isEqualTo(1);
    assertThat(rootPort.iommuGroup()).isEqualTo(-1);
    assertThat(rootPort.nvlink2()).isEmpty();

    // The two NIC functions share a group; the NIC is multifunction.
    HostDevice nic = device(inventory, "0000:01:00.1");
    assertThat(nic.multifunction()).isTrue();
    assertThat(inventory.groupOf(nic.address())).extracting(PciAddress::toString)
        .containsExactly("0000:01:00.0", "0000:01:00.1");
    assertThat(device(inventory, "0031:02:00.0").kind()).isEqualTo(DeviceKind.OTHER);
  }

  @Test
  void ac922With6GpusHasTwoLinksPerGpu() {
    HostInventory inventory = TestHosts.discover(TestHosts.write("ac922-6gpu", dir));
    assertThat(count(inventory, DeviceKind.NVLINK2_GPU)).isEqualTo(6);
    assertThat(count(inventory, DeviceKind.NVLINK2_BRIDGE)).isEqualTo(12);
    Map<Long, List<HostDevice>> byTgt = inventory.devices().stream()
        .filter(d -> d.kind() == DeviceKind.NVLINK2_BRIDGE)
        .collect(Collectors.groupingBy(d -> d.nvlink2().orElseThrow().tgt()));
    assertThat(byTgt).hasSize(6).allSatisfy((tgt, links) -> assertThat(links).hasSize(2));
    HostDevice gpu = device(inventory, "0006:04:00.0");
    assertThat(inventory.groupOf(gpu.address())).extracting(PciAddress::toString)
        .containsExactly("0006:04:00.0", "0007:00:02.0", "0007:00:02.1");
    assertThat(device(inventory, "0007:00:02.1").nvlink2().orElseThrow().linkIndex()).isEqualTo(5);
  }

  @Test
  void the32GibVariantReportsItsRamSize() {
    HostInventory inventory = TestHosts.discover(TestHosts.write("ac922-4gpu-32g", dir));
    assertThat(inventory.devices()).filteredOn(d -> d.kind() == DeviceKind.NVLINK2_GPU)
        .hasSize(4)
        .allSatisfy(d -> {
          assertThat(d.deviceId()).isEqualTo(0x1db5);
          assertThat(d.nvlink2().orElseThrow().gpuRamSize()).isEqualTo(32 * GIB);
        });
  }

  @Test
  void aLinkBeyondTheNpusAtsdRegistersHasNoAtsd() {
    HostInventory inventory = TestHosts.discover(TestHosts.write("small-1gpu", dir));
    assertThat(inventory.devices()).hasSize(5);
    assertThat(device(inventory, "0007:00:00.0").nvlink2().orElseThrow().atsdSize()).isEqualTo(0x10000);
    assertThat(device(inventory, "0007:00:00.1").nvlink2().orElseThrow().atsdSize()).isZero();
    assertThat(device(inventory, "0004:04:00.0").nvlink2().orElseThrow().gpuRamSize()).isEqualTo(GIB);
  }

  @Test
  void vfioProbeAddsTheBackingFilesAndAgreesWithTheDeviceTree() {
    SimulatedHostLayout layout = TestHosts.write("small-1gpu", dir);
    HostInventory fromTree = TestHosts.discover(layout);
    HostInventory probed = TestHosts.discoverWithVfio(layout);

    NvLink2Details gpu = device(probed, "0004:04:00.0").nvlink2().orElseThrow();
    assertThat(gpu.backingPath()).isEqualTo(layout.backing().resolve("0004:04:00.0.gpu-ram").toString());
    assertThat(gpu.backingOffset()).isZero();
    NvLink2Details atsd = device(probed, "0007:00:00.0").nvlink2().orElseThrow();
    assertThat(atsd.backingPath()).isEqualTo(layout.backing().resolve("0007:00:00.0.atsd").toString());
    assertThat(device(probed, "0007:00:00.1").nvlink2().orElseThrow().backingPath()).isEmpty();

    // Apart from where to map, VFIO's answers equal what the device tree said.
    for (HostDevice d : fromTree.devices()) {
      HostDevice p = device(probed, d.address().toString());
      assertThat(p.kind()).isEqualTo(d.kind());
      assertThat(p.nvlink2().map(n -> n.withRegion(0, true, "", 0)))
          .isEqualTo(d.nvlink2().map(n -> n.withRegion(0, true, "", 0)));
      assertThat(p.nvlink2().map(NvLink2Details::atsdSize)).isEqualTo(d.nvlink2().map(NvLink2Details::atsdSize));
    }
  }

  @Test
  void aRootWithoutSysfsListsNothing() {
    assertThat(new SysfsDiscovery(dir, 65536).discover("sysfs").devices()).isEmpty();
  }

  private static long count(HostInventory inventory, DeviceKind kind) {
    return inventory.devices().stream().filter(d -> d.kind() == kind).count();
  }

  private static HostDevice device(HostInventory inventory, String address) {
    Map<String, HostDevice> byName = inventory.devices().stream()
        .collect(Collectors.toMap(d -> d.address().toString(), Function.identity()));
    assertThat(byName).containsKey(address);
    return byName.get(address);
  }
}
