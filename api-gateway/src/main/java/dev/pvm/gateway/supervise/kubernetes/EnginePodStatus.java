package dev.pvm.gateway.supervise.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads an engine pod's status the way the launcher needs it: ready, over (and how), or stuck for good. */
final class EnginePodStatus {

    /**
     * Waiting reasons that do not go away by waiting (restartPolicy is Never, so a failed container start is
     * final too). ImagePullBackOff: the kubelet gave up pulling once already; better a clear error now than after
     * the ready timeout.
     */
    static final Set<String> HOPELESS_WAITING = Set.of("ErrImageNeverPull", "InvalidImageName", "ImagePullBackOff",
            "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

    /** How an engine pod ended. */
    record Termination(int exitCode, String reason) {}

    private EnginePodStatus() {}

    static String phase(Pod pod) {
        PodStatus status = pod.getStatus();
        return status == null || status.getPhase() == null ? "Pending" : status.getPhase();
    }

    static boolean isOver(Pod pod) {
        String phase = phase(pod);
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    /** Ready (the readiness probe reached the engine's port) with an IP to connect to. */
    static boolean isReady(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null || status.getPodIP() == null || status.getPodIP().isEmpty() || isOver(pod)) {
            return false;
        }
        return condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /** Why the pod will never get ready, if its engine container waits for something that will not come. */
    static Optional<String> hopeless(Pod pod) {
        return engineState(pod)
                .map(ContainerState::getWaiting)
                .filter(w -> HOPELESS_WAITING.contains(w.getReason()))
                .map(w -> "container " + EnginePodTemplate.CONTAINER + " cannot start: " + describe(w));
    }

    /**
     * How the pod ended: the engine container's exit code and termination reason when the kubelet recorded them,
     * else the pod's own reason (e.g. Evicted). A pod that went away without either counts as killed (137) when the
     * gateway deleted it, and as unknown (-1) when someone else did.
     */
    static Termination termination(Pod pod, boolean deleted, boolean deletedByGateway) {
        Optional<ContainerStateTerminated> terminated = engineState(pod).map(ContainerState::getTerminated);
        List<String> parts = new ArrayList<>();
        int code;
        if (terminated.isPresent()) {
            ContainerStateTerminated t = terminated.get();
            code = t.getExitCode() == null ? -1 : t.getExitCode();
            parts.add("container " + EnginePodTemplate.CONTAINER + " terminated"
                    + (t.getReason() == null ? "" : ": " + t.getReason())
                    + (t.getMessage() == null || t.getMessage().isBlank() ? "" : " - " + t.getMessage().strip())
                    + (t.getSignal() == null || t.getSignal() == 0 ? "" : " (signal " + t.getSignal() + ")"));
        } else if (phase(pod).equals("Succeeded")) {
            code = 0;
        } else {
            code = deletedByGateway ? 137 : -1;
        }
        PodStatus status = pod.getStatus();
        if (status != null && status.getReason() != null) {
            parts.add("pod " + status.getReason()
                    + (status.getMessage() == null ? "" : ": " + status.getMessage().strip()));
        }
        if (deleted && !deletedByGateway) {
            parts.add("pod " + pod.getMetadata().getName() + " was deleted by someone other than the gateway");
        } else if (deleted && terminated.isEmpty()) {
            parts.add("pod deleted");
        } else if (parts.isEmpty()) {
            parts.add("pod " + phase(pod));
        }
        return new Termination(code, String.join("; ", parts));
    }

    /** One line on where a pod that is not ready stands: phase, scheduling, container state. */
    static String describe(Pod pod) {
        List<String> parts = new ArrayList<>();
        parts.add("phase " + phase(pod));
        condition(pod, "PodScheduled")
                .filter(c -> "False".equals(c.getStatus()))
                .ifPresent(c -> parts.add("not scheduled: " + c.getReason()
                        + (c.getMessage() == null ? "" : " - " + c.getMessage())));
        engineState(pod).ifPresent(state -> {
            if (state.getWaiting() != null) {
                parts.add("container waiting: " + describe(state.getWaiting()));
            } else if (state.getRunning() != null) {
                parts.add("container running, not ready (the engine does not accept connections on its port)");
            }
        });
        return String.join("; ", parts);
    }

    private static String describe(ContainerStateWaiting waiting) {
        return waiting.getReason() + (waiting.getMessage() == null ? "" : " - " + waiting.getMessage());
    }

    private static Optional<PodCondition> condition(Pod pod, String type) {
        PodStatus status = pod.getStatus();
        if (status == null || status.getConditions() == null) {
            return Optional.empty();
        }
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static Optional<ContainerState> engineState(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null || status.getContainerStatuses() == null) {
            return Optional.empty();
        }
        return status.getContainerStatuses().stream()
                .filter(c -> EnginePodTemplate.CONTAINER.equals(c.getName()))
                .map(ContainerStatus::getState)
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }
}
