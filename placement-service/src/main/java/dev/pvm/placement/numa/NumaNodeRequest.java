package dev.pvm.placement.numa;

import java.util.List;

/**
 * One user NUMA node as the VM spec gives it.
 *
 * @param cpus vCPU indexes in the node
 * @param memoryMib memory of the node
 * @param distances distances to every node in order, or empty for defaults
 */
public record NumaNodeRequest(List<Integer> cpus, long memoryMib, List<Integer> distances) {
  public NumaNodeRequest {
    cpus = List.copyOf(cpus);
    distances = List.copyOf(distances);
  }
}
