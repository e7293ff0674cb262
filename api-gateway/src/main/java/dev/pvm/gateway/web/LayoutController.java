package dev.pvm.gateway.web;

import dev.pvm.gateway.clients.DeviceClient;
import dev.pvm.gateway.clients.PlacementClient;
import dev.pvm.gateway.clients.VmSpecMapper;
import dev.pvm.gateway.problem.InvalidRequestException;
import dev.pvm.gateway.vm.VmDefinition;
import dev.pvm.gateway.vm.VmDefinitionValidator;
import dev.pvm.proto.common.v1.HostPciDevice;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Layout previews: what a VM definition would look like to its guest, without defining or starting it. */
@RestController
@Tag(name = "Layouts", description = "Guest layouts computed by placement-service.")
public class LayoutController {

    private final VmDefinitionValidator validator;
    private final DeviceClient devices;
    private final PlacementClient placement;

    public LayoutController(VmDefinitionValidator validator, DeviceClient devices, PlacementClient placement) {
        this.validator = validator;
        this.devices = devices;
        this.placement = placement;
    }

    @PostMapping(path = "/api/v1/layouts", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Compute a layout", description = "Computes the guest layout of a VM definition (the name "
            + "is optional) without creating the VM or reserving its devices: PHB windows, NVLink2 GPU slots, NUMA "
            + "nodes and associativity. Addresses and sizes are 0x-prefixed lower-case hex strings.")
    @ApiResponse(responseCode = "200", description = "The layout.")
    @ApiResponse(responseCode = "400", description = "Invalid definition; the problem names the field.",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "503", description = "placement-service or device-service is unreachable.",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public LayoutView compute(@RequestBody VmDefinition definition) {
        validator.validateForLayout(definition);
        List<HostPciDevice> described = new ArrayList<>();
        List<String> addresses = definition.hostDevices();
        for (int i = 0; i < addresses.size(); i++) {
            String address = addresses.get(i);
            described.add(devices.find(address)
                    .orElseThrow(() -> new InvalidRequestException("phbs", "host device " + address
                            + " disappeared while the layout was computed"))
                    .getPci());
        }
        return LayoutView.of(placement.computeLayout(VmSpecMapper.toSpec(definition), described));
    }
}
