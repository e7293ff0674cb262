package dev.pvm.engine.api;

import dev.pvm.engine.devices.nvlink2.GpuSlot;
import dev.pvm.engine.devices.nvlink2.NvLink;
import dev.pvm.engine.devices.nvlink2.NvLink2Phb;
import dev.pvm.engine.devices.pci.AddressWindow;
import dev.pvm.engine.devices.pci.DeviceModel;
import dev.pvm.engine.devices.pci.PassthroughDevice;
import dev.pvm.engine.devices.pci.PciDeviceRole;
import dev.pvm.engine.devices.pci.PhbConfig;
import dev.pvm.engine.devices.pci.SimulatedConfigSpaces;
import dev.pvm.engine.machine.InvalidVmConfigException;
import dev.pvm.engine.memory.HostFileRange;
import dev.pvm.proto.common.v1.DeviceKind;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.proto.placement.v1.GuestLayout;
import dev.pvm.proto.placement.v1.PhbLayout;
import dev.pvm.proto.placement.v1.PlacedDevice;
import dev.pvm.proto.placement.v1.Window;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The layout's PHBs and the reserved host devices to the engine's {@link PhbConfig}s: every window, devfn,
 * phandle, NUMA id and NVLink2 address is placement's, used as given; the host devices supply what to map
 * (their backing files) and their identity. Errors name the request field.
 *
 * <p>A request whose devices come from a real host (device-service publishes NVLink2 backings as the VFIO group
 * file {@code /dev/vfio/N}) gets every device through VFIO: the engine opens the groups itself and reaches config
 * space and regions through the device fds. A simulated host's devices get the engine's config models and their
 * backing files.
 */
public final class PciLayoutMapper {

    private PciLayoutMapper() {
    }

    /**
     * @throws InvalidVmConfigException for a placed device the request does not describe, a device behind a
     *                                  guest PCI-to-PCI bridge, a region whose size disagrees with the layout, or
     *                                  a real-host device without an IOMMU group (or another group than its
     *                                  backing names)
     */
    public static List<PhbConfig> toPhbs(GuestLayout layout, List<HostPciDevice> hostDevices) {
        Map<String, Integer> byAddress = new HashMap<>();
        for (int j = 0; j < hostDevices.size(); j++) {
            if (byAddress.put(hostDevices.get(j).getAddress(), j) != null) {
                throw new InvalidVmConfigException("devices[" + j + "].address", "device "
                        + hostDevices.get(j).getAddress() + " is listed twice");
            }
        }
        boolean realHost = hostDevices.stream().anyMatch(PciLayoutMapper::vfioBacked);
        List<PhbConfig> phbs = new ArrayList<>();
        for (int i = 0; i < layout.getPhbsCount(); i++) {
            phbs.add(phb("layout.phbs[" + i + "]", layout.getPhbs(i), hostDevices, byAddress, realHost));
        }
        return phbs;
    }

    private static boolean vfioBacked(HostPciDevice d) {
        return d.hasNvlink2() && HostFileRange.isVfioGroup(Path.of(d.getNvlink2().getBackingPath()));
    }

    private static PhbConfig phb(String field, PhbLayout p, List<HostPciDevice> hostDevices,
            Map<String, Integer> byAddress, boolean realHost) {
        if (!p.getPciBridgesList().isEmpty()) {
            throw new InvalidVmConfigException(field + ".pci_bridges", "devices behind guest PCI-to-PCI bridges "
                    + "are not implemented in the engine");
        }
        List<PassthroughDevice> devices = new ArrayList<>();
        for (int k = 0; k < p.getDevicesCount(); k++) {
            PlacedDevice placed = p.getDevices(k);
            int j = hostIndex(field + ".devices[" + k + "].host_address", placed.getHostAddress(), byAddress);
            devices.add(device("devices[" + j + "]", placed, hostDevices.get(j), realHost));
        }
        Optional<NvLink2Phb> nvlink2 = Optional.empty();
        if (p.getNv2Ram().getSize() != 0 && p.getNv2Atsd().getSize() != 0 && p.getGpuSlotsCount() > 0) {
            nvlink2 = Optional.of(nvlink2(field, p, hostDevices, byAddress));
        }
        return new PhbConfig(p.getIndex(), p.getBuid(), p.getLiobnsList(), window(p.getPio()),
                window(p.getMmio32()), p.getMmio32BusAddress(), window(p.getMmio64()), p.getMmio64BusAddress(),
                window(p.getDma32()), devices, nvlink2, p.getWarningsList());
    }

