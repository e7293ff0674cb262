package dev.pvm.gateway.supervise;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/** An engine running as a child process of the gateway, logging to engine.log. */
final class LocalEngineProcess implements EngineProcess {

    private final Process process;
    private final Path log;
    private final CompletableFuture<Integer> exitCode;

    LocalEngineProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.exitCode = process.onExit().thenApply(Process::exitValue);
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public CompletableFuture<Integer> exitCode() {
        return exitCode;
    }

    @Override
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public List<String> logTail(int lines) {
        return LogTail.of(log, lines);
    }
}
