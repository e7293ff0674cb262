package dev.pvm.placement.api;

import dev.pvm.placement.alloc.PhbWindows;
import dev.pvm.placement.alloc.Window;
import dev.pvm.placement.layout.DeviceRole;
import dev.pvm.placement.layout.GpuSlotLayout;
import dev.pvm.placement.layout.GuestLayout;
import dev.pvm.placement.layout.NumaNodeLayout;
import dev.pvm.placement.layout.NvLinkLayout;
import dev.pvm.placement.layout.PhbLayout;
import dev.pvm.placement.layout.PlacedDevice;
import dev.pvm.placement.machine.MachineType;
import dev.pvm.placement.pci.GuestPciBridge;
import dev.pvm.proto.placement.v1.Associativity;
import dev.pvm.proto.placement.v1.GpuSlot;
import dev.pvm.proto.placement.v1.NumaNodeLayout.Builder;
import dev.pvm.proto.placement.v1.NvLink;
import dev.pvm.proto.placement.v1.PhbPlacementScheme;
import dev.pvm.proto.placement.v1.PlacedDeviceRole;
import java.util.List;

/** Turns domain layouts and machine types into their proto messages. */
final class GuestLayoutMapper {

  private GuestLayoutMapper() {}

  static dev.pvm.proto.placement.v1.GuestLayout toProto(GuestLayout layout) {
    var builder =
        dev.pvm.proto.placement.v1.GuestLayout.newBuilder()
            .setMachine(layout.machine().name())
            .addAllCpuNode(layout.cpuNode())
            .addAllVcpuIds(layout.vcpuIds())
            .addAllAssociativityReferencePoints(layout.referencePoints())
            .addAllMaxAssociativityDomains(layout.maxDomains())
            .setFirstGpuNumaId(layout.firstGpuNumaId())
            .setFinalGpuNumaId(layout.finalGpuNumaId())
            .addAllWarnings(layout.warnings());
    for (NumaNodeLayout node : layout.numaNodes()) {
      Builder nodeBuilder =
          dev.pvm.proto.placement.v1.NumaNodeLayout.newBuilder()
              .setNodeId(node.nodeId())
              .setRam(window(node.ram()))
              .setAssociativity(associativity(node.associativity()))
              .addAllCpus(node.cpus());
      builder.addNumaNodes(nodeBuilder);
    }
    for (List<Integer> cells : layout.cpuAssociativity()) {
      builder.addCpuAssociativity(associativity(cells));
    }
    for (PhbLayout phb : layout.phbs()) {
      builder.addPhbs(phb(phb));
    }
    return builder.build();
  }

  static dev.pvm.proto.placement.v1.PhbLayout windows(PhbWindows windows) {
    return windowsBuilder(windows).build();
  }

  private static dev.pvm.proto.placement.v1.PhbLayout.Builder windowsBuilder(PhbWindows windows) {
    return dev.pvm.proto.placement.v1.PhbLayout.newBuilder()
        .setIndex(windows.index())
        .setBuid(windows.buid())
        .addAllLiobns(windows.liobns())
        .setPio(window(windows.pio()))
        .setMmio32(window(windows.mmio32()))
        .setMmio32BusAddress(windows.mmio32BusAddress())
        .setMmio64(window(windows.mmio64()))
        .setMmio64BusAddress(windows.mmio64BusAddress())
        .setNv2Ram(window(windows.nv2Ram()))
        .setNv2Atsd(window(windows.nv2Atsd()))
        .setDma32(window(windows.dma32()));
  }

