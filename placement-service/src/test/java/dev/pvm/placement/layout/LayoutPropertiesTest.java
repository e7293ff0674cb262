package dev.pvm.placement.layout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.placement.alloc.PhbWindowPlacement;
import dev.pvm.placement.alloc.Window;
import dev.pvm.placement.machine.MachineType;
import dev.pvm.placement.machine.MachineTypeCatalog;
import dev.pvm.placement.machine.PhbPlacementScheme;
import dev.pvm.placement.numa.NumaNodeRequest;
import dev.pvm.placement.pci.HostDevice;
import dev.pvm.placement.pci.HostDeviceKind;
import dev.pvm.placement.pci.Nvlink2Properties;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** For random valid VMs: windows never overlap, are aligned and inside their regions, and results repeat. */
class LayoutPropertiesTest {

  private static final long GIB = 1L << 30;
  private static final List<MachineType> TYPES = MachineTypeCatalog.standard().all();
  private final LayoutCalculator calculator = new LayoutCalculator(MachineTypeCatalog.standard());

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  @Property(tries = 300)
  void noTwoWindowsOverlap(@ForAll("seeds") long seed) {
    GuestLayout layout = calculator.compute(randomRequest(new Random(seed)));
    List<Window> topLevel = new ArrayList<>();
    layout.numaNodes().forEach(node -> topLevel.add(node.ram()));
    for (PhbLayout phb : layout.phbs()) {
      topLevel.addAll(phb.windows().guestPhysicalWindows());
    }
    assertPairwiseDisjoint(topLevel);
    for (PhbLayout phb : layout.phbs()) {
      List<Window> gpuRam = new ArrayList<>();
      List<Window> atsd = new ArrayList<>();
      for (GpuSlotLayout slot : phb.gpuSlots()) {
        gpuRam.add(slot.ram());
        slot.links().forEach(link -> atsd.add(link.atsd()));
      }
      assertPairwiseDisjoint(gpuRam);
      assertPairwiseDisjoint(atsd);
    }
  }

  @Property(tries = 300)
  void windowsAreAlignedAndInsideTheirRegions(@ForAll("seeds") long seed) {
    LayoutRequest request = randomRequest(new Random(seed));
    GuestLayout layout = calculator.compute(request);
    long ramTop = request.memoryMib() << 20;
    for (NumaNodeLayout node : layout.numaNodes()) {
      assertThat(node.ram().base() % (256L << 20)).isZero();
      assertThat(node.ram().end()).isLessThanOrEqualTo(ramTop);
    }
    boolean legacy = layout.machine().phbPlacement() == PhbPlacementScheme.LEGACY_2_7;
    for (PhbLayout phb : layout.phbs()) {
      var windows = phb.windows();
      assertNaturallyAligned(windows.pio());
      if (legacy) {
        // QEMU 2.7 puts the windows 2.5 GiB into each 64 GiB PHB slot, 512 MiB aligned, above RAM.
        assertThat(windows.mmio32().base() % (512L << 20)).isZero();
        assertThat(windows.mmio64().base() % (512L << 20)).isZero();
        assertThat(windows.pio().base()).isGreaterThanOrEqualTo(ramTop);
      } else {
        Window pciRegion = new Window(PhbWindowPlacement.PCI_BASE, PhbWindowPlacement.PCI_LIMIT - PhbWindowPlacement.PCI_BASE);
        for (Window window : List.of(windows.pio(), windows.mmio32(), windows.mmio64())) {
          assertNaturallyAligned(window);
          assertThat(pciRegion.contains(window)).as("%s inside %s", window, pciRegion).isTrue();
        }
        assertThat(ramTop).isLessThanOrEqualTo(PhbWindowPlacement.PCI_BASE);
      }
      if (windows.nvlink2Enabled()) {
        assertNaturallyAligned(windows.nv2Ram());
        assertNaturallyAligned(windows.nv2Atsd());
        assertThat(new Window(PhbWindowPlacement.NV2RAM_WIN_BASE, PhbWindowPlacement.NV2RAM_WIN_BASE)
            .contains(windows.nv2Ram())).isTrue();
        assertThat(windows.nv2Atsd().base()).isGreaterThanOrEqualTo(PhbWindowPlacement.NV2ATSD_WIN_BASE);
      } else {
        assertThat(phb.gpuSlots()).isEmpty();
      }
      for (GpuSlotLayout slot : phb.gpuSlots()) {
        assertNaturallyAligned(slot.ram());
        assertThat(windows.nv2Ram().contains(slot.ram())).isTrue();
        for (NvLinkLayout link : slot.links()) {
          if (link.atsd().present()) {
            assertNaturallyAligned(link.atsd());
            assertThat(windows.nv2Atsd().contains(link.atsd())).isTrue();
          }
        }
      }
      assertThat(phb.mmioAtsd()).hasSizeLessThanOrEqualTo(8);
    }
  }

