package dev.pvm.placement.alloc;

import dev.pvm.placement.Nvlink2TopologyException;
import dev.pvm.placement.pci.GuestPciTopology.Placed;
import dev.pvm.placement.pci.Nvlink2Properties;
import dev.pvm.placement.pci.PhbDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code spapr_phb_nvgpu_setup}: groups a vPHB's NVLink2 GPUs and bridges into slots by tgt and gives GPU RAM and
 * ATSD pages their guest addresses (spec 4.3).
 */
public final class Nvlink2SlotCollector {

  /** NVGPU_MAX_NUM: GPU slots per vPHB. */
  public static final int MAX_SLOTS = 6;
  /** NVGPU_MAX_LINKS: bridges per GPU. */
  public static final int MAX_LINKS = 3;

  private final List<MutableSlot> slots = new ArrayList<>();
  private final PhbWindows windows;
  private long ramCursor;
  private long atsdCursor;

  private Nvlink2SlotCollector(PhbWindows windows) {
    this.windows = windows;
    this.ramCursor = windows.nv2Ram().base();
    this.atsdCursor = windows.nv2Atsd().base();
  }

  /**
   * Runs the walk over {@code walkOrder} (the devices in QEMU's walk order) and returns every slot, those
   * without a GPU included, in slot order. Returns no slots when the PHB has no NVLink2 windows (step 0).
   *
   * @throws Nvlink2TopologyException at the first error, with QEMU's text where QEMU has one; upstream records the
   *     first error, finishes the walk and then drops NVLink2 for the PHB, which a layout computed ahead of start
   *     reports to the caller instead of silently losing the feature
   */
  public static List<Nvlink2Slot> collect(
      PhbWindows windows, List<Placed<PhbDevice>> walkOrder, GpuNumaIds numaIds) {
    if (!windows.nvlink2Enabled()) {
      return List.of();
    }
    Nvlink2SlotCollector collector = new Nvlink2SlotCollector(windows);
    for (Placed<PhbDevice> placed : walkOrder) {
      Optional<Nvlink2Properties> nvlink2 = placed.device().host().nvlink2();
      if (nvlink2.isEmpty() || nvlink2.get().tgt() == 0) {
        continue;
      }
      if (nvlink2.get().isGpu()) {
        collector.collectGpu(placed, nvlink2.get(), numaIds);
      } else {
        collector.collectBridge(placed, nvlink2.get());
      }
    }
    List<Nvlink2Slot> result = new ArrayList<>();
    for (MutableSlot slot : collector.slots) {
      result.add(slot.freeze());
    }
    return List.copyOf(result);
  }

  private void collectGpu(Placed<PhbDevice> placed, Nvlink2Properties nvlink2, GpuNumaIds numaIds) {
    String field = placed.device().field();
    MutableSlot slot = findOrCreate(nvlink2.tgt(), field, "Found too many GPUs per vPHB");
    if (slot.gpu != null) {
      // Spec 12.3: upstream asserts on a second GPU with a tgt already seen; we report it.
      throw new Nvlink2TopologyException(
          field,
          String.format(
              "Found a second GPU with tgt 0x%x on vPHB %d (the first is %s)",
              nvlink2.tgt(), windows.index(), slot.gpu.device().host().address()));
    }
    long end = ramCursor + nvlink2.gpuRamSize();
    // Upstream never checks; a GPU whose RAM crossed the 2 TiB window would overlap the next PHB's GPU RAM.
    if (end > windows.nv2Ram().end() || end < ramCursor) {
      throw new Nvlink2TopologyException(
          field,
          String.format(
              "GPU RAM of vPHB %d does not fit its NVLink2 window of 0x%x bytes (needs up to 0x%x)",
              windows.index(), windows.nv2Ram().size(), end - windows.nv2Ram().base()));
    }
    slot.gpu = placed;
    slot.ram = new Window(ramCursor, nvlink2.gpuRamSize());
    ramCursor = end;
    slot.numaId = numaIds.take();
  }

  private void collectBridge(Placed<PhbDevice> placed, Nvlink2Properties nvlink2) {
    String field = placed.device().field();
    MutableSlot slot = findOrCreate(nvlink2.tgt(), field, "Found too many NVLink bridges per vPHB");
    if (slot.links.size() == MAX_LINKS) {
      throw new Nvlink2TopologyException(field, "Found too many NVLink bridges per GPU");
    }
    Window atsd = Window.NONE;
    // Spec 12.1: a bridge without an ATSD page (region size 0) aborts upstream; it stays a link here, with no ATSD
    // address and without advancing the cursor.
    if (nvlink2.atsdSize() != 0) {
      long end = atsdCursor + nvlink2.atsdSize();
      if (end > windows.nv2Atsd().end()) {
        throw new Nvlink2TopologyException(
            field,
            String.format(
                "ATSD pages of vPHB %d do not fit its ATSD window of 0x%x bytes",
                windows.index(), windows.nv2Atsd().size()));
      }
      atsd = new Window(atsdCursor, nvlink2.atsdSize());
      atsdCursor = end;
    }
    slot.links.add(new Nvlink2Slot.Link(placed, atsd, nvlink2.linkSpeed()));
  }

  private MutableSlot findOrCreate(long tgt, String field, String tooManyMessage) {
    for (MutableSlot slot : slots) {
      if (slot.tgt == tgt) {
        return slot;
      }
    }
    if (slots.size() == MAX_SLOTS) {
      throw new Nvlink2TopologyException(field, tooManyMessage);
    }
    MutableSlot slot = new MutableSlot(slots.size(), tgt);
    slots.add(slot);
    return slot;
  }

  private static final class MutableSlot {
    final int index;
    final long tgt;
    Placed<PhbDevice> gpu;
    Window ram = Window.NONE;
    int numaId;
    final List<Nvlink2Slot.Link> links = new ArrayList<>();

    MutableSlot(int index, long tgt) {
      this.index = index;
      this.tgt = tgt;
    }

    Nvlink2Slot freeze() {
      return new Nvlink2Slot(index, tgt, Optional.ofNullable(gpu), ram, numaId, links);
    }
  }
}
