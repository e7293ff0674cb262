package dev.pvm.engine.devices.pci;

import dev.pvm.vfio.RegionInfo;
import dev.pvm.vfio.VfioDevice;
import dev.pvm.vfio.VfioIoctlException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A passed-through function's config space on a real host: the VFIO device's config region
 * (VFIO_PCI_CONFIG_REGION_INDEX, spec section 8.1), read and written with pread/pwrite on the device fd at the
 * region's offset from GET_REGION_INFO, as QEMU's vfio_pci_read_config/vfio_pci_write_config do. vfio-pci
 * virtualizes what must not reach the device (BARs, the command register's decode bits), so the same sizing
 * protocol works as on the engine's models.
 *
 * <p>The header type's multifunction bit is the guest slot's, not the host's: QEMU emulates it
 * (emulated_config_bits[PCI_HEADER_TYPE] in hw/vfio/pci.c), since the guest groups functions into slots its own way.
 *
 * <p>The device fd belongs to {@link VfioPassthrough}; this class never closes it.
 */
public final class VfioConfigRegion implements PciConfigSpace {

    private static final int HEADER_TYPE = 0x0e;
    private static final int MULTIFUNCTION = 0x80;

    private final VfioDevice device;
    private final RegionInfo region;
    private final boolean multifunction;

    /**
     * @param device        the open VFIO device
     * @param region        its config region's info: 256 or 4096 bytes
     * @param multifunction whether the guest slot holds more than one function
     */
    public VfioConfigRegion(VfioDevice device, RegionInfo region, boolean multifunction) {
        if (region.size() != CONVENTIONAL_SIZE && region.size() != EXTENDED_SIZE) {
            throw new IllegalArgumentException("the config region of " + device.address() + " is 0x"
                    + Long.toHexString(region.size()) + " bytes, not 256 or 4096");
        }
        this.device = device;
        this.region = region;
        this.multifunction = multifunction;
    }

    @Override
    public int size() {
        return (int) region.size();
    }

    /** @throws UncheckedIOException when the kernel refuses the read (RTAS then answers hardware error) */
    @Override
    public int read(int offset, int width) {
        byte[] bytes = new byte[width];
        try {
            device.read(region, offset, bytes);
        } catch (VfioIoctlException e) {
            throw new UncheckedIOException(new IOException("config read of " + device.address() + " failed", e));
        }
        if (offset <= HEADER_TYPE && HEADER_TYPE < offset + width) {
            int at = HEADER_TYPE - offset;
            bytes[at] = (byte) ((bytes[at] & ~MULTIFUNCTION) | (multifunction ? MULTIFUNCTION : 0));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return switch (width) {
            case 1 -> b.get(0) & 0xff;
            case 2 -> b.getShort(0) & 0xffff;
            default -> b.getInt(0);
        };
    }

    /** @throws UncheckedIOException when the kernel refuses the write */
    @Override
    public void write(int offset, int width, int value) {
        ByteBuffer b = ByteBuffer.allocate(width).order(ByteOrder.LITTLE_ENDIAN);
        switch (width) {
            case 1 -> b.put((byte) value);
            case 2 -> b.putShort((short) value);
            default -> b.putInt(value);
        }
        try {
            device.write(region, offset, b.array());
        } catch (VfioIoctlException e) {
            throw new UncheckedIOException(new IOException("config write of " + device.address() + " failed", e));
        }
    }
}
