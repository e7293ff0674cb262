package dev.pvm.device;

/**
 * Root of every failure device-service reports. Sealed so that the single gRPC mapper
 * ({@code dev.pvm.device.api.GrpcErrorMapper}) handles each kind explicitly.
 */
public abstract sealed class DeviceServiceException extends RuntimeException
    permits UnknownDeviceException,
        InvalidFieldException,
        DeviceConflictException,
        HostDescriptionException,
        HostDiscoveryException,
        ReservationStoreException {

  protected DeviceServiceException(String message) {
    super(message);
  }

  protected DeviceServiceException(String message, Throwable cause) {
    super(message, cause);
  }
}
