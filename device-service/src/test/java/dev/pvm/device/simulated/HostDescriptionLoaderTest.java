package dev.pvm.device.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.device.HostDescriptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostDescriptionLoaderTest {
  @TempDir Path dir;

  @Test
  void everyShippedDescriptionLoadsAndDerives() {
    for (String name : HostDescriptionLoader.SHIPPED) {
      HostDescription d = HostDescriptionLoader.shipped(name);
      assertThat(d.name()).isEqualTo(name);
      SimulatedHostLayout layout = SimulatedHostLayout.derive(d, dir.resolve(name));
      assertThat(layout.gpus()).isNotEmpty();
    }
    HostDescription ac922 = HostDescriptionLoader.shipped("ac922-4gpu");
    assertThat(ac922.npus().get(1).domain()).isEqualTo(0x0008);
    assertThat(ac922.gpus().get(2).ramBase()).isEqualTo(0x2240000000000L);
    assertThat(ac922.gpus().get(0).ramSize().bytes()).isEqualTo(16L << 30);
    assertThat(ac922.pageSize().bytes()).isEqualTo(65536);
  }

  @Test
  void unknownNamesListTheShippedOnes() {
    assertThatThrownBy(() -> HostDescriptionLoader.shipped("dgx-1"))
        .isInstanceOf(HostDescriptionException.class)
        .hasMessageContaining("ac922-4gpu");
  }

  @Test
  void typosAndBadNumbersAreReportedWithTheirPath() {
    assertThatThrownBy(() -> parse("name: x\ngpus:\n  - {address: \"0004:01:00.0\", device-idd: 1}\n"))
        .isInstanceOf(HostDescriptionException.class)
        .hasMessageContaining("\"device-id\" is required")
        .hasMessageContaining("gpus");
    assertThatThrownBy(() -> parse("name: x\ngpus:\n  - {address: \"0004:01:00.0\", device-id: 1, npu: 0, links: [0],"
        + " ram-base: 0, ram-size: 1GiB, link-speed: 9, link-sped: 9, numa-node: 0}\n"))
        .isInstanceOf(HostDescriptionException.class)
        .hasMessageContaining("link-sped");
    assertThatThrownBy(() -> parse("name: x\nnpus:\n  - {chip-id: 0, domain: 0xzz, numa-node: 0, atsd-base: 0}\n"))
        .isInstanceOf(HostDescriptionException.class)
        .hasMessageContaining("domain");
    assertThatThrownBy(() -> parse("name: x\npage-size: 16 parsecs\n"))
        .isInstanceOf(HostDescriptionException.class)
        .hasMessageContaining("page-size");
  }

  @Test
  void inconsistentTopologiesAreRejected() {
    String npu = "npus:\n  - {chip-id: 0, domain: 0x0007, numa-node: 0, atsd-base: 0x6030201000000}\n";
    String gpu = "  - {address: \"%s\", device-id: 0x1db1, npu: %d, links: %s, ram-base: %s, ram-size: 1GiB,"
        + " link-speed: 9, numa-node: 0}\n";
    assertThatThrownBy(() -> derive("name: x\n" + npu + "gpus:\n"
        + gpu.formatted("0004:01:00.0", 0, "[0, 1]", "0x240000000000")
        + gpu.formatted("0005:01:00.0", 0, "[1, 2]", "0x242000000000")))
        .isInstanceOf(HostDescriptionException.class)
        .hasMessageContaining("link 1");
    assertThatThrownBy(() -> derive("name: x\n" + npu + "gpus:\n"
        + gpu.formatted("0004:01:00.0", 0, "[0]", "0x240000000000")
        + gpu.formatted("0005:01:00.0", 0, "[1]", "0x240000000000")))
        .isInstanceOf(HostDescriptionException.class)
        .hasMessageContaining("tgt");
    assertThatThrownBy(() -> derive("name: x\n" + npu + "gpus:\n"
        + gpu.formatted("0004:01:00.0", 3, "[0]", "0x240000000000")))
        .isInstanceOf(HostDescriptionException.class)
        .hasMessageContaining("npu 3");
    assertThatThrownBy(() -> derive("name: x\n" + npu + "gpus:\n"
        + gpu.formatted("0004:00:00.0", 0, "[0]", "0x240000000000")))
        .isInstanceOf(HostDescriptionException.class)
        .hasMessageContaining("bus != 0");
  }

  @Test
  void tgtFollowsSkibootsFormula() {
    assertThat(dev.pvm.device.nvlink.NvLink2DeviceTree.tgtFromGpuRamBase(0x240000000000L)).isEqualTo(0xc0000000000L);
    // bits 49-50 -> 45-46, bits 45-46 -> 43-44, bits 0-42 kept.
    assertThat(dev.pvm.device.nvlink.NvLink2DeviceTree.tgtFromGpuRamBase((3L << 49) | (3L << 45) | 0x123))
        .isEqualTo((3L << 45) | (3L << 43) | 0x123);
  }

  private static HostDescription parse(String yaml) {
    return HostDescriptionLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test");
  }

  private SimulatedHostLayout derive(String yaml) {
    return SimulatedHostLayout.derive(parse(yaml), dir);
  }
}
