package dev.pvm.vfio;

/** The VFIO ioctls: all {@code _IO(VFIO_TYPE, VFIO_BASE + n)} (include/uapi/linux/vfio.h; spec 8.2). */
public enum VfioIoctl {
  GET_API_VERSION(0),
  CHECK_EXTENSION(1),
  SET_IOMMU(2),
  GROUP_GET_STATUS(3),
  GROUP_SET_CONTAINER(4),
  GROUP_UNSET_CONTAINER(5),
  GROUP_GET_DEVICE_FD(6),
  DEVICE_GET_INFO(7),
  DEVICE_GET_REGION_INFO(8),
  DEVICE_GET_IRQ_INFO(9),
  DEVICE_SET_IRQS(10),
  DEVICE_RESET(11),
  /** Same number as VFIO_IOMMU_GET_INFO and VFIO_DEVICE_GET_PCI_HOT_RESET_INFO (different fds). */
  IOMMU_SPAPR_TCE_GET_INFO(12),
  /** Same number as VFIO_DEVICE_PCI_HOT_RESET. */
  IOMMU_MAP_DMA(13),
  IOMMU_UNMAP_DMA(14),
  IOMMU_ENABLE(15),
  IOMMU_DISABLE(16),
  IOMMU_SPAPR_REGISTER_MEMORY(17),
  IOMMU_SPAPR_UNREGISTER_MEMORY(18),
  IOMMU_SPAPR_TCE_CREATE(19),
  IOMMU_SPAPR_TCE_REMOVE(20),
  EEH_PE_OP(21);

  /** VFIO_TYPE, ';'. */
  public static final int TYPE = ';';
  /** VFIO_BASE. */
  public static final int BASE = 100;

  private final int offset;

  VfioIoctl(int offset) {
    this.offset = offset;
  }

  public int nr() {
    return BASE + offset;
  }

  public int number(IoctlEncoding encoding) {
    return encoding.io(TYPE, nr());
  }

  /** The ioctl with this request number under {@code encoding}, or null. */
  public static VfioIoctl of(IoctlEncoding encoding, int request) {
    for (VfioIoctl i : values()) {
      if (i.number(encoding) == request) {
        return i;
      }
    }
    return null;
  }
}
