package dev.pvm.placement.layout;

import dev.pvm.placement.alloc.Window;
import java.util.List;

/**
 * A guest NUMA node.
 *
 * @param nodeId the id the guest sees
 * @param ram its RAM range (absent for a memory-less node)
 * @param associativity {@code ibm,associativity} of its memory
 * @param cpus its vCPU indexes
 */
public record NumaNodeLayout(int nodeId, Window ram, List<Integer> associativity, List<Integer> cpus) {
  public NumaNodeLayout {
    associativity = List.copyOf(associativity);
    cpus = List.copyOf(cpus);
  }
}
