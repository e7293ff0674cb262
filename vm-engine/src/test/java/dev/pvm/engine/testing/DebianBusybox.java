package dev.pvm.engine.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Debian's ppc64el busybox-static, the oracle binary of issue 3's busybox tests. */
public final class DebianBusybox {

    private DebianBusybox() {
    }

    /**
     * {@code PVM_BUSYBOX}, or what {@code scripts/debian-busybox.sh} fetches and caches; null when neither works
     * (the script's complaint is printed on stderr).
     */
    public static Path path() throws InterruptedException {
        String env = System.getenv("PVM_BUSYBOX");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path root = TestResources.moduleDir().getParent();
        Path script = root.resolve("scripts/debian-busybox.sh");
        if (!Files.isExecutable(script)) {
            return null;
        }
        try {
            String out = ExternalTools.run(root, script.toString()).strip();
            Path path = Path.of(out.substring(out.lastIndexOf('\n') + 1));
            return Files.isRegularFile(path) ? path : null;
        } catch (IOException e) {
            System.err.println("scripts/debian-busybox.sh: " + e.getMessage());
            return null;
        }
    }
}
