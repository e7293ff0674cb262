package dev.pvm.placement.pci;

/**
 * A PCI-to-PCI bridge the engine emulates because devices sit behind it.
 *
 * @param address where the bridge itself sits
 * @param multifunction another function shares its slot, so its header type byte reads 0x81
 */
public record GuestPciBridge(GuestPciAddress address, boolean multifunction) {

  /** The header type byte (config 0x0e) the guest and QEMU's NVLink2 walk read. */
  public int headerTypeByte() {
    return multifunction ? 0x81 : 0x01;
  }
}
