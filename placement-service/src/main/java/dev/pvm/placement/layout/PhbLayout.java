package dev.pvm.placement.layout;

import dev.pvm.placement.alloc.PhbWindows;
import dev.pvm.placement.pci.GuestPciBridge;
import java.util.List;
import java.util.Optional;

/**
 * One vPHB as the guest sees it.
 *
 * @param windows its windows and ids
 * @param eehCapable its passed-through devices form exactly one IOMMU group (spec 5.8)
 * @param mmioAtsdAdvertised whether {@code ibm,mmio-atsd} is written
 * @param mmioAtsd the listed ATSD addresses (empty when not advertised)
 * @param atsdWarning why {@code ibm,mmio-atsd} is missing on a PHB with NVLink2 GPUs
 * @param warnings every note for this PHB, QEMU's texts where QEMU prints one
 * @param gpuSlots NVLink2 slots with a GPU, in slot order; empty when the PHB has no NVLink2 configuration
 * @param devices passed-through devices in walk order
 * @param bridges PCI-to-PCI bridges to emulate
 */
public record PhbLayout(
    PhbWindows windows,
    boolean eehCapable,
    boolean mmioAtsdAdvertised,
    List<Long> mmioAtsd,
    Optional<String> atsdWarning,
    List<String> warnings,
    List<GpuSlotLayout> gpuSlots,
    List<PlacedDevice> devices,
    List<GuestPciBridge> bridges) {

  public PhbLayout {
    mmioAtsd = List.copyOf(mmioAtsd);
    warnings = List.copyOf(warnings);
    gpuSlots = List.copyOf(gpuSlots);
    devices = List.copyOf(devices);
    bridges = List.copyOf(bridges);
  }

  public int index() {
    return windows.index();
  }

  /** Whether the guest gets /npuphbP and GPU memory nodes for this PHB. */
  public boolean hasNvlink2() {
    return !gpuSlots.isEmpty();
  }
}
