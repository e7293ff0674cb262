package dev.pvm.placement.layout;

import static dev.pvm.placement.layout.TestDevices.at;
import static dev.pvm.placement.layout.TestDevices.bridge;
import static dev.pvm.placement.layout.TestDevices.gpu;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.placement.alloc.Window;
import dev.pvm.placement.machine.MachineTypeCatalog;
import dev.pvm.placement.pci.HostDevice;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec section 13: vPHB 1 with bridges at devfn 0-3 and GPUs at 0x08 and 0x10, no user NUMA nodes. */
class SpecWorkedExampleTest {

  static final long T0 = 0x0000_0400_0000_0000L;
  static final long T1 = 0x0000_0420_0000_0000L;

  private final LayoutCalculator calculator = new LayoutCalculator(MachineTypeCatalog.standard());

  static List<HostDevice> section13Devices() {
    return List.of(
        at(bridge("0007:00:00.0", T0, 7), 0x00),
        at(bridge("0007:00:00.1", T0, 7), 0x01),
        at(bridge("0007:00:01.0", T1, 7), 0x02),
        at(bridge("0007:00:01.1", T1, 7), 0x03),
        at(gpu("0004:04:00.0", T0, 7), 0x08),
        at(gpu("0004:05:00.0", T1, 7), 0x10));
  }

