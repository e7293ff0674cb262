package dev.pvm.gateway.vm;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** A guest PCI host bridge and the host devices passed through on it. */
@Schema(description = "A guest PCI host bridge (spapr-pci-host-bridge) with the host devices passed through on it.")
public record PhbDefinition(
        @Schema(description = "PHB index: 0..30 on pseries-2.8 and later, 0..255 on pseries-2.7; unique in the VM.",
                example = "1") Integer index,
        @Schema(description = "Host PCI addresses (DDDD:BB:DD.F) of the devices passed through on this PHB.",
                example = "[\"0004:04:00.0\"]") List<String> devices) {}
