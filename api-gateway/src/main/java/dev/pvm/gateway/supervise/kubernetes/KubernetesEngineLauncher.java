package dev.pvm.gateway.supervise.kubernetes;

import dev.pvm.gateway.problem.EngineLaunchException;
import dev.pvm.gateway.supervise.EngineLauncher;
import dev.pvm.gateway.supervise.EngineRequest;
import dev.pvm.gateway.supervise.LaunchedEngine;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.HttpURLConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each engine as a Pod ({@link EnginePodTemplate}) through the Kubernetes API and lets the scheduler choose
 * its node. A launch creates the pod, waits until it is Ready (its readiness probe reached the engine's gRPC port)
 * and connects to podIP:port. One informer on the engine pods' labels follows every pod: a pod that ends
 * (Succeeded or Failed) or disappears completes its engine's exit with the container's exit code and termination
 * reason, after its log tail has been read, and is then deleted; kill deletes the pod at once.
 */
public class KubernetesEngineLauncher implements EngineLauncher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubernetesEngineLauncher.class);
    /** How long the initial list of engine pods, or a leftover pod's deletion, may take. */
    private static final Duration API_WAIT = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final KubernetesEngineProperties properties;
    private final EnginePodTemplate template;
    private final String namespace;
    private final Map<String, EnginePod> pods = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private SharedIndexInformer<Pod> informer;

    public KubernetesEngineLauncher(KubernetesClient client, KubernetesEngineProperties properties,
            EnginePodTemplate template) {
        this.client = client;
        this.properties = properties;
        this.template = template;
        this.namespace = Objects.requireNonNullElse(
                properties.namespace() != null ? properties.namespace() : client.getNamespace(), "default");
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public LaunchedEngine launch(EngineRequest request) {
        startInformer();
        Pod created = create(template.pod(request, namespace));
        String name = created.getMetadata().getName();
        EnginePod engine = new EnginePod(created, resource(name), executor, () -> pods.remove(name));
        pods.put(name, engine);
        // Events of the new pod that came before it was registered are in the informer's store.
        Pod known = informer.getStore().getByKey(namespace + "/" + name);
        if (known != null && engine.isSamePod(known)) {
            engine.observed(known);
        }
        log.info("VM {}: engine pod {}/{} created ({} vCPUs, {} MiB, {} GPUs)", request.vmId(), namespace, name,
                request.vcpus(), request.memoryMiB(), request.nvlink2Gpus());
        Pod ready;
        try {
            ready = engine.awaitReady(properties.readyTimeout());
        } catch (EngineLaunchException e) {
            engine.kill();
            throw e;
        } catch (TimeoutException e) {
            String where = EnginePodStatus.describe(engine.lastSeen());
            engine.kill();
            throw new EngineLaunchException("engine pod " + name + " was not ready within "
                    + properties.readyTimeout() + " (" + where + "); it was deleted");
        } catch (InterruptedException e) {
            engine.kill();
            Thread.currentThread().interrupt();
            throw new EngineLaunchException("interrupted while waiting for engine pod " + name, e);
        }
        String ip = ready.getStatus().getPodIP();
        log.info("VM {}: engine pod {} ready on node {} at {}:{}", request.vmId(), name,
                ready.getSpec() == null ? "?" : ready.getSpec().getNodeName(), ip, properties.grpcPort());
        ManagedChannel channel = ManagedChannelBuilder.forAddress(ip, properties.grpcPort()).usePlaintext().build();
        return new LaunchedEngine(channel, engine);
    }

    /** Creates the pod; a leftover of the VM's earlier run (same name) is deleted first, once. */
    private Pod create(Pod pod) {
        String name = pod.getMetadata().getName();
        try {
            return client.pods().inNamespace(namespace).resource(pod).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw apiFailure("cannot create engine pod " + name, e);
            }
        }
        log.warn("engine pod {} is left from an earlier run; deleting it", name);
        deleteAndWait(name);
        try {
            return client.pods().inNamespace(namespace).resource(pod).create();
        } catch (KubernetesClientException e) {
            throw apiFailure("cannot create engine pod " + name, e);
        }
    }

    @Override
    public boolean terminateOrphan(UUID vmId, Path vmDirectory, Long recordedPid) {
        String name = EnginePodTemplate.podName(vmId);
        try {
            if (resource(name).get() == null) {
                return false;
            }
            log.warn("VM {}: deleting orphaned engine pod {}", vmId, name);
            deleteAndWait(name);
            return true;
        } catch (KubernetesClientException e) {
            throw apiFailure("cannot look for VM " + vmId + "'s engine pod " + name, e);
        }
    }

    private void deleteAndWait(String name) {
        PodResource resource = resource(name);
        try {
            resource.withGracePeriod(0).delete();
            resource.waitUntilCondition(Objects::isNull, API_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (KubernetesClientException e) {
            throw apiFailure("cannot delete engine pod " + name, e);
        }
    }

    private PodResource resource(String name) {
        return client.pods().inNamespace(namespace).withName(name);
    }

    private synchronized void startInformer() {
        if (informer != null) {
            return;
        }
        SharedIndexInformer<Pod> started = client.pods().inNamespace(namespace)
                .withLabels(EnginePodTemplate.selector())
                .runnableInformer(0);
        started.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                engineOf(pod).ifPresent(e -> e.observed(pod));
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                engineOf(pod).ifPresent(e -> e.observed(pod));
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                engineOf(pod).ifPresent(e -> e.deleted(pod));
            }
        });
        try {
            started.start().toCompletableFuture().get(API_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            started.stop();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new EngineLaunchException("cannot watch engine pods in namespace " + namespace + " (may the "
                    + "gateway's service account list and watch pods there?): " + cause, cause);
        } catch (InterruptedException e) {
            started.stop();
            Thread.currentThread().interrupt();
            throw new EngineLaunchException("interrupted while starting to watch engine pods", e);
        }
        informer = started;
    }

    private java.util.Optional<EnginePod> engineOf(Pod pod) {
        EnginePod engine = pods.get(pod.getMetadata().getName());
        return engine != null && engine.isSamePod(pod) ? java.util.Optional.of(engine) : java.util.Optional.empty();
    }

    private RuntimeException apiFailure(String what, KubernetesClientException e) {
        String why = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getMessage();
        String hint = e.getCode() == HttpURLConnection.HTTP_FORBIDDEN
                ? " (the gateway's service account needs create, get, list, watch and delete on pods, and get on "
                        + "pods/log, in namespace " + namespace + ")"
                : "";
        return new EngineLaunchException(what + " in namespace " + namespace + ": " + why + hint, e);
    }

    @Override
    public synchronized void close() {
        if (informer != null) {
            informer.stop();
        }
        executor.shutdownNow();
    }
}
