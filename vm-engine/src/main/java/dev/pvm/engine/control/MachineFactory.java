package dev.pvm.engine.control;

import dev.pvm.engine.devices.vty.ConsoleSink;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.spapr.SpaprMachine;

/** Builds the machine for a Create (a seam for tests that want a different clock). */
@FunctionalInterface
public interface MachineFactory {

    SpaprMachine create(MachineConfig config, ConsoleSink console);
}
