package dev.pvm.device.api;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;
import dev.pvm.device.DeviceConflictException;
import dev.pvm.device.DeviceServiceException;
import dev.pvm.device.HostDescriptionException;
import dev.pvm.device.HostDiscoveryException;
import dev.pvm.device.InvalidFieldException;
import dev.pvm.device.ReservationStoreException;
import dev.pvm.device.UnknownDeviceException;
import dev.pvm.proto.common.v1.ErrorReason;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;

/**
 * Turns device-service failures into gRPC statuses with a google.rpc.Status: ErrorInfo (domain "pvm.dev", reason
 * from pvm.common.v1.ErrorReason, metadata "field" and others) and, for field errors, BadRequest.
 */
final class GrpcErrorMapper {
  static final String DOMAIN = "pvm.dev";

  private GrpcErrorMapper() {}

  static StatusRuntimeException toStatus(DeviceServiceException e) {
    return switch (e) {
      case InvalidFieldException f -> fieldError(Code.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD, f.field(),
          f.getMessage(), Map.of());
      case UnknownDeviceException u -> fieldError(Code.NOT_FOUND, ErrorReason.NOT_FOUND, u.field(),
          u.getMessage(), Map.of("address", u.address()));
      case DeviceConflictException c -> status(Code.FAILED_PRECONDITION, ErrorReason.CONFLICT, c.getMessage(),
          Map.of("address", c.address(), "holder", c.holder(), "iommu_group",
              Integer.toString(c.iommuGroup())), null);
      case HostDescriptionException h -> status(Code.INTERNAL, ErrorReason.ERROR_REASON_UNSPECIFIED,
          h.getMessage(), Map.of(), null);
      case HostDiscoveryException h -> status(Code.INTERNAL, ErrorReason.ERROR_REASON_UNSPECIFIED,
          h.getMessage(), Map.of(), null);
      case ReservationStoreException r -> status(Code.INTERNAL, ErrorReason.ERROR_REASON_UNSPECIFIED,
          r.getMessage(), Map.of(), null);
    };
  }

  private static StatusRuntimeException fieldError(
      Code code, ErrorReason reason, String field, String message, Map<String, String> metadata) {
    BadRequest badRequest = BadRequest.newBuilder()
        .addFieldViolations(BadRequest.FieldViolation.newBuilder().setField(field).setDescription(message))
        .build();
    java.util.HashMap<String, String> all = new java.util.HashMap<>(metadata);
    all.put("field", field);
    return status(code, reason, message, all, badRequest);
  }

  private static StatusRuntimeException status(
      Code code, ErrorReason reason, String message, Map<String, String> metadata, BadRequest badRequest) {
    ErrorInfo info = ErrorInfo.newBuilder()
        .setDomain(DOMAIN)
        .setReason(reason.name())
        .putAllMetadata(metadata)
        .build();
    Status.Builder status = Status.newBuilder()
        .setCode(code.getNumber())
        .setMessage(message)
        .addDetails(Any.pack(info));
    if (badRequest != null) {
      status.addDetails(Any.pack(badRequest));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }
}
