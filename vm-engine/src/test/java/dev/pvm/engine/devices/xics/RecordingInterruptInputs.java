package dev.pvm.engine.devices.xics;

import dev.pvm.engine.cpu.InterruptInputs;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/** A stand-in for the machine's interrupt inputs: remembers each vCPU's external line level. */
final class RecordingInterruptInputs implements InterruptInputs {

    private final Map<Integer, Boolean> levels = new ConcurrentHashMap<>();

    @Override
    public void setExternal(int cpu, boolean asserted) {
        levels.put(cpu, asserted);
    }

    boolean raised(int cpu) {
        return levels.getOrDefault(cpu, false);
    }
}
