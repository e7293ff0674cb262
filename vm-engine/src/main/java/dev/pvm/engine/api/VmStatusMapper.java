package dev.pvm.engine.api;

import dev.pvm.engine.control.VmStatus;
import dev.pvm.proto.engine.v1.VmState;

/** Domain VM status to its wire form. */
final class VmStatusMapper {

    private VmStatusMapper() {
    }

    static dev.pvm.proto.engine.v1.VmStatus toProto(VmStatus status) {
        return dev.pvm.proto.engine.v1.VmStatus.newBuilder()
                .setState(toProto(status.state()))
                .setReason(status.reason())
                .setInstructions(status.instructions())
                .build();
    }

    static VmState toProto(dev.pvm.engine.control.VmState state) {
        return switch (state) {
            case NOT_CREATED -> VmState.VM_STATE_UNSPECIFIED;
            case DEFINED -> VmState.VM_STATE_DEFINED;
            case STARTING -> VmState.VM_STATE_STARTING;
            case RUNNING -> VmState.VM_STATE_RUNNING;
            case PAUSED -> VmState.VM_STATE_PAUSED;
            case SHUTOFF -> VmState.VM_STATE_SHUTOFF;
            case FAILED -> VmState.VM_STATE_FAILED;
        };
    }
}
