package dev.pvm.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The gateway's own settings (prefix {@code pvm}).
 *
 * @param dataDir root data directory; the gateway keeps its database and VM directories under {@code gateway/}
 * @param grpcDeadline deadline of every unary call to placement-service, device-service and the engines
 * @param machineTypesCacheTtl how long the machine types from placement-service are reused before asking again
 * @param engine how engine processes are launched and stopped
 */
@ConfigurationProperties("pvm")
public record GatewayProperties(
        Path dataDir,
        @DefaultValue("10s") Duration grpcDeadline,
        @DefaultValue("5m") Duration machineTypesCacheTtl,
        @DefaultValue Engine engine) {

    /**
     * @param launcher how engines run: "local" (child processes of the gateway) or "kubernetes" (one Pod per VM,
     *     settings under {@code pvm.engine.kubernetes})
     * @param jar the vm-engine jar; when unset, vm-engine/target/pvm-vm-engine-0.1.0-SNAPSHOT.jar is looked for in
     *     the working directory and its parents
     * @param java the java executable running engines; when unset, the gateway's own
     * @param jvmOptions extra JVM options for engines (e.g. -Xmx)
     * @param portFileTimeout how long a new engine may take to write its port file before it counts as failed
     * @param stopTimeout how long a stopped engine may take to exit before it is killed
     * @param createTimeout deadline of the engine's Create call, which builds the machine (reads the kernel and
     *     initrd, maps guest RAM and device memory) and so takes far longer than other calls on a busy host
     * @param builtins names of the guests built into the engine, accepted as boot.builtin
     */
    public record Engine(
            @DefaultValue("local") String launcher,
            Path jar,
            Path java,
            @DefaultValue List<String> jvmOptions,
            @DefaultValue("60s") Duration portFileTimeout,
            @DefaultValue("10s") Duration stopTimeout,
            @DefaultValue("60s") Duration createTimeout,
            @DefaultValue({"hello", "hello-be"}) List<String> builtins) {

        /** The values {@code pvm.engine.launcher} accepts. */
        public static final List<String> LAUNCHERS = List.of("local", "kubernetes");

        public Engine {
            // Caught here, with the valid values, rather than as a missing EngineLauncher bean at startup.
            if (!LAUNCHERS.contains(launcher)) {
                throw new IllegalArgumentException("pvm.engine.launcher (PVM_ENGINE_LAUNCHER) must be one of "
                        + LAUNCHERS + ", not '" + launcher + "'");
            }
        }
    }

    public GatewayProperties {
        if (dataDir == null) {
            dataDir = Path.of(System.getProperty("java.io.tmpdir"), "pvm");
        }
    }

    /** The gateway's part of the data directory. */
    public Path gatewayDir() {
        return dataDir.resolve("gateway");
    }

    /** A VM's directory: engine.log, engine.port, console.log. */
    public Path vmDirectory(UUID vmId) {
        return gatewayDir().resolve("vms").resolve(vmId.toString());
    }
}
