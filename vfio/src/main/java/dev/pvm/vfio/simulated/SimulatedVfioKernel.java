package dev.pvm.vfio.simulated;

import dev.pvm.vfio.Errno;
import dev.pvm.vfio.IoctlEncoding;
import dev.pvm.vfio.Vfio;
import dev.pvm.vfio.VfioIoctl;
import dev.pvm.vfio.VfioIoctlException;
import dev.pvm.vfio.VfioKernel;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The VFIO side of a Linux 5.x powernv kernel on a simulated POWER9 host: answers the calls of {@link VfioKernel}
 * with the powerpc request encoding and ppc64le byte layouts, including the NVLink2 device-specific regions
 * exactly as vfio_pci_nvlink2.c registers them (spec 8.4, 9):
 *
 * <ul>
 *   <li>GPU: region 9, type 0x800010de/1, size = GPU RAM size, caps CAP_TYPE then SSATGT, argsz 64;
 *   <li>bridge: region 9, type 0x80001014/1, size = one page or 0 without ATSD, caps CAP_TYPE, SSATGT, LNKSPD,
 *       argsz 80;
 *   <li>a first call with argsz 32 gets argsz raised and cap_offset 0, no error.
 * </ul>
 *
 * The config region (index 7) answers pread/pwrite from the function's config space, a fresh one per device open
 * as vfio-pci virtualizes it; region 9 answers pread/pwrite (bounds-checked, count clipped at the end) and mmap
 * from its backing file (GPU RAM: length at most the size, one mapping per device open; ATSD: exactly the region
 * size). Groups exist only when a member is bound to vfio-pci, are viable only when every member is (or is
 * unbound), and are held by one open at a time (EBUSY for the next, across processes when the host has a lock
 * directory), as in the kernel. Thread-safe.
 */
public final class SimulatedVfioKernel implements VfioKernel {
  /** VFIO_PCI_OFFSET_SHIFT: region index << 40 is the region's offset in the device fd (kernel-internal). */
  private static final int OFFSET_SHIFT = 40;
  private static final long IN_REGION = (1L << OFFSET_SHIFT) - 1;
  private static final int NVLINK2_REGION = Vfio.PCI_NUM_REGIONS;

  private final SimulatedVfioHost host;
  private final Map<Integer, Object> fds = new HashMap<>();
  private final Set<Integer> openGroups = new HashSet<>();
  private int nextFd = 3;

  private static final class Container {
    final List<Group> groups = new ArrayList<>();
    int iommu;
  }

  private static final class Group {
    final int number;
    final Optional<GroupLock> lock;
    Container container;

    Group(int number, Optional<GroupLock> lock) {
      this.number = number;
      this.lock = lock;
    }
  }

  /** The lock file that makes a group busy for other processes simulating the same host. */
  private record GroupLock(FileChannel channel, FileLock lock) {
    void release() {
      try {
        channel.close(); // releases the lock
      } catch (IOException e) {
        // Nothing to save: the lock goes with the channel either way.
      }
    }
  }

  private static final class Device {
    final SimulatedPciFunction function;
    final SimulatedConfigRegion config;
    boolean gpuRamMapped;

    Device(SimulatedPciFunction function) {
      this.function = function;
      this.config = function.config().get();
    }
  }

  public SimulatedVfioKernel(SimulatedVfioHost host) {
    this.host = host;
  }

  @Override
  public IoctlEncoding encoding() {
    return IoctlEncoding.POWERPC;
  }

  @Override
  public ByteOrder byteOrder() {
    return ByteOrder.LITTLE_ENDIAN; // ppc64le
  }

