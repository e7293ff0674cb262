package dev.pvm.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian bookworm's ppc64el kernel and the busybox shell initramfs, as {@code scripts/debian-guest.sh} fetches,
 * builds and caches them (it prints {@code VMLINUX=...} and {@code INITRD=...}).
 */
record DebianGuest(Path vmlinux, Path initrd) {

    /**
     * Runs the script (cached: nothing is downloaded or rebuilt when the inputs are there). Without the files the
     * calling test is skipped, except in CI (the {@code CI} environment variable set, as {@code .ci/run} does),
     * where a missing guest fails it: CI fetches the guest before the tests.
     */
    static DebianGuest locate(Path root) throws IOException, InterruptedException {
        Path script = root.resolve("scripts/debian-guest.sh");
        Path errors = Files.createTempFile("debian-guest", ".err");
        try {
            Process process = new ProcessBuilder(script.toString()).directory(root.toFile())
                    .redirectError(errors.toFile()).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return unavailable("scripts/debian-guest.sh did not finish in 10 minutes");
            }
            Map<String, String> vars = new HashMap<>();
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    vars.put(line.substring(0, eq), line.substring(eq + 1).strip());
                }
            }
            if (process.exitValue() != 0 || !vars.containsKey("VMLINUX") || !vars.containsKey("INITRD")) {
                return unavailable("scripts/debian-guest.sh exited with " + process.exitValue() + ":\n" + out
                        + Files.readString(errors));
            }
            return new DebianGuest(Path.of(vars.get("VMLINUX")), Path.of(vars.get("INITRD")));
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private static DebianGuest unavailable(String why) {
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank() && !ci.equals("false")) {
            throw new AssertionError("CI must provide Debian's ppc64el guest (.ci/run fetches it): " + why);
        }
        Assumptions.abort("needs Debian's ppc64el kernel and busybox initramfs: " + why);
        return null;
    }
}
