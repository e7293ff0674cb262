package dev.pvm.engine.machine;

import java.util.List;

/**
 * Guest RAM of one NUMA node, as placement computed it.
 *
 * @param nodeId        the node id the guest sees
 * @param base          first guest physical address
 * @param size          bytes (0 for a memory-less node, which gets no memory@ node)
 * @param associativity the memory@ node's {@code ibm,associativity} cells, empty when the layout gives none
 */
public record MemoryNode(int nodeId, long base, long size, List<Integer> associativity) {

    public MemoryNode {
        associativity = List.copyOf(associativity);
    }
}
