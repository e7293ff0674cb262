package dev.pvm.device.plugin;

import dev.pvm.device.host.HostDevice;
import dev.pvm.device.host.HostInventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether each GPU can still be handed to a container, from a fresh look at sysfs: the GPU and every member of its
 * IOMMU group are still there, bound to vfio-pci, in the same group, and (on a VFIO host) the group's device node
 * exists. A GPU unbound from vfio-pci (e.g. taken back by the nvidia driver) or gone after a PCI error is
 * unhealthy; the kubelet then stops counting it as allocatable.
 */
final class GpuHealthCheck {
  static final String VFIO_DRIVER = "vfio-pci";

  private final Supplier<HostInventory> rediscover;
  private final Optional<Path> vfioDirectory;

  /**
   * @param rediscover reads the host's sysfs again (the same discovery the service starts with)
   * @param vfioDirectory where group device nodes must exist; empty on a simulated host
   */
  GpuHealthCheck(Supplier<HostInventory> rediscover, Optional<Path> vfioDirectory) {
    this.rediscover = rediscover;
    this.vfioDirectory = vfioDirectory;
  }

  /** For each GPU id, why it is unhealthy; GPUs that are healthy are absent. */
  Map<String, String> problems(List<PluginGpu> gpus) {
    Map<String, String> problems = new LinkedHashMap<>();
    HostInventory now;
    try {
      now = rediscover.get();
    } catch (RuntimeException e) {
      gpus.forEach(g -> problems.put(g.id(), "host discovery failed: " + e.getMessage()));
      return problems;
    }
    for (PluginGpu gpu : gpus) {
      problemOf(gpu, now).ifPresent(p -> problems.put(gpu.id(), p));
    }
    return problems;
  }

  private Optional<String> problemOf(PluginGpu gpu, HostInventory now) {
    for (HostDevice member : gpu.group()) {
      Optional<HostDevice> current = now.find(member.address());
      if (current.isEmpty()) {
        return Optional.of(member.address() + " is no longer on the host");
      }
      if (!VFIO_DRIVER.equals(current.get().driver())) {
        return Optional.of(member.address() + " is bound to '" + current.get().driver() + "', not " + VFIO_DRIVER);
      }
      if (current.get().iommuGroup() != gpu.iommuGroup()) {
        return Optional.of(member.address() + " moved from IOMMU group " + gpu.iommuGroup() + " to "
            + current.get().iommuGroup());
      }
    }
    if (vfioDirectory.isPresent()) {
      Path node = vfioDirectory.get().resolve(Integer.toString(gpu.iommuGroup()));
      if (!Files.exists(node)) {
        return Optional.of("VFIO group device " + node + " is missing");
      }
    }
    return Optional.empty();
  }
}
