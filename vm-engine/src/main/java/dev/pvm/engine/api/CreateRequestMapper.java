package dev.pvm.engine.api;

import dev.pvm.engine.loader.BuiltinGuest;
import dev.pvm.engine.machine.BootSource;
import dev.pvm.engine.machine.InvalidVmConfigException;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MemoryNode;
import dev.pvm.engine.machine.MmuMode;
import dev.pvm.engine.machine.NumaProperties;
import dev.pvm.proto.common.v1.BootSpec;
import dev.pvm.proto.common.v1.KernelBoot;
import dev.pvm.proto.common.v1.VmSpec;
import dev.pvm.proto.engine.v1.CreateRequest;
import dev.pvm.proto.placement.v1.Associativity;
import dev.pvm.proto.placement.v1.GuestLayout;
import dev.pvm.proto.placement.v1.NamedCells;
import dev.pvm.proto.placement.v1.NumaNodeLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Create request to a {@link MachineConfig}: checks what the engine needs from the spec and uses the layout's
 * NUMA windows as given. Errors name the request field ({@code spec.boot.builtin}, {@code layout.numa_nodes[1].ram}).
 */
final class CreateRequestMapper {

    private static final long MIB = 1L << 20;
    /** sPAPR memory block size (LMB): guest RAM comes in these. */
    private static final long MEMORY_BLOCK_MIB = 256;

    private CreateRequestMapper() {
    }

    static MachineConfig toConfig(CreateRequest request) {
        if (!request.hasSpec()) {
            throw new InvalidVmConfigException("spec", "the VM spec is missing");
        }
        VmSpec spec = request.getSpec();
        if (spec.getMachine().isEmpty()) {
            throw new InvalidVmConfigException("spec.machine", "the machine type is missing (e.g. pseries-4.1)");
        }
        if (spec.getVcpus() < 1) {
            throw new InvalidVmConfigException("spec.vcpus", "a VM needs at least one vCPU");
        }
        long memoryMib = spec.getMemoryMib();
        if (memoryMib <= 0 || memoryMib % MEMORY_BLOCK_MIB != 0) {
            throw new InvalidVmConfigException("spec.memory_mib", "memory must be a positive multiple of "
                    + MEMORY_BLOCK_MIB + " MiB, got " + memoryMib);
        }
        GuestLayout layout = request.getLayout();
        if (!layout.getMachine().isEmpty() && !layout.getMachine().equals(spec.getMachine())) {
            throw new InvalidVmConfigException("layout.machine", "the layout was computed for "
                    + layout.getMachine() + ", the spec asks for " + spec.getMachine());
        }
        for (int i = 0; i < spec.getPhbsCount(); i++) {
            int index = spec.getPhbs(i).getIndex();
            if (layout.getPhbsList().stream().noneMatch(p -> p.getIndex() == index)) {
                throw new InvalidVmConfigException("spec.phbs[" + i + "].index", "PHB " + index
                        + " is not in the layout placement computed");
            }
        }
        List<MemoryNode> memory = memory(layout, memoryMib * MIB);
        NumaProperties numa = numa(layout, spec.getVcpus());
        String vmId = request.getVmId().isEmpty() ? spec.getName() : request.getVmId();
        return new MachineConfig(vmId, spec.getMachine(), spec.getVcpus(), memory, numa, boot(spec.getBoot()),
                mmu(spec), PciLayoutMapper.toPhbs(layout, request.getDevicesList()));
    }

    /** POWER9's default is radix (what QEMU's pseries negotiates with a POWER9 guest); hash only when asked. */
    private static MmuMode mmu(VmSpec spec) {
        return switch (spec.getMmu()) {
            case MMU_MODE_UNSPECIFIED, MMU_MODE_RADIX -> MmuMode.RADIX;
            case MMU_MODE_HASH -> MmuMode.HASH;
            case UNRECOGNIZED -> throw new InvalidVmConfigException("spec.mmu", "unknown MMU mode "
                    + spec.getMmuValue() + " (radix or hash)");
        };
    }

