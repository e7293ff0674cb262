package dev.pvm.vfio;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real VFIO through libc (JNA): open, ioctl, pread, pwrite, mmap, close on /dev/vfio.
 *
 * <p>JUSTIFICATION: VFIO has no Java API; its ioctls take pointers to structs that the kernel reads and rewrites.
 * SAFETY: every struct is copied into a JNA {@link Memory} block of exactly the size we pass as argsz, so the
 * kernel, which never writes past argsz, stays inside it; mmap results are wrapped in a MemorySegment of the
 * mapped length only.
 */
public final class JnaVfioKernel implements VfioKernel {
  private static final int O_RDWR = 2;
  private static final int O_CLOEXEC = 0x80000;
  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_SHARED = 1;

  /** The libc calls used; ioctl is variadic, so it is declared so (matters for the powerpc64 ELFv2 ABI). */
  interface LibC extends Library {
    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int ioctl(int fd, NativeLong request, Object... args) throws LastErrorException;

    Pointer mmap(Pointer address, NativeLong length, int prot, int flags, int fd, long offset)
        throws LastErrorException;

    int munmap(Pointer address, NativeLong length) throws LastErrorException;

    /** off_t is 64 bits on every host this runs on (x86-64, ppc64le): a Java long. */
    NativeLong pread(int fd, byte[] buffer, NativeLong count, long offset) throws LastErrorException;

    NativeLong pwrite(int fd, byte[] buffer, NativeLong count, long offset) throws LastErrorException;

    int getpagesize();
  }

  private final LibC libc;
  private final Map<Integer, Integer> groupOfFd = new ConcurrentHashMap<>();

  public JnaVfioKernel() {
    this.libc = Native.load("c", LibC.class);
  }

  /** The host page size (getpagesize(2)): the size of an ATSD region. */
  public static long hostPageSize() {
    return Native.load("c", LibC.class).getpagesize();
  }

  @Override
  public IoctlEncoding encoding() {
    return IoctlEncoding.ofHost();
  }

  @Override
  public ByteOrder byteOrder() {
    return ByteOrder.nativeOrder();
  }

  @Override
  public int open(String path) {
    try {
      int fd = libc.open(path, O_RDWR | O_CLOEXEC);
      if (path.startsWith("/dev/vfio/") && path.substring(10).matches("\\d+")) {
        groupOfFd.put(fd, Integer.parseInt(path.substring(10)));
      }
      return fd;
    } catch (LastErrorException e) {
      throw new VfioIoctlException("open(" + path + ")", e.getErrorCode(), Errno.name(e.getErrorCode()));
    }
  }

  @Override
  public int ioctl(int fd, int request, long value) {
    try {
      return libc.ioctl(fd, request(request), new NativeLong(value));
    } catch (LastErrorException e) {
      throw failure(request, e);
    }
  }

  @Override
  public int ioctl(int fd, int request, byte[] struct) {
    Memory memory = new Memory(struct.length);
    memory.write(0, struct, 0, struct.length);
    try {
      int result = libc.ioctl(fd, request(request), memory);
      memory.read(0, struct, 0, struct.length);
      return result;
    } catch (LastErrorException e) {
      throw failure(request, e);
    } finally {
      memory.close();
    }
  }

  @Override
  public int ioctl(int fd, int request, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    try (Memory memory = new Memory(bytes.length + 1)) {
      memory.write(0, bytes, 0, bytes.length);
      memory.setByte(bytes.length, (byte) 0);
      int result = libc.ioctl(fd, request(request), memory);
      Integer group = groupOfFd.get(fd);
      if (group != null && VfioIoctl.of(encoding(), request) == VfioIoctl.GROUP_GET_DEVICE_FD) {
        groupOfFd.put(result, group);
      }
      return result;
    } catch (LastErrorException e) {
      throw failure(request, e);
    }
  }

  @Override
  public int pread(int fd, byte[] buffer, long offset) {
    try {
      return libc.pread(fd, buffer, new NativeLong(buffer.length), offset).intValue();
    } catch (LastErrorException e) {
      throw new VfioIoctlException("pread(fd " + fd + ", offset 0x" + Long.toHexString(offset) + ", "
          + buffer.length + " bytes)", e.getErrorCode(), Errno.name(e.getErrorCode()));
    }
  }

  @Override
  public int pwrite(int fd, byte[] buffer, long offset) {
    try {
      return libc.pwrite(fd, buffer, new NativeLong(buffer.length), offset).intValue();
    } catch (LastErrorException e) {
      throw new VfioIoctlException("pwrite(fd " + fd + ", offset 0x" + Long.toHexString(offset) + ", "
          + buffer.length + " bytes)", e.getErrorCode(), Errno.name(e.getErrorCode()));
    }
  }

  @Override
  public MappedRegion mmap(int fd, long offset, long length) {
    Pointer p;
    try {
      p = libc.mmap(null, new NativeLong(length), PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
    } catch (LastErrorException e) {
      throw new VfioIoctlException("mmap(fd " + fd + ", offset 0x" + Long.toHexString(offset) + ", length "
          + length + ")", e.getErrorCode(), Errno.name(e.getErrorCode()));
    }
    MemorySegment segment = MemorySegment.ofAddress(Pointer.nativeValue(p)).reinterpret(length);
    return new MappedRegion() {
      @Override
      public MemorySegment segment() {
        return segment;
      }

      @Override
      public void close() {
        libc.munmap(p, new NativeLong(length));
      }
    };
  }

  @Override
  public void close(int fd) {
    groupOfFd.remove(fd);
    try {
      libc.close(fd);
    } catch (LastErrorException e) {
      throw new VfioIoctlException("close(" + fd + ")", e.getErrorCode(), Errno.name(e.getErrorCode()));
    }
  }

  @Override
  public RegionBacking backing(int deviceFd, long regionOffset) {
    Integer group = groupOfFd.get(deviceFd);
    return new RegionBacking(group == null ? "" : Vfio.groupPath(group), regionOffset);
  }

  private static NativeLong request(int request) {
    return new NativeLong(Integer.toUnsignedLong(request));
  }

  private VfioIoctlException failure(int request, LastErrorException e) {
    VfioIoctl ioctl = VfioIoctl.of(encoding(), request);
    String name = ioctl == null ? String.format("ioctl 0x%08x", request) : "VFIO_" + ioctl.name();
    return new VfioIoctlException(name, e.getErrorCode(), Errno.name(e.getErrorCode()));
  }
}
