package dev.pvm.gateway.clients;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.pvm.gateway.problem.BackingServiceFailureException;
import dev.pvm.gateway.problem.BackingServiceUnavailableException;
import dev.pvm.gateway.problem.FieldViolation;
import dev.pvm.gateway.problem.GatewayException;
import dev.pvm.gateway.problem.InvalidRequestException;
import dev.pvm.gateway.problem.VmConflictException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed gRPC call into the gateway's own exception, reading the google.rpc details the services attach
 * (ErrorInfo metadata "field", BadRequest violations) and renaming proto field paths to the REST names.
 */
public final class GrpcFailureTranslator {

    /** Proto field names whose REST name is not plain camelCase of the proto name. */
    private static final Map<String, String> REST_NAMES = Map.of(
            "memory_mib", "memoryMiB",
            "kernel_path", "kernel",
            "initrd_path", "initrd");

    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z0-9_]+)(.*)");

    private GrpcFailureTranslator() {}

    public static GatewayException translate(String service, StatusRuntimeException e) {
        Status status = e.getStatus();
        String message = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        return switch (status.getCode()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED ->
                    new BackingServiceUnavailableException(service, message, e);
            case INVALID_ARGUMENT, OUT_OF_RANGE -> new InvalidRequestException(violations(e, message));
            case FAILED_PRECONDITION, ALREADY_EXISTS, NOT_FOUND, ABORTED ->
                    new VmConflictException(field(e), service + ": " + message);
            default -> new BackingServiceFailureException(service, status.getCode() + ": " + message, e);
        };
    }

    private static List<FieldViolation> violations(StatusRuntimeException e, String message) {
        List<FieldViolation> violations = new ArrayList<>();
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        if (details != null) {
            for (Any any : details.getDetailsList()) {
                if (any.is(BadRequest.class)) {
                    for (BadRequest.FieldViolation v : unpack(any, BadRequest.class).getFieldViolationsList()) {
                        violations.add(new FieldViolation(restPath(v.getField()), v.getDescription()));
                    }
                }
            }
        }
        if (violations.isEmpty()) {
            String field = field(e);
            violations.add(new FieldViolation(field == null ? "" : field, message));
        }
        return violations;
    }

    /** The REST path of ErrorInfo's "field" metadata, or null when the error names no field. */
    static String field(StatusRuntimeException e) {
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        if (details == null) {
            return null;
        }
        for (Any any : details.getDetailsList()) {
            if (any.is(ErrorInfo.class)) {
                String field = unpack(any, ErrorInfo.class).getMetadataOrDefault("field", "");
                if (!field.isEmpty()) {
                    return restPath(field);
                }
            }
        }
        return null;
    }

    /** "spec.phbs[1].memory_mib" -> "phbs[1].memoryMiB": the services name proto fields, the REST API its own. */
    static String restPath(String protoPath) {
        String path = protoPath.startsWith("spec.") ? protoPath.substring("spec.".length()) : protoPath;
        StringBuilder rest = new StringBuilder();
        for (String segment : path.split("\\.")) {
            Matcher m = SEGMENT.matcher(segment);
            if (!rest.isEmpty()) {
                rest.append('.');
            }
            if (!m.matches()) {
                rest.append(segment);
                continue;
            }
            String name = m.group(1);
            rest.append(REST_NAMES.getOrDefault(name, camelCase(name))).append(m.group(2));
        }
        String joined = rest.toString();
        // boot.kernel.kernel_path became boot.kernel.kernel; the REST body has boot.kernel directly.
        return joined.replace("boot.kernel.kernel", "boot.kernel").replace("boot.kernel.initrd", "boot.initrd")
                .replace("boot.kernel.cmdline", "boot.cmdline");
    }

    private static String camelCase(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("malformed " + type.getSimpleName() + " in a gRPC error", e);
        }
    }
}
