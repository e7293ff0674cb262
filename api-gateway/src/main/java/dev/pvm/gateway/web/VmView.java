package dev.pvm.gateway.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pvm.gateway.vm.BootSource;
import dev.pvm.gateway.vm.GpuPlacement;
import dev.pvm.gateway.vm.Mmu;
import dev.pvm.gateway.vm.NumaNode;
import dev.pvm.gateway.vm.PhbDefinition;
import dev.pvm.gateway.vm.VmDefinition;
import dev.pvm.gateway.vm.VmRecord;
import dev.pvm.gateway.vm.VmState;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A VM as the REST API shows it: its definition, state and, while it runs with GPUs, where they landed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A VM: its definition, its state and, while it has an engine, its GPUs' guest placement.")
public record VmView(
        @Schema(description = "The VM's id.", example = "0b4f6f5e-3d7c-4a52-9f3e-5a3c2f1e9d10") UUID id,
        @Schema(description = "Unique name (DNS label).", example = "web1") String name,
        @Schema(description = "Machine type.", example = "pseries-4.1") String machine,
        @Schema(description = "Number of vCPUs.", example = "2") int vcpus,
        @Schema(description = "Guest RAM in MiB.", example = "1024") long memoryMiB,
        @Schema(description = "NUMA nodes as defined (absent: one node).") List<NumaNode> numa,
        @Schema(description = "What the VM boots.") BootSource boot,
        @Schema(description = "Extra PCI host bridges with passed-through devices.") List<PhbDefinition> phbs,
        @Schema(description = "MMU mode, when one was asked for.", allowableValues = {"radix", "hash"}) Mmu mmu,
        @Schema(description = "Lifecycle state.", example = "RUNNING") VmState state,
        @Schema(description = "Why the VM is in this state (always set for FAILED).", example = "guest powered off")
                String stateReason,
        @Schema(description = "When the VM was defined.") Instant createdAt,
        @Schema(description = "When the VM record last changed.") Instant updatedAt,
        @Schema(description = "Passed-through NVLink2 GPUs as the guest sees them; only while the VM has an engine.")
                List<GpuPlacement> gpus) {

    public static VmView of(VmRecord vm) {
        VmDefinition d = vm.definition();
        List<GpuPlacement> gpus = vm.state().hasEngine() && !vm.gpus().isEmpty() ? vm.gpus() : null;
        return new VmView(vm.id(), vm.name(), d.machine(), d.vcpus(), d.memoryMiB(),
                d.numa() == null || d.numa().isEmpty() ? null : d.numa(), d.boot(),
                d.phbs() == null || d.phbs().isEmpty() ? null : d.phbs(), d.mmu(), vm.state(), vm.stateReason(),
                vm.createdAt(), vm.updatedAt(), gpus);
    }
}