  private GuestLayout layout(String machine) {
    return calculator.compute(TestDevices.onePhb(machine, 1, section13Devices()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"pseries-4.1", "pseries-4.2", "pseries-5.0"})
  void reproducesTheGuestVisibleResultsOnPseries41To50(String machine) {
    GuestLayout layout = layout(machine);
    PhbLayout phb = layout.phb(1);
    assertThat(phb.windows().buid()).isEqualTo(0x800000020000001L);
    assertThat(phb.mmioAtsdAdvertised()).isTrue();
    assertThat(phb.mmioAtsd()).containsExactly(0x800000120000L, 0x800000130000L, 0x800000140000L, 0x800000150000L);
    assertThat(phb.warnings()).isEmpty();

    GpuSlotLayout slot0 = phb.gpuSlots().get(0);
    assertThat(slot0.slot()).isZero();
    assertThat(slot0.tgt()).isEqualTo(T0);
    assertThat(slot0.gpuDevfn()).isEqualTo(0x08);
    assertThat(slot0.gpuPhandle()).isEqualTo(0x12010008);
    assertThat(slot0.npuPhandles()).containsExactly(0x12010000, 0x12010001);
    assertThat(slot0.ram()).isEqualTo(new Window(0x420000000000L, 0x2000000000L));
    assertThat(slot0.numaId()).isEqualTo(1);
    assertThat(slot0.associativity()).containsExactly(4, 1, 1, 1, 1);
    assertThat(slot0.ramPhandle()).isEqualTo(0x110100FF);

    GpuSlotLayout slot1 = phb.gpuSlots().get(1);
    assertThat(slot1.gpuPhandle()).isEqualTo(0x12010010);
    assertThat(slot1.npuPhandles()).containsExactly(0x12010002, 0x12010003);
    assertThat(slot1.ram()).isEqualTo(new Window(0x422000000000L, 0x2000000000L));
    assertThat(slot1.numaId()).isEqualTo(2);
    assertThat(slot1.associativity()).containsExactly(4, 1, 1, 1, 2);
    assertThat(slot1.ramPhandle()).isEqualTo(0x110101FF);

    // Bridges: phandle, ibm,gpu, ibm,nvlink, memory-region, tgt, speed; link@N index and phandle.
    assertThat(slot0.links())
        .extracting(NvLinkLayout::bridgePhandle, NvLinkLayout::linkPhandle, NvLinkLayout::npuLinkIndex,
            l -> l.atsd().base(), NvLinkLayout::linkSpeed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0x12010000, 0x00130100, 0, 0x800000120000L, TestDevices.LINK_SPEED),
            org.assertj.core.groups.Tuple.tuple(0x12010001, 0x00130101, 1, 0x800000130000L, TestDevices.LINK_SPEED));
    assertThat(slot1.links())
        .extracting(NvLinkLayout::bridgePhandle, NvLinkLayout::linkPhandle, NvLinkLayout::npuLinkIndex,
            l -> l.atsd().base())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0x12010002, 0x00130110, 2, 0x800000140000L),
            org.assertj.core.groups.Tuple.tuple(0x12010003, 0x00130111, 3, 0x800000150000L));

    assertThat(phb.devices())
        .extracting(PlacedDevice::phandle, PlacedDevice::role)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0x12010000, DeviceRole.NVLINK2_BRIDGE),
            org.assertj.core.groups.Tuple.tuple(0x12010001, DeviceRole.NVLINK2_BRIDGE),
            org.assertj.core.groups.Tuple.tuple(0x12010002, DeviceRole.NVLINK2_BRIDGE),
            org.assertj.core.groups.Tuple.tuple(0x12010003, DeviceRole.NVLINK2_BRIDGE),
            org.assertj.core.groups.Tuple.tuple(0x12010008, DeviceRole.NVLINK2_GPU),
            org.assertj.core.groups.Tuple.tuple(0x12010010, DeviceRole.NVLINK2_GPU));

    assertThat(layout.finalGpuNumaId()).isEqualTo(3);
    assertThat(layout.referencePoints()).containsExactly(4, 4);
    assertThat(layout.maxDomains()).containsExactly(4, 1, 1, 1, 3);
    // The default PHB is always there, without devices.
    assertThat(layout.phbs()).extracting(PhbLayout::index).containsExactly(0, 1);
    assertThat(layout.phb(0).devices()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"pseries-5.1", "pseries-5.2", "pseries-6.0", "pseries-8.1", "pseries"})
  void pseries51AndNewerGiveGpusTheirOwnDomainsAtEveryLevel(String machine) {
    GuestLayout layout = layout(machine);
    assertThat(layout.phb(1).gpuSlots())
        .extracting(GpuSlotLayout::associativity)
        .containsExactly(List.of(4, 1, 1, 1, 1), List.of(4, 2, 2, 2, 2));
    assertThat(layout.referencePoints()).containsExactly(4, 4, 2);
    assertThat(layout.maxDomains()).containsExactly(4, 1, 1, 1, 3);
  }

  @Test
  void guestMemoryMapMatchesTheSpec() {
    PhbLayout phb = layout("pseries-4.1").phb(1);
    assertThat(phb.gpuSlots().get(0).ram().end() - 1).isEqualTo(0x421fffffffffL);
    assertThat(phb.gpuSlots().get(1).ram().end() - 1).isEqualTo(0x423fffffffffL);
    assertThat(phb.gpuSlots().get(1).links().get(1).atsd().end() - 1).isEqualTo(0x80000015ffffL);
  }

  @Test
  void pseries40GetsNoNvlink2WindowsAndNoNvlink2Nodes() {
    GuestLayout layout = layout("pseries-4.0");
    PhbLayout phb = layout.phb(1);
    assertThat(phb.windows().nv2Ram()).isEqualTo(Window.NONE);
    assertThat(phb.gpuSlots()).isEmpty();
    assertThat(phb.mmioAtsdAdvertised()).isFalse();
    assertThat(phb.atsdWarning()).isEmpty();
    assertThat(phb.devices()).extracting(PlacedDevice::role).containsOnly(DeviceRole.PCI);
    assertThat(phb.devices()).extracting(PlacedDevice::phandle).containsOnly(0);
    assertThat(layout.finalGpuNumaId()).isEqualTo(1);
    assertThat(layout.maxDomains()).containsExactly(4, 0, 0, 0, 1);
    assertThat(layout.warnings()).hasSize(6).allMatch(w -> w.contains("pseries-4.0 has no NVLink2 windows"));
  }

  @Test
  void theSameInputGivesAnEqualLayout() {
    assertThat(layout("pseries-4.1")).isEqualTo(layout("pseries-4.1"));
  }
}
