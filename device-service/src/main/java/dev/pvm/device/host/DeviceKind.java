package dev.pvm.device.host;

/** What the platform recognises a PCI function as (mirrors pvm.common.v1.DeviceKind). */
public enum DeviceKind {
  /** NVIDIA GPU with NVLink2 GPU RAM (host device tree or VFIO region says so). */
  NVLINK2_GPU,
  /** IBM NPU NVLink2 bridge, 0x1014:0x04ea (skiboot's emulated config space). */
  NVLINK2_BRIDGE,
  /** NVIDIA display-class device without NVLink2. */
  GPU,
  /** PCI-to-PCI bridge (header type 1 or class 0x0604). */
  PCI_BRIDGE,
  OTHER
}
