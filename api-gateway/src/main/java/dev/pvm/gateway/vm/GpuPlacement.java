package dev.pvm.gateway.vm;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** Where a passed-through NVLink2 GPU landed in the guest, as the layout of the current run placed it. */
@Schema(description = "An NVLink2 GPU as the guest sees it. 64-bit values are 0x-prefixed lower-case hex strings.")
public record GpuPlacement(
        @Schema(description = "Host PCI address of the GPU.", example = "0004:04:00.0") String hostAddress,
        @Schema(description = "Index of the guest PHB the GPU is on.", example = "1") int phbIndex,
        @Schema(description = "Slot in the PHB's NVLink2 table.", example = "0") int slot,
        @Schema(description = "Guest-physical address of the GPU's RAM.", example = "0x10000000000") String ramAddress,
        @Schema(description = "Size of the GPU's RAM in bytes.", example = "0x400000000") String ramSize,
        @Schema(description = "Guest NUMA node id of the GPU's RAM.", example = "2") int numaNode,
        @Schema(description = "The GPU's NVLink2 links.") List<Link> links) {

    /** One NVLink2 link of the GPU, through an NPU bridge. */
    @Schema(description = "One NVLink2 link of a GPU.")
    public record Link(
            @Schema(description = "Link index within the slot.", example = "0") int link,
            @Schema(description = "Host PCI address of the NPU bridge.", example = "0007:00:00.0")
                    String bridgeAddress,
            @Schema(description = "Guest address of the bridge's ATSD page; 0x0 when it has none.",
                    example = "0x6000000000000") String atsdAddress,
            @Schema(description = "ibm,nvlink-speed.", example = "9") int speed) {}
}
