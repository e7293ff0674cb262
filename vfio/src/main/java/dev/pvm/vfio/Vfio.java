package dev.pvm.vfio;

/** VFIO UAPI constants (include/uapi/linux/vfio.h, v5.0 - v5.12; spec 8.1) and the struct sizes of 8.3. */
public final class Vfio {
  public static final int API_VERSION = 0;

  public static final int TYPE1_IOMMU = 1;
  public static final int SPAPR_TCE_IOMMU = 2;
  public static final int TYPE1v2_IOMMU = 3;
  public static final int DMA_CC_IOMMU = 4;
  public static final int EEH = 5;
  public static final int SPAPR_TCE_v2_IOMMU = 7;
  public static final int NOIOMMU_IOMMU = 8;

  public static final int GROUP_FLAGS_VIABLE = 1;
  public static final int GROUP_FLAGS_CONTAINER_SET = 2;

  public static final int DEVICE_FLAGS_RESET = 1;
  public static final int DEVICE_FLAGS_PCI = 2;

  public static final int REGION_INFO_FLAG_READ = 1;
  public static final int REGION_INFO_FLAG_WRITE = 2;
  public static final int REGION_INFO_FLAG_MMAP = 4;
  public static final int REGION_INFO_FLAG_CAPS = 8;

  public static final int REGION_INFO_CAP_SPARSE_MMAP = 1;
  public static final int REGION_INFO_CAP_TYPE = 2;
  public static final int REGION_INFO_CAP_MSIX_MAPPABLE = 3;
  public static final int REGION_INFO_CAP_NVLINK2_SSATGT = 4;
  public static final int REGION_INFO_CAP_NVLINK2_LNKSPD = 5;

  public static final int REGION_TYPE_PCI_VENDOR_TYPE = 0x80000000;
  public static final int REGION_TYPE_PCI_VENDOR_MASK = 0xffff;
  /** GPU RAM region: type 0x800010de, subtype 1. */
  public static final int REGION_TYPE_NVIDIA_NVLINK2 = REGION_TYPE_PCI_VENDOR_TYPE | 0x10de;
  public static final int REGION_SUBTYPE_NVIDIA_NVLINK2_RAM = 1;
  /** ATSD register region: type 0x80001014, subtype 1. */
  public static final int REGION_TYPE_IBM_NVLINK2 = REGION_TYPE_PCI_VENDOR_TYPE | 0x1014;
  public static final int REGION_SUBTYPE_IBM_NVLINK2_ATSD = 1;

  public static final int PCI_BAR0_REGION_INDEX = 0;
  public static final int PCI_ROM_REGION_INDEX = 6;
  public static final int PCI_CONFIG_REGION_INDEX = 7;
  public static final int PCI_VGA_REGION_INDEX = 8;
  /** Device-specific regions start here. */
  public static final int PCI_NUM_REGIONS = 9;
  public static final int PCI_NUM_IRQS = 5;

  /** sizeof(struct vfio_info_cap_header). */
  public static final int CAP_HEADER_SIZE = 8;
  /** sizeof(struct vfio_region_info). */
  public static final int REGION_INFO_SIZE = 32;
  /** sizeof(vfio_region_info_cap_type), _nvlink2_ssatgt and _nvlink2_lnkspd: all 16. */
  public static final int REGION_CAP_SIZE = 16;
  /** sizeof(struct vfio_group_status). */
  public static final int GROUP_STATUS_SIZE = 8;
  /** sizeof(struct vfio_device_info) in v5.0 - 5.x; later kernels append cap_offset and pad (24). */
  public static final int DEVICE_INFO_SIZE = 16;

  /** Path of the container device. */
  public static final String CONTAINER_PATH = "/dev/vfio/vfio";

  private Vfio() {}

  public static String groupPath(int group) {
    return "/dev/vfio/" + group;
  }
}
