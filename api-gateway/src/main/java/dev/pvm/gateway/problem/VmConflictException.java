package dev.pvm.gateway.problem;

/**
 * The request conflicts with the current state (HTTP 409): a duplicate name, starting a running VM, a device
 * held by another VM. {@code field} names the request field involved, or is null when none is.
 */
public final class VmConflictException extends GatewayException {

    private final String field;

    public VmConflictException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
