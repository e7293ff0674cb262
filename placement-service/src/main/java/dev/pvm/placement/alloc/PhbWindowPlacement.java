package dev.pvm.placement.alloc;

import dev.pvm.placement.InvalidFieldException;
import dev.pvm.placement.machine.MachineType;
import java.util.ArrayList;
import java.util.List;

/** QEMU's {@code phb_placement} hooks: the windows of a PHB from its index, per machine version (spec 3). */
public final class PhbWindowPlacement {

  /** Base BUID; a PHB's BUID is this plus its index. */
  public static final long BASE_BUID = 0x800000020000000L;
  /** SPAPR_PCI_BASE: start of all PHB windows (32 TiB). */
  public static final long PCI_BASE = 1L << 45;
  /** SPAPR_PCI_LIMIT: end of the PHB windows (64 TiB). */
  public static final long PCI_LIMIT = 1L << 46;
  /** SPAPR_PCI_MEM_WIN_BUS_OFFSET: PCI bus address of the 32-bit window. */
  public static final long MEM_WIN_BUS_OFFSET = 0x80000000L;
  /** SPAPR_PCI_MEM32_WIN_SIZE. */
  public static final long MEM32_WIN_SIZE = 0x80000000L;
  /** SPAPR_PCI_MEM64_WIN_SIZE (1 TiB). */
  public static final long MEM64_WIN_SIZE = 0x10000000000L;
  /** SPAPR_PCI_IO_WIN_SIZE. */
  public static final long IO_WIN_SIZE = 0x10000L;
  /** SPAPR_PCI_NV2RAM64_WIN_BASE (64 TiB). */
  public static final long NV2RAM_WIN_BASE = 0x400000000000L;
  /** SPAPR_PCI_NV2RAM64_WIN_SIZE (2 TiB per PHB). */
  public static final long NV2RAM_WIN_SIZE = 0x20000000000L;
  /** SPAPR_PCI_NV2ATSD_WIN_BASE (128 TiB). */
  public static final long NV2ATSD_WIN_BASE = 0x800000000000L;
  /** SPAPR_PCI_NV2ATSD_WIN_SIZE: 6 GPUs x 3 links x 64 KiB. */
  public static final long NV2ATSD_WIN_SIZE = 0x120000L;
  /** SPAPR_PCI_DMA_MAX_WINDOWS: the PHB's "ddw" property is on for every version placed here (2.7 and newer). */
  public static final int DMA_WINDOWS = 2;
  /** Default 32-bit DMA window size (SPAPR_PCI_DMA32_SIZE, 1 GiB at bus address 0). */
  public static final long DMA32_WIN_SIZE = 0x40000000L;

  /** pseries-2.7: PHB spacing above the first PHB base (64 GiB). */
  static final long LEGACY_PHB_SPACING = 0x1000000000L;
  /** pseries-2.7: the first PHB base is the top of RAM rounded up to 1 TiB. */
  static final long LEGACY_PHB0_ALIGNMENT = 0x10000000000L;
  static final long LEGACY_PIO_OFFSET = 0x80000000L;
  static final long LEGACY_MMIO_OFFSET = 0xa0000000L;
  /** SPAPR_PCI_2_7_MMIO_WIN_SIZE: the oversized "32-bit" window the 2.7 PHB splits in two. */
  static final long LEGACY_MMIO_WIN_SIZE = 0xf80000000L;
  /** Bus address where the 2.7 PHB's split-off 64-bit part starts: bus offset + 32-bit window size. */
  static final long LEGACY_MMIO64_BUS_ADDRESS = MEM_WIN_BUS_OFFSET + MEM32_WIN_SIZE;

  private PhbWindowPlacement() {}

  /**
   * The windows of PHB {@code index}.
   *
   * @param ramTopBytes end of guest RAM (only pseries-2.7 places PHBs relative to it)
   * @param indexField path of the index field in the caller's request, for the error
   * @throws InvalidFieldException with QEMU's text when the index is above the version's maximum
   */
  public static PhbWindows place(MachineType machine, long index, long ramTopBytes, String indexField) {
    int n = checkIndex(machine, index, indexField);
    long buid = BASE_BUID + n;
    List<Integer> liobns = new ArrayList<>();
    for (int k = 0; k < DMA_WINDOWS; k++) {
      liobns.add(liobn(n, k));
    }
    Window dma32 = new Window(0, DMA32_WIN_SIZE);
    return switch (machine.phbPlacement()) {
      case LEGACY_2_7 -> {
        long phb0Base = alignUp(ramTopBytes, LEGACY_PHB0_ALIGNMENT);
        long phbBase = phb0Base + n * LEGACY_PHB_SPACING;
        long mmio32Base = phbBase + LEGACY_MMIO_OFFSET;
        // No 64-bit window is placed: the PHB splits its oversized 32-bit window into a 2 GiB 32-bit part and a
        // 64-bit remainder right after it, at bus address 0x100000000.
        yield new PhbWindows(
            n,
            buid,
            liobns,
            new Window(phbBase + LEGACY_PIO_OFFSET, IO_WIN_SIZE),
            new Window(mmio32Base, MEM32_WIN_SIZE),
            MEM_WIN_BUS_OFFSET,
            new Window(mmio32Base + MEM32_WIN_SIZE, LEGACY_MMIO_WIN_SIZE - MEM32_WIN_SIZE),
            LEGACY_MMIO64_BUS_ADDRESS,
            Window.NONE,
            Window.NONE,
            dma32);
      }
      case NVLINK2_DISABLED, DEFAULT -> {
        boolean nvlink2 = machine.nvlink2();
        long mmio64Base = PCI_BASE + (n + 1L) * MEM64_WIN_SIZE;
        yield new PhbWindows(
            n,
            buid,
            liobns,
            new Window(PCI_BASE + n * IO_WIN_SIZE, IO_WIN_SIZE),
            new Window(PCI_BASE + (n + 1L) * MEM32_WIN_SIZE, MEM32_WIN_SIZE),
            MEM_WIN_BUS_OFFSET,
            new Window(mmio64Base, MEM64_WIN_SIZE),
            mmio64Base,
            // phb_placement_4_0 forces both NVLink2 bases to 0 for pseries-2.8 .. 4.0.
            nvlink2 ? new Window(NV2RAM_WIN_BASE + n * NV2RAM_WIN_SIZE, NV2RAM_WIN_SIZE) : Window.NONE,
            nvlink2 ? new Window(NV2ATSD_WIN_BASE + n * NV2ATSD_WIN_SIZE, NV2ATSD_WIN_SIZE) : Window.NONE,
            dma32);
      }
    };
  }

  /**
   * Checks a PHB index against the version's maximum.
   *
   * @throws InvalidFieldException with QEMU's text, e.g. {@code "index" for PAPR PHB is too large (max 30)}
   */
  public static int checkIndex(MachineType machine, long index, String indexField) {
    if (index < 0 || index > machine.maxPhbIndex()) {
      throw new InvalidFieldException(
          indexField, "\"index\" for PAPR PHB is too large (max " + machine.maxPhbIndex() + ")");
    }
    return (int) index;
  }

  /** LIOBN(phb_index, window) = 0x80000000 | index << 8 | window, as a 32-bit value. */
  public static int liobn(int phbIndex, int window) {
    return 0x80000000 | (phbIndex << 8) | window;
  }

  private static long alignUp(long value, long alignment) {
    return Math.ceilDiv(value, alignment) * alignment;
  }
}
