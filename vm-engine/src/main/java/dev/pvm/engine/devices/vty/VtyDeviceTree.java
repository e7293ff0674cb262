package dev.pvm.engine.devices.vty;

import dev.pvm.engine.fdt.FdtWriter;

/**
 * The vty's device-tree node under {@code /vdevice} (what Linux's hvc_vio matches: device_type "serial",
 * compatible "hvterm1"; LoPAPR C.6.8.1).
 */
public final class VtyDeviceTree {

    private VtyDeviceTree() {
    }

    /** The node's name, {@code vty@71000000}. */
    public static String nodeName(SpaprVty vty) {
        return "vty@" + Integer.toHexString(vty.reg());
    }

    public static void write(FdtWriter fdt, SpaprVty vty) {
        FdtWriter.Node node = fdt.beginNode(nodeName(vty));
        fdt.propertyString("device_type", "serial");
        fdt.propertyString("compatible", "hvterm1");
        fdt.propertyU32("reg", vty.reg());
        // Cell 1 is the sense: 1 for a level (LSI) source, 0 for a message one (QEMU's spapr_dt_irq).
        vty.interrupt().ifPresent(line -> fdt.propertyCells("interrupts", line.irq(), line.isLevel() ? 1 : 0));
        fdt.endNode(node);
    }
}
