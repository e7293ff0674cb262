package dev.pvm.engine.control;

import dev.pvm.engine.machine.MachineConfig;

/**
 * Everything a client can ask of the VM, one record per action; the controller executes them one at a time on
 * its control thread. Each action's Javadoc says in which states it is legal.
 */
public sealed interface VmAction {

    /** Build the machine. Legal once, before anything else. */
    record Create(MachineConfig config) implements VmAction {
    }

    /** Start the vCPUs. Legal in DEFINED. */
    record Start() implements VmAction {
    }

    /** Stop the vCPUs at an instruction boundary. Legal in RUNNING. */
    record Pause() implements VmAction {
    }

    /** Continue a paused VM. Legal in PAUSED. */
    record Resume() implements VmAction {
    }

    /** Stop the VM for good (SHUTOFF). Legal in every state; no change once SHUTOFF or FAILED. */
    record Shutdown(boolean force) implements VmAction {
    }
}
