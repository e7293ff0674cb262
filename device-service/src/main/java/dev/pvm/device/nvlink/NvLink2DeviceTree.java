package dev.pvm.device.nvlink;

/**
 * Host device-tree property names that skiboot writes and Linux's vfio_pci_nvlink2.c reads (spec sections 9, 10),
 * spelled exactly as they appear in the tree.
 */
public final class NvLink2DeviceTree {
  /** GPU node: one phandle per NVLink bridge of the GPU. */
  public static final String IBM_NPU = "ibm,npu";
  /** Bridge node: phandle of its GPU. */
  public static final String IBM_GPU = "ibm,gpu";
  /** Bridge node: phandle of the link node under the xscom npu node. */
  public static final String IBM_NVLINK = "ibm,nvlink";
  /** Bridge node: phandle of the GPU RAM memory@ node. */
  public static final String MEMORY_REGION = "memory-region";
  /** Bridge node: u64 tgt of the GPU. */
  public static final String IBM_DEVICE_TGT_ADDR = "ibm,device-tgt-addr";
  /** Bridge node: cell link speed. */
  public static final String IBM_NVLINK_SPEED = "ibm,nvlink-speed";
  /** NPU PHB node: u64 addresses of the ATSD registers, indexed by link index. */
  public static final String IBM_MMIO_ATSD = "ibm,mmio-atsd";
  /** Link node: the hardware link index 0..5. */
  public static final String IBM_NPU_LINK_INDEX = "ibm,npu-link-index";

  private NvLink2DeviceTree() {}

  /**
   * skiboot's "Coral" compression of a host GPU RAM base address into the GPU's tgt (npu2_dn_fixup_gmb, spec
   * 5.3): bits 0-42 kept, bits 45-46 move to 43-44, bits 49-50 move to 45-46.
   */
  public static long tgtFromGpuRamBase(long base) {
    long tgt = base & ((1L << 43) - 1);
    tgt |= ((base >>> 45) & 0b11) << 43;
    tgt |= ((base >>> 49) & 0b11) << 45;
    return tgt;
  }
}
