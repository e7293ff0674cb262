package dev.pvm.device.api;

import dev.pvm.device.catalog.DeviceChange;
import dev.pvm.device.catalog.DeviceView;
import dev.pvm.device.host.HostDevice;
import dev.pvm.device.host.NvLink2Details;
import dev.pvm.proto.common.v1.DeviceKind;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.proto.common.v1.NvLink2Info;
import dev.pvm.proto.device.v1.Device;
import dev.pvm.proto.device.v1.DeviceEvent;

/** Domain values to wire messages; the only place that knows both. */
final class DeviceProtoMapper {
  private DeviceProtoMapper() {}

  static Device device(DeviceView view) {
    return Device.newBuilder()
        .setPci(hostPciDevice(view.device()))
        .setReservedBy(view.holder().orElse(""))
        .setAtsdLaunches(view.atsdLaunches())
        .build();
  }

  static HostPciDevice hostPciDevice(HostDevice d) {
    HostPciDevice.Builder b = HostPciDevice.newBuilder()
        .setAddress(d.address().toString())
        .setVendorId(d.vendorId())
        .setDeviceId(d.deviceId())
        .setClassCode(d.classCode())
        .setRevision(d.revision())
        .setHeaderType(d.headerType())
        .setMultifunction(d.multifunction())
        .setNumaNode(d.numaNode())
        .setDriver(d.driver())
        .setIommuGroup(d.iommuGroup())
        .setKind(kind(d.kind()));
    d.nvlink2().ifPresent(n -> b.setNvlink2(nvlink2(n)));
    return b.build();
  }

  static NvLink2Info nvlink2(NvLink2Details n) {
    return NvLink2Info.newBuilder()
        .setTgt(n.tgt())
        .setGpuRamSize(n.gpuRamSize())
        .setAtsdSize(n.atsdSize())
        .setLinkSpeed(n.linkSpeed())
        .setLinkIndex(n.linkIndex())
        .setBackingPath(n.backingPath())
        .setBackingOffset(n.backingOffset())
        .build();
  }

  static DeviceKind kind(dev.pvm.device.host.DeviceKind kind) {
    return switch (kind) {
      case NVLINK2_GPU -> DeviceKind.DEVICE_KIND_NVLINK2_GPU;
      case NVLINK2_BRIDGE -> DeviceKind.DEVICE_KIND_NVLINK2_BRIDGE;
      case GPU -> DeviceKind.DEVICE_KIND_GPU;
      case PCI_BRIDGE -> DeviceKind.DEVICE_KIND_PCI_BRIDGE;
      case OTHER -> DeviceKind.DEVICE_KIND_OTHER;
    };
  }

  static DeviceEvent event(DeviceChange change) {
    DeviceEvent.Kind kind = switch (change.kind()) {
      case EXISTING -> DeviceEvent.Kind.KIND_EXISTING;
      case RESERVED -> DeviceEvent.Kind.KIND_RESERVED;
      case RELEASED -> DeviceEvent.Kind.KIND_RELEASED;
    };
    return DeviceEvent.newBuilder().setKind(kind).setDevice(device(change.view())).build();
  }
}
