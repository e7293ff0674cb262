package dev.pvm.engine.cli;

import dev.pvm.engine.machine.MemoryNode;
import dev.pvm.engine.machine.NumaProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NUMA layout a pseries-X.Y machine gives a VM whose RAM and vCPUs are split evenly over N nodes with the
 * default distances, computed here so that {@code boot} needs no placement-service. The rules are QEMU 8.1's
 * {@code hw/ppc/spapr_numa.c} running that machine version, the same rules placement-service applies
 * ({@code Form1Associativity}); QEMU 7.2's trees in shared/facts/qemu-dtb (pseries-1cpu-1G, pseries-4cpu-4G-2numa)
 * show the results.
 *
 * <ul>
 *   <li>RAM is laid out node after node from address 0, in whole 256 MiB sPAPR memory blocks, the first nodes
 *       taking one block more when the blocks do not divide evenly; vCPUs go to nodes in contiguous runs.</li>
 *   <li>Every node's {@code ibm,associativity} is {4, 0, 0, 0, id}: legacy machines (pseries-5.1 and older, or at
 *       most one node) write it so, and with every distance at the default 20 (FORM1 level 3) the FORM1 cascade
 *       gives every node node 0's domains at levels 1-3.</li>
 *   <li>A vCPU's is {5, the node's four domains, vCPU id}, the id being index x vsmt: 8 up to pseries-4.1,
 *       1 thread per core after.</li>
 *   <li>/rtas: reference points {4, 3, 2, 1} in FORM1, else {4, 4, 2} ({4, 4} up to pseries-5.0); max domains
 *       {4, N, N, N, N} in FORM1, else {4, m, m, m, G} with G = max(1, N) and m = 1 when G > 1 (no GPUs here).</li>
 * </ul>
 */
final class PseriesNumaLayout {

    /** The newest machine version (what plain {@code pseries} means), as placement-service's catalogue. */
    static final String NEWEST = "8.1";
    /** The oldest machine version placement-service knows. */
    static final String OLDEST = "2.7";

    private static final Pattern MACHINE = Pattern.compile("pseries(?:-(\\d+)\\.(\\d+))?");
    private static final long BLOCK_MIB = 256;
    private static final int LEVELS = 4;

    final List<MemoryNode> memory;
    final NumaProperties numa;

    private PseriesNumaLayout(List<MemoryNode> memory, NumaProperties numa) {
        this.memory = memory;
        this.numa = numa;
    }

    /**
     * @param machine   {@code pseries} (the newest) or {@code pseries-X.Y}
     * @param userNodes N: 0 for the machine's implicit single node, else the nodes to split into
     * @throws IllegalArgumentException naming the option that cannot be honoured
     */
    static PseriesNumaLayout of(String machine, int vcpus, long memoryMib, int userNodes) {
        int version = version(machine);
        if (memoryMib <= 0 || memoryMib % BLOCK_MIB != 0) {
            throw new IllegalArgumentException("--memory-mib must be a positive multiple of " + BLOCK_MIB
                    + " (the sPAPR memory block), got " + memoryMib);
        }
        if (userNodes < 0) {
            throw new IllegalArgumentException("--numa-nodes must not be negative, got " + userNodes);
        }
        int nodes = Math.max(1, userNodes);
        long blocks = memoryMib / BLOCK_MIB;
        if (nodes > blocks || nodes > vcpus) {
            throw new IllegalArgumentException("--numa-nodes " + userNodes + " needs at least that many vCPUs and "
                    + BLOCK_MIB + " MiB blocks (have " + vcpus + " vCPUs, " + blocks + " blocks)");
        }
        boolean form1 = version > 501 && userNodes > 1;
        int vsmt = version <= 401 ? 8 : 1;

        List<MemoryNode> memory = new ArrayList<>();
        long base = 0;
        for (int node = 0; node < nodes; node++) {
            long size = (blocks / nodes + (node < blocks % nodes ? 1 : 0)) * BLOCK_MIB << 20;
            memory.add(new MemoryNode(node, base, size, List.of(LEVELS, 0, 0, 0, node)));
            base += size;
        }
        List<List<Integer>> cpus = new ArrayList<>();
        for (int cpu = 0; cpu < vcpus; cpu++) {
            int node = (int) ((long) cpu * nodes / vcpus);
            cpus.add(List.of(LEVELS + 1, 0, 0, 0, node, cpu * vsmt));
        }
        List<Integer> referencePoints;
        List<Integer> maxDomains;
        if (form1) {
            referencePoints = List.of(4, 3, 2, 1);
            maxDomains = List.of(LEVELS, userNodes, userNodes, userNodes, userNodes);
        } else {
            referencePoints = version <= 500 ? List.of(4, 4) : List.of(4, 4, 2);
            int g = Math.max(1, userNodes);
            int m = g > 1 ? 1 : 0;
            maxDomains = List.of(LEVELS, m, m, m, g);
        }
        return new PseriesNumaLayout(List.copyOf(memory),
                new NumaProperties(referencePoints, maxDomains, cpus, Map.of()));
    }

    /** The version as major * 100 + minor (pseries-4.1 -> 401). */
    private static int version(String machine) {
        Matcher m = MACHINE.matcher(machine);
        if (!m.matches()) {
            throw new IllegalArgumentException("--machine must be pseries or pseries-X.Y, got '" + machine + "'");
        }
        if (m.group(1) == null) {
            return ordinal(NEWEST);
        }
        int v = Integer.parseInt(m.group(1)) * 100 + Integer.parseInt(m.group(2));
        if (v < ordinal(OLDEST) || v > ordinal(NEWEST)) {
            throw new IllegalArgumentException("--machine " + machine + ": known versions are pseries-" + OLDEST
                    + " to pseries-" + NEWEST);
        }
        return v;
    }

    private static int ordinal(String version) {
        int dot = version.indexOf('.');
        return Integer.parseInt(version.substring(0, dot)) * 100 + Integer.parseInt(version.substring(dot + 1));
    }
}
