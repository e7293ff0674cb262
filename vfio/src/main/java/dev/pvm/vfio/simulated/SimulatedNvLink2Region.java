package dev.pvm.vfio.simulated;

import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The NVLink2 region vfio_pci_nvlink2.c registers for a device (spec 9.2, 9.3), backed by a host file.
 *
 * @param gpu         GPU RAM (type 0x800010de/1) when true, an NPU bridge's ATSD page (0x80001014/1) otherwise
 * @param size        region size: the GPU RAM size; one page or 0 (no ATSD) for a bridge
 * @param tgt         the SSATGT capability's value; empty leaves the capability out (a kernel that does not
 *                    provide it: QEMU then treats the device as not NVLink2)
 * @param linkSpeed   bridges: the LNKSPD capability's value; empty leaves it out
 * @param backingFile the bytes the region maps
 */
public record SimulatedNvLink2Region(boolean gpu, long size, OptionalLong tgt, OptionalInt linkSpeed,
    Path backingFile) {

  /** A GPU RAM region with its SSATGT capability, as the kernel registers it. */
  public static SimulatedNvLink2Region gpuRam(long size, long tgt, Path backingFile) {
    return new SimulatedNvLink2Region(true, size, OptionalLong.of(tgt), OptionalInt.empty(), backingFile);
  }

  /** An ATSD region with SSATGT and LNKSPD, as the kernel registers it. */
  public static SimulatedNvLink2Region atsd(long size, long tgt, int linkSpeed, Path backingFile) {
    return new SimulatedNvLink2Region(false, size, OptionalLong.of(tgt), OptionalInt.of(linkSpeed), backingFile);
  }
}
