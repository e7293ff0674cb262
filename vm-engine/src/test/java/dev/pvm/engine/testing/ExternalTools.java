package dev.pvm.engine.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds and runs the host tools some tests use as oracles (binutils for ppc64, dtc, qemu-user); tests skip without
 * them, or fail in CI ({@link #requireOracle}).
 */
public final class ExternalTools {

    private ExternalTools() {
    }

    /**
     * Skips the calling test when an oracle it needs is missing, except in CI (the {@code CI} environment
     * variable set, as {@code .ci/run} and hosted CI do), where CI installs every oracle and a missing one must
     * fail the build loudly instead of silently skipping what it checks.
     */
    public static void requireOracle(boolean present, String what) {
        if (present) {
            return;
        }
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank() && !ci.equals("false")) {
            throw new AssertionError("CI must provide " + what + " (.ci/run installs it)");
        }
        Assumptions.assumeTrue(false, "needs " + what);
    }

    /** Whether every named executable is on the PATH. */
    public static boolean available(String... tools) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        outer:
        for (String tool : tools) {
            for (String dir : path.split(File.pathSeparator)) {
                if (Path.of(dir, tool).toFile().canExecute()) {
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }

    /** Runs a command, returns its standard output; fails with its error output when it exits non-zero. */
    public static String run(Path directory, String... command) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("pvm-tool", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectError(errors.toFile());
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                        + Files.readString(errors));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}
