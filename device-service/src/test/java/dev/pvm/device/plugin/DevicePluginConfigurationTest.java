package dev.pvm.device.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.device.DeviceProperties;
import dev.pvm.device.HostConfiguration;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The plugin is wired from the service's host only when enabled (the DaemonSet), not for ./pvm up. */
class DevicePluginConfigurationTest {
  @TempDir Path dir;

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties({DeviceProperties.class, DevicePluginProperties.class})
  static class Properties {}

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withUserConfiguration(Properties.class, HostConfiguration.class, DevicePluginConfiguration.class)
        .withPropertyValues("pvm.device.data-dir=" + dir.resolve("data"),
            "pvm.device.simulated.description=small-1gpu",
            "pvm.device.plugin.socket-directory=" + dir.resolve("device-plugins"));
  }

  @Test
  void enabledItAdvertisesTheSimulatedHostsGpuAndListens() {
    runner().withPropertyValues("pvm.device.plugin.enabled=true").run(context -> {
      KubeletDevicePlugin plugin = context.getBean(KubeletDevicePlugin.class);
      assertThat(plugin.isRunning()).isTrue();
      assertThat(plugin.advertised()).singleElement().satisfies(d -> assertThat(d.getHealth()).isEqualTo("Healthy"));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!dir.resolve("device-plugins/pvm-nvlink2-gpu.sock").toFile().exists() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(dir.resolve("device-plugins/pvm-nvlink2-gpu.sock")).exists();
    });
  }

  @Test
  void offByDefault() {
    runner().run(context -> assertThat(context).doesNotHaveBean(KubeletDevicePlugin.class));
  }
}
