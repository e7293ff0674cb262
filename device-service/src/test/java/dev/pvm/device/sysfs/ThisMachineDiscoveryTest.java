package dev.pvm.device.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.device.host.HostDevice;
import dev.pvm.device.host.HostInventory;
import dev.pvm.device.nvlink.NvLink2RegionProbe;
import dev.pvm.vfio.JnaVfioKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The real path on the machine running the tests: real sysfs, real libc calls through JNA. */
class ThisMachineDiscoveryTest {

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
    assertThat(new NvLink2RegionProbe(new JnaVfioKernel()).probe(inventory).devices()).hasSize((int) expected);
  }
}
