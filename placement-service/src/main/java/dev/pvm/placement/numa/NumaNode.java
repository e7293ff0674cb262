package dev.pvm.placement.numa;

import dev.pvm.placement.alloc.Window;
import java.util.List;

/**
 * A validated guest NUMA node.
 *
 * @param id the node id the guest sees
 * @param cpus its vCPU indexes, ascending
 * @param ram its slice of guest RAM; absent for a memory-less node (which gets no memory@ node)
 * @param distances its distance to every node, defaults filled in
 */
public record NumaNode(int id, List<Integer> cpus, Window ram, List<Integer> distances) {
  public NumaNode {
    cpus = List.copyOf(cpus);
    distances = List.copyOf(distances);
  }
}
