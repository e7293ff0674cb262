package dev.pvm.gateway.supervise.kubernetes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How engine pods are made (prefix {@code pvm.engine.kubernetes}; used when {@code pvm.engine.launcher=kubernetes}).
 *
 * @param namespace where engine pods go; blank means the client's namespace (in a pod: the gateway's own)
 * @param image the vm-engine image, with a tag or digest
 * @param imagePullPolicy Always, IfNotPresent or Never
 * @param grpcPort the port the engine listens on inside its pod; the gateway connects to podIP:grpcPort
 * @param memoryOverhead memory of the engine process beyond guest RAM (Java heap, code cache, metaspace, threads,
 *     gRPC buffers); the pod requests guest RAM + this, and is limited to the same
 * @param heap the engine's maximum Java heap (-Xmx), part of the overhead: guest RAM is held off the heap
 * @param readyTimeout how long a pod may take to be scheduled, pull its image and listen before the start fails
 * @param serviceAccount the engine pods' service account (the engine needs no API access: no token is mounted)
 * @param gpuResource the extended resource that counts NVLink2 GPUs (advertised by device-service's device plugin)
 * @param gpuMemoryHostPath on GPU hosts, the directory device-service shares GPU RAM and ATSD backing files in;
 *     mounted at the same path into pods of VMs with GPUs; blank means none is mounted
 * @param nodeSelector node labels engine pods must land on (beside kubernetes.io/os=linux)
 * @param ownerPodName the gateway's own pod (downward API, POD_NAME): engine pods are owned by it, so that the
 *     garbage collector removes them when the gateway pod goes away; blank means no owner
 * @param ownerPodUid that pod's uid (POD_UID)
 */
@ConfigurationProperties("pvm.engine.kubernetes")
public record KubernetesEngineProperties(
        String namespace,
        @DefaultValue("pvm/vm-engine:0.1.0-SNAPSHOT") String image,
        @DefaultValue("IfNotPresent") String imagePullPolicy,
        @DefaultValue("9095") int grpcPort,
        @DefaultValue("512MB") DataSize memoryOverhead,
        @DefaultValue("256MB") DataSize heap,
        @DefaultValue("5m") Duration readyTimeout,
        @DefaultValue("pvm-engine") String serviceAccount,
        @DefaultValue("pvm.dev/nvlink2-gpu") String gpuResource,
        Path gpuMemoryHostPath,
        @DefaultValue Map<String, String> nodeSelector,
        String ownerPodName,
        String ownerPodUid) {

    public KubernetesEngineProperties {
        namespace = blankToNull(namespace);
        ownerPodName = blankToNull(ownerPodName);
        ownerPodUid = blankToNull(ownerPodUid);
        if (gpuMemoryHostPath != null && gpuMemoryHostPath.toString().isBlank()) {
            gpuMemoryHostPath = null;
        }
        if (image == null || image.isBlank() || !hasTagOrDigest(image)) {
            throw new IllegalArgumentException("pvm.engine.kubernetes.image (PVM_ENGINE_IMAGE) must name the "
                    + "vm-engine image with a tag or digest, e.g. pvm/vm-engine:0.1.0-SNAPSHOT; got '" + image + "'");
        }
        if (!java.util.List.of("Always", "IfNotPresent", "Never").contains(imagePullPolicy)) {
            throw new IllegalArgumentException("pvm.engine.kubernetes.image-pull-policy must be Always, "
                    + "IfNotPresent or Never; got '" + imagePullPolicy + "'");
        }
        if (grpcPort < 1 || grpcPort > 65535) {
            throw new IllegalArgumentException("pvm.engine.kubernetes.grpc-port must be 1-65535; got " + grpcPort);
        }
        if (heap.toMegabytes() < 16 || heap.compareTo(memoryOverhead) >= 0) {
            throw new IllegalArgumentException("pvm.engine.kubernetes.heap (" + heap.toMegabytes() + "MB) must be at "
                    + "least 16MB and less than memory-overhead (" + memoryOverhead.toMegabytes() + "MB), which also "
                    + "holds the rest of the JVM");
        }
        if ((ownerPodName == null) != (ownerPodUid == null)) {
            throw new IllegalArgumentException("pvm.engine.kubernetes.owner-pod-name and owner-pod-uid (POD_NAME, "
                    + "POD_UID) go together; got name '" + ownerPodName + "', uid '" + ownerPodUid + "'");
        }
        nodeSelector = Map.copyOf(nodeSelector);
    }

    /** Whether an image reference pins a version: a digest, or a tag after the last path segment's colon. */
    static boolean hasTagOrDigest(String image) {
        if (image.contains("@sha256:")) {
            return true;
        }
        int lastSlash = image.lastIndexOf('/');
        int colon = image.indexOf(':', lastSlash + 1);
        return colon > lastSlash + 1 && colon < image.length() - 1;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
