package dev.pvm.device;

/** sysfs or the host device tree could not be read, or holds something that breaks its documented format. */
public final class HostDiscoveryException extends DeviceServiceException {
  public HostDiscoveryException(String message) {
    super(message);
  }

  public HostDiscoveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
