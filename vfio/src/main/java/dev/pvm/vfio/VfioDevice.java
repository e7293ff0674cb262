package dev.pvm.vfio;

import java.nio.ByteBuffer;
import java.util.Optional;

/** A VFIO device fd: device info, region info with capabilities, and region mappings. */
public final class VfioDevice implements AutoCloseable {
  /** A GET_REGION_INFO answer larger than this is treated as malformed rather than allocated. */
  private static final int MAX_REGION_INFO = 64 * 1024;

  private final VfioKernel kernel;
  private final String address;
  private final int fd;

  VfioDevice(VfioKernel kernel, String address, int fd) {
    this.kernel = kernel;
    this.address = address;
    this.fd = fd;
  }

  /** struct vfio_device_info (the 16-byte v5.x form; later fields are not needed). */
  public record Info(int flags, int numRegions, int numIrqs) {}

  public String address() {
    return address;
  }

  public int fd() {
    return fd;
  }

  public Info info() {
    byte[] buf = new byte[Vfio.DEVICE_INFO_SIZE];
    ByteBuffer b = ByteBuffer.wrap(buf).order(kernel.byteOrder());
    b.putInt(0, Vfio.DEVICE_INFO_SIZE);
    kernel.ioctl(fd, VfioIoctl.DEVICE_GET_INFO.number(kernel.encoding()), buf);
    return new Info(b.getInt(4), b.getInt(8), b.getInt(12));
  }

  /**
   * VFIO_DEVICE_GET_REGION_INFO for one index: first with argsz 32; if the kernel answers with a larger argsz
   * (capabilities did not fit) again with that size (spec 7.2, 8.4).
   */
  public RegionInfo regionInfo(int index) {
    int argsz = Vfio.REGION_INFO_SIZE;
    for (int attempt = 0; attempt < 2; attempt++) {
      byte[] buf = new byte[argsz];
      ByteBuffer b = ByteBuffer.wrap(buf).order(kernel.byteOrder());
      b.putInt(0, argsz);
      b.putInt(8, index);
      kernel.ioctl(fd, VfioIoctl.DEVICE_GET_REGION_INFO.number(kernel.encoding()), buf);
      int wanted = b.getInt(0);
      if (Integer.compareUnsigned(wanted, argsz) > 0) {
        if (Integer.compareUnsigned(wanted, MAX_REGION_INFO) > 0) {
          throw new RegionInfoFormatException("region " + index + " of " + address + " asks for argsz "
              + Integer.toUnsignedString(wanted) + ", more than " + MAX_REGION_INFO);
        }
        argsz = wanted;
        continue;
      }
      RegionInfo info = RegionInfoParser.parse(buf, kernel.byteOrder());
      if (info.index() != index) {
        throw new RegionInfoFormatException(
            "asked for region " + index + " of " + address + ", the answer is for region " + info.index());
      }
      return info;
    }
    throw new RegionInfoFormatException("region " + index + " of " + address
        + ": argsz kept growing after the retry with the size the kernel asked for");
  }

  /** The first device-specific region with this type and subtype (vfio_get_dev_region_info). */
  public Optional<RegionInfo> findRegion(int type, int subtype) {
    int regions = info().numRegions();
    for (int i = Vfio.PCI_NUM_REGIONS; i < regions; i++) {
      RegionInfo region;
      try {
        region = regionInfo(i);
      } catch (VfioIoctlException e) {
        continue; // as QEMU does: an index the kernel refuses is skipped, not fatal
      }
      if (region.isType(type, subtype)) {
        return Optional.of(region);
      }
    }
    return Optional.empty();
  }

  public VfioKernel.MappedRegion map(RegionInfo region) {
    return kernel.mmap(fd, region.offset(), region.size());
  }

  /**
   * Reads {@code into.length} bytes at {@code at} inside {@code region} with pread on the device fd (how QEMU's
   * vfio_pci_read_config reaches config space: the region's offset from GET_REGION_INFO plus the register).
   *
   * @throws IllegalArgumentException when the access leaves the region
   * @throws VfioIoctlException        when the kernel refuses it or answers short
   */
  public void read(RegionInfo region, long at, byte[] into) {
    checkAccess(region, at, into.length);
    int n = kernel.pread(fd, into, region.offset() + at);
    if (n != into.length) {
      throw new VfioIoctlException(String.format("pread of region %d of %s at 0x%x", region.index(), address, at),
          Errno.EIO, "short read: " + n + " of " + into.length + " bytes");
    }
  }

  /** Writes {@code from} at {@code at} inside {@code region} with pwrite on the device fd. */
  public void write(RegionInfo region, long at, byte[] from) {
    checkAccess(region, at, from.length);
    int n = kernel.pwrite(fd, from, region.offset() + at);
    if (n != from.length) {
      throw new VfioIoctlException(String.format("pwrite of region %d of %s at 0x%x", region.index(), address,
          at), Errno.EIO, "short write: " + n + " of " + from.length + " bytes");
    }
  }

  private void checkAccess(RegionInfo region, long at, int length) {
    if (at < 0 || length < 0 || at + length > region.size()) {
      throw new IllegalArgumentException(String.format("access of %d bytes at 0x%x outside region %d of %s "
          + "(0x%x bytes)", length, at, region.index(), address, region.size()));
    }
  }

  public VfioKernel.RegionBacking backing(RegionInfo region) {
    return kernel.backing(fd, region.offset());
  }

  @Override
  public void close() {
    kernel.close(fd);
  }
}
