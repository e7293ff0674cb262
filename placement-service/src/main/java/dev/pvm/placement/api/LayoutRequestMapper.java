package dev.pvm.placement.api;

import dev.pvm.placement.layout.LayoutRequest;
import dev.pvm.placement.layout.PhbRequest;
import dev.pvm.placement.numa.NumaNodeRequest;
import dev.pvm.placement.pci.HostDevice;
import dev.pvm.placement.pci.HostDeviceKind;
import dev.pvm.placement.pci.Nvlink2Properties;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.proto.common.v1.NumaNodeSpec;
import dev.pvm.proto.common.v1.PhbSpec;
import dev.pvm.proto.common.v1.VmSpec;
import dev.pvm.proto.placement.v1.ComputeLayoutRequest;
import java.util.List;
import java.util.Optional;

/** Turns a {@code ComputeLayoutRequest} into the domain request; unsigned proto values stay unsigned. */
final class LayoutRequestMapper {

  private LayoutRequestMapper() {}

  static LayoutRequest toDomain(ComputeLayoutRequest request) {
    VmSpec spec = request.getSpec();
    return new LayoutRequest(
        spec.getMachine(),
        Integer.toUnsignedLong(spec.getVcpus()),
        clampUnsigned(spec.getMemoryMib()),
        spec.getNumaList().stream().map(LayoutRequestMapper::numaNode).toList(),
        spec.getPhbsList().stream().map(LayoutRequestMapper::phb).toList(),
        request.getDevicesList().stream().map(LayoutRequestMapper::device).toList());
  }

  private static NumaNodeRequest numaNode(NumaNodeSpec node) {
    return new NumaNodeRequest(
        unsignedInts(node.getCpusList()), clampUnsigned(node.getMemoryMib()), unsignedInts(node.getDistancesList()));
  }

  private static PhbRequest phb(PhbSpec phb) {
    return new PhbRequest(Integer.toUnsignedLong(phb.getIndex()), phb.getDevicesList());
  }

  static HostDevice device(HostPciDevice device) {
    Optional<Nvlink2Properties> nvlink2 =
        device.hasNvlink2()
            ? Optional.of(
                new Nvlink2Properties(
                    device.getNvlink2().getTgt(),
                    clampUnsigned(device.getNvlink2().getGpuRamSize()),
                    clampUnsigned(device.getNvlink2().getAtsdSize()),
                    device.getNvlink2().getLinkSpeed()))
            : Optional.empty();
    return new HostDevice(
        device.getAddress(),
        device.getVendorId(),
        device.getDeviceId(),
        device.getHeaderType(),
        device.getIommuGroup(),
        kind(device.getKind()),
        nvlink2,
        // A uint32 above 255 stays visible as out of range rather than wrapping.
        device.getGuestDevfn() < 0 ? Integer.MAX_VALUE : device.getGuestDevfn(),
        unsignedInts(device.getGuestBridgePathList()));
  }

  private static HostDeviceKind kind(dev.pvm.proto.common.v1.DeviceKind kind) {
    return switch (kind) {
      case DEVICE_KIND_NVLINK2_GPU -> HostDeviceKind.NVLINK2_GPU;
      case DEVICE_KIND_NVLINK2_BRIDGE -> HostDeviceKind.NVLINK2_BRIDGE;
      case DEVICE_KIND_GPU -> HostDeviceKind.GPU;
      case DEVICE_KIND_PCI_BRIDGE -> HostDeviceKind.PCI_BRIDGE;
      case DEVICE_KIND_OTHER -> HostDeviceKind.OTHER;
      case DEVICE_KIND_UNSPECIFIED, UNRECOGNIZED -> HostDeviceKind.UNSPECIFIED;
    };
  }

  /** uint32 values above Integer.MAX_VALUE become Integer.MAX_VALUE: out of every valid range, still positive. */
  private static List<Integer> unsignedInts(List<Integer> values) {
    return values.stream().map(value -> value < 0 ? Integer.MAX_VALUE : value).toList();
  }

  /** uint64 values above Long.MAX_VALUE become Long.MAX_VALUE: out of every valid range, still positive. */
  private static long clampUnsigned(long value) {
    return value < 0 ? Long.MAX_VALUE : value;
  }
}
