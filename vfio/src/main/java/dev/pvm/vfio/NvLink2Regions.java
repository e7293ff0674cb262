package dev.pvm.vfio;

import java.util.Optional;

/**
 * Finding a device's NVLink2 region as QEMU does before using it (spec 7.3, 7.4): the GPU RAM region (type
 * 0x800010de, subtype 1) must carry the SSATGT capability, the ATSD region (0x80001014/1) SSATGT and LNKSPD;
 * a region without them counts as absent (QEMU's -ENODEV: "not an NVLink2 device").
 */
public final class NvLink2Regions {
  private NvLink2Regions() {}

  /** The GPU RAM region ({@code gpu}) or ATSD region of an open device, with the capabilities QEMU requires. */
  public static Optional<RegionInfo> find(VfioDevice device, boolean gpu) {
    Optional<RegionInfo> region = gpu
        ? device.findRegion(Vfio.REGION_TYPE_NVIDIA_NVLINK2, Vfio.REGION_SUBTYPE_NVIDIA_NVLINK2_RAM)
        : device.findRegion(Vfio.REGION_TYPE_IBM_NVLINK2, Vfio.REGION_SUBTYPE_IBM_NVLINK2_ATSD);
    return region.filter(r -> r.capability(RegionCapability.Ssatgt.class).isPresent()
        && (gpu || r.capability(RegionCapability.Lnkspd.class).isPresent()));
  }

  /** What the region is, for messages: "GPU RAM region (type 0x800010de/1 with SSATGT)". */
  public static String describe(boolean gpu) {
    return gpu
        ? "NVLink2 GPU RAM region (VFIO region type 0x800010de/1 with the SSATGT capability)"
        : "NVLink2 ATSD region (VFIO region type 0x80001014/1 with the SSATGT and LNKSPD capabilities)";
  }
}
