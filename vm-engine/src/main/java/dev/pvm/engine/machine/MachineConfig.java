package dev.pvm.engine.machine;

import dev.pvm.engine.devices.pci.PhbConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Everything needed to build one VM, already checked for consistency: the machine type, vCPUs, RAM per NUMA
 * node, the NUMA properties from the layout and what to boot. Built by the API layer from the gRPC request.
 *
 * @param vmId        the gateway's id for the VM (logs)
 * @param machineType {@code pseries} or {@code pseries-X.Y}
 * @param vcpus       number of vCPUs (1 or more)
 * @param memory      RAM per NUMA node, in address order; the first starts at 0
 * @param numa        associativity data from the layout
 * @param boot        what to boot
 * @param mmu         the MMU the guest gets
 * @param phbs        the PCI host bridges from the layout with their passed-through devices (may be empty)
 */
public record MachineConfig(String vmId, String machineType, int vcpus, List<MemoryNode> memory, NumaProperties numa,
        BootSource boot, MmuMode mmu, List<PhbConfig> phbs) {

    private static final Pattern MACHINE_TYPE = Pattern.compile("pseries(-\\d+\\.\\d+)?");

    /**
     * @throws InvalidVmConfigException naming the field for anything inconsistent
     */
    public MachineConfig {
        if (!MACHINE_TYPE.matcher(machineType).matches()) {
            throw new InvalidVmConfigException("spec.machine", "machine type '" + machineType
                    + "' is not pseries or pseries-X.Y");
        }
        if (vcpus < 1) {
            throw new InvalidVmConfigException("spec.vcpus", "a VM needs at least one vCPU, got " + vcpus);
        }
        List<MemoryNode> sorted = new ArrayList<>(memory);
        sorted.removeIf(n -> n.size() == 0);
        sorted.sort(Comparator.comparingLong(MemoryNode::base));
        if (sorted.isEmpty()) {
            throw new InvalidVmConfigException("spec.memory_mib", "the VM has no memory");
        }
        if (sorted.getFirst().base() != 0) {
            throw new InvalidVmConfigException("layout.numa_nodes", String.format(
                    "guest RAM must start at physical 0 (the real-mode area); the lowest node starts at 0x%x",
                    sorted.getFirst().base()));
        }
        for (int i = 1; i < sorted.size(); i++) {
            MemoryNode prev = sorted.get(i - 1);
            MemoryNode next = sorted.get(i);
            if (next.base() < prev.base() + prev.size()) {
                throw new InvalidVmConfigException("layout.numa_nodes", String.format(
                        "RAM of node %d [0x%x, +0x%x) overlaps node %d [0x%x, +0x%x)", next.nodeId(), next.base(),
                        next.size(), prev.nodeId(), prev.base(), prev.size()));
            }
        }
        if (!numa.cpuAssociativity().isEmpty() && numa.cpuAssociativity().size() != vcpus) {
            throw new InvalidVmConfigException("layout.cpu_associativity", "the layout describes "
                    + numa.cpuAssociativity().size() + " vCPUs, the spec has " + vcpus);
        }
        memory = List.copyOf(sorted);
        if (mmu == null) {
            throw new InvalidVmConfigException("spec.mmu", "no MMU mode given");
        }
        phbs = List.copyOf(phbs);
    }

    /** A configuration without PCI host bridges. */
    public MachineConfig(String vmId, String machineType, int vcpus, List<MemoryNode> memory, NumaProperties numa,
            BootSource boot, MmuMode mmu) {
        this(vmId, machineType, vcpus, memory, numa, boot, mmu, List.of());
    }

    /** A configuration with POWER9's default MMU, radix. */
    public MachineConfig(String vmId, String machineType, int vcpus, List<MemoryNode> memory, NumaProperties numa,
            BootSource boot) {
        this(vmId, machineType, vcpus, memory, numa, boot, MmuMode.RADIX);
    }

    /** Total RAM in bytes. */
    public long memoryBytes() {
        return memory.stream().mapToLong(MemoryNode::size).sum();
    }
}
