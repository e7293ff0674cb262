package dev.pvm.device;

/** A simulated-host description that cannot be read or is inconsistent. */
public final class HostDescriptionException extends DeviceServiceException {
  public HostDescriptionException(String message) {
    super(message);
  }

  public HostDescriptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
