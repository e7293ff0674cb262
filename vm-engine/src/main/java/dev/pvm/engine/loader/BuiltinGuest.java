package dev.pvm.engine.loader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Guest programs shipped inside the engine (built from src/main/guest; see build.sh there), selected by
 * {@code boot.builtin} in the VM spec.
 */
public enum BuiltinGuest {
    /** Prints a greeting and what it read from the device tree, then powers off. Little-endian. */
    HELLO("hello", "hello-le.elf"),
    /** The same program built big-endian. */
    HELLO_BE("hello-be", "hello-be.elf");

    private static final String RESOURCE_DIR = "/dev/pvm/engine/guest/";

    private final String specName;
    private final String resource;

    BuiltinGuest(String specName, String resource) {
        this.specName = specName;
        this.resource = resource;
    }

    /** The name a VM spec uses ({@code hello}). */
    public String specName() {
        return specName;
    }

    /** The ELF file's name among the engine's resources. */
    public String resourceName() {
        return resource;
    }

    /** The guest with this spec name. */
    public static Optional<BuiltinGuest> byName(String name) {
        for (BuiltinGuest g : values()) {
            if (g.specName.equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** The guest's ELF file. */
    public byte[] elf() {
        try (InputStream in = BuiltinGuest.class.getResourceAsStream(RESOURCE_DIR + resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in guest " + resource + " is missing from the engine jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in guest " + resource, e);
        }
    }
}
