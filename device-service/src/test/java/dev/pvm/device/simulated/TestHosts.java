package dev.pvm.device.simulated;

import dev.pvm.device.host.HostInventory;
import dev.pvm.device.nvlink.NvLink2RegionProbe;
import dev.pvm.device.sysfs.SysfsDiscovery;
import java.nio.file.Path;

/** Writes a simulated host into a test directory and discovers it with the production code. */
public final class TestHosts {
  private TestHosts() {}

  public static SimulatedHostLayout write(String name, Path directory) {
    return write(HostDescriptionLoader.shipped(name), directory);
  }

  public static SimulatedHostLayout write(HostDescription description, Path directory) {
    SimulatedHostLayout layout = SimulatedHostLayout.derive(description, directory.resolve(description.name()));
    SimulatedHostWriter.write(layout);
    return layout;
  }

  /** sysfs + device-tree discovery only. */
  public static HostInventory discover(SimulatedHostLayout layout) {
    return new SysfsDiscovery(layout.sysfsRoot(), layout.pageSize()).discover("simulated:" + layout.name());
  }

  /** Discovery followed by the VFIO probe through the simulated kernel, as the service starts. */
  public static HostInventory discoverWithVfio(SimulatedHostLayout layout) {
    return new NvLink2RegionProbe(SimulatedHostVfio.kernel(layout)).probe(discover(layout));
  }

  /** A test-only description from src/test/resources/hosts. */
  public static HostDescription testDescription(String name) {
    return HostDescriptionLoader.shipped(name);
  }
}
