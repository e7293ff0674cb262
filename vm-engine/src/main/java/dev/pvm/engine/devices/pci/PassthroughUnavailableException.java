package dev.pvm.engine.devices.pci;

import dev.pvm.engine.EngineException;

/**
 * A passed-through host device the engine cannot take: its VFIO group is busy (another process holds it), not
 * viable, the device is not in it, or its NVLink2 region is missing what QEMU requires. The request may be
 * right; the host is not ready for it (gRPC FAILED_PRECONDITION).
 */
public final class PassthroughUnavailableException extends EngineException {

    private final String device;
    private final int iommuGroup;

    public PassthroughUnavailableException(String device, int iommuGroup, String message, Throwable cause) {
        super(message, cause);
        this.device = device;
        this.iommuGroup = iommuGroup;
    }

    /** The host PCI address of the device. */
    public String device() {
        return device;
    }

    /** Its IOMMU group. */
    public int iommuGroup() {
        return iommuGroup;
    }
}
