package dev.pvm.gateway.supervise;

import dev.pvm.gateway.config.GatewayProperties;
import dev.pvm.gateway.problem.EngineLaunchException;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Runs each engine as a child JVM: {@code java -jar <engine jar> serve --grpc-port 0 --port-file <vmdir>/engine.port},
 * stdout and stderr to {@code <vmdir>/engine.log}. The engine picks a free port and writes it to the port file
 * (atomically) once listening; the launcher waits for that file, and gives up when the process exits first or
 * the timeout passes.
 */
@Component
@ConditionalOnProperty(name = "pvm.engine.launcher", havingValue = "local", matchIfMissing = true)
public class LocalProcessEngineLauncher implements EngineLauncher {

    public static final String PORT_FILE = "engine.port";
    public static final String ENGINE_LOG = "engine.log";
    private static final Logger log = LoggerFactory.getLogger(LocalProcessEngineLauncher.class);
    /** How often the port file is looked for: short against a JVM start of about a second. */
    private static final long PORT_POLL_MILLIS = 50;

    private final GatewayProperties properties;

    public LocalProcessEngineLauncher(GatewayProperties properties) {
        this.properties = properties;
    }

    @Override
    public LaunchedEngine launch(EngineRequest request) {
        UUID vmId = request.vmId();
        Path vmDirectory = request.vmDirectory();
        Path portFile = vmDirectory.resolve(PORT_FILE);
        Path engineLog = vmDirectory.resolve(ENGINE_LOG);
        List<String> command = EngineCommand.build(properties.engine(), portFile, Path.of(""));
        Process process;
        try {
            Files.createDirectories(vmDirectory);
            Files.deleteIfExists(portFile);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(vmDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(engineLog.toFile());
            // The gateway reaches its engines on loopback only; in a container the gateway itself listens on
            // 0.0.0.0 (PVM_BIND_ADDRESS), which its engines must not inherit. Nor the gateway's own JVM options
            // (a container sets its heap through JDK_JAVA_OPTIONS): engines get pvm.engine.jvm-options only.
            builder.environment().put("PVM_BIND_ADDRESS", "127.0.0.1");
            builder.environment().remove("JDK_JAVA_OPTIONS");
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            process = builder.start();
        } catch (IOException e) {
            throw new EngineLaunchException("cannot start the engine (" + String.join(" ", command) + "): "
                    + e.getMessage(), e);
        }
        log.info("VM {}: engine pid {} started: {}", vmId, process.pid(), String.join(" ", command));
        LocalEngineProcess engine = new LocalEngineProcess(process, engineLog);
        int port = awaitPort(portFile, process, engine);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        log.info("VM {}: engine pid {} listening on port {}", vmId, process.pid(), port);
        return new LaunchedEngine(channel, engine);
    }

    private int awaitPort(Path portFile, Process process, LocalEngineProcess engine) {
        Instant deadline = Instant.now().plus(properties.engine().portFileTimeout());
        while (true) {
            Optional<Integer> port = readPort(portFile, process);
            if (port.isPresent()) {
                return port.get();
            }
            if (!process.isAlive()) {
                throw new EngineLaunchException("engine exited with code " + process.exitValue()
                        + " before listening; last lines of " + ENGINE_LOG + ":\n"
                        + String.join("\n", engine.logTail(20)));
            }
            if (Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                throw new EngineLaunchException("engine did not write " + portFile + " within "
                        + properties.engine().portFileTimeout() + "; it was killed. Last lines of " + ENGINE_LOG
                        + ":\n" + String.join("\n", engine.logTail(20)));
            }
            try {
                Thread.sleep(PORT_POLL_MILLIS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new EngineLaunchException("interrupted while waiting for the engine to listen", e);
            }
        }
    }

    private static Optional<Integer> readPort(Path portFile, Process process) {
        try {
            String text = Files.readString(portFile).trim();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException("out of range");
            }
            return Optional.of(port);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            process.destroyForcibly();
            throw new EngineLaunchException("engine wrote an unreadable port file " + portFile + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public boolean terminateOrphan(UUID vmId, Path vmDirectory, Long recordedPid) {
        if (recordedPid == null) {
            return false;
        }
        String portFile = vmDirectory.resolve(PORT_FILE).toString();
        // A pid can be reused: only a process whose command line names this VM's port file is its engine.
        return ProcessHandle.of(recordedPid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(portFile)).orElse(false))
                .map(p -> {
                    log.warn("VM {}: ending orphaned engine pid {}", vmId, recordedPid);
                    p.destroyForcibly();
                    p.onExit().join();
                    return true;
                })
                .orElse(false);
    }
}
