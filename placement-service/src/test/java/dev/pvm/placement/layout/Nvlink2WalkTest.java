package dev.pvm.placement.layout;

import static dev.pvm.placement.layout.TestDevices.at;
import static dev.pvm.placement.layout.TestDevices.bridge;
import static dev.pvm.placement.layout.TestDevices.gpu;
import static dev.pvm.placement.layout.TestDevices.onePhb;
import static dev.pvm.placement.layout.TestDevices.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.pvm.placement.InvalidFieldException;
import dev.pvm.placement.LayoutInputException;
import dev.pvm.placement.Nvlink2TopologyException;
import dev.pvm.placement.alloc.AtsdAdvertisement;
import dev.pvm.placement.alloc.Window;
import dev.pvm.placement.machine.MachineTypeCatalog;
import dev.pvm.placement.pci.HostDevice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec 4.3 ordering rules, its errors, the ATSD rules of 5.4/5.8 and the spec 12 corrections. */
class Nvlink2WalkTest {

  private static final long RAM0 = 0x420000000000L;
  private static final long ATSD0 = 0x800000120000L;

  private final LayoutCalculator calculator = new LayoutCalculator(MachineTypeCatalog.standard());

  private PhbLayout phb1(List<HostDevice> devices) {
    return calculator.compute(onePhb("pseries-4.1", 1, devices)).phb(1);
  }

  @Test
  void gpusBeforeTheirBridgesCreateSlotsInGpuOrderAndTakeRamAndNumaInVisitOrder() {
    // GPU B (tgt 2) at 0x00 before GPU A (tgt 1) at 0x08, then bridges A, B, A interleaved.
    PhbLayout phb =
        phb1(List.of(
            at(gpu("0004:05:00.0", 2, 7), 0x00),
            at(gpu("0004:04:00.0", 1, 7), 0x08),
            at(bridge("0007:00:00.0", 1, 7), 0x10),
            at(bridge("0007:00:00.1", 2, 7), 0x11),
            at(bridge("0007:00:00.2", 1, 7), 0x12)));
    assertThat(phb.gpuSlots())
        .extracting(GpuSlotLayout::slot, GpuSlotLayout::tgt, s -> s.ram().base(), GpuSlotLayout::numaId)
        .containsExactly(tuple(0, 2L, RAM0, 1), tuple(1, 1L, RAM0 + TestDevices.GPU_RAM, 2));
    // ATSD GPAs follow bridge visit order across slots; link index follows visit order within the slot.
    assertThat(phb.gpuSlots().get(1).links())
        .extracting(NvLinkLayout::link, NvLinkLayout::bridgeDevfn, l -> l.atsd().base())
        .containsExactly(tuple(0, 0x10, ATSD0), tuple(1, 0x12, ATSD0 + 0x20000));
    assertThat(phb.gpuSlots().get(0).links())
        .extracting(NvLinkLayout::link, NvLinkLayout::bridgeDevfn, l -> l.atsd().base())
        .containsExactly(tuple(0, 0x11, ATSD0 + 0x10000));
    // ibm,mmio-atsd is in (slot, link) order, not allocation order; link@N numbering likewise.
    assertThat(phb.mmioAtsd()).containsExactly(ATSD0 + 0x10000, ATSD0, ATSD0 + 0x20000);
    assertThat(phb.gpuSlots().get(0).links().get(0).npuLinkIndex()).isZero();
    assertThat(phb.gpuSlots().get(1).links()).extracting(NvLinkLayout::npuLinkIndex).containsExactly(1, 2);
  }

  @Test
  void slotOrderIsFirstAppearanceOfTheTgtWhileGpuNumaOrderIsGpuVisitOrder() {
    // Bridge of tgt 1 first creates slot 0, but GPU tgt 2 is visited before GPU tgt 1.
    PhbLayout phb =
        phb1(List.of(
            at(bridge("0007:00:00.0", 1, 7), 0x00),
            at(gpu("0004:05:00.0", 2, 7), 0x08),
            at(bridge("0007:00:00.1", 2, 7), 0x09),
            at(gpu("0004:04:00.0", 1, 7), 0x10)));
    assertThat(phb.gpuSlots())
        .extracting(GpuSlotLayout::slot, GpuSlotLayout::tgt, s -> s.ram().base(), GpuSlotLayout::numaId,
            GpuSlotLayout::ramPhandle)
        .containsExactly(
            tuple(0, 1L, RAM0 + TestDevices.GPU_RAM, 2, 0x110100FF),
            tuple(1, 2L, RAM0, 1, 0x110101FF));
  }

