package dev.pvm.vfio;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * The system calls VFIO userspace makes, at the level of file descriptors, request numbers and raw struct bytes.
 * {@link JnaVfioKernel} makes them on /dev/vfio; {@code SimulatedVfioKernel} answers them for a simulated POWER9
 * host with the same byte layouts, so {@link VfioContainer}, {@link VfioGroup}, {@link VfioDevice} and the
 * region-info parser run unchanged on both, in device-service (discovery) and in the engine (passthrough).
 *
 * <p>Every failing call throws {@link VfioIoctlException} carrying the errno.
 */
public interface VfioKernel {
  /** How request numbers are encoded on the kernel's architecture. */
  IoctlEncoding encoding();

  /** Byte order of the structs (the kernel's native order; little-endian on ppc64le and x86-64). */
  ByteOrder byteOrder();

  /** open(path, O_RDWR); returns the new fd. */
  int open(String path);

  /** An ioctl whose argument is an integer value (CHECK_EXTENSION, SET_IOMMU); returns the ioctl's result. */
  int ioctl(int fd, int request, long value);

  /**
   * An ioctl whose argument points at a struct: the kernel reads {@code struct} and writes its answer back into
   * it. Returns the ioctl's result.
   */
  int ioctl(int fd, int request, byte[] struct);

  /** An ioctl whose argument points at a NUL-terminated string (GROUP_GET_DEVICE_FD); returns the result. */
  int ioctl(int fd, int request, String text);

  /**
   * pread(fd, buffer, buffer.length, offset): a region access through the device fd (config space, BARs,
   * device-specific regions); returns the bytes read, which may be fewer than asked at the region's end.
   */
  int pread(int fd, byte[] buffer, long offset);

  /** pwrite(fd, buffer, buffer.length, offset); returns the bytes written. */
  int pwrite(int fd, byte[] buffer, long offset);

  /** mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset). */
  MappedRegion mmap(int fd, long offset, long length);

  void close(int fd);

  /**
   * What another process maps to reach the region at {@code regionOffset} of a device fd: the simulated backing
   * file, or the VFIO group device through which that process gets its own device fd.
   */
  RegionBacking backing(int deviceFd, long regionOffset);

  /** A mapping made by {@link #mmap}; closing unmaps it. */
  interface MappedRegion extends AutoCloseable {
    MemorySegment segment();

    @Override
    void close();
  }

  /** A file and the offset of a region in it. */
  record RegionBacking(String path, long offset) {}
}
