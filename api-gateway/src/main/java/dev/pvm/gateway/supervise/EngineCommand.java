package dev.pvm.gateway.supervise;

import dev.pvm.gateway.config.GatewayProperties;
import dev.pvm.gateway.problem.EngineLaunchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line that starts a local engine JVM. */
public final class EngineCommand {

    /** Where a build of this repository leaves the engine, relative to the repository root. */
    static final Path DEFAULT_JAR = Path.of("vm-engine", "target", "pvm-vm-engine-0.1.0-SNAPSHOT.jar");

    private EngineCommand() {}

    public static List<String> build(GatewayProperties.Engine engine, Path portFile, Path workingDirectory) {
        List<String> command = new ArrayList<>();
        command.add(java(engine).toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        // Raw host accesses for translated code's guest RAM fast path (the engine's HostAddressAccess).
        command.add("--sun-misc-unsafe-memory-access=allow");
        command.addAll(engine.jvmOptions());
        command.add("-jar");
        command.add(jar(engine, workingDirectory).toString());
        command.add("serve");
        command.add("--grpc-port");
        command.add("0");
        command.add("--port-file");
        command.add(portFile.toString());
        return command;
    }

    static Path java(GatewayProperties.Engine engine) {
        Path java = engine.java() != null
                ? engine.java()
                : Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isExecutable(java)) {
            throw new EngineLaunchException("no java executable at " + java + " (set pvm.engine.java)");
        }
        return java;
    }

    /** The configured jar, else vm-engine/target/... in the working directory or the nearest parent that has it. */
    static Path jar(GatewayProperties.Engine engine, Path workingDirectory) {
        if (engine.jar() != null) {
            if (!Files.isRegularFile(engine.jar())) {
                throw new EngineLaunchException("no engine jar at " + engine.jar()
                        + " (pvm.engine.jar / PVM_ENGINE_JAR)");
            }
            return engine.jar().toAbsolutePath();
        }
        for (Path dir = workingDirectory.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DEFAULT_JAR);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new EngineLaunchException("no engine jar: set pvm.engine.jar (PVM_ENGINE_JAR) or build vm-engine; "
                + DEFAULT_JAR + " is not in " + workingDirectory.toAbsolutePath() + " or any parent");
    }
}
