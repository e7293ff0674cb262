package dev.pvm.engine.devices.nvlink2;

import dev.pvm.engine.memory.HostFileRange;
import java.util.Optional;

/**
 * One NVLink2 bridge of a GPU slot (spec 4.2 "links[j]").
 *
 * @param link          j, the index within the slot
 * @param bridgeAddress host address of the NPU bridge function
 * @param bridgeDevfn   its guest devfn
 * @param bridgePhandle its PCI node's phandle (PHANDLE_PCIDEV)
 * @param linkPhandle   phandle of /npuphbN/link@N (PHANDLE_NVLINK)
 * @param npuLinkIndex  the running link counter of /npuphbN
 * @param linkSpeed     {@code ibm,nvlink-speed}, the host value
 * @param atsdGpa       guest address of the bridge's ATSD page; 0 when it has none
 * @param atsd          the host page mapped at {@code atsdGpa}; empty when it has none
 */
public record NvLink(int link, String bridgeAddress, int bridgeDevfn, int bridgePhandle, int linkPhandle,
        int npuLinkIndex, int linkSpeed, long atsdGpa, Optional<HostFileRange> atsd) {
}