  @Override
  public synchronized int open(String path) {
    if (path.equals(Vfio.CONTAINER_PATH)) {
      return allocate(new Container());
    }
    if (path.startsWith("/dev/vfio/") && path.substring(10).matches("\\d+")) {
      int group = Integer.parseInt(path.substring(10));
      boolean exists = host.functions().stream()
          .anyMatch(f -> f.iommuGroup() == group && f.boundToVfio());
      if (!exists) {
        throw new VfioIoctlException("open(" + path + ")", Errno.ENOENT, "ENOENT");
      }
      if (openGroups.contains(group)) {
        throw new VfioIoctlException("open(" + path + ")", Errno.EBUSY, "EBUSY");
      }
      Optional<GroupLock> lock = lock(group, path);
      openGroups.add(group);
      return allocate(new Group(group, lock));
    }
    throw new VfioIoctlException("open(" + path + ")", Errno.ENOENT, "ENOENT");
  }

  private Optional<GroupLock> lock(int group, String path) {
    if (host.groupLocks().isEmpty()) {
      return Optional.empty();
    }
    FileChannel channel = null;
    try {
      Path dir = Files.createDirectories(host.groupLocks().get());
      channel = FileChannel.open(dir.resolve("vfio-group-" + group + ".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new VfioIoctlException("open(" + path + ")", Errno.EBUSY, "EBUSY");
      }
      return Optional.of(new GroupLock(channel, lock));
    } catch (OverlappingFileLockException e) {
      // Another simulated kernel in this JVM holds it: busy, as for another process.
      closeQuietly(channel);
      throw new VfioIoctlException("open(" + path + ")", Errno.EBUSY, "EBUSY");
    } catch (IOException e) {
      closeQuietly(channel);
      throw new VfioIoctlException("open(" + path + ")", Errno.EIO, e.getMessage());
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Already failing; the first error is the one reported.
      }
    }
  }

  @Override
  public synchronized int ioctl(int fd, int request, long value) {
    Object target = target(fd);
    VfioIoctl ioctl = VfioIoctl.of(encoding(), request);
    if (target instanceof Container c && ioctl != null) {
      switch (ioctl) {
        case GET_API_VERSION:
          return Vfio.API_VERSION;
        case CHECK_EXTENSION:
          return value == Vfio.SPAPR_TCE_IOMMU || value == Vfio.SPAPR_TCE_v2_IOMMU || value == Vfio.EEH ? 1 : 0;
        case SET_IOMMU:
          if (c.groups.isEmpty() || c.iommu != 0) {
            throw fail(ioctl, Errno.EINVAL);
          }
          if (value != Vfio.SPAPR_TCE_IOMMU && value != Vfio.SPAPR_TCE_v2_IOMMU) {
            throw fail(ioctl, Errno.EINVAL);
          }
          c.iommu = (int) value;
          return 0;
        default:
          break;
      }
    }
    throw fail(ioctl, request, Errno.ENOTTY);
  }

  @Override
  public synchronized int ioctl(int fd, int request, byte[] struct) {
    Object target = target(fd);
    VfioIoctl ioctl = VfioIoctl.of(encoding(), request);
    ByteBuffer b = ByteBuffer.wrap(struct).order(byteOrder());
    if (target instanceof Group g && ioctl == VfioIoctl.GROUP_GET_STATUS) {
      requireArgsz(ioctl, b, Vfio.GROUP_STATUS_SIZE);
      b.putInt(4, (viable(g.number) ? Vfio.GROUP_FLAGS_VIABLE : 0)
          | (g.container != null ? Vfio.GROUP_FLAGS_CONTAINER_SET : 0));
      return 0;
    }
    if (target instanceof Group g && ioctl == VfioIoctl.GROUP_SET_CONTAINER) {
      if (struct.length < 4) {
        throw fail(ioctl, Errno.EFAULT);
      }
      if (!(fds.get(b.getInt(0)) instanceof Container c)) {
        throw fail(ioctl, Errno.EBADF);
      }
      if (g.container != null || !viable(g.number)) {
        throw fail(ioctl, g.container != null ? Errno.EINVAL : Errno.EPERM);
      }
      g.container = c;
      c.groups.add(g);
      return 0;
    }
    if (target instanceof Device d && ioctl == VfioIoctl.DEVICE_GET_INFO) {
      requireArgsz(ioctl, b, Vfio.DEVICE_INFO_SIZE);
      b.putInt(4, Vfio.DEVICE_FLAGS_PCI | Vfio.DEVICE_FLAGS_RESET);
      b.putInt(8, regionCount(d));
      b.putInt(12, Vfio.PCI_NUM_IRQS);
      return 0;
    }
    if (target instanceof Device d && ioctl == VfioIoctl.DEVICE_GET_REGION_INFO) {
      requireArgsz(ioctl, b, Vfio.REGION_INFO_SIZE);
      regionInfo(d, b, ioctl);
      return 0;
    }
    throw fail(ioctl, request, Errno.ENOTTY);
  }

