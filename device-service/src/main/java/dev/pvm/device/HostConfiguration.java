package dev.pvm.device;

import dev.pvm.device.api.DeviceGrpcService;
import dev.pvm.device.catalog.AtsdLaunchCounter;
import dev.pvm.device.catalog.DeviceCatalog;
import dev.pvm.device.host.HostInventory;
import dev.pvm.device.host.PciAddress;
import dev.pvm.device.nvlink.NvLink2AnswerFile;
import dev.pvm.device.nvlink.NvLink2RegionProbe;
import dev.pvm.device.reservation.ReservationBook;
import dev.pvm.device.reservation.ReservationSnapshotFile;
import dev.pvm.device.simulated.HostDescription;
import dev.pvm.device.simulated.HostDescriptionLoader;
import dev.pvm.device.simulated.SimulatedHostLayout;
import dev.pvm.device.simulated.SimulatedHostVfio;
import dev.pvm.device.simulated.SimulatedHostWriter;
import dev.pvm.device.simulated.SimulatedNpu;
import dev.pvm.device.sysfs.SysfsDiscovery;
import dev.pvm.vfio.JnaVfioKernel;
import dev.pvm.vfio.VfioKernel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the host (simulated or the real sysfs), discovery, the VFIO probe, reservations and the gRPC service.
 * Files live under {@code ${pvm.device.data-dir}/devices/<host>/}, where host is the description name or "host".
 */
@Configuration(proxyBeanMethods = false)
public class HostConfiguration {
  private static final Logger log = LoggerFactory.getLogger(HostConfiguration.class);

  /** Where discovery reads and where this host's state lives. */
  public record HostSource(String source, Path sysfsRoot, long pageSize, Path stateDirectory) {}

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "pvm.device.host", havingValue = "simulated", matchIfMissing = true)
  static class Simulated {
    @Bean
    SimulatedHostLayout simulatedHostLayout(DeviceProperties properties) {
      DeviceProperties.Simulated sim = properties.simulated();
      HostDescription description = sim.descriptionFile() != null && !sim.descriptionFile().isBlank()
          ? HostDescriptionLoader.file(Path.of(sim.descriptionFile()))
          : HostDescriptionLoader.shipped(sim.description());
      SimulatedHostLayout layout = SimulatedHostLayout.derive(
          description, properties.effectiveDataDir().resolve("devices").resolve(description.name()));
      SimulatedHostWriter.write(layout);
      log.info("simulated host {} ({}) written to {}", description.name(), description.summary(),
          layout.hostDirectory());
      return layout;
    }

    @Bean
    HostSource hostSource(SimulatedHostLayout layout) {
      return new HostSource(
          "simulated:" + layout.name(), layout.sysfsRoot(), layout.pageSize(), layout.hostDirectory());
    }

    @Bean
    VfioKernel vfioKernel(SimulatedHostLayout layout) {
      return SimulatedHostVfio.kernel(layout);
    }

    @Bean
    AtsdLaunchCounter simulatedNpu(SimulatedHostLayout layout, DeviceProperties properties) {
      return new SimulatedNpu(layout).start(properties.simulated().atsdPollInterval());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "pvm.device.host", havingValue = "sysfs")
  static class Sysfs {
    @Bean
    HostSource hostSource(DeviceProperties properties) {
      return new HostSource("sysfs", properties.sysfs().rootPath(), JnaVfioKernel.hostPageSize(),
          properties.effectiveDataDir().resolve("devices").resolve("host"));
    }

    @Bean
    VfioKernel vfioKernel() {
      if (!java.nio.file.Files.exists(Path.of(dev.pvm.vfio.Vfio.CONTAINER_PATH))) {
        log.info("VFIO is not available on this host ({} is missing): devices are listed from sysfs, NVLink2 "
            + "details come from the host device tree only", dev.pvm.vfio.Vfio.CONTAINER_PATH);
      }
      return new JnaVfioKernel();
    }

    @Bean
    AtsdLaunchCounter noAtsdLaunchCounter() {
      return AtsdLaunchCounter.NONE;
    }
  }

  @Bean
  HostInventory hostInventory(HostSource source, VfioKernel kernel) {
    HostInventory discovered = new SysfsDiscovery(source.sysfsRoot(), source.pageSize()).discover(source.source());
    // Groups holding reserved devices belong to running VMs' engines: the probe keeps their last answers.
    Set<PciAddress> reserved = new ReservationSnapshotFile(source.stateDirectory()).load().reservations().keySet();
    HostInventory inventory = new NvLink2RegionProbe(kernel,
        Optional.of(new NvLink2AnswerFile(source.stateDirectory()))).probe(discovered, reserved);
    log.info("{}: {} PCI functions", source.source(), inventory.devices().size());
    return inventory;
  }

  @Bean
  ReservationBook reservationBook(HostInventory inventory, HostSource source) {
    return new ReservationBook(inventory, new ReservationSnapshotFile(source.stateDirectory()));
  }

  @Bean
  DeviceCatalog deviceCatalog(HostInventory inventory, ReservationBook book, AtsdLaunchCounter atsd) {
    return new DeviceCatalog(inventory, book, atsd);
  }

  @Bean
  DeviceGrpcService deviceGrpcService(DeviceCatalog catalog) {
    return new DeviceGrpcService(catalog);
  }
}
