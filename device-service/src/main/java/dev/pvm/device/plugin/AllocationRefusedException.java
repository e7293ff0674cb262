package dev.pvm.device.plugin;

/**
 * The kubelet asked for GPUs the plugin cannot hand to one container: unknown IDs, GPUs no VM reserved, or GPUs
 * of different VMs. The kubelet fails the pod's admission with this message, and the gateway reports it.
 */
public final class AllocationRefusedException extends RuntimeException {
  public AllocationRefusedException(String message) {
    super(message);
  }
}
