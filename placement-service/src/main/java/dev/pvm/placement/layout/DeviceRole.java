package dev.pvm.placement.layout;

/** What a passed-through device is on its PHB, which decides the device-tree properties it gets. */
public enum DeviceRole {
  /** A plain PCI function (NVLink2 devices too where NVLink2 is off or their slot has no GPU). */
  PCI,
  /** The GPU of an NVLink2 slot (spec 5.2). */
  NVLINK2_GPU,
  /** A bridge of an NVLink2 slot with a GPU (spec 5.3). */
  NVLINK2_BRIDGE
}
