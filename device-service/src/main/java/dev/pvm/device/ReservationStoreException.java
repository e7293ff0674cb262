package dev.pvm.device;

/** The durable reservation snapshot could not be written, or what is on disk is corrupt. */
public final class ReservationStoreException extends DeviceServiceException {
  public ReservationStoreException(String message) {
    super(message);
  }

  public ReservationStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
