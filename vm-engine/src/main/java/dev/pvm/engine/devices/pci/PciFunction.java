package dev.pvm.engine.devices.pci;

/**
 * A passed-through function as the guest reaches it: where it sits and its live config space.
 *
 * @param device the layout's description
 * @param config its config space (recreated at every machine reset)
 */
public record PciFunction(PassthroughDevice device, PciConfigSpace config) {

    /**
     * Whether the guest sees a PCI Express function: QEMU's vfio-pci drops the express capability flag for a
     * device whose config region is only 256 bytes (the NPU bridges), so only 4 KiB spaces count.
     */
    public boolean express() {
        return config.size() == PciConfigSpace.EXTENDED_SIZE;
    }
}
