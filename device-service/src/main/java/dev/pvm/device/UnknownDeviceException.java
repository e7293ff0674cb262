package dev.pvm.device;

/** A PCI address that the host (real or simulated) does not have. */
public final class UnknownDeviceException extends DeviceServiceException {
  private final String address;
  private final String field;

  public UnknownDeviceException(String address, String field) {
    super("unknown host device " + address + ": the host has no PCI function at that address");
    this.address = address;
    this.field = field;
  }

  public String address() {
    return address;
  }

  /** The request field that named the device ("address", "addresses[1]"). */
  public String field() {
    return field;
  }
}
