package dev.pvm.placement.alloc;

import java.util.List;

/**
 * Where one sPAPR PHB sits: the values QEMU's placement hook stores in the PHB (spec 3.1).
 *
 * @param index the PHB index
 * @param buid bus unit id, the PHB node's "reg" and unit address
 * @param liobns logical IO bus numbers of the DMA windows, as 32-bit values
 * @param pio PIO window
 * @param mmio32 32-bit MMIO window (guest-physical)
 * @param mmio32BusAddress PCI bus address of the 32-bit window
 * @param mmio64 64-bit MMIO window (guest-physical); absent only when the version gives none
 * @param mmio64BusAddress PCI bus address of the 64-bit window
 * @param nv2Ram NVLink2 GPU-RAM window; absent where the version disables NVLink2
 * @param nv2Atsd NVLink2 ATSD window; absent where the version disables NVLink2
 * @param dma32 default 32-bit DMA window of liobns[0], in the PHB's IOMMU address space
 */
public record PhbWindows(
    int index,
    long buid,
    List<Integer> liobns,
    Window pio,
    Window mmio32,
    long mmio32BusAddress,
    Window mmio64,
    long mmio64BusAddress,
    Window nv2Ram,
    Window nv2Atsd,
    Window dma32) {

  public PhbWindows {
    liobns = List.copyOf(liobns);
  }

  /** Whether NVLink2 handling runs on this PHB: both NVLink2 windows are non-zero (spec 3.4, 4.3 step 0). */
  public boolean nvlink2Enabled() {
    return nv2Ram.base() != 0 && nv2Atsd.base() != 0;
  }

  /** The guest-physical windows (not the DMA window, which lives in the PHB's IOMMU space). */
  public List<Window> guestPhysicalWindows() {
    return List.of(pio, mmio32, mmio64, nv2Ram, nv2Atsd);
  }
}
