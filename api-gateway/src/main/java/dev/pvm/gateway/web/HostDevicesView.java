package dev.pvm.gateway.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.proto.common.v1.NvLink2Info;
import dev.pvm.proto.device.v1.Device;
import dev.pvm.proto.device.v1.ListDevicesResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The host's PCI devices as device-service reports them. 64-bit values and ids are 0x-prefixed hex strings. */
@Schema(description = "The host's PCI devices, with who holds them.")
public record HostDevicesView(
        @Schema(description = "Where the device list comes from: \"sysfs\" or \"simulated:<description>\".",
                example = "simulated:ac922") String hostSource,
        @Schema(description = "The devices.") List<DeviceView> devices) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "One host PCI function.")
    public record DeviceView(
            @Schema(description = "Host PCI address.", example = "0004:04:00.0") String address,
            @Schema(description = "PCI vendor id.", example = "0x10de") String vendorId,
            @Schema(description = "PCI device id.", example = "0x1db1") String deviceId,
            @Schema(description = "24-bit class code.", example = "0x030200") String classCode,
            @Schema(description = "Revision id.", example = "0xa1") String revision,
            @Schema(description = "What the platform recognises the device as.", example = "NVLINK2_GPU",
                    allowableValues = {"NVLINK2_GPU", "NVLINK2_BRIDGE", "GPU", "PCI_BRIDGE", "OTHER",
                        "UNSPECIFIED"}) String kind,
            @Schema(description = "Host NUMA node; -1 when the host does not say.", example = "0") int numaNode,
            @Schema(description = "Bound kernel driver; absent for none.", example = "vfio-pci") String driver,
            @Schema(description = "IOMMU group; -1 when in none.", example = "2") int iommuGroup,
            @Schema(description = "Id of the VM holding the device; absent when free.") String reservedBy,
            @Schema(description = "NVLink2 details; only for NVLink2 GPUs and NPU bridges.") NvLink2View nvlink2) {}

    @Schema(description = "NVLink2 properties as vfio-pci reports them.")
    public record NvLink2View(
            @Schema(description = "The GPU's tgt (compressed system address); ties bridges to their GPU.",
                    example = "0x400000000000") String tgt,
            @Schema(description = "GPUs: size of the GPU RAM region in bytes (0x0 for bridges).",
                    example = "0x400000000") String gpuRamSize,
            @Schema(description = "Bridges: size of the ATSD region in bytes (0x0 when none).", example = "0x10000")
                    String atsdSize,
            @Schema(description = "Bridges: link speed (e.g. 9 for 25 Gb/s).", example = "9") int linkSpeed,
            @Schema(description = "Bridges: link index on the NPU.", example = "0") int linkIndex) {}

    public static HostDevicesView of(ListDevicesResponse response) {
        return new HostDevicesView(response.getHostSource(),
                response.getDevicesList().stream().map(HostDevicesView::device).toList());
    }

    private static DeviceView device(Device device) {
        HostPciDevice pci = device.getPci();
        return new DeviceView(pci.getAddress(), hex(pci.getVendorId()), hex(pci.getDeviceId()),
                String.format("0x%06x", pci.getClassCode()), hex(pci.getRevision()),
                pci.getKind().name().replaceFirst("^DEVICE_KIND_", ""), pci.getNumaNode(),
                pci.getDriver().isEmpty() ? null : pci.getDriver(), pci.getIommuGroup(),
                device.getReservedBy().isEmpty() ? null : device.getReservedBy(),
                pci.hasNvlink2() ? nvlink2(pci.getNvlink2()) : null);
    }

    private static NvLink2View nvlink2(NvLink2Info info) {
        return new NvLink2View(hex(info.getTgt()), hex(info.getGpuRamSize()), hex(info.getAtsdSize()),
                info.getLinkSpeed(), info.getLinkIndex());
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    private static String hex(int value) {
        return "0x" + Integer.toHexString(value);
    }
}
