package dev.pvm.placement.pci;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A host PCI function to pass through, as device-service describes it, with the guest position the caller asked
 * for (if any).
 *
 * @param address host PCI address "DDDD:BB:DD.F"
 * @param vendorId PCI vendor id
 * @param deviceId PCI device id
 * @param headerType config header type without the multifunction bit
 * @param iommuGroup host IOMMU group, -1 for none
 * @param kind what device-service recognised the device as
 * @param nvlink2 NVLink2 properties, for NVLink2 GPUs and bridges
 * @param guestDevfn requested guest devfn (meaningful when the PHB is placed explicitly)
 * @param guestBridgePath requested guest bridge devfns from the root bus, outermost first
 */
public record HostDevice(
    String address,
    int vendorId,
    int deviceId,
    int headerType,
    int iommuGroup,
    HostDeviceKind kind,
    Optional<Nvlink2Properties> nvlink2,
    int guestDevfn,
    List<Integer> guestBridgePath) {

  public HostDevice {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(nvlink2, "nvlink2");
    guestBridgePath = List.copyOf(guestBridgePath);
  }

  /** The NVLink2 tgt, 0 when the device has none (QEMU reads an absent {@code nvlink2-tgt} as 0). */
  public long tgt() {
    return nvlink2.map(Nvlink2Properties::tgt).orElse(0L);
  }

  /** Whether the caller asked for a specific guest position. */
  public boolean requestsGuestPosition() {
    return guestDevfn != 0 || !guestBridgePath.isEmpty();
  }
}
