package dev.pvm.placement.alloc;

/** The phandle encodings of spec 2.2 (all versions). No bits overlap for PHB index <= 30, slot <= 5, link <= 2. */
public final class Nvlink2Phandles {
  private Nvlink2Phandles() {}

  /** PHANDLE_PCIDEV(P, dev): the bus number is not part of it (spec 2.2, 12.11). */
  public static int pciDevice(int phbIndex, int devfn) {
    return 0x12000000 | (phbIndex << 16) | devfn;
  }

  /** PHANDLE_GPURAM(P, i): the GPU memory@ node of slot i. */
  public static int gpuRam(int phbIndex, int slot) {
    return 0x110000FF | (slot << 8) | (phbIndex << 16);
  }

  /** PHANDLE_NVLINK(P, i, j): /npuphbP/link@N of slot i, link j. */
  public static int nvlink(int phbIndex, int slot, int link) {
    return 0x00130000 | (phbIndex << 8) | (slot << 4) | link;
  }
}