    private static int hostIndex(String field, String address, Map<String, Integer> byAddress) {
        Integer j = byAddress.get(address);
        if (j == null) {
            throw new InvalidVmConfigException(field, "the layout places " + address
                    + ", which the request's devices do not describe");
        }
        return j;
    }

    private static PassthroughDevice device(String field, PlacedDevice placed, HostPciDevice host,
            boolean realHost) {
        if (!placed.getBridgePathList().isEmpty()) {
            throw new InvalidVmConfigException(field + ".guest_bridge_path", "device " + host.getAddress()
                    + " sits behind a guest PCI-to-PCI bridge, which the engine does not implement");
        }
        DeviceModel model = switch (host.getKind()) {
            case DEVICE_KIND_NVLINK2_GPU -> DeviceModel.TESLA_V100;
            case DEVICE_KIND_NVLINK2_BRIDGE -> DeviceModel.NPU2_BRIDGE;
            default -> DeviceModel.PLAIN;
        };
        OptionalInt vfioGroup = OptionalInt.empty();
        if (realHost) {
            vfioGroup = OptionalInt.of(vfioGroup(field, host));
        } else if (model == DeviceModel.TESLA_V100) {
            try {
                SimulatedConfigSpaces.teslaV100(host.getDeviceId(), false);
            } catch (IllegalArgumentException e) {
                throw new InvalidVmConfigException(field + ".device_id", e.getMessage(), e);
            }
        }
        PciDeviceRole role = switch (placed.getRole()) {
            case PLACED_DEVICE_ROLE_NVLINK2_GPU -> PciDeviceRole.NVLINK2_GPU;
            case PLACED_DEVICE_ROLE_NVLINK2_BRIDGE -> PciDeviceRole.NVLINK2_BRIDGE;
            default -> PciDeviceRole.PCI;
        };
        if (placed.getDevfn() > 0xff) {
            throw new InvalidVmConfigException(field, "guest devfn " + placed.getDevfn() + " is not 0..255");
        }
        return new PassthroughDevice(host.getAddress(), placed.getDevfn(), role, placed.getPhandle(),
                placed.getIommuGroup(), host.getVendorId(), host.getDeviceId(), host.getRevision(),
                host.getClassCode(), host.getHeaderType(), model, host.getNvlink2().getLinkIndex(), vfioGroup);
    }

    /** The IOMMU group of a real-host device: the engine opens /dev/vfio/N for it. */
    private static int vfioGroup(String field, HostPciDevice host) {
        if (host.getIommuGroup() < 0) {
            throw new InvalidVmConfigException(field + ".iommu_group", "device " + host.getAddress()
                    + " is in no IOMMU group: it cannot be passed through with VFIO");
        }
        if (vfioBacked(host)) {
            Path named = Path.of(host.getNvlink2().getBackingPath());
            if (!named.getFileName().toString().equals(Integer.toString(host.getIommuGroup()))) {
                throw new InvalidVmConfigException(field + ".nvlink2.backing_path", "device " + host.getAddress()
                        + " is in IOMMU group " + host.getIommuGroup() + " but its backing names " + named);
            }
        }
        return host.getIommuGroup();
    }

