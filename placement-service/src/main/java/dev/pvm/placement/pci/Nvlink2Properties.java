package dev.pvm.placement.pci;

/**
 * What vfio-pci exposes of a device's NVLink2 regions (spec 7.5): QEMU's {@code nvlink2-tgt},
 * {@code nvlink2-mr[0]} / {@code nvlink2-atsd-mr[0]} sizes and {@code nvlink2-link-speed}.
 *
 * @param tgt the GPU's compressed system address; 0 means "not NVLink2" (as an absent QOM property)
 * @param gpuRamSize size of the GPU-RAM region; non-zero only for GPUs
 * @param atsdSize size of the bridge's ATSD region; 0 when the host gave the bridge no ATSD register
 * @param linkSpeed the host's {@code ibm,nvlink-speed}, passed through
 */
public record Nvlink2Properties(long tgt, long gpuRamSize, long atsdSize, int linkSpeed) {

  /** QEMU's "collect GPU" branch: the device has a GPU-RAM memory region. */
  public boolean isGpu() {
    return gpuRamSize != 0;
  }
}
