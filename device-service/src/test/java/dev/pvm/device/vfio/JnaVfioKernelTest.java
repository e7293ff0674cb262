package dev.pvm.device.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.device.VfioIoctlException;
import dev.pvm.device.VfioUnavailableException;
import dev.pvm.device.host.HostDevice;
import dev.pvm.device.host.HostInventory;
import dev.pvm.device.nvlink.NvLink2RegionProbe;
import dev.pvm.device.sysfs.SysfsDiscovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The real path on the machine running the tests: real sysfs, real libc calls through JNA. */
class JnaVfioKernelTest {
  private final JnaVfioKernel kernel = new JnaVfioKernel();

  @Test
  void discoversThisMachinesPciDevices() throws IOException {
    HostInventory inventory = new SysfsDiscovery(Path.of("/"), JnaVfioKernel.hostPageSize()).discover("sysfs");
    Path devices = Path.of("/sys/bus/pci/devices");
    long expected;
    try (Stream<Path> entries = Files.isDirectory(devices) ? Files.list(devices) : Stream.empty()) {
      expected = entries.count();
    }
    assertThat(inventory.devices()).hasSize((int) expected);
    for (HostDevice d : inventory.devices()) {
      Path dir = devices.resolve(d.address().toString());
      assertThat(Integer.decode(Files.readString(dir.resolve("vendor")).trim())).isEqualTo(d.vendorId());
      assertThat(Integer.decode(Files.readString(dir.resolve("class")).trim())).isEqualTo(d.classCode());
    }
    // Whatever VFIO state this machine has, probing it never throws: absence is logged and skipped.
    assertThat(new NvLink2RegionProbe(kernel).probe(inventory).devices()).hasSize((int) expected);
  }

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
  void hostPageSizeComesFromLibc() {
    long page = JnaVfioKernel.hostPageSize();
    assertThat(Long.bitCount(page)).isEqualTo(1);
    assertThat(page).isGreaterThanOrEqualTo(4096);
  }
}