    private static NvLink2Phb nvlink2(String field, PhbLayout p, List<HostPciDevice> hostDevices,
            Map<String, Integer> byAddress) {
        List<GpuSlot> slots = new ArrayList<>();
        for (int s = 0; s < p.getGpuSlotsCount(); s++) {
            dev.pvm.proto.placement.v1.GpuSlot slot = p.getGpuSlots(s);
            String slotField = field + ".gpu_slots[" + s + "]";
            int gj = hostIndex(slotField + ".gpu_address", slot.getGpuAddress(), byAddress);
            HostPciDevice gpu = hostDevices.get(gj);
            if (gpu.getNvlink2().getGpuRamSize() != slot.getRam().getSize()) {
                throw new InvalidVmConfigException(slotField + ".ram", String.format("the layout gives GPU %s "
                        + "0x%x bytes of RAM, its region has 0x%x", gpu.getAddress(), slot.getRam().getSize(),
                        gpu.getNvlink2().getGpuRamSize()));
            }
            List<NvLink> links = new ArrayList<>();
            for (int l = 0; l < slot.getLinksCount(); l++) {
                dev.pvm.proto.placement.v1.NvLink link = slot.getLinks(l);
                String linkField = slotField + ".links[" + l + "]";
                HostPciDevice bridge = hostDevices.get(hostIndex(linkField + ".bridge_address",
                        link.getBridgeAddress(), byAddress));
                Optional<HostFileRange> atsd = Optional.empty();
                if (link.getAtsdGpa() != 0) {
                    if (bridge.getNvlink2().getAtsdSize() != link.getAtsdSize()) {
                        throw new InvalidVmConfigException(linkField + ".atsd_size", String.format("the layout "
                                + "maps 0x%x bytes of ATSD for %s, its region has 0x%x", link.getAtsdSize(),
                                bridge.getAddress(), bridge.getNvlink2().getAtsdSize()));
                    }
                    atsd = Optional.of(backing("devices[" + byAddress.get(bridge.getAddress()) + "]", bridge,
                            link.getAtsdSize()));
                }
                links.add(new NvLink(link.getLink(), link.getBridgeAddress(), link.getBridgeDevfn(),
                        link.getBridgePhandle(), link.getLinkPhandle(), link.getNpuLinkIndex(), link.getLinkSpeed(),
                        link.getAtsdGpa(), atsd));
            }
            slots.add(new GpuSlot(slot.getSlot(), slot.getTgt(), slot.getGpuAddress(), slot.getGpuDevfn(),
                    slot.getGpuPhandle(), window(slot.getRam()), slot.getRamPhandle(), slot.getNumaId(),
                    slot.getAssociativity().getCellsList(), slot.getNpuPhandlesList(), links,
                    backing("devices[" + gj + "]", gpu, slot.getRam().getSize())));
        }
        List<Long> atsd = p.getMmioAtsdAdvertised() ? p.getMmioAtsdList() : List.of();
        Optional<String> warning = p.getAtsdWarning().isEmpty() ? Optional.empty() : Optional.of(p.getAtsdWarning());
        try {
            return new NvLink2Phb(window(p.getNv2Ram()), window(p.getNv2Atsd()), slots, atsd, warning);
        } catch (IllegalArgumentException e) {
            throw new InvalidVmConfigException(field + ".mmio_atsd", e.getMessage(), e);
        }
    }

    private static HostFileRange backing(String field, HostPciDevice device, long size) {
        if (device.getNvlink2().getBackingPath().isEmpty()) {
            throw new InvalidVmConfigException(field + ".nvlink2.backing_path", "device " + device.getAddress()
                    + " has no backing file to map");
        }
        try {
            return new HostFileRange(Path.of(device.getNvlink2().getBackingPath()),
                    device.getNvlink2().getBackingOffset(), size);
        } catch (IllegalArgumentException e) {
            throw new InvalidVmConfigException(field + ".nvlink2", e.getMessage(), e);
        }
    }

    private static AddressWindow window(Window w) {
        return new AddressWindow(w.getBase(), w.getSize());
    }
}
