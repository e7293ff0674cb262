package dev.pvm.placement.layout;

import dev.pvm.placement.InvalidFieldException;
import dev.pvm.placement.UnknownMachineTypeException;
import dev.pvm.placement.alloc.GpuNumaIds;
import dev.pvm.placement.alloc.PhbWindowPlacement;
import dev.pvm.placement.alloc.PhbWindows;
import dev.pvm.placement.machine.MachineType;
import dev.pvm.placement.machine.MachineTypeCatalog;
import dev.pvm.placement.machine.PhbPlacementScheme;
import dev.pvm.placement.numa.Form1Associativity;
import dev.pvm.placement.numa.NumaNode;
import dev.pvm.placement.numa.NumaTopology;
import dev.pvm.placement.pci.PhbDevice;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes a VM's guest layout: a pure function of its input, so the same request always yields an equal layout.
 */
public final class LayoutCalculator {

  private static final long MIB = 1L << 20;

  private final MachineTypeCatalog catalog;

  public LayoutCalculator(MachineTypeCatalog catalog) {
    this.catalog = catalog;
  }

  /** The machine type a name or alias denotes. */
  public MachineType machineType(String name, String field) {
    return catalog
        .find(name)
        .orElseThrow(() -> new UnknownMachineTypeException(field, name, catalog.knownNames()));
  }

  /**
   * Computes the layout.
   *
   * @throws dev.pvm.placement.LayoutInputException naming the first offending field
   */
  public GuestLayout compute(LayoutRequest request) {
    MachineType machine = machineType(request.machine(), "machine");
    if (request.vcpus() < 1 || request.vcpus() > machine.maxVcpus()) {
      throw new InvalidFieldException(
          "vcpus", machine.name() + " takes 1.." + machine.maxVcpus() + " vCPUs, not " + request.vcpus());
    }
    int vcpus = (int) request.vcpus();
    checkMemory(machine, request.memoryMib());
    NumaTopology numa = NumaTopology.of(vcpus, request.memoryMib(), request.numa());
    Form1Associativity associativity = new Form1Associativity(machine, numa);

    List<PhbAssignment> assignments = DeviceAssignment.assign(machine, request.phbs(), request.devices());
    GpuNumaIds gpuNumaIds = new GpuNumaIds(numa.userNodeCount());
    List<PhbLayout> phbs = new ArrayList<>();
    long ramTop = request.memoryMib() * MIB;
    // PHBs are reset, and their GPUs numbered, in ascending index order.
    for (PhbAssignment assignment : assignments) {
      PhbWindows windows = PhbWindowPlacement.place(machine, assignment.index(), ramTop, assignment.indexField());
      phbs.add(PhbLayoutBuilder.build(windows, assignment, gpuNumaIds, associativity));
    }

    List<String> warnings = new ArrayList<>();
    if (!machine.nvlink2()) {
      for (PhbAssignment assignment : assignments) {
        for (PhbDevice device : assignment.devices()) {
          if (device.host().tgt() != 0) {
            warnings.add(
                "NVLink2 device "
                    + device.host().address()
                    + " is passed through as a plain PCI device: "
                    + machine.name()
                    + " has no NVLink2 windows (pseries-4.1 and newer do)");
          }
        }
      }
    }

    List<NumaNodeLayout> nodes = new ArrayList<>();
    for (NumaNode node : numa.nodes()) {
      nodes.add(new NumaNodeLayout(node.id(), node.ram(), associativity.node(node.id()), node.cpus()));
    }
    List<Integer> cpuNode = new ArrayList<>();
    List<Integer> vcpuIds = new ArrayList<>();
    List<List<Integer>> cpuAssociativity = new ArrayList<>();
    for (int cpu = 0; cpu < vcpus; cpu++) {
      // One thread per core: vcpu_id = cpu_index * vsmt.
      int vcpuId = cpu * machine.vsmt();
      cpuNode.add(numa.nodeOfCpu(cpu));
      vcpuIds.add(vcpuId);
      cpuAssociativity.add(associativity.cpu(numa.nodeOfCpu(cpu), vcpuId));
    }
    return new GuestLayout(
        machine,
        nodes,
        cpuNode,
        vcpuIds,
        cpuAssociativity,
        phbs,
        associativity.referencePoints(),
        associativity.maxDomains(gpuNumaIds.first(), gpuNumaIds.current()),
        gpuNumaIds.first(),
        gpuNumaIds.current(),
        warnings);
  }

  /** The windows of one PHB index alone ({@code ComputePhbWindows}). */
  public PhbWindows phbWindows(String machineName, long index, long memoryMib) {
    MachineType machine = machineType(machineName, "machine");
    checkMemory(machine, memoryMib);
    return PhbWindowPlacement.place(machine, index, memoryMib * MIB, "index");
  }

  private static void checkMemory(MachineType machine, long memoryMib) {
    if (memoryMib <= 0 || memoryMib % NumaTopology.MEMORY_BLOCK_MIB != 0) {
      throw new InvalidFieldException(
          "memoryMib",
          "memory must be a positive multiple of " + NumaTopology.MEMORY_BLOCK_MIB + " MiB, not "
              + Long.toUnsignedString(memoryMib));
    }
    long limitMib =
        machine.phbPlacement() == PhbPlacementScheme.LEGACY_2_7
            ? PhbWindowPlacement.PCI_LIMIT / MIB
            : PhbWindowPlacement.PCI_BASE / MIB;
    if (memoryMib > limitMib) {
      throw new InvalidFieldException(
          "memoryMib",
          machine.name() + " supports at most " + limitMib + " MiB of RAM: "
              + (machine.phbPlacement() == PhbPlacementScheme.LEGACY_2_7
                  ? "larger guests are not laid out"
                  : "the PHB windows start at 32 TiB"));
    }
  }
}
