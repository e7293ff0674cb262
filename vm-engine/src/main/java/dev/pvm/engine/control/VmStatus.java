package dev.pvm.engine.control;

/**
 * A snapshot of the VM's state.
 *
 * @param state        the lifecycle state
 * @param reason       why it is FAILED, or how it ended; empty otherwise
 * @param instructions guest instructions retired so far
 */
public record VmStatus(VmState state, String reason, long instructions) {
}
