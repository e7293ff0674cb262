package dev.pvm.engine.devices.pci;

/**
 * A range of guest-physical or PCI bus addresses from the layout.
 *
 * @param base first address
 * @param size bytes; 0 means the window is absent
 */
public record AddressWindow(long base, long size) {

    public static final AddressWindow NONE = new AddressWindow(0, 0);

    public boolean present() {
        return size != 0;
    }

    public long end() {
        return base + size;
    }
}
