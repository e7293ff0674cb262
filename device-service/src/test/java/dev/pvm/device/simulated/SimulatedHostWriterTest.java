package dev.pvm.device.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedHostWriterTest {
  @TempDir Path dir;

  @Test
  void backingFilesAreWritableByTheGroupThatEnginesRunIn() throws Exception {
    SimulatedHostLayout layout = TestHosts.write("small-1gpu", dir);
    // Also when the files were already there with other permissions (they are kept across restarts).
    Path gpuRam = layout.gpus().getFirst().backingFile();
    Files.setPosixFilePermissions(gpuRam, PosixFilePermissions.fromString("rw-r--r--"));
    SimulatedHostWriter.write(layout);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(gpuRam))).isEqualTo("rw-rw----");
    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(layout.bridges().getFirst().backingFile()))).isEqualTo("rw-rw----");
  }
}
