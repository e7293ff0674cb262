package dev.pvm.engine.cli;

import dev.pvm.engine.api.EngineServer;
import dev.pvm.engine.api.VmEngineService;
import dev.pvm.engine.control.ConsoleBuffer;
import dev.pvm.engine.control.VmController;
import dev.pvm.engine.machine.spapr.SpaprMachine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve}: runs one VM behind the VmEngine gRPC service until it ends (see {@link EngineExit}).
 * Prints {@code pvm-engine: listening on port N} and writes N to the port file once listening.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the VmEngine gRPC API for one VM: Create, then Start; exits when the VM has ended.")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--grpc-port", defaultValue = "0", description = "TCP port to listen on; 0 picks a free one.")
    int grpcPort;

    @Option(names = "--port-file", description = "File that receives the bound port (one line) once listening.")
    Path portFile;

    @Option(names = "--bind", defaultValue = "${env:PVM_BIND_ADDRESS:-127.0.0.1}",
            description = "Address to listen on (default: $PVM_BIND_ADDRESS or 127.0.0.1).")
    String bind;

    @Option(names = "--exit-grace", defaultValue = "10", description = "Seconds to wait for Shutdown once the VM "
            + "has ended before exiting on our own (default 10).")
    long exitGraceSeconds;

    /** Completes with the bound port once listening (tests wait on it instead of polling the port file). */
    final CompletableFuture<Integer> listening = new CompletableFuture<>();

    @Override
    public Integer call() throws Exception {
        ConsoleBuffer console = new ConsoleBuffer(ConsoleBuffer.DEFAULT_CAPACITY);
        Clock clock = Clock.systemUTC();
        VmController controller = new VmController((config, sink) -> SpaprMachine.create(config, sink, clock),
                console);
        EngineExit exit = new EngineExit(controller, Duration.ofSeconds(exitGraceSeconds));
        ExecutorService streams = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "console-stream");
            t.setDaemon(true);
            return t;
        });
        EngineServer server = new EngineServer(new VmEngineService(controller, exit::shutdownRequested, streams),
                bind, grpcPort).start();
        if (portFile != null) {
            PortFile.write(portFile, server.port());
        }
        System.out.println("pvm-engine: listening on port " + server.port());
        System.out.flush();
        listening.complete(server.port());
        int code = exit.exitCode().join();
        server.stop(Duration.ofSeconds(2));
        controller.close();
        streams.shutdownNow();
        return code;
    }
}
