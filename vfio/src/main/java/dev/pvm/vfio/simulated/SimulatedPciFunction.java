package dev.pvm.vfio.simulated;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * One PCI function of a simulated host as VFIO sees it.
 *
 * @param address    "DDDD:BB:DD.F", the name GROUP_GET_DEVICE_FD takes
 * @param iommuGroup its IOMMU group, -1 for none
 * @param driver     the bound driver ("vfio-pci"; empty for none)
 * @param config     a fresh config space per device open: vfio-pci builds its virtualized copy when the device is
 *                   opened (vfio_config_init), so each open starts from the power-on values
 * @param nvlink2    the device-specific NVLink2 region (index 9), when the host driver registers one
 */
public record SimulatedPciFunction(String address, int iommuGroup, String driver,
    Supplier<SimulatedConfigRegion> config, Optional<SimulatedNvLink2Region> nvlink2) {

  public boolean boundToVfio() {
    return driver.equals("vfio-pci");
  }
}
