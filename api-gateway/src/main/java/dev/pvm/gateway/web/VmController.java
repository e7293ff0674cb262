package dev.pvm.gateway.web;

import dev.pvm.gateway.console.ConsoleRegistry;
import dev.pvm.gateway.problem.InvalidRequestException;
import dev.pvm.gateway.supervise.EngineSupervisor;
import dev.pvm.gateway.vm.VmDefinition;
import dev.pvm.gateway.vm.VmDefinitionValidator;
import dev.pvm.gateway.vm.VmRecord;
import dev.pvm.gateway.vm.VmStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** VMs: define, list, start, stop, delete; their console and device tree. */
@RestController
@RequestMapping("/api/v1/vms")
@Tag(name = "VMs", description = "Virtual machines: definitions, lifecycle, console, device tree.")
@ApiResponse(responseCode = "400", description = "Invalid input; the problem names the offending field.",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
@ApiResponse(responseCode = "503", description = "A backing service (placement-service, device-service, an engine) "
        + "is unreachable; the problem names it.",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
public class VmController {

    private final VmStore store;
    private final VmDefinitionValidator validator;
    private final EngineSupervisor supervisor;
    private final ConsoleRegistry consoles;

    public VmController(VmStore store, VmDefinitionValidator validator, EngineSupervisor supervisor,
            ConsoleRegistry consoles) {
        this.store = store;
        this.validator = validator;
        this.supervisor = supervisor;
        this.consoles = consoles;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Define a VM", description = "Validates the definition (machine limits from placement-service, "
            + "devices from device-service, kernel files on this host) and stores it in state DEFINED.")
    @ApiResponse(responseCode = "201", description = "Defined; Location names the new VM.")
    @ApiResponse(responseCode = "409", description = "A VM with this name exists (field \"name\").",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public ResponseEntity<VmView> create(@RequestBody VmDefinition definition) {
        validator.validate(definition);
        VmRecord vm = store.create(definition);
        return ResponseEntity.created(URI.create("/api/v1/vms/" + vm.id())).body(VmView.of(vm));
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List VMs", description = "Every VM, oldest first.")
    @ApiResponse(responseCode = "200", description = "The VMs.")
    public List<VmView> list() {
        return store.list().stream().map(VmView::of).toList();
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Get a VM")
    @ApiResponse(responseCode = "200", description = "The VM.")
    @ApiResponse(responseCode = "404", description = "No VM has this id.",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public VmView get(@Parameter(description = "VM id") @PathVariable UUID id) {
        return VmView.of(store.get(id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a VM", description = "Removes the record and the VM's directory (logs, console). "
            + "A VM that has an engine (STARTING, RUNNING, PAUSED) is not stopped implicitly: the answer is 409, "
            + "stop it first.")
    @ApiResponse(responseCode = "204", description = "Deleted.")
    @ApiResponse(responseCode = "404", description = "No VM has this id.",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "409", description = "The VM is running; stop it first.",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public void delete(@Parameter(description = "VM id") @PathVariable UUID id) {
        supervisor.delete(id);
    }

    @PostMapping(path = "/{id}/start", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Start a VM", description = "Reserves the VM's host devices, computes its layout and "
            + "launches its engine. Answers once devices and layout are settled, with the VM STARTING; it becomes "
            + "RUNNING when the engine says so. A failure before the launch leaves the VM in its previous state; a "
            + "failed launch makes it FAILED with the reason.")
    @ApiResponse(responseCode = "202", description = "Starting.")
    @ApiResponse(responseCode = "404", description = "No VM has this id.",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "409", description = "Already running, or a device is held by another VM.",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public VmView start(@Parameter(description = "VM id") @PathVariable UUID id) {
        return VmView.of(supervisor.start(id));
    }

    @PostMapping(path = "/{id}/stop", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Stop a VM", description = "Pulls the plug (engine Shutdown with force; killed if it does "
            + "not exit in time) and answers once the engine is gone and the devices released.")
    @ApiResponse(responseCode = "200", description = "Stopped (SHUTOFF, or FAILED if the engine had to be killed).")
    @ApiResponse(responseCode = "404", description = "No VM has this id.",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "409", description = "The VM is not running.",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public VmView stop(@Parameter(description = "VM id") @PathVariable UUID id) {
        return VmView.of(supervisor.stop(id));
    }

    @GetMapping(path = "/{id}/console", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "Console output", description = "Everything the guest printed in its current or last run "
            + "(kept after the engine is gone). For live output and input use the WebSocket "
            + "/api/v1/vms/{id}/console/stream.")
    @ApiResponse(responseCode = "200", description = "The console text (UTF-8).",
            content = @Content(mediaType = "text/plain", schema = @Schema(type = "string",
                    example = "Hello from a pvm POWER guest\n")))
    @ApiResponse(responseCode = "404", description = "No VM has this id.",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public ResponseEntity<byte[]> console(@Parameter(description = "VM id") @PathVariable UUID id) {
        store.get(id);
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_PLAIN, java.nio.charset.StandardCharsets.UTF_8))
                .body(consoles.console(id).read());
    }

    @GetMapping(path = "/{id}/device-tree", produces = {MediaType.APPLICATION_OCTET_STREAM_VALUE,
            MediaType.TEXT_PLAIN_VALUE})
    @Operation(summary = "Device tree", description = "The flattened device tree the running VM's engine built at its "
            + "last machine reset: the DTB (version 17) by default, or with format=dts the same tree as source text, "
            + "printed as `dtc -I dtb -O dts` prints that DTB.")
    @ApiResponse(responseCode = "200", description = "The DTB, or the DTS text.", content = {
            @Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary")),
            @Content(mediaType = "text/plain", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "400", description = "format is neither dtb nor dts.",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "404", description = "No VM has this id.",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "409", description = "The VM is not running.",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public ResponseEntity<?> deviceTree(@Parameter(description = "VM id") @PathVariable UUID id,
            @Parameter(description = "dtb (default) or dts", schema = @Schema(allowableValues = {"dtb", "dts"},
                    defaultValue = "dtb")) @RequestParam(name = "format", defaultValue = "dtb") String format) {
        return switch (format) {
            case "dtb" -> ResponseEntity.ok()
                    .contentType(MediaType.APPLICATION_OCTET_STREAM)
                    .header("Content-Disposition", "attachment; filename=\"" + id + ".dtb\"")
                    .body(supervisor.deviceTree(id));
            case "dts" -> ResponseEntity.ok()
                    .contentType(new MediaType(MediaType.TEXT_PLAIN, java.nio.charset.StandardCharsets.UTF_8))
                    .body(supervisor.deviceTreeSource(id));
            default -> throw new InvalidRequestException("format", "must be dtb or dts, got '" + format + "'");
        };
    }
}
