package dev.pvm.gateway.supervise.kubernetes;

import dev.pvm.gateway.supervise.EngineRequest;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Pod that runs one VM's engine. Its resources are what the VM uses, so that the scheduler places it on a
 * node with room for it: a CPU per vCPU (each vCPU is a busy thread while the guest runs), guest RAM plus the
 * engine's own overhead (requested and limited alike: guest RAM is not reclaimable), and the VM's NVLink2 GPUs as
 * the extended resource device-service's device plugin advertises. The pod never restarts: an engine that ends is
 * the VM's run ending, and the gateway decides what that means.
 */
public final class EnginePodTemplate {

    public static final String CONTAINER = "engine";
    public static final String LABEL_NAME = "app.kubernetes.io/name";
    public static final String LABEL_COMPONENT = "app.kubernetes.io/component";
    public static final String LABEL_PART_OF = "app.kubernetes.io/part-of";
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String LABEL_VM_ID = "pvm.dev/vm-id";
    public static final String ANNOTATION_VM_NAME = "pvm.dev/vm-name";
    /** The value of {@link #LABEL_MANAGED_BY} on every engine pod; the launcher watches pods with it. */
    public static final String MANAGED_BY = "pvm-api-gateway";
    static final String PORT_NAME = "grpc";
    private static final String TMP_VOLUME = "tmp";
    private static final String GPU_MEMORY_VOLUME = "gpu-memory";

    private final KubernetesEngineProperties properties;
    private final List<String> jvmOptions;
    private final long terminationGraceSeconds;

    /**
     * @param jvmOptions extra JVM options for engines (pvm.engine.jvm-options), passed as JDK_JAVA_OPTIONS
     * @param terminationGraceSeconds how long the kubelet waits after SIGTERM (the gateway's stop timeout)
     */
    public EnginePodTemplate(KubernetesEngineProperties properties, List<String> jvmOptions,
            long terminationGraceSeconds) {
        this.properties = properties;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.terminationGraceSeconds = terminationGraceSeconds;
    }

    /** The pod's name: one per VM, so that a VM never has two engines and a leftover one is found by name. */
    public static String podName(UUID vmId) {
        return "pvm-engine-" + vmId;
    }

    /** Labels that select every engine pod this gateway makes. */
    public static Map<String, String> selector() {
        return Map.of(LABEL_COMPONENT, "vm-engine", LABEL_MANAGED_BY, MANAGED_BY);
    }

    public Pod pod(EngineRequest request, String namespace) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_NAME, "vm-engine");
        labels.put(LABEL_COMPONENT, "vm-engine");
        labels.put(LABEL_PART_OF, "pvm");
        labels.put(LABEL_MANAGED_BY, MANAGED_BY);
        labels.put(LABEL_VM_ID, request.vmId().toString());

        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                    .withName(podName(request.vmId()))
                    .withNamespace(namespace)
                    .withLabels(labels)
                    .withAnnotations(Map.of(ANNOTATION_VM_NAME, request.vmName()))
                .endMetadata();
        if (properties.ownerPodName() != null) {
            // Not blocking the owner's deletion: that would need delete rights on the gateway's own pod.
            pod.editMetadata().withOwnerReferences(new OwnerReferenceBuilder()
                    .withApiVersion("v1").withKind("Pod")
                    .withName(properties.ownerPodName()).withUid(properties.ownerPodUid())
                    .withController(false).withBlockOwnerDeletion(false)
                    .build()).endMetadata();
        }

        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        // The root filesystem is read-only; Netty unpacks its native transport into /tmp.
        volumes.add(new VolumeBuilder().withName(TMP_VOLUME)
                .withNewEmptyDir().withSizeLimit(new Quantity("64Mi")).endEmptyDir().build());
        mounts.add(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build());
        if (request.nvlink2Gpus() > 0 && properties.gpuMemoryHostPath() != null) {
            String path = properties.gpuMemoryHostPath().toString();
            volumes.add(new VolumeBuilder().withName(GPU_MEMORY_VOLUME)
                    .withNewHostPath().withPath(path).withType("Directory").endHostPath().build());
            mounts.add(new VolumeMountBuilder().withName(GPU_MEMORY_VOLUME).withMountPath(path).build());
        }

        Map<String, String> nodeSelector = new LinkedHashMap<>(properties.nodeSelector());
        nodeSelector.put("kubernetes.io/os", "linux");

        return pod.withNewSpec()
                    .withRestartPolicy("Never")
                    .withServiceAccountName(properties.serviceAccount())
                    .withAutomountServiceAccountToken(false)
                    .withEnableServiceLinks(false)
                    .withTerminationGracePeriodSeconds(terminationGraceSeconds)
                    .withNodeSelector(nodeSelector)
                    .withNewSecurityContext()
                        .withRunAsNonRoot(true).withRunAsUser(65532L).withRunAsGroup(65532L).withFsGroup(65532L)
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                    .endSecurityContext()
                    .withContainers(container(request))
                    .withVolumes(volumes)
                    .editFirstContainer().withVolumeMounts(mounts).endContainer()
                .endSpec()
                .build();
    }

    private Container container(EngineRequest request) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        Quantity memory = new Quantity((request.memoryMiB() + properties.memoryOverhead().toMegabytes()) + "Mi");
        requests.put("cpu", new Quantity(Integer.toString(request.vcpus())));
        requests.put("memory", memory);
        limits.put("memory", memory);
        if (request.nvlink2Gpus() > 0) {
            // Extended resources cannot be overcommitted: request and limit must be equal.
            Quantity gpus = new Quantity(Integer.toString(request.nvlink2Gpus()));
            requests.put(properties.gpuResource(), gpus);
            limits.put(properties.gpuResource(), gpus);
        }
        List<String> javaOptions = new ArrayList<>();
        javaOptions.add("-Xmx" + properties.heap().toMegabytes() + "m");
        javaOptions.addAll(jvmOptions);

        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(properties.image())
                .withImagePullPolicy(properties.imagePullPolicy())
                // The image's entrypoint is the engine's main class; these are its arguments.
                .withArgs("serve", "--grpc-port", Integer.toString(properties.grpcPort()),
                        "--port-file", "/tmp/engine.port")
                .addNewEnv().withName("PVM_BIND_ADDRESS").withValue("0.0.0.0").endEnv()
                .addNewEnv().withName("PVM_VM_ID").withValue(request.vmId().toString()).endEnv()
                .addNewEnv().withName("JDK_JAVA_OPTIONS").withValue(String.join(" ", javaOptions)).endEnv()
                .addNewPort().withName(PORT_NAME).withContainerPort(properties.grpcPort()).withProtocol("TCP")
                    .endPort()
                .withNewResources().withRequests(requests).withLimits(limits).endResources()
                // Ready = listening: the gateway connects as soon as the pod is Ready.
                .withNewReadinessProbe()
                    .withNewTcpSocket().withNewPort(PORT_NAME).endTcpSocket()
                    .withPeriodSeconds(1).withFailureThreshold(3)
                .endReadinessProbe()
                .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .build();
    }
}