  @Test
  void walkDescendsIntoAPciBridgeRightAfterVisitingIt() {
    // Bridge 0x08 holds GPU tgt 1 (0x10 behind it) and is visited before the GPU at root devfn 0x20.
    PhbLayout phb =
        phb1(List.of(
            at(gpu("0004:06:00.0", 2, 7), 0x20),
            at(gpu("0004:04:00.0", 1, 7), 0x10, 0x08),
            at(bridge("0007:00:00.0", 2, 7), 0x00),
            at(bridge("0007:00:00.1", 1, 7), 0x18, 0x08)));
    assertThat(phb.bridges()).singleElement().satisfies(b -> {
      assertThat(b.address().devfn()).isEqualTo(0x08);
      assertThat(b.multifunction()).isFalse();
    });
    // Visit order: bridge tgt 2 (0x00), GPU tgt 1 (behind 0x08), bridge tgt 1 (behind 0x08), GPU tgt 2 (0x20).
    assertThat(phb.gpuSlots())
        .extracting(GpuSlotLayout::tgt, GpuSlotLayout::numaId, s -> s.ram().base())
        .containsExactly(tuple(2L, 2, RAM0 + TestDevices.GPU_RAM), tuple(1L, 1, RAM0));
    assertThat(phb.devices())
        .extracting(d -> d.address().toString())
        .containsExactly("00.0", "01.0/02.0", "01.0/03.0", "04.0");
    // Phandles use the devfn on its own bus, not the bus number.
    assertThat(phb.gpuSlots().get(1).gpuPhandle()).isEqualTo(0x12010010);
    assertThat(phb.gpuSlots().get(1).npuPhandles()).containsExactly(0x12010018);
  }

  @Test
  void phandleCollisionAcrossBusesIsRejected() {
    assertThatThrownBy(() -> phb1(List.of(
            at(gpu("0004:04:00.0", 1, 7), 0x08),
            at(bridge("0007:00:00.0", 1, 7), 0x08, 0x10))))
        .isInstanceOf(Nvlink2TopologyException.class)
        .hasMessageContaining("both sit at devfn 0x08 of vPHB 1");
  }

  @Test
  void aBridgeSharingItsSlotHidesItsBusFromTheWalk() {
    PhbLayout phb =
        phb1(List.of(
            at(gpu("0004:04:00.0", 1, 7), 0x00),
            at(plain("0001:01:00.0", 7), 0x09),
            at(bridge("0007:00:00.0", 1, 7), 0x00, 0x08)));
    assertThat(phb.bridges()).singleElement().satisfies(b -> assertThat(b.multifunction()).isTrue());
    assertThat(phb.gpuSlots()).singleElement().satisfies(s -> assertThat(s.links()).isEmpty());
    assertThat(phb.devices()).extracting(PlacedDevice::hostAddress, PlacedDevice::role)
        .contains(tuple("0007:00:00.0", DeviceRole.PCI));
    assertThat(phb.warnings()).anyMatch(w -> w.contains("0007:00:00.0") && w.contains("header type 0x81"));
    // The GPU's slot has no link, so no ATSD: QEMU's "No ATSD registers found".
    assertThat(phb.atsdWarning()).contains(AtsdAdvertisement.NONE_FOUND);
  }

  @Test
  void devicesWithoutRequestedPositionsGetSlotsInListOrder() {
    PhbLayout phb =
        phb1(List.of(gpu("0004:04:00.0", 1, 7), bridge("0007:00:00.0", 1, 7), plain("0001:01:00.0", 7)));
    assertThat(phb.devices()).extracting(d -> d.address().devfn()).containsExactly(0x00, 0x08, 0x10);
    assertThat(phb.gpuSlots().get(0).npuPhandles()).containsExactly(0x12010008);
  }