  private static dev.pvm.proto.placement.v1.PhbLayout phb(PhbLayout phb) {
    var builder =
        windowsBuilder(phb.windows())
            .setEehCapable(phb.eehCapable())
            .setMmioAtsdAdvertised(phb.mmioAtsdAdvertised())
            .addAllMmioAtsd(phb.mmioAtsd())
            .setAtsdWarning(phb.atsdWarning().orElse(""))
            .addAllWarnings(phb.warnings());
    for (GpuSlotLayout slot : phb.gpuSlots()) {
      builder.addGpuSlots(gpuSlot(slot));
    }
    for (PlacedDevice device : phb.devices()) {
      builder.addDevices(
          dev.pvm.proto.placement.v1.PlacedDevice.newBuilder()
              .setHostAddress(device.hostAddress())
              .setDevfn(device.address().devfn())
              .addAllBridgePath(device.address().bridgePath())
              .setPhandle(device.phandle())
              .setRole(role(device.role()))
              .setIommuGroup(device.iommuGroup()));
    }
    for (GuestPciBridge bridge : phb.bridges()) {
      builder.addPciBridges(
          dev.pvm.proto.placement.v1.GuestPciBridge.newBuilder()
              .setDevfn(bridge.address().devfn())
              .addAllBridgePath(bridge.address().bridgePath())
              .setMultifunction(bridge.multifunction()));
    }
    return builder.build();
  }

  private static GpuSlot gpuSlot(GpuSlotLayout slot) {
    var builder =
        GpuSlot.newBuilder()
            .setSlot(slot.slot())
            .setTgt(slot.tgt())
            .setGpuAddress(slot.gpuAddress())
            .setGpuDevfn(slot.gpuDevfn())
            .setRam(window(slot.ram()))
            .setNumaId(slot.numaId())
            .setAssociativity(associativity(slot.associativity()))
            .setGpuPhandle(slot.gpuPhandle())
            .setRamPhandle(slot.ramPhandle())
            .addAllNpuPhandles(slot.npuPhandles());
    for (NvLinkLayout link : slot.links()) {
      builder.addLinks(
          NvLink.newBuilder()
              .setLink(link.link())
              .setBridgeAddress(link.bridgeAddress())
              .setBridgeDevfn(link.bridgeDevfn())
              .setBridgePhandle(link.bridgePhandle())
              .setLinkPhandle(link.linkPhandle())
              .setAtsdGpa(link.atsd().base())
              .setAtsdSize(link.atsd().size())
              .setLinkSpeed(link.linkSpeed())
              .setNpuLinkIndex(link.npuLinkIndex()));
    }
    return builder.build();
  }

  static dev.pvm.proto.placement.v1.MachineType machineType(MachineType type) {
    return dev.pvm.proto.placement.v1.MachineType.newBuilder()
        .setName(type.name())
        .setMaxVcpus(type.maxVcpus())
        .setMaxPhbIndex(type.maxPhbIndex())
        .setNvlink2(type.nvlink2())
        .addAllAliases(type.aliases())
        .setPhbPlacement(
            switch (type.phbPlacement()) {
              case LEGACY_2_7 -> PhbPlacementScheme.PHB_PLACEMENT_SCHEME_LEGACY_2_7;
              case NVLINK2_DISABLED -> PhbPlacementScheme.PHB_PLACEMENT_SCHEME_NVLINK2_DISABLED;
              case DEFAULT -> PhbPlacementScheme.PHB_PLACEMENT_SCHEME_DEFAULT;
            })
        .setPre51Associativity(type.pre51Associativity())
        .setPre52NumaAssociativity(type.pre52NumaAssociativity())
        .setVsmt(type.vsmt())
        .build();
  }

  private static PlacedDeviceRole role(DeviceRole role) {
    return switch (role) {
      case PCI -> PlacedDeviceRole.PLACED_DEVICE_ROLE_PCI;
      case NVLINK2_GPU -> PlacedDeviceRole.PLACED_DEVICE_ROLE_NVLINK2_GPU;
      case NVLINK2_BRIDGE -> PlacedDeviceRole.PLACED_DEVICE_ROLE_NVLINK2_BRIDGE;
    };
  }

  private static dev.pvm.proto.placement.v1.Window window(Window window) {
    return dev.pvm.proto.placement.v1.Window.newBuilder().setBase(window.base()).setSize(window.size()).build();
  }

  private static Associativity associativity(List<Integer> cells) {
    return Associativity.newBuilder().addAllCells(cells).build();
  }
}
