package dev.pvm.engine.devices.pci;

/**
 * A config space held by the engine: every byte has a value, a mask of bits the guest may write and a mask of
 * bits a write of one clears (status registers, PCI Local Bus 3.0 section 6.2.3). BARs get the standard sizing
 * behaviour from their masks alone: the address bits below the size are read-only zero, so writing all ones
 * and reading back gives {@code ~(size - 1) | flags} (section 6.2.5.1), as QEMU's PCI core does for the
 * devices it presents.
 */
public final class EmulatedConfigSpace implements PciConfigSpace {

    private final byte[] value;
    private final byte[] writable;
    private final byte[] clearOnOne;

    /**
     * @param size {@link #CONVENTIONAL_SIZE} or {@link #EXTENDED_SIZE}
     */
    public EmulatedConfigSpace(int size) {
        if (size != CONVENTIONAL_SIZE && size != EXTENDED_SIZE) {
            throw new IllegalArgumentException("config space is 256 or 4096 bytes, not " + size);
        }
        this.value = new byte[size];
        this.writable = new byte[size];
        this.clearOnOne = new byte[size];
    }

    @Override
    public int size() {
        return value.length;
    }

    @Override
    public int read(int offset, int width) {
        checkAccess(offset, width);
        int result = 0;
        for (int i = 0; i < width; i++) {
            result |= (value[offset + i] & 0xff) << (8 * i);
        }
        return result;
    }

    @Override
    public void write(int offset, int width, int data) {
        checkAccess(offset, width);
        for (int i = 0; i < width; i++) {
            int b = (data >>> (8 * i)) & 0xff;
            int at = offset + i;
            int kept = value[at] & ~writable[at];
            int next = kept | (b & writable[at]);
            next &= ~(b & clearOnOne[at]);
            value[at] = (byte) next;
        }
    }

    private void checkAccess(int offset, int width) {
        if ((width != 1 && width != 2 && width != 4) || offset < 0 || offset + width > value.length) {
            throw new IllegalArgumentException("config access of " + width + " bytes at 0x"
                    + Integer.toHexString(offset) + " outside " + value.length + " bytes");
        }
    }

    /** Sets a read-only register. */
    public EmulatedConfigSpace readOnly(int offset, int width, int initial) {
        return register(offset, width, initial, 0, 0);
    }

    /**
     * Sets a register with its initial value, the bits the guest may write and the write-one-to-clear bits.
     */
    public EmulatedConfigSpace register(int offset, int width, int initial, int writableBits, int clearBits) {
        checkAccess(offset, width);
        for (int i = 0; i < width; i++) {
            value[offset + i] = (byte) (initial >>> (8 * i));
            writable[offset + i] = (byte) (writableBits >>> (8 * i));
            clearOnOne[offset + i] = (byte) (clearBits >>> (8 * i));
        }
        return this;
    }

    /** Defines a BAR: unassigned (address 0), its flag bits read-only, the address bits above its size writable. */
    public EmulatedConfigSpace bar(PciBar bar) {
        long addressBits = ~(bar.size() - 1);
        int lowMask = bar.space() == PciBar.Space.IO ? ~0x3 : ~0xf;
        register(bar.registerOffset(), 4, bar.flagBits(), (int) addressBits & lowMask, 0);
        if (bar.space() == PciBar.Space.MEMORY64) {
            register(bar.registerOffset() + 4, 4, 0, (int) (addressBits >>> 32), 0);
        }
        return this;
    }
}
