package dev.pvm.gateway.vm;

/** A VM's lifecycle state as the gateway records it. */
public enum VmState {
    /** Defined, never started. */
    DEFINED,
    /** Devices reserved, layout computed, engine starting; not yet running guest code. */
    STARTING,
    /** The engine reports the guest running. */
    RUNNING,
    /** The engine reports the vCPUs paused. */
    PAUSED,
    /** Powered off by the guest or stopped by request. */
    SHUTOFF,
    /** Something went wrong; the state reason says what. */
    FAILED;

    /** Whether an engine process belongs to the VM in this state (it must be stopped before start or delete). */
    public boolean hasEngine() {
        return this == STARTING || this == RUNNING || this == PAUSED;
    }
}
