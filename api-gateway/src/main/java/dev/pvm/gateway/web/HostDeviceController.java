package dev.pvm.gateway.web;

import dev.pvm.gateway.clients.DeviceClient;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The host's devices, from device-service. */
@RestController
@Tag(name = "Host", description = "The host's PCI devices.")
public class HostDeviceController {

    private final DeviceClient devices;

    public HostDeviceController(DeviceClient devices) {
        this.devices = devices;
    }

    @GetMapping(path = "/api/v1/host/devices", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List host devices", description = "Every PCI device of the host (real or simulated) as "
            + "device-service reports it, with NVLink2 details and the VM holding it.")
    @ApiResponse(responseCode = "200", description = "The devices.")
    @ApiResponse(responseCode = "503", description = "device-service is unreachable.",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public HostDevicesView list() {
        return HostDevicesView.of(devices.listDevices());
    }
}
