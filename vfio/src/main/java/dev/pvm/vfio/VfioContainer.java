package dev.pvm.vfio;


/**
 * A VFIO container (/dev/vfio/vfio): one IOMMU context. Order: {@link #open}, then {@link VfioGroup#attach} of at
 * least one group, then {@link #setIommu}, then devices; {@link #close} last.
 */
public final class VfioContainer implements AutoCloseable {
  private final VfioKernel kernel;
  private final int fd;
  private int iommuType;

  private VfioContainer(VfioKernel kernel, int fd) {
    this.kernel = kernel;
    this.fd = fd;
  }

  /** Opens the container and checks the API version. */
  public static VfioContainer open(VfioKernel kernel) {
    int fd;
    try {
      fd = kernel.open(Vfio.CONTAINER_PATH);
    } catch (VfioIoctlException e) {
      throw new VfioUnavailableException("VFIO is not available on this host: cannot open "
          + Vfio.CONTAINER_PATH + " (" + Errno.name(e.errno()) + "); load the vfio-pci module and run as a user "
          + "allowed to use it", e);
    }
    VfioContainer container = new VfioContainer(kernel, fd);
    try {
      int version = kernel.ioctl(fd, VfioIoctl.GET_API_VERSION.number(kernel.encoding()), 0L);
      if (version != Vfio.API_VERSION) {
        throw new VfioUnavailableException(
            "VFIO API version " + version + " is not the supported version " + Vfio.API_VERSION);
      }
    } catch (RuntimeException e) {
      container.close();
      throw e;
    }
    return container;
  }

  int fd() {
    return fd;
  }

  VfioKernel kernel() {
    return kernel;
  }

  public boolean supports(int extension) {
    return kernel.ioctl(fd, VfioIoctl.CHECK_EXTENSION.number(kernel.encoding()), extension) > 0;
  }

  /**
   * Sets the IOMMU model: sPAPR TCE v2 on POWER (falling back to v1), type1v2 elsewhere (falling back to type1).
   * Needs at least one attached group.
   *
   * @return the chosen type
   */
  public int setIommu() {
    for (int type : new int[] {
        Vfio.SPAPR_TCE_v2_IOMMU, Vfio.SPAPR_TCE_IOMMU, Vfio.TYPE1v2_IOMMU, Vfio.TYPE1_IOMMU}) {
      if (supports(type)) {
        kernel.ioctl(fd, VfioIoctl.SET_IOMMU.number(kernel.encoding()), type);
        iommuType = type;
        return type;
      }
    }
    throw new VfioUnavailableException(
        "the VFIO container supports none of the IOMMU types sPAPR TCE v2/v1, type1v2, type1");
  }

  /** The IOMMU type set, 0 before {@link #setIommu}. */
  public int iommuType() {
    return iommuType;
  }

  @Override
  public void close() {
    kernel.close(fd);
  }
}
