package dev.pvm.engine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Test resources and the module's source directory (for golden files and the guest's build script). */
public final class TestResources {

    private TestResources() {
    }

    public static byte[] bytes(String resource) {
        try (InputStream in = TestResources.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String resource) {
        return new String(bytes(resource), StandardCharsets.UTF_8);
    }

    /** vm-engine's directory (Surefire passes it; falls back to the working directory). */
    public static Path moduleDir() {
        String dir = System.getProperty("pvm.engine.source-dir");
        return Path.of(dir != null ? dir : "").toAbsolutePath();
    }

    /** Whether golden files should be rewritten instead of compared (-Dgolden.update=true). */
    public static boolean updateGolden() {
        return Boolean.getBoolean("golden.update");
    }
}
