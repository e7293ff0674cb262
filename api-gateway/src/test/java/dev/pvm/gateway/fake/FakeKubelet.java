package dev.pvm.gateway.fake;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Objects;

/**
 * Plays the scheduler and kubelet against fabric8's mock API server (CRUD mode has neither): writes the pod
 * statuses they would write, so that a launcher sees its pods scheduled, running, ready, failing or ending.
 */
public final class FakeKubelet {

    public static final String NODE = "node-1";
    private static final String CONTAINER = "engine";

    private final KubernetesClient client;
    private final String namespace;

    public FakeKubelet(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Waits until the pod exists and returns it. */
    public Pod awaitPod(String name) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> get(name), Objects::nonNull);
    }

    /** Waits until the pod is gone. */
    public void awaitGone(String name) {
        await().atMost(Duration.ofSeconds(20)).until(() -> get(name) == null);
    }

    public Pod get(String name) {
        return client.pods().inNamespace(namespace).withName(name).get();
    }

    /** Scheduled on {@link #NODE}, the engine container running and ready at {@code podIp}. */
    public void run(String name, String podIp) {
        status(name, new PodStatusBuilder()
                .withPhase("Running")
                .withPodIP(podIp)
                .withConditions(
                        new PodConditionBuilder().withType("PodScheduled").withStatus("True").build(),
                        new PodConditionBuilder().withType("Ready").withStatus("True").build())
                .withContainerStatuses(new ContainerStatusBuilder().withName(CONTAINER).withReady(true)
                        .withState(new ContainerStateBuilder().withNewRunning().endRunning().build()).build())
                .build(), true);
    }

    /** Scheduled, the container waiting (e.g. ErrImageNeverPull). */
    public void waiting(String name, String reason, String message) {
        status(name, new PodStatusBuilder()
                .withPhase("Pending")
                .withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("True").build())
                .withContainerStatuses(new ContainerStatusBuilder().withName(CONTAINER).withReady(false)
                        .withState(new ContainerStateBuilder().withNewWaiting().withReason(reason)
                                .withMessage(message).endWaiting().build()).build())
                .build(), true);
    }

    /** No node fits the pod. */
    public void unschedulable(String name, String message) {
        status(name, new PodStatusBuilder()
                .withPhase("Pending")
                .withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                        .withReason("Unschedulable").withMessage(message).build())
                .build(), false);
    }

    /** The engine container ended; the pod is Succeeded (code 0) or Failed. */
    public void end(String name, int exitCode, String reason) {
        status(name, new PodStatusBuilder()
                .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .withPodIP(podIp(name))
                .withConditions(
                        new PodConditionBuilder().withType("PodScheduled").withStatus("True").build(),
                        new PodConditionBuilder().withType("Ready").withStatus("False").build())
                .withContainerStatuses(new ContainerStatusBuilder().withName(CONTAINER).withReady(false)
                        .withState(new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode)
                                .withReason(reason).endTerminated().build()).build())
                .build(), true);
    }

    private String podIp(String name) {
        Pod pod = get(name);
        return pod == null || pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    }

    private void status(String name, PodStatus status, boolean scheduled) {
        Pod pod = awaitPod(name);
        Pod updated = new PodBuilder(pod)
                .editSpec().withNodeName(scheduled ? NODE : null).endSpec()
                .withStatus(status)
                .build();
        client.pods().inNamespace(namespace).resource(updated).update();
    }
}
