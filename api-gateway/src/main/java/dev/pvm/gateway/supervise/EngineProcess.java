package dev.pvm.gateway.supervise;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/** The process (or pod) running one VM's engine, as the supervisor sees it. */
public interface EngineProcess {

    /** The local process id, when the engine is a local process. */
    OptionalLong pid();

    /** Completes with the exit code when the engine ends (128 + signal when killed by one). */
    CompletableFuture<Integer> exitCode();

    /** Ends the engine at once (SIGKILL or its equivalent). */
    void kill();

    /** The last lines the engine logged, oldest first. */
    List<String> logTail(int lines);

    /** Where {@link #logTail} reads from, as messages name it. */
    default String logName() {
        return LocalProcessEngineLauncher.ENGINE_LOG;
    }

    /**
     * What is known about the end beyond the exit code, once {@link #exitCode()} completed: e.g. a pod's
     * "container engine terminated: OOMKilled". Empty when the code says it all (a local process).
     */
    default Optional<String> exitReason() {
        return Optional.empty();
    }
}
