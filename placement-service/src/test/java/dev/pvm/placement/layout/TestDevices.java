package dev.pvm.placement.layout;

import dev.pvm.placement.numa.NumaNodeRequest;
import dev.pvm.placement.pci.HostDevice;
import dev.pvm.placement.pci.HostDeviceKind;
import dev.pvm.placement.pci.Nvlink2Properties;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds host device descriptions and layout requests for tests. */
final class TestDevices {
  static final long GIB = 1L << 30;
  static final long GPU_RAM = 128 * GIB;
  static final long ATSD_PAGE = 0x10000;
  static final int LINK_SPEED = 9;

  private TestDevices() {}

  static HostDevice gpu(String address, long tgt, int group) {
    return new HostDevice(
        address, 0x10de, 0x1db1, 0, group, HostDeviceKind.NVLINK2_GPU,
        Optional.of(new Nvlink2Properties(tgt, GPU_RAM, 0, 0)), 0, List.of());
  }

  static HostDevice bridge(String address, long tgt, int group) {
    return bridge(address, tgt, group, ATSD_PAGE);
  }

  static HostDevice bridge(String address, long tgt, int group, long atsdSize) {
    return new HostDevice(
        address, 0x1014, 0x04ea, 0, group, HostDeviceKind.NVLINK2_BRIDGE,
        Optional.of(new Nvlink2Properties(tgt, 0, atsdSize, LINK_SPEED)), 0, List.of());
  }

  static HostDevice plain(String address, int group) {
    return new HostDevice(address, 0x8086, 0x10d3, 0, group, HostDeviceKind.OTHER, Optional.empty(), 0, List.of());
  }

  static HostDevice at(HostDevice device, int devfn, Integer... bridgePath) {
    return new HostDevice(
        device.address(), device.vendorId(), device.deviceId(), device.headerType(), device.iommuGroup(),
        device.kind(), device.nvlink2(), devfn, List.of(bridgePath));
  }

  /** A request with one PHB carrying {@code devices} in list order. */
  static LayoutRequest onePhb(String machine, int index, List<HostDevice> devices) {
    return new LayoutRequest(
        machine, 2, 4096, List.of(),
        List.of(new PhbRequest(index, devices.stream().map(HostDevice::address).toList())), devices);
  }

  static LayoutRequest withNuma(LayoutRequest request, List<NumaNodeRequest> numa, int vcpus) {
    return new LayoutRequest(request.machine(), vcpus, request.memoryMib(), numa, request.phbs(), request.devices());
  }

  static LayoutRequest phbs(String machine, List<PhbRequest> phbs, List<HostDevice> devices) {
    return new LayoutRequest(machine, 2, 4096, List.of(), phbs, devices);
  }

  static List<HostDevice> concat(List<HostDevice> a, List<HostDevice> b) {
    List<HostDevice> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
