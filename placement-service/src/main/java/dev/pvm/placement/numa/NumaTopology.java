package dev.pvm.placement.numa;

import dev.pvm.placement.InvalidFieldException;
import dev.pvm.placement.alloc.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The guest's NUMA nodes: which vCPU and which RAM range belongs to which node, and the distances between nodes.
 * Without user nodes the guest has one implicit node 0 holding everything (and {@link #userNodeCount()} is 0,
 * which is what the NVLink2 and /rtas rules count).
 */
public final class NumaTopology {

  /** QEMU's MAX_NODES. */
  public static final int MAX_NODES = 128;
  /** sPAPR memory block size: node and total memory are multiples of it (SPAPR_MEMORY_BLOCK_SIZE). */
  public static final long MEMORY_BLOCK_MIB = 256;
  /** Local distance (ACPI SLIT convention QEMU uses). */
  public static final int LOCAL_DISTANCE = 10;
  /** Distance assumed between two nodes when the user gives none. */
  public static final int DEFAULT_REMOTE_DISTANCE = 20;
  /** Largest distance (a byte, as QEMU's NUMA_DISTANCE_MAX). */
  public static final int MAX_DISTANCE = 255;

  private static final long MIB = 1L << 20;

  private final List<NumaNode> nodes;
  private final int userNodeCount;
  private final int[] nodeOfCpu;

  private NumaTopology(List<NumaNode> nodes, int userNodeCount, int[] nodeOfCpu) {
    this.nodes = List.copyOf(nodes);
    this.userNodeCount = userNodeCount;
    this.nodeOfCpu = nodeOfCpu;
  }

  /**
   * Validates the user's nodes against the VM's vCPU count and memory and lays RAM out node after node from
   * address 0 (QEMU's memory@ node order).
   *
   * @throws InvalidFieldException naming the offending field
   */
  public static NumaTopology of(int vcpus, long memoryMib, List<NumaNodeRequest> requests) {
    if (requests.isEmpty()) {
      List<Integer> all = new ArrayList<>();
      for (int cpu = 0; cpu < vcpus; cpu++) {
        all.add(cpu);
      }
      NumaNode only = new NumaNode(0, all, new Window(0, memoryMib * MIB), List.of(LOCAL_DISTANCE));
      return new NumaTopology(List.of(only), 0, new int[vcpus]);
    }
    if (requests.size() > MAX_NODES) {
      throw new InvalidFieldException(
          "numa", "at most " + MAX_NODES + " NUMA nodes are supported, not " + requests.size());
    }
    int[] nodeOfCpu = new int[vcpus];
    Arrays.fill(nodeOfCpu, -1);
    long total = 0;
    for (int i = 0; i < requests.size(); i++) {
      NumaNodeRequest request = requests.get(i);
      for (int cpu : request.cpus()) {
        if (cpu < 0 || cpu >= vcpus) {
          throw new InvalidFieldException(
              "numa[" + i + "].cpus",
              "vCPU " + Integer.toUnsignedString(cpu) + " does not exist; the VM has vCPUs 0.." + (vcpus - 1));
        }
        if (nodeOfCpu[cpu] >= 0) {
          throw new InvalidFieldException(
              "numa[" + i + "].cpus", "vCPU " + cpu + " is already in numa[" + nodeOfCpu[cpu] + "]");
        }
        nodeOfCpu[cpu] = i;
      }
      long mib = request.memoryMib();
      if (mib < 0 || mib % MEMORY_BLOCK_MIB != 0 || mib > (Long.MAX_VALUE >> 21)) {
        throw new InvalidFieldException(
            "numa[" + i + "].memoryMib",
            "node memory must be a multiple of " + MEMORY_BLOCK_MIB + " MiB (the sPAPR memory block), not " + mib);
      }
      if (request.cpus().isEmpty() && mib == 0) {
        throw new InvalidFieldException(
            "numa[" + i + "]", "NUMA node " + i + " has neither memory nor vCPUs; pseries does not support that");
      }
      total += mib;
    }
    for (int cpu = 0; cpu < vcpus; cpu++) {
      if (nodeOfCpu[cpu] < 0) {
        throw new InvalidFieldException(
            "numa", "vCPU " + cpu + " is in no NUMA node; every vCPU must be in exactly one");
      }
    }
    if (total != memoryMib) {
      throw new InvalidFieldException(
          "memoryMib",
          "the NUMA nodes' memory adds up to " + total + " MiB, but memoryMib is " + memoryMib + " MiB");
    }
    if (requests.get(0).memoryMib() == 0) {
      throw new InvalidFieldException(
          "numa[0].memoryMib", "NUMA node 0 must have memory: it holds the real mode area the guest starts in");
    }
    int[][] distances = distances(requests);
    List<NumaNode> nodes = new ArrayList<>();
    long cursor = 0;
    for (int i = 0; i < requests.size(); i++) {
      NumaNodeRequest request = requests.get(i);
      long bytes = request.memoryMib() * MIB;
      List<Integer> cpus = new ArrayList<>(request.cpus());
      cpus.sort(null);
      nodes.add(
          new NumaNode(
              i, cpus, bytes == 0 ? Window.NONE : new Window(cursor, bytes), Arrays.stream(distances[i]).boxed().toList()));
      cursor += bytes;
    }
    return new NumaTopology(nodes, requests.size(), nodeOfCpu);
  }

  /**
   * The full distance matrix: what the user gave, the missing half of a pair taken from its mirror (QEMU
   * completes a symmetric table the same way), then 10 locally and 20 between nodes.
   */
  private static int[][] distances(List<NumaNodeRequest> requests) {
    int n = requests.size();
    int[][] matrix = new int[n][n];
    for (int i = 0; i < n; i++) {
      List<Integer> given = requests.get(i).distances();
      if (given.isEmpty()) {
        continue;
      }
      if (given.size() != n) {
        throw new InvalidFieldException(
            "numa[" + i + "].distances",
            "has " + given.size() + " entries; give one per NUMA node (" + n + ") or none");
      }
      for (int j = 0; j < n; j++) {
        int distance = given.get(j);
        String field = "numa[" + i + "].distances[" + j + "]";
        if (i == j && distance != LOCAL_DISTANCE) {
          throw new InvalidFieldException(field, "a node's distance to itself must be " + LOCAL_DISTANCE);
        }
        // QEMU accepts 10 between two nodes, but sPAPR FORM1 would then merge them into one node id.
        if (i != j && (distance <= LOCAL_DISTANCE || distance > MAX_DISTANCE)) {
          throw new InvalidFieldException(
              field, "the distance between two nodes must be " + (LOCAL_DISTANCE + 1) + ".." + MAX_DISTANCE);
        }
        matrix[i][j] = distance;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i == j) {
          matrix[i][j] = LOCAL_DISTANCE;
        } else if (matrix[i][j] == 0) {
          matrix[i][j] = matrix[j][i] != 0 ? matrix[j][i] : DEFAULT_REMOTE_DISTANCE;
        } else if (matrix[j][i] != 0 && matrix[j][i] != matrix[i][j] && i < j) {
          throw new InvalidFieldException(
              "numa[" + j + "].distances[" + i + "]",
              "asymmetric NUMA distances are not supported by pseries: numa["
                  + i
                  + "].distances["
                  + j
                  + "] is "
                  + matrix[i][j]
                  + " but numa["
                  + j
                  + "].distances["
                  + i
                  + "] is "
                  + matrix[j][i]);
        }
      }
    }
    return matrix;
  }

  /** Nodes in id order (one implicit node without user nodes). */
  public List<NumaNode> nodes() {
    return nodes;
  }

  /** N: the number of nodes the user defined (0 when the guest has only the implicit node). */
  public int userNodeCount() {
    return userNodeCount;
  }

  /** The node of a vCPU index. */
  public int nodeOfCpu(int cpu) {
    return nodeOfCpu[cpu];
  }

  /** How many vCPUs the VM has. */
  public int vcpuCount() {
    return nodeOfCpu.length;
  }
}