  @Property(tries = 200)
  void sameInputGivesEqualLayoutWhateverThePhbListOrder(@ForAll("seeds") long seed) {
    LayoutRequest request = randomRequest(new Random(seed));
    GuestLayout first = calculator.compute(request);
    assertThat(calculator.compute(request)).isEqualTo(first);
    List<PhbRequest> reversed = new ArrayList<>(request.phbs());
    Collections.reverse(reversed);
    LayoutRequest reordered =
        new LayoutRequest(request.machine(), request.vcpus(), request.memoryMib(), request.numa(), reversed,
            request.devices());
    assertThat(calculator.compute(reordered)).isEqualTo(first);
  }

  private static void assertPairwiseDisjoint(List<Window> windows) {
    for (int i = 0; i < windows.size(); i++) {
      for (int j = i + 1; j < windows.size(); j++) {
        assertThat(windows.get(i).overlaps(windows.get(j)))
            .as("%s overlaps %s", windows.get(i), windows.get(j))
            .isFalse();
      }
    }
  }

  /** Aligned to the largest power of two dividing the size (the size itself when it is a power of two). */
  private static void assertNaturallyAligned(Window window) {
    if (window.present()) {
      assertThat(window.base() % Long.lowestOneBit(window.size())).as("alignment of %s", window).isZero();
    }
  }

  /**
   * A random valid VM: any machine version, RAM up to 2 TiB split over 0-4 NUMA nodes, 1-4 PHBs at random indexes,
   * each with one IOMMU group of 0-6 GPUs of one RAM size and 0-3 bridges each (some without ATSD), at random
   * distinct devfns, some behind a PCI bridge.
   */
  static LayoutRequest randomRequest(Random random) {
    MachineType machine = TYPES.get(random.nextInt(TYPES.size()));
    int vcpus = 1 + random.nextInt(8);
    int nodes = random.nextInt(5);
    List<NumaNodeRequest> numa = new ArrayList<>();
    long memoryMib = 0;
    for (int i = 0; i < nodes; i++) {
      List<Integer> cpus = new ArrayList<>();
      for (int cpu = i; cpu < vcpus; cpu += nodes) {
        cpus.add(cpu);
      }
      long mib = 256L * (1 + random.nextInt(i == 0 ? 2048 : 4096));
      if (i > 0 && cpus.isEmpty() || random.nextInt(8) == 0 && i > 0 && !cpus.isEmpty()) {
        mib = cpus.isEmpty() ? mib : 0;
      }
      numa.add(new NumaNodeRequest(cpus, mib, List.of()));
      memoryMib += mib;
    }
    if (nodes == 0) {
      memoryMib = 256L * (1 + random.nextInt(8192));
    }
    int maxIndex = machine.maxPhbIndex();
    List<Integer> indexes = new ArrayList<>();
    int phbCount = 1 + random.nextInt(4);
    while (indexes.size() < phbCount) {
      int index = random.nextInt(maxIndex + 1);
      if (!indexes.contains(index)) {
        indexes.add(index);
      }
    }
    List<PhbRequest> phbs = new ArrayList<>();
    List<HostDevice> devices = new ArrayList<>();
    int hostBus = 1;
    for (int p = 0; p < indexes.size(); p++) {
      int group = 100 + p;
      long ramSize = (16L << random.nextInt(4)) * GIB;
      List<Integer> freeDevfns = new ArrayList<>();
      for (int slot = 0; slot < 32; slot++) {
        freeDevfns.add(slot << 3);
      }
      Collections.shuffle(freeDevfns, random);
      int behindBridge = random.nextBoolean() ? freeDevfns.remove(0) : -1;
      List<String> names = new ArrayList<>();
      int gpus = random.nextInt(7);
      for (int g = 0; g < gpus; g++) {
        long tgt = ((long) (p + 1) << 40) | (g + 1);
        String gpuAddress = String.format("0004:%02x:00.0", hostBus++);
        devices.add(device(gpuAddress, HostDeviceKind.NVLINK2_GPU, group,
            new Nvlink2Properties(tgt, ramSize, 0, 0), freeDevfns.remove(0), List.of()));
        names.add(gpuAddress);
        int links = random.nextInt(4);
        for (int l = 0; l < links; l++) {
          String bridgeAddress = String.format("0007:%02x:00.%d", hostBus - 1, l);
          boolean hidden = behindBridge >= 0 && random.nextInt(4) == 0;
          devices.add(device(bridgeAddress, HostDeviceKind.NVLINK2_BRIDGE, group,
              new Nvlink2Properties(tgt, 0, random.nextInt(6) == 0 ? 0 : 0x10000, 9),
              // Devfns stay unique across buses: phandles ignore the bus number.
              freeDevfns.remove(0), hidden ? List.of(behindBridge) : List.of()));
          names.add(bridgeAddress);
        }
      }
      Collections.shuffle(names, random);
      phbs.add(new PhbRequest(indexes.get(p), names));
    }
    return new LayoutRequest(machine.name(), vcpus, memoryMib, numa, phbs, devices);
  }

  private static HostDevice device(
      String address, HostDeviceKind kind, int group, Nvlink2Properties nvlink2, int devfn, List<Integer> path) {
    return new HostDevice(address, kind == HostDeviceKind.NVLINK2_GPU ? 0x10de : 0x1014, 0, 0, group, kind,
        Optional.of(nvlink2), devfn, path);
  }
}
