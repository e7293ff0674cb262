package dev.pvm.engine.control;

/**
 * The VM's lifecycle state. Order grammar: NOT_CREATED, Create: DEFINED, Start: STARTING then RUNNING,
 * (Pause: PAUSED, Resume: RUNNING)*, then SHUTOFF (power-off or Shutdown) or FAILED (guest or engine failure).
 * SHUTOFF and FAILED are final: the engine runs one VM.
 */
public enum VmState {
    /** No VM yet: Create has not succeeded. */
    NOT_CREATED,
    DEFINED,
    STARTING,
    RUNNING,
    PAUSED,
    SHUTOFF,
    FAILED;

    public boolean terminal() {
        return this == SHUTOFF || this == FAILED;
    }
}
