package dev.pvm.device.host;

/** Decides a {@link DeviceKind} from identity registers, header type and NVLink2 facts. */
public final class DeviceClassifier {
  public static final int VENDOR_NVIDIA = 0x10de;
  public static final int VENDOR_IBM = 0x1014;
  /** IBM NPU2 NVLink bridge: the id skiboot gives its emulated functions (spec section 1). */
  public static final int DEVICE_IBM_NPU2_BRIDGE = 0x04ea;

  private static final int BASE_CLASS_DISPLAY = 0x03;
  private static final int CLASS_PCI_TO_PCI_BRIDGE = 0x0604;
  private static final int HEADER_TYPE_BRIDGE = 1;

  private DeviceClassifier() {}

  public static DeviceKind classify(
      int vendorId, int deviceId, int classCode, int headerType, boolean hasNvLink2) {
    if (vendorId == VENDOR_IBM && deviceId == DEVICE_IBM_NPU2_BRIDGE) {
      return DeviceKind.NVLINK2_BRIDGE;
    }
    // Only display-class NVIDIA functions are GPUs; the audio/USB functions of consumer boards are not.
    if (vendorId == VENDOR_NVIDIA && classCode >>> 16 == BASE_CLASS_DISPLAY) {
      return hasNvLink2 ? DeviceKind.NVLINK2_GPU : DeviceKind.GPU;
    }
    if (headerType == HEADER_TYPE_BRIDGE || classCode >>> 8 == CLASS_PCI_TO_PCI_BRIDGE) {
      return DeviceKind.PCI_BRIDGE;
    }
    return DeviceKind.OTHER;
  }
}
