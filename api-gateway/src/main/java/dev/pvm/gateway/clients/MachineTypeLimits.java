package dev.pvm.gateway.clients;

import java.util.List;

/** A machine type placement-service knows, with the limits the gateway validates against. */
public record MachineTypeLimits(String name, int maxVcpus, int maxPhbIndex, boolean nvlink2, List<String> aliases) {

    public boolean answersTo(String machine) {
        return name.equals(machine) || aliases.contains(machine);
    }
}
