package dev.pvm.gateway.console;

import dev.pvm.gateway.config.GatewayProperties;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The consoles of all VMs, each backed by console.log in the VM's directory. */
@Component
public class ConsoleRegistry {

    public static final String CONSOLE_LOG = "console.log";

    private final GatewayProperties properties;
    private final Map<UUID, VmConsole> consoles = new ConcurrentHashMap<>();

    public ConsoleRegistry(GatewayProperties properties) {
        this.properties = properties;
    }

    public VmConsole console(UUID vmId) {
        return consoles.computeIfAbsent(vmId,
                id -> new VmConsole(properties.vmDirectory(id).resolve(CONSOLE_LOG)));
    }

    /** Drops a deleted VM's console (ending any run still attached). */
    public void forget(UUID vmId) {
        VmConsole console = consoles.remove(vmId);
        if (console != null) {
            console.end();
        }
    }
}
