package dev.pvm.device.host;

/**
 * NVLink2 facts of one GPU or bridge (spec sections 7-9).
 *
 * @param tgt the GPU's compressed system address, shared by the GPU and its bridges
 * @param gpuRamSize GPUs: size of the GPU RAM region in bytes; 0 for bridges
 * @param atsdSize bridges: size of the ATSD register region (one host page), 0 when the link has no ATSD
 * @param linkSpeed bridges: ibm,nvlink-speed as the host reports it
 * @param linkIndex bridges: the link's hardware index on its NPU (ibm,npu-link-index)
 * @param backingPath what an engine maps for the region: the simulated backing file, or the VFIO group
 *     device (/dev/vfio/N) whose device fd is mapped at backingOffset; empty when not known
 * @param backingOffset offset of the region in backingPath
 */
public record NvLink2Details(
    long tgt, long gpuRamSize, long atsdSize, int linkSpeed, int linkIndex, String backingPath,
    long backingOffset) {

  public NvLink2Details {
    if (backingPath == null) {
      throw new IllegalArgumentException("backingPath must not be null (use \"\" for none)");
    }
  }

  public NvLink2Details withRegion(long regionSize, boolean gpu, String path, long offset) {
    return new NvLink2Details(
        tgt, gpu ? regionSize : gpuRamSize, gpu ? atsdSize : regionSize, linkSpeed, linkIndex, path, offset);
  }
}
