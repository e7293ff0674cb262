package dev.pvm.gateway.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pvm.proto.placement.v1.Associativity;
import dev.pvm.proto.placement.v1.GpuSlot;
import dev.pvm.proto.placement.v1.GuestLayout;
import dev.pvm.proto.placement.v1.NamedCells;
import dev.pvm.proto.placement.v1.NumaNodeLayout;
import dev.pvm.proto.placement.v1.NvLink;
import dev.pvm.proto.placement.v1.PhbLayout;
import dev.pvm.proto.placement.v1.PlacedDevice;
import dev.pvm.proto.placement.v1.Window;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A guest layout as JSON. Every address, size and other 64-bit quantity (base, size, buid, tgt, ATSD addresses)
 * is a 0x-prefixed lower-case hex string; ids, indexes, phandles and cells are numbers.
 */
@Schema(description = "A guest layout as placement-service computed it. Addresses and sizes are 0x-prefixed "
        + "lower-case hex strings.")
public record LayoutView(
        @Schema(description = "Machine type the layout is for.", example = "pseries-4.1") String machine,
        @Schema(description = "Guest RAM per NUMA node, in node order.") List<NumaNodeView> numaNodes,
        @Schema(description = "For each vCPU index, its NUMA node id.", example = "[0, 1]") List<Long> cpuNode,
        @Schema(description = "Every PHB, the default one (index 0) included, in index order.") List<PhbView> phbs,
        @Schema(description = "/rtas ibm,associativity-reference-points cells.", example = "[4, 4, 2]")
                List<Long> associativityReferencePoints,
        @Schema(description = "/rtas ibm,max-associativity-domains cells.") List<Long> maxAssociativityDomains,
        @Schema(description = "Per vCPU index, its ibm,associativity cells (the first is the count).")
                List<List<Long>> cpuAssociativity,
        @Schema(description = "Other /rtas NUMA properties by name.") List<NamedCellsView> rtasProperties) {

    @Schema(description = "A window of guest-physical (or PCI bus) addresses; size 0x0 means absent.")
    public record WindowView(
            @Schema(description = "First address.", example = "0x200000000000") String base,
            @Schema(description = "Size in bytes.", example = "0x80000000") String size) {}

    @Schema(description = "One guest NUMA node.")
    public record NumaNodeView(
            @Schema(description = "Node id the guest sees.", example = "0") long nodeId,
            @Schema(description = "The node's RAM.") WindowView ram,
            @Schema(description = "ibm,associativity of the node's memory@ node.") List<Long> associativity,
            @Schema(description = "vCPU indexes in the node.") List<Long> cpus) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @Schema(description = "One sPAPR PCI host bridge.")
    public record PhbView(
            @Schema(description = "PHB index.", example = "1") long index,
            @Schema(description = "Bus unit id.", example = "0x800000020000001") String buid,
            @Schema(description = "LIOBNs of the DMA windows.", example = "[2147483649]") List<Long> liobns,
            @Schema(description = "PIO window.") WindowView pio,
            @Schema(description = "32-bit MMIO window (PCI bus address 0x80000000).") WindowView mmio32,
            @Schema(description = "64-bit MMIO window.") WindowView mmio64,
            @Schema(description = "NVLink2 GPU-RAM window (size 0x0 where the machine disables NVLink2).")
                    WindowView nv2Ram,
            @Schema(description = "NVLink2 ATSD window (size 0x0 where the machine disables NVLink2).")
                    WindowView nv2Atsd,
            @Schema(description = "Whether ibm,mmio-atsd is advertised.") boolean mmioAtsdAdvertised,
            @Schema(description = "Addresses listed in ibm,mmio-atsd (at most 8).") List<String> mmioAtsd,
            @Schema(description = "Why ibm,mmio-atsd is not advertised, when it is not.") String atsdWarning,
            @Schema(description = "NVLink2 GPU slots in slot order.") List<GpuSlotView> gpuSlots,
            @Schema(description = "Devices on this PHB.") List<PlacedDeviceView> devices) {}

    @Schema(description = "One NVLink2 GPU slot with its links.")
    public record GpuSlotView(
            @Schema(description = "Slot index (0..5).", example = "0") long slot,
            @Schema(description = "The GPU's tgt.", example = "0x400000000000") String tgt,
            @Schema(description = "Host PCI address of the GPU; empty for a bridge-only slot.",
                    example = "0004:04:00.0") String gpuAddress,
            @Schema(description = "Guest window of the GPU's RAM.") WindowView ram,
            @Schema(description = "NUMA node id of the GPU's memory.", example = "1") long numaId,
            @Schema(description = "ibm,associativity of the GPU memory@ node.") List<Long> associativity,
            @Schema(description = "phandle of the GPU's PCI node.") long gpuPhandle,
            @Schema(description = "phandle of the GPU memory@ node.") long ramPhandle,
            @Schema(description = "The GPU's links.") List<NvLinkView> links) {}

    @Schema(description = "One NVLink2 link.")
    public record NvLinkView(
            @Schema(description = "Link index within the slot.", example = "0") long link,
            @Schema(description = "Host PCI address of the NPU bridge.", example = "0007:00:00.0")
                    String bridgeAddress,
            @Schema(description = "phandle of the bridge's PCI node.") long bridgePhandle,
            @Schema(description = "phandle of /npuphbN/link@N.") long linkPhandle,
            @Schema(description = "Guest address of the bridge's ATSD page (0x0 when none).") String atsdGpa,
            @Schema(description = "ibm,nvlink-speed.", example = "9") long linkSpeed) {}

    @Schema(description = "A device placed on a PHB.")
    public record PlacedDeviceView(
            @Schema(description = "Host PCI address.", example = "0004:04:00.0") String hostAddress,
            @Schema(description = "Guest devfn (device << 3 | function).", example = "8") long devfn,
            @Schema(description = "Devfns of the guest bridges above it, outermost first.") List<Long> bridgePath,
            @Schema(description = "phandle of the device node (NVLink2 devices only; 0 otherwise).") long phandle) {}

    @Schema(description = "A named list of cells.")
    public record NamedCellsView(
            @Schema(description = "Property name.", example = "ibm,current-associativity-domains") String name,
            @Schema(description = "Cells.") List<Long> cells) {}

    public static LayoutView of(GuestLayout layout) {
        return new LayoutView(
                layout.getMachine(),
                layout.getNumaNodesList().stream().map(LayoutView::numaNode).toList(),
                cells(layout.getCpuNodeList()),
                layout.getPhbsList().stream().map(LayoutView::phb).toList(),
                cells(layout.getAssociativityReferencePointsList()),
                cells(layout.getMaxAssociativityDomainsList()),
                layout.getCpuAssociativityList().stream().map(LayoutView::cells).toList(),
                layout.getRtasPropertiesList().stream().map(LayoutView::named).toList());
    }

    private static NumaNodeView numaNode(NumaNodeLayout n) {
        return new NumaNodeView(u32(n.getNodeId()), window(n.getRam()), cells(n.getAssociativity()),
                cells(n.getCpusList()));
    }

    private static PhbView phb(PhbLayout p) {
        return new PhbView(u32(p.getIndex()), hex(p.getBuid()), cells(p.getLiobnsList()), window(p.getPio()),
                window(p.getMmio32()), window(p.getMmio64()), window(p.getNv2Ram()), window(p.getNv2Atsd()),
                p.getMmioAtsdAdvertised(), p.getMmioAtsdList().stream().map(LayoutView::hex).toList(),
                p.getAtsdWarning(), p.getGpuSlotsList().stream().map(LayoutView::slot).toList(),
                p.getDevicesList().stream().map(LayoutView::device).toList());
    }

    private static GpuSlotView slot(GpuSlot s) {
        return new GpuSlotView(u32(s.getSlot()), hex(s.getTgt()), s.getGpuAddress(), window(s.getRam()),
                u32(s.getNumaId()), cells(s.getAssociativity()), u32(s.getGpuPhandle()), u32(s.getRamPhandle()),
                s.getLinksList().stream().map(LayoutView::link).toList());
    }

    private static NvLinkView link(NvLink l) {
        return new NvLinkView(u32(l.getLink()), l.getBridgeAddress(), u32(l.getBridgePhandle()),
                u32(l.getLinkPhandle()), hex(l.getAtsdGpa()), u32(l.getLinkSpeed()));
    }

    private static PlacedDeviceView device(PlacedDevice d) {
        return new PlacedDeviceView(d.getHostAddress(), u32(d.getDevfn()), cells(d.getBridgePathList()),
                u32(d.getPhandle()));
    }

    private static NamedCellsView named(NamedCells n) {
        return new NamedCellsView(n.getName(), cells(n.getCellsList()));
    }

    private static WindowView window(Window w) {
        return new WindowView(hex(w.getBase()), hex(w.getSize()));
    }

    private static List<Long> cells(Associativity a) {
        return cells(a.getCellsList());
    }

    /** proto uint32 arrives as a (possibly negative) Java int; JSON shows the unsigned value. */
    private static List<Long> cells(List<Integer> values) {
        return values.stream().map(LayoutView::u32).toList();
    }

    private static long u32(int value) {
        return Integer.toUnsignedLong(value);
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
