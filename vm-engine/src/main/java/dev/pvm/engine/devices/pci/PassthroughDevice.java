package dev.pvm.engine.devices.pci;

import java.util.OptionalInt;

/**
 * A host PCI function passed through on a PHB, where the layout placed it.
 *
 * @param hostAddress  the host's "DDDD:BB:DD.F"
 * @param devfn        guest device << 3 | function on the PHB's root bus
 * @param role         what the layout made of it
 * @param phandle      the device node's phandle (NVLink2 roles), 0 otherwise
 * @param iommuGroup   the host IOMMU group
 * @param vendorId     PCI vendor id
 * @param deviceId     PCI device id
 * @param revision     revision id
 * @param classCode    24-bit class code
 * @param headerType   header type without the multifunction bit
 * @param model        the config model of a simulated function
 * @param npuLinkIndex bridges: the link's index on its NPU (0 otherwise)
 * @param vfioGroup    on a real host, the IOMMU group through whose VFIO device fd the engine reaches the function
 *                     (config space, regions); empty for a simulated function
 */
public record PassthroughDevice(String hostAddress, int devfn, PciDeviceRole role, int phandle, int iommuGroup,
        int vendorId, int deviceId, int revision, int classCode, int headerType, DeviceModel model,
        int npuLinkIndex, OptionalInt vfioGroup) {

    /** Guest device (slot) number. */
    public int slot() {
        return devfn >>> 3;
    }

    /** Guest function number. */
    public int function() {
        return devfn & 7;
    }
}
