package dev.pvm.device;

/** This host cannot do VFIO (no /dev/vfio, no vfio-pci binding, no permission). */
public final class VfioUnavailableException extends DeviceServiceException {
  public VfioUnavailableException(String message) {
    super(message);
  }

  public VfioUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