  @Test
  void tooManyGpusPerVphb() {
    List<HostDevice> devices = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      devices.add(at(gpu(String.format("0004:%02x:00.0", i + 1), i + 1, 7), i << 3));
    }
    assertThatThrownBy(() -> phb1(devices))
        .isInstanceOf(Nvlink2TopologyException.class)
        .hasMessage("Found too many GPUs per vPHB")
        .extracting(e -> ((LayoutInputException) e).field())
        .isEqualTo("phbs[0].devices[6]");
  }

  @Test
  void tooManyBridgesPerVphb() {
    List<HostDevice> devices = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      devices.add(at(bridge(String.format("0007:00:%02x.0", i), i + 1, 7), i << 3));
    }
    assertThatThrownBy(() -> phb1(devices)).hasMessage("Found too many NVLink bridges per vPHB");
  }

  @Test
  void tooManyBridgesPerGpu() {
    List<HostDevice> devices = new ArrayList<>();
    devices.add(at(gpu("0004:04:00.0", 1, 7), 0x08));
    for (int i = 0; i < 4; i++) {
      devices.add(at(bridge("0007:00:00." + i, 1, 7), i));
    }
    assertThatThrownBy(() -> phb1(devices))
        .hasMessage("Found too many NVLink bridges per GPU")
        .extracting(e -> ((LayoutInputException) e).field())
        .isEqualTo("phbs[0].devices[4]");
  }

  @Test
  void secondGpuWithTheSameTgtIsAnErrorNotAnAbort() {
    assertThatThrownBy(() -> phb1(List.of(at(gpu("0004:04:00.0", 1, 7), 0x00), at(gpu("0004:05:00.0", 1, 7), 0x08))))
        .isInstanceOf(Nvlink2TopologyException.class)
        .hasMessageContaining("second GPU with tgt 0x1 on vPHB 1");
  }

  @Test
  void bridgeWithoutAtsdIsALinkWithoutAddressAndDoesNotMoveTheCursor() {
    PhbLayout phb =
        phb1(List.of(
            at(bridge("0007:00:00.0", 1, 7, 0), 0x00),
            at(bridge("0007:00:00.1", 1, 7), 0x01),
            at(gpu("0004:04:00.0", 1, 7), 0x08)));
    assertThat(phb.gpuSlots().get(0).links())
        .extracting(NvLinkLayout::link, NvLinkLayout::atsd, NvLinkLayout::npuLinkIndex)
        .containsExactly(tuple(0, Window.NONE, 0), tuple(1, new Window(ATSD0, 0x10000), 1));
    assertThat(phb.mmioAtsd()).containsExactly(ATSD0);
  }

  @Test
  void bridgeOnlySlotIsSkippedButKeepsItsSlotNumberAndAtsdPage() {
    PhbLayout phb =
        phb1(List.of(
            at(bridge("0007:00:00.0", 9, 7), 0x00),
            at(bridge("0007:00:00.1", 1, 7), 0x01),
            at(gpu("0004:04:00.0", 1, 7), 0x08)));
    assertThat(phb.gpuSlots()).singleElement().satisfies(slot -> {
      assertThat(slot.slot()).isEqualTo(1);
      assertThat(slot.ramPhandle()).isEqualTo(0x110101FF);
      assertThat(slot.links()).singleElement().satisfies(link -> {
        assertThat(link.atsd().base()).isEqualTo(ATSD0 + 0x10000);
        assertThat(link.linkPhandle()).isEqualTo(0x00130110);
        assertThat(link.npuLinkIndex()).isZero();
      });
    });
    assertThat(phb.devices()).extracting(PlacedDevice::hostAddress, PlacedDevice::role, PlacedDevice::phandle)
        .contains(tuple("0007:00:00.0", DeviceRole.PCI, 0));
    assertThat(phb.warnings()).anyMatch(w -> w.contains("0007:00:00.0") && w.contains("no GPU with tgt 0x9"));
  }

  @Test
  void onlyBridgesMeansNoNvlink2ConfigurationAtAll() {
    PhbLayout phb = phb1(List.of(at(bridge("0007:00:00.0", 9, 7), 0x00)));
    assertThat(phb.hasNvlink2()).isFalse();
    assertThat(phb.atsdWarning()).isEmpty();
    assertThat(phb.mmioAtsdAdvertised()).isFalse();
  }

  @Test
  void atsdListStopsAtEightAndWarnsOnlyWhenTheNinthIsInTheEighthsSlot() {
    // 3 GPUs x 3 links: the 9th ATSD page is slot 2's third link, in the slot of the 8th.
    PhbLayout phb = phb1(gpusWithLinks(3, 3));
    assertThat(phb.mmioAtsd()).hasSize(8).first().isEqualTo(ATSD0);
    assertThat(phb.mmioAtsdAdvertised()).isTrue();
    assertThat(phb.warnings()).containsExactly(AtsdAdvertisement.TOO_MANY);
    // 4 GPUs x 2 links + a 5th with 2 links: 8 collected at the end of slot 3, so slot 4 is never looked at.
    PhbLayout silent = phb1(gpusWithLinks(5, 2));
    assertThat(silent.mmioAtsd()).hasSize(8);
    assertThat(silent.warnings()).isEmpty();
  }

  private static List<HostDevice> gpusWithLinks(int gpus, int links) {
    List<HostDevice> devices = new ArrayList<>();
    for (int g = 0; g < gpus; g++) {
      devices.add(at(gpu(String.format("0004:%02x:00.0", g + 1), g + 1, 7), (g + 8) << 3));
      for (int l = 0; l < links; l++) {
        devices.add(at(bridge(String.format("0007:00:%02x.%d", g, l), g + 1, 7), (g << 3) | l));
      }
    }
    return devices;
  }

  @Test
  void twoIommuGroupsOnOneVphbDisableAtsdWithQemusWarning() {
    PhbLayout phb =
        phb1(List.of(
            at(bridge("0007:00:00.0", 1, 7), 0x00),
            at(gpu("0004:04:00.0", 1, 7), 0x08),
            at(bridge("0007:00:01.0", 2, 8), 0x10),
            at(gpu("0004:05:00.0", 2, 8), 0x18)));
    assertThat(phb.eehCapable()).isFalse();
    assertThat(phb.mmioAtsdAdvertised()).isFalse();
    assertThat(phb.mmioAtsd()).isEmpty();
    assertThat(phb.atsdWarning()).contains("ATSD requires separate vPHB per GPU IOMMU group");
    // The npuphb and memory nodes are still there.
    assertThat(phb.gpuSlots()).hasSize(2);
  }

  @Test
  void gpuNumaIdsContinueAcrossPhbsInIndexOrderAfterTheUserNodes() {
    List<HostDevice> devices = List.of(
        at(gpu("0004:04:00.0", 1, 7), 0x00), at(gpu("0004:05:00.0", 2, 8), 0x00),
        at(gpu("0004:06:00.0", 3, 8), 0x08));
    LayoutRequest request = new LayoutRequest("pseries-5.2", 2, 4096,
        List.of(new dev.pvm.placement.numa.NumaNodeRequest(List.of(0), 2048, List.of()),
            new dev.pvm.placement.numa.NumaNodeRequest(List.of(1), 2048, List.of())),
        // Listed with the higher index first: numbering still follows the index.
        List.of(new PhbRequest(3, List.of("0004:05:00.0", "0004:06:00.0")), new PhbRequest(2, List.of("0004:04:00.0"))),
        devices);
    GuestLayout layout = calculator.compute(request);
    assertThat(layout.phb(2).gpuSlots()).extracting(GpuSlotLayout::numaId).containsExactly(2);
    assertThat(layout.phb(3).gpuSlots()).extracting(GpuSlotLayout::numaId).containsExactly(3, 4);
    assertThat(layout.phb(3).gpuSlots().get(1).associativity()).containsExactly(4, 4, 4, 4, 4);
    assertThat(layout.firstGpuNumaId()).isEqualTo(2);
    assertThat(layout.finalGpuNumaId()).isEqualTo(5);
    // FORM1 with 2 user nodes: D = N + (G - G0) = 2 + 3 (QEMU 6.0's fix of the 5.2 over-count N + G).
    assertThat(layout.referencePoints()).containsExactly(4, 3, 2, 1);
    assertThat(layout.maxDomains()).containsExactly(4, 5, 5, 5, 5);
  }

  @Test
  void gpuRamBeyondThePhbWindowIsRejected() {
    List<HostDevice> devices = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      HostDevice big = new HostDevice(String.format("0004:%02x:00.0", i + 1), 0x10de, 0x1db1, 0, 7,
          dev.pvm.placement.pci.HostDeviceKind.NVLINK2_GPU,
          java.util.Optional.of(new dev.pvm.placement.pci.Nvlink2Properties(i + 1, 512 * TestDevices.GIB, 0, 0)),
          i << 3, List.of());
      devices.add(big);
    }
    assertThatThrownBy(() -> phb1(devices))
        .isInstanceOf(Nvlink2TopologyException.class)
        .hasMessageContaining("does not fit its NVLink2 window");
  }

  @Test
  void guestPositionErrorsNameTheDevice() {
    assertThatThrownBy(() -> phb1(List.of(at(plain("0001:01:00.0", 7), 0x09))))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("of a slot without function 0");
    assertThatThrownBy(() -> phb1(List.of(at(plain("0001:01:00.0", 7), 0x08), at(plain("0001:02:00.0", 7), 0, 0x08))))
        .hasMessageContaining("holds passed-through device 0001:01:00.0");
  }
}
