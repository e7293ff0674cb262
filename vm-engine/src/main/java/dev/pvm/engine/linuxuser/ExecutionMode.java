package dev.pvm.engine.linuxuser;

/**
 * How the guest's instructions execute: the reference interpreter alone, the translator (with the interpreter
 * for what it does not translate), or both side by side, compared after every block (lockstep).
 */
public enum ExecutionMode {
    INTERPRETER,
    TRANSLATOR,
    LOCKSTEP
}
