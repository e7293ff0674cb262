package dev.pvm.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real path on the machine running the tests: real libc calls through JNA. */
class JnaVfioKernelTest {
  private final JnaVfioKernel kernel = new JnaVfioKernel();

  @TempDir Path dir;

  @Test
  void vfioAbsenceIsAClearMessageAndPresenceAnswersTheApiVersion() {
    if (Files.exists(Path.of(Vfio.CONTAINER_PATH))) {
      try (VfioContainer container = VfioContainer.open(kernel)) {
        assertThat(container.iommuType()).isZero();
      } catch (VfioUnavailableException e) {
        assertThat(e).hasMessageContaining(Vfio.CONTAINER_PATH); // e.g. no permission
      }
    } else {
      assertThatThrownBy(() -> VfioContainer.open(kernel))
          .isInstanceOf(VfioUnavailableException.class)
          .hasMessageContaining("VFIO is not available on this host")
          .hasMessageContaining("/dev/vfio/vfio")
          .hasMessageContaining("ENOENT");
    }
  }

  @Test
  void realIoctlsReportErrno() {
    int fd = kernel.open("/dev/null");
    try {
      // /dev/null does not implement VFIO's ioctls: the kernel answers ENOTTY through the real syscall.
      byte[] info = new byte[Vfio.REGION_INFO_SIZE];
      assertThatThrownBy(() -> kernel.ioctl(fd, VfioIoctl.DEVICE_GET_REGION_INFO.number(kernel.encoding()), info))
          .isInstanceOf(VfioIoctlException.class)
          .hasMessageContaining("VFIO_DEVICE_GET_REGION_INFO")
          .satisfies(e -> assertThat(((VfioIoctlException) e).errno()).isEqualTo(Errno.ENOTTY));
      assertThatThrownBy(() -> kernel.ioctl(fd, VfioIoctl.GET_API_VERSION.number(kernel.encoding()), 0L))
          .isInstanceOf(VfioIoctlException.class);
    } finally {
      kernel.close(fd);
    }
    assertThatThrownBy(() -> kernel.ioctl(fd, VfioIoctl.GET_API_VERSION.number(kernel.encoding()), 0L))
        .isInstanceOf(VfioIoctlException.class)
        .satisfies(e -> assertThat(((VfioIoctlException) e).errno()).isEqualTo(Errno.EBADF));
    assertThatThrownBy(() -> kernel.open("/dev/vfio/does-not-exist"))
        .satisfies(e -> assertThat(((VfioIoctlException) e).errno()).isEqualTo(Errno.ENOENT));
  }

  @Test
  void preadAndPwriteReachTheFileAtTheOffset() throws IOException {
    Path file = dir.resolve("region");
    Files.write(file, new byte[64]);
    int fd = kernel.open(file.toString());
    try {
      assertThat(kernel.pwrite(fd, new byte[] {1, 2, 3, 4}, 40)).isEqualTo(4);
      byte[] back = new byte[6];
      assertThat(kernel.pread(fd, back, 39)).isEqualTo(6);
      assertThat(back).containsExactly(0, 1, 2, 3, 4, 0);
      assertThat(kernel.pread(fd, new byte[16], 60)).as("short at the end").isEqualTo(4);
    } finally {
      kernel.close(fd);
    }
    byte[] content = Files.readAllBytes(file);
    assertThat(Arrays.copyOfRange(content, 40, 44)).containsExactly(1, 2, 3, 4);
    assertThatThrownBy(() -> kernel.pread(fd, new byte[4], 0))
        .isInstanceOf(VfioIoctlException.class)
        .hasMessageContaining("pread")
        .satisfies(e -> assertThat(((VfioIoctlException) e).errno()).isEqualTo(Errno.EBADF));
  }

  @Test
  void hostPageSizeComesFromLibc() {
    long page = JnaVfioKernel.hostPageSize();
    assertThat(Long.bitCount(page)).isEqualTo(1);
    assertThat(page).isGreaterThanOrEqualTo(4096);
  }
}
