package dev.pvm.gateway.problem;

import java.util.UUID;

/** No VM has this id (HTTP 404). */
public final class VmNotFoundException extends GatewayException {

    private final UUID vmId;

    public VmNotFoundException(UUID vmId) {
        super("no VM with id " + vmId);
        this.vmId = vmId;
    }

    public UUID vmId() {
        return vmId;
    }
}
