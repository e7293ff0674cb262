package dev.pvm.device.host;

import java.util.Optional;

/**
 * One PCI function of the host as discovery found it.
 *
 * @param headerType config-space header type without the multifunction bit
 * @param numaNode -1 when the host does not say
 * @param driver bound kernel driver, "" for none
 * @param iommuGroup -1 when the device is in no IOMMU group
 */
public record HostDevice(
    PciAddress address,
    int vendorId,
    int deviceId,
    int classCode,
    int revision,
    int headerType,
    boolean multifunction,
    int numaNode,
    String driver,
    int iommuGroup,
    DeviceKind kind,
    Optional<NvLink2Details> nvlink2) {

  public HostDevice withNvLink2(NvLink2Details details) {
    return new HostDevice(
        address, vendorId, deviceId, classCode, revision, headerType, multifunction, numaNode, driver,
        iommuGroup, kind, Optional.of(details));
  }
}