    private static List<MemoryNode> memory(GuestLayout layout, long bytes) {
        if (layout.getNumaNodesCount() == 0) {
            return List.of(new MemoryNode(0, 0, bytes, List.of()));
        }
        List<MemoryNode> nodes = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < layout.getNumaNodesCount(); i++) {
            NumaNodeLayout n = layout.getNumaNodes(i);
            long size = n.getRam().getSize();
            if (size % MIB != 0 || n.getRam().getBase() % MIB != 0) {
                throw new InvalidVmConfigException("layout.numa_nodes[" + i + "].ram", "RAM windows must be "
                        + "whole MiB, got base 0x" + Long.toHexString(n.getRam().getBase()) + " size 0x"
                        + Long.toHexString(size));
            }
            total += size;
            nodes.add(new MemoryNode(n.getNodeId(), n.getRam().getBase(), size, n.getAssociativity().getCellsList()));
        }
        if (total != bytes) {
            throw new InvalidVmConfigException("layout.numa_nodes", "the nodes hold " + (total / MIB)
                    + " MiB, the spec asks for " + (bytes / MIB) + " MiB");
        }
        return nodes;
    }

    private static NumaProperties numa(GuestLayout layout, int vcpus) {
        List<List<Integer>> cpus = new ArrayList<>();
        for (Associativity a : layout.getCpuAssociativityList()) {
            cpus.add(a.getCellsList());
        }
        if (!cpus.isEmpty() && cpus.size() != vcpus) {
            throw new InvalidVmConfigException("layout.cpu_associativity", "has " + cpus.size()
                    + " entries for " + vcpus + " vCPUs");
        }
        Map<String, List<Integer>> extra = new LinkedHashMap<>();
        for (int i = 0; i < layout.getRtasPropertiesCount(); i++) {
            NamedCells c = layout.getRtasProperties(i);
            if (c.getName().isEmpty() || extra.put(c.getName(), c.getCellsList()) != null) {
                throw new InvalidVmConfigException("layout.rtas_properties[" + i + "].name",
                        "empty or repeated property name '" + c.getName() + "'");
            }
        }
        return new NumaProperties(layout.getAssociativityReferencePointsList(),
                layout.getMaxAssociativityDomainsList(), cpus, extra);
    }

    private static BootSource boot(BootSpec boot) {
        return switch (boot.getSourceCase()) {
            case BUILTIN -> BuiltinGuest.byName(boot.getBuiltin())
                    .<BootSource>map(BootSource.Builtin::new)
                    .orElseThrow(() -> new InvalidVmConfigException("spec.boot.builtin", "no built-in guest '"
                            + boot.getBuiltin() + "' (known: " + Arrays.stream(BuiltinGuest.values())
                            .map(BuiltinGuest::specName).toList() + ")"));
            case KERNEL -> kernel(boot.getKernel());
            case SOURCE_NOT_SET -> throw new InvalidVmConfigException("spec.boot", "nothing to boot: give a kernel "
                    + "or a built-in guest");
        };
    }

    private static BootSource kernel(KernelBoot k) {
        Path kernel = readableFile("spec.boot.kernel.kernel_path", k.getKernelPath());
        Optional<Path> initrd = k.getInitrdPath().isEmpty() ? Optional.empty()
                : Optional.of(readableFile("spec.boot.kernel.initrd_path", k.getInitrdPath()));
        return new BootSource.Kernel(kernel, initrd, k.getCmdline());
    }

    private static Path readableFile(String field, String value) {
        if (value.isEmpty()) {
            throw new InvalidVmConfigException(field, "the path is missing");
        }
        Path p = Path.of(value);
        if (!p.isAbsolute()) {
            throw new InvalidVmConfigException(field, "the path must be absolute: " + value);
        }
        if (!Files.isRegularFile(p)) {
            throw new InvalidVmConfigException(field, "no such file: " + value);
        }
        if (!Files.isReadable(p)) {
            throw new InvalidVmConfigException(field, "the engine cannot read " + value);
        }
        return p;
    }
}
