package dev.pvm.device.simulated;

import dev.pvm.vfio.simulated.HeaderConfigRegion;
import dev.pvm.vfio.simulated.SimulatedNvLink2Region;
import dev.pvm.vfio.simulated.SimulatedPciFunction;
import dev.pvm.vfio.simulated.SimulatedVfioHost;
import dev.pvm.vfio.simulated.SimulatedVfioKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The simulated POWER9 host as its VFIO kernel sees it: every function with its group, driver and the config
 * header the sysfs writer publishes; GPUs with their GPU RAM region and bridges with their ATSD region, backed by
 * the layout's files. Group locks live under the host directory, so an engine simulating the same host and
 * device-service see each other's open groups as busy, as processes on a real host do.
 */
public final class SimulatedHostVfio {
  private SimulatedHostVfio() {}

  public static SimulatedVfioHost of(SimulatedHostLayout layout) {
    List<SimulatedPciFunction> functions = new ArrayList<>();
    for (SimulatedHostLayout.Function f : layout.functions()) {
      byte[] header = SimulatedHostWriter.configSpace(f);
      if (layout.bridge(f.address()).isEmpty()) {
        // PCI Express functions have 4 KiB of config space; skiboot's emulated NPU2 bridges only the 256 bytes.
        header = Arrays.copyOf(header, 4096);
      }
      byte[] config = header;
      Optional<SimulatedNvLink2Region> nvlink2 = layout.gpu(f.address())
          .map(g -> SimulatedNvLink2Region.gpuRam(g.ramSize(), g.tgt(), g.backingFile()))
          .or(() -> layout.bridge(f.address())
              .map(b -> SimulatedNvLink2Region.atsd(b.atsdSize(), b.tgt(), b.linkSpeed(), b.backingFile())));
      functions.add(new SimulatedPciFunction(f.address().toString(), f.iommuGroup(), f.driver(),
          () -> new HeaderConfigRegion(config), nvlink2));
    }
    return new SimulatedVfioHost(functions, Optional.of(layout.hostDirectory().resolve("vfio-groups")));
  }

  /** The simulated kernel of this host. */
  public static SimulatedVfioKernel kernel(SimulatedHostLayout layout) {
    return new SimulatedVfioKernel(of(layout));
  }
}
