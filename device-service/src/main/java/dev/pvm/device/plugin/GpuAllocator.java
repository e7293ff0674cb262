package dev.pvm.device.plugin;

import dev.pvm.device.host.HostDevice;
import dev.pvm.device.host.NvLink2Details;
import dev.pvm.device.host.PciAddress;
import dev.pvm.device.plugin.v1beta1.ContainerAllocateResponse;
import dev.pvm.device.plugin.v1beta1.DeviceSpec;
import dev.pvm.device.plugin.v1beta1.Mount;
import dev.pvm.device.reservation.ReservationBook;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Decides what a container that the kubelet gives GPUs receives, and which GPUs it should prefer.
 *
 * <p>Which GPUs a VM gets is decided before its pod exists: the gateway reserves the addresses the VM names
 * (device-service Reserve) and computes the guest layout from them. The kubelet only counts units of the resource,
 * so the plugin steers it to that choice: GetPreferredAllocation offers the GPUs of a VM whose reservation has the
 * requested size and has not been handed to a container yet, and Allocate accepts exactly one VM's reserved GPUs
 * (refusing a mix, or GPUs no VM reserved, rather than giving a VM other GPUs than its layout was made for).
 *
 * <p>A container gets: the VFIO container and group device nodes on a VFIO host; the directory of the simulated
 * GPU RAM / ATSD backing files when they live in the service's data directory; and the GPUs' identities as
 * environment variables ({@link #ENV_VM_ID}, {@link #ENV_GPUS}, {@link #ENV_VFIO_GROUPS}, {@link #ENV_GPU_PREFIX}n).
 */
final class GpuAllocator {
  static final String ENV_VM_ID = "PVM_VM_ID";
  static final String ENV_GPUS = "PVM_NVLINK2_GPUS";
  static final String ENV_VFIO_GROUPS = "PVM_VFIO_GROUPS";
  static final String ENV_GPU_PREFIX = "PVM_NVLINK2_GPU_";
  /** Where device nodes appear in the container: where the engine expects them (backing paths name them). */
  static final Path CONTAINER_VFIO_DIRECTORY = Path.of("/dev/vfio");

  private final Map<String, PluginGpu> gpus = new LinkedHashMap<>();
  private final ReservationBook reservations;
  private final Optional<Path> vfioDirectory;
  private final Path dataDirectory;
  private final Path hostDataDirectory;
  /** GPU id -> the VM it was handed to by Allocate; forgotten when the VM's reservation is released. */
  private final Map<String, String> handedOut = new ConcurrentHashMap<>();

  /**
   * @param vfioDirectory the host's VFIO device directory; empty on a simulated host (no device nodes)
   * @param dataDirectory device-service's data directory as this process sees it
   * @param hostDataDirectory the same directory's path on the host
   */
  GpuAllocator(List<PluginGpu> gpus, ReservationBook reservations, Optional<Path> vfioDirectory,
      Path dataDirectory, Path hostDataDirectory) {
    gpus.forEach(g -> this.gpus.put(g.id(), g));
    this.reservations = reservations;
    this.vfioDirectory = vfioDirectory;
    this.dataDirectory = dataDirectory.toAbsolutePath().normalize();
    this.hostDataDirectory = hostDataDirectory.toAbsolutePath().normalize();
  }

  /** A reservation changed: a released GPU may be handed out again. */
  void reservationChanged(PciAddress address, Optional<String> holder) {
    if (holder.isEmpty()) {
      handedOut.remove(address.toString());
    }
  }

  /**
   * A preferred set of {@code size} GPUs out of {@code available} including {@code mustInclude}: the GPUs of the
   * first VM (in GPU address order) whose reserved GPUs fit exactly and were not handed out yet; otherwise the
   * must-include GPUs topped up from the available ones, NUMA node of the first chosen one first.
   */
  List<String> preferred(List<String> available, List<String> mustInclude, int size) {
    Set<String> availableSet = new LinkedHashSet<>(available);
    Map<String, List<String>> byVm = new TreeMap<>();
    reservedGpusByVm().forEach((vm, ids) -> byVm.put(ids.getFirst() + " " + vm, ids));
    for (List<String> ids : byVm.values()) {
      boolean pending = ids.stream().noneMatch(handedOut::containsKey);
      if (pending && ids.size() == size && availableSet.containsAll(ids) && ids.containsAll(mustInclude)) {
        return ids;
      }
    }
    List<String> chosen = new ArrayList<>(mustInclude);
    int numa = chosen.isEmpty() ? Integer.MIN_VALUE : numaOf(chosen.getFirst());
    available.stream()
        .filter(id -> !chosen.contains(id))
        .sorted(Comparator.comparing((String id) -> numa != Integer.MIN_VALUE && numaOf(id) != numa))
        .limit(Math.max(0, size - chosen.size()))
        .forEach(chosen::add);
    return chosen;
  }

  /** What the container that gets {@code ids} receives; records the GPUs as handed out to their VM. */
  ContainerAllocateResponse allocate(List<String> ids) {
    if (ids.isEmpty()) {
      throw new AllocationRefusedException("no device IDs to allocate");
    }
    List<PluginGpu> chosen = new ArrayList<>();
    for (String id : ids) {
      PluginGpu gpu = gpus.get(id);
      if (gpu == null) {
        throw new AllocationRefusedException("unknown device ID '" + id + "'; this host's NVLink2 GPUs are "
            + gpus.keySet());
      }
      chosen.add(gpu);
    }
    Map<String, String> holders = new TreeMap<>();
    for (PluginGpu gpu : chosen) {
      holders.put(gpu.id(), reservations.holder(gpu.gpu().address()).orElse(null));
    }
    Set<String> vms = holders.values().stream().filter(java.util.Objects::nonNull)
        .collect(Collectors.toCollection(LinkedHashSet::new));
    List<String> unreserved = holders.entrySet().stream().filter(e -> e.getValue() == null)
        .map(Map.Entry::getKey).toList();
    if (!unreserved.isEmpty()) {
      throw new AllocationRefusedException("GPU(s) " + unreserved + " are reserved by no VM: pvm GPUs go to the "
          + "engine pods of VMs started through the pvm API, which reserves them first");
    }
    if (vms.size() > 1) {
      throw new AllocationRefusedException("GPUs " + ids + " are reserved by different VMs " + holders
          + ": one engine container gets one VM's GPUs");
    }
    String vm = vms.iterator().next();
    List<String> vmGpus = reservedGpusByVm().getOrDefault(vm, List.of());
    if (!new LinkedHashSet<>(ids).equals(new LinkedHashSet<>(vmGpus))) {
      throw new AllocationRefusedException("VM " + vm + " reserved GPUs " + vmGpus + " but the kubelet allocated "
          + ids + " to its container");
    }
    chosen.forEach(g -> handedOut.put(g.id(), vm));
    return response(vm, chosen);
  }

  private ContainerAllocateResponse response(String vm, List<PluginGpu> chosen) {
    ContainerAllocateResponse.Builder response = ContainerAllocateResponse.newBuilder();
    response.putEnvs(ENV_VM_ID, vm);
    response.putEnvs(ENV_GPUS, chosen.stream().map(PluginGpu::id).collect(Collectors.joining(",")));
    response.putEnvs(ENV_VFIO_GROUPS,
        chosen.stream().map(g -> Integer.toString(g.iommuGroup())).collect(Collectors.joining(",")));
    for (int i = 0; i < chosen.size(); i++) {
      response.putEnvs(ENV_GPU_PREFIX + i, describe(chosen.get(i)));
    }
    vfioDirectory.ifPresent(dir -> {
      // VFIO: the container node opens the IOMMU container, a group node the group's devices (Linux
      // Documentation/driver-api/vfio.rst); both need read and write.
      response.addDevices(deviceSpec(dir, "vfio"));
      chosen.stream().map(PluginGpu::iommuGroup).distinct()
          .forEach(group -> response.addDevices(deviceSpec(dir, Integer.toString(group))));
    });
    sharedDirectories(chosen).forEach(dir -> response.addMounts(Mount.newBuilder()
        .setContainerPath(dir.toString())
        .setHostPath(hostDataDirectory.resolve(dataDirectory.relativize(dir)).toString())
        .setReadOnly(false)));
    return response.build();
  }

  private static DeviceSpec deviceSpec(Path hostDirectory, String name) {
    return DeviceSpec.newBuilder()
        .setContainerPath(CONTAINER_VFIO_DIRECTORY.resolve(name).toString())
        .setHostPath(hostDirectory.resolve(name).toString())
        .setPermissions("rw")
        .build();
  }

  /** Directories of region backing files kept in the data directory (simulated GPU RAM and ATSD pages). */
  private Set<Path> sharedDirectories(List<PluginGpu> chosen) {
    Set<Path> dirs = new LinkedHashSet<>();
    for (PluginGpu gpu : chosen) {
      for (HostDevice member : gpu.group()) {
        member.nvlink2().map(NvLink2Details::backingPath).filter(p -> !p.isEmpty())
            .map(p -> Path.of(p).toAbsolutePath().normalize())
            .filter(p -> p.startsWith(dataDirectory))
            .ifPresent(p -> dirs.add(p.getParent()));
      }
    }
    return dirs;
  }

  /** One GPU's identity for the engine: address, group, NUMA node, NVLink2 facts, bridges. */
  private static String describe(PluginGpu gpu) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("address", gpu.id());
    fields.put("iommu-group", Integer.toString(gpu.iommuGroup()));
    fields.put("numa-node", Integer.toString(gpu.gpu().numaNode()));
    gpu.gpu().nvlink2().ifPresent(n -> {
      fields.put("tgt", "0x" + Long.toHexString(n.tgt()));
      fields.put("ram-size", Long.toString(n.gpuRamSize()));
    });
    fields.put("bridges", gpu.bridges().stream().map(b -> b.address().toString()).collect(Collectors.joining(",")));
    return fields.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
  }

  /** VM -> its reserved NVLink2 GPUs of this plugin, in address order. */
  private Map<String, List<String>> reservedGpusByVm() {
    Map<String, List<String>> byVm = new TreeMap<>();
    reservations.holders().forEach((address, vm) -> {
      if (gpus.containsKey(address.toString())) {
        byVm.computeIfAbsent(vm, v -> new ArrayList<>()).add(address.toString());
      }
    });
    return byVm;
  }

  private int numaOf(String id) {
    PluginGpu gpu = gpus.get(id);
    return gpu == null ? -1 : gpu.gpu().numaNode();
  }
}
