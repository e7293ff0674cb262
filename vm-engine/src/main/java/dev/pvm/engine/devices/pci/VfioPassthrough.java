package dev.pvm.engine.devices.pci;

import dev.pvm.engine.memory.DeviceMemoryRegion;
import dev.pvm.vfio.NvLink2Regions;
import dev.pvm.vfio.RegionInfo;
import dev.pvm.vfio.Vfio;
import dev.pvm.vfio.VfioContainer;
import dev.pvm.vfio.VfioDevice;
import dev.pvm.vfio.VfioException;
import dev.pvm.vfio.VfioGroup;
import dev.pvm.vfio.VfioKernel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The VM's hold on its passed-through devices on a real host, the way QEMU's vfio-pci takes them (hw/vfio/common.c
 * vfio_get_group, vfio_connect_container, vfio_get_device): one container for the VM, every group opened once and
 * attached to it, the IOMMU type set once the first group is in, each device's fd from VFIO_GROUP_GET_DEVICE_FD
 * with its config region's info. Config space is then reached with pread/pwrite on the device fd
 * ({@link VfioConfigRegion}) and NVLink2 GPU RAM and ATSD pages with mmap of it ({@link #mapNvLink2}).
 *
 * <p>Device-service only discovers and reserves the devices; the group files are this process's while the VM
 * exists. {@link #close} gives everything back (devices, groups, container), so a stopped, reset-to-new or exited
 * engine leaves the groups free for the next VM.
 */
public final class VfioPassthrough implements AutoCloseable {

    /** A device the VM holds: its fd and its config region. */
    private record HeldDevice(VfioDevice device, int group, RegionInfo config) {
    }

    private final VfioKernel kernel;
    private final Optional<VfioContainer> container;
    private final Map<Integer, VfioGroup> groups;
    private final Map<String, HeldDevice> devices;

    private VfioPassthrough(VfioKernel kernel, Optional<VfioContainer> container, Map<Integer, VfioGroup> groups,
            Map<String, HeldDevice> devices) {
        this.kernel = kernel;
        this.container = container;
        this.groups = groups;
        this.devices = devices;
    }

    /**
     * Takes every device of {@code phbs} that has a VFIO group; with none, returns an instance that holds nothing
     * and never asks for the kernel.
     *
     * @param kernel the host's VFIO (libc on a real host; a simulated kernel in tests)
     * @throws PassthroughUnavailableException naming the device and group: VFIO missing, a group busy (held by
     *                                         another process) or not viable, a device not in its group
     */
    public static VfioPassthrough open(Supplier<VfioKernel> kernel, List<PhbConfig> phbs) {
        Map<Integer, List<String>> byGroup = new LinkedHashMap<>();
        for (PhbConfig phb : phbs) {
            for (PassthroughDevice d : phb.devices()) {
                d.vfioGroup().ifPresent(g -> byGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(d.hostAddress()));
            }
        }
        if (byGroup.isEmpty()) {
            return none();
        }
        VfioKernel k = kernel.get();
        Map.Entry<Integer, List<String>> first = byGroup.entrySet().iterator().next();
        VfioContainer container;
        try {
            container = VfioContainer.open(k);
        } catch (VfioException e) {
            throw unavailable(first.getValue(), first.getKey(), e.getMessage(), e);
        }
        VfioPassthrough held = new VfioPassthrough(k, Optional.of(container), new LinkedHashMap<>(),
                new LinkedHashMap<>());
        try {
            for (Map.Entry<Integer, List<String>> g : byGroup.entrySet()) {
                held.attach(g.getKey(), g.getValue());
            }
            try {
                container.setIommu();
            } catch (VfioException e) {
                throw unavailable(first.getValue(), first.getKey(), "cannot set the container's IOMMU type: "
                        + e.getMessage(), e);
            }
            for (Map.Entry<Integer, List<String>> g : byGroup.entrySet()) {
                for (String address : g.getValue()) {
                    held.takeDevice(g.getKey(), address);
                }
            }
            return held;
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /** Holds nothing: a VM without real-host devices. */
    public static VfioPassthrough none() {
        return new VfioPassthrough(null, Optional.empty(), new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    private void attach(int number, List<String> addresses) {
        VfioGroup group;
        try {
            group = VfioGroup.open(kernel, number);
        } catch (VfioException e) {
            throw unavailable(addresses, number, e.getMessage(), e);
        }
        groups.put(number, group);
        try {
            group.attach(container.orElseThrow());
        } catch (VfioException e) {
            throw unavailable(addresses, number, "cannot attach " + Vfio.groupPath(number)
                    + " to the VM's container: " + e.getMessage(), e);
        }
    }

    private void takeDevice(int number, String address) {
        VfioDevice device;
        try {
            device = groups.get(number).device(address);
        } catch (VfioException e) {
            throw unavailable(List.of(address), number, "the kernel does not give device " + address
                    + " through IOMMU group " + number + " (is it in that group and bound to vfio-pci?): "
                    + e.getMessage(), e);
        }
        try {
            RegionInfo config = device.regionInfo(Vfio.PCI_CONFIG_REGION_INDEX);
            devices.put(address, new HeldDevice(device, number, config));
        } catch (VfioException e) {
            device.close();
            throw unavailable(List.of(address), number, "cannot read the config region's info: "
                    + e.getMessage(), e);
        }
    }

    /** Whether this VM holds any device through VFIO. */
    public boolean isEmpty() {
        return devices.isEmpty();
    }

    /**
     * The config space of a held device, through its config region.
     *
     * @param multifunction whether the guest slot holds more than one function (the header type bit QEMU emulates)
     * @throws IllegalArgumentException for a device this VM does not hold, or a config region that is not 256 or
     *                                  4096 bytes
     */
    public PciConfigSpace configSpace(String hostAddress, boolean multifunction) {
        HeldDevice d = held(hostAddress);
        return new VfioConfigRegion(d.device(), d.config(), multifunction);
    }

    /**
     * Maps a held device's NVLink2 region (GPU RAM for a GPU, the ATSD page for a bridge) at guest physical
     * {@code base}, as vfio_pci_nvidia_v100_ram_init / vfio_pci_nvlink2_init mmap it (spec 7.3, 7.4): the whole
     * region, shared, read-write.
     *
     * @param size the size the layout gives the region
     * @throws PassthroughUnavailableException when the device has no such region with the capabilities QEMU
     *                                         requires, its size is not the layout's, or the mmap fails
     */
    public DeviceMemoryRegion mapNvLink2(String name, String hostAddress, boolean gpu, long base, long size) {
        HeldDevice d = held(hostAddress);
        List<String> who = List.of(hostAddress);
        RegionInfo region;
        try {
            region = NvLink2Regions.find(d.device(), gpu).orElseThrow(() -> unavailable(who, d.group(),
                    "device " + hostAddress + " has no " + NvLink2Regions.describe(gpu), null));
        } catch (VfioException e) {
            throw unavailable(who, d.group(), "cannot read the regions of " + hostAddress + ": " + e.getMessage(), e);
        }
        if (region.size() != size) {
            throw unavailable(who, d.group(), String.format("the %s of %s is 0x%x bytes, the layout maps 0x%x",
                    NvLink2Regions.describe(gpu), hostAddress, region.size(), size), null);
        }
        VfioKernel.MappedRegion mapped;
        try {
            mapped = d.device().map(region);
        } catch (VfioException e) {
            throw unavailable(who, d.group(), "cannot map the " + NvLink2Regions.describe(gpu) + " of "
                    + hostAddress + ": " + e.getMessage(), e);
        }
        try {
            return DeviceMemoryRegion.of(name, base, mapped.segment(), mapped::close);
        } catch (RuntimeException e) {
            mapped.close();
            throw e;
        }
    }

    private HeldDevice held(String hostAddress) {
        HeldDevice d = devices.get(hostAddress);
        if (d == null) {
            throw new IllegalArgumentException("device " + hostAddress + " is not held through VFIO by this VM");
        }
        return d;
    }

    private static PassthroughUnavailableException unavailable(List<String> addresses, int group, String why,
            Throwable cause) {
        return new PassthroughUnavailableException(addresses.getFirst(), group, "cannot pass through "
                + String.join(", ", addresses) + " (IOMMU group " + group + "): " + why, cause);
    }

    /**
     * Closes every device fd, then the groups (which leave the container), then the container; the mappings of
     * {@link #mapNvLink2} belong to the address space and are unmapped with it, before this.
     */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (HeldDevice d : devices.values()) {
            closeCollecting(d.device(), failures);
        }
        devices.clear();
        for (VfioGroup g : groups.values()) {
            closeCollecting(g, failures);
        }
        groups.clear();
        container.ifPresent(c -> closeCollecting(c, failures));
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static void closeCollecting(AutoCloseable c, List<RuntimeException> failures) {
        try {
            c.close();
        } catch (RuntimeException e) {
            failures.add(e);
        } catch (Exception e) {
            failures.add(new IllegalStateException(e));
        }
    }
}
