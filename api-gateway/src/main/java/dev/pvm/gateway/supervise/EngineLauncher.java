package dev.pvm.gateway.supervise;

import dev.pvm.gateway.problem.EngineLaunchException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Starts engines. A launch returns once the engine accepts gRPC calls; the caller then owns the channel and the
 * process. Implementations: {@link LocalProcessEngineLauncher} (a child JVM, {@code pvm.engine.launcher=local}) and
 * {@link dev.pvm.gateway.supervise.kubernetes.KubernetesEngineLauncher} (a Pod, {@code =kubernetes}).
 */
public interface EngineLauncher {

    /**
     * Starts the engine for a VM, its files (log, port file) in the VM's directory.
     *
     * @throws EngineLaunchException when it cannot be started or does not come up in time (nothing is left running)
     */
    LaunchedEngine launch(EngineRequest request);

    /**
     * Ends an engine left behind by an earlier gateway (which crashed before stopping it), if it is still there.
     *
     * @param recordedPid the process id the earlier gateway recorded, or null
     * @return whether an engine was found and ended
     */
    boolean terminateOrphan(UUID vmId, Path vmDirectory, Long recordedPid);
}
