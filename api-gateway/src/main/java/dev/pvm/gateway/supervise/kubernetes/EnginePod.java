package dev.pvm.gateway.supervise.kubernetes;

import dev.pvm.gateway.problem.EngineLaunchException;
import dev.pvm.gateway.supervise.EngineProcess;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VM's engine pod as the supervisor sees it, fed by the launcher's pod informer. Order: created -> observed
 * any number of times -> ready (or never) -> over (Succeeded, Failed or deleted) -> log read, exit completed, pod
 * deleted. The exit is completed only after the log has been read, because the supervisor asks for the log tail as
 * soon as the exit completes, and deleting the pod loses it.
 */
final class EnginePod implements EngineProcess {

    private static final Logger log = LoggerFactory.getLogger(EnginePod.class);
    /** Lines read from a finished pod; more than the supervisor shows, fewer than a whole boot log. */
    static final int LOG_LINES_KEPT = 50;

    private final String name;
    private final String uid;
    private final PodResource resource;
    private final Executor executor;
    private final Runnable onFinished;
    private final CompletableFuture<Pod> ready = new CompletableFuture<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile boolean deletedByGateway;
    private volatile Pod lastSeen;
    private volatile List<String> logTail = List.of();
    private volatile String exitReason;

    /**
     * @param created the pod as the API server answered the create (its uid tells it from an older namesake)
     * @param onFinished run once the pod is over and deleted
     */
    EnginePod(Pod created, PodResource resource, Executor executor, Runnable onFinished) {
        this.name = created.getMetadata().getName();
        this.uid = created.getMetadata().getUid();
        this.resource = resource;
        this.executor = executor;
        this.onFinished = onFinished;
        this.lastSeen = created;
    }

    String name() {
        return name;
    }

    /** Whether an event is about this pod and not an earlier one of the same name (a VM's earlier run). */
    boolean isSamePod(Pod pod) {
        return uid == null || pod.getMetadata().getUid() == null || uid.equals(pod.getMetadata().getUid());
    }

    Pod lastSeen() {
        return lastSeen;
    }

    /** The pod as the API server now has it (an add or update event). */
    void observed(Pod pod) {
        lastSeen = pod;
        if (EnginePodStatus.isOver(pod)) {
            end(pod, false);
        } else if (EnginePodStatus.isReady(pod)) {
            ready.complete(pod);
        } else {
            EnginePodStatus.hopeless(pod).ifPresent(why -> ready.completeExceptionally(
                    new EngineLaunchException("engine pod " + name + " will not start: " + why)));
        }
    }

    /** The pod is gone from the API server (its last known state, or null when the informer did not have it). */
    void deleted(Pod pod) {
        end(pod == null ? lastSeen : pod, true);
    }

    /**
     * Waits until the pod is ready and returns it.
     *
     * @throws EngineLaunchException when it ended first or cannot start
     * @throws TimeoutException when neither happened in time
     */
    Pod awaitReady(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EngineLaunchException launch) {
                throw launch;
            }
            throw new EngineLaunchException("engine pod " + name + " failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.empty();
    }

    @Override
    public CompletableFuture<Integer> exitCode() {
        return exit;
    }

    /** Deletes the pod at once (grace period 0: the kubelet kills the engine). */
    @Override
    public void kill() {
        deletedByGateway = true;
        try {
            if (resource.withGracePeriod(0).delete().isEmpty()) {
                // Already gone, and its deletion perhaps seen before this pod was registered.
                deleted(null);
            }
        } catch (KubernetesClientException e) {
            log.warn("engine pod {}: delete failed: {}", name, e.getMessage());
        }
    }

    @Override
    public List<String> logTail(int lines) {
        List<String> all = logTail;
        return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public String logName() {
        return "pod " + name + " (container " + EnginePodTemplate.CONTAINER + ")";
    }

    @Override
    public Optional<String> exitReason() {
        return Optional.ofNullable(exitReason);
    }

    private void end(Pod pod, boolean deleted) {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        // Not on the informer's thread: reading the log and deleting the pod are API calls.
        executor.execute(() -> finish(pod, deleted));
    }

    private void finish(Pod pod, boolean deleted) {
        EnginePodStatus.Termination termination = EnginePodStatus.termination(pod, deleted, deletedByGateway);
        logTail = deleted ? List.of("(none: pod " + name + " was deleted before its log was read)") : readLog();
        exitReason = termination.reason();
        ready.completeExceptionally(new EngineLaunchException("engine exited with code " + termination.exitCode()
                + " before listening (" + termination.reason() + "); last lines of " + logName() + ":\n"
                + String.join("\n", logTail(20))));
        exit.complete(termination.exitCode());
        if (!deleted) {
            try {
                resource.withGracePeriod(0).delete();
            } catch (KubernetesClientException e) {
                log.warn("engine pod {} is over but could not be deleted: {}", name, e.getMessage());
            }
        }
        onFinished.run();
    }

    private List<String> readLog() {
        try {
            String text = resource.inContainer(EnginePodTemplate.CONTAINER).tailingLines(LOG_LINES_KEPT).getLog();
            return text == null || text.isEmpty() ? List.of() : List.of(text.split("\n"));
        } catch (KubernetesClientException e) {
            return List.of("(the log of pod " + name + " could not be read: " + e.getMessage() + ")");
        }
    }
}
