package dev.pvm.engine.devices.pci;

/**
 * The config address word of the RTAS PCI config calls (PAPR 7.3.4 "read-pci-config"; QEMU
 * {@code rtas_pci_cfgaddr}): bits 23-16 bus, 15-8 devfn, 7-0 register, and bits 27-24 the extended register
 * bits 11-8 for PCI Express config space.
 *
 * @param bus      bus number
 * @param devfn    device << 3 | function
 * @param register byte offset in config space (0..4095)
 */
public record PciConfigAddress(int bus, int devfn, int register) {

    public static PciConfigAddress decode(int word) {
        return new PciConfigAddress((word >>> 16) & 0xff, (word >>> 8) & 0xff,
                ((word >>> 16) & 0xf00) | (word & 0xff));
    }

    /** The word for this address (the inverse of {@link #decode}). */
    public int encode() {
        return ((register & 0xf00) << 16) | (bus << 16) | (devfn << 8) | (register & 0xff);
    }
}
