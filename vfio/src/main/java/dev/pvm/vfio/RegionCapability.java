package dev.pvm.vfio;

/** One entry of a vfio_region_info capability chain (spec 8.3). */
public sealed interface RegionCapability {
  int id();

  int version();

  /** VFIO_REGION_INFO_CAP_TYPE: the region's type and subtype. */
  record Type(int version, int type, int subtype) implements RegionCapability {
    public int id() {
      return Vfio.REGION_INFO_CAP_TYPE;
    }
  }

  /** VFIO_REGION_INFO_CAP_NVLINK2_SSATGT: the GPU's tgt. */
  record Ssatgt(int version, long tgt) implements RegionCapability {
    public int id() {
      return Vfio.REGION_INFO_CAP_NVLINK2_SSATGT;
    }
  }

  /** VFIO_REGION_INFO_CAP_NVLINK2_LNKSPD: the link speed. */
  record Lnkspd(int version, int linkSpeed) implements RegionCapability {
    public int id() {
      return Vfio.REGION_INFO_CAP_NVLINK2_LNKSPD;
    }
  }

  /** A capability this service does not interpret (sparse mmap, MSI-X mappable, newer ones). */
  record Other(int id, int version, int offset) implements RegionCapability {}
}
