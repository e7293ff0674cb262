package dev.pvm.engine.machine.spapr;

import dev.pvm.engine.devices.pci.AddressWindow;
import dev.pvm.engine.devices.pci.PciBar;
import dev.pvm.engine.devices.pci.PciBarProbe;
import dev.pvm.engine.devices.pci.PciConfigSpace;
import dev.pvm.engine.devices.pci.PciFunction;
import dev.pvm.engine.devices.pci.PhbConfig;
import dev.pvm.engine.devices.pci.SpaprPhb;
import dev.pvm.engine.devices.pci.TceTable;
import dev.pvm.engine.fdt.FdtWriter;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The PHB nodes of the tree, as QEMU 4.1's {@code spapr_dt_phb} writes them, for each vPHB: the
 * {@code pci@<buid>} node with its windows and device children ({@code spapr_dt_pci_device}), then the
 * PHB's NVLink2 root nodes ({@link NvLink2TreeNodes}).
 *
 * <p>What the engine does not implement is left out rather than faked: no {@code interrupt-map},
 * {@code #interrupt-cells} or per-device {@code interrupts} (device interrupts are not wired), no
 * {@code ibm,pe-total-#msi} or {@code ibm,req#msi}/{@code ibm,req#msi-x} (no MSI), no {@code ibm,ddw-*} (no
 * dynamic DMA window RTAS calls), no DRC properties (no hotplug). The default DMA window is there
 * ({@code ibm,dma-window}, served by the TCE hypercalls).
 */
final class SpaprPhbNodes {

    /** PAPR "ibm,pci-config-space-type" 1: extended (4 KiB) config space reachable through RTAS. */
    private static final int CONFIG_SPACE_EXTENDED = 1;

    private SpaprPhbNodes() {
    }

    static void write(FdtWriter fdt, List<SpaprPhb> phbs) {
        for (SpaprPhb phb : phbs) {
            phbNode(fdt, phb);
            phb.config().nvlink2().ifPresent(nv -> NvLink2TreeNodes.rootNodes(fdt, phb.config().index(), nv));
        }
    }

    private static void phbNode(FdtWriter fdt, SpaprPhb phb) {
        PhbConfig c = phb.config();
        FdtWriter.Node node = fdt.beginNode("pci@" + Long.toHexString(c.buid()));
        fdt.propertyString("device_type", "pci");
        fdt.propertyString("compatible", "IBM,Logical_PHB");
        fdt.propertyU32("#address-cells", 3);
        fdt.propertyU32("#size-cells", 2);
        fdt.propertyEmpty("used-by-rtas");
        fdt.propertyCells("bus-range", 0, 0xff);
        fdt.property("ranges", ranges(c));
        fdt.propertyCells("reg", (int) (c.buid() >>> 32), (int) c.buid(), 0, 0);
        fdt.propertyU32("ibm,pci-config-space-type", CONFIG_SPACE_EXTENDED);
        dmaWindow(fdt, phb.dmaWindow());
        fdt.propertyU32("qemu,phb-enumerated", 1);
        // QEMU sets ibm,mmio-atsd after the children; a flattened tree has a node's properties first.
        c.nvlink2().ifPresent(nv -> NvLink2TreeNodes.mmioAtsd(fdt, nv));
        for (PciFunction f : phb.functions()) {
            deviceNode(fdt, phb, f);
        }
        fdt.endNode(node);
    }

    /**
     * QEMU's spapr_dma_dt: the window's address and size take two cells each, and {@code ibm,dma-window} is
     * {LIOBN, bus address (2 cells), size (2 cells)}. Linux's pci_dma_find reads it to set up
     * the PHB's IOMMU table, and warns for every PHB that lacks it.
     */
    private static void dmaWindow(FdtWriter fdt, TceTable window) {
        fdt.propertyU32("ibm,#dma-address-cells", 2);
        fdt.propertyU32("ibm,#dma-size-cells", 2);
        fdt.property("ibm,dma-window", ByteBuffer.allocate(20).putInt(window.liobn()).putLong(window.busOffset())
                .putLong(window.windowSize()).array());
    }

    /** {phys.hi, child (2 cells), parent (2 cells), size (2 cells)} per window: IO, 32-bit and 64-bit memory. */
    private static byte[] ranges(PhbConfig c) {
        ByteBuffer b = ByteBuffer.allocate(28 * (c.mmio64().present() ? 3 : 2));
        range(b, 1, 0, c.pio());
        range(b, 2, c.mmio32BusAddress(), c.mmio32());
        if (c.mmio64().present()) {
            range(b, 3, c.mmio64BusAddress(), c.mmio64());
        }
        return b.array();
    }

    private static void range(ByteBuffer b, int space, long busAddress, AddressWindow window) {
        b.putInt(space << 24).putLong(busAddress).putLong(window.base()).putLong(window.size());
    }

    private static void deviceNode(FdtWriter fdt, SpaprPhb phb, PciFunction f) {
        PciConfigSpace config = f.config();
        int slot = f.device().slot();
        int function = f.device().function();
        int classCode = config.read(0x08, 4) >>> 8;
        String base = PciNodeNames.fromClass(classCode);
        FdtWriter.Node node = fdt.beginNode(function != 0 ? base + "@" + Integer.toHexString(slot) + ","
                + Integer.toHexString(function) : base + "@" + Integer.toHexString(slot));
        // PAPR+ v2.7 13.6.3, Table 181.
        fdt.propertyU32("vendor-id", config.read(0x00, 2));
        fdt.propertyU32("device-id", config.read(0x02, 2));
        fdt.propertyU32("revision-id", config.read(0x08, 1));
        fdt.propertyU32("class-code", classCode);
        int subsystemId = config.read(0x2e, 2);
        int subsystemVendor = config.read(0x2c, 2);
        if (subsystemId != 0) {
            fdt.propertyU32("subsystem-id", subsystemId);
        }
        if (subsystemVendor != 0) {
            fdt.propertyU32("subsystem-vendor-id", subsystemVendor);
        }
        fdt.propertyU32("cache-line-size", config.read(0x0c, 1));
        int status = config.read(0x06, 2);
        fdt.propertyU32("devsel-speed", status & 0x0600);
        if ((status & 0x0080) != 0) {
            fdt.propertyEmpty("fast-back-to-back");
        }
        if ((status & 0x0020) != 0) {
            fdt.propertyEmpty("66mhz-capable");
        }
        if ((status & 0x0040) != 0) {
            fdt.propertyEmpty("udf-supported");
        }
        // QEMU's made-up location code for a VFIO device whose host node has none (spapr_phb_get_loc_code).
        fdt.propertyString("ibm,loc-code", String.format("vfio_vfio-pci:%04x:%02x:%02x.%x", phb.config().index(),
                0, slot, function));
        fdt.property("reg", reg(f, config));
        // BARs are unassigned until the guest places them, so nothing is assigned yet.
        fdt.property("assigned-addresses", new byte[0]);
        if (f.express()) {
            fdt.propertyU32("ibm,pci-config-space-type", CONFIG_SPACE_EXTENDED);
        }
        phb.config().nvlink2().ifPresent(nv -> NvLink2TreeNodes.deviceProperties(fdt, nv, f.device()));
        if ((config.read(0x0e, 1) & 0x7f) != 1) {
            fdt.propertyU32("min-grant", config.read(0x3e, 1));
            fdt.propertyU32("max-latency", config.read(0x3f, 1));
        }
        fdt.endNode(node);
    }

    /** The config-space entry, then one relocatable entry per BAR (IEEE 1275 PCI binding 2.2.1.1). */
    private static byte[] reg(PciFunction f, PciConfigSpace config) {
        List<PciBar> bars = PciBarProbe.probe(config);
        int deviceBits = (f.device().slot() << 11) | (f.device().function() << 8);
        ByteBuffer b = ByteBuffer.allocate(20 * (1 + bars.size()));
        b.putInt(deviceBits).putInt(0).putInt(0).putLong(0);
        for (PciBar bar : bars) {
            b.putInt(deviceBits | (bar.space().ofSpaceCode() << 24) | bar.registerOffset());
            b.putInt(0).putInt(0).putLong(bar.size());
        }
        return b.array();
    }
}
