package dev.pvm.vfio.simulated;

/**
 * A config region built from a function's header bytes, with vfio-pci's virtualization of the standard header
 * (drivers/vfio/pci/vfio_pci_config.c, init_pci_cap_basic_perm): the guest may write the command register's IO,
 * memory, bus-master, parity, SERR# and INTx-disable bits, the cache line size, the latency timer and the
 * interrupt line; every other byte is read-only. BARs whose bytes are zero are unimplemented and read back zero
 * after the sizing write of all ones (vfio_bar_fixup), which is what the simulated host's functions have.
 */
public final class HeaderConfigRegion implements SimulatedConfigRegion {
  private static final int COMMAND = 0x04;
  private static final int COMMAND_WRITABLE = 0x0547;
  private static final int CACHE_LINE_SIZE = 0x0c;
  private static final int LATENCY_TIMER = 0x0d;
  private static final int INTERRUPT_LINE = 0x3c;

  private final byte[] value;
  private final byte[] writable;

  /**
   * @param header the power-on bytes, 256 or 4096 of them
   * @throws IllegalArgumentException for another size
   */
  public HeaderConfigRegion(byte[] header) {
    if (header.length != 256 && header.length != 4096) {
      throw new IllegalArgumentException("a config region is 256 or 4096 bytes, not " + header.length);
    }
    this.value = header.clone();
    this.writable = new byte[header.length];
    writable[COMMAND] = (byte) COMMAND_WRITABLE;
    writable[COMMAND + 1] = (byte) (COMMAND_WRITABLE >>> 8);
    writable[CACHE_LINE_SIZE] = (byte) 0xff;
    writable[LATENCY_TIMER] = (byte) 0xff;
    writable[INTERRUPT_LINE] = (byte) 0xff;
  }

  @Override
  public int size() {
    return value.length;
  }

  @Override
  public synchronized void read(int offset, byte[] into) {
    System.arraycopy(value, offset, into, 0, into.length);
  }

  @Override
  public synchronized void write(int offset, byte[] from) {
    for (int i = 0; i < from.length; i++) {
      int at = offset + i;
      value[at] = (byte) ((value[at] & ~writable[at]) | (from[i] & writable[at]));
    }
  }
}
