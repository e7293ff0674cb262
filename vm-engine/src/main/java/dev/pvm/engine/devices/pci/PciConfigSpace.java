package dev.pvm.engine.devices.pci;

/**
 * One PCI function's configuration space as the guest reaches it through RTAS: little-endian registers (PCI
 * Local Bus 3.0 section 6.1), accessed 1, 2 or 4 bytes at a time. Callers check alignment and bounds against
 * {@link #size()} first, as QEMU's {@code finish_read_pci_config} does.
 */
public interface PciConfigSpace {

    /** Conventional config space: the 256-byte header and capability area. */
    int CONVENTIONAL_SIZE = 256;
    /** PCI Express extended config space. */
    int EXTENDED_SIZE = 4096;

    /** Bytes of config space: {@link #CONVENTIONAL_SIZE} or {@link #EXTENDED_SIZE}. */
    int size();

    /**
     * Reads {@code width} bytes (1, 2 or 4) at {@code offset}, zero-extended.
     *
     * @throws java.io.UncheckedIOException when a host-backed space cannot be read
     */
    int read(int offset, int width);

    /**
     * Writes the low {@code width} bytes of {@code value} at {@code offset}; read-only bits keep their value.
     *
     * @throws java.io.UncheckedIOException when a host-backed space cannot be written
     */
    void write(int offset, int width, int value);
}
