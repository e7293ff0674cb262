package dev.pvm.vfio.simulated;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link SimulatedVfioKernel} knows about its host: the PCI functions with their IOMMU groups, drivers,
 * config spaces and NVLink2 regions. Device-service derives it from its simulated POWER9 host; tests of the
 * engine's passthrough path build one directly.
 *
 * @param functions  every PCI function of the host
 * @param groupLocks where the kernel keeps one lock file per opened group, so that a group held by one process
 *                   is busy (EBUSY) for every other process that simulates the same host, as /dev/vfio/N is on a
 *                   real one; empty: exclusivity only inside this kernel object
 */
public record SimulatedVfioHost(List<SimulatedPciFunction> functions, Optional<Path> groupLocks) {

  public SimulatedVfioHost {
    functions = List.copyOf(functions);
  }

  public Optional<SimulatedPciFunction> function(String address) {
    return functions.stream().filter(f -> f.address().equals(address)).findFirst();
  }
}
