package dev.pvm.placement.layout;

import dev.pvm.placement.machine.MachineType;
import java.util.List;

/**
 * The whole guest layout of one VM: every address and id the guest sees. The engine builds its device tree from
 * it as given.
 *
 * @param machine the resolved machine type
 * @param numaNodes NUMA nodes in id order
 * @param cpuNode node of each vCPU index
 * @param vcpuIds PAPR vCPU id of each vCPU index
 * @param cpuAssociativity {@code ibm,associativity} of each vCPU index
 * @param phbs PHBs in index order, the default PHB 0 first
 * @param referencePoints {@code ibm,associativity-reference-points} of /rtas
 * @param maxDomains {@code ibm,max-associativity-domains} of /rtas
 * @param firstGpuNumaId G0
 * @param finalGpuNumaId G
 * @param warnings machine-wide notes
 */
public record GuestLayout(
    MachineType machine,
    List<NumaNodeLayout> numaNodes,
    List<Integer> cpuNode,
    List<Integer> vcpuIds,
    List<List<Integer>> cpuAssociativity,
    List<PhbLayout> phbs,
    List<Integer> referencePoints,
    List<Integer> maxDomains,
    int firstGpuNumaId,
    int finalGpuNumaId,
    List<String> warnings) {

  public GuestLayout {
    numaNodes = List.copyOf(numaNodes);
    cpuNode = List.copyOf(cpuNode);
    vcpuIds = List.copyOf(vcpuIds);
    cpuAssociativity = cpuAssociativity.stream().map(List::copyOf).toList();
    phbs = List.copyOf(phbs);
    referencePoints = List.copyOf(referencePoints);
    maxDomains = List.copyOf(maxDomains);
    warnings = List.copyOf(warnings);
  }

  /** The PHB with this index. */
  public PhbLayout phb(int index) {
    return phbs.stream()
        .filter(phb -> phb.index() == index)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no PHB " + index));
  }
}
