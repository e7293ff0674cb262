package dev.pvm.device;

/** A request field that is malformed (empty VM id, a PCI address that is not "DDDD:BB:DD.F"). */
public final class InvalidFieldException extends DeviceServiceException {
  private final String field;

  public InvalidFieldException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
