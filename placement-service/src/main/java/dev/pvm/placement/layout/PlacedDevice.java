package dev.pvm.placement.layout;

import dev.pvm.placement.pci.GuestPciAddress;

/**
 * A passed-through device and its guest position.
 *
 * @param hostAddress host PCI address
 * @param address guest bridge path and devfn
 * @param phandle PHANDLE_PCIDEV for NVLink2 GPUs and bridges, 0 otherwise
 * @param role what it is on the PHB
 * @param iommuGroup its host IOMMU group
 */
public record PlacedDevice(
    String hostAddress, GuestPciAddress address, int phandle, DeviceRole role, int iommuGroup) {}
