package dev.pvm.engine.machine.spapr;

import dev.pvm.engine.devices.nvlink2.GpuSlot;
import dev.pvm.engine.devices.nvlink2.NvLink;
import dev.pvm.engine.devices.nvlink2.NvLink2Phb;
import dev.pvm.engine.devices.pci.PassthroughDevice;
import dev.pvm.engine.fdt.FdtWriter;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The NVLink2 device-tree content of one vPHB (spec section 5), from the layout's slots: the properties of GPU
 * and bridge PCI nodes (5.2, 5.3), {@code ibm,mmio-atsd} on the PHB (5.4), and the root's {@code /npuphbN} (5.5)
 * and GPU {@code memory@} nodes (5.6). Values are written in the spec's order and encoding; the ids and
 * addresses are placement's, never recomputed here.
 */
final class NvLink2TreeNodes {

    private NvLink2TreeNodes() {
    }

    /**
     * The NVLink2 properties of one PCI node, written after {@code ibm,pci-config-space-type} (spec 5.1): a GPU
     * gets {@code ibm,npu} and {@code phandle}, a bridge of a slot with a GPU the six properties of 5.3;
     * anything else nothing.
     */
    static void deviceProperties(FdtWriter fdt, NvLink2Phb nvlink2, PassthroughDevice device) {
        for (GpuSlot slot : nvlink2.slots()) {
            if (slot.gpuDevfn() == device.devfn()) {
                fdt.propertyCells("ibm,npu", cells(slot.npuPhandles()));
                fdt.propertyPhandleOnly(slot.gpuPhandle());
                return;
            }
            for (NvLink link : slot.links()) {
                if (link.bridgeDevfn() == device.devfn()) {
                    fdt.propertyPhandleOnly(link.bridgePhandle());
                    fdt.propertyU32("ibm,gpu", slot.gpuPhandle());
                    fdt.propertyU32("ibm,nvlink", link.linkPhandle());
                    fdt.propertyU32("memory-region", slot.ramPhandle());
                    fdt.propertyU64("ibm,device-tgt-addr", slot.tgt());
                    fdt.propertyU32("ibm,nvlink-speed", link.linkSpeed());
                    return;
                }
            }
        }
    }

    /** {@code ibm,mmio-atsd} on the PHB node: the ATSD pages' guest addresses, when placement advertises them. */
    static void mmioAtsd(FdtWriter fdt, NvLink2Phb nvlink2) {
        if (nvlink2.mmioAtsd().isEmpty()) {
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(8 * nvlink2.mmioAtsd().size());
        for (long gpa : nvlink2.mmioAtsd()) {
            b.putLong(gpa);
        }
        fdt.property("ibm,mmio-atsd", b.array());
    }

    /** The root's {@code /npuphb<index>} with one {@code link@N} per link, then one {@code memory@} per GPU. */
    static void rootNodes(FdtWriter fdt, int phbIndex, NvLink2Phb nvlink2) {
        FdtWriter.Node npu = fdt.beginNode("npuphb" + phbIndex);
        fdt.propertyU32("#address-cells", 1);
        fdt.propertyU32("#size-cells", 0);
        // "Advertise NPU as POWER9 so the guest can enable NPU2 contexts" (QEMU); Linux's pSeries_final_fixup
        // looks for it as the link nodes' parent.
        fdt.propertyString("compatible", "ibm,power9-npu");
        for (GpuSlot slot : nvlink2.slots()) {
            for (NvLink link : slot.links()) {
                // Deliberately no reg (QEMU writes none): link@N carries its index as a property.
                FdtWriter.Node node = fdt.beginNode("link@" + link.npuLinkIndex());
                fdt.propertyString("compatible", "ibm,npu-link");
                fdt.propertyPhandleOnly(link.linkPhandle());
                fdt.propertyU32("ibm,npu-link-index", link.npuLinkIndex());
                fdt.endNode(node);
            }
        }
        fdt.endNode(npu);
        for (GpuSlot slot : nvlink2.slots()) {
            FdtWriter.Node mem = fdt.beginNode("memory@" + Long.toHexString(slot.ram().base()));
            fdt.propertyString("device_type", "memory");
            fdt.propertyCells("reg", u64Cells(slot.ram().base(), slot.ram().size()));
            fdt.propertyCells("ibm,associativity", cells(slot.associativity()));
            fdt.propertyString("compatible", "ibm,coherent-device-memory");
            // Size 0: the guest must not use GPU RAM as boot RAM; the driver onlines it later (spec 5.6).
            fdt.propertyCells("linux,usable-memory", u64Cells(slot.ram().base(), 0));
            fdt.propertyPhandleOnly(slot.ramPhandle());
            fdt.endNode(mem);
        }
    }

    private static int[] cells(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] u64Cells(long a, long b) {
        return new int[] {(int) (a >>> 32), (int) a, (int) (b >>> 32), (int) b};
    }
}
