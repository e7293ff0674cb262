package dev.pvm.device.plugin;

import dev.pvm.device.DeviceProperties;
import dev.pvm.device.HostConfiguration.HostSource;
import dev.pvm.device.host.HostInventory;
import dev.pvm.device.reservation.ReservationBook;
import dev.pvm.device.sysfs.SysfsDiscovery;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The kubelet device plugin, when {@code pvm.device.plugin.enabled=true} (the DaemonSet sets it). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "pvm.device.plugin.enabled", havingValue = "true")
public class DevicePluginConfiguration {

  @Bean
  KubeletDevicePlugin kubeletDevicePlugin(DevicePluginProperties plugin, DeviceProperties device,
      HostSource source, HostInventory inventory, ReservationBook reservations) {
    // Only a real VFIO host has group device nodes to hand out; a simulated one shares backing files instead.
    Optional<Path> vfio = device.host() == DeviceProperties.HostMode.SYSFS
        ? Optional.of(Path.of(plugin.vfioDirectory()))
        : Optional.empty();
    Path dataDir = device.effectiveDataDir();
    Path hostDataDir = plugin.hostDataDirectory() == null || plugin.hostDataDirectory().isBlank()
        ? dataDir
        : Path.of(plugin.hostDataDirectory());
    SysfsDiscovery discovery = new SysfsDiscovery(source.sysfsRoot(), source.pageSize());
    GpuHealthCheck health = new GpuHealthCheck(() -> discovery.discover(source.source()), vfio);
    GpuAllocator allocator = new GpuAllocator(PluginGpu.of(inventory), reservations, vfio, dataDir, hostDataDir);
    return new KubeletDevicePlugin(plugin, inventory, reservations, health, allocator);
  }
}
