package dev.pvm.placement.pci;

import java.util.List;

/**
 * Where a function sits in the guest under one PHB.
 *
 * @param bridgePath devfns of the PCI-to-PCI bridges from the root bus down to the device's bus, outermost first
 * @param devfn the device's devfn on that bus (slot << 3 | function)
 */
public record GuestPciAddress(List<Integer> bridgePath, int devfn) {
  public GuestPciAddress {
    bridgePath = List.copyOf(bridgePath);
    if (devfn < 0 || devfn > 0xff) {
      throw new IllegalArgumentException("devfn out of range: " + devfn);
    }
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (int bridge : bridgePath) {
      text.append(String.format("%02x.%x/", bridge >> 3, bridge & 7));
    }
    return text.append(String.format("%02x.%x", devfn >> 3, devfn & 7)).toString();
  }
}
