package dev.pvm.device.catalog;

import dev.pvm.device.host.HostDevice;
import java.util.Optional;

/**
 * A host device as the API shows it: what discovery found, who holds it, and the simulated NPU's ATSD launch
 * count (0 where there is no simulated NPU).
 */
public record DeviceView(HostDevice device, Optional<String> holder, long atsdLaunches) {}
