package dev.pvm.placement.numa;

import dev.pvm.placement.machine.MachineType;
import java.util.ArrayList;
import java.util.List;

/**
 * The FORM1 {@code ibm,associativity} arrays and the /rtas NUMA properties of one machine version and NUMA
 * topology (spec 6; QEMU 8.1's {@code spapr_numa.c} running that version).
 *
 * <p>Every array has 4 domain levels. Node arrays are {4, 0, 0, 0, id} unless the version computes FORM1 domains
 * from distances (pseries-5.2 and newer with more than one user node). GPU arrays are {4, X, X, X, id} with X = 1
 * before pseries-5.1 and X = id after. CPU arrays are the node's with a leading 5 and the vCPU id appended.
 */
public final class Form1Associativity {

  /** FORM1_DIST_REF_POINTS / MAX_DISTANCE_REF_POINTS. */
  public static final int LEVELS = 4;
  /** SPAPR_GPU_NUMA_ID: the constant domain of GPU memory before pseries-5.1. */
  public static final int PRE_5_1_GPU_DOMAIN = 1;

  private final MachineType machine;
  private final NumaTopology topology;
  private final int[][] nodeArrays;

  public Form1Associativity(MachineType machine, NumaTopology topology) {
    this.machine = machine;
    this.topology = topology;
    this.nodeArrays = nodeArrays(machine, topology);
  }

  /** Whether /rtas uses the legacy form: pseries-5.1 and older, or at most one user node. */
  public boolean legacy() {
    return machine.pre52NumaAssociativity() || topology.userNodeCount() <= 1;
  }

  private static int[][] nodeArrays(MachineType machine, NumaTopology topology) {
    int n = topology.nodes().size();
    int[][] arrays = new int[n][LEVELS + 1];
    for (int i = 0; i < n; i++) {
      arrays[i][0] = LEVELS;
      arrays[i][LEVELS] = i;
    }
    if (machine.pre52NumaAssociativity() || topology.userNodeCount() <= 1) {
      return arrays;
    }
    // Non-zero nodes start with their own id at every level: domain 0 would otherwise match node 0's domains.
    for (int i = 1; i < n; i++) {
      for (int level = 1; level < LEVELS; level++) {
        arrays[i][level] = i;
      }
    }
    // Node pairs in ascending order; the destination takes the source's domains from the distance's level up to
    // level 1, so shared domains cascade from lower node ids to higher ones.
    for (int src = 0; src < n; src++) {
      for (int dst = src; dst < n; dst++) {
        int level = levelOf(topology.nodes().get(src).distances().get(dst));
        for (int l = level; l > 0; l--) {
          arrays[dst][l] = arrays[src][l];
        }
      }
    }
    return arrays;
  }

  /**
   * The deepest level two nodes at this distance share: 10 -> 4; 11-30 -> 3 (rounded to 20); 31-60 -> 2 (40);
   * 61-120 -> 1 (80); above -> none (the guest computes 160). QEMU documents these inclusive ranges but tests
   * {@code > 11}, {@code > 31}, {@code > 61}, so it treats exactly 11, 31 and 61 as "no match"; we follow the
   * documented ranges.
   */
  static int levelOf(int distance) {
    if (distance == NumaTopology.LOCAL_DISTANCE) {
      return 4;
    } else if (distance >= 11 && distance <= 30) {
      return 3;
    } else if (distance >= 31 && distance <= 60) {
      return 2;
    } else if (distance >= 61 && distance <= 120) {
      return 1;
    }
    return 0;
  }

  /** {@code ibm,associativity} of a node's memory: 5 cells. */
  public List<Integer> node(int nodeId) {
    return toList(nodeArrays[nodeId]);
  }

  /** {@code ibm,associativity} of an NVLink2 GPU's memory@ node: 5 cells (spec 6.1). */
  public List<Integer> gpu(int numaId) {
    int domain = machine.pre51Associativity() ? PRE_5_1_GPU_DOMAIN : numaId;
    return List.of(LEVELS, domain, domain, domain, numaId);
  }

  /** {@code ibm,associativity} of a vCPU: 6 cells, the node's domains then the vCPU id. */
  public List<Integer> cpu(int nodeId, int vcpuId) {
    List<Integer> cells = new ArrayList<>();
    cells.add(LEVELS + 1);
    for (int level = 1; level <= LEVELS; level++) {
      cells.add(nodeArrays[nodeId][level]);
    }
    cells.add(vcpuId);
    return List.copyOf(cells);
  }

  /** {@code ibm,associativity-reference-points} of /rtas (spec 6.2). */
  public List<Integer> referencePoints() {
    if (!legacy()) {
      return List.of(4, 3, 2, 1);
    }
    return machine.pre51Associativity() ? List.of(4, 4) : List.of(4, 4, 2);
  }

  /**
   * {@code ibm,max-associativity-domains} of /rtas (spec 6.2) once GPUs took NUMA ids {@code firstGpuId} up to
   * {@code finalGpuId - 1}. The FORM1 form counts user nodes plus GPU nodes (QEMU 6.0's fix of the 5.2 over-count).
   */
  public List<Integer> maxDomains(int firstGpuId, int finalGpuId) {
    if (!legacy()) {
      int domains = topology.userNodeCount() + (finalGpuId - firstGpuId);
      return List.of(4, domains, domains, domains, domains);
    }
    int m = finalGpuId > 1 ? 1 : 0;
    return List.of(4, m, m, m, finalGpuId);
  }

  private static List<Integer> toList(int[] cells) {
    List<Integer> list = new ArrayList<>(cells.length);
    for (int cell : cells) {
      list.add(cell);
    }
    return List.copyOf(list);
  }
}
