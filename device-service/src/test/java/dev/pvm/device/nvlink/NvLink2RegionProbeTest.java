package dev.pvm.device.nvlink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.device.host.HostDevice;
import dev.pvm.device.host.HostInventory;
import dev.pvm.device.host.PciAddress;
import dev.pvm.device.simulated.SimulatedHostLayout;
import dev.pvm.device.simulated.SimulatedHostVfio;
import dev.pvm.device.simulated.TestHosts;
import dev.pvm.vfio.VfioGroup;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe and running VMs: a group an engine holds is never opened by device-service (reserved) or is found
 * busy (held by another process); either way its devices keep the last VFIO answers and stay in the inventory.
 */
class NvLink2RegionProbeTest {
  private static final PciAddress GPU0 = PciAddress.parse("0004:04:00.0", "test");
  private static final PciAddress BRIDGE0 = PciAddress.parse("0007:00:00.0", "test");

  @TempDir Path dir;
  private SimulatedHostLayout layout;
  private HostInventory discovered;
  private NvLink2AnswerFile answers;

  @BeforeEach
  void host() {
    layout = TestHosts.write("ac922-4gpu", dir);
    discovered = TestHosts.discover(layout);
    answers = new NvLink2AnswerFile(dir.resolve("state"));
  }

  private HostInventory probe(Set<PciAddress> reserved) {
    return new NvLink2RegionProbe(SimulatedHostVfio.kernel(layout), Optional.of(answers))
        .probe(discovered, reserved);
  }

  private static String backing(HostInventory inventory, PciAddress address) {
    return inventory.find(address).flatMap(HostDevice::nvlink2).orElseThrow().backingPath();
  }

  @Test
  void aGroupAnEngineHoldsKeepsTheLastAnswers() {
    HostInventory first = probe(Set.of());
    assertThat(backing(first, GPU0)).endsWith("0004:04:00.0.gpu-ram");
    assertThat(answers.load()).containsKey(GPU0).containsKey(BRIDGE0);

    // Mark the kept answer, so that a re-read through VFIO would show.
    var saved = new java.util.TreeMap<>(answers.load());
    NvLink2AnswerFile.Answer gpu = saved.get(GPU0);
    saved.put(GPU0, new NvLink2AnswerFile.Answer(gpu.regionSize(), gpu.tgt(), gpu.linkSpeed(), "/kept/answer",
        gpu.backingOffset()));
    answers.save(saved);

    // An engine (another process simulating the same host) holds group 0 for a running VM.
    var engine = SimulatedHostVfio.kernel(layout);
    try (VfioGroup held = VfioGroup.open(engine, first.find(GPU0).orElseThrow().iommuGroup())) {
      HostInventory busy = probe(Set.of());
      assertThat(busy.devices()).hasSameSizeAs(first.devices());
      assertThat(backing(busy, GPU0)).isEqualTo("/kept/answer");
      assertThat(busy.find(BRIDGE0)).isEqualTo(first.find(BRIDGE0));
      assertThat(busy.find(GPU0).orElseThrow().kind()).isEqualTo(first.find(GPU0).orElseThrow().kind());
    }
    // Reserved: not opened at all even though it is free now, the last answers kept.
    HostInventory reserved = probe(Set.of(GPU0));
    assertThat(backing(reserved, GPU0)).isEqualTo("/kept/answer");
    // Free and unreserved: probed again.
    assertThat(backing(probe(Set.of()), GPU0)).endsWith("0004:04:00.0.gpu-ram");
  }

  @Test
  void withoutAnEarlierAnswerABusyGroupKeepsTheDeviceTreeDetailsAndTheDevice() {
    var engine = SimulatedHostVfio.kernel(layout);
    int group = discovered.find(GPU0).orElseThrow().iommuGroup();
    try (VfioGroup held = VfioGroup.open(engine, group)) {
      HostInventory busy = probe(Set.of());
      assertThat(busy.devices()).hasSameSizeAs(discovered.devices());
      assertThat(busy.find(GPU0)).isEqualTo(discovered.find(GPU0));
      // The other groups were probed and answered.
      assertThat(backing(busy, PciAddress.parse("0005:04:00.0", "test"))).endsWith("0005:04:00.0.gpu-ram");
    }
  }
}
