package dev.pvm.engine.control;

import dev.pvm.engine.EngineException;

/** The action is not legal in the VM's current state (Start twice, Pause when not running). */
public final class VmStateException extends EngineException {

    private final VmState state;

    public VmStateException(VmState state, String message) {
        super(message);
        this.state = state;
    }

    /** The state the VM was in. */
    public VmState state() {
        return state;
    }
}
