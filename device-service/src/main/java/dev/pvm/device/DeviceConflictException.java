package dev.pvm.device;

import java.util.List;

/**
 * A reservation that would take a device another VM holds, or split an IOMMU group between VMs
 * (VFIO attaches a whole group to one container, so one VM).
 */
public final class DeviceConflictException extends DeviceServiceException {
  private final String address;
  private final String holder;
  private final int iommuGroup;

  public DeviceConflictException(
      String requestedAddress, String heldAddress, String holder, int iommuGroup, List<String> groupMembers) {
    super(message(requestedAddress, heldAddress, holder, iommuGroup, groupMembers));
    this.address = heldAddress;
    this.holder = holder;
    this.iommuGroup = iommuGroup;
  }

  private static String message(
      String requested, String held, String holder, int group, List<String> members) {
    if (requested.equals(held)) {
      return "device " + held + " is reserved by VM " + holder
          + (group >= 0 ? " (IOMMU group " + group + ")" : "");
    }
    return "device " + requested + " is in IOMMU group " + group + " " + members
        + " whose member " + held + " is reserved by VM " + holder
        + "; VFIO gives a whole IOMMU group to one VM";
  }

  /** The device that is already held. */
  public String address() {
    return address;
  }

  public String holder() {
    return holder;
  }

  /** IOMMU group of the held device, -1 when it has none. */
  public int iommuGroup() {
    return iommuGroup;
  }
}
