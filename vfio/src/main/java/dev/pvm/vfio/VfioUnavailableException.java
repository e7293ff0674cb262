package dev.pvm.vfio;

/** This host cannot do VFIO (no /dev/vfio, no vfio-pci binding, no permission). */
public final class VfioUnavailableException extends VfioException {
  public VfioUnavailableException(String message) {
    super(message);
  }

  public VfioUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
