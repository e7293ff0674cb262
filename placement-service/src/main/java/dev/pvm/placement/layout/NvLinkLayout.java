package dev.pvm.placement.layout;

import dev.pvm.placement.alloc.Window;

/**
 * One NVLink bridge of a GPU slot, with everything its device-tree nodes need (spec 5.3, 5.5).
 *
 * @param link link index j within the slot
 * @param bridgeAddress host PCI address of the bridge
 * @param bridgeDevfn guest devfn of the bridge
 * @param bridgePhandle PHANDLE_PCIDEV of the bridge
 * @param linkPhandle PHANDLE_NVLINK(P, i, j), the phandle of its /npuphbP/link@N node
 * @param atsd its ATSD page in the guest; absent without one
 * @param linkSpeed {@code ibm,nvlink-speed}
 * @param npuLinkIndex N of {@code link@N} and its {@code ibm,npu-link-index}
 */
public record NvLinkLayout(
    int link,
    String bridgeAddress,
    int bridgeDevfn,
    int bridgePhandle,
    int linkPhandle,
    Window atsd,
    int linkSpeed,
    int npuLinkIndex) {}
