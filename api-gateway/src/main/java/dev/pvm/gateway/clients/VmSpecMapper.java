package dev.pvm.gateway.clients;

import dev.pvm.gateway.vm.BootSource;
import dev.pvm.gateway.vm.NumaNode;
import dev.pvm.gateway.vm.PhbDefinition;
import dev.pvm.gateway.vm.VmDefinition;
import dev.pvm.proto.common.v1.BootSpec;
import dev.pvm.proto.common.v1.KernelBoot;
import dev.pvm.proto.common.v1.MmuMode;
import dev.pvm.proto.common.v1.NumaNodeSpec;
import dev.pvm.proto.common.v1.PhbSpec;
import dev.pvm.proto.common.v1.VmSpec;

/** A validated {@link VmDefinition} as the proto {@link VmSpec} the other services take. */
public final class VmSpecMapper {

    private VmSpecMapper() {}

    public static VmSpec toSpec(VmDefinition definition) {
        VmSpec.Builder spec = VmSpec.newBuilder()
                .setName(definition.name() == null ? "" : definition.name())
                .setMachine(definition.machine())
                .setVcpus(definition.vcpus())
                .setMemoryMib(definition.memoryMiB())
                .setBoot(boot(definition.boot()));
        for (NumaNode node : definition.numaNodes()) {
            NumaNodeSpec.Builder n = NumaNodeSpec.newBuilder().setMemoryMib(node.memoryMiB());
            node.cpus().forEach(n::addCpus);
            if (node.distances() != null) {
                node.distances().forEach(n::addDistances);
            }
            spec.addNuma(n);
        }
        for (PhbDefinition phb : definition.phbList()) {
            PhbSpec.Builder p = PhbSpec.newBuilder().setIndex(phb.index());
            if (phb.devices() != null) {
                p.addAllDevices(phb.devices());
            }
            spec.addPhbs(p);
        }
        if (definition.mmu() != null) {
            spec.setMmu(switch (definition.mmu()) {
                case RADIX -> MmuMode.MMU_MODE_RADIX;
                case HASH -> MmuMode.MMU_MODE_HASH;
            });
        }
        return spec.build();
    }

    private static BootSpec boot(BootSource boot) {
        if (boot.builtin() != null) {
            return BootSpec.newBuilder().setBuiltin(boot.builtin()).build();
        }
        KernelBoot.Builder kernel = KernelBoot.newBuilder().setKernelPath(boot.kernel());
        if (boot.initrd() != null) {
            kernel.setInitrdPath(boot.initrd());
        }
        if (boot.cmdline() != null) {
            kernel.setCmdline(boot.cmdline());
        }
        return BootSpec.newBuilder().setKernel(kernel).build();
    }
}
