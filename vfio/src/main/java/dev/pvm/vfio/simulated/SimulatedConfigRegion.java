package dev.pvm.vfio.simulated;

/**
 * The config region (VFIO_PCI_CONFIG_REGION_INDEX) of one open simulated device: what vfio-pci answers to pread
 * and pwrite on it, byte for byte in PCI's little-endian register layout.
 */
public interface SimulatedConfigRegion {

  /** 256 (conventional) or 4096 (PCI Express) bytes. */
  int size();

  /** Copies {@code into.length} bytes at {@code offset}; the caller keeps the access inside {@link #size()}. */
  void read(int offset, byte[] into);

  /** Writes {@code from} at {@code offset}; read-only bits keep their value. */
  void write(int offset, byte[] from);
}
