package dev.pvm.engine.devices.pci;

/**
 * Config spaces of the simulated host's functions as a guest sees them through QEMU's vfio-pci: the NVIDIA V100
 * SXM2 (a PCIe endpoint with 4 KiB of config space) and the IBM NPU2 NVLink2 bridge that skiboot emulates
 * (256 bytes; skiboot {@code hw/npu2.c} {@code npu2_populate_cfg}), plus a plain header for anything else.
 * BARs are unassigned (zero) at reset: the guest sizes and places them.
 *
 * <p>The header type's multifunction bit follows the guest slot, as QEMU emulates it for vfio-pci (the host
 * value is not passed through): it is set when another function shares the guest slot.
 */
public final class SimulatedConfigSpaces {

    /** Command register bits a guest may write: IO, memory, bus master, parity, SERR#, INTx disable. */
    private static final int COMMAND_WRITABLE = 0x0547;
    /** Status register bits a write of one clears (parity/abort/SERR error bits). */
    private static final int STATUS_CLEAR_BITS = 0xf900;
    /** Status: capability list present. */
    private static final int STATUS_CAP_LIST = 0x0010;
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private SimulatedConfigSpaces() {
    }

    /**
     * A Tesla V100 SXM2: class 0x030200 (3D controller), revision 0xa1; BAR0 16 MiB registers, BAR1 the
     * framebuffer aperture (16 GiB or 32 GiB by board), BAR3 32 MiB, BAR5 128 bytes of IO, as lspci shows the
     * board; power management, MSI (64-bit, one vector) and PCI Express v2 endpoint capabilities.
     *
     * @param deviceId 0x1db1 or 0x1df5 (SXM2 16 GB), 0x1db5 (SXM2 32 GB), 0x1db8 (SXM3 32 GB) (spec 9.1)
     * @throws IllegalArgumentException for another device id
     */
    public static EmulatedConfigSpace teslaV100(int deviceId, boolean multifunction) {
        long framebuffer = switch (deviceId) {
            case 0x1db1, 0x1df5 -> 16 * GIB;
            case 0x1db5, 0x1db8 -> 32 * GIB;
            default -> throw new IllegalArgumentException(String.format(
                    "no simulated model for NVIDIA device 0x%04x (known V100 NVLink2 parts: 0x1db1 0x1db5 0x1db8 "
                            + "0x1df5)", deviceId));
        };
        EmulatedConfigSpace c = header(PciConfigSpace.EXTENDED_SIZE, 0x10de, deviceId, 0xa1, 0x030200,
                multifunction, 0x60);
        c.bar(new PciBar(0, 16 * MIB, PciBar.Space.MEMORY32, false))
                .bar(new PciBar(1, framebuffer, PciBar.Space.MEMORY64, true))
                .bar(new PciBar(3, 32 * MIB, PciBar.Space.MEMORY64, true))
                .bar(new PciBar(5, 128, PciBar.Space.IO, false));
        // Subsystem 10de:1212, the SXM2 16 GB board's, for every variant this model covers.
        c.readOnly(0x2c, 2, 0x10de).readOnly(0x2e, 2, 0x1212);
        // Power management v3 (D0 only): PMCSR's power state bits are writable.
        c.readOnly(0x60, 2, 0x6801).readOnly(0x62, 2, 0x0003).register(0x64, 2, 0x0008, 0x0003, 0);
        // MSI: 64-bit address, one vector; enable, address and data writable.
        c.readOnly(0x68, 2, 0x7805).register(0x6a, 2, 0x0080, 0x0001, 0)
                .register(0x6c, 4, 0, 0xffff_fffc, 0).register(0x70, 4, 0, 0xffff_ffff, 0)
                .register(0x74, 2, 0, 0xffff, 0);
        // PCI Express v2 endpoint (end of the list): 8.0 GT/s x16 link.
        c.readOnly(0x78, 2, 0x0010).readOnly(0x7a, 2, 0x0002)
                .readOnly(0x7c, 4, 0x1000_8fe3)
                .register(0x80, 2, 0x2810, 0x7fff, 0).register(0x82, 2, 0, 0, 0x000f)
                .readOnly(0x84, 4, 0x0003_f103)
                .register(0x88, 2, 0, 0x0fff, 0).readOnly(0x8a, 2, 0x1103);
        return c;
    }

