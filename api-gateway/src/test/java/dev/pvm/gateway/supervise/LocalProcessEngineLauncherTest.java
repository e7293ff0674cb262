package dev.pvm.gateway.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.gateway.config.GatewayProperties;
import dev.pvm.gateway.fake.FakeVmEngine;
import dev.pvm.gateway.problem.EngineLaunchException;
import dev.pvm.proto.engine.v1.GetDeviceTreeRequest;
import dev.pvm.proto.engine.v1.VmEngineGrpc;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local launcher with a shell script in place of java: the script gets the engine's command line, so the
 * test sees what the engine would see, and plays the engine's part of the port-file handshake.
 */
class LocalProcessEngineLauncherTest {

    @TempDir
    Path dir;

    private LocalProcessEngineLauncher launcher(Path java) throws Exception {
        Path jar = Files.writeString(dir.resolve("engine.jar"), "not really a jar");
        GatewayProperties properties = new GatewayProperties(dir, Duration.ofSeconds(5), Duration.ofMinutes(1),
                new GatewayProperties.Engine("local", jar, java, List.of("-Xmx256m"), Duration.ofSeconds(30),
                        Duration.ofSeconds(5), Duration.ofSeconds(60), List.of("hello")));
        return new LocalProcessEngineLauncher(properties);
    }

    private static EngineRequest request(Path vmDirectory) {
        return new EngineRequest(UUID.randomUUID(), "vm", vmDirectory, 1, 256, 0);
    }

    private Path script(String body) throws Exception {
        Path script = dir.resolve("fake-java");
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void connectsToTheEngineOnceItWritesItsPortAndSeesItsExit() throws Exception {
        Server engine = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new FakeVmEngine(FakeVmEngine.Scenario.RUN_UNTIL_STOPPED, new CompletableFuture<>(),
                        new CopyOnWriteArrayList<>()))
                .build().start();
        try {
            // Args: --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx256m -jar JAR serve
            // --grpc-port 0 --port-file FILE
            Path java = script("echo \"args: $*\"\necho \"bind: $PVM_BIND_ADDRESS\"\necho " + engine.getPort()
                    + " > \"${10}.tmp\" && mv \"${10}.tmp\" \"${10}\"\n"
                    + "echo 'pvm-engine: listening'\nexec sleep 600\n");
            Path vmDir = dir.resolve("vm");
            LaunchedEngine launched = launcher(java).launch(request(vmDir));

            byte[] dtb = VmEngineGrpc.newBlockingStub(launched.channel())
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getDeviceTree(GetDeviceTreeRequest.getDefaultInstance()).getDtb().toByteArray();
            assertThat(dtb).isEqualTo(FakeVmEngine.DTB);
            assertThat(launched.process().pid()).isPresent();

            launched.process().kill();
            assertThat(launched.process().exitCode().get(30, TimeUnit.SECONDS)).isEqualTo(137);
            assertThat(launched.process().logTail(20)).contains(
                    "args: --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx256m -jar "
                            + dir.resolve("engine.jar")
                            + " serve --grpc-port 0 --port-file " + vmDir.resolve("engine.port"),
                    "bind: 127.0.0.1", "pvm-engine: listening");
            launched.channel().shutdownNow();
        } finally {
            engine.shutdownNow();
        }
    }

    @Test
    void anEngineExitingBeforeListeningIsALaunchFailureWithItsLog() throws Exception {
        Path java = script("echo 'Error: Unable to access jarfile'\nexit 1\n");
        assertThatThrownBy(() -> launcher(java).launch(request(dir.resolve("vm"))))
                .isInstanceOf(EngineLaunchException.class)
                .hasMessageContaining("engine exited with code 1 before listening")
                .hasMessageContaining("Error: Unable to access jarfile");
    }

    @Test
    void aMissingEngineJarIsNamed() {
        GatewayProperties properties = new GatewayProperties(dir, Duration.ofSeconds(5), Duration.ofMinutes(1),
                new GatewayProperties.Engine("local", dir.resolve("missing.jar"), null, List.of(),
                        Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(60), List.of("hello")));
        assertThatThrownBy(() -> new LocalProcessEngineLauncher(properties).launch(request(dir)))
                .isInstanceOf(EngineLaunchException.class)
                .hasMessageContaining("no engine jar at " + dir.resolve("missing.jar"));
    }

    @Test
    void findsTheEngineJarInAParentOfTheWorkingDirectory() throws Exception {
        Path jar = dir.resolve(EngineCommand.DEFAULT_JAR);
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");
        Path nested = Files.createDirectories(dir.resolve("a/b"));
        GatewayProperties.Engine engine = new GatewayProperties.Engine("local", null, null, List.of(),
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(60), List.of());
        assertThat(EngineCommand.jar(engine, nested)).isEqualTo(jar);
    }
}
