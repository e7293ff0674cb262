package dev.pvm.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pvm.engine.loader.BuiltinGuest;
import dev.pvm.engine.testing.ExternalTools;
import dev.pvm.engine.testing.TestResources;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hello guest binaries in the engine's resources are built from src/main/guest/hello by build.sh; this
 * rebuilds them with the cross binutils and checks they match byte for byte (skipped without binutils).
 * After changing hello.s, run build.sh and commit the new binaries.
 */
class HelloGuestBuildTest {

    @Test
    void committedBinariesMatchTheSource(@TempDir Path out) throws Exception {
        assumeTrue(ExternalTools.available("powerpc64-linux-gnu-as", "powerpc64-linux-gnu-ld",
                "powerpc64le-linux-gnu-as", "powerpc64le-linux-gnu-ld"),
                "cross binutils for powerpc64/powerpc64le are not installed; cannot rebuild the hello guest");
        Path script = TestResources.moduleDir().resolve("src/main/guest/hello/build.sh");
        ExternalTools.run(null, "sh", script.toString(), out.toString());
        for (BuiltinGuest guest : BuiltinGuest.values()) {
            assertThat(Files.readAllBytes(out.resolve(guest.resourceName())))
                    .as("%s is stale: run src/main/guest/hello/build.sh and commit the result", guest.resourceName())
                    .isEqualTo(guest.elf());
        }
    }
}
