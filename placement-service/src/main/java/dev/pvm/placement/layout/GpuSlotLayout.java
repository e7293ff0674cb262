package dev.pvm.placement.layout;

import dev.pvm.placement.alloc.Window;
import java.util.List;

/**
 * An NVLink2 slot that has a GPU, with everything the device tree needs (spec 5.2, 5.6).
 *
 * @param slot slot index i in the vPHB's table
 * @param tgt the host tgt, written as {@code ibm,device-tgt-addr} on its bridges
 * @param gpuAddress host PCI address of the GPU
 * @param gpuDevfn guest devfn of the GPU
 * @param ram guest window of the GPU RAM ({@code memory@<base>} node, {@code reg})
 * @param numaId NUMA node id of the GPU RAM
 * @param associativity {@code ibm,associativity} of the memory node
 * @param gpuPhandle PHANDLE_PCIDEV of the GPU
 * @param ramPhandle PHANDLE_GPURAM(P, i), the memory node's phandle and the bridges' {@code memory-region}
 * @param links the slot's bridges in link order
 */
public record GpuSlotLayout(
    int slot,
    long tgt,
    String gpuAddress,
    int gpuDevfn,
    Window ram,
    int numaId,
    List<Integer> associativity,
    int gpuPhandle,
    int ramPhandle,
    List<NvLinkLayout> links) {

  public GpuSlotLayout {
    associativity = List.copyOf(associativity);
    links = List.copyOf(links);
  }

  /** {@code ibm,npu} of the GPU node: its bridges' phandles in link order. */
  public List<Integer> npuPhandles() {
    return links.stream().map(NvLinkLayout::bridgePhandle).toList();
  }
}
