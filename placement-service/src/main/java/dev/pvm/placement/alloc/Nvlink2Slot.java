package dev.pvm.placement.alloc;

import dev.pvm.placement.pci.GuestPciTopology.Placed;
import dev.pvm.placement.pci.PhbDevice;
import java.util.List;
import java.util.Optional;

/**
 * One entry of a vPHB's NVLink2 slot table as the walk left it (spec 4.2).
 *
 * @param index slot index, order of first appearance of its tgt
 * @param tgt the key tying the GPU and its bridges
 * @param gpu the GPU, absent for a slot only bridges created
 * @param ram guest window of the GPU's RAM (absent without GPU)
 * @param numaId NUMA id of the GPU's memory (0 without GPU)
 * @param links bridges in visit order
 */
public record Nvlink2Slot(
    int index, long tgt, Optional<Placed<PhbDevice>> gpu, Window ram, int numaId, List<Link> links) {

  public Nvlink2Slot {
    links = List.copyOf(links);
  }

  /**
   * One NVLink bridge of a slot.
   *
   * @param bridge the bridge
   * @param atsd its ATSD page in the guest; absent when the host gave it none (spec 12.1)
   * @param linkSpeed the host's link speed, passed through
   */
  public record Link(Placed<PhbDevice> bridge, Window atsd, int linkSpeed) {}
}
