package dev.pvm.gateway.vm;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A VM as its user defines it: the body of {@code POST /api/v1/vms} and {@code POST /api/v1/layouts}. Fields are
 * boxed so that a missing one is seen (and reported by {@link VmDefinitionValidator}) rather than read as 0.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A VM definition.", example = """
        {"name":"web1","machine":"pseries-4.1","vcpus":2,"memoryMiB":1024,
         "numa":[{"cpus":[0],"memoryMiB":512},{"cpus":[1],"memoryMiB":512}],
         "boot":{"builtin":"hello"},"phbs":[{"index":1,"devices":["0004:04:00.0"]}]}""")
public record VmDefinition(
        @Schema(description = "Unique name, a DNS label: 1-63 characters of [a-z0-9-], starting with a letter, "
                + "not ending with '-'.", example = "web1") String name,
        @Schema(description = "Machine type (see placement-service's machine types).", example = "pseries-4.1")
                String machine,
        @Schema(description = "Number of virtual CPUs, 1 to the machine type's limit.", example = "2") Integer vcpus,
        @Schema(description = "Guest RAM in MiB, a positive multiple of 256.", example = "1024") Long memoryMiB,
        @Schema(description = "NUMA nodes; absent or empty means one node with every vCPU and all memory.",
                nullable = true) List<NumaNode> numa,
        @Schema(description = "What the VM boots.") BootSource boot,
        @Schema(description = "PCI host bridges beyond the default one, with passed-through host devices.",
                nullable = true) List<PhbDefinition> phbs,
        @Schema(description = "MMU mode offered to the guest; absent means the machine's default (radix on POWER9).",
                nullable = true, allowableValues = {"radix", "hash"}) Mmu mmu) {

    /** The NUMA nodes, never null. */
    public List<NumaNode> numaNodes() {
        return numa == null ? List.of() : numa;
    }

    /** The PHBs, never null. */
    public List<PhbDefinition> phbList() {
        return phbs == null ? List.of() : phbs;
    }

    /** Every host device address named by the PHBs, in order. */
    public List<String> hostDevices() {
        return phbList().stream()
                .filter(phb -> phb.devices() != null)
                .flatMap(phb -> phb.devices().stream())
                .toList();
    }
}