  @Override
  public synchronized int ioctl(int fd, int request, String text) {
    Object target = target(fd);
    VfioIoctl ioctl = VfioIoctl.of(encoding(), request);
    if (target instanceof Group g && ioctl == VfioIoctl.GROUP_GET_DEVICE_FD) {
      if (g.container == null || g.container.iommu == 0) {
        throw fail(ioctl, Errno.EINVAL); // the kernel needs the container's IOMMU set first
      }
      Optional<SimulatedPciFunction> f = host.function(text).filter(x -> x.iommuGroup() == g.number);
      if (f.isEmpty()) {
        throw fail(ioctl, Errno.ENODEV);
      }
      return allocate(new Device(f.get()));
    }
    throw fail(ioctl, request, Errno.ENOTTY);
  }

  @Override
  public int pread(int fd, byte[] buffer, long offset) {
    return access(fd, buffer, offset, false);
  }

  @Override
  public int pwrite(int fd, byte[] buffer, long offset) {
    return access(fd, buffer, offset, true);
  }

  /**
   * A region access through the device fd (vfio_pci_rw): the region from the offset's index, bounds-checked
   * against the region's size (an offset at or past the end is EINVAL), the count clipped at its end.
   */
  private synchronized int access(int fd, byte[] buffer, long offset, boolean write) {
    String call = (write ? "pwrite" : "pread") + "(fd " + fd + ", offset 0x" + Long.toHexString(offset) + ")";
    if (!(fds.get(fd) instanceof Device d)) {
      throw new VfioIoctlException(call, Errno.EBADF, "EBADF");
    }
    int index = (int) (offset >>> OFFSET_SHIFT);
    long at = offset & IN_REGION;
    if (index == Vfio.PCI_CONFIG_REGION_INDEX) {
      if (at >= d.config.size()) {
        throw new VfioIoctlException(call, Errno.EINVAL, "EINVAL");
      }
      int count = (int) Math.min(buffer.length, d.config.size() - at);
      byte[] part = new byte[count];
      if (write) {
        System.arraycopy(buffer, 0, part, 0, count);
        d.config.write((int) at, part);
      } else {
        d.config.read((int) at, part);
        System.arraycopy(part, 0, buffer, 0, count);
      }
      return count;
    }
    Optional<SimulatedNvLink2Region> region = d.function.nvlink2();
    if (index != NVLINK2_REGION || region.isEmpty() || at >= region.get().size()) {
      throw new VfioIoctlException(call, Errno.EINVAL, "EINVAL");
    }
    int count = (int) Math.min(buffer.length, region.get().size() - at);
    try (FileChannel ch = FileChannel.open(region.get().backingFile(), StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(buffer, 0, count);
      while (b.hasRemaining()) {
        int n = write ? ch.write(b, at + b.position()) : ch.read(b, at + b.position());
        if (n < 0) {
          break; // a read past the file's end: the region's bytes are zero there, as in a sparse file
        }
      }
      return count;
    } catch (IOException e) {
      throw new VfioIoctlException(call, Errno.EIO, e.getMessage());
    }
  }

  @Override
  public synchronized MappedRegion mmap(int fd, long offset, long length) {
    if (!(fds.get(fd) instanceof Device d)) {
      throw new VfioIoctlException("mmap", Errno.EBADF, "EBADF");
    }
    int index = (int) (offset >>> OFFSET_SHIFT);
    long inRegion = offset & IN_REGION;
    Optional<SimulatedNvLink2Region> region = d.function.nvlink2();
    if (index != NVLINK2_REGION || inRegion != 0 || length <= 0 || region.isEmpty()) {
      throw new VfioIoctlException("mmap", Errno.EINVAL, "EINVAL");
    }
    SimulatedNvLink2Region r = region.get();
    if (r.gpu()) {
      if (length > r.size()) {
        throw new VfioIoctlException("mmap", Errno.EINVAL, "EINVAL");
      }
      if (d.gpuRamMapped) {
        throw new VfioIoctlException("mmap", Errno.EPERM, "EPERM: GPU RAM is mapped once per device open");
      }
      d.gpuRamMapped = true;
      return map(r.backingFile(), length);
    }
    if (r.size() > 0 && length == r.size()) {
      return map(r.backingFile(), length);
    }
    throw new VfioIoctlException("mmap", Errno.EINVAL, "EINVAL");
  }

  @Override
  public synchronized void close(int fd) {
    Object removed = fds.remove(fd);
    if (removed == null) {
      throw new VfioIoctlException("close(" + fd + ")", Errno.EBADF, "EBADF");
    }
    if (removed instanceof Group g) {
      if (g.container != null) {
        g.container.groups.remove(g);
      }
      openGroups.remove(g.number);
      g.lock.ifPresent(GroupLock::release);
    }
  }

  @Override
  public synchronized RegionBacking backing(int deviceFd, long regionOffset) {
    if (!(fds.get(deviceFd) instanceof Device d) || regionOffset >>> OFFSET_SHIFT != NVLINK2_REGION) {
      return new RegionBacking("", 0);
    }
    return d.function.nvlink2().filter(r -> r.size() > 0)
        .map(r -> new RegionBacking(r.backingFile().toString(), 0))
        .orElse(new RegionBacking("", 0));
  }

  private void regionInfo(Device d, ByteBuffer b, VfioIoctl ioctl) {
    int argsz = b.getInt(0);
    int index = b.getInt(8);
    if (index < 0 || index >= regionCount(d)) {
      throw fail(ioctl, Errno.EINVAL);
    }
    b.putInt(12, 0);
    if (index < Vfio.PCI_NUM_REGIONS) {
      // Standard regions: only config space is described here; BARs, ROM and VGA are size 0.
      boolean config = index == Vfio.PCI_CONFIG_REGION_INDEX;
      b.putInt(4, config ? Vfio.REGION_INFO_FLAG_READ | Vfio.REGION_INFO_FLAG_WRITE : 0);
      b.putLong(16, config ? d.config.size() : 0);
      b.putLong(24, (long) index << OFFSET_SHIFT);
      return;
    }
    SimulatedNvLink2Region r = d.function.nvlink2().orElseThrow();
    List<byte[]> caps = new ArrayList<>();
    if (r.gpu()) {
      caps.add(capType(Vfio.REGION_TYPE_NVIDIA_NVLINK2, Vfio.REGION_SUBTYPE_NVIDIA_NVLINK2_RAM));
    } else {
      caps.add(capType(Vfio.REGION_TYPE_IBM_NVLINK2, Vfio.REGION_SUBTYPE_IBM_NVLINK2_ATSD));
    }
    r.tgt().ifPresent(tgt -> caps.add(capU64(Vfio.REGION_INFO_CAP_NVLINK2_SSATGT, tgt)));
    r.linkSpeed().ifPresent(speed -> caps.add(capU32(Vfio.REGION_INFO_CAP_NVLINK2_LNKSPD, speed)));
    int needed = Vfio.REGION_INFO_SIZE + caps.size() * Vfio.REGION_CAP_SIZE;
    b.putInt(4, Vfio.REGION_INFO_FLAG_READ | Vfio.REGION_INFO_FLAG_WRITE | Vfio.REGION_INFO_FLAG_MMAP
        | Vfio.REGION_INFO_FLAG_CAPS);
    b.putLong(16, r.size());
    b.putLong(24, (long) index << OFFSET_SHIFT);
    if (argsz < needed) {
      b.putInt(0, needed); // caps do not fit: say how much is needed, copy none, no error
      return;
    }
    int at = Vfio.REGION_INFO_SIZE;
    for (int i = 0; i < caps.size(); i++) {
      byte[] cap = caps.get(i);
      ByteBuffer c = ByteBuffer.wrap(cap).order(byteOrder());
      c.putInt(4, i + 1 < caps.size() ? at + Vfio.REGION_CAP_SIZE : 0);
      b.put(at, cap);
      at += Vfio.REGION_CAP_SIZE;
    }
    b.putInt(12, Vfio.REGION_INFO_SIZE);
  }

  private static int regionCount(Device d) {
    return Vfio.PCI_NUM_REGIONS + (d.function.nvlink2().isPresent() ? 1 : 0);
  }

  private byte[] capType(int type, int subtype) {
    ByteBuffer c = capHeader(Vfio.REGION_INFO_CAP_TYPE);
    c.putInt(8, type);
    c.putInt(12, subtype);
    return c.array();
  }

  private byte[] capU64(int id, long value) {
    ByteBuffer c = capHeader(id);
    c.putLong(8, value);
    return c.array();
  }

  private byte[] capU32(int id, int value) {
    ByteBuffer c = capHeader(id);
    c.putInt(8, value);
    c.putInt(12, 0); // pad
    return c.array();
  }

  private ByteBuffer capHeader(int id) {
    ByteBuffer c = ByteBuffer.allocate(Vfio.REGION_CAP_SIZE).order(byteOrder());
    c.putShort(0, (short) id);
    c.putShort(2, (short) 1); // version 1
    return c;
  }

  private boolean viable(int group) {
    return host.functions().stream().filter(f -> f.iommuGroup() == group)
        .allMatch(f -> f.boundToVfio() || f.driver().isEmpty());
  }

  private static MappedRegion map(Path file, long length) {
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      MemorySegment segment = ch.map(FileChannel.MapMode.READ_WRITE, 0, length, arena);
      return new MappedRegion() {
        @Override
        public MemorySegment segment() {
          return segment;
        }

        @Override
        public void close() {
          arena.close();
        }
      };
    } catch (IOException e) {
      arena.close();
      throw new VfioIoctlException("mmap(" + file + ")", Errno.ENODEV, e.getMessage());
    }
  }

  private int allocate(Object o) {
    int fd = nextFd++;
    fds.put(fd, o);
    return fd;
  }

  private Object target(int fd) {
    Object o = fds.get(fd);
    if (o == null) {
      throw new VfioIoctlException("ioctl(fd " + fd + ")", Errno.EBADF, "EBADF");
    }
    return o;
  }

  private static void requireArgsz(VfioIoctl ioctl, ByteBuffer b, int minimum) {
    if (b.capacity() < 4 || Integer.compareUnsigned(b.getInt(0), minimum) < 0 || b.capacity() < minimum) {
      throw fail(ioctl, Errno.EINVAL);
    }
  }

  private static VfioIoctlException fail(VfioIoctl ioctl, int errno) {
    return new VfioIoctlException("VFIO_" + ioctl.name(), errno, Errno.name(errno));
  }

  private static VfioIoctlException fail(VfioIoctl ioctl, int request, int errno) {
    String name = ioctl == null ? String.format("ioctl 0x%08x", request) : "VFIO_" + ioctl.name();
    return new VfioIoctlException(name, errno, Errno.name(errno));
  }
}
