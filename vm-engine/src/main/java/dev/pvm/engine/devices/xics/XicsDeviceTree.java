package dev.pvm.engine.devices.xics;

import dev.pvm.engine.fdt.FdtWriter;

/**
 * The XICS presentation controller's device-tree node, as QEMU's spapr_dt_xics writes it (shared/facts/qemu-dtb:
 * {@code /interrupt-controller}): Linux's icp-hv.c matches {@code IBM,ppc-xicp} and reads the server range;
 * the ICS has no node on pseries (it is reached through RTAS).
 */
public final class XicsDeviceTree {

    /** The phandle QEMU gives the controller (PHANDLE_INTC); PCI interrupt-maps refer to it. */
    public static final int PHANDLE = 0x1111;

    private XicsDeviceTree() {
    }

    public static void write(FdtWriter fdt, Xics xics) {
        FdtWriter.Node node = fdt.beginNode("interrupt-controller");
        fdt.propertyString("device_type", "PowerPC-External-Interrupt-Presentation");
        fdt.propertyString("compatible", "IBM,ppc-xicp");
        fdt.propertyEmpty("interrupt-controller");
        fdt.propertyCells("ibm,interrupt-server-ranges", 0, xics.servers());
        fdt.propertyU32("#interrupt-cells", 2);
        fdt.propertyPhandle(PHANDLE);
        fdt.endNode(node);
    }
}
