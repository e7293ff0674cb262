package dev.pvm.device.catalog;

import dev.pvm.device.host.PciAddress;

/** How many ATSD launches a bridge's NPU has processed; real hosts do not count (always 0). */
@FunctionalInterface
public interface AtsdLaunchCounter {
  AtsdLaunchCounter NONE = address -> 0;

  long launches(PciAddress bridge);
}
