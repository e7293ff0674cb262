package dev.pvm.gateway.vm;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** One guest NUMA node: its vCPUs, memory and optional distances. */
@Schema(description = "A guest NUMA node. Every vCPU is in exactly one node; the nodes' memory adds up to memoryMiB.")
public record NumaNode(
        @Schema(description = "vCPU indexes (0-based) in this node.", example = "[0]") List<Integer> cpus,
        @Schema(description = "Memory of this node in MiB, a multiple of 256 (0 for a memory-less node).",
                example = "512") Long memoryMiB,
        @Schema(description = "Optional distances to every node in order; the node's own entry is 10.",
                example = "[10, 40]", nullable = true) List<Integer> distances) {}
