package dev.pvm.engine.devices.pci;

/** What a passed-through function is on its PHB, as the layout says (layout.proto PlacedDeviceRole). */
public enum PciDeviceRole {
    /** A plain PCI function (also NVLink2 devices where NVLink2 is off). */
    PCI,
    /** The GPU of an NVLink2 slot. */
    NVLINK2_GPU,
    /** An NVLink2 bridge of a slot with a GPU. */
    NVLINK2_BRIDGE
}
