package dev.pvm.device.host;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The host's PCI functions at one moment, ordered by address, with IOMMU group membership.
 *
 * @param source "sysfs" or "simulated:&lt;description&gt;"
 */
public record HostInventory(String source, SortedMap<PciAddress, HostDevice> byAddress) {

  public HostInventory {
    byAddress = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(byAddress));
  }

  public static HostInventory of(String source, Collection<HostDevice> devices) {
    TreeMap<PciAddress, HostDevice> map = new TreeMap<>();
    for (HostDevice d : devices) {
      if (map.put(d.address(), d) != null) {
        throw new IllegalArgumentException("duplicate PCI address " + d.address());
      }
    }
    return new HostInventory(source, map);
  }

  public List<HostDevice> devices() {
    return List.copyOf(byAddress.values());
  }

  public Optional<HostDevice> find(PciAddress address) {
    return Optional.ofNullable(byAddress.get(address));
  }

  /** Every device of the same IOMMU group as {@code address}, itself included; just itself when groupless. */
  public List<PciAddress> groupOf(PciAddress address) {
    HostDevice device = byAddress.get(address);
    if (device == null || device.iommuGroup() < 0) {
      return List.of(address);
    }
    List<PciAddress> members = new ArrayList<>();
    for (HostDevice d : byAddress.values()) {
      if (d.iommuGroup() == device.iommuGroup()) {
        members.add(d.address());
      }
    }
    return members;
  }
}
