package dev.pvm.engine.devices.nvlink2;

import dev.pvm.engine.devices.pci.AddressWindow;
import dev.pvm.engine.memory.HostFileRange;
import java.util.List;

/**
 * One NVLink2 GPU with its links on a vPHB (spec 4.2 "slot"), with every id and address from the layout.
 *
 * @param slot          i, the slot index in the PHB's table
 * @param tgt           the GPU's host tgt ({@code ibm,device-tgt-addr})
 * @param gpuAddress    host address of the GPU
 * @param gpuDevfn      its guest devfn
 * @param gpuPhandle    its PCI node's phandle
 * @param ram           the guest window of its RAM
 * @param ramPhandle    the memory@ node's phandle (PHANDLE_GPURAM)
 * @param numaId        the NUMA id of its memory
 * @param associativity the memory@ node's {@code ibm,associativity}
 * @param npuPhandles   {@code ibm,npu} of the GPU node
 * @param links         the bridges in walk order
 * @param gpuRam        the host memory mapped at {@code ram}
 */
public record GpuSlot(int slot, long tgt, String gpuAddress, int gpuDevfn, int gpuPhandle, AddressWindow ram,
        int ramPhandle, int numaId, List<Integer> associativity, List<Integer> npuPhandles, List<NvLink> links,
        HostFileRange gpuRam) {

    public GpuSlot {
        associativity = List.copyOf(associativity);
        npuPhandles = List.copyOf(npuPhandles);
        links = List.copyOf(links);
    }
}
