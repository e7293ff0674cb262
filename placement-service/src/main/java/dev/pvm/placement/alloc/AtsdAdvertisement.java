package dev.pvm.placement.alloc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code spapr_phb_nvgpu_populate_dt} puts in the vPHB's {@code ibm,mmio-atsd} (spec 5.4, 5.8).
 *
 * @param entries the ATSD guest addresses listed, at most 8, in (slot, link) order
 * @param advertised whether the property is written
 * @param notAdvertisedReason QEMU's error text when it is not
 * @param warnings every text QEMU prints while building it, the reason included
 */
public record AtsdAdvertisement(
    List<Long> entries, boolean advertised, Optional<String> notAdvertisedReason, List<String> warnings) {

  /** Capacity of {@code ibm,mmio-atsd}: the 8 ATSD registers known guests handle. */
  public static final int MAX_ENTRIES = 8;

  public static final String TOO_MANY = "Only 8 ATSD registers supported";
  public static final String NONE_FOUND = "No ATSD registers found";
  public static final String NEEDS_ONE_IOMMU_GROUP = "ATSD requires separate vPHB per GPU IOMMU group";

  public AtsdAdvertisement {
    entries = List.copyOf(entries);
    warnings = List.copyOf(warnings);
  }

  /**
   * Computes the property for the slots of one vPHB.
   *
   * @param slots every slot in slot order; those without a GPU are skipped
   * @param eehCapable whether the vPHB passes the one-IOMMU-group test
   */
  public static AtsdAdvertisement of(List<Nvlink2Slot> slots, boolean eehCapable) {
    List<Long> entries = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < slots.size() && entries.size() < MAX_ENTRIES; i++) {
      Nvlink2Slot slot = slots.get(i);
      if (slot.gpu().isEmpty()) {
        continue;
      }
      for (Nvlink2Slot.Link link : slot.links()) {
        if (!link.atsd().present()) {
          continue;
        }
        // The outer loop stops at 8 entries, so this only fires when the 9th link is in the 8th one's slot.
        if (entries.size() == MAX_ENTRIES) {
          warnings.add(TOO_MANY);
          break;
        }
        entries.add(link.atsd().base());
      }
    }
    if (entries.isEmpty()) {
      warnings.add(NONE_FOUND);
      return new AtsdAdvertisement(List.of(), false, Optional.of(NONE_FOUND), warnings);
    }
    if (!eehCapable) {
      warnings.add(NEEDS_ONE_IOMMU_GROUP);
      return new AtsdAdvertisement(List.of(), false, Optional.of(NEEDS_ONE_IOMMU_GROUP), warnings);
    }
    return new AtsdAdvertisement(entries, true, Optional.empty(), warnings);
  }
}
