package dev.pvm.engine.devices.pci;

import dev.pvm.engine.devices.nvlink2.NvLink2Phb;
import java.util.List;
import java.util.Optional;

/**
 * One sPAPR PCI host bridge as placement laid it out (used as given).
 *
 * @param index            PHB index
 * @param buid             bus unit id (the node's reg, the RTAS config calls' BUID)
 * @param liobns           logical IO bus numbers of its DMA windows
 * @param pio              PIO window (guest physical)
 * @param mmio32           32-bit MMIO window (guest physical)
 * @param mmio32BusAddress its PCI bus address
 * @param mmio64           64-bit MMIO window (guest physical)
 * @param mmio64BusAddress its PCI bus address
 * @param dma32            the default 32-bit DMA window of liobns[0]
 * @param devices          the passed-through functions in guest walk order
 * @param nvlink2          the NVLink2 part: present on pseries-4.1+ when the PHB holds a GPU slot
 * @param warnings         what QEMU would error_report at PHB reset and tree build
 */
public record PhbConfig(int index, long buid, List<Integer> liobns, AddressWindow pio, AddressWindow mmio32,
        long mmio32BusAddress, AddressWindow mmio64, long mmio64BusAddress, AddressWindow dma32,
        List<PassthroughDevice> devices, Optional<NvLink2Phb> nvlink2, List<String> warnings) {

    public PhbConfig {
        liobns = List.copyOf(liobns);
        devices = List.copyOf(devices);
        warnings = List.copyOf(warnings);
    }
}
