package dev.pvm.vfio;

import java.nio.ByteBuffer;

/** An IOMMU group (/dev/vfio/N): must be viable (every member bound to vfio-pci or unbound) to be attached. */
public final class VfioGroup implements AutoCloseable {
  private final VfioKernel kernel;
  private final int group;
  private final int fd;

  private VfioGroup(VfioKernel kernel, int group, int fd) {
    this.kernel = kernel;
    this.group = group;
    this.fd = fd;
  }

  /** Opens the group and checks that it is viable. */
  public static VfioGroup open(VfioKernel kernel, int group) {
    int fd;
    try {
      fd = kernel.open(Vfio.groupPath(group));
    } catch (VfioIoctlException e) {
      throw new VfioUnavailableException("cannot open " + Vfio.groupPath(group) + " (" + Errno.name(e.errno())
          + "): " + openAdvice(e.errno()), e);
    }
    VfioGroup g = new VfioGroup(kernel, group, fd);
    try {
      if ((g.status() & Vfio.GROUP_FLAGS_VIABLE) == 0) {
        throw new VfioUnavailableException("IOMMU group " + group
            + " is not viable: some of its devices are bound to a host driver other than vfio-pci");
      }
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
    return g;
  }

  /**
   * Why an open of the group file fails: the kernel lets one open file hold a group at a time (vfio_group_fops_open
   * answers EBUSY to the second, Linux 5.x drivers/vfio/vfio.c), so EBUSY means another process -- a running VM's
   * engine, or device-service probing -- has it.
   */
  private static String openAdvice(int errno) {
    return switch (errno) {
      case Errno.EBUSY -> "the group is busy: another process (a VM's engine or device-service) holds it open";
      case Errno.EACCES, Errno.EPERM -> "no permission on the group file (it must be handed to this process)";
      default -> "bind the group's devices to vfio-pci";
    };
  }

  /** Whether an open failed because another process holds the group (see {@link #openAdvice}). */
  public static boolean busy(VfioUnavailableException e) {
    return e.getCause() instanceof VfioIoctlException io && io.errno() == Errno.EBUSY;
  }

  public int number() {
    return group;
  }

  /** vfio_group_status.flags. */
  public int status() {
    byte[] status = new byte[Vfio.GROUP_STATUS_SIZE];
    ByteBuffer.wrap(status).order(kernel.byteOrder()).putInt(0, Vfio.GROUP_STATUS_SIZE);
    kernel.ioctl(fd, VfioIoctl.GROUP_GET_STATUS.number(kernel.encoding()), status);
    return ByteBuffer.wrap(status).order(kernel.byteOrder()).getInt(4);
  }

  /** VFIO_GROUP_SET_CONTAINER: the argument points at the container's fd (an int). */
  public void attach(VfioContainer container) {
    byte[] containerFd = new byte[4];
    ByteBuffer.wrap(containerFd).order(kernel.byteOrder()).putInt(0, container.fd());
    kernel.ioctl(fd, VfioIoctl.GROUP_SET_CONTAINER.number(kernel.encoding()), containerFd);
  }

  /** Opens a device of this group by its PCI address (needs the container's IOMMU set). */
  public VfioDevice device(String address) {
    int deviceFd = kernel.ioctl(fd, VfioIoctl.GROUP_GET_DEVICE_FD.number(kernel.encoding()), address);
    return new VfioDevice(kernel, address, deviceFd);
  }

  @Override
  public void close() {
    kernel.close(fd);
  }
}
