package dev.pvm.gateway.supervise;

import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * What a launcher needs to know to start one VM's engine: which VM, where its files go, and what it will use (a
 * Kubernetes launcher turns the last three into the pod's resource requests).
 *
 * @param vmId the VM
 * @param vmName the VM's name (a DNS label), for labels and messages
 * @param vmDirectory the VM's directory on the gateway's side: engine.log, engine.port, console.log
 * @param vcpus guest vCPUs, each a busy host thread when the guest runs
 * @param memoryMiB guest RAM in MiB, held off the engine's Java heap
 * @param nvlink2Gpus NVLink2 GPUs passed through (the reserved devices of kind NVLINK2_GPU)
 */
public record EngineRequest(UUID vmId, String vmName, Path vmDirectory, int vcpus, long memoryMiB,
        int nvlink2Gpus) {

    public EngineRequest {
        Objects.requireNonNull(vmId, "vmId");
        Objects.requireNonNull(vmName, "vmName");
        Objects.requireNonNull(vmDirectory, "vmDirectory");
        if (vcpus < 1 || memoryMiB < 1 || nvlink2Gpus < 0) {
            throw new IllegalArgumentException("VM " + vmId + ": " + vcpus + " vCPUs, " + memoryMiB + " MiB, "
                    + nvlink2Gpus + " GPUs is not a runnable VM");
        }
    }
}
