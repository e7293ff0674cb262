package dev.pvm.engine.devices.pci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * A passed-through function's config space on a real host: the VFIO device's config region
 * (VFIO_PCI_CONFIG_REGION_INDEX, spec section 8.1), read and written with pread/pwrite at the region's offset
 * in the device file. vfio-pci virtualizes what must not reach the device (BARs, the command register's
 * decode bits), so the same sizing protocol works as on the engine's models.
 *
 * <p>The channel belongs to the caller (device-service hands the engine the device file); this class never
 * closes it.
 */
public final class VfioConfigRegion implements PciConfigSpace {

    private final FileChannel device;
    private final long regionOffset;
    private final int size;

    /**
     * @param device       the VFIO device file
     * @param regionOffset the config region's offset (from VFIO_DEVICE_GET_REGION_INFO)
     * @param size         the config region's size: 256 or 4096
     */
    public VfioConfigRegion(FileChannel device, long regionOffset, int size) {
        if (size != CONVENTIONAL_SIZE && size != EXTENDED_SIZE) {
            throw new IllegalArgumentException("a config region is 256 or 4096 bytes, not " + size);
        }
        this.device = device;
        this.regionOffset = regionOffset;
        this.size = size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int read(int offset, int width) {
        ByteBuffer b = ByteBuffer.allocate(width).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (b.hasRemaining()) {
                if (device.read(b, regionOffset + offset + b.position()) < 0) {
                    throw new IOException("end of the config region at offset 0x" + Integer.toHexString(offset));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("VFIO config read failed", e);
        }
        b.flip();
        return switch (width) {
            case 1 -> b.get() & 0xff;
            case 2 -> b.getShort() & 0xffff;
            default -> b.getInt();
        };
    }

    @Override
    public void write(int offset, int width, int value) {
        ByteBuffer b = ByteBuffer.allocate(width).order(ByteOrder.LITTLE_ENDIAN);
        switch (width) {
            case 1 -> b.put((byte) value);
            case 2 -> b.putShort((short) value);
            default -> b.putInt(value);
        }
        b.flip();
        try {
            while (b.hasRemaining()) {
                device.write(b, regionOffset + offset + b.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("VFIO config write failed", e);
        }
    }
}