    /**
     * An IBM NPU2 NVLink2 bridge (0x1014:0x04ea, revision 1, class 0x068000): BAR0 the 128 KiB NTL registers and
     * BAR2 the 64 KiB GENID half, both 64-bit non-prefetchable; a PCI Express endpoint capability at 0x40 and
     * skiboot's vendor capability at 0x80 whose byte 0xc is the link index ({@code ibm,npu-link-index}) and byte
     * 0xd the link flags (bit 0: bound to its GPU).
     */
    public static EmulatedConfigSpace npu2Bridge(int linkIndex, boolean multifunction) {
        EmulatedConfigSpace c = header(PciConfigSpace.CONVENTIONAL_SIZE, 0x1014, 0x04ea, 0x01, 0x068000,
                multifunction, 0x40);
        c.bar(new PciBar(0, 0x20000, PciBar.Space.MEMORY64, false))
                .bar(new PciBar(2, 0x10000, PciBar.Space.MEMORY64, false));
        // PCI Express endpoint capability as npu2_populate_pcie_cap writes it (FLR capable, x1 link).
        c.readOnly(0x40, 2, 0x8010).readOnly(0x42, 2, 0x0002)
                .readOnly(0x44, 4, 0x1000_0fc0)
                .register(0x48, 2, 0x2810, 0xffff, 0).register(0x4a, 2, 0, 0, 0x000f)
                .readOnly(0x4c, 4, 0x0000_0012)
                .register(0x50, 2, 0, 0x0fff, 0).register(0x52, 2, 0x0013, 0, 0xc000)
                .register(0x68, 2, 0, 0xffff, 0).readOnly(0x6a, 2, 0x0007)
                .readOnly(0x6c, 4, 0x0000_0007)
                .register(0x70, 2, 0x0003, 0xffff, 0).register(0x72, 2, 0, 0, 0x0020);
        // Vendor capability: id 9, end of list, length 0x10, version 1; +4..+0xb the PHY procedure registers
        // (run by host firmware, read as zero here); +0xc link index; +0xd link flags.
        c.readOnly(0x80, 2, 0x0009).readOnly(0x82, 2, 0x0110)
                .readOnly(0x8c, 1, linkIndex).readOnly(0x8d, 1, 0x01);
        return c;
    }

    /**
     * A function the platform has no model for: identity, class and header type from the host description, no
     * BARs and no capabilities.
     */
    public static EmulatedConfigSpace plain(int vendorId, int deviceId, int revision, int classCode, int headerType,
            boolean multifunction) {
        EmulatedConfigSpace c = header(PciConfigSpace.CONVENTIONAL_SIZE, vendorId, deviceId, revision, classCode,
                multifunction, 0);
        c.readOnly(0x0e, 1, (headerType & 0x7f) | (multifunction ? 0x80 : 0));
        if ((headerType & 0x7f) == 1) {
            // Type 1: primary, secondary and subordinate bus numbers are the guest's to program.
            c.register(0x18, 4, 0, 0x00ff_ffff, 0);
        }
        return c;
    }

    /** The common type-0 header fields (PCI Local Bus 3.0 section 6.2). */
    private static EmulatedConfigSpace header(int size, int vendorId, int deviceId, int revision, int classCode,
            boolean multifunction, int capabilities) {
        EmulatedConfigSpace c = new EmulatedConfigSpace(size);
        c.readOnly(0x00, 2, vendorId).readOnly(0x02, 2, deviceId)
                .register(0x04, 2, 0, COMMAND_WRITABLE, 0)
                .register(0x06, 2, capabilities != 0 ? STATUS_CAP_LIST : 0, 0, STATUS_CLEAR_BITS)
                .readOnly(0x08, 1, revision).readOnly(0x09, 1, classCode).readOnly(0x0a, 2, classCode >>> 8)
                .register(0x0c, 1, 0, 0xff, 0)
                .readOnly(0x0e, 1, multifunction ? 0x80 : 0x00)
                .readOnly(0x34, 1, capabilities)
                // Interrupt line is scratch for the guest; pin INTA.
                .register(0x3c, 1, 0, 0xff, 0).readOnly(0x3d, 1, capabilities != 0 ? 1 : 0);
        return c;
    }
}
