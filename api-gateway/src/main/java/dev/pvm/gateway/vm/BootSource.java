package dev.pvm.gateway.vm;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/** What the VM boots: a kernel (with optional initrd and command line) from this host, or a built-in guest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Exactly one of kernel or builtin.")
public record BootSource(
        @Schema(description = "Absolute path of the kernel ELF image on the gateway's host.",
                example = "/srv/pvm/vmlinux", nullable = true) String kernel,
        @Schema(description = "Absolute path of the initial ramdisk; only with kernel.",
                example = "/srv/pvm/initrd.gz", nullable = true) String initrd,
        @Schema(description = "Kernel command line; only with kernel.", example = "console=hvc0", nullable = true)
                String cmdline,
        @Schema(description = "Name of a guest built into the engine.", example = "hello", nullable = true)
                String builtin) {}
