package dev.pvm.placement.pci;

/** What device-service recognised a host PCI function as. */
public enum HostDeviceKind {
  UNSPECIFIED,
  /** An NVIDIA GPU with an NVLink2 GPU-RAM region. */
  NVLINK2_GPU,
  /** An IBM NPU NVLink2 bridge (0x1014:0x04ea) with an ATSD region (possibly of size 0). */
  NVLINK2_BRIDGE,
  /** An NVIDIA device without NVLink2 regions. */
  GPU,
  /** A PCI-to-PCI bridge. */
  PCI_BRIDGE,
  OTHER
}
