package dev.pvm.engine.machine;

import dev.pvm.engine.loader.BuiltinGuest;
import java.nio.file.Path;
import java.util.Optional;

/** What a VM boots: a guest built into the engine, or a kernel (and initrd) from files on the host. */
public sealed interface BootSource {

    /** A guest program shipped in the engine. */
    record Builtin(BuiltinGuest guest) implements BootSource {
    }

    /**
     * A Linux kernel.
     *
     * @param kernel  ELF vmlinux on the host
     * @param initrd  initial ramdisk on the host, when there is one
     * @param cmdline kernel command line for /chosen/bootargs
     */
    record Kernel(Path kernel, Optional<Path> initrd, String cmdline) implements BootSource {
    }
}
