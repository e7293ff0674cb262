package dev.pvm.engine.api;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import dev.pvm.engine.control.VmStateException;
import dev.pvm.engine.devices.pci.PassthroughUnavailableException;
import dev.pvm.engine.machine.InvalidVmConfigException;
import dev.pvm.proto.common.v1.ErrorReason;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * The engine's one mapping from exceptions to gRPC status: INVALID_ARGUMENT for a bad request field,
 * FAILED_PRECONDITION for an action the VM's state does not allow, each with a google.rpc.ErrorInfo (domain
 * "pvm.dev", reason from pvm.common.v1.ErrorReason, metadata "field") and, for fields, a BadRequest violation;
 * FAILED_PRECONDITION with UNAVAILABLE_ON_HOST for a host device the engine cannot take (its VFIO group busy or
 * not viable), naming the device and group.
 */
final class GrpcErrors {

    static final String DOMAIN = "pvm.dev";

    private static final System.Logger LOG = System.getLogger(GrpcErrors.class.getName());

    private GrpcErrors() {
    }

    static StatusRuntimeException toStatus(Throwable error) {
        return switch (error) {
            case InvalidVmConfigException e -> invalidField(e.field(), e.detail());
            case VmStateException e -> StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                    .setCode(Code.FAILED_PRECONDITION_VALUE)
                    .setMessage(e.getMessage())
                    .addDetails(Any.pack(ErrorInfo.newBuilder()
                            .setDomain(DOMAIN)
                            .setReason(ErrorReason.CONFLICT.name())
                            .putMetadata("state", e.state().name())
                            .build()))
                    .build());
            case PassthroughUnavailableException e -> StatusProto.toStatusRuntimeException(
                    com.google.rpc.Status.newBuilder()
                            .setCode(Code.FAILED_PRECONDITION_VALUE)
                            .setMessage(e.getMessage())
                            .addDetails(Any.pack(ErrorInfo.newBuilder()
                                    .setDomain(DOMAIN)
                                    .setReason(ErrorReason.UNAVAILABLE_ON_HOST.name())
                                    .putMetadata("address", e.device())
                                    .putMetadata("iommu_group", Integer.toString(e.iommuGroup()))
                                    .build()))
                            .build());
            case StatusRuntimeException e -> e;
            default -> {
                LOG.log(System.Logger.Level.ERROR, "internal error", error);
                yield StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                        .setCode(Code.INTERNAL_VALUE)
                        .setMessage("internal engine error: " + error)
                        .build());
            }
        };
    }

    /** INVALID_ARGUMENT naming {@code field} (a request field path such as {@code spec.boot.builtin}). */
    static StatusRuntimeException invalidField(String field, String description) {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(field + ": " + description)
                .addDetails(Any.pack(ErrorInfo.newBuilder()
                        .setDomain(DOMAIN)
                        .setReason(ErrorReason.INVALID_FIELD.name())
                        .putMetadata("field", field)
                        .build()))
                .addDetails(Any.pack(BadRequest.newBuilder()
                        .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                                .setField(field)
                                .setDescription(description))
                        .build()))
                .build());
    }

    /** FAILED_PRECONDITION for a request that needs a created VM. */
    static StatusRuntimeException noVm(String what) {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.FAILED_PRECONDITION_VALUE)
                .setMessage(what + " needs a VM: call Create first")
                .addDetails(Any.pack(ErrorInfo.newBuilder()
                        .setDomain(DOMAIN)
                        .setReason(ErrorReason.CONFLICT.name())
                        .putMetadata("state", "NOT_CREATED")
                        .build()))
                .build());
    }
}
