package dev.pvm.placement.api;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;
import dev.pvm.placement.LayoutInputException;
import dev.pvm.placement.UnknownMachineTypeException;
import dev.pvm.proto.common.v1.ErrorReason;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * The one place placement-service turns its errors into gRPC statuses: INVALID_ARGUMENT carrying
 * google.rpc.ErrorInfo (domain "pvm.dev", reason INVALID_FIELD, metadata "field") and a google.rpc.BadRequest field
 * violation naming the same field.
 */
public final class PlacementErrorMapper {

  /** ErrorInfo.domain of every pvm service. */
  public static final String DOMAIN = "pvm.dev";

  private PlacementErrorMapper() {}

  public static StatusRuntimeException toStatus(LayoutInputException error) {
    ErrorInfo.Builder info =
        ErrorInfo.newBuilder()
            .setDomain(DOMAIN)
            .setReason(ErrorReason.INVALID_FIELD.name())
            .putMetadata("field", error.field());
    if (error instanceof UnknownMachineTypeException unknown) {
      info.putMetadata("known", String.join(",", unknown.knownNames()));
    }
    BadRequest badRequest =
        BadRequest.newBuilder()
            .addFieldViolations(
                BadRequest.FieldViolation.newBuilder()
                    .setField(error.field())
                    .setDescription(error.getMessage()))
            .build();
    Status status =
        Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT_VALUE)
            .setMessage(error.field() + ": " + error.getMessage())
            .addDetails(Any.pack(info.build()))
            .addDetails(Any.pack(badRequest))
            .build();
    return StatusProto.toStatusRuntimeException(status);
  }
}
