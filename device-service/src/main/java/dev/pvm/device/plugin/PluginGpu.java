package dev.pvm.device.plugin;

import dev.pvm.device.host.DeviceKind;
import dev.pvm.device.host.HostDevice;
import dev.pvm.device.host.HostInventory;
import java.util.List;

/**
 * One unit of the plugin's resource: an NVLink2 GPU with its whole IOMMU group (the GPU and its NPU bridges), since
 * VFIO hands a group to one container as a whole. The device ID the kubelet sees is the GPU's PCI address.
 *
 * @param gpu the GPU as discovered and probed at start
 * @param group every device of the GPU's IOMMU group, the GPU included, in address order
 */
public record PluginGpu(HostDevice gpu, List<HostDevice> group) {

  public PluginGpu {
    group = List.copyOf(group);
  }

  /** The NVLink2 GPUs of a host, in address order. */
  public static List<PluginGpu> of(HostInventory inventory) {
    return inventory.devices().stream()
        .filter(d -> d.kind() == DeviceKind.NVLINK2_GPU)
        .map(d -> new PluginGpu(d, inventory.groupOf(d.address()).stream()
            .map(a -> inventory.find(a).orElseThrow())
            .toList()))
        .toList();
  }

  public String id() {
    return gpu.address().toString();
  }

  public int iommuGroup() {
    return gpu.iommuGroup();
  }

  /** The group's NPU bridges (NVLink2 links), in address order. */
  public List<HostDevice> bridges() {
    return group.stream().filter(d -> d.kind() == DeviceKind.NVLINK2_BRIDGE).toList();
  }
}
