package dev.pvm.gateway.supervise;

import dev.pvm.gateway.clients.DeviceClient;
import dev.pvm.gateway.config.GatewayProperties;
import dev.pvm.gateway.problem.GatewayException;
import dev.pvm.gateway.vm.VmRecord;
import dev.pvm.gateway.vm.VmState;
import dev.pvm.gateway.vm.VmStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * On startup, before requests are served: VMs recorded STARTING, RUNNING or PAUSED lost their supervisor when the
 * previous gateway ended without stopping them (a crash or kill). The gateway does not reattach to such engines: it
 * ends any that is still alive (a local one found by its recorded pid and its port-file argument, a pod by the
 * VM's pod name), marks the VM FAILED with the reason, and releases its devices.
 */
@Component
public class OrphanedEngineRecovery implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(OrphanedEngineRecovery.class);

    private final VmStore store;
    private final EngineLauncher launcher;
    private final DeviceClient devices;
    private final GatewayProperties properties;

    public OrphanedEngineRecovery(VmStore store, EngineLauncher launcher, DeviceClient devices,
            GatewayProperties properties) {
        this.store = store;
        this.launcher = launcher;
        this.devices = devices;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (VmRecord vm : store.withEngine()) {
            boolean ended = launcher.terminateOrphan(vm.id(), properties.vmDirectory(vm.id()), vm.enginePid());
            String reason = "the gateway restarted while the VM was " + vm.state() + "; "
                    + (ended ? "its engine" + (vm.enginePid() == null ? "" : " (pid " + vm.enginePid() + ")")
                                     + " was no longer supervised and was stopped"
                             : "its engine is gone");
            if (!vm.definition().hostDevices().isEmpty()) {
                try {
                    devices.release(vm.id());
                } catch (GatewayException e) {
                    reason += "; its devices could not be released (" + e.getMessage()
                            + "); they are released when the VM is started again or deleted";
                }
            }
            store.changeState(vm.id(), VmState.FAILED, reason);
            log.warn("VM {} ({}): {}", vm.id(), vm.name(), reason);
        }
    }
}
