package dev.pvm.placement.layout;

import static dev.pvm.placement.layout.TestDevices.gpu;
import static dev.pvm.placement.layout.TestDevices.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pvm.placement.LayoutInputException;
import dev.pvm.placement.UnknownMachineTypeException;
import dev.pvm.placement.machine.MachineTypeCatalog;
import dev.pvm.placement.numa.NumaNodeRequest;
import dev.pvm.placement.pci.HostDevice;
import dev.pvm.placement.pci.HostDeviceKind;
import dev.pvm.placement.pci.Nvlink2Properties;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every input check names the offending field as the caller wrote it. */
class LayoutValidationTest {

  private final LayoutCalculator calculator = new LayoutCalculator(MachineTypeCatalog.standard());

  private static NumaNodeRequest node(List<Integer> cpus, long mib, Integer... distances) {
    return new NumaNodeRequest(cpus, mib, List.of(distances));
  }

  private static LayoutRequest numa(NumaNodeRequest... nodes) {
    return new LayoutRequest("pseries-6.0", 2, 2048, List.of(nodes), List.of(), List.of());
  }

  static Stream<Arguments> invalid() {
    HostDevice nic = plain("0001:01:00.0", 3);
    return Stream.of(
        Arguments.of(new LayoutRequest("pseries-4.1", 0, 1024, List.of(), List.of(), List.of()), "vcpus",
            "takes 1..1024 vCPUs, not 0"),
        Arguments.of(new LayoutRequest("pseries-2.7", 256, 1024, List.of(), List.of(), List.of()), "vcpus",
            "takes 1..255 vCPUs"),
        Arguments.of(new LayoutRequest("pseries-4.1", 1, 0, List.of(), List.of(), List.of()), "memoryMib",
            "positive multiple of 256"),
        Arguments.of(new LayoutRequest("pseries-4.1", 1, 33554688, List.of(), List.of(), List.of()), "memoryMib",
            "PHB windows start at 32 TiB"),
        Arguments.of(numa(node(List.of(0, 1), 1024), node(List.of(1), 1024)), "numa[1].cpus",
            "vCPU 1 is already in numa[0]"),
        Arguments.of(numa(node(List.of(0, 2), 2048)), "numa[0].cpus", "vCPU 2 does not exist"),
        Arguments.of(numa(node(List.of(0), 2048)), "numa", "vCPU 1 is in no NUMA node"),
        Arguments.of(numa(node(List.of(0), 1024), node(List.of(1), 512)), "memoryMib", "adds up to 1536 MiB"),
        Arguments.of(numa(node(List.of(0), 1000), node(List.of(1), 1048)), "numa[0].memoryMib",
            "multiple of 256 MiB"),
        Arguments.of(numa(node(List.of(), 0), node(List.of(0, 1), 2048)), "numa[0]", "neither memory nor vCPUs"),
        Arguments.of(numa(node(List.of(0), 0), node(List.of(1), 2048)), "numa[0].memoryMib", "real mode area"),
        Arguments.of(numa(node(List.of(0), 1024, 10, 20, 30), node(List.of(1), 1024)), "numa[0].distances",
            "has 3 entries"),
        Arguments.of(numa(node(List.of(0), 1024, 12, 20), node(List.of(1), 1024)), "numa[0].distances[0]",
            "distance to itself must be 10"),
        Arguments.of(numa(node(List.of(0), 1024, 10, 10), node(List.of(1), 1024)), "numa[0].distances[1]",
            "must be 11..255"),
        Arguments.of(numa(node(List.of(0), 1024, 10, 20), node(List.of(1), 1024, 40, 10)), "numa[1].distances[0]",
            "asymmetric"),
        Arguments.of(new LayoutRequest("pseries-4.1", 1, 1024, List.of(),
            List.of(new PhbRequest(1, List.of()), new PhbRequest(1, List.of())), List.of()), "phbs[1].index",
            "PHB index 1 is already used by phbs[0]"),
        Arguments.of(new LayoutRequest("pseries-4.1", 1, 1024, List.of(),
            List.of(new PhbRequest(31, List.of())), List.of()), "phbs[0].index",
            "\"index\" for PAPR PHB is too large (max 30)"),
        Arguments.of(new LayoutRequest("pseries-2.7", 1, 1024, List.of(),
            List.of(new PhbRequest(256, List.of())), List.of()), "phbs[0].index",
            "\"index\" for PAPR PHB is too large (max 255)"),
        Arguments.of(new LayoutRequest("pseries-4.1", 1, 1024, List.of(),
            List.of(new PhbRequest(1, List.of("0001:01:00.0"))), List.of()), "phbs[0].devices[0]",
            "is not described in devices"),
        Arguments.of(new LayoutRequest("pseries-4.1", 1, 1024, List.of(),
            List.of(new PhbRequest(1, List.of("0001:01:00.0", "0001:01:00.0"))), List.of(nic)), "phbs[0].devices[1]",
            "is already passed through at phbs[0].devices[0]"),
        Arguments.of(new LayoutRequest("pseries-4.1", 1, 1024, List.of(),
            List.of(new PhbRequest(1, List.of("0001:01:00.0"))), List.of(nic, nic)), "devices[1].address",
            "already described by devices[0]"),
        Arguments.of(new LayoutRequest("pseries-4.1", 1, 1024, List.of(),
            List.of(new PhbRequest(1, List.of("0004:04:00.0"))), List.of(gpu("0004:04:00.0", 1, -1))),
            "devices[0].iommuGroup", "is in no IOMMU group"),
        Arguments.of(new LayoutRequest("pseries-4.1", 1, 1024, List.of(),
            List.of(new PhbRequest(1, List.of("0001:01:00.0")), new PhbRequest(2, List.of("0001:02:00.0"))),
            List.of(nic, plain("0001:02:00.0", 3))), "phbs[1].devices[0]",
            "is in IOMMU group 3 like 0001:01:00.0 on PHB 1"),
        Arguments.of(new LayoutRequest("pseries-4.1", 1, 1024, List.of(),
            List.of(new PhbRequest(1, List.of("0004:04:00.0"))),
            List.of(new HostDevice("0004:04:00.0", 0x10de, 0x1db1, 0, 1, HostDeviceKind.NVLINK2_GPU,
                Optional.of(new Nvlink2Properties(0, 1L << 37, 0, 0)), 0, List.of()))),
            "devices[0].nvlink2.tgt", "has no tgt"),
        Arguments.of(new LayoutRequest("pseries-4.1", 1, 1024, List.of(),
            List.of(new PhbRequest(1, List.of("0004:04:00.0"))),
            List.of(new HostDevice("0004:04:00.0", 0x10de, 0x1db1, 0, 1, HostDeviceKind.NVLINK2_GPU,
                Optional.of(new Nvlink2Properties(1, 0, 0, 0)), 0, List.of()))),
            "devices[0].nvlink2.gpuRamSize", "has no GPU RAM region"),
        Arguments.of(new LayoutRequest("pseries-4.1", 1, 1024, List.of(),
            List.of(new PhbRequest(1, List.of("0007:00:00.0"))),
            List.of(new HostDevice("0007:00:00.0", 0x1014, 0x04ea, 0, 1, HostDeviceKind.NVLINK2_BRIDGE,
                Optional.of(new Nvlink2Properties(1, 0, 3000, 9)), 0, List.of()))),
            "devices[0].nvlink2.atsdSize", "not one host page"),
        Arguments.of(new LayoutRequest("pseries-4.1", 1, 1024, List.of(),
            List.of(new PhbRequest(1, List.of("4:4:0.0"))), List.of(plain("4:4:0.0", 1))),
            "devices[0].address", "is not a host PCI address"),
        Arguments.of(new LayoutRequest("pseries-4.1", 1, 1024, List.of(),
            List.of(new PhbRequest(1, List.of("0001:01:00.0"))), List.of(TestDevices.at(nic, 256))),
            "devices[0].guestDevfn", "outside 0..255"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void rejectsWithTheFieldPath(LayoutRequest request, String field, String messagePart) {
    LayoutInputException error = catchThrowableOfType(LayoutInputException.class, () -> calculator.compute(request));
    assertThat(error).isNotNull();
    assertThat(error.field()).isEqualTo(field);
    assertThat(error.getMessage()).contains(messagePart);
  }

  @Test
  void unknownMachineTypeListsEveryKnownName() {
    UnknownMachineTypeException error = catchThrowableOfType(UnknownMachineTypeException.class,
        () -> calculator.compute(new LayoutRequest("q35", 1, 1024, List.of(), List.of(), List.of())));
    assertThat(error.field()).isEqualTo("machine");
    assertThat(error.knownNames()).startsWith("pseries-2.7").endsWith("pseries-8.1", "pseries");
    assertThat(error.getMessage()).startsWith("unknown machine type \"q35\"; known types: pseries-2.7, pseries-2.8");
  }

  @Test
  void vcpuIdsUseTheVersionsVsmt() {
    GuestLayout old = calculator.compute(new LayoutRequest("pseries-4.1", 3, 1024, List.of(), List.of(), List.of()));
    assertThat(old.vcpuIds()).containsExactly(0, 8, 16);
    assertThat(old.cpuAssociativity().get(2)).containsExactly(5, 0, 0, 0, 0, 16);
    GuestLayout recent = calculator.compute(new LayoutRequest("pseries-4.2", 3, 1024, List.of(), List.of(), List.of()));
    assertThat(recent.vcpuIds()).containsExactly(0, 1, 2);
  }

  @Test
  void phbIndexZeroAddsDevicesToTheDefaultPhb() {
    HostDevice nic = plain("0001:01:00.0", 3);
    GuestLayout layout = calculator.compute(new LayoutRequest("pseries-4.1", 1, 1024, List.of(),
        List.of(new PhbRequest(0, List.of(nic.address()))), List.of(nic)));
    assertThat(layout.phbs()).singleElement().satisfies(phb -> {
      assertThat(phb.index()).isZero();
      assertThat(phb.devices()).extracting(PlacedDevice::hostAddress).containsExactly("0001:01:00.0");
    });
  }
}
